"""Service: interactions with customers on every channel, complaints (ISO 10002) and their analysis.

The complaint desk's one-line API (`receive_complaint`, `step`, `breached`...) lives in
`retail_service_quality.service.services`; its names are loaded from here on first use, since
it reads customers, whose records refer to interactions.

Examples:
    >>> from retail_service_quality.service import Channel
    >>> Channel("hotline")
    <Channel.HOTLINE: 'hotline'>
"""

from importlib import import_module
from typing import Any

from retail_service_quality.service.complaint_analysis import (
    CausePareto,
    ComplaintBy,
    ComplaintCounts,
    ComplaintGroup,
    ParetoCause,
    RemedyOffers,
    RemedyTable,
    ResolutionTimes,
    cause_pareto,
    complaint_counts,
    remedy_match,
    remedy_table,
    repeat_rate,
    resolution_times,
)
from retail_service_quality.service.complaints import (
    COMPLAINT_EVENT_KINDS,
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintAccepted,
    ComplaintAcknowledged,
    ComplaintAssessed,
    ComplaintClosed,
    ComplaintDeclined,
    ComplaintEscalated,
    ComplaintEvent,
    ComplaintPriority,
    ComplaintReceived,
    ComplaintReopened,
    ComplaintResponded,
    ComplaintState,
    CustomerReplied,
    InvestigationStarted,
    Remedy,
    WaitingOnCustomer,
    find_repeat,
)
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    InteractionKind,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.service.sla import (
    PolicySelection,
    SlaPolicy,
    SlaState,
    SlaStatus,
    SlaTarget,
    TargetKind,
    complaint_facts,
    complaint_sla,
    select_sla_policy,
    sla_status,
)

_SERVICES = frozenset(
    {
        "COMPLAINT_STEPS",
        "MARKETING_CHANNELS",
        "DeadlineLine",
        "EscalationLine",
        "about_to_breach",
        "advance_complaint",
        "breached",
        "check_escalations",
        "escalation_facts",
        "receive_complaint",
        "record_interaction",
        "step",
    }
)


def __getattr__(name: str) -> Any:
    if name not in _SERVICES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module("retail_service_quality.service.services"), name)
    globals()[name] = value
    return value


__all__ = [
    "COMPLAINT_EVENT_KINDS",
    "COMPLAINT_STEPS",
    "COMPLAINT_TRANSITIONS",
    "CausePareto",
    "Channel",
    "Complaint",
    "ComplaintAccepted",
    "ComplaintAcknowledged",
    "ComplaintAssessed",
    "ComplaintBy",
    "ComplaintClosed",
    "ComplaintCounts",
    "ComplaintDeclined",
    "ComplaintEscalated",
    "ComplaintEvent",
    "ComplaintGroup",
    "ComplaintPriority",
    "ComplaintReceived",
    "ComplaintReopened",
    "ComplaintResponded",
    "ComplaintState",
    "CustomerReplied",
    "DeadlineLine",
    "EscalationLine",
    "InteractionDirection",
    "InteractionKind",
    "InteractionStatus",
    "InvestigationStarted",
    "MARKETING_CHANNELS",
    "ParetoCause",
    "PolicySelection",
    "Remedy",
    "RemedyOffers",
    "RemedyTable",
    "ResolutionTimes",
    "ServiceInteraction",
    "SlaPolicy",
    "SlaState",
    "SlaStatus",
    "SlaTarget",
    "TargetKind",
    "WaitingOnCustomer",
    "about_to_breach",
    "advance_complaint",
    "breached",
    "cause_pareto",
    "check_escalations",
    "complaint_counts",
    "complaint_facts",
    "complaint_sla",
    "escalation_facts",
    "find_repeat",
    "receive_complaint",
    "record_interaction",
    "remedy_match",
    "remedy_table",
    "repeat_rate",
    "resolution_times",
    "select_sla_policy",
    "sla_status",
    "step",
]
