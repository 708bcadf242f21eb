"""Survey statistics: published examples, edge cases and bad input."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality import (
    InsufficientDataError,
    Interval,
    MeanResult,
    NpsResult,
    ProportionResult,
    ValidationError,
    ces,
    compare_nps,
    csat,
    mann_whitney_u,
    mean_interval,
    nps,
    percentile,
    power_two_proportions,
    sample_size_for_nps,
    sample_size_for_proportion,
    sample_size_two_proportions,
    two_proportion_ztest,
    wilson_interval,
)


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


class TestWilson:
    @pytest.mark.parametrize(
        ("successes", "n", "low", "high"),
        [
            # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3.
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ],
    )
    def test_published_examples(self, successes: int, n: int, low: float, high: float) -> None:
        interval = wilson_interval(successes, n)
        assert round(interval.low, 4) == low
        assert round(interval.high, 4) == high
        assert interval.confidence == 0.95

    def test_ends_are_exact(self) -> None:
        assert wilson_interval(0, 7).low == 0.0
        assert wilson_interval(7, 7).high == 1.0

    @given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
    def test_contains_the_estimate_and_stays_in_unit_range(self, case: tuple[int, int]) -> None:
        successes, n = case
        interval = wilson_interval(successes, n)
        assert 0.0 <= interval.low <= successes / n <= interval.high <= 1.0

    def test_wider_at_higher_confidence(self) -> None:
        assert wilson_interval(30, 50, confidence=0.99).width > wilson_interval(30, 50).width

    def test_empty_sample(self) -> None:
        with pytest.raises(InsufficientDataError):
            wilson_interval(0, 0)

    def test_bad_input(self) -> None:
        with pytest.raises(ValidationError) as error:
            wilson_interval(6, 5, confidence=1.0)
        assert paths(error) == ["$.successes", "$.confidence"]
        with pytest.raises(ValidationError) as error:
            wilson_interval(True, 5.0)  # type: ignore[arg-type]
        assert paths(error) == ["$.successes", "$.n"]


class TestNps:
    def test_counts_and_score(self) -> None:
        result = nps([10, 9, 8, 7, 6, 0, 10, 9, 5, 9])
        assert (result.promoters, result.passives, result.detractors, result.n) == (5, 2, 3, 10)
        assert result.score == pytest.approx(20.0)

    def test_standard_error_formula(self) -> None:
        result = nps([10] * 50 + [8] * 30 + [4] * 20)
        p, d = 0.5, 0.2
        assert result.standard_error == pytest.approx(100 * math.sqrt((p + d - (p - d) ** 2) / 100))
        z = 1.959963984540054
        assert result.interval.low == pytest.approx(30 - z * result.standard_error)
        assert result.interval.high == pytest.approx(30 + z * result.standard_error)

    def test_all_promoters(self) -> None:
        result = nps([9, 10, 10])
        assert result.score == 100.0
        assert result.standard_error == 0.0
        assert result.interval == Interval(100.0, 100.0, 0.95)
        adjusted = nps([9, 10, 10], method="adjusted_wald")
        assert adjusted.interval.high == 100.0
        assert adjusted.interval.low < 100.0
        assert adjusted.score == 100.0

    def test_interval_clipped(self) -> None:
        result = nps([0, 0, 0, 10])
        assert result.interval.low == -100.0
        assert -100 <= result.interval.high <= 100

    def test_adjusted_wald_formula(self) -> None:
        result = nps([10, 10, 9, 7, 3], method="adjusted_wald", confidence=0.9)
        p, d, n = 3.75 / 8, 1.75 / 8, 8
        centre = 100 * (p - d)
        spread = 100 * math.sqrt((p + d - (p - d) ** 2) / n)
        z = 1.6448536269514722
        assert result.interval.low == pytest.approx(centre - z * spread)
        assert result.interval.high == pytest.approx(centre + z * spread)
        assert result.method == "adjusted_wald"
        assert result.interval.confidence == 0.9

    def test_accepts_any_iterable_once(self) -> None:
        assert nps(iter([10, 0])).score == 0.0

    def test_bad_scores_named_by_position(self) -> None:
        with pytest.raises(ValidationError) as error:
            nps([10, True, 9.5, 11, -1, "7", 8, 9.0])  # type: ignore[list-item]
        assert paths(error) == ["$.scores[1]", "$.scores[2]", "$.scores[3]", "$.scores[4]",
                                "$.scores[5]"]  # fmt: skip
        assert [problem.code for problem in error.value.problems] == [
            "type", "type", "range", "range", "type"
        ]  # fmt: skip

    def test_bad_options(self) -> None:
        with pytest.raises(ValidationError) as error:
            nps([10], confidence=95, method="wilson")
        assert paths(error) == ["$.confidence", "$.method"]

    def test_empty(self) -> None:
        with pytest.raises(InsufficientDataError):
            nps([])

    def test_compare(self) -> None:
        result = compare_nps([10] * 60 + [3] * 40, [10] * 40 + [3] * 60)
        assert result.difference == pytest.approx(40.0)
        expected_se = 100 * math.sqrt(2 * (1 - 0.2**2) / 100)
        assert result.standard_error == pytest.approx(expected_se)
        assert result.statistic == pytest.approx(40 / expected_se)
        assert 0 < result.p_value < 0.01

    def test_compare_bad_and_empty(self) -> None:
        with pytest.raises(ValidationError) as error:
            compare_nps([10, 12], [False])
        assert paths(error) == ["$.first[1]", "$.second[0]"]
        with pytest.raises(InsufficientDataError):
            compare_nps([], [10])
        with pytest.raises(InsufficientDataError):
            compare_nps([10, 10], [9])


class TestCsatCes:
    def test_csat_is_a_top_box_share(self) -> None:
        result = csat([5, 4, 3, 2, 1, 5, 4, 4])
        assert (result.successes, result.n, result.value) == (5, 8, 0.625)
        assert result.interval == wilson_interval(5, 8)
        assert csat([5, 4, 3], top_box=1).successes == 1

    def test_csat_validation(self) -> None:
        with pytest.raises(ValidationError) as error:
            csat([5, 6, 0, 4.5])
        assert paths(error) == ["$.ratings[1]", "$.ratings[2]", "$.ratings[3]"]
        with pytest.raises(ValidationError) as error:
            csat([5], scale=5, top_box=5)
        assert paths(error) == ["$.top_box"]
        with pytest.raises(InsufficientDataError):
            csat([])

    def test_ces_methods(self) -> None:
        mean = ces([7, 5, 3, 1])
        assert isinstance(mean, MeanResult)
        assert mean.value == 4.0
        assert mean.standard_deviation == pytest.approx(math.sqrt(20 / 3))
        share = ces([7, 5, 3, 1], method="top_box", threshold=5)
        assert isinstance(share, ProportionResult)
        assert share.value == 0.5

    def test_ces_single_rating_has_no_spread(self) -> None:
        result = ces([6])
        assert isinstance(result, MeanResult)
        assert (result.value, result.standard_error, result.interval) == (6.0, None, None)

    def test_ces_validation(self) -> None:
        with pytest.raises(ValidationError) as error:
            ces([8], method="median", threshold=9)
        assert paths(error) == ["$.method", "$.threshold"]

    def test_mean_interval_constant_sample(self) -> None:
        result = mean_interval([3.5, 3.5, 3.5])
        assert result.interval == Interval(3.5, 3.5, 0.95)

    def test_mean_interval_rejects_non_finite(self) -> None:
        with pytest.raises(ValidationError) as error:
            mean_interval([1.0, math.nan, math.inf, "2"])  # type: ignore[list-item]
        assert paths(error) == ["$.values[1]", "$.values[2]", "$.values[3]"]


class TestTests:
    def test_two_proportion_ztest(self) -> None:
        result = two_proportion_ztest(45, 100, 30, 100)
        pooled = 0.375
        z = 0.15 / math.sqrt(pooled * (1 - pooled) * 0.02)
        assert result.statistic == pytest.approx(z)
        assert result.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))

    def test_two_proportion_ztest_without_variance(self) -> None:
        with pytest.raises(InsufficientDataError):
            two_proportion_ztest(0, 10, 0, 20)
        with pytest.raises(InsufficientDataError):
            two_proportion_ztest(0, 0, 1, 2)
        with pytest.raises(ValidationError) as error:
            two_proportion_ztest(11, 10, -1, 5)
        assert paths(error) == ["$.successes1", "$.successes2"]

    def test_mann_whitney_statistic_is_u_of_x(self) -> None:
        # scipy's documented example: U of the first sample is 17.
        result = mann_whitney_u([19, 22, 16, 29, 24], [20, 11, 17, 12])
        assert result.statistic == 17.0
        assert result.alternative == "two-sided"
        flipped = mann_whitney_u([20, 11, 17, 12], [19, 22, 16, 29, 24])
        assert flipped.statistic == 3.0
        assert flipped.p_value == pytest.approx(result.p_value)

    def test_mann_whitney_one_sided(self) -> None:
        x, y = [5, 5, 4, 4, 3], [1, 2, 2, 3, 1]
        greater = mann_whitney_u(x, y, alternative="greater")
        less = mann_whitney_u(x, y, alternative="less")
        assert greater.p_value < 0.05 < less.p_value

    def test_mann_whitney_all_tied_and_empty(self) -> None:
        with pytest.raises(InsufficientDataError):
            mann_whitney_u([3, 3], [3, 3, 3])
        with pytest.raises(InsufficientDataError):
            mann_whitney_u([], [1])

    def test_mann_whitney_bad_input(self) -> None:
        with pytest.raises(ValidationError) as error:
            mann_whitney_u([1, math.nan], [True], alternative="bigger")
        assert paths(error) == ["$.alternative", "$.x[1]", "$.y[0]"]

    def test_mann_whitney_is_n_log_n(self) -> None:
        x = [float(i % 97) for i in range(50_000)]
        y = [float(i % 89) for i in range(50_000)]
        result = mann_whitney_u(x, y)
        assert 0 <= result.p_value <= 1


class TestSampleSizes:
    def test_classic_385(self) -> None:
        assert sample_size_for_proportion(0.05) == 385
        assert (
            sample_size_for_proportion(0.05, population=1_000_000) == 384
        )  # 383.999 before rounding
        assert sample_size_for_proportion(0.05, population=500) == 218

    def test_finite_population_never_exceeds_it(self) -> None:
        assert sample_size_for_proportion(0.01, population=50) <= 50

    def test_nps_sample_size(self) -> None:
        z = 1.959963984540054
        assert sample_size_for_nps(5) == math.ceil(z * z / 0.05**2)
        with pytest.raises(ValidationError) as error:
            sample_size_for_nps(0, promoters=0.8, detractors=0.4)
        assert paths(error) == ["$.margin", "$.detractors"]

    def test_power_rises_with_n(self) -> None:
        small = power_two_proportions(0.6, 0.5, 100)
        large = power_two_proportions(0.6, 0.5, 1_000)
        assert 0 < small < large < 1

    def test_sample_size_reaches_power(self) -> None:
        n1 = sample_size_two_proportions(0.6, 0.5, power=0.8)
        assert power_two_proportions(0.6, 0.5, n1) >= 0.8
        assert power_two_proportions(0.6, 0.5, n1 - 1) < 0.8

    def test_one_sided_direction_checked(self) -> None:
        with pytest.raises(ValidationError) as error:
            sample_size_two_proportions(0.5, 0.6, alternative="greater")
        assert paths(error) == ["$.alternative"]
        assert sample_size_two_proportions(0.5, 0.6, alternative="less") > 0

    def test_bad_sample_size_input(self) -> None:
        with pytest.raises(ValidationError) as error:
            sample_size_for_proportion(5, p=1.0, population=0)
        assert paths(error) == ["$.margin", "$.p", "$.population"]
        with pytest.raises(ValidationError) as error:
            sample_size_two_proportions(0.5, 0.5, power=1.0, ratio=0)
        assert paths(error) == ["$.p2", "$.ratio", "$.power"]


class TestPercentile:
    def test_linear_between_ranks(self) -> None:
        assert percentile([1, 2, 3, 4, 5], 50) == 3.0
        assert percentile([1, 2, 3, 4], 50) == 2.5
        assert percentile([10, 0], 25) == 2.5
        assert percentile([7], 90) == 7.0
        assert percentile([3, 1, 2], 0) == 1.0
        assert percentile([3, 1, 2], 100) == 3.0

    def test_bad_input(self) -> None:
        with pytest.raises(ValidationError) as error:
            percentile([1, None], 101)
        assert paths(error) == ["$.q", "$.values[1]"]
        with pytest.raises(InsufficientDataError):
            percentile([], 50)


class TestNumpyInputs:
    """Data scientists pass numpy scalars and arrays; they count as numbers, their bools don't."""

    def test_numpy_integers_and_arrays(self) -> None:
        np = pytest.importorskip("numpy")
        assert nps(np.array([10, 9, 3])).promoters == 2
        interval = wilson_interval(np.int64(3), np.int32(10))
        assert interval == wilson_interval(3, 10)
        assert csat(np.array([5, 4, 1], dtype=np.int8)).successes == 2
        assert two_proportion_ztest(np.int64(30), 100, 20, 100).n1 == 100
        assert percentile(np.array([1.0, 2.0, 3.0]), 50) == 2.0
        assert mann_whitney_u(np.array([1, 2, 3]), np.array([4.0, 5.0])).statistic == 0.0

    def test_numpy_bools_are_not_scores(self) -> None:
        np = pytest.importorskip("numpy")
        with pytest.raises(ValidationError):
            nps([np.bool_(True)])

    def test_results_of_numpy_inputs_serialize(self) -> None:
        np = pytest.importorskip("numpy")
        from retail_service_quality import to_json

        text = to_json(wilson_interval(np.int64(3), np.int64(10), confidence=np.float32(0.9)))
        assert '"confidence": 0.8999999761581421' in text


class TestResultsSayWhatTheyAre:
    def test_tests_carry_sample_sizes(self) -> None:
        result = mann_whitney_u([1, 2, 3], [4, 5])
        assert (result.n1, result.n2) == (3, 2)
        assert result.method.startswith("Mann-Whitney")

    def test_nps_comparison_interval(self) -> None:
        result = compare_nps([10] * 60 + [3] * 40, [10] * 40 + [3] * 60, confidence=0.9)
        assert (result.n1, result.n2) == (100, 100)
        assert result.interval is not None
        assert result.interval.confidence == 0.9
        half = 1.6448536269514722 * result.standard_error
        assert result.interval.low == pytest.approx(result.difference - half)
        assert result.interval.high == pytest.approx(result.difference + half)


def codes(call: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return [(problem.path, problem.code) for problem in error.value.problems]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: wilson_interval(11, 10), [("$.successes", "inconsistent")]),
        (
            lambda: wilson_interval(-1, "10", confidence=1.5),  # type: ignore[arg-type]
            [("$.successes", "range"), ("$.n", "type"), ("$.confidence", "range")],
        ),
        (
            lambda: nps([10, None, 11, "9"], method="exact"),  # type: ignore[list-item]
            [("$.method", "unknown_choice")],
        ),
        (
            lambda: nps([10, None, 11, "9"]),  # type: ignore[list-item]
            [("$.scores[1]", "required"), ("$.scores[2]", "range"), ("$.scores[3]", "type")],
        ),
        (lambda: csat([5], top_box=5), [("$.top_box", "inconsistent")]),
        (lambda: csat([5, 0]), [("$.ratings[1]", "range")]),
        (
            lambda: ces([4], method=3, threshold=9),  # type: ignore[arg-type]
            [("$.method", "type"), ("$.threshold", "inconsistent")],
        ),
        (
            lambda: compare_nps(None, [math.nan]),  # type: ignore[arg-type]
            [("$.first", "type"), ("$.second[0]", "required")],
        ),
        (
            lambda: two_proportion_ztest(5, 4, 1, 2),
            [("$.successes1", "inconsistent")],
        ),
        (
            lambda: mann_whitney_u([math.inf], ["1"], alternative="both"),  # type: ignore[list-item]
            [("$.alternative", "unknown_choice"), ("$.x[0]", "range"), ("$.y[0]", "type")],
        ),
        (lambda: mean_interval([1.0], confidence=None), [("$.confidence", "type")]),  # type: ignore[arg-type]
        (lambda: percentile([1.0], 101), [("$.q", "range")]),
        (lambda: sample_size_for_proportion(1e-300), [("$.margin", "range")]),
        (
            lambda: sample_size_for_nps(0, promoters=0.7, detractors=0.5),
            [("$.margin", "range"), ("$.detractors", "inconsistent")],
        ),
        (lambda: power_two_proportions(0.5, 0.5, 10), [("$.p2", "inconsistent")]),
        (
            lambda: sample_size_two_proportions(0.4, 0.5, alternative="greater"),
            [("$.alternative", "inconsistent")],
        ),
    ],
)
def test_problems_carry_their_codes(
    call: Callable[[], object], expected: list[tuple[str, str]]
) -> None:
    assert codes(call) == expected


def test_invariant_breaches_of_results_carry_their_codes() -> None:
    interval = Interval(-10.0, 10.0, 0.95)
    assert codes(lambda: NpsResult(3, 1, 1, 2, 0.0, 1.0, interval)) == [("$.n", "inconsistent")]
    assert codes(lambda: NpsResult(4, 1, 1, 2, 0.0, 1.0, interval)) == [
        ("$.score", "inconsistent"),
        ("$.standard_error", "inconsistent"),
    ]
    assert codes(lambda: Interval(1.0, 0.0, 0.95)) == [("$.high", "inconsistent")]
    assert codes(lambda: ProportionResult(3, 2, 1.5, Interval(0, 1, 0.9))) == [
        ("$.successes", "inconsistent")
    ]
    assert codes(lambda: MeanResult(1, 2.0, 0.0, None, None)) == [
        ("$.standard_deviation", "inconsistent")
    ]
