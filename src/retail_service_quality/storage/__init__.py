"""Storage: the port (`retail_service_quality.storage.ports`) and its adapters.

The adapters, `InMemoryStore` (`retail_service_quality.storage.memory`),
`SQLiteStore` (`retail_service_quality.storage.sqlite`) and `PostgresStore`
(`retail_service_quality.storage.postgres`, with the ``postgres`` extra), are
imported only when first used.

Examples:
    >>> from retail_service_quality.storage import InMemoryStore
    >>> InMemoryStore().close()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retail_service_quality.storage._open import open_store
    from retail_service_quality.storage.memory import InMemoryStore
    from retail_service_quality.storage.postgres import PostgresStore
    from retail_service_quality.storage.sqlite import SQLiteStore

__all__ = ["InMemoryStore", "PostgresStore", "SQLiteStore", "open_store"]

_LAZY = {
    "InMemoryStore": "retail_service_quality.storage.memory",
    "PostgresStore": "retail_service_quality.storage.postgres",
    "SQLiteStore": "retail_service_quality.storage.sqlite",
    "open_store": "retail_service_quality.storage._open",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
