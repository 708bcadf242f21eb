"""After erasure on SQLite, the erased values are gone from the database file and its WAL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from retail_service_quality import Customer, SQLiteStore
from retail_service_quality.customers.consent import ConsentGiven
from retail_service_quality.customers.uses import DataProvided
from retail_service_quality.storage.ports import Store

MARKER = "Qz7-erasable-marker-9Xk"
AT = datetime(2026, 5, 4, 9, tzinfo=UTC)


def _file_bytes(path: Path) -> bytes:
    """The database file's bytes and its write-ahead log's (empty if there is none)."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _contains(path: Path) -> tuple[bool, bool]:
    """Whether the marker is in the database file, and in its write-ahead log."""
    wal = Path(f"{path}-wal")
    encoded = MARKER.encode()
    return encoded in path.read_bytes(), wal.exists() and encoded in wal.read_bytes()


def _write_personal_records(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name=f"Chan {MARKER}", created_at=AT))
        uow.customers.add(Customer(id="C-2", name="Lee", created_at=AT))
        uow.consent.append(
            ConsentGiven(
                event_id=f"E-{MARKER}",
                customer_id="C-1",
                at=AT,
                evidence=f"form:{MARKER}",
                method="written",
                scope="own_marketing",
                data_kinds=["email"],
                marketing_classes=["cosmetics"],
                notice_version="2026-01",
                explicit=True,
            )
        )
        uow.data_uses.append(
            DataProvided(
                event_id="U-1",
                customer_id="C-1",
                at=AT,
                evidence=f"batch:{MARKER}",
                recipient_id=f"P-{MARKER}",
                recipient_class="insurance",
                data_kinds=["email"],
                for_gain=True,
            )
        )
        uow.commit()


def _erase(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.consent.erase("C-1") == 1
        assert uow.data_uses.erase("C-1") == 1
        uow.customers.save(uow.customers.get("C-1").evolve(name="(erased)"))
        uow.commit()


def test_erased_values_leave_the_file_and_its_wal(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    with SQLiteStore(path) as store:
        _write_personal_records(store)
        assert MARKER.encode() in _file_bytes(path)  # it was there: the check can fail
        with store.unit_of_work(read_only=True) as uow:
            assert uow.consent.count("C-1") == 1
        _erase(store)
        assert _contains(path) == (False, False)
        with store.unit_of_work(read_only=True) as uow:
            assert uow.customers.get("C-2").name == "Lee"  # the rest is intact
            assert uow.consent.ledger("C-1").events == ()
    assert MARKER.encode() not in _file_bytes(path)


def test_a_rolled_back_erasure_keeps_the_records(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    with SQLiteStore(path) as store:
        _write_personal_records(store)
        with store.unit_of_work() as uow:
            uow.consent.erase("C-1")
            uow.data_uses.erase("C-1")
        with store.unit_of_work() as uow:
            assert uow.consent.count("C-1") == uow.data_uses.count("C-1") == 1


def test_a_reader_holding_a_snapshot_delays_the_checkpoint_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "shop.db"
    caplog.set_level(logging.DEBUG, logger="retail_service_quality")
    with SQLiteStore(path) as store, SQLiteStore(path) as other:
        _write_personal_records(store)
        with other.unit_of_work(read_only=True) as reading:
            assert reading.consent.count() == 1  # holds a snapshot from before the erasure
            _erase(store)
            warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
            assert len(warnings) == 1
            assert "write-ahead log" in warnings[0].getMessage()
            assert MARKER.encode() in _file_bytes(path)  # the log still holds the old pages
            assert reading.consent.count() == 1
        with store.unit_of_work() as uow:  # the next commit tries again, and succeeds
            uow.commit()
        assert _contains(path) == (False, False)
    assert MARKER not in caplog.text
    assert "Chan" not in caplog.text


def test_closing_the_store_retries_the_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    store = SQLiteStore(path)
    with SQLiteStore(path) as other:
        _write_personal_records(store)
        with other.unit_of_work(read_only=True) as reading:
            reading.consent.count()
            _erase(store)
        assert MARKER.encode() in _file_bytes(path)
        store.close()
        assert _contains(path) == (False, False)


def test_erase_customer_leaves_no_erased_value_in_the_file_or_its_log(tmp_path: Path) -> None:
    """The one-line erasure: every erased value (name, contact points, date of birth, notes typed
    by staff, the free text of interactions) is gone from the bytes; what a hold keeps stays."""
    from datetime import date

    from retail_service_quality import (
        ContactPoint,
        KeyedHasher,
        LegalHold,
        ServiceInteraction,
        erase_customer,
    )

    erased_values = {
        "name": f"Chan {MARKER}",
        "email": f"{MARKER.lower()}@example.com",
        "notes": f"call after 6pm {MARKER}N",
        "staff": f"wheelchair access {MARKER}S",
    }
    kept = f"Flat 8, {MARKER}K Road"
    path = tmp_path / "erase.db"
    with SQLiteStore(path) as store:
        with store.unit_of_work() as uow:
            uow.customers.add(
                Customer(
                    id="C-1",
                    name=erased_values["name"],
                    contacts=[
                        ContactPoint("email", erased_values["email"]),
                        ContactPoint("postal_address", kept),
                    ],
                    date_of_birth=date(1980, 2, 29),
                    staff_notes=erased_values["staff"],
                    created_at=AT,
                )
            )
            uow.interactions.add(
                ServiceInteraction(
                    id="I-1",
                    store_id="HK-CWB",
                    channel="hotline",
                    occurred_at=AT,
                    customer_id="C-1",
                    subject="delivery",
                    notes=erased_values["notes"],
                )
            )
            uow.legal_holds.add(
                LegalHold(
                    id="H-1",
                    customer_id="C-1",
                    keeps=["postal_address"],
                    reason="invoices are kept for 7 years for tax",
                    source="Inland Revenue Ordinance (Cap. 112) s.51C",
                    placed_at=AT,
                )
            )
            uow.commit()
        before = _file_bytes(path)
        for value in [*erased_values.values(), kept]:
            assert value.encode() in before
        erase_customer(store, customer_id="C-1", at=AT, hasher=KeyedHasher(b"k" * 32))
        after = _file_bytes(path)
        for value in erased_values.values():
            assert value.encode() not in after
        assert kept.encode() in after
        with store.unit_of_work(read_only=True) as uow:
            assert uow.customers.get("C-1").contact("postal_address") == kept
