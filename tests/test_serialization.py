"""The converter: round trips and validation problems with paths."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality import (
    BusinessCalendar,
    Problem,
    ValidationError,
    from_json,
    make_converter,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality.testing.strategies import COUNTRIES, calendars

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(calendars(countries=COUNTRIES))
def test_calendar_round_trips_through_json(cal: BusinessCalendar) -> None:
    text = to_json(cal)
    assert from_json(text, BusinessCalendar) == cal
    assert json.loads(text) == unstructure(cal)


def test_calendar_with_country_round_trips() -> None:
    cal = BusinessCalendar(
        "Europe/London",
        {"mon": [("09:00", "17:00")]},
        holiday_country="GB",
        holiday_subdivision="SCT",
        holiday_categories=["public"],
    )
    data = unstructure(cal)
    assert data["holiday_subdivision"] == "SCT"
    assert data["holiday_categories"] == ["public"]
    assert structure(data, BusinessCalendar) == cal


def test_calendar_json_shape_is_stable() -> None:
    cal = BusinessCalendar(
        "Asia/Hong_Kong",
        {"sat": [("10:00", "16:00")]},
        [date(2026, 12, 25)],
        special_hours={date(2026, 12, 24): [("10:00", "14:00")]},
    )
    assert unstructure(cal) == {
        "timezone": "Asia/Hong_Kong",
        "hours": {"sat": [["10:00", "16:00"]]},
        "holidays": ["2026-12-25"],
        "special_hours": {"2026-12-24": [["10:00", "14:00"]]},
        "holiday_country": None,
        "holiday_subdivision": None,
        "holiday_categories": None,
    }


def test_every_problem_reported_with_json_paths() -> None:
    data = {
        "timezone": "Mars/Olympus",
        "hours": {"mon": [["09:00", "25:00"]], "someday": []},
        "holidays": ["2026-02-30", 20260101],
        "special_hours": {"christmas": [], "2026-12-24": [["14:00", "14:00"]]},
        "colour": "blue",
    }
    with pytest.raises(ValidationError) as error:
        structure(data, BusinessCalendar)
    assert sorted(p.path for p in error.value.problems) == sorted(
        [
            "$.colour",
            "$.holidays[0]",
            "$.holidays[1]",
            "$.special_hours.christmas",
            "$.timezone",
            "$.hours.mon[0][1]",
            "$.hours.someday",
            "$.special_hours['2026-12-24'][0]",
        ]
    )


def test_missing_fields() -> None:
    with pytest.raises(ValidationError) as error:
        structure({}, BusinessCalendar)
    assert [p.path for p in error.value.problems][:2] == ["$.timezone", "$.hours"]


@pytest.mark.parametrize("data", [None, [], "calendar", 3])
def test_not_an_object(data: object) -> None:
    with pytest.raises(ValidationError) as error:
        structure(data, BusinessCalendar)
    assert error.value.problems == (Problem("$", "must be an object", "type"),)


def problems_of(data: object) -> tuple[Problem, ...]:
    """The problems structuring ``data`` as a calendar reports (none if it succeeds)."""
    try:
        structure(data, BusinessCalendar)
    except ValidationError as error:
        return error.problems
    return ()


@given(json_values)
def test_arbitrary_json_is_refused_cleanly(data: object) -> None:
    assert all(problem.path.startswith("$") for problem in problems_of(data))


@given(
    st.dictionaries(
        st.sampled_from(["timezone", "hours", "holidays", "special_hours"]), json_values
    )
)
def test_calendar_shaped_junk_is_refused_cleanly(data: dict[str, object]) -> None:
    problems = problems_of(data)
    assert all(problem.path.startswith("$") for problem in problems)
    if "timezone" not in data or "hours" not in data:
        assert problems


def test_invalid_json_text() -> None:
    with pytest.raises(ValidationError) as error:
        from_json("{not json", BusinessCalendar)
    assert error.value.problems[0].path == "$"


class TestScalars:
    def test_dates_and_datetimes(self) -> None:
        converter = make_converter()
        moment = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert converter.unstructure(moment) == "2026-11-22T09:30:00+00:00"
        assert structure("2026-11-22T09:30:00+00:00", datetime) == moment
        assert structure("2026-11-22", date) == date(2026, 11, 22)

    def test_naive_datetime_refused(self) -> None:
        with pytest.raises(ValidationError) as error:
            structure("2026-11-22T09:30:00", datetime)
        assert error.value.problems[0].path == "$"

    def test_timedeltas_are_seconds(self) -> None:
        assert unstructure(timedelta(minutes=90)) == 5400
        assert unstructure(timedelta(milliseconds=1500)) == 1.5
        assert structure(5400, timedelta) == timedelta(minutes=90)
        with pytest.raises(ValidationError):
            structure(True, timedelta)

    def test_lists_of_dates_report_indexes(self) -> None:
        with pytest.raises(ValidationError) as error:
            structure(["2026-01-01", "nope", "2026-13-01"], list[date])
        assert [p.path for p in error.value.problems] == ["$[1]", "$[2]"]

    def test_hooks_can_be_added_to_another_converter(self) -> None:
        converter = cattrs.Converter()
        from retail_service_quality.serialization import configure_converter

        configure_converter(converter)
        cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="UTC")
        assert converter.structure(converter.unstructure(cal), BusinessCalendar) == cal
