"""The consent ledger: the privacy scenarios, its events, its derived state and its JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.customers.consent import (
    CHANNEL_DATA_KIND,
    EVENT_KINDS,
    VAGUE_PATTERNS,
    ConsentEvent,
    ConsentGiven,
    ConsentLedger,
    ConsentScope,
    ConsentState,
    ConsentWithdrawn,
    DataKind,
    MarketingChannel,
    MarketingClass,
    MarketingClassRegistry,
    NoticeServed,
    OptedOut,
    OralConsentConfirmed,
    Permission,
    RecipientClass,
    is_vague,
)
from retail_service_quality.errors import CODES, ValidationError
from retail_service_quality.serialization import from_json, to_json

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
CUSTOMER = "C-1"
SECRET = "tm.chan@example.com"  # a personal value that no message or repr may show


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=HONG_KONG)


def notice(
    event_id: str = "N-1",
    when: datetime | None = None,
    *,
    version: str = "v1",
    kinds: tuple[str, ...] = ("mobile_number", "email"),
    classes: tuple[str, ...] = ("cosmetics", "electronics"),
    recipients: tuple[str, ...] = (),
    for_gain: bool = False,
) -> NoticeServed:
    return NoticeServed(
        event_id=event_id,
        customer_id=CUSTOMER,
        at=when or at(1, 9),
        evidence="form:F-1",
        notice_version=version,
        data_kinds=kinds,
        marketing_classes=classes,
        recipient_classes=recipients,
        for_gain=for_gain,
    )


def consent(
    event_id: str = "K-1",
    when: datetime | None = None,
    *,
    method: str = "written",
    scope: str = "own_marketing",
    kinds: tuple[str, ...] = ("mobile_number",),
    classes: tuple[str, ...] = ("cosmetics",),
    recipients: tuple[str, ...] = (),
    version: str = "v1",
) -> ConsentGiven:
    return ConsentGiven(
        event_id=event_id,
        customer_id=CUSTOMER,
        at=when or at(1),
        evidence="form:F-1",
        method=method,
        scope=scope,
        data_kinds=kinds,
        marketing_classes=classes,
        recipient_classes=recipients,
        notice_version=version,
        explicit=True,
    )


def confirmation(
    event_id: str,
    when: datetime,
    confirms: str,
    consent_date: date,
    *,
    kinds: tuple[str, ...] = ("mobile_number",),
    classes: tuple[str, ...] = ("cosmetics",),
) -> OralConsentConfirmed:
    return OralConsentConfirmed(
        event_id=event_id,
        customer_id=CUSTOMER,
        at=when,
        evidence="letter:L-1",
        confirms=confirms,
        consent_date=consent_date,
        data_kinds=kinds,
        marketing_classes=classes,
    )


def opt_out(event_id: str, when: datetime, **fields: Any) -> OptedOut:
    return OptedOut(event_id=event_id, customer_id=CUSTOMER, at=when, evidence="sms:STOP", **fields)


def ledger(*events: ConsentEvent) -> ConsentLedger:
    return ConsentLedger.of(CUSTOMER, events)


def problems_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    found = {problem.path: problem.code for problem in error.value.problems}
    assert all(code in CODES for code in found.values())
    return found


# ---------------------------------------------------------------- the scenarios


def test_consent_covers_only_its_kind_of_data_and_class() -> None:
    """{mobile number} x {cosmetics}: SMS cosmetics yes; email cosmetics, SMS electronics no."""
    state = ledger(notice(), consent()).state(at(2))
    assert state.permits(MarketingChannel.SMS, "cosmetics")
    assert state.permits("call", "cosmetics")
    assert not state.permits("email", "cosmetics")
    assert not state.permits("sms", "electronics")
    assert state.permitted == (Permission(DataKind.MOBILE_NUMBER, "cosmetics"),)


def test_oral_consent_confirmed_within_14_days_permits_from_the_confirmation() -> None:
    oral = consent("K-1", at(1), method="oral")
    confirmed = confirmation("W-1", at(10), "K-1", date(2026, 3, 1))
    events = ledger(notice(), oral, confirmed)
    before = events.state(at(10) - timedelta(microseconds=1))
    assert not before.permits("sms", "cosmetics")
    assert [pending.consent_id for pending in before.awaiting_confirmation] == ["K-1"]
    assert before.awaiting_confirmation[0].deadline == at(15)
    for moment in (at(10), at(20), at(1, month=12)):
        state = events.state(moment)
        assert state.permits("sms", "cosmetics")
        assert state.awaiting_confirmation == ()


def test_oral_consent_unconfirmed_lapses_for_good() -> None:
    oral = consent("K-1", at(1), method="oral")
    events = ledger(notice(), oral)
    assert events.state(at(15) - timedelta(microseconds=1)).lapsed == ()
    for moment in (at(15), at(20), at(1, month=6)):
        state = events.state(moment)
        assert not state.permits("sms", "cosmetics")
        assert state.lapsed == ("K-1",)
        assert state.awaiting_confirmation == ()
    # A confirmation after the deadline revives nothing.
    late = events.append(confirmation("W-1", at(20), "K-1", date(2026, 3, 1)))
    assert not late.state(at(21)).permits("sms", "cosmetics")
    # Consent given again does.
    again = late.append(consent("K-2", at(22)))
    assert not again.state(at(21)).permits("sms", "cosmetics")
    assert again.state(at(22)).permits("sms", "cosmetics")


def test_a_confirmation_must_name_the_oral_consent_and_its_date() -> None:
    oral = consent("K-1", at(1), method="oral")
    wrong_date = confirmation("W-1", at(5), "K-1", date(2026, 3, 2))
    wrong_consent = confirmation("W-2", at(5), "K-9", date(2026, 3, 1))
    state = ledger(notice(), oral, wrong_date, wrong_consent).state(at(6))
    assert not state.permits("sms", "cosmetics")
    assert [pending.consent_id for pending in state.awaiting_confirmation] == ["K-1"]


def test_a_confirmation_permits_only_what_both_it_and_the_consent_name() -> None:
    oral = consent("K-1", at(1), method="oral", kinds=("mobile_number", "email"))
    confirmed = confirmation(
        "W-1", at(3), "K-1", date(2026, 3, 1), kinds=("email",), classes=("cosmetics", "toys")
    )
    state = ledger(notice(), oral, confirmed).state(at(4))
    assert state.permitted == (Permission(DataKind.EMAIL, "cosmetics"),)


def test_a_pre_ticked_box_creates_no_consent() -> None:
    fields: dict[str, Any] = {
        "event_id": "K-1",
        "customer_id": CUSTOMER,
        "at": at(1),
        "evidence": "form:F-1",
        "method": "online",
        "scope": "own_marketing",
        "data_kinds": ["email"],
        "marketing_classes": ["cosmetics"],
        "notice_version": "v1",
    }
    with pytest.raises(ValidationError) as error:
        ConsentGiven(**fields, explicit=False)
    assert problems_of(error) == {"$.explicit": "invalid"}
    assert "silence" in str(error.value)
    with pytest.raises(ValidationError) as error:
        ConsentGiven(**fields)  # nothing recorded: silence
    assert problems_of(error) == {"$.explicit": "required"}
    data = dict(fields, at=at(1).isoformat(), explicit=False)
    with pytest.raises(ValidationError) as error:
        from_json(to_json(data), ConsentGiven)
    assert problems_of(error) == {"$.explicit": "invalid"}


def test_an_opt_out_stands_until_a_new_consent_after_it() -> None:
    """PDPO s.35G: an opt-out wins over every consent given before it, whatever its date."""
    events = ledger(notice(), consent("K-1", at(1)), opt_out("O-1", at(5)))
    assert events.state(at(4)).permits("sms", "cosmetics")
    state = events.state(at(5))
    assert not state.permits("sms", "cosmetics")
    assert Permission(DataKind.MOBILE_NUMBER, "cosmetics") in state.opted_out
    # A consent dated before the opt-out, recorded late, does not override it.
    backdated = events.append(consent("K-2", at(3)))
    assert not backdated.state(at(6)).permits("sms", "cosmetics")
    # A new consent after it does, for what it covers.
    renewed = backdated.append(consent("K-3", at(7)))
    assert renewed.state(at(7)).permits("sms", "cosmetics")
    assert not renewed.state(at(7)).permits("email", "cosmetics")
    assert Permission(DataKind.MOBILE_NUMBER, "cosmetics") not in renewed.state(at(7)).opted_out


def test_an_oral_consent_before_an_opt_out_confirmed_after_it_stays_opted_out() -> None:
    oral = consent("K-1", at(1), method="oral")
    events = ledger(
        notice(), oral, opt_out("O-1", at(2)), confirmation("W-1", at(3), "K-1", date(2026, 3, 1))
    )
    assert not events.state(at(4)).permits("sms", "cosmetics")


def test_a_partial_opt_out_covers_only_what_it_names() -> None:
    both = consent("K-1", at(1), kinds=("mobile_number", "email"), classes=("cosmetics", "toys"))
    events = ledger(
        notice(classes=("cosmetics", "toys")),
        both,
        opt_out("O-1", at(2), data_kinds=["mobile_number"]),
        opt_out("O-2", at(2), marketing_classes=["toys"]),
    )
    assert events.state(at(3)).permitted == (Permission(DataKind.EMAIL, "cosmetics"),)
    assert not events.events[2].whole  # type: ignore[union-attr]
    assert opt_out("O-3", at(2)).whole


def test_a_changed_notice_leaves_earlier_consents_without_effect_for_what_it_adds() -> None:
    v1 = notice("N-1", at(1, 9), classes=("cosmetics",))
    v2 = notice("N-2", at(5), version="v2", classes=("cosmetics", "electronics"))
    # A consent to v1 that also names electronics: v1 did not, so it covers cosmetics only.
    early = consent("K-1", at(1), classes=("cosmetics", "electronics"))
    events = ledger(v1, early, v2)
    state = events.state(at(6))
    assert state.notice_version == "v2"
    assert state.permits("sms", "cosmetics")
    assert not state.permits("sms", "electronics")
    renewed = events.append(consent("K-2", at(7), classes=("electronics",), version="v2"))
    assert renewed.state(at(7)).permits("sms", "electronics")


def test_a_notice_that_drops_a_class_ends_its_use() -> None:
    v2 = notice("N-2", at(5), version="v2", classes=("electronics",))
    events = ledger(notice(), consent(), v2)
    assert events.state(at(4)).permits("sms", "cosmetics")
    assert not events.state(at(5)).permits("sms", "cosmetics")


def test_a_consent_to_a_notice_never_served_covers_nothing() -> None:
    assert ledger(consent()).state(at(2)).permitted == ()
    assert ledger(notice(), consent(version="v9")).state(at(2)).permitted == ()


def test_withdrawal_ends_one_consent_or_all_of_a_scope() -> None:
    first = consent("K-1", at(1))
    second = consent("K-2", at(1), kinds=("email",))
    events = ledger(notice(), first, second)

    def withdraw(event_id: str, when: datetime, consent_id: str | None) -> ConsentWithdrawn:
        return ConsentWithdrawn(
            event_id=event_id,
            customer_id=CUSTOMER,
            at=when,
            evidence="mail:M-1",
            scope="own_marketing",
            consent_id=consent_id,
        )

    one = events.append(withdraw("X-1", at(3), "K-1")).state(at(3))
    assert one.permitted == (Permission(DataKind.EMAIL, "cosmetics"),)
    every = events.append(withdraw("X-2", at(3), None))
    assert every.state(at(3)).permitted == ()
    assert every.append(consent("K-3", at(4))).state(at(4)).permits("sms", "cosmetics")


def test_provision_needs_a_notice_naming_recipients_and_written_consent() -> None:
    served = notice(recipients=("insurers",), for_gain=True)
    given_ = consent(
        "P-1", at(2), scope="provision", kinds=("email",), recipients=("insurers", "banks")
    )
    events = ledger(served, given_)
    state = events.state(at(3))
    assert state.for_gain is True
    assert state.permits_provision("email", "insurers")
    assert not state.permits_provision("email", "banks")  # not named by the notice
    assert not state.permits_provision("mobile_number", "insurers")
    assert state.permitted == ()  # provision is not own marketing
    ceased = events.append(
        opt_out("O-1", at(4), scope="provision", recipient_classes=["insurers"])
    ).state(at(4))
    assert not ceased.permits_provision("email", "insurers")
    assert ceased.provision_opted_out == tuple(
        Permission(kind, "insurers") for kind in sorted(DataKind)
    )
    with pytest.raises(ValidationError) as error:
        consent("P-2", scope="provision", method="oral", recipients=("insurers",))
    assert problems_of(error) == {"$.method": "invalid"}


def test_the_channels_need_their_kinds_of_data() -> None:
    assert CHANNEL_DATA_KIND == {
        MarketingChannel.SMS: DataKind.MOBILE_NUMBER,
        MarketingChannel.CALL: DataKind.MOBILE_NUMBER,
        MarketingChannel.EMAIL: DataKind.EMAIL,
        MarketingChannel.POST: DataKind.POSTAL_ADDRESS,
        MarketingChannel.SOCIAL: DataKind.SOCIAL_HANDLE,
        MarketingChannel.FAX: DataKind.FAX,
    }
    state = ledger().state(at(1))
    for bad in ("pigeon", 5, None):
        with pytest.raises(ValidationError) as error:
            state.permits(bad, "cosmetics")  # type: ignore[arg-type]
        assert list(problems_of(error)) == ["$.channel"]


# ---------------------------------------------------------------- classes and the registry


@pytest.mark.parametrize(
    "label",
    [
        "our partners",
        "Our Business Partners",
        "products we think fit you",
        "such products as we think fit",
        "SUCH PRODUCTS AS WE   THINK FIT",
        "other",
        "Others",
        "any products",
        "shoes, bags etc.",
        "cosmetics and more",
        "all services",
        "selected third parties",
        "affiliates",
        "offers that suit you",
        "123",
        "",
    ],
)
def test_vague_classes_are_refused(label: str) -> None:
    assert is_vague(label)
    for kind in (MarketingClass, RecipientClass):
        with pytest.raises(ValidationError) as error:
            kind("c", label)
        assert problems_of(error) == {"$.label": "invalid" if label.strip() else "format"}


@pytest.mark.parametrize(
    "label", ["cosmetics", "Consumer electronics", "Insurance companies", "Other-worldly toys"]
)
def test_concrete_classes_are_accepted(label: str) -> None:
    assert not is_vague(label)
    assert MarketingClass("c", label).label == label


def test_the_vague_patterns_are_documented() -> None:
    assert len(VAGUE_PATTERNS) >= 10


def test_the_registry_round_trips_and_refuses_duplicates_and_vague_labels() -> None:
    registry = MarketingClassRegistry(
        [MarketingClass("cosmetics", "Cosmetics"), MarketingClass("toys", "Toys")],
        [RecipientClass("insurers", "Insurance companies")],
    )
    assert from_json(to_json(registry), MarketingClassRegistry) == registry
    assert registry.recipient_ids() == ("insurers",)
    data = {
        "marketing": [
            {"id": "cosmetics", "label": "Cosmetics"},
            {"id": "misc", "label": "products we think fit you"},
            {"id": "cosmetics", "label": "Skincare"},
        ],
        "recipients": [{"id": "p", "label": "our partners"}, {"id": 3, "label": "Banks"}],
    }
    with pytest.raises(ValidationError) as error:
        from_json(to_json(data), MarketingClassRegistry)
    assert problems_of(error) == {
        "$.marketing[1].label": "invalid",
        "$.recipients[0].label": "invalid",
        "$.recipients[1].id": "type",
    }
    with pytest.raises(ValidationError) as error:
        MarketingClassRegistry([MarketingClass("a", "Toys"), MarketingClass("a", "Games")])
    assert problems_of(error) == {"$.marketing[1]": "duplicate"}
    with pytest.raises(ValidationError) as error:
        MarketingClassRegistry(["toys"], 5)  # type: ignore[list-item, arg-type]
    assert problems_of(error) == {"$.marketing[0]": "type", "$.recipients": "type"}


# ---------------------------------------------------------------- bad events


def test_bad_event_fields_are_all_reported_with_paths_and_codes() -> None:
    with pytest.raises(ValidationError) as error:
        NoticeServed(
            event_id=SECRET + " ",
            customer_id=5,  # type: ignore[arg-type]
            at=datetime(2026, 3, 1, 10),
            evidence="",
            notice_version=None,  # type: ignore[arg-type]
            data_kinds=[SECRET, "email", "email"],
            marketing_classes=[],
            recipient_classes=SECRET,
            for_gain=SECRET,  # type: ignore[arg-type]
        )
    assert problems_of(error) == {
        "$.event_id": "format",
        "$.customer_id": "type",
        "$.at": "naive_datetime",
        "$.evidence": "format",
        "$.notice_version": "type",
        "$.data_kinds[0]": "unknown_choice",
        "$.data_kinds[2]": "duplicate",
        "$.marketing_classes": "required",
        "$.recipient_classes": "type",
        "$.for_gain": "type",
    }
    assert SECRET not in str(error.value)
    assert SECRET not in repr(error.value.problems)


def test_every_event_reports_its_own_rules() -> None:
    with pytest.raises(ValidationError) as error:
        NoticeServed(
            event_id="N",
            customer_id=CUSTOMER,
            at=at(1),
            evidence="e",
            notice_version="v1",
            data_kinds=["email"],
            marketing_classes=["toys"],
            for_gain=True,
            kind="opted_out",
        )
    assert problems_of(error) == {"$.for_gain": "inconsistent", "$.kind": "unknown_choice"}
    with pytest.raises(ValidationError) as error:
        ConsentGiven(
            event_id="K",
            customer_id=CUSTOMER,
            at=at(1),
            evidence="e",
            method="shouted",
            scope="own_marketing",
            data_kinds="email",
            marketing_classes=["toys", "toys"],
            recipient_classes=["banks"],
            explicit="yes",  # type: ignore[arg-type]
        )
    assert problems_of(error) == {
        "$.notice_version": "required",
        "$.method": "unknown_choice",
        "$.data_kinds": "type",
        "$.marketing_classes[1]": "duplicate",
        "$.recipient_classes": "inconsistent",
        "$.explicit": "type",
    }
    with pytest.raises(ValidationError) as error:
        consent(scope="provision")
    assert problems_of(error) == {"$.recipient_classes": "required"}
    with pytest.raises(ValidationError) as error:
        OralConsentConfirmed(
            event_id="W",
            customer_id=CUSTOMER,
            at=at(1),
            evidence="e",
            confirms="W",
            consent_date=at(1),
            data_kinds=[],
            marketing_classes=["toys"],
        )
    assert problems_of(error) == {
        "$.confirms": "inconsistent",
        "$.consent_date": "type",
        "$.data_kinds": "required",
    }
    with pytest.raises(ValidationError) as error:
        ConsentWithdrawn(
            event_id="X",
            customer_id=CUSTOMER,
            at=at(1),
            evidence="e",
            scope=None,  # type: ignore[arg-type]
            consent_id="",
        )
    assert problems_of(error) == {"$.scope": "type", "$.consent_id": "format"}
    with pytest.raises(ValidationError) as error:
        opt_out("O", at(1), recipient_classes=["banks"])
    assert problems_of(error) == {"$.recipient_classes": "inconsistent"}
    with pytest.raises(ValidationError) as error:
        opt_out("O", at(1), scope="provision", marketing_classes=["toys"])
    assert problems_of(error) == {"$.marketing_classes": "inconsistent"}


def test_the_ledger_refuses_other_customers_duplicates_and_non_events() -> None:
    other = OptedOut(event_id="O-1", customer_id="C-2", at=at(1), evidence="e")
    with pytest.raises(ValidationError) as error:
        ledger(notice(), notice(), other, "event")  # type: ignore[arg-type]
    assert problems_of(error) == {
        "$.events[1].event_id": "duplicate",
        "$.events[2].customer_id": "inconsistent",
        "$.events[3]": "type",
    }
    with pytest.raises(ValidationError) as error:
        ConsentLedger("", 5, [notice()], opt_outs=[other])  # type: ignore[arg-type, list-item]
    assert problems_of(error) == {
        "$.customer_id": "format",
        "$.notices": "type",
        "$.consents[0]": "type",
        "$.opt_outs[0].customer_id": "inconsistent",
    }
    with pytest.raises(ValidationError) as error:
        ConsentLedger.of(CUSTOMER, 5)  # type: ignore[arg-type]
    assert problems_of(error) == {"$.events": "type"}
    with pytest.raises(ValidationError) as error:
        ledger().append("event")  # type: ignore[arg-type]
    assert problems_of(error) == {"$": "type"}
    with pytest.raises(ValidationError) as error:
        ledger().state("2026-03-01")  # type: ignore[arg-type]
    assert problems_of(error) == {"$.at": "type"}


def read_events(text: str) -> list[ConsentEvent]:
    """A JSON list of mixed events read back, each by the type its ``kind`` names."""
    return from_json(text, list[ConsentEvent])


def test_a_list_of_mixed_events_is_read_by_each_kind() -> None:
    events = [notice(when=at(1)), consent(when=at(1)), opt_out("O-1", at(3))]
    assert from_json(to_json(events), list[ConsentEvent]) == events
    assert [EVENT_KINDS[item["kind"]] for item in json.loads(to_json(events))] == [
        NoticeServed,
        ConsentGiven,
        OptedOut,
    ]


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"kind": "consent_revoked"}, "$[0].kind", "unknown_choice"),
        ({"kind": 3}, "$[0].kind", "unknown_choice"),
        ({"kind": None}, "$[0].kind", "unknown_choice"),
    ],
)
def test_an_event_of_no_known_kind_is_refused(change: dict[str, Any], path: str, code: str) -> None:
    item = {**json.loads(to_json(notice(when=at(1)))), **change}
    with pytest.raises(ValidationError) as error:
        from_json(json.dumps([item]), list[ConsentEvent])
    assert problems_of(error) == {path: code}


def test_an_event_without_its_kind_is_refused() -> None:
    item = json.loads(to_json(notice(when=at(1))))
    del item["kind"]
    with pytest.raises(ValidationError) as error:
        from_json(json.dumps([item, "x"]), list[ConsentEvent])
    assert problems_of(error) == {"$[0].kind": "required", "$[1]": "type"}


def test_a_misplaced_or_mistyped_event_kind_is_refused() -> None:
    data = {"event_id": "E", "customer_id": CUSTOMER, "at": at(1).isoformat(), "evidence": "e"}
    misplaced = {
        "customer_id": CUSTOMER,
        "opt_outs": [{**data, "kind": "notice_served"}, {**data, "event_id": "F", "kind": 5}],
    }
    with pytest.raises(ValidationError) as error:
        from_json(to_json(misplaced), ConsentLedger)
    assert problems_of(error) == {
        "$.opt_outs[0].kind": "unknown_choice",
        "$.opt_outs[1].kind": "type",
    }
    # A bare list of mixed events is read by the kind each names (EVENT_KINDS).
    (read,) = from_json(to_json([{**data, "kind": "opted_out"}]), list[ConsentEvent])
    assert isinstance(read, OptedOut)
    assert sorted(EVENT_KINDS) == [
        "consent_given",
        "consent_withdrawn",
        "notice_served",
        "opted_out",
        "oral_consent_confirmed",
    ]


# ---------------------------------------------------------------- times


def test_the_repeated_hour_orders_by_instant_not_wall_clock() -> None:
    first = datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    assert second - first == timedelta(0)  # same wall clock ...
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)  # ... an hour apart
    served = notice(when=datetime(2026, 10, 1, tzinfo=LONDON))
    events = ledger(served, consent("K-1", first), opt_out("O-1", second))
    assert events.state(first).permits("sms", "cosmetics")
    assert not events.state(second).permits("sms", "cosmetics")
    swapped = ledger(served, opt_out("O-1", first), consent("K-1", second))
    assert not swapped.state(first).permits("sms", "cosmetics")
    assert swapped.state(second).permits("sms", "cosmetics")
    back = from_json(to_json(events), ConsentLedger)
    assert back == events
    assert [event.at.fold for event in back.events[1:]] == [0, 1]


def test_the_skipped_hour_is_refused() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    with pytest.raises(ValidationError) as error:
        consent(when=skipped)
    assert problems_of(error) == {"$.at": "nonexistent_time"}
    with pytest.raises(ValidationError) as error:
        ledger().state(skipped)
    assert problems_of(error) == {"$.at": "nonexistent_time"}


def test_a_half_hour_zone_compares_instants_and_states_its_own_date() -> None:
    # 00:15 on 1 March in Kolkata is 18:45 on 28 February in UTC.
    oral_at = datetime(2026, 3, 1, 0, 15, tzinfo=KOLKATA)
    oral = consent("K-1", oral_at, method="oral")
    served = notice(when=datetime(2026, 2, 1, tzinfo=KOLKATA))
    right = confirmation("W-1", oral_at + timedelta(days=2), "K-1", date(2026, 3, 1))
    wrong = confirmation("W-1", oral_at + timedelta(days=2), "K-1", date(2026, 2, 28))
    assert ledger(served, oral, right).state(oral_at + timedelta(days=3)).permitted
    assert not ledger(served, oral, wrong).state(oral_at + timedelta(days=3)).permitted
    events = ledger(served, consent("K-2", oral_at))
    just_before = datetime(2026, 2, 28, 18, 44, 59, tzinfo=UTC)
    assert not events.state(just_before).permitted
    assert events.state(datetime(2026, 2, 28, 18, 45, tzinfo=UTC)).permitted
    deadline = ledger(served, oral).state(oral_at).awaiting_confirmation[0].deadline
    assert deadline - oral_at == timedelta(days=14)


def test_the_ends_of_the_supported_range() -> None:
    served = notice(when=MIN_INSTANT)
    early = consent("K-1", MIN_INSTANT)
    state = ledger(served, early).state(MAX_INSTANT)
    assert state.permits("sms", "cosmetics")
    late_oral = consent("K-2", MAX_INSTANT - timedelta(days=1), method="oral")
    pending = ledger(served, late_oral).state(MAX_INSTANT)
    assert [item.consent_id for item in pending.awaiting_confirmation] == ["K-2"]
    for beyond in (datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC)):
        with pytest.raises(ValidationError) as error:
            ledger().state(beyond)
        assert problems_of(error) == {"$.at": "range"}
    assert from_json(to_json(ledger(served, early)), ConsentLedger) == ledger(served, early)


# ---------------------------------------------------------------- properties

KINDS = [kind.value for kind in DataKind]
CLASSES = ["cosmetics", "electronics", "toys"]
RECIPIENTS = ["insurers", "banks"]
VERSIONS = ["v1", "v2"]
START = datetime(2026, 3, 1, tzinfo=UTC)
ZONES = [UTC, LONDON, KOLKATA, HONG_KONG]


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    minutes = draw(st.integers(0, 40 * 24 * 60))
    zone = draw(st.sampled_from(ZONES))
    return (START + timedelta(minutes=minutes)).astimezone(zone)


def subsets(items: list[str], *, min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(items), min_size=min_size, unique=True)


@st.composite
def events(draw: st.DrawFn, event_id: str) -> ConsentEvent:
    common: dict[str, Any] = {
        "event_id": event_id,
        "customer_id": CUSTOMER,
        "at": draw(instants()),
        "evidence": "ev",
    }
    which = draw(st.sampled_from(["notice", "consent", "confirm", "withdraw", "opt_out"]))
    if which == "notice":
        recipients = draw(subsets(RECIPIENTS))
        return NoticeServed(
            **common,
            notice_version=draw(st.sampled_from(VERSIONS)),
            data_kinds=draw(subsets(KINDS, min_size=1)),
            marketing_classes=draw(subsets(CLASSES, min_size=1)),
            recipient_classes=recipients,
            for_gain=bool(recipients) and draw(st.booleans()),
        )
    if which == "consent":
        scope = draw(st.sampled_from(["own_marketing", "provision"]))
        methods = ["written", "online"] + (["oral"] if scope == "own_marketing" else [])
        return ConsentGiven(
            **common,
            method=draw(st.sampled_from(methods)),
            scope=scope,
            data_kinds=draw(subsets(KINDS, min_size=1)),
            marketing_classes=draw(subsets(CLASSES, min_size=1)),
            recipient_classes=draw(subsets(RECIPIENTS, min_size=1)) if scope == "provision" else [],
            notice_version=draw(st.sampled_from(VERSIONS)),
            explicit=True,
        )
    if which == "confirm":
        return OralConsentConfirmed(
            **common,
            confirms=draw(st.sampled_from([f"E-{i}" for i in range(8) if f"E-{i}" != event_id])),
            consent_date=draw(instants()).date(),
            data_kinds=draw(subsets(KINDS, min_size=1)),
            marketing_classes=draw(subsets(CLASSES, min_size=1)),
        )
    if which == "withdraw":
        return ConsentWithdrawn(
            **common,
            scope=draw(st.sampled_from(["own_marketing", "provision"])),
            consent_id=draw(st.none() | st.sampled_from([f"E-{i}" for i in range(8)])),
        )
    return draw(opt_outs(event_id, common["at"]))


@st.composite
def opt_outs(draw: st.DrawFn, event_id: str, when: datetime | None = None) -> OptedOut:
    scope = draw(st.sampled_from(["own_marketing", "provision"]))
    return OptedOut(
        event_id=event_id,
        customer_id=CUSTOMER,
        at=when or draw(instants()),
        evidence="ev",
        scope=scope,
        data_kinds=draw(subsets(KINDS)),
        marketing_classes=draw(subsets(CLASSES)) if scope == "own_marketing" else [],
        recipient_classes=draw(subsets(RECIPIENTS)) if scope == "provision" else [],
    )


@st.composite
def event_lists(draw: st.DrawFn) -> list[ConsentEvent]:
    count = draw(st.integers(0, 8))
    return [draw(events(f"E-{index}")) for index in range(count)]


RANK = [NoticeServed, ConsentGiven, OralConsentConfirmed, ConsentWithdrawn, OptedOut]


def _order(event: ConsentEvent) -> tuple[datetime, int, str]:
    """The replay order: instant, then type (notices first, opt-outs last), then id."""
    return (event.at.astimezone(UTC), RANK.index(type(event)), event.event_id)


END = START + timedelta(days=41)


@given(event_lists(), st.randoms(use_true_random=False), instants())
def test_commuting_events_give_the_same_state_in_any_order(
    items: list[ConsentEvent], random: Any, moment: datetime
) -> None:
    shuffled = list(items)
    random.shuffle(shuffled)
    one, other = ledger(*items), ledger(*shuffled)
    assert one.state(moment) == other.state(moment)
    assert one.state(END) == other.state(END)


@given(event_lists(), st.data())
def test_an_opt_out_always_wins_over_consents_before_it(
    items: list[ConsentEvent], data: st.DataObject
) -> None:
    stop = data.draw(opt_outs("STOP"))
    state = ledger(*items, stop).state(END)
    if stop.scope is ConsentScope.PROVISION:
        permitted, names = state.provision_permitted, stop.recipient_classes
    else:
        permitted, names = state.permitted, stop.marketing_classes
    for kind, name in ((pair.data_kind, pair.class_id) for pair in permitted):
        if (stop.data_kinds and kind not in stop.data_kinds) or (names and name not in names):
            continue  # the opt-out does not cover this pair
        later = [
            event
            for event in items
            if isinstance(event, ConsentGiven)
            and event.scope is stop.scope
            and _order(event) > _order(stop)
            and kind in event.data_kinds
            and name in (event.marketing_classes + event.recipient_classes)
        ]
        assert later, (kind, name)


@given(event_lists(), instants())
def test_no_state_permits_what_was_never_consented_to_and_noticed(
    items: list[ConsentEvent], moment: datetime
) -> None:
    state = ledger(*items).state(moment)
    upto = [event for event in items if event.at.astimezone(UTC) <= moment.astimezone(UTC)]
    consents = [event for event in upto if isinstance(event, ConsentGiven)]
    notices = [event for event in upto if isinstance(event, NoticeServed)]
    for kind, name in ((pair.data_kind, pair.class_id) for pair in state.permitted):
        assert any(
            c.scope is ConsentScope.OWN_MARKETING
            and kind in c.data_kinds
            and name in c.marketing_classes
            for c in consents
        )
        assert any(kind in n.data_kinds and name in n.marketing_classes for n in notices)
    for kind, name in ((p.data_kind, p.class_id) for p in state.provision_permitted):
        assert any(
            c.scope is ConsentScope.PROVISION
            and kind in c.data_kinds
            and name in c.recipient_classes
            for c in consents
        )
    never = set(DataKind) - {kind for c in consents for kind in c.data_kinds}
    assert not {pair.data_kind for pair in state.permitted + state.provision_permitted} & never


@given(events("E-1"))
def test_every_event_round_trips_through_json(event: ConsentEvent) -> None:
    text = to_json(event)
    assert from_json(text, type(event)) == event
    assert EVENT_KINDS[event.kind] is type(event)
    assert read_events(to_json([event])) == [event]


@given(event_lists())
def test_a_ledger_and_a_mixed_list_round_trip_through_json(items: list[ConsentEvent]) -> None:
    events_ = ledger(*items)
    back = from_json(to_json(events_), ConsentLedger)
    assert back == events_
    assert back.events == tuple(sorted(items, key=_order))
    assert read_events(to_json(items)) == items
    assert back.state(END) == events_.state(END)


def test_states_are_tabular() -> None:
    state = ledger(notice(), consent()).state(at(2))
    assert isinstance(state, ConsentState)
    (row,) = state.to_records()
    assert row["customer_id"] == CUSTOMER
    assert row["notice_version"] == "v1"
    assert "ConsentState" in state._repr_html_()


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.just("\ud800"),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from(ZONES)),
    st.lists(st.one_of(st.text(), st.integers(), st.lists(st.text()))),
    st.dictionaries(st.text(), st.integers()),
)


@given(st.sampled_from(sorted(EVENT_KINDS)), st.data())
def test_any_field_values_give_a_validation_error_or_an_event(
    kind: str, data: st.DataObject
) -> None:
    cls = EVENT_KINDS[kind]
    names = [field.name for field in attrs.fields(cls)]
    values = data.draw(st.dictionaries(st.sampled_from(names), ANYTHING))
    problems: tuple[Any, ...] = ()
    try:
        cls(**values)
    except ValidationError as error:
        problems = error.problems
    assert all(problem.code in CODES and problem.path.startswith("$.") for problem in problems)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.data())
def test_any_json_gives_a_validation_error_or_a_ledger(data: st.DataObject) -> None:
    event = data.draw(events("E-1"))
    field = {NoticeServed: "notices", ConsentGiven: "consents"}.get(type(event), "opt_outs")
    raw = json.loads(to_json(event))
    raw.update(data.draw(st.dictionaries(st.sampled_from(sorted(raw)), JSON, max_size=2)))
    payload = {
        "customer_id": CUSTOMER,
        field: [raw],
        **data.draw(st.dictionaries(st.text(), JSON, max_size=1)),
    }
    problems: tuple[Any, ...] = ()
    try:
        from_json(json.dumps(payload), ConsentLedger)
    except ValidationError as error:
        problems = error.problems
    assert all(problem.code in CODES for problem in problems)
