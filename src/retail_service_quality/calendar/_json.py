"""A calendar as JSON-shaped data and back, for the library's converter.

Dates are ``YYYY-MM-DD`` text, periods ``["HH:MM", "HH:MM"]`` pairs, the time
zone its IANA name.

Examples:
    >>> cal = calendar_from_data({"timezone": "UTC", "hours": {"sat": [["22:00", "02:00"]]}})
    >>> calendar_to_data(cal)["hours"]
    {'sat': [['22:00', '02:00']]}
"""

from __future__ import annotations

from typing import Any

from retail_service_quality.calendar._facade import BusinessCalendar
from retail_service_quality.calendar._parsing import parse_calendar_data

__all__ = ["calendar_from_data", "calendar_to_data"]


def calendar_to_data(cal: BusinessCalendar) -> dict[str, Any]:
    """A calendar as JSON-ready data."""
    return {
        "timezone": cal.timezone,
        "hours": {day: [list(period) for period in periods] for day, periods in cal.hours.items()},
        "holidays": [day.isoformat() for day in sorted(cal.holidays)],
        "special_hours": {
            day.isoformat(): [list(period) for period in periods]
            for day, periods in cal.special_hours.items()
        },
        "holiday_country": cal.holiday_country,
        "holiday_subdivision": cal.holiday_subdivision,
        "holiday_categories": (
            None if cal.holiday_categories is None else list(cal.holiday_categories)
        ),
    }


def calendar_from_data(value: object) -> BusinessCalendar:
    """A calendar from JSON-shaped data, every problem reported at once.

    Raises:
        ValidationError: listing every problem with its ``$``-path.
    """
    return BusinessCalendar._from_spec(parse_calendar_data(value))
