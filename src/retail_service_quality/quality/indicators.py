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
from datetime import date
from enum import StrEnum
from typing import Final, Literal

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import (
    check_enum,
    check_id,
    check_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import Problems
from retail_service_quality.metrics.statistics import Interval
from retail_service_quality.service.interactions import Channel

__all__ = [
    "INDICATOR_GROUPS",
    "Direction",
    "IndicatorGroupBy",
    "IndicatorValue",
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


def _check_value(instance: IndicatorValue, problems: Problems) -> None:
    check_id(instance.indicator_id, "$.indicator_id", problems)
    value = instance.value
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
    ):
        problems.add("$.value", "must be a finite number or None", "type")
    if isinstance(instance.n, bool) or not isinstance(instance.n, int) or instance.n < 0:
        problems.add("$.n", "must be a whole number of cases, at least 0", "type")
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


def _channel(value: Channel | str | None) -> Channel | None:
    return None if value is None else lenient_enum(Channel, value)


def _direction(value: Direction | str) -> Direction:
    return lenient_enum(Direction, value)


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

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_value(self, problems)
        raise_problems(self, problems)
