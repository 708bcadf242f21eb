"""Wall-clock time and instants in one IANA time zone.

Turns the open periods of local dates (wall-clock minutes) into the instants
they cover, as integers: seconds or microseconds since 1970-01-01 UTC. An
instant is open when its wall-clock reading falls inside a period of its
date, so across a DST change a period is as long as it really is: the hour
the clocks go back is read twice, the hour they skip never.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from retail_service_quality.calendar._parsing import Minutes

__all__ = ["EPOCH", "MICRO", "ZoneClock", "from_us", "to_us"]

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
MICRO: Final = 1_000_000
_US: Final = timedelta(microseconds=1)
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_DAY_S: Final = 86_400
# Any instant lies within 26 hours of its own wall-clock reading read as UTC.
_MAX_OFFSET_S: Final = 26 * 3_600
# Offsets are looked up in blocks of 64 days, a bounded number of them kept
# (about 100 bytes each) for every calendar of the process to share.
_BLOCK_S: Final = 64 * _DAY_S
# A window's dates, read in wall-clock time (a day early for overnight periods),
# cover instants at most this far outside it.
_MARGIN_S: Final = 2 * _DAY_S + 2 * _MAX_OFFSET_S
_MAX_BLOCKS: Final = 8_192


def to_us(value: datetime) -> int:
    """An aware datetime as microseconds since the epoch."""
    return (value - EPOCH) // _US


def from_us(t: int, zone: ZoneInfo) -> datetime:
    """Microseconds since the epoch as an aware datetime in ``zone``."""
    return (EPOCH + timedelta(microseconds=t)).astimezone(zone)


def _offset(zone: ZoneInfo, second: int) -> int:
    offset = datetime.fromtimestamp(second, zone).utcoffset()
    assert offset is not None
    return offset // timedelta(seconds=1)


@lru_cache(maxsize=_MAX_BLOCKS)
def _block_segments(zone: ZoneInfo, block: int) -> tuple[tuple[int, int, int], ...]:
    """Runs of constant UTC offset in one block of time, found by bisection.

    Shared by every calendar in the zone, so a fresh calendar finds the zone's
    offsets known already.
    """
    low, high = block * _BLOCK_S, (block + 1) * _BLOCK_S
    segments: list[tuple[int, int, int]] = []
    while True:
        first = _offset(zone, low)
        middle = (low + high) // 2
        if _offset(zone, high - 1) == first and _offset(zone, middle) == first:
            segments.append((low, high, first))
            return tuple(segments)
        below, above = low, high - 1
        if _offset(zone, middle) != first:
            above = middle
        while above - below > 1:
            probe = (below + above) // 2
            if _offset(zone, probe) == first:
                below = probe
            else:
                above = probe
        segments.append((low, above, first))
        low = above


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort intervals and join those that overlap or touch."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class ZoneClock:
    """The open instants of a calendar's local dates, in one time zone.

    ``periods_on`` gives the periods of a local date, given as its proleptic
    ordinal, in minutes (a close above 1440 runs into the next date);
    ``overnight`` says whether any period may do so, so that a window also
    looks at the date before it.

    Examples:
        >>> from zoneinfo import ZoneInfo
        >>> clock = ZoneClock(ZoneInfo("Europe/London"), lambda _: ((0, 240),), overnight=False)
        >>> [(end - start) // 3600 for start, end in clock.day_intervals(date(2026, 10, 25))]
        [5]
    """

    __slots__ = ("_overnight", "_periods_on", "_zone")

    def __init__(
        self, zone: ZoneInfo, periods_on: Callable[[int], Minutes], *, overnight: bool
    ) -> None:
        self._zone = zone
        self._periods_on = periods_on
        self._overnight = overnight

    def offset(self, second: int) -> int:
        """The zone's UTC offset, in seconds, at an instant given in seconds."""
        return _offset(self._zone, second)

    def segments(self, low: int, high: int) -> list[tuple[int, int, int]]:
        """Split absolute seconds ``[low, high)`` into runs of constant UTC offset."""
        first, last = low // _BLOCK_S, (high - 1) // _BLOCK_S
        if first == last:
            runs = _block_segments(self._zone, first)
            if len(runs) == 1:
                return [(low, high, runs[0][2])]
        found: list[tuple[int, int, int]] = []
        for block in range(first, last + 1):
            for start, end, offset in _block_segments(self._zone, block):
                start, end = max(start, low), min(end, high)
                if start >= end:
                    continue
                if found and found[-1][2] == offset:
                    found[-1] = (found[-1][0], end, offset)
                else:
                    found.append((start, end, offset))
        return found

    def _instants(
        self,
        days: Iterable[tuple[int, Minutes]],
        segments: list[tuple[int, int, int]],
    ) -> list[tuple[int, int]]:
        """Absolute seconds ``[start, end)`` open on the given (ordinal, periods) dates."""
        found: list[tuple[int, int]] = []
        if len(segments) == 1:
            # No change of offset: wall-clock time is the instant shifted.
            # The segment covers every instant of the dates asked about.
            ((_, _, offset),) = segments
            for ordinal, periods in days:
                base = (ordinal - _EPOCH_ORDINAL) * _DAY_S - offset
                for opens, closes in periods:
                    found.append((base + opens * 60, base + closes * 60))
            return found
        for ordinal, periods in days:
            base = (ordinal - _EPOCH_ORDINAL) * _DAY_S
            for opens, closes in periods:
                wall_open = base + opens * 60
                wall_close = base + closes * 60
                for seg_start, seg_end, offset in segments:
                    start = max(wall_open - offset, seg_start)
                    end = min(wall_close - offset, seg_end)
                    if start < end:
                        found.append((start, end))
        return found

    def day_intervals(self, day: date) -> list[tuple[int, int]]:
        """The instants open on one local date (seconds), touching stretches joined."""
        periods = self._periods_on(day.toordinal())
        if not periods:
            return []
        base = (day.toordinal() - _EPOCH_ORDINAL) * _DAY_S
        last_close = max(closes for _, closes in periods) * 60
        segments = self.segments(base - _MAX_OFFSET_S, base + last_close + _MAX_OFFSET_S)
        return _merge(self._instants([(day.toordinal(), periods)], segments))

    def local_ordinal(self, second: int) -> int:
        """The proleptic ordinal of the local date at an instant given in seconds."""
        return (second + self.offset(second)) // _DAY_S + _EPOCH_ORDINAL

    def window(self, low: int, high: int) -> list[tuple[int, int]]:
        """The open instants within microseconds ``[low, high)``, merged, in order."""
        low_s = low // MICRO
        high_s = -(-high // MICRO)
        segments = self.segments(low_s - _MARGIN_S, high_s + _MARGIN_S)
        first = _local_ordinal(segments, low_s) - (1 if self._overnight else 0)
        last = _local_ordinal(segments, high_s - 1)
        periods_on = self._periods_on
        days = [
            (ordinal, periods)
            for ordinal in range(first, last + 1)
            if (periods := periods_on(ordinal))
        ]
        if not days:
            return []
        found = self._instants(days, segments)
        if len(segments) > 1 or self._overnight:
            # Only then can the intervals of different dates overlap or come out of order.
            found = _merge(found)
        clipped: list[tuple[int, int]] = []
        for start, end in found:
            start_us = max(start * MICRO, low)
            end_us = min(end * MICRO, high)
            if start_us < end_us:
                clipped.append((start_us, end_us))
        return clipped


def _local_ordinal(segments: list[tuple[int, int, int]], second: int) -> int:
    for start, end, offset in segments:
        if start <= second < end:
            return (second + offset) // _DAY_S + _EPOCH_ORDINAL
    raise AssertionError("instant outside the segments")  # pragma: no cover
