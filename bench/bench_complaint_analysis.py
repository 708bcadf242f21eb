"""Benchmark complaint analysis on SQLite: counted in SQL against reading every complaint.

What it measures, over a file of N complaints (seeded: six stores, four
channels, six categories, four root causes, every remedy, about a fifth
repeats, three quarters closed, all with a Hong Kong weekday SLA policy):

- counts: ``complaint_counts(store, by="category")`` (a ``GROUP BY`` over the
  derived columns) against the baseline of what a caller would write without
  it: every complaint read with ``uow.complaints.query()`` and counted by
  ``Complaint.category`` in Python.
- resolution times: ``resolution_times(store)`` (the stored business times,
  sorted in SQL) against the baseline of reading every complaint and taking
  ``Complaint.resolution_time()`` of each, then the same percentiles.

Both sides run in this process on the same file and must give the same
answer; each time is the best of R runs. Reported: the times and the ratio
baseline / analysis (how many times faster the pushed-down question is);
target at least 5 for both.

Run it from the project root::

    pip install -e .
    python bench/bench_complaint_analysis.py [--rows N] [--repeat R] [--seed S] [--check]

Defaults: N = 20,000 and R = 3. ``--check`` exits with status 1 when a target
is missed. The file lives in a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    complaint_counts,
    percentile,
    resolution_times,
)

MIN_RATIO = 5.0
HK = ZoneInfo("Asia/Hong_Kong")
POLICY = SlaPolicy(
    id="standard",
    calendar=BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong"),
    targets=[SlaTarget("resolution", working_days=5)],
)
STORES = [f"HK-{n}" for n in range(6)]
CHANNELS = ["email", "hotline", "meeting", "social"]
CATEGORIES = ["billing", "late_delivery", "faulty_item", "rude_staff", "stock", "returns"]
CAUSES = ["carrier_delay", "typo", "supplier_batch", "training"]
REMEDIES = ["refund", "exchange", "repair", "credit", "goodwill", "apology", "explanation"]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--check", action="store_true")
    return parser.parse_args(argv)


def complaints(rng: random.Random, count: int) -> Iterator[Complaint]:
    start = datetime(2026, 1, 5, 9, tzinfo=HK)
    for number in range(count):
        at = start + timedelta(minutes=rng.randrange(0, 300 * 24 * 60))
        case = Complaint.receive(
            id=f"CMP-{number:07d}", at=at, channel=rng.choice(CHANNELS),
            store_id=rng.choice(STORES), category=rng.choice(CATEGORIES),
            remedy_requested=rng.choice([None, *REMEDIES]),
            repeat_of=f"CMP-{number - 1:07d}" if number and rng.random() < 0.2 else None,
            sla_policy=POLICY,
        )  # fmt: skip
        case = case.acknowledge(at=at).assess(at=at, severity=2, priority="normal")
        case = case.investigate(at=at).respond(at=at, remedy=rng.choice(REMEDIES))
        if rng.random() < 0.75:
            done = at + timedelta(minutes=rng.randrange(10, 10 * 24 * 60))
            case = case.accept(at=done).close(
                at=done, root_cause=rng.choice(CAUSES), corrective_action="reviewed"
            )
        yield case


def best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times, answer = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - began)
    return min(times), answer


def counts_baseline(store: SQLiteStore) -> dict[str, int]:
    with store.unit_of_work(read_only=True) as uow:
        return dict(Counter(complaint.category for complaint in uow.complaints.query()))


def counts_analysis(store: SQLiteStore) -> dict[str, int]:
    return {key: group.count for key, group in complaint_counts(store).groups.items()}


def times_baseline(store: SQLiteStore) -> tuple[float, float]:
    with store.unit_of_work(read_only=True) as uow:
        found = [complaint.resolution_time() for complaint in uow.complaints.query()]
    micros = [time // timedelta(microseconds=1) for time in found if time is not None]
    return round(percentile(micros, 50)), round(percentile(micros, 90))


def times_analysis(store: SQLiteStore) -> tuple[float, float]:
    result = resolution_times(store)
    one = timedelta(microseconds=1)
    return result.median // one, result.p90 // one


def compare(label: str, args: argparse.Namespace, store: SQLiteStore, pair: Any) -> bool:
    baseline, expected = best(args.repeat, lambda: pair[0](store))
    analysis, answer = best(args.repeat, lambda: pair[1](store))
    if answer != expected:
        print(f"{label}: the answers differ", file=sys.stderr)
        return False
    ratio = baseline / analysis
    print(f"{label:<34} baseline {baseline:8.3f} s  analysis {analysis:8.4f} s")
    print(f"{'  ratio baseline / analysis':<34} {ratio:8.1f}  (target >= {MIN_RATIO})")
    return ratio >= MIN_RATIO


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as directory:
        store = SQLiteStore(Path(directory) / "complaints.db", synchronous="normal")
        try:
            began = time.perf_counter()
            with store.unit_of_work() as uow:
                uow.complaints.add_many(complaints(rng, args.rows))
                uow.commit()
            took = time.perf_counter() - began
            print(f"{args.rows:,} complaints built and stored in {took:.1f} s")
            ok = compare("complaint_counts(by='category')", args, store,
                         (counts_baseline, counts_analysis))  # fmt: skip
            ok &= compare("resolution_times()", args, store, (times_baseline, times_analysis))
        finally:
            store.close()
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
