"""Test collection for the whole tree: the PostgreSQL examples need a server.

The doctests of the PostgreSQL adapter and of its guide run against the server
named by ``RSQ_TEST_POSTGRES`` (``scripts/with-postgres.sh`` starts one).
Without it they are skipped, except under CI, where they run and fail.
"""

from __future__ import annotations

import os

import pytest
from _pytest.doctest import DoctestItem


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("RSQ_TEST_POSTGRES") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="RSQ_TEST_POSTGRES names no PostgreSQL server")
    for item in items:
        if isinstance(item, DoctestItem) and "postgres" in str(item.path):
            item.add_marker(skip)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each PostgreSQL example begins with its schemas (``doc_*``, ``guide*``) gone."""
    server = os.environ.get("RSQ_TEST_POSTGRES")
    if not server or not isinstance(item, DoctestItem) or "postgres" not in str(item.path):
        return
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        names = connection.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'doc\\_%' OR nspname LIKE 'guide%'"
        ).fetchall()
        for (name,) in names:
            connection.execute(f'DROP SCHEMA "{name}" CASCADE'.encode())
