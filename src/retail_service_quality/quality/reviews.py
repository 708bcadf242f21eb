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

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Final

import attrs

from retail_service_quality._internal.checks import check_number, is_integer
from retail_service_quality._internal.personal import PersonalDataClass, personal
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
    masked,
    raise_problems,
)
from retail_service_quality.errors import (
    InvalidTransitionError,
    Problems,
    join_path,
)
from retail_service_quality.quality.criteria import (
    StandardReference,
)
from retail_service_quality.quality.documents import DocumentRef
from retail_service_quality.service.interactions import Channel

__all__ = [
    "ReviewCycle",
    "ReviewDecision",
    "ReviewInput",
    "ReviewInputKind",
    "ReviewOutput",
    "ReviewScope",
    "ReviewStatus",
]

_MAX_TEXT: Final = 2_000
_MAX_ITEMS: Final = 10_000
_MAX_CASES: Final = 10**12


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
            text = getattr(self, name)
            check_text(text, f"$.{name}", problems)
            if isinstance(text, str) and not 0 < len(text.strip()) <= _MAX_TEXT:
                problems.add(f"$.{name}", f"must be text of 1 to {_MAX_TEXT:,} characters", "range")
        for name in ("value", "reference"):
            if getattr(self, name) is not None:
                check_number(getattr(self, name), f"$.{name}", problems)
        if not is_integer(self.n) or not 0 <= self.n <= _MAX_CASES:
            problems.add("$.n", f"must be a whole number from 0 to {_MAX_CASES:,}", "range")
        if self.p_value is not None:
            check_number(self.p_value, "$.p_value", problems, low=0, high=1)
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
        text: the decision, in words: free text, so kept out of reprs and records like
            personal data (it should name no customer, but might).
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
    text: str = attrs.field(
        default=REQUIRED, repr=masked, metadata=personal(PersonalDataClass.FREE_TEXT)
    )
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

    _not_in_records: ClassVar[tuple[str, ...]] = ("addressed", "unaddressed")

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
        self._check_not_before_start(at, "$.at", problems)
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
        if isinstance(decision, ReviewDecision):
            problems = Problems()
            self._check_not_before_start(decision.decided_at, "$.decided_at", problems)
            problems.raise_if_any()
        return attrs.evolve(self, decisions=(*self.decisions, decision))

    def _check_not_before_start(self, at: object, path: str, problems: Problems) -> None:
        """A step of the review is taken in or after its period, never before it starts."""
        if (
            isinstance(at, datetime)
            and instant_problem(at) is None
            and at.astimezone(UTC) < self.start.astimezone(UTC)
        ):
            problems.add(path, "must not be before the period reviewed starts", "range")

    @property
    def input_count(self) -> int:
        """How many inputs it has.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).input_count
            0
        """
        return len(self.inputs)

    @property
    def decision_count(self) -> int:
        """How many decisions it has.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).decision_count
            0
        """
        return len(self.decisions)

    @property
    def unaddressed_count(self) -> int:
        """How many inputs need a decision and have none.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc)).unaddressed_count
            0
        """
        return len(self.unaddressed)

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
        self._check_not_before_start(at, "$.at", problems)
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
