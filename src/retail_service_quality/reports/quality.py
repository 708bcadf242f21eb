"""The quality report: a store's customer service quality over a period, in one document.

`quality_report` reads a store (or a unit of work) and gathers what the
library already computes into four sections:

- `PledgeSection`: every pledge in force during the period, its disclosure
  line (`disclosure_report`: target, achieved, interval, status, trend) and
  its attainment per store (`pledge_attainment`), so the stores that miss it
  stand out;
- `ComplaintSection`: complaints received in the period, closed and still
  open, by category and by state, the root-cause Pareto (`cause_pareto`),
  business resolution times (`resolution_times`), the repeat rate
  (`repeat_rate`) and the SLA targets met late or open past their deadline;
- `ConsentSection`: customers on file, those with own-marketing consent in
  force at ``now`` (the ``consent_coverage`` indicator of
  `compute_indicators`), those who opted out, and the suppression list;
- `InteractionSection`: interaction volumes by channel, store and ISO week
  (the store's pushed-down `TallyRepository.tally`) and the hotline's
  calls offered, answered, abandoned, answered within the pledged time and
  average handle time.

The report holds no personal data: ids of stores, pledges, categories and
causes, counts and statistics only. It never reads the wall clock: the same
store contents and arguments give the same report, and `QualityReport.to_json`
the same bytes, whichever adapter holds the records.

Examples:
    >>> from datetime import date, datetime, timedelta, timezone
    >>> from retail_service_quality import InMemoryStore, ServiceInteraction
    >>> store = InMemoryStore()
    >>> first = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    >>> with store.unit_of_work() as uow:
    ...     uow.interactions.add_many(ServiceInteraction(
    ...         id=f"I-{n}", store_id="HK-1", channel="hotline", direction="inbound",
    ...         occurred_at=first + timedelta(hours=n), queue_time=timedelta(seconds=20),
    ...     ) for n in range(30))
    ...     uow.commit()
    30
    >>> report = quality_report(store, retailer="Harbour Stores")
    >>> report.period_start, report.period_end, report.timezone
    (datetime.date(2026, 11, 2), datetime.date(2026, 11, 3), 'UTC')
    >>> report.interactions.total, report.interactions.hotline.offered
    (30, 30)
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from retail_service_quality._internal.checks import check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import check_aware, check_text
from retail_service_quality.errors import Problems, ValidationError
from retail_service_quality.reports.disclosure import (
    DisclosureReport,
    DisclosureStatus,
    _day_start,
    measure_disclosure,
)
from retail_service_quality.storage._time import named_zone

__all__ = [
    "QUALITY_JSON_FORMAT",
    "CategoryCount",
    "CauseLine",
    "ComplaintSection",
    "ConsentSection",
    "HotlineFigures",
    "InteractionSection",
    "PledgeSection",
    "QualityReport",
    "SlaBreaches",
    "StoreAttainment",
    "Volume",
    "WeekVolume",
    "quality_report",
]

QUALITY_JSON_FORMAT: Final = "retail_service_quality.quality_report/1"
"""The ``format`` of the quality report's JSON; it changes only if the shape does."""

ReportFormat = Literal["text", "json", "html"]

_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_FIRST: Final = datetime(1, 1, 2, tzinfo=UTC)  # the ends of the supported range of instants,
_LAST: Final = datetime(9999, 12, 30, tzinfo=UTC)  # with a day's room for any zone


# ---------------------------------------------------------------- sections


@attrs.frozen(kw_only=True)
class StoreAttainment(Tabular):
    """One pledge's attainment at one store over the period (`pledge_attainment` by store).

    Attributes:
        pledge_id: the pledge measured.
        store_id: the store.
        n: the cases measured.
        met: those that met the standard.
        not_met: those that did not (late, abandoned, open past the deadline).
        pending: open cases not yet late at ``now``.
        share: ``met / n``, or ``None`` without measured cases.
        target: the share pledged (1 for an every-case pledge).
        status: ``met``, ``not_met`` or ``not_enough_data`` (below ``min_n`` cases).

    Examples:
        >>> row = StoreAttainment(pledge_id="answer", store_id="HK-1", n=40, met=30,
        ...     not_met=10, pending=0, share=0.75, target=0.9, status="not_met")
        >>> row.misses
        True
    """

    pledge_id: str
    store_id: str
    n: int
    met: int
    not_met: int
    pending: int
    share: float | None
    target: float
    status: str

    @property
    def misses(self) -> bool:
        """Whether the store fell short of the pledge (status ``not_met``).

        Examples:
            >>> StoreAttainment(pledge_id="p", store_id="S", n=0, met=0, not_met=0,
            ...     pending=0, share=None, target=1.0, status="not_enough_data").misses
            False
        """
        return self.status == "not_met"


@attrs.frozen(kw_only=True)
class PledgeSection:
    """The pledges in force during the period: the disclosure view and attainment per store.

    Attributes:
        disclosure: the period's `DisclosureReport` (one line per pledge, with its trend
            against the previous period of as many days).
        stores: each pledge's attainment per store, by pledge then store.

    Examples:
        >>> section = PledgeSection(disclosure=None, stores=())
        >>> section.is_empty, section.missing
        (True, ())
    """

    disclosure: DisclosureReport | None
    stores: tuple[StoreAttainment, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether no pledge was in force during the period.

        Examples:
            >>> PledgeSection(disclosure=None).is_empty
            True
        """
        return self.disclosure is None or not self.disclosure.lines

    @property
    def missing(self) -> tuple[StoreAttainment, ...]:
        """The stores that missed a pledge, by pledge then store.

        Examples:
            >>> PledgeSection(disclosure=None).missing
            ()
        """
        return tuple(row for row in self.stores if row.misses)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per pledge and store (`StoreAttainment`'s fields).

        Examples:
            >>> PledgeSection(disclosure=None).to_records()
            []
        """
        return [record for row in self.stores for record in row.to_records()]

    def to_dataframe(self) -> Any:
        """The rows of `to_records` as a pandas DataFrame (needs pandas).

        Examples:
            >>> len(PledgeSection(disclosure=None).to_dataframe())
            0
        """
        return _frame(self.stores, StoreAttainment)


@attrs.frozen(kw_only=True)
class CategoryCount(Tabular):
    """The complaints of one category received in the period.

    Attributes:
        category: the category (`Complaint.category`).
        count: how many were received.
        share: ``count`` of every complaint received in the period.
        closed: how many of them are closed.

    Examples:
        >>> CategoryCount(category="billing", count=3, share=0.75, closed=2).share
        0.75
    """

    category: str
    count: int
    share: float
    closed: int


@attrs.frozen(kw_only=True)
class CauseLine(Tabular):
    """One root cause in the Pareto of the period's closed complaints (`cause_pareto`).

    Attributes:
        root_cause: the root cause recorded at closure.
        count: how many complaints closed with it.
        share: ``count`` of the complaints with a root cause.
        cumulative_share: the share of this cause and every cause before it.
        vital: one of the causes that together reach 80% of the complaints.

    Examples:
        >>> CauseLine(root_cause="carrier_delay", count=8, share=0.8,
        ...     cumulative_share=0.8, vital=True).vital
        True
    """

    root_cause: str
    count: int
    share: float
    cumulative_share: float
    vital: bool


@attrs.frozen(kw_only=True)
class SlaBreaches(Tabular):
    """The period's complaints open past one SLA target's deadline at ``now`` (`breached`).

    Each complaint's deadline is on its own SLA policy and calendar, the time
    waiting on the customer left out; a complaint met late is no longer
    breached (pledge attainment counts it as not met).

    Attributes:
        kind: ``"acknowledgement"`` or ``"resolution"``.
        breached: complaints open past the deadline at ``now``.
        longest_late: the most business time one of them is past it, or ``None``.

    Examples:
        >>> from datetime import timedelta
        >>> SlaBreaches(kind="resolution", breached=2, longest_late=timedelta(hours=5)).breached
        2
    """

    kind: str
    breached: int
    longest_late: timedelta | None


@attrs.frozen(kw_only=True)
class ComplaintSection:
    """The complaints received in the period, as they stand in the store.

    Attributes:
        received: complaints received in the period.
        closed: how many of them are closed.
        open: how many are not.
        by_category: counts per category, most first (ties by code point).
        by_state: counts per `ComplaintState` (states with none left out).
        causes: the root-cause Pareto of those closed, most frequent first.
        without_cause: complaints received with no root cause yet (not closed).
        resolved: closed complaints.
        timed: closed ones with a business resolution time (an SLA policy).
        median_resolution: the median business resolution time, or ``None`` without one.
        p90_resolution: its 90th percentile, or ``None``.
        repeats: complaints that repeat an earlier one (`Complaint.repeat_of`).
        repeat_rate: ``repeats / received``, or ``None`` without complaints.
        repeat_low: the low end of the rate's Wilson interval, or ``None``.
        repeat_high: its high end, or ``None``.
        sla: the complaints open past their acknowledgement and resolution deadlines.

    Examples:
        >>> ComplaintSection().is_empty
        True
    """

    received: int = 0
    closed: int = 0
    open: int = 0
    by_category: tuple[CategoryCount, ...] = ()
    by_state: Mapping[str, int] = attrs.field(factory=dict)
    causes: tuple[CauseLine, ...] = ()
    without_cause: int = 0
    resolved: int = 0
    timed: int = 0
    median_resolution: timedelta | None = None
    p90_resolution: timedelta | None = None
    repeats: int = 0
    repeat_rate: float | None = None
    repeat_low: float | None = None
    repeat_high: float | None = None
    sla: tuple[SlaBreaches, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether no complaint was received in the period.

        Examples:
            >>> ComplaintSection(received=2, open=2).is_empty
            False
        """
        return self.received == 0

    @property
    def vital_causes(self) -> tuple[CauseLine, ...]:
        """The causes that together account for 80% of the complaints with a cause.

        Examples:
            >>> ComplaintSection().vital_causes
            ()
        """
        return tuple(cause for cause in self.causes if cause.vital)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per category (`CategoryCount`'s fields).

        Examples:
            >>> ComplaintSection(received=1, by_category=(CategoryCount(category="billing",
            ...     count=1, share=1.0, closed=0),)).to_records()[0]["category"]
            'billing'
        """
        return [record for row in self.by_category for record in row.to_records()]

    def to_dataframe(self) -> Any:
        """The rows of `to_records` as a pandas DataFrame (needs pandas).

        Examples:
            >>> len(ComplaintSection().to_dataframe())
            0
        """
        return _frame(self.by_category, CategoryCount)


@attrs.frozen(kw_only=True)
class ConsentSection(Tabular):
    """Consent to own marketing at ``now``, over the customers on file.

    Attributes:
        customers: customers created before ``now`` and not erased.
        consenting: those whose consent ledger permits some own marketing at ``now``.
        share: ``consenting / customers``, or ``None`` without customers.
        opted_out: those with an opt-out in force at ``now``.
        suppressed: entries on the suppression list (erased customers who asked never to
            be marketed to again, kept as digests).

    Examples:
        >>> ConsentSection(customers=4, consenting=3, share=0.75, opted_out=1,
        ...     suppressed=0).is_empty
        False
    """

    customers: int = 0
    consenting: int = 0
    share: float | None = None
    opted_out: int = 0
    suppressed: int = 0

    @property
    def is_empty(self) -> bool:
        """Whether there is no customer on file and no suppression entry.

        Examples:
            >>> ConsentSection().is_empty
            True
        """
        return self.customers == 0 and self.suppressed == 0


@attrs.frozen(kw_only=True)
class Volume(Tabular):
    """How many interactions one channel or one store had in the period.

    Attributes:
        key: the channel or the store id.
        count: its interactions.

    Examples:
        >>> Volume(key="hotline", count=12).count
        12
    """

    key: str
    count: int


@attrs.frozen(kw_only=True)
class WeekVolume(Tabular):
    """How many interactions began in one ISO week (of the local date) of the period.

    Attributes:
        week: the ISO week, as ``"2026-W05"``.
        start: its Monday.
        count: its interactions in the period.

    Examples:
        >>> WeekVolume(week="2026-W01", start=date(2025, 12, 29), count=7).week
        '2026-W01'
    """

    week: str
    start: date
    count: int


@attrs.frozen(kw_only=True)
class HotlineFigures(Tabular):
    """The hotline's calls in the period: offered, answered, abandoned, answered in time.

    Inbound hotline calls only, but for the average handle time, which is over
    every hotline call handled, inbound and outbound (AHT: the time agents spent
    on contacts over the contacts handled). Short abandons (callers who rang off
    in under 5 seconds of queueing) are in no other figure, as in
    `InteractionSummary`.

    Attributes:
        offered: calls offered to the queue, short abandons apart.
        answered: those answered.
        abandoned: those abandoned in the queue.
        short_abandoned: calls abandoned in under 5 seconds.
        answer_within: the answer time of the hotline's answer-time pledge, or ``None``
            when no such pledge is in force.
        answer_pledge_id: that pledge's id, or ``None``.
        answered_within: calls answered with a recorded queue time of at most
            ``answer_within`` (0 without a pledge).
        answer_rate: ``answered_within / offered`` (an abandoned call was not answered
            in time), or ``None``.
        abandonment_rate: ``abandoned / offered``, or ``None`` without calls.
        average_handle_time: the mean recorded handle time of the hotline's
            calls, inbound and outbound, or ``None``.

    Examples:
        >>> HotlineFigures(offered=10, answered=9, abandoned=1, short_abandoned=0,
        ...     answer_within=None, answer_pledge_id=None, answered_within=0,
        ...     answer_rate=None, abandonment_rate=0.1, average_handle_time=None).answered
        9
    """

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    answer_within: timedelta | None
    answer_pledge_id: str | None
    answered_within: int
    answer_rate: float | None
    abandonment_rate: float | None
    average_handle_time: timedelta | None


@attrs.frozen(kw_only=True)
class InteractionSection:
    """Interaction volumes over the period, and the hotline's figures.

    Attributes:
        total: interactions that began in the period.
        by_channel: per channel, most first (ties by name).
        by_store: per store, most first (ties by id).
        by_week: per ISO week of the local date, in order.
        hotline: the hotline's figures, or ``None`` without hotline interactions.

    Examples:
        >>> InteractionSection().is_empty
        True
    """

    total: int = 0
    by_channel: tuple[Volume, ...] = ()
    by_store: tuple[Volume, ...] = ()
    by_week: tuple[WeekVolume, ...] = ()
    hotline: HotlineFigures | None = None

    @property
    def is_empty(self) -> bool:
        """Whether no interaction began in the period.

        Examples:
            >>> InteractionSection(total=1).is_empty
            False
        """
        return self.total == 0

    def to_records(self) -> list[dict[str, Any]]:
        """One row per ISO week (`WeekVolume`'s fields).

        Examples:
            >>> InteractionSection().to_records()
            []
        """
        return [record for row in self.by_week for record in row.to_records()]

    def to_dataframe(self) -> Any:
        """The rows of `to_records` as a pandas DataFrame (needs pandas).

        Examples:
            >>> len(InteractionSection().to_dataframe())
            0
        """
        return _frame(self.by_week, WeekVolume)


def _frame(rows: tuple[Any, ...], kind: type) -> Any:
    from retail_service_quality._internal.frames import dataframe

    return dataframe(rows, kind, personal=False)


# ---------------------------------------------------------------- the report


@attrs.frozen(kw_only=True)
class QualityReport:
    """A store's customer service quality over a period, section by section.

    Made by `quality_report`. The period runs over whole local days in
    ``timezone``, ``period_start`` to ``period_end`` included; both are
    ``None`` only for a store holding no interaction and no complaint when no
    period was given. ``now`` is the instant the report stands at.

    Attributes:
        title: the report's title.
        retailer: whose stores.
        period_start: the first local day of the period.
        period_end: the last local day of the period.
        timezone: the IANA zone of the local days.
        now: the instant the report stands at.
        pledges: the `PledgeSection`.
        complaints: the `ComplaintSection`.
        consent: the `ConsentSection`.
        interactions: the `InteractionSection`.

    Examples:
        >>> report = _empty()
        >>> report.is_empty, report.summary
        (True, 'Nothing in the period: no interaction, complaint, pledge or customer')
    """

    title: str
    retailer: str
    period_start: date | None
    period_end: date | None
    timezone: str
    now: datetime | None
    pledges: PledgeSection
    complaints: ComplaintSection
    consent: ConsentSection
    interactions: InteractionSection

    @property
    def is_empty(self) -> bool:
        """Whether every section is empty.

        Examples:
            >>> _empty().is_empty
            True
        """
        return (
            self.pledges.is_empty
            and self.complaints.is_empty
            and self.consent.is_empty
            and self.interactions.is_empty
        )

    @property
    def summary(self) -> str:
        """One line: pledges met, complaints received, interactions.

        Examples:
            >>> _empty().summary
            'Nothing in the period: no interaction, complaint, pledge or customer'
        """
        if self.is_empty:
            return "Nothing in the period: no interaction, complaint, pledge or customer"
        disclosure = self.pledges.disclosure
        lines = () if disclosure is None else disclosure.lines
        met = sum(line.status is DisclosureStatus.MET for line in lines)
        unjudged = sum(line.status is DisclosureStatus.NOT_ENOUGH_DATA for line in lines)
        # Pledges without enough cases for a verdict are said so, not left to read as missed.
        short = f" ({unjudged} without enough data to judge)" if unjudged else ""
        return (
            f"{met} of {len(lines)} pledges met{short}; "
            f"{self.complaints.received} complaints received, {self.complaints.open} open; "
            f"{self.interactions.total} interactions"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """Every headline figure as a row: ``section``, ``figure``, ``key`` and ``value``.

        Numbers only (durations in seconds), for a DataFrame or a spreadsheet.

        Examples:
            >>> _empty().to_records()[:2]
            [{'section': 'complaints', 'figure': 'received', 'key': None, 'value': 0}, {'section': 'complaints', 'figure': 'closed', 'key': None, 'value': 0}]
        """  # noqa: E501
        return list(_figures(self))

    def to_dataframe(self) -> Any:
        """The rows of `to_records` as a pandas DataFrame (needs pandas).

        Examples:
            >>> list(_empty().to_dataframe().columns)
            ['section', 'figure', 'key', 'value']
        """
        from retail_service_quality._internal.frames import require_pandas

        pandas = require_pandas()
        return pandas.DataFrame(self.to_records(), columns=["section", "figure", "key", "value"])

    def to_text(self) -> str:
        """The report as plain text, one block per section.

        Examples:
            >>> print(_empty().to_text())  # doctest: +ELLIPSIS
            Customer service quality
            Our stores · no period (nothing in the store)
            Nothing in the period: no interaction, complaint, pledge or customer
            ...
        """
        from retail_service_quality.reports._quality_render import text

        return text(self)

    def to_html(self) -> str:
        """The report as one self-contained HTML page: inline style and SVG, no script.

        Examples:
            >>> _empty().to_html().startswith("<!DOCTYPE html>")
            True
        """
        from retail_service_quality.reports._quality_render import page

        return page(self)

    def _repr_html_(self) -> str:
        from retail_service_quality.reports._quality_render import notebook_html

        return notebook_html(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON, keys sorted: the same report gives the same bytes.

        The shape (``format`` ``"retail_service_quality.quality_report/1"``): the
        report's fields, with each section's fields nested under its name
        (``pledges.disclosure`` is a disclosure report's fields), dates as
        ``YYYY-MM-DD``, ``now`` in ISO 8601 with its offset, durations in
        seconds, shares as floats in their shortest exact form, and a
        ``summary``. No generation time other than ``now``.

        Examples:
            >>> data = json.loads(_empty().to_json())
            >>> data["format"], data["complaints"]["received"]
            ('retail_service_quality.quality_report/1', 0)
        """
        from retail_service_quality.serialization import unstructure

        data = {"format": QUALITY_JSON_FORMAT, **unstructure(self), "summary": self.summary}
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> QualityReport:
        """Read a report written by `to_json`.

        Examples:
            >>> QualityReport.from_json(_empty().to_json()) == _empty()
            True

        Raises:
            ValidationError: text that is not such a report, listing every problem.
        """
        from retail_service_quality.reports._render import report_json
        from retail_service_quality.serialization import structure

        data, summary, problems = report_json(text, QUALITY_JSON_FORMAT, "a quality report")
        try:
            report = structure(data, cls)
        except ValidationError as error:
            raise ValidationError([*problems, *error.problems]) from None
        if summary is not None and summary != report.summary:
            problems.add("$.summary", "must agree with the sections", "inconsistent")
        problems.raise_if_any()
        return report

    def write_html(self, path: str | os.PathLike[str]) -> Path:
        """Write `to_html` to ``path`` atomically, returning the path written.

        Examples:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     written = _empty().write_html(Path(folder) / "quality.html")
            ...     written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
            True

        Raises:
            ValidationError: ``path`` is not a file path.
            StorageError: the file cannot be written.
        """
        return self.write(path, "html")

    def write(self, path: str | os.PathLike[str], format: ReportFormat | None = None) -> Path:
        """Write the report as ``"text"``, ``"json"`` or ``"html"`` to ``path`` atomically.

        Without ``format``, the file's suffix names it: ``.json`` is JSON, ``.txt`` is
        text, and any other is the HTML page.

        The content goes to a temporary file in the same folder, which then
        replaces ``path`` in one step: a reader sees the old file or the new
        one, never half of one.

        Examples:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     written = _empty().write(Path(folder) / "quality.json")  # JSON, by its suffix
            ...     QualityReport.from_json(written.read_text(encoding="utf-8")) == _empty()
            True

        Raises:
            ValidationError: ``path`` is not a file path, or an unknown format.
            StorageError: the file cannot be written.
        """
        from retail_service_quality.reports._render import write_atomically

        renderers = {"text": self.to_text, "json": self.to_json, "html": self.to_html}
        chosen: object = format
        if format is None:
            suffix = os.path.splitext(os.fspath(path))[1].lower() if _is_path(path) else ""
            chosen = {".json": "json", ".txt": "text"}.get(suffix, "html")
        if not isinstance(chosen, str) or chosen not in renderers:
            raise ValidationError.single(
                "$.format", "must be one of text, json, html", "unknown_choice"
            )
        content = renderers[chosen]()
        return write_atomically(path, content if content.endswith("\n") else content + "\n")


def _is_path(path: object) -> bool:
    """Whether ``path`` is text or a path (anything else is refused by the writer)."""
    try:
        return isinstance(os.fspath(path), str)  # type: ignore[call-overload]
    except TypeError:
        return False


def _empty() -> QualityReport:
    """An empty report, for the examples."""
    return QualityReport(
        title="Customer service quality",
        retailer="Our stores",
        period_start=None,
        period_end=None,
        timezone="UTC",
        now=None,
        pledges=PledgeSection(disclosure=None),
        complaints=ComplaintSection(),
        consent=ConsentSection(),
        interactions=InteractionSection(),
    )


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _figures(report: QualityReport) -> Iterator[dict[str, Any]]:
    def row(section: str, figure: str, value: Any, key: str | None = None) -> dict[str, Any]:
        return {"section": section, "figure": figure, "key": key, "value": value}

    complaints = report.complaints
    for name in ("received", "closed", "open", "repeats", "repeat_rate", "resolved", "timed"):
        yield row("complaints", name, getattr(complaints, name))
    yield row("complaints", "median_resolution", _seconds(complaints.median_resolution))
    yield row("complaints", "p90_resolution", _seconds(complaints.p90_resolution))
    for category in complaints.by_category:
        yield row("complaints", "by_category", category.count, category.category)
    for state, count in complaints.by_state.items():
        yield row("complaints", "by_state", count, state)
    for cause in complaints.causes:
        yield row("complaints", "cause", cause.count, cause.root_cause)
    for breaches in complaints.sla:
        yield row("complaints", "sla_breached", breaches.breached, breaches.kind)
    consent = report.consent
    for name in ("customers", "consenting", "share", "opted_out", "suppressed"):
        yield row("consent", name, getattr(consent, name))
    interactions = report.interactions
    yield row("interactions", "total", interactions.total)
    for volume in interactions.by_channel:
        yield row("interactions", "by_channel", volume.count, volume.key)
    for volume in interactions.by_store:
        yield row("interactions", "by_store", volume.count, volume.key)
    for week in interactions.by_week:
        yield row("interactions", "by_week", week.count, week.week)
    hotline = interactions.hotline
    if hotline is not None:
        for name in ("offered", "answered", "abandoned", "short_abandoned", "answered_within"):
            yield row("hotline", name, getattr(hotline, name))
        yield row("hotline", "answer_rate", hotline.answer_rate)
        yield row("hotline", "abandonment_rate", hotline.abandonment_rate)
        yield row("hotline", "average_handle_time", _seconds(hotline.average_handle_time))
    if report.pledges.disclosure is not None:
        for line in report.pledges.disclosure.lines:
            yield row("pledges", "share", line.share, line.pledge_id)
    for store in report.pledges.stores:
        yield row("pledges", "store_share", store.share, f"{store.pledge_id}/{store.store_id}")


# ---------------------------------------------------------------- building it


def quality_report(
    target: Any,
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    timezone: str | None = None,
    now: datetime | None = None,
    retailer: str = "Our stores",
    title: str = "Customer service quality",
    business_units: Mapping[str, str] | None = None,
    confidence: float = 0.95,
    min_n: int = 30,
) -> QualityReport:
    """The quality report of a store (or a unit of work) over a period of local days.

    Everything is read in one read-only unit of work, with the stores'
    pushed-down queries; nothing is written.

    Defaults: ``timezone`` is the zone of the business calendars of the
    store's pledges when they all agree on one, else ``"UTC"``;
    ``period_start`` and ``period_end`` are the first and last local days
    holding an interaction or a complaint (one given alone stands for both
    when the store holds nothing); ``now`` is the midnight after
    ``period_end`` in ``timezone`` (the first instant of the next local day).
    A store holding nothing, with no period given, gives a report with no
    period that says there is nothing in it.

    What each section counts:

    - pledges: every stored pledge in force at the start or at the end of the
      period, measured as `disclosure_report` does (each case against the
      version in force when it began, open cases not yet late at ``now``
      pending) and per store with `pledge_attainment`;
    - complaints: those received in the period, with their state as the store
      holds it; the SLA figures are the complaints open past a deadline at ``now``
      (`breached`);
    - consent: customers created before ``now``, not erased, and their consent
      ledgers at the last instant before ``now``;
    - interactions: those that began in the period.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality import Complaint, SQLiteStore
        >>> at = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
        >>> with SQLiteStore(":memory:") as store:
        ...     with store.unit_of_work() as uow:
        ...         for number, category in enumerate(["billing", "billing", "delivery"]):
        ...             uow.complaints.add(Complaint.receive(id=f"CMP-{number}", at=at,
        ...                 channel="email", store_id="HK-1", category=category))
        ...         uow.commit()
        ...     report = quality_report(store, period_start=date(2026, 3, 1),
        ...         period_end=date(2026, 3, 31), timezone="Asia/Hong_Kong")
        >>> report.complaints.received, [(c.category, c.count) for c in report.complaints.by_category]
        (3, [('billing', 2), ('delivery', 1)])
        >>> report.now.isoformat()
        '2026-04-01T00:00:00+08:00'

    Raises:
        ValidationError: every bad argument, with its path (``$.period_end``,
            ``$.timezone``, ``$.now``...).
        StorageError: the store could not be read.
    """  # noqa: E501
    from retail_service_quality.quality._arguments import check_units
    from retail_service_quality.storage._target import check_target, unit_of

    problems = Problems()
    check_target(target, "interactions", problems)
    for path, day in (("$.period_start", period_start), ("$.period_end", period_end)):
        if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
            problems.add(path, "must be a date", "type")
    if (
        isinstance(period_start, date)
        and isinstance(period_end, date)
        and not isinstance(period_start, datetime)
        and not isinstance(period_end, datetime)
        and period_end < period_start
    ):
        problems.add("$.period_end", "must not be before period_start", "inconsistent")
    if timezone is not None:
        if not isinstance(timezone, str):
            problems.add("$.timezone", "must be an IANA time zone name", "type")
        elif named_zone(timezone) is None:
            problems.add("$.timezone", "must be an IANA time zone name", "unknown_choice")
    if now is not None:
        check_aware(now, "$.now", problems)
    for path, words in (("$.title", title), ("$.retailer", retailer)):
        check_text(words, path, problems)
        if isinstance(words, str) and not words.strip():
            problems.add(path, "must not be blank", "required")
    units = check_units(business_units, problems)
    check_number(confidence, "$.confidence", problems, low=0, high=1, strict=True)
    if isinstance(min_n, bool) or not isinstance(min_n, int) or not 1 <= min_n <= 1_000_000_000:
        problems.add("$.min_n", "must be an integer from 1 to 1000000000", "range")
    problems.raise_if_any()
    with unit_of(target, "interactions", read_only=True) as uow:
        return _build(
            uow, period_start, period_end, timezone, now, retailer, title, units,
            float(confidence), min_n,
        )  # fmt: skip


def _build(
    uow: Any,
    period_start: date | None,
    period_end: date | None,
    timezone: str | None,
    now: datetime | None,
    retailer: str,
    title: str,
    units: dict[str, str],
    confidence: float,
    min_n: int,
) -> QualityReport:
    from retail_service_quality.reports import _quality_sections as sections

    pledges = list(uow.pledges.query())
    zone_name = timezone if timezone is not None else sections.pledge_zone(pledges)
    zone = named_zone(zone_name)
    assert zone is not None
    if period_start is None or period_end is None:
        first, last = sections.data_days(uow, zone_name)
        if first is None or last is None:
            period_start = period_start or period_end
            period_end = period_end or period_start
        else:
            period_start = period_start or (first if period_end is None else min(first, period_end))
            period_end = period_end or max(last, period_start)
    empty = QualityReport(
        title=title,
        retailer=retailer,
        period_start=period_start,
        period_end=period_end,
        timezone=zone_name,
        now=now,
        pledges=PledgeSection(disclosure=None),
        complaints=ComplaintSection(),
        consent=ConsentSection(),
        interactions=InteractionSection(),
    )
    if period_start is None or period_end is None:
        if now is None:
            return empty
        return attrs.evolve(empty, consent=sections.consent(uow, now))
    try:
        start = _day_start(period_start, zone)
        end = _day_start(period_end + timedelta(days=1), zone)
        _day_start(period_start - timedelta(days=(period_end - period_start).days + 1), zone)
    except (OverflowError, ValueError):
        raise ValidationError.single(
            "$.period_start",
            "must leave the period and the one before it in years 2 to 9998",
            "range",
        ) from None
    if now is None:
        now = end
    # Each pledge's cases are measured once, for its line and for its stores.
    disclosure, by_store = measure_disclosure(
        uow, pledges, period_start=period_start, period_end=period_end, zone=zone, now=now,
        title="Pledges", retailer=retailer, business_units=units or None,
        confidence=confidence, min_n=min_n, views=[["store"]],
    )  # fmt: skip
    in_force = [pledge for pledge in pledges if pledge.id in by_store]
    return attrs.evolve(
        empty,
        now=now,
        pledges=PledgeSection(
            disclosure=disclosure,
            stores=sections.store_attainment(
                {pledge_id: views[0] for pledge_id, views in by_store.items()}
            ),
        ),
        complaints=sections.complaints(uow, start, end, now, confidence),
        consent=sections.consent(uow, now),
        interactions=sections.interactions(uow, in_force, start, end, zone_name),
    )
