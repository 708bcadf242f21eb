"""The SQLite adapter's action repository.

Each action is kept as the library's JSON (its history and instants survive)
beside the columns it is selected by: its status, owner, due date (as its
proleptic Gregorian ordinal, so that dates compare as numbers) and the id of
the finding it answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from retail_service_quality.errors import RSQError, StorageError
from retail_service_quality.quality.actions import ActionStatus, ImprovementAction
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.storage._common import check_storable, documented_by
from retail_service_quality.storage.ports import ActionRepository
from retail_service_quality.storage.ports.actions import ActionFilter
from retail_service_quality.storage.sqlite._repository import Records, where_clause

__all__ = ["SQLiteActions"]


def _row(action: ImprovementAction) -> tuple[Any, ...]:
    check_storable(action)
    finding = None if action.finding is None else action.finding.id
    return (
        action.id,
        action.version,
        action.status.value,
        action.owner,
        action.due.toordinal(),
        finding,
        to_json(action),
    )


def _read(row: Sequence[Any]) -> ImprovementAction:
    try:
        return from_json(row[-1], ImprovementAction)
    except (TypeError, RSQError) as error:
        raise StorageError(f"the action {row[0]!r} cannot be read") from error


def _filter(chosen: ActionFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if chosen.status is not None:
        clauses.append("status = ?")
        params.append(chosen.status.value)
    if chosen.owner is not None:
        clauses.append("owner = ?")
        params.append(chosen.owner)
    if chosen.due_before is not None:
        clauses.append("due_day < ?")
        params.append(chosen.due_before.toordinal())
    if chosen.finding_id is not None:
        clauses.append("finding_id = ?")
        params.append(chosen.finding_id)
    return where_clause(clauses), params


@documented_by(ActionRepository)
class SQLiteActions(Records[ImprovementAction]):
    """Improvement and corrective actions in one SQLite unit of work, ordered by id."""

    table = "actions"
    kind = "action"
    columns = ("id", "version", "status", "owner", "due_day", "finding_id", "record")
    order = "id"
    record_type = ImprovementAction
    to_row = staticmethod(_row)
    from_row = staticmethod(_read)

    def query(
        self,
        *,
        status: ActionStatus | str | None = None,
        owner: str | None = None,
        due_before: date | None = None,
        finding_id: str | None = None,
    ) -> Iterator[ImprovementAction]:
        return self._stream(*_filter(ActionFilter.of(status, owner, due_before, finding_id)))

    def count(
        self,
        *,
        status: ActionStatus | str | None = None,
        owner: str | None = None,
        due_before: date | None = None,
        finding_id: str | None = None,
    ) -> int:
        return self._count(*_filter(ActionFilter.of(status, owner, due_before, finding_id)))
