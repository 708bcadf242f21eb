"""Complaint analysis: what the complaints say about the service, one call per question.

ISO 10002 asks a retailer to analyse its complaints: where they come from,
what causes them, whether customers complain again, whether they got the
remedy they asked for, and how long cases take to resolve. Each function
here answers one of those questions over the complaints a `ComplaintQuery`
selects (every complaint without one), and returns a result with
``to_records``, ``to_dataframe`` and a table in notebooks.

Each function takes a *target*: a store (`InMemoryStore`, `SQLiteStore` or
an embedder's own adapter), in which case it reads in a read-only unit of
work of its own, or a unit of work already open. The counting is done by
the store (`ComplaintRepository.summarize` and
`ComplaintRepository.resolution_times`): a SQLite store groups in SQL over
the columns it derives from each history when it is saved, and both
stores give the same rows, in the same order, with the same numbers.

Shares are of the complaints the query selects, with their ``n``. An empty
selection gives a table with no rows (`complaint_counts`, `cause_pareto`,
`remedy_table`), and an `InsufficientDataError` where a statistic of
nothing would be undefined (`repeat_rate`, `remedy_match`,
`resolution_times`). No result holds personal data: only categories,
channels, stores, root causes, remedies and counts.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import Complaint, InMemoryStore
    >>> store = InMemoryStore()
    >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
    >>> with store.unit_of_work() as uow:
    ...     for number, category in enumerate(["billing", "billing", "late_delivery"]):
    ...         uow.complaints.add(Complaint.receive(id=f"CMP-{number}", at=at,
    ...             channel="email", store_id="HK-1", category=category))
    ...     uow.commit()
    >>> counts = complaint_counts(store, by="category")
    >>> [(row["group"], row["count"], round(row["share"], 3)) for row in counts.to_records()]
    [('billing', 2, 0.667), ('late_delivery', 1, 0.333)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, ClassVar, Final, Literal, TypeAlias

import attrs

from retail_service_quality._internal.checks import check_choice, check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality.errors import InsufficientDataError, Problems
from retail_service_quality.metrics.statistics import (
    ProportionResult,
    _percentile_of_sorted,
    wilson_interval,
)
from retail_service_quality.service.complaints import Remedy
from retail_service_quality.storage._target import check_target, unit_of
from retail_service_quality.storage.ports import ComplaintQuery, Store, UnitOfWork
from retail_service_quality.storage.ports.complaints import ComplaintGroupBy, ComplaintSummary

__all__ = [
    "CausePareto",
    "ComplaintBy",
    "ComplaintCounts",
    "ComplaintGroup",
    "ParetoCause",
    "RemedyOffers",
    "RemedyTable",
    "ResolutionTimes",
    "cause_pareto",
    "complaint_counts",
    "remedy_match",
    "remedy_table",
    "repeat_rate",
    "resolution_times",
]

Target: TypeAlias = Store | UnitOfWork

ComplaintBy = Literal["category", "channel", "store", "root_cause"]
"""What `complaint_counts` counts by."""

_BY: Final[tuple[ComplaintBy, ...]] = ("category", "channel", "store", "root_cause")
_NONE: Final = "none"
"""The requested/offered key of "no remedy" in `RemedyTable`."""


# ---------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class ComplaintGroup(Tabular):
    """One group's line in `ComplaintCounts`.

    Attributes:
        count: how many of the complaints selected are in the group.
        share: ``count / n``, ``n`` being every complaint selected.
        closed: how many of the group's complaints are closed.
        repeats: how many of them repeat an earlier complaint.

    Examples:
        >>> ComplaintGroup(count=3, share=0.75, closed=2, repeats=1).share
        0.75
    """

    count: int
    share: float
    closed: int
    repeats: int


@attrs.frozen(kw_only=True)
class ComplaintCounts(Tabular):
    """How many complaints fall in each category, channel, store or root cause.

    One record per group, most complaints first (ties by code point), with
    the group in the ``group`` column. Shares are of every complaint
    selected (``n``); complaints with no value to count by (no root cause
    before their first closure) are counted in ``without``, in no group, so
    the shares add up to ``(n - without) / n``.

    Attributes:
        by: what was counted by: ``"category"``, ``"channel"``, ``"store"`` or
            ``"root_cause"``.
        n: how many complaints were selected.
        without: how many of them have no value for ``by``.
        groups: each group's counts, by the group's value, most first.

    Examples:
        >>> counts = ComplaintCounts(by="channel", n=4, without=0, groups={
        ...     "email": ComplaintGroup(count=3, share=0.75, closed=3, repeats=0),
        ...     "hotline": ComplaintGroup(count=1, share=0.25, closed=0, repeats=1)})
        >>> counts.to_records()[1]
        {'group': 'hotline', 'count': 1, 'share': 0.25, 'closed': 0, 'repeats': 1, 'by': 'channel', 'n': 4, 'without': 0}
    """  # noqa: E501

    _rows_from: ClassVar[str | None] = "groups"
    _row_key: ClassVar[str] = "group"

    by: str
    n: int
    without: int
    groups: Mapping[str, ComplaintGroup]


@attrs.frozen(kw_only=True)
class ParetoCause(Tabular):
    """One root cause's line in `CausePareto`.

    Attributes:
        count: how many complaints closed with this root cause.
        share: ``count / n``, ``n`` being the complaints with a root cause.
        cumulative_share: the share of this cause and every cause before it.
        vital: whether it is one of the "vital few": the causes before the
            cumulative share reached the threshold, and the one that reached it.

    Examples:
        >>> ParetoCause(count=6, share=0.6, cumulative_share=0.6, vital=True).vital
        True
    """

    count: int
    share: float
    cumulative_share: float
    vital: bool


@attrs.frozen(kw_only=True)
class CausePareto(Tabular):
    """The root causes of complaints, most frequent first, with their cumulative share.

    A root cause is recorded when a complaint closes (the last closure's, for
    a reopened one), so complaints never closed have none: they are
    counted in ``without_cause`` and not in ``n``, the base of the shares,
    and the cumulative share of the last cause is 1.

    Attributes:
        n: how many of the complaints selected have a root cause.
        without_cause: how many of them have none yet.
        threshold: the cumulative share the vital few reach (0.8: the 80/20 rule).
        causes: each root cause's line, most frequent first (ties by code point).

    Examples:
        >>> pareto = CausePareto(n=10, without_cause=2, threshold=0.8, causes={
        ...     "carrier_delay": ParetoCause(count=7, share=0.7, cumulative_share=0.7, vital=True),
        ...     "typo": ParetoCause(count=3, share=0.3, cumulative_share=1.0, vital=True)})
        >>> [row["root_cause"] for row in pareto.to_records()]
        ['carrier_delay', 'typo']
    """

    _rows_from: ClassVar[str | None] = "causes"
    _row_key: ClassVar[str] = "root_cause"

    n: int
    without_cause: int
    threshold: float
    causes: Mapping[str, ParetoCause]


@attrs.frozen(kw_only=True)
class RemedyOffers(Tabular):
    """One requested remedy's line in `RemedyTable`: what was offered, remedy by remedy.

    Attributes:
        refund: how many were offered a refund.
        exchange: how many were offered an exchange.
        repair: how many were offered a repair.
        credit: how many were offered a credit note or coupon.
        goodwill: how many were offered a goodwill gesture.
        apology: how many were offered an apology.
        explanation: how many were offered an explanation.
        none: how many have been offered nothing yet.
        total: how many asked for this remedy (the line's sum).
        matched: how many were offered what they asked for.

    Examples:
        >>> RemedyOffers(refund=3, exchange=1, none=1, total=5, matched=3).exchange
        1
    """

    refund: int = 0
    exchange: int = 0
    repair: int = 0
    credit: int = 0
    goodwill: int = 0
    apology: int = 0
    explanation: int = 0
    none: int = 0
    total: int = 0
    matched: int = 0


@attrs.frozen(kw_only=True)
class RemedyTable(Tabular):
    """The remedies customers asked for against those offered: a cross table.

    One record per remedy asked for (``requested``; ``"none"`` when the
    customer named none), in `Remedy` order with ``"none"`` last, and one
    column per remedy offered (the last response's), ``none`` counting the
    cases offered nothing yet. Only remedies somebody asked for have a
    line.

    Attributes:
        n: how many complaints were selected (the sum of every line's ``total``).
        requested: each requested remedy's line.

    Examples:
        >>> table = RemedyTable(n=2, requested={
        ...     "refund": RemedyOffers(refund=1, credit=1, total=2, matched=1)})
        >>> row = table.to_records()[0]
        >>> row["requested"], row["refund"], row["credit"], row["matched"]
        ('refund', 1, 1, 1)
    """

    _rows_from: ClassVar[str | None] = "requested"
    _row_key: ClassVar[str] = "requested"

    n: int
    requested: Mapping[str, RemedyOffers]


@attrs.frozen(kw_only=True)
class ResolutionTimes(Tabular):
    """How long complaints took to resolve, in business time: the median and the 90th percentile.

    A complaint's resolution time is `Complaint.resolution_time`: business
    time from receipt to its last closure on the calendar of the SLA
    policy kept with it, less the spells it waited on the customer or
    stood closed before a reopening. Open complaints are not resolved; a
    closed complaint with no SLA policy has no business time, so it is
    counted in ``resolved`` but not in ``timed``, the percentiles' n.

    Percentiles interpolate linearly between the closest ranks (R's type 7,
    numpy's default; `percentile`), to the microsecond.

    Attributes:
        n: how many complaints were selected.
        resolved: how many of them are closed.
        timed: how many closed ones have a business resolution time: the
            percentiles' sample size.
        median: the 50th percentile of those times.
        p90: the 90th percentile of those times.

    Examples:
        >>> from datetime import timedelta
        >>> times = ResolutionTimes(n=5, resolved=4, timed=3, median=timedelta(hours=6),
        ...     p90=timedelta(hours=9))
        >>> times.median
        datetime.timedelta(seconds=21600)
    """

    n: int
    resolved: int
    timed: int
    median: timedelta
    p90: timedelta


# ---------------------------------------------------------------- arguments


def _check_common(target: object, query: object, problems: Problems) -> None:
    check_target(target, "complaints", problems)
    if query is not None and not isinstance(query, ComplaintQuery):
        problems.add("$.query", "must be a ComplaintQuery or None", "type")


def _check_confidence(value: object, problems: Problems) -> None:
    check_number(value, "$.confidence", problems, low=0, high=1, strict=True)


def _summary(
    target: Any, query: ComplaintQuery | None, group_by: tuple[ComplaintGroupBy, ...]
) -> list[ComplaintSummary]:
    with unit_of(target, "complaints", read_only=True) as uow:
        return list(uow.complaints.summarize(query, group_by=group_by))


def _totals(rows: Iterable[ComplaintSummary]) -> tuple[int, int, int]:
    count = closed = repeats = 0
    for row in rows:
        count += row.count
        closed += row.closed
        repeats += row.repeats
    return count, closed, repeats


def _ranked(counts: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
    """Most first, ties by code point."""
    return sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))


def _key(row: ComplaintSummary, by: ComplaintBy) -> str | None:
    if by == "category":
        return row.category
    if by == "channel":
        return None if row.channel is None else row.channel.value
    if by == "store":
        return row.store_id
    return row.root_cause


# ---------------------------------------------------------------- questions


def complaint_counts(
    target: Target, query: ComplaintQuery | None = None, *, by: ComplaintBy = "category"
) -> ComplaintCounts:
    """How many complaints there are per category, channel, store or root cause, and their share.

    Each group also says how many of its complaints are closed and how many
    are repeats. Most complaints first; an empty selection gives no groups
    (``n == 0``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Complaint, ComplaintQuery, SQLiteStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> with SQLiteStore(":memory:") as store:
        ...     with store.unit_of_work() as uow:
        ...         for number, channel in enumerate(["email", "hotline", "email"]):
        ...             uow.complaints.add(Complaint.receive(id=f"CMP-{number}", at=at,
        ...                 channel=channel, store_id="HK-1", category="billing"))
        ...         uow.commit()
        ...     counts = complaint_counts(store, ComplaintQuery(store_id="HK-1"), by="channel")
        >>> counts.n, {name: group.count for name, group in counts.groups.items()}
        (3, {'email': 2, 'hotline': 1})

    Raises:
        ValidationError: a bad argument (every problem, with its path).
    """
    problems = Problems()
    _check_common(target, query, problems)
    check_choice(by, _BY, "$.by", problems)
    problems.raise_if_any()
    rows = _summary(target, query, (by,))
    n, _, _ = _totals(rows)
    counts: dict[str, list[int]] = {}
    without = 0
    for row in rows:
        key = _key(row, by)
        if key is None:
            without += row.count
        else:
            counts[key] = [row.count, row.closed, row.repeats]
    groups = {
        key: ComplaintGroup(count=count, share=count / n, closed=closed, repeats=repeats)
        for key, (count, closed, repeats) in _ranked(counts)
    }
    return ComplaintCounts(by=by, n=n, without=without, groups=groups)


def cause_pareto(
    target: Target, query: ComplaintQuery | None = None, *, threshold: float = 0.8
) -> CausePareto:
    """The Pareto of root causes: most frequent first, with cumulative shares and the vital few.

    The vital few are the causes that, most frequent first, take the
    cumulative share to ``threshold``, a number from 0 to 1 (the cause that
    reaches it included; with 0, none is vital).
    Shares are of the complaints with a root cause; an empty selection, or
    one with no closed complaint, gives no causes (``n == 0``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Complaint, InMemoryStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> def closed(number, cause):
        ...     return (Complaint.receive(id=f"CMP-{number}", at=at, channel="email",
        ...             store_id="HK-1", category="late_delivery")
        ...         .acknowledge(at=at).assess(at=at, severity=1, priority="low")
        ...         .investigate(at=at).respond(at=at, remedy="apology").accept(at=at)
        ...         .close(at=at, root_cause=cause, corrective_action="reviewed"))
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     for number, cause in enumerate(["carrier", "carrier", "carrier", "stock"]):
        ...         uow.complaints.add(closed(number, cause))
        ...     uow.commit()
        >>> [(row["root_cause"], row["cumulative_share"], row["vital"])
        ...  for row in cause_pareto(store).to_records()]
        [('carrier', 0.75, True), ('stock', 1.0, True)]

    Raises:
        ValidationError: a bad argument (every problem, with its path).
    """
    problems = Problems()
    _check_common(target, query, problems)
    check_number(threshold, "$.threshold", problems, low=0, high=1)
    problems.raise_if_any()
    rows = _summary(target, query, ("root_cause",))
    counts = {row.root_cause: [row.count] for row in rows if row.root_cause is not None}
    without = sum(row.count for row in rows if row.root_cause is None)
    n = sum(count for (count,) in counts.values())
    causes: dict[str, ParetoCause] = {}
    running = 0
    for key, (count,) in _ranked(counts):
        vital = running / n < threshold
        running += count
        causes[key] = ParetoCause(
            count=count, share=count / n, cumulative_share=running / n, vital=vital
        )
    return CausePareto(n=n, without_cause=without, threshold=float(threshold), causes=causes)


def repeat_rate(
    target: Target, query: ComplaintQuery | None = None, *, confidence: float = 0.95
) -> ProportionResult:
    """The share of complaints that repeat an earlier one, with its Wilson interval.

    A repeat is a complaint linked on receipt to an earlier complaint of the
    same customer and category (`find_repeat`, `Complaint.repeat_of`).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Complaint, InMemoryStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     for number in range(4):
        ...         uow.complaints.add(Complaint.receive(id=f"CMP-{number}", at=at,
        ...             channel="email", store_id="HK-1", category="billing",
        ...             repeat_of="CMP-0" if number == 3 else None))
        ...     uow.commit()
        >>> rate = repeat_rate(store)
        >>> rate.successes, rate.n, rate.value, round(rate.interval.low, 4)
        (1, 4, 0.25, 0.0456)

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        InsufficientDataError: no complaint is selected.
    """
    problems = Problems()
    _check_common(target, query, problems)
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    n, _, repeats = _totals(_summary(target, query, ()))
    return _share(repeats, n, confidence, "no complaint is selected: a repeat rate needs one")


def _share(successes: int, n: int, confidence: float, empty: str) -> ProportionResult:
    if n == 0:
        raise InsufficientDataError(empty)
    interval = wilson_interval(successes, n, confidence=confidence)
    return ProportionResult(successes, n, successes / n, interval)


def remedy_match(
    target: Target, query: ComplaintQuery | None = None, *, confidence: float = 0.95
) -> ProportionResult:
    """How often customers were offered the remedy they asked for, with its Wilson interval.

    ``n`` counts the complaints whose customer asked for a remedy and that
    have been offered one (the last response's); a success is an offer of
    the remedy asked for, whether the customer accepted it or not.
    `remedy_table` shows what was offered instead.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Complaint, InMemoryStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> def answered(number, asked, offered):
        ...     return (Complaint.receive(id=f"CMP-{number}", at=at, channel="email",
        ...             store_id="HK-1", category="faulty_item", remedy_requested=asked)
        ...         .acknowledge(at=at).assess(at=at, severity=2, priority="normal")
        ...         .investigate(at=at).respond(at=at, remedy=offered))
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     for number, offered in enumerate(["refund", "refund", "credit"]):
        ...         uow.complaints.add(answered(number, "refund", offered))
        ...     uow.commit()
        >>> match = remedy_match(store)
        >>> match.successes, match.n
        (2, 3)

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        InsufficientDataError: no complaint selected both asks for a remedy and
            has been offered one.
    """
    problems = Problems()
    _check_common(target, query, problems)
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    rows = _summary(target, query, ("remedy_requested", "remedy_offered"))
    answered = [
        row for row in rows if row.remedy_requested is not None and row.remedy_offered is not None
    ]
    n = sum(row.count for row in answered)
    matched = sum(row.count for row in answered if row.remedy_requested is row.remedy_offered)
    return _share(
        matched, n, confidence, "no complaint selected asks for a remedy and has been offered one"
    )


def remedy_table(target: Target, query: ComplaintQuery | None = None) -> RemedyTable:
    """The remedies asked for (one line each) against the remedies offered (one column each).

    An empty selection gives no lines (``n == 0``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Complaint, InMemoryStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.complaints.add(Complaint.receive(id="CMP-1", at=at, channel="email",
        ...         store_id="HK-1", category="faulty_item", remedy_requested="exchange"))
        ...     uow.complaints.add(Complaint.receive(id="CMP-2", at=at, channel="email",
        ...         store_id="HK-1", category="billing"))
        ...     uow.commit()
        >>> [(row["requested"], row["none"], row["total"]) for row in
        ...  remedy_table(store).to_records()]
        [('exchange', 1, 1), ('none', 1, 1)]

    Raises:
        ValidationError: a bad argument (every problem, with its path).
    """
    problems = Problems()
    _check_common(target, query, problems)
    problems.raise_if_any()
    rows = _summary(target, query, ("remedy_requested", "remedy_offered"))
    lines: dict[str, dict[str, int]] = {}
    for row in rows:
        asked = _NONE if row.remedy_requested is None else row.remedy_requested.value
        offered = _NONE if row.remedy_offered is None else row.remedy_offered.value
        line = lines.setdefault(asked, {"total": 0, "matched": 0})
        line[offered] = line.get(offered, 0) + row.count
        line["total"] += row.count
        if row.remedy_requested is not None and row.remedy_requested is row.remedy_offered:
            line["matched"] += row.count
    order = [remedy.value for remedy in Remedy] + [_NONE]
    requested = {key: RemedyOffers(**lines[key]) for key in order if key in lines}
    return RemedyTable(n=sum(line.total for line in requested.values()), requested=requested)


def resolution_times(target: Target, query: ComplaintQuery | None = None) -> ResolutionTimes:
    """The median and 90th percentile of the business time complaints took to resolve.

    Read from each closed complaint's `Complaint.resolution_time`, on its
    own SLA policy's calendar (stored when it is saved). Closed complaints
    with no SLA policy are counted in ``resolved`` but have no business time
    (``timed`` is the percentiles' n).

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import (BusinessCalendar, Complaint, InMemoryStore,
        ...     SlaPolicy, SlaTarget)
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> policy = SlaPolicy(id="standard", calendar=desk,
        ...     targets=[SlaTarget("resolution", working_days=5)])
        >>> def resolved(number, hours):
        ...     at, done = datetime(2026, 12, 1, 9, tzinfo=hk), datetime(2026, 12, 1, 9 + hours, tzinfo=hk)
        ...     return (Complaint.receive(id=f"CMP-{number}", at=at, channel="email",
        ...             store_id="HK-1", category="billing", sla_policy=policy)
        ...         .acknowledge(at=at).assess(at=at, severity=1, priority="low")
        ...         .investigate(at=at).respond(at=at, remedy="apology").accept(at=at)
        ...         .close(at=done, root_cause="typo", corrective_action="fixed"))
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     for number, hours in enumerate([1, 2, 3, 8]):
        ...         uow.complaints.add(resolved(number, hours))
        ...     uow.commit()
        >>> times = resolution_times(store)
        >>> times.timed, times.median, times.p90
        (4, datetime.timedelta(seconds=9000), datetime.timedelta(seconds=23400))

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        InsufficientDataError: no complaint selected has a business resolution time.
    """  # noqa: E501
    problems = Problems()
    _check_common(target, query, problems)
    problems.raise_if_any()
    with unit_of(target, "complaints", read_only=True) as uow:
        n, resolved, _ = _totals(uow.complaints.summarize(query))
        times = [time // _MICROSECOND for time in uow.complaints.resolution_times(query)]
    if not times:
        raise InsufficientDataError(
            "no complaint selected has a business resolution time: "
            "none is closed with an SLA policy"
        )
    ordered = sorted(float(time) for time in times)  # the port promises order; one pass if so
    return ResolutionTimes(
        n=n,
        resolved=resolved,
        timed=len(times),
        median=_microseconds(_percentile_of_sorted(ordered, 50.0)),
        p90=_microseconds(_percentile_of_sorted(ordered, 90.0)),
    )


_MICROSECOND: Final = timedelta(microseconds=1)


def _microseconds(value: float) -> timedelta:
    return timedelta(microseconds=round(value))
