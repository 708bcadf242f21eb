"""Rich display in notebooks (``_repr_html_``): a small accessible table, and a bar to look at.

A result shows as a ``<table>`` with a caption naming what it is and the
method, one header cell per column (``scope`` set, for screen readers), and,
where a picture says it faster, a tiny inline SVG with a text alternative:
an interval on its scale, or SERVQUAL gaps by dimension. Every string is
escaped, including those a user supplied (store ids, method labels).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from retail_service_quality._internal.records import layout_of

__all__ = ["format_value", "html_table", "interval_svg", "bars_svg"]

_MAX_ROWS = 60  # longer tables show their first and last rows


def format_value(value: Any) -> str:
    """Text for one value in a table: numbers rounded for reading, not for computing.

    Examples:
        >>> format_value(0.123456789), format_value(None), format_value(True)
        ('0.123457', '', 'True')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return f"{value:.6g}"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, tuple | list):
        return ", ".join(format_value(item) for item in value)
    return str(value)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _title(kind: type) -> str:
    doc = (kind.__doc__ or "").strip().splitlines()
    if not doc:
        return kind.__name__
    return f"{kind.__name__}: {doc[0].rstrip('.').replace('`', '')}"


def interval_svg(
    low: float, high: float, scale: tuple[float, float], *, value: float | None = None
) -> str:
    """A 160 x 14 bar: the scale as a line, the interval as a band, the value as a tick.

    Examples:
        >>> svg = interval_svg(0.4, 0.6, (0.0, 1.0), value=0.5)
        >>> svg.startswith('<svg') and 'role="img"' in svg and "0.4 to 0.6 on a scale" in svg
        True
    """
    start, end = scale
    span = end - start if end > start else 1.0

    def x(number: float) -> float:
        return round(4 + 152 * (min(max(number, start), end) - start) / span, 2)

    label = f"interval from {low:.3g} to {high:.3g} on a scale of {start:.3g} to {end:.3g}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="14" role="img" '
        f'aria-label="{_escape(label)}"><title>{_escape(label)}</title>',
        '<line x1="4" y1="7" x2="156" y2="7" stroke="#999" stroke-width="1"/>',
        f'<rect x="{x(low)}" y="3" width="{max(round(x(high) - x(low), 2), 1)}" height="8" '
        'fill="#4c78a8" opacity="0.6"/>',
    ]
    if start < 0 < end:
        parts.append(f'<line x1="{x(0)}" y1="1" x2="{x(0)}" y2="13" stroke="#666"/>')
    if value is not None and math.isfinite(value):
        parts.append(f'<line x1="{x(value)}" y1="1" x2="{x(value)}" y2="13" stroke="#000"/>')
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(values: Sequence[tuple[str, float]], limit: float) -> str:
    """Horizontal bars around zero, one per label: SERVQUAL gaps by dimension.

    Examples:
        >>> svg = bars_svg([("tangibles", -0.5), ("empathy", 0.25)], 6)
        >>> svg.count("<rect"), "tangibles -0.5" in svg
        (2, True)
    """
    limit = max(limit, max((abs(v) for _, v in values), default=0.0), 1e-9)
    height = 14 * len(values) + 4
    label = "; ".join(f"{name} {value:.3g}" for name, value in values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="240" height="{height}" role="img" '
        f'aria-label="{_escape(label)}"><title>{_escape(label)}</title>',
        f'<line x1="170" y1="0" x2="170" y2="{height}" stroke="#666"/>',
    ]
    for index, (name, value) in enumerate(values):
        y = 2 + 14 * index
        width = round(60 * abs(value) / limit, 2)
        x = round(170 - width, 2) if value < 0 else 170
        colour = "#e45756" if value < 0 else "#54a24b"
        parts.append(
            f'<text x="0" y="{y + 10}" font-size="10">{_escape(name)}</text>'
            f'<rect x="{x}" y="{y + 1}" width="{max(width, 0.5)}" height="10" fill="{colour}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _picture(values: Sequence[Any], kind: type) -> str:
    """The picture a result of one value is drawn as, if any."""
    if len(values) != 1:
        return ""
    value = values[0]
    rows_from = getattr(kind, "_rows_from", None)
    if rows_from == "dimensions":
        bars = []
        for name, item in value.dimensions.items():
            number = getattr(item, "gap", getattr(item, "alpha", item))
            if isinstance(number, int | float) and math.isfinite(number):
                bars.append((str(name), float(number)))
        top = float(getattr(value, "scale", 7))
        if kind.__name__ == "ReliabilityResult":
            return bars_svg(bars, 1.0) if bars else ""
        perceptions = getattr(kind, "_row_value", "") == "perception"
        return bars_svg(bars, top if perceptions else top - 1)
    interval = getattr(value, "interval", None)
    if interval is None and hasattr(value, "low") and hasattr(value, "high"):
        interval = value
    if interval is None:
        return ""
    scale: tuple[float, float] | None = getattr(kind, "_scale", None)
    centre = next(
        (getattr(value, name) for name in ("value", "score", "difference") if hasattr(value, name)),
        None,
    )
    if scale is None:
        width = interval.high - interval.low
        pad = width / 2 if width > 0 else max(abs(interval.low), 1.0) / 2
        scale = (interval.low - pad, interval.high + pad)
        if kind.__name__ == "ComparisonResult":
            reach = max(abs(interval.low), abs(interval.high)) or 1.0
            scale = (-reach, reach)
    return interval_svg(interval.low, interval.high, scale, value=centre)


def html_table(values: Iterable[Any], kind: type | None, *, personal: bool = False) -> str:
    """The values' records as an accessible HTML table, with a picture where one helps.

    One row per record; a single-row result is shown as name/value pairs.

    Examples:
        >>> from retail_service_quality import csat
        >>> page = html_table([csat([5, 4, 3, 5, 2])], type(csat([5])))
        >>> "<caption>" in page and 'scope="row"' in page and "<svg" in page
        True
    """
    items = list(values)
    if kind is None:
        return "<div><table><caption>no records</caption></table></div>"
    layout = layout_of(kind, personal)
    rows = [row for item in items for row in layout.rows(item)]
    caption = _escape(_title(kind))
    method = next((row.get("method") for row in rows if row.get("method")), None)
    if method:
        caption += f" <small>({_escape(str(method))})</small>"
    picture = _picture(items, kind)
    names = [column.name for column in layout.columns]
    if len(rows) == 1:
        body = "".join(
            f'<tr><th scope="row">{_escape(name)}</th>'
            f'<td dir="auto">{_escape(format_value(rows[0][name]))}</td></tr>'
            for name in names
        )
        table = f"<table><caption>{caption}</caption><tbody>{body}</tbody></table>"
    else:
        shown = rows
        gap = ""
        if len(rows) > _MAX_ROWS:
            shown = rows[: _MAX_ROWS // 2] + rows[-_MAX_ROWS // 2 :]
            gap = f'<tr><td colspan="{len(names)}">… {len(rows) - _MAX_ROWS} more rows …</td></tr>'
        head = "".join(f'<th scope="col">{_escape(name)}</th>' for name in names)
        lines = [
            "<tr>"
            + "".join(f'<td dir="auto">{_escape(format_value(row[n]))}</td>' for n in names)
            + "</tr>"
            for row in shown
        ]
        if gap:
            lines.insert(_MAX_ROWS // 2, gap)
        table = (
            f"<table><caption>{caption} <small>{len(rows)} rows</small></caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
        )
    return f"<div>{table}{picture}</div>"
