"""Type checks for numbers that accept numpy's scalars as well as Python's, and no bools."""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard

__all__ = ["is_finite_number", "is_integer", "is_number"]


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
    """A real number that is neither infinite nor NaN.

    Examples:
        >>> is_finite_number(1e308), is_finite_number(float("nan"))
        (True, False)
    """
    return is_number(value) and math.isfinite(value)
