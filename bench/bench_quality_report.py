"""Benchmark the quality report on a SQLite file of a year, against pandas counting the volumes.

What it measures: ``quality_report(store, period_start=2026-01-01,
period_end=2026-12-31, timezone="Asia/Hong_Kong")`` over a `SQLiteStore`
file holding N interactions (`_chain.fill`: a dozen stores, 90% inbound
hotline calls), two pledges (an answer time and a resolution time), C
complaints over the year with an SLA policy (most closed, with a root
cause; some repeats; some open) and K customers, half of them with
own-marketing consent and some of those opted out again.

- the library: the whole report (every section), in a fresh process whose
  peak resident memory (``ru_maxrss``) is taken before the baseline runs;
- the baseline: pandas ``read_sql`` of the columns the volumes need over the
  same period, then the counts by channel, store and ISO week of the local
  date: one section of the report. Its counts are compared with the report's.

Reported: the report's time and peak memory, the baseline's time and the
ratio baseline / report (how many times the baseline's time the whole report
takes is its inverse). Targets: the report under 30 s and 150 MB on 1,000,000
interactions.

Run it from the project root::

    pip install -e '.[bench]'
    python bench/bench_quality_report.py [--rows N] [--complaints C] [--customers K] [--check]

Defaults: N = 1,000,000, C = 5,000, K = 20,000. ``--check`` exits with status 1 when a
target is missed or the counts differ. The file lives in a temporary directory, removed at
the end; it is filled in a child process so that the filling's memory is not counted.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any, Final

from _chain import STORES, US, YEAR_START, ZONE, ZONE_NAME, timed_fill

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    Customer,
    PledgeScope,
    PledgeStandard,
    ServicePledge,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    quality_report,
)
from retail_service_quality.customers.consent import ConsentGiven, NoticeServed, OptedOut

TIME_TARGET: Final = 30.0
MEMORY_TARGET_MB: Final = 150.0
CAUSES: Final = ("double_charge", "carrier_delay", "stock_out", "rude_staff", "typo", "other")
CATEGORIES: Final = ("billing", "late_delivery", "product_quality", "staff")


def _more(path: str, complaints: int, customers: int, seed: int) -> None:
    """The pledges, complaints, customers and consent, written with the store's own API."""
    rng = random.Random(seed + 1)
    desk = BusinessCalendar.weekdays("09:00", "18:00", timezone=ZONE_NAME)
    policy = SlaPolicy(
        id="standard",
        calendar=desk,
        targets=[
            SlaTarget("acknowledgement", business_time=timedelta(hours=4)),
            SlaTarget("resolution", working_days=5),
        ],
    )
    pledges = [
        ServicePledge.create(
            id="hotline-answer", effective_from=YEAR_START, target_share=0.8,
            wording="We answer 80% of hotline calls within 30 seconds.",
            standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
            scope=PledgeScope(channels=["hotline"]), calendar=desk,
        ),
        ServicePledge.create(
            id="complaint-resolution", effective_from=YEAR_START, target_share=0.9,
            wording="We resolve 90% of complaints within 5 working days.",
            standard=PledgeStandard("resolution", working_days=5), calendar=desk,
        ),
    ]  # fmt: skip

    def complaint(number: int) -> Complaint:
        at = YEAR_START + timedelta(seconds=rng.randrange(360 * 86_400))
        case = Complaint.receive(
            id=f"CMP-{number:06d}", at=at, channel=rng.choice(["email", "hotline"]),
            store_id=rng.choice(STORES), category=rng.choice(CATEGORIES), sla_policy=policy,
            repeat_of=f"CMP-{number - 1:06d}" if number and rng.random() < 0.05 else None,
        )  # fmt: skip
        if rng.random() < 0.03:
            return case
        step = at + timedelta(hours=rng.choice([1, 2, 30]))
        case = case.acknowledge(at=step)
        if rng.random() < 0.05:
            return case
        done = step + timedelta(hours=rng.choice([2, 20, 60, 200]))
        return (
            case.assess(at=step, severity=2, priority="normal")
            .investigate(at=step)
            .respond(at=step, remedy="apology")
            .accept(at=done)
            .close(at=done, root_cause=rng.choice(CAUSES), corrective_action="reviewed")
        )

    created = datetime(2025, 6, 1, tzinfo=UTC)
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.pledges.add_many(pledges)
        uow.complaints.add_many(complaint(number) for number in range(complaints))
        uow.customers.add_many(
            Customer(id=f"C-{n:06d}", created_at=created, home_store_id=rng.choice(STORES))
            for n in range(customers)
        )
        events: list[Any] = []
        for n in range(0, customers, 2):
            id = f"C-{n:06d}"
            events += [
                NoticeServed(
                    event_id=f"N-{id}", customer_id=id, at=created, evidence="form:F-1",
                    notice_version="2025-06", data_kinds=["email"],
                    marketing_classes=["cosmetics"],
                ),
                ConsentGiven(
                    event_id=f"G-{id}", customer_id=id, at=created, evidence="form:F-1",
                    method="written", scope="own_marketing", data_kinds=["email"],
                    marketing_classes=["cosmetics"], notice_version="2025-06", explicit=True,
                ),
            ]  # fmt: skip
            if n % 10 == 0:
                events.append(
                    OptedOut(event_id=f"O-{id}", customer_id=id, at=YEAR_START, evidence="email")
                )
        uow.consent.append_many(events)
        uow.commit()


def _baseline(path: str) -> tuple[float, dict[str, int]]:
    import pandas as pd

    began = perf_counter()
    start = int(YEAR_START.timestamp()) * US
    end = int(datetime(2027, 1, 1, tzinfo=ZONE).timestamp()) * US
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        frame = pd.read_sql(
            "SELECT store_id, channel, occurred_us FROM interactions "
            "WHERE occurred_us >= ? AND occurred_us < ?",
            connection,
            params=(start, end),
        )
    local = pd.to_datetime(frame["occurred_us"], unit="us", utc=True).dt.tz_convert(ZONE_NAME)
    iso = local.dt.isocalendar()
    weeks = frame.groupby([iso["year"], iso["week"]]).size()
    channels = frame.groupby("channel").size()
    stores = frame.groupby("store_id").size()
    took = perf_counter() - began
    return took, {
        "total": len(frame),
        "weeks": len(weeks),
        "channels": int(channels.sum()),
        "stores": int(stores.sum()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--complaints", type=int, default=5_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--fill", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.fill:  # the child: fill the file and leave
        timed_fill(arguments.fill, arguments.rows, arguments.seed)
        _more(arguments.fill, arguments.complaints, arguments.customers, arguments.seed)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "quality.db")
        subprocess.run(
            [sys.executable, __file__, "--fill", path, "--rows", str(arguments.rows),
             "--complaints", str(arguments.complaints), "--customers",
             str(arguments.customers), "--seed", str(arguments.seed)],
            check=True,
        )  # fmt: skip
        before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with SQLiteStore(path) as store:
            began = perf_counter()
            report = quality_report(
                store, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                timezone=ZONE_NAME,
            )  # fmt: skip
            took = perf_counter() - began
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        baseline, counts = _baseline(path)
    interactions = report.interactions
    same = counts == {
        "total": interactions.total,
        "weeks": len(interactions.by_week),
        "channels": sum(volume.count for volume in interactions.by_channel),
        "stores": sum(volume.count for volume in interactions.by_store),
    }
    print(f"rows={arguments.rows:,} complaints={arguments.complaints:,} "
          f"customers={arguments.customers:,}")  # fmt: skip
    print(f"summary: {report.summary}")
    print(f"quality_report: {took:.2f} s, peak RSS {peak_mb:.0f} MB "
          f"({before_mb:.0f} MB before the report)")  # fmt: skip
    print(f"baseline (pandas read_sql + volume counts only): {baseline:.2f} s")
    print(f"ratio baseline / report: {baseline / took:.2f}; volume counts agree: {same}")
    ok = same and took < TIME_TARGET and peak_mb < MEMORY_TARGET_MB
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok or not arguments.check else 1


if __name__ == "__main__":
    sys.exit(main())
