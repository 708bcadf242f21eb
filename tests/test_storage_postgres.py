"""The storage contract, the stateful parity test and the adapter's own behaviour on PostgreSQL.

They run against the server named by ``RSQ_TEST_POSTGRES`` (a connection string):
``scripts/with-postgres.sh python -m pytest tests/test_storage_postgres.py`` starts a
throwaway one. Without it they are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import itertools
import os
import threading
import uuid
from contextlib import closing

import psycopg
import pytest
from hypothesis import settings

from retail_service_quality import InMemoryStore, PostgresStore
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.contract import StoreContract, compare_stores
from retail_service_quality.testing.contract_training import TrainingStoreContract

SERVER = os.environ.get("RSQ_TEST_POSTGRES", "")
if not SERVER and os.environ.get("CI"):
    raise RuntimeError(
        "RSQ_TEST_POSTGRES is not set: under CI the PostgreSQL tests must run "
        "(scripts/with-postgres.sh starts a server)"
    )
pytestmark = pytest.mark.skipif(not SERVER, reason="RSQ_TEST_POSTGRES names no server")

_NUMBERS = itertools.count()
_EMPTIED: list[str] = []  # schemas of closed stores, their rows deleted, ready for the next test
_LOCK = threading.Lock()


class _ReusedStore(PostgresStore):
    """A store whose schema, once the store is closed, is emptied and reused by the next test.

    Making a schema takes a fifth of a second; deleting a test's few rows, a few milliseconds.
    """

    def close(self) -> None:
        was_open = not self._closed
        super().close()
        if was_open and self.schema is not None:
            with closing(psycopg.connect(SERVER, autocommit=True)) as connection:
                connection.execute(f'SET search_path TO "{self.schema}"')
                connection.execute("SET session_replication_role = replica")  # no FK order
                tables = connection.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = %s AND table_name <> 'rsq_schema_version'",
                    (self.schema,),
                ).fetchall()
                connection.execute(
                    "; ".join(f'DELETE FROM "{name}"' for (name,) in tables).encode()
                )
            with _LOCK:
                _EMPTIED.append(self.schema)


def fresh_store() -> PostgresStore:
    """A new, empty store: in a schema emptied by a closed store, or in a new one."""
    assert SERVER
    with _LOCK:
        schema = _EMPTIED.pop() if _EMPTIED else f"t_{uuid.uuid4().hex[:12]}_{next(_NUMBERS)}"
    return _ReusedStore(SERVER, schema=schema)


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
