"""What the command line checks about a store's file before opening it, reading only its header.

`SQLiteStore` upgrades the schema of a file written by an older release, and
switches a file to write-ahead logging, when it opens it: right for a program
that works on its store, wrong for ``rsq report``, which must leave the file
it reads as it found it. So the file's first 100 bytes (SQLite's header) are
read with plain ``open``, and only a file that `SQLiteStore` opens without
changing anything is handed to it: a SQLite database in write-ahead-log mode
whose schema version is this release's. Everything else is refused, naming
the path and the reason.
"""

from __future__ import annotations

import os
import stat
from typing import Final

from retail_service_quality.errors import StorageError
from retail_service_quality.storage.sqlite._schema import SCHEMA_VERSION

__all__ = ["check_store_file", "is_sqlite_file"]

_MAGIC: Final = b"SQLite format 3\x00"
_HEADER: Final = 100
_WAL: Final = 2  # bytes 18 and 19 of the header: the read and write format versions
_UNCHANGED: Final = "it was left unchanged"


def _header(path: str) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(_HEADER)
    except OSError as error:
        reason = "permission denied" if isinstance(error, PermissionError) else "it cannot be read"
        raise StorageError(f"cannot read {path!r}: {reason}") from error


def is_sqlite_file(path: str) -> bool:
    """Whether ``path`` is a regular file starting with SQLite's header."""
    try:
        return os.path.isfile(path) and _header(path).startswith(_MAGIC)
    except StorageError:
        return False


def check_store_file(path: str) -> None:
    """Raise `StorageError` unless opening ``path`` as a store would leave it unchanged.

    A path that does not exist, a directory and an unreadable file are left to
    `open_store` (``create=False``), which refuses them with its own messages.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        return
    if not stat.S_ISREG(mode):
        raise StorageError(f"{path!r} is not a store: it is not a regular file")
    if not os.access(path, os.R_OK):
        return
    header = _header(path)
    if not header:
        raise StorageError(f"{path!r} is not a store: the file is empty ({_UNCHANGED})")
    if len(header) < _HEADER or not header.startswith(_MAGIC):
        raise StorageError(f"{path!r} is not a store: it is not a SQLite database ({_UNCHANGED})")
    version = int.from_bytes(header[60:64], "big", signed=True)
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{path!r} has schema version {version}, written by a newer release of "
            f"retail_service_quality; this release reads up to version {SCHEMA_VERSION}. "
            f"Upgrade the library to read it ({_UNCHANGED})"
        )
    if version <= 0:
        raise StorageError(
            f"{path!r} is not a store: it is a SQLite database, but not one of "
            f"retail_service_quality's ({_UNCHANGED})"
        )
    if version < SCHEMA_VERSION:
        raise StorageError(
            f"{path!r} has schema version {version}, from an older release; rsq report does "
            "not upgrade a file it only reads: open it once with open_store() in Python to "
            f"upgrade it ({_UNCHANGED})"
        )
    if header[18] != _WAL or header[19] != _WAL:
        raise StorageError(
            f"{path!r} is not in write-ahead-log mode, and opening it would switch it; "
            f"rsq report does not change a file it only reads ({_UNCHANGED})"
        )
