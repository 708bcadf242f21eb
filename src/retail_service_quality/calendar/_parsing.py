"""Reading a calendar's definition: time zone, weekly hours, holidays, special hours.

Everything a `BusinessCalendar` is built from passes through `parse_calendar`,
from Python values or from JSON-shaped data (`parse_calendar_data`), and comes
out as a `CalendarSpec`: text for display and JSON, minutes for the engine.
Every problem is collected, with its ``$``-path, and raised in one round.

A period is ``(open, close)`` in local wall-clock minutes. A period whose
closing time is earlier than its opening time runs past midnight: its close
is stored as minutes after the *opening* date's midnight (above 1440).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from itertools import pairwise
from types import MappingProxyType
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from retail_service_quality.calendar._countries import CountryHolidays, check_country
from retail_service_quality.errors import Problems, join_path

__all__ = [
    "DAYS",
    "CalendarSpec",
    "Minutes",
    "Period",
    "format_period",
    "is_plain_date",
    "not_a_date",
    "parse_calendar",
    "parse_calendar_data",
]

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The keys of a calendar's weekly hours, Monday first (``date.weekday()`` order)."""

Period = tuple[str, str]
"""An open period ``("HH:MM", "HH:MM")`` in local wall-clock time, half-open.

A closing time earlier than the opening time runs past midnight into the next date."""

Minutes = tuple[tuple[int, int], ...]
"""A day's periods as minutes after its midnight, sorted; overnight closes exceed 1440."""

_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_MINUTES: Final = 1_440
_MISSING: Final = object()
_MAX_KNOWN_HOURS: Final = 256
_KNOWN_SPECS: dict[Hashable, CalendarSpec] = {}
_KNOWN_HOURS: dict[Hashable, tuple[dict[str, tuple[Period, ...]], tuple[Minutes, ...]]] = {}
# Every valid "HH:MM" text and its minutes, both ways: a dictionary look-up is the fast path.
_TIMES: Final = {f"{h:02d}:{m:02d}": h * 60 + m for h in range(24) for m in range(60)}
_TEXTS: Final = {minutes: text for text, minutes in _TIMES.items()}
_TIME_TEXT: Final = "must be a time written 'HH:MM' (00:00 to 23:59, or 24:00 to close)"
_KEYS: Final = frozenset(
    {
        "timezone",
        "hours",
        "holidays",
        "special_hours",
        "holiday_country",
        "holiday_subdivision",
        "holiday_categories",
    }
)


@attrs.frozen
class CalendarSpec:
    """A checked calendar definition."""

    timezone: str
    zone: ZoneInfo
    hours: Mapping[str, tuple[Period, ...]]
    weekly: tuple[Minutes, ...]
    holidays: frozenset[date]
    special_hours: Mapping[date, tuple[Period, ...]]
    special: Mapping[date, Minutes]
    country: CountryHolidays | None
    overnight: bool
    """Whether any period runs past midnight."""


def format_period(opens: int, closes: int) -> Period:
    """The text of a period given in minutes (an overnight close read on the next date)."""
    return _TEXTS[opens], "24:00" if closes == _DAY_MINUTES else _TEXTS[closes % _DAY_MINUTES]


def is_plain_date(value: object) -> bool:
    """Whether ``value`` is a `date` and not a `datetime`."""
    return isinstance(value, date) and not isinstance(value, datetime)


def not_a_date(value: object) -> str:
    """The message for a value that should have been a date."""
    if isinstance(value, datetime):
        return "must be a date, not a datetime"
    return "must be a date"


def _minutes(value: object, where: tuple[str, int, int], problems: Problems) -> int | None:
    """Minutes after midnight of a period's bound (``where``: day path, period, 0 or 1)."""
    if isinstance(value, str):
        found = _TIMES.get(value)
        if found is not None:
            return found
    if isinstance(value, time):
        if value.tzinfo is not None:
            problems.add(
                _at(where), "must be a local wall-clock time, without a time zone", "invalid"
            )
            return None
        if value.second or value.microsecond:
            problems.add(_at(where), "must be a whole minute", "invalid")
            return None
        return value.hour * 60 + value.minute
    if not isinstance(value, str):
        problems.add(_at(where), "must be a time written 'HH:MM' or a datetime.time", "type")
        return None
    if value != "24:00":
        problems.add(_at(where), _TIME_TEXT, "format")
        return None
    if where[2] == 0:
        problems.add(_at(where), "24:00 may only close a period", "range")
        return None
    return _DAY_MINUTES


def _at(where: tuple[str, int, int]) -> str:
    path, index, position = where
    return join_path(join_path(path, index), position)


def _is_list(value: object) -> bool:
    if type(value) is list or type(value) is tuple:
        return True
    return not isinstance(value, str | bytes | bytearray | Mapping) and isinstance(value, Sequence)


def _parse_periods(value: object, path: str, problems: Problems) -> Minutes | None:
    """A day's periods, checked, sorted, as minutes."""
    if not _is_list(value):
        problems.add(path, "must be a list of (open, close) periods", "type")
        return None
    assert isinstance(value, Sequence)
    found: list[tuple[int, int, int]] = []
    ok = True
    for index, period in enumerate(value):
        if not _is_list(period) or len(period) != 2:
            problems.add(
                join_path(path, index), "must be a pair (open, close) of 'HH:MM' times", "type"
            )
            ok = False
            continue
        opens = _minutes(period[0], (path, index, 0), problems)
        closes = _minutes(period[1], (path, index, 1), problems)
        if opens is None or closes is None:
            ok = False
            continue
        if closes == opens:
            problems.add(
                join_path(path, index),
                "the period closes when it opens; for a whole day write ('00:00', '24:00')",
                "inconsistent",
            )
            ok = False
            continue
        if closes < opens:
            # Runs past midnight: closes on the next date.
            closes += _DAY_MINUTES
        found.append((opens, closes, index))
    if len(found) > 1:
        found.sort()
        for (_, previous_close, _), (opens, _, index) in pairwise(found):
            if opens < previous_close:
                problems.add(
                    join_path(path, index),
                    "overlaps another period of the same day",
                    "inconsistent",
                )
                ok = False
    if not ok:
        return None
    return tuple((opens, closes) for opens, closes, _ in found)


def _text(periods: Minutes) -> tuple[Period, ...]:
    return tuple(format_period(opens, closes) for opens, closes in periods)


def _parse_zone(value: object, problems: Problems) -> tuple[str, ZoneInfo] | None:
    if value is _MISSING:
        return None  # reported as required by the caller
    if isinstance(value, ZoneInfo):
        if not isinstance(value.key, str):
            problems.add(
                "$.timezone",
                "must be a ZoneInfo with an IANA name (not from a file)",
                "unknown_choice",
            )
            return None
        value = value.key
    if not isinstance(value, str) or not value:
        problems.add(
            "$.timezone",
            "must be an IANA time zone name or a zoneinfo.ZoneInfo",
            "unknown_choice" if isinstance(value, str) else "type",
        )
        return None
    try:
        return value, ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        problems.add("$.timezone", "not a known IANA time zone", "unknown_choice")
        return None


def _freeze_list(items: Any) -> tuple[Any, ...]:
    """A hashable copy of a list, its items' types included (a dict is not a list)."""
    return (type(items), tuple(map(type, items)), tuple(items))


def _freeze_day(periods: Any) -> tuple[Any, ...]:
    """A hashable copy of a day's periods, their types included (a dict is not a pair)."""
    return (type(periods), tuple(map(type, periods)), tuple(map(tuple, periods)))


def _freeze_hours(hours: Any) -> tuple[Any, ...]:
    """A hashable copy of periods keyed by day or date; TypeError if there is none."""
    return (type(hours), tuple(hours), tuple(map(_freeze_day, hours.values())))


def _hours_key(hours: Mapping[object, object]) -> Hashable | None:
    """A hashable copy of weekly hours given as lists of pairs, or None."""
    try:
        key = _freeze_hours(hours)
        hash(key)
    except TypeError:
        return None
    return key


def _parse_hours(
    hours: object, problems: Problems
) -> tuple[dict[str, tuple[Period, ...]], list[Minutes]]:
    # Calendars are often built from the same hours (every request, every form):
    # good hours are remembered, so checking them again is a dictionary look-up.
    key = _hours_key(hours) if isinstance(hours, Mapping) else None
    if key is not None:
        known = _KNOWN_HOURS.get(key)
        if known is not None:
            return known[0], list(known[1])
    before = len(problems)
    text, weekly = _check_hours(hours, problems)
    if key is not None and len(problems) == before:
        if len(_KNOWN_HOURS) >= _MAX_KNOWN_HOURS:
            _KNOWN_HOURS.clear()
        _KNOWN_HOURS[key] = (text, tuple(weekly))
    return text, weekly


def _check_hours(
    hours: object, problems: Problems
) -> tuple[dict[str, tuple[Period, ...]], list[Minutes]]:
    text: dict[str, tuple[Period, ...]] = {}
    weekly: list[Minutes] = [()] * 7
    if not isinstance(hours, Mapping):
        problems.add("$.hours", "must be a mapping from 'mon'..'sun' to lists of periods", "type")
        return text, weekly
    for day, periods in hours.items():
        if not isinstance(day, str) or day not in DAYS:
            path = join_path("$.hours", day if isinstance(day, str) else "<key>")
            problems.add(
                path,
                "not a day of the week; use mon, tue, wed, thu, fri, sat or sun",
                "unknown_choice" if isinstance(day, str) else "type",
            )
            continue
        checked = _parse_periods(periods, join_path("$.hours", day), problems)
        if checked is not None:
            text[day] = _text(checked)
            weekly[DAYS.index(day)] = checked
    return {day: text[day] for day in DAYS if day in text}, weekly


def _parse_holidays(holidays: object, problems: Problems) -> frozenset[date]:
    if isinstance(holidays, str | bytes | bytearray | Mapping) or not isinstance(
        holidays, Iterable
    ):
        problems.add("$.holidays", "must be a list of dates", "type")
        return frozenset()
    closed: set[date] = set()
    for index, holiday in enumerate(holidays):
        if is_plain_date(holiday):
            closed.add(holiday)
        else:
            problems.add(join_path("$.holidays", index), not_a_date(holiday), "type")
    return frozenset(closed)


def _parse_special(
    special_hours: object, problems: Problems
) -> tuple[dict[date, tuple[Period, ...]], dict[date, Minutes]]:
    text: dict[date, tuple[Period, ...]] = {}
    minutes: dict[date, Minutes] = {}
    if special_hours is None:
        return text, minutes
    if not isinstance(special_hours, Mapping):
        problems.add("$.special_hours", "must be a mapping from dates to lists of periods", "type")
        return text, minutes
    for key, periods in special_hours.items():
        if not is_plain_date(key):
            path = join_path("$.special_hours", key if isinstance(key, str) else "<key>")
            problems.add(path, "the key " + not_a_date(key), "type")
            continue
        checked = _parse_periods(periods, join_path("$.special_hours", key.isoformat()), problems)
        if checked is not None:
            text[key] = _text(checked)
            minutes[key] = checked
    return dict(sorted(text.items())), minutes


def parse_calendar(
    timezone: object,
    hours: object,
    holidays: object = (),
    special_hours: object = None,
    holiday_country: object = None,
    holiday_subdivision: object = None,
    holiday_categories: object = None,
    *,
    problems: Problems | None = None,
) -> CalendarSpec:
    """Check a calendar definition, raising every problem at once.

    Examples:
        >>> spec = parse_calendar("UTC", {"fri": [("22:00", "02:00")]})
        >>> spec.hours["fri"], spec.weekly[4]
        ((('22:00', '02:00'),), ((1320, 1560),))

    Raises:
        ValidationError: listing every problem with its path.
    """
    problems = Problems() if problems is None else problems
    zone = _parse_zone(timezone, problems)
    hours_text, weekly = _parse_hours(hours, problems)
    closed = _parse_holidays(holidays, problems)
    special_text, special = _parse_special(special_hours, problems)
    country = check_country(
        holiday_country,
        holiday_subdivision,
        holiday_categories,
        problems,
        paths=("$.holiday_country", "$.holiday_subdivision", "$.holiday_categories"),
        required=False,
    )
    problems.raise_if_any()
    assert zone is not None
    return CalendarSpec(
        timezone=zone[0],
        zone=zone[1],
        hours=MappingProxyType(hours_text),
        weekly=tuple(weekly),
        holidays=closed,
        special_hours=MappingProxyType(special_text),
        special=MappingProxyType(special),
        country=country,
        overnight=any(
            closes > _DAY_MINUTES
            for periods in (*weekly, *special.values())
            for _, closes in periods
        ),
    )


def _parse_date(value: object, path: str, problems: Problems) -> date | None:
    if is_plain_date(value):
        assert isinstance(value, date)
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(
        path, "must be a date written YYYY-MM-DD", "format" if isinstance(value, str) else "type"
    )
    return None


def _data_key(value: Mapping[Any, Any]) -> Hashable | None:
    """A hashable copy of calendar data, or None."""
    try:
        hours = value.get("hours")
        special = value.get("special_hours")
        categories = value.get("holiday_categories")
        key = (
            tuple(value),
            type(value.get("timezone")),
            value.get("timezone"),
            None if hours is None else _freeze_hours(hours),
            _freeze_list(value.get("holidays", ())),
            None if special is None else _freeze_hours(special),
            type(value.get("holiday_country")),
            value.get("holiday_country"),
            type(value.get("holiday_subdivision")),
            value.get("holiday_subdivision"),
            None if categories is None else _freeze_list(categories),
        )
        hash(key)
    except (TypeError, AttributeError):
        return None
    return key


def parse_calendar_data(value: object) -> CalendarSpec:
    """Check a calendar given as JSON-shaped data (dates as ``YYYY-MM-DD`` text).

    Calendars often arrive with the same definition (every request, every
    form): a good definition is remembered (a bounded number of them), so
    checking it again is a dictionary look-up. Each calendar still reads its
    country's holidays, and indexes its time, for itself.

    Examples:
        >>> data = {"timezone": "UTC", "hours": {"mon": [["09:00", "17:00"]]},
        ...         "holidays": ["2026-12-25"]}
        >>> sorted(parse_calendar_data(data).holidays)
        [datetime.date(2026, 12, 25)]

    Raises:
        ValidationError: listing every problem with its path.
    """
    problems = Problems()
    if not isinstance(value, Mapping):
        problems.add("$", "must be an object", "type")
        problems.raise_if_any()
    assert isinstance(value, Mapping)
    data_key = _data_key(value)
    if data_key is not None:
        known = _KNOWN_SPECS.get(data_key)
        if known is not None:
            country = known.country
            if country is None:
                return known
            return attrs.evolve(
                known,
                country=CountryHolidays(country.country, country.subdivision, country.categories),
            )
    spec = _parse_calendar_data(value, problems)
    if data_key is not None:
        if len(_KNOWN_SPECS) >= _MAX_KNOWN_HOURS:
            _KNOWN_SPECS.clear()
        _KNOWN_SPECS[data_key] = spec
    return spec


def _parse_calendar_data(value: Mapping[Any, Any], problems: Problems) -> CalendarSpec:
    for key in ("timezone", "hours"):
        if key not in value:
            problems.add(join_path("$", key), "required", "required")
    for key in value:
        if key not in _KEYS:
            path = join_path("$", key) if isinstance(key, str) else "$"
            problems.add(
                path, "unknown field; expected one of " + ", ".join(sorted(_KEYS)), "unknown_field"
            )
    holidays: list[date] = []
    raw_holidays = value.get("holidays", [])
    if not _is_list(raw_holidays):
        problems.add("$.holidays", "must be a list of dates written YYYY-MM-DD", "type")
    else:
        for index, raw in enumerate(raw_holidays):
            day = _parse_date(raw, join_path("$.holidays", index), problems)
            if day is not None:
                holidays.append(day)
    special: dict[date, object] | None = None
    raw_special = value.get("special_hours")
    if raw_special is not None:
        if not isinstance(raw_special, Mapping):
            problems.add(
                "$.special_hours", "must be an object keyed by dates written YYYY-MM-DD", "type"
            )
        else:
            special = {}
            for key, periods in raw_special.items():
                path = join_path("$.special_hours", key if isinstance(key, str) else "<key>")
                day = _parse_date(key, path, problems)
                if day is not None:
                    special[day] = periods
    hours = value.get("hours", {})
    return parse_calendar(
        value.get("timezone", _MISSING),
        hours,
        holidays,
        special,
        value.get("holiday_country"),
        value.get("holiday_subdivision"),
        value.get("holiday_categories"),
        problems=problems,
    )
