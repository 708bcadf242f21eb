"""One way to open a store from what a user types: a SQLite file's path or a PostgreSQL address."""

from __future__ import annotations

import os
import re
from typing import Final

from retail_service_quality.errors import Problems, StorageError
from retail_service_quality.storage.ports import Store

__all__ = ["open_store"]

_URL: Final = re.compile(r"([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_POSTGRES_SCHEMES: Final = frozenset({"postgres", "postgresql"})
# libpq's key=value form: every word a key=value pair (values quoted or not).
_PAIRS: Final = re.compile(r"\s*(?:[a-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s']*)\s*)+", re.IGNORECASE)
_KEY: Final = re.compile(r"(?:^|\s)([a-z_]+)\s*=", re.IGNORECASE)
# The keywords libpq reads from a connection string.
_LIBPQ_KEYS: Final = frozenset(
    {
        "application_name", "channel_binding", "client_encoding", "connect_timeout",
        "dbname", "fallback_application_name", "gssdelegation", "gssencmode", "gsslib",
        "host", "hostaddr", "keepalives", "keepalives_count", "keepalives_idle",
        "keepalives_interval", "krbsrvname", "load_balance_hosts", "options", "passfile",
        "password", "port", "replication", "require_auth", "requirepeer", "requiressl",
        "service", "ssl_max_protocol_version", "ssl_min_protocol_version", "sslcert",
        "sslcertmode", "sslcompression", "sslcrl", "sslcrldir", "sslkey", "sslmode",
        "sslnegotiation", "sslpassword", "sslrootcert", "sslsni", "target_session_attrs",
        "tcp_user_timeout", "user",
    }
)  # fmt: skip


def _kind(target: str) -> str:
    """``"postgres"``, ``"path"``, or ``"url"`` (a URL of another scheme)."""
    text = target.strip()
    found = _URL.match(text)
    if found:
        scheme = found.group(1).lower()
        return "postgres" if scheme in _POSTGRES_SCHEMES else "url"
    if _PAIRS.fullmatch(text) and any(key.lower() in _LIBPQ_KEYS for key in _KEY.findall(text)):
        return "postgres"
    return "path"


def is_postgres(target: str) -> bool:
    """Whether ``target`` is a PostgreSQL connection string rather than a file path."""
    return _kind(target) == "postgres"


def open_store(
    target: str | os.PathLike[str], *, create: bool = True, read_only: bool = False
) -> Store:
    """Open the store at ``target``: a SQLite file's path, or a PostgreSQL connection string.

    A ``postgresql://`` (or ``postgres://``) URL, or libpq's ``key=value`` form
    (every word a pair, one of them a libpq keyword such as ``host``,
    ``dbname`` or ``user``), opens a `PostgresStore` (in the connection's
    current schema: name another with ``?options=-csearch_path%3Dname``); a URL
    of any other scheme is refused (without echoing it: it may hold a
    password); any other text or path opens a `SQLiteStore`. Without ``create``, a store that does not exist yet is
    `StorageError` and nothing is created (for commands that only read). With
    ``read_only``, an existing store is opened only to be read (implies no
    ``create``): a SQLite file is opened with ``SQLiteStore(read_only=True)``
    and left byte for byte as it was.

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
        >>> with open_store(Path(folder.name) / "service.db", read_only=True) as store:
        ...     with store.unit_of_work(read_only=True) as uow:
        ...         uow.interactions.count()
        0
        >>> folder.cleanup()
        >>> open_store("")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.target: must be a SQLite file's path or a PostgreSQL connection string
        >>> open_store("mysql://shop:secret@db.example/service")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.target: a URL must start with postgresql:// (not mysql://); a SQLite file is given by its path

    Raises:
        ValidationError: ``target`` is not text or a path, is empty, or is a
            URL of another scheme than ``postgresql``.
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
    if not isinstance(read_only, bool):
        problems.add("$.read_only", "must be True or False", "type")
    kind = _kind(text) if isinstance(target, str) and text.strip() else "path"
    if kind == "url":
        # Never echo the text: a URL can hold a password.
        found = _URL.match(text.strip())
        scheme = found.group(1)[:20] if found else "?"
        problems.add(
            "$.target",
            f"a URL must start with postgresql:// (not {scheme}://); "
            "a SQLite file is given by its path",
            "format",
        )
    problems.raise_if_any()
    if read_only:
        create = False
    if kind == "postgres":
        from retail_service_quality.storage.postgres import PostgresStore

        return PostgresStore(text, create=create)
    from retail_service_quality.storage.sqlite import SQLiteStore

    if not create and text != ":memory:" and not os.path.exists(text):
        raise StorageError(f"no store at {text!r}: the file does not exist (nothing was created)")
    return SQLiteStore(text, read_only=read_only)
