"""The JSON Schema of rule sets, rules, conditions and actions, written out by hand.

Conditions nest (``all_of`` holds conditions): a recursive union tagged by
``kind``, which the generic schema builder does not describe. This module
writes it as ``$defs`` with a ``oneOf`` on ``kind`` and registers it, so that
`json_schema` of `RuleSet`, `Rule` or any condition or action returns it.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Final

from retail_service_quality._internal.schema import (
    ANY,
    DATETIME_PATTERN,
    END,
    ID_PATTERN,
    MAX_ID_LENGTH,
    SPACES,
)
from retail_service_quality.rules._conditions import (
    _LIST_OPS,
    _SCALAR_OPS,
    COMPARISONS,
    MAX_NESTING,
    AllOf,
    AnyOf,
    Compare,
    Elapsed,
    Exists,
    Not,
    Within,
)
from retail_service_quality.rules._engine import (
    MODES,
    Escalate,
    Flag,
    Notify,
    Rule,
    RuleOutcome,
    RuleSet,
    SelectPolicy,
    SetPriority,
    Verdict,
)
from retail_service_quality.serialization._converter import _MAX_SECONDS
from retail_service_quality.serialization._schema import _CUSTOM, DRAFT

__all__ = ["rule_set_schema"]

_ID: Final = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_ID_LENGTH,
    "pattern": ID_PATTERN,
}
_TEXT: Final = {"type": "string", "pattern": f"^{ANY}*[^{SPACES}]{ANY}*{END}"}
_SCALAR: Final = {"type": ["string", "number", "boolean", "null"]}
_DURATION: Final = {
    "type": "number",
    "minimum": 0,
    "maximum": _MAX_SECONDS,
}
_CONDITION: Final = {"$ref": "#/$defs/Condition"}


def _d(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its description first."""
    return {"description": description, **schema}


def _record(
    kind: str, description: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {"kind": _d("the tag that names which it is", {"const": kind}), **properties},
        "required": ["kind", *required],
        "additionalProperties": False,
    }


def _conditions(kind: str, description: str) -> dict[str, Any]:
    return _record(
        kind,
        description,
        {kind: _d("the conditions", {"type": "array", "minItems": 1, "items": _CONDITION})},
        [kind],
    )


def _action(kind: str, field: str, description: str) -> dict[str, Any]:
    return _record(kind, description, {field: _d(f"the {field}, an identifier", _ID)}, [field])


_DEFS: Final[dict[str, dict[str, Any]]] = {
    "Compare": {
        **_record(
            "compare",
            "A field compared with a constant: eq ne lt le gt ge a single value, "
            "in not_in a list of them.",
            {
                "field": _d("the name of the fact compared", _TEXT),
                "op": _d("the operator", {"enum": list(COMPARISONS)}),
                "value": _d("the constant: a single value, or a list for in and not_in", {}),
            },
            ["field", "op", "value"],
        ),
        "if": {"properties": {"op": {"enum": list(_LIST_OPS)}}},
        "then": {"properties": {"value": {"type": "array", "items": _SCALAR}}},
        "else": {"properties": {"value": _SCALAR}},
    },
    "Exists": _record(
        "exists",
        "The field is present and not null.",
        {"field": _d("the name of the fact", _TEXT)},
        ["field"],
    ),
    "Within": _record(
        "within",
        "The instant in a field lies within a window around a reference instant.",
        {
            "field": _d("the name of the fact holding an instant", _TEXT),
            "before": _d(
                "how long before the reference the window opens (seconds)",
                {**_DURATION, "default": 0},
            ),
            "after": _d(
                "how long after the reference the window closes (seconds)",
                {**_DURATION, "default": 0},
            ),
            "reference": _d(
                "the field holding the reference instant, or null for the evaluation instant",
                {"anyOf": [_TEXT, {"type": "null"}], "default": None},
            ),
        },
        ["field"],
    ),
    "Elapsed": _record(
        "elapsed",
        "The time elapsed from one instant to another, compared with a duration.",
        {
            "start": _d("the field holding the instant the time runs from", _TEXT),
            "op": _d("the operator", {"enum": list(_SCALAR_OPS)}),
            "duration": _d("the duration compared with (seconds)", _DURATION),
            "end": _d(
                "the field holding the instant the time runs to, or null for the evaluation "
                "instant",
                {"anyOf": [_TEXT, {"type": "null"}], "default": None},
            ),
        },
        ["start", "op", "duration"],
    ),
    "AllOf": _conditions("all_of", "Every one of the conditions holds."),
    "AnyOf": _conditions("any_of", "At least one of the conditions holds."),
    "Not": _record(
        "not",
        "The condition does not hold.",
        {"condition": _d("the condition negated", _CONDITION)},
        ["condition"],
    ),
    "Condition": {
        "description": f"Any condition, told apart by its kind (nested at most {MAX_NESTING} "
        "deep).",
        "oneOf": [
            {"$ref": f"#/$defs/{name}"}
            for name in ("Compare", "Exists", "Within", "Elapsed", "AllOf", "AnyOf", "Not")
        ],
    },
    "Escalate": _action("escalate", "to", "Escalate the case to a role or team."),
    "Notify": _action("notify", "role", "Notify whoever holds a role."),
    "SetPriority": _action("set_priority", "level", "Set the case's priority."),
    "Flag": _action("flag", "label", "Put a label on the case."),
    "SelectPolicy": _action("select_policy", "policy_id", "Choose a policy by its id."),
    "Action": {
        "description": "Any action, told apart by its kind.",
        "oneOf": [
            {"$ref": f"#/$defs/{name}"}
            for name in ("Escalate", "Notify", "SetPriority", "Flag", "SelectPolicy")
        ],
    },
    "Rule": {
        "type": "object",
        "description": "When a condition holds, these actions are taken.",
        "properties": {
            "id": _d("the rule's identifier, unique in its rule set", _ID),
            "description": _d("what the rule is for, in plain words", _TEXT),
            "when": _d("the condition under which the rule fires", _CONDITION),
            "actions": _d(
                "what to do when it fires, in order",
                {"type": "array", "items": {"$ref": "#/$defs/Action"}, "default": []},
            ),
            "order": {
                "description": "where the rule comes in its rule set (lower first; ties by id)",
                "type": "integer",
                "minimum": -(2**53 - 1),
                "maximum": 2**53 - 1,
                "default": 0,
            },
        },
        "required": ["id", "description", "when"],
        "additionalProperties": False,
    },
    "RuleSet": {
        "type": "object",
        "description": "Rules consulted by order then id; in mode first the first match wins. "
        "Rule ids are unique.",
        "properties": {
            "id": _d("the rule set's identifier", _ID),
            "rules": _d(
                "the rules", {"type": "array", "items": {"$ref": "#/$defs/Rule"}, "default": []}
            ),
            "mode": _d(
                "all (every matching rule fires) or first (the first match wins)",
                {"enum": list(MODES), "default": "all"},
            ),
        },
        "required": ["id"],
        "additionalProperties": False,
    },
    "RuleOutcome": {
        "type": "object",
        "description": "What one rule said: whether it fired, why, and the actions it asks for.",
        "properties": {
            "rule_id": _d("the rule's id", _ID),
            "fired": _d("whether its condition held", {"type": "boolean"}),
            "explanation": _d("the condition's explanation", _TEXT),
            "actions": _d(
                "the rule's actions when it fired",
                {"type": "array", "items": {"$ref": "#/$defs/Action"}, "default": []},
            ),
        },
        "required": ["rule_id", "fired", "explanation"],
        "additionalProperties": False,
    },
    "Verdict": {
        "type": "object",
        "description": "What a rule set said about some facts.",
        "properties": {
            "rule_set_id": _d("the id of the rule set that answered", _ID),
            "at": _d(
                "the instant the rules were evaluated at",
                {"type": "string", "pattern": DATETIME_PATTERN},
            ),
            "outcomes": _d(
                "one per rule consulted, in order",
                {"type": "array", "items": {"$ref": "#/$defs/RuleOutcome"}, "default": []},
            ),
            "actions": _d(
                "the actions of the rules that fired, in order",
                {"type": "array", "items": {"$ref": "#/$defs/Action"}, "default": []},
            ),
        },
        "required": ["rule_set_id", "at"],
        "additionalProperties": False,
    },
}


def _rooted(name: str) -> dict[str, Any]:
    """The schema of one of the types, its own definition at the root and every other in $defs."""
    defs = copy.deepcopy(_DEFS)
    return {**defs[name], "$defs": defs}


def rule_set_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a `RuleSet`, as `structure` reads it.

    It says what JSON Schema can; the converter also checks what it cannot:
    that rule ids are unique, that conditions nest at most `MAX_NESTING`
    deep, and that texts are valid Unicode. ``json_schema(RuleSet)`` returns
    the same schema.

    Examples:
        >>> schema = rule_set_schema()
        >>> schema["required"], len(schema["$defs"]["Condition"]["oneOf"])
        (['id'], 7)
    """
    return {"$schema": DRAFT, **_rooted("RuleSet")}


for _cls, _name in (
    (RuleSet, "RuleSet"),
    (Rule, "Rule"),
    (RuleOutcome, "RuleOutcome"),
    (Verdict, "Verdict"),
    (Compare, "Compare"),
    (Exists, "Exists"),
    (Within, "Within"),
    (Elapsed, "Elapsed"),
    (AllOf, "AllOf"),
    (AnyOf, "AnyOf"),
    (Not, "Not"),
    (Escalate, "Escalate"),
    (Notify, "Notify"),
    (SetPriority, "SetPriority"),
    (Flag, "Flag"),
    (SelectPolicy, "SelectPolicy"),
):
    _CUSTOM[_cls] = functools.partial(_rooted, _name)
