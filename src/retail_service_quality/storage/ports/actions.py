"""The actions port: improvement and corrective actions, each with its history of moves.

An `ImprovementAction` is stored whole and saved optimistically like
pledges: `ActionRepository.save` succeeds only if the stored version is the
one read. Its description is free text marked personal (kept out of reprs and
records); it is stored, and should not name customers: refer to a complaint
by its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.validation import (
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.errors import Problems
from retail_service_quality.quality.actions import ActionStatus, ImprovementAction

__all__ = ["ActionRepository"]


@attrs.frozen
class ActionFilter:
    """Which actions `ActionRepository.query` selects, its arguments checked (for adapters)."""

    status: ActionStatus | None = None
    owner: str | None = None
    due_before: date | None = None
    finding_id: str | None = None

    @classmethod
    def of(
        cls, status: object, owner: object, due_before: object, finding_id: object
    ) -> ActionFilter:
        """The filter, once every argument is checked in one round (`ValidationError`)."""
        problems = Problems()
        chosen: object = None
        if status is not None:
            chosen = lenient_enum(ActionStatus, status)
            check_enum(chosen, ActionStatus, "$.status", problems)
        check_id(owner, "$.owner", problems, optional=True)
        if due_before is not None and (
            not isinstance(due_before, date) or isinstance(due_before, datetime)
        ):
            problems.add("$.due_before", "must be a date (not a datetime) or None", "type")
        check_id(finding_id, "$.finding_id", problems, optional=True)
        problems.raise_if_any()
        return cls(chosen, owner, due_before, finding_id)  # type: ignore[arg-type]

    def matches(self, action: ImprovementAction) -> bool:
        """Whether an action is selected."""
        if self.status is not None and action.status is not self.status:
            return False
        if self.owner is not None and action.owner != self.owner:
            return False
        if self.due_before is not None and not action.due < self.due_before:
            return False
        return self.finding_id is None or (
            action.finding is not None and action.finding.id == self.finding_id
        )


@runtime_checkable
class ActionRepository(Protocol):
    """Improvement and corrective actions, each with its history of moves, in one unit of work.

    `query` selects by status, owner, due date (strictly before a date: the
    calendar dates compare as dates) and the id of the finding answered,
    every argument given at once; the actions come ordered by id.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import ImprovementAction, InMemoryStore
        >>> action = ImprovementAction(id="CA-1", type="corrective", title="Retrain the hotline",
        ...     owner="store_manager", raised_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
        ...     due=date(2026, 11, 30))
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.actions.add(action)
        ...     isinstance(uow.actions, ActionRepository), uow.actions.count(status="open")
        (True, 1)
    """

    def add(self, action: ImprovementAction) -> None:
        """Add a new action. Raises `ConflictError` if the id exists."""

    def add_many(self, actions: Iterable[ImprovementAction]) -> int:
        """Add many new actions at once; returns how many. All or none on error."""

    def get(self, id: str) -> ImprovementAction:
        """The action with that id. Raises `NotFoundError`."""

    def save(self, action: ImprovementAction) -> ImprovementAction:
        """Store an action read at ``action.version`` (moved or edited); returns it at the
        next version.

        Raises `ConflictError` if the stored version differs (someone else saved it) and
        `NotFoundError` if there is no such action.
        """

    def query(
        self,
        *,
        status: ActionStatus | str | None = None,
        owner: str | None = None,
        due_before: date | None = None,
        finding_id: str | None = None,
    ) -> Iterator[ImprovementAction]:
        """Stream the actions that match every argument given, ordered by id: with that
        ``status``, that ``owner``, due strictly before ``due_before``, answering the
        finding ``finding_id``; every action if none is given."""

    def count(
        self,
        *,
        status: ActionStatus | str | None = None,
        owner: str | None = None,
        due_before: date | None = None,
        finding_id: str | None = None,
    ) -> int:
        """How many actions match (as `query`)."""
