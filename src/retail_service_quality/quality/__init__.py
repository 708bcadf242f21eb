"""Quality: service pledges and guarantees, indicators and criteria, gaps, and review cycles.

Return and refund guarantees (`ReturnGuarantee`) are ordered clauses over a sale and a
returned item, evaluated to an explained `GuaranteeVerdict` by `evaluate_return`. The names
that read records from a store (hotline staffing and actuals, attainment) are loaded on first
use: the storage port itself refers to pledges.

Examples:
    >>> from retail_service_quality.quality import PledgeMeasure, plan_hotline
    >>> PledgeMeasure("answer_time"), plan_hotline.__name__
    (<PledgeMeasure.ANSWER_TIME: 'answer_time'>, 'plan_hotline')
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from retail_service_quality.quality.awards import (
    AwardLevel,
    AwardPeriod,
    AwardPlace,
    AwardRanking,
    AwardResult,
    AwardScheme,
    AwardStatus,
    PublishedPlace,
    RankingMethod,
    TieBreak,
    TieBreakKind,
    award_ranking,
    award_requirement,
    rank_candidates,
    shrunken_shares,
)
from retail_service_quality.quality.criteria import (
    CriterionAlert,
    CriterionResult,
    CriterionStatus,
    PerformanceCriterion,
    StandardReference,
    criteria_rules,
    criterion_in_force,
    evaluate_criteria,
    monitor_criteria,
)
from retail_service_quality.quality.documents import DocumentRef
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
from retail_service_quality.quality.indicators import (
    INDICATOR_GROUPS,
    Direction,
    IndicatorCatalogue,
    IndicatorDefinition,
    IndicatorGroupBy,
    IndicatorSource,
    IndicatorUnit,
    IndicatorValue,
    Measure,
    Statistic,
    TransactionCount,
)
from retail_service_quality.quality.pledges import (
    PledgeMeasure,
    PledgeScope,
    PledgeStandard,
    PledgeVersion,
    ServicePledge,
)

if TYPE_CHECKING:
    from retail_service_quality.quality.attainment import (
        AttainmentGroupBy,
        AttainmentRow,
        AttainmentStatus,
        pledge_attainment,
        shortfall_p_value,
    )
    from retail_service_quality.quality.changes import compare_periods, indicator_pair
    from retail_service_quality.quality.compute import compute_indicators
    from retail_service_quality.quality.gaps import (
        GapFinding,
        GapKind,
        ServiceStandardLevel,
        expectation_gaps,
        pledge_gaps,
        standard_gaps,
        stored_expectation_gaps,
    )
    from retail_service_quality.quality.hotline import (
        HotlineActuals,
        HotlineInterval,
        HotlinePlan,
        IntervalActuals,
        hotline_actuals,
        plan_hotline,
    )
    from retail_service_quality.quality.monitoring import (
        WARNING_BAND,
        PledgeAlert,
        monitor_pledges,
        monitoring_rules,
    )

# Each name loaded on first use, by the module that defines it.
_LAZY: dict[str, str] = {
    "compute_indicators": "compute",
    "compare_periods": "changes",
    "indicator_pair": "changes",
    "AttainmentGroupBy": "attainment",
    "AttainmentRow": "attainment",
    "AttainmentStatus": "attainment",
    "pledge_attainment": "attainment",
    "shortfall_p_value": "attainment",
    "GapFinding": "gaps",
    "GapKind": "gaps",
    "ServiceStandardLevel": "gaps",
    "expectation_gaps": "gaps",
    "pledge_gaps": "gaps",
    "standard_gaps": "gaps",
    "stored_expectation_gaps": "gaps",
    "HotlineActuals": "hotline",
    "HotlineInterval": "hotline",
    "HotlinePlan": "hotline",
    "IntervalActuals": "hotline",
    "hotline_actuals": "hotline",
    "plan_hotline": "hotline",
    "WARNING_BAND": "monitoring",
    "PledgeAlert": "monitoring",
    "monitor_pledges": "monitoring",
    "monitoring_rules": "monitoring",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"retail_service_quality.quality.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AttainmentGroupBy",
    "AttainmentRow",
    "AttainmentStatus",
    "AwardLevel",
    "AwardPeriod",
    "AwardPlace",
    "AwardRanking",
    "AwardResult",
    "AwardScheme",
    "AwardStatus",
    "ClauseOutcome",
    "CriterionAlert",
    "CriterionResult",
    "CriterionStatus",
    "DayCount",
    "Direction",
    "DocumentRef",
    "FACTS",
    "GapFinding",
    "GapKind",
    "GuaranteeClause",
    "GuaranteeVerdict",
    "HotlineActuals",
    "HotlineInterval",
    "HotlinePlan",
    "INDICATOR_GROUPS",
    "INSTANT_FACTS",
    "IndicatorCatalogue",
    "IndicatorDefinition",
    "IndicatorGroupBy",
    "IndicatorSource",
    "IndicatorUnit",
    "IndicatorValue",
    "IntervalActuals",
    "ItemCondition",
    "MAX_DAYS",
    "Measure",
    "PerformanceCriterion",
    "PledgeAlert",
    "PledgeMeasure",
    "PledgeScope",
    "PledgeStandard",
    "PledgeVersion",
    "PublishedPlace",
    "RankingMethod",
    "ReturnFacts",
    "ReturnGuarantee",
    "ReturnRemedy",
    "ReturnedItem",
    "Sale",
    "ServicePledge",
    "ServiceStandardLevel",
    "StandardReference",
    "Statistic",
    "TieBreak",
    "TieBreakKind",
    "TransactionCount",
    "WARNING_BAND",
    "award_ranking",
    "award_requirement",
    "compare_periods",
    "compute_indicators",
    "criteria_rules",
    "criterion_in_force",
    "evaluate_criteria",
    "evaluate_return",
    "expectation_gaps",
    "hotline_actuals",
    "indicator_pair",
    "monitor_criteria",
    "monitor_pledges",
    "monitoring_rules",
    "plan_hotline",
    "pledge_attainment",
    "pledge_gaps",
    "rank_candidates",
    "shortfall_p_value",
    "shrunken_shares",
    "standard_gaps",
    "stored_expectation_gaps",
]
