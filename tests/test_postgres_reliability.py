"""Reliability of `PostgresStore` on a real server: concurrent processes, restarts, foreign schemas.

They run against the server named by ``RSQ_TEST_POSTGRES`` (``scripts/with-postgres.sh``
starts a throwaway one); the restart test also needs ``RSQ_TEST_PG_CTL`` and
``RSQ_TEST_PG_DATA``, which that script sets. Without a server they are skipped,
except under CI, where they fail. The concurrency tests run their writers as child
processes (``sys.executable -c``), each with a store of its own.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, closing
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from psycopg_pool import ConnectionPool

from retail_service_quality import (
    ConflictError,
    Customer,
    InteractionQuery,
    NotFoundError,
    PostgresStore,
    ServiceInteraction,
    StorageError,
    ValidationError,
)
from retail_service_quality.storage.sqlite import SCHEMA_VERSION

SERVER: Final = os.environ.get("RSQ_TEST_POSTGRES", "")
if not SERVER and os.environ.get("CI"):
    raise RuntimeError("RSQ_TEST_POSTGRES is not set: under CI the PostgreSQL tests must run")
pytestmark = pytest.mark.skipif(not SERVER, reason="RSQ_TEST_POSTGRES names no server")

WHEN: Final = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
CHILD_TIMEOUT: Final = 300.0  # seconds; a child that takes longer is killed and the test fails
PROCESSES: Final = 8
UNITS: Final = 500


def interaction(id: str, **changes: Any) -> ServiceInteraction:
    fields: dict[str, Any] = {"store_id": "HK-CWB", "channel": "hotline", "occurred_at": WHEN}
    return ServiceInteraction(id=id, **{**fields, **changes})


def customer(id: str) -> Customer:
    return Customer(id=id, name="Ho", created_at=WHEN)


@pytest.fixture
def schema() -> Iterator[str]:
    """A fresh schema name, dropped after the test."""
    name = f"r_{uuid.uuid4().hex[:16]}"
    yield name
    with closing(psycopg.connect(SERVER, autocommit=True)) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def sql(statement: str, *params: Any, schema: str | None = None) -> list[tuple[Any, ...]]:
    """Run one statement on a connection of its own (autocommit) and return its rows."""
    with closing(psycopg.connect(SERVER, autocommit=True)) as connection:
        if schema is not None:
            connection.execute(f'SET search_path TO "{schema}"')
        cursor = connection.execute(statement.encode() if not params else statement, params or None)
        return list(cursor.fetchall()) if cursor.description else []


def kill_if_running(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def run_children(script: str, arguments: list[list[str]]) -> list[str]:
    """Start the children, let them all begin at once, and return their outputs."""
    with ExitStack() as stack:
        children: list[subprocess.Popen[str]] = []
        for argv in arguments:
            child = stack.enter_context(
                subprocess.Popen(
                    [sys.executable, "-c", script, *argv],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            stack.callback(kill_if_running, child)
            children.append(child)
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n", child.communicate()[1]
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outcomes = [child.communicate(timeout=CHILD_TIMEOUT) for child in children]
    failures = [
        f"child {number} exited with {child.returncode}:\n{stderr}"
        for number, (child, (_, stderr)) in enumerate(zip(children, outcomes, strict=True))
        if child.returncode != 0 or stderr
    ]
    assert failures == [], "\n".join(failures)
    return [stdout for stdout, _ in outcomes]


# ---------------------------------------------------------------- concurrency

# Each unit of work reads the shared customer, saves it (a new version) and adds an
# interaction of its own; a ConflictError means the unit changed nothing and is run again.
# Any other error ends the child with a traceback, which fails the test.
UPDATER: Final = """
import sys
from datetime import UTC, datetime
from retail_service_quality import ConflictError, PostgresStore, ServiceInteraction

conninfo, schema, number, units = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
store = PostgresStore(conninfo, schema=schema)
print("ready", flush=True)
sys.stdin.readline()
conflicts = 0
when = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
for unit in range(units):
    while True:
        try:
            with store.unit_of_work() as uow:
                shared = uow.customers.get("C-shared")
                uow.customers.save(shared.evolve(tier=f"tier-{number}"))
                uow.interactions.add(
                    ServiceInteraction(
                        id=f"I-{number}-{unit}", store_id=f"S-{number}", channel="hotline",
                        occurred_at=when, customer_id="C-shared",
                    )
                )
                uow.commit()
            break
        except ConflictError:
            conflicts += 1
store.close()
print(conflicts, flush=True)
"""


def test_eight_processes_of_five_hundred_units_lose_no_update(schema: str) -> None:
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        uow.customers.add(customer("C-shared"))
        uow.commit()
    outputs = run_children(
        UPDATER, [[SERVER, schema, str(number), str(UNITS)] for number in range(PROCESSES)]
    )
    conflicts = sum(int(output.split()[-1]) for output in outputs)
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        # Every successful save made exactly one new version: none was lost.
        assert uow.customers.get("C-shared").version == 1 + PROCESSES * UNITS
        assert uow.interactions.count() == PROCESSES * UNITS
        per_process = [
            uow.interactions.count(InteractionQuery(store_id=f"S-{number}"))
            for number in range(PROCESSES)
        ]
    assert per_process == [UNITS] * PROCESSES
    assert conflicts > 0  # the units really raced, and the losers got ConflictError


OPENER: Final = """
import sys
from retail_service_quality import PostgresStore

conninfo, schema = sys.argv[1], sys.argv[2]
print("ready", flush=True)
sys.stdin.readline()
with PostgresStore(conninfo, schema=schema) as store, store.unit_of_work() as uow:
    print(uow.customers.count(), flush=True)
"""


def test_processes_opening_one_new_store_at_once_create_it_once(schema: str) -> None:
    outputs = run_children(OPENER, [[SERVER, schema]] * PROCESSES)
    assert [output.strip() for output in outputs] == ["0"] * PROCESSES
    assert sql("SELECT version FROM rsq_schema_version", schema=schema) == [(SCHEMA_VERSION,)]


# ---------------------------------------------------------------- restarts

PG_CTL: Final = os.environ.get("RSQ_TEST_PG_CTL", "")
PG_DATA: Final = os.environ.get("RSQ_TEST_PG_DATA", "")
PG_OPTIONS: Final = os.environ.get("RSQ_TEST_PG_OPTIONS", "")
PG_LOG: Final = os.environ.get("RSQ_TEST_PG_LOG", "/dev/null")


def restart_server() -> None:
    command = (
        f"{shlex.quote(PG_CTL)} -D {shlex.quote(PG_DATA)} -o {shlex.quote(PG_OPTIONS)} "
        f"-l {shlex.quote(PG_LOG)} -m fast -w -t 60 restart"
    )
    argv = ["su", "postgres", "-s", "/bin/sh", "-c", command]
    if os.geteuid() != 0:
        argv = ["sh", "-c", command]
    # The server's output goes to its log: a pipe it held would never reach its end.
    subprocess.run(
        argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120
    )


@pytest.mark.skipif(
    not (PG_CTL and PG_DATA) and not os.environ.get("CI"),
    reason="RSQ_TEST_PG_CTL and RSQ_TEST_PG_DATA name no server to restart",
)
def test_a_server_restart_mid_run_loses_no_committed_unit_and_the_store_recovers(
    schema: str,
) -> None:
    total = 250
    committed: list[str] = []
    errors: list[BaseException] = []
    restarted = threading.Event()
    after_restart: list[str] = []
    store = PostgresStore(SERVER, schema=schema, busy_timeout=timedelta(seconds=5))

    def write() -> None:
        number = 0
        while number < total:
            id = f"I-{number}"
            try:
                with store.unit_of_work() as uow:
                    uow.interactions.add(interaction(id))
                    uow.commit()
            except ConflictError:
                # The commit reached the server, but its answer was lost with the connection.
                pass
            except StorageError as error:
                errors.append(error)
                time.sleep(0.05)
                continue  # the same unit again, on a new connection
            committed.append(id)
            if restarted.is_set():
                after_restart.append(id)
            number += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        deadline = time.monotonic() + 60
        while len(committed) < 80 and time.monotonic() < deadline:
            time.sleep(0.01)
        restart_server()
        restarted.set()
    finally:
        writer.join(timeout=CHILD_TIMEOUT)
    assert not writer.is_alive()
    assert errors, "the restart should have broken at least one unit of work"
    assert all(re.search("lost|shut down|cannot connect", str(error)) for error in errors), errors
    assert after_restart, "the same store object wrote again after the restart"
    with store.unit_of_work(read_only=True) as uow:
        stored = [record.id for record in uow.interactions.query()]
    store.close()
    assert sorted(stored) == sorted(committed)
    assert len(stored) == total


def test_a_store_reconnects_after_its_connection_is_killed(schema: str) -> None:
    with PostgresStore(SERVER, schema=schema) as store:
        with store.unit_of_work() as uow:
            uow.customers.add(customer("C-1"))
            uow.commit()
        sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' "
            "AND state = 'idle'"
        )
        with pytest.raises(StorageError, match=r"lost|shut down"), store.unit_of_work() as uow:
            uow.customers.get("C-1")
        with store.unit_of_work() as uow:  # the next unit of work opens a new connection
            assert uow.customers.get("C-1").version == 1


# ---------------------------------------------------------------- schemas


def test_a_newer_store_is_refused_and_left_unchanged(schema: str) -> None:
    PostgresStore(SERVER, schema=schema).close()
    sql("UPDATE rsq_schema_version SET version = %s", SCHEMA_VERSION + 1, schema=schema)
    tables = sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1",
        schema,
    )
    with pytest.raises(StorageError, match="newer release"):
        PostgresStore(SERVER, schema=schema)
    assert sql("SELECT version FROM rsq_schema_version", schema=schema) == [(SCHEMA_VERSION + 1,)]
    assert (
        sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1",
            schema,
        )
        == tables
    )


def test_tables_changed_by_hand_are_refused(schema: str) -> None:
    PostgresStore(SERVER, schema=schema).close()
    sql("ALTER TABLE customers ADD COLUMN nickname TEXT", schema=schema)
    with pytest.raises(StorageError, match="not those of schema version"):
        PostgresStore(SERVER, schema=schema)


def test_tables_named_like_the_librarys_without_a_version_are_refused_and_left_alone(
    schema: str,
) -> None:
    sql(f'CREATE SCHEMA "{schema}"')
    sql("CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT)", schema=schema)
    sql("INSERT INTO customers VALUES ('X', 'someone else''s')", schema=schema)
    with pytest.raises(StorageError, match="not a store"):
        PostgresStore(SERVER, schema=schema)
    assert sql("SELECT * FROM customers", schema=schema) == [("X", "someone else's")]
    assert sql("SELECT to_regclass('rsq_schema_version') IS NULL", schema=schema) == [(True,)]


def test_other_tables_in_the_schema_are_left_alone(schema: str) -> None:
    sql(f'CREATE SCHEMA "{schema}"')
    sql("CREATE TABLE loyalty_points (id TEXT PRIMARY KEY)", schema=schema)
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        assert uow.customers.count() == 0
    assert sql("SELECT count(*) FROM loyalty_points", schema=schema) == [(0,)]


# ---------------------------------------------------------------- errors


def test_a_duplicate_id_is_a_conflict_caused_by_the_driver(schema: str) -> None:
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        uow.customers.add(customer("C-1"))
        with pytest.raises(ConflictError) as raised:
            uow.customers.add(customer("C-1"))
        assert isinstance(raised.value.__cause__, psycopg.errors.UniqueViolation)
        assert "Ho" not in str(raised.value)
        uow.customers.add(customer("C-2"))  # the unit of work goes on after the refusal
        uow.commit()
        assert uow.customers.count() == 2


def test_an_unknown_customer_is_not_found_caused_by_the_driver(schema: str) -> None:
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        with pytest.raises(NotFoundError) as raised:
            uow.interactions.add(interaction("I-1", customer_id="C-missing"))
        assert isinstance(raised.value.__cause__, psycopg.errors.ForeignKeyViolation)


def test_a_lock_held_past_the_busy_timeout_is_a_storage_error(schema: str) -> None:
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        uow.customers.add(customer("C-1"))
        uow.commit()
    holder = PostgresStore(SERVER, schema=schema)
    waiter = PostgresStore(SERVER, schema=schema, busy_timeout=timedelta(milliseconds=200))
    try:
        with holder.unit_of_work() as held:
            held.customers.save(held.customers.get("C-1").evolve(tier="vip"))
            with waiter.unit_of_work() as waiting:
                started = time.monotonic()
                with pytest.raises(StorageError, match="busy timeout"):
                    waiting.customers.save(waiting.customers.get("C-1").evolve(tier="staff"))
                assert time.monotonic() - started < 5
    finally:
        holder.close()
        waiter.close()


def test_an_unreachable_server_is_a_storage_error_naming_no_password() -> None:
    with pytest.raises(StorageError, match="cannot connect") as raised:
        PostgresStore(
            "postgresql://someone:s3cret@127.0.0.1:1/nowhere",
            busy_timeout=timedelta(seconds=2),
        )
    assert "s3cret" not in str(raised.value)


def test_a_refused_login_does_not_name_the_role() -> None:
    with pytest.raises(StorageError, match="cannot connect") as raised:
        PostgresStore(f"{SERVER} user=Wong_Tai_Man")
    assert "Wong_Tai_Man" not in str(raised.value)
    assert "Wong_Tai_Man" not in str(raised.value.__cause__)
    assert repr(raised.value.__cause__).count('"…"') >= 1


def test_a_refusal_never_shows_the_rows_values_in_its_traceback(schema: str) -> None:
    import traceback

    store = PostgresStore(SERVER, schema=schema)
    # Added after opening (the store would refuse tables changed by hand): a unique index
    # whose refusals PostgreSQL reports with the key's value.
    sql('CREATE UNIQUE INDEX "one_per_length" ON customers ((length(id)))', schema=schema)
    with store, store.unit_of_work() as uow:
        uow.customers.add(customer("C-1"))
        for attempt in (
            lambda: uow.customers.add(customer("C-9")),
            lambda: uow.customers.add_many([customer("C-22"), customer("C-8")]),
        ):
            with pytest.raises(ConflictError) as raised:
                attempt()
            shown = "".join(traceback.format_exception(raised.value))
            assert "DETAIL" not in shown
            assert "=(3)" not in shown  # PostgreSQL's "Key (length(id))=(3) already exists"
            assert isinstance(raised.value.__cause__, psycopg.errors.UniqueViolation)
            detail = raised.value.__cause__.diag.message_detail
            assert detail is not None  # still there for whoever asks
            assert "(3)" in detail


def test_the_connection_strings_own_connect_timeout_is_kept(
    schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[dict[str, Any]] = []
    connect = psycopg.connect

    def watched(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs)
        return connect(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", watched)
    PostgresStore(f"{SERVER} connect_timeout=7", schema=schema).close()
    PostgresStore(SERVER, schema=schema, busy_timeout=timedelta(seconds=0.5)).close()
    PostgresStore(SERVER, schema=schema, busy_timeout=timedelta(seconds=9)).close()
    assert [kwargs.get("connect_timeout") for kwargs in asked] == [None, 2, 9]  # libpq's least: 2


def test_postgresqls_own_schemas_and_bad_ports_are_validation_errors() -> None:
    for schema in ("information_schema", "pg_catalog", "pg_temp", "pg_mine"):
        with pytest.raises(ValidationError, match=r"\$\.schema: names one of PostgreSQL"):
            PostgresStore(SERVER, schema=schema)
    for port in ("notaport", "0", "70000", "²"):
        with pytest.raises(ValidationError, match=r"\$\.conninfo: port"):
            PostgresStore(f"host=127.0.0.1 port={port}")
    with pytest.raises(ValidationError, match=r"\$\.conninfo: connect_timeout"):
        PostgresStore("host=127.0.0.1 connect_timeout=soon")


def test_a_closed_store_raises_storage_error(schema: str) -> None:
    store = PostgresStore(SERVER, schema=schema)
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.unit_of_work()


def test_bad_arguments_are_one_validation_error_listing_each() -> None:
    with pytest.raises(ValidationError) as raised:
        PostgresStore(None, schema="Bad Name", busy_timeout=-1)  # type: ignore[arg-type]
    assert {problem.path for problem in raised.value.problems} == {
        "$.conninfo",
        "$.schema",
        "$.busy_timeout",
    }
    with pytest.raises(ValidationError, match=r"\$\.pool"):
        PostgresStore(pool="not a pool")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"\$\.conninfo"):
        PostgresStore("host=x port", schema="ok")
    with pytest.raises(ValidationError, match=r"\$\.conninfo"):
        PostgresStore("\udc80")


def test_without_the_driver_opening_a_store_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    driver = ("psycopg.", "retail_service_quality.storage.postgres._")
    for name in list(sys.modules):
        if name == "psycopg" or (
            name.startswith(driver) and name != "retail_service_quality.storage.postgres._store"
        ):
            monkeypatch.delitem(sys.modules, name)
    package = sys.modules["retail_service_quality.storage.postgres"]
    for name in ("_connection", "_schema"):
        monkeypatch.delattr(package, name, raising=False)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StorageError, match=r"pip install 'retail-service-quality\[postgres\]'"):
        PostgresStore(SERVER)


def test_repr_shows_where_the_store_is_never_a_password(schema: str) -> None:
    with PostgresStore(f"{SERVER} password=s3cret", schema=schema) as store:
        assert repr(store).startswith("PostgresStore(127.0.0.1:")
        assert repr(store).endswith(f"/postgres, schema={schema!r})")
        assert "s3cret" not in repr(store)
    found = psycopg.conninfo.conninfo_to_dict(SERVER)
    bare = f"hostaddr={found['host']} port={found['port']} user={found['user']}"
    with PostgresStore(bare, schema=schema) as store:
        assert repr(store) == f"PostgresStore({found['host']}:{found['port']}, schema={schema!r})"


# ---------------------------------------------------------------- pools and text


def test_a_pool_not_yet_opened_is_said_so() -> None:
    pool: ConnectionPool[Any] = ConnectionPool(SERVER, min_size=1, open=False)
    with pytest.raises(StorageError, match=r"not open yet \(open it first: pool.open\(\)\)"):
        PostgresStore(pool=pool)


def test_a_pool_serves_threads_at_once_and_stays_open_after_close(schema: str) -> None:
    with ConnectionPool(SERVER, min_size=2, max_size=4, open=True) as pool:
        store = PostgresStore(pool=pool, schema=schema)
        barrier = threading.Barrier(4)
        failures: list[BaseException] = []

        def write(number: int) -> None:
            try:
                with store.unit_of_work() as uow:
                    uow.customers.add(customer(f"C-{number}"))
                    barrier.wait(timeout=30)  # four units of work open at the same time
                    uow.commit()
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=write, args=(number,)) for number in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert failures == []
        with store.unit_of_work(read_only=True) as uow:
            assert uow.customers.count() == 4
        store.close()
        assert not pool.closed
        with pool.connection() as connection:
            # Its connections come back as they were lent: not read-only, not serializable.
            assert connection.read_only is None
            assert connection.isolation_level is None
            connection.execute(f'SET search_path TO "{schema}"')
            assert connection.execute("SELECT count(*) FROM customers").fetchone() == (4,)


_EXAMPLES = iter(range(10**9))


@given(
    texts=st.lists(
        st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=6).filter(
            lambda text: text == text.strip()
        ),
        min_size=1,
        max_size=8,
        unique=True,
    )
)
def test_any_text_round_trips_and_orders_as_python_orders_it(texts: list[str]) -> None:
    """NUL included (which PostgreSQL text cannot hold): kept, and ordered by code point."""
    example = next(_EXAMPLES)
    ids = [f"{example}:{text}" for text in texts]
    store = PostgresStore(SERVER, schema="r_text_order")
    try:
        with store.unit_of_work() as uow:
            uow.interactions.add_many(
                interaction(id, store_id=f"K{example}", notes=text, agent_id=text)
                for id, text in zip(ids, texts, strict=True)
            )
            found = [
                (record.id, record.notes, record.agent_id)
                for record in uow.interactions.query(InteractionQuery(store_id=f"K{example}"))
            ]
    finally:
        store.close()
    assert found == sorted(zip(ids, texts, texts, strict=True))


def test_a_pooled_connection_goes_back_with_the_settings_it_came_with(schema: str) -> None:
    with ConnectionPool(SERVER, min_size=1, max_size=1, open=True) as pool:
        with PostgresStore(pool=pool, schema=schema) as store:
            with store.unit_of_work(read_only=True) as uow:
                assert uow.customers.count() == 0
            with store.unit_of_work() as uow:
                uow.customers.add(customer("C-1"))
                uow.commit()
        with pool.connection() as connection:
            assert connection.read_only is None
            assert connection.isolation_level is None
            assert connection.autocommit is False
            # And it writes, in the schema it was given (the store's was only for its own work).
            connection.execute("CREATE TEMP TABLE scratch (n int)")
            assert connection.execute("SHOW search_path").fetchone() == ('"$user", public',)


def test_no_busy_timeout_means_no_wait_not_waiting_for_ever(schema: str) -> None:
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        uow.customers.add(customer("C-1"))
        uow.commit()
    with (
        PostgresStore(SERVER, schema=schema) as holder,
        PostgresStore(SERVER, schema=schema, busy_timeout=timedelta(0)) as waiter,
        holder.unit_of_work() as held,
    ):
        held.customers.save(held.customers.get("C-1").evolve(tier="vip"))
        with waiter.unit_of_work() as waiting:
            started = time.monotonic()
            with pytest.raises(StorageError, match="busy timeout"):
                waiting.customers.save(waiting.customers.get("C-1").evolve(tier="staff"))
            assert time.monotonic() - started < 2


def test_a_store_opens_for_reading_on_a_server_that_takes_no_writes(schema: str) -> None:
    read_only = f"{SERVER} options='-c default_transaction_read_only=on'"
    with pytest.raises(StorageError, match="no store here"):
        PostgresStore(read_only, schema=schema)
    assert sql("SELECT count(*) FROM pg_namespace WHERE nspname = %s", schema) == [(0,)]
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        uow.customers.add(customer("C-1"))
        uow.commit()
    with (
        PostgresStore(read_only, schema=schema) as store,
        store.unit_of_work(read_only=True) as uow,
    ):
        assert uow.customers.get("C-1").version == 1
    sql("UPDATE rsq_schema_version SET version = %s", SCHEMA_VERSION + 1, schema=schema)
    with pytest.raises(StorageError, match="newer release"):
        PostgresStore(read_only, schema=schema)


def test_a_schema_named_like_the_checks_scratch_schema_is_no_obstacle(
    schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retail_service_quality.storage.postgres import _schema

    monkeypatch.setattr(_schema, "_EXPECTED", {})  # as in a new process: the check runs again
    sql("CREATE SCHEMA IF NOT EXISTS rsq_probe")
    try:
        with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
            assert uow.customers.count() == 0
    finally:
        sql("DROP SCHEMA rsq_probe")


def test_a_refused_row_in_a_bulk_add_is_named_as_sqlite_names_it(schema: str) -> None:
    with PostgresStore(SERVER, schema=schema) as store, store.unit_of_work() as uow:
        uow.interactions.add(interaction("I-01500"))
        many = [interaction(f"I-{number:05d}") for number in range(2_500)]
        with pytest.raises(ConflictError, match="'I-01500' already exists"):
            uow.interactions.add_many(many)
        with pytest.raises(NotFoundError, match="'I-6' names a customer"):
            uow.interactions.add_many(
                [interaction("I-5"), interaction("I-6", customer_id="C-none"), interaction("I-7")]
            )
        assert uow.interactions.count() == 1  # each bulk add is all or nothing
