"""Reports: the information disclosure report and the quality report, as text, JSON and a
self-contained HTML page.

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
from retail_service_quality.reports.quality import (
    QUALITY_JSON_FORMAT,
    CategoryCount,
    CauseLine,
    ComplaintSection,
    ConsentSection,
    HotlineFigures,
    InteractionSection,
    PledgeSection,
    QualityReport,
    SlaBreaches,
    StoreAttainment,
    Volume,
    WeekVolume,
    quality_report,
)

__all__ = [
    "CategoryCount",
    "CauseLine",
    "ComplaintSection",
    "ConsentSection",
    "DISCLOSURE_JSON_FORMAT",
    "DisclosureEvidence",
    "DisclosureLine",
    "DisclosureReport",
    "DisclosureStatus",
    "DisclosureTrend",
    "HotlineFigures",
    "InteractionSection",
    "PledgeSection",
    "QUALITY_JSON_FORMAT",
    "QualityReport",
    "SlaBreaches",
    "StoreAttainment",
    "Volume",
    "WeekVolume",
    "disclosure_report",
    "quality_report",
]
