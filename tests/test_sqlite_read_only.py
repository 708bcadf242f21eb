"""`SQLiteStore(path, read_only=True)`: a store opened only to be read leaves its file byte for
byte as it was and makes no file beside it, reads a write-ahead log a crash left without
copying it into the file, opens a file or folder that cannot be written, and writes nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from retail_service_quality import (
    ServiceInteraction,
    SQLiteStore,
    StorageError,
    ValidationError,
)
from retail_service_quality.storage.sqlite._schema import SCHEMA_VERSION, migrations

AT = datetime(2026, 5, 1, 9, tzinfo=UTC)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def call(number: int) -> ServiceInteraction:
    return ServiceInteraction(id=f"I-{number}", store_id="S1", channel="email", occurred_at=AT)


@pytest.fixture(name="store_file")
def _store_file(tmp_path: Path) -> Path:
    path = tmp_path / "service.db"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.interactions.add_many(call(n) for n in range(3))
        uow.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["service.db"]
    return path


def count(path: Path) -> int:
    with SQLiteStore(path, read_only=True) as store, store.unit_of_work(read_only=True) as uow:
        return uow.interactions.count()


def test_reading_leaves_the_file_and_its_folder_as_they_were(store_file: Path) -> None:
    before = digest(store_file)
    assert count(store_file) == 3
    assert digest(store_file) == before
    assert sorted(p.name for p in store_file.parent.iterdir()) == ["service.db"]


def test_nothing_can_be_written(store_file: Path) -> None:
    before = digest(store_file)
    with SQLiteStore(store_file, read_only=True) as store:
        with pytest.raises(StorageError, match="read_only"):
            store.unit_of_work()
        with store.unit_of_work(read_only=True) as uow, pytest.raises(StorageError):
            uow.interactions.add(call(9))
    assert digest(store_file) == before
    assert count(store_file) == 3


def test_a_crash_log_is_read_and_not_copied_into_the_file(store_file: Path) -> None:
    # A process commits one more record and dies before closing: the record is in the
    # write-ahead log only, which a normal opening would copy into the file.
    program = textwrap.dedent(
        f"""
        import os
        from datetime import datetime, timezone
        from retail_service_quality import ServiceInteraction, SQLiteStore
        store = SQLiteStore({str(store_file)!r})
        with store.unit_of_work() as uow:
            uow.interactions.add(ServiceInteraction(id="I-late", store_id="S1",
                channel="email", occurred_at=datetime(2026, 5, 2, tzinfo=timezone.utc)))
            uow.commit()
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)
    log = Path(f"{store_file}-wal")
    assert log.stat().st_size > 0
    names = sorted(path.name for path in store_file.parent.iterdir())
    before = digest(store_file), digest(log)
    assert count(store_file) == 4
    # The file and its log are as they were (the shared-memory index may be rebuilt).
    assert (digest(store_file), digest(log)) == before
    assert sorted(path.name for path in store_file.parent.iterdir()) == names


READER = (
    "from retail_service_quality import SQLiteStore\n"
    "with SQLiteStore({path!r}, read_only=True) as store:\n"
    "    with store.unit_of_work(read_only=True) as uow:\n"
    "        print(uow.interactions.count())\n"
)


@pytest.fixture(name="open_folder")
def _open_folder() -> Iterator[Path]:
    """A folder another user can reach (pytest's own are private to this one)."""
    with tempfile.TemporaryDirectory(prefix="rsq-read-only-") as name:
        folder = Path(name)
        folder.chmod(0o755)
        yield folder


def _shared(open_folder: Path, store_file: Path, where: str) -> Path:
    folder = open_folder / "shared"
    folder.mkdir()
    path = folder / "service.db"
    shutil.copy(store_file, path)
    path.chmod(0o444)
    folder.chmod(0o555 if where == "read-only folder" else 0o777)
    return path


@pytest.mark.parametrize("where", ["read-only folder", "read-only file"])
def test_a_file_that_cannot_be_written_is_read(
    open_folder: Path, store_file: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _shared(open_folder, store_file, where)
    if os.geteuid() == 0:
        # Root writes whatever the modes say: the file is taken to be unwritable as it would be
        # for anyone else (the next test tries a real unprivileged user where it can).
        access = os.access

        def unwritable(name: Any, mode: int, **options: Any) -> bool:
            if mode & os.W_OK and Path(name).resolve() in (path, path.parent):
                return where == "read-only file" and Path(name).resolve() == path.parent
            return access(name, mode, **options)

        monkeypatch.setattr(os, "access", unwritable)
    before = digest(path)
    try:
        with SQLiteStore(path, read_only=True) as store, store.unit_of_work(read_only=True) as uow:
            assert uow.interactions.count() == 3
    finally:
        path.parent.chmod(0o755)
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["service.db"]


@pytest.mark.parametrize("where", ["read-only folder", "read-only file"])
def test_an_unprivileged_user_reads_a_file_it_cannot_write(
    open_folder: Path, store_file: Path, where: str
) -> None:
    if os.geteuid() != 0:
        pytest.skip("the test above already ran without privileges")
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed to drop root's rights"
    nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c"]
    probe = subprocess.run([*nobody, "import retail_service_quality"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("the library's environment is private to root here (a mktemp venv)")
    path = _shared(open_folder, store_file, where)
    before = digest(path)
    try:
        done = subprocess.run(
            [*nobody, READER.format(path=str(path))], capture_output=True, text=True, timeout=60
        )
    finally:
        path.parent.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["service.db"]


def test_a_missing_file_is_refused_and_not_created(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        SQLiteStore(tmp_path / "none.db", read_only=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", [1, "yes", None])
def test_read_only_must_be_a_bool(tmp_path: Path, value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        SQLiteStore(tmp_path / "x.db", read_only=value)
    assert [problem.path for problem in caught.value.problems] == ["$.read_only"]
    assert list(tmp_path.iterdir()) == []


def test_memory_cannot_be_read_only() -> None:
    with pytest.raises(ValidationError) as caught:
        SQLiteStore(":memory:", read_only=True)
    assert [problem.path for problem in caught.value.problems] == ["$.read_only"]


def test_an_older_schema_is_refused_not_migrated(tmp_path: Path) -> None:
    if SCHEMA_VERSION < 2:
        pytest.skip("there is no older schema yet")
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        for statement in migrations()[0]:
            connection.execute(statement)
        connection.execute("PRAGMA user_version = 1")
    before = digest(path)
    with pytest.raises(StorageError, match="older release"):
        SQLiteStore(path, read_only=True)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]
