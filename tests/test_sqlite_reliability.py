"""Reliability of `SQLiteStore` on real files: crashes, concurrent writers, foreign files, errors.

Every test works on a file under ``tmp_path``. The crash and concurrency tests
run writers as child processes (``sys.executable -c``), so they exercise
SQLite's file locking and write-ahead log, not one process's threads.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import pytest

from retail_service_quality import (
    ConflictError,
    Customer,
    InteractionQuery,
    NotFoundError,
    ServiceInteraction,
    SQLiteStore,
    StorageError,
)
from retail_service_quality.storage.sqlite import SCHEMA_VERSION

WHEN: Final = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
CHILD_TIMEOUT: Final = 120.0  # seconds; a child that takes longer is killed and the test fails

# ---------------------------------------------------------------- helpers


def interaction(id: str, **changes: Any) -> ServiceInteraction:
    return ServiceInteraction(
        id=id, store_id="HK-CWB", channel="hotline", occurred_at=WHEN, **changes
    )


def integrity_check(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]


def schema_of(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """``user_version`` and the (type, name) of every schema object, read with plain sqlite3."""
    with closing(sqlite3.connect(path)) as connection:
        version: int = connection.execute("PRAGMA user_version").fetchone()[0]
        objects = connection.execute("SELECT type, name FROM sqlite_master ORDER BY type, name")
        return version, [(kind, name) for kind, name in objects]


def files_in(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


def pragma(connection: sqlite3.Connection, name: str) -> Any:
    return connection.execute(f"PRAGMA {name}").fetchone()[0]


def kill_if_running(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "service.db") as opened:
        yield opened


# ---------------------------------------------------------------- a. crash safety

UNIT_ROWS: Final = 20
UNITS_BEFORE_KILL: Final = 30

# Commits units of UNIT_ROWS interactions forever, printing each unit's number once committed.
CRASHING_WRITER: Final = """
import sys
from datetime import datetime, timedelta, timezone
from retail_service_quality import ServiceInteraction, SQLiteStore

path, rows = sys.argv[1], int(sys.argv[2])
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
store = SQLiteStore(path)
unit = 0
while True:
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            ServiceInteraction(
                id=f"U{unit:07d}-R{row:03d}",
                store_id="HK-CWB",
                channel="hotline",
                occurred_at=start + timedelta(seconds=unit),
                notes="n" * 100,
            )
            for row in range(rows)
        )
        uow.commit()
    print(unit, flush=True)
    unit += 1
"""


@pytest.mark.parametrize("attempt", range(3))
def test_a_killed_writer_leaves_every_reported_unit_whole_and_no_partial_unit(
    tmp_path: Path, attempt: int
) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs SIGKILL")
    path = tmp_path / "crash.db"
    errors = tmp_path / "writer.stderr"
    reported: list[int] = []
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [sys.executable, "-c", CRASHING_WRITER, str(path), str(UNIT_ROWS)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as writer,
    ):
        watchdog = threading.Timer(CHILD_TIMEOUT, writer.kill)
        watchdog.start()
        try:
            assert writer.stdout is not None
            for line in writer.stdout:
                reported.append(int(line))
                if len(reported) == UNITS_BEFORE_KILL:
                    os.kill(writer.pid, signal.SIGKILL)
                    break
            # Units committed and reported before the signal landed.
            reported += [
                int(line)
                for line in writer.stdout.read().splitlines(keepends=True)
                if line.endswith("\n")
            ]
            returncode = writer.wait()
        finally:
            watchdog.cancel()
    assert len(reported) >= UNITS_BEFORE_KILL, errors.read_text()
    assert returncode == -signal.SIGKILL, errors.read_text()

    with SQLiteStore(path) as reopened, reopened.unit_of_work() as uow:
        ids = [found.id for found in uow.interactions.query()]
    assert integrity_check(path) == ["ok"]
    rows_per_unit = Counter(int(id[1:8]) for id in ids)
    assert set(reported) <= set(rows_per_unit), "a reported (committed) unit is missing"
    partial = {unit: rows for unit, rows in rows_per_unit.items() if rows != UNIT_ROWS}
    assert partial == {}, "some units are only partly present"
    assert len(ids) % UNIT_ROWS == 0
    # Units commit in order, so what survives is a prefix of them.
    assert set(rows_per_unit) == set(range(len(rows_per_unit)))


# ---------------------------------------------------------------- b. concurrent writers

WRITERS: Final = 4
WRITER_UNITS: Final = 500
WRITER_ROWS: Final = 2

# Imports, says "ready", waits for a line on stdin, then writes its units (ids distinct per writer).
CONCURRENT_WRITER: Final = """
import sys
from datetime import datetime, timedelta, timezone
from retail_service_quality import ServiceInteraction, SQLiteStore

path, writer, units, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
print("ready", flush=True)
sys.stdin.readline()
with SQLiteStore(path) as store:
    for unit in range(units):
        with store.unit_of_work() as uow:
            uow.interactions.add_many(
                ServiceInteraction(
                    id=f"W{writer}-U{unit:04d}-R{row}",
                    store_id=f"S-{writer}",
                    channel="email",
                    occurred_at=start + timedelta(minutes=unit),
                )
                for row in range(rows)
            )
            uow.commit()
"""


@pytest.mark.parametrize("schema", ["created first", "created concurrently"])
def test_concurrent_writers_all_succeed_and_every_row_lands(tmp_path: Path, schema: str) -> None:
    path = tmp_path / "shared.db"
    if schema == "created first":
        SQLiteStore(path).close()
    with ExitStack() as stack:
        writers: list[subprocess.Popen[str]] = []
        for number in range(WRITERS):
            writer = stack.enter_context(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        CONCURRENT_WRITER,
                        str(path),
                        str(number),
                        str(WRITER_UNITS),
                        str(WRITER_ROWS),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            stack.callback(kill_if_running, writer)  # runs before the Popen's own exit waits
            writers.append(writer)
        # All import first, then all start at once: the opens and first writes really race.
        for writer in writers:
            assert writer.stdout is not None
            assert writer.stdout.readline() == "ready\n", writer.communicate()[1]
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        outcomes = [writer.communicate(timeout=CHILD_TIMEOUT) for writer in writers]

    failures = {
        number: (writer.returncode, stderr)
        for number, (writer, (_, stderr)) in enumerate(zip(writers, outcomes, strict=True))
        if writer.returncode != 0 or stderr
    }
    assert failures == {}, "\n".join(
        f"writer {number} exited with {code}:\n{stderr}"
        for number, (code, stderr) in failures.items()
    )
    with SQLiteStore(path) as reopened, reopened.unit_of_work() as uow:
        assert uow.interactions.count() == WRITERS * WRITER_UNITS * WRITER_ROWS
        per_writer = [
            uow.interactions.count(InteractionQuery(store_id=f"S-{number}"))
            for number in range(WRITERS)
        ]
    assert per_writer == [WRITER_UNITS * WRITER_ROWS] * WRITERS
    assert integrity_check(path) == ["ok"]


OPEN_ROUNDS: Final = 50

# Imports, says "ready", then for each path read from stdin opens (creating) the store there.
OPENER: Final = """
import sys
from retail_service_quality import SQLiteStore, StorageError

print("ready", flush=True)
for line in sys.stdin:
    try:
        SQLiteStore(line.strip()).close()
        print("ok", flush=True)
    except StorageError as error:
        print(f"{error} (cause: {error.__cause__!r})", flush=True)
"""


def test_several_processes_can_create_the_same_new_file_at_once(tmp_path: Path) -> None:
    # The concurrent-writer test above meets this race once per run; here it is met
    # OPEN_ROUNDS times, each round on a brand-new file opened by every process at once.
    with ExitStack() as stack:
        openers: list[subprocess.Popen[str]] = []
        for _ in range(WRITERS):
            opener = stack.enter_context(
                subprocess.Popen(
                    [sys.executable, "-c", OPENER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            stack.callback(kill_if_running, opener)
            openers.append(opener)
        pipes = [(opener.stdin, opener.stdout) for opener in openers]
        for opener, (_, stdout) in zip(openers, pipes, strict=True):
            assert stdout is not None
            assert stdout.readline() == "ready\n", opener.communicate()[1]
        failures: list[str] = []
        for attempt in range(OPEN_ROUNDS):
            path = tmp_path / f"new-{attempt}.db"
            for stdin, _ in pipes:
                assert stdin is not None
                stdin.write(f"{path}\n")
                stdin.flush()
            for number, (_, stdout) in enumerate(pipes):
                assert stdout is not None
                answer = stdout.readline().strip()
                if answer != "ok":
                    failures.append(f"round {attempt}, process {number}: {answer}")
        outcomes = [opener.communicate(timeout=CHILD_TIMEOUT) for opener in openers]
    assert [opener.returncode for opener in openers] == [0] * WRITERS, outcomes
    assert failures == [], f"{len(failures)} of {OPEN_ROUNDS * WRITERS} opens failed"
    for attempt in range(OPEN_ROUNDS):
        path = tmp_path / f"new-{attempt}.db"
        assert schema_of(path)[0] == SCHEMA_VERSION
        assert integrity_check(path) == ["ok"]


# ---------------------------------------------------------------- c. files the store must refuse


def test_a_file_from_a_newer_schema_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    SQLiteStore(path).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("CREATE TABLE added_by_a_newer_release (id TEXT PRIMARY KEY)")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1:d}")
    before = path.read_bytes()
    listing = files_in(tmp_path)
    schema = schema_of(path)

    with pytest.raises(StorageError, match="newer"):
        SQLiteStore(path)

    assert path.read_bytes() == before
    assert files_in(tmp_path) == listing
    assert schema_of(path) == schema
    assert schema[0] == SCHEMA_VERSION + 1


def test_refusing_a_newer_file_does_not_switch_its_journal_mode(tmp_path: Path) -> None:
    # A newer release (or another program) may keep the file in rollback-journal mode.
    path = tmp_path / "newer-rollback-journal.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("CREATE TABLE interactions (id TEXT PRIMARY KEY, payload BLOB)")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1:d}")
    before = path.read_bytes()

    with pytest.raises(StorageError, match="newer"):
        SQLiteStore(path)

    with closing(sqlite3.connect(path)) as connection:
        assert pragma(connection, "journal_mode") == "delete"
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [random.Random(7).randbytes(64 * 1024), b"id,store_id\nI-1,HK-CWB\n" * 100],
    ids=["random bytes", "a CSV file"],
)
def test_a_file_that_is_not_a_database_is_refused_with_storage_error(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "not-a-database.db"
    path.write_bytes(content)

    with pytest.raises(StorageError) as caught:
        SQLiteStore(path)

    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)
    assert path.read_bytes() == content
    assert files_in(tmp_path) == ["not-a-database.db"]


# ---------------------------------------------------------------- d. pragmas


@pytest.mark.parametrize(
    ("synchronous", "level"), [("full", 2), ("normal", 1), ("off", 0), ("extra", 3)]
)
def test_a_new_file_gets_wal_foreign_keys_secure_delete_and_the_schema_version(
    tmp_path: Path, synchronous: str, level: int
) -> None:
    path = tmp_path / "new.db"
    with SQLiteStore(path, synchronous=synchronous) as opened:
        connection = opened._connection()
        assert pragma(connection, "journal_mode") == "wal"
        assert pragma(connection, "foreign_keys") == 1
        assert pragma(connection, "secure_delete") == 1
        assert pragma(connection, "synchronous") == level
        assert pragma(connection, "busy_timeout") == 30_000
        assert pragma(connection, "user_version") == SCHEMA_VERSION
    # What is stored in the file itself, seen by any other connection.
    with closing(sqlite3.connect(path)) as connection:
        assert pragma(connection, "journal_mode") == "wal"
        assert pragma(connection, "user_version") == SCHEMA_VERSION


def test_the_default_settings_are_full_sync_and_a_30_second_busy_timeout(
    store: SQLiteStore,
) -> None:
    connection = store._connection()
    assert pragma(connection, "synchronous") == 2
    assert pragma(connection, "busy_timeout") == 30_000


def test_foreign_keys_are_enforced(store: SQLiteStore) -> None:
    with store.unit_of_work() as uow, pytest.raises(NotFoundError):
        uow.interactions.add(interaction("I-1", customer_id="C-nobody"))


# ---------------------------------------------------------------- e. no sqlite3 exception escapes


def test_a_duplicate_id_is_a_conflict_caused_by_the_driver(store: SQLiteStore) -> None:
    with store.unit_of_work() as uow:
        uow.interactions.add(interaction("I-1"))
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(ConflictError) as caught:
        uow.interactions.add(interaction("I-1"))
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    with store.unit_of_work() as uow, pytest.raises(ConflictError) as caught:
        uow.interactions.add_many([interaction("I-2"), interaction("I-2")])
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)


def test_an_unknown_customer_is_not_found_caused_by_the_driver(store: SQLiteStore) -> None:
    with store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name="Lee", created_at=WHEN))
        uow.interactions.add(interaction("I-1", customer_id="C-1"))
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(NotFoundError) as caught:
        uow.interactions.add(interaction("I-2", customer_id="C-2"))
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    with store.unit_of_work() as uow, pytest.raises(NotFoundError) as caught:
        uow.interactions.save(uow.interactions.get("I-1").evolve(customer_id="C-2"))
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)


def test_a_closed_store_raises_storage_error(tmp_path: Path) -> None:
    closed = SQLiteStore(tmp_path / "closed.db")
    before_close = closed.unit_of_work()
    closed.close()
    with pytest.raises(StorageError):
        closed.unit_of_work()
    with before_close as uow, pytest.raises(StorageError):
        uow.interactions.count()
    closed.close()  # closing twice is harmless


def test_a_writer_locked_out_past_the_busy_timeout_gets_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    SQLiteStore(path).close()
    with (
        closing(sqlite3.connect(path, isolation_level=None)) as holder,
        SQLiteStore(path, busy_timeout=timedelta(milliseconds=50)) as waiting,
    ):
        holder.execute("BEGIN IMMEDIATE")
        try:
            with (
                waiting.unit_of_work() as uow,
                pytest.raises(StorageError, match="locked") as caught,
            ):
                uow.interactions.add(interaction("I-1"))
        finally:
            holder.execute("ROLLBACK")
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)


def test_a_path_in_a_missing_directory_raises_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "directory" / "service.db"
    with pytest.raises(StorageError) as caught:
        SQLiteStore(path)
    assert str(path) in str(caught.value)
    assert "does not exist" in str(caught.value)
    assert files_in(tmp_path) == []


def _write_one(path: Path) -> None:
    with SQLiteStore(path) as opened, opened.unit_of_work() as uow:
        uow.interactions.add(interaction("I-2"))
        uow.commit()


@pytest.mark.parametrize("read_only", ["file", "directory"])
def test_a_read_only_database_raises_storage_error(tmp_path: Path, read_only: str) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    path = directory / "service.db"
    with SQLiteStore(path) as opened, opened.unit_of_work() as uow:
        uow.interactions.add(interaction("I-1"))
        uow.commit()
    target = path if read_only == "file" else directory
    mode = target.stat().st_mode
    target.chmod(0o444 if read_only == "file" else 0o555)
    try:
        if os.access(target, os.W_OK):
            pytest.skip("permissions are not enforced for this user (root?)")
        with pytest.raises(StorageError) as caught:
            _write_one(path)
        assert isinstance(caught.value.__cause__, sqlite3.Error)
    finally:
        target.chmod(mode)
