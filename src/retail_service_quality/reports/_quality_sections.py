"""The sections of the quality report, each read from a unit of work with the library's own
analyses: complaint analysis, indicators, pledge attainment and the interaction tally."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from retail_service_quality.errors import InsufficientDataError

if TYPE_CHECKING:
    from retail_service_quality.quality.attainment import AttainmentRow
    from retail_service_quality.quality.pledges import ServicePledge
    from retail_service_quality.reports.quality import (
        ComplaintSection,
        ConsentSection,
        InteractionSection,
        StoreAttainment,
    )

__all__ = [
    "complaints",
    "consent",
    "data_days",
    "interactions",
    "pledge_zone",
    "store_attainment",
]

_EPOCH: Final = date(1970, 1, 1).toordinal()
_FIRST: Final = datetime(1, 1, 3, tzinfo=UTC)  # the supported instants, a day inside each end
_LAST: Final = datetime(9999, 12, 30, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
_MAX_WITHIN: Final = timedelta(days=1)  # the longest answer time the tally counts


def _day(number: int) -> date:
    return date.fromordinal(_EPOCH + number)


def _local_day(us: int, zone: Any) -> date:
    return (datetime(1970, 1, 1, tzinfo=UTC) + us * _MICROSECOND).astimezone(zone).date()


def pledge_zone(pledges: Iterable[ServicePledge]) -> str:
    """The zone every calendar of the pledges' versions names, or ``"UTC"``."""
    zones = {
        version.calendar.timezone
        for pledge in pledges
        for version in pledge.versions
        if version.calendar is not None
    }
    return zones.pop() if len(zones) == 1 else "UTC"


def data_days(uow: Any, timezone: str) -> tuple[date | None, date | None]:
    """The first and last local days holding an interaction or a complaint."""
    from retail_service_quality.storage._time import named_zone

    zone = named_zone(timezone)
    days: list[date] = []
    tallied = uow.interactions.tally(start=_FIRST, end=_LAST, timezone=timezone)
    if tallied:
        numbers = [row.day for row in tallied]
        days += [_day(min(numbers)), _day(max(numbers))]
    first: int | None = None
    last: int | None = None
    for facts in uow.complaints.facts():
        if first is None:
            first = facts.received_us
        last = facts.received_us
    if first is not None and last is not None:
        days += [_local_day(first, zone), _local_day(last, zone)]
    if not days:
        return None, None
    return min(days), max(days)


def _in_force(pledge: ServicePledge, start: datetime, end: datetime) -> Any:
    return pledge.in_force(end - _MICROSECOND) or pledge.in_force(start)


def store_attainment(
    rows: Mapping[str, Sequence[AttainmentRow]],
) -> tuple[StoreAttainment, ...]:
    """Each pledge's attainment per store, from its rows grouped by store, by pledge then store."""
    from retail_service_quality.reports.quality import StoreAttainment

    found = [
        StoreAttainment(
            pledge_id=pledge_id,
            store_id=row.store_id or "",
            n=row.n,
            met=row.met,
            not_met=row.not_met,
            pending=row.pending,
            share=row.share,
            target=row.target,
            status=row.status.value,
        )
        for pledge_id, grouped in rows.items()
        for row in grouped
    ]
    return tuple(sorted(found, key=lambda row: (row.pledge_id, row.store_id)))


def complaints(
    uow: Any, start: datetime, end: datetime, now: datetime, confidence: float
) -> ComplaintSection:
    """The complaints received in ``[start, end)``, analysed."""
    from retail_service_quality.reports.quality import (
        CategoryCount,
        CauseLine,
        ComplaintSection,
        SlaBreaches,
    )
    from retail_service_quality.service.complaint_analysis import (
        cause_pareto,
        complaint_counts,
        repeat_rate,
        resolution_times,
    )
    from retail_service_quality.service.complaints import ComplaintState
    from retail_service_quality.storage.ports.complaints import ComplaintQuery

    query = ComplaintQuery(start=start, end=end)
    counts = complaint_counts(uow, query, by="category")
    if counts.n == 0:
        return ComplaintSection()
    closed = sum(group.closed for group in counts.groups.values())
    by_state = {
        state.value: number
        for state in ComplaintState
        if (number := uow.complaints.count(ComplaintQuery(start=start, end=end, state=state)))
    }
    pareto = cause_pareto(uow, query)
    try:
        times = resolution_times(uow, query)
        timed, median, p90 = times.timed, times.median, times.p90
    except InsufficientDataError:
        timed, median, p90 = 0, None, None
    rate = repeat_rate(uow, query, confidence=confidence)
    return ComplaintSection(
        received=counts.n,
        closed=closed,
        open=counts.n - closed,
        by_category=tuple(
            CategoryCount(category=key, count=group.count, share=group.share, closed=group.closed)
            for key, group in counts.groups.items()
        ),
        by_state=by_state,
        causes=tuple(
            CauseLine(
                root_cause=key,
                count=cause.count,
                share=cause.share,
                cumulative_share=cause.cumulative_share,
                vital=cause.vital,
            )
            for key, cause in pareto.causes.items()
        ),
        without_cause=pareto.without_cause,
        resolved=closed,
        timed=timed,
        median_resolution=median,
        p90_resolution=p90,
        repeats=rate.successes,
        repeat_rate=rate.value,
        repeat_low=rate.interval.low,
        repeat_high=rate.interval.high,
        sla=tuple(
            SlaBreaches(kind=kind, breached=count, longest_late=longest)
            for kind, (count, longest) in _breaches(uow, query, now).items()
        ),
    )


def _breaches(uow: Any, query: Any, now: datetime) -> dict[str, tuple[int, timedelta | None]]:
    """Per target kind: the complaints open past the deadline at ``now`` (`breached`), and
    the longest time past it."""
    from retail_service_quality.service.services import breached

    found: dict[str, tuple[int, timedelta | None]] = {}
    for kind in ("acknowledgement", "resolution"):
        lines = breached(uow, now=now, kind=kind, query=query)
        late = [line.late_by for line in lines if line.late_by is not None]
        found[kind] = (len(lines), max(late, default=None))
    return found


def consent(uow: Any, now: datetime) -> ConsentSection:
    """Consent to own marketing at ``now`` over the customers on file.

    The ``consent_coverage`` indicator's definition (`compute_indicators`): customers created
    before ``now`` and not erased, their ledgers' state at the last instant before it. Read in
    one pass over two streams both ordered by customer id, the customers and every ledger
    event, rather than one query per customer.
    """
    from retail_service_quality.customers.consent import ConsentLedger
    from retail_service_quality.reports.quality import ConsentSection
    from retail_service_quality.storage._time import instant_us
    from retail_service_quality.storage.ports.customers import CustomerQuery

    last = now - _MICROSECOND
    end = instant_us(now)
    customers = consenting = opted_out = 0
    ledgers = itertools.groupby(uow.consent.query(), key=lambda event: event.customer_id)
    pending = next(ledgers, None)
    for customer in uow.customers.query(CustomerQuery(erased=False)):
        while pending is not None and pending[0] < customer.id:
            pending = next(ledgers, None)
        events = list(pending[1]) if pending is not None and pending[0] == customer.id else []
        if instant_us(customer.created_at) >= end:
            continue
        state = ConsentLedger.of(customer.id, events).state(last)
        customers += 1
        consenting += bool(state.permitted)
        opted_out += bool(state.opted_out)
    return ConsentSection(
        customers=customers,
        consenting=consenting,
        share=consenting / customers if customers else None,
        opted_out=opted_out,
        suppressed=uow.suppression.count(),
    )


def _answer_pledge(
    pledges: Sequence[ServicePledge], start: datetime, end: datetime
) -> tuple[str, timedelta] | None:
    """The first answer-time pledge (by id) covering the hotline, and its answer time."""
    from retail_service_quality.quality.pledges import PledgeMeasure
    from retail_service_quality.service.interactions import Channel

    for pledge in sorted(pledges, key=lambda pledge: pledge.id):
        version = _in_force(pledge, start, end)
        if version is None or version.standard.measure is not PledgeMeasure.ANSWER_TIME:
            continue
        within = version.standard.within
        channels = version.scope.channels
        if (
            within is not None
            and timedelta(0) < within <= _MAX_WITHIN
            and (not channels or Channel.HOTLINE in channels)
        ):
            return pledge.id, within
    return None


def interactions(
    uow: Any, pledges: Sequence[ServicePledge], start: datetime, end: datetime, timezone: str
) -> InteractionSection:
    """Interaction volumes in ``[start, end)`` and the hotline's figures."""
    from retail_service_quality.reports.quality import (
        HotlineFigures,
        InteractionSection,
        Volume,
        WeekVolume,
    )
    from retail_service_quality.service.interactions import Channel

    answer = _answer_pledge(pledges, start, end)
    within = () if answer is None else (answer[1],)
    rows = uow.interactions.tally(start=start, end=end, timezone=timezone, within=within)
    if not rows:
        return InteractionSection()
    channels: dict[str, int] = {}
    stores: dict[str, int] = {}
    weeks: dict[tuple[int, int], int] = {}
    hotline = [0] * 7  # inbound, short, abandoned, within, handled, handle_us, rows
    for row in rows:
        channels[row.channel.value] = channels.get(row.channel.value, 0) + row.contacts
        stores[row.store_id] = stores.get(row.store_id, 0) + row.contacts
        year, week, _ = _day(row.day).isocalendar()
        weeks[year, week] = weeks.get((year, week), 0) + row.contacts
        if row.channel is Channel.HOTLINE:
            for index, value in enumerate(
                (row.inbound, row.short, row.abandoned, sum(row.within), row.handled,
                 row.handle_us, 1)
            ):  # fmt: skip
                hotline[index] += value
    inbound, short, abandoned, answered_within, handled, handle_us, hotline_rows = hotline
    offered = inbound - short
    figures = None
    if hotline_rows:
        figures = HotlineFigures(
            offered=offered,
            answered=offered - abandoned,
            abandoned=abandoned,
            short_abandoned=short,
            answer_within=None if answer is None else answer[1],
            answer_pledge_id=None if answer is None else answer[0],
            answered_within=answered_within,
            answer_rate=answered_within / offered if offered and answer is not None else None,
            abandonment_rate=abandoned / offered if offered else None,
            average_handle_time=(
                timedelta(microseconds=round(handle_us / handled)) if handled else None
            ),
        )

    def ranked(counts: dict[str, int]) -> tuple[Volume, ...]:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return tuple(Volume(key=key, count=count) for key, count in ordered)

    return InteractionSection(
        total=sum(channels.values()),
        by_channel=ranked(channels),
        by_store=ranked(stores),
        by_week=tuple(
            WeekVolume(
                week=f"{year:04d}-W{week:02d}",
                start=date.fromisocalendar(year, week, 1),
                count=count,
            )
            for (year, week), count in sorted(weeks.items())
        ),
        hotline=figures,
    )
