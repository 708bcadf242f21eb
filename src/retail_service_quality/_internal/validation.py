"""Checks shared by the domain's entities: every problem collected, each with its path."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum
from typing import Any, TypeVar

import attrs

from retail_service_quality._internal.times import instant_code, instant_problem
from retail_service_quality.errors import Problem, Problems, ValidationError, join_path

__all__ = [
    "MAX_VERSION",
    "REQUIRED",
    "check_aware",
    "check_duration",
    "check_enum",
    "check_id",
    "check_id_list",
    "check_text",
    "check_version",
    "is_text",
    "lenient_enum",
    "masked",
    "raise_problems",
]

E = TypeVar("E", bound=Enum)

MAX_VERSION = 2**53 - 1
"""The largest record version: JSON readers holding numbers as doubles keep it exact."""


class _Required:
    """The default of a required field, so that leaving it out is reported with the rest."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<required>"


REQUIRED: Any = _Required()
"""The default of every required field of a record or result: the constructor reports it
``required`` in the same `ValidationError` as every other problem, not as a ``TypeError``."""


def raise_problems(instance: Any, problems: Problems) -> None:
    """Raise every problem of an attrs ``instance``: required fields left out first.

    Problems the checks found in a field that was left out are dropped: it is
    reported once, as ``required``.

    Examples:
        >>> @attrs.frozen
        ... class Pair:
        ...     left: int = attrs.field(default=REQUIRED)
        ...     right: int = attrs.field(default=REQUIRED)
        ...     def __attrs_post_init__(self):
        ...         problems = Problems()
        ...         for name in ("left", "right"):
        ...             if not isinstance(getattr(self, name), int):
        ...                 problems.add(f"$.{name}", "must be an integer", "type")
        ...         raise_problems(self, problems)
        >>> Pair(right="2")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: 2 problems:
          $.left: required
          $.right: must be an integer
    """
    missing = [
        join_path("$", field.name)
        for field in attrs.fields(type(instance))
        if getattr(instance, field.name) is REQUIRED
    ]
    if not missing:
        problems.raise_if_any()
        return
    found = [Problem(path, "required", "required") for path in missing]
    found.extend(
        problem
        for problem in problems
        if not any(
            problem.path == path or problem.path.startswith((path + ".", path + "["))
            for path in missing
        )
    )
    raise ValidationError(found)


def masked(value: Any) -> str:
    """How a personal-data field shows in a repr: whether it is set, never what it holds.

    Examples:
        >>> masked("Chan Tai Man"), masked(None)
        ("'***'", 'None')
    """
    return "None" if value is None else "'***'"


def lenient_enum(kind: type[E], value: object) -> E:
    """``value`` as a member of ``kind`` where it converts; otherwise ``value`` itself.

    Used as an attrs converter, so that a bad value reaches validation, which
    reports it with the other problems, instead of failing on its own.

    Examples:
        >>> from enum import StrEnum
        >>> class Colour(StrEnum):
        ...     RED = "red"
        >>> lenient_enum(Colour, "red"), lenient_enum(Colour, "blue"), lenient_enum(Colour, None)
        (<Colour.RED: 'red'>, 'blue', None)
    """
    if value is None or isinstance(value, kind):
        return value  # type: ignore[return-value]
    try:
        return kind(value)
    except ValueError:
        return value  # type: ignore[return-value]


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: no database could store them
        return False
    return True


def check_id(value: object, path: str, problems: Problems, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if (
        not isinstance(value, str)
        or not value
        or len(value) > 200
        or value != value.strip()
        or not _encodable(value)
    ):
        problems.add(
            path,
            "must be a non-empty identifier of at most 200 characters, without edge spaces",
            _id_code(value),
        )


def _id_code(value: object) -> str:
    """The code of a bad id: not text, too long, or badly formed (empty, edge spaces)."""
    if not isinstance(value, str):
        return "type"
    return "range" if len(value) > 200 else "format"


def check_id_list(values: object, path: str, problems: Problems, *, required: bool) -> None:
    """A tuple of distinct identifiers, at least one when ``required``.

    Examples:
        >>> problems = Problems()
        >>> check_id_list(("a", "a"), "$.classes", problems, required=True)
        >>> [(p.path, p.code) for p in problems]
        [('$.classes[1]', 'duplicate')]
    """
    if not isinstance(values, tuple):
        problems.add(path, "must be a list of identifiers", "type")
        return
    if required and not values:
        problems.add(path, "must name at least one", "required")
    seen: set[str] = set()
    for index, value in enumerate(values):
        check_id(value, join_path(path, index), problems)
        if isinstance(value, str):
            if value in seen:
                problems.add(join_path(path, index), "repeats an identifier", "duplicate")
            seen.add(value)


def check_text(value: object, path: str, problems: Problems, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        problems.add(path, "must be text", "type")
    elif not _encodable(value):
        problems.add(path, "must be valid Unicode text", "format")


def is_text(value: object) -> bool:
    """A string that is valid Unicode (no lone surrogates), so any database can store it.

    Examples:
        >>> is_text("Chan Tai Man"), is_text("a@b" + chr(0xD800)), is_text(5)
        (True, False, False)
    """
    return isinstance(value, str) and _encodable(value)


def check_aware(value: object, path: str, problems: Problems) -> None:
    """An aware datetime in the supported range whose wall time exists in its zone."""
    problem = instant_problem(value)
    if problem is not None:
        problems.add(path, problem, instant_code(problem))


def check_enum(value: object, kind: type[Enum], path: str, problems: Problems) -> None:
    if not isinstance(value, kind):
        choices = ", ".join(str(member.value) for member in kind)
        code = "unknown_choice" if isinstance(value, str) else "type"
        problems.add(path, f"must be one of: {choices}", code)


def check_version(value: object, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VERSION:
        problems.add(
            "$.version",
            f"must be an integer from 1 to {MAX_VERSION} (2**53 - 1)",
            "range" if isinstance(value, int) and not isinstance(value, bool) else "type",
        )


def check_duration(
    value: object,
    path: str,
    problems: Problems,
    *,
    optional: bool = True,
    maximum: timedelta = timedelta(days=366),
) -> None:
    if value is None and optional:
        return
    if not isinstance(value, timedelta):
        problems.add(path, "must be a timedelta", "type")
    elif value < timedelta(0):
        problems.add(path, "must not be negative", "range")
    elif value > maximum:
        problems.add(path, f"must not exceed {maximum.days} days", "range")
