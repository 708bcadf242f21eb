"""Review cycles: computed inputs, decisions, and a cycle that cannot close with an input
unaddressed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.testing.contract_complaint_analysis import analysed_complaint

AT = datetime(2026, 4, 8, 10, tzinfo=UTC)
Q1 = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
SQ = rsq.StandardReference("SQ-01", version="2")


def _result(status: str, **changes: object) -> rsq.CriterionResult:
    fields: dict[str, object] = {
        "criterion_id": "asa-hotline", "indicator_id": "asa", "store_id": "S1",
        "status": status, "significant": status != "not_enough_data",
        "possible": [] if status == "not_enough_data" else [status], "value": 31.0,
        "n": 400, "unit": "seconds", "direction": "lower", "target": 20.0,
        "amber_threshold": 25.0, "min_n": 30, "standard": SQ,
    }  # fmt: skip
    fields.update(changes)
    return rsq.CriterionResult(**fields)  # type: ignore[arg-type]


def _input(id: str, needs: bool = True) -> rsq.ReviewInput:
    return rsq.ReviewInput(
        id=id, kind="criterion", subject=id, summary=f"{id}: red", needs_decision=needs
    )


def _decision(id: str, *inputs: str, output: str = "improvement") -> rsq.ReviewDecision:
    return rsq.ReviewDecision(
        id=id, input_ids=list(inputs), output=output, text="Add an agent at lunchtime.",
        decided_at=AT, decided_by="service_manager",
    )  # fmt: skip


def _cycle() -> rsq.ReviewCycle:
    return rsq.ReviewCycle.plan(id="Q1", start=Q1[0], end=Q1[1])


# ---------------------------------------------------------------- inputs


def test_criteria_red_and_amber_need_a_decision_green_and_too_few_do_not() -> None:
    inputs = rsq.review_inputs(
        criteria=[
            _result("red"),
            _result("amber", store_id="S2", value=23.0),
            _result("green", store_id="S3", value=18.0),
            _result("not_enough_data", store_id="S4", value=40.0, n=12),
        ]
    )
    assert [(i.id, i.needs_decision) for i in inputs] == [
        ("criterion:asa-hotline:store=S1", True),
        ("criterion:asa-hotline:store=S2", True),
        ("criterion:asa-hotline:store=S3", False),
        ("criterion:asa-hotline:store=S4", False),
    ]
    assert inputs[0].standard == SQ
    assert (inputs[0].value, inputs[0].reference, inputs[0].n) == (31.0, 20.0, 400)
    assert inputs[3].summary == (
        "criterion asa-hotline (store=S4): not enough data (n = 12, fewer than 30)"
    )
    # A colour inside the noise still needs a decision, and says it is not beyond noise.
    [noisy] = rsq.review_inputs(criteria=[_result("amber", significant=False)])
    assert noisy.needs_decision
    assert "not beyond noise" in noisy.summary


def test_gaps_need_a_decision_only_when_a_significant_shortfall() -> None:
    def gap(size: float, significant: bool, store: str) -> rsq.GapFinding:
        return rsq.GapFinding(
            kind="pledged_vs_real", subject="hotline", store_id=store, size=size,
            measured=0.8 + size, reference=0.8, n=300, p_value=0.01 if significant else 0.3,
            significant=significant, pledge_id="hotline",
        )  # fmt: skip

    inputs = rsq.review_inputs(
        gaps=[gap(-0.06, True, "S1"), gap(-0.01, False, "S2"), gap(0.05, True, "S3")]
    )
    assert [(i.id, i.kind.value, i.needs_decision) for i in inputs] == [
        ("pledge_gap:hotline:store=S1", "pledge_gap", True),
        ("pledge_gap:hotline:store=S2", "pledge_gap", False),
        ("pledge_gap:hotline:store=S3", "pledge_gap", False),
    ]
    assert inputs[0].p_value == 0.01
    assert inputs[0].summary.startswith("pledged vs real: hotline (store S1)")


def test_a_real_worsening_and_a_vital_complaint_cause_need_a_decision() -> None:
    family = rsq.compare_many(
        [
            rsq.ProportionPair(label="csat S1", successes1=120, n1=200, successes2=160, n2=200),
            rsq.ProportionPair(label="csat S2", successes1=158, n1=200, successes2=160, n2=200),
        ]
    )
    pareto = rsq.CausePareto(
        n=10, without_cause=0, threshold=0.8,
        causes={
            "carrier_delay": rsq.ParetoCause(count=8, share=0.8, cumulative_share=0.8, vital=True),
            "typo": rsq.ParetoCause(count=2, share=0.2, cumulative_share=1.0, vital=False),
        },
    )  # fmt: skip
    inputs = rsq.review_inputs(changes=family, complaints=pareto)
    assert [(i.id, i.needs_decision) for i in inputs] == [
        ("change:csat S1", True),
        ("change:csat S2", False),
        ("complaint_cause:carrier_delay", True),
        ("complaint_cause:typo", False),
    ]
    assert inputs[2].summary == (
        "complaint cause carrier_delay: 8 of 10 complaints with a root cause, 0.8 of them "
        "(one of the vital few)"
    )


def test_the_same_group_given_twice_is_refused_not_dropped() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.review_inputs(criteria=[_result("red"), _result("amber"), _result("green")])
    assert [p.path for p in caught.value.problems] == ["$.criteria[1]", "$.criteria[2]"]
    # Groups that differ by hour are two inputs.
    inputs = rsq.review_inputs(criteria=[_result("red", hour=9), _result("red", hour=10)])
    assert [i.id for i in inputs] == [
        "criterion:asa-hotline:store=S1,hour=9",
        "criterion:asa-hotline:store=S1,hour=10",
    ]


def test_review_inputs_names_every_bad_argument() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.review_inputs(
            criteria=[_result("red"), "red"],  # type: ignore[list-item]
            gaps="none",  # type: ignore[arg-type]
            changes=[],  # type: ignore[arg-type]
            complaints={},  # type: ignore[arg-type]
        )
    assert [p.path for p in caught.value.problems] == [
        "$.criteria[1]", "$.gaps", "$.changes", "$.complaints"
    ]  # fmt: skip


# ---------------------------------------------------------------- the cycle


def test_a_full_cycle_from_inputs_to_decisions_to_closing() -> None:
    inputs = rsq.review_inputs(
        criteria=[_result("red"), _result("green", store_id="S3", value=18.0)]
    )
    cycle = _cycle().with_inputs(inputs, at=AT)
    assert cycle.status is rsq.ReviewStatus.IN_REVIEW
    assert [i.id for i in cycle.unaddressed] == ["criterion:asa-hotline:store=S1"]
    with pytest.raises(rsq.InvalidTransitionError) as refused:
        cycle.close(at=AT)
    assert str(refused.value) == (
        "cannot close review Q1: 1 input needs a decision: criterion:asa-hotline:store=S1"
    )
    decided = cycle.decide(
        rsq.ReviewDecision(
            id="D1", input_ids=["criterion:asa-hotline:store=S1"], output="change",
            text="Lunchtime rota changed.", decided_at=AT, decided_by="service_manager",
            action_ids=["ACT-1"], document_changes=[rsq.DocumentRef("PROC-ROTA", 3)],
        )
    )  # fmt: skip
    closed = decided.close(at=AT + timedelta(days=1))
    assert closed.status is rsq.ReviewStatus.CLOSED
    assert closed.closed_at == AT + timedelta(days=1)
    assert cycle.status is rsq.ReviewStatus.IN_REVIEW  # each step returns a new cycle
    steps: list[Callable[[], object]] = [
        lambda: closed.close(at=AT),
        lambda: closed.decide(_decision("D2", "criterion:asa-hotline:store=S1")),
        lambda: closed.with_inputs([], at=AT),
    ]
    for step in steps:
        with pytest.raises(rsq.InvalidTransitionError, match="it is closed"):
            step()
    [row] = closed.to_records()
    assert (row["id"], row["status"]) == ("Q1", "closed")


def test_a_planned_cycle_has_no_decision_and_cannot_close() -> None:
    with pytest.raises(rsq.InvalidTransitionError, match="not gathered"):
        _cycle().decide(_decision("D1", "x"))
    with pytest.raises(rsq.InvalidTransitionError, match="not gathered"):
        _cycle().close(at=AT)


def test_a_decision_must_name_inputs_of_its_cycle() -> None:
    cycle = _cycle().with_inputs([_input("a"), _input("b")], at=AT)
    with pytest.raises(rsq.ValidationError) as caught:
        cycle.decide(_decision("D1", "a", "zzz"))
    assert [p.path for p in caught.value.problems] == ["$.decisions[0].input_ids[1]"]
    with pytest.raises(rsq.ValidationError) as caught:
        cycle.decide(_decision("D1", "a")).decide(_decision("D1", "b"))
    assert [p.path for p in caught.value.problems] == ["$.decisions[1].id"]


def test_many_unaddressed_inputs_are_named_up_to_twenty() -> None:
    cycle = _cycle().with_inputs([_input(f"i{n:02}") for n in range(25)], at=AT)
    with pytest.raises(rsq.InvalidTransitionError) as refused:
        cycle.close(at=AT)
    message = str(refused.value)
    assert message.startswith("cannot close review Q1: 25 inputs need a decision: i00, i01")
    assert message.endswith("i19 and 5 more")


@settings(max_examples=60, deadline=None)
@given(
    needs=st.lists(st.booleans(), min_size=1, max_size=8),
    chosen=st.lists(st.sets(st.integers(0, 7), min_size=1, max_size=3), max_size=6),
)
def test_a_cycle_closes_exactly_when_every_input_needing_a_decision_has_one(
    needs: list[bool], chosen: list[set[int]]
) -> None:
    inputs = [_input(f"i{n}", need) for n, need in enumerate(needs)]
    cycle = _cycle().with_inputs(inputs, at=AT)
    covered: set[int] = set()
    for number, picks in enumerate(chosen):
        valid = sorted(p for p in picks if p < len(needs))
        if not valid:
            continue
        cycle = cycle.decide(_decision(f"D{number}", *(f"i{p}" for p in valid)))
        covered.update(valid)
    missing = [f"i{n}" for n, need in enumerate(needs) if need and n not in covered]
    assert [i.id for i in cycle.unaddressed] == missing
    if missing:
        with pytest.raises(rsq.InvalidTransitionError) as refused:
            cycle.close(at=AT)
        assert all(name in str(refused.value) for name in missing)
    else:
        assert cycle.close(at=AT).status is rsq.ReviewStatus.CLOSED


def test_the_period_is_compared_as_instants_across_a_repeated_hour() -> None:
    london = ZoneInfo("Europe/London")
    first = datetime(2026, 10, 25, 1, 30, tzinfo=london)  # BST, 00:30 UTC
    second = datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=london)  # GMT, 01:15 UTC
    assert rsq.ReviewCycle.plan(id="R", start=first, end=second).end == second
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.ReviewCycle.plan(id="R", start=second, end=first)
    assert [p.path for p in caught.value.problems] == ["$.end"]
    kolkata = ZoneInfo("Asia/Kolkata")
    cycle = rsq.ReviewCycle.plan(
        id="R", start=datetime(2026, 3, 1, tzinfo=kolkata), end=datetime(2026, 3, 1, tzinfo=UTC)
    )
    assert cycle.end - cycle.start == timedelta(hours=5, minutes=30)
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.ReviewCycle.plan(id="R", start=datetime(2026, 3, 29, 1, 30, tzinfo=london), end=AT)
    assert [p.path for p in caught.value.problems] == ["$.start"]  # a skipped wall time


def test_a_cycle_reports_every_problem_at_once() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.ReviewCycle(
            id="",
            start=datetime(2026, 1, 1),
            end=Q1[1],
            scope="all",  # type: ignore[arg-type]
            status="finished",
            inputs=["x"],
            decisions=[3],
            closed_at=AT,
        )
    assert [p.path for p in caught.value.problems] == [
        "$.id", "$.start", "$.scope", "$.status", "$.inputs[0]", "$.decisions[0]",
    ]  # fmt: skip
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.ReviewDecision(
            id="D",
            input_ids=[],
            output="shrug",
            text="  ",
            decided_at=datetime(2026, 1, 1),
            decided_by="",
            action_ids=[""],
            document_changes=["PROC-1"],
        )
    assert [p.path for p in caught.value.problems] == [
        "$.input_ids", "$.output", "$.text", "$.decided_at", "$.decided_by",
        "$.action_ids[0]", "$.document_changes[0]",
    ]  # fmt: skip
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.ReviewScope(store_ids=[""], channels=["pigeon"], business_units="north")
    assert [p.path for p in caught.value.problems] == [
        "$.store_ids[0]", "$.business_units", "$.channels[0]"
    ]  # fmt: skip


def test_a_cycle_round_trips_through_json() -> None:
    cycle = (
        rsq.ReviewCycle.plan(
            id="Q1",
            start=Q1[0],
            end=Q1[1],
            scope=rsq.ReviewScope(store_ids=["S1"], channels=["hotline"], standards=["SQ-01"]),
            previous_id="Q4-2025",
        )
        .with_inputs(rsq.review_inputs(criteria=[_result("red")]), at=AT)
        .decide(_decision("D1", "criterion:asa-hotline:store=S1"))
    )
    assert from_json(to_json(cycle), rsq.ReviewCycle) == cycle
    closed = cycle.close(at=AT)
    assert from_json(to_json(closed), rsq.ReviewCycle) == closed


def test_the_scope_covers_what_it_lists() -> None:
    scope = rsq.ReviewScope(store_ids=["S1"], channels=["hotline", "email"])
    assert scope.covers(store_id="S1", channel="email")
    assert not scope.covers(store_id="S1", channel="meeting")
    assert scope.covers(business_unit="any")  # not listed: every unit
    assert rsq.ReviewScope().covers(store_id="S9", channel="fax", standard="SQ-9")


# ---------------------------------------------------------------- gathered from a store

HK = ZoneInfo("Asia/Hong_Kong")
QUARTER = (datetime(2026, 1, 1, tzinfo=HK), datetime(2026, 4, 1, tzinfo=HK))


def _filled(store: rsq.Store) -> None:
    """Two stores' hotline calls in Q4 2025 and Q1 2026: S1 slow in Q1 (was fast), S2 fast in
    both; complaints with root causes; an answer-time pledge."""
    calls = []
    for quarter, first in enumerate((datetime(2025, 10, 1, 9, tzinfo=HK), QUARTER[0])):
        for n in range(300):
            shop = "S1" if n % 2 else "S2"
            slow = shop == "S1" and quarter == 1 and n % 3 != 0
            calls.append(
                rsq.ServiceInteraction(
                    id=f"C-{quarter}-{n}", store_id=shop, channel="hotline",
                    occurred_at=first + timedelta(hours=5 * n),
                    queue_time=timedelta(seconds=45 if slow else 8),
                    talk_time=timedelta(minutes=3),
                )
            )  # fmt: skip
    complaints = [
        analysed_complaint(
            f"CMP-{n}", at=QUARTER[0] + timedelta(days=n), channel="hotline",
            store_id="S1" if n % 4 else "S2",
            root_cause="slow_answer" if n % 5 else "rude_agent",
        )
        for n in range(20)
    ]  # fmt: skip
    pledge = rsq.ServicePledge.create(
        id="answer-20s", effective_from=datetime(2025, 1, 1, tzinfo=HK),
        wording="We answer 90% of hotline calls within 20 seconds.",
        standard=rsq.PledgeStandard("answer_time", within=timedelta(seconds=20)),
        target_share=0.9,
    )  # fmt: skip
    with store.unit_of_work() as uow:
        uow.interactions.add_many(calls)
        uow.complaints.add_many(complaints)
        uow.pledges.add(pledge)
        uow.commit()


SL = rsq.PerformanceCriterion(
    id="sl-hotline", indicator_id="service_level", target=0.8, amber_threshold=0.7,
    effective_from=datetime(2025, 1, 1, tzinfo=HK), standard=rsq.StandardReference("SQ-01"),
)  # fmt: skip
ASA = rsq.PerformanceCriterion(
    id="asa-hotline", indicator_id="asa", direction="lower", target=20.0, amber_threshold=30.0,
    effective_from=datetime(2025, 1, 1, tzinfo=HK),
    standard=rsq.StandardReference("SQ-01", version="2"),
)  # fmt: skip


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_gathering_computes_every_input_of_the_scope_on_both_stores(kind: str) -> None:
    store: rsq.Store = rsq.InMemoryStore() if kind == "memory" else rsq.SQLiteStore(":memory:")
    _filled(store)
    cycle = rsq.ReviewCycle.plan(
        id="Q1", start=QUARTER[0], end=QUARTER[1], scope=rsq.ReviewScope(store_ids=["S1"])
    )
    inputs = rsq.gather_review_inputs(
        store, cycle, now=QUARTER[1], criteria=[ASA, SL], timezone="Asia/Hong_Kong"
    )
    found = {item.id: item for item in inputs}
    assert list(found) == [
        "criterion:asa-hotline:store=S1",
        "criterion:sl-hotline:store=S1",
        "standard_gap:asa:store=S1",
        "standard_gap:service_level:store=S1",
        "pledge_gap:answer-20s:store=S1",
        "change:service_level S1",  # ASA covers every call: no sample to test a change on
        "complaint_cause:slow_answer:store=S1",
        "complaint_cause:rude_agent:store=S1",
    ]
    change = found["change:service_level S1"]
    assert change.value == pytest.approx(50 / 150)
    assert (change.reference, change.needs_decision) == (1.0, True)
    criterion = found["criterion:asa-hotline:store=S1"]
    # 150 calls: 100 waited 45 s, 50 waited 8 s.
    assert criterion.value == pytest.approx((100 * 45 + 50 * 8) / 150)
    assert (criterion.n, criterion.needs_decision) == (150, True)
    pledge = found["pledge_gap:answer-20s:store=S1"]
    assert pledge.value == pytest.approx(50 / 150)
    assert (pledge.n, pledge.needs_decision) == (150, True)
    slow = found["complaint_cause:slow_answer:store=S1"]
    assert (slow.n, slow.needs_decision) == (15, True)  # S1 has the 15 complaints n % 4 != 0
    # A cycle over every store gathers both, and S2 is fast: no decision needed for it.
    everywhere = rsq.gather_review_inputs(
        store, attrs_evolve_scope(cycle), now=QUARTER[1], criteria=[ASA], timezone="Asia/Hong_Kong"
    )
    s2 = [item for item in everywhere if item.store_id == "S2" and item.kind.value == "criterion"]
    assert [(item.id, item.needs_decision) for item in s2] == [
        ("criterion:asa-hotline:store=S2", False)
    ]
    store.close()


def attrs_evolve_scope(cycle: rsq.ReviewCycle) -> rsq.ReviewCycle:
    return rsq.ReviewCycle.plan(id=cycle.id, start=cycle.start, end=cycle.end)


def test_both_stores_gather_the_same_inputs() -> None:
    gathered = []
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        _filled(store)
        cycle = rsq.ReviewCycle.plan(id="Q1", start=QUARTER[0], end=QUARTER[1])
        gathered.append(
            rsq.gather_review_inputs(
                store, cycle, now=QUARTER[1], criteria=[ASA], timezone="Asia/Hong_Kong"
            )
        )
        store.close()
    assert gathered[0] == gathered[1]
    assert len(gathered[0]) > 6


def test_an_action_whose_indicator_is_unknown_still_lets_the_review_gather() -> None:
    store = rsq.InMemoryStore()
    _filled(store)
    at = QUARTER[0] + timedelta(days=1)
    typo = rsq.ImprovementAction(
        id="TYPO", type="corrective", title="Second agent", owner="hotline_lead",
        raised_at=at, due=date(2026, 1, 30),
        target=rsq.ActionTarget("service_levle", store_ids=["S1"]),
    )  # fmt: skip
    rsq.raise_action(store, typo)
    rsq.move_action(store, "TYPO", "start", at=at)
    rsq.move_action(store, "TYPO", "complete", at=at)
    cycle = rsq.ReviewCycle.plan(id="Q1", start=QUARTER[0], end=QUARTER[1])
    [followed] = [
        item
        for item in rsq.gather_review_inputs(store, cycle, now=QUARTER[1], criteria=[ASA])
        if item.kind is rsq.ReviewInputKind.ACTION
    ]
    assert followed.needs_decision
    assert "its effect cannot be tested: $.action.target.indicator_id" in followed.summary
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.stored_action_effect(store, "TYPO", before=(QUARTER[0], at), after=(at, QUARTER[1]))
    assert [p.path for p in caught.value.problems] == ["$.action.target.indicator_id"]


def test_gathering_names_every_bad_argument() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.gather_review_inputs(
            "store",
            "Q1",  # type: ignore[arg-type]
            now=datetime(2026, 4, 1),
            criteria=[ASA, "asa"],  # type: ignore[list-item]
            group_by=["store", "month"],
            levels="all",  # type: ignore[arg-type]
            timezone="Bad/Zone",
            business_units={"S1": 3},  # type: ignore[dict-item]
            confidence=2,
        )
    assert [p.path for p in caught.value.problems] == [
        "$.target", "$.cycle", "$.now", "$.criteria[1]", "$.group_by", "$.levels",
        "$.timezone", "$.business_units.S1", "$.confidence",
    ]  # fmt: skip


# ---------------------------------------------------------------- a full cycle, end to end


def _second_quarter(store: rsq.Store) -> None:
    """Q2 2026: S1 answers fast again, S2 as before."""
    first = datetime(2026, 4, 1, 9, tzinfo=HK)
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            rsq.ServiceInteraction(
                id=f"C-2-{n}", store_id="S1" if n % 2 else "S2", channel="hotline",
                occurred_at=first + timedelta(hours=5 * n), queue_time=timedelta(seconds=8),
                talk_time=timedelta(minutes=3),
            )
            for n in range(300)
        )  # fmt: skip
        uow.commit()


def _decide_everything(store: rsq.Store, cycle_id: str, at: datetime, **fields: object) -> None:
    with store.unit_of_work(read_only=True) as uow:
        open_ids = [item.id for item in uow.reviews.get(cycle_id).unaddressed]
    assert open_ids
    rsq.decide_review(
        store, cycle_id,
        rsq.ReviewDecision(
            id=f"{cycle_id}-D1", input_ids=open_ids, decided_at=at,
            decided_by="customer_service_manager", **fields,  # type: ignore[arg-type]
        ),
    )  # fmt: skip


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_full_review_cycle_from_findings_to_actions_to_the_next_cycles_verdict(
    kind: str, tmp_path: Path
) -> None:
    store: rsq.Store = (
        rsq.InMemoryStore() if kind == "memory" else rsq.SQLiteStore(tmp_path / "reviews.db")
    )
    _filled(store)
    q1_end = QUARTER[1]
    # Plan, check: Causeway Bay's answer times are red, and its service level fell.
    rsq.plan_review(
        store, rsq.ReviewCycle.plan(id="Q1", start=QUARTER[0], end=q1_end,
                                    scope=rsq.ReviewScope(store_ids=["S1"]))
    )  # fmt: skip
    q1 = rsq.gather_review(store, "Q1", now=q1_end, criteria=[ASA, SL], timezone="Asia/Hong_Kong")
    assert "criterion:sl-hotline:store=S1" in [item.id for item in q1.unaddressed]
    with pytest.raises(rsq.InvalidTransitionError, match="criterion:asa-hotline:store=S1"):
        rsq.close_review(store, "Q1", at=q1_end)
    # Act: one decision on every finding, raising a corrective action on the service level.
    at = q1_end + timedelta(days=7)
    rsq.raise_action(
        store,
        rsq.ImprovementAction(
            id="ACT-1", type="corrective", title="Second agent at lunchtime",
            owner="hotline_lead", raised_at=at, due=date(2026, 4, 30),
            finding=rsq.FindingRef("review", "Q1"),
            target=rsq.ActionTarget("service_level", store_ids=["S1"]),
        ),
    )  # fmt: skip
    _decide_everything(
        store, "Q1", at, output="improvement", text="Second agent at lunchtime.",
        action_ids=["ACT-1"],
    )  # fmt: skip
    assert rsq.close_review(store, "Q1", at=at).status is rsq.ReviewStatus.CLOSED
    rsq.move_action(store, "ACT-1", "start", at=at)
    rsq.move_action(store, "ACT-1", "complete", at=at + timedelta(days=10))
    # The next cycle follows the action up and tests it on its indicator.
    _second_quarter(store)
    q2_end = datetime(2026, 7, 1, tzinfo=HK)
    rsq.plan_review(
        store, rsq.ReviewCycle.plan(id="Q2", start=q1_end, end=q2_end, previous_id="Q1",
                                    scope=rsq.ReviewScope(store_ids=["S1"]))
    )  # fmt: skip
    q2 = rsq.gather_review(store, "Q2", now=q2_end, criteria=[ASA, SL], timezone="Asia/Hong_Kong")
    followed = {item.id: item for item in q2.inputs}["action:ACT-1"]
    assert followed.needs_decision
    assert followed.summary.endswith("done; service_level 0.3333 before, 1 after: worked")
    assert followed.reference == pytest.approx(50 / 150)
    assert followed.value == 1.0
    assert followed.p_value is not None
    assert followed.p_value < 0.001
    # The review records that it worked, and the action is verified.
    rsq.move_action(store, "ACT-1", "verify_effective", at=q2_end)
    _decide_everything(
        store, "Q2", q2_end, output="no_action",
        text="The lunchtime agent worked: keep it in the rota.",
    )  # fmt: skip
    closed = rsq.close_review(store, "Q2", at=q2_end)
    assert closed.status is rsq.ReviewStatus.CLOSED
    with store.unit_of_work(read_only=True) as uow:
        assert uow.actions.get("ACT-1").status is rsq.ActionStatus.EFFECTIVE
        assert [c.id for c in uow.reviews.query(status="closed")] == ["Q1", "Q2"]
    store.close()


def test_a_cycles_record_is_plain_and_writes_as_json() -> None:
    cycle = _cycle().with_inputs([_input("a"), _input("b", needs=False)], at=AT)
    cycle = cycle.decide(_decision("D1", "a"))
    [row] = rsq.to_records([cycle])
    assert (row["input_count"], row["decision_count"], row["unaddressed_count"]) == (2, 1, 0)
    assert "addressed" not in row
    assert "unaddressed" not in row
    assert all(isinstance(v, str | int | float | bool | datetime | None) for v in row.values())
    assert rsq.to_json(rsq.to_records([cycle])).startswith("[")


def test_no_step_of_a_review_is_taken_before_its_period_starts() -> None:
    early = Q1[0] - timedelta(microseconds=1)
    with pytest.raises(rsq.ValidationError) as caught:
        _cycle().with_inputs([_input("a")], at=early)
    assert [p.path for p in caught.value.problems] == ["$.at"]
    cycle = _cycle().with_inputs([_input("a", needs=False)], at=Q1[0])
    with pytest.raises(rsq.ValidationError) as caught:
        cycle.decide(rsq.ReviewDecision(
            id="D1", input_ids=["a"], output="no_action", text="On target.",
            decided_at=early, decided_by="service_manager",
        ))  # fmt: skip
    assert [p.path for p in caught.value.problems] == ["$.decided_at"]
    with pytest.raises(rsq.ValidationError) as caught:
        cycle.close(at=early)
    assert [p.path for p in caught.value.problems] == ["$.at"]
    assert cycle.close(at=Q1[0]).closed_at == Q1[0]  # the first instant is in the period


def test_an_action_is_not_due_before_the_day_it_was_raised() -> None:
    raised = datetime(2026, 4, 8, 9, tzinfo=HK)
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.ImprovementAction(
            id="A", type="corrective", title="Retrain", owner="store_manager",
            raised_at=raised, due=date(2026, 4, 6),
        )  # fmt: skip
    assert [p.path for p in caught.value.problems] == ["$.due"]
    for due in (date(2026, 4, 7), date(2026, 4, 8)):  # a day's grace for the zones
        rsq.ImprovementAction(
            id="A", type="corrective", title="Retrain", owner="store_manager",
            raised_at=raised, due=due,
        )  # fmt: skip


def test_an_action_done_after_the_period_is_left_for_the_next_review() -> None:
    store = rsq.InMemoryStore()
    _filled(store)
    late = QUARTER[1] + timedelta(days=1)
    rsq.raise_action(
        store,
        rsq.ImprovementAction(
            id="LATE", type="corrective", title="Second agent", owner="hotline_lead",
            raised_at=QUARTER[0], due=date(2026, 4, 30),
            target=rsq.ActionTarget("service_level", store_ids=["S1"]),
        ),
    )  # fmt: skip
    rsq.move_action(store, "LATE", "start", at=QUARTER[0])
    rsq.move_action(store, "LATE", "complete", at=late)
    cycle = rsq.ReviewCycle.plan(id="Q1", start=QUARTER[0], end=QUARTER[1])
    [followed] = [
        item
        for item in rsq.gather_review_inputs(store, cycle, now=late, criteria=[ASA])
        if item.kind is rsq.ReviewInputKind.ACTION
    ]
    assert followed.summary.endswith("done after the period reviewed: tested at the next review")
    assert not followed.needs_decision
