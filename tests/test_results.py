"""Result values: frozen, round-tripping through JSON, readable in notebooks."""

from __future__ import annotations

import pickle
from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality import (
    SERVQUAL_DIMENSIONS,
    ComparisonResult,
    MeanResult,
    NpsResult,
    ProportionResult,
    ServperfResult,
    ServqualResponse,
    ServqualResult,
    StaffingPlan,
    TestResult,
    ValidationError,
    ces,
    compare_nps,
    csat,
    from_json,
    mann_whitney_u,
    nps,
    servperf,
    servqual,
    staffing,
    structure,
    to_json,
)

scores = st.lists(st.integers(0, 10), min_size=1, max_size=200)
ratings = st.lists(st.integers(1, 7), min_size=1, max_size=200)
confidences = st.floats(0.5, 0.999)
responses = st.lists(
    st.builds(
        ServqualResponse,
        st.fixed_dictionaries({item: st.integers(1, 7) for item in range(1, 23)}),
        st.fixed_dictionaries({item: st.integers(1, 7) for item in range(1, 23)}),
        st.sampled_from([None, {"tangibles": 20, "reliability": 80}]),
    ),
    min_size=1,
    max_size=5,
)


@given(scores, confidences, st.sampled_from(["wald", "adjusted_wald"]))
def test_nps_round_trips(values: list[int], confidence: float, method: str) -> None:
    result = nps(values, confidence=confidence, method=method)
    assert from_json(to_json(result), NpsResult) == result


@given(ratings, confidences)
def test_proportions_and_means_round_trip(values: list[int], confidence: float) -> None:
    share = csat(values, scale=7, confidence=confidence)
    assert from_json(to_json(share), ProportionResult) == share
    mean = ces(values, confidence=confidence)
    assert from_json(to_json(mean), MeanResult) == mean


@given(scores, scores)
def test_comparisons_and_tests_round_trip(first: list[int], second: list[int]) -> None:
    try:
        comparison = compare_nps(first, second)
    except ValueError:
        return
    assert from_json(to_json(comparison), ComparisonResult) == comparison
    try:
        test = mann_whitney_u(first, second)
    except ValueError:
        return
    assert from_json(to_json(test), TestResult) == test


@given(responses)
def test_servqual_results_round_trip(answers: list[ServqualResponse]) -> None:
    result = servqual(answers)
    assert from_json(to_json(result), ServqualResult) == result
    perf = servperf(answers)
    assert from_json(to_json(perf), ServperfResult) == perf
    for response in answers:
        assert from_json(to_json(response), ServqualResponse) == response


@given(st.floats(1, 2_000), st.floats(0.5, 0.95))
def test_staffing_plan_round_trips(calls: float, level: float) -> None:
    plan = staffing(
        calls=calls,
        interval=timedelta(minutes=30),
        aht=timedelta(seconds=300),
        answer_within=timedelta(seconds=20),
        service_level=level,
    )
    # Durations travel as seconds, to the microsecond, so the plan comes back equal.
    assert from_json(to_json(plan), StaffingPlan) == plan


def test_results_are_frozen_and_pickle() -> None:
    result = nps([10, 9, 3])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.score = 0.0  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(result)) == result
    servqual_result = servqual([ServqualResponse(dict.fromkeys(range(1, 23), 5),
                                                 dict.fromkeys(range(1, 23), 4))])  # fmt: skip
    assert pickle.loads(pickle.dumps(servqual_result)) == servqual_result
    with pytest.raises(TypeError):
        servqual_result.dimensions["extra"] = servqual_result.dimensions["empathy"]  # type: ignore[index]


def test_bad_result_json_reports_paths() -> None:
    with pytest.raises(ValidationError) as error:
        structure(
            {"successes": True, "n": "ten", "value": 0.5, "interval": {"low": "x", "high": 1}},
            ProportionResult,
        )
    assert [p.path for p in error.value.problems] == [
        "$.successes",
        "$.n",
        "$.interval.low",
        "$.interval.confidence",
    ]


def test_reliability_result_serializes_and_reads_like_a_mapping() -> None:
    from retail_service_quality import ReliabilityResult, ReliabilityScore, servqual_reliability

    answers = [{i: 3 + (i + k) % 2 + k for i in range(1, 23)} for k in range(4)]
    scores = servqual_reliability([ServqualResponse({}, a) for a in answers], on="perception")
    assert from_json(to_json(scores), ReliabilityResult) == scores
    assert list(scores) == list(SERVQUAL_DIMENSIONS)
    assert isinstance(scores["empathy"], ReliabilityScore)
    assert dict(scores) == dict(scores.dimensions)
    assert scores.on == "perception"


def _paths(build: object, *args: object, **kwargs: object) -> list[str]:
    with pytest.raises(ValidationError) as error:
        build(*args, **kwargs)  # type: ignore[operator]
    return [problem.path for problem in error.value.problems]


def test_values_and_results_check_their_invariants() -> None:
    from retail_service_quality import (
        DimensionScore,
        Interval,
        ReliabilityScore,
    )

    good = Interval(0.2, 0.5, 0.95)
    assert _paths(Interval, 5, 1, 2) == ["$.high", "$.confidence"]
    assert _paths(Interval, float("nan"), "x", 0.0) == ["$.low", "$.high", "$.confidence"]
    assert _paths(TestResult, float("inf"), 1.5, alternative="both", n1=0) == [
        "$.statistic",
        "$.p_value",
        "$.alternative",
        "$.n1",
    ]
    assert _paths(ProportionResult, 6, 5, 1.2, good) == ["$.successes"]
    assert _paths(ProportionResult, 3, 5, 0.5, Interval(0.1, 1.5, 0.9)) == ["$.value", "$.interval"]
    assert _paths(ProportionResult, 3, 0, 0.6, "interval") == ["$.n", "$.interval"]
    bad_nps = (-1, 3, 0, 0, 500.0, -1.0, Interval(-150, 150, 0.95), "exact")
    assert _paths(NpsResult, *bad_nps) == [
        "$.n",
        "$.score",
        "$.standard_error",
        "$.interval",
        "$.method",
    ]
    assert _paths(NpsResult, 3, 1, 1, 2, 50.0, 10.0, good) == ["$.n"]
    assert _paths(NpsResult, 4, 1, 1, 2, 50.0, 10.0, good) == ["$.score", "$.standard_error"]
    assert _paths(MeanResult, 1, 5.0, 1.0, None, None) == ["$.standard_deviation"]
    assert _paths(MeanResult, 4, 5.0, 1.0, 0.1, None) == ["$.standard_error"]
    assert _paths(ComparisonResult, 1.0, -1.0, 0.5, 2.0) == ["$.standard_error", "$.p_value"]
    assert _paths(DimensionScore, "6", 5.0, float("nan"), -1) == [
        "$.expectation",
        "$.gap",
        "$.respondents",
    ]
    assert _paths(ReliabilityScore, 1.5, 0, 1) == ["$.alpha", "$.items", "$.alpha"]
    score = DimensionScore(6.0, 5.0, -1.0, 1)
    five = dict.fromkeys(["tangibles", "reliability", "responsiveness", "assurance"], score)
    assert _paths(ServqualResult, 1, five, -1.0, None) == ["$.dimensions.empathy"]
    assert _paths(ServqualResult, 1, five | {"empathy": score}, -2.0, None) == ["$.unweighted"]
    assert _paths(ServperfResult, 0, {"speed": 5.0}, 5.0, None, 1) == [
        "$.dimensions.speed",
        "$.dimensions.tangibles",
        "$.dimensions.reliability",
        "$.dimensions.responsiveness",
        "$.dimensions.assurance",
        "$.dimensions.empathy",
        "$.n",
        "$.scale",
    ]


def test_a_staffing_plan_checks_itself() -> None:
    plan = staffing(
        calls=360,
        interval=timedelta(minutes=30),
        aht=timedelta(seconds=240),
        answer_within=timedelta(seconds=20),
        service_level=0.8,
        shrinkage=0.3,
    )
    assert _paths(attrs.evolve, plan, scheduled_agents=plan.agents) == ["$.scheduled_agents"]
    assert _paths(attrs.evolve, plan, traffic=60.0, occupancy=1.5) == ["$.traffic", "$.occupancy"]
    assert _paths(attrs.evolve, plan, average_speed_of_answer=timedelta(seconds=-1)) == [
        "$.average_speed_of_answer"
    ]


def test_json_reports_type_and_invariant_problems_together() -> None:
    data = {
        "n": "ten",
        "promoters": 1,
        "passives": 1,
        "detractors": -2,
        "score": 500,
        "standard_error": 1.0,
        "interval": {"low": 5, "high": 1, "confidence": 2},
    }
    with pytest.raises(ValidationError) as error:
        structure(data, NpsResult)
    # Type problems first (the interval's own rules among them), then the result's rules.
    assert [p.path for p in error.value.problems] == [
        "$.n",
        "$.interval.high",
        "$.interval.confidence",
        "$.detractors",
        "$.score",
    ]
    with pytest.raises(ValidationError) as error:
        from_json('{"expectations": {"23": 5}, "perceptions": {"1": 3.5}}', ServqualResponse)
    assert [p.path for p in error.value.problems] == ["$.perceptions['1']", "$.expectations['23']"]


def test_result_constructors_report_missing_fields() -> None:
    from retail_service_quality import Interval

    assert _paths(Interval, 0.5) == ["$.high", "$.confidence"]
    assert _paths(ProportionResult, successes=-1) == [
        "$.n",
        "$.value",
        "$.interval",
        "$.successes",
    ]
