"""Benchmark the PostgreSQL adapter beside the SQLite one, on the same data in the same process.

What it measures, for `SQLiteStore` (a file in a temporary directory, the
default settings) and `PostgresStore` (a fresh schema of the server given,
dropped at the end), on the same records:

1. Ingest. C customers, then N interactions, each written with
   ``uow.<repository>.add_many(records); uow.commit()`` in units of work of
   U records (an import from a contact centre's system, a batch at a time).
   The records are built before the clock starts; the time counts the units
   of work from opening to commit.
2. Streaming. ``uow.interactions.query()`` over every stored interaction in
   one read-only unit of work, counting them (best of R).
3. The indicator table. ``compute_indicators(store, ["aht", "asa",
   "service_level", "abandonment_rate", "fcr_internal"], start, end,
   group_by=["store", "month"], timezone="Asia/Hong_Kong")`` for 2026, as
   ``bench/bench_indicators.py`` times it on SQLite (best of R).

The baseline is SQLite, run in this process on the same records: each line
gives both times, the rows per second and the ratio PostgreSQL / SQLite
("x.xx times SQLite's time"; below 1, PostgreSQL is faster). Both stores must
give the same answers: the interactions streamed from both are compared
record for record (after the timed runs) and the two indicator tables row for
row, exactly (values, n, intervals); the script exits with status 1 when they
differ. The rows are ``_chain.fill``'s, with the customers, subjects and handle
times of ``bench/bench_indicators.py``, read back from a scratch SQLite file
as `ServiceInteraction` records.

Run it from the project root, with a PostgreSQL server (`scripts/with-postgres.sh`
starts a throwaway one and sets ``RSQ_TEST_POSTGRES``)::

    pip install -e '.[bench,postgres]'
    scripts/with-postgres.sh python bench/bench_postgres.py [--rows N] [--unit U]
        [--repeat R] [--seed S] [--quick] [--conninfo CONNINFO]

Defaults: N = 200,000 (C = 20,000 customers), U = 1,000, R = 3; ``--quick``:
N = 20,000 and R = 1. The server comes from ``--conninfo`` or else
``RSQ_TEST_POSTGRES``; the role needs CREATE on the database.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from functools import partial
from itertools import islice
from time import perf_counter
from typing import Final, TypeVar

import psycopg
from _chain import YEAR_END, YEAR_START, ZONE_NAME, timed_fill
from bench_indicators import CUSTOMERS, INDICATORS, more

from retail_service_quality import (
    Customer,
    PostgresStore,
    ServiceInteraction,
    SQLiteStore,
    compute_indicators,
)
from retail_service_quality.quality.indicators import IndicatorValue

Store = SQLiteStore | PostgresStore
T = TypeVar("T")

QUICK_ROWS: Final = 20_000
NAMES: Final = ("SQLite", "PostgreSQL")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, help="N, interactions (default 200,000)")
    parser.add_argument("--unit", type=int, default=1_000, help="U, records per unit of work")
    parser.add_argument("--repeat", type=int, help="R, reading runs per store; best counts")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the random rows")
    parser.add_argument(
        "--quick", action="store_true", help=f"a small run: {QUICK_ROWS:,} rows, R = 1"
    )
    parser.add_argument(
        "--conninfo",
        default=os.environ.get("RSQ_TEST_POSTGRES"),
        help="the PostgreSQL server's connection string (default: $RSQ_TEST_POSTGRES)",
    )
    args = parser.parse_args(argv)
    if args.rows is None:
        args.rows = QUICK_ROWS if args.quick else 200_000
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.rows < 1 or args.unit < 1 or args.repeat < 1:
        parser.error("--rows, --unit and --repeat must be positive")
    if not args.conninfo:
        parser.error("give --conninfo or set RSQ_TEST_POSTGRES (scripts/with-postgres.sh does)")
    return args


# ---------------------------------------------------------------- data


def make_customers() -> list[Customer]:
    """`bench_indicators`' customers: the ones ``more`` gives the contacts."""
    created = YEAR_START - timedelta(days=400)
    return [Customer(id=f"C-{number:05d}", created_at=created) for number in range(CUSTOMERS)]


def make_interactions(directory: str, rows: int, seed: int) -> list[ServiceInteraction]:
    """``_chain.fill``'s rows (with ``bench_indicators.more``), read back as records."""
    path = os.path.join(directory, "source.db")
    timed_fill(path, rows, seed, more)
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        found = list(uow.interactions.query())
    os.remove(path)
    return found


def units(records: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for low in range(0, len(records), size):
        yield records[low : low + size]


# ---------------------------------------------------------------- the three measures


def ingest(
    store: Store,
    customers: Sequence[Customer],
    interactions: Sequence[ServiceInteraction],
    size: int,
) -> tuple[float, float]:
    """Seconds to add the customers, then the interactions, in units of work of ``size``."""
    start = perf_counter()
    for part in units(customers, size):
        with store.unit_of_work() as uow:
            uow.customers.add_many(part)
            uow.commit()
    middle = perf_counter()
    for chunk in units(interactions, size):
        with store.unit_of_work() as uow:
            uow.interactions.add_many(chunk)
            uow.commit()
    return middle - start, perf_counter() - middle


def stream(store: Store) -> tuple[float, int]:
    """Seconds to read every interaction through ``query()``, and how many there were."""
    count = 0
    with store.unit_of_work(read_only=True) as uow:
        start = perf_counter()
        for _ in uow.interactions.query():
            count += 1
        return perf_counter() - start, count


def indicator_table(store: Store) -> tuple[float, list[IndicatorValue]]:
    start = perf_counter()
    rows = compute_indicators(
        store, list(INDICATORS), start=YEAR_START, end=YEAR_END,
        group_by=["store", "month"], timezone=ZONE_NAME,
    )  # fmt: skip
    return perf_counter() - start, list(rows)


def best(repeat: int, run: Callable[[], tuple[float, T]]) -> tuple[float, T]:
    """The shortest time of ``repeat`` runs, with the last run's answer."""
    times = []
    for _ in range(repeat):
        took, answer = run()
        times.append(took)
    return min(times), answer


def streams_differ(stores: Sequence[Store], batch: int = 10_000) -> int:
    """How many interactions differ between the stores' ``query()`` streams (0: the same)."""
    different = 0
    with (
        stores[0].unit_of_work(read_only=True) as first,
        stores[1].unit_of_work(read_only=True) as second,
    ):
        mine, theirs = first.interactions.query(), second.interactions.query()
        while True:
            left, right = list(islice(mine, batch)), list(islice(theirs, batch))
            if not left and not right:
                return different
            different += abs(len(left) - len(right))
            different += sum(a != b for a, b in zip(left, right, strict=False))


def tables_differ(left: Sequence[IndicatorValue], right: Sequence[IndicatorValue]) -> int:
    """How many rows of the two indicator tables differ (0: the same table, exactly)."""
    return abs(len(left) - len(right)) + sum(a != b for a, b in zip(left, right, strict=False))


# ---------------------------------------------------------------- the report


def show(label: str, value: str) -> None:
    print(f"  {label:<46}{value}")


def line(label: str, rows: int, times: Sequence[float]) -> None:
    """Both stores' times and rates, and the ratio PostgreSQL / SQLite."""
    for name, took in zip(NAMES, times, strict=True):
        show(f"{label}, {name}", f"{took:8.3f} s  {rows / took:>10,.0f} rows/s")
    show(f"{label}, PostgreSQL / SQLite", f"{times[1] / times[0]:8.2f} times SQLite's time")


def server(conninfo: str) -> str:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        settings = [
            str(connection.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
            for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers")
        ]
    version, fsync, synchronous, buffers = settings
    return (
        f"PostgreSQL {version.split()[0]} (fsync={fsync}, synchronous_commit={synchronous}, "
        f"shared_buffers={buffers})"
    )


def drop_schema(conninfo: str, schema: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version} (WAL, "
        f"synchronous=FULL), {server(args.conninfo)}; seed {args.seed}"
    )
    print(
        "Baseline: SQLiteStore (a temporary file), in this process, on the same records; "
        "ratios are PostgreSQL's time / SQLite's."
    )
    schema = f"rsq_bench_{secrets.token_hex(4)}"
    customers = make_customers()
    with tempfile.TemporaryDirectory(prefix="bench_postgres_") as directory:
        interactions = make_interactions(directory, args.rows, args.seed)
        try:
            with (
                SQLiteStore(os.path.join(directory, "bench.db")) as lite,
                PostgresStore(args.conninfo, schema=schema) as postgres,
            ):
                stores: tuple[Store, Store] = (lite, postgres)
                written = [ingest(store, customers, interactions, args.unit) for store in stores]
                streamed = [best(args.repeat, partial(stream, store)) for store in stores]
                tables = [best(args.repeat, partial(indicator_table, store)) for store in stores]
                different_records = streams_differ(stores)
        finally:
            drop_schema(args.conninfo, schema)
    rows = len(interactions)
    print(
        f"\nIngest: add_many + commit in units of work of {args.unit:,} records "
        f"({len(customers):,} customers, then {rows:,} interactions)"
    )
    line("customers", len(customers), [took for took, _ in written])
    line("interactions", rows, [took for _, took in written])
    print(f"\nStreaming: uow.interactions.query() over every interaction (best of {args.repeat})")
    line("query()", rows, [took for took, _ in streamed])
    counts = [count for _, count in streamed]
    print(
        f"\nThe indicator table: compute_indicators of {len(INDICATORS)} indicators, 2026 by "
        f"store and month in {ZONE_NAME} (best of {args.repeat})"
    )
    line("compute_indicators", rows, [took for took, _ in tables])
    left, right = (table for _, table in tables)
    different_rows = tables_differ(left, right)
    print("\nSame answers")
    show("interactions streamed (SQLite, PostgreSQL)", f"{counts[0]:,}, {counts[1]:,}")
    show("interactions that differ", f"{different_records:,}")
    show("indicator rows (SQLite, PostgreSQL)", f"{len(left):,}, {len(right):,}")
    show("indicator rows that differ", f"{different_rows:,}")
    if different_records or different_rows or counts != [rows, rows]:
        print("\nFAILED: the two stores' answers differ")
        return 1
    print("  the two stores give the same records and the same indicator table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
