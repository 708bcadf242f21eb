"""Whether an improvement action worked: its indicator before and after, against the others.

At the next review, each `ImprovementAction` that is done is tested on the
indicator it was meant to move (its `ActionTarget`): before against after in
the stores that acted, with the test the kind of indicator calls for, and,
where stores took no action, a difference-in-differences that removes what
moved everywhere (the season, a chain-wide change). `action_effect` works on
given `IndicatorValue`s; `stored_action_effect` computes them from a store.
The result, an `ActionEffect`, carries the verdict and the evidence; verify
the action with it (`ImprovementAction.verify`).

Examples:
    >>> from datetime import UTC, date, datetime
    >>> action = ImprovementAction(id="CA-1", type="corrective", title="Retrain",
    ...     owner="store_manager", raised_at=datetime(2026, 11, 2, tzinfo=UTC),
    ...     due=date(2026, 11, 30), target=ActionTarget("fcr", store_ids=["S1"]))
    >>> effect = action_effect(action,
    ...     before=[IndicatorValue(indicator_id="fcr", store_id="S1", value=0.5, n=100,
    ...                            successes=50)],
    ...     after=[IndicatorValue(indicator_id="fcr", store_id="S1", value=0.7, n=100,
    ...                           successes=70)])
    >>> effect.verdict.value, effect.test
    ('worked', 'two-proportion z-test (pooled)')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import check_aware, check_id, lenient_enum
from retail_service_quality.errors import (
    InsufficientDataError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics.comparisons import (
    Comparison,
    ComparisonChange,
    NpsPair,
    ProportionPair,
    RatingPair,
    compare,
)
from retail_service_quality.metrics.effects import (
    DifferenceInDifferences,
    did_nps,
    did_proportions,
    did_ratings,
)
from retail_service_quality.quality.actions import ActionTarget, ActionType, ImprovementAction
from retail_service_quality.quality.changes import indicator_pair
from retail_service_quality.quality.compute import compute_indicators
from retail_service_quality.quality.indicators import Direction, IndicatorValue
from retail_service_quality.storage._target import unit_of

__all__ = ["ActionEffect", "ActionVerdict", "action_effect", "stored_action_effect"]

_PAIR: Final = 2
_NPS_POINTS: Final = 11


# ---------------------------------------------------------------- whether it worked


class ActionVerdict(StrEnum):
    """Whether an action moved its indicator (`ActionEffect`).

    Examples:
        >>> ActionVerdict("worked").value
        'worked'
    """

    WORKED = "worked"
    """A significant change in the expected direction."""
    NO_REAL_CHANGE = "no_real_change"
    """No change beyond noise."""
    WORSE = "worse"
    """A significant change against the expected direction."""
    NOT_ENOUGH_DATA = "not_enough_data"
    """No values to compare, or values that cannot be tested (no case, no variance)."""
    UNTESTED = "untested"
    """Values that cover every case (handle time, rates): the difference is given, without
    a test: nothing says how much of it is noise."""


def _verdict(value: ActionVerdict | str) -> ActionVerdict:
    return lenient_enum(ActionVerdict, value)


@attrs.frozen(kw_only=True)
class ActionEffect(Tabular):
    """Whether an action moved its indicator: before against after, and against the units
    that took no action.

    The verdict comes from the difference-in-differences where there are
    units without the action (``control_units``), else from the before/after
    test in the acting units. ``worked`` means a change beyond noise (at
    ``alpha``) in the expected direction.

    Attributes:
        action_id: the action.
        indicator_id: the indicator it was meant to move.
        verdict: worked, no real change, worse, not enough data, or untested.
        expected: the direction the indicator was meant to move.
        acting_units: the stores that acted and were measured in both periods.
        control_units: the stores without the action measured in both periods.
        before: the acting units' value before (pooled), or ``None``.
        before_n: the cases behind it.
        after: the acting units' value after (pooled), or ``None``.
        after_n: the cases behind it.
        change: ``after - before``, or ``None``.
        test: the before/after test, or ``""`` when there is none.
        p_value: the before/after test's two-sided p-value, or ``None``.
        control_before: the other units' value before (pooled), or ``None``.
        control_before_n: the cases behind it.
        control_after: the other units' value after (pooled), or ``None``.
        control_after_n: the cases behind it.
        did: the difference-in-differences, ``change - (control_after - control_before)``,
            or ``None`` without other units.
        did_standard_error: its standard error, or ``None`` (untested).
        did_low: its interval's lower bound, or ``None``.
        did_high: its interval's upper bound, or ``None``.
        did_p_value: its two-sided p-value, or ``None``.
        alpha: the significance level.
        method: how it was computed, in words.

    Examples:
        >>> effect = action_effect(
        ...     ImprovementAction(id="CA-1", type="corrective", title="Retrain",
        ...         owner="store_manager", raised_at=datetime(2026, 11, 2, tzinfo=UTC),
        ...         due=date(2026, 11, 30), target=ActionTarget("fcr", store_ids=["S1"])),
        ...     before=[IndicatorValue(indicator_id="fcr", store_id="S1", value=0.6, n=200,
        ...                            successes=120)],
        ...     after=[IndicatorValue(indicator_id="fcr", store_id="S1", value=0.75, n=200,
        ...                           successes=150)],
        ... )
        >>> effect.verdict.value, round(effect.change, 2), effect.did is None
        ('worked', 0.15, True)
    """

    action_id: str
    indicator_id: str
    verdict: ActionVerdict = attrs.field(converter=_verdict)
    expected: Direction
    acting_units: tuple[str, ...]
    control_units: tuple[str, ...]
    before: float | None
    before_n: int
    after: float | None
    after_n: int
    change: float | None
    test: str
    p_value: float | None
    control_before: float | None
    control_before_n: int
    control_after: float | None
    control_after_n: int
    did: float | None
    did_standard_error: float | None
    did_low: float | None
    did_high: float | None
    did_p_value: float | None
    alpha: float
    method: str


@attrs.frozen
class _Pooled:
    """Several units' values of one indicator, pooled into one."""

    value: IndicatorValue
    units: tuple[str, ...]


def _pool(indicator_id: str, values: Sequence[IndicatorValue]) -> IndicatorValue | None:
    """One value from several units': their evidence added up (successes, frequency tables),
    or for values without evidence the n-weighted mean."""
    measured = [value for value in values if value.n > 0 and value.value is not None]
    if not measured:
        return None
    head = measured[0]
    n = sum(value.n for value in measured)
    common: dict[str, Any] = {
        "indicator_id": indicator_id,
        "n": n,
        "unit": head.unit,
        "direction": head.direction,
    }
    if all(value.successes is not None for value in measured):
        successes = sum(value.successes for value in measured)  # type: ignore[misc]
        return IndicatorValue(value=successes / n, successes=successes, **common)
    scale = {len(value.counts) for value in measured if value.counts is not None}
    if all(value.counts is not None for value in measured) and len(scale) == 1:
        table = tuple(
            sum(column) for column in zip(*(value.counts for value in measured), strict=True)
        )
        if head.unit == "nps_points" and len(table) == _NPS_POINTS:
            score = 100 * (sum(table[9:]) - sum(table[:7])) / n
        else:
            score = math.fsum(point * count for point, count in enumerate(table, 1)) / n
        return IndicatorValue(value=score, counts=table, **common)
    weighted = math.fsum(float(value.value) * value.n for value in measured) / n  # type: ignore[arg-type]
    return IndicatorValue(value=weighted, **common)


def _check_values(value: object, path: str, problems: Problems) -> list[IndicatorValue]:
    found: list[IndicatorValue] = []
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        problems.add(path, "must be a list of IndicatorValue", "type")
        return found
    for index, item in enumerate(value):
        if isinstance(item, IndicatorValue):
            found.append(item)
        else:
            problems.add(join_path(path, index), "must be an IndicatorValue", "type")
    return found


def _by_unit(values: Sequence[IndicatorValue], by: str) -> dict[str | None, list[IndicatorValue]]:
    grouped: dict[str | None, list[IndicatorValue]] = {}
    for value in values:
        unit = value.staff_id if by == "staff" else value.store_id
        grouped.setdefault(unit, []).append(value)
    return grouped


def _moved(
    comparison_change: ComparisonChange, direction: Direction, expected: Direction
) -> ActionVerdict:
    if comparison_change is ComparisonChange.NOT_ENOUGH_DATA:
        return ActionVerdict.NOT_ENOUGH_DATA
    if comparison_change is ComparisonChange.NO_REAL_CHANGE:
        return ActionVerdict.NO_REAL_CHANGE
    went_up = (comparison_change is ComparisonChange.BETTER) == (
        direction is Direction.HIGHER_IS_BETTER
    )
    wanted_up = expected is Direction.HIGHER_IS_BETTER
    return ActionVerdict.WORKED if went_up == wanted_up else ActionVerdict.WORSE


def _did(
    pair: ProportionPair | RatingPair | NpsPair,
    control: ProportionPair | RatingPair | NpsPair,
    confidence: float,
) -> DifferenceInDifferences:
    """The difference-in-differences of the acting pair (after, before) and the control pair."""
    if isinstance(pair, ProportionPair) and isinstance(control, ProportionPair):
        return did_proportions(
            acting_before=(pair.successes2, pair.n2), acting_after=(pair.successes1, pair.n1),
            control_before=(control.successes2, control.n2),
            control_after=(control.successes1, control.n1), confidence=confidence,
        )  # fmt: skip
    if isinstance(pair, NpsPair) and isinstance(control, NpsPair):
        return did_nps(
            acting_before=(pair.promoters2, pair.passives2, pair.detractors2),
            acting_after=(pair.promoters1, pair.passives1, pair.detractors1),
            control_before=(control.promoters2, control.passives2, control.detractors2),
            control_after=(control.promoters1, control.passives1, control.detractors1),
            confidence=confidence,
        )
    assert isinstance(pair, RatingPair)
    assert isinstance(control, RatingPair)
    return did_ratings(
        acting_before=pair.counts2, acting_after=pair.counts1,
        control_before=control.counts2, control_after=control.counts1, confidence=confidence,
    )  # fmt: skip


def _check_effect_arguments(
    action: object, alpha: object, confidence: object, problems: Problems
) -> None:
    if not isinstance(action, ImprovementAction):
        problems.add("$.action", "must be an ImprovementAction", "type")
    elif action.target is None:
        problems.add(
            "$.action.target",
            "is required: the indicator the action was meant to move, and where",
            "required",
        )
    for path, level in (("$.alpha", alpha), ("$.confidence", confidence)):
        if isinstance(level, bool):
            problems.add(path, "must be a number, not true or false", "type")
        else:
            check_number(level, path, problems, low=0, high=1, strict=True)


def action_effect(
    action: ImprovementAction,
    *,
    before: Iterable[IndicatorValue],
    after: Iterable[IndicatorValue],
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> ActionEffect:
    """Whether ``action`` moved its indicator, from its values per store before and after.

    ``before`` and ``after`` are values of the action's indicator
    (``action.target.indicator_id``; values of other indicators are left
    aside), one per store (`compute_indicators` grouped by ``"store"``), or
    per staff member when the target names staff (``"staff"``: a training
    programme's trained staff against the others), or a single ungrouped
    value each when the whole organisation acted. The
    acting stores (``action.target.store_ids``) measured in both periods are
    pooled (their successes or frequency tables added up; values without
    evidence averaged, weighted by n); so are the other stores measured in
    both (the control units).

    - Before/after in the acting units: the test of `compare` on the pair
      `indicator_pair` gives (two proportions: z-test, or Fisher's exact
      test for small counts; ratings: Mann-Whitney U; NPS: the z-test of
      the difference), after as the first group.
    - Where control units exist: the difference-in-differences
      (`did_proportions`, `did_ratings`, `did_nps`), its standard error,
      normal interval at ``confidence`` and p-value; the verdict comes from
      it, since it removes what moved everywhere.
    - Values that cover every case (means of durations, rates) carry no
      sample evidence: the change (and the difference-in-differences) are
      reported without a test, and the verdict is ``untested``.

    Examples:
        >>> action = ImprovementAction(id="CA-1", type="corrective", title="Retrain",
        ...     owner="store_manager", raised_at=datetime(2026, 11, 2, tzinfo=UTC),
        ...     due=date(2026, 11, 30), target=ActionTarget("fcr", store_ids=["S1"]))
        >>> def share(store, successes):
        ...     return IndicatorValue(indicator_id="fcr", store_id=store, value=successes / 200,
        ...                           n=200, successes=successes)
        >>> effect = action_effect(action, before=[share("S1", 120), share("S2", 120)],
        ...                        after=[share("S1", 150), share("S2", 145)])
        >>> effect.verdict.value, round(effect.did, 3), round(effect.did_p_value, 3)
        ('no_real_change', 0.025, 0.704)

    Raises:
        ValidationError: every bad argument, with its path: an action without a target
            (``$.action.target``), values that are not `IndicatorValue`s
            (``$.before[2]``), values of the indicator not grouped by store when the
            action names stores, a bad alpha or confidence.
    """
    problems = Problems()
    _check_effect_arguments(action, alpha, confidence, problems)
    before_values = _check_values(before, "$.before", problems)
    after_values = _check_values(after, "$.after", problems)
    problems.raise_if_any()
    assert action.target is not None
    indicator = action.target.indicator_id
    acting_ids = set(action.target.units)
    by = action.target.by
    periods = []
    for path, values in (("$.before", before_values), ("$.after", after_values)):
        mine = [value for value in values if value.indicator_id == indicator]
        grouped = _by_unit(mine, by)
        if acting_ids and None in grouped:
            problems.add(
                path,
                f"must hold the indicator's values grouped by {by}: the action names its "
                f"{'staff' if by == 'staff' else 'stores'}",
                "inconsistent",
            )
        elif not acting_ids and len(grouped) > 1:
            problems.add(
                path,
                "must hold one ungrouped value of the indicator: the whole organisation acted",
                "inconsistent",
            )
        periods.append(grouped)
    problems.raise_if_any()
    first, second = periods
    measured = {
        store
        for store in set(first) & set(second)
        if any(value.n for value in first[store]) and any(value.n for value in second[store])
    }
    acting = sorted((s for s in measured if s in acting_ids or not acting_ids), key=str)
    control = sorted((s for s in measured if acting_ids and s not in acting_ids), key=str)
    effect = _effect(
        action, indicator, first, second, acting, control, float(alpha), float(confidence)
    )
    left_out = sorted(acting_ids - set(acting))
    if not left_out:
        return effect
    return attrs.evolve(
        effect,
        method=f"{effect.method}; acting units left out, not measured in both periods: "
        + ", ".join(left_out),
    )


def _pooled(
    indicator: str, grouped: dict[str | None, list[IndicatorValue]], stores: Sequence[str | None]
) -> IndicatorValue | None:
    return _pool(indicator, [value for store in stores for value in grouped.get(store, [])])


def _effect(
    action: ImprovementAction,
    indicator: str,
    first: dict[str | None, list[IndicatorValue]],
    second: dict[str | None, list[IndicatorValue]],
    acting: Sequence[str | None],
    control: Sequence[str | None],
    alpha: float,
    confidence: float,
) -> ActionEffect:
    assert action.target is not None
    before = _pooled(indicator, first, acting)
    after = _pooled(indicator, second, acting)
    direction = (
        after.direction
        if after is not None
        else before.direction
        if before is not None
        else Direction.HIGHER_IS_BETTER
    )
    expected = action.target.expected or direction
    fields: dict[str, Any] = {
        "action_id": action.id,
        "indicator_id": indicator,
        "expected": expected,
        "acting_units": tuple(unit for unit in acting if unit is not None),
        "control_units": tuple(unit for unit in control if unit is not None),
        "before": None if before is None else before.value,
        "before_n": 0 if before is None else before.n,
        "after": None if after is None else after.value,
        "after_n": 0 if after is None else after.n,
        "change": None,
        "test": "",
        "p_value": None,
        "control_before": None,
        "control_before_n": 0,
        "control_after": None,
        "control_after_n": 0,
        "did": None,
        "did_standard_error": None,
        "did_low": None,
        "did_high": None,
        "did_p_value": None,
        "alpha": alpha,
    }
    if before is None or after is None:
        return ActionEffect(
            verdict=ActionVerdict.NOT_ENOUGH_DATA,
            method="the acting units were not measured in both periods",
            **fields,
        )
    fields["change"] = float(after.value) - float(before.value)  # type: ignore[arg-type]
    control_before = _pooled(indicator, first, control) if control else None
    control_after = _pooled(indicator, second, control) if control else None
    if control_before is not None and control_after is not None:
        fields.update(
            control_before=control_before.value, control_before_n=control_before.n,
            control_after=control_after.value, control_after_n=control_after.n,
            did=fields["change"] - (float(control_after.value) - float(control_before.value)),  # type: ignore[arg-type]
        )  # fmt: skip
    if before.successes is None and before.counts is None:
        return ActionEffect(
            verdict=ActionVerdict.UNTESTED,
            method=(
                "the values cover every case (no sample evidence): the change"
                + (" and the difference-in-differences are" if fields["did"] is not None else " is")
                + " reported without a test; pooled as the n-weighted mean of the units' values"
            ),
            **fields,
        )
    pair = indicator_pair(after, before, label=f"{indicator} after vs before")
    comparison: Comparison = compare(pair, alpha=alpha)
    fields.update(test=comparison.test, p_value=comparison.p_value)
    verdict = _moved(comparison.change, comparison.direction, expected)
    method = f"before/after in the acting units: {comparison.test or comparison.note}"
    if control_before is None or control_after is None:
        return ActionEffect(
            verdict=verdict,
            method=method + "; no units without the action to compare with",
            **fields,
        )
    try:
        control_pair = indicator_pair(control_after, control_before, label=f"{indicator} control")
        found = _did(pair, control_pair, confidence)
    except (InsufficientDataError, ValidationError) as error:
        return ActionEffect(
            verdict=ActionVerdict.NOT_ENOUGH_DATA,
            method=f"{method}; difference-in-differences not computed: {error}",
            **fields,
        )
    fields.update(
        did=found.estimate, did_standard_error=found.standard_error,
        did_low=found.interval.low, did_high=found.interval.high, did_p_value=found.p_value,
    )  # fmt: skip
    if found.p_value > alpha:
        verdict = ActionVerdict.NO_REAL_CHANGE
    else:
        went_up = found.estimate > 0
        verdict = (
            ActionVerdict.WORKED
            if went_up == (expected is Direction.HIGHER_IS_BETTER)
            else ActionVerdict.WORSE
        )
    return ActionEffect(
        verdict=verdict,
        method=f"{method}; verdict from the {found.method}, against "
        f"{len(fields['control_units'])} units without the action",
        **fields,
    )


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _check_periods(
    before: object, after: object, problems: Problems
) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]] | None:
    checked = []
    for path, period in (("$.before", before), ("$.after", after)):
        if (
            not isinstance(period, tuple)
            or len(period) != _PAIR
            or not all(isinstance(moment, datetime) for moment in period)
        ):
            problems.add(path, "must be a (start, end) pair of aware datetimes", "type")
            continue
        count = len(problems)
        check_aware(period[0], f"{path}.start", problems)
        check_aware(period[1], f"{path}.end", problems)
        if len(problems) > count:
            continue
        if _instant(period[1]) <= _instant(period[0]):
            problems.add(f"{path}.end", "must be after the start", "inconsistent")
            continue
        checked.append(period)
    if len(checked) != _PAIR:
        return None
    if _instant(checked[1][0]) < _instant(checked[0][1]):
        problems.add("$.after.start", "must not be before the end of before", "inconsistent")
        return None
    return checked[0], checked[1]


# Stands in for an action read by id, so that the other arguments are checked first.
_PROBE: Final = ImprovementAction(
    id="probe",
    type=ActionType.IMPROVEMENT,
    title="probe",
    owner="probe",
    raised_at=datetime(2000, 1, 1, tzinfo=UTC),
    due=date(2000, 1, 1),
    target=ActionTarget("probe"),
)


def stored_action_effect(
    target: Any,
    action: ImprovementAction | str,
    *,
    before: tuple[datetime, datetime],
    after: tuple[datetime, datetime],
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> ActionEffect:
    """`action_effect` on the records of a store: the action's indicator computed per store
    for each period with `compute_indicators`.

    ``action`` is an action, or the id of one stored in ``target``. The
    periods are ``[start, end)`` instants; ``after`` must not begin before
    ``before`` ends (leave out the weeks the action was being carried out).
    ``timezone`` and ``business_units`` are passed on to
    `compute_indicators`.

    Examples:
        >>> from datetime import timedelta
        >>> from retail_service_quality import InMemoryStore, ServiceInteraction
        >>> store = InMemoryStore()
        >>> day = datetime(2026, 10, 5, 9, tzinfo=UTC)
        >>> with store.unit_of_work() as uow:
        ...     uow.interactions.add_many(ServiceInteraction(
        ...         id=f"C-{n}", store_id="S1", channel="hotline",
        ...         occurred_at=day + timedelta(days=28 * (n % 2), minutes=n),
        ...         queue_time=timedelta(seconds=50 if n % 4 == 0 else 10)) for n in range(400))
        ...     uow.commit()
        400
        >>> action = ImprovementAction(id="CA-9", type="corrective", title="Add an agent",
        ...     owner="hotline_lead", raised_at=day, due=date(2026, 10, 20),
        ...     target=ActionTarget("service_level", store_ids=["S1"]))
        >>> effect = stored_action_effect(store, action,
        ...     before=(day, day + timedelta(days=7)),
        ...     after=(day + timedelta(days=28), day + timedelta(days=35)))
        >>> effect.before, effect.after, effect.verdict.value
        (0.5, 1.0, 'worked')

    Raises:
        ValidationError: every bad argument, with its path (``$.before.end``,
            ``$.after.start``, and those of `action_effect` and `compute_indicators`).
        NotFoundError: no stored action with that id.
    """
    problems = Problems()
    if isinstance(action, str):
        check_id(action, "$.action", problems)
        _check_effect_arguments(_PROBE, alpha, confidence, problems)
    else:
        _check_effect_arguments(action, alpha, confidence, problems)
    periods = _check_periods(before, after, problems)
    problems.raise_if_any()
    assert periods is not None
    chosen: ImprovementAction
    if isinstance(action, str):
        with unit_of(target, "actions", read_only=True) as uow:
            chosen = uow.actions.get(action)
        if chosen.target is None:
            raise ValidationError.single(
                "$.action.target",
                "is required: the indicator the action was meant to move, and where",
                "required",
            )
    else:
        chosen = action
    assert chosen.target is not None
    group_by = [chosen.target.by] if chosen.target.units else []
    values = []
    for start, end in periods:
        try:
            found = compute_indicators(
                target, [chosen.target.indicator_id], start=start, end=end, group_by=group_by,
                timezone=timezone, business_units=business_units, confidence=confidence,
            )  # fmt: skip
        except ValidationError as error:  # named at the action's own field
            raise ValidationError(
                [
                    attrs.evolve(problem, path="$.action.target.indicator_id")
                    if problem.path.startswith("$.indicators")
                    else problem
                    for problem in error.problems
                ]
            ) from None
        values.append(found)
    return action_effect(
        chosen, before=values[0], after=values[1], alpha=alpha, confidence=confidence
    )
