"""Benchmark `to_dataframe` against the route a notebook would otherwise take.

The baseline is ``pandas.DataFrame([attrs.asdict(x) for x in records])``: every
record turned into a dict, held in a list, then given to pandas to infer the
column types (which leaves instants, enums and identifiers as ``object``
columns). The library reads the records once, a chunk at a time, and builds
typed columns.

Printed, each as a ratio against the baseline measured in the same run, with
its bar:

1. Time to build the frame from N interactions held in a list. Bar: at least
   as fast (ratio >= 1).
2. Peak memory (tracemalloc) while building the frame from a generator that
   makes the interactions as they are read, as a store's query stream does.
   Bar: the library's peak is at most half the baseline's (ratio >= 2).

Run it from the project root::

    pip install -e '.[dev]'
    python bench/bench_records.py [--records N] [--check]

``--check`` exits with status 1 when any bar is not met.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from time import perf_counter
from typing import Any

import attrs
import pandas

from retail_service_quality import ServiceInteraction, to_dataframe

START = datetime(2026, 1, 1, tzinfo=UTC)
CHANNELS = ("hotline", "email", "online", "meeting")


def interactions(count: int) -> Iterator[ServiceInteraction]:
    for index in range(count):
        yield ServiceInteraction(
            id=f"I-{index:08d}",
            store_id=f"HK-{index % 40:02d}",
            channel=CHANNELS[index % len(CHANNELS)],
            occurred_at=START + timedelta(seconds=37 * index),
            handle_time=timedelta(seconds=60 + index % 900),
            status="resolved",
            subject="returns",
        )


def baseline(records: Any) -> Any:
    return pandas.DataFrame([attrs.asdict(record) for record in records])


def timed(build: Callable[[Any], Any], records: list[ServiceInteraction]) -> float:
    gc.collect()
    started = perf_counter()
    build(records)
    return perf_counter() - started


def peak(build: Callable[[Any], Any], count: int) -> int:
    gc.collect()
    tracemalloc.start()
    build(interactions(count))
    _, highest = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return highest


def report(name: str, ratio: float, bar: float, unit: str) -> bool:
    met = ratio >= bar
    print(f"{name}: {ratio:.2f}x {unit} (bar: >= {bar:g}x) {'met' if met else 'NOT MET'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--check", action="store_true")
    arguments = parser.parse_args()
    count = arguments.records
    records = list(interactions(count))
    to_dataframe(records[:100])  # warm-up: layouts and imports
    baseline(records[:100])
    library_time = min(timed(to_dataframe, records) for _ in range(3))
    baseline_time = min(timed(baseline, records) for _ in range(3))
    print(f"{count} interactions: library {library_time:.3f} s, baseline {baseline_time:.3f} s")
    results = [report("time, baseline / library", baseline_time / library_time, 1.0, "faster")]
    del records
    library_peak = peak(to_dataframe, count)
    baseline_peak = peak(baseline, count)
    print(
        f"peak memory from a stream: to_dataframe {library_peak / 2**20:.1f} MiB, "
        f"baseline {baseline_peak / 2**20:.1f} MiB"
    )
    results.append(report("memory, baseline / library", baseline_peak / library_peak, 2.0, "less"))
    return 0 if all(results) or not arguments.check else 1


if __name__ == "__main__":
    sys.exit(main())
