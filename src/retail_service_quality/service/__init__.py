"""Service: interactions with customers on every channel.

Examples:
    >>> from retail_service_quality.service import Channel
    >>> Channel("hotline")
    <Channel.HOTLINE: 'hotline'>
"""

from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    InteractionKind,
    InteractionStatus,
    ServiceInteraction,
)

__all__ = [
    "Channel",
    "InteractionDirection",
    "InteractionKind",
    "InteractionStatus",
    "ServiceInteraction",
]
