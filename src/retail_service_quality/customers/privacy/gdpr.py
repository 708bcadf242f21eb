"""The European Union: the General Data Protection Regulation (EU) 2016/679.

Examples:
    >>> from datetime import date
    >>> access_request_due(date(2026, 1, 31))
    datetime.date(2026, 2, 28)
"""

from __future__ import annotations

from datetime import date
from typing import Final

from dateutil.relativedelta import relativedelta

__all__ = ["CODE", "IN_FORCE_FROM", "NAME", "access_request_due"]

CODE: Final = "gdpr"
"""The code callers pass as ``law=``."""

NAME: Final = "General Data Protection Regulation (EU) 2016/679"
"""The law's full name."""

IN_FORCE_FROM: Final = date(2018, 5, 25)
"""The date from which the Regulation applies (Art. 99(2))."""


def access_request_due(received: date) -> date:
    """Art. 12(3): information on action taken on a request is given within one
    month of receipt: the same day number of the next month, or that month's
    last day where the day does not exist (Regulation 1182/71, Art. 3(2)(c)).

    Examples:
        >>> from datetime import date
        >>> access_request_due(date(2026, 5, 4))
        datetime.date(2026, 6, 4)

    Raises:
        ValueError: the due date falls after `datetime.date.max`; the public
            `retail_service_quality.access_request_due` reports this as a
            `ValidationError`.
    """
    result: date = received + relativedelta(months=1)
    return result
