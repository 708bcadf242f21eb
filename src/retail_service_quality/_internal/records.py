"""Flat records of the library's values: the columns a type has, and the rows a value gives.

A record or result flattens into one row per value, or, for a result that
holds one row per dimension or group (``ServqualResult.dimensions``), one row
per key. Nested intervals become ``low``/``high``/``confidence`` columns,
other nested values ``field_part`` columns, enums their values, and public
properties (``average_handle_time``) are columns too. Fields marked personal
are left out unless asked for.

Nothing here imports pandas: `_internal.frames` turns the rows into a
DataFrame, on demand.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from enum import Enum
from types import NoneType, UnionType
from typing import Any, ClassVar, Literal

import attrs

__all__ = [
    "Column",
    "Kind",
    "Layout",
    "Tabular",
    "is_tabular_type",
    "layout_of",
]

Kind = Literal[
    "int", "float", "bool", "text", "id", "category", "datetime", "date", "timedelta", "object"
]
"""What a column holds, and so its DataFrame dtype."""

PACKAGE = "retail_service_quality"


@attrs.frozen
class Column:
    """One column of a type's records: its name, kind, and whether it can be empty.

    ``categories`` lists an enum's values, in declaration order.

    Examples:
        >>> Column("channel", "category", nullable=True, categories=("hotline", "email"))
        Column(name='channel', kind='category', nullable=True, categories=('hotline', 'email'))
    """

    name: str
    kind: Kind
    nullable: bool = False
    categories: tuple[str, ...] = ()


Getter = Callable[[Any], Any]


@attrs.frozen
class Layout:
    """How one type flattens: its columns and, for each, how to read it from a value.

    ``rows_from`` names the mapping field that gives one row per key (its key
    column first), or is ``None`` for one row per value.
    """

    columns: tuple[Column, ...]
    getters: tuple[Getter, ...]
    rows_from: str | None = None
    row_columns: int = 0  # how many leading columns come from the row mapping

    def rows(self, value: Any) -> Iterator[dict[str, Any]]:
        """The flat rows of one value."""
        if self.rows_from is None:
            yield {
                column.name: getter(value)
                for column, getter in zip(self.columns, self.getters, strict=True)
            }
            return
        outer = [
            (column.name, getter(value))
            for column, getter in zip(
                self.columns[self.row_columns :], self.getters[self.row_columns :], strict=True
            )
        ]
        for key, item in getattr(value, self.rows_from).items():
            row = {
                column.name: getter((key, item))
                for column, getter in zip(
                    self.columns[: self.row_columns],
                    self.getters[: self.row_columns],
                    strict=True,
                )
            }
            row.update(outer)
            yield row


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _unwrap(kind: Any) -> tuple[Any, bool]:
    """``X | None`` as ``(X, True)``; anything else as ``(kind, False)``."""
    if typing.get_origin(kind) in (typing.Union, UnionType):
        members = [member for member in typing.get_args(kind) if member is not NoneType]
        nullable = len(members) < len(typing.get_args(kind))
        if len(members) == 1:
            return members[0], nullable
        return Any, nullable
    return kind, False


def _is_interval(kind: Any) -> bool:
    return (
        isinstance(kind, type)
        and attrs.has(kind)
        and {"low", "high", "confidence"} <= {field.name for field in attrs.fields(kind)}
    )


def _scalar(name: str, kind: Any, nullable: bool) -> Column:
    if isinstance(kind, type):
        if issubclass(kind, bool):
            return Column(name, "bool", nullable)
        if issubclass(kind, Enum):
            values = tuple(str(member.value) for member in kind)
            return Column(name, "category", nullable, values)
        if issubclass(kind, int):
            return Column(name, "int", nullable)
        if issubclass(kind, float):
            return Column(name, "float", nullable)
        if issubclass(kind, str):
            return Column(name, "id" if name.endswith("_id") else "text", nullable)
        if issubclass(kind, datetime):
            return Column(name, "datetime", nullable)
        if issubclass(kind, date):
            return Column(name, "date", nullable)
        if issubclass(kind, timedelta):
            return Column(name, "timedelta", nullable)
    return Column(name, "object", nullable)


def _attribute(name: str, read: Getter) -> Getter:
    def get(value: Any) -> Any:
        inner = read(value)
        return None if inner is None else _plain(getattr(inner, name))

    return get


def _top(name: str) -> Getter:
    def get(value: Any) -> Any:
        return _plain(getattr(value, name))

    return get


def _columns(
    prefix: str,
    kind: Any,
    nullable: bool,
    read: Getter,
    personal: bool,
    depth: int,
) -> Iterator[tuple[Column, Getter]]:
    """The columns of a value of ``kind`` read by ``read``, named from ``prefix``."""
    if isinstance(kind, type) and attrs.has(kind) and depth < 3:
        if _is_interval(kind):
            names = ("low", "high", "confidence")
            for part in names:
                name = part if prefix == "interval" else f"{prefix}_{part}"
                yield Column(name, "float", nullable), _attribute(part, read)
            return
        for column, getter in _fields(kind, personal, depth + 1):
            yield (
                attrs.evolve(column, name=f"{prefix}_{column.name}", nullable=True),
                _chain(read, getter),
            )
        return
    yield _scalar(prefix, kind, nullable), read


def _chain(first: Getter, second: Getter) -> Getter:
    def get(value: Any) -> Any:
        inner = first(value)
        return None if inner is None else second(inner)

    return get


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _properties(cls: type) -> Iterator[tuple[str, Any]]:
    """Public properties, with their return types, from the type's own classes."""
    seen: set[str] = set(getattr(cls, "_not_in_records", ()))  # views of fields left out
    for klass in cls.__mro__:
        if not klass.__module__.startswith(PACKAGE) or klass is Tabular:
            continue
        for name, member in vars(klass).items():
            if name.startswith("_") or name in seen or not isinstance(member, property):
                continue
            seen.add(name)
            returns = typing.get_type_hints(member.fget).get("return", Any)
            yield name, returns


def _fields(cls: type, personal: bool, depth: int = 0) -> Iterator[tuple[Column, Getter]]:
    hints = _hints(cls)
    rows_from = getattr(cls, "_rows_from", None)
    for field in attrs.fields(cls):
        if field.name.startswith("_") or field.name == rows_from:
            continue
        if (field.metadata.get("personal") and not personal) or field.metadata.get(
            "records"
        ) is False:
            continue
        kind, nullable = _unwrap(hints.get(field.name, Any))
        yield from _columns(field.name, kind, nullable, _top(field.name), personal, depth)
    if depth == 0:
        for name, returns in _properties(cls):
            kind, nullable = _unwrap(returns)
            yield from _columns(name, kind, nullable, _top(name), personal, depth + 3)


def _row_columns(cls: type, personal: bool) -> list[tuple[Column, Getter]]:
    """The leading columns of a type giving one row per key of its ``_rows_from`` mapping."""
    name: str = cls._rows_from  # type: ignore[attr-defined]
    key_name: str = getattr(cls, "_row_key", "key")
    mapping = _hints(cls)[name]
    key_kind, value_kind = typing.get_args(mapping) or (Any, Any)
    found: list[tuple[Column, Getter]] = [
        (_scalar(key_name, key_kind, False), lambda pair: _plain(pair[0]))
    ]
    value_name: str = getattr(cls, "_row_value", "value")
    found.extend(
        _columns(value_name, value_kind, False, lambda pair: pair[1], personal, 0)
        if not (isinstance(value_kind, type) and attrs.has(value_kind))
        else (
            (column, _chain(lambda pair: pair[1], getter))
            for column, getter in _fields(value_kind, personal, 1)
        )
    )
    return found


_LAYOUTS: dict[tuple[type, bool], Layout] = {}


def layout_of(cls: type, personal: bool = False) -> Layout:
    """The columns of ``cls``'s records and how to read them; cached per type.

    Examples:
        >>> from retail_service_quality import NpsResult
        >>> [column.name for column in layout_of(NpsResult).columns]
        ['n', 'promoters', 'passives', 'detractors', 'score', 'standard_error', 'low', 'high', 'confidence', 'method']
    """  # noqa: E501
    found_layout = _LAYOUTS.get((cls, personal))
    if found_layout is not None:
        return found_layout
    rows_from = getattr(cls, "_rows_from", None)
    leading = _row_columns(cls, personal) if rows_from else []
    found = leading + list(_fields(cls, personal))
    names = [column.name for column, _ in found]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:  # pragma: no cover - a type's own declaration error
        raise TypeError(f"{cls.__name__} flattens to duplicate columns: {sorted(duplicates)}")
    layout = _LAYOUTS[(cls, personal)] = Layout(
        columns=tuple(column for column, _ in found),
        getters=tuple(getter for _, getter in found),
        rows_from=rows_from,
        row_columns=len(leading),
    )
    return layout


def is_tabular_type(cls: type) -> bool:
    """Whether ``cls`` is one of the library's attrs records or results.

    Examples:
        >>> from retail_service_quality import Customer, NpsResult
        >>> is_tabular_type(Customer), is_tabular_type(NpsResult), is_tabular_type(dict)
        (True, True, False)
    """
    return attrs.has(cls) and cls.__module__.startswith(PACKAGE + ".")


class Tabular:
    """Mixin for results: flat records, a DataFrame, and an HTML table in notebooks.

    A subclass that holds one row per key of a mapping field names it in
    ``_rows_from`` (with ``_row_key``, the key column's name, and for a
    mapping of plain numbers ``_row_value``, the value column's name).
    ``_scale`` is the range a bar of the result's interval is drawn on.
    """

    __slots__ = ()

    _rows_from: ClassVar[str | None] = None
    _row_key: ClassVar[str] = "key"
    _row_value: ClassVar[str] = "value"
    _scale: ClassVar[tuple[float, float] | None] = None

    def to_records(self) -> list[dict[str, Any]]:
        """The result as flat rows: one per group, dimension or interval.

        Interval bounds are the ``low`` and ``high`` columns, and computed
        values (such as an interval's ``width`` or an average) are included.
        """
        return list(layout_of(type(self)).rows(self))

    def to_dataframe(self) -> Any:
        """The result's records as a pandas DataFrame, with typed columns.

        Needs pandas (``pip install 'retail-service-quality[pandas]'``);
        without it, an `RSQError` says so.
        """
        from retail_service_quality._internal.frames import dataframe

        return dataframe([self], type(self), personal=False)

    def _repr_html_(self) -> str:
        from retail_service_quality._internal.display import html_table

        return html_table([self], type(self))


def rows_of(values: Iterable[Any], personal: bool) -> Iterator[dict[str, Any]]:
    """The flat rows of values all of one type (checked by the caller)."""
    layout: Layout | None = None
    kind: type | None = None
    for value in values:
        if type(value) is not kind:
            kind = type(value)
            layout = layout_of(kind, personal)
        assert layout is not None
        yield from layout.rows(value)
