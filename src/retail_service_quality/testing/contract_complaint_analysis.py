"""The storage contract for complaint analysis: every store counts complaints the same way.

`ComplaintRepository.summarize` and `ComplaintRepository.resolution_times`
are what the analysis functions (`complaint_counts`, `cause_pareto`,
`repeat_rate`, `remedy_match`, `remedy_table`, `resolution_times`) read.
A store answers them however it likes (SQL over derived columns, one pass
in memory) but must give the same rows, in the same order, with the same
numbers as the complaints themselves say. These tests check that, by hand
and against random populations of complaints, on the store a subclass makes.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(ComplaintAnalysisContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_summarize_of_nothing_is_no_rows()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.customers import Customer
from retail_service_quality.errors import ValidationError
from retail_service_quality.service.complaints import Complaint, ComplaintState
from retail_service_quality.service.sla import SlaPolicy, SlaTarget
from retail_service_quality.storage.ports import ComplaintQuery
from retail_service_quality.storage.ports.complaints import (
    COMPLAINT_GROUP_BY,
    ComplaintGroupBy,
    ComplaintSummary,
)
from retail_service_quality.testing._contract_base import ContractBase

__all__ = ["ComplaintAnalysisContract", "analysed_complaint", "expected_summary"]

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
_AT = datetime(2026, 11, 30, 9, tzinfo=HONG_KONG)
_SECRET = "Mrs Wong of Flat 3A, 9123 4567, says the fridge leaked"  # personal: in no row
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CALENDARS = (
    BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong"),
    BusinessCalendar.weekdays("09:30", "18:00", timezone="Asia/Kolkata"),
    BusinessCalendar("Australia/Adelaide", {day: [("08:30", "17:00")] for day in _DAYS[:6]}),
    BusinessCalendar("Europe/London", {day: [("00:00", "24:00")] for day in _DAYS}),
)
_POLICIES = tuple(
    SlaPolicy(
        id=f"policy-{number}",
        calendar=calendar,
        targets=[SlaTarget("resolution", business_time=timedelta(hours=40))],
    )
    for number, calendar in enumerate(_CALENDARS)
)
_EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)


def _later(at: datetime, elapsed: timedelta) -> datetime:
    """``elapsed`` after ``at`` as an instant, read in ``at``'s zone (across a DST change too)."""
    return (at.astimezone(UTC) + elapsed).astimezone(at.tzinfo)


def analysed_complaint(
    id: str,
    *,
    at: datetime = _AT,
    channel: str = "email",
    store_id: str = "HK-1",
    category: str = "billing",
    remedy_requested: str | None = None,
    offered: str | None = None,
    root_cause: str | None = None,
    reopened: bool = False,
    repeat_of: str | None = None,
    policy: SlaPolicy | None = None,
    took: timedelta = timedelta(hours=1),
    customer_id: str | None = None,
) -> Complaint:
    """A complaint as far as analysis looks: received, offered ``offered``, closed with
    ``root_cause`` ``took`` after receipt (and reopened a minute later), when given.

    A complaint closed without an ``offered`` remedy was offered an apology.

    Examples:
        >>> complaint = analysed_complaint("CMP-1", root_cause="typo")
        >>> complaint.state.value, complaint.remedy_offered.value, complaint.root_cause
        ('closed', 'apology', 'typo')
    """
    complaint = Complaint.receive(
        id=id, at=at, channel=channel, store_id=store_id, category=category,
        customer_id=customer_id, description=_SECRET, remedy_requested=remedy_requested,
        repeat_of=repeat_of, sla_policy=policy,
    )  # fmt: skip
    complaint = complaint.acknowledge(at=at).assess(at=at, severity=2, priority="normal")
    complaint = complaint.investigate(at=at)
    if offered is None and root_cause is None:
        return complaint
    complaint = complaint.respond(at=at, remedy=offered or "apology")
    if root_cause is None:
        return complaint
    done = _later(at, took)
    complaint = complaint.accept(at=done).close(
        at=done, root_cause=root_cause, corrective_action="reviewed"
    )
    if reopened:
        complaint = complaint.reopen(at=_later(done, timedelta(minutes=1)), reason="recurred")
    return complaint


def _key(complaint: Complaint, by: str) -> str | None:
    if by == "category":
        return complaint.category
    if by == "channel":
        return complaint.channel.value
    if by == "store":
        return complaint.store_id
    if by == "root_cause":
        return complaint.root_cause
    remedy = complaint.remedy_requested if by == "remedy_requested" else complaint.remedy_offered
    return None if remedy is None else remedy.value


def expected_summary(
    complaints: Iterable[Complaint],
    group_by: Sequence[str] = (),
    query: ComplaintQuery | None = None,
) -> list[tuple[tuple[str | None, ...], int, int, int]]:
    """What `ComplaintRepository.summarize` must answer, read from the complaints themselves:
    each group's six keys (in `ComplaintSummary` order, ``None`` where not grouped) and its
    count, closed count and repeat count, ordered by keys, ``None`` first.

    Examples:
        >>> expected_summary([analysed_complaint("CMP-1")], ["category"])
        [(('billing', None, None, None, None, None), 1, 0, 0)]
    """
    groups: dict[tuple[str | None, ...], list[int]] = {}
    for complaint in complaints:
        if query is not None and not query.matches(complaint):
            continue
        key = tuple(_key(complaint, by) if by in group_by else None for by in COMPLAINT_GROUP_BY)
        totals = groups.setdefault(key, [0, 0, 0])
        totals[0] += 1
        totals[1] += int(complaint.state is ComplaintState.CLOSED)
        totals[2] += int(complaint.repeat_of is not None)
    return sorted(
        ((key, *totals) for key, totals in groups.items()),  # type: ignore[misc]
        key=lambda row: [(0, "") if part is None else (1, part) for part in row[0]],
    )


def _plain(rows: Iterable[ComplaintSummary]) -> list[tuple[tuple[str | None, ...], int, int, int]]:
    found = []
    for row in rows:
        keys: tuple[str | None, ...] = (
            row.category,
            None if row.channel is None else row.channel.value,
            row.store_id,
            row.root_cause,
            None if row.remedy_requested is None else row.remedy_requested.value,
            None if row.remedy_offered is None else row.remedy_offered.value,
        )
        found.append((keys, row.count, row.closed, row.repeats))
    return found


_CATEGORIES = st.sampled_from(["billing", "late_delivery", "Billing", "Ärger", "📦 lost"])
_STORES = st.sampled_from(["HK-1", "HK-2", "KLN-1"])
_CHANNELS = st.sampled_from(["email", "hotline", "meeting", "social"])
_REMEDIES = st.none() | st.sampled_from(["refund", "exchange", "credit", "apology"])
_CAUSES = st.none() | st.sampled_from(["carrier_delay", "typo", "stock", "Überlast"])
_WHEN = st.sampled_from(
    [
        _AT,
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),  # the first pass of a repeated hour
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),  # the second pass
        datetime(2026, 3, 29, 0, 45, tzinfo=LONDON),  # before a skipped hour
        datetime(2026, 12, 4, 17, 45, tzinfo=ZoneInfo("Asia/Kolkata")),
        datetime(2026, 12, 5, 16, 50, tzinfo=ZoneInfo("Australia/Adelaide")),
    ]
)


@st.composite
def complaint_populations(draw: Callable[[Any], Any]) -> list[Complaint]:
    """Random complaints in every stage, with and without policies, repeats and remedies."""
    size = draw(st.integers(0, 12))
    found: list[Complaint] = []
    for number in range(size):
        cause = draw(_CAUSES)
        found.append(
            analysed_complaint(
                f"CMP-{number:02d}",
                at=_later(draw(_WHEN), timedelta(minutes=draw(st.integers(0, 3000)))),
                channel=draw(_CHANNELS),
                store_id=draw(_STORES),
                category=draw(_CATEGORIES),
                remedy_requested=draw(_REMEDIES),
                offered=draw(_REMEDIES),
                root_cause=cause,
                reopened=cause is not None and draw(st.booleans()),
                repeat_of="CMP-00" if number and draw(st.booleans()) else None,
                policy=draw(st.none() | st.sampled_from(_POLICIES)),
                took=timedelta(minutes=draw(st.integers(0, 20_000))),
            )
        )
    return found


_QUERIES = st.sampled_from(
    [
        None,
        ComplaintQuery(),
        ComplaintQuery(store_id="HK-1"),
        ComplaintQuery(open=False),
        ComplaintQuery(open=True, channel="email"),
        ComplaintQuery(category="billing"),
        ComplaintQuery(start=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)),
        ComplaintQuery(end=datetime(2026, 11, 1, tzinfo=UTC)),
    ]
)
_GROUPINGS = st.lists(st.sampled_from(COMPLAINT_GROUP_BY), unique=True, max_size=3)


class ComplaintAnalysisContract(ContractBase):
    """The complaint-analysis behaviour every store must show. Subclass it and implement
    `make_store`; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(ComplaintAnalysisContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_a_reopened_case_is_open_and_keeps_its_cause()
    """

    def _on_analysed_store(
        self, complaints: Sequence[Complaint], test: Callable[[Any], None]
    ) -> None:
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                if any(complaint.customer_id for complaint in complaints):
                    uow.customers.add(Customer(id="C-1", name=_SECRET, created_at=_AT))
                uow.complaints.add_many(complaints)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                test(uow)
        finally:
            store.close()

    def test_summarize_of_nothing_is_no_rows(self) -> None:
        def check(uow: Any) -> None:
            for group_by in [(), ("category",), COMPLAINT_GROUP_BY]:
                rows = uow.complaints.summarize(group_by=group_by)
                assert list(rows) == []
                assert rows.item_type is ComplaintSummary
            assert list(uow.complaints.resolution_times()) == []

        self._on_analysed_store([], check)

    def test_summarize_counts_what_was_written_by_hand(self) -> None:
        population = [
            analysed_complaint("A", category="billing", remedy_requested="refund", offered="refund",
                               root_cause="typo", policy=_POLICIES[0]),
            analysed_complaint("B", category="billing", store_id="HK-2", remedy_requested="refund",
                               offered="credit", repeat_of="A"),
            analysed_complaint("C", category="late_delivery", channel="hotline",
                               root_cause="carrier_delay"),
            analysed_complaint("D", category="late_delivery", remedy_requested="exchange",
                               root_cause="carrier_delay", reopened=True, repeat_of="C"),
            analysed_complaint("E", category="Billing"),
        ]  # fmt: skip

        def check(uow: Any) -> None:
            rows = _plain(uow.complaints.summarize(group_by=["category"]))
            assert rows == [
                (("Billing", None, None, None, None, None), 1, 0, 0),
                (("billing", None, None, None, None, None), 2, 1, 1),
                (("late_delivery", None, None, None, None, None), 2, 1, 1),
            ]
            rows = _plain(uow.complaints.summarize(group_by=["root_cause"]))
            assert rows == [
                ((None, None, None, None, None, None), 2, 0, 1),
                ((None, None, None, "carrier_delay", None, None), 2, 1, 1),
                ((None, None, None, "typo", None, None), 1, 1, 0),
            ]
            rows = _plain(uow.complaints.summarize(group_by=["remedy_offered", "remedy_requested"]))
            assert rows == [
                ((None, None, None, None, None, None), 1, 0, 0),
                ((None, None, None, None, None, "apology"), 1, 1, 0),
                ((None, None, None, None, "exchange", "apology"), 1, 0, 1),
                ((None, None, None, None, "refund", "credit"), 1, 0, 1),
                ((None, None, None, None, "refund", "refund"), 1, 1, 0),
            ]
            rows = _plain(uow.complaints.summarize(ComplaintQuery(store_id="HK-1")))
            assert rows == [((None,) * 6, 4, 2, 1)]
            rows = _plain(uow.complaints.summarize(group_by=["channel", "store"]))
            assert [row[0][1:3] for row in rows] == [
                ("email", "HK-1"),
                ("email", "HK-2"),
                ("hotline", "HK-1"),
            ]
            assert [row[1] for row in rows] == [3, 1, 1]

        self._on_analysed_store(population, check)

    def test_resolution_times_are_the_closed_cases_business_times_smallest_first(self) -> None:
        desk = _POLICIES[0]  # Hong Kong weekdays 09:00-18:00
        population = [
            analysed_complaint("A", root_cause="typo", policy=desk, took=timedelta(hours=3)),
            analysed_complaint("B", root_cause="typo", policy=desk, took=timedelta(hours=1)),
            # Friday 17:00 to Monday 10:00: two business hours.
            analysed_complaint("C", root_cause="typo", policy=desk,
                               at=datetime(2026, 12, 4, 17, tzinfo=HONG_KONG),
                               took=timedelta(days=2, hours=17)),
            analysed_complaint("D", root_cause="typo", took=timedelta(hours=2)),  # no policy
            analysed_complaint("E", offered="refund", policy=desk),  # open
            analysed_complaint("F", root_cause="typo", policy=desk, reopened=True),  # open again
        ]  # fmt: skip

        def check(uow: Any) -> None:
            times = list(uow.complaints.resolution_times())
            assert times == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=3)]
            only_b = ComplaintQuery(store_id="HK-1", end=_AT + timedelta(seconds=1))
            assert len(list(uow.complaints.resolution_times(only_b))) == 2  # A and B, not C

        self._on_analysed_store(population, check)

    def test_a_reopened_case_is_open_and_keeps_its_cause(self) -> None:
        population = [analysed_complaint("A", root_cause="typo", reopened=True)]

        def check(uow: Any) -> None:
            (row,) = uow.complaints.summarize(group_by=["root_cause"])
            assert (row.root_cause, row.count, row.closed) == ("typo", 1, 0)

        self._on_analysed_store(population, check)

    def test_saving_a_step_moves_the_counts(self) -> None:
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                uow.complaints.add(analysed_complaint("A", offered="refund", policy=_POLICIES[3]))
                uow.commit()
            with store.unit_of_work() as uow:
                complaint = uow.complaints.get("A")
                done = _AT + timedelta(hours=5)
                uow.complaints.save(
                    complaint.accept(at=done).close(
                        at=done, root_cause="typo", corrective_action="fixed"
                    )
                )
                (row,) = uow.complaints.summarize(group_by=["root_cause"])  # in the unit
                assert (row.root_cause, row.closed) == ("typo", 1)
                assert list(uow.complaints.resolution_times()) == [timedelta(hours=5)]
            with store.unit_of_work(read_only=True) as uow:  # rolled back
                (row,) = uow.complaints.summarize(group_by=["root_cause"])
                assert (row.root_cause, row.closed) == (None, 0)
        finally:
            store.close()

    def test_queries_compare_instants_at_a_repeated_hour_and_the_ends_of_time(self) -> None:
        first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
        second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
        population = [
            analysed_complaint("A", at=_later(first, timedelta(minutes=20))),  # 01:50 BST
            analysed_complaint("B", at=second),  # 01:30 GMT, 40 minutes later
            analysed_complaint("C", at=MIN_INSTANT),
            analysed_complaint("D", at=MAX_INSTANT),
        ]

        def check(uow: Any) -> None:
            later = ComplaintQuery(start=second, end=second + timedelta(hours=1))
            assert [row.count for row in uow.complaints.summarize(later)] == [1]
            ends = ComplaintQuery(start=MIN_INSTANT, end=MAX_INSTANT)
            assert [row.count for row in uow.complaints.summarize(ends)] == [3]  # end: exclusive
            assert [row.count for row in uow.complaints.summarize(ComplaintQuery())] == [4]

        self._on_analysed_store(population, check)

    def test_bad_arguments_are_refused_in_one_round_with_paths(self) -> None:
        def check(uow: Any) -> None:
            with pytest.raises(ValidationError) as error:
                uow.complaints.summarize("HK-1", group_by=["colour"])
            assert {p.path for p in error.value.problems} == {"$.query", "$.group_by"}
            for group_by in ("store", ["store", "store"], [3], None):
                with pytest.raises(ValidationError) as error:
                    uow.complaints.summarize(group_by=group_by)
                assert [p.path for p in error.value.problems] == ["$.group_by"]
            with pytest.raises(ValidationError) as error:
                uow.complaints.resolution_times(ComplaintQuery)
            assert [p.path for p in error.value.problems] == ["$.query"]

        self._on_analysed_store([], check)

    def test_no_row_holds_personal_data(self) -> None:
        population = [
            analysed_complaint("A", customer_id="C-1", root_cause="typo", policy=_POLICIES[0]),
            analysed_complaint("B", customer_id="C-1", remedy_requested="refund"),
        ]

        def check(uow: Any) -> None:
            rows = uow.complaints.summarize(group_by=COMPLAINT_GROUP_BY)
            shown = repr(rows) + repr(rows.to_records()) + rows._repr_html_()
            assert _SECRET not in shown
            assert "C-1" not in shown
            assert "customer" not in {c for row in rows.to_records() for c in row}

        self._on_analysed_store(population, check)

    @_EXAMPLES
    @given(population=complaint_populations(), group_by=_GROUPINGS, query=_QUERIES)
    def test_summarize_and_resolution_times_agree_with_the_complaints(
        self,
        population: list[Complaint],
        group_by: list[ComplaintGroupBy],
        query: ComplaintQuery | None,
    ) -> None:
        def check(uow: Any) -> None:
            rows = uow.complaints.summarize(query, group_by=group_by)
            assert _plain(rows) == expected_summary(population, group_by, query)
            selected = [c for c in population if query is None or query.matches(c)]
            expected = sorted(time for c in selected if (time := c.resolution_time()) is not None)
            assert list(uow.complaints.resolution_times(query)) == expected
            assert sum(row.count for row in rows) == uow.complaints.count(query)

        self._on_analysed_store(population, check)
