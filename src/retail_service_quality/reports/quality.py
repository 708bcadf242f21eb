"""The customer service quality report over a store (a minimal version).

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> quality_report(InMemoryStore()).summary()
    'Our stores: 0 interactions'
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality.storage.ports import Store, UnitOfWork

QUALITY_JSON_FORMAT = "rsq.quality-report/1"


@attrs.frozen
class QualityReport:
    """The report: what it covers and the interaction count.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> quality_report(InMemoryStore()).interactions
        0
    """

    title: str
    retailer: str
    timezone: str
    period_start: date | None
    period_end: date | None
    interactions: int

    def _period(self) -> str:
        if self.period_start is None or self.period_end is None:
            return "no data"
        return f"{self.period_start.isoformat()} to {self.period_end.isoformat()}"

    def summary(self) -> str:
        """One line.

        Examples:
            >>> from retail_service_quality import InMemoryStore
            >>> quality_report(InMemoryStore(), retailer="Shop").summary()
            'Shop: 0 interactions'
        """
        return f"{self.retailer}: {self.interactions:,} interactions"

    def to_text(self) -> str:
        """Plain text.

        Examples:
            >>> from retail_service_quality import InMemoryStore
            >>> print(quality_report(InMemoryStore()).to_text())
            Customer service quality - Our stores
            ...
        """
        return (
            f"{self.title} - {self.retailer}\nPeriod: {self._period()} ({self.timezone})\n"
            f"{self.summary()}\n"
        )

    def to_json(self, *, indent: int | None = 2) -> str:
        """JSON.

        Examples:
            >>> from retail_service_quality import InMemoryStore
            >>> '"format"' in quality_report(InMemoryStore()).to_json()
            True
        """
        data = {
            "format": QUALITY_JSON_FORMAT,
            "title": self.title,
            "retailer": self.retailer,
            "timezone": self.timezone,
            "period_start": None if self.period_start is None else self.period_start.isoformat(),
            "period_end": None if self.period_end is None else self.period_end.isoformat(),
            "interactions": self.interactions,
        }
        return json.dumps(data, indent=indent, sort_keys=True)

    def to_html(self) -> str:
        """One HTML page.

        Examples:
            >>> from retail_service_quality import InMemoryStore
            >>> quality_report(InMemoryStore()).to_html().startswith("<!DOCTYPE html>")
            True
        """
        title = html.escape(f"{self.title} - {self.retailer}")
        return (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body><h1>{title}</h1><p>{html.escape(self._period())}</p>"
            f"<p>{html.escape(self.summary())}</p></body></html>\n"
        )


def quality_report(
    target: Store | UnitOfWork,
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    timezone: str | None = None,
    now: datetime | None = None,
    retailer: str = "Our stores",
    title: str = "Customer service quality",
    business_units: Mapping[str, str] | None = None,
    confidence: float = 0.95,
    min_n: int = 30,
) -> QualityReport:
    """The report over a store.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> quality_report(InMemoryStore()).timezone
        'UTC'
    """
    zone_name = timezone or "UTC"
    zone = ZoneInfo(zone_name)

    def read(uow: UnitOfWork) -> tuple[int, date | None, date | None]:
        days = [item.occurred_at.astimezone(zone).date() for item in uow.interactions.query()]
        first = period_start if period_start is not None else min(days, default=None)
        last = period_end if period_end is not None else max(days, default=None)
        if first is None or last is None:
            return 0, first, last
        start = datetime.combine(first, datetime.min.time(), zone)
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
        count = sum(1 for item in uow.interactions.query() if start <= item.occurred_at < end)
        return count, first, last

    if hasattr(target, "unit_of_work"):
        with target.unit_of_work(read_only=True) as uow:
            count, first, last = read(uow)
    else:
        count, first, last = read(target)
    return QualityReport(title, retailer, zone_name, first, last, count)
