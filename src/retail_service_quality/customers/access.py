"""Access and portability: everything held about a person, as one machine-readable document.

A person may ask for a copy of their personal data (PDPO s.18, answered
within 40 days, s.19; GDPR Art. 15, within a month, Art. 12(3)), and under
the GDPR for it in a machine-readable form (Art. 20). `build_access_export`
gathers what the caller read from the store into an `AccessExport`: the
customer record, the consent ledger, the records of data uses,
interactions, complaints, privacy requests and legal holds, and, as GDPR Art. 15(1)
lists, the purposes, the categories of data, the recipients, the retention
periods and the source of the data; ``due_on`` is the date the answer is
due. `AccessExport.to_json` writes it through the library's converter.

The export holds the person's own personal data, in full: it is for them,
and is sent to them only.

More kinds of records (survey responses) go in ``other``, by name.

Examples:
    >>> from datetime import date, datetime, timezone
    >>> from retail_service_quality import Customer, PrivacyRequest
    >>> at = datetime(2026, 5, 4, 9, tzinfo=timezone.utc)
    >>> customer = Customer(id="C-1", name="Chan Tai Man", created_at=at)
    >>> request = PrivacyRequest(
    ...     id="R-1", customer_id="C-1", kind="access", law="pdpo", received_at=at,
    ...     due_on=date(2026, 6, 13),
    ... )
    >>> export = build_access_export(customer, request=request, produced_at=at)
    >>> export.due_on, export.categories
    (datetime.date(2026, 6, 13), ('identifier',))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

import attrs

from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.personal import PersonalDataClass, personal_data
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import check_aware, check_id, is_text
from retail_service_quality.customers._rows import rows_frame, rows_html
from retail_service_quality.customers.consent import ConsentLedger, DataKind
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest, RequestKind
from retail_service_quality.customers.retention import (
    RECORD_KINDS,
    RetentionRule,
    RetentionSchedule,
    _check_customer,
    _check_schedule,
)
from retail_service_quality.customers.uses import DataProvided, DataUse, MarketingMessageSent
from retail_service_quality.errors import Problems, join_path
from retail_service_quality.serialization._converter import to_json
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.interactions import ServiceInteraction

__all__ = ["DEFAULT_SOURCE", "AccessExport", "DataRecipient", "build_access_export"]

DEFAULT_SOURCE: Final = "collected from the customer"
"""The source of the data when the caller names none: the person gave it."""

_SECTIONS: Final = (
    "customer",
    "consent_ledger",
    "marketing_messages",
    "data_provided",
    "data_uses",
    "interactions",
    "complaints",
    "privacy_requests",
    "legal_holds",
)


@attrs.frozen(kw_only=True)
class DataRecipient(Tabular):
    """A party the person's data was given to, from the records of data provided.

    Attributes:
        recipient_id: the party.
        recipient_class: the class of recipients it belongs to.
        agent: whether it acted as the retailer's agent.
        data_kinds: every kind of personal data it received.
        last_provided_at: when it last received some.

    Examples:
        >>> from datetime import datetime, timezone
        >>> recipient = DataRecipient(
        ...     recipient_id="P-INSURE", recipient_class="insurance", agent=False,
        ...     data_kinds=("name",), last_provided_at=datetime(2026, 3, 2, tzinfo=timezone.utc),
        ... )
        >>> recipient.to_records()[0]["recipient_class"]
        'insurance'
    """

    recipient_id: str
    recipient_class: str
    agent: bool
    data_kinds: tuple[DataKind, ...]
    last_provided_at: datetime


@attrs.frozen(kw_only=True)
class AccessExport:
    """Everything held about one person, for an access or portability request.

    Attributes:
        customer_id: whose data it is.
        request_id: the request it answers.
        law: the law the request is made under.
        due_on: the date the answer is due (the request's extended date, if
            it was extended), or ``None`` where the law sets no period.
        produced_at: when the export was made.
        customer: the customer record, in full.
        consent_ledger: the consent ledger, if there is one.
        marketing_messages: the records of direct-marketing messages sent.
        data_provided: the records of the data given to other parties.
        interactions: the service interactions with the person.
        complaints: the person's complaints, each whole: what they said
            (the receipt's description) and every step of its history.
        privacy_requests: the person's privacy requests.
        legal_holds: the legal holds on the person's data.
        other: further kinds of records, by name (survey responses).
        purposes: the purposes the data is held for.
        categories: the classes of personal data held.
        recipients: the parties the data was given to.
        retention: the retention rules that apply to what is held.
        source: where the data came from.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import Customer, PrivacyRequest
        >>> at = datetime(2026, 5, 4, 9, tzinfo=timezone.utc)
        >>> request = PrivacyRequest(id="R-1", customer_id="C-1", kind="portability",
        ...     law="gdpr", received_at=at, due_on=date(2026, 6, 4))
        >>> export = build_access_export(
        ...     Customer(id="C-1", name="Wong", created_at=at), request=request, produced_at=at
        ... )
        >>> [row["section"] for row in export.to_records()][:4]
        ['customer', 'consent_ledger', 'marketing_messages', 'data_provided']
    """

    customer_id: str
    request_id: str
    law: str
    due_on: date | None
    produced_at: datetime
    customer: Any
    consent_ledger: ConsentLedger | None
    marketing_messages: tuple[MarketingMessageSent, ...]
    data_provided: tuple[DataProvided, ...]
    interactions: tuple[ServiceInteraction, ...]
    complaints: tuple[Complaint, ...] = ()
    privacy_requests: tuple[PrivacyRequest, ...]
    legal_holds: tuple[LegalHold, ...]
    other: Mapping[str, tuple[Any, ...]]
    purposes: tuple[str, ...]
    categories: tuple[str, ...]
    recipients: tuple[DataRecipient, ...]
    retention: tuple[RetentionRule, ...]
    source: str

    def to_json(self, *, indent: int | None = 2) -> str:
        """The export as JSON, through the library's converter: machine-readable (GDPR Art. 20).

        Examples:
            >>> import json
            >>> from datetime import date, datetime, timezone
            >>> from retail_service_quality import Customer, PrivacyRequest
            >>> at = datetime(2026, 5, 4, 9, tzinfo=timezone.utc)
            >>> request = PrivacyRequest(id="R-1", customer_id="C-1", kind="access",
            ...     law="pdpo", received_at=at, due_on=date(2026, 6, 13))
            >>> export = build_access_export(
            ...     Customer(id="C-1", name="Wong", created_at=at), request=request,
            ...     produced_at=at,
            ... )
            >>> data = json.loads(export.to_json())
            >>> data["customer"]["name"], data["due_on"]
            ('Wong', '2026-06-13')
        """
        return to_json(self, indent=indent)

    def _counts(self) -> list[dict[str, Any]]:
        sections: list[tuple[str, int]] = [
            ("customer", 1),
            (
                "consent_ledger",
                0 if self.consent_ledger is None else len(self.consent_ledger.events),
            ),
            ("marketing_messages", len(self.marketing_messages)),
            ("data_provided", len(self.data_provided)),
            ("interactions", len(self.interactions)),
            ("complaints", len(self.complaints)),
            ("privacy_requests", len(self.privacy_requests)),
            ("legal_holds", len(self.legal_holds)),
        ]
        sections += [(name, len(records)) for name, records in self.other.items()]
        return [
            {"section": name, "records": count, "due_on": self.due_on, "law": self.law}
            for name, count in sections
        ]

    def to_records(self) -> list[dict[str, Any]]:
        """A summary: one row per section, with how many records it holds.

        The records themselves are in the attributes and in `to_json`.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> from retail_service_quality import Customer, PrivacyRequest
            >>> at = datetime(2026, 5, 4, 9, tzinfo=timezone.utc)
            >>> request = PrivacyRequest(id="R-1", customer_id="C-1", kind="access",
            ...     law="pdpo", received_at=at, due_on=date(2026, 6, 13))
            >>> export = build_access_export(
            ...     Customer(id="C-1", name="Wong", created_at=at), request=request,
            ...     produced_at=at, privacy_requests=[request],
            ... )
            >>> export.to_records()[6]
            {'section': 'privacy_requests', 'records': 1, 'due_on': datetime.date(2026, 6, 13), 'law': 'pdpo'}
        """  # noqa: E501
        return self._counts()

    def to_dataframe(self) -> Any:
        """The summary (`to_records`) as a pandas DataFrame (needs pandas).

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> from retail_service_quality import Customer, PrivacyRequest
            >>> at = datetime(2026, 5, 4, 9, tzinfo=timezone.utc)
            >>> request = PrivacyRequest(id="R-1", customer_id="C-1", kind="access",
            ...     law="pdpo", received_at=at, due_on=date(2026, 6, 13))
            >>> build_access_export(
            ...     Customer(id="C-1", name="Wong", created_at=at), request=request,
            ...     produced_at=at,
            ... ).to_dataframe().shape
            (8, 4)

        Raises:
            RSQError: pandas is not installed.
        """
        return rows_frame(("section", "records", "due_on", "law"), self._counts())

    def _repr_html_(self) -> str:
        return rows_html(
            "AccessExport: everything held about one person",
            ("section", "records", "due_on", "law"),
            self._counts(),
        )


def _records(
    values: object, path: str, kinds: tuple[type, ...], customer_id: str | None, problems: Problems
) -> tuple[Any, ...]:
    """A list of records of ``kinds``, each of the customer's."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        problems.add(path, "must be a list of records", "type")
        return ()
    found = []
    for index, value in enumerate(values):
        item_path = join_path(path, index)
        if not isinstance(value, kinds) or isinstance(value, type):
            names = " or ".join(kind.__name__ for kind in kinds)
            problems.add(item_path, f"must be a {names}", "type")
            continue
        owner = getattr(value, "customer_id", customer_id)
        if customer_id is not None and owner != customer_id:
            problems.add(
                join_path(item_path, "customer_id"), "must be the customer's", "inconsistent"
            )
            continue
        found.append(value)
    return tuple(found)


def _other(
    other: object, customer_id: str | None, problems: Problems
) -> dict[str, tuple[Any, ...]]:
    if not isinstance(other, Mapping):
        problems.add("$.other", "must be a mapping of names to lists of records", "type")
        return {}
    found = {}
    for name, values in other.items():
        path = join_path("$.other", name if isinstance(name, str) else "?")
        if not isinstance(name, str):
            problems.add("$.other", "must have names (text) as keys", "type")
            continue
        check_id(name, path, problems)
        if name in _SECTIONS or name in RECORD_KINDS:
            problems.add(path, "must not be the name of a section the export has", "duplicate")
            continue
        records = _records(values, path, (object,), customer_id, problems)
        for index, record in enumerate(records):
            if not attrs.has(type(record)):
                problems.add(join_path(path, index), "must be one of the library's records", "type")
        found[name] = records
    return found


def _recipients(uses: Sequence[DataUse]) -> tuple[DataRecipient, ...]:
    grouped: dict[tuple[str, str, bool], list[DataProvided]] = {}
    for use in uses:
        if isinstance(use, DataProvided):
            grouped.setdefault((use.recipient_id, use.recipient_class, use.agent), []).append(use)
    recipients = []
    for (recipient_id, recipient_class, agent), provided in sorted(grouped.items()):
        kinds = {kind for use in provided for kind in use.data_kinds}
        recipients.append(
            DataRecipient(
                recipient_id=recipient_id,
                recipient_class=recipient_class,
                agent=agent,
                data_kinds=tuple(kind for kind in DataKind if kind in kinds),
                last_provided_at=max((use.at for use in provided), key=lambda at: at),
            )
        )
    return tuple(recipients)


def _categories(records: Iterable[Any]) -> tuple[str, ...]:
    """The classes of personal data the records hold (fields marked personal and not empty)."""
    found: set[str] = set()
    for record in records:
        if not attrs.has(type(record)):
            continue
        for name, data_class in personal_data(type(record)).items():
            if getattr(record, name) not in (None, (), ""):
                found.add(data_class.value)
    return tuple(member.value for member in PersonalDataClass if member.value in found)


def build_access_export(
    customer: Any,
    *,
    request: PrivacyRequest,
    produced_at: datetime,
    consent_ledger: ConsentLedger | None = None,
    data_uses: Iterable[DataUse] = (),
    interactions: Iterable[ServiceInteraction] = (),
    complaints: Iterable[Complaint] = (),
    privacy_requests: Iterable[PrivacyRequest] = (),
    legal_holds: Iterable[LegalHold] = (),
    other: Mapping[str, Sequence[Any]] = MappingProxyType({}),
    schedule: RetentionSchedule | None = None,
    purposes: Iterable[str] | None = None,
    source: str = DEFAULT_SOURCE,
) -> AccessExport:
    """The export answering an access or portability request: every record given, and about them.

    The caller reads the person's records from the store and passes them;
    each must be the customer's (a record of anyone else, or an anonymous
    complaint, is refused, so no one else's data can slip in). Complaints
    are given whole: what the person said and every step of the history,
    staff identifiers included (see the data-subject rights guide on
    withholding them). The export adds:

    - ``due_on``: the request's answer date (`PrivacyRequest.answer_by`);
    - ``categories``: the classes of personal data the records hold;
    - ``recipients``: each party the data was given to (`DataRecipient`),
      from the records of data provided;
    - ``retention``: the rules of ``schedule`` (`RetentionSchedule.default`
      when not given) for what is held;
    - ``purposes``: those given, or else the purposes of those rules;
    - ``source``: where the data came from.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import Customer, DataProvided, PrivacyRequest
        >>> at = datetime(2026, 5, 4, 9, tzinfo=timezone.utc)
        >>> request = PrivacyRequest(id="R-1", customer_id="C-1", kind="access",
        ...     law="gdpr", received_at=at, due_on=date(2026, 6, 4))
        >>> provided = DataProvided(
        ...     event_id="U-1", customer_id="C-1", at=at, evidence="batch:B-3",
        ...     recipient_id="P-INSURE", recipient_class="insurance",
        ...     data_kinds=["name"], for_gain=False,
        ... )
        >>> export = build_access_export(
        ...     Customer(id="C-1", name="Wong", created_at=at), request=request,
        ...     produced_at=at, data_uses=[provided, provided],
        ... )
        >>> [r.recipient_id for r in export.recipients], export.purposes
        (['P-INSURE'], ('legal_claims', 'membership'))

    Raises:
        ValidationError: every problem with the arguments, with its path: a
            request that is not an access or portability request of the
            customer, a record of another customer, a naive ``produced_at``.
    """
    problems = Problems()
    is_customer = _check_customer(customer, problems)
    customer_id: str | None = customer.id if is_customer else None
    if not isinstance(request, PrivacyRequest):
        problems.add("$.request", "must be a PrivacyRequest", "type")
    else:
        if request.kind not in (RequestKind.ACCESS, RequestKind.PORTABILITY):
            problems.add("$.request.kind", "must be an access or portability request", "invalid")
        if customer_id is not None and request.customer_id != customer_id:
            problems.add("$.request.customer_id", "must be the customer's", "inconsistent")
    check_aware(produced_at, "$.produced_at", problems)
    if consent_ledger is not None:
        if not isinstance(consent_ledger, ConsentLedger):
            problems.add("$.consent_ledger", "must be a ConsentLedger", "type")
        elif customer_id is not None and consent_ledger.customer_id != customer_id:
            problems.add("$.consent_ledger.customer_id", "must be the customer's", "inconsistent")
    uses = _records(
        data_uses, "$.data_uses", (MarketingMessageSent, DataProvided), customer_id, problems
    )
    found_interactions = _records(
        interactions, "$.interactions", (ServiceInteraction,), customer_id, problems
    )
    found_complaints = _records(complaints, "$.complaints", (Complaint,), customer_id, problems)
    requests = _records(
        privacy_requests, "$.privacy_requests", (PrivacyRequest,), customer_id, problems
    )
    holds = _records(legal_holds, "$.legal_holds", (LegalHold,), customer_id, problems)
    more = _other(other, customer_id, problems)
    chosen = _check_schedule(
        RetentionSchedule.default() if schedule is None else schedule, problems
    )
    named: tuple[str, ...] | None = None
    if purposes is not None:
        if isinstance(purposes, str | bytes) or not isinstance(purposes, Iterable):
            problems.add("$.purposes", "must be a list of purposes", "type")
        else:
            named = tuple(purposes)
            for index, purpose in enumerate(named):
                if not is_text(purpose) or not purpose.strip():
                    problems.add(join_path("$.purposes", index), "must be text", "type")
    if not is_text(source) or not source.strip():
        problems.add("$.source", "must say where the data came from", "type")
    problems.raise_if_any()
    assert chosen is not None
    assert isinstance(request, PrivacyRequest)
    everything = [customer, *uses, *found_interactions, *found_complaints, *requests, *holds]
    everything += [record for records in more.values() for record in records]
    categories = _categories(everything)
    held = set(categories)
    held.update(
        kind
        for kind, records in (
            ("consent_ledger", consent_ledger.events if consent_ledger is not None else ()),
            ("data_uses", uses),
            ("interactions", found_interactions),
            ("complaints", found_complaints),
            ("privacy_requests", requests),
        )
        if records
    )
    retention = tuple(rule for rule in chosen.rules if rule.data in held)
    if named is None:
        named = tuple(sorted({rule.purpose for rule in retention}))
    return AccessExport(
        customer_id=customer.id,
        request_id=request.id,
        law=request.law,
        due_on=request.answer_by,
        produced_at=produced_at,
        customer=customer,
        consent_ledger=consent_ledger,
        marketing_messages=tuple(use for use in uses if isinstance(use, MarketingMessageSent)),
        data_provided=tuple(use for use in uses if isinstance(use, DataProvided)),
        interactions=found_interactions,
        complaints=found_complaints,
        privacy_requests=requests,
        legal_holds=holds,
        other=FrozenMap(more),
        purposes=named,
        categories=categories,
        recipients=_recipients(uses),
        retention=retention,
        source=source,
    )
