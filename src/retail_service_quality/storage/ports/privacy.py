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
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> from retail_service_quality.customers.consent import OptedOut
        >>> at = datetime(2026, 4, 2, tzinfo=timezone.utc)
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Lee", created_at=at))
        ...     uow.consent.append(
        ...         OptedOut(event_id="E-1", customer_id="C-1", at=at, evidence="sms:STOP-1")
        ...     )
        ...     isinstance(uow.consent, ConsentRepository), len(uow.consent.ledger("C-1").events)
        (True, 1)
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
        """Delete every event of the customer's ledger; returns how many were deleted.

        The deletion is kept only when the unit of work commits; on a database file the
        deleted values are overwritten, not merely unlinked.
        """


@runtime_checkable
class DataUseRepository(Protocol):
    """Records of marketing sent and data provided, in one unit of work, append-only.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> from retail_service_quality.customers.uses import MarketingMessageSent
        >>> at = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Lee", created_at=at))
        ...     uow.data_uses.append(MarketingMessageSent(
        ...         event_id="U-1", customer_id="C-1", at=at, evidence="campaign:K-7",
        ...         channel="sms", marketing_class="cosmetics", opt_out_statement=True,
        ...     ))
        ...     isinstance(uow.data_uses, DataUseRepository), len(uow.data_uses.of("C-1"))
        (True, 1)
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
        """Delete every use of the customer; returns how many were deleted (kept on commit)."""


@runtime_checkable
class SuppressionRepository(Protocol):
    """The opt-out suppression list: keyed hashes of contact points, never removed.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore
        >>> from retail_service_quality.customers.requests import SuppressionEntry
        >>> at = datetime(2026, 5, 4, tzinfo=timezone.utc)
        >>> entry = SuppressionEntry(digest="0" * 64, data_kind="email", added_at=at)
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.suppression.add(entry), uow.suppression.add(entry)
        ...     uow.suppression.contains("0" * 64)
        (True, False)
        True
    """

    def add(self, entry: SuppressionEntry) -> bool:
        """Add a listing of a contact point; returns ``False`` if the same digest and scope are
        listed at the same instant already. A contact point listed again (a second opt-out)
        keeps every listing, each with its instant."""

    def contains(self, digest: str, scope: ConsentScope = ConsentScope.OWN_MARKETING) -> bool:
        """Whether a digest is on the list for a scope."""

    def get(
        self,
        digest: str,
        scope: ConsentScope = ConsentScope.OWN_MARKETING,
        *,
        at: datetime | None = None,
    ) -> SuppressionEntry | None:
        """The latest listing of a digest and scope at or before the instant ``at`` (the latest
        of all if ``None``), or ``None`` if it was not listed by then."""

    def query(self) -> Iterator[SuppressionEntry]:
        """Stream every listing, ordered by digest, then scope, then the instant it was added."""

    def count(self) -> int:
        """How many listings there are."""


@runtime_checkable
class PrivacyRequestRepository(Protocol):
    """Data-subject requests in one unit of work.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> from retail_service_quality.customers.requests import PrivacyRequest
        >>> at = datetime(2026, 5, 4, 9, tzinfo=timezone.utc)
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Lee", created_at=at))
        ...     uow.privacy_requests.add(PrivacyRequest(
        ...         id="R-1", customer_id="C-1", kind="access", law="pdpo",
        ...         received_at=at, due_on=date(2026, 6, 13),
        ...     ))
        ...     isinstance(uow.privacy_requests, PrivacyRequestRepository)
        ...     uow.privacy_requests.count(open_only=True)
        True
        1
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
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> from retail_service_quality.customers.requests import LegalHold
        >>> at = datetime(2026, 5, 4, tzinfo=timezone.utc)
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Lee", created_at=at))
        ...     uow.legal_holds.add(LegalHold(
        ...         id="H-1", customer_id="C-1", keeps=["interactions"],
        ...         reason="a claim is pending", source="GDPR Art. 17(3)(e)", placed_at=at,
        ...     ))
        ...     isinstance(uow.legal_holds, LegalHoldRepository), uow.legal_holds.get("H-1").version
        (True, 1)
    """

    def add(self, hold: LegalHold) -> None:
        """Add a new hold. Raises `ConflictError` if the id exists and `NotFoundError` if the
        customer does not."""

    def get(self, id: str) -> LegalHold:
        """The hold with that id. Raises `NotFoundError`."""

    def save(self, hold: LegalHold) -> LegalHold:
        """Store a changed hold read at ``hold.version``; returns it at the next version.

        Raises `ConflictError` if the stored version differs and `NotFoundError` if there is no
        such hold.
        """

    def of(self, customer_id: str) -> tuple[LegalHold, ...]:
        """Every hold on the customer (active or not), ordered by id."""

    def query(self) -> Iterator[LegalHold]:
        """Stream every hold, ordered by customer id, then id."""
