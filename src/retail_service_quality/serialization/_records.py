"""Records and DataFrames out: flat rows of any of the library's records or results."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

from retail_service_quality._internal.display import html_table
from retail_service_quality._internal.frames import dataframe
from retail_service_quality._internal.records import is_tabular_type, layout_of, rows_of
from retail_service_quality.errors import InvalidTransitionError, ValidationError

__all__ = ["RecordList", "RecordStream", "record_columns", "to_dataframe", "to_records"]

T = TypeVar("T")

_NOT_RECORDS = "must be one of the library's records or results, or an iterable of them"


def _check_personal(personal: object) -> None:
    if not isinstance(personal, bool):
        raise ValidationError.single("$.personal", "must be true or false", "type")


def _check_cls(cls: object) -> type | None:
    if cls is None:
        return None
    if not isinstance(cls, type) or not is_tabular_type(cls):
        raise ValidationError.single("$.cls", "must be one of the library's record types", "type")
    return cls


def _typed(objects: object, cls: type | None) -> tuple[type | None, Iterator[Any]]:
    """The type of the values and an iterator over them, every value checked as it comes."""
    if is_tabular_type(type(objects)):
        if cls is not None and type(objects) is not cls:
            raise ValidationError.single("$", f"must be a {cls.__name__}", "type")
        return type(objects), iter([objects])
    if isinstance(objects, str | bytes | bytearray | dict) or not isinstance(objects, Iterable):
        raise ValidationError.single("$", _NOT_RECORDS, "type")
    if isinstance(objects, RecordStream) and objects.exhausted:
        raise InvalidTransitionError(
            "this query's stream has been read to its end already: run the query again"
        )
    kind = cls or getattr(objects, "item_type", None)
    iterator = iter(objects)
    if kind is None:
        first = next(iterator, _END)
        if first is _END:
            return None, iter(())
        kind = type(first)
        iterator = itertools.chain([first], iterator)
    if not is_tabular_type(kind):
        raise ValidationError.single("$[0]", _NOT_RECORDS, "type")
    return kind, _checked(iterator, kind)


_END = object()


def _checked(values: Iterator[Any], kind: type) -> Iterator[Any]:
    for index, value in enumerate(values):
        if type(value) is not kind:
            raise ValidationError.single(
                f"$[{index}]", f"must be a {kind.__name__}, like the others", "type"
            )
        yield value


def to_records(
    objects: Any, *, personal: bool = False, cls: type | None = None
) -> list[dict[str, Any]]:
    """Flat rows (dicts) of any of the library's records or results, all of one type.

    ``objects`` is one value, or any iterable of values of one type:
    customers, interactions, a query's stream, summaries, results. Each value
    gives one row, or one per group or dimension for results that hold
    several (a SERVQUAL result gives one per dimension). Nested intervals
    become ``low``, ``high`` and ``confidence`` columns; enums their values;
    computed properties (``average_handle_time``) are columns too;
    datetimes stay aware, as stored.

    Fields holding personal data (a customer's name, an interaction's notes)
    are left out unless ``personal=True``: an export for analytics carries
    none by default.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Customer, to_records
        >>> joined = datetime(2026, 11, 1, tzinfo=timezone.utc)
        >>> customer = Customer(id="C-1", name="Chan Tai Man", created_at=joined)
        >>> row = to_records([customer])[0]
        >>> "name" in row, row["tier"]
        (False, 'standard')
        >>> to_records([customer], personal=True)[0]["name"]
        'Chan Tai Man'

    Raises:
        ValidationError: something that is not one of the library's records
            or results, or values of different types (the path names the first).
    """
    _check_personal(personal)
    kind, values = _typed(objects, _check_cls(cls))
    if kind is None:
        return []
    return list(rows_of(values, personal))


def to_dataframe(objects: Any, *, personal: bool = False, cls: type | None = None) -> Any:
    """A pandas DataFrame of the library's records or results, with typed columns.

    Takes what `to_records` takes, reads it once, a chunk at a time (a
    query's stream of millions of interactions is never held as objects),
    and types each column: ``datetime64[us, UTC]`` for instants,
    ``timedelta64[us]`` for durations, ``category`` for enums (every value
    of the enum as a category) and for identifiers such as ``store_id``,
    ``Int64`` where a count can be missing, ``string`` for text.

    An empty input gives the type's columns with no rows when the type is
    known: from ``cls``, or from a store's query stream or summary list,
    which carry it; otherwise a frame with no columns.

    Needs pandas: ``pip install 'retail-service-quality[pandas]'``.

    Examples:
        >>> from retail_service_quality import nps, to_dataframe
        >>> frame = to_dataframe([nps([10, 9, 7, 3]), nps([10, 10, 9, 0])])
        >>> frame[["n", "score", "low", "high"]].round(1).to_dict("records")
        [{'n': 4, 'score': 25.0, 'low': -56.3, 'high': 100.0}, {'n': 4, 'score': 50.0, 'low': -34.9, 'high': 100.0}]

    Raises:
        RSQError: pandas is not installed.
        ValidationError: as for `to_records`.
    """  # noqa: E501
    _check_personal(personal)
    kind, values = _typed(objects, _check_cls(cls))
    return dataframe(values, kind, personal=personal)


def record_columns(cls: type, *, personal: bool = False) -> list[str]:
    """The column names of ``cls``'s records, in order.

    Examples:
        >>> from retail_service_quality import InteractionSummary, record_columns
        >>> record_columns(InteractionSummary)[:7]
        ['period', 'store_id', 'channel', 'count', 'handled', 'handle_time', 'offered']
        >>> record_columns(InteractionSummary)[-2:]
        ['average_handle_time', 'abandonment_rate']
    """
    _check_personal(personal)
    kind = _check_cls(cls)
    if kind is None:
        raise ValidationError.single("$.cls", "must be one of the library's record types", "type")
    return [column.name for column in layout_of(kind, personal).columns]


class RecordList(list[T], Generic[T]):
    """A list of records that knows their type: records, a DataFrame and a table from it.

    A store's summaries come as one. It is a plain list in every other way.

    Examples:
        >>> from datetime import timedelta
        >>> from retail_service_quality import InteractionSummary, RecordList
        >>> rows = RecordList(InteractionSummary, [InteractionSummary(period=None,
        ...     store_id="S1", channel=None, count=3, handled=2, handle_time=timedelta(minutes=8))])
        >>> rows.to_records()[0]["average_handle_time"]
        datetime.timedelta(seconds=240)
        >>> rows == [rows[0]], RecordList(InteractionSummary).to_dataframe().shape
        (True, (0, 11))
    """

    item_type: type[T]

    def __init__(self, item_type: type[T], items: Iterable[T] = ()) -> None:
        if not isinstance(item_type, type) or not is_tabular_type(item_type):
            raise ValidationError.single(
                "$.item_type", "must be one of the library's record types", "type"
            )
        super().__init__(items)
        for index, item in enumerate(self):
            if type(item) is not item_type:
                raise ValidationError.single(
                    f"$.items[{index}]", f"must be a {item_type.__name__}", "type"
                )
        self.item_type = item_type

    def to_records(self, *, personal: bool = False) -> list[dict[str, Any]]:
        """The items' flat rows (see `to_records`).

        Examples:
            >>> from retail_service_quality import InteractionSummary, RecordList
            >>> RecordList(InteractionSummary).to_records()
            []
        """
        return to_records(self, personal=personal, cls=self.item_type)

    def to_dataframe(self, *, personal: bool = False) -> Any:
        """The items as a typed DataFrame (see `to_dataframe`); empty: the columns, no rows.

        Examples:
            >>> from retail_service_quality import InteractionSummary, RecordList
            >>> list(RecordList(InteractionSummary).to_dataframe().columns)[:3]
            ['period', 'store_id', 'channel']
        """
        return to_dataframe(self, personal=personal, cls=self.item_type)

    def _repr_html_(self) -> str:
        return html_table(self, self.item_type)


class RecordStream(Iterator[T], Generic[T]):
    """A query's results, read as they are iterated; it knows the type of what it yields.

    Iterate it once, inside its unit of work, or hand it to `to_dataframe`,
    which reads it a chunk at a time (what is left of it, if some was read
    already). A stream read to its end is refused by `to_records` and
    `to_dataframe` with an `InvalidTransitionError` (as when a notebook cell
    that frames it runs twice): run the query again.

    Examples:
        >>> from retail_service_quality import Customer, RecordStream
        >>> stream = RecordStream(Customer, iter([]))
        >>> list(stream), stream.item_type.__name__
        ([], 'Customer')
    """

    item_type: type[T]

    def __init__(self, item_type: type[T], items: Iterator[T]) -> None:
        self.item_type = item_type
        self._items = items
        self._exhausted = False

    @property
    def exhausted(self) -> bool:
        """Whether the stream has been read to its end (and so yields nothing more).

        Examples:
            >>> from retail_service_quality import Customer, RecordStream
            >>> stream = RecordStream(Customer, iter([]))
            >>> stream.exhausted, list(stream), stream.exhausted
            (False, [], True)
        """
        return self._exhausted

    def __iter__(self) -> RecordStream[T]:
        return self

    def __next__(self) -> T:
        try:
            return next(self._items)
        except StopIteration:
            self._exhausted = True
            raise

    def close(self) -> None:
        """Stop reading: release the query's cursor now rather than when collected.

        Examples:
            >>> from retail_service_quality import Customer, RecordStream
            >>> RecordStream(Customer, iter([])).close()
        """
        close = getattr(self._items, "close", None)
        if close is not None:
            close()

    def to_records(self, *, personal: bool = False) -> list[dict[str, Any]]:
        """Read the rest of the stream as flat rows (see `to_records`).

        Examples:
            >>> from retail_service_quality import Customer, RecordStream
            >>> RecordStream(Customer, iter([])).to_records()
            []
        """
        return to_records(self, personal=personal, cls=self.item_type)

    def to_dataframe(self, *, personal: bool = False) -> Any:
        """Read the rest of the stream into a typed DataFrame, a chunk at a time.

        Examples:
            >>> from retail_service_quality import Customer, RecordStream
            >>> columns = RecordStream(Customer, iter([])).to_dataframe().columns.tolist()
            >>> columns[:3], "name" in columns
            (['id', 'home_store_id', 'tier'], False)
        """
        return to_dataframe(self, personal=personal, cls=self.item_type)
