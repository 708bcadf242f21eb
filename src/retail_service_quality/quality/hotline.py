"""Staffing a hotline pledge interval by interval, and what the last period's staffing achieved.

A hotline pledge such as "80% of calls answered within 20 seconds" is kept or
broken interval by interval. Two functions work on a grid of intervals (15,
30 or 60 minutes) laid from ``start`` to ``end`` in real elapsed time:

- `plan_hotline`: from the pledge's standard (``answer_within`` and
  ``target_share``), a forecast of calls and the average handle time (AHT),
  the agents needed in each interval in which the business calendar is open
  (Erlang C, `metrics.staffing.staffing`), the agents to schedule after
  shrinkage, and the service level, average speed of answer and occupancy
  expected; one row per open interval, and the agent-hours in total;
- `hotline_actuals`: for a past period, the calls each interval was offered,
  answered within the threshold and abandoned, the service level reached,
  the actual AHT, and what Erlang C says the agents on duty should have
  achieved with those calls.

Semantics, exactly:

- Intervals are instants: the grid steps ``interval`` of real time from
  ``start``, so a day on which the clocks change has 23 or 25 hours of
  intervals in local time, and the start and end of each row are in the
  calendar's time zone.
- Only open time is staffed. An interval with no open time has no row; an
  interval partly open is staffed for its open part (``open_time``): its
  calls arrive while it is open, so its traffic is ``calls * AHT /
  open_time``, and its agent-hours are counted over ``open_time`` only.
- An open interval has at least one agent, even with no call forecast.

Examples:
    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from retail_service_quality import BusinessCalendar
    >>> hk = ZoneInfo("Asia/Hong_Kong")
    >>> calendar = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
    >>> plan = plan_hotline(
    ...     calendar=calendar,
    ...     start=datetime(2026, 11, 23, 9, tzinfo=hk),
    ...     end=datetime(2026, 11, 23, 10, tzinfo=hk),
    ...     answer_within=timedelta(seconds=15),
    ...     target_share=0.8,
    ...     calls=360,
    ...     aht=timedelta(seconds=240),
    ...     shrinkage=0.3,
    ... )
    >>> [(row.agents, row.scheduled_agents) for row in plan.intervals.values()]
    [(55, 79), (55, 79)]
    >>> plan.total_agent_hours
    79.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Final, TypeAlias

import attrs

from retail_service_quality._internal.checks import (
    check_count,
    check_number,
    is_finite_number,
    is_number,
)
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import check_aware
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.metrics.staffing import StaffingPlan, staffing, staffing_for_agents
from retail_service_quality.service.interactions import Channel, InteractionDirection
from retail_service_quality.storage._target import check_target, unit_of
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import InteractionQuery, Store, UnitOfWork
from retail_service_quality.storage.ports.interactions import SHORT_ABANDON

__all__ = [
    "HotlineActuals",
    "HotlineInterval",
    "HotlinePlan",
    "IntervalActuals",
    "hotline_actuals",
    "plan_hotline",
]

Target: TypeAlias = Store | UnitOfWork

_US: Final = timedelta(microseconds=1)
_HOUR_US: Final = 3_600 * 1_000_000
_LONGEST_SPAN: Final = timedelta(days=366)
_LENGTHS: Final = tuple(minutes for minutes in range(1, 61) if 60 % minutes == 0)
_LENGTH_TEXT: Final = "must be a timedelta of whole minutes dividing an hour (15, 30 or 60 minutes)"


# ---------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class HotlineInterval(Tabular):
    """One open interval of a `HotlinePlan`: the load, the agents, and the service expected.

    Attributes:
        start: when the interval starts, in the calendar's time zone.
        end: when it ends (exclusive), in the calendar's time zone.
        open_time: how much of it the calendar is open: the time that is staffed.
        calls: the calls expected while it is open.
        aht: the average handle time expected.
        traffic: the load in Erlangs, ``calls * aht / open_time``.
        agents: the agents needed on the phones: the fewest that reach the
            target share and keep occupancy within its ceiling.
        scheduled_agents: the agents to schedule, ``ceil(agents / (1 - shrinkage))``.
        service_level: the share of calls expected to be answered within the threshold.
        probability_of_waiting: the probability that a call waits (Erlang C).
        average_speed_of_answer: how long a call is expected to wait, on average.
        occupancy: the share of the agents' time expected on calls, ``traffic / agents``.
        agent_hours: the scheduled agents' hours in the interval,
            ``scheduled_agents * open_time`` in hours.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> row = HotlineInterval(start=datetime(2026, 11, 23, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc),
        ...     open_time=timedelta(minutes=30), calls=36, aht=timedelta(minutes=4),
        ...     traffic=4.8, agents=8, scheduled_agents=10, service_level=0.91,
        ...     probability_of_waiting=0.18, average_speed_of_answer=timedelta(seconds=9),
        ...     occupancy=0.6, agent_hours=5.0)
        >>> row.agent_hours
        5.0
    """

    start: datetime
    end: datetime
    open_time: timedelta
    calls: float
    aht: timedelta
    traffic: float
    agents: int
    scheduled_agents: int
    service_level: float
    probability_of_waiting: float
    average_speed_of_answer: timedelta
    occupancy: float
    agent_hours: float


@attrs.frozen(kw_only=True)
class HotlinePlan(Tabular):
    """The agents a hotline needs per open interval to keep a pledge, and the hours in total.

    One record per open interval (numbered from 0 in ``interval``, in order
    of time), with the plan's standard and totals repeated on each.

    Attributes:
        answer_within: the pledge's threshold: calls answered within it count.
        target_share: the share of calls the pledge promises to answer within it.
        interval_length: the length of each interval of the grid.
        shrinkage: the share of scheduled time agents are off the phones.
        max_occupancy: the ceiling on the agents' occupancy.
        intervals: each open interval's line, by its number in the plan.
        total_calls: the calls expected in open time.
        calls_when_closed: calls the forecast puts in intervals with no open time:
            not staffed, and not in ``total_calls``.
        total_agent_hours: the scheduled agents' hours, summed over the intervals.
        total_on_phone_hours: the hours of agents on the phones (before shrinkage).
        peak_scheduled_agents: the most agents scheduled in any one interval.
        method: the model the plan comes from.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import BusinessCalendar
        >>> calendar = BusinessCalendar("UTC", {"mon": [("09:00", "09:45")]})
        >>> plan = plan_hotline(calendar=calendar,
        ...     start=datetime(2026, 11, 23, 9, tzinfo=timezone.utc),
        ...     end=datetime(2026, 11, 23, 10, tzinfo=timezone.utc),
        ...     answer_within=timedelta(seconds=20), target_share=0.8,
        ...     calls=36, aht=timedelta(minutes=4))
        >>> [(r["interval"], r["open_time"], r["calls"], r["agents"]) for r in plan.to_records()]
        [(0, datetime.timedelta(seconds=1800), 36.0, 8), (1, datetime.timedelta(seconds=900), 18.0, 8)]
    """  # noqa: E501

    _rows_from: ClassVar[str | None] = "intervals"
    _row_key: ClassVar[str] = "interval"

    answer_within: timedelta
    target_share: float
    interval_length: timedelta
    shrinkage: float
    max_occupancy: float
    intervals: Mapping[int, HotlineInterval]
    total_calls: float
    calls_when_closed: float
    total_agent_hours: float
    total_on_phone_hours: float
    peak_scheduled_agents: int
    method: str = "Erlang C"


@attrs.frozen(kw_only=True)
class IntervalActuals(Tabular):
    """One interval of `HotlineActuals`: the calls, the service reached, and what Erlang C expected.

    Calls are the inbound hotline calls received in the interval. Short
    abandons (abandoned within the short-abandon threshold, by their queue
    time) are left out of ``offered`` and counted apart; every other
    abandoned call is offered and not answered within the threshold.

    Attributes:
        start: when the interval starts, in the calendar's time zone.
        end: when it ends (exclusive), in the calendar's time zone.
        open_time: how much of it the calendar was open.
        offered: the calls offered, short abandons left out.
        answered: the calls answered (offered and not abandoned).
        answered_within: the calls answered with a recorded queue time within the
            threshold.
        abandoned: the calls abandoned in the queue, short abandons left out.
        short_abandoned: the short abandons, in no other count.
        service_level: ``answered_within / offered``, or ``None`` with no call offered.
        handled: the calls with a recorded handle time.
        average_handle_time: their mean handle time, or ``None`` if there is none.
        agents: the agents on the phones, as given, or ``None`` if not given.
        traffic: the load the agents had in Erlangs, ``offered * AHT / open_time``,
            or ``None`` without open time or an AHT.
        expected_service_level: the service level Erlang C expects from the
            agents with that load, or ``None`` where it has no answer (no
            agents given, no load measured, or not more agents than Erlangs).
        expected_average_speed_of_answer: the mean wait Erlang C expects, likewise.
        expected_occupancy: ``traffic / agents``, likewise.
        overloaded: whether the load reached the agents on duty (``traffic >= agents``):
            a queue that Erlang C says grows without bound.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> row = IntervalActuals(start=datetime(2026, 11, 23, 9, tzinfo=timezone.utc),
        ...     end=datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc),
        ...     open_time=timedelta(minutes=30), offered=10, answered=9, answered_within=8,
        ...     abandoned=1, short_abandoned=0, service_level=0.8, handled=9,
        ...     average_handle_time=timedelta(minutes=3), agents=None, traffic=1.0,
        ...     expected_service_level=None, expected_average_speed_of_answer=None,
        ...     expected_occupancy=None, overloaded=False)
        >>> row.service_level
        0.8
    """

    start: datetime
    end: datetime
    open_time: timedelta
    offered: int
    answered: int
    answered_within: int
    abandoned: int
    short_abandoned: int
    service_level: float | None
    handled: int
    average_handle_time: timedelta | None
    agents: int | None
    traffic: float | None
    expected_service_level: float | None
    expected_average_speed_of_answer: timedelta | None
    expected_occupancy: float | None
    overloaded: bool


@attrs.frozen(kw_only=True)
class HotlineActuals(Tabular):
    """What a hotline achieved per interval of a past period, beside what Erlang C expected.

    One record per interval that was open, or received a call, or has the
    agents on duty given; the period's standard and totals are repeated on
    each. Abandoned calls count as offered and not answered within the
    threshold (``abandons="negative"``); short abandons are left out.

    Attributes:
        answer_within: the threshold calls are measured against.
        short_abandon: abandoned calls that waited less than this are short abandons.
        interval_length: the length of each interval of the grid.
        intervals: each interval's line, by its number in the period (from 0).
        total_offered: the calls offered in the period, short abandons left out.
        total_answered_within: the calls answered within the threshold.
        total_abandoned: the calls abandoned, short abandons left out.
        total_short_abandoned: the short abandons.
        period_service_level: ``total_answered_within / total_offered`` over the
            period, or ``None`` with no call.
        abandons: how abandoned calls are treated in the service level.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import BusinessCalendar, InMemoryStore
        >>> at = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
        >>> actuals = hotline_actuals(InMemoryStore(),
        ...     calendar=BusinessCalendar("UTC", {"mon": [("09:00", "10:00")]}),
        ...     start=at, end=at + timedelta(hours=1), answer_within=timedelta(seconds=20),
        ...     agents=[(at, 2)])
        >>> [(r["interval"], r["offered"], r["agents"]) for r in actuals.to_records()]
        [(0, 0, 2), (1, 0, None)]
    """

    _rows_from: ClassVar[str | None] = "intervals"
    _row_key: ClassVar[str] = "interval"

    answer_within: timedelta
    short_abandon: timedelta
    interval_length: timedelta
    intervals: Mapping[int, IntervalActuals]
    total_offered: int
    total_answered_within: int
    total_abandoned: int
    total_short_abandoned: int
    period_service_level: float | None
    abandons: str = "negative"


# ---------------------------------------------------------------- the grid


@attrs.frozen
class _Grid:
    """Intervals of ``length`` microseconds from ``start`` (UTC microseconds), ``count`` of them."""

    start: int
    length: int
    count: int
    calendar: BusinessCalendar

    def index_of(self, at: int) -> int | None:
        offset = at - self.start
        if offset < 0 or offset % self.length or offset // self.length >= self.count:
            return None
        return offset // self.length

    def bucket(self, at: int) -> int | None:
        offset = at - self.start
        if offset < 0 or offset // self.length >= self.count:
            return None
        return offset // self.length

    def bounds(self, index: int) -> tuple[datetime, datetime]:
        zone = _zone(self.calendar)
        low = self.start + index * self.length
        return _moment(low, zone), _moment(low + self.length, zone)

    def open_times(self) -> dict[int, int]:
        """Open microseconds per interval, for the intervals with any."""
        found: dict[int, int] = {}
        low, high = self.start, self.start + self.count * self.length
        stretches = self.calendar.open_intervals(_moment(low, UTC), _moment(high, UTC))
        for stretch in stretches:
            opens, closes = instant_us(stretch.opens), instant_us(stretch.closes)
            first = (opens - low) // self.length
            last = (closes - 1 - low) // self.length
            for index in range(first, last + 1):
                begin = low + index * self.length
                part = min(closes, begin + self.length) - max(opens, begin)
                if part > 0:
                    found[index] = found.get(index, 0) + part
        return found


def _zone(calendar: BusinessCalendar) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(calendar.timezone)


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(us: int, zone: Any) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(zone)


def _grid(
    calendar: object, start: object, end: object, interval: object, problems: Problems
) -> _Grid | None:
    """The grid from ``start`` to ``end``; ``None`` (and problems) if the arguments are bad."""
    if not isinstance(calendar, BusinessCalendar):
        problems.add("$.calendar", "must be a BusinessCalendar", "type")
    before = len(problems)
    check_aware(start, "$.start", problems)
    check_aware(end, "$.end", problems)
    times_ok = len(problems) == before
    length_ok = False
    if not isinstance(interval, timedelta):
        problems.add("$.interval", _LENGTH_TEXT, "type")
    elif interval % timedelta(minutes=1) or interval // timedelta(minutes=1) not in _LENGTHS:
        problems.add("$.interval", _LENGTH_TEXT, "range")
    else:
        length_ok = True
    if not times_ok:
        return None
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    low, high = instant_us(start), instant_us(end)
    if high <= low:
        problems.add("$.end", "must be after start", "inconsistent")
        return None
    if high - low > _LONGEST_SPAN // _US:
        problems.add("$.end", "must be at most 366 days after start", "range")
        return None
    if not length_ok:
        return None
    assert isinstance(interval, timedelta)
    length = interval // _US
    if (high - low) % length:
        problems.add("$.end", "must be a whole number of intervals after start", "inconsistent")
        return None
    if not isinstance(calendar, BusinessCalendar):
        return None
    return _Grid(start=low, length=length, count=(high - low) // length, calendar=calendar)


def _entries(value: Any) -> Iterator[tuple[int, object, object]]:
    """The (position, key, value) pairs of a mapping or a sequence of pairs."""
    if isinstance(value, Mapping):
        for position, (key, item) in enumerate(value.items()):
            yield position, key, item
        return
    for position, pair in enumerate(value):
        if isinstance(pair, tuple | list) and len(pair) == 2:
            yield position, pair[0], pair[1]
        else:
            yield position, None, _NOT_A_PAIR


_NOT_A_PAIR: Final = object()


def _per_interval(
    value: object,
    path: str,
    grid: _Grid | None,
    good: Any,
    message: str,
    problems: Problems,
) -> dict[int, Any]:
    """A per-interval input, by interval number; each bad entry a problem at ``path[n]``."""
    found: dict[int, Any] = {}
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        problems.add(path, "must be a mapping or a list of (interval start, value) pairs", "type")
        return found
    try:
        entries = list(_entries(value))
    except Exception:  # an iterable that fails as it is read
        problems.add(path, "must be a mapping or a list of (interval start, value) pairs", "type")
        return found
    for position, key, item in entries:
        where = join_path(path, position)
        if item is _NOT_A_PAIR:
            problems.add(where, "must be a pair: (interval start, value)", "type")
            continue
        before = len(problems)
        check_aware(key, where, problems)
        if not good(item):
            sized = is_finite_number(item) or isinstance(item, timedelta)
            problems.add(where, message, "range" if sized else "type")
        if len(problems) != before or grid is None:
            continue
        assert isinstance(key, datetime)
        index = grid.index_of(instant_us(key))
        if index is None:
            problems.add(where, "must start one of the plan's intervals", "inconsistent")
        elif index in found:
            problems.add(where, "repeats an interval given before", "duplicate")
        else:
            found[index] = item
    return found


def _open_times(grid: _Grid | None, problems: Problems) -> dict[int, int]:
    """The grid's open time per interval; none (and the calendar's problems) if it cannot say."""
    if grid is None:
        return {}
    try:
        return grid.open_times()
    except ValidationError as error:  # a span the calendar does not cover
        problems.extend(error.problems)
        return {}


def _is_calls(value: object) -> bool:
    return is_finite_number(value) and 0 <= float(value) <= 1e9


def _is_aht(value: object) -> bool:
    return isinstance(value, timedelta) and timedelta(0) < value <= timedelta(days=366)


def _is_agents(value: object) -> bool:
    problems = Problems()
    return check_count(value, "$", problems, maximum=1_000_000)


_CALLS_TEXT: Final = "must be a non-negative number of calls (at most 10**9)"
_AHT_TEXT: Final = "must be a positive timedelta of at most 366 days"


def _check_share(value: object, path: str, strict_high: bool, problems: Problems) -> None:
    if not check_number(value, path, problems, low=0, high=1, strict=strict_high):
        return
    assert is_finite_number(value)
    if not strict_high and float(value) == 0:
        problems.add(path, "must be a number above 0, at most 1", "range")


# ---------------------------------------------------------------- planning


def plan_hotline(
    *,
    calendar: BusinessCalendar,
    start: datetime,
    end: datetime,
    answer_within: timedelta,
    target_share: float,
    calls: float | Mapping[datetime, float] | Iterable[tuple[datetime, float]],
    aht: timedelta | Mapping[datetime, timedelta] | Iterable[tuple[datetime, timedelta]],
    interval: timedelta = timedelta(minutes=30),
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
) -> HotlinePlan:
    """The agents needed in each open interval to answer ``target_share`` of calls in time.

    ``calls`` is either a flat rate (the calls in a whole interval, arriving
    evenly over open time, so an interval open for half its length gets half
    of them) or a forecast per interval: a mapping, or a list of pairs, from
    an interval's start (an aware datetime, any zone) to the calls expected
    while it is open. ``aht`` is one duration, or one per interval in the
    same way. Every open interval needs a forecast; a forecast for an
    interval with no open time is left out of the plan and counted in
    ``calls_when_closed``. In a mapping, two datetimes of the repeated hour
    of a DST change in the same zone are one key to Python: give a list of
    pairs, or UTC times, on such a day.

    Each open interval's agents are `staffing`'s: the fewest that answer
    ``target_share`` of calls within ``answer_within`` over its open time
    and keep occupancy at or below ``max_occupancy``; ``scheduled_agents``
    allows for ``shrinkage``.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import BusinessCalendar
        >>> london = ZoneInfo("Europe/London")
        >>> calendar = BusinessCalendar("Europe/London", {"sun": [("00:00", "04:00")]})
        >>> plan = plan_hotline(calendar=calendar,
        ...     start=datetime(2026, 10, 25, tzinfo=london),
        ...     end=datetime(2026, 10, 25, 4, tzinfo=london),
        ...     answer_within=timedelta(seconds=20), target_share=0.8,
        ...     calls=10, aht=timedelta(minutes=3), interval=timedelta(hours=1))
        >>> [row.start.strftime("%H:%M%z") for row in plan.intervals.values()]
        ['00:00+0100', '01:00+0100', '01:00+0000', '02:00+0000', '03:00+0000']

    Raises:
        ValidationError: every problem with the arguments, with its path: a
            forecast entry at ``$.calls[n]`` (its position) that is not the
            start of an interval, a missing forecast, a target share not
            strictly between 0 and 1, an interval length that does not divide
            an hour, a span over 366 days or not a whole number of intervals.
    """
    problems = Problems()
    grid = _grid(calendar, start, end, interval, problems)
    if not isinstance(answer_within, timedelta):
        problems.add("$.answer_within", "must be a timedelta", "type")
    elif not timedelta(0) <= answer_within <= timedelta(days=366):
        problems.add("$.answer_within", "must not be negative, at most 366 days", "range")
    check_number(target_share, "$.target_share", problems, low=0, high=1, strict=True)
    if check_number(shrinkage, "$.shrinkage", problems, low=0, high=1) and float(shrinkage) >= 1:
        problems.add("$.shrinkage", "must be a share from 0 up to (not including) 1", "range")
    _check_share(max_occupancy, "$.max_occupancy", False, problems)
    flat_calls: float | None = None
    forecast: dict[int, Any] = {}
    if isinstance(calls, int | float):  # a flat rate; NaN and infinity are numbers, not lists
        if _is_calls(calls):
            flat_calls = float(calls)
        else:
            problems.add("$.calls", _CALLS_TEXT, "range" if is_finite_number(calls) else "type")
    else:
        forecast = _per_interval(calls, "$.calls", grid, _is_calls, _CALLS_TEXT, problems)
    calls_ok = flat_calls is None and not any(p.path == "$.calls" for p in problems)
    flat_aht: timedelta | None = None
    ahts: dict[int, Any] = {}
    if isinstance(aht, timedelta):
        if _is_aht(aht):
            flat_aht = aht
        else:
            problems.add("$.aht", _AHT_TEXT, "range")
    elif is_number(aht):
        problems.add("$.aht", "must be a timedelta, or one per interval", "type")
    else:
        ahts = _per_interval(aht, "$.aht", grid, _is_aht, _AHT_TEXT, problems)
    aht_ok = flat_aht is None and not any(p.path == "$.aht" for p in problems)
    open_times = _open_times(grid, problems)
    if calls_ok and any(i not in forecast for i in open_times):
        problems.add("$.calls", "must give a forecast for every open interval", "required")
    if aht_ok and any(i not in ahts for i in open_times):
        problems.add("$.aht", "must give an AHT for every open interval", "required")
    problems.raise_if_any()
    assert grid is not None
    rows: dict[int, HotlineInterval] = {}
    length = grid.length
    for index in sorted(open_times):
        open_us = open_times[index]
        expected = (
            flat_calls * open_us / length if flat_calls is not None else float(forecast[index])
        )
        handle = flat_aht if flat_aht is not None else ahts[index]
        open_time = timedelta(microseconds=open_us)
        plan = _staff(
            "$.calls" if flat_calls is not None else join_path("$.calls", index),
            calls=expected,
            interval=open_time,
            aht=handle,
            answer_within=answer_within,
            service_level=float(target_share),
            max_occupancy=float(max_occupancy),
            shrinkage=float(shrinkage),
        )
        opens, closes = grid.bounds(index)
        rows[index] = HotlineInterval(
            start=opens,
            end=closes,
            open_time=open_time,
            calls=expected,
            aht=handle,
            traffic=plan.traffic,
            agents=plan.agents,
            scheduled_agents=plan.scheduled_agents,
            service_level=plan.service_level,
            probability_of_waiting=plan.probability_of_waiting,
            average_speed_of_answer=plan.average_speed_of_answer,
            occupancy=plan.occupancy,
            agent_hours=plan.scheduled_agents * open_us / _HOUR_US,
        )
    closed = 0.0
    if flat_calls is None:
        closed = math.fsum(float(v) for i, v in forecast.items() if i not in open_times)
    return HotlinePlan(
        answer_within=answer_within,
        target_share=float(target_share),
        interval_length=timedelta(microseconds=length),
        shrinkage=float(shrinkage),
        max_occupancy=float(max_occupancy),
        intervals=rows,
        total_calls=math.fsum(row.calls for row in rows.values()),
        calls_when_closed=closed,
        total_agent_hours=math.fsum(row.agent_hours for row in rows.values()),
        total_on_phone_hours=math.fsum(
            row.agents * open_times[index] / _HOUR_US for index, row in rows.items()
        ),
        peak_scheduled_agents=max((row.scheduled_agents for row in rows.values()), default=0),
    )


def _staff(path: str, **arguments: Any) -> StaffingPlan:
    """`staffing`, its load problems reported at the forecast's path."""
    try:
        return staffing(**arguments)
    except ValidationError as error:
        raise ValidationError(
            problem if problem.path != "$.calls" else attrs.evolve(problem, path=path)
            for problem in error.problems
        ) from None


# ---------------------------------------------------------------- actuals


@attrs.define
class _Tally:
    offered: int = 0
    answered_within: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    handled: int = 0
    handle_us: int = 0


def hotline_actuals(
    target: Target,
    *,
    calendar: BusinessCalendar,
    start: datetime,
    end: datetime,
    answer_within: timedelta,
    agents: Mapping[datetime, int] | Iterable[tuple[datetime, int]] = (),
    interval: timedelta = timedelta(minutes=30),
    store_id: str | None = None,
    short_abandon: timedelta = SHORT_ABANDON,
) -> HotlineActuals:
    """What the hotline achieved per interval from ``start`` to ``end``, and what Erlang C expected.

    Reads the inbound hotline calls received in the period (of one store, with
    ``store_id``) from a store or an open unit of work, streaming them, and
    counts each in the interval it was received in. A call is answered within
    the threshold when it was not abandoned and its recorded queue time is at
    most ``answer_within`` (a call answered with no queue time recorded is
    not). Abandoned calls count as offered and not answered within the
    threshold; short abandons (abandoned with a queue time under
    ``short_abandon``, 5 seconds unless given) are left out, as in
    `InteractionSummary`. ``agents`` gives the agents on the phones in an
    interval (after shrinkage), as a mapping or a list of pairs from the
    interval's start; Erlang C then says what they should have achieved with
    the calls offered and the actual AHT, over the interval's open time.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import (BusinessCalendar, InMemoryStore,
        ...     ServiceInteraction)
        >>> at = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     for number, wait in enumerate([5, 12, 40]):
        ...         uow.interactions.add(ServiceInteraction(id=f"I-{number}", store_id="S1",
        ...             channel="hotline", occurred_at=at + timedelta(minutes=number),
        ...             queue_time=timedelta(seconds=wait), talk_time=timedelta(minutes=4)))
        ...     uow.commit()
        >>> actuals = hotline_actuals(store,
        ...     calendar=BusinessCalendar("UTC", {"mon": [("09:00", "09:30")]}),
        ...     start=at, end=at + timedelta(minutes=30), answer_within=timedelta(seconds=20),
        ...     agents={at: 2})
        >>> row = actuals.intervals[0]
        >>> row.offered, row.answered_within, round(row.service_level, 3), row.average_handle_time
        (3, 2, 0.667, datetime.timedelta(seconds=240))
        >>> round(row.traffic, 3), round(row.expected_service_level, 3)
        (0.4, 0.942)

    Raises:
        ValidationError: every problem with the arguments, with its path (an
            entry of ``agents`` at ``$.agents[n]``, its position).
    """
    problems = Problems()
    check_target(target, "interactions", problems)
    grid = _grid(calendar, start, end, interval, problems)
    if not isinstance(answer_within, timedelta):
        problems.add("$.answer_within", "must be a timedelta", "type")
    elif not timedelta(0) <= answer_within <= timedelta(days=366):
        problems.add("$.answer_within", "must not be negative, at most 366 days", "range")
    if not isinstance(short_abandon, timedelta):
        problems.add("$.short_abandon", "must be a timedelta", "type")
    elif not timedelta(0) <= short_abandon <= timedelta(days=1):
        problems.add("$.short_abandon", "must not be negative, at most a day", "range")
    on_duty = _per_interval(
        agents, "$.agents", grid, _is_agents, "must be a count of agents (0 to 1,000,000)", problems
    )
    query: InteractionQuery | None = None
    if isinstance(start, datetime) and isinstance(end, datetime) and grid is not None:
        try:
            query = InteractionQuery(
                start=start,
                end=end,
                store_id=store_id,
                channel=Channel.HOTLINE,
                direction=InteractionDirection.INBOUND,
            )
        except ValidationError as error:
            problems.extend(error.problems)
    open_times = _open_times(grid, problems)
    problems.raise_if_any()
    assert grid is not None
    assert query is not None
    tallies: dict[int, _Tally] = {}
    with unit_of(target, "interactions", read_only=True) as uow:
        for call in uow.interactions.query(query):
            index = grid.bucket(instant_us(call.occurred_at))
            if index is None:  # pragma: no cover - the query selects the period only
                continue
            tally = tallies.get(index)
            if tally is None:
                tally = tallies[index] = _Tally()
            _count(tally, call, answer_within, short_abandon)
    return _actuals(grid, open_times, tallies, on_duty, answer_within, short_abandon)


def _count(tally: _Tally, call: Any, answer_within: timedelta, short_abandon: timedelta) -> None:
    waited = call.queue_time
    if call.abandoned:
        if waited is not None and waited < short_abandon:
            tally.short_abandoned += 1
            return
        tally.abandoned += 1
    elif waited is not None and waited <= answer_within:
        tally.answered_within += 1
    tally.offered += 1
    if call.handle_time is not None:
        tally.handled += 1
        tally.handle_us += call.handle_time // _US


def _expected(
    offered: int,
    open_us: int,
    aht: timedelta | None,
    answer_within: timedelta,
    agents: int | None,
    traffic: float | None,
) -> StaffingPlan | None:
    """What Erlang C expects of ``agents``, or ``None`` where the model has no answer."""
    if traffic is None or aht is None or not aht or not agents or traffic >= agents:
        return None
    try:
        return staffing_for_agents(
            calls=offered,
            interval=timedelta(microseconds=open_us),
            aht=aht,
            answer_within=answer_within,
            agents=agents,
        )
    except ValidationError:  # a wait beyond what a duration holds: no answer either
        return None


def _actuals(
    grid: _Grid,
    open_times: dict[int, int],
    tallies: dict[int, _Tally],
    on_duty: dict[int, Any],
    answer_within: timedelta,
    short_abandon: timedelta,
) -> HotlineActuals:
    rows: dict[int, IntervalActuals] = {}
    for index in sorted(set(open_times) | set(tallies) | set(on_duty)):
        tally = tallies.get(index, _Tally())
        open_us = open_times.get(index, 0)
        aht = timedelta(microseconds=tally.handle_us) / tally.handled if tally.handled else None
        agents = int(on_duty[index]) if index in on_duty else None
        traffic = None
        if open_us and aht is not None:
            # As `staffing_for_agents` computes it, so that the two agree on overload.
            traffic = tally.offered * aht.total_seconds() / (open_us / 1_000_000)
        expected = _expected(tally.offered, open_us, aht, answer_within, agents, traffic)
        opens, closes = grid.bounds(index)
        rows[index] = IntervalActuals(
            start=opens,
            end=closes,
            open_time=timedelta(microseconds=open_us),
            offered=tally.offered,
            answered=tally.offered - tally.abandoned,
            answered_within=tally.answered_within,
            abandoned=tally.abandoned,
            short_abandoned=tally.short_abandoned,
            service_level=tally.answered_within / tally.offered if tally.offered else None,
            handled=tally.handled,
            average_handle_time=aht,
            agents=agents,
            traffic=traffic,
            expected_service_level=None if expected is None else expected.service_level,
            expected_average_speed_of_answer=(
                None if expected is None else expected.average_speed_of_answer
            ),
            expected_occupancy=None if expected is None else expected.occupancy,
            overloaded=traffic is not None and agents is not None and traffic >= agents,
        )
    offered = sum(t.offered for t in tallies.values())
    within = sum(t.answered_within for t in tallies.values())
    return HotlineActuals(
        answer_within=answer_within,
        short_abandon=short_abandon,
        interval_length=timedelta(microseconds=grid.length),
        intervals=rows,
        total_offered=offered,
        total_answered_within=within,
        total_abandoned=sum(t.abandoned for t in tallies.values()),
        total_short_abandoned=sum(t.short_abandoned for t in tallies.values()),
        period_service_level=within / offered if offered else None,
    )
