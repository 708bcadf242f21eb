"""Checking the arguments of a calendar's methods, and the limits they keep to.

Every datetime must be aware and lie in `SUPPORTED_RANGE`; durations and
spans are at most `HORIZON`. Each check records a problem (with its path and
what was expected) and returns None, so a method reports every problem of a
call at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final

from retail_service_quality.calendar._parsing import is_plain_date, not_a_date
from retail_service_quality.calendar._timeline import merge_spans
from retail_service_quality.calendar._zones import to_us
from retail_service_quality.errors import Problems, ValidationError, join_path

__all__ = [
    "HIGH",
    "HORIZON",
    "HORIZON_DAYS",
    "HORIZON_US",
    "LOW",
    "SUPPORTED_RANGE",
    "beyond",
    "duration_of",
    "instant",
    "pauses_of",
    "require_date",
    "span_of",
]

HORIZON: Final = timedelta(days=36_525)
"""How far business time reaches: 100 years (of 365.25 days).

`BusinessCalendar.add` refuses a longer duration and a deadline further than
this after its start; `between` and `open_intervals` refuse a longer span;
`add_working_days` and `next_open` look no further ahead."""

SUPPORTED_RANGE: Final = (
    datetime(2, 1, 1, tzinfo=UTC),
    datetime(9998, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
)
"""The first and last instants a calendar accepts or returns (years 2 to 9998, UTC).
Dates given to a calendar must lie in the same years."""

LOW: Final = to_us(SUPPORTED_RANGE[0])
HIGH: Final = to_us(SUPPORTED_RANGE[1]) + 1
_ZERO: Final = timedelta(0)
_ONE_US: Final = timedelta(microseconds=1)
HORIZON_US: Final = HORIZON // _ONE_US
HORIZON_DAYS: Final = HORIZON.days
_RANGE_TEXT: Final = "must lie between the years 2 and 9998"


def instant(value: object, path: str, problems: Problems) -> int | None:
    """An aware datetime in the supported range, as microseconds; None (and a problem) if not."""
    if not isinstance(value, datetime):
        problems.add(path, "must be a timezone-aware datetime", "type")
        return None
    try:
        offset = value.utcoffset()
    except (TypeError, ValueError, OverflowError):
        offset = None
    if offset is None:
        problems.add(path, "must be timezone-aware", "naive_datetime")
        return None
    t = to_us(value)
    if not LOW <= t < HIGH:
        problems.add(path, _RANGE_TEXT, "range")
        return None
    return t


def duration_of(value: object, path: str, problems: Problems) -> int | None:
    """A duration from zero to `HORIZON`, as microseconds; None (and a problem) if not."""
    if not isinstance(value, timedelta):
        problems.add(path, "must be a timedelta", "type")
        return None
    if value < _ZERO:
        problems.add(path, "must not be negative", "range")
        return None
    if value > HORIZON:
        problems.add(path, "must be at most 100 years (HORIZON)", "range")
        return None
    return value // _ONE_US


def pauses_of(pauses: object, problems: Problems) -> list[tuple[int, int]]:
    """Pauses as merged, sorted spans of microseconds (the good ones; problems for the rest)."""
    if (type(pauses) is tuple or type(pauses) is list) and not pauses:
        return []
    if isinstance(pauses, str | bytes | bytearray | Mapping) or not isinstance(pauses, Iterable):
        problems.add("$.pauses", "must be a list of (start, end) pairs of datetimes", "type")
        return []
    spans: list[tuple[int, int]] = []
    for index, pause in enumerate(pauses):
        path = join_path("$.pauses", index)
        if (
            isinstance(pause, str | bytes | bytearray | Mapping)
            or not isinstance(pause, Sequence)
            or len(pause) != 2
        ):
            problems.add(path, "must be a pair (start, end) of datetimes", "type")
            continue
        begins = instant(pause[0], join_path(path, 0), problems)
        ends = instant(pause[1], join_path(path, 1), problems)
        if begins is None or ends is None:
            continue
        if ends < begins:
            problems.add(path, "must not end before it starts", "inconsistent")
            continue
        spans.append((begins, ends))
    return merge_spans(spans)


def span_of(start: object, end: object, problems: Problems) -> tuple[int, int] | None:
    """``start`` and ``end``, at most `HORIZON` apart, as microseconds; None if not."""
    low = instant(start, "$.start", problems)
    high = instant(end, "$.end", problems)
    if low is None or high is None:
        return None
    if high < low:
        problems.add("$.end", "must not be before start", "inconsistent")
        return None
    if high - low > HORIZON_US:
        problems.add("$.end", "must be at most 100 years (HORIZON) after start", "range")
        return None
    return low, high


def require_date(day: object, path: str) -> date:
    """``day`` if it is a date in the supported years; raises `ValidationError` if not."""
    if not is_plain_date(day):
        raise ValidationError.single(path, not_a_date(day), "type")
    assert isinstance(day, date)
    if not 2 <= day.year <= 9998:
        raise ValidationError.single(path, _RANGE_TEXT, "range")
    return day


def beyond(path: str, limit: int, what: str) -> ValidationError:
    """The error for a result past ``limit``: the horizon, or the supported range."""
    if limit >= HIGH:
        reason = f"{what} would fall after the year 9998"
    else:
        reason = f"{what} would fall more than 100 years (HORIZON) after start"
    return ValidationError.single(path, reason, "range")
