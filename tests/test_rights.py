"""Data-subject rights: erasure with holds and live purposes, suppression, and the access export."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality._internal.personal import personal
from retail_service_quality._internal.validation import masked
from retail_service_quality.customers import RECORD_KINDS

P = rsq.PersonalDataClass
AT = datetime(2026, 5, 4, 10, tzinfo=UTC)
ON = AT.date()
HASHER = rsq.KeyedHasher(b"retailer-secret-key-of-32-bytes!")
IRO = "Inland Revenue Ordinance (Cap. 112) s.51C"


@attrs.frozen
class Contact:
    """A contact point, as the customer record will hold them."""

    kind: rsq.DataKind
    value: str = attrs.field(repr=masked, metadata=personal(P.CONTACT))


@attrs.frozen(kw_only=True)
class Member:
    """A customer record with optional, tuple and date personal fields, and ``erased_at``."""

    id: str
    name: str | None = attrs.field(default=None, repr=masked, metadata=personal(P.IDENTIFIER))
    contacts: tuple[Contact, ...] = attrs.field(
        default=(), repr=masked, metadata=personal(P.CONTACT)
    )
    date_of_birth: date | None = attrs.field(
        default=None, repr=masked, metadata=personal(P.DEMOGRAPHIC)
    )
    preferences: tuple[str, ...] = attrs.field(
        default=(), repr=masked, metadata=personal(P.PREFERENCE)
    )
    staff_notes: str | None = attrs.field(default=None, repr=masked, metadata=personal(P.FREE_TEXT))
    tier: str = "standard"
    created_at: datetime
    erased_at: datetime | None = None


def _member(**changes: Any) -> Member:
    values: dict[str, Any] = {
        "id": "C-1",
        "name": "Chan Tai Man",
        "contacts": (
            Contact(rsq.DataKind.EMAIL, "tm.chan@example.com"),
            Contact(rsq.DataKind.MOBILE_NUMBER, "+852 5555 0000"),
            Contact(rsq.DataKind.POSTAL_ADDRESS, "Flat 3, 1 Queen's Road Central"),
        ),
        "date_of_birth": date(1990, 2, 28),
        "preferences": ("skincare", "vegan"),
        "staff_notes": "prefers a call after 6pm",
        "tier": "vip",
        "created_at": datetime(2024, 1, 2, tzinfo=UTC),
    }
    values.update(changes)
    return Member(**values)


def _invoices(**changes: Any) -> rsq.LegalHold:
    values: dict[str, Any] = {
        "id": "H-1",
        "customer_id": "C-1",
        "keeps": ["name", "postal_address"],
        "reason": "invoices are kept for 7 years for tax",
        "source": IRO,
        "placed_at": AT,
        "until": date(2033, 5, 4),
    }
    values.update(changes)
    return rsq.LegalHold(**values)


SECRETS = ("Chan Tai", "example.com", "5555", "Queen", "1990", "skincare", "6pm")


def _no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


# ------------------------------------------------------------------------------- scenarios


def test_erasure_request_from_a_customer_with_invoices() -> None:
    """Marketing fields erased, invoice fields kept under a legal hold; the report says why."""
    member = _member()
    plan = rsq.plan_erasure(member, holds=[_invoices()], on=ON, law="gdpr")
    assert plan.kept() == ("name", "contacts.postal_address")
    assert plan.erased() == (
        "contacts.email",
        "contacts.mobile_number",
        "date_of_birth",
        "preferences",
        "staff_notes",
        *RECORD_KINDS,
    )
    rows = {row["item"]: row for row in plan.to_records()}
    for item in ("name", "contacts.postal_address"):
        assert rows[item]["action"] == "keep"
        assert rows[item]["basis"] == "hold"
        assert rows[item]["hold_id"] == "H-1"
        assert rows[item]["source"] == IRO
        assert rows[item]["reason"] == "invoices are kept for 7 years for tax"
        assert rows[item]["until"] == date(2033, 5, 4)
    assert rows["contacts.email"]["source"] == "GDPR Art. 17(1)"
    assert rows["contacts.email"]["basis"] == "request"
    words = plan.explain()
    assert "name: keep (invoices are kept for 7 years for tax, until 2033-05-04;" in words
    assert "contacts.email: erase (erased at the person's request" in words
    page = plan._repr_html_()
    assert "ErasurePlan" in page
    assert IRO in page
    _no_secret(repr(plan) + words + page)

    erased = plan.apply(member, AT)
    assert erased.name == "Chan Tai Man"
    assert erased.contacts == (member.contacts[2],)
    assert erased.date_of_birth is None
    assert erased.preferences == ()
    assert erased.staff_notes is None
    assert erased.tier == "vip"
    assert erased.erased_at == AT


def test_erasure_request_with_the_current_customer_record() -> None:
    customer = rsq.Customer(
        id="C-1",
        name="Chan Tai Man",
        contacts=[
            rsq.ContactPoint("email", "tm.chan@example.com"),
            rsq.ContactPoint("mobile_number", "+852 5555 0000"),
        ],
        created_at=datetime(2024, 1, 2, tzinfo=UTC),
    )
    plan = rsq.plan_erasure(customer, holds=[_invoices()], on=ON)
    assert plan.kept() == ("name",)
    assert plan.items["contacts.email"].source == "PDPO DPP2(2) and s.26"
    erased = plan.apply(customer, AT)
    assert (erased.name, erased.email, erased.phone) == ("Chan Tai Man", None, None)
    assert erased.erased_at == AT
    # Without the hold the name goes too: nothing personal is left.
    bare = rsq.plan_erasure(customer, holds=[], on=ON).apply(customer, AT)
    assert (bare.name, bare.contacts) == (None, ())
    _no_secret(repr(bare))


def test_opt_out_then_erasure_then_the_same_email_reimported() -> None:
    """An opt-out outlives erasure: the keyed hash blocks the re-imported address."""
    member = _member()
    opted_out = rsq.OptedOut(
        event_id="E-9", customer_id="C-1", at=AT, evidence="email:unsubscribe-1"
    )
    ledger = rsq.ConsentLedger("C-1").append(opted_out)
    suppression = [
        rsq.SuppressionEntry(digest=HASHER.digest(c.kind, c.value), data_kind=c.kind, added_at=AT)
        for c in member.contacts
        if c.kind is not rsq.DataKind.POSTAL_ADDRESS
    ]
    plan = rsq.plan_erasure(member, holds=[], on=ON)
    erased = plan.apply(member, AT)
    assert erased.contacts == ()
    assert plan.items["consent_ledger"].action == "erase"
    assert ledger.customer_id == "C-1"
    # The suppression list names no one, and still recognises the address.
    for entry in suppression:
        _no_secret(repr(entry) + rsq.to_json(entry))
    reimported = "  TM.Chan@EXAMPLE.com "
    assert any(HASHER.matches(e.digest, e.data_kind, reimported) for e in suppression)
    assert any(HASHER.matches(e.digest, e.data_kind, "+852 5555-0000") for e in suppression)
    assert not any(HASHER.matches(e.digest, "email", "someone@example.com") for e in suppression)


# ------------------------------------------------------------------------------- erasure


def test_a_live_purpose_keeps_what_its_rules_cover_and_says_so() -> None:
    plan = rsq.plan_erasure(_member(), holds=[], live_purposes=["legal_claims"], on=ON)
    for kind in ("consent_ledger", "data_uses", "privacy_requests"):
        item = plan.items[kind]
        assert (item.action, item.basis, item.purpose) == ("keep", "live_purpose", "legal_claims")
        assert "legal_claims" in item.reason
    assert plan.items["interactions"].action == "erase"
    schedule = rsq.RetentionSchedule(
        [rsq.RetentionRule(data="contact", purpose="open_order", days=30)]
    )
    plan = rsq.plan_erasure(
        _member(), holds=[], live_purposes=["open_order"], on=ON, schedule=schedule
    )
    assert plan.kept() == ("contacts.email", "contacts.mobile_number", "contacts.postal_address")


def test_an_expired_or_released_hold_keeps_nothing() -> None:
    expired = _invoices(until=date(2026, 5, 3))
    released = _invoices(id="H-2", released_at=AT)
    plan = rsq.plan_erasure(_member(), holds=[expired, released], on=ON)
    assert plan.kept() == ()


def test_a_hold_on_a_kind_of_records_keeps_those_records() -> None:
    claim = _invoices(keeps=["interactions"], until=None, source="GDPR Art. 17(3)(e)")
    plan = rsq.plan_erasure(_member(), holds=[claim], on=ON)
    assert plan.kept() == ("interactions",)
    assert plan.items["interactions"].until is None


def test_erasure_arguments_are_checked_together() -> None:
    with pytest.raises(rsq.ValidationError) as error:
        rsq.plan_erasure(
            _member(),
            holds=[_invoices(customer_id="C-2"), None],  # type: ignore[list-item]
            live_purposes=["open_order"],
            on=AT,
            law="ccpa",
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.law", "unknown_choice"),
        ("$.live_purposes[0]", "unknown_choice"),
        ("$.holds[0].customer_id", "inconsistent"),
        ("$.holds[1]", "type"),
        ("$.on", "type"),
    ]
    with pytest.raises(rsq.ValidationError) as error:
        rsq.plan_erasure(Member, holds=(), on=ON, schedule="x")  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.customer", "$.schedule"]


def test_apply_refuses_another_customer_a_changed_one_and_a_naive_time() -> None:
    member = _member()
    plan = rsq.plan_erasure(member, holds=[], on=ON)
    with pytest.raises(rsq.ValidationError) as error:
        plan.apply(_member(id="C-2"), AT)
    assert [p.path for p in error.value.problems] == ["$.customer.id"]
    changed = _member(contacts=(Contact(rsq.DataKind.FAX, "+852 2345 6789"),))
    with pytest.raises(rsq.ValidationError) as error:
        plan.apply(changed, AT)
    assert [p.path for p in error.value.problems] == ["$.customer"]
    with pytest.raises(rsq.ValidationError) as error:
        plan.apply(member, datetime(2026, 5, 4))
    assert [p.path for p in error.value.problems] == ["$.at"]
    with pytest.raises(rsq.ValidationError):
        plan.apply("C-1", AT)


def test_an_empty_customer_erases_to_itself() -> None:
    empty = Member(id="C-1", created_at=AT)
    plan = rsq.plan_erasure(empty, holds=[], on=ON)
    assert plan.erased() == RECORD_KINDS  # no personal field holds anything
    assert plan.apply(empty, AT) == attrs.evolve(empty, erased_at=AT)


FIELDS = ("name", "email", "mobile_number", "postal_address", "date_of_birth", "preferences")
HOLDABLE = (*FIELDS, "staff_notes", "contacts", *RECORD_KINDS)
ITEM_NAMES = {
    "email": "contacts.email",
    "mobile_number": "contacts.mobile_number",
    "postal_address": "contacts.postal_address",
}


@st.composite
def holds(draw: st.DrawFn) -> rsq.LegalHold:
    return _invoices(
        id=draw(st.sampled_from(["H-1", "H-2", "H-3", "H-4"])),
        keeps=draw(st.lists(st.sampled_from(HOLDABLE), min_size=1, max_size=4, unique=True)),
        until=draw(st.none() | st.dates(date(2026, 4, 1), date(2026, 6, 1))),
        released_at=draw(st.none() | st.just(AT)),
    )


@given(
    st.lists(holds(), max_size=4, unique_by=lambda hold: hold.id),
    st.lists(st.sampled_from(rsq.RetentionSchedule.default().purposes), unique=True),
    st.dates(date(2026, 4, 1), date(2026, 6, 1)),
)
def test_erasure_never_erases_a_held_item_nor_keeps_one_without_a_reason(
    found: list[rsq.LegalHold], live: list[str], on: date
) -> None:
    member = _member()
    plan = rsq.plan_erasure(member, holds=found, live_purposes=live, on=on)
    schedule = rsq.RetentionSchedule.default()
    for name, item in plan.items.items():
        field, _, kind = name.partition(".")
        names = {name, field, kind} - {""}
        holding = [hold for hold in found if hold.active_on(on) and names & set(hold.keeps)]
        if holding:
            assert item.action == "keep"
            assert item.basis == "hold"
            assert item.hold_id in {hold.id for hold in holding}
        elif item.action == "keep":
            assert item.basis == "live_purpose"
            assert item.purpose in live
            assert item.data in {rule.data for rule in schedule.rules if rule.purpose in live}
        else:
            assert item.basis == "request"
        assert item.reason
        assert item.source
    erased = plan.apply(member, AT)
    kept_kinds = {name.split(".")[1] for name in plan.kept() if name.startswith("contacts.")}
    assert {contact.kind.value for contact in erased.contacts} == kept_kinds
    for name in ("name", "date_of_birth", "preferences", "staff_notes"):
        assert (getattr(erased, name) == getattr(member, name)) == (name in plan.kept())


# ------------------------------------------------------------------------------- access


def _request(**changes: Any) -> rsq.PrivacyRequest:
    values: dict[str, Any] = {
        "id": "R-1",
        "customer_id": "C-1",
        "kind": "access",
        "law": "pdpo",
        "received_at": AT,
        "due_on": rsq.access_request_due(ON, law="pdpo"),
    }
    values.update(changes)
    return rsq.PrivacyRequest(**values)


def _provided(event_id: str, recipient: str, kinds: list[str], day: int) -> rsq.DataProvided:
    return rsq.DataProvided(
        event_id=event_id,
        customer_id="C-1",
        at=datetime(2026, 3, day, tzinfo=UTC),
        evidence=f"batch:{event_id}",
        recipient_id=recipient,
        recipient_class="insurance",
        data_kinds=kinds,
        for_gain=False,
    )


def test_an_access_export_holds_everything_and_what_art_15_lists() -> None:
    customer = rsq.Customer(
        id="C-1",
        name="Chan Tai Man",
        contacts=[rsq.ContactPoint("email", "tm.chan@example.com")],
        created_at=AT,
    )
    sent = rsq.MarketingMessageSent(
        event_id="U-1", customer_id="C-1", at=AT, evidence="campaign:K-7", channel="sms",
        marketing_class="cosmetics", opt_out_statement=True,
    )  # fmt: skip
    uses: list[rsq.DataUse] = [
        sent,
        _provided("U-2", "P-INSURE", ["name"], 2),
        _provided("U-3", "P-INSURE", ["mobile_number"], 9),
        _provided("U-4", "P-BANK", ["name"], 5),
    ]
    interaction = rsq.ServiceInteraction(
        id="I-1", store_id="HK-CWB", channel="hotline", occurred_at=AT, customer_id="C-1",
        notes="asked about her refund",
    )  # fmt: skip
    request = _request()
    ledger = rsq.ConsentLedger("C-1").append(
        rsq.OptedOut(event_id="E-1", customer_id="C-1", at=AT, evidence="sms:STOP")
    )
    export = rsq.build_access_export(
        customer,
        request=request,
        produced_at=AT,
        consent_ledger=ledger,
        data_uses=uses,
        interactions=[interaction],
        privacy_requests=[request],
        legal_holds=[_invoices(keeps=["name"])],
        source="given by the customer at sign-up, in store",
    )
    assert export.due_on == date(2026, 6, 13)
    assert export.marketing_messages == (sent,)
    assert [r.recipient_id for r in export.recipients] == ["P-BANK", "P-INSURE"]
    insure = export.recipients[1]
    assert insure.data_kinds == (rsq.DataKind.NAME, rsq.DataKind.MOBILE_NUMBER)
    assert insure.last_provided_at == datetime(2026, 3, 9, tzinfo=UTC)
    assert export.categories == ("identifier", "contact", "free_text")
    assert {rule.data for rule in export.retention} == {
        "identifier", "contact", "free_text", "consent_ledger", "data_uses", "interactions",
        "privacy_requests",
    }  # fmt: skip
    assert export.purposes == ("customer_service", "direct_marketing", "legal_claims", "membership")
    data = json.loads(export.to_json())
    # the person's own data, in full
    assert data["customer"]["contacts"][0]["value"] == "tm.chan@example.com"
    assert data["interactions"][0]["notes"] == "asked about her refund"
    assert data["consent_ledger"]["opt_outs"][0]["event_id"] == "E-1"
    assert data["legal_holds"][0]["source"] == IRO
    assert data["retention"][0]["purpose"] == "membership"
    assert data["source"] == "given by the customer at sign-up, in store"
    rows = export.to_records()
    assert {row["section"]: row["records"] for row in rows}["data_provided"] == 3
    assert export.to_dataframe().shape == (len(rows), 4)
    _no_secret(repr(export) + export._repr_html_())


def test_a_portability_request_under_the_gdpr_takes_its_extended_date() -> None:
    request = _request(
        kind="portability", law="gdpr", due_on=date(2026, 6, 4), status="extended",
        extended_to=date(2026, 8, 4),
    )  # fmt: skip
    customer = rsq.Customer(id="C-1", name="Wong", created_at=AT)
    export = rsq.build_access_export(
        customer,
        request=request,
        produced_at=AT,
        other={"survey_responses": [_request(id="R-2", kind="erasure")]},
        purposes=["membership"],
    )
    assert (export.law, export.due_on) == ("gdpr", date(2026, 8, 4))
    assert export.purposes == ("membership",)
    assert [row["section"] for row in export.to_records()][-1] == "survey_responses"
    assert json.loads(export.to_json())["other"]["survey_responses"][0]["id"] == "R-2"


def test_no_one_elses_record_gets_into_an_export() -> None:
    customer = rsq.Customer(id="C-1", name="Wong", created_at=AT)
    stranger = rsq.ServiceInteraction(
        id="I-9", store_id="HK-CWB", channel="hotline", occurred_at=AT, customer_id="C-2"
    )
    with pytest.raises(rsq.ValidationError) as error:
        rsq.build_access_export(
            customer,
            request=_request(customer_id="C-2", kind="erasure"),
            produced_at=datetime(2026, 5, 4),
            consent_ledger=rsq.ConsentLedger("C-2"),
            data_uses=[stranger],  # type: ignore[list-item]
            interactions=[stranger, None],  # type: ignore[list-item]
            privacy_requests="R-1",  # type: ignore[arg-type]
            legal_holds=[_invoices(customer_id="C-2")],
            other={"customer": [], "surveys": [stranger], "notes": ["text"]},
            schedule=5,  # type: ignore[arg-type]
            purposes=[""],
            source="",
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.request.kind", "invalid"),
        ("$.request.customer_id", "inconsistent"),
        ("$.produced_at", "naive_datetime"),
        ("$.consent_ledger.customer_id", "inconsistent"),
        ("$.data_uses[0]", "type"),
        ("$.interactions[0].customer_id", "inconsistent"),
        ("$.interactions[1]", "type"),
        ("$.privacy_requests", "type"),
        ("$.legal_holds[0].customer_id", "inconsistent"),
        ("$.other.customer", "duplicate"),
        ("$.other.surveys[0].customer_id", "inconsistent"),
        ("$.other.notes[0]", "type"),
        ("$.schedule", "type"),
        ("$.purposes[0]", "type"),
        ("$.source", "type"),
    ]
    with pytest.raises(rsq.ValidationError) as error:
        rsq.build_access_export(None, request=None, produced_at=AT)  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.customer", "$.request"]


# ------------------------------------------------------------------------------- any input


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(st.characters(codec=None), max_size=5),
    st.binary(max_size=5),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.lists(st.integers() | st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(_member()),
    st.just([_invoices(), "x"]),
)


@given(anything, anything, anything, anything, anything)
def test_the_rights_functions_raise_only_validation_errors(
    a: Any, b: Any, c: Any, d: Any, e: Any
) -> None:
    calls: list[Callable[[], object]] = [
        lambda: rsq.plan_erasure(a, holds=b, live_purposes=c, on=d, law=e),
        lambda: rsq.plan_retention(a, last_activity=b, holds=c, live_purposes=d, schedule=e, on=ON),
        lambda: rsq.build_access_export(
            a, request=_request(), produced_at=b, interactions=c, other=d, purposes=e
        ),
        lambda: rsq.normalise_contact(a, b),
        lambda: HASHER.matches(a, b, c),
        lambda: rsq.KeyedHasher(a),
        lambda: rsq.RetentionRule(data=a, purpose=b, years=c, months=d, days=e),
        lambda: rsq.RetentionSchedule(a),
        lambda: rsq.pseudonymised_records(a, HASHER),
        lambda: rsq.plan_erasure(_member(), holds=[], on=ON).apply(a, b),
    ]
    errors: list[rsq.ValidationError] = []
    for call in calls:
        try:
            call()
        except rsq.ValidationError as error:
            errors.append(error)
    for found in errors:
        assert found.problems
        _no_secret(str(found))


def test_plans_are_hashable_values() -> None:
    plan = rsq.plan_erasure(_member(), holds=[_invoices()], on=ON)
    assert hash(plan) == hash(rsq.plan_erasure(_member(), holds=[_invoices()], on=ON))
    assert plan == rsq.plan_erasure(_member(), holds=[_invoices()], on=ON)


def test_a_record_type_whose_annotations_do_not_resolve_is_blanked_by_its_defaults() -> None:
    @attrs.frozen(kw_only=True)
    class Local:
        id: str
        nickname: Unknown | None = attrs.field(  # type: ignore[name-defined]  # noqa: F821
            default=None, metadata=personal(P.IDENTIFIER)
        )
        tags: tuple[Unknown, ...] = attrs.field(  # type: ignore[name-defined]  # noqa: F821
            default=(), metadata=personal(P.PREFERENCE)
        )
        created_at: datetime

    local = Local(id="C-1", nickname="Tai", tags=("x",), created_at=AT)
    erased = rsq.plan_erasure(local, holds=[], on=ON).apply(local, AT)
    assert (erased.nickname, erased.tags) == (None, ())


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=ZoneInfo("Europe/London")),
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
        datetime(2026, 5, 4, 0, 15, tzinfo=ZoneInfo("Asia/Kolkata")),
        datetime(2026, 5, 4, 0, 15, tzinfo=ZoneInfo("Australia/Adelaide")),
        datetime(9999, 12, 30, 23, 59, tzinfo=UTC),
    ],
)
def test_erasure_and_export_keep_the_instant_they_are_given(at: datetime) -> None:
    member = _member()
    erased = rsq.plan_erasure(member, holds=[], on=at.date()).apply(member, at)
    assert erased.erased_at == at
    assert erased.erased_at.utcoffset() == at.utcoffset()
    customer = rsq.Customer(id="C-1", name="Wong", created_at=AT)
    export = rsq.build_access_export(customer, request=_request(), produced_at=at)
    assert export.produced_at == at
    assert rsq.from_json(rsq.to_json(at), datetime) == at


def test_a_skipped_hour_is_refused_for_erasure_and_export() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/London"))
    member = _member()
    with pytest.raises(rsq.ValidationError) as error:
        rsq.plan_erasure(member, holds=[], on=ON).apply(member, skipped)
    assert [(p.path, p.code) for p in error.value.problems] == [("$.at", "nonexistent_time")]
    customer = rsq.Customer(id="C-1", name="Wong", created_at=AT)
    with pytest.raises(rsq.ValidationError) as error:
        rsq.build_access_export(customer, request=_request(), produced_at=skipped)
    assert [p.path for p in error.value.problems] == ["$.produced_at"]
