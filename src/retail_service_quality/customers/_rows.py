"""Plain rows (dicts) as an accessible HTML table and a DataFrame, for results that are not flat."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from retail_service_quality._internal.display import format_value
from retail_service_quality._internal.frames import require_pandas

__all__ = ["rows_frame", "rows_html"]


def rows_html(caption: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """One ``<table>`` with a caption, a header cell per column and escaped, isolated cells.

    Examples:
        >>> rows_html("Export", ["section"], [{"section": "<b>"}])
        '<div><table><caption>Export <small>1 rows</small></caption><thead><tr><th scope="col">section</th></tr></thead><tbody><tr><td dir="auto">&lt;b&gt;</td></tr></tbody></table></div>'
    """  # noqa: E501
    head = "".join(f'<th scope="col">{html.escape(name, quote=True)}</th>' for name in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td dir="auto">{html.escape(format_value(row.get(name)), quote=True)}</td>'
            for name in columns
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<div><table><caption>{html.escape(caption, quote=True)} "
        f"<small>{len(rows)} rows</small></caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def rows_frame(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> Any:
    """The rows as a pandas DataFrame with the columns in order (needs pandas).

    Examples:
        >>> rows_frame(["a"], [{"a": 1}]).shape
        (1, 1)
    """
    pandas = require_pandas()
    return pandas.DataFrame([dict(row) for row in rows], columns=list(columns))
