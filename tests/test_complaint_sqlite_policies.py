"""How the SQLite adapter keeps the SLA policy of each complaint: once per distinct policy."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    StorageError,
)

HK = ZoneInfo("Asia/Hong_Kong")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
STANDARD = SlaPolicy(
    id="standard",
    calendar=DESK,
    targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=4))],
)


def _complaint(number: int, policy: SlaPolicy | None = STANDARD) -> Complaint:
    return Complaint.receive(
        id=f"CMP-{number}",
        at=datetime(2026, 11, 30, 9, number % 50, tzinfo=HK),
        channel="email",
        store_id="HK-1",
        category="billing",
        sla_policy=policy,
    )


def _policies(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [row[0] for row in raw.execute("SELECT record FROM sla_policies")]


def test_many_cases_on_one_policy_store_it_once_and_read_it_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    edited = attrs.evolve(STANDARD, version=2, warning_at=0.5)
    complaints = [_complaint(n) for n in range(30)] + [_complaint(30, edited), _complaint(31, None)]
    with SQLiteStore(path) as store:
        with store.unit_of_work() as uow:
            uow.complaints.add_many(complaints)
            uow.commit()
        with store.unit_of_work() as uow:
            saved = uow.complaints.save(
                uow.complaints.get("CMP-3").acknowledge(at=datetime(2026, 11, 30, 10, tzinfo=HK))
            )
            uow.commit()
    assert len(_policies(path)) == 2
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        read = list(uow.complaints.query())
    by_id = {complaint.id: complaint for complaint in read}
    assert by_id["CMP-3"] == saved
    for complaint in complaints:
        if complaint.id != "CMP-3":
            assert by_id[complaint.id] == complaint
    assert by_id["CMP-30"].sla_policy == edited
    assert by_id["CMP-31"].sla_policy is None


def test_a_rolled_back_case_leaves_no_policy_behind(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.complaints.add(_complaint(1))
    assert _policies(path) == []


def test_a_missing_policy_is_a_storage_error_naming_no_personal_data(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    other = attrs.evolve(STANDARD, id="only_here")
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.complaints.add(_complaint(1, other))
        uow.commit()
    with sqlite3.connect(path) as raw:
        raw.execute("DELETE FROM sla_policies")
    with (
        SQLiteStore(path) as store,
        store.unit_of_work(read_only=True) as uow,
        pytest.raises(StorageError, match="SLA policy"),
    ):
        uow.complaints.get("CMP-1")
