"""Hypothesis strategies for the library's objects, shared by every kind of test.

Use them in your own property tests of code that embeds the library:

Examples:
    >>> from hypothesis import given, settings
    >>> from retail_service_quality.testing.strategies import calendars
    >>> @settings(max_examples=5)
    ... @given(calendars())
    ... def test_every_calendar_round_trips(cal):
    ...     from retail_service_quality import from_json, to_json
    ...     assert from_json(to_json(cal), type(cal)) == cal
    >>> test_every_calendar_round_trips()
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from retail_service_quality.calendar import DAYS, BusinessCalendar, Period

__all__ = [
    "TIMEZONES",
    "aware_datetimes",
    "calendars",
    "day_periods",
    "durations",
    "weekly_hours",
]

TIMEZONES = (
    "UTC",
    "Asia/Hong_Kong",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Chatham",
    "America/Santiago",
)
"""Time zones that exercise the awkward cases: DST in both hemispheres, half-hour
DST shifts (Lord Howe), offsets of 45 minutes (Kathmandu, Chatham), none (UTC, Hong Kong)."""


def _text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_periods(draw: st.DrawFn, *, max_periods: int = 3, granularity: int = 15) -> list[Period]:
    """Non-overlapping, sorted open periods of one day, as ``("HH:MM", "HH:MM")`` pairs.

    Times are multiples of ``granularity`` minutes; ``"24:00"`` can close the last one.

    Examples:
        >>> from hypothesis import find
        >>> find(day_periods(), lambda periods: len(periods) == 2)
        [('00:00', '00:15'), ('00:15', '00:30')]
    """
    slots = 1_440 // granularity
    cuts = draw(
        st.lists(
            st.integers(min_value=0, max_value=slots),
            min_size=0,
            max_size=2 * max_periods,
        ).map(sorted)
    )
    # A period may start where the previous one closed (touching, not overlapping).
    return [
        (_text(cuts[i] * granularity), _text(cuts[i + 1] * granularity))
        for i in range(0, len(cuts) - 1, 2)
        if cuts[i] < cuts[i + 1]
    ]


def weekly_hours(
    *, max_periods: int = 3, granularity: int = 15
) -> st.SearchStrategy[dict[str, list[Period]]]:
    """Weekly hours keyed ``"mon"`` to ``"sun"``; some days may be missing (closed).

    Examples:
        >>> from hypothesis import find
        >>> find(weekly_hours(), lambda hours: len(hours) == 7)["mon"]
        []
    """
    return st.dictionaries(
        st.sampled_from(DAYS),
        day_periods(max_periods=max_periods, granularity=granularity),
    )


@st.composite
def calendars(
    draw: st.DrawFn,
    *,
    timezones: tuple[str, ...] = TIMEZONES,
    years: tuple[int, int] = (2025, 2027),
    granularity: int = 15,
    min_open_days: int = 1,
) -> BusinessCalendar:
    """Business calendars with random hours, holidays and special hours.

    At least ``min_open_days`` weekdays have an open period, so the calendar is
    open again within a week (after holidays and special hours).

    Examples:
        >>> from hypothesis import find
        >>> cal = find(calendars(), lambda c: bool(c.holidays))
        >>> len(cal.holidays)
        1
    """
    timezone = draw(st.sampled_from(timezones))
    hours = draw(weekly_hours(granularity=granularity))
    open_days = [day for day, periods in hours.items() if periods]
    for day in DAYS:
        if len(open_days) >= min_open_days:
            break
        if day not in open_days:
            hours[day] = draw(
                day_periods(granularity=granularity).filter(lambda periods: bool(periods))
            )
            open_days.append(day)
    some_dates = st.dates(min_value=date(years[0], 1, 1), max_value=date(years[1], 12, 31))
    holidays = draw(st.lists(some_dates, max_size=8))
    special = draw(st.dictionaries(some_dates, day_periods(granularity=granularity), max_size=4))
    return BusinessCalendar(timezone, hours, holidays, special_hours=special)


def aware_datetimes(
    *,
    timezones: tuple[str, ...] = TIMEZONES,
    min_value: datetime = datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value: datetime = datetime(2027, 12, 31),  # noqa: DTZ001
    whole_minutes: bool = False,
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes, including both sides of every DST change.

    With ``whole_minutes`` the instants are whole UTC minutes.

    Examples:
        >>> from hypothesis import find
        >>> find(aware_datetimes(), lambda moment: True).tzinfo is not None
        True
    """
    zones = st.sampled_from(timezones).map(ZoneInfo)
    moments = st.datetimes(min_value=min_value, max_value=max_value, timezones=zones)
    if whole_minutes:
        return moments.map(
            lambda moment: (moment.astimezone(UTC).replace(second=0, microsecond=0)).astimezone(
                moment.tzinfo
            )
        )
    return moments


def durations(*, max_value: timedelta = timedelta(days=400)) -> st.SearchStrategy[timedelta]:
    """Positive durations, to the microsecond.

    Examples:
        >>> from hypothesis import find
        >>> find(durations(), lambda d: True)
        datetime.timedelta(microseconds=1)
    """
    return st.timedeltas(min_value=timedelta(microseconds=1), max_value=max_value)
