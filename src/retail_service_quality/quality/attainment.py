"""Pledge attainment: the share of cases that met a pledge's standard, per group, with its gap.

`pledge_attainment` measures a `ServicePledge` over the cases of a period in
a store: inbound calls for an answer-time pledge, complaints for an
acknowledgement or resolution pledge. Each case is measured against the
version in force when it began, within that version's scope. Each group
(store, channel, business unit, local month) gets its counts, its share of
cases met with a Wilson interval, a status against the target, and the gap
between the share achieved and the share pledged, with a one-sided exact
binomial test of the shortfall: is it real, or noise?

On the SQLite store the calls are counted in SQL (one row per local day,
store and channel, never one per call); complaints are read as a few
columns each, their whole history only where it stops the clock. The
in-memory store streams its records. Both give the same answer.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from retail_service_quality import (
    ...     InMemoryStore, PledgeStandard, ServiceInteraction, ServicePledge)
    >>> day = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> pledge = ServicePledge.create(
    ...     id="hotline", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...     wording="We answer 80% of hotline calls within 30 seconds.",
    ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
    ...     target_share=0.8)
    >>> store = InMemoryStore()
    >>> with store.unit_of_work() as uow:
    ...     uow.interactions.add_many(
    ...         ServiceInteraction(id=f"I-{i}", store_id="S1", channel="hotline",
    ...             occurred_at=day + timedelta(minutes=i), queue_time=timedelta(seconds=5 * i))
    ...         for i in range(10))
    ...     uow.commit()
    10
    >>> [row] = pledge_attainment(store, pledge, start=datetime(2026, 3, 1, tzinfo=timezone.utc),
    ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc), now=day + timedelta(days=1), min_n=5)
    >>> row.n, row.met, row.share, row.status.value
    (10, 7, 0.7, 'not_met')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.times import zone_named
from retail_service_quality._internal.validation import check_aware
from retail_service_quality.calendar import HORIZON, SUPPORTED_RANGE
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.metrics.statistics import Interval, wilson_interval
from retail_service_quality.quality._arguments import check_units
from retail_service_quality.quality.pledges import (
    PledgeMeasure,
    PledgeScope,
    PledgeVersion,
    ServicePledge,
)
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel
from retail_service_quality.service.sla import (
    SlaPolicy,
    SlaState,
    SlaTarget,
    TargetKind,
    complaint_sla,
    sla_status,
)
from retail_service_quality.storage._target import check_target, unit_of
from retail_service_quality.storage._time import instant_us, local_day, offset_at, period_start
from retail_service_quality.storage.ports import ComplaintQuery, UnitOfWork
from retail_service_quality.storage.ports.complaints import (
    ComplaintTiming,
    ComplaintTimingRepository,
)
from retail_service_quality.storage.ports.interactions import (
    SHORT_ABANDON,
    AnswerCounts,
    AnswerTimeRepository,
)

__all__ = [
    "AttainmentGroupBy",
    "AttainmentRow",
    "AttainmentStatus",
    "pledge_attainment",
    "shortfall_p_value",
]

AttainmentGroupBy = Literal["store", "channel", "business_unit", "month"]
"""What `pledge_attainment` can group by."""

_GROUPS: Final = ("store", "channel", "business_unit", "month")
_MAX_MIN_N: Final = 1_000_000_000
_MAX_CASES: Final = 10**12
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_KINDS: Final = {
    PledgeMeasure.ACKNOWLEDGEMENT: TargetKind.ACKNOWLEDGEMENT,
    PledgeMeasure.RESOLUTION: TargetKind.RESOLUTION,
}


class AttainmentStatus(StrEnum):
    """How a group stands against its pledge.

    Examples:
        >>> AttainmentStatus("not_enough_data").value
        'not_enough_data'
    """

    MET = "met"
    """Enough cases, and the share met is at least the target."""
    NOT_MET = "not_met"
    """Enough cases, and the share met is below the target."""
    NOT_ENOUGH_DATA = "not_enough_data"
    """Fewer measured cases than ``min_n``: too few to say."""


@attrs.frozen(kw_only=True)
class AttainmentRow(Tabular):
    """One group's attainment of a pledge (`pledge_attainment`).

    A key that was not grouped by is ``None``. ``n`` counts the measured
    cases, ``met + not_met``; cases still pending (open, not yet late) and
    cases left out (short abandons, calls with no queue time, complaints the
    calendar cannot measure) are counted apart and are in no share.

    Attributes:
        pledge_id: the pledge measured.
        store_id: the group's store, or ``None``.
        channel: the group's channel, or ``None``.
        business_unit: the group's business unit, or ``None`` (also for stores the mapping
            does not name, when grouped by unit).
        month: the first day of the group's local month, or ``None``.
        n: the measured cases.
        met: the cases that met the standard.
        not_met: the cases that did not (late, abandoned, still open past the deadline).
        pending: open cases not yet late: not failures, not yet successes.
        excluded: cases left out of the measure (short abandons, unmeasured calls,
            complaints outside the calendar's range).
        share: ``met / n``, or ``None`` without measured cases.
        interval: the Wilson interval of the share, or ``None`` without measured cases.
        target: the share pledged: the target of the version each case was measured
            against, averaged over the measured cases (the latest version's target when
            none were measured).
        gap: ``share - target``: negative for a shortfall, or ``None``.
        p_value: the one-sided exact binomial p-value of the shortfall
            (`shortfall_p_value`), or ``None`` without measured cases.
        significant: whether the shortfall is real: ``p_value`` below ``1 - confidence``.
        status: met, not met or not enough data (`AttainmentStatus`).

    Examples:
        >>> from retail_service_quality import wilson_interval
        >>> row = AttainmentRow(pledge_id="p", n=40, met=30, not_met=10, share=0.75,
        ...     interval=wilson_interval(30, 40), target=0.9, gap=-0.15, p_value=0.0051,
        ...     significant=True, status="not_met")
        >>> row.status, round(row.gap, 2)
        (<AttainmentStatus.NOT_MET: 'not_met'>, -0.15)
    """

    pledge_id: str
    store_id: str | None = None
    channel: Channel | None = None
    business_unit: str | None = None
    month: date | None = None
    n: int = 0
    met: int = 0
    not_met: int = 0
    pending: int = 0
    excluded: int = 0
    share: float | None = None
    interval: Interval | None = None
    target: float = 1.0
    gap: float | None = None
    p_value: float | None = None
    significant: bool = False
    status: AttainmentStatus = attrs.field(
        default=AttainmentStatus.NOT_ENOUGH_DATA, converter=AttainmentStatus
    )


# ---------------------------------------------------------------- the exact binomial test


_STIRLING: Final = (1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188)
_HALF_LOG_TWO_PI: Final = 0.5 * math.log(2 * math.pi)


def _stirling_error(n: int) -> float:
    """``log(n!) - log(sqrt(2 pi n) (n / e)**n)``, accurate where ``lgamma`` loses digits."""
    if n <= 15:
        return math.lgamma(n + 1) - (n + 0.5) * math.log(n) + n - _HALF_LOG_TWO_PI
    s0, s1, s2, s3, s4 = _STIRLING
    square = float(n) * n
    if n > 500:
        return (s0 - s1 / square) / n
    if n > 80:
        return (s0 - (s1 - s2 / square) / square) / n
    if n > 35:
        return (s0 - (s1 - (s2 - s3 / square) / square) / square) / n
    return (s0 - (s1 - (s2 - (s3 - s4 / square) / square) / square) / square) / n


def _deviance(x: float, mean: float) -> float:
    """``x log(x / mean) + mean - x``, without cancellation when ``x`` is near ``mean``."""
    if abs(x - mean) < 0.1 * (x + mean):
        v = (x - mean) / (x + mean)
        total = (x - mean) * v
        term = 2 * x * v
        v *= v
        j = 1
        while True:
            term *= v
            following = total + term / (2 * j + 1)
            if following == total:
                return total
            total = following
            j += 1
    return x * math.log(x / mean) + mean - x


def _log_pmf(k: int, n: int, p: float) -> float:
    """The log of the binomial probability of ``k`` in ``n`` (Loader's saddle-point form)."""
    if k == 0:
        return n * math.log1p(-p)
    if k == n:
        return n * math.log(p)
    q = 1 - p
    core = (
        _stirling_error(n)
        - _stirling_error(k)
        - _stirling_error(n - k)
        - _deviance(k, n * p)
        - _deviance(n - k, n * q)
    )
    return core - 0.5 * (math.log(2 * math.pi) + math.log(k) + math.log1p(-k / n))


def _tail(start: int, stop: int, step: int, n: int, p: float) -> float:
    """The sum of the binomial probabilities from ``start`` towards ``stop`` (exclusive),
    stopping once the terms no longer add to it (they fall away from the mode)."""
    total = 0.0
    term = math.exp(_log_pmf(start, n, p))
    ratio = p / (1 - p)
    k = start
    while k != stop:
        total += term
        if term <= total * 1e-17 or term == 0.0:
            break
        if step < 0:
            term *= k / (n - k + 1) / ratio
        else:
            term *= (n - k) / (k + 1) * ratio
        k += step
    return total


def shortfall_p_value(met: int, n: int, target: float) -> float:
    """The one-sided exact binomial p-value of a shortfall: P(X <= met), X ~ Binomial(n, target).

    How likely a share this low or lower is, if the cases met the standard
    at exactly the pledged rate. A small value says the shortfall is real,
    not noise. For a pledge on every case (``target`` 1), any failure is a
    real shortfall (0), and none is none (1). Equal to
    ``scipy.stats.binomtest(met, n, target, alternative="less").pvalue``.

    Examples:
        >>> round(shortfall_p_value(80, 100, 0.9), 6)
        0.001979
        >>> shortfall_p_value(9, 10, 1.0), shortfall_p_value(10, 10, 1.0)
        (0.0, 1.0)

    Raises:
        ValidationError: ``n`` not a positive integer, ``met`` outside ``0..n``, or
            ``target`` not a number in ``(0, 1]``; ``n`` above a thousand billion.
    """
    problems = Problems()
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        problems.add("$.n", "must be a positive integer", "type")
    elif n > _MAX_CASES:
        problems.add("$.n", f"must be at most {_MAX_CASES:,} cases", "range")
    if isinstance(met, bool) or not isinstance(met, int) or met < 0:
        problems.add("$.met", "must be a non-negative integer", "type")
    elif isinstance(n, int) and not isinstance(n, bool) and 1 <= n < met:
        problems.add("$.met", "must not exceed n", "range")
    if (
        isinstance(target, bool)
        or not isinstance(target, int | float)
        or not math.isfinite(target)
        or not 0 < target <= 1
    ):
        problems.add("$.target", "must be a number above 0 and at most 1", "range")
    problems.raise_if_any()
    p = float(target)
    if met >= n:
        return 1.0
    if p >= 1.0:
        return 0.0
    value = _tail(met, -1, -1, n, p) if met < n * p else 1.0 - _tail(met + 1, n + 1, 1, n, p)
    return min(max(value, 0.0), 1.0)


# ---------------------------------------------------------------- arguments


@attrs.frozen
class _Arguments:
    pledge: ServicePledge
    start_us: int
    stop_us: int  # the end of the period, or now if sooner: no case begins after now
    now: datetime
    keys: frozenset[str]
    units: Mapping[str, str]
    zone: ZoneInfo
    zone_name: str
    confidence: float
    min_n: int


def _zone_for(pledge: ServicePledge) -> str | None:
    for version in reversed(pledge.versions):
        if version.calendar is not None:
            return str(version.calendar.timezone)
    return None


def check_attainment(
    target: object,
    pledge: object,
    start: object,
    end: object,
    now: object,
    group_by: object,
    business_units: object,
    timezone: object,
    confidence: object,
    min_n: object,
) -> _Arguments:
    """The arguments of `pledge_attainment`, checked: every problem at once, with its path.

    Not part of the public API: callers that take the same arguments check them here, in
    the same round as their own.
    """
    problems = Problems()
    check_target(target, "interactions", problems)
    if not isinstance(pledge, ServicePledge):
        problems.add("$.pledge", "must be a ServicePledge", "type")
    for value, path in ((start, "$.start"), (end, "$.end"), (now, "$.now")):
        check_aware(value, path, problems)
    if (
        isinstance(start, datetime)
        and isinstance(end, datetime)
        and not problems
        and instant_us(end) < instant_us(start)
    ):
        problems.add("$.end", "must not be before start", "inconsistent")
    keys: tuple[Any, ...] = ()
    if isinstance(group_by, list | tuple):
        keys = tuple(group_by)
    choices = ", ".join(_GROUPS)
    if not isinstance(group_by, list | tuple) or not all(isinstance(k, str) for k in keys):
        problems.add("$.group_by", f"must be a list drawn from {choices}", "type")
    elif not all(key in _GROUPS for key in keys):
        problems.add("$.group_by", f"must be a list drawn from {choices}", "unknown_choice")
    elif len(set(keys)) != len(keys):
        problems.add("$.group_by", "must not repeat a key", "duplicate")
    units = check_units(business_units, problems)
    needs_units = "business_unit" in keys or (
        isinstance(pledge, ServicePledge)
        and any(version.scope.business_units for version in pledge.versions)
    )
    if needs_units and business_units is None:
        problems.add(
            "$.business_units",
            "is required to group or scope by business unit: each store's unit",
            "required",
        )
    zone_name = _zone_for(pledge) if isinstance(pledge, ServicePledge) else None
    if timezone is not None:
        if zone_named(timezone) is not None:
            assert isinstance(timezone, str)
            zone_name = timezone
        else:
            problems.add(
                "$.timezone",
                "must be a known IANA time zone",
                "unknown_choice" if isinstance(timezone, str) else "type",
            )
    elif zone_name is None and "month" in keys and isinstance(pledge, ServicePledge):
        problems.add(
            "$.timezone",
            "is required to group by month when the pledge has no calendar: "
            "the zone whose months count",
            "required",
        )
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0 < confidence < 1
    ):
        problems.add("$.confidence", "must be a number between 0 and 1", "range")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or not 1 <= min_n <= _MAX_MIN_N:
        problems.add("$.min_n", f"must be an integer from 1 to {_MAX_MIN_N}", "range")
    problems.raise_if_any()
    assert isinstance(pledge, ServicePledge)
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    assert isinstance(now, datetime)
    assert isinstance(confidence, int | float)
    assert isinstance(min_n, int)
    return _Arguments(
        pledge=pledge,
        start_us=instant_us(start),
        stop_us=min(instant_us(end), instant_us(now)),
        now=now,
        keys=frozenset(keys),
        units=units,
        zone=ZoneInfo(zone_name or "UTC"),  # months only: a zone is required for them
        zone_name=zone_name or "UTC",
        confidence=float(confidence),
        min_n=min_n,
    )


# ---------------------------------------------------------------- gathering


_Key = tuple[str | None, Channel | None, str | None, date | None]


class _Groups:
    """Counts per group: met, not met, pending, excluded, and the sum of targets measured."""

    def __init__(self, arguments: _Arguments) -> None:
        self._arguments = arguments
        self._groups: dict[_Key, list[float]] = {}
        self._months: dict[int, date] = {}

    def covers(self, scope: PledgeScope, store: str, channel: Channel, tier: str | None) -> bool:
        if scope.channels and channel not in scope.channels:
            return False
        if scope.store_ids and store not in scope.store_ids:
            return False
        if scope.business_units and self._arguments.units.get(store) not in scope.business_units:
            return False
        return not scope.tiers or (tier is not None and tier in scope.tiers)

    def month(self, day: int) -> date:
        found = self._months.get(day)
        if found is None:
            found = self._months[day] = period_start(day, "month")
        return found

    def day_of(self, moment: datetime) -> int:
        at = instant_us(moment)
        return local_day(at + offset_at(self._arguments.zone, at // 1_000_000))

    def add(
        self,
        store: str,
        channel: Channel,
        day: int,
        target: float,
        counts: Sequence[int],
    ) -> None:
        keys = self._arguments.keys
        key = (
            store if "store" in keys else None,
            channel if "channel" in keys else None,
            self._arguments.units.get(store) if "business_unit" in keys else None,
            self.month(day) if "month" in keys else None,
        )
        totals = self._groups.get(key)
        if totals is None:
            totals = self._groups[key] = [0, 0, 0, 0, 0.0]
        for index, count in enumerate(counts):
            totals[index] += count
        totals[4] += target * (counts[0] + counts[1])

    def rows(self) -> RecordList[AttainmentRow]:
        arguments = self._arguments
        fallback = arguments.pledge.current.target
        rows: list[AttainmentRow] = []
        for key, totals in self._groups.items():
            met, not_met, pending, excluded = (int(total) for total in totals[:4])
            n = met + not_met
            target = totals[4] / n if n else fallback
            # The mean of targets given to at most a few decimals: rounded off the float noise
            # of the sum (0.9 averaged over versions is 0.9, not 0.9000000000000001).
            target = min(max(round(target, 12), 0.0), 1.0)
            share = interval = gap = p_value = None
            significant = False
            status = AttainmentStatus.NOT_ENOUGH_DATA
            if n:
                share = met / n
                interval = wilson_interval(met, n, confidence=arguments.confidence)
                # Off the float noise of the subtraction too: 82% against 80% is two points,
                # not 0.019999999999999907, so a band of two points leaves it out.
                gap = round(share - target, 12)
                p_value = shortfall_p_value(met, n, target)
                significant = p_value < 1 - arguments.confidence
                if n >= arguments.min_n:
                    status = AttainmentStatus.MET if share >= target else AttainmentStatus.NOT_MET
            rows.append(
                AttainmentRow(
                    pledge_id=arguments.pledge.id,
                    store_id=key[0],
                    channel=key[1],
                    business_unit=key[2],
                    month=key[3],
                    n=n,
                    met=met,
                    not_met=not_met,
                    pending=pending,
                    excluded=excluded,
                    share=share,
                    interval=interval,
                    target=target,
                    gap=gap,
                    p_value=p_value,
                    significant=significant,
                    status=status,
                )
            )
        rows.sort(
            key=lambda row: (
                row.store_id or "",
                "" if row.channel is None else row.channel.value,
                row.business_unit or "",
                "" if row.month is None else row.month.isoformat(),
            )
        )
        return RecordList(AttainmentRow, rows)


class _Views(_Groups):
    """Several groupings of the same cases, counted in one pass: each case goes to each."""

    def __init__(self, arguments: _Arguments, views: Sequence[_Groups]) -> None:
        super().__init__(arguments)
        self._views = tuple(views)

    def add(
        self,
        store: str,
        channel: Channel,
        day: int,
        target: float,
        counts: Sequence[int],
    ) -> None:
        for view in self._views:
            view.add(store, channel, day, target, counts)


def _spells(arguments: _Arguments) -> Iterable[tuple[PledgeVersion, int, int]]:
    """Each version with the part of the period it was in force, in microseconds."""
    pledge = arguments.pledge
    ends = [instant_us(version.effective_from) for version in pledge.versions[1:]]
    ends.append(2**62 if pledge.ends_at is None else instant_us(pledge.ends_at))
    for version, until in zip(pledge.versions, ends, strict=True):
        low = max(instant_us(version.effective_from), arguments.start_us)
        high = min(until, arguments.stop_us)
        if low < high:
            yield version, low, high


def _moment(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def _answer_time(uow: Any, arguments: _Arguments, groups: _Groups) -> None:
    repository = uow.interactions
    if not isinstance(repository, AnswerTimeRepository):
        raise ValidationError.single(
            "$.target",
            "must be a store whose interactions can be counted against an answer time",
            "type",
        )
    for version, low, high in _spells(arguments):
        if version.standard.measure is not PledgeMeasure.ANSWER_TIME:
            continue
        scope = version.scope
        within = version.standard.within
        assert within is not None
        counts: list[AnswerCounts] = repository.answer_counts(
            start=_moment(low),
            end=_moment(high),
            within=within,
            channels=scope.channels or (Channel.HOTLINE,),
            timezone=arguments.zone_name,
            short_abandon=SHORT_ABANDON,
            tiers=bool(scope.tiers),
        )
        for row in counts:
            if groups.covers(scope, row.store_id, row.channel, row.tier):
                groups.add(
                    row.store_id,
                    row.channel,
                    row.day,
                    version.target,
                    (row.met, row.not_met, 0, row.short + row.unmeasured),
                )


def _policy(version: PledgeVersion, index: int) -> SlaPolicy:
    standard = version.standard
    assert version.calendar is not None
    try:
        return SlaPolicy(
            id="pledge",
            calendar=version.calendar,
            targets=[
                SlaTarget(
                    _KINDS[standard.measure],
                    business_time=standard.within,
                    working_days=standard.working_days,
                )
            ],
        )
    except ValidationError as error:
        path = join_path(join_path("$.pledge.versions", index), "calendar")
        raise ValidationError.single(
            path, "must have weekly open hours to measure a complaint standard", "invalid"
        ) from error


_OUTCOMES: Final = {
    SlaState.MET: 0,
    SlaState.MET_LATE: 1,
    SlaState.BREACHED: 1,
    SlaState.ON_TRACK: 2,
    SlaState.WARNING: 2,
}


def _state(policy: SlaPolicy, kind: TargetKind, timing: ComplaintTiming, now: datetime) -> int:
    """Where a complaint stands: 0 met, 1 not met, 2 pending, 3 left out (out of range).

    The state is read at ``now``, or at the last instant a calendar counts from the
    complaint's receipt when ``now`` lies beyond it: a deadline within that span is met,
    missed or still ahead the same at both, and one beyond it is out of range either way.
    """
    received = timing.received_at.astimezone(UTC)
    last = SUPPORTED_RANGE[1]
    if received <= last - HORIZON:
        last = received + HORIZON
    if received > last:
        return 3  # received after the last instant a calendar counts
    now = min(now.astimezone(UTC), last)
    try:
        if timing.complaint is not None:
            status = complaint_sla(policy, timing.complaint, kind, now=now)
        else:
            done = (
                timing.acknowledged_at if kind is TargetKind.ACKNOWLEDGEMENT else timing.closed_at
            )
            if done is not None and done.astimezone(UTC) > now.astimezone(UTC):
                done = None  # not yet, as of now
            status = sla_status(policy, kind, started_at=timing.received_at, now=now, done_at=done)
    except ValidationError as error:
        if all(problem.code == "range" for problem in error.problems):
            return 3
        raise
    return _OUTCOMES[status.state]


def _complaints(uow: Any, arguments: _Arguments, groups: _Groups) -> None:
    repository = uow.complaints
    if not isinstance(repository, ComplaintTimingRepository):
        raise ValidationError.single(
            "$.target", "must be a store whose complaints can be timed", "type"
        )
    for version, low, high in _spells(arguments):
        if version.standard.measure is PledgeMeasure.ANSWER_TIME:
            continue
        policy = _policy(version, arguments.pledge.versions.index(version))
        kind = _KINDS[version.standard.measure]
        scope = version.scope
        query = ComplaintQuery(start=_moment(low), end=_moment(high))
        for timing in repository.timings(query):
            if not groups.covers(scope, timing.store_id, timing.channel, timing.tier):
                continue
            outcome = _state(policy, kind, timing, arguments.now)
            counts = [0, 0, 0, 0]
            counts[outcome] = 1
            groups.add(
                timing.store_id,
                timing.channel,
                groups.day_of(timing.received_at),
                version.target,
                counts,
            )


# ---------------------------------------------------------------- the entry point


def pledge_attainment(
    target: Any,
    pledge: ServicePledge,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    group_by: Sequence[AttainmentGroupBy] = (),
    business_units: Mapping[str, str] | None = None,
    timezone: str | None = None,
    confidence: float = 0.95,
    min_n: int = 30,
) -> RecordList[AttainmentRow]:
    """A pledge's attainment over the cases that began in ``[start, end)``, per group.

    ``target`` is a store (read in a read-only unit of work) or a unit of
    work. The cases: for an answer-time pledge, inbound calls on the
    hotline (or on the channels the scope names); for an acknowledgement or
    resolution pledge, complaints received. Cases that began after ``now``
    are not counted. Each case is measured against the version in force when
    it began (`ServicePledge.in_force`) and counted only if that version's
    scope covers it: its channel, its store, its store's business unit
    (from ``business_units``, store id to unit; a store it does not name is
    in no unit) and the tier of its stored customer (an anonymous case is in
    no tier).

    Answer time: a call answered with a recorded queue time within the
    standard is met; answered later, or abandoned, it is not met. Short
    abandons (abandoned with a queue time under `SHORT_ABANDON`, 5 seconds)
    and answered calls with no queue time recorded are left out
    (``excluded``).

    Acknowledgement and resolution: each complaint's SLA state at ``now``
    on the version's standard and calendar, exactly as an SLA clock counts
    it (`complaint_sla`: waits on the customer and closed spells before a
    reopening stop the clock). Met on time is met; met late, or still open
    past the deadline, is not met; still open and not yet late is
    ``pending``, no failure and in no share.

    ``group_by`` draws from ``"store"``, ``"channel"``, ``"business_unit"``
    and ``"month"``: the local month in ``timezone`` (default: the zone of
    the pledge's latest calendar; required when no version has a calendar).
    Rows come ordered by their keys; groups with no case are not listed. A group's status is
    ``not_enough_data`` below ``min_n`` measured cases, else met when its
    share reaches the target. Its ``p_value`` tests the shortfall
    (`shortfall_p_value`), and it is ``significant`` below
    ``1 - confidence``.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import (
        ...     BusinessCalendar, Complaint, InMemoryStore, PledgeStandard, ServicePledge)
        >>> desk = BusinessCalendar.weekdays("09:00", "17:00", timezone="UTC")
        >>> pledge = ServicePledge.create(
        ...     id="ack", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     wording="We acknowledge every complaint within 1 working day.",
        ...     standard=PledgeStandard("acknowledgement", working_days=1), calendar=desk)
        >>> monday = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     for i, hours in enumerate([2, 20, 50, None]):
        ...         complaint = Complaint.receive(id=f"C-{i}", at=monday, channel="email",
        ...             store_id="S1", category="billing")
        ...         if hours is not None:
        ...             complaint = complaint.acknowledge(at=monday + timedelta(hours=hours))
        ...         uow.complaints.add(complaint)
        ...     uow.commit()
        >>> [row] = pledge_attainment(store, pledge, start=monday, end=monday + timedelta(1),
        ...     now=monday + timedelta(hours=30), min_n=1)
        >>> row.met, row.not_met, row.pending, row.status.value
        (2, 0, 2, 'met')

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """
    arguments = check_attainment(
        target, pledge, start, end, now, group_by, business_units, timezone, confidence, min_n
    )
    return _attainment_views(target, [arguments])[0]


def attainment_views(
    target: Any,
    pledge: ServicePledge,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    group_bys: Sequence[Sequence[AttainmentGroupBy]],
    business_units: Mapping[str, str] | None = None,
    timezone: str | None = None,
    confidence: float = 0.95,
    min_n: int = 30,
) -> list[RecordList[AttainmentRow]]:
    """`pledge_attainment` under each grouping of ``group_bys``, the cases read once.

    Not part of the public API: a report that shows a pledge both whole and by store
    measures its cases (every complaint's SLA clock) once, not once a view. Each list
    is what `pledge_attainment` gives with that ``group_by``.
    """
    every = [
        check_attainment(
            target, pledge, start, end, now, grouping, business_units, timezone, confidence, min_n
        )
        for grouping in map(list, group_bys)
    ]
    return _attainment_views(target, every)


def _attainment_views(target: Any, every: Sequence[_Arguments]) -> list[RecordList[AttainmentRow]]:
    views = [_Groups(arguments) for arguments in every]
    with unit_of(target, "interactions", read_only=True) as uow:
        _measure(uow, every[0], _Views(every[0], views) if len(views) > 1 else views[0])
    return [view.rows() for view in views]


def _measure(uow: UnitOfWork, arguments: _Arguments, groups: _Groups) -> None:
    measures = {version.standard.measure for version, _, _ in _spells(arguments)}
    if PledgeMeasure.ANSWER_TIME in measures:
        _answer_time(uow, arguments, groups)
    if measures - {PledgeMeasure.ANSWER_TIME}:
        _complaints(uow, arguments, groups)
