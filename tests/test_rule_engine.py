"""The rule engine: conditions, rules, rule sets, verdicts, JSON and its schema."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import RSQError, ValidationError
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
    RuleOutcome,
    RuleSet,
    Verdict,
    Within,
    all_of,
    any_of,
    elapsed,
    eq,
    escalate,
    exists,
    flag,
    ge,
    gt,
    is_in,
    le,
    lt,
    ne,
    not_,
    not_in,
    notify,
    rule_set_schema,
    select_policy,
    set_priority,
    within,
)
from retail_service_quality.serialization import from_json, json_schema, structure, to_json

AT = datetime(2026, 3, 10, 12, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")


def _paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


# ---------------------------------------------------------------- each operator


@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        (eq("p", "urgent"), {"p": "urgent"}, True),
        (eq("p", "urgent"), {"p": "Urgent"}, False),
        (eq("n", 1), {"n": 1.0}, True),
        (eq("n", 1), {"n": True}, False),  # a bool is not a number
        (eq("b", True), {"b": 1}, False),
        (eq("b", True), {"b": True}, True),
        (eq("s", "1"), {"s": 1}, False),  # a number is not text
        (eq("x", None), {"x": None}, True),
        (eq("x", None), {}, False),  # missing is not null
        (ne("p", "low"), {"p": "high"}, True),
        (ne("p", "low"), {"p": "low"}, False),
        (ne("p", "low"), {}, False),
        (ne("n", 1), {"n": [1, 2]}, False),
        (lt("n", 3), {"n": 2}, True),
        (lt("n", 3), {"n": 3}, False),
        (le("n", 3), {"n": 3}, True),
        (le("n", 3), {"n": 3.5}, False),
        (gt("n", 3), {"n": 3.5}, True),
        (gt("n", 3), {"n": 3}, False),
        (ge("n", 3), {"n": 3}, True),
        (ge("n", 3), {"n": 2.999}, False),
        (lt("s", "m"), {"s": "a"}, True),
        (gt("s", "m"), {"s": "a"}, False),
        (gt("n", 3), {"n": "4"}, False),  # text cannot be ordered against a number
        (gt("n", 3), {"n": True}, False),
        (gt("n", 3), {"n": None}, False),
        (gt("n", 3), {"n": AT}, False),
        (is_in("c", ["email", "chat"]), {"c": "chat"}, True),
        (is_in("c", ["email", "chat"]), {"c": "fax"}, False),
        (is_in("c", [1, 2]), {"c": True}, False),
        (is_in("c", []), {"c": "chat"}, False),
        (is_in("c", ["a"]), {}, False),
        (not_in("c", ["fax"]), {"c": "chat"}, True),
        (not_in("c", ["fax"]), {"c": "fax"}, False),
        (not_in("c", ["fax"]), {}, False),
        (not_in("c", ["fax"]), {"c": ["chat"]}, False),
        (exists("x"), {"x": 0}, True),
        (exists("x"), {"x": False}, True),
        (exists("x"), {"x": None}, False),
        (exists("x"), {}, False),
    ],
)
def test_each_operator(condition: Condition, facts: dict[str, Any], expected: bool) -> None:
    assert condition.holds(facts, at=AT) is expected
    assert condition(facts, at=AT) is expected
    explanation = condition.explain(facts, at=AT)
    assert explanation.endswith("holds") or "does not hold" in explanation
    assert ("does not hold" not in explanation) is expected


def test_explanations_name_the_field_the_operator_and_the_constant_only() -> None:
    secret = "Chan Tai Man, 9123 4567"
    for condition in (
        eq("name", "VIP"),
        gt("name", 3),
        is_in("name", ["a"]),
        exists("name"),
        not_(eq("name", "x")),
        all_of(eq("name", "a"), any_of(ne("name", "b"), lt("name", "c"))),
    ):
        for facts in ({"name": secret}, {"name": [secret]}, {}):
            text = condition.explain(facts, at=AT)
            assert secret not in text
            assert "name" in text
    assert gt("amount", 100).explain({"amount": "lots"}) == (
        "amount > 100: does not hold (the field does not hold a number)"
    )
    assert eq("tier", "vip").explain({"tier": ["vip"]}) == (
        "tier = 'vip': does not hold (the field holds a list, not a single value)"
    )


# ---------------------------------------------------------------- combinators


TRUE = exists("t")
FALSE = exists("f")
FACTS = {"t": 1}


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("right", [True, False])
def test_all_any_not_truth_tables(left: bool, right: bool) -> None:
    a, b = (TRUE if left else FALSE), (TRUE if right else FALSE)
    assert all_of(a, b).holds(FACTS) is (left and right)
    assert any_of(a, b).holds(FACTS) is (left or right)
    assert not_(a).holds(FACTS) is (not left)
    assert (a & b).holds(FACTS) is (left and right)
    assert (a | b).holds(FACTS) is (left or right)
    assert (~a).holds(FACTS) is (not left)
    assert all_of(a).holds(FACTS) is left
    assert any_of(a).holds(FACTS) is left


def test_a_missing_field_makes_a_negation_hold() -> None:
    assert not_(eq("x", 1)).holds({}) is True
    assert not_(eq("x", 1)).explain({}) == (
        "not: holds (x = 1: does not hold (the field is missing))"
    )


def test_empty_combinators_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        AllOf(all_of=[])
    assert _paths(caught.value) == ["$.all_of"]
    with pytest.raises(ValidationError) as caught:
        AnyOf(any_of=())
    assert _paths(caught.value) == ["$.any_of"]


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    condition: Condition = exists("x")
    for _ in range(MAX_NESTING - 1):
        condition = not_(condition)
    assert condition.holds({}) is (MAX_NESTING % 2 == 0)
    with pytest.raises(ValidationError, match="more than 32 deep"):
        not_(condition)
    with pytest.raises(ValidationError, match="more than 32 deep"):
        all_of(exists("y"), condition, exists("z"))
    data: dict[str, Any] = {"kind": "exists", "field": "x"}
    for _ in range(MAX_NESTING):
        data = {"kind": "any_of", "any_of": [data]}
    with pytest.raises(ValidationError) as caught:
        structure(data, Condition)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("$", "range")


# ---------------------------------------------------------------- time windows


def test_elapsed_time_at_the_repeated_hour_counts_instants() -> None:
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC, BST
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # 01:30 UTC, GMT
    facts = {"opened_at": first, "closed_at": second}
    assert elapsed("opened_at", "eq", timedelta(hours=1), end="closed_at").holds(facts)
    assert elapsed("opened_at", "gt", timedelta(0), end="closed_at").holds(facts)
    # Same wall time, same zone object: a wall-clock difference would say zero.
    assert not elapsed("opened_at", "eq", timedelta(0), end="closed_at").holds(facts)
    assert elapsed("opened_at", "eq", timedelta(hours=1)).holds(facts, at=second)
    assert within("opened_at", before=timedelta(minutes=59)).holds(facts, at=second) is False
    assert within("opened_at", before=timedelta(hours=1)).holds(facts, at=second) is True
    assert within("closed_at", after=timedelta(hours=1), reference="opened_at").holds(facts)
    assert not within("closed_at", after=timedelta(minutes=59), reference="opened_at").holds(facts)


def test_a_day_across_the_skipped_hour_is_23_wall_hours() -> None:
    before = datetime(2026, 3, 28, 12, tzinfo=LONDON)
    after = datetime(2026, 3, 29, 13, tzinfo=LONDON)  # 24 hours later in instants
    facts = {"received_at": before}
    assert elapsed("received_at", "eq", timedelta(days=1)).holds(facts, at=after)
    assert not elapsed("received_at", "gt", timedelta(days=1)).holds(facts, at=after)


@pytest.mark.parametrize("zone", [KOLKATA, ADELAIDE])
def test_time_windows_in_half_hour_zones(zone: ZoneInfo) -> None:
    received = datetime(2026, 4, 5, 2, 30, tzinfo=zone)  # Adelaide leaves DST that morning
    at = received.astimezone(UTC) + timedelta(hours=48, minutes=30)
    facts = {"received_at": received}
    assert elapsed("received_at", "gt", timedelta(days=2)).holds(facts, at=at)
    assert not elapsed("received_at", "gt", timedelta(days=2, minutes=30)).holds(facts, at=at)
    assert elapsed("received_at", "ge", timedelta(days=2, minutes=30)).holds(facts, at=at)
    local_at = at.astimezone(zone)
    assert within("received_at", before=timedelta(hours=48, minutes=30)).holds(facts, at=local_at)
    assert not within("received_at", before=timedelta(hours=48, minutes=29)).holds(
        facts, at=local_at
    )


def test_time_windows_at_the_ends_of_the_supported_range() -> None:
    first = datetime(1, 1, 2, tzinfo=UTC)
    last = datetime(9999, 12, 30, tzinfo=UTC)
    facts = {"start": first, "end": last}
    huge = timedelta(days=999_999_999)
    assert within("start", before=huge, after=huge, reference="end").holds(facts)
    assert within("end", before=huge, after=huge).holds(facts, at=first)
    assert elapsed("start", "gt", timedelta(days=3_600_000), end="end").holds(facts)
    assert not within("start", before=timedelta(days=1)).holds(facts, at=last)


def test_time_conditions_without_an_instant_do_not_hold_and_say_why() -> None:
    condition = elapsed("received_at", "gt", timedelta(days=2))
    facts = {"received_at": AT}
    assert condition.holds(facts) is False
    assert "none was given" in condition.explain(facts)
    assert "received_at is missing" in condition.explain({}, at=AT)
    assert "does not hold a date and time" in condition.explain({"received_at": "x"}, at=AT)
    explanation = within("due_at").explain({"due_at": 5}, at=AT)
    assert explanation.endswith("(due_at does not hold a date and time with its UTC offset)")


def test_instants_may_come_as_iso_text_with_their_offset() -> None:
    condition = elapsed("opened_at", "eq", timedelta(hours=1), end="closed_at")
    facts = {
        "opened_at": "2026-10-25T01:30:00+01:00[Europe/London]",
        "closed_at": "2026-10-25T01:30:00+00:00[Europe/London]",
    }
    assert condition.holds(facts)
    assert condition.holds({**facts, "opened_at": "2026-10-25T00:30:00Z"})
    assert not condition.holds({**facts, "opened_at": "2026-10-25T01:30:00"})  # naive
    skipped = "2026-03-29T01:30:00+00:00[Europe/London]"  # a wall time London skips
    assert not condition.holds({**facts, "opened_at": skipped})
    assert "opened_at does not hold a date and time" in condition.explain(
        {**facts, "opened_at": "yesterday"}
    )


# ---------------------------------------------------------------- rules and verdicts


def _escalation(mode: str = "all") -> RuleSet:
    return RuleSet(
        id="escalation",
        mode=mode,
        rules=[
            Rule(
                id="vip",
                description="VIP cases are flagged.",
                when=eq("tier", "vip"),
                actions=[flag("vip")],
                order=2,
            ),
            Rule(
                id="urgent",
                description="Urgent cases go to the store manager.",
                when=eq("priority", "urgent"),
                actions=[escalate("store_manager"), notify("duty_manager")],
                order=1,
            ),
            Rule(
                id="also_urgent",
                description="Urgent cases get the urgent policy.",
                when=eq("priority", "urgent"),
                actions=[select_policy("sla.urgent"), set_priority("p1")],
                order=1,
            ),
        ],
    )


def test_rules_are_consulted_by_order_then_id_and_all_fire() -> None:
    verdict = _escalation().evaluate({"priority": "urgent", "tier": "vip"}, at=AT)
    assert [outcome.rule_id for outcome in verdict.outcomes] == ["also_urgent", "urgent", "vip"]
    assert verdict.fired == ("also_urgent", "urgent", "vip")
    assert [action.kind for action in verdict.actions] == [
        "select_policy",
        "set_priority",
        "escalate",
        "notify",
        "flag",
    ]
    assert len(verdict.to_records()) == 3


def test_in_first_mode_the_first_match_wins_and_later_rules_are_not_consulted() -> None:
    verdict = _escalation("first").evaluate({"priority": "urgent", "tier": "vip"}, at=AT)
    assert [outcome.rule_id for outcome in verdict.outcomes] == ["also_urgent"]
    assert [action.kind for action in verdict.actions] == ["select_policy", "set_priority"]
    verdict = _escalation("first").evaluate({"tier": "vip"}, at=AT)
    assert [(o.rule_id, o.fired) for o in verdict.outcomes] == [
        ("also_urgent", False),
        ("urgent", False),
        ("vip", True),
    ]
    assert verdict.outcomes[0].actions == ()
    assert verdict.explain().splitlines()[0] == (
        "also_urgent did not fire: priority = 'urgent': does not hold (the field is missing)"
    )


def test_a_verdict_round_trips_and_lists_one_row_per_rule() -> None:
    verdict = _escalation().evaluate({"priority": "urgent"}, at=AT)
    assert from_json(to_json(verdict), Verdict) == verdict
    rows = verdict.to_records()
    assert [row["fired"] for row in rows] == [True, True, False]
    assert rows[1]["actions"] == ["escalate:store_manager", "notify:duty_manager"]


# ---------------------------------------------------------------- facts of the wrong type


@pytest.mark.parametrize(
    ("facts", "path"),
    [
        ({"x": {1, 2}}, "$.facts.x"),
        ({"x": math.nan}, "$.facts.x"),
        ({"x": math.inf}, "$.facts.x"),
        ({"x": datetime(2026, 3, 1)}, "$.facts.x"),
        ({"x": [[1]]}, "$.facts.x"),
        ({"x": {"a": 1}}, "$.facts.x"),
        ({"x": "\ud800"}, "$.facts.x"),
        ({1: "a"}, "$.facts"),
        ([("x", 1)], "$.facts"),
        ("x", "$.facts"),
    ],
)
def test_facts_that_are_not_json_like_are_a_validation_error(facts: Any, path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _escalation().evaluate(facts, at=AT)
    assert _paths(caught.value) == [path]
    with pytest.raises(ValidationError):
        eq("x", 1).holds(facts)


def test_a_bad_instant_is_reported_with_the_facts() -> None:
    with pytest.raises(ValidationError) as caught:
        _escalation().evaluate({"x": math.nan}, at=datetime(2026, 3, 1))
    assert _paths(caught.value) == ["$.at", "$.facts.x"]
    with pytest.raises(ValidationError):
        eq("x", 1).holds({}, at="2026-03-01")  # type: ignore[arg-type]


# ---------------------------------------------------------------- bad definitions


def _compare(**changes: Any) -> dict[str, Any]:
    return {"kind": "compare", "field": "tier", "op": "eq", "value": "vip", **changes}


def test_bad_definitions_are_reported_all_together_with_their_paths() -> None:
    data = {
        "id": "escalation",
        "mode": "some",
        "rules": [
            {"id": "a", "description": "A.", "when": _compare()},
            {"id": "b", "description": "B.", "when": _compare(), "actions": [{"kind": "call"}]},
            {
                "id": "a",
                "description": "C.",
                "when": {
                    "kind": "all_of",
                    "all_of": [
                        _compare(op="like"),
                        _compare(value=["vip"]),
                        {"kind": "any_of", "any_of": []},
                        _compare(op="in", value="vip"),
                        {"kind": "within", "field": "t", "before": -1},
                        {"kind": "elapsed", "start": "t", "op": "in", "duration": "2 days"},
                        {"kind": "maybe"},
                        _compare(value={"a": 1}),
                        _compare(op="lt", value=True),
                    ],
                },
            },
        ],
    }
    with pytest.raises(ValidationError) as caught:
        structure(data, RuleSet)
    assert sorted(_paths(caught.value)) == sorted(
        [
            "$.rules[2].id",
            "$.rules[1].actions[0].kind",
            "$.rules[2].when.all_of[0].op",
            "$.rules[2].when.all_of[1].value",
            "$.rules[2].when.all_of[2].any_of",
            "$.rules[2].when.all_of[3].value",
            "$.rules[2].when.all_of[4].before",
            "$.rules[2].when.all_of[5].op",
            "$.rules[2].when.all_of[5].duration",
            "$.rules[2].when.all_of[6].kind",
            "$.rules[2].when.all_of[7].value",
            "$.rules[2].when.all_of[8].value",
            "$.mode",
        ]
    )
    codes = {problem.path: problem.code for problem in caught.value.problems}
    assert codes["$.rules[2].id"] == "duplicate"
    assert codes["$.rules[2].when.all_of[0].op"] == "unknown_choice"
    assert codes["$.rules[2].when.all_of[1].value"] == "type"


def test_duplicate_rule_ids_are_refused_when_built_in_python() -> None:
    rule = Rule(id="a", description="A.", when=exists("x"))
    with pytest.raises(ValidationError) as caught:
        RuleSet(id="s", rules=[rule, rule])
    assert _paths(caught.value) == ["$.rules[1].id"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: Compare(field="", op="eq", value=1),
        lambda: Compare(field="x", op="eq", value=[1]),
        lambda: Compare(field="x", op="in", value=[[1]]),
        lambda: Compare(field="x", op="eq", value=10**400),
        lambda: Compare(field="x", op="eq", value=math.nan),
        lambda: Compare(field="x", op="eq", value="\udc00"),
        lambda: Compare(field="x", op=None, value=1),  # type: ignore[arg-type]
        lambda: Compare(field="x", op="eq", value=1, kind="exists"),
        lambda: Exists(field=3),  # type: ignore[arg-type]
        lambda: Within(field="t", before=3),  # type: ignore[arg-type]
        lambda: Elapsed(start="t", op="gt", duration=timedelta(-1)),
        lambda: Not(condition="x"),  # type: ignore[arg-type]
        lambda: AllOf(all_of="xy"),
        lambda: AnyOf(any_of=[1]),
        lambda: Rule(id=" a", description="", when=1, actions=[1], order=True),  # type: ignore[arg-type]
        lambda: Rule(id="a", description="A.", when=exists("x"), order=2**60),
        lambda: RuleSet(id="s", rules=[1], mode=None),  # type: ignore[arg-type]
        lambda: RuleOutcome(rule_id="a", fired=1, explanation="", actions="x"),  # type: ignore[arg-type]
        lambda: Verdict(rule_set_id="s", at=datetime(2026, 1, 1), outcomes=[1], actions=[1]),
        lambda: escalate(""),
        lambda: notify(None),  # type: ignore[arg-type]
        lambda: set_priority(5),  # type: ignore[arg-type]
        lambda: flag("x" * 201),
        lambda: select_policy(" p"),
        lambda: Compare(),
    ],
)
def test_bad_values_in_python_are_validation_errors(build: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.problems
    assert all(problem.path.startswith("$") for problem in caught.value.problems)


@pytest.mark.parametrize(
    "data",
    [None, [], "x", 5, {"id": 5}, {"id": "s", "rules": "x"}, {"id": "s", "rules": [None]}],
)
def test_junk_rule_sets_are_validation_errors(data: Any) -> None:
    with pytest.raises(ValidationError):
        structure(data, RuleSet)
    with pytest.raises(ValidationError):
        from_json(json.dumps(data), RuleSet)


# ---------------------------------------------------------------- JSON and the schema


FIELDS = st.sampled_from(["priority", "tier", "amount", "channel", "received_at", "closed_at"])
TEXTS = st.sampled_from(["urgent", "vip", "email", "chat", "", "Ünïcode", "a b"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(-1e6, 1e6, allow_nan=False),
    TEXTS,
)
DURATIONS = st.integers(0, 10**7).map(lambda seconds: timedelta(seconds=seconds))
ORDER_VALUES = st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6), TEXTS)


def _compares() -> st.SearchStrategy[Compare]:
    scalar = st.builds(Compare, field=FIELDS, op=st.sampled_from(["eq", "ne"]), value=SCALARS)
    ordered = st.builds(
        Compare, field=FIELDS, op=st.sampled_from(["lt", "le", "gt", "ge"]), value=ORDER_VALUES
    )
    listed = st.builds(
        Compare,
        field=FIELDS,
        op=st.sampled_from(["in", "not_in"]),
        value=st.lists(SCALARS, max_size=4).map(tuple),
    )
    return st.one_of(scalar, ordered, listed)


LEAVES: st.SearchStrategy[Any] = st.one_of(
    _compares(),
    st.builds(Exists, field=FIELDS),
    st.builds(
        Within,
        field=FIELDS,
        before=DURATIONS,
        after=DURATIONS,
        reference=st.none() | FIELDS,
    ),
    st.builds(
        Elapsed,
        start=FIELDS,
        op=st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"]),
        duration=DURATIONS,
        end=st.none() | FIELDS,
    ),
)
CONDITIONS: st.SearchStrategy[Any] = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda items: AllOf(all_of=items)),
        st.lists(children, min_size=1, max_size=3).map(lambda items: AnyOf(any_of=items)),
        children.map(lambda child: Not(condition=child)),
    ),
    max_leaves=12,
)
ACTIONS = st.one_of(
    st.builds(escalate, st.sampled_from(["store_manager", "head_office"])),
    st.builds(notify, st.sampled_from(["duty_manager", "qa"])),
    st.builds(set_priority, st.sampled_from(["p1", "p2"])),
    st.builds(flag, st.sampled_from(["vip", "repeat"])),
    st.builds(select_policy, st.sampled_from(["sla.vip", "sla.standard"])),
)
RULES = st.builds(
    Rule,
    id=st.sampled_from(["r1", "r2", "r3", "r4", "r5"]),
    description=st.just("A rule."),
    when=CONDITIONS,
    actions=st.lists(ACTIONS, max_size=3),
    order=st.integers(-3, 3),
)
RULE_SETS = st.builds(
    RuleSet,
    id=st.just("rules"),
    rules=st.lists(RULES, max_size=5, unique_by=lambda rule: rule.id),
    mode=st.sampled_from(["all", "first"]),
)
INSTANTS = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2026, 12, 31),
    timezones=st.sampled_from([UTC, LONDON, KOLKATA, ADELAIDE]),
).filter(lambda value: value == value.astimezone(UTC).astimezone(value.tzinfo))
FACT_VALUES = st.one_of(
    SCALARS, INSTANTS, INSTANTS.map(to_json).map(json.loads), st.lists(SCALARS, max_size=3)
)
FACTS_STRATEGY = st.dictionaries(FIELDS, FACT_VALUES, max_size=6)
VALIDATOR = jsonschema.Draft202012Validator(rule_set_schema())


@settings(max_examples=150)
@given(RULE_SETS)
def test_rule_sets_round_trip_through_json_and_match_the_schema(rules: RuleSet) -> None:
    text = to_json(rules)
    assert from_json(text, RuleSet) == rules
    VALIDATOR.validate(json.loads(text))


@settings(max_examples=100)
@given(CONDITIONS)
def test_conditions_round_trip_alone(condition: Any) -> None:
    assert from_json(to_json(condition), Condition) == condition  # type: ignore[arg-type]
    assert from_json(to_json(condition), type(condition)) == condition


def test_the_schema_is_the_one_json_schema_gives_and_refuses_bad_payloads() -> None:
    generated = json_schema(RuleSet)
    assert generated["title"] == "RuleSet"
    for keyword in ("$schema", "properties", "required", "$defs"):
        assert generated[keyword] == rule_set_schema()[keyword]
    jsonschema.Draft202012Validator.check_schema(rule_set_schema())
    good = json.loads(to_json(_escalation()))
    VALIDATOR.validate(good)
    bad_payloads = [
        {**good, "mode": "some"},
        {**good, "rules": [{**good["rules"][0], "when": _compare(op="like")}]},
        {**good, "rules": [{**good["rules"][0], "when": _compare(value=["vip"])}]},
        {**good, "rules": [{**good["rules"][0], "when": _compare(op="in", value="vip")}]},
        {**good, "rules": [{**good["rules"][0], "when": {"kind": "all_of", "all_of": []}}]},
        {**good, "rules": [{**good["rules"][0], "actions": [{"kind": "call", "to": "x"}]}]},
        {**good, "extra": 1},
    ]
    for payload in bad_payloads:
        assert not VALIDATOR.is_valid(payload), payload
        with pytest.raises(ValidationError):
            structure(payload, RuleSet)


# ---------------------------------------------------------------- the oracle


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(left: object, right: object) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if _number(left) and _number(right):
        return left == right
    return type(left) is type(right) and left == right


def _as_instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return from_json(json.dumps(value), datetime)
        except ValidationError:
            return None
    return None


def _oracle(condition: Any, facts: Mapping[str, Any], at: datetime) -> bool:
    """A plain reading of the documented semantics, written independently of the engine."""
    if isinstance(condition, AllOf):
        return all(_oracle(child, facts, at) for child in condition.all_of)
    if isinstance(condition, AnyOf):
        return any(_oracle(child, facts, at) for child in condition.any_of)
    if isinstance(condition, Not):
        return not _oracle(condition.condition, facts, at)
    if isinstance(condition, Exists):
        return facts.get(condition.field) is not None
    if isinstance(condition, Within | Elapsed):
        first_name = condition.field if isinstance(condition, Within) else condition.start
        other_name = condition.reference if isinstance(condition, Within) else condition.end
        first = _as_instant(facts.get(first_name))
        other = at if other_name is None else _as_instant(facts.get(other_name))
        if not (isinstance(first, datetime) and isinstance(other, datetime)):
            return False
        seconds = first.timestamp() - other.timestamp()
        if isinstance(condition, Within):
            return -condition.before.total_seconds() <= seconds <= condition.after.total_seconds()
        spent, limit = -seconds, condition.duration.total_seconds()
        return {
            "eq": spent == limit,
            "ne": spent != limit,
            "lt": spent < limit,
            "le": spent <= limit,
            "gt": spent > limit,
            "ge": spent >= limit,
        }[condition.op]
    if condition.field not in facts:
        return False
    fact = facts[condition.field]
    if isinstance(fact, list | datetime):
        return False
    op, value = condition.op, condition.value
    if op == "eq":
        return _equal(fact, value)
    if op == "ne":
        return not _equal(fact, value)
    if op == "in":
        return any(_equal(fact, item) for item in value)
    if op == "not_in":
        return not any(_equal(fact, item) for item in value)
    both_numbers = _number(fact) and _number(value)
    both_texts = isinstance(fact, str) and isinstance(value, str)
    if not (both_numbers or both_texts):
        return False
    result: bool = {
        "lt": fact < value,
        "le": fact <= value,
        "gt": fact > value,
        "ge": fact >= value,
    }[op]
    return result


@settings(max_examples=300)
@given(CONDITIONS, FACTS_STRATEGY, INSTANTS)
def test_holds_equals_a_plain_evaluation_of_the_same_tree(
    condition: Any, facts: dict[str, Any], at: datetime
) -> None:
    assert condition.holds(facts, at=at) is _oracle(condition, facts, at)


@settings(max_examples=150)
@given(RULE_SETS, FACTS_STRATEGY, INSTANTS)
def test_evaluate_equals_a_plain_evaluation_of_the_rules(
    rules: RuleSet, facts: dict[str, Any], at: datetime
) -> None:
    verdict = rules.evaluate(facts, at=at)
    ordered = sorted(rules.rules, key=lambda rule: (rule.order, rule.id))
    expected_fired = [rule.id for rule in ordered if _oracle(rule.when, facts, at)]
    if rules.mode == "first":
        expected_fired = expected_fired[:1]
        consulted = len(ordered)
        if expected_fired:
            consulted = [rule.id for rule in ordered].index(expected_fired[0]) + 1
        assert len(verdict.outcomes) == consulted
    else:
        assert [outcome.rule_id for outcome in verdict.outcomes] == [rule.id for rule in ordered]
    assert list(verdict.fired) == expected_fired
    by_id = {rule.id: rule for rule in rules.rules}
    assert list(verdict.actions) == [
        action for rule_id in expected_fired for action in by_id[rule_id].actions
    ]
    for outcome in verdict.outcomes:
        assert outcome.explanation == by_id[outcome.rule_id].when.explain(facts, at=at)


# ---------------------------------------------------------------- anything in, RSQError out


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(datetime(2026, 1, 1)),
)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(["field", "op", "value", "kind"]), JUNK), JUNK)
def test_any_input_gives_a_result_or_a_library_error(arguments: dict[str, Any], facts: Any) -> None:
    try:
        condition = Compare(**arguments)
        condition.holds(facts, at=AT)
        condition.explain(facts, at=AT)
    except RSQError:
        pass
    with contextlib.suppress(RSQError):
        structure(arguments, Condition)  # type: ignore[arg-type]


def test_public_names_are_exported_at_the_top_level() -> None:
    for name in ("Rule", "RuleSet", "Verdict", "RuleOutcome", "Compare", "AllOf", "Escalate"):
        assert getattr(rsq, name) is getattr(rsq.rules, name)
    assert attrs.has(rsq.Verdict)
