"""The SQLite adapter's pledge repository.

Each pledge is kept as the library's JSON (its versions, calendars and zones
survive) beside the columns it is selected by: its current measure and the
instants it applies from and until.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from retail_service_quality.errors import RSQError, StorageError
from retail_service_quality.quality.pledges import PledgeMeasure, ServicePledge
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.storage._common import check_storable, documented_by
from retail_service_quality.storage.ports import PledgeRepository
from retail_service_quality.storage.ports.pledges import PledgeFilter, pledge_span_us
from retail_service_quality.storage.sqlite._repository import Records, where_clause

__all__ = ["SQLitePledges"]


def _row(pledge: ServicePledge) -> tuple[Any, ...]:
    check_storable(pledge)
    start, end = pledge_span_us(pledge)
    return (pledge.id, pledge.version, pledge.measure.value, start, end, to_json(pledge))


def _read(row: Sequence[Any]) -> ServicePledge:
    try:
        return from_json(row[-1], ServicePledge)
    except (TypeError, RSQError) as error:
        raise StorageError(f"the pledge {row[0]!r} cannot be read") from error


def _filter(chosen: PledgeFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if chosen.measure is not None:
        clauses.append("measure = ?")
        params.append(chosen.measure.value)
    if chosen.at_us is not None:
        clauses.append("effective_us <= ? AND (ends_us IS NULL OR ends_us > ?)")
        params += [chosen.at_us, chosen.at_us]
    return where_clause(clauses), params


@documented_by(PledgeRepository)
class SQLitePledges(Records[ServicePledge]):
    """Service pledges in one SQLite unit of work, ordered by id."""

    table = "pledges"
    kind = "pledge"
    columns = ("id", "version", "measure", "effective_us", "ends_us", "record")
    order = "id"
    record_type = ServicePledge
    to_row = staticmethod(_row)
    from_row = staticmethod(_read)

    def query(
        self, *, in_force_at: datetime | None = None, measure: PledgeMeasure | str | None = None
    ) -> Iterator[ServicePledge]:
        return self._stream(*_filter(PledgeFilter.of(in_force_at, measure)))

    def count(
        self, *, in_force_at: datetime | None = None, measure: PledgeMeasure | str | None = None
    ) -> int:
        return self._count(*_filter(PledgeFilter.of(in_force_at, measure)))
