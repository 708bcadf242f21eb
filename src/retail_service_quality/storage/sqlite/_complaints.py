"""The SQLite adapter's complaints: each history as JSON beside derived, indexed columns.

The SLA policy kept on each case is stored once per distinct policy (keyed by
a hash of its JSON) and decoded once per process: a desk's cases share a
handful of policies, so neither the file nor the reading repeats them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

from retail_service_quality.errors import RSQError, StorageError
from retail_service_quality.serialization import structure, to_json, unstructure
from retail_service_quality.serialization._records import RecordList, RecordStream
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.interactions import Channel
from retail_service_quality.service.sla import SlaPolicy, TargetKind
from retail_service_quality.storage._common import check_query, check_storable, documented_by
from retail_service_quality.storage._complaints import complaint_row, utc_from_us
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import ComplaintQuery, ComplaintRepository
from retail_service_quality.storage.ports.complaints import (
    ComplaintFacts,
    ComplaintGroupBy,
    ComplaintSummary,
    ComplaintTiming,
    check_complaint_summary,
    check_due_arguments,
    summary_rows,
)
from retail_service_quality.storage.sqlite._repository import (
    Repository,
    stream,
    translated,
    where_clause,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.sqlite._repository import SQLUnitOfWork

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
    "sla_policy_key",
    "resolution_us",
    "acknowledgement_due_us",
    "resolution_due_us",
    "record",
)
_KEY: Final = COLUMNS.index("sla_policy_key")

_DUE: Final = {
    TargetKind.ACKNOWLEDGEMENT: "acknowledgement_due_us",
    TargetKind.RESOLUTION: "resolution_due_us",
}

# Decoded policies by key (a hash of their JSON, so the same key is the same policy in any
# file); policies are immutable values, safe to share. Bounded: cleared when it grows past.
_POLICIES: dict[str, SlaPolicy] = {}
_POLICIES_LOCK: Final = threading.Lock()
_POLICIES_KEPT: Final = 256


def _policy_json(policy: SlaPolicy) -> tuple[str, str]:
    """A policy's canonical JSON and its key."""
    text = json.dumps(unstructure(policy), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), text


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
    where = staticmethod(_complaint_filter)

    def __init__(self, uow: SQLUnitOfWork) -> None:
        super().__init__(uow)
        self._new_policies: dict[str, str] = {}
        self.to_row = self._row
        self.from_row = self._read

    # ------------------------------------------------------------ writing

    def _row(self, complaint: Complaint) -> tuple[Any, ...]:
        check_storable(complaint)
        policy = complaint.sla_policy
        key: str | None = None
        if policy is not None:
            key, text = _policy_json(policy)
            self._new_policies[key] = text
        record = to_json(attrs.evolve(complaint, sla_policy=None) if policy else complaint)
        return complaint_row(complaint, record, key)

    def _keep_policies(self) -> None:
        """Store the policies named by the rows just written (each distinct one once)."""
        if not self._new_policies:
            return
        rows = list(self._new_policies.items())
        self._new_policies.clear()
        with translated("saving the SLA policies of complaint records"):
            self._uow.writer().executemany(
                self._uow.dialect.insert_ignoring_duplicates("sla_policies", "key, record", "?, ?"),
                rows,
            )

    def add_many(self, records: Iterable[Complaint]) -> int:
        self._new_policies.clear()
        added = super().add_many(records)
        self._keep_policies()
        return added

    def save(self, record: Complaint) -> Complaint:
        self._new_policies.clear()
        saved = super().save(record)
        self._keep_policies()
        return saved

    # ------------------------------------------------------------ reading

    def _policy(self, key: str) -> SlaPolicy:
        found = _POLICIES.get(key)
        if found is not None:
            return found
        with translated("reading the SLA policy of a complaint record"):
            row = (
                self._uow.connection()
                .execute("SELECT record FROM sla_policies WHERE key = ?", (key,))
                .fetchone()
            )
        if row is None:
            raise StorageError("the SLA policy of a complaint record is missing")
        found = structure(json.loads(row[0]), SlaPolicy)
        with _POLICIES_LOCK:
            if len(_POLICIES) >= _POLICIES_KEPT:
                _POLICIES.clear()
            _POLICIES[key] = found
        return found

    def _read(self, row: Sequence[Any]) -> Complaint:
        try:
            complaint = structure(json.loads(row[-1]), Complaint)
            key = row[_KEY]
            if key is None:
                return complaint
            return attrs.evolve(complaint, sla_policy=self._policy(key))
        except (TypeError, ValueError, RSQError) as error:
            if isinstance(error, StorageError):
                raise
            raise StorageError(f"the complaint {row[0]!r} cannot be read") from error

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

    def facts(self, query: ComplaintQuery | None = None) -> Iterator[ComplaintFacts]:
        check_query(query, ComplaintQuery)
        clauses, params = _clauses(query)
        where = where_clause(clauses)
        sql = (
            "SELECT id, store_id, channel, category, customer_id, received_us, resolution_us "
            f"FROM complaints{where} ORDER BY received_us, id"
        )
        return stream(self._uow, sql, params, _facts, "reading complaint facts")

    def timings(self, query: ComplaintQuery | None = None) -> Iterator[ComplaintTiming]:
        check_query(query, ComplaintQuery)
        clauses, params = _clauses(query)
        where = where_clause([f"complaints.{clause}" for clause in clauses])
        # The whole record only where its history stops the clock; its columns otherwise.
        waits = self._uow.dialect.json_list_length("complaints.record", "waits")
        reopenings = self._uow.dialect.json_list_length("complaints.record", "reopenings")
        sql = (
            "SELECT complaints.id, complaints.store_id, complaints.channel, c.tier, "
            "complaints.received_us, complaints.acknowledged_us, complaints.closed_us, "
            f"CASE WHEN {waits} > 0 OR {reopenings} > 0 THEN 1 ELSE 0 END, "
            f"{', '.join(f'complaints.{column}' for column in self.columns)} "
            "FROM complaints LEFT JOIN customers c ON c.id = complaints.customer_id"
            f"{where} ORDER BY complaints.received_us, complaints.id"
        )
        return stream(self._uow, sql, params, self._timing, "reading complaint timings")

    def _timing(self, row: Sequence[Any]) -> ComplaintTiming:
        channel = _CHANNELS.get(row[2])
        if channel is None:
            raise StorageError("a stored channel is one this release does not know")
        return ComplaintTiming(
            id=row[0],
            store_id=row[1],
            channel=channel,
            tier=row[3],
            received_at=utc_from_us(row[4]),  # type: ignore[arg-type]
            acknowledged_at=utc_from_us(row[5]),
            closed_at=utc_from_us(row[6]),
            complaint=self._read(row[8:]) if row[7] else None,
        )


def _facts(row: Sequence[Any]) -> ComplaintFacts:
    channel = _CHANNELS.get(row[2])
    if channel is None:
        raise StorageError("a stored channel is one this release does not know")
    return ComplaintFacts(
        id=row[0],
        store_id=row[1],
        channel=channel,
        category=row[3],
        customer_id=row[4],
        received_us=row[5],
        resolution_us=row[6],
    )


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


_CHANNELS: Final = {member.value: member for member in Channel}
