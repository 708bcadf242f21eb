"""The survey statistics, Erlang C staffing and SERVQUAL checked against independent oracles.

Each property draws random inputs and compares the library with statsmodels,
scipy or a direct numpy transcription of the documented formulas (survey
statistics, contact-centre indicators, SERVQUAL), to a relative and absolute
tolerance of 1e-9:

- Wilson intervals, CSAT and top-box CES against ``proportion_confint(method="wilson")``;
- the pooled two-proportion z-test against ``proportions_ztest``;
- the Mann-Whitney U test against ``scipy.stats.mannwhitneyu(method="asymptotic")``,
  with heavily tied integer samples and with floats, for every alternative;
- percentiles against ``numpy.percentile``;
- mean intervals and mean CES against ``DescrStatsW.tconfint_mean``, and the
  internal Student t quantile against ``scipy.stats.t.ppf``;
- NPS (Wald and adjusted Wald) and the NPS comparison against numpy and
  ``scipy.stats.norm``;
- sample sizes against the closed forms, power against statsmodels'
  ``NormalIndPower``, and two-proportion sample sizes as the smallest ``n1``
  whose statsmodels power reaches the target;
- Erlang C against the Poisson form evaluated with ``scipy.stats.poisson``,
  staffing as the fewest agents meeting the service level and occupancy
  ceiling, and the published Westbay example;
- SERVQUAL dimension means, gaps, unweighted and weighted scores, and
  Cronbach's alpha, against numpy.

The cases with no variance, where the oracles return nan or divide by zero,
are checked to raise `InsufficientDataError` instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import partial

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.stats import mannwhitneyu, norm, poisson
from scipy.stats import t as student_t
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)
from statsmodels.stats.weightstats import DescrStatsW

from retail_service_quality import (
    InsufficientDataError,
    MeanResult,
    ProportionResult,
    ServqualResponse,
    ValidationError,
    ces,
    compare_nps,
    cronbach_alpha,
    csat,
    erlang_c,
    mann_whitney_u,
    mean_interval,
    nps,
    percentile,
    power_two_proportions,
    sample_size_for_nps,
    sample_size_for_proportion,
    sample_size_two_proportions,
    servqual,
    staffing,
    staffing_for_agents,
    two_proportion_ztest,
    wilson_interval,
)
from retail_service_quality.metrics.statistics import _student_t_ppf

TOLERANCE = 1e-9
ALTERNATIVES = ("two-sided", "less", "greater")
STATSMODELS_ALTERNATIVE = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}
# The library rounds sample sizes up after subtracting this (float noise is not a respondent).
CEIL_TOLERANCE = 1e-9
# Written out from the contract rather than imported, so the oracle shares nothing.
DIMENSIONS: Mapping[str, tuple[int, ...]] = {
    "tangibles": (1, 2, 3, 4),
    "reliability": (5, 6, 7, 8, 9),
    "responsiveness": (10, 11, 12, 13),
    "assurance": (14, 15, 16, 17),
    "empathy": (18, 19, 20, 21, 22),
}


def close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def z_for(confidence: float) -> float:
    return float(norm.ppf(0.5 + confidence / 2))


confidences = st.floats(0.5, 0.999)
alternatives = st.sampled_from(ALTERNATIVES)
proportions = st.floats(0.01, 0.99)
populations = st.none() | st.integers(1, 1_000_000)
distinct_proportions = st.lists(proportions, min_size=2, max_size=2, unique=True).map(
    lambda pair: (pair[0], pair[1])
)
nps_scores = st.lists(st.integers(0, 10), min_size=1, max_size=300)


@st.composite
def counts(draw: st.DrawFn, max_n: int = 5_000) -> tuple[int, int]:
    """``(successes, n)`` with ``n >= 1``, often at the edges 0 and n."""
    n = draw(st.integers(1, max_n))
    successes = draw(st.sampled_from([0, n]) | st.integers(0, n))
    return successes, n


@st.composite
def rank_samples(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    """Two samples: small integers (ties everywhere) or floats (ties rare)."""
    values = draw(
        st.sampled_from(
            [
                st.integers(1, 5).map(float),
                st.integers(-3, 3).map(float),
                st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
            ]
        )
    )
    x = draw(st.lists(values, min_size=1, max_size=60))
    y = draw(st.lists(values, min_size=1, max_size=60))
    return x, y


# ---------------------------------------------------------------- proportions


@given(sample=counts(), confidence=confidences)
def test_wilson_interval_matches_statsmodels(sample: tuple[int, int], confidence: float) -> None:
    successes, n = sample
    interval = wilson_interval(successes, n, confidence=confidence)
    low, high = proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    assert close(interval.low, float(low))
    assert close(interval.high, float(high))
    assert 0.0 <= interval.low <= successes / n <= interval.high <= 1.0
    assert interval.confidence == confidence


@given(first=counts(), second=counts())
def test_two_proportion_ztest_matches_statsmodels(
    first: tuple[int, int], second: tuple[int, int]
) -> None:
    (s1, n1), (s2, n2) = first, second
    assume(0 < s1 + s2 < n1 + n2)
    result = two_proportion_ztest(s1, n1, s2, n2)
    statistic, p_value = proportions_ztest([s1, s2], [n1, n2])
    assert close(result.statistic, float(statistic))
    assert close(result.p_value, float(p_value))
    assert 0.0 <= result.p_value <= 1.0


@given(n1=st.integers(1, 5_000), n2=st.integers(1, 5_000), all_successes=st.booleans())
def test_two_proportion_ztest_without_variance_raises(
    n1: int, n2: int, all_successes: bool
) -> None:
    s1, s2 = (n1, n2) if all_successes else (0, 0)
    with pytest.raises(InsufficientDataError):
        two_proportion_ztest(s1, n1, s2, n2)


@given(data=st.data(), scale=st.integers(2, 11), confidence=confidences)
def test_csat_matches_statsmodels(data: st.DataObject, scale: int, confidence: float) -> None:
    top_box = data.draw(st.integers(1, scale - 1), label="top_box")
    ratings = data.draw(st.lists(st.integers(1, scale), min_size=1, max_size=300), label="ratings")
    result = csat(ratings, scale=scale, top_box=top_box, confidence=confidence)
    array = np.asarray(ratings)
    successes = int(np.count_nonzero(array > scale - top_box))
    low, high = proportion_confint(successes, array.size, alpha=1 - confidence, method="wilson")
    assert (result.successes, result.n) == (successes, array.size)
    assert close(result.value, successes / array.size)
    assert close(result.interval.low, float(low))
    assert close(result.interval.high, float(high))


@given(data=st.data(), scale=st.integers(2, 11), confidence=confidences)
def test_ces_top_box_matches_statsmodels(
    data: st.DataObject, scale: int, confidence: float
) -> None:
    threshold = data.draw(st.integers(1, scale), label="threshold")
    ratings = data.draw(st.lists(st.integers(1, scale), min_size=1, max_size=300), label="ratings")
    result = ces(ratings, scale=scale, method="top_box", threshold=threshold, confidence=confidence)
    assert isinstance(result, ProportionResult)
    array = np.asarray(ratings)
    successes = int(np.count_nonzero(array >= threshold))
    low, high = proportion_confint(successes, array.size, alpha=1 - confidence, method="wilson")
    assert (result.successes, result.n) == (successes, array.size)
    assert close(result.value, successes / array.size)
    assert close(result.interval.low, float(low))
    assert close(result.interval.high, float(high))


# ---------------------------------------------------------------- rank test


@given(samples=rank_samples(), alternative=alternatives)
def test_mann_whitney_u_matches_scipy(
    samples: tuple[list[float], list[float]], alternative: str
) -> None:
    x, y = samples
    assume(len(set(x) | set(y)) > 1)
    result = mann_whitney_u(x, y, alternative=alternative)
    expected = mannwhitneyu(
        np.asarray(x), np.asarray(y), alternative=alternative, method="asymptotic"
    )
    assert close(result.statistic, float(expected.statistic))
    assert close(result.p_value, float(expected.pvalue))
    assert 0.0 <= result.p_value <= 1.0
    assert result.alternative == alternative


@given(
    value=st.floats(-1e6, 1e6),
    sizes=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    alternative=alternatives,
)
def test_mann_whitney_u_all_tied_raises(
    value: float, sizes: tuple[int, int], alternative: str
) -> None:
    with pytest.raises(InsufficientDataError):
        mann_whitney_u([value] * sizes[0], [value] * sizes[1], alternative=alternative)


# ---------------------------------------------------------------- percentiles and means


@given(
    values=st.lists(
        st.floats(-1e6, 1e6) | st.integers(-1_000, 1_000).map(float), min_size=1, max_size=100
    ),
    q=st.floats(0, 100) | st.integers(0, 100).map(float),
)
def test_percentile_matches_numpy(values: list[float], q: float) -> None:
    assert close(percentile(values, q), float(np.percentile(values, q)))


def _check_mean_result(result: MeanResult, values: Sequence[float], confidence: float) -> None:
    array = np.asarray(values, dtype=float)
    stats = DescrStatsW(array)
    low, high = stats.tconfint_mean(alpha=1 - confidence)
    deviation = float(np.std(array, ddof=1))
    assert result.n == array.size
    assert close(result.value, float(np.mean(array)))
    assert result.standard_deviation is not None
    assert result.standard_error is not None
    assert result.interval is not None
    assert close(result.standard_deviation, deviation)
    assert close(result.standard_error, deviation / math.sqrt(array.size))
    assert close(result.interval.low, float(low))
    assert close(result.interval.high, float(high))


@given(
    values=st.lists(
        st.floats(-1e6, 1e6) | st.integers(-100, 100).map(float), min_size=2, max_size=100
    ),
    confidence=confidences,
)
def test_mean_interval_matches_statsmodels(values: list[float], confidence: float) -> None:
    _check_mean_result(mean_interval(values, confidence=confidence), values, confidence)


@given(df=st.integers(1, 500), probability=st.floats(0.5, 0.9999, exclude_min=True))
def test_student_t_quantile_matches_scipy(df: int, probability: float) -> None:
    assert close(_student_t_ppf(probability, df), float(student_t.ppf(probability, df)))
    assert close(_student_t_ppf(1 - probability, df), float(student_t.ppf(1 - probability, df)))


@given(data=st.data(), scale=st.integers(2, 11), confidence=confidences)
def test_ces_mean_matches_statsmodels(data: st.DataObject, scale: int, confidence: float) -> None:
    ratings = data.draw(st.lists(st.integers(1, scale), min_size=2, max_size=300), label="ratings")
    result = ces(ratings, scale=scale, method="mean", threshold=scale, confidence=confidence)
    assert isinstance(result, MeanResult)
    _check_mean_result(result, [float(rating) for rating in ratings], confidence)


# ---------------------------------------------------------------- NPS


def _nps_oracle(scores: Sequence[int]) -> tuple[int, int, int, float, float]:
    """Counts, score and standard error, straight from the contract."""
    array = np.asarray(scores)
    n = array.size
    promoters = int(np.count_nonzero(array >= 9))
    detractors = int(np.count_nonzero(array <= 6))
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    variance = p + d - (p - d) ** 2
    return promoters, detractors, n, score, float(100 * np.sqrt(variance / n))


@given(
    scores=nps_scores,
    confidence=confidences,
    method=st.sampled_from(["wald", "adjusted_wald"]),
)
def test_nps_matches_contract_formulas(scores: list[int], confidence: float, method: str) -> None:
    result = nps(scores, confidence=confidence, method=method)
    promoters, detractors, n, score, error = _nps_oracle(scores)
    assert (result.n, result.promoters, result.detractors) == (n, promoters, detractors)
    assert result.passives == n - promoters - detractors
    assert close(result.score, score)
    assert close(result.standard_error, error)
    z = z_for(confidence)
    if method == "wald":
        centre, spread = score, error
    else:
        p_adj = (promoters + 0.75) / (n + 3)
        d_adj = (detractors + 0.75) / (n + 3)
        centre = 100 * (p_adj - d_adj)
        spread = float(100 * np.sqrt((p_adj + d_adj - (p_adj - d_adj) ** 2) / (n + 3)))
    low, high = np.clip([centre - z * spread, centre + z * spread], -100, 100)
    assert close(result.interval.low, float(low))
    assert close(result.interval.high, float(high))
    assert result.interval.confidence == confidence


@given(first=nps_scores, second=nps_scores)
def test_compare_nps_matches_contract_formulas(first: list[int], second: list[int]) -> None:
    p1, d1, n1, score1, _ = _nps_oracle(first)
    p2, d2, n2, score2, _ = _nps_oracle(second)
    shares = [(p1 / n1, d1 / n1, n1), (p2 / n2, d2 / n2, n2)]
    variance = sum((p + d - (p - d) ** 2) / n for p, d, n in shares)
    assume(variance > 0)
    result = compare_nps(first, second)
    difference = score1 - score2
    error = 100 * math.sqrt(variance)
    statistic = difference / error
    assert close(result.difference, difference)
    assert close(result.standard_error, error)
    assert close(result.statistic, statistic)
    assert close(result.p_value, float(2 * norm.sf(abs(statistic))))


@given(
    first=st.sampled_from([10, 8, 3]).flatmap(lambda s: st.lists(st.just(s), min_size=1)),
    second=st.sampled_from([9, 7, 0]).flatmap(lambda s: st.lists(st.just(s), min_size=1)),
)
def test_compare_nps_without_variance_raises(first: list[int], second: list[int]) -> None:
    with pytest.raises(InsufficientDataError):
        compare_nps(first, second)


# ---------------------------------------------------------------- sample sizes and power


def _mirror_ceil(value: float) -> int:
    return math.ceil(value - CEIL_TOLERANCE)


def _finite_population(n0: float, population: int | None) -> float:
    return n0 if population is None else n0 / (1 + (n0 - 1) / population)


@given(
    margin=st.floats(0.005, 0.5),
    confidence=confidences,
    p=proportions,
    population=populations,
)
def test_sample_size_for_proportion_matches_formula(
    margin: float, confidence: float, p: float, population: int | None
) -> None:
    n0 = z_for(confidence) ** 2 * p * (1 - p) / margin**2
    expected = 1 if n0 <= 1 else _mirror_ceil(_finite_population(n0, population))
    result = sample_size_for_proportion(margin, confidence=confidence, p=p, population=population)
    assert result == expected
    if population is not None:
        assert result <= population


@given(
    data=st.data(),
    margin=st.floats(1, 50),
    confidence=confidences,
    promoters=st.floats(0, 1),
    population=populations,
)
def test_sample_size_for_nps_matches_formula(
    data: st.DataObject,
    margin: float,
    confidence: float,
    promoters: float,
    population: int | None,
) -> None:
    detractors = data.draw(st.floats(0, 1 - promoters), label="detractors")
    variance = promoters + detractors - (promoters - detractors) ** 2
    assume(variance > 0)
    n0 = z_for(confidence) ** 2 * variance / (margin / 100) ** 2
    # At least one respondent, however small the variance.
    expected = 1 if n0 <= 1 else _mirror_ceil(_finite_population(n0, population))
    result = sample_size_for_nps(
        margin,
        confidence=confidence,
        promoters=promoters,
        detractors=detractors,
        population=population,
    )
    assert result == expected


def _statsmodels_power(
    p1: float, p2: float, n1: float, ratio: float, alpha: float, alternative: str
) -> float:
    return float(
        NormalIndPower().power(
            proportion_effectsize(p1, p2),
            n1,
            alpha,
            ratio=ratio,
            alternative=STATSMODELS_ALTERNATIVE[alternative],
        )
    )


@given(
    pair=distinct_proportions,
    n1=st.integers(1, 5_000),
    ratio=st.floats(0.25, 4),
    alpha=st.floats(0.001, 0.2),
    alternative=alternatives,
)
def test_power_two_proportions_matches_statsmodels(
    pair: tuple[float, float], n1: int, ratio: float, alpha: float, alternative: str
) -> None:
    p1, p2 = pair
    result = power_two_proportions(p1, p2, n1, ratio=ratio, alpha=alpha, alternative=alternative)
    assert close(result, _statsmodels_power(p1, p2, n1, ratio, alpha, alternative))
    assert 0.0 <= result <= 1.0


@given(
    p1=proportions,
    p2=proportions,
    power=st.floats(0.5, 0.99),
    ratio=st.floats(0.25, 4),
    alpha=st.floats(0.001, 0.2),
    two_sided=st.booleans(),
)
def test_sample_size_two_proportions_is_smallest_reaching_power(
    p1: float, p2: float, power: float, ratio: float, alpha: float, two_sided: bool
) -> None:
    assume(abs(p1 - p2) >= 0.005)
    alternative = "two-sided" if two_sided else ("greater" if p1 > p2 else "less")
    n1 = sample_size_two_proportions(
        p1, p2, power=power, alpha=alpha, ratio=ratio, alternative=alternative
    )
    assert n1 >= 1
    assert _statsmodels_power(p1, p2, n1, ratio, alpha, alternative) >= power
    if n1 > 1:
        assert _statsmodels_power(p1, p2, n1 - 1, ratio, alpha, alternative) < power


@given(pair=distinct_proportions)
def test_sample_size_two_proportions_wrong_side_raises(pair: tuple[float, float]) -> None:
    p1, p2 = pair
    wrong = "less" if p1 > p2 else "greater"
    with pytest.raises(ValidationError):
        sample_size_two_proportions(p1, p2, alternative=wrong)


# ---------------------------------------------------------------- Erlang C and staffing


def _erlang_c_oracle(traffic: float, agents: int) -> float:
    """Erlang C from the Poisson distribution, with no recursion shared with the library."""
    tail = float(poisson.pmf(agents, traffic)) * agents / (agents - traffic)
    return tail / (float(poisson.cdf(agents - 1, traffic)) + tail)


@example(agents=55, load=48 / 55)
@example(agents=950, load=900 / 950)
@example(agents=3_000, load=0.999)
@example(agents=2_500, load=0.5)
@given(agents=st.integers(1, 3_000), load=st.floats(0, 1, exclude_max=True))
def test_erlang_c_matches_poisson_form(agents: int, load: float) -> None:
    traffic = load * agents
    assume(traffic < agents)
    result = erlang_c(traffic, agents)
    assert close(result, _erlang_c_oracle(traffic, agents))
    assert 0.0 <= result <= 1.0


@given(
    calls=st.integers(0, 3_000) | st.floats(0, 3_000),
    interval_minutes=st.sampled_from([15, 30, 60]),
    aht_seconds=st.integers(30, 900),
    within_seconds=st.integers(0, 120),
    target=st.floats(0.5, 0.99),
    max_occupancy=st.sampled_from([0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0]) | st.floats(0.5, 1),
    shrinkage=st.floats(0, 0.5),
)
def test_staffing_is_fewest_agents_meeting_target(
    calls: float,
    interval_minutes: int,
    aht_seconds: int,
    within_seconds: int,
    target: float,
    max_occupancy: float,
    shrinkage: float,
) -> None:
    interval = timedelta(minutes=interval_minutes)
    aht = timedelta(seconds=aht_seconds)
    within = timedelta(seconds=within_seconds)
    plan = staffing(
        calls=calls,
        interval=interval,
        aht=aht,
        answer_within=within,
        service_level=target,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    )
    for_agents = partial(
        staffing_for_agents,
        calls=calls,
        interval=interval,
        aht=aht,
        answer_within=within,
        shrinkage=shrinkage,
    )
    agents = plan.agents
    traffic = calls * aht_seconds / (interval_minutes * 60)
    assert close(plan.traffic, traffic)
    # The plan at N meets the target, and is the plan for N agents.
    at = for_agents(agents=agents)
    assert at == plan
    assert plan.service_level >= target
    assert plan.occupancy <= max_occupancy
    waiting = _erlang_c_oracle(traffic, agents) if traffic > 0 else 0.0
    assert close(plan.probability_of_waiting, waiting)
    level = 1 - waiting * math.exp(-(agents - traffic) * within_seconds / aht_seconds)
    assert close(plan.service_level, level)
    # N - 1 does not: too few agents for the traffic, too busy, or below the target.
    fewer = agents - 1
    if fewer < 1:
        return
    if fewer <= traffic:
        with pytest.raises(ValidationError):
            for_agents(agents=fewer)
        return
    # From the oracle, not from the library: N - 1 agents are too busy or miss the target.
    waiting_below = _erlang_c_oracle(traffic, fewer) if traffic > 0 else 0.0
    level_below = 1 - waiting_below * math.exp(-(fewer - traffic) * within_seconds / aht_seconds)
    # A hair's tolerance: the oracle's rounding may differ from the library's in the last bits.
    assert traffic / fewer > max_occupancy - 1e-12 or level_below < target + 1e-9


def test_staffing_occupancy_ceiling_reached_exactly() -> None:
    # 63 calls x 300 s / 1800 s = 10.5 Erlangs; 10.5 / 15 agents = 0.7 occupancy exactly,
    # and 15 agents answer 89.5% within 20 s, so 15 is the fewest meeting both limits.
    interval, aht, within = timedelta(minutes=30), timedelta(seconds=300), timedelta(seconds=20)
    fifteen = staffing_for_agents(
        calls=63, interval=interval, aht=aht, answer_within=within, agents=15
    )
    assert fifteen.occupancy <= 0.7
    assert fifteen.service_level >= 0.5
    plan = staffing(
        calls=63,
        interval=interval,
        aht=aht,
        answer_within=within,
        service_level=0.5,
        max_occupancy=0.7,
    )
    assert plan.agents == 15


def test_westbay_published_example() -> None:
    # 360 calls per 30 minutes, AHT 240 s, 55 agents, 15 s target:
    # P(wait) 0.2387, ASA 8.18 s, service level 84.6%.
    interval, aht, within = timedelta(minutes=30), timedelta(seconds=240), timedelta(seconds=15)
    plan = staffing_for_agents(
        calls=360, interval=interval, aht=aht, answer_within=within, agents=55
    )
    assert plan.traffic == 48.0
    assert round(plan.probability_of_waiting, 4) == 0.2387
    assert round(plan.average_speed_of_answer.total_seconds(), 2) == 8.18
    assert round(plan.service_level, 3) == 0.846
    assert close(plan.probability_of_waiting, _erlang_c_oracle(48.0, 55))
    assert close(erlang_c(48.0, 55), _erlang_c_oracle(48.0, 55))
    # 54 agents answer only 79.3% within 15 s, so an 80% target needs the 55.
    fewest = staffing(
        calls=360, interval=interval, aht=aht, answer_within=within, service_level=0.8
    )
    assert fewest.agents == 55


# ---------------------------------------------------------------- SERVQUAL


@st.composite
def weights(draw: st.DrawFn) -> dict[str, float]:
    """100 points over the five dimensions: whole points, or arbitrary shares."""
    if draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)))
        points = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        return dict(zip(DIMENSIONS, map(float, points), strict=True))
    raw = draw(st.lists(st.floats(0.01, 1), min_size=5, max_size=5))
    total = math.fsum(raw)
    return {name: 100 * share / total for name, share in zip(DIMENSIONS, raw, strict=True)}


@st.composite
def servqual_surveys(
    draw: st.DrawFn, complete: bool
) -> tuple[int, frozenset[int], list[ServqualResponse]]:
    scale = draw(st.integers(3, 10))
    reverse = frozenset(draw(st.sets(st.integers(1, 22))))
    all_weighted = draw(st.booleans())
    responses = []
    for _ in range(draw(st.integers(1, 12))):
        sides = []
        for _side in ("expectations", "perceptions"):
            items = range(1, 23) if complete else draw(st.sets(st.integers(1, 22)))
            sides.append({item: draw(st.integers(1, scale)) for item in sorted(items)})
        given_weights = draw(weights()) if all_weighted or draw(st.booleans()) else None
        responses.append(ServqualResponse(sides[0], sides[1], given_weights))
    return scale, reverse, responses


def _check_servqual(scale: int, reverse: frozenset[int], responses: list[ServqualResponse]) -> None:
    def scored(item: int, value: int) -> int:
        return scale + 1 - value if item in reverse else value

    per_respondent: list[dict[str, dict[str, float]]] = []
    for response in responses:
        found: dict[str, dict[str, float]] = {"E": {}, "P": {}, "gap": {}}
        for name, items in DIMENSIONS.items():
            e = [scored(i, response.expectations[i]) for i in items if i in response.expectations]
            p = [scored(i, response.perceptions[i]) for i in items if i in response.perceptions]
            item_gaps = [
                scored(i, response.perceptions[i]) - scored(i, response.expectations[i])
                for i in items
                if i in response.expectations and i in response.perceptions
            ]
            for side, values in (("E", e), ("P", p), ("gap", item_gaps)):
                if values:
                    found[side][name] = float(np.mean(values))
        per_respondent.append(found)

    if any(all(name not in r["gap"] for r in per_respondent) for name in DIMENSIONS):
        with pytest.raises(InsufficientDataError):
            servqual(responses, scale=scale, reverse_items=reverse)
        return

    result = servqual(responses, scale=scale, reverse_items=reverse)
    assert result.n == len(responses)
    gaps: list[float] = []
    for name in DIMENSIONS:
        score = result.dimensions[name]
        for side, actual in (("E", score.expectation), ("P", score.perception), ("gap", score.gap)):
            means = [r[side][name] for r in per_respondent if name in r[side]]
            assert close(actual, float(np.mean(means)))
        assert score.respondents == sum(1 for r in per_respondent if name in r["gap"])
        gaps.append(float(np.mean([r["gap"][name] for r in per_respondent if name in r["gap"]])))
    assert close(result.unweighted, float(np.mean(gaps)))

    # The weighted score needs every respondent's weights and all five of their gaps.
    weight_rows: list[list[float]] = []
    gap_rows: list[list[float]] = []
    for response, r in zip(responses, per_respondent, strict=True):
        if response.weights is None or len(r["gap"]) < len(DIMENSIONS):
            assert result.weighted is None
            return
        weight_rows.append([response.weights.get(name, 0.0) for name in DIMENSIONS])
        gap_rows.append([r["gap"][name] for name in DIMENSIONS])
    per_respondent_score = np.sum(np.asarray(weight_rows) / 100 * np.asarray(gap_rows), axis=1)
    assert result.weighted is not None
    assert close(result.weighted, float(np.mean(per_respondent_score)))


@given(survey=servqual_surveys(complete=True))
def test_servqual_complete_responses_match_numpy(
    survey: tuple[int, frozenset[int], list[ServqualResponse]],
) -> None:
    _check_servqual(*survey)


@given(survey=servqual_surveys(complete=False))
def test_servqual_incomplete_responses_match_numpy(
    survey: tuple[int, frozenset[int], list[ServqualResponse]],
) -> None:
    _check_servqual(*survey)


@given(
    data=st.data(),
    rows=st.integers(2, 30),
    columns=st.integers(2, 10),
    quarters=st.booleans(),
)
def test_cronbach_alpha_matches_numpy(
    data: st.DataObject, rows: int, columns: int, quarters: bool
) -> None:
    cell = st.integers(-28, 28).map(lambda v: v / 4) if quarters else st.integers(1, 7)
    scores = data.draw(
        st.lists(st.lists(cell, min_size=columns, max_size=columns), min_size=rows, max_size=rows),
        label="scores",
    )
    array = np.asarray(scores, dtype=float)
    total_variance = float(np.var(array.sum(axis=1), ddof=1))
    if total_variance == 0:
        with pytest.raises(InsufficientDataError):
            cronbach_alpha(scores)
        return
    item_variance = float(np.var(array, axis=0, ddof=1).sum())
    expected = columns / (columns - 1) * (1 - item_variance / total_variance)
    assert close(cronbach_alpha(scores), expected)
