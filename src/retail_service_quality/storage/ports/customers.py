"""The customers port: which customers a query selects, and the customer repository."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.schema import IDENTIFIER
from retail_service_quality._internal.validation import (
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.customers import Customer, JoinMethod
from retail_service_quality.errors import Problems
from retail_service_quality.storage._time import instant_us

__all__ = ["CustomerQuery", "CustomerRepository"]


def _join_method(value: JoinMethod | str | None) -> JoinMethod | None:
    return lenient_enum(JoinMethod, value)


@attrs.frozen(kw_only=True)
class CustomerQuery:
    """Which customers a query selects; ``created_from`` inclusive, ``created_to`` exclusive.

    Attributes:
        home_store_id: select customers attached to this store, if given.
        tier: select customers in this loyalty tier, if given.
        join_method: select customers who joined their tier this way, if given.
        erased: select only anonymised customers (True), only the others (False), or
            both (None, the default).
        created_from: select customers created at or after this moment
            (timezone-aware), if given.
        created_to: select customers created before this moment (timezone-aware), if
            given.

    Examples:
        >>> CustomerQuery(tier="vip").tier
        'vip'
        >>> CustomerQuery(join_method="app", erased=False).join_method
        <JoinMethod.APP: 'app'>

    Raises:
        ValidationError: every problem, with its path.
    """

    home_store_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    tier: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    join_method: JoinMethod | None = attrs.field(default=None, converter=_join_method)
    erased: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.home_store_id, "$.home_store_id", problems, optional=True)
        check_id(self.tier, "$.tier", problems, optional=True)
        if self.join_method is not None:
            check_enum(self.join_method, JoinMethod, "$.join_method", problems)
        if self.erased is not None and not isinstance(self.erased, bool):
            problems.add("$.erased", "must be true, false or null", "type")
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
        if self.created_from is not None or self.created_to is not None:
            # Instants, not wall clocks (see `InteractionQuery.matches`).
            at = instant_us(customer.created_at)
            if (self.created_from is not None and at < instant_us(self.created_from)) or (
                self.created_to is not None and at >= instant_us(self.created_to)
            ):
                return False
        return (
            (self.home_store_id is None or customer.home_store_id == self.home_store_id)
            and (self.tier is None or customer.tier == self.tier)
            and (self.join_method is None or customer.join_method is self.join_method)
            and (self.erased is None or (customer.erased_at is not None) is self.erased)
        )


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
