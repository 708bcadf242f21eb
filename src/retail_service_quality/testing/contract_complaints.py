"""The storage contract for complaints, part of `StoreContract`.

Every store keeps complaints the same way: each with its whole event history
and the SLA policy in force when it was received, saved with optimistic
concurrency, nothing kept unless the unit of work commits, read-only units
refusing writes, queries in the order received (instants, not wall clocks)
then id, and `due` listing open complaints by the deadline of a target,
soonest first, recomputed from each complaint's history whenever it is saved.
`StoreContract` inherits these tests; an adapter that passes it passes them too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(ComplaintStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_complaints_due_lists_open_deadlines_soonest_first()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.customers import Customer
from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.service.complaints import (
    Complaint,
    ComplaintPriority,
    ComplaintState,
)
from retail_service_quality.service.interactions import Channel
from retail_service_quality.service.sla import SlaPolicy, SlaTarget, TargetKind
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import ComplaintQuery, Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import STORES, complaints

__all__ = ["ComplaintStoreContract"]

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
"""Monday to Friday, 09:00 to 18:00 in Hong Kong: the calendar of the policies below."""
POLICY = SlaPolicy(
    id="standard",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=2)),
        SlaTarget("resolution", business_time=timedelta(hours=9)),
    ],
)
"""Acknowledge within 2 business hours, resolve within 9 (one business day)."""
_SECRET = "Mrs Wong says the rice cooker sparked"  # personal: never in a message
_KINDS = (TargetKind.ACKNOWLEDGEMENT, TargetKind.RESOLUTION)

_COMPLAINT_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)


def hk(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in Hong Kong in the week of Monday 30 November 2026 (days past 30 are December).

    Examples:
        >>> hk(30, 9).isoformat(), hk(32, 9).isoformat()
        ('2026-11-30T09:00:00+08:00', '2026-12-02T09:00:00+08:00')
    """
    return datetime(2026, 11, 30, hour, minute, tzinfo=HK) + timedelta(days=day - 30)


_MONDAY = hk(30, 9)


def _received(
    record_id: str,
    at: datetime = _MONDAY,
    *,
    customer_id: str | None = None,
    store_id: str = "HK-CWB",
    channel: Channel | str = Channel.HOTLINE,
    category: str = "late_delivery",
    policy: SlaPolicy | None = POLICY,
) -> Complaint:
    return Complaint.receive(
        id=record_id,
        at=at,
        channel=channel,
        store_id=store_id,
        category=category,
        customer_id=customer_id,
        description=_SECRET,
        remedy_requested="refund",
        sla_policy=policy,
    )


def _investigating(complaint: Complaint, at: datetime) -> Complaint:
    """Acknowledged, assessed and under investigation, all at ``at``."""
    return (
        complaint.acknowledge(at=at).assess(at=at, severity=2, priority="normal").investigate(at=at)
    )


def _closed(complaint: Complaint, at: datetime) -> Complaint:
    """An investigated complaint answered, accepted and closed, all at ``at``."""
    return (
        complaint.respond(at=at, remedy="refund", amount_cents=1_000)
        .accept(at=at)
        .close(at=at, root_cause="carrier_delay", corrective_action="new_carrier")
    )


def _ids(found: Any) -> list[str]:
    return [complaint.id for complaint in found]


def _refused(error: type[Exception], action: Callable[[], object], *names: str) -> None:
    """``action`` raises ``error`` naming each of ``names``, and no personal value."""
    with pytest.raises(error) as raised:
        action()
    message = str(raised.value)
    assert _SECRET not in message
    for name in names:
        assert repr(name) in message, message


class ComplaintStoreContract(ContractBase):
    """The complaints' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(ComplaintStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_complaints_roll_back_unless_committed()
    """

    def _with_complaints(self, test: Callable[[Store], None], *records: Complaint) -> None:
        """Run ``test`` on a new store holding customers C-1 and C-2 and ``records``."""
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                uow.customers.add_many(
                    Customer(id=customer_id, name=_SECRET, created_at=hk(1, 9))
                    for customer_id in ("C-1", "C-2")
                )
                uow.complaints.add_many(records)
                uow.commit()
            test(store)
        finally:
            store.close()

    # ------------------------------------------------------------ round trips

    @_COMPLAINT_EXAMPLES
    @given(
        st.lists(
            complaints(customer_ids=st.none() | st.sampled_from(["C-1", "C-2"])),
            max_size=4,
            unique_by=lambda complaint: complaint.id,
        )
    )
    def test_complaints_round_trip_with_their_history_and_policy(
        self, records: list[Complaint]
    ) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                for record in records:
                    found = uow.complaints.get(record.id)
                    assert found == record
                    assert to_json(found) == to_json(record)
                    assert from_json(to_json(found), Complaint) == record
                    assert found.sla_policy == record.sla_policy
                    for stored, given_event in zip(found.events(), record.events(), strict=True):
                        assert stored.at.tzinfo == given_event.at.tzinfo
                        assert stored.at.utcoffset() == given_event.at.utcoffset()
                    for kind in _KINDS:
                        assert found.due_at(kind) == record.due_at(kind)
                assert uow.complaints.count() == len(records)
                assert _ids(uow.complaints.query()) == _ids(
                    sorted(records, key=lambda c: (instant_us(c.received_at), c.id))
                )

        self._with_complaints(check, *records)

    def test_a_policy_edited_later_moves_no_stored_complaint_deadline(self) -> None:
        def check(store: Store) -> None:
            # The policy is edited: a new version with a tighter resolution target.
            edited = attrs.evolve(
                POLICY,
                version=2,
                targets=[SlaTarget("resolution", business_time=timedelta(hours=1))],
            )
            assert edited.id == POLICY.id
            with store.unit_of_work() as uow:
                stored = uow.complaints.get("CMP-1")
                assert stored.sla_policy == POLICY
                assert stored.due_at("resolution") == hk(30, 18)
                assert stored.due_at("acknowledgement") == hk(30, 11)
                uow.complaints.add(_received("CMP-2", policy=edited))  # received after the edit
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert uow.complaints.get("CMP-1").sla_policy == POLICY
                assert _ids(uow.complaints.due("resolution")) == ["CMP-2", "CMP-1"]
                assert _ids(uow.complaints.due("acknowledgement")) == ["CMP-1"]

        self._with_complaints(check, _received("CMP-1"))

    # ------------------------------------------------------------ add, get, save

    def test_complaints_add_get_and_save_with_versions(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                read = uow.complaints.get("CMP-1")
                assert read.version == 1
                moved = uow.complaints.save(read.acknowledge(at=hk(30, 10)))
                assert moved.version == 2
                assert moved.state is ComplaintState.ACKNOWLEDGED
                _refused(
                    ConflictError,
                    lambda: uow.complaints.save(read.acknowledge(at=hk(30, 10))),
                    "CMP-1",
                )
                again = uow.complaints.save(
                    moved.assess(at=hk(30, 11), severity=3, priority="high")
                )
                assert again.version == 3
                _refused(ConflictError, lambda: uow.complaints.save(moved), "CMP-1")
                _refused(NotFoundError, lambda: uow.complaints.save(_received("CMP-9")), "CMP-9")
                _refused(NotFoundError, lambda: uow.complaints.get("CMP-9"), "CMP-9")
                _refused(ConflictError, lambda: uow.complaints.add(_received("CMP-1")), "CMP-1")
                _refused(
                    NotFoundError,
                    lambda: uow.complaints.add(_received("CMP-3", customer_id="C-404")),
                    "CMP-3",
                )
                uow.commit()
            with store.unit_of_work() as uow:
                stored = uow.complaints.get("CMP-1")
                assert stored == again
                assert stored.priority is ComplaintPriority.HIGH
                assert uow.complaints.get("CMP-2").customer_id == "C-1"

        self._with_complaints(check, _received("CMP-1"), _received("CMP-2", customer_id="C-1"))

    def test_two_clerks_never_overwrite_each_others_complaint_steps(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                first = uow.complaints.get("CMP-1")
            with store.unit_of_work() as uow:
                second = uow.complaints.get("CMP-1")
            with store.unit_of_work() as uow:
                uow.complaints.save(first.acknowledge(at=hk(30, 10), by="S-1"))
                uow.commit()
            with store.unit_of_work() as uow:
                _refused(
                    ConflictError,
                    lambda: uow.complaints.save(second.acknowledge(at=hk(30, 11), by="S-2")),
                    "CMP-1",
                )
            with store.unit_of_work() as uow:
                stored = uow.complaints.get("CMP-1")
                assert (stored.version, stored.acknowledgements[0].by) == (2, "S-1")

        self._with_complaints(check, _received("CMP-1"))

    def test_complaints_add_many_is_all_or_none(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                _refused(
                    ConflictError,
                    lambda: uow.complaints.add_many(
                        [_received("CMP-1"), _received("CMP-2"), _received("CMP-1")]
                    ),
                    "CMP-1",
                )
                _refused(
                    ConflictError,
                    lambda: uow.complaints.add_many([_received("CMP-3"), _received("CMP-0")]),
                    "CMP-0",
                )
                _refused(
                    NotFoundError,
                    lambda: uow.complaints.add_many(
                        [_received("CMP-4"), _received("CMP-5", customer_id="C-404")]
                    ),
                    "CMP-5",
                )
                assert _ids(uow.complaints.query()) == ["CMP-0"]
                made = (_received(f"CMP-{n}", customer_id="C-2") for n in range(1, 4))
                assert uow.complaints.add_many(made) == 3
                assert uow.complaints.add_many([]) == 0
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.complaints.count() == 4
                assert uow.complaints.count(ComplaintQuery(customer_id="C-2")) == 3

        self._with_complaints(check, _received("CMP-0"))

    # ------------------------------------------------------------ units of work

    def test_complaints_roll_back_unless_committed(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.complaints.add(_received("CMP-2"))
                uow.complaints.save(uow.complaints.get("CMP-1").acknowledge(at=hk(30, 10)))
                assert uow.complaints.count() == 2  # seen inside the unit
                assert _ids(uow.complaints.due("acknowledgement")) == ["CMP-2"]
            with store.unit_of_work() as uow:
                assert _ids(uow.complaints.query()) == ["CMP-1"]
                assert uow.complaints.get("CMP-1").version == 1
                assert _ids(uow.complaints.due("acknowledgement")) == ["CMP-1"]
                uow.complaints.add(_received("CMP-3"))
                uow.commit()
                uow.complaints.add(_received("CMP-4"))
                uow.rollback()
                assert _ids(uow.complaints.query()) == ["CMP-1", "CMP-3"]
                reading = uow.complaints.due("resolution")
                assert next(reading).id == "CMP-1"
                uow.rollback()
                with pytest.raises(StorageError):
                    next(reading)
            with pytest.raises(StorageError):
                uow.complaints.count()  # outside its block

        self._with_complaints(check, _received("CMP-1"))

    def test_read_only_units_refuse_complaint_writes(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                read = uow.complaints.get("CMP-1")
                writes: list[Callable[[], object]] = [
                    lambda: uow.complaints.add(_received("CMP-2")),
                    lambda: uow.complaints.add_many([_received("CMP-3")]),
                    lambda: uow.complaints.save(read.acknowledge(at=hk(30, 10))),
                ]
                for write in writes:
                    with pytest.raises(StorageError):
                        write()
                assert uow.complaints.count() == 1
                uow.commit()  # nothing to commit, and harmless
            with store.unit_of_work() as uow:
                assert uow.complaints.get("CMP-1") == read

        self._with_complaints(check, _received("CMP-1"))

    # ------------------------------------------------------------ queries

    def _complaint_sample(self) -> list[Complaint]:
        """Complaints of every store, channel, customer, category and state."""
        records: list[Complaint] = []
        for n in range(24):
            at = hk(30, 9) + timedelta(hours=7 * n)
            complaint = _received(
                f"CMP-{n:02d}",
                at,
                customer_id=(None, "C-1", "C-2")[n % 3],
                store_id=STORES[n % 4],
                channel=list(Channel)[n % 5],
                category=("billing", "faulty_item")[n % 2],
                policy=POLICY if n % 5 else None,
            )
            if n % 4 >= 1:
                complaint = complaint.acknowledge(at=at)
            if n % 4 >= 2:
                complaint = complaint.assess(
                    at=at, severity=1, priority="low", category="overcharge" if n % 8 == 2 else None
                ).investigate(at=at)
            if n % 4 == 3:
                complaint = _closed(complaint, at + timedelta(hours=1))
            records.append(complaint)
        # Received in the repeated London hour: 01:20 GMT (the second pass) is after 01:30 BST.
        records.append(_received("CMP-late", datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)))
        records.append(_received("CMP-early", datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)))
        # The same instant as CMP-early, written in UTC: ties go by id.
        same = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        records.append(_received("CMP-eq", same))
        return records

    def test_complaint_queries_filter_and_order_by_instant_received(self) -> None:
        records = self._complaint_sample()
        ordered = sorted(records, key=lambda c: (instant_us(c.received_at), c.id))
        london_start = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)

        def check(store: Store) -> None:
            cases = [
                ComplaintQuery(),
                ComplaintQuery(start=hk(31, 9)),
                ComplaintQuery(end=hk(31, 9)),
                ComplaintQuery(start=hk(30, 16), end=hk(33, 9)),
                ComplaintQuery(store_id="HK-TST"),
                ComplaintQuery(channel=Channel.EMAIL),
                ComplaintQuery(channel="hotline"),
                ComplaintQuery(customer_id="C-1"),
                ComplaintQuery(category="faulty_item"),
                ComplaintQuery(category="overcharge"),
                ComplaintQuery(state="investigating"),
                ComplaintQuery(state=ComplaintState.CLOSED),
                ComplaintQuery(open=True),
                ComplaintQuery(open=False),
                ComplaintQuery(open=True, customer_id="C-2", category="billing"),
                ComplaintQuery(store_id="HK-CWB", channel="hotline", open=True, start=hk(30, 9)),
                ComplaintQuery(state="received", open=False),
                ComplaintQuery(store_id="nowhere"),
                ComplaintQuery(start=london_start, end=hk(1, 0)),
                ComplaintQuery(end=london_start),
            ]
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.complaints.query())[:3] == ["CMP-early", "CMP-eq", "CMP-late"]
                assert uow.complaints.count(ComplaintQuery(start=london_start, end=hk(1, 0))) == 3
                assert uow.complaints.count(ComplaintQuery(end=london_start)) == 0
                for query in cases:
                    expected = [c.id for c in ordered if query.matches(c)]
                    found = uow.complaints.query(query)
                    assert iter(found) is found  # streamed, not a list
                    assert _ids(found) == expected, query
                    assert uow.complaints.count(query) == len(expected)
                for single in cases[4:14]:
                    assert uow.complaints.count(single) > 0  # the sample holds some of each

        self._with_complaints(check, *records)

    # ------------------------------------------------------------ due

    def _due_sample(self) -> list[Complaint]:
        """Complaints on `POLICY`, received on Monday 30 November 2026 in Hong Kong."""
        a = _received("CMP-A", hk(30, 9))  # nothing done: due at 11:00 and 18:00
        b = _received("CMP-B", hk(30, 10)).acknowledge(at=hk(30, 10, 30))  # resolve by Tue 10:00
        # Waiting on the customer since 10:00, with 8 of its 9 hours left: listed for neither.
        c = _investigating(_received("CMP-C", hk(30, 9)), hk(30, 9, 30)).wait_on_customer(
            at=hk(30, 10), reason="receipt photo"
        )
        # Late before its pause (Monday 18:00 passed): still listed, at its deadline.
        d = _investigating(_received("CMP-D", hk(30, 9)), hk(30, 9, 30)).wait_on_customer(
            at=hk(31, 12), reason="serial number"
        )
        e = _closed(_investigating(_received("CMP-E", hk(30, 9)), hk(30, 10)), hk(30, 11))
        # Closed at noon (3 hours used) and reopened on Wednesday: 6 hours left from 09:00.
        f = _closed(_investigating(_received("CMP-F", hk(30, 9)), hk(30, 10)), hk(30, 12)).reopen(
            at=hk(32, 9), reason="fault_recurred"
        )
        g = _received("CMP-G", hk(30, 17), store_id="HK-TST")  # due Tue 10:00 and Tue 17:00
        h = _received("CMP-H", hk(30, 9), policy=None)  # no policy: no deadline
        return [a, b, c, d, e, f, g, h]

    def test_complaints_due_lists_open_deadlines_soonest_first(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                resolution = list(uow.complaints.due("resolution"))
                assert [(c.id, c.due_at("resolution")) for c in resolution] == [
                    ("CMP-A", hk(30, 18)),
                    ("CMP-D", hk(30, 18)),  # the same deadline: by id
                    ("CMP-B", hk(31, 10)),
                    ("CMP-G", hk(31, 17)),
                    ("CMP-F", hk(32, 15)),
                ]
                assert [
                    (c.id, c.due_at("acknowledgement"))
                    for c in uow.complaints.due(TargetKind.ACKNOWLEDGEMENT)
                ] == [("CMP-A", hk(30, 11)), ("CMP-G", hk(31, 10))]
                # after is inclusive, before exclusive.
                assert _ids(uow.complaints.due(before=hk(30, 18))) == []
                assert _ids(uow.complaints.due(before=hk(31, 10))) == ["CMP-A", "CMP-D"]
                assert _ids(uow.complaints.due(after=hk(31, 10))) == ["CMP-B", "CMP-G", "CMP-F"]
                assert _ids(uow.complaints.due(after=hk(30, 18), before=hk(30, 18))) == []
                window = uow.complaints.due(after=hk(31, 9), before=hk(31, 17))
                assert _ids(window) == ["CMP-B"]
                # Breached at Tuesday noon, and what breaches in the next hour.
                noon = hk(31, 12).astimezone(LONDON)
                assert _ids(uow.complaints.due("resolution", before=noon)) == [
                    "CMP-A",
                    "CMP-D",
                    "CMP-B",
                ]
                assert (
                    _ids(
                        uow.complaints.due(
                            "acknowledgement",
                            after=hk(31, 9),
                            before=hk(31, 9) + timedelta(hours=1),
                        )
                    )
                    == []
                )
                in_tst = ComplaintQuery(store_id="HK-TST")
                assert _ids(uow.complaints.due("resolution", query=in_tst)) == ["CMP-G"]
                waiting = ComplaintQuery(state="waiting_on_customer")
                assert _ids(uow.complaints.due(query=waiting)) == ["CMP-D"]
                assert _ids(uow.complaints.due(query=ComplaintQuery(open=False))) == []
                early = ComplaintQuery(end=hk(30, 10))
                assert _ids(uow.complaints.due("acknowledgement", query=early)) == ["CMP-A"]

        self._with_complaints(check, *self._due_sample())

    def test_complaints_due_follows_each_saved_history(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                # CMP-A waits on the customer at 11:00 with 7 hours left: it leaves the list.
                a = _investigating(uow.complaints.get("CMP-A"), hk(30, 10, 30))
                a = uow.complaints.save(a.wait_on_customer(at=hk(30, 11), reason="photo"))
                assert _ids(uow.complaints.due()) == ["CMP-D", "CMP-B", "CMP-G", "CMP-F"]
                assert _ids(uow.complaints.due("acknowledgement")) == ["CMP-G"]
                # The customer replies on Tuesday at 09:00: 7 hours left, due at 16:00.
                a = uow.complaints.save(a.record_reply(at=hk(31, 9)))
                assert a.due_at("resolution") == hk(31, 16)
                assert _ids(uow.complaints.due(after=hk(31, 16), before=hk(31, 17))) == ["CMP-A"]
                # CMP-F closes again: it is no longer listed.
                f = uow.complaints.get("CMP-F")
                uow.complaints.save(_closed(f, hk(32, 10)))
                uow.commit()
            with store.unit_of_work() as uow:
                assert _ids(uow.complaints.due()) == ["CMP-D", "CMP-B", "CMP-A", "CMP-G"]
                # Reopening CMP-E (closed Monday 11:00, 2 hours used) lists it again:
                # reopened Thursday 17:00, its 7 hours left run to Friday 15:00.
                e = uow.complaints.get("CMP-E").reopen(at=hk(33, 17), reason="fault_recurred")
                assert e.due_at("resolution") == hk(34, 15)
                uow.complaints.save(e)
                assert _ids(uow.complaints.due(after=hk(33, 0))) == ["CMP-E"]
                # A stale save of CMP-E changes nothing, deadlines included.
                _refused(ConflictError, lambda: uow.complaints.save(e), "CMP-E")
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.complaints.due()) == ["CMP-D", "CMP-B", "CMP-A", "CMP-G", "CMP-E"]

        self._with_complaints(check, *self._due_sample())

    def test_complaints_due_agrees_with_each_deadline(self) -> None:
        records = self._due_sample() + self._complaint_sample()

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                for kind in _KINDS:
                    listed = [(c.due_at(kind), c.id) for c in records if c.due_at(kind)]
                    expected = [item[1] for item in sorted(listed, key=lambda i: (i[0], i[1]))]
                    assert _ids(uow.complaints.due(kind)) == expected
                    for complaint in uow.complaints.due(kind):
                        assert complaint.state is not ComplaintState.CLOSED

        self._with_complaints(check, *records)

    # ------------------------------------------------------------ writing while reading

    def test_writing_while_reading_yields_the_complaints_as_the_query_began(self) -> None:
        opened = [_received(f"CMP-{n:04d}", hk(30, 9) + timedelta(minutes=n)) for n in range(1_200)]

        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                seen = []
                for complaint in uow.complaints.query(ComplaintQuery(state="received")):
                    assert complaint.version == 1  # as it stood when the query began
                    seen.append(complaint.id)
                    uow.complaints.save(complaint.acknowledge(at=hk(35, 9)))
                    number = int(complaint.id[4:])
                    # Added before every other one in the query's order, and not yielded.
                    uow.complaints.add(_received(f"CMP-{number:04d}x", hk(29, 9)))
                assert seen == [c.id for c in opened]
                assert uow.complaints.count(ComplaintQuery(state="acknowledged")) == 1_200
                due = []
                for complaint in uow.complaints.due(
                    "resolution", query=ComplaintQuery(state="acknowledged")
                ):
                    due.append(complaint.id)
                    assert complaint.state is ComplaintState.ACKNOWLEDGED
                    # Closing takes it out of the list; it was listed when the reading began.
                    closing = _closed(_investigating_after_ack(complaint, hk(35, 10)), hk(35, 10))
                    uow.complaints.save(closing)
                    # Acknowledged, due before every other one, and not yielded.
                    added = _received(f"{complaint.id}y", hk(28, 9)).acknowledge(at=hk(28, 9))
                    uow.complaints.add(added)
                assert due == [c.id for c in opened]
                assert uow.complaints.count(ComplaintQuery(open=False)) == 1_200
                assert uow.complaints.count() == 3_600
                reading = uow.complaints.due("acknowledgement")
                uow.complaints.add(_received("CMP-new", hk(27, 9)))
                assert len(list(reading)) == 1_200  # the CMP-...x ones
                uow.commit()

        self._with_complaints(check, *opened)

    # ------------------------------------------------------------ bad arguments

    def test_bad_complaint_arguments_are_validation_errors_with_paths(self) -> None:
        def check(store: Store) -> None:
            naive = datetime(2026, 11, 30, 9)  # noqa: DTZ001 - wrong on purpose
            with store.unit_of_work() as uow:
                with pytest.raises(ValidationError) as error:
                    uow.complaints.due(
                        "soon",
                        after=naive,
                        before=42,  # type: ignore[arg-type]
                        query="open",  # type: ignore[arg-type]
                    )
                assert [p.path for p in error.value.problems] == [
                    "$.kind",
                    "$.after",
                    "$.before",
                    "$.query",
                ]
                with pytest.raises(ValidationError) as error:
                    uow.complaints.due(after=hk(31, 9), before=hk(30, 9))
                assert [p.path for p in error.value.problems] == ["$.before"]
                with pytest.raises(ValidationError) as error:
                    uow.complaints.due(7)  # type: ignore[arg-type]
                assert [p.path for p in error.value.problems] == ["$.kind"]
                with pytest.raises(ValidationError) as error:
                    ComplaintQuery(
                        start=naive,
                        channel="pigeon",
                        customer_id="\ud800",
                        category=3,  # type: ignore[arg-type]
                        state="lost",
                        open="yes",  # type: ignore[arg-type]
                    )
                assert [p.path for p in error.value.problems] == [
                    "$.start",
                    "$.channel",
                    "$.customer_id",
                    "$.category",
                    "$.state",
                    "$.open",
                ]
                with pytest.raises(ValidationError) as error:
                    ComplaintQuery(start=hk(31, 9), end=hk(30, 9))
                assert [p.path for p in error.value.problems] == ["$.end"]
                with pytest.raises(ValidationError) as error:
                    Complaint.receive(
                        id="CMP-\ud800",
                        at=naive,
                        channel="hotline",
                        store_id="HK-1",
                        category="billing",
                        description="\udfff",
                    )
                paths = {p.path for p in error.value.problems}
                assert {"$.reference", "$.at", "$.description"} <= paths
                bad: list[Callable[[], object]] = [
                    lambda: uow.complaints.get(42),  # type: ignore[arg-type]
                    lambda: uow.complaints.add("CMP-1"),  # type: ignore[arg-type]
                    lambda: uow.complaints.add_many([_received("CMP-2"), None]),  # type: ignore[list-item]
                    lambda: uow.complaints.add_many(7),  # type: ignore[arg-type]
                    lambda: uow.complaints.save({"id": "CMP-1"}),  # type: ignore[arg-type]
                    lambda: uow.complaints.query(ComplaintQuery),  # type: ignore[arg-type]
                    lambda: uow.complaints.count("open"),  # type: ignore[arg-type]
                ]
                for action in bad:
                    with pytest.raises(ValidationError) as error:
                        action()
                    assert error.value.problems, action
                    assert all(p.path.startswith("$") for p in error.value.problems)
                # An id no record can have is simply not found, never a driver's error.
                _refused(NotFoundError, lambda: uow.complaints.get("\ud800"))
                _refused(NotFoundError, lambda: uow.complaints.save(_received("CMP-\u00e9")))
                assert _ids(uow.complaints.query()) == ["CMP-1"]

        self._with_complaints(check, _received("CMP-1"))


def _investigating_after_ack(complaint: Complaint, at: datetime) -> Complaint:
    """An acknowledged complaint assessed and under investigation at ``at``."""
    return complaint.assess(at=at, severity=1, priority="low").investigate(at=at)
