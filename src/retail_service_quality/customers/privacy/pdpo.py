"""Hong Kong: the Personal Data (Privacy) Ordinance (Cap. 486).

Examples:
    >>> from datetime import date
    >>> access_request_due(date(2026, 5, 4))
    datetime.date(2026, 6, 13)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

__all__ = ["ACCESS_REQUEST_DAYS", "CODE", "IN_FORCE_FROM", "NAME", "access_request_due"]

CODE: Final = "pdpo"
"""The code callers pass as ``law=``."""

NAME: Final = "Personal Data (Privacy) Ordinance (Cap. 486), Hong Kong"
"""The law's full name."""

IN_FORCE_FROM: Final = date(1996, 12, 20)
"""The date from which the Ordinance's data access provisions apply."""

ACCESS_REQUEST_DAYS: Final = 40
"""s.19(1): days within which a data access request must be complied with."""


def access_request_due(received: date) -> date:
    """s.19(1): a data user complies with a data access request not later than
    40 days after receiving it (calendar days).

    Examples:
        >>> from datetime import date
        >>> access_request_due(date(2026, 12, 31))
        datetime.date(2027, 2, 9)

    Raises:
        OverflowError: the due date falls after `datetime.date.max`; the public
            `retail_service_quality.access_request_due` reports this as a
            `ValidationError`.
    """
    return received + timedelta(days=ACCESS_REQUEST_DAYS)
