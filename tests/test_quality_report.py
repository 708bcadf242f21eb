"""The quality report: each section on hand-built stores with answers worked out by hand,
the empty store, determinism across builds and adapters, the formats, validation, personal
data, and the period's local days at DST changes and in a half-hour zone."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    ContactPoint,
    Customer,
    InMemoryStore,
    PledgeScope,
    PledgeStandard,
    QualityReport,
    ServiceInteraction,
    ServicePledge,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    StorageError,
    ValidationError,
    compute_indicators,
    quality_report,
)
from retail_service_quality.customers.consent import ConsentGiven, NoticeServed, OptedOut
from retail_service_quality.reports import QUALITY_JSON_FORMAT

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
NOVEMBER: dict[str, Any] = {"period_start": date(2026, 11, 1), "period_end": date(2026, 11, 30)}
NAME = "Zebedee Quixotic"
EMAIL = "zebedee.quixotic@example.org"
CUSTOMER = "CUST-ZQX-77"  # a customer id: never in a report
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
POLICY = SlaPolicy(
    id="standard",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=4)),
        SlaTarget("resolution", working_days=2),
    ],
)
PLEDGES = (
    ServicePledge.create(
        id="hotline-answer",
        effective_from=datetime(2026, 1, 1, tzinfo=HK),
        wording="We answer 80% of hotline calls within 30 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        target_share=0.8,
        scope=PledgeScope(channels=["hotline"]),
    ),
    ServicePledge.create(
        id="resolve",
        effective_from=datetime(2026, 1, 1, tzinfo=HK),
        wording="We resolve every complaint within 2 working days.",
        standard=PledgeStandard("resolution", working_days=2),
        calendar=DESK,
    ),
)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Each test runs on the in-memory store and on a SQLite file."""
    if request.param == "memory":
        yield InMemoryStore()
    else:
        with SQLiteStore(tmp_path / "quality.db") as sqlite:
            yield sqlite


def hk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=HK)


def calls() -> list[ServiceInteraction]:
    """Ten hotline calls at S1 on Monday 2 November, three emails at S2 on the 10th, and one
    call the day before the period."""
    queues = [10, 10, 10, 10, 10, 10, 60, 60, None, None]  # the last two abandoned
    made = [
        ServiceInteraction(
            id=f"H-{n}",
            store_id="S1",
            channel="hotline",
            direction="inbound",
            occurred_at=hk(2, 10, n),
            queue_time=timedelta(seconds=queue) if queue is not None else None,
            handle_time=timedelta(seconds=300) if queue is not None else None,
            customer_id=CUSTOMER if n == 0 else None,
            subject="parcel",
            notes=f"{NAME} called about the parcel",
        )
        for n, queue in enumerate(queues)
    ]
    made[8] = ServiceInteraction(  # abandoned after 20 seconds: offered, not answered in time
        id="H-8", store_id="S1", channel="hotline", direction="inbound",
        occurred_at=hk(2, 10, 8), queue_time=timedelta(seconds=20), abandoned=True,
    )  # fmt: skip
    made[9] = ServiceInteraction(  # a short abandon: in no figure but its own
        id="H-9", store_id="S1", channel="hotline", direction="inbound",
        occurred_at=hk(2, 10, 9), queue_time=timedelta(seconds=2), abandoned=True,
    )  # fmt: skip
    made += [
        ServiceInteraction(id=f"E-{n}", store_id="S2", channel="email", occurred_at=hk(10, 9))
        for n in range(3)
    ]
    made.append(
        ServiceInteraction(
            id="BEFORE",
            store_id="S1",
            channel="hotline",
            occurred_at=hk(1, 0) - timedelta(microseconds=1),
        )
    )
    return made


def complaints() -> list[Complaint]:
    def received(id: str, category: str, store: str, **more: Any) -> Complaint:
        return Complaint.receive(
            id=id, at=hk(2, 10), channel="email", store_id=store, category=category,
            sla_policy=POLICY, description=f"{NAME} <{EMAIL}> wrote in", **more,
        )  # fmt: skip

    def closed(case: Complaint, acknowledged: datetime, done: datetime, cause: str) -> Complaint:
        return (
            case.acknowledge(at=acknowledged)
            .assess(at=acknowledged, severity=2, priority="normal")
            .investigate(at=acknowledged)
            .respond(at=acknowledged, remedy="apology")
            .accept(at=done)
            .close(at=done, root_cause=cause, corrective_action="fixed")
        )

    return [
        # billing at S1: one on time (2 business hours), one acknowledged late (9 business
        # hours against 4) and resolved in 10 business hours, a repeat of the first
        closed(received("C1", "billing", "S1"), hk(2, 10, 30), hk(2, 12), "double_charge"),
        closed(
            received("C2", "billing", "S1", repeat_of="C1"), hk(3, 10), hk(3, 11), "double_charge"
        ),
        # delivery at S2: one still open (late by December), one resolved in an hour
        received("C3", "delivery", "S2", customer_id=CUSTOMER).acknowledge(at=hk(2, 10, 15)),
        closed(received("C4", "delivery", "S2"), hk(2, 10), hk(2, 11), "carrier"),
    ]


def customers() -> list[Customer]:
    created = datetime(2026, 1, 5, tzinfo=UTC)
    return [
        Customer(
            id=CUSTOMER, name=NAME, contacts=[ContactPoint("email", EMAIL)], created_at=created
        ),
        Customer(id="P2", name="Ottoline Varga-Pennywhistle", created_at=created),
        Customer(id="P3", name="Ottoline Varga-Pennywhistle", created_at=created),
    ]


def consent_events() -> list[Any]:
    at = datetime(2026, 1, 5, tzinfo=UTC)
    events: list[Any] = []
    for id in (CUSTOMER, "P2"):
        events += [
            NoticeServed(
                event_id=f"N-{id}", customer_id=id, at=at, evidence="form:F-1",
                notice_version="2026-01", data_kinds=["email"],
                marketing_classes=["cosmetics"],
            ),
            ConsentGiven(
                event_id=f"G-{id}", customer_id=id, at=at, evidence="form:F-1",
                method="written", scope="own_marketing", data_kinds=["email"],
                marketing_classes=["cosmetics"], notice_version="2026-01", explicit=True,
            ),
        ]  # fmt: skip
    events.append(
        OptedOut(event_id="O-P2", customer_id="P2", at=at + timedelta(days=30), evidence="email")
    )
    return events


def fill(target: Any) -> None:
    with target.unit_of_work() as uow:
        uow.customers.add_many(customers())
        uow.consent.append_many(consent_events())
        uow.interactions.add_many(calls())
        uow.complaints.add_many(complaints())
        uow.pledges.add_many(PLEDGES)
        uow.commit()


@pytest.fixture
def filled(store: Any) -> Any:
    fill(store)
    return store


def report_of(target: Any, **given: Any) -> QualityReport:
    return quality_report(target, **{**NOVEMBER, "min_n": 3, **given})


# ---------------------------------------------------------------- sections, by hand


def test_the_interaction_section_counts_by_hand(filled: Any) -> None:
    section = report_of(filled).interactions
    assert section.total == 13  # ten calls and three emails; the call before the period not
    assert [(v.key, v.count) for v in section.by_channel] == [("hotline", 10), ("email", 3)]
    assert [(v.key, v.count) for v in section.by_store] == [("S1", 10), ("S2", 3)]
    assert [(w.week, w.start, w.count) for w in section.by_week] == [
        ("2026-W45", date(2026, 11, 2), 10),
        ("2026-W46", date(2026, 11, 9), 3),
    ]
    hotline = section.hotline
    assert hotline is not None
    # 10 calls less one short abandon offered; one abandoned; 6 answered within 30 s
    assert (hotline.offered, hotline.answered, hotline.abandoned, hotline.short_abandoned) == (
        9,
        8,
        1,
        1,
    )
    assert (hotline.answer_pledge_id, hotline.answer_within) == (
        "hotline-answer",
        timedelta(seconds=30),
    )
    assert hotline.answered_within == 6
    assert hotline.answer_rate == 6 / 9
    assert hotline.abandonment_rate == 1 / 9
    assert hotline.average_handle_time == timedelta(seconds=300)


def test_the_complaint_section_by_hand(filled: Any) -> None:
    section = report_of(filled).complaints
    assert (section.received, section.closed, section.open) == (4, 3, 1)
    assert [(c.category, c.count, c.share, c.closed) for c in section.by_category] == [
        ("billing", 2, 0.5, 2),
        ("delivery", 2, 0.5, 1),
    ]
    assert dict(section.by_state) == {"acknowledged": 1, "closed": 3}
    assert [(c.root_cause, c.count, c.vital) for c in section.causes] == [
        ("double_charge", 2, True),
        ("carrier", 1, True),  # 2 of 3 is short of 80%: the next cause is vital too
    ]
    assert section.without_cause == 1
    # business times 1 h, 2 h and 10 h: median 2 h; p90 at rank 1.8: 2 h + 0.8 * 8 h
    assert (section.resolved, section.timed) == (3, 3)
    assert section.median_resolution == timedelta(hours=2)
    assert section.p90_resolution == timedelta(hours=8, minutes=24)
    assert (section.repeats, section.repeat_rate) == (1, 0.25)
    assert section.repeat_low is not None
    assert section.repeat_high is not None
    assert section.repeat_low < 0.25 < section.repeat_high
    # C3 was acknowledged in time; by 1 December 00:00 it is past its resolution deadline
    # (the close of Wednesday 4 November) by the business hours of 5 to 30 November
    breaches = {b.kind: (b.breached, b.longest_late) for b in section.sla}
    assert breaches == {"acknowledgement": (0, None), "resolution": (1, timedelta(hours=9 * 18))}


def test_the_consent_section_by_hand(filled: Any) -> None:
    consent = report_of(filled).consent
    assert (consent.customers, consent.consenting, consent.opted_out, consent.suppressed) == (
        3,
        1,
        1,
        0,
    )
    assert consent.share == 1 / 3
    # the same definition as the consent_coverage indicator
    [indicator] = compute_indicators(
        filled, ["consent_coverage"], start=datetime(2026, 11, 1, tzinfo=HK),
        end=datetime(2026, 12, 1, tzinfo=HK),
    )  # fmt: skip
    assert (indicator.successes, indicator.n) == (consent.consenting, consent.customers)


def test_the_pledge_section_by_hand(filled: Any) -> None:
    report = report_of(filled)
    disclosure = report.pledges.disclosure
    assert disclosure is not None
    lines = {line.pledge_id: (line.n, line.met, line.status.value) for line in disclosure.lines}
    # calls: 6 met, 2 late and 1 abandoned not met; complaints: C3 open past its deadline
    assert lines == {"hotline-answer": (9, 6, "not_met"), "resolve": (4, 3, "not_met")}
    stores = [(r.pledge_id, r.store_id, r.n, r.met, r.status) for r in report.pledges.stores]
    assert stores == [
        ("hotline-answer", "S1", 9, 6, "not_met"),
        ("resolve", "S1", 2, 2, "not_enough_data"),
        ("resolve", "S2", 2, 1, "not_enough_data"),
    ]
    assert [(r.pledge_id, r.store_id) for r in report.pledges.missing] == [("hotline-answer", "S1")]
    assert report.summary == "0 of 2 pledges met; 4 complaints received, 1 open; 13 interactions"
    # Too few cases for a verdict reads as such, not as a missed pledge.
    unjudged = report_of(filled, min_n=100)
    assert unjudged.summary == (
        "0 of 2 pledges met (2 without enough data to judge); "
        "4 complaints received, 1 open; 13 interactions"
    )
    assert QualityReport.from_json(unjudged.to_json()) == unjudged


def test_defaults_come_from_the_store(filled: Any) -> None:
    report = quality_report(filled)
    # the pledges' one calendar is in Hong Kong; the data run from the call just before
    # November to the emails of the 10th
    assert report.timezone == "Asia/Hong_Kong"
    assert (report.period_start, report.period_end) == (date(2026, 10, 31), date(2026, 11, 10))
    assert report.now == datetime(2026, 11, 11, tzinfo=HK)
    assert report.interactions.total == 14


def test_calendars_that_disagree_give_utc() -> None:
    store = InMemoryStore()
    other = ServicePledge.create(
        id="ack", effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        wording="We acknowledge every complaint within a working day.",
        standard=PledgeStandard("acknowledgement", working_days=1),
        calendar=BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London"),
    )  # fmt: skip
    with store.unit_of_work() as uow:
        uow.pledges.add_many([*PLEDGES, other])
        uow.commit()
    assert quality_report(store).timezone == "UTC"


def test_an_empty_store_says_there_is_nothing(store: Any) -> None:
    report = quality_report(store)
    assert report.is_empty
    assert (report.period_start, report.period_end, report.now) == (None, None, None)
    assert "Nothing in the period" in report.to_text()
    assert "No interaction in the period." in report.to_text()
    assert QualityReport.from_json(report.to_json()) == report
    given = quality_report(store, **NOVEMBER)
    assert given.is_empty
    assert given.now == datetime(2026, 12, 1, tzinfo=UTC)
    assert "No pledge in force during the period." in given.to_html()


def test_a_store_with_pledges_and_no_cases_reports_empty_sections(store: Any) -> None:
    with store.unit_of_work() as uow:
        uow.pledges.add_many(PLEDGES)
        uow.commit()
    report = quality_report(store, **NOVEMBER)
    disclosure = report.pledges.disclosure
    assert disclosure is not None
    assert [line.status.value for line in disclosure.lines] == ["not_enough_data"] * 2
    assert report.pledges.stores == ()
    assert report.complaints.is_empty
    assert report.interactions.is_empty
    assert report.interactions.hotline is None
    assert "No complaint received in the period." in report.to_text()


# ---------------------------------------------------------------- determinism


def test_json_is_the_same_across_builds_and_adapters(tmp_path: Path) -> None:
    memory = InMemoryStore()
    fill(memory)
    with SQLiteStore(tmp_path / "a.db") as sqlite:
        fill(sqlite)
        from_sqlite = report_of(sqlite).to_json()
    first, second = report_of(memory).to_json(), report_of(memory).to_json()
    assert first == second == from_sqlite
    assert json.loads(first)["format"] == QUALITY_JSON_FORMAT


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-3 * 24 * 60, max_value=40 * 24 * 60),
            st.sampled_from(["hotline", "email", "meeting"]),
            st.sampled_from(["S1", "S2", "S3"]),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_any_interactions_give_the_same_json_in_memory_and_sqlite(
    made: list[tuple[int, str, str, bool]],
) -> None:
    start = datetime(2026, 11, 1, tzinfo=HK)
    interactions = [
        ServiceInteraction(
            id=f"I-{n}",
            store_id=store_id,
            channel=channel,
            direction="inbound",
            occurred_at=start + timedelta(minutes=minutes),
            abandoned=abandoned,
            queue_time=timedelta(seconds=10 + n),
        )
        for n, (minutes, channel, store_id, abandoned) in enumerate(made)
    ]
    reports = []
    for target in (InMemoryStore(), SQLiteStore(":memory:")):
        with target, target.unit_of_work() as uow:
            uow.interactions.add_many(interactions)
            uow.commit()
            reports.append(quality_report(uow, timezone="Asia/Hong_Kong", **NOVEMBER))
    assert reports[0].to_json() == reports[1].to_json()
    inside = sum(0 <= minutes < 30 * 24 * 60 for minutes, *_ in made)
    assert reports[0].interactions.total == inside
    assert sum(week.count for week in reports[0].interactions.by_week) == inside
    assert QualityReport.from_json(reports[0].to_json()) == reports[0]


# ---------------------------------------------------------------- formats


def test_json_round_trips_and_refuses_junk(filled: Any) -> None:
    report = report_of(filled)
    assert QualityReport.from_json(report.to_json()) == report
    assert QualityReport.from_json(report.to_json(indent=None)) == report
    data = json.loads(report.to_json())
    data["format"] = "something/9"
    data["summary"] = "all is well"
    with pytest.raises(ValidationError) as caught:
        QualityReport.from_json(json.dumps(data))
    assert {problem.path for problem in caught.value.problems} >= {"$.format"}
    for junk in ("", "[]", "{", b"\xff", '{"format": "retail_service_quality.quality_report/1"}'):
        with pytest.raises(ValidationError):
            QualityReport.from_json(junk)


def test_the_page_is_self_contained(filled: Any) -> None:
    page = report_of(filled).to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert " src=" not in page
    assert "href=" not in page
    assert "url(" not in page
    links = re.findall(r"https?://[^\s\"'<>]+", page)
    assert set(links) <= {"http://www.w3.org/2000/svg"}  # the SVG namespace, not a resource
    assert "Content-Security-Policy" in page
    for heading in ("Pledges", "Complaints", "Consent", "Interactions", "Hotline"):
        assert f">{heading}</h" in page


def test_the_text_reads_section_by_section(filled: Any) -> None:
    text = report_of(filled, retailer="Harbour Stores").to_text()
    lines = text.splitlines()
    assert lines[:2] == ["Customer service quality", "Harbour Stores · 2026-11-01 to 2026-11-30"]
    assert "As of 2026-12-01 00:00 (UTC+08:00); local days in Asia/Hong_Kong" in lines
    for heading in ("Pledges", "Complaints", "Consent", "Interactions", "Hotline"):
        assert heading in lines
    answer = lines.index("  [hotline-answer] target 80%, achieved 66.7% of 9: Not met")
    assert lines[answer + 1] == "    missed at S1: 66.7% of 9"
    assert any(line.strip().startswith("Answered in time") and "66.7%" in line for line in lines)
    assert all(len(line) <= 120 for line in lines)


def test_write_takes_the_format_from_the_suffix(filled: Any, tmp_path: Path) -> None:
    report = report_of(filled)
    assert QualityReport.from_json((report.write(tmp_path / "r.JSON")).read_text("utf-8")) == report
    assert (report.write(tmp_path / "r.txt")).read_text("utf-8") == report.to_text() + "\n"
    for name in ("r.html", "r", "r.htm"):
        assert (report.write(tmp_path / name)).read_text("utf-8") == report.to_html()
    assert (report.write(tmp_path / "r.json", "text")).read_text("utf-8").startswith("Customer")
    for bad in (b"r.json", 7, None):
        with pytest.raises(ValidationError) as caught:
            report.write(bad)  # type: ignore[arg-type]
        assert [problem.path for problem in caught.value.problems] == ["$.path"]


def test_writes_each_format_atomically(filled: Any, tmp_path: Path) -> None:
    report = report_of(filled)
    for format, check in (
        ("json", lambda text: QualityReport.from_json(text) == report),
        ("text", lambda text: text.rstrip("\n") == report.to_text()),
        ("html", lambda text: text == report.to_html()),
    ):
        written = report.write(tmp_path / f"quality.{format}", format)  # type: ignore[arg-type]
        assert check(written.read_text(encoding="utf-8"))
    assert report.write_html(tmp_path / "page.html").read_text(encoding="utf-8") == (
        report.to_html()
    )
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []
    with pytest.raises(ValidationError):
        report.write(tmp_path / "x", "pdf")  # type: ignore[arg-type]
    with pytest.raises(StorageError):
        report.write(tmp_path / "missing" / "x.html")


def test_records_and_frames(filled: Any) -> None:
    report = report_of(filled)
    figures = {(r["section"], r["figure"], r["key"]): r["value"] for r in report.to_records()}
    assert figures["complaints", "received", None] == 4
    assert figures["interactions", "by_week", "2026-W45"] == 10
    assert figures["hotline", "average_handle_time", None] == 300.0
    assert figures["pledges", "store_share", "hotline-answer/S1"] == 6 / 9
    pytest.importorskip("pandas")
    assert len(report.to_dataframe()) == len(report.to_records())
    assert report.interactions.to_dataframe()["count"].tolist() == [10, 3]
    assert report.complaints.to_dataframe()["category"].tolist() == ["billing", "delivery"]
    assert report.pledges.to_dataframe()["store_id"].tolist() == ["S1", "S1", "S2"]
    assert "<table>" in report._repr_html_()


def test_no_personal_data_in_any_format(filled: Any) -> None:
    report = report_of(filled)
    outputs = [
        report.to_text(), report.to_json(), report.to_html(), report._repr_html_(),
        repr(report), json.dumps(report.to_records(), default=str),
    ]  # fmt: skip
    for output in outputs:
        for secret in (NAME, EMAIL, CUSTOMER, "Ottoline", "parcel"):
            assert secret not in output


# ---------------------------------------------------------------- validation


def test_every_bad_argument_is_listed_in_one_round() -> None:
    with pytest.raises(ValidationError) as caught:
        quality_report(
            42, period_start="2026-11-01", period_end=date(2026, 10, 1),  # type: ignore[arg-type]
            timezone="Nowhere/City", now=datetime(2026, 12, 1), retailer=" ", title=3,  # type: ignore[arg-type]
            business_units={"S1": 5}, confidence=float("nan"), min_n=0,  # type: ignore[dict-item]
        )  # fmt: skip
    paths = {problem.path for problem in caught.value.problems}
    assert paths == {
        "$.target", "$.period_start", "$.timezone", "$.now", "$.retailer", "$.title",
        "$.business_units.S1", "$.confidence", "$.min_n",
    }  # fmt: skip
    for problem in caught.value.problems:
        assert "Nowhere" not in problem.message


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        quality_report(
            InMemoryStore(), period_start=date(2026, 11, 2), period_end=date(2026, 11, 1)
        )
    assert [problem.path for problem in caught.value.problems] == ["$.period_end"]


def test_a_period_at_the_ends_of_the_range_is_refused_not_crashed() -> None:
    for start, end in ((date(1, 1, 1), date(1, 1, 5)), (date(9999, 12, 1), date(9999, 12, 31))):
        with pytest.raises(ValidationError) as caught:
            quality_report(InMemoryStore(), period_start=start, period_end=end, timezone="UTC")
        assert [problem.path for problem in caught.value.problems] == ["$.period_start"]


def test_storage_errors_pass_through(tmp_path: Path) -> None:
    sqlite = SQLiteStore(tmp_path / "closed.db")
    sqlite.close()
    with pytest.raises(StorageError):
        quality_report(sqlite)


# ---------------------------------------------------------------- local days and instants


def london_store(*instants: datetime, kind: str = "memory") -> Any:
    store: Any = InMemoryStore() if kind == "memory" else SQLiteStore(":memory:")
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            ServiceInteraction(id=f"I-{n}", store_id="S1", channel="email", occurred_at=at)
            for n, at in enumerate(instants)
        )
        uow.commit()
    return store


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_the_period_follows_london_across_both_2026_changes(kind: str) -> None:
    instants = [
        datetime(2026, 3, 28, 23, 59, tzinfo=UTC),  # 23:59 GMT on the 28th: before
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 00:30 GMT on the 29th: the first day
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 02:30 BST: after the skipped hour
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST: the first pass
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 01:30 GMT: the repeated pass
        datetime(2026, 10, 25, 23, 59, tzinfo=UTC),  # 23:59 GMT: the last day
        datetime(2026, 10, 26, 0, 0, tzinfo=UTC),  # midnight after the last day: out
    ]
    store = london_store(*instants, kind=kind)
    report = quality_report(
        store, period_start=date(2026, 3, 29), period_end=date(2026, 10, 25),
        timezone="Europe/London",
    )  # fmt: skip
    assert report.interactions.total == 5
    assert report.now == datetime(2026, 10, 26, tzinfo=LONDON)
    assert report.now.astimezone(UTC) == datetime(2026, 10, 26, tzinfo=UTC)
    weeks = {week.week: week.count for week in report.interactions.by_week}
    assert weeks["2026-W13"] == 2  # Sunday 29 March closes ISO week 13
    assert weeks["2026-W43"] == 3  # both passes of 01:30 and 23:59 on Sunday 25 October
    defaults = quality_report(store, timezone="Europe/London")
    assert (defaults.period_start, defaults.period_end) == (date(2026, 3, 28), date(2026, 10, 26))


def test_the_period_follows_a_half_hour_zone() -> None:
    start = datetime(2026, 11, 2, tzinfo=KOLKATA)  # 18:30 UTC on 1 November
    store = london_store(
        start - timedelta(microseconds=1), start, start + timedelta(hours=23, minutes=59),
        start + timedelta(days=1),
    )  # fmt: skip
    report = quality_report(
        store, period_start=date(2026, 11, 2), period_end=date(2026, 11, 2),
        timezone="Asia/Kolkata",
    )  # fmt: skip
    assert report.interactions.total == 2
    assert report.now == datetime(2026, 11, 3, tzinfo=KOLKATA)
    assert report.to_text().count("(UTC+05:30)") == 1
    defaults = quality_report(store, timezone="Asia/Kolkata")
    assert (defaults.period_start, defaults.period_end) == (date(2026, 11, 1), date(2026, 11, 3))


POSTGRES = os.environ.get("RSQ_TEST_POSTGRES", "")


@pytest.mark.skipif(not POSTGRES, reason="RSQ_TEST_POSTGRES names no server")
def test_json_is_the_same_on_postgresql() -> None:
    import psycopg

    from retail_service_quality import PostgresStore

    memory = InMemoryStore()
    fill(memory)
    schema = f"t_quality_{uuid.uuid4().hex[:12]}"
    try:
        with PostgresStore(POSTGRES, schema=schema) as postgres:
            fill(postgres)
            assert report_of(postgres).to_json() == report_of(memory).to_json()
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_a_status_that_the_target_shown_does_not_explain_is_explained() -> None:
    from retail_service_quality.reports import DisclosureLine
    from retail_service_quality.reports._quality_render import _versions_note

    def line(met: int, status: str) -> DisclosureLine:
        return DisclosureLine(
            pledge_id="hotline-answer", wording="We answer 85% of calls within 20 seconds.",
            measure="answer_time", target_share=0.85, n=100, met=met, status=status,
        )  # fmt: skip

    # 84 of 100 under a target of 85%, yet met: cases before a revision had a lower target.
    assert "revised" in _versions_note(line(84, "met"))
    assert "revised" in _versions_note(line(90, "not_met"))
    assert _versions_note(line(90, "met")) == ""
    assert _versions_note(line(84, "not_met")) == ""


def test_the_page_explains_a_revised_pledge_whose_status_the_target_does_not() -> None:
    from retail_service_quality.sample import describe, generate

    chain = describe("small", seed=0)
    store = InMemoryStore()
    generate(store, size="small", seed=0)
    report = quality_report(
        store,
        period_start=chain.period_start,
        period_end=chain.period_end,
        timezone=chain.timezone,
        now=chain.now,
    )
    assert report.pledges.disclosure is not None
    [hotline] = [
        line for line in report.pledges.disclosure.lines if line.pledge_id == "hotline-answer"
    ]
    # 84.4% against the latest target of 85%, met: the first half year's target was 80%.
    assert hotline.share is not None
    assert hotline.target_share is not None
    assert hotline.share < hotline.target_share
    assert hotline.status.value == "met"
    page = report.to_html()
    assert page.count("the pledge was revised during the period") == 1
    assert "hotline-answer: each case is measured against the target in force" in page
