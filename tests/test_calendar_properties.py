"""Properties of business time, and agreement with a deliberately naive reference.

The reference walks real time minute by minute, reading each minute's local
wall clock and checking it against the calendar's periods for that local
date. It shares no code with the library beyond reading the calendar's
public attributes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given
from hypothesis import strategies as st

from retail_service_quality import DAYS, BusinessCalendar, ValidationError
from retail_service_quality.calendar import HORIZON
from retail_service_quality.testing.strategies import aware_datetimes, calendars, durations

MINUTE = timedelta(minutes=1)
WALK_LIMIT = 20_000  # minutes the reference is willing to walk


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def reference_periods(cal: BusinessCalendar, day: date) -> list[tuple[int, int]]:
    if day in cal.special_hours:
        periods = cal.special_hours[day]
    elif day in cal.holidays:
        periods = ()
    else:
        periods = cal.hours.get(DAYS[day.weekday()], ())
    return [(_minutes(o), _minutes(c)) for o, c in periods]


def reference_open_minute(cal: BusinessCalendar, minute_start: datetime) -> bool:
    """Whether the real minute starting at ``minute_start`` (UTC) is open."""
    wall = minute_start.astimezone(ZoneInfo(cal.timezone))
    of_day = wall.hour * 60 + wall.minute
    return any(o <= of_day < c for o, c in reference_periods(cal, wall.date()))


def in_pause(moment: datetime, pauses: list[tuple[datetime, datetime]]) -> bool:
    return any(start <= moment < end for start, end in pauses)


def reference_add(
    cal: BusinessCalendar,
    start: datetime,
    duration: timedelta,
    pauses: list[tuple[datetime, datetime]] = (),  # type: ignore[assignment]
) -> datetime | None:
    moment = start.astimezone(UTC)
    needed = duration // MINUTE
    for _ in range(WALK_LIMIT):
        if reference_open_minute(cal, moment) and not in_pause(moment, pauses):
            needed -= 1
            if needed == 0:
                return moment + MINUTE
        moment += MINUTE
    return None


def reference_between(
    cal: BusinessCalendar,
    start: datetime,
    end: datetime,
    pauses: list[tuple[datetime, datetime]] = (),  # type: ignore[assignment]
) -> timedelta:
    moment, stop = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    while moment < stop:
        if reference_open_minute(cal, moment) and not in_pause(moment, pauses):
            total += MINUTE
        moment += MINUTE
    return total


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def deadline(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """``cal.add``, or a rejected example when the deadline lies beyond the horizon."""
    try:
        return cal.add(start, duration)
    except ValidationError:
        # Refused only when the calendar is not open that long within the horizon.
        assert cal.between(start, utc(start) + HORIZON) < duration
        assume(False)
        raise


minute_starts = aware_datetimes(whole_minutes=True)
minute_durations = st.integers(min_value=1, max_value=3_000).map(lambda n: n * MINUTE)


@st.composite
def minute_pauses(draw: st.DrawFn, around: datetime) -> list[tuple[datetime, datetime]]:
    base = utc(around)
    pauses = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        offset = draw(st.integers(min_value=-600, max_value=6_000))
        length = draw(st.integers(min_value=0, max_value=2_000))
        pauses.append((base + offset * MINUTE, base + (offset + length) * MINUTE))
    return pauses


# ---------------------------------------------------------------- the reference


@given(calendars(granularity=1), minute_starts, minute_durations)
def test_add_agrees_with_minute_walk(
    cal: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    expected = reference_add(cal, start, duration)
    assume(expected is not None)
    assert utc(cal.add(start, duration)) == expected


@given(calendars(), minute_starts, st.integers(min_value=0, max_value=5_000), st.data())
def test_between_agrees_with_minute_walk(
    cal: BusinessCalendar, start: datetime, minutes: int, data: st.DataObject
) -> None:
    end = utc(start) + minutes * MINUTE  # elapsed time: aware arithmetic would drop the fold
    pauses = data.draw(minute_pauses(start))
    assert cal.between(start, end, pauses=pauses) == reference_between(cal, start, end, pauses)


@given(calendars(), minute_starts, minute_durations, st.data())
def test_add_with_pauses_agrees_with_minute_walk(
    cal: BusinessCalendar, start: datetime, duration: timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(minute_pauses(start))
    expected = reference_add(cal, start, duration, pauses)
    assume(expected is not None)
    assert utc(cal.add(start, duration, pauses=pauses)) == expected


@given(calendars(granularity=1), minute_starts)
def test_is_open_agrees_with_wall_clock_reading(cal: BusinessCalendar, moment: datetime) -> None:
    assert cal.is_open(moment) == reference_open_minute(cal, utc(moment))


@given(calendars(), minute_starts, st.integers(min_value=1, max_value=30))
def test_add_working_days_agrees_with_day_walk(
    cal: BusinessCalendar, start: datetime, days: int
) -> None:
    zone = ZoneInfo(cal.timezone)
    day = start.astimezone(zone).date()
    counted = 0
    for _ in range(400):
        day += timedelta(days=1)
        if cal.open_intervals_on(day):
            counted += 1
            if counted == days:
                break
    assume(counted == days)
    expected = max(utc(interval.closes) for interval in cal.open_intervals_on(day))
    assert utc(cal.add_working_days(start, days)) == expected


# ---------------------------------------------------------------- algebra


@given(calendars(), aware_datetimes(), durations())
def test_between_inverts_add(cal: BusinessCalendar, start: datetime, duration: timedelta) -> None:
    assert cal.between(start, deadline(cal, start, duration)) == duration


@given(calendars(), aware_datetimes(), durations(), durations())
def test_add_is_monotonic(
    cal: BusinessCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    shorter, longer = sorted([first, second])
    assert utc(deadline(cal, start, shorter)) <= utc(deadline(cal, start, longer))


@given(calendars(), aware_datetimes(), durations(), durations())
def test_add_composes(cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta) -> None:
    assert utc(deadline(cal, deadline(cal, start, a), b)) == utc(deadline(cal, start, a + b))


@given(calendars(), aware_datetimes(), durations(max_value=timedelta(days=30)), st.data())
def test_between_inverts_add_with_pauses(
    cal: BusinessCalendar, start: datetime, duration: timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(minute_pauses(start))
    deadline = cal.add(start, duration, pauses=pauses)
    assert cal.between(start, deadline, pauses=pauses) == duration


@given(calendars(), aware_datetimes(), durations())
def test_deadline_is_earliest(cal: BusinessCalendar, start: datetime, duration: timedelta) -> None:
    due = deadline(cal, start, duration)
    assert utc(due) > utc(start)
    # The instant just before the deadline is open and one microsecond short.
    just_before = due - timedelta(microseconds=1)
    assert cal.is_open(just_before)
    assert cal.between(start, just_before) == duration - timedelta(microseconds=1)


@given(calendars(), aware_datetimes(), aware_datetimes(), aware_datetimes())
def test_between_is_additive(cal: BusinessCalendar, a: datetime, b: datetime, c: datetime) -> None:
    first, middle, last = sorted([a, b, c], key=utc)
    assert cal.between(first, last) == cal.between(first, middle) + cal.between(middle, last)


@given(calendars(), aware_datetimes())
def test_next_open_is_open(cal: BusinessCalendar, moment: datetime) -> None:
    opening = cal.next_open(moment)
    assert utc(opening) >= utc(moment)
    assert cal.is_open(opening)
    assert cal.between(moment, opening) == timedelta(0)
