"""Arbitrary JSON into `from_json`, for every public type: a valid value or a `ValidationError`.

Nothing else may escape: not an ``AttributeError`` for a list where an object
belongs, not an ``OverflowError`` for ``1e400``, not a ``UnicodeDecodeError``
for bytes that are not UTF-8, not a ``RecursionError`` for deep nesting.
"""

from __future__ import annotations

import inspect
import json
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import BusinessCalendar, ValidationError, from_json, structure, to_json


def _public_types() -> list[type]:
    found: list[type] = []
    for name in rsq.__all__:
        obj = getattr(rsq, name)
        if inspect.isclass(obj) and (attrs.has(obj) or issubclass(obj, Enum)):
            found.append(obj)
    if BusinessCalendar not in found:
        found.append(BusinessCalendar)
    return found


PUBLIC_TYPES = _public_types()
SCALARS = [date, datetime, timedelta, int, float, str, bool]

# Names the library's objects use, so that arbitrary objects often look like the real thing.
FIELD_NAMES = sorted(
    {field.name for cls in PUBLIC_TYPES if attrs.has(cls) for field in attrs.fields(cls)}
    | {"timezone", "hours", "holidays", "special_hours", "holiday_country", "mon", "sat"}
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "2026-10-25T01:30:00+01:00[Europe/London]",
            "2026-10-25T01:30:00+00:00[Europe/London]",
            "2026-03-29T01:30:00+00:00[Europe/London]",
            "2026-10-25T01:30:00+02:00[Europe/London]",
            "2026-10-25T01:30:00+05:30[Asia/Kolkata]",
            "2026-10-25T01:30:00+01:00[Mars/Olympus]",
            "2026-10-25T01:30:00+01:00[!u-ca=hebrew]",
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00:00+14:00",
            "2026-10-25T01:30:00",
            "2026-11-22",
            "09:00",
            "24:00",
            "hotline",
            "wald",
            "two-sided",
            "a@b",
            "\ud800",
        ]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), children, max_size=8)
    ),
    max_leaves=25,
)

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_validation_errors(text: str | bytes, cls: Any) -> None:
    try:
        value = from_json(text, cls)
    except ValidationError as error:
        problems = error.problems
    else:
        problems = ()
    if problems:
        assert all(problem.path.startswith("$") and problem.message for problem in problems)
        return
    # A value that came back is a valid one: it goes to JSON and back unchanged.
    assert from_json(to_json(value), cls) == value


@pytest.mark.parametrize("cls", PUBLIC_TYPES + SCALARS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=json_values)
def test_arbitrary_json_gives_a_value_or_a_validation_error(cls: type, data: object) -> None:
    _only_validation_errors(json.dumps(data), cls)


@pytest.mark.parametrize("cls", PUBLIC_TYPES, ids=lambda cls: cls.__name__)
@FUZZ
@given(text=st.text(max_size=40) | st.binary(max_size=40).map(bytes))
def test_arbitrary_text_and_bytes_give_a_validation_error(cls: type, text: str | bytes) -> None:
    _only_validation_errors(text, cls)


@pytest.mark.parametrize("cls", PUBLIC_TYPES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "1",
        "null",
        '"text"',
        "true",
        b"\xff\xfe\xfa",
        "1e400",
        "-1e400",
        "NaN",
        "[Infinity]",
        "9" * 5000,
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 5_000 + "1" + "}" * 5_000,
        '{"id": 1, "id": 2}',
        "",
        "{",
        '"\\ud800"',
    ],
    ids=lambda text: repr(text)[:20],
)
def test_every_type_refuses_what_is_not_its_json(cls: type, text: str | bytes) -> None:
    with pytest.raises(ValidationError) as error:
        from_json(text, cls)
    assert error.value.problems[0].path.startswith("$")


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("1e400", timedelta),
        ("1e300", timedelta),
        (str(10**200), timedelta),
        (str(10**400), float),
        ("1e300", int),
        ('"' + "9" * 301 + '"', int),
        ('"2026-11-22T09:30:00"', datetime),
        ('"2026-13-01"', date),
        ("[1, 2]", dict[str, int]),
        ('{"a": 1}', list[int]),
        ('"abc"', list[str]),
        ('"abc"', tuple[str, ...]),
        ("[[1], [2]]", set[int]),
        ('{"x": [1]}', dict[str, list[date]]),
    ],
)
def test_scalars_and_containers_refuse_cleanly(text: str, cls: Any) -> None:
    with pytest.raises(ValidationError):
        from_json(text, cls)


def test_structure_refuses_data_nested_past_the_limit() -> None:
    deep: object = 1
    for _ in range(1_000):
        deep = [deep]
    with pytest.raises(ValidationError, match="nested"):
        structure(deep, list[Any])


@pytest.mark.parametrize("levels", [1, 198, 199, 200, 201, 300])
@pytest.mark.parametrize("kind", ["list", "object"])
def test_from_json_refuses_nesting_exactly_as_structure_does(levels: int, kind: str) -> None:
    # from_json skips the depth walk for text with fewer brackets than the limit: the answer
    # must be the one structure gives the parsed data, at every depth around the limit.
    opening, closing = ("[", "]") if kind == "list" else ('{"a": ', "}")
    text = opening * levels + "1" + closing * levels

    def outcome(read: Any) -> str:
        try:
            read()
        except ValidationError as error:
            return str(error)
        return "read"

    expected = outcome(lambda: structure(json.loads(text), Any))
    assert outcome(lambda: from_json(text, Any)) == expected
    assert (expected == "read") == (levels <= 200)
