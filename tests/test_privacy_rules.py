"""The privacy rule engine: every decision scenario of the reference, and its properties."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.customers.consent import (
    ConsentEvent,
    ConsentGiven,
    ConsentLedger,
    ConsentScope,
    DataKind,
    MarketingChannel,
    NoticeServed,
    OptedOut,
    OralConsentConfirmed,
)
from retail_service_quality.customers.forms import ConsentBox
from retail_service_quality.customers.privacy import (
    JURISDICTIONS,
    PrivacyRule,
    RecipientNotice,
    cease_notices,
    correction_recipients,
    decide_marketing,
    decide_provision,
    gdpr,
    pdpo,
)
from retail_service_quality.customers.rights import request_due, request_extension_limit
from retail_service_quality.customers.uses import DataProvided, DataUse, MarketingMessageSent
from retail_service_quality.errors import RSQError, ValidationError
from retail_service_quality.rules import Decision, Reason
from retail_service_quality.serialization import from_json, to_json

ROOT = Path(__file__).resolve().parents[1]
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
CUSTOMER = "C-1"
SECRET_NAME = "Chan Tai Man"
SECRET_EMAIL = "tm.chan@example.com"
BIRTH = date(2010, 7, 14)  # the customer's date of birth: a personal value


@attrs.frozen(kw_only=True)
class Person:
    """A customer record with the fields the rules read (and personal values they must not show)."""

    id: str = CUSTOMER
    name: str = attrs.field(default=SECRET_NAME, repr=False)
    email: str = attrs.field(default=SECRET_EMAIL, repr=False)
    date_of_birth: date | None = attrs.field(default=None, repr=False)


def at(day: int, hour: int = 10, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=HONG_KONG)


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
        at=when or at(1, 9),
        evidence="form:F-1",
        method=method,
        scope=scope,
        data_kinds=kinds,
        marketing_classes=classes,
        recipient_classes=recipients,
        notice_version=version,
        explicit=True,
    )


def opt_out(event_id: str = "O-1", when: datetime | None = None, **fields: Any) -> OptedOut:
    return OptedOut(
        event_id=event_id, customer_id=CUSTOMER, at=when or at(5), evidence="sms:STOP", **fields
    )


def sent(event_id: str, when: datetime, customer_id: str = CUSTOMER) -> MarketingMessageSent:
    return MarketingMessageSent(
        event_id=event_id,
        customer_id=customer_id,
        at=when,
        evidence="campaign:K-1",
        channel="sms",
        marketing_class="cosmetics",
        opt_out_statement=True,
    )


def provided(
    event_id: str,
    recipient: str,
    when: datetime,
    *,
    customer_id: str = CUSTOMER,
    agent: bool = False,
    kinds: tuple[str, ...] = ("email",),
    recipient_class: str = "insurers",
) -> DataProvided:
    return DataProvided(
        event_id=event_id,
        customer_id=customer_id,
        at=when,
        evidence="batch:B-1",
        recipient_id=recipient,
        recipient_class=recipient_class,
        data_kinds=kinds,
        for_gain=False,
        agent=agent,
    )


def ledger_of(*events: ConsentEvent) -> ConsentLedger:
    return ConsentLedger.of(CUSTOMER, events)


def allowed(ledger: ConsentLedger, channel: str, marketing_class: str, when: datetime) -> bool:
    return decide_marketing(
        ledger, channel=channel, marketing_class=marketing_class, at=when
    ).allowed


def failed_ids(decision: Decision) -> list[str]:
    return [reason.rule_id for reason in decision.failed]


# ---------------------------------------------------------------- the reference's scenarios


@pytest.mark.parametrize("law", ["pdpo", "gdpr"])
def test_scenario_consent_to_mobile_and_cosmetics_allows_sms_about_cosmetics_only(law: str) -> None:
    ledger = ledger_of(notice(), consent())

    def decide(channel: str, marketing_class: str) -> Decision:
        return decide_marketing(
            ledger, channel=channel, marketing_class=marketing_class, at=at(2), law=law
        )

    assert decide("sms", "cosmetics").allowed
    assert decide("call", "cosmetics").allowed  # a call needs the mobile number too
    email = decide("email", "cosmetics")
    electronics = decide("sms", "electronics")
    assert not email.allowed
    assert not electronics.allowed
    consent_rule = "pdpo.s35E.consent" if law == "pdpo" else "gdpr.art6.consent"
    assert consent_rule in failed_ids(email)
    assert consent_rule in failed_ids(electronics)
    assert "email address" in email.explain()
    assert "'electronics'" in electronics.explain()


def test_scenario_oral_consent_confirmed_on_10_march_allows_from_then_not_before() -> None:
    oral = consent("K-2", at(1), method="oral")
    confirmed = OralConsentConfirmed(
        event_id="W-1",
        customer_id=CUSTOMER,
        at=at(10),
        evidence="letter:L-1",
        confirms="K-2",
        consent_date=date(2026, 3, 1),
        data_kinds=["mobile_number"],
        marketing_classes=["cosmetics"],
    )
    ledger = ledger_of(notice(), oral, confirmed)
    before = decide_marketing(ledger, channel="sms", marketing_class="cosmetics", at=at(9))
    assert not before.allowed
    assert "pdpo.s35E.oral_confirmation" in failed_ids(before)
    assert "awaits its written confirmation" in before.explain()
    assert allowed(ledger, "sms", "cosmetics", at(10))
    assert allowed(ledger, "sms", "cosmetics", at(10, month=6))


def test_scenario_oral_consent_unconfirmed_on_20_march_is_not_allowed_then_or_later() -> None:
    ledger = ledger_of(notice(), consent("K-2", at(1), method="oral"))
    for when in (at(20), at(20, month=4), at(1, year=2030)):
        decision = decide_marketing(ledger, channel="sms", marketing_class="cosmetics", at=when)
        assert not decision.allowed
        assert "pdpo.s35E.oral_confirmation" in failed_ids(decision)
        assert "lapsed" in decision.explain()
    again = ledger.append(consent("K-3", at(21)))
    assert allowed(again, "sms", "cosmetics", at(21))


def test_scenario_a_pre_ticked_box_creates_no_consent() -> None:
    with pytest.raises(ValidationError) as boxed:
        ConsentBox("news", data_kinds=["email"], marketing_classes=["cosmetics"], pre_ticked=True)
    assert any(problem.path == "$.pre_ticked" for problem in boxed.value.problems)
    with pytest.raises(ValidationError) as implied:
        attrs.evolve(consent(), explicit=False)
    assert [problem.path for problem in implied.value.problems] == ["$.explicit"]
    decision = decide_marketing(
        ledger_of(notice()), channel="email", marketing_class="cosmetics", at=at(2)
    )
    assert not decision.allowed
    assert "pdpo.s35E.consent" in failed_ids(decision)


@pytest.mark.parametrize("law", ["pdpo", "gdpr"])
def test_scenario_opt_out_then_erasure_then_the_same_email_re_imported_is_still_blocked(
    law: str,
) -> None:
    ledger = ledger_of(notice(), consent(kinds=("email",)), opt_out())
    stopped = decide_marketing(
        ledger, channel="email", marketing_class="cosmetics", at=at(6), law=law
    )
    assert not stopped.allowed
    assert ("pdpo.s35G.opt_out" if law == "pdpo" else "gdpr.art21.objection") in failed_ids(stopped)
    # Erased: the ledger is gone, the suppression entry stays. Re-imported with a new consent:
    reimported = ledger_of(notice(when=at(7)), consent("K-9", at(7), kinds=("email",)))
    blocked = decide_marketing(
        reimported, channel="email", marketing_class="cosmetics", at=at(8), law=law,
        suppressed=True,
    )  # fmt: skip
    assert not blocked.allowed
    assert failed_ids(blocked) == [f"{law}.{'s35G' if law == 'pdpo' else 'art21'}.suppression"]


def test_scenario_provision_for_gain_without_the_disclosure_is_not_allowed() -> None:
    offer = notice(kinds=("email",), classes=("cosmetics",), recipients=("insurers",))
    written = consent(kinds=("email",), scope="provision", recipients=("insurers",))
    ledger = ledger_of(offer, written)
    without = decide_provision(
        ledger, recipient_class="insurers", data_kinds=["email"], for_gain=True, at=at(2)
    )
    assert not without.allowed
    assert failed_ids(without) == ["pdpo.s35J.notice"]
    assert "for gain" in without.explain()
    disclosed = ledger_of(attrs.evolve(offer, for_gain=True), written)
    assert decide_provision(
        disclosed, recipient_class="insurers", data_kinds=["email"], for_gain=True, at=at(2)
    ).allowed
    assert decide_provision(
        ledger, recipient_class="insurers", data_kinds=["email"], for_gain=False, at=at(2)
    ).allowed


@pytest.mark.parametrize(
    ("law", "rule"), [("pdpo", "pdpo.s35I.agent"), ("gdpr", "gdpr.art28.processor")]
)
def test_scenario_an_agent_mailing_for_the_retailer_has_no_provision_check(
    law: str, rule: str
) -> None:
    decision = decide_provision(
        ConsentLedger(CUSTOMER), recipient_class="mailing_houses", data_kinds=["postal_address"],
        for_gain=False, agent=True, at=at(2), law=law,
    )  # fmt: skip
    assert decision.allowed
    assert [reason.rule_id for reason in decision.reasons][1:] == [rule]
    not_agent = decide_provision(
        ConsentLedger(CUSTOMER), recipient_class="mailing_houses", data_kinds=["postal_address"],
        for_gain=False, at=at(2), law=law,
    )  # fmt: skip
    assert not not_agent.allowed


def test_scenario_an_access_request_received_on_4_may_2026() -> None:
    assert request_due("access", date(2026, 5, 4), law="pdpo") == date(2026, 6, 13)
    assert request_due("access", date(2026, 5, 4), law="gdpr") == date(2026, 6, 4)
    assert rsq.access_request_due(date(2026, 5, 4), law="pdpo") == date(2026, 6, 13)


def test_scenario_a_cease_request_gives_a_written_notice_to_every_past_recipient() -> None:
    uses: list[DataUse] = [
        provided("U-1", "P-INSURE", at(2), kinds=("email",)),
        provided("U-2", "P-INSURE", at(4), kinds=("mobile_number",), recipient_class="insurance"),
        provided("U-3", "P-BANK", at(3)),
        provided("U-4", "P-MAILER", at(3), agent=True),
        provided("U-5", "P-OTHER", at(3), customer_id="C-2"),
        provided("U-6", "P-LATER", at(20)),
        sent("M-1", at(2)),
    ]
    notices = cease_notices(uses, customer_id=CUSTOMER, at=at(9))
    assert [notice.recipient_id for notice in notices] == ["P-BANK", "P-INSURE"]
    insure = notices[1]
    assert insure.data_kinds == (DataKind.MOBILE_NUMBER, DataKind.EMAIL)
    assert insure.recipient_class == "insurance"
    assert insure.last_provided_at == at(4)
    assert insure.rule_id == "pdpo.s35L.notify_recipients"
    assert "s.35L" in insure.source
    assert not insure.agent
    assert cease_notices(uses[::-1], customer_id=CUSTOMER, at=at(9)) == notices
    assert cease_notices(uses, customer_id=CUSTOMER, at=at(1, year=2012)) == ()


def test_scenario_a_changed_notice_needs_fresh_consent_for_what_it_adds() -> None:
    wider = notice("N-2", at(5), version="v2", classes=("cosmetics", "toys"))
    ledger = ledger_of(notice(), consent(), wider)
    assert allowed(ledger, "sms", "cosmetics", at(6))
    toys = decide_marketing(ledger, channel="sms", marketing_class="toys", at=at(6))
    assert not toys.allowed
    assert failed_ids(toys) == ["pdpo.s35E.consent"]
    fresh = ledger.append(consent("K-2", at(7), classes=("toys",), version="v2"))
    assert allowed(fresh, "sms", "toys", at(7))


# ---------------------------------------------------------------- further rules


def test_the_first_message_carries_the_opt_out_statement_later_ones_need_not() -> None:
    ledger = ledger_of(notice(), consent())
    first = decide_marketing(ledger, channel="sms", marketing_class="cosmetics", at=at(2))
    assert first.obligations == (
        "include the opt-out statement (the right to opt out, free of charge)",
    )
    assert "Before going ahead: include the opt-out statement" in first.explain()
    # A message at the same instant is not an earlier one; another customer's never counts.
    same = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=at(2),
        uses=[sent("M-1", at(2)), sent("M-2", at(1), customer_id="C-2")],
    )  # fmt: skip
    assert same.obligations == first.obligations
    later = decide_marketing(
        ledger,
        channel="sms",
        marketing_class="cosmetics",
        at=at(3),
        uses=iter([sent("M-1", at(2))]),
    )
    assert later.allowed
    assert later.obligations == ()
    refused = decide_marketing(ledger, channel="email", marketing_class="cosmetics", at=at(2))
    assert refused.obligations == ()
    gdpr_first = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=at(2), law="gdpr"
    )
    assert gdpr_first.obligations == ("present the right to object, clearly and separately",)


@pytest.mark.parametrize("law", ["pdpo", "gdpr"])
def test_a_notice_is_required_and_must_name_the_kind_and_the_class(law: str) -> None:
    bare = decide_marketing(
        ConsentLedger(CUSTOMER), channel="sms", marketing_class="cosmetics", at=at(2), law=law
    )
    assert not bare.allowed
    if law == "pdpo":
        assert "pdpo.s35C.notice" in failed_ids(bare)
        assert "No direct-marketing notice" in bare.explain()


@pytest.mark.parametrize(
    ("birth", "minor"),
    [
        (date(2008, 3, 2), True),  # 18 tomorrow
        (date(2008, 3, 1), False),  # 18 today (Hong Kong date)
        (date(1990, 1, 1), False),
        (None, False),
    ],
)
def test_pdpo_does_not_rely_on_a_minors_own_consent(birth: date | None, minor: bool) -> None:
    ledger = ledger_of(notice(), consent())
    decision = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=at(1, hour=12),
        customer=Person(date_of_birth=birth),
    )  # fmt: skip
    assert decision.allowed is not minor
    if minor:
        assert failed_ids(decision) == ["pdpo.dpp3.minor"]
        assert "DPP3(2)-(4)" in decision.explain()
        provision = decide_provision(
            ledger_of(
                notice(recipients=("insurers",)),
                consent(scope="provision", kinds=("email",), recipients=("insurers",)),
            ),
            recipient_class="insurers", data_kinds=["email"], for_gain=False, at=at(1, hour=12),
            customer=Person(date_of_birth=birth),
        )  # fmt: skip
        assert failed_ids(provision) == ["pdpo.dpp3.minor"]


def test_the_minors_day_is_the_hong_kong_date_of_the_instant() -> None:
    ledger = ledger_of(notice(), consent())
    person = Person(date_of_birth=date(2008, 3, 2))
    # 2026-03-01 16:30 UTC is already 2 March in Hong Kong: 18 that day.
    evening = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    assert decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=evening, customer=person
    ).allowed
    assert not decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=evening - timedelta(hours=1),
        customer=person,
    ).allowed  # fmt: skip


def test_born_on_29_february_is_a_year_older_on_1_march() -> None:
    ledger = ledger_of(notice(when=at(1, year=2025)), consent(when=at(1, year=2025)))
    person = Person(date_of_birth=date(2008, 2, 29))
    assert decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", customer=person,
        at=datetime(2026, 3, 1, 0, tzinfo=HONG_KONG),
    ).allowed  # fmt: skip
    assert not decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", customer=person,
        at=datetime(2026, 2, 28, 23, 59, tzinfo=HONG_KONG),
    ).allowed  # fmt: skip


@pytest.mark.parametrize("method", ["online", "written"])
@pytest.mark.parametrize("age", [13, 16])
def test_gdpr_does_not_rely_on_a_childs_online_consent(method: str, age: int) -> None:
    ledger = ledger_of(notice(), consent(method=method))
    fourteen = Person(date_of_birth=date(2012, 1, 1))
    decision = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=at(2), law="gdpr",
        customer=fourteen, digital_consent_age=age,
    )  # fmt: skip
    child = age == 16
    assert decision.allowed is not (child and method == "online")
    if child and method == "online":
        assert failed_ids(decision) == ["gdpr.art8.child"]


def test_gdpr_provision_needs_a_consent_naming_the_recipients() -> None:
    offer = notice(kinds=("email", "mobile_number"), recipients=("insurers",))
    ledger = ledger_of(
        offer, consent(scope="provision", kinds=("email",), recipients=("insurers",))
    )

    def decide(kinds: list[str], recipient: str = "insurers") -> Decision:
        return decide_provision(
            ledger, recipient_class=recipient, data_kinds=kinds, for_gain=True, at=at(2),
            law="gdpr",
        )  # fmt: skip

    assert decide(["email"]).allowed
    assert failed_ids(decide(["email", "mobile_number"])) == ["gdpr.art7.provision_consent"]
    assert failed_ids(decide(["email"], "banks")) == [
        "gdpr.art13.recipients",
        "gdpr.art7.provision_consent",
    ]
    ceased = ledger.append(opt_out(scope="provision"))
    decision = decide_provision(
        ceased, recipient_class="insurers", data_kinds=["email"], for_gain=False, at=at(6),
        law="gdpr",
    )  # fmt: skip
    assert "gdpr.art21.objection" in failed_ids(decision)


def test_pdpo_provision_needs_written_consent_and_no_cease_request() -> None:
    offer = notice(kinds=("email",), classes=("cosmetics",), recipients=("insurers",))
    ledger = ledger_of(
        offer, consent(scope="provision", kinds=("email",), recipients=("insurers",))
    )
    ceased = ledger.append(opt_out(scope="provision", recipient_classes=["insurers"]))
    decision = decide_provision(
        ceased, recipient_class="insurers", data_kinds=["email"], for_gain=False, at=at(6)
    )
    assert "pdpo.s35L.cease" in failed_ids(decision)
    none = decide_provision(
        ledger_of(offer), recipient_class="insurers", data_kinds=["email"], for_gain=False,
        at=at(2),
    )  # fmt: skip
    assert failed_ids(none) == ["pdpo.s35K.consent"]
    unnamed = decide_provision(
        ledger, recipient_class="insurers", data_kinds=["email", "name"], for_gain=False, at=at(2)
    )
    assert failed_ids(unnamed) == ["pdpo.s35J.notice", "pdpo.s35K.consent"]


def test_correction_goes_to_the_last_12_months_pdpo_and_to_every_recipient_gdpr() -> None:
    corrected = datetime(2026, 6, 15, 3, tzinfo=UTC)
    uses = [
        provided("U-1", "P-EDGE", datetime(2025, 6, 15, 0, 0, tzinfo=UTC)),  # same UTC date
        provided("U-2", "P-OUT", datetime(2025, 6, 14, 23, 59, tzinfo=UTC)),
        provided("U-3", "P-AGENT", datetime(2026, 1, 1, tzinfo=UTC), agent=True),
        provided("U-4", "P-AFTER", datetime(2026, 6, 15, 4, tzinfo=UTC)),
        provided("U-5", "P-OTHER", datetime(2026, 1, 1, tzinfo=UTC), customer_id="C-2"),
    ]
    pdpo_ids = [(n.customer_id, n.recipient_id) for n in correction_recipients(
        uses, corrected_at=corrected, law="pdpo")]  # fmt: skip
    assert pdpo_ids == [("C-1", "P-AGENT"), ("C-1", "P-EDGE"), ("C-2", "P-OTHER")]
    gdpr_notices = correction_recipients(uses, corrected_at=corrected, law="gdpr")
    assert [n.recipient_id for n in gdpr_notices] == ["P-AGENT", "P-EDGE", "P-OUT", "P-OTHER"]
    assert {n.rule_id for n in gdpr_notices} == {"gdpr.art19.recipients"}
    assert correction_recipients(uses, corrected_at=corrected, law="gdpr")[0].agent
    # The UTC date, whatever the instant's zone: 15 June 2025 00:00 UTC is in Kolkata's 15 June.
    in_kolkata = corrected.astimezone(KOLKATA)
    assert correction_recipients(uses, corrected_at=in_kolkata, law="pdpo") == tuple(
        correction_recipients(uses, corrected_at=corrected, law="pdpo")
    )


def test_correction_counts_29_february_back_to_28_february() -> None:
    uses = [provided("U-1", "P-1", datetime(2027, 2, 28, tzinfo=UTC))]
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert [n.recipient_id for n in correction_recipients(uses, corrected_at=leap, law="pdpo")] == [
        "P-1"
    ]


@pytest.mark.parametrize(
    ("kind", "law", "due"),
    [
        ("access", "pdpo", date(2026, 6, 13)),
        ("correction", "pdpo", date(2026, 6, 13)),
        ("erasure", "pdpo", None),
        ("portability", "pdpo", None),
        ("objection", "pdpo", None),
        ("cease_provision", "pdpo", None),
        ("access", "gdpr", date(2026, 6, 4)),
        ("erasure", "gdpr", date(2026, 6, 4)),
        ("objection", "gdpr", date(2026, 6, 4)),
    ],
)
def test_request_due_per_kind_and_law(kind: str, law: str, due: date | None) -> None:
    assert request_due(kind, date(2026, 5, 4), law=law) == due
    assert request_due(rsq.RequestKind(kind), date(2026, 5, 4), law=law) == due


def test_request_extension_limit_is_three_months_under_the_gdpr_only() -> None:
    assert request_extension_limit("access", date(2026, 1, 31), law="gdpr") == date(2026, 4, 30)
    assert request_extension_limit("access", date(2026, 11, 30), law="gdpr") == date(2027, 2, 28)
    assert request_extension_limit("access", date(2026, 5, 4), law="pdpo") is None


def test_requests_before_the_law_applies_have_no_statutory_period() -> None:
    assert request_due("access", date(1996, 12, 19), law="pdpo") is None
    assert request_due("access", date(1996, 12, 20), law="pdpo") == date(1997, 1, 29)
    assert request_due("access", date(2018, 5, 24), law="gdpr") is None
    assert request_due("access", date(2018, 5, 25), law="gdpr") == date(2018, 6, 25)
    assert request_extension_limit("access", date(2018, 5, 24), law="gdpr") is None


# ---------------------------------------------------------------- rules before they applied


def test_part_6a_does_not_apply_before_1_april_2013_in_hong_kong() -> None:
    ledger = ledger_of(notice(when=at(1, year=2010)), consent(when=at(1, year=2010)))
    last_day = datetime(2013, 3, 31, 23, 59, tzinfo=HONG_KONG)
    before = decide_marketing(ledger, channel="sms", marketing_class="cosmetics", at=last_day)
    assert before.allowed
    assert before.obligations == ()  # s.35F did not apply yet
    unused = {r.rule_id: r for r in before.reasons if r.explanation.startswith("Not applied")}
    assert set(unused) == {
        "pdpo.s35C.notice",
        "pdpo.s35E.consent",
        "pdpo.s35E.oral_confirmation",
        "pdpo.s35G.opt_out",
        "pdpo.s35G.suppression",
        "pdpo.s35F.opt_out_statement",
    }
    assert all(reason.passed for reason in unused.values())
    assert "applies from 1 April 2013" in unused["pdpo.s35G.opt_out"].explanation
    after = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=last_day + timedelta(minutes=1)
    )
    dpp3 = next(r for r in after.reasons if r.rule_id == "pdpo.dpp3.consent")
    assert "applied until 31 March 2013" in dpp3.explanation
    assert after.obligations  # the first use after Part 6A began


@pytest.mark.parametrize(
    ("law", "start", "zone"),
    [
        ("pdpo", date(1996, 12, 20), HONG_KONG),
        ("gdpr", date(2018, 5, 25), ZoneInfo("Europe/Brussels")),
    ],
)
def test_before_the_law_applies_nothing_is_allowed(law: str, start: date, zone: ZoneInfo) -> None:
    first = datetime(start.year, start.month, start.day, tzinfo=zone)
    events: list[ConsentEvent] = [
        notice(when=first - timedelta(days=30)),
        consent(when=first - timedelta(days=30)),
    ]
    ledger = ConsentLedger.of(CUSTOMER, events)
    before = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=first - timedelta(microseconds=1),
        law=law,
    )  # fmt: skip
    assert not before.allowed
    assert len(before.reasons) == 1
    assert "applies only from" in before.explain()
    assert decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=first, law=law
    ).allowed


@given(st.datetimes(min_value=datetime(1, 1, 3), max_value=datetime(2013, 3, 30)))
def test_no_part_6a_reason_fails_before_it_applied(moment: datetime) -> None:
    when = moment.replace(tzinfo=UTC)
    ledger = ledger_of(notice(), opt_out())
    decision = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=when, suppressed=True
    )
    for reason in decision.reasons:
        if reason.applies_from == pdpo.PART_6A_FROM:
            assert reason.passed
            assert reason.explanation.startswith("Not applied")
    if when < datetime(1996, 12, 19, 16, tzinfo=UTC):
        assert [reason.rule_id for reason in decision.reasons] == ["pdpo.commencement"]
    assert not decision.allowed


# ---------------------------------------------------------------- properties

CLASSES = ("cosmetics", "electronics", "toys")
KINDS = tuple(kind.value for kind in DataKind)
CHANNELS = tuple(channel.value for channel in MarketingChannel)
START = datetime(2026, 3, 1, tzinfo=UTC)


@st.composite
def ledger_events(
    draw: st.DrawFn, *, kinds: tuple[str, ...] = KINDS, count: int = 8
) -> list[ConsentEvent]:
    """Notices, consents, confirmations, withdrawals and opt-outs over three weeks."""
    events: list[ConsentEvent] = []
    versions: list[str] = []
    for index in range(draw(st.integers(0, count))):
        when = START + timedelta(minutes=draw(st.integers(0, 30 * 24 * 60)))
        base: dict[str, Any] = {
            "event_id": f"E-{index}",
            "customer_id": CUSTOMER,
            "at": when,
            "evidence": "x",
        }
        which = draw(st.sampled_from(["notice", "consent", "confirm", "withdraw", "opt_out"]))
        some_kinds = st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True)
        some_classes = st.lists(st.sampled_from(CLASSES), min_size=1, max_size=3, unique=True)
        if which == "notice" or not versions:
            version = f"v{index}"
            versions.append(version)
            events.append(
                NoticeServed(
                    **base,
                    notice_version=version,
                    data_kinds=draw(some_kinds),
                    marketing_classes=draw(some_classes),
                )
            )
        elif which == "consent":
            events.append(
                ConsentGiven(
                    **base,
                    method=draw(st.sampled_from(["written", "oral", "online"])),
                    scope="own_marketing",
                    data_kinds=draw(some_kinds),
                    marketing_classes=draw(some_classes),
                    explicit=True,
                    notice_version=draw(st.sampled_from(versions)),
                )
            )
        elif which == "confirm":
            consents = [e for e in events if isinstance(e, ConsentGiven)]
            if consents:
                oral = draw(st.sampled_from(consents))
                events.append(
                    OralConsentConfirmed(
                        **base,
                        confirms=oral.event_id,
                        consent_date=oral.at.date(),
                        data_kinds=draw(some_kinds),
                        marketing_classes=draw(some_classes),
                    )
                )
        elif which == "withdraw":
            events.append(rsq.ConsentWithdrawn(**base, scope="own_marketing"))
        else:
            events.append(
                OptedOut(
                    **base,
                    data_kinds=draw(st.lists(st.sampled_from(kinds), max_size=2, unique=True)),
                    marketing_classes=draw(
                        st.lists(st.sampled_from(CLASSES), max_size=2, unique=True)
                    ),
                )
            )
    return events


LAWS = st.sampled_from(["pdpo", "gdpr"])
LATER = st.integers(0, 40 * 24 * 60).map(lambda minutes: START + timedelta(minutes=minutes))


@settings(max_examples=150)
@given(
    ledger_events(),
    st.sampled_from(CHANNELS),
    st.sampled_from(CLASSES),
    st.integers(0, 35 * 24 * 60),
    st.integers(0, 10 * 24 * 60),
    LAWS,
)
def test_an_opt_out_always_wins(
    events: list[ConsentEvent],
    channel: str,
    marketing_class: str,
    stop_minute: int,
    wait: int,
    law: str,
) -> None:
    stop = START + timedelta(minutes=stop_minute)
    kind = rsq.CHANNEL_DATA_KIND[MarketingChannel(channel)]
    # Any events before the opt-out, and after it anything but a new consent.
    kept = [
        e for e in events if e.at <= stop or not isinstance(e, ConsentGiven | OralConsentConfirmed)
    ]
    partial = opt_out("STOP", stop, data_kinds=[kind], marketing_classes=[marketing_class])
    for stop_event in (opt_out("STOP", stop), partial):
        ledger = ConsentLedger.of(CUSTOMER, [*kept, stop_event])
        when = stop + timedelta(minutes=wait)
        decision = decide_marketing(
            ledger, channel=channel, marketing_class=marketing_class, at=when, law=law
        )
        assert not decision.allowed


@settings(max_examples=150)
@given(
    st.sampled_from(CHANNELS),
    st.data(),
    st.sampled_from(CLASSES),
    LATER,
    LAWS,
)
def test_no_decision_allows_a_channel_whose_kind_of_data_was_never_consented_to(
    channel: str, data: st.DataObject, marketing_class: str, when: datetime, law: str
) -> None:
    kind = rsq.CHANNEL_DATA_KIND[MarketingChannel(channel)].value
    others = tuple(k for k in KINDS if k != kind)
    events = data.draw(ledger_events(kinds=others))
    # Notices may still name the kind: only consent never covers it.
    events.append(notice("N-ALL", START, version="v-all", kinds=KINDS, classes=CLASSES))
    ledger = ConsentLedger.of(CUSTOMER, events)
    decision = decide_marketing(
        ledger, channel=channel, marketing_class=marketing_class, at=when, law=law
    )
    assert not decision.allowed


@settings(max_examples=100)
@given(ledger_events(), st.randoms(use_true_random=False), st.sampled_from(CHANNELS),
       st.sampled_from(CLASSES), LATER, LAWS)  # fmt: skip
def test_the_decision_does_not_depend_on_the_order_events_were_appended(
    events: list[ConsentEvent],
    shuffle: Any,
    channel: str,
    marketing_class: str,
    when: datetime,
    law: str,
) -> None:
    shuffled = list(events)
    shuffle.shuffle(shuffled)
    first = ConsentLedger.of(CUSTOMER, events)
    second = ConsentLedger(CUSTOMER)
    for event in shuffled:
        second = second.append(event)
    uses = [sent("M-1", START + timedelta(days=3)), sent("M-0", START + timedelta(days=9))]
    one = decide_marketing(
        first, channel=channel, marketing_class=marketing_class, at=when, law=law, uses=uses
    )
    two = decide_marketing(
        second, channel=channel, marketing_class=marketing_class, at=when, law=law,
        uses=uses[::-1],
    )  # fmt: skip
    assert one == two


@given(st.sampled_from([0, 1]), st.integers(-120, 120))
def test_a_consent_at_the_repeated_london_hour_decided_in_kolkata(fold: int, offset: int) -> None:
    given_at = datetime(2026, 10, 25, 1, 30, fold=fold, tzinfo=LONDON)
    ledger = ledger_of(notice(when=given_at), consent(when=given_at))
    when = (given_at.astimezone(UTC) + timedelta(minutes=offset)).astimezone(KOLKATA)
    decision = decide_marketing(ledger, channel="sms", marketing_class="cosmetics", at=when)
    assert decision.allowed is (offset >= 0)
    assert decision.at == when
    back = from_json(to_json(decision), Decision)
    assert back == decision
    assert back.at.utcoffset() == timedelta(hours=5, minutes=30)


def test_the_two_repeated_hours_are_an_hour_apart() -> None:
    first = datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    ledger = ledger_of(notice(when=first), consent(when=first), opt_out(when=second))
    between = datetime(2026, 10, 25, 6, 30, tzinfo=KOLKATA)  # 01:00 UTC: after the first 01:30
    assert allowed(ledger, "sms", "cosmetics", between)
    assert not allowed(ledger, "sms", "cosmetics", second.astimezone(ADELAIDE))


def test_a_skipped_hour_is_refused_with_its_path() -> None:
    with pytest.raises(ValidationError) as error:
        decide_marketing(
            ConsentLedger(CUSTOMER), channel="sms", marketing_class="cosmetics",
            at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON),
        )  # fmt: skip
    assert [(p.path, p.code) for p in error.value.problems] == [("$.at", "nonexistent_time")]


def test_oral_consent_deadline_is_14_days_of_elapsed_time_across_dst() -> None:
    given_at = datetime(2026, 10, 20, 12, tzinfo=LONDON)  # BST; the deadline falls in GMT
    ledger = ledger_of(notice(when=given_at), consent(when=given_at, method="oral"))
    deadline = given_at + timedelta(days=14)  # wall clock 12:00 GMT = 12:00 UTC
    just_before = (given_at.astimezone(UTC) + timedelta(days=14, microseconds=-1)).astimezone(
        KOLKATA
    )
    waiting = decide_marketing(ledger, channel="sms", marketing_class="cosmetics", at=just_before)
    assert "awaits" in waiting.explain()
    lapsed = decide_marketing(ledger, channel="sms", marketing_class="cosmetics", at=deadline)
    assert "lapsed" in lapsed.explain()


@pytest.mark.parametrize("law", ["pdpo", "gdpr"])
def test_the_ends_of_the_supported_range(law: str) -> None:
    early = ConsentLedger.of(CUSTOMER, [notice(when=MIN_INSTANT), consent(when=MIN_INSTANT)])
    first = decide_marketing(
        early, channel="sms", marketing_class="cosmetics", at=MIN_INSTANT, law=law
    )
    assert not first.allowed  # no law applied in year 1
    assert from_json(to_json(first), Decision) == first
    last = decide_marketing(
        early, channel="sms", marketing_class="cosmetics", at=MAX_INSTANT, law=law
    )
    assert last.allowed
    person = Person(date_of_birth=date(9999, 12, 30))
    young = decide_marketing(
        early, channel="sms", marketing_class="cosmetics", at=MAX_INSTANT, law=law, customer=person
    )
    assert young.allowed is (law == "gdpr")  # under GDPR the written consent still counts
    oral = ConsentLedger.of(
        CUSTOMER,
        [notice(when=MIN_INSTANT), consent(when=MAX_INSTANT - timedelta(days=1), method="oral")],
    )
    waiting = decide_marketing(
        oral, channel="sms", marketing_class="cosmetics", at=MAX_INSTANT, law=law
    )
    assert not waiting.allowed
    provision = decide_provision(
        early, recipient_class="insurers", data_kinds=["email"], for_gain=False, at=MAX_INSTANT,
        law=law,
    )  # fmt: skip
    assert not provision.allowed
    uses = [provided("U-1", "P-1", MIN_INSTANT), provided("U-2", "P-2", MAX_INSTANT)]
    assert correction_recipients(uses, corrected_at=MIN_INSTANT, law=law) == ()
    assert len(correction_recipients(uses, corrected_at=MAX_INSTANT, law=law)) == (
        1 if law == "pdpo" else 2
    )
    assert len(cease_notices(uses, customer_id=CUSTOMER, at=MAX_INSTANT)) == 2
    assert cease_notices(uses, customer_id=CUSTOMER, at=MIN_INSTANT) == ()
    assert request_due("access", date(1, 1, 1), law=law) is None
    with pytest.raises(ValidationError, match=r"\$\.received: is too late"):
        request_due("access", date(9999, 12, 30), law=law)


def test_the_extension_limit_past_the_last_date_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match=r"\$\.received"):
        request_extension_limit("access", date(9999, 10, 15), law="gdpr")


# ---------------------------------------------------------------- values, records and JSON


def test_a_decision_gives_one_record_per_reason_and_round_trips() -> None:
    decision = decide_marketing(
        ledger_of(notice(), consent()), channel="sms", marketing_class="cosmetics", at=at(2)
    )
    rows = decision.to_records()
    assert [row["rule_id"] for row in rows] == [reason.rule_id for reason in decision.reasons]
    assert {row["allowed"] for row in rows} == {True}
    assert rsq.to_records([decision, decision]) == rows + rows
    assert rsq.record_columns(Decision) == list(rows[0])
    frame = decision.to_dataframe()
    assert len(frame) == len(decision.reasons)
    assert str(frame["at"].dtype) == "datetime64[us, UTC]"
    assert from_json(to_json(decision), Decision) == decision
    assert json.loads(to_json(decision))["reasons"][0]["rule_id"] == "pdpo.commencement"
    assert "<caption>Decision" in decision._repr_html_()


def test_a_decision_must_agree_with_its_reasons() -> None:
    reason = Reason(
        rule_id="r", source="s", applies_from=date(2013, 4, 1), passed=False, explanation="e"
    )
    with pytest.raises(ValidationError) as error:
        Decision(allowed=True, question="Q?", law="pdpo", at=at(1), reasons=[reason])
    assert [p.code for p in error.value.problems] == ["inconsistent"]
    bad: dict[str, Any] = {
        "allowed": "yes", "question": "", "law": " x", "at": datetime(2026, 1, 1),
        "reasons": [1], "obligations": "x",
    }  # fmt: skip
    with pytest.raises(ValidationError) as many:
        Decision(**bad)
    assert [p.path for p in many.value.problems] == [
        "$.allowed", "$.question", "$.law", "$.at", "$.reasons[0]", "$.obligations",
    ]  # fmt: skip


def test_a_decision_with_no_reason_still_gives_a_record() -> None:
    decision = Decision(allowed=True, question="Q?", law="pdpo", at=at(1))
    (row,) = decision.to_records()
    assert row["rule_id"] is None
    assert decision.explain() == "Q? Yes."


TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1).filter(str.strip)


@given(
    st.builds(
        Reason,
        rule_id=st.from_regex(r"[a-z][a-z0-9_.]{0,30}", fullmatch=True),
        source=TEXT,
        applies_from=st.dates(),
        passed=st.booleans(),
        explanation=TEXT,
    )
)
def test_reasons_round_trip(reason: Reason) -> None:
    assert from_json(to_json(reason), Reason) == reason


def test_rules_are_data_that_round_trip_and_check_themselves() -> None:
    for rule in (*pdpo.RULES, *gdpr.RULES):
        assert from_json(to_json(rule), PrivacyRule) == rule
    with pytest.raises(ValidationError) as error:
        PrivacyRule(
            id="", law="pdpo", section="s.1", source="", applies_from=datetime(2013, 4, 1),
            summary="x", timezone="Mars/Olympus", applies_until=date(2000, 1, 1),
        )  # fmt: skip
    assert [p.path for p in error.value.problems] == [
        "$.id", "$.source", "$.applies_from", "$.timezone",
    ]  # fmt: skip


def test_every_rule_cites_its_section_and_its_start_date() -> None:
    from retail_service_quality.customers.privacy._common import spoken

    for module in JURISDICTIONS.values():
        ids = [rule.id for rule in module.RULES]
        assert len(ids) == len(set(ids))
        for rule in module.RULES:
            assert rule.law == module.CODE
            assert rule.id.startswith(f"{module.CODE}.")
            assert rule.section in rule.source
            assert spoken(rule.applies_from) in rule.summary, rule.id
            assert rule.applies_from >= module.IN_FORCE_FROM
    assert {rule.applies_from for rule in pdpo.RULES} == {
        date(1996, 12, 20),
        date(2012, 10, 1),
        date(2013, 4, 1),
    }
    assert {rule.applies_from for rule in gdpr.RULES} == {date(2018, 5, 25)}


def test_the_guides_table_of_rules_matches_the_modules() -> None:
    text = (ROOT / "docs" / "privacy.md").read_text()
    rows = re.findall(r"^\| `([A-Za-z0-9_.]+)` \| ([^|]+) \| (\d{4}-\d{2}-\d{2}) \|", text, re.M)
    table = [(rule_id, section.strip(), date.fromisoformat(day)) for rule_id, section, day in rows]
    rules = [
        (rule.id, rule.section, rule.applies_from)
        for module in (pdpo, gdpr)
        for rule in module.RULES
    ]
    assert table == rules


def test_the_rules_are_reachable_from_the_top_level() -> None:
    assert rsq.decide_marketing is decide_marketing
    assert rsq.Decision is Decision
    assert rsq.RecipientNotice is RecipientNotice
    assert rsq.request_due is request_due


# ---------------------------------------------------------------- bad input, personal data


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    anything: Any = "no"
    with pytest.raises(ValidationError) as error:
        decide_marketing(
            anything, channel="pigeon", marketing_class=" ", at=datetime(2026, 1, 1),
            law="ccpa", uses=anything, customer=5, suppressed=anything, digital_consent_age=12,
        )  # fmt: skip
    assert [p.path for p in error.value.problems] == [
        "$.ledger", "$.channel", "$.marketing_class", "$.at", "$.law", "$.uses", "$.customer",
        "$.suppressed", "$.digital_consent_age",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as provision:
        decide_provision(
            ConsentLedger(CUSTOMER), recipient_class=5, data_kinds=["email", "email", "dna"],  # type: ignore[arg-type]
            for_gain=None, at=at(1), law="pdpo", agent=1, customer=Person(id="C-2"),  # type: ignore[arg-type]
        )  # fmt: skip
    assert [p.path for p in provision.value.problems] == [
        "$.recipient_class", "$.data_kinds[1]", "$.data_kinds[2]", "$.for_gain", "$.agent",
        "$.customer.id",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as uses:
        cease_notices([provided("U-1", "P", at(1)), "U-2"], customer_id="", at=at(1))  # type: ignore[list-item]
    assert [p.path for p in uses.value.problems] == ["$.uses[1]", "$.customer_id"]
    with pytest.raises(ValidationError) as request:
        request_due("deletion", datetime(2026, 1, 1, tzinfo=UTC), law="ccpa")
    assert [p.path for p in request.value.problems] == ["$.kind", "$.received", "$.law"]


def test_a_date_of_birth_must_be_a_date_and_not_in_the_future() -> None:
    ledger = ConsentLedger(CUSTOMER)
    for birth, code in ((datetime(2000, 1, 1), "type"), (date(2026, 3, 3), "inconsistent")):
        with pytest.raises(ValidationError) as error:
            decide_marketing(
                ledger, channel="sms", marketing_class="cosmetics", at=at(1),
                customer=Person(date_of_birth=birth),
            )  # fmt: skip
        assert [(p.path, p.code) for p in error.value.problems] == [
            ("$.customer.date_of_birth", code)
        ]
        assert birth.isoformat() not in str(error.value)


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=5),
    st.just("\ud800"),
    st.datetimes(),
    st.dates(),
    st.lists(st.integers(), max_size=2),
    st.just(float("nan")),
    st.just(DataKind.EMAIL),
)


@settings(max_examples=200)
@given(ANYTHING, ANYTHING, ANYTHING, ANYTHING, ANYTHING, ANYTHING, ANYTHING, ANYTHING)
def test_any_input_gives_a_decision_or_a_validation_error(
    channel: Any,
    marketing_class: Any,
    when: Any,
    law: Any,
    uses: Any,
    suppressed: Any,
    kinds: Any,
    age: Any,
) -> None:
    ledger = ledger_of(notice(), consent())
    calls: list[Callable[[], object]] = [
        lambda: decide_marketing(
            ledger, channel=channel, marketing_class=marketing_class, at=when, law=law,
            uses=uses, suppressed=suppressed, digital_consent_age=age,
        ),
        lambda: decide_provision(
            ledger, recipient_class=marketing_class, data_kinds=kinds, for_gain=suppressed,
            at=when, law=law, agent=suppressed, customer=channel,
        ),
        lambda: cease_notices(uses, customer_id=marketing_class, at=when),
        lambda: correction_recipients(uses, corrected_at=when, law=law),
        lambda: request_due(channel, when, law=law),
        lambda: request_extension_limit(marketing_class, when, law=law),
    ]  # fmt: skip
    for call in calls:
        result: Any = None
        problems: tuple[Any, ...] = ("none",)
        try:
            result = call()
        except ValidationError as error:
            problems = error.problems
        except RSQError as error:  # pragma: no cover - any other error fails the test
            raise AssertionError(type(error).__name__) from error
        assert problems
        assert result is None or isinstance(result, Decision | tuple | date)


def _bad_calls(ledger: ConsentLedger, person: Person, bad: Any) -> list[Callable[[], object]]:
    """Calls given a personal value where something else was expected."""
    return [
        lambda: decide_marketing(ledger, channel=bad, marketing_class=bad, at=bad),
        lambda: decide_provision(
            ledger, recipient_class=bad + " ", data_kinds=[bad], for_gain=bad, at=bad, law=bad,
            customer=attrs.evolve(person, id=bad),
        ),
        lambda: request_due(bad, bad, law=bad),
    ]  # fmt: skip


def test_no_personal_value_in_explanations_reprs_records_or_errors() -> None:
    person = Person(date_of_birth=BIRTH)
    secrets = (SECRET_NAME, SECRET_EMAIL, BIRTH.isoformat(), str(BIRTH.year), "14 July")
    ledger = ledger_of(notice(), consent(kinds=("email",)))
    outputs: list[str] = []
    for law in ("pdpo", "gdpr"):
        for channel in ("email", "sms"):
            decision = decide_marketing(
                ledger, channel=channel, marketing_class="cosmetics", at=at(2), law=law,
                customer=person,
            )  # fmt: skip
            outputs += [decision.explain(), repr(decision), to_json(decision)]
            outputs += [decision._repr_html_(), str(decision.to_records())]
        provision = decide_provision(
            ledger, recipient_class="insurers", data_kinds=["email"], for_gain=True, at=at(2),
            law=law, customer=person,
        )  # fmt: skip
        outputs += [provision.explain(), repr(provision)]
    for bad in (SECRET_EMAIL, SECRET_NAME + "\ud800"):
        for call in _bad_calls(ledger, person, bad):
            with pytest.raises(ValidationError) as error:
                call()
            outputs.append(str(error.value))
    for text in outputs:
        for secret in secrets:
            assert secret not in text, secret


def test_decisions_are_logged_at_debug_without_personal_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG", logger="retail_service_quality")
    ledger = ledger_of(notice(), consent())
    decide_marketing(
        ledger, channel="email", marketing_class="cosmetics", at=at(2),
        customer=Person(date_of_birth=BIRTH),
    )  # fmt: skip
    (record,) = [r for r in caplog.records if r.name.startswith("retail_service_quality")]
    assert record.levelname == "DEBUG"
    assert "pdpo.s35E.consent" in record.getMessage()
    for secret in (SECRET_NAME, SECRET_EMAIL, BIRTH.isoformat()):
        assert secret not in record.getMessage()


def test_the_librarys_own_customer_record_is_accepted() -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    customer = rsq.Customer(id=CUSTOMER, name=SECRET_NAME, created_at=created)
    ledger = ledger_of(notice(), consent())
    decision = decide_marketing(
        ledger, channel="sms", marketing_class="cosmetics", at=at(2), customer=customer
    )
    assert decision.allowed
    other = rsq.Customer(id="C-2", name=SECRET_NAME, created_at=created)
    with pytest.raises(ValidationError) as error:
        decide_marketing(
            ledger, channel="sms", marketing_class="cosmetics", at=at(2), customer=other
        )
    assert [p.path for p in error.value.problems] == ["$.customer.id"]


def test_other_scopes_of_opt_out_do_not_block_own_marketing() -> None:
    ledger = ledger_of(
        notice(recipients=("insurers",)), consent(), opt_out(scope=ConsentScope.PROVISION)
    )
    assert allowed(ledger, "sms", "cosmetics", at(6))
