"""The converter's edges: integer keys, targets that are not types, values JSON cannot hold."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

import attrs
import numpy as np
import pytest

import retail_service_quality as rsq
from retail_service_quality.errors import join_path


def _problems(call: Any, *args: Any) -> list[tuple[str, str]]:
    with pytest.raises(rsq.ValidationError) as caught:
        call(*args)
    return [(problem.path, problem.code) for problem in caught.value.problems]


@pytest.mark.parametrize("key", ["01", "+1", " 1", "1 ", "1.0", "1e1", "٣", "-0"])
def test_an_integer_key_must_be_written_plainly(key: str) -> None:
    text = '{"expectations": {"%s": 5}, "perceptions": {}}' % key  # noqa: UP031
    assert _problems(rsq.from_json, text, rsq.ServqualResponse) == [
        (join_path("$.expectations", key), "format")
    ]


def test_two_spellings_of_one_item_cannot_both_be_read() -> None:
    # "01" is refused, so "1" cannot be silently overwritten by it.
    text = '{"expectations": {"01": 7, "1": 6}, "perceptions": {}}'
    assert _problems(rsq.from_json, text, rsq.ServqualResponse) == [
        ("$.expectations['01']", "format")
    ]


def test_the_same_key_twice_from_python_data_is_a_duplicate() -> None:
    data = {"expectations": {1: 7, "1": 6}, "perceptions": {}}
    assert _problems(rsq.structure, data, rsq.ServqualResponse) == [
        ("$.expectations['1']", "duplicate")
    ]


def test_an_integer_field_does_not_take_text() -> None:
    data: dict[str, Any] = {
        "id": "C-1",
        "name": "Wong",
        "created_at": "2026-11-30T09:00:00+00:00",
        "version": "2",
    }
    assert _problems(rsq.structure, data, rsq.Customer) == [("$.version", "type")]
    data["version"] = 2.0  # a whole-number JSON float is still an integer
    assert rsq.structure(data, rsq.Customer).version == 2


@pytest.mark.parametrize("cls", [None, "Customer", 3, rsq.Customer(id="C", name="n",
    created_at=datetime(2026, 1, 1, tzinfo=UTC))])  # fmt: skip
def test_the_target_must_be_a_type(cls: object) -> None:
    assert _problems(rsq.structure, {}, cls) == [("$.cls", "type")]
    assert _problems(rsq.from_json, "{}", cls) == [("$.cls", "type")]


def test_typing_forms_are_targets() -> None:
    assert rsq.structure([1, 2], list[int]) == [1, 2]
    assert rsq.from_json('{"a": 1}', dict[str, int]) == {"a": 1}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (math.nan, "range"),
        (math.inf, "range"),
        ({"a": math.nan}, "range"),
        (np.int64(3), "type"),
        (b"bytes", "type"),
        ({1, 2}, "type"),
        (Decimal("1.5"), "type"),
        (object(), "type"),
    ],
)
def test_what_json_cannot_hold_is_a_validation_error(value: object, code: str) -> None:
    assert _problems(rsq.to_json, value) == [("$", code)]


@attrs.frozen
class _Tagged:
    kind: Literal["a", "b"]


def test_a_literal_field_refuses_other_values_with_a_validation_error() -> None:
    assert rsq.from_json('{"kind": "a"}', _Tagged) == _Tagged("a")
    assert _problems(rsq.from_json, '{"kind": "c"}', _Tagged) == [("$.kind", "type")]
