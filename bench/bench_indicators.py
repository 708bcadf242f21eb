"""Benchmark the indicator table on SQLite against pandas reading the same rows and grouping them.

What it measures: the indicators on interactions (average handle time,
average speed of answer, service level within 20 s, abandonment rate and
first-contact resolution from the records, a 7-day repeat window) over N
interactions in a `SQLiteStore` file, for 2026 grouped by store and local
month in Asia/Hong_Kong:

- the library: ``compute_indicators(store, ["aht", "asa", "service_level",
  "abandonment_rate", "fcr_internal"], start, end, group_by=["store",
  "month"], timezone="Asia/Hong_Kong")``, which on SQLite tallies the
  interactions in SQL (`TallyRepository.tally`: one row per local day, store
  and channel) and computes each group's value, n and Wilson interval in
  Python; timed also as its two tallies apart (the four call indicators, and
  ``fcr_internal``, whose tally looks for a later contact of each contact),
  and split into the time spent in the tally queries and the Python after
  them;
- the baseline: pandas ``read_sql`` of the same rows (the columns the
  indicators read, over the same period and the 7-day window after it, where
  a repeat contact may lie) from the same file, then the same numbers in
  pandas: the next contact of each customer on each subject, the local month
  by time-zone conversion, a ``groupby`` on store and month, and each group's
  values, n and Wilson intervals.

Both run in this process on the same file, each the best of R runs, and
their answers are compared group by group: every value and interval bound
to 1e-9, every n exactly. Reported: both times and the ratio pandas /
library (target: above 1, the library faster); the peak memory of the
library's run, measured in a fresh process that only opens the file and
computes the table (its peak resident set, target under 150 MB, and the
Python heap's peak by ``tracemalloc``); and the write cost, the time of
``uow.interactions.add_many`` of 10,000 interactions through the adapter
into the filled file, committed, the figure that keeping roll-ups up to
date at write time would add to.

The rows: those of ``_chain.fill`` (the attainment benchmark's), with
three quarters of the contacts from 20,000 known customers, each on one of
five subjects, and a handle time of 1 to 15 minutes on every contact but
the abandoned calls. The customers are added through the adapter.

Run it from the project root::

    pip install -e '.[bench]'
    python bench/bench_indicators.py [--rows N] [--repeat R] [--seed S] [--check]

Defaults: N = 1,000,000, R = 3. ``--check`` exits with status 1 when a
target is missed or the answers differ. The file lives in a temporary
directory, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from time import perf_counter
from typing import Any, Final

from _chain import INDEX, STORES, US, YEAR_END, YEAR_START, ZONE_NAME, best, timed_fill

from retail_service_quality import (
    Customer,
    ServiceInteraction,
    SQLiteStore,
    compute_indicators,
    wilson_interval,
)
from retail_service_quality.storage.sqlite._interactions import SQLiteInteractions

CALLS: Final = ("aht", "asa", "service_level", "abandonment_rate")
INDICATORS: Final = (*CALLS, "fcr_internal")
CUSTOMERS: Final = 20_000
SUBJECTS: Final = ("delivery", "returns", "billing", "product", "membership")
KNOWN: Final = 0.75
WINDOW_US: Final = 7 * 86_400 * US
WITHIN_US: Final = 20 * US
SHORT_ABANDON_US: Final = 5 * US
BATCH: Final = 10_000
MIN_RATIO: Final = 1.0
MAX_MB: Final = 150.0
TOLERANCE: Final = 1e-9

Answer = dict[tuple[str, str, str], tuple[float | None, int, float | None, float | None]]
"""(indicator, store, "YYYY-MM") -> (value, n, interval low, interval high)."""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="N, interactions stored")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; best counts")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the random rows")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--memory-of", help=argparse.SUPPRESS)  # the fresh process's part
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be positive")
    return args


# ---------------------------------------------------------------- data


def more(row: list[Any], rng: random.Random) -> None:
    """A customer, a subject and a handle time on top of `_chain.fill`'s columns."""
    known = rng.random() < KNOWN
    row[INDEX["customer_id"]] = f"C-{rng.randrange(CUSTOMERS):05d}" if known else None
    row[INDEX["subject"]] = rng.choice(SUBJECTS)
    row[INDEX["handle_us"]] = None if row[INDEX["abandoned"]] else rng.randrange(60, 900) * US


def add_customers(path: str) -> None:
    created = YEAR_START - timedelta(days=400)
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.customers.add_many(
            Customer(id=f"C-{number:05d}", created_at=created) for number in range(CUSTOMERS)
        )
        uow.commit()


def batch(seed: int, round_: int) -> list[ServiceInteraction]:
    """10,000 interactions like the stored ones, in January 2027 (after the period read)."""
    rng = random.Random(seed * 1_000 + round_)
    found = []
    for number in range(BATCH):
        abandoned = rng.random() < 0.06
        known = rng.random() < KNOWN
        found.append(
            ServiceInteraction(
                id=f"W-{round_}-{number:05d}",
                store_id=rng.choice(STORES),
                channel="hotline",
                occurred_at=YEAR_END + timedelta(seconds=rng.randrange(30 * 86_400)),
                customer_id=f"C-{rng.randrange(CUSTOMERS):05d}" if known else None,
                subject=rng.choice(SUBJECTS),
                queue_time=timedelta(seconds=rng.randrange(90)),
                abandoned=abandoned,
                handle_time=None if abandoned else timedelta(seconds=rng.randrange(60, 900)),
            )
        )
    return found


# ---------------------------------------------------------------- the library


def library_answer(rows: Any) -> Answer:
    answer: Answer = {}
    for row in rows:
        interval = row.interval
        answer[(row.indicator_id, str(row.store_id), str(row.month)[:7])] = (
            row.value,
            row.n,
            None if interval is None else interval.low,
            None if interval is None else interval.high,
        )
    return answer


def compute(path: str, indicators: Sequence[str]) -> tuple[float, Answer]:
    with SQLiteStore(path) as store:
        start = perf_counter()
        rows = compute_indicators(
            store, list(indicators), start=YEAR_START, end=YEAR_END,
            group_by=["store", "month"], timezone=ZONE_NAME,
        )  # fmt: skip
        took = perf_counter() - start
    return took, library_answer(rows)


def run_library(path: str) -> tuple[float, Answer]:
    return compute(path, INDICATORS)


def run_calls(path: str) -> tuple[float, Answer]:
    return compute(path, CALLS)


def run_fcr(path: str) -> tuple[float, Answer]:
    return compute(path, ["fcr_internal"])


@contextmanager
def tally_clock(spent: list[float]) -> Iterator[None]:
    """Adds the time of each `SQLiteInteractions.tally` call (its SQL) to ``spent``."""
    original = SQLiteInteractions.tally

    def timed(self: SQLiteInteractions, **arguments: Any) -> Any:
        start = perf_counter()
        try:
            return original(self, **arguments)
        finally:
            spent.append(perf_counter() - start)

    SQLiteInteractions.tally = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        SQLiteInteractions.tally = original  # type: ignore[method-assign]


def profile(path: str) -> tuple[float, list[float]]:
    spent: list[float] = []
    with tally_clock(spent):
        took, _ = run_library(path)
    return took, spent


def resident_peak() -> float:
    """This process's peak resident set in MB (``VmHWM``; ``ru_maxrss`` where there is none).

    ``ru_maxrss`` would do but for Linux carrying the parent's peak over into a child.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_of(path: str) -> None:
    """In a fresh process: the library's run's peak resident set, then its Python heap peak."""
    before = resident_peak()
    run_library(path)
    peak = resident_peak()
    tracemalloc.start()
    run_library(path)
    heap = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(json.dumps({"before": before, "peak": peak, "heap": heap}))


def measure_memory(path: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--memory-of", path],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    found: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return found


def write_cost(path: str, seed: int, repeat: int) -> float:
    """The best time of `add_many` of `BATCH` interactions through the adapter, committed."""
    times = []
    for round_ in range(repeat):
        records = batch(seed, round_)
        with SQLiteStore(path) as store:
            start = perf_counter()
            with store.unit_of_work() as uow:
                uow.interactions.add_many(records)
                uow.commit()
            times.append(perf_counter() - start)
    return min(times)


# ---------------------------------------------------------------- the baseline


def wilson(successes: Any, n: Any, z: float = 1.959963984540054) -> tuple[Any, Any]:
    share = successes / n
    z2n = z * z / n
    centre = (share + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * (share * (1 - share) / n + z2n / (4 * n)) ** 0.5
    low = (centre - half).clip(0, 1).where(successes > 0, 0.0)
    high = (centre + half).clip(0, 1).where(successes < n, 1.0)
    return low, high


def run_pandas(path: str) -> tuple[float, Answer]:
    import pandas as pd  # here, so that the fresh process measuring memory does not load it

    low_us = int(YEAR_START.timestamp()) * US
    high_us = int(YEAR_END.timestamp()) * US
    connection = sqlite3.connect(path)
    try:
        start = perf_counter()
        frame = pd.read_sql(
            "SELECT store_id, channel, direction, occurred_us, customer_id, subject, handle_us, "
            "queue_us, abandoned FROM interactions WHERE occurred_us >= ? AND occurred_us < ?",
            connection,
            params=(low_us, high_us + WINDOW_US + 1),
        )
        # First-contact resolution: no later contact of the customer on the subject within 7 days.
        known = frame[frame["customer_id"].notna()].sort_values(
            ["customer_id", "subject", "occurred_us"], kind="stable"
        )
        same = [known["customer_id"], known["subject"]]
        following = known.groupby(same, sort=False)["occurred_us"].shift(-1)
        following = following.where(following != known["occurred_us"])  # strictly later
        following = following.groupby(same, sort=False).bfill()
        free = ~(following <= known["occurred_us"] + WINDOW_US)
        frame["known"] = frame["customer_id"].notna()
        frame["free"] = free.reindex(frame.index, fill_value=False)
        frame = frame[frame["occurred_us"] < high_us]
        local = pd.to_datetime(frame["occurred_us"], unit="us", utc=True).dt.tz_convert(ZONE_NAME)
        frame["month"] = local.dt.year * 100 + local.dt.month
        frame["handled"] = frame["handle_us"].notna()
        # The calls: inbound hotline contacts, with short abandons and answer times.
        queue = frame["queue_us"]
        inbound = frame["direction"] == "inbound"
        abandoned = inbound & (frame["abandoned"] == 1)
        short = abandoned & queue.notna() & (queue < SHORT_ABANDON_US)
        measured = inbound & (frame["abandoned"] == 0) & queue.notna()
        frame["inbound"] = inbound
        frame["short"] = short
        frame["abandoned_calls"] = abandoned & ~short
        frame["measured"] = measured
        frame["queue_sum"] = queue.where(measured, 0)
        frame["within"] = measured & (queue <= WITHIN_US)
        frame["abandoned_within"] = abandoned & (queue >= SHORT_ABANDON_US) & (queue <= WITHIN_US)
        keys = ["store_id", "month"]
        every = frame.groupby(keys, sort=True)[["handled", "handle_us", "known", "free"]].sum()
        calls = frame[frame["channel"] == "hotline"]
        columns = ["inbound", "short", "abandoned_calls", "measured", "queue_sum", "within"]
        hotline = calls.groupby(keys, sort=True)[[*columns, "abandoned_within"]].sum()
        table: dict[str, tuple[Any, Any, Any]] = {}
        n = every["handled"]
        table["aht"] = (every["handle_us"] / n / US, n, None)
        n = hotline["measured"]
        table["asa"] = (hotline["queue_sum"] / n / US, n, None)
        n = hotline["measured"] + hotline["abandoned_calls"] - hotline["abandoned_within"]
        table["service_level"] = (hotline["within"] / n, n, wilson(hotline["within"], n))
        n = hotline["inbound"] - hotline["short"]
        table["abandonment_rate"] = (
            hotline["abandoned_calls"] / n, n, wilson(hotline["abandoned_calls"], n)
        )  # fmt: skip
        n = every["known"]
        table["fcr_internal"] = (every["free"] / n, n, wilson(every["free"], n))
        took = perf_counter() - start
    finally:
        connection.close()
    return took, pandas_answer(table)


def pandas_answer(table: dict[str, tuple[Any, Any, Any]]) -> Answer:
    answer: Answer = {}
    for indicator, (values, counts, interval) in table.items():
        for (store, month), value in values.items():
            n = int(counts[(store, month)])
            low = high = None
            if interval is not None and n > 0:
                low, high = (float(bound[(store, month)]) for bound in interval)
            month_text = f"{month // 100:04d}-{month % 100:02d}"
            answer[(indicator, str(store), month_text)] = (
                None if n == 0 else float(value), n, low, high,
            )  # fmt: skip
    return answer


def same(ours: Answer, theirs: Answer) -> bool:
    if ours.keys() != theirs.keys():
        return False
    for key, (value, n, low, high) in ours.items():
        other = theirs[key]
        if n != other[1]:
            return False
        for mine, its in ((value, other[0]), (low, other[2]), (high, other[3])):
            if (mine is None) != (its is None):
                return False
            if mine is not None and its is not None and abs(mine - its) > TOLERANCE:
                return False
    return True


# ---------------------------------------------------------------- the report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.memory_of is not None:
        memory_of(args.memory_of)
        return 0
    assert wilson_interval(1, 2).confidence == 0.95  # the intervals compared are 95% ones
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "indicators.db")
        timed_fill(path, args.rows, args.seed, more)
        add_customers(path)
        library, ours = best(run_library, path, args.repeat)
        calls, _ = best(run_calls, path, args.repeat)
        fcr, _ = best(run_fcr, path, args.repeat)
        profiled, spent = profile(path)
        memory = measure_memory(path)
        baseline, theirs = best(run_pandas, path, args.repeat)
        writing = write_cost(path, args.seed, args.repeat)
    agree = same(ours, theirs)
    ratio = baseline / library if library > 0 else math.inf
    sql = sum(spent)
    print(f"groups (store x month)                {len({key[1:] for key in ours}):,}")
    print(f"indicator values compared             {len(ours):,}")
    print(f"compute_indicators on SQLite          {library:.3f} s")
    print(f"  the four call indicators alone      {calls:.3f} s")
    print(f"  fcr_internal alone                  {fcr:.3f} s")
    print(f"  in the tally queries (SQL), 1 run   {sql:.3f} s of {profiled:.3f} s ({len(spent)})")
    print(f"  in Python after them                {profiled - sql:.3f} s")
    print(f"pandas read_sql + the same in pandas  {baseline:.3f} s")
    print(f"ratio pandas / library (times)        {ratio:.2f}  (target > {MIN_RATIO})")
    print(
        f"peak memory of the library's run      {memory['peak']:.0f} MB resident "
        f"(process before it {memory['before']:.0f} MB; Python heap peak "
        f"{memory['heap']:.1f} MB)  (target < {MAX_MB:.0f} MB)"
    )
    print(
        f"write cost: add_many of {BATCH:,}        {writing:.3f} s "
        f"({writing / BATCH * 1e6:.0f} us an interaction, committed)"
    )
    print(f"same answers in every group           {agree}")
    if args.check and (not agree or ratio <= MIN_RATIO or memory["peak"] >= MAX_MB):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
