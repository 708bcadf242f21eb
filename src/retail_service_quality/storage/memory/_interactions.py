"""The in-memory adapter's interaction repository, with summaries and handle times."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from retail_service_quality.customers import Customer
from retail_service_quality.errors import NotFoundError
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    ServiceInteraction,
)
from retail_service_quality.storage._common import (
    Summary,
    check_summary_arguments,
    documented_by,
)
from retail_service_quality.storage._time import DAY_US, US, instant_us, local_day, offset_at
from retail_service_quality.storage.memory._repository import Repository, Table
from retail_service_quality.storage.ports import (
    GroupBy,
    InteractionQuery,
    InteractionRepository,
    InteractionSummary,
    Period,
)
from retail_service_quality.storage.ports.interactions import (
    SHORT_ABANDON,
    AnswerCounts,
    InteractionTally,
    check_answer_counts,
    check_tally,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryInteractions"]

INBOUND = InteractionDirection.INBOUND
HOUR_US: Final = 3_600_000_000


def _by_instant(interaction: ServiceInteraction) -> tuple[int, str]:
    return instant_us(interaction.occurred_at), interaction.id


@documented_by(InteractionRepository)
class MemoryInteractions(Repository[ServiceInteraction, InteractionQuery]):
    """Service interactions in one in-memory unit of work, ordered by instant, then id."""

    record_type = ServiceInteraction
    query_type = InteractionQuery

    def __init__(
        self,
        table: Table[ServiceInteraction],
        customers: Table[Customer],
        uow: MemoryUnitOfWork,
    ) -> None:
        super().__init__(table, uow, _by_instant, self._check_customer)
        self._customers = customers

    def _check_customer(self, interaction: ServiceInteraction) -> None:
        customer_id = interaction.customer_id
        if customer_id is not None and self._customers.lookup(customer_id) is None:
            raise NotFoundError(
                f"interaction {interaction.id!r} names a customer that does not exist"
            )

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
        zone, keys = check_summary_arguments(
            group_by, period, utc_offset, timezone, short_abandon=short_abandon
        )
        records = self.selected(query)
        summary = Summary(keys, period)
        fixed = None if timezone is not None else utc_offset // US
        for record in records:
            day = None
            if summary.by_period:
                at = instant_us(record.occurred_at)
                offset = fixed if fixed is not None else offset_at(zone, at // 1_000_000)
                day = local_day(at + offset)
            handle = record.handle_time
            call = record.channel is Channel.HOTLINE and record.direction is INBOUND
            queue = record.queue_time
            short = call and record.abandoned and queue is not None and queue < short_abandon
            offered = call and not short
            summary.add(
                day,
                record.store_id,
                record.channel,
                (
                    1,
                    0 if handle is None else 1,
                    0 if handle is None else handle // US,
                    1 if offered else 0,
                    1 if offered and record.abandoned else 0,
                    1 if short else 0,
                ),
            )
        return summary.rows()

    def handle_times(self, query: InteractionQuery | None = None) -> Iterator[timedelta]:
        return self._uow.stream(
            sorted(i.handle_time for i in self.selected(query) if i.handle_time is not None)
        )

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
        low, high, within_us, chosen, zone_key, short_us = check_answer_counts(
            start, end, within, channels, timezone, short_abandon, tiers
        )
        zone = ZoneInfo(zone_key)
        wanted = set(chosen)
        groups: dict[tuple[int, str, Channel, str | None], list[int]] = {}
        for record in self.selected(InteractionQuery(start=start, end=end, direction=INBOUND)):
            if record.channel not in wanted:
                continue
            at = instant_us(record.occurred_at)
            if not low <= at < high:
                continue
            day = local_day(at + offset_at(zone, at // 1_000_000))
            tier = None
            if tiers and record.customer_id is not None:
                customer = self._customers.lookup(record.customer_id)
                tier = None if customer is None else customer.tier
            queue = None if record.queue_time is None else record.queue_time // US
            totals = groups.setdefault((day, record.store_id, record.channel, tier), [0, 0, 0, 0])
            if record.abandoned:
                totals[2 if queue is not None and queue < short_us else 1] += 1
            elif queue is None:
                totals[3] += 1
            else:
                totals[0 if queue <= within_us else 1] += 1
        return [AnswerCounts(*key, *totals) for key, totals in groups.items()]

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
        return tally_interactions(
            self, start, end, timezone, within, short_abandon, by_hour, by_agent, repeat_window
        )


def _repeat_index(
    records: Iterable[ServiceInteraction],
) -> dict[tuple[str, str], list[int]]:
    """Each known customer's contact instants per subject, in order."""
    index: dict[tuple[str, str], list[int]] = {}
    for record in records:
        if record.customer_id is not None:
            index.setdefault((record.customer_id, record.subject), []).append(
                instant_us(record.occurred_at)
            )
    for instants in index.values():
        instants.sort()
    return index


def _tally_row(
    totals: list[int], size: int, key: tuple[int, int | None, str, Channel, str | None]
) -> InteractionTally:
    day, hour, store_id, channel, agent_id = key
    contacts, handled, handle_us, inbound, short, abandoned, queued, queue_us = totals[:_BASE]
    fcr_known, fcr_yes, repeat_known, repeat_free = totals[_BASE + 2 * size :]
    return InteractionTally(
        day=day,
        hour=hour,
        store_id=store_id,
        channel=channel,
        agent_id=agent_id,
        contacts=contacts,
        handled=handled,
        handle_us=handle_us,
        inbound=inbound,
        short=short,
        abandoned=abandoned,
        queue_measured=queued,
        queue_us=queue_us,
        within=tuple(totals[_BASE : _BASE + size]),
        abandoned_within=tuple(totals[_BASE + size : _BASE + 2 * size]),
        fcr_known=fcr_known,
        fcr_yes=fcr_yes,
        repeat_known=repeat_known,
        repeat_free=repeat_free,
    )


_BASE: Final = 8  # contacts, handled, handle_us, inbound, short, abandoned, queue n, queue_us


def tally_interactions(
    repository: MemoryInteractions,
    start: datetime,
    end: datetime,
    timezone: str,
    within: Sequence[timedelta],
    short_abandon: timedelta,
    by_hour: bool,
    by_agent: bool,
    repeat_window: timedelta | None,
) -> list[InteractionTally]:
    """`TallyRepository.tally` over the records as they stand in the unit of work."""
    low, high, zone_key, thresholds, short_us, window_us = check_tally(
        start, end, timezone, within, short_abandon, by_hour, by_agent, repeat_window
    )
    zone = ZoneInfo(zone_key)
    size = len(thresholds)
    tail = _BASE + 2 * size  # fcr known, fcr yes, repeat known, repeat free
    repeats = _repeat_index(repository.selected(None)) if window_us is not None else {}
    groups: dict[tuple[int, int | None, str, Channel, str | None], list[int]] = {}
    for record in repository.selected(InteractionQuery(start=start, end=end)):
        at = instant_us(record.occurred_at)
        if not low <= at < high:
            continue
        local = at + offset_at(zone, at // 1_000_000)
        hour = (local % DAY_US) // HOUR_US if by_hour else None
        agent = record.agent_id if by_agent else None
        key = (local_day(local), hour, record.store_id, record.channel, agent)
        totals = groups.setdefault(key, [0] * (tail + 4))
        totals[0] += 1
        if record.handle_time is not None:
            totals[1] += 1
            totals[2] += record.handle_time // US
        queue = None if record.queue_time is None else record.queue_time // US
        if record.direction is INBOUND:
            totals[3] += 1
            if record.abandoned:
                if queue is not None and queue < short_us:
                    totals[4] += 1
                else:
                    totals[5] += 1
                    for index, threshold in enumerate(thresholds):
                        if queue is not None and queue <= threshold:
                            totals[_BASE + size + index] += 1
            elif queue is not None:
                totals[6] += 1
                totals[7] += queue
                for index, threshold in enumerate(thresholds):
                    if queue <= threshold:
                        totals[_BASE + index] += 1
        if record.resolved_first_contact is not None:
            totals[tail] += 1
            if record.resolved_first_contact:
                totals[tail + 1] += 1
        if window_us is not None and record.customer_id is not None:
            totals[tail + 2] += 1
            instants = repeats.get((record.customer_id, record.subject), [])
            following = bisect_right(instants, at)
            if following == len(instants) or instants[following] > at + window_us:
                totals[tail + 3] += 1
    return [_tally_row(totals, size, key) for key, totals in groups.items()]
