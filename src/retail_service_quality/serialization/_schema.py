"""JSON Schema (Draft 2020-12) of the library's types, generated from the attrs classes.

A schema is built from a class's attrs fields (their order, names, types
from `typing.get_type_hints`, defaults) and from what the converter does
with each type, so every record the library gains gets its schema without
code of its own. A field adds what its own checks require through its
attrs metadata (``metadata={"schema": {...}}``: the length and edge spaces
of an identifier, the range of a version); the calendar, which the converter
reads with a hook of its own, brings a schema of its own.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
import threading
import typing
import weakref
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import Enum
from types import NoneType, UnionType
from typing import Any

import attrs

from retail_service_quality._internal.schema import (
    DATE,
    DATETIME_PATTERN,
    INTEGER_KEY,
    SCHEMA,
    nullable,
)
from retail_service_quality._internal.validation import REQUIRED
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.calendar._json import calendar_schema
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.serialization._converter import (
    _MAPPINGS,
    _MAX_SECONDS,
    _SEQUENCES,
    default_converter,
)

__all__ = ["DRAFT", "json_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
"""The ``$schema`` of every schema `json_schema` returns."""

# Types the converter reads with hooks of their own, and the schemas of what those hooks read.
_CUSTOM: dict[type, Callable[[], dict[str, Any]]] = {BusinessCalendar: calendar_schema}
_SECTION = re.compile(r"^(Attributes|Args|Arguments):\s*$")
_ENTRY = re.compile(r"^(\w+)(?:\s*\([^)]*\))?:\s*(.*)$")
_CACHE: weakref.WeakKeyDictionary[type, dict[str, Any]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


class _UnsupportedError(Exception):
    """A type the generator has no schema for; becomes a problem at the field's path."""


def _summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    first = doc.strip().splitlines()[0] if doc.strip() else cls.__name__
    return " ".join(first.replace("``", "").split())


def _field_docs(cls: type) -> dict[str, str]:
    """The descriptions of a class's fields, from its docstring's Attributes (or Args) section."""
    lines = (inspect.getdoc(cls) or "").splitlines()
    found: dict[str, str] = {}
    inside, name = False, None
    for line in lines:
        if _SECTION.match(line):
            inside, name = True, None
            continue
        if not inside:
            continue
        if line and not line.startswith(" "):  # the next section
            inside = False
            continue
        text = line.strip()
        top = line.startswith("    ") and not line.startswith("     ")  # an entry, not more of one
        entry = _ENTRY.match(text) if top else None
        if entry is not None:
            name = entry[1]
            found.setdefault(name, entry[2])
        elif text and name is not None and name in found:
            found[name] = f"{found[name]} {text}"
    return {key: " ".join(value.replace("``", "").split()) for key, value in found.items()}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra``'s keywords; keywords that are objects in both are merged too."""
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _enum(values: list[Any]) -> dict[str, Any]:
    kinds = {type(value) for value in values}
    schema: dict[str, Any] = {}
    if kinds and kinds <= {str}:
        schema["type"] = "string"
    elif kinds and kinds <= {int}:
        schema["type"] = "integer"
    schema["enum"] = values
    return schema


def _default(field: attrs.Attribute[Any]) -> tuple[bool, Any]:
    """Whether a field's default can be shown as JSON, and that JSON value."""
    default: Any = field.default
    try:
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                return False, None
            default = default.factory()
        data = default_converter().unstructure(default)
        return True, json.loads(json.dumps(data, allow_nan=False))
    except Exception:  # a default without a JSON form is left out, not an error
        return False, None


class _Builder:
    """Builds one root schema: nested classes go to ``$defs`` and are referred to by ``$ref``."""

    def __init__(self, root: type) -> None:
        self.root = root
        self.defs: dict[str, dict[str, Any]] = {}
        self.names: dict[type, str] = {}
        self.problems = Problems()

    def ref(self, cls: type) -> dict[str, Any]:
        if cls is self.root:
            return {"$ref": "#"}
        name = self.names.get(cls)
        if name is None:
            name = cls.__name__
            if name in self.defs:
                name = f"{cls.__module__}.{cls.__qualname__}"
            self.names[cls] = name
            self.defs[name] = {}  # reserved first, so a class that refers to itself ends
            self.defs[name] = self.described(cls)
        return {"$ref": f"#/$defs/{name}"}

    def described(self, cls: type) -> dict[str, Any]:
        """A class's schema with its title and description first."""
        docs = _field_docs(cls)
        body = _CUSTOM[cls]() if cls in _CUSTOM else self.record(cls, docs)
        # A custom schema's own definitions refer to "#/$defs/...": they move to the root.
        for name, definition in body.pop("$defs", {}).items():
            self.defs.setdefault(name, definition)
        properties = body.get("properties", {})
        for name, schema in properties.items():
            if "description" not in schema and name in docs:
                properties[name] = {"description": docs[name], **schema}
        return {"title": cls.__name__, "description": _summary(cls), **body}

    def record(self, cls: type, docs: dict[str, str]) -> dict[str, Any]:
        fields = [field for field in attrs.fields(cls) if field.init]
        try:
            hints = typing.get_type_hints(cls, localns={cls.__name__: cls})
        except Exception:  # an annotation that does not resolve: reported for its field below
            hints = {}
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in fields:
            name = field.alias or field.name
            hint = hints.get(field.name, field.type)
            properties[name] = self.field(field, hint, join_path("$", name), docs.get(name))
            if field.default is attrs.NOTHING or field.default is REQUIRED:
                required.append(name)
        return {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }

    def field(
        self, field: attrs.Attribute[Any], hint: Any, path: str, doc: str | None
    ) -> dict[str, Any]:
        extra = dict(field.metadata.get(SCHEMA) or {})
        description = extra.pop("description", doc)  # the field's own wins over the docstring
        try:
            inner, optional = _optional(hint)
            schema = self.of(inner)
            schema = _merge(schema, extra)
            if optional:
                schema = nullable(schema)
        except _UnsupportedError as error:
            self.problems.add(path, f"has a type that JSON Schema cannot describe: {error}", "type")
            return {}
        if _holds_durations(hint):
            description = _in_seconds(description)
        if description is not None:
            schema = {"description": description, **schema}
        if field.default is not attrs.NOTHING and field.default is not REQUIRED:
            shown, value = _default(field)
            if shown:
                schema["default"] = value
        if field.metadata.get("personal"):
            schema["x-personal"] = True
            schema["x-personal-class"] = str(field.metadata["personal"])
        return schema

    def of(self, hint: Any) -> dict[str, Any]:
        """The schema of a value of type ``hint``, as the converter writes and reads it."""
        if hint is Any:
            return {}
        inner, optional = _optional(hint)
        if optional:
            return nullable(self.of(inner))
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin is typing.Literal:
            return _enum(list(args))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.of(args[0])}
        if origin in _SEQUENCES:
            return {"type": "array", "items": self.of(args[0]) if args else {}}
        if origin in _MAPPINGS:
            key, value = args if len(args) == 2 else (str, Any)
            schema: dict[str, Any] = {"type": "object"}
            names = self.key(key)
            if names:
                schema["propertyNames"] = names
            schema["additionalProperties"] = self.of(value)
            return schema
        if not isinstance(hint, type):
            raise _UnsupportedError(_name(hint))
        return self.scalar(hint)

    def scalar(self, hint: type) -> dict[str, Any]:
        if hint is NoneType:
            return {"type": "null"}
        if hint is bool:
            return {"type": "boolean"}
        if issubclass(hint, Enum):
            return _enum([member.value for member in hint])
        if hint is int:
            return {"type": "integer"}
        if hint is float:
            return {"type": "number"}
        if hint is str:
            return {"type": "string"}
        if hint is datetime:
            return {
                "type": "string",
                "pattern": DATETIME_PATTERN,
                "examples": ["2026-10-25T01:30:00+01:00[Europe/London]"],
            }
        if hint is date:
            return dict(DATE)
        if hint is timedelta:
            return {"type": "number", "minimum": -int(_MAX_SECONDS), "maximum": int(_MAX_SECONDS)}
        if hint in _CUSTOM or attrs.has(hint):
            return self.ref(hint)
        if hint in _SEQUENCES or hint is tuple:
            return {"type": "array", "items": {}}
        if hint in _MAPPINGS:
            return {"type": "object"}
        raise _UnsupportedError(_name(hint))

    def key(self, hint: Any) -> dict[str, Any]:
        """The schema of a mapping's keys, as JSON object keys (always strings)."""
        if hint is str or hint is Any:
            return {}
        if hint is int:
            return {"pattern": INTEGER_KEY}
        if hint is date:
            return dict(DATE)
        if isinstance(hint, type) and issubclass(hint, Enum):
            values = [member.value for member in hint]
            if all(isinstance(value, str) for value in values):
                return {"enum": values}
        raise _UnsupportedError(f"mapping keys of type {_name(hint)}")

    def build(self) -> dict[str, Any]:
        root = self.described(self.root)
        self.problems.raise_if_any()
        schema: dict[str, Any] = {"$schema": DRAFT, **root}
        if self.defs:
            schema["$defs"] = dict(sorted(self.defs.items()))
        return schema


def _optional(hint: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``, else ``(hint, False)``; other unions are unsupported."""
    if typing.get_origin(hint) not in (typing.Union, UnionType):
        return hint, False
    others = [arg for arg in typing.get_args(hint) if arg is not NoneType]
    if len(others) != 1:
        raise _UnsupportedError(f"the union {_name(hint)} (only X | None is)")
    return others[0], True


def _holds_durations(hint: Any) -> bool:
    """Whether a value of type ``hint`` is, or holds, durations (numbers of seconds in JSON)."""
    if hint is timedelta:
        return True
    return any(_holds_durations(arg) for arg in typing.get_args(hint))


def _in_seconds(description: str | None) -> str:
    """A duration's description, saying its unit."""
    if description is None:
        return "a duration (seconds)"
    text = description.rstrip().rstrip(".")
    return text if text.endswith("(seconds)") else f"{text} (seconds)"


def _name(hint: Any) -> str:
    return hint.__name__ if isinstance(hint, type) else str(hint).replace("typing.", "")


def json_schema(cls: type) -> dict[str, Any]:
    """A JSON Schema (Draft 2020-12) for the JSON that `structure` reads as ``cls``.

    Generated from the attrs class: one property per field, in field order,
    typed as the converter writes and reads it; fields without a default are
    ``required``; unknown fields are refused (``additionalProperties:
    false``), as the converter refuses them. Nested records are ``$defs``
    referred to by ``$ref``; the description of each property comes from the
    class docstring. Works for every input type (`Customer`,
    `ServiceInteraction`, `InteractionQuery`, `CustomerQuery`,
    `BusinessCalendar`, `ServqualResponse`), for the result types, and for
    any attrs class of fields of the types below.

    How each type appears:

    - ``X | None``: a type list with ``"null"`` (``anyOf`` for a nested record);
    - `str`, `int`, `float`, `bool`: ``string``, ``integer``, ``number``,
      ``boolean``;
    - an `Enum`: ``enum`` of its values;
    - `datetime`: a string with a ``pattern``: ISO 8601 with its UTC offset
      (required) and, optionally, the RFC 9557 zone suffix
      ``[Europe/London]``, as in ``"2026-10-25T01:30:00+01:00[Europe/London]"``.
      There is no ``format: date-time``: with the suffix, or with an offset in
      seconds (old local mean times), the converter's datetimes are not RFC
      3339 date-times;
    - `date`: ``YYYY-MM-DD`` text with ``format: date``;
    - `timedelta`: a number of seconds, its description ending with
      ``(seconds)``;
    - lists, tuples and sets: ``array``; mappings: ``object``, with
      ``propertyNames`` for keys that are not text (integers such as SERVQUAL
      item numbers are written as their canonical digits, ``"1"`` to
      ``"22"``: not ``"01"`` nor ``"+1"``);
    - `BusinessCalendar`: its JSON form (timezone, hours, holidays, special
      hours, holiday country).

    Each schema has a ``title`` (the class name) and a ``description`` (the
    first line of its docstring); each property a ``description`` from the
    class docstring's Attributes section (the input and result types have
    one for each field). A nested record is in ``$defs`` under its class name.
    ``default`` gives a field's default, as JSON; ``examples`` a sample of a
    datetime, date or time. Two keywords are not standard: ``x-personal:
    true`` marks personal data, which a UI may mask and should keep out of
    logs and analytics; ``x-managed: true`` marks a field that storage
    manages, the record's ``version``: not ``readOnly``, since a save must
    send back unchanged the version that was read (optimistic concurrency),
    so a form keeps it as a hidden field.

    What a field's checks require is in its schema where JSON Schema can
    say it: an identifier's length (1 to 200 characters) and that it has no
    space at either end (none of the characters `str.strip` removes), a
    version from 1 to 2**53 - 1, a handle time from 0 to 366 days, an email
    address that still has an ``@`` once those at either end are taken off,
    SERVQUAL item numbers (1 to 22) with scores of at least 1, weights
    keyed by dimension and not negative, and a calendar's day names,
    ``HH:MM`` times and holiday country codes (those of the installed
    ``holidays`` package).

    What the schema cannot say, and the converter still checks: text must be
    valid Unicode (no lone surrogates); a datetime's date must exist (no 31
    February), its zone must be a known IANA zone with that offset at that
    wall time (not skipped by daylight saving) and its instant between
    0001-01-02 and 9999-12-30 UTC; integers have at most 300 digits; rules
    between fields (a query's end not before its start, weights adding up to
    100, periods of a day not overlapping, a time zone in the tz database).
    The schema describes the form the converter writes; the converter reads
    a few more (ISO 8601 variants such as ``20261122T0930+0800``), which the
    schema refuses. An integer is a JSON number (``3``, or ``3.0``, which
    both take as the integer 3), never text such as ``"3"``. Patterns mean the
    same in Python's ``re`` and in JavaScript's ``RegExp`` with the ``u``
    flag (a browser's validator): they spell out their character classes
    and the end of the text. A problem's path
    (``$.expectations[5]``) names a mapping key in brackets when it is an
    integer; in the JSON it is the key ``"5"``.

    The schema is built once per class; each call returns a fresh copy, free
    to change. A union other than ``X | None``, a fixed-length tuple, a
    callable or an arbitrary object has no JSON form in the converter: a
    class with such a field is refused, every such field named by its path.

    Examples:
        >>> from retail_service_quality import Customer
        >>> schema = json_schema(Customer)
        >>> schema["$schema"]
        'https://json-schema.org/draft/2020-12/schema'
        >>> schema["required"]
        ['id', 'created_at']
        >>> schema["properties"]["id"]["maxLength"], schema["properties"]["contacts"]["x-personal"]
        (200, True)
        >>> schema["properties"]["home_store_id"]["type"]
        ['string', 'null']
        >>> schema["properties"]["version"]["x-managed"]
        True
        >>> from retail_service_quality import StaffingPlan
        >>> json_schema(StaffingPlan)["properties"]["answer_within"]["description"]
        'the answer time that service_level is measured against (seconds)'
        >>> json_schema(3)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $: must be a record class (attrs)

    Raises:
        ValidationError: ``cls`` is not a class the generator can describe, or
            one of its fields has a type it cannot (each such field named by
            its path).
    """
    if not isinstance(cls, type) or not (cls in _CUSTOM or attrs.has(cls)):
        raise ValidationError.single("$", "must be a record class (attrs)", "type")
    with _LOCK:
        found = _CACHE.get(cls)
    if found is None:
        found = _Builder(cls).build()
        with _LOCK:
            _CACHE[cls] = found
    return copy.deepcopy(found)
