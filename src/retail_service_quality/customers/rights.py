"""Data-subject rights: the deadlines the law sets for answering a customer.

Examples:
    >>> from datetime import date
    >>> access_request_due(date(2026, 5, 4), law="pdpo")
    datetime.date(2026, 6, 13)
"""

from __future__ import annotations

from datetime import date, datetime

from retail_service_quality.customers.privacy import JURISDICTIONS
from retail_service_quality.errors import Problems, ValidationError

__all__ = ["access_request_due"]


def access_request_due(received: date, *, law: str) -> date:
    """The date by which a data access request must be answered.

    - ``law="pdpo"`` (Hong Kong, s.19(1)): 40 calendar days after receipt.
    - ``law="gdpr"`` (EU, Art. 12(3)): one calendar month after receipt, on
      the same day number, or on the month's last day where that day does
      not exist.

    Examples:
        >>> from datetime import date
        >>> access_request_due(date(2026, 5, 4), law="pdpo")
        datetime.date(2026, 6, 13)
        >>> access_request_due(date(2026, 5, 4), law="gdpr")
        datetime.date(2026, 6, 4)
        >>> access_request_due(date(2026, 1, 31), law="gdpr")
        datetime.date(2026, 2, 28)

    Raises:
        ValidationError: ``received`` is not a date or is too late for its due
            date to be a date, or ``law`` is not a supported law's code.
    """
    problems = Problems()
    if isinstance(received, datetime):
        problems.add("$.received", "must be a date, not a datetime", "type")
    elif not isinstance(received, date):
        problems.add("$.received", "must be a date", "type")
    if not isinstance(law, str) or law not in JURISDICTIONS:
        problems.add(
            "$.law",
            "must be one of: " + ", ".join(JURISDICTIONS),
            "unknown_choice" if isinstance(law, str) else "type",
        )
    problems.raise_if_any()
    try:
        due: date = JURISDICTIONS[law].access_request_due(received)
    except (OverflowError, ValueError):
        raise ValidationError.single(
            "$.received", "is too late: the due date would fall after 9999-12-31", "range"
        ) from None
    return due
