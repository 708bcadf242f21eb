"""The SQLite adapter's review cycle repository.

Each cycle is kept as the library's JSON (its inputs and decisions) beside the
columns it is selected by: its status and the instants its period starts and
ends.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from retail_service_quality.errors import RSQError, StorageError
from retail_service_quality.quality.reviews import ReviewCycle, ReviewStatus
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.storage._common import check_storable, documented_by
from retail_service_quality.storage.ports.reviews import (
    ReviewFilter,
    ReviewRepository,
    review_span_us,
)
from retail_service_quality.storage.sqlite._repository import Records, where_clause

__all__ = ["SQLiteReviews"]


def _row(cycle: ReviewCycle) -> tuple[Any, ...]:
    check_storable(cycle)
    start, end = review_span_us(cycle)
    return (cycle.id, cycle.version, cycle.status.value, start, end, to_json(cycle))


def _read(row: Sequence[Any]) -> ReviewCycle:
    try:
        return from_json(row[-1], ReviewCycle)
    except (TypeError, RSQError) as error:
        raise StorageError(f"the review cycle {row[0]!r} cannot be read") from error


def _filter(chosen: ReviewFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if chosen.status is not None:
        clauses.append("status = ?")
        params.append(chosen.status.value)
    if chosen.at_us is not None:
        clauses.append("start_us <= ? AND end_us > ?")
        params += [chosen.at_us, chosen.at_us]
    return where_clause(clauses), params


@documented_by(ReviewRepository)
class SQLiteReviews(Records[ReviewCycle]):
    """Review cycles in one SQLite unit of work, ordered by id."""

    table = "reviews"
    kind = "review cycle"
    columns = ("id", "version", "status", "start_us", "end_us", "record")
    order = "id"
    record_type = ReviewCycle
    to_row = staticmethod(_row)
    from_row = staticmethod(_read)

    def query(
        self, *, status: ReviewStatus | str | None = None, covering: datetime | None = None
    ) -> Iterator[ReviewCycle]:
        return self._stream(*_filter(ReviewFilter.of(covering, status)))

    def count(
        self, *, status: ReviewStatus | str | None = None, covering: datetime | None = None
    ) -> int:
        return self._count(*_filter(ReviewFilter.of(covering, status)))
