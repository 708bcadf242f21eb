"""The documents port: controlled documents (service standards, procedures, duties).

A `ControlledDocument` is stored whole, every version of it included, and
saved optimistically like pledges: `DocumentRepository.save` succeeds only if
the stored version is the one read. `DocumentRepository.resolve` gives the
exact version a `DocumentRef` names, so that a finding, a complaint or an
action reads what was in force when it was made. Documents hold no personal
data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.validation import check_aware, check_enum, lenient_enum
from retail_service_quality.errors import Problems, ValidationError
from retail_service_quality.quality.documents import (
    ControlledDocument,
    DocumentKind,
    DocumentRef,
    DocumentVersion,
)
from retail_service_quality.storage._time import instant_us

__all__ = ["DocumentRepository"]


@attrs.frozen
class DocumentFilter:
    """Which documents `DocumentRepository.query` selects, its arguments checked (for adapters).

    ``at_us`` is the instant ``in_force_at`` in microseconds since 1970 UTC.
    """

    kind: DocumentKind | None = None
    at_us: int | None = None

    @classmethod
    def of(cls, kind: object, in_force_at: object) -> DocumentFilter:
        """The filter, once both arguments are checked in one round (`ValidationError`)."""
        problems = Problems()
        chosen: object = None
        if kind is not None:
            chosen = lenient_enum(DocumentKind, kind)
            check_enum(chosen, DocumentKind, "$.kind", problems)
        if in_force_at is not None:
            check_aware(in_force_at, "$.in_force_at", problems)
        problems.raise_if_any()
        at = None if in_force_at is None else instant_us(in_force_at)  # type: ignore[arg-type]
        return cls(chosen, at)  # type: ignore[arg-type]

    def matches(self, document: ControlledDocument) -> bool:
        """Whether a document is selected."""
        if self.kind is not None and document.kind is not self.kind:
            return False
        if self.at_us is None:
            return True
        start, end = document_span_us(document)
        return start <= self.at_us and (end is None or self.at_us < end)


def document_span_us(document: ControlledDocument) -> tuple[int, int | None]:
    """When a document applies, as instants in microseconds: its first version's, and its end
    (``None`` while it is not withdrawn)."""
    end = None if document.ends_at is None else instant_us(document.ends_at)
    return instant_us(document.effective_from), end


def resolve_in(repository: DocumentRepository, ref: object) -> DocumentVersion:
    """The version ``ref`` names, read through ``repository`` (for adapters)."""
    if not isinstance(ref, DocumentRef):
        raise ValidationError.single("$.ref", "must be a DocumentRef", "type")
    return repository.get(ref.document_id).resolve(ref)


@runtime_checkable
class DocumentRepository(Protocol):
    """Controlled documents, each with every version of it, in one unit of work.

    `query` selects by kind and by the instant a document is in force at
    (some version of it applies: from its first version's instant until it
    is withdrawn, compared as instants).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import ControlledDocument, InMemoryStore, RoleDuties
        >>> agent = ControlledDocument.create(
        ...     id="ROLE-AGENT", title="Hotline agent",
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.documents.add(agent)
        ...     uow.documents.count(kind="role_duties"), uow.documents.resolve(agent.ref(
        ...         datetime(2026, 2, 1, tzinfo=timezone.utc))).title
        (1, 'Hotline agent')
    """

    def add(self, document: ControlledDocument) -> None:
        """Add a new document. Raises `ConflictError` if the id exists."""

    def add_many(self, documents: Iterable[ControlledDocument]) -> int:
        """Add many new documents at once; returns how many. All or none on error."""

    def get(self, id: str) -> ControlledDocument:
        """The document with that id, every version of it. Raises `NotFoundError`."""

    def save(self, document: ControlledDocument) -> ControlledDocument:
        """Store a document read at ``document.version`` (revised or withdrawn); returns it at
        the next version.

        Raises `ConflictError` if the stored version differs (someone else saved it) and
        `NotFoundError` if there is no such document.
        """

    def resolve(self, ref: DocumentRef) -> DocumentVersion:
        """The exact version a `DocumentRef` names.

        Raises `ValidationError` if ``ref`` is not a `DocumentRef`, and `NotFoundError` if
        there is no such document or it has no such version.
        """

    def query(
        self, *, kind: DocumentKind | str | None = None, in_force_at: datetime | None = None
    ) -> Iterator[ControlledDocument]:
        """Stream the documents that match, ordered by id: those of ``kind``, those in force
        at the instant ``in_force_at`` (`ControlledDocument.in_force` gives a version); every
        document if neither is given."""

    def count(
        self, *, kind: DocumentKind | str | None = None, in_force_at: datetime | None = None
    ) -> int:
        """How many documents match (as `query`)."""
