"""Service: interactions with customers on every channel, and complaints (ISO 10002).

Examples:
    >>> from retail_service_quality.service import Channel
    >>> Channel("hotline")
    <Channel.HOTLINE: 'hotline'>
"""

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

__all__ = [
    "COMPLAINT_EVENT_KINDS",
    "COMPLAINT_TRANSITIONS",
    "Channel",
    "Complaint",
    "ComplaintAccepted",
    "ComplaintAcknowledged",
    "ComplaintAssessed",
    "ComplaintClosed",
    "ComplaintDeclined",
    "ComplaintEscalated",
    "ComplaintEvent",
    "ComplaintPriority",
    "ComplaintReceived",
    "ComplaintReopened",
    "ComplaintResponded",
    "ComplaintState",
    "CustomerReplied",
    "InteractionDirection",
    "InteractionKind",
    "InteractionStatus",
    "InvestigationStarted",
    "PolicySelection",
    "Remedy",
    "ServiceInteraction",
    "SlaPolicy",
    "SlaState",
    "SlaStatus",
    "SlaTarget",
    "TargetKind",
    "WaitingOnCustomer",
    "complaint_facts",
    "complaint_sla",
    "find_repeat",
    "select_sla_policy",
    "sla_status",
]
