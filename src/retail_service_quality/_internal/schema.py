"""JSON Schema hints that a record's fields carry in their attrs metadata.

`retail_service_quality.serialization.json_schema` builds a record's schema
from its fields' types; what a field's own checks add (the length and edge
spaces of an identifier, the range of a version) the field says through
``metadata={"schema": {...}}``, made by `schema`. The keywords are merged into
the schema of the field's value (not of ``null``, for an optional field);
a keyword whose value is an object (``additionalProperties``,
``propertyNames``, ``items``) is merged into the generated one.

The constants below state, in JSON Schema, the rules of the shared checks in
`retail_service_quality._internal.validation`; the tests hold them to those
checks.

Patterns must mean the same in Python's `re` (which the ``jsonschema``
package uses) and in JavaScript with the ``u`` flag (a browser's validator),
so they avoid what the two read differently: ``\\s``, ``\\S``, ``\\d``, ``\\w``
and ``.`` (different sets of characters), and ``$`` (Python also matches it
before a final newline). They use explicit classes (`SPACES`), `ANY` and
`END` instead; `schema` rewrites the final ``$`` of a pattern it is given as
`END`.

Examples:
    >>> schema(minimum=0)
    {'schema': {'minimum': 0}}
    >>> IDENTIFIER["schema"]["maxLength"]
    200
    >>> from retail_service_quality._internal.personal import PersonalDataClass, personal
    >>> {**personal(PersonalDataClass.CONTACT), **schema(minLength=1)}
    {'personal': <PersonalDataClass.CONTACT: 'contact'>, 'schema': {'minLength': 1}}
    >>> schema(pattern="^[0-9]+$")["schema"]["pattern"] == "^[0-9]+" + END
    True
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from retail_service_quality._internal.validation import MAX_VERSION

__all__ = [
    "ANY",
    "DATE",
    "DATETIME_PATTERN",
    "DURATION",
    "EMAIL",
    "END",
    "IDENTIFIER",
    "ID_PATTERN",
    "INTEGER_KEY",
    "MANAGED",
    "MAX_DURATION",
    "MAX_ID_LENGTH",
    "SCHEMA",
    "SPACES",
    "VERSION",
    "nullable",
    "schema",
]

SCHEMA: Final = "schema"
"""The attrs metadata key under which a field carries its JSON Schema keywords."""

MANAGED: Final = "x-managed"
"""The (non-standard) keyword marking a field that storage manages: a form keeps the value it
read, hidden, and sends it back unchanged."""

MAX_ID_LENGTH: Final = 200
"""The longest identifier `check_id` accepts, in characters (code points)."""

SPACES: Final = (
    r"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters `str.strip` removes (Python's whitespace), written for the inside of a
character class. ``\\s`` is another set in each dialect: ``\\u001c`` to ``\\u001f`` and
``\\u0085`` are whitespace to Python only, ``\\ufeff`` to JavaScript only."""

ANY: Final = r"(?:[^\n]|\n)"
"""Any one character, in a pattern (``.`` leaves out line ends, which differ by dialect)."""

END: Final = "(?!" + ANY + ")"
"""The end of the text, in a pattern: unlike ``$``, which Python also matches before a final
newline, it means the same in every regular-expression dialect that JSON Schema tools use."""

ID_PATTERN: Final = "^[^" + SPACES + "](?:" + ANY + "*[^" + SPACES + "])?" + END
"""Text that neither starts nor ends with whitespace (what ``value == value.strip()`` means)."""

INTEGER_KEY: Final = "^(?:0|-?[1-9][0-9]{0,299})" + END
"""An integer written as a mapping key, as the converter writes and reads it: canonical (no
``+``, no leading zero, no ``-0``) and of at most 300 digits."""

MAX_DURATION: Final = timedelta(days=366)
"""The longest duration `check_duration` accepts by default."""


def schema(**keywords: Any) -> dict[str, Any]:
    """attrs field metadata carrying JSON Schema keywords for the field's value.

    A ``pattern`` (at any depth) that ends with ``$`` ends with `END`
    instead, so that it means the end of the text in Python as in JavaScript.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Rating:
        ...     stars: int = attrs.field(metadata=schema(minimum=1, maximum=5))
        >>> attrs.fields(Rating).stars.metadata["schema"]
        {'minimum': 1, 'maximum': 5}
    """
    return {SCHEMA: _portable(keywords)}


def _portable(keywords: dict[str, Any]) -> dict[str, Any]:
    """``keywords`` with every pattern's final ``$`` written as `END`."""
    result: dict[str, Any] = {}
    for key, value in keywords.items():
        if isinstance(value, dict):
            value = _portable(value)
        elif key == "pattern" and isinstance(value, str) and _ends_with_anchor(value):
            value = value[:-1] + END
        result[key] = value
    return result


def _ends_with_anchor(pattern: str) -> bool:
    """Whether ``pattern`` ends with the anchor ``$`` (not with an escaped ``\\$``)."""
    body = pattern.removesuffix("$")
    return body != pattern and (len(body) - len(body.rstrip("\\"))) % 2 == 0


IDENTIFIER: Final = schema(minLength=1, maxLength=MAX_ID_LENGTH, pattern=ID_PATTERN)
"""An identifier as `check_id` wants it: 1 to 200 characters, without edge spaces."""

VERSION: Final = schema(
    description="the record's version, managed by storage for optimistic concurrency: send "
    "back unchanged the version that was read (1 for a new record); a save succeeds only if "
    "the stored version is still that one, and returns the record at the next version.",
    minimum=1,
    maximum=MAX_VERSION,
    **{MANAGED: True},
)
"""A record version as `check_version` wants it (1 to 2**53 - 1), marked as managed."""

DURATION: Final = schema(minimum=0, maximum=int(MAX_DURATION.total_seconds()))
"""A duration as `check_duration` wants it: 0 to 366 days, in seconds."""

EMAIL: Final = schema(
    pattern="^[^@" + SPACES + "]+@[^@" + SPACES + "]+[.][^@" + SPACES + "]+" + END
)
"""An email address as `ContactPoint` wants it: one ``@`` with text on either side, a dot
with text on either side in the domain, and no whitespace."""


DATE: Final[dict[str, Any]] = {
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}" + END,
    "format": "date",
    "examples": ["2026-12-24"],
}
"""A date as the converter writes it: ``YYYY-MM-DD`` (an RFC 3339 full-date)."""

_CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]+)?)?"
DATETIME_PATTERN: Final = (
    "^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt ]"
    + _CLOCK
    + "(?:Z|[+-]"
    + _CLOCK
    + ")"
    + "(?:\\[!?[A-Za-z0-9_+/-]+\\])?(?:\\[[a-z_][a-z0-9_-]*=[A-Za-z0-9-]+\\])*"
    + END
)
"""A datetime as the converter reads and writes it: ISO 8601 extended format with its UTC
offset (``Z`` or ``+HH:MM``, seconds allowed), then optionally the RFC 9557 zone suffix
``[Area/Name]`` and extension tags (``[u-ca=gregory]``)."""


def nullable(value: dict[str, Any]) -> dict[str, Any]:
    """The schema of ``value`` or ``null``: a type list where that suffices, else ``anyOf``.

    Examples:
        >>> nullable({"type": "string", "minLength": 1})
        {'type': ['string', 'null'], 'minLength': 1}
        >>> nullable({"type": "string", "enum": ["a", "b"]})
        {'type': ['string', 'null'], 'enum': ['a', 'b', None]}
        >>> nullable({"$ref": "#/$defs/Interval"})
        {'anyOf': [{'$ref': '#/$defs/Interval'}, {'type': 'null'}]}
    """
    kind = value.get("type")
    if isinstance(kind, str) and not {"$ref", "anyOf", "oneOf", "allOf", "const"} & set(value):
        result = dict(value)
        result["type"] = [kind, "null"]
        if "enum" in result:
            result["enum"] = [*result["enum"], None]
        return result
    return {"anyOf": [value, {"type": "null"}]}
