"""Benchmark pledge attainment on SQLite against pandas reading the same rows and computing it.

What it measures: one answer-time pledge's attainment ("80% of hotline calls
answered within 20 seconds", revised to 30 seconds from 1 July, so two
versions split the year) over N interactions in a `SQLiteStore` file,
grouped by store and local month in Asia/Hong_Kong:

- the library: ``pledge_attainment(store, pledge, start=..., end=..., now=...,
  group_by=["store", "month"], timezone="Asia/Hong_Kong")``, which on SQLite
  counts the calls in SQL (one ``GROUP BY`` per version) and computes each
  group's share, Wilson interval, status and exact binomial test in Python;
- the baseline: pandas ``read_sql`` of the same rows (the columns the measure
  needs, over the same period) from the same file, then the same computation
  in pandas: inbound hotline calls, the version of each call by its instant,
  met / not met / short abandon / unmeasured, the local month, a ``groupby``
  on store and month, and each group's share and Wilson interval.

Both run in this process on the same file, each the best of R runs, and
their counts are compared group by group, so the baseline provably computes
the same thing. Reported: both times and the ratio pandas / library (target:
above 1, the library faster).

The rows: N interactions over 2026 in Asia/Hong_Kong, a dozen stores, 90% of
them inbound hotline calls (the rest email and outbound calls), queue times
from 0 to 90 seconds, 6% abandoned, 2% without a queue time. They are
written with raw ``executemany`` of the rows the adapter itself would write
(built from one adapter row as a template), into a file `SQLiteStore`
created, so it carries the library's schema (`_chain.fill`, shared with
`bench_indicators.py`).

Run it from the project root::

    pip install -e '.[bench]'
    python bench/bench_attainment.py [--rows N] [--repeat R] [--seed S] [--check]

Defaults: N = 1,000,000, R = 3. ``--check`` exits with status 1 when the
target is missed or the answers differ. The file lives in a temporary
directory, removed at the end.
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from time import perf_counter
from typing import Any, Final

import pandas as pd
from _chain import US, YEAR_END, YEAR_START, ZONE, ZONE_NAME, best, timed_fill

from retail_service_quality import (
    PledgeScope,
    PledgeStandard,
    ServicePledge,
    SQLiteStore,
    pledge_attainment,
)

REVISED: Final = datetime(2026, 7, 1, tzinfo=ZONE)
SHORT_ABANDON_US: Final = 5_000_000
MIN_RATIO: Final = 1.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="N, interactions stored")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; best counts")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the random rows")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be positive")
    return args


def pledge() -> ServicePledge:
    return ServicePledge.create(
        id="hotline-answer",
        effective_from=YEAR_START,
        wording="We answer 80% of hotline calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
        target_share=0.8,
        scope=PledgeScope(channels=["hotline"]),
    ).revise(
        effective_from=REVISED,
        reason="a second shift of agents",
        wording="We answer 80% of hotline calls within 30 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
    )


# ---------------------------------------------------------------- the two sides

Counts = dict[tuple[str, str], tuple[int, int, int]]


def run_library(path: str) -> tuple[float, Counts]:
    with SQLiteStore(path) as store:
        start = perf_counter()
        rows = pledge_attainment(
            store, pledge(), start=YEAR_START, end=YEAR_END, now=YEAR_END,
            group_by=["store", "month"], timezone=ZONE_NAME,
        )  # fmt: skip
        took = perf_counter() - start
    assert all(row.month is not None and row.store_id is not None for row in rows)
    return took, {
        (str(row.store_id), str(row.month)[:7]): (row.met, row.not_met, row.excluded)
        for row in rows
    }


def wilson(met: Any, n: Any, z: float = 1.959963984540054) -> tuple[Any, Any]:
    share = met / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (share * (1 - share) / n + z * z / (4 * n * n)) ** 0.5
    return (centre - half).clip(0, 1), (centre + half).clip(0, 1)


def run_pandas(path: str) -> tuple[float, Counts]:
    connection = sqlite3.connect(path)
    try:
        start = perf_counter()
        frame = pd.read_sql(
            "SELECT store_id, channel, direction, occurred_us, queue_us, abandoned "
            "FROM interactions WHERE occurred_us >= ? AND occurred_us < ?",
            connection,
            params=(int(YEAR_START.timestamp()) * US, int(YEAR_END.timestamp()) * US),
        )
        frame = frame[(frame["channel"] == "hotline") & (frame["direction"] == "inbound")]
        revised = int(REVISED.timestamp()) * US
        within = (frame["occurred_us"] >= revised).map({False: 20 * US, True: 30 * US})
        queue = frame["queue_us"]
        abandoned = frame["abandoned"] == 1
        short = abandoned & queue.notna() & (queue < SHORT_ABANDON_US)
        unmeasured = ~abandoned & queue.isna()
        met = ~abandoned & queue.notna() & (queue <= within)
        local = pd.to_datetime(frame["occurred_us"], unit="us", utc=True).dt.tz_convert(ZONE_NAME)
        counts = pd.DataFrame(
            {
                "store_id": frame["store_id"],
                "month": local.dt.strftime("%Y-%m"),
                "met": met.astype("int64"),
                "not_met": (~met & ~short & ~unmeasured).astype("int64"),
                "excluded": (short | unmeasured).astype("int64"),
            }
        )
        grouped = counts.groupby(["store_id", "month"], sort=True).sum()
        n = grouped["met"] + grouped["not_met"]
        grouped["share"] = grouped["met"] / n
        grouped["low"], grouped["high"] = wilson(grouped["met"], n)
        grouped["gap"] = grouped["share"] - 0.8
        took = perf_counter() - start
    finally:
        connection.close()
    return took, {
        (str(store), str(month)): (int(row.met), int(row.not_met), int(row.excluded))
        for (store, month), row in grouped.iterrows()
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "attainment.db")
        timed_fill(path, args.rows, args.seed)
        library, ours = best(run_library, path, args.repeat)
        baseline, theirs = best(run_pandas, path, args.repeat)
    same = ours == theirs
    ratio = baseline / library if library > 0 else math.inf
    print(f"groups (store x month)               {len(ours):,}")
    print(f"pledge_attainment on SQLite          {library:.3f} s")
    print(f"pandas read_sql + the same in pandas {baseline:.3f} s")
    print(f"ratio pandas / library (times)       {ratio:.2f}  (target > {MIN_RATIO})")
    print(f"same counts in every group           {same}")
    if args.check and (not same or ratio <= MIN_RATIO):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
