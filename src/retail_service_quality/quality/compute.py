"""Indicators computed from a store's records, for any period and grouping.

`compute_indicators` takes indicator definitions (ids from the built-in
catalogue, or `IndicatorDefinition`s of your own) and gives one tidy
`IndicatorValue` per indicator and group: its value, n, the interval where the
value is a sample statistic, and the method. On a `SQLiteStore` the database
adds up the interactions itself (`TallyRepository.tally`): one row per local
day, store and channel comes back, never one per interaction; the in-memory
store streams its records through the same sums, so both give identical
answers.

Shares (service level, abandonment, first-contact resolution) come with a
Wilson interval: the period's cases are treated as a sample of the service's
process, so that a criterion can tell a real shortfall from noise. Means of
durations (average handle time, average speed of answer) cover every case of
the period and come without an interval.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from retail_service_quality import InMemoryStore, ServiceInteraction
    >>> day = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> store = InMemoryStore()
    >>> with store.unit_of_work() as uow:
    ...     uow.interactions.add_many(ServiceInteraction(
    ...         id=f"C-{n}", store_id="HK-1", channel="hotline", occurred_at=day + timedelta(minutes=n),
    ...         queue_time=timedelta(seconds=5 * n), talk_time=timedelta(minutes=4)) for n in range(10))
    ...     uow.commit()
    10
    >>> rows = compute_indicators(store, ["service_level", "aht"], start=day, end=day + timedelta(days=1))
    >>> [(r.indicator_id, r.value, r.n) for r in rows]
    [('service_level', 0.5, 10), ('aht', 240.0, 10)]
"""  # noqa: E501

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality._internal.times import MIN_INSTANT, zone_named
from retail_service_quality._internal.validation import check_aware
from retail_service_quality.errors import NotFoundError, Problems, ValidationError, join_path
from retail_service_quality.metrics.instruments import QuestionMeasure
from retail_service_quality.metrics.statistics import (
    Interval,
    _percentile_of_sorted,
    mean_interval,
    nps_from_counts,
    wilson_interval,
)
from retail_service_quality.quality._arguments import check_units
from retail_service_quality.quality.indicators import (
    INDICATOR_GROUPS,
    IndicatorCatalogue,
    IndicatorDefinition,
    IndicatorSource,
    IndicatorValue,
    Measure,
    Statistic,
    TransactionCount,
)
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage._target import check_target, unit_of
from retail_service_quality.storage._time import (
    DAY_US,
    instant_us,
    local_day,
    offset_at,
    period_start,
)
from retail_service_quality.storage.ports import ComplaintQuery, CustomerQuery, UnitOfWork
from retail_service_quality.storage.ports.complaints import ComplaintFactRepository, ComplaintFacts
from retail_service_quality.storage.ports.interactions import InteractionTally, TallyRepository
from retail_service_quality.storage.ports.surveys import AnswerCount

__all__ = ["compute_indicators"]

_TIME_KEYS: Final = frozenset({"month", "weekday", "hour"})
_US_PER_S: Final = 1_000_000
_US: Final = timedelta(microseconds=1)
_HOUR_US: Final = 3_600_000_000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_COMPUTED: Final = frozenset(
    {
        IndicatorSource.INTERACTIONS,
        IndicatorSource.COMPLAINTS,
        IndicatorSource.SURVEYS,
        IndicatorSource.CUSTOMERS,
        IndicatorSource.PLEDGES,
    }
)
_PLEDGE_GROUPS: Final = frozenset({"store", "channel", "business_unit", "month"})
_PER_STORE_DAY: Final = frozenset({"store", "business_unit", "month", "weekday"})

_Key = tuple[
    str | None, Channel | None, str | None, str | None, date | None, int | None, int | None
]


@attrs.frozen
class _Arguments:
    definitions: tuple[IndicatorDefinition, ...]
    start: datetime
    end: datetime
    keys: frozenset[str]
    zone: str
    units: Mapping[str, str]
    confidence: float
    transactions: Mapping[tuple[str, date], int]


def _check_definitions(
    indicators: object, catalogue: object, transactions: object, problems: Problems
) -> list[IndicatorDefinition]:
    if catalogue is None:
        catalogue = IndicatorCatalogue.builtin()
    elif not isinstance(catalogue, IndicatorCatalogue):
        problems.add("$.catalogue", "must be an IndicatorCatalogue or None", "type")
        catalogue = IndicatorCatalogue.builtin()
    assert isinstance(catalogue, IndicatorCatalogue)
    if indicators is None:
        return [
            d
            for d in catalogue
            if d.source in _COMPUTED
            and (d.statistic is not Statistic.RATE_PER_1000 or transactions is not None)
        ]
    if isinstance(indicators, str | bytes) or not isinstance(indicators, list | tuple):
        problems.add("$.indicators", "must be a list of indicator ids or definitions", "type")
        return []
    chosen: list[IndicatorDefinition] = []
    seen: set[str] = set()
    for index, item in enumerate(indicators):
        path = join_path("$.indicators", index)
        if isinstance(item, IndicatorDefinition):
            definition = item
        elif isinstance(item, str):
            if item not in catalogue:
                problems.add(path, "must name an indicator of the catalogue", "unknown_choice")
                continue
            definition = catalogue[item]
        else:
            problems.add(path, "must be an indicator id or an IndicatorDefinition", "type")
            continue
        if definition.id in seen:
            problems.add(path, "names an indicator given already", "duplicate")
            continue
        seen.add(definition.id)
        if definition.source not in _COMPUTED:
            problems.add(
                path,
                f"must be an indicator on interactions: this one reads {definition.source.value}",
                "unsupported",
            )
            continue
        if definition.source is IndicatorSource.SURVEYS and definition.question not in _MEASURES:
            problems.add(
                path, "must name a question measure to read: " + ", ".join(_MEASURES),
                "unknown_choice",
            )  # fmt: skip
            continue
        chosen.append(definition)
    return chosen


_MAX_SALES: Final = 10**12


def _check_transactions(
    transactions: object,
    definitions: Sequence[IndicatorDefinition],
    keys: Sequence[str],
    problems: Problems,
) -> dict[tuple[str, date], int]:
    rates = [d for d in definitions if d.statistic is Statistic.RATE_PER_1000]
    counts: dict[tuple[str, date], int] = {}
    if transactions is None:
        if rates:
            problems.add(
                "$.transactions", f"is required by {rates[0].id}: the sales per store and day",
                "required",
            )  # fmt: skip
        return counts
    if isinstance(transactions, str | bytes | Mapping) or not isinstance(transactions, Iterable):
        problems.add("$.transactions", "must be a list of TransactionCount", "type")
        return counts
    for index, item in enumerate(transactions):
        path = join_path("$.transactions", index)
        if not isinstance(item, TransactionCount):
            problems.add(path, "must be a TransactionCount", "type")
        elif (item.store_id, item.day) in counts:
            problems.add(path, "repeats a store and day", "duplicate")
        else:
            counts[(item.store_id, item.day)] = item.count
    if sum(counts.values()) > _MAX_SALES:  # a rate's base is their sum: an indicator's n
        problems.add("$.transactions", f"must add up to at most {_MAX_SALES:,} sales", "range")
    if rates and set(keys) - _PER_STORE_DAY:
        problems.add(
            "$.group_by",
            f"{rates[0].id} is grouped by store, business unit, month or weekday only: "
            "transactions are counted per store and day",
            "inconsistent",
        )
    return counts


def check_computation(
    target: object,
    indicators: object,
    start: object,
    end: object,
    group_by: object,
    timezone: object,
    business_units: object,
    catalogue: object,
    confidence: object,
    transactions: object,
) -> _Arguments:
    """The arguments of `compute_indicators`, checked: every problem at once, with its path.

    Not part of the public API: callers that take the same arguments check them here, in
    the same round as their own.
    """
    problems = Problems()
    check_target(target, "interactions", problems)
    definitions = _check_definitions(indicators, catalogue, transactions, problems)
    check_aware(start, "$.start", problems)
    check_aware(end, "$.end", problems)
    if (
        isinstance(start, datetime)
        and isinstance(end, datetime)
        and start.tzinfo is not None
        and end.tzinfo is not None
        and end.astimezone(UTC) < start.astimezone(UTC)  # instants, never wall clocks
    ):
        problems.add("$.end", "must not be before the start", "range")
    keys: list[str] = []
    choices = ", ".join(INDICATOR_GROUPS)
    if isinstance(group_by, str | bytes) or not isinstance(group_by, list | tuple):
        problems.add("$.group_by", f"must be a list drawn from {choices}", "type")
    elif not all(isinstance(key, str) and key in INDICATOR_GROUPS for key in group_by):
        problems.add("$.group_by", f"must be a list drawn from {choices}", "unknown_choice")
    elif len(set(group_by)) != len(group_by):
        problems.add("$.group_by", "must not repeat a key", "duplicate")
    else:
        keys = list(group_by)
    units = check_units(business_units, problems)
    if "business_unit" in keys and business_units is None:
        problems.add(
            "$.business_units", "is required to group by business unit: each store's unit",
            "required",
        )  # fmt: skip
    zone = "UTC"
    if timezone is not None:
        if zone_named(timezone) is not None:
            assert isinstance(timezone, str)
            zone = timezone
        else:
            problems.add(
                "$.timezone",
                "must be a known IANA time zone",
                "unknown_choice" if isinstance(timezone, str) else "type",
            )
    elif _TIME_KEYS & set(keys):
        problems.add(
            "$.timezone", "is required to group by month, weekday or hour: the zone whose "
            "clock counts", "required",
        )  # fmt: skip
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0 < confidence < 1
    ):
        problems.add("$.confidence", "must be a number between 0 and 1", "range")
    counts = _check_transactions(transactions, definitions, keys, problems)
    pledged = [d for d in definitions if d.source is IndicatorSource.PLEDGES]
    if pledged and set(keys) - _PLEDGE_GROUPS:
        problems.add(
            "$.group_by",
            f"{pledged[0].id} is grouped by store, channel, business unit or month only: "
            "a pledge's attainment is",
            "inconsistent",
        )
    problems.raise_if_any()
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    assert isinstance(confidence, int | float)
    return _Arguments(
        transactions=counts,
        definitions=tuple(definitions),
        start=start,
        end=end,
        keys=frozenset(keys),
        zone=zone,
        units=units,
        confidence=float(confidence),
    )


def compute_indicators(
    target: Any,
    indicators: Sequence[str | IndicatorDefinition] | None = None,
    *,
    start: datetime,
    end: datetime,
    group_by: Sequence[str] = (),
    timezone: str | None = None,
    business_units: Mapping[str, str] | None = None,
    catalogue: IndicatorCatalogue | None = None,
    confidence: float = 0.95,
    transactions: Iterable[TransactionCount] | None = None,
) -> RecordList[IndicatorValue]:
    """Each indicator's value per group, from the records in ``[start, end)``.

    ``indicators`` are ids of ``catalogue`` (the built-in one unless given) or
    definitions of your own; ``None`` computes every indicator of the catalogue
    on interactions, complaints, surveys and customers (rates per 1,000
    transactions only when ``transactions`` are given). ``group_by`` draws
    from ``"store"``, ``"channel"``,
    ``"business_unit"`` (each store's unit from ``business_units``; a store it
    does not name has ``None``), ``"staff"`` (the agent, ``None`` where not
    recorded), ``"month"`` (the first day of the local month), ``"weekday"``
    (ISO, 1 = Monday) and ``"hour"`` (0-23), local in ``timezone`` (required to
    group by time). Rows come per indicator in the order given, then ordered by
    their keys; a group with no case of the indicator's records is not listed,
    and one whose cases give no value (no call answered, say) has ``value``
    ``None`` and ``n`` 0.

    What each measure counts:

    - ``answered_within``: inbound calls on the indicator's channels; short abandons
      (under ``short_abandon``) are left out, and calls answered with no queue time
      recorded are not measured. ``abandons="ignore"`` leaves out the calls abandoned
      within the threshold, ``"negative"`` counts every abandoned call as not answered in
      time, ``"positive"`` counts those abandoned within the threshold as answered.
    - ``abandoned``: abandoned calls (short abandons apart) of the inbound calls offered
      (short abandons apart).
    - ``handle_time`` and ``queue_time``: the mean over contacts with a recorded time
      (answered calls only, for the queue), in seconds.
    - ``resolved_first_contact``: contacts marked resolved at first contact, of those
      marked either way; ``no_repeat_contact``: contacts from a known customer with no later
      contact from the same customer on the same subject within ``window`` (read from every
      stored contact, so a contact near the period's end can still turn into a repeat).
    - ``contacts``: how many interactions.
    - ``complaints``: the complaints received in the period; as a rate, per 1,000 of the
      ``transactions`` (`TransactionCount`: a store's sales on a local day, in the period),
      and ``n`` is the transactions. Rates group by store, business unit, month and weekday;
      a complaint counts only when its store's sales on its local day were given (the row's
      ``method`` says how many were left out).
    - ``repeat_complaint``: complaints whose customer complained in the same category at
      most ``window`` before (exactly ``window`` before included, as `find_repeat` counts;
      complaints before the period are read for it), of the complaints received.
    - ``resolution_time``: the business time each complaint received in the period took to
      resolve, on its SLA policy's calendar, in seconds (closed complaints with a policy).

    - ``survey_answer``: the closed answers to the questions that measure ``question``
      (`QuestionMeasure`), counted per group by the store: a top-box or at-least share, the
      share of "yes" answers, a mean rating (Student t interval) or NPS (Wald interval).
    - ``pledge_attainment``: the store's pledge ``pledge_id`` measured as of the period's end
      (`pledge_attainment`: open cases not yet late are pending, in no share); grouped by
      store, channel, business unit and month only.
    - ``consent``: the customers created before ``end`` and not erased whose ledger permits
      some own marketing at the period's last instant, per home store (a customer with no
      home store has ``store_id`` ``None``); other keys are ``None``.

    Complaints have no staff member: grouped by staff, their rows have ``staff_id``
    ``None``.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import InMemoryStore, ServiceInteraction
        >>> at = datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.interactions.add_many(ServiceInteraction(id=f"A-{n}", store_id="S1",
        ...         channel="hotline", occurred_at=at + timedelta(hours=n), abandoned=n == 2,
        ...         queue_time=timedelta(seconds=30)) for n in range(4))
        ...     uow.commit()
        4
        >>> rows = compute_indicators(store, ["abandonment_rate"], start=at,
        ...     end=at + timedelta(days=1), group_by=["weekday"], timezone="Asia/Hong_Kong")
        >>> [(r.weekday, r.value, r.n) for r in rows]
        [(7, 0.25, 4)]

    Raises:
        ValidationError: every problem with the arguments, with its path (an indicator at
            ``$.indicators[n]``).
    """
    arguments = check_computation(
        target, indicators, start, end, group_by, timezone, business_units, catalogue,
        confidence, transactions,
    )  # fmt: skip
    with unit_of(target, "interactions", read_only=True) as uow:
        return RecordList(IndicatorValue, _compute(uow, arguments))


# ---------------------------------------------------------------- interactions


@attrs.define
class _Sums:
    contacts: int = 0
    handled: int = 0
    handle_us: int = 0
    inbound: int = 0
    short: int = 0
    abandoned: int = 0
    queue_measured: int = 0
    queue_us: int = 0
    within: dict[int, int] = attrs.Factory(dict)
    abandoned_within: dict[int, int] = attrs.Factory(dict)
    fcr_known: int = 0
    fcr_yes: int = 0
    repeat_known: int = 0
    repeat_free: int = 0


def _compute(uow: UnitOfWork, arguments: _Arguments) -> list[IndicatorValue]:
    found: dict[str, list[IndicatorValue]] = {}
    on_interactions = [d for d in arguments.definitions if d.source is IndicatorSource.INTERACTIONS]
    on_complaints = [d for d in arguments.definitions if d.source is IndicatorSource.COMPLAINTS]
    if on_interactions:
        for value in _interaction_values(uow, on_interactions, arguments):
            found.setdefault(value.indicator_id, []).append(value)
    if on_complaints:
        for value in _complaint_values(uow, on_complaints, arguments):
            found.setdefault(value.indicator_id, []).append(value)
    on_customers = [d for d in arguments.definitions if d.source is IndicatorSource.CUSTOMERS]
    if on_customers:
        for value in _customer_values(uow, on_customers, arguments):
            found.setdefault(value.indicator_id, []).append(value)
    on_pledges = [d for d in arguments.definitions if d.source is IndicatorSource.PLEDGES]
    if on_pledges:
        for value in _pledge_values(uow, on_pledges, arguments):
            found.setdefault(value.indicator_id, []).append(value)
    on_surveys = [d for d in arguments.definitions if d.source is IndicatorSource.SURVEYS]
    if on_surveys:
        for value in _survey_values(uow, on_surveys, arguments):
            found.setdefault(value.indicator_id, []).append(value)
    return [value for d in arguments.definitions for value in found.get(d.id, [])]


def _interaction_values(
    uow: UnitOfWork, definitions: Sequence[IndicatorDefinition], arguments: _Arguments
) -> list[IndicatorValue]:
    repository = uow.interactions
    if not isinstance(repository, TallyRepository):
        raise ValidationError.single(
            "$.target", "must be a store whose interactions can be tallied", "type"
        )
    # One pass over the interactions per short-abandon threshold: its answer-time thresholds
    # and its first repeat window share it; another repeat window takes a pass of its own.
    windows: dict[timedelta, list[timedelta]] = {}
    for definition in definitions:
        found = windows.setdefault(definition.short_abandon, [])
        window = _window(definition)
        if window is not None and window not in found:
            found.append(window)

    def tally_key(definition: IndicatorDefinition) -> tuple[timedelta, timedelta | None]:
        short = definition.short_abandon
        window = _window(definition)
        if window is None:
            window = windows[short][0] if windows[short] else None
        return short, window

    plans: dict[tuple[timedelta, timedelta | None], set[timedelta]] = {}
    for definition in definitions:
        thresholds = plans.setdefault(tally_key(definition), set())
        if definition.within is not None:
            thresholds.add(definition.within)
    tallies: dict[
        tuple[timedelta, timedelta | None], tuple[list[timedelta], list[InteractionTally]]
    ] = {}
    for (short, window), thresholds in plans.items():
        ordered = sorted(thresholds)
        rows = repository.tally(
            start=arguments.start,
            end=arguments.end,
            timezone=arguments.zone,
            within=ordered,
            short_abandon=short,
            by_hour="hour" in arguments.keys,
            by_agent="staff" in arguments.keys,
            repeat_window=window,
        )
        tallies[(short, window)] = (ordered, rows)
    values: list[IndicatorValue] = []
    for definition in definitions:
        ordered, rows = tallies[tally_key(definition)]
        groups = _group(rows, ordered, definition, arguments)
        for key in sorted(groups, key=_order):
            values.append(_value(definition, key, groups[key], arguments))
    return values


def _window(definition: IndicatorDefinition) -> timedelta | None:
    return definition.window if definition.measure is Measure.NO_REPEAT_CONTACT else None


def _key(row: InteractionTally, arguments: _Arguments) -> _Key:
    return _day_key(row.store_id, row.channel, row.day, row.hour, arguments, staff=row.agent_id)


def _day_key(
    store_id: str | None,
    channel: Channel | None,
    day: int,
    hour: int | None,
    arguments: _Arguments,
    *,
    staff: str | None = None,
) -> _Key:
    """The group of a local day (days since 1970-01-01) and hour."""
    wanted = arguments.keys & {"month", "weekday"}
    on = period_start(day, "day") if wanted else None
    month = period_start(day, "month") if "month" in wanted else None
    weekday = on.isoweekday() if on is not None else None
    return _masked(arguments, store_id, channel, staff, month, weekday, hour)


def _masked(
    arguments: _Arguments,
    store_id: str | None,
    channel: Channel | None,
    staff: str | None,
    month: date | None,
    weekday: int | None,
    hour: int | None,
) -> _Key:
    """The key of a group: ``None`` for each part not grouped by."""
    keys = arguments.keys
    return (
        store_id if "store" in keys else None,
        channel if "channel" in keys else None,
        arguments.units.get(store_id) if "business_unit" in keys and store_id is not None else None,
        staff if "staff" in keys else None,
        month if "month" in keys else None,
        weekday if "weekday" in keys else None,
        hour if "hour" in keys else None,
    )


def _order(key: _Key) -> tuple[Any, ...]:
    store, channel, unit, staff, month, weekday, hour = key
    return (
        store or "",
        channel.value if channel is not None else "",
        unit or "",
        staff or "",
        month or date.min,
        weekday or 0,
        -1 if hour is None else hour,
    )


def _group(
    rows: Iterable[InteractionTally],
    thresholds: list[timedelta],
    definition: IndicatorDefinition,
    arguments: _Arguments,
) -> dict[_Key, _Sums]:
    channels = set(definition.channels)
    groups: dict[_Key, _Sums] = {}
    for row in rows:
        if channels and row.channel not in channels:
            continue
        sums = groups.setdefault(_key(row, arguments), _Sums())
        sums.contacts += row.contacts
        sums.handled += row.handled
        sums.handle_us += row.handle_us
        sums.inbound += row.inbound
        sums.short += row.short
        sums.abandoned += row.abandoned
        sums.queue_measured += row.queue_measured
        sums.queue_us += row.queue_us
        for index, threshold in enumerate(thresholds):
            us = threshold // timedelta(microseconds=1)
            sums.within[us] = sums.within.get(us, 0) + row.within[index]
            sums.abandoned_within[us] = (
                sums.abandoned_within.get(us, 0) + row.abandoned_within[index]
            )
        sums.fcr_known += row.fcr_known
        sums.fcr_yes += row.fcr_yes
        sums.repeat_known += row.repeat_known
        sums.repeat_free += row.repeat_free
    return groups


def _share(successes: int, n: int, confidence: float) -> tuple[float | None, Interval | None]:
    if n == 0:
        return None, None
    return successes / n, wilson_interval(successes, n, confidence=confidence)


def _value(
    definition: IndicatorDefinition, key: _Key, sums: _Sums, arguments: _Arguments
) -> IndicatorValue:
    measure = definition.measure
    value: float | None = None
    interval: Interval | None = None
    hits: int | None = None
    confidence = arguments.confidence
    if measure is Measure.ANSWERED_WITHIN:
        assert definition.within is not None
        us = definition.within // timedelta(microseconds=1)
        within, abandoned_within = sums.within.get(us, 0), sums.abandoned_within.get(us, 0)
        offered = sums.queue_measured + sums.abandoned
        if definition.abandons == "ignore":
            n, successes = offered - abandoned_within, within
        elif definition.abandons == "positive":
            n, successes = offered, within + abandoned_within
        else:
            n, successes = offered, within
        hits = successes
        value, interval = _share(hits, n, confidence)
    elif measure is Measure.ABANDONED:
        n = sums.inbound - sums.short
        hits = sums.abandoned
        value, interval = _share(hits, n, confidence)
    elif measure is Measure.HANDLE_TIME:
        n = sums.handled
        value = None if n == 0 else sums.handle_us / n / _US_PER_S
    elif measure is Measure.QUEUE_TIME:
        n = sums.queue_measured
        value = None if n == 0 else sums.queue_us / n / _US_PER_S
    elif measure is Measure.RESOLVED_FIRST_CONTACT:
        n = sums.fcr_known
        hits = sums.fcr_yes
        value, interval = _share(hits, n, confidence)
    elif measure is Measure.NO_REPEAT_CONTACT:
        n = sums.repeat_known
        hits = sums.repeat_free
        value, interval = _share(hits, n, confidence)
    else:  # contacts
        n = sums.contacts
        value = float(n)
    return _row(definition, key, value, n, interval, arguments, hits)


def _row(
    definition: IndicatorDefinition,
    key: _Key,
    value: float | None,
    n: int,
    interval: Interval | None,
    arguments: _Arguments,
    successes: int | None = None,
    counts: tuple[int, ...] | None = None,
) -> IndicatorValue:
    confidence = arguments.confidence
    store, channel, unit, staff, month, weekday, hour = key
    return IndicatorValue(
        indicator_id=definition.id,
        store_id=store,
        channel=channel,
        business_unit=unit,
        staff_id=staff,
        month=month,
        weekday=weekday,
        hour=hour,
        value=value if value is None or math.isfinite(value) else None,
        n=n,
        interval=interval,
        method=_method(definition, interval is not None, confidence),
        unit=definition.unit.value,
        direction=definition.direction,
        successes=successes if n else None,
        counts=counts if n else None,
    )


def _method(definition: IndicatorDefinition, interval: bool, confidence: float) -> str:
    described = definition.formula or f"{definition.statistic.value} of {definition.measure.value}"
    if interval and definition.statistic is Statistic.SHARE and "Wilson" not in described:
        described += f"; Wilson score interval, {confidence:.0%}"
    return described


# ---------------------------------------------------------------- complaints


@attrs.define
class _Complaints:
    received: int = 0
    repeats: int = 0
    resolutions: list[int] = attrs.Factory(list)
    transactions: int = 0
    unsold: int = 0  # complaints on a store's day without a sales count


def _local_key(
    store_id: str, channel: Channel | None, at_us: int, arguments: _Arguments
) -> tuple[_Key, int]:
    """The group of an instant and its local day (days since 1970-01-01)."""
    zone = ZoneInfo(arguments.zone)
    local = at_us + offset_at(zone, at_us // _US_PER_S)
    day = local_day(local)
    hour = (local % DAY_US) // _HOUR_US
    return _day_key(store_id, channel, day, hour, arguments), day


def _complaint_values(
    uow: UnitOfWork, definitions: Sequence[IndicatorDefinition], arguments: _Arguments
) -> list[IndicatorValue]:
    repository = uow.complaints
    if not isinstance(repository, ComplaintFactRepository):
        raise ValidationError.single(
            "$.target", "must be a store whose complaints can be read as facts", "type"
        )
    windows = [d.window for d in definitions if d.window is not None]
    look_back = max(windows, default=timedelta(0))
    low = instant_us(arguments.start)
    query = ComplaintQuery(start=_moment(low - look_back // _US), end=arguments.end)
    facts = list(repository.facts(query))
    values: list[IndicatorValue] = []
    for definition in definitions:
        groups = _complaint_groups(facts, low, definition, arguments)
        for key in sorted(groups, key=_order):
            values.append(_complaint_value(definition, key, groups[key], arguments))
    return values


def _moment(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=max(us, instant_us(MIN_INSTANT)))


def _complaint_groups(
    facts: Sequence[ComplaintFacts],
    low: int,
    definition: IndicatorDefinition,
    arguments: _Arguments,
) -> dict[_Key, _Complaints]:
    channels = set(definition.channels)
    window = None if definition.window is None else definition.window // _US
    earlier: dict[tuple[str, str], list[int]] = {}
    groups: dict[_Key, _Complaints] = {}
    rate = definition.statistic is Statistic.RATE_PER_1000
    sold = {
        (store_id, (day - _EPOCH.date()).days)
        for (store_id, day) in arguments.transactions
        if _within_period(day, arguments)
    }
    for fact in facts:  # in the order received
        if channels and fact.channel not in channels:
            continue
        previous = None
        if fact.customer_id is not None:
            seen = earlier.setdefault((fact.customer_id, fact.category), [])
            before = bisect_left(seen, fact.received_us)  # strictly earlier ones
            previous = seen[before - 1] if before else None
            seen.append(fact.received_us)
        if fact.received_us < low:
            continue  # read only to find repeats
        key, local = _local_key(fact.store_id, fact.channel, fact.received_us, arguments)
        group = groups.setdefault(key, _Complaints())
        if rate and (fact.store_id, local) not in sold:
            group.unsold += 1  # a rate divides only by the sales it was given
            continue
        group.received += 1
        if window is not None and previous is not None and fact.received_us - previous <= window:
            group.repeats += 1
        if fact.resolution_us is not None:
            group.resolutions.append(fact.resolution_us)
    if rate:
        for (store_id, day), count in arguments.transactions.items():
            number = (day - _EPOCH.date()).days
            key = _day_key(store_id, None, number, None, arguments)
            if _within_period(day, arguments):
                groups.setdefault(key, _Complaints()).transactions += count
    return groups


def _within_period(day: date, arguments: _Arguments) -> bool:
    zone = ZoneInfo(arguments.zone)
    first = arguments.start.astimezone(zone).date()
    last = (arguments.end - timedelta(microseconds=1)).astimezone(zone).date()
    return first <= day <= last if arguments.end > arguments.start else False


def _complaint_value(
    definition: IndicatorDefinition, key: _Key, group: _Complaints, arguments: _Arguments
) -> IndicatorValue:
    measure, statistic = definition.measure, definition.statistic
    value: float | None = None
    interval: Interval | None = None
    hits: int | None = None
    if measure is Measure.COMPLAINTS:
        if statistic is Statistic.RATE_PER_1000:  # n: the transactions, the rate's base
            n = group.transactions
            value = None if n == 0 else 1000 * group.received / n
            row = _row(definition, key, value, n, interval, arguments)
            if not group.unsold:
                return row
            left_out = "complaint" if group.unsold == 1 else "complaints"
            return attrs.evolve(
                row,
                method=f"{row.method}; {group.unsold:,} {left_out} on a store's day "
                "without a sales count left out",
            )
        n = group.received
        value = float(n)
    elif measure is Measure.REPEAT_COMPLAINT:
        n = group.received
        hits = group.repeats
        value, interval = _share(hits, n, arguments.confidence)
    else:  # resolution time, in seconds
        ordered = sorted(group.resolutions)
        n = len(ordered)
        if n:
            seconds = [us / _US_PER_S for us in ordered]
            if statistic is Statistic.MEAN:
                value = sum(ordered) / n / _US_PER_S
            else:
                q = 50.0 if statistic is Statistic.MEDIAN else float(definition.q or 0)
                value = _percentile_of_sorted(seconds, q)
    return _row(definition, key, value, n, interval, arguments, hits)


# ---------------------------------------------------------------- surveys

_MEASURES: Final = tuple(measure.value for measure in QuestionMeasure)
_SURVEY_KEYS: Final = {
    "store": "store",
    "business_unit": "store",
    "channel": "channel",
    "staff": "staff",
    "month": "month",
    "weekday": "weekday",
    "hour": "hour",
}


def _survey_values(
    uow: UnitOfWork, definitions: Sequence[IndicatorDefinition], arguments: _Arguments
) -> list[IndicatorValue]:
    repository = uow.surveys
    group_by = sorted({_SURVEY_KEYS[key] for key in arguments.keys})
    values: list[IndicatorValue] = []
    shapes: dict[tuple[str, str], _Shape | None] = {}
    for definition in definitions:
        rows = list(
            repository.answer_counts(
                start=arguments.start,
                end=arguments.end,
                measure=definition.question,
                group_by=group_by,  # type: ignore[arg-type]
                timezone=arguments.zone,
            )
        )
        _read_shapes(repository, rows, shapes)
        channels = set(definition.channels)
        groups: dict[_Key, dict[int, int]] = {}
        other_scale: dict[_Key, int] = {}
        for row in rows:
            if channels and row.channel not in channels:
                continue
            key = _survey_key(row, arguments)
            tally = groups.setdefault(key, {})
            answer = _scored(
                row.value, shapes.get((row.instrument_id, row.question_id)), definition
            )
            if answer is None:
                other_scale[key] = other_scale.get(key, 0) + row.count
                continue
            tally[answer] = tally.get(answer, 0) + row.count
        for key in sorted(groups, key=_order):
            row_value = _survey_value(definition, key, groups[key], arguments)
            left_out = other_scale.get(key, 0)
            if left_out:
                answers = "answer" if left_out == 1 else "answers"
                row_value = attrs.evolve(
                    row_value,
                    method=f"{row_value.method}; {left_out:,} {answers} on another scale left out",
                )
            values.append(row_value)
    return values


# A question's scale and whether it is reverse-scored: (low, high, reverse), the same in
# every stored edition, or None where the editions differ.
_Shape = tuple[int | None, int | None, bool]


def _read_shapes(
    repository: Any, rows: Sequence[AnswerCount], shapes: dict[tuple[str, str], _Shape | None]
) -> None:
    """The shapes of the questions ``rows`` answer, read once per instrument."""
    for instrument_id in sorted({row.instrument_id for row in rows}):
        if any(known == instrument_id for known, _ in shapes):
            continue
        seen: dict[str, _Shape | None] = {}
        for instrument in repository.instruments.query(id=instrument_id):
            for question in instrument.questions:
                shape: _Shape = (question.low, question.high, question.reverse_scored)
                if question.id in seen and seen[question.id] != shape:
                    seen[question.id] = None  # its scale changed between editions
                else:
                    seen.setdefault(question.id, shape)
        for question_id, found in seen.items():
            shapes[(instrument_id, question_id)] = found


def _scored(value: int, shape: _Shape | None, definition: IndicatorDefinition) -> int | None:
    """An answer as the indicator reads it: a reverse-scored rating turned (``low + high -
    x``); ``None`` for a rating on another scale than the indicator's 1 to ``scale``, or a
    question whose scale changed between editions."""
    if shape is None:
        return None
    low, high, reverse = shape
    if low is None or high is None:  # not a rating: a 0-10 score, yes or no, a choice
        return value
    if definition.scale is not None and (low, high) != (1, definition.scale):
        return None
    return low + high - value if reverse else value


def _survey_key(row: AnswerCount, arguments: _Arguments) -> _Key:
    return _masked(
        arguments, row.store_id, row.channel, row.staff_id, row.month, row.weekday, row.hour
    )


def _survey_value(
    definition: IndicatorDefinition, key: _Key, counts: dict[int, int], arguments: _Arguments
) -> IndicatorValue:
    statistic = definition.statistic
    confidence = arguments.confidence
    n = sum(counts.values())
    value: float | None = None
    interval: Interval | None = None
    hits: int | None = None
    table: tuple[int, ...] | None = None
    if statistic is Statistic.NPS:
        table = tuple(counts.get(answer, 0) for answer in range(11))
        promoters = sum(c for answer, c in counts.items() if answer >= _PROMOTER)
        detractors = sum(c for answer, c in counts.items() if answer <= _DETRACTOR)
        if n:
            result = nps_from_counts(
                promoters=promoters, passives=n - promoters - detractors,
                detractors=detractors, confidence=confidence,
            )  # fmt: skip
            value, interval = result.score, result.interval
    elif statistic is Statistic.MEAN:
        top = definition.scale or max(counts, default=1)
        if all(1 <= answer <= top for answer in counts):
            table = tuple(counts.get(answer, 0) for answer in range(1, top + 1))
        if n:
            ordered = [float(answer) for answer in sorted(counts) for _ in range(counts[answer])]
            if n > 1:
                result_mean = mean_interval(ordered, confidence=confidence)
                value, interval = result_mean.value, result_mean.interval
            else:
                value = ordered[0]
    else:
        if statistic is Statistic.TOP_BOX:
            assert definition.scale is not None
            assert definition.top_box is not None
            lowest = definition.scale - definition.top_box + 1
        elif statistic is Statistic.AT_LEAST:
            assert definition.at_least is not None
            lowest = definition.at_least
        else:  # a share of yes (1) answers
            lowest = 1
        successes = sum(c for answer, c in counts.items() if answer >= lowest)
        hits = successes
        value, interval = _share(hits, n, confidence)
    return _row(definition, key, value, n, interval, arguments, hits, table)


_PROMOTER: Final = 9
_DETRACTOR: Final = 6


# ---------------------------------------------------------------- customers


def _customer_values(
    uow: UnitOfWork, definitions: Sequence[IndicatorDefinition], arguments: _Arguments
) -> list[IndicatorValue]:
    last = arguments.end - timedelta(microseconds=1)
    end = instant_us(arguments.end)
    groups: dict[_Key, list[int]] = {}
    for customer in uow.customers.query(CustomerQuery(erased=False)):
        if instant_us(customer.created_at) >= end:
            continue
        store = customer.home_store_id
        keys = arguments.keys
        key: _Key = (
            store if "store" in keys else None,
            None,
            arguments.units.get(store) if "business_unit" in keys and store else None,
            None,
            None,
            None,
            None,
        )
        state = uow.consent.ledger(customer.id).state(last)
        tally = groups.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += int(bool(state.permitted))
    values: list[IndicatorValue] = []
    for definition in definitions:
        for key in sorted(groups, key=_order):
            n, consenting = groups[key]
            value, interval = _share(consenting, n, arguments.confidence)
            values.append(_row(definition, key, value, n, interval, arguments, consenting))
    return values


# ---------------------------------------------------------------- pledges


def _pledge_values(
    uow: UnitOfWork, definitions: Sequence[IndicatorDefinition], arguments: _Arguments
) -> list[IndicatorValue]:
    from retail_service_quality.quality.attainment import pledge_attainment

    values: list[IndicatorValue] = []
    for definition in definitions:
        assert definition.pledge_id is not None
        try:
            pledge = uow.pledges.get(definition.pledge_id)
        except NotFoundError:
            raise ValidationError.single(
                "$.indicators", f"{definition.id} names a pledge the store does not hold",
                "not_found",
            ) from None  # fmt: skip
        rows = pledge_attainment(
            uow,
            pledge,
            start=arguments.start,
            end=arguments.end,
            now=arguments.end,
            group_by=sorted(arguments.keys),  # type: ignore[arg-type]
            business_units=dict(arguments.units) if "business_unit" in arguments.keys else None,
            timezone=arguments.zone if arguments.keys & _TIME_KEYS else None,
            confidence=arguments.confidence,
            min_n=1,
        )
        for row in rows:
            key: _Key = (row.store_id, row.channel, row.business_unit, None, row.month, None, None)
            values.append(_row(definition, key, row.share, row.n, row.interval, arguments, row.met))
    return values
