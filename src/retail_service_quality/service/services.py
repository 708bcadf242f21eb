"""The complaint desk in one line: what a POS, a web form or a contact centre calls on any store.

Each function takes a *target*: a store (`InMemoryStore`, `SQLiteStore` or an
embedder's own adapter), in which case it opens a unit of work, does its work
and commits it (or rolls it back on any error, so nothing is half done); or a
unit of work already open, in which case it works inside it and leaves the
commit to the caller.

- `receive_complaint` takes a complaint in, links it to the complaint it
  repeats, chooses its SLA policy by rules and keeps that policy on the case;
- `step` moves a stored complaint one step, by the step's name (a UI sends it
  as data); `advance_complaint` does the same with an event built in code;
- `about_to_breach` and `breached` list what falls due soon, and what is late
  and by how much, soonest first;
- `check_escalations` runs an escalation rule set over every open complaint and
  its SLA standing, and can apply the escalations it asks for;
- `record_interaction` stores a contact, after checking a direct-marketing
  contact the retailer starts against the customer's consent.

The domain stays pure: these functions never read the clock; every instant is
passed in.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import InMemoryStore
    >>> store = InMemoryStore()
    >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
    >>> receive_complaint(store, id="CMP-1", at=at, channel="online", store_id="WEB",
    ...                   category="late_delivery").state.value
    'received'
    >>> step(store, "CMP-1", "acknowledge", at=at).state.value
    'acknowledged'
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.times import instant_problem
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.customers.consent import MarketingChannel, _check_concrete_label
from retail_service_quality.customers.privacy._common import check_law
from retail_service_quality.customers.pseudonymise import KeyedHasher
from retail_service_quality.customers.services import Target, _check_hasher, decide_campaign
from retail_service_quality.errors import (
    ConflictError,
    InvalidTransitionError,
    Problem,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.rules import Decision, Escalate, RuleSet, Verdict
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.complaints import (
    COMPLAINT_EVENT_KINDS,
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintEvent,
    ComplaintPriority,
    ComplaintState,
    Remedy,
    find_repeat,
)
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    ServiceInteraction,
)
from retail_service_quality.service.sla import (
    SlaPolicy,
    SlaState,
    TargetKind,
    complaint_facts,
    select_sla_policy,
)
from retail_service_quality.storage._target import unit_of
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import ComplaintQuery, UnitOfWork

__all__ = [
    "COMPLAINT_STEPS",
    "DeadlineLine",
    "EscalationLine",
    "MARKETING_CHANNELS",
    "about_to_breach",
    "advance_complaint",
    "breached",
    "check_escalations",
    "escalation_facts",
    "receive_complaint",
    "record_interaction",
    "step",
]

_log = logging.getLogger(__name__)

COMPLAINT_STEPS: Final[Mapping[str, type[ComplaintEvent]]] = MappingProxyType(
    {
        cls.STEP: cls
        for cls in COMPLAINT_EVENT_KINDS.values()
        if cls.KIND != "received"  # a complaint is received once, by receive_complaint
    }
)
"""The steps `step` takes, by name (the `Complaint` method of each), and the event each records.

``acknowledge``, ``assess``, ``investigate``, ``wait_on_customer``, ``record_reply``,
``respond``, ``accept``, ``decline``, ``escalate``, ``close`` and ``reopen``; the details a
step takes are the fields of its event (``assess``: ``severity``, ``priority``,
``category``), with ``by``, the staff member, for every step.

Examples:
    >>> COMPLAINT_STEPS["respond"].__name__
    'ComplaintResponded'
"""

MARKETING_CHANNELS: Final[Mapping[Channel, MarketingChannel]] = MappingProxyType(
    {
        Channel.HOTLINE: MarketingChannel.CALL,
        Channel.EMAIL: MarketingChannel.EMAIL,
        Channel.SOCIAL: MarketingChannel.SOCIAL,
        Channel.FAX: MarketingChannel.FAX,
    }
)
"""The marketing channel an outbound contact on each interaction channel is sent on.

The other channels (a meeting, an online session, a feedback form) say nothing
of how a message reached the customer: `record_interaction` asks for the
``marketing_channel`` of a direct-marketing contact on them.

Examples:
    >>> MARKETING_CHANNELS[Channel.HOTLINE]
    <MarketingChannel.CALL: 'call'>
"""

_NO_DETAILS: Final = frozenset({"at", "number", "kind"})


# ---------------------------------------------------------------- shared checks


def _check_query(query: object, problems: Problems) -> None:
    if query is not None and not isinstance(query, ComplaintQuery):
        problems.add("$.query", "must be a ComplaintQuery or None", "type")


def _check_kind(kind: object, problems: Problems) -> TargetKind | None:
    chosen = lenient_enum(TargetKind, kind)
    check_enum(chosen, TargetKind, "$.kind", problems)
    return chosen if isinstance(chosen, TargetKind) else None


def _check_expected_version(value: object, problems: Problems) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add("$.expected_version", "must be a positive whole number or None", "type")


def _under(error: ValidationError, renames: Mapping[str, str]) -> list[Problem]:
    """The problems of ``error``, paths renamed where the caller knows a field by another name."""
    found = []
    for problem in error.problems:
        path = problem.path
        for old, new in renames.items():
            if path == old or path.startswith((old + ".", old + "[")):
                path = new + path[len(old) :]
        found.append(Problem(path, problem.message, problem.code))
    return found


# ---------------------------------------------------------------- receiving

# The receipt's fields by the names `receive_complaint` takes them under.
_RECEIPT_NAMES: Final = {"$.reference": "$.id", "$.receipt.at": "$.at"}


def _policies(value: object, problems: Problems) -> list[SlaPolicy]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        problems.add("$.policies", "must be a list of SlaPolicy", "type")
        return []
    found: list[SlaPolicy] = []
    for index, policy in enumerate(value):
        if isinstance(policy, SlaPolicy):
            found.append(policy)
        else:
            problems.add(join_path("$.policies", index), "must be an SlaPolicy", "type")
    return found


def receive_complaint(
    target: Target,
    *,
    id: str,
    at: datetime,
    channel: Channel | str,
    store_id: str,
    category: str,
    customer_id: str | None = None,
    description: str = "",
    remedy_requested: Remedy | str | None = None,
    by: str | None = None,
    rules: RuleSet | None = None,
    policies: Iterable[SlaPolicy] = (),
    repeat_window: timedelta = timedelta(days=30),
    priority: ComplaintPriority | str | None = None,
) -> Complaint:
    """Take a complaint in from a POS, a web form or a call, and store it; returns it as stored.

    1. A repeat is looked for among the customer's earlier complaints
       (`find_repeat`: same customer, same category, received no more than
       ``repeat_window`` before) and linked (``repeat_of``).
    2. The SLA policy is chosen: with ``rules``, by `select_sla_policy` over
       `complaint_facts` (the customer's ``tier`` read from the stored
       customer, ``repeat`` from step 1, the ``priority`` given on receipt,
       ``"normal"`` if none) among ``policies``; without rules, the
       one policy given, if one is. The policy (its calendar included) is kept
       on the case, so editing it later moves none of this case's deadlines.
       A rule set that selects no policy leaves the case without one.
    3. The complaint is stored.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import (
        ...     BusinessCalendar, InMemoryStore, SlaPolicy, SlaTarget)
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> standard = SlaPolicy(id="standard", calendar=desk,
        ...     targets=[SlaTarget("resolution", working_days=5)])
        >>> complaint = receive_complaint(InMemoryStore(), id="CMP-7",
        ...     at=datetime(2026, 11, 30, 10, tzinfo=hk), channel="hotline", store_id="HK-CWB",
        ...     category="faulty_item", remedy_requested="exchange", policies=[standard])
        >>> complaint.sla_policy_id, complaint.due_at("resolution").isoformat()
        ('standard', '2026-12-07T18:00:00+08:00')

    Raises:
        ValidationError: bad input, every problem with its path (``$.id``,
            ``$.channel``, ``$.policies[1]``...), or a rule set that selects a
            policy not given.
        NotFoundError: the customer named does not exist.
        ConflictError: a complaint with that id exists.
    """
    problems = Problems()
    complaint: Complaint | None = None
    try:
        complaint = Complaint.receive(
            id=id,
            at=at,
            channel=channel,
            store_id=store_id,
            category=category,
            customer_id=customer_id,
            description=description,
            remedy_requested=remedy_requested,
            by=by,
            priority=priority,
        )
    except ValidationError as error:
        problems.extend(_under(error, _RECEIPT_NAMES))
    if rules is not None and not isinstance(rules, RuleSet):
        problems.add("$.rules", "must be a RuleSet or None", "type")
    given = _policies(policies, problems)
    if rules is None and len(given) > 1:
        problems.add("$.rules", "are required to choose among several policies", "required")
    if isinstance(repeat_window, bool) or not isinstance(repeat_window, timedelta):
        problems.add("$.repeat_window", "must be a timedelta", "type")
    elif repeat_window < timedelta(0):
        problems.add("$.repeat_window", "must not be negative", "range")
    problems.raise_if_any()
    assert complaint is not None
    with unit_of(target, "complaints") as uow:
        tier = None
        if customer_id is not None:
            tier = uow.customers.get(customer_id).tier
            earlier = list(uow.complaints.query(ComplaintQuery(customer_id=customer_id)))
            repeated = find_repeat(complaint, earlier, window=repeat_window)
            if repeated is not None:
                receipt = attrs.evolve(complaint.receipt, repeat_of=repeated.id)
                complaint = attrs.evolve(complaint, receipt=receipt)
        policy: SlaPolicy | None = given[0] if given else None
        fired: tuple[str, ...] = ()
        if rules is not None:
            facts = complaint_facts(complaint, tier=tier)
            selection = select_sla_policy(rules, given, facts, at=at)
            policy = selection.policy
            fired = selection.fired
        try:
            complaint = attrs.evolve(complaint, sla_policy=policy)
        except ValidationError as error:  # the receipt outside the policy calendar's years
            raise ValidationError(_under(error, _RECEIPT_NAMES)) from None
        uow.complaints.add(complaint)
        if rules is not None:
            _log.debug("complaint %s: rules fired: %s", id, ", ".join(fired) or "none")
        if policy is None and given:
            _log.warning("complaint %s: no SLA policy was selected; it has no deadlines", id)
    return complaint


# ---------------------------------------------------------------- moving a step


def advance_complaint(
    target: Target,
    complaint_id: str,
    event: ComplaintEvent,
    *,
    expected_version: int | None = None,
) -> Complaint:
    """Move a stored complaint on by one event built in code; returns it as saved.

    The typed twin of `step`: the event says which step it is
    (`ComplaintAcknowledged`, `ComplaintResponded`...). With
    ``expected_version`` (the version a screen showed), a complaint someone
    else moved on meanwhile is a `ConflictError` instead of a step taken on
    a case the user did not see; the save itself is always checked against
    the version read.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import ComplaintAcknowledged, InMemoryStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> _ = receive_complaint(store, id="CMP-1", at=at, channel="email", store_id="HK-1",
        ...                       category="billing")
        >>> advance_complaint(store, "CMP-1", ComplaintAcknowledged(at=at, by="S-7")).version
        2

    Raises:
        ValidationError: not a complaint event (``$.event``), a bad id or
            version, or an event earlier than the complaint's last one (``$.at``).
        NotFoundError: no such complaint.
        InvalidTransitionError: the complaint's state does not allow the step
            (the message names the state and the step).
        ConflictError: the complaint is not at ``expected_version``, or was
            saved by someone else meanwhile.
    """
    problems = Problems()
    check_id(complaint_id, "$.complaint_id", problems)
    if not isinstance(event, tuple(COMPLAINT_STEPS.values())):
        problems.add("$.event", "must be a complaint event (not a receipt)", "type")
    _check_expected_version(expected_version, problems)
    problems.raise_if_any()
    with unit_of(target, "complaints") as uow:
        return _advance(uow, complaint_id, event, expected_version)


def _advance(
    uow: UnitOfWork, complaint_id: str, event: ComplaintEvent, expected_version: int | None
) -> Complaint:
    complaint = uow.complaints.get(complaint_id)
    if expected_version is not None and complaint.version != expected_version:
        raise ConflictError(
            f"complaint {complaint_id!r} is at version {complaint.version}, "
            f"not {expected_version}: it was changed meanwhile"
        )
    return uow.complaints.save(complaint.append(event))


def step(
    target: Target,
    complaint_id: str,
    step: str,
    *,
    at: datetime,
    expected_version: int | None = None,
    **details: Any,
) -> Complaint:
    """Move a stored complaint one step, named as data; returns it as saved.

    ``step`` is one of `COMPLAINT_STEPS` (``"acknowledge"``, ``"assess"``,
    ``"respond"``, ``"close"``...), ``details`` the fields of its event
    (``severity=2, priority="high"`` for ``assess``; ``remedy="refund"`` for
    ``respond``; ``by`` for any). Bad input is reported in one round, each
    problem with its path; the step is then taken on the stored complaint
    and saved with optimistic concurrency (see `advance_complaint` for
    ``expected_version``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore, InvalidTransitionError
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> _ = receive_complaint(store, id="CMP-1", at=at, channel="email", store_id="HK-1",
        ...                       category="billing")
        >>> step(store, "CMP-1", "acknowledge", at=at, by="S-7").state.value
        'acknowledged'
        >>> step(store, "CMP-1", "respond", at=at, remedy="refund")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.InvalidTransitionError: cannot respond a complaint that is acknowledged: the steps allowed now are assess
        >>> step(store, "CMP-1", "asses", at=at)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.step: must be one of: acknowledge, assess, investigate, wait_on_customer, record_reply, respond, accept, decline, escalate, close, reopen

    Raises:
        ValidationError: an unknown step (the message lists the steps), a
            detail the step does not take (``$.details.remedy``), a bad value
            (``$.severity``), or an instant earlier than the complaint's last event.
        NotFoundError: no such complaint.
        InvalidTransitionError: the complaint's state does not allow the step
            (the message names the state and the step).
        ConflictError: the complaint was changed meanwhile.
    """  # noqa: E501
    problems = Problems()
    check_id(complaint_id, "$.complaint_id", problems)
    _check_expected_version(expected_version, problems)
    kind = COMPLAINT_STEPS.get(step) if isinstance(step, str) else None
    event: ComplaintEvent | None = None
    if kind is None:
        problems.add(
            "$.step",
            "must be one of: " + ", ".join(COMPLAINT_STEPS),
            "unknown_choice" if isinstance(step, str) else "type",
        )
        check_aware(at, "$.at", problems)
    else:
        fields = {field.name for field in attrs.fields(kind)} - _NO_DETAILS
        for name in details:
            if name not in fields:
                problems.add(
                    join_path("$.details", name),
                    f"is not a detail of the step {step}: it takes " + ", ".join(sorted(fields)),
                    "unknown_field",
                )
        known = {name: value for name, value in details.items() if name in fields}
        try:
            event = kind(at=at, **known)
        except ValidationError as error:
            problems.extend(error.problems)
    problems.raise_if_any()
    assert event is not None
    with unit_of(target, "complaints") as uow:
        return _advance(uow, complaint_id, event, expected_version)


# ---------------------------------------------------------------- what falls due


def _optional_priority(value: ComplaintPriority | str | None) -> ComplaintPriority | None:
    return None if value is None else ComplaintPriority(value)


@attrs.frozen(kw_only=True)
class DeadlineLine(Tabular):
    """One open complaint's standing against one target: what falls due, or how late it is.

    No personal data: the customer and the complaint's own words are left out.

    Attributes:
        complaint_id: the complaint's reference.
        store_id: the store it is about.
        channel: the channel it came through.
        category: its category.
        priority: its priority, ``None`` before it is assessed.
        kind: the target (acknowledgement or resolution).
        deadline: when the target falls due, as the case's history stands.
        state: where the complaint stands (`ComplaintState`).
        sla_state: where the target stands at the instant asked about (`SlaState`).
        remaining: the business time left before the deadline (zero once past).
        late_by: the business time past the deadline, when it is breached.
        share_used: the share of the allowed business time used (above 1 when late).

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> line = DeadlineLine(complaint_id="CMP-1", store_id="HK-1", channel="email",
        ...     category="billing", priority=None, kind="resolution",
        ...     deadline=datetime(2026, 12, 1, 10, tzinfo=timezone.utc), state="investigating",
        ...     sla_state="breached", remaining=timedelta(0), late_by=timedelta(hours=2),
        ...     share_used=1.05)
        >>> line.to_records()[0]["late_by"]
        datetime.timedelta(seconds=7200)
    """

    complaint_id: str
    store_id: str
    channel: Channel = attrs.field(converter=Channel)
    category: str
    priority: ComplaintPriority | None = attrs.field(converter=_optional_priority)
    kind: TargetKind = attrs.field(converter=TargetKind)
    deadline: datetime
    state: ComplaintState = attrs.field(converter=ComplaintState)
    sla_state: SlaState = attrs.field(converter=SlaState)
    remaining: timedelta
    late_by: timedelta | None
    share_used: float


def _check_due(now: object, kind: object, query: object, problems: Problems) -> TargetKind | None:
    check_aware(now, "$.now", problems)
    chosen = _check_kind(kind, problems)
    _check_query(query, problems)
    return chosen


def _last_event_us(complaint: Complaint) -> int:
    return max(instant_us(event.at) for event in complaint.events())


def _deadline_lines(
    target: Target,
    kind: TargetKind,
    now: datetime,
    after: datetime | None,
    before: datetime,
    query: ComplaintQuery | None,
) -> RecordList[DeadlineLine]:
    lines: list[DeadlineLine] = []
    moment = instant_us(now)
    with unit_of(target, "complaints", read_only=True) as uow:
        for complaint in uow.complaints.due(kind, after=after, before=before, query=query):
            if _last_event_us(complaint) > moment:
                continue  # it stood otherwise at the instant asked about
            status = complaint.sla(kind, now=now)
            lines.append(
                DeadlineLine(
                    complaint_id=complaint.id,
                    store_id=complaint.store_id,
                    channel=complaint.channel,
                    category=complaint.category,
                    priority=complaint.priority,
                    kind=kind,
                    deadline=status.deadline,
                    state=complaint.state,
                    sla_state=status.state,
                    remaining=status.remaining,
                    late_by=status.late_by,
                    share_used=status.share_used,
                )
            )
    return RecordList(DeadlineLine, lines)


def about_to_breach(
    target: Target,
    *,
    now: datetime,
    within: timedelta,
    kind: TargetKind | str = TargetKind.RESOLUTION,
    query: ComplaintQuery | None = None,
) -> RecordList[DeadlineLine]:
    """The open complaints whose target falls due from ``now`` to ``now + within``, soonest first.

    ``within`` is elapsed time, counted from the instant ``now`` (whatever
    zone it is written in), not business time: on a Friday at 17:30, an hour
    ahead does not reach Monday morning. A deadline exactly at ``now`` is
    listed here (it is not late yet), one exactly at ``now + within`` is
    not; one before ``now`` is `breached`. A complaint waiting on the customer with
    time left is not listed: its clock is stopped. The list is of the cases
    as they stand at ``now``: a complaint with an event after ``now`` (one
    not received yet, or acknowledged since) is left out. ``query`` narrows
    the list (a store, a channel).

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import (
        ...     BusinessCalendar, InMemoryStore, SlaPolicy, SlaTarget)
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> quick = SlaPolicy(id="quick", calendar=desk,
        ...     targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))])
        >>> store = InMemoryStore()
        >>> _ = receive_complaint(store, id="CMP-1", at=datetime(2026, 11, 30, 16, tzinfo=hk),
        ...     channel="email", store_id="HK-1", category="billing", policies=[quick])
        >>> [(line.complaint_id, line.remaining) for line in about_to_breach(
        ...     store, now=datetime(2026, 11, 30, 17, 30, tzinfo=hk), within=timedelta(hours=1),
        ...     kind="acknowledgement")]
        [('CMP-1', datetime.timedelta(seconds=1800))]

    Raises:
        ValidationError: every bad argument, with its path (``$.within`` must be
            a positive duration that keeps ``now + within`` in the supported range).
    """
    problems = Problems()
    chosen = _check_due(now, kind, query, problems)
    until: datetime | None = None
    if isinstance(within, bool) or not isinstance(within, timedelta):
        problems.add("$.within", "must be a timedelta", "type")
    elif within <= timedelta(0):
        problems.add("$.within", "must be a positive duration", "range")
    elif not problems:
        try:
            until = now.astimezone(UTC) + within  # elapsed time, not wall-clock arithmetic
        except OverflowError:
            until = None
        if until is None or instant_problem(until) is not None:
            problems.add(
                "$.within", "must keep now + within in the supported range of instants", "range"
            )
    problems.raise_if_any()
    assert chosen is not None
    assert until is not None
    return _deadline_lines(target, chosen, now, now, until, query)


def breached(
    target: Target,
    *,
    now: datetime,
    kind: TargetKind | str = TargetKind.RESOLUTION,
    query: ComplaintQuery | None = None,
) -> RecordList[DeadlineLine]:
    """The open complaints past the deadline of a target at ``now``, with how late, oldest first.

    ``late_by`` is business time past the deadline, on the case's own
    calendar, the time waiting on the customer left out. A complaint late
    before it began to wait on the customer stays listed while it waits. As
    with `about_to_breach`, a complaint with an event after ``now`` is left out.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import (
        ...     BusinessCalendar, InMemoryStore, SlaPolicy, SlaTarget)
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> quick = SlaPolicy(id="quick", calendar=desk,
        ...     targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))])
        >>> store = InMemoryStore()
        >>> _ = receive_complaint(store, id="CMP-1", at=datetime(2026, 11, 27, 17, tzinfo=hk),
        ...     channel="email", store_id="HK-1", category="billing", policies=[quick])
        >>> [(line.complaint_id, line.late_by) for line in breached(
        ...     store, now=datetime(2026, 11, 30, 12, tzinfo=hk), kind="acknowledgement")]
        [('CMP-1', datetime.timedelta(seconds=7200))]

    Raises:
        ValidationError: every bad argument, with its path.
    """
    problems = Problems()
    chosen = _check_due(now, kind, query, problems)
    problems.raise_if_any()
    assert chosen is not None
    return _deadline_lines(target, chosen, now, None, now, query)


# ---------------------------------------------------------------- escalation by rules


@attrs.frozen(kw_only=True)
class EscalationLine(Tabular):
    """One open complaint an escalation rule set fired on: the rules, why, and what was done.

    Attributes:
        complaint_id: the complaint's reference.
        store_id: the store it is about.
        state: where the complaint stood when the rules were evaluated.
        fired: the ids of the rules that fired, in the order consulted.
        actions: the actions they ask for, in order, as ``kind:value`` text
            (``escalate:store_manager``, ``notify:duty_manager``).
        applied: the actions `check_escalations` recorded on the complaint
            (with ``apply=True``), in the same text form.
        explanation: each rule that fired and why, one line each.

    Examples:
        >>> line = EscalationLine(complaint_id="CMP-1", store_id="HK-1", state="investigating",
        ...     fired=("late",), actions=("escalate:store_manager",), applied=(),
        ...     explanation="late fired: resolution_state = 'breached': holds")
        >>> line.to_records()[0]["actions"]
        ('escalate:store_manager',)
    """

    complaint_id: str
    store_id: str
    state: ComplaintState = attrs.field(converter=ComplaintState)
    fired: tuple[str, ...]
    actions: tuple[str, ...]
    applied: tuple[str, ...]
    explanation: str


def _hours(duration: timedelta) -> float:
    return duration / timedelta(hours=1)


def escalation_facts(
    complaint: Complaint, *, now: datetime, tier: str | None = None
) -> dict[str, Any]:
    """The facts an escalation rule set reads about an open complaint at ``now``.

    `complaint_facts` (``priority``, ``severity``, ``channel``,
    ``category``, ``store_id``, ``remedy_requested``, ``tier``,
    ``repeat``), and:

    - ``state``: the complaint's state; ``received_at``: when it was received
      (for `elapsed` and `within` conditions); ``escalated``: whether it was
      ever escalated, and ``escalated_to``: to whom, last;
    - for each target, ``acknowledgement_*`` and ``resolution_*``:
      ``_state`` (``on_track``, ``warning``, ``breached``, ``met``,
      ``met_late``), ``_share_used`` (a number, above 1 when late) and
      ``_deadline`` (an instant); ``None`` when the case's policy has no such
      target;
    - ``business_hours_open``: the business hours since receipt on the case's
      calendar, the time waiting on the customer left out (``None`` without
      a policy).

    No personal data: the customer's id and the complaint's words are left out.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import BusinessCalendar, Complaint, SlaPolicy, SlaTarget
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> policy = SlaPolicy(id="p", calendar=desk,
        ...     targets=[SlaTarget("resolution", business_time=timedelta(hours=9))])
        >>> complaint = Complaint.receive(id="CMP-1", at=datetime(2026, 11, 30, 9, tzinfo=hk),
        ...     channel="email", store_id="HK-1", category="billing", sla_policy=policy)
        >>> facts = escalation_facts(complaint, now=datetime(2026, 11, 30, 17, tzinfo=hk))
        >>> facts["resolution_state"], facts["business_hours_open"], facts["acknowledgement_state"]
        ('warning', 8.0, None)

    Raises:
        ValidationError: not a complaint, ``now`` not an aware instant or before
            the complaint's last event.
    """
    problems = Problems()
    if not isinstance(complaint, Complaint):
        problems.add("$.complaint", "must be a Complaint", "type")
    check_aware(now, "$.now", problems)
    problems.raise_if_any()
    if instant_us(now) < _last_event_us(complaint):
        raise ValidationError.single(
            "$.now", "must not be before the complaint's last event", "inconsistent"
        )
    facts: dict[str, Any] = dict(complaint_facts(complaint, tier=tier))
    facts["state"] = complaint.state.value
    facts["received_at"] = complaint.received_at
    facts["escalated"] = bool(complaint.escalations)
    facts["escalated_to"] = complaint.escalated_to
    policy = complaint.sla_policy
    for kind in TargetKind:
        has_target = policy is not None and any(t.kind is kind for t in policy.targets)
        status = complaint.sla(kind, now=now) if has_target else None
        facts[f"{kind.value}_state"] = None if status is None else status.state.value
        facts[f"{kind.value}_share_used"] = None if status is None else status.share_used
        facts[f"{kind.value}_deadline"] = None if status is None else status.deadline
    if policy is None:
        facts["business_hours_open"] = None
    else:
        moment = instant_us(now)
        stops = [
            (start, now if end is None or instant_us(end) > moment else end)
            for start, end in complaint.clock_stops()
            if instant_us(start) <= moment
        ]
        used = policy.calendar.between(complaint.received_at, now, pauses=stops)
        facts["business_hours_open"] = _hours(used)
    return facts


def _action_text(action: Any) -> str:
    field = attrs.fields(type(action))[0].name
    return f"{action.kind}:{getattr(action, field)}"


def _apply_escalations(
    complaint: Complaint, verdict: Verdict, now: datetime, by: str | None
) -> tuple[Complaint, list[str]]:
    """The complaint with the verdict's escalations recorded where its state allows them."""
    applied: list[str] = []
    for action in verdict.actions:
        if not isinstance(action, Escalate):
            continue
        if "escalated" not in COMPLAINT_TRANSITIONS[complaint.state]:
            continue
        if any(event.to == action.to for event in complaint.escalations):
            continue  # escalated there before: a rule that keeps firing escalates once
        complaint = complaint.escalate(at=now, to=action.to, by=by)
        applied.append(_action_text(action))
    return complaint, applied


def check_escalations(
    target: Target,
    rules: RuleSet,
    *,
    now: datetime,
    query: ComplaintQuery | None = None,
    apply: bool = False,
    by: str | None = None,
) -> RecordList[EscalationLine]:
    """Run an escalation rule set over every open complaint; one explained line per firing.

    Each open complaint (those ``query`` selects, as it stands at ``now``: one
    with an event after ``now`` is left out) is evaluated on
    `escalation_facts`: its own facts and where its SLA targets stand at
    ``now``. A line is returned for each complaint on which some rule fired,
    in the order the complaints were received.

    With ``apply=True``, exactly this is recorded, dated ``now`` and by ``by``:
    each `Escalate` action becomes an ``escalate`` step, when the
    complaint's state allows one (assessed, investigating or declined) and
    the complaint was never escalated to that party before (so a rule that
    keeps firing escalates once); once escalated, a second `Escalate` of the
    same verdict is not allowed and is not applied. Nothing else is applied:
    `SetPriority` is not (a priority is recorded by an assessment, which
    needs a severity a rule does not give), nor `Notify`, `Flag` or
    `SelectPolicy`: they are for the caller to carry out.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import (
        ...     BusinessCalendar, InMemoryStore, SlaPolicy, SlaTarget)
        >>> from retail_service_quality.rules import Rule, RuleSet, eq, escalate
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> policy = SlaPolicy(id="p", calendar=desk,
        ...     targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))])
        >>> store = InMemoryStore()
        >>> _ = receive_complaint(store, id="CMP-1", at=datetime(2026, 11, 30, 9, tzinfo=hk),
        ...     channel="email", store_id="HK-1", category="billing", policies=[policy])
        >>> rules = RuleSet(id="escalation", rules=[Rule(id="unanswered",
        ...     description="Unacknowledged past its deadline: tell the store manager.",
        ...     when=eq("acknowledgement_state", "breached"),
        ...     actions=[escalate("store_manager")])])
        >>> [line.actions for line in check_escalations(store, rules,
        ...     now=datetime(2026, 11, 30, 12, tzinfo=hk))]
        [('escalate:store_manager',)]

    Raises:
        ValidationError: every bad argument, with its path.
        ConflictError: with ``apply=True``, a complaint was saved by someone else meanwhile.
    """
    problems = Problems()
    if not isinstance(rules, RuleSet):
        problems.add("$.rules", "must be a RuleSet", "type")
    check_aware(now, "$.now", problems)
    _check_query(query, problems)
    if not isinstance(apply, bool):
        problems.add("$.apply", "must be true or false", "type")
    check_id(by, "$.by", problems, optional=True)
    problems.raise_if_any()
    selected = attrs.evolve(query or ComplaintQuery(), open=True)
    moment = instant_us(now)
    lines: list[EscalationLine] = []
    with unit_of(target, "complaints", read_only=not apply) as uow:
        complaints = list(uow.complaints.query(selected))
        tiers: dict[str, str] = {}
        for complaint in complaints:
            if _last_event_us(complaint) > moment:
                continue
            customer_id = complaint.customer_id
            tier = None
            if customer_id is not None:
                if customer_id not in tiers:
                    tiers[customer_id] = uow.customers.get(customer_id).tier
                tier = tiers[customer_id]
            verdict = rules.evaluate(escalation_facts(complaint, now=now, tier=tier), at=now)
            if not verdict.fired:
                continue
            applied: list[str] = []
            if apply:
                changed, applied = _apply_escalations(complaint, verdict, now, by)
                if applied:
                    uow.complaints.save(changed)
            lines.append(
                EscalationLine(
                    complaint_id=complaint.id,
                    store_id=complaint.store_id,
                    state=complaint.state,
                    fired=verdict.fired,
                    actions=tuple(_action_text(action) for action in verdict.actions),
                    applied=tuple(applied),
                    explanation="\n".join(
                        f"{outcome.rule_id} fired: {outcome.explanation}"
                        for outcome in verdict.outcomes
                        if outcome.fired
                    ),
                )
            )
    return RecordList(EscalationLine, lines)


# ---------------------------------------------------------------- interactions


def record_interaction(
    target: Target,
    interaction: ServiceInteraction,
    *,
    hasher: KeyedHasher = REQUIRED,
    marketing_class: str | None = None,
    marketing_channel: MarketingChannel | str | None = None,
    law: str = "pdpo",
) -> Decision | None:
    """Store a contact; a direct-marketing contact the retailer starts is checked first.

    A contact is direct marketing when the caller says what it promotes:
    ``marketing_class`` (``"toys"``), on an outbound contact (the retailer
    started it). Such a contact is asked of `decide_campaign` first (the
    customer's consent, the notice, the suppression list: the ``hasher`` is
    then required), on ``marketing_channel``, or by default the marketing
    channel of the interaction's channel (`MARKETING_CHANNELS`: a hotline
    call is a phone call). A contact that is not allowed is refused with an
    `InvalidTransitionError` whose message carries the decision's reasons,
    and nothing is stored. Inbound contacts and service follow-ups (no
    ``marketing_class``) are not marketing and are stored as they are.

    Returns the decision that allowed a direct-marketing contact (its
    ``obligations``: the opt-out statement on first use), or ``None`` for a
    contact that is not marketing. Record the message sent with `record_use`.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import (
        ...     Customer, InMemoryStore, InvalidTransitionError, KeyedHasher, ServiceInteraction)
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> call = ServiceInteraction(id="I-1", store_id="HK-1", channel="hotline",
        ...     direction="outbound", customer_id="C-1", kind="follow_up", occurred_at=at)
        >>> record_interaction(store, call) is None  # a service follow-up: not marketing
        True
        >>> try:
        ...     record_interaction(store, call.evolve(id="I-2"), marketing_class="toys",
        ...                        hasher=KeyedHasher(b"k" * 32))
        ... except InvalidTransitionError as error:
        ...     print(str(error).splitlines()[0])
        the contact 'I-2' is refused: the customer's consent does not allow it
        >>> with store.unit_of_work(read_only=True) as uow:
        ...     uow.interactions.count()
        1

    Raises:
        ValidationError: bad input, every problem with its path: not an
            interaction, a ``marketing_class`` on an inbound contact, no
            ``hasher`` or no marketing channel for a marketing contact.
        InvalidTransitionError: a direct-marketing contact the customer's
            consent does not allow (nothing is stored).
        NotFoundError: the customer named does not exist.
        ConflictError: an interaction with that id exists.
    """
    problems = Problems()
    chosen: MarketingChannel | None = None
    if not isinstance(interaction, ServiceInteraction):
        problems.add("$.interaction", "must be a ServiceInteraction", "type")
    if marketing_class is not None:
        check_id(marketing_class, "$.marketing_class", problems)
        _check_concrete_label(marketing_class, "$.marketing_class", problems)
        _check_hasher(hasher, problems)
        check_law(law, problems)
        if marketing_channel is not None:
            chosen = lenient_enum(MarketingChannel, marketing_channel)
            check_enum(chosen, MarketingChannel, "$.marketing_channel", problems)
        elif isinstance(interaction, ServiceInteraction):
            chosen = MARKETING_CHANNELS.get(interaction.channel)
            if chosen is None:
                problems.add(
                    "$.marketing_channel",
                    "is required: the interaction's channel does not say how the message "
                    "reached the customer",
                    "required",
                )
        if (
            isinstance(interaction, ServiceInteraction)
            and interaction.direction is not InteractionDirection.OUTBOUND
        ):
            problems.add(
                "$.marketing_class",
                "is for a contact the retailer starts (outbound); an inbound contact is not "
                "direct marketing",
                "inconsistent",
            )
    elif marketing_channel is not None:
        problems.add("$.marketing_channel", "is given only with a marketing_class", "inconsistent")
    problems.raise_if_any()
    decision: Decision | None = None
    with unit_of(target, "complaints") as uow:
        if marketing_class is not None and chosen is not None:
            assert interaction.customer_id is not None  # an outbound contact names one
            decision = decide_campaign(
                uow,
                customer_id=interaction.customer_id,
                channel=chosen,
                marketing_class=marketing_class,
                at=interaction.occurred_at,
                law=law,
                hasher=hasher,
            )
            if not decision.allowed:
                raise InvalidTransitionError(
                    f"the contact {interaction.id!r} is refused: the customer's consent does "
                    f"not allow it\n{decision.explain()}"
                )
        uow.interactions.add(interaction)
    return decision
