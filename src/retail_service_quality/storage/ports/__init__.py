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

from retail_service_quality.storage.ports.actions import ActionRepository
from retail_service_quality.storage.ports.awards import AwardRepository
from retail_service_quality.storage.ports.complaints import ComplaintQuery, ComplaintRepository
from retail_service_quality.storage.ports.customers import CustomerQuery, CustomerRepository
from retail_service_quality.storage.ports.documents import DocumentRepository
from retail_service_quality.storage.ports.interactions import (
    GroupBy,
    InteractionQuery,
    InteractionRepository,
    InteractionSummary,
    Period,
)
from retail_service_quality.storage.ports.pledges import PledgeRepository
from retail_service_quality.storage.ports.privacy import (
    ConsentRepository,
    DataUseRepository,
    LegalHoldRepository,
    PrivacyRequestRepository,
    SuppressionRepository,
)
from retail_service_quality.storage.ports.reviews import ReviewRepository
from retail_service_quality.storage.ports.surveys import (
    AnswerCount,
    InstrumentRepository,
    ResponseRepository,
    SurveyGroupBy,
    SurveyRepository,
)
from retail_service_quality.storage.ports.training import TrainingRecords, TrainingRepository
from retail_service_quality.storage.ports.unit_of_work import Store, UnitOfWork

__all__ = [
    "ActionRepository",
    "AnswerCount",
    "AwardRepository",
    "ComplaintQuery",
    "ComplaintRepository",
    "ConsentRepository",
    "CustomerQuery",
    "CustomerRepository",
    "DataUseRepository",
    "DocumentRepository",
    "GroupBy",
    "InstrumentRepository",
    "InteractionQuery",
    "InteractionRepository",
    "InteractionSummary",
    "LegalHoldRepository",
    "Period",
    "PledgeRepository",
    "ReviewRepository",
    "PrivacyRequestRepository",
    "ResponseRepository",
    "Store",
    "SuppressionRepository",
    "SurveyGroupBy",
    "SurveyRepository",
    "TrainingRecords",
    "TrainingRepository",
    "UnitOfWork",
]
