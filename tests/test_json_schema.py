"""JSON Schemas of the library's types, checked with the ``jsonschema`` package.

What the converter writes validates; what it refuses for a reason JSON Schema
can express (a type, a required or unknown field, an enum value, an
identifier's length or edge spaces, a range) the schema refuses too; and the
``$``-path of every problem the converter reports leads somewhere in the schema.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import re
import shutil
import subprocess
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import retail_service_quality as rsq
from retail_service_quality import (
    SERVQUAL_DIMENSIONS,
    AwardScheme,
    BusinessCalendar,
    Channel,
    ComparisonResult,
    Competency,
    Customer,
    CustomerQuery,
    DimensionScore,
    InteractionQuery,
    InteractionStatus,
    InteractionSummary,
    Interval,
    MeanResult,
    NpsResult,
    Problem,
    ProportionResult,
    ReliabilityScore,
    RoleRequirement,
    ServiceInteraction,
    ServperfResult,
    ServqualResponse,
    ServqualResult,
    StaffingPlan,
    TestResult,
    TrainingProgramme,
    ValidationError,
    compare_nps,
    csat,
    json_schema,
    nps,
    servperf,
    servqual,
    staffing,
    structure,
    to_json,
)
from retail_service_quality._internal.schema import (
    EMAIL,
    END,
    ID_PATTERN,
    INTEGER_KEY,
    MANAGED,
    MAX_DURATION,
    SPACES,
    schema,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT, format_datetime
from retail_service_quality._internal.validation import check_duration, check_id, check_version
from retail_service_quality.errors import Problems
from retail_service_quality.serialization._schema import DRAFT
from retail_service_quality.testing.contract_awards import _schemes as award_schemes
from retail_service_quality.testing.contract_training import training_records
from retail_service_quality.testing.strategies import (
    COUNTRIES,
    STORES,
    calendars,
    customers,
    identifiers,
    interactions,
    real_datetimes,
    texts,
)

INPUTS: tuple[type, ...] = (
    Customer,
    ServiceInteraction,
    InteractionQuery,
    CustomerQuery,
    BusinessCalendar,
    ServqualResponse,
    Competency,
    RoleRequirement,
    TrainingProgramme,
    AwardScheme,
)
RESULTS: tuple[type, ...] = (
    Interval,
    TestResult,
    ProportionResult,
    MeanResult,
    NpsResult,
    ComparisonResult,
    StaffingPlan,
    DimensionScore,
    ServqualResult,
    ServperfResult,
    ReliabilityScore,
    InteractionSummary,
)
_VALIDATORS: dict[type, Any] = {}


def validator(cls: type) -> Any:
    """A Draft 2020-12 validator of ``cls``'s schema, with format checking on."""
    found = _VALIDATORS.get(cls)
    if found is None:
        found = Draft202012Validator(
            json_schema(cls), format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        _VALIDATORS[cls] = found
    return found


def schema_errors(data: object, cls: type) -> list[str]:
    return [error.message for error in validator(cls).iter_errors(data)]


def converter_accepts(data: object, cls: type) -> bool:
    """Whether ``structure(data, cls)`` reads the data (it refuses with a `ValidationError`)."""
    try:
        structure(data, cls)
    except ValidationError:
        return False
    return True


def wire(obj: object) -> Any:
    """What goes over the wire: the converter's JSON, read back."""
    return json.loads(to_json(obj))


# ---------------------------------------------------------------- walking a schema by a $-path

_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def steps(path: str) -> list[str | int]:
    """The names and indexes of a ``$``-path, as `join_path` writes them."""
    assert path.startswith("$"), path
    found: list[str | int] = []
    position = 1
    while position < len(path):
        match = _STEP.match(path, position)
        assert match is not None, f"not a $-path: {path}"
        name, index, quoted = match.groups()
        if index is not None:
            found.append(int(index))
        elif name is not None:
            found.append(name)
        else:
            found.append(re.sub(r"\\(.)", r"\1", quoted))
        position = match.end()
    return found


def _resolve(root: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref == "#":
            schema = root
        else:
            assert ref.startswith("#/$defs/"), ref
            schema = root["$defs"][ref.removeprefix("#/$defs/")]
    return schema


def _branches(root: dict[str, Any], schema: Any) -> list[Any]:
    schema = _resolve(root, schema)
    if isinstance(schema, dict) and "anyOf" in schema:
        return [branch for option in schema["anyOf"] for branch in _branches(root, option)]
    return [schema]


def _step(root: dict[str, Any], schema: Any, step: str | int) -> Any:
    for branch in _branches(root, schema):
        if not isinstance(branch, dict):
            continue
        kinds = branch.get("type")
        kinds = [kinds] if isinstance(kinds, str) else kinds or []
        if isinstance(step, int) and "array" in kinds:
            prefix = branch.get("prefixItems", [])
            return prefix[step] if step < len(prefix) else branch.get("items", True)
        if "object" in kinds:
            name = str(step)  # an integer key is written [n] in a path, "n" in the JSON
            if name in branch.get("properties", {}):
                return branch["properties"][name]
            if "additionalProperties" in branch:
                return branch["additionalProperties"]
    return None


def walk(schema: dict[str, Any], path: str) -> Any:
    """The subschema a ``$``-path leads to, or ``None`` if it leads nowhere."""
    here: Any = schema
    for step in steps(path):
        here = _step(schema, here, step)
        if here is None:
            return None
    return _resolve(schema, here)


def test_steps_read_every_kind_of_path() -> None:
    assert steps("$") == []
    assert steps("$.hours.mon[0][1]") == ["hours", "mon", 0, 1]
    assert steps("$.special_hours['2026-12-24']") == ["special_hours", "2026-12-24"]
    assert steps("$['it\\'s']") == ["it's"]


def assert_paths_line_up(data: object, cls: type) -> list[str]:
    """Every problem path of ``structure(data, cls)`` leads to a subschema; the paths."""
    with pytest.raises(ValidationError) as caught:
        structure(data, cls)
    schema = json_schema(cls)
    paths = [problem.path for problem in caught.value.problems]
    for path in paths:
        assert walk(schema, path) is not None, f"{cls.__name__}: {path} leads nowhere"
    return paths


# ---------------------------------------------------------------- strategies for the other inputs

optional_ids = st.none() | identifiers
customer_queries = st.builds(
    CustomerQuery,
    home_store_id=st.none() | st.sampled_from(STORES),
    tier=optional_ids,
    created_from=st.none() | real_datetimes(),
    created_to=st.none() | real_datetimes(),
)


@st.composite
def interaction_queries(draw: st.DrawFn) -> InteractionQuery:
    start, end = draw(st.none() | real_datetimes()), draw(st.none() | real_datetimes())
    if start is not None and end is not None and end.astimezone(UTC) < start.astimezone(UTC):
        start, end = end, start
    return InteractionQuery(
        start=start,
        end=end,
        store_id=draw(st.none() | st.sampled_from(STORES)),
        channel=draw(st.none() | st.sampled_from(Channel)),
        customer_id=draw(optional_ids),
        status=draw(st.none() | st.sampled_from(InteractionStatus)),
    )


_items = st.sampled_from(range(1, 23))
_scores = st.dictionaries(_items, st.integers(1, 7), max_size=22)


@st.composite
def servqual_responses(draw: st.DrawFn) -> ServqualResponse:
    weights = None
    if draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)))
        points = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        weights = dict(zip(SERVQUAL_DIMENSIONS, points, strict=True))
    return ServqualResponse(draw(_scores), draw(_scores), weights=weights)


INSTANCES: dict[type, st.SearchStrategy[Any]] = {
    Customer: customers(),
    ServiceInteraction: interactions(customer_ids=optional_ids),
    InteractionQuery: interaction_queries(),
    CustomerQuery: customer_queries,
    BusinessCalendar: calendars(countries=COUNTRIES),
    ServqualResponse: servqual_responses(),
    Competency: training_records(Competency),
    RoleRequirement: training_records(RoleRequirement),
    TrainingProgramme: training_records(TrainingProgramme),
    AwardScheme: award_schemes(),
}


# ---------------------------------------------------------------- (d) the schemas themselves


@pytest.mark.parametrize("cls", INPUTS + RESULTS, ids=lambda cls: cls.__name__)
def test_schema_is_valid_draft_2020_12(cls: type) -> None:
    schema = json_schema(cls)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == cls.__name__
    assert schema["description"] == (cls.__doc__ or "").strip().splitlines()[0].replace("``", "")
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    json.dumps(schema, allow_nan=False)  # plain JSON, nothing Python-only


@pytest.mark.parametrize("cls", INPUTS, ids=lambda cls: cls.__name__)
def test_properties_follow_the_fields_in_order(cls: type) -> None:
    schema = json_schema(cls)
    if cls is BusinessCalendar:  # read by a hook of its own, in the order of its attributes
        names = [field.name for field in attrs.fields(cls) if not field.name.startswith("_")]
    else:
        names = [field.alias or field.name for field in attrs.fields(cls) if field.init]
    assert list(schema["properties"]) == names
    for name in schema["required"]:
        assert name in schema["properties"]
        assert "default" not in schema["properties"][name]


def test_required_fields_are_those_without_a_default() -> None:
    assert json_schema(Customer)["required"] == ["id", "created_at"]
    assert json_schema(ServiceInteraction)["required"] == [
        "id",
        "store_id",
        "channel",
        "occurred_at",
    ]
    assert json_schema(InteractionQuery)["required"] == []
    assert json_schema(ServqualResponse)["required"] == ["expectations", "perceptions"]
    assert json_schema(BusinessCalendar)["required"] == ["timezone", "hours"]


def test_personal_fields_are_marked() -> None:
    for cls in (Customer, ServiceInteraction):
        properties = json_schema(cls)["properties"]
        marked = {name for name, schema in properties.items() if schema.get("x-personal")}
        personal = {field.name for field in attrs.fields(cls) if field.metadata.get("personal")}
        assert marked == personal != set()


def test_field_descriptions_come_from_the_docstring() -> None:
    properties = json_schema(Customer)["properties"]
    assert properties["id"]["description"] == "the customer's identifier, unique in the store."
    assert properties["tier"]["description"] == 'the loyalty tier, such as "standard" or "vip".'
    assert json_schema(ServiceInteraction)["properties"]["status"]["default"] == "open"


def test_nested_records_are_defs_referred_to_by_ref() -> None:
    schema = json_schema(ComparisonResult)
    assert schema["properties"]["interval"]["anyOf"] == [
        {"$ref": "#/$defs/Interval"},
        {"type": "null"},
    ]
    assert schema["$defs"]["Interval"]["required"] == ["low", "high", "confidence"]
    assert json_schema(ServqualResult)["properties"]["dimensions"]["additionalProperties"] == {
        "$ref": "#/$defs/DimensionScore"
    }


def test_a_record_that_contains_itself_refers_to_the_root() -> None:
    @attrs.frozen
    class Node:
        """A tree."""

        children: tuple[Node, ...] = ()

    schema = json_schema(Node)
    assert schema["properties"]["children"]["items"] == {"$ref": "#"}
    assert validator(Node).is_valid({"children": [{"children": [{}]}]})
    assert not validator(Node).is_valid({"children": [{"leaves": []}]})


def test_each_call_returns_a_fresh_copy() -> None:
    first = json_schema(Customer)
    first["properties"]["id"]["maxLength"] = 1
    first["required"].clear()
    second = json_schema(Customer)
    assert second["properties"]["id"]["maxLength"] == 200
    assert second["required"] == ["id", "created_at"]
    assert second is not json_schema(Customer)
    assert second == json_schema(Customer)


# ---------------------------------------------------------------- (e) what it cannot describe


@pytest.mark.parametrize(
    "cls", [3, None, "Customer", int, dict, list[Customer], Channel, Customer | None, Problems]
)
def test_a_non_record_is_a_validation_error(cls: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        json_schema(cls)
    assert [(p.path, p.code) for p in caught.value.problems] == [("$", "type")]


def test_unsupported_field_types_are_each_reported() -> None:
    @attrs.frozen
    class Odd:
        """Fields the converter has no plain JSON for."""

        fine: int
        either: int | str
        anything: object
        keyed: Mapping[float, int]
        call: Callable[[], int]
        pair: tuple[int, int]

    with pytest.raises(ValidationError) as caught:
        json_schema(Odd)
    assert [problem.path for problem in caught.value.problems] == [
        "$.either",
        "$.anything",
        "$.keyed",
        "$.call",
        "$.pair",
    ]
    assert all("JSON Schema cannot describe" in str(p) for p in caught.value.problems)


@attrs.frozen
class Loose:
    """Fields of bare container types."""

    tags: list = attrs.field(factory=list)  # type: ignore[type-arg]
    extra: dict = attrs.field(factory=dict)  # type: ignore[type-arg]


def test_bare_containers_are_arrays_and_objects_of_anything() -> None:
    properties = json_schema(Loose)["properties"]
    assert properties["tags"] == {"type": "array", "items": {}, "default": []}
    assert properties["extra"] == {"type": "object", "default": {}}
    assert validator(Loose).is_valid(wire(Loose(["a", 1], {"k": [None]})))


@pytest.mark.parametrize("name", ["holiday_subdivision", "holiday_categories"])
def test_a_calendar_needs_a_country_for_a_subdivision_or_categories(name: str) -> None:
    value = "ENG" if name == "holiday_subdivision" else ["public"]
    payload = {"timezone": "Europe/London", "hours": {}, name: value}
    assert schema_errors(payload, BusinessCalendar) != []
    assert assert_paths_line_up(payload, BusinessCalendar) == ["$.holiday_country"]
    with_country = {**payload, "holiday_country": "GB"}
    assert schema_errors(with_country, BusinessCalendar) == []
    structure(with_country, BusinessCalendar)


# ---------------------------------------------------------------- (a) what the converter writes


@pytest.mark.parametrize("cls", INPUTS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_what_the_converter_writes_validates(cls: type, data: st.DataObject) -> None:
    instance = data.draw(INSTANCES[cls])
    payload = wire(instance)
    assert schema_errors(payload, cls) == []
    assert structure(payload, cls) == instance


@given(
    scores=st.lists(st.integers(0, 10), min_size=1, max_size=30),
    other=st.lists(st.integers(0, 10), min_size=1, max_size=30),
    ratings=st.lists(st.integers(1, 5), min_size=1, max_size=30),
    responses=st.lists(servqual_responses(), min_size=1, max_size=4),
)
def test_results_validate(
    scores: list[int], other: list[int], ratings: list[int], responses: list[ServqualResponse]
) -> None:
    full = dict.fromkeys(range(1, 23), 4)
    answered = [*responses, ServqualResponse(full, full)]
    found: list[object] = [
        nps(scores),
        nps(scores, method="adjusted_wald"),
        compare_nps(scores, [*other, 0, 10]),  # a sample that varies
        csat(ratings),
        servqual(answered),
        servperf(answered),
    ]
    for result in found:
        assert schema_errors(wire(result), type(result)) == [], type(result).__name__


def test_staffing_plans_and_summaries_validate() -> None:
    plan = staffing(
        calls=120,
        interval=timedelta(minutes=30),
        aht=timedelta(minutes=4, seconds=30),
        answer_within=timedelta(seconds=20),
        service_level=0.8,
    )
    assert schema_errors(wire(plan), StaffingPlan) == []
    summary = InteractionSummary(
        period=None,
        store_id="S1",
        channel=Channel.FAX,
        count=3,
        handled=1,
        handle_time=timedelta(0),
    )
    assert schema_errors(wire(summary), InteractionSummary) == []


LONDON, KOLKATA, ADELAIDE = (
    ZoneInfo(k) for k in ("Europe/London", "Asia/Kolkata", "Australia/Adelaide")
)
_EDGE_DATETIMES = [
    datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),  # the repeated hour, first time
    datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),  # and second time
    datetime(2026, 11, 22, 9, 30, 0, 123456, tzinfo=KOLKATA),  # a half-hour offset
    datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=ADELAIDE),  # half-hour, repeated hour
    datetime(1800, 1, 1, tzinfo=LONDON),  # local mean time: an offset in seconds
    MIN_INSTANT,
    MAX_INSTANT,
    MIN_INSTANT.astimezone(KOLKATA),
    MAX_INSTANT.astimezone(ZoneInfo("America/St_Johns")),
]


@pytest.mark.parametrize("moment", _EDGE_DATETIMES, ids=format_datetime)
def test_datetimes_at_the_edges_validate(moment: datetime) -> None:
    payload = wire(Customer(id="C-1", name="Ho", created_at=moment))
    assert payload["created_at"] == format_datetime(moment)
    assert schema_errors(payload, Customer) == []
    assert structure(payload, Customer).created_at == moment


def test_the_zone_suffix_and_offset_seconds_are_not_rfc_3339() -> None:
    # Why the schema has a pattern and no "format": "date-time".
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
    assert not rfc3339.match(format_datetime(datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)))
    assert not rfc3339.match(format_datetime(datetime(1800, 1, 1, tzinfo=LONDON)))
    assert "format" not in json_schema(Customer)["properties"]["created_at"]


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-29T01:30:00+00:00[Europe/London]",  # a wall time the clocks skip
        "2026-10-25T01:30:00+02:00[Europe/London]",  # an offset London never has then
        "2026-02-30T09:00:00+08:00",  # no such date
        "2026-11-22T09:30:00+05:30[Mars/Olympus]",  # no such zone
        "0001-01-01T12:00:00+00:00",  # before the supported range
    ],
)
def test_what_the_schema_cannot_see_the_converter_refuses(text: str) -> None:
    payload = {"id": "C-1", "name": "Ho", "created_at": text}
    assert schema_errors(payload, Customer) == []
    assert assert_paths_line_up(payload, Customer) == ["$.created_at"]


# ---------------------------------------------------------------- (b) what the converter refuses

_NOW = "2026-11-22T09:30:00+08:00[Asia/Hong_Kong]"
VALID: dict[type, dict[str, Any]] = {
    Customer: {
        "id": "C-1",
        "name": "Chan",
        "contacts": [{"kind": "email", "value": "c@example.com"}],
        "preferred_language": "zh-Hant-HK",
        "date_of_birth": "1990-02-28",
        "created_at": _NOW,
    },
    ServiceInteraction: {
        "id": "I-1",
        "store_id": "HK-CWB",
        "channel": "hotline",
        "occurred_at": _NOW,
        "needs": ["refund"],
        "handle_time": 360,
    },
    InteractionQuery: {"start": _NOW, "channel": "email", "status": "open"},
    CustomerQuery: {"tier": "vip", "created_from": _NOW},
    BusinessCalendar: {
        "timezone": "Asia/Hong_Kong",
        "hours": {"mon": [["09:00", "18:00"]], "sat": [["22:00", "24:00"]]},
        "holidays": ["2026-12-25"],
        "special_hours": {"2026-12-24": [["09:00", "14:00"]]},
        "holiday_country": "HK",
    },
    ServqualResponse: {
        "expectations": {"1": 7, "22": 6},
        "perceptions": {"1": 5},
        "weights": {"tangibles": 60, "empathy": 40},
    },
    Competency: {
        "id": "handling_complaints",
        "name": "Handling complaints",
        "levels": ["records the complaint", "resolves routine complaints"],
        "units": ["111329L2"],
    },
    RoleRequirement: {"id": "R-1", "role": "cashier", "competency_id": "privacy_law", "level": 2},
    TrainingProgramme: {
        "id": "P-1",
        "name": "Complaints",
        "trains": {"handling_complaints": 3},
        "audience": ["cashier"],
        "duration": 21600,
    },
    AwardScheme: {
        "id": "csat-agents",
        "name": "Agent of the quarter",
        "level": "staff",
        "period": "quarter",
        "indicator_id": "csat",
        "direction": "higher",
        "eligibility": {
            "id": "e",
            "rules": [
                {
                    "id": "min_n",
                    "description": "At least 30 surveys.",
                    "when": {
                        "kind": "not",
                        "condition": {"kind": "compare", "field": "n", "op": "ge", "value": 30},
                    },
                }
            ],
        },
        "method": "shrunken",
        "tie_breaks": [{"by": "n"}, {"by": "indicator", "indicator_id": "nps"}],
    },
}

_DROP = object()
MUTATIONS: list[tuple[type, str, Any, list[str]]] = [
    # (class, field, new value or _DROP, the problem paths the converter reports)
    (Customer, "id", 5, ["$.id"]),
    (Customer, "id", "", ["$.id"]),
    (Customer, "id", " C-1", ["$.id"]),
    (Customer, "id", "C-1\n", ["$.id"]),
    (Customer, "id", "C" * 201, ["$.id"]),
    (Customer, "id", None, ["$.id"]),
    (Customer, "name", ["Chan"], ["$.name"]),
    (Customer, "nickname", "Tai", ["$.nickname"]),
    (Customer, "email", "c@example.com", ["$.email"]),
    (Customer, "contacts", "c@example.com", ["$.contacts"]),
    (Customer, "contacts", [{"kind": "name", "value": "Chan"}], ["$.contacts[0].kind"]),
    (Customer, "contacts", [{"kind": "fax", "value": " "}], ["$.contacts[0].value"]),
    (Customer, "contacts", [{"kind": "fax", "value": 25550101}], ["$.contacts[0].value"]),
    (Customer, "contacts", [{"kind": "fax"}], ["$.contacts[0].value"]),
    (Customer, "preferred_language", "english", ["$.preferred_language"]),
    (Customer, "preferred_channel", "pigeon", ["$.preferred_channel"]),
    (Customer, "join_method", "walk_in", ["$.join_method"]),
    (Customer, "date_of_birth", "28/02/1990", ["$.date_of_birth"]),
    (Customer, "tier_joined_on", 2020, ["$.tier_joined_on"]),
    (Customer, "preferences", ["skincare", " tea"], ["$.preferences[1]"]),
    (Customer, "erased_at", "2026-11-22", ["$.erased_at"]),
    (Customer, "home_store_id", " HK", ["$.home_store_id"]),
    (Customer, "tier", "", ["$.tier"]),
    (Customer, "created_at", "2026-11-22T09:30:00", ["$.created_at"]),
    (Customer, "created_at", 1_764_000_000, ["$.created_at"]),
    (Customer, "created_at", "yesterday", ["$.created_at"]),
    (Customer, "created_at", _DROP, ["$.created_at"]),
    (Customer, "version", 0, ["$.version"]),
    (Customer, "version", 2**53, ["$.version"]),
    (Customer, "version", True, ["$.version"]),
    (Customer, "version", 1.5, ["$.version"]),
    (ServiceInteraction, "channel", "pigeon", ["$.channel"]),
    (ServiceInteraction, "channel", _DROP, ["$.channel"]),
    (ServiceInteraction, "status", "closed", ["$.status"]),
    (ServiceInteraction, "handle_time", -1, ["$.handle_time"]),
    (ServiceInteraction, "handle_time", 366 * 86_400 + 1, ["$.handle_time"]),
    (ServiceInteraction, "handle_time", "PT6M", ["$.handle_time"]),
    (ServiceInteraction, "needs", "refund", ["$.needs"]),
    (ServiceInteraction, "needs", ["refund", 7], ["$.needs[1]"]),
    (ServiceInteraction, "store_id", "x" * 201, ["$.store_id"]),
    (ServiceInteraction, "agent_id", "", ["$.agent_id"]),
    (ServiceInteraction, "subject", None, ["$.subject"]),
    (ServiceInteraction, "colour", "red", ["$.colour"]),
    (InteractionQuery, "channel", "pigeon", ["$.channel"]),
    (InteractionQuery, "status", 1, ["$.status"]),
    (InteractionQuery, "start", "2026-11-22", ["$.start"]),
    (InteractionQuery, "store_id", " S1 ", ["$.store_id"]),
    (InteractionQuery, "limit", 10, ["$.limit"]),
    (CustomerQuery, "tier", "", ["$.tier"]),
    (CustomerQuery, "created_from", 5, ["$.created_from"]),
    (CustomerQuery, "name", "Chan", ["$.name"]),
    (BusinessCalendar, "timezone", _DROP, ["$.timezone"]),
    (BusinessCalendar, "timezone", 8, ["$.timezone"]),
    (BusinessCalendar, "hours", {"funday": []}, ["$.hours.funday"]),
    (BusinessCalendar, "hours", {"mon": [["9am", "18:00"]]}, ["$.hours.mon[0][0]"]),
    (BusinessCalendar, "hours", {"mon": [["24:00", "18:00"]]}, ["$.hours.mon[0][0]"]),
    (BusinessCalendar, "hours", {"mon": [["09:00"]]}, ["$.hours.mon[0]"]),
    (BusinessCalendar, "hours", {"mon": "09:00-18:00"}, ["$.hours.mon"]),
    (BusinessCalendar, "hours", [], ["$.hours"]),
    (BusinessCalendar, "holidays", ["2026-02-30"], ["$.holidays[0]"]),
    (BusinessCalendar, "holidays", "2026-12-25", ["$.holidays"]),
    (BusinessCalendar, "special_hours", {"christmas": []}, ["$.special_hours.christmas"]),
    (BusinessCalendar, "holiday_country", "XX", ["$.holiday_country"]),
    (BusinessCalendar, "holiday_categories", "public", ["$.holiday_categories"]),
    (BusinessCalendar, "colour", "red", ["$.colour"]),
    (ServqualResponse, "expectations", {"23": 5}, ["$.expectations['23']"]),
    (ServqualResponse, "expectations", {"1": 0}, ["$.expectations['1']"]),
    (ServqualResponse, "expectations", {"one": 5}, ["$.expectations.one"]),
    (ServqualResponse, "expectations", [7, 6], ["$.expectations"]),
    (ServqualResponse, "perceptions", _DROP, ["$.perceptions"]),
    (ServqualResponse, "weights", {"tangibles": 100, "charm": 0}, ["$.weights.charm"]),
    (ServqualResponse, "weights", {"tangibles": 110, "empathy": -10}, ["$.weights.empathy"]),
    (ServqualResponse, "respondent", "R-1", ["$.respondent"]),
]


def _mutated(cls: type, name: str, value: Any) -> dict[str, Any]:
    payload = copy.deepcopy(VALID[cls])
    if value is _DROP:
        payload.pop(name, None)
    else:
        payload[name] = value
    return payload


@pytest.mark.parametrize("cls", INPUTS, ids=lambda cls: cls.__name__)
def test_the_valid_payloads_are_valid(cls: type) -> None:
    assert schema_errors(VALID[cls], cls) == []
    structure(VALID[cls], cls)


@pytest.mark.parametrize(
    ("cls", "name", "value", "paths"),
    MUTATIONS,
    ids=[f"{cls.__name__}.{name}={value!r:.20}" for cls, name, value, _ in MUTATIONS],
)
def test_what_the_converter_refuses_the_schema_refuses(
    cls: type, name: str, value: Any, paths: list[str]
) -> None:
    payload = _mutated(cls, name, value)
    assert assert_paths_line_up(payload, cls) == paths  # (c) as well
    assert schema_errors(payload, cls) != []


def _json_types(schema: dict[str, Any]) -> set[str]:
    kinds = schema.get("type", [])
    found = {kinds} if isinstance(kinds, str) else set(kinds)
    return found | ({"integer"} if "number" in found else set())


_OF_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.integers(-(2**60), 2**60),
    "number": st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
    "string": st.text(max_size=12) | st.integers().map(str),  # "3" is not an integer either
    "array": st.lists(st.integers(), max_size=3),
    "object": st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
}


@pytest.mark.parametrize("cls", INPUTS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_a_value_of_another_json_type_is_refused_by_both(cls: type, data: st.DataObject) -> None:
    properties = json_schema(cls)["properties"]
    name = data.draw(st.sampled_from(sorted(properties)))
    allowed = _json_types(properties[name])
    assume(allowed)
    others = [kind for kind in _OF_TYPE if kind not in allowed]
    assume(others)
    value = data.draw(st.sampled_from(others).flatmap(_OF_TYPE.__getitem__))
    payload = _mutated(cls, name, value)
    assert schema_errors(payload, cls) != []
    paths = assert_paths_line_up(payload, cls)
    assert any(path == f"$.{name}" or path.startswith(f"$.{name}") for path in paths)


@pytest.mark.parametrize("cls", INPUTS, ids=lambda cls: cls.__name__)
@given(name=st.text(min_size=1, max_size=12))
def test_an_unknown_field_is_refused_by_both(cls: type, name: str) -> None:
    assume(name not in json_schema(cls)["properties"])
    payload = {**VALID[cls], name: 1}
    assert schema_errors(payload, cls) != []
    assert_paths_line_up(payload, cls)


# Every character str.strip removes, and some that one regex dialect or another calls a space.
_WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).strip() == "")
_NEAR_SPACES = "\ufeff\u200b\u180e\u2060\x00\x7f"
_edge_spaces = st.sampled_from(_WHITESPACE + _NEAR_SPACES)
_any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
id_candidates = (
    _any_text
    | st.builds("{}{}{}".format, _edge_spaces | st.just(""), texts, _edge_spaces | st.just(""))
    | st.integers(195, 205).map(lambda n: "x" * n)
    | st.builds("{}{}".format, st.integers(195, 205).map("x".__mul__), _edge_spaces)
)


@given(value=id_candidates)
def test_identifier_rule_matches_check_id(value: str) -> None:
    problems = Problems()
    check_id(value, "$.id", problems)
    ok = not problems
    assert validator(Customer).is_valid({**VALID[Customer], "id": value}) is ok
    try:
        structure({**VALID[Customer], "id": value}, Customer)
    except ValidationError:
        assert not ok
    else:
        assert ok


_email_like = st.text(st.sampled_from("@@a.\n \u3000"), max_size=8)


@given(
    value=_any_text
    | _email_like
    | st.builds("{}@{}".format, _any_text, _any_text)
    | st.builds("{}{}{}".format, _email_like, _any_text, _email_like)
)
def test_contact_rule_admits_what_the_customer_admits(value: str) -> None:
    for kind in ("email", "mobile_number", "fax", "postal_address", "social_handle"):
        payload = {**VALID[Customer], "contacts": [{"kind": kind, "value": value}]}
        ok = converter_accepts(payload, Customer)
        if kind in ("postal_address", "social_handle"):  # the same rule: non-blank text
            assert validator(Customer).is_valid(payload) is ok
        elif ok:  # the schema cannot tell the kinds apart: it asks only for non-blank text
            assert validator(Customer).is_valid(payload)


@given(
    value=st.integers(-(2**55), 2**55)
    | st.sampled_from([0, 1, 2**53 - 1, 2**53])
    | st.integers(-3, 3).map(lambda n: 2**53 + n)
)
def test_version_rule_matches_check_version(value: int) -> None:
    problems = Problems()
    check_version(value, problems)
    assert validator(Customer).is_valid({**VALID[Customer], "version": value}) is (not problems)


_LAST_SECOND = int(MAX_DURATION.total_seconds())


@given(
    seconds=st.integers(-10, _LAST_SECOND + 10)
    | st.integers(-3, 3).map(lambda n: _LAST_SECOND + n)
    | st.floats(-1e9, 1e9).filter(lambda x: abs(x - _LAST_SECOND) > 1 and abs(x) > 1e-3)
)
def test_duration_rule_matches_check_duration(seconds: float) -> None:
    problems = Problems()
    check_duration(timedelta(seconds=seconds), "$.handle_time", problems)
    payload = {**VALID[ServiceInteraction], "handle_time": seconds}
    assert validator(ServiceInteraction).is_valid(payload) is (not problems)


@given(value=st.text(max_size=16) | st.sampled_from([c.value for c in Channel]))
def test_enum_rule_matches_the_converter(value: str) -> None:
    payload = {**VALID[ServiceInteraction], "channel": value}
    ok = converter_accepts(payload, ServiceInteraction)
    assert validator(ServiceInteraction).is_valid(payload) is ok


@given(moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_naive_datetimes_are_refused_by_both(moment: datetime) -> None:
    payload = {**VALID[Customer], "created_at": moment.isoformat()}
    assert not validator(Customer).is_valid(payload)
    assert assert_paths_line_up(payload, Customer) == ["$.created_at"]


@given(
    item=st.integers(-5, 30).map(str)
    | st.text(max_size=3)
    | st.builds("{}{}".format, st.sampled_from(["0", "+", "-0", " "]), st.integers(0, 30)),
    score=st.integers(-2, 9),
)
def test_servqual_items_and_scores_match_the_converter(item: str, score: int) -> None:
    payload = {"expectations": {item: score}, "perceptions": {}}
    ok = converter_accepts(payload, ServqualResponse)
    assert validator(ServqualResponse).is_valid(payload) is ok


# ---------------------------------------------------------------- (c) paths of random payloads

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("cls", INPUTS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_problem_paths_of_random_values_lead_into_the_schema(
    cls: type, data: st.DataObject
) -> None:
    names = sorted(json_schema(cls)["properties"])
    changes = data.draw(st.dictionaries(st.sampled_from(names), json_values, min_size=1))
    payload = {**VALID[cls], **changes}
    try:
        structure(payload, cls)
    except ValidationError:
        assert_paths_line_up(payload, cls)


# ---------------------------------------------------------------- (f) patterns in every dialect


def _public_record_classes() -> list[type]:
    """Every attrs class the library's public modules export, once each."""
    found: dict[type, None] = {}
    for info in pkgutil.walk_packages(rsq.__path__, "retail_service_quality."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if isinstance(value, type) and attrs.has(value):
                found[value] = None
    return list(found)


PUBLIC_RECORDS = _public_record_classes()


_CONDITIONS = ("if", "then", "else", "not")


def _subschemas(schema: Any, *, conditions: bool = True) -> list[dict[str, Any]]:
    """Every object in a schema, at any depth; without ``conditions``, not those of ``if``..."""
    if isinstance(schema, dict):
        inner = (v for k, v in schema.items() if conditions or k not in _CONDITIONS)
        return [schema, *(s for v in inner for s in _subschemas(v, conditions=conditions))]
    if isinstance(schema, list):
        return [s for v in schema for s in _subschemas(v, conditions=conditions)]
    return []


def _patterns() -> list[str]:
    """Every pattern of every public schema, and the one for integer keys."""
    found = {INTEGER_KEY} | {
        sub["pattern"]
        for cls in PUBLIC_RECORDS
        for sub in _subschemas(json_schema(cls))
        if isinstance(sub.get("pattern"), str)
    }
    return sorted(found)


def test_the_space_class_is_exactly_what_strip_removes() -> None:
    space = re.compile("[" + SPACES + "]")
    matched = "".join(chr(code) for code in range(0x110000) if space.fullmatch(chr(code)))
    assert matched == _WHITESPACE
    assert "\ufeff" not in matched
    assert {"\x1f", "\x85", "\u3000"} <= set(matched)
    assert ID_PATTERN.count("[^" + SPACES + "]") == 2


def _dialect_dependent(pattern: str) -> list[str]:
    """What a pattern uses that Python and JavaScript read differently."""
    found, inside, position = [], False, 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            escape = pattern[position + 1]
            if escape in "sSdDwWbBZAz":
                found.append("\\" + escape)
            position += 2
            continue
        if inside:
            inside = char != "]"
        elif char == "[":
            inside = True
            position += pattern[position + 1 : position + 2] == "^"  # [^] is no class in Python
            if pattern[position + 1 : position + 2] == "]":
                position += 1  # a leading ] is a character, in Python only
                found.append("[]")
        elif char in ".$":
            found.append(char)
        position += 1
    return found


def test_dialect_dependent_syntax_is_spotted() -> None:
    assert _dialect_dependent(r"^\S+\d$") == ["\\S", "\\d", "$"]
    assert _dialect_dependent(r"a.b\.c[.$]") == ["."]
    assert _dialect_dependent(ID_PATTERN) == []


@pytest.mark.parametrize("pattern", _patterns())
def test_patterns_avoid_what_dialects_read_differently(pattern: str) -> None:
    assert _dialect_dependent(pattern) == []
    assert pattern.startswith("^")
    assert pattern.endswith(END)


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("^a$", "^a" + END),
        ("^a\\$", "^a\\$"),  # an escaped dollar sign is a character
        ("^a\\\\$", "^a\\\\" + END),  # an escaped backslash, then the end
        ("^a", "^a"),
    ],
)
def test_a_pattern_given_to_schema_ends_portably(given: str, written: str) -> None:
    keywords = schema(pattern=given, propertyNames={"pattern": given})["schema"]
    assert keywords == {"pattern": written, "propertyNames": {"pattern": written}}


_EDGE_CHARACTERS = _WHITESPACE + _NEAR_SPACES + "\x1f\u00ad\U0001d4b3\U0001f600\u0300"
_EDGE_STRINGS = sorted(
    {
        "",
        "I",
        "x" * 200,
        *(f"{c}I" for c in _EDGE_CHARACTERS),
        *(f"I{c}" for c in _EDGE_CHARACTERS),
        *(f"I{c}J" for c in _EDGE_CHARACTERS),
        *_EDGE_CHARACTERS,
        *("0", "7", "22", "23", "01", "+1", "-0", "-1", "1\n", "1_0", " 1", "1e3", "٣"),
        *("a@b", "@a@", "a@", "@a", "@@", "a@@b", "a\n@b", "@a@b@", "a@b\n", "@\n@", "\n"),
        *("2026-12-24", "2026-12-24\n", "2026-1-2", "09:00", "24:00", "09:00\n", "9:00"),
        "2026-10-25T01:30:00+01:00[Europe/London]",
        "2026-10-25T01:30:00+01:00[Europe/London]\n",
        "1800-01-01T00:00:00-00:01:15[Europe/London]",
        "2026-11-22T09:30:00.123456+05:30",
        "2026-11-22t09:30:00Z",
        "2026-11-22T09:30:00+05:30[Asia/Kolkata][u-ca=gregory]",
        "\uff12\uff10\uff12\uff16-11-22T09:30:00Z",  # full-width digits
    }
)

# Matches each pattern against each string as a browser's validator does: RegExp with "u".
_NODE_SCRIPT = """
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const rows = input.patterns.map((p) => {
  const re = new RegExp(p, "u");
  return input.strings.map((s) => re.test(s));
});
process.stdout.write(JSON.stringify(rows));
"""


def _javascript_matches(patterns: list[str], strings: list[str]) -> list[list[bool]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: JavaScript's reading of the patterns is not checked")
    done = subprocess.run(
        [node, "-e", _NODE_SCRIPT],
        input=json.dumps({"patterns": patterns, "strings": strings}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    result: list[list[bool]] = json.loads(done.stdout)
    return result


def _python_matches(patterns: list[str], strings: list[str]) -> list[list[bool]]:
    # As the jsonschema package applies "pattern": re.search.
    return [[re.search(p, s) is not None for s in strings] for p in patterns]


def _disagreements(patterns: list[str], strings: list[str]) -> list[tuple[str, str]]:
    javascript = _javascript_matches(patterns, strings)
    python = _python_matches(patterns, strings)
    return [
        (pattern, string)
        for pattern, js_row, py_row in zip(patterns, javascript, python, strict=True)
        for string, js, py in zip(strings, js_row, py_row, strict=True)
        if js != py
    ]


def test_patterns_match_alike_in_python_and_javascript() -> None:
    patterns = _patterns()
    assert ID_PATTERN in patterns
    assert EMAIL["schema"]["pattern"] in patterns
    assert _disagreements(patterns, _EDGE_STRINGS) == []


def test_the_javascript_check_finds_a_difference() -> None:
    # \s: "\ufeff" is a space to JavaScript only, "\x1f" and "\x85" to Python only.
    assert _disagreements([r"^\S+$"], ["I\ufeff", "I\x1f", "I\x85", "I"]) == [
        (r"^\S+$", "I\ufeff"),
        (r"^\S+$", "I\x1f"),
        (r"^\S+$", "I\x85"),
    ]
    assert _disagreements(["^I$"], ["I\n", "I"]) == [("^I$", "I\n")]


@settings(max_examples=10, deadline=None)
@given(
    strings=st.lists(
        st.text(st.sampled_from(_EDGE_CHARACTERS + "@0123456789-:+TZ[]/aI"), max_size=8)
        | st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
        min_size=1,
        max_size=60,
    )
)
def test_patterns_match_alike_on_random_text(strings: list[str]) -> None:
    assert _disagreements(_patterns(), strings) == []


# Integers written as text, canonically or not.
integer_texts = (
    st.integers(-(10**301), 10**301).map(str)
    | st.text(st.sampled_from("+-0123456789 \n_"), max_size=6)
    | st.builds("{}{}".format, st.sampled_from(["0", "00", "+", "-0", "-", " "]), st.integers(0))
)


@given(value=integer_texts)
def test_the_integer_key_pattern_admits_exactly_canonical_integers(value: str) -> None:
    canonical = bool(re.fullmatch(r"-?[0-9]+", value)) and str(int(value)) == value
    short = len(value.removeprefix("-")) <= 300
    assert (re.search(INTEGER_KEY, value) is not None) is (canonical and short)


# ---------------------------------------------------------------- (g) descriptions


def _class_id(cls: type) -> str:
    return cls.__name__


@pytest.mark.parametrize("cls", PUBLIC_RECORDS, ids=_class_id)
def test_every_property_has_a_description(cls: type) -> None:
    undescribed = [
        name
        for sub in _subschemas(json_schema(cls), conditions=False)
        for name, prop in sub.get("properties", {}).items()
        if not (isinstance(prop, dict) and isinstance(prop.get("description"), str))
        or not prop["description"].strip()
    ]
    assert undescribed == []


def test_the_public_records_are_all_walked() -> None:
    assert {cls.__name__ for cls in INPUTS + RESULTS} < {cls.__name__ for cls in PUBLIC_RECORDS}
    assert {"OpenInterval", "ReliabilityResult", "Problem"} <= {c.__name__ for c in PUBLIC_RECORDS}


@pytest.mark.parametrize("cls", PUBLIC_RECORDS, ids=_class_id)
def test_durations_say_their_unit(cls: type) -> None:
    if cls in (BusinessCalendar, Problem):
        return  # no durations
    schema = json_schema(cls)
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        if not field.init:
            continue
        description = schema["properties"][field.alias or field.name].get("description", "")
        holds_durations = "timedelta" in str(hints[field.name])
        assert description.endswith(" (seconds)") is holds_durations, field.name
        assert "(seconds) (seconds)" not in description


@attrs.frozen
class Timed:
    """Fields of durations.

    Attributes:
        wait: how long a call waited.
        pauses: each pause in the call, if recorded.
        label: not a duration.
        talk: time on the line (seconds).
    """

    wait: timedelta
    pauses: list[timedelta] | None = None
    label: str = ""
    talk: Mapping[str, timedelta] = attrs.field(factory=dict)
    spare: timedelta = timedelta(0)


def test_the_unit_of_a_duration_comes_from_its_type() -> None:
    properties = json_schema(Timed)["properties"]
    assert properties["wait"]["description"] == "how long a call waited (seconds)"
    assert properties["pauses"]["description"] == "each pause in the call, if recorded (seconds)"
    assert properties["label"]["description"] == "not a duration."
    assert properties["talk"]["description"] == "time on the line (seconds)"  # said once
    assert properties["spare"] == {
        "description": "a duration (seconds)",
        "type": "number",
        "minimum": -int(timedelta.max.total_seconds()),
        "maximum": int(timedelta.max.total_seconds()),
        "default": 0,
    }
    assert next(iter(properties["wait"])) == "description"


def test_descriptions_come_from_the_attributes_sections() -> None:
    assert json_schema(NpsResult)["properties"]["passives"]["description"] == (
        "how many responses were 7 or 8."
    )
    assert json_schema(StaffingPlan)["properties"]["answer_within"]["description"] == (
        "the answer time that service_level is measured against (seconds)"
    )
    interval = json_schema(ComparisonResult)["$defs"]["Interval"]["properties"]
    assert interval["confidence"]["description"].startswith("the confidence level")


# ---------------------------------------------------------------- (h) the managed version


@pytest.mark.parametrize("cls", PUBLIC_RECORDS, ids=_class_id)
def test_only_the_version_is_managed(cls: type) -> None:
    properties = json_schema(cls)["properties"]
    managed = [name for name, prop in properties.items() if prop.get(MANAGED)]
    has_version = "version" in properties and cls.__name__ in (
        "Customer",
        "ServiceInteraction",
        "PrivacyRequest",
        "LegalHold",
        "Complaint",
        "ServicePledge",
        "SurveyResponse",
        "ReviewCycle",
        "ControlledDocument",
        "Competency",
        "RoleRequirement",
        "StaffCompetence",
        "TrainingProgramme",
        "TrainingSession",
        "Attendance",
        "ImprovementAction",
        "AwardScheme",
        "AwardResult",
    )
    assert managed == (["version"] if has_version else [])


@pytest.mark.parametrize("cls", [Customer, ServiceInteraction], ids=_class_id)
def test_the_version_is_managed_and_sent_back(cls: type) -> None:
    version = json_schema(cls)["properties"]["version"]
    assert version["x-managed"] is True
    assert "readOnly" not in version  # a save sends it back
    assert "managed by storage" in version["description"]
    assert "optimistic concurrency" in version["description"]
    assert version["type"] == "integer"
    assert version["default"] == 1
    payload = {**VALID[cls], "version": 7}
    assert schema_errors(payload, cls) == []
    assert structure(payload, cls).version == 7


# ------------------------------------------------------------ (i) integers: numbers, canonical keys


@pytest.mark.parametrize(
    ("cls", "name", "value", "path"),
    [
        (Customer, "version", "2", "$.version"),
        (ServiceInteraction, "version", "3", "$.version"),
        (ServqualResponse, "expectations", {"1": "5"}, "$.expectations['1']"),
        (ServqualResponse, "perceptions", {"22": "7"}, "$.perceptions['22']"),
    ],
    ids=["Customer.version", "ServiceInteraction.version", "expectations", "perceptions"],
)
def test_an_integer_as_text_is_refused_by_both(cls: type, name: str, value: Any, path: str) -> None:
    payload = _mutated(cls, name, value)
    assert schema_errors(payload, cls) != []
    assert assert_paths_line_up(payload, cls) == [path]


def test_a_result_count_as_text_is_refused_by_both() -> None:
    payload = wire(nps([10, 9, 7, 3]))
    payload["n"] = "4"
    assert schema_errors(payload, NpsResult) != []
    assert assert_paths_line_up(payload, NpsResult) == ["$.n"]


@attrs.frozen
class Keyed:
    """A mapping keyed by integers.

    Attributes:
        counts: integer to integer.
    """

    counts: Mapping[int, int]


_NON_CANONICAL_KEYS = ["01", "+1", "-0", "00", "1\n", " 1", "1 ", "1_0", "\u0661", "1.0"]


@pytest.mark.parametrize("key", _NON_CANONICAL_KEYS)
def test_a_non_canonical_integer_key_is_refused_by_both(key: str) -> None:
    payload = {"counts": {key: 1}}
    assert not validator(Keyed).is_valid(payload)
    assert all(path.startswith("$.counts") for path in assert_paths_line_up(payload, Keyed))
    if key.removeprefix("0").removeprefix("+").isdigit():  # an item number written otherwise
        servqual_payload = {"expectations": {key: 5}, "perceptions": {}}
        assert not validator(ServqualResponse).is_valid(servqual_payload)
        assert_paths_line_up(servqual_payload, ServqualResponse)


@given(key=integer_texts)
def test_integer_keys_match_the_converter(key: str) -> None:
    payload = {"counts": {key: 1}}
    ok = converter_accepts(payload, Keyed)
    assert validator(Keyed).is_valid(payload) is ok
