"""The one converter between the library's objects and JSON-ready data.

Built the way cattrs' ``preconf`` converters are: `make_converter` returns a
fresh converter configured by `configure_converter`, so an embedder can add
hooks of their own on top. `structure` turns any failure, however deep, into
one `ValidationError` listing every problem with its ``$``-path, ready for a
form to point at; it raises nothing else, whatever the data.

Problems are found in one round: each field of a record is structured on its
own and its type problems collected; the record's own rules then run on the
fields that did structure, and every problem is reported together.

Dates are ISO 8601 strings. Datetimes are ISO 8601 strings with their UTC
offset; a datetime in an IANA zone also names the zone in an RFC 9557
suffix (``"2026-10-25T01:30:00+01:00[Europe/London]"``), so a round trip
gives the same zone, offset and fold. Plain ISO 8601 with an offset reads as
a fixed-offset datetime; a naive datetime, an unknown zone, an offset the
zone does not have at that wall time (a conflict, refused rather than
guessed), a wall time the zone skips and an instant outside the supported
range (0001-01-02 to 9999-12-30 UTC) are refused. Time spans are a number of
seconds. Scalars are strict: a string is not a number, a number is not a
string, and a bool is neither (integers may also come as strings of digits,
since JSON object keys are always strings). Text must be valid Unicode.

Examples:
    >>> from retail_service_quality import BusinessCalendar
    >>> cal = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
    >>> data = unstructure(cal)
    >>> data["hours"]["mon"]
    [['09:00', '18:00']]
    >>> structure(data, BusinessCalendar) == cal
    True
    >>> bad = {"timezone": "Asia/Hong_Kong", "hours": {"mon": [["9am", "18"]]}}
    >>> try:
    ...     structure(bad, BusinessCalendar)
    ... except ValidationError as error:
    ...     print([problem.path for problem in error.problems])
    ['$.hours.mon[0][0]', '$.hours.mon[0][1]']
"""

from __future__ import annotations

import collections.abc
import json
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from enum import Enum, StrEnum
from functools import cache
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    CattrsError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.times import (
    format_datetime,
    instant_code,
    instant_problem,
    parse_datetime,
)
from retail_service_quality._internal.validation import is_text
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.calendar._json import calendar_from_data, calendar_to_data
from retail_service_quality.errors import Problem, Problems, ValidationError, join_path

__all__ = [
    "configure_converter",
    "default_converter",
    "from_json",
    "make_converter",
    "structure",
    "to_json",
    "unstructure",
]

T = TypeVar("T")
# An integer map key as JSON writes it: no sign but a minus, no leading zeros, no spaces.
_INTEGER_KEY = re.compile(r"\A(?:0|-?[1-9][0-9]{0,299})\Z")
_TOO_LONG = 10**300  # the smallest integer of 301 digits
# The largest number of seconds a timedelta holds (999,999,999 days).
_MAX_SECONDS = timedelta.max.total_seconds()
# Deeper JSON than this is refused before Python's recursion limit is near.
_MAX_DEPTH = 200
_OBJECT = "must be an object"
_LIST = "must be a list"
# What the record hooks pass for a field that did not structure, so the record's
# own rules still run on the others; problems under that field are dropped.
_UNSET = object()


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValidationError.single("$", "must be a date written YYYY-MM-DD", "type")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError.single("$", "must be a date written YYYY-MM-DD", "format") from None


def _structure_datetime(value: object, _: type) -> datetime:
    if isinstance(value, datetime):
        problem = instant_problem(value)
        if problem is not None:
            raise ValidationError.single("$", problem, instant_code(problem))
        return value
    if not isinstance(value, str):
        raise ValidationError.single(
            "$", "must be an ISO 8601 date and time with its UTC offset, as text", "type"
        )
    try:
        return parse_datetime(value)
    except ValueError as error:
        raise ValidationError.single("$", str(error), instant_code(str(error))) from None


def _structure_timedelta(value: object, _: type) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError.single("$", "must be a number of seconds", "type")
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds) or abs(seconds) > _MAX_SECONDS:
        raise ValidationError.single(
            "$", "must be a number of seconds within 999,999,999 days either way", "range"
        )
    return timedelta(seconds=value)


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool):
        raise ValidationError.single("$", "must be an integer", "type")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raise ValidationError.single("$", "must be an integer", "type")
    if abs(number) >= _TOO_LONG:  # what from_json could not read back
        raise ValidationError.single("$", "must be an integer of at most 300 digits", "range")
    return number


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError.single("$", "must be a number", "type")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValidationError.single("$", "must be a finite number", "type")
    return number


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ValidationError.single("$", "must be a string", "type")
    if not is_text(value):
        raise ValidationError.single(
            "$", "must be valid Unicode text (no lone surrogates)", "format"
        )
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.single("$", "must be true or false", "type")
    return value


def _structure_enum(value: object, kind: type[Enum]) -> Enum:
    if isinstance(value, kind):
        return value
    if not isinstance(value, bool) and isinstance(value, str | int | float):
        try:
            return kind(value)
        except (ValueError, TypeError):
            code = "unknown_choice"
    else:
        code = "type"
    choices = ", ".join(str(member.value) for member in kind)
    raise ValidationError.single("$", f"must be one of: {choices}", code)


def _unstructure_timedelta(value: timedelta) -> int | float:
    seconds = value.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def _unstructure_calendar(cal: BusinessCalendar) -> dict[str, Any]:
    return calendar_to_data(cal)


def _structure_calendar(value: object, _: type) -> BusinessCalendar:
    return calendar_from_data(value)


# ---------------------------------------------------------------- containers and records


def _args(kind: Any) -> tuple[Any, ...]:
    return typing.get_args(kind)


_SEQUENCES: dict[Any, Callable[[list[Any]], Any]] = {
    list: list,
    collections.abc.Sequence: list,
    collections.abc.MutableSequence: list,
    set: set,
    collections.abc.Set: frozenset,
    collections.abc.MutableSet: set,
    frozenset: frozenset,
}
_MAPPINGS = (dict, collections.abc.Mapping, collections.abc.MutableMapping)


def _is_sequence(kind: Any) -> bool:
    origin = typing.get_origin(kind)
    if origin is tuple:
        args = _args(kind)
        return len(args) == 2 and args[1] is Ellipsis
    return origin in _SEQUENCES


def _is_mapping(kind: Any) -> bool:
    return typing.get_origin(kind) in _MAPPINGS


def _problems_of(error: BaseException, path: str) -> list[Problem]:
    if isinstance(error, ValidationError):
        return [problem.under(path) for problem in error.problems]
    if isinstance(error, ForbiddenExtraKeysError):
        return [
            Problem(join_path(path, str(key)), "unknown field", "unknown_field")
            for key in error.extra_fields
        ]
    if isinstance(error, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        with_notes, without_notes = error.group_exceptions()
        for inner, note in with_notes:
            if isinstance(error, IterableValidationError):
                index = getattr(note, "index", None)
                child = join_path(path, index if isinstance(index, int) else str(index))
            else:
                child = join_path(path, str(getattr(note, "name", "?")))
            found.extend(_problems_of(inner, child))
        for inner in without_notes:
            found.extend(_problems_of(inner, path))
        return found
    if isinstance(error, KeyError):
        return [Problem(path, "required", "required")]
    if isinstance(error, RecursionError):
        return [Problem(path, "is nested too deeply", "range")]
    return [Problem(path, "does not have the expected type or shape", "type")]


def _structure_part(
    converter: cattrs.Converter, value: object, kind: Any, path: str, problems: Problems
) -> Any:
    """``value`` structured as ``kind``; on failure its problems are recorded under ``path``."""
    try:
        return converter.structure(value, kind)
    except (
        ValidationError,
        ClassValidationError,
        IterableValidationError,
        ForbiddenExtraKeysError,
        CattrsError,
        ArithmeticError,
        AttributeError,
        LookupError,
        RecursionError,
        TypeError,
        ValueError,
    ) as error:
        problems.extend(_problems_of(error, path))
        return _UNSET


def _sequence_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(kind: Any) -> Callable[[Any, Any], Any]:
        args = _args(kind)
        item = args[0] if args else Any
        origin = typing.get_origin(kind)
        build: Callable[[list[Any]], Any] = tuple if origin is tuple else _SEQUENCES[origin]

        def hook(value: Any, _: Any) -> Any:
            if isinstance(value, str | bytes | Mapping) or not isinstance(
                value, list | tuple | set | frozenset
            ):
                raise ValidationError.single("$", _LIST, "type")
            problems = Problems()
            items = [
                _structure_part(converter, element, item, join_path("$", index), problems)
                for index, element in enumerate(value)
            ]
            problems.raise_if_any()
            try:
                return build(items)
            except TypeError:  # unhashable members of a set
                raise ValidationError.single(
                    "$", "must be a list of distinct values", "type"
                ) from None

        return hook

    return factory


def _mapping_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(kind: Any) -> Callable[[Any, Any], Any]:
        args = _args(kind)
        key_type, value_type = args if len(args) == 2 else (Any, Any)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValidationError.single("$", _OBJECT, "type")
            problems = Problems()
            result: dict[Any, Any] = {}
            for raw_key, raw_value in value.items():
                path = join_path("$", raw_key if isinstance(raw_key, str) else str(raw_key))
                key: Any
                if key_type is int and isinstance(raw_key, str):
                    # JSON keys are text: an integer key is read from its plain decimal form.
                    if _INTEGER_KEY.match(raw_key):
                        key = int(raw_key)
                    else:
                        problems.add(
                            path,
                            "must be an integer key written plainly (no '+', leading zeros "
                            "or spaces)",
                            "format",
                        )
                        key = _UNSET
                else:
                    key = _structure_part(converter, raw_key, key_type, path, problems)
                item = _structure_part(converter, raw_value, value_type, path, problems)
                if key is _UNSET or item is _UNSET:
                    continue
                try:
                    if key in result:
                        problems.add(path, "names a key given already", "duplicate")
                        continue
                    result[key] = item
                except TypeError:
                    problems.add(path, "must be a key that can be looked up", "type")
            problems.raise_if_any()
            return result

        return hook

    return factory


def _under(path: str, roots: set[str]) -> bool:
    return any(path == root or path.startswith((root + ".", root + "[")) for root in roots)


def _record_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Structure an attrs record field by field, then run its own rules, all in one round."""

    def factory(kind: type) -> Callable[[Any, Any], Any]:
        fields = [field for field in attrs.fields(kind) if field.init]
        try:
            hints = typing.get_type_hints(kind)
        except (NameError, TypeError):
            hints = {field.name: field.type for field in fields}
        names = {field.alias or field.name: field for field in fields}
        paths = {name: join_path("$", name) for name in names}

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValidationError.single("$", _OBJECT, "type")
            problems = Problems()
            failed: set[str] = set()
            for key in value:
                if key not in names:
                    problems.add(join_path("$", str(key)), "unknown field", "unknown_field")
            arguments: dict[str, Any] = {}
            for name, field in names.items():
                path = paths[name]
                if name not in value:
                    if field.default is attrs.NOTHING:
                        problems.add(path, "required", "required")
                        failed.add(path)
                        arguments[name] = None
                    continue
                structured = _structure_part(
                    converter, value[name], hints.get(field.name, Any), path, problems
                )
                if structured is _UNSET:
                    failed.add(path)
                    structured = None
                arguments[name] = structured
            try:
                result = kind(**arguments)
            except ValidationError as error:
                problems.extend(p for p in error.problems if not _under(p.path, failed))
            except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError):
                if not problems:
                    problems.add("$", "does not have the expected type or shape", "type")
            else:
                problems.raise_if_any()
                return result
            problems.raise_if_any()
            raise AssertionError("unreachable: a failed record always has a problem")

        return hook

    return factory


def _tags(kind: Any) -> dict[str, type] | None:
    """A union of records told apart by their ``kind`` field's default: each tag to its type."""
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return None
    tags: dict[str, type] = {}
    for member in typing.get_args(kind):
        if not (isinstance(member, type) and attrs.has(member)):
            return None
        tag = next((field.default for field in attrs.fields(member) if field.name == "kind"), None)
        if not isinstance(tag, str) or tag in tags:
            return None
        tags[tag] = member
    return tags


def _tagged_union_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Read a union of tagged records (consent events) by the ``kind`` each names."""

    def factory(kind: Any) -> Callable[[Any, Any], Any]:
        tags = _tags(kind) or {}
        choices = ", ".join(sorted(tags))

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValidationError.single("$", _OBJECT, "type")
            if "kind" not in value:
                raise ValidationError.single("$.kind", f"required: one of {choices}", "required")
            tag = value["kind"]
            if not isinstance(tag, str) or tag not in tags:
                raise ValidationError.single(
                    "$.kind", f"must be one of {choices}", "unknown_choice"
                )
            return converter.structure(value, tags[tag])

        return hook

    return factory


def _is_record(kind: Any) -> bool:
    return isinstance(kind, type) and attrs.has(kind) and kind is not BusinessCalendar


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the library's hooks on a cattrs converter.

    Examples:
        >>> import cattrs
        >>> from datetime import date
        >>> converter = cattrs.Converter()
        >>> configure_converter(converter)
        >>> converter.unstructure(date(2026, 11, 22))
        '2026-11-22'
    """
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    # Enums by value, checked; StrEnum first, so a str-based enum is not taken for a plain str.
    converter.register_structure_hook(Enum, _structure_enum)
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_unstructure_hook(
        FrozenMap,
        lambda mapping: {
            converter.unstructure(key): converter.unstructure(value)
            for key, value in mapping.items()
        },
    )
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(datetime, format_datetime)
    converter.register_structure_hook(timedelta, _structure_timedelta)
    converter.register_unstructure_hook(timedelta, _unstructure_timedelta)
    converter.register_structure_hook_factory(_is_sequence, _sequence_hook(converter))
    converter.register_structure_hook_factory(_is_mapping, _mapping_hook(converter))
    converter.register_structure_hook_factory(_is_record, _record_hook(converter))
    converter.register_structure_hook_factory(
        lambda kind: _tags(kind) is not None, _tagged_union_hook(converter)
    )
    # A record that also reads like a mapping (`ReliabilityResult`) is written as its fields.
    converter.register_unstructure_hook_factory(
        lambda kind: _is_record(kind) and issubclass(kind, Mapping),
        lambda kind: cattrs.gen.make_dict_unstructure_fn(kind, converter),
    )
    converter.register_structure_hook(BusinessCalendar, _structure_calendar)
    converter.register_unstructure_hook(BusinessCalendar, _unstructure_calendar)


def make_converter() -> cattrs.Converter:
    """A new converter with the library's hooks, collecting every error with its path.

    Examples:
        >>> converter = make_converter()
        >>> converter.unstructure(timedelta(hours=1))
        3600
    """
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    configure_converter(converter)
    return converter


@cache
def default_converter() -> cattrs.Converter:
    """The library's shared converter, made on first use.

    Examples:
        >>> default_converter() is default_converter()
        True
    """
    return make_converter()


def _depth_problem(data: object) -> bool:
    """Whether JSON-ready data nests deeper than the converter goes, walked without recursion."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping | list | tuple):
            if depth >= _MAX_DEPTH:
                return True
            children = item.values() if isinstance(item, Mapping) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def structure(data: object, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Build a library object from JSON-ready data, or raise every problem found.

    Type problems and the object's own rules are reported together, each with
    its path, and nothing but a `ValidationError` is raised, whatever ``data`` is.

    Examples:
        >>> from retail_service_quality import BusinessCalendar
        >>> cal = structure(
        ...     {"timezone": "Asia/Hong_Kong", "hours": {"sat": [["10:00", "16:00"]]}},
        ...     BusinessCalendar,
        ... )
        >>> cal.hours["sat"]
        (('10:00', '16:00'),)
        >>> from retail_service_quality import Customer
        >>> try:
        ...     structure({"id": 5, "contacts": [{"kind": "fax", "value": 7}]}, Customer)
        ... except ValidationError as error:
        ...     print(error)
        3 problems:
          $.id: must be a string
          $.contacts[0].value: must be a string
          $.created_at: required

    Raises:
        ValidationError: listing every problem with its ``$``-path.
    """
    _check_target(cls)
    if _depth_problem(data):
        raise ValidationError.single("$", f"is nested more than {_MAX_DEPTH} levels deep", "range")
    return _structure_checked(data, cls, converter)


def _structure_checked(data: object, cls: type[T], converter: cattrs.Converter | None) -> T:
    """`structure` of data known to nest no deeper than the converter goes."""
    active = converter if converter is not None else default_converter()
    problems = Problems()
    result = _structure_part(active, data, cls, "$", problems)
    problems.raise_if_any()
    return result  # type: ignore[no-any-return]


def _check_target(cls: object) -> None:
    """A type to read into: a class, or a typing form such as ``list[Customer]``."""
    if isinstance(cls, type) and cls is not type(None):
        return
    if typing.get_origin(cls) is not None:
        return
    raise ValidationError.single(
        "$.cls", "must be a type to read into, such as Customer or list[Customer]", "type"
    )


def unstructure(obj: object, *, converter: cattrs.Converter | None = None) -> Any:
    """Turn a library object into JSON-ready data (dicts, lists, strings, numbers).

    Examples:
        >>> from datetime import date
        >>> unstructure({"due": date(2026, 6, 13)})
        {'due': '2026-06-13'}
    """
    active = converter if converter is not None else default_converter()
    return active.unstructure(obj)


def to_json(
    obj: object, *, converter: cattrs.Converter | None = None, indent: int | None = None
) -> str:
    """Serialize a library object to a JSON string.

    Datetimes keep their zone: ``"2026-10-25T01:30:00+01:00[Europe/London]"``.

    Examples:
        >>> from retail_service_quality import BusinessCalendar
        >>> cal = BusinessCalendar("Asia/Hong_Kong", {"sun": [("11:00", "15:00")]})
        >>> to_json(cal)[:60]
        '{"timezone": "Asia/Hong_Kong", "hours": {"sun": [["11:00", "'
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> to_json(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")))
        '"2026-10-25T01:30:00+00:00[Europe/London]"'
    """
    data = unstructure(obj, converter=converter)
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise ValidationError.single(
            "$", "cannot be written as JSON: it holds NaN or an infinite number", "range"
        ) from None
    except (TypeError, RecursionError):
        raise ValidationError.single(
            "$",
            "cannot be written as JSON: it holds a value that is not one of the library's "
            "objects, text, a number, a list or a mapping",
            "type",
        ) from None


class _BadJsonError(Exception):
    """Raised inside the JSON parser's hooks; becomes a `ValidationError`."""


def _refuse_constant(name: str) -> object:
    raise _BadJsonError("must be JSON without NaN or Infinity (JSON numbers are finite)", "format")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _BadJsonError(
            "must be JSON whose numbers fit in a double (finite numbers only)", "range"
        )
    return number


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > 300:
        raise _BadJsonError("must be JSON whose integers have at most 300 digits", "range")
    return int(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _BadJsonError("must be JSON whose objects name each key once", "duplicate")
    return result


def from_json(text: str | bytes, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Parse a JSON string into a library object, or raise every problem found.

    Text must be JSON (bytes in UTF-8) of finite numbers (no NaN or Infinity,
    integers of at most 300 digits), each object naming a key once, nested at
    most 200 levels deep.

    Examples:
        >>> from retail_service_quality import BusinessCalendar
        >>> cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London")
        >>> from_json(to_json(cal), BusinessCalendar) == cal
        True
        >>> from_json("[]", BusinessCalendar)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $: must be an object

    Raises:
        ValidationError: the text is not JSON, or the data has problems.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError.single("$", "must be JSON text in UTF-8", "format") from None
    if not isinstance(text, str):
        raise ValidationError.single("$", "must be JSON text (a string or UTF-8 bytes)", "type")
    _check_target(cls)
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_integer,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as error:
        raise ValidationError.single(
            "$",
            f"must be valid JSON (the error is at line {error.lineno}, column {error.colno})",
            "format",
        ) from None
    except _BadJsonError as error:
        message, code = error.args
        raise ValidationError.single("$", message, code) from None
    except RecursionError:
        raise ValidationError.single(
            "$", f"must be JSON nested at most {_MAX_DEPTH} levels deep", "range"
        ) from None
    except ValueError:
        raise ValidationError.single("$", "must be valid JSON", "format") from None
    if text.count("{") + text.count("[") < _MAX_DEPTH:
        # Fewer brackets than levels (strings' brackets counted too): it cannot nest deeper.
        return _structure_checked(data, cls, converter)
    return structure(data, cls, converter=converter)
