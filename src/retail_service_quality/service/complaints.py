"""Complaints, handled as ISO 10002 describes: an event-recorded lifecycle.

A `Complaint` is never a row of mutable columns. It is its events, in order:
received (with the remedy the customer asks for), acknowledged, assessed,
investigation started, waiting on the customer and the customer's reply,
responded (the remedy offered), accepted or declined by the customer,
escalated (recourse), closed (root cause and corrective action) and
reopened. Its `ComplaintState`, the remedies asked for and offered, the
intervals it waited on the customer (`Complaint.pauses`) and when it was
received and closed are all derived from those events, never stored apart.

Each step is a method that returns a new complaint with one event appended;
the legal steps from each state are the table `COMPLAINT_TRANSITIONS`, and a step the
current state does not allow raises `InvalidTransitionError`.

Examples:
    >>> from datetime import datetime, timezone
    >>> def at(hour):
    ...     return datetime(2026, 11, 30, hour, tzinfo=timezone.utc)
    >>> complaint = Complaint.receive(
    ...     id="CMP-1", at=at(9), channel="hotline", store_id="HK-CWB",
    ...     category="late_delivery", remedy_requested="refund",
    ...     description="the sofa came two weeks late",
    ... )
    >>> complaint = complaint.acknowledge(at=at(10), by="S-7")
    >>> complaint.state
    <ComplaintState.ACKNOWLEDGED: 'acknowledged'>
    >>> complaint.close(at=at(11), root_cause="carrier", corrective_action="new_carrier")
    Traceback (most recent call last):
    ...
    retail_service_quality.errors.InvalidTransitionError: cannot close a complaint that is acknowledged: the steps allowed now are assess
    >>> "two weeks" in repr(complaint)
    False
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, Final, TypeAlias, TypeVar

import attrs

from retail_service_quality._internal.personal import PersonalDataClass, personal
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION
from retail_service_quality._internal.times import instant_problem
from retail_service_quality._internal.validation import (
    MAX_VERSION,
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_text,
    check_version,
    lenient_enum,
    masked,
    raise_problems,
)
from retail_service_quality.calendar import SUPPORTED_RANGE
from retail_service_quality.errors import (
    InvalidTransitionError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.service.interactions import Channel
from retail_service_quality.service.sla import (
    Pause,
    SlaPolicy,
    SlaStatus,
    TargetKind,
)

__all__ = [
    "COMPLAINT_EVENT_KINDS",
    "COMPLAINT_TRANSITIONS",
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
    "InvestigationStarted",
    "Remedy",
    "WaitingOnCustomer",
    "find_repeat",
]


class ComplaintState(StrEnum):
    """Where a complaint stands; derived from its events (`Complaint.state`).

    Examples:
        >>> ComplaintState("waiting_on_customer") is ComplaintState.WAITING_ON_CUSTOMER
        True
    """

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSESSED = "assessed"
    INVESTIGATING = "investigating"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    RESPONDED = "responded"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ESCALATED = "escalated"
    CLOSED = "closed"


class Remedy(StrEnum):
    """A remedy a customer asks for, or a retailer offers.

    Examples:
        >>> [remedy.value for remedy in Remedy][:3]
        ['refund', 'exchange', 'repair']
    """

    REFUND = "refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    CREDIT = "credit"
    """A credit note or a coupon."""
    GOODWILL = "goodwill"
    """A goodwill gesture."""
    APOLOGY = "apology"
    EXPLANATION = "explanation"


class ComplaintPriority(StrEnum):
    """How urgently a complaint is to be handled, set when it is assessed.

    Examples:
        >>> ComplaintPriority("urgent")
        <ComplaintPriority.URGENT: 'urgent'>
    """

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


S = ComplaintState

COMPLAINT_TRANSITIONS: Final[Mapping[ComplaintState, Mapping[str, ComplaintState]]] = (
    MappingProxyType(
        {
            S.RECEIVED: MappingProxyType({"acknowledged": S.ACKNOWLEDGED}),
            S.ACKNOWLEDGED: MappingProxyType({"assessed": S.ASSESSED}),
            S.ASSESSED: MappingProxyType(
                {"investigation_started": S.INVESTIGATING, "escalated": S.ESCALATED}
            ),
            S.INVESTIGATING: MappingProxyType(
                {
                    "waiting_on_customer": S.WAITING_ON_CUSTOMER,
                    "responded": S.RESPONDED,
                    "escalated": S.ESCALATED,
                }
            ),
            S.WAITING_ON_CUSTOMER: MappingProxyType({"customer_replied": S.INVESTIGATING}),
            S.RESPONDED: MappingProxyType({"accepted": S.ACCEPTED, "declined": S.DECLINED}),
            S.ACCEPTED: MappingProxyType({"closed": S.CLOSED}),
            S.DECLINED: MappingProxyType(
                {"responded": S.RESPONDED, "escalated": S.ESCALATED, "closed": S.CLOSED}
            ),
            S.ESCALATED: MappingProxyType(
                {
                    "investigation_started": S.INVESTIGATING,
                    "responded": S.RESPONDED,
                    "closed": S.CLOSED,
                }
            ),
            S.CLOSED: MappingProxyType({"reopened": S.INVESTIGATING}),
        }
    )
)
"""The legal steps: for each state, the ``kind`` of each event allowed next and the state it
leads to. A complaint starts ``received`` (its first event); reopening a closed complaint
returns it to ``investigating``. Closing also needs a remedy to have been offered: a
complaint escalated before any response cannot be closed until one is."""

del S


# ---------------------------------------------------------------- events


def _check_tag(instance: Any, problems: Problems) -> None:
    if instance.kind != instance.KIND:
        code = "unknown_choice" if isinstance(instance.kind, str) else "type"
        problems.add("$.kind", f"must be '{instance.KIND}' for this event", code)


def _remedy(value: Remedy | str | None) -> Remedy | None:
    return lenient_enum(Remedy, value)


def _optional_priority(value: ComplaintPriority | str | None) -> ComplaintPriority | None:
    return lenient_enum(ComplaintPriority, value)


def _priority(value: ComplaintPriority | str) -> ComplaintPriority:
    return lenient_enum(ComplaintPriority, value)


def _channel(value: Channel | str) -> Channel:
    return lenient_enum(Channel, value)


def _instant(moment: datetime) -> datetime:
    """The UTC instant of an aware datetime: what comparisons and differences use."""
    return moment.astimezone(UTC)


_NUMBER = f"must be a whole number from 0 (not yet numbered) to {MAX_VERSION} (2**53 - 1)"


@attrs.frozen(kw_only=True)
class _Event:
    """What every complaint event has: an instant, the staff member (optional), its tag."""

    KIND: ClassVar[str] = ""
    STEP: ClassVar[str] = ""  # the step's name in messages: the Complaint method's verb

    at: datetime = attrs.field(default=REQUIRED)
    by: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    number: int = 0

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_aware(self.at, "$.at", problems)
        check_id(self.by, "$.by", problems, optional=True)
        if isinstance(self.number, bool) or not isinstance(self.number, int):
            problems.add("$.number", _NUMBER, "type")
        elif not 0 <= self.number <= MAX_VERSION:
            problems.add("$.number", _NUMBER, "range")
        _check_tag(self, problems)
        self._check(problems)
        raise_problems(self, problems)

    def _check(self, problems: Problems) -> None:
        """The checks of one kind of event."""


@attrs.frozen(kw_only=True)
class ComplaintReceived(_Event):
    """A complaint received: always a complaint's first event, and its only such event.

    Attributes:
        at: when it was received (timezone-aware).
        by: the staff member who took it, if recorded.
        number: its position in the complaint's history: always 1, the receipt comes first.
        reference: the complaint's unique reference: its id.
        channel: the `Channel` it came through (its value is accepted too).
        store_id: the store (or business unit) it is about.
        category: what it is about, as a category id (``"late_delivery"``).
        customer_id: the customer, if known (a complaint can be anonymous).
        description: what the customer said (free text: personal data, never shown).
        remedy_requested: the `Remedy` the customer asks for, if they said.
        priority: the `ComplaintPriority` given on receipt (a hotline flags a case as
            urgent), if any, until an assessment sets one.
        repeat_of: the id of an earlier complaint this one repeats (`find_repeat`).
        kind: the event's type tag in JSON, always ``"received"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> event = ComplaintReceived(
        ...     at=datetime(2026, 11, 30, 9, tzinfo=timezone.utc), reference="CMP-1",
        ...     channel="email", store_id="HK-CWB", category="billing",
        ...     description="charged twice", remedy_requested="refund",
        ... )
        >>> event.remedy_requested, "charged" in repr(event)
        (<Remedy.REFUND: 'refund'>, False)

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "received"
    STEP: ClassVar[str] = "receive"

    reference: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    channel: Channel = attrs.field(default=REQUIRED, converter=_channel)
    store_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    category: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    customer_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    description: str = attrs.field(
        default="", repr=masked, metadata=personal(PersonalDataClass.FREE_TEXT)
    )
    remedy_requested: Remedy | None = attrs.field(default=None, converter=_remedy)
    repeat_of: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    priority: ComplaintPriority | None = attrs.field(default=None, converter=_optional_priority)
    number: int = 1
    kind: str = "received"

    def _check(self, problems: Problems) -> None:
        check_id(self.reference, "$.reference", problems)
        check_enum(self.channel, Channel, "$.channel", problems)
        check_id(self.store_id, "$.store_id", problems)
        check_id(self.category, "$.category", problems)
        check_id(self.customer_id, "$.customer_id", problems, optional=True)
        check_text(self.description, "$.description", problems)
        if self.remedy_requested is not None:
            check_enum(self.remedy_requested, Remedy, "$.remedy_requested", problems)
        check_id(self.repeat_of, "$.repeat_of", problems, optional=True)
        if self.priority is not None:
            check_enum(self.priority, ComplaintPriority, "$.priority", problems)
        if self.repeat_of is not None and self.repeat_of == self.reference:
            problems.add("$.repeat_of", "must name another complaint than this one", "inconsistent")


@attrs.frozen(kw_only=True)
class ComplaintAcknowledged(_Event):
    """The customer was told the complaint was received.

    Attributes:
        at: when the acknowledgement was sent (timezone-aware).
        by: the staff member who sent it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        kind: the event's type tag in JSON, always ``"acknowledged"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintAcknowledged(at=datetime(2026, 11, 30, tzinfo=timezone.utc)).kind
        'acknowledged'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "acknowledged"
    STEP: ClassVar[str] = "acknowledge"

    kind: str = "acknowledged"


@attrs.frozen(kw_only=True)
class ComplaintAssessed(_Event):
    """The complaint assessed: its severity, priority and (re-)categorisation.

    Attributes:
        at: when it was assessed (timezone-aware).
        by: the staff member who assessed it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        severity: from 1 (minor) to 4 (critical).
        priority: a `ComplaintPriority` (its value is accepted too).
        category: the category found on assessment; ``None`` keeps the one received.
        kind: the event's type tag in JSON, always ``"assessed"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintAssessed(
        ...     at=datetime(2026, 11, 30, tzinfo=timezone.utc), severity=2, priority="high",
        ... ).priority
        <ComplaintPriority.HIGH: 'high'>

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "assessed"
    STEP: ClassVar[str] = "assess"

    severity: int = attrs.field(default=REQUIRED)
    priority: ComplaintPriority = attrs.field(default=REQUIRED, converter=_priority)
    category: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    kind: str = "assessed"

    def _check(self, problems: Problems) -> None:
        if isinstance(self.severity, bool) or not isinstance(self.severity, int):
            problems.add("$.severity", "must be an integer from 1 to 4", "type")
        elif not 1 <= self.severity <= 4:
            problems.add("$.severity", "must be an integer from 1 to 4", "range")
        check_enum(self.priority, ComplaintPriority, "$.priority", problems)
        check_id(self.category, "$.category", problems, optional=True)


@attrs.frozen(kw_only=True)
class InvestigationStarted(_Event):
    """Investigation of the complaint started (or resumed after an escalation or reopening).

    Attributes:
        at: when it started (timezone-aware).
        by: the staff member investigating, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        kind: the event's type tag in JSON, always ``"investigation_started"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> InvestigationStarted(at=datetime(2026, 11, 30, tzinfo=timezone.utc), by="S-2").by
        'S-2'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "investigation_started"
    STEP: ClassVar[str] = "investigate"

    kind: str = "investigation_started"


@attrs.frozen(kw_only=True)
class WaitingOnCustomer(_Event):
    """The complaint waits on the customer (for a receipt, a photo, a visit): a pause begins.

    Attributes:
        at: when the wait began (timezone-aware).
        by: the staff member who asked, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        reason: what is awaited, as an identifier or short text (``"receipt"``).
        kind: the event's type tag in JSON, always ``"waiting_on_customer"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> WaitingOnCustomer(at=datetime(2026, 11, 30, tzinfo=timezone.utc), reason="receipt").reason
        'receipt'

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    KIND: ClassVar[str] = "waiting_on_customer"
    STEP: ClassVar[str] = "wait_on_customer"

    reason: str = attrs.field(default=REQUIRED)
    kind: str = "waiting_on_customer"

    def _check(self, problems: Problems) -> None:
        check_id(self.reason, "$.reason", problems)


@attrs.frozen(kw_only=True)
class CustomerReplied(_Event):
    """The customer replied to what the complaint waited on: the pause ends.

    Attributes:
        at: when the reply came (timezone-aware).
        by: the staff member who recorded it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        kind: the event's type tag in JSON, always ``"customer_replied"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> CustomerReplied(at=datetime(2026, 12, 1, tzinfo=timezone.utc)).kind
        'customer_replied'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "customer_replied"
    STEP: ClassVar[str] = "record_reply"

    kind: str = "customer_replied"


@attrs.frozen(kw_only=True)
class ComplaintResponded(_Event):
    """The retailer's response: the remedy offered.

    Attributes:
        at: when the response was sent (timezone-aware).
        by: the staff member who responded, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        remedy: the `Remedy` offered (its value is accepted too).
        amount_cents: the amount offered, in cents (minor units of the currency), if any.
        kind: the event's type tag in JSON, always ``"responded"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> offer = ComplaintResponded(
        ...     at=datetime(2026, 12, 1, tzinfo=timezone.utc), remedy="credit", amount_cents=5000,
        ... )
        >>> offer.remedy, offer.amount_cents
        (<Remedy.CREDIT: 'credit'>, 5000)

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "responded"
    STEP: ClassVar[str] = "respond"

    remedy: Remedy = attrs.field(default=REQUIRED, converter=_remedy)
    amount_cents: int | None = None
    kind: str = "responded"

    def _check(self, problems: Problems) -> None:
        check_enum(self.remedy, Remedy, "$.remedy", problems)
        amount = self.amount_cents
        if amount is None:
            return
        message = f"must be a whole number of cents from 0 to {MAX_VERSION} (2**53 - 1)"
        if isinstance(amount, bool) or not isinstance(amount, int):
            problems.add("$.amount_cents", message, "type")
        elif not 0 <= amount <= MAX_VERSION:
            problems.add("$.amount_cents", message, "range")


@attrs.frozen(kw_only=True)
class ComplaintAccepted(_Event):
    """The customer accepted the remedy offered.

    Attributes:
        at: when the customer accepted (timezone-aware).
        by: the staff member who recorded it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        kind: the event's type tag in JSON, always ``"accepted"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintAccepted(at=datetime(2026, 12, 2, tzinfo=timezone.utc)).kind
        'accepted'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "accepted"
    STEP: ClassVar[str] = "accept"

    kind: str = "accepted"


@attrs.frozen(kw_only=True)
class ComplaintDeclined(_Event):
    """The customer declined the remedy offered.

    Attributes:
        at: when the customer declined (timezone-aware).
        by: the staff member who recorded it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        kind: the event's type tag in JSON, always ``"declined"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintDeclined(at=datetime(2026, 12, 2, tzinfo=timezone.utc)).kind
        'declined'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "declined"
    STEP: ClassVar[str] = "decline"

    kind: str = "declined"


@attrs.frozen(kw_only=True)
class ComplaintEscalated(_Event):
    """The complaint escalated: the recourse the customer (or staff) turned to.

    Attributes:
        at: when it was escalated (timezone-aware).
        by: the staff member who escalated it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        to: to whom, as an identifier (``"store_manager"``, ``"consumer_council"``).
        kind: the event's type tag in JSON, always ``"escalated"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintEscalated(at=datetime(2026, 12, 2, tzinfo=timezone.utc), to="area_manager").to
        'area_manager'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "escalated"
    STEP: ClassVar[str] = "escalate"

    to: str = attrs.field(default=REQUIRED)
    kind: str = "escalated"

    def _check(self, problems: Problems) -> None:
        check_id(self.to, "$.to", problems)


@attrs.frozen(kw_only=True)
class ComplaintClosed(_Event):
    """The complaint closed, with its root cause and the corrective action taken.

    Attributes:
        at: when it was closed (timezone-aware).
        by: the staff member who closed it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        root_cause: the cause found, as an identifier or short text (``"carrier_delay"``).
        corrective_action: what was done so it does not happen again (``"new_carrier"``).
        recourse: the further recourse the customer was told of, as an identifier
            (``"consumer_council"``), when they had declined the remedy offered, if
            recorded.
        kind: the event's type tag in JSON, always ``"closed"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintClosed(
        ...     at=datetime(2026, 12, 3, tzinfo=timezone.utc),
        ...     root_cause="carrier_delay", corrective_action="new_carrier",
        ... ).root_cause
        'carrier_delay'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "closed"
    STEP: ClassVar[str] = "close"

    root_cause: str = attrs.field(default=REQUIRED)
    corrective_action: str = attrs.field(default=REQUIRED)
    recourse: str | None = None
    kind: str = "closed"

    def _check(self, problems: Problems) -> None:
        check_id(self.root_cause, "$.root_cause", problems)
        check_id(self.corrective_action, "$.corrective_action", problems)
        check_id(self.recourse, "$.recourse", problems, optional=True)


@attrs.frozen(kw_only=True)
class ComplaintReopened(_Event):
    """A closed complaint reopened: it goes back to investigating.

    Attributes:
        at: when it was reopened (timezone-aware).
        by: the staff member who reopened it, if recorded.
        number: its position in the complaint's history (1 for the received event);
            0 until `Complaint.append` numbers it.
        reason: why, as an identifier or short text (``"fault_recurred"``).
        kind: the event's type tag in JSON, always ``"reopened"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ComplaintReopened(at=datetime(2026, 12, 9, tzinfo=timezone.utc), reason="recurred").reason
        'recurred'

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    KIND: ClassVar[str] = "reopened"
    STEP: ClassVar[str] = "reopen"

    reason: str = attrs.field(default=REQUIRED)
    kind: str = "reopened"

    def _check(self, problems: Problems) -> None:
        check_id(self.reason, "$.reason", problems)


ComplaintEvent: TypeAlias = (
    ComplaintReceived
    | ComplaintAcknowledged
    | ComplaintAssessed
    | InvestigationStarted
    | WaitingOnCustomer
    | CustomerReplied
    | ComplaintResponded
    | ComplaintAccepted
    | ComplaintDeclined
    | ComplaintEscalated
    | ComplaintClosed
    | ComplaintReopened
)
"""Any complaint event; in JSON, its ``kind`` field says which."""

_EVENT_TYPES: Final = (
    ComplaintReceived,
    ComplaintAcknowledged,
    ComplaintAssessed,
    InvestigationStarted,
    WaitingOnCustomer,
    CustomerReplied,
    ComplaintResponded,
    ComplaintAccepted,
    ComplaintDeclined,
    ComplaintEscalated,
    ComplaintClosed,
    ComplaintReopened,
)

COMPLAINT_EVENT_KINDS: Final[Mapping[str, type[ComplaintEvent]]] = MappingProxyType(
    {cls.KIND: cls for cls in _EVENT_TYPES}
)
"""Each complaint event type by its ``kind`` tag, the field that says in JSON which it is."""

_STEPS: Final = {cls.KIND: cls.STEP for cls in _EVENT_TYPES}


# ---------------------------------------------------------------- the aggregate


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """A list as a tuple; anything else as is, for validation to report."""
    if isinstance(value, list):
        return tuple(value)
    return value  # type: ignore[return-value]  # a tuple, or reported by validation


_FIELDS: Final[Mapping[type, str]] = MappingProxyType(
    {
        ComplaintAcknowledged: "acknowledgements",
        ComplaintAssessed: "assessments",
        InvestigationStarted: "investigations",
        WaitingOnCustomer: "waits",
        CustomerReplied: "replies",
        ComplaintResponded: "responses",
        ComplaintAccepted: "acceptances",
        ComplaintDeclined: "declines",
        ComplaintEscalated: "escalations",
        ComplaintClosed: "closures",
        ComplaintReopened: "reopenings",
    }
)
"""The field of `Complaint` that holds each type of event after the receipt."""


def _refusal(state: ComplaintState, event: _Event, offered: bool) -> str | None:
    """Why ``event`` cannot follow ``state`` (a message naming both), or ``None`` if it can."""
    allowed = COMPLAINT_TRANSITIONS[state]
    if event.KIND not in allowed:
        steps = ", ".join(_STEPS[kind] for kind in allowed)
        return (
            f"cannot {event.STEP} a complaint that is {state.value}: "
            f"the steps allowed now are {steps}"
        )
    if event.KIND == ComplaintClosed.KIND and not offered:
        return (
            f"cannot close a complaint that is {state.value}: no remedy has been offered yet "
            "(respond first)"
        )
    return None


def _check_history(history: list[tuple[str, Any]], problems: Problems) -> None:
    """The numbered events replay: numbered 1 to n, in time order, each step legal."""
    counts: dict[object, int] = {}
    for _, event in history:
        counts[event.number] = counts.get(event.number, 0) + 1
    wrong = [
        path
        for path, event in history
        if counts[event.number] > 1
        or not 1 <= event.number <= len(history)
        or (path == "$.receipt") != (event.number == 1)
    ]
    for path in wrong:
        problems.add(
            join_path(path, "number"),
            "must number the events 1 (the receipt), 2, 3... in the order they happened, "
            "each number once",
            "inconsistent",
        )
    if wrong:
        return
    numbered = sorted(history, key=lambda pair: pair[1].number)
    state: ComplaintState | None = ComplaintState.RECEIVED
    offered = False
    last: datetime | None = None
    for expected, (path, event) in enumerate(numbered, start=1):
        if state is not None and expected > 1:
            refusal = _refusal(state, event, offered)
            if refusal is not None:
                problems.add(join_path(path, "kind"), refusal, "invalid")
                state = None
            else:
                state = COMPLAINT_TRANSITIONS[state][event.KIND]
        offered = offered or isinstance(event, ComplaintResponded)
        if instant_problem(event.at) is None:
            moment = _instant(event.at)
            if last is not None and moment < last:
                problems.add(
                    join_path(path, "at"),
                    "must not be earlier than the event before it",
                    "inconsistent",
                )
            last = moment if last is None else max(last, moment)


def _history(complaint: Any, problems: Problems) -> list[tuple[str, Any]]:
    """Each event of a complaint with its path; type problems recorded."""
    found: list[tuple[str, Any]] = []
    if not isinstance(complaint.receipt, ComplaintReceived):
        problems.add("$.receipt", "must be the complaint's received event", "type")
    else:
        found.append(("$.receipt", complaint.receipt))
        if isinstance(complaint.id, str) and complaint.receipt.reference != complaint.id:
            problems.add("$.receipt.reference", "must be the complaint's id", "inconsistent")
    for cls, name in _FIELDS.items():
        value = getattr(complaint, name)
        if not isinstance(value, tuple):
            problems.add(f"$.{name}", f"must be a list of {cls.__name__} events", "type")
            continue
        for index, event in enumerate(value):
            path = join_path(f"$.{name}", index)
            if isinstance(event, cls):
                found.append((path, event))
            else:
                problems.add(path, f"must be a {cls.__name__} event", "type")
    return found


_HISTORY: Final = personal(PersonalDataClass.FREE_TEXT)


def _check_calendar_range(history: list[tuple[str, Any]], problems: Problems) -> None:
    """With an SLA policy, every event must lie where its calendar can count business time."""
    low, high = SUPPORTED_RANGE
    for path, event in history:
        if instant_problem(event.at) is None and not low <= _instant(event.at) <= high:
            problems.add(
                join_path(path, "at"),
                "must lie between the years 2 and 9998 (UTC) on a complaint with an SLA "
                "policy, the years its calendar counts business time in",
                "range",
            )


@attrs.frozen(kw_only=True)
class Complaint(Tabular):
    """One complaint: its events, from which everything else about it is derived.

    Build one with `Complaint.receive`, then move it on with one method per
    step (`acknowledge`, `assess`, `investigate`, `wait_on_customer`,
    `record_reply`, `respond`, `accept`, `decline`, `escalate`, `close`,
    `reopen`); each returns a new complaint with one event appended. A step
    the current state does not allow (`COMPLAINT_TRANSITIONS`) raises
    `InvalidTransitionError`; an event earlier than the complaint's last one
    is a `ValidationError`. Instants are compared as instants: an event at
    01:30 in the second (GMT) pass of a repeated London hour comes after
    one at 01:45 in the first (BST) pass.

    As in the consent ledger, each type of event is kept in its own list
    (so that every field has one type, in JSON and its schema); each event's
    ``number`` gives its place in the history, and `events()` lists them all
    in that order. The history names staff members and holds the
    customer's own words: it is personal data, left out of `to_records`,
    whose one row per complaint has the derived columns instead (state,
    when received and closed, the remedies asked for and offered, category,
    channel, store).

    Attributes:
        id: the complaint's unique reference (its receipt's ``reference``).
        receipt: its received event, always number 1.
        acknowledgements: its `ComplaintAcknowledged` events.
        assessments: its `ComplaintAssessed` events.
        investigations: its `InvestigationStarted` events.
        waits: its `WaitingOnCustomer` events.
        replies: its `CustomerReplied` events.
        responses: its `ComplaintResponded` events.
        acceptances: its `ComplaintAccepted` events.
        declines: its `ComplaintDeclined` events.
        escalations: its `ComplaintEscalated` events.
        closures: its `ComplaintClosed` events.
        reopenings: its `ComplaintReopened` events.
        sla_policy: the `SlaPolicy` (with its calendar) in force when it was
            received, kept with the case so that editing the policy later
            moves none of its deadlines; ``None`` if it has no targets.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> def at(day):
        ...     return datetime(2026, 12, day, 10, tzinfo=timezone.utc)
        >>> complaint = (
        ...     Complaint.receive(id="CMP-2", at=at(1), channel="meeting", store_id="HK-TST",
        ...                       category="faulty_item", remedy_requested="exchange")
        ...     .acknowledge(at=at(1))
        ...     .assess(at=at(2), severity=2, priority="normal")
        ...     .investigate(at=at(2))
        ...     .respond(at=at(3), remedy="repair")
        ...     .decline(at=at(4))
        ...     .escalate(at=at(4), to="store_manager")
        ...     .respond(at=at(5), remedy="exchange")
        ...     .accept(at=at(6))
        ...     .close(at=at(7), root_cause="supplier_batch", corrective_action="batch_recalled")
        ... )
        >>> complaint.state, complaint.remedy_requested, complaint.remedy_offered
        (<ComplaintState.CLOSED: 'closed'>, <Remedy.EXCHANGE: 'exchange'>, <Remedy.EXCHANGE: 'exchange'>)
        >>> [event.kind for event in complaint.events()][-3:]
        ['responded', 'accepted', 'closed']
        >>> from_json(to_json(complaint), Complaint) == complaint
        True

    Raises:
        ValidationError: every problem, with its path: events not numbered
            1 to n, a step its state does not allow, an event earlier than
            the one before it.
    """  # noqa: E501

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    receipt: ComplaintReceived = attrs.field(default=REQUIRED, metadata=_HISTORY)
    acknowledgements: tuple[ComplaintAcknowledged, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    assessments: tuple[ComplaintAssessed, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    investigations: tuple[InvestigationStarted, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    waits: tuple[WaitingOnCustomer, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    replies: tuple[CustomerReplied, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    responses: tuple[ComplaintResponded, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    acceptances: tuple[ComplaintAccepted, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    declines: tuple[ComplaintDeclined, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    escalations: tuple[ComplaintEscalated, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    closures: tuple[ComplaintClosed, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    reopenings: tuple[ComplaintReopened, ...] = attrs.field(
        default=(), converter=_tuple, metadata=_HISTORY
    )
    sla_policy: SlaPolicy | None = attrs.field(default=None, metadata={"records": False})
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        if not isinstance(self.sla_policy, SlaPolicy | None):
            problems.add("$.sla_policy", "must be an SlaPolicy or null", "type")
        shapes = len(problems)
        history = _history(self, problems)
        if len(problems) == shapes:
            _check_history(history, problems)
            if isinstance(self.sla_policy, SlaPolicy):
                _check_calendar_range(history, problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    # ------------------------------------------------------------ receiving

    @classmethod
    def receive(
        cls,
        *,
        id: str,
        at: datetime,
        channel: Channel | str,
        store_id: str,
        category: str,
        customer_id: str | None = None,
        description: str = "",
        remedy_requested: Remedy | str | None = None,
        repeat_of: str | None = None,
        by: str | None = None,
        sla_policy: SlaPolicy | None = None,
        priority: ComplaintPriority | str | None = None,
    ) -> Complaint:
        """A new complaint, received: its first event.

        ``sla_policy`` is the policy in force now, kept with the case
        (`select_sla_policy` chooses one by rules).

        Examples:
            >>> from datetime import datetime, timezone
            >>> complaint = Complaint.receive(
            ...     id="CMP-3", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="online",
            ...     store_id="WEB", category="billing", customer_id="C-9", repeat_of="CMP-1",
            ... )
            >>> complaint.state, complaint.repeat_of
            (<ComplaintState.RECEIVED: 'received'>, 'CMP-1')

        Raises:
            ValidationError: every problem, with its path (``$.reference`` for the id).
        """
        event = ComplaintReceived(
            at=at,
            by=by,
            reference=id,
            channel=channel,
            store_id=store_id,
            category=category,
            customer_id=customer_id,
            description=description,
            remedy_requested=remedy_requested,
            repeat_of=repeat_of,
            priority=priority,
        )
        return cls(id=id, receipt=event, sla_policy=sla_policy)

    def events(self) -> tuple[ComplaintEvent, ...]:
        """Every event, in the order they happened (by ``number``); the receipt first.

        A method, not a property, so that records (`to_records`) leave the history out.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-33", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when)
            >>> [(event.number, event.kind) for event in complaint.events()]
            [(1, 'received'), (2, 'acknowledged')]
        """
        found: list[ComplaintEvent] = [self.receipt]
        for name in _FIELDS.values():
            found.extend(getattr(self, name))
        return tuple(sorted(found, key=lambda event: event.number))

    # ------------------------------------------------------------ stepping

    def append(self, event: ComplaintEvent) -> Complaint:
        """A new complaint with ``event`` appended and numbered; this one is unchanged.

        The step methods build their event and call this. An event's
        ``number`` is set here (one more than the last); an event numbered
        already must carry that number.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-4", at=when, channel="fax", store_id="HK-1", category="staff_attitude",
            ... )
            >>> complaint.append(ComplaintAcknowledged(at=when)).events()[-1].number
            2
            >>> complaint.append(CustomerReplied(at=when))
            Traceback (most recent call last):
            ...
            retail_service_quality.errors.InvalidTransitionError: cannot record_reply a complaint that is received: the steps allowed now are acknowledge

        Raises:
            ValidationError: not a complaint event, earlier than the last event
                (``$.at``), or numbered out of turn (``$.number``).
            InvalidTransitionError: a step the current state does not allow.
        """  # noqa: E501
        state = self.state
        if isinstance(event, ComplaintReceived):
            raise InvalidTransitionError(
                f"cannot receive a complaint that is {state.value}: a complaint is received once"
            )
        name = _FIELDS.get(type(event))
        if name is None:
            raise ValidationError.single("$", "must be a complaint event", "type")
        refusal = _refusal(state, event, self.remedy_offered is not None)
        if refusal is not None:
            raise InvalidTransitionError(refusal)
        events = self.events()
        problems = Problems()
        if _instant(event.at) < max(_instant(past.at) for past in events):
            problems.add(
                "$.at", "must not be earlier than the complaint's last event", "inconsistent"
            )
        following = events[-1].number + 1
        if event.number not in (0, following):
            problems.add(
                "$.number", "must be 0 (numbered on appending) or the next number", "inconsistent"
            )
        problems.raise_if_any()
        numbered = attrs.evolve(event, number=following)
        changed: dict[str, Any] = {name: (*getattr(self, name), numbered)}
        return attrs.evolve(self, **changed)

    def acknowledge(self, *, at: datetime, by: str | None = None) -> Complaint:
        """Acknowledged: the customer was told it was received.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> Complaint.receive(
            ...     id="CMP-5", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).state.value
            'acknowledged'

        Raises:
            ValidationError: a bad argument, with its path.
            InvalidTransitionError: the complaint is not ``received``.
        """
        return self.append(ComplaintAcknowledged(at=at, by=by))

    def assess(
        self,
        *,
        at: datetime,
        severity: int,
        priority: ComplaintPriority | str,
        category: str | None = None,
        by: str | None = None,
    ) -> Complaint:
        """Assessed: severity (1-4), priority, and the category if it changes.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-6", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(
            ...     at=when, severity=3, priority="high", category="overcharge",
            ... )
            >>> complaint.category, complaint.severity, complaint.priority.value
            ('overcharge', 3, 'high')

        Raises:
            ValidationError: every bad argument, with its path.
            InvalidTransitionError: the complaint is not ``acknowledged``.
        """
        return self.append(
            ComplaintAssessed(
                at=at,
                by=by,
                severity=severity,
                priority=priority,
                category=category,
            )
        )

    def investigate(self, *, at: datetime, by: str | None = None) -> Complaint:
        """Investigating: after assessment, an escalation, or the customer's reply.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> Complaint.receive(
            ...     id="CMP-7", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when, by="S-3",
            ... ).state.value
            'investigating'

        Raises:
            ValidationError: a bad argument, with its path.
            InvalidTransitionError: the complaint is not ``assessed`` or ``escalated``.
        """
        return self.append(InvestigationStarted(at=at, by=by))

    def wait_on_customer(self, *, at: datetime, reason: str, by: str | None = None) -> Complaint:
        """Waiting on the customer (a pause, until `record_reply`).

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-8", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).wait_on_customer(at=when, reason="receipt")
            >>> complaint.state.value, len(complaint.pauses())
            ('waiting_on_customer', 1)

        Raises:
            ValidationError: every bad argument, with its path.
            InvalidTransitionError: the complaint is not ``investigating``.
        """
        return self.append(WaitingOnCustomer(at=at, by=by, reason=reason))

    def record_reply(self, *, at: datetime, by: str | None = None) -> Complaint:
        """The customer replied: the pause ends and investigation resumes.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-9", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).wait_on_customer(at=when, reason="receipt").record_reply(
            ...     at=when + timedelta(days=2),
            ... )
            >>> complaint.state.value, complaint.pauses()[0][1] - complaint.pauses()[0][0]
            ('investigating', datetime.timedelta(days=2))

        Raises:
            ValidationError: a bad argument, with its path.
            InvalidTransitionError: the complaint is not ``waiting_on_customer``.
        """
        return self.append(CustomerReplied(at=at, by=by))

    def respond(
        self,
        *,
        at: datetime,
        remedy: Remedy | str,
        amount_cents: int | None = None,
        by: str | None = None,
    ) -> Complaint:
        """Responded: the remedy offered (and its amount in cents, if any).

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-10", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).respond(at=when, remedy="refund", amount_cents=12_000)
            >>> complaint.remedy_offered, complaint.amount_offered_cents
            (<Remedy.REFUND: 'refund'>, 12000)

        Raises:
            ValidationError: every bad argument, with its path.
            InvalidTransitionError: the complaint is not ``investigating``,
                ``declined`` (a new offer) or ``escalated``.
        """
        return self.append(
            ComplaintResponded(
                at=at,
                by=by,
                remedy=remedy,
                amount_cents=amount_cents,
            )
        )

    def accept(self, *, at: datetime, by: str | None = None) -> Complaint:
        """The customer accepted the remedy offered.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> Complaint.receive(
            ...     id="CMP-11", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).respond(at=when, remedy="apology").accept(at=when).state.value
            'accepted'

        Raises:
            ValidationError: a bad argument, with its path.
            InvalidTransitionError: the complaint is not ``responded``.
        """
        return self.append(ComplaintAccepted(at=at, by=by))

    def decline(self, *, at: datetime, by: str | None = None) -> Complaint:
        """The customer declined the remedy offered.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> Complaint.receive(
            ...     id="CMP-12", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).respond(at=when, remedy="apology").decline(at=when).state.value
            'declined'

        Raises:
            ValidationError: a bad argument, with its path.
            InvalidTransitionError: the complaint is not ``responded``.
        """
        return self.append(ComplaintDeclined(at=at, by=by))

    def escalate(self, *, at: datetime, to: str, by: str | None = None) -> Complaint:
        """Escalated to ``to``: the recourse (a manager, a consumer body).

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-13", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=4, priority="urgent").escalate(
            ...     at=when, to="regional_manager",
            ... )
            >>> complaint.state.value, complaint.escalated_to
            ('escalated', 'regional_manager')

        Raises:
            ValidationError: every bad argument, with its path.
            InvalidTransitionError: the complaint is not ``assessed``,
                ``investigating`` or ``declined``.
        """
        return self.append(ComplaintEscalated(at=at, by=by, to=to))

    def close(
        self,
        *,
        at: datetime,
        root_cause: str,
        corrective_action: str,
        recourse: str | None = None,
        by: str | None = None,
    ) -> Complaint:
        """Closed, with its root cause and corrective action (both required).

        A complaint closes once the customer accepted, or declined (and was
        told of further recourse: record which in ``recourse``, as ISO 10002
        asks), or after an escalation; in every case a remedy must have been
        offered.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-14", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).respond(at=when, remedy="explanation").accept(at=when).close(
            ...     at=when, root_cause="unclear_invoice", corrective_action="invoice_redesign",
            ... )
            >>> complaint.closed_at == when, complaint.root_cause
            (True, 'unclear_invoice')

        Raises:
            ValidationError: every bad argument, with its path.
            InvalidTransitionError: the complaint is not ``accepted``,
                ``declined`` or ``escalated``, or no remedy was offered.
        """
        return self.append(
            ComplaintClosed(
                at=at,
                by=by,
                root_cause=root_cause,
                corrective_action=corrective_action,
                recourse=recourse,
            )
        )

    def reopen(self, *, at: datetime, reason: str, by: str | None = None) -> Complaint:
        """Reopened: a closed complaint goes back to investigating.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-15", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).respond(at=when, remedy="refund").accept(at=when).close(
            ...     at=when, root_cause="till_error", corrective_action="till_fixed",
            ... ).reopen(at=when, reason="charged_again")
            >>> complaint.state.value, complaint.closed_at
            ('investigating', None)

        Raises:
            ValidationError: every bad argument, with its path.
            InvalidTransitionError: the complaint is not ``closed``.
        """
        return self.append(ComplaintReopened(at=at, by=by, reason=reason))

    # ------------------------------------------------------------ derived

    @property
    def _received(self) -> ComplaintReceived:
        return self.receipt

    def _last(self, kind: type[Any]) -> Any:
        """The last event of a type, or ``None``."""
        return next((event for event in reversed(self.events()) if isinstance(event, kind)), None)

    @property
    def state(self) -> ComplaintState:
        """The state its events lead to, replayed through `COMPLAINT_TRANSITIONS`.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-16", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).state
            <ComplaintState.RECEIVED: 'received'>
        """
        state = ComplaintState.RECEIVED
        for event in self.events()[1:]:  # each step checked on construction
            state = COMPLAINT_TRANSITIONS[state][event.kind]
        return state

    @property
    def received_at(self) -> datetime:
        """When it was received, as recorded (its received event's instant).

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> Complaint.receive(
            ...     id="CMP-17", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).received_at == when
            True
        """
        return self._received.at

    @property
    def closed_at(self) -> datetime | None:
        """When it was closed, or ``None`` while it is open (reopened included).

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-18", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).closed_at is None
            True
        """
        last = self.events()[-1]
        return last.at if isinstance(last, ComplaintClosed) else None

    @property
    def customer_id(self) -> str | None:
        """The customer who complained, if known.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-19", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing", customer_id="C-4",
            ... ).customer_id
            'C-4'
        """
        return self._received.customer_id

    @property
    def store_id(self) -> str:
        """The store (or business unit) the complaint is about.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-20", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).store_id
            'HK-1'
        """
        return self._received.store_id

    @property
    def channel(self) -> Channel:
        """The channel it came through.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-21", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="social",
            ...     store_id="HK-1", category="billing",
            ... ).channel
            <Channel.SOCIAL: 'social'>
        """
        return self._received.channel

    @property
    def category(self) -> str:
        """Its category: the last assessment's, or the one it was received with.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-22", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).category
            'billing'
        """
        for event in reversed(self.events()):
            if isinstance(event, ComplaintAssessed) and event.category is not None:
                return event.category
        return self._received.category

    @property
    def severity(self) -> int | None:
        """The severity (1-4) of the last assessment, or ``None`` before one.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-23", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).severity is None
            True
        """
        assessed = self._last(ComplaintAssessed)
        return None if assessed is None else assessed.severity

    @property
    def priority(self) -> ComplaintPriority | None:
        """The priority of the last assessment; before one, the priority given on receipt, if any.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-24", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).priority is None
            True
        """
        assessed = self._last(ComplaintAssessed)
        return self.receipt.priority if assessed is None else assessed.priority

    @property
    def remedy_requested(self) -> Remedy | None:
        """The remedy the customer asked for, if they said.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-25", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing", remedy_requested="credit",
            ... ).remedy_requested
            <Remedy.CREDIT: 'credit'>
        """
        return self._received.remedy_requested

    @property
    def remedy_offered(self) -> Remedy | None:
        """The remedy of the last response, or ``None`` before any.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-26", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).remedy_offered is None
            True
        """
        responded = self._last(ComplaintResponded)
        return None if responded is None else responded.remedy

    @property
    def amount_offered_cents(self) -> int | None:
        """The amount of the last response, in cents, or ``None``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-27", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).amount_offered_cents is None
            True
        """
        responded = self._last(ComplaintResponded)
        return None if responded is None else responded.amount_cents

    @property
    def escalated_to(self) -> str | None:
        """To whom it was last escalated, or ``None`` if it never was.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-28", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).escalated_to is None
            True
        """
        escalated = self._last(ComplaintEscalated)
        return None if escalated is None else escalated.to

    @property
    def root_cause(self) -> str | None:
        """The root cause of its last closure, or ``None`` if it never closed.

        Kept after a reopening until the next closure names its own.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-29", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).root_cause is None
            True
        """
        closed = self._last(ComplaintClosed)
        return None if closed is None else closed.root_cause

    @property
    def corrective_action(self) -> str | None:
        """The corrective action of its last closure, or ``None`` if it never closed.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-30", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).corrective_action is None
            True
        """
        closed = self._last(ComplaintClosed)
        return None if closed is None else closed.corrective_action

    @property
    def accepted(self) -> bool | None:
        """The customer's answer to the last remedy offered: ``True`` accepted, ``False``
        declined, ``None`` before an answer (or none offered).

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-47", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).accepted is None
            True
        """
        for event in reversed(self.events()):
            if isinstance(event, ComplaintAccepted):
                return True
            if isinstance(event, ComplaintDeclined):
                return False
            if isinstance(event, ComplaintResponded):
                return None
        return None

    @property
    def recourse(self) -> str | None:
        """The recourse the customer was told of at its last closure, if recorded.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-48", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).recourse is None
            True
        """
        closed = self._last(ComplaintClosed)
        return None if closed is None else closed.recourse

    @property
    def repeat_of(self) -> str | None:
        """The id of the earlier complaint this one repeats, if linked on receipt.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-31", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).repeat_of is None
            True
        """
        return self._received.repeat_of

    def pauses(self) -> tuple[tuple[datetime, datetime | None], ...]:
        """The intervals it waited on the customer: ``(start, end)``, ``end`` ``None`` if waiting.

        Each starts at a `WaitingOnCustomer` event and ends at the
        `CustomerReplied` event that follows it; they never overlap. An SLA
        clock stops during each.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-32", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).assess(at=when, severity=1, priority="low").investigate(
            ...     at=when,
            ... ).wait_on_customer(at=when, reason="photo")
            >>> complaint.pauses() == ((when, None),)
            True
        """
        found: list[tuple[datetime, datetime | None]] = []
        start: datetime | None = None
        for event in self.events():
            if isinstance(event, WaitingOnCustomer):
                start = event.at
            elif isinstance(event, CustomerReplied) and start is not None:
                found.append((start, event.at))
                start = None
        if start is not None:
            found.append((start, None))
        return tuple(found)

    @property
    def sla_policy_id(self) -> str | None:
        """The id of its `sla_policy`, or ``None``: the policy's column in `to_records`.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Complaint.receive(
            ...     id="CMP-39", at=datetime(2026, 12, 1, tzinfo=timezone.utc), channel="email",
            ...     store_id="HK-1", category="billing",
            ... ).sla_policy_id is None
            True
        """
        return None if self.sla_policy is None else self.sla_policy.id

    @property
    def acknowledged_at(self) -> datetime | None:
        """When it was first acknowledged, or ``None`` before that.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
            >>> Complaint.receive(
            ...     id="CMP-40", at=when, channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=when).acknowledged_at == when
            True
        """
        return next((event.at for event in self.acknowledgements), None)

    def clock_stops(self) -> tuple[Pause, ...]:
        """Every interval an SLA clock stands still: `pauses`, and closed spells before a reopening.

        A reopened complaint's clock runs on from where it stopped at its
        closure, so its deadline follows its history. The last interval
        ends ``None`` while the complaint waits on the customer.

        Examples:
            >>> from datetime import datetime, timezone
            >>> def at(day):
            ...     return datetime(2026, 12, day, 10, tzinfo=timezone.utc)
            >>> complaint = (
            ...     Complaint.receive(id="CMP-41", at=at(1), channel="email", store_id="HK-1",
            ...                       category="billing")
            ...     .acknowledge(at=at(1)).assess(at=at(1), severity=1, priority="low")
            ...     .investigate(at=at(1)).respond(at=at(2), remedy="apology").accept(at=at(2))
            ...     .close(at=at(3), root_cause="typo", corrective_action="template_fixed")
            ...     .reopen(at=at(7), reason="not_fixed")
            ... )
            >>> complaint.clock_stops() == ((at(3), at(7)),)
            True
        """
        stops: list[Pause] = list(self.pauses())
        closed_since: datetime | None = None
        for event in self.events():
            if isinstance(event, ComplaintClosed):
                closed_since = event.at
            elif isinstance(event, ComplaintReopened) and closed_since is not None:
                stops.append((closed_since, event.at))
                closed_since = None
        return tuple(sorted(stops, key=lambda stop: _instant(stop[0])))

    def _policy(self) -> SlaPolicy:
        if self.sla_policy is None:
            raise ValidationError.single(
                "$.sla_policy",
                "the complaint has no SLA policy (none was set on receipt)",
                "required",
            )
        return self.sla_policy

    def sla(self, kind: TargetKind | str, *, now: datetime) -> SlaStatus:
        """Where one of its targets stands at ``now``, on its own `sla_policy`.

        Recomputed from its history every time (`complaint_sla`): the clock
        starts at receipt and stops during each of `clock_stops`. Asked
        about an instant before the wait on the customer it is in now
        began, the answer is as that wait had not begun.

        Examples:
            >>> from datetime import datetime, timedelta
            >>> from zoneinfo import ZoneInfo
            >>> from retail_service_quality import BusinessCalendar, SlaPolicy, SlaTarget
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> policy = SlaPolicy(id="standard", calendar=desk,
            ...     targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=4))])
            >>> complaint = Complaint.receive(id="CMP-42", at=datetime(2026, 11, 27, 16, tzinfo=hk),
            ...     channel="email", store_id="HK-1", category="billing", sla_policy=policy)
            >>> status = complaint.sla("acknowledgement", now=datetime(2026, 11, 30, 9, tzinfo=hk))
            >>> status.deadline.isoformat(), status.state.value
            ('2026-11-30T11:00:00+08:00', 'on_track')

        Raises:
            ValidationError: the complaint has no policy (``$.sla_policy``), or
                as for `sla_status`.
        """
        from retail_service_quality.service.sla import complaint_sla

        policy = self._policy()
        history = self
        if (
            self.state is ComplaintState.WAITING_ON_CUSTOMER
            and instant_problem(now) is None
            and _instant(now) < _instant(self.waits[-1].at)
        ):
            # Its last event is that wait, which has no end yet to make it a closed pause.
            history = attrs.evolve(self, waits=self.waits[:-1])
        return complaint_sla(policy, history, kind, now=now)

    def due_at(self, kind: TargetKind | str) -> datetime | None:
        """The deadline of an open target, as it stands after the complaint's last event.

        ``None`` when there is nothing to be late for: the complaint has no
        policy or the policy no such target, the target was met (its first
        acknowledgement; for resolution, the complaint is closed), or its
        clock is stopped (waiting on the customer) with time still left. A
        target already past due when its clock stopped keeps its deadline:
        it is late, paused or not. A deadline the policy's calendar cannot
        reach (outside the years 2 to 9998, or more than 100 years after
        receipt) is ``None`` too. Storage indexes this to list what falls
        due next.

        Examples:
            >>> from datetime import datetime, timedelta
            >>> from zoneinfo import ZoneInfo
            >>> from retail_service_quality import BusinessCalendar, SlaPolicy, SlaTarget
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> policy = SlaPolicy(id="standard", calendar=desk,
            ...     targets=[SlaTarget("resolution", working_days=2)])
            >>> complaint = Complaint.receive(id="CMP-43", at=datetime(2026, 11, 30, 10, tzinfo=hk),
            ...     channel="email", store_id="HK-1", category="billing", sla_policy=policy)
            >>> complaint.due_at("resolution").isoformat()
            '2026-12-02T18:00:00+08:00'
            >>> complaint.due_at("acknowledgement") is None
            True

        Raises:
            ValidationError: not a kind of target.
        """
        chosen = lenient_enum(TargetKind, kind)
        if not isinstance(chosen, TargetKind):
            raise ValidationError.single(
                "$.kind",
                "must be one of " + ", ".join(member.value for member in TargetKind),
                "unknown_choice" if isinstance(kind, str) else "type",
            )
        policy = self.sla_policy
        if policy is None or all(target.kind is not chosen for target in policy.targets):
            return None
        if self.state is ComplaintState.CLOSED or (
            chosen is TargetKind.ACKNOWLEDGEMENT and self.acknowledgements
        ):
            return None
        stops = self.clock_stops()
        running = stops[-1][0] if stops and stops[-1][1] is None else None
        last = max((event.at for event in self.events()), key=_instant)
        # As an instant: within one zone, Python compares wall clocks, and in a repeated hour
        # a later instant can show an earlier wall time than the receipt.
        now = _instant(running if running is not None else last)
        status = _in_range(lambda: self.sla(chosen, now=now))
        if status is None:
            return None
        if running is not None and _instant(status.deadline) > _instant(running):
            return None
        return status.deadline

    def resolution_time(self) -> timedelta | None:
        """The business time from receipt to closure on its policy's calendar, stops excluded.

        ``None`` while it is open, when it has no `sla_policy` (whose calendar
        says what business time is), or when it lies outside the years the
        calendar covers (2 to 9998). For a reopened and closed-again
        complaint, the time to its last closure less the spells it stood
        closed and waited on the customer.

        Examples:
            >>> from datetime import datetime, timedelta
            >>> from zoneinfo import ZoneInfo
            >>> from retail_service_quality import BusinessCalendar, SlaPolicy, SlaTarget
            >>> hk = ZoneInfo("Asia/Hong_Kong")
            >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> policy = SlaPolicy(id="standard", calendar=desk,
            ...     targets=[SlaTarget("resolution", working_days=5)])
            >>> def at(day, hour):
            ...     return datetime(2026, 11, day, hour, tzinfo=hk)
            >>> complaint = (
            ...     Complaint.receive(id="CMP-44", at=at(27, 17), channel="email",
            ...                       store_id="HK-1", category="billing", sla_policy=policy)
            ...     .acknowledge(at=at(27, 17)).assess(at=at(27, 17), severity=1, priority="low")
            ...     .investigate(at=at(27, 17)).respond(at=at(30, 10), remedy="apology")
            ...     .accept(at=at(30, 10))
            ...     .close(at=at(30, 11), root_cause="typo", corrective_action="template_fixed")
            ... )
            >>> complaint.resolution_time()
            datetime.timedelta(seconds=10800)
        """
        closed = self.closed_at
        if closed is None or self.sla_policy is None:
            return None
        stops = [(start, end if end is not None else closed) for start, end in self.clock_stops()]
        calendar = self.sla_policy.calendar
        return _in_range(lambda: calendar.between(self.received_at, closed, pauses=stops))

    def redacted(self) -> Complaint:
        """The complaint with the customer's own words blanked: what an erasure keeps of it.

        The receipt's ``description`` (free text, personal data) becomes
        empty. Everything else stays as it was: every event with its instant
        and staff member, the codes (category, remedies, root cause,
        corrective action, reasons), the link to the customer, the SLA
        policy and the version (storage increments it on save). The history
        still replays to the same state, and its deadlines, SLA answers and
        resolution time are unchanged. A complaint with no description is
        returned as it is.

        Examples:
            >>> from datetime import datetime, timezone
            >>> when = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-45", at=when, channel="email", store_id="HK-1", category="billing",
            ...     customer_id="C-4", description="charged twice for the sofa",
            ... ).acknowledge(at=when, by="S-7")
            >>> redacted = complaint.redacted()
            >>> redacted.receipt.description, redacted.state.value, redacted.customer_id
            ('', 'acknowledged', 'C-4')
            >>> redacted.events()[1] == complaint.events()[1]
            True
        """
        if self.receipt.description == "":
            return self
        return attrs.evolve(self, receipt=attrs.evolve(self.receipt, description=""))

    def as_of(self, at: datetime) -> Complaint:
        """The complaint as it stood at the instant ``at``: its events up to then, no later.

        What the SLA answers at ``at`` (`sla`, `complaint_sla`) read, so that
        a question about a past instant never sees a later step.

        Examples:
            >>> from datetime import datetime, timezone
            >>> def at(hour):
            ...     return datetime(2026, 12, 1, hour, tzinfo=timezone.utc)
            >>> complaint = Complaint.receive(
            ...     id="CMP-46", at=at(9), channel="email", store_id="HK-1", category="billing",
            ... ).acknowledge(at=at(11))
            >>> complaint.as_of(at(10)).state.value, complaint.as_of(at(11)).state.value
            ('received', 'acknowledged')

        Raises:
            ValidationError: ``at`` is not an aware datetime in the supported range, or is
                before the complaint was received.
        """
        problems = Problems()
        check_aware(at, "$.at", problems)
        problems.raise_if_any()
        moment = _instant(at)
        if moment < _instant(self.received_at):
            raise ValidationError.single(
                "$.at", "must not be before the complaint was received", "inconsistent"
            )
        if all(_instant(event.at) <= moment for event in self.events()):
            return self
        kept: dict[str, Any] = {
            name: tuple(event for event in getattr(self, name) if _instant(event.at) <= moment)
            for name in _FIELDS.values()
        }
        return attrs.evolve(self, **kept)


_T = TypeVar("_T")


def _in_range(compute: Callable[[], _T]) -> _T | None:
    """``compute()``, or ``None`` if a calendar cannot reach the instants it needs."""
    try:
        return compute()
    except ValidationError as error:
        if all(problem.code == "range" for problem in error.problems):
            return None
        raise


# ---------------------------------------------------------------- repeat complaints


def find_repeat(
    complaint: Complaint, earlier: Iterable[Complaint], *, window: timedelta
) -> Complaint | None:
    """The complaint that ``complaint`` repeats: same customer, same category, within ``window``.

    Among ``earlier``, the most recently received complaint of the same
    customer and the same `Complaint.category` received strictly before
    ``complaint`` and no more than ``window`` before it (elapsed time between
    instants, the far end included); ``None`` if there is none, or if the
    complaint names no customer. A tie in receipt instant goes to the greater
    id. Link the complaint found with ``Complaint.receive(..., repeat_of=...)``.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> def complaint(id, day, category="late_delivery"):
        ...     return Complaint.receive(
        ...         id=id, at=datetime(2026, 11, day, tzinfo=timezone.utc), channel="hotline",
        ...         store_id="HK-1", category=category, customer_id="C-1",
        ...     )
        >>> history = [complaint("A", 1), complaint("B", 20), complaint("C", 25, "billing")]
        >>> find_repeat(complaint("D", 28), history, window=timedelta(days=30)).id
        'B'
        >>> find_repeat(complaint("D", 28), history, window=timedelta(days=7)) is None
        True

    Raises:
        ValidationError: every bad argument, with its path (``$.earlier[2]``, ``$.window``).
    """
    problems = Problems()
    if not isinstance(complaint, Complaint):
        problems.add("$.complaint", "must be a Complaint", "type")
    if not isinstance(window, timedelta):
        problems.add("$.window", "must be a timedelta", "type")
    elif window < timedelta(0):
        problems.add("$.window", "must not be negative", "range")
    candidates: list[Complaint] = []
    if isinstance(earlier, str | bytes | Mapping) or not isinstance(earlier, Iterable):
        problems.add("$.earlier", "must be a list of complaints", "type")
    else:
        for index, item in enumerate(earlier):
            if isinstance(item, Complaint):
                candidates.append(item)
            else:
                problems.add(join_path("$.earlier", index), "must be a Complaint", "type")
    problems.raise_if_any()
    if complaint.customer_id is None:
        return None
    moment = _instant(complaint.received_at)
    category = complaint.category
    best: tuple[datetime, str, Complaint] | None = None
    for item in candidates:
        if item.id == complaint.id or item.customer_id != complaint.customer_id:
            continue
        received = _instant(item.received_at)
        if not timedelta(0) < moment - received <= window or item.category != category:
            continue
        if best is None or (received, item.id) > best[:2]:
            best = (received, item.id, item)
    return None if best is None else best[2]
