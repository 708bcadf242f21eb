"""The unit of work and the store that hands it out."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from retail_service_quality.storage.ports.actions import ActionRepository
from retail_service_quality.storage.ports.awards import AwardRepository
from retail_service_quality.storage.ports.complaints import ComplaintRepository
from retail_service_quality.storage.ports.customers import CustomerRepository
from retail_service_quality.storage.ports.documents import DocumentRepository
from retail_service_quality.storage.ports.interactions import InteractionRepository
from retail_service_quality.storage.ports.pledges import PledgeRepository
from retail_service_quality.storage.ports.privacy import (
    ConsentRepository,
    DataUseRepository,
    LegalHoldRepository,
    PrivacyRequestRepository,
    SuppressionRepository,
)
from retail_service_quality.storage.ports.reviews import ReviewRepository
from retail_service_quality.storage.ports.surveys import SurveyRepository
from retail_service_quality.storage.ports.training import TrainingRepository

__all__ = ["Store", "UnitOfWork"]


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

    @property
    def complaints(self) -> ComplaintRepository:
        """The complaints of this unit of work, each with its event history."""

    @property
    def consent(self) -> ConsentRepository:
        """The consent ledger events of this unit of work."""

    @property
    def data_uses(self) -> DataUseRepository:
        """The records of marketing sent and data provided, in this unit of work."""

    @property
    def suppression(self) -> SuppressionRepository:
        """The opt-out suppression list, in this unit of work."""

    @property
    def privacy_requests(self) -> PrivacyRequestRepository:
        """The data-subject requests of this unit of work."""

    @property
    def legal_holds(self) -> LegalHoldRepository:
        """The legal holds of this unit of work."""

    @property
    def pledges(self) -> PledgeRepository:
        """The service pledges of this unit of work, each with every version of it."""

    @property
    def surveys(self) -> SurveyRepository:
        """The survey instruments, responses and answer counts of this unit of work."""

    @property
    def reviews(self) -> ReviewRepository:
        """The review cycles of this unit of work, with their inputs and decisions."""

    @property
    def documents(self) -> DocumentRepository:
        """The controlled documents (standards, procedures, duties) of this unit of work."""

    @property
    def training(self) -> TrainingRepository:
        """The competencies, staff levels, programmes, sessions and attendance of this unit
        of work."""

    @property
    def actions(self) -> ActionRepository:
        """The improvement and corrective actions of this unit of work."""

    @property
    def awards(self) -> AwardRepository:
        """The award schemes of this unit of work, and the awards published under them."""

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
    """A place where the library's records live; a context manager that closes it on exit.

    Examples:
        >>> from retail_service_quality import InMemoryStore, SQLiteStore
        >>> stores: list[Store] = [InMemoryStore(), SQLiteStore(":memory:")]
        >>> for store in stores:
        ...     with store, store.unit_of_work(read_only=True) as uow:
        ...         uow.customers.count()
        0
        0
    """

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as a context manager.

        A ``read_only`` unit of work refuses to add or save (`StorageError`); a
        database adapter reads a consistent snapshot without blocking writers.
        """

    def close(self) -> None:
        """Release the store's resources (connections, files)."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the store (`close`)."""
