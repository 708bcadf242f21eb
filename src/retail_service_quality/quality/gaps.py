"""The three gaps as findings: standard vs real, pledged vs real, standard vs expectation.

The gaps model of service quality names where service falls short. Three of
its gaps are measured here, each as a `GapFinding` with its size, its
significance and the records behind it:

- **standard vs real** (`standard_gaps`): a measured indicator against the
  target of the performance criterion that judged it (`CriterionResult`);
- **pledged vs real** (`pledge_gaps`): the share of cases that met a pledge
  against the share pledged (`AttainmentRow`);
- **standard vs expectation** (`expectation_gaps`): the level a service
  standard commits to on a SERVQUAL dimension (`ServiceStandardLevel`)
  against what customers expect of it (the expectation scores of
  `ServqualResponse` s).

**The sign.** A finding's ``size`` is negative for a shortfall, whatever
the indicator's direction: an average speed of answer of 25 s against a
target of 20 s (lower is better) is a gap of -5 s, a CSAT of 0.78 against
0.85 a gap of -0.07. It is in the indicator's unit.

**The test.** ``p_value`` is always one-sided, against a shortfall: how
likely a result this short (or shorter) is if the truth were exactly at the
target. A small value says the shortfall is real; a surplus has a large one.
``significant`` is ``p_value < 1 - confidence``. A value counted over every
case (no interval) has no noise to test: ``p_value`` is ``None`` and any
non-zero gap is significant, a surplus as much as a shortfall; `GapFinding.shortfall`
says which.

Examples:
    >>> from retail_service_quality import AttainmentRow, wilson_interval
    >>> row = AttainmentRow(pledge_id="hotline", store_id="S1", n=200, met=150, not_met=50,
    ...     share=0.75, interval=wilson_interval(150, 200), target=0.8, gap=-0.05,
    ...     p_value=shortfall_p_value(150, 200, 0.8), status="not_met")
    >>> [finding] = pledge_gaps([row])
    >>> finding.kind.value, finding.size, finding.shortfall, finding.significant
    ('pledged_vs_real', -0.05, True, True)
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import (
    InsufficientDataError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics.instruments import QuestionMeasure
from retail_service_quality.metrics.statistics import _normal_sf, _student_t_sf, _z
from retail_service_quality.metrics.surveys import (
    SERVQUAL_DIMENSIONS,
    ServqualResponse,
    _respondents,
)
from retail_service_quality.quality.attainment import AttainmentRow, shortfall_p_value
from retail_service_quality.quality.criteria import (
    CriterionResult,
    CriterionStatus,
    StandardReference,
    _channel,
    _check_confidence,
)
from retail_service_quality.quality.indicators import Direction
from retail_service_quality.quality.pledges import ServicePledge
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage._target import check_target, unit_of

__all__ = [
    "GapFinding",
    "GapKind",
    "ServiceStandardLevel",
    "expectation_gaps",
    "pledge_gaps",
    "standard_gaps",
    "stored_expectation_gaps",
]

_EXACT: Final = "exact: counted over every case, no test"
_BINOMIAL: Final = "one-sided exact binomial test of the shortfall"
_NORMAL: Final = "one-sided normal test, standard error from the interval's half-width"
_STUDENT: Final = "one-sided one-sample t-test of the respondents' expectation scores"
_NO_SPREAD: Final = "no spread: every respondent gave the same score, no test"
_MAX_N: Final = 10**12
_MAX_SCALE: Final = 1_000


class GapKind(StrEnum):
    """Which of the three gaps a finding measures.

    Examples:
        >>> GapKind("standard_vs_expectation").value
        'standard_vs_expectation'
    """

    STANDARD_VS_REAL = "standard_vs_real"
    """A criterion's target against the measured value (`standard_gaps`)."""
    PLEDGED_VS_REAL = "pledged_vs_real"
    """A pledge's target share against the share of cases that met it (`pledge_gaps`)."""
    STANDARD_VS_EXPECTATION = "standard_vs_expectation"
    """A standard's level against the customers' expectation (`expectation_gaps`)."""


def _kind(value: GapKind | str) -> GapKind:
    return lenient_enum(GapKind, value)


def _numbers(value: Iterable[int]) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def _check_keys(finding: GapFinding, problems: Problems) -> None:
    for name in ("store_id", "business_unit", "staff_id", "criterion_id", "pledge_id"):
        check_id(getattr(finding, name), f"$.{name}", problems, optional=True)
    check_id(finding.instrument_id, "$.instrument_id", problems, optional=True)
    _check_edition(finding.instrument_edition, problems)
    if finding.channel is not None:
        check_enum(finding.channel, Channel, "$.channel", problems)
    month = finding.month
    if month is not None and (
        not isinstance(month, date) or isinstance(month, datetime) or month.day != 1
    ):
        problems.add("$.month", "must be the first day of a month, or None", "type")
    weekday = finding.weekday
    if weekday is not None and (
        isinstance(weekday, bool) or not isinstance(weekday, int) or not 1 <= weekday <= 7
    ):
        problems.add("$.weekday", "must be an ISO weekday, 1 (Monday) to 7, or None", "range")
    hour = finding.hour
    if hour is not None and (
        isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23
    ):
        problems.add("$.hour", "must be an hour of the day, 0 to 23, or None", "range")


def _check_edition(edition: object, problems: Problems) -> None:
    if edition is not None and (
        isinstance(edition, bool) or not isinstance(edition, int) or not 1 <= edition <= _MAX_N
    ):
        problems.add("$.instrument_edition", "must be an edition number, from 1, or None", "range")


def _check_finding(finding: GapFinding, problems: Problems) -> None:
    check_enum(finding.kind, GapKind, "$.kind", problems)
    check_id(finding.subject, "$.subject", problems)
    _check_keys(finding, problems)
    for name in ("size", "measured", "reference"):
        check_number(getattr(finding, name), f"$.{name}", problems)
    check_text(finding.unit, "$.unit", problems)
    check_text(finding.test, "$.test", problems)
    n = finding.n
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= _MAX_N:
        problems.add("$.n", f"must be a whole number of cases from 1 to {_MAX_N:,}", "range")
    if finding.p_value is not None:
        check_number(finding.p_value, "$.p_value", problems, low=0, high=1)
    if not isinstance(finding.significant, bool):
        problems.add("$.significant", "must be true or false", "type")
    _check_confidence(finding.confidence, problems)
    if finding.standard is not None and not isinstance(finding.standard, StandardReference):
        problems.add("$.standard", "must be a StandardReference or None", "type")
    versions = finding.pledge_versions
    if not isinstance(versions, tuple):
        problems.add("$.pledge_versions", "must be a list of version numbers", "type")
    else:
        for index, number in enumerate(versions):
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                problems.add(
                    join_path("$.pledge_versions", index),
                    "must be a version number, from 1",
                    "type",
                )


@attrs.frozen(kw_only=True)
class GapFinding(Tabular):
    """One gap between what was set (a standard, a pledge) and what was found.

    A group key that does not apply is ``None``. ``size`` is negative for a
    shortfall whatever the indicator's direction, in the indicator's unit
    (the share for a pledge, the instrument's scale points for an
    expectation). ``p_value`` is the one-sided test of a shortfall named in
    ``test``; ``None`` for a value counted over every case, whose non-zero
    gaps are all significant.

    Attributes:
        kind: which gap (`GapKind`).
        subject: the indicator, pledge or SERVQUAL dimension the gap is about.
        store_id: the group's store, or ``None``.
        channel: the group's channel, or ``None``.
        business_unit: the group's business unit, or ``None``.
        staff_id: the group's staff member, or ``None`` (never in `explain`).
        month: the first day of the group's local month, or ``None``.
        weekday: the group's ISO weekday (1 = Monday), or ``None``.
        hour: the group's local hour (0-23), or ``None``.
        size: the signed gap: negative for a shortfall.
        unit: the unit of ``size``, ``measured`` and ``reference``.
        measured: what was found: the value, the share met, the mean expectation.
        reference: what was set: the target, the share pledged, the standard's level.
        n: the cases or respondents behind ``measured``.
        p_value: the one-sided p-value of a shortfall, or ``None`` without a test.
        significant: whether the gap is beyond noise at ``confidence``.
        confidence: the stated level: significant when ``p_value < 1 - confidence``.
        test: the test, in words.
        criterion_id: the criterion that set the target (standard vs real), or ``None``.
        standard: the standard behind the target or level, or ``None``.
        pledge_id: the pledge (pledged vs real), or ``None``.
        pledge_versions: the pledge's versions in force over the period.
        instrument_id: the survey instrument the expectations came from, or ``None``.
        instrument_edition: the edition of it answered, or ``None``.

    Examples:
        >>> finding = GapFinding(kind="standard_vs_real", subject="asa", size=-5.0,
        ...     unit="seconds", measured=25.0, reference=20.0, n=400, p_value=0.001,
        ...     significant=True, test="one-sided normal test", criterion_id="asa-hotline",
        ...     standard=StandardReference("SQ-01"))
        >>> finding.shortfall, finding.to_records()[0]["standard_id"]
        (True, 'SQ-01')

    Raises:
        ValidationError: every problem, with its path.
    """

    kind: GapKind = attrs.field(default=REQUIRED, converter=_kind)
    subject: str = attrs.field(default=REQUIRED)
    store_id: str | None = None
    channel: Channel | None = attrs.field(default=None, converter=_channel)
    business_unit: str | None = None
    staff_id: str | None = None
    month: date | None = None
    weekday: int | None = None
    hour: int | None = None
    size: float = attrs.field(default=REQUIRED)
    unit: str = "share"
    measured: float = attrs.field(default=REQUIRED)
    reference: float = attrs.field(default=REQUIRED)
    n: int = attrs.field(default=REQUIRED)
    p_value: float | None = None
    significant: bool = False
    confidence: float = 0.95
    test: str = ""
    criterion_id: str | None = None
    standard: StandardReference | None = None
    pledge_id: str | None = None
    pledge_versions: tuple[int, ...] = attrs.field(
        default=(), converter=_numbers, metadata={"records": False}
    )
    instrument_id: str | None = None
    instrument_edition: int | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_finding(self, problems)
        raise_problems(self, problems)

    @property
    def shortfall(self) -> bool:
        """Whether the gap is a shortfall (``size < 0``).

        Examples:
            >>> GapFinding(kind="pledged_vs_real", subject="p", size=0.02, measured=0.82,
            ...     reference=0.8, n=100).shortfall
            False
        """
        return self.size < 0

    def explain(self) -> str:
        """The finding in one line, for a report: no personal data (no staff member).

        Examples:
            >>> GapFinding(kind="pledged_vs_real", subject="hotline", store_id="S1",
            ...     size=-0.05, measured=0.75, reference=0.8, n=200, p_value=0.04,
            ...     significant=True, pledge_id="hotline", pledge_versions=(2,)).explain()
            'pledged vs real: hotline (store S1): 0.75 against 0.8 share, short by 0.05, n = 200, p = 0.04, significant at 95%; pledge hotline v2'
        """  # noqa: E501
        where = [
            f"{label} {value}"
            for label, value in (
                ("business unit", self.business_unit),
                ("store", self.store_id),
                ("channel", None if self.channel is None else self.channel.value),
                ("month", None if self.month is None else self.month.isoformat()[:7]),
                ("weekday", self.weekday),
                ("hour", self.hour),
            )
            if value is not None
        ]
        head = f"{self.kind.value.replace('_', ' ')}: {self.subject}"
        if where:
            head += f" ({', '.join(where)})"
        if self.size < 0:
            gap = f"short by {_number(-self.size)}"
        elif self.size > 0:
            gap = f"ahead by {_number(self.size)}"
        else:
            gap = "on target"
        verdict = "significant" if self.significant else "not significant"
        level = f"{_number(self.confidence * 100)}%"
        tested = "exact" if self.p_value is None else f"p = {_number(self.p_value)}"
        line = (
            f"{head}: {_number(self.measured)} against {_number(self.reference)} {self.unit}, "
            f"{gap}, n = {self.n}, {tested}, {verdict} at {level}"
        )
        return line + _sources(self)


def _number(value: float) -> str:
    return f"{value:.4g}"


def _sources(finding: GapFinding) -> str:
    parts: list[str] = []
    if finding.criterion_id is not None:
        parts.append(f"criterion {finding.criterion_id}")
    if finding.pledge_id is not None:
        versions = ",".join(str(number) for number in finding.pledge_versions)
        parts.append(f"pledge {finding.pledge_id}" + (f" v{versions}" if versions else ""))
    if finding.instrument_id is not None:
        edition = finding.instrument_edition
        parts.append(
            f"instrument {finding.instrument_id}"
            + ("" if edition is None else f" edition {edition}")
        )
    if finding.standard is not None:
        standard = finding.standard
        parts.append(
            f"standard {standard.id}" + ("" if standard.version is None else f" {standard.version}")
        )
    return "; " + ", ".join(parts) if parts else ""


# ---------------------------------------------------------------- arguments


def _items(value: object, path: str, kind: type, name: str, problems: Problems) -> list[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        problems.add(path, f"must be a list of {name}", "type")
        return []
    found: list[Any] = []
    for index, item in enumerate(value):
        if isinstance(item, kind):
            found.append(item)
        else:
            problems.add(join_path(path, index), f"must be a {name}", "type")
    return found


# ---------------------------------------------------------------- standard vs real


def _share_p_value(value: float, n: int, target: float, direction: Direction) -> float:
    """The exact binomial p-value of a share's shortfall, for either direction."""
    cases = min(max(round(value * n), 0), n)
    if direction is Direction.HIGHER_IS_BETTER:
        if target <= 0:
            return 1.0  # nothing can fall short of nothing
        if target > 1:
            return 0.0  # every share falls short
        return shortfall_p_value(cases, n, target)
    # Lower is better: a shortfall is too many cases; P(X >= cases) = P(n - X <= n - cases).
    if target >= 1:
        return 1.0
    if target < 0:
        return 0.0
    return shortfall_p_value(n - cases, n, 1 - target)


def _test(result: CriterionResult, size: float) -> tuple[float | None, str]:
    interval = result.interval
    if interval is None:
        return None, _EXACT
    assert result.value is not None
    if result.unit == "share" and 0 <= result.value <= 1:
        return _share_p_value(result.value, result.n, result.target, result.direction), _BINOMIAL
    half = (interval.high - interval.low) / 2
    z = _z(interval.confidence)
    if not half > 0 or not z > 0:
        return None, _EXACT
    error = half / z
    return min(max(_normal_sf(-size / error), 0.0), 1.0), _NORMAL


def _significant(p_value: float | None, size: float, confidence: float) -> bool:
    if p_value is None:
        return bool(size != 0)
    return bool(p_value < 1 - confidence)  # a numpy float's comparison is a numpy bool


def _standard_finding(result: CriterionResult, confidence: float) -> GapFinding:
    assert result.value is not None
    value = float(result.value)
    target = float(result.target)
    size = value - target if result.direction is Direction.HIGHER_IS_BETTER else target - value
    p_value, test = _test(result, size)
    return GapFinding(
        kind=GapKind.STANDARD_VS_REAL,
        subject=result.indicator_id,
        store_id=result.store_id,
        channel=result.channel,
        business_unit=result.business_unit,
        staff_id=result.staff_id,
        month=result.month,
        weekday=result.weekday,
        hour=result.hour,
        size=size,
        unit=result.unit,
        measured=value,
        reference=target,
        n=result.n,
        p_value=p_value,
        significant=_significant(p_value, size, confidence),
        confidence=confidence,
        test=test,
        criterion_id=result.criterion_id,
        standard=result.standard,
    )


def standard_gaps(
    results: Iterable[CriterionResult], *, confidence: float = 0.95
) -> RecordList[GapFinding]:
    """The gap between standard and real service: each judged value against its target.

    One finding per `CriterionResult` with a colour; a result with
    ``not_enough_data`` gives none (too few cases to say anything: the
    criterion's own ``min_n`` decides). ``size`` is ``value - target`` where
    higher is better, ``target - value`` where lower is better: negative for
    a shortfall either way.

    The test of the shortfall, by the kind of value:

    - a share (unit ``"share"``) with an interval: the exact binomial test
      of ``round(value * n)`` cases in ``n`` against the target
      (`shortfall_p_value`), or its mirror where lower is better (too many
      abandons: ``P(X >= cases)``);
    - any other value with an interval (a mean, NPS points, a percentile):
      a normal test whose standard error is the interval's half-width over
      the normal quantile of the interval's confidence; an approximation
      for asymmetric intervals;
    - a value without an interval (counted over every case), or with an
      interval of no width: no test, ``p_value`` ``None``, significant when
      the gap is not zero.

    ``significant`` is ``p_value < 1 - confidence``.

    Examples:
        >>> from retail_service_quality import wilson_interval
        >>> result = CriterionResult(criterion_id="abandon-hotline", indicator_id="abandon",
        ...     store_id="S1", status="red", value=0.08, n=1000, unit="share",
        ...     interval=wilson_interval(80, 1000), direction="lower", target=0.05,
        ...     amber_threshold=0.07, min_n=30, standard=StandardReference("SQ-01"))
        >>> [finding] = standard_gaps([result])
        >>> round(finding.size, 2), finding.p_value < 0.001, finding.significant
        (-0.03, True, True)

    Raises:
        ValidationError: every problem with the arguments, with its path
            (``$.results[2]``, ``$.confidence``).
    """
    problems = Problems()
    given = _items(results, "$.results", CriterionResult, "CriterionResult", problems)
    level = _check_confidence(confidence, problems)
    problems.raise_if_any()
    findings: list[GapFinding] = []
    for index, result in enumerate(given):
        if result.status is CriterionStatus.NOT_ENOUGH_DATA or result.value is None:
            continue
        try:
            findings.append(_standard_finding(result, level))
        except ValidationError as error:  # a gap beyond a float, or more cases than counted
            problems.extend(error.problems, under=join_path("$.results", index))
    problems.raise_if_any()
    return RecordList(GapFinding, findings)


# ---------------------------------------------------------------- pledged vs real


def _versions_in_force(
    pledge: ServicePledge, start: datetime | None, end: datetime | None
) -> tuple[int, ...]:
    """The numbers of the versions in force at some instant of ``[start, end)``."""
    versions = pledge.versions
    low = None if start is None else start.astimezone(UTC)
    high = None if end is None else end.astimezone(UTC)
    withdrawn = None if pledge.ends_at is None else pledge.ends_at.astimezone(UTC)
    found: list[int] = []
    for index, version in enumerate(versions):
        begins = version.effective_from.astimezone(UTC)
        stops = (
            versions[index + 1].effective_from.astimezone(UTC)
            if index + 1 < len(versions)
            else None
        )
        if withdrawn is not None and (stops is None or withdrawn < stops):
            stops = withdrawn
        if high is not None and begins >= high:
            continue
        if low is not None and stops is not None and stops <= low:
            continue
        found.append(version.number)
    return tuple(found)


def _pledge_finding(
    row: AttainmentRow,
    pledge: ServicePledge | None,
    start: datetime | None,
    end: datetime | None,
    confidence: float,
) -> GapFinding:
    assert row.gap is not None  # rows without measured cases are skipped
    assert row.share is not None
    p_value = row.p_value
    return GapFinding(
        kind=GapKind.PLEDGED_VS_REAL,
        subject=row.pledge_id,
        store_id=row.store_id,
        channel=row.channel,
        business_unit=row.business_unit,
        month=row.month,
        size=row.gap,
        unit="share",
        measured=row.share,
        reference=row.target,
        n=row.n,
        p_value=p_value,
        significant=_significant(p_value, row.gap, confidence)
        if isinstance(p_value, float | int) and isinstance(row.gap, float | int)
        else False,
        confidence=confidence,
        test=_BINOMIAL if p_value is not None else _EXACT,
        pledge_id=row.pledge_id,
        pledge_versions=() if pledge is None else _versions_in_force(pledge, start, end),
    )


def pledge_gaps(
    rows: Iterable[AttainmentRow],
    *,
    pledges: Iterable[ServicePledge] = (),
    start: datetime | None = None,
    end: datetime | None = None,
    confidence: float = 0.95,
) -> RecordList[GapFinding]:
    """The gap between pledged and real service: each group's share met against its target.

    One finding per `AttainmentRow` (from `pledge_attainment`) with
    measured cases; a row without any gives none. ``size`` is the row's
    ``gap`` (``share - target``), its ``p_value`` the row's exact binomial
    test of the shortfall, ``significant`` when it is below
    ``1 - confidence``. A row with fewer cases than the attainment's
    ``min_n`` still gives a finding: the test says how much its few cases
    show.

    ``pledges`` gives each row's pledge (by id) so that the finding lists
    the versions in force over ``[start, end)`` (every version when no
    period is given; none for a pledge not given).

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import AttainmentRow, PledgeStandard, ServicePledge
        >>> pledge = ServicePledge.create(id="hotline",
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     wording="We answer 80% of calls within 30 seconds.",
        ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        ...     target_share=0.8)
        >>> row = AttainmentRow(pledge_id="hotline", n=50, met=39, not_met=11, share=0.78,
        ...     target=0.8, gap=-0.02, p_value=shortfall_p_value(39, 50, 0.8))
        >>> [finding] = pledge_gaps([row], pledges=[pledge])
        >>> finding.pledge_versions, finding.significant
        ((1,), False)

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """
    problems = Problems()
    given = _items(rows, "$.rows", AttainmentRow, "AttainmentRow", problems)
    known = _items(pledges, "$.pledges", ServicePledge, "ServicePledge", problems)
    for value, path in ((start, "$.start"), (end, "$.end")):
        if value is not None:
            check_aware(value, path, problems)
    level = _check_confidence(confidence, problems)
    problems.raise_if_any()
    by_id = {pledge.id: pledge for pledge in known}
    findings: list[GapFinding] = []
    for index, row in enumerate(given):
        if not row.n or row.share is None or row.gap is None:
            continue
        pledge = by_id.get(row.pledge_id)
        try:
            findings.append(_pledge_finding(row, pledge, start, end, level))
        except ValidationError as error:  # a row built by hand, with bad values
            problems.extend(error.problems, under=join_path("$.rows", index))
    problems.raise_if_any()
    return RecordList(GapFinding, findings)


# ---------------------------------------------------------------- standard vs expectation


@attrs.frozen
class ServiceStandardLevel:
    """The level a service standard commits to on one SERVQUAL dimension.

    Stated on the survey instrument's scale (1 to 7 for the 1988
    instrument): the expectation score a customer would give a service that
    does exactly what the standard sets. `expectation_gaps` compares it with
    what customers expect.

    Attributes:
        dimension: the SERVQUAL dimension (`SERVQUAL_DIMENSIONS`).
        level: the level committed to, on the instrument's scale (at least 1).
        standard: the standard that sets it (`StandardReference`).

    Examples:
        >>> from retail_service_quality import StandardReference
        >>> ServiceStandardLevel("responsiveness", 5.5, StandardReference("SQ-01")).level
        5.5

    Raises:
        ValidationError: every problem, with its path.
    """

    dimension: str = attrs.field(default=REQUIRED)
    level: float = attrs.field(default=REQUIRED)
    standard: StandardReference = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.dimension, str) or self.dimension not in SERVQUAL_DIMENSIONS:
            problems.add(
                "$.dimension",
                "must be a SERVQUAL dimension: " + ", ".join(SERVQUAL_DIMENSIONS),
                "unknown_choice" if isinstance(self.dimension, str) else "type",
            )
        if isinstance(self.level, bool):
            problems.add("$.level", "must be a number, not true or false", "type")
        else:
            check_number(self.level, "$.level", problems, low=1, high=_MAX_SCALE)
        if not isinstance(self.standard, StandardReference):
            problems.add("$.standard", "must be a StandardReference", "type")
        raise_problems(self, problems)


def _t_test(scores: list[float], level: float) -> tuple[float, float | None, str]:
    """The mean score and the one-sided p-value that customers expect more than ``level``."""
    n = len(scores)
    mean = math.fsum(scores) / n
    squares = math.fsum((score - mean) ** 2 for score in scores)
    if squares <= 0:
        return mean, (0.0 if mean > level else 1.0), _NO_SPREAD
    error = math.sqrt(squares / (n - 1) / n)
    t = (mean - level) / error
    p_value = _student_t_sf(t, n - 1) if t >= 0 else 1 - _student_t_sf(-t, n - 1)
    return mean, min(max(p_value, 0.0), 1.0), _STUDENT


def expectation_gaps(
    levels: Iterable[ServiceStandardLevel],
    responses: Iterable[ServqualResponse],
    *,
    scale: int = 7,
    reverse_items: Collection[int] = (),
    confidence: float = 0.95,
    store_id: str | None = None,
    business_unit: str | None = None,
    instrument_id: str | None = None,
    instrument_edition: int | None = None,
) -> RecordList[GapFinding]:
    """The gap between standard and expectation: each dimension's level against what customers
    expect.

    Each respondent's expectation score on a dimension is the mean of the
    dimension's expectation items they answered (as `servqual` scores it,
    ``reverse_items`` scored ``scale + 1 - x``). ``size`` is ``level - mean
    expectation``: negative when the standard promises less than customers
    expect. ``p_value`` is the one-sided one-sample t-test that the mean
    expectation is above the level (equal to
    ``scipy.stats.ttest_1samp(scores, level, alternative="greater")``); when
    every respondent gave the same score there is no spread to test, and the
    p-value is 0 if they expect more than the level, else 1.

    One finding per level, in the order given; a dimension fewer than two
    respondents answered gives none (a t-test needs two), and no response at all
    gives no finding. ``store_id``,
    ``business_unit``, ``instrument_id`` and ``instrument_edition`` label
    where the responses came from.

    Examples:
        >>> from retail_service_quality import ServqualResponse, StandardReference
        >>> responses = [ServqualResponse({10: e, 11: e}, {}) for e in (6, 7, 6, 7, 7, 6)]
        >>> level = ServiceStandardLevel("responsiveness", 5.0, StandardReference("SQ-01"))
        >>> [finding] = expectation_gaps([level], responses)
        >>> finding.size, finding.n, finding.significant
        (-1.5, 6, True)

    Raises:
        ValidationError: every problem with the arguments, with its path: a level
            above the scale, a dimension given twice, every bad response.
    """
    problems = Problems()
    given = _items(levels, "$.levels", ServiceStandardLevel, "ServiceStandardLevel", problems)
    seen: set[str] = set()
    top = scale if isinstance(scale, int) and not isinstance(scale, bool) else None
    for index, item in enumerate(given):
        path = join_path("$.levels", index)
        if item.dimension in seen:
            problems.add(
                join_path(path, "dimension"), "repeats another level's dimension", "duplicate"
            )
        seen.add(item.dimension)
        if top is not None and item.level > top:
            problems.add(join_path(path, "level"), "must be on the scale: at most its top", "range")
    level_ok = _check_confidence(confidence, problems)
    for name, value in (
        ("store_id", store_id),
        ("business_unit", business_unit),
        ("instrument_id", instrument_id),
    ):
        check_id(value, f"$.{name}", problems, optional=True)
    _check_edition(instrument_edition, problems)
    respondents: list[Any] = []
    try:
        respondents = _respondents(responses, scale, reverse_items)
    except ValidationError as error:
        problems.extend(error.problems)
    except InsufficientDataError:
        respondents = []  # no response: no dimension has the two respondents a finding needs
    problems.raise_if_any()
    findings: list[GapFinding] = []
    for item in given:
        name = item.dimension
        scores = [r.expectation[name] for r in respondents if name in r.expectation]
        if len(scores) < 2:
            continue
        mean, p_value, test = _t_test(scores, float(item.level))
        size = float(item.level) - mean
        findings.append(
            GapFinding(
                kind=GapKind.STANDARD_VS_EXPECTATION,
                subject=item.dimension,
                store_id=store_id,
                business_unit=business_unit,
                size=size,
                unit="scale points",
                measured=mean,
                reference=float(item.level),
                n=len(scores),
                p_value=p_value,
                significant=_significant(p_value, size, level_ok),
                confidence=level_ok,
                test=test,
                standard=item.standard,
                instrument_id=instrument_id,
                instrument_edition=instrument_edition,
            )
        )
    return RecordList(GapFinding, findings)


def _stored_responses(
    uow: Any, instrument_id: str, start: datetime, end: datetime, store_id: str | None
) -> tuple[list[ServqualResponse], int, set[int]]:
    """The stored responses as expectation scores (reversed items already turned), the
    instrument's scale, and the editions answered."""
    surveys = uow.surveys
    editions: dict[int, list[tuple[str, int, bool]]] = {}
    scales: set[int] = set()
    found: list[ServqualResponse] = []
    for response in surveys.responses.query(
        start=start, end=end, instrument_id=instrument_id, store_id=store_id
    ):
        questions = editions.get(response.edition)
        if questions is None:
            instrument = surveys.instruments.get(instrument_id, response.edition)
            questions = editions[response.edition] = [
                (question.id, question.item, question.reverse_scored)
                for question in instrument.questions
                if question.measures is QuestionMeasure.SERVQUAL_EXPECTATION
                and question.item is not None
                and question.high is not None
            ]
            scales.update(
                question.high
                for question in instrument.questions
                if question.measures is QuestionMeasure.SERVQUAL_EXPECTATION
                and question.high is not None
            )
        top = max(scales, default=7)
        answers = response.answers
        expectations = {
            item: top + 1 - answers[question] if reverse else answers[question]
            for question, item, reverse in questions
            if question in answers
        }
        if expectations:
            found.append(ServqualResponse(expectations, {}))
    return found, max(scales, default=7), set(editions)


def stored_expectation_gaps(
    target: Any,
    levels: Iterable[ServiceStandardLevel],
    *,
    start: datetime,
    end: datetime,
    instrument_id: str = "servqual",
    store_id: str | None = None,
    business_unit: str | None = None,
    confidence: float = 0.95,
) -> RecordList[GapFinding]:
    """`expectation_gaps` over the stored responses to a SERVQUAL instrument.

    Reads the responses received in ``[start, end)`` (instants) to
    ``instrument_id`` (at ``store_id``, if given) from ``target``, a store
    (read in a read-only unit of work) or an open unit of work. Each
    response's expectation answers (the questions that measure
    ``servqual_expectation``, by their SERVQUAL item) become its
    expectation scores, reverse-scored items turned on the edition's scale;
    responses without an expectation answer are left out. The findings are
    those of `expectation_gaps`, labelled with the instrument, its edition
    (when every response answered the same one), the store and
    ``business_unit``. Only closed answers are read: no customer, no
    comment.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import (InMemoryStore, StandardReference, SurveyResponse,
        ...     record_survey_response, servqual_instrument)
        >>> store, at = InMemoryStore(), datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
        >>> for i, score in enumerate([6, 7, 7, 6]):
        ...     _ = record_survey_response(store, servqual_instrument(), SurveyResponse(
        ...         id=f"R-{i}", instrument_id="servqual", edition=1, store_id="S1",
        ...         channel="meeting", received_at=at, answers={"e10": score, "e11": score}))
        >>> [finding] = stored_expectation_gaps(store,
        ...     [ServiceStandardLevel("responsiveness", 5.0, StandardReference("SQ-01"))],
        ...     start=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc))
        >>> finding.size, finding.n, finding.instrument_edition
        (-1.5, 4, 1)

    Raises:
        ValidationError: every problem with the arguments, with its path.
        NotFoundError: a response whose instrument edition is not stored.
    """
    problems = Problems()
    check_target(target, "surveys", problems)
    for value, path in ((start, "$.start"), (end, "$.end")):
        check_aware(value, path, problems)
    check_id(instrument_id, "$.instrument_id", problems)
    check_id(store_id, "$.store_id", problems, optional=True)
    check_id(business_unit, "$.business_unit", problems, optional=True)
    given = _items(levels, "$.levels", ServiceStandardLevel, "ServiceStandardLevel", problems)
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    with unit_of(target, "surveys", read_only=True) as uow:
        responses, scale, editions = _stored_responses(uow, instrument_id, start, end, store_id)
    return expectation_gaps(
        given,
        responses,
        scale=scale,
        confidence=confidence,
        store_id=store_id,
        business_unit=business_unit,
        instrument_id=instrument_id,
        instrument_edition=next(iter(editions)) if len(editions) == 1 else None,
    )
