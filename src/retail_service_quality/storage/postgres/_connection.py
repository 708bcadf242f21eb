"""The PostgreSQL adapter's connection: the repositories' SQL on psycopg, errors classified.

The repositories are written once, in the SQL both databases speak, with
``?`` placeholders; this module runs them on psycopg:

- ``?`` becomes ``%s`` (and a literal ``%`` becomes ``%%``), once per statement text;
- a failed write leaves the transaction usable, as in SQLite: each one runs in a savepoint;
- text holding NUL (which PostgreSQL text cannot hold) is stored with an
  order-preserving escape and read back as it was written;
- a sum read back as ``numeric`` is an ``int`` again, as in SQLite;
- every psycopg error becomes `DatabaseFailureError`, classified by its
  SQLSTATE (never its message, which can hold the values of a row).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

import psycopg

from retail_service_quality.errors import ConflictError, NotFoundError, RSQError, StorageError
from retail_service_quality.storage.sqlite._repository import (
    BATCH,
    DatabaseFailureError,
    Dialect,
)

if TYPE_CHECKING:
    from psycopg.rows import RowMaker

__all__ = ["POSTGRES", "PostgresConnection", "PostgresDialect", "failure", "quiet", "statement"]

_PLACEHOLDER: Final = re.compile(r"[%?]")
_ESCAPED: Final = re.compile("\x01([\x01\x02])")
_WRITES: Final = ("INSERT", "UPDATE", "DELETE")


@lru_cache(maxsize=1024)
def statement(sql: str) -> str:
    """A statement with ``?`` placeholders in psycopg's style (``%s``, and ``%%`` for ``%``)."""
    return _PLACEHOLDER.sub(lambda found: "%s" if found.group() == "?" else "%%", sql)


def _escape(text: str) -> str:
    # NUL -> \x01\x01 and \x01 -> \x01\x02: a prefix code that keeps the order of texts.
    return text.replace("\x01", "\x01\x02").replace("\x00", "\x01\x01")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda found: "\x00" if found.group(1) == "\x01" else "\x01", text)


def _parameter(value: Any) -> Any:
    if type(value) is str:
        return _escape(value) if ("\x00" in value or "\x01" in value) else value
    if type(value) is bool:
        return int(value)
    return value


def parameters(values: Any) -> list[Any]:
    """Statement parameters as psycopg should send them."""
    return [_parameter(value) for value in values]


def _value(value: Any) -> Any:
    if type(value) is str:
        return _unescape(value) if "\x01" in value else value
    if type(value) is Decimal:
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _plain(values: Sequence[Any]) -> tuple[Any, ...]:
    for value in values:
        kind = type(value)
        if (kind is str and "\x01" in value) or kind is Decimal:
            return tuple(_value(item) for item in values)
    return tuple(values)


def rows(cursor: Any) -> RowMaker[tuple[Any, ...]]:
    """psycopg's row factory giving tuples of the values the repositories wrote."""
    return _plain


# ---------------------------------------------------------------- errors

_CONFLICT: Final = "another unit of work changed the same records at the same time; try again"
_BUSY: Final = "the database stayed locked by another unit of work past the busy timeout"
_LOST: Final = "the connection to the PostgreSQL server was lost"
# Reasons by SQLSTATE, then by its class (the first two characters).
_BY_STATE: Final[dict[str, tuple[type[RSQError], str]]] = {
    "23505": (ConflictError, "a record with that id already exists"),
    "23503": (NotFoundError, "it refers to a record that does not exist"),
    "40001": (ConflictError, _CONFLICT),
    "40P01": (ConflictError, _CONFLICT),
    "55P03": (StorageError, _BUSY),
    "57014": (StorageError, "the statement was cancelled (or ran past the busy timeout)"),
    "22003": (StorageError, "a number is too large for the database"),
    "22021": (StorageError, "text that is not valid Unicode cannot be stored"),
    "22P05": (StorageError, "text that is not valid Unicode cannot be stored"),
    "25006": (StorageError, "the database cannot be written (a read-only transaction)"),
    "3D000": (StorageError, "the database does not exist"),
    "3F000": (StorageError, "the schema does not exist"),
    "42501": (
        StorageError,
        "permission denied: the role lacks a privilege on the store's schema or tables "
        "(creating a store needs CREATE on its schema, or on the database for a new schema)",
    ),
    "42P01": (StorageError, "a table of the store is missing (dropped by hand?)"),
    "42703": (StorageError, "a column of the store is missing (changed by hand?)"),
    "53100": (StorageError, "the server's disk is full"),
    "53200": (StorageError, "the server ran out of memory"),
    "53300": (StorageError, "the server has too many connections"),
    "54000": (StorageError, "a value is too large for the database"),
    "57P01": (StorageError, "the server ended the connection (shut down, or by an administrator)"),
    "57P02": (StorageError, "the server was shut down"),
    "57P03": (StorageError, "the server is starting up or shutting down"),
}
_BY_CLASS: Final[dict[str, tuple[type[RSQError], str]]] = {
    "42": (StorageError, "PostgreSQL cannot run the statement on this store's tables"),
    "08": (StorageError, _LOST),
    "22": (StorageError, "the database refused a value"),
    "23": (StorageError, "the database refused the change"),
    "25": (StorageError, "the transaction cannot go on (an earlier statement failed)"),
    "28": (StorageError, "the server refused the credentials"),
    "53": (StorageError, "the server ran out of resources"),
    "58": (StorageError, "the server reported an input/output error"),
    "XX": (StorageError, "the server reported an internal error (damaged data?)"),
}


_QUOTED: Final = re.compile(r'"[^"]*"')


def quiet(error: psycopg.Error) -> str:
    """The first line of a driver's message, quoted names and values withheld.

    The driver's error keeps only this as its message from then on, so that a
    traceback never shows a row's values (PostgreSQL's ``DETAIL``) or a role's
    name; the full report stays in ``error.diag`` for whoever asks for it.
    """
    lines = str(error).strip().splitlines()
    text = _QUOTED.sub('"…"', lines[0]) if lines else ""
    with suppress(Exception):
        error.args = (text,)
    return text


def failure(error: psycopg.Error) -> DatabaseFailureError:
    """The library's classification of a psycopg error (by SQLSTATE), caused by it."""
    quiet(error)
    state = error.sqlstate or ""
    kind: type[RSQError]
    kind, reason = _BY_STATE.get(state) or _BY_CLASS.get(state[:2]) or (StorageError, "")
    if not reason:
        if isinstance(error, psycopg.OperationalError) and not state:
            reason = _LOST
        else:
            reason = f"PostgreSQL refused the statement ({type(error).__name__}, {state or '-'})"
    found = DatabaseFailureError(kind, reason)
    found.__cause__ = error
    return found


def _raise(error: psycopg.Error) -> None:
    raise failure(error) from error


# ---------------------------------------------------------------- dialect


class PostgresDialect(Dialect):
    """PostgreSQL's spelling of the statements SQLite spells its own way."""

    true = "true"

    def insert_ignoring_duplicates(self, table: str, columns: str, marks: str) -> str:
        return f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING"

    def json_list_length(self, column: str, key: str) -> str:
        return f"coalesce(json_array_length(({column})::json -> '{key}'), 0)"

    def json_entries(self, column: str, alias: str) -> str:
        return f"json_each(({column})::json) {alias}"

    def json_value(self, alias: str) -> str:
        return f"(({alias}.value)::text)::bigint"

    def month(self, day: str) -> str:
        return f"to_char(DATE '1970-01-01' + ({day})::integer, 'YYYY-MM')"


POSTGRES: Final = PostgresDialect()


# ---------------------------------------------------------------- connection


class PostgresConnection:
    """One psycopg connection as the repositories call it (``execute``, ``executemany``)."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.raw = connection
        self.total_changes = 0
        self._savepoints = 0

    def _cursor(self) -> psycopg.Cursor[tuple[Any, ...]]:
        return self.raw.cursor(row_factory=rows)

    def _guarded(self, sql: str) -> bool:
        return sql.lstrip()[:6].upper() in _WRITES

    def execute(self, sql: str, parameters_: Any = (), /) -> psycopg.Cursor[tuple[Any, ...]]:
        """Run one statement; a write that fails leaves the transaction as it was before it."""
        values = parameters(parameters_)
        text = statement(sql)
        try:
            cursor = self._cursor()
            if self._guarded(sql):
                self.raw.execute("SAVEPOINT rsq_statement")
                try:
                    cursor.execute(text, values)
                except BaseException:
                    self._undo()
                    raise
                self.raw.execute("RELEASE SAVEPOINT rsq_statement")
            else:
                cursor.execute(text, values)
        except psycopg.Error as error:
            _raise(error)
        if cursor.rowcount > 0 and cursor.description is None:
            self.total_changes += cursor.rowcount
        return cursor

    def _undo(self) -> None:
        try:
            self.raw.execute("ROLLBACK TO SAVEPOINT rsq_statement")
            self.raw.execute("RELEASE SAVEPOINT rsq_statement")
        except psycopg.Error:
            pass  # the connection is gone: the first error is the one to report

    def executemany(self, sql: str, rows_: Iterable[Any], /) -> psycopg.Cursor[tuple[Any, ...]]:
        """Run one statement for each row of parameters, in batches; all or none of them."""
        text = statement(sql)
        try:
            cursor = self._cursor()
            self.raw.execute("SAVEPOINT rsq_statement")
            try:
                batch: list[list[Any]] = []
                for row in rows_:
                    batch.append(parameters(row))
                    if len(batch) >= BATCH:
                        self._many(cursor, text, batch)
                        batch = []
                if batch:
                    self._many(cursor, text, batch)
            except BaseException:
                self._undo()
                raise
            self.raw.execute("RELEASE SAVEPOINT rsq_statement")
        except psycopg.Error as error:
            _raise(error)
        return cursor

    def _many(self, cursor: psycopg.Cursor[Any], text: str, batch: list[list[Any]]) -> None:
        self.raw.execute("SAVEPOINT rsq_batch")
        refused: psycopg.IntegrityError | None = None
        try:
            cursor.executemany(text, batch)
        except psycopg.IntegrityError as error:
            refused = error
            quiet(error)
        if refused is not None:
            # The batch went in at once; find the row refused, to name it, one row at a time.
            self.raw.execute("ROLLBACK TO SAVEPOINT rsq_batch")
            for row in batch:
                try:
                    cursor.execute(text, row)
                except psycopg.Error as error:
                    found = failure(error)
                    found.row = row
                    raise found from error
            raise failure(refused) from refused
        self.raw.execute("RELEASE SAVEPOINT rsq_batch")
        if cursor.rowcount > 0:
            self.total_changes += cursor.rowcount
