"""Logic that every adapter shares: grouping keys for summaries, checks of arguments."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from retail_service_quality.errors import Problems, StorageError
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage.ports import GroupBy, Period

__all__ = [
    "UnitOfWorkState",
    "check_summary_arguments",
    "offset_segments",
    "period_start",
    "summary_order",
]

_GROUPS: Final = ("period", "store", "channel")
_PERIODS: Final = ("day", "week", "month")
_SAMPLE_S: Final = 6 * 3_600  # no zone changes its offset twice within six hours


def check_summary_arguments(
    group_by: Sequence[GroupBy],
    period: Period,
    utc_offset: timedelta,
    zone: str | None = None,
) -> tzinfo:
    """Check a summary's arguments; return the time zone its periods are read in."""
    problems = Problems()
    if isinstance(group_by, str) or not all(key in _GROUPS for key in group_by):
        problems.add("$.group_by", "must be a list drawn from 'period', 'store' and 'channel'")
    elif len(set(group_by)) != len(group_by):
        problems.add("$.group_by", "must not repeat a key")
    if period not in _PERIODS:
        problems.add("$.period", "must be 'day', 'week' or 'month'")
    if not isinstance(utc_offset, timedelta) or abs(utc_offset) >= timedelta(hours=24):
        problems.add("$.utc_offset", "must be a timedelta of less than 24 hours either way")
    elif utc_offset % timedelta(minutes=1):
        problems.add("$.utc_offset", "must be a whole number of minutes")
    elif zone is not None and utc_offset:
        problems.add("$.utc_offset", "give a utc_offset or a timezone, not both")
    found: tzinfo | None = None
    if zone is not None:
        try:
            found = ZoneInfo(zone) if isinstance(zone, str) and zone else None
        except (ZoneInfoNotFoundError, ValueError, OSError):
            found = None
        if found is None:
            problems.add("$.timezone", "not a known IANA time zone")
    problems.raise_if_any()
    return found if found is not None else timezone(utc_offset)


def period_start(moment: datetime, period: Period, zone: tzinfo) -> date:
    """The first day of the period containing ``moment``, read in ``zone``."""
    day = moment.astimezone(zone).date()
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def offset_segments(zone: tzinfo, first_us: int, last_us: int) -> list[tuple[int, int]]:
    """The UTC offsets (microseconds) in force from ``first_us`` to ``last_us``.

    Each pair is ``(from_us, offset_us)``: the offset applies from that instant
    until the next pair's. Found by sampling every six hours and bisecting to
    the second where the offset changes.
    """

    def offset(second: int) -> int:
        found = datetime.fromtimestamp(second, zone).utcoffset()
        assert found is not None
        return found // timedelta(microseconds=1)

    first_s = first_us // 1_000_000 - 1
    last_s = last_us // 1_000_000 + 1
    segments = [(first_s * 1_000_000, offset(first_s))]
    low = first_s
    while low < last_s:
        high = min(low + _SAMPLE_S, last_s)
        if offset(high) != segments[-1][1]:
            below, above = low, high
            while above - below > 1:
                middle = (below + above) // 2
                if offset(middle) == segments[-1][1]:
                    below = middle
                else:
                    above = middle
            segments.append((above * 1_000_000, offset(above)))
            low = above
        else:
            low = high
    return segments


def summary_order(key: tuple[date | None, str | None, Channel | None]) -> tuple[str, str, str]:
    """The order of summary rows: by period, then store, then channel (code-point order)."""
    day, store, channel = key
    return (
        "" if day is None else day.isoformat(),
        store or "",
        "" if channel is None else channel.value,
    )


class UnitOfWorkState:
    """What every adapter's unit of work tracks: active or not, read-only or not, no nesting.

    ``local`` is the store's thread-local state: a thread may run one unit of
    work at a time on a store.
    """

    def __init__(self, local: threading.local, *, read_only: bool) -> None:
        self._local = local
        self._read_only = read_only
        self._active = False

    def check_active(self) -> None:
        if not self._active:
            raise StorageError("the unit of work is not active: use it inside a with block")

    def check_writable(self) -> None:
        self.check_active()
        if self._read_only:
            raise StorageError("this unit of work is read-only")

    def _begin(self) -> None:
        if self._active:
            raise StorageError("the unit of work is already in use")
        if getattr(self._local, "busy", False):
            raise StorageError(
                "units of work on one store cannot be nested: finish the outer one first"
            )
        self._local.busy = True
        self._active = True

    def _end(self) -> None:
        self._active = False
        self._local.busy = False
