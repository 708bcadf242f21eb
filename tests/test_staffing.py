"""Contact-centre indicators and Erlang C staffing."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality import (
    InsufficientDataError,
    ValidationError,
    erlang_c,
    service_level,
    staffing,
    staffing_for_agents,
)

HALF_HOUR = timedelta(minutes=30)
AHT = timedelta(seconds=240)


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


def test_westbay_published_example() -> None:
    plan = staffing_for_agents(
        calls=360, interval=HALF_HOUR, aht=AHT, answer_within=timedelta(seconds=15), agents=55
    )
    assert plan.traffic == 48.0
    assert round(plan.probability_of_waiting, 4) == 0.2387
    assert round(plan.average_speed_of_answer.total_seconds(), 2) == 8.18
    assert round(plan.service_level, 3) == 0.846
    assert plan.occupancy == pytest.approx(48 / 55)


def test_staffing_finds_the_fewest_agents() -> None:
    plan = staffing(
        calls=360,
        interval=HALF_HOUR,
        aht=AHT,
        answer_within=timedelta(seconds=15),
        service_level=0.8,
    )
    assert plan.agents == 55
    fewer = staffing_for_agents(
        calls=360, interval=HALF_HOUR, aht=AHT, answer_within=timedelta(seconds=15), agents=54
    )
    assert fewer.service_level < 0.8 <= plan.service_level


def test_max_occupancy_adds_agents() -> None:
    plan = staffing(
        calls=360,
        interval=HALF_HOUR,
        aht=AHT,
        answer_within=timedelta(seconds=60),
        service_level=0.5,
        max_occupancy=0.85,
    )
    assert plan.occupancy <= 0.85
    assert plan.agents == math.ceil(48 / 0.85)


def test_shrinkage_schedules_more_agents_exactly() -> None:
    plan = staffing_for_agents(
        calls=10, interval=HALF_HOUR, aht=AHT, answer_within=timedelta(seconds=20), agents=7,
        shrinkage=0.3,
    )  # fmt: skip
    assert plan.scheduled_agents == 10  # 7 / 0.7 is exactly 10, not 10.000000000000002


def test_no_calls_needs_one_agent() -> None:
    plan = staffing(
        calls=0, interval=HALF_HOUR, aht=AHT, answer_within=timedelta(0), service_level=0.9
    )
    assert (plan.agents, plan.probability_of_waiting, plan.service_level) == (1, 0.0, 1.0)


def test_erlang_c_is_stable_for_thousands_of_agents() -> None:
    waiting = erlang_c(4_900.0, 5_000)
    assert 0 < waiting < 1
    assert erlang_c(0.0, 3) == 0.0
    # One agent: the probability of waiting is the utilisation.
    assert erlang_c(0.6, 1) == pytest.approx(0.6)


@given(st.floats(0.01, 500), st.integers(1, 20))
def test_more_agents_wait_less(traffic: float, extra: int) -> None:
    agents = math.floor(traffic) + 1
    assert erlang_c(traffic, agents + extra) <= erlang_c(traffic, agents)
    assert 0 <= erlang_c(traffic, agents) <= 1


def test_erlang_c_refuses_an_unstable_queue() -> None:
    with pytest.raises(ValidationError) as error:
        erlang_c(10.0, 10)
    assert paths(error) == ["$.agents"]
    with pytest.raises(ValidationError) as error:
        erlang_c(-1, 0)
    assert paths(error) == ["$.traffic", "$.agents"]


def test_staffing_validation_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as error:
        staffing(
            calls=-5,
            interval=timedelta(0),
            aht=30,  # type: ignore[arg-type]
            answer_within=timedelta(seconds=-1),
            service_level=1.5,
            max_occupancy=0,
            shrinkage=1.0,
        )
    assert paths(error) == [
        "$.calls",
        "$.interval",
        "$.aht",
        "$.answer_within",
        "$.shrinkage",
        "$.service_level",
        "$.max_occupancy",
    ]
    with pytest.raises(ValidationError) as error:
        staffing_for_agents(
            calls=360, interval=HALF_HOUR, aht=AHT, answer_within=timedelta(0), agents=48
        )
    assert paths(error) == ["$.agents"]


class TestServiceLevel:
    def test_three_treatments(self) -> None:
        assert service_level(170, 200, abandoned_within=10) == 170 / 190
        assert service_level(170, 200, abandoned_within=10, abandons="negative") == 0.85
        assert service_level(170, 200, abandoned_within=10, abandons="positive") == 0.9

    def test_inconsistent_counts(self) -> None:
        with pytest.raises(ValidationError) as error:
            service_level(190, 200, abandoned_within=20)
        assert paths(error) == ["$.offered"]
        with pytest.raises(ValidationError) as error:
            service_level(-1, 2.0, abandons="drop")  # type: ignore[arg-type]
        assert paths(error) == ["$.answered_within", "$.offered", "$.abandons"]

    def test_nothing_to_measure(self) -> None:
        with pytest.raises(InsufficientDataError):
            service_level(0, 5, abandoned_within=5)
        assert service_level(0, 5, abandoned_within=5, abandons="positive") == 1.0


def test_service_level_reports_every_problem() -> None:
    with pytest.raises(ValidationError) as error:
        service_level(90, 100, abandoned_within=20, abandons="drop")
    assert paths(error) == ["$.abandons", "$.offered"]


def codes(call: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return [(problem.path, problem.code) for problem in error.value.problems]


def test_problems_carry_their_codes() -> None:
    assert codes(lambda: service_level(5, 4, abandoned_within=1, abandons="drop")) == [
        ("$.abandons", "unknown_choice"),
        ("$.offered", "inconsistent"),
    ]
    assert codes(lambda: service_level(-1, "4")) == [  # type: ignore[arg-type]
        ("$.answered_within", "range"),
        ("$.offered", "type"),
    ]
    assert codes(lambda: erlang_c(-1.0, 0)) == [("$.traffic", "range"), ("$.agents", "range")]
    assert codes(lambda: erlang_c(5.0, 5)) == [("$.agents", "inconsistent")]
    assert codes(lambda: erlang_c("5", 2.5)) == [("$.traffic", "type"), ("$.agents", "type")]  # type: ignore[arg-type]
    assert codes(
        lambda: staffing(
            calls=-1,
            interval=1800,  # type: ignore[arg-type]
            aht=timedelta(0),
            answer_within=timedelta(days=-1),
            service_level=1.0,
            max_occupancy="0.8",  # type: ignore[arg-type]
            shrinkage=1.0,
        )
    ) == [
        ("$.calls", "range"),
        ("$.interval", "type"),
        ("$.aht", "range"),
        ("$.answer_within", "range"),
        ("$.shrinkage", "range"),
        ("$.service_level", "range"),
        ("$.max_occupancy", "type"),
    ]
    assert codes(
        lambda: staffing_for_agents(
            calls=360, interval=HALF_HOUR, aht=AHT, answer_within=AHT, agents=48
        )
    ) == [("$.agents", "inconsistent")]
