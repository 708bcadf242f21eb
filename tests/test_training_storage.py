"""Training records in storage: the contract on both adapters, the SQLite rows and migration.

The whole `StoreContract` (which includes `TrainingStoreContract`) also runs on every adapter
in test_storage_memory.py and test_storage_sqlite.py; here the training part runs alone, on
an in-memory store and on a SQLite file, so that a change to the training records is checked
quickly.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retail_service_quality import (
    Attendance,
    InMemoryStore,
    SQLiteStore,
    StorageError,
    TrainingProgramme,
    TrainingSession,
    builtin_competencies,
    trained_staff,
)
from retail_service_quality.storage.ports import Store, TrainingRecords, TrainingRepository
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.contract_training import TrainingStoreContract

AT = datetime(2026, 4, 1, 9, tzinfo=UTC)


class TestTrainingInMemory(TrainingStoreContract):
    def make_store(self) -> Store:
        return InMemoryStore()


class TestTrainingInSQLite(TrainingStoreContract):
    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.made = 0

    def make_store(self) -> Store:
        self.made += 1
        return SQLiteStore(self.tmp_path / f"training-{self.made}.db")


@pytest.mark.parametrize("make", [InMemoryStore, lambda: SQLiteStore(":memory:")])
def test_both_adapters_implement_the_port(make: object) -> None:
    with make() as store, store.unit_of_work() as uow:  # type: ignore[operator]
        assert isinstance(uow.training, TrainingRepository)
        for name in ("competencies", "requirements", "competence"):
            assert isinstance(getattr(uow.training, name), TrainingRecords)
        assert uow.training.programmes.count() == 0


def _session() -> TrainingSession:
    return TrainingSession(
        id="T-1", programme_id="P-1", starts_at=AT, ends_at=AT + timedelta(hours=6),
        location="online", trainer_role="trainer", capacity=10,
    )  # fmt: skip


def _passed(staff_id: str) -> Attendance:
    return Attendance(
        id=f"T-1/{staff_id}", session_id="T-1", staff_id=staff_id, attended=True,
        completed=True, score=88.5, pass_mark=60, completed_at=AT + timedelta(hours=6),
    )  # fmt: skip


def test_a_file_of_the_previous_schema_gains_the_training_tables(tmp_path: Path) -> None:
    path = tmp_path / "previous.db"
    before = 10  # migration 0011 adds the training tables
    with closing(sqlite3.connect(path)) as connection:
        prepare(connection)
        for statements in migrations()[:before]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {before:d}")
        connection.commit()
    with SQLiteStore(path) as store:
        with store.unit_of_work() as uow:
            uow.training.sessions.add(_session())
            uow.training.attendance.add_many([_passed("E-1"), _passed("E-2")])
            uow.commit()
        assert trained_staff(store, "P-1") == ("E-1", "E-2")
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = connection.execute(
            "SELECT id, version, session_id, staff_id FROM training_attendance ORDER BY id"
        ).fetchall()
        assert rows == [("T-1/E-1", 1, "T-1", "E-1"), ("T-1/E-2", 1, "T-1", "E-2")]
        indexes = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                ("training_attendance",),
            )
        }
        assert {"training_attendance_session", "training_attendance_staff"} <= indexes


def test_an_unreadable_row_is_a_storage_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    programme = TrainingProgramme(
        id="P-1", name="Complaints", trains={"handling_complaints": 3}, audience=["cashier"],
        duration=timedelta(hours=6),
    )  # fmt: skip
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.training.programmes.add(programme)
        uow.training.competencies.add_many(builtin_competencies())
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("""UPDATE training_programmes SET record = '{"id": "P-1"}'""")
        connection.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        with pytest.raises(StorageError, match="'P-1'"):
            uow.training.programmes.get("P-1")
        with pytest.raises(StorageError, match="'P-1'"):
            list(uow.training.programmes.query())
        assert uow.training.programmes.count() == 1
        assert uow.training.competencies.get("privacy_law").top_level == 4
