"""Time helpers shared by every domain: the supported range of instants, zones, wall times.

The library supports instants from ``0001-01-02T00:00:00Z`` to
``9999-12-30T23:59:59.999999Z`` (`MIN_INSTANT`, `MAX_INSTANT`). A day short
of Python's own range at each end, so that the wall clock of any instant in
that range can be read in any time zone (offsets stay within a day) and
converting between zones never overflows.

Datetimes in JSON are ISO 8601 with their UTC offset; a datetime in an IANA
zone (a `zoneinfo.ZoneInfo` with a key) adds the zone name as an RFC 9557
suffix, so the zone, the offset and the fold all survive a round trip:

Examples:
    >>> from zoneinfo import ZoneInfo
    >>> london = ZoneInfo("Europe/London")
    >>> second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london)
    >>> format_datetime(second)
    '2026-10-25T01:30:00+00:00[Europe/London]'
    >>> back = parse_datetime(format_datetime(second))
    >>> back.tzinfo is london, back.fold, back.utcoffset() == second.utcoffset()
    (True, 1, True)
    >>> instant_problem(datetime(2026, 3, 29, 1, 30, tzinfo=london))
    'the local time does not exist in its time zone: the clocks skip it (daylight saving)'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "MAX_INSTANT",
    "MIN_INSTANT",
    "RANGE_MESSAGE",
    "format_datetime",
    "instant_code",
    "instant_problem",
    "parse_datetime",
    "zone_key",
    "zone_named",
]

MIN_INSTANT = datetime(1, 1, 2, tzinfo=UTC)
"""The earliest instant the library accepts (inclusive)."""

MAX_INSTANT = datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC)
"""The latest instant the library accepts (inclusive)."""

RANGE_MESSAGE = "must be an instant from 0001-01-02 to 9999-12-30 (UTC)"
"""The problem message for a datetime outside the supported range."""

_SKIPPED = "the local time does not exist in its time zone: the clocks skip it (daylight saving)"
_ISO_TEXT = (
    "must be an ISO 8601 date and time with its UTC offset, such as 2026-11-22T09:30:00+08:00"
)
# An RFC 9557 timestamp: the ISO 8601 part, then bracketed annotations. The first may name
# the time zone; ``!`` marks an annotation critical; ``key=value`` ones are extensions.
_RFC9557 = re.compile(r"^(?P<stamp>[^\[\]]+)(?P<suffix>(?:\[[^\[\]]*\])*)$")
_ANNOTATION = re.compile(r"\[(?P<critical>!?)(?P<body>[^\[\]]*)\]")
_TAG = re.compile(r"^[a-z_][a-z0-9_-]*=[A-Za-z0-9-]+$")
_MALFORMED = "has a malformed bracketed annotation"
_CRITICAL = "has a critical annotation the library does not support"
_ZONE_FIRST = "must name its time zone in the first bracketed annotation"
_UNKNOWN_ZONE = "names a time zone that is not a known IANA time zone"
_NO_OFFSET = "must carry a UTC offset (timezone-aware)"
_OTHER_OFFSET = "has a UTC offset that its time zone does not have at that local time"
# The code of each message of `instant_problem` and `parse_datetime`.
_CODES = {
    "must be a datetime": "type",
    "must have a time zone that gives its UTC offset": "naive_datetime",
    "must be timezone-aware": "naive_datetime",
    RANGE_MESSAGE: "range",
    _SKIPPED: "nonexistent_time",
    _ISO_TEXT: "format",
    _MALFORMED: "format",
    _CRITICAL: "unknown_choice",
    _ZONE_FIRST: "format",
    _UNKNOWN_ZONE: "unknown_choice",
    _NO_OFFSET: "naive_datetime",
    _OTHER_OFFSET: "inconsistent",
}


def zone_named(name: object) -> ZoneInfo | None:
    """The IANA time zone called ``name``, or ``None`` if there is none by that name here.

    Examples:
        >>> zone_named("Asia/Kolkata")
        zoneinfo.ZoneInfo(key='Asia/Kolkata')
        >>> zone_named("Mars/Olympus") is None, zone_named("../etc/passwd") is None
        (True, True)
    """
    if not isinstance(name, str) or not name or len(name) > 255:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError, UnicodeError):
        return None


def zone_key(zone: tzinfo | None) -> str | None:
    """The IANA name of a zone, where it has one (a `ZoneInfo` made from a key).

    Examples:
        >>> from datetime import timezone
        >>> zone_key(ZoneInfo("Europe/London")), zone_key(timezone.utc)
        ('Europe/London', None)
    """
    key = getattr(zone, "key", None) if isinstance(zone, ZoneInfo) else None
    return key if isinstance(key, str) and key else None


def instant_problem(value: object) -> str | None:
    """What is wrong with ``value`` as an instant, or ``None`` if it is a good one.

    A good instant is an aware datetime whose UTC instant lies between
    `MIN_INSTANT` and `MAX_INSTANT` and whose wall time exists in its zone
    (not in the hour the clocks skip when daylight saving starts).

    Examples:
        >>> instant_problem(datetime(2026, 11, 22, 9, 30, tzinfo=UTC)) is None
        True
        >>> instant_problem(datetime(2026, 11, 22, 9, 30))
        'must be timezone-aware'
        >>> instant_problem(datetime.max.replace(tzinfo=UTC))
        'must be an instant from 0001-01-02 to 9999-12-30 (UTC)'
    """
    if not isinstance(value, datetime):
        return "must be a datetime"
    try:
        offset = value.utcoffset()
    except (ArithmeticError, ValueError, TypeError):
        return "must have a time zone that gives its UTC offset"
    if offset is None:
        return "must be timezone-aware"
    try:
        instant = value.astimezone(UTC)
    except (ArithmeticError, ValueError, TypeError):
        return RANGE_MESSAGE
    if not MIN_INSTANT <= instant <= MAX_INSTANT:
        return RANGE_MESSAGE
    zone = value.tzinfo
    if type(zone) is timezone:
        return None  # a fixed offset skips no wall time
    if type(zone) is ZoneInfo and value.replace(fold=1 - value.fold).utcoffset() == offset:
        return None  # both folds agree: no transition at this wall time, so none skipped
    try:
        again = instant.astimezone(zone)
    except (ArithmeticError, ValueError, TypeError):
        return RANGE_MESSAGE
    if again.replace(tzinfo=None, fold=0) != value.replace(tzinfo=None, fold=0):
        return _SKIPPED
    return None


def instant_code(message: str) -> str:
    """The `Problem` code of a message from `instant_problem` or `parse_datetime`.

    Examples:
        >>> instant_code(instant_problem(datetime(2026, 11, 22, 9, 30)))
        'naive_datetime'
        >>> instant_code(_ISO_TEXT)
        'format'
    """
    return _CODES.get(message, "invalid")


def format_datetime(value: datetime) -> str:
    """ISO 8601 with the UTC offset, and the RFC 9557 zone suffix for an IANA zone.

    Examples:
        >>> format_datetime(datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Asia/Kolkata")))
        '2026-11-22T09:30:00+05:30[Asia/Kolkata]'
        >>> format_datetime(datetime(2026, 11, 22, 9, 30, tzinfo=UTC))
        '2026-11-22T09:30:00+00:00'
    """
    text = value.isoformat()
    key = zone_key(value.tzinfo)
    return f"{text}[{key}]" if key is not None else text


def _zone_of(suffix: str) -> tuple[ZoneInfo | None, str | None]:
    """The zone named by an RFC 9557 suffix (or ``None``), or the problem with the suffix."""
    zone: ZoneInfo | None = None
    for index, match in enumerate(_ANNOTATION.finditer(suffix)):
        body = match["body"]
        if "=" in body:  # an extension tag, such as u-ca=gregory
            if not _TAG.match(body):
                return None, _MALFORMED
            if match["critical"]:
                return None, _CRITICAL
            continue
        if index > 0:
            return None, _ZONE_FIRST
        found = zone_named(body)
        if found is None:
            return None, _UNKNOWN_ZONE
        zone = found
    return zone, None


def parse_datetime(text: str) -> datetime:
    """Read an ISO 8601 datetime with its offset, and the RFC 9557 zone suffix if present.

    With a zone, the result is in that zone, and the offset picks the fold in a
    repeated hour. A naive datetime, an unknown zone, an offset that the zone
    does not have at that wall time, a wall time the zone skips and an instant
    out of range are refused.

    Examples:
        >>> london = parse_datetime("2026-10-25T01:30:00+01:00[Europe/London]")
        >>> london.tzinfo, london.fold
        (zoneinfo.ZoneInfo(key='Europe/London'), 0)
        >>> parse_datetime("2026-10-25T01:30:00+00:00").tzinfo
        datetime.timezone.utc
        >>> parse_datetime("2026-10-25T01:30:00+02:00[Europe/London]")
        Traceback (most recent call last):
        ...
        ValueError: has a UTC offset that its time zone does not have at that local time

    Raises:
        ValueError: saying what the text must be.
    """
    match = _RFC9557.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(_ISO_TEXT)
    try:
        moment = datetime.fromisoformat(match["stamp"])
    except (ValueError, TypeError, OverflowError):
        raise ValueError(_ISO_TEXT) from None
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(_NO_OFFSET)
    zone, problem = _zone_of(match["suffix"])
    if problem is not None:
        raise ValueError(problem)
    if zone is not None:
        moment = _in_zone(moment.replace(tzinfo=None), offset, zone)
    problem = instant_problem(moment)
    if problem is not None:
        raise ValueError(problem)
    return moment


def _in_zone(wall: datetime, offset: timedelta, zone: ZoneInfo) -> datetime:
    """The wall time in ``zone`` with the given offset: the fold that has it."""
    for fold in (0, 1):
        candidate = wall.replace(tzinfo=zone, fold=fold)
        problem = instant_problem(candidate)
        if problem is not None:
            raise ValueError(problem)
        if candidate.utcoffset() == offset:
            return candidate
    raise ValueError(_OTHER_OFFSET)
