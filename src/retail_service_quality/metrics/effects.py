"""Did a change work? Differences-in-differences of shares, ratings and Net Promoter Scores.

A unit that took an action (a store retrained its hotline staff) is measured
before and after it; so are units that took none. The before/after change of
the acting units mixes the action's effect with everything else that moved
meanwhile (the season, a price change, a new phone system for the whole
chain); the change of the others measures that part alone. The
difference-in-differences

    (after - before in the acting units) - (after - before in the others)

keeps the action's part. Its standard error adds the four cells' sampling
variances (the cells are independent samples):

- `did_proportions`: shares, each cell's variance ``p (1 - p) / n``;
- `did_ratings`: mean ratings from frequency tables on one 1..k scale, each
  cell's variance the table's variance (divided by ``n``) over ``n``;
- `did_nps`: Net Promoter Scores, each cell's variance that of the scores
  +100, 0 and -100 of its respondents, ``10000 (p + d - (p - d)^2) / n``, as
  `compare_nps` uses.

Each variance is the plug-in one (divided by ``n``, not ``n - 1``), so the
estimate and its standard error are exactly those of the interaction
coefficient of an ordinary least-squares regression of the respondents'
values on ``acting + after + acting:after`` with White's heteroskedasticity-
robust (HC0) covariance: the linear probability model, for shares. The
interval and p-value are the normal approximation's.

Examples:
    >>> effect = did_proportions(acting_before=(60, 100), acting_after=(80, 100),
    ...                          control_before=(60, 100), control_after=(65, 100))
    >>> round(effect.estimate, 2), round(effect.standard_error, 4), round(effect.p_value, 4)
    (0.15, 0.0931, 0.1073)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import attrs

from retail_service_quality._internal.checks import check_count, check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import REQUIRED, check_text, raise_problems
from retail_service_quality.errors import (
    InsufficientDataError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics.statistics import Interval, _two_sided_p, _z

__all__ = [
    "DIFFERENCE_KINDS",
    "DifferenceInDifferences",
    "did_nps",
    "did_proportions",
    "did_ratings",
]

DIFFERENCE_KINDS: Final[tuple[str, ...]] = ("proportion", "ratings", "nps")
"""What a difference-in-differences is of: shares, mean ratings or Net Promoter Scores."""

_CELLS: Final = ("acting_before", "acting_after", "control_before", "control_after")
_MAX_SCALE: Final = 1_000
_MAX_CASES: Final = 10**12
_NPS_POINTS: Final = 100.0
# Stored results are checked against their definitions to this tolerance.
_CONSISTENT: Final = 1e-9


@attrs.frozen(kw_only=True)
class DifferenceInDifferences(Tabular):
    """A difference-in-differences: the acting units' change less the others' change.

    ``estimate`` is ``(acting_after - acting_before) - (control_after -
    control_before)``; ``statistic`` is ``estimate / standard_error``, and
    ``p_value`` its two-sided normal p-value; ``interval`` is ``estimate ±
    z standard_error``.

    Attributes:
        kind: ``"proportion"``, ``"ratings"`` or ``"nps"``.
        acting_before: the acting units' value before (a share, a mean rating, an NPS).
        acting_before_n: the cases behind it.
        acting_after: the acting units' value after.
        acting_after_n: the cases behind it.
        control_before: the other units' value before.
        control_before_n: the cases behind it.
        control_after: the other units' value after.
        control_after_n: the cases behind it.
        estimate: the difference-in-differences.
        standard_error: its standard error, from the four cells' variances.
        interval: its normal confidence interval.
        statistic: the z statistic, ``estimate / standard_error``.
        p_value: the two-sided p-value of no difference.
        method: how it was computed, in words.

    Examples:
        >>> effect = did_ratings(acting_before=(2, 3, 5), acting_after=(1, 2, 7),
        ...                      control_before=(2, 3, 5), control_after=(2, 3, 5))
        >>> round(effect.estimate, 2), effect.kind
        (0.3, 'ratings')

    Raises:
        ValidationError: every problem, with its path.
    """

    kind: str = attrs.field(default=REQUIRED)
    acting_before: float = attrs.field(default=REQUIRED)
    acting_before_n: int = attrs.field(default=REQUIRED)
    acting_after: float = attrs.field(default=REQUIRED)
    acting_after_n: int = attrs.field(default=REQUIRED)
    control_before: float = attrs.field(default=REQUIRED)
    control_before_n: int = attrs.field(default=REQUIRED)
    control_after: float = attrs.field(default=REQUIRED)
    control_after_n: int = attrs.field(default=REQUIRED)
    estimate: float = attrs.field(default=REQUIRED)
    standard_error: float = attrs.field(default=REQUIRED)
    interval: Interval = attrs.field(default=REQUIRED)
    statistic: float = attrs.field(default=REQUIRED)
    p_value: float = attrs.field(default=REQUIRED)
    method: str = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.kind, str) or self.kind not in DIFFERENCE_KINDS:
            problems.add("$.kind", "must be one of: " + ", ".join(DIFFERENCE_KINDS), "type")
        values = []
        for cell in _CELLS:
            fine = check_number(getattr(self, cell), f"$.{cell}", problems)
            values.append(float(getattr(self, cell)) if fine else None)
            check_count(getattr(self, f"{cell}_n"), f"$.{cell}_n", problems, minimum=1)
        estimate_ok = check_number(self.estimate, "$.estimate", problems)
        if estimate_ok and None not in values:
            a0, a1, c0, c1 = values[0], values[1], values[2], values[3]
            expected = (a1 - a0) - (c1 - c0)  # type: ignore[operator]
            if not math.isclose(self.estimate, expected, rel_tol=_CONSISTENT, abs_tol=1e-12):
                problems.add(
                    "$.estimate",
                    "must be (acting_after - acting_before) - (control_after - control_before)",
                    "inconsistent",
                )
        check_number(self.standard_error, "$.standard_error", problems, low=0, strict=True)
        if not isinstance(self.interval, Interval):
            problems.add("$.interval", "must be an Interval", "type")
        check_number(self.statistic, "$.statistic", problems)
        check_number(self.p_value, "$.p_value", problems, low=0, high=1)
        check_text(self.method, "$.method", problems)
        raise_problems(self, problems)

    @property
    def acting_change(self) -> float:
        """``acting_after - acting_before``: the acting units' own change.

        Examples:
            >>> round(did_proportions(acting_before=(60, 100), acting_after=(80, 100),
            ...     control_before=(60, 100), control_after=(65, 100)).acting_change, 2)
            0.2
        """
        return self.acting_after - self.acting_before

    @property
    def control_change(self) -> float:
        """``control_after - control_before``: what moved without the action.

        Examples:
            >>> round(did_proportions(acting_before=(60, 100), acting_after=(80, 100),
            ...     control_before=(60, 100), control_after=(65, 100)).control_change, 2)
            0.05
        """
        return self.control_after - self.control_before


@attrs.frozen
class _Cell:
    """One cell's value, its plug-in variance per case, and its cases."""

    value: float
    variance: float
    n: int


def _result(
    kind: str, cells: Sequence[_Cell], confidence: float, method: str
) -> DifferenceInDifferences:
    a0, a1, c0, c1 = cells
    estimate = (a1.value - a0.value) - (c1.value - c0.value)
    variance = math.fsum(cell.variance / cell.n for cell in cells)
    if not variance > 0:
        raise InsufficientDataError(
            "no cell varies: the difference-in-differences has no standard error"
        )
    error = math.sqrt(variance)
    statistic = estimate / error
    reach = _z(confidence) * error
    if not all(math.isfinite(value) for value in (estimate, error, statistic, reach)):
        raise ValidationError.single("$", "holds values too large to compute with", "range")
    return DifferenceInDifferences(
        kind=kind,
        acting_before=a0.value,
        acting_before_n=a0.n,
        acting_after=a1.value,
        acting_after_n=a1.n,
        control_before=c0.value,
        control_before_n=c0.n,
        control_after=c1.value,
        control_after_n=c1.n,
        estimate=estimate,
        standard_error=error,
        interval=Interval(estimate - reach, estimate + reach, float(confidence)),
        statistic=statistic,
        p_value=min(1.0, _two_sided_p(statistic)),
        method=method,
    )


def _check_confidence(confidence: object, problems: Problems) -> None:
    if isinstance(confidence, bool):
        problems.add("$.confidence", "must be a number, not true or false", "type")
    else:
        check_number(confidence, "$.confidence", problems, low=0, high=1, strict=True)


def _empty(cells: dict[str, int]) -> None:
    empty = [name for name, n in cells.items() if n == 0]
    if empty:
        raise InsufficientDataError(
            "every cell needs at least one case; none in " + ", ".join(empty)
        )


def did_proportions(
    *,
    acting_before: tuple[int, int],
    acting_after: tuple[int, int],
    control_before: tuple[int, int],
    control_after: tuple[int, int],
    confidence: float = 0.95,
) -> DifferenceInDifferences:
    """The difference-in-differences of four shares, each given as ``(successes, n)``.

    Standard error ``sqrt(sum p (1 - p) / n)`` over the four cells (the four
    binomial variances); the same, to rounding, as the ``acting:after``
    coefficient of a linear probability model fitted by OLS with HC0
    standard errors.

    Examples:
        >>> effect = did_proportions(acting_before=(60, 100), acting_after=(80, 100),
        ...                          control_before=(60, 100), control_after=(65, 100))
        >>> round(effect.interval.low, 3), round(effect.interval.high, 3)
        (-0.033, 0.333)

    Raises:
        ValidationError: a cell that is not a pair of counts with successes at most n,
            or a bad confidence (every problem, with its path).
        InsufficientDataError: a cell without a case, or no cell varies.
    """
    problems = Problems()
    given = dict(
        zip(_CELLS, (acting_before, acting_after, control_before, control_after), strict=True)
    )
    pairs: dict[str, tuple[int, int]] = {}
    for name, pair in given.items():
        path = f"$.{name}"
        if isinstance(pair, str | bytes) or not isinstance(pair, tuple | list) or len(pair) != 2:
            problems.add(path, "must be a pair of counts: (successes, n)", "type")
            continue
        successes_ok = check_count(pair[0], join_path(path, 0), problems, maximum=_MAX_CASES)
        n_ok = check_count(pair[1], join_path(path, 1), problems, maximum=_MAX_CASES)
        if successes_ok and n_ok:
            if pair[0] > pair[1]:
                problems.add(join_path(path, 0), "must not exceed n", "inconsistent")
            else:
                pairs[name] = (int(pair[0]), int(pair[1]))
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    _empty({name: n for name, (_, n) in pairs.items()})
    cells = []
    for name in _CELLS:
        successes, n = pairs[name]
        share = successes / n
        cells.append(_Cell(share, share * (1 - share), n))
    return _result(
        "proportion",
        cells,
        confidence,
        "difference-in-differences of shares; standard error from the four binomial variances "
        "p(1-p)/n; normal interval and two-sided p-value",
    )


def _tables(given: dict[str, object], problems: Problems) -> dict[str, tuple[int, ...]]:
    tables: dict[str, tuple[int, ...]] = {}
    scale: int | None = None
    for name, table in given.items():
        path = f"$.{name}"
        if isinstance(table, str | bytes) or not isinstance(table, tuple | list):
            problems.add(path, "must be a list of counts, one per point of the scale", "type")
            continue
        if not 2 <= len(table) <= _MAX_SCALE:
            problems.add(
                path, f"must hold a count per point of a scale of 2 to {_MAX_SCALE}", "range"
            )
            continue
        fine = [
            check_count(count, join_path(path, index), problems, maximum=_MAX_CASES)
            for index, count in enumerate(table)
        ]
        if not all(fine):
            continue
        if scale is not None and len(table) != scale:
            problems.add(path, "must be on the same scale as acting_before", "inconsistent")
            continue
        scale = len(table) if scale is None else scale
        tables[name] = tuple(int(count) for count in table)
    return tables


def _table_cell(table: Sequence[int], scores: Sequence[float]) -> _Cell:
    n = sum(table)
    mean = math.fsum(score * count for score, count in zip(scores, table, strict=True)) / n
    variance = (
        math.fsum(count * (score - mean) ** 2 for score, count in zip(scores, table, strict=True))
        / n
    )
    return _Cell(mean, variance, n)


def did_ratings(
    *,
    acting_before: Sequence[int],
    acting_after: Sequence[int],
    control_before: Sequence[int],
    control_after: Sequence[int],
    confidence: float = 0.95,
) -> DifferenceInDifferences:
    """The difference-in-differences of four mean ratings, each from its frequency table.

    A table lists how many gave each rating of a 1..k scale, 1 first (``(0, 1,
    4, 10, 15)`` is 30 ratings on a 1-5 scale). Each cell's variance is its
    table's (divided by ``n``); the standard error is
    ``sqrt(sum variance / n)``: the ``acting:after`` coefficient of an OLS
    regression of the ratings with HC0 standard errors.

    Examples:
        >>> effect = did_ratings(acting_before=(1, 1, 2, 4, 2), acting_after=(0, 0, 2, 4, 4),
        ...                      control_before=(1, 1, 2, 4, 2), control_after=(1, 1, 2, 3, 3))
        >>> round(effect.acting_after, 2), round(effect.estimate, 2)
        (4.2, 0.6)

    Raises:
        ValidationError: a table that is not counts on a 1..k scale shared by the four,
            or a bad confidence (every problem, with its path).
        InsufficientDataError: a cell without a rating, or no cell varies.
    """
    problems = Problems()
    given = dict(
        zip(_CELLS, (acting_before, acting_after, control_before, control_after), strict=True)
    )
    tables = _tables(given, problems)  # type: ignore[arg-type]
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    _empty({name: sum(table) for name, table in tables.items()})
    scores = [float(point) for point in range(1, len(tables["acting_before"]) + 1)]
    return _result(
        "ratings",
        [_table_cell(tables[name], scores) for name in _CELLS],
        confidence,
        "difference-in-differences of mean ratings; standard error from the four frequency "
        "tables' variances over n; normal interval and two-sided p-value",
    )


def did_nps(
    *,
    acting_before: tuple[int, int, int],
    acting_after: tuple[int, int, int],
    control_before: tuple[int, int, int],
    control_after: tuple[int, int, int],
    confidence: float = 0.95,
) -> DifferenceInDifferences:
    """The difference-in-differences of four Net Promoter Scores, each given as
    ``(promoters, passives, detractors)``.

    Each respondent scores +100 (promoter), 0 (passive) or -100 (detractor),
    so a cell's NPS is their mean and its variance
    ``10000 (p + d - (p - d)^2)`` (``p`` and ``d`` the shares of promoters and
    detractors), as `compare_nps` uses; the standard error is
    ``sqrt(sum variance / n)``.

    Examples:
        >>> effect = did_nps(acting_before=(40, 30, 30), acting_after=(55, 25, 20),
        ...                  control_before=(40, 30, 30), control_after=(42, 30, 28))
        >>> effect.acting_after, round(effect.estimate, 1)
        (35.0, 21.0)

    Raises:
        ValidationError: a cell that is not three counts, or a bad confidence (every
            problem, with its path).
        InsufficientDataError: a cell without a response, or no cell varies.
    """
    problems = Problems()
    given = dict(
        zip(_CELLS, (acting_before, acting_after, control_before, control_after), strict=True)
    )
    counts: dict[str, tuple[int, int, int]] = {}
    for name, triple in given.items():
        path = f"$.{name}"
        if (
            isinstance(triple, str | bytes)
            or not isinstance(triple, tuple | list)
            or len(triple) != 3
        ):
            problems.add(path, "must be three counts: (promoters, passives, detractors)", "type")
            continue
        fine = [
            check_count(count, join_path(path, index), problems, maximum=_MAX_CASES)
            for index, count in enumerate(triple)
        ]
        if all(fine):
            counts[name] = (int(triple[0]), int(triple[1]), int(triple[2]))
    _check_confidence(confidence, problems)
    problems.raise_if_any()
    _empty({name: sum(triple) for name, triple in counts.items()})
    # (detractors, passives, promoters) scored -100, 0, +100
    cells = [
        _table_cell(
            (counts[name][2], counts[name][1], counts[name][0]), (-_NPS_POINTS, 0.0, _NPS_POINTS)
        )
        for name in _CELLS
    ]
    return _result(
        "nps",
        cells,
        confidence,
        "difference-in-differences of Net Promoter Scores; standard error from the four "
        "samples' variances of +100/0/-100 over n; normal interval and two-sided p-value",
    )
