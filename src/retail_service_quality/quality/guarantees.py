"""Return and refund guarantees: ordered clauses over a sale and a returned item, explained.

A retailer publishes a guarantee ("full refund within 7 days with a receipt,
unworn; exchange within 30 days; sale items exchange only; electronics
excluded; VIP members get 7 more days"). `ReturnGuarantee` holds it as data
a UI edits as JSON: ordered `GuaranteeClause` values, each a list of rule
engine conditions over the facts of a return, an optional window in calendar
or working days since the purchase, and the `ReturnRemedy` it gives; and the
extra days each customer tier gets.

`evaluate_return` computes the facts (`ReturnFacts`: days since the purchase
counted between the store's local dates, working days on the store's
`BusinessCalendar`, the item's condition, the receipt, the category...),
turns the clauses into a `RuleSet` in mode ``"first"`` and consults it: the
first clause that applies decides. The `GuaranteeVerdict` names the remedy,
the deciding clause and the facts, and `GuaranteeVerdict.explain` lists every
clause consulted and why it did or did not apply.

Examples:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> london = ZoneInfo("Europe/London")
    >>> guarantee = ReturnGuarantee.default()
    >>> sale = Sale(
    ...     purchased_at=datetime(2026, 3, 2, 15, 0, tzinfo=london), store_id="LDN-01",
    ...     channel="store", receipt=True, category="clothing", price_cents=4999,
    ... )
    >>> returned = ReturnedItem(
    ...     returned_at=datetime(2026, 3, 9, 17, 30, tzinfo=london), condition="unused",
    ... )
    >>> verdict = evaluate_return(guarantee, sale, returned, timezone="Europe/London")
    >>> verdict.remedy, verdict.decided_by, verdict.facts.days_since_purchase
    (<ReturnRemedy.REFUND: 'refund'>, 'refund', 7)
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import MAX_COUNT, check_count
from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, schema
from retail_service_quality._internal.times import zone_named
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.calendar import HORIZON, BusinessCalendar
from retail_service_quality.errors import Problems, join_path
from retail_service_quality.rules import (
    MAX_NESTING,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Elapsed,
    Exists,
    Not,
    Rule,
    RuleSet,
    Within,
    all_of,
    eq,
    flag,
    ge,
    is_in,
    le,
    rule_set_schema,
)
from retail_service_quality.rules._decision import check_sentence
from retail_service_quality.rules._engine import unique_ids_hook
from retail_service_quality.serialization._converter import default_converter
from retail_service_quality.serialization._schema import _CUSTOM

__all__ = [
    "FACTS",
    "INSTANT_FACTS",
    "MAX_DAYS",
    "ClauseOutcome",
    "DayCount",
    "GuaranteeClause",
    "GuaranteeVerdict",
    "ItemCondition",
    "ReturnFacts",
    "ReturnGuarantee",
    "ReturnRemedy",
    "ReturnedItem",
    "Sale",
    "evaluate_return",
]

MAX_DAYS: Final = HORIZON.days
"""The longest window or tier extension, and the longest time from a purchase to its
return, in days: 36,525 (100 years), the reach of a business calendar."""

INSTANT_FACTS: Final = ("purchased_at", "returned_at")
"""The facts holding instants, which ``within`` and ``elapsed`` conditions may name."""

FACTS: Final = (
    "days_since_purchase",
    "working_days_since_purchase",
    "condition",
    "receipt",
    "category",
    "sale_item",
    "tier",
    "extra_days",
    "channel",
    "store_id",
    "price_cents",
    *INSTANT_FACTS,
)
"""The facts of a return that a clause's conditions may name (see `ReturnFacts`)."""

_FACT_LIST: Final = ", ".join(FACTS)
_INSTANT_LIST: Final = ", ".join(INSTANT_FACTS)
_DAYS_TEXT: Final = f"must be an integer from 0 to {MAX_DAYS}"


class ItemCondition(StrEnum):
    """The condition of a returned item, as the member of staff finds it.

    Examples:
        >>> ItemCondition("unused") is ItemCondition.UNUSED
        True
    """

    UNUSED = "unused"
    """Unused or unworn, with its tags and packaging: as sold."""
    OPENED = "opened"
    """The packaging is opened; the item itself is unused."""
    USED = "used"
    """Used or worn."""
    DAMAGED = "damaged"
    """Damaged after the sale (by the customer, or in transit back)."""
    FAULTY = "faulty"
    """Faulty: not as described, not fit for purpose or not of satisfactory quality."""


class ReturnRemedy(StrEnum):
    """What a guarantee gives for a return (``none``: nothing under the guarantee).

    ``credit_note`` is the complaints' `Remedy` ``credit``.

    Examples:
        >>> [remedy.value for remedy in ReturnRemedy]
        ['refund', 'exchange', 'credit_note', 'repair', 'none']
    """

    REFUND = "refund"
    EXCHANGE = "exchange"
    CREDIT_NOTE = "credit_note"
    REPAIR = "repair"
    """Repair, or a replacement where a repair cannot be made."""
    NONE = "none"


class DayCount(StrEnum):
    """How a clause's window counts the days since the purchase.

    ``calendar``: local dates in the store's time zone, the day of the
    purchase being day 0 (`ReturnFacts.days_since_purchase`). ``working``:
    the working days of the store's `BusinessCalendar` after the day of the
    purchase, up to and including the day of the return
    (`ReturnFacts.working_days_since_purchase`).

    Examples:
        >>> DayCount("working").value
        'working'
    """

    CALENDAR = "calendar"
    WORKING = "working"


_DAY_FACT: Final = {
    DayCount.CALENDAR: "days_since_purchase",
    DayCount.WORKING: "working_days_since_purchase",
}


def _check_days(value: object, path: str, problems: Problems, *, optional: bool) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(path, _DAYS_TEXT, "type")
    elif not 0 <= value <= MAX_DAYS:
        problems.add(path, _DAYS_TEXT, "range")


def _check_flag(value: object, path: str, problems: Problems) -> None:
    if not isinstance(value, bool):
        problems.add(path, "must be true or false", "type")


def _tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


# ---------------------------------------------------------------- the inputs


@attrs.frozen(kw_only=True)
class Sale:
    """The sale an item is returned from: when, where, how, and what was sold.

    It holds no personal data: no customer, no payment details.

    Attributes:
        purchased_at: the instant of the purchase (timezone-aware).
        store_id: the store (or web shop) that sold it.
        channel: how it was sold, an identifier of the retailer's own (``"store"``, ``"online"``).
        receipt: whether the customer shows the receipt (or other proof of purchase).
        category: the item's category, an identifier (``"clothing"``, ``"electronics"``).
        sale_item: whether the item was sold at a reduced (sale) price.
        price_cents: the price paid, in cents (0 to 2**53 - 1).

    Examples:
        >>> from datetime import datetime, timezone
        >>> sale = Sale(
        ...     purchased_at=datetime(2026, 3, 2, 15, tzinfo=timezone.utc), store_id="LDN-01",
        ...     channel="store", receipt=True, category="clothing", price_cents=4999,
        ... )
        >>> sale.sale_item
        False

    Raises:
        ValidationError: every problem, with its path.
    """

    purchased_at: datetime = attrs.field(default=REQUIRED)
    store_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    channel: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    receipt: bool = attrs.field(default=REQUIRED)
    category: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    sale_item: bool = attrs.field(default=False)
    price_cents: int = attrs.field(default=REQUIRED, metadata=schema(minimum=0, maximum=MAX_COUNT))

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_aware(self.purchased_at, "$.purchased_at", problems)
        check_id(self.store_id, "$.store_id", problems)
        check_id(self.channel, "$.channel", problems)
        _check_flag(self.receipt, "$.receipt", problems)
        check_id(self.category, "$.category", problems)
        _check_flag(self.sale_item, "$.sale_item", problems)
        check_count(self.price_cents, "$.price_cents", problems)
        raise_problems(self, problems)


def _condition(value: ItemCondition | str) -> ItemCondition:
    return lenient_enum(ItemCondition, value)


@attrs.frozen(kw_only=True)
class ReturnedItem:
    """An item brought back: when, in what condition, and the customer's tier.

    It holds no personal data: the tier is a class of customer, not a customer.

    Attributes:
        returned_at: the instant of the return (timezone-aware).
        condition: the `ItemCondition` the item is found in.
        tier: the customer's loyalty tier (``"vip"``), or ``None``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> item = ReturnedItem(
        ...     returned_at=datetime(2026, 3, 9, 17, tzinfo=timezone.utc), condition="opened",
        ... )
        >>> item.condition
        <ItemCondition.OPENED: 'opened'>

    Raises:
        ValidationError: every problem, with its path.
    """

    returned_at: datetime = attrs.field(default=REQUIRED)
    condition: ItemCondition = attrs.field(default=REQUIRED, converter=_condition)
    tier: str | None = attrs.field(default=None, metadata=IDENTIFIER)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_aware(self.returned_at, "$.returned_at", problems)
        check_enum(self.condition, ItemCondition, "$.condition", problems)
        check_id(self.tier, "$.tier", problems, optional=True)
        raise_problems(self, problems)


# ---------------------------------------------------------------- clauses


def _remedy(value: ReturnRemedy | str) -> ReturnRemedy:
    return lenient_enum(ReturnRemedy, value)


def _counting(value: DayCount | str) -> DayCount:
    return lenient_enum(DayCount, value)


def _children(condition: object, path: str = "$") -> Iterator[tuple[str, object]]:
    """The conditions nested in ``condition``, each with its path under ``path``."""
    if isinstance(condition, AllOf):
        for index, child in enumerate(condition.all_of):
            yield join_path(join_path(path, "all_of"), index), child
    elif isinstance(condition, AnyOf):
        for index, child in enumerate(condition.any_of):
            yield join_path(join_path(path, "any_of"), index), child
    elif isinstance(condition, Not):
        yield join_path(path, "condition"), condition.condition


# What each fact holds, so that a comparison with a value of another kind (a typo in a UI:
# ``days_since_purchase <= "seven"``) is refused instead of never holding.
_FACT_VALUES: Final = {
    "days_since_purchase": ("number", "a number"),
    "working_days_since_purchase": ("number", "a number"),
    "extra_days": ("number", "a number"),
    "price_cents": ("number", "a number"),
    "receipt": ("bool", "true or false"),
    "sale_item": ("bool", "true or false"),
    "condition": ("text", "text"),
    "category": ("text", "text"),
    "tier": ("text", "text"),
    "channel": ("text", "text"),
    "store_id": ("text", "text"),
}


def _of_kind(value: object, kind: str) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _check_names(condition: object, path: str, problems: Problems) -> None:
    """Every fact a condition names is a fact of a return; time conditions name instants."""
    names: list[tuple[str, object, tuple[str, ...]]] = []
    if isinstance(condition, Compare | Exists):
        names.append(("field", condition.field, FACTS))
    elif isinstance(condition, Within):
        names.append(("field", condition.field, INSTANT_FACTS))
        names.append(("reference", condition.reference, INSTANT_FACTS))
    elif isinstance(condition, Elapsed):
        names.append(("start", condition.start, INSTANT_FACTS))
        names.append(("end", condition.end, INSTANT_FACTS))
    for key, name, allowed in names:
        if name is not None and name not in allowed:
            listed = _FACT_LIST if allowed is FACTS else _INSTANT_LIST
            problems.add(join_path(path, key), f"must name a fact: {listed}", "unknown_choice")
    if isinstance(condition, Compare) and condition.field in _FACT_VALUES:
        kind, described = _FACT_VALUES[condition.field]
        values = condition.value if isinstance(condition.value, tuple) else (condition.value,)
        for index, value in enumerate(values):
            if value is not None and not _of_kind(value, kind):
                where = join_path(join_path(path, "value"), index)
                problems.add(
                    where if isinstance(condition.value, tuple) else join_path(path, "value"),
                    f"must be {described}, as the fact {condition.field} is",
                    "type",
                )
    if isinstance(condition, Compare) and condition.field == "condition":
        values = condition.value if isinstance(condition.value, tuple) else (condition.value,)
        choices = {member.value for member in ItemCondition}
        for index, value in enumerate(values):
            if value not in choices:
                where = join_path(join_path(path, "value"), index)
                problems.add(
                    where if isinstance(condition.value, tuple) else join_path(path, "value"),
                    "must name an item condition: " + ", ".join(sorted(choices)),
                    "unknown_choice",
                )
    for where, child in _children(condition, path):
        _check_names(child, where, problems)


def _depth(condition: object) -> int:
    return 1 + max((_depth(child) for _, child in _children(condition)), default=0)


_CONDITION_TYPES: Final = (Compare, Exists, Within, Elapsed, AllOf, AnyOf, Not)


@attrs.frozen(kw_only=True)
class GuaranteeClause:
    """One clause of a guarantee: when it applies, and the remedy it gives.

    A clause applies to a return when every condition in ``when`` holds and,
    if it has a window, the days since the purchase (counted as
    ``counting`` says) are at most ``within_days`` plus the customer tier's
    extra days (`ReturnGuarantee.tier_extensions`, when ``extendable``). A
    clause with neither conditions nor a window applies to every return.

    Conditions name the facts of `FACTS` (`ReturnFacts`); ``within`` and
    ``elapsed`` conditions name `INSTANT_FACTS`, and their evaluation instant
    is the return's.

    Attributes:
        id: the clause's identifier, unique in its guarantee.
        description: the clause as published, in plain words.
        remedy: the `ReturnRemedy` given when the clause applies (``none`` for an exclusion).
        when: conditions over the facts of the return, every one of which must
            hold (none: no condition).
        within_days: the window, in days since the purchase (0 to `MAX_DAYS`),
            or ``None`` for no time limit. The day of the purchase is day 0.
        counting: how the window counts days: ``calendar`` or ``working`` (`DayCount`).
        extendable: whether the customer tier's extra days lengthen the window.

    Examples:
        >>> from retail_service_quality.rules import eq
        >>> clause = GuaranteeClause(
        ...     id="refund", description="Full refund within 7 days with a receipt.",
        ...     remedy="refund", when=[eq("receipt", True)], within_days=7,
        ... )
        >>> print(clause.condition(extra_days=7))
        all of (receipt = true; days_since_purchase <= 14)

    Raises:
        ValidationError: every problem, with its path (``$.when[0].field`` for a
            fact that does not exist).
    """

    id: str = attrs.field(default=REQUIRED)
    description: str = attrs.field(default=REQUIRED)
    remedy: ReturnRemedy = attrs.field(default=REQUIRED, converter=_remedy)
    when: tuple[Condition, ...] = attrs.field(default=(), converter=_tuple)
    within_days: int | None = attrs.field(default=None)
    counting: DayCount = attrs.field(default=DayCount.CALENDAR, converter=_counting)
    extendable: bool = attrs.field(default=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_sentence(self.description, "$.description", problems)
        check_enum(self.remedy, ReturnRemedy, "$.remedy", problems)
        if not isinstance(self.when, tuple):
            problems.add("$.when", "must be a list of conditions", "type")
        else:
            for index, condition in enumerate(self.when):
                path = join_path("$.when", index)
                if not isinstance(condition, _CONDITION_TYPES):
                    problems.add(path, "must be a condition", "type")
                    continue
                _check_names(condition, path, problems)
                if _depth(condition) >= MAX_NESTING:
                    problems.add(
                        path, f"must not nest conditions more than {MAX_NESTING - 1} deep", "range"
                    )
        _check_days(self.within_days, "$.within_days", problems, optional=True)
        check_enum(self.counting, DayCount, "$.counting", problems)
        _check_flag(self.extendable, "$.extendable", problems)
        raise_problems(self, problems)

    @property
    def uses_working_days(self) -> bool:
        """Whether the clause counts working days (its window, or a condition naming them).

        Examples:
            >>> GuaranteeClause(
            ...     id="x", description="Exchange within 10 working days.", remedy="exchange",
            ...     within_days=10, counting="working",
            ... ).uses_working_days
            True
        """
        if self.within_days is not None and self.counting is DayCount.WORKING:
            return True
        return any(_names_working_days(condition) for condition in self.when)

    def window(self, extra_days: int = 0) -> int | None:
        """The clause's window for a tier with ``extra_days``, or ``None`` if it has none.

        Examples:
            >>> GuaranteeClause(
            ...     id="x", description="Exchange within 30 days.", remedy="exchange",
            ...     within_days=30,
            ... ).window(7)
            37
        """
        if self.within_days is None:
            return None
        return self.within_days + (extra_days if self.extendable else 0)

    def condition(self, extra_days: int = 0) -> Condition:
        """The rule engine's condition for this clause, for a tier with ``extra_days``.

        Every condition of ``when`` and, with a window, ``days_since_purchase``
        (or ``working_days_since_purchase``) at most the window; a clause with
        neither is ``days_since_purchase >= 0``, which every return meets.

        Examples:
            >>> GuaranteeClause(
            ...     id="x", description="Exchange within 30 days.", remedy="exchange",
            ...     within_days=30,
            ... ).condition()
            Compare(field='days_since_purchase', op='le', value=30, kind='compare')

        Raises:
            ValidationError: ``extra_days`` is not an integer from 0 to `MAX_DAYS`.
        """
        problems = Problems()
        _check_days(extra_days, "$.extra_days", problems, optional=False)
        problems.raise_if_any()
        parts: list[Condition] = list(self.when)
        window = self.window(extra_days)
        if window is not None:
            parts.append(le(_DAY_FACT[self.counting], window))
        if not parts:
            return ge("days_since_purchase", 0)
        return parts[0] if len(parts) == 1 else all_of(*parts)


def _names_working_days(condition: object) -> bool:
    if isinstance(condition, Compare | Exists):
        return condition.field == "working_days_since_purchase"
    return any(_names_working_days(child) for _, child in _children(condition))


def _extensions(value: object) -> object:
    return FrozenMap(value) if isinstance(value, Mapping) else value


@attrs.frozen(kw_only=True)
class ReturnGuarantee:
    """A published return and refund guarantee: ordered clauses, and tier extensions.

    The clauses are consulted in their order; the first that applies
    decides the remedy (`evaluate_return`). When none applies, the guarantee
    gives no remedy (``none``).

    Attributes:
        id: the guarantee's identifier.
        description: the guarantee as published, in a sentence or a paragraph.
        clauses: the clauses, in the order they are consulted (ids unique).
        tier_extensions: extra days per customer tier (``{"vip": 7}``), added to
            the window of every ``extendable`` clause, in that clause's own unit.

    Examples:
        >>> guarantee = ReturnGuarantee.default()
        >>> [clause.id for clause in guarantee.clauses][:3]
        ['faulty_refund', 'faulty_repair', 'excluded_categories']
        >>> dict(guarantee.tier_extensions)
        {'vip': 7}

    Raises:
        ValidationError: every problem, with its path (``$.clauses[2].id`` for a
            duplicate id).
    """

    id: str = attrs.field(default=REQUIRED)
    description: str = attrs.field(default=REQUIRED)
    clauses: tuple[GuaranteeClause, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    tier_extensions: Mapping[str, int] = attrs.field(factory=FrozenMap, converter=_extensions)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_sentence(self.description, "$.description", problems)
        if self.clauses is not REQUIRED:
            problems.extend(_clause_problems(self.clauses))
        if not isinstance(self.tier_extensions, Mapping):
            problems.add("$.tier_extensions", "must map tiers to numbers of days", "type")
        else:
            for tier, days in self.tier_extensions.items():
                if not isinstance(tier, str):
                    problems.add("$.tier_extensions", "must have tiers (text) as keys", "type")
                    continue
                path = join_path("$.tier_extensions", tier)
                check_id(tier, path, problems)
                _check_days(days, path, problems, optional=False)
        raise_problems(self, problems)

    @classmethod
    def default(cls, id: str = "returns.standard") -> ReturnGuarantee:
        """A realistic starting guarantee for a fashion and home retailer; adapt it to your own.

        Consulted in this order:

        1. ``faulty_refund``: faulty goods, within 30 days: a full refund.
        2. ``faulty_repair``: faulty goods, at any time after: a repair or a
           replacement. Consumer law gives faulty goods a remedy whatever the
           guarantee says (in the UK, the Consumer Rights Act 2015 s.22 and
           s.23; in Hong Kong, the Sale of Goods Ordinance (Cap. 26) s.16):
           these first two clauses say so, before any exclusion.
        3. ``excluded_categories``: electronics, underwear, cosmetics and
           gift cards are not taken back otherwise.
        4. ``sale_items``: sale items, unused, with a receipt, within 14
           days: an exchange only.
        5. ``sale_items_final``: any other sale item: no remedy.
        6. ``refund``: unused, with a receipt, within 7 days: a full refund.
        7. ``exchange``: unused or opened, with a receipt, within 30 days: an
           exchange.
        8. ``credit_note``: unused, without a receipt, within 30 days: a
           credit note.

        VIP customers get 7 more days on every window but the faulty goods'
        (already a legal minimum). Anything else: no remedy.

        Examples:
            >>> guarantee = ReturnGuarantee.default()
            >>> [clause.remedy.value for clause in guarantee.clauses]
            ['refund', 'repair', 'none', 'exchange', 'none', 'refund', 'exchange', 'credit_note']
        """
        unused = eq("condition", ItemCondition.UNUSED.value)
        receipt = eq("receipt", True)
        faulty = eq("condition", ItemCondition.FAULTY.value)
        clauses = [
            GuaranteeClause(
                id="faulty_refund",
                description="Faulty goods returned within 30 days: a full refund.",
                remedy=ReturnRemedy.REFUND,
                when=[faulty],
                within_days=30,
                extendable=False,
            ),
            GuaranteeClause(
                id="faulty_repair",
                description="Faulty goods returned later: a repair or a replacement. "
                "Your statutory rights are not affected.",
                remedy=ReturnRemedy.REPAIR,
                when=[faulty],
            ),
            GuaranteeClause(
                id="excluded_categories",
                description="Electronics, underwear, cosmetics and gift cards cannot be "
                "returned unless faulty.",
                remedy=ReturnRemedy.NONE,
                when=[is_in("category", ["electronics", "underwear", "cosmetics", "gift_card"])],
            ),
            GuaranteeClause(
                id="sale_items",
                description="Sale items: exchange only, unused, with a receipt, within 14 days.",
                remedy=ReturnRemedy.EXCHANGE,
                when=[eq("sale_item", True), unused, receipt],
                within_days=14,
            ),
            GuaranteeClause(
                id="sale_items_final",
                description="Sale items are not refunded.",
                remedy=ReturnRemedy.NONE,
                when=[eq("sale_item", True)],
            ),
            GuaranteeClause(
                id="refund",
                description="Full refund within 7 days, unused or unworn, with a receipt.",
                remedy=ReturnRemedy.REFUND,
                when=[unused, receipt],
                within_days=7,
            ),
            GuaranteeClause(
                id="exchange",
                description="Exchange within 30 days, unused or opened, with a receipt.",
                remedy=ReturnRemedy.EXCHANGE,
                when=[is_in("condition", ["unused", "opened"]), receipt],
                within_days=30,
            ),
            GuaranteeClause(
                id="credit_note",
                description="Credit note within 30 days, unused, without a receipt.",
                remedy=ReturnRemedy.CREDIT_NOTE,
                when=[unused, eq("receipt", False)],
                within_days=30,
            ),
        ]
        return cls(
            id=id,
            description="Changed your mind? Bring it back unused within 7 days with your "
            "receipt for a full refund, or within 30 days for an exchange. VIP members get 7 "
            "more days. Faulty goods are always put right.",
            clauses=clauses,
            tier_extensions={"vip": 7},
        )

    @property
    def uses_working_days(self) -> bool:
        """Whether any clause counts working days (so evaluating needs a calendar).

        Examples:
            >>> ReturnGuarantee.default().uses_working_days
            False
        """
        return any(clause.uses_working_days for clause in self.clauses)

    def extra_days(self, tier: str | None) -> int:
        """The extra days a customer ``tier`` gets (0 for no tier, or a tier not listed).

        Examples:
            >>> guarantee = ReturnGuarantee.default()
            >>> [guarantee.extra_days(tier) for tier in ("vip", "member", None)]
            [7, 0, 0]
        """
        if not isinstance(tier, str):
            return 0
        return self.tier_extensions.get(tier, 0)

    def rule_set(self, extra_days: int = 0) -> RuleSet:
        """The guarantee as a `RuleSet` in mode ``"first"``, for a tier with ``extra_days``.

        One rule per clause, in the clauses' order, its id the clause's, its
        condition `GuaranteeClause.condition`, and one action: the flag
        ``remedy:<remedy>``.

        Examples:
            >>> rules = ReturnGuarantee.default().rule_set()
            >>> rules.mode, rules.ordered[0].id, rules.ordered[0].actions
            ('first', 'faulty_refund', (Flag(label='remedy:refund', kind='flag'),))

        Raises:
            ValidationError: ``extra_days`` is not an integer from 0 to `MAX_DAYS`.
        """
        rules = [
            Rule(
                id=clause.id,
                description=clause.description,
                when=clause.condition(extra_days),
                actions=[flag(f"remedy:{clause.remedy.value}")],
                order=index,
            )
            for index, clause in enumerate(self.clauses)
        ]
        return RuleSet(id=self.id, rules=rules, mode="first")


def _clause_problems(clauses: object) -> Problems:
    problems = Problems()
    if not isinstance(clauses, tuple):
        problems.add("$.clauses", "must be a list of clauses", "type")
        return problems
    if not clauses:
        problems.add("$.clauses", "must hold at least one clause", "required")
    seen: set[str] = set()
    for index, clause in enumerate(clauses):
        path = join_path("$.clauses", index)
        if not isinstance(clause, GuaranteeClause):
            problems.add(path, "must be a guarantee clause", "type")
            continue
        if clause.id in seen:
            problems.add(join_path(path, "id"), "names a clause id given already", "duplicate")
        seen.add(clause.id)
    return problems


# ---------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class ReturnFacts(Tabular):
    """The facts of a return that a guarantee's clauses are evaluated on.

    Days are counted from instants, in the store's time zone: both instants
    are converted to it, and ``days_since_purchase`` is the number of local
    dates from the purchase's to the return's (the day of the purchase is day
    0, and a 7-day window ends at the store's midnight at the end of the 7th
    day after it). ``working_days_since_purchase`` counts the working days
    of the store's calendar after the day of the purchase, up to and
    including the day of the return.

    Attributes:
        purchased_at: the instant of the purchase, in the store's time zone.
        returned_at: the instant of the return, in the store's time zone.
        timezone: the store's time zone, in which days are counted.
        days_since_purchase: local dates from the purchase's to the return's.
        working_days_since_purchase: working days after the day of the purchase,
            up to and including the day of the return; ``None`` without a calendar.
        condition: the returned item's `ItemCondition`.
        receipt: whether the customer shows the receipt.
        category: the item's category.
        sale_item: whether the item was sold at a sale price.
        tier: the customer's tier, or ``None``.
        extra_days: the days the tier adds to extendable windows.
        channel: how the item was sold.
        store_id: the store that sold it.
        price_cents: the price paid, in cents.

    Examples:
        >>> from datetime import datetime, timezone
        >>> facts = ReturnFacts(
        ...     purchased_at=datetime(2026, 3, 2, 15, tzinfo=timezone.utc),
        ...     returned_at=datetime(2026, 3, 4, 9, tzinfo=timezone.utc), timezone="UTC",
        ...     days_since_purchase=2, condition="unused", receipt=True, category="clothing",
        ...     sale_item=False, channel="store", store_id="LDN-01", price_cents=4999,
        ... )
        >>> facts.as_facts()["days_since_purchase"], facts.as_facts()["condition"]
        (2, 'unused')
    """

    purchased_at: datetime = attrs.field(default=REQUIRED)
    returned_at: datetime = attrs.field(default=REQUIRED)
    timezone: str = attrs.field(default=REQUIRED)
    days_since_purchase: int = attrs.field(default=REQUIRED)
    condition: ItemCondition = attrs.field(default=REQUIRED, converter=_condition)
    receipt: bool = attrs.field(default=REQUIRED)
    category: str = attrs.field(default=REQUIRED)
    sale_item: bool = attrs.field(default=REQUIRED)
    channel: str = attrs.field(default=REQUIRED)
    store_id: str = attrs.field(default=REQUIRED)
    price_cents: int = attrs.field(default=REQUIRED)
    working_days_since_purchase: int | None = None
    tier: str | None = None
    extra_days: int = 0

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_aware(self.purchased_at, "$.purchased_at", problems)
        check_aware(self.returned_at, "$.returned_at", problems)
        if zone_named(self.timezone) is None:
            problems.add("$.timezone", "must be an IANA time zone name", "unknown_choice")
        _check_days(self.days_since_purchase, "$.days_since_purchase", problems, optional=False)
        check_enum(self.condition, ItemCondition, "$.condition", problems)
        _check_flag(self.receipt, "$.receipt", problems)
        check_id(self.category, "$.category", problems)
        _check_flag(self.sale_item, "$.sale_item", problems)
        check_id(self.channel, "$.channel", problems)
        check_id(self.store_id, "$.store_id", problems)
        check_count(self.price_cents, "$.price_cents", problems)
        _check_days(
            self.working_days_since_purchase, "$.working_days_since_purchase", problems,
            optional=True,
        )  # fmt: skip
        check_id(self.tier, "$.tier", problems, optional=True)
        _check_days(self.extra_days, "$.extra_days", problems, optional=False)
        raise_problems(self, problems)

    def as_facts(self) -> dict[str, Any]:
        """The facts as the rule engine reads them: a mapping of `FACTS` to JSON-like values.

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, 15, tzinfo=timezone.utc)
            >>> sorted(ReturnFacts(
            ...     purchased_at=at, returned_at=at, timezone="UTC", days_since_purchase=0,
            ...     condition="faulty", receipt=False, category="toys", sale_item=True,
            ...     channel="online", store_id="WEB", price_cents=0,
            ... ).as_facts()) == sorted(FACTS)
            True
        """
        return {
            "days_since_purchase": self.days_since_purchase,
            "working_days_since_purchase": self.working_days_since_purchase,
            "condition": str(self.condition),
            "receipt": self.receipt,
            "category": self.category,
            "sale_item": self.sale_item,
            "tier": self.tier,
            "extra_days": self.extra_days,
            "channel": self.channel,
            "store_id": self.store_id,
            "price_cents": self.price_cents,
            "purchased_at": self.purchased_at,
            "returned_at": self.returned_at,
        }

    def summary(self) -> str:
        """The facts in one line, as `GuaranteeVerdict.explain` shows them.

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, 15, tzinfo=timezone.utc)
            >>> print(ReturnFacts(
            ...     purchased_at=at, returned_at=at, timezone="UTC", days_since_purchase=0,
            ...     condition="faulty", receipt=False, category="toys", sale_item=True,
            ...     channel="online", store_id="WEB", price_cents=0,
            ... ).summary())
            day 0 since the purchase (UTC); condition faulty; no receipt; category 'toys'; a sale item; no tier
        """  # noqa: E501
        days = f"day {self.days_since_purchase} since the purchase ({self.timezone})"
        if self.working_days_since_purchase is not None:
            count = self.working_days_since_purchase
            days += f", {count} working day{'s' if count != 1 else ''}"
        plural = "s" if self.extra_days != 1 else ""
        tier = (
            "no tier"
            if self.tier is None
            else f"tier {self.tier!r}: {self.extra_days} extra day{plural}"
        )
        return "; ".join(
            [
                days,
                f"condition {self.condition.value}",
                "receipt shown" if self.receipt else "no receipt",
                f"category {self.category!r}",
                "a sale item" if self.sale_item else "not a sale item",
                tier,
            ]
        )


@attrs.frozen(kw_only=True)
class ClauseOutcome(Tabular):
    """What one clause said about a return: whether it applied, and why.

    Attributes:
        clause_id: the clause's id.
        applied: whether the clause applied (and so decided the remedy).
        remedy: the clause's `ReturnRemedy`.
        window_days: the clause's window for the customer's tier, or ``None``.
        counting: how the window counts days (`DayCount`).
        explanation: why it did or did not apply: the rule engine's
            explanation, naming facts, operators and constants only.

    Examples:
        >>> outcome = ClauseOutcome(
        ...     clause_id="refund", applied=False, remedy="refund", window_days=7,
        ...     counting="calendar", explanation="days_since_purchase <= 7: does not hold",
        ... )
        >>> outcome.line()
        'refund did not apply (refund, within 7 days): days_since_purchase <= 7: does not hold'
    """

    clause_id: str = attrs.field(default=REQUIRED)
    applied: bool = attrs.field(default=REQUIRED)
    remedy: ReturnRemedy = attrs.field(default=REQUIRED, converter=_remedy)
    window_days: int | None = None
    counting: DayCount = attrs.field(default=REQUIRED, converter=_counting)
    explanation: str = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.clause_id, "$.clause_id", problems)
        _check_flag(self.applied, "$.applied", problems)
        check_enum(self.remedy, ReturnRemedy, "$.remedy", problems)
        if self.window_days is not None and (
            isinstance(self.window_days, bool)
            or not isinstance(self.window_days, int)
            or not 0 <= self.window_days <= 2 * MAX_DAYS
        ):
            problems.add("$.window_days", f"must be an integer from 0 to {2 * MAX_DAYS}", "type")
        check_enum(self.counting, DayCount, "$.counting", problems)
        check_sentence(self.explanation, "$.explanation", problems)
        raise_problems(self, problems)

    def line(self) -> str:
        """The outcome as one line of `GuaranteeVerdict.explain`.

        Examples:
            >>> ClauseOutcome(
            ...     clause_id="faulty", applied=True, remedy="repair", window_days=None,
            ...     counting="calendar", explanation="condition = 'faulty': holds",
            ... ).line()
            "faulty applied (repair, no time limit): condition = 'faulty': holds"
        """
        if self.window_days is None:
            window = "no time limit"
        else:
            unit = "working day" if self.counting is DayCount.WORKING else "day"
            window = f"within {self.window_days} {unit}{'s' if self.window_days != 1 else ''}"
        verb = "applied" if self.applied else "did not apply"
        return f"{self.clause_id} {verb} ({self.remedy.value}, {window}): {self.explanation}"


@attrs.frozen(kw_only=True)
class GuaranteeVerdict(Tabular):
    """What a guarantee gives for a return: the remedy, the deciding clause, and why.

    Its one record has the remedy, the deciding clause and the facts
    (``facts_*`` columns); `explain` lists every clause consulted.

    Attributes:
        guarantee_id: the guarantee's id.
        at: the instant of the return, at which the clauses were evaluated.
        remedy: the `ReturnRemedy` given (``none`` when no clause applied).
        decided_by: the id of the clause that decided, or ``None`` if none applied.
        reason: the deciding clause's published description, or ``None``.
        facts: the `ReturnFacts` the clauses were evaluated on.
        outcomes: one `ClauseOutcome` per clause consulted, in order: those
            before the deciding one, and the deciding one.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> sale = Sale(
        ...     purchased_at=datetime(2026, 3, 2, 15, tzinfo=hk), store_id="HK-01",
        ...     channel="store", receipt=True, category="electronics", price_cents=99900,
        ... )
        >>> returned = ReturnedItem(returned_at=datetime(2026, 3, 3, 11, tzinfo=hk),
        ...                         condition="unused")
        >>> verdict = evaluate_return(ReturnGuarantee.default(), sale, returned,
        ...                           timezone="Asia/Hong_Kong")
        >>> verdict.remedy.value, verdict.decided_by
        ('none', 'excluded_categories')
    """

    guarantee_id: str = attrs.field(default=REQUIRED)
    at: datetime = attrs.field(default=REQUIRED)
    remedy: ReturnRemedy = attrs.field(default=REQUIRED, converter=_remedy)
    decided_by: str | None = None
    reason: str | None = None
    facts: ReturnFacts = attrs.field(default=REQUIRED)
    outcomes: tuple[ClauseOutcome, ...] = attrs.field(
        default=(), converter=_tuple, metadata={"records": False}
    )

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.guarantee_id, "$.guarantee_id", problems)
        check_aware(self.at, "$.at", problems)
        check_enum(self.remedy, ReturnRemedy, "$.remedy", problems)
        check_id(self.decided_by, "$.decided_by", problems, optional=True)
        if self.reason is not None:
            check_sentence(self.reason, "$.reason", problems)
        if not isinstance(self.facts, ReturnFacts):
            problems.add("$.facts", "must be the facts of a return", "type")
        if not isinstance(self.outcomes, tuple) or not all(
            isinstance(outcome, ClauseOutcome) for outcome in self.outcomes
        ):
            problems.add("$.outcomes", "must be a list of clause outcomes", "type")
        raise_problems(self, problems)

    def explain(self) -> str:
        """The verdict in plain lines: the remedy and why, the facts, then each clause consulted.

        It shows the facts of the return (days, condition, receipt, category,
        tier), never anything about the customer.

        Examples:
            >>> from datetime import datetime
            >>> from zoneinfo import ZoneInfo
            >>> london = ZoneInfo("Europe/London")
            >>> sale = Sale(
            ...     purchased_at=datetime(2026, 3, 2, 15, tzinfo=london), store_id="LDN-01",
            ...     channel="store", receipt=True, category="electronics", price_cents=99900,
            ... )
            >>> returned = ReturnedItem(returned_at=datetime(2026, 3, 3, 11, tzinfo=london),
            ...                         condition="unused")
            >>> print(evaluate_return(ReturnGuarantee.default(), sale, returned,
            ...                       timezone="Europe/London").explain())
            Remedy: none, under clause excluded_categories: Electronics, underwear, cosmetics and gift cards cannot be returned unless faulty.
            Facts: day 1 since the purchase (Europe/London); condition unused; receipt shown; category 'electronics'; not a sale item; no tier
            faulty_refund did not apply (refund, within 30 days): all of: does not hold (condition = 'faulty': does not hold; days_since_purchase <= 30: holds)
            faulty_repair did not apply (repair, no time limit): condition = 'faulty': does not hold
            excluded_categories applied (none, no time limit): category in ['electronics', 'underwear', 'cosmetics', 'gift_card']: holds
        """  # noqa: E501
        if self.decided_by is None:
            head = f"Remedy: {self.remedy.value}: no clause applied."
        else:
            head = f"Remedy: {self.remedy.value}, under clause {self.decided_by}: {self.reason}"
        lines = [head, f"Facts: {self.facts.summary()}"]
        lines.extend(outcome.line() for outcome in self.outcomes)
        return "\n".join(lines)


# ---------------------------------------------------------------- evaluation


def _zone_name(timezone: object, calendar: object, problems: Problems) -> str | None:
    """The store's time zone: the calendar's, or ``timezone`` (both: they must agree)."""
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        problems.add("$.calendar", "must be a BusinessCalendar", "type")
        calendar = None
    if timezone is not None and zone_named(timezone) is None:
        problems.add("$.timezone", "must be an IANA time zone name", "unknown_choice")
        return None
    if isinstance(calendar, BusinessCalendar):
        if timezone is not None and timezone != calendar.timezone:
            problems.add("$.timezone", "must be the calendar's time zone", "inconsistent")
        return calendar.timezone
    if timezone is None:
        problems.add("$.timezone", "required: the store's time zone, or its calendar", "required")
        return None
    return str(timezone)


def _working_days(
    calendar: BusinessCalendar, first: date, last: date, problems: Problems
) -> int | None:
    """The working days of ``calendar`` after ``first``, up to and including ``last``."""
    low, high = date(2, 1, 1), date(9998, 12, 31)
    if not low <= first <= high or not low <= last <= high:
        problems.add(
            "$.calendar",
            "counts working days between the years 2 and 9998 only",
            "range",
        )
        return None
    is_working_day = calendar.is_working_day
    return sum(
        1
        for ordinal in range(first.toordinal() + 1, last.toordinal() + 1)
        if is_working_day(date.fromordinal(ordinal))
    )


def evaluate_return(
    guarantee: ReturnGuarantee,
    sale: Sale,
    returned: ReturnedItem,
    *,
    timezone: str | None = None,
    calendar: BusinessCalendar | None = None,
) -> GuaranteeVerdict:
    """What ``guarantee`` gives for an item of ``sale`` returned as ``returned``.

    The store's time zone, in which days are counted, is ``timezone`` or
    ``calendar``'s (give either, or both if they agree). Working days are
    counted on ``calendar``, the store's `BusinessCalendar`: a guarantee
    that counts them needs it. The facts (`ReturnFacts`) are computed from
    the instants, never from wall clocks; the clauses are consulted in order
    as a `RuleSet` in mode ``"first"`` (`ReturnGuarantee.rule_set`) at the
    instant of the return, and the first that applies decides.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> london = ZoneInfo("Europe/London")
        >>> sale = Sale(
        ...     purchased_at=datetime(2026, 3, 2, 15, tzinfo=london), store_id="LDN-01",
        ...     channel="store", receipt=True, category="clothing", price_cents=4999,
        ... )
        >>> late = ReturnedItem(returned_at=datetime(2026, 3, 10, 0, 0, tzinfo=london),
        ...                     condition="unused")
        >>> verdict = evaluate_return(ReturnGuarantee.default(), sale, late,
        ...                           timezone="Europe/London")
        >>> verdict.remedy.value, verdict.decided_by, verdict.facts.days_since_purchase
        ('exchange', 'exchange', 8)

    Raises:
        ValidationError: every problem, with its path: arguments of the wrong
            type, no time zone, a zone that is not the calendar's, a guarantee
            counting working days without a calendar (``$.calendar``), or a
            return before the purchase or more than `MAX_DAYS` after it
            (``$.returned.returned_at``).
    """
    problems = Problems()
    if not isinstance(guarantee, ReturnGuarantee):
        problems.add("$.guarantee", "must be a ReturnGuarantee", "type")
    if not isinstance(sale, Sale):
        problems.add("$.sale", "must be a Sale", "type")
    if not isinstance(returned, ReturnedItem):
        problems.add("$.returned", "must be a ReturnedItem", "type")
    name = _zone_name(timezone, calendar, problems)
    if (
        isinstance(guarantee, ReturnGuarantee)
        and guarantee.uses_working_days
        and not isinstance(calendar, BusinessCalendar)
        and not any(problem.path == "$.calendar" for problem in problems)
    ):
        problems.add(
            "$.calendar", "required: the guarantee counts working days on the store's calendar",
            "required",
        )  # fmt: skip
    if isinstance(sale, Sale) and isinstance(returned, ReturnedItem):
        # Instants, not wall clocks: two datetimes of one zone subtract as wall times.
        spent = returned.returned_at.astimezone(UTC) - sale.purchased_at.astimezone(UTC)
        if spent < timedelta(0):
            problems.add(
                "$.returned.returned_at", "must not be before the purchase", "inconsistent"
            )
        elif spent > HORIZON:
            problems.add(
                "$.returned.returned_at",
                f"must be at most {MAX_DAYS} days (100 years) after the purchase",
                "range",
            )
    problems.raise_if_any()
    assert name is not None
    zone = zone_named(name)
    purchased = sale.purchased_at.astimezone(zone)
    returned_at = returned.returned_at.astimezone(zone)
    working = None
    if isinstance(calendar, BusinessCalendar):
        working = _working_days(calendar, purchased.date(), returned_at.date(), problems)
        problems.raise_if_any()
    extra = guarantee.extra_days(returned.tier)
    facts = ReturnFacts(
        purchased_at=purchased,
        returned_at=returned_at,
        timezone=name,
        days_since_purchase=(returned_at.date() - purchased.date()).days,
        working_days_since_purchase=working,
        condition=returned.condition,
        receipt=sale.receipt,
        category=sale.category,
        sale_item=sale.sale_item,
        tier=returned.tier,
        extra_days=extra,
        channel=sale.channel,
        store_id=sale.store_id,
        price_cents=sale.price_cents,
    )
    verdict = guarantee.rule_set(extra).evaluate(facts.as_facts(), at=returned_at)
    by_id = {clause.id: clause for clause in guarantee.clauses}
    outcomes = []
    for outcome in verdict.outcomes:
        clause = by_id[outcome.rule_id]
        plain = not clause.when and clause.within_days is None
        outcomes.append(
            ClauseOutcome(
                clause_id=clause.id,
                applied=outcome.fired,
                remedy=clause.remedy,
                window_days=clause.window(extra),
                counting=clause.counting,
                explanation="no condition: applies to every return"
                if plain
                else outcome.explanation,
            )
        )
    deciding = by_id[verdict.fired[0]] if verdict.fired else None
    return GuaranteeVerdict(
        guarantee_id=guarantee.id,
        at=returned_at,
        remedy=ReturnRemedy.NONE if deciding is None else deciding.remedy,
        decided_by=None if deciding is None else deciding.id,
        reason=None if deciding is None else deciding.description,
        facts=facts,
        outcomes=outcomes,
    )


# ---------------------------------------------------------------- JSON


# A clause id given twice is reported together with every other problem of the data.
default_converter().register_structure_hook(
    ReturnGuarantee,
    unique_ids_hook(default_converter(), ReturnGuarantee, "clauses", "clause"),
)


def _fact_names(names: tuple[str, ...], nullable: bool = False) -> dict[str, Any]:
    names_schema: dict[str, Any] = {"enum": list(names)}
    if nullable:
        return {"anyOf": [names_schema, {"type": "null"}], "default": None}
    return names_schema


def _guarantee_defs() -> dict[str, Any]:
    """The conditions' definitions, their field names limited to the facts of a return."""
    defs: dict[str, Any] = copy.deepcopy(rule_set_schema()["$defs"])
    for name in ("Escalate", "Notify", "SetPriority", "Flag", "SelectPolicy", "Action"):
        defs.pop(name)
    for name in ("Rule", "RuleSet", "RuleOutcome", "Verdict"):
        defs.pop(name)

    def named(definition: str, key: str, names: tuple[str, ...], nullable: bool = False) -> None:
        prop = defs[definition]["properties"][key]
        description = prop["description"]
        defs[definition]["properties"][key] = {
            "description": description,
            **_fact_names(names, nullable),
        }

    named("Compare", "field", FACTS)
    named("Exists", "field", FACTS)
    named("Within", "field", INSTANT_FACTS)
    named("Within", "reference", INSTANT_FACTS, nullable=True)
    named("Elapsed", "start", INSTANT_FACTS)
    named("Elapsed", "end", INSTANT_FACTS, nullable=True)
    identifier = dict(IDENTIFIER["schema"])
    sentence = copy.deepcopy(rule_set_schema()["$defs"]["Rule"]["properties"]["description"])
    days = {"type": "integer", "minimum": 0, "maximum": MAX_DAYS}
    defs["GuaranteeClause"] = {
        "type": "object",
        "description": "One clause of a guarantee: when it applies, and the remedy it gives.",
        "properties": {
            "id": {
                "description": "the clause's identifier, unique in its guarantee",
                "type": "string",
                **identifier,
            },
            "description": {**sentence, "description": "the clause as published, in plain words"},
            "remedy": {
                "description": "the remedy given when the clause applies (none for an exclusion)",
                "enum": [remedy.value for remedy in ReturnRemedy],
            },
            "when": {
                "description": "conditions over the facts of the return, every one of which "
                "must hold (none: no condition)",
                "type": "array",
                "items": {"$ref": "#/$defs/Condition"},
                "default": [],
            },
            "within_days": {
                "description": "the window, in days since the purchase (day 0 is the day of "
                "the purchase), or null for no time limit",
                "anyOf": [days, {"type": "null"}],
                "default": None,
            },
            "counting": {
                "description": "how the window counts days: calendar or working",
                "enum": [count.value for count in DayCount],
                "default": DayCount.CALENDAR.value,
            },
            "extendable": {
                "description": "whether the customer tier's extra days lengthen the window",
                "type": "boolean",
                "default": True,
            },
        },
        "required": ["id", "description", "remedy"],
        "additionalProperties": False,
    }
    defs["ReturnGuarantee"] = {
        "type": "object",
        "description": "A published return and refund guarantee: ordered clauses (the first "
        "that applies decides; clause ids unique), and tier extensions.",
        "properties": {
            "id": {"description": "the guarantee's identifier", "type": "string", **identifier},
            "description": {
                **sentence,
                "description": "the guarantee as published, in a sentence or a paragraph",
            },
            "clauses": {
                "description": "the clauses, in the order they are consulted",
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/GuaranteeClause"},
            },
            "tier_extensions": {
                "description": "extra days per customer tier, added to the window of every "
                "extendable clause",
                "type": "object",
                "propertyNames": {"type": "string", **identifier},
                "additionalProperties": days,
                "default": {},
            },
        },
        "required": ["id", "description", "clauses"],
        "additionalProperties": False,
    }
    return defs


def _rooted(name: str) -> dict[str, Any]:
    defs = _guarantee_defs()
    return {**defs[name], "$defs": defs}


def _guarantee_schema() -> dict[str, Any]:
    return _rooted("ReturnGuarantee")


def _clause_schema() -> dict[str, Any]:
    return _rooted("GuaranteeClause")


_CUSTOM[ReturnGuarantee] = _guarantee_schema
_CUSTOM[GuaranteeClause] = _clause_schema
