"""The SQLite adapter's complaints: each history as JSON beside derived, indexed columns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from retail_service_quality.errors import StorageError
from retail_service_quality.serialization import to_json
from retail_service_quality.serialization._records import RecordList, RecordStream
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.sla import TargetKind
from retail_service_quality.storage._common import check_storable, documented_by
from retail_service_quality.storage._complaints import complaint_row
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import ComplaintQuery, ComplaintRepository
from retail_service_quality.storage.ports.complaints import (
    ComplaintGroupBy,
    ComplaintSummary,
    check_complaint_summary,
    check_due_arguments,
    summary_rows,
)
from retail_service_quality.storage.sqlite._privacy import _record_reader
from retail_service_quality.storage.sqlite._repository import (
    Repository,
    stream,
    translated,
    where_clause,
)

__all__ = ["SQLiteComplaints"]

COLUMNS: Final = (
    "id",
    "version",
    "customer_id",
    "store_id",
    "channel",
    "category",
    "state",
    "is_open",
    "received_us",
    "acknowledged_us",
    "closed_us",
    "remedy_requested",
    "remedy_offered",
    "root_cause",
    "repeat_of",
    "sla_policy_id",
    "resolution_us",
    "acknowledgement_due_us",
    "resolution_due_us",
    "record",
)

_DUE: Final = {
    TargetKind.ACKNOWLEDGEMENT: "acknowledgement_due_us",
    TargetKind.RESOLUTION: "resolution_due_us",
}


def _row(complaint: Complaint) -> tuple[Any, ...]:
    check_storable(complaint)
    return complaint_row(complaint, to_json(complaint))


def _clauses(query: ComplaintQuery | None) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query is None:
        return clauses, params
    if query.start is not None:
        clauses.append("received_us >= ?")
        params.append(instant_us(query.start))
    if query.end is not None:
        clauses.append("received_us < ?")
        params.append(instant_us(query.end))
    for column, value in (
        ("store_id", query.store_id),
        ("channel", None if query.channel is None else query.channel.value),
        ("customer_id", query.customer_id),
        ("category", query.category),
        ("state", None if query.state is None else query.state.value),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.open is not None:
        clauses.append("is_open = ?")
        params.append(int(query.open))
    return clauses, params


def _complaint_filter(query: ComplaintQuery | None) -> tuple[str, list[Any]]:
    clauses, params = _clauses(query)
    return where_clause(clauses), params


@documented_by(ComplaintRepository)
class SQLiteComplaints(Repository[Complaint, ComplaintQuery]):
    """Complaints in one SQLite unit of work, ordered by instant received, then id."""

    table = "complaints"
    kind = "complaint"
    columns = COLUMNS
    order = "received_us, id"
    record_type = Complaint
    query_type = ComplaintQuery
    to_row = staticmethod(_row)
    from_row = staticmethod(_record_reader(Complaint, "complaint"))
    where = staticmethod(_complaint_filter)

    def due(
        self,
        kind: TargetKind | str = TargetKind.RESOLUTION,
        *,
        after: datetime | None = None,
        before: datetime | None = None,
        query: ComplaintQuery | None = None,
    ) -> Iterator[Complaint]:
        chosen, low, high = check_due_arguments(kind, after, before, query)
        column = _DUE[chosen]
        clauses, params = _clauses(query)
        clauses.insert(0, f"{column} IS NOT NULL")
        if low is not None:
            clauses.append(f"{column} >= ?")
            params.append(low)
        if high is not None:
            clauses.append(f"{column} < ?")
            params.append(high)
        names = ", ".join(self.columns)
        sql = f"SELECT {names} FROM {self.table}{where_clause(clauses)} ORDER BY {column}, id"
        return RecordStream(
            Complaint,
            stream(self._uow, sql, params, self.from_row, "reading complaint records"),
        )

    def summarize(
        self,
        query: ComplaintQuery | None = None,
        *,
        group_by: Sequence[ComplaintGroupBy] = (),
    ) -> RecordList[ComplaintSummary]:
        keys = set(check_complaint_summary(query, group_by))
        grouped = ", ".join(
            f"{column if key in keys else 'NULL'} AS k{index}"
            for index, (key, column) in enumerate(_GROUPED)
        )
        where, params = _complaint_filter(query)
        sql = (
            f"SELECT {grouped}, count(*), coalesce(sum(1 - is_open), 0), count(repeat_of) "
            f"FROM complaints{where} GROUP BY k0, k1, k2, k3, k4, k5"
        )
        with translated("summarizing complaints"):
            rows = self._uow.connection().execute(sql, params).fetchall()
        return summary_rows((tuple(row[:6]), row[6:]) for row in rows)

    def resolution_times(self, query: ComplaintQuery | None = None) -> Iterator[timedelta]:
        where, params = self._filter(query)
        timed = " AND resolution_us IS NOT NULL" if where else " WHERE resolution_us IS NOT NULL"
        sql = f"SELECT resolution_us FROM complaints{where}{timed} ORDER BY resolution_us, id"
        return stream(self._uow, sql, params, _resolution_time, "reading resolution times")


_GROUPED: Final = (
    ("category", "category"),
    ("channel", "channel"),
    ("store", "store_id"),
    ("root_cause", "root_cause"),
    ("remedy_requested", "remedy_requested"),
    ("remedy_offered", "remedy_offered"),
)


def _resolution_time(row: Sequence[Any]) -> timedelta:
    try:
        return timedelta(microseconds=row[0])
    except (TypeError, OverflowError) as error:
        raise StorageError("a stored resolution time cannot be read") from error
