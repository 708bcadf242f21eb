"""The in-memory adapter's pledge repository."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from retail_service_quality.quality.pledges import PledgeMeasure, ServicePledge
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import documented_by
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports import PledgeRepository
from retail_service_quality.storage.ports.pledges import PledgeFilter

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryPledges"]


def _by_id(pledge: ServicePledge) -> str:
    return pledge.id


@documented_by(PledgeRepository)
class MemoryPledges(Records[ServicePledge]):
    """Service pledges in one in-memory unit of work, ordered by id."""

    record_type = ServicePledge

    def __init__(self, table: Table[ServicePledge], uow: MemoryUnitOfWork) -> None:
        super().__init__(table, uow, _by_id)

    def query(
        self, *, in_force_at: datetime | None = None, measure: PledgeMeasure | str | None = None
    ) -> Iterator[ServicePledge]:
        chosen = PledgeFilter.of(in_force_at, measure)
        return RecordStream(ServicePledge, self._uow.stream(self._matching(chosen.matches)))

    def count(
        self, *, in_force_at: datetime | None = None, measure: PledgeMeasure | str | None = None
    ) -> int:
        return len(self._matching(PledgeFilter.of(in_force_at, measure).matches))
