"""Every `Problem` carries a stable code from `CODES`, the right one for what went wrong.

Each family of codes is reached through the public entry points with a real
bad input, and checked at the path where the problem lies; arbitrary JSON
given to `structure` never yields a code outside `CODES`.
"""

from __future__ import annotations

import ast
import inspect
import pickle
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import (
    BusinessCalendar,
    Customer,
    CustomerQuery,
    InMemoryStore,
    InteractionQuery,
    Problem,
    ServiceInteraction,
    SQLiteStore,
    ValidationError,
    access_request_due,
    from_json,
    public_holidays,
    structure,
    unstructure,
)
from retail_service_quality.errors import CODES, Problems

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "retail_service_quality"

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
CREATED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
CUSTOMER = {"id": "C-1", "name": "Wong", "created_at": "2026-11-01T09:00:00+00:00"}
INTERACTION = {
    "id": "I-1",
    "store_id": "HK-CWB",
    "channel": "hotline",
    "occurred_at": "2026-11-01T09:00:00+08:00[Asia/Hong_Kong]",
}
CALENDAR = {"timezone": "Europe/London", "hours": {"mon": [["09:00", "17:00"]]}}
DESK = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


def as_any(value: object) -> Any:
    """A value the type checker lets through: what an untyped caller might pass."""
    return value


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def summarize(**arguments: Any) -> None:
    with InMemoryStore().unit_of_work(read_only=True) as uow:
        uow.interactions.summarize(**arguments)


def open_sqlite(path: object, **options: Any) -> None:
    SQLiteStore(as_any(path), **options).close()


# (what a caller does, the path of a problem it gets, that problem's code)
CASES: list[tuple[str, Callable[[], object], str, str]] = [
    # required
    (
        "record field left out",
        lambda: structure({"id": "C-1"}, Customer),
        "$.created_at",
        "required",
    ),
    (
        "constructor field left out",
        lambda: Customer(**as_any({"id": "C-1", "name": "Wong"})),
        "$.created_at",
        "required",
    ),
    (
        "calendar zone left out",
        lambda: structure({"hours": {}}, BusinessCalendar),
        "$.timezone",
        "required",
    ),
    (
        "subdivision without a country",
        lambda: BusinessCalendar("UTC", {}, holiday_subdivision="ENG"),
        "$.holiday_country",
        "required",
    ),
    # type
    ("number for an id", lambda: structure(with_(CUSTOMER, id=5), Customer), "$.id", "type"),
    (
        "text for the hours",
        lambda: BusinessCalendar("UTC", as_any({"mon": "09:00-17:00"})),
        "$.hours.mon",
        "type",
    ),
    ("list for a calendar", lambda: from_json("[]", BusinessCalendar), "$", "type"),
    (
        "text for a query bound",
        lambda: InteractionQuery(start=as_any("2026-01-01")),
        "$.start",
        "type",
    ),
    ("number for a store path", lambda: open_sqlite(3), "$.path", "type"),
    (
        "text for a received date",
        lambda: access_request_due(as_any("2026-05-04"), law="pdpo"),
        "$.received",
        "type",
    ),
    (
        "datetime for a received date",
        lambda: access_request_due(CREATED, law="pdpo"),
        "$.received",
        "type",
    ),
    ("text for the years", lambda: public_holidays("HK", as_any("2026")), "$.years", "type"),
    (
        "number for a holiday",
        lambda: BusinessCalendar("UTC", {}, holidays=as_any([20261225])),
        "$.holidays[0]",
        "type",
    ),
    ("JSON of another type", lambda: from_json(b"3", Customer), "$", "type"),
    ("number for a channel", lambda: InteractionQuery(channel=as_any(3)), "$.channel", "type"),
    (
        "datetime for an interaction time",
        lambda: structure(with_(INTERACTION, occurred_at=5), ServiceInteraction),
        "$.occurred_at",
        "type",
    ),
    # range
    ("year 0", lambda: public_holidays("HK", [0]), "$.years[0]", "range"),
    (
        "due after 9999",
        lambda: access_request_due(date(9999, 12, 25), law="gdpr"),
        "$.received",
        "range",
    ),
    ("no working days", lambda: DESK.add_working_days(MONDAY, 0), "$.days", "range"),
    ("negative duration", lambda: DESK.add(MONDAY, timedelta(hours=-1)), "$.duration", "range"),
    (
        "deadline past the horizon",
        lambda: DESK.add(MONDAY, timedelta(days=40_000)),
        "$.duration",
        "range",
    ),
    ("an id too long", lambda: structure(with_(CUSTOMER, id="C" * 201), Customer), "$.id", "range"),
    (
        "last instant passed",
        lambda: structure(with_(CUSTOMER, created_at="9999-12-31T23:00:00+00:00"), Customer),
        "$.created_at",
        "range",
    ),
    (
        "first instant not reached",
        lambda: Customer(id="C-1", name="Wong", created_at=datetime(1, 1, 1, 12, tzinfo=UTC)),
        "$.created_at",
        "range",
    ),
    ("calendar date in year 9999", lambda: DESK.is_working_day(date(9999, 1, 4)), "$.day", "range"),
    ("integer of 400 digits", lambda: from_json("1" * 400, int), "$", "range"),
    ("seconds beyond any date", lambda: structure(1e300, timedelta), "$", "range"),
    (
        "lock wait of two days",
        lambda: InMemoryStore(busy_timeout=timedelta(days=2)),
        "$.busy_timeout",
        "range",
    ),
    ("offset of a day", lambda: summarize(utc_offset=timedelta(hours=24)), "$.utc_offset", "range"),
    # format
    (
        "'9am' for a time",
        lambda: from_json(
            '{"timezone": "UTC", "hours": {"mon": [["9am", "17:00"]]}}', BusinessCalendar
        ),
        "$.hours.mon[0][0]",
        "format",
    ),
    (
        "30 February",
        lambda: structure(with_(CALENDAR, holidays=["2026-02-30"]), BusinessCalendar),
        "$.holidays[0]",
        "format",
    ),
    (
        "special hours keyed by a non-date",
        lambda: structure(with_(CALENDAR, special_hours={"Xmas": []}), BusinessCalendar),
        "$.special_hours.Xmas",
        "format",
    ),
    (
        "'yesterday' for a datetime",
        lambda: structure(with_(CUSTOMER, created_at="yesterday"), Customer),
        "$.created_at",
        "format",
    ),
    ("'tomorrow' for a date", lambda: structure("tomorrow", date), "$", "format"),
    ("text that is not JSON", lambda: from_json("{", Customer), "$", "format"),
    ("bytes that are not UTF-8", lambda: from_json(b"\xff", Customer), "$", "format"),
    ("NaN in JSON", lambda: from_json("NaN", float), "$", "format"),
    (
        "email without @",
        lambda: structure(with_(CUSTOMER, contacts=[{"kind": "email", "value": "wong"}]), Customer),
        "$.contacts[0].value",
        "format",
    ),
    (
        "id with an edge space",
        lambda: structure(with_(CUSTOMER, id=" C-1"), Customer),
        "$.id",
        "format",
    ),
    ("empty id", lambda: CustomerQuery(tier=""), "$.tier", "format"),
    (
        "lone surrogate",
        lambda: structure(with_(CUSTOMER, name="\ud800"), Customer),
        "$.name",
        "format",
    ),
    ("NUL in a store path", lambda: open_sqlite("a\x00b"), "$.path", "format"),
    ("empty store path", lambda: open_sqlite(""), "$.path", "format"),
    # unknown_choice
    (
        "unknown zone",
        lambda: BusinessCalendar("Europe/Londres", {}),
        "$.timezone",
        "unknown_choice",
    ),
    (
        "unknown day",
        lambda: BusinessCalendar("UTC", as_any({"funday": []})),
        "$.hours.funday",
        "unknown_choice",
    ),
    (
        "unknown channel",
        lambda: InteractionQuery(channel=as_any("pigeon")),
        "$.channel",
        "unknown_choice",
    ),
    (
        "unknown channel in JSON",
        lambda: structure(with_(INTERACTION, channel="pigeon"), ServiceInteraction),
        "$.channel",
        "unknown_choice",
    ),
    (
        "unknown law",
        lambda: access_request_due(date(2026, 5, 4), law="ccpa"),
        "$.law",
        "unknown_choice",
    ),
    ("unknown country", lambda: public_holidays("XX", [2026]), "$.country", "unknown_choice"),
    (
        "unknown subdivision",
        lambda: public_holidays("GB", [2026], subdivision="XYZ"),
        "$.subdivision",
        "unknown_choice",
    ),
    (
        "unknown holiday category",
        lambda: public_holidays("HK", [2026], categories=["lunar"]),
        "$.categories[0]",
        "unknown_choice",
    ),
    (
        "unknown synchronous mode",
        lambda: open_sqlite(":memory:", synchronous="sometimes"),
        "$.synchronous",
        "unknown_choice",
    ),
    ("unknown period", lambda: summarize(period="year"), "$.period", "unknown_choice"),
    (
        "unknown summary zone",
        lambda: summarize(timezone="Mars/Olympus"),
        "$.timezone",
        "unknown_choice",
    ),
    (
        "zone suffix not in IANA",
        lambda: structure("2026-10-25T01:30:00+01:00[Mars/Olympus]", datetime),
        "$",
        "unknown_choice",
    ),
    # unknown_field
    (
        "misspelt field",
        lambda: structure(with_(CUSTOMER, nmae="Wong"), Customer),
        "$.nmae",
        "unknown_field",
    ),
    (
        "unknown calendar field",
        lambda: structure(with_(CALENDAR, colour="red"), BusinessCalendar),
        "$.colour",
        "unknown_field",
    ),
    # naive_datetime
    (
        "naive instant",
        lambda: DESK.is_open(datetime(2026, 11, 23, 10, 0)),
        "$.at",
        "naive_datetime",
    ),
    (
        "naive creation time",
        lambda: Customer(id="C-1", name="Wong", created_at=datetime(2026, 1, 1)),
        "$.created_at",
        "naive_datetime",
    ),
    (
        "naive query bound",
        lambda: InteractionQuery(end=datetime(2026, 1, 1)),
        "$.end",
        "naive_datetime",
    ),
    (
        "naive customer bound",
        lambda: CustomerQuery(created_from=datetime(2026, 1, 1)),
        "$.created_from",
        "naive_datetime",
    ),
    (
        "JSON datetime without offset",
        lambda: structure(with_(CUSTOMER, created_at="2026-10-25T01:30:00"), Customer),
        "$.created_at",
        "naive_datetime",
    ),
    # nonexistent_time
    (
        "skipped hour, constructed",
        lambda: Customer(
            id="C-1", name="Wong", created_at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
        ),
        "$.created_at",
        "nonexistent_time",
    ),
    (
        "skipped hour in JSON",
        lambda: structure(
            with_(INTERACTION, occurred_at="2026-03-29T01:30:00+00:00[Europe/London]"),
            ServiceInteraction,
        ),
        "$.occurred_at",
        "nonexistent_time",
    ),
    (
        "skipped hour in a query",
        lambda: InteractionQuery(start=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)),
        "$.start",
        "nonexistent_time",
    ),
    (
        "skipped hour in Adelaide",
        lambda: CustomerQuery(created_to=datetime(2026, 10, 4, 2, 30, tzinfo=ADELAIDE)),
        "$.created_to",
        "nonexistent_time",
    ),
    # inconsistent
    (
        "closes when it opens",
        lambda: BusinessCalendar("UTC", {"mon": [("18:00", "18:00")]}),
        "$.hours.mon[0]",
        "inconsistent",
    ),
    (
        "overlapping periods",
        lambda: BusinessCalendar("UTC", {"mon": [("09:00", "12:00"), ("11:00", "14:00")]}),
        "$.hours.mon[1]",
        "inconsistent",
    ),
    (
        "end before start",
        lambda: DESK.between(MONDAY, MONDAY - timedelta(minutes=1)),
        "$.end",
        "inconsistent",
    ),
    (
        "pause ending before it starts",
        lambda: DESK.add(
            MONDAY, timedelta(hours=1), pauses=[(MONDAY, MONDAY - timedelta(hours=1))]
        ),
        "$.pauses[0]",
        "inconsistent",
    ),
    (
        "query ending before it starts",
        lambda: InteractionQuery(start=MONDAY, end=MONDAY - timedelta(seconds=1)),
        "$.end",
        "inconsistent",
    ),
    # In the repeated hour, 01:30 BST (fold 0) comes an hour before 01:30 GMT (fold 1).
    (
        "repeated hour, end first",
        lambda: InteractionQuery(
            start=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
            end=datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
        ),
        "$.end",
        "inconsistent",
    ),
    (
        "offset the zone does not have",
        lambda: structure("2026-10-25T01:30:00+02:00[Europe/London]", datetime),
        "$",
        "inconsistent",
    ),
    (
        "half-hour zone, whole-hour offset",
        lambda: structure("2026-10-25T01:30:00+05:00[Asia/Kolkata]", datetime),
        "$",
        "inconsistent",
    ),
    (
        "an offset and a zone",
        lambda: summarize(utc_offset=timedelta(hours=8), timezone="Asia/Hong_Kong"),
        "$.utc_offset",
        "inconsistent",
    ),
    # duplicate
    (
        "key named twice",
        lambda: from_json('{"id": "C-1", "id": "C-2"}', Customer),
        "$",
        "duplicate",
    ),
    ("group repeated", lambda: summarize(group_by=("store", "store")), "$.group_by", "duplicate"),
    # invalid
    (
        "time with seconds",
        lambda: BusinessCalendar("UTC", {"mon": [(time(9, 0, 30), "17:00")]}),
        "$.hours.mon[0][0]",
        "invalid",
    ),
    (
        "time with a zone",
        lambda: BusinessCalendar("UTC", {"mon": [("09:00", time(17, tzinfo=KOLKATA))]}),
        "$.hours.mon[0][1]",
        "invalid",
    ),
    (
        "offset in seconds",
        lambda: summarize(utc_offset=timedelta(seconds=30)),
        "$.utc_offset",
        "invalid",
    ),
]


@pytest.mark.parametrize(
    ("call", "path", "code"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_family_gives_its_code_at_its_path(
    call: Callable[[], object], path: str, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    found = [(problem.path, problem.code) for problem in caught.value.problems]
    assert (path, code) in found


def test_the_cases_cover_every_code() -> None:
    assert {code for *_, code in CASES} == set(CODES)


def test_a_repeated_hour_and_a_half_hour_zone_are_no_problem() -> None:
    # Both sides of the cases above: the same wall times, with offsets the zones have.
    later = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    InteractionQuery(start=datetime(2026, 10, 25, 1, 30, tzinfo=LONDON), end=later)
    assert structure("2026-10-25T01:30:00+05:30[Asia/Kolkata]", datetime).tzinfo == KOLKATA
    assert structure("2026-10-25T01:30:00+00:00[Europe/London]", datetime).fold == 1


def test_every_problem_of_one_call_keeps_its_own_code() -> None:
    data = {
        "id": "",
        "name": 5,
        "created_at": "2026-03-29T01:30:00+00:00[Europe/London]",
        "version": 0,
        "tier": "t" * 300,
        "extra": None,
    }
    with pytest.raises(ValidationError) as caught:
        structure(data, Customer)
    assert sorted((p.path, p.code) for p in caught.value.problems) == [
        ("$.created_at", "nonexistent_time"),
        ("$.extra", "unknown_field"),
        ("$.id", "format"),
        ("$.name", "type"),
        ("$.tier", "range"),
        ("$.version", "range"),
    ]


def test_str_shows_paths_and_messages_only() -> None:
    error = ValidationError(
        [Problem("$.a", "must be a date", "type"), Problem("$.b", "required", "required")]
    )
    assert str(error) == "2 problems:\n  $.a: must be a date\n  $.b: required"
    assert str(ValidationError.single("$.law", "must be pdpo or gdpr", "unknown_choice")) == (
        "$.law: must be pdpo or gdpr"
    )


def test_pickling_keeps_the_codes() -> None:
    with pytest.raises(ValidationError) as caught:
        BusinessCalendar("Europe/Londres", {"mon": [("18:00", "18:00")]})
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is ValidationError
    assert copy.problems == caught.value.problems
    assert [problem.code for problem in copy.problems] == ["unknown_choice", "inconsistent"]
    assert str(copy) == str(caught.value)


@given(
    st.sampled_from(sorted(CODES)),
    st.sampled_from(["$", "$.open", "$[3]", "$.hours.mon[0]", "open"]),
    st.sampled_from(["$.periods[2]", "$.special_hours['2026-12-24']", "$"]),
)
def test_under_keeps_the_code(code: str, path: str, prefix: str) -> None:
    moved = Problem(path, "a message", code).under(prefix)
    assert moved.code == code
    assert moved.message == "a message"
    assert moved.path.startswith(prefix)


def test_problems_extend_keeps_the_codes_under_a_new_root() -> None:
    problems = Problems()
    problems.extend(
        [Problem("$.open", "bad time", "format"), Problem("$", "overlaps", "inconsistent")],
        under="$.hours.mon[0]",
    )
    assert [(p.path, p.code) for p in problems] == [
        ("$.hours.mon[0].open", "format"),
        ("$.hours.mon[0]", "inconsistent"),
    ]


def test_a_problem_built_without_a_code_is_invalid() -> None:
    # The public contract builds Problem(path, message).
    assert Problem("$.a", "bad").code == "invalid"


# ---------------------------------------------------------------- every code is a known one


def _public_input_types() -> list[type]:
    found: list[type] = [BusinessCalendar]
    for name in rsq.__all__:
        obj = getattr(rsq, name)
        if inspect.isclass(obj) and (attrs.has(obj) or issubclass(obj, Enum)):
            found.append(obj)
    return found


INPUT_TYPES = _public_input_types()
VALID: dict[type, dict[str, Any]] = {
    Customer: CUSTOMER,
    ServiceInteraction: INTERACTION,
    BusinessCalendar: CALENDAR,
    InteractionQuery: {"start": "2026-10-25T01:30:00+01:00[Europe/London]", "channel": "email"},
    CustomerQuery: {"tier": "vip", "created_to": "2026-10-25T01:30:00+05:30[Asia/Kolkata]"},
}
FIELD_NAMES = sorted(
    {field.name for cls in INPUT_TYPES if attrs.has(cls) for field in attrs.fields(cls)}
    | set(CALENDAR)
    | {"mon", "sat", "holidays", "special_hours", "holiday_country"}
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**320), max_value=10**320)
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(
        [
            "2026-10-25T01:30:00+01:00[Europe/London]",
            "2026-03-29T01:30:00+00:00[Europe/London]",
            "2026-10-25T01:30:00+05:00[Asia/Kolkata]",
            "2026-10-04T02:30:00+09:30[Australia/Adelaide]",
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00:00+14:00",
            "2026-10-25T01:30:00",
            "2026-02-30",
            "09:00",
            "24:00",
            "hotline",
            "Europe/Londres",
            "\ud800",
            " C-1",
        ]
    )
)
garbage = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=20,
)


def _codes_of(data: object, cls: type) -> list[str]:
    try:
        structure(data, cls)
    except ValidationError as error:
        for problem in error.problems:
            assert problem.path.startswith("$"), problem
        return [problem.code for problem in error.problems]
    return []


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(INPUT_TYPES), garbage)
def test_garbage_only_ever_gives_known_codes(cls: type, data: object) -> None:
    assert set(_codes_of(data, cls)) <= set(CODES)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(VALID, key=lambda cls: cls.__name__)), st.data())
def test_one_bad_field_of_a_good_record_gives_known_codes(cls: type, data: st.DataObject) -> None:
    # Close to a valid record, so the checks behind the converter's are reached too.
    record = dict(VALID[cls])
    name = data.draw(st.sampled_from(sorted(set(record) | set(FIELD_NAMES))), label="field")
    record[name] = data.draw(garbage, label="value")
    assert set(_codes_of(record, cls)) <= set(CODES)


def test_good_records_round_trip_without_problems() -> None:
    # The records the properties above start from are valid ones.
    for cls, data in VALID.items():
        value: object = structure(data, cls)
        assert structure(unstructure(value), cls) == value


# ---------------------------------------------------------------- every site names its code


def _calls_without_a_code(source: str) -> list[int]:
    lines: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        reports = (
            isinstance(func, ast.Attribute)
            and (
                (
                    func.attr == "add"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "problems"
                )
                or (
                    func.attr == "single"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "ValidationError"
                )
            )
        ) or (isinstance(func, ast.Name) and func.id == "Problem")
        if reports and len(node.args) < 3 and not any(k.arg == "code" for k in node.keywords):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_call_without_a_code() -> None:
    assert _calls_without_a_code('problems.add("$.a", "bad")\nProblem("$", "x", "type")') == [1]


@pytest.mark.parametrize(
    "path",
    sorted(PACKAGE.rglob("*.py")),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_every_problem_names_its_code(path: Path) -> None:
    assert _calls_without_a_code(path.read_text(encoding="utf-8")) == []


# ---------------------------------------------------------------- the documented table


def test_the_errors_page_lists_exactly_the_codes() -> None:
    page = (ROOT / "docs" / "api" / "errors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \|", page, flags=re.MULTILINE)
    assert rows == list(CODES.items())


def test_codes_are_stable_identifiers() -> None:
    for code, meaning in CODES.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code)
        assert meaning
        assert meaning == meaning.strip()
