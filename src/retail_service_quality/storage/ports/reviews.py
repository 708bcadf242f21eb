"""The review cycles port: each cycle with its inputs and decisions.

A `ReviewCycle` is stored whole and saved optimistically like pledges:
`ReviewRepository.save` succeeds only if the stored version is the one read.
Cycles hold no personal data: their inputs and decisions name groups, ids and
roles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.validation import check_aware, check_enum, lenient_enum
from retail_service_quality.errors import Problems
from retail_service_quality.quality.reviews import ReviewCycle, ReviewStatus
from retail_service_quality.storage._time import instant_us

__all__ = ["ReviewRepository"]


@attrs.frozen
class ReviewFilter:
    """Which cycles `ReviewRepository.query` selects, its arguments checked (for adapters).

    ``at_us`` is the instant ``covering`` in microseconds since 1970 UTC.
    """

    at_us: int | None = None
    status: ReviewStatus | None = None

    @classmethod
    def of(cls, covering: object, status: object) -> ReviewFilter:
        """The filter, once both arguments are checked in one round (`ValidationError`)."""
        problems = Problems()
        if covering is not None:
            check_aware(covering, "$.covering", problems)
        chosen: object = None
        if status is not None:
            chosen = lenient_enum(ReviewStatus, status)
            check_enum(chosen, ReviewStatus, "$.status", problems)
        problems.raise_if_any()
        at = None if covering is None else instant_us(covering)  # type: ignore[arg-type]
        return cls(at, chosen)  # type: ignore[arg-type]

    def matches(self, cycle: ReviewCycle) -> bool:
        """Whether a cycle is selected."""
        if self.status is not None and cycle.status is not self.status:
            return False
        if self.at_us is None:
            return True
        start, end = review_span_us(cycle)
        return start <= self.at_us < end


def review_span_us(cycle: ReviewCycle) -> tuple[int, int]:
    """A cycle's period as instants in microseconds: ``[start, end)``."""
    return instant_us(cycle.start), instant_us(cycle.end)


@runtime_checkable
class ReviewRepository(Protocol):
    """Review cycles, each with its inputs and decisions, in one unit of work.

    `query` selects by status and by an instant the cycle's period covers
    (compared as instants).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore, ReviewCycle
        >>> cycle = ReviewCycle.plan(id="Q1", start=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     end=datetime(2026, 4, 1, tzinfo=timezone.utc))
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.reviews.add(cycle)
        ...     isinstance(uow.reviews, ReviewRepository), uow.reviews.get("Q1").version
        (True, 1)
    """

    def add(self, cycle: ReviewCycle) -> None:
        """Add a new cycle. Raises `ConflictError` if the id exists."""

    def add_many(self, cycles: Iterable[ReviewCycle]) -> int:
        """Add many new cycles at once; returns how many. All or none on error."""

    def get(self, id: str) -> ReviewCycle:
        """The cycle with that id. Raises `NotFoundError`."""

    def save(self, cycle: ReviewCycle) -> ReviewCycle:
        """Store a cycle read at ``cycle.version`` (with inputs, decisions, closed); returns
        it at the next version.

        Raises `ConflictError` if the stored version differs (someone else saved it) and
        `NotFoundError` if there is no such cycle.
        """

    def query(
        self, *, status: ReviewStatus | str | None = None, covering: datetime | None = None
    ) -> Iterator[ReviewCycle]:
        """Stream the cycles that match, ordered by id: those with ``status``, those whose
        period covers the instant ``covering``; every cycle if neither is given."""

    def count(
        self, *, status: ReviewStatus | str | None = None, covering: datetime | None = None
    ) -> int:
        """How many cycles match (as `query`)."""
