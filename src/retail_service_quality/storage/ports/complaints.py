"""The complaints port: which complaints a query selects, and the complaint repository."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Final, Literal, NamedTuple, Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER
from retail_service_quality._internal.validation import (
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.errors import Problems, StorageError, ValidationError
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.complaints import Complaint, ComplaintState, Remedy
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

    def summarize(
        self,
        query: ComplaintQuery | None = None,
        *,
        group_by: Sequence[ComplaintGroupBy] = (),
    ) -> RecordList[ComplaintSummary]:
        """How many complaints match, how many are closed and how many are repeats, per
        group of the keys in ``group_by`` (none: one row for every match).

        Rows come ordered by their keys in `ComplaintSummary`'s column order
        (category, channel, store, root cause, remedy requested, remedy
        offered), whatever the order of ``group_by``: a missing key first,
        then by code point. No complaint matching gives no rows.
        """

    def resolution_times(self, query: ComplaintQuery | None = None) -> Iterator[timedelta]:
        """The business resolution times (`Complaint.resolution_time`) of the matching
        complaints that have one, smallest first: closed cases with an SLA policy."""


# ---------------------------------------------------------------- analysis

__all__ += ["ComplaintGroupBy", "ComplaintSummary", "check_complaint_summary"]

ComplaintGroupBy = Literal[
    "category", "channel", "store", "root_cause", "remedy_requested", "remedy_offered"
]
"""What `ComplaintRepository.summarize` can group by."""

COMPLAINT_GROUP_BY: Final[tuple[ComplaintGroupBy, ...]] = (
    "category",
    "channel",
    "store",
    "root_cause",
    "remedy_requested",
    "remedy_offered",
)


@attrs.frozen(kw_only=True)
class ComplaintSummary(Tabular):
    """The counts of one group of complaints (`ComplaintRepository.summarize`).

    A key that was not grouped by is ``None``; so is a grouped key the
    complaints do not have (no root cause before the first closure, no
    remedy asked for, none offered yet). Identifiers and enum values only:
    no personal data.

    Attributes:
        category: the group's category (`Complaint.category`), or ``None``.
        channel: the group's channel, or ``None``.
        store_id: the group's store, or ``None``.
        root_cause: the root cause of the group's last closure, or ``None``.
        remedy_requested: the remedy the group's customers asked for, or ``None``.
        remedy_offered: the remedy last offered to them, or ``None``.
        count: how many complaints the group has.
        closed: how many of them are closed.
        repeats: how many of them repeat an earlier complaint (`Complaint.repeat_of`).

    Examples:
        >>> row = ComplaintSummary(category="billing", count=4, closed=3, repeats=1)
        >>> row.category, row.store_id, row.count
        ('billing', None, 4)
    """

    category: str | None = None
    channel: Channel | None = None
    store_id: str | None = None
    root_cause: str | None = None
    remedy_requested: Remedy | None = None
    remedy_offered: Remedy | None = None
    count: int = 0
    closed: int = 0
    repeats: int = 0


def check_complaint_summary(query: object, group_by: object) -> tuple[ComplaintGroupBy, ...]:
    """The keys of `ComplaintRepository.summarize`, its arguments checked in one round.

    Examples:
        >>> check_complaint_summary(None, ["store", "category"])
        ('store', 'category')

    Raises:
        ValidationError: every problem, with its path.
    """
    problems = Problems()
    if query is not None and not isinstance(query, ComplaintQuery):
        problems.add("$.query", "must be a ComplaintQuery or None", "type")
    keys: tuple[Any, ...] | None = None
    if isinstance(group_by, list | tuple):
        keys = tuple(group_by)
    choices = ", ".join(COMPLAINT_GROUP_BY)
    if keys is None or not all(isinstance(key, str) for key in keys):
        problems.add("$.group_by", f"must be a list drawn from {choices}", "type")
    elif not all(key in COMPLAINT_GROUP_BY for key in keys):
        problems.add("$.group_by", f"must be a list drawn from {choices}", "unknown_choice")
    elif len(set(keys)) != len(keys):
        problems.add("$.group_by", "must not repeat a key", "duplicate")
    problems.raise_if_any()
    return keys  # type: ignore[return-value]


def _order(value: str | None) -> tuple[int, str]:
    return (0, "") if value is None else (1, value)


def summary_rows(
    groups: Iterable[tuple[tuple[str | None, ...], Sequence[int]]],
) -> RecordList[ComplaintSummary]:
    """The summary rows of grouped counts, keyed by the six keys' stored values (``None``
    where absent or not grouped), ordered by those keys: ``None`` first, then code points.

    Raises:
        StorageError: a stored channel or remedy this release does not know.
    """
    rows: list[tuple[tuple[tuple[int, str], ...], ComplaintSummary]] = []
    for keys, totals in groups:
        category, channel, store_id, root_cause, requested, offered = keys
        try:
            row = ComplaintSummary(
                category=category,
                channel=None if channel is None else Channel(channel),
                store_id=store_id,
                root_cause=root_cause,
                remedy_requested=None if requested is None else Remedy(requested),
                remedy_offered=None if offered is None else Remedy(offered),
                count=int(totals[0]),
                closed=int(totals[1]),
                repeats=int(totals[2]),
            )
        except ValueError as error:
            raise StorageError(
                "a stored channel or remedy is one this release does not know"
            ) from error
        rows.append((tuple(_order(key) for key in keys), row))
    rows.sort(key=lambda item: item[0])
    return RecordList(ComplaintSummary, [row for _, row in rows])


# ---------------------------------------------------------------- pledge attainment

__all__ += ["ComplaintTiming", "ComplaintTimingRepository"]


class ComplaintTiming(NamedTuple):
    """What an SLA answer about a complaint reads: its keys, its instants, and its history
    when the history stops the clock.

    What `ComplaintTimingRepository.timings` gives, one per complaint.

    Attributes:
        id: the complaint's id.
        store_id: the store it is about.
        channel: the channel it came through.
        tier: the tier of the stored customer, or ``None`` for an anonymous complaint.
        received_at: when it was received (UTC).
        acknowledged_at: when it was first acknowledged (UTC), if it was.
        closed_at: when it was last closed (UTC), if it is closed now.
        complaint: the whole complaint when its history has clock stops (a wait on the
            customer, or a reopening), else ``None``: the instants say everything then.

    Examples:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
        >>> timing = ComplaintTiming(id="CMP-1", store_id="HK-1", channel=Channel.EMAIL,
        ...     tier=None, received_at=at, acknowledged_at=at, closed_at=None, complaint=None)
        >>> timing.acknowledged_at == at
        True
    """

    id: str
    store_id: str
    channel: Channel
    tier: str | None
    received_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None
    complaint: Complaint | None


@runtime_checkable
class ComplaintTimingRepository(Protocol):
    """What a complaint repository offers to measure complaints against a pledge.

    Both shipped adapters' complaint repositories have it; pledge attainment
    (`pledge_attainment`) uses it, so that a database sends a few columns
    per complaint rather than each whole history.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     isinstance(uow.complaints, ComplaintTimingRepository)
        True
    """

    def timings(self, query: ComplaintQuery | None = None) -> Iterator[ComplaintTiming]:
        """Stream the timings of the complaints that match, ordered by the instant received,
        then id."""
        ...


# ---------------------------------------------------------------- indicator facts

__all__ += ["ComplaintFacts", "ComplaintFactRepository"]


class ComplaintFacts(NamedTuple):
    """What the complaint indicators read of one complaint: its keys, when it was received,
    and its business resolution time.

    What `ComplaintFactRepository.facts` gives, one per complaint.

    Attributes:
        id: the complaint's id.
        store_id: the store it is about.
        channel: the channel it came through.
        category: its category.
        customer_id: the customer, or ``None`` for an anonymous complaint.
        received_us: when it was received, in microseconds since 1970-01-01 UTC.
        resolution_us: its business resolution time (`Complaint.resolution_time`) in
            microseconds, or ``None`` (open, no SLA policy, or outside the calendar's years).

    Examples:
        >>> facts = ComplaintFacts(id="CMP-1", store_id="HK-1", channel=Channel.EMAIL,
        ...     category="billing", customer_id=None, received_us=0, resolution_us=None)
        >>> facts.category
        'billing'
    """

    id: str
    store_id: str
    channel: Channel
    category: str
    customer_id: str | None
    received_us: int
    resolution_us: int | None


@runtime_checkable
class ComplaintFactRepository(Protocol):
    """What a complaint repository offers to compute the complaint indicators.

    Both shipped adapters' complaint repositories have it; `compute_indicators`
    uses it, so that a database sends a few columns per complaint rather than
    each whole history.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     isinstance(uow.complaints, ComplaintFactRepository)
        True
    """

    def facts(self, query: ComplaintQuery | None = None) -> Iterator[ComplaintFacts]:
        """Stream the facts of the complaints that match, ordered by the instant received,
        then id."""
        ...
