"""Survey instruments: SERVQUAL, SERVPERF and the reliability of their scales.

SERVQUAL (Parasuraman, Zeithaml & Berry 1988) asks 22 items twice: what
customers expect of an excellent retailer and what they perceive of this
one, each on a 1-7 scale. The items form five dimensions; the gap
``perception - expectation`` per dimension shows where service falls short
of what customers expect (the "gap 5" of the gaps model). SERVPERF (Cronin &
Taylor 1992) uses the perceptions alone.

Scores are computed per respondent and dimension (the mean of the items
present), then averaged over respondents; the unweighted SERVQUAL score is
the mean of the five dimension gaps, not of the 22 item gaps (the dimensions
have four or five items). The 1988 instrument words items 10-13 and 18-22
negatively: pass them as ``reverse_items`` to score them ``scale + 1 - x``.

Examples:
    >>> from retail_service_quality import ServqualResponse, servqual
    >>> expect = {item: 6 for item in range(1, 23)}
    >>> perceive = {item: 5 for item in range(1, 23)} | {5: 3, 6: 3}
    >>> result = servqual([ServqualResponse(expect, perceive)])
    >>> result.dimensions["reliability"].gap, result.dimensions["empathy"].gap
    (-1.8, -1.0)
    >>> round(result.unweighted, 2)
    -1.16
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import (
    check_choice,
    check_count,
    check_label,
    check_number,
    is_finite_number,
    is_integer,
)
from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import schema
from retail_service_quality._internal.validation import REQUIRED, raise_problems
from retail_service_quality.errors import (
    InsufficientDataError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics._inputs import (
    TableLike,
    check_missing,
    is_missing,
    rows_of,
    whole_number,
)

__all__ = [
    "SERVQUAL_DIMENSIONS",
    "DimensionScore",
    "ReliabilityResult",
    "ReliabilityScore",
    "ServperfResult",
    "ServqualResponse",
    "ServqualResult",
    "cronbach_alpha",
    "servperf",
    "servqual",
    "servqual_reliability",
]

SERVQUAL_DIMENSIONS: Final[Mapping[str, tuple[int, ...]]] = FrozenMap(
    {
        "tangibles": (1, 2, 3, 4),
        "reliability": (5, 6, 7, 8, 9),
        "responsiveness": (10, 11, 12, 13),
        "assurance": (14, 15, 16, 17),
        "empathy": (18, 19, 20, 21, 22),
    }
)
"""The five SERVQUAL dimensions and their item numbers (1988 instrument)."""

_DIMENSION_OF: Final = {item: name for name, items in SERVQUAL_DIMENSIONS.items() for item in items}
_WEIGHT_TOLERANCE: Final = 0.01
# The largest scale a survey may use.
_MAX_SCALE: Final = 1_000
# Results are checked against their formulas to this tolerance (relative and absolute).
_CONSISTENT: Final = 1e-9


def _whole_or_same(value: Any) -> Any:
    number = whole_number(value)
    return value if number is None else number


def _freeze_scores(value: Mapping[int, int]) -> Mapping[int, int]:
    """A read-only copy; whole-number floats (``7.0``, as pandas reads them) become integers.

    Anything with ``items()``, such as a pandas Series indexed by item number, is read as a
    mapping.
    """
    items = getattr(value, "items", None)
    if isinstance(value, str | bytes) or not callable(items):
        return value
    try:
        pairs: list[tuple[Any, Any]] = list(items())
        return FrozenMap({_whole_or_same(item): _whole_or_same(score) for item, score in pairs})
    except (TypeError, ValueError):
        return value


def _freeze_weights(value: Mapping[str, float] | None) -> Mapping[str, float] | None:
    return FrozenMap(value) if isinstance(value, Mapping) else value


def _check_items(scores: object, path: str, problems: Problems) -> None:
    """Item numbers 1-22 mapped to integer scores of at least 1 (the scale is checked later)."""
    if not isinstance(scores, Mapping):
        problems.add(path, "must map item numbers (1-22) to scores", "type")
        return
    for item, score in scores.items():
        item_path = join_path(path, str(int(item)) if is_integer(item) else str(item))
        if not is_integer(item) or item not in _DIMENSION_OF:
            problems.add(item_path, "not a SERVQUAL item (1-22)", _item_code(item))
        elif is_missing(score):
            problems.add(item_path, _UNANSWERED, "required")
        elif not is_integer(score) or score < 1:
            problems.add(
                item_path,
                "must be an integer score of at least 1",
                "range" if is_integer(score) else "type",
            )


_UNANSWERED: Final = "is missing: leave an unanswered item out of the mapping"


def _item_code(item: object) -> str:
    return "range" if is_integer(item) else "type"


# The JSON Schema of a response's fields: item numbers as keys, scores of at least 1, and
# non-negative points keyed by dimension (the top of the scale and the total are not expressed).
_ITEM_SCORES: Final = schema(
    propertyNames={"pattern": "^(?:" + "|".join(map(str, sorted(_DIMENSION_OF))) + ")$"},
    additionalProperties={"minimum": 1},
)
_DIMENSION_POINTS: Final = schema(
    propertyNames={"enum": list(SERVQUAL_DIMENSIONS)}, additionalProperties={"minimum": 0}
)


@attrs.frozen
class ServqualResponse:
    """One respondent's answers: item number to score, for expectations and perceptions.

    ``weights``, if given, are the 100 points the respondent spread over the
    five dimensions to say how much each matters to them. Leave
    ``expectations`` empty for a perceptions-only (SERVPERF) survey.

    Items must be 1 to 22, scores integers of at least 1 (the top of the
    scale is checked when the responses are analysed), and weights
    non-negative points per dimension adding up to 100 (within 0.01).

    Attributes:
        expectations: item number (1 to 22) to the score the respondent expects of an
            excellent service; empty for a perceptions-only (SERVPERF) survey.
        perceptions: item number (1 to 22) to the score the respondent gives this
            service.
        weights: SERVQUAL dimension to the points (of 100) the respondent gave it, or
            ``None``.

    Examples:
        >>> response = ServqualResponse({1: 7, 2: 6}, {1: 5, 2: 6}, weights={"tangibles": 100})
        >>> response.perceptions[1], response.weights["tangibles"]
        (5, 100)
    """

    expectations: Mapping[int, int] = attrs.field(
        default=REQUIRED, converter=_freeze_scores, metadata=_ITEM_SCORES
    )
    perceptions: Mapping[int, int] = attrs.field(
        default=REQUIRED, converter=_freeze_scores, metadata=_ITEM_SCORES
    )
    weights: Mapping[str, float] | None = attrs.field(
        default=None, converter=_freeze_weights, metadata=_DIMENSION_POINTS
    )

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_items(self.expectations, "$.expectations", problems)
        _check_items(self.perceptions, "$.perceptions", problems)
        _check_weights(self.weights, "$.weights", problems)
        raise_problems(self, problems)


@attrs.frozen
class DimensionScore(Tabular):
    """Mean expectation, perception and gap (perception - expectation) of one dimension.

    Each is a mean over the respondents who answered the dimension on that
    side (on both sides, for the gap); ``respondents`` counts the latter.

    Attributes:
        expectation: the mean expectation score of the dimension.
        perception: the mean perception score of the dimension.
        gap: the mean gap, perception minus expectation (below 0: the service falls
            short).
        respondents: how many respondents answered the dimension on both sides.

    Examples:
        >>> DimensionScore(expectation=6.2, perception=5.1, gap=-1.1, respondents=40).gap
        -1.1
    """

    expectation: float = attrs.field(default=REQUIRED)
    perception: float = attrs.field(default=REQUIRED)
    gap: float = attrs.field(default=REQUIRED)
    respondents: int = 0

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_number(self.expectation, "$.expectation", problems)
        check_number(self.perception, "$.perception", problems)
        check_number(self.gap, "$.gap", problems)
        check_count(self.respondents, "$.respondents", problems)
        raise_problems(self, problems)


def _freeze_dimensions(value: Mapping[str, DimensionScore]) -> Mapping[str, DimensionScore]:
    return FrozenMap(value) if isinstance(value, Mapping) else value


def _freeze_reliability(
    value: Mapping[str, ReliabilityScore],
) -> Mapping[str, ReliabilityScore]:
    return FrozenMap(value) if isinstance(value, Mapping) else value


def _check_dimensions(
    dimensions: object, valid: Callable[[object], bool], what: str, problems: Problems
) -> bool:
    """The five SERVQUAL dimensions, each mapped to a valid value; whether that held."""
    if not isinstance(dimensions, Mapping):
        problems.add("$.dimensions", f"must map the five SERVQUAL dimensions to {what}", "type")
        return False
    ok = True
    for name in dimensions:
        if name not in SERVQUAL_DIMENSIONS:
            problems.add(
                join_path("$.dimensions", str(name)), "not a SERVQUAL dimension", "unknown_choice"
            )
            ok = False
    for name in SERVQUAL_DIMENSIONS:
        path = join_path("$.dimensions", name)
        if name not in dimensions:
            problems.add(path, "required", "required")
            ok = False
        elif not valid(dimensions[name]):
            problems.add(path, f"must be {what}", "type")
            ok = False
    return ok


def _is_dimension_score(value: object) -> bool:
    return isinstance(value, DimensionScore)


def _check_summary(
    result: ServqualResult | ServperfResult, overall: str, problems: Problems
) -> None:
    check_count(result.n, "$.n", problems, minimum=1)
    check_number(getattr(result, overall), join_path("$", overall), problems)
    if result.weighted is not None:
        check_number(result.weighted, "$.weighted", problems)
    check_count(result.scale, "$.scale", problems, minimum=2, maximum=_MAX_SCALE)
    check_label(result.method, "$.method", problems)


def _mean_consistent(value: object, parts: Iterable[float]) -> bool:
    expected = math.fsum(parts) / len(SERVQUAL_DIMENSIONS)
    return math.isclose(value, expected, rel_tol=_CONSISTENT, abs_tol=_CONSISTENT)  # type: ignore[arg-type]


@attrs.frozen
class ServqualResult(Tabular):
    """SERVQUAL scores: per dimension, unweighted and (where all gave weights) weighted.

    Attributes:
        n: the number of responses.
        dimensions: each SERVQUAL dimension (tangibles, reliability, responsiveness,
            assurance, empathy) to its mean expectation, perception and gap.
        unweighted: the mean of the five dimension gaps.
        weighted: the gaps weighted by the respondents' points, or ``None`` unless every
            respondent gave weights.
        scale: the top of the answer scale (7 for answers from 1 to 7).
        method: how the scores were computed.

    Examples:
        >>> from retail_service_quality import ServqualResponse, servqual
        >>> same = {item: 5 for item in range(1, 23)}
        >>> result = servqual([ServqualResponse(same, same)])
        >>> result.n, result.unweighted, result.weighted
        (1, 0.0, None)
    """

    _rows_from = "dimensions"
    _row_key = "dimension"

    n: int = attrs.field(default=REQUIRED)
    dimensions: Mapping[str, DimensionScore] = attrs.field(
        default=REQUIRED, converter=_freeze_dimensions
    )
    unweighted: float = attrs.field(default=REQUIRED)
    weighted: float | None = attrs.field(default=REQUIRED)
    scale: int = 7
    method: str = "SERVQUAL"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        dimensions_ok = _check_dimensions(
            self.dimensions, _is_dimension_score, "a DimensionScore", problems
        )
        before = len(problems)
        _check_summary(self, "unweighted", problems)
        if (
            dimensions_ok
            and len(problems) == before
            and not _mean_consistent(self.unweighted, (d.gap for d in self.dimensions.values()))
        ):
            problems.add(
                "$.unweighted", "must be the mean of the five dimension gaps", "inconsistent"
            )
        raise_problems(self, problems)


def _freeze_floats(value: Mapping[str, float]) -> Mapping[str, float]:
    return FrozenMap(value) if isinstance(value, Mapping) else value


@attrs.frozen
class ServperfResult(Tabular):
    """SERVPERF scores: mean perception per dimension, overall and weighted.

    ``overall`` is the mean of the five dimension means.

    Attributes:
        n: the number of responses.
        dimensions: each SERVQUAL dimension (tangibles, reliability, responsiveness,
            assurance, empathy) to its mean perception score.
        overall: the mean of the five dimension means.
        weighted: the dimension means weighted by the respondents' points, or ``None``
            unless every respondent gave weights.
        scale: the top of the answer scale (7 for answers from 1 to 7).
        method: how the scores were computed.

    Examples:
        >>> from retail_service_quality import ServqualResponse, servperf
        >>> result = servperf([ServqualResponse({}, {item: 6 for item in range(1, 23)})])
        >>> result.overall
        6.0
    """

    _rows_from = "dimensions"
    _row_key = "dimension"
    _row_value = "perception"

    n: int = attrs.field(default=REQUIRED)
    dimensions: Mapping[str, float] = attrs.field(default=REQUIRED, converter=_freeze_floats)
    overall: float = attrs.field(default=REQUIRED)
    weighted: float | None = attrs.field(default=REQUIRED)
    scale: int = 7
    method: str = "SERVPERF"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        dimensions_ok = _check_dimensions(
            self.dimensions, is_finite_number, "a finite mean perception", problems
        )
        before = len(problems)
        _check_summary(self, "overall", problems)
        if (
            dimensions_ok
            and len(problems) == before
            and not _mean_consistent(self.overall, self.dimensions.values())
        ):
            problems.add(
                "$.overall", "must be the mean of the five dimension means", "inconsistent"
            )
        raise_problems(self, problems)


@attrs.frozen
class ReliabilityScore(Tabular):
    """Cronbach's alpha of one dimension's items, over the respondents who answered them all.

    ``alpha`` is ``None`` where it cannot be computed: fewer than two
    complete respondents, or no variance in their totals; otherwise a finite
    number of at most 1.

    Attributes:
        alpha: Cronbach's alpha of the dimension's items, at most 1, or ``None`` where it
            cannot be computed.
        items: how many items the dimension has.
        respondents: how many respondents answered all of them.

    Examples:
        >>> ReliabilityScore(alpha=0.87, items=5, respondents=120).alpha
        0.87
    """

    alpha: float | None = attrs.field(default=REQUIRED)
    items: int = attrs.field(default=REQUIRED)
    respondents: int = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if self.alpha is not None:
            check_number(self.alpha, "$.alpha", problems, high=1)
        check_count(self.items, "$.items", problems, minimum=1)
        if check_count(self.respondents, "$.respondents", problems) and (
            self.alpha is not None and self.respondents < 2
        ):
            problems.add("$.alpha", "must be null with fewer than two respondents", "inconsistent")
        raise_problems(self, problems)


def _is_reliability_score(value: object) -> bool:
    return isinstance(value, ReliabilityScore)


@attrs.frozen
class ReliabilityResult(Tabular, Mapping[str, ReliabilityScore]):
    """Cronbach's alpha of each SERVQUAL dimension, read like a mapping of dimension to score.

    ``on`` says which item scores were used (``"gap"``, ``"perception"`` or
    ``"expectation"``). As a table it has one row per dimension.

    Attributes:
        dimensions: each SERVQUAL dimension to its reliability score.
        on: which item scores were used: ``"gap"``, ``"perception"`` or
            ``"expectation"``.
        scale: the top of the answer scale (7 for answers from 1 to 7).
        method: how the reliability was computed.

    Examples:
        >>> score = ReliabilityScore(alpha=0.8, items=4, respondents=30)
        >>> result = ReliabilityResult(dict.fromkeys(SERVQUAL_DIMENSIONS, score), on="gap")
        >>> result["empathy"].alpha, len(result), result.to_records()[0]["dimension"]
        (0.8, 5, 'tangibles')
    """

    _rows_from = "dimensions"
    _row_key = "dimension"

    dimensions: Mapping[str, ReliabilityScore] = attrs.field(
        default=REQUIRED, converter=_freeze_reliability
    )
    on: str = "gap"
    scale: int = 7
    method: str = "Cronbach's alpha"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_dimensions(self.dimensions, _is_reliability_score, "a ReliabilityScore", problems)
        check_choice(self.on, ("gap", "perception", "expectation"), "$.on", problems)
        check_count(self.scale, "$.scale", problems, minimum=2, maximum=_MAX_SCALE)
        check_label(self.method, "$.method", problems)
        raise_problems(self, problems)

    def __getitem__(self, name: str) -> ReliabilityScore:
        return self.dimensions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.dimensions)

    def __len__(self) -> int:
        return len(self.dimensions)


@attrs.define
class _Respondent:
    expectation: dict[str, float]
    perception: dict[str, float]
    gap: dict[str, float]
    weights: Mapping[str, float] | None
    items: dict[str, tuple[dict[int, int], dict[int, int]]]


def _check_scale(scale: object, reverse_items: object, problems: Problems) -> frozenset[int]:
    check_count(scale, "$.scale", problems, minimum=2, maximum=_MAX_SCALE)
    reverse: set[int] = set()
    if isinstance(reverse_items, str | bytes) or not isinstance(reverse_items, Iterable):
        problems.add("$.reverse_items", "must be a collection of item numbers", "type")
        return frozenset()
    for index, item in enumerate(reverse_items):
        if not is_integer(item) or item not in _DIMENSION_OF:
            problems.add(
                join_path("$.reverse_items", index), "not a SERVQUAL item (1-22)", _item_code(item)
            )
        else:
            reverse.add(item)
    return frozenset(reverse)


def _check_side(
    scores: object, path: str, scale: int, reverse: frozenset[int], problems: Problems
) -> dict[int, int]:
    if not isinstance(scores, Mapping):
        problems.add(path, "must map item numbers to scores", "type")
        return {}
    checked: dict[int, int] = {}
    for item, score in scores.items():
        item_path = join_path(path, str(int(item)) if is_integer(item) else str(item))
        if not is_integer(item) or item not in _DIMENSION_OF:
            problems.add(item_path, "not a SERVQUAL item (1-22)", _item_code(item))
        elif is_missing(score):
            problems.add(item_path, _UNANSWERED, "required")
        elif not is_integer(score):
            problems.add(item_path, f"must be an integer from 1 to {scale}", "type")
        elif not 1 <= score <= scale:
            problems.add(item_path, f"must be from 1 to {scale}", "range")
        else:
            checked[int(item)] = scale + 1 - int(score) if item in reverse else int(score)
    return checked


def _check_weights(weights: object, path: str, problems: Problems) -> Mapping[str, float] | None:
    if weights is None:
        return None
    if not isinstance(weights, Mapping):
        problems.add(path, "must map dimension names to points", "type")
        return None
    ok = True
    for name, points in weights.items():
        weight_path = join_path(path, str(name))
        if not isinstance(name, str) or name not in SERVQUAL_DIMENSIONS:
            problems.add(
                weight_path,
                "not a SERVQUAL dimension",
                "unknown_choice" if isinstance(name, str) else "type",
            )
            ok = False
        elif not is_finite_number(points) or points < 0:
            problems.add(
                weight_path,
                "must be a non-negative number of points",
                "range" if is_finite_number(points) else "type",
            )
            ok = False
    if (
        ok
        and abs(math.fsum(float(points) for points in weights.values()) - 100) > _WEIGHT_TOLERANCE
    ):
        problems.add(path, "the points must add up to 100", "inconsistent")
        ok = False
    return weights if ok else None


def _mean(values: Iterable[float]) -> float | None:
    total, count = 0.0, 0
    for value in values:
        total += value
        count += 1
    return total / count if count else None


def _respondents(
    responses: Iterable[ServqualResponse], scale: int, reverse_items: Collection[int]
) -> list[_Respondent]:
    """Validate every response and score it per dimension; raise every problem at once."""
    problems = Problems()
    reverse = _check_scale(scale, reverse_items, problems)
    problems.raise_if_any()
    found: list[_Respondent] = []
    if isinstance(responses, str | bytes) or not isinstance(responses, Iterable):
        problems.add("$.responses", "must be a list of ServqualResponse", "type")
        problems.raise_if_any()
    for index, response in enumerate(responses):
        path = join_path("$.responses", index)
        if not isinstance(response, ServqualResponse):
            problems.add(path, "must be a ServqualResponse", "type")
            continue
        before = len(problems)
        expectations = _check_side(
            response.expectations, join_path(path, "expectations"), scale, reverse, problems
        )
        perceptions = _check_side(
            response.perceptions, join_path(path, "perceptions"), scale, reverse, problems
        )
        weights = _check_weights(response.weights, join_path(path, "weights"), problems)
        if len(problems) > before:
            continue
        respondent = _Respondent({}, {}, {}, weights, {})
        for name, items in SERVQUAL_DIMENSIONS.items():
            e = {item: expectations[item] for item in items if item in expectations}
            p = {item: perceptions[item] for item in items if item in perceptions}
            respondent.items[name] = (e, p)
            e_mean, p_mean = _mean(e.values()), _mean(p.values())
            gap = _mean(p[item] - e[item] for item in items if item in e and item in p)
            if e_mean is not None:
                respondent.expectation[name] = e_mean
            if p_mean is not None:
                respondent.perception[name] = p_mean
            if gap is not None:
                respondent.gap[name] = gap
        found.append(respondent)
    problems.raise_if_any()
    if not found:
        raise InsufficientDataError("no responses to score")
    return found


def _weighted(respondents: Sequence[_Respondent], scores: str) -> float | None:
    total = 0.0
    for respondent in respondents:
        per_dimension: dict[str, float] = getattr(respondent, scores)
        if respondent.weights is None or len(per_dimension) < len(SERVQUAL_DIMENSIONS):
            return None
        total += sum(
            respondent.weights.get(name, 0) / 100 * per_dimension[name]
            for name in SERVQUAL_DIMENSIONS
        )
    return total / len(respondents)


def _dimension_mean(respondents: Sequence[_Respondent], scores: str, name: str) -> float:
    mean = _mean(getattr(r, scores)[name] for r in respondents if name in getattr(r, scores))
    if mean is None:
        raise InsufficientDataError(f"no respondent answered the {name} items")
    return mean


def servqual(
    responses: Iterable[ServqualResponse],
    *,
    scale: int = 7,
    reverse_items: Collection[int] = (),
) -> ServqualResult:
    """SERVQUAL gap scores per dimension, unweighted and weighted.

    Per respondent and dimension: the mean expectation over the items present,
    the mean perception, and the mean gap ``P - E`` over items answered on
    both sides; a respondent without any item of a dimension is left out of
    that dimension. ``dimensions[name]`` holds the means over respondents;
    ``unweighted`` is the mean of the five dimension gaps; ``weighted`` is the
    mean over respondents of ``sum(w_d / 100 * gap_d)``, or ``None`` where
    any respondent gave no weights.

    Examples:
        >>> from retail_service_quality import ServqualResponse, servqual
        >>> expect = {item: 7 for item in range(1, 23)}
        >>> perceive = {item: 6 for item in range(1, 23)}
        >>> weights = {"tangibles": 10, "reliability": 30, "responsiveness": 20,
        ...            "assurance": 20, "empathy": 20}
        >>> result = servqual([ServqualResponse(expect, perceive, weights)])
        >>> result.unweighted, result.weighted
        (-1.0, -1.0)
        >>> servqual([ServqualResponse(expect, perceive)], reverse_items=[10]).dimensions[
        ...     "responsiveness"
        ... ].gap
        -0.5

    Raises:
        InsufficientDataError: no responses, or a dimension nobody answered
            on both sides.
        ValidationError: every bad score, unknown item, or set of weights not
            adding up to 100 (within 0.01), with its path, such as
            ``$.responses[3].perceptions[5]``.
    """
    respondents = _respondents(responses, scale, reverse_items)
    dimensions: dict[str, DimensionScore] = {}
    for name in SERVQUAL_DIMENSIONS:
        gap = _dimension_mean(respondents, "gap", name)
        dimensions[name] = DimensionScore(
            expectation=_dimension_mean(respondents, "expectation", name),
            perception=_dimension_mean(respondents, "perception", name),
            gap=gap,
            respondents=sum(1 for r in respondents if name in r.gap),
        )
    unweighted = math.fsum(score.gap for score in dimensions.values()) / len(dimensions)
    return ServqualResult(
        len(respondents), dimensions, unweighted, _weighted(respondents, "gap"), scale
    )


def servperf(
    responses: Iterable[ServqualResponse],
    *,
    scale: int = 7,
    reverse_items: Collection[int] = (),
) -> ServperfResult:
    """SERVPERF: the perceptions alone, per dimension, overall and weighted.

    Any expectations in the responses are checked but not used.

    Examples:
        >>> from retail_service_quality import ServqualResponse, servperf
        >>> perceive = {item: 6 for item in range(1, 23)} | {18: 2, 19: 2, 20: 2, 21: 2, 22: 2}
        >>> result = servperf([ServqualResponse({}, perceive)])
        >>> result.dimensions["empathy"], result.overall
        (2.0, 5.2)

    Raises:
        InsufficientDataError: no responses, or a dimension without perceptions.
        ValidationError: every bad score, unknown item or bad set of weights.
    """
    respondents = _respondents(responses, scale, reverse_items)
    dimensions = {
        name: _dimension_mean(respondents, "perception", name) for name in SERVQUAL_DIMENSIONS
    }
    overall = math.fsum(dimensions.values()) / len(dimensions)
    return ServperfResult(
        len(respondents), dimensions, overall, _weighted(respondents, "perception"), scale
    )


def _sample_variance(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.fsum((value - mean) ** 2 for value in values) / (len(values) - 1)


def cronbach_alpha(
    scores: Iterable[Iterable[float | None]] | TableLike, *, missing: str = "raise"
) -> float:
    """Cronbach's alpha of a scale: rows are respondents, columns are items.

    ``alpha = k / (k - 1) * (1 - sum(item variances) / variance of totals)``,
    with sample variances. Above 0.7 is usually taken as acceptable for a
    survey scale, above 0.8 as good.

    ``scores`` is a list of rows, a pandas DataFrame (a column per item) or
    a 2-D numpy array. A missing score (``None``, NaN, ``pd.NA``) is a
    `ValidationError` with ``missing="raise"``; ``missing="drop"`` leaves
    out every respondent with a missing item (listwise deletion, as
    ``pingouin.cronbach_alpha(nan_policy="listwise")`` does). Error paths
    name rows and columns by position from 0, ``$.scores[3][1]``.

    Examples:
        >>> round(cronbach_alpha([[4, 5, 4], [3, 3, 4], [5, 5, 5], [2, 3, 2]]), 4)
        0.9388
        >>> rows = [[4, 5, 4], [3, 3, 4], [5, None, 5], [5, 5, 5], [2, 3, 2]]
        >>> round(cronbach_alpha(rows, missing="drop"), 4)
        0.9388

    Raises:
        InsufficientDataError: fewer than two respondents (after dropping
            incomplete ones) or two items, or no variance in the totals.
        ValidationError: rows of different lengths, values that are not
            finite numbers, or missing values with ``missing="raise"``.
    """
    problems = Problems()
    drop = check_missing(missing, problems)
    rows, width = rows_of(scores, "$.scores", drop, problems)
    problems.raise_if_any()
    if len(rows) < 2 or width is None or width < 2:
        raise InsufficientDataError("Cronbach's alpha needs two respondents and two items")
    try:
        total_variance = _sample_variance([math.fsum(row) for row in rows])
        item_variance = math.fsum(_sample_variance([row[i] for row in rows]) for i in range(width))
    except (OverflowError, ValueError):
        total_variance = item_variance = math.inf
    if total_variance == 0:
        raise InsufficientDataError("the respondents' totals do not vary")
    alpha = width / (width - 1) * (1 - item_variance / total_variance)
    if not math.isfinite(alpha):
        raise ValidationError.single("$.scores", "holds values too large to compute with", "range")
    return alpha


def servqual_reliability(
    responses: Iterable[ServqualResponse],
    *,
    scale: int = 7,
    reverse_items: Collection[int] = (),
    on: str = "gap",
) -> ReliabilityResult:
    """Cronbach's alpha of each SERVQUAL dimension: is the instrument reliable?

    ``on`` chooses the item scores: ``"gap"`` (P - E per item, as
    Parasuraman et al. report), ``"perception"`` or ``"expectation"``. Each
    dimension uses the respondents who answered all of its items on the
    sides needed (listwise deletion); ``respondents`` says how many. The
    result reads like a mapping of dimension to `ReliabilityScore`, and gives
    one row per dimension as a table.

    Examples:
        >>> from retail_service_quality import ServqualResponse, servqual_reliability
        >>> answers = [{i: 3 + (i + k) % 2 + k for i in range(1, 23)} for k in range(4)]
        >>> responses = [ServqualResponse({}, perceptions) for perceptions in answers]
        >>> scores = servqual_reliability(responses, on="perception")
        >>> scores["tangibles"].respondents, round(scores["tangibles"].alpha, 3)
        (4, 0.933)

    Raises:
        InsufficientDataError: no responses.
        ValidationError: bad scores, items or weights, or an unknown ``on``.
    """
    problems = Problems()
    if not check_choice(on, ("gap", "perception", "expectation"), "$.on", problems):
        problems.raise_if_any()
    respondents = _respondents(responses, scale, reverse_items)
    result: dict[str, ReliabilityScore] = {}
    for name, items in SERVQUAL_DIMENSIONS.items():
        rows: list[list[float]] = []
        for respondent in respondents:
            e, p = respondent.items[name]
            if on == "expectation" and len(e) == len(items):
                rows.append([float(e[item]) for item in items])
            elif on == "perception" and len(p) == len(items):
                rows.append([float(p[item]) for item in items])
            elif on == "gap" and len(e) == len(p) == len(items):
                rows.append([float(p[item] - e[item]) for item in items])
        try:
            alpha: float | None = cronbach_alpha(rows)
        except InsufficientDataError:
            alpha = None
        result[name] = ReliabilityScore(alpha, len(items), len(rows))
    return ReliabilityResult(result, on=on, scale=scale)
