"""Rendering the quality report: plain text, a self-contained HTML page, a notebook view.

The disclosure view reuses the disclosure report's own chart and table;
every value a user supplied goes through `_escape` on its way into markup,
and the page loads nothing (its Content-Security-Policy says so).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from retail_service_quality.reports._render import (
    _INK,
    _STYLE,
    _SVG_NS,
    _escape,
    _generated,
    _one_line,
    _percent,
    chart,
    page_top,
)
from retail_service_quality.reports._render import _table as disclosure_table

if TYPE_CHECKING:
    from retail_service_quality.reports.disclosure import DisclosureLine
    from retail_service_quality.reports.quality import (
        ComplaintSection,
        InteractionSection,
        QualityReport,
    )

__all__ = ["notebook_html", "page", "text"]

_DASH: Final = "\u2013"


def _period(report: QualityReport) -> str:
    if report.period_start is None or report.period_end is None:
        return "no period (nothing in the store)"
    return f"{report.period_start.isoformat()} to {report.period_end.isoformat()}"


def _duration(value: timedelta | None) -> str:
    if value is None:
        return _DASH
    seconds = round(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def _stood(report: QualityReport) -> str:
    if report.now is None:
        return f"Local days in {report.timezone}"
    return f"As of {_generated(report.now)}; local days in {report.timezone}"


# ---------------------------------------------------------------- the figures, as (label, value)


def _complaint_lines(section: ComplaintSection) -> list[tuple[str, str]]:
    rate = _DASH
    if section.repeat_rate is not None:
        rate = (
            f"{_percent(section.repeat_rate)} ({section.repeats} of {section.received}; "
            f"interval {_percent(section.repeat_low)} to {_percent(section.repeat_high)})"
        )
    lines = [
        ("Received", str(section.received)),
        ("Closed", str(section.closed)),
        ("Still open", str(section.open)),
        (
            "Resolution time (business time)",
            f"median {_duration(section.median_resolution)}, "
            f"90th percentile {_duration(section.p90_resolution)} "
            f"({section.timed} of {section.resolved} closed complaints timed)",
        ),
        ("Repeat rate", rate),
    ]
    for breaches in section.sla:
        longest = ""
        if breaches.longest_late is not None:
            longest = f", the longest by {_duration(breaches.longest_late)} of business time"
        lines.append((f"Open past the {breaches.kind} deadline", f"{breaches.breached}{longest}"))
    return lines


def _hotline_lines(section: InteractionSection) -> list[tuple[str, str]]:
    hotline = section.hotline
    if hotline is None:
        return []
    within = _DASH
    if hotline.answer_within is not None and hotline.answer_pledge_id is not None:
        within = (
            f"{_percent(hotline.answer_rate)} within {_duration(hotline.answer_within)} "
            f"({hotline.answered_within} of {hotline.offered}; pledge {hotline.answer_pledge_id})"
        )
    return [
        ("Calls offered", str(hotline.offered)),
        ("Answered", str(hotline.answered)),
        ("Abandoned", f"{hotline.abandoned} ({_percent(hotline.abandonment_rate)})"),
        ("Short abandons (left out)", str(hotline.short_abandoned)),
        ("Answered in time", within),
        ("Average handle time", _duration(hotline.average_handle_time)),
    ]


def _consent_lines(report: QualityReport) -> list[tuple[str, str]]:
    consent = report.consent
    return [
        ("Customers on file", str(consent.customers)),
        (
            "With own-marketing consent",
            f"{consent.consenting} ({_percent(consent.share)})",
        ),
        ("Opted out", str(consent.opted_out)),
        ("On the suppression list", str(consent.suppressed)),
    ]


# ---------------------------------------------------------------- text


def _versions_note(line: DisclosureLine) -> str:
    """A note where the status does not follow from the target shown.

    Each case is measured against the version of the pledge in force when it
    began; the target shown is the latest version's. When the pledge was revised
    during the period, the share can be under the target shown and still meet
    the targets the cases were measured against (or the other way round).
    """
    share, target = line.share, line.target_share
    if share is None or target is None or line.status.value not in ("met", "not_met"):
        return ""
    if (share >= target) == (line.status.value == "met"):
        return ""
    return " (each case against the target in force when it began: the pledge was revised)"


def text(report: QualityReport) -> str:
    """The report as plain text."""
    out = [
        _one_line(report.title),
        f"{_one_line(report.retailer)} \u00b7 {_period(report)}",
        report.summary,
        _stood(report),
    ]

    def block(heading: str, rows: list[tuple[str, str]]) -> None:
        out.extend(["", heading, "-" * len(heading)])
        width = max((len(label) for label, _ in rows), default=0)
        out.extend(f"  {label.ljust(width)}  {value}" for label, value in rows)

    disclosure = report.pledges.disclosure
    out.extend(["", "Pledges", "-------"])
    if disclosure is None or not disclosure.lines:
        out.append("  No pledge in force during the period.")
    else:
        for line in disclosure.lines:
            target = "every case" if line.target_share is None else f"{100 * line.target_share:g}%"
            achieved = "no cases" if line.n == 0 else f"{_percent(line.share)} of {line.n}"
            trend = "" if line.trend is None else f", trend {line.trend.value}"
            out.append(
                f"  [{line.pledge_id}] target {target}, achieved {achieved}: "
                f"{line.status.label}{trend}{_versions_note(line)}"
            )
            out.extend(
                f"    missed at {row.store_id}: {_percent(row.share)} of {row.n}"
                for row in report.pledges.missing
                if row.pledge_id == line.pledge_id
            )
        if not report.pledges.missing:
            out.append("  No store missed a pledge.")
    complaints = report.complaints
    if complaints.is_empty:
        out.extend(["", "Complaints", "----------", "  No complaint received in the period."])
    else:
        block("Complaints", _complaint_lines(complaints))
        out.append("  By category:")
        out.extend(
            f"    {row.category}: {row.count} ({_percent(row.share)}), {row.closed} closed"
            for row in complaints.by_category
        )
        out.append("  By state:")
        out.extend(f"    {state}: {count}" for state, count in complaints.by_state.items())
        out.append("  Root causes (the vital few marked *):")
        out.extend(
            f"    {'*' if cause.vital else ' '} {cause.root_cause}: {cause.count} "
            f"(cumulative {_percent(cause.cumulative_share)})"
            for cause in complaints.causes
        )
        if not complaints.causes:
            out.append("    none recorded yet (no complaint closed)")
    if report.consent.is_empty:
        out.extend(["", "Consent", "-------", "  No customer on file."])
    else:
        block("Consent", _consent_lines(report))
    interactions = report.interactions
    if interactions.is_empty:
        out.extend(["", "Interactions", "------------", "  No interaction in the period."])
    else:
        block("Interactions", [("Total", str(interactions.total))])
        out.append("  By channel:")
        out.extend(f"    {row.key}: {row.count}" for row in interactions.by_channel)
        out.append("  By store:")
        out.extend(f"    {row.key}: {row.count}" for row in interactions.by_store)
        out.append("  By ISO week:")
        out.extend(f"    {row.week}: {row.count}" for row in interactions.by_week)
        if interactions.hotline is not None:
            block("Hotline", _hotline_lines(interactions))
    return "\n".join(out)


# ---------------------------------------------------------------- HTML


_EXTRA_STYLE: Final = """
dl { display: grid; grid-template-columns: max-content auto; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.empty { color: #404040; font-style: italic; }
"""


def _facts(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{_escape(label)}</dt><dd>{_escape(value)}</dd>" for label, value in rows)
    return f"<dl>{items}</dl>\n"


def _simple_table(caption: str, heads: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f'<th scope="col">{_escape(name)}</th>' for name in heads)
    body = "".join(
        "<tr>"
        + f'<th scope="row" dir="auto">{_escape(row[0])}</th>'
        + "".join(f'<td class="number">{_escape(cell)}</td>' for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{_escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>\n"
    )


def _empty(words: str) -> str:
    return f'<p class="empty">{_escape(words)}</p>\n'


def week_chart(section: InteractionSection) -> str:
    """One bar per ISO week, height by its interactions."""
    weeks = section.by_week
    bar, gap, height, top, bottom = 12, 2, 160, 20, 24
    width = max(len(weeks), 1) * (bar + gap) + 60
    most = max((week.count for week in weeks), default=0) or 1
    label = "Interactions per ISO week: " + (
        "; ".join(f"{week.week}: {week.count}" for week in weeks) or "none"
    )
    parts = [
        f'<svg xmlns="{_SVG_NS}" width="{width}" height="{height + top + bottom}" '
        f'viewBox="0 0 {width} {height + top + bottom}" role="img" '
        f'aria-label="{_escape(label)}"><title>{_escape(label)}</title>',
        f'<text x="0" y="14" font-size="12" fill="{_INK}">{most}</text>',
    ]
    for index, week in enumerate(weeks):
        tall = round(height * week.count / most, 2)
        x = 50 + index * (bar + gap)
        parts.append(
            f'<rect x="{x}" y="{round(top + height - tall, 2)}" width="{bar}" height="{tall}" '
            f'fill="#1f4e79"><title>{_escape(week.week)}: {week.count}</title></rect>'
        )
    if weeks:
        parts.append(
            f'<text x="50" y="{height + top + 16}" font-size="12" fill="{_INK}">'
            f"{_escape(weeks[0].week)}</text>"
            f'<text x="{width - 10}" y="{height + top + 16}" font-size="12" '
            f'text-anchor="end" fill="{_INK}">{_escape(weeks[-1].week)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _sections_html(report: QualityReport) -> str:
    parts = ["<h2>Pledges</h2>\n"]
    disclosure = report.pledges.disclosure
    if disclosure is None or not disclosure.lines:
        parts.append(_empty("No pledge in force during the period."))
    else:
        parts.append(f"<figure>{chart(disclosure)}</figure>\n{disclosure_table(disclosure)}\n")
        # Where a revised pledge's status does not follow from the target shown, say why.
        parts.extend(
            f'<p class="meta">{_escape(line.pledge_id)}: each case is measured against the '
            "target in force when it began, and the pledge was revised during the period: its "
            "status does not follow from the target shown, the latest.</p>\n"
            for line in disclosure.lines
            if _versions_note(line)
        )
        parts.append(
            _simple_table(
                "Attainment per store",
                ("Pledge / store", "Achieved", "Cases (n)", "Pending", "Status"),
                [
                    (
                        f"{row.pledge_id} / {row.store_id}",
                        _percent(row.share),
                        str(row.n),
                        str(row.pending),
                        row.status.replace("_", " "),
                    )
                    for row in report.pledges.stores
                ],
            )
        )
    parts.append("<h2>Complaints</h2>\n")
    complaints = report.complaints
    if complaints.is_empty:
        parts.append(_empty("No complaint received in the period."))
    else:
        parts.append(_facts(_complaint_lines(complaints)))
        parts.append(
            _simple_table(
                "By category",
                ("Category", "Received", "Share", "Closed"),
                [
                    (row.category, str(row.count), _percent(row.share), str(row.closed))
                    for row in complaints.by_category
                ],
            )
        )
        parts.append(
            _simple_table(
                "By state",
                ("State", "Complaints"),
                [(state, str(count)) for state, count in complaints.by_state.items()],
            )
        )
        parts.append(
            _simple_table(
                "Root causes, most frequent first (the vital few reach 80%)",
                ("Root cause", "Complaints", "Cumulative share", "Vital few"),
                [
                    (
                        cause.root_cause,
                        str(cause.count),
                        _percent(cause.cumulative_share),
                        "yes" if cause.vital else "no",
                    )
                    for cause in complaints.causes
                ],
            )
        )
    parts.append("<h2>Consent</h2>\n")
    if report.consent.is_empty:
        parts.append(_empty("No customer on file."))
    else:
        parts.append(_facts(_consent_lines(report)))
    parts.append("<h2>Interactions</h2>\n")
    interactions = report.interactions
    if interactions.is_empty:
        parts.append(_empty("No interaction in the period."))
    else:
        parts.append(_facts([("Total", str(interactions.total))]))
        parts.append(f"<figure>{week_chart(interactions)}</figure>\n")
        for caption, rows in (
            ("By channel", interactions.by_channel),
            ("By store", interactions.by_store),
        ):
            parts.append(
                _simple_table(
                    caption,
                    (caption[3:].capitalize(), "Interactions"),
                    [(row.key, str(row.count)) for row in rows],
                )
            )
        parts.append(
            _simple_table(
                "By ISO week",
                ("Week", "Monday", "Interactions"),
                [(row.week, row.start.isoformat(), str(row.count)) for row in interactions.by_week],
            )
        )
        if interactions.hotline is not None:
            parts.append("<h3>Hotline</h3>\n" + _facts(_hotline_lines(interactions)))
    return "".join(parts)


def page(report: QualityReport) -> str:
    """The report as one self-contained HTML page."""
    return "".join(
        [
            page_top(report.title, report.retailer, _period(report), _STYLE + _EXTRA_STYLE),
            f'<p class="meta">{_escape(_stood(report))}</p>\n',
            f'<p class="summary">{_escape(report.summary)}</p>\n',
            _sections_html(report),
            "</main>\n</body>\n</html>\n",
        ]
    )


def notebook_html(report: QualityReport) -> str:
    """A notebook's view: every headline figure in one table, and the charts."""
    from retail_service_quality._internal.display import format_value

    names = ("section", "figure", "key", "value")
    head = "".join(f'<th scope="col">{name}</th>' for name in names)
    rows = "".join(
        f'<tr><th scope="row" dir="auto">{_escape(row["section"])}</th>'
        + "".join(f'<td dir="auto">{_escape(format_value(row[name]))}</td>' for name in names[1:])
        + "</tr>"
        for row in report.to_records()
    )
    caption = (
        f"QualityReport: {_escape(report.title)} {_DASH} {_escape(report.retailer)}, "
        f"{_escape(_period(report))} <small>{_escape(report.summary)}</small>"
    )
    charts = ""
    disclosure = report.pledges.disclosure
    if disclosure is not None and disclosure.lines:
        charts += chart(disclosure)
    if not report.interactions.is_empty:
        charts += week_chart(report.interactions)
    return (
        f"<div><table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>{charts}</div>"
    )
