"""The timeline engine: business-time arithmetic on integers.

Instants are integers (microseconds since an epoch); open time is given by a
*source*, a function that returns the open intervals within a window
``[low, high)``, sorted, disjoint and clipped to it. The engine knows
nothing of dates, zones or hours.

It keeps an index of open intervals with cumulative business time, so
`Timeline.elapsed` and `Timeline.advance` cost two binary searches once the
instants they touch are indexed. The index is built lazily, in chunks of
four days around the instants asked about, growing by doubling as queries
reach further. It is bounded: at most `MAX_SEGMENTS` separate stretches and
`MAX_INTERVALS` intervals in all (the least recently used stretches are
dropped first); a query needing more streams through the source without
keeping what it reads.

Examples:
    >>> day = 10
    >>> source = lambda low, high: [  # open [2, 5) of every 10
    ...     (max(s, low), min(s + 3, high))
    ...     for s in range(low - low % day + 2, high, day)
    ...     if max(s, low) < min(s + 3, high)
    ... ]
    >>> timeline = Timeline(source, low=0, high=10**6, chunk=40)
    >>> timeline.elapsed(0, 100)
    30
    >>> timeline.advance(0, 4, limit=10**6)
    13
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from threading import Lock
from typing import Final

__all__ = ["MAX_INTERVALS", "MAX_SEGMENTS", "Source", "Timeline", "merge_spans"]

Source = Callable[[int, int], list[tuple[int, int]]]

MAX_SEGMENTS: Final = 8
"""Separate stretches of time the index keeps at most."""
MAX_INTERVALS: Final = 500_000
"""Open intervals the index keeps at most, in all (24 bytes each: about 12 MB)."""
_GROW_STEP_CHUNKS: Final = 64
_NEAR_CHUNKS: Final = 64


class _Segment:
    """A contiguous stretch ``[lo, hi)`` of indexed time.

    ``cum[i]`` is the business time from an arbitrary origin to ``ends[i]``;
    ``base`` is the business time from that origin to ``lo``.
    """

    __slots__ = ("base", "cum", "ends", "hi", "lo", "starts")

    def __init__(self, lo: int, hi: int, intervals: list[tuple[int, int]]) -> None:
        self.lo = lo
        self.hi = hi
        self.base = 0
        self.starts = array("q")
        self.ends = array("q")
        self.cum = array("q")
        if intervals:
            self._append(intervals)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def top(self) -> int:
        """Business time from the origin to ``hi``."""
        return self.cum[-1] if self.cum else self.base

    def _append(self, intervals: list[tuple[int, int]]) -> None:
        running = self.top
        cum: list[int] = []
        for start, end in intervals:
            running += end - start
            cum.append(running)
        self.starts.extend([start for start, _ in intervals])
        self.ends.extend([end for _, end in intervals])
        self.cum.extend(cum)

    def extend_right(self, hi: int, intervals: list[tuple[int, int]]) -> None:
        self._append(intervals)
        self.hi = hi

    def extend_left(self, lo: int, intervals: list[tuple[int, int]]) -> None:
        running = self.base - sum(end - start for start, end in intervals)
        self.base = running
        starts, ends, cum = array("q"), array("q"), array("q")
        for start, end in intervals:
            running += end - start
            starts.append(start)
            ends.append(end)
            cum.append(running)
        self.starts = starts + self.starts
        self.ends = ends + self.ends
        self.cum = cum + self.cum
        self.lo = lo

    def cumulative(self, t: int) -> int:
        """Business time from the origin to ``t`` (``lo <= t <= hi``)."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return self.base
        end = self.ends[i]
        if t >= end:
            return self.cum[i]
        return self.cum[i] - (end - t)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and join those that overlap or touch.

    Examples:
        >>> merge_spans([(5, 8), (1, 3), (2, 4), (8, 9)])
        [(1, 4), (5, 9)]
    """
    merged: list[tuple[int, int]] = []
    for begins, ends in sorted(spans):
        if merged and begins <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((begins, ends))
    return merged


class Timeline:
    """Business time over the open intervals a source gives, between ``low`` and ``high``.

    Every instant passed in must lie in ``[low, high]``.
    """

    __slots__ = ("_chunk", "_high", "_lock", "_low", "_segments", "_source")

    def __init__(self, source: Source, *, low: int, high: int, chunk: int) -> None:
        # The index grows in place: one query at a time reads or grows it.
        self._lock = Lock()
        self._source = source
        self._low = low
        self._high = high
        self._chunk = chunk
        self._segments: list[_Segment] = []

    # ------------------------------------------------------------------ index

    def _floor(self, t: int) -> int:
        return max(self._low, t - t % self._chunk)

    def _ceil(self, t: int) -> int:
        return min(self._high, t - t % self._chunk + self._chunk)

    def _fits(self, segment: _Segment) -> bool:
        """Keep the index within its bounds, dropping old stretches; whether it fits."""
        segments = self._segments
        if segment in segments:
            segments.remove(segment)
        segments.append(segment)
        while len(segments) > 1 and (
            len(segments) > MAX_SEGMENTS or sum(map(len, segments)) > MAX_INTERVALS
        ):
            segments.pop(0)
        if len(segment) > MAX_INTERVALS:
            segments.remove(segment)
            return False
        return True

    def _grow_right(self, segment: _Segment, hi: int) -> bool:
        step = self._chunk * _GROW_STEP_CHUNKS
        while segment.hi < hi:
            to = min(hi, segment.hi + step)
            segment.extend_right(to, self._source(segment.hi, to))
            if len(segment) > MAX_INTERVALS:
                return self._fits(segment)
        return self._fits(segment)

    def _grow_left(self, segment: _Segment, lo: int) -> bool:
        step = self._chunk * _GROW_STEP_CHUNKS
        while segment.lo > lo:
            to = max(lo, segment.lo - step)
            segment.extend_left(to, self._source(to, segment.lo))
            if len(segment) > MAX_INTERVALS:
                return self._fits(segment)
        return self._fits(segment)

    def _covering(self, a: int, b: int) -> _Segment | None:
        """A stretch of the index covering ``[a, b]``, built or grown if need be."""
        segments = self._segments
        for segment in reversed(segments):
            if segment.lo <= a and b <= segment.hi:
                return segment
        near = self._chunk * _NEAR_CHUNKS
        for segment in reversed(segments):
            if a <= segment.hi + near and b >= segment.lo - near:
                span = segment.hi - segment.lo
                if a < segment.lo and not self._grow_left(
                    segment, self._floor(min(a, segment.lo - span))
                ):
                    return None
                if b > segment.hi and not self._grow_right(
                    segment, self._ceil(max(b, segment.hi + span))
                ):
                    return None
                return segment
        lo = self._floor(a)
        hi = self._ceil(b)
        segment = _Segment(lo, lo, [])
        return segment if self._grow_right(segment, hi) else None

    # ------------------------------------------------------------------ queries

    def elapsed(self, start: int, end: int) -> int:
        """Business time in ``[start, end)``; requires ``start <= end``."""
        with self._lock:
            segment = self._covering(start, end)
            if segment is not None:
                return segment.cumulative(end) - segment.cumulative(start)
        return sum(e - s for s, e in self.intervals(start, end))

    def advance(self, start: int, amount: int, *, limit: int) -> int | None:
        """The earliest instant by which ``amount`` (> 0) of business time has passed.

        None if that instant would lie after ``limit``.
        """
        with self._lock:
            return self._advance(start, amount, limit)

    def _advance(self, start: int, amount: int, limit: int) -> int | None:
        segment = self._covering(start, start)
        if segment is None:
            return self._stream_advance(start, amount, limit)
        target = segment.cumulative(start) + amount
        while True:
            i = bisect_left(segment.cum, target)
            if i < len(segment.cum):
                found = segment.ends[i] - (segment.cum[i] - target)
                return found if found <= limit else None
            if segment.hi >= limit:
                return None
            position, remaining = segment.hi, target - segment.top
            span = max(segment.hi - segment.lo, self._chunk)
            if not self._grow_right(segment, self._ceil(min(limit, segment.hi + span))):
                return self._stream_advance(position, remaining, limit)

    def _stream_advance(self, start: int, amount: int, limit: int) -> int | None:
        step = self._chunk * _GROW_STEP_CHUNKS
        position = start
        while position < limit:
            to = min(limit, position + step)
            for s, e in self._source(position, to):
                if e - s >= amount:
                    return s + amount
                amount -= e - s
            position = to
        return None

    def intervals(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The open intervals within ``[start, end)``, in order, read from the source."""
        step = self._chunk * _GROW_STEP_CHUNKS
        position = start
        while position < end:
            to = min(end, position + step)
            yield from self._source(position, to)
            position = to

    def add(
        self, start: int, amount: int, pauses: list[tuple[int, int]], *, limit: int
    ) -> int | None:
        """`advance` with the clock stopped inside ``pauses`` (merged, sorted spans)."""
        current = start
        for pause_start, pause_end in pauses:
            if pause_end <= current:
                continue
            if pause_start >= limit:
                break
            if pause_start > current:
                available = self.elapsed(current, pause_start)
                if available >= amount:
                    break
                amount -= available
            if pause_end > limit:
                return None
            current = pause_end
        return self.advance(current, amount, limit=limit)

    def between(self, start: int, end: int, pauses: list[tuple[int, int]]) -> int:
        """`elapsed` less the business time inside ``pauses`` (merged, sorted spans)."""
        total = self.elapsed(start, end)
        for pause_start, pause_end in pauses:
            clipped_start, clipped_end = max(pause_start, start), min(pause_end, end)
            if clipped_start < clipped_end:
                total -= self.elapsed(clipped_start, clipped_end)
        return total
