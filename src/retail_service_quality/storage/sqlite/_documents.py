"""The SQLite adapter's document repository.

Each document is kept as the library's JSON (every version, its zones and
folds survive) beside the columns it is selected by: its kind and the
instants it applies from and until.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from retail_service_quality.errors import RSQError, StorageError
from retail_service_quality.quality.documents import (
    ControlledDocument,
    DocumentKind,
    DocumentRef,
    DocumentVersion,
)
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.storage._common import check_storable, documented_by
from retail_service_quality.storage.ports import DocumentRepository
from retail_service_quality.storage.ports.documents import (
    DocumentFilter,
    document_span_us,
    resolve_in,
)
from retail_service_quality.storage.sqlite._repository import Records, where_clause

__all__ = ["SQLiteDocuments"]


def _row(document: ControlledDocument) -> tuple[Any, ...]:
    check_storable(document)
    start, end = document_span_us(document)
    return (document.id, document.version, document.kind.value, start, end, to_json(document))


def _read(row: Sequence[Any]) -> ControlledDocument:
    try:
        return from_json(row[-1], ControlledDocument)
    except (TypeError, RSQError) as error:
        raise StorageError(f"the document {row[0]!r} cannot be read") from error


def _filter(chosen: DocumentFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if chosen.kind is not None:
        clauses.append("kind = ?")
        params.append(chosen.kind.value)
    if chosen.at_us is not None:
        clauses.append("effective_us <= ? AND (ends_us IS NULL OR ends_us > ?)")
        params += [chosen.at_us, chosen.at_us]
    return where_clause(clauses), params


@documented_by(DocumentRepository)
class SQLiteDocuments(Records[ControlledDocument]):
    """Controlled documents in one SQLite unit of work, ordered by id."""

    table = "documents"
    kind = "document"
    columns = ("id", "version", "kind", "effective_us", "ends_us", "record")
    order = "id"
    record_type = ControlledDocument
    to_row = staticmethod(_row)
    from_row = staticmethod(_read)

    def resolve(self, ref: DocumentRef) -> DocumentVersion:
        return resolve_in(self, ref)

    def query(
        self, *, kind: DocumentKind | str | None = None, in_force_at: datetime | None = None
    ) -> Iterator[ControlledDocument]:
        return self._stream(*_filter(DocumentFilter.of(kind, in_force_at)))

    def count(
        self, *, kind: DocumentKind | str | None = None, in_force_at: datetime | None = None
    ) -> int:
        return self._count(*_filter(DocumentFilter.of(kind, in_force_at)))
