"""Rich display of result values in notebooks (``_repr_html_``), shared by all results."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import attrs

__all__ = ["HtmlRepr", "format_value"]


def format_value(value: Any) -> str:
    """Text for one value in a result table: numbers rounded for reading, not for computing."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return f"{value:.6g}"
    if isinstance(value, timedelta):
        return f"{value.total_seconds():.6g} s"
    confidence = getattr(value, "confidence", None)
    if attrs.has(type(value)) and hasattr(value, "low") and confidence is not None:
        return f"[{format_value(value.low)}, {format_value(value.high)}] ({confidence:.0%})"
    return str(value)


class HtmlRepr:
    """Mixin: an attrs result renders as a small HTML table in Jupyter and similar notebooks."""

    _title: str = ""

    def _html_title(self) -> str:
        return self._title or type(self).__name__

    def _repr_html_(self) -> str:
        rows = []
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]
            if field.name.startswith("_"):
                continue
            value = getattr(self, field.name)
            if isinstance(value, Mapping):
                cell = "<br>".join(
                    f"{html.escape(str(key))}: {html.escape(format_value(item))}"
                    for key, item in value.items()
                )
            else:
                cell = html.escape(format_value(value))
            rows.append(f"<tr><th>{html.escape(field.name)}</th><td>{cell}</td></tr>")
        title = html.escape(self._html_title())
        return f"<table><caption>{title}</caption><tbody>{''.join(rows)}</tbody></table>"
