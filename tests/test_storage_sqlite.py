"""The storage contract, run against the SQLite adapter, in memory and on a file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from retail_service_quality import SQLiteStore
from retail_service_quality.ports import Store
from retail_service_quality.testing.contract import StoreContract


class TestSQLiteInMemory(StoreContract):
    def make_store(self) -> Store:
        return SQLiteStore(":memory:")


class TestSQLiteFile(StoreContract):
    def make_store(self) -> Store:
        directory = Path(tempfile.mkdtemp(prefix="rsq-contract-"))
        return SQLiteStore(directory / "service.db", synchronous="normal")
