"""Every public calculator, fed arbitrary arguments, raises only the library's errors.

A call either returns a finite result (one that goes to JSON and back) or
raises `ValidationError` or `InsufficientDataError`: never a
``statistics.StatisticsError``, ``OverflowError``, ``ZeroDivisionError``,
``TypeError`` or ``MemoryError``, whatever the values.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from datetime import timedelta
from fractions import Fraction
from typing import Any, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    InsufficientDataError,
    ServqualResponse,
    ValidationError,
    from_json,
    to_json,
)
from retail_service_quality.metrics import staffing, statistics, surveys

CALCULATORS: list[Callable[..., Any]] = [
    getattr(module, name)
    for module in (statistics, surveys, staffing)
    for name in module.__all__
    if inspect.isfunction(getattr(module, name))
]

EXTREMES = [
    0,
    -1,
    1,
    2**53,
    2**63 - 1,
    10**400,
    -(10**400),
    0.9999999999999999,
    1 - 2**-53,
    5e-324,
    -0.0,
    1e-300,
    1e308,
    -1e308,
    math.inf,
    -math.inf,
    math.nan,
    True,
    False,
    Fraction(1, 3),
    "",
    "0.5",
    "\ud800",
    b"1",
    None,
    timedelta(0),
    timedelta.max,
    timedelta(microseconds=1),
]
scalars = (
    st.sampled_from(EXTREMES) | st.integers() | st.floats() | st.text(max_size=4) | st.timedeltas()
)
anything = scalars | st.lists(scalars, max_size=6) | st.dictionaries(st.text(max_size=3), scalars)

shares = st.sampled_from([0.9999999999999999, 5e-324, 1 - 1e-12, 0.5, 0.95]) | st.floats(0, 1)
counts = st.integers(0, 2_000) | st.sampled_from([2**53 - 1, 2**53, 10**20])
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)) | st.sampled_from(
    [timedelta.max, timedelta(microseconds=1)]
)
scores = st.lists(st.integers(0, 10), max_size=40)
numbers = st.lists(
    st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6), max_size=40
)
item_scores = st.dictionaries(st.integers(1, 22), st.integers(1, 7), max_size=22)
responses = st.lists(
    st.builds(
        ServqualResponse,
        item_scores,
        item_scores,
        st.none() | st.just({"tangibles": 40, "empathy": 60}),
    )
    | scalars,
    max_size=6,
)
rows = st.lists(st.lists(st.floats() | st.integers(1, 7), min_size=2, max_size=4), max_size=8)

PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "confidence": shares,
    "p": shares,
    "p1": shares,
    "p2": shares,
    "alpha": shares,
    "power": shares,
    "shrinkage": shares,
    "service_level": shares,
    "max_occupancy": shares,
    "margin": st.floats(0, 200) | st.sampled_from([1e-300, 5e-324]),
    "promoters": shares,
    "detractors": shares,
    "ratio": st.floats(0, 1e6) | st.sampled_from([5e-324, 1e308]),
    "q": st.floats(0, 100),
    "successes": counts,
    "successes1": counts,
    "successes2": counts,
    "n": counts,
    "n1": counts,
    "n2": counts,
    "population": st.none() | counts,
    "scale": st.integers(2, 12) | st.sampled_from([10**9]),
    "top_box": st.integers(1, 12),
    "threshold": st.integers(1, 12),
    "agents": st.integers(1, 3_000) | st.sampled_from([10**9]),
    "traffic": st.floats(0, 3_000),
    "calls": st.floats(0, 5_000) | st.sampled_from([1e308]),
    "answered_within": counts,
    "offered": counts,
    "abandoned_within": counts,
    "interval": durations,
    "aht": durations,
    "answer_within": durations,
    "scores": scores | rows,
    "ratings": scores,
    "first": scores,
    "second": scores,
    "values": numbers,
    "x": numbers,
    "y": numbers,
    "responses": responses,
    "reverse_items": st.lists(st.integers(0, 25), max_size=5),
    "method": st.sampled_from(["wald", "adjusted_wald", "mean", "top_box", "median"]),
    "alternative": st.sampled_from(["two-sided", "less", "greater", "both"]),
    "abandons": st.sampled_from(["ignore", "negative", "positive", "drop"]),
    "on": st.sampled_from(["gap", "perception", "expectation", "total"]),
}


@st.composite
def arguments(draw: st.DrawFn, function: Callable[..., Any]) -> dict[str, Any]:
    """Keyword arguments: plausible most of the time, anything at all some of the time."""
    found: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        optional = parameter.default is not inspect.Parameter.empty
        if optional and draw(st.integers(0, 3)) == 0:
            continue
        plausible = PLAUSIBLE.get(name, anything)
        found[name] = draw(st.one_of(plausible, plausible, anything))
    return found


def _finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Mapping):
        return all(_finite(item) for item in value.values())
    if attrs.has(type(value)):
        names = [field.name for field in attrs.fields(cast(Any, type(value)))]
        return all(_finite(getattr(value, name)) for name in names)
    return True


@pytest.mark.parametrize("function", CALCULATORS, ids=lambda function: function.__name__)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_calculators_raise_only_the_librarys_errors(
    function: Callable[..., Any], data: st.DataObject
) -> None:
    kwargs = data.draw(arguments(function), label="arguments")
    try:
        result = function(**kwargs)
    except InsufficientDataError:
        return
    except ValidationError as error:
        problems = error.problems
    else:
        problems = ()
    if problems:
        assert all(problem.path.startswith("$.") for problem in problems)
        return
    assert _finite(result)
    if attrs.has(type(result)):
        assert from_json(to_json(result), type(result)) == result
    elif isinstance(result, Mapping):
        to_json(result)


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda: statistics.wilson_interval(5, 10, confidence=0.9999999999999999), None),
        (lambda: statistics.nps([10, 9, 0], confidence=0.9999999999999999), None),
        (lambda: statistics.mean_interval([1, 2, 4], confidence=0.9999999999999999), None),
        (lambda: statistics.mean_interval([1e308, -1e308, 1e308]), "$.values"),
        (lambda: statistics.wilson_interval(10**400, 10**400), "$.successes"),
        (lambda: statistics.csat([1, 2], scale=10**9), "$.scale"),
        (lambda: statistics.sample_size_for_proportion(1e-300), "$.margin"),
        (lambda: statistics.sample_size_two_proportions(0.5, 0.5 + 2**-52), "$.p2"),
        (lambda: statistics.percentile([10**400], 50), "$.values[0]"),
        (lambda: statistics.sample_size_two_proportions(0.6, 0.5, alpha=5e-324), None),
        (lambda: statistics.power_two_proportions(0.6, 0.5, 10, alpha=5e-324), None),
        (lambda: statistics.sample_size_two_proportions(0.6, 0.599, power=5e-324), None),
        (lambda: statistics.sample_size_two_proportions(0.6, 0.5999999, ratio=1e-3), "$.p2"),
        (lambda: surveys.cronbach_alpha([[1e308, -1e308], [-1e308, 1e308], [1, 2]]), "$.scores"),
        (lambda: surveys.cronbach_alpha(None), "$.scores"),  # type: ignore[arg-type]
        (
            lambda: staffing.staffing(
                calls=1e308,
                interval=timedelta(seconds=1),
                aht=timedelta(days=1),
                answer_within=timedelta(0),
                service_level=0.8,
            ),
            "$.calls",
        ),
    ],
)
def test_the_known_hard_cases(call: Callable[[], Any], path: str | None) -> None:
    if path is None:
        assert _finite(call())
        return
    with pytest.raises(ValidationError) as error:
        call()
    assert path in [problem.path for problem in error.value.problems]


def test_a_confidence_near_one_gives_a_wide_but_finite_interval() -> None:
    interval = statistics.wilson_interval(5, 10, confidence=0.9999999999999999)
    assert 0.0 <= interval.low < 0.5 < interval.high <= 1.0
    mean = statistics.mean_interval([1, 2, 4], confidence=0.9999999999999999)
    assert mean.interval is not None
    assert mean.interval.width > 1e6  # Student's t with 2 df has a very long tail
