"""Collection forms: purposes for every field, no HKID without need, no pre-ticked consent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import CollectionForm, ConsentBox, FieldKind, FormField, Purpose

MEMBERSHIP = Purpose("membership", "run the VIP membership and its rewards")


def _form(**changes: Any) -> CollectionForm:
    values: dict[str, Any] = {
        "id": "vip-signup",
        "notice_version": "2026-11",
        "purposes": [MEMBERSHIP],
        "fields": [
            FormField("name", FieldKind.NAME, purposes=["membership"], obligatory=True),
            FormField("mobile", FieldKind.MOBILE_NUMBER, purposes=["membership"]),
        ],
        "consent_boxes": [
            ConsentBox(
                "sms-cosmetics", data_kinds=["mobile_number"], marketing_classes=["cosmetics"]
            )
        ],
    }
    values.update(changes)
    return CollectionForm(**values)


def _problems(build: Any, **changes: Any) -> list[tuple[str, str]]:
    with pytest.raises(rsq.ValidationError) as caught:
        build(**changes)
    return [(problem.path, problem.code) for problem in caught.value.problems]


def test_a_good_form_is_built_and_round_trips() -> None:
    form = _form()
    assert rsq.from_json(rsq.to_json(form), CollectionForm) == form


@pytest.mark.parametrize("kind", ["hkid_number", "passport_number"])
def test_a_vip_form_must_not_ask_for_an_identity_document(kind: str) -> None:
    fields = [FormField("hkid", kind, purposes=["membership"])]
    assert _problems(_form, fields=fields) == [("$.fields[0].kind", "invalid")]


def test_a_form_with_a_stated_need_may_ask_for_one() -> None:
    form = _form(
        fields=[FormField("hkid", "hkid_number", purposes=["membership"], obligatory=True)],
        needs_identity_document="a purchase on credit requires identity verification by law",
    )
    assert form.fields[0].kind is FieldKind.HKID_NUMBER


def test_a_pre_ticked_box_is_refused() -> None:
    assert _problems(
        ConsentBox, id="news", data_kinds=["email"], marketing_classes=["fashion"], pre_ticked=True
    ) == [("$.pre_ticked", "invalid")]


def test_a_pre_ticked_box_in_json_is_refused_with_its_path() -> None:
    data = rsq.unstructure(_form())
    data["consent_boxes"][0]["pre_ticked"] = True
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.structure(data, CollectionForm)
    assert [p.path for p in caught.value.problems] == ["$.consent_boxes[0].pre_ticked"]


def test_every_field_serves_a_stated_purpose() -> None:
    fields = [FormField("birthday", "date_of_birth", purposes=["birthday-offers"])]
    assert _problems(_form, fields=fields) == [("$.fields[0].purposes[0]", "unknown_choice")]
    assert _problems(FormField, name="x", kind="email", purposes=[]) == [("$.purposes", "required")]


def test_every_problem_is_reported_at_once() -> None:
    found = _problems(
        _form,
        purposes=[MEMBERSHIP, MEMBERSHIP],
        fields=[
            FormField("mobile", "mobile_number", purposes=["membership"]),
            FormField("mobile", "hkid_number", purposes=["marketing"]),
        ],
    )
    assert found == [
        ("$.purposes[1].id", "duplicate"),
        ("$.fields[1].name", "duplicate"),
        ("$.fields[1].kind", "invalid"),
        ("$.fields[1].purposes[0]", "unknown_choice"),
    ]


def test_a_consent_box_names_what_it_covers() -> None:
    assert _problems(ConsentBox, id="x", data_kinds=[], marketing_classes=[]) == [
        ("$.data_kinds", "required"),
        ("$.marketing_classes", "required"),
    ]
    assert _problems(ConsentBox, id="x", data_kinds=["telepathy"], marketing_classes=["a"]) == [
        ("$.data_kinds[0]", "unknown_choice")
    ]


def test_only_explicit_ticks_give_consent() -> None:
    form = _form()
    assert form.ticked([]) == ()
    assert [box.id for box in form.ticked(["sms-cosmetics"])] == ["sms-cosmetics"]


@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        (["unknown"], [("$[0]", "unknown_choice")]),
        (["sms-cosmetics", "sms-cosmetics"], [("$[1]", "duplicate")]),
        ("sms-cosmetics", [("$", "type")]),
        (None, [("$", "type")]),
        ([3], [("$[0]", "unknown_choice")]),
    ],
)
def test_a_bad_tick_list_is_refused(boxes: Any, expected: list[tuple[str, str]]) -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        _form().ticked(boxes)
    assert [(p.path, p.code) for p in caught.value.problems] == expected


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(["sms-cosmetics", "email-fashion", "post-home"])))
def test_the_consents_are_exactly_the_boxes_ticked(ticked: set[str]) -> None:
    form = _form(
        fields=[
            FormField("mobile", "mobile_number", purposes=["membership"]),
            FormField("email", "email", purposes=["membership"]),
        ],
        consent_boxes=[
            ConsentBox(
                "sms-cosmetics", data_kinds=["mobile_number"], marketing_classes=["cosmetics"]
            ),
            ConsentBox("email-fashion", data_kinds=["email"], marketing_classes=["fashion"]),
            ConsentBox("post-home", data_kinds=["postal_address"], marketing_classes=["homeware"]),
        ],
    )
    assert {box.id for box in form.ticked(sorted(ticked))} == ticked


@pytest.mark.parametrize(
    "payload",
    [3, "form", [], {"id": 5}, {"purposes": "x", "fields": {}, "consent_boxes": 3}],
)
def test_garbage_is_a_validation_error(payload: object) -> None:
    with pytest.raises(rsq.ValidationError):
        rsq.structure(payload, CollectionForm)


def test_the_schema_describes_a_form() -> None:
    schema = rsq.json_schema(CollectionForm)
    assert set(schema["required"]) == {"id", "notice_version", "purposes", "fields"}
    assert "hkid_number" in schema["$defs"]["FormField"]["properties"]["kind"]["enum"]


# ------------------------------------------------ from a submitted form to the ledger

AT = datetime(2026, 11, 30, 10, 15, tzinfo=UTC)

BOXES = [
    ConsentBox("sms-cosmetics", data_kinds=["mobile_number"], marketing_classes=["cosmetics"]),
    ConsentBox("email-fashion", data_kinds=["email"], marketing_classes=["fashion"]),
    ConsentBox(
        "share-insurance",
        data_kinds=["name", "mobile_number"],
        marketing_classes=["insurance"],
        recipient_classes=["insurers"],
        for_gain=True,
    ),
]


def _signup() -> CollectionForm:
    return _form(
        fields=[
            FormField("name", FieldKind.NAME, purposes=["membership"], obligatory=True),
            FormField("mobile", FieldKind.MOBILE_NUMBER, purposes=["membership"]),
            FormField("email", FieldKind.EMAIL, purposes=["membership"]),
        ],
        consent_boxes=BOXES,
    )


def _state(events: tuple[rsq.ConsentEvent, ...]) -> rsq.ConsentState:
    return rsq.ConsentLedger.of("C-1", events).state(AT)


def test_a_form_submitted_with_nothing_ticked_creates_no_consent() -> None:
    events = _signup().consent_events(customer_id="C-1", submission_id="S-1", ticked=[], at=AT)
    assert [type(event) for event in events] == [rsq.NoticeServed]
    notice = events[0]
    assert isinstance(notice, rsq.NoticeServed)
    assert notice.notice_version == "2026-11"
    assert notice.for_gain is True
    assert notice.recipient_classes == ("insurers",)
    state = _state(events)
    assert state.permitted == ()
    assert state.provision_permitted == ()
    assert state.notice_version == "2026-11"


def test_each_ticked_box_gives_exactly_its_consent() -> None:
    events = _signup().consent_events(
        customer_id="C-1", submission_id="S-2", ticked=["email-fashion"], at=AT, method="written"
    )
    assert [event.event_id for event in events] == ["S-2/notice", "S-2/email-fashion"]
    assert {event.evidence for event in events} == {"form:vip-signup/S-2"}
    consent = events[1]
    assert isinstance(consent, rsq.ConsentGiven)
    assert consent.method is rsq.ConsentMethod.WRITTEN
    assert consent.explicit is True
    state = _state(events)
    assert state.permits("email", "fashion")
    assert not state.permits("sms", "cosmetics")
    assert not state.permits("email", "cosmetics")


def test_a_box_naming_recipients_gives_consent_to_provision() -> None:
    events = _signup().consent_events(
        customer_id="C-1", submission_id="S-3", ticked=["share-insurance"], at=AT
    )
    consent = events[1]
    assert isinstance(consent, rsq.ConsentGiven)
    assert consent.scope is rsq.ConsentScope.PROVISION
    state = _state(events)
    assert state.permits_provision("mobile_number", "insurers")
    assert state.permitted == ()


def test_a_form_with_no_consent_box_records_nothing() -> None:
    form = _form(consent_boxes=[])
    assert form.consent_events(customer_id="C-1", submission_id="S-4", ticked=[], at=AT) == ()


def test_a_bad_submission_reports_every_problem_at_once() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        _signup().consent_events(
            customer_id="",
            submission_id=" S ",
            ticked=["nope", "email-fashion", "email-fashion"],
            at=datetime(2026, 11, 30, 10),
            method="oral",
        )
    assert [(problem.path, problem.code) for problem in caught.value.problems] == [
        ("$.customer_id", "format"),
        ("$.submission_id", "format"),
        ("$.at", "naive_datetime"),
        ("$.ticked[0]", "unknown_choice"),
        ("$.ticked[2]", "duplicate"),
        ("$.method", "invalid"),
    ]


def test_a_box_must_name_kinds_marketing_can_use_and_gain_only_with_recipients() -> None:
    assert _problems(
        ConsentBox,
        id="b",
        data_kinds=["date_of_birth"],
        marketing_classes=["toys"],
        for_gain=True,
    ) == [("$.data_kinds[0]", "invalid"), ("$.for_gain", "inconsistent")]


@settings(max_examples=60)
@given(st.lists(st.sampled_from([box.id for box in BOXES]), unique=True))
def test_consent_exists_only_for_the_boxes_ticked(ticked: list[str]) -> None:
    events = _signup().consent_events(customer_id="C-1", submission_id="S-5", ticked=ticked, at=AT)
    state = _state(events)
    expected_own = {
        (rsq.DataKind(kind.value), name)
        for box in BOXES
        if box.id in ticked and not box.recipient_classes
        for kind in box.data_kinds
        for name in box.marketing_classes
    }
    expected_provision = {
        (rsq.DataKind(kind.value), name)
        for box in BOXES
        if box.id in ticked and box.recipient_classes
        for kind in box.data_kinds
        for name in box.recipient_classes
    }
    assert {(p.data_kind, p.class_id) for p in state.permitted} == expected_own
    assert {(p.data_kind, p.class_id) for p in state.provision_permitted} == expected_provision
