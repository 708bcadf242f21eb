"""The in-memory adapter: the storage port in a process's memory, for tests and notebooks.

Examples:
    >>> from retail_service_quality.storage.memory import InMemoryStore
    >>> with InMemoryStore().unit_of_work(read_only=True) as uow:
    ...     uow.customers.count()
    0
"""

from retail_service_quality.storage.memory._store import InMemoryStore

__all__ = ["InMemoryStore"]
