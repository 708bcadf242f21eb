"""Which indicators really changed: period over period, and unit against unit.

`indicator_pair` turns two values of one indicator (`IndicatorValue`s, each with
its evidence) into the pair its kind is tested as: two shares
(`ProportionPair`), two NPS frequency tables (`NpsPair`) or two rating
frequency tables (`RatingPair`, Mann-Whitney). `compare_periods` computes the
indicators for two periods on a store, pairs each group with itself, and tests
the whole family at once with a correction for many comparisons
(Benjamini-Hochberg by default), so that a dashboard marks only real changes.

Means of durations (average handle time, average speed of answer) and
complaint rates and resolution times carry no sample evidence: they cover
every case, and are not paired.

Examples:
    >>> from retail_service_quality import IndicatorValue
    >>> this = IndicatorValue(indicator_id="service_level", store_id="S1", value=0.7, n=200,
    ...     successes=140)
    >>> last = IndicatorValue(indicator_id="service_level", store_id="S1", value=0.8, n=200,
    ...     successes=160)
    >>> pair = indicator_pair(this, last)
    >>> type(pair).__name__, pair.successes1, pair.n2
    ('ProportionPair', 140, 200)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import attrs

from retail_service_quality._internal.times import MIN_INSTANT
from retail_service_quality._internal.validation import check_aware
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.metrics.comparisons import (
    ComparisonSet,
    NpsPair,
    ProportionPair,
    RatingPair,
    compare_many,
    pair_label,
)
from retail_service_quality.quality.compute import check_computation, compute_indicators
from retail_service_quality.quality.indicators import (
    IndicatorCatalogue,
    IndicatorDefinition,
    IndicatorValue,
    TransactionCount,
)

__all__ = ["compare_periods", "compare_values", "indicator_pair"]

_NPS_POINTS: Final = 11
_PROMOTERS: Final = 9
_DETRACTORS: Final = 7  # 0 to 6

Pair = ProportionPair | NpsPair | RatingPair


def indicator_pair(
    first: IndicatorValue, second: IndicatorValue, *, label: str | None = None
) -> Pair:
    """The pair two values of one indicator are compared as, from their evidence.

    A share with its ``successes`` gives a `ProportionPair`; an NPS (unit
    ``nps_points``) with its 0-10 ``counts`` an `NpsPair`; a rating with its
    ``counts`` a `RatingPair`. ``label`` defaults to `pair_label`.

    Examples:
        >>> from retail_service_quality import IndicatorValue
        >>> a = IndicatorValue(indicator_id="ces", value=5.0, n=3, unit="rating",
        ...     counts=[0, 0, 1, 0, 1, 0, 1])
        >>> b = IndicatorValue(indicator_id="ces", value=4.0, n=2, unit="rating",
        ...     counts=[0, 0, 1, 0, 1, 0, 0])
        >>> indicator_pair(a, b).counts2
        (0, 0, 1, 0, 1, 0, 0)

    Raises:
        ValidationError: not two `IndicatorValue`s of one indicator and direction, or
            values without the evidence to compare (a census mean, a rate, no case).
    """
    problems = Problems()
    for value, path in ((first, "$.first"), (second, "$.second")):
        if not isinstance(value, IndicatorValue):
            problems.add(path, "must be an IndicatorValue", "type")
        elif value.n == 0:
            problems.add(path, "has no case to compare", "insufficient")
        elif value.successes is None and value.counts is None:
            problems.add(
                path,
                "carries no sample evidence (successes or counts): it covers every case",
                "unsupported",
            )
    if label is not None and not isinstance(label, str):
        problems.add("$.label", "must be text or None", "type")
    problems.raise_if_any()
    if first.indicator_id != second.indicator_id or first.direction is not second.direction:
        raise ValidationError.single(
            "$.second", "must be a value of the same indicator", "inconsistent"
        )
    name = label if label is not None else pair_label(first, second)
    if first.successes is not None and second.successes is not None:
        return ProportionPair(
            label=name, successes1=first.successes, n1=first.n, successes2=second.successes,
            n2=second.n, direction=first.direction,
        )  # fmt: skip
    if first.counts is None or second.counts is None or len(first.counts) != len(second.counts):
        raise ValidationError.single(
            "$.second", "must carry evidence of the same kind and scale", "inconsistent"
        )
    if first.unit == "nps_points" and len(first.counts) == _NPS_POINTS:
        one, two = first.counts, second.counts
        return NpsPair(
            label=name,
            promoters1=sum(one[_PROMOTERS:]), passives1=sum(one[_DETRACTORS:_PROMOTERS]),
            detractors1=sum(one[:_DETRACTORS]), promoters2=sum(two[_PROMOTERS:]),
            passives2=sum(two[_DETRACTORS:_PROMOTERS]), detractors2=sum(two[:_DETRACTORS]),
            direction=first.direction,
        )  # fmt: skip
    return RatingPair(
        label=name, counts1=first.counts, counts2=second.counts, direction=first.direction
    )


def _key(value: IndicatorValue) -> tuple[Any, ...]:
    return (
        value.indicator_id,
        value.store_id,
        value.channel,
        value.business_unit,
        value.staff_id,
        value.weekday,
        value.hour,
    )


def _check_period(value: object, path: str, problems: Problems) -> tuple[datetime, datetime]:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(moment, datetime) for moment in value)
    ):
        problems.add(path, "must be a (start, end) pair of aware datetimes", "type")
        return (MIN_INSTANT, MIN_INSTANT)
    before = len(problems)
    for moment, end in ((value[0], "start"), (value[1], "end")):
        check_aware(moment, f"{path}.{end}", problems)
    aware = len(problems) == before
    if aware and value[1].astimezone(UTC) <= value[0].astimezone(UTC):
        problems.add(f"{path}.end", "must be after the start", "inconsistent")
        return (MIN_INSTANT, MIN_INSTANT)
    return value if aware else (MIN_INSTANT, MIN_INSTANT)


def compare_periods(
    target: Any,
    indicators: Sequence[str | IndicatorDefinition] | None = None,
    *,
    current: tuple[datetime, datetime],
    previous: tuple[datetime, datetime],
    group_by: Sequence[str] = (),
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    catalogue: IndicatorCatalogue | None = None,
    transactions: Iterable[TransactionCount] | None = None,
    alpha: float = 0.05,
    correction: str = "benjamini_hochberg",
) -> ComparisonSet:
    """Each indicator and group in the ``current`` period against itself in the ``previous``
    one, tested as a family: only real changes are marked.

    Both periods are computed with `compute_indicators` (``group_by`` may not hold
    ``"month"``: the periods are the comparison). A group measured in both, whose
    values carry sample evidence, becomes one pair (`indicator_pair`, labelled by
    `pair_label`: the indicator and the group); groups with no case in one period,
    and values that cover every case (means of durations, rates, percentiles of
    resolution times), are left out of the family and listed in its ``left_out``
    with the reason. The first value of each comparison is the current period's.
    The periods must not overlap.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import InMemoryStore, ServiceInteraction
        >>> day = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.interactions.add_many(ServiceInteraction(
        ...         id=f"C-{n}", store_id="S1", channel="hotline",
        ...         occurred_at=day + timedelta(days=n % 2 * 7, minutes=n),
        ...         queue_time=timedelta(seconds=10 if n % 2 else 40)) for n in range(400))
        ...     uow.commit()
        400
        >>> family = compare_periods(store, ["service_level"],
        ...     current=(day + timedelta(days=7), day + timedelta(days=8)),
        ...     previous=(day, day + timedelta(days=1)))
        >>> [(c.first, c.second, c.change.value) for c in family.comparisons.values()]
        [(1.0, 0.0, 'better')]

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """
    problems = Problems()
    now = _check_period(current, "$.current", problems)
    before = _check_period(previous, "$.previous", problems)
    (a, b), (c, d) = ((moment.astimezone(UTC) for moment in pair) for pair in (now, before))
    if b > a and d > c and a < d and c < b:  # instants, never wall clocks
        problems.add("$.previous", "must not overlap the current period", "inconsistent")
    if isinstance(group_by, list | tuple) and "month" in group_by:
        problems.add("$.group_by", "must not hold month: the periods are compared", "inconsistent")
    # The computation's own arguments, checked in the same round.
    try:
        check_computation(
            target, indicators, MIN_INSTANT, MIN_INSTANT, group_by, timezone, business_units,
            catalogue, 0.5, transactions,
        )  # fmt: skip
    except ValidationError as error:
        reported = {problem.path for problem in problems}
        problems.extend(problem for problem in error.problems if problem.path not in reported)
    problems.raise_if_any()
    shared: dict[str, Any] = {
        "group_by": group_by,
        "timezone": timezone,
        "business_units": business_units,
        "catalogue": catalogue,
    }
    sales = None if transactions is None else list(transactions)
    first = compute_indicators(
        target, indicators, start=now[0], end=now[1], transactions=sales, **shared
    )
    second = compute_indicators(
        target, indicators, start=before[0], end=before[1], transactions=sales, **shared
    )
    return compare_values(first, second, alpha=alpha, correction=correction)


def compare_values(
    current: Iterable[IndicatorValue],
    previous: Iterable[IndicatorValue],
    *,
    alpha: float = 0.05,
    correction: str = "benjamini_hochberg",
) -> ComparisonSet:
    """Each group of ``current`` against the same group of ``previous``, tested as a family.

    Groups are matched by indicator and every grouping key but the month, so
    that two months, or two periods, of one group pair up. A group measured
    in both, whose values carry sample evidence, becomes one pair
    (`indicator_pair`, labelled by `pair_label` of the group); the others are
    listed in the family's ``left_out`` with the reason. This is
    `compare_periods` on values already computed (a dashboard's two months,
    a store's rows filtered to one scope).

    Examples:
        >>> from retail_service_quality import IndicatorValue
        >>> now = [IndicatorValue(indicator_id="service_level", store_id="S1", value=0.9,
        ...     n=200, successes=180)]
        >>> before = [IndicatorValue(indicator_id="service_level", store_id="S1", value=0.8,
        ...     n=200, successes=160)]
        >>> [(c.label, c.change.value) for c in compare_values(now, before).comparisons.values()]
        [('service_level S1', 'better')]

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """
    problems = Problems()
    given: list[list[IndicatorValue]] = []
    for name, values in (("current", current), ("previous", previous)):
        items: list[IndicatorValue] = []
        if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
            problems.add(f"$.{name}", "must be a list of IndicatorValue", "type")
        else:
            seen: set[tuple[Any, ...]] = set()
            for index, value in enumerate(values):
                path = join_path(f"$.{name}", index)
                if not isinstance(value, IndicatorValue):
                    problems.add(path, "must be an IndicatorValue", "type")
                    continue
                if _key(value) in seen:
                    problems.add(path, "repeats a group given before (months apart)", "duplicate")
                seen.add(_key(value))
                items.append(value)
        given.append(items)
    problems.raise_if_any()
    first, second = given
    earlier = {_key(value): value for value in second}
    pairs: list[Pair] = []
    left_out: dict[str, str] = {}
    for value in first:
        other = earlier.pop(_key(value), None)
        label = pair_label(value, value if other is None else other)
        if other is None or other.n == 0:
            left_out[label] = "no case in the previous period"
        elif value.n == 0:
            left_out[label] = "no case in the current period"
        elif value.successes is None and value.counts is None:
            left_out[label] = "covers every case: no sample to test"
        else:
            pairs.append(indicator_pair(value, other, label=label))
    for other in earlier.values():
        left_out[pair_label(other, other)] = "no case in the current period"
    family = compare_many(pairs, alpha=alpha, correction=correction)
    return attrs.evolve(family, left_out=left_out)
