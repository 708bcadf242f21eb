"""The complaints port: which complaints a query selects, and the complaint repository."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.schema import IDENTIFIER
from retail_service_quality._internal.validation import (
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.errors import Problems, ValidationError
from retail_service_quality.service.complaints import Complaint, ComplaintState
from retail_service_quality.service.interactions import Channel
from retail_service_quality.service.sla import TargetKind
from retail_service_quality.storage._time import instant_us

__all__ = ["ComplaintQuery", "ComplaintRepository", "check_due_arguments"]


def _optional_channel(value: Channel | str | None) -> Channel | None:
    return lenient_enum(Channel, value)


def _optional_state(value: ComplaintState | str | None) -> ComplaintState | None:
    return lenient_enum(ComplaintState, value)


@attrs.frozen(kw_only=True)
class ComplaintQuery:
    """Which complaints a query selects; every given criterion must hold.

    ``start`` is inclusive and ``end`` exclusive, both timezone-aware, and
    both compare with the instant each complaint was received.

    Attributes:
        start: select complaints received at or after this moment, if given.
        end: select complaints received before this moment, if given.
        store_id: select complaints about this store, if given.
        channel: select complaints received through this channel, if given.
        customer_id: select this customer's complaints, if given.
        category: select complaints in this category (`Complaint.category`), if given.
        state: select complaints in this `ComplaintState`, if given.
        open: select open complaints (``True``: every state but closed) or
            closed ones (``False``), if given.

    Examples:
        >>> ComplaintQuery(customer_id="C-1", open=True).open
        True
        >>> ComplaintQuery(state="waiting_on_customer").state
        <ComplaintState.WAITING_ON_CUSTOMER: 'waiting_on_customer'>

    Raises:
        ValidationError: every problem, with its path.
    """

    start: datetime | None = None
    end: datetime | None = None
    store_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    channel: Channel | None = attrs.field(default=None, converter=_optional_channel)
    customer_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    category: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    state: ComplaintState | None = attrs.field(default=None, converter=_optional_state)
    open: bool | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if self.start is not None:
            check_aware(self.start, "$.start", problems)
        if self.end is not None:
            check_aware(self.end, "$.end", problems)
        if (
            isinstance(self.start, datetime)
            and isinstance(self.end, datetime)
            and not problems
            and instant_us(self.end) < instant_us(self.start)
        ):
            problems.add("$.end", "must not be before start", "inconsistent")
        check_id(self.store_id, "$.store_id", problems, optional=True)
        if self.channel is not None:
            check_enum(self.channel, Channel, "$.channel", problems)
        check_id(self.customer_id, "$.customer_id", problems, optional=True)
        check_id(self.category, "$.category", problems, optional=True)
        if self.state is not None:
            check_enum(self.state, ComplaintState, "$.state", problems)
        if not isinstance(self.open, bool | None):
            problems.add("$.open", "must be true, false or null", "type")
        problems.raise_if_any()

    def matches(self, complaint: Complaint) -> bool:
        """Whether a complaint meets every criterion.

        Examples:
            >>> from datetime import datetime, timezone
            >>> complaint = Complaint.receive(id="CMP-1", channel="email", store_id="HK-1",
            ...     category="billing", at=datetime(2026, 11, 30, tzinfo=timezone.utc))
            >>> ComplaintQuery(category="billing", open=True).matches(complaint)
            True
        """
        if self.start is not None or self.end is not None:
            at = instant_us(complaint.received_at)
            if (self.start is not None and at < instant_us(self.start)) or (
                self.end is not None and at >= instant_us(self.end)
            ):
                return False
        state = complaint.state
        return (
            (self.store_id is None or complaint.store_id == self.store_id)
            and (self.channel is None or complaint.channel is self.channel)
            and (self.customer_id is None or complaint.customer_id == self.customer_id)
            and (self.category is None or complaint.category == self.category)
            and (self.state is None or state is self.state)
            and (self.open is None or (state is not ComplaintState.CLOSED) is self.open)
        )


def check_due_arguments(
    kind: object, after: object, before: object, query: object
) -> tuple[TargetKind, int | None, int | None]:
    """The target kind and the bounds in microseconds of `ComplaintRepository.due`'s arguments.

    Examples:
        >>> check_due_arguments("resolution", None, None, None)
        (<TargetKind.RESOLUTION: 'resolution'>, None, None)

    Raises:
        ValidationError: every problem, with its path.
    """
    problems = Problems()
    chosen = lenient_enum(TargetKind, kind)
    if not isinstance(chosen, TargetKind):
        problems.add(
            "$.kind",
            "must be one of " + ", ".join(member.value for member in TargetKind),
            "unknown_choice" if isinstance(kind, str) else "type",
        )
    if after is not None:
        check_aware(after, "$.after", problems)
    if before is not None:
        check_aware(before, "$.before", problems)
    if query is not None and not isinstance(query, ComplaintQuery):
        problems.add("$.query", "must be a ComplaintQuery or None", "type")
    problems.raise_if_any()
    low = None if after is None else instant_us(after)  # type: ignore[arg-type]
    high = None if before is None else instant_us(before)  # type: ignore[arg-type]
    if low is not None and high is not None and high < low:
        raise ValidationError.single("$.before", "must not be before after", "inconsistent")
    return chosen, low, high


@runtime_checkable
class ComplaintRepository(Protocol):
    """Complaints, each with its whole event history, in one unit of work.

    Besides the usual reads, `due` lists the open complaints by the
    deadline of one of their targets (`Complaint.due_at`), soonest first:
    what is breached already, what breaches in the next hour. Stores index
    those deadlines, recomputed from each complaint's history whenever it
    is saved, so the question stays quick among many open cases.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Complaint, InMemoryStore
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.complaints.add(Complaint.receive(id="CMP-1", channel="email",
        ...         store_id="HK-1", category="billing",
        ...         at=datetime(2026, 11, 30, tzinfo=timezone.utc)))
        ...     isinstance(uow.complaints, ComplaintRepository), uow.complaints.get("CMP-1").version
        (True, 1)
    """

    def add(self, complaint: Complaint) -> None:
        """Add a new complaint. Raises `ConflictError` if the id exists and `NotFoundError` if
        it names a customer that does not exist."""

    def add_many(self, complaints: Iterable[Complaint]) -> int:
        """Add many new complaints at once; returns how many. All or none on error."""

    def get(self, id: str) -> Complaint:
        """The complaint with that id (its reference). Raises `NotFoundError`."""

    def save(self, complaint: Complaint) -> Complaint:
        """Store a complaint read at ``complaint.version`` with events appended; returns it
        at the next version.

        Raises `ConflictError` if the stored version differs (someone else moved it on) and
        `NotFoundError` if there is no such complaint.
        """

    def query(self, query: ComplaintQuery | None = None) -> Iterator[Complaint]:
        """Stream the complaints that match, ordered by the instant received, then id."""

    def count(self, query: ComplaintQuery | None = None) -> int:
        """How many complaints match."""

    def due(
        self,
        kind: TargetKind | str = TargetKind.RESOLUTION,
        *,
        after: datetime | None = None,
        before: datetime | None = None,
        query: ComplaintQuery | None = None,
    ) -> Iterator[Complaint]:
        """Stream the complaints with a deadline for ``kind`` (`Complaint.due_at`), soonest
        first, then by id.

        Only deadlines at or after ``after`` and before ``before`` are listed,
        when given: ``before=now`` lists what is breached, ``after=now,
        before=now + 1 hour`` what breaches in the next hour. ``query``
        narrows further (a store, a channel).
        """
