"""Training: competencies, the training-needs analysis, programmes, completion and attendance."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    Attendance,
    Competency,
    CriterionResult,
    DocumentRef,
    InMemoryStore,
    RoleRequirement,
    SQLiteStore,
    StaffCompetence,
    StandardReference,
    TrainingProgramme,
    TrainingSession,
    ValidationError,
    builtin_competencies,
    json_schema,
    levels_after_training,
    stored_training_completion,
    stored_training_needs,
    structure,
    trained_staff,
    training_completion,
    training_needs,
    training_needs_by_unit,
    unstructure,
    wilson_interval,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.testing.contract_training import training_records

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
HANDLING = "handling_complaints"


def staff(
    staff_id: str,
    level: int,
    *,
    store: str | None = "S1",
    unit: str | None = None,
    competency: str = HANDLING,
    role: str = "cashier",
    at: datetime = AT,
    record_id: str | None = None,
) -> StaffCompetence:
    return StaffCompetence(
        id=record_id or f"{staff_id}/{competency}/{at.isoformat()}",
        staff_id=staff_id,
        role=role,
        competency_id=competency,
        level=level,
        assessed_at=at,
        assessed_by="store_manager",
        store_id=store,
        business_unit=unit,
    )


def result(
    criterion: str,
    status: str,
    *,
    store: str | None = None,
    unit: str | None = None,
    staff_id: str | None = None,
) -> CriterionResult:
    return CriterionResult(
        criterion_id=criterion,
        indicator_id=criterion,
        store_id=store,
        business_unit=unit,
        staff_id=staff_id,
        status=status,
        target=0.8,
        amber_threshold=0.7,
        min_n=30,
        standard=StandardReference("SQ-01"),
    )


def need(role: str = "cashier", level: int = 3, **changes: Any) -> RoleRequirement:
    fields: dict[str, Any] = {
        "id": f"R-{role}-{changes.get('competency_id', HANDLING)}-{changes.get('business_unit')}",
        "role": role,
        "competency_id": HANDLING,
        "level": level,
    }
    fields.update(changes)
    return RoleRequirement(**fields)


# ---------------------------------------------------------------- the needs analysis


def test_a_hand_computed_needs_analysis_with_weights() -> None:
    """Store S1 misses: red csat, amber fcr, green aht (and one not_enough_data, which does
    not weigh). Weights red 1, amber 0.4, green 0.1: miss = (1 + 0.4 + 0.1) / 3 = 0.5.
    Store S2 has no coloured result: miss 0."""
    requirements = [need(level=3), need(level=2, competency_id="privacy_law")]
    levels = [
        staff("E-1", 1, store="S1"),  # complaints gap 2, privacy gap 2 (never assessed)
        staff("E-2", 3, store="S1"),  # complaints met
        staff("E-2", 1, store="S1", competency="privacy_law"),  # privacy gap 1
        staff("E-3", 0, store="S2"),  # complaints gap 3, privacy gap 2
    ]
    results = [
        result("csat", "red", store="S1"),
        result("fcr", "amber", store="S1"),
        result("aht", "green", store="S1"),
        result("nps", "not_enough_data", store="S1"),
        result("csat", "not_enough_data", store="S2"),
    ]
    needs = training_needs(
        requirements,
        levels,
        criteria_results=results,
        weights={"red": 1.0, "amber": 0.4, "green": 0.1},
    )
    rows = [
        (n.staff_id, n.competency_id, n.required, n.current, n.gap, n.miss, n.priority, n.judged)
        for n in needs
    ]
    assert rows == [
        ("E-1", HANDLING, 3, 1, 2, 0.5, 3.0, 3),
        ("E-1", "privacy_law", 2, 0, 2, 0.5, 3.0, 3),
        ("E-3", HANDLING, 3, 0, 3, 0.0, 3.0, 0),
        ("E-3", "privacy_law", 2, 0, 2, 0.0, 2.0, 0),
        ("E-2", "privacy_law", 2, 1, 1, 0.5, 1.5, 3),
        ("E-2", HANDLING, 3, 3, 0, 0.5, 0.0, 3),
    ]
    assert needs[1].missed == ("csat", "fcr")
    assert needs[2].missed == ()
    units = training_needs_by_unit(needs)
    assert [
        (u.store_id, u.competency_id, u.staff, u.short, u.total_gap, u.total_priority)
        for u in units
    ] == [
        ("S1", "privacy_law", 2, 2, 3, 4.5),
        ("S1", HANDLING, 2, 1, 2, 3.0),
        ("S2", HANDLING, 1, 1, 3, 3.0),
        ("S2", "privacy_law", 1, 1, 2, 2.0),
    ]
    assert units[0].missed == ("csat", "fcr")
    assert needs.to_records()[1]["missed"] == ("csat", "fcr")
    assert list(units.to_dataframe().columns)[:3] == ["store_id", "business_unit", "competency_id"]


def test_default_weights_are_red_one_amber_half_green_nothing() -> None:
    needs = training_needs(
        [need(level=2)],
        [staff("E-1", 0)],
        criteria_results=[
            result("a", "red", store="S1"),
            result("b", "amber", store="S1"),
            result("c", "green", store="S1"),
            result("d", "green", store="S1"),
        ],
    )
    # (1 + 0.5 + 0 + 0) / 4 = 0.375; priority 2 * 1.375
    assert (needs[0].miss, needs[0].priority) == (0.375, 2.75)


def test_which_results_cover_a_staff_member() -> None:
    """Their store, their business unit, themselves; never another's, never the whole chain."""
    member = staff("E-1", 0, store="S1", unit="retail")
    results = [
        result("store", "red", store="S1", unit="retail"),
        result("unit", "red", unit="retail"),
        result("own", "red", staff_id="E-1"),
        result("other-store", "green", store="S2", unit="retail"),
        result("other-unit", "green", unit="online"),
        result("other-staff", "green", staff_id="E-2"),
        result("chain", "green"),
        result("other-store-same-staff", "green", store="S2", staff_id="E-1"),
    ]
    [row] = training_needs([need(level=1)], [member], criteria_results=results)
    assert (row.judged, row.miss, row.missed) == (3, 1.0, ("own", "store", "unit"))


def test_the_latest_record_gives_the_role_unit_and_level() -> None:
    earlier = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # first pass (BST)
    later = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)  # second pass (GMT): later
    assert later.astimezone(UTC) > earlier.astimezone(UTC)
    levels = [
        staff("E-1", 3, store="S2", role="supervisor", at=later),
        staff("E-1", 1, store="S1", role="cashier", at=earlier),
    ]
    requirements = [need("cashier", 3), need("supervisor", 4)]
    [row] = training_needs(requirements, levels)
    assert (row.role, row.store_id, row.current, row.required, row.gap) == (
        "supervisor",
        "S2",
        3,
        4,
        1,
    )


def test_a_business_units_own_requirement_wins() -> None:
    requirements = [need(level=2), need(level=4, business_unit="online")]
    levels = [staff("E-1", 1, unit="online"), staff("E-2", 1, unit="retail")]
    rows = {
        n.staff_id: (n.required, n.requirement_id) for n in training_needs(requirements, levels)
    }
    assert rows == {
        "E-1": (4, "R-cashier-handling_complaints-online"),
        "E-2": (2, "R-cashier-handling_complaints-None"),
    }
    # A requirement for another unit only: no row.
    assert list(training_needs([need(level=4, business_unit="online")], [staff("E-2", 1)])) == []


def test_ties_are_broken_by_staff_id_then_competency() -> None:
    levels = [staff("E-2", 0), staff("E-10", 0), staff("E-1", 0)]
    needs = training_needs([need(level=1)], levels)
    assert [n.staff_id for n in needs] == ["E-1", "E-10", "E-2"]


def test_bad_arguments_are_reported_in_one_round() -> None:
    with pytest.raises(ValidationError) as raised:
        training_needs(
            [need(), need(), "R-1"],  # type: ignore[list-item]
            "E-1",  # type: ignore[arg-type]
            criteria_results=[result("a", "red"), 5],  # type: ignore[list-item]
            weights={"red": 2, "purple": 0.5, "amber": float("nan")},
        )
    assert [p.path for p in raised.value.problems] == [
        "$.requirements[2]",
        "$.staff_levels",
        "$.criteria_results[1]",
        "$.weights.red",
        "$.weights.purple",
        "$.weights.amber",
        "$.requirements[1]",
    ]
    assert "nan" not in str(raised.value)
    with pytest.raises(ValidationError):
        training_needs([], [], weights=[("red", 1)])  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        training_needs_by_unit([None])  # type: ignore[list-item]


_STATUSES = st.sampled_from(["green", "amber", "red", "not_enough_data"])


@settings(max_examples=80, deadline=None)
@given(
    required=st.integers(1, 10),
    current=st.integers(0, 10),
    statuses=st.lists(_STATUSES, max_size=8),
    weights=st.fixed_dictionaries(
        {"green": st.floats(0, 1), "amber": st.floats(0, 1), "red": st.floats(0, 1)}
    ),
)
def test_gap_is_never_negative_and_priority_is_gap_times_one_plus_miss(
    required: int, current: int, statuses: list[str], weights: dict[str, float]
) -> None:
    results = [result(f"c{i}", status, store="S1") for i, status in enumerate(statuses)]
    [row] = training_needs(
        [need(level=required)],
        [staff("E-1", current)],
        criteria_results=results,
        weights=weights,
    )
    assert row.gap == max(required - current, 0) >= 0
    assert 0 <= row.miss <= 1
    assert row.priority == row.gap * (1 + row.miss)
    assert row.judged == sum(1 for s in statuses if s != "not_enough_data")


@settings(max_examples=80, deadline=None)
@given(
    gap=st.integers(0, 10),
    statuses=st.lists(st.sampled_from(["green", "amber", "red"]), min_size=1, max_size=8),
    index=st.integers(0, 7),
    worse=st.sampled_from(["amber", "red"]),
)
def test_priority_never_falls_as_the_unit_misses_more(
    gap: int, statuses: list[str], index: int, worse: str
) -> None:
    """Turning one of the unit's results worse (green to amber or red, amber to red) never
    lowers the priority, for ordered weights; and it rises where there is a gap."""
    position = index % len(statuses)
    rank = {"green": 0, "amber": 1, "red": 2}
    worsened = list(statuses)
    if rank[worse] > rank[statuses[position]]:
        worsened[position] = worse

    def priority(given: list[str]) -> float:
        results = [result(f"c{i}", status, store="S1") for i, status in enumerate(given)]
        [row] = training_needs([need(level=10)], [staff("E-1", 10 - gap)], criteria_results=results)
        return row.priority

    before, after = priority(statuses), priority(worsened)
    assert after >= before
    if gap and worsened != statuses:
        assert after > before


# ---------------------------------------------------------------- competencies


def test_the_builtin_catalogue_cites_the_standards() -> None:
    catalogue = builtin_competencies()
    assert {c.id for c in catalogue} >= {
        "communication_skills",
        "product_knowledge",
        "handling_complaints",
        "privacy_law",
    }
    assert all(c.top_level == 4 and c.units for c in catalogue)
    assert {unit for c in catalogue for unit in c.units} == {
        "111329L2",
        "111331L3",
        "105083L5",
        "111340L5",
    }
    assert "PDPO" in next(c for c in catalogue if c.id == "privacy_law").name


def test_bad_records_list_every_problem() -> None:
    with pytest.raises(ValidationError) as raised:
        Competency(id=" x", name="  ", levels=[""] * 11, units=["a", "a"])
    assert [p.path for p in raised.value.problems] == ["$.id", "$.name", "$.levels", "$.units[1]"]
    with pytest.raises(ValidationError) as raised:
        RoleRequirement(id="r", role="cashier", competency_id="c", level=10**400)
    assert [p.path for p in raised.value.problems] == ["$.level"]
    with pytest.raises(ValidationError) as raised:
        StaffCompetence(
            id="a", staff_id="E\ud800", role="r", competency_id="c", level=-1,
            assessed_at=datetime(2026, 3, 2),
        )  # fmt: skip
    assert [p.path for p in raised.value.problems] == [
        "$.assessed_by",
        "$.staff_id",
        "$.level",
        "$.assessed_at",
    ]
    with pytest.raises(ValidationError) as raised:
        TrainingProgramme(id="P", name="n", trains={}, audience=[], duration=timedelta(0))
    assert [p.path for p in raised.value.problems] == ["$.trains", "$.audience", "$.duration"]
    with pytest.raises(ValidationError) as raised:
        TrainingProgramme(
            id="P", name="n", trains={"x": 11, 5: 1}, audience=["a"], duration=timedelta(hours=1)
        )
    assert [p.path for p in raised.value.problems] == ["$.trains.x", "$.trains"]
    with pytest.raises(ValidationError) as raised:
        Attendance(
            id="a", session_id="s", staff_id="E-1", attended=False, completed=True,
            score=float("inf"), pass_mark=101,
        )  # fmt: skip
    assert [p.path for p in raised.value.problems] == [
        "$.score",
        "$.score",
        "$.pass_mark",
        "$.completed",
        "$.completed_at",
    ]
    assert "inf" not in str(raised.value)


# ---------------------------------------------------------------- time


def test_sessions_compare_instants_across_a_repeated_hour() -> None:
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second = first.replace(fold=1)
    session = TrainingSession(
        id="T-1", programme_id="P-1", starts_at=first, ends_at=second,
        location="online", trainer_role="trainer", capacity=5,
    )  # fmt: skip
    assert session.ends_at.astimezone(UTC) - session.starts_at.astimezone(UTC) == timedelta(hours=1)
    with pytest.raises(ValidationError) as raised:
        TrainingSession(
            id="T-1", programme_id="P-1", starts_at=second, ends_at=first,
            location="online", trainer_role="trainer", capacity=5,
        )  # fmt: skip
    assert [p.path for p in raised.value.problems] == ["$.ends_at"]


def test_a_skipped_hour_is_refused() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    with pytest.raises(ValidationError) as raised:
        staff("E-1", 1, at=skipped)
    assert [p.path for p in raised.value.problems] == ["$.assessed_at"]


def test_half_hour_zones_and_the_ends_of_the_range() -> None:
    start = datetime(2026, 4, 1, 9, tzinfo=KOLKATA)  # 03:30 UTC
    session = TrainingSession(
        id="T-1", programme_id="P-1", starts_at=MIN_INSTANT, ends_at=MAX_INSTANT,
        location="online", trainer_role="trainer", capacity=5,
    )  # fmt: skip

    def came(staff_id: str, done: datetime) -> Attendance:
        return Attendance(
            id=f"T-1/{staff_id}", session_id="T-1", staff_id=staff_id, attended=True,
            completed=True, score=90, pass_mark=60, completed_at=done,
        )  # fmt: skip

    attendances = [
        came("E-1", start),
        came("E-2", datetime(2026, 4, 1, 13, 29, tzinfo=ADELAIDE)),  # 02:59 UTC
        came("E-3", MAX_INSTANT),
        came("E-4", MIN_INSTANT),
    ]
    cut = datetime(2026, 4, 1, 3, 30, tzinfo=UTC)
    assert trained_staff(attendances, "P-1", sessions=[session], completed_before=cut) == (
        "E-2",
        "E-4",
    )
    assert trained_staff(attendances, "P-1", sessions=[session]) == ("E-1", "E-2", "E-3", "E-4")


# ---------------------------------------------------------------- completion


def _programme(level: int = 3, **trains: int) -> TrainingProgramme:
    return TrainingProgramme(
        id="P-1",
        name="Handling complaints",
        trains={HANDLING: level, **trains},
        audience=["cashier"],
        duration=timedelta(hours=6),
    )


SESSION = TrainingSession(
    id="T-1", programme_id="P-1", starts_at=AT, ends_at=AT + timedelta(hours=6),
    location="store:S1", trainer_role="trainer", capacity=12,
)  # fmt: skip


def attendance(
    staff_id: str,
    *,
    attended: bool = True,
    completed: bool = True,
    score: float | None = 75.0,
    done: datetime | None = AT + timedelta(hours=6),
    session: str = "T-1",
) -> Attendance:
    return Attendance(
        id=f"{session}/{staff_id}",
        session_id=session,
        staff_id=staff_id,
        attended=attended,
        completed=completed,
        score=score if attended else None,
        pass_mark=60.0,
        completed_at=done if completed else None,
    )


def test_a_passed_assessment_raises_the_level_and_nothing_is_changed() -> None:
    current = [staff("E-1", 1), staff("E-2", 4), staff("E-3", 0), staff("E-4", 0)]
    before = list(current)
    records = [
        attendance("E-1"),  # 1 -> 3
        attendance("E-2"),  # already 4: never lowered
        attendance("E-3", score=59.5),  # failed
        attendance("E-4", completed=False),  # not completed
    ]
    raised = levels_after_training(
        current, records, sessions=[SESSION], programmes=[_programme(3, privacy_law=2)]
    )
    assert [(r.id, r.staff_id, r.competency_id, r.level) for r in raised] == [
        ("T-1/E-1/handling_complaints", "E-1", HANDLING, 3),
        ("T-1/E-1/privacy_law", "E-1", "privacy_law", 2),
        ("T-1/E-2/privacy_law", "E-2", "privacy_law", 2),
    ]
    assert raised[0].programme_id == "P-1"
    assert raised[0].assessed_by == "trainer"
    assert raised[0].store_id == "S1"
    assert current == before


def test_completion_refuses_what_it_cannot_place() -> None:
    with pytest.raises(ValidationError) as raised:
        levels_after_training(
            [staff("E-1", 1)],
            [attendance("E-1", session="T-9"), attendance("E-7")],
            sessions=[SESSION],
            programmes=[],
        )
    assert [p.path for p in raised.value.problems] == [
        "$.attendances[0].session_id",
        "$.attendances[1].session_id",
        "$.attendances[1].staff_id",
    ]


@settings(max_examples=80, deadline=None)
@given(
    levels=st.lists(st.integers(0, 10), min_size=1, max_size=5),
    taught=st.integers(1, 10),
    scores=st.lists(st.none() | st.floats(0, 100), min_size=1, max_size=5),
)
def test_completion_never_lowers_a_level(
    levels: list[int], taught: int, scores: list[float | None]
) -> None:
    current = [staff(f"E-{i}", level) for i, level in enumerate(levels)]
    records = [
        attendance(f"E-{i}", completed=score is not None, score=score)
        for i, score in enumerate(scores[: len(levels)])
    ]
    raised = levels_after_training(
        current, records, sessions=[SESSION], programmes=[_programme(taught)]
    )
    for record in raised:
        index = int(record.staff_id.split("-")[1])
        assert record.level == taught > levels[index]
        assert records[index].passed
    for index, level in enumerate(levels):
        after = [r.level for r in raised if r.staff_id == f"E-{index}"]
        assert max([level, *after]) >= level
        should = index < len(records) and records[index].passed and taught > level
        assert bool(after) == should
    again = levels_after_training(
        [*current, *raised], records, sessions=[SESSION], programmes=[_programme(taught)]
    )
    assert again == ()


def test_completion_rates_with_wilson_intervals() -> None:
    other = attrs.evolve(SESSION, id="T-2")
    records = [
        attendance("E-1"),
        attendance("E-2", score=40),
        attendance("E-3", completed=False),
        attendance("E-4", attended=False, completed=False),
        attendance("E-5", session="T-2"),
        attendance("E-9"),
    ]
    levels = [
        staff("E-1", 0),
        staff("E-2", 0),
        staff("E-3", 0),
        staff("E-4", 0),
        staff("E-5", 0, store="S2"),
    ]
    rows = training_completion(records, sessions=[SESSION, other], staff_levels=levels)
    summary = [
        (r.programme_id, r.store_id, r.enrolled, r.attended, r.completed, r.passed) for r in rows
    ]
    assert summary == [
        ("P-1", None, 1, 1, 1, 1),  # E-9 has no competence record
        ("P-1", "S1", 4, 3, 2, 1),
        ("P-1", "S2", 1, 1, 1, 1),
    ]
    row = rows[1]
    assert row.attendance_interval == wilson_interval(3, 4)
    assert row.completion_interval == wilson_interval(2, 3)
    assert row.pass_interval == wilson_interval(1, 2)
    assert (row.attendance_rate, row.completion_rate, row.pass_rate) == (0.75, 2 / 3, 0.5)
    record = rows.to_records()[1]
    assert record["attendance_interval_low"] == row.attendance_interval.low
    with pytest.raises(ValidationError) as raised:
        training_completion([attendance("E-1", session="T-9")], sessions=[], confidence=1.0)
    assert [p.path for p in raised.value.problems] == [
        "$.confidence",
        "$.attendances[0].session_id",
    ]


def test_completion_intervals_match_statsmodels() -> None:
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    records = [attendance(f"E-{i}", attended=i < 7, completed=i < 5, score=70.0) for i in range(9)]
    [row] = training_completion(records, sessions=[SESSION], confidence=0.9)
    low, high = proportion.proportion_confint(7, 9, alpha=0.1, method="wilson")
    assert row.attendance_interval is not None
    assert row.attendance_interval.low == pytest.approx(low, abs=1e-9)
    assert row.attendance_interval.high == pytest.approx(high, abs=1e-9)


def test_nobody_enrolled_attended_or_completed_gives_no_interval() -> None:
    [row] = training_completion(
        [attendance("E-1", attended=False, completed=False)], sessions=[SESSION]
    )
    assert row.completion_interval is None
    assert row.pass_interval is None
    assert row.completion_rate is None
    assert row.pass_rate is None


def test_trained_staff_arguments() -> None:
    with pytest.raises(ValidationError) as raised:
        trained_staff([attendance("E-1")], "P 1 ", completed_before=datetime(2026, 1, 1))
    assert [p.path for p in raised.value.problems] == [
        "$.programme_id",
        "$.completed_before",
        "$.sessions",
    ]
    with pytest.raises(ValidationError) as raised:
        trained_staff(42, "P-1", sessions=[SESSION])
    assert [p.path for p in raised.value.problems] == ["$.source"]


# ---------------------------------------------------------------- JSON


@pytest.mark.parametrize("kind", [Competency, RoleRequirement, TrainingProgramme])
def test_json_schemas_for_what_a_ui_edits(kind: type) -> None:
    schema = json_schema(kind)
    assert schema["title"] == kind.__name__
    assert "id" in schema["required"]


@settings(max_examples=40, deadline=None)
@given(record=training_records())
def test_every_training_record_round_trips_through_json(record: Any) -> None:
    assert structure(unstructure(record), type(record)) == record


def test_a_programme_from_a_form_reports_every_problem() -> None:
    with pytest.raises(ValidationError) as raised:
        structure(
            {"id": "P-1", "name": "x", "trains": {"privacy_law": "3"}, "audience": "cashier",
             "duration": -5},
            TrainingProgramme,
        )  # fmt: skip
    paths = {p.path for p in raised.value.problems}
    assert {"$.audience", "$.duration"} <= paths


# ---------------------------------------------------------------- on a store


@pytest.mark.parametrize("make", [InMemoryStore, lambda: SQLiteStore(":memory:")])
def test_the_analyses_on_a_store_match_those_on_the_records(make: Any) -> None:
    programme = _programme(3)
    other = attrs.evolve(SESSION, id="T-2", programme_id="P-2")
    levels = [staff("E-1", 1), staff("E-2", 0, store="S2")]
    records = [attendance("E-1"), attendance("E-2", score=10), attendance("E-3", session="T-2")]
    requirements = [need(level=3)]
    results = [result("csat", "red", store="S2")]
    with make() as store:
        with store.unit_of_work() as uow:
            uow.training.requirements.add_many(requirements)
            uow.training.competence.add_many(levels)
            uow.training.programmes.add(programme)
            uow.training.sessions.add_many([SESSION, other])
            uow.training.attendance.add_many(records)
            uow.commit()
        assert stored_training_needs(store, criteria_results=results) == training_needs(
            requirements, levels, criteria_results=results
        )
        everything = training_completion(records, sessions=[SESSION, other], staff_levels=levels)
        assert stored_training_completion(store) == everything
        with store.unit_of_work(read_only=True) as uow:
            assert stored_training_completion(uow, programme_id="P-2") == [
                row for row in everything if row.programme_id == "P-2"
            ]
    with pytest.raises(ValidationError) as raised:
        stored_training_completion(object(), programme_id=" P", confidence=2)
    assert [p.path for p in raised.value.problems] == [
        "$.target",
        "$.programme_id",
        "$.confidence",
    ]
    with pytest.raises(ValidationError):
        stored_training_needs("store")


def test_a_programme_names_the_procedure_versions_it_teaches() -> None:
    programme = attrs.evolve(
        _programme(3), documents=(DocumentRef("PROC-COMPLAINTS", 2), DocumentRef("SQ-01", 1))
    )
    assert structure(unstructure(programme), TrainingProgramme) == programme
    assert unstructure(programme)["documents"][0] == {
        "document_id": "PROC-COMPLAINTS",
        "version": 2,
    }
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(programme, documents=("PROC-COMPLAINTS",))
    assert [p.path for p in raised.value.problems] == ["$.documents[0]"]


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.floats(), max_size=3),
    st.datetimes(),
)


@settings(max_examples=60, deadline=None)
@given(a=_JUNK, b=_JUNK, c=_JUNK, d=_JUNK)
def test_whatever_they_are_given_the_functions_raise_only_validation_errors(
    a: Any, b: Any, c: Any, d: Any
) -> None:
    calls: list[Callable[[], object]] = [
        lambda: training_needs(a, b, criteria_results=c, weights=d),
        lambda: training_needs_by_unit(a),
        lambda: levels_after_training(a, b, sessions=c, programmes=d),
        lambda: training_completion(a, sessions=b, staff_levels=c, confidence=d),
        lambda: trained_staff(a, b, completed_before=c, sessions=d),
        lambda: RoleRequirement(id=a, role=b, competency_id=c, level=d),
        lambda: Competency(id=a, name=b, levels=c, units=d),
        lambda: TrainingProgramme(id="P", name=a, trains=b, audience=c, duration=d),
        lambda: Attendance(id="A", session_id="T", staff_id="E", attended=a, completed=b,
                           score=c, completed_at=d),
    ]  # fmt: skip
    for call in calls:
        with contextlib.suppress(ValidationError):
            call()
