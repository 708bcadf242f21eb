"""The public face of business time: `BusinessCalendar` and `OpenInterval`.

A `BusinessCalendar` says when a service is open: weekly hours (several
periods a day allowed, and periods that run past midnight), holidays, special
hours for given dates, in one IANA time zone. It answers the questions every
service pledge asks:

- `BusinessCalendar.add`: when is a deadline of so much business time due?
- `BusinessCalendar.between`: how much business time did a case take?
- `BusinessCalendar.add_working_days`: when is "within 5 working days" up?

Semantics, exactly:

- An instant is *open* when its local wall-clock reading falls inside one of
  the open periods of its local date, or inside the part after midnight of a
  period of the date before that runs past midnight. Periods are half-open,
  ``[open, close)``.
- Business time between two instants is the real elapsed time (absolute
  seconds) that is open. Across a DST change a period is as long as it
  really is: ``00:00-04:00`` on the night the clocks go back lasts five hours.
- `add` returns the *earliest* instant at which the duration has elapsed, so
  a deadline can fall exactly on a closing time and is never pushed on to the
  next opening.
- Pauses (for example, waiting on the customer) stop the clock; they may
  overlap each other and lie partly outside open hours.
- Business time is computed within `HORIZON` (100 years) of its start and
  between the years 2 and 9998 (`SUPPORTED_RANGE`).

The work is split between private modules: `_parsing` reads and checks the
definition, `_arguments` checks the methods' arguments against the limits,
`_zones` turns wall-clock periods into instants, `_timeline` does the
arithmetic on integers with a lazily built, bounded index, and `_countries`
reads public holidays.

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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality.calendar._arguments import (
    HIGH,
    HORIZON_DAYS,
    HORIZON_US,
    LOW,
    beyond,
    duration_of,
    instant,
    pauses_of,
    require_date,
    span_of,
)
from retail_service_quality.calendar._parsing import (
    CalendarSpec,
    Minutes,
    Period,
    format_period,
    parse_calendar,
)
from retail_service_quality.calendar._timeline import Timeline
from retail_service_quality.calendar._zones import MICRO, ZoneClock, from_us
from retail_service_quality.errors import Problems, ValidationError

__all__ = ["BusinessCalendar", "OpenInterval"]

_CHUNK: Final = 2 * 86_400 * MICRO


@attrs.frozen
class OpenInterval(Tabular):
    """One stretch of open time, ``[opens, closes)``, as aware datetimes.

    Attributes:
        opens: when the stretch of open time begins (inclusive), in the calendar's time
            zone.
        closes: when it ends (exclusive), in the calendar's time zone.

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


@attrs.frozen(init=False, repr=False, unsafe_hash=False)
class BusinessCalendar:
    """When a service is open: weekly hours, holidays and special hours, in one time zone.

    Args:
        timezone: an IANA time zone name, such as ``"Asia/Hong_Kong"``, or a
            `zoneinfo.ZoneInfo` (the calendar keeps its name).
        hours: weekly open periods, keyed ``"mon"`` to ``"sun"``; each value a
            list of ``("HH:MM", "HH:MM")`` periods in local wall-clock time
            (`datetime.time` values are accepted too), ``"24:00"`` allowed as
            a closing time. A day not named is closed. Periods of a day must
            not overlap; each is half-open. A period that closes earlier than
            it opens, such as ``("22:00", "02:00")``, runs past midnight into
            the next date; it belongs to the date it opens on.
        holidays: local dates on which the calendar is closed all day (a
            period running past midnight from the day before still runs).
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
        >>> from datetime import date, time
        >>> cal = BusinessCalendar(
        ...     "Europe/London",
        ...     {"mon": [("09:00", "12:30"), ("13:30", "17:30")], "sat": [(time(10), time(16))]},
        ...     holidays=[date(2026, 12, 25)],
        ...     special_hours={date(2026, 12, 24): [("09:00", "14:00")]},
        ... )
        >>> cal.hours["mon"], cal.hours["sat"]
        ((('09:00', '12:30'), ('13:30', '17:30')), (('10:00', '16:00'),))
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
    _spec: CalendarSpec = attrs.field(init=False, eq=False)
    _clock: ZoneClock = attrs.field(init=False, eq=False)
    _timeline: Timeline = attrs.field(init=False, eq=False)

    def __init__(
        self,
        timezone: str | ZoneInfo,
        hours: Mapping[str, Sequence[tuple[str | time, str | time]]],
        holidays: Iterable[date] = (),
        *,
        special_hours: Mapping[date, Sequence[tuple[str | time, str | time]]] | None = None,
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
        holiday_categories: Iterable[str] | None = None,
    ) -> None:
        self._setup(
            parse_calendar(
                timezone,
                hours,
                holidays,
                special_hours,
                holiday_country,
                holiday_subdivision,
                holiday_categories,
            )
        )

    def _setup(self, spec: CalendarSpec) -> None:
        country = spec.country
        self.__attrs_init__(
            spec.timezone,
            spec.hours,
            spec.holidays,
            spec.special_hours,
            None if country is None else country.country,
            None if country is None else country.subdivision,
            None if country is None else country.categories,
        )
        plain = not (spec.special or spec.holidays or spec.country)
        clock = ZoneClock(
            spec.zone,
            self._weekly_on if plain else self._periods_on_ordinal,
            overnight=spec.overnight,
        )
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_clock", clock)
        object.__setattr__(
            self, "_timeline", Timeline(clock.window, low=LOW, high=HIGH, chunk=_CHUNK)
        )

    @classmethod
    def _from_spec(cls, spec: CalendarSpec) -> BusinessCalendar:
        cal = cls.__new__(cls)
        cal._setup(spec)
        return cal

    @classmethod
    def weekdays(
        cls,
        open: str | time,
        close: str | time,
        *,
        timezone: str | ZoneInfo,
        holidays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """Monday to Friday, one period a day.

        Examples:
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> sorted(cal.hours) == sorted(["mon", "tue", "wed", "thu", "fri"])
            True
            >>> cal.hours["fri"]
            (('09:00', '18:00'),)

        Raises:
            ValidationError: as the constructor.
        """
        return cls(
            timezone,
            {day: [(open, close)] for day in ("mon", "tue", "wed", "thu", "fri")},
            holidays,
        )

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

    def _weekly_on(self, ordinal: int) -> Minutes:
        """The periods of a date (by ordinal) of a calendar with weekly hours only."""
        return self._spec.weekly[(ordinal - 1) % 7]

    def _periods_on_ordinal(self, ordinal: int) -> Minutes:
        return self._periods_on(date.fromordinal(ordinal))

    def _periods_on(self, day: date) -> Minutes:
        spec = self._spec
        special = spec.special.get(day)
        if special is not None:
            return special
        if day in spec.holidays:
            return ()
        country = spec.country
        if country is not None and day in country.in_year(day.year):
            return ()
        return spec.weekly[day.weekday()]

    def periods_on(self, day: date) -> tuple[Period, ...]:
        """The open periods that open on a local date, after holidays and special hours.

        Examples:
            >>> from datetime import date
            >>> cal = BusinessCalendar.weekdays(
            ...     "09:00", "18:00", timezone="Asia/Hong_Kong", holidays=[date(2026, 12, 25)]
            ... )
            >>> cal.periods_on(date(2026, 12, 24)), cal.periods_on(date(2026, 12, 25))
            ((('09:00', '18:00'),), ())

        Raises:
            ValidationError: ``day`` is not a date in the years 2 to 9998.
        """
        day = require_date(day, "$.day")
        return tuple(format_period(opens, closes) for opens, closes in self._periods_on(day))

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

        Raises:
            ValidationError: ``day`` is not a date in the years 2 to 9998.
        """
        return bool(self._clock.day_intervals(require_date(day, "$.day")))

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
            ValidationError: ``at`` is not an aware datetime in the supported range.
        """
        problems = Problems()
        instant(at, "$.at", problems)
        problems.raise_if_any()
        # Through UTC, so that a wall time the zone skips is read as the instant it names.
        local = at.astimezone(UTC).astimezone(self._spec.zone)
        micros = ((local.hour * 60 + local.minute) * 60 + local.second) * MICRO + local.microsecond
        minute = 60 * MICRO
        day = local.date()
        if any(
            opens * minute <= micros < closes * minute for opens, closes in self._periods_on(day)
        ):
            return True
        # The part after midnight of a period that opened the day before.
        micros += 1_440 * minute
        return any(
            opens * minute <= micros < closes * minute
            for opens, closes in self._periods_on(day - timedelta(days=1))
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
        does not count. A zero duration returns ``start`` itself. The
        duration, and the deadline's distance from ``start``, are at most
        `HORIZON` (100 years). Only the days the computation touches are
        indexed, so the first call on a fresh calendar is cheap too.

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
            ValidationError: a naive or out-of-range datetime, a negative
                duration or one over `HORIZON`, a malformed pause, or a
                deadline the calendar does not reach within `HORIZON` of
                ``start`` (or before the year 9999).
        """
        problems = Problems()
        current = instant(start, "$.start", problems)
        amount = duration_of(duration, "$.duration", problems)
        merged = pauses_of(pauses, problems)
        problems.raise_if_any()
        assert current is not None
        assert amount is not None
        if amount == 0:
            return start.astimezone(self._spec.zone)
        limit = min(current + HORIZON_US, HIGH - 1)
        found = self._timeline.add(current, amount, merged, limit=limit)
        if found is None:
            raise beyond("$.duration", limit + 1, "the deadline")
        return from_us(found, self._spec.zone)

    def between(
        self,
        start: datetime,
        end: datetime,
        *,
        pauses: Iterable[tuple[datetime, datetime]] = (),
    ) -> timedelta:
        """The business time from ``start`` to ``end``, less the business time inside ``pauses``.

        ``end`` may be at most `HORIZON` (100 years) after ``start``.

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
            ValidationError: a naive or out-of-range datetime, ``end`` before
                ``start`` or over `HORIZON` after it, or a malformed pause.
        """
        problems = Problems()
        span = span_of(start, end, problems)
        merged = pauses_of(pauses, problems)
        problems.raise_if_any()
        assert span is not None
        return timedelta(microseconds=self._timeline.between(span[0], span[1], merged))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The closing time of the last open period of the ``days``-th working day after ``start``.

        The day containing ``start`` is not counted, whatever the hour. A
        working day is a date that is not a holiday and has open time (see
        `is_working_day`). The working day must fall within `HORIZON` (100
        years) of ``start``.

        Examples:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> cal.add_working_days(datetime(2026, 11, 20, 10, 0, tzinfo=hk), 1)  # Friday
            datetime.datetime(2026, 11, 23, 18, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong'))

        Raises:
            ValidationError: a naive or out-of-range ``start``, ``days`` that
                is not an integer from 1 to 36525, or a calendar without that
                many working days within `HORIZON`.
        """
        problems = Problems()
        at = instant(start, "$.start", problems)
        if isinstance(days, bool) or not isinstance(days, int):
            problems.add("$.days", "must be an integer", "type")
        elif not 1 <= days <= HORIZON_DAYS:
            problems.add("$.days", f"must be an integer from 1 to {HORIZON_DAYS}", "range")
        problems.raise_if_any()
        assert at is not None
        ordinal = self._clock.local_ordinal(at // MICRO)
        last = min(ordinal + HORIZON_DAYS, date(9998, 12, 31).toordinal())
        remaining = days
        day_intervals = self._clock.day_intervals
        while ordinal < last:
            ordinal += 1
            intervals = day_intervals(date.fromordinal(ordinal))
            if intervals:
                remaining -= 1
                if remaining == 0:
                    return from_us(intervals[-1][1] * MICRO, self._spec.zone)
        raise ValidationError.single(
            "$.days",
            "the calendar has fewer working days than that within 100 years (HORIZON)",
            "range",
        )

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[OpenInterval]:
        """The open intervals within ``[start, end)``, clipped to it, in order.

        ``end`` may be at most `HORIZON` (100 years) after ``start``; the
        intervals are read as the iterator is consumed.

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
            ValidationError: a naive or out-of-range datetime, or ``end``
                before ``start`` or over `HORIZON` after it.
        """
        problems = Problems()
        span = span_of(start, end, problems)
        problems.raise_if_any()
        assert span is not None
        return self._intervals(*span)

    def _intervals(self, low: int, high: int) -> Iterator[OpenInterval]:
        zone = self._spec.zone
        previous: tuple[int, int] | None = None
        for opens, closes in self._timeline.intervals(low, high):
            # Join intervals that touch across the engine's windows.
            if previous is not None and previous[1] == opens:
                previous = (previous[0], closes)
                continue
            if previous is not None:
                yield OpenInterval(from_us(previous[0], zone), from_us(previous[1], zone))
            previous = (opens, closes)
        if previous is not None:
            yield OpenInterval(from_us(previous[0], zone), from_us(previous[1], zone))

    def open_intervals_on(self, day: date) -> list[OpenInterval]:
        """The open intervals of the periods that open on one local date, as aware datetimes.

        Periods that touch are joined. Across a DST change a period can map to
        two intervals (the hour the clocks go back is read twice, so a period
        around it opens, closes and opens again) or shrink (the hour skipped
        is never open). A period running past midnight ends on the next date.

        Examples:
            >>> from datetime import date
            >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> [i.duration.seconds // 3600 for i in cal.open_intervals_on(date(2026, 11, 20))]
            [9]

        Raises:
            ValidationError: ``day`` is not a date in the years 2 to 9998.
        """
        zone = self._spec.zone
        return [
            OpenInterval(from_us(start * MICRO, zone), from_us(end * MICRO, zone))
            for start, end in self._clock.day_intervals(require_date(day, "$.day"))
        ]

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
            ValidationError: ``at`` is naive or out of range, or the calendar
                does not open again within `HORIZON` (100 years).
        """
        problems = Problems()
        t = instant(at, "$.at", problems)
        problems.raise_if_any()
        assert t is not None
        limit = min(t + HORIZON_US, HIGH)
        # The earliest instant with any business time after it, less that time, is
        # the next opening.
        found = self._timeline.advance(t, 1, limit=limit)
        if found is None:
            raise beyond("$.at", limit, "the next opening")
        return from_us(max(t, found - 1), self._spec.zone)


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
