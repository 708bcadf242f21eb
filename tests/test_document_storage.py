"""Controlled documents in storage: both adapters agree, the SQLite rows, files and migrations.

The contract itself (`DocumentStoreContract`) runs on every adapter through `StoreContract`
in test_storage_memory.py and test_storage_sqlite.py.
"""

from __future__ import annotations

import inspect
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    ControlledDocument,
    DocumentRef,
    InMemoryStore,
    NotFoundError,
    SQLiteStore,
    StorageError,
)
from retail_service_quality.storage.memory._documents import MemoryDocuments
from retail_service_quality.storage.ports import DocumentRepository, Store
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._documents import SQLiteDocuments
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_documents import (
    DocumentStoreContract,
    documents,
    duties,
)
from retail_service_quality.testing.strategies import real_datetimes

LONDON = ZoneInfo("Europe/London")


def test_every_store_runs_the_document_contract() -> None:
    assert issubclass(StoreContract, DocumentStoreContract)
    names = [name for name in dir(DocumentStoreContract) if name.startswith("test_")]
    assert len(names) >= 5
    for name in names:
        assert inspect.getattr_static(StoreContract, name) is inspect.getattr_static(
            DocumentStoreContract, name
        )


def test_both_adapters_implement_the_port_and_its_documentation() -> None:
    for store in (InMemoryStore(), SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            assert isinstance(uow.documents, DocumentRepository)
    for adapter in (MemoryDocuments, SQLiteDocuments):
        for name in ("query", "count", "resolve"):
            assert getattr(adapter, name).__doc__ == getattr(DocumentRepository, name).__doc__


_KINDS = st.none() | st.sampled_from(["service_standard", "procedure", "role_duties"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stored=st.lists(documents(), max_size=5, unique_by=lambda document: document.id),
    data=st.data(),
)
def test_both_adapters_select_the_same_documents(
    stored: list[ControlledDocument], data: Any
) -> None:
    # The instants asked about: each document's own edges (and a microsecond either side), and
    # random ones, repeated London hours included.
    edges: list[datetime] = []
    for document in stored:
        for version in document.versions:
            instant = version.effective_from.astimezone(UTC)
            edges += [version.effective_from, instant - timedelta(microseconds=1)]
        if document.ends_at is not None:
            edges += [document.ends_at, document.ends_at - timedelta(microseconds=1)]
    moments = edges + data.draw(st.lists(real_datetimes(), max_size=4))
    kinds = data.draw(st.lists(_KINDS, min_size=1, max_size=3))
    answers = []
    stores: list[Store] = [InMemoryStore(), SQLiteStore(":memory:")]
    for store in stores:
        with store:
            with store.unit_of_work() as uow:
                uow.documents.add_many(stored)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                found = []
                for kind in kinds:
                    for moment in (None, *moments):
                        chosen = list(uow.documents.query(kind=kind, in_force_at=moment))
                        assert uow.documents.count(kind=kind, in_force_at=moment) == len(chosen)
                        found.append(chosen)
                answers.append(found)
    assert answers[0] == answers[1]
    # And both agree with the documents themselves.
    position = 0
    for kind in kinds:
        for moment in (None, *moments):
            expected = sorted(
                (
                    document
                    for document in stored
                    if (kind is None or document.kind == kind)
                    and (moment is None or document.in_force(moment) is not None)
                ),
                key=lambda document: document.id,
            )
            assert answers[0][position] == expected
            position += 1


def test_a_file_keeps_documents_and_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    repeated = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # 01:30 GMT, the second pass
    kept = duties("D-1", repeated).revise(
        effective_from=datetime(2027, 1, 1, tzinfo=UTC),
        reason="callers waited for call-backs",
        author_role="quality_manager",
        because=("action", "ACT-12"),
        duties=["Answer calls", "Return missed calls"],
    )
    withdrawn = duties("D-2", datetime(2026, 1, 1, tzinfo=UTC)).withdraw(at=repeated)
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.documents.add_many([kept, withdrawn])
        uow.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        stored = uow.documents.get("D-1")
        assert stored == kept
        assert stored.effective_from.fold == 1
        assert stored.effective_from.utcoffset() == timedelta(0)
        assert uow.documents.resolve(DocumentRef("D-1", 2)) == kept.versions[1]
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT id, version, kind, effective_us, ends_us FROM documents ORDER BY id"
        ).fetchall()
    instant = int((repeated - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 1_000_000
    assert rows == [
        ("D-1", 1, "role_duties", instant, None),
        ("D-2", 1, "role_duties", 1_767_225_600_000_000, instant),
    ]


def test_an_unreadable_stored_document_is_a_storage_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.documents.add(duties("D-1"))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            """UPDATE documents SET record = '{"id": "D-1", "kind": "procedure", "versions": []}'"""
        )
        connection.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        reads = (
            lambda: uow.documents.get("D-1"),
            lambda: list(uow.documents.query()),
            lambda: uow.documents.resolve(DocumentRef("D-1", 1)),
        )
        for read in reads:
            with pytest.raises(StorageError, match="'D-1'"):
                read()
        assert uow.documents.count() == 1
        with pytest.raises(NotFoundError):
            uow.documents.resolve(DocumentRef("D-2", 1))


def test_a_file_of_the_previous_schema_gains_the_documents(tmp_path: Path) -> None:
    path = tmp_path / "previous.db"
    before = 8  # migration 0009 adds the documents
    with closing(sqlite3.connect(path)) as connection:
        prepare(connection)
        for statements in migrations()[:before]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {before:d}")
        connection.commit()
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert "documents" not in tables
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        assert uow.documents.count() == 0
        uow.documents.add(duties("D-1"))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
