"""Business time: opening hours, holidays and SLA deadlines.

`BusinessCalendar` says when a service is open and computes deadlines and
elapsed business time; `public_holidays` reads a country's public holidays.

Examples:
    >>> from retail_service_quality.calendar import BusinessCalendar
    >>> BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong").timezone
    'Asia/Hong_Kong'
"""

from retail_service_quality.calendar._arguments import HORIZON, SUPPORTED_RANGE
from retail_service_quality.calendar._countries import public_holidays
from retail_service_quality.calendar._facade import BusinessCalendar, OpenInterval
from retail_service_quality.calendar._parsing import DAYS, Period

__all__ = [
    "DAYS",
    "HORIZON",
    "SUPPORTED_RANGE",
    "BusinessCalendar",
    "OpenInterval",
    "Period",
    "public_holidays",
]
