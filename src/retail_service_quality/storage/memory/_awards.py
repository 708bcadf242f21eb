"""The in-memory adapter's award repository: schemes, and the awards published under them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from retail_service_quality.errors import NotFoundError
from retail_service_quality.quality.awards import AwardLevel, AwardResult, AwardScheme
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import (
    check_id_argument,
    check_record,
    check_storable,
    check_version_storable,
    documented_by,
)
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports.awards import (
    AwardFilter,
    AwardRepository,
    check_scheme_id,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryAwards"]


def _by_id(record: AwardScheme | AwardResult) -> str:
    return record.id


@documented_by(AwardRepository)
class MemoryAwards(Records[AwardScheme]):
    """Award schemes and published awards in one in-memory unit of work, ordered by id."""

    record_type = AwardScheme

    def __init__(
        self,
        table: Table[AwardScheme],
        results: Table[AwardResult],
        uow: MemoryUnitOfWork,
    ) -> None:
        super().__init__(table, uow, _by_id)
        self._results = results

    def query(
        self, *, level: AwardLevel | str | None = None, indicator_id: str | None = None
    ) -> Iterator[AwardScheme]:
        chosen = AwardFilter.of(level, indicator_id)
        return RecordStream(AwardScheme, self._uow.stream(self._matching(chosen.matches)))

    def count(
        self, *, level: AwardLevel | str | None = None, indicator_id: str | None = None
    ) -> int:
        return len(self._matching(AwardFilter.of(level, indicator_id).matches))

    def publish(self, result: AwardResult) -> None:
        check_record(result, AwardResult)
        self._uow.check_writable()
        if self._table.lookup(result.scheme_id) is None:
            raise NotFoundError(f"no award scheme with id {result.scheme_id!r}")
        check_version_storable(result.version, saving=False)
        check_storable(result)
        self._results.add_new([result], check_storable)

    def result(self, id: str) -> AwardResult:
        self._uow.check_active()
        found = self._results.lookup(check_id_argument(id))
        if found is None:
            raise NotFoundError(f"no award result with id {id!r}")
        return found

    def results(self, *, scheme_id: str | None = None) -> Iterator[AwardResult]:
        chosen = check_scheme_id(scheme_id)
        self._uow.check_active()
        found = sorted(
            (
                result
                for result in self._results.view()
                if chosen is None or result.scheme_id == chosen
            ),
            key=_by_id,
        )
        return RecordStream(AwardResult, self._uow.stream(found))
