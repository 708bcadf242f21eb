"""Review cycles: plan, do, check, act, over a period and a scope.

A `ReviewCycle` is planned for a period and a scope (stores, channels,
business units, standards). Its inputs are computed, not typed: `review_inputs`
turns what the library measured — criteria statuses, the three gaps, period
over period changes, the vital few complaint causes — into `ReviewInput`s, the
inputs ISO 9001 clause 9.3.2 names (customer satisfaction and feedback, the
extent objectives were met, process performance, nonconformities). An input
that shows a problem (a red or amber criterion, a significant shortfall, a
real worsening, a vital complaint cause) needs a decision. Decisions record
the outputs of clause 9.3.3 (an improvement, a change to the standards or
procedures, a resource need, or no action with its reason), the actions they
raise and the document versions they change. The cycle cannot close while an
input that needs a decision is unaddressed: `ReviewCycle.close` raises an
`InvalidTransitionError` that names it.

Examples:
    >>> from datetime import datetime, timezone
    >>> cycle = ReviewCycle.plan(id="Q1-2026", scope=ReviewScope(store_ids=["S1"]),
    ...     start=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc))
    >>> cycle.status.value
    'planned'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION
from retail_service_quality._internal.times import instant_problem
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_text,
    check_version,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import (
    InvalidTransitionError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics.comparisons import ComparisonChange, ComparisonSet
from retail_service_quality.quality.attainment import pledge_attainment
from retail_service_quality.quality.changes import compare_values
from retail_service_quality.quality.compute import compute_indicators
from retail_service_quality.quality.criteria import (
    CriterionResult,
    CriterionStatus,
    PerformanceCriterion,
    StandardReference,
    evaluate_criteria,
)
from retail_service_quality.quality.documents import DocumentRef
from retail_service_quality.quality.gaps import (
    GapFinding,
    ServiceStandardLevel,
    pledge_gaps,
    standard_gaps,
    stored_expectation_gaps,
)
from retail_service_quality.quality.indicators import IndicatorCatalogue, TransactionCount
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.complaint_analysis import CausePareto, cause_pareto
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage._target import check_target, unit_of
from retail_service_quality.storage.ports.complaints import ComplaintQuery

__all__ = [
    "ReviewCycle",
    "ReviewDecision",
    "ReviewInput",
    "ReviewInputKind",
    "ReviewOutput",
    "ReviewScope",
    "ReviewStatus",
    "gather_review_inputs",
    "review_inputs",
]

_MAX_TEXT: Final = 2_000
_MAX_ITEMS: Final = 10_000


class ReviewStatus(StrEnum):
    """Where a review cycle stands.

    Examples:
        >>> ReviewStatus("in_review").value
        'in_review'
    """

    PLANNED = "planned"
    """Its period and scope are set; no input gathered yet."""
    IN_REVIEW = "in_review"
    """Its inputs are gathered; decisions are being recorded."""
    CLOSED = "closed"
    """Every input that needs a decision has one; nothing more is recorded."""


class ReviewInputKind(StrEnum):
    """What a review input comes from (ISO 9001 9.3.2).

    Examples:
        >>> ReviewInputKind("pledge_gap").value
        'pledge_gap'
    """

    CRITERION = "criterion"
    """A performance criterion's status: the extent objectives were met."""
    STANDARD_GAP = "standard_gap"
    """Standard vs real: a criterion's target against what was measured."""
    PLEDGE_GAP = "pledge_gap"
    """Pledged vs real: a pledge's target share against its attainment."""
    EXPECTATION_GAP = "expectation_gap"
    """Standard vs expectation: a standard's level against what customers expect."""
    CHANGE = "change"
    """An indicator that changed from the previous period: customer feedback, performance."""
    COMPLAINT_CAUSE = "complaint_cause"
    """One of the vital few causes of complaints: nonconformities, customer feedback."""
    ACTION = "action"
    """An action from an earlier review: its status, and whether it worked."""


class ReviewOutput(StrEnum):
    """What a decision of a review gives (ISO 9001 9.3.3).

    Examples:
        >>> ReviewOutput("resource_need").value
        'resource_need'
    """

    IMPROVEMENT = "improvement"
    """An opportunity for improvement, usually with actions."""
    CHANGE = "change"
    """A change to the standards, procedures or criteria: new document versions."""
    RESOURCE_NEED = "resource_need"
    """People, training or tools needed."""
    NO_ACTION = "no_action"
    """Reviewed, and nothing to do: the decision's text says why."""


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def _input_kind(value: ReviewInputKind | str) -> ReviewInputKind:
    return lenient_enum(ReviewInputKind, value)


def _output(value: ReviewOutput | str) -> ReviewOutput:
    return lenient_enum(ReviewOutput, value)


def _status(value: ReviewStatus | str) -> ReviewStatus:
    return lenient_enum(ReviewStatus, value)


def _channel(value: Channel | str | None) -> Channel | None:
    return lenient_enum(Channel, value) if isinstance(value, str) else value


def _count_problem(items: object, path: str, kind: str, problems: Problems) -> bool:
    """Record a problem unless ``items`` is a tuple of at most `_MAX_ITEMS`."""
    if not isinstance(items, tuple):
        problems.add(path, f"must be a list of {kind}", "type")
        return False
    if len(items) > _MAX_ITEMS:
        problems.add(path, f"must hold at most {_MAX_ITEMS:,} items", "range")
        return False
    return True


def _check_ids(items: object, path: str, problems: Problems) -> None:
    if _count_problem(items, path, "identifiers", problems):
        assert isinstance(items, tuple)
        for index, item in enumerate(items):
            check_id(item, join_path(path, index), problems)


@attrs.frozen(kw_only=True)
class ReviewScope:
    """What a review covers; an empty list covers every value.

    Attributes:
        store_ids: the stores.
        channels: the channels.
        business_units: the business units.
        standards: the standards (identifiers, as `StandardReference.id`).

    Examples:
        >>> scope = ReviewScope(store_ids=["S1", "S2"], channels=["hotline"])
        >>> scope.covers(store_id="S1", channel="hotline"), scope.covers(store_id="S3")
        (True, False)
    """

    store_ids: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    channels: tuple[Channel, ...] = attrs.field(default=(), converter=_tuple)
    business_units: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    standards: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_ids(self.store_ids, "$.store_ids", problems)
        _check_ids(self.business_units, "$.business_units", problems)
        _check_ids(self.standards, "$.standards", problems)
        if _count_problem(self.channels, "$.channels", "channels", problems):
            channels = tuple(lenient_enum(Channel, c) for c in self.channels)
            for index, channel in enumerate(channels):
                check_enum(channel, Channel, join_path("$.channels", index), problems)
            if not problems:
                object.__setattr__(self, "channels", channels)
        raise_problems(self, problems)

    def covers(
        self,
        *,
        store_id: str | None = None,
        channel: Channel | str | None = None,
        business_unit: str | None = None,
        standard: str | None = None,
    ) -> bool:
        """Whether a group falls in the scope: each key given must be in its list, where
        the scope lists any; a key not given (``None``) is not checked.

        Examples:
            >>> ReviewScope(business_units=["north"]).covers(business_unit="south")
            False
        """
        chosen = lenient_enum(Channel, channel) if isinstance(channel, str) else channel
        for value, allowed in (
            (store_id, self.store_ids),
            (chosen, self.channels),
            (business_unit, self.business_units),
            (standard, self.standards),
        ):
            if value is not None and allowed and value not in allowed:
                return False
        return True


@attrs.frozen(kw_only=True)
class ReviewInput(Tabular):
    """One input of a review, computed from what the library measured.

    Attributes:
        id: the input's identifier in its cycle: its kind, its subject and its group
            (``"criterion:asa-hotline:store=S1"``), stable from one gathering to the next.
        kind: where it comes from (`ReviewInputKind`).
        subject: the criterion, indicator, pledge, dimension, cause or action it is about.
        summary: the input in one line, for the review's minutes: no personal data.
        needs_decision: whether it shows a problem the review must decide on.
        store_id: the group's store, or ``None``.
        channel: the group's channel, or ``None``.
        business_unit: the group's business unit, or ``None``.
        value: what was measured, or ``None``.
        reference: what it is held against (a target, a pledge, the previous period), or
            ``None``.
        n: the cases behind ``value``.
        p_value: the p-value of the test behind it, or ``None``.
        standard: the standard concerned, or ``None``.

    Examples:
        >>> ReviewInput(id="criterion:asa:store=S1", kind="criterion", subject="asa",
        ...     summary="asa (store S1): red, 31 against 20 seconds", needs_decision=True,
        ...     store_id="S1", value=31.0, reference=20.0, n=400).needs_decision
        True
    """

    id: str = attrs.field(default=REQUIRED)
    kind: ReviewInputKind = attrs.field(default=REQUIRED, converter=_input_kind)
    subject: str = attrs.field(default=REQUIRED)
    summary: str = attrs.field(default=REQUIRED)
    needs_decision: bool = False
    store_id: str | None = None
    channel: Channel | None = attrs.field(default=None, converter=_channel)
    business_unit: str | None = None
    value: float | None = None
    reference: float | None = None
    n: int = 0
    p_value: float | None = None
    standard: StandardReference | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_text(self.id, "$.id", problems)
        if isinstance(self.id, str) and not 0 < len(self.id) <= _MAX_TEXT:
            problems.add("$.id", f"must be text of 1 to {_MAX_TEXT:,} characters", "range")
        check_enum(self.kind, ReviewInputKind, "$.kind", problems)
        for name in ("subject", "summary"):
            check_text(getattr(self, name), f"$.{name}", problems)
        if not isinstance(self.needs_decision, bool):
            problems.add("$.needs_decision", "must be true or false", "type")
        for name in ("store_id", "business_unit"):
            check_id(getattr(self, name), f"$.{name}", problems, optional=True)
        if self.channel is not None:
            check_enum(self.channel, Channel, "$.channel", problems)
        if self.standard is not None and not isinstance(self.standard, StandardReference):
            problems.add("$.standard", "must be a StandardReference or None", "type")
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class ReviewDecision:
    """A decision of a review on some of its inputs, and what it gives.

    Attributes:
        id: the decision's identifier in its cycle.
        input_ids: the inputs it addresses (at least one).
        output: what it gives (`ReviewOutput`).
        text: the decision, in words (names no customer).
        decided_at: when it was taken.
        decided_by: the role that took it (a role, not a person).
        action_ids: the actions it raises.
        document_changes: the new versions of standards or procedures it makes.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ReviewDecision(id="D1", input_ids=["criterion:asa:store=S1"], output="improvement",
        ...     text="Add a second agent at lunchtime.", decided_by="service_manager",
        ...     decided_at=datetime(2026, 4, 8, tzinfo=timezone.utc),
        ...     action_ids=["ACT-7"]).output
        <ReviewOutput.IMPROVEMENT: 'improvement'>
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    input_ids: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    output: ReviewOutput = attrs.field(default=REQUIRED, converter=_output)
    text: str = attrs.field(default=REQUIRED)
    decided_at: datetime = attrs.field(default=REQUIRED)
    decided_by: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    action_ids: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    document_changes: tuple[DocumentRef, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        if _count_problem(self.input_ids, "$.input_ids", "input identifiers", problems):
            if not self.input_ids:
                problems.add("$.input_ids", "must name at least one input", "required")
            for index, input_id in enumerate(self.input_ids):
                check_text(input_id, join_path("$.input_ids", index), problems)
        check_enum(self.output, ReviewOutput, "$.output", problems)
        check_text(self.text, "$.text", problems)
        if isinstance(self.text, str) and not 0 < len(self.text.strip()) <= _MAX_TEXT:
            problems.add("$.text", f"must be text of 1 to {_MAX_TEXT:,} characters", "range")
        check_aware(self.decided_at, "$.decided_at", problems)
        check_id(self.decided_by, "$.decided_by", problems)
        _check_ids(self.action_ids, "$.action_ids", problems)
        if _count_problem(self.document_changes, "$.document_changes", "DocumentRef", problems):
            for index, change in enumerate(self.document_changes):
                if not isinstance(change, DocumentRef):
                    problems.add(
                        join_path("$.document_changes", index), "must be a DocumentRef", "type"
                    )
        raise_problems(self, problems)


def _each_unique(
    items: object, path: str, kind: type[Any], noun: str, problems: Problems
) -> list[tuple[str, Any]]:
    """The items of ``kind``, each with its path; a problem for any other item and for an
    id given twice."""
    found: list[tuple[str, Any]] = []
    if not _count_problem(items, path, kind.__name__, problems):
        return found
    seen: set[str] = set()
    given: tuple[Any, ...] = items  # type: ignore[assignment]
    for index, item in enumerate(given):
        here = join_path(path, index)
        if not isinstance(item, kind):
            problems.add(here, f"must be a {kind.__name__}", "type")
            continue
        if item.id in seen:
            problems.add(join_path(here, "id"), f"repeats {noun} id", "duplicate")
        seen.add(item.id)
        found.append((here, item))
    return found


@attrs.frozen(kw_only=True)
class ReviewCycle(Tabular):
    """One review: a period, a scope, its inputs, its decisions, and its status.

    Build one with `plan`; gather its inputs with `with_inputs`, record
    decisions with `decide`, and `close` it once every input that needs a
    decision has one. Each step returns the new cycle. Its record has one row:
    the period, the scope's size, and the counts of inputs, decisions and
    inputs unaddressed.

    Attributes:
        id: the cycle's identifier.
        start: the first instant of the period reviewed.
        end: the instant the period ends (excluded).
        scope: what it covers.
        status: where it stands (`ReviewStatus`).
        inputs: its inputs, in the order gathered.
        decisions: its decisions, in the order taken.
        previous_id: the cycle before it, whose actions it follows up, or ``None``.
        closed_at: when it was closed, or ``None``.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 4, 8, tzinfo=timezone.utc)
        >>> cycle = ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc))
        >>> red = ReviewInput(id="criterion:asa", kind="criterion", subject="asa",
        ...     summary="asa: red", needs_decision=True)
        >>> cycle = cycle.with_inputs([red], at=at)
        >>> cycle.close(at=at)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.InvalidTransitionError: cannot close review Q1: 1 input needs a decision: criterion:asa
        >>> cycle = cycle.decide(ReviewDecision(id="D1", input_ids=["criterion:asa"],
        ...     output="improvement", text="Add a lunchtime agent.", decided_at=at,
        ...     decided_by="service_manager"))
        >>> cycle.close(at=at).status.value
        'closed'

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    start: datetime = attrs.field(default=REQUIRED)
    end: datetime = attrs.field(default=REQUIRED)
    scope: ReviewScope = attrs.field(factory=ReviewScope, metadata={"records": False})
    status: ReviewStatus = attrs.field(default=ReviewStatus.PLANNED, converter=_status)
    inputs: tuple[ReviewInput, ...] = attrs.field(
        default=(), converter=_tuple, metadata={"records": False}
    )
    decisions: tuple[ReviewDecision, ...] = attrs.field(
        default=(), converter=_tuple, metadata={"records": False}
    )
    previous_id: str | None = None
    closed_at: datetime | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_aware(self.start, "$.start", problems)
        check_aware(self.end, "$.end", problems)
        if (
            instant_problem(self.start) is None
            and instant_problem(self.end) is None
            and self.end.astimezone(UTC) <= self.start.astimezone(UTC)
        ):
            problems.add("$.end", "must be after the start", "inconsistent")
        if not isinstance(self.scope, ReviewScope):
            problems.add("$.scope", "must be a ReviewScope", "type")
        check_enum(self.status, ReviewStatus, "$.status", problems)
        ids = self._check_inputs(problems)
        self._check_decisions(ids, problems)
        check_id(self.previous_id, "$.previous_id", problems, optional=True)
        if self.closed_at is not None:
            check_aware(self.closed_at, "$.closed_at", problems)
        if isinstance(self.status, ReviewStatus) and (self.closed_at is None) is (
            self.status is ReviewStatus.CLOSED
        ):
            problems.add(
                "$.closed_at", "must be given exactly when the cycle is closed", "inconsistent"
            )
        if self.status is ReviewStatus.PLANNED and isinstance(self.inputs, tuple) and self.inputs:
            problems.add("$.inputs", "a planned cycle has no inputs yet", "inconsistent")
        check_version(self.version, problems)
        raise_problems(self, problems)

    def _check_inputs(self, problems: Problems) -> set[str]:
        found = _each_unique(self.inputs, "$.inputs", ReviewInput, "an input", problems)
        return {item.id for _, item in found}

    def _check_decisions(self, inputs: set[str], problems: Problems) -> None:
        found = _each_unique(self.decisions, "$.decisions", ReviewDecision, "a decision", problems)
        for path, item in found:
            for position, input_id in enumerate(item.input_ids):
                if input_id not in inputs:
                    problems.add(
                        join_path(join_path(path, "input_ids"), position),
                        "is not an input of this cycle",
                        "not_found",
                    )

    @classmethod
    def plan(
        cls,
        *,
        id: str,
        start: datetime,
        end: datetime,
        scope: ReviewScope | None = None,
        previous_id: str | None = None,
    ) -> ReviewCycle:
        """A new cycle for a period (``[start, end)``, instants) and a scope.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ReviewCycle.plan(id="Q2", start=datetime(2026, 4, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 7, 1, tzinfo=timezone.utc), previous_id="Q1").previous_id
            'Q1'

        Raises:
            ValidationError: every problem, with its path.
        """
        return cls(
            id=id,
            start=start,
            end=end,
            scope=ReviewScope() if scope is None else scope,
            previous_id=previous_id,
        )

    def _refuse_closed(self, step: str) -> None:
        if self.status is ReviewStatus.CLOSED:
            raise InvalidTransitionError(f"cannot {step} review {self.id}: it is closed")

    def with_inputs(self, inputs: Iterable[ReviewInput], *, at: datetime) -> ReviewCycle:
        """The cycle in review with these inputs (replacing any gathered before).

        Decisions already taken stay; every input they address must still be there.
        ``at`` is when the inputs were gathered: not before the period ends... it may
        be any instant: a review can look at a period still running.

        Examples:
            >>> from datetime import datetime, timezone
            >>> cycle = ReviewCycle.plan(id="Q1",
            ...     start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc))
            >>> cycle.with_inputs([], at=datetime(2026, 4, 2, tzinfo=timezone.utc)).status.value
            'in_review'

        Raises:
            InvalidTransitionError: the cycle is closed.
            ValidationError: an input that is not a `ReviewInput`, an id given twice, a
                decision's input gone.
        """
        self._refuse_closed("gather the inputs of")
        problems = Problems()
        check_aware(at, "$.at", problems)
        problems.raise_if_any()
        chosen = list(inputs) if isinstance(inputs, Iterable) else inputs
        return attrs.evolve(self, inputs=chosen, status=ReviewStatus.IN_REVIEW)

    def decide(self, decision: ReviewDecision) -> ReviewCycle:
        """The cycle with one more decision.

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 4, 8, tzinfo=timezone.utc)
            >>> cycle = ReviewCycle.plan(id="Q1",
            ...     start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).with_inputs([ReviewInput(
            ...     id="i1", kind="criterion", subject="csat", summary="csat: green")], at=at)
            >>> len(cycle.decide(ReviewDecision(id="D1", input_ids=["i1"], output="no_action",
            ...     text="On target.", decided_at=at, decided_by="quality_manager")).decisions)
            1

        Raises:
            InvalidTransitionError: the cycle is planned (no inputs gathered yet) or closed.
            ValidationError: not a `ReviewDecision`, its id taken, an input it names that is
                not an input of this cycle.
        """
        self._refuse_closed("record a decision in")
        if self.status is ReviewStatus.PLANNED:
            raise InvalidTransitionError(
                f"cannot record a decision in review {self.id}: its inputs are not gathered"
            )
        return attrs.evolve(self, decisions=(*self.decisions, decision))

    @property
    def addressed(self) -> frozenset[str]:
        """The ids of the inputs some decision addresses.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).addressed
            frozenset()
        """
        return frozenset(item for decision in self.decisions for item in decision.input_ids)

    @property
    def unaddressed(self) -> tuple[ReviewInput, ...]:
        """The inputs that need a decision and have none, in order.

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 4, 8, tzinfo=timezone.utc)
            >>> cycle = ReviewCycle.plan(id="Q1",
            ...     start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).with_inputs([ReviewInput(
            ...     id="i1", kind="criterion", subject="asa", summary="asa: red",
            ...     needs_decision=True)], at=at)
            >>> [item.id for item in cycle.unaddressed]
            ['i1']
        """
        done = self.addressed
        return tuple(item for item in self.inputs if item.needs_decision and item.id not in done)

    def close(self, *, at: datetime) -> ReviewCycle:
        """The cycle closed at ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 4, 8, tzinfo=timezone.utc)
            >>> ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).with_inputs(
            ...     [], at=at).close(at=at).closed_at == at
            True

        Raises:
            InvalidTransitionError: the cycle is planned or closed, or an input that needs
                a decision has none (the message names each, by id).
            ValidationError: ``at`` is not an aware datetime.
        """
        self._refuse_closed("close")
        if self.status is ReviewStatus.PLANNED:
            raise InvalidTransitionError(
                f"cannot close review {self.id}: its inputs are not gathered"
            )
        problems = Problems()
        check_aware(at, "$.at", problems)
        problems.raise_if_any()
        open_items = self.unaddressed
        if open_items:
            count = len(open_items)
            noun = "input needs" if count == 1 else "inputs need"
            names = ", ".join(item.id for item in open_items[:20])
            more = f" and {count - 20} more" if count > 20 else ""
            raise InvalidTransitionError(
                f"cannot close review {self.id}: {count} {noun} a decision: {names}{more}"
            )
        return attrs.evolve(self, status=ReviewStatus.CLOSED, closed_at=at)


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
    found: list[ReviewInput] = [_from_criterion(result) for result in chosen["criteria"]]
    found.extend(_from_gap(finding) for finding in chosen["gaps"])
    if changes is not None:
        found.extend(_from_changes(changes))
    if complaints is not None:
        found.extend(_from_pareto(complaints))
    seen: set[str] = set()
    for index, item in enumerate(found):
        if item.id in seen:  # the same group measured twice: one would hide the other
            raise ValidationError.single(
                f"$.inputs[{index}]", "repeats a group already given: " + item.id, "duplicate"
            )
        seen.add(item.id)
    return RecordList(ReviewInput, found)


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
      of the scope (chain-wide when the scope lists none).

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
            length = cycle.end - cycle.start
            current = scoped(
                compute_indicators(uow, indicators, start=cycle.start, end=cycle.end, **shared)
            )
            before = scoped(
                compute_indicators(
                    uow, indicators, start=cycle.start - length, end=cycle.start, **shared
                )
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
    found_inputs = list(review_inputs(criteria=results, gaps=gaps, changes=changes))
    return RecordList(ReviewInput, found_inputs + pareto)


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
