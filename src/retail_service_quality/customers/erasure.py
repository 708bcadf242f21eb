"""Erasure requests: anonymise what no legal hold or live purpose needs, and say what was kept.

A person may ask for their data to be erased (PDPO DPP2(2) and s.26; GDPR
Art. 17(1)). Erasure yields where a law requires the data to be kept (GDPR
Art. 17(3)(b): invoices kept for tax) or where it is needed for legal claims
(Art. 17(3)(e)): a `LegalHold` records that. It also yields while a purpose
that is still running needs the data (an order not yet delivered).

`plan_erasure` says, for each personal field of the customer and each kind
of records held about them, whether it is erased or kept, and why, with the
legal source. `ErasurePlan.apply` returns the anonymised customer record;
the application API applies the plan to a store (the customer, and the
records of each kind the plan erases). An opt-out is not lost: its keyed
hash stays on the suppression list (see `KeyedHasher`).

Examples:
    >>> from datetime import date, datetime, timezone
    >>> from retail_service_quality import ContactPoint, Customer, LegalHold
    >>> at = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)
    >>> customer = Customer(
    ...     id="C-1", name="Chan Tai Man",
    ...     contacts=[ContactPoint("email", "tm.chan@example.com"),
    ...               ContactPoint("mobile_number", "+852 5555 0000")],
    ...     created_at=datetime(2024, 1, 2, tzinfo=timezone.utc),
    ... )
    >>> invoices = LegalHold(
    ...     id="H-1", customer_id="C-1", keeps=["name"],
    ...     reason="invoices are kept for 7 years for tax",
    ...     source="Inland Revenue Ordinance (Cap. 112) s.51C", placed_at=at,
    ...     until=date(2033, 5, 4),
    ... )
    >>> plan = plan_erasure(customer, holds=[invoices], on=at.date())
    >>> plan.kept(), plan.erased()[:2]
    (('name',), ('contacts.email', 'contacts.mobile_number'))
    >>> erased = plan.apply(customer, at)
    >>> erased.name, erased.email, erased.phone
    ('Chan Tai Man', None, None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

import attrs

from retail_service_quality.customers.requests import LegalHold
from retail_service_quality.customers.retention import (
    PlanItem,
    RetentionSchedule,
    _checked_arguments,
    _items,
    _Plan,
    _plan_items,
)
from retail_service_quality.errors import Problems
from retail_service_quality.service.complaints import Complaint

__all__ = ["ERASURE_SOURCES", "ErasurePlan", "plan_erasure"]

ERASURE_SOURCES: Final = {
    "pdpo": "PDPO DPP2(2) and s.26",
    "gdpr": "GDPR Art. 17(1)",
}
"""The legal source of an erasure, by law."""


@attrs.frozen(kw_only=True)
class ErasurePlan(_Plan):
    """What an erasure request erases and keeps of one customer's data, and why.

    One row per item (`to_records`, `to_dataframe`, and a table in a
    notebook): each personal field of the customer (a tuple of contact
    points gives one per kind, ``contacts.postal_address``), then each kind
    of records (`RECORD_KINDS`), then each complaint kept whole while the
    others are erased (``complaints.CMP-1``: still open, or held by name);
    each row says erase or keep, why, the legal
    source, and for a hold its id and until-date. `explain` gives the same in
    words to send the person.

    Attributes:
        customer_id: whose data it is.
        on: the day the request is carried out.
        law: the law the request is made under: ``"pdpo"`` or ``"gdpr"``.
        items: each item's `PlanItem`, by item name.

    Examples:
        >>> item = PlanItem(data="contact", action="erase", basis="request",
        ...     reason="erased at the person's request", source="GDPR Art. 17(1)")
        >>> plan = ErasurePlan(customer_id="C-1", on=date(2026, 5, 4), law="gdpr",
        ...     items={"email": item})
        >>> [(row["item"], row["action"]) for row in plan.to_records()]
        [('email', 'erase')]
    """

    customer_id: str
    on: date
    law: str
    items: Mapping[str, PlanItem] = attrs.field(converter=_items)


def _by_request(data: str, law: str) -> PlanItem:
    return PlanItem(
        data=data,
        action="erase",
        basis="request",
        reason="erased at the person's request: no legal hold or live purpose needs it",
        source=ERASURE_SOURCES[law],
    )


def plan_erasure(
    customer: Any,
    *,
    holds: Iterable[LegalHold],
    live_purposes: Iterable[str] = (),
    on: date,
    law: str = "pdpo",
    schedule: RetentionSchedule | None = None,
    complaints: Iterable[Complaint] = (),
) -> ErasurePlan:
    """What an erasure request erases and keeps of one customer's data, and why.

    Every personal field of the customer (whatever its record type: the
    fields marked personal) and every kind of records (`RECORD_KINDS`) is
    erased, except:

    1. what an active legal hold names (the field, a kind of contact point
       such as ``postal_address``, or a kind of records), kept with the
       hold's reason, legal source and until-date;
    2. what a live purpose needs: a purpose still running, such as an open
       order, keeps the classes of data its rules cover in ``schedule``
       (`RetentionSchedule.default` when not given).

    Never anything else: an item is kept only with its reason.

    Erasing ``complaints`` blanks the customer's own words in each
    (`Complaint.redacted`); the record of how it was handled stays. Of the
    ``complaints`` given (the customer's), one still open is kept whole:
    the complaint is a purpose still running, and what the customer said is
    needed to answer it (PDPO DPP2(2); GDPR Art. 17(1)(a): the right applies
    to data no longer needed for its purpose). So is one a legal hold names
    by its item, ``complaints.<id>`` (a dispute about that complaint). Each
    such complaint is an item of its own after ``complaints``; once closed,
    a new erasure (or the retention sweep) blanks it.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import ContactPoint, Customer
        >>> customer = Customer(
        ...     id="C-1", name="Wong", contacts=[ContactPoint("email", "w@example.com")],
        ...     created_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
        ... )
        >>> plan = plan_erasure(customer, holds=[], live_purposes=["legal_claims"],
        ...     on=date(2026, 5, 4), law="gdpr")
        >>> plan.items["contacts.email"].source, plan.items["consent_ledger"].basis
        ('GDPR Art. 17(1)', 'live_purpose')
        >>> from retail_service_quality import Complaint
        >>> still_open = Complaint.receive(
        ...     id="CMP-9", at=datetime(2026, 5, 1, tzinfo=timezone.utc), channel="email",
        ...     store_id="HK-1", category="billing", customer_id="C-1", description="charged twice",
        ... )
        >>> plan = plan_erasure(customer, holds=[], on=date(2026, 5, 4), complaints=[still_open])
        >>> plan.items["complaints"].action, plan.items["complaints.CMP-9"].basis
        ('erase', 'live_purpose')

    Raises:
        ValidationError: every problem with the arguments, with its path: a
            customer that is not a record, a hold of another customer, a
            live purpose the schedule does not name, a datetime for ``on``,
            a law other than ``"pdpo"`` and ``"gdpr"``, a complaint of
            another customer.
    """
    problems = Problems()
    if not isinstance(law, str) or law not in ERASURE_SOURCES:
        problems.add(
            "$.law",
            "must be one of: " + ", ".join(ERASURE_SOURCES),
            "unknown_choice" if isinstance(law, str) else "type",
        )
    checked = _checked_arguments(
        customer,
        holds,
        live_purposes,
        RetentionSchedule.default() if schedule is None else schedule,
        on,
        problems,
        complaints,
    )
    items = _plan_items(
        customer, checked=checked, on=on, otherwise=lambda data: _by_request(data, law)
    )
    return ErasurePlan(customer_id=customer.id, on=on, law=law, items=items)
