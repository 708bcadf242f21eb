"""Privacy in one line: what an embedder calls on any store, inside a unit of work.

Each function takes a *target*: a store (`InMemoryStore`, `SQLiteStore` or an
embedder's own adapter), in which case it opens a unit of work, does its work
and commits it (or rolls it back on any error, so nothing is half done); or a
unit of work already open, in which case it works inside it and leaves the
commit to the caller, so several calls (and the embedder's own writes) go in
one transaction.

The domain stays pure: these functions read records through the storage port,
call the ledger, the rule engine and the rights planners, and write what they
decided back. They never read the clock: every instant is passed in.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import Customer, InMemoryStore, KeyedHasher
    >>> store = InMemoryStore()
    >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
    >>> with store.unit_of_work() as uow:
    ...     uow.customers.add(Customer(id="C-1", name="Chan", created_at=at))
    ...     uow.commit()
    >>> hasher = KeyedHasher(b"the retailer's secret key, 32 bytes")
    >>> decide_campaign(store, customer_id="C-1", channel="sms",
    ...                 marketing_class="cosmetics", at=at, hasher=hasher).allowed
    False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Final, TypeAlias, TypeVar

import attrs

from retail_service_quality._internal.personal import personal_data
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.customers._customer import Customer
from retail_service_quality.customers.access import AccessExport, build_access_export
from retail_service_quality.customers.consent import (
    CHANNEL_DATA_KIND,
    EVENT_KINDS,
    ConsentEvent,
    ConsentLedger,
    ConsentMethod,
    ConsentScope,
    DataKind,
    MarketingChannel,
    OptedOut,
    _check_concrete_label,
)
from retail_service_quality.customers.erasure import ErasurePlan, plan_erasure
from retail_service_quality.customers.forms import CollectionForm
from retail_service_quality.customers.privacy import (
    RecipientNotice,
    cease_notices,
    correction_recipients,
    decide_marketing,
    decide_provision,
)
from retail_service_quality.customers.privacy._common import (
    check_bool,
    check_channel,
    check_kinds,
    check_law,
)
from retail_service_quality.customers.pseudonymise import (
    KeyedHasher,
    PseudonymisedRecords,
    pseudonymised_records,
)
from retail_service_quality.customers.requests import (
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    SuppressionEntry,
)
from retail_service_quality.customers.retention import (
    _COMPLAINT_ITEM,
    PlanItem,
    RetentionPlan,
    RetentionSchedule,
    _blank_of,
    _complaint_activity,
    _latest_instant,
    _record_items,
    plan_retention,
)
from retail_service_quality.customers.rights import request_due, request_extension_limit
from retail_service_quality.customers.uses import DATA_USE_KINDS, DataUse
from retail_service_quality.errors import (
    InvalidTransitionError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.rules import Decision
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.storage._target import unit_of
from retail_service_quality.storage.ports import (
    ComplaintQuery,
    CustomerQuery,
    InteractionQuery,
    Store,
    UnitOfWork,
)

__all__ = [
    "CampaignLine",
    "SweepLine",
    "Target",
    "cease_provision",
    "check_campaign",
    "correct_customer",
    "decide_campaign",
    "decide_data_provision",
    "erase_customer",
    "export_personal_data",
    "extend_request",
    "is_suppressed",
    "opt_out",
    "pseudonymised_export",
    "receive_request",
    "record_consent",
    "record_form_consent",
    "record_use",
    "sweep_retention",
]

Target: TypeAlias = Store | UnitOfWork
"""A store (a unit of work is opened and committed) or an open unit of work (the caller commits)."""


def _check_hasher(hasher: object, problems: Problems) -> None:
    if hasher is REQUIRED:
        problems.add("$.hasher", "required: the KeyedHasher of the retailer's key", "required")
    elif not isinstance(hasher, KeyedHasher):
        problems.add("$.hasher", "must be a KeyedHasher (the retailer's secret key)", "type")


def _local_day(at: datetime) -> date:
    return at.date()  # the day on the caller's own wall clock (``at`` is aware)


# ---------------------------------------------------------------- consent in


def record_form_consent(
    target: Target,
    *,
    form: CollectionForm,
    customer_id: str,
    submission_id: str,
    ticked: Iterable[str],
    at: datetime,
    method: ConsentMethod | str = ConsentMethod.ONLINE,
) -> tuple[ConsentEvent, ...]:
    """Record a submitted collection form in the customer's ledger; returns the events appended.

    The notice the form showed, and one consent for each box ticked
    (`CollectionForm.consent_events`): nothing is inferred from a box left
    empty. The customer must exist.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import (
        ...     CollectionForm, ConsentBox, Customer, FormField, InMemoryStore, Purpose)
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> form = CollectionForm(
        ...     id="signup", notice_version="v1",
        ...     purposes=[Purpose("membership", "run the membership")],
        ...     fields=[FormField("mobile", "mobile_number", purposes=["membership"])],
        ...     consent_boxes=[ConsentBox("sms-toys", data_kinds=["mobile_number"],
        ...                               marketing_classes=["toys"])],
        ... )
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> [e.kind for e in record_form_consent(store, form=form, customer_id="C-1",
        ...     submission_id="S-1", ticked=["sms-toys"], at=at)]
        ['notice_served', 'consent_given']

    Raises:
        ValidationError: a bad form, submission or argument (every problem, with its path).
        NotFoundError: no such customer.
    """
    if not isinstance(form, CollectionForm):
        raise ValidationError.single("$.form", "must be a CollectionForm", "type")
    events = form.consent_events(
        customer_id=customer_id, submission_id=submission_id, ticked=ticked, at=at, method=method
    )
    with unit_of(target, "customers") as uow:
        uow.consent.append_many(events)
    return events


def record_consent(
    target: Target, events: Iterable[ConsentEvent], *, hasher: KeyedHasher | None = None
) -> int:
    """Append consent ledger events (from any channel: a call, a letter, a reply); returns how many.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore, KeyedHasher, OptedOut
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> record_consent(store, [OptedOut(event_id="E-1", customer_id="C-1", at=at,
        ...     evidence="sms:STOP")], hasher=KeyedHasher(b"k" * 32))
        1

    An opt-out among the events puts the customer's contact points it covers
    on the suppression list (as `opt_out` does), so it needs the ``hasher``.

    Raises:
        ValidationError: not a list of consent events, or an opt-out without a ``hasher``.
        NotFoundError: a customer does not exist.
        ConflictError: an event id is in the customer's ledger already.
    """
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise ValidationError.single("$.events", "must be a list of consent events", "type")
    items = list(events)
    problems = Problems()
    for index, event in enumerate(items):
        if type(event) not in EVENT_KINDS.values():
            problems.add(join_path("$.events", index), "must be a consent event", "type")
    opt_outs = [event for event in items if isinstance(event, OptedOut)]
    if opt_outs:
        if hasher is None:
            problems.add(
                "$.hasher",
                "is required with an opt-out: its contact points go on the suppression list",
                "required",
            )
        else:
            _check_hasher(hasher, problems)
    problems.raise_if_any()
    with unit_of(target, "customers") as uow:
        count = uow.consent.append_many(items)
        if hasher is not None:
            for event in opt_outs:
                _suppress_opt_out(uow, hasher, event)
        return count


# ---------------------------------------------------------------- decisions


def _suppressed(
    uow: UnitOfWork,
    hasher: KeyedHasher,
    customer: Customer,
    ledger: ConsentLedger,
    kind: DataKind,
    at: datetime,
) -> bool:
    """Whether the customer's contact point of this kind is blocked by the suppression list.

    The latest listing at or before ``at`` blocks unless the customer gave a new consent for
    that kind of data after it (and at or before ``at``): an opt-out stands until a new consent
    (PDPO s.35G), and a contact point re-imported with its old consents stays blocked.
    """
    for point in customer.contacts:
        if point.kind is not kind:
            continue
        entry = uow.suppression.get(hasher.digest(point.kind, point.value), at=at)
        if entry is None:
            continue  # not listed by the instant asked about
        since, until = entry.added_at.astimezone(UTC), at.astimezone(UTC)
        renewed = any(  # instants, never wall clocks
            since < event.at.astimezone(UTC) <= until and kind in event.data_kinds
            for event in ledger.consents
            if event.scope is ConsentScope.OWN_MARKETING
        )
        if not renewed:
            return True
    return False


def _check_campaign(
    hasher: object,
    channel: object,
    marketing_class: object,
    at: object,
    law: object,
    problems: Problems,
) -> MarketingChannel | None:
    """The arguments every campaign question shares; the channel, when it is one."""
    _check_hasher(hasher, problems)
    chosen = check_channel(channel, problems)
    check_id(marketing_class, "$.marketing_class", problems)
    _check_concrete_label(marketing_class, "$.marketing_class", problems)
    check_aware(at, "$.at", problems)
    check_law(law, problems)
    return chosen


def decide_campaign(
    target: Target,
    *,
    customer_id: str,
    channel: MarketingChannel | str,
    marketing_class: str,
    at: datetime,
    law: str = "pdpo",
    hasher: KeyedHasher = REQUIRED,
) -> Decision:
    """May we send this customer this marketing, on this channel, at ``at``? An explained answer.

    Reads the customer, their ledger and the marketing already sent, checks
    the contact point the channel needs against the suppression list (the
    ``hasher`` holds the retailer's key; it is required, so the check cannot
    be skipped by leaving it out), and asks the law's rules (`decide_marketing`). A
    suppressed contact point stays blocked until this customer gives a new
    consent for that kind of data after it was listed: a list re-imported
    with its old consents is still blocked.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore, KeyedHasher
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> decision = decide_campaign(store, customer_id="C-1", channel="sms",
        ...     marketing_class="toys", at=at, hasher=KeyedHasher(b"k" * 32))
        >>> decision.allowed
        False

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        NotFoundError: no such customer.
    """
    problems = Problems()
    check_id(customer_id, "$.customer_id", problems)
    chosen = _check_campaign(hasher, channel, marketing_class, at, law, problems)
    problems.raise_if_any()
    kind = None if chosen is None else CHANNEL_DATA_KIND[chosen]
    with unit_of(target, "customers", read_only=True) as uow:
        customer = uow.customers.get(customer_id)
        ledger = uow.consent.ledger(customer_id)
        uses = uow.data_uses.of(customer_id)
        suppressed = kind is not None and _suppressed(uow, hasher, customer, ledger, kind, at)
    return decide_marketing(
        ledger,
        channel=channel,
        marketing_class=marketing_class,
        at=at,
        law=law,
        uses=uses,
        customer=customer,
        suppressed=suppressed,
    )


@attrs.frozen(kw_only=True)
class CampaignLine(Tabular):
    """One customer's line in a campaign check: may they be sent it, and what stops it if not.

    Attributes:
        customer_id: the customer.
        channel: the channel the campaign goes out on.
        marketing_class: the class of marketing subject it promotes.
        at: the instant the check is for.
        allowed: whether the message may be sent.
        failed_rules: the ids of the rules that stand in the way (empty when allowed).
        obligations: what must be done when sending (the opt-out statement on a first use).
        explanation: the decision in plain words (`Decision.explain`).

    Examples:
        >>> from datetime import datetime, timezone
        >>> CampaignLine(customer_id="C-1", channel="sms", marketing_class="toys",
        ...              at=datetime(2026, 11, 30, tzinfo=timezone.utc), allowed=False,
        ...              failed_rules=("pdpo.s35C.notice",), obligations=(),
        ...              explanation="No.").failed_rules
        ('pdpo.s35C.notice',)
    """

    customer_id: str
    channel: MarketingChannel
    marketing_class: str
    at: datetime
    allowed: bool
    failed_rules: tuple[str, ...]
    obligations: tuple[str, ...]
    explanation: str


def check_campaign(
    target: Target,
    *,
    channel: MarketingChannel | str,
    marketing_class: str,
    at: datetime,
    customer_ids: Iterable[str] | None = None,
    law: str = "pdpo",
    hasher: KeyedHasher = REQUIRED,
) -> RecordList[CampaignLine]:
    """Check a whole campaign before it goes out: one `CampaignLine` per customer, in id order.

    ``customer_ids`` lists the audience; ``None`` checks every customer on
    file that has not been erased. The result is a
    table (`to_dataframe`, `_repr_html_`) a campaign tool filters on
    ``allowed``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore, KeyedHasher
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> [line.allowed for line in check_campaign(store, channel="email",
        ...     marketing_class="toys", at=at, hasher=KeyedHasher(b"k" * 32))]
        [False]

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        NotFoundError: a listed customer does not exist.
    """
    problems = Problems()
    _check_campaign(hasher, channel, marketing_class, at, law, problems)
    listed: list[str] | None = None
    if customer_ids is not None:
        if isinstance(customer_ids, str | bytes | Mapping) or not isinstance(
            customer_ids, Iterable
        ):
            problems.add("$.customer_ids", "must be a list of customer ids", "type")
        else:
            listed = list(customer_ids)
            for index, customer_id in enumerate(listed):
                check_id(customer_id, join_path("$.customer_ids", index), problems)
    problems.raise_if_any()
    lines: list[CampaignLine] = []
    with unit_of(target, "customers", read_only=True) as uow:
        if listed is None:
            ids = [c.id for c in uow.customers.query(CustomerQuery(erased=False))]
        else:
            ids = sorted(set(listed))
        for customer_id in ids:
            decision = decide_campaign(
                uow,
                customer_id=customer_id,
                channel=channel,
                marketing_class=marketing_class,
                at=at,
                law=law,
                hasher=hasher,
            )
            lines.append(
                CampaignLine(
                    customer_id=customer_id,
                    channel=MarketingChannel(channel),
                    marketing_class=marketing_class,
                    at=at,
                    allowed=decision.allowed,
                    failed_rules=tuple(reason.rule_id for reason in decision.failed),
                    obligations=decision.obligations,
                    explanation=decision.explain(),
                )
            )
    return RecordList(CampaignLine, lines)


def decide_data_provision(
    target: Target,
    *,
    customer_id: str,
    recipient_class: str,
    data_kinds: Iterable[DataKind | str],
    for_gain: bool,
    at: datetime,
    law: str = "pdpo",
    agent: bool = False,
) -> Decision:
    """May we give these kinds of this customer's data to this class of recipients?

    An agent marketing on the retailer's own behalf is not provision (PDPO
    s.35I(2)); otherwise the notice, the written consent, the for-gain
    statement and any cease request decide (`decide_provision`).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> decide_data_provision(store, customer_id="C-1", recipient_class="insurers",
        ...     data_kinds=["email"], for_gain=True, at=at).allowed
        False

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        NotFoundError: no such customer.
    """
    problems = Problems()
    check_id(customer_id, "$.customer_id", problems)
    check_id(recipient_class, "$.recipient_class", problems)
    _check_concrete_label(recipient_class, "$.recipient_class", problems)
    check_kinds(data_kinds, problems)
    check_bool(for_gain, "$.for_gain", problems)
    check_bool(agent, "$.agent", problems)
    check_aware(at, "$.at", problems)
    check_law(law, problems)
    problems.raise_if_any()
    with unit_of(target, "customers", read_only=True) as uow:
        customer = uow.customers.get(customer_id)
        ledger = uow.consent.ledger(customer_id)
    return decide_provision(
        ledger,
        recipient_class=recipient_class,
        data_kinds=data_kinds,
        for_gain=for_gain,
        at=at,
        law=law,
        agent=agent,
        customer=customer,
    )


def record_use(target: Target, use: DataUse) -> None:
    """Record marketing sent or data provided (`MarketingMessageSent`, `DataProvided`).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore, MarketingMessageSent
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> record_use(store, MarketingMessageSent(event_id="U-1", customer_id="C-1", at=at,
        ...     evidence="campaign:K-1", channel="sms", marketing_class="toys",
        ...     opt_out_statement=True))

    Raises:
        ValidationError: not a data-use record.
        NotFoundError: no such customer.
        ConflictError: the customer has a use with that event id already.
    """
    if type(use) not in DATA_USE_KINDS.values():
        raise ValidationError.single(
            "$.use", "must be a MarketingMessageSent or DataProvided", "type"
        )
    with unit_of(target, "customers") as uow:
        uow.data_uses.append(use)


# ---------------------------------------------------------------- opting out


def _suppress(
    uow: UnitOfWork,
    hasher: KeyedHasher,
    customer: Customer,
    kinds: Iterable[DataKind],
    scope: ConsentScope,
    at: datetime,
) -> int:
    """Put the customer's contact points of these kinds on the suppression list; how many new."""
    wanted = set(kinds)
    added = 0
    for point in customer.contacts:
        if point.kind in wanted:
            entry = SuppressionEntry(
                digest=hasher.digest(point.kind, point.value),
                data_kind=point.kind,
                scope=scope,
                added_at=at,
            )
            added += uow.suppression.add(entry)
    return added


def _standing_opt_outs(ledger: ConsentLedger, at: datetime) -> dict[ConsentScope, set[DataKind]]:
    """The kinds of contact point any opt-out (whole or of some classes) covers at ``at``.

    Used when the customer's data is erased: the ledger that held the opt-out goes, so the
    contact points it covered go on the suppression list, all classes included (a re-import
    cannot say which classes the person had refused). An opt-out lifted by a later consent for
    that kind of data no longer stands.
    """
    found: dict[ConsentScope, set[DataKind]] = {scope: set() for scope in ConsentScope}
    until = at.astimezone(UTC)  # instants, never wall clocks
    for event in ledger.opt_outs:
        if event.at.astimezone(UTC) > until:
            continue
        for kind in event.data_kinds or tuple(DataKind):
            renewed = any(
                event.at.astimezone(UTC) < consent.at.astimezone(UTC) <= until
                and consent.scope is event.scope
                and kind in consent.data_kinds
                for consent in ledger.consents
            )
            if not renewed and kind is not DataKind.NAME:
                found[event.scope].add(kind)
    return found


def opt_out(
    target: Target,
    *,
    customer_id: str,
    event_id: str,
    at: datetime,
    evidence: str,
    hasher: KeyedHasher = REQUIRED,
    scope: ConsentScope | str = ConsentScope.OWN_MARKETING,
    data_kinds: Iterable[DataKind | str] = (),
    marketing_classes: Iterable[str] = (),
    recipient_classes: Iterable[str] = (),
) -> OptedOut:
    """Record a customer's opt-out (PDPO s.35G, s.35L; GDPR Art. 21(3)), free and at any time.

    The `OptedOut` event is appended to the ledger. When it covers every
    class (it names none), the customer's contact points of the kinds it
    covers also go on the suppression list as keyed hashes, so the block
    outlives erasure and a re-import of the same address or number.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import (
        ...     ContactPoint, Customer, InMemoryStore, KeyedHasher)
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at,
        ...         contacts=[ContactPoint("email", "c1@example.com")]))
        ...     uow.commit()
        >>> hasher = KeyedHasher(b"a secret key of at least 32 bytes!")
        >>> opt_out(store, customer_id="C-1", event_id="E-9", at=at, evidence="mail:M-1",
        ...         hasher=hasher).whole
        True
        >>> is_suppressed(store, hasher=hasher, kind="email", value=" C1@example.com ")
        True

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        NotFoundError: no such customer.
        ConflictError: the event id is in the customer's ledger already.
    """
    with unit_of(target, "customers") as uow:
        return _opt_out_in(
            uow,
            customer_id=customer_id,
            event_id=event_id,
            at=at,
            evidence=evidence,
            hasher=hasher,
            scope=scope,
            data_kinds=data_kinds,
            marketing_classes=marketing_classes,
            recipient_classes=recipient_classes,
        )


def _opt_out_in(
    uow: UnitOfWork,
    *,
    customer_id: str,
    event_id: str,
    at: datetime,
    evidence: str,
    hasher: KeyedHasher = REQUIRED,
    scope: ConsentScope | str,
    data_kinds: Iterable[DataKind | str] = (),
    marketing_classes: Iterable[str] = (),
    recipient_classes: Iterable[str] = (),
) -> OptedOut:
    problems = Problems()
    _check_hasher(hasher, problems)
    problems.raise_if_any()
    event = OptedOut(
        event_id=event_id,
        customer_id=customer_id,
        at=at,
        evidence=evidence,
        scope=scope,
        data_kinds=data_kinds,
        marketing_classes=marketing_classes,
        recipient_classes=recipient_classes,
    )
    uow.customers.get(customer_id)
    uow.consent.append(event)
    _suppress_opt_out(uow, hasher, event)
    return event


def _suppress_opt_out(uow: UnitOfWork, hasher: KeyedHasher, event: OptedOut) -> None:
    """An opt-out of every class puts the contact points of its kinds on the suppression list.

    An opt-out of some classes only leaves the contact point usable for the others; the ledger
    enforces it, and erasure lists the contact point if the ledger goes.
    """
    if event.marketing_classes or event.recipient_classes:
        return
    customer = uow.customers.get(event.customer_id)
    _suppress(uow, hasher, customer, event.data_kinds or DataKind, event.scope, event.at)


def is_suppressed(
    target: Target,
    *,
    hasher: KeyedHasher = REQUIRED,
    kind: DataKind | str,
    value: str,
    scope: ConsentScope | str = ConsentScope.OWN_MARKETING,
) -> bool:
    """Whether a contact point is on the suppression list: check it before importing a list.

    The value is normalised the way `KeyedHasher.digest` does (case, spaces,
    punctuation of a number), so the same address written differently is
    still found.

    Examples:
        >>> from retail_service_quality import InMemoryStore, KeyedHasher
        >>> is_suppressed(InMemoryStore(), hasher=KeyedHasher(b"k" * 32), kind="email",
        ...               value="new@example.com")
        False

    Raises:
        ValidationError: a bad argument (every problem, with its path).
    """
    problems = Problems()
    _check_hasher(hasher, problems)
    contact_kind = lenient_enum(DataKind, kind)
    check_enum(contact_kind, DataKind, "$.kind", problems)
    if contact_kind is DataKind.NAME:
        problems.add("$.kind", "must be a kind of contact point, not a name", "invalid")
    if not isinstance(value, str):
        problems.add("$.value", "must be text", "type")
    chosen = lenient_enum(ConsentScope, scope)
    check_enum(chosen, ConsentScope, "$.scope", problems)
    problems.raise_if_any()
    digest = hasher.digest(kind, value)
    with unit_of(target, "customers", read_only=True) as uow:
        return uow.suppression.contains(digest, chosen)


def cease_provision(
    target: Target,
    *,
    customer_id: str,
    event_id: str,
    at: datetime,
    evidence: str,
    hasher: KeyedHasher = REQUIRED,
) -> tuple[RecipientNotice, ...]:
    """A customer's request to stop providing their data to others (PDPO s.35L).

    Records the opt-out of provision (every class of recipients), puts the
    customer's contact points on the provision suppression list, and returns
    the written notices owed: one to every party the data was provided to,
    telling it to stop (agents are not recipients of provision, s.35I(2)).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import (
        ...     Customer, DataProvided, InMemoryStore, KeyedHasher)
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.data_uses.append(DataProvided(event_id="U-1", customer_id="C-1", at=at,
        ...         evidence="batch:B-1", recipient_id="P-1", recipient_class="insurers",
        ...         data_kinds=["email"], for_gain=True))
        ...     uow.commit()
        >>> notices = cease_provision(store, customer_id="C-1", event_id="E-1", at=at,
        ...                           evidence="letter:L-1", hasher=KeyedHasher(b"k" * 32))
        >>> [notice.recipient_id for notice in notices]
        ['P-1']

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        NotFoundError: no such customer.
    """
    with unit_of(target, "customers") as uow:
        _opt_out_in(
            uow,
            customer_id=customer_id,
            event_id=event_id,
            at=at,
            evidence=evidence,
            hasher=hasher,
            scope=ConsentScope.PROVISION,
        )
        uses = uow.data_uses.of(customer_id)
    return cease_notices(uses, customer_id=customer_id, at=at)


# ---------------------------------------------------------------- data-subject requests


def receive_request(
    target: Target,
    *,
    request_id: str,
    customer_id: str,
    kind: RequestKind | str,
    law: str,
    received_at: datetime,
    note: str | None = None,
) -> PrivacyRequest:
    """Log a data subject's request, with the date the law says it must be answered by.

    ``due_on`` comes from `request_due`: under the PDPO, 40 days for access
    (s.19(1)) and correction (s.23(1)) and no statutory period for the other
    kinds (``None``); under the GDPR, one month for every kind (Art. 12(3)).
    The due date counts from the day received on ``received_at``'s own wall
    clock.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> at = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> receive_request(store, request_id="R-1", customer_id="C-1", kind="access",
        ...                 law="pdpo", received_at=at).due_on
        datetime.date(2026, 6, 13)

    Raises:
        ValidationError: a bad argument (every problem, with its path).
        NotFoundError: no such customer.
        ConflictError: a request with that id exists.
    """
    problems = Problems()
    check_id(request_id, "$.request_id", problems)
    check_id(customer_id, "$.customer_id", problems)
    check_enum(lenient_enum(RequestKind, kind), RequestKind, "$.kind", problems)
    check_law(law, problems)
    check_aware(received_at, "$.received_at", problems)
    problems.raise_if_any()
    due = request_due(kind, received_at.date(), law=law)
    request = PrivacyRequest(
        id=request_id,
        customer_id=customer_id,
        kind=kind,
        law=law,
        received_at=received_at,
        due_on=due,
        note=note,
    )
    with unit_of(target, "customers") as uow:
        uow.privacy_requests.add(request)
    return request


def extend_request(
    target: Target,
    *,
    request_id: str,
    extended_to: date,
    at: datetime,
) -> PrivacyRequest:
    """Record that the person was told, in time, that the answer will come later.

    - GDPR (Art. 12(3)): the person is told within the first month, with the
      reasons; the new date is at most three months after receipt
      (`request_extension_limit`).
    - PDPO (s.19(2)): a data user who cannot comply within the 40 days says
      so in writing, with the reasons, before they end, and complies as soon
      as practicable; ``extended_to`` is the date it commits to.

    The notice must be given (``at``) no later than the due date, on the
    wall clock of ``at``; the request becomes ``extended``.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> at = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", created_at=at))
        ...     uow.commit()
        >>> _ = receive_request(store, request_id="R-1", customer_id="C-1", kind="access",
        ...                     law="gdpr", received_at=at)
        >>> extend_request(store, request_id="R-1", extended_to=date(2026, 8, 4),
        ...                at=datetime(2026, 5, 20, tzinfo=timezone.utc)).answer_by
        datetime.date(2026, 8, 4)

    Raises:
        ValidationError: a bad argument, a date after the law's limit, or a
            notice given after the due date.
        InvalidTransitionError: the request is closed already.
        NotFoundError: no such request.
    """
    problems = Problems()
    check_id(request_id, "$.request_id", problems)
    if isinstance(extended_to, datetime) or not isinstance(extended_to, date):
        problems.add("$.extended_to", "must be a date (not a datetime)", "type")
    check_aware(at, "$.at", problems)
    problems.raise_if_any()
    with unit_of(target, "customers") as uow:
        request = uow.privacy_requests.get(request_id)
        if not request.is_open:
            raise InvalidTransitionError(
                f"the request {request_id!r} is {request.status.value}: it cannot be extended"
            )
        problems = Problems()
        if request.due_on is not None and _local_day(at) > request.due_on:
            problems.add(
                "$.at",
                "must be no later than the due date: the person is told before the period ends",
                "range",
            )
        limit = request_extension_limit(request.kind, request.received_at.date(), law=request.law)
        if limit is not None and extended_to > limit:
            problems.add(
                "$.extended_to",
                f"must be no later than {limit.isoformat()} (three months after receipt, "
                "GDPR Art. 12(3))",
                "range",
            )
        if request.due_on is not None and extended_to <= request.due_on:
            problems.add("$.extended_to", "must be after the due date", "inconsistent")
        problems.raise_if_any()
        return uow.privacy_requests.save(
            request.evolve(status=RequestStatus.EXTENDED, extended_to=extended_to)
        )


def _close(uow: UnitOfWork, request_id: str | None, customer_id: str, at: datetime) -> None:
    if request_id is None:
        return
    request = uow.privacy_requests.get(request_id)
    if request.customer_id != customer_id:
        raise ValidationError.single(
            "$.request_id", "must be a request of the same customer", "inconsistent"
        )
    if request.is_open:
        uow.privacy_requests.save(request.evolve(status=RequestStatus.COMPLETED, closed_at=at))


def export_personal_data(
    target: Target,
    *,
    request_id: str,
    at: datetime,
    schedule: RetentionSchedule | None = None,
    complete: bool = True,
) -> AccessExport:
    """Answer an access (or portability) request: everything held about the person, as one export.

    Reads the customer, their consent ledger, the uses of their data, their
    interactions, their complaints (each whole: what they said and every
    step of its history), their requests and the legal holds on their data, and
    builds the `AccessExport` (`build_access_export`), with the purposes,
    categories, recipients, retention periods and source the GDPR's Art. 15
    lists; `AccessExport.to_json` is the machine-readable copy. With
    ``complete`` (the default) the request is marked completed at ``at``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore
        >>> at = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Chan", created_at=at))
        ...     uow.commit()
        >>> _ = receive_request(store, request_id="R-1", customer_id="C-1", kind="access",
        ...                     law="pdpo", received_at=at)
        >>> export = export_personal_data(store, request_id="R-1", at=at)
        >>> export.customer.name
        'Chan'

    Raises:
        ValidationError: a bad argument, or a request that is not for access or portability.
        NotFoundError: no such request.
    """
    problems = Problems()
    check_id(request_id, "$.request_id", problems)
    check_aware(at, "$.at", problems)
    if schedule is not None and not isinstance(schedule, RetentionSchedule):
        problems.add("$.schedule", "must be a RetentionSchedule", "type")
    check_bool(complete, "$.complete", problems)
    problems.raise_if_any()
    with unit_of(target, "customers") as uow:
        request = uow.privacy_requests.get(request_id)
        if request.kind not in (RequestKind.ACCESS, RequestKind.PORTABILITY):
            raise ValidationError.single(
                "$.request_id", "must be an access or portability request", "inconsistent"
            )
        customer_id = request.customer_id
        export = build_access_export(
            uow.customers.get(customer_id),
            request=request,
            produced_at=at,
            consent_ledger=uow.consent.ledger(customer_id),
            data_uses=uow.data_uses.of(customer_id),
            interactions=list(uow.interactions.query(InteractionQuery(customer_id=customer_id))),
            complaints=_complaints_of(uow, customer_id),
            privacy_requests=list(uow.privacy_requests.query(customer_id=customer_id)),
            legal_holds=uow.legal_holds.of(customer_id),
            schedule=schedule,
        )
        if complete:
            _close(uow, request_id, customer_id, at)
    return export


_FIXED: Final = ("id", "version", "created_at", "erased_at")


def correct_customer(
    target: Target,
    *,
    customer_id: str,
    changes: Mapping[str, Any],
    at: datetime,
    law: str = "pdpo",
    request_id: str | None = None,
) -> RecordList[RecipientNotice]:
    """Correct a customer's data, and list whom the correction must be sent on to.

    The customer is saved with ``changes`` applied (validated as any edit
    is). The result lists the parties the data was disclosed to that must be
    told: under the PDPO those of the 12 months before the correction
    (s.23(1)(c)), under the GDPR every recipient (Art. 19). With
    ``request_id``, that correction request is marked completed.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, DataProvided, InMemoryStore
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Chan", created_at=at))
        ...     uow.data_uses.append(DataProvided(event_id="U-1", customer_id="C-1", at=at,
        ...         evidence="batch:B-1", recipient_id="AGENT-1", recipient_class="mailing",
        ...         data_kinds=["name"], for_gain=False, agent=True))
        ...     uow.commit()
        >>> [n.recipient_id for n in correct_customer(store, customer_id="C-1",
        ...     changes={"name": "Chan Tai Man"}, at=at)]
        ['AGENT-1']

    Raises:
        ValidationError: a bad change or argument (every problem, with its path).
        NotFoundError: no such customer or request.
        ConflictError: the customer was saved by someone else meanwhile.
    """
    problems = Problems()
    check_id(customer_id, "$.customer_id", problems)
    check_aware(at, "$.at", problems)
    check_law(law, problems)
    check_id(request_id, "$.request_id", problems, optional=True)
    fields = attrs.fields_dict(Customer)
    if not isinstance(changes, Mapping):
        problems.add("$.changes", "must be a mapping of field names to values", "type")
        changes = {}
    for name in changes:
        if not isinstance(name, str) or name not in fields or name in _FIXED:
            problems.add(
                join_path("$.changes", str(name)),
                "must be a field a correction can change",
                "unknown_choice",
            )
    problems.raise_if_any()
    with unit_of(target, "customers") as uow:
        customer = uow.customers.get(customer_id)
        uow.customers.save(customer.evolve(**changes))
        notices = correction_recipients(uow.data_uses.of(customer_id), corrected_at=at, law=law)
        _close(uow, request_id, customer_id, at)
    return RecordList(RecipientNotice, notices)


def _blank_interactions(uow: UnitOfWork, customer_id: str) -> None:
    """Blank the personal fields (the free text) of the customer's interactions."""
    for interaction in list(uow.interactions.query(InteractionQuery(customer_id=customer_id))):
        blanked = _blanked(interaction)
        if blanked != interaction:
            uow.interactions.save(blanked)


def _blank_request_notes(uow: UnitOfWork, customer_id: str) -> None:
    """Blank the free-text notes of the customer's requests; the requests themselves stay."""
    for request in list(uow.privacy_requests.query(customer_id=customer_id)):
        if request.note is not None:
            uow.privacy_requests.save(request.evolve(note=None))


_AnyPlan = TypeVar("_AnyPlan", ErasurePlan, RetentionPlan)

_REQUESTS_KEPT: Final = PlanItem(
    data="privacy_requests",
    action="keep",
    basis="live_purpose",
    reason=(
        "the record of the person's requests and how they were answered is kept to show the "
        "law was complied with; the free text of its notes is erased"
    ),
    source="PDPO s.19 and s.23; GDPR Art. 5(2) and Art. 17(3)(e)",
    purpose="accountability",
)


def _keeping_requests(plan: _AnyPlan) -> _AnyPlan:
    """The plan with the privacy requests kept: the application API never deletes them."""
    item = plan.items.get("privacy_requests")
    if item is None or item.action == "keep":
        return plan
    return attrs.evolve(plan, items={**plan.items, "privacy_requests": _REQUESTS_KEPT})


def _blanked(record: Any) -> Any:
    changes: dict[str, Any] = {}
    for name in personal_data(type(record)):
        value = getattr(record, name)
        blankable, blank = _blank_of(type(record), name)
        if blankable:
            changes[name] = blank
        elif isinstance(value, str):
            changes[name] = ""
    return attrs.evolve(record, **changes) if changes else record


def _complaints_of(uow: UnitOfWork, customer_id: str) -> list[Complaint]:
    return list(uow.complaints.query(ComplaintQuery(customer_id=customer_id)))


def _redact_complaints(
    uow: UnitOfWork, plan: ErasurePlan | RetentionPlan, complaints: Iterable[Complaint]
) -> None:
    """Blank the customer's words in each complaint the plan erases; saved at their versions.

    A complaint the plan keeps by name (held, or still open when the plan was made) is left
    whole, and so is one open now: an open complaint is never redacted.
    """
    for complaint in complaints:
        item = plan.items.get(_COMPLAINT_ITEM.format(id=complaint.id))
        if item is not None and item.action == "keep":
            continue
        if complaint.closed_at is None:
            continue
        redacted = complaint.redacted()
        if redacted != complaint:
            uow.complaints.save(redacted)


def _apply_plan(
    uow: UnitOfWork,
    plan: ErasurePlan | RetentionPlan,
    customer: Customer,
    at: datetime,
    complaints: Iterable[Complaint] = (),
) -> None:
    erased = set(plan.erased())
    fields_erased = erased - _record_items(plan.items)
    if fields_erased:
        anonymised = plan.apply(customer, at)
        if anonymised != customer:
            uow.customers.save(anonymised)
    if "consent_ledger" in erased:
        uow.consent.erase(customer.id)
    if "data_uses" in erased:
        uow.data_uses.erase(customer.id)
    if "interactions" in erased:
        _blank_interactions(uow, customer.id)
        # Survey answers follow the interactions they were given about: the customer link,
        # its consent and the customer's own words go; the closed answers stay, anonymous.
        uow.surveys.responses.erase_customer(customer.id)
    if "complaints" in erased:
        _redact_complaints(uow, plan, complaints)
    if fields_erased or "privacy_requests" in plan.items:
        _blank_request_notes(uow, customer.id)


def erase_customer(
    target: Target,
    *,
    customer_id: str,
    at: datetime,
    hasher: KeyedHasher = REQUIRED,
    law: str = "pdpo",
    live_purposes: Iterable[str] = (),
    request_id: str | None = None,
) -> ErasurePlan:
    """Erase a customer's data on request, except what a legal hold or a live purpose keeps.

    1. Every standing opt-out's contact points go on the suppression list
       first (keyed hashes), so the opt-out outlives the erasure.
    2. The plan (`plan_erasure`) decides, item by item, what goes and what
       stays, with the reason and legal source of each.
    3. The customer record is anonymised (the erased personal fields blanked,
       ``erased_at`` set); the consent ledger and the records of data uses
       are deleted and the free text of interactions blanked, unless a hold
       keeps them; with the interactions, the customer's survey responses
       lose their link to the customer and their free-text comments (their
       closed answers stay, anonymous). The records of the person's privacy requests are kept, to
       show how they were answered, with their free-text notes blanked; the
       plan says so.
    4. Each of the customer's closed complaints loses the customer's own
       words (`Complaint.redacted`: the description blanked) and keeps the
       record of how it was handled: category, channel, store, times,
       remedies, root cause, corrective action, staff, its SLA policy and
       history, so its SLA answers and the complaint analysis are unchanged.
       It stays linked to the customer's (anonymised) record. A complaint
       still open is kept whole while it is handled, and so is one a hold
       keeps (``complaints``, or ``complaints.<id>`` for one); the plan has
       an item for each. Each complaint is saved with its version checked
       (optimistic concurrency), in this same unit of work: the whole
       erasure commits, or none of it.

    On SQLite the erased values are gone from the database file's bytes
    once the unit of work commits. The returned plan is the report: which
    items were erased and which kept, and why. With ``request_id`` the
    erasure request is marked completed.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore, KeyedHasher
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Chan", created_at=at))
        ...     uow.commit()
        >>> plan = erase_customer(store, customer_id="C-1", at=at,
        ...                       hasher=KeyedHasher(b"k" * 32))
        >>> "name" in plan.erased()
        True
        >>> with store.unit_of_work(read_only=True) as uow:
        ...     uow.customers.get("C-1").name is None
        True

    Raises:
        ValidationError: a bad argument (every problem, with its path), or a
            field the record needs that no hold keeps.
        NotFoundError: no such customer or request.
        ConflictError: a record was saved by someone else meanwhile.
    """
    problems = Problems()
    check_id(customer_id, "$.customer_id", problems)
    _check_hasher(hasher, problems)
    check_aware(at, "$.at", problems)
    check_law(law, problems)
    check_id(request_id, "$.request_id", problems, optional=True)
    problems.raise_if_any()
    with unit_of(target, "customers") as uow:
        customer = uow.customers.get(customer_id)
        complaints = _complaints_of(uow, customer_id)
        plan = _keeping_requests(
            plan_erasure(
                customer,
                holds=uow.legal_holds.of(customer_id),
                live_purposes=live_purposes,
                on=_local_day(at),
                law=law,
                complaints=complaints,
            )
        )
        ledger = uow.consent.ledger(customer_id)
        for scope, kinds in _standing_opt_outs(ledger, at).items():
            _suppress(uow, hasher, customer, kinds, scope, at)
        _apply_plan(uow, plan, customer, at, complaints)
        _close(uow, request_id, customer_id, at)
    return plan


@attrs.frozen(kw_only=True)
class SweepLine(Tabular):
    """One item of one customer in a retention sweep: what the schedule does with it, and why.

    Attributes:
        customer_id: whose data it is.
        item: the personal field (``contacts.email``) or kind of records (``interactions``).
        data: its class of personal data, or its kind of records.
        action: ``"erase"`` or ``"keep"``.
        basis: why (see `PlanItem`).
        reason: the reason in plain words.
        source: the legal source.
        until: the last day it is kept, where known.
        applied: whether the sweep erased it (``False`` on a dry run).

    Examples:
        >>> SweepLine(customer_id="C-1", item="name", data="identifier", action="keep",
        ...     basis="retention", reason="kept", source="PDPO DPP2(2)", until=None,
        ...     applied=False).action
        'keep'
    """

    customer_id: str
    item: str
    data: str
    action: str
    basis: str
    reason: str
    source: str
    until: date | None
    applied: bool


def _last_activity(
    uow: UnitOfWork, customer: Customer, complaints: Iterable[Complaint]
) -> datetime | None:
    """The latest of the customer's ledger events, data uses, interactions and complaint steps."""
    moments = [event.at for event in uow.consent.ledger(customer.id).events]
    moments += [use.at for use in uow.data_uses.of(customer.id)]
    moments += [
        interaction.occurred_at
        for interaction in uow.interactions.query(InteractionQuery(customer_id=customer.id))
    ]
    moments += _complaint_activity(complaints)
    return _latest_instant(moments)


def sweep_retention(
    target: Target,
    *,
    schedule: RetentionSchedule,
    at: datetime,
    apply: bool = False,
    hasher: KeyedHasher | None = None,
    live_purposes: Mapping[str, Iterable[str]] | None = None,
) -> RecordList[SweepLine]:
    """Apply a retention schedule to every customer: a dry run first, then for real.

    For each customer (an erased one too, for what a legal hold kept until
    the hold ends), `plan_retention` decides each item on the day of
    ``at``: kept by a legal hold, a live purpose (``live_purposes`` maps a
    customer id to the purposes still running for them, such as an open
    order) or a period still running, else erased. The last activity a
    period may count from is the latest of the customer's ledger events, data
    uses, interactions and complaints (each complaint's receipt and last
    step). Complaints are planned as `erase_customer` erases them: their
    free text goes, the record of how each was handled stays, and one still
    open (or held by name) is kept whole, with a line of its own. With
    ``apply=False`` (the default) nothing changes: the result is the report
    of what would happen. With ``apply=True`` the erasures are made, in this one unit of work; that
    needs the ``hasher``, since the contact points of any standing opt-out
    go on the suppression list before a ledger is erased. The records of
    privacy requests are kept (their notes blanked), as `erase_customer`
    keeps them.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore, RetentionSchedule
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Chan",
        ...         created_at=datetime(2010, 1, 4, tzinfo=timezone.utc)))
        ...     uow.commit()
        >>> lines = sweep_retention(store, schedule=RetentionSchedule.default(),
        ...     at=datetime(2026, 11, 30, tzinfo=timezone.utc))
        >>> sorted({line.action for line in lines if line.item == "name"})
        ['erase']
        >>> with store.unit_of_work(read_only=True) as uow:  # a dry run changes nothing
        ...     uow.customers.get("C-1").name
        'Chan'

    Raises:
        ValidationError: a bad argument (every problem, with its path).
    """
    problems = Problems()
    check_aware(at, "$.at", problems)
    if not isinstance(schedule, RetentionSchedule):
        problems.add("$.schedule", "must be a RetentionSchedule", "type")
    if not isinstance(apply, bool):
        problems.add("$.apply", "must be true or false", "type")
    if live_purposes is not None and not isinstance(live_purposes, Mapping):
        problems.add("$.live_purposes", "must map customer ids to lists of purposes", "type")
    if apply is True and hasher is None:
        problems.add(
            "$.hasher",
            "is required to apply: opted-out contact points go on the suppression list first",
            "required",
        )
    elif hasher is not None:
        _check_hasher(hasher, problems)
    problems.raise_if_any()
    running = live_purposes or {}
    lines: list[SweepLine] = []
    with unit_of(target, "customers", read_only=not apply) as uow:
        customers = list(uow.customers.query())
        for customer in customers:
            complaints = _complaints_of(uow, customer.id)
            plan = plan_retention(
                customer,
                last_activity=_last_activity(uow, customer, complaints),
                holds=uow.legal_holds.of(customer.id),
                live_purposes=running.get(customer.id, ()),
                schedule=schedule,
                on=_local_day(at),
                complaints=complaints,
            )
            plan = _keeping_requests(plan)
            if apply and hasher is not None and plan.erased():
                if "consent_ledger" in plan.erased():
                    ledger = uow.consent.ledger(customer.id)
                    for scope, kinds in _standing_opt_outs(ledger, at).items():
                        _suppress(uow, hasher, customer, kinds, scope, at)
                _apply_plan(uow, plan, customer, at, complaints)
            lines.extend(
                SweepLine(
                    customer_id=customer.id,
                    item=name,
                    data=item.data,
                    action=item.action,
                    basis=item.basis,
                    reason=item.reason,
                    source=item.source,
                    until=item.until,
                    applied=apply and item.action == "erase",
                )
                for name, item in plan.items.items()
            )
    return RecordList(SweepLine, lines)


_EXPORTS: Final = ("customers", "interactions", "complaints")


def pseudonymised_export(
    target: Target, *, hasher: KeyedHasher, records: str = "interactions"
) -> PseudonymisedRecords:
    """A table of a store's records for analytics, with personal data dropped or pseudonymised.

    ``records`` is ``"customers"``, ``"interactions"`` or ``"complaints"``. Customer ids become
    keyed pseudonyms (the same for a customer in every export made with the
    same key, so tables still join),
    personal identifiers become pseudonyms and every other personal field is
    left out (`pseudonymised_records`). Complaints give one row each of
    what was derived from their history (state, times, category, channel,
    store, remedies, root cause, SLA policy): never what the customer said,
    nor the staff who handled them. The key is the caller's: the library
    never stores it. Pseudonymised data is still personal data.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, InMemoryStore, KeyedHasher
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.customers.add(Customer(id="C-1", name="Chan",
        ...         created_at=datetime(2026, 1, 4, tzinfo=timezone.utc)))
        ...     uow.commit()
        >>> rows = pseudonymised_export(store, hasher=KeyedHasher(b"k" * 32), records="customers")
        >>> rows[0]["id"] == "C-1", "Chan" in str(rows)
        (False, False)

    Raises:
        ValidationError: a bad argument (every problem, with its path).
    """
    problems = Problems()
    _check_hasher(hasher, problems)
    if not isinstance(records, str) or records not in _EXPORTS:
        problems.add("$.records", "must be one of: " + ", ".join(_EXPORTS), "unknown_choice")
    problems.raise_if_any()
    with unit_of(target, "customers", read_only=True) as uow:
        source: Iterable[Any]
        if records == "customers":
            source = uow.customers.query()
        elif records == "complaints":
            source = uow.complaints.query()
        else:
            source = uow.interactions.query()
        return pseudonymised_records(list(source), hasher)
