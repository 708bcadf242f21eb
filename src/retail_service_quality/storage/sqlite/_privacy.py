"""The SQLite adapter's privacy records: ledger events, data uses, suppression, requests, holds.

Each record is kept as the library's JSON (the one converter: zones and
microseconds survive) beside the indexed columns it is selected and ordered by.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, TypeVar

from retail_service_quality.customers.consent import (
    EVENT_KINDS,
    ConsentEvent,
    ConsentLedger,
    ConsentScope,
)
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest, SuppressionEntry
from retail_service_quality.customers.uses import DATA_USE_KINDS, DataUse
from retail_service_quality.errors import ConflictError, NotFoundError, RSQError, StorageError
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import (
    EVENT_RANK,
    USE_RANK,
    RequestFilter,
    check_customer_argument,
    check_event,
    check_events,
    check_record,
    check_since,
    check_storable,
    documented_by,
    suppression_bound,
    suppression_key,
)
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import (
    ConsentRepository,
    DataUseRepository,
    LegalHoldRepository,
    PrivacyRequestRepository,
    SuppressionRepository,
)
from retail_service_quality.storage.sqlite._repository import (
    Records,
    stream,
    translated,
    where_clause,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.sqlite._repository import SQLUnitOfWork

__all__ = [
    "SQLiteConsent",
    "SQLiteDataUses",
    "SQLiteLegalHolds",
    "SQLitePrivacyRequests",
    "SQLiteSuppression",
]

E = TypeVar("E", ConsentEvent, DataUse)
T = TypeVar("T")

_EVENT_COLUMNS: Final = "customer_id, event_id, at_us, rank, kind, record"
_ORDER: Final = "customer_id, at_us, rank, event_id"


def _reader(kinds: dict[str, type[Any]], name: str) -> Callable[[Sequence[Any]], Any]:
    """Read a record from its ``(id, kind, json)`` columns; `StorageError` if it cannot be."""

    def read(row: Sequence[Any]) -> Any:
        try:
            return from_json(row[2], kinds[row[1]])
        except (KeyError, TypeError, RSQError) as error:
            raise StorageError(f"the {name} {row[0]!r} cannot be read") from error

    return read


def _json(record: Any) -> str:
    check_storable(record)
    return to_json(record)


class _Events(Generic[E]):
    """What the ledger and the data uses share: append, stream, count, erase."""

    table: ClassVar[str]
    name: ClassVar[str]
    ranks: ClassVar[dict[str, int]]
    types: ClassVar[tuple[type, ...]]
    kinds: ClassVar[dict[str, type[Any]]]

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow
        self._read = _reader(self.kinds, self.name)
        self._insert = f"INSERT INTO {self.table} ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"

    def _row(self, record: E) -> tuple[Any, ...]:
        return (
            record.customer_id,
            record.event_id,
            instant_us(record.at),
            self.ranks[record.kind],
            record.kind,
            _json(record),
        )

    def append(self, record: E) -> None:
        check_event(record, self.types, self.name)
        self.append_many([record])

    def append_many(self, records: Iterable[E]) -> int:
        last: list[E] = []

        def rows() -> Iterator[tuple[Any, ...]]:
            for record in check_events(records, self.types, self.name):
                last[:] = [record]  # the row being inserted, to name it if it is refused
                yield self._row(record)

        connection = self._uow.writer()
        before = connection.total_changes
        try:
            with translated(f"appending {self.name} records"):
                connection.execute("SAVEPOINT append_many")
                try:
                    connection.executemany(self._insert, rows())
                except BaseException:
                    connection.execute("ROLLBACK TO append_many")
                    connection.execute("RELEASE append_many")
                    raise
                connection.execute("RELEASE append_many")
        except ConflictError as error:
            if not last:
                raise
            raise ConflictError(
                f"the customer {last[0].customer_id!r} has a {self.name} with event id "
                f"{last[0].event_id!r} already"
            ) from error.__cause__
        except NotFoundError as error:
            if not last:
                raise
            raise NotFoundError(
                f"{self.name} {last[0].event_id!r} names a customer that does not exist"
            ) from error.__cause__
        return connection.total_changes - before

    def _where(self, customer_id: str | None, since: int | None = None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if customer_id is not None:
            clauses.append("customer_id = ?")
            params.append(customer_id)
        if since is not None:
            clauses.append("at_us >= ?")
            params.append(since)
        return where_clause(clauses), params

    def _stream(self, where: str, params: list[Any]) -> Iterator[E]:
        sql = f"SELECT event_id, kind, record FROM {self.table}{where} ORDER BY {_ORDER}"
        return stream(self._uow, sql, params, self._read, f"reading {self.name} records")

    def query(self, customer_id: str | None = None) -> Iterator[E]:
        return self._stream(*self._where(check_customer_argument(customer_id, optional=True)))

    def count(self, customer_id: str | None = None) -> int:
        where, params = self._where(check_customer_argument(customer_id, optional=True))
        connection = self._uow.connection()
        with translated(f"counting {self.name} records"):
            found: int = connection.execute(
                f"SELECT count(*) FROM {self.table}{where}", params
            ).fetchone()[0]
        return found

    def erase(self, customer_id: str) -> int:
        chosen = check_customer_argument(customer_id)
        connection = self._uow.writer()
        with translated(f"erasing {self.name} records"):
            deleted: int = connection.execute(
                f"DELETE FROM {self.table} WHERE customer_id = ?", (chosen,)
            ).rowcount
        if deleted:
            self._uow.erased()
        return deleted


@documented_by(ConsentRepository)
class SQLiteConsent(_Events[ConsentEvent]):
    """Consent ledger events in one SQLite unit of work."""

    table = "consent_events"
    name = "consent event"
    ranks = EVENT_RANK
    types = tuple(EVENT_KINDS.values())
    kinds: ClassVar[dict[str, type[Any]]] = dict(EVENT_KINDS)

    def ledger(self, customer_id: str) -> ConsentLedger:
        chosen = check_customer_argument(customer_id)
        assert chosen is not None
        return ConsentLedger.of(chosen, list(self._stream(*self._where(chosen))))


@documented_by(DataUseRepository)
class SQLiteDataUses(_Events[DataUse]):
    """Records of marketing sent and data provided, in one SQLite unit of work."""

    table = "data_uses"
    name = "data use"
    ranks = USE_RANK
    types = tuple(DATA_USE_KINDS.values())
    kinds: ClassVar[dict[str, type[Any]]] = dict(DATA_USE_KINDS)

    def of(self, customer_id: str, *, since: datetime | None = None) -> tuple[DataUse, ...]:
        bound = check_since(since)
        chosen = check_customer_argument(customer_id)
        return tuple(self._stream(*self._where(chosen, bound)))


_read_entry = _reader({"entry": SuppressionEntry}, "suppression entry")


@documented_by(SuppressionRepository)
class SQLiteSuppression:
    """The opt-out suppression list in one SQLite unit of work, by digest, scope and instant."""

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow

    def add(self, entry: SuppressionEntry) -> bool:
        check_record(entry, SuppressionEntry)
        connection = self._uow.writer()
        with translated("adding a suppression entry"):
            cursor = connection.execute(
                "INSERT INTO suppression (digest, scope, added_us, record) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (digest, scope, added_us) DO NOTHING",
                (entry.digest, entry.scope.value, instant_us(entry.added_at), _json(entry)),
            )
        return cursor.rowcount == 1

    def contains(self, digest: str, scope: ConsentScope = ConsentScope.OWN_MARKETING) -> bool:
        key = suppression_key(digest, scope)
        connection = self._uow.connection()
        with translated("reading the suppression list"):
            row = connection.execute(
                "SELECT 1 FROM suppression WHERE digest = ? AND scope = ?", key
            ).fetchone()
        return row is not None

    def get(
        self,
        digest: str,
        scope: ConsentScope = ConsentScope.OWN_MARKETING,
        *,
        at: datetime | None = None,
    ) -> SuppressionEntry | None:
        key = suppression_key(digest, scope)
        bound = suppression_bound(at)
        connection = self._uow.connection()
        with translated("reading the suppression list"):
            row = connection.execute(
                "SELECT digest, 'entry', record FROM suppression "
                "WHERE digest = ? AND scope = ? AND added_us <= ? "
                "ORDER BY added_us DESC LIMIT 1",
                (*key, bound),
            ).fetchone()
        return None if row is None else _read_entry(row)

    def query(self) -> Iterator[SuppressionEntry]:
        sql = "SELECT digest, 'entry', record FROM suppression ORDER BY digest, scope, added_us"
        return RecordStream(
            SuppressionEntry,
            stream(self._uow, sql, [], _read_entry, "reading the suppression list"),
        )

    def count(self) -> int:
        connection = self._uow.connection()
        with translated("counting the suppression list"):
            found: int = connection.execute("SELECT count(*) FROM suppression").fetchone()[0]
        return found


def _request_row(request: PrivacyRequest) -> tuple[Any, ...]:
    return (
        request.id,
        request.version,
        request.customer_id,
        instant_us(request.received_at),
        int(request.is_open),
        _json(request),
    )


def _hold_row(hold: LegalHold) -> tuple[Any, ...]:
    return (hold.id, hold.version, hold.customer_id, _json(hold))


def _record_reader(kind: type[T], name: str) -> Callable[[Sequence[Any]], T]:
    read = _reader({"record": kind}, name)

    def load(row: Sequence[Any]) -> T:
        found: T = read((row[0], "record", row[-1]))
        return found

    return load


@documented_by(PrivacyRequestRepository)
class SQLitePrivacyRequests(Records[PrivacyRequest]):
    """Data-subject requests in one SQLite unit of work, ordered by instant received, id."""

    table = "privacy_requests"
    kind = "privacy request"
    columns = ("id", "version", "customer_id", "received_us", "is_open", "record")
    order = "received_us, id"
    record_type = PrivacyRequest
    to_row = staticmethod(_request_row)
    from_row = staticmethod(_record_reader(PrivacyRequest, "privacy request"))

    @staticmethod
    def _filter(chosen: RequestFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if chosen.customer_id is not None:
            clauses.append("customer_id = ?")
            params.append(chosen.customer_id)
        if chosen.open_only:
            clauses.append("is_open = 1")
        return where_clause(clauses), params

    def query(
        self, *, customer_id: str | None = None, open_only: bool = False
    ) -> Iterator[PrivacyRequest]:
        return self._stream(*self._filter(RequestFilter.of(customer_id, open_only)))

    def count(self, *, customer_id: str | None = None, open_only: bool = False) -> int:
        return self._count(*self._filter(RequestFilter.of(customer_id, open_only)))


@documented_by(LegalHoldRepository)
class SQLiteLegalHolds(Records[LegalHold]):
    """Legal holds in one SQLite unit of work, ordered by customer id, then id."""

    table = "legal_holds"
    kind = "legal hold"
    columns = ("id", "version", "customer_id", "record")
    order = "customer_id, id"
    record_type = LegalHold
    to_row = staticmethod(_hold_row)
    from_row = staticmethod(_record_reader(LegalHold, "legal hold"))

    def of(self, customer_id: str) -> tuple[LegalHold, ...]:
        chosen = check_customer_argument(customer_id)
        return tuple(self._stream(" WHERE customer_id = ?", [chosen]))

    def query(self) -> Iterator[LegalHold]:
        return self._stream("", [])
