"""Rules: explained decisions of the privacy law, and a general rule engine whose rules are data.

The rule engine: conditions over the fields of a facts mapping (`eq`, `is_in`,
`all_of`, `within`, `elapsed`...), a `Rule` pairing a condition with actions
(`escalate`, `notify`, `set_priority`, `flag`, `select_policy`), and a
`RuleSet` that consults its rules in order and returns a `Verdict` saying
which rules fired and why. Rules round-trip through JSON, tagged by ``kind``.

A rule set answers a question with a `Decision`: allowed or not, with the
`Reason` of every rule it consulted (its id, legal source, the date from which
it applies, whether it passed and why, in plain words), and what must be done
on going ahead. The privacy rules of `retail_service_quality.customers.privacy`
return them.

Examples:
    >>> from datetime import date, datetime, timezone
    >>> reason = Reason(
    ...     rule_id="pdpo.s35E.consent", source="PDPO (Cap. 486) s.35E(2)",
    ...     applies_from=date(2013, 4, 1), passed=True,
    ...     explanation="The customer consented to SMS about cosmetics.",
    ... )
    >>> decision = Decision(
    ...     allowed=True, question="May we send an SMS about cosmetics?", law="pdpo",
    ...     at=datetime(2026, 3, 10, tzinfo=timezone.utc), reasons=[reason],
    ... )
    >>> print(decision.explain())
    May we send an SMS about cosmetics? Yes.
    The customer consented to SMS about cosmetics. (PDPO (Cap. 486) s.35E(2))
"""

from retail_service_quality.rules._conditions import (
    COMPARISONS,
    MAX_NESTING,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Elapsed,
    Exists,
    Not,
    Within,
    all_of,
    any_of,
    elapsed,
    eq,
    exists,
    ge,
    gt,
    is_in,
    le,
    lt,
    ne,
    not_,
    not_in,
    within,
)
from retail_service_quality.rules._decision import Decision, Reason
from retail_service_quality.rules._engine import (
    MODES,
    Action,
    Escalate,
    Flag,
    Notify,
    Rule,
    RuleOutcome,
    RuleSet,
    SelectPolicy,
    SetPriority,
    Verdict,
    escalate,
    flag,
    notify,
    select_policy,
    set_priority,
)
from retail_service_quality.rules._schema import rule_set_schema

__all__ = [
    "COMPARISONS",
    "MAX_NESTING",
    "MODES",
    "Action",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Decision",
    "Elapsed",
    "Escalate",
    "Exists",
    "Flag",
    "Not",
    "Notify",
    "Reason",
    "Rule",
    "RuleOutcome",
    "RuleSet",
    "SelectPolicy",
    "SetPriority",
    "Verdict",
    "Within",
    "all_of",
    "any_of",
    "elapsed",
    "eq",
    "escalate",
    "exists",
    "flag",
    "ge",
    "gt",
    "is_in",
    "le",
    "lt",
    "ne",
    "not_",
    "not_in",
    "notify",
    "rule_set_schema",
    "select_policy",
    "set_priority",
    "within",
]
