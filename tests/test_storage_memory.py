"""The storage contract, run against the in-memory adapter."""

from __future__ import annotations

from retail_service_quality import InMemoryStore
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.contract import StoreContract


class TestInMemoryStore(StoreContract):
    def make_store(self) -> Store:
        return InMemoryStore()
