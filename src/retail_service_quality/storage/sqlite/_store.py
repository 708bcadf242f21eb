"""The SQLite adapter: the storage port on one file, with the standard library's `sqlite3`.

- The path is a file path (``str`` or ``os.PathLike``) or the explicit
  ``":memory:"``; nothing else, so an unset variable never becomes a throwaway
  database.
- The library creates and migrates the schema itself (``.sql`` files shipped
  in the package), recording its version in ``PRAGMA user_version``. A file
  written by a newer version of the library, or any other program's database,
  is refused before anything in it changes.
- Write-ahead logging, a busy timeout (writers wait for each other instead of
  failing with "database is locked"), foreign keys on, ``secure_delete`` on
  (erased personal data does not linger in free pages) and, by default,
  ``synchronous=FULL``: a committed unit of work survives a crash of the
  process or the machine.
- After a commit that erased ledger events or data uses (or anonymised a
  customer), the write-ahead log is checkpointed and emptied, so the erased
  values leave the log too; a reader holding an older snapshot delays it (a
  WARNING is logged, and it is tried again after the next commit and on close).
- What queries filter and aggregate on are real, indexed columns; nested
  values are JSON written by the library's one converter. Every statement is
  parameterised.
- Every `sqlite3` exception is translated by its SQLite result code:
  `ConflictError` for a duplicate id, `NotFoundError` for a missing customer,
  `StorageError` for the rest, with the driver's exception as the cause.
- Queries stream rows, a batch at a time: a million interactions never sit in
  memory at once. Rows the adapter wrote are loaded without being validated
  again; a row it cannot map raises `StorageError`.

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

import itertools
import logging
import os
import sqlite3
import threading
import time
import urllib.parse
import weakref
from collections.abc import Sequence
from contextlib import suppress
from datetime import timedelta
from types import TracebackType
from typing import Any, Final, Self

from retail_service_quality.errors import Problems, StorageError
from retail_service_quality.storage._common import (
    UnitOfWorkState,
    acquire,
    check_busy_timeout,
    check_read_only,
)
from retail_service_quality.storage.ports import UnitOfWork
from retail_service_quality.storage.sqlite._repositories import SQLRepositories
from retail_service_quality.storage.sqlite._repository import (
    SQLITE,
    Stream,
    classify,
    translated,
)
from retail_service_quality.storage.sqlite._schema import (
    SCHEMA_VERSION,
    fingerprint,
    migrations,
    prepare,
    schema_fingerprint,
)

__all__ = ["SCHEMA_VERSION", "SQLiteStore", "SQLiteUnitOfWork"]

_SYNCHRONOUS: Final = ("off", "normal", "full", "extra")
_MEMORY: Final = ":memory:"
_LOG: Final = logging.getLogger("retail_service_quality.storage.sqlite")
_PATH_RULE: Final = "must be a file path (text or os.PathLike), or ':memory:'"


class SQLiteUnitOfWork(UnitOfWorkState, SQLRepositories):
    """One transaction on a `SQLiteStore`'s connection."""

    def __init__(self, store: SQLiteStore, *, read_only: bool = False) -> None:
        super().__init__(store._local, read_only=read_only)
        self._store = store
        self._in_transaction = False
        self._snapshots: list[str] = []
        self.streams: weakref.WeakSet[Stream] = weakref.WeakSet()
        self.dialect = SQLITE
        self._attach_repositories()
        self._erasing = False

    def open_for(self, generation: int) -> bool:
        """Whether a query begun at ``generation`` may still be read."""
        return self._active and self.generation == generation

    def open_stream(self, sql: str, params: Sequence[Any], action: str) -> Stream:
        """Run a query whose rows are read a batch at a time."""
        return Stream(self, sql, params, action)

    def snapshot_name(self) -> str:
        """A fresh name for a temporary table holding a query's unread rows."""
        name = f"rsq_snapshot_{next(self._store._snapshot_numbers)}"
        self._snapshots.append(name)
        return name

    def connection(self) -> sqlite3.Connection:
        """The store's connection, inside a transaction (begun on first use)."""
        self.check_active()
        connection = self._store._connection()
        if not self._in_transaction:
            # A writer takes the write lock at once; a reader reads a snapshot and blocks no one.
            begin = "BEGIN DEFERRED" if self._read_only else "BEGIN IMMEDIATE"
            with translated("starting a transaction"):
                connection.execute(begin)
            self._in_transaction = True
        return connection

    def writer(self) -> sqlite3.Connection:
        """The connection, for a write: queries being read keep the rows they began with."""
        self.check_writable()
        connection = self.connection()
        for opened in list(self.streams):
            opened.detach(connection)
        return connection

    def __enter__(self) -> Self:
        acquire(self._store._lock, self._store._busy_seconds)
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
            self._drop_snapshots()
        finally:
            self._end()
            self._store._lock.release()

    def _drop_snapshots(self) -> None:
        connection = self._store._conn
        if connection is not None:
            for name in self._snapshots:
                with translated("dropping a query snapshot"):
                    connection.execute(f"DROP TABLE IF EXISTS temp.{name}")
        self._snapshots = []

    def erased(self) -> None:
        """Note that this transaction erased personal data: its old values leave the file."""
        self._erasing = True

    def commit(self) -> None:
        self.check_active()
        if self._in_transaction:
            with translated("committing"):
                self._store._connection().execute("COMMIT")
            self._in_transaction = False
            if self._erasing:
                self._store._checkpoint_due = True
        self._erasing = False
        self._store._checkpoint()

    def rollback(self) -> None:
        self.generation += 1
        self._erasing = False
        if self._in_transaction:
            self._in_transaction = False
            if self._store._conn is None:
                return  # the store was closed: closing rolled the transaction back
            with translated("rolling back"):
                self._store._conn.execute("ROLLBACK")


def _check_path(path: object, problems: Problems) -> str:
    """The path as text, or a problem at ``$.path``."""
    if isinstance(path, os.PathLike):
        try:
            path = os.fspath(path)
        except Exception:
            path = None
    if not isinstance(path, str) or not path:
        problems.add("$.path", _PATH_RULE, "format" if isinstance(path, str) else "type")
        return ""
    try:
        os.fsencode(path)
    except UnicodeEncodeError:
        problems.add("$.path", "must be a file path in the file system's encoding", "format")
        return ""
    if "\x00" in path:
        problems.add("$.path", "must not contain a NUL character", "format")
        return ""
    return path


def _reading_uri(path: str) -> str:
    """How to open an existing file for reading without changing anything beside it.

    A write-ahead log with content (another process writing, or a crash) must be read:
    ``mode=ro`` reads it and never copies it into the file. Without one, a file that
    may be written is opened as usual (closing removes the log files opening made, and
    nothing is written to the file), and one that cannot be written (its folder or the
    file read-only) as ``immutable``: no writer can change it while it is read, and no
    log or shared-memory file is made beside it.
    """
    location = urllib.parse.quote(os.path.abspath(path))
    log = f"{path}-wal"
    if os.path.exists(log) and os.path.getsize(log) > 0:
        return f"file:{location}?mode=ro"
    folder = os.path.dirname(os.path.abspath(path))
    if os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK):
        return f"file:{location}?mode=rw"
    return f"file:{location}?mode=ro&immutable=1"


def _check_place(path: str) -> None:
    """Raise `StorageError`, naming the path and the reason, where no database can be opened."""
    where = f"cannot open the database {path!r}"
    if os.path.isdir(path):
        raise StorageError(f"{where}: it is a directory")
    if os.path.exists(path):
        if not os.access(path, os.R_OK):
            raise StorageError(f"{where}: permission denied (the file cannot be read)")
        return
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise StorageError(f"{where}: the directory {parent!r} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StorageError(f"{where}: permission denied (no new file can be made in {parent!r})")


class SQLiteStore:
    """The storage port on a SQLite file (or ``":memory:"``).

    Args:
        path: the database file, as text or an ``os.PathLike``; created with its
            schema if it does not exist. ``":memory:"`` (explicitly) gives a
            private database in memory.
        busy_timeout: how long a unit of work waits for another to finish (in
            this process or another) before giving up with `StorageError`.
        synchronous: SQLite's ``synchronous`` setting: ``"full"`` (the default)
            survives power loss; ``"normal"`` survives a crash of the process
            and is faster.
        read_only: open an existing store only to read it: nothing is created,
            migrated or written, and the file is left byte for byte as it was
            (also when a write-ahead log left by a crash holds changes: they
            are read, not copied into the file). Works on a file or folder that
            cannot be written. Its units of work must be ``read_only``. A store
            of an older schema is refused (open it once without ``read_only``
            to upgrade it).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     with SQLiteStore(Path(folder) / "service.db") as store:
        ...         with store.unit_of_work() as uow:
        ...             uow.interactions.count()
        ...     with SQLiteStore(Path(folder) / "service.db", read_only=True) as store:
        ...         with store.unit_of_work(read_only=True) as uow:
        ...             uow.customers.count()
        ...     sorted(path.name for path in Path(folder).iterdir())
        0
        0
        ['service.db']
        >>> SQLiteStore("")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.path: must be a file path (text or os.PathLike), or ':memory:'

    Raises:
        ValidationError: the path is not text or a path (``""``, ``None``,
            bytes...), or a setting is not valid.
        StorageError: the file cannot be opened (a directory, a missing
            directory, no permission), is not this library's database, or
            was written by a newer version of the library; the message names
            the path and the reason.
    """  # noqa: E501

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout: timedelta = timedelta(seconds=30),
        synchronous: str = "full",
        read_only: bool = False,
    ) -> None:
        problems = Problems()
        text = _check_path(path, problems)
        if not isinstance(read_only, bool):
            problems.add("$.read_only", "must be true or false", "type")
        elif read_only and text == _MEMORY:
            problems.add("$.read_only", "must be false for ':memory:' (nothing to read)", "invalid")
        seconds = check_busy_timeout(busy_timeout, problems)
        if not isinstance(synchronous, str) or synchronous not in _SYNCHRONOUS:
            problems.add(
                "$.synchronous",
                "must be 'off', 'normal', 'full' or 'extra'",
                "unknown_choice" if isinstance(synchronous, str) else "type",
            )
        problems.raise_if_any()
        assert isinstance(synchronous, str)
        self._path = text
        self._busy_seconds = seconds
        self._lock = threading.RLock()
        self._local = threading.local()
        self._snapshot_numbers = itertools.count()
        self._conn: sqlite3.Connection | None = None
        self._checkpoint_due = False
        self._read_only = read_only
        if text != _MEMORY:
            _check_place(text)
        action = f"opening the database {text!r}"
        if read_only and not os.path.isfile(text):
            raise StorageError(f"{action}: the file does not exist (nothing was created)")
        with translated(action):
            connection = sqlite3.connect(
                _reading_uri(text) if read_only else text,
                timeout=seconds,
                isolation_level=None,
                check_same_thread=False,
                uri=read_only,
            )
        try:
            with translated(action):
                connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000):d}")
                prepare(connection)
            # Refuse a file that is not a store of this or an older release before changing
            # anything in it: no journal mode switch, no migration.
            version = self._check_schema(connection, action)
            if read_only:
                if version != SCHEMA_VERSION:
                    raise StorageError(
                        f"{action}: the store was written by an older release (schema version "
                        f"{version}); open it once without read_only to upgrade it"
                    )
                with translated(action):
                    connection.execute("PRAGMA query_only = ON")
                self._conn = connection
                return
            self._enable_wal(connection, seconds, action)
            with translated(action):
                connection.execute("PRAGMA foreign_keys = ON")
                connection.execute("PRAGMA secure_delete = ON")
                connection.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            self._migrate(connection, action)
        except BaseException:
            connection.close()
            raise
        self._conn = connection

    @staticmethod
    def _enable_wal(connection: sqlite3.Connection, seconds: float, action: str) -> None:
        """Switch to write-ahead logging, waiting out other processes doing the same.

        When several processes open a new file at once, SQLite answers the switch
        with SQLITE_BUSY at once rather than calling the busy handler (waiting could
        deadlock), so the wait happens here, with a short backoff, up to the busy timeout.
        """
        deadline = time.monotonic() + seconds
        pause = 0.001
        while True:
            try:
                connection.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.Error as error:
                busy = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() >= deadline:
                    raise classify(error, action) from error
                time.sleep(pause)
                pause = min(pause * 2, 0.05)

    @staticmethod
    def _check_schema(
        connection: sqlite3.Connection, action: str, *, in_transaction: bool = False
    ) -> int:
        """The file's schema version; `StorageError` unless it is this library's, unchanged."""
        with translated(action):
            if not in_transaction:  # one consistent read, while another process may migrate
                connection.execute("BEGIN DEFERRED")
            try:
                version: int = connection.execute("PRAGMA user_version").fetchone()[0]
                found = fingerprint(connection)
            except sqlite3.Error:
                if not in_transaction:
                    with suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise
            if not in_transaction:
                connection.execute("COMMIT")
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{action}: the database has schema version {version}, written by a newer "
                f"release of retail_service_quality; this release reads up to version "
                f"{SCHEMA_VERSION}. Upgrade the library to open it."
            )
        if version < 0 or found != schema_fingerprint(version):
            raise StorageError(
                f"{action}: the file is a SQLite database, but not one of this library's "
                "(its tables are not the library's); it was left unchanged"
            )
        return version

    @classmethod
    def _migrate(cls, connection: sqlite3.Connection, action: str) -> None:
        with translated(action):
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        with translated(f"{action}: migrating the schema"):
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while this one waited for the lock.
                version = cls._check_schema(connection, action, in_transaction=True)
                for statements in migrations()[version:]:
                    for statement in statements:
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def _checkpoint(self) -> None:
        """After erasure, copy the write-ahead log into the file and empty it (if it is due).

        ``secure_delete`` overwrites erased values in the database file, but the
        log still holds the pages as they were until it is checkpointed. A
        reader holding an older snapshot (in another process, or another store
        object) stops the checkpoint; it is then tried again after the next
        commit and on closing, with a warning each time it cannot complete.
        """
        connection = self._conn
        if not self._checkpoint_due or connection is None or connection.in_transaction:
            return
        if self._path == _MEMORY:
            self._checkpoint_due = False
            return
        try:
            connection.execute("PRAGMA busy_timeout = 0")  # never wait on a reader here
            try:
                blocked = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                connection.execute(f"PRAGMA busy_timeout = {int(self._busy_seconds * 1000):d}")
        except sqlite3.Error as error:
            _LOG.warning(
                "erased data may remain in the write-ahead log of %r: the checkpoint failed "
                "(%s); it is tried again after the next commit",
                self._path,
                getattr(error, "sqlite_errorname", None) or type(error).__name__,
            )
            return
        if blocked:
            _LOG.warning(
                "erased data remains in the write-ahead log of %r while another connection "
                "reads an older snapshot; the checkpoint is tried again after the next commit "
                "and on closing",
                self._path,
            )
            return
        self._checkpoint_due = False
        _LOG.debug("checkpointed the write-ahead log of %r after an erasure", self._path)

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
        and never nested); one waits for another up to the busy timeout. A unit
        of work takes the database's write lock on its first statement, reads
        included, and other processes wait for it up to the busy timeout; a
        ``read_only`` one reads a consistent snapshot instead, blocks no
        writer, and refuses to write. Iterate query results inside the unit of
        work.

        Examples:
            >>> with SQLiteStore(":memory:") as store, store.unit_of_work() as uow:
            ...     uow.customers.count()
            0
        """
        read_only = check_read_only(read_only)
        self._connection()
        if self._read_only and not read_only:
            raise StorageError(
                "the store was opened read_only: its units of work must be read_only too"
            )
        return SQLiteUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards.

        Examples:
            >>> store = SQLiteStore(":memory:")
            >>> store.close()
            >>> store.close()  # closing twice is harmless
        """
        with self._lock:
            if self._conn is not None:
                self._checkpoint()
                with translated("closing the database"):
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
