"""The in-memory adapter's generic repository: one kind of record in a unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from retail_service_quality.customers import Customer
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest
from retail_service_quality.errors import ConflictError, NotFoundError
from retail_service_quality.metrics.instruments import SurveyResponse
from retail_service_quality.quality.actions import ImprovementAction
from retail_service_quality.quality.awards import AwardResult, AwardScheme
from retail_service_quality.quality.documents import ControlledDocument
from retail_service_quality.quality.pledges import ServicePledge
from retail_service_quality.quality.reviews import ReviewCycle
from retail_service_quality.quality.training import (
    Attendance,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
)
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.interactions import ServiceInteraction
from retail_service_quality.storage._common import (
    check_id_argument,
    check_query,
    check_record,
    check_records,
    check_storable,
    check_version_storable,
)
from retail_service_quality.storage.ports import ComplaintQuery, CustomerQuery, InteractionQuery

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["Records", "Repository", "Table"]

R = TypeVar(
    "R",
    Customer,
    ServiceInteraction,
    PrivacyRequest,
    LegalHold,
    Complaint,
    ServicePledge,
    SurveyResponse,
    ReviewCycle,
    ControlledDocument,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
    Attendance,
    ImprovementAction,
    AwardScheme,
    AwardResult,
)
Q = TypeVar("Q", CustomerQuery, InteractionQuery, ComplaintQuery)


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


class Table(Generic[R]):
    """One kind of record in a unit of work: the committed records plus pending changes."""

    def __init__(self, kind: str, committed: dict[str, R], uow: MemoryUnitOfWork) -> None:
        self.kind = kind
        self._committed: dict[str, R] = committed
        self._uow = uow
        self.pending: dict[str, R] = {}
        # The committed version each pending record was based on (None: new in this unit).
        self.based_on: dict[str, int | None] = {}

    def lookup(self, record_id: str) -> R | None:
        if record_id in self.pending:
            return self.pending[record_id]
        return self._committed.get(record_id)

    def view(self) -> Iterable[R]:
        return {**self._committed, **self.pending}.values()

    def add_new(
        self, records: Iterable[R], check: Callable[[R], None], *, content_first: bool = False
    ) -> int:
        """Check a batch row by row, in order (the first bad row decides), then add it all.

        Each row's id is checked before its content, or after it with ``content_first``
        (as a database that reads what a row refers to before inserting it does)."""
        batch: dict[str, R] = {}
        for record in records:
            if content_first:
                check(record)
            if record.id in batch or self.lookup(record.id) is not None:
                raise ConflictError(f"{_article(self.kind)} with id {record.id!r} already exists")
            if not content_first:
                check(record)
            batch[record.id] = record
        self.pending.update(batch)
        self.based_on.update(dict.fromkeys(batch))
        return len(batch)

    def save(self, record: R, check: Callable[[R], None]) -> R:
        current = self.lookup(record.id)
        if current is None:
            raise NotFoundError(f"no {self.kind} with id {record.id!r}")
        if current.version != record.version:
            raise ConflictError(
                f"the {self.kind} {record.id!r} was saved by someone else "
                f"(stored version {current.version}, this one {record.version})"
            )
        check_version_storable(record.version, saving=True)
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
                raise ConflictError(f"{_article(self.kind)} with id {record_id!r} already exists")
            if base is not None and (committed is None or committed.version != base):
                raise ConflictError(f"the {self.kind} {record_id!r} was saved by someone else")

    def apply(self) -> None:
        self._committed.update(self.pending)
        self.discard()

    def discard(self) -> None:
        self.pending = {}
        self.based_on = {}


def _no_check(record: object) -> None:
    """Records of this kind refer to nothing that must exist."""


class Records(Generic[R]):
    """Adding, reading and saving records of one kind over a `Table`."""

    record_type: type[R]

    def __init__(
        self,
        table: Table[R],
        uow: MemoryUnitOfWork,
        order: Callable[[R], Any],
        check: Callable[[R], None] = _no_check,
    ) -> None:
        self._table: Table[R] = table
        self._uow = uow
        self._order: Callable[[R], Any] = order
        self._check: Callable[[R], None] = check

    def _checked(self, record: R) -> None:
        check_version_storable(record.version, saving=False)
        check_storable(record)
        self._check(record)

    def add(self, record: R) -> None:
        check_record(record, self.record_type)
        self.add_many([record])

    def add_many(self, records: Iterable[R]) -> int:
        self._uow.check_writable()
        return self._table.add_new(check_records(records, self.record_type), self._checked)

    def get(self, id: str) -> R:
        self._uow.check_active()
        found = self._table.lookup(check_id_argument(id))
        if found is None:
            raise NotFoundError(f"no {self._table.kind} with id {id!r}")
        return found

    def save(self, record: R) -> R:
        check_record(record, self.record_type)
        self._uow.check_writable()
        return self._table.save(record, self._checked)

    def _matching(self, matches: Callable[[R], bool]) -> list[R]:
        """The records that match, in the port's order, as they stand now."""
        self._uow.check_active()
        found = [record for record in self._table.view() if matches(record)]
        found.sort(key=self._order)
        return found


class Repository(Records[R], Generic[R, Q]):
    """The port's methods over a `Table`, shared by every kind of record with a query."""

    query_type: type[Q]

    def selected(self, query: Q | None) -> list[R]:
        """The matching records, in the port's order, as they stand now."""
        check_query(query, self.query_type)
        chosen = query if query is not None else self.query_type()
        return self._matching(chosen.matches)  # type: ignore[arg-type]

    def query(self, query: Q | None = None) -> Iterator[R]:
        return RecordStream(self.record_type, self._uow.stream(self.selected(query)))

    def count(self, query: Q | None = None) -> int:
        return len(self.selected(query))
