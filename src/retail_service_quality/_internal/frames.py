"""Typed pandas DataFrames from records, built a chunk at a time; pandas is imported here only.

Columns get the dtype their kind calls for: ``Int64``/``int64``,
``float64``, ``boolean``/``bool``, ``string``, ``category`` (an enum's
values as the categories, in declaration order; identifiers such as
``store_id`` with the values seen), ``datetime64[us, UTC]`` for instants,
``datetime64[us]`` for dates, ``timedelta64[us]`` for durations, and
``object`` for lists and mappings. Microseconds keep every supported instant
(years 1 to 9999) exact, which nanoseconds could not.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from retail_service_quality._internal.records import Column, Layout, layout_of
from retail_service_quality.errors import RSQError

__all__ = ["CHUNK", "dataframe", "require_pandas"]

CHUNK = 10_000
"""How many values are turned into column arrays at a time."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DATE = date(1970, 1, 1)
_US = timedelta(microseconds=1)
_NAT = -(2**63)  # numpy's NaT


def require_pandas() -> Any:
    """The pandas module, or an `RSQError` that says what to install."""
    try:
        import pandas
    except ImportError as error:
        raise RSQError(
            "to_dataframe needs pandas: pip install 'retail-service-quality[pandas]'"
        ) from error
    return pandas


def _microseconds(value: Any, kind: str) -> int:
    if value is None:
        return _NAT
    if kind == "datetime":
        return int((value - _EPOCH) // _US)
    if kind == "date":
        return int((value - _EPOCH_DATE).days) * 86_400_000_000
    return int(value // _US)  # a timedelta


def _chunk_array(values: list[Any], column: Column) -> Any:
    """One chunk of a column as a numpy array (or a list, for kinds pandas finishes)."""
    import numpy

    if column.kind in ("datetime", "date", "timedelta"):
        unit = "timedelta64[us]" if column.kind == "timedelta" else "datetime64[us]"
        return numpy.array(
            [_microseconds(value, column.kind) for value in values], dtype="int64"
        ).view(unit)
    if column.kind == "float":
        return numpy.array([numpy.nan if v is None else v for v in values], dtype="float64")
    if column.kind in ("int", "bool") and not column.nullable:
        return numpy.array(values, dtype="int64" if column.kind == "int" else "bool")
    array = numpy.empty(len(values), dtype=object)
    array[:] = values
    return array


def _series(pandas: Any, parts: list[Any], column: Column) -> Any:
    import numpy

    data = numpy.concatenate(parts) if parts else _chunk_array([], column)
    kind = column.kind
    if kind == "datetime":
        return pandas.Series(data, name=column.name).dt.tz_localize("UTC")
    if kind in ("date", "timedelta", "float"):
        return pandas.Series(data, name=column.name)
    if kind == "int":
        dtype = "Int64" if column.nullable else "int64"
        return pandas.Series(pandas.array(data, dtype=dtype), name=column.name)
    if kind == "bool":
        dtype = "boolean" if column.nullable else "bool"
        return pandas.Series(pandas.array(data, dtype=dtype), name=column.name)
    if kind == "text":
        return pandas.Series(pandas.array(data, dtype="string"), name=column.name)
    if kind == "category":
        dtype = pandas.CategoricalDtype(list(column.categories))
        return pandas.Series(pandas.Categorical(data, dtype=dtype), name=column.name)
    if kind == "id":
        observed = sorted({value for value in data if value is not None})
        dtype = pandas.CategoricalDtype(observed)
        return pandas.Series(pandas.Categorical(data, dtype=dtype), name=column.name)
    return pandas.Series(data, name=column.name, dtype=object)


def dataframe(values: Iterable[Any], kind: type | None, *, personal: bool) -> Any:
    """A DataFrame of values all of type ``kind`` (``None``: no values, no columns).

    The values are read once, a chunk at a time; only the column arrays are kept.
    """
    pandas = require_pandas()
    if kind is None:
        return pandas.DataFrame()
    layout: Layout = layout_of(kind, personal)
    parts: list[list[Any]] = [[] for _ in layout.columns]
    iterator = iter(values)
    while True:
        chunk = list(itertools.islice(iterator, CHUNK))
        if not chunk:
            break
        columns: list[list[Any]] = [[] for _ in layout.columns]
        for value in chunk:
            for row in layout.rows(value):
                for index, column in enumerate(layout.columns):
                    columns[index].append(row[column.name])
        for index, column in enumerate(layout.columns):
            parts[index].append(_chunk_array(columns[index], column))
        del chunk, columns  # before the next chunk is read: one chunk held at a time
    series = [
        _series(pandas, part, column) for part, column in zip(parts, layout.columns, strict=True)
    ]
    return pandas.concat(series, axis=1) if series else pandas.DataFrame()
