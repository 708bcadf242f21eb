"""The pledges port: service pledges, each with every version of it.

A `ServicePledge` is stored whole, its versions included, and saved
optimistically like customers: `PledgeRepository.save` succeeds only if the
stored version is the one read. Pledges hold no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.validation import check_aware, check_enum, lenient_enum
from retail_service_quality.errors import Problems
from retail_service_quality.quality.pledges import PledgeMeasure, ServicePledge
from retail_service_quality.storage._time import instant_us

__all__ = ["PledgeRepository"]


@attrs.frozen
class PledgeFilter:
    """Which pledges `PledgeRepository.query` selects, its arguments checked (for adapters).

    ``at_us`` is the instant ``in_force_at`` in microseconds since 1970 UTC.
    """

    at_us: int | None = None
    measure: PledgeMeasure | None = None

    @classmethod
    def of(cls, in_force_at: object, measure: object) -> PledgeFilter:
        """The filter, once both arguments are checked in one round (`ValidationError`)."""
        problems = Problems()
        if in_force_at is not None:
            check_aware(in_force_at, "$.in_force_at", problems)
        chosen: object = None
        if measure is not None:
            chosen = lenient_enum(PledgeMeasure, measure)
            check_enum(chosen, PledgeMeasure, "$.measure", problems)
        problems.raise_if_any()
        at = None if in_force_at is None else instant_us(in_force_at)  # type: ignore[arg-type]
        return cls(at, chosen)  # type: ignore[arg-type]

    def matches(self, pledge: ServicePledge) -> bool:
        """Whether a pledge is selected."""
        if self.measure is not None and pledge.measure is not self.measure:
            return False
        if self.at_us is None:
            return True
        start, end = pledge_span_us(pledge)
        return start <= self.at_us and (end is None or self.at_us < end)


def pledge_span_us(pledge: ServicePledge) -> tuple[int, int | None]:
    """When a pledge applies, as instants in microseconds: its first version's, and its end
    (``None`` while it is not withdrawn)."""
    end = None if pledge.ends_at is None else instant_us(pledge.ends_at)
    return instant_us(pledge.effective_from), end


@runtime_checkable
class PledgeRepository(Protocol):
    """Service pledges, each with every version of it, in one unit of work.

    `query` selects by the instant a pledge is in force at (some version of
    it applies: from its first version's instant until it is withdrawn,
    compared as instants) and by the measure of its current version.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import InMemoryStore, PledgeStandard, ServicePledge
        >>> pledge = ServicePledge.create(
        ...     id="hotline-answer", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     wording="We answer 90% of hotline calls within 30 seconds.", target_share=0.9,
        ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        ... )
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.pledges.add(pledge)
        ...     isinstance(uow.pledges, PledgeRepository), uow.pledges.get("hotline-answer").version
        (True, 1)
    """

    def add(self, pledge: ServicePledge) -> None:
        """Add a new pledge. Raises `ConflictError` if the id exists."""

    def add_many(self, pledges: Iterable[ServicePledge]) -> int:
        """Add many new pledges at once; returns how many. All or none on error."""

    def get(self, id: str) -> ServicePledge:
        """The pledge with that id, every version of it. Raises `NotFoundError`."""

    def save(self, pledge: ServicePledge) -> ServicePledge:
        """Store a pledge read at ``pledge.version`` (revised or withdrawn); returns it at the
        next version.

        Raises `ConflictError` if the stored version differs (someone else saved it) and
        `NotFoundError` if there is no such pledge.
        """

    def query(
        self, *, in_force_at: datetime | None = None, measure: PledgeMeasure | str | None = None
    ) -> Iterator[ServicePledge]:
        """Stream the pledges that match, ordered by id: those in force at the instant
        ``in_force_at`` (`ServicePledge.in_force` gives a version), those whose current
        version measures ``measure``; every pledge if neither is given."""

    def count(
        self, *, in_force_at: datetime | None = None, measure: PledgeMeasure | str | None = None
    ) -> int:
        """How many pledges match (as `query`)."""
