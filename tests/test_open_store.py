"""`open_store`: a SQLite path or a PostgreSQL connection string, created or only opened."""

from __future__ import annotations

import os
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from retail_service_quality import (
    InMemoryStore,
    PostgresStore,
    SQLiteStore,
    StorageError,
    ValidationError,
    open_store,
)
from retail_service_quality.storage._open import is_postgres

SERVER = os.environ.get("RSQ_TEST_POSTGRES", "")
needs_server = pytest.mark.skipif(
    not SERVER and not os.environ.get("CI"), reason="RSQ_TEST_POSTGRES names no server"
)


@pytest.mark.parametrize(
    ("target", "postgres"),
    [
        ("postgresql://rsq@db.example:5432/service", True),
        ("postgres://localhost/service", True),
        ("POSTGRESQL://localhost", True),
        ("host=db.example dbname=service user=rsq", True),
        ("dbname='service quality' port=5433", True),
        ("service.db", False),
        ("data/host=1.db", False),  # a path with '=' in it is still a path
        ("user=rsq", True),  # libpq's defaults name the server
        ("password=secret sslmode=require", True),
        ("user=", True),
        ("colour=blue", False),  # not a libpq keyword: a file of that name
        ("user=rsq extra words", False),
        ("C:\\service.db", False),
        (":memory:", False),
        ("postgresql.db", False),
    ],
)
def test_connection_strings_are_told_from_paths(target: str, postgres: bool) -> None:
    assert is_postgres(target) is postgres


def test_a_path_opens_a_sqlite_store_and_creates_it_unless_told_not_to(tmp_path: Path) -> None:
    with open_store(tmp_path / "made.db") as store:
        assert isinstance(store, SQLiteStore)
    assert (tmp_path / "made.db").exists()
    with open_store(str(tmp_path / "made.db"), create=False) as store:
        assert isinstance(store, SQLiteStore)
    with pytest.raises(StorageError, match="does not exist"):
        open_store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize("target", ["", "   ", None, 42, b"service.db"])
def test_anything_else_is_a_validation_error(target: object) -> None:
    with pytest.raises(ValidationError, match=r"\$\.target"):
        open_store(target)  # type: ignore[arg-type]


def test_create_must_be_a_bool(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"\$\.create"):
        open_store(tmp_path / "x.db", create="no")  # type: ignore[arg-type]
    assert not (tmp_path / "x.db").exists()


@needs_server
def test_a_connection_string_opens_a_postgres_store_in_the_schema_it_names() -> None:
    import psycopg

    schema = f"o_{uuid.uuid4().hex[:12]}"
    target = f"{SERVER} options='-csearch_path={schema}'"
    with closing(psycopg.connect(SERVER, autocommit=True)) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
        try:
            with pytest.raises(StorageError, match="no store here"):
                open_store(target, create=False)
            tables = connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            ).fetchone()
            assert tables == (0,)  # nothing was created
            with open_store(target) as store:
                assert isinstance(store, PostgresStore)
                with store.unit_of_work() as uow:
                    assert uow.customers.count() == 0
            with open_store(target, create=False) as store:
                assert isinstance(store, PostgresStore)
        finally:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.parametrize(
    "target",
    [
        "postgressql://shop:secret@db.example/service",
        "postgresql+psycopg://shop:secret@db.example/service",
        "mysql://shop:secret@db.example/service",
        "sqlite:///secret.db",
    ],
)
def test_a_url_of_another_scheme_is_refused_without_echoing_it(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        ValidationError, match=r"\$\.target: a URL must start with postgresql://"
    ) as raised:
        open_store(target)
    assert "secret" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []  # no file was made of it


def test_a_connection_string_with_a_password_never_becomes_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StorageError) as raised:
        open_store("host=127.0.0.1 port=1 password=secret connect_timeout=2", create=False)
    assert "secret" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_the_in_memory_store_is_not_opened_by_name() -> None:
    # ":memory:" is a private SQLite database, never the in-memory adapter.
    with open_store(":memory:") as store:
        assert not isinstance(store, InMemoryStore)
