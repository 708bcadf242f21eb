"""Benchmark the SQLite adapter: bulk-load speed against raw sqlite3, and streaming memory.

What it measures:

1. Bulk load. N realistic `ServiceInteraction` records (seeded: a dozen
   stores, all seven channels, times spread over 2026 in Asia/Hong_Kong, about
   30% without a customer, handle times for most, up to two needs, mostly
   resolved, short notes) are written with
   ``uow.interactions.add_many(rows); uow.commit()`` into a fresh `SQLiteStore`
   file with the default settings (WAL, ``synchronous=FULL``, foreign keys and
   ``secure_delete`` on). Only those two calls are timed.

   The baseline is the database's own insert cost: the same rows, as tuples
   built before the clock starts, inserted with one raw
   ``sqlite3.Connection.executemany`` inside one transaction, into a second
   fresh file with the same schema (every migration script) and the same pragmas.
   Both files get the same customers first (untimed), so foreign-key checks
   cost the same on both sides. Afterwards the two files are compared row for
   row, so the baseline provably inserted the same data.

   Reported: both rates in rows/s and the ratio adapter / baseline (target: at
   least 0.5).

2. Streaming. A database is filled with M rows (raw ``executemany`` of the
   same tuples the adapter would write, in chunks, to save time; the file is
   created by `SQLiteStore` so it carries the library's schema version). A
   fresh subprocess then opens the store and iterates
   ``uow.interactions.query()`` over every row, counting them; it reports its
   rate and its peak resident memory (``ru_maxrss``; on Linux also ``VmHWM``
   as a check). A second subprocess that only imports the library and opens
   the store gives the reference peak. Target: under 150 MB (10^6 bytes) for
   the streaming subprocess. Both are started through a tiny launcher
   process: Linux carries ``ru_maxrss`` over fork and exec, so a child
   started straight from this process would report this process's peak.

3. Reading speed, in this process, over a file of K rows (filled as in 2):

   - streaming: ``uow.interactions.query()`` over every row, against the
     baseline of a raw ``sqlite3`` cursor running the same ``SELECT`` (same
     columns, same order) over the same table. Reported as the ratio of the
     rates, adapter / raw; target at least 0.4.
   - summaries: ``summarize(group_by=["period", "store"],
     timezone="Europe/London")`` against the baseline of the same summary at a
     fixed ``utc_offset``. Reported as the ratio of the times, zone / fixed;
     target at most 1.2.
   - far apart: the zone summary of two rows 7,000 years apart (its cost must
     follow the rows, not the span of time between them); target under 0.1 s.

   Each is the best of R runs.

Run it from the project root::

    pip install -e .
    python bench/bench_sqlite.py [--rows N] [--stream-rows M] [--read-rows K] [--seed S]
        [--repeat R] [--check]

Defaults: N = 200,000, M = 1,000,000, K = 200,000 and R = 3 (the bulk load is
timed R times on each side, on fresh files; the best time counts). ``--check``
exits with status 1 when a target is missed. Files
live in a temporary directory, removed at the end. Linux (or macOS) only:
peak memory comes from the `resource` module.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from time import perf_counter
from typing import Any, Final
from zoneinfo import ZoneInfo

from retail_service_quality import ContactPoint, Customer, ServiceInteraction, SQLiteStore
from retail_service_quality.service.interactions import Channel, InteractionStatus
from retail_service_quality.storage.sqlite._customers import COLUMNS as CUSTOMER_COLUMNS
from retail_service_quality.storage.sqlite._customers import customer_row
from retail_service_quality.storage.sqlite._interactions import COLUMNS as INTERACTION_COLUMNS
from retail_service_quality.storage.sqlite._interactions import interaction_row
from retail_service_quality.storage.sqlite._schema import SCHEMA_VERSION, migrations, prepare

ZONE: Final = ZoneInfo("Asia/Hong_Kong")
YEAR_START: Final = datetime(2026, 1, 1, tzinfo=ZONE)
YEAR_SECONDS: Final = 365 * 86_400
STORES: Final = (
    "HK-CWB",
    "HK-TST",
    "HK-MK",
    "HK-CEN",
    "HK-ADM",
    "HK-SHA",
    "HK-TKO",
    "HK-TW",
    "HK-YL",
    "HK-KT",
    "HK-ONLINE",
    "HK-HOTLINE",
)
CHANNELS: Final = tuple(Channel)
CHANNEL_WEIGHTS: Final = (30, 25, 15, 15, 8, 5, 2)
STATUSES: Final = (InteractionStatus.RESOLVED, InteractionStatus.OPEN, InteractionStatus.ESCALATED)
STATUS_WEIGHTS: Final = (85, 10, 5)
SUBJECTS: Final = ("returns", "delivery", "product enquiry", "complaint", "membership", "payment")
NEEDS: Final = ("size exchange", "gift wrapping", "refund", "repair", "stock check", "callback")
NOTES: Final = (
    "",
    "",
    "asked to call back after 6pm",
    "receipt checked",
    "item out of stock, offered alternative",
    "customer satisfied",
    "escalated to store manager",
    "refund to original card",
)
CUSTOMERS: Final = 5_000
AGENTS: Final = 80
CHUNK: Final = 50_000
MIN_RATIO: Final = 0.5
MAX_STREAM_BYTES: Final = 150_000_000

INSERT_SQL: Final = (
    f"INSERT INTO interactions ({', '.join(INTERACTION_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in INTERACTION_COLUMNS)})"
)
CUSTOMER_SQL: Final = (
    f"INSERT INTO customers ({', '.join(CUSTOMER_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in CUSTOMER_COLUMNS)})"
)
MIN_STREAM_RATIO: Final = 0.4
MAX_ZONE_RATIO: Final = 1.2
MAX_FAR_APART_SECONDS: Final = 0.1

# Peak resident memory of the current process in bytes (ru_maxrss: KiB on Linux, bytes on
# macOS), and on Linux the high-water mark of this process image alone (VmHWM), as a check.
_PEAK: Final = (
    "import resource, sys\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "peak = peak if sys.platform == 'darwin' else peak * 1024\n"
    "hwm = None\n"
    "try:\n"
    "    with open('/proc/self/status') as status:\n"
    "        for line in status:\n"
    "            if line.startswith('VmHWM:'):\n"
    "                hwm = int(line.split()[1]) * 1024\n"
    "except OSError:\n"
    "    pass\n"
)
# Linux keeps a process's ru_maxrss across fork and exec: a child started straight from this
# (large) process would report this process's peak. A small launcher in between resets it to
# the launcher's own footprint, a bare interpreter's.
LAUNCHER: Final = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
STREAM_CODE: Final = (
    "import json, sys, time\n"
    "from retail_service_quality import SQLiteStore\n"
    "start = time.perf_counter()\n"
    "count = 0\n"
    "with SQLiteStore(sys.argv[1]) as store, store.unit_of_work(read_only=True) as uow:\n"
    "    for _ in uow.interactions.query():\n"
    "        count += 1\n"
    "seconds = time.perf_counter() - start\n"
    + _PEAK
    + "print(json.dumps({'count': count, 'seconds': seconds, 'peak': peak, 'hwm': hwm}))\n"
)
OPEN_CODE: Final = (
    "import json, sys\n"
    "from retail_service_quality import SQLiteStore\n"
    "with SQLiteStore(sys.argv[1]) as store, store.unit_of_work() as uow:\n"
    "    pass\n" + _PEAK + "print(json.dumps({'peak': peak, 'hwm': hwm}))\n"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000, help="N, rows in the bulk load")
    parser.add_argument(
        "--stream-rows", type=int, default=1_000_000, help="M, rows in the streaming test"
    )
    parser.add_argument(
        "--read-rows", type=int, default=200_000, help="K, rows in the reading-speed tests"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the random rows")
    parser.add_argument("--repeat", type=int, default=3, help="bulk loads per side; best counts")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if a target is missed",
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.stream_rows < 1 or args.read_rows < 1 or args.repeat < 1:
        parser.error("--rows, --stream-rows, --read-rows and --repeat must be positive")
    return args


# ---------------------------------------------------------------- data


def customer_id(number: int) -> str:
    return f"C-{number:06d}"


def make_customers() -> list[Customer]:
    created = datetime(2025, 6, 1, tzinfo=ZONE)
    return [
        Customer(
            id=customer_id(number),
            name=f"Customer {number}",
            contacts=[ContactPoint("email", f"c{number}@example.com")] if number % 3 else [],
            home_store_id=STORES[number % len(STORES)],
            tier="vip" if number % 20 == 0 else "standard",
            created_at=created,
        )
        for number in range(CUSTOMERS)
    ]


def interactions(rng: random.Random, count: int, first: int = 0) -> Iterator[ServiceInteraction]:
    """``count`` random interactions with ids ``I-<first>`` onwards."""
    for number in range(first, first + count):
        needs_count = rng.choices((0, 1, 2), (40, 45, 15))[0]
        yield ServiceInteraction(
            id=f"I-{number:08d}",
            store_id=rng.choice(STORES),
            channel=rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
            occurred_at=YEAR_START + timedelta(seconds=rng.randrange(YEAR_SECONDS)),
            customer_id=None if rng.random() < 0.3 else customer_id(rng.randrange(CUSTOMERS)),
            status=rng.choices(STATUSES, STATUS_WEIGHTS)[0],
            subject=rng.choice(SUBJECTS),
            needs=rng.sample(NEEDS, needs_count),
            handle_time=(
                timedelta(seconds=rng.randint(30, 1_800)) if rng.random() < 0.85 else None
            ),
            agent_id=f"A-{rng.randrange(AGENTS):03d}" if rng.random() < 0.9 else None,
            notes=rng.choice(NOTES),
        )


# The rows are built with the adapter's own row functions, outside the timed part, so the
# baseline inserts exactly what the adapter inserts.
interaction_tuple = interaction_row
customer_tuple = customer_row


def raw_connection(path: str) -> sqlite3.Connection:
    """A plain connection with the adapter's pragmas (WAL, FULL, foreign keys, secure_delete)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA journal_mode = WAL").fetchone()
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA secure_delete = ON")
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def raw_database(path: str, customers: Sequence[Customer]) -> sqlite3.Connection:
    """A fresh file with the library's schema and the customers, as the baseline sees it."""
    connection = raw_connection(path)
    prepare(connection)
    connection.execute("BEGIN IMMEDIATE")
    for statements in migrations():
        for statement in statements:
            connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
    connection.executemany(CUSTOMER_SQL, [customer_tuple(c) for c in customers])
    connection.execute("COMMIT")
    return connection


def time_adapter(
    path: str, customers: Sequence[Customer], rows: Sequence[ServiceInteraction]
) -> float:
    with SQLiteStore(path) as store:
        with store.unit_of_work() as uow:
            uow.customers.add_many(customers)
            uow.commit()
        with store.unit_of_work() as uow:
            start = perf_counter()
            uow.interactions.add_many(rows)
            uow.commit()
            return perf_counter() - start


def time_baseline(
    path: str, customers: Sequence[Customer], tuples: Sequence[tuple[Any, ...]]
) -> float:
    connection = raw_database(path, customers)
    try:
        start = perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(INSERT_SQL, tuples)
        connection.execute("COMMIT")
        return perf_counter() - start
    finally:
        connection.close()


def compare_files(adapter_path: str, baseline_path: str) -> int:
    """How many rows differ between the two files' interactions tables (both directions)."""
    connection = sqlite3.connect(baseline_path)
    try:
        connection.execute("ATTACH DATABASE ? AS adapter", (adapter_path,))
        different: int = connection.execute(
            "SELECT (SELECT count(*) FROM (SELECT * FROM main.interactions "
            "EXCEPT SELECT * FROM adapter.interactions)) + (SELECT count(*) FROM "
            "(SELECT * FROM adapter.interactions EXCEPT SELECT * FROM main.interactions))"
        ).fetchone()[0]
        connection.execute("DETACH DATABASE adapter")
        return different
    finally:
        connection.close()


def fill(path: str, customers: Sequence[Customer], count: int, seed: int) -> float:
    """Write ``count`` rows into a store-created file with raw executemany; returns seconds."""
    start = perf_counter()
    SQLiteStore(path).close()  # the library's schema and schema version
    rng = random.Random(seed)
    connection = raw_connection(path)
    connection.execute("PRAGMA cache_size = -262144")  # 256 MiB: a faster fill, nothing more
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(CUSTOMER_SQL, [customer_tuple(c) for c in customers])
        connection.execute("COMMIT")
        for first in range(0, count, CHUNK):
            chunk = [
                interaction_tuple(i) for i in interactions(rng, min(CHUNK, count - first), first)
            ]
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(INSERT_SQL, chunk)
            connection.execute("COMMIT")
    finally:
        connection.close()
    return perf_counter() - start


def run_child(code: str, path: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", LAUNCHER, sys.executable, "-c", code, path],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the subprocess failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


# ---------------------------------------------------------------- report


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>12,.0f} rows/s  ({seconds:.3f} s)"


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def peak(result: dict[str, Any]) -> str:
    text = megabytes(result["peak"])
    return text if result["hwm"] is None else f"{text}  (VmHWM {megabytes(result['hwm'])})"


def show(label: str, value: str) -> None:
    print(f"  {label:<56}{value}")


def bulk_load(args: argparse.Namespace, directory: str, customers: Sequence[Customer]) -> bool:
    """Time the adapter against the baseline; True when the targets are met."""
    rows = list(interactions(random.Random(args.seed), args.rows))
    tuples = [interaction_tuple(i) for i in rows]
    adapter_times: list[float] = []
    baseline_times: list[float] = []
    different = 0
    for repeat in range(args.repeat):
        adapter_path = os.path.join(directory, f"adapter-{repeat}.db")
        baseline_path = os.path.join(directory, f"baseline-{repeat}.db")
        adapter_times.append(time_adapter(adapter_path, customers, rows))
        baseline_times.append(time_baseline(baseline_path, customers, tuples))
        if repeat == 0:
            different = compare_files(adapter_path, baseline_path)
        for path in (adapter_path, baseline_path):
            os.remove(path)
    adapter, baseline = min(adapter_times), min(baseline_times)
    ratio = baseline / adapter
    print(
        f"\nBulk load of {args.rows:,} interactions in one unit of work, synchronous=FULL "
        f"(best of {args.repeat})"
    )
    show("SQLiteStore: add_many + commit", rate(args.rows, adapter))
    show("baseline: raw sqlite3.executemany (pre-built tuples)", rate(args.rows, baseline))
    show("ratio adapter / baseline (rates)", f"{ratio:.2f}  (target >= {MIN_RATIO})")
    if different:
        print(f"  ERROR: the two files differ in {different:,} rows")
    else:
        print("  both files hold the same rows")
    return not different and ratio >= MIN_RATIO


def streaming(args: argparse.Namespace, directory: str, customers: Sequence[Customer]) -> bool:
    """Stream every row in a fresh process; True when the targets are met."""
    path = os.path.join(directory, "stream.db")
    filled = fill(path, customers, args.stream_rows, args.seed + 1)
    print(
        f"\nStreaming {args.stream_rows:,} interactions (file {megabytes(os.path.getsize(path))}, "
        f"filled with raw executemany in chunks of {CHUNK:,} in {filled:.1f} s)"
    )
    stream = run_child(STREAM_CODE, path)
    reference = run_child(OPEN_CODE, path)
    show("uow.interactions.query() in a fresh process", rate(stream["count"], stream["seconds"]))
    show(
        "peak RSS (ru_maxrss) of that process",
        f"{peak(stream)}  target < {megabytes(MAX_STREAM_BYTES)}",
    )
    show("reference: peak RSS of a process that only opens", peak(reference))
    if stream["count"] != args.stream_rows:
        print(f"  ERROR: streamed {stream['count']:,} rows")
    return bool(stream["count"] == args.stream_rows and stream["peak"] < MAX_STREAM_BYTES)


def best(repeat: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(repeat))


def time_raw_cursor(path: str) -> float:
    connection = sqlite3.connect(path)
    try:
        start = perf_counter()
        for _ in connection.execute(
            f"SELECT {', '.join(INTERACTION_COLUMNS)} FROM interactions ORDER BY occurred_us, id"
        ):
            pass
        return perf_counter() - start
    finally:
        connection.close()


def time_query(path: str) -> float:
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        start = perf_counter()
        for _ in uow.interactions.query():
            pass
        return perf_counter() - start


def time_summary(store: SQLiteStore, **options: Any) -> float:
    with store.unit_of_work(read_only=True) as uow:
        start = perf_counter()
        uow.interactions.summarize(group_by=["period", "store"], **options)
        return perf_counter() - start


def reading(args: argparse.Namespace, directory: str, customers: Sequence[Customer]) -> bool:
    """Streaming against a raw cursor, zone against fixed-offset summaries; True if all met."""
    path = os.path.join(directory, "read.db")
    fill(path, customers, args.read_rows, args.seed + 2)
    raw = best(args.repeat, lambda: time_raw_cursor(path))
    adapter = best(args.repeat, lambda: time_query(path))
    stream_ratio = raw / adapter
    with SQLiteStore(path) as store:
        fixed = best(args.repeat, lambda: time_summary(store, utc_offset=timedelta(hours=1)))
        zone = best(args.repeat, lambda: time_summary(store, timezone="Europe/London"))
    zone_ratio = zone / fixed
    with SQLiteStore(":memory:") as store:
        with store.unit_of_work() as uow:
            uow.interactions.add_many(
                ServiceInteraction(
                    id=f"I-{year}", store_id="HK-CWB", channel="hotline", occurred_at=when
                )
                for year, when in (
                    (1000, datetime(1000, 6, 1, tzinfo=ZONE)),
                    (8000, datetime(8000, 6, 1, tzinfo=ZONE)),
                )
            )
            uow.commit()
        far = best(args.repeat, lambda: time_summary(store, timezone="Europe/London"))
    checks = [
        stream_ratio >= MIN_STREAM_RATIO,
        zone_ratio <= MAX_ZONE_RATIO,
        far < MAX_FAR_APART_SECONDS,
    ]
    print(f"\nReading {args.read_rows:,} interactions in this process (best of {args.repeat})")
    show("baseline: raw sqlite3 cursor, same SELECT", rate(args.read_rows, raw))
    show("uow.interactions.query()", rate(args.read_rows, adapter))
    show(
        "ratio query / raw cursor (rates)",
        f"{stream_ratio:.2f}  (target >= {MIN_STREAM_RATIO}: {'met' if checks[0] else 'MISSED'})",
    )
    show("baseline: summarize(period, store), utc_offset=+1h", f"{fixed:.3f} s")
    show("summarize(period, store), timezone='Europe/London'", f"{zone:.3f} s")
    show(
        "ratio zone / fixed offset (times)",
        f"{zone_ratio:.2f}  (target <= {MAX_ZONE_RATIO}: {'met' if checks[1] else 'MISSED'})",
    )
    show(
        "zone summary of two rows 7,000 years apart",
        f"{far:.4f} s  (target < {MAX_FAR_APART_SECONDS} s: {'met' if checks[2] else 'MISSED'})",
    )
    return all(checks)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, seed {args.seed}")
    customers = make_customers()
    with tempfile.TemporaryDirectory(prefix="bench_sqlite_") as directory:
        passed = bulk_load(args, directory, customers)
        passed = streaming(args, directory, customers) and passed
        passed = reading(args, directory, customers) and passed
    if not passed:
        print("\nFAILED: a target was missed")
        if args.check:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
