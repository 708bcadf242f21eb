"""Business time across daylight-saving changes.

An instant is open when its local wall-clock reading falls in an open period
of its local date; business time is real elapsed time. So a period spanning
the night the clocks go back lasts an hour longer, and one spanning the night
they go forward an hour shorter.

Europe/London 2026: forward 29 March 01:00 GMT -> 02:00 BST, back 25 October
02:00 BST -> 01:00 GMT. America/New_York 2026: forward 8 March 02:00 -> 03:00,
back 1 November 02:00 -> 01:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from retail_service_quality import BusinessCalendar

H = timedelta(hours=1)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

CHANGES = [
    # zone, spring-forward date, fall-back date
    ("Europe/London", date(2026, 3, 29), date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
]


def every_day(zone: str, periods: list[tuple[str, str]]) -> BusinessCalendar:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return BusinessCalendar(zone, dict.fromkeys(days, periods))


def local(zone: ZoneInfo, day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=fold)


@pytest.mark.parametrize(("zone", "spring", "autumn"), CHANGES)
def test_night_period_is_as_long_as_it_really_is(zone: str, spring: date, autumn: date) -> None:
    cal = every_day(zone, [("00:00", "04:00")])
    tz = ZoneInfo(zone)
    assert cal.between(local(tz, spring, 0), local(tz, spring, 4)) == 3 * H
    assert cal.between(local(tz, autumn, 0), local(tz, autumn, 4)) == 5 * H
    ordinary = spring + timedelta(days=7)
    assert cal.between(local(tz, ordinary, 0), local(tz, ordinary, 4)) == 4 * H
    assert sum((i.duration for i in cal.open_intervals_on(autumn)), timedelta(0)) == 5 * H
    assert sum((i.duration for i in cal.open_intervals_on(spring)), timedelta(0)) == 3 * H


@pytest.mark.parametrize(("zone", "spring", "autumn"), CHANGES)
def test_add_across_the_change_counts_real_time(zone: str, spring: date, autumn: date) -> None:
    cal = every_day(zone, [("00:00", "04:00")])
    tz = ZoneInfo(zone)
    # Three real hours from midnight on the autumn night end at 02:00 the second time round.
    result = cal.add(local(tz, autumn, 0), 3 * H)
    assert result.fold == 0
    assert (result.hour, result.utcoffset()) == (2, timedelta(hours=0 if tz == LONDON else -5))
    assert result.astimezone(UTC) - local(tz, autumn, 0).astimezone(UTC) == 3 * H
    assert cal.add(local(tz, autumn, 0), 5 * H) == local(tz, autumn, 4)
    # Spring: only three hours that night, so a fourth hour runs into the next night.
    assert cal.add(local(tz, spring, 0), 3 * H) == local(tz, spring, 4)
    assert cal.add(local(tz, spring, 0), 4 * H) == local(tz, spring + timedelta(days=1), 1)


def test_daytime_hours_unaffected_by_a_night_change() -> None:
    cal = BusinessCalendar.weekdays("09:00", "17:30", timezone="Europe/London")
    friday = datetime(2026, 10, 23, 16, 30, tzinfo=LONDON)
    assert cal.add(friday, 2 * H) == datetime(2026, 10, 26, 10, 0, tzinfo=LONDON)
    assert cal.between(friday, datetime(2026, 10, 26, 10, 0, tzinfo=LONDON)) == 2 * H
    # The wall-clock calendar keeps its hours; the UTC offset changes underneath.
    assert cal.add_working_days(friday, 1).utcoffset() == timedelta(0)
    assert cal.add_working_days(datetime(2026, 3, 27, 12, tzinfo=LONDON), 1) == datetime(
        2026, 3, 30, 17, 30, tzinfo=LONDON
    )


def test_the_repeated_hour_is_open_twice() -> None:
    cal = every_day("Europe/London", [("01:00", "01:30")])
    autumn = date(2026, 10, 25)
    intervals = cal.open_intervals_on(autumn)
    assert [(i.opens.astimezone(UTC).hour, i.opens.astimezone(UTC).minute) for i in intervals] == [
        (0, 0),  # 01:00 BST
        (1, 0),  # 01:00 GMT
    ]
    assert cal.between(local(LONDON, autumn, 0), local(LONDON, autumn, 3)) == H
    assert cal.is_open(local(LONDON, autumn, 1, 15, fold=0))
    assert cal.is_open(local(LONDON, autumn, 1, 15, fold=1))


def test_the_skipped_hour_is_never_open() -> None:
    cal = every_day("Europe/London", [("01:30", "03:00")])
    spring = date(2026, 3, 29)
    # Wall-clock 01:30-02:00 does not exist that night: open 02:00 BST to 03:00 BST.
    [interval] = cal.open_intervals_on(spring)
    assert interval.opens == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert interval.duration == H
    assert cal.add(datetime(2026, 3, 29, 0, 0, tzinfo=UTC), H) == local(LONDON, spring, 3)


def test_period_wholly_inside_the_gap_is_empty() -> None:
    cal = every_day("America/New_York", [("02:15", "02:45"), ("09:00", "10:00")])
    spring = date(2026, 3, 8)
    assert len(cal.open_intervals_on(spring)) == 1
    assert cal.is_working_day(spring)
    assert cal.add(local(NEW_YORK, spring, 0), H) == local(NEW_YORK, spring, 10)


def test_round_the_clock_service_counts_23_and_25_hour_days() -> None:
    cal = every_day("America/New_York", [("00:00", "24:00")])
    assert (
        cal.between(local(NEW_YORK, date(2026, 3, 8), 0), local(NEW_YORK, date(2026, 3, 9), 0))
        == 23 * H
    )
    assert (
        cal.between(local(NEW_YORK, date(2026, 11, 1), 0), local(NEW_YORK, date(2026, 11, 2), 0))
        == 25 * H
    )
    assert cal.add_working_days(local(NEW_YORK, date(2026, 10, 31), 12), 1) == local(
        NEW_YORK, date(2026, 11, 2), 0
    )


def test_southern_hemisphere_and_half_hour_shift() -> None:
    # Lord Howe Island moves its clocks by 30 minutes; first Sunday of April 2026 it goes back.
    cal = every_day("Australia/Lord_Howe", [("00:00", "04:00")])
    tz = ZoneInfo("Australia/Lord_Howe")
    day = date(2026, 4, 5)
    assert cal.between(local(tz, day, 0), local(tz, day, 4)) == timedelta(hours=4, minutes=30)


def test_between_orders_instants_by_real_time_not_wall_clock() -> None:
    cal = every_day("Europe/London", [("00:00", "24:00")])
    first = datetime(2026, 10, 25, 1, 50, tzinfo=LONDON, fold=0)  # 00:50 UTC
    second = datetime(2026, 10, 25, 1, 10, tzinfo=LONDON, fold=1)  # 01:10 UTC
    assert cal.between(first, second) == timedelta(minutes=20)


def test_a_period_in_the_skipped_hour_makes_no_working_day() -> None:
    cal = BusinessCalendar("Europe/London", {"sun": [("01:00", "02:00")]})
    spring = date(2026, 3, 29)
    assert not cal.is_working_day(spring)
    assert cal.is_working_day(spring + timedelta(days=7))
    saturday = datetime(2026, 3, 28, 12, tzinfo=LONDON)
    assert cal.add_working_days(saturday, 1) == datetime(2026, 4, 5, 2, tzinfo=LONDON)


def test_open_intervals_on_joins_pieces_of_one_period() -> None:
    cal = every_day("Europe/London", [("00:00", "04:00")])
    # Spring: one stretch, 00:00 GMT to 04:00 BST; autumn: one stretch of five hours.
    assert [i.duration for i in cal.open_intervals_on(date(2026, 3, 29))] == [3 * H]
    assert [i.duration for i in cal.open_intervals_on(date(2026, 10, 25))] == [5 * H]
