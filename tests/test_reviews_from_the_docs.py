"""Review cycles, controlled documents, actions, training and awards, tested from the docs.

Each test checks a promise of the guides (reviews, standards and procedures, improvement
actions, training, awards, storage) or of the docstrings of the modules they render, on both
adapters where a store is involved, against hand computations or statsmodels and scipy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from scipy import stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from retail_service_quality import (
    ActionTarget,
    Attendance,
    AwardScheme,
    ControlledDocument,
    DocumentRef,
    Escalation,
    ImprovementAction,
    IndicatorValue,
    InMemoryStore,
    PerformanceCriterion,
    Procedure,
    ProcedureTrigger,
    ReviewCycle,
    ReviewDecision,
    ReviewInput,
    ReviewScope,
    RoleDuties,
    RoleRequirement,
    ServiceInteraction,
    SQLiteStore,
    StaffCompetence,
    StandardReference,
    SurveyResponse,
    TieBreak,
    TrainingProgramme,
    TrainingSession,
    action_effect,
    action_reminder_rules,
    action_reminders,
    award_ranking,
    award_requirement,
    close_review,
    csat_instrument,
    decide_review,
    did_nps,
    did_proportions,
    did_ratings,
    evaluate_criteria,
    from_json,
    gather_review,
    gather_review_inputs,
    json_schema,
    levels_after_training,
    move_action,
    plan_review,
    raise_action,
    rank_candidates,
    record_survey_response,
    review_inputs,
    shrunken_shares,
    stored_action_effect,
    to_json,
    trained_staff,
    training_needs,
)
from retail_service_quality.errors import (
    ConflictError,
    InsufficientDataError,
    InvalidTransitionError,
    RSQError,
    ValidationError,
)
from retail_service_quality.rules import RuleSet, ge

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
FIRST_INSTANT = datetime(1, 1, 2, tzinfo=UTC)
LAST_INSTANT = datetime(9999, 12, 29, 23, 59, tzinfo=UTC)
PERSONAL = "Chan Tai Man of Flat 3B phoned twice"


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Each adapter, empty."""
    if request.param == "memory":
        yield InMemoryStore()
    else:
        sqlite = SQLiteStore(tmp_path / "reviews.sqlite")
        try:
            yield sqlite
        finally:
            sqlite.close()


def number_in_force(document: ControlledDocument, at: datetime) -> int:
    """The number of the version in force at ``at``, 0 when none is."""
    found = document.in_force(at)
    return 0 if found is None else found.number


def paths(error: ValidationError) -> set[str]:
    """The paths a validation error names."""
    return {problem.path for problem in error.problems}


# ---------------------------------------------------------------- controlled documents


def duties_document(instants: list[datetime], doc_id: str = "ROLE-AGENT") -> ControlledDocument:
    """A role's duties with one version taking effect at each instant, in order."""
    document = ControlledDocument.create(
        id=doc_id,
        title="Hotline agent",
        effective_from=instants[0],
        content=RoleDuties(role="hotline_agent", duties=["duty 1"]),
    )
    for number, instant in enumerate(instants[1:], start=2):
        document = document.revise(
            effective_from=instant,
            reason=f"revision {number}",
            author_role="quality_manager",
            because=("action", f"ACT-{number}"),
            duties=[f"duty {number}"],
        )
    return document


@settings(max_examples=40)
@given(
    offsets=st.lists(
        st.integers(min_value=0, max_value=10**9), min_size=1, max_size=5, unique=True
    ).map(sorted),
    probe=st.integers(min_value=-(10**8), max_value=11 * 10**8),
    zone=st.sampled_from([UTC, LONDON, KOLKATA, ADELAIDE]),
)
def test_the_version_in_force_is_the_last_one_taking_effect_at_or_before_the_instant(
    offsets: list[int], probe: int, zone: Any
) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [(base + timedelta(seconds=o)).astimezone(zone) for o in offsets]
    document = duties_document(instants)
    at = base + timedelta(seconds=probe)
    expected = sum(1 for o in offsets if o <= probe)
    for shown in (at, at.astimezone(LONDON), at.astimezone(KOLKATA), at.astimezone(ADELAIDE)):
        found = document.in_force(shown)
        assert (found.number if found else 0) == expected
        if expected:
            assert document.ref(shown) == DocumentRef("ROLE-AGENT", expected)
            assert document.version_in_force(shown).number == expected
        else:
            with pytest.raises(RSQError):
                document.version_in_force(shown)


def test_london_repeated_hour_is_compared_as_instants() -> None:
    first = datetime(2026, 1, 1, tzinfo=LONDON)
    # the second 01:30 (GMT, 01:30 UTC)
    second_pass = duties_document([first, datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)])
    assert number_in_force(second_pass, datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)) == 1
    assert number_in_force(second_pass, datetime(2026, 10, 25, 1, 29, fold=1, tzinfo=LONDON)) == 1
    assert number_in_force(second_pass, datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)) == 2
    # the first 01:30 (BST, 00:30 UTC): a later wall clock in the second pass is still after it
    first_pass = duties_document([first, datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)])
    assert number_in_force(first_pass, datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON)) == 2
    assert number_in_force(first_pass, datetime(2026, 10, 25, 0, 29, 59, tzinfo=UTC)) == 1
    history = first_pass.history()
    until = history[0].effective_until
    assert until is not None
    # compared as instants: Python never finds a time in a repeated hour equal to another zone's
    assert until.timestamp() == datetime(2026, 10, 25, 0, 30, tzinfo=UTC).timestamp()


def test_a_skipped_london_wall_time_is_refused_whatever_the_question() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    document = duties_document([datetime(2026, 1, 1, tzinfo=LONDON)])
    for ask in (document.in_force, document.version_in_force, document.ref):
        with pytest.raises(ValidationError):
            ask(skipped)
    with pytest.raises(ValidationError):
        duties_document([datetime(2026, 1, 1, tzinfo=LONDON), skipped])
    with pytest.raises(ValidationError):
        document.withdraw(at=skipped)
    with pytest.raises(ValidationError):
        document.in_force(datetime(2026, 6, 1))  # naive


def test_kolkata_midnight_switches_versions_at_1830_utc() -> None:
    document = duties_document(
        [datetime(2026, 1, 1, tzinfo=KOLKATA), datetime(2026, 6, 1, tzinfo=KOLKATA)]
    )
    assert number_in_force(document, datetime(2026, 5, 31, 18, 29, 59, tzinfo=UTC)) == 1
    assert number_in_force(document, datetime(2026, 5, 31, 18, 30, tzinfo=UTC)) == 2
    assert document.in_force(datetime(2025, 12, 31, 18, 29, tzinfo=UTC)) is None


def test_versions_at_the_ends_of_the_supported_range() -> None:
    document = duties_document([FIRST_INSTANT, LAST_INSTANT])
    assert number_in_force(document, FIRST_INSTANT) == 1
    # Kolkata kept its local mean time (+05:53:28) in year 1
    assert number_in_force(document, datetime(1, 1, 2, 6, tzinfo=KOLKATA)) == 1
    assert number_in_force(document, LAST_INSTANT.astimezone(ADELAIDE)) == 2
    assert number_in_force(document, LAST_INSTANT - timedelta(microseconds=1)) == 1
    for outside in (datetime(1, 1, 1, 12, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)):
        with pytest.raises(ValidationError):
            document.in_force(outside)
    assert from_json(to_json(document), ControlledDocument) == document


def test_withdrawal_ends_every_version_at_its_instant() -> None:
    document = duties_document([datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)])
    ended = document.withdraw(at=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON))
    assert number_in_force(ended, datetime(2026, 10, 25, 1, 29, 59, tzinfo=UTC)) == 2
    assert ended.in_force(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) is None
    until = ended.history()[1].effective_until
    assert until is not None
    assert until.timestamp() == datetime(2026, 10, 25, 1, 30, tzinfo=UTC).timestamp()
    with pytest.raises(RSQError):
        ended.revise(
            effective_from=datetime(2027, 1, 1, tzinfo=UTC),
            reason="too late",
            author_role="quality_manager",
            duties=["duty 9"],
        )


def test_a_revision_must_change_something_and_come_after_the_current_version() -> None:
    document = duties_document([datetime(2026, 3, 1, tzinfo=UTC)])
    with pytest.raises(ValidationError):
        document.revise(
            effective_from=datetime(2026, 4, 1, tzinfo=UTC),
            reason="nothing",
            author_role="quality_manager",
            duties=["duty 1"],
        )
    with pytest.raises(ValidationError):
        document.revise(
            effective_from=datetime(2026, 2, 1, tzinfo=UTC),
            reason="backdated",
            author_role="quality_manager",
            duties=["duty 2"],
        )
    revised = document.revise(
        effective_from=datetime(2026, 4, 1, tzinfo=UTC),
        reason="new title",
        author_role="quality_manager",
        title="Senior hotline agent",
    )
    assert revised.changed_fields(2) == ("title",)
    assert revised.resolve(DocumentRef("ROLE-AGENT", 1)).title == "Hotline agent"


def test_documents_in_a_store_query_resolve_and_refuse_stale_saves(store: Any) -> None:
    start = datetime(2026, 1, 1, tzinfo=KOLKATA)
    with store.unit_of_work() as uow:
        uow.documents.add(duties_document([start], "ROLE-A"))
        uow.documents.add(duties_document([start + timedelta(days=30)], "ROLE-B"))
        uow.commit()
    with store.unit_of_work() as uow:
        first = uow.documents.get("ROLE-A")
    with store.unit_of_work() as uow:
        second = uow.documents.get("ROLE-A")
    with store.unit_of_work() as uow:
        uow.documents.save(
            first.revise(
                effective_from=start + timedelta(days=60),
                reason="r",
                author_role="quality_manager",
                duties=["duty 2"],
            )
        )
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(ConflictError):
        uow.documents.save(second.withdraw(at=start + timedelta(days=90)))
    with store.unit_of_work(read_only=True) as uow:
        at_b = start + timedelta(days=30)
        assert [d.id for d in uow.documents.query(in_force_at=at_b)] == ["ROLE-A", "ROLE-B"]
        assert uow.documents.count(in_force_at=at_b - timedelta(microseconds=1)) == 1
        assert uow.documents.count(kind="role_duties") == 2
        assert uow.documents.resolve(DocumentRef("ROLE-A", 2)).content.duties == ("duty 2",)
        with pytest.raises(RSQError):
            uow.documents.resolve(DocumentRef("ROLE-A", 3))


def test_document_json_is_valid_against_its_schema() -> None:
    document = duties_document(
        [datetime(2026, 1, 1, tzinfo=LONDON), datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)]
    )
    schema = json_schema(ControlledDocument)
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(json.loads(to_json(document)))
    assert from_json(to_json(document), ControlledDocument) == document


# ---------------------------------------------------------------- review cycles

Q1 = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))


def an_input(number: int, needs: bool) -> ReviewInput:
    return ReviewInput(
        id=f"criterion:c{number}:store=S{number}",
        kind="criterion",
        subject=f"c{number}",
        summary=f"c{number}: {'red' if needs else 'green'}",
        needs_decision=needs,
        store_id=f"S{number}",
    )


@settings(max_examples=40)
@given(
    needs=st.lists(st.booleans(), min_size=1, max_size=6),
    addressed=st.sets(st.integers(min_value=0, max_value=5)),
)
def test_a_cycle_closes_only_when_every_input_needing_a_decision_has_one(
    needs: list[bool], addressed: set[int]
) -> None:
    at = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    inputs = [an_input(i, flag) for i, flag in enumerate(needs)]
    cycle = ReviewCycle.plan(id="Q1", start=Q1[0], end=Q1[1]).with_inputs(inputs, at=at)
    chosen = sorted(i for i in addressed if i < len(inputs))
    if chosen:
        cycle = cycle.decide(
            ReviewDecision(
                id="D1",
                input_ids=[inputs[i].id for i in chosen],
                output="improvement",
                text="Rota change.",
                decided_at=at,
                decided_by="customer_service_manager",
            )
        )
    missing = [inputs[i].id for i, flag in enumerate(needs) if flag and i not in chosen]
    assert [item.id for item in cycle.unaddressed] == missing
    if missing:
        with pytest.raises(InvalidTransitionError) as raised:
            cycle.close(at=at)
        for input_id in missing:
            assert input_id in str(raised.value)
        for i in chosen:
            assert inputs[i].id not in str(raised.value)
    else:
        closed = cycle.close(at=at)
        assert closed.status.value == "closed"
        assert closed.closed_at == at
        with pytest.raises(InvalidTransitionError):
            closed.with_inputs(inputs, at=at)


def test_a_planned_cycle_cannot_close_and_a_closed_one_takes_no_decision() -> None:
    at = datetime(2026, 4, 8, tzinfo=KOLKATA)
    planned = ReviewCycle.plan(id="Q1", start=Q1[0], end=Q1[1])
    with pytest.raises(InvalidTransitionError):
        planned.close(at=at)
    closed = planned.with_inputs([an_input(0, False)], at=at).close(at=at)
    with pytest.raises(InvalidTransitionError):
        closed.decide(
            ReviewDecision(
                id="D9",
                input_ids=[an_input(0, False).id],
                output="no_action",
                text="Nothing to do.",
                decided_at=at,
                decided_by="customer_service_manager",
            )
        )


def test_a_review_period_must_be_ordered_and_aware_with_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as raised:
        ReviewCycle.plan(
            id="Q1", start=datetime(2026, 4, 1), end=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
        )
    assert {"$.start", "$.end"} <= paths(raised.value)


def test_stored_cycle_steps_and_stale_saves(store: Any) -> None:
    at = datetime(2026, 4, 8, 15, tzinfo=KOLKATA)
    cycle = ReviewCycle.plan(
        id="Q1",
        start=datetime(2026, 1, 1, tzinfo=KOLKATA),
        end=datetime(2026, 4, 1, tzinfo=KOLKATA),
    )
    plan_review(store, cycle)
    with store.unit_of_work() as uow:
        read = uow.reviews.get("Q1")
        uow.reviews.save(read.with_inputs([an_input(1, True), an_input(2, False)], at=at))
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(ConflictError):
        uow.reviews.save(read.with_inputs([an_input(3, True)], at=at))
    decision = ReviewDecision(
        id="D1",
        input_ids=["criterion:c9:store=S9"],
        output="no_action",
        text="n/a",
        decided_at=at,
        decided_by="customer_service_manager",
    )
    with pytest.raises(ValidationError):
        decide_review(store, "Q1", decision)
    with pytest.raises(InvalidTransitionError) as raised:
        close_review(store, "Q1", at=at)
    assert "criterion:c1:store=S1" in str(raised.value)
    decide_review(store, "Q1", attrs.evolve(decision, input_ids=["criterion:c1:store=S1"]))
    closed = close_review(store, "Q1", at=at)
    assert closed.status.value == "closed"
    with store.unit_of_work(read_only=True) as uow:
        stored = uow.reviews.get("Q1")
        # the period covers its start (midnight in Kolkata is 18:30 UTC the day before)
        covering = [
            c.id for c in uow.reviews.query(covering=datetime(2025, 12, 31, 18, 30, tzinfo=UTC))
        ]
        before = uow.reviews.count(covering=datetime(2025, 12, 31, 18, 29, 59, tzinfo=UTC))
        at_end = uow.reviews.count(covering=datetime(2026, 3, 31, 18, 30, tzinfo=UTC))
    assert stored == closed
    assert (covering, before, at_end) == (["Q1"], 0, 0)
    schema = json_schema(ReviewCycle)
    Draft202012Validator(schema).validate(json.loads(to_json(stored)))
    assert from_json(to_json(stored), ReviewCycle) == stored


def test_gathered_inputs_match_a_hand_count_across_the_repeated_london_hour(store: Any) -> None:
    start = datetime(2026, 10, 1, tzinfo=LONDON)
    end = datetime(2026, 11, 1, tzinfo=LONDON)
    calls: list[ServiceInteraction] = []
    queue: dict[str, list[int]] = {"LDN-A": [], "LDN-B": []}
    moments = [
        start,  # the first instant: in
        datetime(2026, 10, 25, 1, 15, tzinfo=LONDON),  # first 01:15 (BST)
        datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON),  # second 01:15 (GMT)
        end - timedelta(microseconds=1),  # the last instant: in
        *(datetime(2026, 10, 10, 9, tzinfo=LONDON) + timedelta(minutes=m) for m in range(30)),
    ]
    for store_id, seconds in (
        ("LDN-A", [40, 25, 31, 50, *range(20, 50)]),
        ("LDN-B", [5, 12, 8, 14, *range(30)]),
    ):
        for number, (moment, wait) in enumerate(zip(moments, seconds, strict=True)):
            calls.append(
                ServiceInteraction(
                    id=f"{store_id}-{number}",
                    store_id=store_id,
                    channel="hotline",
                    occurred_at=moment,
                    queue_time=timedelta(seconds=wait),
                    talk_time=timedelta(minutes=3),
                )
            )
            queue[store_id].append(wait)
        # the end itself is left out, and so is the instant before the start
        for number, moment in ((98, end), (99, start - timedelta(microseconds=1))):
            calls.append(
                ServiceInteraction(
                    id=f"{store_id}-{number}",
                    store_id=store_id,
                    channel="hotline",
                    occurred_at=moment,
                    queue_time=timedelta(seconds=900),
                    talk_time=timedelta(minutes=3),
                )
            )
    with store.unit_of_work() as uow:
        uow.interactions.add_many(calls)
        uow.commit()
    asa = PerformanceCriterion(
        id="asa-hotline",
        indicator_id="asa",
        direction="lower",
        target=20.0,
        amber_threshold=30.0,
        effective_from=datetime(2026, 1, 1, tzinfo=LONDON),
        standard=StandardReference("SQ-2026"),
    )
    cycle = ReviewCycle.plan(
        id="Oct", start=start, end=end, scope=ReviewScope(standards=["SQ-2026"])
    )
    inputs = gather_review_inputs(store, cycle, now=end, criteria=[asa], timezone="Europe/London")
    criteria = {item.store_id: item for item in inputs if item.kind.value == "criterion"}
    assert set(criteria) == {"LDN-A", "LDN-B"}
    for store_id, waits in queue.items():
        assert criteria[store_id].n == len(waits)
        assert criteria[store_id].value == pytest.approx(sum(waits) / len(waits))
    assert criteria["LDN-A"].needs_decision  # about 35 s: red
    assert not criteria["LDN-B"].needs_decision  # about 14 s: green
    assert criteria["LDN-A"].id == "criterion:asa-hotline:store=LDN-A"


def test_review_inputs_refuse_a_group_given_twice() -> None:
    values = [
        IndicatorValue(
            indicator_id="asa", store_id="S1", value=45.0, n=100, unit="seconds", direction="lower"
        ),
    ]
    asa = PerformanceCriterion(
        id="asa-hotline",
        indicator_id="asa",
        direction="lower",
        target=20.0,
        amber_threshold=30.0,
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        standard=StandardReference("SQ-2026"),
    )
    results = evaluate_criteria([asa], values, at=datetime(2026, 2, 1, tzinfo=UTC))
    with pytest.raises(ValidationError):
        review_inputs(criteria=[*results, *results])


# ---------------------------------------------------------------- improvement actions

TABLE = {
    "start": ({"open"}, "in_progress"),
    "complete": ({"in_progress"}, "done"),
    "verify_effective": ({"done"}, "effective"),
    "verify_ineffective": ({"done"}, "ineffective"),
    "cancel": ({"open", "in_progress"}, "cancelled"),
}


def an_action(
    action_id: str = "CA-1", due: date = date(2026, 10, 16), **changes: Any
) -> ImprovementAction:
    fields: dict[str, Any] = {
        "id": action_id,
        "type": "corrective",
        "title": "Add an agent at the lunch peak",
        "owner": "hotline_lead",
        "raised_at": datetime(2026, 3, 1, 9, tzinfo=UTC),
        "due": due,
        "description": PERSONAL,
        "target": ActionTarget("service_level", store_ids=["S1"]),
    }
    fields.update(changes)
    return ImprovementAction(**fields)


@given(moves=st.lists(st.sampled_from(sorted(TABLE)), max_size=8))
def test_any_sequence_of_moves_follows_the_state_table(moves: list[str]) -> None:
    action = an_action()
    status = "open"
    made: list[str] = []
    for number, move in enumerate(moves):
        # hour by hour across the skipped London hour, as instants shown in London
        at = (datetime(2026, 3, 29, 0, 30, tzinfo=UTC) + timedelta(hours=number)).astimezone(LONDON)
        allowed = {name for name, (sources, _) in TABLE.items() if status in sources}
        assert set(action.allowed_moves) == allowed
        if move in allowed:
            action = action.move(move, at=at)
            status = TABLE[move][1]
            made.append(move)
        else:
            with pytest.raises(InvalidTransitionError) as raised:
                action.move(move, at=at)
            assert move in str(raised.value)
            assert status.replace("_", " ") in str(raised.value) or status in str(raised.value)
        assert action.status.value == status
    assert [step.move.value for step in action.history] == made
    assert (action.completed_at is not None) == ("complete" in made)
    assert (action.closed_at is not None) == (status in {"effective", "ineffective", "cancelled"})
    assert from_json(to_json(action), ImprovementAction) == action


def test_a_history_the_table_does_not_allow_is_refused() -> None:
    with pytest.raises(ValidationError):
        an_action(status="done")
    started = an_action().start(at=datetime(2026, 3, 2, tzinfo=UTC))
    with pytest.raises(ValidationError):
        started.complete(at=datetime(2026, 3, 1, 23, tzinfo=UTC))  # before the start


@settings(max_examples=60)
@given(
    hours=st.integers(min_value=0, max_value=24 * 40),
    zone=st.sampled_from(["Europe/London", "Asia/Kolkata", "Australia/Adelaide", "Asia/Hong_Kong"]),
    due=st.sampled_from([date(2026, 3, 29), date(2026, 4, 5), date(2026, 10, 25)]),
)
def test_reminders_come_on_the_right_local_days(hours: int, zone: str, due: date) -> None:
    at = datetime.combine(due - timedelta(days=20), datetime.min.time(), UTC) + timedelta(
        hours=hours, minutes=7
    )
    action = an_action(due=due)
    reminders = action_reminders([action], at=at, timezone=zone)
    left = (due - at.astimezone(ZoneInfo(zone)).date()).days
    expected = {7: "due_in_7_days", 1: "due_in_1_day", 0: "due_today"}.get(left)
    if left < 0:
        expected = "overdue"
    assert [r.level for r in reminders] == ([expected] if expected else [])
    for reminder in reminders:
        assert reminder.days_left == left
        assert reminder.notify == ("hotline_lead",)
        assert reminder.escalate_to == (("quality_manager",) if left < 0 else ())
    done = action.start(at=action.raised_at).complete(at=action.raised_at + timedelta(hours=1))
    assert list(action_reminders([done], at=at, timezone=zone)) == []


def test_seven_days_before_in_kolkata_is_a_local_date() -> None:
    action = an_action(due=date(2026, 10, 16))
    # 18:29 UTC on the 8th is 23:59 in Kolkata (8 days left); 18:30 UTC is the 9th there
    early = action_reminders(
        [action], at=datetime(2026, 10, 8, 18, 29, tzinfo=UTC), timezone="Asia/Kolkata"
    )
    late = action_reminders(
        [action], at=datetime(2026, 10, 8, 18, 30, tzinfo=UTC), timezone="Asia/Kolkata"
    )
    assert [r.level for r in early] == []
    assert [(r.level, r.today) for r in late] == [("due_in_7_days", date(2026, 10, 9))]


def test_stored_actions_refuse_stale_moves_and_keep_the_description_private(store: Any) -> None:
    raise_action(store, an_action())
    at = datetime(2026, 3, 29, 3, tzinfo=LONDON)
    started = move_action(store, "CA-1", "start", at=at)
    assert started.version == 2
    with pytest.raises(ConflictError):
        move_action(store, "CA-1", "complete", at=at + timedelta(days=1), expected_version=1)
    with pytest.raises(InvalidTransitionError) as raised:
        move_action(store, "CA-1", "verify_effective", at=at + timedelta(days=1))
    assert PERSONAL not in str(raised.value)
    with store.unit_of_work() as uow:
        stale = uow.actions.get("CA-1")
    move_action(store, "CA-1", "complete", at=at + timedelta(days=2))
    with store.unit_of_work() as uow, pytest.raises(ConflictError) as conflict:
        uow.actions.save(stale.cancel(at=at + timedelta(days=3)))
    assert PERSONAL not in str(conflict.value)
    with store.unit_of_work(read_only=True) as uow:
        read = uow.actions.get("CA-1")
        assert [a.id for a in uow.actions.query(status="done", due_before=date(2026, 10, 17))] == [
            "CA-1"
        ]
        assert uow.actions.count(due_before=date(2026, 10, 16)) == 0
    assert read.description == PERSONAL
    assert read.status.value == "done"
    assert PERSONAL not in repr(read)
    assert PERSONAL not in json.dumps(read.to_records(), default=str)
    schema = json_schema(ImprovementAction)
    Draft202012Validator(schema).validate(json.loads(to_json(read)))


def test_a_bad_action_lists_every_problem_without_its_description() -> None:
    with pytest.raises(ValidationError) as raised:
        an_action(
            due="2026-13-40",  # type: ignore[arg-type]
            raised_at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON),
            type="magic",
        )
    assert {"$.due", "$.raised_at", "$.type"} <= paths(raised.value)
    assert PERSONAL not in str(raised.value)


# ---------------------------------------------------------------- differences-in-differences


def ols_hc0(cells: list[list[float]]) -> tuple[float, float]:
    """The acting:after coefficient and its HC0 standard error, cells in the order
    acting before, acting after, control before, control after."""
    y: list[float] = []
    rows: list[list[float]] = []
    for (acting, after), values in zip(((1, 0), (1, 1), (0, 0), (0, 1)), cells, strict=True):
        for value in values:
            y.append(value)
            rows.append([1.0, acting, after, acting * after])
    fit = sm.OLS(np.array(y), np.array(rows)).fit(cov_type="HC0")
    return float(fit.params[3]), float(fit.bse[3])


def check_did(result: Any, cells: list[list[float]]) -> None:
    estimate, error = ols_hc0(cells)
    assert result.estimate == pytest.approx(estimate, abs=1e-9)
    assert result.standard_error == pytest.approx(error, rel=1e-6, abs=1e-12)
    z = stats.norm.ppf(0.975)
    assert result.interval.low == pytest.approx(estimate - z * error, abs=1e-7)
    assert result.interval.high == pytest.approx(estimate + z * error, abs=1e-7)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(abs(estimate / error)), abs=1e-9)


share_cell = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@settings(max_examples=40)
@given(cells=st.lists(share_cell, min_size=4, max_size=4))
def test_did_proportions_is_the_ols_interaction_with_hc0(cells: list[tuple[int, int]]) -> None:
    kwargs: dict[str, Any] = dict(
        zip(
            ("acting_before", "acting_after", "control_before", "control_after"), cells, strict=True
        )
    )
    if all(x in (0, n) for x, n in cells):
        with pytest.raises(InsufficientDataError):
            did_proportions(**kwargs)
        return
    check_did(did_proportions(**kwargs), [[1.0] * x + [0.0] * (n - x) for x, n in cells])


rating_table = st.lists(st.integers(min_value=0, max_value=8), min_size=5, max_size=5).filter(
    lambda t: sum(t) > 0
)


@settings(max_examples=40)
@given(tables=st.lists(rating_table, min_size=4, max_size=4))
def test_did_ratings_is_the_ols_interaction_with_hc0(tables: list[list[int]]) -> None:
    kwargs: dict[str, Any] = dict(
        zip(
            ("acting_before", "acting_after", "control_before", "control_after"),
            tables,
            strict=True,
        )
    )
    cells = [[float(r + 1) for r, count in enumerate(t) for _ in range(count)] for t in tables]
    if all(len(set(c)) == 1 for c in cells):
        with pytest.raises(InsufficientDataError):
            did_ratings(**kwargs)
        return
    check_did(did_ratings(**kwargs), cells)


nps_cell = st.tuples(*[st.integers(min_value=0, max_value=12)] * 3).filter(lambda c: sum(c) > 0)


@settings(max_examples=40)
@given(cells=st.lists(nps_cell, min_size=4, max_size=4))
def test_did_nps_is_the_ols_interaction_with_hc0(cells: list[tuple[int, int, int]]) -> None:
    kwargs: dict[str, Any] = dict(
        zip(
            ("acting_before", "acting_after", "control_before", "control_after"), cells, strict=True
        )
    )
    values = [[100.0] * p + [0.0] * q + [-100.0] * d for p, q, d in cells]
    if all(len(set(v)) == 1 for v in values):
        with pytest.raises(InsufficientDataError):
            did_nps(**kwargs)
        return
    check_did(did_nps(**kwargs), values)


@settings(max_examples=40)
@given(before=share_cell, after=share_cell, scale=st.integers(min_value=1, max_value=20))
def test_before_after_of_a_share_is_the_z_test_or_fisher(
    before: tuple[int, int], after: tuple[int, int], scale: int
) -> None:
    before = (before[0] * scale, before[1] * scale)
    after = (after[0] * scale, after[1] * scale)

    def value(cell: tuple[int, int]) -> list[IndicatorValue]:
        return [
            IndicatorValue(
                indicator_id="service_level",
                store_id="S1",
                value=cell[0] / cell[1],
                n=cell[1],
                successes=cell[0],
            )
        ]

    effect = action_effect(an_action(), before=value(before), after=value(after))
    assert effect.did is None
    assert effect.control_units == ()
    assert effect.change == pytest.approx(after[0] / after[1] - before[0] / before[1])
    if before[0] + after[0] in (0, before[1] + after[1]):
        return  # nothing varies: no test to compare with
    if "z-test" in effect.test:
        _, expected = proportions_ztest([after[0], before[0]], [after[1], before[1]])
    else:
        assert "Fisher" in effect.test
        _, expected = stats.fisher_exact(
            [[after[0], after[1] - after[0]], [before[0], before[1] - before[0]]]
        )
    assert effect.p_value == pytest.approx(float(expected), rel=1e-6, abs=1e-12)


def test_before_after_of_ratings_is_mann_whitney() -> None:
    before_counts, after_counts = [3, 5, 9, 12, 8, 4, 2], [1, 2, 6, 10, 12, 9, 6]

    def value(counts: list[int]) -> list[IndicatorValue]:
        n = sum(counts)
        mean = sum((r + 1) * c for r, c in enumerate(counts)) / n
        return [
            IndicatorValue(
                indicator_id="ces", store_id="S1", value=mean, n=n, unit="rating", counts=counts
            )
        ]

    action = an_action(target=ActionTarget("ces", store_ids=["S1"]))
    effect = action_effect(action, before=value(before_counts), after=value(after_counts))
    after = [r + 1 for r, c in enumerate(after_counts) for _ in range(c)]
    before = [r + 1 for r, c in enumerate(before_counts) for _ in range(c)]
    expected = stats.mannwhitneyu(after, before, alternative="two-sided")
    assert "Mann-Whitney" in effect.test
    assert effect.p_value == pytest.approx(float(expected.pvalue), rel=1e-6)


def test_the_verdict_comes_from_the_did_when_other_stores_exist() -> None:
    def values(s1: tuple[int, int], s2: tuple[int, int]) -> list[IndicatorValue]:
        return [
            IndicatorValue(
                indicator_id="service_level", store_id=store_id, value=x / n, n=n, successes=x
            )
            for store_id, (x, n) in (("S1", s1), ("S2", s2))
        ]

    # both stores rose by 20 points: the acting store's rise is not the action's
    effect = action_effect(
        an_action(), before=values((120, 200), (120, 200)), after=values((160, 200), (160, 200))
    )
    assert effect.p_value is not None
    assert effect.p_value < 0.001
    assert effect.did == pytest.approx(0.0)
    assert effect.control_units == ("S2",)
    assert effect.verdict.value == "no_real_change"
    expected = did_proportions(
        acting_before=(120, 200),
        acting_after=(160, 200),
        control_before=(120, 200),
        control_after=(160, 200),
    )
    assert effect.did_standard_error == pytest.approx(expected.standard_error)


# ---------------------------------------------------------------- training needs

CSAT_RULE = PerformanceCriterion(
    id="csat-2026",
    indicator_id="csat",
    target=0.85,
    amber_threshold=0.75,
    effective_from=datetime(2026, 1, 1, tzinfo=HONG_KONG),
    standard=StandardReference("SQ-2026"),
)
FCR_RULE = attrs.evolve(CSAT_RULE, id="fcr-2026", indicator_id="fcr")
COLOUR_VALUE = {"red": 0.6, "amber": 0.8, "green": 0.9}


@settings(max_examples=40)
@given(
    colours=st.lists(
        st.tuples(
            st.sampled_from(["red", "amber", "green", None]),
            st.sampled_from(["red", "amber", "green", None]),
        ),
        min_size=2,
        max_size=2,
    ),
    levels=st.lists(st.integers(min_value=0, max_value=4), min_size=4, max_size=4),
    weights=st.sampled_from([None, {"red": 1.0, "amber": 0.25, "green": 0.1}]),
)
def test_training_priorities_match_a_hand_computation(
    colours: list[tuple[str | None, str | None]],
    levels: list[int],
    weights: dict[str, float] | None,
) -> None:
    stores = ["MK", "TST"]
    values = [
        IndicatorValue(
            indicator_id=indicator,
            store_id=store_id,
            month=date(2026, 3, 1),
            value=COLOUR_VALUE[colour],
            n=400,
        )
        for store_id, pair in zip(stores, colours, strict=True)
        for indicator, colour in zip(("csat", "fcr"), pair, strict=True)
        if colour is not None
    ]
    # a chain-wide result covers no unit
    values.append(IndicatorValue(indicator_id="csat", month=date(2026, 3, 1), value=0.1, n=400))
    results = evaluate_criteria([CSAT_RULE, FCR_RULE], values, timezone="Asia/Hong_Kong")
    requirements = [
        RoleRequirement(id="r1", role="cashier", competency_id="handling_complaints", level=3),
        RoleRequirement(id="r2", role="cashier", competency_id="privacy_law", level=2),
        RoleRequirement(
            id="r3", role="cashier", competency_id="privacy_law", level=4, business_unit="flagship"
        ),
    ]
    staff = [("E-1", "MK", None), ("E-2", "TST", "flagship")]
    competence = [
        StaffCompetence(
            id=f"{who}/{competency}",
            staff_id=who,
            role="cashier",
            store_id=store_id,
            business_unit=unit,
            competency_id=competency,
            level=levels[2 * i + j],
            assessed_at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
            assessed_by="store_manager",
        )
        for i, (who, store_id, unit) in enumerate(staff)
        for j, competency in enumerate(("handling_complaints", "privacy_law"))
    ]
    needs = training_needs(requirements, competence, criteria_results=results, weights=weights)
    weight = {"red": 1.0, "amber": 0.5, "green": 0.0, **(weights or {})}
    expected: dict[tuple[str, str], tuple[int, int, float, float]] = {}
    for i, (who, store_id, unit) in enumerate(staff):
        coloured = [c for c in colours[stores.index(store_id)] if c is not None]
        miss = sum(weight[c] for c in coloured) / len(coloured) if coloured else 0.0
        for j, competency in enumerate(("handling_complaints", "privacy_law")):
            required = 3 if j == 0 else (4 if unit == "flagship" else 2)
            gap = max(required - levels[2 * i + j], 0)
            expected[who, competency] = (required, gap, miss, gap * (1 + miss))
    got = {(n.staff_id, n.competency_id): (n.required, n.gap, n.miss, n.priority) for n in needs}
    assert set(got) == set(expected)
    for key, (required, gap, miss, priority) in expected.items():
        assert got[key][:2] == (required, gap)
        assert got[key][2] == pytest.approx(miss)
        assert got[key][3] == pytest.approx(priority)
    keys = [(n.staff_id, n.competency_id) for n in needs]
    assert keys == sorted(keys, key=lambda k: (-round(expected[k][3], 9), k[0], k[1]))


# ---------------------------------------------------------------- awards


def csat(candidate: str, satisfied: int, n: int) -> IndicatorValue:
    return IndicatorValue(
        indicator_id="csat", staff_id=candidate, value=satisfied / n, n=n, successes=satisfied
    )


SCHEME = AwardScheme(
    id="agent-of-the-quarter",
    name="Hotline agent of the quarter",
    level="staff",
    period="quarter",
    indicator_id="csat",
    direction="higher",
    places=2,
    tie_breaks=[TieBreak("n"), TieBreak("id")],
)

candidate_share = st.integers(min_value=1, max_value=300).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@settings(max_examples=40)
@given(evidence=st.lists(candidate_share, min_size=1, max_size=7))
def test_lower_bound_ranking_is_the_wilson_bound_with_ties_broken_by_n_then_id(
    evidence: list[tuple[int, int]],
) -> None:
    values = [csat(f"A-{i:02d}", x, n) for i, (x, n) in enumerate(evidence)]
    ranking = rank_candidates(SCHEME, values)
    expected: dict[str, float] = {}
    for value in values:
        assert value.successes is not None
        assert value.staff_id is not None
        low, high = proportion_confint(value.successes, value.n, alpha=0.05, method="wilson")
        expected[value.staff_id] = float(low)
        row = ranking.places[value.staff_id]
        assert row.score == pytest.approx(float(low), abs=1e-9)
        assert row.interval is not None
        assert row.interval.high == pytest.approx(float(high), abs=1e-9)
    order = sorted(values, key=lambda v: (-round(expected[v.staff_id or ""], 12), -v.n, v.staff_id))
    assert list(ranking.places) == [v.staff_id for v in order]
    assert [row.place for row in ranking.places.values()] == list(range(1, len(values) + 1))
    assert ranking.winners() == tuple(v.staff_id for v in order[:2])


def hand_shrinkage(evidence: list[tuple[int, int]]) -> tuple[float, float | None, list[float]]:
    k = len(evidence)
    total = sum(n for _, n in evidence)
    m = sum(x for x, _ in evidence) / total
    spread = sum(n * (x / n - m) ** 2 for x, n in evidence)
    denominator = total - sum(n * n for _, n in evidence) / total - (k - 1)
    low, high = 1 / (total + 1), total / (total + 1)
    if k < 2 or denominator <= 0 or m in (0.0, 1.0):
        return m, None, [m] * k  # complete pooling: no spread can be fitted
    rho = (spread / (m * (1 - m)) - (k - 1)) / denominator
    if rho <= 0:
        return m, None, [m] * k  # no spread beyond chance: complete pooling
    rho = min(max(rho, low), high)
    strength = (1 - rho) / rho
    alpha = m * strength
    return m, strength, [(x + alpha) / (n + strength) for x, n in evidence]


@settings(max_examples=40)
@given(evidence=st.lists(candidate_share, min_size=2, max_size=7))
def test_shrunken_shares_match_the_documented_method_of_moments(
    evidence: list[tuple[int, int]],
) -> None:
    pooled, strength, estimates = shrunken_shares(evidence)
    m, expected_strength, expected = hand_shrinkage(evidence)
    assert pooled == pytest.approx(m)
    assert [estimate for estimate, _ in estimates] == pytest.approx(expected, rel=1e-9)
    if expected_strength is None:
        assert strength is None
        total, hits = sum(n for _, n in evidence), sum(x for x, _ in evidence)
        wilson = proportion_confint(hits, total, alpha=0.05, method="wilson")
        for _, interval in estimates:
            assert (interval.low, interval.high) == pytest.approx(wilson, abs=1e-9)
        return
    assert strength == pytest.approx(expected_strength, rel=1e-9)
    assert strength is not None
    for (x, n), (estimate, interval) in zip(evidence, estimates, strict=True):
        a, b = x + m * strength, n - x + (1 - m) * strength
        if min(a, b) < 0.25:
            continue  # tiny shapes: see the next test
        low, high = stats.beta.ppf(0.025, a, b), stats.beta.ppf(0.975, a, b)
        assert interval.low == pytest.approx(min(float(low), estimate), abs=1e-7)
        assert interval.high == pytest.approx(max(float(high), estimate), abs=1e-7)


def test_shrunken_interval_with_a_tiny_prior_shape() -> None:
    """A very skewed posterior: the equal-tailed interval, its low end to a double's precision
    (1e-70 and below), widened to hold the posterior mean where that lies outside it."""
    pooled, strength, estimates = shrunken_shares([(0, 1), (95, 141)])
    assert strength is not None
    a, b = pooled * strength, 1 + (1 - pooled) * strength
    estimate, interval = estimates[0]
    assert interval.low == pytest.approx(float(stats.beta.ppf(0.025, a, b)), rel=1e-6)
    assert interval.high == pytest.approx(max(estimate, float(stats.beta.ppf(0.975, a, b))))
    for evidence in ([(0, 8), (6, 8)], [(0, 1), (95, 141)], [(0, 30), (29, 30), (15, 30)]):
        pooled, strength, estimates = shrunken_shares(evidence)
        assert strength is not None
        for (x, n), (_, interval) in zip(evidence, estimates, strict=True):
            a, b = x + pooled * strength, n - x + (1 - pooled) * strength
            assert interval.low <= float(stats.beta.ppf(0.025, a, b)) * (1 + 1e-6)


@given(others=st.lists(candidate_share, max_size=5))
def test_three_of_three_never_beats_190_of_200_by_lower_bound(
    others: list[tuple[int, int]],
) -> None:
    values = [
        csat("A-3", 3, 3),
        csat("A-7", 190, 200),
        *(csat(f"B-{i}", x, n) for i, (x, n) in enumerate(others)),
    ]
    order = list(rank_candidates(SCHEME, values).places)
    assert order.index("A-7") < order.index("A-3")


def test_three_of_three_never_beats_190_of_200_when_shrunken() -> None:
    ranking = rank_candidates(
        attrs.evolve(SCHEME, method="shrunken"), [csat("A-3", 3, 3), csat("A-7", 190, 200)]
    )
    assert ranking.winners()[0] == "A-7"


def test_equal_candidates_share_a_place_listed_by_id() -> None:
    scheme = attrs.evolve(SCHEME, tie_breaks=[TieBreak("n")], places=3)
    ranking = rank_candidates(
        scheme, [csat("A-9", 40, 40), csat("A-1", 40, 40), csat("A-5", 40, 50), csat("A-4", 80, 80)]
    )
    rows = [(c, r.place, r.decided_by) for c, r in ranking.places.items()]
    assert rows[0] == ("A-4", 1, None)
    assert rows[1] == ("A-1", 2, "score")
    assert rows[2] == ("A-9", 2, "tie")
    assert rows[3][0] == "A-5"
    assert rows[3][1] in (3, 4)
    assert rows[3][2] == "score"
    assert ranking.winners() == ("A-4", "A-1", "A-9")


def test_eligibility_excludes_with_its_reason_and_schemes_round_trip(store: Any) -> None:
    scheme = attrs.evolve(
        SCHEME,
        eligibility=RuleSet(
            id="agents.eligibility",
            rules=[
                award_requirement("min_surveys", ge("n", 30), description="At least 30 surveys.")
            ],
        ),
    )
    ranking = rank_candidates(scheme, [csat("A-3", 3, 3), csat("A-7", 190, 200)])
    assert ranking.places["A-3"].status.value == "ineligible"
    assert ranking.places["A-3"].excluded_by == "min_surveys"
    assert ranking.winners() == ("A-7",)
    schema = json_schema(AwardScheme)
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(json.loads(to_json(scheme)))
    assert from_json(to_json(scheme), AwardScheme) == scheme
    with store.unit_of_work() as uow:
        uow.awards.add(scheme)
        uow.commit()
    with store.unit_of_work() as uow:
        stale = uow.awards.get(scheme.id)
    with store.unit_of_work() as uow:
        uow.awards.save(attrs.evolve(stale, places=3))
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(ConflictError):
        uow.awards.save(attrs.evolve(stale, places=1))
    result = ranking.publish(
        id="q4", computed_at=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    )
    with store.unit_of_work() as uow:
        uow.awards.publish(result)
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        published = list(uow.awards.results(scheme_id=scheme.id))
    assert [r.winners() for r in published] == [("A-7",)]
    assert published[0].computed_at.timestamp() == result.computed_at.timestamp()


# ---------------------------------------------------------------- bad input

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None), max_size=5),
    st.just("\ud800"),
    st.just(datetime(2026, 3, 29, 1, 30)),
    st.just(datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)),
    st.just(date.max),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=60)
@given(value=garbage, slot=st.integers(min_value=0, max_value=9))
def test_entry_points_raise_only_library_errors(value: Any, slot: int) -> None:
    document = duties_document([datetime(2026, 1, 1, tzinfo=UTC)])
    calls: list[Callable[[], object]] = [
        lambda: document.in_force(value),
        lambda: DocumentRef(value, value),
        lambda: ReviewCycle.plan(id=value, start=value, end=Q1[1]),
        lambda: an_action(due=value, owner=value),
        lambda: action_reminders([an_action()], at=value, timezone=value),
        lambda: did_proportions(
            acting_before=value, acting_after=(1, 2), control_before=(1, 2), control_after=value
        ),
        lambda: rank_candidates(SCHEME, value),
        lambda: training_needs(value, value),
        lambda: shrunken_shares(value),
        lambda: an_action().move(value, at=value),
    ]
    message = ""
    try:
        calls[slot]()
    except RSQError as error:
        message = str(error)
    if isinstance(value, str) and len(value) > 2:
        assert value not in message


def test_one_round_names_every_problem() -> None:
    with pytest.raises(ValidationError) as raised:
        did_proportions(
            acting_before=(5, 3),
            acting_after=(1, 2),
            control_before=(-1, 2),
            control_after=(1, 2),
            confidence=2.0,
        )
    assert {"$.acting_before", "$.control_before", "$.confidence"} <= {
        p.split("[")[0] for p in paths(raised.value)
    }
    with pytest.raises(ValidationError) as reminded:
        action_reminders(
            [an_action(), "not an action"],  # type: ignore[list-item]
            at=datetime(2026, 1, 1),
            timezone="Mars/Olympus",
        )
    assert {"$.actions[1]", "$.at", "$.timezone"} <= paths(reminded.value)
    with pytest.raises(ValidationError) as shrunk:
        shrunken_shares([(3, 2), (1, 0)])
    assert len(shrunk.value.problems) >= 2


# ---------------------------------------------------------------- a full cycle on each adapter


def hotline_calls(
    store_id: str, first: datetime, in_time: int, late: int
) -> list[ServiceInteraction]:
    return [
        ServiceInteraction(
            id=f"{store_id}-{first:%Y%m%d}-{n}",
            store_id=store_id,
            channel="hotline",
            occurred_at=first + timedelta(minutes=n),
            queue_time=timedelta(seconds=10 if n < in_time else 60),
            talk_time=timedelta(minutes=3),
        )
        for n in range(in_time + late)
    ]


def test_a_full_cycle_follows_up_its_action_with_a_hand_checked_did(store: Any) -> None:
    q1 = (datetime(2026, 1, 1, tzinfo=KOLKATA), datetime(2026, 4, 1, tzinfo=KOLKATA))
    q2 = (q1[1], datetime(2026, 7, 1, tzinfo=KOLKATA))
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            [
                *hotline_calls("S1", datetime(2026, 2, 2, 9, tzinfo=KOLKATA), 130, 70),
                *hotline_calls("S2", datetime(2026, 2, 2, 9, tzinfo=KOLKATA), 165, 35),
                *hotline_calls("S1", datetime(2026, 5, 4, 9, tzinfo=KOLKATA), 174, 26),
                *hotline_calls("S2", datetime(2026, 5, 4, 9, tzinfo=KOLKATA), 172, 28),
                # outside the scope: never an input
                *hotline_calls("X9", datetime(2026, 2, 2, 9, tzinfo=KOLKATA), 10, 90),
            ]
        )
        uow.commit()
    level = PerformanceCriterion(
        id="sl-2026",
        indicator_id="service_level",
        target=0.8,
        amber_threshold=0.7,
        effective_from=datetime(2026, 1, 1, tzinfo=KOLKATA),
        standard=StandardReference("SQ-2026"),
    )
    scope = ReviewScope(store_ids=["S1", "S2"], standards=["SQ-2026"])
    plan_review(store, ReviewCycle.plan(id="Q1", start=q1[0], end=q1[1], scope=scope))
    first = gather_review(store, "Q1", now=q1[1], criteria=[level], timezone="Asia/Kolkata")
    criteria = {i.store_id: i for i in first.inputs if i.kind.value == "criterion"}
    assert set(criteria) == {"S1", "S2"}
    assert criteria["S1"].value == pytest.approx(0.65)
    assert criteria["S1"].n == 200
    assert criteria["S1"].needs_decision
    assert not criteria["S2"].needs_decision
    at = datetime(2026, 4, 8, 15, tzinfo=KOLKATA)
    red = [i.id for i in first.inputs if i.needs_decision]
    decide_review(
        store,
        "Q1",
        ReviewDecision(
            id="D1",
            input_ids=red,
            output="improvement",
            text="Second agent at the lunch peak.",
            decided_at=at,
            decided_by="customer_service_manager",
            action_ids=["ACT-1"],
        ),
    )
    close_review(store, "Q1", at=at)
    raise_action(store, an_action("ACT-1", raised_at=at, due=date(2026, 4, 30)))
    move_action(store, "ACT-1", "start", at=at)
    move_action(store, "ACT-1", "complete", at=at + timedelta(days=10))

    plan_review(
        store, ReviewCycle.plan(id="Q2", start=q2[0], end=q2[1], scope=scope, previous_id="Q1")
    )
    second = gather_review(store, "Q2", now=q2[1], criteria=[level], timezone="Asia/Kolkata")
    followed = [i for i in second.inputs if i.kind.value == "action"]
    assert [(i.id, i.needs_decision) for i in followed] == [("action:ACT-1", True)]
    assert followed[0].summary.endswith("worked")
    effect = stored_action_effect(store, "ACT-1", before=q1, after=q2, timezone="Asia/Kolkata")
    hand = did_proportions(
        acting_before=(130, 200),
        acting_after=(174, 200),
        control_before=(165, 200),
        control_after=(172, 200),
    )
    assert effect.control_units == ("S2",)
    assert effect.did == pytest.approx((174 - 130) / 200 - (172 - 165) / 200)
    assert effect.did_standard_error == pytest.approx(hand.standard_error)
    assert effect.did_p_value == pytest.approx(hand.p_value)
    assert effect.verdict.value == "worked"
    with pytest.raises(InvalidTransitionError) as raised:
        close_review(store, "Q2", at=q2[1])
    assert "action:ACT-1" in str(raised.value)
    move_action(store, "ACT-1", "verify_effective", at=q2[1])
    decide_review(
        store,
        "Q2",
        ReviewDecision(
            id="D1",
            input_ids=[i.id for i in second.inputs if i.needs_decision],
            output="no_action",
            text="It worked.",
            decided_at=q2[1],
            decided_by="customer_service_manager",
        ),
    )
    assert close_review(store, "Q2", at=q2[1]).status.value == "closed"
    with store.unit_of_work(read_only=True) as uow:
        assert uow.reviews.count(status="closed") == 2


def test_an_after_period_that_starts_before_the_before_one_ends_is_refused(store: Any) -> None:
    raise_action(store, an_action())
    with pytest.raises(ValidationError) as raised:
        stored_action_effect(
            store,
            "CA-1",
            before=(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
            after=(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)),
        )
    assert "$.after.start" in paths(raised.value)


def test_award_periods_are_local_quarters() -> None:
    start, end = SCHEME.period_of(date(2026, 11, 1), timezone="Asia/Kolkata")
    assert (start.timestamp(), end.timestamp()) == (
        datetime(2026, 9, 30, 18, 30, tzinfo=UTC).timestamp(),
        datetime(2026, 12, 31, 18, 30, tzinfo=UTC).timestamp(),
    )
    start, end = SCHEME.period_of(date(2026, 10, 25), timezone="Europe/London")
    assert start.timestamp() == datetime(2026, 9, 30, 23, tzinfo=UTC).timestamp()
    assert end.timestamp() == datetime(2027, 1, 1, tzinfo=UTC).timestamp()
    with pytest.raises(ValidationError):
        award_ranking(
            InMemoryStore(),
            SCHEME,
            start=datetime(2026, 10, 2, tzinfo=KOLKATA),
            end=datetime(2027, 1, 1, tzinfo=KOLKATA),
            timezone="Asia/Kolkata",
        )


# ---------------------------------------------------------------- instants in stores

ZONES = [UTC, LONDON, KOLKATA, ADELAIDE, ZoneInfo("America/Los_Angeles")]
instant_in_2026 = st.builds(
    lambda minutes, zone: (
        datetime(2026, 3, 28, tzinfo=UTC) + timedelta(minutes=minutes)
    ).astimezone(zone),
    st.integers(min_value=0, max_value=60 * 24 * 240).map(lambda m: m - m % 15),
    st.sampled_from(ZONES),
)


@settings(max_examples=15)
@given(
    periods=st.lists(st.tuples(instant_in_2026, instant_in_2026), min_size=1, max_size=4),
    probes=st.lists(instant_in_2026, min_size=1, max_size=4),
)
def test_both_adapters_select_documents_and_cycles_by_instant_whatever_the_zone(
    periods: list[tuple[datetime, datetime]], probes: list[datetime]
) -> None:
    documents = []
    cycles = []
    for number, (one, other) in enumerate(periods):
        first, last = sorted((one, other), key=lambda moment: moment.timestamp())
        document = duties_document([first], f"D-{number}")
        cycle_end = last
        if last.timestamp() > first.timestamp():
            document = document.withdraw(at=last)
        else:
            cycle_end = first + timedelta(hours=1)
        documents.append(document)
        cycles.append(ReviewCycle.plan(id=f"R-{number}", start=first, end=cycle_end))
    with SQLiteStore(":memory:") as sqlite:
        for store in (InMemoryStore(), sqlite):
            with store.unit_of_work() as uow:
                uow.documents.add_many(documents)
                uow.reviews.add_many(cycles)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                for probe in probes:
                    in_force = [d.id for d in documents if d.in_force(probe) is not None]
                    assert [d.id for d in uow.documents.query(in_force_at=probe)] == in_force
                    covering = [
                        c.id
                        for c in cycles
                        if c.start.timestamp() <= probe.timestamp() < c.end.timestamp()
                    ]
                    assert [c.id for c in uow.reviews.query(covering=probe)] == covering


def test_the_latest_assessment_is_the_latest_instant_not_the_latest_wall_clock() -> None:
    def assessed(level: int, at: datetime, number: int) -> StaffCompetence:
        return StaffCompetence(
            id=f"a{number}",
            staff_id="E-1",
            role="cashier",
            store_id="S1",
            competency_id="privacy_law",
            level=level,
            assessed_at=at,
            assessed_by="store_manager",
        )

    needs_level_4 = [RoleRequirement(id="r", role="cashier", competency_id="privacy_law", level=4)]
    # 01:15 in the second pass (01:15 UTC) is after 01:30 in the first (00:30 UTC)
    repeated = [
        assessed(1, datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON), 1),
        assessed(3, datetime(2026, 10, 25, 1, 30, tzinfo=LONDON), 2),
    ]
    for records in (repeated, repeated[::-1]):
        assert [n.current for n in training_needs(needs_level_4, records)] == [1]
    # 00:10 on 1 June in Kolkata is 18:40 UTC on 31 May, before 18:50 UTC
    kolkata = [
        assessed(2, datetime(2026, 6, 1, 0, 10, tzinfo=KOLKATA), 1),
        assessed(3, datetime(2026, 5, 31, 18, 50, tzinfo=UTC), 2),
    ]
    assert [n.current for n in training_needs(needs_level_4, kolkata)] == [3]


@pytest.mark.parametrize(
    ("zone", "due", "expected"),
    [
        ("Australia/Adelaide", date(9999, 12, 31), [("due_in_1_day", 1)]),
        ("Pacific/Kiritimati", date(9999, 12, 31), [("due_in_1_day", 1)]),
        ("Pacific/Pago_Pago", date(9999, 12, 31), []),
    ],
)
def test_reminders_at_the_end_of_the_supported_range(
    zone: str, due: date, expected: list[tuple[str, int]]
) -> None:
    reminders = action_reminders([an_action(due=due)], at=LAST_INSTANT, timezone=zone)
    assert [(r.level, r.days_left) for r in reminders] == expected


def test_reminders_at_the_start_of_the_supported_range() -> None:
    action = an_action(due=date(1, 1, 1), raised_at=FIRST_INSTANT)
    # Los Angeles is still on 1 January (local mean time); Kolkata is on the 2nd
    west = action_reminders([action], at=FIRST_INSTANT, timezone="America/Los_Angeles")
    east = action_reminders([action], at=FIRST_INSTANT, timezone="Asia/Kolkata")
    assert [(r.level, r.days_left) for r in west] == [("due_today", 0)]
    assert [(r.level, r.days_left) for r in east] == [("overdue", -1)]


@settings(max_examples=30)
@given(evidence=st.lists(candidate_share, min_size=1, max_size=6))
def test_a_lower_is_better_share_ranks_by_the_wilson_upper_bound_upwards(
    evidence: list[tuple[int, int]],
) -> None:
    scheme = attrs.evolve(SCHEME, indicator_id="abandonment_rate", direction="lower")
    values = [
        IndicatorValue(
            indicator_id="abandonment_rate",
            staff_id=f"A-{i:02d}",
            value=x / n,
            n=n,
            successes=x,
            direction="lower",
        )
        for i, (x, n) in enumerate(evidence)
    ]
    ranking = rank_candidates(scheme, values)
    upper = {
        f"A-{i:02d}": float(proportion_confint(x, n, alpha=0.05, method="wilson")[1])
        for i, (x, n) in enumerate(evidence)
    }
    for candidate, row in ranking.places.items():
        assert row.score == pytest.approx(upper[candidate], abs=1e-9)
    n_of = {f"A-{i:02d}": n for i, (_, n) in enumerate(evidence)}
    assert list(ranking.places) == sorted(upper, key=lambda c: (round(upper[c], 12), -n_of[c], c))


# ---------------------------------------------------------------- more promises


def test_a_review_input_refuses_impossible_values_in_one_round() -> None:
    with pytest.raises(ValidationError) as raised:
        ReviewInput(
            id="criterion:x",
            kind="criterion",
            subject="",
            summary="x: red",
            value=float("nan"),
            n=-1,
            p_value=2.0,
        )
    assert {"$.subject", "$.value", "$.n", "$.p_value"} <= paths(raised.value)


def test_both_adapters_agree_on_a_cycle_they_are_given() -> None:
    # An input holding a NaN cannot be made, so no store is ever given one.
    with pytest.raises(ValidationError) as raised:
        ReviewInput(
            id="criterion:x", kind="criterion", subject="x", summary="x: red", value=float("nan")
        )
    assert [p.path for p in raised.value.problems] == ["$.value"]
    cycle = ReviewCycle.plan(id="Q1", start=Q1[0], end=Q1[1]).with_inputs(
        [ReviewInput(id="criterion:x", kind="criterion", subject="x", summary="x: red")],
        at=Q1[1],
    )
    outcomes = []
    with SQLiteStore(":memory:") as sqlite:
        for store in (InMemoryStore(), sqlite):
            try:
                with store.unit_of_work() as uow:
                    uow.reviews.add(cycle)
                    uow.commit()
                outcomes.append("stored")
            except RSQError as error:
                outcomes.append(type(error).__name__)
    assert outcomes == ["stored", "stored"]


def test_which_criterion_results_need_a_decision() -> None:
    asa = PerformanceCriterion(
        id="asa-hotline",
        indicator_id="asa",
        direction="lower",
        target=20.0,
        amber_threshold=30.0,
        min_n=30,
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        standard=StandardReference("SQ-2026"),
    )

    def asa_of(store_id: str, seconds: float, n: int) -> IndicatorValue:
        return IndicatorValue(
            indicator_id="asa",
            store_id=store_id,
            value=seconds,
            n=n,
            unit="seconds",
            direction="lower",
        )

    results = evaluate_criteria(
        [asa],
        [
            asa_of("G", 12.0, 100),
            asa_of("A", 25.0, 100),
            asa_of("R", 45.0, 100),
            asa_of("N", 99.0, 3),
        ],
        at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    flags = {item.store_id: item.needs_decision for item in review_inputs(criteria=results)}
    assert flags == {"G": False, "A": True, "R": True, "N": False}


def test_stored_cycles_are_planned_once_and_not_gathered_once_closed(store: Any) -> None:
    cycle = ReviewCycle.plan(id="Q1", start=Q1[0], end=Q1[1])
    plan_review(store, cycle)
    with pytest.raises(ConflictError):
        plan_review(store, cycle)
    gathered = gather_review(store, "Q1", now=Q1[1])
    assert gathered.status.value == "in_review"
    assert gathered.inputs == ()
    close_review(store, "Q1", at=Q1[1])
    with pytest.raises(InvalidTransitionError):
        gather_review(store, "Q1", now=Q1[1])
    with pytest.raises(RSQError):
        close_review(store, "NO-SUCH-CYCLE", at=Q1[1])


def test_acting_and_control_stores_are_pooled() -> None:
    action = an_action(target=ActionTarget("service_level", store_ids=["S1", "S2"]))
    cells = {
        "S1": ((50, 100), (70, 100)),
        "S2": ((30, 50), (40, 60)),
        "S3": ((60, 100), (62, 100)),
        "S4": ((20, 40), (25, 40)),
    }

    def values(period: int) -> list[IndicatorValue]:
        return [
            IndicatorValue(
                indicator_id="service_level",
                store_id=store_id,
                value=pair[period][0] / pair[period][1],
                n=pair[period][1],
                successes=pair[period][0],
            )
            for store_id, pair in cells.items()
        ]

    effect = action_effect(action, before=values(0), after=values(1))
    hand = did_proportions(
        acting_before=(80, 150),
        acting_after=(110, 160),
        control_before=(80, 140),
        control_after=(87, 140),
    )
    assert effect.acting_units == ("S1", "S2")
    assert effect.control_units == ("S3", "S4")
    assert effect.before == pytest.approx(80 / 150)
    assert effect.after == pytest.approx(110 / 160)
    assert (effect.before_n, effect.after_n) == (150, 160)
    assert effect.did == pytest.approx(hand.estimate)
    assert effect.did_standard_error == pytest.approx(hand.standard_error)
    assert effect.did_low == pytest.approx(hand.interval.low)
    assert effect.did_high == pytest.approx(hand.interval.high)
    _, z_test = proportions_ztest([110, 80], [160, 150])
    assert effect.p_value == pytest.approx(float(z_test))


def test_reminders_come_most_overdue_first_then_by_id_with_rules_of_your_own() -> None:
    rules = action_reminder_rules(days_before=[14, 3], escalate_to="area_manager")
    at = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    actions = [
        an_action("CA-3", due=date(2026, 10, 28)),
        an_action("CA-2", due=date(2026, 10, 20)),
        an_action("CA-1", due=date(2026, 10, 28)),
        an_action("CA-4", due=date(2026, 11, 8)),
        an_action("CA-5", due=date(2026, 11, 1)),  # 7 days: not a rule here
        an_action("CA-6", due=date(2026, 10, 24)),
    ]
    reminders = action_reminders(actions, at=at, timezone="Europe/London", rules=rules)
    assert [(r.action_id, r.level, r.days_left) for r in reminders] == [
        ("CA-2", "overdue", -5),
        ("CA-6", "overdue", -1),
        ("CA-1", "due_in_3_days", 3),
        ("CA-3", "due_in_3_days", 3),
        ("CA-4", "due_in_14_days", 14),
    ]
    assert reminders[0].escalate_to == ("area_manager",)
    assert from_json(to_json(rules), RuleSet) == rules


def test_the_description_stays_out_of_json_errors_tables_and_html() -> None:
    action = an_action()
    broken = json.loads(to_json(action))
    broken["due"] = "soon"
    with pytest.raises(ValidationError) as raised:
        from_json(json.dumps(broken), ImprovementAction)
    assert "$.due" in paths(raised.value)
    assert PERSONAL not in str(raised.value)
    assert PERSONAL not in action._repr_html_()
    assert PERSONAL not in action.to_dataframe().to_string()
    assert from_json(to_json(action), ImprovementAction).description == PERSONAL


def test_passed_assessments_raise_levels_in_the_order_of_their_instants() -> None:
    earlier = datetime(2026, 10, 25, 1, 40, tzinfo=LONDON)  # 00:40 UTC
    later = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)  # 01:20 UTC
    levels = [
        StaffCompetence(
            id="E-1/privacy_law",
            staff_id="E-1",
            role="cashier",
            store_id="S1",
            competency_id="privacy_law",
            level=1,
            assessed_at=datetime(2026, 1, 1, tzinfo=UTC),
            assessed_by="store_manager",
        )
    ]
    basic = TrainingProgramme(
        id="P2",
        name="Privacy basics",
        trains={"privacy_law": 2},
        audience=["cashier"],
        duration=timedelta(hours=2),
    )
    advanced = attrs.evolve(basic, id="P3", name="Privacy in depth", trains={"privacy_law": 3})
    sessions = [
        TrainingSession(
            id=f"S-{programme}",
            programme_id=programme,
            starts_at=datetime(2026, 10, 24, tzinfo=UTC),
            ends_at=datetime(2026, 10, 24, 2, tzinfo=UTC),
            location="online",
            trainer_role="trainer",
            capacity=5,
        )
        for programme in ("P2", "P3")
    ]
    attendance = [
        Attendance(
            id=f"A-{programme}",
            session_id=f"S-{programme}",
            staff_id="E-1",
            attended=True,
            completed=True,
            score=90,
            pass_mark=50,
            completed_at=when,
        )
        for programme, when in (("P2", later), ("P3", earlier))
    ]
    raised = levels_after_training(
        levels, attendance, sessions=sessions, programmes=[basic, advanced]
    )
    # level 3 first (earlier instant, later wall clock); level 2 afterwards would lower it
    assert [(r.id, r.level, r.programme_id, r.assessed_by) for r in raised] == [
        ("A-P3/privacy_law", 3, "P3", "trainer")
    ]
    assert (
        levels_after_training(
            [*levels, *raised], attendance, sessions=sessions, programmes=[basic, advanced]
        )
        == ()
    )
    assert (
        trained_staff(
            attendance,
            "P2",
            sessions=sessions,
            completed_before=datetime(2026, 10, 25, 1, 20, tzinfo=UTC),
        )
        == ()
    )
    assert trained_staff(
        attendance,
        "P2",
        sessions=sessions,
        completed_before=datetime(2026, 10, 25, 1, 21, tzinfo=UTC),
    ) == ("E-1",)
    assert (
        trained_staff(
            attendance,
            "P3",
            sessions=sessions,
            completed_before=datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
        )
        == ()
    )


@settings(max_examples=30)
@given(
    after=st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=3660)),
    duration=st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=366)),
)
def test_durations_survive_json_to_the_microsecond(after: timedelta, duration: timedelta) -> None:
    document = ControlledDocument.create(
        id="PROC-1",
        title="Refund",
        effective_from=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
        content=Procedure(
            trigger=ProcedureTrigger("A customer asks for a refund"),
            steps=["Check the receipt"],
            owner_role="sales_associate",
            escalations=[Escalation("store_manager", after=after)],
        ),
    )
    assert from_json(to_json(document), ControlledDocument) == document
    programme = TrainingProgramme(
        id="P1",
        name="Refunds",
        trains={"handling_complaints": 2},
        audience=["cashier"],
        duration=duration,
    )
    assert from_json(to_json(programme), TrainingProgramme) == programme


def hotline_call(call_id: str, store_id: str, at: datetime, seconds: int) -> ServiceInteraction:
    return ServiceInteraction(
        id=call_id,
        store_id=store_id,
        channel="hotline",
        occurred_at=at,
        queue_time=timedelta(seconds=seconds),
        talk_time=timedelta(minutes=3),
    )


OCTOBER = (datetime(2026, 10, 1, tzinfo=LONDON), datetime(2026, 11, 1, tzinfo=LONDON))


def test_a_review_judges_by_the_criteria_in_force_at_its_last_instant(store: Any) -> None:
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            hotline_call(
                f"A-{k}", "A", datetime(2026, 10, 10, tzinfo=UTC) + timedelta(minutes=k), 25
            )
            for k in range(100)
        )
        uow.commit()
    cycle = ReviewCycle.plan(id="Oct", start=OCTOBER[0], end=OCTOBER[1])
    for until, judged_by, needs in (
        (OCTOBER[1], "old", False),  # replaced at the end: the old one judges the period
        (datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON), "new", True),
    ):
        old = PerformanceCriterion(
            id="old",
            indicator_id="asa",
            direction="lower",
            target=30.0,
            amber_threshold=40.0,
            effective_from=datetime(2026, 1, 1, tzinfo=UTC),
            effective_until=until,
            standard=StandardReference("SQ"),
        )
        new = attrs.evolve(
            old,
            id="new",
            target=20.0,
            amber_threshold=30.0,
            effective_from=until,
            effective_until=None,
        )
        inputs = gather_review_inputs(
            store, cycle, now=OCTOBER[1], criteria=[old, new], timezone="Europe/London"
        )
        assert [(i.id, i.needs_decision) for i in inputs if i.kind.value == "criterion"] == [
            (f"criterion:{judged_by}:store=A", needs)
        ]


def test_the_period_before_has_the_same_elapsed_length(store: Any) -> None:
    calls = [
        *(
            hotline_call(
                f"OCT-{k}", "A", datetime(2026, 10, 10, tzinfo=UTC) + timedelta(minutes=k), 10
            )
            for k in range(99)
        ),
        *(
            hotline_call(
                f"SEP-{k}", "A", datetime(2026, 9, 10, tzinfo=UTC) + timedelta(minutes=k), 10
            )
            for k in range(99)
        ),
        # October lasts 31 days and 1 hour: the period before starts at 22:00 UTC on 30 August
        hotline_call("EDGE", "A", datetime(2026, 8, 30, 22, 30, tzinfo=UTC), 60),
    ]
    with store.unit_of_work() as uow:
        uow.interactions.add_many(calls)
        uow.commit()
    level = PerformanceCriterion(
        id="sl",
        indicator_id="service_level",
        target=0.8,
        amber_threshold=0.7,
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        standard=StandardReference("SQ"),
    )
    cycle = ReviewCycle.plan(id="Oct", start=OCTOBER[0], end=OCTOBER[1])
    inputs = gather_review_inputs(
        store, cycle, now=OCTOBER[1], criteria=[level], timezone="Europe/London"
    )
    [change] = [i for i in inputs if i.kind.value == "change"]
    assert change.reference == pytest.approx(99 / 100)


def test_a_stored_quarter_is_ranked_by_wilson_bounds_of_the_surveys_inside_it(store: Any) -> None:
    start, end = SCHEME.period_of(date(2026, 11, 1), timezone="Asia/Kolkata")
    ratings = {"A-1": [5, 5, 5], "A-2": [5] * 190 + [2] * 10, "A-3": [4] * 27 + [1] * 3}

    def response(response_id: str, agent: str, rating: int, at: datetime) -> SurveyResponse:
        return SurveyResponse(
            id=response_id,
            instrument_id="csat",
            edition=1,
            store_id="S",
            channel="hotline",
            staff_id=agent,
            answers={"csat": rating},
            received_at=at,
        )

    with store.unit_of_work() as uow:
        number = 0
        for agent, answers in ratings.items():
            for rating in answers:
                number += 1
                record_survey_response(
                    uow,
                    csat_instrument(),
                    response(f"R-{number}", agent, rating, start + timedelta(minutes=number)),
                )
        # the end and the instant before the start are outside the quarter
        record_survey_response(uow, csat_instrument(), response("R-end", "A-1", 1, end))
        record_survey_response(
            uow, csat_instrument(), response("R-pre", "A-1", 1, start - timedelta(microseconds=1))
        )
        uow.commit()
    ranking = award_ranking(store, SCHEME, start=start, end=end, timezone="Asia/Kolkata")
    assert [(c, r.place, r.successes, r.n) for c, r in ranking.places.items()] == [
        ("A-2", 1, 190, 200),
        ("A-3", 2, 27, 30),
        ("A-1", 3, 3, 3),
    ]
    for row in ranking.places.values():
        assert row.successes is not None
        low = proportion_confint(row.successes, row.n, alpha=0.05, method="wilson")[0]
        assert row.score == pytest.approx(float(low), abs=1e-9)
    assert ranking.winners() == ("A-2", "A-3")


def test_a_training_action_compares_trained_staff_with_the_others(store: Any) -> None:
    cells = {
        ("A-1", 0): (12, 20),
        ("A-1", 1): (18, 20),
        ("A-2", 0): (30, 40),
        ("A-2", 1): (32, 40),
        ("A-3", 0): (5, 10),
        ("A-3", 1): (6, 10),
    }
    firsts = [datetime(2026, 3, 2, tzinfo=KOLKATA), datetime(2026, 5, 4, tzinfo=KOLKATA)]
    number = 0
    with store.unit_of_work() as uow:
        for (agent, period), (satisfied, n) in cells.items():
            for i in range(n):
                number += 1
                record_survey_response(
                    uow,
                    csat_instrument(),
                    SurveyResponse(
                        id=f"R-{number}",
                        instrument_id="csat",
                        edition=1,
                        store_id="S1",
                        channel="hotline",
                        staff_id=agent,
                        answers={"csat": 5 if i < satisfied else 2},
                        received_at=firsts[period] + timedelta(minutes=number),
                    ),
                )
        uow.commit()
    action = raise_action(store, an_action(target=ActionTarget("csat", staff_ids=["A-1"])))
    effect = stored_action_effect(
        store,
        action.id,
        before=(datetime(2026, 3, 1, tzinfo=KOLKATA), datetime(2026, 4, 1, tzinfo=KOLKATA)),
        after=(datetime(2026, 5, 1, tzinfo=KOLKATA), datetime(2026, 6, 1, tzinfo=KOLKATA)),
        timezone="Asia/Kolkata",
    )
    hand = did_proportions(
        acting_before=(12, 20),
        acting_after=(18, 20),
        control_before=(35, 50),
        control_after=(38, 50),
    )
    assert effect.acting_units == ("A-1",)
    assert effect.control_units == ("A-2", "A-3")
    assert effect.did == pytest.approx(hand.estimate)
    assert effect.did_standard_error == pytest.approx(hand.standard_error)
    assert effect.verdict.value == ("worked" if hand.interval.low > 0 else "no_real_change")
