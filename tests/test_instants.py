"""What makes a datetime a good instant: aware, in the supported range, and a wall time its
zone does not skip. The check takes a short cut where no clock change can be at the wall time
(a fixed offset, or a zone whose two folds agree); it must answer as the full round trip does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality._internal.times import (
    MAX_INSTANT,
    MIN_INSTANT,
    RANGE_MESSAGE,
    instant_problem,
)

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Adelaide",  # half-hour offset with daylight saving
    "Australia/Lord_Howe",  # a half-hour daylight-saving change
    "Asia/Kolkata",
    "Asia/Hong_Kong",
    "Pacific/Chatham",
    "Pacific/Apia",  # skipped a whole day in 2011
    "UTC",
]


def round_trip(value: datetime) -> str | None:
    """The full check: a wall time its zone skips does not survive a trip through UTC."""
    instant = value.astimezone(UTC)
    if not MIN_INSTANT <= instant <= MAX_INSTANT:
        return RANGE_MESSAGE
    again = instant.astimezone(value.tzinfo)
    if again.replace(tzinfo=None, fold=0) != value.replace(tzinfo=None, fold=0):
        return "skipped"
    return None


@given(
    wall=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    zone=st.sampled_from(ZONES),
    fold=st.sampled_from([0, 1]),
)
def test_the_short_cut_answers_as_the_round_trip(wall: datetime, zone: str, fold: int) -> None:
    value = wall.replace(tzinfo=ZoneInfo(zone), fold=fold)
    found = instant_problem(value)
    expected = round_trip(value)
    assert (found is None) == (expected is None)


def test_every_minute_around_the_2026_changes_in_london_and_lord_howe() -> None:
    cases = [
        ("Europe/London", datetime(2026, 3, 29)),
        ("Europe/London", datetime(2026, 10, 25)),
        ("Australia/Lord_Howe", datetime(2026, 4, 5)),
        ("Australia/Lord_Howe", datetime(2026, 10, 4)),
    ]
    for zone, day in cases:
        for minute in range(4 * 60):
            for fold in (0, 1):
                wall = (day + timedelta(minutes=minute)).replace(tzinfo=ZoneInfo(zone), fold=fold)
                assert (instant_problem(wall) is None) == (round_trip(wall) is None), wall


def test_skipped_repeated_and_fixed_offsets() -> None:
    london = ZoneInfo("Europe/London")
    assert instant_problem(datetime(2026, 3, 29, 1, 30, tzinfo=london)) is not None
    assert instant_problem(datetime(2026, 3, 29, 1, 30, fold=1, tzinfo=london)) is not None
    assert instant_problem(datetime(2026, 10, 25, 1, 30, tzinfo=london)) is None
    assert instant_problem(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london)) is None
    assert (
        instant_problem(
            datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
        )
        is None
    )


def test_the_ends_of_the_range() -> None:
    assert instant_problem(MIN_INSTANT) is None
    assert instant_problem(MAX_INSTANT) is None
    assert instant_problem(MIN_INSTANT - timedelta(microseconds=1)) == RANGE_MESSAGE
    assert instant_problem(MAX_INSTANT + timedelta(microseconds=1)) == RANGE_MESSAGE
    kolkata = timezone(timedelta(hours=5, minutes=30))
    assert instant_problem(MAX_INSTANT.astimezone(kolkata)) is None
    assert instant_problem(datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Kolkata"))) == (
        RANGE_MESSAGE
    )
