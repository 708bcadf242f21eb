"""Quality: service pledges and guarantees, indicators and criteria, gaps, and review cycles.

Examples:
    >>> from retail_service_quality.quality import PledgeMeasure
    >>> PledgeMeasure("answer_time")
    <PledgeMeasure.ANSWER_TIME: 'answer_time'>
"""

from retail_service_quality.quality.pledges import (
    PledgeMeasure,
    PledgeScope,
    PledgeStandard,
    PledgeVersion,
    ServicePledge,
)

__all__ = [
    "PledgeMeasure",
    "PledgeScope",
    "PledgeStandard",
    "PledgeVersion",
    "ServicePledge",
]
