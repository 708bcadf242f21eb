"""The training port: competencies, role requirements, staff competence, programmes,
sessions and attendance.

`TrainingRepository` (``uow.training``) holds six kinds of record, each in its
own `TrainingRecords` collection with the same methods: add, get, save
optimistically (like customers: a save succeeds only if the stored version is
the one read), and query by a few identifiers. Records refer to each other by
id only; the store does not check that what they name exists. Staff members
appear by id only, never by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final, Protocol, TypeVar, runtime_checkable

import attrs

from retail_service_quality._internal.validation import check_id
from retail_service_quality.errors import Problems
from retail_service_quality.quality.training import (
    Attendance,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
)

__all__ = ["TRAINING_FILTERS", "TrainingRecords", "TrainingRepository"]

T = TypeVar("T")

TRAINING_FILTERS: Final[dict[type, tuple[str, ...]]] = {
    Competency: (),
    RoleRequirement: ("role", "competency_id"),
    StaffCompetence: ("staff_id", "competency_id"),
    TrainingProgramme: (),
    TrainingSession: ("programme_id",),
    Attendance: ("session_id", "staff_id"),
}
"""The fields each kind of training record can be selected by (`TrainingRecords.query`)."""


@attrs.frozen
class TrainingFilter:
    """Which records `TrainingRecords.query` selects, its arguments checked (for adapters)."""

    where: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: type, where: dict[str, Any]) -> TrainingFilter:
        """The filter, once every argument is checked in one round (`ValidationError`)."""
        problems = Problems()
        allowed = TRAINING_FILTERS[kind]
        for name, value in where.items():
            if name not in allowed:
                listed = ", ".join(allowed) or "nothing"
                problems.add(
                    f"$.{name}",
                    f"is not a field {kind.__name__} records are selected by ({listed})",
                    "unknown_choice",
                )
            else:
                check_id(value, f"$.{name}", problems)
        problems.raise_if_any()
        return cls(tuple(sorted(where.items())))

    def matches(self, record: Any) -> bool:
        """Whether a record is selected."""
        return all(getattr(record, name) == value for name, value in self.where)


@attrs.frozen
class TrainingCollections:
    """The six collections of a unit of work's training records, as an adapter hands them
    out (`TrainingRepository`)."""

    competencies: TrainingRecords[Competency]
    requirements: TrainingRecords[RoleRequirement]
    competence: TrainingRecords[StaffCompetence]
    programmes: TrainingRecords[TrainingProgramme]
    sessions: TrainingRecords[TrainingSession]
    attendance: TrainingRecords[Attendance]


@runtime_checkable
class TrainingRecords(Protocol[T]):
    """One kind of training record in a unit of work, ordered by id.

    Examples:
        >>> from retail_service_quality import InMemoryStore, builtin_competencies
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.training.competencies.add_many(builtin_competencies())
        ...     uow.training.competencies.get("privacy_law").name
        7
        'Privacy law (PDPO)'
    """

    def add(self, record: T) -> None:
        """Add a new record. Raises `ConflictError` if the id exists."""

    def add_many(self, records: Iterable[T]) -> int:
        """Add many new records at once; returns how many. All or none on error."""

    def get(self, id: str) -> T:
        """The record with that id. Raises `NotFoundError`."""

    def save(self, record: T) -> T:
        """Store a record read at ``record.version`` (changed); returns it at the next version.

        Raises `ConflictError` if the stored version differs (someone else saved it) and
        `NotFoundError` if there is no such record.
        """

    def query(self, **where: str) -> Iterator[T]:
        """Stream the records whose fields equal the identifiers given, ordered by id.

        Requirements are selected by ``role`` and ``competency_id``; staff competence
        by ``staff_id`` and ``competency_id``; sessions by ``programme_id``; attendance
        by ``session_id`` and ``staff_id``; competencies and programmes by nothing
        (every one). Any other field is a `ValidationError`.
        """

    def count(self, **where: str) -> int:
        """How many records match (as `query`)."""


@runtime_checkable
class TrainingRepository(Protocol):
    """The training records of one unit of work, one collection per kind.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore, StaffCompetence
        >>> record = StaffCompetence(id="a1", staff_id="E-7", role="cashier",
        ...     competency_id="privacy_law", level=1, assessed_by="store_manager",
        ...     assessed_at=datetime(2026, 3, 2, tzinfo=timezone.utc))
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.training.competence.add(record)
        ...     [r.level for r in uow.training.competence.query(staff_id="E-7")]
        [1]
    """

    @property
    def competencies(self) -> TrainingRecords[Competency]:
        """The competencies, with their levels."""

    @property
    def requirements(self) -> TrainingRecords[RoleRequirement]:
        """The levels roles require."""

    @property
    def competence(self) -> TrainingRecords[StaffCompetence]:
        """The staff members' assessed levels."""

    @property
    def programmes(self) -> TrainingRecords[TrainingProgramme]:
        """The training programmes."""

    @property
    def sessions(self) -> TrainingRecords[TrainingSession]:
        """The sessions of the programmes."""

    @property
    def attendance(self) -> TrainingRecords[Attendance]:
        """Who enrolled on each session, attended, completed and passed."""
