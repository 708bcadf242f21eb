"""Comparisons of two groups, and the Benjamini-Hochberg correction across a family.

Oracles: statsmodels' ``multipletests(method="fdr_bh")`` and
``proportions_ztest``; scipy's ``fisher_exact``, ``mannwhitneyu(method="asymptotic")``
and ``ttest_ind_from_stats(equal_var=False)``; the library's own
`mann_whitney_u` on the expanded ratings and `compare_nps`.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact, mannwhitneyu, ttest_ind_from_stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

import retail_service_quality as rsq
from retail_service_quality import (
    Comparison,
    ComparisonChange,
    ComparisonSet,
    IndicatorValue,
    InsufficientDataError,
    MeanPair,
    NpsPair,
    ProportionPair,
    PValueAdjustment,
    RatingPair,
    RSQError,
    ValidationError,
    benjamini_hochberg,
    compare,
    compare_many,
    compare_nps,
    from_json,
    mann_whitney_u,
    nps_from_counts,
    pair_label,
    to_json,
)


def _approx(expected: float) -> Any:
    return pytest.approx(expected, rel=1e-9, abs=1e-12)


NOTHING: Any = None
TEXT: Any = "1"
FLOAT32: Any = np.float32(1.5)


def _paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


# ---------------------------------------------------------------- Benjamini-Hochberg

p_values = st.lists(
    st.floats(0, 1) | st.sampled_from([0.0, 1.0, 0.05, 0.01, 0.5, 5e-324, 0.025]),
    min_size=1,
    max_size=60,
)
alphas = st.sampled_from([0.05, 0.01, 0.1, 0.2, 0.5, 1e-6, 0.999])


@given(p_values, alphas)
def test_benjamini_hochberg_agrees_with_statsmodels(values: list[float], alpha: float) -> None:
    result = benjamini_hochberg(values, alpha=alpha)
    reject, corrected, _, _ = multipletests(values, alpha=alpha, method="fdr_bh")
    assert result.adjusted_p_values() == pytest.approx(corrected.tolist(), rel=0, abs=1e-12)
    assert result.rejected() == tuple(bool(flag) for flag in reject)
    assert [test.p_value for test in result.tests.values()] == values


@given(p_values, alphas)
def test_adjusted_p_values_are_capped_monotone_and_reject_a_prefix(
    values: list[float], alpha: float
) -> None:
    result = benjamini_hochberg(values, alpha=alpha)
    adjusted, rejected = result.adjusted_p_values(), result.rejected()
    assert all(p <= q <= 1 for p, q in zip(values, adjusted, strict=True))
    order = sorted(range(len(values)), key=lambda index: values[index])
    in_order = [adjusted[index] for index in order]
    assert in_order == sorted(in_order)
    kept = [values[index] for index in range(len(values)) if rejected[index]]
    left = [values[index] for index in range(len(values)) if not rejected[index]]
    if kept and left:
        assert max(kept) < min(left)
    # rejected exactly where the adjusted p-value reaches alpha (up to rounding at the edge)
    for q, flag in zip(adjusted, rejected, strict=True):
        if not math.isclose(q, alpha, rel_tol=1e-12):
            assert flag is (q <= alpha)


def test_benjamini_hochberg_by_hand() -> None:
    # m = 4: sorted 0.01, 0.03, 0.04, 0.2 -> 0.04, 0.06, 0.0533, 0.2 -> running minimum from the end
    result = benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
    assert result.adjusted_p_values() == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    assert result.rejected() == (True, False, False, False)
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.2], alpha=0.06).rejected() == (
        True,
        True,
        True,
        False,
    )
    assert benjamini_hochberg([0.9]).adjusted_p_values() == (0.9,)
    assert benjamini_hochberg([0.5, 0.5, 0.5]).adjusted_p_values() == (0.5, 0.5, 0.5)


def test_benjamini_hochberg_reads_arrays_and_series_in_order() -> None:
    values = [0.2, 0.001, 0.04]
    expected = benjamini_hochberg(values)
    assert benjamini_hochberg(np.array(values)) == expected
    assert benjamini_hochberg(pd.Series(values, index=[7, 3, 5])) == expected
    assert benjamini_hochberg(iter(values)) == expected


def test_benjamini_hochberg_names_every_bad_p_value_at_once() -> None:
    bad: list[Any] = [0.5, math.nan, 1.5, "0.1", -0.1, None, True, math.inf, 10**400]
    with pytest.raises(ValidationError) as caught:
        benjamini_hochberg(bad, alpha=0)
    assert _paths(caught.value) == ["$.alpha"] + [f"$.p_values[{i}]" for i in range(1, 9)]
    assert all("0.1" not in problem.message for problem in caught.value.problems[4:5])


@pytest.mark.parametrize(
    ("given_values", "path", "code"),
    [
        ([], "$.p_values", "required"),
        ("0.1", "$.p_values", "type"),
        ({0: 0.1}, "$.p_values", "type"),
        (0.1, "$.p_values", "type"),
        (np.array([[0.1, 0.2]]), "$.p_values", "type"),
    ],
)
def test_benjamini_hochberg_refuses_what_is_not_a_list_of_p_values(
    given_values: object, path: str, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        benjamini_hochberg(given_values)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in caught.value.problems] == [(path, code)]


def test_a_stored_adjustment_is_checked_against_its_p_values() -> None:
    result = benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
    assert from_json(to_json(result), PValueAdjustment) == result
    data = json.loads(to_json(result))
    data["tests"]["1"]["adjusted_p_value"] = 0.04
    data["tests"]["3"]["rejected"] = True
    with pytest.raises(ValidationError) as caught:
        from_json(json.dumps(data), PValueAdjustment)
    assert _paths(caught.value) == ["$.tests[1].adjusted_p_value", "$.tests[3].rejected"]


# ---------------------------------------------------------------- proportions

counts = st.integers(0, 400)


@st.composite
def proportion_pairs(draw: st.DrawFn) -> ProportionPair:
    n1, n2 = draw(st.integers(1, 400)), draw(st.integers(1, 400))
    return ProportionPair(
        label="p",
        successes1=draw(st.integers(0, n1)),
        n1=n1,
        successes2=draw(st.integers(0, n2)),
        n2=n2,
    )


def _expected_min(pair: ProportionPair) -> float:
    total = pair.n1 + pair.n2
    successes = pair.successes1 + pair.successes2
    return min(pair.n1, pair.n2) * min(successes, total - successes) / total


@given(proportion_pairs())
@example(ProportionPair(label="p", successes1=3, n1=4, successes2=1, n2=4))
@example(ProportionPair(label="p", successes1=0, n1=10, successes2=0, n2=30))
@example(ProportionPair(label="p", successes1=5, n1=10, successes2=5, n2=10))
def test_proportions_agree_with_statsmodels_or_scipy(pair: ProportionPair) -> None:
    result = compare(pair)
    assert result.first == pair.successes1 / pair.n1
    assert result.second == pair.successes2 / pair.n2
    if _expected_min(pair) >= 5:
        statistic, p_value = proportions_ztest(
            [pair.successes1, pair.successes2], [pair.n1, pair.n2]
        )
        assert result.test == "two-proportion z-test (pooled)"
        assert result.statistic == _approx(statistic)
    else:
        table = [
            [pair.successes1, pair.n1 - pair.successes1],
            [pair.successes2, pair.n2 - pair.successes2],
        ]
        p_value = fisher_exact(table).pvalue
        assert result.test == "Fisher's exact test"
        assert result.statistic == pair.successes1
        assert "expects fewer than 5" in result.note
    assert result.p_value == _approx(p_value)


def test_fisher_by_hand() -> None:
    # The lady tasting tea: 3 of 4 against 1 of 4; the tables as or less likely: 34 of 70.
    result = compare(ProportionPair(label="tea", successes1=3, n1=4, successes2=1, n2=4))
    assert result.p_value == pytest.approx(34 / 70, rel=1e-12)
    assert result.change is ComparisonChange.NO_REAL_CHANGE
    # 0 of 12 against 9 of 12: only it and its mirror image are as unlikely.
    result = compare(ProportionPair(label="x", successes1=0, n1=12, successes2=9, n2=12))
    assert result.p_value == pytest.approx(2 * math.comb(12, 9) / math.comb(24, 9), rel=1e-12)
    assert result.change is ComparisonChange.WORSE


def test_an_exact_test_too_long_to_walk_is_not_enough_data() -> None:
    pair = ProportionPair(label="rare", successes1=2_000_000, n1=2_000_000, successes2=0, n2=10**12)
    result = compare(pair)
    assert result.change is ComparisonChange.NOT_ENOUGH_DATA
    assert result.p_value is None
    assert "exact test" in result.note


# ---------------------------------------------------------------- ratings

tables = st.integers(2, 7).flatmap(
    lambda scale: st.tuples(
        st.lists(st.integers(0, 30), min_size=scale, max_size=scale),
        st.lists(st.integers(0, 30), min_size=scale, max_size=scale),
    )
)


def _expand(table: list[int]) -> list[int]:
    return [rating for rating, count in enumerate(table, start=1) for _ in range(count)]


@given(tables)
@example(([0, 1, 1, 5, 5], [1, 1, 4, 3, 1]))
def test_ratings_are_the_rank_test_on_the_ratings_they_count(
    drawn: tuple[list[int], list[int]],
) -> None:
    first, second = drawn
    x, y = _expand(first), _expand(second)
    result = compare(RatingPair(label="r", counts1=first, counts2=second))
    try:
        expected = mann_whitney_u(x, y)
    except InsufficientDataError:
        assert result.change is ComparisonChange.NOT_ENOUGH_DATA
        assert result.p_value is None
        return
    assert result.test == expected.method
    assert result.statistic == expected.statistic
    assert result.p_value == expected.p_value
    oracle = mannwhitneyu(x, y, method="asymptotic")
    assert result.statistic == _approx(oracle.statistic)
    assert result.p_value == _approx(oracle.pvalue)
    assert result.first == pytest.approx(float(np.mean(x)), rel=1e-12)
    assert result.n1 == len(x)
    assert result.n2 == len(y)


def test_the_online_and_phone_ratings_of_the_guide() -> None:
    result = compare(
        RatingPair(label="online vs phone", counts1=(0, 1, 1, 5, 5), counts2=(1, 1, 4, 3, 1))
    )
    assert result.statistic == 90.5
    assert round(result.p_value, 4) == 0.0393  # type: ignore[arg-type]
    assert result.change is ComparisonChange.BETTER


def test_rating_tables_come_from_arrays_and_whole_floats() -> None:
    pair = RatingPair(label="r", counts1=np.array([1, 2, 3]), counts2=[3.0, 2.0, np.int64(1)])
    assert pair.counts1 == (1, 2, 3)
    assert pair.counts2 == (3, 2, 1)
    assert all(type(count) is int for count in pair.counts1 + pair.counts2)


@pytest.mark.parametrize(
    "keyed", [{1: 3, 2: 5}, pd.Series([5, 3], index=[2, 1]), pd.Series([1, 2]).value_counts()]
)
def test_rating_tables_keyed_by_rating_are_refused_not_misread(keyed: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        RatingPair(label="r", counts1=keyed, counts2=(1, 2))
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.counts1", "type")]
    assert "rating order" in caught.value.problems[0].message


def test_numpy_counts_are_python_integers_that_cannot_overflow() -> None:
    big = np.int64(4_000_000_000)  # successes1 * n2 is past numpy's int64
    pair = ProportionPair(
        label="p", successes1=big // 2, n1=big, successes2=big // 2 - 10**6, n2=big
    )
    assert type(pair.successes1) is int
    assert compare(pair).change is ComparisonChange.BETTER
    counts: dict[str, Any] = {
        name: np.int64(10) for name in ("promoters1", "passives1", "detractors1")
    }
    nps_pair = NpsPair(label="n", **counts, promoters2=np.int64(1), passives2=0, detractors2=0)
    assert {type(getattr(nps_pair, name)) for name in counts} == {int}
    mean_pair = MeanPair(label="m", n1=np.int64(5), mean1=FLOAT32, variance1=1.0,
                         n2=5, mean2=1.0, variance2=1.0)  # fmt: skip
    assert type(mean_pair.n1) is int
    assert compare(mean_pair).first == 1.5


# ---------------------------------------------------------------- NPS and means


nps_counts = st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))


@given(nps_counts, nps_counts)
def test_nps_is_the_difference_test_of_compare_nps(
    first: tuple[int, int, int], second: tuple[int, int, int]
) -> None:
    pair = NpsPair(
        label="n",
        promoters1=first[0],
        passives1=first[1],
        detractors1=first[2],
        promoters2=second[0],
        passives2=second[1],
        detractors2=second[2],
    )
    result = compare(pair)
    try:
        one = nps_from_counts(promoters=first[0], passives=first[1], detractors=first[2])
        other = nps_from_counts(promoters=second[0], passives=second[1], detractors=second[2])
        expected = compare_nps(one, other)
    except InsufficientDataError:
        assert result.change is ComparisonChange.NOT_ENOUGH_DATA
        return
    assert result.difference == pytest.approx(expected.difference, rel=1e-12, abs=1e-12)
    assert result.statistic == expected.statistic
    assert result.p_value == expected.p_value
    assert (result.first, result.second) == (one.score, other.score)


@st.composite
def mean_pairs(draw: st.DrawFn) -> MeanPair:
    def side() -> tuple[int, float, float]:
        return (
            draw(st.integers(2, 5_000)),
            draw(st.floats(-1e6, 1e6)),
            draw(st.floats(1e-6, 1e8)),
        )

    (n1, mean1, variance1), (n2, mean2, variance2) = side(), side()
    return MeanPair(
        label="m",
        n1=n1,
        mean1=mean1,
        variance1=variance1,
        n2=n2,
        mean2=mean2,
        variance2=variance2,
    )


@given(mean_pairs())
@example(MeanPair(label="m", n1=2, mean1=0.0, variance1=1.0, n2=2, mean2=0.0, variance2=1.0))
@example(MeanPair(label="m", n1=3, mean1=5.0, variance1=1e-6, n2=4000, mean2=-5.0, variance2=1e8))
def test_means_agree_with_welch_in_scipy(pair: MeanPair) -> None:
    result = compare(pair)
    oracle = ttest_ind_from_stats(
        pair.mean1,
        math.sqrt(pair.variance1),
        pair.n1,
        pair.mean2,
        math.sqrt(pair.variance2),
        pair.n2,
        equal_var=False,
    )
    assert result.test == "Welch's t-test"
    assert result.statistic == pytest.approx(oracle.statistic, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(oracle.pvalue, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("n", [10**5, 10**6, 3 * 10**6, 10**8, 10**12, 2**52])
@pytest.mark.parametrize("effect", [0.0, 0.01, 1.0, 3.0, 20.0])
def test_welch_stays_exact_for_millions_of_cases(n: int, effect: float) -> None:
    shift = effect * math.sqrt(2 / n)
    pair = MeanPair(
        label="m", n1=n, mean1=0.0, variance1=1.0, n2=n // 3 + 2, mean2=shift, variance2=2.0
    )
    oracle = ttest_ind_from_stats(
        0.0, 1.0, pair.n1, shift, math.sqrt(2.0), pair.n2, equal_var=False
    )
    result = compare(pair)
    assert result.statistic == _approx(oracle.statistic)
    assert result.p_value == pytest.approx(oracle.pvalue, rel=1e-8, abs=1e-15)


def test_welch_by_hand() -> None:
    # means 300 and 320 s, SDs 90 and 100, 400 and 380 calls: t = -20 / sqrt(20.25 + 26.3158)
    pair = MeanPair(
        label="AHT", n1=400, mean1=300.0, variance1=8100.0, n2=380, mean2=320.0,
        variance2=10000.0, direction="lower",
    )  # fmt: skip
    result = compare(pair)
    assert result.statistic == pytest.approx(-20 / math.sqrt(8100 / 400 + 10000 / 380))
    assert result.difference == -20.0
    assert result.change is ComparisonChange.BETTER  # shorter handle time


# ---------------------------------------------------------------- symmetry and direction


def _swapped(pair: Any) -> Any:
    if isinstance(pair, ProportionPair):
        return ProportionPair(
            label=pair.label, successes1=pair.successes2, n1=pair.n2,
            successes2=pair.successes1, n2=pair.n1, direction=pair.direction,
        )  # fmt: skip
    if isinstance(pair, RatingPair):
        return RatingPair(
            label=pair.label, counts1=pair.counts2, counts2=pair.counts1, direction=pair.direction
        )
    if isinstance(pair, NpsPair):
        return NpsPair(
            label=pair.label, promoters1=pair.promoters2, passives1=pair.passives2,
            detractors1=pair.detractors2, promoters2=pair.promoters1, passives2=pair.passives1,
            detractors2=pair.detractors1, direction=pair.direction,
        )  # fmt: skip
    return MeanPair(
        label=pair.label, n1=pair.n2, mean1=pair.mean2, variance1=pair.variance2, n2=pair.n1,
        mean2=pair.mean1, variance2=pair.variance1, direction=pair.direction,
    )  # fmt: skip


@st.composite
def nps_pairs(draw: st.DrawFn) -> NpsPair:
    (p1, q1, d1), (p2, q2, d2) = draw(nps_counts), draw(nps_counts)
    return NpsPair(
        label="n", promoters1=p1, passives1=q1, detractors1=d1, promoters2=p2, passives2=q2,
        detractors2=d2,
    )  # fmt: skip


any_pair = (
    proportion_pairs()
    | tables.map(lambda drawn: RatingPair(label="r", counts1=drawn[0], counts2=drawn[1]))
    | nps_pairs()
    | mean_pairs()
)
FLIPPED = {
    ComparisonChange.BETTER: ComparisonChange.WORSE,
    ComparisonChange.WORSE: ComparisonChange.BETTER,
    ComparisonChange.NO_REAL_CHANGE: ComparisonChange.NO_REAL_CHANGE,
    ComparisonChange.NOT_ENOUGH_DATA: ComparisonChange.NOT_ENOUGH_DATA,
}


@given(any_pair, st.sampled_from(["higher", "lower"]))
def test_swapping_the_pair_flips_the_difference_and_keeps_the_p_value(
    pair: Any, direction: str
) -> None:
    pair = attrs.evolve(pair, direction=direction)
    one, other = compare(pair), compare(_swapped(pair))
    assert (one.first, one.second) == (other.second, other.first)
    if one.difference is not None:
        assert other.difference == pytest.approx(-one.difference, rel=1e-12, abs=1e-12)
    if one.p_value is None:
        assert other.p_value is None
    else:
        assert other.p_value == pytest.approx(one.p_value, rel=1e-9, abs=1e-15)
        assert other.test == one.test
    assume(one.p_value is None or not math.isclose(one.p_value, 0.05, rel_tol=1e-6))
    assert other.change is FLIPPED[one.change]


def test_direction_decides_better_or_worse() -> None:
    up: dict[str, Any] = {
        "label": "abandonment", "successes1": 90, "n1": 1000, "successes2": 50, "n2": 1000,
    }  # fmt: skip
    assert compare(ProportionPair(**up)).change is ComparisonChange.BETTER
    lower = compare(ProportionPair(**up, direction="lower"))
    assert lower.change is ComparisonChange.WORSE
    assert lower.direction is rsq.Direction.LOWER_IS_BETTER
    assert lower.difference == pytest.approx(0.04)


# ---------------------------------------------------------------- families


def test_a_family_of_twenty_null_comparisons_rarely_flags_any() -> None:
    generator = random.Random(20261130)

    def null_pair(index: int) -> ProportionPair:
        def satisfied() -> int:
            return sum(generator.random() < 0.8 for _ in range(150))

        return ProportionPair(
            label=f"S{index}", successes1=satisfied(), n1=150, successes2=satisfied(), n2=150
        )

    families = [[null_pair(index) for index in range(20)] for _ in range(300)]
    corrected = sum(bool(compare_many(family).changes()) for family in families)
    uncorrected = sum(
        bool(compare_many(family, correction="none").changes()) for family in families
    )
    # Benjamini-Hochberg under the global null flags a family with probability <= alpha (5%);
    # testing each at 5% flags about 1 - 0.95**20 = 64% of them.
    assert corrected / len(families) <= 0.09
    assert uncorrected / len(families) >= 0.5


def test_a_family_is_adjusted_as_benjamini_hochberg_over_its_tested_pairs() -> None:
    pairs: list[Any] = [
        ProportionPair(label="S1 CSAT", successes1=172, n1=200, successes2=150, n2=200),
        RatingPair(label="S1 ratings", counts1=(0, 1, 1, 5, 5), counts2=(1, 1, 4, 3, 1)),
        NpsPair(label="S1 NPS", promoters1=0, passives1=0, detractors1=0, promoters2=4,
                passives2=3, detractors2=3),
        MeanPair(label="S1 AHT", n1=400, mean1=300.0, variance1=8100.0, n2=380, mean2=320.0,
                 variance2=10000.0, direction="lower"),
        ProportionPair(label="S1 FCR", successes1=151, n1=200, successes2=150, n2=200),
    ]  # fmt: skip
    family = compare_many(pairs)
    rows = list(family.comparisons.values())
    assert [row.kind.value for row in rows] == [
        "proportion",
        "ratings",
        "nps",
        "mean",
        "proportion",
    ]
    assert rows[2].change is ComparisonChange.NOT_ENOUGH_DATA
    assert rows[2].note == "both groups need at least one response"
    assert all(row.family_size == 4 for row in rows)
    raw = [compare(pair).p_value for pair in pairs]
    expected = benjamini_hochberg([raw[index] or 0.0 for index in (0, 1, 3, 4)])
    adjusted = [rows[index].adjusted_p_value for index in (0, 1, 3, 4)]
    assert adjusted == list(expected.adjusted_p_values())
    assert [rows[index].significant for index in (0, 1, 3, 4)] == list(expected.rejected())
    assert [row.label for row in family.changes()] == ["S1 CSAT", "S1 AHT"]
    uncorrected = compare_many(pairs, correction="none")
    assert all(row.adjusted_p_value == row.p_value for row in uncorrected.comparisons.values())
    assert [row.label for row in uncorrected.changes()] == ["S1 CSAT", "S1 ratings", "S1 AHT"]


def test_not_enough_data_is_said_not_raised() -> None:
    cases: list[tuple[Any, str]] = [
        (ProportionPair(label="a", successes1=0, n1=0, successes2=1, n2=3), "at least one case"),
        (RatingPair(label="b", counts1=(0, 0, 3), counts2=(0, 0, 5)), "every rating is tied"),
        (RatingPair(label="c", counts1=(0, 0), counts2=(1, 1)), "at least one rating"),
        (NpsPair(label="d", promoters1=5, passives1=0, detractors1=0, promoters2=3,
                 passives2=0, detractors2=0), "neither group varies"),
        (MeanPair(label="e", n1=1, mean1=3.0, variance1=0.0, n2=9, mean2=2.0, variance2=1.0),
         "at least two cases"),
        (MeanPair(label="f", n1=4, mean1=3.0, variance1=0.0, n2=9, mean2=2.0, variance2=0.0),
         "neither group varies"),
    ]  # fmt: skip
    family = compare_many([pair for pair, _ in cases])
    for comparison, (_, note) in zip(family.comparisons.values(), cases, strict=True):
        assert comparison.change is ComparisonChange.NOT_ENOUGH_DATA
        assert comparison.significant is False
        assert (comparison.statistic, comparison.p_value, comparison.adjusted_p_value) == (
            None,
            None,
            None,
        )
        assert note in comparison.note
        assert comparison.family_size == 0
    empty = list(family.comparisons.values())
    assert (empty[0].first, empty[0].second, empty[0].difference) == (None, 1 / 3, None)
    assert (empty[4].first, empty[4].n1) == (3.0, 1)
    assert compare_many([]).comparisons == {}


def test_compare_many_names_every_bad_argument_at_once() -> None:
    good = ProportionPair(label="S1", successes1=1, n1=2, successes2=1, n2=2)
    with pytest.raises(ValidationError) as caught:
        compare_many(
            [good, "S2", good, None],  # type: ignore[list-item]
            alpha=1.5,
            correction="bonferroni",
        )
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.alpha", "range"),
        ("$.correction", "unknown_choice"),
        ("$.pairs[1]", "type"),
        ("$.pairs[2].label", "duplicate"),
        ("$.pairs[3]", "type"),
    ]
    for bad in ("pairs", b"x", {"a": good}, 3):
        with pytest.raises(ValidationError) as caught:
            compare_many(bad)  # type: ignore[arg-type]
        assert _paths(caught.value) == ["$.pairs"]
    with pytest.raises(ValidationError) as caught:
        compare(good, alpha=math.nan)
    assert _paths(caught.value) == ["$.alpha"]
    with pytest.raises(ValidationError) as caught:
        compare(3)  # type: ignore[arg-type]
    assert _paths(caught.value) == ["$.pair"]


def test_means_too_large_to_subtract_are_refused_with_their_position() -> None:
    huge = MeanPair(label="x", n1=2, mean1=1e308, variance1=1.0, n2=2, mean2=-1e308,
                    variance2=1.0)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        compare_many([ProportionPair(label="a", successes1=1, n1=2, successes2=1, n2=2), huge])
    assert _paths(caught.value) == ["$.pairs[1]"]
    with pytest.raises(ValidationError) as caught:
        compare(huge)
    assert _paths(caught.value) == ["$.pair"]
    wide = MeanPair(label="y", n1=3, mean1=1.0, variance1=1e300, n2=3, mean2=0.0,
                    variance2=1e300)  # fmt: skip
    assert compare(wide).p_value == pytest.approx(1.0, abs=1e-9)


# ---------------------------------------------------------------- pairs refuse bad input


def test_pairs_name_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        ProportionPair(label="", successes1=5, n1=4, successes2=-1, n2=True, direction="up")
    assert _paths(caught.value) == [
        "$.label", "$.successes1", "$.successes2", "$.n2", "$.direction",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        RatingPair(label="r", counts1=(1, 2, 3), counts2=(1, 2))
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.counts2", "inconsistent")]
    with pytest.raises(ValidationError) as caught:
        RatingPair(label="\ud800", counts1=(1, -2, 0.5), counts2="12")
    assert _paths(caught.value) == ["$.label", "$.counts1[1]", "$.counts1[2]", "$.counts2"]
    with pytest.raises(ValidationError) as caught:
        RatingPair(label="r", counts1=(1,), counts2=(2**53, 1))
    assert _paths(caught.value) == ["$.counts1", "$.counts2[0]"]
    with pytest.raises(ValidationError) as caught:
        NpsPair(label="x" * 201, promoters1=2**52, passives1=2**52, detractors1=0,
                promoters2=NOTHING, passives2=0, detractors2=0)  # fmt: skip
    assert _paths(caught.value) == ["$.label", "$.detractors1", "$.promoters2"]
    with pytest.raises(ValidationError) as caught:
        MeanPair(label="m", n1=-1, mean1=math.nan, variance1=-1.0, n2=2, mean2=math.inf,
                 variance2=TEXT)  # fmt: skip
    assert _paths(caught.value) == [
        "$.n1", "$.mean1", "$.variance1", "$.mean2", "$.variance2",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        MeanPair(label="m")
    assert [p.code for p in caught.value.problems] == ["required"] * 6


def test_messages_never_repeat_the_value() -> None:
    secret = "Chan Tai Man 9123 4567"
    with pytest.raises(ValidationError) as caught:
        ProportionPair(label=secret * 20, successes1=secret, n1=1, successes2=0, n2=1)
    assert secret not in str(caught.value)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=4)
    | st.sampled_from([10**400, 2**53, -0.0, "\ud800", b"1", (), [0.1]])
)


@settings(max_examples=150)
@given(
    label=scalars,
    numbers=st.lists(scalars, min_size=6, max_size=6),
    direction=scalars | st.sampled_from(["higher", "lower"]),
    alpha=scalars,
)
def test_arbitrary_arguments_raise_only_the_librarys_errors(
    label: Any, numbers: list[Any], direction: Any, alpha: Any
) -> None:
    builders: list[Callable[[], Any]] = [
        lambda: ProportionPair(label=label, successes1=numbers[0], n1=numbers[1],
                               successes2=numbers[2], n2=numbers[3], direction=direction),
        lambda: RatingPair(label=label, counts1=numbers[:3], counts2=numbers[3:],
                           direction=direction),
        lambda: NpsPair(label=label, promoters1=numbers[0], passives1=numbers[1],
                        detractors1=numbers[2], promoters2=numbers[3], passives2=numbers[4],
                        detractors2=numbers[5], direction=direction),
        lambda: MeanPair(label=label, n1=numbers[0], mean1=numbers[1], variance1=numbers[2],
                         n2=numbers[3], mean2=numbers[4], variance2=numbers[5],
                         direction=direction),
    ]  # fmt: skip
    for build in builders:
        try:
            pair = build()
        except ValidationError:
            continue
        try:
            result = compare(pair, alpha=alpha)
        except ValidationError:
            continue
        assert from_json(to_json(result), Comparison) == result
    with contextlib.suppress(RSQError):  # any other error fails the test
        benjamini_hochberg(numbers, alpha=alpha)


# ---------------------------------------------------------------- results keep their invariants


def _result() -> ComparisonSet:
    return compare_many(
        [
            ProportionPair(label="S1", successes1=172, n1=200, successes2=150, n2=200),
            ProportionPair(label="S2", successes1=151, n1=200, successes2=150, n2=200),
            ProportionPair(label="S3", successes1=0, n1=0, successes2=150, n2=200),
        ]
    )


def test_a_family_goes_to_json_and_back() -> None:
    family = _result()
    assert from_json(to_json(family), ComparisonSet) == family
    pair = RatingPair(label="r", counts1=(1, 2), counts2=(2, 1), direction="lower")
    assert from_json(to_json(pair), RatingPair) == pair
    for cls in (ComparisonSet, Comparison, RatingPair, PValueAdjustment):
        assert rsq.json_schema(cls)["type"] == "object"


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"significant": False}, "$.comparisons[0].significant"),
        ({"change": "worse"}, "$.comparisons[0].change"),
        ({"adjusted_p_value": 0.001}, "$.comparisons[0].adjusted_p_value"),
        ({"difference": 0.5}, "$.comparisons[0].difference"),
        ({"family_size": 3}, "$.comparisons[1].family_size"),
        ({"label": "S2"}, "$.comparisons[1].label"),
        ({"p_value": None}, "$.comparisons[0].p_value"),
    ],
)
def test_a_tampered_family_is_refused(changes: dict[str, Any], path: str) -> None:
    data = json.loads(to_json(_result()))
    target = "1" if path.startswith("$.comparisons[1]") else "0"
    if "label" in changes:
        data["comparisons"]["1"]["label"] = "S1"
    else:
        data["comparisons"][target].update(changes)
    with pytest.raises(ValidationError) as caught:
        from_json(json.dumps(data), ComparisonSet)
    # a key of the JSON object is named as written ('0'), the family's own checks by position
    assert path in [found.replace("['", "[").replace("']", "]") for found in _paths(caught.value)]


def test_a_family_is_keyed_by_position() -> None:
    family = _result()
    rows = list(family.comparisons.values())
    assert ComparisonSet(comparisons=rows) == family
    with pytest.raises(ValidationError) as caught:
        ComparisonSet(comparisons={1: rows[0]})
    assert _paths(caught.value) == ["$.comparisons"]
    with pytest.raises(ValidationError) as caught:
        ComparisonSet(comparisons=[rows[0], TEXT])
    assert _paths(caught.value) == ["$.comparisons[1]"]


def test_records_and_frames_have_one_row_per_comparison() -> None:
    family = _result()
    records = family.to_records()
    assert [record["position"] for record in records] == [0, 1, 2]
    assert [record["change"] for record in records] == ["better", "no_real_change",
                                                        "not_enough_data"]  # fmt: skip
    frame = family.to_dataframe()
    assert list(frame.columns[:4]) == ["position", "label", "kind", "first"]
    assert frame["significant"].tolist() == [True, False, False]
    assert frame["p_value"].isna().tolist() == [False, False, True]
    adjustment = benjamini_hochberg([0.01, 0.04, 0.03, 0.2]).to_dataframe()
    assert adjustment["rejected"].tolist() == [True, False, False, False]
    assert list(adjustment.columns) == [
        "position", "p_value", "adjusted_p_value", "rejected", "alpha", "method",
    ]  # fmt: skip
    page = family._repr_html_()
    assert "ComparisonSet" in page
    assert "not_enough_data" in page


# ---------------------------------------------------------------- labels from indicator values


def _value(**keys: Any) -> IndicatorValue:
    return IndicatorValue(indicator_id="csat", **keys)


@pytest.mark.parametrize(
    ("first", "second", "label"),
    [
        (
            _value(store_id="S1", month=date(2026, 10, 1)),
            _value(store_id="S1", month=date(2026, 9, 1)),
            "csat S1 2026-10 vs 2026-09",
        ),
        (
            _value(store_id="S1", channel="hotline"),
            _value(store_id="S2", channel="hotline"),
            "csat hotline S1 vs S2",
        ),
        (_value(weekday=1, hour=9), _value(weekday=7, hour=9), "csat 09h Mon vs Sun"),
        (_value(store_id="S1"), _value(), "csat S1 vs all"),
        (_value(business_unit="BU", staff_id="A1"), _value(business_unit="BU", staff_id="A2"),
         "csat BU A1 vs A2"),
        (_value(), _value(), "csat"),
    ],
)  # fmt: skip
def test_pair_label_says_what_is_shared_and_what_differs(
    first: IndicatorValue, second: IndicatorValue, label: str
) -> None:
    assert pair_label(first, second) == label


def test_pair_label_refuses_other_indicators_and_other_things() -> None:
    with pytest.raises(ValidationError) as caught:
        pair_label(_value(), IndicatorValue(indicator_id="nps"))
    assert _paths(caught.value) == ["$.second.indicator_id"]
    with pytest.raises(ValidationError) as caught:
        pair_label("csat", None)  # type: ignore[arg-type]
    assert _paths(caught.value) == ["$.first", "$.second"]


def test_a_pair_is_built_from_two_indicator_values_and_their_counts() -> None:
    october = IndicatorValue(
        indicator_id="service_level",
        store_id="S1",
        month=date(2026, 10, 1),
        value=0.86,
        n=500,
        direction="higher",
    )
    september = attrs.evolve(october, month=date(2026, 9, 1), value=0.8, n=400)
    pair = ProportionPair(
        label=pair_label(october, september), successes1=430, n1=october.n, successes2=320,
        n2=september.n, direction=october.direction,
    )  # fmt: skip
    result = compare(pair)
    assert (result.first, result.second) == (october.value, september.value)
    assert result.change is ComparisonChange.BETTER
    assert result.label == "service_level S1 2026-10 vs 2026-09"
