"""SERVQUAL, SERVPERF and scale reliability."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from retail_service_quality import (
    SERVQUAL_DIMENSIONS,
    InsufficientDataError,
    ServqualResponse,
    ValidationError,
    cronbach_alpha,
    servperf,
    servqual,
    servqual_reliability,
)

ALL_ITEMS = range(1, 23)
WEIGHTS = {"tangibles": 10, "reliability": 30, "responsiveness": 25, "assurance": 15,
           "empathy": 20}  # fmt: skip


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


def test_dimensions_are_the_1988_instrument() -> None:
    assert dict(SERVQUAL_DIMENSIONS) == {
        "tangibles": (1, 2, 3, 4),
        "reliability": (5, 6, 7, 8, 9),
        "responsiveness": (10, 11, 12, 13),
        "assurance": (14, 15, 16, 17),
        "empathy": (18, 19, 20, 21, 22),
    }


def test_unweighted_is_the_mean_of_dimension_gaps_not_items() -> None:
    expect = dict.fromkeys(ALL_ITEMS, 7)
    perceive = dict.fromkeys(ALL_ITEMS, 7) | {5: 2, 6: 2, 7: 2, 8: 2, 9: 2}  # reliability -5
    result = servqual([ServqualResponse(expect, perceive)])
    assert result.dimensions["reliability"].gap == -5.0
    assert result.unweighted == -1.0  # (-5 + 0 + 0 + 0 + 0) / 5, not -25 / 22
    assert result.weighted is None


def test_means_over_respondents_and_weights() -> None:
    first = ServqualResponse(dict.fromkeys(ALL_ITEMS, 6), dict.fromkeys(ALL_ITEMS, 4), WEIGHTS)
    second = ServqualResponse(dict.fromkeys(ALL_ITEMS, 7), dict.fromkeys(ALL_ITEMS, 7), WEIGHTS)
    result = servqual([first, second])
    assert result.n == 2
    score = result.dimensions["empathy"]
    assert (score.expectation, score.perception, score.gap, score.respondents) == (
        6.5,
        5.5,
        -1.0,
        2,
    )
    assert result.weighted == pytest.approx(-1.0)


def test_weights_are_per_respondent() -> None:
    expect = dict.fromkeys(ALL_ITEMS, 7)
    perceive = dict.fromkeys(ALL_ITEMS, 7) | {1: 3, 2: 3, 3: 3, 4: 3}  # tangibles -4
    tangible_minded = {"tangibles": 50, "reliability": 50}
    reliability_minded = {"reliability": 100}
    result = servqual(
        [
            ServqualResponse(expect, perceive, tangible_minded),
            ServqualResponse(expect, perceive, reliability_minded),
        ]
    )
    assert result.weighted == pytest.approx((-2.0 + 0.0) / 2)


def test_respondent_without_a_dimension_is_left_out_of_it() -> None:
    full = ServqualResponse(dict.fromkeys(ALL_ITEMS, 6), dict.fromkeys(ALL_ITEMS, 5))
    no_empathy = ServqualResponse(dict.fromkeys(range(1, 18), 7), dict.fromkeys(range(1, 18), 3))
    result = servqual([full, no_empathy])
    assert result.dimensions["empathy"].gap == -1.0
    assert result.dimensions["empathy"].respondents == 1
    assert result.dimensions["tangibles"].gap == -2.5


def test_gap_uses_items_answered_on_both_sides() -> None:
    response = ServqualResponse(
        dict.fromkeys(ALL_ITEMS, 6) | {1: 1},
        {item: 5 for item in ALL_ITEMS if item != 1},
    )
    tangibles = servqual([response]).dimensions["tangibles"]
    assert tangibles.expectation == pytest.approx((1 + 6 * 3) / 4)
    assert tangibles.gap == -1.0


def test_reverse_scored_items() -> None:
    expect = dict.fromkeys(ALL_ITEMS, 6)
    perceive = dict.fromkeys(ALL_ITEMS, 6) | {10: 2}
    result = servqual([ServqualResponse(expect, perceive)], reverse_items=[10, 11, 12, 13])
    responsiveness = result.dimensions["responsiveness"]
    assert responsiveness.expectation == 2.0  # 8 - 6
    assert responsiveness.perception == 3.0  # (6 + 2 + 2 + 2) / 4
    assert responsiveness.gap == 1.0


def test_a_response_checks_its_items_scores_and_weights() -> None:
    with pytest.raises(ValidationError) as error:
        ServqualResponse(
            {1: 8, 23: 5, 2: 3.5, "3": 4},  # type: ignore[dict-item]
            {1: 0, 3: True},
            {"tangibles": 60, "speed": 40},
        )
    assert paths(error) == [
        "$.expectations['23']",
        "$.expectations['2']",
        "$.expectations['3']",
        "$.perceptions['1']",
        "$.perceptions['3']",
        "$.weights.speed",
    ]
    with pytest.raises(ValidationError) as error:
        ServqualResponse({1: 5}, {1: 5}, {"tangibles": 60, "empathy": 30})
    assert paths(error) == ["$.weights"]
    with pytest.raises(ValidationError) as error:
        ServqualResponse([5], None)  # type: ignore[arg-type]
    assert paths(error) == ["$.expectations", "$.perceptions"]


def test_every_problem_with_its_path() -> None:
    over_the_top = ServqualResponse({1: 8, 2: 3}, {1: 7, 3: 9})
    with pytest.raises(ValidationError) as error:
        servqual([ServqualResponse({1: 5}, {1: 5}), over_the_top, "response"])  # type: ignore[list-item]
    assert paths(error) == [
        "$.responses[1].expectations['1']",
        "$.responses[1].perceptions['3']",
        "$.responses[2]",
    ]


def test_scale_and_reverse_items_checked() -> None:
    with pytest.raises(ValidationError) as error:
        servqual([], scale=1, reverse_items=[0, 10])
    assert paths(error) == ["$.scale", "$.reverse_items[0]"]


def test_insufficient_data() -> None:
    with pytest.raises(InsufficientDataError):
        servqual([])
    only_tangibles = ServqualResponse({1: 5}, {1: 5})
    with pytest.raises(InsufficientDataError, match="reliability"):
        servqual([only_tangibles])


def test_weights_within_tolerance() -> None:
    weights = {"tangibles": 33.333, "reliability": 33.333, "empathy": 33.333}
    result = servqual(
        [ServqualResponse(dict.fromkeys(ALL_ITEMS, 6), dict.fromkeys(ALL_ITEMS, 5), weights)]
    )
    assert result.weighted == pytest.approx(-0.99999)


def test_servperf() -> None:
    perceive = dict.fromkeys(ALL_ITEMS, 5) | {14: 1, 15: 1, 16: 1, 17: 1}
    result = servperf(
        [
            ServqualResponse({}, perceive, WEIGHTS),
            ServqualResponse({}, dict.fromkeys(ALL_ITEMS, 5), WEIGHTS),
        ]
    )
    assert result.dimensions["assurance"] == 3.0
    assert result.overall == pytest.approx((5 * 4 + 3) / 5)
    assert result.weighted == pytest.approx(((0.85 * 5 + 0.15 * 1) + 5) / 2)


def test_cronbach_alpha() -> None:
    perfectly_consistent = [[1, 1, 1], [3, 3, 3], [5, 5, 5]]
    assert cronbach_alpha(perfectly_consistent) == pytest.approx(1.0)
    with pytest.raises(InsufficientDataError):
        cronbach_alpha([[1, 2, 3]])
    with pytest.raises(InsufficientDataError):
        cronbach_alpha([[2, 2], [2, 2]])
    with pytest.raises(ValidationError) as error:
        cronbach_alpha([[1, 2], [1, 2, 3], [1, "x"]])  # type: ignore[list-item]
    assert paths(error) == ["$.scores[1]", "$.scores[2][1]"]


def test_reliability_uses_complete_respondents() -> None:
    responses = [
        ServqualResponse(dict.fromkeys(ALL_ITEMS, 7), {i: 2 + k + i % 2 for i in ALL_ITEMS})
        for k in range(4)
    ] + [ServqualResponse({}, {1: 5})]
    scores = servqual_reliability(responses, on="gap")
    assert scores["tangibles"].respondents == 4
    assert scores["tangibles"].items == 4
    assert scores["tangibles"].alpha is not None
    perception = servqual_reliability(responses, on="perception")
    assert perception["tangibles"].alpha == pytest.approx(scores["tangibles"].alpha)
    assert servqual_reliability(responses, on="expectation")["tangibles"].alpha is None
    with pytest.raises(ValidationError):
        servqual_reliability(responses, on="both")


def test_response_is_immutable_and_hashable() -> None:
    response = ServqualResponse({1: 5}, {1: 6}, {"tangibles": 100})
    with pytest.raises(TypeError):
        response.perceptions[1] = 7  # type: ignore[index]
    assert hash(response) == hash(ServqualResponse({1: 5}, {1: 6}, {"tangibles": 100}))


def codes(call: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return [(problem.path, problem.code) for problem in error.value.problems]


def test_problems_carry_their_codes() -> None:
    assert codes(lambda: ServqualResponse({23: 5, "x": 2}, {1: 0, 2: "7"})) == [  # type: ignore[dict-item]
        ("$.expectations['23']", "range"),
        ("$.expectations.x", "type"),
        ("$.perceptions['1']", "range"),
        ("$.perceptions['2']", "type"),
    ]
    assert codes(lambda: ServqualResponse({}, {}, {"comfort": 50, "empathy": -1})) == [
        ("$.weights.comfort", "unknown_choice"),
        ("$.weights.empathy", "range"),
    ]
    assert codes(lambda: ServqualResponse({}, {}, {"empathy": 60})) == [
        ("$.weights", "inconsistent")
    ]
    assert codes(lambda: ServqualResponse(perceptions={})) == [("$.expectations", "required")]
    assert codes(lambda: servqual([ServqualResponse({}, {1: 8})], reverse_items=[30])) == [
        ("$.reverse_items[0]", "range")
    ]
    assert codes(lambda: servqual([ServqualResponse({}, {1: 8}), "response"])) == [  # type: ignore[list-item]
        ("$.responses[0].perceptions['1']", "range"),
        ("$.responses[1]", "type"),
    ]
    assert codes(lambda: servqual_reliability([], on="total")) == [("$.on", "unknown_choice")]
    assert codes(lambda: cronbach_alpha([[1, "2"], [1, 2, 3], [math.inf, None]])) == [  # type: ignore[list-item]
        ("$.scores[0][1]", "type"),
        ("$.scores[1]", "inconsistent"),
        ("$.scores[2][0]", "range"),
        ("$.scores[2][1]", "required"),
    ]
    assert codes(lambda: cronbach_alpha([[1, 2]], missing="listwise")) == [
        ("$.missing", "unknown_choice")
    ]
