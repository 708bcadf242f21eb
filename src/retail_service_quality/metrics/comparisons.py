"""Is it a real change? Comparisons of two groups with the right test, corrected for many.

A dashboard that colours every month-on-month movement, or every store against
every other, colours noise: at the 5% level one comparison in twenty is
"significant" when nothing changed. This module compares two groups (two
periods of one store, or two stores in one period) from their counts, picks
the test the kind of indicator calls for, and corrects a whole family of
comparisons at once with the Benjamini-Hochberg procedure, so that only real
changes are marked.

Each comparison is given as a *pair*: a label and the two groups' counts, one
small record per kind of indicator, so that stored frequency tables compare
without their rows:

- `ProportionPair`: successes of n (CSAT top box, service level, FCR,
  abandonment); the pooled two-proportion z-test, or Fisher's exact test
  when a cell of the 2x2 table expects fewer than 5.
- `RatingPair`: frequency tables on a 1..k scale; the Mann-Whitney U test
  with tie correction (normal approximation).
- `NpsPair`: promoters, passives and detractors; the unpooled z-test of the
  NPS difference (`compare_nps`).
- `MeanPair`: n, mean and sample variance (handle time, speed of answer);
  Welch's t-test.

The first group is the one looked at (this month, this store); the second is
what it is compared with. `compare` tests one pair; `compare_many` tests a
family and adjusts its p-values; `benjamini_hochberg` adjusts any list of
p-values. Nothing here reads storage: a report builds the pairs from its
counts (`pair_label` names a pair from two `IndicatorValue` groups).

Examples:
    >>> from retail_service_quality import ProportionPair, compare_many
    >>> pairs = [
    ...     ProportionPair(label="S1 2026-10 vs 2026-09", successes1=172, n1=200,
    ...                    successes2=150, n2=200),
    ...     ProportionPair(label="S2 2026-10 vs 2026-09", successes1=151, n1=200,
    ...                    successes2=150, n2=200),
    ... ]
    >>> [(c.label, c.change.value) for c in compare_many(pairs).comparisons.values()]
    [('S1 2026-10 vs 2026-09', 'better'), ('S2 2026-10 vs 2026-09', 'no_real_change')]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, Final

import attrs

from retail_service_quality._internal.checks import (
    MAX_COUNT,
    check_choice,
    check_count,
    check_number,
    is_finite_number,
    is_integer,
)
from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_enum,
    check_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import (
    InsufficientDataError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics._inputs import values_of, whole_number
from retail_service_quality.metrics.statistics import (
    NpsResult,
    _normal_sf,
    _student_t_sf,
    compare_nps,
    nps_from_counts,
    two_proportion_ztest,
)
from retail_service_quality.quality.indicators import Direction, IndicatorValue

__all__ = [
    "CORRECTIONS",
    "AdjustedPValue",
    "Comparison",
    "ComparisonChange",
    "ComparisonKind",
    "ComparisonSet",
    "MeanPair",
    "NpsPair",
    "PValueAdjustment",
    "ProportionPair",
    "RatingPair",
    "benjamini_hochberg",
    "compare",
    "compare_many",
    "pair_label",
]

CORRECTIONS: Final[tuple[str, ...]] = ("benjamini_hochberg", "none")
"""The corrections `compare_many` applies across a family of comparisons."""

# Below this many expected in a cell of the 2x2 table, proportions get Fisher's exact test.
_MIN_EXPECTED: Final = 5

_MAX_LABEL: Final = 200
_MAX_SCALE: Final = 1_000
# Fisher's exact test walks the table's support; larger supports are refused.
_MAX_SUPPORT: Final = 1_000_000
# Two probabilities of tables this close (relative) count as equal in Fisher's test.
_FISHER_TIE: Final = 1e-7
# Stored results are checked against their definitions to this tolerance.
_CONSISTENT: Final = 1e-9
# Welch's p-value comes from Fisher's expansion from this many degrees of freedom on, for t up
# to the reach (beyond it the p-value is below what a double holds either way).
_LARGE_DF: Final = 1e6
_EXPANSION_REACH: Final = 38.0
_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ComparisonKind(StrEnum):
    """What kind of indicator a comparison is of, and so which test it gets.

    Examples:
        >>> ComparisonKind("ratings") is ComparisonKind.RATINGS
        True
    """

    PROPORTION = "proportion"
    """A share: successes of n (two-proportion z-test, or Fisher's exact test)."""
    RATINGS = "ratings"
    """Ratings on a 1..k scale, as frequency tables (Mann-Whitney U)."""
    NPS = "nps"
    """A Net Promoter Score from its three counts (z-test of the difference)."""
    MEAN = "mean"
    """A mean from n, mean and variance (Welch's t-test)."""


class ComparisonChange(StrEnum):
    """What a comparison says about the first group against the second.

    Examples:
        >>> ComparisonChange.NO_REAL_CHANGE.value
        'no_real_change'
    """

    BETTER = "better"
    """A significant difference, in the direction that is better."""
    WORSE = "worse"
    """A significant difference, in the direction that is worse."""
    NO_REAL_CHANGE = "no_real_change"
    """No difference beyond noise (after the correction for many comparisons)."""
    NOT_ENOUGH_DATA = "not_enough_data"
    """The counts cannot give the test (an empty group, no variance): nothing is claimed."""


def _direction(value: Direction | str) -> Direction:
    return lenient_enum(Direction, value)


def _kind(value: ComparisonKind | str) -> ComparisonKind:
    return lenient_enum(ComparisonKind, value)


def _change(value: ComparisonChange | str) -> ComparisonChange:
    return lenient_enum(ComparisonChange, value)


def _count(value: object) -> Any:
    """numpy's integers as Python's, so that products of counts cannot overflow; else as given."""
    return int(value) if is_integer(value) else value


def _check_label(value: object, path: str, problems: Problems) -> None:
    check_text(value, path, problems)
    if isinstance(value, str) and not value.strip():
        problems.add(path, "must not be empty", "required")
    elif isinstance(value, str) and len(value) > _MAX_LABEL:
        problems.add(path, f"must be at most {_MAX_LABEL} characters", "range")


def _check_sum(paths_and_counts: Sequence[tuple[str, object]], problems: Problems) -> bool:
    """Check counts; whether all are fine and add up to at most `MAX_COUNT`."""
    checked = [check_count(count, path, problems) for path, count in paths_and_counts]
    fine = all(checked)
    if fine and sum(int(count) for _, count in paths_and_counts) > MAX_COUNT:  # type: ignore[call-overload]
        problems.add(
            paths_and_counts[-1][0], f"the counts must not add up to more than {MAX_COUNT}", "range"
        )
        return False
    return fine


# ---------------------------------------------------------------- pairs


@attrs.frozen(kw_only=True)
class ProportionPair:
    """Two shares to compare: ``successes1`` of ``n1`` against ``successes2`` of ``n2``.

    Compared with the pooled two-proportion z-test, or with Fisher's exact
    test when a cell of the 2x2 table expects fewer than 5 (see
    `compare`).

    Attributes:
        label: what is compared, as a dashboard shows it ("S1 2026-10 vs 2026-09").
        successes1: the first group's successes (satisfied, answered in time...).
        n1: the first group's cases, at least ``successes1``.
        successes2: the second group's successes.
        n2: the second group's cases, at least ``successes2``.
        direction: whether a larger share is better (``"higher"``) or worse (``"lower"``).

    Examples:
        >>> pair = ProportionPair(label="S1 vs S2", successes1=84, n1=100, successes2=70, n2=100)
        >>> compare(pair).change.value
        'better'
    """

    kind: ClassVar[ComparisonKind] = ComparisonKind.PROPORTION

    label: str = attrs.field(default=REQUIRED)
    successes1: int = attrs.field(default=REQUIRED, converter=_count)
    n1: int = attrs.field(default=REQUIRED, converter=_count)
    successes2: int = attrs.field(default=REQUIRED, converter=_count)
    n2: int = attrs.field(default=REQUIRED, converter=_count)
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=_direction)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_label(self.label, "$.label", problems)
        for index in (1, 2):
            successes, n = getattr(self, f"successes{index}"), getattr(self, f"n{index}")
            s_ok = check_count(successes, f"$.successes{index}", problems)
            n_ok = check_count(n, f"$.n{index}", problems)
            if s_ok and n_ok and successes > n:
                problems.add(f"$.successes{index}", f"must not exceed n{index}", "inconsistent")
        check_enum(self.direction, Direction, "$.direction", problems)
        raise_problems(self, problems)


def _counts(value: object) -> Any:
    """A sequence of counts as a tuple of ints where they are whole numbers; else as given."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable) or _keyed(value):
        return value
    problems = Problems()
    listed = list(values_of(value, "$", problems))
    if problems:
        return value
    return tuple(item if whole_number(item) is None else whole_number(item) for item in listed)


def _keyed(value: object) -> bool:
    """A mapping or a pandas Series: keyed by rating, in an order of its own."""
    return callable(getattr(value, "items", None))


def _check_table(table: object, path: str, problems: Problems) -> bool:
    if _keyed(table):
        problems.add(
            path,
            "must list the counts in rating order, 1 first, not map ratings to counts "
            "(for a Series, series.reindex(range(1, k + 1), fill_value=0).tolist())",
            "type",
        )
        return False
    if not isinstance(table, tuple):
        problems.add(path, "must be a list of counts, one per point of the scale", "type")
        return False
    if not 2 <= len(table) <= _MAX_SCALE:
        problems.add(path, f"must hold a count per point of a scale of 2 to {_MAX_SCALE}", "range")
        return False
    counts = [(join_path(path, index), count) for index, count in enumerate(table)]
    return _check_sum(counts, problems)


@attrs.frozen(kw_only=True)
class RatingPair:
    """Two frequency tables of ratings on one 1..k scale to compare.

    ``counts1[i]`` is how many in the first group gave the rating ``i + 1``
    (so ``(0, 1, 4, 10, 15)`` is 30 ratings on a 1-5 scale, 15 of them 5s).
    Compared with the Mann-Whitney U test computed from the tables, the same
    as `mann_whitney_u` on the ratings they count.

    Attributes:
        label: what is compared, as a dashboard shows it.
        counts1: the first group's count of each rating, from 1 to k.
        counts2: the second group's count of each rating, on the same scale.
        direction: whether higher ratings are better (``"higher"``) or worse (``"lower"``,
            as for a scale of effort).

    Examples:
        >>> pair = RatingPair(label="S1 vs S2", counts1=(0, 1, 4, 10, 15), counts2=(2, 3, 8, 9, 8))
        >>> compare(pair).first
        4.3
    """

    kind: ClassVar[ComparisonKind] = ComparisonKind.RATINGS

    label: str = attrs.field(default=REQUIRED)
    counts1: tuple[int, ...] = attrs.field(default=REQUIRED, converter=_counts)
    counts2: tuple[int, ...] = attrs.field(default=REQUIRED, converter=_counts)
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=_direction)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_label(self.label, "$.label", problems)
        first_ok = _check_table(self.counts1, "$.counts1", problems)
        second_ok = _check_table(self.counts2, "$.counts2", problems)
        if first_ok and second_ok and len(self.counts1) != len(self.counts2):
            problems.add("$.counts2", "must be on the same scale as counts1", "inconsistent")
        elif first_ok and second_ok and sum(self.counts1) + sum(self.counts2) > MAX_COUNT:
            problems.add(
                "$.counts2", f"the counts must not add up to more than {MAX_COUNT}", "range"
            )
        check_enum(self.direction, Direction, "$.direction", problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class NpsPair:
    """Two Net Promoter Scores to compare, each from its promoters, passives and detractors.

    Compared with the unpooled z-test of the difference (`compare_nps`).

    Attributes:
        label: what is compared, as a dashboard shows it.
        promoters1: the first group's promoters (9-10).
        passives1: the first group's passives (7-8).
        detractors1: the first group's detractors (0-6).
        promoters2: the second group's promoters.
        passives2: the second group's passives.
        detractors2: the second group's detractors.
        direction: whether a higher score is better (it is, unless stated otherwise).

    Examples:
        >>> pair = NpsPair(label="2026-10 vs 2026-09", promoters1=50, passives1=30,
        ...                detractors1=20, promoters2=40, passives2=30, detractors2=30)
        >>> compare(pair).difference
        20.0
    """

    kind: ClassVar[ComparisonKind] = ComparisonKind.NPS

    label: str = attrs.field(default=REQUIRED)
    promoters1: int = attrs.field(default=REQUIRED, converter=_count)
    passives1: int = attrs.field(default=REQUIRED, converter=_count)
    detractors1: int = attrs.field(default=REQUIRED, converter=_count)
    promoters2: int = attrs.field(default=REQUIRED, converter=_count)
    passives2: int = attrs.field(default=REQUIRED, converter=_count)
    detractors2: int = attrs.field(default=REQUIRED, converter=_count)
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=_direction)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_label(self.label, "$.label", problems)
        for index in (1, 2):
            names = (f"promoters{index}", f"passives{index}", f"detractors{index}")
            _check_sum([(f"$.{name}", getattr(self, name)) for name in names], problems)
        check_enum(self.direction, Direction, "$.direction", problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class MeanPair:
    """Two means to compare, each from its number of cases, mean and sample variance.

    ``variance`` is the sample variance (divided by ``n - 1``), the square
    of the standard deviation pandas' ``std()`` gives. Compared with Welch's
    t-test, which does not assume equal variances.

    Attributes:
        label: what is compared, as a dashboard shows it.
        n1: the first group's cases.
        mean1: the first group's mean.
        variance1: the first group's sample variance, at least 0.
        n2: the second group's cases.
        mean2: the second group's mean.
        variance2: the second group's sample variance, at least 0.
        direction: whether a larger mean is better (``"higher"``) or worse (``"lower"``,
            as for handle time or speed of answer).

    Examples:
        >>> pair = MeanPair(label="AHT S1 vs S2", n1=400, mean1=300.0, variance1=90.0**2,
        ...                 n2=380, mean2=320.0, variance2=100.0**2, direction="lower")
        >>> compare(pair).change.value
        'better'
    """

    kind: ClassVar[ComparisonKind] = ComparisonKind.MEAN

    label: str = attrs.field(default=REQUIRED)
    n1: int = attrs.field(default=REQUIRED, converter=_count)
    mean1: float = attrs.field(default=REQUIRED)
    variance1: float = attrs.field(default=REQUIRED)
    n2: int = attrs.field(default=REQUIRED, converter=_count)
    mean2: float = attrs.field(default=REQUIRED)
    variance2: float = attrs.field(default=REQUIRED)
    direction: Direction = attrs.field(default=Direction.HIGHER_IS_BETTER, converter=_direction)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_label(self.label, "$.label", problems)
        for index in (1, 2):
            check_count(getattr(self, f"n{index}"), f"$.n{index}", problems)
            check_number(getattr(self, f"mean{index}"), f"$.mean{index}", problems)
            check_number(getattr(self, f"variance{index}"), f"$.variance{index}", problems, low=0)
        check_enum(self.direction, Direction, "$.direction", problems)
        raise_problems(self, problems)


Pair = ProportionPair | RatingPair | NpsPair | MeanPair
_PAIRS: Final = (ProportionPair, RatingPair, NpsPair, MeanPair)


def pair_label(first: IndicatorValue, second: IndicatorValue) -> str:
    """A label for comparing two groups of one indicator: what they share, then how they differ.

    The grouping keys both share come first; those that differ are written
    ``first vs second``. Months show as ``2026-10``, weekdays as ``Mon``,
    hours as ``09h``.

    Examples:
        >>> from datetime import date
        >>> from retail_service_quality import IndicatorValue
        >>> october = IndicatorValue(indicator_id="csat", store_id="S1", month=date(2026, 10, 1))
        >>> september = IndicatorValue(indicator_id="csat", store_id="S1", month=date(2026, 9, 1))
        >>> pair_label(october, september)
        'csat S1 2026-10 vs 2026-09'
        >>> pair_label(october, IndicatorValue(indicator_id="csat", store_id="S2",
        ...                                    month=date(2026, 10, 1)))
        'csat 2026-10 S1 vs S2'

    Raises:
        ValidationError: either is not an `IndicatorValue`, or they are of
            different indicators.
    """
    problems = Problems()
    for path, value in (("$.first", first), ("$.second", second)):
        if not isinstance(value, IndicatorValue):
            problems.add(path, "must be an IndicatorValue", "type")
    if not problems and first.indicator_id != second.indicator_id:
        problems.add(
            "$.second.indicator_id", "must be the indicator of the first group", "inconsistent"
        )
    problems.raise_if_any()
    shared: list[str] = []
    first_parts: list[str] = []
    second_parts: list[str] = []
    for name in ("store_id", "channel", "business_unit", "staff_id", "month", "weekday", "hour"):
        one, other = _key_text(name, getattr(first, name)), _key_text(name, getattr(second, name))
        if one == other:
            if one is not None:
                shared.append(one)
        else:
            first_parts.append(one or "all")
            second_parts.append(other or "all")
    words = [first.indicator_id, *shared]
    if first_parts:
        words.append(f"{' '.join(first_parts)} vs {' '.join(second_parts)}")
    return " ".join(words)


def _key_text(name: str, value: object) -> str | None:
    if value is None:
        return None
    if name == "month" and isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    if name == "weekday" and isinstance(value, int):
        return _WEEKDAYS[value - 1]
    if name == "hour" and isinstance(value, int):
        return f"{value:02d}h"
    return str(value)


# ---------------------------------------------------------------- Benjamini-Hochberg


@attrs.frozen(kw_only=True)
class AdjustedPValue(Tabular):
    """One hypothesis of a `PValueAdjustment`: its p-value, adjusted p-value and verdict.

    Attributes:
        p_value: the p-value as given, from 0 to 1.
        adjusted_p_value: the adjusted p-value (q-value), from ``p_value`` to 1.
        rejected: whether the hypothesis is rejected at the family's ``alpha``.

    Examples:
        >>> benjamini_hochberg([0.02, 0.01]).tests[1].adjusted_p_value
        0.02
    """

    p_value: float = attrs.field(default=REQUIRED)
    adjusted_p_value: float = attrs.field(default=REQUIRED)
    rejected: bool = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        p_ok = check_number(self.p_value, "$.p_value", problems, low=0, high=1)
        q_ok = check_number(self.adjusted_p_value, "$.adjusted_p_value", problems, low=0, high=1)
        if p_ok and q_ok and self.adjusted_p_value < self.p_value * (1 - _CONSISTENT):
            problems.add("$.adjusted_p_value", "must be at least the p-value", "inconsistent")
        if not isinstance(self.rejected, bool):
            problems.add("$.rejected", "must be true or false", "type")
        raise_problems(self, problems)


def _freeze_positions(value: object) -> Any:
    """A list as a mapping from position; a mapping as a read-only copy; else as given."""
    if isinstance(value, list | tuple):
        return FrozenMap(enumerate(value))
    if isinstance(value, Mapping):
        return FrozenMap(value)
    return value


def _freeze_reasons(value: object) -> Any:
    """A mapping as a read-only copy; else as given."""
    return FrozenMap(value) if isinstance(value, Mapping) else value


def _check_positions(value: object, kind: type, path: str, problems: Problems) -> bool:
    """Record a problem unless ``value`` maps 0, 1, 2... in order to values of ``kind``."""
    if not isinstance(value, Mapping):
        problems.add(path, f"must map positions 0, 1, 2... to {kind.__name__} values", "type")
        return False
    fine = True
    for index, (key, item) in enumerate(value.items()):
        if key != index or isinstance(key, bool):
            problems.add(path, "must be keyed by position: 0, 1, 2... in order", "inconsistent")
            return False
        if not isinstance(item, kind):
            problems.add(join_path(path, index), f"must be a {kind.__name__}", "type")
            fine = False
    return fine


def _bh(p_values: Sequence[float], alpha: float) -> tuple[list[float], list[bool]]:
    """Benjamini-Hochberg adjusted p-values and rejections, in the input order.

    Step for step what statsmodels' ``multipletests(method="fdr_bh")`` does,
    so that the two agree to the last bit or nearly.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda index: p_values[index])
    ranked = [p_values[index] for index in order]
    factors = [(rank + 1) / m for rank in range(m)]
    last = max((rank for rank in range(m) if ranked[rank] <= factors[rank] * alpha), default=-1)
    adjusted_sorted = [p / factor for p, factor in zip(ranked, factors, strict=True)]
    for rank in range(m - 2, -1, -1):
        adjusted_sorted[rank] = min(adjusted_sorted[rank], adjusted_sorted[rank + 1])
    adjusted = [0.0] * m
    rejected = [False] * m
    for rank, index in enumerate(order):
        adjusted[index] = min(1.0, adjusted_sorted[rank])
        rejected[index] = rank <= last
    return adjusted, rejected


@attrs.frozen(kw_only=True)
class PValueAdjustment(Tabular):
    """p-values adjusted for many comparisons, with the hypotheses rejected at ``alpha``.

    One record per hypothesis, in the order given (``position`` from 0).
    ``adjusted_p_values()`` and ``rejected()`` give the two columns as tuples.

    Attributes:
        tests: each hypothesis's p-value, adjusted p-value and verdict, by position.
        alpha: the false discovery rate controlled, strictly between 0 and 1.
        method: the procedure that adjusted the p-values.

    Examples:
        >>> result = benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
        >>> [round(q, 4) for q in result.adjusted_p_values()], result.rejected()
        ([0.04, 0.0533, 0.0533, 0.2], (True, False, False, False))
    """

    _rows_from: ClassVar[str | None] = "tests"
    _row_key: ClassVar[str] = "position"

    tests: Mapping[int, AdjustedPValue] = attrs.field(default=REQUIRED, converter=_freeze_positions)
    alpha: float = attrs.field(default=REQUIRED)
    method: str = "Benjamini-Hochberg"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        tests_ok = _check_positions(self.tests, AdjustedPValue, "$.tests", problems)
        alpha_ok = check_number(self.alpha, "$.alpha", problems, low=0, high=1, strict=True)
        check_choice(self.method, ("Benjamini-Hochberg",), "$.method", problems)
        if tests_ok and not self.tests:
            problems.add("$.tests", "must hold at least one hypothesis", "required")
        elif tests_ok and alpha_ok:
            tests = list(self.tests.values())
            adjusted, rejected = _bh([test.p_value for test in tests], float(self.alpha))
            for index, test in enumerate(tests):
                path = join_path("$.tests", index)
                if not _close(test.adjusted_p_value, adjusted[index]):
                    problems.add(
                        join_path(path, "adjusted_p_value"),
                        "must be the Benjamini-Hochberg adjusted p-value",
                        "inconsistent",
                    )
                if test.rejected is not rejected[index]:
                    problems.add(
                        join_path(path, "rejected"),
                        "must follow from the Benjamini-Hochberg procedure at alpha",
                        "inconsistent",
                    )
        raise_problems(self, problems)

    def adjusted_p_values(self) -> tuple[float, ...]:
        """The adjusted p-values (q-values), in the order the p-values were given.

        Examples:
            >>> benjamini_hochberg([0.02, 0.01]).adjusted_p_values()
            (0.02, 0.02)
        """
        return tuple(test.adjusted_p_value for test in self.tests.values())

    def rejected(self) -> tuple[bool, ...]:
        """Whether each hypothesis is rejected, in the order the p-values were given.

        Examples:
            >>> benjamini_hochberg([0.02, 0.9]).rejected()
            (True, False)
        """
        return tuple(test.rejected for test in self.tests.values())


def _close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=_CONSISTENT, abs_tol=1e-15)


def benjamini_hochberg(p_values: Iterable[float], *, alpha: float = 0.05) -> PValueAdjustment:
    """Benjamini-Hochberg: adjust p-values to control the false discovery rate at ``alpha``.

    With the ``m`` p-values sorted, ``p(1) <= ... <= p(m)``, the adjusted
    p-value (q-value) of ``p(k)`` is ``min over j >= k of p(j) * m / j``,
    capped at 1; the hypotheses rejected are those of ``p(1)`` to ``p(K)``
    for the largest ``K`` with ``p(K) <= K / m * alpha`` (the same as an
    adjusted p-value at most ``alpha``). Of the changes it marks, at most a
    share ``alpha`` are expected to be noise, however many are tested
    (Benjamini and Hochberg 1995; the p-values independent or positively
    dependent). The same as statsmodels'
    ``multipletests(p_values, alpha, method="fdr_bh")``.

    ``p_values`` may be a list, a pandas Series or a numpy array; the
    results keep its order.

    Examples:
        >>> result = benjamini_hochberg([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074])
        >>> [round(q, 4) for q in result.adjusted_p_values()]
        [0.007, 0.028, 0.0588, 0.0588, 0.0588, 0.07, 0.074]
        >>> result.rejected()
        (True, True, False, False, False, False, False)

    Raises:
        ValidationError: no p-values, a p-value that is not a number from 0
            to 1 (each named by its position), or an alpha not strictly
            between 0 and 1.
    """
    problems = Problems()
    check_number(alpha, "$.alpha", problems, low=0, high=1, strict=True)
    numbers = _p_values(p_values, "$.p_values", problems)
    problems.raise_if_any()
    adjusted, rejected = _bh(numbers, float(alpha))
    return PValueAdjustment(
        tests=[
            AdjustedPValue(p_value=p, adjusted_p_value=q, rejected=r)
            for p, q, r in zip(numbers, adjusted, rejected, strict=True)
        ],
        alpha=float(alpha),
    )


def _p_values(values: object, path: str, problems: Problems) -> list[float]:
    found: list[float] = []
    if isinstance(values, Mapping):
        problems.add(path, "must be a list of p-values", "type")
        return found
    listed = values_of(values, path, problems)
    for index, value in enumerate(listed):
        if check_number(value, join_path(path, index), problems, low=0, high=1):
            found.append(float(value))  # type: ignore[arg-type]
    if not found and not problems:
        problems.add(path, "must hold at least one p-value", "required")
    return found


# ---------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class Comparison(Tabular):
    """Two groups compared: their values, the test, and whether the difference is real.

    ``difference`` is ``first - second``. ``p_value`` is the test's
    two-sided p-value; ``adjusted_p_value`` the one after the correction for
    the family the comparison was tested in (the same with ``correction
    "none"``). ``significant`` is whether the adjusted p-value reaches
    ``alpha``; ``change`` says which way that is, by the indicator's
    direction, or ``no_real_change``; with ``not_enough_data`` the test,
    its statistic and p-values are absent and ``note`` says why.

    Attributes:
        label: what is compared ("S1 2026-10 vs 2026-09").
        kind: the kind of indicator, which chose the test.
        first: the first group's value: its share, mean rating, NPS or mean; ``None``
            without a case.
        second: the second group's value, likewise.
        difference: ``first - second``, or ``None`` if either is missing.
        n1: the first group's cases.
        n2: the second group's cases.
        test: the test that gave the p-value, or ``""`` when there was none.
        statistic: the test statistic: z, U of the first group, t, or for Fisher's exact
            test the first group's successes; ``None`` without a test.
        p_value: the test's two-sided p-value, or ``None``.
        adjusted_p_value: the p-value adjusted across the family, or ``None``.
        significant: whether the adjusted p-value is at most ``alpha``.
        change: better, worse, no real change, or not enough data.
        direction: whether more of the indicator is better.
        alpha: the significance level (the false discovery rate, corrected).
        correction: ``"benjamini_hochberg"`` or ``"none"``.
        family_size: how many comparisons of the family were tested (those with a
            p-value): the number the correction spread over.
        note: why there is no test, or a remark on how it was done.

    Examples:
        >>> result = compare(ProportionPair(label="S1 vs S2", successes1=84, n1=100,
        ...                                 successes2=70, n2=100))
        >>> round(result.difference, 2), round(result.p_value, 4), result.change.value
        (0.14, 0.0187, 'better')
    """

    label: str = attrs.field(default=REQUIRED)
    kind: ComparisonKind = attrs.field(default=REQUIRED, converter=_kind)
    first: float | None = attrs.field(default=REQUIRED)
    second: float | None = attrs.field(default=REQUIRED)
    difference: float | None = attrs.field(default=REQUIRED)
    n1: int = attrs.field(default=REQUIRED)
    n2: int = attrs.field(default=REQUIRED)
    test: str = attrs.field(default=REQUIRED)
    statistic: float | None = attrs.field(default=REQUIRED)
    p_value: float | None = attrs.field(default=REQUIRED)
    adjusted_p_value: float | None = attrs.field(default=REQUIRED)
    significant: bool = attrs.field(default=REQUIRED)
    change: ComparisonChange = attrs.field(default=REQUIRED, converter=_change)
    direction: Direction = attrs.field(default=REQUIRED, converter=_direction)
    alpha: float = attrs.field(default=REQUIRED)
    correction: str = attrs.field(default=REQUIRED)
    family_size: int = attrs.field(default=REQUIRED)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_comparison(self, problems)
        raise_problems(self, problems)


def _optional_number(value: object, path: str, problems: Problems, **bounds: float) -> bool:
    """Whether ``value`` is a number that passed its checks (``None`` passes as absent)."""
    return value is not None and check_number(value, path, problems, **bounds)  # type: ignore[arg-type]


def _check_comparison(value: Comparison, problems: Problems) -> None:
    _check_label(value.label, "$.label", problems)
    check_enum(value.kind, ComparisonKind, "$.kind", problems)
    first_ok = _optional_number(value.first, "$.first", problems)
    second_ok = _optional_number(value.second, "$.second", problems)
    difference_ok = _optional_number(value.difference, "$.difference", problems)
    if first_ok and second_ok:
        expected = value.first - value.second  # type: ignore[operator]
        if not difference_ok or not _close(value.difference, expected):  # type: ignore[arg-type]
            problems.add("$.difference", "must equal first - second", "inconsistent")
    elif value.difference is not None and (value.first is None or value.second is None):
        problems.add("$.difference", "must be null without both values", "inconsistent")
    check_count(value.n1, "$.n1", problems)
    check_count(value.n2, "$.n2", problems)
    check_text(value.test, "$.test", problems)
    check_text(value.note, "$.note", problems)
    _optional_number(value.statistic, "$.statistic", problems)
    p_ok = _optional_number(value.p_value, "$.p_value", problems, low=0, high=1)
    q_ok = _optional_number(value.adjusted_p_value, "$.adjusted_p_value", problems, low=0, high=1)
    absent = [value.statistic is None, value.p_value is None, value.adjusted_p_value is None]
    if any(absent) and not all(absent):
        problems.add(
            "$.p_value",
            "statistic, p_value and adjusted_p_value must be given together or not at all",
            "inconsistent",
        )
    alpha_ok = check_number(value.alpha, "$.alpha", problems, low=0, high=1, strict=True)
    correction_ok = check_choice(value.correction, CORRECTIONS, "$.correction", problems)
    family_ok = check_count(value.family_size, "$.family_size", problems)
    if not isinstance(value.significant, bool):
        problems.add("$.significant", "must be true or false", "type")
    change_ok = isinstance(value.change, ComparisonChange)
    check_enum(value.change, ComparisonChange, "$.change", problems)
    check_enum(value.direction, Direction, "$.direction", problems)
    tested = value.p_value is not None
    if family_ok and tested and value.family_size < 1:
        problems.add("$.family_size", "must be at least 1 for a tested comparison", "inconsistent")
    if p_ok and q_ok:
        p, q = float(value.p_value), float(value.adjusted_p_value)  # type: ignore[arg-type]
        if q < p * (1 - _CONSISTENT):
            problems.add("$.adjusted_p_value", "must be at least the p-value", "inconsistent")
        elif correction_ok and value.correction == "none" and not _close(q, p):
            problems.add(
                "$.adjusted_p_value", "must equal the p-value without a correction", "inconsistent"
            )
        if alpha_ok and isinstance(value.significant, bool):
            alpha = float(value.alpha)
            if value.significant and q > alpha * (1 + _CONSISTENT):
                problems.add("$.significant", "must be false above alpha", "inconsistent")
            elif not value.significant and q < alpha * (1 - _CONSISTENT):
                problems.add("$.significant", "must be true at or below alpha", "inconsistent")
    if change_ok and isinstance(value.significant, bool):
        marked = value.change in (ComparisonChange.BETTER, ComparisonChange.WORSE)
        if (value.change is ComparisonChange.NOT_ENOUGH_DATA) == tested:
            problems.add(
                "$.change", "must be not_enough_data exactly when there is no test", "inconsistent"
            )
        elif marked != value.significant:
            problems.add(
                "$.change", "must be better or worse exactly when significant", "inconsistent"
            )
        elif marked and _against_the_effect(value):
            problems.add(
                "$.change",
                "must follow the sign of the difference and the direction",
                "inconsistent",
            )


def _against_the_effect(value: Comparison) -> bool:
    """Whether a change marked better or worse contradicts the sign of the effect tested.

    The effect is the difference, except for ratings, whose rank test says
    which group tends higher: U of the first group above or below ``n1 n2 / 2``.
    """
    if value.kind is ComparisonKind.RATINGS and is_finite_number(value.statistic):
        effect = value.statistic - value.n1 * value.n2 / 2
    elif is_finite_number(value.difference):
        effect = float(value.difference)
    else:
        return False
    if effect == 0 or not isinstance(value.direction, Direction):
        return False
    better = (effect > 0) == (value.direction is Direction.HIGHER_IS_BETTER)
    return better != (value.change is ComparisonChange.BETTER)


@attrs.frozen(kw_only=True)
class ComparisonSet(Tabular):
    """A family of comparisons tested together, their p-values corrected across the family.

    One record per comparison, in the order the pairs were given
    (``position`` from 0). Every comparison shares the family's ``alpha``,
    ``correction`` and ``family_size``; with ``"benjamini_hochberg"`` the
    adjusted p-values are those of `benjamini_hochberg` over the tested
    comparisons.

    Attributes:
        comparisons: each comparison, by position.
        left_out: the groups that were not compared, by label, each with the reason
            (measured in one period only, no sample evidence...): nothing is dropped
            unsaid. Not a column of the records.

    Examples:
        >>> family = compare_many([
        ...     ProportionPair(label="S1", successes1=84, n1=100, successes2=70, n2=100),
        ...     ProportionPair(label="S2", successes1=71, n1=100, successes2=70, n2=100),
        ... ])
        >>> [(row["position"], row["label"], row["change"]) for row in family.to_records()]
        [(0, 'S1', 'better'), (1, 'S2', 'no_real_change')]
    """

    _rows_from: ClassVar[str | None] = "comparisons"
    _row_key: ClassVar[str] = "position"

    comparisons: Mapping[int, Comparison] = attrs.field(
        default=REQUIRED, converter=_freeze_positions
    )
    left_out: Mapping[str, str] = attrs.field(
        factory=FrozenMap, converter=_freeze_reasons, metadata={"records": False}
    )

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if _check_positions(self.comparisons, Comparison, "$.comparisons", problems):
            _check_family(list(self.comparisons.values()), problems)
        if not isinstance(self.left_out, Mapping) or not all(
            isinstance(label, str) and isinstance(reason, str)
            for label, reason in self.left_out.items()
        ):
            problems.add("$.left_out", "must map labels to reasons, as text", "type")
        raise_problems(self, problems)

    def comparison(self, label: str) -> Comparison:
        """The comparison with that label.

        Examples:
            >>> family = compare_many([
            ...     ProportionPair(label="S1", successes1=84, n1=100, successes2=70, n2=100),
            ...     ProportionPair(label="S2", successes1=71, n1=100, successes2=70, n2=100),
            ... ])
            >>> family.comparison("S2").change.value
            'no_real_change'

        Raises:
            ValidationError: no comparison of the family has that label (at ``$.label``;
                one left out says why).
        """
        for comparison in self.comparisons.values():
            if comparison.label == label:
                return comparison
        reason = self.left_out.get(label) if isinstance(label, str) else None
        message = "is not the label of a comparison of this family"
        raise ValidationError.single(
            "$.label", message if reason is None else f"was left out: {reason}", "not_found"
        )

    def changes(self) -> list[Comparison]:
        """The comparisons marked better or worse: the real changes, in order.

        Examples:
            >>> family = compare_many([
            ...     ProportionPair(label="S1", successes1=84, n1=100, successes2=70, n2=100),
            ...     ProportionPair(label="S2", successes1=71, n1=100, successes2=70, n2=100),
            ... ])
            >>> [comparison.label for comparison in family.changes()]
            ['S1']
        """
        return [comparison for comparison in self.comparisons.values() if comparison.significant]


def _check_family(comparisons: Sequence[Comparison], problems: Problems) -> None:
    if not comparisons:
        return
    head = comparisons[0]
    labels: set[str] = set()
    for index, comparison in enumerate(comparisons):
        path = join_path("$.comparisons", index)
        if comparison.label in labels:
            problems.add(join_path(path, "label"), "repeats a label of the family", "duplicate")
        labels.add(comparison.label)
        for name in ("alpha", "correction", "family_size"):
            if getattr(comparison, name) != getattr(head, name):
                problems.add(
                    join_path(path, name), "must be the same for the whole family", "inconsistent"
                )
    if problems:
        return
    tested = [(index, c) for index, c in enumerate(comparisons) if c.p_value is not None]
    if head.family_size != len(tested):
        problems.add(
            join_path(join_path("$.comparisons", 0), "family_size"),
            "must be the number of tested comparisons",
            "inconsistent",
        )
    if head.correction != "benjamini_hochberg" or not tested:
        return
    adjusted, _ = _bh([float(c.p_value) for _, c in tested], float(head.alpha))  # type: ignore[arg-type]
    for (index, comparison), expected in zip(tested, adjusted, strict=True):
        if not _close(comparison.adjusted_p_value, expected):  # type: ignore[arg-type]
            problems.add(
                join_path(join_path("$.comparisons", index), "adjusted_p_value"),
                "must be the Benjamini-Hochberg adjusted p-value over the family",
                "inconsistent",
            )


# ---------------------------------------------------------------- the tests


@attrs.frozen
class _Tested:
    """One pair's values and raw test, before the family's correction."""

    first: float | None
    second: float | None
    n1: int
    n2: int
    test: str = ""
    statistic: float | None = None
    p_value: float | None = None
    effect: float = 0.0  # > 0: the first group tends higher; < 0: lower
    note: str = ""


def _share(successes: int, n: int) -> float | None:
    return successes / n if n else None


def _test_proportions(pair: ProportionPair) -> _Tested:
    s1, n1, s2, n2 = pair.successes1, pair.n1, pair.successes2, pair.n2
    tested = _Tested(_share(s1, n1), _share(s2, n2), n1, n2)
    if n1 == 0 or n2 == 0:
        return attrs.evolve(tested, note="both groups need at least one case")
    total = n1 + n2
    successes = s1 + s2
    expected = min(min(n1, n2) * min(successes, total - successes) / total, float(_MIN_EXPECTED))
    effect = s1 * n2 - s2 * n1
    if expected >= _MIN_EXPECTED:
        result = two_proportion_ztest(s1, n1, s2, n2)
        return attrs.evolve(
            tested, test=result.method, statistic=result.statistic, p_value=result.p_value,
            effect=float(effect),
        )  # fmt: skip
    p_value = _fisher_exact(s1, n1, s2, n2)
    if p_value is None:
        return attrs.evolve(
            tested,
            note="too few expected for the z-test and too many cases for the exact test",
        )
    return attrs.evolve(
        tested, test="Fisher's exact test", statistic=float(s1), p_value=p_value,
        effect=float(effect),
        note=f"a cell of the 2x2 table expects fewer than {_MIN_EXPECTED}",
    )  # fmt: skip


def _fisher_exact(s1: int, n1: int, s2: int, n2: int) -> float | None:
    """Two-sided Fisher's exact p-value: the tables no more likely than the one observed.

    The hypergeometric weights are built by their ratios from the first table
    of the support, so no factorial is computed; ``None`` if the support is
    too long to walk.
    """
    successes = s1 + s2
    low = max(0, successes - n2)
    high = min(n1, successes)
    if high - low > _MAX_SUPPORT:
        return None
    failures_total = n1 + n2 - successes
    # log-weights relative to the first table, by the ratio of consecutive probabilities
    logs = [0.0]
    for k in range(low, high):
        ratio = (n1 - k) * (successes - k) / ((k + 1) * (failures_total - n1 + k + 1))
        logs.append(logs[-1] + math.log(ratio))
    peak = max(logs)
    weights = [math.exp(value - peak) for value in logs]
    observed = weights[s1 - low]
    total = math.fsum(weights)
    tail = math.fsum(w for w in weights if w <= observed * (1 + _FISHER_TIE))
    return min(1.0, tail / total)


def _test_ratings(pair: RatingPair) -> _Tested:
    table1, table2 = pair.counts1, pair.counts2
    n1, n2 = sum(table1), sum(table2)
    tested = _Tested(_mean_rating(table1), _mean_rating(table2), n1, n2)
    if n1 == 0 or n2 == 0:
        return attrs.evolve(tested, note="both groups need at least one rating")
    n = n1 + n2
    rank_sum = 0.0
    tie_term = 0.0
    start = 0
    for count1, count2 in zip(table1, table2, strict=True):
        ties = count1 + count2
        if not ties:
            continue
        stop = start + ties
        rank_sum += (start + 1 + stop) / 2 * count1
        tie_term += ties**3 - ties
        start = stop
    u1 = rank_sum - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    spread = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)))) if n > 1 else 0.0
    if spread == 0:
        return attrs.evolve(tested, note="every rating is tied: the test has no variance")
    z = (max(u1, u2) - n1 * n2 / 2 - 0.5) / spread
    return attrs.evolve(
        tested, test="Mann-Whitney U (normal approximation)", statistic=u1,
        p_value=min(1.0, max(0.0, 2 * _normal_sf(z))), effect=u1 - u2,
    )  # fmt: skip


def _mean_rating(table: Sequence[int]) -> float | None:
    n = sum(table)
    if not n:
        return None
    return math.fsum(rating * count for rating, count in enumerate(table, start=1)) / n


def _test_nps(pair: NpsPair) -> _Tested:
    results: list[NpsResult | None] = []
    for index in (1, 2):
        try:
            results.append(
                nps_from_counts(
                    promoters=getattr(pair, f"promoters{index}"),
                    passives=getattr(pair, f"passives{index}"),
                    detractors=getattr(pair, f"detractors{index}"),
                )
            )
        except InsufficientDataError:
            results.append(None)
    first, second = results
    tested = _Tested(
        None if first is None else first.score,
        None if second is None else second.score,
        0 if first is None else first.n,
        0 if second is None else second.n,
    )
    if first is None or second is None:
        return attrs.evolve(tested, note="both groups need at least one response")
    try:
        result = compare_nps(first, second)
    except InsufficientDataError:
        return attrs.evolve(tested, note="neither group varies: the difference cannot be tested")
    return attrs.evolve(
        tested, test="NPS difference (unpooled z-test)", statistic=result.statistic,
        p_value=result.p_value, effect=result.difference,
    )  # fmt: skip


def _test_means(pair: MeanPair) -> _Tested:
    n1, n2 = pair.n1, pair.n2
    mean1, mean2 = float(pair.mean1), float(pair.mean2)
    tested = _Tested(mean1 if n1 else None, mean2 if n2 else None, n1, n2)
    if n1 < 2 or n2 < 2:
        return attrs.evolve(tested, note="both groups need at least two cases")
    share1, share2 = float(pair.variance1) / n1, float(pair.variance2) / n2
    variance = share1 + share2
    if variance == 0:
        return attrs.evolve(tested, note="neither group varies: the difference cannot be tested")
    difference = mean1 - mean2
    t = difference / math.sqrt(variance)
    # Welch-Satterthwaite, written with shares of the variance so that nothing overflows
    df = 1 / ((share1 / variance) ** 2 / (n1 - 1) + (share2 / variance) ** 2 / (n2 - 1))
    if not (math.isfinite(t) and math.isfinite(df)):
        raise ValidationError.single("$", "holds values too large to compute with", "range")
    return attrs.evolve(
        tested, test="Welch's t-test", statistic=t,
        p_value=_t_two_sided(t, df), effect=difference,
    )  # fmt: skip


def _t_two_sided(t: float, df: float) -> float:
    """The two-sided p-value of Student's t with ``df`` degrees of freedom.

    Beyond a million degrees of freedom the incomplete beta function loses
    digits to its log-gamma terms; there Fisher's expansion of Student's
    integral in powers of ``1 / df`` (Abramowitz and Stegun 26.7.5, four
    terms) is exact to the last few digits of a double.
    """
    t = abs(t)
    if df < _LARGE_DF or t > _EXPANSION_REACH:
        return min(1.0, 2 * _student_t_sf(t, df))
    terms = (
        (t**3 + t) / 4,
        (5 * t**7 + 16 * t**5 + 3 * t**3 - 3 * t) / 96,
        (3 * t**11 + 19 * t**9 + 17 * t**7 - 15 * t**5 - 45 * t**3 - 15 * t) / 384,
        (
            79 * t**15 + 776 * t**13 + 1482 * t**11 - 1920 * t**9 - 945 * t**7
            + 4440 * t**5 + 2745 * t**3 - 945 * t
        ) / 92160,
    )  # fmt: skip
    correction = math.fsum(term / df ** (power + 1) for power, term in enumerate(terms))
    density = math.exp(-t * t / 2) / math.sqrt(2 * math.pi)
    return min(1.0, 2 * (_normal_sf(t) + density * correction))


def _run(pair: Pair) -> _Tested:
    if isinstance(pair, ProportionPair):
        return _test_proportions(pair)
    if isinstance(pair, RatingPair):
        return _test_ratings(pair)
    if isinstance(pair, NpsPair):
        return _test_nps(pair)
    return _test_means(pair)


def _comparison(
    pair: Pair,
    tested: _Tested,
    adjusted: float | None,
    significant: bool,
    alpha: float,
    correction: str,
    family_size: int,
) -> Comparison:
    if tested.p_value is None:
        change = ComparisonChange.NOT_ENOUGH_DATA
    elif not significant:
        change = ComparisonChange.NO_REAL_CHANGE
    elif (tested.effect > 0) == (pair.direction is Direction.HIGHER_IS_BETTER):
        change = ComparisonChange.BETTER
    else:
        change = ComparisonChange.WORSE
    first, second = tested.first, tested.second
    return Comparison(
        label=pair.label,
        kind=pair.kind,
        first=first,
        second=second,
        difference=None if first is None or second is None else first - second,
        n1=tested.n1,
        n2=tested.n2,
        test=tested.test,
        statistic=tested.statistic,
        p_value=tested.p_value,
        adjusted_p_value=adjusted,
        significant=significant,
        change=change,
        direction=pair.direction,
        alpha=alpha,
        correction=correction,
        family_size=family_size,
        note=tested.note,
    )


def _pair_problem(pair: object, path: str, problems: Problems) -> None:
    if not isinstance(pair, _PAIRS):
        problems.add(path, "must be a ProportionPair, RatingPair, NpsPair or MeanPair", "type")


def compare(pair: Pair, *, alpha: float = 0.05) -> Comparison:
    """Compare two groups with the test their kind calls for, alone (no correction).

    The test follows the pair's type:

    - `ProportionPair`: the pooled two-proportion z-test
      (`two_proportion_ztest`); when a cell of the 2x2 table expects fewer
      than 5 (``min(n1, n2) * min(successes, failures) / n < 5``), Fisher's
      exact test instead, two-sided (the tables no more likely than the
      observed one), the same as ``scipy.stats.fisher_exact``.
    - `RatingPair`: the Mann-Whitney U test with tie and continuity
      correction, from the tables; the same as `mann_whitney_u` on the
      ratings and ``scipy.stats.mannwhitneyu(..., method="asymptotic")``.
    - `NpsPair`: the unpooled z-test of the NPS difference (`compare_nps`).
    - `MeanPair`: Welch's t-test, the same as
      ``scipy.stats.ttest_ind_from_stats(..., equal_var=False)`` (its
      p-value to 1e-9, relatively, up to 100,000 degrees of freedom and
      from ten million on; to 1e-8 in between).

    A group without a case, or two groups without variance, give a
    comparison with ``change`` ``not_enough_data`` and a note, not an
    error. To compare several at once, use `compare_many`, which corrects
    for their number.

    Examples:
        >>> result = compare(RatingPair(label="online vs phone",
        ...     counts1=(0, 1, 1, 5, 5), counts2=(1, 1, 4, 3, 1)))
        >>> result.statistic, round(result.p_value, 4), result.change.value
        (90.5, 0.0393, 'better')
        >>> compare(ProportionPair(label="tiny", successes1=0, n1=0, successes2=3,
        ...                        n2=4)).change.value
        'not_enough_data'

    Raises:
        ValidationError: ``pair`` is not one of the four pair types (``$.pair``),
            a bad alpha, or values so large that the arithmetic overflows.
    """
    try:
        return compare_many([pair], alpha=alpha, correction="none").comparisons[0]
    except ValidationError as error:  # name the argument given, not a family of one
        raise ValidationError(
            [
                attrs.evolve(problem, path="$.pair" + problem.path.removeprefix("$.pairs[0]"))
                if problem.path.startswith("$.pairs[0]")
                else problem
                for problem in error.problems
            ]
        ) from None


def compare_many(
    pairs: Iterable[Pair], *, alpha: float = 0.05, correction: str = "benjamini_hochberg"
) -> ComparisonSet:
    """Compare a family of pairs at once, correcting their p-values for how many there are.

    Each pair gets its test as in `compare`; then the p-values of every
    tested pair are adjusted together (``correction="benjamini_hochberg"``,
    the default: see `benjamini_hochberg`) and a comparison is
    ``significant`` when its adjusted p-value is at most ``alpha``. Marked
    changes then hold at most a share ``alpha`` of false alarms, however
    many cells the dashboard has; ``correction="none"`` tests each at
    ``alpha`` alone. Pairs with not enough data are left out of the family
    (``family_size`` counts the tested ones). Put in one call every
    comparison the reader will look at together, and no more: the
    correction is for the family shown.

    Pairs may be of different kinds; labels must be distinct.

    Examples:
        >>> october = {"S1": 101, "S2": 103, "S3": 98, "S4": 105, "S5": 97,
        ...            "S6": 102, "S7": 121, "S8": 99, "S9": 104, "S10": 130}
        >>> pairs = [ProportionPair(label=f"{store} 2026-10 vs 2026-09", successes1=satisfied,
        ...                         n1=200, successes2=100, n2=200)
        ...          for store, satisfied in october.items()]
        >>> [c.label for c in compare_many(pairs).changes()]
        ['S10 2026-10 vs 2026-09']
        >>> [c.label for c in compare_many(pairs, correction="none").changes()]
        ['S7 2026-10 vs 2026-09', 'S10 2026-10 vs 2026-09']

    Raises:
        ValidationError: a pair that is not one of the four types (``$.pairs[i]``),
            two pairs with one label, a bad alpha or correction.
    """
    problems = Problems()
    alpha_ok = check_number(alpha, "$.alpha", problems, low=0, high=1, strict=True)
    check_choice(correction, CORRECTIONS, "$.correction", problems)
    family: list[Pair] = []
    if isinstance(pairs, str | bytes | Mapping) or not isinstance(pairs, Iterable):
        problems.add("$.pairs", "must be a list of pairs", "type")
    else:
        labels: set[str] = set()
        for index, pair in enumerate(pairs):
            path = join_path("$.pairs", index)
            _pair_problem(pair, path, problems)
            if isinstance(pair, _PAIRS):
                if pair.label in labels:
                    problems.add(join_path(path, "label"), "repeats a label", "duplicate")
                labels.add(pair.label)
                family.append(pair)
    problems.raise_if_any()
    assert alpha_ok
    level = float(alpha)
    results: list[_Tested] = []
    for index, pair in enumerate(family):
        try:
            results.append(_run(pair))
        except ValidationError as error:
            raise ValidationError(
                [problem.under(join_path("$.pairs", index)) for problem in error.problems]
            ) from None
    tested = [index for index, result in enumerate(results) if result.p_value is not None]
    raw = [float(results[index].p_value) for index in tested]  # type: ignore[arg-type]
    if correction == "benjamini_hochberg" and raw:
        adjusted, rejected = _bh(raw, level)
    else:
        adjusted, rejected = raw, [p <= level for p in raw]
    verdicts = dict(zip(tested, zip(adjusted, rejected, strict=True), strict=True))
    comparisons = []
    for index, (pair, result) in enumerate(zip(family, results, strict=True)):
        q, significant = verdicts.get(index, (None, False))
        comparisons.append(
            _comparison(pair, result, q, significant, level, correction, len(tested))
        )
    return ComparisonSet(comparisons=comparisons)
