"""Records of data-subject rights: requests, legal holds and the opt-out suppression list.

- A `PrivacyRequest` is a person's request under a privacy law (access,
  correction, erasure, portability, objection, ceasing provision), with the
  date by which it must be answered.
- A `LegalHold` keeps named data about a customer that a law requires the
  retailer to keep (invoices for tax, records for a legal claim): erasure and
  the retention sweep leave it in place and say why.
- A `SuppressionEntry` is a keyed hash of a contact point that opted out. It
  names no customer and survives erasure, so a contact re-imported later is
  still blocked.

Examples:
    >>> from datetime import date, datetime, timezone
    >>> request = PrivacyRequest(
    ...     id="R-1", customer_id="C-1", kind="access", law="pdpo",
    ...     received_at=datetime(2026, 5, 4, 9, tzinfo=timezone.utc), due_on=date(2026, 6, 13),
    ... )
    >>> request.status, request.is_open
    (<RequestStatus.RECEIVED: 'received'>, True)
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.personal import PersonalDataClass, personal
from retail_service_quality._internal.schema import IDENTIFIER, VERSION
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_id_list,
    check_text,
    check_version,
    lenient_enum,
    masked,
    raise_problems,
)
from retail_service_quality.customers.consent import ConsentScope, DataKind
from retail_service_quality.errors import Problems

__all__ = [
    "LegalHold",
    "PrivacyRequest",
    "RequestKind",
    "RequestStatus",
    "SuppressionEntry",
]

_LAWS: Final = ("pdpo", "gdpr")


class RequestKind(StrEnum):
    """What a data subject asks for.

    Examples:
        >>> RequestKind("erasure").value
        'erasure'
    """

    ACCESS = "access"
    """A copy of the data held (PDPO s.18; GDPR Art. 15)."""
    CORRECTION = "correction"
    """Correction of inaccurate data (PDPO s.22; GDPR Art. 16)."""
    ERASURE = "erasure"
    """Erasure of data no purpose needs (PDPO DPP2(2), s.26; GDPR Art. 17)."""
    PORTABILITY = "portability"
    """A machine-readable export (GDPR Art. 20)."""
    OBJECTION = "objection"
    """Objection to processing, absolute for direct marketing (GDPR Art. 21(3))."""
    CEASE_PROVISION = "cease_provision"
    """Stop providing data to others for their marketing (PDPO s.35L)."""


class RequestStatus(StrEnum):
    """Where a request stands.

    Examples:
        >>> RequestStatus("extended").value
        'extended'
    """

    RECEIVED = "received"
    EXTENDED = "extended"
    """The person was told in time that the answer will come later (PDPO s.19(2); GDPR
    Art. 12(3)); ``extended_to`` is the new date."""
    COMPLETED = "completed"
    REFUSED = "refused"


_CLOSED: Final = (RequestStatus.COMPLETED, RequestStatus.REFUSED)


def _check_date(value: object, path: str, problems: Problems, *, optional: bool = False) -> bool:
    if value is None and optional:
        return False
    if isinstance(value, datetime) or not isinstance(value, date):
        problems.add(path, "must be a date (not a datetime)", "type")
        return False
    return True


def _to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _kind(value: RequestKind | str) -> RequestKind:
    return lenient_enum(RequestKind, value)


def _status(value: RequestStatus | str) -> RequestStatus:
    return lenient_enum(RequestStatus, value)


@attrs.frozen(kw_only=True)
class PrivacyRequest:
    """A data subject's request under a privacy law, and its deadline.

    Attributes:
        id: the request's identifier, unique in the store.
        customer_id: whose request it is.
        kind: what is asked for (`RequestKind`).
        law: the law it is made under: ``"pdpo"`` or ``"gdpr"``.
        received_at: when the retailer received it (timezone-aware).
        due_on: the date by which the law says it must be answered (see `request_due`), or
            ``None`` where the law sets no period (a PDPO erasure request).
        status: where it stands (`RequestStatus`); new requests are ``received``.
        extended_to: the later date the person was told of, when extended.
        closed_at: when it was completed or refused; set exactly when it is.
        note: what the person asked, in their words, or staff's note (personal data).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> PrivacyRequest(
        ...     id="R-1", customer_id="C-1", kind="erasure", law="gdpr",
        ...     received_at=datetime(2026, 5, 4, tzinfo=timezone.utc), due_on=date(2026, 6, 4),
        ...     status="completed",
        ... )
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.closed_at: must be set when the request is completed or refused

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    customer_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    kind: RequestKind = attrs.field(default=REQUIRED, converter=_kind)
    law: str = attrs.field(default=REQUIRED)
    received_at: datetime = attrs.field(default=REQUIRED)
    due_on: date | None = attrs.field(default=REQUIRED)
    status: RequestStatus = attrs.field(default=RequestStatus.RECEIVED, converter=_status)
    extended_to: date | None = None
    closed_at: datetime | None = None
    note: str | None = attrs.field(
        default=None, repr=masked, metadata=personal(PersonalDataClass.FREE_TEXT)
    )
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.customer_id, "$.customer_id", problems)
        check_enum(self.kind, RequestKind, "$.kind", problems)
        if not isinstance(self.law, str) or self.law not in _LAWS:
            code = "unknown_choice" if isinstance(self.law, str) else "type"
            problems.add("$.law", "must be one of: " + ", ".join(_LAWS), code)
        check_aware(self.received_at, "$.received_at", problems)
        due = _check_date(self.due_on, "$.due_on", problems, optional=True)
        check_enum(self.status, RequestStatus, "$.status", problems)
        extended = _check_date(self.extended_to, "$.extended_to", problems, optional=True)
        if due and extended and self.extended_to <= self.due_on:  # type: ignore[operator]
            problems.add("$.extended_to", "must be after the due date", "inconsistent")
        if self.status is RequestStatus.EXTENDED and self.extended_to is None:
            problems.add("$.extended_to", "must be set when the request is extended", "required")
        if self.closed_at is not None:
            check_aware(self.closed_at, "$.closed_at", problems)
        closed = self.status in _CLOSED
        if closed and self.closed_at is None:
            problems.add(
                "$.closed_at", "must be set when the request is completed or refused", "required"
            )
        if not closed and self.closed_at is not None and isinstance(self.status, RequestStatus):
            problems.add("$.closed_at", "must be empty while the request is open", "inconsistent")
        check_text(self.note, "$.note", problems, optional=True)
        check_version(self.version, problems)
        # Checked last, as instants: datetimes sharing a zone compare by their wall clocks.
        if (
            not problems
            and self.closed_at is not None
            and self.closed_at.astimezone(UTC) < self.received_at.astimezone(UTC)
        ):
            problems.add(
                "$.closed_at", "must not be before the request was received", "inconsistent"
            )
        raise_problems(self, problems)

    @property
    def is_open(self) -> bool:
        """Whether the request still waits for an answer.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> PrivacyRequest(
            ...     id="R-1", customer_id="C-1", kind="access", law="pdpo",
            ...     received_at=datetime(2026, 5, 4, tzinfo=timezone.utc),
            ...     due_on=date(2026, 6, 13),
            ... ).is_open
            True
        """
        return self.status not in _CLOSED

    @property
    def answer_by(self) -> date | None:
        """The date the answer is due: ``extended_to`` when extended, else ``due_on`` (``None``
        where the law sets no period).

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> PrivacyRequest(
            ...     id="R-1", customer_id="C-1", kind="access", law="gdpr",
            ...     received_at=datetime(2026, 5, 4, tzinfo=timezone.utc),
            ...     due_on=date(2026, 6, 4), status="extended", extended_to=date(2026, 8, 4),
            ... ).answer_by
            datetime.date(2026, 8, 4)
        """
        return self.extended_to if self.extended_to is not None else self.due_on

    def evolve(self, **changes: Any) -> PrivacyRequest:
        """A copy with some fields changed, validated again.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> received = datetime(2026, 5, 4, tzinfo=timezone.utc)
            >>> request = PrivacyRequest(
            ...     id="R-1", customer_id="C-1", kind="access", law="pdpo",
            ...     received_at=received, due_on=date(2026, 6, 13),
            ... )
            >>> request.evolve(status="completed", closed_at=received).is_open
            False
        """
        return attrs.evolve(self, **changes)


@attrs.frozen(kw_only=True)
class LegalHold:
    """Data about a customer that a law requires the retailer to keep, and until when.

    ``keeps`` names what it keeps: fields of the customer record (``"name"``,
    ``"postal_address"``) or whole kinds of records (``"interactions"``,
    ``"consent_ledger"``, ``"data_uses"``). Erasure and the retention sweep
    leave them in place while the hold is active and report the hold's
    reason and legal source.

    Attributes:
        id: the hold's identifier, unique in the store.
        customer_id: whose data it keeps.
        keeps: the fields or kinds of records it keeps.
        reason: why, in words a customer can be told (not personal data).
        source: the legal source (``"Inland Revenue Ordinance (Cap. 112) s.51C"``).
        placed_at: when the hold was placed (timezone-aware).
        until: the last date it applies, or ``None`` until released.
        released_at: when it was released, if it was.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> hold = LegalHold(
        ...     id="H-1", customer_id="C-1", keeps=["name", "postal_address"],
        ...     reason="invoices are kept for 7 years for tax",
        ...     source="Inland Revenue Ordinance (Cap. 112) s.51C",
        ...     placed_at=datetime(2026, 5, 4, tzinfo=timezone.utc), until=date(2033, 5, 4),
        ... )
        >>> hold.active_on(date(2030, 1, 1)), hold.active_on(date(2033, 5, 5))
        (True, False)

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    customer_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    keeps: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_to_tuple)
    reason: str = attrs.field(default=REQUIRED)
    source: str = attrs.field(default=REQUIRED)
    placed_at: datetime = attrs.field(default=REQUIRED)
    until: date | None = None
    released_at: datetime | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.customer_id, "$.customer_id", problems)
        check_id_list(self.keeps, "$.keeps", problems, required=True)
        for name in ("reason", "source"):
            value = getattr(self, name)
            check_text(value, f"$.{name}", problems)
            if isinstance(value, str) and not value.strip():
                problems.add(f"$.{name}", "must not be empty", "required")
        check_aware(self.placed_at, "$.placed_at", problems)
        _check_date(self.until, "$.until", problems, optional=True)
        if self.released_at is not None:
            check_aware(self.released_at, "$.released_at", problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    def active_on(self, day: date) -> bool:
        """Whether the hold keeps its data on ``day`` (not released, ``until`` not passed).

        A hold released at any instant is no longer active; ``until`` is inclusive.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> LegalHold(
            ...     id="H-1", customer_id="C-1", keeps=["interactions"],
            ...     reason="a claim is pending", source="GDPR Art. 17(3)(e)",
            ...     placed_at=datetime(2026, 5, 4, tzinfo=timezone.utc),
            ... ).active_on(date(2040, 1, 1))
            True
        """
        if self.released_at is not None:
            return False
        return self.until is None or day <= self.until

    def evolve(self, **changes: Any) -> LegalHold:
        """A copy with some fields changed, validated again.

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 5, 4, tzinfo=timezone.utc)
            >>> hold = LegalHold(
            ...     id="H-1", customer_id="C-1", keeps=["interactions"],
            ...     reason="a claim is pending", source="GDPR Art. 17(3)(e)", placed_at=at,
            ... )
            >>> hold.evolve(released_at=at).active_on(at.date())
            False
        """
        return attrs.evolve(self, **changes)


_DIGEST: Final = re.compile(r"\A[0-9a-f]{64}\Z")


def _scope(value: ConsentScope | str) -> ConsentScope:
    return lenient_enum(ConsentScope, value)


def _data_kind(value: DataKind | str) -> DataKind:
    return lenient_enum(DataKind, value)


@attrs.frozen(kw_only=True)
class SuppressionEntry:
    """A contact point that must never be used for marketing again, as a keyed hash.

    The digest is an HMAC-SHA-256 of the normalised contact point under the
    retailer's secret key (64 lowercase hexadecimal digits); the entry names
    no customer, so it outlives the customer's erasure and blocks the same
    contact point when it is imported again.

    Attributes:
        digest: the keyed hash of the contact point.
        data_kind: what kind of contact point it is (mobile number, email...).
        scope: own marketing, or provision to others.
        added_at: when it was added (timezone-aware).

    Examples:
        >>> from datetime import datetime, timezone
        >>> SuppressionEntry(
        ...     digest="0" * 64, data_kind="email", scope="own_marketing",
        ...     added_at=datetime(2026, 5, 4, tzinfo=timezone.utc),
        ... ).data_kind
        <DataKind.EMAIL: 'email'>

    Raises:
        ValidationError: every problem, with its path.
    """

    digest: str = attrs.field(default=REQUIRED)
    data_kind: DataKind = attrs.field(default=REQUIRED, converter=_data_kind)
    scope: ConsentScope = attrs.field(default=ConsentScope.OWN_MARKETING, converter=_scope)
    added_at: datetime = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.digest, str) or not _DIGEST.match(self.digest):
            problems.add(
                "$.digest",
                "must be 64 lowercase hexadecimal digits (an HMAC-SHA-256)",
                "format" if isinstance(self.digest, str) else "type",
            )
        check_enum(self.data_kind, DataKind, "$.data_kind", problems)
        if self.data_kind is DataKind.NAME:
            problems.add("$.data_kind", "must be a contact point, not a name", "invalid")
        check_enum(self.scope, ConsentScope, "$.scope", problems)
        check_aware(self.added_at, "$.added_at", problems)
        raise_problems(self, problems)
