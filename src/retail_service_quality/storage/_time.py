"""Instants as integers: how the storage adapters order, store, read and group datetimes.

Every aware datetime is an exact number of microseconds since 1970-01-01 UTC
plus the UTC offset it was recorded at. Both are computed without converting
to UTC, so a datetime at the ends of Python's range (year 1 east of UTC, year
9999 west of it) never overflows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from retail_service_quality.errors import StorageError

__all__ = [
    "DAY_US",
    "fixed_zone",
    "instant_us",
    "local_day",
    "named_zone",
    "offset_at",
    "offset_us",
    "period_start",
    "read_moment",
    "zone_name",
]

US: Final = timedelta(microseconds=1)
DAY_US: Final = 86_400_000_000
_NAIVE_EPOCH: Final = datetime(1970, 1, 1)  # noqa: DTZ001 - wall-clock arithmetic only
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DATE: Final = date(1970, 1, 1)
# The zone offsets are read within these seconds: a day inside Python's range at either end.
_FIRST_S: Final = (datetime(1, 1, 2, tzinfo=UTC) - _EPOCH) // timedelta(seconds=1)
_LAST_S: Final = (datetime(9999, 12, 30, tzinfo=UTC) - _EPOCH) // timedelta(seconds=1)


def offset_us(moment: datetime) -> int:
    """The UTC offset of an aware datetime, in microseconds."""
    offset = moment.utcoffset()
    assert offset is not None
    return offset // US


def instant_us(moment: datetime) -> int:
    """Microseconds from 1970-01-01 UTC to an aware datetime's instant; exact, never overflows."""
    return (moment.replace(tzinfo=None) - _NAIVE_EPOCH) // US - offset_us(moment)


_FIXED: dict[int, timezone] = {}


def fixed_zone(offset: int) -> timezone:
    """A fixed-offset zone for an offset in microseconds (cached)."""
    found = _FIXED.get(offset)
    if found is None:
        found = _FIXED[offset] = timezone(offset * US)
    return found


def zone_name(moment: datetime) -> str:
    """The stored name of a datetime's zone: its IANA key, or ``+HH:MM[:SS]`` if fixed."""
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key:
        return zone.key
    offset = offset_us(moment)
    sign = "-" if offset < 0 else "+"
    seconds = abs(offset) // 1_000_000
    text = f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 else "")


_ZONES: dict[str, ZoneInfo | None] = {}


def named_zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or ``None`` where this machine's tz database lacks it."""
    if name in _ZONES:
        return _ZONES[name]
    try:
        found: ZoneInfo | None = ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        found = None
    _ZONES[name] = found
    return found


_FIXED_NAME: Final = timezone(timedelta(0), "fixed")  # marks a fixed-offset zone name
_UNSEEN: Final = object()
_READ_ZONES: dict[str, tzinfo | None] = {}
_OFFSETS: dict[int, timedelta] = {}


def _read_zone(name: str) -> tzinfo | None:
    found = _READ_ZONES.get(name, _UNSEEN)
    if found is _UNSEEN:
        found = _READ_ZONES[name] = _FIXED_NAME if name[:1] in "+-" else named_zone(name)
    return found  # type: ignore[return-value]


def read_moment(us: int, offset: int | None, name: str) -> datetime:
    """The datetime stored as (instant, offset, zone name), with the wall time it went in with.

    A zone this machine does not know, or whose rules no longer give the
    stored offset at that instant, is read at the stored fixed offset: the same
    instant and wall time. Raises `StorageError` when neither can be had.
    """
    zone = _read_zone(name)
    if offset is not None and zone is not None and not offset % 1_000_000:
        expected = _OFFSETS.get(offset)
        if expected is None:
            expected = _OFFSETS[offset] = offset * US
        if zone is _FIXED_NAME:
            zone = fixed_zone(offset)
        seconds, micro = divmod(us, 1_000_000)
        try:
            moment = datetime.fromtimestamp(seconds, zone)
        except (OverflowError, ValueError, OSError):
            pass  # near the ends of the range: read from the wall time below
        else:
            if moment.utcoffset() == expected:
                return moment.replace(microsecond=micro) if micro else moment
    return _read_wall_time(us, offset, name, zone)


def _read_wall_time(us: int, offset: int | None, name: str, zone: tzinfo | None) -> datetime:
    """`read_moment` the slow way: a wall time in a skipped hour, the ends of the range..."""
    if offset is None:  # a row written before offsets were stored, in a zone unknown then
        if zone is None or zone is _FIXED_NAME:
            raise StorageError(f"the stored time zone {name!r} is not in this machine's database")
        offset = offset_at(zone, us // 1_000_000)
    try:
        local = _NAIVE_EPOCH + timedelta(microseconds=us + offset)
        fixed = fixed_zone(offset)
    except (OverflowError, ValueError) as error:
        raise StorageError("a stored time is outside the range Python can represent") from error
    if isinstance(zone, ZoneInfo):
        moment = local.replace(tzinfo=zone)
        if moment.utcoffset() == fixed.utcoffset(None):
            return moment
        moment = moment.replace(fold=1)
        if moment.utcoffset() == fixed.utcoffset(None):
            return moment
    return local.replace(tzinfo=fixed)


def offset_at(zone: tzinfo, second: int) -> int:
    """The UTC offset (microseconds) ``zone`` gives the instant ``second`` seconds after 1970.

    Instants beyond the ends of Python's range take the offset in force at the end.
    """
    second = min(max(second, _FIRST_S), _LAST_S)
    found = (_EPOCH + timedelta(seconds=second)).astimezone(zone).utcoffset()
    assert found is not None
    return found // US


def local_day(local_us: int) -> int:
    """The day number (days since 1970-01-01) of a local time in microseconds."""
    return local_us // DAY_US


def period_start(day_number: int, period: str) -> date:
    """The first day of the day, ISO week or month containing that day number.

    Raises `StorageError` for a day outside the dates Python can represent.
    """
    try:
        day = _EPOCH_DATE + timedelta(days=day_number)
    except OverflowError as error:
        raise StorageError(
            "a period of the summary falls outside the dates Python can represent"
        ) from error
    if period == "week":
        return day - timedelta(days=day.weekday())  # 0001-01-01 is a Monday: never overflows
    if period == "month":
        return day.replace(day=1)
    return day
