"""The PostgreSQL schema: versioned migrations shipped as ``.sql`` files, and how a store is known.

Migration ``NNNN_*.sql`` takes a store to schema version ``NNNN``; versions
mean the same tables on PostgreSQL as on SQLite. PostgreSQL stores begin at
version 13 (``0013_baseline.sql``, the whole schema of that version); each
later version adds one file. The version is kept in the table
``rsq_schema_version``. A schema holding tables named like the library's
that are not exactly what their version makes, or a version newer than this
release knows, is refused before anything in it changes. Other tables in the
same PostgreSQL schema are left alone.
"""

from __future__ import annotations

import os
import secrets
import threading
from functools import cache
from importlib.resources import files
from typing import Any, Final

import psycopg
from psycopg import sql

from retail_service_quality.errors import StorageError
from retail_service_quality.storage.sqlite._schema import SCHEMA_VERSION

__all__ = ["BASELINE", "VERSION_TABLE", "migrations", "open_schema"]

VERSION_TABLE: Final = "rsq_schema_version"
_LOCK_KEY: Final = 0x525351  # the advisory lock's first key: "RSQ"
Fingerprint = frozenset[tuple[str, ...]]


@cache
def migrations() -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Each migration's version and statements, in order, read from the package's files."""
    folder = files("retail_service_quality.storage.postgres") / "migrations"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    found: list[tuple[int, tuple[str, ...]]] = []
    for name in names:
        number = int(name.split("_", 1)[0])
        if found and number != found[-1][0] + 1:
            raise RuntimeError(f"migration {name} is out of sequence")
        found.append((number, _statements((folder / name).read_text(encoding="utf-8"))))
    return tuple(found)


def _statements(script: str) -> tuple[str, ...]:
    """A script's statements (the files hold no ``;`` but at the end of a statement)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return tuple(part.strip() for part in "\n".join(lines).split(";") if part.strip())


BASELINE: Final = migrations()[0][0]
"""The first schema version a PostgreSQL store can have."""

if migrations()[-1][0] != SCHEMA_VERSION:  # pragma: no cover - a packaging mistake
    raise RuntimeError("the PostgreSQL migrations end at another version than SQLite's")


_FINGERPRINT: Final = """
SELECT 'column', table_name::text, column_name::text, data_type::text, is_nullable::text,
       coalesce(column_default::text, ''), coalesce(collation_name::text, '')
FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = ANY(%(tables)s)
UNION ALL
SELECT 'index', tablename::text, indexname::text,
       replace(indexdef, quote_ident(schemaname) || '.', ''), '', '', ''
FROM pg_indexes
WHERE schemaname = current_schema() AND tablename = ANY(%(tables)s)
UNION ALL
SELECT 'constraint', rel.relname::text, con.conname::text, con.contype::text,
       pg_get_constraintdef(con.oid), '', ''
FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
WHERE rel.relnamespace = current_schema()::regnamespace AND rel.relname = ANY(%(tables)s)
"""


def _fingerprint(cursor: psycopg.Cursor[Any], tables: list[str]) -> Fingerprint:
    cursor.execute(_FINGERPRINT, {"tables": tables})
    return frozenset(tuple(str(value) for value in row) for row in cursor.fetchall())


_EXPECTED: dict[tuple[int, int], tuple[list[str], Fingerprint]] = {}
_EXPECTED_LOCK = threading.Lock()


def _expected(connection: psycopg.Connection[Any], version: int) -> tuple[list[str], Fingerprint]:
    """The tables and fingerprint a store of ``version`` has on this server.

    Found by running the migrations in a scratch schema inside a transaction that
    is rolled back (once per server version and schema version, per process).
    """
    key = (connection.info.server_version, version)
    with _EXPECTED_LOCK:
        found = _EXPECTED.get(key)
    if found is not None:
        return found
    cursor = connection.cursor()
    probe = f"rsq_probe_{os.getpid()}_{secrets.token_hex(4)}"
    cursor.execute("SAVEPOINT rsq_probe")
    try:
        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(probe)))
        cursor.execute("SELECT set_config('search_path', %s, true)", (_quoted(probe),))
        for number, statements in migrations():
            if number > version:
                break
            for statement in statements:
                cursor.execute(statement.encode())
        cursor.execute(
            "SELECT table_name::text FROM information_schema.tables "
            "WHERE table_schema = %s ORDER BY 1",
            (probe,),
        )
        tables = [row[0] for row in cursor.fetchall()]
        found = (tables, _fingerprint(cursor, tables))
    finally:
        cursor.execute("ROLLBACK TO SAVEPOINT rsq_probe")
        cursor.execute("RELEASE SAVEPOINT rsq_probe")
    with _EXPECTED_LOCK:
        _EXPECTED[key] = found
    return found


def _version(cursor: psycopg.Cursor[Any]) -> int | None:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (VERSION_TABLE,))
    row = cursor.fetchone()
    if not row or not row[0]:
        return None
    cursor.execute(sql.SQL("SELECT version FROM {}").format(sql.Identifier(VERSION_TABLE)))
    rows = cursor.fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        return -1
    return int(rows[0][0])


def _check(
    connection: psycopg.Connection[Any], cursor: psycopg.Cursor[Any], where: str
) -> int | None:
    """The store's version (None: no store yet); `StorageError` if it is not one to open."""
    version = _version(cursor)
    if version is not None and version > SCHEMA_VERSION:
        raise StorageError(
            f"{where}: the store has schema version {version}, written by a newer release of "
            f"retail_service_quality; this release reads up to version {SCHEMA_VERSION}. "
            "Upgrade the library to open it."
        )
    latest_tables, _ = _expected(connection, SCHEMA_VERSION)
    if version is None:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
            (latest_tables,),
        )
        row = cursor.fetchone()
        if row and row[0]:
            raise StorageError(
                f"{where}: the schema holds tables named like this library's that are not a "
                "store of it (no schema version is recorded); it was left unchanged"
            )
        return None
    if version < BASELINE:
        raise StorageError(f"{where}: the store's recorded schema version is not valid")
    tables, expected = _expected(connection, version)
    if _fingerprint(cursor, tables) != expected:
        raise StorageError(
            f"{where}: the store's tables are not those of schema version {version} (changed "
            "by hand or by another program); it was left unchanged"
        )
    return version


def open_schema(
    connection: psycopg.Connection[Any], schema: str | None, where: str, *, create: bool = True
) -> int:
    """Check the store in ``schema`` and migrate it to this release's version; the old version.

    Runs in one transaction on ``connection`` (which must be idle), holding an
    advisory lock on the schema's name, so that processes opening the same new
    store at once create it once. Without ``create``, a schema holding no store
    is `StorageError` and nothing is created.
    """
    cursor = connection.cursor()
    try:
        with connection.transaction():
            if schema is not None:
                cursor.execute("SELECT set_config('search_path', %s, true)", (_quoted(schema),))
            if _read_only(cursor):
                return _check_read_only(cursor, where)
            name = schema if schema is not None else _current(cursor)
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_KEY, name))
            exists = schema is None or _schema_exists(cursor, schema)
            version = _check(connection, cursor, where) if exists else None
            if version == SCHEMA_VERSION:
                return version
            if version is None and not create:
                raise StorageError(
                    f"{where}: there is no store here (no schema version is recorded); "
                    "nothing was created"
                )
            if not exists:
                cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
            if version is None:
                cursor.execute(
                    sql.SQL("CREATE TABLE {} (version BIGINT NOT NULL)").format(
                        sql.Identifier(VERSION_TABLE)
                    )
                )
                cursor.execute(
                    sql.SQL("INSERT INTO {} (version) VALUES (0)").format(
                        sql.Identifier(VERSION_TABLE)
                    )
                )
            for number, statements in migrations():
                if version is not None and number <= version:
                    continue
                for statement in statements:
                    cursor.execute(statement.encode())
            cursor.execute(
                sql.SQL("UPDATE {} SET version = %s").format(sql.Identifier(VERSION_TABLE)),
                (SCHEMA_VERSION,),
            )
            return version or 0
    finally:
        cursor.close()


def _read_only(cursor: psycopg.Cursor[Any]) -> bool:
    """Whether the server takes no writes (a hot standby, or read-only by default)."""
    cursor.execute("SELECT current_setting('transaction_read_only') = 'on'")
    row = cursor.fetchone()
    return bool(row and row[0])


def _check_read_only(cursor: psycopg.Cursor[Any], where: str) -> int:
    """On a server that takes no writes: a store of this release's version, or `StorageError`.

    Its tables cannot be compared with what the migrations make (that needs a
    scratch schema), so only the recorded version is checked; read-only units of
    work are what such a store serves.
    """
    version = _version(cursor)
    if version is None:
        raise StorageError(
            f"{where}: there is no store here, and the server takes no writes (a read "
            "replica?), so none can be created"
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{where}: the store has schema version {version}, written by a newer release of "
            f"retail_service_quality; this release reads up to version {SCHEMA_VERSION}. "
            "Upgrade the library to open it."
        )
    if version != SCHEMA_VERSION:
        raise StorageError(
            f"{where}: the store has schema version {version} and needs migrating to "
            f"{SCHEMA_VERSION}, but the server takes no writes: open it on the primary first"
        )
    return version


def _current(cursor: psycopg.Cursor[Any]) -> str:
    cursor.execute("SELECT current_schema()")
    row = cursor.fetchone()
    if not row or row[0] is None:
        raise StorageError("no schema to keep the store in: the search_path names none that exists")
    return str(row[0])


def _schema_exists(cursor: psycopg.Cursor[Any], schema: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
    return cursor.fetchone() is not None


def _quoted(schema: str) -> str:
    """The schema's name as a ``search_path`` entry."""
    return '"' + schema.replace('"', '""') + '"'
