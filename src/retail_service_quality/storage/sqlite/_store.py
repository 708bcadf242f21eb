"""The SQLite adapter: the storage port on one file, with the standard library's `sqlite3`.

- The library creates and migrates the schema itself, recording its version in
  ``PRAGMA user_version``; a file written by a newer version of the library is
  refused rather than corrupted.
- Write-ahead logging, a busy timeout (writers wait for each other instead of
  failing with "database is locked"), foreign keys on, ``secure_delete`` on
  (erased personal data does not linger in free pages) and, by default,
  ``synchronous=FULL``: a committed unit of work survives a crash of the
  process or the machine.
- What queries filter and aggregate on are real, indexed columns; nested
  values are JSON written by the library's one converter. Every statement is
  parameterised.
- Every `sqlite3` exception is translated: `ConflictError` for a duplicate id,
  `NotFoundError` for a missing customer, `StorageError` for the rest, with
  the driver's exception as the cause.
- Queries stream rows, a batch at a time: a million interactions never sit in
  memory at once.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import Customer, SQLiteStore
    >>> store = SQLiteStore(":memory:")
    >>> with store.unit_of_work() as uow:
    ...     uow.customers.add(
    ...         Customer(id="C-1", name="Lee", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    ...     )
    ...     uow.commit()
    >>> with store.unit_of_work() as uow:
    ...     saved = uow.customers.save(uow.customers.get("C-1").evolve(tier="vip"))
    ...     uow.commit()
    >>> saved.version
    2
    >>> store.close()
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality.customers import Customer
from retail_service_quality.errors import ConflictError, NotFoundError, Problems, StorageError
from retail_service_quality.serialization._converter import default_converter
from retail_service_quality.service.interactions import (
    Channel,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.storage._common import (
    UnitOfWorkState,
    check_summary_arguments,
    offset_segments,
    summary_order,
)
from retail_service_quality.storage.ports import (
    CustomerQuery,
    GroupBy,
    InteractionQuery,
    InteractionSummary,
    Period,
    UnitOfWork,
)

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

R = TypeVar("R", Customer, ServiceInteraction)
Q = TypeVar("Q", CustomerQuery, InteractionQuery)

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)
_DAY_US: Final = 86_400_000_000
_BATCH: Final = 1_000
_SYNCHRONOUS: Final = ("off", "normal", "full", "extra")

# Each migration takes the schema from the version before it to its own number (1-based).
_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        """CREATE TABLE customers (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            email TEXT,
            phone TEXT,
            home_store_id TEXT,
            tier TEXT NOT NULL,
            created_us INTEGER NOT NULL,
            created_tz TEXT NOT NULL
        )""",
        "CREATE INDEX customers_home_store ON customers (home_store_id)",
        "CREATE INDEX customers_tier ON customers (tier)",
        "CREATE INDEX customers_created ON customers (created_us)",
        """CREATE TABLE interactions (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            store_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            occurred_us INTEGER NOT NULL,
            occurred_tz TEXT NOT NULL,
            customer_id TEXT REFERENCES customers (id),
            status TEXT NOT NULL,
            subject TEXT NOT NULL,
            needs TEXT,
            handle_us INTEGER,
            agent_id TEXT,
            notes TEXT NOT NULL
        )""",
        "CREATE INDEX interactions_time ON interactions (occurred_us, id)",
        "CREATE INDEX interactions_store ON interactions (store_id, occurred_us)",
        "CREATE INDEX interactions_channel ON interactions (channel, occurred_us)",
        "CREATE INDEX interactions_customer ON interactions (customer_id, occurred_us)",
        "CREATE INDEX interactions_status ON interactions (status, occurred_us)",
    ),
)
SCHEMA_VERSION: Final = len(_MIGRATIONS)
"""The schema version this release of the library writes (``PRAGMA user_version``)."""


# ---------------------------------------------------------------- time and values


def _to_us(moment: datetime) -> int:
    return (moment - _EPOCH) // _US


def _zone_name(moment: datetime) -> str:
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key:
        return zone.key
    offset = moment.utcoffset()
    assert offset is not None
    sign = "-" if offset < timedelta(0) else "+"
    seconds = abs(offset) // timedelta(seconds=1)
    text = f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 else "")


_ZONES: dict[str, tzinfo] = {}


def _zone(name: str) -> tzinfo:
    found = _ZONES.get(name)
    if found is None:
        if name[:1] in "+-":
            sign = -1 if name[0] == "-" else 1
            parts = [int(part) for part in name[1:].split(":")]
            seconds = parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)
            found = timezone(sign * timedelta(seconds=seconds))
        else:
            found = ZoneInfo(name)
        _ZONES[name] = found
    return found


def _from_us(us: int, zone_name: str) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(_zone(zone_name))


def _needs_json(needs: tuple[str, ...]) -> str | None:
    return json.dumps(default_converter().unstructure(needs)) if needs else None


def _needs_from_json(text: str | None) -> tuple[str, ...]:
    if text is None:
        return ()
    result: tuple[str, ...] = default_converter().structure(json.loads(text), tuple[str, ...])
    return result


# ---------------------------------------------------------------- rows

_CUSTOMER_COLUMNS: Final = (
    "id, version, name, email, phone, home_store_id, tier, created_us, created_tz"
)
_INTERACTION_COLUMNS: Final = (
    "id, version, store_id, channel, occurred_us, occurred_tz, customer_id, status, "
    "subject, needs, handle_us, agent_id, notes"
)


def _customer_row(customer: Customer) -> tuple[Any, ...]:
    return (
        customer.id,
        customer.version,
        customer.name,
        customer.email,
        customer.phone,
        customer.home_store_id,
        customer.tier,
        _to_us(customer.created_at),
        _zone_name(customer.created_at),
    )


def _customer(row: Sequence[Any]) -> Customer:
    return Customer(
        id=row[0],
        version=row[1],
        name=row[2],
        email=row[3],
        phone=row[4],
        home_store_id=row[5],
        tier=row[6],
        created_at=_from_us(row[7], row[8]),
    )


def _interaction_row(interaction: ServiceInteraction) -> tuple[Any, ...]:
    handle = interaction.handle_time
    return (
        interaction.id,
        interaction.version,
        interaction.store_id,
        interaction.channel.value,
        _to_us(interaction.occurred_at),
        _zone_name(interaction.occurred_at),
        interaction.customer_id,
        interaction.status.value,
        interaction.subject,
        _needs_json(interaction.needs),
        None if handle is None else handle // _US,
        interaction.agent_id,
        interaction.notes,
    )


def _interaction(row: Sequence[Any]) -> ServiceInteraction:
    return ServiceInteraction(
        id=row[0],
        version=row[1],
        store_id=row[2],
        channel=Channel(row[3]),
        occurred_at=_from_us(row[4], row[5]),
        customer_id=row[6],
        status=InteractionStatus(row[7]),
        subject=row[8],
        needs=_needs_from_json(row[9]),
        handle_time=None if row[10] is None else timedelta(microseconds=row[10]),
        agent_id=row[11],
        notes=row[12],
    )


# ---------------------------------------------------------------- errors


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn every sqlite3 exception into the library's own, keeping the driver's as the cause."""
    try:
        yield
    except sqlite3.IntegrityError as error:
        text = str(error)
        if "UNIQUE" in text or "PRIMARY KEY" in text:
            raise ConflictError(f"{action}: a record with that id already exists") from error
        if "FOREIGN KEY" in text:
            raise NotFoundError(f"{action}: it refers to a record that does not exist") from error
        raise StorageError(f"{action}: the database refused the change") from error
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise StorageError(
                f"{action}: the database stayed locked by another writer past the busy timeout"
            ) from error
        raise StorageError(f"{action}: {error}") from error
    except sqlite3.Error as error:
        raise StorageError(f"{action}: {error}") from error


# ---------------------------------------------------------------- the unit of work


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _where(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def _interaction_filter(query: InteractionQuery | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query is not None:
        if query.start is not None:
            clauses.append("occurred_us >= ?")
            params.append(_to_us(query.start))
        if query.end is not None:
            clauses.append("occurred_us < ?")
            params.append(_to_us(query.end))
        for column, value in (
            ("store_id", query.store_id),
            ("channel", None if query.channel is None else query.channel.value),
            ("customer_id", query.customer_id),
            ("status", None if query.status is None else query.status.value),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
    return _where(clauses), params


def _customer_filter(query: CustomerQuery | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query is not None:
        if query.home_store_id is not None:
            clauses.append("home_store_id = ?")
            params.append(query.home_store_id)
        if query.tier is not None:
            clauses.append("tier = ?")
            params.append(query.tier)
        if query.created_from is not None:
            clauses.append("created_us >= ?")
            params.append(_to_us(query.created_from))
        if query.created_to is not None:
            clauses.append("created_us < ?")
            params.append(_to_us(query.created_to))
    return _where(clauses), params


class _Repository(Generic[R, Q]):
    """One table's statements: add, get, save with a version check, streamed queries."""

    table: str
    kind: str
    columns: str
    order: str
    to_row: Callable[[R], tuple[Any, ...]]
    from_row: Callable[[Sequence[Any]], R]
    where: Callable[[Q | None], tuple[str, list[Any]]]

    def __init__(self, uow: _SQLiteUnitOfWork) -> None:
        self._uow = uow

    def add(self, record: R) -> None:
        self.add_many([record])

    def add_many(self, records: Iterable[R]) -> int:
        return self._add_rows(self.to_row(record) for record in records)

    def get(self, id: str) -> R:
        return self.from_row(self._get_row(id))

    def save(self, record: R) -> R:
        saved = attrs.evolve(record, version=record.version + 1)
        self._save_row(record.id, record.version, self.to_row(saved))
        return saved

    def query(self, query: Q | None = None) -> Iterator[R]:
        where, params = self.where(query)
        sql = f"SELECT {self.columns} FROM {self.table}{where} ORDER BY {self.order}"
        return self._stream(sql, params, self.from_row)

    def count(self, query: Q | None = None) -> int:
        where, params = self.where(query)
        return int(self._scalar(f"SELECT count(*) FROM {self.table}{where}", params))

    def _insert_sql(self) -> str:
        marks = ", ".join("?" for _ in self.columns.split(", "))
        return f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})"

    def _add_rows(self, rows: Iterable[tuple[Any, ...]]) -> int:
        self._uow.check_writable()
        connection = self._uow.connection()
        before = connection.total_changes
        with _translated(f"adding {self.kind} records"):
            connection.execute("SAVEPOINT add_many")
            try:
                connection.executemany(self._insert_sql(), rows)
            except BaseException:
                connection.execute("ROLLBACK TO add_many")
                connection.execute("RELEASE add_many")
                raise
            connection.execute("RELEASE add_many")
        return connection.total_changes - before

    def _get_row(self, record_id: str) -> Sequence[Any]:
        connection = self._uow.connection()
        with _translated(f"reading {_article(self.kind)}"):
            row = connection.execute(
                f"SELECT {self.columns} FROM {self.table} WHERE id = ?",
                (record_id,),
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no {self.kind} with id {record_id!r}")
        return row  # type: ignore[no-any-return]

    def _save_row(self, record_id: str, version: int, row: tuple[Any, ...]) -> None:
        self._uow.check_writable()
        connection = self._uow.connection()
        names = self.columns.split(", ")
        assignments = ", ".join(f"{name} = ?" for name in names[1:])
        with _translated(f"saving {_article(self.kind)}"):
            cursor = connection.execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = ? AND version = ?",
                (*row[1:], record_id, version),
            )
            if cursor.rowcount == 1:
                return
            stored = connection.execute(
                f"SELECT version FROM {self.table} WHERE id = ?",
                (record_id,),
            ).fetchone()
        if stored is None:
            raise NotFoundError(f"no {self.kind} with id {record_id!r}")
        raise ConflictError(
            f"the {self.kind} {record_id!r} was saved by someone else "
            f"(stored version {stored[0]}, this one {version})"
        )

    def _stream(self, sql: str, params: Sequence[Any], make: Callable[[Any], Any]) -> Iterator[Any]:
        connection = self._uow.connection()
        with _translated(f"reading {self.kind} records"):
            cursor = connection.execute(sql, params)
        try:
            while True:
                with _translated(f"reading {self.kind} records"):
                    rows = cursor.fetchmany(_BATCH)
                if not rows:
                    return
                for row in rows:
                    self._uow.check_active()  # results are read inside the unit of work
                    yield make(row)
        finally:
            cursor.close()

    def _scalar(self, sql: str, params: Sequence[Any]) -> Any:
        connection = self._uow.connection()
        with _translated(f"counting {self.kind} records"):
            return connection.execute(sql, params).fetchone()[0]


class _Customers(_Repository[Customer, CustomerQuery]):
    table = "customers"
    kind = "customer"
    columns = _CUSTOMER_COLUMNS
    order = "id"
    to_row = staticmethod(_customer_row)
    from_row = staticmethod(_customer)
    where = staticmethod(_customer_filter)


class _Interactions(_Repository[ServiceInteraction, InteractionQuery]):
    table = "interactions"
    kind = "interaction"
    columns = _INTERACTION_COLUMNS
    order = "occurred_us, id"
    to_row = staticmethod(_interaction_row)
    from_row = staticmethod(_interaction)
    where = staticmethod(_interaction_filter)

    def summarize(
        self,
        query: InteractionQuery | None = None,
        *,
        group_by: Sequence[GroupBy] = ("period",),
        period: Period = "day",
        utc_offset: timedelta = timedelta(0),
        timezone: str | None = None,
    ) -> list[InteractionSummary]:
        zone = check_summary_arguments(group_by, period, utc_offset, timezone)
        where, params = _interaction_filter(query)
        connection = self._uow.connection()
        if timezone is None:
            local = "occurred_us + ?"
            local_params: list[Any] = [utc_offset // _US]
            prefix = ""
        else:
            # Each row's own offset: the zone's offsets over the rows' span, as a small table.
            with _translated("summarizing interactions"):
                first, last = connection.execute(
                    f"SELECT min(occurred_us), max(occurred_us) FROM interactions{where}",
                    params,
                ).fetchone()
            if first is None:
                return []
            segments = offset_segments(zone, first, last)
            prefix = "WITH zone (from_us, offset_us) AS (VALUES {}) ".format(
                ", ".join("(?, ?)" for _ in segments)
            )
            local = (
                "occurred_us + (SELECT offset_us FROM zone WHERE zone.from_us <= occurred_us "
                "ORDER BY zone.from_us DESC LIMIT 1)"
            )
            local_params = [value for segment in segments for value in segment]
        # The local day of each row, floor-divided so instants before 1970 fall on the
        # right day; the offset is a bound parameter like every other value.
        floor = f"(local_us - ((local_us % {_DAY_US}) + {_DAY_US}) % {_DAY_US})"
        day = f"date({floor} / 1000000, 'unixepoch')"
        period_sql = {
            "day": day,
            "week": f"date({day}, 'weekday 0', '-6 days')",
            "month": f"date({day}, 'start of month')",
        }[period]
        keys = [
            period_sql if "period" in group_by else "NULL",
            "store_id" if "store" in group_by else "NULL",
            "channel" if "channel" in group_by else "NULL",
        ]
        sql = (
            f"{prefix}SELECT {keys[0]} AS k0, {keys[1]} AS k1, {keys[2]} AS k2, count(*), "
            "count(handle_us), coalesce(sum(handle_us), 0) FROM ("
            f"SELECT {local} AS local_us, store_id, channel, handle_us "
            f"FROM interactions{where}) GROUP BY k0, k1, k2"
        )
        params = [*local_params, *params]
        with _translated("summarizing interactions"):
            rows = connection.execute(sql, params).fetchall()
        summaries = [
            InteractionSummary(
                period=None if row[0] is None else date.fromisoformat(row[0]),
                store_id=row[1],
                channel=None if row[2] is None else Channel(row[2]),
                count=row[3],
                handled=row[4],
                handle_time=timedelta(microseconds=row[5]),
            )
            for row in rows
        ]
        summaries.sort(key=lambda s: summary_order((s.period, s.store_id, s.channel)))
        return summaries

    def handle_times(self, query: InteractionQuery | None = None) -> Iterator[timedelta]:
        where, params = _interaction_filter(query)
        condition = " AND handle_us IS NOT NULL" if where else " WHERE handle_us IS NOT NULL"
        sql = f"SELECT handle_us FROM interactions{where}{condition} ORDER BY handle_us"
        return self._stream(sql, params, lambda row: timedelta(microseconds=row[0]))


class _SQLiteUnitOfWork(UnitOfWorkState):
    def __init__(self, store: SQLiteStore, *, read_only: bool = False) -> None:
        super().__init__(store._local, read_only=read_only)
        self._store = store
        self._in_transaction = False
        self.customers = _Customers(self)
        self.interactions = _Interactions(self)

    def connection(self) -> sqlite3.Connection:
        """The store's connection, inside a transaction (begun on first use)."""
        self.check_active()
        connection = self._store._connection()
        if not self._in_transaction:
            # A writer takes the write lock at once; a reader reads a snapshot and blocks no one.
            begin = "BEGIN DEFERRED" if self._read_only else "BEGIN IMMEDIATE"
            with _translated("starting a transaction"):
                connection.execute(begin)
            self._in_transaction = True
        return connection

    def __enter__(self) -> Self:
        self._store._lock.acquire()
        try:
            self._begin()
        except StorageError:
            self._store._lock.release()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._end()
            self._store._lock.release()

    def commit(self) -> None:
        self.check_active()
        if self._in_transaction:
            with _translated("committing"):
                self._store._connection().execute("COMMIT")
            self._in_transaction = False

    def rollback(self) -> None:
        if self._in_transaction:
            self._in_transaction = False
            if self._store._conn is None:
                return  # the store was closed: closing rolled the transaction back
            with _translated("rolling back"):
                self._store._conn.execute("ROLLBACK")


class SQLiteStore:
    """The storage port on a SQLite file (or ``":memory:"``).

    Args:
        path: the database file; created with its schema if it does not exist.
        busy_timeout: how long a writer waits for another to finish before
            giving up with `StorageError`.
        synchronous: SQLite's ``synchronous`` setting: ``"full"`` (the default)
            survives power loss; ``"normal"`` survives a crash of the process
            and is faster.

    Examples:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "service.db")
        >>> with SQLiteStore(path) as store:
        ...     with store.unit_of_work() as uow:
        ...         uow.interactions.count()
        0

    Raises:
        StorageError: the file is not a SQLite database, cannot be opened, or
            was written by a newer version of the library.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout: timedelta = timedelta(seconds=30),
        synchronous: str = "full",
    ) -> None:
        problems = Problems()
        if not isinstance(busy_timeout, timedelta) or busy_timeout < timedelta(0):
            problems.add("$.busy_timeout", "must be a non-negative timedelta")
        if synchronous not in _SYNCHRONOUS:
            problems.add("$.synchronous", "must be 'off', 'normal', 'full' or 'extra'")
        problems.raise_if_any()
        self._path = os.fspath(path)
        self._lock = threading.RLock()
        self._local = threading.local()
        seconds = busy_timeout.total_seconds()
        with _translated("opening the database"):
            connection = sqlite3.connect(
                self._path,
                timeout=seconds,
                isolation_level=None,
                check_same_thread=False,
            )
        self._conn: sqlite3.Connection | None = connection
        try:
            with _translated("configuring the database"):
                connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000):d}")
            # Refuse a file from a newer release before changing anything in it.
            self._check_version(connection)
            self._enable_wal(connection, busy_timeout)
            with _translated("configuring the database"):
                connection.execute("PRAGMA foreign_keys = ON")
                connection.execute("PRAGMA secure_delete = ON")
                connection.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            self._migrate(connection)
        except BaseException:
            connection.close()
            self._conn = None
            raise

    @staticmethod
    def _enable_wal(connection: sqlite3.Connection, busy_timeout: timedelta) -> None:
        """Switch to write-ahead logging, waiting out other processes doing the same.

        When several processes open a new file at once, SQLite answers the switch
        with SQLITE_BUSY at once rather than calling the busy handler (waiting could
        deadlock), so the wait happens here, with a short backoff, up to the busy timeout.
        """
        deadline = time.monotonic() + busy_timeout.total_seconds()
        pause = 0.001
        while True:
            try:
                connection.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as error:
                busy = getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() >= deadline:
                    with _translated("configuring the database"):
                        raise
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
            except sqlite3.Error as error:
                raise StorageError(f"configuring the database: {error}") from error

    @staticmethod
    def _check_version(connection: sqlite3.Connection) -> int:
        with _translated("reading the schema version"):
            version: int = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"the database has schema version {version}, written by a newer release of "
                f"retail_service_quality; this release reads up to version {SCHEMA_VERSION}. "
                "Upgrade the library to open it."
            )
        return version

    @classmethod
    def _migrate(cls, connection: sqlite3.Connection) -> None:
        if cls._check_version(connection) == SCHEMA_VERSION:
            return
        with _translated("migrating the schema"):
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while this one waited for the lock.
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                for number in range(version, SCHEMA_VERSION):
                    for statement in _MIGRATIONS[number]:
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StorageError("the store is closed")
        return self._conn

    @property
    def path(self) -> str:
        """The database file's path (or ``":memory:"``).

        Examples:
            >>> with SQLiteStore(":memory:") as store:
            ...     store.path
            ':memory:'
        """
        return self._path

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as a context manager and call ``commit()`` to keep changes.

        Units of work on one store take turns (one at a time per store object,
        and never nested). A unit of work takes the database's write lock on its
        first statement, reads included, and other processes wait for it up to
        the busy timeout; a ``read_only`` one reads a consistent snapshot
        instead, blocks no writer, and refuses to write. Iterate query results
        inside the unit of work.

        Examples:
            >>> with SQLiteStore(":memory:") as store, store.unit_of_work() as uow:
            ...     uow.customers.count()
            0
        """
        self._connection()
        return _SQLiteUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards.

        Examples:
            >>> store = SQLiteStore(":memory:")
            >>> store.close()
            >>> store.close()  # closing twice is harmless
        """
        with self._lock:
            if self._conn is not None:
                with _translated("closing the database"):
                    self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self._path!r})"
