"""Retention schedules: how long each class of personal data is kept, per purpose, and a plan.

Personal data is kept no longer than its purpose needs, then erased (PDPO
DPP2(2) and s.26; GDPR Art. 5(1)(e)), unless a law requires keeping it (a
`LegalHold`). A `RetentionSchedule` says how long: one `RetentionRule` per
pair of what is kept (a `PersonalDataClass`, or a kind of records such as
``"interactions"``) and a purpose, counted from the record's creation or
from the customer's last activity.

`plan_retention` applies a schedule to one customer on one day, and says,
for each personal field of the customer and each kind of records held about
them, whether to erase or keep it, and why: the hold (with its legal source
and until-date), the live purpose, or the rule whose period still runs. It
changes nothing: the application API applies the plan to a store (a dry run
first, then the sweep).

Periods are calendar periods (`dateutil.relativedelta`): a period of a year
counted from 29 February ends on 28 February of the next year, a month from
31 January ends on the last day of February. Data is kept up to the day
before its period ends, and erased from the day it ends (``expires_on``).

Examples:
    >>> from datetime import date, datetime, timezone
    >>> from retail_service_quality import ContactPoint, Customer
    >>> customer = Customer(
    ...     id="C-1", name="Chan Tai Man", contacts=[ContactPoint("email", "tm.chan@example.com")],
    ...     created_at=datetime(2020, 1, 6, tzinfo=timezone.utc),
    ... )
    >>> plan = plan_retention(
    ...     customer, last_activity=datetime(2022, 3, 1, tzinfo=timezone.utc), holds=(),
    ...     live_purposes=(), schedule=RetentionSchedule.default(), on=date(2026, 1, 5),
    ... )
    >>> plan.items["contacts.email"].action, plan.items["consent_ledger"].action
    ('erase', 'keep')
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from enum import Enum
from types import NoneType, UnionType
from typing import Any, ClassVar, Final, Literal

import attrs
from dateutil.relativedelta import relativedelta

from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.personal import PersonalDataClass, personal_data
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_id,
    check_text,
    raise_problems,
)
from retail_service_quality.customers.requests import LegalHold
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.service.complaints import Complaint, ComplaintState

__all__ = [
    "RECORD_KINDS",
    "PlanItem",
    "RetentionPlan",
    "RetentionRule",
    "RetentionSchedule",
    "plan_retention",
]

RECORD_KINDS: Final = (
    "interactions",
    "consent_ledger",
    "data_uses",
    "privacy_requests",
    "complaints",
)
"""The kinds of records held about a customer besides the customer record itself."""

_DATA: Final = tuple(member.value for member in PersonalDataClass) + RECORD_KINDS
_MAX_YEARS = 200
_STORAGE_SOURCE: Final = "PDPO DPP2(2) and s.26; GDPR Art. 5(1)(e)"

Action = Literal["erase", "keep"]
Basis = Literal["hold", "live_purpose", "retention", "expired", "no_rule", "request"]
CountedFrom = Literal["created", "last_activity"]


def _data_value(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


@attrs.frozen(kw_only=True)
class RetentionRule:
    """How long one class of personal data (or kind of records) is kept for one purpose.

    Attributes:
        data: what is kept: a `PersonalDataClass` value (``"contact"``) or a
            kind of records (`RECORD_KINDS`: ``"interactions"``,
            ``"consent_ledger"``, ``"data_uses"``, ``"privacy_requests"``,
            ``"complaints"``).
        purpose: the purpose it is kept for (``"membership"``), an identifier.
        years: whole years of the period.
        months: whole months of the period.
        days: days of the period.
        counted_from: ``"created"`` (from when the customer record was
            created) or ``"last_activity"`` (from the customer's last
            activity: a purchase, a contact, a change of consent).
        source: why this long, such as the law that sets it, if any.

    Examples:
        >>> rule = RetentionRule(data="contact", purpose="membership", years=2)
        >>> rule.keep_for, rule.expires_on(date(2024, 2, 29))
        (relativedelta(years=+2), datetime.date(2026, 2, 28))

    Raises:
        ValidationError: every problem, with its path.
    """

    data: str = attrs.field(default=REQUIRED, converter=_data_value)
    purpose: str = attrs.field(default=REQUIRED)
    years: int = 0
    months: int = 0
    days: int = 0
    counted_from: CountedFrom = "last_activity"
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.data, str) or self.data not in _DATA:
            problems.add(
                "$.data",
                "must be a class of personal data or a kind of records: " + ", ".join(_DATA),
                "unknown_choice" if isinstance(self.data, str) else "type",
            )
        check_id(self.purpose, "$.purpose", problems)
        limits = {"years": _MAX_YEARS, "months": 12 * _MAX_YEARS, "days": 366 * _MAX_YEARS}
        numbers_ok = True
        for name, limit in limits.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                problems.add(f"$.{name}", "must be a whole number", "type")
                numbers_ok = False
            elif not 0 <= value <= limit:
                problems.add(f"$.{name}", f"must be from 0 to {limit}", "range")
                numbers_ok = False
        if numbers_ok and not (self.years or self.months or self.days):
            problems.add("$.years", "the period must be longer than nothing", "range")
        if self.counted_from not in ("created", "last_activity"):
            problems.add(
                "$.counted_from",
                "must be one of: created, last_activity",
                "unknown_choice" if isinstance(self.counted_from, str) else "type",
            )
        check_text(self.source, "$.source", problems, optional=True)
        raise_problems(self, problems)

    @property
    def keep_for(self) -> relativedelta:
        """The period, as a `dateutil.relativedelta`.

        Examples:
            >>> RetentionRule(data="interactions", purpose="service", months=18).keep_for
            relativedelta(years=+1, months=+6)
        """
        return relativedelta(years=self.years, months=self.months, days=self.days)

    def expires_on(self, start: date) -> date | None:
        """The day the period that started on ``start`` ends: from then on, it is erased.

        ``None`` when the period ends after 9999-12-31 (it never ends within
        the dates the library handles).

        Examples:
            >>> rule = RetentionRule(data="contact", purpose="membership", months=1)
            >>> rule.expires_on(date(2026, 1, 31)), rule.expires_on(date(9999, 12, 31))
            (datetime.date(2026, 2, 28), None)

        Raises:
            ValidationError: ``start`` is not a date.
        """
        if isinstance(start, datetime) or not isinstance(start, date):
            raise ValidationError.single("$.start", "must be a date (not a datetime)", "type")
        try:
            end: date = start + self.keep_for
        except (OverflowError, ValueError):
            return None
        return end

    def describe(self) -> str:
        """The period in words, such as ``"2 years after the last activity"``.

        Examples:
            >>> RetentionRule(data="free_text", purpose="service", years=1, days=1).describe()
            '1 year and 1 day after the last activity'
        """
        parts = [
            f"{count} {unit}{'' if count == 1 else 's'}"
            for count, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day"))
            if count
        ]
        period = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
        start = "the record was created" if self.counted_from == "created" else "the last activity"
        return f"{period} after {start}"


def _rules(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen
class RetentionSchedule:
    """The retention rules of a retailer: at most one per pair of data and purpose.

    Read and written as JSON through the library's converter (`to_json`,
    `from_json`), with a JSON Schema from `json_schema`, so a compliance
    officer can keep it in a file and a UI can edit it.

    Attributes:
        rules: the rules.

    Examples:
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> schedule = RetentionSchedule(
        ...     [RetentionRule(data="contact", purpose="membership", years=2)]
        ... )
        >>> from_json(to_json(schedule), RetentionSchedule) == schedule
        True
        >>> RetentionSchedule([schedule.rules[0], schedule.rules[0]])
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.rules[1]: repeats the data and purpose of an earlier rule

    Raises:
        ValidationError: every problem, with its path.
    """  # noqa: E501

    rules: tuple[RetentionRule, ...] = attrs.field(default=(), converter=_rules)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.rules, tuple):
            problems.add("$.rules", "must be a list of retention rules", "type")
        else:
            seen: set[tuple[str, str]] = set()
            for index, rule in enumerate(self.rules):
                if not isinstance(rule, RetentionRule):
                    problems.add(f"$.rules[{index}]", "must be a RetentionRule", "type")
                    continue
                if (rule.data, rule.purpose) in seen:
                    problems.add(
                        f"$.rules[{index}]",
                        "repeats the data and purpose of an earlier rule",
                        "duplicate",
                    )
                seen.add((rule.data, rule.purpose))
        raise_problems(self, problems)

    @classmethod
    def default(cls) -> RetentionSchedule:
        """A starting schedule for a retailer in Hong Kong; review it with your own counsel.

        - ``membership``: identifiers, contact points, demographic data and
          preferences, 2 years after the last activity. A loyalty membership
          needs them while the member is active; two years without a
          purchase, a contact or a change of consent is taken as the end of
          that need (PDPO DPP2(2): no longer than necessary).
        - ``direct_marketing``: contact points and preferences, 2 years
          after the last activity, for the same reason; an opt-out is kept
          apart from them, as a keyed hash on the suppression list.
        - ``customer_service``: staff's free-text notes, 1 year after the
          last activity (they may hold anything, so they go first);
          interactions and complaints, 2 years after the last activity, to
          follow up complaints, see repeat complaints and measure service
          (the last activity counts each complaint's last step). What expires
          of a complaint is the customer's own words; the record of how it was
          handled stays, for accountability and analysis. A complaint that
          turns into a dispute is kept by a `LegalHold`.
        - ``legal_claims``: the consent ledger, the records of data uses and
          of privacy requests, 6 years after the last activity: they prove
          that marketing and provision were consented to (PDPO s.35E, s.35K)
          and that requests were answered, for as long as a claim in contract
          or tort can be brought (Limitation Ordinance, Cap. 347, s.4).

        Records a law requires to be kept longer, such as invoices for tax
        (Inland Revenue Ordinance, Cap. 112, s.51C: 7 years), are kept by a
        `LegalHold`, not by the schedule.

        Examples:
            >>> schedule = RetentionSchedule.default()
            >>> sorted({rule.purpose for rule in schedule.rules})
            ['customer_service', 'direct_marketing', 'legal_claims', 'membership']
        """
        limitation = "Limitation Ordinance (Cap. 347) s.4"
        rules = [
            RetentionRule(data=kind.value, purpose="membership", years=2)
            for kind in (
                PersonalDataClass.IDENTIFIER,
                PersonalDataClass.CONTACT,
                PersonalDataClass.DEMOGRAPHIC,
                PersonalDataClass.PREFERENCE,
            )
        ]
        rules += [
            RetentionRule(data=kind.value, purpose="direct_marketing", years=2)
            for kind in (PersonalDataClass.CONTACT, PersonalDataClass.PREFERENCE)
        ]
        rules += [
            RetentionRule(data="free_text", purpose="customer_service", years=1),
            RetentionRule(data="interactions", purpose="customer_service", years=2),
            RetentionRule(data="complaints", purpose="customer_service", years=2),
        ]
        rules += [
            RetentionRule(data=kind, purpose="legal_claims", years=6, source=limitation)
            for kind in ("consent_ledger", "data_uses", "privacy_requests")
        ]
        return cls(rules)

    @property
    def purposes(self) -> tuple[str, ...]:
        """The purposes the rules name, sorted.

        Examples:
            >>> RetentionSchedule.default().purposes[0]
            'customer_service'
        """
        return tuple(sorted({rule.purpose for rule in self.rules}))

    def rules_for(self, data: PersonalDataClass | str) -> tuple[RetentionRule, ...]:
        """The rules for one class of personal data or kind of records, in schedule order.

        Examples:
            >>> [rule.purpose for rule in RetentionSchedule.default().rules_for("contact")]
            ['membership', 'direct_marketing']
        """
        value = _data_value(data)
        return tuple(rule for rule in self.rules if rule.data == value)


@attrs.frozen(kw_only=True)
class PlanItem(Tabular):
    """One line of a retention or erasure plan: what to do with one item, and why.

    Attributes:
        data: the item's class of personal data, or its kind of records.
        action: ``"erase"`` or ``"keep"``.
        basis: why: ``"hold"`` (a legal hold keeps it), ``"live_purpose"``
            (a purpose still running needs it), ``"retention"`` (its
            retention period still runs), ``"expired"`` (its period ended),
            ``"no_rule"`` (no rule of the schedule keeps it) or
            ``"request"`` (the person asked for erasure).
        reason: the reason in plain words, which can be read to the person.
        source: the legal source of the decision.
        until: the last day it is kept, if known (the hold's until-date, or
            the day before the retention period ends); ``None`` for an erased
            item, or one kept with no end date.
        hold_id: the legal hold that keeps it, if any.
        purpose: the purpose or retention rule that keeps or ended it, if any.

    Examples:
        >>> PlanItem(data="contact", action="erase", basis="request",
        ...     reason="erased at the person's request", source="GDPR Art. 17(1)").action
        'erase'
    """

    data: str
    action: Action
    basis: Basis
    reason: str
    source: str
    until: date | None = None
    hold_id: str | None = None
    purpose: str | None = None


# --- the customer's items ------------------------------------------------------------------


def _blank_of(cls: type, name: str) -> tuple[bool, Any]:
    """What an erased field becomes: ``None`` if optional, ``()`` if a tuple; else none."""
    try:
        hint = typing.get_type_hints(cls).get(name, Any)
    except Exception:  # annotations that do not resolve: the field's default tells
        default = attrs.fields_dict(cls)[name].default
        return (True, default) if default is None or default == () else (False, None)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, UnionType) and NoneType in typing.get_args(hint):
        return True, None
    if origin is tuple or hint is tuple:
        return True, ()
    return False, None


def _kind_of(element: object) -> str | None:
    kind = getattr(element, "kind", None)
    value = _data_value(kind)
    return value if isinstance(value, str) else None


def _customer_items(customer: Any) -> dict[str, tuple[str, str, str | None]]:
    """The personal items of a customer: item name -> (field, class, kind of contact point).

    A tuple field whose elements have a ``kind`` (contact points) gives one
    item per kind present, named ``field.kind`` (``contacts.postal_address``),
    so that a hold can keep the postal address and let the email go. A field
    that holds nothing (``None``, an empty tuple) is no item.
    """
    found: dict[str, tuple[str, str, str | None]] = {}
    for name, data_class in personal_data(type(customer)).items():
        value = getattr(customer, name)
        if value is None or value == ():
            continue  # nothing held: nothing to keep or erase
        kinds = (
            [_kind_of(element) for element in value] if isinstance(value, tuple) and value else []
        )
        if kinds and all(kinds):
            for kind in dict.fromkeys(kinds):
                assert kind is not None
                found[f"{name}.{kind}"] = (name, data_class.value, kind)
        else:
            found[name] = (name, data_class.value, None)
    return found


def _check_customer(customer: object, problems: Problems) -> bool:
    """A customer record: an attrs record with an ``id`` and an aware ``created_at``."""
    if isinstance(customer, type) or not attrs.has(type(customer)):
        problems.add("$.customer", "must be a customer record", "type")
        return False
    if not isinstance(getattr(customer, "id", None), str):
        problems.add("$.customer.id", "must be the customer's identifier", "type")
        return False
    check_aware(getattr(customer, "created_at", None), "$.customer.created_at", problems)
    return True


def _check_day(day: object, path: str, problems: Problems) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        problems.add(path, "must be a date (not a datetime)", "type")


def _owned(
    values: object, path: str, cls: type, plural: str, customer_id: str | None, problems: Problems
) -> tuple[Any, ...]:
    """A list of records of ``cls``, each checked to be one and to be the customer's."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        problems.add(path, f"must be a list of {plural}", "type")
        return ()
    found = []
    for index, value in enumerate(values):
        item = join_path(path, index)
        if not isinstance(value, cls):
            problems.add(item, f"must be a {cls.__name__}", "type")
        elif customer_id is not None and getattr(value, "customer_id", None) != customer_id:
            problems.add(join_path(item, "customer_id"), "must be the customer's", "inconsistent")
        else:
            found.append(value)
    return tuple(found)


def _check_holds(
    holds: object, customer_id: str | None, problems: Problems
) -> tuple[LegalHold, ...]:
    """The customer's legal holds, each checked to be one and to be theirs."""
    return _owned(holds, "$.holds", LegalHold, "legal holds", customer_id, problems)


def _check_purposes(
    purposes: object, schedule: RetentionSchedule | None, problems: Problems
) -> frozenset[str]:
    """Live purposes: identifiers, each a purpose of the schedule."""
    if isinstance(purposes, str | bytes | Mapping) or not isinstance(purposes, Iterable):
        problems.add("$.live_purposes", "must be a list of purposes", "type")
        return frozenset()
    found = set()
    known = set(schedule.purposes) if schedule is not None else None
    for index, purpose in enumerate(purposes):
        path = join_path("$.live_purposes", index)
        if not isinstance(purpose, str):
            problems.add(path, "must be a purpose's name", "type")
        elif known is not None and purpose not in known:
            problems.add(path, "must be a purpose of the retention schedule", "unknown_choice")
        else:
            found.add(purpose)
    return frozenset(found)


def _check_schedule(schedule: object, problems: Problems) -> RetentionSchedule | None:
    if not isinstance(schedule, RetentionSchedule):
        problems.add("$.schedule", "must be a RetentionSchedule", "type")
        return None
    return schedule


def _holding(holds: Iterable[LegalHold], names: Iterable[str | None], on: date) -> LegalHold | None:
    """The active hold that keeps any of ``names`` longest (no until-date: longest of all)."""
    wanted = {name for name in names if name}
    found = [hold for hold in holds if hold.active_on(on) and wanted & set(hold.keeps)]
    if not found:
        return None
    return max(found, key=lambda hold: (hold.until is None, hold.until or date.min, hold.id))


def _held(hold: LegalHold, data: str) -> PlanItem:
    return PlanItem(
        data=data,
        action="keep",
        basis="hold",
        reason=hold.reason,
        source=hold.source,
        until=hold.until,
        hold_id=hold.id,
    )


def _kept_by_hold_or_purpose(
    data: str,
    names: Iterable[str | None],
    *,
    holds: Iterable[LegalHold],
    live: frozenset[str],
    schedule: RetentionSchedule,
    on: date,
) -> PlanItem | None:
    """The item kept by an active legal hold, or by a live purpose; else ``None``."""
    hold = _holding(holds, names, on)
    if hold is not None:
        return _held(hold, data)
    for rule in schedule.rules_for(data):
        if rule.purpose in live:
            return PlanItem(
                data=data,
                action="keep",
                basis="live_purpose",
                reason=f"still needed for {rule.purpose}, a purpose that is still running",
                source=_STORAGE_SOURCE,
                purpose=rule.purpose,
            )
    return None


def _check_complaints(
    complaints: object, customer_id: str | None, problems: Problems
) -> tuple[Complaint, ...]:
    """The customer's complaints, each checked to be one and to be theirs."""
    return _owned(complaints, "$.complaints", Complaint, "complaints", customer_id, problems)


@attrs.frozen
class _Checked:
    """The arguments shared by the plans, checked."""

    holds: tuple[LegalHold, ...]
    live: frozenset[str]
    schedule: RetentionSchedule
    complaints: tuple[Complaint, ...]


def _checked_arguments(
    customer: object,
    holds: object,
    live_purposes: object,
    schedule: object,
    on: object,
    problems: Problems,
    complaints: object = (),
) -> _Checked:
    """The arguments shared by the plans, checked; every problem raised together."""
    is_customer = _check_customer(customer, problems)
    customer_id = customer.id if is_customer else None  # type: ignore[attr-defined]
    found = _check_schedule(schedule, problems)
    live = _check_purposes(live_purposes, found, problems)
    found_holds = _check_holds(holds, customer_id, problems)
    found_complaints = _check_complaints(complaints, customer_id, problems)
    _check_day(on, "$.on", problems)
    problems.raise_if_any()
    assert found is not None
    return _Checked(found_holds, live, found, found_complaints)


_COMPLAINT_ITEM: Final = "complaints.{id}"
"""The name of one complaint's item in a plan (``complaints.CMP-1``): a hold may name it."""

_OPEN_COMPLAINT: Final = PlanItem(
    data="complaints",
    action="keep",
    basis="live_purpose",
    reason=(
        "the complaint is still being handled: what the customer said is needed to answer it, "
        "so it is kept whole until the complaint is closed"
    ),
    source="PDPO DPP2(2) and s.26 (kept while its purpose runs); GDPR Art. 17(1)(a)",
    purpose="complaint_handling",
)


def _complaint_items(
    complaints: Iterable[Complaint], holds: tuple[LegalHold, ...], on: date
) -> dict[str, PlanItem]:
    """The complaints an erasure of the kind does not reach: held by name, or still open."""
    items: dict[str, PlanItem] = {}
    for complaint in complaints:
        name = _COMPLAINT_ITEM.format(id=complaint.id)
        hold = _holding(holds, (name,), on)
        if hold is not None:
            items[name] = _held(hold, "complaints")
        elif complaint.state is not ComplaintState.CLOSED:
            items[name] = _OPEN_COMPLAINT
    return items


def _plan_items(
    customer: Any,
    *,
    checked: _Checked,
    on: date,
    otherwise: Callable[[str], PlanItem],
) -> dict[str, PlanItem]:
    """Each personal item, then each kind of records: kept by a hold or live purpose, or else.

    When the complaints are erased, each complaint a hold names, or that is still open, follows
    as an item of its own, kept.
    """
    targets: list[tuple[str, str, tuple[str | None, ...]]] = [
        (name, data, (name, field, kind))
        for name, (field, data, kind) in _customer_items(customer).items()
    ]
    targets += [(kind, kind, (kind,)) for kind in RECORD_KINDS]
    items = {
        name: _kept_by_hold_or_purpose(
            data, names, holds=checked.holds, live=checked.live, schedule=checked.schedule, on=on
        )
        or otherwise(data)
        for name, data, names in targets
    }
    if items["complaints"].action == "erase":
        items.update(_complaint_items(checked.complaints, checked.holds, on))
    return items


def _record_items(items: Mapping[str, PlanItem]) -> set[str]:
    """The items of a plan that are records (a kind, or one complaint), not the customer's."""
    return {name for name, item in items.items() if item.data in RECORD_KINDS}


def _blank_customer(customer: Any, items: Mapping[str, PlanItem], at: datetime) -> Any:
    """The customer with every erased item blanked, and ``erased_at`` set if it has one."""
    cls = type(customer)
    current = _customer_items(customer)
    problems = Problems()
    if set(current) != set(items) - _record_items(items):
        problems.add(
            "$.customer", "has different personal data from when the plan was made", "inconsistent"
        )
    check_aware(at, "$.at", problems)
    problems.raise_if_any()
    changes: dict[str, Any] = {}
    by_field: dict[str, list[tuple[str | None, bool]]] = {}
    for name, (field, _, kind) in current.items():
        by_field.setdefault(field, []).append((kind, items[name].action == "erase"))
    for field, parts in by_field.items():
        if not any(erase for _, erase in parts):
            continue
        blankable, blank = _blank_of(cls, field)
        kept_kinds = {kind for kind, erase in parts if not erase and kind is not None}
        if kept_kinds:
            changes[field] = tuple(
                element for element in getattr(customer, field) if _kind_of(element) in kept_kinds
            )
        elif getattr(customer, field) in (None, ()):
            continue
        elif blankable:
            changes[field] = blank
        else:
            problems.add(
                join_path("$.customer", field),
                "cannot be blanked: the record type requires it (keep it under a legal hold)",
                "invalid",
            )
    problems.raise_if_any()
    if "erased_at" in attrs.fields_dict(cls):
        changes["erased_at"] = at
    return attrs.evolve(customer, **changes)


class _Plan(Tabular):
    """Shared by the two plans: the erased and kept items, and their explanation."""

    __slots__ = ()

    _rows_from: ClassVar[str | None] = "items"
    _row_key: ClassVar[str] = "item"

    customer_id: str
    items: Mapping[str, PlanItem]

    def erased(self) -> tuple[str, ...]:
        """The items to erase, in plan order.

        Examples:
            >>> from datetime import date
            >>> item = PlanItem(data="contact", action="erase", basis="no_rule",
            ...     reason="no rule keeps it", source="PDPO DPP2(2)")
            >>> plan = RetentionPlan(customer_id="C-1", on=date(2026, 1, 1), items={"email": item})
            >>> plan.erased()
            ('email',)
        """
        return tuple(name for name, item in self.items.items() if item.action == "erase")

    def kept(self) -> tuple[str, ...]:
        """The items to keep, in plan order.

        Examples:
            >>> from datetime import date
            >>> item = PlanItem(data="contact", action="keep", basis="retention",
            ...     reason="kept", source="PDPO DPP2(2)")
            >>> plan = RetentionPlan(customer_id="C-1", on=date(2026, 1, 1), items={"email": item})
            >>> plan.kept()
            ('email',)
        """
        return tuple(name for name, item in self.items.items() if item.action == "keep")

    def explain(self) -> str:
        """The plan in plain words: one line per item, what and why.

        Examples:
            >>> from datetime import date
            >>> item = PlanItem(data="contact", action="erase", basis="no_rule",
            ...     reason="no rule keeps it", source="PDPO DPP2(2)")
            >>> print(RetentionPlan(customer_id="C-1", on=date(2026, 1, 1),
            ...     items={"email": item}).explain())
            email: erase (no rule keeps it; PDPO DPP2(2))
        """
        lines = []
        for name, item in self.items.items():
            until = f", until {item.until.isoformat()}" if item.until is not None else ""
            lines.append(f"{name}: {item.action} ({item.reason}{until}; {item.source})")
        return "\n".join(lines)

    def apply(self, customer: Any, at: datetime) -> Any:
        """The customer anonymised: every erased personal field blanked; the kept ones as they were.

        An erased field becomes ``None`` (an optional field) or ``()`` (a
        tuple field); of a tuple of contact points, only the kinds kept stay.
        ``erased_at`` is set to ``at`` if the record type has it. Records of
        the other kinds (interactions, the ledger...) are erased by the
        application API, which reads the plan's items for them.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> from retail_service_quality import ContactPoint, Customer
            >>> at = datetime(2026, 5, 4, tzinfo=timezone.utc)
            >>> customer = Customer(id="C-1", name="Wong", created_at=at,
            ...     contacts=[ContactPoint("email", "w@example.com")])
            >>> keep = PlanItem(data="identifier", action="keep", basis="retention",
            ...     reason="kept", source="PDPO DPP2(2)")
            >>> erase = attrs.evolve(keep, data="contact", action="erase", basis="expired")
            >>> plan = RetentionPlan(customer_id="C-1", on=date(2026, 5, 4),
            ...     items={"name": keep, "contacts.email": erase})
            >>> plan.apply(customer, at).email is None
            True

        Raises:
            ValidationError: ``customer`` is not the plan's customer, or its
                personal data changed since the plan was made, ``at`` is not
                an aware datetime, or a field to erase cannot be blank.
        """
        problems = Problems()
        if _check_customer(customer, problems) and customer.id != self.customer_id:
            problems.add("$.customer.id", "must be the plan's customer", "inconsistent")
        problems.raise_if_any()
        return _blank_customer(customer, self.items, at)


def _items(value: Any) -> Any:
    return FrozenMap(value) if isinstance(value, Mapping) else value


@attrs.frozen(kw_only=True)
class RetentionPlan(_Plan):
    """What the retention schedule erases and keeps of one customer's data on one day, and why.

    One row per item (`to_records`): each personal field of the customer
    (a tuple of contact points gives one per kind, ``contacts.email``), then
    each kind of records (`RECORD_KINDS`), then each complaint kept whole
    while the others are erased (``complaints.CMP-1``: still open, or held
    by name).

    Attributes:
        customer_id: whose data it is.
        on: the day the plan is for.
        items: each item's `PlanItem`, by item name.

    Examples:
        >>> item = PlanItem(data="interactions", action="keep", basis="retention",
        ...     reason="kept", source="PDPO DPP2(2)")
        >>> plan = RetentionPlan(customer_id="C-1", on=date(2026, 1, 1),
        ...     items={"interactions": item})
        >>> plan.to_records()[0]["item"], plan.kept()
        ('interactions', ('interactions',))
    """

    customer_id: str
    on: date
    items: Mapping[str, PlanItem] = attrs.field(converter=_items)


def _base_day(customer: Any, last_activity: datetime | None, rule: RetentionRule) -> date:
    """The local date the rule's period counts from: creation, or the latest activity."""
    created: datetime = customer.created_at
    if rule.counted_from == "created" or last_activity is None:
        return created.date()
    return max(created, last_activity).date()


def _by_schedule(
    data: str,
    customer: Any,
    last_activity: datetime | None,
    schedule: RetentionSchedule,
    on: date,
) -> PlanItem:
    rules = schedule.rules_for(data)
    if not rules:
        return PlanItem(
            data=data,
            action="erase",
            basis="no_rule",
            reason="no rule of the retention schedule keeps it",
            source=_STORAGE_SOURCE,
        )
    ends = [(rule.expires_on(_base_day(customer, last_activity, rule)), rule) for rule in rules]
    running = [(end, rule) for end, rule in ends if end is None or on < end]
    if running:
        end, rule = max(running, key=lambda pair: (pair[0] is None, pair[0] or date.min))
        return PlanItem(
            data=data,
            action="keep",
            basis="retention",
            reason=f"kept for {rule.purpose}: {rule.describe()}",
            source=rule.source or _STORAGE_SOURCE,
            until=None if end is None else end - relativedelta(days=1),
            purpose=rule.purpose,
        )
    end, rule = max(ends, key=lambda pair: pair[0] or date.min)
    assert end is not None
    return PlanItem(
        data=data,
        action="erase",
        basis="expired",
        reason=f"its retention period for {rule.purpose} ({rule.describe()}) "
        f"ended on {end.isoformat()}",
        source=_STORAGE_SOURCE,
        purpose=rule.purpose,
    )


def plan_retention(
    customer: Any,
    *,
    last_activity: datetime | None,
    holds: Iterable[LegalHold],
    live_purposes: Iterable[str],
    schedule: RetentionSchedule,
    on: date,
    complaints: Iterable[Complaint] = (),
) -> RetentionPlan:
    """What the retention schedule erases and keeps of one customer's data on ``on``, and why.

    For each personal field of the customer (whatever its record type: the
    fields marked personal, with their class) and each kind of records
    (`RECORD_KINDS`), the first that applies of:

    1. an active legal hold naming it (the field, the kind of contact point
       such as ``postal_address``, or the kind of records) keeps it, with
       the hold's reason, legal source and until-date (of several holds, the
       one that keeps it longest);
    2. a live purpose (one still running, such as an open order) whose rule
       covers its class keeps it;
    3. a rule whose period still runs on ``on`` keeps it, until the day
       before that period ends (of several rules, the longest);
    4. otherwise it is erased: its periods have ended, or no rule covers it.

    Periods count from the customer record's creation (``counted_from =
    "created"``) or from the later of its creation and ``last_activity``
    (``"last_activity"``; without a last activity, from the creation), each
    read as a date in the zone of its own timestamp. A kind of records is
    planned as a whole, from the customer's dates.

    ``complaints`` are the customer's complaints. Each counts as activity up
    to its last step (the later of that and ``last_activity`` is used). When
    the plan erases complaints (their free text: the record of how each was
    handled stays), a complaint still open is kept whole while it is handled
    (``basis="live_purpose"``), and so is one a hold names by its item,
    ``complaints.<id>``; each such complaint is an item of its own, after
    ``complaints``.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import ContactPoint, Customer, LegalHold
        >>> created = datetime(2020, 1, 6, tzinfo=timezone.utc)
        >>> customer = Customer(id="C-1", name="Chan", created_at=created,
        ...     contacts=[ContactPoint("email", "c@example.com")])
        >>> hold = LegalHold(
        ...     id="H-1", customer_id="C-1", keeps=["name"], reason="invoices are kept for tax",
        ...     source="Inland Revenue Ordinance (Cap. 112) s.51C", placed_at=created,
        ...     until=date(2027, 1, 6),
        ... )
        >>> plan = plan_retention(
        ...     customer, last_activity=None, holds=[hold], live_purposes=[],
        ...     schedule=RetentionSchedule.default(), on=date(2026, 1, 5),
        ... )
        >>> print("\\n".join(plan.explain().splitlines()[:2]))
        name: keep (invoices are kept for tax, until 2027-01-06; Inland Revenue Ordinance (Cap. 112) s.51C)
        contacts.email: erase (its retention period for membership (2 years after the last activity) ended on 2022-01-06; PDPO DPP2(2) and s.26; GDPR Art. 5(1)(e))

    Raises:
        ValidationError: every problem with the arguments, with its path: a
            customer that is not a record with an aware ``created_at``, a
            hold of another customer, a live purpose the schedule does not
            name, a naive or skipped-hour ``last_activity``, a datetime for
            ``on``, a complaint of another customer.
    """  # noqa: E501
    problems = Problems()
    if last_activity is not None:
        check_aware(last_activity, "$.last_activity", problems)
    checked = _checked_arguments(customer, holds, live_purposes, schedule, on, problems, complaints)
    latest = _latest_instant([last_activity, *_complaint_activity(checked.complaints)])
    items = _plan_items(
        customer,
        checked=checked,
        on=on,
        otherwise=lambda data: _by_schedule(data, customer, latest, checked.schedule, on),
    )
    return RetentionPlan(customer_id=customer.id, on=on, items=items)


def _complaint_activity(complaints: Iterable[Complaint]) -> list[datetime]:
    """The instants the complaints count as the customer's activity: receipt and last step."""
    moments: list[datetime] = []
    for complaint in complaints:
        events = complaint.events()
        moments += [events[0].at, max((event.at for event in events), key=_utc)]
    return moments


def _latest_instant(moments: Iterable[datetime | None]) -> datetime | None:
    """The latest of the instants given (compared as instants), or ``None`` if there are none."""
    found = [moment for moment in moments if moment is not None]
    return max(found, key=_utc) if found else None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
