"""The in-memory adapter: the storage port in a process's memory, for tests and notebooks.

It behaves like `SQLiteStore` in everything the port promises (rollback
unless committed, optimistic concurrency, all-or-none bulk loads, query
order), so code tested against it behaves the same on a database. Records
are immutable values, so the store keeps them as they are, without copies.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import Customer, InMemoryStore
    >>> store = InMemoryStore()
    >>> with store.unit_of_work() as uow:
    ...     uow.customers.add(
    ...         Customer(id="C-1", name="Lee", created_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    ...     )
    ...     # no commit: rolled back on leaving the block
    >>> with store.unit_of_work() as uow:
    ...     uow.customers.count()
    0
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, timedelta
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs

from retail_service_quality.customers import Customer
from retail_service_quality.errors import ConflictError, NotFoundError
from retail_service_quality.service.interactions import Channel, ServiceInteraction
from retail_service_quality.storage._common import (
    UnitOfWorkState,
    check_summary_arguments,
    period_start,
    summary_order,
)
from retail_service_quality.storage.ports import (
    CustomerQuery,
    GroupBy,
    InteractionQuery,
    InteractionSummary,
    Period,
    UnitOfWork,
)

__all__ = ["InMemoryStore"]

R = TypeVar("R", Customer, ServiceInteraction)
Q = TypeVar("Q", CustomerQuery, InteractionQuery)
T = TypeVar("T")


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


class _Table(Generic[R]):
    """One kind of record in a unit of work: the committed records plus pending changes."""

    def __init__(self, kind: str, committed: dict[str, R], uow: _MemoryUnitOfWork) -> None:
        self._kind = kind
        self._committed: dict[str, R] = committed
        self._uow = uow
        self.pending: dict[str, R] = {}
        # The committed version each pending record was based on (None: new in this unit).
        self.based_on: dict[str, int | None] = {}

    def lookup(self, record_id: str) -> R | None:
        if record_id in self.pending:
            return self.pending[record_id]
        return self._committed.get(record_id)

    def view(self) -> dict[str, R]:
        return {**self._committed, **self.pending}

    def check_new(
        self, records: Sequence[R], check: Callable[[R], None] = lambda record: None
    ) -> None:
        """Check a batch row by row, in order: the first bad row decides the error."""
        seen: set[str] = set()
        for record in records:
            if record.id in seen or self.lookup(record.id) is not None:
                raise ConflictError(f"{_article(self._kind)} with id {record.id!r} already exists")
            check(record)
            seen.add(record.id)

    def put_new(self, records: Sequence[R]) -> None:
        for record in records:
            self.pending[record.id] = record
            self.based_on[record.id] = None

    def get(self, record_id: str) -> R:
        self._uow.check_active()
        found = self.lookup(record_id)
        if found is None:
            raise NotFoundError(f"no {self._kind} with id {record_id!r}")
        return found

    def save(self, record: R, check: Callable[[R], None] = lambda record: None) -> R:
        self._uow.check_writable()
        current = self.lookup(record.id)
        if current is None:
            raise NotFoundError(f"no {self._kind} with id {record.id!r}")
        if current.version != record.version:
            raise ConflictError(
                f"the {self._kind} {record.id!r} was saved by someone else "
                f"(stored version {current.version}, this one {record.version})"
            )
        check(record)
        saved = attrs.evolve(record, version=record.version + 1)
        if record.id not in self.based_on:
            committed = self._committed.get(record.id)
            self.based_on[record.id] = None if committed is None else committed.version
        self.pending[record.id] = saved
        return saved

    def check_commit(self) -> None:
        for record_id, base in self.based_on.items():
            committed = self._committed.get(record_id)
            if base is None and committed is not None:
                raise ConflictError(f"{_article(self._kind)} with id {record_id!r} already exists")
            if base is not None and (committed is None or committed.version != base):
                raise ConflictError(f"the {self._kind} {record_id!r} was saved by someone else")

    def apply(self) -> None:
        self._committed.update(self.pending)
        self.discard()

    def discard(self) -> None:
        self.pending = {}
        self.based_on = {}


def _no_check(record: object) -> None:
    """Records of this kind refer to nothing that must exist."""


class _Repository(Generic[R, Q]):
    """One kind of record in a unit of work: the port's methods over a `_Table`."""

    def __init__(
        self,
        table: _Table[R],
        uow: _MemoryUnitOfWork,
        make_query: Callable[[], Q],
        order: Callable[[R], Any],
        check: Callable[[R], None] = _no_check,
    ) -> None:
        self._table: _Table[R] = table
        self._uow = uow
        self._make_query: Callable[[], Q] = make_query
        self._order: Callable[[R], Any] = order
        self._check: Callable[[R], None] = check

    def add(self, record: R) -> None:
        self.add_many([record])

    def add_many(self, records: Iterable[R]) -> int:
        self._uow.check_writable()
        batch = list(records)
        self._table.check_new(batch, self._check)
        self._table.put_new(batch)
        return len(batch)

    def get(self, id: str) -> R:
        return self._table.get(id)

    def save(self, record: R) -> R:
        return self._table.save(record, self._check)

    def _selected(self, query: Q | None) -> list[R]:
        self._uow.check_active()
        selected = query if query is not None else self._make_query()
        found = [r for r in self._table.view().values() if selected.matches(r)]  # type: ignore[arg-type]
        found.sort(key=self._order)
        return found

    def query(self, query: Q | None = None) -> Iterator[R]:
        return self._uow.stream(self._selected(query))

    def count(self, query: Q | None = None) -> int:
        return len(self._selected(query))


class _Customers(_Repository[Customer, CustomerQuery]):
    def __init__(self, table: _Table[Customer], uow: _MemoryUnitOfWork) -> None:
        super().__init__(table, uow, CustomerQuery, lambda c: c.id)


class _Interactions(_Repository[ServiceInteraction, InteractionQuery]):
    def __init__(
        self,
        table: _Table[ServiceInteraction],
        customers: _Table[Customer],
        uow: _MemoryUnitOfWork,
    ) -> None:
        super().__init__(
            table,
            uow,
            InteractionQuery,
            lambda i: (i.occurred_at.astimezone(UTC), i.id),
            self._check_customer,
        )
        self._customers = customers

    def _check_customer(self, interaction: ServiceInteraction) -> None:
        customer_id = interaction.customer_id
        if customer_id is not None and self._customers.lookup(customer_id) is None:
            raise NotFoundError(
                f"interaction {interaction.id!r} names a customer that does not exist"
            )

    def summarize(
        self,
        query: InteractionQuery | None = None,
        *,
        group_by: Sequence[GroupBy] = ("period",),
        period: Period = "day",
        utc_offset: timedelta = timedelta(0),
        timezone: str | None = None,
    ) -> list[InteractionSummary]:
        zone = check_summary_arguments(group_by, period, utc_offset, timezone)
        groups: dict[tuple[date | None, str | None, Channel | None], list[int]] = defaultdict(
            lambda: [0, 0, 0]
        )
        for interaction in self._selected(query):
            key = (
                period_start(interaction.occurred_at, period, zone)
                if "period" in group_by
                else None,
                interaction.store_id if "store" in group_by else None,
                interaction.channel if "channel" in group_by else None,
            )
            totals = groups[key]
            totals[0] += 1
            if interaction.handle_time is not None:
                totals[1] += 1
                totals[2] += interaction.handle_time // timedelta(microseconds=1)
        return [
            InteractionSummary(
                period=key[0],
                store_id=key[1],
                channel=key[2],
                count=totals[0],
                handled=totals[1],
                handle_time=timedelta(microseconds=totals[2]),
            )
            for key, totals in sorted(groups.items(), key=lambda item: summary_order(item[0]))
        ]

    def handle_times(self, query: InteractionQuery | None = None) -> Iterator[timedelta]:
        return self._uow.stream(
            sorted(i.handle_time for i in self._selected(query) if i.handle_time is not None)
        )


class _MemoryUnitOfWork(UnitOfWorkState):
    def __init__(self, store: InMemoryStore, *, read_only: bool = False) -> None:
        super().__init__(store._local, read_only=read_only)
        self._store = store
        self._customer_table = _Table[Customer]("customer", store._customers, self)
        self._interaction_table = _Table[ServiceInteraction](
            "interaction", store._interactions, self
        )
        self.customers = _Customers(self._customer_table, self)
        self.interactions = _Interactions(self._interaction_table, self._customer_table, self)

    def stream(self, items: Iterable[T]) -> Iterator[T]:
        """Yield results while the unit of work is active, like a database cursor."""
        self.check_active()
        for item in items:
            self.check_active()
            yield item

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()
        self._end()

    def _tables(self) -> tuple[_Table[Customer], _Table[ServiceInteraction]]:
        return self._customer_table, self._interaction_table

    def commit(self) -> None:
        self.check_active()
        with self._store._lock:
            try:
                for table in self._tables():
                    table.check_commit()
            except ConflictError:
                self.rollback()
                raise
            for table in self._tables():
                table.apply()

    def rollback(self) -> None:
        for table in self._tables():
            table.discard()


class InMemoryStore:
    """The storage port in memory. Thread-safe; nothing survives the process.

    Examples:
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.interactions.count()
        0
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._local = threading.local()
        self._customers: dict[str, Customer] = {}
        self._interactions: dict[str, ServiceInteraction] = {}

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as a context manager and call ``commit()`` to keep changes.

        A ``read_only`` unit of work refuses to add or save.

        Examples:
            >>> store = InMemoryStore()
            >>> with store.unit_of_work() as uow:
            ...     uow.commit()
        """
        return _MemoryUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Nothing to release; present so the store satisfies the port.

        Examples:
            >>> InMemoryStore().close()
        """

    def __repr__(self) -> str:
        return (
            f"InMemoryStore(<{len(self._customers)} customers, "
            f"{len(self._interactions)} interactions>)"
        )
