"""Survey statistics: proportions, NPS, CSAT, CES, tests, sample sizes and percentiles.

Every result is a frozen value that says what it is: the sample size, the
method and the confidence level travel with the number. The formulas agree
with statsmodels and scipy (the test suite checks them against both), but
the library needs neither at run time: normal quantiles come from the
standard library's `statistics.NormalDist`, Student's t from a continued
fraction of the incomplete beta function.

Every calculator raises only the library's errors, whatever it is given:
`ValidationError` for bad input (counts are integers up to 2**53 - 1,
numbers finite) and `InsufficientDataError` where the sample cannot give the
statistic. Every result checks its own invariants when it is built, from
Python or from JSON.

Samples may be lists, iterators, pandas Series or numpy arrays (neither
package is needed): whole-number floats count as integers where a score is
asked for, and a missing value (``None``, NaN, ``pd.NA``) is refused with
its position unless ``missing="drop"`` leaves it out. NPS, CSAT and CES also
come from counts (`nps_from_counts`, `csat_from_counts`, `ces_from_counts`).

Examples:
    >>> from retail_service_quality import nps, wilson_interval
    >>> result = nps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10])
    >>> result.score, result.promoters, result.detractors
    (40.0, 6, 2)
    >>> interval = wilson_interval(42, 50)
    >>> round(interval.low, 4), round(interval.high, 4)
    (0.7149, 0.9166)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from statistics import NormalDist
from typing import ClassVar, Final

import attrs

from retail_service_quality._internal.checks import (
    MAX_COUNT,
    check_choice,
    check_count,
    check_label,
    check_number,
    is_finite_number,
)
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import REQUIRED, raise_problems
from retail_service_quality.errors import (
    InsufficientDataError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics._inputs import (
    check_missing,
    finite_numbers,
    integer_counts,
    whole_number,
)

__all__ = [
    "ComparisonResult",
    "Interval",
    "MeanResult",
    "NpsResult",
    "ProportionResult",
    "TestResult",
    "ces",
    "ces_from_counts",
    "compare_nps",
    "csat",
    "csat_from_counts",
    "mann_whitney_u",
    "mean_interval",
    "nps",
    "nps_from_counts",
    "percentile",
    "power_two_proportions",
    "sample_size_for_nps",
    "sample_size_for_proportion",
    "sample_size_two_proportions",
    "two_proportion_ztest",
    "wilson_interval",
]

_NORMAL: Final = NormalDist()
_ALTERNATIVES: Final = ("two-sided", "less", "greater")
# Sample sizes are rounded up; a value within this of an integer is that integer,
# so floating-point noise (384.00000000000006) does not add a respondent.
_CEIL_TOLERANCE: Final = 1e-9
# The largest scale a rating question may have (counts are kept per point of the scale).
_MAX_SCALE: Final = 1_000
# Sample sizes beyond this are refused: no survey reaches them, and floats lose whole units.
_MAX_SAMPLE: Final = 10**12
_NPS_METHODS: Final = ("wald", "adjusted_wald")
_SMALLEST: Final = math.ulp(0.0)  # the smallest positive double
# Results are checked against their formulas to this tolerance (relative and absolute).
_CONSISTENT: Final = 1e-9


def _consistent(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=_CONSISTENT, abs_tol=_CONSISTENT)


def _check_optional_count(value: object, path: str, problems: Problems) -> None:
    if value is not None:
        check_count(value, path, problems, minimum=1)


def _interval_within(
    interval: object, path: str, problems: Problems, low: float, high: float
) -> None:
    """Record a problem unless ``interval`` is an `Interval` inside ``[low, high]``."""
    if not isinstance(interval, Interval):
        problems.add(path, "must be an Interval (low, high, confidence)", "type")
    elif interval.low < low or interval.high > high:
        problems.add(path, f"must lie within [{low:g}, {high:g}]", "range")


# ---------------------------------------------------------------- results


@attrs.frozen
class Interval(Tabular):
    """A confidence interval: ``[low, high]`` at the given confidence level.

    ``low`` and ``high`` are finite with ``low <= high``; the confidence is
    strictly between 0 and 1.

    Attributes:
        low: the lower bound.
        high: the upper bound, at least ``low``.
        confidence: the confidence level, strictly between 0 and 1 (0.95 for 95%).

    Examples:
        >>> interval = Interval(0.2, 0.5, 0.95)
        >>> 0.3 in interval, interval.width
        (True, 0.3)
    """

    low: float = attrs.field(default=REQUIRED)
    high: float = attrs.field(default=REQUIRED)
    confidence: float = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        low_ok = check_number(self.low, "$.low", problems)
        high_ok = check_number(self.high, "$.high", problems)
        if low_ok and high_ok and self.low > self.high:
            problems.add("$.high", "must be at least low", "inconsistent")
        check_number(self.confidence, "$.confidence", problems, low=0, high=1, strict=True)
        raise_problems(self, problems)

    @property
    def width(self) -> float:
        """``high - low``.

        Examples:
            >>> Interval(0.25, 0.75, 0.9).width
            0.5
        """
        return self.high - self.low

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


@attrs.frozen
class TestResult(Tabular):
    """A test statistic and its p-value, with the test that produced them.

    The statistic is finite, the p-value from 0 to 1, the sample sizes (if
    given) at least 1.

    Attributes:
        statistic: the test statistic, such as a z or U value.
        p_value: the probability, were there no difference, of a statistic at least as
            extreme as this one; from 0 to 1.
        method: the name of the test that produced the result.
        alternative: the alternative hypothesis: ``"two-sided"``, ``"less"`` or
            ``"greater"``.
        n1: the size of the first sample, if known.
        n2: the size of the second sample, if known.

    Examples:
        >>> TestResult(statistic=2.1, p_value=0.0357, method="two-proportion z-test").p_value
        0.0357
    """

    __test__: ClassVar[bool] = False  # not a pytest test class

    statistic: float = attrs.field(default=REQUIRED)
    p_value: float = attrs.field(default=REQUIRED)
    method: str = ""
    alternative: str = "two-sided"
    n1: int | None = None
    n2: int | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_number(self.statistic, "$.statistic", problems)
        check_number(self.p_value, "$.p_value", problems, low=0, high=1)
        check_label(self.method, "$.method", problems)
        check_choice(self.alternative, _ALTERNATIVES, "$.alternative", problems)
        _check_optional_count(self.n1, "$.n1", problems)
        _check_optional_count(self.n2, "$.n2", problems)
        raise_problems(self, problems)


@attrs.frozen
class ProportionResult(Tabular):
    """A share of a sample, ``successes / n``, with its confidence interval.

    ``0 <= successes <= n``, ``n >= 1``, ``value == successes / n`` and the
    interval lies within [0, 1].

    Attributes:
        successes: how many of the sample count as a success (satisfied customers, for
            CSAT).
        n: the sample size, at least 1.
        value: the share, ``successes / n``, from 0 to 1.
        interval: the confidence interval of the share, within [0, 1].
        method: how the interval was computed, such as ``"wilson"``.

    Examples:
        >>> from retail_service_quality import csat
        >>> result = csat([5, 4, 3, 5, 2])
        >>> result.successes, result.n, result.value
        (3, 5, 0.6)
    """

    _scale = (0.0, 1.0)

    successes: int = attrs.field(default=REQUIRED)
    n: int = attrs.field(default=REQUIRED)
    value: float = attrs.field(default=REQUIRED)
    interval: Interval = attrs.field(default=REQUIRED)
    method: str = "wilson"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        successes_ok = check_count(self.successes, "$.successes", problems)
        n_ok = check_count(self.n, "$.n", problems, minimum=1)
        if successes_ok and n_ok and self.successes > self.n:
            problems.add("$.successes", "must not exceed n", "inconsistent")
        elif (
            check_number(self.value, "$.value", problems, low=0, high=1)
            and successes_ok
            and n_ok
            and not _consistent(self.value, self.successes / self.n)
        ):
            problems.add("$.value", "must equal successes / n", "inconsistent")
        _interval_within(self.interval, "$.interval", problems, 0.0, 1.0)
        check_label(self.method, "$.method", problems)
        raise_problems(self, problems)


@attrs.frozen
class MeanResult(Tabular):
    """A sample mean with its standard deviation, standard error and t interval.

    With a single observation there is no spread to estimate, so the
    standard deviation, standard error and interval are ``None``; otherwise
    ``standard_error == standard_deviation / sqrt(n)``, both non-negative.

    Attributes:
        n: the number of observations, at least 1.
        value: the sample mean.
        standard_deviation: the sample standard deviation (divided by ``n - 1``), or
            ``None`` for a single observation.
        standard_error: the standard error of the mean, ``standard_deviation /
            sqrt(n)``, or ``None`` for a single observation.
        interval: the Student t confidence interval of the mean, or ``None`` for a
            single observation.
        method: how the result was computed.

    Examples:
        >>> result = mean_interval([5, 6, 7, 6, 4])
        >>> result.n, result.value
        (5, 5.6)
        >>> round(result.interval.low, 3), round(result.interval.high, 3)
        (4.184, 7.016)
    """

    n: int = attrs.field(default=REQUIRED)
    value: float = attrs.field(default=REQUIRED)
    standard_deviation: float | None = attrs.field(default=REQUIRED)
    standard_error: float | None = attrs.field(default=REQUIRED)
    interval: Interval | None = attrs.field(default=REQUIRED)
    method: str = "mean, Student t interval"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        n_ok = check_count(self.n, "$.n", problems, minimum=1)
        check_number(self.value, "$.value", problems)
        spread = (
            ("$.standard_deviation", self.standard_deviation),
            ("$.standard_error", self.standard_error),
            ("$.interval", self.interval),
        )
        if n_ok and self.n == 1:
            for path, value in spread:
                if value is not None:
                    problems.add(
                        path, "must be null: one observation has no spread", "inconsistent"
                    )
        else:
            deviation_ok = self.standard_deviation is not None and check_number(
                self.standard_deviation, "$.standard_deviation", problems, low=0
            )
            error_ok = self.standard_error is not None and check_number(
                self.standard_error, "$.standard_error", problems, low=0
            )
            if (
                n_ok
                and deviation_ok
                and error_ok
                and not _consistent(
                    self.standard_error,  # type: ignore[arg-type]
                    self.standard_deviation / math.sqrt(self.n),  # type: ignore[operator]
                )
            ):
                problems.add(
                    "$.standard_error", "must equal standard_deviation / sqrt(n)", "inconsistent"
                )
            if self.interval is not None and not isinstance(self.interval, Interval):
                problems.add("$.interval", "must be an Interval (low, high, confidence)", "type")
        check_label(self.method, "$.method", problems)
        raise_problems(self, problems)


@attrs.frozen
class NpsResult(Tabular):
    """A Net Promoter Score with its counts, standard error and interval.

    ``score`` and ``standard_error`` are in NPS points (-100 to 100);
    ``interval`` too, clipped to [-100, 100]. The counts must add up to
    ``n >= 1`` and the score and standard error must follow from them. ``standard_error`` is always
    the plain one, ``100 * sqrt((p + d - (p - d)**2) / n)``; with
    ``method="adjusted_wald"`` only the interval is adjusted.

    Attributes:
        n: the number of responses, at least 1.
        promoters: how many responses were 9 or 10.
        passives: how many responses were 7 or 8.
        detractors: how many responses were 0 to 6.
        score: the Net Promoter Score, ``100 * (promoters - detractors) / n``, from
            -100 to 100.
        standard_error: the standard error of the score, in NPS points.
        interval: the confidence interval of the score, in NPS points, within
            [-100, 100].
        method: how the interval was computed: ``"wald"`` or ``"adjusted_wald"``.

    Examples:
        >>> result = nps([10, 10, 9, 8, 6, 0])
        >>> result.n, result.promoters, result.passives, result.detractors, result.score
        (6, 3, 1, 2, 16.666666666666668)
    """

    _scale = (-100.0, 100.0)

    n: int = attrs.field(default=REQUIRED)
    promoters: int = attrs.field(default=REQUIRED)
    passives: int = attrs.field(default=REQUIRED)
    detractors: int = attrs.field(default=REQUIRED)
    score: float = attrs.field(default=REQUIRED)
    standard_error: float = attrs.field(default=REQUIRED)
    interval: Interval = attrs.field(default=REQUIRED)
    method: str = "wald"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        n_ok = check_count(self.n, "$.n", problems, minimum=1)
        counts_ok = all(
            [
                check_count(self.promoters, "$.promoters", problems),
                check_count(self.passives, "$.passives", problems),
                check_count(self.detractors, "$.detractors", problems),
            ]
        )
        consistent = n_ok and counts_ok
        if consistent and self.promoters + self.passives + self.detractors != self.n:
            problems.add("$.n", "must equal promoters + passives + detractors", "inconsistent")
            consistent = False
        score_ok = check_number(self.score, "$.score", problems, low=-100, high=100)
        if (
            consistent
            and score_ok
            and not _consistent(self.score, 100 * (self.promoters - self.detractors) / self.n)
        ):
            problems.add("$.score", "must equal 100 * (promoters - detractors) / n", "inconsistent")
        error_ok = check_number(self.standard_error, "$.standard_error", problems, low=0)
        if consistent and error_ok:
            expected = 100 * math.sqrt(
                _nps_variance(self.promoters, self.detractors, self.n) / self.n
            )
            if not _consistent(self.standard_error, expected):
                problems.add(
                    "$.standard_error",
                    "must equal 100 * sqrt((p + d - (p - d)**2) / n)",
                    "inconsistent",
                )
        _interval_within(self.interval, "$.interval", problems, -100.0, 100.0)
        check_choice(self.method, _NPS_METHODS, "$.method", problems)
        raise_problems(self, problems)


@attrs.frozen
class ComparisonResult(Tabular):
    """The difference between two scores, its standard error, a two-sided z-test and interval.

    ``n1`` and ``n2`` are the sample sizes; ``interval`` is the confidence
    interval of the difference, ``difference ± z * standard_error``.

    Attributes:
        difference: the first score minus the second.
        standard_error: the standard error of the difference.
        statistic: the z statistic, ``difference / standard_error``.
        p_value: the two-sided p-value of the z-test, from 0 to 1.
        method: the name of the test.
        n1: the size of the first sample, if known.
        n2: the size of the second sample, if known.
        interval: the confidence interval of the difference, if computed.

    Examples:
        >>> result = compare_nps([10, 9, 9, 7, 3], [10, 6, 5, 7, 3])
        >>> result.difference
        80.0
    """

    difference: float = attrs.field(default=REQUIRED)
    standard_error: float = attrs.field(default=REQUIRED)
    statistic: float = attrs.field(default=REQUIRED)
    p_value: float = attrs.field(default=REQUIRED)
    method: str = "unpooled z-test"
    n1: int | None = None
    n2: int | None = None
    interval: Interval | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_number(self.difference, "$.difference", problems)
        check_number(self.standard_error, "$.standard_error", problems, low=0)
        check_number(self.statistic, "$.statistic", problems)
        check_number(self.p_value, "$.p_value", problems, low=0, high=1)
        check_label(self.method, "$.method", problems)
        _check_optional_count(self.n1, "$.n1", problems)
        _check_optional_count(self.n2, "$.n2", problems)
        if self.interval is not None and not isinstance(self.interval, Interval):
            problems.add("$.interval", "must be an Interval (low, high, confidence)", "type")
        raise_problems(self, problems)


# ---------------------------------------------------------------- helpers


def _z(confidence: float) -> float:
    """The two-sided normal quantile; from the tail, so a confidence near 1 stays exact."""
    tail = (1 - float(confidence)) / 2
    return 0.0 if tail >= 0.5 else _upper_normal(tail)


def _upper_normal(tail: float) -> float:
    """The z with ``P(Z > z) = tail``; a tail that underflowed to 0 counts as the smallest."""
    return -_NORMAL.inv_cdf(max(tail, _SMALLEST))


def _normal_sf(z: float) -> float:
    """P(Z > z), accurate far into the upper tail."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def _check_confidence(confidence: object, problems: Problems, path: str = "$.confidence") -> None:
    check_number(confidence, path, problems, low=0, high=1, strict=True)


def _check_count(
    value: object, path: str, problems: Problems, *, minimum: int = 0, maximum: int = MAX_COUNT
) -> bool:
    return check_count(value, path, problems, minimum=minimum, maximum=maximum)


def _finite_or_refuse(path: str, *values: float) -> None:
    """Refuse inputs so extreme that the arithmetic overflowed (a result would not be finite)."""
    if not all(math.isfinite(value) for value in values):
        raise ValidationError.single(path, "holds values too large to compute with", "range")


def _wilson(successes: int, n: int, confidence: float) -> Interval:
    z = _z(confidence)
    p = successes / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(low, high, float(confidence))


def _ceil(value: float) -> int:
    return math.ceil(value - _CEIL_TOLERANCE)


# ---------------------------------------------------------------- proportions


def wilson_interval(successes: int, n: int, *, confidence: float = 0.95) -> Interval:
    """The Wilson score interval for a proportion, clipped to [0, 1].

    Better than the Wald interval for small samples and for shares near 0 or 1
    (Wilson 1927; Brown, Cai & DasGupta 2001). Agrees with
    ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    Examples:
        >>> interval = wilson_interval(9, 10)
        >>> round(interval.low, 4), round(interval.high, 4), interval.confidence
        (0.5958, 0.9821, 0.95)
        >>> wilson_interval(0, 20).low
        0.0

    Raises:
        InsufficientDataError: ``n == 0``.
        ValidationError: ``successes`` outside ``0..n``, or a confidence not in (0, 1).
    """
    problems = Problems()
    counts_ok = _check_count(successes, "$.successes", problems)
    n_ok = _check_count(n, "$.n", problems)
    if counts_ok and n_ok and successes > n:
        problems.add("$.successes", "must not exceed n", "inconsistent")
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    if n == 0:
        raise InsufficientDataError("a proportion of an empty sample (n = 0) is undefined")
    return _wilson(int(successes), int(n), float(confidence))


def _proportion(successes: int, n: int, confidence: float) -> ProportionResult:
    if n == 0:
        raise InsufficientDataError("a proportion of an empty sample (n = 0) is undefined")
    return ProportionResult(successes, n, successes / n, _wilson(successes, n, confidence))


def csat(
    ratings: Iterable[float | None],
    *,
    scale: int = 5,
    top_box: int = 2,
    confidence: float = 0.95,
    missing: str = "raise",
) -> ProportionResult:
    """Customer satisfaction: the share of ratings in the top ``top_box`` points of ``1..scale``.

    CSAT is a share, not a mean: on the usual 1-5 scale, the share of 4s and
    5s. The interval is Wilson's. ``ratings`` may be a list, a pandas Series
    or a numpy array; whole-number floats (``4.0``) count as their integer.
    A missing rating (``None``, NaN, ``pd.NA``) is a `ValidationError` with
    ``missing="raise"`` and is left out with ``missing="drop"``.

    Examples:
        >>> result = csat([5, 4, 4, 3, 5, 1, 4, 5, 2, 5])
        >>> result.value, result.n
        (0.7, 10)
        >>> csat([7, 6, 5, 4], scale=7, top_box=3).successes
        3

    Raises:
        InsufficientDataError: no ratings.
        ValidationError: a rating that is not an integer in ``1..scale``
            (its position named), or a bad scale, top box or confidence.
    """
    problems = Problems()
    _check_csat_arguments(scale, top_box, confidence, problems)
    drop = check_missing(missing, problems)
    problems.raise_if_any()
    counts = integer_counts(ratings, "$.ratings", 1, scale, drop, problems)
    problems.raise_if_any()
    return _proportion(sum(counts[scale - top_box :]), sum(counts), confidence)


def _check_csat_arguments(
    scale: object, top_box: object, confidence: object, problems: Problems
) -> None:
    scale_ok = _check_count(scale, "$.scale", problems, minimum=2, maximum=_MAX_SCALE)
    top_box_ok = _check_count(top_box, "$.top_box", problems, minimum=1, maximum=_MAX_SCALE)
    if top_box_ok and scale_ok and top_box >= scale:  # type: ignore[operator]
        problems.add("$.top_box", "must be smaller than the scale", "inconsistent")
    _check_confidence(confidence, problems)


def csat_from_counts(*, satisfied: int, n: int, confidence: float = 0.95) -> ProportionResult:
    """CSAT from counts: ``satisfied`` of ``n`` respondents gave a top-box rating.

    The same result as `csat` on the ratings the counts summarise, for when
    only the counts are at hand (a dashboard export, a published table).

    Examples:
        >>> result = csat_from_counts(satisfied=7, n=10)
        >>> result.value, result == csat([5, 4, 4, 3, 5, 1, 4, 5, 2, 5])
        (0.7, True)

    Raises:
        InsufficientDataError: ``n == 0``.
        ValidationError: counts that are not integers, ``satisfied > n``, or
            a bad confidence.
    """
    problems = Problems()
    satisfied_ok = _check_count(satisfied, "$.satisfied", problems)
    n_ok = _check_count(n, "$.n", problems)
    if satisfied_ok and n_ok and satisfied > n:
        problems.add("$.satisfied", "must not exceed n", "inconsistent")
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    return _proportion(int(satisfied), int(n), confidence)


def two_proportion_ztest(successes1: int, n1: int, successes2: int, n2: int) -> TestResult:
    """Two-sided z-test that two proportions are equal, with the pooled standard error.

    The same as ``statsmodels.stats.proportion.proportions_ztest`` with its
    defaults.

    Examples:
        >>> result = two_proportion_ztest(84, 100, 70, 100)
        >>> round(result.statistic, 4), round(result.p_value, 4)
        (2.3524, 0.0187)

    Raises:
        InsufficientDataError: an empty sample, or all or none successes in
            both (no variance).
        ValidationError: counts that are not integers or exceed their sample size.
    """
    problems = Problems()
    for index, (successes, n) in enumerate(((successes1, n1), (successes2, n2)), start=1):
        s_ok = _check_count(successes, f"$.successes{index}", problems)
        n_ok = _check_count(n, f"$.n{index}", problems)
        if s_ok and n_ok and successes > n:
            problems.add(f"$.successes{index}", f"must not exceed n{index}", "inconsistent")
    problems.raise_if_any()
    if n1 == 0 or n2 == 0:
        raise InsufficientDataError("both samples need at least one observation")
    pooled = (successes1 + successes2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        raise InsufficientDataError("the pooled proportion is 0 or 1: there is no variance")
    statistic = (successes1 / n1 - successes2 / n2) / math.sqrt(variance)
    return TestResult(
        statistic,
        _two_sided_p(statistic),
        "two-proportion z-test (pooled)",
        n1=int(n1),
        n2=int(n2),
    )


# ---------------------------------------------------------------- NPS


def _nps_groups(counts: Sequence[int]) -> tuple[int, int, int]:
    """Promoters (9-10), passives (7-8) and detractors (0-6) from the counts of each score."""
    return sum(counts[9:]), sum(counts[7:9]), sum(counts[:7])


def _nps_variance(promoters: float, detractors: float, n: float) -> float:
    p, d = promoters / n, detractors / n
    return p + d - (p - d) ** 2


def nps(
    scores: Iterable[float | None],
    *,
    confidence: float = 0.95,
    method: str = "wald",
    missing: str = "raise",
) -> NpsResult:
    """Net Promoter Score of 0-10 answers: ``100 * (share 9-10 - share 0-6)``.

    The per-respondent variance is ``p + d - (p - d)**2``, so the standard
    error is ``100 * sqrt(var / n)`` in NPS points.

    - ``method="wald"``: ``score ± z * standard_error``.
    - ``method="adjusted_wald"``: add 3/4 to the promoter and detractor counts
      and 3 to n, and centre the interval on that adjusted score with its
      variance (better coverage for small samples and extreme scores).

    Intervals are clipped to [-100, 100]. ``scores`` may be a list, a pandas
    Series or a numpy array; whole-number floats (``9.0``, as read from a
    CSV) count as their integer. A missing score (``None``, NaN, ``pd.NA``)
    is a `ValidationError` with ``missing="raise"`` and is left out with
    ``missing="drop"``. Positions in error paths count from 0 in iteration
    order, whatever a Series' index says.

    Examples:
        >>> result = nps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10])
        >>> result.score, round(result.standard_error, 3)
        (40.0, 25.298)
        >>> round(result.interval.low, 2), round(result.interval.high, 2)
        (-9.58, 89.58)
        >>> adjusted = nps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10], method="adjusted_wald")
        >>> round(adjusted.interval.low, 2), round(adjusted.interval.high, 2)
        (-12.59, 74.12)
        >>> nps([10.0, 9.0, None, 3.0], missing="drop").n
        3

    Raises:
        InsufficientDataError: no scores (after dropping missing ones).
        ValidationError: a score that is a bool, a fractional number or
            outside 0-10, or missing with ``missing="raise"`` (its position
            named), an unknown method or a bad confidence.
    """
    problems = Problems()
    _check_nps_arguments(confidence, method, problems)
    drop = check_missing(missing, problems)
    problems.raise_if_any()
    counts = integer_counts(scores, "$.scores", 0, 10, drop, problems)
    problems.raise_if_any()
    return _nps_result(*_nps_groups(counts), confidence, method)


def _check_nps_arguments(confidence: object, method: object, problems: Problems) -> None:
    _check_confidence(confidence, problems)
    check_choice(method, _NPS_METHODS, "$.method", problems)


def nps_from_counts(
    *,
    promoters: int,
    passives: int,
    detractors: int,
    confidence: float = 0.95,
    method: str = "wald",
) -> NpsResult:
    """Net Promoter Score from the number of promoters, passives and detractors.

    The same result as `nps` on the scores the counts summarise, for when
    only the counts are at hand. The counts are keyword-only, so that two
    of them cannot be swapped by accident.

    Examples:
        >>> result = nps_from_counts(promoters=6, passives=2, detractors=2)
        >>> result.score, result == nps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10])
        (40.0, True)

    Raises:
        InsufficientDataError: all three counts are 0.
        ValidationError: a count that is not an integer from 0 to 2**53 - 1,
            counts adding up to more than that, an unknown method or a bad
            confidence.
    """
    problems = Problems()
    groups = (("$.promoters", promoters), ("$.passives", passives), ("$.detractors", detractors))
    checked = [_check_count(count, path, problems) for path, count in groups]
    counts_ok = all(checked)
    if counts_ok and promoters + passives + detractors > MAX_COUNT:
        problems.add(
            "$.passives",
            f"promoters + passives + detractors must not exceed {MAX_COUNT} (2**53 - 1)",
            "range",
        )
    _check_nps_arguments(confidence, method, problems)
    problems.raise_if_any()
    return _nps_result(int(promoters), int(passives), int(detractors), confidence, method)


def _nps_result(
    promoters: int, passives: int, detractors: int, confidence: float, method: str
) -> NpsResult:
    n = promoters + passives + detractors
    if n == 0:
        raise InsufficientDataError("NPS of no responses is undefined")
    score = 100 * (promoters - detractors) / n
    standard_error = 100 * math.sqrt(_nps_variance(promoters, detractors, n) / n)
    z = _z(confidence)
    if method == "wald":
        centre, spread = score, standard_error
    else:
        adjusted_p, adjusted_d, adjusted_n = promoters + 0.75, detractors + 0.75, n + 3
        centre = 100 * (adjusted_p - adjusted_d) / adjusted_n
        spread = 100 * math.sqrt(_nps_variance(adjusted_p, adjusted_d, adjusted_n) / adjusted_n)
    interval = Interval(
        max(-100.0, centre - z * spread), min(100.0, centre + z * spread), float(confidence)
    )
    return NpsResult(n, promoters, passives, detractors, score, standard_error, interval, method)


def compare_nps(
    first: Iterable[float | None] | NpsResult,
    second: Iterable[float | None] | NpsResult,
    *,
    confidence: float = 0.95,
    missing: str = "raise",
) -> ComparisonResult:
    """Difference of two Net Promoter Scores with an unpooled two-sided z-test.

    ``difference = nps(first).score - nps(second).score``; standard error
    ``100 * sqrt(v1/n1 + v2/n2)`` with each sample's per-respondent variance;
    the interval of the difference is ``difference ± z * standard_error``,
    clipped to [-200, 200].

    Each side is a sample of 0-10 scores (read as `nps` reads them, with
    ``missing``) or an `NpsResult`, whose counts are used (its own interval
    and method play no part); a sample may be compared with a result.

    Examples:
        >>> this_month = [10] * 50 + [8] * 30 + [4] * 20
        >>> last_month = [10] * 40 + [8] * 30 + [4] * 30
        >>> result = compare_nps(this_month, last_month)
        >>> result.difference, round(result.standard_error, 3), round(result.p_value, 4)
        (20.0, 11.402, 0.0794)
        >>> compare_nps(nps(this_month), nps(last_month)) == result
        True

    Raises:
        InsufficientDataError: an empty sample, or no variance in either.
        ValidationError: a bad score in either sample (paths ``$.first[i]``,
            ``$.second[i]``).
    """
    problems = Problems()
    _check_confidence(confidence, problems)
    drop = check_missing(missing, problems)
    counts: list[tuple[int, int, int]] = []
    for path, side in (("$.first", first), ("$.second", second)):
        if isinstance(side, NpsResult):
            counts.append((side.promoters, side.passives, side.detractors))
        else:
            counts.append(_nps_groups(integer_counts(side, path, 0, 10, drop, problems)))
    problems.raise_if_any()
    (p1, q1, d1), (p2, q2, d2) = counts
    n1, n2 = p1 + q1 + d1, p2 + q2 + d2
    if n1 == 0 or n2 == 0:
        raise InsufficientDataError("both samples need at least one response")
    difference = 100 * (p1 - d1) / n1 - 100 * (p2 - d2) / n2
    variance = _nps_variance(p1, d1, n1) / n1 + _nps_variance(p2, d2, n2) / n2
    if variance == 0:
        raise InsufficientDataError("neither sample varies: the difference cannot be tested")
    standard_error = 100 * math.sqrt(variance)
    statistic = difference / standard_error
    spread = _z(confidence) * standard_error
    interval = Interval(
        max(-200.0, difference - spread), min(200.0, difference + spread), float(confidence)
    )
    return ComparisonResult(
        difference,
        standard_error,
        statistic,
        _two_sided_p(statistic),
        n1=n1,
        n2=n2,
        interval=interval,
    )


# ---------------------------------------------------------------- means and CES


def _student_t_sf(t: float, df: float) -> float:
    """P(T > t) for ``t >= 0``, from the tail itself, so small tails keep their digits."""
    square = t * t
    if square < df:
        # Near the centre, I_x(df/2, 1/2) with x = df/(df+t²) loses t²'s digits to rounding;
        # use the complementary form I_y(1/2, df/2) with y = t²/(df+t²) instead.
        return 0.5 - 0.5 * _betainc(0.5, df / 2, square / (df + square))
    return 0.5 * _betainc(df / 2, 0.5, df / (df + square))


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):
        return 1 - _betainc(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1) < 1e-16:
            break
    return math.exp(log_front) * fraction / a


def _student_t_isf(tail: float, df: float) -> float:
    """The ``t >= 0`` with ``P(T > t) = tail`` (Student's t), by bisection on the tail.

    The bracket is doubled from [0, 1] until it holds the quantile, then halved
    until it is as narrow as a double allows. Working on the tail probability
    keeps a confidence such as 0.9999999999999999 exact (its tail is 5.6e-17).
    """
    if tail >= 0.5:
        return 0.0
    low, high = 0.0, 1.0
    while _student_t_sf(high, df) > tail:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if _student_t_sf(middle, df) > tail:
            low = middle
        else:
            high = middle
        if high - low <= 1e-15 * max(1.0, high):
            break
    return (low + high) / 2


def _student_t_ppf(probability: float, df: float) -> float:
    """The quantile of Student's t: `_student_t_isf` on the nearer tail, by symmetry."""
    if probability >= 0.5:
        return _student_t_isf(1 - probability, df)
    return -_student_t_isf(probability, df)


def mean_interval(
    values: Iterable[float | None], *, confidence: float = 0.95, missing: str = "raise"
) -> MeanResult:
    """The mean of a sample with its Student t confidence interval.

    Computed in one pass (Welford's method). Agrees with
    ``statsmodels.stats.weightstats.DescrStatsW(values).tconfint_mean()``.
    ``values`` may be a list, a pandas Series or a numpy array; a missing
    value (``None``, NaN, ``pd.NA``) is a `ValidationError` with
    ``missing="raise"`` and is left out with ``missing="drop"``.

    Examples:
        >>> result = mean_interval([4.0, 5.0, 6.0])
        >>> result.value, result.standard_deviation
        (5.0, 1.0)
        >>> round(result.interval.low, 4), round(result.interval.high, 4)
        (2.5159, 7.4841)

    Raises:
        InsufficientDataError: no values (after dropping missing ones).
        ValidationError: a value that is not a finite number, or missing with
            ``missing="raise"``, or a bad confidence.
    """
    problems = Problems()
    _check_confidence(confidence, problems)
    drop = check_missing(missing, problems)
    numbers = finite_numbers(values, "$.values", drop, problems)
    problems.raise_if_any()
    n, mean, squares = 0, 0.0, 0.0
    for value in numbers:
        n += 1
        delta = value - mean
        mean += delta / n
        squares += delta * (value - mean)
    return _mean_result(n, mean, squares, confidence, "$.values")


def _mean_result(n: int, mean: float, squares: float, confidence: float, path: str) -> MeanResult:
    """The result for ``n`` values of mean ``mean`` whose squared deviations sum to ``squares``."""
    if n == 0:
        raise InsufficientDataError("the mean of an empty sample is undefined")
    _finite_or_refuse(path, mean, squares)
    if n == 1:
        return MeanResult(1, mean, None, None, None)
    deviation = math.sqrt(squares / (n - 1))
    error = deviation / math.sqrt(n)
    t = _student_t_isf((1 - float(confidence)) / 2, n - 1)
    low, high = mean - t * error, mean + t * error
    _finite_or_refuse(path, low, high)
    return MeanResult(n, mean, deviation, error, Interval(low, high, float(confidence)))


def ces(
    ratings: Iterable[float | None],
    *,
    scale: int = 7,
    method: str = "mean",
    threshold: int = 5,
    confidence: float = 0.95,
    missing: str = "raise",
) -> MeanResult | ProportionResult:
    """Customer Effort Score: agreement that the company made it easy, on ``1..scale``.

    - ``method="mean"``: the mean rating (a `MeanResult`, t interval).
    - ``method="top_box"``: the share of ratings ``>= threshold`` (a
      `ProportionResult`, Wilson interval).

    Report which one you used: the two are not comparable. ``ratings`` may
    be a list, a pandas Series or a numpy array; whole-number floats count as
    their integer; a missing rating is a `ValidationError` with
    ``missing="raise"`` and is left out with ``missing="drop"``.

    Examples:
        >>> ratings = [7, 6, 5, 5, 3, 7, 6, 2]
        >>> ces(ratings).value
        5.125
        >>> ces(ratings, method="top_box").value
        0.75

    Raises:
        InsufficientDataError: no ratings (after dropping missing ones).
        ValidationError: a rating that is not an integer in ``1..scale``, or
            missing with ``missing="raise"`` (its position named), an unknown
            method, or a threshold off the scale.
    """
    problems = Problems()
    _check_ces_arguments(scale, method, threshold, confidence, problems)
    drop = check_missing(missing, problems)
    problems.raise_if_any()
    counts = integer_counts(ratings, "$.ratings", 1, scale, drop, problems)
    problems.raise_if_any()
    return _ces_result(counts, method, threshold, confidence, "$.ratings")


def _check_ces_arguments(
    scale: object, method: object, threshold: object, confidence: object, problems: Problems
) -> bool:
    """Record every problem of the arguments; whether the scale itself is usable."""
    scale_ok = _check_count(scale, "$.scale", problems, minimum=2, maximum=_MAX_SCALE)
    check_choice(method, ("mean", "top_box"), "$.method", problems)
    threshold_ok = _check_count(threshold, "$.threshold", problems, minimum=1, maximum=_MAX_SCALE)
    if scale_ok and threshold_ok and threshold > scale:  # type: ignore[operator]
        problems.add("$.threshold", "must be on the scale", "inconsistent")
    _check_confidence(confidence, problems)
    return scale_ok


def _ces_result(
    counts: Sequence[int], method: str, threshold: int, confidence: float, path: str
) -> MeanResult | ProportionResult:
    """CES from the number of ratings of each point of the scale (1 first)."""
    n = sum(counts)
    if method == "top_box":
        return _proportion(sum(counts[threshold - 1 :]), n, confidence)
    if n == 0:
        raise InsufficientDataError("the mean of an empty sample is undefined")
    mean = math.fsum(rating * count for rating, count in enumerate(counts, start=1)) / n
    squares = math.fsum(
        count * (rating - mean) ** 2 for rating, count in enumerate(counts, start=1) if count
    )
    return _mean_result(n, mean, squares, confidence, path)


def ces_from_counts(
    counts: Mapping[int, int],
    *,
    scale: int = 7,
    method: str = "mean",
    threshold: int = 5,
    confidence: float = 0.95,
) -> MeanResult | ProportionResult:
    """Customer Effort Score from a frequency table: how many gave each rating.

    ``counts`` maps a rating of ``1..scale`` to the number of respondents who
    gave it (ratings left out count 0), such as
    ``df["effort"].value_counts()``; whole-number float ratings count as their
    integer. The same result as `ces` on the ratings the table summarises,
    computed without repeating them (the mean needs every rating's count, not
    only the top box).

    Examples:
        >>> table = {7: 2, 6: 2, 5: 2, 3: 1, 2: 1}
        >>> ces_from_counts(table).value, ces_from_counts(table, method="top_box").value
        (5.125, 0.75)
        >>> ces_from_counts(table) == ces([7, 6, 5, 5, 3, 7, 6, 2])
        True

    Raises:
        InsufficientDataError: no ratings (every count 0).
        ValidationError: a rating off the scale or given twice, a count that
            is not an integer from 0, counts adding up to more than 2**53 - 1,
            an unknown method, or a threshold off the scale.
    """
    problems = Problems()
    scale_ok = _check_ces_arguments(scale, method, threshold, confidence, problems)
    table = _frequency_table(counts, "$.counts", scale if scale_ok else _MAX_SCALE, problems)
    problems.raise_if_any()
    return _ces_result(table, method, threshold, confidence, "$.counts")


def _frequency_table(counts: object, path: str, scale: int, problems: Problems) -> list[int]:
    """``{rating: count}`` as the count of each rating from 1 to ``scale``; problems recorded."""
    table = [0] * scale
    items = getattr(counts, "items", None)
    if isinstance(counts, str | bytes) or not callable(items):
        problems.add(path, "must map ratings to counts", "type")
        return table
    try:
        pairs = list(items())
    except (TypeError, ValueError):
        pairs = None
    if pairs is None or not all(isinstance(pair, tuple) and len(pair) == 2 for pair in pairs):
        problems.add(path, "must map ratings to counts", "type")
        return table
    seen: set[int] = set()
    for key, count in pairs:
        rating = whole_number(key)
        rating_path = join_path(path, str(rating) if rating is not None else str(key))
        if rating is None or not 1 <= rating <= scale:
            problems.add(
                rating_path,
                f"not a rating: the keys must be integers from 1 to {scale}",
                "range" if rating is not None else "type",
            )
        elif rating in seen:
            problems.add(rating_path, "the same rating is given twice", "duplicate")
        elif _check_count(count, rating_path, problems):
            seen.add(rating)
            table[rating - 1] = int(count)
    if sum(table) > MAX_COUNT:
        problems.add(path, f"the counts must not add up to more than {MAX_COUNT}", "range")
    return table


# ---------------------------------------------------------------- rank test


def mann_whitney_u(
    x: Iterable[float | None],
    y: Iterable[float | None],
    *,
    alternative: str = "two-sided",
    missing: str = "raise",
) -> TestResult:
    """The Mann-Whitney U test: do values in ``x`` tend to be larger than in ``y``?

    ``statistic`` is U of ``x`` (the number of pairs in which the ``x`` value
    is larger, ties counting one half). The p-value is the normal
    approximation with tie and continuity correction, the same as
    ``scipy.stats.mannwhitneyu(x, y, method="asymptotic")``. Sorting makes it
    O(n log n). Either sample may be a list, a pandas Series or a numpy
    array; missing values are refused (``missing="raise"``) or left out
    (``missing="drop"``), like scipy's ``nan_policy="omit"``.

    Examples:
        >>> result = mann_whitney_u([5, 4, 5, 3, 5, 4], [3, 2, 4, 1, 3, 2])
        >>> result.statistic, round(result.p_value, 4)
        (33.0, 0.0175)
        >>> round(mann_whitney_u([5, 4, 5], [3, 2, 4], alternative="greater").p_value, 4)
        0.0578

    Raises:
        InsufficientDataError: either sample empty, or all values tied.
        ValidationError: a value that is not a finite number, or an unknown
            alternative.
    """
    problems = Problems()
    check_choice(alternative, _ALTERNATIVES, "$.alternative", problems)
    drop = check_missing(missing, problems)
    first = finite_numbers(x, "$.x", drop, problems)
    second = finite_numbers(y, "$.y", drop, problems)
    problems.raise_if_any()
    n1, n2 = len(first), len(second)
    if n1 == 0 or n2 == 0:
        raise InsufficientDataError("both samples need at least one value")
    pooled = sorted([(value, 0) for value in first] + [(value, 1) for value in second])
    n = n1 + n2
    rank_sum_x = 0.0
    tie_term = 0.0
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and pooled[stop][0] == pooled[start][0]:
            stop += 1
        ties = stop - start
        average_rank = (start + 1 + stop) / 2
        rank_sum_x += average_rank * sum(1 for _, group in pooled[start:stop] if group == 0)
        tie_term += ties**3 - ties
        start = stop
    u_x = rank_sum_x - n1 * (n1 + 1) / 2
    u_y = n1 * n2 - u_x
    spread = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    if spread == 0:
        raise InsufficientDataError("every value is tied: the test has no variance")
    if alternative == "greater":
        u, factor = u_x, 1
    elif alternative == "less":
        u, factor = u_y, 1
    else:
        u, factor = max(u_x, u_y), 2
    z = (u - n1 * n2 / 2 - 0.5) / spread
    p_value = min(1.0, max(0.0, factor * _normal_sf(z)))
    return TestResult(
        u_x, p_value, "Mann-Whitney U (normal approximation)", alternative, n1=n1, n2=n2
    )


# ---------------------------------------------------------------- sample sizes and power


def _sample_size(n0: float, population: int | None, path: str) -> int:
    """``n0`` rounded up, after the finite-population correction when ``population`` is given."""
    if n0 <= 1:  # one respondent is the least any estimate needs
        return 1
    if population is not None:
        if not math.isfinite(n0):
            return int(population)
        return _ceil(n0 / (1 + (n0 - 1) / population))
    if not math.isfinite(n0) or n0 > _MAX_SAMPLE:
        raise ValidationError.single(
            path, f"is too small: more than {_MAX_SAMPLE:,} respondents would be needed", "range"
        )
    return max(1, _ceil(n0))


def _quotient(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, infinite where the denominator underflowed to zero."""
    return numerator / denominator if denominator else math.inf


def _check_population(population: object, problems: Problems) -> None:
    if population is not None:
        _check_count(population, "$.population", problems, minimum=1)


def sample_size_for_proportion(
    margin: float,
    *,
    confidence: float = 0.95,
    p: float = 0.5,
    population: int | None = None,
) -> int:
    """Respondents needed to estimate a proportion within ``± margin``.

    ``n0 = z² p (1 - p) / margin²``, with the finite-population correction
    ``n0 / (1 + (n0 - 1) / N)`` when ``population`` is given, rounded up.
    ``p = 0.5`` is the worst case.

    Examples:
        >>> sample_size_for_proportion(0.05)
        385
        >>> sample_size_for_proportion(0.05, population=2_000)
        323
        >>> sample_size_for_proportion(0.03, confidence=0.99, p=0.8)
        1180

    Raises:
        ValidationError: a margin or p outside (0, 1), a bad confidence or population.
    """
    problems = Problems()
    check_number(margin, "$.margin", problems, low=0, high=1, strict=True)
    check_number(p, "$.p", problems, low=0, high=1, strict=True)
    _check_confidence(confidence, problems)
    _check_population(population, problems)
    problems.raise_if_any()
    z = _z(confidence)
    n0 = _quotient(z * z * float(p) * (1 - float(p)), float(margin) * float(margin))
    return _sample_size(n0, population, "$.margin")


def sample_size_for_nps(
    margin: float,
    *,
    confidence: float = 0.95,
    promoters: float = 0.5,
    detractors: float = 0.5,
    population: int | None = None,
) -> int:
    """Respondents needed to estimate an NPS within ``± margin`` points.

    ``n0 = z² var / (margin / 100)²`` with the per-respondent variance
    ``var = p + d - (p - d)²`` for the expected promoter share ``p`` and
    detractor share ``d``. The defaults (half promoters, half detractors)
    give the largest variance, 1, and so the safe size. The
    finite-population correction applies when ``population`` is given.

    Examples:
        >>> sample_size_for_nps(5)
        1537
        >>> sample_size_for_nps(5, promoters=0.45, detractors=0.15)
        784
        >>> sample_size_for_nps(10, population=500)
        218

    Raises:
        ValidationError: a margin outside (0, 200], shares outside [0, 1] or
            summing past 1, a bad confidence or population.
    """
    problems = Problems()
    if not is_finite_number(margin) or not 0 < margin <= 200:
        problems.add(
            "$.margin",
            "must be a number of NPS points above 0, at most 200",
            "range" if is_finite_number(margin) else "type",
        )
    shares_ok = True
    for path, share in (("$.promoters", promoters), ("$.detractors", detractors)):
        shares_ok = check_number(share, path, problems, low=0, high=1) and shares_ok
    if shares_ok and promoters + detractors > 1 + 1e-12:
        problems.add(
            "$.detractors", "promoters and detractors together must not exceed 1", "inconsistent"
        )
    _check_confidence(confidence, problems)
    _check_population(population, problems)
    problems.raise_if_any()
    variance = promoters + detractors - (promoters - detractors) ** 2
    if variance == 0:
        raise ValidationError.single(
            "$.promoters",
            "with all promoters or all detractors the score has no variance",
            "inconsistent",
        )
    z = _z(confidence)
    n0 = _quotient(z * z * float(variance), (float(margin) / 100) ** 2)
    return _sample_size(n0, population, "$.margin")


def _check_power_inputs(
    p1: float, p2: float, alpha: float, alternative: str, ratio: float, problems: Problems
) -> None:
    shares_ok = check_number(p1, "$.p1", problems, low=0, high=1, strict=True)
    shares_ok = check_number(p2, "$.p2", problems, low=0, high=1, strict=True) and shares_ok
    if shares_ok and p1 == p2:
        problems.add("$.p2", "must differ from p1: there is no change to detect", "inconsistent")
    check_number(alpha, "$.alpha", problems, low=0, high=1, strict=True)
    check_choice(alternative, _ALTERNATIVES, "$.alternative", problems)
    check_number(ratio, "$.ratio", problems, low=0, strict=True)


def _effect_size(p1: float, p2: float) -> float:
    """Cohen's h: the difference of arcsine-transformed proportions."""
    return 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))


def _power(effect: float, n1: float, ratio: float, alpha: float, alternative: str) -> float:
    second = n1 * ratio
    shift = effect * math.sqrt(1 / (1 / n1 + 1 / second)) if second > 0 else 0.0
    if alternative == "two-sided":
        critical = _upper_normal(alpha / 2)
        return _normal_sf(critical - shift) + _normal_sf(critical + shift)
    critical = _upper_normal(alpha)
    if alternative == "greater":
        return _normal_sf(critical - shift)
    return _normal_sf(critical + shift)


def power_two_proportions(
    p1: float,
    p2: float,
    n1: int,
    *,
    ratio: float = 1.0,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> float:
    """The power of a two-proportion z-test to detect ``p1`` against ``p2``.

    Uses Cohen's effect size ``h = 2 asin √p1 - 2 asin √p2`` and the normal
    approximation, with ``n1`` respondents in the first group and
    ``n1 * ratio`` in the second: the same as statsmodels'
    ``NormalIndPower().power(proportion_effectsize(p1, p2), n1, alpha, ratio)``.

    Examples:
        >>> round(power_two_proportions(0.80, 0.75, 500), 4)
        0.4745

    Raises:
        ValidationError: proportions outside (0, 1) or equal, a bad alpha,
            ratio, alternative or sample size.
    """
    problems = Problems()
    _check_power_inputs(p1, p2, alpha, alternative, ratio, problems)
    _check_count(n1, "$.n1", problems, minimum=1)
    problems.raise_if_any()
    p1, p2, alpha, ratio = float(p1), float(p2), float(alpha), float(ratio)
    return _power(_effect_size(p1, p2), int(n1), ratio, alpha, alternative)


def sample_size_two_proportions(
    p1: float,
    p2: float,
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    ratio: float = 1.0,
    alternative: str = "two-sided",
) -> int:
    """Respondents needed in the first group to detect a change from ``p2`` to ``p1``.

    The smallest ``n1`` for which `power_two_proportions` reaches ``power``
    (the second group has ``n1 * ratio``, rounded up by the caller).

    Examples:
        >>> sample_size_two_proportions(0.80, 0.75)
        1092
        >>> sample_size_two_proportions(0.80, 0.75, power=0.9, alternative="greater")
        1192

    Raises:
        ValidationError: proportions outside (0, 1) or equal, a power, alpha
            or ratio out of range, or an unknown alternative.
    """
    problems = Problems()
    _check_power_inputs(p1, p2, alpha, alternative, ratio, problems)
    check_number(power, "$.power", problems, low=0, high=1, strict=True)
    problems.raise_if_any()
    p1, p2, alpha, ratio, power = float(p1), float(p2), float(alpha), float(ratio), float(power)
    effect = _effect_size(p1, p2)
    if (alternative == "greater" and effect <= 0) or (alternative == "less" and effect >= 0):
        raise ValidationError.single(
            "$.alternative", "the change lies on the other side of the alternative", "inconsistent"
        )

    def reaches(n1: int) -> bool:
        return _power(effect, n1, ratio, alpha, alternative) >= power

    if reaches(1):
        return 1
    critical = _upper_normal(alpha / 2 if alternative == "two-sided" else alpha)
    try:
        estimate = ((critical - _upper_normal(power)) / abs(effect)) ** 2 * (1 + 1 / ratio)
    except (ZeroDivisionError, OverflowError):
        estimate = math.inf
    too_many = ValidationError.single(
        "$.p2",
        f"is too close to p1: more than {_MAX_SAMPLE:,} respondents would be needed",
        "range",
    )
    if not estimate <= _MAX_SAMPLE:
        raise too_many
    # Power grows with n1: bisect for the smallest n1 that reaches it, from the closed form's
    # estimate (close, but blind to the far tail of a two-sided test).
    low, high = 1, max(2, _ceil(estimate))
    while not reaches(high):
        low, high = high, high * 2
        if high > 2 * _MAX_SAMPLE:
            raise too_many
    while high - low > 1:
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle
    return high


# ---------------------------------------------------------------- percentiles


def percentile(values: Iterable[float | None], q: float, *, missing: str = "raise") -> float:
    """The ``q``-th percentile, interpolating linearly between closest ranks.

    R's type 7, numpy's default: with the values sorted, ``h = (n - 1) q / 100``
    and the result lies ``h - floor(h)`` of the way from the ``floor(h)``-th
    value to the next. ``values`` may be a list, a pandas Series or a numpy
    array; missing values are refused (``missing="raise"``) or left out
    (``missing="drop"``, as ``numpy.nanpercentile`` does).

    Examples:
        >>> percentile([15, 20, 35, 40, 50], 40)
        29.0
        >>> percentile([1, 2, 3, 4], 90)
        3.7

    Raises:
        InsufficientDataError: no values.
        ValidationError: a value that is not a finite number, or ``q``
            outside 0..100.
    """
    problems = Problems()
    check_number(q, "$.q", problems, low=0, high=100)
    drop = check_missing(missing, problems)
    numbers = finite_numbers(values, "$.values", drop, problems)
    problems.raise_if_any()
    if not numbers:
        raise InsufficientDataError("a percentile of an empty sample is undefined")
    return _percentile_of_sorted(sorted(numbers), float(q))


def _percentile_of_sorted(ordered: Sequence[float], q: float) -> float:
    position = (len(ordered) - 1) * (q / 100)  # numpy's order of operations, to the last bit
    below = math.floor(position)
    fraction = position - below
    if below + 1 >= len(ordered):
        return float(ordered[-1])
    low, high = ordered[below], ordered[below + 1]
    if not math.isfinite(high - low):  # the two values span more than a double holds
        return float(low * (1 - fraction) + high * fraction)
    # numpy's lerp: exact at both ends, symmetric around the middle.
    if fraction >= 0.5:
        return float(high - (high - low) * (1 - fraction))
    return float(low + (high - low) * fraction)
