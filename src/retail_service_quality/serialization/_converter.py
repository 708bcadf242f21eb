"""The one converter between the library's objects and JSON-ready data.

Built the way cattrs' ``preconf`` converters are: `make_converter` returns a
fresh converter configured by `configure_converter`, so an embedder can add
hooks of their own on top. `structure` turns any failure, however deep, into
one `ValidationError` listing every problem with its ``$``-path, ready for a
form to point at.

Dates are ISO 8601 strings, datetimes ISO 8601 strings with their UTC
offset (a naive one is refused), time spans a number of seconds. Scalars are
strict: a string is not a number, a number is not a string, and a bool is
neither (integers may also come as strings of digits, since JSON object keys
are always strings).

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

import json
import re
from datetime import date, datetime, timedelta
from enum import Enum, StrEnum
from functools import cache
from typing import Any, TypeVar

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.calendar._json import calendar_from_data, calendar_to_data
from retail_service_quality.errors import Problem, ValidationError, join_path

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
_INTEGER_TEXT = re.compile(r"^-?[0-9]+$")


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValidationError.single("$", "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError.single("$", "must be a date written YYYY-MM-DD") from None


def _structure_datetime(value: object, _: type) -> datetime:
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, str):
        try:
            result = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError.single("$", "must be an ISO 8601 date and time") from None
    else:
        raise ValidationError.single("$", "must be an ISO 8601 date and time")
    if result.tzinfo is None or result.utcoffset() is None:
        raise ValidationError.single("$", "must carry a UTC offset (timezone-aware)")
    return result


def _structure_timedelta(value: object, _: type) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError.single("$", "must be a number of seconds")
    return timedelta(seconds=value)


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool):
        raise ValidationError.single("$", "must be an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER_TEXT.match(value):
        return int(value)  # JSON object keys are always strings
    raise ValidationError.single("$", "must be an integer")


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError.single("$", "must be a number")
    return float(value)


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ValidationError.single("$", "must be a string")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.single("$", "must be true or false")
    return value


def _structure_enum(value: object, kind: type[Enum]) -> Enum:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise ValidationError.single("$", f"must be one of: {choices}") from None


def _unstructure_timedelta(value: timedelta) -> int | float:
    seconds = value.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def _unstructure_calendar(cal: BusinessCalendar) -> dict[str, Any]:
    return calendar_to_data(cal)


def _structure_calendar(value: object, _: type) -> BusinessCalendar:
    return calendar_from_data(value)


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
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(timedelta, _structure_timedelta)
    converter.register_unstructure_hook(timedelta, _unstructure_timedelta)
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


def _problems_of(error: BaseException, path: str) -> list[Problem]:
    if isinstance(error, ValidationError):
        return [problem.under(path) for problem in error.problems]
    if isinstance(error, ForbiddenExtraKeysError):
        return [Problem(join_path(path, str(key)), "unknown field") for key in error.extra_fields]
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
        return [Problem(path, "required")]
    if isinstance(error, TypeError | ValueError):
        return [Problem(path, "invalid value for its type")]
    return [Problem(path, "invalid value")]


def structure(data: object, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Build a library object from JSON-ready data, or raise every problem found.

    Examples:
        >>> from retail_service_quality import BusinessCalendar
        >>> cal = structure(
        ...     {"timezone": "Asia/Hong_Kong", "hours": {"sat": [["10:00", "16:00"]]}},
        ...     BusinessCalendar,
        ... )
        >>> cal.hours["sat"]
        (('10:00', '16:00'),)

    Raises:
        ValidationError: listing every problem with its ``$``-path.
    """
    active = converter if converter is not None else default_converter()
    try:
        return active.structure(data, cls)
    except ValidationError:
        raise
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as error:
        raise ValidationError(_problems_of(error, "$")) from None
    except (TypeError, ValueError, KeyError) as error:
        raise ValidationError(_problems_of(error, "$")) from None


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

    Examples:
        >>> from retail_service_quality import BusinessCalendar
        >>> cal = BusinessCalendar("Asia/Hong_Kong", {"sun": [("11:00", "15:00")]})
        >>> to_json(cal)[:60]
        '{"timezone": "Asia/Hong_Kong", "hours": {"sun": [["11:00", "'
    """
    return json.dumps(unstructure(obj, converter=converter), indent=indent, ensure_ascii=False)


def from_json(text: str | bytes, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Parse a JSON string into a library object, or raise every problem found.

    Examples:
        >>> from retail_service_quality import BusinessCalendar
        >>> cal = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London")
        >>> from_json(to_json(cal), BusinessCalendar) == cal
        True

    Raises:
        ValidationError: the text is not JSON, or the data has problems.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError.single(
            "$", f"not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    return structure(data, cls, converter=converter)
