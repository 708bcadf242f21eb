"""The privacy ports: the consent ledger, data uses, the suppression list, requests and holds.

Ledger events and data uses are append-only: they are never saved over, only
appended, and removed only by erasure (`ConsentRepository.erase`). Requests
and legal holds are entities with a ``version``, saved optimistically like
customers. Suppression entries name no customer and are never removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

from retail_service_quality.customers.consent import ConsentEvent, ConsentLedger, ConsentScope
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest, SuppressionEntry
from retail_service_quality.customers.uses import DataUse

__all__ = [
    "ConsentRepository",
    "DataUseRepository",
    "LegalHoldRepository",
    "PrivacyRequestRepository",
    "SuppressionRepository",
]


@runtime_checkable
class ConsentRepository(Protocol):
    """Consent ledger events in one unit of work, append-only.

    Examples:
        >>> def events_on_file(consent: ConsentRepository, customer_id: str) -> int:
        ...     return len(consent.ledger(customer_id).events)
        >>> ConsentRepository.__name__
        'ConsentRepository'
    """

    def append(self, event: ConsentEvent) -> None:
        """Append an event to its customer's ledger.

        Raises `NotFoundError` if the customer does not exist and `ConflictError`
        if the customer's ledger holds an event with the same ``event_id``.
        """

    def append_many(self, events: Iterable[ConsentEvent]) -> int:
        """Append many events at once; returns how many. All or none on error."""

    def ledger(self, customer_id: str) -> ConsentLedger:
        """The customer's ledger, every event; an empty ledger if there is none."""

    def query(self, customer_id: str | None = None) -> Iterator[ConsentEvent]:
        """Stream events (one customer's, or everyone's), ordered by customer id, then as
        `ConsentLedger.events` orders them (instant, type, event id)."""

    def count(self, customer_id: str | None = None) -> int:
        """How many events there are (one customer's, or everyone's)."""

    def erase(self, customer_id: str) -> int:
        """Delete every event of the customer's ledger; returns how many were deleted."""


@runtime_checkable
class DataUseRepository(Protocol):
    """Records of marketing sent and data provided, in one unit of work, append-only.

    Examples:
        >>> def uses_on_file(uses: DataUseRepository, customer_id: str) -> int:
        ...     return len(uses.of(customer_id))
        >>> DataUseRepository.__name__
        'DataUseRepository'
    """

    def append(self, use: DataUse) -> None:
        """Record a use of a customer's data.

        Raises `NotFoundError` if the customer does not exist and `ConflictError`
        if the customer has a use with the same ``event_id``.
        """

    def append_many(self, uses: Iterable[DataUse]) -> int:
        """Record many uses at once; returns how many. All or none on error."""

    def of(self, customer_id: str, *, since: datetime | None = None) -> tuple[DataUse, ...]:
        """The customer's uses at or after ``since`` (an instant; all if ``None``), ordered by
        instant, then type (marketing before provision), then event id."""

    def query(self, customer_id: str | None = None) -> Iterator[DataUse]:
        """Stream uses (one customer's, or everyone's), ordered by customer id, then as `of`."""

    def count(self, customer_id: str | None = None) -> int:
        """How many uses there are (one customer's, or everyone's)."""

    def erase(self, customer_id: str) -> int:
        """Delete every use of the customer; returns how many were deleted."""


@runtime_checkable
class SuppressionRepository(Protocol):
    """The opt-out suppression list: keyed hashes of contact points, never removed.

    Examples:
        >>> def blocked(suppression: SuppressionRepository, digest: str) -> bool:
        ...     return suppression.contains(digest)
        >>> SuppressionRepository.__name__
        'SuppressionRepository'
    """

    def add(self, entry: SuppressionEntry) -> bool:
        """Add an entry; returns ``False`` (and keeps the earlier entry) if its digest and
        scope are listed already."""

    def contains(self, digest: str, scope: ConsentScope = ConsentScope.OWN_MARKETING) -> bool:
        """Whether a digest is on the list for a scope."""

    def query(self) -> Iterator[SuppressionEntry]:
        """Stream every entry, ordered by digest, then scope."""

    def count(self) -> int:
        """How many entries there are."""


@runtime_checkable
class PrivacyRequestRepository(Protocol):
    """Data-subject requests in one unit of work.

    Examples:
        >>> def open_requests(requests: PrivacyRequestRepository) -> int:
        ...     return requests.count(open_only=True)
        >>> PrivacyRequestRepository.__name__
        'PrivacyRequestRepository'
    """

    def add(self, request: PrivacyRequest) -> None:
        """Add a new request. Raises `ConflictError` if the id exists and `NotFoundError` if
        the customer does not."""

    def get(self, id: str) -> PrivacyRequest:
        """The request with that id. Raises `NotFoundError`."""

    def save(self, request: PrivacyRequest) -> PrivacyRequest:
        """Store a changed request read at ``request.version``; returns it at the next version.

        Raises `ConflictError` if the stored version differs and `NotFoundError` if there is no
        such request.
        """

    def query(
        self, *, customer_id: str | None = None, open_only: bool = False
    ) -> Iterator[PrivacyRequest]:
        """Stream requests (one customer's, or everyone's; only open ones if asked), ordered by
        the instant received, then id."""

    def count(self, *, customer_id: str | None = None, open_only: bool = False) -> int:
        """How many requests match."""


@runtime_checkable
class LegalHoldRepository(Protocol):
    """Legal holds in one unit of work.

    Examples:
        >>> def holds_on(holds: LegalHoldRepository, customer_id: str) -> int:
        ...     return len(holds.of(customer_id))
        >>> LegalHoldRepository.__name__
        'LegalHoldRepository'
    """

    def add(self, hold: LegalHold) -> None:
        """Add a new hold. Raises `ConflictError` if the id exists and `NotFoundError` if the
        customer does not."""

    def get(self, id: str) -> LegalHold:
        """The hold with that id. Raises `NotFoundError`."""

    def save(self, hold: LegalHold) -> LegalHold:
        """Store a changed hold read at ``hold.version``; returns it at the next version."""

    def of(self, customer_id: str) -> tuple[LegalHold, ...]:
        """Every hold on the customer (active or not), ordered by id."""

    def query(self) -> Iterator[LegalHold]:
        """Stream every hold, ordered by customer id, then id."""
