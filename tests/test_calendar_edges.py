"""The edges of business time: periods past midnight, DST, half-hour zones, the
ends of the supported range, the horizon, and the bounded index."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality import BusinessCalendar, ValidationError, from_json, to_json
from retail_service_quality.calendar import DAYS, HORIZON, SUPPORTED_RANGE
from retail_service_quality.calendar import _timeline as engine

H = timedelta(hours=1)
US = timedelta(microseconds=1)
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
FIRST, LAST = SUPPORTED_RANGE


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


def every_day(zone: str | ZoneInfo, periods: list[tuple[str, str]]) -> BusinessCalendar:
    return BusinessCalendar(zone, dict.fromkeys(DAYS, periods))


# ---------------------------------------------------------------- past midnight

# Friday 2026-11-20 and Saturday 2026-11-21.
BAR = BusinessCalendar("UTC", {"fri": [("22:00", "02:00")]})


class TestOvernight:
    def test_the_period_runs_into_the_next_date(self) -> None:
        assert BAR.hours["fri"] == (("22:00", "02:00"),)
        assert BAR.periods_on(date(2026, 11, 20)) == (("22:00", "02:00"),)
        assert BAR.periods_on(date(2026, 11, 21)) == ()
        assert not BAR.is_open(utc(2026, 11, 20, 21, 59))
        assert BAR.is_open(utc(2026, 11, 20, 22))
        assert BAR.is_open(utc(2026, 11, 21, 1, 59))
        assert not BAR.is_open(utc(2026, 11, 21, 2))

    def test_arithmetic(self) -> None:
        assert BAR.between(utc(2026, 11, 20, 12), utc(2026, 11, 21, 12)) == 4 * H
        assert BAR.add(utc(2026, 11, 20, 23), 2 * H) == utc(2026, 11, 21, 1)
        assert BAR.add(utc(2026, 11, 21, 1), 2 * H) == utc(2026, 11, 27, 23)
        assert BAR.next_open(utc(2026, 11, 21, 3)) == utc(2026, 11, 27, 22)
        [interval] = BAR.open_intervals_on(date(2026, 11, 20))
        assert (interval.opens, interval.closes) == (utc(2026, 11, 20, 22), utc(2026, 11, 21, 2))
        found = list(BAR.open_intervals(utc(2026, 11, 21), utc(2026, 11, 28)))
        assert [(i.opens, i.closes) for i in found] == [
            (utc(2026, 11, 21), utc(2026, 11, 21, 2)),
            (utc(2026, 11, 27, 22), utc(2026, 11, 28)),
        ]

    def test_the_working_day_closes_the_next_morning(self) -> None:
        assert BAR.is_working_day(date(2026, 11, 20))
        assert not BAR.is_working_day(date(2026, 11, 21))
        assert BAR.add_working_days(utc(2026, 11, 19, 12), 1) == utc(2026, 11, 21, 2)

    def test_a_holiday_closes_the_periods_that_open_on_it(self) -> None:
        closed = BusinessCalendar("UTC", BAR.hours, [date(2026, 11, 20)])
        assert not closed.is_open(utc(2026, 11, 20, 23))
        assert not closed.is_open(utc(2026, 11, 21, 1))
        # A holiday on the next date leaves the part after midnight open.
        next_day = BusinessCalendar("UTC", BAR.hours, [date(2026, 11, 21)])
        assert next_day.is_open(utc(2026, 11, 21, 1))
        assert next_day.between(utc(2026, 11, 20), utc(2026, 11, 22)) == 4 * H

    def test_special_hours_replace_the_period_of_their_date(self) -> None:
        cal = BusinessCalendar(
            "UTC", BAR.hours, special_hours={date(2026, 11, 20): [("20:00", "23:00")]}
        )
        assert cal.is_open(utc(2026, 11, 20, 20))
        assert not cal.is_open(utc(2026, 11, 21, 1))
        assert cal.between(utc(2026, 11, 20), utc(2026, 11, 22)) == 3 * H

    def test_open_time_of_two_dates_that_overlaps_counts_once(self) -> None:
        cal = BusinessCalendar("UTC", {"fri": [("22:00", "02:00")], "sat": [("01:00", "03:00")]})
        assert cal.between(utc(2026, 11, 20), utc(2026, 11, 22)) == 5 * H
        assert cal.add(utc(2026, 11, 20, 22), 5 * H) == utc(2026, 11, 21, 3)

    def test_midnight_as_the_close(self) -> None:
        cal = BusinessCalendar("UTC", {"fri": [("22:00", "00:00")]})
        assert cal.hours["fri"] == (("22:00", "24:00"),)
        assert cal.between(utc(2026, 11, 20), utc(2026, 11, 22)) == 2 * H

    def test_json_round_trip(self) -> None:
        text = to_json(BAR)
        assert '["22:00", "02:00"]' in text
        assert from_json(text, BusinessCalendar) == BAR

    @pytest.mark.parametrize(
        ("night", "hours"),
        [
            (date(2026, 10, 24), 5),  # the clocks go back at 02:00 BST: an hour longer
            (date(2026, 3, 28), 3),  # they go forward at 01:00 GMT: an hour shorter
            (date(2026, 6, 6), 4),
        ],
    )
    def test_across_a_dst_change(self, night: date, hours: int) -> None:
        cal = BusinessCalendar("Europe/London", {"sat": [("22:00", "02:00")]})
        opens = datetime(night.year, night.month, night.day, 22, tzinfo=LONDON)
        assert cal.between(opens, opens + timedelta(days=1)) == hours * H
        assert cal.add(opens, hours * H).astimezone(LONDON).hour == 2


def minutes_of(text: str) -> int:
    hour, minute = text.split(":")
    return int(hour) * 60 + int(minute)


def reference_is_open(cal: BusinessCalendar, moment: datetime) -> bool:
    """Open when the wall clock is in a period of its date, or in the part after
    midnight of a period of the date before; written from the documented rule."""
    wall = moment.astimezone(ZoneInfo(cal.timezone))
    minute = wall.hour * 60 + wall.minute
    for day, shift in ((wall.date(), 0), (wall.date() - timedelta(days=1), 1_440)):
        for opens, closes in cal.hours.get(DAYS[day.weekday()], ()):
            start, end = minutes_of(opens), minutes_of(closes)
            if end <= start:
                end += 1_440
            if start <= minute + shift < end:
                return True
    return False


night_periods = st.lists(
    st.tuples(st.integers(0, 47), st.integers(1, 47)).map(
        lambda p: (
            f"{p[0] // 2:02d}:{p[0] % 2 * 30:02d}",
            f"{(p[0] + p[1]) % 48 // 2:02d}:{(p[0] + p[1]) % 2 * 30:02d}",
        )
    ),
    max_size=1,
)


@given(
    st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata", "Australia/Adelaide"]),
    st.dictionaries(st.sampled_from(DAYS), night_periods, min_size=1),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
)
def test_overnight_agrees_with_the_wall_clock_rule(
    zone: str, hours: dict[str, list[tuple[str, str]]], moment: datetime
) -> None:
    cal = BusinessCalendar(zone, hours)
    instant = moment.replace(tzinfo=UTC, second=0, microsecond=0)
    assert cal.is_open(instant) == reference_is_open(cal, instant)
    # Business time over two hours is the open minutes in them.
    expected = sum(
        (H / 60 for k in range(120) if reference_is_open(cal, instant + k * H / 60)),
        timedelta(0),
    )
    assert cal.between(instant, instant + 2 * H) == expected


# ---------------------------------------------------------------- DST and odd offsets


class TestRepeatedAndSkippedHours:
    # A period of one hour, 01:00-02:00, every day in London.
    cal = every_day("Europe/London", [("01:00", "02:00")])

    def test_the_repeated_hour_is_open_twice(self) -> None:
        first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0)
        second = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1)
        assert self.cal.is_open(first)
        assert self.cal.is_open(second)
        assert second - first == timedelta(0)  # same wall time in Python, an hour apart really
        assert self.cal.between(first, second) == H
        assert self.cal.add(first, H) == second
        midnight = datetime(2026, 10, 25, tzinfo=LONDON)
        assert self.cal.between(midnight, midnight + timedelta(days=1)) == 2 * H

    def test_the_skipped_hour_is_never_open(self) -> None:
        skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # does not exist
        assert not self.cal.is_open(skipped)
        assert not self.cal.is_working_day(date(2026, 3, 29))
        assert self.cal.open_intervals_on(date(2026, 3, 29)) == []
        # From the skipped hour, the next opening is Monday 01:00.
        assert self.cal.next_open(skipped) == datetime(2026, 3, 30, 1, tzinfo=LONDON)
        assert self.cal.add(skipped, 30 * timedelta(minutes=1)) == datetime(
            2026, 3, 30, 1, 30, tzinfo=LONDON
        )


class TestHalfHourZones:
    def test_kolkata(self) -> None:
        office = BusinessCalendar.weekdays(time(9), time(18), timezone=KOLKATA)
        assert office.timezone == "Asia/Kolkata"
        friday = datetime(2026, 11, 20, 17, 30, tzinfo=KOLKATA)
        assert office.add(friday, H) == datetime(2026, 11, 23, 9, 30, tzinfo=KOLKATA)
        # 09:00 IST is 03:30 UTC.
        assert office.is_open(utc(2026, 11, 23, 3, 30))
        assert not office.is_open(utc(2026, 11, 23, 3, 29))
        assert office.between(utc(2026, 11, 23), utc(2026, 11, 24)) == 9 * H

    @pytest.mark.parametrize(
        ("day", "hours"),
        [(date(2026, 4, 5), 5), (date(2026, 10, 4), 3), (date(2026, 7, 5), 4)],
    )
    def test_adelaide_nights(self, day: date, hours: int) -> None:
        cal = every_day(ADELAIDE, [("00:00", "04:00")])
        midnight = datetime(day.year, day.month, day.day, tzinfo=ADELAIDE)
        assert cal.between(midnight, midnight + timedelta(days=1)) == hours * H
        assert sum((i.duration for i in cal.open_intervals_on(day)), timedelta(0)) == hours * H


# ---------------------------------------------------------------- range and horizon


class TestSupportedRange:
    cal = every_day("Pacific/Kiritimati", [("00:00", "24:00")])  # UTC+14 at the far end
    west = every_day("Pacific/Pago_Pago", [("00:00", "24:00")])  # UTC-11 at the near end

    def test_the_first_and_last_instants(self) -> None:
        assert self.cal.is_open(LAST)
        assert self.west.is_open(FIRST)
        assert self.west.add(FIRST, H) == FIRST + H
        assert self.cal.between(LAST - H, LAST) == H
        assert self.cal.next_open(LAST) == LAST
        assert self.west.periods_on(date(2, 1, 1)) == (("00:00", "24:00"),)
        assert self.cal.periods_on(date(9998, 12, 31)) == (("00:00", "24:00"),)

    @pytest.mark.parametrize("moment", [FIRST - US, LAST + US])
    def test_instants_outside(self, moment: datetime) -> None:
        with pytest.raises(ValidationError) as error:
            self.cal.is_open(moment)
        assert error.value.problems[0].message == "must lie between the years 2 and 9998"

    def test_results_outside_are_refused(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.cal.add(LAST - H, 2 * H)
        assert paths(error) == ["$.duration"]
        assert "9998" in error.value.problems[0].message
        with pytest.raises(ValidationError):
            self.cal.add_working_days(LAST - H, 2)
        closed = BusinessCalendar("UTC", {})
        with pytest.raises(ValidationError):
            closed.next_open(LAST - H)


class TestHorizon:
    clock = every_day("UTC", [("00:00", "24:00")])
    start = utc(2026, 1, 1)

    def test_a_duration_of_the_horizon_is_reached(self) -> None:
        assert timedelta(days=36_525) == HORIZON
        assert self.clock.add(self.start, HORIZON) == self.start + HORIZON
        assert self.clock.between(self.start, self.start + HORIZON) == HORIZON
        assert len(list(self.clock.open_intervals(self.start, self.start + HORIZON))) == 1

    def test_beyond_the_horizon_is_refused(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.clock.add(self.start, HORIZON + US)
        assert paths(error) == ["$.duration"]
        for method in (self.clock.between, self.clock.open_intervals):
            with pytest.raises(ValidationError) as error:
                method(self.start, self.start + HORIZON + US)
            assert paths(error) == ["$.end"]

    def test_a_deadline_beyond_the_horizon_is_refused(self) -> None:
        office = BusinessCalendar.weekdays("09:00", "18:00", timezone="UTC")
        # 30 years of business time take about 112 years of calendar time.
        with pytest.raises(ValidationError) as error:
            office.add(self.start, timedelta(days=30 * 365))
        assert "100 years" in error.value.problems[0].message
        assert office.add(self.start, timedelta(days=20 * 365)).year == 2100
        with pytest.raises(ValidationError):
            BusinessCalendar("UTC", {}).add_working_days(self.start, 1)
        with pytest.raises(ValidationError):
            office.add_working_days(self.start, HORIZON.days + 1)


# ---------------------------------------------------------------- values and checks


def test_zoneinfo_and_times_are_accepted_and_json_keeps_text() -> None:
    typed = BusinessCalendar(LONDON, {"mon": [(time(9), time(17, 30))]})
    plain = BusinessCalendar("Europe/London", {"mon": [("09:00", "17:30")]})
    assert typed == plain
    assert typed.timezone == "Europe/London"
    assert '"timezone": "Europe/London"' in to_json(typed)
    assert '["09:00", "17:30"]' in to_json(typed)
    with open("/usr/share/zoneinfo/UTC", "rb") as file:
        nameless = ZoneInfo.from_file(file)
    with pytest.raises(ValidationError) as error:
        BusinessCalendar(nameless, {})
    assert paths(error) == ["$.timezone"]


def test_a_country_is_checked_without_listing_every_country(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def listing(*_: object, **__: object) -> None:
        raise AssertionError("lists every country")

    monkeypatch.setattr(holidays, "list_supported_countries", listing)
    cal = BusinessCalendar("Europe/London", {}, holiday_country="GB", holiday_subdivision="SCT")
    assert cal.holiday_subdivision == "SCT"
    with pytest.raises(ValidationError) as error:
        BusinessCalendar("UTC", {}, holiday_country="ZZ")
    assert paths(error) == ["$.holiday_country"]


# ---------------------------------------------------------------- the engine


def periodic(period: int, opens: int, length: int) -> engine.Source:
    """Open ``[k*period + opens, k*period + opens + length)`` for every k."""

    def source(low: int, high: int) -> list[tuple[int, int]]:
        found = []
        k = low // period - 1
        while k * period + opens < high:
            start, end = max(k * period + opens, low), min(k * period + opens + length, high)
            if start < end:
                found.append((start, end))
            k += 1
        return found

    return source


def brute_elapsed(source: engine.Source, start: int, end: int) -> int:
    return sum(e - s for s, e in source(start, end))


@given(
    st.integers(2, 50),
    st.data(),
    st.lists(st.tuples(st.integers(0, 5_000), st.integers(0, 400)), min_size=1, max_size=8),
    st.integers(1, 6),
)
def test_the_engine_agrees_with_brute_force_whatever_its_bounds(
    period: int,
    data: st.DataObject,
    queries: list[tuple[int, int]],
    chunk: int,
) -> None:
    opens = data.draw(st.integers(0, period - 1))
    length = data.draw(st.integers(1, period - opens))
    source = periodic(period, opens, length)
    timeline = engine.Timeline(source, low=0, high=10_000, chunk=chunk)
    for start, span in queries:
        end = min(start + span, 10_000)
        assert timeline.elapsed(start, end) == brute_elapsed(source, start, end)
        amount = data.draw(st.integers(1, 300))
        found = timeline.advance(start, amount, limit=10_000)
        if found is None:
            assert brute_elapsed(source, start, 10_000) < amount
        else:
            assert brute_elapsed(source, start, found) == amount
            assert brute_elapsed(source, start, found - 1) < amount


def test_the_index_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MAX_INTERVALS", 50)
    monkeypatch.setattr(engine, "MAX_SEGMENTS", 2)
    source = periodic(10, 2, 3)
    timeline = engine.Timeline(source, low=0, high=10**6, chunk=40)
    # Far apart queries, and ones too long to keep, still answer right.
    for start in (0, 300_000, 600_000, 900_000):
        assert timeline.elapsed(start, start + 100) == 30
    assert timeline.elapsed(0, 10**6) == 300_000
    assert timeline.advance(0, 3_000, limit=10**6) == 9_995
    kept = timeline._segments
    assert len(kept) <= 2
    assert sum(map(len, kept)) <= 50


def test_merge_spans() -> None:
    assert engine.merge_spans([(5, 8), (1, 3), (2, 4), (8, 9)]) == [(1, 4), (5, 9)]
    assert engine.merge_spans([]) == []


def test_one_calendar_shared_by_threads_answers_as_one_used_alone() -> None:
    from concurrent.futures import ThreadPoolExecutor

    starts = [utc(2026, 1, 1) + k * timedelta(hours=37) for k in range(400)]
    alone = BusinessCalendar.weekdays("09:00", "18:00", timezone="Europe/London")
    expected = [alone.add(start, 30 * H) for start in starts]
    shared = BusinessCalendar.weekdays("09:00", "18:00", timezone="Europe/London")
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda start: shared.add(start, 30 * H), starts))
    assert found == expected
