"""The storage port: what the domain needs from a database, as `typing.Protocol`s.

A `Store` hands out units of work. A `UnitOfWork` is a context manager over
one transaction: it commits only when `UnitOfWork.commit` is called and rolls
back otherwise (on leaving the block, on an exception, or on
`UnitOfWork.rollback`). Inside it, one repository per aggregate adds, reads,
saves and queries records.

Saving is optimistic: every record carries a ``version``; `save` succeeds
only if the stored version is the one the caller read, and returns the
record with its version incremented. Two clerks editing one case never
silently overwrite each other: the second save raises `ConflictError`.

The library ships two adapters, `InMemoryStore` and `SQLiteStore`; an
embedder can write one for their own database and prove it behaves the same
with the contract suite in `retail_service_quality.testing.contract`.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import Customer, InMemoryStore
    >>> store = InMemoryStore()
    >>> with store.unit_of_work() as uow:
    ...     uow.customers.add(
    ...         Customer(id="C-1", name="Lee", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    ...     )
    ...     uow.commit()
    >>> with store.unit_of_work() as uow:
    ...     uow.customers.get("C-1").version
    1
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Literal, Protocol, Self, runtime_checkable

import attrs

from retail_service_quality._validation import check_aware, check_enum, check_id, lenient_enum
from retail_service_quality.customers import Customer
from retail_service_quality.errors import Problems
from retail_service_quality.interactions import Channel, InteractionStatus, ServiceInteraction

__all__ = [
    "Clock",
    "CustomerQuery",
    "CustomerRepository",
    "GroupBy",
    "InteractionQuery",
    "InteractionRepository",
    "InteractionSummary",
    "Period",
    "Store",
    "UnitOfWork",
]

Period = Literal["day", "week", "month"]
"""How `InteractionRepository.summarize` buckets time: local day, ISO week or month."""

GroupBy = Literal["period", "store", "channel"]
"""What `InteractionRepository.summarize` can group by."""


def _optional_channel(value: Channel | str | None) -> Channel | None:
    return lenient_enum(Channel, value)


def _optional_status(value: InteractionStatus | str | None) -> InteractionStatus | None:
    return lenient_enum(InteractionStatus, value)


def _check_range(start: object, end: object, problems: Problems) -> None:
    if start is not None:
        check_aware(start, "$.start", problems)
    if end is not None:
        check_aware(end, "$.end", problems)
    if isinstance(start, datetime) and isinstance(end, datetime) and not problems and end < start:
        problems.add("$.end", "must not be before start")


@attrs.frozen(kw_only=True)
class InteractionQuery:
    """Which interactions a query selects; every given criterion must hold.

    ``start`` is inclusive and ``end`` exclusive, both timezone-aware.

    Examples:
        >>> from datetime import datetime, timezone
        >>> query = InteractionQuery(store_id="HK-CWB", channel="hotline")
        >>> query.channel
        <Channel.HOTLINE: 'hotline'>

    Raises:
        ValidationError: every problem, with its path.
    """

    start: datetime | None = None
    end: datetime | None = None
    store_id: str | None = None
    channel: Channel | None = attrs.field(default=None, converter=_optional_channel)
    customer_id: str | None = None
    status: InteractionStatus | None = attrs.field(default=None, converter=_optional_status)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_range(self.start, self.end, problems)
        check_id(self.store_id, "$.store_id", problems, optional=True)
        if self.channel is not None:
            check_enum(self.channel, Channel, "$.channel", problems)
        check_id(self.customer_id, "$.customer_id", problems, optional=True)
        if self.status is not None:
            check_enum(self.status, InteractionStatus, "$.status", problems)
        problems.raise_if_any()

    def matches(self, interaction: ServiceInteraction) -> bool:
        """Whether an interaction meets every criterion.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality import ServiceInteraction
            >>> contact = ServiceInteraction(id="I-1", store_id="S1", channel="fax",
            ...     occurred_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> InteractionQuery(channel="fax").matches(contact)
            True
        """
        return (
            (self.start is None or interaction.occurred_at >= self.start)
            and (self.end is None or interaction.occurred_at < self.end)
            and (self.store_id is None or interaction.store_id == self.store_id)
            and (self.channel is None or interaction.channel is self.channel)
            and (self.customer_id is None or interaction.customer_id == self.customer_id)
            and (self.status is None or interaction.status is self.status)
        )


@attrs.frozen(kw_only=True)
class CustomerQuery:
    """Which customers a query selects; ``created_from`` inclusive, ``created_to`` exclusive.

    Examples:
        >>> CustomerQuery(tier="vip").tier
        'vip'

    Raises:
        ValidationError: every problem, with its path.
    """

    home_store_id: str | None = None
    tier: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.home_store_id, "$.home_store_id", problems, optional=True)
        check_id(self.tier, "$.tier", problems, optional=True)
        if self.created_from is not None:
            check_aware(self.created_from, "$.created_from", problems)
        if self.created_to is not None:
            check_aware(self.created_to, "$.created_to", problems)
        problems.raise_if_any()

    def matches(self, customer: Customer) -> bool:
        """Whether a customer meets every criterion.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality import Customer
            >>> customer = Customer(id="C-9", name="Ho", tier="vip",
            ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> CustomerQuery(tier="vip").matches(customer)
            True
        """
        return (
            (self.home_store_id is None or customer.home_store_id == self.home_store_id)
            and (self.tier is None or customer.tier == self.tier)
            and (self.created_from is None or customer.created_at >= self.created_from)
            and (self.created_to is None or customer.created_at < self.created_to)
        )


@attrs.frozen(kw_only=True)
class InteractionSummary:
    """Counts and handle-time sums of one group of interactions.

    A key that was not grouped by is ``None``. ``handled`` counts the
    interactions with a recorded handle time, so average handle time is
    ``handle_time / handled``.

    Examples:
        >>> from datetime import date, timedelta
        >>> row = InteractionSummary(period=date(2026, 11, 2), store_id="S1", channel=None,
        ...     count=40, handled=38, handle_time=timedelta(hours=3, minutes=10))
        >>> row.average_handle_time
        datetime.timedelta(seconds=300)
    """

    period: date | None
    store_id: str | None
    channel: Channel | None
    count: int
    handled: int
    handle_time: timedelta

    @property
    def average_handle_time(self) -> timedelta | None:
        """``handle_time / handled``, or ``None`` when no handle time was recorded.

        Examples:
            >>> from datetime import timedelta
            >>> InteractionSummary(period=None, store_id=None, channel=None, count=3,
            ...     handled=0, handle_time=timedelta(0)).average_handle_time is None
            True
        """
        return self.handle_time / self.handled if self.handled else None


@runtime_checkable
class CustomerRepository(Protocol):
    """Customers in one unit of work.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     isinstance(uow.customers, CustomerRepository)
        True
    """

    def add(self, customer: Customer) -> None:
        """Add a new customer. Raises `ConflictError` if the id exists."""

    def add_many(self, customers: Iterable[Customer]) -> int:
        """Add many new customers at once; returns how many. All or none on error."""

    def get(self, id: str) -> Customer:
        """The customer with that id. Raises `NotFoundError`."""

    def save(self, customer: Customer) -> Customer:
        """Store a changed customer read at ``customer.version``; returns it at the next version.

        Raises `ConflictError` if the stored version differs (someone saved first) and
        `NotFoundError` if there is no such customer.
        """

    def query(self, query: CustomerQuery | None = None) -> Iterator[Customer]:
        """Stream the customers that match, ordered by id."""

    def count(self, query: CustomerQuery | None = None) -> int:
        """How many customers match."""


@runtime_checkable
class InteractionRepository(Protocol):
    """Service interactions in one unit of work.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> with SQLiteStore(":memory:") as store, store.unit_of_work() as uow:
        ...     isinstance(uow.interactions, InteractionRepository)
        True
    """

    def add(self, interaction: ServiceInteraction) -> None:
        """Add a new interaction. Raises `ConflictError` if the id exists and
        `NotFoundError` if it names a customer that does not exist."""

    def add_many(self, interactions: Iterable[ServiceInteraction]) -> int:
        """Add many new interactions at once; returns how many. All or none on error."""

    def get(self, id: str) -> ServiceInteraction:
        """The interaction with that id. Raises `NotFoundError`."""

    def save(self, interaction: ServiceInteraction) -> ServiceInteraction:
        """Store a changed interaction read at its ``version``; returns it at the next version."""

    def query(self, query: InteractionQuery | None = None) -> Iterator[ServiceInteraction]:
        """Stream the interactions that match, ordered by time, then id."""

    def count(self, query: InteractionQuery | None = None) -> int:
        """How many interactions match."""

    def summarize(
        self,
        query: InteractionQuery | None = None,
        *,
        group_by: Sequence[GroupBy] = ("period",),
        period: Period = "day",
        utc_offset: timedelta = timedelta(0),
        timezone: str | None = None,
    ) -> list[InteractionSummary]:
        """Counts and handle-time sums grouped by period, store and/or channel.

        Periods are read at ``utc_offset`` from UTC, or, with ``timezone`` (an
        IANA name), in that zone's local time, daylight saving included. Rows
        come ordered by their keys.
        """

    def handle_times(self, query: InteractionQuery | None = None) -> Iterator[timedelta]:
        """The recorded handle times of the matching interactions, smallest first."""


class UnitOfWork(Protocol):
    """One transaction: commits only on `commit`, rolls back otherwise.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> def customers_on_file(store: Store) -> int:
        ...     with store.unit_of_work(read_only=True) as uow:
        ...         return uow.customers.count()
        >>> customers_on_file(InMemoryStore())
        0
    """

    @property
    def customers(self) -> CustomerRepository:
        """The customers repository of this unit of work."""

    @property
    def interactions(self) -> InteractionRepository:
        """The service interactions repository of this unit of work."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make every change since the last commit durable."""

    def rollback(self) -> None:
        """Discard every change since the last commit."""


class Store(Protocol):
    """A place where the library's records live.

    Examples:
        >>> from retail_service_quality import InMemoryStore, SQLiteStore
        >>> stores: list[Store] = [InMemoryStore(), SQLiteStore(":memory:")]
        >>> for store in stores:
        ...     store.close()
    """

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as a context manager.

        A ``read_only`` unit of work refuses to add or save (`StorageError`); a
        database adapter reads a consistent snapshot without blocking writers.
        """

    def close(self) -> None:
        """Release the store's resources (connections, files)."""


class Clock(Protocol):
    """Where the domain gets the time: injected, never ``datetime.now()`` inside the domain.

    Examples:
        >>> from datetime import datetime, timezone
        >>> class FixedClock:
        ...     def now(self) -> datetime:
        ...         return datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
        >>> clock: Clock = FixedClock()
        >>> clock.now().isoformat()
        '2026-11-22T09:00:00+00:00'
    """

    def now(self) -> datetime:
        """The current time, timezone-aware."""
