"""The in-memory adapter's review cycle repository."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from retail_service_quality.quality.reviews import ReviewCycle, ReviewStatus
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import documented_by
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports.reviews import ReviewFilter, ReviewRepository

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryReviews"]


def _by_id(cycle: ReviewCycle) -> str:
    return cycle.id


@documented_by(ReviewRepository)
class MemoryReviews(Records[ReviewCycle]):
    """Review cycles in one in-memory unit of work, ordered by id."""

    record_type = ReviewCycle

    def __init__(self, table: Table[ReviewCycle], uow: MemoryUnitOfWork) -> None:
        super().__init__(table, uow, _by_id)

    def query(
        self, *, status: ReviewStatus | str | None = None, covering: datetime | None = None
    ) -> Iterator[ReviewCycle]:
        chosen = ReviewFilter.of(covering, status)
        return RecordStream(ReviewCycle, self._uow.stream(self._matching(chosen.matches)))

    def count(
        self, *, status: ReviewStatus | str | None = None, covering: datetime | None = None
    ) -> int:
        return len(self._matching(ReviewFilter.of(covering, status).matches))
