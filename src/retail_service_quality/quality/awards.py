"""Quality award schemes: fair rankings of staff, stores or business units on one indicator.

An `AwardScheme` is data a UI edits (JSON, `json_schema(AwardScheme)`): who
competes (staff, stores, business units), over which period, on which
indicator and in which direction, who is eligible (a `RuleSet` of the rule
engine over each candidate's facts), how candidates are ranked, how many
places are awarded and how ties are broken.

A raw league table rewards luck: three perfect surveys beat 190 good ones
out of 200. The two ranking methods adjust for volume and small samples:

- ``lower_bound``: rank by the lower end of the candidate's confidence
  interval at the scheme's confidence (two-sided): the Wilson interval for a
  share; for a mean rating, the Student t interval from the rating counts;
  for NPS, the Wald interval from the 0-10 counts; for another mean, the t
  interval at the scheme's confidence re-derived from the value's own
  interval. For a lower-is-better indicator the upper end, ranked upwards
  (the mirror image).
- ``shrunken``: rank by an empirical-Bayes estimate (shares only): each
  share is pulled towards the pooled share by a beta prior fitted across the
  candidates by the method of moments (see `shrunken_shares`).

Examples:
    >>> from retail_service_quality import IndicatorValue
    >>> scheme = AwardScheme(id="csat-agents", name="Agent of the quarter",
    ...     level="staff", period="quarter", indicator_id="csat", direction="higher")
    >>> values = [
    ...     IndicatorValue(indicator_id="csat", staff_id="A-3", value=1.0, n=3, successes=3),
    ...     IndicatorValue(indicator_id="csat", staff_id="A-7", value=0.95, n=200,
    ...                    successes=190),
    ... ]
    >>> ranking = rank_candidates(scheme, values)
    >>> [(candidate, row.place) for candidate, row in ranking.places.items()]
    [('A-7', 1), ('A-3', 2)]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality._internal.checks import check_count, check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION
from retail_service_quality._internal.times import instant_problem, zone_named
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_text,
    check_version,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import Problem, Problems, ValidationError, join_path
from retail_service_quality.metrics.statistics import (
    Interval,
    _betainc,
    _student_t_isf,
    _wilson,
    _z,
)
from retail_service_quality.quality.criteria import PerformanceCriterion, evaluate_criteria
from retail_service_quality.quality.indicators import (
    Direction,
    IndicatorCatalogue,
    IndicatorValue,
    TransactionCount,
)
from retail_service_quality.rules import Rule, RuleSet, Verdict, flag, not_
from retail_service_quality.rules._conditions import Condition

__all__ = [
    "AwardLevel",
    "AwardPeriod",
    "AwardPlace",
    "AwardRanking",
    "AwardResult",
    "AwardScheme",
    "AwardStatus",
    "PublishedPlace",
    "RankingMethod",
    "TieBreak",
    "TieBreakKind",
    "award_ranking",
    "award_requirement",
    "rank_candidates",
    "shrunken_shares",
]

T = TypeVar("T")

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_RANGE: Final = "must lie in a period within the supported range, 0001-01-02 to 9999-12-30 (UTC)"
_MAX_PLACES: Final = 1_000


class AwardLevel(StrEnum):
    """Who competes for an award.

    Examples:
        >>> AwardLevel("staff").key
        'staff_id'
    """

    STAFF = "staff"
    """Staff members (an indicator grouped by ``staff``)."""
    STORE = "store"
    """Stores (grouped by ``store``)."""
    BUSINESS_UNIT = "business_unit"
    """Business units (grouped by ``business_unit``)."""

    @property
    def key(self) -> str:
        """The `IndicatorValue` attribute that names a candidate.

        Examples:
            >>> AwardLevel.BUSINESS_UNIT.key
            'business_unit'
        """
        return {"staff": "staff_id", "store": "store_id"}.get(self.value, self.value)


class AwardPeriod(StrEnum):
    """The period rule: which periods an award is given for, in local time.

    Examples:
        >>> AwardPeriod("quarter").months
        3
    """

    MONTH = "month"
    """A calendar month."""
    QUARTER = "quarter"
    """A calendar quarter: January, April, July or October to the next."""
    HALF_YEAR = "half_year"
    """January to June, or July to December."""
    YEAR = "year"
    """A calendar year."""
    ANY = "any"
    """Any period the caller gives."""

    @property
    def months(self) -> int | None:
        """How many months a period lasts, or ``None`` for ``any``.

        Examples:
            >>> AwardPeriod.ANY.months is None
            True
        """
        return {"month": 1, "quarter": 3, "half_year": 6, "year": 12}.get(self.value)


class RankingMethod(StrEnum):
    """How candidates are ranked: each adjusts for volume and small samples.

    Examples:
        >>> RankingMethod("shrunken").value
        'shrunken'
    """

    LOWER_BOUND = "lower_bound"
    """The lower end of the confidence interval (the upper end when less is better)."""
    SHRUNKEN = "shrunken"
    """An empirical-Bayes estimate: shares pulled towards the pooled share (shares only)."""


class TieBreakKind(StrEnum):
    """What separates candidates with equal scores.

    Examples:
        >>> TieBreakKind("n").value
        'n'
    """

    N = "n"
    """More cases first."""
    INDICATOR = "indicator"
    """Another indicator's value, better first in its own direction (no value last)."""
    ID = "id"
    """The candidate's id, in text order."""


def _kind(value: TieBreakKind | str) -> TieBreakKind:
    return lenient_enum(TieBreakKind, value)


@attrs.frozen
class TieBreak:
    """One tie-break: ``n`` (more cases first), ``indicator`` (another indicator's value,
    better first) or ``id``.

    Attributes:
        by: what separates the tied candidates (`TieBreakKind`).
        indicator_id: the other indicator, for ``by="indicator"`` only.

    Examples:
        >>> TieBreak("indicator", "fcr_survey").indicator_id
        'fcr_survey'

    Raises:
        ValidationError: an unknown kind, an indicator left out for ``indicator`` or given
            for another kind.
    """

    by: TieBreakKind = attrs.field(default=REQUIRED, converter=_kind)
    indicator_id: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_enum(self.by, TieBreakKind, "$.by", problems)
        if self.by is TieBreakKind.INDICATOR:
            check_id(self.indicator_id, "$.indicator_id", problems)
        elif self.indicator_id is not None:
            problems.add("$.indicator_id", "must be left out unless by is indicator", "unexpected")
        raise_problems(self, problems)

    @property
    def label(self) -> str:
        """The tie-break as a ranking row names it: ``n``, ``id`` or ``indicator:<id>``.

        Examples:
            >>> TieBreak("indicator", "nps").label, TieBreak("n").label
            ('indicator:nps', 'n')
        """
        if self.by is TieBreakKind.INDICATOR:
            return f"indicator:{self.indicator_id}"
        return self.by.value


_DEFAULT_TIE_BREAKS: Final = (TieBreak(TieBreakKind.N), TieBreak(TieBreakKind.ID))


def _tie_breaks(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _ids(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _level(value: AwardLevel | str) -> AwardLevel:
    return lenient_enum(AwardLevel, value)


def _period(value: AwardPeriod | str) -> AwardPeriod:
    return lenient_enum(AwardPeriod, value)


def _method(value: RankingMethod | str) -> RankingMethod:
    return lenient_enum(RankingMethod, value)


def _direction(value: Direction | str) -> Direction:
    return lenient_enum(Direction, value)


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local date (the first valid time where midnight is skipped)."""
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    if midnight.astimezone(UTC).astimezone(zone).replace(tzinfo=None) > midnight.replace(
        tzinfo=None
    ):
        return midnight.astimezone(UTC).astimezone(zone)
    return midnight


@attrs.frozen(kw_only=True)
class AwardScheme:
    """A quality award scheme: who competes, on what, who is eligible, and how they rank.

    Attributes:
        id: the scheme's identifier.
        name: its name, as a report shows it.
        level: who competes (`AwardLevel`): staff, stores or business units.
        period: the period rule (`AwardPeriod`): month, quarter, half year, year or any.
        indicator_id: the indicator ranked on (an id of the indicator catalogue).
        direction: whether more of it is better (`Direction`).
        eligibility: the rules that exclude a candidate (each rule that fires excludes
            it, with the verdict that says why; `award_requirement` writes one from a
            requirement), over the candidate's facts; ``None``: everyone with data.
        eligibility_indicators: further indicators `award_ranking` computes so that the
            eligibility rules can read them (``complaint_rate``...).
        method: the ranking method (`RankingMethod`).
        confidence: the confidence of the intervals, strictly between 0 and 1.
        places: how many places are awarded, from 1.
        tie_breaks: what separates equal scores, in order; candidates equal on all of them
            share a place (listed by id).
        description: what the award is for.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from retail_service_quality.rules import ge
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> scheme = AwardScheme(id="csat-agents", name="Agent of the quarter",
        ...     level="staff", period="quarter", indicator_id="csat", direction="higher",
        ...     eligibility=RuleSet(id="csat-agents.eligibility",
        ...         rules=[award_requirement("min_n", ge("n", 30),
        ...                                  description="At least 30 surveys.")]),
        ...     method="shrunken", places=3)
        >>> from_json(to_json(scheme), AwardScheme) == scheme
        True
        >>> [tie.label for tie in scheme.tie_breaks]
        ['n', 'id']

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    name: str = attrs.field(default=REQUIRED)
    level: AwardLevel = attrs.field(default=REQUIRED, converter=_level)
    period: AwardPeriod = attrs.field(default=REQUIRED, converter=_period)
    indicator_id: str = attrs.field(default=REQUIRED)
    direction: Direction = attrs.field(default=REQUIRED, converter=_direction)
    eligibility: RuleSet | None = None
    eligibility_indicators: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    method: RankingMethod = attrs.field(default=RankingMethod.LOWER_BOUND, converter=_method)
    confidence: float = 0.95
    places: int = 3
    tie_breaks: tuple[TieBreak, ...] = attrs.field(
        default=_DEFAULT_TIE_BREAKS, converter=_tie_breaks
    )
    description: str = ""
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_text(self.name, "$.name", problems)
        if isinstance(self.name, str) and not self.name.strip():
            problems.add("$.name", "must not be empty", "required")
        check_enum(self.level, AwardLevel, "$.level", problems)
        check_enum(self.period, AwardPeriod, "$.period", problems)
        check_id(self.indicator_id, "$.indicator_id", problems)
        check_enum(self.direction, Direction, "$.direction", problems)
        if self.eligibility is not None and not isinstance(self.eligibility, RuleSet):
            problems.add("$.eligibility", "must be a RuleSet or None", "type")
        if not isinstance(self.eligibility_indicators, tuple):
            problems.add("$.eligibility_indicators", "must be a list of indicator ids", "type")
        else:
            for index, item in enumerate(self.eligibility_indicators):
                check_id(item, join_path("$.eligibility_indicators", index), problems)
        check_enum(self.method, RankingMethod, "$.method", problems)
        if isinstance(self.confidence, bool):
            problems.add("$.confidence", "must be a number, not true or false", "type")
        else:
            check_number(self.confidence, "$.confidence", problems, low=0, high=1, strict=True)
        check_count(self.places, "$.places", problems, minimum=1, maximum=_MAX_PLACES)
        _check_tie_breaks(self.tie_breaks, problems)
        check_text(self.description, "$.description", problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """Every indicator the scheme reads: the ranked one, the tie-breaks' and the
        eligibility ones, each once.

        Examples:
            >>> AwardScheme(id="s", name="S", level="store", period="month",
            ...     indicator_id="csat", direction="higher",
            ...     tie_breaks=[TieBreak("indicator", "nps")]).indicator_ids
            ('csat', 'nps')
        """
        found = [self.indicator_id]
        found += [tie.indicator_id for tie in self.tie_breaks if tie.indicator_id is not None]
        found += list(self.eligibility_indicators)
        return tuple(dict.fromkeys(found))

    def period_of(self, day: date, *, timezone: str) -> tuple[datetime, datetime]:
        """The scheme's period containing the local date ``day``: its first instant and
        the first instant of the next one, local in ``timezone``.

        Examples:
            >>> from datetime import date
            >>> scheme = AwardScheme(id="s", name="S", level="staff", period="quarter",
            ...     indicator_id="csat", direction="higher")
            >>> start, end = scheme.period_of(date(2026, 11, 5), timezone="Asia/Hong_Kong")
            >>> start.isoformat(), end.isoformat()
            ('2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00')

        Raises:
            ValidationError: a period rule of ``any``, a day that is not a date, a zone
                that is not an IANA name, or a period past the supported range.
        """
        problems = Problems()
        if not isinstance(day, date) or isinstance(day, datetime):
            problems.add("$.day", "must be a date (not a datetime)", "type")
        zone = zone_named(timezone)
        if zone is None:
            problems.add("$.timezone", "must be an IANA time zone name", "unknown_choice")
        if self.period is AwardPeriod.ANY:
            problems.add("$.period", "must be a period rule other than any", "unexpected")
        problems.raise_if_any()
        assert zone is not None
        return _period_bounds(self.period, day, zone)


def _period_bounds(period: AwardPeriod, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    months = period.months or 12
    first = (day.month - 1) // months * months
    following = first + months
    bounds = None
    if day.year + following // 12 <= 9999:
        start = date(day.year, first + 1, 1)
        end = date(day.year + following // 12, following % 12 + 1, 1)
        with suppress(OverflowError):
            bounds = _day_start(start, zone), _day_start(end, zone)
    if bounds is None or any(instant_problem(bound) is not None for bound in bounds):
        raise ValidationError.single("$.day", _RANGE, "range")
    return bounds


def _check_tie_breaks(value: object, problems: Problems) -> None:
    if not isinstance(value, tuple):
        problems.add("$.tie_breaks", "must be a list of TieBreak", "type")
        return
    seen: set[str] = set()
    for index, item in enumerate(value):
        path = join_path("$.tie_breaks", index)
        if not isinstance(item, TieBreak):
            problems.add(path, "must be a TieBreak", "type")
        elif item.label in seen:
            problems.add(path, "repeats a tie-break given already", "duplicate")
        else:
            seen.add(item.label)


def award_requirement(rule_id: str, requirement: Condition, *, description: str = "") -> Rule:
    """An eligibility rule from a requirement: it fires (and excludes the candidate, flagged
    ``ineligible``) when ``requirement`` does not hold, a missing fact included.

    Examples:
        >>> from retail_service_quality.rules import ge
        >>> rule = award_requirement("min_n", ge("n", 30), description="At least 30 surveys.")
        >>> RuleSet(id="e", rules=[rule]).evaluate({"n": 12}, at=_EPOCH).fired
        ('min_n',)

    Raises:
        ValidationError: a rule id that is not an identifier, a requirement that is not a
            condition.
    """
    return Rule(
        id=rule_id,
        description=description or f"Requirement {rule_id} not met.",
        when=not_(requirement),
        actions=[flag("ineligible")],
    )


# ---------------------------------------------------------------- the ranking


class AwardStatus(StrEnum):
    """Where a candidate stands in a ranking.

    Examples:
        >>> AwardStatus("awarded").value
        'awarded'
    """

    AWARDED = "awarded"
    """Placed within the places awarded."""
    RANKED = "ranked"
    """Placed, below the places awarded."""
    INELIGIBLE = "ineligible"
    """Excluded by an eligibility rule."""
    NOT_ENOUGH_DATA = "not_enough_data"
    """No case of the indicator, or too few to compute its score."""


def _status(value: AwardStatus | str) -> AwardStatus:
    return lenient_enum(AwardStatus, value)


@attrs.frozen(kw_only=True)
class AwardPlace(Tabular):
    """One candidate's row of a ranking, with its evidence.

    Attributes:
        status: awarded, ranked, ineligible or not enough data (`AwardStatus`).
        place: its place (1 is best; candidates tied on every tie-break share one), or
            ``None`` when not ranked.
        value: the indicator's raw value, or ``None``.
        n: the cases behind it.
        successes: for a share, the cases counted as successes, else ``None``.
        score: the adjusted score ranked on (the bound or the shrunken estimate), or
            ``None``.
        interval: the interval the score comes from (the confidence interval, or the
            posterior interval of a shrunken share), or ``None``.
        decided_by: what placed the candidate below the one just above it: ``score``,
            a tie-break's label (``n``, ``indicator:<id>``, ``id``), ``tie`` (a shared
            place), or ``None`` (first place, or not ranked).
        excluded_by: the eligibility rules that fired, comma-separated, or ``None``.
        explanation: why the candidate stands where it does, in words.
        evidence: how its score was computed, with the counts behind it.
        verdict: the eligibility rules' full verdict, or ``None``.

    Examples:
        >>> row = AwardPlace(status="awarded", place=1, value=0.95, n=200, score=0.9)
        >>> row.status, row.place
        (<AwardStatus.AWARDED: 'awarded'>, 1)
    """

    status: AwardStatus = attrs.field(converter=_status)
    place: int | None = None
    value: float | None = None
    n: int = 0
    successes: int | None = None
    score: float | None = None
    interval: Interval | None = None
    decided_by: str | None = None
    excluded_by: str | None = None
    explanation: str = ""
    evidence: str = ""
    verdict: Verdict | None = attrs.field(default=None, metadata={"records": False})


@attrs.frozen(kw_only=True)
class AwardRanking(Tabular):
    """A scheme's ranking: one row per candidate (`AwardPlace`), placed ones first.

    Attributes:
        scheme_id: the scheme.
        scheme_version: the scheme's version ranked with.
        indicator_id: the indicator ranked on.
        direction: its direction.
        method: the ranking method.
        start: the period's first instant (`award_ranking`), or ``None``.
        end: the period's end (exclusive), or ``None``.
        pooled_share: for ``shrunken``, the pooled share the estimates are pulled to.
        prior_strength: for ``shrunken``, the prior's weight in cases (alpha + beta), or
            ``None`` when the candidates differ no more than chance (complete pooling).
        places: the candidates' rows (`AwardPlace`) by candidate id, placed ones in order,
            then the others by id.

    Examples:
        >>> from retail_service_quality import IndicatorValue
        >>> scheme = AwardScheme(id="s", name="S", level="store", period="any",
        ...     indicator_id="fcr_survey", direction="higher", places=1)
        >>> ranking = rank_candidates(scheme, [
        ...     IndicatorValue(indicator_id="fcr_survey", store_id="HK-1", value=0.8, n=50,
        ...                    successes=40)])
        >>> ranking.winners(), ranking.to_records()[0]["status"]
        (('HK-1',), 'awarded')
    """

    _rows_from = "places"
    _row_key = "candidate_id"

    scheme_id: str
    scheme_version: int
    indicator_id: str
    direction: Direction
    method: RankingMethod
    start: datetime | None = None
    end: datetime | None = None
    pooled_share: float | None = None
    prior_strength: float | None = None
    places: Mapping[str, AwardPlace] = attrs.field(factory=dict)

    def winners(self) -> tuple[str, ...]:
        """The candidates awarded, best first.

        Examples:
            >>> AwardRanking(scheme_id="s", scheme_version=1, indicator_id="csat",
            ...     direction="higher", method="lower_bound").winners()
            ()
        """
        return tuple(key for key, row in self.places.items() if row.status is AwardStatus.AWARDED)

    def publish(self, *, id: str, computed_at: datetime) -> AwardResult:
        """The ranking as published: the `AwardResult` record to store, so the award stays
        as it was given whatever the records become.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality import IndicatorValue
            >>> scheme = AwardScheme(id="s", name="S", level="store", period="any",
            ...     indicator_id="fcr_survey", direction="higher", places=1)
            >>> ranking = rank_candidates(scheme, [IndicatorValue(indicator_id="fcr_survey",
            ...     store_id="HK-1", value=0.8, n=50, successes=40)])
            >>> at = datetime(2026, 4, 1, tzinfo=timezone.utc)
            >>> result = ranking.publish(id="s-2026q1", computed_at=at)
            >>> [(p.place, p.candidate_id) for p in result.places]
            [(1, 'HK-1')]

        Raises:
            ValidationError: a bad id or instant.
        """
        return AwardResult(
            id=id,
            scheme_id=self.scheme_id,
            scheme_version=self.scheme_version,
            start=self.start,
            end=self.end,
            computed_at=computed_at,
            places=tuple(
                PublishedPlace(
                    place=row.place,
                    candidate_id=key,
                    score=row.score,
                    value=row.value,
                    n=row.n,
                    awarded=row.status is AwardStatus.AWARDED,
                )
                for key, row in self.places.items()
                if row.place is not None and row.score is not None
            ),
        )


def _places_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class PublishedPlace:
    """One place of a published award.

    Attributes:
        place: the place, from 1.
        candidate_id: the staff member's, store's or business unit's id.
        score: the adjusted score it ranked on.
        value: the indicator's raw value.
        n: the cases behind it.
        awarded: whether the place was awarded.

    Examples:
        >>> PublishedPlace(place=1, candidate_id="A-7", score=0.91, value=0.95, n=200,
        ...                awarded=True).awarded
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    place: int = attrs.field(default=REQUIRED)
    candidate_id: str = attrs.field(default=REQUIRED)
    score: float = attrs.field(default=REQUIRED)
    value: float | None = None
    n: int = 0
    awarded: bool = False

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_count(self.place, "$.place", problems, minimum=1)
        check_id(self.candidate_id, "$.candidate_id", problems)
        check_number(self.score, "$.score", problems)
        if self.value is not None:
            check_number(self.value, "$.value", problems)
        check_count(self.n, "$.n", problems)
        if not isinstance(self.awarded, bool):
            problems.add("$.awarded", "must be true or false", "type")
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class AwardResult(Tabular):
    """A published award: the places as they were given, kept whatever the records become.

    Attributes:
        id: the result's identifier.
        scheme_id: the scheme.
        scheme_version: the scheme's version it was ranked with.
        start: the period's first instant, or ``None``.
        end: the period's end (exclusive), or ``None``.
        computed_at: when the ranking was computed.
        places: the places, best first (`PublishedPlace`).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> result = AwardResult(id="r", scheme_id="s", scheme_version=2,
        ...     computed_at=datetime(2026, 4, 1, tzinfo=timezone.utc),
        ...     places=[PublishedPlace(place=1, candidate_id="A-7", score=0.91, awarded=True)])
        >>> result.winners()
        ('A-7',)

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    scheme_id: str = attrs.field(default=REQUIRED)
    scheme_version: int = attrs.field(default=REQUIRED)
    computed_at: datetime = attrs.field(default=REQUIRED)
    start: datetime | None = None
    end: datetime | None = None
    places: tuple[PublishedPlace, ...] = attrs.field(
        default=(), converter=_places_tuple, metadata={"records": False}
    )
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.scheme_id, "$.scheme_id", problems)
        check_count(self.scheme_version, "$.scheme_version", problems, minimum=1)
        check_aware(self.computed_at, "$.computed_at", problems)
        for name in ("start", "end"):
            if getattr(self, name) is not None:
                check_aware(getattr(self, name), f"$.{name}", problems)
        if not isinstance(self.places, tuple):
            problems.add("$.places", "must be a list of PublishedPlace", "type")
        else:
            for index, item in enumerate(self.places):
                if not isinstance(item, PublishedPlace):
                    problems.add(join_path("$.places", index), "must be a PublishedPlace", "type")
        check_version(self.version, problems)
        raise_problems(self, problems)

    def winners(self) -> tuple[str, ...]:
        """The candidates awarded, best first.

        Examples:
            >>> from datetime import datetime, timezone
            >>> AwardResult(id="r", scheme_id="s", scheme_version=1,
            ...     computed_at=datetime(2026, 4, 1, tzinfo=timezone.utc)).winners()
            ()
        """
        return tuple(place.candidate_id for place in self.places if place.awarded)


# ---------------------------------------------------------------- scores


@attrs.frozen
class _Score:
    score: float | None
    interval: Interval | None
    evidence: str


def _percent(confidence: float) -> str:
    return f"{confidence * 100:g}%"


def _pick(interval: Interval, direction: Direction) -> float:
    return interval.low if direction is Direction.HIGHER_IS_BETTER else interval.high


def _end(direction: Direction) -> str:
    return "lower" if direction is Direction.HIGHER_IS_BETTER else "upper"


def _t(confidence: float, df: int) -> float:
    return _student_t_isf((1 - confidence) / 2, df)


def _bound(value: IndicatorValue, direction: Direction, confidence: float) -> _Score:
    """The lower (upper) confidence bound of one candidate's value, from its evidence."""
    end, share = _end(direction), _percent(confidence)
    n = value.n
    if value.successes is not None:
        interval = _wilson(value.successes, n, confidence)
        return _Score(
            _pick(interval, direction),
            interval,
            f"Wilson {share} {end} bound of {value.successes}/{n}",
        )
    if value.counts is not None and value.unit in ("nps_points", "NPS points"):
        counts = value.counts
        promoters, detractors = sum(counts[9:]) / n, sum(counts[:7]) / n
        score = 100 * (promoters - detractors)
        error = 100 * math.sqrt(
            max(promoters + detractors - (promoters - detractors) ** 2, 0.0) / n
        )
        half = _z(confidence) * error
        interval = Interval(max(score - half, -100.0), min(score + half, 100.0), confidence)
        return _Score(
            _pick(interval, direction),
            interval,
            f"Wald {share} {end} bound of NPS {score:.4g} from {n} scores",
        )
    if n < 2:
        return _Score(None, None, "too few cases for an interval (fewer than 2)")
    if value.counts is not None:
        mean = sum((point + 1) * count for point, count in enumerate(value.counts)) / n
        squares = sum(count * ((point + 1) - mean) ** 2 for point, count in enumerate(value.counts))
        error = math.sqrt(squares / (n - 1) / n)
        source = f"{n} ratings"
    elif value.interval is not None and value.value is not None:
        given = value.interval
        error = (given.high - given.low) / (2 * _t(given.confidence, n - 1))
        mean = value.value
        source = f"{n} cases (standard error from the {_percent(given.confidence)} interval)"
    else:
        return _Score(None, None, "no interval or counts to bound the value by")
    half = _t(confidence, n - 1) * error
    interval = Interval(mean - half, mean + half, confidence)
    return _Score(
        _pick(interval, direction),
        interval,
        f"Student t {share} {end} bound of the mean {mean:.6g} from {source}",
    )


_EPSILON: Final = sys.float_info.epsilon


def _beta_quantile(probability: float, a: float, b: float) -> float:
    """The ``probability`` quantile of Beta(a, b), by bisection on the regularized
    incomplete beta function, to the precision of a double however near 0 it lies (a very
    skewed posterior's 2.5% quantile can be 1e-70)."""
    low, high = 0.0, 1.0
    for _ in range(2_200):  # enough halvings to reach the smallest double
        middle = (low + high) / 2
        if middle in (low, high) or high - low <= 4 * _EPSILON * high:
            break
        if _betainc(a, b, middle) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@attrs.frozen
class _Prior:
    pooled: float
    strength: float | None  # None: complete pooling, no spread beyond chance
    successes: int = 0
    total: int = 0


def _fit_prior(evidence: Sequence[tuple[int, int]]) -> _Prior:
    """The beta prior fitted by the method of moments (see `shrunken_shares`)."""
    k = len(evidence)
    total = sum(n for _, n in evidence)
    pooled = sum(x for x, _ in evidence) / total
    floor = 1 / (total + 1)
    spread = pooled * (1 - pooled)
    denominator = total - sum(n * n for _, n in evidence) / total - (k - 1)
    successes = sum(x for x, _ in evidence)
    if k < 2 or spread <= 0 or denominator <= 0:
        return _Prior(pooled, None, successes, total)
    between = sum(n * (x / n - pooled) ** 2 for x, n in evidence)
    rho = (between / spread - (k - 1)) / denominator
    if rho <= 0:  # no spread between candidates beyond chance
        return _Prior(pooled, None, successes, total)
    rho = min(max(rho, floor), 1 - floor)
    return _Prior(pooled, (1 - rho) / rho, successes, total)


def _shrunken(successes: int, n: int, prior: _Prior, confidence: float) -> tuple[float, Interval]:
    if prior.strength is None:  # complete pooling: the pooled share, and its interval
        return prior.pooled, _wilson(prior.successes, prior.total, confidence)
    alpha, beta = prior.pooled * prior.strength, (1 - prior.pooled) * prior.strength
    estimate = (successes + alpha) / (n + prior.strength)
    a, b = successes + alpha, n - successes + beta
    if a <= 0 or b <= 0:  # every candidate at 0 (or every one at 1): nothing to spread over
        return estimate, Interval(estimate, estimate, confidence)
    tail = (1 - confidence) / 2
    low, high = _beta_quantile(tail, a, b), _beta_quantile(1 - tail, a, b)
    return estimate, Interval(min(low, estimate), max(high, estimate), confidence)


def shrunken_shares(
    evidence: Sequence[tuple[int, int]], *, confidence: float = 0.95
) -> tuple[float, float | None, tuple[tuple[float, Interval], ...]]:
    """Empirical-Bayes (beta-binomial) estimates of shares, each pulled towards the pooled
    share: ``(pooled share, prior strength, ((estimate, interval), ...))``.

    For candidates ``i = 1..k`` with ``x_i`` successes of ``n_i`` cases (``n_i > 0``),
    ``N = sum n_i``, the pooled share ``m = sum x_i / N`` and ``p_i = x_i / n_i``:

    - the between-candidate spread ``S = sum n_i (p_i - m)^2`` has expectation
      ``m(1 - m) [(k - 1) + rho (N - sum n_i^2 / N - (k - 1))]`` under a beta-binomial
      model with intra-class correlation ``rho``; so ``rho = (S / (m(1 - m)) - (k - 1)) /
      (N - sum n_i^2 / N - (k - 1))`` (the method of moments), clipped to
      ``[1 / (N + 1), N / (N + 1)]`` (the prior never weighs more than every case
      together);
    - the prior is Beta(``alpha = m M``, ``beta = (1 - m) M``) with ``M = (1 - rho) /
      rho``, its strength in cases;
    - each estimate is the posterior mean ``(x_i + alpha) / (n_i + M)``, its interval
      the equal-tailed posterior interval of Beta(``x_i + alpha``, ``n_i - x_i + beta``),
      widened to hold the estimate where the posterior is so skewed that its mean lies
      outside that interval;
    - where the method of moments finds no spread between candidates beyond chance
      (``rho <= 0``) or cannot be fitted (fewer than two candidates, every share 0 or
      every share 1), every estimate is the pooled share with its Wilson interval and
      the prior strength is ``None``: the differences between candidates are noise, and
      the tie-breaks decide (a perfect score on three surveys does not carry the award
      over 190 of 200).

    Examples:
        >>> pooled, strength, rows = shrunken_shares([(3, 3), (190, 200), (150, 200)])
        >>> round(pooled, 4), round(strength, 2)
        (0.8511, 5.73)
        >>> [round(estimate, 4) for estimate, _ in rows]
        [0.9023, 0.9472, 0.7528]

    Raises:
        ValidationError: a pair that is not two counts with ``0 <= x <= n`` and ``n > 0``,
            no pair at all, or a bad confidence.
    """
    problems = Problems()
    pairs = _check_pairs(evidence, problems)
    if isinstance(confidence, bool):
        problems.add("$.confidence", "must be a number, not true or false", "type")
    else:
        check_number(confidence, "$.confidence", problems, low=0, high=1, strict=True)
    problems.raise_if_any()
    prior = _fit_prior(pairs)
    rows = tuple(_shrunken(x, n, prior, float(confidence)) for x, n in pairs)
    return prior.pooled, prior.strength, rows


def _check_pairs(evidence: object, problems: Problems) -> list[tuple[int, int]]:
    if isinstance(evidence, str | bytes | Mapping) or not isinstance(evidence, Iterable):
        problems.add("$.evidence", "must be a list of (successes, n) pairs", "type")
        return []
    pairs: list[tuple[int, int]] = []
    for index, pair in enumerate(evidence):
        path = join_path("$.evidence", index)
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            problems.add(path, "must be a (successes, n) pair", "type")
            continue
        ok = check_count(pair[0], path + "[0]", problems) & check_count(
            pair[1], path + "[1]", problems, minimum=1
        )
        if ok and pair[0] > pair[1]:
            problems.add(path + "[0]", "must not exceed n", "inconsistent")
        elif ok:
            pairs.append((int(pair[0]), int(pair[1])))
    if not pairs and not problems:
        problems.add("$.evidence", "must hold at least one pair", "required")
    return pairs


# ---------------------------------------------------------------- ranking


@attrs.frozen
class _Candidate:
    id: str
    value: IndicatorValue
    others: dict[str, IndicatorValue]


def _candidates(
    scheme: AwardScheme, values: Sequence[IndicatorValue | None], problems: Problems
) -> dict[str, _Candidate]:
    key = scheme.level.key
    ranked: dict[str, IndicatorValue] = {}
    others: dict[str, dict[str, IndicatorValue]] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        path = join_path("$.values", index)
        candidate = getattr(value, key)
        if candidate is None:
            continue
        found = others.setdefault(candidate, {})
        if value.indicator_id in found:
            problems.add(
                path,
                f"gives a second value of its indicator for one candidate: group by the "
                f"candidates' level ({scheme.level.value}) only",
                "duplicate",
            )
            continue
        found[value.indicator_id] = value
        if value.indicator_id == scheme.indicator_id:
            ranked[candidate] = value
    return {
        candidate: _Candidate(candidate, value, others[candidate])
        for candidate, value in sorted(ranked.items())
    }


def _facts(candidate: _Candidate, extra: Mapping[str, Any]) -> dict[str, Any]:
    facts: dict[str, Any] = {"candidate_id": candidate.id}
    for indicator_id, value in candidate.others.items():
        facts[indicator_id] = value.value
        facts[f"{indicator_id}_n"] = value.n
    facts["value"] = candidate.value.value
    facts["n"] = candidate.value.n
    facts.update(extra)
    return facts


def _check_facts(facts: object, problems: Problems) -> Mapping[str, Mapping[str, Any]]:
    if facts is None:
        return {}
    if not isinstance(facts, Mapping):
        problems.add("$.facts", "must map candidate ids to mappings of facts", "type")
        return {}
    for candidate, items in facts.items():
        path = join_path("$.facts", candidate) if isinstance(candidate, str) else "$.facts"
        if not isinstance(candidate, str):
            problems.add(path, "must have candidate ids (text) as keys", "type")
        elif not isinstance(items, Mapping) or not all(isinstance(k, str) for k in items):
            problems.add(path, "must be a mapping of fact names to values", "type")
    return facts


def _instances(values: object, kind: type[T], path: str, problems: Problems) -> list[T | None]:
    """The items of a list, each in its place (``None`` where one is not a ``kind``)."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        problems.add(path, f"must be a list of {kind.__name__}", "type")
        return []
    found: list[T | None] = []
    for index, value in enumerate(values):
        if isinstance(value, kind):
            found.append(value)
        else:
            found.append(None)
            article = "an" if kind.__name__[0] in "AEIOU" else "a"
            problems.add(join_path(path, index), f"must be {article} {kind.__name__}", "type")
    return found


def _order_key(
    scheme: AwardScheme, candidate: _Candidate, score: float
) -> tuple[tuple[str, Any], ...]:
    """The sort key: the mirrored score, then each tie-break, each named."""
    primary = -score if scheme.direction is Direction.HIGHER_IS_BETTER else score
    keys: list[tuple[str, Any]] = [("score", float(f"{primary:.12g}"))]
    for tie in scheme.tie_breaks:
        if tie.by is TieBreakKind.N:
            keys.append((tie.label, -candidate.value.n))
        elif tie.by is TieBreakKind.ID:
            keys.append((tie.label, candidate.id))
        else:
            other = candidate.others.get(tie.indicator_id or "")
            if other is None or other.value is None:
                keys.append((tie.label, (1, 0.0)))
            else:
                mirrored = (
                    -other.value if other.direction is Direction.HIGHER_IS_BETTER else (other.value)
                )
                keys.append((tie.label, (0, mirrored)))
    return tuple(keys)


def _sort_key(keys: tuple[tuple[str, Any], ...], candidate_id: str) -> tuple[Any, ...]:
    return (*(value for _, value in keys), candidate_id)


def _decided(
    keys: tuple[tuple[str, Any], ...], above: tuple[tuple[str, Any], ...] | None
) -> str | None:
    if above is None:
        return None
    for (name, mine), (_, theirs) in zip(keys, above, strict=True):
        if mine != theirs:
            return name
    return "tie"


def _scores(
    scheme: AwardScheme, candidates: Mapping[str, _Candidate]
) -> tuple[dict[str, _Score], _Prior | None]:
    confidence = float(scheme.confidence)
    if scheme.method is RankingMethod.LOWER_BOUND:
        return {
            key: _bound(candidate.value, scheme.direction, confidence)
            for key, candidate in candidates.items()
            if candidate.value.n > 0 and candidate.value.value is not None
        }, None
    with_data = {
        key: candidate
        for key, candidate in candidates.items()
        if candidate.value.n > 0 and candidate.value.value is not None
    }
    if not with_data:
        return {}, None
    shares = [(key, c.value.successes, c.value.n) for key, c in with_data.items()]
    if any(successes is None for _, successes, _ in shares):
        raise ValidationError.single(
            "$.scheme.method",
            "must be lower_bound for an indicator that is not a share (shrunken estimates "
            "need successes and n)",
            "inconsistent",
        )
    prior = _fit_prior([(int(x or 0), n) for _, x, n in shares])
    found: dict[str, _Score] = {}
    for key, x, n in shares:
        estimate, interval = _shrunken(int(x or 0), n, prior, confidence)
        found[key] = _Score(
            estimate,
            interval,
            f"{x}/{n} shrunk towards the pooled share {prior.pooled:.4g} "
            f"(beta prior worth {prior.strength:.4g} cases); {_percent(confidence)} "
            "posterior interval"
            if prior.strength is not None
            else f"{x}/{n}: the candidates differ no more than chance, so the pooled share "
            f"{prior.pooled:.4g} ({_percent(confidence)} Wilson interval); the tie-breaks "
            "decide",
        )
    return found, prior


def rank_candidates(
    scheme: AwardScheme,
    values: Iterable[IndicatorValue],
    *,
    facts: Mapping[str, Mapping[str, Any]] | None = None,
    at: datetime | None = None,
) -> AwardRanking:
    """Rank the candidates of ``scheme`` from their indicator values.

    ``values`` are `IndicatorValue` rows grouped by the candidates' level
    (``compute_indicators(..., group_by=["staff"])``): the ranked indicator's,
    and those the tie-breaks and eligibility rules read. A value whose
    candidate key is ``None`` (no staff member recorded) is left out.

    Each candidate's facts, for the eligibility rules: ``candidate_id``,
    ``value`` and ``n`` (the ranked indicator's), and for every indicator given
    ``<indicator_id>`` (its value) and ``<indicator_id>_n``; then ``facts[candidate]``
    laid over them (a count of red criteria, say). Time conditions are evaluated
    at ``at`` (by default 1970-01-01 UTC).

    A candidate without a case (or whose score cannot be computed: a mean of
    one case) is ``not_enough_data``; one an eligibility rule excludes is
    ``ineligible``, with the verdict; the rest are placed by score, then by the
    tie-breaks in order (candidates equal on every one share a place, listed
    by id); the first ``places`` places are awarded. Under ``shrunken`` the
    prior is fitted across every candidate with a case, eligible or not.

    Examples:
        >>> from retail_service_quality import IndicatorValue
        >>> from retail_service_quality.rules import ge
        >>> scheme = AwardScheme(id="csat-agents", name="Agent of the quarter",
        ...     level="staff", period="quarter", indicator_id="csat", direction="higher",
        ...     eligibility=RuleSet(id="e", rules=[award_requirement("min_n", ge("n", 30),
        ...         description="At least 30 surveys.")]),
        ...     places=1)
        >>> ranking = rank_candidates(scheme, [
        ...     IndicatorValue(indicator_id="csat", staff_id="A-1", value=0.9, n=40,
        ...                    successes=36),
        ...     IndicatorValue(indicator_id="csat", staff_id="A-2", value=1.0, n=5,
        ...                    successes=5),
        ... ])
        >>> [(candidate, row.status.value) for candidate, row in ranking.places.items()]
        [('A-1', 'awarded'), ('A-2', 'ineligible')]
        >>> ranking.places["A-2"].explanation
        'min_n: At least 30 surveys. [not: holds (n >= 30: does not hold)]'

    Raises:
        ValidationError: every problem, with its path: a scheme that is not an
            `AwardScheme`, values that are not `IndicatorValue`s, two values of one
            indicator for one candidate, facts that are not a mapping per candidate, an
            instant that is not aware; ``shrunken`` over an indicator that is not a share.
    """
    problems = Problems()
    if not isinstance(scheme, AwardScheme):
        problems.add("$.scheme", "must be an AwardScheme", "type")
    rows = _instances(values, IndicatorValue, "$.values", problems)
    extra = _check_facts(facts, problems)
    if at is not None:
        check_aware(at, "$.at", problems)
    if isinstance(scheme, AwardScheme):
        candidates = _candidates(scheme, rows, problems)
    problems.raise_if_any()
    return _rank(scheme, candidates, extra, at or _EPOCH, None, None)


def _rank(
    scheme: AwardScheme,
    candidates: Mapping[str, _Candidate],
    extra: Mapping[str, Mapping[str, Any]],
    at: datetime,
    start: datetime | None,
    end: datetime | None,
) -> AwardRanking:
    scores, prior = _scores(scheme, candidates)
    placed: list[tuple[tuple[Any, ...], tuple[tuple[str, Any], ...], str]] = []
    others: dict[str, AwardPlace] = {}
    for key, candidate in candidates.items():
        value = candidate.value
        common: dict[str, Any] = {"value": value.value, "n": value.n, "successes": value.successes}
        score = scores.get(key)
        if score is None:
            others[key] = AwardPlace(
                status=AwardStatus.NOT_ENOUGH_DATA,
                explanation="no case of the indicator in the period",
                **common,
            )
            continue
        verdict = None
        if scheme.eligibility is not None:
            verdict = scheme.eligibility.evaluate(_facts(candidate, extra.get(key, {})), at=at)
        if verdict is not None and verdict.fired:
            others[key] = AwardPlace(
                status=AwardStatus.INELIGIBLE,
                score=score.score,
                interval=score.interval,
                excluded_by=", ".join(verdict.fired),
                explanation=_excluded_text(scheme.eligibility, verdict),
                evidence=score.evidence,
                verdict=verdict,
                **common,
            )
        elif score.score is None:
            others[key] = AwardPlace(
                status=AwardStatus.NOT_ENOUGH_DATA,
                explanation=score.evidence,
                verdict=verdict,
                **common,
            )
        else:
            keys = _order_key(scheme, candidate, score.score)
            placed.append((_sort_key(keys, key), keys, key))
    placed.sort()
    rows: dict[str, AwardPlace] = {}
    above: tuple[tuple[str, Any], ...] | None = None
    place = 0
    for position, (_, keys, key) in enumerate(placed, start=1):
        decided = _decided(keys, above)
        if decided != "tie":
            place = position
        above = keys
        score = scores[key]
        candidate = candidates[key]
        status = AwardStatus.AWARDED if place <= scheme.places else AwardStatus.RANKED
        rows[key] = AwardPlace(
            status=status,
            place=place,
            value=candidate.value.value,
            n=candidate.value.n,
            successes=candidate.value.successes,
            score=score.score,
            interval=score.interval,
            decided_by=decided,
            explanation=_placed_text(place, decided, status),
            evidence=score.evidence,
            verdict=None,
        )
    rows.update(sorted(others.items()))
    return AwardRanking(
        scheme_id=scheme.id,
        scheme_version=scheme.version,
        indicator_id=scheme.indicator_id,
        direction=scheme.direction,
        method=scheme.method,
        start=start,
        end=end,
        pooled_share=None if prior is None else prior.pooled,
        prior_strength=None if prior is None else prior.strength,
        places=rows,
    )


def _excluded_text(rules: RuleSet | None, verdict: Verdict) -> str:
    """Each rule that fired: its id, its description, and why its condition held."""
    described = {rule.id: rule.description for rule in rules.rules} if rules else {}
    return "; ".join(
        f"{outcome.rule_id}: {described.get(outcome.rule_id, '')} [{outcome.explanation}]"
        for outcome in verdict.outcomes
        if outcome.fired
    )


def _placed_text(place: int, decided: str | None, status: AwardStatus) -> str:
    awarded = "awarded" if status is AwardStatus.AWARDED else "not awarded"
    if decided is None:
        return f"place {place}, {awarded}: the best score"
    if decided == "tie":
        return f"place {place} (shared), {awarded}: equal on the score and every tie-break"
    if decided == "score":
        return f"place {place}, {awarded}: a lower score than the place above"
    return f"place {place}, {awarded}: equal score, placed below by the tie-break {decided}"


def award_ranking(
    target: Any,
    scheme: AwardScheme,
    *,
    start: datetime,
    end: datetime,
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    catalogue: IndicatorCatalogue | None = None,
    transactions: Iterable[TransactionCount] | None = None,
    criteria: Iterable[PerformanceCriterion] | None = None,
    facts: Mapping[str, Mapping[str, Any]] | None = None,
) -> AwardRanking:
    """Rank ``scheme``'s candidates on a store's records in ``[start, end)``.

    Computes the scheme's indicators (`AwardScheme.indicator_ids`) grouped by
    its level (`compute_indicators`, with ``business_units``, ``catalogue`` and
    ``transactions`` passed on), then ranks them (`rank_candidates`, time
    conditions evaluated at ``end``). Unless the period rule is ``any``, the
    period must be one of the rule's, local in ``timezone`` (or in ``start``'s
    own zone): a quarter runs from the first instant of January, April, July or
    October to the first instant of the next quarter.

    With ``criteria``, their indicators are computed too and each candidate's
    values judged (`evaluate_criteria`, by the criteria in force at ``start``):
    the facts ``red_criteria`` and ``amber_criteria`` count its red and amber
    results, so that "no red criterion" is a rule (``eq("red_criteria", 0)``).
    ``facts`` (per candidate) are laid over every computed fact.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore
        >>> scheme = AwardScheme(id="fcr", name="First-contact resolution",
        ...     level="store", period="month", indicator_id="fcr_internal",
        ...     direction="higher")
        >>> ranking = award_ranking(InMemoryStore(), scheme,
        ...     start=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc), timezone="UTC")
        >>> ranking.places, ranking.end.month
        ({}, 4)

    Raises:
        ValidationError: every problem, with its path: a target that is not a store or
            unit of work, a scheme that is not an `AwardScheme`, naive or out-of-order
            instants, a period that is not one of the rule's, an unknown zone, bad facts,
            criteria that are not `PerformanceCriterion`s; an indicator the catalogue does
            not have.
    """
    from retail_service_quality.quality.compute import compute_indicators
    from retail_service_quality.storage._target import check_target

    problems = Problems()
    check_target(target, "interactions", problems)
    if not isinstance(scheme, AwardScheme):
        problems.add("$.scheme", "must be an AwardScheme", "type")
    check_aware(start, "$.start", problems)
    check_aware(end, "$.end", problems)
    zone = None
    if timezone is not None:
        zone = zone_named(timezone)
        if zone is None:
            problems.add("$.timezone", "must be an IANA time zone name", "unknown_choice")
    extra = _check_facts(facts, problems)
    judged = [
        criterion
        for criterion in _instances(
            () if criteria is None else criteria, PerformanceCriterion, "$.criteria", problems
        )
        if criterion is not None
    ]
    problems.raise_if_any()
    if end.astimezone(UTC) <= start.astimezone(UTC):  # instants, not wall clocks
        raise ValidationError.single("$.end", "must be later than start", "inconsistent")
    _check_period(scheme, start, end, zone)
    paths: dict[str, str] = {}  # each indicator read, at the path that first names it
    paths.setdefault(scheme.indicator_id, "$.scheme.indicator_id")
    for index, tie in enumerate(scheme.tie_breaks):
        if tie.indicator_id is not None:
            paths.setdefault(tie.indicator_id, f"$.scheme.tie_breaks[{index}].indicator_id")
    for index, name in enumerate(scheme.eligibility_indicators):
        paths.setdefault(name, f"$.scheme.eligibility_indicators[{index}]")
    for index, criterion in enumerate(judged):
        paths.setdefault(criterion.indicator_id, f"$.criteria[{index}].indicator_id")
    measured = list(paths)
    try:
        values = compute_indicators(
            target,
            measured,
            start=start,
            end=end,
            group_by=[scheme.level.value],
            timezone=timezone,
            business_units=business_units,
            catalogue=catalogue,
            transactions=transactions,
        )
    except ValidationError as error:  # named at the scheme's or criterion's own field
        raise ValidationError(
            [_named(problem, measured, paths) for problem in error.problems]
        ) from None
    checked = Problems()
    candidates = _candidates(scheme, values, checked)
    checked.raise_if_any()
    if judged:
        extra = _criteria_facts(scheme, judged, values, start, business_units, extra)
    return _rank(scheme, candidates, extra, end, start, end)


def _criteria_facts(
    scheme: AwardScheme,
    criteria: list[PerformanceCriterion],
    values: Sequence[IndicatorValue],
    at: datetime,
    business_units: Mapping[str, str] | None,
    extra: Mapping[str, Mapping[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Each candidate's count of red and amber criteria, under the caller's own facts."""
    judged_ids = {criterion.indicator_id for criterion in criteria}
    counted: dict[str, dict[str, Any]] = {}
    for value in values:
        candidate = getattr(value, scheme.level.key)
        if candidate is not None:
            counted.setdefault(candidate, {"red_criteria": 0, "amber_criteria": 0})
    results = evaluate_criteria(
        criteria,
        [value for value in values if value.indicator_id in judged_ids],
        at=at,
        business_units=business_units,
    )
    for result in results:
        candidate = getattr(result, scheme.level.key)
        name = {"red": "red_criteria", "amber": "amber_criteria"}.get(result.status.value)
        if candidate is not None and name is not None:
            counted[candidate][name] += 1
    for candidate, own in extra.items():
        counted[candidate] = {**counted.get(candidate, {}), **own}
    return counted


def _named(problem: Problem, measured: list[str], paths: dict[str, str]) -> Problem:
    """A problem of the computation at ``$.indicators[i]``, moved to the field naming it."""
    for index, name in enumerate(measured):
        prefix = f"$.indicators[{index}]"
        if problem.path == prefix or problem.path.startswith(prefix + "."):
            return attrs.evolve(problem, path=paths[name] + problem.path[len(prefix) :])
    return problem


def _check_period(
    scheme: AwardScheme, start: datetime, end: datetime, zone: ZoneInfo | None
) -> None:
    if scheme.period is AwardPeriod.ANY:
        return
    if zone is None:
        own = start.tzinfo
        if isinstance(own, ZoneInfo):
            zone = own
        elif start.utcoffset() == timedelta(0):
            zone = ZoneInfo("UTC")
        else:
            raise ValidationError.single(
                "$.timezone",
                "must name the IANA zone the period is local in (start has a fixed offset)",
                "required",
            )
    try:
        first, following = _period_bounds(scheme.period, start.astimezone(zone).date(), zone)
    except ValidationError as error:  # a period reaching past the supported range
        raise ValidationError(
            [attrs.evolve(problem, path="$.start") for problem in error.problems]
        ) from None
    instants = [moment.astimezone(UTC) for moment in (first, start, following, end)]
    if instants[0] != instants[1] or instants[2] != instants[3]:  # instants, not wall clocks
        raise ValidationError.single(
            "$.start",
            f"must start and end one {scheme.period.value.replace('_', ' ')} of the scheme's "
            "period rule, local in the time zone",
            "inconsistent",
        )
