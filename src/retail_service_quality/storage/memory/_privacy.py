"""The in-memory adapter's privacy records: ledger, data uses, suppression, requests, holds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from retail_service_quality.customers import Customer
from retail_service_quality.customers.consent import (
    EVENT_KINDS,
    ConsentEvent,
    ConsentLedger,
    ConsentScope,
)
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest, SuppressionEntry
from retail_service_quality.customers.uses import DATA_USE_KINDS, DataUse
from retail_service_quality.errors import ConflictError, NotFoundError
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import (
    HoldFilter,
    RequestFilter,
    check_customer_argument,
    check_event,
    check_events,
    check_record,
    check_since,
    check_storable,
    documented_by,
    event_order,
    suppression_bound,
    suppression_key,
)
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports import (
    ConsentRepository,
    DataUseRepository,
    LegalHoldRepository,
    PrivacyRequestRepository,
    SuppressionRepository,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = [
    "EventTable",
    "MemoryConsent",
    "MemoryDataUses",
    "MemoryLegalHolds",
    "MemoryPrivacyRequests",
    "MemorySuppression",
    "SuppressionTable",
]


class _Keyed(Protocol):
    """What ledger events and data uses share: whose, which, when, what type."""

    @property
    def customer_id(self) -> str: ...
    @property
    def event_id(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...


E = TypeVar("E", bound=_Keyed)

_EVENT_TYPES = tuple(EVENT_KINDS.values())
_USE_TYPES = tuple(DATA_USE_KINDS.values())


def customer_check(customers: Table[Customer], kind: str) -> Callable[[Any], None]:
    """A check that a record names a customer that exists."""

    def check(record: Any) -> None:
        if customers.lookup(record.customer_id) is None:
            name = getattr(record, "event_id", None) or record.id
            raise NotFoundError(f"{kind} {name!r} names a customer that does not exist")

    return check


class EventTable(Generic[E]):
    """Append-only records of each customer in a unit of work: committed, appended, erased."""

    def __init__(self, kind: str, committed: dict[str, dict[str, E]]) -> None:
        self.kind = kind
        self._committed = committed
        self.pending: dict[str, dict[str, E]] = {}
        self.erased: set[str] = set()

    def of(self, customer_id: str) -> list[E]:
        found = {} if customer_id in self.erased else dict(self._committed.get(customer_id, {}))
        found.update(self.pending.get(customer_id, {}))
        return list(found.values())

    def everyone(self) -> list[E]:
        ids = (set(self._committed) - self.erased) | set(self.pending)
        return [record for customer_id in ids for record in self.of(customer_id)]

    def _holds(self, customer_id: str, event_id: str) -> bool:
        if event_id in self.pending.get(customer_id, {}):
            return True
        return customer_id not in self.erased and event_id in self._committed.get(customer_id, {})

    def _conflict(self, record: E) -> ConflictError:
        return ConflictError(
            f"the customer {record.customer_id!r} has a {self.kind} with event id "
            f"{record.event_id!r} already"
        )

    def append(self, records: Iterable[E], check: Callable[[E], None]) -> int:
        """Check a batch row by row, in order (the first bad row decides), then append it all."""
        batch: dict[tuple[str, str], E] = {}
        for record in records:
            key = (record.customer_id, record.event_id)
            if key in batch or self._holds(*key):
                raise self._conflict(record)
            check_storable(record)
            check(record)
            batch[key] = record
        for (customer_id, event_id), record in batch.items():
            self.pending.setdefault(customer_id, {})[event_id] = record
        return len(batch)

    def erase(self, customer_id: str) -> int:
        erased = len(self.of(customer_id))
        self.erased.add(customer_id)
        self.pending.pop(customer_id, None)
        return erased

    def check_commit(self) -> None:
        for customer_id, records in self.pending.items():
            if customer_id in self.erased:
                continue  # the committed ones go first
            held = self._committed.get(customer_id, {})
            for event_id, record in records.items():
                if event_id in held:
                    raise self._conflict(record)

    def apply(self) -> None:
        for customer_id in self.erased:
            self._committed.pop(customer_id, None)
        for customer_id, records in self.pending.items():
            self._committed.setdefault(customer_id, {}).update(records)
        self.discard()

    def discard(self) -> None:
        self.pending = {}
        self.erased = set()


class _Events(Generic[E]):
    """What the ledger and the data uses share: append, stream, count, erase."""

    _types: tuple[type, ...]
    _name: str

    def __init__(
        self, table: EventTable[E], customers: Table[Customer], uow: MemoryUnitOfWork
    ) -> None:
        self._table = table
        self._uow = uow
        self._check = customer_check(customers, table.kind)

    def append(self, record: E) -> None:
        check_event(record, self._types, self._name)
        self.append_many([record])

    def append_many(self, records: Iterable[E]) -> int:
        self._uow.check_writable()
        return self._table.append(check_events(records, self._types, self._name), self._check)

    def _selected(self, customer_id: object) -> list[E]:
        chosen = check_customer_argument(customer_id, optional=True)
        self._uow.check_active()
        found = self._table.everyone() if chosen is None else self._table.of(chosen)
        found.sort(key=event_order)
        return found

    def query(self, customer_id: str | None = None) -> Iterator[E]:
        return self._uow.stream(self._selected(customer_id))

    def count(self, customer_id: str | None = None) -> int:
        return len(self._selected(customer_id))

    def erase(self, customer_id: str) -> int:
        chosen = check_customer_argument(customer_id)
        assert chosen is not None
        self._uow.check_writable()
        return self._table.erase(chosen)


@documented_by(ConsentRepository)
class MemoryConsent(_Events[ConsentEvent]):
    """Consent ledger events in one in-memory unit of work."""

    _types = _EVENT_TYPES
    _name = "consent event"

    def ledger(self, customer_id: str) -> ConsentLedger:
        chosen = check_customer_argument(customer_id)
        assert chosen is not None
        return ConsentLedger.of(chosen, self._selected(chosen))


@documented_by(DataUseRepository)
class MemoryDataUses(_Events[DataUse]):
    """Records of marketing sent and data provided, in one in-memory unit of work."""

    _types = _USE_TYPES
    _name = "data use"

    def of(self, customer_id: str, *, since: datetime | None = None) -> tuple[DataUse, ...]:
        bound = check_since(since)
        found = self._selected(check_customer_argument(customer_id))
        return tuple(use for use in found if bound is None or instant_us(use.at) >= bound)


Listings = dict[int, SuppressionEntry]
"""The listings of one contact point and scope, by the instant (microseconds) each was added."""


class SuppressionTable:
    """The suppression list in a unit of work: the committed listings plus those added."""

    def __init__(self, committed: dict[tuple[str, str], Listings]) -> None:
        self._committed = committed
        self.pending: dict[tuple[str, str], Listings] = {}

    def listings(self, key: tuple[str, str]) -> Listings:
        """Every listing of one contact point and scope, committed or added here."""
        return {**self._committed.get(key, {}), **self.pending.get(key, {})}

    def contact_points(self) -> list[tuple[str, str]]:
        return sorted({*self._committed, *self.pending})

    def check_commit(self) -> None:
        """Entries never conflict: one listed meanwhile is kept, as if added first."""

    def apply(self) -> None:
        for key, listings in self.pending.items():
            kept = self._committed.setdefault(key, {})
            for added, entry in listings.items():
                kept.setdefault(added, entry)
        self.discard()

    def discard(self) -> None:
        self.pending = {}


@documented_by(SuppressionRepository)
class MemorySuppression:
    """The opt-out suppression list in one in-memory unit of work, ordered by digest, scope,
    instant."""

    def __init__(self, table: SuppressionTable, uow: MemoryUnitOfWork) -> None:
        self._table = table
        self._uow = uow

    def add(self, entry: SuppressionEntry) -> bool:
        check_record(entry, SuppressionEntry)
        self._uow.check_writable()
        key = (entry.digest, entry.scope.value)
        added = instant_us(entry.added_at)
        if added in self._table.listings(key):
            return False
        self._table.pending.setdefault(key, {})[added] = entry
        return True

    def contains(self, digest: str, scope: ConsentScope = ConsentScope.OWN_MARKETING) -> bool:
        key = suppression_key(digest, scope)
        self._uow.check_active()
        return bool(self._table.listings(key))

    def get(
        self,
        digest: str,
        scope: ConsentScope = ConsentScope.OWN_MARKETING,
        *,
        at: datetime | None = None,
    ) -> SuppressionEntry | None:
        key = suppression_key(digest, scope)
        bound = suppression_bound(at)
        self._uow.check_active()
        listings = self._table.listings(key)
        seen = [added for added in listings if added <= bound]
        return listings[max(seen)] if seen else None

    def query(self) -> Iterator[SuppressionEntry]:
        self._uow.check_active()
        found = [
            entry
            for key in self._table.contact_points()
            for _, entry in sorted(self._table.listings(key).items())
        ]
        return RecordStream(SuppressionEntry, self._uow.stream(found))

    def count(self) -> int:
        self._uow.check_active()
        return sum(len(self._table.listings(key)) for key in self._table.contact_points())


def _by_received(request: PrivacyRequest) -> tuple[int, str]:
    return instant_us(request.received_at), request.id


def _by_customer(hold: LegalHold) -> tuple[str, str]:
    return hold.customer_id, hold.id


@documented_by(PrivacyRequestRepository)
class MemoryPrivacyRequests(Records[PrivacyRequest]):
    """Data-subject requests in one in-memory unit of work, ordered by instant received, id."""

    record_type = PrivacyRequest

    def __init__(
        self, table: Table[PrivacyRequest], customers: Table[Customer], uow: MemoryUnitOfWork
    ) -> None:
        super().__init__(table, uow, _by_received, customer_check(customers, "privacy request"))

    def query(
        self, *, customer_id: str | None = None, open_only: bool = False
    ) -> Iterator[PrivacyRequest]:
        chosen = RequestFilter.of(customer_id, open_only)
        return RecordStream(PrivacyRequest, self._uow.stream(self._matching(chosen.matches)))

    def count(self, *, customer_id: str | None = None, open_only: bool = False) -> int:
        return len(self._matching(RequestFilter.of(customer_id, open_only).matches))


@documented_by(LegalHoldRepository)
class MemoryLegalHolds(Records[LegalHold]):
    """Legal holds in one in-memory unit of work, ordered by customer id, then id."""

    record_type = LegalHold

    def __init__(
        self, table: Table[LegalHold], customers: Table[Customer], uow: MemoryUnitOfWork
    ) -> None:
        super().__init__(table, uow, _by_customer, customer_check(customers, "legal hold"))

    def of(self, customer_id: str) -> tuple[LegalHold, ...]:
        chosen = HoldFilter(check_customer_argument(customer_id))
        return tuple(self._matching(chosen.matches))

    def query(self) -> Iterator[LegalHold]:
        return RecordStream(LegalHold, self._uow.stream(self._matching(HoldFilter().matches)))
