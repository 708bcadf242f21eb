"""The storage contract for pledge attainment: every store measures a pledge the same way.

`pledge_attainment` reads a store through two port methods:
`AnswerTimeRepository.answer_counts` (calls counted against an answer time
per local day, store, channel and tier) and
`ComplaintTimingRepository.timings` (each complaint's keys and instants,
its whole history where it stops the clock). A store answers them however
it likes (SQL, one pass in memory) but the attainment must come out as the
cases themselves say: these tests check it by hand and against random
populations, measured case by case with `ServicePledge.in_force` and
`complaint_sla`, on the store a subclass makes.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(AttainmentContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_nothing_measured_is_no_rows()
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.customers import Customer
from retail_service_quality.quality.attainment import AttainmentRow, pledge_attainment
from retail_service_quality.quality.pledges import (
    PledgeMeasure,
    PledgeScope,
    PledgeStandard,
    ServicePledge,
)
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.interactions import Channel, ServiceInteraction
from retail_service_quality.service.sla import (
    SlaPolicy,
    SlaState,
    SlaTarget,
    TargetKind,
    complaint_sla,
)
from retail_service_quality.storage.ports.interactions import SHORT_ABANDON
from retail_service_quality.testing._contract_base import ContractBase

__all__ = ["AttainmentContract", "expected_attainment"]

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
_JAN = datetime(2026, 1, 1, tzinfo=UTC)
_SECRET = "Mrs Wong of Flat 3A, 9123 4567"  # personal: in no row
_UNITS = {"S1": "north", "S2": "north", "S3": "south"}
_DESK = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London")
_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)

Counts = dict[tuple[Any, ...], list[int]]


def _key(
    group_by: Sequence[str], store: str, channel: Channel, units: Mapping[str, str], month: date
) -> tuple[Any, ...]:
    return (
        store if "store" in group_by else None,
        channel if "channel" in group_by else None,
        units.get(store) if "business_unit" in group_by else None,
        month if "month" in group_by else None,
    )


def _covers(scope: PledgeScope, store: str, channel: Channel, tier: str | None, units: Any) -> bool:
    return (
        (not scope.channels or channel in scope.channels)
        and (not scope.store_ids or store in scope.store_ids)
        and (not scope.business_units or units.get(store) in scope.business_units)
        and (not scope.tiers or tier in scope.tiers)
    )


def expected_attainment(
    pledge: ServicePledge,
    *,
    calls: Iterable[ServiceInteraction] = (),
    complaints: Iterable[Complaint] = (),
    tiers: Mapping[str, str] | None = None,
    start: datetime,
    end: datetime,
    now: datetime,
    group_by: Sequence[str] = (),
    business_units: Mapping[str, str] | None = None,
    timezone: str = "UTC",
) -> Counts:
    """Attainment counts measured case by case, the slow and obvious way: per group key
    (store, channel, business unit, month), ``[met, not_met, pending, excluded]``.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import PledgeStandard, ServicePledge
        >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> pledge = ServicePledge.create(id="p", effective_from=at,
        ...     wording="Every call answered within 30 seconds.",
        ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)))
        >>> call = ServiceInteraction(id="I-1", store_id="S1", channel="hotline",
        ...     occurred_at=at, queue_time=timedelta(seconds=10))
        >>> expected_attainment(pledge, calls=[call], start=at, end=at + timedelta(1),
        ...     now=at + timedelta(1))
        {(None, None, None, None): [1, 0, 0, 0]}
    """
    tiers = tiers or {}
    units = business_units or {}
    zone = ZoneInfo(timezone)
    low, high = start.astimezone(UTC), min(end.astimezone(UTC), now.astimezone(UTC))
    found: Counts = {}

    def count(store: str, channel: Channel, at: datetime, outcome: int) -> None:
        local = at.astimezone(zone).date().replace(day=1)
        key = _key(group_by, store, channel, units, local)
        found.setdefault(key, [0, 0, 0, 0])[outcome] += 1

    for call in calls:
        at = call.occurred_at.astimezone(UTC)
        version = pledge.in_force(at) if low <= at < high else None
        if version is None or version.standard.measure is not PledgeMeasure.ANSWER_TIME:
            continue
        channels = version.scope.channels or (Channel.HOTLINE,)
        tier = tiers.get(call.customer_id) if call.customer_id else None
        if (
            call.direction.value != "inbound"
            or call.channel not in channels
            or not _covers(version.scope, call.store_id, call.channel, tier, units)
        ):
            continue
        queue = call.queue_time
        within = version.standard.within
        assert within is not None
        if call.abandoned:
            outcome = 3 if queue is not None and queue < SHORT_ABANDON else 1
        elif queue is None:
            outcome = 3
        else:
            outcome = 0 if queue <= within else 1
        count(call.store_id, call.channel, at, outcome)
    for complaint in complaints:
        at = complaint.received_at.astimezone(UTC)
        version = pledge.in_force(at) if low <= at < high else None
        if version is None or version.standard.measure is PledgeMeasure.ANSWER_TIME:
            continue
        tier = tiers.get(complaint.customer_id) if complaint.customer_id else None
        if not _covers(version.scope, complaint.store_id, complaint.channel, tier, units):
            continue
        kind = TargetKind(version.standard.measure.value)
        assert version.calendar is not None
        policy = SlaPolicy(
            id="pledge",
            calendar=version.calendar,
            targets=[
                SlaTarget(
                    kind,
                    business_time=version.standard.within,
                    working_days=version.standard.working_days,
                )
            ],
        )
        state = complaint_sla(policy, complaint, kind, now=now).state
        outcome = {SlaState.MET: 0, SlaState.MET_LATE: 1, SlaState.BREACHED: 1}.get(state, 2)
        count(complaint.store_id, complaint.channel, at, outcome)
    return found


def _counts(rows: Iterable[AttainmentRow]) -> Counts:
    return {
        (row.store_id, row.channel, row.business_unit, row.month): [
            row.met,
            row.not_met,
            row.pending,
            row.excluded,
        ]
        for row in rows
    }


def _call(
    id: str,
    at: datetime,
    queue: int | None,
    *,
    store: str = "S1",
    channel: str = "hotline",
    abandoned: bool = False,
    customer: str | None = None,
    direction: str = "inbound",
) -> ServiceInteraction:
    return ServiceInteraction(
        id=id, store_id=store, channel=channel, occurred_at=at, customer_id=customer,
        queue_time=None if queue is None else timedelta(seconds=queue), abandoned=abandoned,
        direction=direction,
    )  # fmt: skip


def _hotline(target: float | None = 0.9, **scope: Any) -> ServicePledge:
    return ServicePledge.create(
        id="hotline",
        effective_from=_JAN,
        wording="We answer 90% of hotline calls within 30 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        target_share=target,
        scope=PledgeScope(**scope),
    )


def _complaint_pledge(measure: str, **standard: Any) -> ServicePledge:
    return ServicePledge.create(
        id=measure,
        effective_from=_JAN,
        wording="We answer every complaint in good time.",
        standard=PledgeStandard(measure, **standard),
        calendar=_DESK,
    )


_STORES = st.sampled_from(["S1", "S2", "S3"])
_EDGES = st.sampled_from([0, 4, 5, 14, 15, 16, 29, 30, 31])  # either side of each threshold
_CHANNELS = st.sampled_from(["hotline", "hotline", "email", "online"])
_CUSTOMERS = st.sampled_from([None, "C-gold", "C-std"])
_TIERS = {"C-gold": "gold", "C-std": "standard"}
_INSTANTS = st.sampled_from(
    [
        datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the last second of GMT in London
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 02:00 BST
        datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # April in London, March in UTC
        datetime(2026, 3, 31, 18, 45, tzinfo=UTC),  # April in Kolkata
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),  # the first (BST) pass
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),  # the second (GMT) pass
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        datetime(2026, 6, 15, 12, tzinfo=KOLKATA),
    ]
)


@st.composite
def _calls(draw: Callable[[Any], Any]) -> list[ServiceInteraction]:
    found = []
    for number in range(draw(st.integers(0, 15))):
        at = draw(_INSTANTS) + timedelta(minutes=draw(st.integers(-90, 90)))
        customer = draw(_CUSTOMERS)
        found.append(
            _call(
                f"I-{number:02d}",
                at,
                draw(st.none() | _EDGES | st.integers(0, 60)),
                store=draw(_STORES),
                channel=draw(_CHANNELS),
                abandoned=draw(st.booleans()),
                customer=customer,
                direction="outbound" if customer and draw(st.booleans()) else "inbound",
            )
        )
    return found


@st.composite
def _complaints(draw: Callable[[Any], Any]) -> list[Complaint]:
    found = []
    for number in range(draw(st.integers(0, 10))):
        at = draw(_INSTANTS) + timedelta(hours=draw(st.integers(-30, 30)))

        def later(at: datetime) -> datetime:
            return at + timedelta(hours=draw(st.integers(0, 40)))

        complaint = Complaint.receive(
            id=f"CMP-{number:02d}", at=at, channel=draw(_CHANNELS), store_id=draw(_STORES),
            category="billing", customer_id=draw(_CUSTOMERS), description=_SECRET,
        )  # fmt: skip
        steps = draw(st.integers(0, 4))
        if steps >= 1:
            at = later(at)
            complaint = complaint.acknowledge(at=at).assess(at=at, severity=1, priority="low")
            complaint = complaint.investigate(at=at)
        if steps >= 2 and draw(st.booleans()):
            at = later(at)
            complaint = complaint.wait_on_customer(at=at, reason="photo")
            if draw(st.booleans()):
                at = later(at)
                complaint = complaint.record_reply(at=at)
        if steps >= 3 and complaint.state.value != "waiting_on_customer":
            at = later(at)
            complaint = complaint.respond(at=at, remedy="apology").accept(at=at)
            complaint = complaint.close(at=at, root_cause="typo", corrective_action="fixed")
            if steps >= 4:
                at = later(at)
                complaint = complaint.reopen(at=at, reason="recurred")
        found.append(complaint)
    return found


_GROUPINGS = st.lists(
    st.sampled_from(["store", "channel", "business_unit", "month"]), unique=True, max_size=3
)
_SCOPES = st.sampled_from(
    [
        {},
        {"store_ids": ["S1", "S3"]},
        {"business_units": ["north"]},
        {"tiers": ["gold"]},
        {"channels": ["hotline", "online"]},
    ]
)
_ZONES = st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata", "Australia/Adelaide"])


class AttainmentContract(ContractBase):
    """The pledge-attainment behaviour every store must show. Subclass it and implement
    `make_store`.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(AttainmentContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_versions_measure_the_cases_they_covered()
    """

    def _measured(
        self,
        pledge: ServicePledge,
        *,
        calls: Sequence[ServiceInteraction] = (),
        complaints: Sequence[Complaint] = (),
        **arguments: Any,
    ) -> list[AttainmentRow]:
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                for id, tier in _TIERS.items():
                    uow.customers.add(Customer(id=id, name=_SECRET, tier=tier, created_at=_JAN))
                uow.interactions.add_many(calls)
                uow.complaints.add_many(complaints)
                uow.commit()
            return list(pledge_attainment(store, pledge, **arguments))
        finally:
            store.close()

    def test_nothing_measured_is_no_rows(self) -> None:
        rows = self._measured(
            _hotline(), start=_JAN, end=_JAN + timedelta(days=365), now=_JAN, group_by=["store"]
        )
        assert rows == []

    def test_answer_time_counts_by_hand(self) -> None:
        at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        calls = [
            _call("A", at, 10),  # met
            _call("B", at, 30),  # met: at the threshold
            _call("C", at, 31),  # late
            _call("D", at, 40, abandoned=True),  # abandoned: not met
            _call("E", at, 4, abandoned=True),  # a short abandon: left out
            _call("F", at, None, abandoned=True),  # abandoned, no queue time: not met
            _call("G", at, None),  # answered, unmeasured: left out
            _call("H", at, 5, channel="email"),  # not a hotline call
            _call("I", at, 5, direction="outbound", customer="C-std"),  # not offered
            _call("J", at + timedelta(days=40), 5),  # after the period
            _call("K", at, 5, store="S2"),  # met, another store
        ]
        rows = self._measured(
            _hotline(),
            calls=calls,
            start=datetime(2026, 3, 1, tzinfo=UTC),
            end=datetime(2026, 4, 1, tzinfo=UTC),
            now=datetime(2026, 6, 1, tzinfo=UTC),
            group_by=["store"],
            min_n=2,
        )
        assert [(r.store_id, r.n, r.met, r.not_met, r.excluded) for r in rows] == [
            ("S1", 5, 2, 3, 2),
            ("S2", 1, 1, 0, 0),
        ]
        assert rows[0].share == 0.4
        assert rows[0].status.value == "not_met"
        assert rows[1].status.value == "not_enough_data"

    def test_versions_measure_the_cases_they_covered(self) -> None:
        raised = _hotline().revise(
            effective_from=datetime(2026, 3, 16, tzinfo=UTC),
            wording="We answer 80% of calls within 20 seconds.",
            standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
            target_share=0.8,
        )
        calls = [
            _call("A", datetime(2026, 3, 10, tzinfo=UTC), 25),  # met under 30 s
            _call("B", datetime(2026, 3, 20, tzinfo=UTC), 25),  # late under 20 s
            _call("C", datetime(2026, 3, 20, tzinfo=UTC), 15),  # met under 20 s
            _call("D", datetime(2026, 3, 15, 23, 59, tzinfo=UTC), 25),  # the old version
        ]
        [row] = self._measured(
            raised,
            calls=calls,
            start=datetime(2026, 3, 1, tzinfo=UTC),
            end=datetime(2026, 4, 1, tzinfo=UTC),
            now=datetime(2026, 4, 1, tzinfo=UTC),
            min_n=1,
        )
        assert (row.n, row.met, row.not_met) == (4, 3, 1)
        assert math.isclose(row.target, 0.85)

    def test_cases_after_now_or_before_the_pledge_are_not_counted(self) -> None:
        calls = [
            _call("A", datetime(2025, 12, 31, 23, 59, tzinfo=UTC), 5),  # before the pledge
            _call("B", datetime(2026, 1, 5, tzinfo=UTC), 5),
            _call("C", datetime(2026, 1, 20, tzinfo=UTC), 5),  # after now
        ]
        [row] = self._measured(
            _hotline(),
            calls=calls,
            start=datetime(2025, 12, 1, tzinfo=UTC),
            end=datetime(2026, 2, 1, tzinfo=UTC),
            now=datetime(2026, 1, 10, tzinfo=UTC),
        )
        assert (row.n, row.met) == (1, 1)

    def test_scope_by_store_unit_and_tier(self) -> None:
        at = datetime(2026, 5, 4, 9, tzinfo=UTC)
        calls = [
            _call("A", at, 5, store="S1", customer="C-gold"),
            _call("B", at, 50, store="S2", customer="C-std"),
            _call("C", at, 50, store="S3", customer="C-gold"),
            _call("D", at, 5, store="S4"),  # in no unit, anonymous
        ]
        period: dict[str, Any] = {
            "start": datetime(2026, 5, 1, tzinfo=UTC),
            "end": datetime(2026, 6, 1, tzinfo=UTC),
            "now": datetime(2026, 6, 1, tzinfo=UTC),
            "business_units": _UNITS,
            "min_n": 1,
        }
        by_unit = self._measured(
            _hotline(business_units=["north"]), calls=calls, group_by=["business_unit"], **period
        )
        assert [(r.business_unit, r.n, r.met) for r in by_unit] == [("north", 2, 1)]
        by_tier = self._measured(_hotline(tiers=["gold"]), calls=calls, **period)
        assert [(r.n, r.met) for r in by_tier] == [(2, 1)]
        by_store = self._measured(
            _hotline(store_ids=["S3", "S4"]), calls=calls, group_by=["store"], **period
        )
        assert [(r.store_id, r.n) for r in by_store] == [("S3", 1), ("S4", 1)]

    def test_months_are_local_across_dst_and_in_a_half_hour_zone(self) -> None:
        calls = [
            _call("A", datetime(2026, 3, 31, 23, 30, tzinfo=UTC), 5),  # 1 April 00:30 BST
            _call("B", datetime(2026, 10, 31, 23, 30, tzinfo=UTC), 5),  # 31 October, GMT
            _call("C", datetime(2026, 10, 25, 1, 30, tzinfo=LONDON), 5),
            _call("D", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON), 50),
            _call("E", datetime(2026, 3, 31, 18, 45, tzinfo=UTC), 5),  # April in Kolkata
        ]
        period: dict[str, Any] = {
            "start": _JAN,
            "end": datetime(2027, 1, 1, tzinfo=UTC),
            "now": datetime(2027, 1, 1, tzinfo=UTC),
            "group_by": ["month"],
            "min_n": 1,
        }
        london = self._measured(_hotline(), calls=calls, timezone="Europe/London", **period)
        assert [(r.month, r.n, r.met) for r in london] == [
            (date(2026, 3, 1), 1, 1),
            (date(2026, 4, 1), 1, 1),
            (date(2026, 10, 1), 3, 2),
        ]
        kolkata = self._measured(_hotline(), calls=calls, timezone="Asia/Kolkata", **period)
        assert [(r.month, r.n) for r in kolkata] == [
            (date(2026, 4, 1), 2),
            (date(2026, 10, 1), 2),
            (date(2026, 11, 1), 1),
        ]

    def test_open_complaints_are_pending_until_late(self) -> None:
        monday = datetime(2026, 3, 2, 10, tzinfo=LONDON)
        complaints = [
            Complaint.receive(id=f"C-{n}", at=monday, channel="email", store_id="S1",
                              category="billing")
            for n in range(3)
        ]  # fmt: skip
        complaints[0] = complaints[0].acknowledge(at=monday + timedelta(hours=2))  # met
        complaints[1] = complaints[1].acknowledge(at=monday + timedelta(days=3))  # met late
        pledge = _complaint_pledge("acknowledgement", working_days=1)
        period: dict[str, Any] = {"start": monday, "end": monday + timedelta(days=1), "min_n": 1}
        # Tuesday 16:00: the deadline (Tuesday 17:00) has not passed.
        early = self._measured(
            pledge, complaints=complaints, now=monday + timedelta(hours=30), **period
        )
        assert [(r.met, r.not_met, r.pending) for r in early] == [(1, 0, 2)]
        # Thursday: the third is open past its deadline, the second was acknowledged late.
        late = self._measured(
            pledge, complaints=complaints, now=monday + timedelta(days=4), **period
        )
        assert [(r.met, r.not_met, r.pending) for r in late] == [(1, 2, 0)]

    def test_a_reopened_complaint_is_measured_as_its_clock_runs(self) -> None:
        monday = datetime(2026, 3, 2, 9, tzinfo=LONDON)
        closed = (
            Complaint.receive(id="C-1", at=monday, channel="email", store_id="S1",
                              category="billing")
            .acknowledge(at=monday).assess(at=monday, severity=1, priority="low")
            .investigate(at=monday).respond(at=monday + timedelta(hours=2), remedy="apology")
            .accept(at=monday + timedelta(hours=2))
            .close(at=monday + timedelta(hours=2), root_cause="typo", corrective_action="fixed")
        )  # fmt: skip
        reopened = closed.reopen(at=monday + timedelta(days=7), reason="recurred")
        pledge = _complaint_pledge("resolution", within=timedelta(hours=8))
        period: dict[str, Any] = {"start": monday, "end": monday + timedelta(days=1), "min_n": 1}
        # Two business hours used before the closure; the closed week does not count.
        [pending] = self._measured(
            pledge, complaints=[reopened], now=monday + timedelta(days=7, hours=3), **period
        )
        assert (pending.met, pending.not_met, pending.pending) == (0, 0, 1)
        [late] = self._measured(
            pledge, complaints=[reopened], now=monday + timedelta(days=7, hours=8), **period
        )
        assert (late.met, late.not_met, late.pending) == (0, 1, 0)

    @_EXAMPLES
    @given(
        calls=_calls(),
        scope=_SCOPES,
        group_by=_GROUPINGS,
        zone=_ZONES,
        revised=st.booleans(),
    )
    def test_answer_time_agrees_with_the_calls(
        self,
        calls: list[ServiceInteraction],
        scope: dict[str, Any],
        group_by: list[str],
        zone: str,
        revised: bool,
    ) -> None:
        pledge = _hotline(**scope)
        if revised:
            pledge = pledge.revise(
                effective_from=datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON),
                wording="We answer 90% of calls within 15 seconds.",
                standard=PledgeStandard("answer_time", within=timedelta(seconds=15)),
                scope=PledgeScope(),
            )
        period: dict[str, Any] = {
            "start": datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
            "end": datetime(2026, 10, 31, 23, 45, tzinfo=UTC),
            "now": datetime(2026, 12, 1, tzinfo=UTC),
            "group_by": group_by,
            "business_units": _UNITS,
        }
        rows = self._measured(pledge, calls=calls, timezone=zone, **period)
        expected = expected_attainment(pledge, calls=calls, tiers=_TIERS, timezone=zone, **period)
        assert _counts(rows) == expected
        assert [(r.store_id or "", r.channel or "", r.business_unit or "") for r in rows] == sorted(
            (r.store_id or "", r.channel or "", r.business_unit or "") for r in rows
        )

    @_EXAMPLES
    @given(
        complaints=_complaints(),
        scope=_SCOPES,
        group_by=_GROUPINGS,
        measure=st.sampled_from(["acknowledgement", "resolution"]),
        hours=st.integers(1, 30),
        now_hours=st.integers(0, 400),
    )
    def test_complaints_agree_with_their_sla_clocks(
        self,
        complaints: list[Complaint],
        scope: dict[str, Any],
        group_by: list[str],
        measure: str,
        hours: int,
        now_hours: int,
    ) -> None:
        pledge = ServicePledge.create(
            id="complaints",
            effective_from=_JAN,
            wording="We deal with every complaint in good time.",
            standard=PledgeStandard(measure, within=timedelta(hours=hours)),
            target_share=0.95,
            scope=PledgeScope(**scope),
            calendar=_DESK,
        ).revise(
            effective_from=datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
            wording="We deal with 95% of complaints within 2 working days.",
            standard=PledgeStandard(measure, working_days=2),
        )
        period: dict[str, Any] = {
            "start": datetime(2026, 3, 28, tzinfo=UTC),
            "end": datetime(2026, 11, 2, tzinfo=UTC),
            "now": datetime(2026, 3, 28, tzinfo=UTC) + timedelta(hours=now_hours * 20),
            "group_by": group_by,
            "business_units": _UNITS,
        }
        rows = self._measured(pledge, complaints=complaints, timezone="Europe/London", **period)
        expected = expected_attainment(
            pledge, complaints=complaints, tiers=_TIERS, timezone="Europe/London", **period
        )
        assert _counts(rows) == expected
        assert _SECRET not in repr(rows)

    def test_the_ends_of_the_supported_range(self) -> None:
        first, last = MIN_INSTANT, MAX_INSTANT
        calls = [
            _call("A", first, 5),
            _call("B", first + timedelta(hours=12), 50),
            _call("C", last - timedelta(hours=1), 5),
        ]
        pledge = ServicePledge.create(
            id="always",
            effective_from=first,
            wording="We answer 90% of hotline calls within 30 seconds.",
            standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
            target_share=0.9,
        )
        for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
            rows = self._measured(
                pledge, calls=calls, start=first, end=last, now=last, group_by=["month"],
                timezone=zone, min_n=1,
            )  # fmt: skip
            assert sum(row.n for row in rows) == 3
            assert sum(row.met for row in rows) == 2
        complaints = [
            Complaint.receive(id="C-1", at=last - timedelta(hours=1), channel="email",
                              store_id="S1", category="billing")
        ]  # fmt: skip
        late = _complaint_pledge("resolution", working_days=5).revise(
            effective_from=datetime(9999, 1, 1, tzinfo=UTC)
        )
        [row] = self._measured(late, complaints=complaints, start=first, end=last, now=last)
        assert (row.n, row.pending, row.excluded) == (0, 0, 1)
        assert row.share is None
        assert row.status.value == "not_enough_data"
