"""What the SQLite adapter reads back: exact values, unmappable rows, old files, error codes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings

from retail_service_quality import (
    ConflictError,
    ContactPoint,
    Customer,
    NotFoundError,
    ServiceInteraction,
    SQLiteStore,
    StorageError,
    ValidationError,
)
from retail_service_quality._internal.validation import MAX_VERSION
from retail_service_quality.customers.consent import OptedOut
from retail_service_quality.storage.sqlite._customers import customer_from_row, customer_row
from retail_service_quality.storage.sqlite._interactions import (
    interaction_from_row,
    interaction_row,
)
from retail_service_quality.storage.sqlite._repository import classify
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.strategies import customers, interactions

LONDON = ZoneInfo("Europe/London")
WHEN = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "service.db"


def contact(record_id: str = "I-1", **changes: object) -> ServiceInteraction:
    fields: dict[str, object] = {
        "id": record_id,
        "store_id": "S1",
        "channel": "hotline",
        "occurred_at": WHEN,
        "needs": ["refund"],
    }
    fields.update(changes)
    return ServiceInteraction(**fields)  # type: ignore[arg-type]


def seed(path: Path, *records: ServiceInteraction) -> None:
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.interactions.add_many(records)
        uow.commit()


def tamper(path: Path, sql: str, *params: object) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(sql, params)


# ---------------------------------------------------------------- the trusted load path


@settings(max_examples=80, deadline=None)
@given(customers())
def test_a_customer_loaded_from_its_row_equals_the_validated_one(customer: Customer) -> None:
    loaded = customer_from_row(customer_row(customer))
    validated = Customer(**attrs.asdict(loaded, recurse=False))
    assert loaded == validated == customer
    assert loaded.created_at.utcoffset() == customer.created_at.utcoffset()
    assert loaded.created_at.replace(tzinfo=None) == customer.created_at.replace(tzinfo=None)
    assert repr(loaded) == repr(validated)


@settings(max_examples=80, deadline=None)
@given(interactions())
def test_an_interaction_loaded_from_its_row_equals_the_validated_one(
    interaction: ServiceInteraction,
) -> None:
    loaded = interaction_from_row(interaction_row(interaction))
    assert type(loaded.channel) is type(interaction.channel)
    assert type(loaded.needs) is tuple
    assert loaded == interaction.evolve() == interaction
    assert loaded.occurred_at.utcoffset() == interaction.occurred_at.utcoffset()
    assert loaded.occurred_at.fold == interaction.occurred_at.fold or (
        loaded.occurred_at.utcoffset() == interaction.occurred_at.utcoffset()
    )


def test_offsets_with_seconds_and_microseconds_read_back_exactly(path: Path) -> None:
    odd = timezone(timedelta(hours=5, minutes=53, seconds=28, microseconds=7))
    moment = datetime(2026, 1, 1, 12, tzinfo=odd)
    seed(path, contact("I-1", occurred_at=moment))
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        found = uow.interactions.get("I-1").occurred_at
    assert found == moment
    assert found.utcoffset() == moment.utcoffset()


# ---------------------------------------------------------------- rows it cannot map


def test_a_zone_missing_from_the_tz_database_reads_at_its_stored_offset(path: Path) -> None:
    seed(path, contact("I-1"))
    tamper(path, "UPDATE interactions SET occurred_tz = 'Mars/Olympus_Mons'")
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        found = uow.interactions.get("I-1").occurred_at
        assert [i.id for i in uow.interactions.query()] == ["I-1"]
    assert found.timestamp() == WHEN.timestamp()  # the same instant
    assert found.replace(tzinfo=None) == WHEN.replace(tzinfo=None)  # the same wall time
    assert found.utcoffset() == timedelta(0)


def test_a_zone_unknown_and_no_stored_offset_is_a_storage_error(path: Path) -> None:
    seed(path, contact("I-1"))
    tamper(
        path,
        "UPDATE interactions SET occurred_tz = 'Mars/Olympus_Mons', occurred_offset_us = NULL",
    )
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        with pytest.raises(StorageError, match="Mars/Olympus_Mons"):
            uow.interactions.get("I-1")
        with pytest.raises(StorageError):
            list(uow.interactions.query())


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("channel", "carrier pigeon"),
        ("status", "lost"),
        ("needs", "{not json"),
        ("needs", '{"a": 1}'),
        ("needs", "[1, 2]"),
        ("occurred_us", 2**62),
        ("occurred_us", "yesterday"),
        ("handle_us", "long"),
    ],
)
def test_a_row_the_adapter_cannot_map_is_a_storage_error(
    path: Path, column: str, value: object
) -> None:
    seed(path, contact("I-1"))
    tamper(path, f"UPDATE interactions SET {column} = ?", value)
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        with pytest.raises(StorageError) as caught:
            uow.interactions.get("I-1")
        assert "I-1" in str(caught.value) or column == "handle_us"
        with pytest.raises(StorageError):
            list(uow.interactions.query())


# ---------------------------------------------------------------- files from an older release


def test_a_version_1_file_is_migrated_and_its_offsets_filled(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for statement in migrations()[0]:
            connection.execute(statement)
        connection.execute("PRAGMA user_version = 1")
        instant = (WHEN - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
        connection.execute(
            "INSERT INTO customers VALUES ('C-1', 1, 'Lee', NULL, NULL, NULL, 'standard', ?, ?)",
            (instant, "+05:30"),
        )
        connection.execute(
            "INSERT INTO interactions VALUES "
            "('I-1', 1, 'S1', 'hotline', ?, 'Europe/London', NULL, 'open', '', NULL, NULL, "
            "NULL, ''), ('I-2', 1, 'S1', 'fax', ?, 'Mars/Olympus_Mons', NULL, 'open', '', "
            "NULL, NULL, NULL, '')",
            (instant, instant),
        )
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        assert uow.interactions.get("I-1").occurred_at == WHEN
        assert uow.interactions.get("I-1").occurred_at.utcoffset() == timedelta(0)
        assert uow.customers.get("C-1").created_at.utcoffset() == timedelta(hours=5, minutes=30)
        with pytest.raises(StorageError):  # unknown zone, and no offset was ever stored
            uow.interactions.get("I-2")
    with closing(sqlite3.connect(path)) as connection:
        offsets = dict(connection.execute("SELECT id, occurred_offset_us FROM interactions"))
    assert offsets == {"I-1": 0, "I-2": None}


def test_a_version_2_file_gains_the_privacy_tables_and_keeps_its_records(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        prepare(connection)
        for statements in migrations()[:2]:
            for statement in statements:
                connection.execute(statement)
        connection.execute("PRAGMA user_version = 2")
    with SQLiteStore(path) as store, store.unit_of_work() as uow:  # opened: migrated
        uow.customers.add(Customer(id="C-1", name="Lee", created_at=WHEN))
        uow.consent.append(OptedOut(event_id="E-1", customer_id="C-1", at=WHEN, evidence="x"))
        uow.commit()
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        assert uow.customers.get("C-1").name == "Lee"
        assert uow.consent.ledger("C-1").opt_outs[0].at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("column", "value"),
    [("record", "{not json"), ("kind", "a_kind_from_a_later_release"), ("record", "[]")],
)
def test_a_privacy_row_the_adapter_cannot_read_is_a_storage_error(
    path: Path, column: str, value: str
) -> None:
    secret = "Chan Tai Man"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name=secret, created_at=WHEN))
        uow.consent.append(
            OptedOut(event_id="E-1", customer_id="C-1", at=WHEN, evidence=f"call:{secret}")
        )
        uow.commit()
    tamper(path, f"UPDATE consent_events SET {column} = ?", value)
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        with pytest.raises(StorageError) as caught:
            uow.consent.ledger("C-1")
        assert "'E-1'" in str(caught.value)
        assert secret not in str(caught.value)
        with pytest.raises(StorageError):
            list(uow.consent.query())


# ---------------------------------------------------------------- errors by code, not text


def test_errors_are_classified_by_code_not_by_message() -> None:
    misleading = sqlite3.IntegrityError("UNIQUE constraint failed, or so the text says")
    misleading.sqlite_errorcode = sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
    assert isinstance(classify(misleading, "adding"), NotFoundError)
    locked = sqlite3.OperationalError("something unexpected")
    locked.sqlite_errorcode = sqlite3.SQLITE_BUSY_SNAPSHOT
    assert "locked" in str(classify(locked, "reading"))
    duplicate = sqlite3.IntegrityError("no keywords here")
    duplicate.sqlite_errorcode = sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
    assert isinstance(classify(duplicate, "adding"), ConflictError)


def test_values_no_database_can_hold_are_storage_errors(path: Path) -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-2", name="Lee", created_at=created, version=MAX_VERSION))
        with pytest.raises(StorageError, match="version"):
            uow.customers.save(uow.customers.get("C-2").evolve(tier="vip"))
        # Text that is not Unicode never reaches a store: the record refuses it first.
        with pytest.raises(ValidationError, match="value"):
            ContactPoint("email", "a@b.hk\ud800")
