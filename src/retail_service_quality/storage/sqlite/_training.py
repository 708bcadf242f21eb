"""The SQLite adapter's training records: one table per kind.

Each record is kept as the library's JSON beside its id, its version and the
identifiers it is selected by.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from retail_service_quality.errors import RSQError, StorageError
from retail_service_quality.quality.training import (
    Attendance,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
)
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.storage._common import check_storable, documented_by
from retail_service_quality.storage.ports.training import (
    TRAINING_FILTERS,
    TrainingFilter,
    TrainingRecords,
    TrainingRepository,
)
from retail_service_quality.storage.sqlite._repository import Records, where_clause

if TYPE_CHECKING:
    from retail_service_quality.storage.sqlite._store import SQLiteUnitOfWork

__all__ = ["SQLiteTraining"]


@documented_by(TrainingRecords)
class _TrainingRecords(Records[Any]):
    """One kind of training record in one SQLite unit of work, ordered by id."""

    order = "id"
    filters: ClassVar[tuple[str, ...]]

    def to_row(self, record: Any) -> tuple[Any, ...]:
        check_storable(record)
        keys = tuple(getattr(record, name) for name in self.filters)
        return (record.id, record.version, *keys, to_json(record))

    def from_row(self, row: Sequence[Any]) -> Any:
        try:
            found: Any = from_json(row[-1], self.record_type)
        except (TypeError, RSQError) as error:
            raise StorageError(f"the {self.kind} {row[0]!r} cannot be read") from error
        return found

    def _where(self, where: dict[str, str]) -> tuple[str, list[Any]]:
        chosen = TrainingFilter.of(self.record_type, where)
        return (
            where_clause([f"{name} = ?" for name, _ in chosen.where]),
            [value for _, value in chosen.where],
        )

    def query(self, **where: str) -> Iterator[Any]:
        return self._stream(*self._where(where))

    def count(self, **where: str) -> int:
        return self._count(*self._where(where))


class _Competencies(_TrainingRecords):
    record_type = Competency
    table = "training_competencies"
    kind = "competency"
    filters = TRAINING_FILTERS[Competency]
    columns = ("id", "version", *filters, "record")


class _Requirements(_TrainingRecords):
    record_type = RoleRequirement
    table = "training_requirements"
    kind = "role requirement"
    filters = TRAINING_FILTERS[RoleRequirement]
    columns = ("id", "version", *filters, "record")


class _Competence(_TrainingRecords):
    record_type = StaffCompetence
    table = "training_competence"
    kind = "staff competence"
    filters = TRAINING_FILTERS[StaffCompetence]
    columns = ("id", "version", *filters, "record")


class _Programmes(_TrainingRecords):
    record_type = TrainingProgramme
    table = "training_programmes"
    kind = "training programme"
    filters = TRAINING_FILTERS[TrainingProgramme]
    columns = ("id", "version", *filters, "record")


class _Sessions(_TrainingRecords):
    record_type = TrainingSession
    table = "training_sessions"
    kind = "training session"
    filters = TRAINING_FILTERS[TrainingSession]
    columns = ("id", "version", *filters, "record")


class _Attendance(_TrainingRecords):
    record_type = Attendance
    table = "training_attendance"
    kind = "attendance"
    filters = TRAINING_FILTERS[Attendance]
    columns = ("id", "version", *filters, "record")


@documented_by(TrainingRepository)
class SQLiteTraining:
    """The training records of one SQLite unit of work (`TrainingRepository`)."""

    def __init__(self, uow: SQLiteUnitOfWork) -> None:
        self._competencies = _Competencies(uow)
        self._requirements = _Requirements(uow)
        self._competence = _Competence(uow)
        self._programmes = _Programmes(uow)
        self._sessions = _Sessions(uow)
        self._attendance = _Attendance(uow)

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
