"""Return guarantees as data: JSON round trips, the schema, and properties of verdicts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import BusinessCalendar, ValidationError
from retail_service_quality.quality import (
    FACTS,
    INSTANT_FACTS,
    GuaranteeClause,
    GuaranteeVerdict,
    ItemCondition,
    ReturnedItem,
    ReturnGuarantee,
    ReturnRemedy,
    Sale,
    evaluate_return,
)
from retail_service_quality.rules import (
    Condition,
    all_of,
    any_of,
    elapsed,
    eq,
    exists,
    ge,
    is_in,
    le,
    not_,
    within,
)
from retail_service_quality.testing.strategies import aware_datetimes

ZONES = ("Europe/London", "Asia/Hong_Kong", "Asia/Kolkata", "Australia/Adelaide", "UTC")
IDS = st.from_regex(r"[a-z][a-z0-9_.]{0,11}", fullmatch=True)
CONDITIONS = st.sampled_from([member.value for member in ItemCondition])
CATEGORIES = st.sampled_from(["clothing", "electronics", "toys", "home"])
TIERS = st.none() | st.sampled_from(["vip", "member", "gold"])
DAYS = st.integers(0, 60)


def _leaf() -> st.SearchStrategy[Condition]:
    numbers = st.sampled_from(
        ["days_since_purchase", "working_days_since_purchase", "price_cents", "extra_days"]
    )
    seconds = st.integers(0, 90 * 86_400).map(lambda s: timedelta(seconds=s))
    return st.one_of(
        st.builds(eq, st.just("condition"), CONDITIONS),
        st.builds(is_in, st.just("condition"), st.lists(CONDITIONS, min_size=1, max_size=3)),
        st.builds(eq, st.sampled_from(["receipt", "sale_item"]), st.booleans()),
        st.builds(is_in, st.just("category"), st.lists(CATEGORIES, min_size=1, max_size=2)),
        st.builds(eq, st.just("tier"), TIERS),
        st.builds(le, numbers, st.integers(0, 100)),
        st.builds(ge, numbers, st.integers(0, 100)),
        st.builds(exists, st.sampled_from(FACTS)),
        st.builds(
            elapsed,
            st.sampled_from(INSTANT_FACTS),
            st.sampled_from(["lt", "le", "gt", "ge"]),
            seconds,
        ),
        st.builds(
            lambda before, after: within("purchased_at", before=before, after=after),
            seconds,
            seconds,
        ),
    )


def conditions() -> st.SearchStrategy[Condition]:
    return st.recursive(
        _leaf(),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda items: all_of(*items)),
            st.lists(inner, min_size=1, max_size=3).map(lambda items: any_of(*items)),
            inner.map(not_),
        ),
        max_leaves=6,
    )


@st.composite
def clauses(draw: st.DrawFn, clause_id: str) -> GuaranteeClause:
    return GuaranteeClause(
        id=clause_id,
        description=draw(st.sampled_from(["Refund.", "Exchange within the window.", "Ünïcode ✓"])),
        remedy=draw(st.sampled_from(list(ReturnRemedy))),
        when=draw(st.lists(conditions(), max_size=3)),
        within_days=draw(st.none() | DAYS),
        counting=draw(st.sampled_from(["calendar", "working"])),
        extendable=draw(st.booleans()),
    )


@st.composite
def guarantees(draw: st.DrawFn) -> ReturnGuarantee:
    ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    return ReturnGuarantee(
        id=draw(IDS),
        description="A guarantee.",
        clauses=[draw(clauses(clause_id)) for clause_id in ids],
        tier_extensions=draw(st.dictionaries(st.sampled_from(["vip", "gold"]), DAYS)),
    )


@st.composite
def returns(draw: st.DrawFn) -> tuple[Sale, ReturnedItem]:
    bought = draw(aware_datetimes(timezones=ZONES))
    spent = draw(st.integers(0, 70 * 86_400 * 1_000_000).map(lambda us: timedelta(microseconds=us)))
    zone = draw(st.sampled_from(ZONES))
    sale = Sale(
        purchased_at=bought,
        store_id=draw(IDS),
        channel=draw(st.sampled_from(["store", "online"])),
        receipt=draw(st.booleans()),
        category=draw(CATEGORIES),
        sale_item=draw(st.booleans()),
        price_cents=draw(st.integers(0, 10**6)),
    )
    returned = ReturnedItem(
        returned_at=(bought.astimezone(UTC) + spent).astimezone(ZoneInfo(zone)),
        condition=draw(CONDITIONS),
        tier=draw(TIERS),
    )
    return sale, returned


def calendar_for(zone: str) -> BusinessCalendar:
    return BusinessCalendar(
        zone, {day: [("09:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    )


SCHEMA = rsq.json_schema(ReturnGuarantee)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_valid_draft_2020_12_and_names_the_facts() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$defs"]["Compare"]["properties"]["field"]["enum"] == list(FACTS)
    assert SCHEMA["$defs"]["Elapsed"]["properties"]["start"]["enum"] == list(INSTANT_FACTS)
    assert SCHEMA["required"] == ["id", "description", "clauses"]
    for cls in (GuaranteeClause, Sale, ReturnedItem, GuaranteeVerdict):
        jsonschema.Draft202012Validator.check_schema(rsq.json_schema(cls))


def test_the_default_guarantee_is_valid_json() -> None:
    data = json.loads(rsq.to_json(ReturnGuarantee.default()))
    assert list(VALIDATOR.iter_errors(data)) == []
    assert rsq.from_json(json.dumps(data), ReturnGuarantee) == ReturnGuarantee.default()


@settings(max_examples=60)
@given(guarantee=guarantees())
def test_a_guarantee_round_trips_through_json_and_its_wire_form_validates(
    guarantee: ReturnGuarantee,
) -> None:
    text = rsq.to_json(guarantee)
    assert rsq.from_json(text, ReturnGuarantee) == guarantee
    assert list(VALIDATOR.iter_errors(json.loads(text))) == []
    for clause in guarantee.clauses:
        assert rsq.structure(rsq.unstructure(clause), GuaranteeClause) == clause


@settings(max_examples=60)
@given(guarantee=guarantees(), case=returns())
def test_the_verdict_is_the_rule_sets_and_round_trips(
    guarantee: ReturnGuarantee, case: tuple[Sale, ReturnedItem]
) -> None:
    sale, returned = case
    zone = returned.returned_at.tzinfo
    assert isinstance(zone, ZoneInfo)
    verdict = evaluate_return(guarantee, sale, returned, calendar=calendar_for(zone.key))
    extra = guarantee.extra_days(returned.tier)
    engine = guarantee.rule_set(extra).evaluate(verdict.facts.as_facts(), at=returned.returned_at)
    named = [action.label for action in engine.actions]  # type: ignore[union-attr]
    assert named == ([] if verdict.decided_by is None else [f"remedy:{verdict.remedy.value}"])
    assert engine.fired == (() if verdict.decided_by is None else (verdict.decided_by,))
    assert [o.clause_id for o in verdict.outcomes] == [o.rule_id for o in engine.outcomes]
    facts = verdict.facts
    assert 0 <= (facts.working_days_since_purchase or 0) <= facts.days_since_purchase
    assert (
        facts.days_since_purchase
        == (
            returned.returned_at.astimezone(zone).date() - sale.purchased_at.astimezone(zone).date()
        ).days
    )
    assert rsq.from_json(rsq.to_json(verdict), GuaranteeVerdict) == verdict
    assert verdict.explain().count("\n") == 1 + len(verdict.outcomes)


@given(case=returns(), zone=st.sampled_from(ZONES))
def test_the_zone_of_the_instants_given_does_not_matter(
    case: tuple[Sale, ReturnedItem], zone: str
) -> None:
    sale, returned = case
    guarantee = ReturnGuarantee.default()
    here = evaluate_return(guarantee, sale, returned, timezone=zone)
    moved = evaluate_return(
        guarantee,
        Sale(**{**rsq.unstructure(sale), "purchased_at": sale.purchased_at.astimezone(UTC)}),
        ReturnedItem(
            returned_at=returned.returned_at.astimezone(UTC),
            condition=returned.condition,
            tier=returned.tier,
        ),
        timezone=zone,
    )
    assert moved.facts.days_since_purchase == here.facts.days_since_purchase
    assert (moved.remedy, moved.decided_by) == (here.remedy, here.decided_by)


@given(
    bought=aware_datetimes(timezones=ZONES),
    receipt=st.booleans(),
    tier=TIERS,
    zone=st.sampled_from(ZONES),
)
def test_waiting_longer_never_improves_the_default_remedy(
    bought: datetime, receipt: bool, tier: str | None, zone: str
) -> None:
    rank = {"refund": 3, "exchange": 2, "credit_note": 1, "none": 0}
    guarantee = ReturnGuarantee.default()
    sale = Sale(
        purchased_at=bought, store_id="S", channel="store", receipt=receipt,
        category="clothing", price_cents=100,
    )  # fmt: skip
    found = [
        rank[
            evaluate_return(
                guarantee, sale,
                ReturnedItem(returned_at=bought.astimezone(UTC) + timedelta(hours=hours),
                             condition="unused", tier=tier),
                timezone=zone,
            ).remedy.value
        ]
        for hours in range(0, 24 * 45, 13)
    ]  # fmt: skip
    assert found == sorted(found, reverse=True)


# ---------------------------------------------------------------- invalid JSON


def _default_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(rsq.to_json(ReturnGuarantee.default()))
    return data


def test_invalid_guarantee_json_lists_every_problem_with_its_path() -> None:
    data = _default_data()
    data["clauses"][1]["id"] = "faulty_refund"
    data["clauses"][2]["when"][0]["field"] = "categroy"
    data["clauses"][3]["remedy"] = "cash"
    data["clauses"][4]["within_days"] = -1
    data["clauses"][5]["when"][0]["value"] = "unworn"
    data["clauses"][6]["when"].append({"kind": "sometimes"})
    data["clauses"][7]["counting"] = "weeks"
    data["tier_extensions"] = {"vip": "seven"}
    data["colour"] = "red"
    with pytest.raises(ValidationError) as caught:
        rsq.structure(data, ReturnGuarantee)
    assert sorted((p.path, p.code) for p in caught.value.problems) == sorted(
        [
            ("$.clauses[1].id", "duplicate"),
            ("$.clauses[2].when[0].field", "unknown_choice"),
            ("$.clauses[3].remedy", "unknown_choice"),
            ("$.clauses[4].within_days", "range"),
            ("$.clauses[5].when[0].value", "unknown_choice"),
            ("$.clauses[6].when[2].kind", "unknown_choice"),
            ("$.clauses[7].counting", "unknown_choice"),
            ("$.tier_extensions.vip", "type"),
            ("$.colour", "unknown_field"),
        ]
    )
    assert "seven" not in str(caught.value)
    assert "categroy" not in str(caught.value)
    assert list(VALIDATOR.iter_errors(data)) != []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("clauses"), "$.clauses"),
        (lambda d: d.__setitem__("clauses", []), "$.clauses"),
        (lambda d: d["clauses"][0].pop("remedy"), "$.clauses[0].remedy"),
        (lambda d: d["clauses"][0].__setitem__("when", "faulty"), "$.clauses[0].when"),
        (lambda d: d["clauses"][0].__setitem__("within_days", 1.5), "$.clauses[0].within_days"),
        (lambda d: d["clauses"][0].__setitem__("extendable", "no"), "$.clauses[0].extendable"),
        (lambda d: d["tier_extensions"].__setitem__("vip", 40_000), "$.tier_extensions.vip"),
        (
            lambda d: d["clauses"][0]["when"][0].__setitem__("field", "purchased_at "),
            "$.clauses[0].when[0].field",
        ),
    ],
)
def test_the_schema_and_the_converter_refuse_the_same_json(change: Any, path: str) -> None:
    data = _default_data()
    change(data)
    with pytest.raises(ValidationError) as caught:
        rsq.structure(data, ReturnGuarantee)
    assert [problem.path for problem in caught.value.problems] == [path]
    assert list(VALIDATOR.iter_errors(data)) != []


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


KEYS = st.sampled_from(["id", "description", "clauses", "tier_extensions", "x"])


@given(data=st.dictionaries(KEYS, JSON))
def test_any_json_is_a_guarantee_or_a_validation_error(data: dict[str, Any]) -> None:
    problems: tuple[object, ...] = ()
    try:
        found = rsq.structure(data, ReturnGuarantee)
    except ValidationError as error:
        problems = error.problems
    else:
        assert isinstance(found, ReturnGuarantee)
        return
    assert problems
