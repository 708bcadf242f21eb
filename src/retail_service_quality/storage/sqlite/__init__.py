"""The SQLite adapter: the storage port on one file, with the standard library's `sqlite3`.

Examples:
    >>> from retail_service_quality.storage.sqlite import SQLiteStore
    >>> with SQLiteStore(":memory:") as store, store.unit_of_work(read_only=True) as uow:
    ...     uow.interactions.count()
    0
"""

from retail_service_quality.storage.sqlite._store import SCHEMA_VERSION, SQLiteStore

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]
