"""A seeded sample retail chain, written straight into a store (a minimal version).

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> from retail_service_quality.sample import generate
    >>> generate(InMemoryStore(), size=100, seed=1).interactions
    100
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality.customers import Customer
from retail_service_quality.errors import Problem, ValidationError
from retail_service_quality.service import ServiceInteraction
from retail_service_quality.storage.ports import Store

SampleSize = Literal["small", "medium", "large"]

_SIZES: Mapping[str, int] = {"small": 2_000, "medium": 100_000, "large": 1_000_000}
_ZONE = "Asia/Hong_Kong"
_START = date(2026, 1, 1)
_END = date(2026, 12, 31)
_CHUNK = 1_000


@attrs.frozen
class SampleStore:
    """One store of the chain.

    Examples:
        >>> SampleStore("HK-1", "Central", "large", "10:00", "22:00", "Island").name
        'Central'
    """

    id: str
    name: str
    size: str
    opens: str
    closes: str
    business_unit: str


_STORES = (
    SampleStore("HK-CWB", "Causeway Bay", "large", "10:00", "22:00", "Island"),
    SampleStore("HK-MK", "Mong Kok", "medium", "11:00", "23:00", "Kowloon"),
    SampleStore("HK-ST", "Sha Tin", "small", "10:00", "21:00", "New Territories"),
)


@attrs.frozen
class SampleChain:
    """What was generated: the facts a report needs, no personal data.

    Examples:
        >>> describe(100).interactions
        100
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
        """One line, for the command line.

        Examples:
            >>> describe(100).summary()
            'Harbour Retail: 3 stores, 100 interactions, 10 customers (seed 0)'
        """
        return (
            f"{self.retailer}: {len(self.stores)} stores, {self.interactions:,} interactions, "
            f"{self.customers:,} customers (seed {self.seed})"
        )


def _count(size: object) -> int:
    if isinstance(size, str) and size in _SIZES:
        return _SIZES[size]
    if isinstance(size, int) and not isinstance(size, bool) and 100 <= size <= 10_000_000:
        return size
    raise ValidationError(
        [Problem("$.size", "must be 'small', 'medium', 'large' or an int >= 100", "unknown_choice")]
    )


def describe(size: SampleSize | int = "small", seed: int = 0) -> SampleChain:
    """The facts of the chain ``generate`` writes, without writing it.

    Examples:
        >>> describe("small").period_end
        datetime.date(2026, 12, 31)
    """
    count = _count(size)
    return SampleChain(
        seed=seed,
        interactions=count,
        customers=max(count // 10, 1),
        complaints=0,
        survey_responses=0,
        stores=_STORES,
        timezone=_ZONE,
        period_start=_START,
        period_end=_END,
        now=datetime.combine(_END + timedelta(days=1), datetime.min.time(), ZoneInfo(_ZONE)),
        retailer="Harbour Retail",
        business_units={store.id: store.business_unit for store in _STORES},
    )


def generate(
    store: Store,
    *,
    size: SampleSize | int = "small",
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> SampleChain:
    """Write the chain into an empty store.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> generate(InMemoryStore(), size=100).customers
        10
    """
    chain = describe(size, seed)
    with store.unit_of_work() as uow:
        if uow.interactions.count() or uow.customers.count():
            raise ValidationError([Problem("$.store", "must be empty", "inconsistent")])
    zone = ZoneInfo(_ZONE)
    created = datetime(2025, 12, 1, tzinfo=zone)
    with store.unit_of_work() as uow:
        uow.customers.add_many(
            Customer(id=f"C-{n:07d}", created_at=created) for n in range(chain.customers)
        )
        uow.commit()
    rng = random.Random(seed)
    minutes = ((_END - _START).days + 1) * 24 * 60
    begin = datetime.combine(_START, datetime.min.time(), zone)

    def interactions(first: int, last: int) -> Iterator[ServiceInteraction]:
        for n in range(first, last):
            yield ServiceInteraction(
                id=f"I-{n:08d}",
                store_id=_STORES[n % len(_STORES)].id,
                channel="meeting",
                occurred_at=begin + timedelta(minutes=rng.randrange(minutes)),
                status="resolved",
            )

    written = 0
    while written < chain.interactions:
        last = min(written + _CHUNK, chain.interactions)
        with store.unit_of_work() as uow:
            uow.interactions.add_many(interactions(written, last))
            uow.commit()
        written = last
        if progress is not None:
            progress(written, chain.interactions)
    return chain
