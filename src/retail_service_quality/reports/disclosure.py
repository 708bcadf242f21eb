"""The information disclosure report: what was pledged, and what was achieved.

A `DisclosureReport` is what a retailer publishes for a period: every
pledge with its wording, its target, the share of cases that met it, how many
cases (n), the confidence interval of that share, whether the pledge was met,
and the trend against the previous period. One `DisclosureLine` per pledge
holds the counts; everything else (the share, the change, the trend and
whether the change is beyond noise) follows from them.

The report reads as text (`DisclosureReport.to_text`), as JSON
(`DisclosureReport.to_json`, a documented and stable shape that reads back
with `DisclosureReport.from_json`) and as one self-contained HTML page
(`DisclosureReport.to_html`, written atomically by
`DisclosureReport.write_html`) with inline SVG charts, no external assets and
accessible markup, ready to publish on a website.

The trend compares the share with the previous period's: ``up``, ``down``
or ``flat`` (equal shares), and the evidence for the change from a pooled
two-proportion z-test (`two_proportion_ztest`): ``beyond_noise`` when its
p-value is below 0.05, ``within_noise`` otherwise, and ``not_enough_data``
when either period has fewer than 5 expected cases meeting or missing the
standard (the test's normal approximation does not hold).

Examples:
    >>> from datetime import date, datetime, timezone
    >>> line = DisclosureLine(
    ...     pledge_id="hotline-answer",
    ...     wording="We answer 90% of hotline calls within 30 seconds.",
    ...     measure="answer_time",
    ...     target_share=0.9,
    ...     n=1200,
    ...     met=1104,
    ...     previous_n=1100,
    ...     previous_met=968,
    ... )
    >>> line.share, line.status.value, line.trend.value, line.trend_evidence.value
    (0.92, 'met', 'up', 'beyond_noise')
    >>> report = DisclosureReport(
    ...     title="Our service pledges",
    ...     retailer="Harbour Stores",
    ...     period_start=date(2026, 7, 1),
    ...     period_end=date(2026, 9, 30),
    ...     lines=[line],
    ...     generated_at=datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc),
    ... )
    >>> report.summary
    '1 of 1 pledges met'
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality._internal.checks import (
    MAX_COUNT,
    check_count,
    check_number,
    is_finite_number,
    is_integer,
)
from retail_service_quality._internal.records import Tabular, layout_of
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_text,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import (
    InsufficientDataError,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics.statistics import (
    Interval,
    two_proportion_ztest,
    wilson_interval,
)
from retail_service_quality.quality.pledges import PledgeMeasure, ServicePledge
from retail_service_quality.storage._time import named_zone

if TYPE_CHECKING:
    from retail_service_quality.quality.attainment import AttainmentGroupBy, AttainmentRow
    from retail_service_quality.serialization._records import RecordList

__all__ = [
    "DISCLOSURE_JSON_FORMAT",
    "DisclosureEvidence",
    "DisclosureLine",
    "DisclosureReport",
    "DisclosureStatus",
    "DisclosureTrend",
    "disclosure_report",
]

DISCLOSURE_JSON_FORMAT: Final = "retail_service_quality.disclosure/1"
"""The ``format`` of the report's JSON; it changes only if the shape does."""

TREND_ALPHA: Final = 0.05
"""A change is beyond noise when the two-proportion test's p-value is below this."""

_MIN_EXPECTED: Final = 5  # expected cases meeting and missing the standard, per period
_MAX_WORDING: Final = 2000
_MAX_LABEL: Final = 200
_MAX_LINES: Final = 1000
_DERIVED: Final = ("share", "previous_share", "change", "trend", "trend_p_value", "trend_evidence")


class _Worded(StrEnum):
    """An enumeration whose values read as words."""

    @property
    def label(self) -> str:
        """The value as a reader sees it.

        Examples:
            >>> DisclosureStatus.NOT_ENOUGH_DATA.label
            'Not enough data'
        """
        return self.value.replace("_", " ").capitalize()


class DisclosureStatus(_Worded):
    """Whether a pledge was met in the period.

    Examples:
        >>> DisclosureStatus("not_met").label
        'Not met'
    """

    MET = "met"
    """The share reached the target (every case, for an every-case pledge)."""
    NOT_MET = "not_met"
    """The share fell short of the target."""
    NOT_ENOUGH_DATA = "not_enough_data"
    """Too few cases to say."""


class DisclosureTrend(StrEnum):
    """Which way the share moved since the previous period.

    Examples:
        >>> DisclosureTrend("up").value
        'up'
    """

    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    """Exactly the same share."""


class DisclosureEvidence(_Worded):
    """Whether the change since the previous period is more than chance.

    Examples:
        >>> DisclosureEvidence.BEYOND_NOISE.label
        'Beyond noise'
    """

    BEYOND_NOISE = "beyond_noise"
    """The two-proportion test's p-value is below 0.05."""
    WITHIN_NOISE = "within_noise"
    """The change could well be chance (p-value 0.05 or more)."""
    NOT_ENOUGH_DATA = "not_enough_data"
    """Too few cases in one of the periods for the test."""


def _status(value: DisclosureStatus | str) -> DisclosureStatus:
    return lenient_enum(DisclosureStatus, value)


def _measure(value: PledgeMeasure | str) -> PledgeMeasure:
    return lenient_enum(PledgeMeasure, value)


def _counts_ok(met: object, n: object) -> bool:
    return is_integer(met) and is_integer(n) and 0 <= met <= n <= MAX_COUNT


def _default_interval(line: DisclosureLine) -> Interval | None:
    if _counts_ok(line.met, line.n) and line.n > 0:
        return wilson_interval(int(line.met), int(line.n))
    return None


def _default_status(line: DisclosureLine) -> DisclosureStatus:
    if not _counts_ok(line.met, line.n) or line.n == 0:
        return DisclosureStatus.NOT_ENOUGH_DATA
    target = line.target_share
    if target is None:
        return DisclosureStatus.MET if line.met == line.n else DisclosureStatus.NOT_MET
    if not is_finite_number(target):
        return DisclosureStatus.NOT_ENOUGH_DATA  # refused by the checks anyway
    # The share as a double against the target as given: 7 of 10 meets a target of 0.7.
    reached = line.met / line.n >= target
    return DisclosureStatus.MET if reached else DisclosureStatus.NOT_MET


def _wording_problem(value: object, path: str, problems: Problems, limit: int) -> None:
    check_text(value, path, problems)
    if isinstance(value, str) and not value.strip():
        problems.add(path, "must not be blank", "required")
    elif isinstance(value, str) and len(value) > limit:
        problems.add(path, f"must be at most {limit} characters", "range")


@attrs.frozen(kw_only=True)
class DisclosureLine(Tabular):
    """One pledge in a disclosure report: its wording, target and the period's counts.

    ``met`` of ``n`` cases met the pledge's standard in the period;
    ``previous_met`` of ``previous_n`` did in the previous period (both or
    neither). The interval defaults to the 95% Wilson interval of the
    share, and the status to the share against the target (every case, for
    an every-case pledge); attainment that has its own rule for enough
    data passes its status in.

    Attributes:
        pledge_id: the pledge's identifier.
        wording: the pledge as published.
        measure: what the pledge measures (`PledgeMeasure`).
        target_share: the share of cases promised, or ``None`` for every case.
        n: the cases in the period.
        met: the cases that met the standard, ``0 <= met <= n``.
        interval: the confidence interval of the share, or ``None`` when ``n == 0``.
        status: whether the pledge was met (`DisclosureStatus`).
        previous_n: the cases in the previous period, if known.
        previous_met: the cases that met the standard in the previous period.

    Examples:
        >>> line = DisclosureLine(
        ...     pledge_id="complaint-resolution",
        ...     wording="We resolve every complaint within 5 working days.",
        ...     measure="resolution",
        ...     target_share=None,
        ...     n=40,
        ...     met=39,
        ... )
        >>> line.every_case, line.status.value, line.trend is None
        (True, 'not_met', True)

    Raises:
        ValidationError: every problem, with its path.
    """

    pledge_id: str = attrs.field(default=REQUIRED)
    wording: str = attrs.field(default=REQUIRED)
    measure: PledgeMeasure = attrs.field(default=REQUIRED, converter=_measure)
    target_share: float | None = attrs.field(default=REQUIRED)
    n: int = attrs.field(default=REQUIRED)
    met: int = attrs.field(default=REQUIRED)
    interval: Interval | None = attrs.field(
        default=attrs.Factory(_default_interval, takes_self=True)
    )
    status: DisclosureStatus = attrs.field(
        default=attrs.Factory(_default_status, takes_self=True), converter=_status
    )
    previous_n: int | None = None
    previous_met: int | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.pledge_id, "$.pledge_id", problems)
        _wording_problem(self.wording, "$.wording", problems, _MAX_WORDING)
        check_enum(self.measure, PledgeMeasure, "$.measure", problems)
        if self.target_share is not None:
            check_number(self.target_share, "$.target_share", problems, low=0, high=1, strict=True)
        n_ok = check_count(self.n, "$.n", problems)
        met_ok = check_count(self.met, "$.met", problems)
        if n_ok and met_ok and self.met > self.n:
            problems.add("$.met", "must not exceed n", "inconsistent")
        if self.interval is not None:
            if not isinstance(self.interval, Interval):
                problems.add("$.interval", "must be an Interval (low, high, confidence)", "type")
            elif self.interval.low < 0 or self.interval.high > 1:
                problems.add("$.interval", "must lie within [0, 1]", "range")
        elif n_ok and self.n > 0:
            problems.add("$.interval", "must be given when there are cases", "required")
        check_enum(self.status, DisclosureStatus, "$.status", problems)
        if n_ok and self.n == 0 and self.status in (DisclosureStatus.MET, DisclosureStatus.NOT_MET):
            problems.add(
                "$.status", "must be not_enough_data when there are no cases", "inconsistent"
            )
        if (self.previous_n is None) != (self.previous_met is None):
            problems.add(
                "$.previous_met", "give both previous_n and previous_met, or neither", "required"
            )
        previous_ok = self.previous_n is None or check_count(
            self.previous_n, "$.previous_n", problems
        )
        previous_met_ok = self.previous_met is None or check_count(
            self.previous_met, "$.previous_met", problems
        )
        if (
            previous_ok
            and previous_met_ok
            and self.previous_n is not None
            and self.previous_met is not None
            and self.previous_met > self.previous_n
        ):
            problems.add("$.previous_met", "must not exceed previous_n", "inconsistent")
        raise_problems(self, problems)

    @property
    def every_case(self) -> bool:
        """Whether the pledge promises every case (no target share).

        Examples:
            >>> _line(target_share=0.9).every_case
            False
        """
        return self.target_share is None

    @property
    def share(self) -> float | None:
        """``met / n``, or ``None`` when there were no cases.

        Examples:
            >>> _line(n=8, met=6).share
            0.75
        """
        return self.met / self.n if self.n else None

    @property
    def previous_share(self) -> float | None:
        """``previous_met / previous_n``, or ``None`` when unknown or without cases.

        Examples:
            >>> _line(previous_n=10, previous_met=7).previous_share
            0.7
        """
        if not self.previous_n or self.previous_met is None:
            return None
        return self.previous_met / self.previous_n

    @property
    def change(self) -> float | None:
        """``share - previous_share`` (a proportion; 0.02 is two percentage points).

        Examples:
            >>> round(_line(n=10, met=8, previous_n=10, previous_met=7).change, 9)
            0.1
        """
        share, previous = self.share, self.previous_share
        return None if share is None or previous is None else share - previous

    @property
    def trend(self) -> DisclosureTrend | None:
        """Up, down or flat against the previous period; ``None`` without both shares.

        Compared exactly, on the counts: equal shares are ``flat``.

        Examples:
            >>> _line(n=10, met=8, previous_n=20, previous_met=16).trend
            <DisclosureTrend.FLAT: 'flat'>
        """
        if self.change is None:
            return None
        assert self.previous_n is not None
        assert self.previous_met is not None
        now, before = self.met * self.previous_n, self.previous_met * self.n
        if now == before:
            return DisclosureTrend.FLAT
        return DisclosureTrend.UP if now > before else DisclosureTrend.DOWN

    @property
    def trend_p_value(self) -> float | None:
        """The pooled two-proportion z-test's p-value for the change, when it applies.

        ``None`` without a previous period, or when `trend_evidence` is
        ``not_enough_data``.

        Examples:
            >>> round(_line(n=100, met=84, previous_n=100, previous_met=70).trend_p_value, 4)
            0.0187
        """
        if not self._testable():
            return None
        assert self.previous_n is not None
        assert self.previous_met is not None
        try:
            return two_proportion_ztest(
                self.met, self.n, self.previous_met, self.previous_n
            ).p_value
        except InsufficientDataError:  # pragma: no cover - excluded by _testable
            return None

    @property
    def trend_evidence(self) -> DisclosureEvidence | None:
        """Whether the change is beyond noise; ``None`` without a previous period.

        Examples:
            >>> _line(n=12, met=11, previous_n=10, previous_met=9).trend_evidence.value
            'not_enough_data'
        """
        if self.change is None:
            return None
        p_value = self.trend_p_value
        if p_value is None:
            return DisclosureEvidence.NOT_ENOUGH_DATA
        if p_value < TREND_ALPHA:
            return DisclosureEvidence.BEYOND_NOISE
        return DisclosureEvidence.WITHIN_NOISE

    def _testable(self) -> bool:
        """Whether the z-test's normal approximation holds: 5 expected each way per period."""
        if self.change is None:
            return False
        assert self.previous_n is not None
        assert self.previous_met is not None
        total = self.n + self.previous_n
        pooled = (self.met + self.previous_met) / total
        return all(
            size * pooled >= _MIN_EXPECTED and size * (1 - pooled) >= _MIN_EXPECTED
            for size in (self.n, self.previous_n)
        )

    def derived(self) -> dict[str, Any]:
        """The values that follow from the counts, as JSON-ready data.

        Examples:
            >>> _line(n=8, met=6)
            DisclosureLine(pledge_id='p', ...)
            >>> _line(n=8, met=6).derived()["share"]
            0.75
        """
        return {
            "share": self.share,
            "previous_share": self.previous_share,
            "change": self.change,
            "trend": None if self.trend is None else self.trend.value,
            "trend_p_value": self.trend_p_value,
            "trend_evidence": None if self.trend_evidence is None else self.trend_evidence.value,
        }


def _line(**changes: Any) -> DisclosureLine:
    """A small line for the examples."""
    fields: dict[str, Any] = {
        "pledge_id": "p",
        "wording": "We answer calls within 30 seconds.",
        "measure": "answer_time",
        "target_share": 0.8,
        "n": 10,
        "met": 9,
    }
    fields.update(changes)
    return DisclosureLine(**fields)


def _lines(value: Iterable[DisclosureLine]) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


@attrs.frozen(kw_only=True)
class DisclosureReport(Tabular):
    """What a retailer pledged and achieved over a period, one line per pledge.

    The period runs from ``period_start`` to ``period_end``, both days
    included. ``generated_at`` is the instant the report was produced (from
    the caller's clock), shown with its own UTC offset.

    Attributes:
        title: the report's title, as published.
        retailer: the retailer's name, as published.
        period_start: the first day of the period.
        period_end: the last day of the period, not before ``period_start``.
        lines: one `DisclosureLine` per pledge, each pledge once, in the order shown.
        generated_at: when the report was produced (timezone-aware).

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> report = DisclosureReport(
        ...     title="Service pledges, third quarter",
        ...     retailer="Harbour Stores",
        ...     period_start=date(2026, 7, 1),
        ...     period_end=date(2026, 9, 30),
        ...     lines=[_line(n=10, met=9)],
        ...     generated_at=datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc),
        ... )
        >>> [row["share"] for row in report.to_records()]
        [0.9]

    Raises:
        ValidationError: every problem, with its path.
    """

    title: str = attrs.field(default=REQUIRED)
    retailer: str = attrs.field(default=REQUIRED)
    period_start: date = attrs.field(default=REQUIRED)
    period_end: date = attrs.field(default=REQUIRED)
    lines: tuple[DisclosureLine, ...] = attrs.field(default=REQUIRED, converter=_lines)
    generated_at: datetime = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _wording_problem(self.title, "$.title", problems, _MAX_LABEL)
        _wording_problem(self.retailer, "$.retailer", problems, _MAX_LABEL)
        dates_ok = True
        for name in ("period_start", "period_end"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                problems.add(f"$.{name}", "must be a date", "type")
                dates_ok = False
        if dates_ok and self.period_end < self.period_start:
            problems.add("$.period_end", "must not be before period_start", "inconsistent")
        if not isinstance(self.lines, tuple):
            problems.add("$.lines", "must be a list of DisclosureLine", "type")
        elif len(self.lines) > _MAX_LINES:
            problems.add("$.lines", f"must hold at most {_MAX_LINES} lines", "range")
        else:
            seen: set[str] = set()
            for index, line in enumerate(self.lines):
                path = join_path("$.lines", index)
                if not isinstance(line, DisclosureLine):
                    problems.add(path, "must be a DisclosureLine", "type")
                elif line.pledge_id in seen:
                    problems.add(join_path(path, "pledge_id"), "repeats a pledge", "duplicate")
                else:
                    seen.add(line.pledge_id)
        check_aware(self.generated_at, "$.generated_at", problems)
        raise_problems(self, problems)

    @property
    def summary(self) -> str:
        """How many pledges were met, in words.

        Examples:
            >>> _report().summary
            '1 of 2 pledges met'
        """
        met = sum(line.status is DisclosureStatus.MET for line in self.lines)
        return f"{met} of {len(self.lines)} pledges met"

    def to_records(self) -> list[dict[str, Any]]:
        """One flat row per pledge: the line's fields, its interval and derived values.

        Examples:
            >>> [(row["pledge_id"], row["status"]) for row in _report().to_records()]
            [('answer', 'met'), ('resolve', 'not_met')]
        """
        layout = layout_of(DisclosureLine)
        return [row for line in self.lines for row in layout.rows(line)]

    def to_dataframe(self) -> Any:
        """The rows of `to_records` as a typed pandas DataFrame (needs pandas).

        Examples:
            >>> _report().to_dataframe()["met"].tolist()
            [9, 29]
        """
        from retail_service_quality._internal.frames import dataframe

        return dataframe(self.lines, DisclosureLine, personal=False)

    def _repr_html_(self) -> str:
        from retail_service_quality.reports._render import notebook_html

        return notebook_html(self)

    def to_text(self) -> str:
        """The report as plain text, one block per pledge.

        Examples:
            >>> print(_report().to_text())  # doctest: +ELLIPSIS
            Quarterly pledges
            Harbour Stores · 2026-07-01 to 2026-09-30
            1 of 2 pledges met
            ...
        """
        from retail_service_quality.reports._render import text

        return text(self)

    def to_html(self) -> str:
        """The report as one self-contained, accessible HTML page.

        Inline SVG charts, an inline style sheet, no script and nothing
        loaded from elsewhere (its Content-Security-Policy forbids it);
        every value given is escaped.

        Examples:
            >>> page = _report().to_html()
            >>> page.startswith("<!DOCTYPE html>"), '<html lang="en">' in page
            (True, True)
        """
        from retail_service_quality.reports._render import page

        return page(self)

    def write_html(self, path: str | os.PathLike[str]) -> Path:
        """Write `to_html` to ``path`` atomically, returning the path written.

        The page goes to a temporary file in the same folder, which then
        replaces ``path`` in one step: a reader sees the old file or the new
        one, never half of one.

        Examples:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     written = _report().write_html(Path(folder) / "pledges.html")
            ...     written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
            True

        Raises:
            ValidationError: ``path`` is not a file path.
            StorageError: the file cannot be written.
        """
        from retail_service_quality.reports._render import write_atomically

        return write_atomically(path, self.to_html())

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON: its fields, each line with its derived values.

        The shape (``format`` ``"retail_service_quality.disclosure/1"``)::

            {"format": ..., "title": ..., "retailer": ...,
             "period_start": "YYYY-MM-DD", "period_end": "YYYY-MM-DD",
             "generated_at": "ISO 8601 with offset[zone]", "summary": ...,
             "lines": [{"pledge_id", "wording", "measure", "target_share",
                        "n", "met", "interval": {"low", "high", "confidence"} | null,
                        "status", "previous_n", "previous_met",
                        "share", "previous_share", "change", "trend",
                        "trend_p_value", "trend_evidence"}, ...]}

        Examples:
            >>> data = json.loads(_report().to_json())
            >>> data["format"], data["lines"][0]["share"], data["lines"][0]["trend"]
            ('retail_service_quality.disclosure/1', 0.9, 'up')
        """
        from retail_service_quality.serialization import unstructure

        data = unstructure(self)
        data = {"format": DISCLOSURE_JSON_FORMAT, **data, "summary": self.summary}
        data["lines"] = [
            {**item, **line.derived()} for item, line in zip(data["lines"], self.lines, strict=True)
        ]
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> DisclosureReport:
        """Read a report written by `to_json`; derived values must agree with the counts.

        Examples:
            >>> report = _report()
            >>> DisclosureReport.from_json(report.to_json()) == report
            True

        Raises:
            ValidationError: text that is not such a report, listing every problem.
        """
        from retail_service_quality.reports._render import report_json
        from retail_service_quality.serialization import structure

        data, summary, problems = report_json(text, DISCLOSURE_JSON_FORMAT, "a disclosure report")
        given: list[dict[str, Any]] = []
        lines = data.get("lines")
        if isinstance(lines, list):
            for item in lines:
                derived = {}
                if isinstance(item, dict):
                    derived = {key: item.pop(key) for key in _DERIVED if key in item}
                given.append(derived)
        try:
            report = structure(data, cls)
        except ValidationError as error:
            raise ValidationError([*problems, *error.problems]) from None
        for index, (line, derived) in enumerate(zip(report.lines, given, strict=True)):
            expected = line.derived()
            for key, value in derived.items():
                if not _same(value, expected[key]):
                    problems.add(
                        join_path(join_path("$.lines", index), key),
                        "must agree with the counts",
                        "inconsistent",
                    )
        if summary is not None and summary != report.summary:
            problems.add("$.summary", "must agree with the lines", "inconsistent")
        problems.raise_if_any()
        return report


def _same(given: object, expected: object) -> bool:
    if isinstance(expected, float) and isinstance(given, int | float):
        return not isinstance(given, bool) and math.isclose(given, expected, abs_tol=1e-12)
    return given == expected


def _report() -> DisclosureReport:
    """A small report for the examples."""
    from datetime import UTC

    return DisclosureReport(
        title="Quarterly pledges",
        retailer="Harbour Stores",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        lines=[
            _line(pledge_id="answer", n=10, met=9, previous_n=10, previous_met=8),
            _line(
                pledge_id="resolve",
                wording="We resolve every complaint within 5 working days.",
                measure="resolution",
                target_share=None,
                n=30,
                met=29,
            ),
        ],
        generated_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC),
    )


# ---------------------------------------------------------------- from a store's records


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local date: midnight, or the first valid time on a DST day."""
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    moved = midnight.astimezone(UTC).astimezone(zone)
    return moved if moved.replace(tzinfo=None) >= midnight.replace(tzinfo=None) else midnight


def disclosure_report(
    target: Any,
    pledges: Iterable[ServicePledge],
    *,
    period_start: date,
    period_end: date,
    timezone: str,
    now: datetime,
    title: str = "Our service pledges",
    retailer: str,
    business_units: Mapping[str, str] | None = None,
    confidence: float = 0.95,
    min_n: int = 30,
) -> DisclosureReport:
    """The disclosure report of a period, every pledge measured on a store's records.

    The period runs over whole local days in ``timezone``, ``period_start``
    to ``period_end`` included; the previous period is as many days just
    before it. Each pledge's line is its `pledge_attainment` over the whole
    period (each case against the version in force when it began), with the
    wording and target of the version in force at the end of the period (for
    a pledge withdrawn during it, the version in force at its start), and the
    previous period's counts for the trend. A pledge in force at neither end
    of the period (not yet in effect, or withdrawn before it) has no line.
    ``now`` is the instant the report is made: cases still open and not yet
    late are pending, not failures.

    Examples:
        >>> from datetime import date, datetime, timedelta, timezone
        >>> from retail_service_quality import (InMemoryStore, PledgeScope, PledgeStandard,
        ...     ServiceInteraction, ServicePledge)
        >>> pledge = ServicePledge.create(
        ...     id="hotline-answer", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     wording="We answer 90% of hotline calls within 30 seconds.",
        ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        ...     target_share=0.9, scope=PledgeScope(channels=["hotline"]),
        ... )
        >>> store = InMemoryStore()
        >>> first = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
        >>> with store.unit_of_work() as uow:
        ...     uow.interactions.add_many(ServiceInteraction(
        ...         id=f"I-{n}", store_id="HK-1", channel="hotline", direction="inbound",
        ...         occurred_at=first + timedelta(minutes=n),
        ...         queue_time=timedelta(seconds=10 if n % 10 else 50),
        ...     ) for n in range(40))
        ...     uow.commit()
        40
        >>> report = disclosure_report(store, [pledge], period_start=date(2026, 11, 1),
        ...     period_end=date(2026, 11, 30), timezone="Asia/Hong_Kong",
        ...     now=datetime(2026, 12, 1, tzinfo=timezone.utc), retailer="Harbour Stores")
        >>> line = report.lines[0]
        >>> line.n, line.met, line.status.value
        (40, 36, 'met')

    Raises:
        ValidationError: every bad argument, with its path (``$.pledges[1]``,
            ``$.period_end``, ``$.timezone``...).
    """
    problems = Problems()
    chosen: list[ServicePledge] = []
    if isinstance(pledges, str | bytes | Mapping) or not isinstance(pledges, Iterable):
        problems.add("$.pledges", "must be a list of ServicePledge", "type")
    else:
        for index, pledge in enumerate(pledges):
            if isinstance(pledge, ServicePledge):
                chosen.append(pledge)
            else:
                problems.add(join_path("$.pledges", index), "must be a ServicePledge", "type")
    for path, day in (("$.period_start", period_start), ("$.period_end", period_end)):
        if not isinstance(day, date) or isinstance(day, datetime):
            problems.add(path, "must be a date", "type")
    zone: ZoneInfo | None = None
    if not isinstance(timezone, str):
        problems.add("$.timezone", "must be an IANA time zone name", "type")
    else:
        found = named_zone(timezone)
        if found is None:
            problems.add("$.timezone", "must be an IANA time zone name", "unknown_choice")
        else:
            zone = found
    if (
        isinstance(period_start, date)
        and isinstance(period_end, date)
        and not isinstance(period_start, datetime)
        and not isinstance(period_end, datetime)
        and period_end < period_start
    ):
        problems.add("$.period_end", "must not be before period_start", "inconsistent")
    check_aware(now, "$.now", problems)
    for path, text in (("$.title", title), ("$.retailer", retailer)):
        check_text(text, path, problems)
        if isinstance(text, str) and not text.strip():
            problems.add(path, "must not be blank", "required")
    check_number(confidence, "$.confidence", problems, low=0, high=1, strict=True)
    if isinstance(min_n, bool) or not isinstance(min_n, int) or not 1 <= min_n <= 1_000_000_000:
        problems.add("$.min_n", "must be an integer from 1 to 1000000000", "range")
    problems.raise_if_any()
    assert zone is not None
    report, _ = measure_disclosure(
        target, chosen, period_start=period_start, period_end=period_end, zone=zone, now=now,
        title=title, retailer=retailer, business_units=business_units, confidence=confidence,
        min_n=min_n,
    )  # fmt: skip
    return report


def measure_disclosure(
    target: Any,
    pledges: Sequence[ServicePledge],
    *,
    period_start: date,
    period_end: date,
    zone: ZoneInfo,
    now: datetime,
    title: str,
    retailer: str,
    business_units: Mapping[str, str] | None,
    confidence: float,
    min_n: int,
    views: Sequence[Sequence[AttainmentGroupBy]] = (),
) -> tuple[DisclosureReport, dict[str, list[RecordList[AttainmentRow]]]]:
    """`disclosure_report` on checked arguments, with more views of each line's cases.

    Not part of the public API. Each pledge with a line is also measured over the
    period under each grouping of ``views``, in the same pass over its cases as its
    line: by pledge id, one `pledge_attainment` result a grouping.
    """
    from retail_service_quality.quality.attainment import attainment_views

    days = (period_end - period_start).days + 1
    try:
        start = _day_start(period_start, zone)
        end = _day_start(period_end + timedelta(days=1), zone)
        before = _day_start(period_start - timedelta(days=days), zone)
    except (OverflowError, ValueError):
        raise ValidationError.single(
            "$.period_start",
            "must leave the period and the one before it in years 2 to 9998",
            "range",
        ) from None

    def measured(
        pledge: ServicePledge, low: datetime, high: datetime, more: Sequence[Any] = ()
    ) -> tuple[int, int, Any, list[RecordList[AttainmentRow]]]:
        whole, *others = attainment_views(
            target, pledge, start=low, end=high, now=now, group_bys=[(), *more],
            business_units=business_units, confidence=confidence, min_n=min_n,
        )  # fmt: skip
        if not whole:
            return 0, 0, None, others
        return whole[0].n, whole[0].met, whole[0], others

    lines: list[DisclosureLine] = []
    found: dict[str, list[RecordList[AttainmentRow]]] = {}
    for pledge in pledges:
        # The version in force at the end of the period, or, for a pledge withdrawn during
        # it, the one in force at its start; a pledge in force at neither is left out.
        version = pledge.in_force(end - timedelta(microseconds=1)) or pledge.in_force(start)
        if version is None:
            continue
        n, met, row, found[pledge.id] = measured(pledge, start, end, views)
        previous_n, previous_met, _, _ = measured(pledge, before, start)
        lines.append(
            DisclosureLine(
                pledge_id=pledge.id,
                wording=version.wording,
                measure=version.standard.measure,
                target_share=version.target_share,
                n=n,
                met=met,
                interval=None if row is None else row.interval,
                status=(DisclosureStatus.NOT_ENOUGH_DATA if row is None else row.status.value),
                previous_n=previous_n,
                previous_met=previous_met,
            )
        )
    report = DisclosureReport(
        title=title,
        retailer=retailer,
        period_start=period_start,
        period_end=period_end,
        lines=lines,
        generated_at=now,
    )
    return report, found
