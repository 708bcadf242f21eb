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

Examples:
    >>> schema(minimum=0)
    {'schema': {'minimum': 0}}
    >>> IDENTIFIER["schema"]["maxLength"]
    200
    >>> {**PERSONAL, **schema(minLength=1)}
    {'personal': True, 'schema': {'minLength': 1}}
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from retail_service_quality._internal.validation import MAX_VERSION, PERSONAL

__all__ = [
    "DATE",
    "DATETIME_PATTERN",
    "DURATION",
    "END",
    "EMAIL",
    "IDENTIFIER",
    "ID_PATTERN",
    "MAX_DURATION",
    "MAX_ID_LENGTH",
    "PERSONAL",
    "SCHEMA",
    "VERSION",
    "nullable",
    "schema",
]

SCHEMA: Final = "schema"
"""The attrs metadata key under which a field carries its JSON Schema keywords."""

MAX_ID_LENGTH: Final = 200
"""The longest identifier `check_id` accepts, in characters (code points)."""

END: Final = r"(?![\s\S])"
"""The end of the text, in a pattern: unlike ``$``, which Python also matches before a final
newline, it means the same in every regular-expression dialect that JSON Schema tools use."""

ID_PATTERN: Final = r"^\S(?:[\s\S]*\S)?" + END
"""Text that neither starts nor ends with whitespace (what ``value == value.strip()`` means)."""

MAX_DURATION: Final = timedelta(days=366)
"""The longest duration `check_duration` accepts by default."""


def schema(**keywords: Any) -> dict[str, Any]:
    """attrs field metadata carrying JSON Schema keywords for the field's value.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Rating:
        ...     stars: int = attrs.field(metadata=schema(minimum=1, maximum=5))
        >>> attrs.fields(Rating).stars.metadata["schema"]
        {'minimum': 1, 'maximum': 5}
    """
    return {SCHEMA: keywords}


IDENTIFIER: Final = schema(minLength=1, maxLength=MAX_ID_LENGTH, pattern=ID_PATTERN)
"""An identifier as `check_id` wants it: 1 to 200 characters, without edge spaces."""

VERSION: Final = schema(minimum=1, maximum=MAX_VERSION)
"""A record version as `check_version` wants it: 1 to 2**53 - 1."""

DURATION: Final = schema(minimum=0, maximum=int(MAX_DURATION.total_seconds()))
"""A duration as `check_duration` wants it: 0 to 366 days, in seconds."""

EMAIL: Final = schema(pattern="[^@]@+[^@]")
"""An email address as `Customer` wants it: an ``@`` with other text on both sides."""

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
