"""The PostgreSQL adapter: the storage port on a PostgreSQL database, with psycopg 3.

- Open it with a connection string (the store keeps one connection and
  reconnects after losing it) or with an open ``psycopg_pool.ConnectionPool``
  (each unit of work takes a connection from the pool and gives it back).
- The library creates and migrates its tables itself, in the connection's
  schema or in the one named; a store of a newer schema version, or tables
  named like the library's that are not a store of it, are refused before
  anything changes.
- A unit of work is one ``SERIALIZABLE`` transaction (a read-only one, one
  ``REPEATABLE READ READ ONLY`` snapshot): whatever runs at the same time, the
  result is as if the units of work had run one after another. When that cannot
  be, one of them gets `ConflictError` and changes nothing; run it again. A
  record saved by someone else meanwhile is a `ConflictError` too, as on
  every store.
- Every psycopg error is translated by its SQLSTATE: `ConflictError`,
  `NotFoundError` or `StorageError`, the driver's exception as the cause.
- Queries stream rows from a server-side cursor, a batch at a time, and yield
  the rows as they stood when the query began, whatever is written meanwhile.

Needs the ``postgres`` extra: ``pip install 'retail-service-quality[postgres]'``.
"""

from __future__ import annotations

import itertools
import re
import threading
import weakref
from collections.abc import Sequence
from contextlib import suppress
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

from retail_service_quality.errors import Problems, StorageError
from retail_service_quality.storage._common import (
    UnitOfWorkState,
    acquire,
    check_busy_timeout,
    check_read_only,
)
from retail_service_quality.storage.ports import UnitOfWork
from retail_service_quality.storage.sqlite._repositories import SQLRepositories
from retail_service_quality.storage.sqlite._repository import BATCH, Stream, translated

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from retail_service_quality.storage.postgres._connection import PostgresConnection

__all__ = ["PostgresStore", "PostgresUnitOfWork"]

_SCHEMA_NAME: Final = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_MISSING_DRIVER: Final = (
    "PostgresStore needs psycopg 3 and psycopg_pool: pip install 'retail-service-quality[postgres]'"
)


def _driver() -> Any:
    """The adapter's psycopg modules, or `StorageError` saying how to install them."""
    try:
        from retail_service_quality.storage.postgres import _connection, _schema
    except ImportError as error:
        raise StorageError(_MISSING_DRIVER) from error
    return _connection, _schema


class PostgresStream(Stream):
    """A query read a batch at a time from a server-side cursor.

    PostgreSQL's cursors are insensitive: the rows are those of the instant the
    query began, whatever the unit of work writes meanwhile, so nothing needs
    copying before a write. The cursor is held over a commit, as SQLite's is.
    """

    def __init__(self, uow: PostgresUnitOfWork, sql: str, params: Sequence[Any], action: str):
        connection_module, _ = _driver()
        self._uow = uow
        self._action = action
        self._fetched = 0
        self._detached = True
        raw = uow.connection().raw
        with translated(action), _driver_errors():
            self._cursor = raw.cursor(
                name=f"rsq_stream_{next(uow._store._stream_numbers)}",
                row_factory=connection_module.rows,
                withhold=True,
            )
            self._cursor.execute(
                connection_module.statement(sql), connection_module.parameters(params)
            )

    def fetch(self) -> list[Any]:
        with translated(self._action), _driver_errors():
            rows = self._cursor.fetchmany(BATCH)
        self._fetched += len(rows)
        return rows

    def close(self) -> None:
        with suppress(Exception):  # the connection may be closed or broken already
            self._cursor.close()


class _DriverErrors:
    """Turn a psycopg error into `DatabaseFailureError` (for `translated` to name)."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            return
        import psycopg

        if isinstance(exc, psycopg.Error):
            connection_module, _ = _driver()
            raise connection_module.failure(exc) from exc


def _driver_errors() -> _DriverErrors:
    return _DriverErrors()


class PostgresUnitOfWork(UnitOfWorkState, SQLRepositories):
    """One transaction on a connection of a `PostgresStore`."""

    def __init__(self, store: PostgresStore, *, read_only: bool = False) -> None:
        connection_module, _ = _driver()
        super().__init__(store._local, read_only=read_only)
        self._store = store
        self.dialect = connection_module.POSTGRES
        self.streams: weakref.WeakSet[Stream] = weakref.WeakSet()
        self._connection: PostgresConnection | None = None
        self._in_transaction = False
        self._locked = False
        self._attach_repositories()

    def open_stream(self, sql: str, params: Sequence[Any], action: str) -> Stream:
        """Run a query whose rows are read a batch at a time."""
        stream = PostgresStream(self, sql, params, action)
        self.streams.add(stream)
        return stream

    def connection(self) -> PostgresConnection:
        """The unit of work's connection, inside its transaction (begun on first use)."""
        self.check_active()
        connection = self._connection
        if connection is None:
            raise StorageError("the store is closed")
        if not self._in_transaction:
            # PostgreSQL reads a lock_timeout of 0 as "wait for ever": no wait is one millisecond.
            timeout = f"{max(1, int(self._store._busy_seconds * 1000))}ms"
            path = self._store._search_path
            with translated("starting a transaction"), _driver_errors():
                if path is None:
                    connection.raw.execute(
                        "SELECT set_config('lock_timeout', %s, true)", (timeout,)
                    )
                else:
                    connection.raw.execute(
                        "SELECT set_config('lock_timeout', %s, true), "
                        "set_config('search_path', %s, true)",
                        (timeout, path),
                    )
            self._in_transaction = True
        return connection

    def writer(self) -> PostgresConnection:
        """The connection, for a write (queries being read keep their rows regardless)."""
        self.check_writable()
        return self.connection()

    def erased(self) -> None:
        """Erasure needs nothing more here: see the PostgreSQL guide on dead row versions."""

    def __enter__(self) -> Self:
        store = self._store
        if store._pool is None:
            acquire(store._lock, store._busy_seconds)
            self._locked = True
        try:
            self._begin()
            try:
                self._connection = store._checkout(self._read_only)
            except BaseException:
                self._end()
                raise
        except BaseException:
            self._release()
            raise
        return self

    def _release(self) -> None:
        if self._locked:
            self._locked = False
            self._store._lock.release()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            connection, self._connection = self._connection, None
            try:
                if connection is not None:
                    self._store._checkin(connection)
            finally:
                self._end()
                self._release()

    def commit(self) -> None:
        self.check_active()
        if self._in_transaction and self._connection is not None:
            self._in_transaction = False
            with translated("committing"), _driver_errors():
                self._connection.raw.commit()

    def rollback(self) -> None:
        self.generation += 1
        for stream in list(self.streams):
            stream.close()  # while its transaction lasts: a rollback ends its cursor
        if self._in_transaction and self._connection is not None:
            self._in_transaction = False
            raw = self._connection.raw
            if raw.closed or raw.broken:
                return  # the server ended the transaction with the connection
            with translated("rolling back"), _driver_errors():
                raw.rollback()


def _check_conninfo(conninfo: object, pool: object, problems: Problems) -> None:
    if (conninfo is None) == (pool is None):
        problems.add(
            "$.conninfo",
            "give either a connection string or a pool, not both or neither",
            "inconsistent",
        )
        return
    if conninfo is not None:
        if not isinstance(conninfo, str) or not conninfo.strip():
            problems.add(
                "$.conninfo",
                "must be a PostgreSQL connection string ('postgresql://...' or 'key=value ...')",
                "type" if not isinstance(conninfo, str) else "format",
            )
            return
        try:
            conninfo.encode("utf-8")
        except UnicodeEncodeError:
            problems.add("$.conninfo", "must be text that can be encoded", "format")
            return
        if "\x00" in conninfo:
            problems.add("$.conninfo", "must not contain a NUL character", "format")
            return
        try:
            from psycopg.conninfo import conninfo_to_dict
        except ImportError:
            return  # the driver is missing: said when the store opens
        try:
            found = conninfo_to_dict(conninfo)
        except Exception:
            problems.add("$.conninfo", "is not a valid PostgreSQL connection string", "format")
            return
        ports = str(found.get("port") or "").split(",")
        if not all(
            re.fullmatch(r"[0-9]{1,5}", port.strip()) and 0 < int(port) < 65536
            for port in ports
            if port
        ):
            problems.add("$.conninfo", "port: must be a number from 1 to 65535", "format")
        timeout = str(found.get("connect_timeout") or "0").strip()
        if not re.fullmatch(r"-?[0-9]{1,9}", timeout):
            problems.add(
                "$.conninfo", "connect_timeout: must be a whole number of seconds", "format"
            )
    elif pool is not None:
        try:
            from psycopg_pool import ConnectionPool
        except ImportError:
            return
        if not isinstance(pool, ConnectionPool):
            problems.add("$.pool", "must be an open psycopg_pool.ConnectionPool", "type")


class PostgresStore:
    """The storage port on a PostgreSQL database (psycopg 3).

    Args:
        conninfo: a connection string (``"postgresql://user@host:5432/db"`` or
            ``"host=... dbname=..."``); the store keeps one connection, and
            units of work on it take turns.
        pool: instead of a connection string, an open
            ``psycopg_pool.ConnectionPool``: each unit of work takes a
            connection from it, so threads work at the same time. The store
            never closes a pool it was given.
        schema: the PostgreSQL schema holding the store's tables (created if
            missing); by default the connection's current schema (the first of
            its ``search_path`` that exists, usually ``public``). Lower-case
            letters, digits and ``_``.
        busy_timeout: how long a unit of work waits for a lock (another unit
            of work's, or the pool's connections) before `StorageError`.
        create: whether to create the store when the schema holds none
            (``False``: `StorageError`, and nothing is created).

    Examples:
        >>> import os
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, PostgresStore
        >>> store = PostgresStore(os.environ["RSQ_TEST_POSTGRES"], schema="doc_store")
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(
        ...         Customer(id="C-1", name="Lee", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
        ...     )
        ...     uow.commit()
        >>> with store.unit_of_work(read_only=True) as uow:
        ...     uow.customers.get("C-1").version
        1
        >>> store.close()
        >>> PostgresStore("")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.conninfo: must be a PostgreSQL connection string ('postgresql://...' or 'key=value ...')

    Raises:
        ValidationError: neither or both of ``conninfo`` and ``pool``, a value
            of the wrong kind, or a schema name that is not valid.
        StorageError: the server cannot be reached, the psycopg driver is not
            installed, the store's schema is newer than this release, or the
            schema holds tables named like the library's that are not a store
            (or, without ``create``, no store at all).
    """  # noqa: E501

    def __init__(
        self,
        conninfo: str | None = None,
        *,
        pool: ConnectionPool[Any] | None = None,
        schema: str | None = None,
        busy_timeout: timedelta = timedelta(seconds=30),
        create: bool = True,
    ) -> None:
        problems = Problems()
        _check_conninfo(conninfo, pool, problems)
        if schema is not None and (
            not isinstance(schema, str) or _SCHEMA_NAME.fullmatch(schema) is None
        ):
            problems.add(
                "$.schema",
                "must be a schema name: up to 63 lower-case letters, digits and _, "
                "not starting with a digit",
                "format" if isinstance(schema, str) else "type",
            )
        elif schema is not None and (schema == "information_schema" or schema.startswith("pg_")):
            problems.add(
                "$.schema",
                "names one of PostgreSQL's own schemas (information_schema, pg_*): choose another",
                "format",
            )
        seconds = check_busy_timeout(busy_timeout, problems)
        if not isinstance(create, bool):
            problems.add("$.create", "must be True or False", "type")
        problems.raise_if_any()
        _, schema_module = _driver()
        self._conninfo = conninfo
        self._has_connect_timeout = conninfo is not None and "connect_timeout" in _settings(
            conninfo
        )
        self._pool = pool
        self._schema = schema
        self._search_path = None if schema is None else f'"{schema}"'
        self._busy_seconds = seconds
        self._lock = threading.RLock()
        self._local = threading.local()
        self._stream_numbers = itertools.count()
        self._raw: psycopg.Connection[Any] | None = None
        self._settings: dict[int, tuple[bool, Any, Any]] = {}
        self._closed = False
        where = f"opening the store {self!r}"
        raw = self._connect() if pool is None else self._from_pool()
        try:
            with translated(where), _driver_errors():
                schema_module.open_schema(raw, schema, where, create=create)
        except BaseException:
            self._give_back(raw, broken=True)
            raise
        if pool is None:
            self._raw = raw
        else:
            self._give_back(raw, broken=False)

    # ------------------------------------------------------------ connections

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        connection_module, _ = _driver()
        assert self._conninfo is not None
        # The connection string's own connect_timeout wins; libpq waits at least 2 s.
        extra: dict[str, Any] = (
            {}
            if self._has_connect_timeout
            else {"connect_timeout": max(2, int(self._busy_seconds))}
        )
        try:
            connection: psycopg.Connection[Any] = psycopg.connect(
                self._conninfo, autocommit=False, **extra
            )
            return connection
        except psycopg.Error as error:
            # The server's words, without the names it quotes (a role's name, a host's).
            reason = connection_module.quiet(error) or "refused"
            raise StorageError(
                f"cannot connect to the PostgreSQL server of {self!r}: {reason}"
            ) from error

    def _from_pool(self) -> psycopg.Connection[Any]:
        import psycopg_pool

        assert self._pool is not None
        try:
            connection: psycopg.Connection[Any] = self._pool.getconn(timeout=self._busy_seconds)
            return connection
        except psycopg_pool.PoolTimeout as error:
            raise StorageError(
                "no connection of the pool became free within the busy timeout "
                f"({self._busy_seconds:g} s)"
            ) from error
        except psycopg_pool.PoolClosed as error:
            raise StorageError(
                "the connection pool is closed or not open yet (open it first: pool.open())"
            ) from error

    def _give_back(self, raw: psycopg.Connection[Any], *, broken: bool) -> None:
        if self._pool is not None:
            with suppress(Exception):
                if not raw.closed and not raw.broken:
                    raw.rollback()
                    # The pool's connection goes back with the settings it came with.
                    settings = self._settings.pop(id(raw), None)
                    if settings is not None:
                        raw.autocommit, raw.isolation_level, raw.read_only = settings
                self._pool.putconn(raw)
        elif broken:
            with suppress(Exception):
                raw.close()

    def _checkout(self, read_only: bool) -> PostgresConnection:
        import psycopg

        connection_module, _ = _driver()
        if self._closed:
            raise StorageError("the store is closed")
        raw: psycopg.Connection[Any] | None
        if self._pool is not None:
            raw = self._from_pool()
        else:
            raw = self._raw
            if raw is None or raw.closed or raw.broken:
                if raw is not None:
                    with suppress(Exception):
                        raw.close()
                self._raw = None
                raw = self._connect()
                self._raw = raw
        try:
            if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raw.rollback()
            if self._pool is not None:
                self._settings[id(raw)] = (raw.autocommit, raw.isolation_level, raw.read_only)
            raw.autocommit = False
            raw.isolation_level = (
                psycopg.IsolationLevel.REPEATABLE_READ
                if read_only
                else psycopg.IsolationLevel.SERIALIZABLE
            )
            raw.read_only = read_only
        except psycopg.Error as error:
            self._give_back(raw, broken=True)
            raise StorageError(
                "starting a unit of work: the connection to the PostgreSQL server was lost"
            ) from error
        return connection_module.PostgresConnection(raw)  # type: ignore[no-any-return]

    def _checkin(self, connection: PostgresConnection) -> None:
        if self._pool is not None:
            self._give_back(connection.raw, broken=False)

    # ------------------------------------------------------------ the port

    @property
    def schema(self) -> str | None:
        """The PostgreSQL schema named when the store was opened (None: the connection's own).

        Examples:
            >>> import os
            >>> with PostgresStore(os.environ["RSQ_TEST_POSTGRES"], schema="doc_store") as store:
            ...     store.schema
            'doc_store'
        """
        return self._schema

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as a context manager and call ``commit()`` to keep changes.

        One ``SERIALIZABLE`` transaction (``read_only``: a ``REPEATABLE READ READ
        ONLY`` snapshot that refuses writes). With a connection string, units of
        work on one store take turns; with a pool, each has a connection of its own.

        Examples:
            >>> import os
            >>> with PostgresStore(os.environ["RSQ_TEST_POSTGRES"], schema="doc_store") as store:
            ...     with store.unit_of_work(read_only=True) as uow:
            ...         uow.interactions.count()
            0
        """
        read_only = check_read_only(read_only)
        if self._closed:
            raise StorageError("the store is closed")
        return PostgresUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Close the store's connection (never a pool it was given); closing twice is harmless.

        Examples:
            >>> import os
            >>> store = PostgresStore(os.environ["RSQ_TEST_POSTGRES"], schema="doc_store")
            >>> store.close()
            >>> store.close()
        """
        with self._lock:
            self._closed = True
            raw, self._raw = self._raw, None
            if raw is not None:
                with suppress(Exception):
                    raw.close()

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
        where = "pool" if self._pool is not None else _place(self._conninfo or "")
        schema = "" if self._schema is None else f", schema={self._schema!r}"
        return f"PostgresStore({where}{schema})"


def _settings(conninfo: str) -> dict[str, Any]:
    """A connection string's settings (none if it cannot be read)."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        return dict(conninfo_to_dict(conninfo))
    except Exception:
        return {}


def _place(conninfo: str) -> str:
    """Where a connection string points (host, port, database), never its password."""
    found = _settings(conninfo)
    if not found and conninfo.strip():
        return "?"
    host = str(found.get("host") or found.get("hostaddr") or "localhost")
    port = str(found.get("port") or 5432)
    database = found.get("dbname")
    return f"{host}:{port}" + (f"/{database}" if database else "")
