"""Reports: the information disclosure report, as text, JSON and a self-contained HTML page.

Examples:
    >>> from retail_service_quality.reports import DisclosureStatus
    >>> DisclosureStatus("met").label
    'Met'
"""

from retail_service_quality.reports.disclosure import (
    DISCLOSURE_JSON_FORMAT,
    DisclosureEvidence,
    DisclosureLine,
    DisclosureReport,
    DisclosureStatus,
    DisclosureTrend,
    disclosure_report,
)
from retail_service_quality.reports.quality import quality_report as quality_report

__all__ = [
    "DISCLOSURE_JSON_FORMAT",
    "DisclosureEvidence",
    "DisclosureLine",
    "DisclosureReport",
    "DisclosureStatus",
    "DisclosureTrend",
    "disclosure_report",
]
