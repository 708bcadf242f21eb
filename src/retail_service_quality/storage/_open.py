"""One way to open a store from what a user types: a SQLite file's path or a PostgreSQL address."""

from __future__ import annotations

import os
import re
from typing import Final

from retail_service_quality.errors import Problems, StorageError
from retail_service_quality.storage.ports import Store

__all__ = ["open_store"]

_URL: Final = re.compile(r"postgres(?:ql)?://", re.IGNORECASE)
# libpq's key=value form, with at least one key that names a server or a database.
_PAIRS: Final = re.compile(r"\s*(?:[a-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s']+)\s*)+", re.IGNORECASE)
_SERVER_KEYS: Final = re.compile(
    r"(?:^|\s)(?:host|hostaddr|dbname|service|port)\s*=", re.IGNORECASE
)


def is_postgres(target: str) -> bool:
    """Whether ``target`` is a PostgreSQL connection string rather than a file path."""
    if _URL.match(target.strip()):
        return True
    return _PAIRS.fullmatch(target) is not None and _SERVER_KEYS.search(target) is not None


def open_store(target: str | os.PathLike[str], *, create: bool = True) -> Store:
    """Open the store at ``target``: a SQLite file's path, or a PostgreSQL connection string.

    A ``postgresql://`` (or ``postgres://``) URL, or libpq's ``key=value`` form
    naming a host, port, service or database, opens a `PostgresStore` (in the
    connection's current schema: name another with
    ``?options=-csearch_path%3Dname``); any other text or path opens a
    `SQLiteStore`. Without ``create``, a store that does not exist yet is
    `StorageError` and nothing is created (for commands that only read).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = tempfile.TemporaryDirectory()
        >>> with open_store(Path(folder.name) / "service.db") as store:
        ...     type(store).__name__
        'SQLiteStore'
        >>> open_store(Path(folder.name) / "other.db", create=False)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.StorageError: no store at '...other.db': the file does not exist (nothing was created)
        >>> folder.cleanup()
        >>> open_store("")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.target: must be a SQLite file's path or a PostgreSQL connection string

    Raises:
        ValidationError: ``target`` is not text or a path, or is empty.
        StorageError: the store cannot be opened (see `SQLiteStore` and
            `PostgresStore`), or does not exist and ``create`` is False.
    """  # noqa: E501
    problems = Problems()
    text = ""
    if isinstance(target, os.PathLike):
        try:
            text = os.fspath(target)
        except Exception:
            text = ""
    elif isinstance(target, str):
        text = target
    if not isinstance(text, str) or not text.strip():
        problems.add(
            "$.target",
            "must be a SQLite file's path or a PostgreSQL connection string",
            "format" if isinstance(target, str | os.PathLike) else "type",
        )
    if not isinstance(create, bool):
        problems.add("$.create", "must be True or False", "type")
    problems.raise_if_any()
    if isinstance(target, str) and is_postgres(text):
        from retail_service_quality.storage.postgres import PostgresStore

        return PostgresStore(text, create=create)
    from retail_service_quality.storage.sqlite import SQLiteStore

    if not create and text != ":memory:" and not os.path.exists(text):
        raise StorageError(f"no store at {text!r}: the file does not exist (nothing was created)")
    return SQLiteStore(text)
