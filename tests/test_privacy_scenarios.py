"""Every scenario of the privacy specification, on every adapter, through the one-line API."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import retail_service_quality as rsq
from retail_service_quality import (
    CollectionForm,
    ConsentBox,
    ContactPoint,
    Customer,
    FormField,
    InMemoryStore,
    KeyedHasher,
    LegalHold,
    Purpose,
    SQLiteStore,
)
from retail_service_quality.customers import services
from retail_service_quality.storage.ports import Store

HK = ZoneInfo("Asia/Hong_Kong")
KEY = b"k" * 32
HASHER = KeyedHasher(KEY)
EMAIL = "Tai.Man.Chan@Example.com"
MOBILE = "+852 5123 4567"
NUMBERS = itertools.count()


def on(day: int, month: int = 3, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=HK)


@pytest.fixture(params=["memory", "sqlite", "sqlite-file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store
    if request.param == "memory":
        made = InMemoryStore()
    elif request.param == "sqlite":
        made = SQLiteStore(":memory:")
    else:
        made = SQLiteStore(tmp_path / f"privacy-{next(NUMBERS)}.db")
    with made:
        yield made


def _customer(store: Store, customer_id: str = "C-1", **changes: object) -> Customer:
    values: dict[str, object] = {
        "id": customer_id,
        "name": "Chan Tai Man",
        "contacts": [ContactPoint("email", EMAIL), ContactPoint("mobile_number", MOBILE)],
        "created_at": on(1, 1),
    }
    values.update(changes)
    customer = Customer(**values)  # type: ignore[arg-type]
    with store.unit_of_work() as uow:
        uow.customers.add(customer)
        uow.commit()
    return customer


def _form() -> CollectionForm:
    return CollectionForm(
        id="vip-signup",
        notice_version="v1",
        purposes=[Purpose("membership", "run the VIP membership and its rewards")],
        fields=[
            FormField("mobile", "mobile_number", purposes=["membership"]),
            FormField("email", "email", purposes=["membership"]),
        ],
        consent_boxes=[
            ConsentBox(
                "sms-cosmetics", data_kinds=["mobile_number"], marketing_classes=["cosmetics"]
            ),
            ConsentBox("email-fashion", data_kinds=["email"], marketing_classes=["fashion"]),
            ConsentBox(
                "share-insurers",
                data_kinds=["mobile_number"],
                marketing_classes=["insurance"],
                recipient_classes=["insurers"],
                for_gain=True,
            ),
        ],
    )


def _notice(event_id: str, at: datetime, **fields: object) -> rsq.NoticeServed:
    values: dict[str, object] = {
        "event_id": event_id,
        "customer_id": "C-1",
        "at": at,
        "evidence": "form:F-1",
        "notice_version": "v1",
        "data_kinds": ["mobile_number", "email"],
        "marketing_classes": ["cosmetics", "electronics"],
    }
    values.update(fields)
    return rsq.NoticeServed(**values)  # type: ignore[arg-type]


def _consent(event_id: str, at: datetime, **fields: object) -> rsq.ConsentGiven:
    values: dict[str, object] = {
        "event_id": event_id,
        "customer_id": "C-1",
        "at": at,
        "evidence": "form:F-1",
        "method": "written",
        "scope": "own_marketing",
        "data_kinds": ["mobile_number"],
        "marketing_classes": ["cosmetics"],
        "notice_version": "v1",
        "explicit": True,
    }
    values.update(fields)
    return rsq.ConsentGiven(**values)  # type: ignore[arg-type]


def _allowed(store: Store, channel: str, marketing_class: str, at: datetime) -> bool:
    return services.decide_campaign(
        store,
        customer_id="C-1",
        channel=channel,
        marketing_class=marketing_class,
        at=at,
        hasher=HASHER,
    ).allowed


# ---------------------------------------------------------------- the scenarios


def test_consent_to_sms_about_cosmetics_allows_only_that(store: Store) -> None:
    """Consent covers {mobile number} x {cosmetics}: SMS about cosmetics is allowed; email about
    cosmetics is not (kind of data); SMS about electronics is not (class)."""
    _customer(store)
    services.record_consent(store, [_notice("N-1", on(1)), _consent("K-1", on(1))])
    assert _allowed(store, "sms", "cosmetics", on(2))
    email = services.decide_campaign(
        store,
        customer_id="C-1",
        channel="email",
        marketing_class="cosmetics",
        at=on(2),
        hasher=HASHER,
    )
    assert not email.allowed
    assert any("35E" in reason.source for reason in email.failed)
    assert not _allowed(store, "sms", "electronics", on(2))


def test_oral_consent_counts_from_its_written_confirmation_within_14_days(store: Store) -> None:
    """Oral consent given 1 March and confirmed in writing 10 March: allowed from 10 March, not
    before."""
    _customer(store)
    oral = _consent("K-1", on(1), method="oral", evidence="call:R-1")
    confirmation = rsq.OralConsentConfirmed(
        event_id="W-1",
        customer_id="C-1",
        at=on(10),
        evidence="letter:L-1",
        confirms="K-1",
        consent_date=date(2026, 3, 1),
        data_kinds=["mobile_number"],
        marketing_classes=["cosmetics"],
    )
    services.record_consent(store, [_notice("N-1", on(1)), oral, confirmation])
    assert not _allowed(store, "sms", "cosmetics", on(9))
    assert _allowed(store, "sms", "cosmetics", on(10))
    assert _allowed(store, "sms", "cosmetics", on(30))


def test_oral_consent_unconfirmed_after_14_days_never_counts(store: Store) -> None:
    """Still unconfirmed on 20 March: not allowed, then or later, until consent is given again."""
    _customer(store)
    oral = _consent("K-1", on(1), method="oral", evidence="call:R-1")
    services.record_consent(store, [_notice("N-1", on(1)), oral])
    assert not _allowed(store, "sms", "cosmetics", on(5))
    assert not _allowed(store, "sms", "cosmetics", on(20))
    late = rsq.OralConsentConfirmed(
        event_id="W-1",
        customer_id="C-1",
        at=on(21),
        evidence="letter:L-1",
        confirms="K-1",
        consent_date=date(2026, 3, 1),
        data_kinds=["mobile_number"],
        marketing_classes=["cosmetics"],
    )
    services.record_consent(store, [late])
    assert not _allowed(store, "sms", "cosmetics", on(25))
    services.record_consent(store, [_consent("K-2", on(26))])
    assert _allowed(store, "sms", "cosmetics", on(26))


def test_a_pre_ticked_box_creates_no_consent(store: Store) -> None:
    """A sign-up form with a pre-ticked marketing box: no consent is created."""
    _customer(store)
    with pytest.raises(rsq.ValidationError) as caught:
        ConsentBox(
            "sms-cosmetics",
            data_kinds=["mobile_number"],
            marketing_classes=["cosmetics"],
            pre_ticked=True,
        )
    assert [problem.path for problem in caught.value.problems] == ["$.pre_ticked"]
    document = json.loads(rsq.to_json(_form()))
    document["consent_boxes"][0]["pre_ticked"] = True
    with pytest.raises(rsq.ValidationError) as from_json:
        rsq.from_json(json.dumps(document), CollectionForm)
    assert [p.path for p in from_json.value.problems] == ["$.consent_boxes[0].pre_ticked"]
    events = services.record_form_consent(
        store, form=_form(), customer_id="C-1", submission_id="S-1", ticked=[], at=on(1)
    )
    assert [event.kind for event in events] == ["notice_served"]
    with store.unit_of_work(read_only=True) as uow:
        assert uow.consent.ledger("C-1").consents == ()
    assert not _allowed(store, "sms", "cosmetics", on(2))


def test_an_opt_out_outlives_erasure_and_blocks_a_reimport(store: Store) -> None:
    """Opt-out, then erasure, then the same email address re-imported: still not allowed."""
    _customer(store)
    services.record_form_consent(
        store,
        form=_form(),
        customer_id="C-1",
        submission_id="S-1",
        ticked=["email-fashion"],
        at=on(1),
    )
    assert _allowed(store, "email", "fashion", on(2))
    services.opt_out(
        store, customer_id="C-1", event_id="O-1", at=on(3), evidence="mail:M-1", hasher=HASHER
    )
    services.erase_customer(store, customer_id="C-1", at=on(4), hasher=HASHER)
    with store.unit_of_work(read_only=True) as uow:
        erased = uow.customers.get("C-1")
        assert erased.contacts == ()
        assert erased.erased_at is not None
        assert uow.consent.count("C-1") == 0
    # The same address comes back in an imported list, with the consent the old system held.
    _customer(store, "C-2", contacts=[ContactPoint("email", "  tai.man.chan@EXAMPLE.com ")])
    imported: list[rsq.ConsentEvent] = [
        _notice(
            "N-9", on(1), customer_id="C-2", data_kinds=["email"], marketing_classes=["fashion"]
        ),
        _consent(
            "K-9",
            on(1),
            customer_id="C-2",
            data_kinds=["email"],
            marketing_classes=["fashion"],
        ),
    ]
    services.record_consent(store, imported)
    assert services.is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)
    decision = services.decide_campaign(
        store,
        customer_id="C-2",
        channel="email",
        marketing_class="fashion",
        at=on(6),
        hasher=HASHER,
    )
    assert not decision.allowed
    assert EMAIL.lower() not in decision.explain().lower()


def test_provision_for_gain_without_the_disclosure_is_not_allowed(store: Store) -> None:
    """Data provided to a partner for gain without the for-gain disclosure: not allowed."""
    _customer(store)
    notice = _notice("N-1", on(1), recipient_classes=["insurers"], for_gain=False)
    consent = _consent(
        "K-1",
        on(1),
        scope="provision",
        recipient_classes=["insurers"],
        marketing_classes=["insurance"],
    )
    services.record_consent(store, [notice, consent])
    decision = services.decide_data_provision(
        store,
        customer_id="C-1",
        recipient_class="insurers",
        data_kinds=["mobile_number"],
        for_gain=True,
        at=on(2),
    )
    assert not decision.allowed
    assert any("35J" in reason.source for reason in decision.failed)
    honest = services.decide_data_provision(
        store,
        customer_id="C-1",
        recipient_class="insurers",
        data_kinds=["mobile_number"],
        for_gain=False,
        at=on(2),
    )
    assert honest.allowed


def test_an_agent_mailing_for_the_retailer_needs_no_provision_check(store: Store) -> None:
    """An agent mailing for the retailer itself: no provision check."""
    _customer(store)
    decision = services.decide_data_provision(
        store,
        customer_id="C-1",
        recipient_class="mailing-houses",
        data_kinds=["postal_address"],
        for_gain=False,
        at=on(2),
        agent=True,
    )
    assert decision.allowed
    assert any("35I" in reason.source for reason in decision.reasons)


def test_access_request_due_dates_under_each_law(store: Store) -> None:
    """Access request received 4 May 2026: due 13 June 2026 under the PDPO, 4 June 2026 under
    the GDPR."""
    _customer(store)
    received = datetime(2026, 5, 4, 11, tzinfo=HK)
    pdpo = services.receive_request(
        store, request_id="R-1", customer_id="C-1", kind="access", law="pdpo", received_at=received
    )
    gdpr = services.receive_request(
        store, request_id="R-2", customer_id="C-1", kind="access", law="gdpr", received_at=received
    )
    assert pdpo.due_on == date(2026, 6, 13)
    assert gdpr.due_on == date(2026, 6, 4)
    assert rsq.access_request_due(date(2026, 5, 4), law="pdpo") == date(2026, 6, 13)
    with store.unit_of_work(read_only=True) as uow:
        assert [r.due_on for r in uow.privacy_requests.query(customer_id="C-1")] == [
            date(2026, 6, 13),
            date(2026, 6, 4),
        ]


def test_erasure_keeps_invoice_fields_under_a_legal_hold_and_says_why(store: Store) -> None:
    """Erasure request from a customer with invoices: marketing fields erased, invoice fields
    kept under a legal hold, and the export says which and why."""
    _customer(
        store,
        contacts=[
            ContactPoint("email", EMAIL),
            ContactPoint("mobile_number", MOBILE),
            ContactPoint("postal_address", "Flat 8, 1 Queen's Road, Hong Kong"),
        ],
        date_of_birth=date(1980, 2, 29),
        preferences=["skincare"],
    )
    hold = LegalHold(
        id="H-1",
        customer_id="C-1",
        keeps=["name", "contacts.postal_address"],
        reason="invoices are kept for 7 years for tax",
        source="Inland Revenue Ordinance (Cap. 112) s.51C",
        placed_at=on(1),
        until=date(2033, 3, 1),
    )
    with store.unit_of_work() as uow:
        uow.legal_holds.add(hold)
        uow.commit()
    services.receive_request(
        store, request_id="R-1", customer_id="C-1", kind="erasure", law="pdpo", received_at=on(2)
    )
    plan = services.erase_customer(
        store, customer_id="C-1", at=on(3), hasher=HASHER, request_id="R-1"
    )
    assert "name" in plan.kept()
    assert "contacts.postal_address" in plan.kept()
    assert {"contacts.email", "contacts.mobile_number", "date_of_birth", "preferences"} <= set(
        plan.erased()
    )
    kept = plan.items["contacts.postal_address"]
    assert kept.hold_id == "H-1"
    assert "51C" in kept.source
    rows = {row["item"]: row for row in plan.to_records()}
    assert rows["name"]["action"] == "keep"
    assert rows["contacts.email"]["action"] == "erase"
    with store.unit_of_work(read_only=True) as uow:
        customer = uow.customers.get("C-1")
        assert customer.name == "Chan Tai Man"
        assert [point.kind for point in customer.contacts] == [rsq.DataKind.POSTAL_ADDRESS]
        assert customer.date_of_birth is None
        assert uow.privacy_requests.get("R-1").status is rsq.RequestStatus.COMPLETED


# ---------------------------------------------------------------- the other rules, end to end


def test_a_cease_request_produces_a_notice_to_every_past_recipient(store: Store) -> None:
    _customer(store)
    uses = [
        rsq.DataProvided(
            event_id=f"U-{n}",
            customer_id="C-1",
            at=on(n),
            evidence="batch:B-1",
            recipient_id=recipient,
            recipient_class="insurers",
            data_kinds=["mobile_number"],
            for_gain=True,
        )
        for n, recipient in ((1, "P-1"), (2, "P-2"), (3, "P-1"))
    ]
    agent = rsq.DataProvided(
        event_id="U-9",
        customer_id="C-1",
        at=on(4),
        evidence="batch:B-2",
        recipient_id="AGENT-1",
        recipient_class="mailing-houses",
        data_kinds=["postal_address"],
        for_gain=False,
        agent=True,
    )
    for use in [*uses, agent]:
        services.record_use(store, use)
    notices = services.cease_provision(
        store, customer_id="C-1", event_id="O-1", at=on(5), evidence="letter:L-1", hasher=HASHER
    )
    assert sorted(notice.recipient_id for notice in notices) == ["P-1", "P-2"]
    decision = services.decide_data_provision(
        store,
        customer_id="C-1",
        recipient_class="insurers",
        data_kinds=["mobile_number"],
        for_gain=True,
        at=on(6),
    )
    assert not decision.allowed


def test_a_correction_goes_to_the_recipients_of_the_last_12_months(store: Store) -> None:
    _customer(store)
    for event_id, at, recipient in (
        ("U-1", datetime(2025, 3, 9, tzinfo=HK), "P-OLD"),
        ("U-2", datetime(2025, 3, 11, tzinfo=HK), "P-RECENT"),
    ):
        services.record_use(
            store,
            rsq.DataProvided(
                event_id=event_id,
                customer_id="C-1",
                at=at,
                evidence="batch:B-1",
                recipient_id=recipient,
                recipient_class="insurers",
                data_kinds=["name"],
                for_gain=False,
            ),
        )
    notices = services.correct_customer(
        store, customer_id="C-1", changes={"name": "Chan Tai-man"}, at=on(10)
    )
    assert [notice.recipient_id for notice in notices] == ["P-RECENT"]
    everyone = services.correct_customer(
        store, customer_id="C-1", changes={"name": "Chan Tai Man"}, at=on(10), law="gdpr"
    )
    assert sorted(notice.recipient_id for notice in everyone) == ["P-OLD", "P-RECENT"]
    with store.unit_of_work(read_only=True) as uow:
        assert uow.customers.get("C-1").name == "Chan Tai Man"


def test_a_changed_notice_needs_fresh_consent_for_what_it_adds(store: Store) -> None:
    _customer(store)
    services.record_consent(
        store,
        [
            _notice("N-1", on(1), marketing_classes=["cosmetics"]),
            _consent("K-1", on(1)),
            _notice("N-2", on(5), notice_version="v2", marketing_classes=["cosmetics", "toys"]),
        ],
    )
    assert _allowed(store, "sms", "cosmetics", on(6))
    assert not _allowed(store, "sms", "toys", on(6))
    services.record_consent(
        store, [_consent("K-2", on(7), marketing_classes=["toys"], notice_version="v2")]
    )
    assert _allowed(store, "sms", "toys", on(7))


def test_the_first_marketing_message_must_carry_the_opt_out_statement(store: Store) -> None:
    _customer(store)
    services.record_consent(store, [_notice("N-1", on(1)), _consent("K-1", on(1))])
    first = services.decide_campaign(
        store,
        customer_id="C-1",
        channel="sms",
        marketing_class="cosmetics",
        at=on(2),
        hasher=HASHER,
    )
    assert first.allowed
    assert first.obligations != ()
    services.record_use(
        store,
        rsq.MarketingMessageSent(
            event_id="U-1",
            customer_id="C-1",
            at=on(2),
            evidence="campaign:K-1",
            channel="sms",
            marketing_class="cosmetics",
            opt_out_statement=True,
        ),
    )
    later = services.decide_campaign(
        store,
        customer_id="C-1",
        channel="sms",
        marketing_class="cosmetics",
        at=on(3),
        hasher=HASHER,
    )
    assert later.allowed
    assert later.obligations == ()


def test_a_minor_is_not_marketed_to_on_their_own_consent(store: Store) -> None:
    _customer(store, date_of_birth=date(2010, 6, 1))
    services.record_consent(store, [_notice("N-1", on(1)), _consent("K-1", on(1))])
    assert not _allowed(store, "sms", "cosmetics", on(2))
    assert _allowed(store, "sms", "cosmetics", datetime(2028, 6, 1, 10, tzinfo=HK))


def test_the_access_export_holds_everything_about_the_person(store: Store) -> None:
    _customer(store)
    _customer(store, "C-2", name="Someone Else", contacts=[])
    services.record_consent(store, [_notice("N-1", on(1)), _consent("K-1", on(1))])
    with store.unit_of_work() as uow:
        uow.interactions.add(
            rsq.ServiceInteraction(
                id="I-1",
                store_id="HK-CWB",
                channel="hotline",
                occurred_at=on(2),
                customer_id="C-1",
                subject="delivery",
                notes="asked for a callback",
            )
        )
        uow.commit()
    services.record_use(
        store,
        rsq.DataProvided(
            event_id="U-1",
            customer_id="C-1",
            at=on(2),
            evidence="batch:B-1",
            recipient_id="P-1",
            recipient_class="insurers",
            data_kinds=["name"],
            for_gain=False,
        ),
    )
    services.receive_request(
        store, request_id="R-1", customer_id="C-1", kind="access", law="gdpr", received_at=on(3)
    )
    export = services.export_personal_data(store, request_id="R-1", at=on(4))
    document = rsq.to_json(export)
    assert EMAIL in document
    assert "asked for a callback" in document
    assert "Someone Else" not in document
    assert [recipient.recipient_id for recipient in export.recipients] == ["P-1"]
    assert export.due_on == date(2026, 4, 3)
    with store.unit_of_work(read_only=True) as uow:
        assert uow.privacy_requests.get("R-1").status is rsq.RequestStatus.COMPLETED


def test_a_retention_sweep_reports_first_and_erases_only_when_applied(store: Store) -> None:
    _customer(store, created_at=datetime(2012, 1, 2, tzinfo=HK))
    schedule = rsq.RetentionSchedule.default()
    at = datetime(2026, 11, 30, 10, tzinfo=HK)
    dry = services.sweep_retention(store, schedule=schedule, at=at)
    assert any(line.action == "erase" for line in dry)
    assert not any(line.applied for line in dry)
    with store.unit_of_work(read_only=True) as uow:
        assert uow.customers.get("C-1").name == "Chan Tai Man"
    done = services.sweep_retention(store, schedule=schedule, at=at, apply=True, hasher=HASHER)
    assert [line.item for line in done if line.applied] == [
        line.item for line in dry if line.action == "erase"
    ]
    with store.unit_of_work(read_only=True) as uow:
        customer = uow.customers.get("C-1")
    erased = {line.item for line in done if line.applied}
    if "name" in erased:
        assert customer.name is None


def test_the_pseudonymised_export_holds_no_personal_value(store: Store) -> None:
    _customer(store, staff_notes="prefers calls after 6pm", date_of_birth=date(1980, 1, 1))
    rows = services.pseudonymised_export(store, hasher=HASHER, records="customers")
    text = repr(rows.to_records())
    for value in ("Chan Tai Man", EMAIL, MOBILE, "6pm", "1980"):
        assert value not in text
    again = services.pseudonymised_export(store, hasher=HASHER, records="customers")
    assert rows.to_records()[0]["id"] == again.to_records()[0]["id"] != "C-1"


def test_calls_inside_one_unit_of_work_commit_or_roll_back_together(store: Store) -> None:
    _customer(store)
    with store.unit_of_work() as uow:
        services.record_consent(uow, [_notice("N-1", on(1)), _consent("K-1", on(1))])
        assert services.decide_campaign(
            uow,
            customer_id="C-1",
            channel="sms",
            marketing_class="cosmetics",
            at=on(2),
            hasher=HASHER,
        ).allowed
        # no commit: rolled back
    assert not _allowed(store, "sms", "cosmetics", on(2))
    with pytest.raises(rsq.ConflictError):
        services.record_consent(store, [_notice("N-1", on(1)), _notice("N-1", on(1))])
    with store.unit_of_work(read_only=True) as uow:
        assert uow.consent.count("C-1") == 0


loose: Any = services  # for calls a type checker would refuse


@pytest.mark.parametrize(
    "call",
    [
        lambda s: loose.decide_campaign(
            s, customer_id=5, channel="pigeon", marketing_class="", at="today"
        ),
        lambda s: loose.opt_out(
            s, customer_id="C-1", event_id="", at=on(1), evidence="x", hasher=b"key"
        ),
        lambda s: loose.receive_request(
            s, request_id="R", customer_id="C-1", kind="gossip", law="mars", received_at=on(1)
        ),
        lambda s: loose.sweep_retention(s, schedule=None, at=None),
        lambda s: loose.pseudonymised_export(s, hasher=None, records="everything"),
        lambda s: loose.check_campaign(s, channel=1, marketing_class=2, at=3, customer_ids="C-1"),
        lambda s: loose.decide_campaign(
            None, customer_id="C-1", channel="sms", marketing_class="toys", at=on(1)
        ),
    ],
)
def test_bad_input_is_a_validation_error_naming_no_personal_value(
    store: Store, call: Callable[[Store], object]
) -> None:
    _customer(store)
    with pytest.raises(rsq.ValidationError) as caught:
        call(store)
    assert caught.value.problems
    assert EMAIL not in str(caught.value)


def test_a_new_consent_after_the_opt_out_lifts_the_block_for_that_customer(store: Store) -> None:
    """An opt-out stands until a new consent (PDPO s.35G): a fresh sign-up after it counts."""
    _customer(store)
    form = _form()
    services.record_form_consent(
        store, form=form, customer_id="C-1", submission_id="S-1", ticked=["email-fashion"],
        at=on(1),
    )  # fmt: skip
    services.opt_out(
        store, customer_id="C-1", event_id="O-1", at=on(3), evidence="mail:M-1", hasher=HASHER
    )
    assert not _allowed(store, "email", "fashion", on(4))
    services.record_form_consent(
        store, form=form, customer_id="C-1", submission_id="S-2", ticked=["email-fashion"],
        at=on(5),
    )  # fmt: skip
    assert services.is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)
    assert not _allowed(store, "email", "fashion", on(4))
    assert _allowed(store, "email", "fashion", on(5))


def test_an_opt_out_of_some_classes_outlives_erasure_too(store: Store) -> None:
    _customer(store)
    services.record_consent(
        store,
        [
            _notice("N-1", on(1)),
            _consent("K-1", on(1), marketing_classes=["cosmetics", "electronics"]),
        ],
    )
    services.opt_out(
        store,
        customer_id="C-1",
        event_id="O-1",
        at=on(3),
        evidence="call:R-9",
        hasher=HASHER,
        marketing_classes=["electronics"],
    )
    assert _allowed(store, "sms", "cosmetics", on(4))
    assert not _allowed(store, "sms", "electronics", on(4))
    assert not services.is_suppressed(store, hasher=HASHER, kind="mobile_number", value=MOBILE)
    services.erase_customer(store, customer_id="C-1", at=on(5), hasher=HASHER)
    assert services.is_suppressed(store, hasher=HASHER, kind="mobile_number", value=MOBILE)
    _customer(store, "C-2", contacts=[ContactPoint("mobile_number", "+852-5123-4567")])
    services.record_consent(
        store,
        [
            _notice("N-9", on(1), customer_id="C-2"),
            _consent("K-9", on(1), customer_id="C-2", marketing_classes=["electronics"]),
        ],
    )
    decision = services.decide_campaign(
        store,
        customer_id="C-2",
        channel="sms",
        marketing_class="electronics",
        at=on(6),
        hasher=HASHER,
    )
    assert not decision.allowed


def test_an_opt_out_recorded_as_an_event_goes_on_the_suppression_list(store: Store) -> None:
    _customer(store)
    stop = rsq.OptedOut(event_id="O-1", customer_id="C-1", at=on(3), evidence="sms:STOP")
    with pytest.raises(rsq.ValidationError) as caught:
        services.record_consent(store, [stop])
    assert [p.path for p in caught.value.problems] == ["$.hasher"]
    services.record_consent(store, [stop], hasher=HASHER)
    assert services.is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)
    assert services.is_suppressed(store, hasher=HASHER, kind="mobile_number", value=MOBILE)


def test_the_opt_out_statement_stays_owed_until_a_message_carries_it(store: Store) -> None:
    _customer(store)
    services.record_consent(store, [_notice("N-1", on(1)), _consent("K-1", on(1))])

    def sent(event_id: str, at: datetime, statement: bool) -> None:
        services.record_use(
            store,
            rsq.MarketingMessageSent(
                event_id=event_id,
                customer_id="C-1",
                at=at,
                evidence="campaign:K-1",
                channel="sms",
                marketing_class="cosmetics",
                opt_out_statement=statement,
            ),
        )

    def owed(at: datetime) -> bool:
        return bool(
            services.decide_campaign(
                store,
                customer_id="C-1",
                channel="sms",
                marketing_class="cosmetics",
                at=at,
                hasher=HASHER,
            ).obligations
        )

    sent("U-1", on(2), statement=False)
    assert owed(on(3))
    sent("U-2", on(3), statement=True)
    assert not owed(on(4))


def test_what_a_hold_kept_is_erased_by_the_sweep_once_the_hold_ends(store: Store) -> None:
    _customer(store, created_at=datetime(2015, 1, 2, tzinfo=HK))
    with store.unit_of_work() as uow:
        uow.legal_holds.add(
            LegalHold(
                id="H-1",
                customer_id="C-1",
                keeps=["name"],
                reason="invoices are kept for 7 years for tax",
                source="Inland Revenue Ordinance (Cap. 112) s.51C",
                placed_at=datetime(2015, 1, 2, tzinfo=HK),
                until=date(2027, 1, 1),
            )
        )
        uow.commit()
    plan = services.erase_customer(store, customer_id="C-1", at=on(3), hasher=HASHER)
    assert plan.kept() == ("name", "privacy_requests")
    assert "free text" in plan.items["privacy_requests"].reason
    schedule = rsq.RetentionSchedule.default()
    services.sweep_retention(
        store, schedule=schedule, at=datetime(2026, 12, 1, tzinfo=HK), apply=True, hasher=HASHER
    )
    with store.unit_of_work(read_only=True) as uow:
        assert uow.customers.get("C-1").name == "Chan Tai Man"
    services.sweep_retention(
        store, schedule=schedule, at=datetime(2027, 1, 2, tzinfo=HK), apply=True, hasher=HASHER
    )
    with store.unit_of_work(read_only=True) as uow:
        assert uow.customers.get("C-1").name is None


def test_a_sweep_that_erases_a_ledger_keeps_its_opt_outs_on_the_suppression_list(
    store: Store,
) -> None:
    _customer(store, created_at=datetime(2012, 1, 2, tzinfo=HK))
    stop = rsq.OptedOut(
        event_id="O-1",
        customer_id="C-1",
        at=datetime(2012, 2, 1, tzinfo=HK),
        evidence="sms:STOP",
        data_kinds=["email"],
        marketing_classes=["fashion"],
    )
    services.record_consent(store, [stop], hasher=HASHER)
    assert not services.is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)
    services.sweep_retention(
        store,
        schedule=rsq.RetentionSchedule.default(),
        at=datetime(2026, 11, 30, tzinfo=HK),
        apply=True,
        hasher=HASHER,
    )
    with store.unit_of_work(read_only=True) as uow:
        assert uow.consent.count("C-1") == 0
    assert services.is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)


def test_a_campaign_check_skips_erased_customers_and_names_its_context(store: Store) -> None:
    _customer(store)
    _customer(store, "C-2", contacts=[])
    services.erase_customer(store, customer_id="C-2", at=on(2), hasher=HASHER)
    lines = services.check_campaign(
        store, channel="sms", marketing_class="cosmetics", at=on(3), hasher=HASHER
    )
    assert [(line.customer_id, line.channel, line.marketing_class) for line in lines] == [
        ("C-1", rsq.MarketingChannel.SMS, "cosmetics")
    ]
    with pytest.raises(rsq.ValidationError):
        services.check_campaign(
            store,
            channel="sms",
            marketing_class="cosmetics",
            at=on(3),
            hasher=HASHER,
            customer_ids={"C-1": 1},
        )


@pytest.mark.parametrize("label", ["our_partners", "anything-we-think-fit", "Our Partners"])
def test_vague_classes_are_refused_wherever_a_class_is_named(store: Store, label: str) -> None:
    """PDPO s.35C and s.35J: a class the person cannot understand does not make a notice."""
    _customer(store)
    with pytest.raises(rsq.ValidationError) as notice:
        _notice("N-1", on(1), marketing_classes=["cosmetics", label])
    assert [p.path for p in notice.value.problems] == ["$.marketing_classes[1]"]
    with pytest.raises(rsq.ValidationError) as consent:
        _consent("K-1", on(1), scope="provision", recipient_classes=[label])
    assert [p.path for p in consent.value.problems] == ["$.recipient_classes[0]"]
    with pytest.raises(rsq.ValidationError) as box:
        ConsentBox("b", data_kinds=["email"], marketing_classes=["toys"], recipient_classes=[label])
    assert [p.path for p in box.value.problems] == ["$.recipient_classes[0]"]
    with pytest.raises(rsq.ValidationError) as decision:
        services.decide_campaign(
            store, customer_id="C-1", channel="sms", marketing_class=label, at=on(2), hasher=HASHER
        )
    assert [p.path for p in decision.value.problems] == ["$.marketing_class"]
    with pytest.raises(rsq.ValidationError) as provision:
        services.decide_data_provision(
            store,
            customer_id="C-1",
            recipient_class=label,
            data_kinds=["email"],
            for_gain=False,
            at=on(2),
        )
    assert [p.path for p in provision.value.problems] == ["$.recipient_class"]


def test_a_request_is_extended_only_in_time_and_within_the_laws_limit(store: Store) -> None:
    _customer(store)
    received = datetime(2026, 5, 4, 11, tzinfo=HK)
    services.receive_request(
        store, request_id="R-1", customer_id="C-1", kind="access", law="gdpr", received_at=received
    )
    with pytest.raises(rsq.ValidationError) as late:
        services.extend_request(
            store,
            request_id="R-1",
            extended_to=date(2026, 8, 5),
            at=datetime(2026, 6, 5, 9, tzinfo=HK),
        )
    assert [p.path for p in late.value.problems] == ["$.at", "$.extended_to"]
    extended = services.extend_request(
        store, request_id="R-1", extended_to=date(2026, 8, 4), at=datetime(2026, 6, 4, tzinfo=HK)
    )
    assert extended.status is rsq.RequestStatus.EXTENDED
    assert extended.answer_by == date(2026, 8, 4)
    services.receive_request(
        store, request_id="R-2", customer_id="C-1", kind="access", law="pdpo", received_at=received
    )
    pdpo = services.extend_request(
        store, request_id="R-2", extended_to=date(2026, 9, 1), at=datetime(2026, 6, 13, tzinfo=HK)
    )
    assert pdpo.answer_by == date(2026, 9, 1)
    services.receive_request(
        store, request_id="R-3", customer_id="C-1", kind="access", law="pdpo", received_at=received
    )
    services.export_personal_data(store, request_id="R-3", at=on(5, 5))
    with pytest.raises(rsq.InvalidTransitionError):
        services.extend_request(store, request_id="R-3", extended_to=date(2026, 9, 1), at=on(6, 5))
