"""`SQLiteStore` opens a real file path or the explicit ":memory:", and nothing else."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from retail_service_quality import SQLiteStore, StorageError, ValidationError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("path", ["", None, b"service.db", 5, Path("x\ud800.db"), "a\x00b"])
def test_anything_but_a_path_or_memory_is_a_validation_error(
    path: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a mistaken relative file would land here, and be seen below
    with pytest.raises(ValidationError) as caught:
        SQLiteStore(path)
    assert [problem.path for problem in caught.value.problems] == ["$.path"]
    assert list(tmp_path.iterdir()) == []


def test_str_and_pathlike_paths_and_memory_open(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as first, SQLiteStore(str(tmp_path / "b.db")) as second:
        assert first.path.endswith("a.db")
        assert second.path.endswith("b.db")
    with SQLiteStore(":memory:") as memory:
        assert memory.path == ":memory:"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == ["a.db", "b.db"]


def test_a_directory_is_refused_naming_path_and_reason(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        SQLiteStore(tmp_path)
    assert str(tmp_path) in str(caught.value)
    assert "is a directory" in str(caught.value)


def test_a_missing_parent_directory_is_refused_naming_path_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "service.db"
    with pytest.raises(StorageError) as caught:
        SQLiteStore(path)
    assert str(path) in str(caught.value)
    assert "does not exist" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_without_write_permission_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("permissions are not enforced for this user (root?)")
        with pytest.raises(StorageError, match="permission denied") as caught:
            SQLiteStore(locked / "service.db")
        assert str(locked / "service.db") in str(caught.value)
    finally:
        locked.chmod(0o755)


def _foreign(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.mark.parametrize(
    "statements",
    [
        ("CREATE TABLE customers (id TEXT PRIMARY KEY, points INTEGER)",),
        ("CREATE TABLE orders (id INTEGER PRIMARY KEY)", "INSERT INTO orders VALUES (1)"),
        (
            "CREATE TABLE customers (id TEXT PRIMARY KEY)",
            "PRAGMA user_version = 1",
        ),
    ],
    ids=["own customers table", "another program's tables", "claims schema version 1"],
)
def test_a_foreign_database_is_refused_and_left_byte_for_byte(
    tmp_path: Path, statements: tuple[str, ...]
) -> None:
    path = tmp_path / "theirs.db"
    _foreign(path, *statements)
    before = digest(path)
    with pytest.raises(StorageError, match="not one of this library's") as caught:
        SQLiteStore(path)
    assert str(path) in str(caught.value)
    assert digest(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["theirs.db"]
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        assert uow.customers.count() == 0
