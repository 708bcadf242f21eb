"""Whatever a calendar entry point is given, it answers or raises `ValidationError`.

Arbitrary Python values (wrong types, huge numbers, NaN, lone surrogates, naive
and extreme datetimes, nested junk) and JSON-like data go to every entry point;
anything but a correct result or a `ValidationError` with ``$``-paths fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    BusinessCalendar,
    Problem,
    ValidationError,
    from_json,
    public_holidays,
)
from retail_service_quality.calendar import DAYS

HK = ZoneInfo("Asia/Hong_Kong")
# The entry points, untyped, to hand them what their signatures forbid.
untyped_calendar: Any = BusinessCalendar
untyped_holidays: Any = public_holidays
OFFICE = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
NIGHTS = BusinessCalendar(
    "Europe/London",
    {"fri": [("22:00", "02:00")], "sat": [("22:00", "03:00")]},
    holiday_country="GB",
    holiday_subdivision="ENG",
)

plausible = st.sampled_from(
    [
        "09:00",
        "18:00",
        "24:00",
        "22:00",
        "Asia/Hong_Kong",
        "Europe/London",
        "HK",
        "GB",
        "ENG",
        "public",
        "mon",
        "2026-12-25",
        "\ud800",
        "",
        "\x00",
        "../../etc/passwd",
        "x" * 300,
    ]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=8),
    plausible,
    st.binary(max_size=4),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, HK, timezone(timedelta(hours=-23))])),
    st.sampled_from([datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)]),
    st.times(),
    st.times(timezones=st.just(UTC)),
    st.timedeltas(),
    st.sampled_from([timedelta.max, timedelta.min, timedelta(days=36_526)]),
    st.just(HK),
    st.just(ZoneInfo("Asia/Kolkata")),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.frozensets(st.one_of(st.dates(), st.integers()), max_size=3),
        st.dictionaries(
            st.one_of(st.sampled_from(DAYS), st.dates(), st.text(max_size=4), st.integers()),
            children,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=8),
        plausible,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), plausible), children, max_size=4),
    ),
    max_leaves=12,
)
periods = st.lists(
    st.tuples(st.one_of(plausible, values), st.one_of(plausible, values)), max_size=3
)
hours_like = st.one_of(values, st.dictionaries(st.sampled_from(DAYS), st.one_of(periods, values)))
calendar_data = st.fixed_dictionaries(
    {},
    optional={
        "timezone": st.one_of(plausible, json_values),
        "hours": st.one_of(
            json_values,
            st.dictionaries(
                st.sampled_from(DAYS),
                st.lists(st.lists(st.one_of(plausible, json_values), max_size=3), max_size=3),
            ),
        ),
        "holidays": st.one_of(json_values, st.lists(st.one_of(plausible, json_values))),
        "special_hours": json_values,
        "holiday_country": st.one_of(plausible, json_values),
        "holiday_subdivision": st.one_of(plausible, json_values),
        "holiday_categories": json_values,
        "colour": json_values,
    },
)


def answers_or_refuses(call: Callable[[], Any]) -> Any:
    """The result of ``call``, or None if it raised a well-formed `ValidationError`."""
    problems: tuple[Problem, ...] = ()
    try:
        result = call()
        if hasattr(result, "__next__"):
            result = list(islice(result, 5))
    except ValidationError as error:
        problems = error.problems
        result = None
    else:
        return result
    assert problems
    assert all(problem.path.startswith("$") and problem.message for problem in problems)
    return None


@settings(max_examples=300)
@given(
    st.one_of(plausible, values),
    hours_like,
    values,
    st.one_of(st.none(), values),
    st.one_of(st.none(), plausible, values),
    st.one_of(st.none(), plausible, values),
    st.one_of(st.none(), values),
)
def test_constructor(
    timezone: Any,
    hours: Any,
    holidays: Any,
    special: Any,
    country: Any,
    subdivision: Any,
    categories: Any,
) -> None:
    cal = answers_or_refuses(
        lambda: BusinessCalendar(
            timezone,
            hours,
            holidays,
            special_hours=special,
            holiday_country=country,
            holiday_subdivision=subdivision,
            holiday_categories=categories,
        )
    )
    if cal is not None:
        assert isinstance(cal.timezone, str)
        assert answers_or_refuses(lambda: cal.is_open(datetime(2026, 6, 1, tzinfo=UTC))) in {
            True,
            False,
        }


@given(st.one_of(plausible, values), st.one_of(plausible, values), st.one_of(plausible, values))
def test_weekdays(open: Any, close: Any, timezone: Any) -> None:
    answers_or_refuses(lambda: BusinessCalendar.weekdays(open, close, timezone=timezone))


@pytest.mark.parametrize("cal", [OFFICE, NIGHTS], ids=["office", "nights"])
@given(at=values)
def test_one_argument_methods(cal: BusinessCalendar, at: Any) -> None:
    assert answers_or_refuses(lambda: cal.is_open(at)) in {True, False, None}
    answers_or_refuses(lambda: cal.next_open(at))
    answers_or_refuses(lambda: cal.periods_on(at))
    answers_or_refuses(lambda: cal.open_intervals_on(at))
    answers_or_refuses(lambda: cal.is_working_day(at))


@pytest.mark.parametrize("cal", [OFFICE, NIGHTS], ids=["office", "nights"])
@given(start=values, second=values, pauses=values)
def test_two_argument_methods(cal: BusinessCalendar, start: Any, second: Any, pauses: Any) -> None:
    answers_or_refuses(lambda: cal.add(start, second))
    answers_or_refuses(lambda: cal.add(start, second, pauses=pauses))
    answers_or_refuses(lambda: cal.between(start, second, pauses=pauses))
    answers_or_refuses(lambda: cal.add_working_days(start, second))
    answers_or_refuses(lambda: cal.open_intervals(start, second))


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(HK)
    ),
    st.one_of(st.timedeltas(), st.sampled_from([timedelta.max, timedelta(days=36_525)])),
    st.lists(st.tuples(values, values), max_size=3),
)
def test_add_with_good_start_and_any_duration(
    start: datetime, duration: timedelta, pauses: list[tuple[Any, Any]]
) -> None:
    result = answers_or_refuses(lambda: OFFICE.add(start, duration, pauses=pauses))
    if result is not None:
        assert result >= start


@given(values, values, st.one_of(st.none(), plausible, values), st.one_of(st.none(), values))
def test_public_holidays(country: Any, years: Any, subdivision: Any, categories: Any) -> None:
    answers_or_refuses(
        lambda: public_holidays(country, years, subdivision=subdivision, categories=categories)
    )


@settings(max_examples=300)
@given(calendar_data)
def test_from_json_data(data: dict[str, Any]) -> None:
    cal = answers_or_refuses(lambda: from_json(json.dumps(data), BusinessCalendar))
    if cal is not None:
        assert from_json(json.dumps(data), BusinessCalendar) == cal


@given(st.one_of(json_values.map(json.dumps), st.text(max_size=20)))
def test_from_json_text(text: str) -> None:
    answers_or_refuses(lambda: from_json(text, BusinessCalendar))


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (
            lambda: untyped_calendar("UTC", {}, holiday_country="HK", holiday_categories=5),
            "$.holiday_categories",
        ),
        (
            lambda: untyped_calendar("UTC", {}, holiday_country="HK", holiday_categories=[5]),
            "$.holiday_categories[0]",
        ),
        (lambda: untyped_calendar("UTC", {}, holiday_country=["HK"]), "$.holiday_country"),
        (lambda: untyped_calendar("UTC", {}, holiday_country="hk"), "$.holiday_country"),
        (
            lambda: untyped_calendar("UTC", {}, holiday_country="HK", holiday_subdivision=3),
            "$.holiday_subdivision",
        ),
        (
            lambda: untyped_calendar("UTC", {}, holiday_country="GB", holiday_subdivision="XX"),
            "$.holiday_subdivision",
        ),
        (lambda: untyped_calendar("\ud800", {}), "$.timezone"),
        (lambda: untyped_calendar("Asia/Hong_Kong\x00", {}), "$.timezone"),
        (lambda: untyped_calendar(UTC, {}), "$.timezone"),
        (
            lambda: untyped_calendar("UTC", {"mon": [(time(9, 0, 30), time(17))]}),
            "$.hours.mon[0][0]",
        ),
        (
            lambda: untyped_calendar("UTC", {"mon": [(time(9, tzinfo=UTC), time(17))]}),
            "$.hours.mon[0][0]",
        ),
        (lambda: untyped_calendar("UTC", {"mon": [{"09:00": 1, "17:00": 2}]}), "$.hours.mon[0]"),
        (lambda: untyped_calendar("UTC", {"mon": [("22:00", "22:00")]}), "$.hours.mon[0]"),
        (
            lambda: untyped_calendar("UTC", {"mon": [("22:00", "02:00"), ("23:00", "23:30")]}),
            "$.hours.mon[1]",
        ),
        (lambda: OFFICE.add(datetime(2026, 1, 1, tzinfo=UTC), timedelta.max), "$.duration"),
        (lambda: OFFICE.add(datetime.max.replace(tzinfo=UTC), timedelta(hours=1)), "$.start"),
        (lambda: OFFICE.add_working_days(datetime(2026, 1, 1, tzinfo=UTC), 10**30), "$.days"),
        (lambda: OFFICE.periods_on(date(1, 1, 1)), "$.day"),
        (lambda: OFFICE.periods_on(date(9999, 12, 31)), "$.day"),
        (lambda: untyped_holidays("HK", [2026], categories=5), "$.categories"),
        (lambda: untyped_holidays("HK", [2026], subdivision=["x"]), "$.subdivision"),
        (lambda: untyped_holidays(None, 2026), "$.years"),
    ],
)
def test_bad_inputs_name_their_path(call: Callable[[], object], path: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert path in [problem.path for problem in error.value.problems]


def test_every_problem_in_one_round() -> None:
    with pytest.raises(ValidationError) as error:
        BusinessCalendar(
            5,  # type: ignore[arg-type]
            {"mon": [("9", "17:00")], "funday": []},
            [date(2026, 1, 1), "2026-01-02"],  # type: ignore[list-item]
            special_hours={"2026-12-24": []},  # type: ignore[dict-item]
            holiday_country="XX",
            holiday_subdivision=7,  # type: ignore[arg-type]
            holiday_categories=5,  # type: ignore[arg-type]
        )
    assert [problem.path for problem in error.value.problems] == [
        "$.timezone",
        "$.hours.mon[0][0]",
        "$.hours.funday",
        "$.holidays[1]",
        "$.special_hours['2026-12-24']",
        "$.holiday_country",
        "$.holiday_subdivision",
        "$.holiday_categories",
    ]


def test_messages_do_not_echo_the_value() -> None:
    secret = "Chan Tai Man"
    with pytest.raises(ValidationError) as error:
        BusinessCalendar(secret, {secret: [(secret, secret)]}, [secret], holiday_country=secret)  # type: ignore[list-item]
    assert all(secret not in problem.message for problem in error.value.problems)
