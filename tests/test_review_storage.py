"""Review cycles in storage: both adapters agree, the SQLite rows, files and migrations.

The contract itself (`ReviewStoreContract`) runs on every adapter through `StoreContract`
in test_storage_memory.py and test_storage_sqlite.py.
"""

from __future__ import annotations

import inspect
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retail_service_quality import InMemoryStore, ReviewCycle, SQLiteStore, StorageError
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.storage.ports import ReviewRepository
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_reviews import ReviewStoreContract

START = datetime(2026, 1, 1, tzinfo=UTC)


def _cycle(record_id: str) -> ReviewCycle:
    return ReviewCycle.plan(id=record_id, start=START, end=START + timedelta(days=90))


def test_every_store_runs_the_review_contract() -> None:
    assert issubclass(StoreContract, ReviewStoreContract)
    names = [name for name in dir(ReviewStoreContract) if name.startswith("test_")]
    assert len(names) >= 6
    for name in names:
        assert inspect.getattr_static(StoreContract, name) is inspect.getattr_static(
            ReviewStoreContract, name
        )


@pytest.mark.parametrize("store", [InMemoryStore(), SQLiteStore(":memory:")])
def test_both_stores_offer_the_port(store: InMemoryStore | SQLiteStore) -> None:
    with store.unit_of_work() as uow:
        assert isinstance(uow.reviews, ReviewRepository)
    store.close()


def test_an_unreadable_row_is_a_storage_error_naming_the_cycle(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.reviews.add(_cycle("R-1"))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("""UPDATE reviews SET record = '{"id": "R-1", "start": 3}'""")
        connection.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        for read in (lambda: uow.reviews.get("R-1"), lambda: list(uow.reviews.query())):
            with pytest.raises(StorageError, match="'R-1'"):
                read()
        assert uow.reviews.count() == 1


def test_a_file_of_the_previous_schema_gains_the_reviews(tmp_path: Path) -> None:
    path = tmp_path / "previous.db"
    before = SCHEMA_VERSION - 1  # the last migration adds the review cycles
    with closing(sqlite3.connect(path)) as connection:
        prepare(connection)
        for statements in migrations()[:before]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {before:d}")
        connection.commit()
        assert "reviews" not in {
            row[0] for row in connection.execute("SELECT name FROM sqlite_master")
        }
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        assert uow.reviews.count() == 0
        uow.reviews.add(_cycle("R-1"))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("SELECT status FROM reviews").fetchone()[0] == "planned"


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_cycle_spanning_the_whole_supported_range_is_kept_and_found(kind: str) -> None:
    store = InMemoryStore() if kind == "memory" else SQLiteStore(":memory:")
    whole = ReviewCycle.plan(id="ALL", start=MIN_INSTANT, end=MAX_INSTANT)
    with store.unit_of_work() as uow:
        uow.reviews.add(whole)
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        assert uow.reviews.get("ALL") == whole
        for moment in (MIN_INSTANT, MAX_INSTANT - timedelta(microseconds=1)):
            assert [c.id for c in uow.reviews.query(covering=moment)] == ["ALL"]
        assert uow.reviews.count(covering=MAX_INSTANT) == 0  # the end is excluded
    store.close()
