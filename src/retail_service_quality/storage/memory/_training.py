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
    TrainingFilter,
    TrainingRecords,
    TrainingRepository,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryTraining", "TrainingTables"]


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


@documented_by(TrainingRepository)
class MemoryTraining:
    """The training records of one in-memory unit of work (`TrainingRepository`)."""

    def __init__(self, committed: TrainingTables, uow: MemoryUnitOfWork) -> None:
        self.tables: tuple[Table[Any], ...] = (
            Table[Competency]("competency", committed.competencies, uow),
            Table[RoleRequirement]("role requirement", committed.requirements, uow),
            Table[StaffCompetence]("staff competence", committed.competence, uow),
            Table[TrainingProgramme]("training programme", committed.programmes, uow),
            Table[TrainingSession]("training session", committed.sessions, uow),
            Table[Attendance]("attendance", committed.attendance, uow),
        )
        kinds: tuple[type[Any], ...] = (
            Competency,
            RoleRequirement,
            StaffCompetence,
            TrainingProgramme,
            TrainingSession,
            Attendance,
        )
        made = [MemoryTrainingRecords(kind, self.tables[i], uow) for i, kind in enumerate(kinds)]
        self._competencies: TrainingRecords[Competency] = made[0]
        self._requirements: TrainingRecords[RoleRequirement] = made[1]
        self._competence: TrainingRecords[StaffCompetence] = made[2]
        self._programmes: TrainingRecords[TrainingProgramme] = made[3]
        self._sessions: TrainingRecords[TrainingSession] = made[4]
        self._attendance: TrainingRecords[Attendance] = made[5]

    @property
    def competencies(self) -> TrainingRecords[Competency]:
        return self._competencies

    @property
    def requirements(self) -> TrainingRecords[RoleRequirement]:
        return self._requirements

    @property
    def competence(self) -> TrainingRecords[StaffCompetence]:
        return self._competence

    @property
    def programmes(self) -> TrainingRecords[TrainingProgramme]:
        return self._programmes

    @property
    def sessions(self) -> TrainingRecords[TrainingSession]:
        return self._sessions

    @property
    def attendance(self) -> TrainingRecords[Attendance]:
        return self._attendance
