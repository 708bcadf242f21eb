"""The public surface: names, signatures and packaging promised to other code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from importlib.metadata import version
from pathlib import Path

import attrs
import pytest

import retail_service_quality as rsq
from retail_service_quality import errors

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_importable() -> None:
    assert rsq.__all__ == sorted(rsq.__all__)
    for name in rsq.__all__:
        assert hasattr(rsq, name), name


def test_version_comes_from_metadata() -> None:
    assert rsq.__version__ == version("retail-service-quality")


def test_typed_marker_shipped() -> None:
    assert (Path(rsq.__file__).parent / "py.typed").exists()


@pytest.mark.parametrize(
    ("name", "bases"),
    [
        ("RSQError", (Exception,)),
        ("ValidationError", (errors.RSQError, ValueError)),
        ("InsufficientDataError", (errors.RSQError, ValueError)),
        ("InvalidTransitionError", (errors.RSQError,)),
        ("NotFoundError", (errors.RSQError, LookupError)),
        ("ConflictError", (errors.RSQError,)),
        ("StorageError", (errors.RSQError,)),
    ],
)
def test_error_tree(name: str, bases: tuple[type, ...]) -> None:
    cls = getattr(rsq, name)
    for base in bases:
        assert issubclass(cls, base)


def test_validation_error_lists_every_problem() -> None:
    error = rsq.ValidationError(
        [rsq.Problem("$.field[3]", "must be positive"), rsq.Problem("$.other", "required")]
    )
    assert error.problems[0] == rsq.Problem(path="$.field[3]", message="must be positive")
    assert "$.field[3]: must be positive" in str(error)
    assert "$.other: required" in str(error)
    with pytest.raises(ValueError, match="at least one problem"):
        rsq.ValidationError([])


def test_validation_error_pickles() -> None:
    import pickle

    error = rsq.ValidationError([rsq.Problem("$.a", "bad")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems


def _params(func: object) -> list[tuple[str, str, object]]:
    signature = inspect.signature(func)  # type: ignore[arg-type]
    return [(p.name, p.kind.name, p.default) for p in signature.parameters.values()]


def test_calendar_signatures_match_the_contract() -> None:
    cal = rsq.BusinessCalendar
    assert _params(cal.__init__)[:4] == [
        ("self", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("timezone", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("hours", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("holidays", "POSITIONAL_OR_KEYWORD", ()),
    ]
    assert _params(cal.weekdays) == [
        ("open", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("close", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("timezone", "KEYWORD_ONLY", inspect.Parameter.empty),
        ("holidays", "KEYWORD_ONLY", ()),
    ]
    assert [p[:2] for p in _params(cal.add)] == [
        ("self", "POSITIONAL_OR_KEYWORD"),
        ("start", "POSITIONAL_OR_KEYWORD"),
        ("duration", "POSITIONAL_OR_KEYWORD"),
        ("pauses", "KEYWORD_ONLY"),
    ]
    assert [p[:2] for p in _params(cal.between)] == [
        ("self", "POSITIONAL_OR_KEYWORD"),
        ("start", "POSITIONAL_OR_KEYWORD"),
        ("end", "POSITIONAL_OR_KEYWORD"),
        ("pauses", "KEYWORD_ONLY"),
    ]
    assert [p[0] for p in _params(cal.add_working_days)] == ["self", "start", "days"]
    assert [p[0] for p in _params(cal.is_open)] == ["self", "at"]
    assert _params(rsq.public_holidays)[:3] == [
        ("country", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("years", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("subdivision", "KEYWORD_ONLY", None),
    ]
    assert _params(rsq.access_request_due) == [
        ("received", "POSITIONAL_OR_KEYWORD", inspect.Parameter.empty),
        ("law", "KEYWORD_ONLY", inspect.Parameter.empty),
    ]


@pytest.mark.parametrize(
    ("received", "law", "due"),
    [
        (date(2026, 5, 4), "pdpo", date(2026, 6, 13)),
        (date(2026, 5, 4), "gdpr", date(2026, 6, 4)),
        (date(2026, 1, 31), "gdpr", date(2026, 2, 28)),
        (date(2028, 1, 31), "gdpr", date(2028, 2, 29)),
        (date(2026, 3, 31), "gdpr", date(2026, 4, 30)),
        (date(2026, 12, 15), "gdpr", date(2027, 1, 15)),
        (date(2026, 12, 15), "pdpo", date(2027, 1, 24)),
    ],
)
def test_access_request_due(received: date, law: str, due: date) -> None:
    assert rsq.access_request_due(received, law=law) == due


def test_access_request_due_refuses_other_laws_and_datetimes() -> None:
    from datetime import UTC, datetime

    with pytest.raises(rsq.ValidationError) as error:
        rsq.access_request_due(datetime(2026, 5, 4, tzinfo=UTC), law="ccpa")
    assert [p.path for p in error.value.problems] == ["$.received", "$.law"]


def test_import_has_no_side_effects(tmp_path: Path) -> None:
    """Importing the package opens no file or connection, starts no thread, loads no test tool."""
    code = (
        "import os, sys, threading, gc, sqlite3, retail_service_quality;"
        "assert threading.active_count() == 1;"
        "assert not any(isinstance(o, sqlite3.Connection) for o in gc.get_objects());"
        "assert 'hypothesis' not in sys.modules and 'pytest' not in sys.modules;"
        "assert not any(m.startswith('retail_service_quality.storage.') and"
        " m.split('.')[2] in ('memory', 'sqlite') for m in sys.modules);"
        "assert retail_service_quality.SQLiteStore.__name__ == 'SQLiteStore';"
        "assert os.listdir('.') == [];"
        "print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert result.stdout.strip() == "ok"


def _public_modules() -> list[str]:
    """Every module of the package whose dotted path has no private part."""
    found = []
    for info in pkgutil.walk_packages(rsq.__path__, prefix="retail_service_quality."):
        parts = info.name.split(".")[1:]
        if not any(part.startswith("_") for part in parts):
            found.append(info.name.removeprefix("retail_service_quality."))
    return sorted(found)


MODULES = _public_modules()
API_PAGES = {path.name: path.read_text() for path in (ROOT / "docs" / "api").glob("*.md")}


def test_the_layout_has_a_room_for_each_domain() -> None:
    for room in (
        "calendar",
        "customers",
        "service",
        "quality",
        "metrics",
        "rules",
        "storage",
        "serialization",
        "testing",
    ):
        assert room in MODULES
    # A subpackage that is a module name at the top level would shadow a function: no more.
    assert inspect.ismodule(importlib.import_module("retail_service_quality.metrics.staffing"))
    assert inspect.isfunction(rsq.staffing)


@pytest.mark.parametrize("module", MODULES)
def test_every_public_module_is_in_the_api_reference(module: str) -> None:
    """A module with public names is rendered by a page, itself or through a parent package."""
    if not getattr(importlib.import_module(f"retail_service_quality.{module}"), "__all__", ()):
        return
    parts = module.split(".")
    candidates = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    pages = [
        name
        for name, text in API_PAGES.items()
        if any(f"::: retail_service_quality.{c}\n" in text for c in candidates)
    ]
    assert pages, module
    mkdocs = (ROOT / "mkdocs.yml").read_text()
    assert all(f"api/{page}" in mkdocs for page in pages)


def test_every_public_callable_has_a_docstring_example() -> None:
    modules = list(MODULES)
    missing = []
    for name in modules:
        module = importlib.import_module(f"retail_service_quality.{name}")
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if ">>>" not in (obj.__doc__ or ""):
                missing.append(f"{name}.{attr}")
            # A protocol's methods declare an interface (the class shows it in use), and the
            # contract suite's test methods are tests themselves.
            if inspect.isclass(obj) and not getattr(obj, "_is_protocol", False):
                for member_name, member in vars(obj).items():
                    if member_name.startswith(("_", "test_")):
                        continue
                    func = member.fget if isinstance(member, property) else member
                    func = getattr(func, "__func__", func)
                    if inspect.isfunction(func) and ">>>" not in (func.__doc__ or ""):
                        missing.append(f"{name}.{attr}.{member_name}")
    assert missing == []


EMPTY = inspect.Parameter.empty
CONTRACT_SIGNATURES: dict[str, list[tuple[str, str, object]]] = {
    "wilson_interval": [
        ("successes", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("n", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("confidence", "KEYWORD_ONLY", 0.95),
    ],
    "nps": [
        ("scores", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("confidence", "KEYWORD_ONLY", 0.95),
        ("method", "KEYWORD_ONLY", "wald"),
    ],
    "compare_nps": [
        ("first", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("second", "POSITIONAL_OR_KEYWORD", EMPTY),
    ],
    "csat": [
        ("ratings", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("scale", "KEYWORD_ONLY", 5),
        ("top_box", "KEYWORD_ONLY", 2),
        ("confidence", "KEYWORD_ONLY", 0.95),
    ],
    "ces": [
        ("ratings", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("scale", "KEYWORD_ONLY", 7),
        ("method", "KEYWORD_ONLY", "mean"),
        ("threshold", "KEYWORD_ONLY", 5),
    ],
    "two_proportion_ztest": [
        ("successes1", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("n1", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("successes2", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("n2", "POSITIONAL_OR_KEYWORD", EMPTY),
    ],
    "mann_whitney_u": [
        ("x", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("y", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("alternative", "KEYWORD_ONLY", "two-sided"),
    ],
    "sample_size_for_proportion": [
        ("margin", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("confidence", "KEYWORD_ONLY", 0.95),
        ("p", "KEYWORD_ONLY", 0.5),
        ("population", "KEYWORD_ONLY", None),
    ],
    "percentile": [
        ("values", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("q", "POSITIONAL_OR_KEYWORD", EMPTY),
    ],
    "service_level": [
        ("answered_within", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("offered", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("abandoned_within", "KEYWORD_ONLY", 0),
        ("abandons", "KEYWORD_ONLY", "ignore"),
    ],
    "erlang_c": [
        ("traffic", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("agents", "POSITIONAL_OR_KEYWORD", EMPTY),
    ],
    "staffing": [
        ("calls", "KEYWORD_ONLY", EMPTY),
        ("interval", "KEYWORD_ONLY", EMPTY),
        ("aht", "KEYWORD_ONLY", EMPTY),
        ("answer_within", "KEYWORD_ONLY", EMPTY),
        ("service_level", "KEYWORD_ONLY", EMPTY),
        ("max_occupancy", "KEYWORD_ONLY", 1.0),
        ("shrinkage", "KEYWORD_ONLY", 0.0),
    ],
    "staffing_for_agents": [
        ("calls", "KEYWORD_ONLY", EMPTY),
        ("interval", "KEYWORD_ONLY", EMPTY),
        ("aht", "KEYWORD_ONLY", EMPTY),
        ("answer_within", "KEYWORD_ONLY", EMPTY),
        ("agents", "KEYWORD_ONLY", EMPTY),
        ("shrinkage", "KEYWORD_ONLY", 0.0),
    ],
    "servqual": [
        ("responses", "POSITIONAL_OR_KEYWORD", EMPTY),
        ("scale", "KEYWORD_ONLY", 7),
        ("reverse_items", "KEYWORD_ONLY", ()),
    ],
}


@pytest.mark.parametrize(("name", "expected"), CONTRACT_SIGNATURES.items())
def test_calculator_signatures_match_the_contract(
    name: str, expected: list[tuple[str, str, object]]
) -> None:
    assert _params(getattr(rsq, name))[: len(expected)] == expected


@pytest.mark.parametrize(
    ("name", "attributes"),
    [
        ("Interval", ["low", "high", "confidence"]),
        ("TestResult", ["statistic", "p_value"]),
        ("ProportionResult", ["successes", "n", "value", "interval"]),
        ("NpsResult", ["n", "promoters", "passives", "detractors", "score", "standard_error",
                       "interval"]),
        ("ComparisonResult", ["difference", "standard_error", "statistic", "p_value"]),
        ("StaffingPlan", ["agents", "scheduled_agents", "traffic", "service_level", "occupancy",
                          "probability_of_waiting", "average_speed_of_answer"]),
        ("ServqualResponse", ["expectations", "perceptions", "weights"]),
        ("ServqualResult", ["n", "dimensions", "unweighted", "weighted"]),
        ("DimensionScore", ["expectation", "perception", "gap"]),
    ],
)  # fmt: skip
def test_result_types_are_frozen_with_contract_attributes(name: str, attributes: list[str]) -> None:
    cls = getattr(rsq, name)
    assert attrs.has(cls)
    assert [field.name for field in attrs.fields(cls)][: len(attributes)] == attributes
    # Frozen, tried on a real instance: a mutable class with validators also has its own
    # __setattr__, so comparing __setattr__ with object's would not tell them apart.
    instance = _SAMPLES[name]()
    assert type(instance) is cls
    for attribute in attributes:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(instance, attribute, getattr(instance, attribute))


def _staffing_plan() -> object:
    from datetime import timedelta

    return rsq.staffing_for_agents(
        calls=360,
        interval=timedelta(minutes=30),
        aht=timedelta(seconds=240),
        answer_within=timedelta(seconds=15),
        agents=55,
    )


_ALL_FIVES = dict.fromkeys(range(1, 23), 5)
_SAMPLES: dict[str, Callable[[], object]] = {
    "Interval": lambda: rsq.Interval(0.2, 0.5, 0.95),
    "TestResult": lambda: rsq.TestResult(2.1, 0.04),
    "ProportionResult": lambda: rsq.csat([5, 4, 2]),
    "NpsResult": lambda: rsq.nps([10, 9, 3]),
    "ComparisonResult": lambda: rsq.compare_nps([10, 9, 3], [10, 6, 3]),
    "StaffingPlan": _staffing_plan,
    "ServqualResponse": lambda: rsq.ServqualResponse({1: 5}, {1: 4}),
    "ServqualResult": lambda: rsq.servqual([rsq.ServqualResponse(_ALL_FIVES, _ALL_FIVES)]),
    "DimensionScore": lambda: rsq.DimensionScore(6.0, 5.0, -1.0, 1),
}


def test_servqual_dimensions_constant() -> None:
    assert dict(rsq.SERVQUAL_DIMENSIONS) == {
        "tangibles": (1, 2, 3, 4),
        "reliability": (5, 6, 7, 8, 9),
        "responsiveness": (10, 11, 12, 13),
        "assurance": (14, 15, 16, 17),
        "empathy": (18, 19, 20, 21, 22),
    }


@pytest.mark.parametrize("law", ["pdpo", "gdpr"])
def test_access_request_due_past_the_last_date_is_a_validation_error(law: str) -> None:
    with pytest.raises(errors.ValidationError, match=r"\$\.received: is too late"):
        rsq.access_request_due(date(9999, 12, 30), law=law)


def test_access_request_due_refuses_a_law_of_the_wrong_type() -> None:
    with pytest.raises(errors.ValidationError, match=r"\$\.law"):
        rsq.access_request_due(date(2026, 1, 1), law=["pdpo"])  # type: ignore[arg-type]


def test_a_long_list_of_problems_is_shown_in_part_and_kept_whole() -> None:
    problems = [rsq.Problem(f"$.scores[{index}]", "must be from 0 to 10", "range")
                for index in range(250)]  # fmt: skip
    error = rsq.ValidationError(problems)
    text = str(error)
    assert text.startswith("250 problems:")
    assert "$.scores[99]" in text
    assert "$.scores[100]" not in text
    assert text.endswith("... and 150 more (every one is in .problems)")
    assert len(error.problems) == 250
