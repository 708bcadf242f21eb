"""The in-memory adapter's document repository."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from retail_service_quality.quality.documents import (
    ControlledDocument,
    DocumentKind,
    DocumentRef,
    DocumentVersion,
)
from retail_service_quality.serialization._records import RecordStream
from retail_service_quality.storage._common import documented_by
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports import DocumentRepository
from retail_service_quality.storage.ports.documents import DocumentFilter, resolve_in

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryDocuments"]


def _by_id(document: ControlledDocument) -> str:
    return document.id


@documented_by(DocumentRepository)
class MemoryDocuments(Records[ControlledDocument]):
    """Controlled documents in one in-memory unit of work, ordered by id."""

    record_type = ControlledDocument

    def __init__(self, table: Table[ControlledDocument], uow: MemoryUnitOfWork) -> None:
        super().__init__(table, uow, _by_id)

    def resolve(self, ref: DocumentRef) -> DocumentVersion:
        return resolve_in(self, ref)

    def query(
        self, *, kind: DocumentKind | str | None = None, in_force_at: datetime | None = None
    ) -> Iterator[ControlledDocument]:
        chosen = DocumentFilter.of(kind, in_force_at)
        return RecordStream(ControlledDocument, self._uow.stream(self._matching(chosen.matches)))

    def count(
        self, *, kind: DocumentKind | str | None = None, in_force_at: datetime | None = None
    ) -> int:
        return len(self._matching(DocumentFilter.of(kind, in_force_at).matches))
