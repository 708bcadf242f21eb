"""Service interactions: every contact with a customer, on every channel.

The competency standards name the channels a retailer serves customers
through: meetings (in store), the hotline, email, online and social media,
feedback forms and fax. A `ServiceInteraction` records one contact: where
and when, through which channel, about what, the needs identified, how long
it took, and whether it is still open.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> contact = ServiceInteraction(
    ...     id="I-1",
    ...     store_id="HK-CWB",
    ...     channel=Channel.HOTLINE,
    ...     occurred_at=datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc),
    ...     subject="delivery",
    ...     handle_time=timedelta(minutes=6),
    ...     notes="asked to call back after 6pm",
    ... )
    >>> contact.channel.value, contact.status.value
    ('hotline', 'resolved')
    >>> "call back" in repr(contact)
    False
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import attrs

from retail_service_quality._internal.personal import PersonalDataClass, personal
from retail_service_quality._internal.schema import DURATION, IDENTIFIER, VERSION
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_duration,
    check_enum,
    check_id,
    check_text,
    check_version,
    lenient_enum,
    masked,
    raise_problems,
)
from retail_service_quality.errors import Problems, join_path

__all__ = ["Channel", "InteractionStatus", "ServiceInteraction"]


class Channel(StrEnum):
    """The channels through which customers reach the retailer.

    Examples:
        >>> Channel("email") is Channel.EMAIL
        True
    """

    MEETING = "meeting"
    HOTLINE = "hotline"
    EMAIL = "email"
    ONLINE = "online"
    SOCIAL = "social"
    FEEDBACK_FORM = "feedback_form"
    FAX = "fax"


class InteractionStatus(StrEnum):
    """Where an interaction stands.

    Examples:
        >>> InteractionStatus("open").value
        'open'
    """

    OPEN = "open"
    RESOLVED = "resolved"
    ESCALATED = "escalated"


def _channel(value: Channel | str) -> Channel:
    return lenient_enum(Channel, value)


def _status(value: InteractionStatus | str) -> InteractionStatus:
    return lenient_enum(InteractionStatus, value)


def _to_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # reported by validation
    return tuple(value)


@attrs.frozen(kw_only=True)
class ServiceInteraction:
    """One contact with a customer.

    Attributes:
        id: the interaction's identifier.
        store_id: the store (or business unit) that handled it.
        channel: the `Channel` it came through (its value is accepted too).
        occurred_at: when it started (timezone-aware).
        customer_id: the customer, if known.
        status: whether it is open, resolved or escalated.
        subject: what it was about, as a category (``"returns"``, ``"delivery"``).
        needs: the needs identified, as categories.
        handle_time: talk, hold and after-contact work together, if measured.
        agent_id: who handled it, if recorded.
        notes: free text (treated as personal data: it often holds some).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> visit = ServiceInteraction(
        ...     id="I-2",
        ...     store_id="HK-TST",
        ...     channel="meeting",
        ...     occurred_at=datetime(2026, 11, 21, 15, 0, tzinfo=timezone.utc),
        ...     needs=["gift wrapping", "size exchange"],
        ... )
        >>> visit.channel, visit.needs
        (<Channel.MEETING: 'meeting'>, ('gift wrapping', 'size exchange'))

    Raises:
        ValidationError: every problem, with its path (never the value).
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    store_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    channel: Channel = attrs.field(default=REQUIRED, converter=_channel)
    occurred_at: datetime = attrs.field(default=REQUIRED)
    customer_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    status: InteractionStatus = attrs.field(default=InteractionStatus.RESOLVED, converter=_status)
    subject: str = ""
    needs: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple)
    handle_time: timedelta | None = attrs.field(default=None, metadata=DURATION)
    agent_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    notes: str = attrs.field(
        default="", repr=masked, metadata=personal(PersonalDataClass.FREE_TEXT)
    )
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.store_id, "$.store_id", problems)
        check_enum(self.channel, Channel, "$.channel", problems)
        check_aware(self.occurred_at, "$.occurred_at", problems)
        check_id(self.customer_id, "$.customer_id", problems, optional=True)
        check_enum(self.status, InteractionStatus, "$.status", problems)
        check_text(self.subject, "$.subject", problems)
        if not isinstance(self.needs, tuple):
            problems.add("$.needs", "must be a list of categories", "type")
        else:
            for index, need in enumerate(self.needs):
                check_text(need, join_path("$.needs", index), problems)
        check_duration(self.handle_time, "$.handle_time", problems)
        check_id(self.agent_id, "$.agent_id", problems, optional=True)
        check_text(self.notes, "$.notes", problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    def evolve(self, **changes: Any) -> ServiceInteraction:
        """A copy with some fields changed, validated again.

        Examples:
            >>> from datetime import datetime, timezone
            >>> contact = ServiceInteraction(
            ...     id="I-3",
            ...     store_id="HK-CWB",
            ...     channel="email",
            ...     occurred_at=datetime(2026, 11, 21, tzinfo=timezone.utc),
            ...     status="open",
            ... )
            >>> contact.evolve(status="resolved").status
            <InteractionStatus.RESOLVED: 'resolved'>
        """
        return attrs.evolve(self, **changes)
