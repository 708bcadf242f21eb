"""The in-memory adapter's training records: one table per kind, ordered by id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from retail_service_quality.quality.training import (
    Attendance,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
)
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import documented_by
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports.training import (
    TrainingCollections,
    TrainingFilter,
    TrainingRecords,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["TrainingTables", "memory_training"]


def _by_id(record: Any) -> str:
    return str(record.id)


@documented_by(TrainingRecords)
class MemoryTrainingRecords(Records[Any]):
    """One kind of training record in one in-memory unit of work, ordered by id."""

    def __init__(self, kind: type[Any], table: Table[Any], uow: MemoryUnitOfWork) -> None:
        self.record_type = kind
        super().__init__(table, uow, _by_id)

    def query(self, **where: str) -> Iterator[Any]:
        chosen = TrainingFilter.of(self.record_type, where)
        return RecordStream(self.record_type, self._uow.stream(self._matching(chosen.matches)))

    def count(self, **where: str) -> int:
        return len(self._matching(TrainingFilter.of(self.record_type, where).matches))


class TrainingTables:
    """The committed training records of an `InMemoryStore`, one dict per kind."""

    def __init__(self) -> None:
        self.competencies: dict[str, Competency] = {}
        self.requirements: dict[str, RoleRequirement] = {}
        self.competence: dict[str, StaffCompetence] = {}
        self.programmes: dict[str, TrainingProgramme] = {}
        self.sessions: dict[str, TrainingSession] = {}
        self.attendance: dict[str, Attendance] = {}

    def all(self) -> tuple[dict[str, Any], ...]:
        return (
            self.competencies,
            self.requirements,
            self.competence,
            self.programmes,
            self.sessions,
            self.attendance,
        )


def memory_training(
    committed: TrainingTables, uow: MemoryUnitOfWork
) -> tuple[TrainingCollections, tuple[Table[Any], ...]]:
    """The training records of one in-memory unit of work (`TrainingRepository`), and the
    tables whose changes it commits."""
    tables: tuple[Table[Any], ...] = (
        Table[Competency]("competency", committed.competencies, uow),
        Table[RoleRequirement]("role requirement", committed.requirements, uow),
        Table[StaffCompetence]("staff competence", committed.competence, uow),
        Table[TrainingProgramme]("training programme", committed.programmes, uow),
        Table[TrainingSession]("training session", committed.sessions, uow),
        Table[Attendance]("attendance", committed.attendance, uow),
    )
    kinds = (
        Competency,
        RoleRequirement,
        StaffCompetence,
        TrainingProgramme,
        TrainingSession,
        Attendance,
    )
    collections = [
        MemoryTrainingRecords(kind, table, uow) for kind, table in zip(kinds, tables, strict=True)
    ]
    return TrainingCollections(*collections), tables
