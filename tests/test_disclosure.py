"""The disclosure report: its lines' arithmetic, validation, text, JSON, HTML and file."""

from __future__ import annotations

import itertools
import json
import os
import re
import stat
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality.reports import _render
from retail_service_quality.reports.disclosure import DisclosureLine, DisclosureReport

HOSTILE = "<script>alert(\"x\")</script> & 'it''s' \"q\" </table>"
SURROGATE = "pledge \ud800"
AT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def line(**changes: Any) -> DisclosureLine:
    fields: dict[str, Any] = {
        "pledge_id": "hotline-answer",
        "wording": "We answer 90% of hotline calls within 30 seconds.",
        "measure": "answer_time",
        "target_share": 0.9,
        "n": 1200,
        "met": 1104,
        "previous_n": 1100,
        "previous_met": 968,
    }
    fields.update(changes)
    return DisclosureLine(**fields)


def report(lines: list[DisclosureLine] | None = None, **changes: Any) -> DisclosureReport:
    fields: dict[str, Any] = {
        "title": "Our service pledges",
        "retailer": "Harbour Stores",
        "period_start": date(2026, 7, 1),
        "period_end": date(2026, 9, 30),
        "lines": [line()] if lines is None else lines,
        "generated_at": AT,
    }
    fields.update(changes)
    return DisclosureReport(**fields)


# ---------------------------------------------------------------- arithmetic


def test_a_line_against_hand_computed_values() -> None:
    item = line()
    assert item.share == pytest.approx(0.92)
    assert item.previous_share == pytest.approx(0.88)
    assert item.change == pytest.approx(0.04)
    assert item.interval == rsq.wilson_interval(1104, 1200)
    assert item.status is rsq.DisclosureStatus.MET
    assert item.trend is rsq.DisclosureTrend.UP
    # pooled p = 2072/2300; z = 0.04 / sqrt(p(1-p)(1/1200 + 1/1100)) = 3.2067
    assert item.trend_p_value == pytest.approx(
        rsq.two_proportion_ztest(1104, 1200, 968, 1100).p_value
    )
    assert item.trend_p_value == pytest.approx(0.001343, abs=5e-7)
    assert item.trend_evidence is rsq.DisclosureEvidence.BEYOND_NOISE


@pytest.mark.parametrize(
    ("met", "previous_met", "trend", "evidence"),
    [
        (84, 70, "up", "beyond_noise"),  # p = 0.0187
        (72, 70, "up", "within_noise"),
        (70, 70, "flat", "within_noise"),
        (55, 70, "down", "beyond_noise"),
    ],
)
def test_trend_direction_and_evidence(
    met: int, previous_met: int, trend: str, evidence: str
) -> None:
    item = line(n=100, met=met, previous_n=100, previous_met=previous_met, target_share=0.5)
    assert item.trend == trend
    p_value = rsq.two_proportion_ztest(met, 100, previous_met, 100).p_value
    assert item.trend_p_value == pytest.approx(p_value)
    assert (p_value < 0.05) == (evidence == "beyond_noise")
    assert item.trend_evidence == evidence


def test_flat_is_exact_on_the_counts_whatever_the_sizes() -> None:
    assert line(n=30, met=27, previous_n=10, previous_met=9).trend is rsq.DisclosureTrend.FLAT
    assert line(n=30, met=28, previous_n=10, previous_met=9).trend is rsq.DisclosureTrend.UP


@pytest.mark.parametrize(
    ("n", "met", "previous_n", "previous_met"),
    [
        (12, 11, 10, 9),  # fewer than 5 expected misses in each period
        (200, 200, 200, 200),  # no variance at all: every case met in both
        (200, 199, 3, 3),  # the previous period is too small
    ],
)
def test_too_few_cases_is_not_enough_data(
    n: int, met: int, previous_n: int, previous_met: int
) -> None:
    item = line(n=n, met=met, previous_n=previous_n, previous_met=previous_met)
    assert item.trend_p_value is None
    assert item.trend_evidence is rsq.DisclosureEvidence.NOT_ENOUGH_DATA
    assert item.trend is not None


def test_without_a_previous_period_there_is_no_trend() -> None:
    item = line(previous_n=None, previous_met=None)
    assert (item.trend, item.change, item.trend_p_value, item.trend_evidence) == (None,) * 4
    empty_before = line(previous_n=0, previous_met=0)
    assert empty_before.trend is None
    assert empty_before.previous_share is None
    assert "no cases to compare" in report([empty_before]).to_text()


def test_status_defaults_to_the_share_against_the_target() -> None:
    assert line(met=1080).status is rsq.DisclosureStatus.MET  # exactly 90%
    assert line(met=1079).status is rsq.DisclosureStatus.NOT_MET
    every = line(target_share=None, n=40, met=40)
    assert every.every_case
    assert every.status is rsq.DisclosureStatus.MET
    assert line(target_share=None, n=40, met=39).status is rsq.DisclosureStatus.NOT_MET
    empty = line(n=0, met=0)
    assert empty.status is rsq.DisclosureStatus.NOT_ENOUGH_DATA
    assert (empty.share, empty.interval) == (None, None)
    # a decimal target is met by the share it names, whatever the binary rounding of 0.7 * 10
    assert line(target_share=0.7, n=10, met=7).status is rsq.DisclosureStatus.MET
    assert line(target_share=0.29, n=100, met=29).status is rsq.DisclosureStatus.MET
    given_status = line(status="not_enough_data")  # attainment's own rule wins
    assert given_status.status is rsq.DisclosureStatus.NOT_ENOUGH_DATA


# ---------------------------------------------------------------- validation


def _problems(error: pytest.ExceptionInfo[rsq.ValidationError]) -> dict[str, str]:
    return {problem.path: problem.code for problem in error.value.problems}


def test_every_problem_of_a_line_in_one_round() -> None:
    with pytest.raises(rsq.ValidationError) as error:
        DisclosureLine(
            pledge_id=" p-17 ",
            wording=SURROGATE,
            measure="speed",
            target_share=float("nan"),
            n=-1,
            met=True,
            interval="0.1-0.2",  # type: ignore[arg-type]
            status="great",
            previous_n=2**60,
            previous_met=None,
        )
    assert _problems(error) == {
        "$.pledge_id": "format",
        "$.wording": "format",
        "$.measure": "unknown_choice",
        "$.target_share": "type",
        "$.n": "range",
        "$.met": "type",
        "$.interval": "type",
        "$.status": "unknown_choice",
        "$.previous_met": "required",
        "$.previous_n": "range",
    }
    for value in ("p-17", "speed", "great", "0.1-0.2", str(2**60)):
        assert value not in str(error.value)


@pytest.mark.parametrize(
    ("changes", "path", "code"),
    [
        ({"met": 1201}, "$.met", "inconsistent"),
        ({"previous_met": 1101}, "$.previous_met", "inconsistent"),
        ({"n": 0, "met": 0, "interval": None, "status": "met"}, "$.status", "inconsistent"),
        ({"interval": None}, "$.interval", "required"),
        ({"interval": rsq.Interval(-0.5, 0.5, 0.95)}, "$.interval", "range"),
        ({"target_share": 1.0}, "$.target_share", "range"),
        ({"target_share": 0}, "$.target_share", "range"),
        ({"wording": "   "}, "$.wording", "required"),
        ({"wording": "x" * 2001}, "$.wording", "range"),
        ({"pledge_id": 7}, "$.pledge_id", "type"),
        ({"n": 10**400}, "$.n", "range"),
        ({"n": 2**60, "met": 2**59}, "$.met", "range"),
    ],
)
def test_inconsistent_lines_are_refused(changes: dict[str, Any], path: str, code: str) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        line(**changes)
    assert _problems(error).get(path) == code


def test_every_problem_of_a_report_in_one_round() -> None:
    naive = datetime(2026, 10, 5, 9, 0)
    with pytest.raises(rsq.ValidationError) as error:
        DisclosureReport(
            title=SURROGATE,
            retailer="",
            period_start=date(2026, 9, 30),
            period_end=date(2026, 7, 1),
            lines=[line(), line(), "line"],  # type: ignore[list-item]
            generated_at=naive,
        )
    assert _problems(error) == {
        "$.title": "format",
        "$.retailer": "required",
        "$.period_end": "inconsistent",
        "$.lines[1].pledge_id": "duplicate",
        "$.lines[2]": "type",
        "$.generated_at": error.value.problems[-1].code,
    }
    with pytest.raises(rsq.ValidationError) as dates:
        report(period_start=AT, period_end="2026-09-30", lines="abc")  # type: ignore[arg-type]
    assert set(_problems(dates)) == {"$.period_start", "$.period_end", "$.lines"}
    with pytest.raises(rsq.ValidationError) as missing:
        DisclosureReport()
    assert set(_problems(missing).values()) == {"required"}


@pytest.mark.parametrize("field", ["title", "retailer"])
def test_lone_surrogates_are_bad_input_everywhere(field: str) -> None:
    changes: dict[str, Any] = {field: SURROGATE}
    with pytest.raises(rsq.ValidationError):
        report(**changes)
    with pytest.raises(rsq.ValidationError):
        line(pledge_id=SURROGATE)


# ---------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        (datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("Europe/London")), "01:30 (UTC+01:00)"),
        (
            datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
            "01:30 (UTC+00:00)",
        ),
        (datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Asia/Kolkata")), "09:30 (UTC+05:30)"),
        (datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Australia/Adelaide")), "09:00 (UTC+10:30)"),
        (datetime(1, 1, 2, tzinfo=UTC), "0001-01-02 00:00 (UTC+00:00)"),
        (datetime(9999, 12, 30, 23, 59, tzinfo=UTC), "9999-12-30 23:59 (UTC+00:00)"),
        (
            datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("America/St_Johns")),
            "09:00 (UTC-03:30)",
        ),
    ],
)
def test_generated_at_is_shown_with_its_own_offset_and_round_trips(
    at: datetime, shown: str
) -> None:
    value = report(generated_at=at)
    assert shown in value.to_text()
    assert shown in value.to_html()
    back = DisclosureReport.from_json(value.to_json())
    assert back == value
    assert back.generated_at.utcoffset() == at.utcoffset()


def test_a_skipped_wall_time_is_refused() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/London"))
    with pytest.raises(rsq.ValidationError) as error:
        report(generated_at=skipped)
    assert "$.generated_at" in _problems(error)


def test_reports_a_repeated_hour_apart_are_different_instants() -> None:
    london = ZoneInfo("Europe/London")
    first = report(generated_at=datetime(2026, 10, 25, 1, 30, tzinfo=london))
    second = report(generated_at=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london))
    assert second.generated_at.astimezone(UTC) - first.generated_at.astimezone(UTC) == timedelta(
        hours=1
    )
    assert (
        json.loads(first.to_json())["generated_at"] != json.loads(second.to_json())["generated_at"]
    )


# ---------------------------------------------------------------- JSON


counts = st.integers(0, 10**6)


@st.composite
def lines(draw: st.DrawFn, pledge_id: str) -> DisclosureLine:
    n = draw(counts)
    met = draw(st.integers(0, n))
    previous = draw(st.none() | counts)
    previous_met = None if previous is None else draw(st.integers(0, previous))
    target = draw(st.none() | st.floats(0.01, 0.99))
    return DisclosureLine(
        pledge_id=pledge_id,
        wording=draw(st.text(min_size=1, max_size=40).filter(str.strip)),
        measure=draw(st.sampled_from(list(rsq.PledgeMeasure))),
        target_share=target,
        n=n,
        met=met,
        previous_n=previous,
        previous_met=previous_met,
    )


@st.composite
def reports(draw: st.DrawFn) -> DisclosureReport:
    ids = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), unique=True, max_size=4)
    )
    start = draw(st.dates(date(2000, 1, 1), date(2030, 1, 1)))
    zone = draw(st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata", "Australia/Adelaide"]))
    at = draw(
        st.datetimes(
            datetime(2001, 1, 1),
            datetime(2040, 1, 1),
            timezones=st.just(ZoneInfo(zone)),
            allow_imaginary=False,  # a clock time the zone skips names no instant
        )
    )
    return DisclosureReport(
        title=draw(st.text(min_size=1, max_size=30).filter(str.strip)),
        retailer=draw(st.text(min_size=1, max_size=30).filter(str.strip)),
        period_start=start,
        period_end=start + timedelta(days=draw(st.integers(0, 400))),
        lines=[draw(lines(pledge_id)) for pledge_id in ids],
        generated_at=at,
    )


@settings(max_examples=60, deadline=None)
@given(reports())
def test_json_round_trips_and_derived_values_agree(value: DisclosureReport) -> None:
    text = value.to_json()
    assert DisclosureReport.from_json(text) == value
    data = json.loads(text)
    assert data["format"] == rsq.DISCLOSURE_JSON_FORMAT
    assert data["summary"] == value.summary
    for item, expected in zip(data["lines"], value.lines, strict=True):
        assert item["share"] == expected.share
        assert item["trend"] == (None if expected.trend is None else expected.trend.value)
    # the library's converter round-trips the report too
    assert rsq.from_json(rsq.to_json(value), DisclosureReport) == value


@settings(max_examples=60, deadline=None)
@given(reports())
def test_the_trend_agrees_with_the_change_and_the_evidence_with_the_p_value(
    value: DisclosureReport,
) -> None:
    for item in value.lines:
        if item.change is None:
            assert item.trend is None
            continue
        assert (item.trend is rsq.DisclosureTrend.FLAT) == (
            item.met * item.previous_n == item.previous_met * item.n  # type: ignore[operator]
        )
        if item.trend is rsq.DisclosureTrend.UP:
            assert item.change > 0
        if item.trend is rsq.DisclosureTrend.DOWN:
            assert item.change < 0
        if item.trend_p_value is None:
            assert item.trend_evidence is rsq.DisclosureEvidence.NOT_ENOUGH_DATA
        else:
            assert (item.trend_evidence is rsq.DisclosureEvidence.BEYOND_NOISE) == (
                item.trend_p_value < 0.05
            )
    assert len(value.to_records()) == len(value.lines)


def test_the_json_shape_is_stable() -> None:
    data = json.loads(report().to_json())
    assert list(data) == [
        "format", "title", "retailer", "period_start", "period_end", "lines", "generated_at",
        "summary",
    ]  # fmt: skip
    assert list(data["lines"][0]) == [
        "pledge_id", "wording", "measure", "target_share", "n", "met", "interval", "status",
        "previous_n", "previous_met", "share", "previous_share", "change", "trend",
        "trend_p_value", "trend_evidence",
    ]  # fmt: skip
    assert data["period_start"] == "2026-07-01"
    assert data["generated_at"] == "2026-10-05T09:00:00+00:00"
    assert data["lines"][0]["interval"]["confidence"] == 0.95


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda data: data["lines"][0].update(share=0.5), "$.lines[0].share"),
        (lambda data: data["lines"][0].update(trend="down"), "$.lines[0].trend"),
        (lambda data: data.update(summary="all met"), "$.summary"),
        (lambda data: data.update(format="other/2"), "$.format"),
        (lambda data: data["lines"][0].update(met="1104"), "$.lines[0].met"),
        (lambda data: data.update(generated_at="2026-10-05T09:00:00"), "$.generated_at"),
        (lambda data: data.update(title="\\ud800"), "$.title"),
    ],
)
def test_json_that_disagrees_is_refused_with_its_path(edit: Any, path: str) -> None:
    data = json.loads(report().to_json())
    edit(data)
    text = json.dumps(data)
    if "\\\\ud800" in text:
        text = text.replace("\\\\ud800", "\\ud800")
    with pytest.raises(rsq.ValidationError) as error:
        DisclosureReport.from_json(text)
    assert path in _problems(error)


def test_json_problems_come_in_one_round() -> None:
    data = json.loads(report().to_json())
    data["format"] = "other/2"
    data["lines"][0]["n"] = "many"
    data["title"] = 5
    with pytest.raises(rsq.ValidationError) as error:
        DisclosureReport.from_json(json.dumps(data))
    assert {"$.format", "$.lines[0].n", "$.title"} <= set(_problems(error))


@pytest.mark.parametrize("text", ["", "[]", "{", "null", b"\xff", "[" * 100_000, '{"format": 1}'])
def test_json_that_is_not_a_report_is_a_validation_error(text: str | bytes) -> None:
    with pytest.raises(rsq.ValidationError):
        DisclosureReport.from_json(text)


# ---------------------------------------------------------------- text and records


def test_text_says_everything_a_reader_needs() -> None:
    value = report(
        [
            line(),
            line(pledge_id="resolve", wording="We resolve every complaint\nin 5 days.",
                 measure="resolution", target_share=None, n=40, met=39, previous_n=None,
                 previous_met=None),
            line(pledge_id="ack", n=0, met=0, previous_n=50, previous_met=48),
        ]
    )  # fmt: skip
    assert value.to_text().splitlines() == [
        "Our service pledges",
        "Harbour Stores · 2026-07-01 to 2026-09-30",
        "1 of 3 pledges met",
        "Generated 2026-10-05 09:00 (UTC+00:00)",
        "",
        "[hotline-answer] We answer 90% of hotline calls within 30 seconds.",
        "  Target: 90% of cases",
        "  Achieved: 92.0% (1104 of 1200), 95% interval 90.3% to 93.4%",
        "  Status: Met",
        "  Trend: up 4.0 points (beyond noise, p = 0.00134; previous period 88.0% of 1100)",
        "",
        "[resolve] We resolve every complaint in 5 days.",
        "  Target: every case",
        "  Achieved: 97.5% (39 of 40), 95% interval 87.1% to 99.6%",
        "  Status: Not met",
        "  Trend: no previous period",
        "",
        "[ack] We answer 90% of hotline calls within 30 seconds.",
        "  Target: 90% of cases",
        "  Achieved: no cases, interval \u2013",
        "  Status: Not enough data",
        "  Trend: no cases to compare",
    ]
    assert "No pledges in this report." in report([]).to_text()


def test_records_and_dataframe_have_one_row_per_pledge() -> None:
    value = report(
        [line(), line(pledge_id="other", n=0, met=0, previous_n=None, previous_met=None)]
    )
    rows = value.to_records()
    assert [row["pledge_id"] for row in rows] == ["hotline-answer", "other"]
    assert rows[0]["share"] == pytest.approx(0.92)
    assert rows[0]["low"] == line().interval.low  # type: ignore[union-attr]
    assert rows[0]["trend"] == "up"
    assert rows[0]["trend_evidence"] == "beyond_noise"
    assert rows[1]["low"] is None
    assert rows[1]["share"] is None
    frame = value.to_dataframe()
    assert list(frame["pledge_id"]) == ["hotline-answer", "other"]
    assert str(frame["n"].dtype) == "int64"
    assert list(frame.columns) == list(rows[0])
    assert rsq.record_columns(DisclosureLine) == list(rows[0])


# ---------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects the tags, attributes and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _hostile_report() -> DisclosureReport:
    return report(
        [
            line(pledge_id=HOSTILE.replace(" ", "_"), wording=HOSTILE),
            line(pledge_id="plain", n=0, met=0),
        ],
        title=HOSTILE,
        retailer=f"Harbour & Sons {HOSTILE}",
    )


def test_every_user_value_is_escaped() -> None:
    value = _hostile_report()
    page = value.to_html()
    parsed = _parse(page)
    assert [tag for tag, _ in parsed.tags if tag == "script"] == []
    assert "<script" not in page
    text = "".join(parsed.text)
    assert HOSTILE in text  # shown as text, literally
    assert f"Harbour & Sons {HOSTILE}" in text
    for page_part in (value._repr_html_(), _render.chart(value)):
        assert "<script" not in page_part
    title = next(attributes for tag, attributes in parsed.tags if tag == "svg")["aria-label"]
    assert HOSTILE.replace(" ", "_") in str(title)


def test_the_page_is_accessible() -> None:
    page = _hostile_report().to_html()
    parsed = _parse(page)
    assert page.startswith("<!DOCTYPE html>")
    tags = [tag for tag, _ in parsed.tags]
    assert parsed.tags[0] == ("html", {"lang": "en"})
    assert "title" in tags
    assert "main" in tags
    headings = [int(tag[1]) for tag in tags if re.fullmatch(r"h[1-6]", tag)]
    assert headings[0] == 1
    assert headings.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(headings))
    assert tags.count("table") == 1
    assert "caption" in tags
    scopes = [attributes.get("scope") for tag, attributes in parsed.tags if tag == "th"]
    assert scopes.count("col") == 7
    assert scopes.count("row") == 2
    for tag, attributes in parsed.tags:
        if tag == "svg":
            assert attributes["role"] == "img"
            assert attributes["aria-label"]
    assert tags.count("svg") == 1
    # the status is said in words, not by colour alone, in the chart and the table
    assert page.count("Not enough data") >= 2
    assert page.count("Met") >= 2


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def test_every_colour_of_the_page_contrasts_with_white() -> None:
    page = report().to_html()
    used = set(re.findall(r"#[0-9a-f]{6}\b", page)) - {"#ffffff", "#c8c8c8", "#8a8a8a"}
    assert used >= set(_render._COLOURS.values())
    for colour in used:
        ratio = 1.05 / (_luminance(colour) + 0.05)
        assert ratio >= 4.5, colour


def test_the_page_loads_nothing_from_elsewhere() -> None:
    page = _hostile_report().to_html()
    parsed = _parse(page)
    for tag, attributes in parsed.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        assert not {"src", "href", "srcset"} & set(attributes), tag
    without_namespace = page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        "http-equiv", ""
    )
    assert "http" not in without_namespace.replace(HOSTILE, "")
    assert "url(" not in page
    assert "@import" not in page
    assert "@font-face" not in page
    assert "default-src 'none'" in page


def test_the_chart_marks_target_and_interval_on_a_0_to_100_scale() -> None:
    svg = _render.chart(report([line(met=1104, target_share=0.9)]))
    left, width = 220.0, 400.0
    bar = re.search(r'<rect x="220" y="\d+" width="([\d.]+)"', svg)
    assert bar is not None
    assert float(bar.group(1)) == pytest.approx(width * 0.92, abs=0.01)
    interval = line().interval
    assert interval is not None
    whisker = re.search(r'd="M([\d.]+) \d+H([\d.]+)M', svg)
    assert whisker is not None
    assert float(whisker.group(1)) == pytest.approx(left + width * interval.low, abs=0.01)
    assert float(whisker.group(2)) == pytest.approx(left + width * interval.high, abs=0.01)
    assert f'd="M{left + width * 0.9} ' in svg  # the target line
    assert svg.count("<rect") == 1


def test_an_empty_report_still_renders() -> None:
    value = report([])
    assert "No pledges in this report." in value.to_html()
    assert value.summary == "0 of 0 pledges met"
    assert value.to_records() == []


# ---------------------------------------------------------------- the file


def test_write_html_writes_and_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "pledges.html"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    written = report().write_html(target)
    assert written == target
    assert target.read_text(encoding="utf-8") == report().to_html()
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pledges.html"]
    fresh = report().write_html(str(tmp_path / "new.html"))
    assert fresh.stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "pledges.html"
    target.write_text("old", encoding="utf-8")

    def broken(_: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(rsq.StorageError):
        report().write_html(target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["pledges.html"]


def test_a_path_that_cannot_be_written_is_a_storage_error(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "missing" / "page.html", tmp_path / ("x" * 300)):
        with pytest.raises(rsq.StorageError) as error:
            report().write_html(path)
        assert str(tmp_path) not in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_a_pipe_is_never_replaced_and_a_link_is_followed(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(rsq.StorageError, match="not a regular file"):
        report().write_html(pipe)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    link = tmp_path / "link.html"
    link.symlink_to("page.html")
    assert report().write_html(link) == link
    assert link.is_symlink()
    assert (tmp_path / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "path", ["", None, 7, b"page.html", "page\x00.html", "p\ud800.html", ["a"]]
)
def test_a_path_that_is_not_a_path_is_a_validation_error(path: object) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        report().write_html(path)  # type: ignore[arg-type]
    assert list(_problems(error)) == ["$.path"]


def test_display_in_a_notebook_is_the_records_and_the_chart() -> None:
    value = report([line(), attrs.evolve(line(), pledge_id="second")])
    page = value._repr_html_()
    assert "DisclosureReport" in page
    assert page.count("<tr>") == 3
    assert "<svg" in page
