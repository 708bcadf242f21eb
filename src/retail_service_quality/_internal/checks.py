"""Checks for numbers and text: numpy's scalars count as numbers, bools never do.

The ``check_*`` functions record a problem (with a message that says what was
expected) and return whether the value passed, so a caller can go on to the
checks that need it.
"""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard

from retail_service_quality.errors import Problems

__all__ = [
    "MAX_COUNT",
    "check_choice",
    "check_count",
    "check_label",
    "check_number",
    "is_finite_number",
    "is_integer",
    "is_number",
]

MAX_COUNT = 2**53 - 1
"""The largest count a calculator takes: every count up to it is exact as a double."""


def is_integer(value: object) -> TypeGuard[int]:
    """An integer: Python's or numpy's (``numbers.Integral``), but not a bool.

    Examples:
        >>> is_integer(3), is_integer(True), is_integer(3.0)
        (True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[float]:
    """A real number (``numbers.Real``: int, float, Fraction, numpy scalars), but not a bool.

    Examples:
        >>> is_number(2.5), is_number(False), is_number("2.5")
        (True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def is_finite_number(value: object) -> TypeGuard[float]:
    """A real number that is neither infinite nor NaN, and fits in a double.

    Examples:
        >>> is_finite_number(1e308), is_finite_number(float("nan")), is_finite_number(10**400)
        (True, False, False)
    """
    if not is_number(value):
        return False
    try:
        return math.isfinite(float(value))
    except (OverflowError, ValueError, TypeError):
        return False


def _bound(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def check_number(
    value: object,
    path: str,
    problems: Problems,
    *,
    low: float | None = None,
    high: float | None = None,
    strict: bool = False,
) -> bool:
    """Record a problem unless ``value`` is a finite number in ``[low, high]``.

    With ``strict`` the bounds themselves are excluded.

    Examples:
        >>> problems = Problems()
        >>> check_number(0.5, "$.p", problems, low=0, high=1)
        True
        >>> check_number(1.0, "$.confidence", problems, low=0, high=1, strict=True)
        False
        >>> [str(problem) for problem in problems]
        ['$.confidence: must be a number strictly between 0 and 1']
    """
    if is_finite_number(value):
        number = float(value)
        above = low is None or (number > low if strict else number >= low)
        below = high is None or (number < high if strict else number <= high)
        if above and below:
            return True
    if low is not None and high is not None:
        between = "strictly between" if strict else "from"
        joint = "and" if strict else "to"
        message = f"must be a number {between} {_bound(low)} {joint} {_bound(high)}"
    elif low is not None:
        message = f"must be a number {'above' if strict else 'of at least'} {_bound(low)}"
    elif high is not None:
        message = f"must be a number {'below' if strict else 'of at most'} {_bound(high)}"
    else:
        message = "must be a finite number"
    problems.add(path, message, "range" if is_finite_number(value) else "type")
    return False


def check_count(
    value: object,
    path: str,
    problems: Problems,
    *,
    minimum: int = 0,
    maximum: int = MAX_COUNT,
) -> bool:
    """Record a problem unless ``value`` is an integer from ``minimum`` to ``maximum``.

    Examples:
        >>> problems = Problems()
        >>> check_count(3, "$.n", problems, minimum=1), check_count(True, "$.n", problems)
        (True, False)
        >>> str(problems.__iter__().__next__())
        '$.n: must be an integer from 0 to 9007199254740991'
    """
    if is_integer(value) and minimum <= value <= maximum:
        return True
    problems.add(
        path,
        f"must be an integer from {minimum} to {maximum}",
        "range" if is_integer(value) else "type",
    )
    return False


def check_label(value: object, path: str, problems: Problems) -> bool:
    """Record a problem unless ``value`` is text that is valid Unicode.

    Examples:
        >>> problems = Problems()
        >>> check_label("wald", "$.method", problems), check_label(3, "$.method", problems)
        (True, False)
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return True
    problems.add(
        path, "must be text (valid Unicode)", "format" if isinstance(value, str) else "type"
    )
    return False


def check_choice(value: object, choices: tuple[str, ...], path: str, problems: Problems) -> bool:
    """Record a problem unless ``value`` is one of the strings in ``choices``.

    Examples:
        >>> problems = Problems()
        >>> check_choice("less", ("less", "greater"), "$.alternative", problems)
        True
        >>> check_choice(["less"], ("less", "greater"), "$.alternative", problems)
        False
        >>> [problem.message for problem in problems]
        ["must be 'less' or 'greater'"]
    """
    if isinstance(value, str) and value in choices:
        return True
    quoted = [repr(choice) for choice in choices]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    problems.add(path, f"must be {listed}", "unknown_choice" if isinstance(value, str) else "type")
    return False
