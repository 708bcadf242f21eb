"""Performance criteria: a target and red/amber/green bands per indicator and business unit.

A `PerformanceCriterion` says how good an indicator must be in a business
unit (or in every unit): a ``target`` (green from it on), an
``amber_threshold`` (amber between it and the target, red beyond it), the
fewest cases that say anything (``min_n``), the period it applies to
(``effective_from`` up to ``effective_until``) and the standard it
implements (`StandardReference`). The bands follow the indicator's
`Direction`: for CSAT (higher is better) green is at or above the target; for
average speed of answer (lower is better) green is at or below it.

`evaluate_criteria` judges measured `IndicatorValue` s against the criteria
in force and gives each a `CriterionResult`: its colour (`CriterionStatus`),
the evidence (value, cases, interval, target, thresholds, method), and
whether the colour is *significant*: a dashboard must not colour noise.

**The significance rule.** A value below ``min_n`` cases is
``not_enough_data``, never a colour. Otherwise the colour is the band of the
value, and it is significant when the whole confidence interval lies in that
same band; ``possible`` lists every band the interval reaches. A value
without an interval (one that is not a sample statistic: counted over every
case) is significant. Bands are closed on the side of the target: a value (or
an interval bound) exactly on the target is green, exactly on the amber
threshold amber.

`monitor_criteria` turns results into alerts (`CriterionAlert`) through the
rule engine (`criteria_rules`, data a UI can edit): when a group's colour
worsens, compared with its last significant colour, not every red every
day, and never on not enough data.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import IndicatorValue, wilson_interval
    >>> csat = PerformanceCriterion(
    ...     id="csat-retail", indicator_id="csat", business_unit="retail",
    ...     target=0.85, amber_threshold=0.75, min_n=30,
    ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...     standard=StandardReference(id="SQ-01", version="2026", clause="4.2"))
    >>> measured = IndicatorValue(indicator_id="csat", business_unit="retail", value=0.78,
    ...     n=200, interval=wilson_interval(156, 200), method="top-2-box share, Wilson 95%")
    >>> [result] = evaluate_criteria([csat], [measured],
    ...     at=datetime(2026, 6, 1, tzinfo=timezone.utc))
    >>> result.status.value, result.significant, [s.value for s in result.possible]
    ('amber', False, ['amber', 'red'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER
from retail_service_quality._internal.times import MIN_INSTANT, instant_problem, zone_named
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import Problems, join_path
from retail_service_quality.metrics.statistics import Interval
from retail_service_quality.quality._arguments import check_units
from retail_service_quality.quality.indicators import Direction, IndicatorValue, _check_value
from retail_service_quality.rules import Flag, Notify, Rule, RuleSet, all_of, eq, flag, notify
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel

__all__ = [
    "CriterionAlert",
    "CriterionResult",
    "CriterionStatus",
    "PerformanceCriterion",
    "StandardReference",
    "criteria_rules",
    "criterion_in_force",
    "evaluate_criteria",
    "monitor_criteria",
]

_MAX_MIN_N: Final = 1_000_000_000
_MAX_CLAUSE: Final = 2000


class CriterionStatus(StrEnum):
    """How a measured value stands against its criterion.

    Examples:
        >>> CriterionStatus("amber").colour, CriterionStatus.NOT_ENOUGH_DATA.colour
        (True, False)
    """

    GREEN = "green"
    """At or beyond the target, on its good side."""
    AMBER = "amber"
    """Short of the target, not beyond the amber threshold."""
    RED = "red"
    """Beyond the amber threshold."""
    NOT_ENOUGH_DATA = "not_enough_data"
    """Fewer cases than the criterion's ``min_n``: too few to colour."""

    @property
    def colour(self) -> bool:
        """Whether it is a colour (green, amber or red), not ``not_enough_data``.

        Examples:
            >>> CriterionStatus.RED.colour
            True
        """
        return self is not CriterionStatus.NOT_ENOUGH_DATA


# From best to worst: the rank of each colour.
_RANK: Final = {CriterionStatus.GREEN: 0, CriterionStatus.AMBER: 1, CriterionStatus.RED: 2}
_BY_RANK: Final = (CriterionStatus.GREEN, CriterionStatus.AMBER, CriterionStatus.RED)


def _status(value: CriterionStatus | str) -> CriterionStatus:
    return lenient_enum(CriterionStatus, value)


def _optional_status(value: CriterionStatus | str | None) -> CriterionStatus | None:
    return None if value is None else lenient_enum(CriterionStatus, value)


def _statuses(value: Iterable[CriterionStatus | str]) -> Any:
    if isinstance(value, list | tuple):
        return tuple(lenient_enum(CriterionStatus, item) for item in value)
    return value


def _direction(value: Direction | str) -> Direction:
    return lenient_enum(Direction, value)


def _channel(value: Channel | str | None) -> Channel | None:
    return None if value is None else lenient_enum(Channel, value)


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@attrs.frozen
class StandardReference:
    """The standard a criterion implements: its identifier, and where in it.

    Identifiers are free for now (``"105083L5"``, ``"SQ-01"``); the version and
    clause say which edition and which requirement.

    Attributes:
        id: the standard's identifier.
        version: the standard's version or edition, or ``None``.
        clause: the clause or requirement the criterion implements, in words, or ``None``.

    Examples:
        >>> StandardReference("105083L5", version="2024", clause="set service quality standards")
        StandardReference(id='105083L5', version='2024', clause='set service quality standards')

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    version: str | None = attrs.field(default=None, kw_only=True)
    clause: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.version, "$.version", problems, optional=True)
        check_text(self.clause, "$.clause", problems, optional=True)
        if isinstance(self.clause, str) and not 0 < len(self.clause.strip()) <= _MAX_CLAUSE:
            problems.add("$.clause", f"must be text of 1 to {_MAX_CLAUSE} characters", "range")
        raise_problems(self, problems)


def _band(value: float, direction: Direction, target: float, amber: float) -> CriterionStatus:
    """The colour of a point value: bands closed on the side of the target."""
    if direction.at_least_as_good(value, target):
        return CriterionStatus.GREEN
    if direction.at_least_as_good(value, amber):
        return CriterionStatus.AMBER
    return CriterionStatus.RED


@attrs.frozen(kw_only=True)
class PerformanceCriterion:
    """A target with red/amber/green bands for one indicator, in one business unit or all.

    For an indicator where higher is better: green at or above ``target``,
    amber from ``amber_threshold`` up to the target, red below the amber
    threshold. Where lower is better, mirrored: green at or below the target,
    amber above it up to the amber threshold, red above that. An amber
    threshold equal to the target leaves no amber band.

    A criterion applies from ``effective_from`` (inclusive) until
    ``effective_until`` (exclusive; ``None``: open-ended), compared as
    instants. Replace a criterion by ending it and adding another from the
    same instant: two criteria for the same indicator and business unit must
    not be in force at once.

    Attributes:
        id: the criterion's identifier.
        indicator_id: the indicator it judges.
        business_unit: the business unit it applies to, or ``None`` for every unit (a
            criterion for a value's own unit wins over one for every unit).
        direction: whether more of the indicator is better, as the indicator says.
        target: the value to reach: green from here on.
        amber_threshold: the far edge of the amber band: red beyond it.
        min_n: the fewest cases a value needs to be coloured.
        effective_from: the instant it takes effect (timezone-aware).
        effective_until: the instant it stops applying, or ``None``.
        standard: the standard it implements (`StandardReference`).

    Examples:
        >>> from datetime import datetime, timezone
        >>> asa = PerformanceCriterion(id="asa-hotline", indicator_id="asa", direction="lower",
        ...     target=20.0, amber_threshold=30.0,
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     standard=StandardReference("SQ-01", clause="calls answered promptly"))
        >>> asa.band(20.0), asa.band(25.0), asa.band(31.0)
        (<CriterionStatus.GREEN: 'green'>, <CriterionStatus.AMBER: 'amber'>, <CriterionStatus.RED: 'red'>)

    Raises:
        ValidationError: every problem, with its path: thresholds in the wrong
            order for the direction, an end not after the start.
    """  # noqa: E501

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    indicator_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    business_unit: str | None = None
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=_direction)
    target: float = attrs.field(default=REQUIRED)
    amber_threshold: float = attrs.field(default=REQUIRED)
    min_n: int = 30
    effective_from: datetime = attrs.field(default=REQUIRED)
    effective_until: datetime | None = None
    standard: StandardReference = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.indicator_id, "$.indicator_id", problems)
        check_id(self.business_unit, "$.business_unit", problems, optional=True)
        check_enum(self.direction, Direction, "$.direction", problems)
        target_ok = check_number(self.target, "$.target", problems)
        amber_ok = check_number(self.amber_threshold, "$.amber_threshold", problems)
        if (
            target_ok
            and amber_ok
            and isinstance(self.direction, Direction)
            and not self.direction.at_least_as_good(self.target, self.amber_threshold)
        ):
            problems.add(
                "$.amber_threshold",
                "must be at most the target where higher is better"
                if self.direction is Direction.HIGHER_IS_BETTER
                else "must be at least the target where lower is better",
                "inconsistent",
            )
        min_n = self.min_n
        if isinstance(min_n, bool) or not isinstance(min_n, int) or not 1 <= min_n <= _MAX_MIN_N:
            problems.add(
                "$.min_n",
                f"must be an integer from 1 to {_MAX_MIN_N}",
                "range" if isinstance(min_n, int) and not isinstance(min_n, bool) else "type",
            )
        check_aware(self.effective_from, "$.effective_from", problems)
        if self.effective_until is not None:
            check_aware(self.effective_until, "$.effective_until", problems)
            if (
                instant_problem(self.effective_from) is None
                and instant_problem(self.effective_until) is None
                and _instant(self.effective_until) <= _instant(self.effective_from)
            ):
                problems.add(
                    "$.effective_until", "must be later than effective_from", "inconsistent"
                )
        if not isinstance(self.standard, StandardReference):
            problems.add("$.standard", "must be a StandardReference", "type")
        raise_problems(self, problems)

    def band(self, value: float) -> CriterionStatus:
        """The colour of a value, whatever the cases behind it.

        Examples:
            >>> from datetime import datetime, timezone
            >>> PerformanceCriterion(id="c", indicator_id="csat", target=0.8,
            ...     amber_threshold=0.7, effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     standard=StandardReference("SQ-01")).band(0.7)
            <CriterionStatus.AMBER: 'amber'>

        Raises:
            ValidationError: ``value`` is not a finite number.
        """
        problems = Problems()
        check_number(value, "$.value", problems)
        problems.raise_if_any()
        return _band(float(value), self.direction, self.target, self.amber_threshold)

    def in_force(self, at: datetime) -> bool:
        """Whether it applies at the instant ``at`` (from ``effective_from``, before
        ``effective_until``).

        Instants are compared as instants: 01:30 in the second (GMT) pass of a
        repeated London hour is after 01:45 in the first (BST) pass.

        Examples:
            >>> from datetime import datetime, timezone
            >>> criterion = PerformanceCriterion(id="c", indicator_id="csat", target=0.8,
            ...     amber_threshold=0.7, effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     effective_until=datetime(2027, 1, 1, tzinfo=timezone.utc),
            ...     standard=StandardReference("SQ-01"))
            >>> criterion.in_force(datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc))
            True
            >>> criterion.in_force(datetime(2027, 1, 1, tzinfo=timezone.utc))
            False

        Raises:
            ValidationError: ``at`` is not an aware datetime in the supported range.
        """
        problems = Problems()
        check_aware(at, "$.at", problems)
        problems.raise_if_any()
        return self._covers(_instant(at))

    def _covers(self, moment: datetime) -> bool:
        if moment < _instant(self.effective_from):
            return False
        return self.effective_until is None or moment < _instant(self.effective_until)


# ---------------------------------------------------------------- choosing a criterion


def _check_criteria(criteria: object, path: str, problems: Problems) -> list[PerformanceCriterion]:
    """The criteria as a list; duplicate ids and overlapping periods reported."""
    if isinstance(criteria, str | bytes | Mapping) or not isinstance(criteria, Iterable):
        problems.add(path, "must be a list of PerformanceCriterion", "type")
        return []
    chosen: list[PerformanceCriterion] = []
    indexes: list[int] = []
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        item = join_path(path, index)
        if not isinstance(criterion, PerformanceCriterion):
            problems.add(item, "must be a PerformanceCriterion", "type")
            continue
        if criterion.id in seen:
            problems.add(join_path(item, "id"), "repeats the id of another criterion", "duplicate")
        seen.add(criterion.id)
        for earlier, other in zip(indexes, chosen, strict=True):
            if _overlap(criterion, other):
                problems.add(
                    join_path(item, "effective_from"),
                    f"must not be in force while {join_path(path, earlier)} is: both judge "
                    "the same indicator in the same business unit",
                    "inconsistent",
                )
                break
        chosen.append(criterion)
        indexes.append(index)
    return chosen


def _overlap(first: PerformanceCriterion, second: PerformanceCriterion) -> bool:
    if (first.indicator_id, first.business_unit) != (second.indicator_id, second.business_unit):
        return False
    starts_before_end = second.effective_until is None or _instant(first.effective_from) < _instant(
        second.effective_until
    )
    ends_after_start = first.effective_until is None or _instant(second.effective_from) < _instant(
        first.effective_until
    )
    return starts_before_end and ends_after_start


def _pick(
    criteria: Iterable[PerformanceCriterion],
    indicator_id: str,
    business_unit: str | None,
    moment: datetime,
) -> PerformanceCriterion | None:
    every: PerformanceCriterion | None = None
    for criterion in criteria:
        if criterion.indicator_id != indicator_id or not criterion._covers(moment):
            continue
        if criterion.business_unit is None:
            every = criterion
        elif business_unit is not None and criterion.business_unit == business_unit:
            return criterion
    return every


def criterion_in_force(
    criteria: Iterable[PerformanceCriterion],
    *,
    indicator_id: str,
    at: datetime,
    business_unit: str | None = None,
) -> PerformanceCriterion | None:
    """The criterion that judged ``indicator_id`` in ``business_unit`` at the instant ``at``.

    The business unit's own criterion wins over one for every unit; ``None``
    when none was in force.

    Examples:
        >>> from datetime import datetime, timezone
        >>> def csat(id, target, start, unit=None):
        ...     return PerformanceCriterion(id=id, indicator_id="csat", business_unit=unit,
        ...         target=target, amber_threshold=0.7, standard=StandardReference("SQ-01"),
        ...         effective_from=datetime(start, 1, 1, tzinfo=timezone.utc))
        >>> criteria = [csat("all", 0.8, 2026), csat("online", 0.9, 2026, "online")]
        >>> criterion_in_force(criteria, indicator_id="csat", business_unit="online",
        ...     at=datetime(2026, 6, 1, tzinfo=timezone.utc)).id
        'online'
        >>> criterion_in_force(criteria, indicator_id="csat", business_unit="retail",
        ...     at=datetime(2026, 6, 1, tzinfo=timezone.utc)).id
        'all'

    Raises:
        ValidationError: every bad argument, with its path: criteria in force at
            once for the same indicator and unit, a naive ``at``.
    """
    problems = Problems()
    chosen = _check_criteria(criteria, "$.criteria", problems)
    check_id(indicator_id, "$.indicator_id", problems)
    check_id(business_unit, "$.business_unit", problems, optional=True)
    check_aware(at, "$.at", problems)
    problems.raise_if_any()
    return _pick(chosen, indicator_id, business_unit, _instant(at))


# ---------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class _Group:
    """The criterion and the group keys shared by a result and its alert."""

    criterion_id: str = attrs.field(default=REQUIRED)
    indicator_id: str = attrs.field(default=REQUIRED)
    store_id: str | None = None
    channel: Channel | None = attrs.field(default=None, converter=_channel)
    business_unit: str | None = None
    staff_id: str | None = None
    month: date | None = None
    weekday: int | None = None
    hour: int | None = None


def _keys(group: _Group) -> dict[str, Any]:
    return {field.name: getattr(group, field.name) for field in attrs.fields(_Group)}


def _check_result(result: CriterionResult, problems: Problems) -> None:
    _check_value(result, problems)  # type: ignore[arg-type]  # the fields it shares with one
    check_id(result.criterion_id, "$.criterion_id", problems)
    check_enum(result.status, CriterionStatus, "$.status", problems)
    if not isinstance(result.significant, bool):
        problems.add("$.significant", "must be true or false", "type")
    if not isinstance(result.possible, tuple):
        problems.add("$.possible", "must be a list of statuses", "type")
    else:
        for index, item in enumerate(result.possible):
            check_enum(item, CriterionStatus, join_path("$.possible", index), problems)
    check_number(result.target, "$.target", problems)
    check_number(result.amber_threshold, "$.amber_threshold", problems)
    min_n = result.min_n
    if isinstance(min_n, bool) or not isinstance(min_n, int) or not 1 <= min_n <= _MAX_MIN_N:
        problems.add("$.min_n", f"must be an integer from 1 to {_MAX_MIN_N}", "range")
    if not isinstance(result.standard, StandardReference):
        problems.add("$.standard", "must be a StandardReference", "type")


@attrs.frozen(kw_only=True)
class CriterionResult(_Group, Tabular):
    """One indicator value judged against its criterion (`evaluate_criteria`).

    The group keys are the value's; ``business_unit`` is the value's own, or
    its store's from the ``business_units`` mapping.

    Attributes:
        criterion_id: the criterion that judged the value.
        indicator_id: the indicator measured.
        store_id: the group's store, or ``None``.
        channel: the group's channel, or ``None``.
        business_unit: the group's business unit, or ``None``.
        staff_id: the group's staff member, or ``None``.
        month: the first day of the group's local month, or ``None``.
        weekday: the group's ISO weekday (1 = Monday), or ``None``.
        hour: the group's local hour (0-23), or ``None``.
        status: green, amber, red, or not enough data (`CriterionStatus`).
        significant: whether the colour is beyond noise: the whole interval lies in
            the band of the value (always, for a value without an interval); never
            for not enough data.
        possible: the bands the interval reaches, best first (the status alone when
            significant; empty for not enough data); in records as ``best`` and ``worst``.
        value: the measured value, or ``None`` without a case.
        n: the cases behind the value.
        interval: the value's confidence interval, or ``None``.
        unit: the value's unit.
        method: how the value was computed.
        direction: whether more is better.
        target: the criterion's target.
        amber_threshold: the criterion's amber threshold.
        min_n: the criterion's fewest cases.
        standard: the standard the criterion implements.

    Examples:
        >>> result = CriterionResult(criterion_id="c", indicator_id="csat", status="red",
        ...     significant=True, possible=["red"], value=0.6, n=120, target=0.8,
        ...     amber_threshold=0.7, min_n=30, standard=StandardReference("SQ-01"))
        >>> result.status, result.to_records()[0]["standard_id"]
        (<CriterionStatus.RED: 'red'>, 'SQ-01')
    """

    status: CriterionStatus = attrs.field(default=REQUIRED, converter=_status)
    significant: bool = False
    possible: tuple[CriterionStatus, ...] = attrs.field(
        default=(), converter=_statuses, metadata={"records": False}
    )
    value: float | None = None
    n: int = 0
    interval: Interval | None = None
    unit: str = "share"
    method: str = ""
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=_direction)
    target: float = attrs.field(default=REQUIRED)
    amber_threshold: float = attrs.field(default=REQUIRED)
    min_n: int = attrs.field(default=REQUIRED)
    standard: StandardReference = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_result(self, problems)
        raise_problems(self, problems)

    @property
    def best(self) -> CriterionStatus | None:
        """The best colour the interval allows, or ``None`` for not enough data.

        Examples:
            >>> CriterionResult(criterion_id="c", indicator_id="csat", status="amber",
            ...     possible=["green", "amber"], target=0.8, amber_threshold=0.7, min_n=30,
            ...     standard=StandardReference("SQ-01")).best
            <CriterionStatus.GREEN: 'green'>
        """
        return self.possible[0] if self.possible else None

    @property
    def worst(self) -> CriterionStatus | None:
        """The worst colour the interval allows, or ``None`` for not enough data.

        Examples:
            >>> CriterionResult(criterion_id="c", indicator_id="csat", status="amber",
            ...     possible=["green", "amber"], target=0.8, amber_threshold=0.7, min_n=30,
            ...     standard=StandardReference("SQ-01")).worst
            <CriterionStatus.AMBER: 'amber'>
        """
        return self.possible[-1] if self.possible else None


def _judge(
    criterion: PerformanceCriterion, value: IndicatorValue, unit: str | None
) -> CriterionResult:
    measured = value.value
    status = CriterionStatus.NOT_ENOUGH_DATA
    possible: tuple[CriterionStatus, ...] = ()
    if measured is not None and value.n >= criterion.min_n:
        bands = (criterion.direction, criterion.target, criterion.amber_threshold)
        status = _band(float(measured), *bands)
        points = [float(measured)]
        if value.interval is not None:
            points += [value.interval.low, value.interval.high]
        ranks = [_RANK[_band(point, *bands)] for point in points]
        amber_empty = criterion.target == criterion.amber_threshold
        possible = tuple(
            _BY_RANK[rank]
            for rank in range(min(ranks), max(ranks) + 1)
            if not (amber_empty and _BY_RANK[rank] is CriterionStatus.AMBER)
        )
    return CriterionResult(
        criterion_id=criterion.id,
        indicator_id=value.indicator_id,
        store_id=value.store_id,
        channel=value.channel,
        business_unit=unit,
        staff_id=value.staff_id,
        month=value.month,
        weekday=value.weekday,
        hour=value.hour,
        status=status,
        significant=status.colour and possible == (status,),
        possible=possible,
        value=measured,
        n=value.n,
        interval=value.interval,
        unit=value.unit,
        method=value.method,
        direction=criterion.direction,
        target=criterion.target,
        amber_threshold=criterion.amber_threshold,
        min_n=criterion.min_n,
        standard=criterion.standard,
    )


def _check_confidence(confidence: object, problems: Problems) -> float:
    if isinstance(confidence, bool):
        problems.add("$.confidence", "must be a number, not true or false", "type")
        return 0.95
    if check_number(confidence, "$.confidence", problems, low=0, high=1, strict=True):
        return float(confidence)  # type: ignore[arg-type]
    return 0.95


def _month_start(month: date, zone: Any) -> datetime:
    """The first instant of a local month (its first midnight, or the first instant after a
    skipped one), no earlier than the supported range."""
    try:
        moment = datetime(month.year, month.month, 1, tzinfo=zone).astimezone(UTC)
    except (OverflowError, ValueError):
        return MIN_INSTANT
    return max(moment, MIN_INSTANT)


def _values(values: object, problems: Problems) -> list[tuple[int, IndicatorValue]]:
    """The values with their positions."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        problems.add("$.values", "must be a list of IndicatorValue", "type")
        return []
    found: list[tuple[int, IndicatorValue]] = []
    for index, value in enumerate(values):
        if isinstance(value, IndicatorValue):
            found.append((index, value))
        else:
            problems.add(join_path("$.values", index), "must be an IndicatorValue", "type")
    return found


def _evaluate(
    criteria: object,
    values: object,
    at: object,
    timezone: object,
    business_units: object,
    confidence: object,
) -> list[CriterionResult]:
    problems = Problems()
    chosen = _check_criteria(criteria, "$.criteria", problems)
    given = _values(values, problems)
    if at is not None:
        check_aware(at, "$.at", problems)
    zone = None
    if timezone is not None:
        zone = zone_named(timezone)
        if zone is None:
            problems.add(
                "$.timezone",
                "must be a known IANA time zone",
                "unknown_choice" if isinstance(timezone, str) else "type",
            )
    units = check_units(business_units, problems)
    level = _check_confidence(confidence, problems)
    if at is None and any(value.month is None for _, value in given):
        problems.add(
            "$.at",
            "is required for values without a month: the instant whose criteria judge them",
            "required",
        )
    if timezone is None and any(value.month is not None for _, value in given):
        problems.add(
            "$.timezone",
            "is required for values with a month: the zone whose months they count",
            "required",
        )
    problems.raise_if_any()
    moment_at = _instant(at) if isinstance(at, datetime) else None
    by_indicator: dict[str, list[PerformanceCriterion]] = {}
    for item in chosen:
        by_indicator.setdefault(item.indicator_id, []).append(item)
    results: list[CriterionResult] = []
    for index, value in given:
        unit = value.business_unit
        if unit is None and value.store_id is not None:
            unit = units.get(value.store_id)
        moment = moment_at if value.month is None else _month_start(value.month, zone)
        assert moment is not None
        criterion = _pick(
            by_indicator.get(value.indicator_id, ()), value.indicator_id, unit, moment
        )
        if criterion is None:
            continue
        path = join_path("$.values", index)
        if value.direction is not criterion.direction:
            problems.add(
                join_path(path, "direction"),
                "must be the direction of the criterion that judges it",
                "inconsistent",
            )
        interval = value.interval
        if interval is not None and not math.isclose(
            interval.confidence, level, rel_tol=0, abs_tol=1e-9
        ):
            problems.add(
                join_path(join_path(path, "interval"), "confidence"),
                "must be the confidence the criteria are evaluated at (the confidence argument)",
                "inconsistent",
            )
        if not problems:
            results.append(_judge(criterion, value, unit))
    problems.raise_if_any()
    return results


def evaluate_criteria(
    criteria: Iterable[PerformanceCriterion],
    values: Iterable[IndicatorValue],
    *,
    at: datetime | None = None,
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    confidence: float = 0.95,
) -> RecordList[CriterionResult]:
    """Each indicator value judged by the criterion in force for its business unit and period.

    The criterion for a value: one for its indicator, in force at the
    value's instant, for its business unit if there is one, else for every
    unit. A value's business unit is its own, or its store's in
    ``business_units`` (store id to unit). Its instant: for a value grouped
    by month, the first instant of that month in ``timezone`` (a criterion
    that takes effect mid-month judges the months after it); for any other
    value, ``at``. A value no criterion judges gives no result; the others
    come in the order given.

    The colour is the band of the value; ``not_enough_data`` below the
    criterion's ``min_n`` cases. It is ``significant`` when the whole
    confidence interval lies in that band (a value without an interval is
    counted over every case: significant). Intervals must be at the level
    ``confidence``, so that every colour is judged alike.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import IndicatorValue
        >>> aht = PerformanceCriterion(id="aht", indicator_id="aht", direction="lower",
        ...     target=300.0, amber_threshold=360.0, standard=StandardReference("SQ-01"),
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> values = [IndicatorValue(indicator_id="aht", direction="lower", unit="seconds",
        ...     store_id=store, month=date(2026, 3, 1), value=seconds, n=n)
        ...     for store, seconds, n in [("S1", 290.0, 900), ("S2", 400.0, 800), ("S3", 500.0, 4)]]
        >>> [(r.store_id, r.status.value) for r in evaluate_criteria([aht], values,
        ...     timezone="Asia/Hong_Kong")]
        [('S1', 'green'), ('S2', 'red'), ('S3', 'not_enough_data')]

    Raises:
        ValidationError: every problem with the arguments, with its path: criteria
            in force at once for the same indicator and unit, a value whose direction
            or interval confidence differs from its criterion's or the one asked,
            ``at`` missing for a value without a month, ``timezone`` for one with.
    """
    return RecordList(
        CriterionResult,
        _evaluate(criteria, values, at, timezone, business_units, confidence),
    )


# ---------------------------------------------------------------- alerts


def criteria_rules(*, notify_role: str = "quality_manager") -> RuleSet:
    """The default alert rules for criteria, in mode ``"first"``.

    1. ``turned_red``: a significant red that is worse than the group's last
       significant colour: flag ``red`` and notify ``notify_role``.
    2. ``turned_amber``: a significant amber worse than the last significant
       colour: flag ``amber``.

    The facts each rule reads: ``criterion_id``, ``indicator_id``,
    ``store_id``, ``channel``, ``business_unit``, ``staff_id``, ``month``
    (ISO text), ``weekday``, ``hour``, ``status``, ``previous_status`` (the
    group's last significant colour, or ``None``), ``changed`` (the status
    differs from it), ``worsened`` (the status is a worse colour than it, or
    there was none), ``significant``, ``value``, ``n``, ``low``, ``high``,
    ``target``, ``amber_threshold``, ``direction`` and ``standard_id``.

    Examples:
        >>> [rule.id for rule in criteria_rules().ordered]
        ['turned_red', 'turned_amber']

    Raises:
        ValidationError: a role that is not an identifier.
    """
    problems = Problems()
    check_id(notify_role, "$.notify_role", problems)
    problems.raise_if_any()
    worse = all_of(eq("significant", True), eq("worsened", True))
    return RuleSet(
        id="criteria_monitoring",
        mode="first",
        rules=[
            Rule(
                id="turned_red",
                description="The criterion turned red, beyond noise.",
                when=all_of(eq("status", "red"), worse),
                actions=[flag("red"), notify(notify_role)],
                order=1,
            ),
            Rule(
                id="turned_amber",
                description="The criterion turned amber, beyond noise.",
                when=all_of(eq("status", "amber"), worse),
                actions=[flag("amber")],
                order=2,
            ),
        ],
    )


@attrs.frozen(kw_only=True)
class CriterionAlert(_Group, Tabular):
    """One judged value whose alert rules fired (`monitor_criteria`).

    Attributes:
        criterion_id: the criterion.
        indicator_id: the indicator.
        store_id: the group's store, or ``None``.
        channel: the group's channel, or ``None``.
        business_unit: the group's business unit, or ``None``.
        staff_id: the group's staff member, or ``None``.
        month: the group's month, or ``None``.
        weekday: the group's ISO weekday, or ``None``.
        hour: the group's local hour, or ``None``.
        level: the label the rule flagged (``"red"``, ``"amber"``...), or the rule's id
            when it flags nothing.
        rule_id: the rule that fired.
        notify: the roles the rule says to notify.
        status: the colour now.
        previous_status: the group's last significant colour before, or ``None``.
        significant: whether the colour is beyond noise.
        value: the measured value.
        n: the cases behind it.
        interval: its confidence interval, or ``None``.
        target: the criterion's target.
        amber_threshold: the criterion's amber threshold.
        standard: the standard the criterion implements.
        explanation: why the rule fired, from the verdict (no personal data).

    Examples:
        >>> alert = CriterionAlert(criterion_id="c", indicator_id="csat", level="red",
        ...     rule_id="turned_red", notify=("quality_manager",), status="red",
        ...     previous_status="green", significant=True, value=0.6, n=120, target=0.8,
        ...     amber_threshold=0.7, standard=StandardReference("SQ-01"),
        ...     explanation="status = 'red': holds")
        >>> alert.previous_status
        <CriterionStatus.GREEN: 'green'>
    """

    level: str = attrs.field(default=REQUIRED)
    rule_id: str = attrs.field(default=REQUIRED)
    notify: tuple[str, ...] = ()
    status: CriterionStatus = attrs.field(default=REQUIRED, converter=_status)
    previous_status: CriterionStatus | None = attrs.field(default=None, converter=_optional_status)
    significant: bool = False
    value: float | None = None
    n: int = 0
    interval: Interval | None = None
    target: float = attrs.field(default=REQUIRED)
    amber_threshold: float = attrs.field(default=REQUIRED)
    standard: StandardReference = attrs.field(default=REQUIRED)
    explanation: str = ""

    def __attrs_post_init__(self) -> None:
        raise_problems(self, Problems())  # a required field left out


_GroupKey = tuple[Any, ...]


def _group(result: CriterionResult) -> _GroupKey:
    return (
        result.indicator_id,
        result.store_id,
        result.channel,
        result.business_unit,
        result.staff_id,
        result.weekday,
        result.hour,
    )


def _when(result: CriterionResult) -> int:
    """The order of a result's month in a group's history: undated results first."""
    return 0 if result.month is None else result.month.toordinal()


def _previous_colours(
    previous: list[CriterionResult], current: list[CriterionResult]
) -> list[CriterionStatus | None]:
    """For each current result, its group's last significant colour before it.

    History runs by month (undated results first), the previous evaluation
    before the current one within a month, then in the order given.
    """
    entries = [(result, 0, index) for index, result in enumerate(previous)]
    entries += [(result, 1, index) for index, result in enumerate(current)]
    entries.sort(key=lambda entry: (_when(entry[0]), entry[1], entry[2]))
    last: dict[_GroupKey, CriterionStatus] = {}
    before: list[CriterionStatus | None] = [None] * len(current)
    for result, source, index in entries:
        key = _group(result)
        if source == 1:
            before[index] = last.get(key)
        if result.significant and result.status.colour:
            last[key] = result.status
    return before


def _facts(result: CriterionResult, previous: CriterionStatus | None) -> dict[str, Any]:
    interval = result.interval
    worsened = result.status.colour and (previous is None or _RANK[result.status] > _RANK[previous])
    return {
        "criterion_id": result.criterion_id,
        "indicator_id": result.indicator_id,
        "store_id": result.store_id,
        "channel": None if result.channel is None else result.channel.value,
        "business_unit": result.business_unit,
        "staff_id": result.staff_id,
        "month": None if result.month is None else result.month.isoformat(),
        "weekday": result.weekday,
        "hour": result.hour,
        "status": result.status.value,
        "previous_status": None if previous is None else previous.value,
        "changed": result.status is not previous,
        "worsened": worsened,
        "significant": result.significant,
        "value": result.value,
        "n": result.n,
        "low": None if interval is None else interval.low,
        "high": None if interval is None else interval.high,
        "target": result.target,
        "amber_threshold": result.amber_threshold,
        "direction": result.direction.value,
        "standard_id": result.standard.id,
    }


def _results(value: object, path: str, problems: Problems) -> list[CriterionResult]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        problems.add(path, "must be a list of CriterionResult", "type")
        return []
    found: list[CriterionResult] = []
    for index, item in enumerate(value):
        if isinstance(item, CriterionResult):
            found.append(item)
        else:
            problems.add(join_path(path, index), "must be a CriterionResult", "type")
    return found


def _alerts(
    current: list[CriterionResult],
    before: list[CriterionStatus | None],
    rules: RuleSet,
    now: datetime,
) -> Iterator[CriterionAlert]:
    for result, previous in zip(current, before, strict=True):
        if not result.status.colour:
            continue  # never on not enough data, whatever the rules say
        verdict = rules.evaluate(_facts(result, previous), at=now)
        if not verdict.fired:
            continue
        labels = [action.label for action in verdict.actions if isinstance(action, Flag)]
        roles = tuple(action.role for action in verdict.actions if isinstance(action, Notify))
        fired = [outcome for outcome in verdict.outcomes if outcome.fired]
        yield CriterionAlert(
            **_keys(result),
            level=labels[0] if labels else fired[0].rule_id,
            rule_id=fired[0].rule_id,
            notify=roles,
            status=result.status,
            previous_status=previous,
            significant=result.significant,
            value=result.value,
            n=result.n,
            interval=result.interval,
            target=result.target,
            amber_threshold=result.amber_threshold,
            standard=result.standard,
            explanation="; ".join(outcome.explanation for outcome in fired),
        )


def monitor_criteria(
    results: Iterable[CriterionResult] | None = None,
    *,
    now: datetime,
    criteria: Iterable[PerformanceCriterion] | None = None,
    values: Iterable[IndicatorValue] | None = None,
    previous: Iterable[CriterionResult] | None = None,
    rules: RuleSet | None = None,
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    confidence: float = 0.95,
) -> RecordList[CriterionAlert]:
    """The alerts of judged values whose colour worsened, consulted at the instant ``now``.

    Give either ``results`` (from `evaluate_criteria`) or ``criteria`` and
    ``values``, evaluated here (values without a month judged by the
    criteria in force at ``now``; ``timezone``, ``business_units`` and
    ``confidence`` as for `evaluate_criteria`).

    Each coloured result is compared with its group's last *significant*
    colour (same indicator, store, channel, business unit, staff member,
    weekday and hour): from ``previous`` (an earlier evaluation), then from
    earlier months among ``results``. ``rules`` (by default `criteria_rules`)
    are consulted over its facts; results whose rules fire are listed, in
    the order of the results. Not enough data never raises an alert, and
    leaves the last colour as it was; so does a colour that is not
    significant: a value that wavers about a threshold raises one alert when
    it settles beyond it, not one a day.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import IndicatorValue
        >>> criterion = PerformanceCriterion(id="c", indicator_id="abandon", direction="lower",
        ...     target=0.05, amber_threshold=0.08, standard=StandardReference("SQ-01"),
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> def day(rate):
        ...     return evaluate_criteria([criterion], [IndicatorValue(indicator_id="abandon",
        ...         direction="lower", store_id="S1", value=rate, n=5000)],
        ...         at=datetime(2026, 3, 2, tzinfo=timezone.utc))
        >>> now = datetime(2026, 3, 2, 8, tzinfo=timezone.utc)
        >>> [(a.level, a.previous_status.value) for a in monitor_criteria(day(0.09), now=now,
        ...     previous=day(0.04))]
        [('red', 'green')]
        >>> monitor_criteria(day(0.10), now=now, previous=day(0.09))
        []

    Raises:
        ValidationError: every bad argument, with its path (``$.previous[2]``,
            ``$.rules``, and those of `evaluate_criteria`).
    """
    problems = Problems()
    check_aware(now, "$.now", problems)
    if rules is not None and not isinstance(rules, RuleSet):
        problems.add("$.rules", "must be a RuleSet or None", "type")
    history = [] if previous is None else _results(previous, "$.previous", problems)
    current: list[CriterionResult] = []
    if results is not None:
        if criteria is not None or values is not None:
            problems.add(
                "$.results", "give either results or criteria and values, not both", "inconsistent"
            )
        current = _results(results, "$.results", problems)
    elif criteria is None or values is None:
        problems.add(
            "$.criteria" if criteria is None else "$.values",
            "is required: give results, or criteria and values",
            "required",
        )
    problems.raise_if_any()
    if results is None:
        current = _evaluate(criteria, values, now, timezone, business_units, confidence)
    consulted = criteria_rules() if rules is None else rules
    before = _previous_colours(history, current)
    return RecordList(CriterionAlert, list(_alerts(current, before, consulted, now)))
