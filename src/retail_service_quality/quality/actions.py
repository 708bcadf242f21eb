"""Improvement and corrective actions: who does what by when, reminders, and whether it worked.

An `ImprovementAction` answers a finding (a red criterion, a gap, a missed
pledge, a complaint's root cause: a `FindingRef`), may change one version of a
controlled document (a `DocumentRef`), and is meant to move one indicator in
the units that act (`ActionTarget`). Its `ActionType` is one of the terms of
ISO 9001:2015 clause 10.2 and ISO 10002:2018: an *immediate* action (the
correction that contains a problem now), a *corrective* one (removing the
cause of a nonconformity so that it does not recur), a *preventive* one
(removing the cause of a potential nonconformity) or an *improvement*
(clause 10.3: raising performance where nothing went wrong).

Its status moves through methods that return the new action, each move
stamped with an aware instant::

    open -> in_progress -> done -> effective
                                -> ineffective
    open, in_progress -> cancelled

A move the status does not allow is an `InvalidTransitionError` naming the
move and the status.

`action_reminders` consults a rule set (`action_reminder_rules`, data a UI
can edit) over each action's facts: by default the owner is reminded 7 days
and 1 day before the due date and on the day, and an overdue action is
escalated. `raise_action` and `move_action` do the same on any store in one
line. Whether an action worked is tested by `action_effect`
(`retail_service_quality.quality.action_effects`).

Examples:
    >>> from datetime import date, datetime, timezone
    >>> action = ImprovementAction(
    ...     id="CA-1", type="corrective", title="Retrain the hotline on refunds",
    ...     owner="store_manager", raised_at=datetime(2026, 11, 2, 9, tzinfo=timezone.utc),
    ...     due=date(2026, 11, 30), finding=FindingRef("criterion", "hotline-fcr"),
    ...     target=ActionTarget("fcr", store_ids=["HK-1"]),
    ... )
    >>> started = action.start(at=datetime(2026, 11, 3, 9, tzinfo=timezone.utc))
    >>> started.status.value, started.allowed_moves
    ('in_progress', ('complete', 'cancel'))
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

import attrs

from retail_service_quality._internal.personal import PersonalDataClass, personal
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION, schema
from retail_service_quality._internal.times import instant_problem, zone_named
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_id_list,
    check_text,
    check_version,
    lenient_enum,
    masked,
    raise_problems,
)
from retail_service_quality.errors import (
    ConflictError,
    InvalidTransitionError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.quality.documents import DocumentRef
from retail_service_quality.quality.indicators import Direction
from retail_service_quality.rules import (
    Escalate,
    Flag,
    Notify,
    Rule,
    RuleSet,
    all_of,
    eq,
    escalate,
    flag,
    lt,
    notify,
)
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.storage._target import unit_of

__all__ = [
    "ACTION_MOVES",
    "OWNER",
    "ActionMove",
    "ActionReminder",
    "ActionStatus",
    "ActionStep",
    "ActionTarget",
    "ActionType",
    "FindingKind",
    "FindingRef",
    "ImprovementAction",
    "action_reminder_rules",
    "action_reminders",
    "move_action",
    "raise_action",
]

_log = logging.getLogger(__name__)

_MAX_TITLE: Final = 200
_MAX_DESCRIPTION: Final = 10_000
_MAX_STEPS: Final = 100

OWNER: Final = "owner"
"""The role a reminder rule notifies (``notify("owner")``) to mean each action's own owner."""


class ActionType(StrEnum):
    """What kind of action it is, in the terms of ISO 9001:2015 (10.2, 10.3) and ISO 10002.

    Examples:
        >>> ActionType("corrective") is ActionType.CORRECTIVE
        True
    """

    IMMEDIATE = "immediate"
    """A correction: contains a problem now (refund the customer, fix the sign) without
    removing its cause."""
    CORRECTIVE = "corrective"
    """Removes the cause of a nonconformity that happened, so that it does not recur
    (ISO 9001 10.2.1 b)."""
    PREVENTIVE = "preventive"
    """Removes the cause of a potential nonconformity before it happens."""
    IMPROVEMENT = "improvement"
    """Raises performance where nothing went wrong (ISO 9001 10.3, continual improvement)."""


class ActionStatus(StrEnum):
    """Where an action stands.

    Examples:
        >>> [status.value for status in ActionStatus]
        ['open', 'in_progress', 'done', 'effective', 'ineffective', 'cancelled']
    """

    OPEN = "open"
    """Raised, not yet started."""
    IN_PROGRESS = "in_progress"
    """Being carried out."""
    DONE = "done"
    """Carried out; its effect not yet verified."""
    EFFECTIVE = "effective"
    """Verified: it worked (final)."""
    INEFFECTIVE = "ineffective"
    """Verified: it did not work (final; raise another action)."""
    CANCELLED = "cancelled"
    """Dropped before it was done (final)."""

    @property
    def active(self) -> bool:
        """Whether the action is still to be carried out (open or in progress).

        Examples:
            >>> ActionStatus.IN_PROGRESS.active, ActionStatus.DONE.active
            (True, False)
        """
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionMove(StrEnum):
    """A move of an action's status (see `ACTION_MOVES`).

    Examples:
        >>> ActionMove("verify_effective").value
        'verify_effective'
    """

    START = "start"
    """open -> in_progress."""
    COMPLETE = "complete"
    """in_progress -> done."""
    VERIFY_EFFECTIVE = "verify_effective"
    """done -> effective."""
    VERIFY_INEFFECTIVE = "verify_ineffective"
    """done -> ineffective."""
    CANCEL = "cancel"
    """open or in_progress -> cancelled."""


ACTION_MOVES: Final[Mapping[ActionMove, tuple[tuple[ActionStatus, ...], ActionStatus]]] = (
    MappingProxyType(
        {
            ActionMove.START: ((ActionStatus.OPEN,), ActionStatus.IN_PROGRESS),
            ActionMove.COMPLETE: ((ActionStatus.IN_PROGRESS,), ActionStatus.DONE),
            ActionMove.VERIFY_EFFECTIVE: ((ActionStatus.DONE,), ActionStatus.EFFECTIVE),
            ActionMove.VERIFY_INEFFECTIVE: ((ActionStatus.DONE,), ActionStatus.INEFFECTIVE),
            ActionMove.CANCEL: (
                (ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
                ActionStatus.CANCELLED,
            ),
        }
    )
)
"""The state table: each move, the statuses it is allowed from, and the status it leads to."""


class FindingKind(StrEnum):
    """What kind of finding an action answers.

    Examples:
        >>> FindingKind("gap").value
        'gap'
    """

    CRITERION = "criterion"
    """A performance criterion judged amber or red (`CriterionResult`)."""
    GAP = "gap"
    """A service-quality gap (`GapFinding`)."""
    PLEDGE = "pledge"
    """A service pledge not attained (`AttainmentRow`, `PledgeAlert`)."""
    COMPLAINT = "complaint"
    """A complaint, or the root cause found for it."""
    SURVEY = "survey"
    """A survey result."""
    REVIEW = "review"
    """A decision of a management review."""
    AUDIT = "audit"
    """An audit's finding."""
    OTHER = "other"
    """Anything else (a suggestion from staff, a mystery shopper's visit)."""


def _kind(value: FindingKind | str) -> FindingKind:
    return lenient_enum(FindingKind, value)


@attrs.frozen
class FindingRef:
    """The finding an action answers: its kind and its identifier.

    Attributes:
        kind: what kind of finding it is (`FindingKind`).
        id: the finding's identifier (a criterion's id, a complaint's id...).

    Examples:
        >>> FindingRef("complaint", "CMP-17").kind
        <FindingKind.COMPLAINT: 'complaint'>

    Raises:
        ValidationError: every problem, with its path.
    """

    kind: FindingKind = attrs.field(default=REQUIRED, converter=_kind)
    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_enum(self.kind, FindingKind, "$.kind", problems)
        check_id(self.id, "$.id", problems)
        raise_problems(self, problems)


def _ids(value: Iterable[str]) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _optional_direction(value: Direction | str | None) -> Direction | None:
    return None if value is None else lenient_enum(Direction, value)


@attrs.frozen
class ActionTarget:
    """The indicator an action is meant to move, in which units, and which way.

    Attributes:
        indicator_id: the indicator (an id of the catalogue, or of a definition of your own).
        store_ids: the stores that act; empty when the whole organisation acts (then
            there are no units without the action to compare with).
        staff_ids: instead of stores, the staff members who act (those a training
            programme trained, from `trained_staff`): their indicators are compared with
            the other staff members'.
        expected: the way the indicator should move (``"higher"`` or ``"lower"``), or
            ``None`` for the indicator's own better direction.

    Examples:
        >>> ActionTarget("csat", store_ids=["HK-1", "HK-2"]).store_ids
        ('HK-1', 'HK-2')
        >>> ActionTarget("fcr_internal", staff_ids=["A-7", "A-9"]).units
        ('A-7', 'A-9')

    Raises:
        ValidationError: every problem, with its path.
    """

    indicator_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    store_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids, kw_only=True)
    staff_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids, kw_only=True)
    expected: Direction | None = attrs.field(
        default=None, converter=_optional_direction, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.indicator_id, "$.indicator_id", problems)
        check_id_list(self.store_ids, "$.store_ids", problems, required=False)
        check_id_list(self.staff_ids, "$.staff_ids", problems, required=False)
        if self.store_ids and self.staff_ids:
            problems.add(
                "$.staff_ids", "must be left out when stores act: one kind of unit", "inconsistent"
            )
        if self.expected is not None:
            check_enum(self.expected, Direction, "$.expected", problems)
        raise_problems(self, problems)

    @property
    def by(self) -> str:
        """The key the acting units are told apart by: ``"staff"`` or ``"store"``.

        Examples:
            >>> ActionTarget("csat", staff_ids=["A-7"]).by
            'staff'
        """
        return "staff" if self.staff_ids else "store"

    @property
    def units(self) -> tuple[str, ...]:
        """The acting units: the staff members, or the stores.

        Examples:
            >>> ActionTarget("csat", store_ids=["HK-1"]).units
            ('HK-1',)
        """
        return self.staff_ids or self.store_ids


def _move(value: ActionMove | str) -> ActionMove:
    return lenient_enum(ActionMove, value)


def _status(value: ActionStatus | str) -> ActionStatus:
    return lenient_enum(ActionStatus, value)


@attrs.frozen
class ActionStep:
    """One move of an action's status, stamped with the instant it was made.

    Attributes:
        move: the move made (`ActionMove`).
        at: when, as an aware datetime.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ActionStep("start", datetime(2026, 11, 3, 9, tzinfo=timezone.utc)).move
        <ActionMove.START: 'start'>

    Raises:
        ValidationError: every problem, with its path.
    """

    move: ActionMove = attrs.field(default=REQUIRED, converter=_move)
    at: datetime = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_enum(self.move, ActionMove, "$.move", problems)
        check_aware(self.at, "$.at", problems)
        raise_problems(self, problems)


def _type(value: ActionType | str) -> ActionType:
    return lenient_enum(ActionType, value)


def _steps(value: Iterable[ActionStep]) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _aware(value: object) -> bool:
    """An aware datetime in the supported range, whose instant can be compared."""
    return instant_problem(value) is None


def _allowed(status: ActionStatus) -> tuple[ActionMove, ...]:
    return tuple(move for move, (sources, _) in ACTION_MOVES.items() if status in sources)


def _check_history(action: ImprovementAction, problems: Problems) -> None:
    """The steps replay from open by the state table, in time order, to the status."""
    steps = action.history
    if not isinstance(steps, tuple):
        problems.add("$.history", "must be a list of ActionStep", "type")
        return
    if len(steps) > _MAX_STEPS:
        problems.add("$.history", f"must hold at most {_MAX_STEPS} steps", "range")
        return
    status = ActionStatus.OPEN
    last = action.raised_at if _aware(action.raised_at) else None
    replayed = True
    for index, step in enumerate(steps):
        path = join_path("$.history", index)
        if not isinstance(step, ActionStep):
            problems.add(path, "must be an ActionStep", "type")
            replayed = False
            continue
        sources, target = ACTION_MOVES[step.move]
        if replayed and status not in sources:
            problems.add(
                join_path(path, "move"),
                f"cannot {step.move.value} an action that is {status.value}",
                "inconsistent",
            )
            replayed = False
        status = target
        if last is not None and _instant(step.at) < _instant(last):
            problems.add(
                join_path(path, "at"),
                "must not be earlier than the move before it (or the raising)",
                "inconsistent",
            )
        last = step.at
    if replayed and isinstance(action.status, ActionStatus) and action.status is not status:
        problems.add("$.status", "must be the status the history leads to", "inconsistent")


@attrs.frozen(kw_only=True)
class ImprovementAction(Tabular):
    """An improvement or corrective action: what is to be done, by whom, by when, and why.

    Change its status with `start`, `complete`, `verify`, `cancel` or `move`
    (each returns the new action, the move stamped in ``history``); storage
    manages ``version``. Its record has one row, without the history and the
    description.

    Attributes:
        id: the action's identifier.
        type: immediate, corrective, preventive or improvement (`ActionType`).
        title: what is to be done, in a line ("Retrain the hotline on refunds"). Not
            personal data: it must not name a customer or a member of staff.
        owner: who carries it out: a role (``"store_manager"``) or a staff id.
        raised_at: when it was raised, as an aware datetime.
        due: the calendar date it is due by (a local date: see `action_reminders`).
        description: more detail, free text; personal data (kept out of reprs,
            records and messages), yet it should not name customers: refer to a
            complaint by its id.
        finding: the finding it answers, if any (`FindingRef`).
        document: the version of the standard, procedure or duties it changes, if any.
        target: the indicator it is meant to move, in which units, if any (`ActionTarget`).
        status: where it stands (`ActionStatus`).
        history: every move made, in order, each stamped.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> action = ImprovementAction(
        ...     id="CA-2", type="preventive", title="Add a refunds script",
        ...     owner="S-104", raised_at=datetime(2026, 11, 2, 9, tzinfo=timezone.utc),
        ...     due=date(2026, 12, 15), description="After three refunds went wrong",
        ...     document=DocumentRef("PROC-REFUND", 2),
        ... )
        >>> from_json(to_json(action), ImprovementAction) == action
        True
        >>> "After three" in repr(action)
        False

    Raises:
        ValidationError: every problem, with its path: a history that the state table does
            not allow, moves out of time order, a status other than the history's.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    type: ActionType = attrs.field(default=REQUIRED, converter=_type)
    title: str = attrs.field(default=REQUIRED, metadata=schema(minLength=1, maxLength=_MAX_TITLE))
    owner: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    raised_at: datetime = attrs.field(default=REQUIRED)
    due: date = attrs.field(default=REQUIRED)
    description: str | None = attrs.field(
        default=None, repr=masked, metadata=personal(PersonalDataClass.FREE_TEXT)
    )
    finding: FindingRef | None = None
    document: DocumentRef | None = None
    target: ActionTarget | None = None
    status: ActionStatus = attrs.field(default=ActionStatus.OPEN, converter=_status)
    history: tuple[ActionStep, ...] = attrs.field(
        default=(), converter=_steps, metadata={"records": False}
    )
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_enum(self.type, ActionType, "$.type", problems)
        check_text(self.title, "$.title", problems)
        if isinstance(self.title, str) and not 0 < len(self.title.strip()) <= _MAX_TITLE:
            problems.add("$.title", f"must be a line of 1 to {_MAX_TITLE} characters", "range")
        check_id(self.owner, "$.owner", problems)
        check_aware(self.raised_at, "$.raised_at", problems)
        if not isinstance(self.due, date) or isinstance(self.due, datetime):
            problems.add("$.due", "must be a date (not a datetime)", "type")
        elif _aware(self.raised_at) and self.due.toordinal() < self.raised_at.toordinal() - 1:
            # a day's grace: the raising instant's date in another zone may be a day later
            problems.add("$.due", "must not be before the day the action was raised", "range")
        check_text(self.description, "$.description", problems, optional=True)
        if isinstance(self.description, str) and len(self.description) > _MAX_DESCRIPTION:
            problems.add("$.description", f"must be at most {_MAX_DESCRIPTION} characters", "range")
        for name, kind in (
            ("finding", FindingRef),
            ("document", DocumentRef),
            ("target", ActionTarget),
        ):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), kind):
                problems.add(f"$.{name}", f"must be a {kind.__name__} or null", "type")
        check_enum(self.status, ActionStatus, "$.status", problems)
        _check_history(self, problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    # ------------------------------------------------------------ moves

    @property
    def allowed_moves(self) -> tuple[str, ...]:
        """The moves its status allows now, by name.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
            ...     due=date(2026, 11, 2)).allowed_moves
            ('start', 'cancel')
        """
        return tuple(move.value for move in _allowed(self.status))

    def move(self, move: ActionMove | str, *, at: datetime) -> ImprovementAction:
        """The action after ``move`` (a name of `ActionMove`), made at ``at``.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> at = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> action = ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=at, due=date(2026, 11, 2))
            >>> action.move("complete", at=at)
            Traceback (most recent call last):
            ...
            retail_service_quality.errors.InvalidTransitionError: cannot complete an action that is open: the moves allowed now are start, cancel

        Raises:
            ValidationError: an unknown move (``$.move``), ``at`` not an aware datetime in
                the supported range or earlier than the last move (``$.at``).
            InvalidTransitionError: the status does not allow the move (the message names
                both).
        """  # noqa: E501
        problems = Problems()
        chosen = lenient_enum(ActionMove, move)
        if not isinstance(chosen, ActionMove):
            problems.add(
                "$.move",
                "must be one of: " + ", ".join(item.value for item in ActionMove),
                "unknown_choice" if isinstance(move, str) else "type",
            )
        check_aware(at, "$.at", problems)
        problems.raise_if_any()
        sources, target = ACTION_MOVES[chosen]
        if self.status not in sources:
            allowed = _allowed(self.status)
            now = (
                "the moves allowed now are " + ", ".join(item.value for item in allowed)
                if allowed
                else "no move is allowed from there"
            )
            raise InvalidTransitionError(
                f"cannot {chosen.value} an action that is {self.status.value}: {now}"
            )
        last = self.history[-1].at if self.history else self.raised_at
        if _instant(at) < _instant(last):
            raise ValidationError.single(
                "$.at",
                "must not be earlier than the action's last move (or its raising)",
                "inconsistent",
            )
        return attrs.evolve(self, status=target, history=(*self.history, ActionStep(chosen, at)))

    def start(self, *, at: datetime) -> ImprovementAction:
        """Started: open -> in_progress.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> at = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=at, due=date(2026, 11, 2),
            ... ).start(at=at).status.value
            'in_progress'

        Raises:
            ValidationError: a bad ``at`` (see `move`).
            InvalidTransitionError: the action is not open.
        """
        return self.move(ActionMove.START, at=at)

    def complete(self, *, at: datetime) -> ImprovementAction:
        """Carried out: in_progress -> done.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> at = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=at, due=date(2026, 11, 2),
            ... ).start(at=at).complete(at=at).completed_at == at
            True

        Raises:
            ValidationError: a bad ``at`` (see `move`).
            InvalidTransitionError: the action is not in progress.
        """
        return self.move(ActionMove.COMPLETE, at=at)

    def verify(self, *, at: datetime, effective: bool) -> ImprovementAction:
        """Its effect verified: done -> effective, or done -> ineffective.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> at = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> done = ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=at, due=date(2026, 11, 2),
            ... ).start(at=at).complete(at=at)
            >>> done.verify(at=at, effective=False).status.value
            'ineffective'

        Raises:
            ValidationError: ``effective`` not true or false, or a bad ``at`` (see `move`).
            InvalidTransitionError: the action is not done.
        """
        if not isinstance(effective, bool):
            raise ValidationError.single("$.effective", "must be true or false", "type")
        chosen = ActionMove.VERIFY_EFFECTIVE if effective else ActionMove.VERIFY_INEFFECTIVE
        return self.move(chosen, at=at)

    def cancel(self, *, at: datetime) -> ImprovementAction:
        """Dropped: open or in_progress -> cancelled.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> at = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=at, due=date(2026, 11, 2),
            ... ).cancel(at=at).allowed_moves
            ()

        Raises:
            ValidationError: a bad ``at`` (see `move`).
            InvalidTransitionError: the action is done, verified or cancelled already.
        """
        return self.move(ActionMove.CANCEL, at=at)

    def _stamp(self, *moves: ActionMove) -> datetime | None:
        found = [step.at for step in self.history if step.move in moves]
        return found[-1] if found else None

    @property
    def started_at(self) -> datetime | None:
        """When it was started, or ``None``.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
            ...     due=date(2026, 11, 2)).started_at is None
            True
        """
        return self._stamp(ActionMove.START)

    @property
    def completed_at(self) -> datetime | None:
        """When it was carried out (done), or ``None``: where its "after" period begins.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
            ...     due=date(2026, 11, 2)).completed_at is None
            True
        """
        return self._stamp(ActionMove.COMPLETE)

    @property
    def closed_at(self) -> datetime | None:
        """When it reached a final status (effective, ineffective, cancelled), or ``None``.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> at = datetime(2026, 11, 2, tzinfo=timezone.utc)
            >>> ImprovementAction(id="A", type="immediate", title="Refund the order",
            ...     owner="duty_manager", raised_at=at, due=date(2026, 11, 2),
            ... ).cancel(at=at).closed_at == at
            True
        """
        return self._stamp(
            ActionMove.VERIFY_EFFECTIVE, ActionMove.VERIFY_INEFFECTIVE, ActionMove.CANCEL
        )


# ---------------------------------------------------------------- reminders


def action_reminder_rules(
    *, days_before: Sequence[int] = (7, 1), escalate_to: str = "quality_manager"
) -> RuleSet:
    """The default reminder rules, in mode ``"first"``: the most urgent that holds wins.

    Each consults only active actions (open or in progress):

    1. ``overdue``: the due date has passed: flag ``overdue``, notify the
       owner and escalate to ``escalate_to``.
    2. ``due_today``: due today: flag ``due_today``, notify the owner.
    3. ``due_in_<d>_days`` for each ``d`` of ``days_before`` (``due_in_1_day``
       for 1): due in exactly ``d`` days: flag it, notify the owner.

    The owner is notified through the role `OWNER` (``"owner"``), which
    `action_reminders` reads as each action's own owner. The facts each rule
    reads: ``action_id``, ``type``, ``status``, ``active``, ``owner``,
    ``due`` (ISO date text), ``today`` (the local date, ISO text),
    ``days_left`` (calendar days from today to the due date, negative once
    overdue), ``overdue``, ``finding_kind``, ``finding_id`` and
    ``indicator_id``. Edit the rule set as data (JSON) to change them.

    Examples:
        >>> [rule.id for rule in action_reminder_rules().ordered]
        ['overdue', 'due_today', 'due_in_7_days', 'due_in_1_day']

    Raises:
        ValidationError: days that are not distinct whole numbers from 1 to 366, or a
            role that is not an identifier.
    """
    problems = Problems()
    days: list[int] = []
    if isinstance(days_before, str | bytes) or not isinstance(days_before, Sequence):
        problems.add("$.days_before", "must be a list of whole numbers of days", "type")
    else:
        for index, value in enumerate(days_before):
            path = join_path("$.days_before", index)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
                problems.add(path, "must be a whole number of days from 1 to 366", "range")
            elif value in days:
                problems.add(path, "repeats a number of days", "duplicate")
            else:
                days.append(value)
    check_id(escalate_to, "$.escalate_to", problems)
    problems.raise_if_any()
    active = eq("active", True)
    rules = [
        Rule(
            id="overdue",
            description="The action is past its due date.",
            when=all_of(active, lt("days_left", 0)),
            actions=[flag("overdue"), notify(OWNER), escalate(escalate_to)],
            order=1,
        ),
        Rule(
            id="due_today",
            description="The action is due today.",
            when=all_of(active, eq("days_left", 0)),
            actions=[flag("due_today"), notify(OWNER)],
            order=2,
        ),
    ]
    for index, value in enumerate(days):
        name = f"due_in_{value}_day" + ("" if value == 1 else "s")
        rules.append(
            Rule(
                id=name,
                description=f"The action is due in {value} {name.rsplit('_', 1)[1]}.",
                when=all_of(active, eq("days_left", value)),
                actions=[flag(name), notify(OWNER)],
                order=3 + index,
            )
        )
    return RuleSet(id="action_reminders", mode="first", rules=rules)


@attrs.frozen(kw_only=True)
class ActionReminder(Tabular):
    """One action whose reminder rules fired (`action_reminders`).

    Attributes:
        action_id: the action.
        owner: its owner (a role or a staff id).
        title: what is to be done.
        due: its due date.
        today: the local date it was checked on.
        days_left: calendar days from ``today`` to ``due`` (negative once overdue).
        level: the label the rule flagged (``"overdue"``, ``"due_in_7_days"``...), or the
            rule's id when it flags nothing.
        rule_id: the rule that fired.
        notify: who to notify: the roles of the rule, the owner in place of ``"owner"``.
        escalate_to: the roles or teams to escalate to.
        explanation: why the rule fired, from the verdict (no personal data).

    Examples:
        >>> from datetime import date
        >>> ActionReminder(action_id="CA-1", owner="store_manager", title="Retrain",
        ...     due=date(2026, 11, 30), today=date(2026, 11, 23), days_left=7,
        ...     level="due_in_7_days", rule_id="due_in_7_days", notify=("store_manager",),
        ...     escalate_to=(), explanation="days_left = 7: holds").days_left
        7
    """

    action_id: str
    owner: str
    title: str
    due: date
    today: date
    days_left: int
    level: str
    rule_id: str
    notify: tuple[str, ...]
    escalate_to: tuple[str, ...]
    explanation: str


def _reminder_facts(action: ImprovementAction, today: date) -> dict[str, Any]:
    days_left = (action.due - today).days
    return {
        "action_id": action.id,
        "type": action.type.value,
        "status": action.status.value,
        "active": action.status.active,
        "owner": action.owner,
        "due": action.due.isoformat(),
        "today": today.isoformat(),
        "days_left": days_left,
        "overdue": days_left < 0,
        "finding_kind": None if action.finding is None else action.finding.kind.value,
        "finding_id": None if action.finding is None else action.finding.id,
        "indicator_id": None if action.target is None else action.target.indicator_id,
    }


def _actions(value: object, path: str, problems: Problems) -> list[ImprovementAction]:
    chosen: list[ImprovementAction] = []
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        problems.add(path, "must be a list of ImprovementAction", "type")
        return chosen
    for index, action in enumerate(value):
        if isinstance(action, ImprovementAction):
            chosen.append(action)
        else:
            problems.add(join_path(path, index), "must be an ImprovementAction", "type")
    return chosen


def action_reminders(
    actions: Iterable[ImprovementAction],
    *,
    at: datetime,
    timezone: str,
    rules: RuleSet | None = None,
) -> RecordList[ActionReminder]:
    """The reminders due at ``at``: each action whose rules (`action_reminder_rules` by
    default) fire.

    A due date is a calendar date, so it is compared as one: ``days_left`` is
    the number of calendar days from the local date of the instant ``at`` in
    ``timezone`` (an IANA zone, the one whose calendar the due dates are in)
    to the due date. A day counts as one whatever its length: the 23-hour
    and 25-hour days of a daylight-saving change are one day each, and "7
    days before" is the same local date whatever the hour ``at`` is. Run it
    once a day; each reminder comes on its day only.

    Reminders come in order of ``days_left`` (most overdue first), then by
    action id.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> action = ImprovementAction(id="CA-1", type="corrective", title="Retrain the hotline",
        ...     owner="store_manager", raised_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
        ...     due=date(2026, 11, 30))
        >>> at = datetime(2026, 11, 22, 16, 30, tzinfo=timezone.utc)  # 23 Nov 00:30 in HK
        >>> [(r.level, r.notify) for r in action_reminders([action], at=at,
        ...                                                  timezone="Asia/Hong_Kong")]
        [('due_in_7_days', ('store_manager',))]
        >>> list(action_reminders([action], at=at, timezone="Europe/London"))
        []

    Raises:
        ValidationError: every bad argument, with its path (``$.actions[1]``, ``$.at``,
            ``$.timezone``, ``$.rules``).
    """
    problems = Problems()
    chosen = _actions(actions, "$.actions", problems)
    check_aware(at, "$.at", problems)
    zone = zone_named(timezone)
    if zone is None:
        problems.add(
            "$.timezone",
            "must be a known IANA time zone",
            "unknown_choice" if isinstance(timezone, str) else "type",
        )
    if rules is not None and not isinstance(rules, RuleSet):
        problems.add("$.rules", "must be a RuleSet or None", "type")
    problems.raise_if_any()
    assert zone is not None
    today = at.astimezone(zone).date()
    consulted = action_reminder_rules() if rules is None else rules
    reminders: list[ActionReminder] = []
    for action in chosen:
        facts = _reminder_facts(action, today)
        verdict = consulted.evaluate(facts, at=at)
        if not verdict.fired:
            continue
        labels = [item.label for item in verdict.actions if isinstance(item, Flag)]
        roles = tuple(
            action.owner if item.role == OWNER else item.role
            for item in verdict.actions
            if isinstance(item, Notify)
        )
        fired = [outcome for outcome in verdict.outcomes if outcome.fired]
        reminders.append(
            ActionReminder(
                action_id=action.id,
                owner=action.owner,
                title=action.title,
                due=action.due,
                today=today,
                days_left=facts["days_left"],
                level=labels[0] if labels else fired[0].rule_id,
                rule_id=fired[0].rule_id,
                notify=tuple(dict.fromkeys(roles)),
                escalate_to=tuple(
                    item.to for item in verdict.actions if isinstance(item, Escalate)
                ),
                explanation="; ".join(outcome.explanation for outcome in fired),
            )
        )
    reminders.sort(key=lambda reminder: (reminder.days_left, reminder.action_id))
    _log.debug("action reminders at %s: %d of %d actions", today, len(reminders), len(chosen))
    return RecordList(ActionReminder, reminders)


# ---------------------------------------------------------------- on any store


def raise_action(target: Any, action: ImprovementAction) -> ImprovementAction:
    """Store a new action in a store (its own unit of work, committed) or an open unit of
    work; returns it as stored.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> store = InMemoryStore()
        >>> raise_action(store, ImprovementAction(id="CA-1", type="corrective",
        ...     title="Retrain the hotline", owner="store_manager",
        ...     raised_at=datetime(2026, 11, 2, tzinfo=UTC), due=date(2026, 11, 30))).version
        1

    Raises:
        ValidationError: not an action (``$.action``), or a target that is neither a store
            nor a unit of work (``$.target``).
        ConflictError: an action with that id exists already.
    """
    problems = Problems()
    if not isinstance(action, ImprovementAction):
        problems.add("$.action", "must be an ImprovementAction", "type")
    if not (hasattr(target, "unit_of_work") or hasattr(target, "actions")):
        problems.add("$.target", "must be a store or an open unit of work", "type")
    problems.raise_if_any()
    with unit_of(target, "actions") as uow:
        uow.actions.add(action)
    _log.debug("action %s raised", action.id)
    return action


def move_action(
    target: Any,
    action_id: str,
    move: ActionMove | str,
    *,
    at: datetime,
    expected_version: int | None = None,
) -> ImprovementAction:
    """Move a stored action one step (``"start"``, ``"complete"``, ``"verify_effective"``,
    ``"verify_ineffective"``, ``"cancel"``); returns it as saved.

    With ``expected_version`` (the version a screen showed), an action someone
    else moved meanwhile is a `ConflictError`; the save itself is always
    checked against the version read.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> store = InMemoryStore()
        >>> at = datetime(2026, 11, 2, tzinfo=UTC)
        >>> _ = raise_action(store, ImprovementAction(id="CA-1", type="corrective",
        ...     title="Retrain the hotline", owner="store_manager", raised_at=at,
        ...     due=date(2026, 11, 30)))
        >>> moved = move_action(store, "CA-1", "start", at=at)
        >>> moved.status.value, moved.version
        ('in_progress', 2)

    Raises:
        ValidationError: a bad id, move, instant or version (every problem, with its path).
        NotFoundError: no such action.
        InvalidTransitionError: the action's status does not allow the move.
        ConflictError: the action is not at ``expected_version``, or was saved by someone
            else meanwhile.
    """
    problems = Problems()
    check_id(action_id, "$.action_id", problems)
    chosen = lenient_enum(ActionMove, move)
    if not isinstance(chosen, ActionMove):
        problems.add(
            "$.move",
            "must be one of: " + ", ".join(item.value for item in ActionMove),
            "unknown_choice" if isinstance(move, str) else "type",
        )
    check_aware(at, "$.at", problems)
    if expected_version is not None:
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            problems.add("$.expected_version", "must be a whole number or None", "type")
        elif expected_version < 1:
            problems.add("$.expected_version", "must be at least 1", "range")
    if not (hasattr(target, "unit_of_work") or hasattr(target, "actions")):
        problems.add("$.target", "must be a store or an open unit of work", "type")
    problems.raise_if_any()
    with unit_of(target, "actions") as uow:
        stored = uow.actions.get(action_id)
        if expected_version is not None and stored.version != expected_version:
            raise ConflictError(
                f"action {action_id!r} is at version {stored.version}, "
                f"not {expected_version}: it was changed meanwhile"
            )
        saved: ImprovementAction = uow.actions.save(stored.move(chosen, at=at))
    _log.debug("action %s: %s", action_id, chosen.value)
    return saved
