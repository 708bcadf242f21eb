"""The in-memory adapter: the storage port in a process's memory, for tests and notebooks.

It behaves like `SQLiteStore` in everything the port promises (rollback
unless committed, optimistic concurrency, all-or-none bulk loads, query
order, what a query yields while records are saved), so code tested against
it behaves the same on a database. Records are immutable values, so the store
keeps them as they are, without copies.

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
from collections.abc import Iterable, Iterator
from datetime import timedelta
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from retail_service_quality.customers import Customer
from retail_service_quality.customers.consent import ConsentEvent
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest, SuppressionEntry
from retail_service_quality.customers.uses import DataUse
from retail_service_quality.errors import ConflictError, Problems, StorageError
from retail_service_quality.metrics.instruments import SurveyInstrument, SurveyResponse
from retail_service_quality.quality.actions import ImprovementAction
from retail_service_quality.quality.awards import AwardResult, AwardScheme
from retail_service_quality.quality.documents import ControlledDocument
from retail_service_quality.quality.pledges import ServicePledge
from retail_service_quality.quality.reviews import ReviewCycle
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.interactions import ServiceInteraction
from retail_service_quality.storage._common import (
    UnitOfWorkState,
    acquire,
    check_busy_timeout,
    check_read_only,
)
from retail_service_quality.storage.memory._actions import MemoryActions
from retail_service_quality.storage.memory._awards import MemoryAwards
from retail_service_quality.storage.memory._complaints import Deadlines, MemoryComplaints
from retail_service_quality.storage.memory._customers import MemoryCustomers
from retail_service_quality.storage.memory._documents import MemoryDocuments
from retail_service_quality.storage.memory._interactions import MemoryInteractions
from retail_service_quality.storage.memory._pledges import MemoryPledges
from retail_service_quality.storage.memory._privacy import (
    EventTable,
    MemoryConsent,
    MemoryDataUses,
    MemoryLegalHolds,
    MemoryPrivacyRequests,
    MemorySuppression,
    SuppressionTable,
)
from retail_service_quality.storage.memory._repository import Table
from retail_service_quality.storage.memory._reviews import MemoryReviews
from retail_service_quality.storage.memory._surveys import EditionTable, MemorySurveys
from retail_service_quality.storage.memory._training import TrainingTables, memory_training
from retail_service_quality.storage.ports import UnitOfWork

__all__ = ["InMemoryStore", "MemoryUnitOfWork"]

T = TypeVar("T")


class _Changes(Protocol):
    """A unit of work's pending changes to one kind of record."""

    def check_commit(self) -> None: ...
    def apply(self) -> None: ...
    def discard(self) -> None: ...


class MemoryUnitOfWork(UnitOfWorkState):
    """One transaction on an `InMemoryStore`: pending changes, applied on commit."""

    def __init__(self, store: InMemoryStore, *, read_only: bool = False) -> None:
        super().__init__(store._local, read_only=read_only)
        self._store = store
        self._customer_table = Table[Customer]("customer", store._customers, self)
        self._interaction_table = Table[ServiceInteraction](
            "interaction", store._interactions, self
        )
        self.customers = MemoryCustomers(self._customer_table, self)
        self.interactions = MemoryInteractions(self._interaction_table, self._customer_table, self)
        self._complaint_table = Table[Complaint]("complaint", store._complaints, self)
        self.complaints = MemoryComplaints(
            self._complaint_table, self._customer_table, store._deadlines, self
        )
        customers = self._customer_table
        self._consent_table = EventTable[ConsentEvent]("consent event", store._consent)
        self._use_table = EventTable[DataUse]("data use", store._uses)
        self._suppression_table = SuppressionTable(store._suppression)
        self._request_table = Table[PrivacyRequest]("privacy request", store._requests, self)
        self._hold_table = Table[LegalHold]("legal hold", store._holds, self)
        self.consent = MemoryConsent(self._consent_table, customers, self)
        self.data_uses = MemoryDataUses(self._use_table, customers, self)
        self.suppression = MemorySuppression(self._suppression_table, self)
        self.privacy_requests = MemoryPrivacyRequests(self._request_table, customers, self)
        self.legal_holds = MemoryLegalHolds(self._hold_table, customers, self)
        self._pledge_table = Table[ServicePledge]("pledge", store._pledges, self)
        self.pledges = MemoryPledges(self._pledge_table, self)
        self._edition_table = EditionTable(store._instruments)
        self._response_table = Table[SurveyResponse]("survey response", store._responses, self)
        self.surveys = MemorySurveys(self._edition_table, self._response_table, self)
        self._review_table = Table[ReviewCycle]("review cycle", store._reviews, self)
        self.reviews = MemoryReviews(self._review_table, self)
        self._document_table = Table[ControlledDocument]("document", store._documents, self)
        self.documents = MemoryDocuments(self._document_table, self)
        self.training, self._training_tables = memory_training(store._training, self)
        self._action_table = Table[ImprovementAction]("action", store._actions, self)
        self.actions = MemoryActions(self._action_table, self)
        self._award_table = Table[AwardScheme]("award scheme", store._awards, self)
        self._award_result_table = Table[AwardResult]("award result", store._award_results, self)
        self.awards = MemoryAwards(self._award_table, self._award_result_table, self)

    def stream(self, items: Iterable[T]) -> Iterator[T]:
        """Yield results while the unit of work is active and has not rolled back."""
        self.check_active()
        return self._stream(items, self.generation)

    def _stream(self, items: Iterable[T], generation: int) -> Iterator[T]:
        self.check_stream(generation)
        for item in items:
            self.check_stream(generation)
            yield item

    def __enter__(self) -> Self:
        self._store._check_open()
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

    def _tables(self) -> tuple[_Changes, ...]:
        return (
            self._customer_table,
            self._interaction_table,
            self._complaint_table,
            self._consent_table,
            self._use_table,
            self._suppression_table,
            self._request_table,
            self._hold_table,
            self._pledge_table,
            self._edition_table,
            self._response_table,
            self._review_table,
            self._document_table,
            *self._training_tables,
            self._action_table,
            self._award_table,
            self._award_result_table,
        )

    def commit(self) -> None:
        self.check_active()
        self._store._check_open()
        acquire(self._store._lock, self._store._busy_timeout)
        try:
            try:
                for table in self._tables():
                    table.check_commit()
            except ConflictError:
                self.rollback()
                raise
            for table in self._tables():
                table.apply()
        finally:
            self._store._lock.release()

    def rollback(self) -> None:
        self.generation += 1
        for table in self._tables():
            table.discard()


class InMemoryStore:
    """The storage port in memory. Thread-safe; nothing survives the process.

    Several threads may each have a unit of work open at once; a commit takes
    the store's lock for a moment, waiting for another thread's commit up to
    ``busy_timeout`` before giving up with `StorageError`. Use it as a context
    manager, or call `close`; a closed store refuses new units of work.

    Args:
        busy_timeout: how long a commit waits for another thread's commit.

    Examples:
        >>> with InMemoryStore() as store, store.unit_of_work() as uow:
        ...     uow.interactions.count()
        0

    Raises:
        ValidationError: ``busy_timeout`` is not a timedelta from zero to one day.
    """

    def __init__(self, *, busy_timeout: timedelta = timedelta(seconds=30)) -> None:
        problems = Problems()
        self._busy_timeout = check_busy_timeout(busy_timeout, problems)
        problems.raise_if_any()
        self._lock = threading.RLock()
        self._local = threading.local()
        self._customers: dict[str, Customer] = {}
        self._interactions: dict[str, ServiceInteraction] = {}
        self._complaints: dict[str, Complaint] = {}
        self._deadlines: Deadlines = {}
        self._consent: dict[str, dict[str, ConsentEvent]] = {}
        self._uses: dict[str, dict[str, DataUse]] = {}
        self._suppression: dict[tuple[str, str], dict[int, SuppressionEntry]] = {}
        self._requests: dict[str, PrivacyRequest] = {}
        self._holds: dict[str, LegalHold] = {}
        self._pledges: dict[str, ServicePledge] = {}
        self._instruments: dict[tuple[str, int], SurveyInstrument] = {}
        self._responses: dict[str, SurveyResponse] = {}
        self._reviews: dict[str, ReviewCycle] = {}
        self._documents: dict[str, ControlledDocument] = {}
        self._training = TrainingTables()
        self._actions: dict[str, ImprovementAction] = {}
        self._awards: dict[str, AwardScheme] = {}
        self._award_results: dict[str, AwardResult] = {}
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("the store is closed")

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as a context manager and call ``commit()`` to keep changes.

        A ``read_only`` unit of work refuses to add or save.

        Examples:
            >>> store = InMemoryStore()
            >>> with store.unit_of_work() as uow:
            ...     uow.commit()
        """
        read_only = check_read_only(read_only)
        self._check_open()
        return MemoryUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Close the store: its records are dropped and it refuses new units of work.

        Examples:
            >>> store = InMemoryStore()
            >>> store.close()
            >>> store.close()  # closing twice is harmless
        """
        self._closed = True
        for records in self._all():
            records.clear()

    def _all(self) -> tuple[dict[Any, Any], ...]:
        return (
            self._customers,
            self._interactions,
            self._complaints,
            self._deadlines,
            self._consent,
            self._uses,
            self._suppression,
            self._requests,
            self._holds,
            self._pledges,
            self._instruments,
            self._responses,
            self._reviews,
            self._documents,
            *self._training.all(),
            self._actions,
            self._awards,
            self._award_results,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"InMemoryStore(<{len(self._customers)} customers, "
            f"{len(self._interactions)} interactions>)"
        )
