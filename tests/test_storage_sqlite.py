"""The storage contract, run against the SQLite adapter, in memory and on a file."""

from __future__ import annotations

import itertools
from pathlib import Path

from retail_service_quality import SQLiteStore
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.contract import StoreContract


class TestSQLiteInMemory(StoreContract):
    def make_store(self) -> Store:
        return SQLiteStore(":memory:")


class TestSQLiteFile(StoreContract):
    numbers = itertools.count()

    def make_store(self) -> Store:
        return SQLiteStore(self.tmp_path / f"service-{next(self.numbers)}.db", synchronous="normal")


def test_a_reader_blocks_no_writer(tmp_path: Path) -> None:
    """A read-only unit of work reads a snapshot; another store can write meanwhile."""
    from datetime import UTC, datetime, timedelta

    from retail_service_quality import Customer

    path = tmp_path / "service.db"
    reader_store = SQLiteStore(path)
    writer_store = SQLiteStore(path, busy_timeout=timedelta(0))
    created = datetime(2026, 11, 22, tzinfo=UTC)
    try:
        with reader_store.unit_of_work(read_only=True) as reader:
            assert reader.customers.count() == 0
            with writer_store.unit_of_work() as writer:
                writer.customers.add(Customer(id="C-1", name="Ho", created_at=created))
                writer.commit()
            assert reader.customers.count() == 0  # the snapshot the reader started with
        with reader_store.unit_of_work(read_only=True) as reader:
            assert reader.customers.count() == 1
    finally:
        reader_store.close()
        writer_store.close()
