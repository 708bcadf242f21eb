"""Service interactions: every contact with a customer, on every channel.

The competency standards name the channels a retailer serves customers
through: meetings (in store), the hotline, email, online and social media,
feedback forms and fax. A `ServiceInteraction` records one contact as a
contact centre or a shop floor does: its kind (enquiry, feedback, purchase
assistance, complaint, compliment, return, follow-up), who started it, the
staff member and the customer (walk-ins stay anonymous), when it was
received, first answered and closed, the call timings, whether it was
resolved at first contact, the needs identified and products recommended,
and the customer's feedback.

A new interaction is `InteractionStatus.OPEN` unless the caller says
otherwise.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> contact = ServiceInteraction(
    ...     id="I-1",
    ...     store_id="HK-CWB",
    ...     channel=Channel.HOTLINE,
    ...     kind=InteractionKind.ENQUIRY,
    ...     occurred_at=datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc),
    ...     subject="delivery",
    ...     queue_time=timedelta(seconds=40),
    ...     talk_time=timedelta(minutes=4),
    ...     after_call_work=timedelta(minutes=1),
    ...     notes="asked to call back after 6pm",
    ... )
    >>> contact.channel.value, contact.status.value, contact.handle_time
    ('hotline', 'open', datetime.timedelta(seconds=300))
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
from retail_service_quality._internal.times import instant_problem
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_duration,
    check_enum,
    check_id,
    check_id_list,
    check_text,
    check_version,
    lenient_enum,
    masked,
    raise_problems,
)
from retail_service_quality.errors import Problems, join_path

__all__ = [
    "Channel",
    "InteractionDirection",
    "InteractionKind",
    "InteractionStatus",
    "ServiceInteraction",
]


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


class InteractionKind(StrEnum):
    """What a contact is about, as a contact centre or a shop floor records it.

    Examples:
        >>> InteractionKind("purchase_assistance") is InteractionKind.PURCHASE_ASSISTANCE
        True
    """

    ENQUIRY = "enquiry"
    FEEDBACK = "feedback"
    PURCHASE_ASSISTANCE = "purchase_assistance"
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    RETURN = "return"
    FOLLOW_UP = "follow_up"


class InteractionDirection(StrEnum):
    """Who started a contact: the customer (inbound) or the retailer (outbound).

    Examples:
        >>> InteractionDirection("outbound").value
        'outbound'
    """

    INBOUND = "inbound"
    OUTBOUND = "outbound"


def _channel(value: Channel | str) -> Channel:
    return lenient_enum(Channel, value)


def _status(value: InteractionStatus | str) -> InteractionStatus:
    return lenient_enum(InteractionStatus, value)


def _kind(value: InteractionKind | str) -> InteractionKind:
    return lenient_enum(InteractionKind, value)


def _direction(value: InteractionDirection | str) -> InteractionDirection:
    return lenient_enum(InteractionDirection, value)


def _to_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # reported by validation
    return tuple(value)


_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001  # naive: the wall clock is read as UTC minus its offset
_US = timedelta(microseconds=1)

# The parts of a call's handle time, by field name.
_CALL_PARTS = ("talk_time", "hold_time", "after_call_work")


def _instant(moment: datetime) -> int:
    """Microseconds from 1970 UTC to an aware datetime's instant (exact at the range ends)."""
    offset = moment.utcoffset() or timedelta(0)
    return (moment.replace(tzinfo=None) - _EPOCH) // _US - offset // _US


@attrs.frozen(kw_only=True)
class ServiceInteraction:
    """One contact with a customer.

    Times are instants: ``first_response_at`` and ``closed_at`` must not be
    before ``occurred_at``, nor ``closed_at`` before ``first_response_at``,
    whatever zones they are given in.

    ``handle_time`` is talk, hold and after-call work together. When any of
    ``talk_time``, ``hold_time`` and ``after_call_work`` is given, it is their
    sum (the parts left out count as zero), and a ``handle_time`` given beside
    them must equal that sum; otherwise it stays as given (``None`` if not
    measured). `evolve` recomputes it when a part changes.

    Attributes:
        id: the interaction's identifier.
        store_id: the store (or business unit) that handled it.
        channel: the `Channel` it came through (its value is accepted too).
        occurred_at: when it was received, or started for an outbound contact
            (timezone-aware).
        kind: what it was, an `InteractionKind` (enquiry unless given).
        direction: who started it, an `InteractionDirection` (inbound unless given);
            an outbound contact must name its customer.
        customer_id: the customer, if known (walk-in enquiries are anonymous).
        status: whether it is open, resolved or escalated (open unless given).
        subject: what it was about, as a category (``"returns"``, ``"delivery"``).
        needs: the needs identified, as categories.
        products_recommended: the identifiers of the products recommended, each once.
        first_response_at: when staff first answered (timezone-aware), if recorded.
        closed_at: when it was closed (timezone-aware), if it was.
        queue_time: for a call, how long the caller waited in the queue.
        talk_time: for a call, how long the agent talked with the caller.
        hold_time: for a call, how long the caller was on hold.
        after_call_work: for a call, the agent's work after hanging up.
        handle_time: talk, hold and after-call work together, if measured: their sum
            when any of them is given.
        abandoned: a call the caller hung up while waiting in the queue: it has no
            talk time.
        resolved_first_contact: whether the need was met at the first contact, or
            ``None`` if not known.
        agent_id: the staff member who handled it, if recorded.
        feedback: what the customer said, in their words (personal data).
        notes: free text (treated as personal data: it often holds some).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> visit = ServiceInteraction(
        ...     id="I-2",
        ...     store_id="HK-TST",
        ...     channel="meeting",
        ...     kind="purchase_assistance",
        ...     occurred_at=datetime(2026, 11, 21, 15, 0, tzinfo=timezone.utc),
        ...     needs=["gift wrapping", "size exchange"],
        ...     products_recommended=["SKU-1001"],
        ...     status="resolved",
        ...     resolved_first_contact=True,
        ... )
        >>> visit.channel, visit.needs, visit.customer_id
        (<Channel.MEETING: 'meeting'>, ('gift wrapping', 'size exchange'), None)
        >>> ServiceInteraction(id="I-3", store_id="HK-TST", channel="hotline",
        ...     direction="outbound", abandoned=True, talk_time=timedelta(minutes=1),
        ...     occurred_at=datetime(2026, 11, 21, tzinfo=timezone.utc))
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: 2 problems:
          $.customer_id: an outbound contact must name its customer
          $.talk_time: an abandoned call has no talk time

    Raises:
        ValidationError: every problem, with its path (never the value).
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    store_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    channel: Channel = attrs.field(default=REQUIRED, converter=_channel)
    occurred_at: datetime = attrs.field(default=REQUIRED)
    kind: InteractionKind = attrs.field(default=InteractionKind.ENQUIRY, converter=_kind)
    direction: InteractionDirection = attrs.field(
        default=InteractionDirection.INBOUND, converter=_direction
    )
    customer_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    status: InteractionStatus = attrs.field(default=InteractionStatus.OPEN, converter=_status)
    subject: str = ""
    needs: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple)
    products_recommended: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple)
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    queue_time: timedelta | None = attrs.field(default=None, metadata=DURATION)
    talk_time: timedelta | None = attrs.field(default=None, metadata=DURATION)
    hold_time: timedelta | None = attrs.field(default=None, metadata=DURATION)
    after_call_work: timedelta | None = attrs.field(default=None, metadata=DURATION)
    handle_time: timedelta | None = attrs.field(default=None, metadata=DURATION)
    abandoned: bool = False
    resolved_first_contact: bool | None = None
    agent_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    feedback: str = attrs.field(
        default="", repr=masked, metadata=personal(PersonalDataClass.FREE_TEXT)
    )
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
        check_enum(self.kind, InteractionKind, "$.kind", problems)
        check_enum(self.direction, InteractionDirection, "$.direction", problems)
        check_id(self.customer_id, "$.customer_id", problems, optional=True)
        if self.direction is InteractionDirection.OUTBOUND and self.customer_id is None:
            problems.add("$.customer_id", "an outbound contact must name its customer", "required")
        check_enum(self.status, InteractionStatus, "$.status", problems)
        check_text(self.subject, "$.subject", problems)
        if not isinstance(self.needs, tuple):
            problems.add("$.needs", "must be a list of categories", "type")
        else:
            for index, need in enumerate(self.needs):
                check_text(need, join_path("$.needs", index), problems)
        check_id_list(self.products_recommended, "$.products_recommended", problems, required=False)
        self._check_times(problems)
        self._check_call(problems)
        if not isinstance(self.resolved_first_contact, bool | None):
            problems.add("$.resolved_first_contact", "must be true, false or null", "type")
        check_id(self.agent_id, "$.agent_id", problems, optional=True)
        check_text(self.feedback, "$.feedback", problems)
        check_text(self.notes, "$.notes", problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    def _check_times(self, problems: Problems) -> None:
        """The optional times aware and in range; all three in order as instants."""
        ordered: list[tuple[str, int]] = []
        if instant_problem(self.occurred_at) is None:
            ordered.append(("occurred_at", _instant(self.occurred_at)))
        for name in ("first_response_at", "closed_at"):
            value = getattr(self, name)
            if value is None:
                continue
            check_aware(value, join_path("$", name), problems)
            if instant_problem(value) is None:
                ordered.append((name, _instant(value)))
        for index, (name, at) in enumerate(ordered):
            earlier = next((before for before, then in ordered[:index] if at < then), None)
            if earlier is not None:
                problems.add(join_path("$", name), f"must not be before {earlier}", "inconsistent")

    def _check_call(self, problems: Problems) -> None:
        """The call timings; the handle time derived from its parts when they are given."""
        check_duration(self.queue_time, "$.queue_time", problems)
        parts_ok = True
        for name in _CALL_PARTS:
            before = len(problems)
            check_duration(getattr(self, name), join_path("$", name), problems)
            parts_ok = parts_ok and len(problems) == before
        check_duration(self.handle_time, "$.handle_time", problems)
        if not isinstance(self.abandoned, bool):
            problems.add("$.abandoned", "must be true or false", "type")
        elif self.abandoned and isinstance(self.talk_time, timedelta) and self.talk_time:
            problems.add("$.talk_time", "an abandoned call has no talk time", "inconsistent")
        parts = [getattr(self, name) for name in _CALL_PARTS]
        if not parts_ok or all(part is None for part in parts):
            return
        total = sum((part for part in parts if part is not None), timedelta(0))
        if self.handle_time is None:
            if total > timedelta(days=366):
                problems.add(
                    "$.handle_time",
                    "talk, hold and after-call work together must not exceed 366 days",
                    "range",
                )
            else:
                object.__setattr__(self, "handle_time", total)
        elif isinstance(self.handle_time, timedelta) and self.handle_time != total:
            problems.add(
                "$.handle_time",
                "must equal talk + hold + after-call work when those are given",
                "inconsistent",
            )

    def evolve(self, **changes: Any) -> ServiceInteraction:
        """A copy with some fields changed, validated again.

        When a call timing (talk, hold, after-call work) changes and
        ``handle_time`` is not given, the handle time is derived again.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> contact = ServiceInteraction(
            ...     id="I-3",
            ...     store_id="HK-CWB",
            ...     channel="email",
            ...     occurred_at=datetime(2026, 11, 21, tzinfo=timezone.utc),
            ...     talk_time=timedelta(minutes=3),
            ... )
            >>> contact.evolve(status="resolved").status
            <InteractionStatus.RESOLVED: 'resolved'>
            >>> contact.evolve(hold_time=timedelta(minutes=2)).handle_time
            datetime.timedelta(seconds=300)
        """
        if "handle_time" not in changes and any(name in changes for name in _CALL_PARTS):
            changes["handle_time"] = None
        return attrs.evolve(self, **changes)
