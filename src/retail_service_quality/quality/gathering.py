"""A review's inputs, computed: from what was measured, or from a store's records.

`review_inputs` turns criteria results, gap findings, period-over-period
changes and the causes of complaints into the `ReviewInput`s of a
`ReviewCycle`, each marked when it needs a decision; `gather_review_inputs`
computes all of them from a store's records over a cycle's period and scope.

Examples:
    >>> review_inputs().to_records()
    []
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from retail_service_quality._internal.checks import is_finite_number
from retail_service_quality._internal.times import MIN_INSTANT, zone_named
from retail_service_quality._internal.validation import (
    check_aware,
    check_id,
)
from retail_service_quality.errors import (
    NotFoundError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics.comparisons import ComparisonChange, ComparisonSet
from retail_service_quality.quality._arguments import check_units
from retail_service_quality.quality.action_effects import stored_action_effect
from retail_service_quality.quality.actions import ActionStatus, ImprovementAction
from retail_service_quality.quality.attainment import pledge_attainment
from retail_service_quality.quality.changes import compare_values
from retail_service_quality.quality.compute import compute_indicators
from retail_service_quality.quality.criteria import (
    CriterionResult,
    CriterionStatus,
    PerformanceCriterion,
    evaluate_criteria,
)
from retail_service_quality.quality.gaps import (
    GapFinding,
    ServiceStandardLevel,
    pledge_gaps,
    standard_gaps,
    stored_expectation_gaps,
)
from retail_service_quality.quality.indicators import IndicatorCatalogue, TransactionCount
from retail_service_quality.quality.reviews import (
    ReviewCycle,
    ReviewDecision,
    ReviewInput,
    ReviewInputKind,
    ReviewScope,
)
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.complaint_analysis import CausePareto, cause_pareto
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage._target import check_target, unit_of
from retail_service_quality.storage.ports.complaints import ComplaintQuery

__all__ = [
    "close_review",
    "decide_review",
    "gather_review",
    "gather_review_inputs",
    "plan_review",
    "review_inputs",
]

# ---------------------------------------------------------------- inputs


def _group_text(**keys: Any) -> str:
    parts = [f"{name}={value}" for name, value in keys.items() if value is not None]
    return ",".join(parts)


def _input_id(kind: ReviewInputKind, subject: str, **keys: Any) -> str:
    group = _group_text(**keys)
    return f"{kind.value}:{subject}" + (f":{group}" if group else "")


def _keys(group: CriterionResult | GapFinding) -> dict[str, Any]:
    return {
        "store": group.store_id,
        "channel": None if group.channel is None else group.channel.value,
        "unit": group.business_unit,
        "staff": group.staff_id,
        "month": None if group.month is None else group.month.isoformat()[:7],
        "weekday": group.weekday,
        "hour": group.hour,
    }


def _number(value: float | None) -> str:
    return "none" if value is None else f"{value:.4g}"


def _from_criterion(result: CriterionResult) -> ReviewInput:
    keys = _keys(result)
    status = result.status
    if status is CriterionStatus.NOT_ENOUGH_DATA:
        said = f"not enough data (n = {result.n}, fewer than {result.min_n})"
    else:
        certainty = "" if result.significant else ", not beyond noise"
        said = (
            f"{status.value}{certainty}: {_number(result.value)} against "
            f"{_number(result.target)} {result.unit}, n = {result.n}"
        )
    where = _group_text(**keys)
    return ReviewInput(
        id=_input_id(ReviewInputKind.CRITERION, result.criterion_id, **keys),
        kind=ReviewInputKind.CRITERION,
        subject=result.criterion_id,
        summary=f"criterion {result.criterion_id}" + (f" ({where})" if where else "") + f": {said}",
        needs_decision=status in (CriterionStatus.RED, CriterionStatus.AMBER),
        store_id=result.store_id,
        channel=result.channel,
        business_unit=result.business_unit,
        value=result.value,
        reference=result.target,
        n=result.n,
        standard=result.standard,
    )


_GAP_KINDS: Final = {
    "standard_vs_real": ReviewInputKind.STANDARD_GAP,
    "pledged_vs_real": ReviewInputKind.PLEDGE_GAP,
    "standard_vs_expectation": ReviewInputKind.EXPECTATION_GAP,
}


def _from_gap(finding: GapFinding) -> ReviewInput:
    kind = _GAP_KINDS[finding.kind.value]
    keys = _keys(finding)
    return ReviewInput(
        id=_input_id(kind, finding.subject, **keys),
        kind=kind,
        subject=finding.subject,
        summary=finding.explain(),
        needs_decision=finding.significant and finding.shortfall,
        store_id=finding.store_id,
        channel=finding.channel,
        business_unit=finding.business_unit,
        value=finding.measured,
        reference=finding.reference,
        n=finding.n,
        p_value=finding.p_value,
        standard=finding.standard,
    )


def _from_changes(family: ComparisonSet) -> Iterator[ReviewInput]:
    for comparison in family.comparisons.values():
        change = comparison.change
        verdict = change.value.replace("_", " ")
        yield ReviewInput(
            id=_input_id(ReviewInputKind.CHANGE, comparison.label),
            kind=ReviewInputKind.CHANGE,
            subject=comparison.label,
            summary=(
                f"{comparison.label}: {_number(comparison.first)} against "
                f"{_number(comparison.second)} before, {verdict}"
                + (
                    ""
                    if comparison.adjusted_p_value is None
                    else f" (adjusted p = {_number(comparison.adjusted_p_value)})"
                )
            ),
            needs_decision=change is ComparisonChange.WORSE,
            value=comparison.first,
            reference=comparison.second,
            n=comparison.n1,
            p_value=comparison.adjusted_p_value,
        )


def _from_pareto(
    pareto: CausePareto, store_id: str | None = None, channel: Channel | None = None
) -> Iterator[ReviewInput]:
    keys = {"store": store_id, "channel": None if channel is None else channel.value}
    where = _group_text(**keys)
    for cause, row in pareto.causes.items():
        vital = " (one of the vital few)" if row.vital else ""
        yield ReviewInput(
            id=_input_id(ReviewInputKind.COMPLAINT_CAUSE, cause, **keys),
            kind=ReviewInputKind.COMPLAINT_CAUSE,
            subject=cause,
            summary=(
                f"complaint cause {cause}"
                + (f" ({where})" if where else "")
                + f": {row.count} of {pareto.n} complaints with a root cause, "
                f"{_number(row.share)} of them{vital}"
            ),
            needs_decision=row.vital,
            store_id=store_id,
            channel=channel,
            value=row.share,
            n=pareto.n,
        )


def review_inputs(
    *,
    criteria: Iterable[CriterionResult] = (),
    gaps: Iterable[GapFinding] = (),
    changes: ComparisonSet | None = None,
    complaints: CausePareto | None = None,
) -> RecordList[ReviewInput]:
    """The inputs of a review, from what was measured: criteria statuses, gaps, changes and
    the causes of complaints.

    - each `CriterionResult` (from `evaluate_criteria`) gives an input that needs a
      decision when it is red or amber (not enough data is recorded, not decided on);
    - each `GapFinding` (`standard_gaps`, `pledge_gaps`, `expectation_gaps`) gives an
      input that needs a decision when it is a significant shortfall;
    - each comparison of a `ComparisonSet` (`compare_periods`) gives an input that
      needs a decision when it is a real change for the worse;
    - each root cause of a `CausePareto` (`cause_pareto`) gives an input that needs a
      decision when it is one of the vital few.

    Inputs are given in that order, each with an id made of its kind, its subject and
    its group, so that the same finding has the same id when gathered again.

    Examples:
        >>> from retail_service_quality import CriterionResult, StandardReference
        >>> red = CriterionResult(criterion_id="asa-hotline", indicator_id="asa",
        ...     store_id="S1", status="red", significant=True, possible=["red"], value=31.0,
        ...     n=400, unit="seconds", direction="lower", target=20.0, amber_threshold=25.0,
        ...     min_n=30, standard=StandardReference("SQ-01"))
        >>> [item] = review_inputs(criteria=[red])
        >>> item.id, item.needs_decision
        ('criterion:asa-hotline:store=S1', True)
        >>> item.summary
        'criterion asa-hotline (store=S1): red: 31 against 20 seconds, n = 400'

    Raises:
        ValidationError: every argument of the wrong type, with its path.
    """
    problems = Problems()
    chosen: dict[str, list[Any]] = {}
    for name, given, kind in (
        ("criteria", criteria, CriterionResult),
        ("gaps", gaps, GapFinding),
    ):
        items: list[Any] = []
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            problems.add(f"$.{name}", f"must be a list of {kind.__name__}", "type")
        else:
            for index, item in enumerate(given):
                if isinstance(item, kind):
                    items.append(item)
                else:
                    problems.add(
                        join_path(f"$.{name}", index), f"must be a {kind.__name__}", "type"
                    )
        chosen[name] = items
    if changes is not None and not isinstance(changes, ComparisonSet):
        problems.add("$.changes", "must be a ComparisonSet or None", "type")
    if complaints is not None and not isinstance(complaints, CausePareto):
        problems.add("$.complaints", "must be a CausePareto or None", "type")
    problems.raise_if_any()
    found: list[tuple[str, ReviewInput]] = [
        (join_path("$.criteria", index), _from_criterion(result))
        for index, result in enumerate(chosen["criteria"])
    ]
    found.extend(
        (join_path("$.gaps", index), _from_gap(finding))
        for index, finding in enumerate(chosen["gaps"])
    )
    if changes is not None:
        found.extend(("$.changes", item) for item in _from_changes(changes))
    if complaints is not None:
        found.extend(("$.complaints", item) for item in _from_pareto(complaints))
    seen: set[str] = set()
    for path, item in found:
        if item.id in seen:  # the same group measured twice: one would hide the other
            problems.add(path, "repeats a group given before: " + item.id, "duplicate")
        seen.add(item.id)
    problems.raise_if_any()
    return RecordList(ReviewInput, [item for _, item in found])


# ---------------------------------------------------------------- gathering from a store

_PLEDGE_GROUPS: Final = ("store", "channel", "business_unit")


def _last_instant(cycle: ReviewCycle) -> datetime:
    return cycle.end - timedelta(microseconds=1)


def _in_scope(
    scope: ReviewScope,
    store_id: str | None,
    channel: Channel | None,
    business_unit: str | None,
    units: Mapping[str, str],
) -> bool:
    unit = business_unit if business_unit is not None else units.get(store_id or "")
    return scope.covers(store_id=store_id, channel=channel, business_unit=unit)


def _scope_stores(scope: ReviewScope, units: Mapping[str, str]) -> Sequence[str | None]:
    """The stores whose complaints a scope reads, one by one; ``[None]`` for every store."""
    if scope.store_ids:
        return [
            store
            for store in scope.store_ids
            if not scope.business_units or units.get(store) in scope.business_units
        ]
    if scope.business_units:
        return sorted(store for store, unit in units.items() if unit in scope.business_units)
    return [None]


def _check_gathering(
    target: object,
    cycle: object,
    now: object,
    criteria: object,
    group_by: object,
    levels: object,
    problems: Problems,
) -> tuple[list[PerformanceCriterion], list[ServiceStandardLevel]]:
    check_target(target, "interactions", problems)
    if not isinstance(cycle, ReviewCycle):
        problems.add("$.cycle", "must be a ReviewCycle", "type")
    check_aware(now, "$.now", problems)
    chosen: list[PerformanceCriterion] = []
    if isinstance(criteria, str | bytes | Mapping) or not isinstance(criteria, Iterable):
        problems.add("$.criteria", "must be a list of PerformanceCriterion", "type")
    else:
        for index, criterion in enumerate(criteria):
            if isinstance(criterion, PerformanceCriterion):
                chosen.append(criterion)
            else:
                problems.add(
                    join_path("$.criteria", index), "must be a PerformanceCriterion", "type"
                )
    if not isinstance(group_by, list | tuple) or not all(isinstance(key, str) for key in group_by):
        problems.add("$.group_by", "must be a list of grouping keys", "type")
    elif "month" in group_by:
        problems.add(
            "$.group_by", "must not hold month: a review judges its whole period", "inconsistent"
        )
    given: list[ServiceStandardLevel] = []
    if isinstance(levels, str | bytes | Mapping) or not isinstance(levels, Iterable):
        problems.add("$.levels", "must be a list of ServiceStandardLevel", "type")
    else:
        for index, level in enumerate(levels):
            if isinstance(level, ServiceStandardLevel):
                given.append(level)
            else:
                problems.add(join_path("$.levels", index), "must be a ServiceStandardLevel", "type")
    return chosen, given


def gather_review_inputs(
    target: Any,
    cycle: ReviewCycle,
    *,
    now: datetime,
    criteria: Iterable[PerformanceCriterion] = (),
    group_by: Sequence[str] = ("store",),
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    levels: Iterable[ServiceStandardLevel] = (),
    instrument_id: str = "servqual",
    catalogue: IndicatorCatalogue | None = None,
    transactions: Iterable[TransactionCount] | None = None,
    confidence: float = 0.95,
) -> RecordList[ReviewInput]:
    """A review's inputs, computed from the records of a store over the cycle's period and
    scope: `review_inputs` of everything the library measures.

    Read in one read-only unit of work of ``target`` (a store, or an open unit
    of work), for the cycle's period ``[start, end)``, cases up to ``now``:

    - the indicators the ``criteria`` judge (those of the scope's standards and
      business units), computed per ``group_by`` (``"month"`` apart: a review
      judges its whole period) and judged by the criteria in force at the
      period's last instant (`evaluate_criteria`), with their standard gaps
      (`standard_gaps`);
    - the same indicators in the period of the same length just before,
      compared group by group (`compare_values`): the real changes;
    - every stored pledge in force at some instant of the period, its
      attainment per store, channel or business unit as ``group_by`` asks
      (`pledge_attainment`), and its gaps (`pledge_gaps`);
    - with ``levels``, the gap between each standard level and what
      customers expect, from the SERVQUAL responses to ``instrument_id``
      (`stored_expectation_gaps`), per store of the scope;
    - the Pareto of complaint causes (`cause_pareto`), per store and channel
      of the scope (chain-wide when the scope lists none);
    - the actions to follow up: those the previous cycle's decisions raised
      (``cycle.previous_id``) and every stored action still open, in progress or
      done but not verified, in the scope (by the stores of its target). An open
      one needs a decision (continue, escalate, cancel); a done one with a target
      is tested on its indicator, the previous cycle's period against this one
      from the instant the action was done (the weeks it was being carried out
      left out; `stored_action_effect`), and needs a decision recording whether it
      worked; one done after the period is left for the next review; a verified or
      cancelled one from the previous cycle is reported.

    Only groups in the scope are kept: a store's business unit is read from
    ``business_units``. The inputs come in that order.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import (InMemoryStore, PerformanceCriterion,
        ...     ServiceInteraction, StandardReference)
        >>> store, start = InMemoryStore(), datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> with store.unit_of_work() as uow:
        ...     uow.interactions.add_many(ServiceInteraction(id=f"C-{n}", store_id="S1",
        ...         channel="hotline", occurred_at=start + timedelta(hours=n),
        ...         queue_time=timedelta(seconds=40)) for n in range(50))
        ...     uow.commit()
        50
        >>> asa = PerformanceCriterion(id="asa", indicator_id="asa", direction="lower",
        ...     target=20.0, amber_threshold=30.0, effective_from=start,
        ...     standard=StandardReference("SQ-01"))
        >>> cycle = ReviewCycle.plan(id="Q1", start=start, end=start + timedelta(days=90))
        >>> inputs = gather_review_inputs(store, cycle, now=cycle.end, criteria=[asa])
        >>> [(item.id, item.needs_decision) for item in inputs]
        [('criterion:asa:store=S1', True), ('standard_gap:asa:store=S1', True)]

    Raises:
        ValidationError: every problem with the arguments, with its path; those of
            the calculators it calls at their own paths.
    """
    problems = Problems()
    chosen, given_levels = _check_gathering(
        target, cycle, now, criteria, group_by, levels, problems
    )
    if timezone is not None and zone_named(timezone) is None:
        problems.add("$.timezone", "must be an IANA time zone name, or None", "unknown_choice")
    check_units(business_units, problems)
    if isinstance(confidence, bool) or not is_finite_number(confidence) or not 0 < confidence < 1:
        problems.add("$.confidence", "must be a number strictly between 0 and 1", "range")
    problems.raise_if_any()
    scope = cycle.scope
    units: Mapping[str, str] = business_units or {}
    judged = [
        criterion
        for criterion in chosen
        if (not scope.standards or criterion.standard.id in scope.standards)
        and (criterion.business_unit is None or scope.covers(business_unit=criterion.business_unit))
    ]
    indicators = sorted({criterion.indicator_id for criterion in judged})
    sales = None if transactions is None else list(transactions)
    keys = list(group_by)
    shared: dict[str, Any] = {
        "group_by": keys,
        "timezone": timezone,
        "business_units": business_units,
        "catalogue": catalogue,
        "transactions": sales,
        "confidence": confidence,
    }

    def scoped(values: Iterable[Any]) -> list[Any]:
        return [
            value
            for value in values
            if _in_scope(scope, value.store_id, value.channel, value.business_unit, units)
        ]

    results: list[CriterionResult] = []
    gaps: list[GapFinding] = []
    changes: ComparisonSet | None = None
    pareto: list[ReviewInput] = []
    with unit_of(target, "interactions", read_only=True) as uow:
        if indicators:
            earlier = _period_before(cycle)
            current = scoped(
                compute_indicators(uow, indicators, start=cycle.start, end=cycle.end, **shared)
            )
            before = scoped(
                compute_indicators(uow, indicators, start=earlier[0], end=earlier[1], **shared)
            )
            results = list(
                evaluate_criteria(
                    judged, current, at=_last_instant(cycle), business_units=business_units,
                    confidence=confidence,
                )
            )  # fmt: skip
            gaps.extend(standard_gaps(results, confidence=confidence))
            changes = compare_values(current, before)
        gaps.extend(_pledge_findings(uow, cycle, now, keys, business_units, timezone, confidence))
        stores = _scope_stores(scope, units)
        if given_levels:
            for store_id in stores:
                found = stored_expectation_gaps(
                    uow, given_levels, start=cycle.start, end=cycle.end,
                    instrument_id=instrument_id, store_id=store_id,
                    business_unit=None if store_id is None else units.get(store_id),
                    confidence=confidence,
                )  # fmt: skip
                gaps.extend(found)
        for store_id in stores:
            for channel in scope.channels or (None,):
                query = ComplaintQuery(
                    start=cycle.start, end=cycle.end, store_id=store_id, channel=channel
                )
                pareto.extend(_from_pareto(cause_pareto(uow, query), store_id, channel))
        followed = _action_inputs(uow, cycle, now, timezone, business_units, confidence)
    found_inputs = list(review_inputs(criteria=results, gaps=gaps, changes=changes))
    return RecordList(ReviewInput, found_inputs + pareto + followed)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _period_before(cycle: ReviewCycle) -> tuple[datetime, datetime]:
    """The period of the same elapsed length just before the cycle's (instants: a wall-clock
    difference in one zone would lose or gain the hour of a clock change), from the start of
    the supported range at the earliest."""
    start = _utc(cycle.start)
    length = _utc(cycle.end) - start
    if start - _utc(MIN_INSTANT) <= length:
        return MIN_INSTANT, cycle.start
    return start - length, cycle.start


def _previous(uow: Any, cycle: ReviewCycle) -> ReviewCycle | None:
    if cycle.previous_id is None:
        return None
    try:
        found: ReviewCycle = uow.reviews.get(cycle.previous_id)
    except NotFoundError:
        return None
    return found


def _action_inputs(
    uow: Any,
    cycle: ReviewCycle,
    now: datetime,
    timezone: str | None,
    business_units: Mapping[str, str] | None,
    confidence: float,
) -> list[ReviewInput]:
    """The actions a review follows up (ISO 9001 9.3.2 a and e): those the previous cycle's
    decisions raised, and every other action still open or done but not verified; each
    done action with a target tested on its indicator, the previous period against this
    one."""
    previous = _previous(uow, cycle)
    raised = [] if previous is None else [i for d in previous.decisions for i in d.action_ids]
    chosen: dict[str, ImprovementAction] = {}
    for action_id in raised:
        try:
            chosen.setdefault(action_id, uow.actions.get(action_id))
        except NotFoundError:
            continue  # a decision may name an action kept elsewhere
    for status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        for action in uow.actions.query(status=status):
            chosen.setdefault(action.id, action)
    before = (
        (previous.start, previous.end)
        if previous is not None and previous.end.astimezone(UTC) <= cycle.start.astimezone(UTC)
        else _period_before(cycle)
    )
    today = now.astimezone(ZoneInfo(timezone)).date() if timezone else now.date()
    found: list[ReviewInput] = []
    for action_id in sorted(chosen):
        action = chosen[action_id]
        if not _in_scope(cycle.scope, *_action_group(action), business_units or {}):
            continue
        found.append(
            _from_action(uow, action, before, cycle, today, timezone, business_units, confidence)
        )
    return found


def _action_group(action: ImprovementAction) -> tuple[str | None, None, None]:
    stores = () if action.target is None else action.target.store_ids
    return (stores[0] if len(stores) == 1 else None, None, None)


def _from_action(
    uow: Any,
    action: ImprovementAction,
    before: tuple[datetime, datetime],
    cycle: ReviewCycle,
    today: date,
    timezone: str | None,
    business_units: Mapping[str, str] | None,
    confidence: float,
) -> ReviewInput:
    status = action.status
    head = f"action {action.id} ({action.type.value}, owner {action.owner}): "
    store_id = _action_group(action)[0]
    if status.active:
        late = " (overdue)" if action.due < today else ""
        return ReviewInput(
            id=_input_id(ReviewInputKind.ACTION, action.id),
            kind=ReviewInputKind.ACTION,
            subject=action.id,
            summary=head + f"{status.value.replace('_', ' ')}, due {action.due.isoformat()}{late}",
            needs_decision=True,
            store_id=store_id,
        )
    if status is ActionStatus.DONE and action.target is not None:
        done = action.completed_at
        begins = cycle.start if done is None else max(cycle.start, done, key=_utc)
        if _utc(begins) >= _utc(cycle.end):
            return ReviewInput(
                id=_input_id(ReviewInputKind.ACTION, action.id),
                kind=ReviewInputKind.ACTION,
                subject=action.id,
                summary=head + "done after the period reviewed: tested at the next review",
                store_id=store_id,
            )
        try:
            effect = stored_action_effect(
                uow, action, before=before, after=(begins, cycle.end), timezone=timezone,
                business_units=business_units, alpha=1 - confidence, confidence=confidence,
            )  # fmt: skip
        except ValidationError as error:  # the action's own target cannot be computed
            return ReviewInput(
                id=_input_id(ReviewInputKind.ACTION, action.id),
                kind=ReviewInputKind.ACTION,
                subject=action.id,
                summary=head + f"done; its effect cannot be tested: {error.problems[0]}",
                needs_decision=True,
                store_id=store_id,
            )
        verdict = effect.verdict.value.replace("_", " ")
        return ReviewInput(
            id=_input_id(ReviewInputKind.ACTION, action.id),
            kind=ReviewInputKind.ACTION,
            subject=action.id,
            summary=(
                head + f"done; {effect.indicator_id} {_number(effect.before)} before, "
                f"{_number(effect.after)} after: {verdict}"
            ),
            needs_decision=True,  # the review records whether it worked
            store_id=store_id,
            value=effect.after,
            reference=effect.before,
            n=effect.after_n,
            p_value=effect.did_p_value if effect.did_p_value is not None else effect.p_value,
        )
    return ReviewInput(
        id=_input_id(ReviewInputKind.ACTION, action.id),
        kind=ReviewInputKind.ACTION,
        subject=action.id,
        summary=head + status.value.replace("_", " "),
        needs_decision=status is ActionStatus.DONE,  # done, no indicator: judged by the review
        store_id=store_id,
    )


def _pledge_findings(
    uow: Any,
    cycle: ReviewCycle,
    now: datetime,
    group_by: list[str],
    business_units: Mapping[str, str] | None,
    timezone: str | None,
    confidence: float,
) -> list[GapFinding]:
    start, end = cycle.start.astimezone(UTC), cycle.end.astimezone(UTC)
    keys: list[Any] = [key for key in group_by if key in _PLEDGE_GROUPS]
    units: Mapping[str, str] = business_units or {}
    findings: list[GapFinding] = []
    for pledge in uow.pledges.query():
        began = pledge.effective_from.astimezone(UTC)
        ended = None if pledge.ends_at is None else pledge.ends_at.astimezone(UTC)
        if began >= end or (ended is not None and ended <= start):
            continue  # not in force at any instant of the period
        rows = pledge_attainment(
            uow, pledge, start=cycle.start, end=cycle.end, now=now, group_by=keys,
            business_units=business_units, timezone=timezone, confidence=confidence,
        )  # fmt: skip
        kept = [
            row
            for row in rows
            if _in_scope(cycle.scope, row.store_id, row.channel, row.business_unit, units)
        ]
        findings.extend(
            pledge_gaps(
                kept, pledges=[pledge], start=cycle.start, end=cycle.end, confidence=confidence
            )
        )
    return findings


# ---------------------------------------------------------------- in one line, on any store


def plan_review(target: Any, cycle: ReviewCycle) -> ReviewCycle:
    """Store a newly planned review cycle in a store (its own unit of work, committed) or an
    open unit of work; returns it as stored.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore
        >>> cycle = ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc))
        >>> plan_review(InMemoryStore(), cycle).status.value
        'planned'

    Raises:
        ValidationError: not a `ReviewCycle` (``$.cycle``), or a target that is neither a
            store nor a unit of work (``$.target``).
        ConflictError: a cycle with that id exists already.
    """
    problems = Problems()
    check_target(target, "reviews", problems)
    if not isinstance(cycle, ReviewCycle):
        problems.add("$.cycle", "must be a ReviewCycle", "type")
    problems.raise_if_any()
    with unit_of(target, "reviews") as uow:
        uow.reviews.add(cycle)
    return cycle


def _stored_step(target: Any, cycle_id: str, step: Any, problems: Problems) -> ReviewCycle:
    """Read a stored cycle, take one step, save it: every argument checked first."""
    check_target(target, "reviews", problems)
    check_id(cycle_id, "$.cycle_id", problems)
    problems.raise_if_any()
    with unit_of(target, "reviews") as uow:
        saved: ReviewCycle = uow.reviews.save(step(uow, uow.reviews.get(cycle_id)))
    return saved


def gather_review(
    target: Any,
    cycle_id: str,
    *,
    now: datetime,
    criteria: Iterable[PerformanceCriterion] = (),
    group_by: Sequence[str] = ("store",),
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    levels: Iterable[ServiceStandardLevel] = (),
    instrument_id: str = "servqual",
    catalogue: IndicatorCatalogue | None = None,
    transactions: Iterable[TransactionCount] | None = None,
    confidence: float = 0.95,
) -> ReviewCycle:
    """Gather a stored cycle's inputs at ``now`` (`gather_review_inputs`, which takes the
    same arguments) and save the cycle in review; returns it as saved.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore
        >>> store = InMemoryStore()
        >>> _ = plan_review(store, ReviewCycle.plan(id="Q1",
        ...     start=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)))
        >>> gather_review(store, "Q1", now=datetime(2026, 4, 2, tzinfo=timezone.utc)).version
        2

    Raises:
        ValidationError: every bad argument, with its path.
        NotFoundError: no stored cycle with that id.
        InvalidTransitionError: the cycle is closed.
    """
    problems = Problems()
    check_aware(now, "$.now", problems)

    def step(uow: Any, cycle: ReviewCycle) -> ReviewCycle:
        inputs = gather_review_inputs(
            uow, cycle, now=now, criteria=criteria, group_by=group_by, timezone=timezone,
            business_units=business_units, levels=levels, instrument_id=instrument_id,
            catalogue=catalogue, transactions=transactions, confidence=confidence,
        )  # fmt: skip
        return cycle.with_inputs(inputs, at=now)

    return _stored_step(target, cycle_id, step, problems)


def decide_review(target: Any, cycle_id: str, decision: ReviewDecision) -> ReviewCycle:
    """Record a decision in a stored cycle; returns it as saved.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore, ReviewInput
        >>> store, at = InMemoryStore(), datetime(2026, 4, 8, tzinfo=timezone.utc)
        >>> cycle = ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).with_inputs([ReviewInput(
        ...     id="i1", kind="criterion", subject="asa", summary="asa: red",
        ...     needs_decision=True)], at=at)
        >>> _ = plan_review(store, cycle)
        >>> decide_review(store, "Q1", ReviewDecision(id="D1", input_ids=["i1"],
        ...     output="improvement", text="Add an agent.", decided_at=at,
        ...     decided_by="service_manager")).unaddressed
        ()

    Raises:
        ValidationError: every bad argument, with its path; a decision naming an input
            the cycle does not have.
        NotFoundError: no stored cycle with that id.
        InvalidTransitionError: the cycle is planned or closed.
    """
    problems = Problems()
    if not isinstance(decision, ReviewDecision):
        problems.add("$.decision", "must be a ReviewDecision", "type")
    return _stored_step(target, cycle_id, lambda _, cycle: cycle.decide(decision), problems)


def close_review(target: Any, cycle_id: str, *, at: datetime) -> ReviewCycle:
    """Close a stored cycle at ``at``; returns it as saved.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore
        >>> store, at = InMemoryStore(), datetime(2026, 4, 8, tzinfo=timezone.utc)
        >>> _ = plan_review(store, ReviewCycle.plan(id="Q1",
        ...     start=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).with_inputs([], at=at))
        >>> close_review(store, "Q1", at=at).status.value
        'closed'

    Raises:
        ValidationError: every bad argument, with its path.
        NotFoundError: no stored cycle with that id.
        InvalidTransitionError: the cycle is planned or closed, or an input that needs a
            decision has none (each named).
    """
    problems = Problems()
    check_aware(at, "$.at", problems)
    return _stored_step(target, cycle_id, lambda _, cycle: cycle.close(at=at), problems)
