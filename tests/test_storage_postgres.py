"""The storage contract, the stateful parity test and the adapter's own behaviour on PostgreSQL.

They run against the server named by ``RSQ_TEST_POSTGRES`` (a connection string):
``scripts/with-postgres.sh python -m pytest tests/test_storage_postgres.py`` starts a
throwaway one. Without it they are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import itertools
import os
import uuid

import pytest
from hypothesis import settings

from retail_service_quality import InMemoryStore, PostgresStore
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.contract import StoreContract, compare_stores
from retail_service_quality.testing.contract_training import TrainingStoreContract

SERVER = os.environ.get("RSQ_TEST_POSTGRES")
if not SERVER and os.environ.get("CI"):
    raise RuntimeError(
        "RSQ_TEST_POSTGRES is not set: under CI the PostgreSQL tests must run "
        "(scripts/with-postgres.sh starts a server)"
    )
pytestmark = pytest.mark.skipif(not SERVER, reason="RSQ_TEST_POSTGRES names no server")

_NUMBERS = itertools.count()


def fresh_store() -> PostgresStore:
    """A store in a schema of its own, new for each call."""
    assert SERVER
    return PostgresStore(SERVER, schema=f"t_{uuid.uuid4().hex[:12]}_{next(_NUMBERS)}")


class TestPostgres(StoreContract):
    def make_store(self) -> Store:
        return fresh_store()


class TestTrainingInPostgres(TrainingStoreContract):
    def make_store(self) -> Store:
        return fresh_store()


MemoryAgreesWithPostgres = compare_stores(InMemoryStore, fresh_store)
MemoryAgreesWithPostgres.TestCase.settings = settings(
    MemoryAgreesWithPostgres.TestCase.settings, stateful_step_count=30, deadline=None
)
TestMemoryAgreesWithPostgres = MemoryAgreesWithPostgres.TestCase
