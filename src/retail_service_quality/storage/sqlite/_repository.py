"""The SQLite adapter's generic parts: error translation, streamed queries, one repository class.

Each aggregate's module (`customers`, `interactions`) says only how its records
map to rows and how its queries filter; everything else is here, once.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, ClassVar, Final, Generic, Protocol, TypeVar

import attrs

from retail_service_quality.customers import Customer
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest
from retail_service_quality.errors import ConflictError, NotFoundError, RSQError, StorageError
from retail_service_quality.metrics.instruments import SurveyResponse
from retail_service_quality.quality.actions import ImprovementAction
from retail_service_quality.quality.awards import AwardResult, AwardScheme
from retail_service_quality.quality.documents import ControlledDocument
from retail_service_quality.quality.pledges import ServicePledge
from retail_service_quality.quality.reviews import ReviewCycle
from retail_service_quality.quality.training import (
    Attendance,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
)
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.interactions import ServiceInteraction
from retail_service_quality.storage._common import (
    check_id_argument,
    check_query,
    check_record,
    check_records,
    check_version_storable,
)
from retail_service_quality.storage.ports import ComplaintQuery, CustomerQuery, InteractionQuery

__all__ = [
    "SQLITE",
    "DatabaseFailureError",
    "Dialect",
    "Records",
    "Repository",
    "SQLConnection",
    "SQLUnitOfWork",
    "Stream",
    "translated",
]

R = TypeVar(
    "R",
    Customer,
    ServiceInteraction,
    PrivacyRequest,
    LegalHold,
    Complaint,
    ServicePledge,
    SurveyResponse,
    ReviewCycle,
    ControlledDocument,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
    Attendance,
    ImprovementAction,
    AwardScheme,
    AwardResult,
)
Q = TypeVar("Q", CustomerQuery, InteractionQuery, ComplaintQuery)
T = TypeVar("T")

BATCH: Final = 1_000

_CONFLICT: Final = frozenset(
    {sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE}
)
_MISSING: Final = frozenset({sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY})
# Reasons by SQLite's primary result code (the low byte of the extended code).
_REASONS: Final = {
    sqlite3.SQLITE_BUSY: "the database stayed locked by another writer past the busy timeout",
    sqlite3.SQLITE_LOCKED: "the database stayed locked by another writer past the busy timeout",
    sqlite3.SQLITE_NOTADB: "the file is not a SQLite database",
    sqlite3.SQLITE_CANTOPEN: "the file cannot be opened",
    sqlite3.SQLITE_READONLY: "the database cannot be written (read-only file or directory)",
    sqlite3.SQLITE_PERM: "permission denied",
    sqlite3.SQLITE_AUTH: "permission denied",
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_IOERR: "the disk reported an input/output error",
    sqlite3.SQLITE_CORRUPT: "the database file is damaged",
    sqlite3.SQLITE_CONSTRAINT: "the database refused the change",
    sqlite3.SQLITE_TOOBIG: "a value is too large for the database",
    sqlite3.SQLITE_NOMEM: "the database ran out of memory",
    sqlite3.SQLITE_INTERRUPT: "the statement was interrupted",
}


def classify(error: sqlite3.Error, action: str) -> Exception:
    """The library's error for a driver's error, by SQLite's result code (never its text)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code in _CONFLICT:
        return ConflictError(f"{action}: a record with that id already exists")
    if code in _MISSING:
        return NotFoundError(f"{action}: it refers to a record that does not exist")
    if code is None:
        return StorageError(f"{action}: {error}")
    reason = _REASONS.get(code & 0xFF)
    if reason is None:
        name = getattr(error, "sqlite_errorname", None) or "an SQLite error"
        reason = f"{name} ({error})"
    return StorageError(f"{action}: {reason}")


class DatabaseFailureError(Exception):
    """A driver's error, already classified: `translated` names the action and raises it.

    The driver's own exception is the cause (``__cause__``).
    """

    def __init__(self, kind: type[RSQError], reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.row: Sequence[Any] | None = None  # the parameters of the row refused, if known


def _refused_row(error: BaseException | None) -> bool:
    """Whether a driver's error refused one row: a duplicate key or a missing reference."""
    if isinstance(error, sqlite3.IntegrityError):
        return True
    return from_driver(error) and getattr(error, "sqlstate", None) in ("23505", "23503")


def from_driver(error: BaseException | None) -> bool:
    """Whether ``error`` is a database driver's exception (SQLite's or PostgreSQL's)."""
    return isinstance(error, sqlite3.Error) or type(error).__module__.startswith("psycopg")


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Turn every driver exception into the library's own, keeping the driver's as the cause."""
    try:
        yield
    except sqlite3.Error as error:
        raise classify(error, action) from error
    except DatabaseFailureError as failure:
        named = failure.kind(f"{action}: {failure.reason}")
        named._refused_row = failure.row  # type: ignore[attr-defined]
        raise named from failure.__cause__
    except UnicodeEncodeError as error:
        raise StorageError(f"{action}: text that is not valid Unicode cannot be stored") from error
    except OverflowError as error:
        raise StorageError(f"{action}: a number is too large for the database") from error


class Cursor(Protocol):
    """What the repositories read from an executed statement."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchmany(self, size: int = ...) -> list[Any]: ...

    def close(self) -> None: ...


class SQLConnection(Protocol):
    """The connection calls the repositories make (``sqlite3.Connection``'s own)."""

    @property
    def total_changes(self) -> int: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...


class Dialect:
    """The statements that differ between SQL databases; SQLite's here, overridden by others."""

    def insert_ignoring_duplicates(self, table: str, columns: str, marks: str) -> str:
        """An insert that leaves a row already there (by its key) as it is."""
        return f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})"

    def json_list_length(self, column: str, key: str) -> str:
        """The length of the JSON list at ``key`` of the JSON object in ``column``."""
        return f"json_array_length({column}, '$.{key}')"

    def json_entries(self, column: str, alias: str) -> str:
        """A table of the JSON object's (key, value) pairs, integer values as integers."""
        return f"json_each({column}) {alias}"

    def json_value(self, alias: str) -> str:
        """An entry's value, of a `json_entries` table, as an integer."""
        return f"{alias}.value"

    def month(self, day: str) -> str:
        """``YYYY-MM`` of a day number (days since 1970-01-01)."""
        return f"strftime('%Y-%m', {day} * 86400, 'unixepoch')"

    true: str = "1"
    """A condition that always holds."""


SQLITE: Final = Dialect()


class SQLUnitOfWork(Protocol):
    """What the repositories ask of the unit of work they run in (any SQL adapter's)."""

    generation: int
    streams: weakref.WeakSet[Any]
    dialect: Dialect

    @property
    def active(self) -> bool: ...

    def check_active(self) -> None: ...

    def check_writable(self) -> None: ...

    def check_stream(self, generation: int) -> None: ...

    def connection(self) -> SQLConnection: ...

    def writer(self) -> SQLConnection: ...

    def erased(self) -> None: ...

    def open_stream(self, sql: str, params: Sequence[Any], action: str) -> Stream: ...


class Stream:
    """A query's open cursor, read a batch at a time.

    Before the unit of work writes, `detach` copies the rows not yet read into
    a temporary table and reads on from there: what a query yields is the rows
    as they stood when it began, whatever is saved or added meanwhile.
    """

    def __init__(self, uow: Any, sql: str, params: Sequence[Any], action: str) -> None:
        self._uow = uow
        self._sql = sql
        self._params = tuple(params)
        self._action = action
        self._fetched = 0
        self._detached = False
        connection = uow.connection()
        with translated(action):
            self._cursor: Cursor = connection.execute(sql, self._params)

    def fetch(self) -> list[Any]:
        with translated(self._action):
            rows = self._cursor.fetchmany(BATCH)
        self._fetched += len(rows)
        return rows

    def detach(self, connection: SQLConnection) -> None:
        if self._detached:
            return
        name = self._uow.snapshot_name()
        with translated(self._action):
            connection.execute(
                f"CREATE TEMP TABLE {name} AS {self._sql} LIMIT -1 OFFSET ?",
                (*self._params, self._fetched),
            )
            self._cursor.close()
            self._cursor = connection.execute(f"SELECT * FROM temp.{name} ORDER BY rowid")
        self._detached = True

    def close(self) -> None:
        with suppress(sqlite3.Error):  # the connection may be closed already
            self._cursor.close()


def stream(
    uow: SQLUnitOfWork, sql: str, params: Sequence[Any], make: Callable[[Any], T], action: str
) -> Iterator[T]:
    """Run a query now and yield its rows, mapped, while the unit of work lasts."""
    opened = uow.open_stream(sql, params, action)
    uow.streams.add(opened)
    return _rows(uow, opened, make, uow.generation)


def _rows(
    uow: SQLUnitOfWork, opened: Stream, make: Callable[[Any], T], generation: int
) -> Iterator[T]:
    try:
        while True:
            uow.check_stream(generation)
            rows = opened.fetch()
            if not rows:
                return
            for row in rows:
                if not uow.active or uow.generation != generation:
                    uow.check_stream(generation)
                yield make(row)
    finally:
        opened.close()
        uow.streams.discard(opened)


class Records(Generic[R]):
    """One table's statements: add, get, save with a version check."""

    table: ClassVar[str]
    kind: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    order: ClassVar[str]
    record_type: ClassVar[type[Any]]
    # Each aggregate says how its records map to rows.
    to_row: Callable[[R], tuple[Any, ...]]
    from_row: Callable[[Any], R]

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow
        names = ", ".join(self.columns)
        marks = ", ".join("?" for _ in self.columns)
        self._select = f"SELECT {names} FROM {self.table}"
        self._insert = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"
        assignments = ", ".join(f"{name} = ?" for name in self.columns[1:])
        self._update = f"UPDATE {self.table} SET {assignments} WHERE id = ? AND version = ?"

    def _article(self) -> str:
        return ("an " if self.kind[0] in "aeiou" else "a ") + self.kind

    def add(self, record: R) -> None:
        check_record(record, self.record_type)
        self.add_many([record])

    def _rows_of(self, records: Iterable[R], last: list[str]) -> Iterator[tuple[Any, ...]]:
        for record in check_records(records, self.record_type):
            check_version_storable(record.version, saving=False)
            last[:] = [record.id]  # the row being inserted, to name it if it is refused
            yield self.to_row(record)

    def add_many(self, records: Iterable[R]) -> int:
        last: list[str] = []
        rows = self._rows_of(records, last)
        connection = self._uow.writer()
        before = connection.total_changes
        try:
            with translated(f"adding {self.kind} records"):
                connection.execute("SAVEPOINT add_many")
                try:
                    connection.executemany(self._insert, rows)
                except BaseException:
                    connection.execute("ROLLBACK TO add_many")
                    connection.execute("RELEASE add_many")
                    raise
                connection.execute("RELEASE add_many")
        except (ConflictError, NotFoundError) as error:
            cause = error.__cause__
            if not _refused_row(cause):
                raise  # not a row the database refused (a repository's own check, a race)
            refused = getattr(error, "_refused_row", None)
            if refused:
                last[:] = [refused[0]]  # a batch sent at once names the row it refused
            if not last:
                raise
            if isinstance(error, ConflictError):
                raise ConflictError(
                    f"{self._article()} with id {last[0]!r} already exists"
                ) from cause
            # Interactions are the records that refer to another (their customer).
            raise NotFoundError(
                f"{self.kind} {last[0]!r} names a customer that does not exist"
            ) from cause
        return connection.total_changes - before

    def get(self, id: str) -> R:
        connection = self._uow.connection()
        record_id = check_id_argument(id)
        with translated(f"reading {self._article()}"):
            row = connection.execute(f"{self._select} WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no {self.kind} with id {record_id!r}")
        return self.from_row(row)

    def save(self, record: R) -> R:
        check_record(record, self.record_type)
        self._uow.check_writable()
        check_version_storable(record.version, saving=True)
        saved = attrs.evolve(record, version=record.version + 1)
        values: tuple[Any, ...] = self.to_row(saved)
        connection = self._uow.writer()
        if getattr(record, "erased_at", None) is not None:
            self._uow.erased()  # an anonymised record: its old values must leave the file
        with translated(f"saving {self._article()}"):
            cursor = connection.execute(self._update, (*values[1:], record.id, record.version))
            if cursor.rowcount == 1:
                return saved
            stored = connection.execute(
                f"SELECT version FROM {self.table} WHERE id = ?", (record.id,)
            ).fetchone()
        if stored is None:
            raise NotFoundError(f"no {self.kind} with id {record.id!r}")
        raise ConflictError(
            f"the {self.kind} {record.id!r} was saved by someone else "
            f"(stored version {stored[0]}, this one {record.version})"
        )

    def _stream(self, where: str, params: list[Any]) -> Iterator[R]:
        sql = f"{self._select}{where} ORDER BY {self.order}"
        return RecordStream(
            self.record_type,
            stream(self._uow, sql, params, self.from_row, f"reading {self.kind} records"),
        )

    def _count(self, where: str, params: list[Any]) -> int:
        connection = self._uow.connection()
        with translated(f"counting {self.kind} records"):
            found: int = connection.execute(
                f"SELECT count(*) FROM {self.table}{where}", params
            ).fetchone()[0]
        return found


class Repository(Records[R], Generic[R, Q]):
    """One table's statements, with streamed queries by a query object."""

    query_type: ClassVar[type[Any]]
    where: Callable[[Q | None], tuple[str, list[Any]]]

    def _filter(self, query: Q | None) -> tuple[str, list[Any]]:
        check_query(query, self.query_type)
        return self.where(query)

    def query(self, query: Q | None = None) -> Iterator[R]:
        return self._stream(*self._filter(query))

    def count(self, query: Q | None = None) -> int:
        return self._count(*self._filter(query))


def where_clause(clauses: list[str]) -> str:
    """`` WHERE a AND b``, or nothing."""
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def offset_case(column: str, segments: Sequence[tuple[int, int]], params: list[Any]) -> str:
    """A CASE expression giving the UTC offset of ``column`` (an instant in microseconds):
    a binary search over the zone's ``(start, offset)`` segments, in order."""
    if len(segments) == 1:
        params.append(segments[0][1])
        return "?"
    middle = len(segments) // 2
    params.append(segments[middle][0])
    below = offset_case(column, segments[:middle], params)
    above = offset_case(column, segments[middle:], params)
    return f"CASE WHEN {column} < ? THEN {below} ELSE {above} END"
