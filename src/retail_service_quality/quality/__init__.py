"""Quality: service pledges and guarantees, indicators and criteria, gaps, and review cycles.

Examples:
    >>> from retail_service_quality.quality import plan_hotline
    >>> plan_hotline.__name__
    'plan_hotline'
"""

from retail_service_quality.quality.hotline import (
    HotlineActuals,
    HotlineInterval,
    HotlinePlan,
    IntervalActuals,
    hotline_actuals,
    plan_hotline,
)

__all__ = [
    "HotlineActuals",
    "HotlineInterval",
    "HotlinePlan",
    "IntervalActuals",
    "hotline_actuals",
    "plan_hotline",
]
