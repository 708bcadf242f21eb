"""The interactions port: queries, summaries and the interaction repository."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Final, Literal, NamedTuple, Protocol, runtime_checkable

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER
from retail_service_quality._internal.times import zone_named
from retail_service_quality._internal.validation import (
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.errors import Problems
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    InteractionKind,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.storage._time import instant_us

__all__ = [
    "SHORT_ABANDON",
    "GroupBy",
    "InteractionQuery",
    "InteractionRepository",
    "InteractionSummary",
    "Period",
]

Period = Literal["day", "week", "month"]
"""How `InteractionRepository.summarize` buckets time: local day, ISO week or month."""

GroupBy = Literal["period", "store", "channel"]
"""What `InteractionRepository.summarize` can group by."""

SHORT_ABANDON: Final = timedelta(seconds=5)
"""Abandoned calls that waited less than this are short abandons, left out of the calls offered
(`InteractionRepository.summarize`): the caller rang off before anyone could answer."""


def _optional_channel(value: Channel | str | None) -> Channel | None:
    return lenient_enum(Channel, value)


def _optional_status(value: InteractionStatus | str | None) -> InteractionStatus | None:
    return lenient_enum(InteractionStatus, value)


def _optional_kind(value: InteractionKind | str | None) -> InteractionKind | None:
    return lenient_enum(InteractionKind, value)


def _optional_direction(
    value: InteractionDirection | str | None,
) -> InteractionDirection | None:
    return lenient_enum(InteractionDirection, value)


def _check_range(start: object, end: object, problems: Problems) -> None:
    if start is not None:
        check_aware(start, "$.start", problems)
    if end is not None:
        check_aware(end, "$.end", problems)
    if (
        isinstance(start, datetime)
        and isinstance(end, datetime)
        and not problems
        and instant_us(end) < instant_us(start)
    ):
        problems.add("$.end", "must not be before start", "inconsistent")


@attrs.frozen(kw_only=True)
class InteractionQuery:
    """Which interactions a query selects; every given criterion must hold.

    ``start`` is inclusive and ``end`` exclusive, both timezone-aware.

    Attributes:
        start: select interactions that occurred at or after this moment
            (timezone-aware), if given.
        end: select interactions that occurred before this moment (timezone-aware), if
            given.
        store_id: select interactions handled by this store, if given.
        channel: select interactions that came through this channel, if given.
        customer_id: select interactions with this customer, if given.
        status: select interactions in this status, if given.
        kind: select interactions of this `InteractionKind`, if given.
        direction: select inbound or outbound interactions, if given.
        abandoned: select abandoned calls (``True``) or every other interaction
            (``False``), if given.

    Examples:
        >>> from datetime import datetime, timezone
        >>> query = InteractionQuery(store_id="HK-CWB", channel="hotline")
        >>> query.channel
        <Channel.HOTLINE: 'hotline'>
        >>> InteractionQuery(kind="complaint", direction="inbound", abandoned=False).kind
        <InteractionKind.COMPLAINT: 'complaint'>

    Raises:
        ValidationError: every problem, with its path.
    """

    start: datetime | None = None
    end: datetime | None = None
    store_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    channel: Channel | None = attrs.field(default=None, converter=_optional_channel)
    customer_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    status: InteractionStatus | None = attrs.field(default=None, converter=_optional_status)
    kind: InteractionKind | None = attrs.field(default=None, converter=_optional_kind)
    direction: InteractionDirection | None = attrs.field(
        default=None, converter=_optional_direction
    )
    abandoned: bool | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_range(self.start, self.end, problems)
        check_id(self.store_id, "$.store_id", problems, optional=True)
        if self.channel is not None:
            check_enum(self.channel, Channel, "$.channel", problems)
        check_id(self.customer_id, "$.customer_id", problems, optional=True)
        if self.status is not None:
            check_enum(self.status, InteractionStatus, "$.status", problems)
        if self.kind is not None:
            check_enum(self.kind, InteractionKind, "$.kind", problems)
        if self.direction is not None:
            check_enum(self.direction, InteractionDirection, "$.direction", problems)
        if not isinstance(self.abandoned, bool | None):
            problems.add("$.abandoned", "must be true, false or null", "type")
        problems.raise_if_any()

    def matches(self, interaction: ServiceInteraction) -> bool:
        """Whether an interaction meets every criterion.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality import ServiceInteraction
            >>> contact = ServiceInteraction(id="I-1", store_id="S1", channel="fax",
            ...     occurred_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> InteractionQuery(channel="fax").matches(contact)
            True
        """
        if self.start is not None or self.end is not None:
            # Instants, not wall clocks: Python compares datetimes that share a zone by
            # their wall clocks, which puts the repeated hour of a DST change out of order.
            at = instant_us(interaction.occurred_at)
            if (self.start is not None and at < instant_us(self.start)) or (
                self.end is not None and at >= instant_us(self.end)
            ):
                return False
        return (
            (self.store_id is None or interaction.store_id == self.store_id)
            and (self.channel is None or interaction.channel is self.channel)
            and (self.customer_id is None or interaction.customer_id == self.customer_id)
            and (self.status is None or interaction.status is self.status)
            and (self.kind is None or interaction.kind is self.kind)
            and (self.direction is None or interaction.direction is self.direction)
            and (self.abandoned is None or interaction.abandoned is self.abandoned)
        )


@attrs.frozen(kw_only=True)
class InteractionSummary(Tabular):
    """Counts and handle-time sums of one group of interactions, and its calls' abandonment.

    A key that was not grouped by is ``None``. ``handled`` counts the
    interactions with a recorded handle time, so average handle time is
    ``handle_time / handled``. ``offered`` counts the calls offered to the
    queue (the inbound contacts on the hotline) and ``abandoned`` those of
    them the caller hung up on while waiting, so the abandonment rate is
    ``abandoned / offered`` (`abandonment_rate`). Short abandons (callers who
    rang off within `SHORT_ABANDON`, by their recorded queue time) are in
    neither: they are counted apart, in ``short_abandoned``. An abandoned
    call with no queue time recorded is not a short abandon.

    Attributes:
        period: the first date of the group's day, ISO week or month, or ``None`` when
            not grouped by period.
        store_id: the group's store, or ``None`` when not grouped by store.
        channel: the group's channel, or ``None`` when not grouped by channel.
        count: how many interactions the group has.
        handled: how many of them have a recorded handle time.
        handle_time: the sum of their recorded handle times.
        offered: how many of them are calls offered to the queue: inbound, on the hotline.
        abandoned: how many of those calls were abandoned in the queue.
        short_abandoned: how many calls were abandoned within the short-abandon
            threshold, left out of ``offered`` and ``abandoned``.

    Examples:
        >>> from datetime import date, timedelta
        >>> row = InteractionSummary(period=date(2026, 11, 2), store_id="S1", channel=None,
        ...     count=40, handled=38, handle_time=timedelta(hours=3, minutes=10),
        ...     offered=25, abandoned=2)
        >>> row.average_handle_time, row.abandonment_rate
        (datetime.timedelta(seconds=300), 0.08)
    """

    period: date | None
    store_id: str | None
    channel: Channel | None
    count: int
    handled: int
    handle_time: timedelta
    offered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0

    @property
    def average_handle_time(self) -> timedelta | None:
        """``handle_time / handled``, or ``None`` when no handle time was recorded.

        Examples:
            >>> from datetime import timedelta
            >>> InteractionSummary(period=None, store_id=None, channel=None, count=3,
            ...     handled=0, handle_time=timedelta(0)).average_handle_time is None
            True
        """
        return self.handle_time / self.handled if self.handled else None

    @property
    def abandonment_rate(self) -> float | None:
        """``abandoned / offered``: the share of calls lost in the queue, or ``None`` without calls.

        Examples:
            >>> from datetime import timedelta
            >>> InteractionSummary(period=None, store_id=None, channel=None, count=3,
            ...     handled=0, handle_time=timedelta(0)).abandonment_rate is None
            True
        """
        return self.abandoned / self.offered if self.offered else None


@runtime_checkable
class InteractionRepository(Protocol):
    """Service interactions in one unit of work.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> with SQLiteStore(":memory:") as store, store.unit_of_work() as uow:
        ...     isinstance(uow.interactions, InteractionRepository)
        True
    """

    def add(self, interaction: ServiceInteraction) -> None:
        """Add a new interaction. Raises `ConflictError` if the id exists and
        `NotFoundError` if it names a customer that does not exist."""

    def add_many(self, interactions: Iterable[ServiceInteraction]) -> int:
        """Add many new interactions at once; returns how many. All or none on error."""

    def get(self, id: str) -> ServiceInteraction:
        """The interaction with that id. Raises `NotFoundError`."""

    def save(self, interaction: ServiceInteraction) -> ServiceInteraction:
        """Store a changed interaction read at its ``version``; returns it at the next version."""

    def query(self, query: InteractionQuery | None = None) -> Iterator[ServiceInteraction]:
        """Stream the interactions that match, ordered by time, then id."""

    def count(self, query: InteractionQuery | None = None) -> int:
        """How many interactions match."""

    def summarize(
        self,
        query: InteractionQuery | None = None,
        *,
        group_by: Sequence[GroupBy] = ("period",),
        period: Period = "day",
        utc_offset: timedelta = timedelta(0),
        timezone: str | None = None,
        short_abandon: timedelta = SHORT_ABANDON,
    ) -> RecordList[InteractionSummary]:
        """Counts and handle-time sums grouped by period, store and/or channel.

        Periods are read at ``utc_offset`` from UTC, or, with ``timezone`` (an
        IANA name), in that zone's local time, daylight saving included. Rows
        come ordered by their keys. An abandoned call whose recorded queue time
        is under ``short_abandon`` (5 seconds unless given; zero keeps every
        one) is a short abandon: left out of the calls offered and abandoned,
        and counted in ``short_abandoned``.
        """

    def handle_times(self, query: InteractionQuery | None = None) -> Iterator[timedelta]:
        """The recorded handle times of the matching interactions, smallest first."""


# ---------------------------------------------------------------- answer-time attainment

__all__ += ["AnswerCounts", "AnswerTimeRepository"]


class AnswerCounts(NamedTuple):
    """The calls of one local day, store, channel and customer tier, against an answer time.

    What `AnswerTimeRepository.answer_counts` gives, one per group that has calls.

    Attributes:
        day: the local day, as days since 1970-01-01 in the zone asked for.
        store_id: the store that took the calls.
        channel: the channel they came through.
        tier: the tier of the stored customer, or ``None`` for an anonymous call (and when
            tiers were not asked for).
        met: answered, with a recorded queue time within the threshold.
        not_met: answered after the threshold, or abandoned (short abandons apart).
        short: abandoned with a recorded queue time under the short-abandon threshold.
        unmeasured: answered, with no queue time recorded.

    Examples:
        >>> row = AnswerCounts(day=20_000, store_id="S1", channel=Channel.HOTLINE, tier=None,
        ...     met=8, not_met=2, short=1, unmeasured=0)
        >>> row.met + row.not_met
        10
    """

    day: int
    store_id: str
    channel: Channel
    tier: str | None
    met: int
    not_met: int
    short: int
    unmeasured: int


@runtime_checkable
class AnswerTimeRepository(Protocol):
    """What an interaction repository offers to measure calls against an answer time.

    Both shipped adapters' interaction repositories have it; pledge
    attainment (`pledge_attainment`) uses it, so that a database counts the
    calls itself rather than sending each one.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     isinstance(uow.interactions, AnswerTimeRepository)
        True
    """

    def answer_counts(
        self,
        *,
        start: datetime,
        end: datetime,
        within: timedelta,
        channels: Sequence[Channel],
        timezone: str,
        short_abandon: timedelta = SHORT_ABANDON,
        tiers: bool = False,
    ) -> list[AnswerCounts]:
        """The inbound calls that began in ``[start, end)`` on ``channels``, counted against
        ``within`` per local day (in the IANA ``timezone``), store, channel and, with
        ``tiers``, the stored customer's tier; in no particular order.

        A call answered with a recorded queue time of at most ``within`` is met; one answered
        later, or abandoned, is not met; one abandoned with a recorded queue time under
        ``short_abandon`` is a short abandon; one answered with no queue time is unmeasured.
        """
        ...


__all__ += ["check_answer_counts", "check_short_abandon"]


def check_short_abandon(short_abandon: object, problems: Problems) -> None:
    """Add the problem at ``$.short_abandon`` unless it is a duration from zero to one hour.

    Examples:
        >>> problems = Problems()
        >>> check_short_abandon(timedelta(hours=2), problems)
        >>> [problem.path for problem in problems]
        ['$.short_abandon']
    """
    if (
        not isinstance(short_abandon, timedelta)
        or short_abandon < timedelta(0)
        or short_abandon > timedelta(hours=1)
    ):
        problems.add(
            "$.short_abandon",
            "must be a timedelta from zero to one hour",
            "range" if isinstance(short_abandon, timedelta) else "type",
        )


def check_answer_counts(
    start: object,
    end: object,
    within: object,
    channels: object,
    timezone: object,
    short_abandon: object,
    tiers: object,
) -> tuple[int, int, int, tuple[Channel, ...], str, int]:
    """The arguments of `AnswerTimeRepository.answer_counts`, checked in one round.

    Returns the start, end, threshold and short-abandon threshold in
    microseconds, the channels and the zone's name.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> at = datetime(1970, 1, 1, tzinfo=timezone.utc)
        >>> check_answer_counts(at, at, timedelta(seconds=1), ["hotline"], "UTC",
        ...                     timedelta(0), False)
        (0, 0, 1000000, (<Channel.HOTLINE: 'hotline'>,), 'UTC', 0)

    Raises:
        ValidationError: every problem, with its path.
    """
    problems = Problems()
    _check_range(start, end, problems)
    if start is None:
        problems.add("$.start", "is required", "required")
    if end is None:
        problems.add("$.end", "is required", "required")
    if not isinstance(within, timedelta) or not timedelta(0) < within <= timedelta(days=3660):
        problems.add(
            "$.within",
            "must be a positive duration of at most 3660 days",
            "range" if isinstance(within, timedelta) else "type",
        )
    chosen: list[Channel] = []
    if isinstance(channels, str | bytes) or not isinstance(channels, list | tuple):
        problems.add("$.channels", "must be a list of channels", "type")
    else:
        for index, channel in enumerate(channels):
            found = lenient_enum(Channel, channel)
            if isinstance(found, Channel):
                chosen.append(found)
            else:
                problems.add(f"$.channels[{index}]", "must be a channel", "unknown_choice")
    if zone_named(timezone) is None:
        problems.add("$.timezone", "must be a known IANA time zone", "unknown_choice")
    check_short_abandon(short_abandon, problems)
    if not isinstance(tiers, bool):
        problems.add("$.tiers", "must be True or False", "type")
    problems.raise_if_any()
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    assert isinstance(within, timedelta)
    assert isinstance(short_abandon, timedelta)
    assert isinstance(timezone, str)
    return (
        instant_us(start),
        instant_us(end),
        within // timedelta(microseconds=1),
        tuple(dict.fromkeys(chosen)),
        timezone,
        short_abandon // timedelta(microseconds=1),
    )


# ---------------------------------------------------------------- indicator tallies

__all__ += ["InteractionTally", "TallyRepository", "check_tally"]

_MAX_THRESHOLDS: Final = 16


class InteractionTally(NamedTuple):
    """The interactions of one local day (and hour), store, channel (and agent), counted.

    What `TallyRepository.tally` gives, one per group that has interactions: the
    sums the contact-centre indicators are computed from, so that a database
    adds them up itself rather than sending each interaction.

    Attributes:
        day: the local day, as days since 1970-01-01 in the zone asked for.
        hour: the local hour (0-23), or ``None`` when not asked for.
        store_id: the store that handled them.
        channel: the channel they came through.
        agent_id: the staff member, or ``None`` (not recorded, or not asked for).
        contacts: every interaction.
        handled: those with a recorded handle time.
        handle_us: the sum of those handle times, in microseconds.
        inbound: inbound interactions: contacts offered to the service.
        short: inbound ones abandoned with a recorded queue time under the short-abandon
            threshold.
        abandoned: inbound ones abandoned otherwise.
        queue_measured: inbound ones answered (not abandoned) with a recorded queue time.
        queue_us: the sum of those queue times, in microseconds.
        within: per threshold asked for, the answered ones with a recorded queue time of at
            most the threshold.
        abandoned_within: per threshold, the abandoned ones (short abandons apart) with a
            recorded queue time of at most the threshold.
        fcr_known: those marked resolved at first contact, either way.
        fcr_yes: those marked resolved at first contact.
        repeat_known: those with a known customer (asked for with a repeat window).
        repeat_free: of those, the ones with no later contact from the same customer on the
            same subject within the window.

    Examples:
        >>> row = InteractionTally(day=20_000, hour=None, store_id="S1",
        ...     channel=Channel.HOTLINE, agent_id=None, contacts=12, handled=10,
        ...     handle_us=3_000_000_000, inbound=12, short=1, abandoned=1,
        ...     queue_measured=10, queue_us=150_000_000, within=(8,), abandoned_within=(0,),
        ...     fcr_known=0, fcr_yes=0, repeat_known=0, repeat_free=0)
        >>> row.inbound - row.short - row.abandoned
        10
    """

    day: int
    hour: int | None
    store_id: str
    channel: Channel
    agent_id: str | None
    contacts: int
    handled: int
    handle_us: int
    inbound: int
    short: int
    abandoned: int
    queue_measured: int
    queue_us: int
    within: tuple[int, ...]
    abandoned_within: tuple[int, ...]
    fcr_known: int
    fcr_yes: int
    repeat_known: int
    repeat_free: int


@runtime_checkable
class TallyRepository(Protocol):
    """What an interaction repository offers to compute the contact-centre indicators.

    Both shipped adapters' interaction repositories have it; the indicators
    (`compute_indicators`) use it.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     isinstance(uow.interactions, TallyRepository)
        True
    """

    def tally(
        self,
        *,
        start: datetime,
        end: datetime,
        timezone: str,
        within: Sequence[timedelta] = (),
        short_abandon: timedelta = SHORT_ABANDON,
        by_hour: bool = False,
        by_agent: bool = False,
        repeat_window: timedelta | None = None,
    ) -> list[InteractionTally]:
        """The interactions that began in ``[start, end)``, counted per local day (and, with
        ``by_hour``, local hour) in the IANA ``timezone``, store, channel and, with
        ``by_agent``, agent; in no particular order.

        ``within`` are the answer-time thresholds counted. With ``repeat_window``, each
        contact with a known customer is checked for a later contact (strictly later
        instant, at most the window later, whenever it was stored) from the same customer
        with the same subject.
        """
        ...


def check_tally(
    start: object,
    end: object,
    timezone: object,
    within: object,
    short_abandon: object,
    by_hour: object,
    by_agent: object,
    repeat_window: object,
) -> tuple[int, int, str, tuple[int, ...], int, int | None]:
    """The arguments of `TallyRepository.tally`, checked in one round.

    Returns the start and end in microseconds, the zone's name, the
    thresholds, the short-abandon threshold and the repeat window in
    microseconds.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> at = datetime(1970, 1, 1, tzinfo=timezone.utc)
        >>> check_tally(at, at, "UTC", [timedelta(seconds=20)], timedelta(seconds=5),
        ...             False, False, None)
        (0, 0, 'UTC', (20000000,), 5000000, None)

    Raises:
        ValidationError: every problem, with its path.
    """
    problems = Problems()
    _check_range(start, end, problems)
    if start is None:
        problems.add("$.start", "is required", "required")
    if end is None:
        problems.add("$.end", "is required", "required")
    if zone_named(timezone) is None:
        problems.add("$.timezone", "must be a known IANA time zone", "unknown_choice")
    thresholds: list[int] = []
    if isinstance(within, str | bytes) or not isinstance(within, list | tuple):
        problems.add("$.within", "must be a list of durations", "type")
    elif len(within) > _MAX_THRESHOLDS:
        problems.add("$.within", f"must list at most {_MAX_THRESHOLDS} thresholds", "range")
    else:
        for index, threshold in enumerate(within):
            if not isinstance(threshold, timedelta) or not (
                timedelta(0) < threshold <= timedelta(days=1)
            ):
                problems.add(
                    f"$.within[{index}]",
                    "must be a positive duration of at most one day",
                    "range" if isinstance(threshold, timedelta) else "type",
                )
            else:
                thresholds.append(threshold // timedelta(microseconds=1))
    check_short_abandon(short_abandon, problems)
    for value, path in ((by_hour, "$.by_hour"), (by_agent, "$.by_agent")):
        if not isinstance(value, bool):
            problems.add(path, "must be True or False", "type")
    if repeat_window is not None and (
        not isinstance(repeat_window, timedelta)
        or not timedelta(0) < repeat_window <= timedelta(days=366)
    ):
        problems.add(
            "$.repeat_window",
            "must be a positive duration of at most 366 days, or None",
            "range" if isinstance(repeat_window, timedelta) else "type",
        )
    problems.raise_if_any()
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    assert isinstance(short_abandon, timedelta)
    assert isinstance(timezone, str)
    return (
        instant_us(start),
        instant_us(end),
        timezone,
        tuple(thresholds),
        short_abandon // timedelta(microseconds=1),
        None
        if not isinstance(repeat_window, timedelta)
        else repeat_window // timedelta(microseconds=1),
    )
