"""The SQLite adapter's award repository.

Each scheme is kept as the library's JSON (its eligibility rules survive)
beside the columns it is selected by; each published award likewise, beside
its scheme's id. A published award is inserted once and never updated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from retail_service_quality.errors import ConflictError, NotFoundError, RSQError, StorageError
from retail_service_quality.quality.awards import AwardLevel, AwardResult, AwardScheme
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import (
    check_id_argument,
    check_record,
    check_storable,
    check_version_storable,
    documented_by,
)
from retail_service_quality.storage.ports.awards import (
    AwardFilter,
    AwardRepository,
    check_scheme_id,
)
from retail_service_quality.storage.sqlite._repository import (
    Records,
    stream,
    translated,
    where_clause,
)

__all__ = ["SQLiteAwards"]

R = TypeVar("R", AwardScheme, AwardResult)


def _row(scheme: AwardScheme) -> tuple[Any, ...]:
    check_storable(scheme)
    return (scheme.id, scheme.version, scheme.level.value, scheme.indicator_id, to_json(scheme))


def _reader(kind: type[R], noun: str) -> Callable[[Sequence[Any]], R]:
    """Read a row's record (its last column) as ``kind``; a damaged one is a `StorageError`."""

    def read(row: Sequence[Any]) -> R:
        try:
            return from_json(row[-1], kind)
        except (TypeError, RSQError) as error:
            raise StorageError(f"the {noun} {row[0]!r} cannot be read") from error

    return read


_read = _reader(AwardScheme, "award scheme")
_read_result = _reader(AwardResult, "award result")


def _filter(chosen: AwardFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if chosen.level is not None:
        clauses.append("level = ?")
        params.append(chosen.level.value)
    if chosen.indicator_id is not None:
        clauses.append("indicator_id = ?")
        params.append(chosen.indicator_id)
    return where_clause(clauses), params


@documented_by(AwardRepository)
class SQLiteAwards(Records[AwardScheme]):
    """Award schemes and published awards in one SQLite unit of work, ordered by id."""

    table = "award_schemes"
    kind = "award scheme"
    columns = ("id", "version", "level", "indicator_id", "record")
    order = "id"
    record_type = AwardScheme
    to_row = staticmethod(_row)
    from_row = staticmethod(_read)

    def query(
        self, *, level: AwardLevel | str | None = None, indicator_id: str | None = None
    ) -> Iterator[AwardScheme]:
        return self._stream(*_filter(AwardFilter.of(level, indicator_id)))

    def count(
        self, *, level: AwardLevel | str | None = None, indicator_id: str | None = None
    ) -> int:
        return self._count(*_filter(AwardFilter.of(level, indicator_id)))

    def publish(self, result: AwardResult) -> None:
        check_record(result, AwardResult)
        self._uow.check_writable()
        check_version_storable(result.version, saving=False)
        check_storable(result)
        record = to_json(result)
        connection = self._uow.writer()
        with translated("publishing an award result"):
            scheme = connection.execute(
                "SELECT 1 FROM award_schemes WHERE id = ?", (result.scheme_id,)
            ).fetchone()
            if scheme is None:
                raise NotFoundError(f"no award scheme with id {result.scheme_id!r}")
            taken = connection.execute(
                "SELECT 1 FROM award_results WHERE id = ?", (result.id,)
            ).fetchone()
            if taken is not None:
                raise ConflictError(f"an award result with id {result.id!r} already exists")
            connection.execute(
                "INSERT INTO award_results (id, scheme_id, record) VALUES (?, ?, ?)",
                (result.id, result.scheme_id, record),
            )

    def result(self, id: str) -> AwardResult:
        connection = self._uow.connection()
        record_id = check_id_argument(id)
        with translated("reading an award result"):
            row = connection.execute(
                "SELECT id, record FROM award_results WHERE id = ?", (record_id,)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no award result with id {record_id!r}")
        return _read_result(row)

    def results(self, *, scheme_id: str | None = None) -> Iterator[AwardResult]:
        chosen = check_scheme_id(scheme_id)
        where, params = (
            where_clause([] if chosen is None else ["scheme_id = ?"]),
            ([] if chosen is None else [chosen]),
        )
        sql = f"SELECT id, record FROM award_results{where} ORDER BY id"
        return RecordStream(
            AwardResult,
            stream(self._uow, sql, params, _read_result, "reading award result records"),
        )
