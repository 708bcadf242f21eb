"""Collection forms as data: what a sign-up or VIP form asks, why, and which consents it offers.

A form is checked against the collection principles before anyone fills it in:

- every field serves a purpose the form states, and says whether supplying it is obligatory
  (PDPO DPP1(1) and DPP1(3): adequate but not excessive; the person is told the purpose and
  whether supplying the data is obligatory);
- a form that has no lawful need to identify the person by an identity document does not ask
  for an HKID number, in any form, not even in part (PDPO DPP1(1); the Privacy Commissioner
  found a retailer's loyalty scheme in breach for collecting a partial HKID number);
- a consent is offered as a box the person ticks: a box ticked in advance, or consent implied
  from silence or from not objecting, is not consent (PDPO s.2(3) "prescribed consent", DPP3,
  s.35E; GDPR Art. 4(11) and Art. 7, recital 32);
- each consent box names the kinds of personal data and the classes of marketing subjects it
  covers, so that a consent given through it is specific.

Examples:
    >>> form = CollectionForm(
    ...     id="vip-signup",
    ...     notice_version="2026-11",
    ...     purposes=[Purpose("membership", "run the VIP membership and its rewards")],
    ...     fields=[
    ...         FormField("name", FieldKind.NAME, purposes=["membership"], obligatory=True),
    ...         FormField("mobile", FieldKind.MOBILE_NUMBER, purposes=["membership"]),
    ...     ],
    ...     consent_boxes=[
    ...         ConsentBox("sms-cosmetics", data_kinds=[FieldKind.MOBILE_NUMBER],
    ...                    marketing_classes=["cosmetics"]),
    ...     ],
    ... )
    >>> [field.name for field in form.fields]
    ['name', 'mobile']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_id_list,
    check_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.customers.consent import (
    ConsentEvent,
    ConsentGiven,
    ConsentMethod,
    ConsentScope,
    DataKind,
    NoticeServed,
    _check_concrete,
)
from retail_service_quality.errors import Problems, ValidationError, join_path

__all__ = [
    "IDENTITY_DOCUMENTS",
    "CollectionForm",
    "ConsentBox",
    "FieldKind",
    "FormField",
    "Purpose",
]


class FieldKind(StrEnum):
    """What a form field collects.

    Examples:
        >>> FieldKind("email") in IDENTITY_DOCUMENTS
        False
    """

    NAME = "name"
    MOBILE_NUMBER = "mobile_number"
    EMAIL = "email"
    POSTAL_ADDRESS = "postal_address"
    SOCIAL_HANDLE = "social_handle"
    FAX = "fax"
    DATE_OF_BIRTH = "date_of_birth"
    PREFERRED_LANGUAGE = "preferred_language"
    PREFERRED_CHANNEL = "preferred_channel"
    HKID_NUMBER = "hkid_number"
    PASSPORT_NUMBER = "passport_number"
    FREE_TEXT = "free_text"


IDENTITY_DOCUMENTS: frozenset[FieldKind] = frozenset(
    {FieldKind.HKID_NUMBER, FieldKind.PASSPORT_NUMBER}
)
"""Field kinds that identify a person by an identity document: only a form that needs them asks."""


_MARKETING_KINDS: frozenset[str] = frozenset(kind.value for kind in DataKind)


def _tuple(value: Any) -> Any:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value  # reported by validation
    return tuple(value)


def _kind(value: FieldKind | str) -> FieldKind:
    return lenient_enum(FieldKind, value)


def _kinds(value: Any) -> Any:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    return tuple(lenient_enum(FieldKind, item) for item in value)


@attrs.frozen
class Purpose:
    """A purpose the form states for collecting data.

    Attributes:
        id: the purpose's identifier, which fields refer to.
        description: the purpose as the person is told it.

    Examples:
        >>> Purpose("delivery", "deliver the goods you order").id
        'delivery'
    """

    id: str = attrs.field(default=REQUIRED)
    description: str = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_text(self.description, "$.description", problems)
        if isinstance(self.description, str) and not self.description.strip():
            problems.add("$.description", "must say what the data is for", "required")
        raise_problems(self, problems)


@attrs.frozen
class FormField:
    """One field of a form: what it collects, for which purposes, and whether it is obligatory.

    Attributes:
        name: the field's name on the form.
        kind: what it collects (a `FieldKind`).
        purposes: the ids of the form's purposes that need it.
        obligatory: whether the person must supply it (the form says so).

    Examples:
        >>> FormField("email", "email", purposes=["receipts"]).kind
        <FieldKind.EMAIL: 'email'>
    """

    name: str = attrs.field(default=REQUIRED)
    kind: FieldKind = attrs.field(default=REQUIRED, converter=_kind)
    purposes: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    obligatory: bool = False

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.name, "$.name", problems)
        check_enum(self.kind, FieldKind, "$.kind", problems)
        check_id_list(self.purposes, "$.purposes", problems, required=True)
        if not isinstance(self.obligatory, bool):
            problems.add("$.obligatory", "must be true or false", "type")
        raise_problems(self, problems)


@attrs.frozen
class ConsentBox:
    """A box the person ticks to consent to direct marketing: what it covers, never pre-ticked.

    Attributes:
        id: the box's identifier on the form.
        data_kinds: the kinds of personal data the consent lets the retailer use.
        marketing_classes: the ids of the classes of marketing subjects it covers.
        pre_ticked: whether the box is ticked before the person acts; it must not be.
        recipient_classes: for a consent to provide the data to others for their
            marketing, the classes of recipients (PDPO s.35J); empty for the
            retailer's own marketing.
        for_gain: whether that provision is for gain (the box must say so, s.35J(2)(a)).

    Examples:
        >>> box = ConsentBox("email-news", data_kinds=["email"], marketing_classes=["fashion"])
        >>> box.data_kinds
        (<FieldKind.EMAIL: 'email'>,)
    """

    id: str = attrs.field(default=REQUIRED)
    data_kinds: tuple[FieldKind, ...] = attrs.field(default=REQUIRED, converter=_kinds)
    marketing_classes: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    pre_ticked: bool = False
    recipient_classes: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    for_gain: bool = False

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        if not isinstance(self.data_kinds, tuple):
            problems.add("$.data_kinds", "must be a list of kinds of data", "type")
        else:
            if not self.data_kinds:
                problems.add("$.data_kinds", "must name at least one kind of data", "required")
            for index, kind in enumerate(self.data_kinds):
                path = join_path("$.data_kinds", index)
                check_enum(kind, FieldKind, path, problems)
                if isinstance(kind, FieldKind) and kind.value not in _MARKETING_KINDS:
                    problems.add(
                        path,
                        "must be a kind of data marketing can use: "
                        + ", ".join(sorted(_MARKETING_KINDS)),
                        "invalid",
                    )
        check_id_list(self.marketing_classes, "$.marketing_classes", problems, required=True)
        check_id_list(self.recipient_classes, "$.recipient_classes", problems, required=False)
        _check_concrete(self.marketing_classes, "$.marketing_classes", problems)
        _check_concrete(self.recipient_classes, "$.recipient_classes", problems)
        if not isinstance(self.for_gain, bool):
            problems.add("$.for_gain", "must be true or false", "type")
        elif self.for_gain and self.recipient_classes == ():
            problems.add(
                "$.for_gain", "can be true only for a box naming recipients", "inconsistent"
            )
        if not isinstance(self.pre_ticked, bool):
            problems.add("$.pre_ticked", "must be true or false", "type")
        elif self.pre_ticked:
            problems.add(
                "$.pre_ticked",
                "must be false: a box ticked in advance is not consent (PDPO s.2(3), s.35E; "
                "GDPR Art. 4(11), Art. 7)",
                "invalid",
            )
        raise_problems(self, problems)


def _purposes(value: Any) -> Any:
    return _tuple(value)


@attrs.frozen(kw_only=True)
class CollectionForm:
    """A form that collects personal data: its purposes, fields and consent boxes, checked.

    ``needs_identity_document`` is the form's stated, lawful need to identify
    the person by an identity document (a reason in words), or ``None``: only
    then may it ask for an HKID or passport number.

    Attributes:
        id: the form's identifier.
        notice_version: the version of the personal information collection statement shown
            with it.
        purposes: the purposes the form states.
        fields: the fields it asks for.
        consent_boxes: the marketing consents it offers, each a box to tick.
        needs_identity_document: why the form must identify the person by an identity
            document, or ``None``.

    Examples:
        >>> CollectionForm(
        ...     id="signup",
        ...     notice_version="v3",
        ...     purposes=[Purpose("membership", "run the membership")],
        ...     fields=[FormField("hkid", "hkid_number", purposes=["membership"])],
        ... )
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.fields[0].kind: must not be asked: ...
    """

    id: str = attrs.field(default=REQUIRED)
    notice_version: str = attrs.field(default=REQUIRED)
    purposes: tuple[Purpose, ...] = attrs.field(default=REQUIRED, converter=_purposes)
    fields: tuple[FormField, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    consent_boxes: tuple[ConsentBox, ...] = attrs.field(default=(), converter=_tuple)
    needs_identity_document: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.notice_version, "$.notice_version", problems)
        declared = self._check_purposes(problems)
        self._check_fields(declared, problems)
        self._check_boxes(problems)
        if self.needs_identity_document is not None and (
            not isinstance(self.needs_identity_document, str)
            or not self.needs_identity_document.strip()
        ):
            problems.add(
                "$.needs_identity_document", "must give the reason in words, or be null", "type"
            )
        raise_problems(self, problems)

    def _check_purposes(self, problems: Problems) -> set[str]:
        declared: set[str] = set()
        if not isinstance(self.purposes, tuple):
            problems.add("$.purposes", "must be a list of purposes", "type")
            return declared
        if not self.purposes:
            problems.add("$.purposes", "must state at least one purpose (PDPO DPP1(3))", "required")
        for index, purpose in enumerate(self.purposes):
            path = join_path("$.purposes", index)
            if not isinstance(purpose, Purpose):
                problems.add(path, "must be a Purpose", "type")
            elif purpose.id in declared:
                problems.add(join_path(path, "id"), "is stated twice", "duplicate")
            else:
                declared.add(purpose.id)
        return declared

    def _check_fields(self, declared: set[str], problems: Problems) -> None:
        if not isinstance(self.fields, tuple):
            problems.add("$.fields", "must be a list of fields", "type")
            return
        names: set[str] = set()
        for index, field in enumerate(self.fields):
            path = join_path("$.fields", index)
            if not isinstance(field, FormField):
                problems.add(path, "must be a FormField", "type")
                continue
            if field.name in names:
                problems.add(join_path(path, "name"), "is asked twice", "duplicate")
            names.add(field.name)
            if field.kind in IDENTITY_DOCUMENTS and self.needs_identity_document is None:
                problems.add(
                    join_path(path, "kind"),
                    "must not be asked: a form with no stated need to identify the person by "
                    "an identity document asks for no HKID or passport number, not even in part "
                    "(PDPO DPP1(1))",
                    "invalid",
                )
            for number, purpose in enumerate(field.purposes):
                if purpose not in declared:
                    problems.add(
                        join_path(join_path(path, "purposes"), number),
                        "must be one of the form's purposes: a field no stated purpose needs is "
                        "excessive (PDPO DPP1(1))",
                        "unknown_choice",
                    )

    def _check_boxes(self, problems: Problems) -> None:
        if not isinstance(self.consent_boxes, tuple):
            problems.add("$.consent_boxes", "must be a list of consent boxes", "type")
            return
        ids: set[str] = set()
        for index, box in enumerate(self.consent_boxes):
            path = join_path("$.consent_boxes", index)
            if not isinstance(box, ConsentBox):
                problems.add(path, "must be a ConsentBox", "type")
                continue
            if box.id in ids:
                problems.add(join_path(path, "id"), "is offered twice", "duplicate")
            ids.add(box.id)

    def ticked(self, boxes: Iterable[str]) -> tuple[ConsentBox, ...]:
        """The consent boxes the person ticked: only explicit ticks count, never silence.

        ``boxes`` are the ids of the boxes ticked on the submitted form; an
        empty answer means no consent at all, whatever the form offered.

        Examples:
            >>> form = CollectionForm(
            ...     id="signup", notice_version="v3",
            ...     purposes=[Purpose("membership", "run the membership")],
            ...     fields=[FormField("email", "email", purposes=["membership"])],
            ...     consent_boxes=[ConsentBox("news", data_kinds=["email"],
            ...                               marketing_classes=["fashion"])],
            ... )
            >>> form.ticked([]), [box.id for box in form.ticked(["news"])]
            ((), ['news'])

        Raises:
            ValidationError: an id that is not a box of this form, or a tick given twice.
        """
        if isinstance(boxes, str) or not isinstance(boxes, Iterable):
            problems = Problems()
            problems.add("$", "must be a list of the ids of the boxes ticked", "type")
            problems.raise_if_any()
        offered = {box.id: box for box in self.consent_boxes}
        problems = Problems()
        chosen: list[ConsentBox] = []
        for index, box_id in enumerate(boxes):
            path = join_path("$", index)
            if not isinstance(box_id, str) or box_id not in offered:
                problems.add(path, "must be the id of a consent box of this form", "unknown_choice")
            elif offered[box_id] in chosen:
                problems.add(path, "is ticked twice", "duplicate")
            else:
                chosen.append(offered[box_id])
        problems.raise_if_any()
        return tuple(chosen)

    def consent_events(
        self,
        *,
        customer_id: str,
        submission_id: str,
        ticked: Iterable[str],
        at: datetime,
        method: ConsentMethod | str = ConsentMethod.ONLINE,
    ) -> tuple[ConsentEvent, ...]:
        """The ledger events one submitted form creates: its notice, and a consent per box ticked.

        The notice (`NoticeServed`, this form's ``notice_version``) names every
        kind of data and class the form's boxes offer, since the person read
        them all; a `ConsentGiven` follows for each box ticked, and only for
        those: a form submitted with nothing ticked serves its notice and
        creates no consent. A box naming recipients gives consent to provision
        (``scope="provision"``). Event ids are ``{submission_id}/notice`` and
        ``{submission_id}/{box id}``; the evidence of each is
        ``form:{form id}/{submission_id}``. A form that offers no consent box
        serves no marketing notice and creates no event.

        Examples:
            >>> from datetime import datetime, timezone
            >>> form = CollectionForm(
            ...     id="signup", notice_version="v3",
            ...     purposes=[Purpose("membership", "run the membership")],
            ...     fields=[FormField("email", "email", purposes=["membership"])],
            ...     consent_boxes=[ConsentBox("news", data_kinds=["email"],
            ...                               marketing_classes=["fashion"])],
            ... )
            >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
            >>> events = form.consent_events(
            ...     customer_id="C-1", submission_id="S-9", ticked=["news"], at=at)
            >>> [(event.kind, event.event_id) for event in events]
            [('notice_served', 'S-9/notice'), ('consent_given', 'S-9/news')]
            >>> [event.kind for event in form.consent_events(
            ...     customer_id="C-1", submission_id="S-10", ticked=[], at=at)]
            ['notice_served']

        Raises:
            ValidationError: every problem, with its path: a box id that is not
                this form's, a bad customer or submission id, a naive ``at``, an
                oral ``method`` (a form is written or online).
        """
        problems = Problems()
        check_id(customer_id, "$.customer_id", problems)
        check_id(submission_id, "$.submission_id", problems)
        if isinstance(submission_id, str) and len(submission_id) > 150:
            problems.add("$.submission_id", "must be at most 150 characters", "range")
        check_aware(at, "$.at", problems)
        chosen: tuple[ConsentBox, ...] = ()
        try:
            chosen = self.ticked(ticked)
        except ValidationError as error:
            for problem in error.problems:
                problems.add(
                    "$.ticked" + problem.path[1:], problem.message, problem.code or "invalid"
                )
        method = lenient_enum(ConsentMethod, method)
        if method not in (ConsentMethod.ONLINE, ConsentMethod.WRITTEN):
            problems.add("$.method", "must be online or written: a form is not oral", "invalid")
        problems.raise_if_any()
        if not self.consent_boxes:  # no marketing notice, no consent: nothing to record
            return ()
        evidence = f"form:{self.id}/{submission_id}"
        kinds: list[DataKind] = []
        classes: list[str] = []
        recipients: list[str] = []
        for box in self.consent_boxes:
            kinds.extend(DataKind(kind.value) for kind in box.data_kinds)
            classes.extend(box.marketing_classes)
            recipients.extend(box.recipient_classes)
        events: list[ConsentEvent] = [
            NoticeServed(
                event_id=f"{submission_id}/notice",
                customer_id=customer_id,
                at=at,
                evidence=evidence,
                notice_version=self.notice_version,
                data_kinds=tuple(dict.fromkeys(kinds)),
                marketing_classes=tuple(dict.fromkeys(classes)),
                recipient_classes=tuple(dict.fromkeys(recipients)),
                for_gain=any(box.for_gain for box in self.consent_boxes),
            )
        ]
        for box in chosen:
            provision = box.recipient_classes != ()
            events.append(
                ConsentGiven(
                    event_id=f"{submission_id}/{box.id}",
                    customer_id=customer_id,
                    at=at,
                    evidence=evidence,
                    method=method,
                    scope=ConsentScope.PROVISION if provision else ConsentScope.OWN_MARKETING,
                    data_kinds=tuple(DataKind(kind.value) for kind in box.data_kinds),
                    marketing_classes=box.marketing_classes,
                    notice_version=self.notice_version,
                    explicit=True,
                    recipient_classes=box.recipient_classes,
                )
            )
        return tuple(events)
