"""Controlled documents: standards, procedures and duties, their versions, the version in force
at an instant, why each version was made, JSON and JSON Schema, and bad input in one round."""

from __future__ import annotations

import contextlib
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from retail_service_quality import (
    CauseKind,
    ChangeCause,
    ControlledDocument,
    DocumentChange,
    DocumentKind,
    DocumentRef,
    DocumentRevision,
    DocumentVersion,
    Escalation,
    InvalidTransitionError,
    NotFoundError,
    PerformanceCriterion,
    Procedure,
    ProcedureStep,
    ProcedureTrigger,
    Requirement,
    RoleDuties,
    RSQError,
    ServiceScope,
    ServiceStandard,
    StandardReference,
    ValidationError,
    from_json,
    json_schema,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.testing.contract_documents import documents
from retail_service_quality.testing.strategies import real_datetimes

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
START = datetime(2026, 1, 1, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ZONES = ("Europe/London", "Asia/Kolkata", "Australia/Adelaide")


def _paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


def _hotline_standard(at: datetime = START) -> ControlledDocument:
    return ControlledDocument.create(
        id="SS-HOTLINE",
        title="Hotline service standard",
        effective_from=at,
        content=ServiceStandard(
            scope=ServiceScope(services=["enquiries", "refunds"], channels=["hotline"]),
            requirements=[
                Requirement(
                    "R1",
                    "Answer calls promptly",
                    indicator_id="asa",
                    target=20.0,
                    criterion_ids=["asa-hotline"],
                ),
                Requirement("R2", "Leave callers satisfied", criterion_ids=["csat-hotline"]),
                Requirement("R3", "Greet every caller by the store's name"),
            ],
            criterion_ids=["asa-hotline", "csat-hotline"],
        ),
    )


def _refund(at: datetime = START) -> ControlledDocument:
    return ControlledDocument.create(
        id="PROC-REFUND",
        title="Refund at the counter",
        effective_from=at,
        content=Procedure(
            trigger=ProcedureTrigger(
                "A customer asks for a refund",
                needs=["refund"],
                complaint_categories=["refund_refused"],
            ),
            steps=["Check the receipt", "Refund to the original payment method"],
            owner_role="store_manager",
            escalations=[
                Escalation("area_manager", after=timedelta(days=2)),
                Escalation("legal", condition="the customer threatens legal action"),
            ],
            implements=DocumentRef("SS-STORES", 1),
        ),
    )


def _manager(at: datetime = START) -> ControlledDocument:
    return ControlledDocument.create(
        id="ROLE-MANAGER",
        title="Store manager",
        effective_from=at,
        content=RoleDuties(
            role="store_manager",
            duties=["Approve refunds above the counter limit", "Review complaints weekly"],
            responsibilities=["The store's complaint resolution time"],
            procedures=["PROC-REFUND"],
            reports_to="area_manager",
        ),
    )


def _receipt_change(document: ControlledDocument, at: datetime) -> ControlledDocument:
    return document.revise(
        effective_from=at,
        reason="refunds without a receipt were refused inconsistently",
        author_role="quality_manager",
        because=("action", "ACT-12"),
        steps=["Check the receipt or the card statement", "Refund to the original payment method"],
    )


# ---------------------------------------------------------------- the three kinds


def test_a_standard_sets_the_criteria_that_carry_its_reference() -> None:
    standard = _hotline_standard()
    assert standard.kind is DocumentKind.SERVICE_STANDARD
    reference = standard.reference(requirement="R1")
    assert reference == StandardReference("SS-HOTLINE", version="1", clause="Answer calls promptly")
    criterion = PerformanceCriterion(
        id="asa-hotline",
        indicator_id="asa",
        direction="lower",
        target=20.0,
        amber_threshold=30.0,
        effective_from=START,
        standard=reference,
    )
    # The criterion finds its way back to the exact version of the standard.
    assert criterion.standard.version is not None
    version = standard.resolve(DocumentRef(criterion.standard.id, int(criterion.standard.version)))
    content = version.content
    assert isinstance(content, ServiceStandard)
    assert criterion.id in content.criterion_ids
    assert content.requirement("R1").measured
    assert not content.requirement("R3").measured
    revised = standard.revise(
        effective_from=datetime(2026, 7, 1, tzinfo=UTC),
        reason="the new phone system answers faster",
        author_role="quality_manager",
        because=[("finding", "F-7"), ChangeCause("action", "ACT-3")],
        requirements=[
            Requirement("R1", "Answer calls promptly", indicator_id="asa", target=15.0),
        ],
        criterion_ids=["asa-hotline"],
    )
    assert revised.reference().version == "2"
    assert revised.reference(1, requirement="R2").clause == "Leave callers satisfied"
    with pytest.raises(NotFoundError):
        revised.reference(requirement="R2")  # gone in version 2
    with pytest.raises(NotFoundError):
        revised.reference(3)
    with pytest.raises(ValidationError) as other:
        _refund().reference()
    assert _paths(other) == ["$.kind"]


def test_a_standard_refuses_requirements_judged_by_criteria_it_does_not_set() -> None:
    with pytest.raises(ValidationError) as error:
        ServiceStandard(
            requirements=[
                Requirement("R1", "Answer calls promptly", criterion_ids=["asa", "csat"]),
                Requirement("R1", "Again"),
            ],
            criterion_ids=["asa"],
        )
    assert _paths(error) == ["$.requirements[0].criterion_ids[1]", "$.requirements[1].id"]
    with pytest.raises(ValidationError) as empty:
        ServiceStandard(requirements=[])
    assert _paths(empty) == ["$.requirements"]
    with pytest.raises(ValidationError) as target:
        Requirement("R1", "Answer promptly", target=20.0)
    assert _paths(target) == ["$.target"]
    assert ServiceScope().covers_everything


def test_a_procedure_numbers_its_steps_and_escalates_by_time_or_condition() -> None:
    procedure = _refund().current.content
    assert isinstance(procedure, Procedure)
    assert [(step.number, step.role) for step in procedure.steps] == [(1, None), (2, None)]
    assert procedure.escalations[0].after == timedelta(days=2)
    assert procedure.implements == DocumentRef("SS-STORES", 1)
    with pytest.raises(ValidationError) as error:
        Procedure(
            trigger=ProcedureTrigger("A customer asks for a refund"),
            steps=[ProcedureStep(2, "Check the receipt"), "x"],
            owner_role=" manager",
            escalations=[Escalation("area_manager", after=timedelta(days=2)), "later"],
        )
    assert _paths(error) == ["$.steps[0].number", "$.owner_role", "$.escalations[1]"]
    with pytest.raises(ValidationError) as when:
        Escalation("area_manager")
    assert _paths(when) == ["$.after"]
    with pytest.raises(ValidationError) as negative:
        Escalation("area_manager", after=timedelta(seconds=-1), condition="")
    assert _paths(negative) == ["$.after", "$.condition"]


def test_a_procedure_refuses_steps_out_of_order() -> None:
    with pytest.raises(ValidationError) as error:
        Procedure(
            trigger=ProcedureTrigger("A customer asks for a refund"),
            steps=[ProcedureStep(2, "Check the receipt"), ProcedureStep(1, "Refund")],
            owner_role="store_manager",
            implements=("SS-1", 1),  # type: ignore[arg-type]
        )
    assert _paths(error) == ["$.steps[0].number", "$.steps[1].number", "$.implements"]


def test_duties_name_the_role_its_procedures_and_whom_it_reports_to() -> None:
    duties = _manager().current.content
    assert isinstance(duties, RoleDuties)
    assert duties.procedures == ("PROC-REFUND",)
    with pytest.raises(ValidationError) as error:
        RoleDuties(role="store_manager", duties=[], reports_to="store_manager")
    assert _paths(error) == ["$.duties", "$.reports_to"]


# ---------------------------------------------------------------- versions and changes


def test_a_revision_records_what_changed_and_why() -> None:
    refund = _refund()
    revised = _receipt_change(refund, datetime(2026, 7, 1, tzinfo=UTC))
    assert revised.changed_fields(1) == ()
    assert revised.changed_fields(2) == ("steps",)
    change = revised.current.change
    assert change == DocumentChange(
        reason="refunds without a receipt were refused inconsistently",
        author_role="quality_manager",
        because=[ChangeCause(CauseKind.ACTION, "ACT-12")],
    )
    retitled = revised.revise(
        effective_from=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
        reason="the counter limit rose",
        author_role="area_manager",
        title="Refund at the counter or the service desk",
        owner_role="service_desk_lead",
    )
    history = retitled.history()
    assert [row.number for row in history] == [1, 2, 3]
    assert [row.changed for row in history] == [(), ("steps",), ("title", "owner_role")]
    assert [row.effective_until for row in history] == [
        datetime(2026, 7, 1, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
        None,
    ]
    assert history[1].because == (ChangeCause("action", "ACT-12"),)
    assert history[2].because == ()
    assert (history[0].reason, history[0].author_role) == (None, None)
    withdrawn = retitled.withdraw(at=datetime(2027, 1, 1, tzinfo=UTC))
    assert withdrawn.history()[-1].effective_until == datetime(2027, 1, 1, tzinfo=UTC)
    records = history.to_records()
    assert records[2]["changed"] == ("title", "owner_role")
    assert records[1]["kind"] == "procedure"
    assert isinstance(history[0], DocumentRevision)
    frame = history.to_dataframe()
    assert list(frame["number"]) == [1, 2, 3]
    row = retitled.to_records()[0]
    assert (row["id"], row["current_number"], row["kind"]) == ("PROC-REFUND", 3, "procedure")
    assert "Refund at the counter or the service desk" in retitled._repr_html_()


def test_a_revision_must_change_something_and_say_why() -> None:
    refund = _refund()
    later = datetime(2026, 7, 1, tzinfo=UTC)
    with pytest.raises(ValidationError) as same:
        refund.revise(
            effective_from=later,
            reason="reviewed",
            author_role="quality_manager",
            title="Refund at the counter",
        )
    assert _paths(same) == ["$.changes"]
    with pytest.raises(ValidationError) as bad:
        refund.revise(
            effective_from=datetime(2026, 7, 1),
            reason=" ",
            author_role="",
            because=[("rumour", "R-1"), 7],  # type: ignore[list-item]
            colour="red",
            steps=[],
            title="x" * 201,
        )
    assert _paths(bad) == [
        "$.changes.colour",
        "$.changes.steps",
        "$.reason",
        "$.author_role",
        "$.because[0].kind",
        "$.because[1]",
        "$.effective_from",
        "$.changes.title",
    ]
    with pytest.raises(ValidationError) as earlier:
        _receipt_change(refund, START)
    assert _paths(earlier) == ["$.effective_from"]
    withdrawn = refund.withdraw(at=later)
    with pytest.raises(InvalidTransitionError):
        _receipt_change(withdrawn, later + timedelta(days=1))
    with pytest.raises(InvalidTransitionError):
        withdrawn.withdraw(at=later + timedelta(days=1))
    with pytest.raises(ValidationError) as early:
        refund.withdraw(at=START)
    assert _paths(early) == ["$.at"]


def test_a_document_checks_its_versions_together() -> None:
    first = _refund().current
    duties = _manager().current
    with pytest.raises(ValidationError) as error:
        ControlledDocument(
            id="PROC-REFUND",
            kind="procedure",
            versions=[
                first,
                DocumentVersion(
                    number=3,
                    effective_from=START,
                    title="Again",
                    procedure=first.content,  # type: ignore[arg-type]
                ),
                duties,
            ],
            ends_at=START,
        )
    assert _paths(error) == [
        "$.versions[1].number",
        "$.versions[1].change",
        "$.versions[1].effective_from",
        "$.versions[2].number",
        "$.versions[2].duties",
        "$.versions[2].change",
        "$.versions[2].effective_from",
        "$.ends_at",
    ]
    with pytest.raises(ValidationError) as both:
        DocumentVersion(
            effective_from=START,
            title="Two",
            procedure=first.content,  # type: ignore[arg-type]
            duties=duties.content,  # type: ignore[arg-type]
        )
    assert _paths(both) == ["$.duties"]
    with pytest.raises(ValidationError) as none:
        DocumentVersion(effective_from=START, title="None")
    assert _paths(none) == ["$.standard"]
    with pytest.raises(ValidationError) as content:
        ControlledDocument.create(
            id=" x",
            effective_from=START,
            title="",
            content="steps",  # type: ignore[arg-type]
        )
    assert _paths(content) == ["$.id", "$.content", "$.versions[0].title"]


# ---------------------------------------------------------------- the version in force


def test_the_version_in_force_compares_instants_across_a_repeated_hour() -> None:
    # 25 October 2026 in London: 01:30 BST (00:30 UTC), then 01:10 GMT (01:10 UTC).
    first_pass = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second_pass = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)
    refund = _receipt_change(_refund(), second_pass)
    # A complaint received at 01:45 BST came before the revision though its wall clock is later.
    received = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)
    assert refund.version_in_force(received).number == 1
    assert refund.ref(received) == DocumentRef("PROC-REFUND", 1)
    assert refund.version_in_force(first_pass).number == 1
    assert refund.version_in_force(second_pass).number == 2
    assert refund.version_in_force(second_pass - timedelta(microseconds=1)).number == 1
    # The same instant in a half-hour zone gives the same version.
    assert refund.version_in_force(second_pass.astimezone(KOLKATA)).number == 2
    assert refund.version_in_force(received.astimezone(ADELAIDE)).number == 1
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # London skips this wall time
    for ask in (refund.in_force, refund.version_in_force, refund.ref):
        with pytest.raises(ValidationError) as error:
            ask(skipped)
        assert _paths(error) == ["$.at"]
        with pytest.raises(ValidationError):
            ask(datetime(2026, 7, 1))


def test_the_version_in_force_at_the_ends_of_the_range() -> None:
    always = _manager(MIN_INSTANT.astimezone(timezone(timedelta(hours=14))))
    assert always.version_in_force(MIN_INSTANT).number == 1
    revised = always.revise(
        effective_from=MAX_INSTANT,
        reason="the reporting line changed",
        author_role="area_manager",
        reports_to="regional_manager",
    )
    assert revised.version_in_force(MAX_INSTANT).number == 2
    assert revised.version_in_force(MAX_INSTANT - timedelta(microseconds=1)).number == 1
    assert revised.in_force(MIN_INSTANT) is not None
    before = _manager(START)
    assert before.in_force(START - timedelta(microseconds=1)) is None
    with pytest.raises(NotFoundError, match="ROLE-MANAGER"):
        before.version_in_force(MIN_INSTANT)
    with pytest.raises(NotFoundError):
        before.ref(MIN_INSTANT)
    ended = before.withdraw(at=MAX_INSTANT)
    assert ended.in_force(MAX_INSTANT) is None
    assert ended.version_in_force(MAX_INSTANT - timedelta(microseconds=1)).number == 1


def test_a_reference_resolves_to_that_exact_version() -> None:
    refund = _receipt_change(_refund(), datetime(2026, 7, 1, tzinfo=UTC))
    assert refund.resolve(DocumentRef("PROC-REFUND", 1)) == refund.versions[0]
    assert refund.version_numbered(2) is refund.versions[1]
    for ref in (DocumentRef("PROC-REFUND", 3), DocumentRef("PROC-OTHER", 1)):
        with pytest.raises(NotFoundError):
            refund.resolve(ref)
    for wrong in (("PROC-REFUND", 1), None):
        with pytest.raises(ValidationError):
            refund.resolve(wrong)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        refund.version_numbered("2")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        refund.version_numbered(0)


_PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _us(moment: datetime) -> int:
    """Microseconds since 1970 UTC, exactly: an aware difference counts real elapsed time."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def _last_in_force(document: ControlledDocument, at: datetime) -> int | None:
    """The oracle: the last version taking effect at or before ``at``, in exact microseconds."""
    moment = _us(at)
    if document.ends_at is not None and moment >= _us(document.ends_at):
        return None
    numbers = [v.number for v in document.versions if _us(v.effective_from) <= moment]
    return numbers[-1] if numbers else None


@_PROPERTY
@given(document=documents(), data=st.data())
def test_the_version_in_force_is_the_last_to_take_effect_at_or_before_the_instant(
    document: ControlledDocument, data: Any
) -> None:
    edges: list[datetime] = [MIN_INSTANT, MAX_INSTANT]
    for version in document.versions:
        instant = version.effective_from.astimezone(UTC)
        edges += [
            version.effective_from,
            instant - timedelta(microseconds=1),
            (instant + timedelta(microseconds=1)).astimezone(KOLKATA),
        ]
    if document.ends_at is not None:
        edges += [document.ends_at, document.ends_at.astimezone(UTC) - timedelta(microseconds=1)]
    moments = edges + data.draw(st.lists(real_datetimes(timezones=ZONES), max_size=5))
    for at in moments:
        expected = _last_in_force(document, at)
        found = document.in_force(at)
        assert (None if found is None else found.number) == expected
        if expected is None:
            with pytest.raises(NotFoundError):
                document.version_in_force(at)
        else:
            assert document.version_in_force(at).number == expected
            assert document.ref(at) == DocumentRef(document.id, expected)
            assert document.resolve(document.ref(at)) is found


@_PROPERTY
@given(
    start=real_datetimes(timezones=ZONES),
    gaps=st.lists(st.integers(1, 3 * 3600), min_size=1, max_size=6),
    zones=st.lists(st.sampled_from(ZONES), min_size=6, max_size=6),
    at=real_datetimes(timezones=ZONES),
)
def test_revisions_hours_apart_across_a_clock_change_are_ordered_as_instants(
    start: datetime, gaps: list[int], zones: list[str], at: datetime
) -> None:
    # Revisions a few hours apart, each written in its own zone: around a DST change their
    # wall clocks may run backwards while their instants run forwards.
    document = _manager(start)
    moment = start.astimezone(UTC)
    for index, gap in enumerate(gaps):
        moment += timedelta(seconds=gap)
        document = document.revise(
            effective_from=moment.astimezone(ZoneInfo(zones[index])),
            reason="a routine review",
            author_role="quality_manager",
            duties=[f"Duty version {index + 2}"],
        )
    for asked in (at, *(v.effective_from for v in document.versions)):
        found = document.in_force(asked)
        assert (None if found is None else found.number) == _last_in_force(document, asked)


_NEAR_THE_ENDS = st.one_of(
    st.integers(0, 3 * 86_400_000_000).map(lambda us: MIN_INSTANT + timedelta(microseconds=us)),
    st.integers(0, 3 * 86_400_000_000).map(lambda us: MAX_INSTANT - timedelta(microseconds=us)),
)
_OFFSETS = st.sampled_from(
    [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), KOLKATA, LONDON]
)


@_PROPERTY
@given(
    instants=st.lists(_NEAR_THE_ENDS, min_size=1, max_size=5, unique=True),
    zone=_OFFSETS,
    asked=st.lists(_NEAR_THE_ENDS, max_size=5),
)
def test_the_version_in_force_near_the_ends_of_the_supported_range(
    instants: list[datetime], zone: Any, asked: list[datetime]
) -> None:
    first, *rest = sorted(instants)
    document = _manager(first.astimezone(zone))
    for index, moment in enumerate(rest):
        document = document.revise(
            effective_from=moment.astimezone(zone),
            reason="a routine review",
            author_role="quality_manager",
            duties=[f"Duty version {index + 2}"],
        )
    for at in (*asked, *instants, MIN_INSTANT, MAX_INSTANT):
        for written in (at, at.astimezone(zone)):
            found = document.in_force(written)
            assert (None if found is None else found.number) == _last_in_force(document, at)


# ---------------------------------------------------------------- JSON and JSON Schema


_VALIDATOR = Draft202012Validator(
    json_schema(ControlledDocument), format_checker=Draft202012Validator.FORMAT_CHECKER
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_documents_round_trip_through_json_and_match_their_schema(
    document: ControlledDocument,
) -> None:
    text = to_json(document)
    back = from_json(text, ControlledDocument)
    assert back == document
    assert to_json(back) == text
    assert list(_VALIDATOR.iter_errors(unstructure(document))) == []


@pytest.mark.parametrize(
    "content",
    [ServiceStandard, Procedure, RoleDuties, DocumentVersion, DocumentChange, ChangeCause],
)
def test_every_part_a_form_edits_has_a_schema(content: type) -> None:
    schema = json_schema(content)
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False


def test_each_kind_round_trips_and_validates() -> None:
    for document in (_hotline_standard(), _refund(), _manager()):
        revised = document.revise(
            effective_from=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
            reason="a review found the title unclear",
            author_role="quality_manager",
            because=[("review", "REV-2026-Q3"), ("complaint", "CMP-9")],
            title=document.title + " (2026)",
        )
        data = unstructure(revised)
        assert list(_VALIDATOR.iter_errors(data)) == []
        assert structure(data, ControlledDocument) == revised
        assert data["versions"][0][revised.kind.content_field] is not None


def test_bad_json_is_refused_in_one_round_without_echoing_values() -> None:
    data = unstructure(_receipt_change(_refund(), datetime(2026, 7, 1, tzinfo=UTC)))
    secret = "Mrs Chan's card 4111"
    data["versions"][0]["title"] = ""
    data["versions"][0]["procedure"]["steps"][0]["number"] = 3
    data["versions"][0]["procedure"]["escalations"][0]["after"] = math.inf
    data["versions"][0]["procedure"]["owner_role"] = secret + " "
    data["versions"][1]["effective_from"] = "2025-01-01T00:00:00Z"
    data["versions"][1]["change"]["because"][0]["kind"] = secret
    data["versions"][1]["change"]["author_role"] = "\ud800"
    data["versions"][1]["procedure"]["steps"] = "all of them"
    data["version"] = 2**60
    data["colour"] = "red"
    with pytest.raises(ValidationError) as error:
        structure(data, ControlledDocument)
    assert sorted(_paths(error)) == sorted(
        [
            "$.colour",
            "$.version",
            "$.versions[0].title",
            "$.versions[0].procedure.steps[0].number",
            "$.versions[0].procedure.escalations[0].after",
            "$.versions[0].procedure.owner_role",
            "$.versions[1].procedure.steps",
            "$.versions[1].change.because[0].kind",
            "$.versions[1].change.author_role",
            "$.versions[1].effective_from",
        ]
    )
    assert secret not in str(error.value)
    assert list(_VALIDATOR.iter_errors(data)) != []


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "document",
        {"id": "D", "kind": "manual", "versions": [{}]},
        {"id": "D", "kind": "procedure", "versions": [{"title": 5, "procedure": "x"}]},
        {"id": "D", "kind": "procedure", "versions": [], "ends_at": "2026-01-01T00:00:00"},
        {"id": 2**70, "kind": None, "versions": {"0": {}}},
    ],
)
def test_any_bad_json_is_a_validation_error(data: Any) -> None:
    with pytest.raises(ValidationError) as error:
        structure(data, ControlledDocument)
    assert error.value.problems


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=10,
    ),
    st.sampled_from(["id", "kind", "versions", "ends_at", "version"]),
)
def test_anything_in_any_field_is_refused_as_an_rsq_error(value: Any, name: str) -> None:
    data = unstructure(_refund())
    data[name] = value
    with contextlib.suppress(RSQError):
        structure(data, ControlledDocument)
    for field in ("title", "effective_from", "procedure", "change", "number"):
        document = unstructure(_refund())
        document["versions"][0][field] = value
        with contextlib.suppress(RSQError):
            structure(document, ControlledDocument)
