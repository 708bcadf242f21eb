"""The awards port: award schemes, and the awards published under them.

An `AwardScheme` is stored whole (its eligibility rules included) and saved
optimistically: `AwardRepository.save` succeeds only if the stored version is
the one read. A published `AwardResult` is kept as it was given: it is added
once and never changed, so a past award stays as published whatever the
records or the scheme become. Neither holds personal data (staff are named by
id only).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.validation import check_enum, check_id, lenient_enum
from retail_service_quality.errors import Problems
from retail_service_quality.quality.awards import AwardLevel, AwardResult, AwardScheme

__all__ = ["AwardRepository"]


@attrs.frozen
class AwardFilter:
    """Which schemes `AwardRepository.query` selects, its arguments checked (for adapters)."""

    level: AwardLevel | None = None
    indicator_id: str | None = None

    @classmethod
    def of(cls, level: object, indicator_id: object) -> AwardFilter:
        """The filter, once both arguments are checked in one round (`ValidationError`)."""
        problems = Problems()
        chosen: object = None
        if level is not None:
            chosen = lenient_enum(AwardLevel, level)
            check_enum(chosen, AwardLevel, "$.level", problems)
        if indicator_id is not None:
            check_id(indicator_id, "$.indicator_id", problems)
        problems.raise_if_any()
        return cls(chosen, indicator_id)  # type: ignore[arg-type]

    def matches(self, scheme: AwardScheme) -> bool:
        """Whether a scheme is selected."""
        if self.level is not None and scheme.level is not self.level:
            return False
        return self.indicator_id is None or scheme.indicator_id == self.indicator_id


def check_scheme_id(scheme_id: object) -> str | None:
    """A scheme id to select results by, or ``None``; anything else is a `ValidationError`."""
    if scheme_id is None:
        return None
    problems = Problems()
    check_id(scheme_id, "$.scheme_id", problems)
    problems.raise_if_any()
    return scheme_id  # type: ignore[return-value]


@runtime_checkable
class AwardRepository(Protocol):
    """Award schemes and their published results, in one unit of work.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import AwardResult, AwardScheme, InMemoryStore
        >>> scheme = AwardScheme(id="csat-agents", name="Agent of the quarter",
        ...     level="staff", period="quarter", indicator_id="csat", direction="higher")
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.awards.add(scheme)
        ...     uow.awards.publish(AwardResult(id="csat-agents-2026q1", scheme_id="csat-agents",
        ...         scheme_version=1, computed_at=datetime(2026, 4, 1, tzinfo=timezone.utc)))
        ...     isinstance(uow.awards, AwardRepository), uow.awards.count(level="staff")
        (True, 1)
    """

    def add(self, scheme: AwardScheme) -> None:
        """Add a new scheme. Raises `ConflictError` if the id exists."""

    def add_many(self, schemes: Iterable[AwardScheme]) -> int:
        """Add many new schemes at once; returns how many. All or none on error."""

    def get(self, id: str) -> AwardScheme:
        """The scheme with that id. Raises `NotFoundError`."""

    def save(self, scheme: AwardScheme) -> AwardScheme:
        """Store a scheme read at ``scheme.version`` (edited); returns it at the next version.

        Raises `ConflictError` if the stored version differs (someone else saved it) and
        `NotFoundError` if there is no such scheme.
        """

    def query(
        self, *, level: AwardLevel | str | None = None, indicator_id: str | None = None
    ) -> Iterator[AwardScheme]:
        """Stream the schemes that match, ordered by id: those whose candidates are at
        ``level``, those that rank on ``indicator_id``; every scheme if neither is given."""

    def count(
        self, *, level: AwardLevel | str | None = None, indicator_id: str | None = None
    ) -> int:
        """How many schemes match (as `query`)."""

    def publish(self, result: AwardResult) -> None:
        """Keep a published award. Raises `ConflictError` if a result with its id exists
        and `NotFoundError` if its scheme does not; a result is never changed after."""

    def result(self, id: str) -> AwardResult:
        """The published award with that id. Raises `NotFoundError`."""

    def results(self, *, scheme_id: str | None = None) -> Iterator[AwardResult]:
        """Stream the published awards, ordered by id: those of ``scheme_id``, or every one."""
