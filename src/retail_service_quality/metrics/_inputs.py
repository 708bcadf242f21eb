"""Samples as notebooks hold them: lists, pandas Series, numpy arrays and DataFrames.

Neither pandas nor numpy is imported: they are recognised by what they do
(``ndim``, ``dtype.kind``, ``tolist()``, ``to_numpy()``). An array or Series
is read through ``tolist()``, which turns its values into Python scalars in
one step; one of dates or durations is refused whole, since ``tolist()``
would turn those into integers.

Missing values (``None``, NaN, pandas' ``NA`` and ``NaT``) are reported as
``required`` with ``missing="raise"`` and left out with ``missing="drop"``.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Final, Protocol

from retail_service_quality._internal.checks import (
    check_choice,
    is_finite_number,
    is_integer,
    is_number,
)
from retail_service_quality.errors import Problems, join_path

__all__ = [
    "MISSING",
    "TableLike",
    "check_missing",
    "finite_numbers",
    "integer_counts",
    "is_missing",
    "rows_of",
    "values_of",
    "whole_number",
]

MISSING: Final = ("raise", "drop")
"""The choices of every calculator's ``missing=`` argument."""

_MISSING_MESSAGE: Final = "is missing; pass missing='drop' to leave missing values out"
_PANDAS_MISSING: Final = frozenset({"NAType", "NaTType"})
# dtype kinds whose tolist() gives Python numbers, bools, text or objects, each checked later.
_LISTABLE: Final = frozenset("biufcOUSV")


class TableLike(Protocol):
    """A table with ``to_numpy()``, such as a pandas DataFrame: rows are respondents."""

    def to_numpy(self, *args: Any, **kwargs: Any) -> Any: ...


def check_missing(missing: object, problems: Problems) -> bool:
    """Record a problem unless ``missing`` is ``"raise"`` or ``"drop"``; whether to drop."""
    check_choice(missing, MISSING, "$.missing", problems)
    return missing == "drop"


def is_missing(value: object) -> bool:
    """``None``, a NaN or pandas' ``NA``/``NaT``: a value that is not there.

    Examples:
        >>> is_missing(None), is_missing(float("nan")), is_missing(0.0), is_missing("nan")
        (True, True, False, False)
    """
    if value is None:
        return True
    if type(value).__name__ in _PANDAS_MISSING:
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        try:
            return math.isnan(value)
        except (OverflowError, ValueError, TypeError):
            return False
    return False


def _datetime_like(value: object) -> bool:
    """numpy's datetime64 and timedelta64 (the latter counts as an integer to `numbers`)."""
    return getattr(getattr(value, "dtype", None), "kind", None) in ("m", "M")


def whole_number(value: object) -> int | None:
    """``value`` as an int if it is an integer or a finite whole-number float, else ``None``.

    Examples:
        >>> whole_number(9), whole_number(9.0), whole_number(9.5), whole_number(True)
        (9, 9, None, None)
    """
    if _datetime_like(value):
        return None
    if is_integer(value):
        return int(value)
    if is_finite_number(value):
        number = float(value)
        if number.is_integer():
            return int(number)
    return None


def _dtype_kind(values: object) -> str | None:
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    return kind if isinstance(kind, str) else None


def values_of(values: object, path: str, problems: Problems) -> Iterable[object]:
    """The values of a one-dimensional sample, or nothing (with a problem recorded)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        problems.add(path, "must be a list of values", "type")
        return ()
    ndim = getattr(values, "ndim", 1)
    if ndim != 1:
        problems.add(path, "must be one-dimensional: a list, a Series or a 1-D array", "type")
        return ()
    kind = _dtype_kind(values)
    if kind in ("m", "M"):
        problems.add(path, "must hold numbers, not dates or durations", "type")
        return ()
    tolist = getattr(values, "tolist", None)
    if kind in _LISTABLE and callable(tolist):
        try:
            listed = tolist()
        except (TypeError, ValueError):
            listed = None
        if isinstance(listed, list):
            return listed
    return values


def _missing(value: object, path: str, drop: bool, problems: Problems) -> bool:
    """Whether ``value`` is missing; recorded as ``required`` unless missing values are dropped."""
    if not is_missing(value):
        return False
    if not drop:
        problems.add(path, _MISSING_MESSAGE, "required")
    return True


def integer_counts(
    values: object, path: str, low: int, high: int, drop: bool, problems: Problems
) -> list[int]:
    """How many times each score from ``low`` to ``high`` occurs.

    Integers and whole-number floats count; every other entry is recorded
    with its position. A list of plain ints and floats (what ``tolist()``
    gives) is tallied at C speed; anything else, or a list holding a bad
    entry, is walked one value at a time.
    """
    listed = values_of(values, path, problems)
    if isinstance(listed, list | tuple) and set(map(type, listed)) <= _PLAIN_NUMBERS:
        counts = _tally(listed, low, high, drop)
        if counts is not None:
            return counts
    counts = [0] * (high - low + 1)
    for index, value in enumerate(listed):
        if type(value) is int and low <= value <= high:  # the common case, first
            counts[value - low] += 1
            continue
        if _missing(value, join_path(path, index), drop, problems):
            continue
        score = whole_number(value)
        if score is None:
            problems.add(join_path(path, index), f"must be an integer from {low} to {high}", "type")
        elif not low <= score <= high:
            problems.add(join_path(path, index), f"must be from {low} to {high}", "range")
        else:
            counts[score - low] += 1
    return counts


_PLAIN_NUMBERS: Final = frozenset({int, float})


def _tally(values: Sequence[float], low: int, high: int, drop: bool) -> list[int] | None:
    """The counts of a list of ints and floats, or ``None`` if any entry needs reporting."""
    counts = [0] * (high - low + 1)
    for key, count in Counter(values).items():
        score: float = key
        if type(key) is float:
            if math.isnan(key):
                if drop:
                    continue
                return None
            if not key.is_integer():
                return None
            score = int(key)
        if not low <= score <= high:
            return None
        counts[int(score) - low] += count
    return counts


def finite_numbers(values: object, path: str, drop: bool, problems: Problems) -> list[float]:
    """The finite numbers of a sample as floats; every other entry recorded with its position."""
    listed = values_of(values, path, problems)
    if isinstance(listed, list | tuple) and set(map(type, listed)) <= _PLAIN_NUMBERS:
        try:
            found = [float(value) for value in listed]
        except OverflowError:  # an int beyond a double: reported below
            pass
        else:
            if all(map(math.isfinite, found)):
                return found
    found = []
    for index, value in enumerate(listed):
        if type(value) is float and math.isfinite(value):  # the common case, first
            found.append(value)
            continue
        if _missing(value, join_path(path, index), drop, problems):
            continue
        if is_finite_number(value) and not _datetime_like(value):
            found.append(float(value))
        else:
            code = "range" if is_number(value) and not _datetime_like(value) else "type"
            problems.add(join_path(path, index), "must be a finite number", code)
    return found


def _table(scores: object, path: str, problems: Problems) -> Iterable[object] | None:
    """The rows of a DataFrame or 2-D array as lists, or ``None`` if ``scores`` is neither."""
    to_numpy = getattr(scores, "to_numpy", None)
    if hasattr(scores, "columns") and callable(to_numpy):
        try:
            scores = to_numpy(dtype=object)  # pandas: each value as the object it is
        except TypeError:  # a table whose to_numpy takes no dtype (polars)
            try:
                scores = to_numpy()
            except (TypeError, ValueError):
                scores = None
        except ValueError:
            scores = None
        if getattr(scores, "ndim", None) != 2:
            problems.add(path, "must be a table of item scores", "type")
            return ()
    if getattr(scores, "ndim", None) != 2:
        return None
    if _dtype_kind(scores) in ("m", "M"):
        problems.add(path, "must hold numbers, not dates or durations", "type")
        return ()
    tolist = getattr(scores, "tolist", None)
    listed = tolist() if callable(tolist) else None
    if not isinstance(listed, list):
        problems.add(path, "must be a table of item scores", "type")
        return ()
    return listed


def rows_of(
    scores: object, path: str, drop: bool, problems: Problems
) -> tuple[list[list[float]], int | None]:
    """Complete rows of finite numbers, all as long as the first, and that length.

    With ``drop``, a row holding a missing value is left out (listwise
    deletion); otherwise each missing value is recorded as ``required``.
    """
    table = _table(scores, path, problems)
    if table is None:
        if isinstance(scores, str | bytes) or not isinstance(scores, Iterable):
            problems.add(path, "must be a list of rows of item scores", "type")
            return [], None
        if getattr(scores, "ndim", 1) != 1:
            problems.add(path, "must be a table: respondents by items", "type")
            return [], None
        table = scores
    rows: list[list[float]] = []
    width: int | None = None
    for index, row in enumerate(table):
        row_path = join_path(path, index)
        cells = _row_cells(row)
        if cells is None:
            problems.add(row_path, "must be a list of item scores", "type")
            continue
        if width is None:
            width = len(cells)
        elif len(cells) != width:
            problems.add(row_path, "must have as many items as the first row", "inconsistent")
            continue
        complete, numbers_ok = True, True
        for column, value in enumerate(cells):
            if _missing(value, join_path(row_path, column), drop, problems):
                complete = False
            elif not is_finite_number(value) or _datetime_like(value):
                code = "range" if is_number(value) and not _datetime_like(value) else "type"
                problems.add(join_path(row_path, column), "must be a finite number", code)
                numbers_ok = False
        if complete and numbers_ok:
            rows.append([float(value) for value in cells])  # type: ignore[arg-type]
    return rows, width


def _row_cells(row: object) -> list[object] | None:
    """One respondent's item scores as a list, or ``None`` if ``row`` is not a flat sequence."""
    if isinstance(row, str | bytes):
        return None
    if isinstance(row, Sequence):
        return list(row)
    if getattr(row, "ndim", None) != 1 or _dtype_kind(row) in ("m", "M"):
        return None
    return list(values_of(row, "$", Problems()))
