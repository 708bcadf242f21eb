"""The SQLite adapter's interaction repository: row mapping, filters, summaries in SQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from retail_service_quality.errors import StorageError
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    InteractionKind,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.storage._common import (
    Summary,
    check_query,
    check_summary_arguments,
    documented_by,
    offset_segments,
    trusted_loader,
)
from retail_service_quality.storage._time import (
    DAY_US,
    US,
    instant_us,
    offset_us,
    read_moment,
    zone_name,
)
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
from retail_service_quality.storage.sqlite._repository import (
    Repository,
    offset_case,
    stream,
    translated,
    where_clause,
)

__all__ = ["SQLiteInteractions", "interaction_from_row", "interaction_row"]

COLUMNS: Final = (
    "id",
    "version",
    "store_id",
    "channel",
    "occurred_us",
    "occurred_tz",
    "occurred_offset_us",
    "customer_id",
    "status",
    "subject",
    "needs",
    "handle_us",
    "agent_id",
    "notes",
    "kind",
    "direction",
    "products",
    "first_response_us",
    "first_response_tz",
    "first_response_offset_us",
    "closed_us",
    "closed_tz",
    "closed_offset_us",
    "queue_us",
    "talk_us",
    "hold_us",
    "after_call_us",
    "abandoned",
    "resolved_first_contact",
    "feedback",
)
_SHIFT_DAYS: Final = 1_000_000  # more days than lie between 1970 and the year 1
_CHANNELS: Final = {member.value: member for member in Channel}
_STATUSES: Final = {member.value: member for member in InteractionStatus}
_KINDS: Final = {member.value: member for member in InteractionKind}
_DIRECTIONS: Final = {member.value: member for member in InteractionDirection}
# Calls offered to the queue (inbound, on the hotline) and those of them abandoned.
_CALL: Final = (
    f"channel = '{Channel.HOTLINE.value}' AND direction = '{InteractionDirection.INBOUND.value}'"
)
# A short abandon: rang off within the threshold (``?``, in microseconds) by its recorded queue
# time; left out of the calls offered and abandoned.
_SHORT: Final = f"({_CALL} AND abandoned = 1 AND queue_us IS NOT NULL AND queue_us < ?)"
_OFFERED: Final = f"coalesce(sum(CASE WHEN {_CALL} AND NOT {_SHORT} THEN 1 ELSE 0 END), 0)"
_ABANDONED: Final = (
    f"coalesce(sum(CASE WHEN {_CALL} AND abandoned = 1 AND NOT {_SHORT} THEN 1 ELSE 0 END), 0)"
)
_SHORT_ABANDONED: Final = f"coalesce(sum(CASE WHEN {_SHORT} THEN 1 ELSE 0 END), 0)"


def _moment_columns(moment: datetime | None) -> tuple[Any, Any, Any]:
    """An optional datetime as (instant, zone name, offset) columns."""
    if moment is None:
        return None, None, None
    return instant_us(moment), zone_name(moment), offset_us(moment)


def _us(duration: timedelta | None) -> int | None:
    return None if duration is None else duration // US


def interaction_row(interaction: ServiceInteraction) -> tuple[Any, ...]:
    """The row stored for an interaction."""
    handle = interaction.handle_time
    occurred = interaction.occurred_at
    first = interaction.resolved_first_contact
    return (
        interaction.id,
        interaction.version,
        interaction.store_id,
        interaction.channel.value,
        instant_us(occurred),
        zone_name(occurred),
        offset_us(occurred),
        interaction.customer_id,
        interaction.status.value,
        interaction.subject,
        json.dumps(interaction.needs) if interaction.needs else None,
        None if handle is None else handle // US,
        interaction.agent_id,
        interaction.notes,
        interaction.kind.value,
        interaction.direction.value,
        json.dumps(interaction.products_recommended) if interaction.products_recommended else None,
        *_moment_columns(interaction.first_response_at),
        *_moment_columns(interaction.closed_at),
        _us(interaction.queue_time),
        _us(interaction.talk_time),
        _us(interaction.hold_time),
        _us(interaction.after_call_work),
        1 if interaction.abandoned else 0,
        None if first is None else int(first),
        interaction.feedback,
    )


_NEEDS: dict[str, tuple[str, ...]] = {}  # needs are categories: few distinct lists


def _needs(text: str) -> tuple[str, ...]:
    found = _NEEDS.get(text)
    if found is None:
        needs = json.loads(text)
        if type(needs) is not list or not all(type(need) is str for need in needs):
            raise ValueError("needs must be a list of text")
        if len(_NEEDS) >= 4_096:
            _NEEDS.clear()
        found = _NEEDS[text] = tuple(needs)
    return found


def _unreadable(row: Sequence[Any], error: Exception) -> StorageError:
    if isinstance(error, KeyError):
        reason = ": it holds a channel, status, kind or direction this release does not know"
    elif isinstance(error, StorageError):
        reason = f": {error}"
    else:
        reason = ""
    return StorageError(f"the interaction {row[0]!r} cannot be read{reason}")


interaction_from_row: Callable[[Sequence[Any]], ServiceInteraction] = trusted_loader(
    ServiceInteraction,
    (
        ("id", "row[0]"),
        ("version", "row[1]"),
        ("store_id", "row[2]"),
        ("channel", "channels[row[3]]"),
        ("occurred_at", "moment(row[4], row[6], row[5])"),
        ("customer_id", "row[7]"),
        ("status", "statuses[row[8]]"),
        ("subject", "row[9]"),
        ("needs", "() if row[10] is None else needs(row[10])"),
        ("handle_time", "None if row[11] is None else us * row[11]"),
        ("agent_id", "row[12]"),
        ("notes", "row[13]"),
        ("kind", "kinds[row[14]]"),
        ("direction", "directions[row[15]]"),
        ("products_recommended", "() if row[16] is None else needs(row[16])"),
        ("first_response_at", "None if row[17] is None else moment(row[17], row[19], row[18])"),
        ("closed_at", "None if row[20] is None else moment(row[20], row[22], row[21])"),
        ("queue_time", "None if row[23] is None else us * row[23]"),
        ("talk_time", "None if row[24] is None else us * row[24]"),
        ("hold_time", "None if row[25] is None else us * row[25]"),
        ("after_call_work", "None if row[26] is None else us * row[26]"),
        ("abandoned", "row[27] == 1"),
        ("resolved_first_contact", "None if row[28] is None else row[28] == 1"),
        ("feedback", "row[29]"),
    ),
    {
        "channels": _CHANNELS,
        "statuses": _STATUSES,
        "kinds": _KINDS,
        "directions": _DIRECTIONS,
        "moment": read_moment,
        "needs": _needs,
        "us": US,
    },
    _unreadable,
)
"""The interaction a row the adapter wrote holds, built without validating it again."""


def _interaction_filter(
    query: InteractionQuery | None, *, time_only: bool = False
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query is not None:
        if query.start is not None:
            clauses.append("occurred_us >= ?")
            params.append(instant_us(query.start))
        if query.end is not None:
            clauses.append("occurred_us < ?")
            params.append(instant_us(query.end))
        if not time_only:
            for column, value in (
                ("store_id", query.store_id),
                ("channel", None if query.channel is None else query.channel.value),
                ("customer_id", query.customer_id),
                ("status", None if query.status is None else query.status.value),
                ("kind", None if query.kind is None else query.kind.value),
                ("direction", None if query.direction is None else query.direction.value),
                ("abandoned", None if query.abandoned is None else int(query.abandoned)),
            ):
                if value is not None:
                    clauses.append(f"{column} = ?")
                    params.append(value)
    return where_clause(clauses), params


@documented_by(InteractionRepository)
class SQLiteInteractions(Repository[ServiceInteraction, InteractionQuery]):
    """Service interactions in one SQLite unit of work, ordered by instant, then id."""

    table = "interactions"
    kind = "interaction"
    columns = COLUMNS
    order = "occurred_us, id"
    record_type = ServiceInteraction
    query_type = InteractionQuery
    to_row = staticmethod(interaction_row)
    from_row = staticmethod(interaction_from_row)
    where = staticmethod(_interaction_filter)

    def _bound(self, query: InteractionQuery | None, function: str, bound: int | None) -> Any:
        """The first (``min``) or last (``max``) row's instant in the query's time range."""
        where, params = _interaction_filter(query, time_only=True)
        if bound is not None:
            where += (" AND " if where else " WHERE ") + (
                "occurred_us >= ?" if function == "min" else "occurred_us <= ?"
            )
            params.append(bound)
        connection = self._uow.connection()
        with translated("summarizing interactions"):
            return connection.execute(
                f"SELECT {function}(occurred_us) FROM interactions{where}", params
            ).fetchone()[0]

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
        check_query(query, InteractionQuery)
        zone, keys = check_summary_arguments(
            group_by, period, utc_offset, timezone, short_abandon=short_abandon
        )
        short_us = short_abandon // US
        summary = Summary(keys, period)
        where, params = _interaction_filter(query)
        connection = self._uow.connection()
        local_params: list[Any] = []
        if not summary.by_period:
            day = "NULL"
        else:
            if timezone is None:
                offset = "?"
                local_params.append(utc_offset // US)
            else:
                # The zone's offsets over the instants that hold rows (index seeks, no scan).
                segments = offset_segments(
                    zone,
                    lambda at: self._bound(query, "min", at),
                    lambda at: self._bound(query, "max", at),
                )
                if not segments:
                    return RecordList(InteractionSummary)
                offset = offset_case("occurred_us", segments, local_params)
            # The local day number. Shifted by a million days first, so that the division
            # (which truncates) floors instants before 1970 too, with one offset per row.
            day = f"((occurred_us + {offset} + {_SHIFT_DAYS * DAY_US}) / {DAY_US} - {_SHIFT_DAYS})"
        grouped = [
            day,
            "store_id" if summary.by_store else "NULL",
            "channel" if summary.by_channel else "NULL",
        ]
        sql = (
            f"SELECT {grouped[0]} AS k0, {grouped[1]} AS k1, {grouped[2]} AS k2, count(*), "
            f"count(handle_us), coalesce(sum(handle_us), 0), {_OFFERED}, {_ABANDONED}, "
            f"{_SHORT_ABANDONED} FROM interactions{where} "
            "GROUP BY k0, k1, k2"
        )
        # The grouping keys' parameters come first, then the short-abandon threshold of each
        # count that reads it, then the filter's.
        with translated("summarizing interactions"):
            rows = connection.execute(
                sql, [*local_params, short_us, short_us, short_us, *params]
            ).fetchall()
        for row in rows:
            channel = None
            if row[2] is not None:
                channel = _CHANNELS.get(row[2])
                if channel is None:
                    raise StorageError("a stored channel is one this release does not know")
            summary.add(row[0], row[1], channel, row[3:])
        return summary.rows()

    def handle_times(self, query: InteractionQuery | None = None) -> Iterator[timedelta]:
        where, params = self._filter(query)
        condition = " AND handle_us IS NOT NULL" if where else " WHERE handle_us IS NOT NULL"
        sql = f"SELECT handle_us FROM interactions{where}{condition} ORDER BY handle_us, id"
        return stream(self._uow, sql, params, _handle_time, "reading interaction handle times")

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
        # One row per group, never one per call.
        low, high, within_us, chosen, zone_key, short_us = check_answer_counts(
            start, end, within, channels, timezone, short_abandon, tiers
        )
        if not chosen or high <= low:
            return []
        bounds = InteractionQuery(start=start, end=end)
        segments = offset_segments(
            ZoneInfo(zone_key),
            lambda at: self._bound(bounds, "min", at),
            lambda at: self._bound(bounds, "max", at),
        )
        if not segments:
            return []
        params: list[Any] = []
        offset = offset_case("occurred_us", segments, params)
        day = f"((i.occurred_us + {offset} + {_SHIFT_DAYS * DAY_US}) / {DAY_US} - {_SHIFT_DAYS})"
        short = "(i.abandoned = 1 AND i.queue_us IS NOT NULL AND i.queue_us < ?)"
        tier = "c.tier" if tiers else "NULL"
        join = " LEFT JOIN customers c ON c.id = i.customer_id" if tiers else ""
        marks = ", ".join("?" for _ in chosen)
        sql = (
            f"SELECT {day} AS k0, i.store_id AS k1, i.channel AS k2, {tier} AS k3, "
            "coalesce(sum(CASE WHEN i.abandoned = 0 AND i.queue_us <= ? THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN (i.abandoned = 0 AND i.queue_us > ?) "
            f"OR (i.abandoned = 1 AND NOT {short}) THEN 1 ELSE 0 END), 0), "
            f"coalesce(sum(CASE WHEN {short} THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN i.abandoned = 0 AND i.queue_us IS NULL THEN 1 ELSE 0 END), 0) "
            f"FROM interactions i{join} "
            f"WHERE i.occurred_us >= ? AND i.occurred_us < ? AND i.direction = ? "
            f"AND i.channel IN ({marks}) GROUP BY k0, k1, k2, k3"
        )
        values = [
            *params,
            within_us,
            within_us,
            short_us,
            short_us,
            low,
            high,
            InteractionDirection.INBOUND.value,
            *(channel.value for channel in chosen),
        ]
        with translated("counting calls against an answer time"):
            rows = self._uow.connection().execute(sql, values).fetchall()
        return [_answer_counts_row(row) for row in rows]

    def _most_of_the_rows(self, low: int, high: int) -> bool:
        """Whether ``[low, high)`` spans most of the time the stored interactions span."""
        with translated("reading the span of the interactions"):
            first, last = (
                self._uow.connection()
                .execute("SELECT min(occurred_us), max(occurred_us) FROM interactions")
                .fetchone()
            )
        if first is None or last is None or last <= first:
            return True
        covered: int = min(high, last + 1) - max(low, first)
        return bool(covered * 2 > last + 1 - first)

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
        # One row per group, never one per interaction.
        low, high, zone_key, thresholds, short_us, window_us = check_tally(
            start, end, timezone, within, short_abandon, by_hour, by_agent, repeat_window
        )
        if high <= low:
            return []
        bounds = InteractionQuery(start=start, end=end)
        segments = offset_segments(
            ZoneInfo(zone_key),
            lambda at: self._bound(bounds, "min", at),
            lambda at: self._bound(bounds, "max", at),
        )
        if not segments:
            return []
        params: list[Any] = []
        offset = offset_case("occurred_us", segments, params)
        local = f"(i.occurred_us + {offset} + {_SHIFT_DAYS * DAY_US})"
        columns = [f"({local} / {DAY_US} - {_SHIFT_DAYS})"]
        if by_hour:
            params.extend(params[: len(params)])  # the offset's parameters, once more
            columns.append(f"(({_hour_local(offset)}) % {DAY_US}) / {_HOUR_US}")
        else:
            columns.append("NULL")
        columns += ["i.store_id", "i.channel", "i.agent_id" if by_agent else "NULL"]
        inbound = "i.direction = ?"
        short = "(i.queue_us IS NOT NULL AND i.queue_us < ?)"
        counts: list[tuple[str, list[Any]]] = [
            ("1 = 1", []),
            ("i.handle_us IS NOT NULL", []),
            ("", []),  # the handle times' sum
            (inbound, [_INBOUND]),
            (f"{inbound} AND i.abandoned = 1 AND {short}", [_INBOUND, short_us]),
            (f"{inbound} AND i.abandoned = 1 AND NOT {short}", [_INBOUND, short_us]),
            (f"{inbound} AND i.abandoned = 0 AND i.queue_us IS NOT NULL", [_INBOUND]),
            ("", []),  # the queue times' sum
        ]
        counts += [
            (f"{inbound} AND i.abandoned = 0 AND i.queue_us <= ?", [_INBOUND, threshold])
            for threshold in thresholds
        ]
        counts += [
            (
                f"{inbound} AND i.abandoned = 1 AND i.queue_us >= ? AND i.queue_us <= ?",
                [_INBOUND, short_us, threshold],
            )
            for threshold in thresholds
        ]
        counts += [
            ("i.resolved_first_contact IS NOT NULL", []),
            ("i.resolved_first_contact = 1", []),
        ]
        if window_us is None:
            counts += [("1 = 0", []), ("1 = 0", [])]
        else:
            later = (
                "NOT EXISTS (SELECT 1 FROM interactions j WHERE j.customer_id = i.customer_id "
                "AND j.occurred_us > i.occurred_us AND j.occurred_us <= i.occurred_us + ? "
                "AND j.subject = i.subject)"
            )
            counts += [
                ("i.customer_id IS NOT NULL", []),
                (f"i.customer_id IS NOT NULL AND {later}", [window_us]),
            ]
        selected: list[str] = []
        values: list[Any] = []
        for index, (condition, arguments) in enumerate(counts):
            if index == 2:
                selected.append("coalesce(sum(i.handle_us), 0)")
            elif index == 7:
                selected.append(
                    f"coalesce(sum(CASE WHEN {inbound} AND i.abandoned = 0 THEN i.queue_us END), 0)"
                )
                values.append(_INBOUND)
            else:
                selected.append(f"coalesce(sum(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)")
                values.extend(arguments)
        keys = ", ".join(f"{column} AS k{index}" for index, column in enumerate(columns))
        # A period holding most of the rows is read by scanning the table in its own order:
        # through the time index each row is a lookup elsewhere in the file.
        instant = "+i.occurred_us" if self._most_of_the_rows(low, high) else "i.occurred_us"
        sql = (
            f"SELECT {keys}, {', '.join(selected)} FROM interactions i "
            f"WHERE {instant} >= ? AND {instant} < ? GROUP BY k0, k1, k2, k3, k4"
        )
        with translated("counting interactions for the indicators"):
            rows = self._uow.connection().execute(sql, [*params, *values, low, high]).fetchall()
        size = len(thresholds)
        return [_tally_row(row, size) for row in rows]


def _handle_time(row: Sequence[Any]) -> timedelta:
    try:
        return timedelta(microseconds=row[0])
    except (TypeError, OverflowError) as error:
        raise StorageError("a stored handle time cannot be read") from error


_HOUR_US: Final = 3_600_000_000
_INBOUND: Final = InteractionDirection.INBOUND.value


def _hour_local(offset: str) -> str:
    return f"i.occurred_us + {offset} + {_SHIFT_DAYS * DAY_US}"


def _tally_row(row: Sequence[Any], size: int) -> InteractionTally:
    channel = _CHANNELS.get(row[3])
    if channel is None:
        raise StorageError("a stored channel is one this release does not know")
    counts = row[5:]
    base = 8
    return InteractionTally(
        day=row[0],
        hour=row[1],
        store_id=row[2],
        channel=channel,
        agent_id=row[4],
        contacts=counts[0],
        handled=counts[1],
        handle_us=counts[2],
        inbound=counts[3],
        short=counts[4],
        abandoned=counts[5],
        queue_measured=counts[6],
        queue_us=counts[7],
        within=tuple(counts[base : base + size]),
        abandoned_within=tuple(counts[base + size : base + 2 * size]),
        fcr_known=counts[base + 2 * size],
        fcr_yes=counts[base + 2 * size + 1],
        repeat_known=counts[base + 2 * size + 2],
        repeat_free=counts[base + 2 * size + 3],
    )


def _answer_counts_row(row: Sequence[Any]) -> AnswerCounts:
    channel = _CHANNELS.get(row[2])
    if channel is None:
        raise StorageError("a stored channel is one this release does not know")
    return AnswerCounts(row[0], row[1], channel, row[3], row[4], row[5], row[6], row[7])
