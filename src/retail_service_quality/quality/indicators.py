"""Service indicators: their direction, and one group's measured value with its evidence.

An indicator is a number that says how well the service does: CSAT, NPS,
average handle time, the share of calls answered within 20 seconds. Each has
a `Direction` (is more better, or less?), and each measured value comes with
the number of cases behind it, the interval where the value is a sample
statistic, and the method that produced it (`IndicatorValue`), so that a
criterion can say "not enough data" rather than colour noise.

Examples:
    >>> from retail_service_quality import Direction, IndicatorValue, wilson_interval
    >>> value = IndicatorValue(indicator_id="csat", value=0.82, n=50,
    ...     interval=wilson_interval(41, 50), method="top-2-box share, Wilson 95%")
    >>> value.direction is Direction.HIGHER_IS_BETTER, value.n
    (True, 50)
    >>> Direction.LOWER_IS_BETTER.better(30.0, 45.0)
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Literal

import attrs

from retail_service_quality._internal.checks import is_finite_number, is_integer
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_duration,
    check_enum,
    check_id,
    check_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import NotFoundError, Problems, join_path
from retail_service_quality.metrics.statistics import Interval
from retail_service_quality.rules._engine import unique_ids_hook
from retail_service_quality.serialization._converter import default_converter
from retail_service_quality.service.interactions import Channel

__all__ = [
    "INDICATOR_GROUPS",
    "Direction",
    "IndicatorCatalogue",
    "IndicatorDefinition",
    "IndicatorGroupBy",
    "IndicatorSource",
    "IndicatorUnit",
    "IndicatorValue",
    "Measure",
    "Statistic",
    "TransactionCount",
]

IndicatorGroupBy = Literal["store", "channel", "business_unit", "staff", "month", "weekday", "hour"]
"""What an indicator can be grouped by: local month, ISO weekday (1 = Monday) and local hour."""

INDICATOR_GROUPS: Final[tuple[str, ...]] = (
    "store",
    "channel",
    "business_unit",
    "staff",
    "month",
    "weekday",
    "hour",
)
"""Every grouping key, in the order rows are sorted by."""


class Direction(StrEnum):
    """Whether more of an indicator is better (CSAT) or less (average speed of answer).

    Examples:
        >>> Direction("lower") is Direction.LOWER_IS_BETTER
        True
        >>> Direction.HIGHER_IS_BETTER.better(0.9, 0.8), Direction.HIGHER_IS_BETTER.better(0.8, 0.8)
        (True, False)
    """

    HIGHER_IS_BETTER = "higher"
    """More is better: satisfaction, service level, first-contact resolution."""
    LOWER_IS_BETTER = "lower"
    """Less is better: waiting, handle time, abandonment, complaints."""

    def better(self, value: float, than: float) -> bool:
        """Whether ``value`` is strictly better than ``than`` in this direction.

        Examples:
            >>> Direction.LOWER_IS_BETTER.better(12.0, 20.0)
            True
        """
        return value > than if self is Direction.HIGHER_IS_BETTER else value < than

    def at_least_as_good(self, value: float, as_: float) -> bool:
        """Whether ``value`` reaches ``as_`` in this direction (equal counts).

        Examples:
            >>> Direction.HIGHER_IS_BETTER.at_least_as_good(0.9, 0.9)
            True
        """
        return value >= as_ if self is Direction.HIGHER_IS_BETTER else value <= as_


class IndicatorSource(StrEnum):
    """The records an indicator reads.

    Examples:
        >>> IndicatorSource("complaints").value
        'complaints'
    """

    INTERACTIONS = "interactions"
    """Service interactions: calls, emails, chats, visits."""
    COMPLAINTS = "complaints"
    """Complaints and their histories."""
    SURVEYS = "surveys"
    """Survey responses, by the question measure they answer."""
    CUSTOMERS = "customers"
    """Customer records and their consent ledgers."""
    PLEDGES = "pledges"
    """A service pledge's attainment."""


class Statistic(StrEnum):
    """How an indicator's cases become its value.

    Examples:
        >>> Statistic("top_box").value
        'top_box'
    """

    SHARE = "share"
    """The share of cases meeting a condition, with its Wilson interval."""
    MEAN = "mean"
    """The mean of a measured quantity."""
    MEDIAN = "median"
    """The median (R type 7, linear interpolation between closest ranks)."""
    PERCENTILE = "percentile"
    """The ``q``-th percentile (R type 7)."""
    COUNT = "count"
    """How many cases."""
    RATE_PER_1000 = "rate_per_1000"
    """Cases per 1,000 transactions."""
    TOP_BOX = "top_box"
    """The share of ratings in the top ``top_box`` points of the scale (CSAT)."""
    AT_LEAST = "at_least"
    """The share of ratings at or above ``at_least`` (CES as a share)."""
    NPS = "nps"
    """Net Promoter Score, in points, with its interval."""


class IndicatorUnit(StrEnum):
    """The unit of an indicator's value.

    Examples:
        >>> IndicatorUnit("seconds").value
        'seconds'
    """

    SHARE = "share"
    """A share between 0 and 1."""
    SECONDS = "seconds"
    """A duration in seconds."""
    NPS_POINTS = "nps_points"
    """Net Promoter Score points, -100 to 100."""
    RATING = "rating"
    """A rating on the question's scale."""
    PER_1000 = "per_1000"
    """Cases per 1,000 transactions."""
    COUNT = "count"
    """A number of cases."""


class Measure(StrEnum):
    """What an indicator measures, in the records of its source.

    Examples:
        >>> Measure("answered_within").source
        <IndicatorSource.INTERACTIONS: 'interactions'>
    """

    ANSWERED_WITHIN = "answered_within"
    """Inbound calls answered within ``within``, of the calls offered (short abandons apart)."""
    ABANDONED = "abandoned"
    """Inbound calls abandoned in the queue, of the calls offered (short abandons apart)."""
    HANDLE_TIME = "handle_time"
    """The handle time of handled contacts: talk + hold + after-contact work."""
    QUEUE_TIME = "queue_time"
    """The queue time of answered calls."""
    RESOLVED_FIRST_CONTACT = "resolved_first_contact"
    """Contacts the agent marked resolved at first contact, of those marked either way."""
    NO_REPEAT_CONTACT = "no_repeat_contact"
    """Contacts with no further contact from the same customer on the same subject within
    ``window``: first-contact resolution as the records show it."""
    CONTACTS = "contacts"
    """Every interaction."""
    COMPLAINTS = "complaints"
    """Complaints received."""
    REPEAT_COMPLAINT = "repeat_complaint"
    """Complaints from a customer who complained in the same category within ``window``."""
    RESOLUTION_TIME = "resolution_time"
    """Business time from receipt to resolution, on each complaint's calendar."""
    SURVEY_ANSWER = "survey_answer"
    """The answers to the survey questions that measure ``question``."""
    CONSENT = "consent"
    """Customers with consent to the retailer's own marketing in force."""
    PLEDGE_ATTAINMENT = "pledge_attainment"
    """The cases meeting pledge ``pledge_id``'s standard."""

    @property
    def source(self) -> IndicatorSource:
        """The records this measure reads.

        Examples:
            >>> Measure.RESOLUTION_TIME.source
            <IndicatorSource.COMPLAINTS: 'complaints'>
        """
        return _MEASURES[self][0]

    @property
    def statistics(self) -> frozenset[Statistic]:
        """The statistics this measure can be summarised by.

        Examples:
            >>> sorted(statistic.value for statistic in Measure.RESOLUTION_TIME.statistics)
            ['mean', 'median', 'percentile']
        """
        return _MEASURES[self][1]


_MEASURES: Final[dict[Measure, tuple[IndicatorSource, frozenset[Statistic]]]] = {
    Measure.ANSWERED_WITHIN: (IndicatorSource.INTERACTIONS, frozenset({Statistic.SHARE})),
    Measure.ABANDONED: (IndicatorSource.INTERACTIONS, frozenset({Statistic.SHARE})),
    Measure.HANDLE_TIME: (IndicatorSource.INTERACTIONS, frozenset({Statistic.MEAN})),
    Measure.QUEUE_TIME: (IndicatorSource.INTERACTIONS, frozenset({Statistic.MEAN})),
    Measure.RESOLVED_FIRST_CONTACT: (IndicatorSource.INTERACTIONS, frozenset({Statistic.SHARE})),
    Measure.NO_REPEAT_CONTACT: (IndicatorSource.INTERACTIONS, frozenset({Statistic.SHARE})),
    Measure.CONTACTS: (IndicatorSource.INTERACTIONS, frozenset({Statistic.COUNT})),
    Measure.COMPLAINTS: (
        IndicatorSource.COMPLAINTS,
        frozenset({Statistic.COUNT, Statistic.RATE_PER_1000}),
    ),
    Measure.REPEAT_COMPLAINT: (IndicatorSource.COMPLAINTS, frozenset({Statistic.SHARE})),
    Measure.RESOLUTION_TIME: (
        IndicatorSource.COMPLAINTS,
        frozenset({Statistic.MEAN, Statistic.MEDIAN, Statistic.PERCENTILE}),
    ),
    Measure.SURVEY_ANSWER: (
        IndicatorSource.SURVEYS,
        frozenset(
            {Statistic.MEAN, Statistic.TOP_BOX, Statistic.AT_LEAST, Statistic.NPS, Statistic.SHARE}
        ),
    ),
    Measure.CONSENT: (IndicatorSource.CUSTOMERS, frozenset({Statistic.SHARE})),
    Measure.PLEDGE_ATTAINMENT: (IndicatorSource.PLEDGES, frozenset({Statistic.SHARE})),
}

# The parameters each measure or statistic needs, and those it takes.
_NEEDS: Final[dict[Measure | Statistic, tuple[str, ...]]] = {
    Measure.ANSWERED_WITHIN: ("within",),
    Measure.NO_REPEAT_CONTACT: ("window",),
    Measure.REPEAT_COMPLAINT: ("window",),
    Measure.SURVEY_ANSWER: ("question",),
    Measure.PLEDGE_ATTAINMENT: ("pledge_id",),
    Statistic.PERCENTILE: ("q",),
    Statistic.TOP_BOX: ("top_box", "scale"),
    Statistic.AT_LEAST: ("at_least", "scale"),
    Statistic.MEAN: (),
}
_PARAMETERS: Final = (
    "within",
    "window",
    "question",
    "pledge_id",
    "q",
    "scale",
    "top_box",
    "at_least",
)
_ABANDONS: Final = ("ignore", "negative", "positive")
_MAX_WINDOW: Final = timedelta(days=366)


def _measure(value: Measure | str) -> Measure:
    return lenient_enum(Measure, value)


def _statistic(value: Statistic | str) -> Statistic:
    return lenient_enum(Statistic, value)


def _unit(value: IndicatorUnit | str) -> IndicatorUnit:
    return lenient_enum(IndicatorUnit, value)


def _direction(value: Direction | str) -> Direction:
    return lenient_enum(Direction, value)


def _channel_tuple(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(lenient_enum(Channel, item) for item in value)
    return value


@attrs.frozen(kw_only=True)
class IndicatorDefinition:
    """An indicator as data: what it reads, how it is computed, and which way is better.

    The built-in catalogue (`INDICATORS`) defines the indicators of the
    reference; a retailer adds its own the same way, as JSON checked against
    `json_schema(IndicatorDefinition)`.

    Attributes:
        id: the indicator's identifier (``"csat"``, ``"service_level_20s"``).
        name: its name, as a report shows it.
        measure: what it measures (`Measure`), which fixes the records it reads.
        statistic: how the cases become a value (`Statistic`); one the measure allows.
        unit: the value's unit (`IndicatorUnit`).
        direction: whether more is better (`Direction`).
        formula: the formula in words, as the catalogue prints it.
        reference: where the definition comes from.
        within: the answer-time threshold (``answered_within``).
        window: the repeat window (``no_repeat_contact``, ``repeat_complaint``).
        question: the survey question measure answered (``survey_answer``): ``"csat"``,
            ``"nps"``, ``"ces"``, ``"fcr"``, ``"product_range"``...
        pledge_id: the pledge measured (``pledge_attainment``).
        q: the percentile, as a percent from 1 to 100 (``percentile``): 90 for the p90.
        scale: the rating scale's top point, from 1 (``top_box``, ``at_least``).
        top_box: how many top points count as satisfied (``top_box``).
        at_least: the lowest rating that counts (``at_least``).
        abandons: how abandoned calls count in ``answered_within``: ``"ignore"`` (left out),
            ``"negative"`` (as not answered in time) or ``"positive"`` (as answered).
        short_abandon: calls abandoned sooner than this are left out of the calls offered.
        channels: the channels read, or every channel.

    Examples:
        >>> from datetime import timedelta
        >>> sl = IndicatorDefinition(id="sl_15", name="Service level (15 s)",
        ...     measure="answered_within", statistic="share", unit="share", direction="higher",
        ...     within=timedelta(seconds=15), channels=["hotline"],
        ...     formula="answered within 15 s / (offered - short abandons)")
        >>> sl.source, sl.statistic
        (<IndicatorSource.INTERACTIONS: 'interactions'>, <Statistic.SHARE: 'share'>)

    Raises:
        ValidationError: every problem, with its path: a statistic the measure does not
            allow, a parameter it needs left out, a parameter it does not take given.
    """

    id: str = attrs.field(default=REQUIRED)
    name: str = attrs.field(default=REQUIRED)
    measure: Measure = attrs.field(default=REQUIRED, converter=_measure)
    statistic: Statistic = attrs.field(default=REQUIRED, converter=_statistic)
    unit: IndicatorUnit = attrs.field(default=REQUIRED, converter=_unit)
    direction: Direction = attrs.field(default=REQUIRED, converter=_direction)
    formula: str = ""
    reference: str = ""
    within: timedelta | None = None
    window: timedelta | None = None
    question: str | None = None
    pledge_id: str | None = None
    q: float | None = None
    scale: int | None = None
    top_box: int | None = None
    at_least: int | None = None
    abandons: str = "ignore"
    short_abandon: timedelta = timedelta(seconds=5)
    channels: tuple[Channel, ...] = attrs.field(default=(), converter=_channel_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_definition(self, problems)
        raise_problems(self, problems)

    @property
    def source(self) -> IndicatorSource:
        """The records the indicator reads (its measure's source).

        Examples:
            >>> IndicatorCatalogue.builtin()["csat"].source
            <IndicatorSource.SURVEYS: 'surveys'>
        """
        return self.measure.source


def _check_definition(definition: IndicatorDefinition, problems: Problems) -> None:
    check_id(definition.id, "$.id", problems)
    for name in ("name", "formula", "reference"):
        check_text(getattr(definition, name), f"$.{name}", problems)
    if isinstance(definition.name, str) and not definition.name.strip():
        problems.add("$.name", "must not be empty", "required")
    known = True
    for name, kind in (
        ("measure", Measure),
        ("statistic", Statistic),
        ("unit", IndicatorUnit),
        ("direction", Direction),
    ):
        value = getattr(definition, name)
        if not isinstance(value, kind):
            check_enum(value, kind, f"$.{name}", problems)
            known = known and name not in ("measure", "statistic")
    measure, statistic = definition.measure, definition.statistic
    if known:
        if statistic not in measure.statistics:
            allowed = ", ".join(sorted(measure.statistics))
            problems.add(
                "$.statistic", f"must be one the measure allows: {allowed}", "unknown_choice"
            )
        needed = set(_NEEDS.get(measure, ())) | set(_NEEDS.get(statistic, ()))
        for name in _PARAMETERS:
            given = getattr(definition, name) is not None
            taken = name in needed or (name == "scale" and measure is Measure.SURVEY_ANSWER)
            if name in needed and not given:
                problems.add(
                    f"$.{name}", f"is required by {measure.value} {statistic.value}", "required"
                )
            elif given and not taken:
                problems.add(
                    f"$.{name}",
                    f"is not taken by {measure.value} {statistic.value}",
                    "inconsistent",
                )
    check_duration(definition.within, "$.within", problems, maximum=timedelta(days=1))
    check_duration(definition.window, "$.window", problems, maximum=_MAX_WINDOW)
    if definition.window is not None and definition.window == timedelta(0):
        problems.add("$.window", "must be longer than zero", "range")
    check_duration(
        definition.short_abandon,
        "$.short_abandon",
        problems,
        optional=False,
        maximum=timedelta(hours=1),
    )
    if (
        isinstance(definition.within, timedelta)
        and definition.within > timedelta(0)
        and isinstance(definition.short_abandon, timedelta)
        and definition.short_abandon > definition.within
    ):
        problems.add(
            "$.short_abandon", "must not be longer than within, the answer target", "inconsistent"
        )
    if definition.question is not None:
        check_id(definition.question, "$.question", problems)
    if definition.pledge_id is not None:
        check_id(definition.pledge_id, "$.pledge_id", problems)
    if definition.q is not None:
        number = is_finite_number(definition.q)
        if not number or not 1 <= float(definition.q) <= 100:
            problems.add(
                "$.q",
                "must be a percent from 1 to 100: 90 for the p90",
                "range" if number else "type",
            )
    _check_scale(definition, problems)
    if definition.abandons not in _ABANDONS:
        problems.add("$.abandons", "must be one of: " + ", ".join(_ABANDONS), "unknown_choice")
    if not isinstance(definition.channels, tuple):
        problems.add("$.channels", "must be a list of channels", "type")
    else:
        for index, channel in enumerate(definition.channels):
            check_enum(channel, Channel, join_path("$.channels", index), problems)


def _check_scale(definition: IndicatorDefinition, problems: Problems) -> None:
    scale = definition.scale
    scale_ok = scale is None or (is_integer(scale) and 2 <= scale <= 100)
    if not scale_ok:
        problems.add("$.scale", "must be the top point of a scale from 1: 2 to 100", "range")
    top = scale if scale_ok and scale is not None else 100
    if definition.top_box is not None and not (
        is_integer(definition.top_box) and 1 <= definition.top_box < top
    ):
        problems.add(
            "$.top_box", "must be a number of top points, from 1 to below the scale's", "range"
        )
    if definition.at_least is not None and not (
        is_integer(definition.at_least) and 1 <= definition.at_least <= top
    ):
        problems.add("$.at_least", "must be a rating on the scale", "range")


_MAX_CASES: Final = 10**12


def _check_value(instance: IndicatorValue, problems: Problems) -> None:
    check_id(instance.indicator_id, "$.indicator_id", problems)
    value = instance.value
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
    ):
        problems.add("$.value", "must be a finite number or None", "type")
    if isinstance(instance.n, bool) or not isinstance(instance.n, int) or instance.n < 0:
        problems.add("$.n", "must be a whole number of cases, at least 0", "type")
    elif instance.n > _MAX_CASES:
        problems.add("$.n", f"must be at most {_MAX_CASES:,} cases", "range")
    elif instance.n == 0 and value is not None:
        problems.add("$.value", "must be None without a case", "inconsistent")
    if instance.interval is not None and not isinstance(instance.interval, Interval):
        problems.add("$.interval", "must be an Interval or None", "type")
    for name in ("store_id", "business_unit", "staff_id"):
        given = getattr(instance, name)
        if given is not None:
            check_id(given, f"$.{name}", problems)
    if instance.month is not None and (
        not isinstance(instance.month, date) or instance.month.day != 1
    ):
        problems.add("$.month", "must be the first day of a month, or None", "type")
    weekday = instance.weekday
    if weekday is not None and (
        isinstance(weekday, bool) or not isinstance(weekday, int) or not 1 <= weekday <= 7
    ):
        problems.add("$.weekday", "must be an ISO weekday, 1 (Monday) to 7, or None", "range")
    hour = instance.hour
    if hour is not None and (
        isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23
    ):
        problems.add("$.hour", "must be an hour of the day, 0 to 23, or None", "range")
    if instance.channel is not None:
        check_enum(instance.channel, Channel, "$.channel", problems)
    check_enum(instance.direction, Direction, "$.direction", problems)
    check_text(instance.method, "$.method", problems)
    check_text(instance.unit, "$.unit", problems)


def _counts(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _check_evidence(instance: IndicatorValue, problems: Problems) -> None:
    successes, counts, n = instance.successes, instance.counts, instance.n
    if successes is not None:
        if not is_integer(successes) or not 0 <= successes <= max(n, 0):
            problems.add("$.successes", "must be a whole number from 0 to n, or None", "range")
        elif (
            is_integer(n)
            and n > 0
            and isinstance(instance.value, int | float)
            and not math.isclose(instance.value, successes / n, rel_tol=1e-12, abs_tol=1e-15)
        ):
            problems.add("$.successes", "must give the value: successes / n", "inconsistent")
    if counts is not None:
        if not isinstance(counts, tuple) or not all(
            is_integer(count) and count >= 0 for count in counts
        ):
            problems.add("$.counts", "must be a list of whole numbers from 0, or None", "type")
        elif is_integer(n) and sum(counts) != n:
            problems.add("$.counts", "must add up to n", "inconsistent")


def _channel(value: Channel | str | None) -> Channel | None:
    return None if value is None else lenient_enum(Channel, value)


@attrs.frozen(kw_only=True)
class IndicatorValue(Tabular):
    """One group's value of an indicator, with the evidence behind it.

    A key that was not grouped by is ``None``.

    Attributes:
        indicator_id: the indicator measured.
        store_id: the group's store, or ``None``.
        channel: the group's channel, or ``None``.
        business_unit: the group's business unit, or ``None``.
        staff_id: the group's staff member, or ``None``.
        month: the first day of the group's local month, or ``None``.
        weekday: the group's ISO weekday (1 = Monday), or ``None``.
        hour: the group's local hour (0-23), or ``None``.
        value: the indicator's value, or ``None`` without a case to measure.
        n: the cases behind the value (respondents, calls, complaints...).
        interval: the confidence interval where the value is a sample statistic, else
            ``None``.
        method: how the value was computed, in words (the formula, the interval's method).
        unit: the value's unit (``"share"``, ``"seconds"``, ``"NPS points"``...).
        direction: whether more is better.
        successes: for a share, the cases counted as successes (``value`` is
            ``successes / n``), else ``None``: what a comparison of two shares reads.
        counts: for a rating or a 0-10 score, how many gave each point of the scale, from
            its lowest (1, or 0 for NPS), else ``None``: what a comparison of ratings reads.

    Examples:
        >>> IndicatorValue(indicator_id="aht", value=312.5, n=1_200, unit="seconds",
        ...     direction="lower", method="(talk + hold + after-call work) / handled").direction
        <Direction.LOWER_IS_BETTER: 'lower'>
    """

    indicator_id: str
    store_id: str | None = None
    channel: Channel | None = attrs.field(default=None, converter=_channel)
    business_unit: str | None = None
    staff_id: str | None = None
    month: date | None = None
    weekday: int | None = None
    hour: int | None = None
    value: float | None = None
    n: int = 0
    interval: Interval | None = None
    method: str = ""
    unit: str = "share"
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=_direction)
    successes: int | None = None
    counts: tuple[int, ...] | None = attrs.field(
        default=None, converter=_counts, metadata={"records": False}
    )

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_value(self, problems)
        _check_evidence(self, problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class TransactionCount:
    """How many sales transactions a store made on one local day: the base of rates per
    1,000 transactions (`compute_indicators`' ``transactions``).

    Attributes:
        store_id: the store.
        day: the store's local date.
        count: how many transactions, from 0.

    Examples:
        >>> from datetime import date
        >>> TransactionCount(store_id="HK-1", day=date(2026, 3, 2), count=1_840).count
        1840
    """

    store_id: str = attrs.field(default=REQUIRED)
    day: date = attrs.field(default=REQUIRED)
    count: int = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.store_id, "$.store_id", problems)
        if not isinstance(self.day, date) or isinstance(self.day, datetime):
            problems.add("$.day", "must be a date (not a datetime)", "type")
        if not is_integer(self.count) or not 0 <= self.count <= _MAX_COUNT:
            problems.add("$.count", f"must be a whole number from 0 to {_MAX_COUNT:,}", "range")
        raise_problems(self, problems)


_MAX_COUNT: Final = 10**12  # the most cases an indicator value holds


# ---------------------------------------------------------------- the catalogue


def _builtin() -> tuple[IndicatorDefinition, ...]:
    d = IndicatorDefinition
    survey = "survey_answer"
    higher, lower = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER
    products = (
        ("range", "Product range", "Is the range complete for what customers came for?"),
        ("quality", "Product quality", "Are the products good among similar products?"),
        ("timeliness", "Product timeliness", "Are seasonal goods on sale in time?"),
        ("price", "Product price", "Are the prices competitive?"),
    )
    return (
        d(id="csat", name="Customer satisfaction (CSAT)", measure=survey, statistic="top_box",
          unit="share", direction=higher, question="csat", scale=5, top_box=2,
          formula="ratings of 4 or 5 on a 1-5 scale / ratings; Wilson interval",
          reference="top-two-box share, not the mean rating"),
        d(id="nps", name="Net Promoter Score (NPS)", measure=survey, statistic="nps",
          unit="nps_points", direction=higher, question="nps",
          formula="100 x (share of 9-10 - share of 0-6) on a 0-10 scale; Wald interval",
          reference="per-respondent variance p + d - (p - d)^2"),
        d(id="ces", name="Customer effort score (CES)", measure=survey, statistic="mean",
          unit="rating", direction=higher, question="ces", scale=7,
          formula="mean agreement (1-7) that the company made it easy; t interval",
          reference="CES 2.0 agreement item"),
        d(id="ces_easy", name="Customer effort: share finding it easy", measure=survey,
          statistic="at_least", unit="share", direction=higher, question="ces", scale=7,
          at_least=5, formula="ratings of 5 or more on 1-7 / ratings; Wilson interval",
          reference="CES 2.0 agreement item, as a share"),
        d(id="fcr_survey", name="First-contact resolution (survey)", measure=survey,
          statistic="share", unit="share", direction=higher, question="fcr",
          formula="'yes' to 'was it resolved on first contact?' / answers; Wilson interval",
          reference="survey FCR"),
        d(id="fcr_internal", name="First-contact resolution (records)",
          measure="no_repeat_contact", statistic="share", unit="share", direction=higher,
          window=timedelta(days=7),
          formula="contacts with no further contact from the same customer on the same "
          "subject within 7 days / contacts from known customers; Wilson interval",
          reference="internal FCR, 7-day window"),
        d(id="aht", name="Average handle time (AHT)", measure="handle_time", statistic="mean",
          unit="seconds", direction=lower,
          formula="(talk + hold + after-contact work) / contacts handled",
          reference="contact-centre AHT"),
        d(id="asa", name="Average speed of answer (ASA)", measure="queue_time",
          statistic="mean", unit="seconds", direction=lower, channels=["hotline"],
          formula="queue time of answered calls / answered calls",
          reference="contact-centre ASA"),
        d(id="service_level", name="Service level (20 s)", measure="answered_within",
          statistic="share", unit="share", direction=higher, within=timedelta(seconds=20),
          channels=["hotline"],
          formula="answered within 20 s / (offered - short abandons - abandoned within "
          "20 s); Wilson interval",
          reference="80/20 service level, abandons ignored, short abandons under 5 s removed"),
        d(id="abandonment_rate", name="Abandonment rate", measure="abandoned",
          statistic="share", unit="share", direction=lower, channels=["hotline"],
          formula="abandoned / (offered - short abandons); Wilson interval",
          reference="short abandons under 5 s removed"),
        d(id="complaint_rate", name="Complaints per 1,000 transactions", measure="complaints",
          statistic="rate_per_1000", unit="per_1000", direction=lower,
          formula="complaints received x 1,000 / transactions",
          reference="complaint rate"),
        d(id="repeat_complaint_rate", name="Repeat complaint rate",
          measure="repeat_complaint", statistic="share", unit="share", direction=lower,
          window=timedelta(days=30),
          formula="complaints from a customer who complained in the same category within "
          "30 days / complaints; Wilson interval",
          reference="repeat complaints, 30-day window"),
        d(id="resolution_time_median", name="Resolution time (median)",
          measure="resolution_time", statistic="median", unit="seconds", direction=lower,
          formula="median business time from receipt to resolution (R type 7)",
          reference="ISO 10002 responsiveness"),
        d(id="resolution_time_p90", name="Resolution time (90th percentile)",
          measure="resolution_time", statistic="percentile", unit="seconds", direction=lower,
          q=90, formula="90th percentile of business time from receipt to resolution "
          "(R type 7)", reference="ISO 10002 responsiveness"),
        d(id="consent_coverage", name="Consent coverage", measure="consent",
          statistic="share", unit="share", direction=higher,
          formula="customers with own-marketing consent in force / customers not erased",
          reference="PDPO Part 6A, GDPR Art. 6(1)(a)"),
        *(
            d(id=f"product_{key}", name=name, measure=survey, statistic="mean",
              unit="rating", direction=higher, question=f"product_{key}", scale=5,
              formula=f"mean rating (1-5): {question} t interval",
              reference="105083L5 product requirements")
            for key, name, question in products
        ),
    )  # fmt: skip


def _definitions(value: Iterable[IndicatorDefinition]) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


@attrs.frozen
class IndicatorCatalogue:
    """A set of indicator definitions, one per id: the built-in ones and a retailer's own.

    Attributes:
        definitions: the indicators, each id once, in the order they are listed.

    Examples:
        >>> catalogue = IndicatorCatalogue.builtin()
        >>> catalogue["csat"].statistic, "nps" in catalogue
        (<Statistic.TOP_BOX: 'top_box'>, True)
        >>> from datetime import timedelta
        >>> mine = catalogue.plus(IndicatorDefinition(id="sl_30", name="Service level (30 s)",
        ...     measure="answered_within", statistic="share", unit="share",
        ...     direction="higher", within=timedelta(seconds=30), channels=["hotline"]))
        >>> len(mine) - len(catalogue)
        1

    Raises:
        ValidationError: an entry that is not an `IndicatorDefinition`, or an id given
            twice (``$.definitions[n].id``).
    """

    definitions: tuple[IndicatorDefinition, ...] = attrs.field(converter=_definitions)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.definitions, tuple):
            problems.add("$.definitions", "must be a list of IndicatorDefinition", "type")
        else:
            seen: set[str] = set()
            for index, definition in enumerate(self.definitions):
                path = join_path("$.definitions", index)
                if not isinstance(definition, IndicatorDefinition):
                    problems.add(path, "must be an IndicatorDefinition", "type")
                elif definition.id in seen:
                    problems.add(path + ".id", "names an indicator id given already",
                                 "duplicate")  # fmt: skip
                else:
                    seen.add(definition.id)
        raise_problems(self, problems)

    @classmethod
    def builtin(cls) -> IndicatorCatalogue:
        """The indicators of the reference, each with its formula.

        Examples:
            >>> [d.id for d in IndicatorCatalogue.builtin()][:3]
            ['csat', 'nps', 'ces']
        """
        return cls(_builtin())

    def plus(self, *definitions: IndicatorDefinition) -> IndicatorCatalogue:
        """A catalogue with ``definitions`` added (an id given already is refused).

        Examples:
            >>> IndicatorCatalogue([]).plus(IndicatorCatalogue.builtin()["aht"]).ids
            ('aht',)
        """
        return IndicatorCatalogue((*self.definitions, *definitions))

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids, in the catalogue's order.

        Examples:
            >>> IndicatorCatalogue.builtin().ids[-4:]
            ('product_range', 'product_quality', 'product_timeliness', 'product_price')
        """
        return tuple(definition.id for definition in self.definitions)

    def __getitem__(self, indicator_id: str) -> IndicatorDefinition:
        for definition in self.definitions:
            if definition.id == indicator_id:
                return definition
        raise NotFoundError("no indicator with this id in the catalogue")

    def __contains__(self, indicator_id: object) -> bool:
        return any(definition.id == indicator_id for definition in self.definitions)

    def __iter__(self) -> Iterator[IndicatorDefinition]:
        return iter(self.definitions)

    def __len__(self) -> int:
        return len(self.definitions)


# An id given twice in a catalogue's JSON is reported with every other problem of the data.
default_converter().register_structure_hook(
    IndicatorCatalogue,
    unique_ids_hook(default_converter(), IndicatorCatalogue, "definitions", "indicator"),
)
