"""Planning a hotline pledge per interval of the business calendar: `plan_hotline`."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import (
    BusinessCalendar,
    HotlinePlan,
    RSQError,
    ValidationError,
    plan_hotline,
    staffing,
)

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HALF_HOUR = timedelta(minutes=30)


def always_open(zone: str) -> BusinessCalendar:
    return BusinessCalendar(zone, {day: [("00:00", "24:00")] for day in DAYS})


def westbay(**changes: Any) -> HotlinePlan:
    """The Westbay load (360 calls per half hour, AHT 240 s, 15 s) over one open hour."""
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    arguments: dict[str, Any] = {
        "calendar": always_open("UTC"),
        "start": start,
        "end": start + timedelta(hours=1),
        "answer_within": timedelta(seconds=15),
        "target_share": 0.8,
        "calls": 360,
        "aht": timedelta(seconds=240),
    }
    return plan_hotline(**(arguments | changes))


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


# ---------------------------------------------------------------- the Westbay vector


def test_westbay_in_every_interval() -> None:
    plan = westbay()
    assert list(plan.intervals) == [0, 1]
    for row in plan.intervals.values():
        assert row.traffic == 48.0
        assert row.agents == 55
        assert round(row.probability_of_waiting, 4) == 0.2387
        assert round(row.average_speed_of_answer.total_seconds(), 2) == 8.18
        assert round(row.service_level, 3) == 0.846
        assert round(row.occupancy, 4) == 0.8727
        assert row.open_time == HALF_HOUR
    assert plan.total_calls == 720
    assert plan.total_agent_hours == 55.0
    assert plan.total_on_phone_hours == 55.0


def test_a_forecast_per_interval_is_staffed_interval_by_interval() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    forecast = {start + k * HALF_HOUR: calls for k, calls in enumerate([36, 360, 0, 900])}
    plan = westbay(calls=forecast, end=start + timedelta(hours=2))
    for (at, calls), row in zip(forecast.items(), plan.intervals.values(), strict=True):
        expected = staffing(
            calls=calls,
            interval=HALF_HOUR,
            aht=timedelta(seconds=240),
            answer_within=timedelta(seconds=15),
            service_level=0.8,
        )
        assert row.start == at
        assert (row.agents, row.service_level, row.traffic) == (
            expected.agents,
            expected.service_level,
            expected.traffic,
        )
    assert [row.agents for row in plan.intervals.values()] == [8, 55, 1, 129]
    assert plan.peak_scheduled_agents == 129


def test_an_aht_per_interval() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    plan = westbay(aht=[(start, timedelta(seconds=240)), (start + HALF_HOUR, timedelta(0, 120))])
    assert [row.traffic for row in plan.intervals.values()] == [48.0, 24.0]


# ---------------------------------------------------------------- hand-computed cases


def test_one_agent_by_hand() -> None:
    """3 calls of 240 s in 30 min: A = 0.4; with N = 1, C = A = 0.4,
    SL(20 s) = 1 - 0.4 exp(-0.6 * 20 / 240), ASA = 0.4 * 240 / 0.6 = 160 s."""
    plan = westbay(calls=3, answer_within=timedelta(seconds=20), target_share=0.6)
    row = plan.intervals[0]
    assert row.agents == 1
    assert row.probability_of_waiting == pytest.approx(0.4)
    assert row.service_level == pytest.approx(1 - 0.4 * math.exp(-0.05))
    assert row.average_speed_of_answer == timedelta(seconds=160)
    assert row.occupancy == pytest.approx(0.4)


def test_two_agents_by_hand() -> None:
    """A = 0.4, N = 2: B(1) = 0.4/1.4, B(2) = 0.4 B(1) / (2 + 0.4 B(1)),
    C = 2 B(2) / (2 - 0.4 (1 - B(2))) = 1/15; one agent gives only 61.95%."""
    plan = westbay(calls=3, answer_within=timedelta(seconds=20), target_share=0.7)
    row = plan.intervals[0]
    assert row.agents == 2
    assert row.probability_of_waiting == pytest.approx(1 / 15)
    assert row.service_level == pytest.approx(1 - math.exp(-1.6 * 20 / 240) / 15)


def test_an_open_interval_without_calls_has_one_agent() -> None:
    row = westbay(calls=0).intervals[0]
    assert (row.agents, row.traffic, row.service_level, row.occupancy) == (1, 0.0, 1.0, 0.0)


# ---------------------------------------------------------------- occupancy and shrinkage


def test_the_occupancy_cap_binds() -> None:
    free = westbay().intervals[0]
    capped = westbay(max_occupancy=0.85).intervals[0]
    assert (free.agents, capped.agents) == (55, 57)
    assert capped.occupancy <= 0.85 < 48 / 56


def test_the_occupancy_cap_binds_a_small_team() -> None:
    """4.8 Erlangs need 8 agents for the service level, but 10 to stay at or under 48%."""
    assert westbay(calls=36, target_share=0.8).intervals[0].agents == 8
    row = westbay(calls=36, max_occupancy=0.48).intervals[0]
    assert row.agents == 10
    assert row.occupancy == pytest.approx(0.48)


def test_shrinkage_is_rounded_up_in_exact_decimals() -> None:
    """7 agents at 30% shrinkage are 10 scheduled (7 / 0.7 is 10.000000000000002 in floats)."""
    plan = westbay(
        calls=29, aht=timedelta(minutes=4), answer_within=timedelta(seconds=20), shrinkage=0.3
    )
    row = plan.intervals[0]
    assert (row.agents, row.scheduled_agents) == (7, 10)
    assert row.agent_hours == 5.0
    assert plan.total_agent_hours == 10.0
    assert plan.total_on_phone_hours == 7.0


@given(
    calls=st.floats(0, 2_000),
    shrinkage=st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.35, 0.5, 0.99]),
    cap=st.sampled_from([1.0, 0.9, 0.85, 0.7]),
)
def test_each_row_is_the_fewest_agents_and_rounds_shrinkage_up(
    calls: float, shrinkage: float, cap: float
) -> None:
    row = westbay(calls=calls, shrinkage=shrinkage, max_occupancy=cap).intervals[0]
    assert row.service_level >= 0.8
    assert row.occupancy <= cap
    assert row.scheduled_agents == math.ceil(Fraction(row.agents) / (1 - Fraction(str(shrinkage))))
    fewer = row.agents - 1
    if fewer > row.traffic:
        alternative = rsq.staffing_for_agents(
            calls=calls,
            interval=HALF_HOUR,
            aht=timedelta(seconds=240),
            answer_within=timedelta(seconds=15),
            agents=fewer,
        )
        assert alternative.service_level < 0.8 or alternative.occupancy > cap


# ---------------------------------------------------------------- open and closed time


def test_closed_intervals_have_no_row_and_partly_open_ones_are_staffed_for_their_open_part() -> (
    None
):
    calendar = BusinessCalendar("UTC", {"mon": [("09:15", "10:00")]})
    start = datetime(2026, 11, 23, 8, tzinfo=UTC)
    plan = westbay(calendar=calendar, start=start, end=start + timedelta(hours=3))
    assert [row.start.hour for row in plan.intervals.values()] == [9, 9]
    first, second = plan.intervals.values()
    assert list(plan.intervals) == [2, 3]
    assert (first.start.minute, second.start.minute) == (0, 30)
    assert (first.open_time, second.open_time) == (timedelta(minutes=15), HALF_HOUR)
    # A flat rate arrives evenly over open time: half the calls, the same traffic.
    assert (first.calls, second.calls) == (180.0, 360.0)
    assert first.traffic == second.traffic == 48.0
    assert first.agents == second.agents == 55
    assert first.agent_hours == 55 * 0.25
    assert plan.total_agent_hours == 55 * 0.75


def test_a_forecast_for_a_partly_open_interval_arrives_in_its_open_part() -> None:
    calendar = BusinessCalendar("UTC", {"mon": [("09:15", "10:00")]})
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    plan = westbay(
        calendar=calendar,
        start=start,
        calls=[(start, 180), (start + HALF_HOUR, 360)],
    )
    assert [row.traffic for row in plan.intervals.values()] == [48.0, 48.0]


def test_calls_forecast_when_closed_are_counted_apart() -> None:
    calendar = BusinessCalendar("UTC", {"mon": [("09:00", "09:30")]})
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    plan = westbay(calendar=calendar, calls={start: 36, start + HALF_HOUR: 12})
    assert list(plan.intervals) == [0]
    assert (plan.total_calls, plan.calls_when_closed) == (36.0, 12.0)


def test_a_period_with_no_open_time_gives_an_empty_plan() -> None:
    calendar = BusinessCalendar("UTC", {"sun": [("09:00", "17:00")]})
    plan = westbay(calendar=calendar)
    assert plan.intervals == {}
    assert plan.to_records() == []
    assert (plan.total_agent_hours, plan.peak_scheduled_agents) == (0.0, 0)


def test_a_period_across_midnight_and_several_periods_a_day() -> None:
    calendar = BusinessCalendar("Asia/Hong_Kong", {"mon": [("08:00", "12:00"), ("13:00", "22:00")]})
    hk = ZoneInfo("Asia/Hong_Kong")
    plan = westbay(
        calendar=calendar,
        start=datetime(2026, 11, 23, tzinfo=hk),
        end=datetime(2026, 11, 24, tzinfo=hk),
        calls=10,
    )
    assert len(plan.intervals) == 2 * (4 + 9)
    assert all(row.start.tzinfo == hk for row in plan.intervals.values())
    assert {row.start.hour for row in plan.intervals.values()}.isdisjoint({12, 22, 23, 0})


# ---------------------------------------------------------------- DST and zones


@pytest.mark.parametrize(
    ("day", "hours"),
    [((2026, 3, 29), 23), ((2026, 10, 25), 25), ((2026, 10, 26), 24)],
)
def test_a_dst_change_day_in_london_has_23_or_25_hours_of_intervals(
    day: tuple[int, int, int], hours: int
) -> None:
    start = datetime(*day, tzinfo=LONDON)
    end = datetime.combine(start.date() + timedelta(days=1), start.timetz())
    plan = westbay(calendar=always_open("Europe/London"), start=start, end=end, calls=36)
    rows = list(plan.intervals.values())
    assert len(rows) == 2 * hours
    instants = [row.start.astimezone(UTC) for row in rows]
    assert all(b - a == HALF_HOUR for a, b in itertools.pairwise(instants))
    assert all(row.end.astimezone(UTC) - row.start.astimezone(UTC) == HALF_HOUR for row in rows)
    assert plan.total_on_phone_hours == 8 * hours


def test_the_skipped_hour_has_no_interval_and_the_repeated_hour_two() -> None:
    spring = westbay(
        calendar=always_open("Europe/London"),
        start=datetime(2026, 3, 29, tzinfo=LONDON),
        end=datetime(2026, 3, 29, 4, tzinfo=LONDON),
    )
    walls = [row.start.strftime("%H:%M%z") for row in spring.intervals.values()]
    assert walls == ["00:00+0000", "00:30+0000", "02:00+0100", "02:30+0100", "03:00+0100",
                     "03:30+0100"]  # fmt: skip
    autumn = westbay(
        calendar=always_open("Europe/London"),
        start=datetime(2026, 10, 25, 1, tzinfo=LONDON),
        end=datetime(2026, 10, 25, 2, tzinfo=LONDON),
    )
    walls = [row.start.strftime("%H:%M%z") for row in autumn.intervals.values()]
    assert walls == ["01:00+0100", "01:30+0100", "01:00+0000", "01:30+0000"]


def test_a_forecast_at_the_repeated_hour_is_read_by_its_instant() -> None:
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    plan = westbay(
        calendar=always_open("Europe/London"),
        start=datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
        end=datetime(2026, 10, 25, 2, tzinfo=LONDON),
        calls=[(first, 36), (datetime(2026, 10, 25, 1, fold=1, tzinfo=LONDON), 360), (second, 900)],
    )
    assert [row.calls for row in plan.intervals.values()] == [36.0, 360.0, 900.0]
    assert [row.start.fold for row in plan.intervals.values()] == [0, 1, 1]


def test_a_skipped_wall_time_is_refused_as_a_start() -> None:
    with pytest.raises(ValidationError) as error:
        westbay(start=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert [(p.path, p.code) for p in error.value.problems] == [("$.start", "nonexistent_time")]


def test_hour_intervals_in_a_half_hour_zone_start_on_the_local_hour() -> None:
    calendar = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Kolkata")
    plan = westbay(
        calendar=calendar,
        start=datetime(2026, 11, 23, tzinfo=KOLKATA),
        end=datetime(2026, 11, 24, tzinfo=KOLKATA),
        interval=timedelta(hours=1),
        calls=100,
    )
    rows = list(plan.intervals.values())
    assert [row.start.hour for row in rows] == list(range(9, 18))
    assert {row.start.astimezone(UTC).minute for row in rows} == {30}
    assert all(row.open_time == timedelta(hours=1) for row in rows)


@pytest.mark.parametrize(("day", "hours"), [((2026, 4, 5), 25), ((2026, 10, 4), 23)])
def test_adelaide_changes_its_clocks_by_an_hour_at_half_hour_offsets(
    day: tuple[int, int, int], hours: int
) -> None:
    start = datetime(*day, tzinfo=ADELAIDE)
    end = datetime.combine(start.date() + timedelta(days=1), start.timetz())
    plan = westbay(
        calendar=always_open("Australia/Adelaide"),
        start=start,
        end=end,
        interval=timedelta(minutes=15),
        calls=5,
    )
    assert len(plan.intervals) == 4 * hours
    assert {row.start.utcoffset() for row in plan.intervals.values()} == {
        timedelta(hours=9, minutes=30),
        timedelta(hours=10, minutes=30),
    }


def test_the_ends_of_the_supported_range() -> None:
    late = datetime(9998, 12, 31, 22, tzinfo=UTC)
    plan = westbay(start=late, end=late + timedelta(hours=1))
    assert len(plan.intervals) == 2
    for start in (datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, 22, tzinfo=UTC)):
        with pytest.raises(ValidationError) as error:
            westbay(start=start, end=start + timedelta(hours=1))
        assert paths(error)
    with pytest.raises(ValidationError) as error:
        westbay(start=datetime.max.replace(tzinfo=UTC), end=datetime.max.replace(tzinfo=UTC))
    assert paths(error) == ["$.start", "$.end"]


# ---------------------------------------------------------------- bad input


def test_every_problem_in_one_round_with_paths_and_codes() -> None:
    with pytest.raises(ValidationError) as error:
        plan_hotline(
            calendar="UTC",  # type: ignore[arg-type]
            start=datetime(2026, 11, 23, 9),
            end=3,  # type: ignore[arg-type]
            answer_within=5,  # type: ignore[arg-type]
            target_share=1,
            calls=[(1, 2), "x", (datetime(2026, 1, 1, tzinfo=UTC), -1)],  # type: ignore[list-item]
            aht=None,  # type: ignore[arg-type]
            interval=timedelta(minutes=7),
            shrinkage=1,
            max_occupancy=0,
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.calendar", "type"),
        ("$.start", "naive_datetime"),
        ("$.end", "type"),
        ("$.interval", "range"),
        ("$.answer_within", "type"),
        ("$.target_share", "range"),
        ("$.shrinkage", "range"),
        ("$.max_occupancy", "range"),
        ("$.calls[0]", "type"),
        ("$.calls[1]", "type"),
        ("$.calls[2]", "range"),
        ("$.aht", "type"),
    ]


def test_forecast_entries_must_start_intervals_once_and_cover_every_open_one() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    with pytest.raises(ValidationError) as error:
        westbay(
            calls=[
                (start, 10),
                (start.astimezone(LONDON), 12),
                (start + timedelta(minutes=10), 5),
                (start + timedelta(hours=1), 5),
            ],
            aht={start: timedelta(minutes=3)},
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.calls[1]", "duplicate"),
        ("$.calls[2]", "inconsistent"),
        ("$.calls[3]", "inconsistent"),
        ("$.calls", "required"),
        ("$.aht", "required"),
    ]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"interval": timedelta(minutes=45)}, "$.interval"),
        ({"interval": timedelta(minutes=30, seconds=1)}, "$.interval"),
        ({"interval": -HALF_HOUR}, "$.interval"),
        ({"end": datetime(2026, 11, 23, 9, 45, tzinfo=UTC)}, "$.end"),
        ({"end": datetime(2026, 11, 23, 9, tzinfo=UTC)}, "$.end"),
        ({"end": datetime(2027, 11, 25, tzinfo=UTC)}, "$.end"),
        ({"calls": math.nan}, "$.calls"),
        ({"calls": True}, "$.calls"),
        ({"calls": 10**400}, "$.calls"),
        ({"calls": "\ud800"}, "$.calls"),
        ({"aht": timedelta(0)}, "$.aht"),
        ({"aht": timedelta.max}, "$.aht"),
        ({"answer_within": -timedelta(seconds=1)}, "$.answer_within"),
        ({"target_share": math.inf}, "$.target_share"),
        ({"shrinkage": -0.1}, "$.shrinkage"),
        ({"max_occupancy": 1.5}, "$.max_occupancy"),
    ],
)
def test_bad_input_names_its_path(changes: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as error:
        westbay(**changes)
    assert paths(error) == [path]
    assert "\ud800" not in str(error.value)


def test_a_bad_aht_per_interval_names_its_entry() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    with pytest.raises(ValidationError) as error:
        westbay(aht=[(start, -timedelta(seconds=1)), (start + HALF_HOUR, "4 min")])
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.aht[0]", "range"),
        ("$.aht[1]", "type"),
        ("$.aht", "required"),
    ]


def test_a_load_too_heavy_for_the_model_names_the_forecast_entry() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    with pytest.raises(ValidationError) as error:
        westbay(calls=[(start, 1), (start + HALF_HOUR, 1e9)], aht=timedelta(days=300))
    assert paths(error) == ["$.calls[1]"]


class _Exploding:
    def __iter__(self) -> Any:
        raise RuntimeError("boom")


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=3),
    st.timedeltas(),
    st.datetimes(timezones=st.sampled_from([UTC, LONDON, KOLKATA])),
    st.lists(st.tuples(st.datetimes(timezones=st.just(UTC)), st.integers()), max_size=3),
    st.just(_Exploding()),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            (
                "calendar",
                "start",
                "end",
                "answer_within",
                "target_share",
                "calls",
                "aht",
                "interval",
                "shrinkage",
                "max_occupancy",
            ),
            anything,
        ),
    )
)
def test_anything_gives_a_plan_or_a_library_error(changes: dict[str, Any]) -> None:
    try:
        plan = westbay(**changes)
    except RSQError:
        return
    assert isinstance(plan, HotlinePlan)


# ---------------------------------------------------------------- the table


def test_the_plan_is_a_table_for_a_rota() -> None:
    pytest.importorskip("pandas")
    start = datetime(2026, 10, 25, 1, tzinfo=LONDON)
    plan = westbay(
        calendar=always_open("Europe/London"),
        start=start,
        end=start + timedelta(hours=2),
        shrinkage=0.3,
    )
    frame = plan.to_dataframe()
    # Aware arithmetic in one zone is wall-clock arithmetic: 01:00 BST + 2 h is 03:00 GMT,
    # three hours later.
    assert list(frame["interval"]) == [0, 1, 2, 3, 4, 5]
    assert list(frame["scheduled_agents"]) == [79] * 6
    assert str(frame["start"].dtype) == "datetime64[us, UTC]"
    assert frame["start"].is_monotonic_increasing
    assert frame["agent_hours"].sum() == plan.total_agent_hours == 237.0
    records = plan.to_records()
    assert records[2]["start"].fold == 1
    assert rsq.from_json(rsq.to_json(plan), HotlinePlan) == plan
    assert "<caption>HotlinePlan" in plan._repr_html_()


def test_a_forecast_that_is_not_pairs_and_misses_intervals() -> None:
    with pytest.raises(ValidationError) as error:
        westbay(calls={"2026": 3})
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.calls[0]", "type"),
        ("$.calls", "required"),
    ]


@pytest.mark.parametrize("calls", [float("nan"), float("inf"), True])
def test_a_flat_rate_that_is_not_a_count_is_named_as_one(calls: float) -> None:
    calendar = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
    with pytest.raises(ValidationError) as caught:
        plan_hotline(
            calendar=calendar, start=datetime(2026, 11, 30, 1, tzinfo=UTC),
            end=datetime(2026, 11, 30, 2, tzinfo=UTC), answer_within=timedelta(seconds=20),
            target_share=0.8, calls=calls, aht=timedelta(minutes=3),
        )  # fmt: skip
    (problem,) = caught.value.problems
    assert problem.path == "$.calls"
    assert "number of calls" in problem.message
