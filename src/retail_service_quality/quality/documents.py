"""Controlled documents: the exact version of a standard, procedure or duty statement.

A finding, a complaint or an improvement action names the document version it
concerns by a `DocumentRef`: the document's identifier and its version number,
so that what was in force then stays readable after the document changes.

Examples:
    >>> DocumentRef("SQ-HOTLINE", 3)
    DocumentRef(document_id='SQ-HOTLINE', version=3)
"""

from __future__ import annotations

from typing import Final

import attrs

from retail_service_quality._internal.checks import is_integer
from retail_service_quality._internal.schema import IDENTIFIER, schema
from retail_service_quality._internal.validation import REQUIRED, check_id, raise_problems
from retail_service_quality.errors import Problems

__all__ = ["DocumentRef"]

_MAX_VERSION: Final = 1_000_000


@attrs.frozen
class DocumentRef:
    """One version of a controlled document: a service standard, a procedure, a role's duties.

    Attributes:
        document_id: the document's identifier.
        version: its version number, from 1.

    Examples:
        >>> DocumentRef("PROC-REFUND", 2).version
        2
        >>> DocumentRef("PROC-REFUND", 0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.version: must be a version number from 1...

    Raises:
        ValidationError: every problem, with its path.
    """

    document_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    version: int = attrs.field(default=REQUIRED, metadata=schema(minimum=1, maximum=_MAX_VERSION))

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.document_id, "$.document_id", problems)
        if not is_integer(self.version) or not 1 <= self.version <= _MAX_VERSION:
            problems.add(
                "$.version",
                f"must be a version number from 1 to {_MAX_VERSION}",
                "range" if is_integer(self.version) else "type",
            )
        raise_problems(self, problems)
