"""Logic that every adapter shares: argument checks, units of work, summaries, trusted loads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality._internal.validation import MAX_VERSION, check_aware, check_id
from retail_service_quality.customers.consent import EVENT_KINDS, ConsentScope
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest
from retail_service_quality.customers.uses import DATA_USE_KINDS
from retail_service_quality.errors import (
    NotFoundError,
    Problems,
    StorageError,
    ValidationError,
)
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage._time import instant_us, offset_at, period_start
from retail_service_quality.storage.ports import GroupBy, InteractionSummary, Period
from retail_service_quality.storage.ports.interactions import check_short_abandon

__all__ = [
    "MAX_VERSION",
    "Summary",
    "UnitOfWorkState",
    "acquire",
    "EVENT_RANK",
    "USE_RANK",
    "HoldFilter",
    "RequestFilter",
    "check_busy_timeout",
    "check_customer_argument",
    "check_event",
    "check_events",
    "check_since",
    "check_storable",
    "suppression_bound",
    "suppression_key",
    "event_order",
    "check_id_argument",
    "check_query",
    "check_read_only",
    "check_record",
    "check_records",
    "check_summary_arguments",
    "check_version_storable",
    "offset_segments",
    "trusted_loader",
]

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")

_GROUPS: Final = ("period", "store", "channel")
_PERIODS: Final = ("day", "week", "month")
_SAMPLE_S: Final = 6 * 3_600  # no zone changes its offset twice within six hours
_WINDOW_S: Final = 32 * 86_400  # intervals with rows are split down to this, then sampled


# ---------------------------------------------------------------- arguments


def _article(name: str) -> str:
    return ("an " if name[0] in "AEIOUaeiou" else "a ") + name


def check_record(value: object, kind: type[Any], path: str = "$") -> None:
    """Raise `ValidationError` unless ``value`` is a ``kind`` record."""
    if not isinstance(value, kind):
        raise ValidationError.single(path, f"must be {_article(kind.__name__)}", "type")


def check_records(values: object, kind: type[T]) -> Iterator[T]:
    """The records of an iterable, checked one by one as they are consumed.

    At the first item that is not a ``kind``, the rest are read only to be
    checked, and every problem is raised at once as a `ValidationError`.
    """
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise ValidationError.single("$", f"must be an iterable of {kind.__name__} records", "type")
    problems = Problems()
    for index, value in enumerate(values):
        if not isinstance(value, kind):
            problems.add(f"$[{index}]", f"must be {_article(kind.__name__)}", "type")
        elif not problems:
            yield value
    problems.raise_if_any()


def check_id_argument(value: object) -> str:
    """An id to look up: text, or `ValidationError`; text no record can have is `NotFoundError`."""
    if not isinstance(value, str):
        raise ValidationError.single("$.id", "must be an identifier (text)", "type")
    problems = Problems()
    check_id(value, "$.id", problems)
    if problems:
        raise NotFoundError("no record has an id of that form")
    return value


def check_query(value: object, kind: type[Any]) -> None:
    """Raise `ValidationError` unless ``value`` is ``None`` or a ``kind``."""
    if value is not None and not isinstance(value, kind):
        raise ValidationError.single(
            "$.query", f"must be {_article(kind.__name__)} or None", "type"
        )


def check_version_storable(version: int, *, saving: bool) -> None:
    """Raise `StorageError` for a version no store can hold (or raise by one, when saving)."""
    if version > MAX_VERSION - (1 if saving else 0):
        raise StorageError(f"a record's version cannot exceed {MAX_VERSION} (2**53 - 1)")


def check_busy_timeout(value: object, problems: Problems) -> float:
    """The lock timeout in seconds, or a problem at ``$.busy_timeout``."""
    if not isinstance(value, timedelta) or value < timedelta(0) or value > timedelta(days=1):
        problems.add(
            "$.busy_timeout",
            "must be a timedelta from zero to one day",
            "range" if isinstance(value, timedelta) else "type",
        )
        return 0.0
    return value.total_seconds()


def check_read_only(value: object) -> bool:
    """``read_only`` must be a bool."""
    if not isinstance(value, bool):
        raise ValidationError.single("$.read_only", "must be True or False", "type")
    return value


# ---------------------------------------------------------------- privacy records

EVENT_RANK: Final = {kind: rank for rank, kind in enumerate(EVENT_KINDS)}
"""Each consent event type's place among events at one instant (`ConsentLedger.events`)."""

_SCOPES: Final = tuple(scope.value for scope in ConsentScope)

USE_RANK: Final = {kind: rank for rank, kind in enumerate(DATA_USE_KINDS)}
"""Each data-use type's place among uses at one instant: marketing, then provision."""


def event_order(record: Any) -> tuple[str, int, int, str]:
    """Where a ledger event or a data use sorts: customer, instant, type, event id."""
    ranks = EVENT_RANK if record.kind in EVENT_RANK else USE_RANK
    return record.customer_id, instant_us(record.at), ranks[record.kind], record.event_id


def check_events(values: object, kinds: tuple[type, ...], name: str) -> Iterator[Any]:
    """The records of an iterable of ledger events or data uses, checked as they are consumed.

    Like `check_records`, for a union of record types called ``name``.
    """
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise ValidationError.single("$", f"must be an iterable of {name}s", "type")
    problems = Problems()
    for index, value in enumerate(values):
        if not isinstance(value, kinds):
            problems.add(f"$[{index}]", f"must be {_article(name)}", "type")
        elif not problems:
            yield value
    problems.raise_if_any()


def check_storable(record: Any) -> None:
    """What a database could not hold is refused here too, so both adapters agree."""
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        values = value if isinstance(value, tuple) else (value,)
        for item in values:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError as error:
                    raise StorageError(
                        f"the {field.name} cannot be stored: it is not valid Unicode text"
                    ) from error


def check_event(value: object, kinds: tuple[type, ...], name: str) -> None:
    """Raise `ValidationError` unless ``value`` is one of ``kinds`` (together called ``name``)."""
    if not isinstance(value, kinds):
        raise ValidationError.single("$", f"must be {_article(name)}", "type")


def check_customer_argument(value: object, *, optional: bool = False) -> str | None:
    """A customer id to select by (``None`` if ``optional``), or `ValidationError`."""
    if value is None and optional:
        return None
    problems = Problems()
    if not isinstance(value, str):
        problems.add("$.customer_id", "must be an identifier (text)", "type")
    else:
        check_id(value, "$.customer_id", problems)
    problems.raise_if_any()
    assert isinstance(value, str)
    return value


def check_since(value: object) -> int | None:
    """``since`` as an instant in microseconds (``None``: no bound), or `ValidationError`."""
    if value is None:
        return None
    problems = Problems()
    check_aware(value, "$.since", problems)
    problems.raise_if_any()
    assert isinstance(value, datetime)
    return instant_us(value)


def _check_flag(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.single(path, "must be True or False", "type")
    return value


def suppression_bound(at: object) -> int:
    """The latest listing instant (microseconds) a suppression lookup ``at`` an instant sees."""
    if at is None:
        return 2**63 - 1
    problems = Problems()
    check_aware(at, "$.at", problems)
    problems.raise_if_any()
    assert isinstance(at, datetime)
    return instant_us(at)


def suppression_key(digest: object, scope: object) -> tuple[str, str]:
    """A suppression-list lookup's ``(digest, scope)``, or `ValidationError` listing both."""
    problems = Problems()
    if not isinstance(digest, str):
        problems.add("$.digest", "must be a digest (text)", "type")
    chosen = None
    if isinstance(scope, str) and scope in _SCOPES:
        chosen = scope if not isinstance(scope, ConsentScope) else scope.value
    else:
        problems.add(
            "$.scope",
            "must be a consent scope: " + ", ".join(_SCOPES),
            "unknown_choice" if isinstance(scope, str) else "type",
        )
    problems.raise_if_any()
    assert isinstance(digest, str)
    assert chosen is not None
    return digest, chosen


@attrs.frozen
class RequestFilter:
    """Which privacy requests a query selects (checked arguments of the port's `query`)."""

    customer_id: str | None
    open_only: bool

    @classmethod
    def of(cls, customer_id: object, open_only: object) -> RequestFilter:
        """The filter, once its arguments are checked."""
        return cls(
            check_customer_argument(customer_id, optional=True),
            _check_flag(open_only, "$.open_only"),
        )

    def matches(self, request: PrivacyRequest) -> bool:
        """Whether a request is selected."""
        return (self.customer_id is None or request.customer_id == self.customer_id) and (
            not self.open_only or request.is_open
        )


@attrs.frozen
class HoldFilter:
    """Which legal holds a query selects: one customer's, or every one."""

    customer_id: str | None = None

    def matches(self, hold: LegalHold) -> bool:
        """Whether a hold is selected."""
        return self.customer_id is None or hold.customer_id == self.customer_id


# ---------------------------------------------------------------- units of work


class UnitOfWorkState:
    """What every adapter's unit of work tracks: active or not, read-only or not, no nesting.

    ``local`` is the store's thread-local state: a thread may run one unit of
    work at a time on a store. ``generation`` changes on every rollback: a
    query being read when its unit of work rolls back ends with `StorageError`.
    """

    def __init__(self, local: threading.local, *, read_only: bool) -> None:
        self._local = local
        self._read_only = read_only
        self._active = False
        self.generation = 0

    @property
    def active(self) -> bool:
        """Whether the unit of work is in use (inside its with block)."""
        return self._active

    def check_active(self) -> None:
        if not self._active:
            raise StorageError("the unit of work is not active: use it inside a with block")

    def check_writable(self) -> None:
        self.check_active()
        if self._read_only:
            raise StorageError("this unit of work is read-only")

    def check_stream(self, generation: int) -> None:
        self.check_active()
        if generation != self.generation:
            raise StorageError("the unit of work rolled back while this query was being read")

    def _begin(self) -> None:
        if self._active:
            raise StorageError("the unit of work is already in use")
        if getattr(self._local, "busy", False):
            raise StorageError(
                "units of work on one store cannot be nested: finish the outer one first"
            )
        self._local.busy = True
        self._active = True

    def _end(self) -> None:
        self._active = False
        self._local.busy = False


def acquire(lock: threading.RLock, seconds: float) -> None:
    """Take the store's in-process lock, or raise `StorageError` after ``seconds``."""
    if not lock.acquire(timeout=seconds):
        raise StorageError(
            "another unit of work in this process held the store past the busy timeout "
            f"({seconds:g} s)"
        )


# ---------------------------------------------------------------- trusted loads


def trusted_loader(
    kind: type[R],
    fields: Sequence[tuple[str, str]],
    helpers: dict[str, Any],
    failure: Callable[[Any, Exception], StorageError],
) -> Callable[[Any], R]:
    """A function building ``kind`` from a stored row, without validating it again.

    For rows the adapter wrote itself: the values were validated when the
    record was made, so they are set on a new instance directly (attrs' frozen
    classes are slotted; ``object.__setattr__`` bypasses the frozen guard).
    ``fields`` pairs every field of ``kind`` with a Python expression over
    ``row`` and ``helpers`` that gives its value. A row that cannot be mapped
    (`KeyError`, `TypeError`, `ValueError`, `OverflowError`, `StorageError`)
    raises the `StorageError` that ``failure(row, error)`` gives.
    """
    names = [name for name, _ in fields]
    expected = {field.name for field in attrs.fields(kind)}  # type: ignore[arg-type]
    if set(names) != expected or len(names) != len(expected):
        raise TypeError(f"the fields of {kind.__name__} changed: update the row mapping")
    lines = ["def load(row):", "    try:", "        record = new(kind)"]
    lines += [f"        put(record, {name!r}, {source})" for name, source in fields]
    lines += [
        "        return record",
        "    except (KeyError, TypeError, ValueError, OverflowError, StorageError) as error:",
        "        raise failure(row, error) from error",
    ]
    namespace: dict[str, Any] = {
        **helpers,
        "new": object.__new__,
        "put": object.__setattr__,
        "kind": kind,
        "failure": failure,
        "StorageError": StorageError,
    }
    exec("\n".join(lines), namespace)  # built from attrs field names and the adapter's own code
    load: Callable[[Any], R] = namespace["load"]
    return load


# ---------------------------------------------------------------- summaries


def check_summary_arguments(
    group_by: object,
    period: object,
    utc_offset: object,
    zone: object = None,
    *,
    short_abandon: object = timedelta(0),
) -> tuple[tzinfo, tuple[GroupBy, ...]]:
    """Check a summary's arguments; return the zone its periods are read in, and the keys."""
    problems = Problems()
    check_short_abandon(short_abandon, problems)
    keys = () if isinstance(group_by, str | bytes) else _tuple_or_none(group_by)
    if keys is None or not all(isinstance(key, str) and key in _GROUPS for key in keys):
        problems.add(
            "$.group_by",
            "must be a list drawn from 'period', 'store' and 'channel'",
            "type"
            if keys is None or not all(isinstance(key, str) for key in keys)
            else "unknown_choice",
        )
        keys = None
    elif len(set(keys)) != len(keys):
        problems.add("$.group_by", "must not repeat a key", "duplicate")
    if not isinstance(period, str) or period not in _PERIODS:
        problems.add(
            "$.period",
            "must be 'day', 'week' or 'month'",
            "unknown_choice" if isinstance(period, str) else "type",
        )
    if not isinstance(utc_offset, timedelta) or abs(utc_offset) >= timedelta(hours=24):
        problems.add(
            "$.utc_offset",
            "must be a timedelta of less than 24 hours either way",
            "range" if isinstance(utc_offset, timedelta) else "type",
        )
    elif utc_offset % timedelta(minutes=1):
        problems.add("$.utc_offset", "must be a whole number of minutes", "invalid")
    elif zone is not None and utc_offset:
        problems.add("$.utc_offset", "give a utc_offset or a timezone, not both", "inconsistent")
    found: tzinfo | None = None
    if zone is not None:
        try:
            found = ZoneInfo(zone) if isinstance(zone, str) and zone else None
        except (KeyError, ValueError, OSError):
            found = None
        if found is None:
            problems.add(
                "$.timezone",
                "not a known IANA time zone",
                "unknown_choice" if isinstance(zone, str) else "type",
            )
    problems.raise_if_any()
    assert keys is not None
    if found is not None:
        return found, keys
    assert isinstance(utc_offset, timedelta)
    return timezone(utc_offset), keys


def _tuple_or_none(values: object) -> tuple[Any, ...] | None:
    """The items of an iterable (read once), or None for anything else."""
    if not isinstance(values, Iterable):
        return None
    try:
        return tuple(values)
    except Exception:  # an iterable that fails to iterate is not a list of keys
        return None


def offset_segments(
    zone: tzinfo,
    first_at_or_after: Callable[[int | None], int | None],
    last_at_or_before: Callable[[int | None], int | None],
) -> list[tuple[int, int]]:
    """The UTC offsets (microseconds) ``zone`` gives the rows, as ``(from_us, offset_us)`` pairs.

    The two callables find the first row at or after, and the last row at or
    before, an instant (``None``: no bound). Time spans without rows are
    skipped by splitting on rows, so the cost follows the rows, not the span
    of time between them; spans of up to a month that hold rows are sampled
    every six hours and bisected to the second where the offset changes. The
    first pair's ``from_us`` is the first row's instant; each offset holds until
    the next pair's.
    """
    first = first_at_or_after(None)
    last = last_at_or_before(None)
    if first is None or last is None:
        return []
    windows: list[tuple[int, int]] = []
    pending = [(first, last)]
    while pending:
        low, high = pending.pop()
        if high - low <= _WINDOW_S * 1_000_000:
            windows.append((low, high))
            continue
        middle = (low + high) // 2
        left = last_at_or_before(middle)
        right = first_at_or_after(middle + 1)
        if left is not None and left >= low:
            pending.append((low, left))
        if right is not None and right <= high:
            pending.append((right, high))
    windows.sort()
    segments: list[tuple[int, int]] = []
    for low, high in windows:
        for start, offset in _window_segments(zone, low // 1_000_000, high // 1_000_000):
            if not segments or segments[-1][1] != offset:
                segments.append((max(start * 1_000_000, low), offset))
    return segments


def _window_segments(zone: tzinfo, first_s: int, last_s: int) -> list[tuple[int, int]]:
    """The offsets from ``first_s`` to ``last_s`` (seconds), sampled and bisected."""
    segments = [(first_s, offset_at(zone, first_s))]
    low = first_s
    while low < last_s:
        high = min(low + _SAMPLE_S, last_s)
        if offset_at(zone, high) != segments[-1][1]:
            below, above = low, high
            while above - below > 1:
                middle = (below + above) // 2
                if offset_at(zone, middle) == segments[-1][1]:
                    below = middle
                else:
                    above = middle
            segments.append((above, offset_at(zone, above)))
            low = above
        else:
            low = high
    return segments


SummaryKey = tuple[date | None, str | None, Channel | None]


class Summary:
    """Summary rows being gathered: groups keyed by local day number, store and channel."""

    def __init__(self, group_by: Iterable[GroupBy], period: Period) -> None:
        keys = set(group_by)
        self.by_period = "period" in keys
        self.by_store = "store" in keys
        self.by_channel = "channel" in keys
        self._period = period
        self._groups: dict[SummaryKey, list[int]] = {}
        self._starts: dict[int, date] = {}

    def add(
        self, day: int | None, store: str | None, channel: Channel | None, totals: Sequence[int]
    ) -> None:
        """Add a group's count, handled count, handle-time sum (microseconds), calls offered,
        calls abandoned and short abandons."""
        start: date | None = None
        if self.by_period and day is not None:
            start = self._starts.get(day)
            if start is None:
                start = self._starts[day] = period_start(day, self._period)
        key = (
            start,
            store if self.by_store else None,
            channel if self.by_channel else None,
        )
        found = self._groups.get(key)
        if found is None:
            self._groups[key] = list(totals)
        else:
            for index, total in enumerate(totals):
                found[index] += total

    def rows(self) -> RecordList[InteractionSummary]:
        """The summary, ordered by period, then store, then channel (code-point order)."""
        try:
            rows = [
                InteractionSummary(
                    period=key[0],
                    store_id=key[1],
                    channel=key[2],
                    count=totals[0],
                    handled=totals[1],
                    handle_time=timedelta(microseconds=totals[2]),
                    offered=totals[3],
                    abandoned=totals[4],
                    short_abandoned=totals[5],
                )
                for key, totals in self._groups.items()
            ]
        except OverflowError as error:
            raise StorageError("a handle-time sum is too large to represent") from error
        rows.sort(
            key=lambda row: (
                "" if row.period is None else row.period.isoformat(),
                row.store_id or "",
                "" if row.channel is None else row.channel.value,
            )
        )
        return RecordList(InteractionSummary, rows)


def documented_by(protocol: type) -> Callable[[type[C]], type[C]]:
    """Give an adapter's public methods the docstrings of the port they implement.

    So that ``help(uow.interactions.summarize)`` in a notebook says what the
    port promises, whichever adapter answers.
    """

    def decorate(cls: type[C]) -> type[C]:
        for name, member in vars(protocol).items():
            if name.startswith("_") or not callable(member) or not member.__doc__:
                continue
            method = vars(cls).get(name)  # its own methods: a shared base serves other ports too
            if callable(method) and not method.__doc__:
                method.__doc__ = member.__doc__
        return cls

    return decorate
