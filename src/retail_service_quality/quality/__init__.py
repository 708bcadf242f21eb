"""Quality: service pledges and guarantees, indicators and criteria, gaps, and review cycles.

Return and refund guarantees (`ReturnGuarantee`) are ordered clauses over a
sale and a returned item, evaluated to an explained `GuaranteeVerdict` by
`evaluate_return`.

Examples:
    >>> from retail_service_quality.quality import ReturnGuarantee
    >>> ReturnGuarantee.default().id
    'returns.standard'
"""

from retail_service_quality.quality.guarantees import (
    FACTS,
    INSTANT_FACTS,
    MAX_DAYS,
    ClauseOutcome,
    DayCount,
    GuaranteeClause,
    GuaranteeVerdict,
    ItemCondition,
    ReturnedItem,
    ReturnFacts,
    ReturnGuarantee,
    ReturnRemedy,
    Sale,
    evaluate_return,
)

__all__ = [
    "FACTS",
    "INSTANT_FACTS",
    "MAX_DAYS",
    "ClauseOutcome",
    "DayCount",
    "GuaranteeClause",
    "GuaranteeVerdict",
    "ItemCondition",
    "ReturnFacts",
    "ReturnGuarantee",
    "ReturnRemedy",
    "ReturnedItem",
    "Sale",
    "evaluate_return",
]
