"""The business calendar's contract, case by case."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from retail_service_quality import BusinessCalendar, ValidationError, public_holidays

HK = ZoneInfo("Asia/Hong_Kong")
H = timedelta(hours=1)


def hk(*args: int) -> datetime:
    return datetime(*args, tzinfo=HK)  # type: ignore[arg-type,misc]


@pytest.fixture
def office() -> BusinessCalendar:
    """Mon-Fri 09:00-18:00 in Hong Kong, with Christmas 2026 off."""
    return BusinessCalendar.weekdays(
        "09:00", "18:00", timezone="Asia/Hong_Kong", holidays=[date(2026, 12, 25)]
    )


@pytest.fixture
def split() -> BusinessCalendar:
    """Weekdays with a lunch break, Saturday mornings."""
    weekday = [("09:00", "12:00"), ("13:00", "18:00")]
    return BusinessCalendar(
        "Asia/Hong_Kong",
        {"mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday,
         "sat": [("10:00", "13:00")]},
    )  # fmt: skip


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


class TestIsOpen:
    def test_half_open_periods(self, office: BusinessCalendar) -> None:
        assert office.is_open(hk(2026, 11, 20, 9, 0))
        assert not office.is_open(hk(2026, 11, 20, 8, 59, 59, 999_999))
        assert office.is_open(hk(2026, 11, 20, 17, 59, 59, 999_999))
        assert not office.is_open(hk(2026, 11, 20, 18, 0))

    def test_weekend_and_holiday_closed(self, office: BusinessCalendar) -> None:
        assert not office.is_open(hk(2026, 11, 21, 12))
        assert not office.is_open(hk(2026, 12, 25, 12))

    def test_instant_in_another_zone_is_read_in_the_calendars(
        self, office: BusinessCalendar
    ) -> None:
        # 01:30 UTC is 09:30 in Hong Kong.
        assert office.is_open(datetime(2026, 11, 20, 1, 30, tzinfo=UTC))
        assert not office.is_open(datetime(2026, 11, 20, 10, 30, tzinfo=UTC))

    def test_split_shift_lunch_is_closed(self, split: BusinessCalendar) -> None:
        assert split.is_open(hk(2026, 11, 20, 11, 59))
        assert not split.is_open(hk(2026, 11, 20, 12, 30))
        assert split.is_open(hk(2026, 11, 20, 13, 0))

    def test_naive_refused(self, office: BusinessCalendar) -> None:
        with pytest.raises(ValidationError) as error:
            office.is_open(datetime(2026, 11, 20, 9))
        assert paths(error) == ["$.at"]


class TestAdd:
    def test_deadline_on_closing_time_stays_there(self, office: BusinessCalendar) -> None:
        assert office.add(hk(2026, 11, 20, 16), 2 * H) == hk(2026, 11, 20, 18)

    def test_deadline_past_closing_moves_to_next_working_day(
        self, office: BusinessCalendar
    ) -> None:
        assert office.add(hk(2026, 11, 20, 16), 3 * H) == hk(2026, 11, 23, 10)

    def test_whole_day_ends_at_closing(self, office: BusinessCalendar) -> None:
        assert office.add(hk(2026, 11, 23, 9), 9 * H) == hk(2026, 11, 23, 18)
        assert office.add(hk(2026, 11, 23, 9), 18 * H) == hk(2026, 11, 24, 18)

    @pytest.mark.parametrize(
        "start",
        [
            hk(2026, 11, 23, 7, 0),  # before opening
            hk(2026, 11, 20, 18, 0),  # at closing on the Friday before
            hk(2026, 11, 20, 23, 0),  # Friday night
            hk(2026, 11, 22, 12, 0),  # Sunday
        ],
    )
    def test_start_outside_hours_counts_from_next_opening(
        self, office: BusinessCalendar, start: datetime
    ) -> None:
        assert office.add(start, H) == hk(2026, 11, 23, 10)

    def test_holiday_is_skipped(self, office: BusinessCalendar) -> None:
        # Thursday 24 Dec 17:00 + 2h: one hour on Thursday, Friday is Christmas.
        assert office.add(hk(2026, 12, 24, 17), 2 * H) == hk(2026, 12, 28, 10)

    def test_split_shift(self, split: BusinessCalendar) -> None:
        assert split.add(hk(2026, 11, 20, 11), H) == hk(2026, 11, 20, 12)
        assert split.add(hk(2026, 11, 20, 11), 2 * H) == hk(2026, 11, 20, 14)
        # Friday 17:00 + 2h: 1h Friday, then Saturday 10:00-11:00.
        assert split.add(hk(2026, 11, 20, 17), 2 * H) == hk(2026, 11, 21, 11)

    def test_microseconds_are_exact(self, office: BusinessCalendar) -> None:
        start = hk(2026, 11, 20, 17, 59, 59, 999_999)
        assert office.add(start, timedelta(microseconds=2)) == hk(2026, 11, 23, 9, 0, 0, 1)

    def test_zero_duration_returns_start(self, office: BusinessCalendar) -> None:
        sunday = hk(2026, 11, 22, 12)
        assert office.add(sunday, timedelta(0)) == sunday

    def test_result_is_in_calendar_zone(self, office: BusinessCalendar) -> None:
        result = office.add(datetime(2026, 11, 20, 1, 0, tzinfo=UTC), H)
        assert result.tzinfo == HK
        assert result == hk(2026, 11, 20, 10)

    def test_round_the_clock_days_join_at_midnight(self) -> None:
        cal = BusinessCalendar("UTC", {"mon": [("00:00", "24:00")], "tue": [("00:00", "24:00")]})
        start = datetime(2026, 11, 23, 23, tzinfo=UTC)
        assert cal.add(start, 2 * H) == datetime(2026, 11, 24, 1, tzinfo=UTC)
        # Two days of business time end at Tuesday's closing (midnight).
        assert cal.add(datetime(2026, 11, 23, tzinfo=UTC), 48 * H) == datetime(
            2026, 11, 25, tzinfo=UTC
        )

    def test_years_of_business_time(self, office: BusinessCalendar) -> None:
        start = hk(2026, 11, 20, 16)
        result = office.add(start, timedelta(days=5 * 365))
        assert office.between(start, result) == timedelta(days=5 * 365)
        # 43,800 business hours at 9 h a day is over 4,800 working days.
        assert result.year > 2040
        assert office.is_open(result - timedelta(microseconds=1))

    def test_past_starts(self, office: BusinessCalendar) -> None:
        assert office.add(hk(1999, 12, 31, 17), 2 * H) == hk(2000, 1, 3, 10)

    def test_negative_and_wrong_types_refused(self, office: BusinessCalendar) -> None:
        with pytest.raises(ValidationError) as error:
            office.add(datetime(2026, 11, 20, 9), -H)
        assert paths(error) == ["$.start", "$.duration"]
        with pytest.raises(ValidationError) as error:
            office.add(hk(2026, 11, 20, 9), 3_600)  # type: ignore[arg-type]
        assert paths(error) == ["$.duration"]

    def test_never_open_calendar_refuses_positive_duration(self) -> None:
        cal = BusinessCalendar("Asia/Hong_Kong", {})
        with pytest.raises(ValidationError) as error:
            cal.add(hk(2026, 1, 1), H)
        assert paths(error) == ["$.duration"]

    def test_open_time_that_runs_out(self) -> None:
        cal = BusinessCalendar(
            "Asia/Hong_Kong", {}, special_hours={date(2026, 12, 24): [("10:00", "12:00")]}
        )
        assert cal.add(hk(2026, 1, 1), 2 * H) == hk(2026, 12, 24, 12)
        with pytest.raises(ValidationError):
            cal.add(hk(2026, 1, 1), 3 * H)


class TestPauses:
    def test_pause_inside_hours_stops_the_clock(self, office: BusinessCalendar) -> None:
        pause = (hk(2026, 11, 23, 10), hk(2026, 11, 23, 12))
        assert office.add(hk(2026, 11, 23, 9), 2 * H, pauses=[pause]) == hk(2026, 11, 23, 13)

    def test_overlapping_pauses_count_once(self, office: BusinessCalendar) -> None:
        pauses = [
            (hk(2026, 11, 23, 10), hk(2026, 11, 23, 12)),
            (hk(2026, 11, 23, 11), hk(2026, 11, 23, 13)),
            (hk(2026, 11, 23, 11, 30), hk(2026, 11, 23, 11, 45)),
        ]
        assert office.add(hk(2026, 11, 23, 9), 2 * H, pauses=pauses) == hk(2026, 11, 23, 14)
        assert office.between(hk(2026, 11, 23, 9), hk(2026, 11, 23, 14), pauses=pauses) == 2 * H

    def test_pause_partly_outside_hours(self, office: BusinessCalendar) -> None:
        # Paused from Friday 17:00 to Monday 10:00: only Friday 17-18 and Monday 9-10 are lost.
        pause = (hk(2026, 11, 20, 17), hk(2026, 11, 23, 10))
        assert office.add(hk(2026, 11, 20, 16), 2 * H, pauses=[pause]) == hk(2026, 11, 23, 11)
        assert office.between(hk(2026, 11, 20, 9), hk(2026, 11, 23, 18), pauses=[pause]) == 16 * H

    def test_pause_covering_the_start(self, office: BusinessCalendar) -> None:
        pause = (hk(2026, 11, 23, 8), hk(2026, 11, 23, 11))
        assert office.add(hk(2026, 11, 23, 9), H, pauses=[pause]) == hk(2026, 11, 23, 12)

    def test_pauses_before_start_or_after_deadline_do_not_matter(
        self, office: BusinessCalendar
    ) -> None:
        pauses = [
            (hk(2026, 11, 20, 10), hk(2026, 11, 20, 12)),
            (hk(2026, 11, 24, 10), hk(2026, 11, 24, 12)),
        ]
        assert office.add(hk(2026, 11, 23, 9), 2 * H, pauses=pauses) == hk(2026, 11, 23, 11)

    def test_deadline_exactly_at_pause_start(self, office: BusinessCalendar) -> None:
        pause = (hk(2026, 11, 23, 11), hk(2026, 11, 23, 12))
        assert office.add(hk(2026, 11, 23, 9), 2 * H, pauses=[pause]) == hk(2026, 11, 23, 11)

    def test_pause_outside_hours_changes_nothing(self, office: BusinessCalendar) -> None:
        pause = (hk(2026, 11, 21, 0), hk(2026, 11, 22, 23))
        assert office.add(hk(2026, 11, 20, 17), 2 * H, pauses=[pause]) == hk(2026, 11, 23, 10)

    def test_empty_pause_changes_nothing(self, office: BusinessCalendar) -> None:
        pause = (hk(2026, 11, 23, 10), hk(2026, 11, 23, 10))
        assert office.add(hk(2026, 11, 23, 9), 2 * H, pauses=[pause]) == hk(2026, 11, 23, 11)

    def test_bad_pauses_listed_with_paths(self, office: BusinessCalendar) -> None:
        with pytest.raises(ValidationError) as error:
            office.add(
                hk(2026, 11, 23, 9),
                H,
                pauses=[
                    (hk(2026, 11, 23, 12), hk(2026, 11, 23, 10)),
                    (datetime(2026, 11, 23, 12), hk(2026, 11, 23, 13)),
                    (hk(2026, 11, 23, 12),),  # type: ignore[list-item]
                ],
            )
        assert paths(error) == ["$.pauses[0]", "$.pauses[1][0]", "$.pauses[2]"]


class TestBetween:
    def test_across_a_weekend(self, office: BusinessCalendar) -> None:
        assert office.between(hk(2026, 11, 20, 17), hk(2026, 11, 23, 10)) == 2 * H

    def test_same_instant_is_zero(self, office: BusinessCalendar) -> None:
        moment = hk(2026, 11, 20, 12)
        assert office.between(moment, moment) == timedelta(0)

    def test_both_outside_hours(self, office: BusinessCalendar) -> None:
        assert office.between(hk(2026, 11, 21, 12), hk(2026, 11, 22, 12)) == timedelta(0)

    def test_holiday_and_split(self, split: BusinessCalendar) -> None:
        # Friday 11:00 to Saturday 11:00: 1 + 5 + 1 hours.
        assert split.between(hk(2026, 11, 20, 11), hk(2026, 11, 21, 11)) == 7 * H

    def test_end_before_start_refused(self, office: BusinessCalendar) -> None:
        with pytest.raises(ValidationError) as error:
            office.between(hk(2026, 11, 20, 12), hk(2026, 11, 20, 11))
        assert paths(error) == ["$.end"]

    def test_naive_refused(self, office: BusinessCalendar) -> None:
        with pytest.raises(ValidationError) as error:
            office.between(datetime(2026, 11, 20, 12), datetime(2026, 11, 20, 13))
        assert paths(error) == ["$.start", "$.end"]

    def test_decades_apart(self, office: BusinessCalendar) -> None:
        start, end = hk(2026, 1, 5, 9), hk(2036, 1, 5, 9)
        expected = sum(
            (interval.duration for interval in office.open_intervals(start, end)), timedelta(0)
        )
        assert office.between(start, end) == expected
        assert expected > 2_000 * 9 * H


class TestWorkingDays:
    def test_day_of_start_not_counted(self, office: BusinessCalendar) -> None:
        assert office.add_working_days(hk(2026, 11, 23, 8), 1) == hk(2026, 11, 24, 18)
        assert office.add_working_days(hk(2026, 11, 23, 23), 1) == hk(2026, 11, 24, 18)

    def test_weekend_start(self, office: BusinessCalendar) -> None:
        assert office.add_working_days(hk(2026, 11, 21, 12), 1) == hk(2026, 11, 23, 18)

    def test_holidays_skipped(self, office: BusinessCalendar) -> None:
        # Mon 21 Dec + 5 working days: 22, 23, 24, 28, 29 (25 is a holiday).
        assert office.add_working_days(hk(2026, 12, 21, 10), 5) == hk(2026, 12, 29, 18)

    def test_closing_of_last_period(self, split: BusinessCalendar) -> None:
        assert split.add_working_days(hk(2026, 11, 20, 10), 1) == hk(2026, 11, 21, 13)

    def test_closing_at_midnight(self) -> None:
        cal = BusinessCalendar("Asia/Hong_Kong", {"mon": [("20:00", "24:00")]})
        assert cal.add_working_days(hk(2026, 11, 20, 10), 1) == hk(2026, 11, 24, 0)

    def test_special_hours_make_a_working_day(self, office: BusinessCalendar) -> None:
        cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        sale = BusinessCalendar(
            cal.timezone, cal.hours, special_hours={date(2026, 11, 21): [("10:00", "22:00")]}
        )
        assert sale.add_working_days(hk(2026, 11, 20, 10), 1) == hk(2026, 11, 21, 22)

    def test_many_working_days(self, office: BusinessCalendar) -> None:
        result = office.add_working_days(hk(2026, 11, 20, 10), 2_000)
        assert result.year == 2034
        assert office.add_working_days(hk(2026, 11, 20, 10), 2_000) == result

    @pytest.mark.parametrize("days", [0, -1, True, 1.0])
    def test_bad_days(self, office: BusinessCalendar, days: int) -> None:
        with pytest.raises(ValidationError) as error:
            office.add_working_days(hk(2026, 11, 20, 10), days)
        assert paths(error) == ["$.days"]

    def test_no_working_days_ahead(self) -> None:
        with pytest.raises(ValidationError):
            BusinessCalendar("UTC", {}).add_working_days(datetime(2026, 1, 1, tzinfo=UTC), 1)


class TestSpecialHours:
    def test_christmas_eve_closes_early(self) -> None:
        cal = BusinessCalendar(
            "Asia/Hong_Kong",
            {day: [("09:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
            special_hours={date(2026, 12, 24): [("09:00", "14:00")]},
        )
        assert cal.add(hk(2026, 12, 24, 13), 2 * H) == hk(2026, 12, 25, 10)
        assert not cal.is_open(hk(2026, 12, 24, 15))

    def test_late_night_sale_and_closure(self, office: BusinessCalendar) -> None:
        cal = BusinessCalendar(
            "Asia/Hong_Kong",
            office.hours,
            special_hours={
                date(2026, 11, 27): [("09:00", "18:00"), ("19:00", "23:30")],
                date(2026, 11, 30): [],
            },
        )
        assert cal.is_open(hk(2026, 11, 27, 23))
        assert not cal.is_open(hk(2026, 11, 30, 12))
        assert cal.add(hk(2026, 11, 27, 23), H) == hk(2026, 12, 1, 9, 30)

    def test_special_hours_override_a_holiday(self) -> None:
        cal = BusinessCalendar.weekdays(
            "09:00", "18:00", timezone="Asia/Hong_Kong", holidays=[date(2026, 12, 24)]
        )
        opened = BusinessCalendar(
            cal.timezone,
            cal.hours,
            cal.holidays,
            special_hours={date(2026, 12, 24): [("09:00", "12:00")]},
        )
        assert not cal.is_working_day(date(2026, 12, 24))
        assert opened.is_working_day(date(2026, 12, 24))
        assert opened.periods_on(date(2026, 12, 24)) == (("09:00", "12:00"),)


class TestHolidays:
    def test_public_holidays_of_hong_kong(self) -> None:
        days = public_holidays("HK", [2026])
        assert date(2026, 10, 1) in days
        assert date(2026, 12, 25) in days
        assert all(day.year == 2026 for day in days)

    def test_categories_and_subdivisions(self) -> None:
        general = public_holidays("HK", [2026], categories=["optional"])
        assert date(2026, 4, 3) in general  # Good Friday: a general, not statutory, holiday
        assert date(2026, 8, 3) in public_holidays("GB", [2026], subdivision="SCT")
        assert date(2026, 8, 3) not in public_holidays("GB", [2026], subdivision="ENG")

    def test_bad_arguments_listed(self) -> None:
        with pytest.raises(ValidationError) as error:
            public_holidays("XX", [2026, "2027", True])  # type: ignore[list-item]
        assert paths(error) == ["$.years[1]", "$.years[2]", "$.country"]
        with pytest.raises(ValidationError) as error:
            public_holidays("HK", [2026], subdivision="ZZ", categories=["nope"])
        assert paths(error) == ["$.subdivision", "$.categories[0]"]

    def test_calendar_with_a_country_closes_every_year(self) -> None:
        cal = BusinessCalendar(
            "Asia/Hong_Kong",
            {day: [("09:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
            holiday_country="HK",
        )
        assert not cal.is_working_day(date(2031, 10, 1))
        assert not cal.is_working_day(date(2031, 10, 2))  # the day after Mid-Autumn Festival
        assert cal.is_working_day(date(2031, 10, 3))
        assert cal.add(hk(2030, 9, 30, 17), 2 * H) == hk(2030, 10, 2, 10)


class TestValidation:
    def test_every_problem_with_its_path(self) -> None:
        with pytest.raises(ValidationError) as error:
            BusinessCalendar(
                "Nowhere/Special",
                {
                    "mon": [("09:00", "12:00"), ("11:00", "13:00")],
                    "tue": [("9:00", "18:00")],
                    "wed": [("24:00", "24:00")],
                    "thu": [("09:00", "25:00"), ("10:00",)],  # type: ignore[list-item]
                    "fri": "09:00-18:00",  # type: ignore[dict-item]
                    "sat": [("18:00", "18:00")],
                    "holiday": [],
                },
                [date(2026, 1, 1), datetime(2026, 1, 2, tzinfo=UTC), "2026-01-03"],  # type: ignore[list-item]
                special_hours={date(2026, 12, 24): [("14:00", "14:00")]},
                holiday_subdivision="ENG",
            )
        assert paths(error) == [
            "$.timezone",
            "$.hours.mon[1]",
            "$.hours.tue[0][0]",
            "$.hours.wed[0][0]",
            "$.hours.thu[0][1]",
            "$.hours.thu[1]",
            "$.hours.fri",
            "$.hours.sat[0]",
            "$.hours.holiday",
            "$.holidays[1]",
            "$.holidays[2]",
            "$.special_hours['2026-12-24'][0]",
            "$.holiday_country",
        ]
        assert str(error.value).startswith("13 problems:\n  $.timezone: ")

    def test_touching_periods_are_not_overlapping(self) -> None:
        cal = BusinessCalendar("UTC", {"mon": [("12:00", "18:00"), ("09:00", "12:00")]})
        assert cal.hours["mon"] == (("09:00", "12:00"), ("12:00", "18:00"))

    def test_unknown_holiday_country(self) -> None:
        with pytest.raises(ValidationError) as error:
            BusinessCalendar("UTC", {}, holiday_country="Atlantis")
        assert paths(error) == ["$.holiday_country"]

    def test_not_a_mapping(self) -> None:
        with pytest.raises(ValidationError) as error:
            BusinessCalendar("UTC", [("09:00", "17:00")], holidays=5)  # type: ignore[arg-type]
        assert paths(error) == ["$.hours", "$.holidays"]


class TestValueSemantics:
    def test_equal_and_hashable(self) -> None:
        a = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        b = BusinessCalendar("Asia/Hong_Kong", {day: [("09:00", "18:00")] for day in
                             ("fri", "thu", "wed", "tue", "mon")})  # fmt: skip
        assert a == b
        assert hash(a) == hash(b)
        assert a != BusinessCalendar.weekdays("09:00", "17:00", timezone="Asia/Hong_Kong")

    def test_immutable(self, office: BusinessCalendar) -> None:
        with pytest.raises(AttributeError):
            office.timezone = "UTC"  # type: ignore[misc]
        with pytest.raises(TypeError):
            office.hours["sat"] = (("10:00", "12:00"),)  # type: ignore[index]

    def test_repr_is_short_and_readable(self, office: BusinessCalendar) -> None:
        assert repr(office) == (
            "BusinessCalendar('Asia/Hong_Kong', {mon: 09:00-18:00, tue: 09:00-18:00, "
            "wed: 09:00-18:00, thu: 09:00-18:00, fri: 09:00-18:00}, holidays=<1 dates>)"
        )

    def test_pickle(self, office: BusinessCalendar) -> None:
        import pickle

        copy = pickle.loads(pickle.dumps(office))
        assert copy == office
        assert copy.add(hk(2026, 12, 24, 17), 2 * H) == hk(2026, 12, 28, 10)


class TestIntervals:
    def test_open_intervals_clip(self, split: BusinessCalendar) -> None:
        found = list(split.open_intervals(hk(2026, 11, 20, 10), hk(2026, 11, 21, 12)))
        assert [(i.opens, i.closes) for i in found] == [
            (hk(2026, 11, 20, 10), hk(2026, 11, 20, 12)),
            (hk(2026, 11, 20, 13), hk(2026, 11, 20, 18)),
            (hk(2026, 11, 21, 10), hk(2026, 11, 21, 12)),
        ]

    def test_next_open(self, office: BusinessCalendar) -> None:
        assert office.next_open(hk(2026, 11, 20, 12)) == hk(2026, 11, 20, 12)
        assert office.next_open(hk(2026, 11, 20, 18)) == hk(2026, 11, 23, 9)
        assert office.next_open(hk(2026, 12, 24, 19)) == hk(2026, 12, 28, 9)


class TestRange:
    @pytest.mark.parametrize(
        "start", [datetime(9999, 12, 30, tzinfo=UTC), datetime(1, 1, 2, tzinfo=UTC)]
    )
    def test_instants_outside_the_supported_years_are_refused(self, start: datetime) -> None:
        cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="UTC")
        with pytest.raises(ValidationError):
            cal.add(start, H)
        with pytest.raises(ValidationError):
            cal.add_working_days(start, 1)

    def test_far_future_and_past_work(self) -> None:
        cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Europe/London")
        assert cal.add(datetime(9000, 6, 1, 17, tzinfo=UTC), H).hour == 10
        # Friday 1 June 1900, London on GMT: 17:00 + 1h closes at 18:00.
        assert cal.add(datetime(1900, 6, 1, 17, tzinfo=UTC), 2 * H).day == 4
