"""Business time: opening hours, holidays and SLA deadlines.

A `BusinessCalendar` says when a service is open: weekly hours (several
periods a day allowed), holidays, special hours for given dates, in one IANA
time zone. It answers the questions every service pledge asks:

- `BusinessCalendar.add`: when is a deadline of so much business time due?
- `BusinessCalendar.between`: how much business time did a case take?
- `BusinessCalendar.add_working_days`: when is "within 5 working days" up?

Semantics, exactly:

- An instant is *open* when its local wall-clock reading falls inside one of
  the open periods of its local date. Periods are half-open, ``[open, close)``.
- Business time between two instants is the real elapsed time (absolute
  seconds) that is open. Across a DST change a period is as long as it
  really is: ``00:00-04:00`` on the night the clocks go back lasts five hours.
- `add` returns the *earliest* instant at which the duration has elapsed, so
  a deadline can fall exactly on a closing time and is never pushed on to the
  next opening.
- Pauses (for example, waiting on the customer) stop the clock; they may
  overlap each other and lie partly outside open hours.

The calendar keeps an index of its open intervals with cumulative business
time, built a year at a time as it is needed, so `add` and `between` cost
a couple of binary searches whatever the duration.

Examples:
    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
    >>> friday_afternoon = datetime(2026, 11, 20, 16, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))
    >>> cal.add(friday_afternoon, timedelta(hours=2))
    datetime.datetime(2026, 11, 20, 18, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong'))
    >>> cal.add(friday_afternoon, timedelta(hours=3))
    datetime.datetime(2026, 11, 23, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong'))
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import holidays as _holidays

from retail_service_quality.errors import Problems, ValidationError, join_path

__all__ = [
    "BusinessCalendar",
    "DAYS",
    "OpenInterval",
    "public_holidays",
]

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The keys of a calendar's weekly hours, Monday first (``date.weekday()`` order)."""

Period = tuple[str, str]
"""An open period ``("HH:MM", "HH:MM")`` in local wall-clock time, half-open."""

_TIME = re.compile(r"^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$")
_US: Final = timedelta(microseconds=1)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_DAY_S: Final = 86_400
_MICRO: Final = 1_000_000
# Any instant lies within 26 hours of its own wall-clock reading read as UTC.
_MAX_OFFSET_S: Final = 26 * 3_600
_MIN_YEAR: Final = 2
_MAX_YEAR: Final = 9_998
_MAX_INDEXES: Final = 4
_NEAR_YEARS: Final = 10


def _minutes(text: object, path: str, problems: Problems, *, closing: bool) -> int | None:
    if not isinstance(text, str):
        problems.add(path, "must be a time written 'HH:MM'")
        return None
    match = _TIME.match(text)
    if match is None:
        problems.add(path, "must be a time written 'HH:MM' (00:00 to 23:59, or 24:00 to close)")
        return None
    if match.group(3) is not None:
        if not closing:
            problems.add(path, "24:00 may only close a period")
            return None
        return 1_440
    return int(match.group(1)) * 60 + int(match.group(2))


def _check_periods(
    value: object, path: str, problems: Problems
) -> tuple[tuple[Period, ...], tuple[tuple[int, int], ...]] | None:
    """Validate a day's periods; return them sorted, as text and as minutes."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        problems.add(path, "must be a list of (open, close) periods")
        return None
    found: list[tuple[int, int, int]] = []
    ok = True
    for index, period in enumerate(value):
        item_path = join_path(path, index)
        if isinstance(period, str | bytes) or not isinstance(period, Sequence) or len(period) != 2:
            problems.add(item_path, "must be a pair (open, close) of 'HH:MM' times")
            ok = False
            continue
        opens = _minutes(period[0], join_path(item_path, 0), problems, closing=False)
        closes = _minutes(period[1], join_path(item_path, 1), problems, closing=True)
        if opens is None or closes is None:
            ok = False
            continue
        if closes <= opens:
            problems.add(item_path, "the period closes at or before it opens")
            ok = False
            continue
        found.append((opens, closes, index))
    found.sort()
    for (_, previous_close, _), (opens, _, index) in pairwise(found):
        if opens < previous_close:
            problems.add(join_path(path, index), "overlaps another period of the same day")
            ok = False
    if not ok:
        return None
    minutes = tuple((opens, closes) for opens, closes, _ in found)
    text = tuple((_format_minutes(opens), _format_minutes(closes)) for opens, closes in minutes)
    return text, minutes


def _format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _is_plain_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _not_a_date(value: object) -> str:
    if isinstance(value, datetime):
        return "must be a date, not a datetime"
    return "must be a date"


def _country_holidays(
    country: str, subdivision: str | None, years: Iterable[int], categories: tuple[str, ...] | None
) -> Any:
    kwargs: dict[str, Any] = {"subdiv": subdivision, "years": list(years)}
    if categories is not None:
        kwargs["categories"] = categories
    return _holidays.country_holidays(country, **kwargs)


def _check_country(
    country: object,
    subdivision: object,
    categories: object,
    problems: Problems,
    *,
    paths: tuple[str, str, str],
) -> bool:
    country_path, subdivision_path, categories_path = paths
    ok = True
    if not isinstance(country, str):
        problems.add(country_path, "must be an ISO 3166-1 alpha-2 country code")
        return False
    if subdivision is not None and not isinstance(subdivision, str):
        problems.add(subdivision_path, "must be a subdivision code or null")
        ok = False
    if categories is not None and (
        isinstance(categories, str)
        or not isinstance(categories, Iterable)
        or not all(isinstance(c, str) for c in categories)
    ):
        problems.add(categories_path, "must be a list of holiday category names or null")
        ok = False
    if not ok:
        return False
    supported = _holidays.list_supported_countries()
    if country not in supported:
        problems.add(country_path, "not a country the holidays package knows")
        return False
    if subdivision is not None and subdivision not in supported[country]:
        problems.add(subdivision_path, "not a subdivision of that country")
        ok = False
    if categories is not None:
        known = _holidays.country_holidays(country).supported_categories
        category: object
        for index, category in enumerate(categories):  # type: ignore[arg-type]
            if category not in known:
                problems.add(
                    join_path(categories_path, index),
                    "not a holiday category of that country; use one of " + ", ".join(known),
                )
                ok = False
    return ok


def public_holidays(
    country: str,
    years: Iterable[int],
    *,
    subdivision: str | None = None,
    categories: Iterable[str] | None = None,
) -> frozenset[date]:
    """The public holidays of a country (and subdivision) in the given years.

    Taken from the `holidays` package. ``categories`` selects the package's
    holiday categories where a country has several; by default the package's
    own default (for Hong Kong, ``"public"``: the statutory holidays; the
    general holidays that banks and offices keep are ``["optional"]``).

    Examples:
        >>> from datetime import date
        >>> hk = public_holidays("HK", [2026])
        >>> date(2026, 10, 1) in hk
        True
        >>> sorted(public_holidays("GB", [2026], subdivision="ENG"))[:2]
        [datetime.date(2026, 1, 1), datetime.date(2026, 4, 3)]

    Raises:
        ValidationError: an unknown country, subdivision or category, or a
            year that is not an integer between 1 and 9999.
    """
    problems = Problems()
    year_list: list[int] = []
    if isinstance(years, str | bytes) or not isinstance(years, Iterable):
        problems.add("$.years", "must be a list of years")
    else:
        for index, year in enumerate(years):
            if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9_999:
                problems.add(join_path("$.years", index), "must be a year from 1 to 9999")
            else:
                year_list.append(year)
    category_tuple = None if categories is None else tuple(categories)
    _check_country(
        country,
        subdivision,
        category_tuple,
        problems,
        paths=("$.country", "$.subdivision", "$.categories"),
    )
    problems.raise_if_any()
    return frozenset(_country_holidays(country, subdivision, year_list, category_tuple).keys())


@attrs.frozen
class OpenInterval:
    """One stretch of open time, ``[opens, closes)``, as aware datetimes.

    Examples:
        >>> from datetime import date
        >>> saturday = [("10:00", "13:00"), ("14:00", "17:00")]
        >>> cal = BusinessCalendar("Asia/Hong_Kong", {"sat": saturday})
        >>> [(i.opens.hour, i.closes.hour) for i in cal.open_intervals_on(date(2026, 11, 21))]
        [(10, 13), (14, 17)]
    """

    opens: datetime
    closes: datetime

    @property
    def duration(self) -> timedelta:
        """How long the interval lasts, in real elapsed time.

        (Subtracting two datetimes that share a tzinfo gives wall-clock time in
        Python, which is wrong across a DST change; this is computed in UTC.)

        Examples:
            >>> from datetime import date
            >>> cal = BusinessCalendar("Europe/London", {"sun": [("00:00", "04:00")]})
            >>> [i.duration for i in cal.open_intervals_on(date(2026, 10, 25))]
            [datetime.timedelta(seconds=18000)]
        """
        return self.closes.astimezone(UTC) - self.opens.astimezone(UTC)


@attrs.frozen
class _Index:
    """Open intervals of a range of local years, in epoch microseconds."""

    first_year: int
    last_year: int
    covers_from: int
    covers_to: int
    starts: list[int]
    ends: list[int]
    cum_start: list[int]
    cum_end: list[int]
    day_ordinals: list[int]
    day_closes: list[int]

    @property
    def total(self) -> int:
        return self.cum_end[-1] if self.cum_end else 0


@attrs.define
class _IndexCache:
    # A few disjoint stretches of years, so far-apart queries don't index the years between.
    indexes: list[_Index] = attrs.Factory(list)
    country_holidays: dict[int, frozenset[date]] = attrs.Factory(dict)


def _merge(intervals: list[list[int]]) -> list[list[int]]:
    """Sort intervals and join those that overlap or touch."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _check_aware(value: object, path: str, problems: Problems) -> bool:
    if not isinstance(value, datetime):
        problems.add(path, "must be a datetime")
        return False
    if value.tzinfo is None or value.utcoffset() is None:
        problems.add(path, "must be timezone-aware")
        return False
    return True


def _to_us(value: datetime) -> int:
    return (value - _EPOCH) // _US


@attrs.frozen(init=False, repr=False, unsafe_hash=False)
class BusinessCalendar:
    """When a service is open: weekly hours, holidays and special hours, in one time zone.

    Args:
        timezone: an IANA time zone name, such as ``"Asia/Hong_Kong"``.
        hours: weekly open periods, keyed ``"mon"`` to ``"sun"``; each value a
            list of ``("HH:MM", "HH:MM")`` periods in local wall-clock time,
            ``"24:00"`` allowed as a closing time. A day not named is closed.
            Periods of a day must not overlap; each is half-open.
        holidays: local dates on which the calendar is closed all day.
        special_hours: opening hours for given dates that replace the weekly
            hours (and any holiday) on that date: a part-day holiday,
            Christmas Eve closing at 14:00, a late-night sale. An empty list
            closes the date.
        holiday_country: an ISO country code whose public holidays (from the
            `holidays` package) close the calendar in every year, on top of
            ``holidays``.
        holiday_subdivision: the subdivision of ``holiday_country``, if any.
        holiday_categories: the `holidays` package's categories to use for
            ``holiday_country`` (its default when not given).

    Examples:
        >>> from datetime import date
        >>> cal = BusinessCalendar(
        ...     "Europe/London",
        ...     {"mon": [("09:00", "12:30"), ("13:30", "17:30")], "sat": [("10:00", "16:00")]},
        ...     holidays=[date(2026, 12, 25)],
        ...     special_hours={date(2026, 12, 24): [("09:00", "14:00")]},
        ... )
        >>> cal.hours["mon"]
        (('09:00', '12:30'), ('13:30', '17:30'))
        >>> cal.is_working_day(date(2026, 12, 25)), cal.is_working_day(date(2026, 12, 24))
        (False, True)

    Raises:
        ValidationError: listing every problem, each with its path
            (``$.timezone``, ``$.hours.mon[0][1]``, ``$.holidays[3]``, ...).
    """

    timezone: str
    hours: Mapping[str, tuple[Period, ...]]
    holidays: frozenset[date]
    special_hours: Mapping[date, tuple[Period, ...]]
    holiday_country: str | None
    holiday_subdivision: str | None
    holiday_categories: tuple[str, ...] | None
    _zone: ZoneInfo = attrs.field(init=False, eq=False)
    _weekly: tuple[tuple[tuple[int, int], ...], ...] = attrs.field(init=False, eq=False)
    _special: Mapping[date, tuple[tuple[int, int], ...]] = attrs.field(init=False, eq=False)
    _cache: _IndexCache = attrs.field(init=False, eq=False)

    def __init__(
        self,
        timezone: str,
        hours: Mapping[str, Sequence[tuple[str, str]]],
        holidays: Iterable[date] = (),
        *,
        special_hours: Mapping[date, Sequence[tuple[str, str]]] | None = None,
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
        holiday_categories: Iterable[str] | None = None,
    ) -> None:
        problems = Problems()
        zone: ZoneInfo | None = None
        if not isinstance(timezone, str) or not timezone:
            problems.add("$.timezone", "must be an IANA time zone name")
        else:
            try:
                zone = ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                problems.add("$.timezone", "not a known IANA time zone")

        weekly_text: dict[str, tuple[Period, ...]] = {}
        weekly: list[tuple[tuple[int, int], ...]] = [()] * 7
        if not isinstance(hours, Mapping):
            problems.add("$.hours", "must be a mapping from 'mon'..'sun' to lists of periods")
        else:
            for day, periods in hours.items():
                path = join_path("$.hours", str(day))
                if day not in DAYS:
                    problems.add(
                        path, "not a day of the week; use mon, tue, wed, thu, fri, sat or sun"
                    )
                    continue
                checked = _check_periods(periods, path, problems)
                if checked is not None:
                    weekly_text[day] = checked[0]
                    weekly[DAYS.index(day)] = checked[1]

        closed: set[date] = set()
        if isinstance(holidays, str | bytes) or not isinstance(holidays, Iterable):
            problems.add("$.holidays", "must be a list of dates")
        else:
            for index, holiday in enumerate(holidays):
                if _is_plain_date(holiday):
                    closed.add(holiday)
                else:
                    problems.add(join_path("$.holidays", index), _not_a_date(holiday))

        special_text: dict[date, tuple[Period, ...]] = {}
        special: dict[date, tuple[tuple[int, int], ...]] = {}
        if special_hours is not None:
            if not isinstance(special_hours, Mapping):
                problems.add("$.special_hours", "must be a mapping from dates to lists of periods")
            else:
                for day_key, periods in special_hours.items():
                    key_text = day_key.isoformat() if isinstance(day_key, date) else str(day_key)
                    path = join_path("$.special_hours", key_text)
                    if not _is_plain_date(day_key):
                        problems.add(path, "the key " + _not_a_date(day_key))
                        continue
                    checked = _check_periods(periods, path, problems)
                    if checked is not None:
                        special_text[day_key] = checked[0]
                        special[day_key] = checked[1]

        categories = None if holiday_categories is None else tuple(holiday_categories)
        if holiday_country is not None:
            _check_country(
                holiday_country,
                holiday_subdivision,
                categories,
                problems,
                paths=("$.holiday_country", "$.holiday_subdivision", "$.holiday_categories"),
            )
        elif holiday_subdivision is not None or categories is not None:
            problems.add(
                "$.holiday_country",
                "is required when a holiday subdivision or categories are given",
            )
        problems.raise_if_any()
        assert zone is not None

        self.__attrs_init__(
            timezone,
            MappingProxyType({day: weekly_text[day] for day in DAYS if day in weekly_text}),
            frozenset(closed),
            MappingProxyType(dict(sorted(special_text.items()))),
            holiday_country,
            holiday_subdivision,
            categories,
        )
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_weekly", tuple(weekly))
        object.__setattr__(self, "_special", MappingProxyType(special))
        object.__setattr__(self, "_cache", _IndexCache())

    @classmethod
    def weekdays(
        cls,
        open: str,
        close: str,
        *,
        timezone: str,
        holidays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """Monday to Friday, one period a day.

        Examples:
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> sorted(cal.hours) == sorted(["mon", "tue", "wed", "thu", "fri"])
            True
            >>> cal.hours["fri"]
            (('09:00', '18:00'),)
        """
        return cls(timezone, {day: [(open, close)] for day in DAYS[:5]}, holidays)

    # ------------------------------------------------------------------ dunder

    def __repr__(self) -> str:
        hours = ", ".join(
            f"{day}: " + " ".join(f"{o}-{c}" for o, c in periods)
            for day, periods in self.hours.items()
        )
        extra = ""
        if self.holidays:
            extra += f", holidays=<{len(self.holidays)} dates>"
        if self.special_hours:
            extra += f", special_hours=<{len(self.special_hours)} dates>"
        if self.holiday_country is not None:
            extra += f", holiday_country={self.holiday_country!r}"
            if self.holiday_subdivision is not None:
                extra += f", holiday_subdivision={self.holiday_subdivision!r}"
        return f"BusinessCalendar({self.timezone!r}, {{{hours}}}{extra})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_calendar,
            (
                self.timezone,
                dict(self.hours),
                tuple(self.holidays),
                dict(self.special_hours),
                self.holiday_country,
                self.holiday_subdivision,
                self.holiday_categories,
            ),
        )

    def __hash__(self) -> int:
        return hash(
            (
                self.timezone,
                tuple(self.hours.items()),
                self.holidays,
                tuple(self.special_hours.items()),
                self.holiday_country,
                self.holiday_subdivision,
                self.holiday_categories,
            )
        )

    # ------------------------------------------------------------------ days

    def _country_holidays_in(self, year: int) -> frozenset[date]:
        if self.holiday_country is None:
            return frozenset()
        cached = self._cache.country_holidays.get(year)
        if cached is None:
            cached = frozenset(
                _country_holidays(
                    self.holiday_country,
                    self.holiday_subdivision,
                    [year],
                    self.holiday_categories,
                ).keys()
            )
            self._cache.country_holidays[year] = cached
        return cached

    def _periods_on(self, day: date) -> tuple[tuple[int, int], ...]:
        special = self._special.get(day)
        if special is not None:
            return special
        if day in self.holidays or day in self._country_holidays_in(day.year):
            return ()
        return self._weekly[day.weekday()]

    def periods_on(self, day: date) -> tuple[Period, ...]:
        """The open periods that apply on a local date, after holidays and special hours.

        Examples:
            >>> from datetime import date
            >>> cal = BusinessCalendar.weekdays(
            ...     "09:00", "18:00", timezone="Asia/Hong_Kong", holidays=[date(2026, 12, 25)]
            ... )
            >>> cal.periods_on(date(2026, 12, 24)), cal.periods_on(date(2026, 12, 25))
            ((('09:00', '18:00'),), ())
        """
        self._require_date(day, "$.day")
        return tuple(
            (_format_minutes(opens), _format_minutes(closes))
            for opens, closes in self._periods_on(day)
        )

    def is_working_day(self, day: date) -> bool:
        """Whether a local date is a working day: not a holiday, with open time.

        A period that lies wholly in the hour skipped when the clocks go
        forward gives no open time, so it does not make a working day: the
        same rule `add_working_days` counts by.

        Examples:
            >>> from datetime import date
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> cal.is_working_day(date(2026, 11, 21))  # a Saturday
            False
        """
        self._require_date(day, "$.day")
        return bool(self._merged_day_intervals(day))

    @staticmethod
    def _require_date(day: object, path: str) -> None:
        if not _is_plain_date(day):
            raise ValidationError.single(path, _not_a_date(day))

    # ------------------------------------------------------------------ index

    def _offset(self, second: int) -> int:
        offset = datetime.fromtimestamp(second, self._zone).utcoffset()
        assert offset is not None
        return offset // timedelta(seconds=1)

    def _segments(self, low: int, high: int) -> list[tuple[int, int, int]]:
        """Split absolute seconds ``[low, high)`` into runs of constant UTC offset."""
        segments: list[tuple[int, int, int]] = []
        while True:
            first = self._offset(low)
            middle = (low + high) // 2
            if self._offset(high - 1) == first and self._offset(middle) == first:
                segments.append((low, high, first))
                return segments
            below, above = low, high - 1
            if self._offset(middle) != first:
                above = middle
            while above - below > 1:
                probe = (below + above) // 2
                if self._offset(probe) == first:
                    below = probe
                else:
                    above = probe
            segments.append((low, above, first))
            low = above

    def _day_intervals(self, day: date, periods: Iterable[tuple[int, int]]) -> list[list[int]]:
        """Absolute seconds ``[start, end)`` of the instants open on a local date."""
        base = (day.toordinal() - _EPOCH_ORDINAL) * _DAY_S
        segments = self._segments(base - _MAX_OFFSET_S, base + _DAY_S + _MAX_OFFSET_S)
        found: list[list[int]] = []
        for opens, closes in periods:
            wall_open = base + opens * 60
            wall_close = base + closes * 60
            for seg_start, seg_end, offset in segments:
                start = max(wall_open, seg_start + offset) - offset
                end = min(wall_close, seg_end + offset) - offset
                if start < end:
                    found.append([start, end])
        return found

    def _build(self, first_year: int, last_year: int) -> _Index:
        raw: list[list[int]] = []
        day_ordinals: list[int] = []
        day_closes: list[int] = []
        ordinal = date(first_year, 1, 1).toordinal()
        stop = date(last_year, 12, 31).toordinal()
        while ordinal <= stop:
            day = date.fromordinal(ordinal)
            periods = self._periods_on(day)
            if periods:
                intervals = self._day_intervals(day, periods)
                if intervals:
                    raw.extend(intervals)
                    day_ordinals.append(ordinal)
                    day_closes.append(max(end for _, end in intervals) * _MICRO)
            ordinal += 1
        merged = _merge(raw)
        starts = [start * _MICRO for start, _ in merged]
        ends = [end * _MICRO for _, end in merged]
        cum_start: list[int] = []
        cum_end: list[int] = []
        running = 0
        for start, end in zip(starts, ends, strict=True):
            cum_start.append(running)
            running += end - start
            cum_end.append(running)
        first_wall = (date(first_year, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_S
        last_wall = (date(last_year + 1, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_S
        return _Index(
            first_year=first_year,
            last_year=last_year,
            covers_from=(first_wall + _MAX_OFFSET_S) * _MICRO,
            covers_to=(last_wall - _MAX_OFFSET_S) * _MICRO,
            starts=starts,
            ends=ends,
            cum_start=cum_start,
            cum_end=cum_end,
            day_ordinals=day_ordinals,
            day_closes=day_closes,
        )

    def _index_for_years(self, first_year: int, last_year: int) -> _Index:
        if first_year < _MIN_YEAR or last_year > _MAX_YEAR:
            raise ValidationError.single(
                "$", f"business time is supported from year {_MIN_YEAR} to year {_MAX_YEAR}"
            )
        indexes = self._cache.indexes
        for index in indexes:
            if index.first_year <= first_year and last_year <= index.last_year:
                return index
        for position, index in enumerate(indexes):
            near = (
                first_year <= index.last_year + _NEAR_YEARS
                and last_year >= index.first_year - _NEAR_YEARS
            )
            if not near:
                continue
            # Grow by at least the current span, so repeated extension stays cheap overall.
            span = index.last_year - index.first_year + 1
            if first_year < index.first_year:
                first_year = max(_MIN_YEAR, min(first_year, index.first_year - span))
            else:
                first_year = index.first_year
            if last_year > index.last_year:
                last_year = min(_MAX_YEAR, max(last_year, index.last_year + span))
            else:
                last_year = index.last_year
            grown = self._build(first_year, last_year)
            self._cache.indexes = [*indexes[:position], grown, *indexes[position + 1 :]]
            return grown
        fresh = self._build(first_year, last_year)
        self._cache.indexes = [*indexes[-(_MAX_INDEXES - 1) :], fresh]
        return fresh

    def _index_covering(self, *instants: int) -> _Index:
        for index in self._cache.indexes:
            if all(index.covers_from <= t < index.covers_to for t in instants):
                return index
        years = [(_EPOCH + timedelta(microseconds=t)).year for t in instants]
        return self._index_for_years(min(years) - 1, max(years) + 1)

    def _never_open_after(self, index: _Index) -> bool:
        """Whether no open time can follow the index's last year."""
        if any(self._weekly):
            return False
        return not any(day.year > index.last_year for day, p in self._special.items() if p)

    @staticmethod
    def _cumulative(index: _Index, t: int) -> int:
        i = bisect_right(index.starts, t) - 1
        if i < 0:
            return 0
        if t >= index.ends[i]:
            return index.cum_end[i]
        return index.cum_start[i] + (t - index.starts[i])

    def _elapsed(self, start: int, end: int) -> int:
        """Business microseconds in ``[start, end)``; requires ``start <= end``."""
        index = self._index_covering(start, end)
        return self._cumulative(index, end) - self._cumulative(index, start)

    def _advance(self, start: int, amount: int) -> int:
        """The earliest instant with ``amount`` (> 0) business microseconds since ``start``."""
        index = self._index_covering(start)
        target = self._cumulative(index, start) + amount
        while target > index.total:
            if self._never_open_after(index) or index.last_year >= _MAX_YEAR:
                raise ValidationError.single(
                    "$.duration", "the calendar is not open long enough to reach the deadline"
                )
            span = index.last_year - index.first_year + 1
            years_needed = 1 + (target - index.total) // max(1, index.total // span)
            last_year = min(_MAX_YEAR, index.last_year + years_needed)
            before = self._cumulative(index, start)
            index = self._index_for_years(index.first_year, last_year)
            target = self._cumulative(index, start) + (target - before)
        i = bisect_left(index.cum_end, target)
        return index.ends[i] - (index.cum_end[i] - target)

    def _from_us(self, t: int) -> datetime:
        return (_EPOCH + timedelta(microseconds=t)).astimezone(self._zone)

    @staticmethod
    def _merged_pauses(pauses: object, problems: Problems) -> list[tuple[int, int]]:
        if isinstance(pauses, str | bytes) or not isinstance(pauses, Iterable):
            problems.add("$.pauses", "must be a list of (start, end) pairs")
            return []
        spans: list[tuple[int, int]] = []
        for index, pause in enumerate(pauses):
            path = join_path("$.pauses", index)
            if isinstance(pause, str | bytes) or not isinstance(pause, Sequence) or len(pause) != 2:
                problems.add(path, "must be a pair (start, end) of datetimes")
                continue
            begins_ok = _check_aware(pause[0], join_path(path, 0), problems)
            ends_ok = _check_aware(pause[1], join_path(path, 1), problems)
            if not (begins_ok and ends_ok):
                continue
            begins, ends = _to_us(pause[0]), _to_us(pause[1])
            if ends < begins:
                problems.add(path, "the pause ends before it starts")
                continue
            spans.append((begins, ends))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for begins, ends in spans:
            if merged and begins <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
            else:
                merged.append((begins, ends))
        return merged

    # ------------------------------------------------------------------ queries

    def is_open(self, at: datetime) -> bool:
        """Whether the calendar is open at an instant.

        Examples:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> cal.is_open(datetime(2026, 11, 20, 9, 0, tzinfo=hk))
            True
            >>> cal.is_open(datetime(2026, 11, 20, 18, 0, tzinfo=hk))  # closing minute: closed
            False

        Raises:
            ValidationError: ``at`` is naive.
        """
        problems = Problems()
        _check_aware(at, "$.at", problems)
        problems.raise_if_any()
        local = at.astimezone(self._zone)
        micros = ((local.hour * 60 + local.minute) * 60 + local.second) * _MICRO + local.microsecond
        return any(
            opens * 60 * _MICRO <= micros < closes * 60 * _MICRO
            for opens, closes in self._periods_on(local.date())
        )

    def add(
        self,
        start: datetime,
        duration: timedelta,
        *,
        pauses: Iterable[tuple[datetime, datetime]] = (),
    ) -> datetime:
        """The earliest instant at which ``duration`` of business time has elapsed since ``start``.

        A start outside open hours counts from the next opening; a deadline
        can fall exactly on a closing time. Business time inside ``pauses``
        does not count. A zero duration returns ``start`` itself.

        Examples:
            >>> from datetime import datetime, timedelta
            >>> from zoneinfo import ZoneInfo
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> cal.add(datetime(2026, 11, 20, 20, 0, tzinfo=hk), timedelta(hours=1))
            datetime.datetime(2026, 11, 23, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong'))
            >>> waiting = (
            ...     datetime(2026, 11, 23, 9, 30, tzinfo=hk),
            ...     datetime(2026, 11, 23, 11, 0, tzinfo=hk),
            ... )
            >>> start = datetime(2026, 11, 23, 9, 0, tzinfo=hk)
            >>> cal.add(start, timedelta(hours=1), pauses=[waiting])
            datetime.datetime(2026, 11, 23, 11, 30, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong'))

        Raises:
            ValidationError: a naive datetime, a negative duration, a malformed
                pause, or a deadline past the calendar's last open time.
        """
        problems = Problems()
        _check_aware(start, "$.start", problems)
        if not isinstance(duration, timedelta):
            problems.add("$.duration", "must be a timedelta")
        elif duration < timedelta(0):
            problems.add("$.duration", "must not be negative")
        merged = self._merged_pauses(pauses, problems)
        problems.raise_if_any()
        current = _to_us(start)
        remaining = duration // _US
        if remaining == 0:
            return start.astimezone(self._zone)
        for pause_start, pause_end in merged:
            if pause_end <= current:
                continue
            if pause_start > current:
                available = self._elapsed(current, pause_start)
                if available >= remaining:
                    break
                remaining -= available
            current = pause_end
        return self._from_us(self._advance(current, remaining))

    def between(
        self,
        start: datetime,
        end: datetime,
        *,
        pauses: Iterable[tuple[datetime, datetime]] = (),
    ) -> timedelta:
        """The business time from ``start`` to ``end``, less the business time inside ``pauses``.

        Examples:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> friday = datetime(2026, 11, 20, 17, tzinfo=hk)
            >>> monday = datetime(2026, 11, 23, 10, tzinfo=hk)
            >>> cal.between(friday, monday)
            datetime.timedelta(seconds=7200)

        Raises:
            ValidationError: a naive datetime, ``end`` before ``start``, or a
                malformed pause.
        """
        problems = Problems()
        start_ok = _check_aware(start, "$.start", problems)
        end_ok = _check_aware(end, "$.end", problems)
        if start_ok and end_ok and _to_us(end) < _to_us(start):
            problems.add("$.end", "must not be before start")
        merged = self._merged_pauses(pauses, problems)
        problems.raise_if_any()
        low, high = _to_us(start), _to_us(end)
        total = self._elapsed(low, high)
        for pause_start, pause_end in merged:
            clipped_start, clipped_end = max(pause_start, low), min(pause_end, high)
            if clipped_start < clipped_end:
                total -= self._elapsed(clipped_start, clipped_end)
        return timedelta(microseconds=total)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The closing time of the last open period of the ``days``-th working day after ``start``.

        The day containing ``start`` is not counted, whatever the hour. A
        working day is a date that is not a holiday and has an open period.

        Examples:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> cal.add_working_days(datetime(2026, 11, 20, 10, 0, tzinfo=hk), 1)  # Friday
            datetime.datetime(2026, 11, 23, 18, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong'))

        Raises:
            ValidationError: a naive ``start``, ``days`` below 1, or a
                calendar without that many working days ahead.
        """
        problems = Problems()
        _check_aware(start, "$.start", problems)
        if isinstance(days, bool) or not isinstance(days, int):
            problems.add("$.days", "must be an integer")
        elif days < 1:
            problems.add("$.days", "must be at least 1")
        problems.raise_if_any()
        local_day = start.astimezone(self._zone).date()
        index = self._index_for_years(local_day.year, local_day.year + 1)
        while True:
            position = bisect_right(index.day_ordinals, local_day.toordinal()) + days - 1
            if position < len(index.day_ordinals):
                return self._from_us(index.day_closes[position])
            if self._never_open_after(index) or index.last_year >= _MAX_YEAR:
                raise ValidationError.single(
                    "$.days", "the calendar has fewer working days ahead than asked for"
                )
            per_year = max(1, len(index.day_ordinals) // (index.last_year - index.first_year + 1))
            extra_years = 1 + (position - len(index.day_ordinals)) // per_year
            last_year = min(_MAX_YEAR, index.last_year + extra_years)
            index = self._index_for_years(index.first_year, last_year)

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[OpenInterval]:
        """The open intervals within ``[start, end)``, clipped to it, in order.

        Examples:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> friday_noon = datetime(2026, 11, 20, 12, 0, tzinfo=hk)
            >>> found = cal.open_intervals(friday_noon, datetime(2026, 11, 24, tzinfo=hk))
            >>> [(i.opens.day, i.opens.hour, i.closes.hour) for i in found]
            [(20, 12, 18), (23, 9, 18)]

        Raises:
            ValidationError: a naive datetime, or ``end`` before ``start``.
        """
        problems = Problems()
        start_ok = _check_aware(start, "$.start", problems)
        end_ok = _check_aware(end, "$.end", problems)
        if start_ok and end_ok and _to_us(end) < _to_us(start):
            problems.add("$.end", "must not be before start")
        problems.raise_if_any()
        low, high = _to_us(start), _to_us(end)
        return self._iter_intervals(low, high)

    def _iter_intervals(self, low: int, high: int) -> Iterator[OpenInterval]:
        index = self._index_covering(low, high)
        i = max(0, bisect_right(index.starts, low) - 1)
        while i < len(index.starts) and index.starts[i] < high:
            opens, closes = max(index.starts[i], low), min(index.ends[i], high)
            if opens < closes:
                yield OpenInterval(self._from_us(opens), self._from_us(closes))
            i += 1

    def open_intervals_on(self, day: date) -> list[OpenInterval]:
        """The open intervals of one local date, as aware datetimes.

        Periods that touch are joined. Across a DST change a period can map to
        two intervals (the hour the clocks go back is read twice, so a period
        around it opens, closes and opens again) or shrink (the hour skipped
        is never open).

        Examples:
            >>> from datetime import date
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> [i.duration.seconds // 3600 for i in cal.open_intervals_on(date(2026, 11, 20))]
            [9]
        """
        self._require_date(day, "$.day")
        return [
            OpenInterval(self._from_us(start * _MICRO), self._from_us(end * _MICRO))
            for start, end in self._merged_day_intervals(day)
        ]

    def _merged_day_intervals(self, day: date) -> list[list[int]]:
        periods = self._periods_on(day)
        return _merge(self._day_intervals(day, periods)) if periods else []

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself if the calendar is open then, otherwise the next opening.

        Examples:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> cal.next_open(datetime(2026, 11, 21, 12, 0, tzinfo=hk))
            datetime.datetime(2026, 11, 23, 9, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong'))

        Raises:
            ValidationError: ``at`` is naive, or the calendar never opens again.
        """
        problems = Problems()
        _check_aware(at, "$.at", problems)
        problems.raise_if_any()
        t = _to_us(at)
        # The earliest instant with any business time after it is the next opening.
        opening = self._advance(t, 1) - 1
        return self._from_us(max(t, opening))


def _rebuild_calendar(
    timezone: str,
    hours: Mapping[str, Sequence[tuple[str, str]]],
    holidays: Iterable[date],
    special_hours: Mapping[date, Sequence[tuple[str, str]]],
    holiday_country: str | None,
    holiday_subdivision: str | None,
    holiday_categories: Iterable[str] | None,
) -> BusinessCalendar:
    return BusinessCalendar(
        timezone,
        hours,
        holidays,
        special_hours=special_hours,
        holiday_country=holiday_country,
        holiday_subdivision=holiday_subdivision,
        holiday_categories=holiday_categories,
    )
