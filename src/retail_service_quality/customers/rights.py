"""Data-subject rights: the deadlines the law sets for answering a customer.

Examples:
    >>> from datetime import date
    >>> access_request_due(date(2026, 5, 4), law="pdpo")
    datetime.date(2026, 6, 13)
    >>> request_due("correction", date(2026, 5, 4), law="gdpr")
    datetime.date(2026, 6, 4)
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Final

from dateutil.relativedelta import relativedelta

from retail_service_quality._internal.times import zone_named
from retail_service_quality._internal.validation import check_enum, lenient_enum
from retail_service_quality.customers.privacy import JURISDICTIONS, gdpr, pdpo
from retail_service_quality.customers.privacy._common import PrivacyRule
from retail_service_quality.customers.requests import RequestKind
from retail_service_quality.errors import Problems, ValidationError

__all__ = ["access_request_due", "request_due", "request_extension_limit"]

# The PDPO's statutory periods, by kind of request: 40 days for access (s.19(1)) and
# correction (s.23(1)); the Ordinance sets none for the others.
_PDPO_RULES: Final = {RequestKind.ACCESS: pdpo.DATA_ACCESS, RequestKind.CORRECTION: pdpo.CORRECTION}
_TOO_LATE: Final = "is too late: the due date would fall after 9999-12-31"


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
    _check_received(received, law, problems)
    problems.raise_if_any()
    try:
        due: date = JURISDICTIONS[law].access_request_due(received)
    except (OverflowError, ValueError):
        raise ValidationError.single("$.received", _TOO_LATE, "range") from None
    return due


def _check_request(kind: object, received: object, law: object) -> RequestKind:
    problems = Problems()
    found = lenient_enum(RequestKind, kind)
    check_enum(found, RequestKind, "$.kind", problems)
    _check_received(received, law, problems)
    problems.raise_if_any()
    return found  # checked above


def _check_received(received: object, law: object, problems: Problems) -> None:
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


def _applies_on(rule: PrivacyRule, day: date) -> bool:
    """Whether ``rule`` applies to a request received on ``day`` (at the day's end)."""
    zone = zone_named(rule.timezone)
    return rule.in_force(datetime.combine(day, time(23, 59), tzinfo=zone))


def request_due(kind: RequestKind | str, received: date, *, law: str) -> date | None:
    """The date by which a data subject's request of this kind must be answered, if the law
    sets one.

    - ``law="pdpo"``: an access request within 40 days (s.19(1)), a
      correction request within 40 days (s.23(1)), calendar days after
      receipt. The Ordinance sets no period for the other kinds (erasure,
      portability, objection, ceasing provision: s.35G and s.35L require the
      data user to comply, without a number of days): ``None``.
    - ``law="gdpr"``: every kind within one month of receipt (Art. 12(3)),
      the same day number of the next month or that month's last day; it
      can be extended (`request_extension_limit`).

    A request received before the rule applies (20 December 1996 for the
    Ordinance, 25 May 2018 for the Regulation) has no statutory period: ``None``.

    Examples:
        >>> from datetime import date
        >>> request_due("access", date(2026, 5, 4), law="pdpo")
        datetime.date(2026, 6, 13)
        >>> request_due("erasure", date(2026, 5, 4), law="pdpo") is None
        True
        >>> request_due("erasure", date(2026, 1, 31), law="gdpr")
        datetime.date(2026, 2, 28)

    Raises:
        ValidationError: ``kind`` is not a `RequestKind`, ``received`` is not
            a date (or its due date would fall after 9999-12-31), or ``law``
            is not a supported law's code.
    """
    found = _check_request(kind, received, law)
    rule = _PDPO_RULES.get(found) if law == pdpo.CODE else gdpr.REQUEST_TIME_LIMIT
    if rule is None or not _applies_on(rule, received):
        return None
    return access_request_due(received, law=law)


def request_extension_limit(kind: RequestKind | str, received: date, *, law: str) -> date | None:
    """The latest date an extended request may be answered by, where the law allows one.

    - ``law="gdpr"`` (Art. 12(3)): the one-month period "may be extended by
      two further months": three calendar months after receipt (the same
      day number, or the month's last day), provided the person is told of
      the extension and its reasons within the first month.
    - ``law="pdpo"``: the Ordinance gives no extension; a data user unable
      to comply in time says so in writing, with reasons, within the period
      (s.19(2)) and complies as soon as practicable: ``None``.

    Examples:
        >>> from datetime import date
        >>> request_extension_limit("access", date(2026, 5, 4), law="gdpr")
        datetime.date(2026, 8, 4)
        >>> request_extension_limit("access", date(2026, 5, 4), law="pdpo") is None
        True

    Raises:
        ValidationError: as for `request_due`.
    """
    _check_request(kind, received, law)
    if law != gdpr.CODE or not _applies_on(gdpr.REQUEST_TIME_LIMIT, received):
        return None
    try:
        limit: date = received + relativedelta(months=3)
    except (OverflowError, ValueError):
        raise ValidationError.single("$.received", _TOO_LATE, "range") from None
    return limit
