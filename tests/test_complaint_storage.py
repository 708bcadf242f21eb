"""Complaints in storage beyond the shipped contract: due() against its oracle, columns, indexes."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import Complaint, InMemoryStore, SQLiteStore
from retail_service_quality.customers import Customer
from retail_service_quality.service.complaints import ComplaintState
from retail_service_quality.service.sla import TargetKind
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import ComplaintQuery, Store
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_complaints import ComplaintStoreContract
from retail_service_quality.testing.strategies import STORES, complaints, sla_policies

EXAMPLES = settings(
    deadline=None,
    max_examples=max(10, settings().max_examples // 2),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CUSTOMERS = st.none() | st.sampled_from(["C-1", "C-2"])
ZONES = ("Asia/Hong_Kong", "Europe/London", "Asia/Kolkata", "UTC")
MOMENTS = st.none() | st.integers(0, 60 * 24 * 60).map(
    lambda minutes: datetime(2026, 10, 20, tzinfo=UTC) + timedelta(minutes=minutes)
)
# Received around the autumn change in London, held on any of a few policies.
RECENT = complaints(
    ids=st.sampled_from([f"CMP-{n}" for n in range(12)]),
    customer_ids=CUSTOMERS,
    received=st.datetimes(
        min_value=datetime(2026, 10, 20),  # naive: hypothesis bounds
        max_value=datetime(2026, 11, 30),
        timezones=st.sampled_from(ZONES).map(ZoneInfo),
        allow_imaginary=False,
    ),
    policies=st.none() | sla_policies(),
    max_steps=10,
)


def _stores(directory: Path) -> Iterator[Store]:
    yield InMemoryStore()
    yield SQLiteStore(directory / "complaints.db")


def _seeded(store: Store, records: list[Complaint]) -> Store:
    with store.unit_of_work() as uow:
        uow.customers.add_many(
            Customer(id=customer_id, name="Lee", created_at=datetime(2026, 1, 1, tzinfo=UTC))
            for customer_id in ("C-1", "C-2")
        )
        uow.complaints.add_many(records)
        uow.commit()
    return store


def test_both_adapters_run_the_complaint_contract() -> None:
    assert issubclass(StoreContract, ComplaintStoreContract)
    names = [name for name in dir(ComplaintStoreContract) if name.startswith("test_")]
    assert len(names) >= 12
    for name in names:
        # Not shadowed by a test of the same name elsewhere in the contract.
        assert inspect.getattr_static(StoreContract, name) is inspect.getattr_static(
            ComplaintStoreContract, name
        )


@EXAMPLES
@given(
    records=st.lists(RECENT, max_size=8, unique_by=lambda complaint: complaint.id),
    kind=st.sampled_from(TargetKind),
    after=MOMENTS,
    before=MOMENTS,
    store_id=st.none() | st.sampled_from(STORES),
)
def test_due_is_every_open_deadline_in_bounds_soonest_first(
    tmp_path: Path,
    records: list[Complaint],
    kind: TargetKind,
    after: datetime | None,
    before: datetime | None,
    store_id: str | None,
) -> None:
    if after is not None and before is not None and before < after:
        after, before = before, after
    query = None if store_id is None else ComplaintQuery(store_id=store_id)
    expected = sorted(
        (instant_us(deadline), complaint.id)
        for complaint in records
        if (deadline := complaint.due_at(kind)) is not None
        and (after is None or deadline >= after)
        and (before is None or deadline < before)
        and (query is None or query.matches(complaint))
    )
    for store in _stores(tmp_path):
        try:
            _seeded(store, records)
            with store.unit_of_work(read_only=True) as uow:
                found = list(uow.complaints.due(kind, after=after, before=before, query=query))
            assert [c.id for c in found] == [item[1] for item in expected]
            assert all(c.state is not ComplaintState.CLOSED for c in found)
        finally:
            store.close()
        (tmp_path / "complaints.db").unlink(missing_ok=True)


@EXAMPLES
@given(records=st.lists(RECENT, min_size=1, max_size=5, unique_by=lambda c: c.id))
def test_sqlite_keeps_the_columns_each_history_gives(
    tmp_path: Path, records: list[Complaint]
) -> None:
    path = tmp_path / "columns.db"
    path.unlink(missing_ok=True)
    _seeded(SQLiteStore(path), records).close()
    with sqlite3.connect(path) as connection:
        rows = {
            row[0]: row[1:]
            for row in connection.execute(
                "SELECT id, state, is_open, received_us, closed_us, customer_id, category,"
                " acknowledgement_due_us, resolution_due_us, resolution_us FROM complaints"
            )
        }
    connection.close()
    path.unlink()
    for complaint in records:
        ack, resolution = (complaint.due_at(kind) for kind in TargetKind)
        spent = complaint.resolution_time()
        assert rows[complaint.id] == (
            complaint.state.value,
            int(complaint.state is not ComplaintState.CLOSED),
            instant_us(complaint.received_at),
            None if complaint.closed_at is None else instant_us(complaint.closed_at),
            complaint.customer_id,
            complaint.category,
            None if ack is None else instant_us(ack),
            None if resolution is None else instant_us(resolution),
            None if spent is None else spent // timedelta(microseconds=1),
        )


@pytest.mark.parametrize(
    ("column", "index"),
    [
        ("acknowledgement_due_us", "complaints_acknowledgement_due"),
        ("resolution_due_us", "complaints_resolution_due"),
    ],
)
def test_what_breaches_next_is_read_from_an_index(tmp_path: Path, column: str, index: str) -> None:
    path = tmp_path / "plan.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as connection:
        plan = " ".join(
            str(row[-1])
            for row in connection.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM complaints WHERE {column} IS NOT NULL"
                f" AND {column} >= ? AND {column} < ? ORDER BY {column}, id",
                (0, 1),
            )
        )
    connection.close()
    assert index in plan
    assert "TEMP B-TREE" not in plan  # no sort: the index gives the order
