"""The consent ledger: what a customer was told and agreed to, as append-only events.

A customer's consent to direct marketing is never stored as a flag. It is a
`ConsentLedger` of events (a notice served, a consent given, an oral consent
confirmed in writing, a consent withdrawn, an opt-out), and what is permitted
at an instant is derived from those events by `ConsentLedger.state`.

Marketing reaches a person through a kind of personal data (`DataKind`): an
SMS needs the mobile number, an email the email address (`CHANNEL_DATA_KIND`).
Consent covers pairs of a kind of data and a class of marketing subjects
(`MarketingClass`), and for provision to others, pairs of a kind of data and
a class of recipients (`RecipientClass`).

Examples:
    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
    >>> notice = NoticeServed(
    ...     event_id="E-1", customer_id="C-1", at=at, evidence="form:F-17",
    ...     notice_version="2026-01", data_kinds=["mobile_number"],
    ...     marketing_classes=["cosmetics"],
    ... )
    >>> consent = ConsentGiven(
    ...     event_id="E-2", customer_id="C-1", at=at, evidence="form:F-17",
    ...     method="written", scope="own_marketing", data_kinds=["mobile_number"],
    ...     marketing_classes=["cosmetics"], notice_version="2026-01", explicit=True,
    ... )
    >>> state = ConsentLedger("C-1").append(notice).append(consent).state(at)
    >>> state.permits("sms", "cosmetics"), state.permits("email", "cosmetics")
    (True, False)
    >>> state.permits("sms", "electronics")
    False
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, Final, TypeAlias, TypeVar

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.times import MAX_INSTANT
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_id_list,
    is_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import Problems, ValidationError, join_path

T = TypeVar("T")

__all__ = [
    "CHANNEL_DATA_KIND",
    "EVENT_KINDS",
    "ORAL_CONFIRMATION_PERIOD",
    "VAGUE_PATTERNS",
    "ConsentEvent",
    "ConsentGiven",
    "ConsentLedger",
    "ConsentMethod",
    "ConsentScope",
    "ConsentState",
    "ConsentWithdrawn",
    "DataKind",
    "MarketingChannel",
    "MarketingClass",
    "MarketingClassRegistry",
    "NoticeServed",
    "OptedOut",
    "OralConsentConfirmed",
    "PendingConsent",
    "Permission",
    "RecipientClass",
    "is_vague",
]


class DataKind(StrEnum):
    """A kind of personal data that marketing uses to reach a person.

    Examples:
        >>> DataKind("mobile_number") is DataKind.MOBILE_NUMBER
        True
    """

    NAME = "name"
    MOBILE_NUMBER = "mobile_number"
    EMAIL = "email"
    POSTAL_ADDRESS = "postal_address"
    SOCIAL_HANDLE = "social_handle"
    FAX = "fax"


class MarketingChannel(StrEnum):
    """A channel a marketing message goes out on.

    Examples:
        >>> CHANNEL_DATA_KIND[MarketingChannel.CALL]
        <DataKind.MOBILE_NUMBER: 'mobile_number'>
    """

    SMS = "sms"
    CALL = "call"
    EMAIL = "email"
    POST = "post"
    SOCIAL = "social"
    FAX = "fax"


CHANNEL_DATA_KIND: Final[MappingProxyType[MarketingChannel, DataKind]] = MappingProxyType(
    {
        MarketingChannel.SMS: DataKind.MOBILE_NUMBER,
        MarketingChannel.CALL: DataKind.MOBILE_NUMBER,
        MarketingChannel.EMAIL: DataKind.EMAIL,
        MarketingChannel.POST: DataKind.POSTAL_ADDRESS,
        MarketingChannel.SOCIAL: DataKind.SOCIAL_HANDLE,
        MarketingChannel.FAX: DataKind.FAX,
    }
)
"""The kind of personal data each marketing channel needs (an SMS needs the mobile number)."""

ORAL_CONFIRMATION_PERIOD: Final = timedelta(days=14)
"""How long after an oral consent its written confirmation may come (PDPO s.35E(1)(b)).

Measured as elapsed time (14 days of 24 hours between instants), never on a wall clock. An
oral consent given less than 14 days before the end of the supported range (`MAX_INSTANT`
in ``_internal.times``) never lapses inside it."""

_NEVER: Final = datetime.max.replace(tzinfo=UTC)


class ConsentMethod(StrEnum):
    """How a consent was given. An oral consent counts only once confirmed in writing.

    Examples:
        >>> ConsentMethod("oral").value
        'oral'
    """

    WRITTEN = "written"
    ORAL = "oral"
    ONLINE = "online"


class ConsentScope(StrEnum):
    """What a consent (or opt-out) is about: the retailer's own marketing, or provision to others.

    Examples:
        >>> ConsentScope("provision") is ConsentScope.PROVISION
        True
    """

    OWN_MARKETING = "own_marketing"
    PROVISION = "provision"


# ---------------------------------------------------------------- classes and their registry

VAGUE_PATTERNS: Final[tuple[str, ...]] = (
    r"\bpartners?\b",
    r"\baffiliates?\b",
    r"\bthird[- ]?part(?:y|ies)\b",
    r"\bwe (?:think|consider|believe|deem|decide|choose|may|might|select)\b",
    r"\b(?:fit|fits|suit|suits|suitable for|relevant to|of interest to|interest) you\b",
    r"\bsuch (?:products?|services?|goods|offers?|items?|things?)\b",
    r"\bany (?:products?|services?|goods|offers?|items?|things?|companies|organi[sz]ations)\b",
    r"\ball (?:products?|services?|goods|offers?|items?|kinds?|sorts?)\b",
    r"\b(?:and|or|&) (?:others?|more|so on|similar|the like)\b",
    r"\b(?:etc|et cetera)\b",
    r"^(?:others?|misc|miscellaneous|general|various|everything|anything|all|"
    r"products|services|goods|offers|promotions)$",
)
"""Patterns (case-insensitive, searched in the label with its spaces folded, and underscores and
hyphens read as spaces, so identifiers such as ``our_partners`` are read too) of vague classes.

The rule they implement: a class of marketing subjects or of recipients must
name a concrete category of goods, services or recipients. A label is vague,
and refused, when it leaves the choice to the retailer ("products we think fit
you", "such products as we think fit"), names partners or third parties
without saying which kind ("our partners"), is a catch-all ("other", "any
products", "all services") or ends an open list ("shoes, bags etc.", "shoes
and more"). A label without a letter is refused too."""

_VAGUE = tuple(re.compile(pattern, re.IGNORECASE) for pattern in VAGUE_PATTERNS)
_LETTER = re.compile(r"[^\W\d_]")
_VAGUE_MESSAGE = "must name a concrete class (such as 'cosmetics'), not a vague or catch-all one"


def is_vague(label: str) -> bool:
    """Whether a class label is too vague to tell a person what they agree to (`VAGUE_PATTERNS`).

    Examples:
        >>> is_vague("cosmetics"), is_vague("Our Partners"), is_vague("shoes, bags etc.")
        (False, True, True)
        >>> is_vague("products we think fit you"), is_vague("Other")
        (True, True)
        >>> is_vague("our_partners"), is_vague("anything-we-think-fit"), is_vague("home-audio")
        (True, True, False)
    """
    if not is_text(label):
        return True
    folded = " ".join(label.replace("_", " ").replace("-", " ").split())
    if not _LETTER.search(folded):
        return True
    return any(pattern.search(folded) for pattern in _VAGUE)


def _check_class(instance: Any, problems: Problems) -> None:
    check_id(instance.id, "$.id", problems)
    if not isinstance(instance.label, str):
        problems.add("$.label", "must be text", "type")
    elif not is_text(instance.label) or not instance.label.strip() or len(instance.label) > 200:
        problems.add("$.label", "must be text of 1 to 200 characters", "format")
    elif is_vague(instance.label):
        problems.add("$.label", _VAGUE_MESSAGE, "invalid")


@attrs.frozen
class MarketingClass:
    """A class of marketing subjects a person can consent to, such as cosmetics.

    Attributes:
        id: the class's identifier, used in notices, consents and opt-outs.
        label: what the class covers, in words a customer understands; vague
            labels are refused (`is_vague`).

    Examples:
        >>> MarketingClass("cosmetics", "Cosmetics and skincare").label
        'Cosmetics and skincare'
        >>> MarketingClass("misc", "products we think fit you")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.label: must name a concrete class (such as 'cosmetics'), not a vague or catch-all one

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    id: str = attrs.field(default=REQUIRED)
    label: str = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_class(self, problems)
        raise_problems(self, problems)


@attrs.frozen
class RecipientClass:
    """A class of recipients that personal data may be provided to, such as insurers.

    Attributes:
        id: the class's identifier, used in notices, consents and opt-outs.
        label: which kind of organisation it is; vague labels ("our partners")
            are refused (`is_vague`).

    Examples:
        >>> RecipientClass("insurers", "Insurance companies").id
        'insurers'
        >>> try:
        ...     RecipientClass("partners", "our business partners")
        ... except ValidationError as error:
        ...     print(error.problems[0].path, error.problems[0].code)
        $.label invalid

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED)
    label: str = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_class(self, problems)
        raise_problems(self, problems)


def _to_tuple(value: Iterable[T]) -> tuple[T, ...]:
    """A list or set as a tuple; anything else as is, for validation to report."""
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    return value  # type: ignore[return-value]  # a tuple, or reported by validation


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return _to_tuple(value)


def _marketing(value: Iterable[MarketingClass]) -> tuple[MarketingClass, ...]:
    return _to_tuple(value)


def _recipients(value: Iterable[RecipientClass]) -> tuple[RecipientClass, ...]:
    return _to_tuple(value)


def _check_members(
    value: object, kind: type[Any], field: str, problems: Problems, *, label: str
) -> list[str]:
    """Check a tuple of classes; return their ids (for the duplicate check)."""
    if not isinstance(value, tuple):
        problems.add(f"$.{field}", f"must be a list of {label}", "type")
        return []
    ids: list[str] = []
    for index, member in enumerate(value):
        if not isinstance(member, kind):
            problems.add(join_path(f"$.{field}", index), f"must be a {kind.__name__}", "type")
            continue
        if member.id in ids:
            problems.add(join_path(f"$.{field}", index), "repeats a class id", "duplicate")
        ids.append(member.id)
    return ids


@attrs.frozen
class MarketingClassRegistry:
    """The classes of marketing subjects and of recipients a retailer names in its notices.

    Attributes:
        marketing: the classes of marketing subjects, each id once.
        recipients: the classes of recipients data may be provided to, each id once.

    Examples:
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> registry = MarketingClassRegistry(
        ...     marketing=[MarketingClass("cosmetics", "Cosmetics"),
        ...                MarketingClass("electronics", "Consumer electronics")],
        ...     recipients=[RecipientClass("insurers", "Insurance companies")],
        ... )
        >>> registry.marketing_ids()
        ('cosmetics', 'electronics')
        >>> from_json(to_json(registry), MarketingClassRegistry) == registry
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    marketing: tuple[MarketingClass, ...] = attrs.field(default=(), converter=_marketing)
    recipients: tuple[RecipientClass, ...] = attrs.field(default=(), converter=_recipients)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_members(self.marketing, MarketingClass, "marketing", problems, label="classes")
        _check_members(self.recipients, RecipientClass, "recipients", problems, label="classes")
        raise_problems(self, problems)

    def marketing_ids(self) -> tuple[str, ...]:
        """The ids of the classes of marketing subjects, in order.

        Examples:
            >>> MarketingClassRegistry([MarketingClass("toys", "Toys")]).marketing_ids()
            ('toys',)
        """
        return tuple(member.id for member in self.marketing)

    def recipient_ids(self) -> tuple[str, ...]:
        """The ids of the classes of recipients, in order.

        Examples:
            >>> registry = MarketingClassRegistry(recipients=[RecipientClass("banks", "Banks")])
            >>> registry.recipient_ids()
            ('banks',)
        """
        return tuple(member.id for member in self.recipients)


# ---------------------------------------------------------------- ledger events


def _kinds(value: Iterable[DataKind | str]) -> tuple[DataKind, ...]:
    items = _to_tuple(value)
    if isinstance(items, tuple):
        return tuple(lenient_enum(DataKind, item) for item in items)
    return items  # reported by validation


def _method(value: ConsentMethod | str) -> ConsentMethod:
    return lenient_enum(ConsentMethod, value)


def _scope(value: ConsentScope | str) -> ConsentScope:
    return lenient_enum(ConsentScope, value)


def _check_kinds(value: object, path: str, problems: Problems, *, required: bool) -> None:
    if not isinstance(value, tuple):
        problems.add(path, "must be a list of kinds of personal data", "type")
        return
    if required and not value:
        problems.add(path, "must name at least one kind of personal data", "required")
    seen: set[DataKind] = set()
    for index, item in enumerate(value):
        check_enum(item, DataKind, join_path(path, index), problems)
        if isinstance(item, DataKind):
            if item in seen:
                problems.add(join_path(path, index), "repeats a kind of data", "duplicate")
            seen.add(item)


def _check_concrete(values: object, path: str, problems: Problems) -> None:
    """Each class id of a list names a concrete class (`is_vague`), as PDPO s.35C and s.35J ask.

    Examples:
        >>> problems = Problems()
        >>> _check_concrete(("cosmetics", "our partners"), "$.classes", problems)
        >>> [(p.path, p.code) for p in problems]
        [('$.classes[1]', 'invalid')]
        >>> problems = Problems()
        >>> _check_concrete(("toys",), "$.marketing_class", problems)
        >>> len(problems)
        0
    """
    if not isinstance(values, tuple):
        return
    for index, value in enumerate(values):
        _check_concrete_label(value, join_path(path, index), problems)


def _check_concrete_label(value: object, path: str, problems: Problems) -> None:
    """One class id names a concrete class; not text is left to the other checks."""
    if is_text(value) and value and is_vague(value):  # type: ignore[arg-type]
        problems.add(path, _VAGUE_MESSAGE, "invalid")


def _check_bool(value: object, path: str, problems: Problems) -> bool:
    if not isinstance(value, bool):
        problems.add(path, "must be true or false", "type")
        return False
    return True


def _check_tag(instance: Any, problems: Problems) -> None:
    if instance.kind != instance.KIND:
        code = "unknown_choice" if isinstance(instance.kind, str) else "type"
        problems.add("$.kind", f"must be '{instance.KIND}' for this event", code)


@attrs.frozen(kw_only=True)
class _Event:
    """What every ledger event has: an id, the customer, an instant and evidence."""

    KIND: ClassVar[str] = ""

    event_id: str = attrs.field(default=REQUIRED)
    customer_id: str = attrs.field(default=REQUIRED)
    at: datetime = attrs.field(default=REQUIRED)
    evidence: str = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.event_id, "$.event_id", problems)
        check_id(self.customer_id, "$.customer_id", problems)
        check_aware(self.at, "$.at", problems)
        check_id(self.evidence, "$.evidence", problems)
        _check_tag(self, problems)
        self._check(problems)
        raise_problems(self, problems)

    def _check(self, problems: Problems) -> None:
        """The checks of one kind of event."""


@attrs.frozen(kw_only=True)
class NoticeServed(_Event):
    """A direct-marketing notice given to the person (PDPO s.35C; for provision, s.35J).

    Attributes:
        event_id: the event's identifier, unique in the ledger.
        customer_id: whose ledger it belongs to.
        at: when the notice was served (timezone-aware).
        evidence: a reference to the proof (a form id, a document key), never its content.
        notice_version: which version of the notice text was served.
        data_kinds: the kinds of personal data the notice says will be used.
        marketing_classes: the classes of marketing subjects it names.
        recipient_classes: the classes of recipients data may be provided to (none: no provision).
        for_gain: whether the notice says provision to others is for gain.
        kind: the event's type tag in JSON, always ``"notice_served"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> NoticeServed(
        ...     event_id="E-1", customer_id="C-1",
        ...     at=datetime(2026, 3, 1, tzinfo=timezone.utc), evidence="form:F-1",
        ...     notice_version="v1", data_kinds=["email"], marketing_classes=["cosmetics"],
        ... ).data_kinds
        (<DataKind.EMAIL: 'email'>,)

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "notice_served"

    notice_version: str = attrs.field(default=REQUIRED)
    data_kinds: tuple[DataKind, ...] = attrs.field(default=REQUIRED, converter=_kinds)
    marketing_classes: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_ids)
    recipient_classes: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    for_gain: bool = False
    kind: str = "notice_served"

    def _check(self, problems: Problems) -> None:
        check_id(self.notice_version, "$.notice_version", problems)
        _check_kinds(self.data_kinds, "$.data_kinds", problems, required=True)
        check_id_list(self.marketing_classes, "$.marketing_classes", problems, required=True)
        check_id_list(self.recipient_classes, "$.recipient_classes", problems, required=False)
        _check_concrete(self.marketing_classes, "$.marketing_classes", problems)
        _check_concrete(self.recipient_classes, "$.recipient_classes", problems)
        if (
            _check_bool(self.for_gain, "$.for_gain", problems)
            and self.for_gain
            and self.recipient_classes == ()
        ):
            problems.add(
                "$.for_gain", "can be true only for a notice naming recipients", "inconsistent"
            )


@attrs.frozen(kw_only=True)
class ConsentGiven(_Event):
    """A consent the person gave, explicitly: never from silence or a pre-ticked box.

    Consent to provision to others (``scope="provision"``) names the classes of
    recipients and must be written or online (PDPO s.35K); consent to the
    retailer's own marketing names none. An oral consent counts only once
    confirmed in writing (`OralConsentConfirmed`) within 14 days (s.35E).

    Attributes:
        event_id: the event's identifier, unique in the ledger.
        customer_id: whose ledger it belongs to.
        at: when the consent was given (timezone-aware).
        evidence: a reference to the proof (a signed form, a call recording id).
        method: written, oral or online (`ConsentMethod`).
        scope: own marketing or provision to others (`ConsentScope`).
        data_kinds: the kinds of personal data consented to.
        marketing_classes: the classes of marketing subjects consented to.
        notice_version: the version of the notice the consent answers.
        explicit: whether the form recorded an express act (an unticked box
            ticked, a signature); ``False`` (pre-ticked, implied) is refused.
        recipient_classes: for provision, the classes of recipients consented to.
        kind: the event's type tag in JSON, always ``"consent_given"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> fields = dict(
        ...     event_id="E-2", customer_id="C-1",
        ...     at=datetime(2026, 3, 1, tzinfo=timezone.utc), evidence="form:F-1",
        ...     method="online", scope="own_marketing", data_kinds=["email"],
        ...     marketing_classes=["cosmetics"], notice_version="v1",
        ... )
        >>> ConsentGiven(**fields, explicit=True).method
        <ConsentMethod.ONLINE: 'online'>
        >>> ConsentGiven(**fields, explicit=False)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.explicit: must be true: no consent is ever created from silence, a pre-ticked box or an implied agreement

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    KIND: ClassVar[str] = "consent_given"

    method: ConsentMethod = attrs.field(default=REQUIRED, converter=_method)
    scope: ConsentScope = attrs.field(default=REQUIRED, converter=_scope)
    data_kinds: tuple[DataKind, ...] = attrs.field(default=REQUIRED, converter=_kinds)
    marketing_classes: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_ids)
    notice_version: str = attrs.field(default=REQUIRED)
    explicit: bool = attrs.field(default=REQUIRED)
    recipient_classes: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    kind: str = "consent_given"

    def _check(self, problems: Problems) -> None:
        check_enum(self.method, ConsentMethod, "$.method", problems)
        check_enum(self.scope, ConsentScope, "$.scope", problems)
        _check_kinds(self.data_kinds, "$.data_kinds", problems, required=True)
        check_id_list(self.marketing_classes, "$.marketing_classes", problems, required=True)
        check_id(self.notice_version, "$.notice_version", problems)
        if _check_bool(self.explicit, "$.explicit", problems) and not self.explicit:
            problems.add(
                "$.explicit",
                "must be true: no consent is ever created from silence, a pre-ticked box or "
                "an implied agreement",
                "invalid",
            )
        provision = self.scope is ConsentScope.PROVISION
        check_id_list(self.recipient_classes, "$.recipient_classes", problems, required=provision)
        _check_concrete(self.marketing_classes, "$.marketing_classes", problems)
        _check_concrete(self.recipient_classes, "$.recipient_classes", problems)
        if self.scope is ConsentScope.OWN_MARKETING and self.recipient_classes != ():
            problems.add(
                "$.recipient_classes",
                "must be empty for consent to the retailer's own marketing",
                "inconsistent",
            )
        if provision and self.method is ConsentMethod.ORAL:
            problems.add(
                "$.method",
                "must be written or online: consent to provision to others is given in writing",
                "invalid",
            )


@attrs.frozen(kw_only=True)
class OralConsentConfirmed(_Event):
    """The written confirmation of an oral consent (PDPO s.35E(1)(b)).

    It confirms the oral consent ``confirms`` (its event id), stating the date
    it was given and the kinds of data and classes permitted. It has effect
    only if it comes within 14 days of the oral consent and states the date
    the oral consent was given (on that consent's own wall clock); it then
    permits what both the consent and the confirmation name, from the
    confirmation's instant on.

    Attributes:
        event_id: the event's identifier, unique in the ledger.
        customer_id: whose ledger it belongs to.
        at: when the confirmation was sent (timezone-aware).
        evidence: a reference to the confirmation sent (a letter or message id).
        confirms: the event id of the oral `ConsentGiven`.
        consent_date: the date of the oral consent, as the confirmation states it.
        data_kinds: the kinds of personal data confirmed.
        marketing_classes: the classes of marketing subjects confirmed.
        kind: the event's type tag in JSON, always ``"oral_consent_confirmed"``.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> OralConsentConfirmed(
        ...     event_id="E-3", customer_id="C-1",
        ...     at=datetime(2026, 3, 10, tzinfo=timezone.utc), evidence="letter:L-9",
        ...     confirms="E-2", consent_date=date(2026, 3, 1),
        ...     data_kinds=["mobile_number"], marketing_classes=["cosmetics"],
        ... ).confirms
        'E-2'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "oral_consent_confirmed"

    confirms: str = attrs.field(default=REQUIRED)
    consent_date: date = attrs.field(default=REQUIRED)
    data_kinds: tuple[DataKind, ...] = attrs.field(default=REQUIRED, converter=_kinds)
    marketing_classes: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_ids)
    kind: str = "oral_consent_confirmed"

    def _check(self, problems: Problems) -> None:
        check_id(self.confirms, "$.confirms", problems)
        if not isinstance(self.consent_date, date) or isinstance(self.consent_date, datetime):
            problems.add("$.consent_date", "must be a date (not a datetime)", "type")
        _check_kinds(self.data_kinds, "$.data_kinds", problems, required=True)
        check_id_list(self.marketing_classes, "$.marketing_classes", problems, required=True)
        if self.confirms == self.event_id:
            problems.add("$.confirms", "must name another event than itself", "inconsistent")


@attrs.frozen(kw_only=True)
class ConsentWithdrawn(_Event):
    """The withdrawal of one consent, or of every consent of a scope (``consent_id=None``).

    A withdrawn consent stops having effect at the withdrawal's instant; a
    consent given later is not affected.

    Attributes:
        event_id: the event's identifier, unique in the ledger.
        customer_id: whose ledger it belongs to.
        at: when the withdrawal was received (timezone-aware).
        evidence: a reference to the request (a letter or message id).
        scope: own marketing or provision to others.
        consent_id: the event id of the consent withdrawn, or ``None`` for all of the scope.
        kind: the event's type tag in JSON, always ``"consent_withdrawn"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ConsentWithdrawn(
        ...     event_id="E-4", customer_id="C-1",
        ...     at=datetime(2026, 4, 1, tzinfo=timezone.utc), evidence="mail:M-3",
        ...     scope="own_marketing",
        ... ).consent_id is None
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "consent_withdrawn"

    scope: ConsentScope = attrs.field(default=REQUIRED, converter=_scope)
    consent_id: str | None = None
    kind: str = "consent_withdrawn"

    def _check(self, problems: Problems) -> None:
        check_enum(self.scope, ConsentScope, "$.scope", problems)
        check_id(self.consent_id, "$.consent_id", problems, optional=True)


@attrs.frozen(kw_only=True)
class OptedOut(_Event):
    """A request to stop using data for marketing (PDPO s.35G) or to stop provision (s.35L).

    Whole when it names nothing; partial when it names kinds of data and/or
    classes: it then covers each pair whose kind and class it names (an empty
    list meaning every kind, or every class). An opt-out stands until the
    person gives a new consent after it; a consent given before it, or an
    oral consent given before it and confirmed after it, never overrides it.

    Attributes:
        event_id: the event's identifier, unique in the ledger.
        customer_id: whose ledger it belongs to.
        at: when the request was received (timezone-aware).
        evidence: a reference to the request (a call log id, a reply keyword record).
        scope: own marketing or provision to others.
        data_kinds: the kinds of data it covers; empty for every kind.
        marketing_classes: for own marketing, the classes it covers; empty for all.
        recipient_classes: for provision, the classes of recipients it covers; empty for all.
        kind: the event's type tag in JSON, always ``"opted_out"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> stop = OptedOut(
        ...     event_id="E-5", customer_id="C-1",
        ...     at=datetime(2026, 4, 2, tzinfo=timezone.utc), evidence="sms:STOP-1",
        ...     data_kinds=["mobile_number"],
        ... )
        >>> stop.whole, stop.scope
        (False, <ConsentScope.OWN_MARKETING: 'own_marketing'>)

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "opted_out"

    scope: ConsentScope = attrs.field(default=ConsentScope.OWN_MARKETING, converter=_scope)
    data_kinds: tuple[DataKind, ...] = attrs.field(default=(), converter=_kinds)
    marketing_classes: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    recipient_classes: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    kind: str = "opted_out"

    def _check(self, problems: Problems) -> None:
        check_enum(self.scope, ConsentScope, "$.scope", problems)
        _check_kinds(self.data_kinds, "$.data_kinds", problems, required=False)
        check_id_list(self.marketing_classes, "$.marketing_classes", problems, required=False)
        check_id_list(self.recipient_classes, "$.recipient_classes", problems, required=False)
        if self.scope is ConsentScope.OWN_MARKETING and self.recipient_classes != ():
            problems.add(
                "$.recipient_classes",
                "must be empty for an opt-out of the retailer's own marketing",
                "inconsistent",
            )
        if self.scope is ConsentScope.PROVISION and self.marketing_classes != ():
            problems.add(
                "$.marketing_classes",
                "must be empty for an opt-out of provision (name recipient classes)",
                "inconsistent",
            )

    @property
    def whole(self) -> bool:
        """Whether the opt-out covers everything of its scope (it names no kind and no class).

        Examples:
            >>> from datetime import datetime, timezone
            >>> OptedOut(
            ...     event_id="E-6", customer_id="C-1",
            ...     at=datetime(2026, 4, 2, tzinfo=timezone.utc), evidence="call:K-1",
            ... ).whole
            True
        """
        return not (self.data_kinds or self.marketing_classes or self.recipient_classes)


ConsentEvent: TypeAlias = (
    NoticeServed | ConsentGiven | OralConsentConfirmed | ConsentWithdrawn | OptedOut
)
"""Any ledger event; in JSON, its ``kind`` field says which."""

_EVENT_TYPES: Final = (NoticeServed, ConsentGiven, OralConsentConfirmed, ConsentWithdrawn, OptedOut)

EVENT_KINDS: Final[MappingProxyType[str, type[ConsentEvent]]] = MappingProxyType(
    {cls.KIND: cls for cls in _EVENT_TYPES}
)
"""Each event type by its ``kind`` tag, the field that says in JSON which type an event is."""


# ---------------------------------------------------------------- derived state


@attrs.frozen(order=True)
class Permission(Tabular):
    """One use of personal data: a kind of data for a class (of marketing subjects or recipients).

    Attributes:
        data_kind: the kind of personal data used.
        class_id: the class of marketing subjects (own marketing) or of
            recipients (provision to others).

    Examples:
        >>> Permission(DataKind.MOBILE_NUMBER, "cosmetics")
        Permission(data_kind=<DataKind.MOBILE_NUMBER: 'mobile_number'>, class_id='cosmetics')
    """

    data_kind: DataKind
    class_id: str


@attrs.frozen
class PendingConsent(Tabular):
    """An oral consent awaiting its written confirmation, and the instant it lapses.

    Attributes:
        consent_id: the event id of the oral consent.
        given_at: when it was given.
        deadline: when it lapses unless confirmed (14 days after `given_at`).

    Examples:
        >>> from datetime import datetime, timezone
        >>> given = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> PendingConsent("E-2", given, given + ORAL_CONFIRMATION_PERIOD).deadline.day
        15
    """

    consent_id: str
    given_at: datetime
    deadline: datetime


@attrs.frozen
class ConsentState(Tabular):
    """What a customer's ledger permits at one instant: derived, never stored.

    Each use is a `Permission`: a kind of data for a class id (a marketing
    class for own marketing, a recipient class for provision). Only what the current notice names is
    permitted: a notice that drops a class or kind ends its use.

    Attributes:
        customer_id: whose state it is.
        at: the instant it describes.
        notice_version: the version of the last notice served, if any.
        for_gain: whether that notice says provision to others is for gain.
        permitted: the pairs permitted for the retailer's own marketing.
        awaiting_confirmation: oral consents not yet confirmed in writing, not yet lapsed.
        lapsed: the ids of oral consents that passed their deadline unconfirmed.
        opted_out: the pairs an opt-out covers that no later consent gave again.
        provision_permitted: the kinds of data permitted for each class of recipients.
        provision_opted_out: the provision pairs a cease request covers.

    Examples:
        >>> from datetime import datetime, timezone
        >>> state = ConsentLedger("C-1").state(datetime(2026, 3, 1, tzinfo=timezone.utc))
        >>> state.permitted, state.notice_version
        ((), None)
        >>> state.to_records()[0]["customer_id"]
        'C-1'
    """

    customer_id: str
    at: datetime
    notice_version: str | None = None
    for_gain: bool | None = None
    permitted: tuple[Permission, ...] = ()
    awaiting_confirmation: tuple[PendingConsent, ...] = ()
    lapsed: tuple[str, ...] = ()
    opted_out: tuple[Permission, ...] = ()
    provision_permitted: tuple[Permission, ...] = ()
    provision_opted_out: tuple[Permission, ...] = ()

    def permits(self, channel: MarketingChannel | DataKind | str, marketing_class: str) -> bool:
        """Whether own marketing of ``marketing_class`` may use the channel's kind of data.

        ``channel`` is a `MarketingChannel` (``"sms"``) or a `DataKind`
        (``"mobile_number"``), or the value of either.

        Examples:
            >>> from datetime import datetime, timezone
            >>> state = ConsentState(
            ...     "C-1", datetime(2026, 3, 1, tzinfo=timezone.utc),
            ...     permitted=(Permission(DataKind.MOBILE_NUMBER, "cosmetics"),),
            ... )
            >>> state.permits("sms", "cosmetics"), state.permits("mobile_number", "toys")
            (True, False)

        Raises:
            ValidationError: the channel is neither a channel nor a kind of data.
        """
        return Permission(_kind_of(channel), marketing_class) in self.permitted

    def permits_provision(self, data_kind: DataKind | str, recipient_class: str) -> bool:
        """Whether the kind of data may be provided to the class of recipients.

        Examples:
            >>> from datetime import datetime, timezone
            >>> state = ConsentState(
            ...     "C-1", datetime(2026, 3, 1, tzinfo=timezone.utc),
            ...     provision_permitted=(Permission(DataKind.EMAIL, "insurers"),),
            ... )
            >>> state.permits_provision("email", "insurers")
            True

        Raises:
            ValidationError: ``data_kind`` is not a kind of data.
        """
        return Permission(_kind_of(data_kind), recipient_class) in self.provision_permitted


def _kind_of(value: object) -> DataKind:
    if isinstance(value, DataKind):
        return value
    if isinstance(value, MarketingChannel):
        return CHANNEL_DATA_KIND[value]
    if isinstance(value, str):
        for enum in (MarketingChannel, DataKind):
            member = lenient_enum(enum, value)
            if isinstance(member, enum):
                return _kind_of(member)
    choices = ", ".join([*MarketingChannel, *DataKind])
    raise ValidationError.single(
        "$.channel",
        f"must be a marketing channel or a kind of data: {choices}",
        "unknown_choice" if isinstance(value, str) else "type",
    )


def _instant(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _deadline(given: datetime) -> datetime:
    """When an oral consent given at ``given`` lapses; past the supported range, never."""
    if given > MAX_INSTANT - ORAL_CONFIRMATION_PERIOD:
        return _NEVER
    return given + ORAL_CONFIRMATION_PERIOD


def _order(event: ConsentEvent) -> tuple[datetime, int, str]:
    return (_instant(event.at), _EVENT_TYPES.index(type(event)), event.event_id)


@attrs.define
class _Grant:
    pairs: set[Permission]
    given_at: datetime
    deadline: datetime | None = None  # set while an oral consent awaits confirmation


@attrs.define
class _Scope:
    """The running state of one scope while the events are replayed."""

    grants: dict[str, _Grant] = attrs.Factory(dict)
    opted_out: set[Permission] = attrs.Factory(set)

    def give(self, consent_id: str, grant: _Grant) -> None:
        self.grants[consent_id] = grant
        if grant.deadline is None:
            self.opted_out -= grant.pairs

    def opt_out(self, covered: set[Permission], universe: set[Permission]) -> None:
        for grant in self.grants.values():
            grant.pairs -= covered
        self.opted_out |= covered & universe

    def withdraw(self, consent_id: str | None) -> None:
        if consent_id is None:
            self.grants.clear()
        else:
            self.grants.pop(consent_id, None)

    def active(self, allowed: set[Permission]) -> tuple[Permission, ...]:
        pairs: set[Permission] = set()
        for grant in self.grants.values():
            if grant.deadline is None:
                pairs |= grant.pairs
        return tuple(sorted(pairs & allowed))


def _pairs(kinds: Iterable[DataKind], classes: Iterable[str]) -> set[Permission]:
    return {Permission(kind, name) for kind in kinds for name in classes}


def _covered(
    kinds: tuple[DataKind, ...], classes: tuple[str, ...], universe: set[Permission]
) -> set[Permission]:
    return {
        pair
        for pair in universe
        if (not kinds or pair.data_kind in kinds) and (not classes or pair.class_id in classes)
    }


class _Replay:
    """Replays a customer's events in order, up to an instant, into a `ConsentState`."""

    def __init__(self, events: list[ConsentEvent]) -> None:
        self.events = events
        marketing = {name for event in events for name in getattr(event, "marketing_classes", ())}
        recipients = {name for event in events for name in getattr(event, "recipient_classes", ())}
        self.own_universe = _pairs(DataKind, marketing)
        self.provision_universe = _pairs(DataKind, recipients)
        self.notices: dict[str, NoticeServed] = {}
        self.current: NoticeServed | None = None
        self.oral: dict[str, ConsentGiven] = {}
        self.own = _Scope()
        self.provision = _Scope()

    def scope(self, scope: ConsentScope) -> _Scope:
        return self.provision if scope is ConsentScope.PROVISION else self.own

    def run(self) -> None:
        for event in self.events:
            if isinstance(event, NoticeServed):
                self.notices[event.notice_version] = event
                self.current = event
            elif isinstance(event, ConsentGiven):
                self.consent(event)
            elif isinstance(event, OralConsentConfirmed):
                self.confirm(event)
            elif isinstance(event, ConsentWithdrawn):
                self.scope(event.scope).withdraw(event.consent_id)
            else:
                self.opt_out(event)

    def consent(self, event: ConsentGiven) -> None:
        notice = self.notices.get(event.notice_version)
        if notice is None:  # consent to a notice never served: it covers nothing
            pairs: set[Permission] = set()
        elif event.scope is ConsentScope.PROVISION:
            pairs = _pairs(event.data_kinds, event.recipient_classes) & _pairs(
                notice.data_kinds, notice.recipient_classes
            )
        else:
            pairs = _pairs(event.data_kinds, event.marketing_classes) & _pairs(
                notice.data_kinds, notice.marketing_classes
            )
        given = _instant(event.at)
        deadline = None
        if event.method is ConsentMethod.ORAL:
            deadline = _deadline(given)
            self.oral[event.event_id] = event
        self.scope(event.scope).give(event.event_id, _Grant(pairs, given, deadline))

    def confirm(self, event: OralConsentConfirmed) -> None:
        oral = self.oral.get(event.confirms)
        grant = self.own.grants.get(event.confirms)
        if oral is None or grant is None or grant.deadline is None:
            return
        if oral.at.date() != event.consent_date:  # on the oral consent's own wall clock
            return
        if not _instant(event.at) < grant.deadline:
            return
        grant.pairs &= _pairs(event.data_kinds, event.marketing_classes)
        grant.deadline = None
        self.own.give(event.confirms, grant)

    def opt_out(self, event: OptedOut) -> None:
        if event.scope is ConsentScope.PROVISION:
            universe = self.provision_universe
            covered = _covered(event.data_kinds, event.recipient_classes, universe)
        else:
            universe = self.own_universe
            covered = _covered(event.data_kinds, event.marketing_classes, universe)
        self.scope(event.scope).opt_out(covered, universe)

    def state(self, customer_id: str, at: datetime) -> ConsentState:
        moment = _instant(at)
        awaiting: list[PendingConsent] = []
        lapsed: list[str] = []
        for consent_id, grant in sorted(self.own.grants.items()):
            if grant.deadline is None:
                continue
            if moment < grant.deadline:
                awaiting.append(PendingConsent(consent_id, grant.given_at, grant.deadline))
            else:
                lapsed.append(consent_id)
        notice = self.current
        own_allowed: set[Permission] = set()
        provision_allowed: set[Permission] = set()
        if notice is not None:
            own_allowed = _pairs(notice.data_kinds, notice.marketing_classes)
            provision_allowed = _pairs(notice.data_kinds, notice.recipient_classes)
        return ConsentState(
            customer_id=customer_id,
            at=at,
            notice_version=None if notice is None else notice.notice_version,
            for_gain=None if notice is None else notice.for_gain,
            permitted=self.own.active(own_allowed),
            awaiting_confirmation=tuple(awaiting),
            lapsed=tuple(lapsed),
            opted_out=tuple(sorted(self.own.opted_out)),
            provision_permitted=self.provision.active(provision_allowed),
            provision_opted_out=tuple(sorted(self.provision.opted_out)),
        )


def _notices(value: Iterable[NoticeServed]) -> tuple[NoticeServed, ...]:
    return _to_tuple(value)


def _consents(value: Iterable[ConsentGiven]) -> tuple[ConsentGiven, ...]:
    return _to_tuple(value)


def _confirmations(value: Iterable[OralConsentConfirmed]) -> tuple[OralConsentConfirmed, ...]:
    return _to_tuple(value)


def _withdrawals(value: Iterable[ConsentWithdrawn]) -> tuple[ConsentWithdrawn, ...]:
    return _to_tuple(value)


def _opt_outs(value: Iterable[OptedOut]) -> tuple[OptedOut, ...]:
    return _to_tuple(value)


# The ledger's field that holds each type of event, in replay order of the types.
_FIELDS: Final = {
    NoticeServed: "notices",
    ConsentGiven: "consents",
    OralConsentConfirmed: "confirmations",
    ConsentWithdrawn: "withdrawals",
    OptedOut: "opt_outs",
}


def _check_event(
    event: Any,
    kind: type[Any],
    path: str,
    customer_id: object,
    seen: set[str],
    problems: Problems,
) -> bool:
    """Check one event of a ledger: its type, its customer, its id not seen before."""
    if kind not in _FIELDS or not isinstance(event, kind):
        name = kind.__name__ if kind in _FIELDS else "consent"
        problems.add(path, f"must be a {name} event", "type")
        return False
    if event.customer_id != customer_id:
        problems.add(f"{path}.customer_id", "must be the ledger's customer", "inconsistent")
    if event.event_id in seen:
        problems.add(f"{path}.event_id", "repeats an event id", "duplicate")
    seen.add(event.event_id)
    return True


@attrs.frozen
class ConsentLedger:
    """One customer's consent events, append-only; what they permit is derived (`state`).

    The ledger keeps each type of event in its own list, in the order they
    were appended; `events` lists them all in the order `state` replays them:
    by instant, then by type (a notice, a consent, a confirmation, a
    withdrawal, an opt-out: so a consent given with its notice on one form
    counts, and an opt-out wins a tie), then by event id. The same events
    give the same state whatever order they came in.

    Appending (`append`) returns a new ledger; an event of another customer,
    or with an event id the ledger holds already, is refused.

    Attributes:
        customer_id: whose ledger it is.
        notices: the `NoticeServed` events.
        consents: the `ConsentGiven` events.
        confirmations: the `OralConsentConfirmed` events.
        withdrawals: the `ConsentWithdrawn` events.
        opt_outs: the `OptedOut` events.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> stop = OptedOut(
        ...     event_id="E-1", customer_id="C-1",
        ...     at=datetime(2026, 4, 2, tzinfo=timezone.utc), evidence="sms:STOP-1",
        ... )
        >>> ledger = ConsentLedger("C-1").append(stop)
        >>> from_json(to_json(ledger), ConsentLedger) == ledger
        True
        >>> ConsentLedger("C-2").append(stop)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.opt_outs[0].customer_id: must be the ledger's customer

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    customer_id: str = attrs.field(default=REQUIRED)
    notices: tuple[NoticeServed, ...] = attrs.field(default=(), converter=_notices)
    consents: tuple[ConsentGiven, ...] = attrs.field(default=(), converter=_consents)
    confirmations: tuple[OralConsentConfirmed, ...] = attrs.field(
        default=(), converter=_confirmations
    )
    withdrawals: tuple[ConsentWithdrawn, ...] = attrs.field(default=(), converter=_withdrawals)
    opt_outs: tuple[OptedOut, ...] = attrs.field(default=(), converter=_opt_outs)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.customer_id, "$.customer_id", problems)
        seen: set[str] = set()
        for cls, name in _FIELDS.items():
            value = getattr(self, name)
            if not isinstance(value, tuple):
                problems.add(f"$.{name}", f"must be a list of {cls.__name__} events", "type")
                continue
            for index, event in enumerate(value):
                path = join_path(f"$.{name}", index)
                _check_event(event, cls, path, self.customer_id, seen, problems)
        raise_problems(self, problems)

    @classmethod
    def of(cls, customer_id: str, events: Iterable[ConsentEvent] = ()) -> ConsentLedger:
        """A ledger of ``events``, of any types, in any order.

        Examples:
            >>> from datetime import datetime, timezone
            >>> stop = OptedOut(
            ...     event_id="E-1", customer_id="C-1",
            ...     at=datetime(2026, 4, 2, tzinfo=timezone.utc), evidence="sms:STOP-1",
            ... )
            >>> ConsentLedger.of("C-1", [stop]).opt_outs == (stop,)
            True

        Raises:
            ValidationError: every problem, with its path (``$.events[2]``).
        """
        if isinstance(events, str | bytes) or not isinstance(events, Iterable):
            raise ValidationError.single("$.events", "must be a list of consent events", "type")
        problems = Problems()
        check_id(customer_id, "$.customer_id", problems)
        seen: set[str] = set()
        fields: dict[str, list[ConsentEvent]] = {name: [] for name in _FIELDS.values()}
        for index, event in enumerate(events):
            kind = type(event)
            path = join_path("$.events", index)
            if _check_event(event, kind, path, customer_id, seen, problems):
                fields[_FIELDS[kind]].append(event)
        problems.raise_if_any()
        return cls(customer_id, **fields)  # type: ignore[arg-type]

    @property
    def events(self) -> tuple[ConsentEvent, ...]:
        """Every event, in the order `state` replays them (instant, type, event id).

        Examples:
            >>> from datetime import datetime, timezone
            >>> stop = OptedOut(
            ...     event_id="E-1", customer_id="C-1",
            ...     at=datetime(2026, 4, 2, tzinfo=timezone.utc), evidence="sms:STOP-1",
            ... )
            >>> ConsentLedger("C-1", opt_outs=[stop]).events == (stop,)
            True
        """
        found: list[ConsentEvent] = [
            *self.notices,
            *self.consents,
            *self.confirmations,
            *self.withdrawals,
            *self.opt_outs,
        ]
        return tuple(sorted(found, key=_order))

    def append(self, event: ConsentEvent) -> ConsentLedger:
        """A new ledger with ``event`` added; this one is unchanged.

        Examples:
            >>> from datetime import datetime, timezone
            >>> stop = OptedOut(
            ...     event_id="E-1", customer_id="C-1",
            ...     at=datetime(2026, 4, 2, tzinfo=timezone.utc), evidence="sms:STOP-1",
            ... )
            >>> ledger = ConsentLedger("C-1")
            >>> len(ledger.append(stop).events), len(ledger.events)
            (1, 0)
            >>> ledger.append(stop).append(stop)
            Traceback (most recent call last):
            ...
            retail_service_quality.errors.ValidationError: $.opt_outs[1].event_id: repeats an event id

        Raises:
            ValidationError: the event is not an event, is another customer's, or repeats an id.
        """  # noqa: E501
        name = _FIELDS.get(type(event))
        if name is None:
            raise ValidationError.single("$", "must be a consent event", "type")
        changed: dict[str, Any] = {name: (*getattr(self, name), event)}
        return attrs.evolve(self, **changed)

    def state(self, at: datetime) -> ConsentState:
        """What the events up to the instant ``at`` (inclusive) permit.

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
            >>> notice = NoticeServed(
            ...     event_id="E-1", customer_id="C-1", at=at, evidence="form:F-1",
            ...     notice_version="v1", data_kinds=["email"], marketing_classes=["toys"],
            ... )
            >>> consent = ConsentGiven(
            ...     event_id="E-2", customer_id="C-1", at=at, evidence="form:F-1",
            ...     method="written", scope="own_marketing", data_kinds=["email"],
            ...     marketing_classes=["toys"], notice_version="v1", explicit=True,
            ... )
            >>> ledger = ConsentLedger.of("C-1", [notice, consent])
            >>> ledger.state(at).permitted
            (Permission(data_kind=<DataKind.EMAIL: 'email'>, class_id='toys'),)
            >>> ledger.state(datetime(2026, 2, 1, tzinfo=timezone.utc)).permitted
            ()

        Raises:
            ValidationError: ``at`` is not an aware datetime in the supported range.
        """
        problems = Problems()
        check_aware(at, "$.at", problems)
        problems.raise_if_any()
        moment = _instant(at)
        replay = _Replay([event for event in self.events if _instant(event.at) <= moment])
        replay.run()
        return replay.state(self.customer_id, at)
