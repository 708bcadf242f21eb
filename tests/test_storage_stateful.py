"""Random sequences of operations give identical results on every adapter."""

from __future__ import annotations

from hypothesis import settings

from retail_service_quality import InMemoryStore, SQLiteStore
from retail_service_quality.testing.contract import compare_stores

MemoryAgreesWithSQLite = compare_stores(InMemoryStore, lambda: SQLiteStore(":memory:"))
MemoryAgreesWithSQLite.TestCase.settings = settings(
    MemoryAgreesWithSQLite.TestCase.settings, stateful_step_count=30, deadline=None
)
TestMemoryAgreesWithSQLite = MemoryAgreesWithSQLite.TestCase
