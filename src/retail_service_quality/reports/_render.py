"""Rendering a disclosure report: plain text, a self-contained HTML page, an SVG chart.

Every value a user supplied (titles, names, wording, identifiers) goes
through `_escape` on its way into markup; numbers are formatted here, never
taken as markup. The page loads nothing: no script, no font, no image by
URL, and its Content-Security-Policy says so to the browser.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from retail_service_quality._internal.display import format_value
from retail_service_quality._internal.records import layout_of
from retail_service_quality.errors import Problems, StorageError, ValidationError

if TYPE_CHECKING:
    from retail_service_quality.reports.disclosure import DisclosureLine, DisclosureReport

__all__ = ["notebook_html", "page", "page_top", "report_json", "text", "write_atomically"]

_SVG_NS: Final = "http://www.w3.org/2000/svg"
# Colours chosen for at least 7:1 contrast on white; each status also has its words.
_COLOURS: Final = {"met": "#1d6b3a", "not_met": "#a4262c", "not_enough_data": "#595959"}
_INK: Final = "#1b1b1b"
_LABEL_WIDTH: Final = 27  # characters of a pledge id shown beside its bar
_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'"

_STYLE: Final = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: {_INK};
  background: #ffffff; margin: 0; line-height: 1.5; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1.5rem; }}
h1 {{ font-size: 1.75rem; margin: 0 0 0.25rem; }}
h2 {{ font-size: 1.25rem; margin-top: 2rem; }}
.meta {{ color: #404040; margin: 0; }}
.summary {{ font-size: 1.125rem; font-weight: 600; }}
figure {{ margin: 1rem 0; }}
figcaption {{ color: #404040; font-size: 0.9rem; }}
svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.95rem; }}
caption {{ text-align: left; font-weight: 600; padding: 0.5rem 0; }}
th, td {{ border-bottom: 1px solid #8a8a8a; padding: 0.4rem 0.5rem; text-align: left;
  vertical-align: top; }}
thead th {{ border-bottom: 2px solid {_INK}; }}
td.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
.id {{ display: block; color: #404040; font-size: 0.85rem; font-weight: 400; }}
.status-met {{ color: {_COLOURS["met"]}; font-weight: 600; }}
.status-not_met {{ color: {_COLOURS["not_met"]}; font-weight: 600; }}
.status-not_enough_data {{ color: {_COLOURS["not_enough_data"]}; font-weight: 600; }}
"""

_SYMBOLS: Final = {"met": "\u2713", "not_met": "\u2717", "not_enough_data": "?"}
_ARROWS: Final = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25ac"}


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _percent(share: float | None) -> str:
    return "\u2013" if share is None else f"{100 * share:.1f}%"


def _offset(at: datetime) -> str:
    offset = at.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _generated(at: datetime) -> str:
    return f"{at.date().isoformat()} {at:%H:%M} ({_offset(at)})"


def _period(report: DisclosureReport) -> str:
    return f"{report.period_start.isoformat()} to {report.period_end.isoformat()}"


def _target(line: DisclosureLine) -> str:
    if line.target_share is None:
        return "every case"
    return f"{100 * line.target_share:g}% of cases"


def _achieved(line: DisclosureLine) -> str:
    if line.n == 0:
        return "no cases"
    return f"{_percent(line.share)} ({line.met} of {line.n})"


def _interval(line: DisclosureLine) -> str:
    if line.interval is None:
        return "\u2013"
    interval = line.interval
    return f"{_percent(interval.low)} to {_percent(interval.high)}"


def _confidence(line: DisclosureLine) -> str:
    return "" if line.interval is None else f"{100 * line.interval.confidence:g}% "


def _trend(line: DisclosureLine) -> str:
    """The trend in words: direction, size, and whether it is beyond noise."""
    if line.previous_n is None:
        return "no previous period"
    if line.trend is None or line.change is None:
        return "no cases to compare"
    previous = f"previous period {_percent(line.previous_share)} of {line.previous_n}"
    if line.trend.value == "flat":
        moved = "flat"
    else:
        moved = f"{line.trend.value} {abs(100 * line.change):.1f} points"
    evidence = line.trend_evidence
    assert evidence is not None
    if line.trend_p_value is not None:
        said = f"{evidence.label.lower()}, p = {line.trend_p_value:.3g}"
    else:
        said = evidence.label.lower()
    return f"{moved} ({said}; {previous})"


# ---------------------------------------------------------------- text


def text(report: DisclosureReport) -> str:
    """The report as plain text."""
    lines = [
        _one_line(report.title),
        f"{_one_line(report.retailer)} \u00b7 {_period(report)}",
        report.summary,
        f"Generated {_generated(report.generated_at)}",
    ]
    if not report.lines:
        lines += ["", "No pledges in this report."]
    for line in report.lines:
        lines += [
            "",
            f"[{line.pledge_id}] {_one_line(line.wording)}",
            f"  Target: {_target(line)}",
            f"  Achieved: {_achieved(line)}, {_confidence(line)}interval {_interval(line)}",
            f"  Status: {line.status.label}",
            f"  Trend: {_trend(line)}",
        ]
    return "\n".join(lines)


# ---------------------------------------------------------------- SVG chart


def _short(value: str) -> str:
    return value if len(value) <= _LABEL_WIDTH else value[: _LABEL_WIDTH - 1] + "\u2026"


def chart(report: DisclosureReport) -> str:
    """One bar per pledge on a 0-100% scale, its interval as a whisker, its target marked."""
    left, width, row = 220.0, 400.0, 44
    top = 30
    height = top + row * max(len(report.lines), 1) + 8
    total = left + width + 170

    def x(share: float) -> float:
        return round(left + width * min(max(share, 0.0), 1.0), 2)

    described = "; ".join(
        f"{line.pledge_id}: {_achieved(line)}, target {_target(line)}, {line.status.label}"
        for line in report.lines
    )
    label = f"Share of cases meeting each pledge. {described or 'No pledges.'}"
    parts = [
        f'<svg xmlns="{_SVG_NS}" width="{total:g}" height="{height}" '
        f'viewBox="0 0 {total:g} {height}" role="img" aria-label="{_escape(label)}">',
        f"<title>{_escape(label)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        at = x(tick / 100)
        parts.append(
            f'<line x1="{at}" y1="{top - 6}" x2="{at}" y2="{height - 8}" stroke="#c8c8c8"/>'
            f'<text x="{at}" y="{top - 10}" font-size="12" text-anchor="middle" '
            f'fill="{_INK}">{tick}%</text>'
        )
    for index, line in enumerate(report.lines):
        y = top + row * index
        status = line.status.value
        colour = _COLOURS[status]
        parts.append(
            f"<g><title>{_escape(line.pledge_id)}: {_escape(_achieved(line))}</title>"
            f'<text x="{left - 10:g}" y="{y + 24}" font-size="13" text-anchor="end" '
            f'fill="{_INK}">{_escape(_short(line.pledge_id))}</text>'
        )
        if line.share is not None:
            parts.append(
                f'<rect x="{left:g}" y="{y + 12}" width="{max(x(line.share) - left, 1):.2f}" '
                f'height="16" fill="{colour}"/>'
            )
        if line.interval is not None:
            low, high = x(line.interval.low), x(line.interval.high)
            whisker = f"M{low} {y + 20}H{high}M{low} {y + 14}V{y + 26}M{high} {y + 14}V{y + 26}"
            parts.append(  # a white halo keeps the whisker visible over its bar
                f'<path d="{whisker}" stroke="#ffffff" stroke-width="4" fill="none"/>'
                f'<path d="{whisker}" stroke="{_INK}" stroke-width="1.5" fill="none"/>'
            )
        target = x(1.0 if line.target_share is None else line.target_share)
        parts.append(
            f'<path d="M{target} {y + 6}V{y + 34}" stroke="{_INK}" stroke-width="2.5" '
            f'stroke-dasharray="4 2" fill="none"/>'
            f'<text x="{left + width + 12:g}" y="{y + 24}" font-size="13" fill="{colour}" '
            f'font-weight="600">{_SYMBOLS[status]} {_escape(_percent(line.share))} '
            f"{_escape(line.status.label)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- HTML


def _row(line: DisclosureLine) -> str:
    status = line.status.value
    arrow = "" if line.trend is None else _ARROWS[line.trend.value] + " "
    cells = [
        f'<th scope="row" dir="auto">{_escape(line.wording)}'
        f'<span class="id">{_escape(line.pledge_id)}</span></th>',
        f"<td>{_escape(_target(line))}</td>",
        f'<td class="number">{_escape(_percent(line.share))}</td>',
        f'<td class="number">{line.n}</td>',
        f'<td class="number">{_escape(_interval(line))}</td>',
        f'<td class="status-{status}">{_SYMBOLS[status]} {_escape(line.status.label)}</td>',
        f"<td>{arrow}{_escape(_trend(line))}</td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def _table(report: DisclosureReport) -> str:
    heads = ("Pledge", "Target", "Achieved", "Cases (n)", "Interval", "Status", "Trend")
    head = "".join(f'<th scope="col">{name}</th>' for name in heads)
    confidence = next(
        (_confidence(line) for line in report.lines if line.interval is not None), "95% "
    )
    caption = (
        f"Pledges and attainment, {_escape(_period(report))} "
        f"(interval: {confidence.strip()} confidence interval of the share)"
    )
    body = "".join(_row(line) for line in report.lines) or (
        f'<tr><td colspan="{len(heads)}">No pledges in this report.</td></tr>'
    )
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def page_top(title: str, retailer: str, period: str, style: str = _STYLE) -> str:
    """A report page's head, its heading and its retailer and period line (all escaped here)."""
    title, retailer = _escape(title), _escape(retailer)
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{title} \u2013 {retailer}</title>\n",
            f"<style>{style}</style>\n</head>\n<body>\n<main>\n",
            f"<h1>{title}</h1>\n",
            f'<p class="meta">{retailer} \u00b7 {_escape(period)}</p>\n',
        ]
    )


def page(report: DisclosureReport) -> str:
    """The report as one self-contained HTML page."""
    return "".join(
        [
            page_top(report.title, report.retailer, _period(report)),
            f'<p class="meta">Generated {_escape(_generated(report.generated_at))}</p>\n',
            f'<p class="summary">{_escape(report.summary)}</p>\n',
            "<h2>Attainment by pledge</h2>\n",
            f"<figure>{chart(report)}\n<figcaption>Each bar is the share of cases that met "
            "the pledge; the whisker is its confidence interval and the dashed line the "
            "target. The status is written beside each bar.</figcaption></figure>\n",
            f"{_table(report)}\n",
            "<h2>How to read this report</h2>\n",
            "<p>Achieved is the share of cases in the period that met the standard the pledge "
            "sets. The interval is the range the share would likely fall in were the period "
            "repeated; with few cases it is wide. The trend compares the share with the "
            "previous period's and says whether the change is beyond noise (a two-proportion "
            "test, p below 0.05) or could be chance; with too few cases it says so.</p>\n",
            "</main>\n</body>\n</html>\n",
        ]
    )


def notebook_html(report: DisclosureReport) -> str:
    """A notebook's view: the records as a table, and the chart."""
    from retail_service_quality.reports.disclosure import DisclosureLine

    layout = layout_of(DisclosureLine)
    names = [column.name for column in layout.columns]
    head = "".join(f'<th scope="col">{_escape(name)}</th>' for name in names)
    rows = "".join(
        "<tr>"
        + "".join(f'<td dir="auto">{_escape(format_value(row[name]))}</td>' for name in names)
        + "</tr>"
        for row in report.to_records()
    )
    caption = (
        f"DisclosureReport: {_escape(report.title)} \u2013 {_escape(report.retailer)}, "
        f"{_escape(_period(report))} <small>{_escape(report.summary)}</small>"
    )
    return (
        f"<div><table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>{chart(report)}</div>"
    )


# ---------------------------------------------------------------- writing


def _target_path(path: object) -> Path:
    message = "must be a file path (text or os.PathLike)"
    try:
        name = os.fspath(path)  # type: ignore[call-overload]
    except TypeError:
        raise ValidationError.single("$.path", message, "type") from None
    if not isinstance(name, str):
        raise ValidationError.single("$.path", message, "type")
    if not name or "\x00" in name:
        raise ValidationError.single("$.path", "must be a non-empty file path", "format")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError.single("$.path", "must be valid Unicode text", "format") from None
    return Path(name)


def write_atomically(path: object, content: str) -> Path:
    """Write ``content`` to ``path`` through a temporary file renamed into place.

    A symbolic link is followed: the file it names is replaced, the link kept. A path that
    names anything but a regular file (a folder, a device such as ``/dev/null``, a pipe) is
    refused before anything is written, never replaced by a file.
    """
    import stat

    given = _target_path(path)
    try:
        target = Path(os.path.realpath(given))
        found = os.stat(target)
    except FileNotFoundError:
        found = None
    except (OSError, ValueError) as error:
        raise StorageError(f"the report could not be written to that path: {_why(error)}") from (
            error
        )
    if found is not None and not stat.S_ISREG(found.st_mode):
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "not a regular file"
        raise StorageError(
            f"the report could not be written to that path: it is {kind}, which is never replaced"
        )
    data = content.encode("utf-8")
    temporary: str | None = None
    try:
        mode = found.st_mode & 0o777 if found is not None else 0o644
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp"
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        temporary = None
    except (OSError, ValueError) as error:
        raise StorageError(f"the report could not be written to that path: {_why(error)}") from (
            error
        )
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return given


def _why(error: BaseException) -> str:
    """The reason an operating system gave, without the path (which may name a person)."""
    if isinstance(error, FileNotFoundError):
        return "its folder does not exist"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "it is a folder"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return "the path is not valid here"


def report_json(
    text: object, json_format: str, what: str
) -> tuple[dict[str, Any], object, Problems]:
    """A report's JSON read: its fields to structure, the ``summary`` given, and the problems
    found so far (a ``format`` other than ``json_format``). `ValidationError` for text that is
    not JSON (``what``: "a quality report") or not an object."""
    import json

    try:
        data = json.loads(text)  # type: ignore[arg-type]
    except (ValueError, TypeError, RecursionError) as error:
        raise ValidationError.single("$", f"must be {what} in JSON", "format") from error
    if not isinstance(data, dict):
        raise ValidationError.single("$", "must be a JSON object", "type")
    problems = Problems()
    if data.pop("format", None) != json_format:
        problems.add("$.format", f"must be {json_format!r}", "format")
    return data, data.pop("summary", None), problems
