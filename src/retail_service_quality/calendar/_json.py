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

from retail_service_quality._internal.schema import DATE, END, nullable
from retail_service_quality.calendar._countries import _codes
from retail_service_quality.calendar._facade import BusinessCalendar
from retail_service_quality.calendar._parsing import DAYS, parse_calendar_data

__all__ = ["calendar_from_data", "calendar_schema", "calendar_to_data"]

_MINUTE = "(?:[01][0-9]|2[0-3]):[0-5][0-9]"


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


def calendar_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a calendar's data, as `calendar_from_data` reads it.

    It says what JSON Schema can: the fields, day names, ``HH:MM`` times
    (``24:00`` only as a closing time), ``YYYY-MM-DD`` dates and the country
    codes the ``holidays`` package knows. It cannot say that the periods of a
    day must not overlap, that a period must not close when it opens, that the
    time zone must be in the tz database, or which subdivisions and categories
    a country has: the converter checks those.

    Examples:
        >>> schema = calendar_schema()
        >>> schema["required"], schema["properties"]["hours"]["propertyNames"]["enum"][:2]
        (['timezone', 'hours'], ['mon', 'tue'])
    """
    opens = {"type": "string", "pattern": "^" + _MINUTE + END, "examples": ["09:00"]}
    closes = {
        "type": "string",
        "pattern": "^(?:" + _MINUTE + "|24:00)" + END,
        "examples": ["18:00"],
    }
    period = {
        "type": "array",
        "prefixItems": [opens, closes],
        "items": False,
        "minItems": 2,
        "maxItems": 2,
    }
    day = {"type": "array", "items": period}
    return {
        "type": "object",
        "properties": {
            "timezone": {
                "description": "an IANA time zone name",
                "type": "string",
                "minLength": 1,
                "examples": ["Asia/Hong_Kong"],
            },
            "hours": {
                "description": "weekly open periods keyed mon to sun, each a list of "
                "[open, close] pairs of local HH:MM times; a day not named is closed",
                "type": "object",
                "propertyNames": {"enum": list(DAYS)},
                "additionalProperties": day,
            },
            "holidays": {
                "description": "local dates on which the calendar is closed all day",
                "type": "array",
                "items": dict(DATE),
                "default": [],
            },
            "special_hours": {
                "description": "periods for given dates that replace the weekly hours; "
                "an empty list closes the date"
            }
            | nullable({"type": "object", "propertyNames": dict(DATE), "additionalProperties": day})
            | {"default": {}},
            "holiday_country": {
                "description": "an ISO 3166-1 alpha-2 code whose public holidays close the calendar"
            }
            | nullable({"type": "string", "enum": sorted(_codes())})
            | {"default": None},
            "holiday_subdivision": {
                "description": "the subdivision of the holiday country, if any",
                "type": ["string", "null"],
                "default": None,
            },
            "holiday_categories": {
                "description": "the holidays package's categories for the country",
                "type": ["array", "null"],
                "items": {"type": "string"},
                "default": None,
            },
        },
        "required": ["timezone", "hours"],
        "additionalProperties": False,
        # A subdivision or categories need a country.
        "allOf": [
            {
                "if": {"required": [name], "properties": {name: {"not": {"type": "null"}}}},
                "then": {
                    "required": ["holiday_country"],
                    "properties": {"holiday_country": {"type": "string"}},
                },
            }
            for name in ("holiday_subdivision", "holiday_categories")
        ],
    }
