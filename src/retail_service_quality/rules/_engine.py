"""Rules with actions, rule sets evaluated in a defined order, and the verdicts they give.

A `Rule` pairs a condition with the actions to take when it holds; a
`RuleSet` consults its rules by ``order`` then ``id``, in mode ``"all"``
(every matching rule fires) or ``"first"`` (the first match wins and no
further rule is consulted). The `Verdict` lists every rule consulted, whether
it fired and why, and the actions to take, in order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from retail_service_quality._internal.records import _LAYOUTS, Column, Layout, Tabular
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_id,
    raise_problems,
)
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.rules._conditions import (
    _CONDITION_TYPES,
    Condition,
    check_facts,
)
from retail_service_quality.rules._decision import check_sentence
from retail_service_quality.serialization._converter import default_converter

__all__ = [
    "MODES",
    "Action",
    "Escalate",
    "Flag",
    "Notify",
    "Rule",
    "RuleOutcome",
    "RuleSet",
    "SelectPolicy",
    "SetPriority",
    "Verdict",
    "escalate",
    "flag",
    "notify",
    "select_policy",
    "set_priority",
]

MODES: Final = ("all", "first")
"""How a `RuleSet` fires: every matching rule, or only the first."""

_MAX_ORDER = 2**53 - 1


def _check_tag(instance: Any, tag: str, problems: Problems) -> None:
    if instance.kind != tag:
        problems.add("$.kind", f"must be {tag}", "unknown_choice")


# ---------------------------------------------------------------- actions


@attrs.frozen(kw_only=True)
class Escalate:
    """Escalate the case to a role or team (``"store_manager"``).

    Attributes:
        to: who the case goes to, an identifier.
        kind: ``"escalate"``, the tag in JSON.

    Examples:
        >>> escalate("store_manager")
        Escalate(to='store_manager', kind='escalate')

    Raises:
        ValidationError: every problem, with its path.
    """

    to: str = attrs.field(default=REQUIRED)
    kind: str = attrs.field(default="escalate")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_tag(self, "escalate", problems)
        check_id(self.to, "$.to", problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class Notify:
    """Notify whoever holds a role (``"duty_manager"``).

    Attributes:
        role: the role told, an identifier.
        kind: ``"notify"``, the tag in JSON.

    Examples:
        >>> notify("duty_manager").role
        'duty_manager'

    Raises:
        ValidationError: every problem, with its path.
    """

    role: str = attrs.field(default=REQUIRED)
    kind: str = attrs.field(default="notify")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_tag(self, "notify", problems)
        check_id(self.role, "$.role", problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class SetPriority:
    """Set the case's priority to a level (``"urgent"``).

    Attributes:
        level: the priority level, an identifier.
        kind: ``"set_priority"``, the tag in JSON.

    Examples:
        >>> set_priority("urgent").level
        'urgent'

    Raises:
        ValidationError: every problem, with its path.
    """

    level: str = attrs.field(default=REQUIRED)
    kind: str = attrs.field(default="set_priority")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_tag(self, "set_priority", problems)
        check_id(self.level, "$.level", problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class Flag:
    """Put a label on the case (``"repeat_complaint"``).

    Attributes:
        label: the label, an identifier.
        kind: ``"flag"``, the tag in JSON.

    Examples:
        >>> flag("repeat_complaint").label
        'repeat_complaint'

    Raises:
        ValidationError: every problem, with its path.
    """

    label: str = attrs.field(default=REQUIRED)
    kind: str = attrs.field(default="flag")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_tag(self, "flag", problems)
        check_id(self.label, "$.label", problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class SelectPolicy:
    """Choose a policy by its id (the SLA policy a case is held to).

    Attributes:
        policy_id: the policy chosen, an identifier.
        kind: ``"select_policy"``, the tag in JSON.

    Examples:
        >>> select_policy("sla.vip").policy_id
        'sla.vip'

    Raises:
        ValidationError: every problem, with its path.
    """

    policy_id: str = attrs.field(default=REQUIRED)
    kind: str = attrs.field(default="select_policy")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_tag(self, "select_policy", problems)
        check_id(self.policy_id, "$.policy_id", problems)
        raise_problems(self, problems)


Action = Escalate | Notify | SetPriority | Flag | SelectPolicy
"""Any action; in JSON, an object whose ``kind`` names which."""

_ACTION_TYPES: Final = (Escalate, Notify, SetPriority, Flag, SelectPolicy)


def escalate(to: str) -> Escalate:
    """An `Escalate` action.

    Examples:
        >>> escalate("head_office").to
        'head_office'
    """
    return Escalate(to=to)


def notify(role: str) -> Notify:
    """A `Notify` action.

    Examples:
        >>> notify("duty_manager").kind
        'notify'
    """
    return Notify(role=role)


def set_priority(level: str) -> SetPriority:
    """A `SetPriority` action.

    Examples:
        >>> set_priority("high").kind
        'set_priority'
    """
    return SetPriority(level=level)


def flag(label: str) -> Flag:
    """A `Flag` action.

    Examples:
        >>> flag("vip").kind
        'flag'
    """
    return Flag(label=label)


def select_policy(policy_id: str) -> SelectPolicy:
    """A `SelectPolicy` action.

    Examples:
        >>> select_policy("sla.standard").kind
        'select_policy'
    """
    return SelectPolicy(policy_id=policy_id)


# ---------------------------------------------------------------- rules


def _tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class Rule:
    """When a condition holds, these actions are taken.

    Attributes:
        id: the rule's stable identifier, unique in its rule set.
        description: what the rule is for, in plain words.
        when: the condition under which the rule fires.
        actions: what to do when it fires, in order.
        order: where the rule comes in its rule set (lower first; ties by id).

    Examples:
        >>> from retail_service_quality.rules import eq
        >>> rule = Rule(
        ...     id="urgent", description="Urgent cases go to the store manager.",
        ...     when=eq("priority", "urgent"), actions=[escalate("store_manager")],
        ... )
        >>> rule.when.holds({"priority": "urgent"})
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED)
    description: str = attrs.field(default=REQUIRED)
    when: Condition = attrs.field(default=REQUIRED)
    actions: tuple[Action, ...] = attrs.field(default=(), converter=_tuple)
    order: int = attrs.field(default=0)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_sentence(self.description, "$.description", problems)
        if self.when is not REQUIRED and not isinstance(self.when, _CONDITION_TYPES):
            problems.add("$.when", "must be a condition", "type")
        if not isinstance(self.actions, tuple):
            problems.add("$.actions", "must be a list of actions", "type")
        else:
            for index, action in enumerate(self.actions):
                if not isinstance(action, _ACTION_TYPES):
                    problems.add(join_path("$.actions", index), "must be an action", "type")
        if (
            isinstance(self.order, bool)
            or not isinstance(self.order, int)
            or abs(self.order) > _MAX_ORDER
        ):
            problems.add("$.order", f"must be an integer within {_MAX_ORDER} either way", "type")
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class RuleOutcome(Tabular):
    """What one rule said: whether it fired, why, and the actions it asks for.

    Attributes:
        rule_id: the rule's id.
        fired: whether its condition held.
        explanation: the condition's explanation (fields, operators and constants only).
        actions: the rule's actions when it fired, else none.

    Examples:
        >>> outcome = RuleOutcome(
        ...     rule_id="urgent", fired=False, explanation="priority = 'urgent': does not hold",
        ... )
        >>> outcome.to_records()[0]["fired"]
        False

    Raises:
        ValidationError: every problem, with its path.
    """

    rule_id: str = attrs.field(default=REQUIRED)
    fired: bool = attrs.field(default=REQUIRED)
    explanation: str = attrs.field(default=REQUIRED)
    actions: tuple[Action, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.rule_id, "$.rule_id", problems)
        if not isinstance(self.fired, bool):
            problems.add("$.fired", "must be true or false", "type")
        check_sentence(self.explanation, "$.explanation", problems)
        if not isinstance(self.actions, tuple) or not all(
            isinstance(action, _ACTION_TYPES) for action in self.actions
        ):
            problems.add("$.actions", "must be a list of actions", "type")
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class Verdict(Tabular):
    """What a rule set said about some facts: every rule consulted, and the actions to take.

    ``to_records()`` gives one row per rule consulted.

    Attributes:
        rule_set_id: the id of the rule set that answered.
        at: the instant the rules were evaluated at.
        outcomes: one per rule consulted, in the order consulted.
        actions: the actions of the rules that fired, in order.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.rules import eq
        >>> rules = RuleSet(id="escalation", rules=[Rule(
        ...     id="urgent", description="Urgent cases go to the store manager.",
        ...     when=eq("priority", "urgent"), actions=[escalate("store_manager")],
        ... )])
        >>> verdict = rules.evaluate(
        ...     {"priority": "urgent"}, at=datetime(2026, 3, 10, tzinfo=timezone.utc)
        ... )
        >>> verdict.fired, verdict.actions
        (('urgent',), (Escalate(to='store_manager', kind='escalate'),))

    Raises:
        ValidationError: every problem, with its path.
    """

    rule_set_id: str = attrs.field(default=REQUIRED)
    at: datetime = attrs.field(default=REQUIRED)
    outcomes: tuple[RuleOutcome, ...] = attrs.field(default=(), converter=_tuple)
    actions: tuple[Action, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.rule_set_id, "$.rule_set_id", problems)
        check_aware(self.at, "$.at", problems)
        if not isinstance(self.outcomes, tuple) or not all(
            isinstance(outcome, RuleOutcome) for outcome in self.outcomes
        ):
            problems.add("$.outcomes", "must be a list of rule outcomes", "type")
        if not isinstance(self.actions, tuple) or not all(
            isinstance(action, _ACTION_TYPES) for action in self.actions
        ):
            problems.add("$.actions", "must be a list of actions", "type")
        raise_problems(self, problems)

    @property
    def fired(self) -> tuple[str, ...]:
        """The ids of the rules that fired, in order.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Verdict(rule_set_id="s", at=datetime(2026, 1, 1, tzinfo=timezone.utc)).fired
            ()
        """
        return tuple(outcome.rule_id for outcome in self.outcomes if outcome.fired)

    def explain(self) -> str:
        """One line per rule consulted: its id, fired or not, and why.

        Examples:
            >>> from datetime import datetime, timezone
            >>> outcome = RuleOutcome(
            ...     rule_id="vip", fired=True, explanation="tier = 'vip': holds",
            ...     actions=[flag("vip")],
            ... )
            >>> print(Verdict(
            ...     rule_set_id="s", at=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     outcomes=[outcome], actions=outcome.actions,
            ... ).explain())
            vip fired: tier = 'vip': holds
        """
        return "\n".join(
            f"{outcome.rule_id} {'fired' if outcome.fired else 'did not fire'}: "
            f"{outcome.explanation}"
            for outcome in self.outcomes
        )


@attrs.frozen(kw_only=True)
class RuleSet:
    """Rules consulted by ``order`` then ``id``; in mode ``"first"`` the first match wins.

    Attributes:
        id: the rule set's identifier.
        rules: the rules (their ids unique).
        mode: ``"all"`` (every rule whose condition holds fires) or ``"first"``
            (the first one does, and no further rule is consulted).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.rules import eq, gt
        >>> policy = RuleSet(id="sla", mode="first", rules=[
        ...     Rule(id="vip", description="VIP customers get the VIP policy.",
        ...          when=eq("tier", "vip"), actions=[select_policy("sla.vip")], order=1),
        ...     Rule(id="default", description="Everyone else gets the standard policy.",
        ...          when=gt("amount", -1), actions=[select_policy("sla.standard")], order=2),
        ... ])
        >>> verdict = policy.evaluate(
        ...     {"tier": "vip", "amount": 10}, at=datetime(2026, 3, 1, tzinfo=timezone.utc)
        ... )
        >>> verdict.actions
        (SelectPolicy(policy_id='sla.vip', kind='select_policy'),)

    Raises:
        ValidationError: every problem, with its path (``$.rules[2].id`` for a duplicate id).
    """

    id: str = attrs.field(default=REQUIRED)
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_tuple)
    mode: str = attrs.field(default="all")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        if not isinstance(self.mode, str) or self.mode not in MODES:
            problems.add("$.mode", "must be one of " + ", ".join(MODES), "unknown_choice")
        if not isinstance(self.rules, tuple):
            problems.add("$.rules", "must be a list of rules", "type")
        else:
            seen: set[str] = set()
            for index, rule in enumerate(self.rules):
                if not isinstance(rule, Rule):
                    problems.add(join_path("$.rules", index), "must be a rule", "type")
                    continue
                if rule.id in seen:
                    problems.add(
                        join_path(join_path("$.rules", index), "id"),
                        "names a rule id given already",
                        "duplicate",
                    )
                seen.add(rule.id)
        raise_problems(self, problems)

    @property
    def ordered(self) -> tuple[Rule, ...]:
        """The rules in the order they are consulted: by ``order``, then by ``id``.

        Examples:
            >>> from retail_service_quality.rules import exists
            >>> rules = RuleSet(id="s", rules=[
            ...     Rule(id="b", description="B.", when=exists("x")),
            ...     Rule(id="a", description="A.", when=exists("x")),
            ... ])
            >>> [rule.id for rule in rules.ordered]
            ['a', 'b']
        """
        return tuple(sorted(self.rules, key=lambda rule: (rule.order, rule.id)))

    def evaluate(self, facts: Mapping[str, Any], *, at: datetime) -> Verdict:
        """Consult the rules on ``facts`` at the instant ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality.rules import eq
            >>> rules = RuleSet(id="s", rules=[
            ...     Rule(id="vip", description="Flag VIPs.", when=eq("tier", "vip"),
            ...          actions=[flag("vip")]),
            ... ])
            >>> print(rules.evaluate({}, at=datetime(2026, 1, 1, tzinfo=timezone.utc)).explain())
            vip did not fire: tier = 'vip': does not hold (the field is missing)

        Raises:
            ValidationError: ``facts`` is not a mapping of JSON-like values, or ``at``
                is not an aware datetime in the supported range.
        """
        problems = Problems()
        check_aware(at, "$.at", problems)
        try:
            check_facts(facts)
        except ValidationError as error:  # reported with the instant's problem, if any
            problems.extend(error.problems)
        problems.raise_if_any()
        outcomes: list[RuleOutcome] = []
        actions: list[Action] = []
        for rule in self.ordered:
            fired = rule.when._holds(facts, at)
            outcomes.append(
                RuleOutcome(
                    rule_id=rule.id,
                    fired=fired,
                    explanation=rule.when._explain(facts, at),
                    actions=rule.actions if fired else (),
                )
            )
            if fired:
                actions.extend(rule.actions)
                if self.mode == "first":
                    break
        return Verdict(rule_set_id=self.id, at=at, outcomes=outcomes, actions=actions)


# ---------------------------------------------------------------- one row per outcome


@attrs.frozen
class _PerOutcome(Layout):
    """A verdict's records: its own columns, then one row per rule consulted."""

    def rows(self, value: Any) -> Iterator[dict[str, Any]]:
        for outcome in value.outcomes or (None,):
            row = {"rule_set_id": value.rule_set_id, "at": value.at}
            row["rule_id"] = None if outcome is None else outcome.rule_id
            row["fired"] = None if outcome is None else outcome.fired
            row["explanation"] = None if outcome is None else outcome.explanation
            row["actions"] = None if outcome is None else [_action_text(a) for a in outcome.actions]
            yield row


def _action_text(action: Action) -> str:
    field = attrs.fields(type(action))[0].name
    return f"{action.kind}:{getattr(action, field)}"


_VERDICT_LAYOUT: Final = _PerOutcome(
    columns=(
        Column("rule_set_id", "text"),
        Column("at", "datetime"),
        Column("rule_id", "text", nullable=True),
        Column("fired", "bool", nullable=True),
        Column("explanation", "text", nullable=True),
        Column("actions", "object", nullable=True),
    ),
    getters=(),
)
_LAYOUTS[(Verdict, False)] = _LAYOUTS[(Verdict, True)] = _VERDICT_LAYOUT


# ---------------------------------------------------------------- reading rule sets


def _duplicate_ids(data: object, field: str, noun: str) -> Problems:
    """Ids given twice in ``data[field]``, found even when some entry is invalid."""
    problems = Problems()
    entries = data.get(field) if isinstance(data, Mapping) else None
    if not isinstance(entries, list | tuple):
        return problems
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        entry_id = entry.get("id") if isinstance(entry, Mapping) else None
        if not isinstance(entry_id, str):
            continue
        if entry_id in seen:
            problems.add(
                join_path(join_path(f"$.{field}", index), "id"),
                f"names {'an' if noun[0] in 'aeiou' else 'a'} {noun} id given already",
                "duplicate",
            )
        seen.add(entry_id)
    return problems


def unique_ids_hook(converter: Any, kind: type[Any], field: str, noun: str) -> Any:
    """A structure hook for ``kind`` reporting an id given twice in its ``field`` list
    together with every other problem of the data, in one round."""
    record_hook = converter.get_structure_hook(kind)

    def hook(data: object, target: type) -> Any:
        problems = _duplicate_ids(data, field, noun)
        try:
            result = record_hook(data, target)
        except ValidationError as error:
            known = {(problem.path, problem.code) for problem in problems}
            problems.extend(p for p in error.problems if (p.path, p.code) not in known)
            problems.raise_if_any()
            raise
        return result

    return hook


# The shared converter reports a duplicate rule id together with every other problem, even
# when other rules fail to read; a converter of `make_converter` reports it once they read.
default_converter().register_structure_hook(
    RuleSet, unique_ids_hook(default_converter(), RuleSet, "rules", "rule")
)
