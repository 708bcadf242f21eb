"""Rich display: every result renders as well-formed, accessible, escaped HTML with a picture."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

import retail_service_quality as rsq
from retail_service_quality._internal.display import bars_svg, format_value, interval_svg
from retail_service_quality.customers.privacy import pdpo

# Types a caller builds and hands in (inputs and stored records): they go out through
# `rsq.to_records`; every other public attrs class is a result and displays itself.
INPUT_TYPES = {
    "ActionStep",
    "ActionTarget",
    "AllOf",
    "AnyOf",
    "Attendance",
    "AwardResult",
    "AwardScheme",
    "BusinessCalendar",
    "ChangeCause",
    "CollectionForm",
    "Compare",
    "Competency",
    "ComplaintAccepted",
    "ComplaintAcknowledged",
    "ComplaintAssessed",
    "ComplaintClosed",
    "ComplaintDeclined",
    "ComplaintEscalated",
    "ComplaintQuery",
    "ComplaintReceived",
    "ComplaintReopened",
    "ComplaintResponded",
    "ConsentBox",
    "ConsentGiven",
    "ConsentLedger",
    "ConsentWithdrawn",
    "ContactPoint",
    "ControlledDocument",
    "Customer",
    "CustomerQuery",
    "CustomerReplied",
    "DataProvided",
    "DocumentChange",
    "DocumentRef",
    "DocumentVersion",
    "Elapsed",
    "Escalate",
    "Escalation",
    "Exists",
    "FindingRef",
    "Flag",
    "FormField",
    "GuaranteeClause",
    "ImprovementAction",
    "IndicatorCatalogue",
    "IndicatorDefinition",
    "InteractionQuery",
    "InvestigationStarted",
    "LegalHold",
    "MarketingClass",
    "MarketingClassRegistry",
    "MarketingMessageSent",
    "MeanPair",
    "Not",
    "NoticeServed",
    "Notify",
    "NpsPair",
    "OptedOut",
    "OralConsentConfirmed",
    "PerformanceCriterion",
    "PledgeScope",
    "PledgeStandard",
    "PledgeVersion",
    "PrivacyRequest",
    "Problem",
    "Procedure",
    "ProcedureStep",
    "ProcedureTrigger",
    "ProportionPair",
    "PublishedPlace",
    "Purpose",
    "RatingPair",
    "RecipientClass",
    "Requirement",
    "RetentionRule",
    "RetentionSchedule",
    "ReturnGuarantee",
    "ReturnedItem",
    "ReviewDecision",
    "ReviewScope",
    "RoleDuties",
    "RoleRequirement",
    "Rule",
    "RuleSet",
    "Sale",
    "SelectPolicy",
    "ServiceInteraction",
    "ServicePledge",
    "ServiceScope",
    "ServiceStandard",
    "ServiceStandardLevel",
    "ServqualResponse",
    "SetPriority",
    "SlaPolicy",
    "SlaTarget",
    "StaffCompetence",
    "StandardReference",
    "SuppressionEntry",
    "SurveyInstrument",
    "SurveyQuestion",
    "SurveyResponse",
    "TieBreak",
    "TrainingProgramme",
    "TrainingSession",
    "TransactionCount",
    "WaitingOnCustomer",
    "Within",
}

SAME = dict.fromkeys(range(1, 23), 6)
LOWER = {item: 4 if item < 10 else 6 for item in range(1, 23)}


def _results() -> list[object]:
    plan = rsq.staffing(
        calls=100,
        interval=timedelta(minutes=30),
        aht=timedelta(minutes=3),
        answer_within=timedelta(seconds=20),
        service_level=0.8,
    )
    given = datetime(2026, 3, 1, tzinfo=UTC)
    decision = rsq.decide_marketing(
        rsq.ConsentLedger("C-1"), channel="sms", marketing_class="cosmetics", at=given
    )
    provided = rsq.DataProvided(
        event_id="U-1", customer_id="C-1", at=given, evidence="batch:B-1", recipient_id="P-1",
        recipient_class="insurers", data_kinds=["email"], for_gain=False,
    )  # fmt: skip
    notice = rsq.cease_notices([provided], customer_id="C-1", at=given)[0]
    customer = rsq.Customer(
        id="C-1",
        name="Chan",
        contacts=[rsq.ContactPoint("email", "c@example.com")],
        created_at=given,
    )
    hold = rsq.LegalHold(
        id="H-1", customer_id="C-1", keeps=["name"], reason="invoices are kept for tax",
        source="Inland Revenue Ordinance (Cap. 112) s.51C", placed_at=given,
    )  # fmt: skip
    request = rsq.PrivacyRequest(
        id="R-1", customer_id="C-1", kind="access", law="pdpo", received_at=given,
        due_on=rsq.access_request_due(given.date(), law="pdpo"),
    )  # fmt: skip
    provided = rsq.DataProvided(
        event_id="U-1", customer_id="C-1", at=given, evidence="batch:B-1",
        recipient_id="P-1", recipient_class="insurance", data_kinds=["name"], for_gain=False,
    )  # fmt: skip
    erasure = rsq.plan_erasure(customer, holds=[hold], on=given.date())
    export = rsq.build_access_export(
        customer, request=request, produced_at=given, data_uses=[provided]
    )
    line = rsq.CampaignLine(
        customer_id="C-1",
        channel=rsq.MarketingChannel.SMS,
        marketing_class="toys",
        at=given,
        allowed=False,
        failed_rules=("pdpo.s35C.notice",),
        obligations=(),
        explanation="No notice was served.",
    )
    sweep = rsq.SweepLine(
        customer_id="C-1", item="name", data="identifier", action="erase", basis="expired",
        reason="its period ended", source="PDPO DPP2(2)", until=None, applied=False,
    )  # fmt: skip
    sla = rsq.SlaStatus(
        policy_id="p", kind="resolution", started_at=given, deadline=given, at=given,
        done_at=None, state="on_track", allowed=timedelta(hours=9), used=timedelta(0),
        late_by=None,
    )  # fmt: skip
    rules = rsq.RuleSet(
        id="escalation",
        rules=[
            rsq.Rule(
                id="urgent",
                description="Urgent cases go to the store manager.",
                when=rsq.Compare(field="priority", op="eq", value="urgent"),
                actions=[rsq.Escalate(to="store_manager"), rsq.Flag(label="urgent")],
            ),
            rsq.Rule(
                id="vip",
                description="VIP cases are flagged.",
                when=rsq.Exists(field="tier"),
                actions=[rsq.Flag(label="vip")],
            ),
        ],
    )
    verdict = rules.evaluate({"priority": "urgent"}, at=given)
    guarantee_verdict = rsq.evaluate_return(
        rsq.ReturnGuarantee.default(),
        rsq.Sale(
            purchased_at=given, store_id="S1", channel="store", receipt=True,
            category="clothing", price_cents=4999,
        ),
        rsq.ReturnedItem(returned_at=given + timedelta(days=3), condition="unused", tier="vip"),
        timezone="Asia/Hong_Kong",
    )  # fmt: skip
    complaint = (
        rsq.Complaint.receive(
            id="CMP-1", at=given, channel="hotline", store_id="S1", category="billing",
            customer_id="C-1", description="charged twice", remedy_requested="refund",
        )
        .acknowledge(at=given)
        .assess(at=given, severity=2, priority="high")
        .investigate(at=given)
        .respond(at=given, remedy="refund", amount_cents=1500)
    )  # fmt: skip
    deadline = rsq.DeadlineLine(
        complaint_id="CMP-1", store_id="S1", channel="hotline", category="billing",
        priority="high", kind="resolution", deadline=given, state="investigating",
        sla_state="breached", remaining=timedelta(0), late_by=timedelta(hours=2),
        share_used=1.25,
    )  # fmt: skip
    escalation = rsq.EscalationLine(
        complaint_id="CMP-1", store_id="S1", state="investigating", fired=("late",),
        actions=("escalate:store_manager", "notify:duty_manager"),
        applied=("escalate:store_manager",),
        explanation="late fired: resolution_state = 'breached': holds",
    )  # fmt: skip
    hotline = rsq.plan_hotline(
        calendar=rsq.BusinessCalendar("UTC", {"sun": [("00:00", "00:45")]}),
        start=given,
        end=given + timedelta(hours=1),
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=30,
        aht=timedelta(minutes=3),
        shrinkage=0.3,
    )
    actuals = rsq.hotline_actuals(
        rsq.InMemoryStore(),
        calendar=rsq.BusinessCalendar("UTC", {"sun": [("00:00", "00:45")]}),
        start=given,
        end=given + timedelta(hours=1),
        answer_within=timedelta(seconds=20),
        agents=[(given, 3)],
    )
    disclosure = rsq.DisclosureLine(
        pledge_id="hotline-answer", wording="We answer 90% of calls within 30 seconds.",
        measure="answer_time", target_share=0.9, n=1200, met=1104, previous_n=1100,
        previous_met=968,
    )  # fmt: skip
    report = rsq.DisclosureReport(
        title="Service pledges", retailer="Harbour Stores", period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30), generated_at=given,
        lines=[
            disclosure,
            attrs.evolve(disclosure, pledge_id="empty", n=0, met=0, interval=None,
                         status="not_enough_data"),
        ],
    )  # fmt: skip
    alert = rsq.PledgeAlert(
        pledge_id="p", store_id="S1", channel=None, business_unit=None, level="warning",
        rule_id="warning_band", notify=("quality_manager",), n=200, share=0.91, target=0.9,
        gap=0.01, low=0.87, high=0.94, p_value=0.7, explanation="enough_data = True: holds",
    )  # fmt: skip
    criterion = rsq.PerformanceCriterion(
        id="csat-retail", indicator_id="csat", business_unit="retail", target=0.85,
        amber_threshold=0.75, effective_from=given,
        standard=rsq.StandardReference("SQ-01", version="2026", clause="4.2"),
    )  # fmt: skip
    judged = rsq.evaluate_criteria(
        [criterion],
        [rsq.IndicatorValue(indicator_id="csat", business_unit="retail", value=0.6, n=200,
                            interval=rsq.wilson_interval(120, 200))],
        at=given,
    )  # fmt: skip
    (criterion_alert,) = rsq.monitor_criteria(judged, now=given)
    return [
        judged[0],
        criterion_alert,
        alert,
        hotline,
        hotline.intervals[0],
        actuals,
        actuals.intervals[0],
        disclosure,
        report,
        complaint,
        deadline,
        escalation,
        sla,
        rsq.select_sla_policy(rules, [], {"priority": "urgent"}, at=given),
        verdict,
        verdict.outcomes[0],
        guarantee_verdict,
        guarantee_verdict.outcomes[0],
        guarantee_verdict.facts,
        line,
        sweep,
        decision,
        decision.reasons[0],
        pdpo.OPT_OUT,
        notice,
        erasure,
        erasure.items["name"],
        rsq.plan_retention(
            customer,
            last_activity=None,
            holds=[hold],
            live_purposes=["legal_claims"],
            schedule=rsq.RetentionSchedule.default(),
            on=given.date(),
        ),
        export,
        export.recipients[0],
        rsq.ConsentLedger("C-1").state(given),
        rsq.Permission(rsq.DataKind.MOBILE_NUMBER, "cosmetics"),
        rsq.PendingConsent("E-2", given, given + rsq.ORAL_CONFIRMATION_PERIOD),
        rsq.nps([10, 9, 8, 7, 3, 0]),
        rsq.csat([5, 4, 3, 5, 2]),
        rsq.ces([3, 5, 6, 7]),
        rsq.mean_interval([4.0, 5.0, 6.0]),
        rsq.compare_nps([10, 9, 9, 7, 3], [10, 6, 5, 7, 3]),
        rsq.two_proportion_ztest(168, 200, 150, 200),
        rsq.benjamini_hochberg([0.01, 0.04, 0.03, 0.2]),
        rsq.benjamini_hochberg([0.01, 0.04]).tests[0],
        rsq.compare(
            rsq.NpsPair(
                label="S1 2026-10 vs 2026-09",
                promoters1=50,
                passives1=30,
                detractors1=20,
                promoters2=40,
                passives2=30,
                detractors2=30,
            )
        ),
        rsq.compare_many(
            [
                rsq.ProportionPair(label="S1", successes1=84, n1=100, successes2=70, n2=100),
                rsq.RatingPair(label="S2", counts1=(0, 1, 4, 10, 15), counts2=(2, 3, 8, 9, 8)),
                rsq.MeanPair(
                    label="S3",
                    n1=0,
                    mean1=0.0,
                    variance1=0.0,
                    n2=5,
                    mean2=3.0,
                    variance2=1.0,
                    direction="lower",
                ),
            ]
        ),
        rsq.Interval(0.2, 0.5, 0.95),
        plan,
        rsq.servqual([rsq.ServqualResponse(SAME, LOWER)]),
        rsq.servperf([rsq.ServqualResponse({}, LOWER)]),
        rsq.DimensionScore(expectation=6.0, perception=5.0, gap=-1.0, respondents=3),
        rsq.ReliabilityScore(alpha=0.8, items=4, respondents=20),
        rsq.servqual_reliability(
            [
                rsq.ServqualResponse({}, {i: 3 + (i + k) % 2 + k for i in range(1, 23)})
                for k in range(4)
            ],
            on="perception",
        ),
        rsq.InteractionSummary(
            period=date(2026, 11, 30),
            store_id="S1",
            channel=None,
            count=4,
            handled=2,
            handle_time=timedelta(60),
        ),
        rsq.IndicatorValue(
            indicator_id="csat",
            store_id="S1",
            channel="hotline",
            month=date(2026, 11, 1),
            value=0.82,
            n=50,
            interval=rsq.wilson_interval(41, 50),
            method="top-2-box share, Wilson 95%",
        ),
        rsq.AttainmentRow(
            pledge_id="hotline",
            store_id="S1",
            month=date(2026, 11, 1),
            n=40,
            met=30,
            not_met=10,
            pending=2,
            share=0.75,
            interval=rsq.wilson_interval(30, 40),
            target=0.9,
            gap=-0.15,
            p_value=0.005,
            significant=True,
            status="not_met",
        ),
        rsq.GapFinding(
            kind="pledged_vs_real",
            subject="hotline",
            store_id="S1",
            month=date(2026, 11, 1),
            size=-0.15,
            measured=0.75,
            reference=0.9,
            n=40,
            p_value=0.005,
            significant=True,
            test="one-sided exact binomial test of the shortfall",
            pledge_id="hotline",
            pledge_versions=(1, 2),
        ),
        rsq.ComplaintSummary(category="billing", channel=rsq.Channel.EMAIL, count=3, closed=2),
        rsq.ComplaintCounts(
            by="category",
            n=4,
            without=0,
            groups={
                "billing": rsq.ComplaintGroup(count=3, share=0.75, closed=2, repeats=1),
                "late_delivery": rsq.ComplaintGroup(count=1, share=0.25, closed=1, repeats=0),
            },
        ),
        rsq.ComplaintGroup(count=3, share=0.75, closed=2, repeats=1),
        rsq.CausePareto(
            n=4,
            without_cause=1,
            threshold=0.8,
            causes={
                "carrier_delay": rsq.ParetoCause(
                    count=3, share=0.75, cumulative_share=0.75, vital=True
                ),
                "typo": rsq.ParetoCause(count=1, share=0.25, cumulative_share=1.0, vital=True),
            },
        ),
        rsq.ParetoCause(count=3, share=0.75, cumulative_share=0.75, vital=True),
        rsq.AnswerCount(
            store_id="HK-1",
            channel=rsq.Channel.HOTLINE,
            staff_id=None,
            month=date(2026, 10, 1),
            weekday=6,
            hour=1,
            instrument_id="csat",
            question_id="csat",
            value=5,
            count=2,
        ),
        rsq.RemedyTable(
            n=3,
            requested={
                "refund": rsq.RemedyOffers(refund=1, credit=1, total=2, matched=1),
                "none": rsq.RemedyOffers(apology=1, total=1),
            },
        ),
        rsq.RemedyOffers(refund=1, credit=1, total=2, matched=1),
        rsq.ReviewInput(
            id="criterion:asa:store=S1",
            kind="criterion",
            subject="asa",
            summary="asa: red",
            needs_decision=True,
            store_id="S1",
            value=31.0,
            reference=20.0,
            n=400,
        ),
        rsq.ReviewCycle.plan(id="Q1", start=given, end=given + timedelta(days=90)),
        rsq.ResolutionTimes(
            n=5, resolved=4, timed=3, median=timedelta(hours=6), p90=timedelta(hours=9)
        ),
        rsq.DocumentRevision(
            document_id="PROC-REFUND",
            kind=rsq.DocumentKind.PROCEDURE,
            number=2,
            effective_from=given,
            effective_until=None,
            title="Refund at the counter",
            changed=("steps",),
            reason="refunds without a receipt were refused",
            author_role="quality_manager",
            because=(rsq.ChangeCause("action", "ACT-12"),),
        ),
        rsq.TrainingNeed(
            staff_id="E-7",
            role="cashier",
            store_id="S1",
            competency_id="privacy_law",
            requirement_id="R-1",
            required=3,
            current=1,
            gap=2,
            miss=0.5,
            priority=3.0,
            judged=2,
            missed=("csat-retail",),
        ),
        rsq.UnitTrainingNeed(
            store_id="S1",
            competency_id="privacy_law",
            staff=3,
            short=2,
            total_gap=3,
            total_priority=4.5,
            missed=("csat-retail",),
        ),
        rsq.CompletionRow(
            programme_id="P-1",
            store_id="S1",
            enrolled=10,
            attended=8,
            completed=6,
            passed=5,
            attendance_interval=rsq.wilson_interval(8, 10),
            completion_interval=rsq.wilson_interval(6, 8),
            pass_interval=rsq.wilson_interval(5, 6),
        ),
        *_action_results(),
        *_award_results(),
        _quality_result(),
    ]


def _quality_result() -> object:
    store = rsq.InMemoryStore()
    at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    with store.unit_of_work() as uow:
        uow.pledges.add(
            rsq.ServicePledge.create(
                id="hotline-answer",
                effective_from=at - timedelta(days=300),
                wording="We answer 90% of calls within 30 seconds.",
                target_share=0.9,
                standard=rsq.PledgeStandard("answer_time", within=timedelta(seconds=30)),
            )
        )
        uow.interactions.add_many(
            rsq.ServiceInteraction(
                id=f"I-{n}",
                store_id="S1",
                channel="hotline",
                direction="inbound",
                occurred_at=at + timedelta(minutes=n),
                queue_time=timedelta(seconds=5 * n),
            )
            for n in range(12)
        )
        uow.commit()
    return rsq.quality_report(store, retailer="Harbour <Stores>", min_n=5)


def _action_results() -> list[object]:
    action = rsq.ImprovementAction(
        id="CA-1", type="corrective", title="Retrain the hotline", owner="store_manager",
        raised_at=datetime(2026, 11, 2, tzinfo=UTC), due=date(2026, 11, 30),
        target=rsq.ActionTarget("fcr", store_ids=["S1"]),
    )  # fmt: skip
    (reminder,) = rsq.action_reminders([action], at=datetime(2026, 11, 23, tzinfo=UTC),
                                       timezone="UTC")  # fmt: skip
    values = {
        (period, store): rsq.IndicatorValue(
            indicator_id="fcr", store_id=store, value=count / 100, n=100, successes=count
        )
        for (period, store), count in {
            ("before", "S1"): 50, ("after", "S1"): 70, ("before", "S2"): 50, ("after", "S2"): 52,
        }.items()
    }  # fmt: skip
    effect = rsq.action_effect(
        action,
        before=[values["before", "S1"], values["before", "S2"]],
        after=[values["after", "S1"], values["after", "S2"]],
    )
    did = rsq.did_proportions(
        acting_before=(50, 100), acting_after=(70, 100),
        control_before=(50, 100), control_after=(52, 100),
    )  # fmt: skip
    return [reminder, effect, did]


def _award_results() -> list[object]:
    scheme = rsq.AwardScheme(
        id="csat-agents", name="Agent of the quarter", level="staff", period="quarter",
        indicator_id="csat", direction="higher",
    )  # fmt: skip
    values = [
        rsq.IndicatorValue(indicator_id="csat", staff_id="A-1", value=1.0, n=3, successes=3),
        rsq.IndicatorValue(indicator_id="csat", staff_id="A-2", value=0.95, n=200, successes=190),
    ]
    ranking = rsq.rank_candidates(scheme, values)
    return [ranking, ranking.places["A-2"]]


def test_every_public_result_type_has_records_a_frame_and_html() -> None:
    missing = []
    for name in rsq.__all__:
        value = getattr(rsq, name)
        if not (isinstance(value, type) and attrs.has(value)) or name in INPUT_TYPES:
            continue
        for method in ("to_records", "to_dataframe", "_repr_html_"):
            if not callable(getattr(value, method, None)):
                missing.append(f"{name}.{method}")
    assert missing == []


def test_every_public_record_type_flattens_to_distinct_columns() -> None:
    for name in rsq.__all__:
        value = getattr(rsq, name)
        if isinstance(value, type) and attrs.has(value):
            columns = rsq.record_columns(value)
            assert len(columns) == len(set(columns)), name


def test_the_results_walked_cover_every_result_type() -> None:
    shown = {type(result).__name__ for result in _results()}
    for name in rsq.__all__:
        value = getattr(rsq, name)
        if isinstance(value, type) and attrs.has(value) and name not in INPUT_TYPES:
            assert name in shown or name == "OpenInterval", name


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_html_is_well_formed_and_accessible(result: object) -> None:
    page = result._repr_html_()  # type: ignore[attr-defined]
    root = ET.fromstring(page)  # well-formed XML, so well-formed HTML
    tables = root.findall(".//table") if root.tag != "table" else [root]
    (table,) = tables
    caption = table.find("caption")
    assert caption is not None
    assert type(result).__name__ in "".join(caption.itertext())
    headers = table.findall(".//th")
    assert headers
    assert all(th.get("scope") in ("row", "col") for th in headers)
    for svg in root.iter("{http://www.w3.org/2000/svg}svg"):
        assert svg.get("role") == "img"
        assert svg.get("aria-label")
        assert svg.find("{http://www.w3.org/2000/svg}title") is not None


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_html_shows_every_record_value(result: object) -> None:
    page = result._repr_html_()  # type: ignore[attr-defined]
    cells = [format_value(value) for row in result.to_records() for value in row.values()]  # type: ignore[attr-defined]
    for cell in cells:
        assert html.escape(cell, quote=True) in page


def test_an_interval_result_draws_its_interval_on_its_scale() -> None:
    result = rsq.nps([10, 9, 8, 7, 3, 0])
    page = result._repr_html_()
    band = re.search(r'<rect x="([\d.]+)" y="3" width="([\d.]+)"', page)
    assert band is not None
    start = 4 + 152 * (result.interval.low + 100) / 200
    width = 152 * (result.interval.high - result.interval.low) / 200
    assert float(band.group(1)) == pytest.approx(start, abs=0.01)
    assert float(band.group(2)) == pytest.approx(width, abs=0.02)
    assert "on a scale of -100 to 100" in page


def test_a_servqual_result_draws_one_bar_per_dimension() -> None:
    page = rsq.servqual([rsq.ServqualResponse(SAME, LOWER)])._repr_html_()
    assert page.count("<rect") == 5
    assert page.count('fill="#e45756"') == 2  # tangibles and reliability fall short
    assert "tangibles -2" in page


def test_user_text_is_escaped_everywhere() -> None:
    hostile = '<script>alert("x")</script>&\'"'
    result = rsq.TestResult(1.0, 0.5, method=hostile)
    summary = rsq.InteractionSummary(
        period=None, store_id=hostile.replace(" ", ""), channel=None, count=1, handled=0,
        handle_time=timedelta(0),
    )  # fmt: skip
    for page in (
        result._repr_html_(),
        summary._repr_html_(),
        rsq.RecordList(rsq.InteractionSummary, [summary, summary])._repr_html_(),
        bars_svg([(hostile, 1.0)], 6),
    ):
        assert "<script" not in page
        ET.fromstring(page if page.startswith("<table") else f"<div>{page}</div>")


def test_a_long_list_shows_its_ends_and_says_what_it_left_out() -> None:
    rows = rsq.RecordList(
        rsq.InteractionSummary,
        [
            rsq.InteractionSummary(
                period=date(2026, 1, 1) + timedelta(days=day),
                store_id="S1",
                channel=None,
                count=day,
                handled=0,
                handle_time=timedelta(0),
            )
            for day in range(100)
        ],
    )
    page = rows._repr_html_()
    assert "100 rows" in page
    assert "40 more rows" in page
    assert "2026-01-01" in page
    assert "2026-04-10" in page
    assert "2026-02-15" not in page


def test_an_empty_list_says_so() -> None:
    page = rsq.RecordList(rsq.InteractionSummary)._repr_html_()
    ET.fromstring(page)
    assert "0 rows" in page or "no records" in page


def test_interval_svg_clips_to_its_scale() -> None:
    svg = interval_svg(-5.0, 5.0, (0.0, 1.0), value=0.5)
    assert 'x="4.0"' in svg
    assert 'width="152.0"' in svg


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_every_display_is_one_block_with_isolated_cells(result: object) -> None:
    page = result._repr_html_()  # type: ignore[attr-defined]
    assert page.startswith("<div><table>")
    assert page.endswith("</div>")
    assert "<td>" not in page  # every cell isolates its text direction


def test_right_to_left_text_stays_in_its_cell() -> None:
    page = rsq.TestResult(1.0, 0.5, method="\u202eevil")._repr_html_()
    assert '<td dir="auto">\u202eevil</td>' in page


def test_durations_show_in_one_unit() -> None:
    assert format_value(timedelta(seconds=100)) == "0:01:40"
    assert format_value(timedelta(days=2, hours=3)) == "2 days, 3:00:00"


def test_svg_numbers_are_rounded() -> None:
    for result in _results():
        page = result._repr_html_()  # type: ignore[attr-defined]
        for number in re.findall(r'(?:x|y|x1|x2|width)="(-?[\d.]+)"', page):
            assert len(number.partition(".")[2]) <= 2, number
