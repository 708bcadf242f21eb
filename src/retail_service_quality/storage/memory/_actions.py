"""The in-memory adapter's action repository."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from retail_service_quality.quality.actions import ActionStatus, ImprovementAction
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import documented_by
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports import ActionRepository
from retail_service_quality.storage.ports.actions import ActionFilter

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryActions"]


def _by_id(action: ImprovementAction) -> str:
    return action.id


@documented_by(ActionRepository)
class MemoryActions(Records[ImprovementAction]):
    """Improvement and corrective actions in one in-memory unit of work, ordered by id."""

    record_type = ImprovementAction

    def __init__(self, table: Table[ImprovementAction], uow: MemoryUnitOfWork) -> None:
        super().__init__(table, uow, _by_id)

    def query(
        self,
        *,
        status: ActionStatus | str | None = None,
        owner: str | None = None,
        due_before: date | None = None,
        finding_id: str | None = None,
    ) -> Iterator[ImprovementAction]:
        chosen = ActionFilter.of(status, owner, due_before, finding_id)
        return RecordStream(ImprovementAction, self._uow.stream(self._matching(chosen.matches)))

    def count(
        self,
        *,
        status: ActionStatus | str | None = None,
        owner: str | None = None,
        due_before: date | None = None,
        finding_id: str | None = None,
    ) -> int:
        return len(self._matching(ActionFilter.of(status, owner, due_before, finding_id).matches))
