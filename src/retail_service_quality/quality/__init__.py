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

from retail_service_quality.quality.actions import (
    ACTION_MOVES,
    OWNER,
    ActionMove,
    ActionReminder,
    ActionStatus,
    ActionStep,
    ActionTarget,
    ActionType,
    FindingKind,
    FindingRef,
    ImprovementAction,
    action_reminder_rules,
    action_reminders,
    move_action,
    raise_action,
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
    from retail_service_quality.quality.action_effects import (
        ActionEffect,
        ActionVerdict,
        action_effect,
        stored_action_effect,
    )
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
    "ActionEffect": "action_effects",
    "ActionVerdict": "action_effects",
    "action_effect": "action_effects",
    "stored_action_effect": "action_effects",
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
    "ACTION_MOVES",
    "ActionEffect",
    "ActionMove",
    "ActionReminder",
    "ActionStatus",
    "ActionStep",
    "ActionTarget",
    "ActionType",
    "ActionVerdict",
    "AttainmentGroupBy",
    "AttainmentRow",
    "AttainmentStatus",
    "ClauseOutcome",
    "CriterionAlert",
    "CriterionResult",
    "CriterionStatus",
    "DayCount",
    "Direction",
    "DocumentRef",
    "FACTS",
    "FindingKind",
    "FindingRef",
    "GapFinding",
    "GapKind",
    "GuaranteeClause",
    "GuaranteeVerdict",
    "HotlineActuals",
    "HotlineInterval",
    "HotlinePlan",
    "INDICATOR_GROUPS",
    "INSTANT_FACTS",
    "ImprovementAction",
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
    "OWNER",
    "PerformanceCriterion",
    "PledgeAlert",
    "PledgeMeasure",
    "PledgeScope",
    "PledgeStandard",
    "PledgeVersion",
    "ReturnFacts",
    "ReturnGuarantee",
    "ReturnRemedy",
    "ReturnedItem",
    "Sale",
    "ServicePledge",
    "ServiceStandardLevel",
    "StandardReference",
    "Statistic",
    "TransactionCount",
    "WARNING_BAND",
    "action_effect",
    "action_reminder_rules",
    "action_reminders",
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
    "move_action",
    "plan_hotline",
    "pledge_attainment",
    "pledge_gaps",
    "raise_action",
    "shortfall_p_value",
    "standard_gaps",
    "stored_action_effect",
    "stored_expectation_gaps",
]
