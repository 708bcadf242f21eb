"""The SQLite schema: migrations as ``.sql`` files in the package, and how a store's file is known.

Migration ``NNNN_*.sql`` takes the schema from version ``NNNN - 1`` to ``NNNN``
(``PRAGMA user_version``). A file is recognised as a store of version ``v``
when its tables, columns and indexes are exactly those the first ``v``
migrations create; anything else is someone else's database and is refused
before anything in it changes.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from functools import cache
from importlib.resources import files
from typing import Final

from retail_service_quality.storage._time import named_zone, offset_at

__all__ = ["SCHEMA_VERSION", "fingerprint", "migrations", "prepare", "schema_fingerprint"]

Fingerprint = frozenset[tuple[str, ...]]


@cache
def migrations() -> tuple[tuple[str, ...], ...]:
    """The statements of each migration, in order, read from the package's ``.sql`` files."""
    folder = files("retail_service_quality.storage.sqlite") / "migrations"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    found = []
    for number, name in enumerate(names, start=1):
        if int(name.split("_", 1)[0]) != number:
            raise RuntimeError(f"migration {name} is out of sequence")
        found.append(_statements((folder / name).read_text(encoding="utf-8")))
    return tuple(found)


def _statements(script: str) -> tuple[str, ...]:
    """A script's statements, one by one (``executescript`` would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise RuntimeError("a migration ends with an incomplete statement")
    return tuple(statements)


SCHEMA_VERSION: Final = len(migrations())
"""The schema version this release of the library writes (``PRAGMA user_version``)."""


def _utc_offset_us(instant: object, zone: object) -> int | None:
    """The offset of a stored datetime, for rows stored before offsets were; None if unknown."""
    if not isinstance(instant, int) or not isinstance(zone, str) or not zone:
        return None
    if zone[0] in "+-":
        try:
            sign = -1 if zone[0] == "-" else 1
            parts = [int(part) for part in zone[1:].split(":")]
            seconds = parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)
        except (ValueError, IndexError):
            return None
        return sign * seconds * 1_000_000
    found = named_zone(zone)
    return None if found is None else offset_at(found, instant // 1_000_000)


def prepare(connection: sqlite3.Connection) -> None:
    """Give a connection the functions the migrations call."""
    connection.create_function("rsq_utc_offset_us", 2, _utc_offset_us, deterministic=True)


def fingerprint(connection: sqlite3.Connection) -> Fingerprint:
    """The schema's objects and every table's columns (``sqlite_*`` internals left out)."""
    items: set[tuple[str, ...]] = set()
    objects = connection.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table in objects:
        items.add((kind, name, table))
        if kind == "table":
            for column in connection.execute("SELECT * FROM pragma_table_info(?)", (name,)):
                items.add(
                    ("column", name, column[1], column[2].upper(), str(column[3]), str(column[5]))
                )
    return frozenset(items)


@cache
def schema_fingerprint(version: int) -> Fingerprint:
    """What a store's file at ``version`` holds: its schema after that many migrations."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        prepare(connection)
        for statements in migrations()[:version]:
            for statement in statements:
                connection.execute(statement)
        return fingerprint(connection)
