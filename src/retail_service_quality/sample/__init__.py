"""A seeded sample retail chain: a year of customer service, written straight into a store.

`generate` fills an empty `Store` (in memory, SQLite or PostgreSQL) with a
synthetic Hong Kong retail chain's year 2026: ten shops in three business
units, a hotline and online channels, customers with consent ledgers and
opt-outs, interactions with realistic arrival patterns and call timings,
complaints through their lifecycle, three service pledges (one revised in
July) and survey responses. The same size and seed give the same records.
The records stream into the store in bounded units of work; the chain is
never held in memory whole. `describe` gives the facts of a chain without
writing it. The [sample chain guide](../sample-chain.md) tells what is in it.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> from retail_service_quality.sample import generate
    >>> store = InMemoryStore()
    >>> chain = generate(store, size=300, seed=7)
    >>> chain.interactions, chain.timezone, str(chain.period_start), str(chain.now)
    (300, 'Asia/Hong_Kong', '2026-01-01', '2027-01-01 00:00:00+08:00')
    >>> with store.unit_of_work(read_only=True) as uow:
    ...     uow.interactions.count(), uow.pledges.count()
    (300, 3)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Final

import attrs

from retail_service_quality.customers.services import opt_out
from retail_service_quality.errors import Problems
from retail_service_quality.metrics.instruments import (
    ces_instrument,
    csat_instrument,
    nps_instrument,
)
from retail_service_quality.sample import _chain as chain
from retail_service_quality.sample._chain import SampleSize, SampleStore
from retail_service_quality.sample._generate import Batch, Draw
from retail_service_quality.storage.ports import Store, UnitOfWork

__all__ = [
    "MAX_INTERACTIONS",
    "SIZES",
    "SampleChain",
    "SampleSize",
    "SampleStore",
    "describe",
    "generate",
]

SIZES: Final = chain.SIZES
"""The named sizes and their exact interaction counts."""
MAX_INTERACTIONS: Final = chain.MAX_INTERACTIONS
"""The largest number of interactions a chain may have (ten million)."""


@attrs.frozen
class SampleChain:
    """What a sample chain holds: its counts, shops, calendar and the instant it stands at.

    No personal data: only counts, ids, names of places and times.

    Attributes:
        seed: the seed it was drawn with.
        interactions: the interactions written.
        customers: the customers written.
        complaints: the complaints written.
        survey_responses: the survey responses written.
        stores: the shops (`SampleStore`).
        timezone: the chain's time zone, ``"Asia/Hong_Kong"``.
        period_start: the first local day of the data, 2026-01-01.
        period_end: the last local day of the data, 2026-12-31.
        now: the instant the chain stands at: midnight after ``period_end``.
        retailer: the chain's (invented) name.
        business_units: each store id (the hotline's and online's too) and its business unit.

    Examples:
        >>> from retail_service_quality.sample import describe
        >>> chain = describe(size=200, seed=1)
        >>> chain.interactions, len(chain.stores), chain.business_units["HOTLINE"]
        (200, 10, 'Customer contact centre')
    """

    seed: int
    interactions: int
    customers: int
    complaints: int
    survey_responses: int
    stores: tuple[SampleStore, ...]
    timezone: str
    period_start: date
    period_end: date
    now: datetime
    retailer: str
    business_units: Mapping[str, str]

    def summary(self) -> str:
        """One line: the chain, its counts and its year.

        Examples:
            >>> from retail_service_quality.sample import describe
            >>> describe(size=200, seed=1).summary()  # doctest: +ELLIPSIS
            'Harbour Lane Stores (sample), seed 1: 10 stores, 200 interactions, ...'
        """
        return (
            f"{self.retailer}, seed {self.seed}: {len(self.stores)} stores, "
            f"{self.interactions:,} interactions, {self.customers:,} customers, "
            f"{self.complaints:,} complaints, {self.survey_responses:,} survey responses, "
            f"{self.period_start.isoformat()} to {self.period_end.isoformat()} ({self.timezone})"
        )


def _check(size: object, seed: object, progress: object, store: object, problems: Problems) -> None:
    if isinstance(size, str):
        if size not in SIZES:
            problems.add("$.size", "must be small, medium or large, or a number", "unknown_choice")
    elif not isinstance(size, int) or isinstance(size, bool):
        problems.add("$.size", "must be small, medium, large or a whole number", "type")
    elif not chain.MIN_INTERACTIONS <= size <= MAX_INTERACTIONS:
        problems.add(
            "$.size",
            f"must be from {chain.MIN_INTERACTIONS} to {MAX_INTERACTIONS:,} interactions",
            "range",
        )
    if not isinstance(seed, int) or isinstance(seed, bool):
        problems.add("$.seed", "must be a whole number", "type")
    elif not 0 <= seed < 2**63:
        problems.add("$.seed", "must be from 0 to 2**63 - 1", "range")
    if progress is not None and not callable(progress):
        problems.add("$.progress", "must be a function of (written, total) or None", "type")
    if store is not None and not callable(getattr(store, "unit_of_work", None)):
        problems.add("$.store", "must be a store (InMemoryStore, SQLiteStore, ...)", "type")


def _count(size: SampleSize | int) -> int:
    return SIZES[size] if isinstance(size, str) else size


def _facts(draw: Draw, complaints: int, responses: int) -> SampleChain:
    return SampleChain(
        seed=draw.seed,
        interactions=draw.total,
        customers=draw.customers,
        complaints=complaints,
        survey_responses=responses,
        stores=chain.STORES,
        timezone=chain.ZONE_NAME,
        period_start=chain.PERIOD_START,
        period_end=chain.PERIOD_END,
        now=chain.NOW,
        retailer=chain.RETAILER,
        business_units=dict(chain.BUSINESS_UNITS),
    )


def describe(size: SampleSize | int = "small", seed: int = 0) -> SampleChain:
    """The facts of the chain `generate` writes for a size and seed, without writing it.

    It draws the whole chain to count its complaints and responses (a large chain takes
    some seconds) but keeps none of it.

    Examples:
        >>> from retail_service_quality.sample import describe
        >>> chain = describe("small", seed=3)
        >>> chain.interactions, chain.customers, chain.complaints > 0
        (2000, 200, True)

    Raises:
        ValidationError: a bad size or seed, every problem with its path.
    """
    problems = Problems()
    _check(size, seed, None, None, problems)
    problems.raise_if_any()
    draw = Draw(_count(size), seed)
    for _ in draw.customer_batches():
        pass
    for _ in draw.interaction_batches():
        pass
    return _facts(draw, draw.complaint_number, draw.response_number)


def _is_empty(uow: UnitOfWork) -> bool:
    return not (
        uow.interactions.count()
        or uow.customers.count()
        or uow.complaints.count()
        or uow.pledges.count()
        or uow.consent.count()
        or uow.surveys.responses.count()
        or next(uow.surveys.instruments.query(), None) is not None
    )


def _write(uow: UnitOfWork, batch: Batch, draw: Draw) -> None:
    uow.customers.add_many(batch.customers)
    uow.consent.append_many(batch.consent)
    hasher = chain.hasher(draw.seed)
    for customer_id, event_id, at in batch.opt_outs:
        opt_out(
            uow, customer_id=customer_id, event_id=event_id, at=at,
            evidence="web:unsubscribe", hasher=hasher, data_kinds=["email"],
        )  # fmt: skip
    uow.interactions.add_many(batch.interactions)
    uow.complaints.add_many(batch.complaints)
    uow.surveys.responses.add_many(batch.responses)


def generate(
    store: Store,
    *,
    size: SampleSize | int = "small",
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> SampleChain:
    """Write the sample chain into an empty store; returns its facts.

    ``size`` is ``"small"`` (2,000 interactions), ``"medium"`` (100,000),
    ``"large"`` (1,000,000) or any number of interactions from 100 to
    `MAX_INTERACTIONS`; the chain has exactly that many. Customers are a tenth
    of that (from 20 up to 50,000); complaints about 1.5% and survey responses
    about 4% of the interactions. The same size and seed write the same
    records, on every adapter. The wall clock is never read: the chain stands
    at `SampleChain.now`.

    The records go in one unit of work per batch (customers 5,000 at a time,
    interactions at least 10,000 at a time, at most about 200 batches), each
    committed; ``progress``, if given, is called after each interaction batch
    with the interactions written so far and the total. A store that already
    holds records is refused before anything is written.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> from retail_service_quality.sample import generate
        >>> seen = []
        >>> with SQLiteStore(":memory:") as store:
        ...     chain = generate(store, size=500, seed=1, progress=lambda n, total: seen.append(n))
        ...     generate(store, size=500)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.store: must be empty: it holds records
        >>> seen, chain.customers
        ([500], 50)

    Raises:
        ValidationError: a bad argument, every problem with its path; a store that is
            not empty.
        StorageError: the store could not be read or written.
    """
    problems = Problems()
    if store is None:
        problems.add("$.store", "must be a store (InMemoryStore, SQLiteStore, ...)", "type")
    _check(size, seed, progress, store, problems)
    if not any(problem.path == "$.store" for problem in problems):
        # A store that holds records is a problem of the same round as the arguments'.
        with store.unit_of_work(read_only=True) as uow:
            if not _is_empty(uow):
                problems.add("$.store", "must be empty: it holds records", "invalid")
    problems.raise_if_any()
    draw = Draw(_count(size), seed)
    with store.unit_of_work() as uow:
        uow.pledges.add_many(chain.pledges())
        for instrument in (csat_instrument(), nps_instrument(), ces_instrument()):
            uow.surveys.instruments.add(instrument)
        uow.commit()
    for batch in draw.customer_batches():
        with store.unit_of_work() as uow:
            _write(uow, batch, draw)
            uow.commit()
    written = complaints = responses = 0
    for batch in draw.interaction_batches():
        with store.unit_of_work() as uow:
            _write(uow, batch, draw)
            uow.commit()
        written += len(batch.interactions)
        complaints += len(batch.complaints)
        responses += len(batch.responses)
        if progress is not None:
            progress(written, draw.total)
    return _facts(draw, complaints, responses)
