"""Quality: service pledges and guarantees, indicators and criteria, gaps, and review cycles.

Examples:
    >>> from retail_service_quality.quality import PledgeMeasure
    >>> PledgeMeasure("answer_time")
    <PledgeMeasure.ANSWER_TIME: 'answer_time'>
"""

from retail_service_quality.quality.attainment import (
    AttainmentGroupBy,
    AttainmentRow,
    AttainmentStatus,
    pledge_attainment,
    shortfall_p_value,
)
from retail_service_quality.quality.pledges import (
    PledgeMeasure,
    PledgeScope,
    PledgeStandard,
    PledgeVersion,
    ServicePledge,
)

__all__ = [
    "AttainmentGroupBy",
    "AttainmentRow",
    "AttainmentStatus",
    "PledgeMeasure",
    "PledgeScope",
    "PledgeStandard",
    "PledgeVersion",
    "ServicePledge",
    "pledge_attainment",
    "shortfall_p_value",
]
