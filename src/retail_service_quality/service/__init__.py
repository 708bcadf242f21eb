"""Service: interactions with customers on every channel.

Examples:
    >>> from retail_service_quality.service import Channel
    >>> Channel("hotline")
    <Channel.HOTLINE: 'hotline'>
"""

from retail_service_quality.service.interactions import (
    Channel,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.service.sla import (
    SlaPolicy,
    SlaState,
    SlaStatus,
    SlaTarget,
    TargetKind,
    sla_status,
)

__all__ = [
    "Channel",
    "InteractionStatus",
    "ServiceInteraction",
    "SlaPolicy",
    "SlaState",
    "SlaStatus",
    "SlaTarget",
    "TargetKind",
    "sla_status",
]
