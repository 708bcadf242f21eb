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
    TrainingCollections,
    TrainingFilter,
    TrainingRecords,
)
from retail_service_quality.storage.sqlite._repository import Records, where_clause

if TYPE_CHECKING:
    from retail_service_quality.storage.sqlite._repository import SQLUnitOfWork

__all__ = ["sqlite_training"]


@documented_by(TrainingRecords)
class _TrainingRecords(Records[Any]):
    """One kind of training record in one SQLite unit of work, ordered by id."""

    order = "id"
    filters: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, *, of: type[Any], table: str) -> None:
        super().__init_subclass__()
        cls.record_type = of
        cls.table = table
        cls.filters = TRAINING_FILTERS[of]
        cls.columns = ("id", "version", *cls.filters, "record")

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


class _Competencies(_TrainingRecords, of=Competency, table="training_competencies"):
    kind = "competency"


class _Requirements(_TrainingRecords, of=RoleRequirement, table="training_requirements"):
    kind = "role requirement"


class _Competence(_TrainingRecords, of=StaffCompetence, table="training_competence"):
    kind = "staff competence"


class _Programmes(_TrainingRecords, of=TrainingProgramme, table="training_programmes"):
    kind = "training programme"


class _Sessions(_TrainingRecords, of=TrainingSession, table="training_sessions"):
    kind = "training session"


class _Attendance(_TrainingRecords, of=Attendance, table="training_attendance"):
    kind = "attendance"


def sqlite_training(uow: SQLUnitOfWork) -> TrainingCollections:
    """The training records of one SQLite unit of work (`TrainingRepository`)."""
    return TrainingCollections(
        _Competencies(uow),
        _Requirements(uow),
        _Competence(uow),
        _Programmes(uow),
        _Sessions(uow),
        _Attendance(uow),
    )
