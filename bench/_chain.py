"""What the interaction benchmarks share: a year of calls in a `SQLiteStore` file, written fast.

`fill` writes N interactions over 2026 in Asia/Hong_Kong, a dozen stores, 90%
of them inbound hotline calls (the rest email and outbound calls), queue times
from 0 to 90 seconds, 6% abandoned, 2% without a queue time. They are written
with raw ``executemany`` of the rows the adapter itself would write (built from
one adapter row as a template), into a file `SQLiteStore` created, so it
carries the library's schema. A benchmark that needs more columns filled
passes ``more``, called on each row after the shared columns are drawn, so the
shared columns come out the same for the same seed either way.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from time import perf_counter
from typing import Any, Final
from zoneinfo import ZoneInfo

from retail_service_quality import ServiceInteraction, SQLiteStore
from retail_service_quality.storage.sqlite._interactions import COLUMNS, interaction_row

ZONE_NAME: Final = "Asia/Hong_Kong"
ZONE: Final = ZoneInfo(ZONE_NAME)
YEAR_START: Final = datetime(2026, 1, 1, tzinfo=ZONE)
YEAR_END: Final = datetime(2027, 1, 1, tzinfo=ZONE)
YEAR_SECONDS: Final = 365 * 86_400
STORES: Final = tuple(
    f"HK-{name}"
    for name in ("CWB", "TST", "MK", "CEN", "ADM", "SHA", "TKO", "TW", "YL", "KT", "ST", "TM")
)
CHUNK: Final = 100_000
US: Final = 1_000_000
INDEX: Final[Mapping[str, int]] = {name: number for number, name in enumerate(COLUMNS)}
"""Each adapter column's position in a row."""

More = Callable[[list[Any], random.Random], None]
"""Fills more columns of a row (positions in `INDEX`), drawing from the generator given."""


def fill(path: str, rows: int, seed: int, more: More | None = None) -> None:
    """``rows`` interactions, written as the adapter's own rows with raw ``executemany``."""
    with SQLiteStore(path):
        pass  # the file, with the library's schema
    template = list(
        interaction_row(
            ServiceInteraction(
                id="I-0", store_id=STORES[0], channel="hotline", occurred_at=YEAR_START,
                queue_time=timedelta(seconds=1), handle_time=timedelta(minutes=4),
            )
        )
    )  # fmt: skip
    index = INDEX
    first = int(YEAR_START.timestamp()) * US
    rng = random.Random(seed)
    marks = ", ".join("?" for _ in COLUMNS)
    sql = f"INSERT INTO interactions ({', '.join(COLUMNS)}) VALUES ({marks})"
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -262144")  # 256 MiB: the indexes stay cached
        for low in range(0, rows, CHUNK):
            batch = []
            for number in range(low, min(low + CHUNK, rows)):
                row = template.copy()
                kind = rng.random()
                row[index["id"]] = f"I-{number:08d}"
                row[index["store_id"]] = rng.choice(STORES)
                row[index["occurred_us"]] = first + rng.randrange(YEAR_SECONDS) * US
                row[index["channel"]] = "email" if kind < 0.05 else "hotline"
                row[index["direction"]] = "outbound" if 0.05 <= kind < 0.1 else "inbound"
                row[index["customer_id"]] = None
                row[index["abandoned"]] = 1 if rng.random() < 0.06 else 0
                row[index["queue_us"]] = (
                    None if rng.random() < 0.02 else rng.randrange(0, 90 * US, 250_000)
                )
                if more is not None:
                    more(row, rng)
                batch.append(tuple(row))
            connection.execute("BEGIN")
            connection.executemany(sql, batch)
            connection.execute("COMMIT")
    finally:
        connection.close()


def best(run: Callable[[str], tuple[float, Any]], path: str, repeat: int) -> tuple[float, Any]:
    """The shortest time of ``repeat`` runs of ``run(path)``, with the last run's answer."""
    times = []
    answer: Any = None
    for _ in range(repeat):
        took, answer = run(path)
        times.append(took)
    return min(times), answer


def timed_fill(path: str, rows: int, seed: int, more: More | None = None) -> None:
    """`fill`, printing how long it took."""
    start = perf_counter()
    fill(path, rows, seed, more)
    print(f"filled {rows:,} interactions in {perf_counter() - start:.1f} s")
