"""Storage adapters: implementations of the storage port in `retail_service_quality.ports`."""

from retail_service_quality.adapters.memory import InMemoryStore
from retail_service_quality.adapters.sqlite import SQLiteStore

__all__ = ["InMemoryStore", "SQLiteStore"]
