"""The in-memory adapter's interaction repository, with summaries and handle times."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
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
from retail_service_quality.storage._time import US, instant_us, local_day, offset_at
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
    check_answer_counts,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryInteractions"]

INBOUND = InteractionDirection.INBOUND


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
