"""The one-line privacy API, checked against its documentation on both adapters.

Every expectation here comes from the privacy guides (consent, privacy rules, data-subject
rights, campaign check, storage) and the specification they follow: the legal rules and their
edges, properties over sequences of calls, bad input, and personal values kept out of messages,
reprs, logs and pseudonymised exports.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import (
    CollectionForm,
    ConsentBox,
    ConsentGiven,
    ContactPoint,
    Customer,
    DataProvided,
    FormField,
    InMemoryStore,
    KeyedHasher,
    LegalHold,
    MarketingMessageSent,
    NoticeServed,
    OptedOut,
    OralConsentConfirmed,
    Purpose,
    RetentionRule,
    RetentionSchedule,
    RSQError,
    ServiceInteraction,
    SQLiteStore,
    ValidationError,
    cease_provision,
    check_campaign,
    correct_customer,
    decide_campaign,
    decide_data_provision,
    erase_customer,
    export_personal_data,
    is_suppressed,
    opt_out,
    pseudonymised_export,
    receive_request,
    record_consent,
    record_form_consent,
    record_use,
    sweep_retention,
)
from retail_service_quality.errors import ConflictError, NotFoundError

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
HASHER = KeyedHasher(b"a test key that is 32 bytes long")
NAME = "Zebedee Quixote"
EMAIL = "zebedee.quixote@example.com"
MOBILE = "+852 5999 1234"
NOTES = "told us about his knee surgery"

Store = InMemoryStore | SQLiteStore
_counter = itertools.count()


def _open(kind: str, folder: Path) -> Store:
    if kind == "memory":
        return InMemoryStore()
    return SQLiteStore(folder / f"privacy-{next(_counter)}.db")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = _open(request.param, tmp_path)
    yield opened
    if isinstance(opened, SQLiteStore):
        opened.close()


@contextmanager
def both_stores(folder: Path) -> Iterator[tuple[Store, Store]]:
    memory, sqlite = _open("memory", folder), _open("sqlite", folder)
    try:
        yield memory, sqlite
    finally:
        assert isinstance(sqlite, SQLiteStore)
        sqlite.close()


def hk(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HK)


def add_customer(target: Store, customer_id: str = "C-1", **fields: Any) -> Customer:
    fields.setdefault("name", NAME)
    fields.setdefault(
        "contacts", [ContactPoint("mobile_number", MOBILE), ContactPoint("email", EMAIL)]
    )
    fields.setdefault("created_at", hk(2025, 1, 2))
    customer = Customer(id=customer_id, **fields)
    with target.unit_of_work() as uow:
        uow.customers.add(customer)
        uow.commit()
    return customer


def notice(
    event_id: str,
    at: datetime,
    *,
    customer_id: str = "C-1",
    version: str = "v1",
    kinds: tuple[str, ...] = ("mobile_number", "email"),
    classes: tuple[str, ...] = ("cosmetics", "electronics"),
    recipients: tuple[str, ...] = (),
    for_gain: bool = False,
) -> NoticeServed:
    return NoticeServed(
        event_id=event_id,
        customer_id=customer_id,
        at=at,
        evidence="form:F-1",
        notice_version=version,
        data_kinds=list(kinds),
        marketing_classes=list(classes),
        recipient_classes=list(recipients),
        for_gain=for_gain,
    )


def consent(
    event_id: str,
    at: datetime,
    *,
    customer_id: str = "C-1",
    method: str = "written",
    scope: str = "own_marketing",
    version: str = "v1",
    kinds: tuple[str, ...] = ("mobile_number",),
    classes: tuple[str, ...] = ("cosmetics",),
    recipients: tuple[str, ...] = (),
) -> ConsentGiven:
    return ConsentGiven(
        event_id=event_id,
        customer_id=customer_id,
        at=at,
        evidence="form:F-1",
        method=method,
        scope=scope,
        data_kinds=list(kinds),
        marketing_classes=list(classes),
        recipient_classes=list(recipients),
        notice_version=version,
        explicit=True,
    )


def may(
    target: Store,
    channel: str,
    marketing_class: str,
    at: datetime,
    customer_id: str = "C-1",
    **options: Any,
) -> bool:
    return decide_campaign(
        target,
        customer_id=customer_id,
        channel=channel,
        marketing_class=marketing_class,
        at=at,
        hasher=HASHER,
        **options,
    ).allowed


def snapshot(target: Store) -> list[str]:
    """Everything readable through every repository, as JSON text."""
    with target.unit_of_work(read_only=True) as uow:
        repositories = (
            uow.customers,
            uow.interactions,
            uow.consent,
            uow.data_uses,
            uow.suppression,
            uow.privacy_requests,
            uow.legal_holds,
        )
        return [rsq.to_json(record) for repository in repositories for record in repository.query()]


def signup_form() -> CollectionForm:
    return CollectionForm(
        id="vip-signup",
        notice_version="2026-11",
        purposes=[Purpose("membership", "run the VIP membership and its rewards")],
        fields=[FormField("mobile", "mobile_number", purposes=["membership"])],
        consent_boxes=[
            ConsentBox(
                "sms-cosmetics", data_kinds=["mobile_number"], marketing_classes=["cosmetics"]
            ),
            ConsentBox(
                "sms-electronics", data_kinds=["mobile_number"], marketing_classes=["electronics"]
            ),
        ],
    )


# --- consent scope: kind of data and class ---------------------------------------------------


def test_form_consent_covers_the_ticked_kind_and_class_only(store: Store) -> None:
    add_customer(store)
    events = record_form_consent(
        store,
        form=signup_form(),
        customer_id="C-1",
        submission_id="S-1",
        ticked=["sms-cosmetics"],
        at=hk(2026, 11, 2),
    )
    assert [event.kind for event in events] == ["notice_served", "consent_given"]
    at = hk(2026, 11, 3)
    assert may(store, "sms", "cosmetics", at)
    assert not may(store, "email", "cosmetics", at)
    assert not may(store, "sms", "electronics", at)
    assert not may(store, "sms", "cosmetics", hk(2026, 11, 2) - timedelta(microseconds=1))


def test_a_form_with_no_box_ticked_gives_no_consent(store: Store) -> None:
    add_customer(store)
    events = record_form_consent(
        store,
        form=signup_form(),
        customer_id="C-1",
        submission_id="S-1",
        ticked=[],
        at=hk(2026, 11, 2),
    )
    assert [event.kind for event in events] == ["notice_served"]
    assert not may(store, "sms", "cosmetics", hk(2026, 11, 3))
    assert not may(store, "sms", "electronics", hk(2026, 11, 3))


def test_a_pre_ticked_box_is_refused() -> None:
    with pytest.raises(ValidationError):
        CollectionForm(
            id="f",
            notice_version="v1",
            purposes=[Purpose("membership", "run the membership")],
            fields=[FormField("mobile", "mobile_number", purposes=["membership"])],
            consent_boxes=[
                ConsentBox(
                    "b", data_kinds=["mobile_number"], marketing_classes=["toys"], pre_ticked=True
                )
            ],
        )


def test_ticking_a_box_the_form_lacks_is_refused_and_records_nothing(store: Store) -> None:
    add_customer(store)
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught:
        record_form_consent(
            store,
            form=signup_form(),
            customer_id="C-1",
            submission_id="S-1",
            ticked=["email-everything"],
            at=hk(2026, 11, 2),
        )
    assert all(problem.path.startswith("$") for problem in caught.value.problems)
    assert snapshot(store) == before


def test_record_form_consent_for_a_missing_customer_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        record_form_consent(
            store,
            form=signup_form(),
            customer_id="C-404",
            submission_id="S-1",
            ticked=["sms-cosmetics"],
            at=hk(2026, 11, 2),
        )
    assert snapshot(store) == []


# --- oral consent: 14 days between instants ---------------------------------------------------


def _oral_then_confirmed(store: Store, oral_at: datetime, confirmed_at: datetime) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice("N-1", oral_at),
            consent("K-1", oral_at, method="oral"),
            OralConsentConfirmed(
                event_id="W-1",
                customer_id="C-1",
                at=confirmed_at,
                evidence="letter:L-1",
                confirms="K-1",
                consent_date=oral_at.date(),
                data_kinds=["mobile_number"],
                marketing_classes=["cosmetics"],
            ),
        ],
        hasher=HASHER,
    )


@pytest.mark.parametrize(
    ("delay", "counts"),
    [
        (timedelta(days=9), True),
        (timedelta(days=14) - timedelta(microseconds=1), True),
        (timedelta(days=14, microseconds=1), False),
        (timedelta(days=15), False),
    ],
)
def test_oral_consent_counts_only_if_confirmed_within_14_days(
    store: Store, delay: timedelta, counts: bool
) -> None:
    oral_at = hk(2026, 3, 1)
    _oral_then_confirmed(store, oral_at, oral_at + delay)
    assert not may(store, "sms", "cosmetics", oral_at + delay - timedelta(microseconds=1))
    assert may(store, "sms", "cosmetics", oral_at + delay) is counts
    assert may(store, "sms", "cosmetics", oral_at + delay + timedelta(days=30)) is counts


def test_fourteen_days_are_measured_between_instants_across_a_clock_change(store: Store) -> None:
    # 14 wall-clock days in London across 25 October 2026 are 14 days and one hour.
    oral_at = datetime(2026, 10, 20, 10, tzinfo=LONDON)
    confirmed_at = datetime(2026, 11, 3, 10, tzinfo=LONDON)
    assert confirmed_at - oral_at == timedelta(days=14)  # wall-clock arithmetic
    assert confirmed_at.astimezone(UTC) - oral_at.astimezone(UTC) > timedelta(days=14)
    _oral_then_confirmed(store, oral_at, confirmed_at)
    assert not may(store, "sms", "cosmetics", datetime(2026, 11, 4, 10, tzinfo=LONDON))


def test_an_unconfirmed_oral_consent_lapses_for_good(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [notice("N-1", hk(2026, 3, 1)), consent("K-1", hk(2026, 3, 1), method="oral")],
        hasher=HASHER,
    )
    for day in (5, 20):
        assert not may(store, "sms", "cosmetics", hk(2026, 3, day))
    lapsed = decide_campaign(
        store,
        customer_id="C-1",
        channel="sms",
        marketing_class="cosmetics",
        at=hk(2026, 3, 20),
        hasher=HASHER,
    )
    assert "pdpo.s35E.oral_confirmation" in [reason.rule_id for reason in lapsed.failed]
    record_consent(store, [consent("K-2", hk(2026, 4, 1))], hasher=HASHER)
    assert may(store, "sms", "cosmetics", hk(2026, 4, 2))


# --- notices ----------------------------------------------------------------------------------


def test_a_changed_notice_needs_fresh_consent_for_what_it_adds(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1), classes=("cosmetics",)),
            consent("K-1", hk(2026, 3, 1), classes=("cosmetics", "toys")),
            notice("N-2", hk(2026, 3, 5), version="v2", classes=("cosmetics", "toys")),
        ],
        hasher=HASHER,
    )
    # The consent answered v1, which did not name toys: it never covered toys.
    assert may(store, "sms", "cosmetics", hk(2026, 3, 6))
    assert not may(store, "sms", "toys", hk(2026, 3, 6))
    record_consent(
        store, [consent("K-2", hk(2026, 3, 7), version="v2", classes=("toys",))], hasher=HASHER
    )
    assert may(store, "sms", "toys", hk(2026, 3, 8))


def test_a_notice_that_drops_a_class_ends_its_use(store: Store) -> None:
    add_customer(store)
    record_consent(
        store, [notice("N-1", hk(2026, 3, 1)), consent("K-1", hk(2026, 3, 1))], hasher=HASHER
    )
    assert may(store, "sms", "cosmetics", hk(2026, 3, 2))
    record_consent(
        store,
        [notice("N-2", hk(2026, 3, 5), version="v2", classes=("electronics",))],
        hasher=HASHER,
    )
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 6))
    # ...and the decision about an earlier instant is unchanged.
    assert may(store, "sms", "cosmetics", hk(2026, 3, 2))


def test_a_consent_to_a_notice_never_served_covers_nothing(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [notice("N-1", hk(2026, 3, 1)), consent("K-1", hk(2026, 3, 1), version="v9")],
        hasher=HASHER,
    )
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 2))


def test_a_notice_served_after_the_consent_does_not_back_it(store: Store) -> None:
    add_customer(store)
    record_consent(
        store, [consent("K-1", hk(2026, 3, 1)), notice("N-1", hk(2026, 3, 2))], hasher=HASHER
    )
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 3))


# --- first use: the opt-out statement ---------------------------------------------------------


def test_the_first_message_carries_the_opt_out_statement_then_not(store: Store) -> None:
    add_customer(store)
    record_consent(
        store, [notice("N-1", hk(2026, 3, 1)), consent("K-1", hk(2026, 3, 1))], hasher=HASHER
    )
    first = decide_campaign(
        store,
        customer_id="C-1",
        channel="sms",
        marketing_class="cosmetics",
        at=hk(2026, 3, 2),
        hasher=HASHER,
    )
    assert first.allowed
    assert first.obligations
    record_use(
        store,
        MarketingMessageSent(
            event_id="U-1",
            customer_id="C-1",
            at=hk(2026, 3, 2),
            evidence="campaign:K",
            channel="sms",
            marketing_class="cosmetics",
            opt_out_statement=True,
        ),
    )
    later = decide_campaign(
        store,
        customer_id="C-1",
        channel="sms",
        marketing_class="cosmetics",
        at=hk(2026, 3, 3),
        hasher=HASHER,
    )
    assert later.allowed
    assert later.obligations == ()
    # A decision about an instant before the message was sent still owes the statement.
    earlier = decide_campaign(
        store,
        customer_id="C-1",
        channel="sms",
        marketing_class="cosmetics",
        at=hk(2026, 3, 1, 12),
        hasher=HASHER,
    )
    assert earlier.obligations == first.obligations


def test_record_use_refuses_a_duplicate_event_id(store: Store) -> None:
    add_customer(store)
    sent = MarketingMessageSent(
        event_id="U-1",
        customer_id="C-1",
        at=hk(2026, 3, 2),
        evidence="campaign:K",
        channel="sms",
        marketing_class="cosmetics",
        opt_out_statement=True,
    )
    record_use(store, sent)
    with pytest.raises(ConflictError):
        record_use(store, sent)


# --- opt-outs, whole and partial --------------------------------------------------------------


def _consented_to_everything(store: Store, customer_id: str = "C-1") -> None:
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1), customer_id=customer_id),
            consent(
                "K-1",
                hk(2026, 3, 1),
                customer_id=customer_id,
                kinds=("mobile_number", "email"),
                classes=("cosmetics", "electronics"),
            ),
        ],
        hasher=HASHER,
    )


def test_a_partial_opt_out_by_class_leaves_the_other_classes(store: Store) -> None:
    add_customer(store)
    _consented_to_everything(store)
    stop = opt_out(
        store,
        customer_id="C-1",
        event_id="O-1",
        at=hk(2026, 3, 5),
        evidence="call:R-1",
        hasher=HASHER,
        marketing_classes=["cosmetics"],
    )
    assert not stop.whole
    at = hk(2026, 3, 6)
    assert not may(store, "sms", "cosmetics", at)
    assert not may(store, "email", "cosmetics", at)
    assert may(store, "sms", "electronics", at)
    assert may(store, "email", "electronics", at)
    # A partial opt-out by class lists no contact point.
    assert not is_suppressed(store, hasher=HASHER, kind="mobile_number", value=MOBILE)
    assert not is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)


def test_a_partial_opt_out_by_kind_leaves_the_other_kinds(store: Store) -> None:
    add_customer(store)
    _consented_to_everything(store)
    opt_out(
        store,
        customer_id="C-1",
        event_id="O-1",
        at=hk(2026, 3, 5),
        evidence="sms:STOP",
        hasher=HASHER,
        data_kinds=["mobile_number"],
    )
    at = hk(2026, 3, 6)
    assert not may(store, "sms", "cosmetics", at)
    assert not may(store, "sms", "electronics", at)
    assert may(store, "email", "cosmetics", at)
    assert is_suppressed(store, hasher=HASHER, kind="mobile_number", value=MOBILE)
    assert not is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)


def test_a_whole_opt_out_suppresses_every_contact_point_in_any_spelling(store: Store) -> None:
    add_customer(store)
    _consented_to_everything(store)
    assert opt_out(
        store,
        customer_id="C-1",
        event_id="O-1",
        at=hk(2026, 3, 5),
        evidence="sms:STOP",
        hasher=HASHER,
    ).whole
    for spelling in ("+852-5999-1234", "+852 (5999) 1234", "+85259991234"):
        assert is_suppressed(store, hasher=HASHER, kind="mobile_number", value=spelling)
    assert is_suppressed(store, hasher=HASHER, kind="email", value="  ZEBEDEE.Quixote@Example.COM ")
    # Without its country code a number is a different number; another key, another list.
    assert not is_suppressed(store, hasher=HASHER, kind="mobile_number", value="5999 1234")
    other = KeyedHasher(b"another key that is 32 bytes lon")
    assert not is_suppressed(store, hasher=other, kind="email", value=EMAIL)
    for channel, marketing_class in itertools.product(
        ("sms", "email"), ("cosmetics", "electronics")
    ):
        assert not may(store, channel, marketing_class, hk(2026, 3, 6))


def test_an_opt_out_recorded_late_still_beats_the_consents_before_it(store: Store) -> None:
    add_customer(store)
    record_consent(
        store, [notice("N-1", hk(2026, 3, 1)), consent("K-2", hk(2026, 3, 4))], hasher=HASHER
    )
    opt_out(
        store, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    # A consent given before the opt-out, entered afterwards, does not lift it.
    record_consent(store, [consent("K-1", hk(2026, 3, 3))], hasher=HASHER)
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 6))
    record_consent(store, [consent("K-3", hk(2026, 3, 7))], hasher=HASHER)
    assert may(store, "sms", "cosmetics", hk(2026, 3, 8))


def test_an_opt_out_and_a_consent_at_the_same_instant_the_opt_out_wins(store: Store) -> None:
    add_customer(store)
    at = hk(2026, 3, 5)
    record_consent(store, [notice("N-1", hk(2026, 3, 1))], hasher=HASHER)
    opt_out(store, customer_id="C-1", event_id="O-1", at=at, evidence="e", hasher=HASHER)
    record_consent(store, [consent("K-1", at)], hasher=HASHER)
    assert not may(store, "sms", "cosmetics", at + timedelta(hours=1))


def test_a_suppressed_number_blocks_another_record_until_its_new_consent(store: Store) -> None:
    add_customer(store, "C-1")
    add_customer(store, "C-2", contacts=[ContactPoint("mobile_number", "+852-5999-1234")])
    _consented_to_everything(store, "C-1")
    _consented_to_everything(store, "C-2")
    assert may(store, "sms", "cosmetics", hk(2026, 3, 2), customer_id="C-2")
    opt_out(
        store, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 6), customer_id="C-2")
    # An old consent imported later does not lift the listing; a new one does.
    record_consent(store, [consent("K-OLD", hk(2026, 3, 2), customer_id="C-2")], hasher=HASHER)
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 6), customer_id="C-2")
    record_consent(store, [consent("K-NEW", hk(2026, 3, 7), customer_id="C-2")], hasher=HASHER)
    assert may(store, "sms", "cosmetics", hk(2026, 3, 8), customer_id="C-2")


def test_opt_out_then_erasure_then_reimport_is_still_blocked(store: Store) -> None:
    add_customer(store)
    _consented_to_everything(store)
    opt_out(
        store, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    erase_customer(store, customer_id="C-1", at=hk(2026, 3, 6), hasher=HASHER)
    assert is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)
    add_customer(store, "C-9", contacts=[ContactPoint("email", EMAIL.upper())])
    record_consent(
        store,
        [
            notice("N-9", hk(2026, 3, 1), customer_id="C-9"),
            consent("K-9", hk(2026, 3, 1), customer_id="C-9", kinds=("email",)),
        ],
        hasher=HASHER,
    )
    assert not may(store, "email", "cosmetics", hk(2026, 3, 8), customer_id="C-9")
    assert not may(store, "email", "cosmetics", hk(2026, 3, 8), customer_id="C-1")


def test_a_country_code_in_brackets_is_the_same_number(store: Store) -> None:
    add_customer(store)
    opt_out(
        store, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    assert is_suppressed(store, hasher=HASHER, kind="mobile_number", value="(+852) 5999 1234")


# --- provision to others ----------------------------------------------------------------------


def _provision(store: Store, at: datetime, **options: Any) -> bool:
    options.setdefault("recipient_class", "insurers")
    options.setdefault("data_kinds", ["email"])
    options.setdefault("for_gain", False)
    return decide_data_provision(store, customer_id="C-1", at=at, **options).allowed


def test_own_marketing_consent_does_not_allow_provision_nor_the_reverse(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice(
                "N-1",
                hk(2026, 3, 1),
                kinds=("email",),
                classes=("cosmetics",),
                recipients=("insurers",),
            ),
            consent("K-1", hk(2026, 3, 1), kinds=("email",)),
        ],
        hasher=HASHER,
    )
    assert may(store, "email", "cosmetics", hk(2026, 3, 2))
    assert not _provision(store, hk(2026, 3, 2))
    record_consent(
        store,
        [
            notice(
                "N-2",
                hk(2026, 3, 3),
                version="v2",
                kinds=("mobile_number",),
                recipients=("insurers",),
            ),
            consent(
                "K-2",
                hk(2026, 3, 3),
                version="v2",
                scope="provision",
                kinds=("mobile_number",),
                recipients=("insurers",),
            ),
        ],
        hasher=HASHER,
    )
    assert _provision(store, hk(2026, 3, 4), data_kinds=["mobile_number"])
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 4))


def test_provision_needs_written_consent_naming_the_class_and_every_kind(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1), recipients=("insurers", "banks"), for_gain=True),
            consent(
                "K-1", hk(2026, 3, 1), scope="provision", kinds=("email",), recipients=("insurers",)
            ),
        ],
        hasher=HASHER,
    )
    at = hk(2026, 3, 2)
    assert _provision(store, at)
    assert _provision(store, at, for_gain=True)
    assert not _provision(store, at, recipient_class="banks")
    assert not _provision(store, at, data_kinds=["email", "mobile_number"])


def test_provision_on_oral_consent_cannot_be_recorded(store: Store) -> None:
    add_customer(store)
    with pytest.raises(ValidationError) as caught:
        record_consent(
            store,
            [
                notice("N-1", hk(2026, 3, 1), recipients=("insurers",)),
                consent(
                    "K-1",
                    hk(2026, 3, 1),
                    method="oral",
                    scope="provision",
                    kinds=("email",),
                    recipients=("insurers",),
                ),
            ],
            hasher=HASHER,
        )
    assert [problem.path for problem in caught.value.problems] == ["$.method"]
    assert not _provision(store, hk(2026, 3, 2))


def test_provision_for_gain_without_the_disclosure_is_not_allowed(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1), recipients=("insurers",)),
            consent(
                "K-1", hk(2026, 3, 1), scope="provision", kinds=("email",), recipients=("insurers",)
            ),
        ],
        hasher=HASHER,
    )
    assert _provision(store, hk(2026, 3, 2), for_gain=False)
    assert not _provision(store, hk(2026, 3, 2), for_gain=True)


def test_an_agent_needs_no_provision_consent(store: Store) -> None:
    add_customer(store)
    decision = decide_data_provision(
        store,
        customer_id="C-1",
        recipient_class="mailing_houses",
        data_kinds=["name", "postal_address"],
        for_gain=False,
        agent=True,
        at=hk(2026, 3, 2),
    )
    assert decision.allowed
    assert "pdpo.s35I.agent" in [reason.rule_id for reason in decision.reasons]


def test_cease_provision_stops_it_and_notifies_every_past_recipient_once(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1), recipients=("insurers",)),
            consent(
                "K-1", hk(2026, 3, 1), scope="provision", kinds=("email",), recipients=("insurers",)
            ),
        ],
        hasher=HASHER,
    )
    for event_id, recipient, day, agent in (
        ("U-1", "P-INSURE", 2, False),
        ("U-2", "P-INSURE", 4, False),
        ("U-3", "P-BANK", 3, False),
        ("U-4", "P-MAILER", 4, True),
    ):
        record_use(
            store,
            DataProvided(
                event_id=event_id,
                customer_id="C-1",
                at=hk(2026, 3, day),
                evidence="batch:B",
                recipient_id=recipient,
                recipient_class="insurers",
                data_kinds=["email"],
                for_gain=False,
                agent=agent,
            ),
        )
    notices = cease_provision(
        store,
        customer_id="C-1",
        event_id="X-1",
        at=hk(2026, 3, 9),
        evidence="letter:L-1",
        hasher=HASHER,
    )
    assert sorted(notice.recipient_id for notice in notices) == ["P-BANK", "P-INSURE"]
    assert not _provision(store, hk(2026, 3, 10))
    assert _provision(store, hk(2026, 3, 8))
    # Ceasing provision is not an opt-out of the retailer's own marketing.
    record_consent(store, [consent("K-2", hk(2026, 3, 1), kinds=("email",))], hasher=HASHER)
    assert may(store, "email", "cosmetics", hk(2026, 3, 10))


# --- minors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "at", "adult"),
    [
        (date(2008, 11, 30), hk(2026, 11, 30, 0, 0), True),
        (date(2008, 11, 30), hk(2026, 11, 29, 23, 59), False),
        # 16:30 UTC on the 29th is already the 30th in Hong Kong.
        (date(2008, 11, 30), datetime(2026, 11, 29, 16, 30, tzinfo=UTC), True),
        (date(2008, 11, 30), datetime(2026, 11, 29, 15, 30, tzinfo=UTC), False),
        (date(2008, 2, 29), hk(2026, 3, 1, 0, 0), True),
        (date(2008, 2, 29), hk(2026, 2, 28, 23, 59), False),
        (date(2008, 2, 29), datetime(2026, 2, 28, 18, 30, tzinfo=ZoneInfo("Asia/Kolkata")), False),
    ],
)
def test_a_minor_becomes_an_adult_on_the_hong_kong_date_of_the_18th_birthday(
    store: Store, born: date, at: datetime, adult: bool
) -> None:
    add_customer(store, date_of_birth=born)
    record_consent(
        store, [notice("N-1", hk(2026, 1, 1)), consent("K-1", hk(2026, 1, 1))], hasher=HASHER
    )
    assert may(store, "sms", "cosmetics", at) is adult


def test_a_gdpr_child_online_consent_is_not_relied_on_but_a_written_one_is(store: Store) -> None:
    add_customer(store, date_of_birth=date(2012, 6, 1))
    record_consent(
        store,
        [notice("N-1", hk(2026, 1, 1)), consent("K-1", hk(2026, 1, 1), method="online")],
        hasher=HASHER,
    )
    at = hk(2026, 3, 2)
    assert not may(store, "sms", "cosmetics", at, law="gdpr")
    record_consent(store, [consent("K-2", hk(2026, 2, 1), method="written")], hasher=HASHER)
    assert may(store, "sms", "cosmetics", at, law="gdpr")


# --- requests, corrections --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "law", "received", "due"),
    [
        ("access", "pdpo", hk(2026, 5, 4), date(2026, 6, 13)),
        ("access", "gdpr", hk(2026, 5, 4), date(2026, 6, 4)),
        ("correction", "pdpo", hk(2026, 5, 4), date(2026, 6, 13)),
        ("erasure", "pdpo", hk(2026, 5, 4), None),
        ("access", "gdpr", hk(2026, 1, 31), date(2026, 2, 28)),
        ("access", "gdpr", hk(2028, 1, 31), date(2028, 2, 29)),
        # The day received is read on received_at's own wall clock.
        ("access", "pdpo", hk(2026, 5, 4, 4), date(2026, 6, 13)),
        ("access", "pdpo", hk(2026, 5, 4, 4).astimezone(UTC), date(2026, 6, 12)),
        ("access", "pdpo", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON), date(2026, 12, 4)),
    ],
)
def test_receive_request_sets_the_statutory_due_date(
    store: Store, kind: str, law: str, received: datetime, due: date | None
) -> None:
    add_customer(store)
    request = receive_request(
        store, request_id="R-1", customer_id="C-1", kind=kind, law=law, received_at=received
    )
    assert request.due_on == due
    with store.unit_of_work(read_only=True) as uow:
        assert uow.privacy_requests.get("R-1").due_on == due
    with pytest.raises(ConflictError):
        receive_request(
            store, request_id="R-1", customer_id="C-1", kind=kind, law=law, received_at=received
        )


def test_export_personal_data_holds_everything_and_refuses_other_kinds(store: Store) -> None:
    add_customer(store)
    _consented_to_everything(store)
    record_use(
        store,
        DataProvided(
            event_id="U-1",
            customer_id="C-1",
            at=hk(2026, 3, 2),
            evidence="batch:B",
            recipient_id="P-1",
            recipient_class="insurers",
            data_kinds=["email"],
            for_gain=False,
        ),
    )
    receive_request(
        store,
        request_id="R-1",
        customer_id="C-1",
        kind="access",
        law="gdpr",
        received_at=hk(2026, 5, 4),
    )
    receive_request(
        store,
        request_id="R-2",
        customer_id="C-1",
        kind="erasure",
        law="gdpr",
        received_at=hk(2026, 5, 4),
    )
    export = export_personal_data(store, request_id="R-1", at=hk(2026, 5, 5))
    text = export.to_json()
    for held in (EMAIL, MOBILE, "P-1", "K-1"):
        assert held in text
    assert [recipient.recipient_id for recipient in export.recipients] == ["P-1"]
    with pytest.raises(ValidationError):
        export_personal_data(store, request_id="R-2", at=hk(2026, 5, 5))
    with pytest.raises(NotFoundError):
        export_personal_data(store, request_id="R-404", at=hk(2026, 5, 5))


def _provided(
    store: Store, event_id: str, recipient: str, at: datetime, agent: bool = False
) -> None:
    record_use(
        store,
        DataProvided(
            event_id=event_id,
            customer_id="C-1",
            at=at,
            evidence="batch:B",
            recipient_id=recipient,
            recipient_class="insurers",
            data_kinds=["name"],
            for_gain=False,
            agent=agent,
        ),
    )


def test_correction_goes_to_the_recipients_of_twelve_months_back_from_29_february(
    store: Store,
) -> None:
    add_customer(store)
    utc = UTC
    _provided(store, "U-1", "P-BEFORE", datetime(2027, 2, 27, 23, 59, tzinfo=utc))
    _provided(store, "U-2", "P-ON", datetime(2027, 2, 28, 0, 0, tzinfo=utc))
    _provided(store, "U-3", "P-AGENT", datetime(2027, 6, 1, tzinfo=utc), agent=True)
    notices = correct_customer(
        store,
        customer_id="C-1",
        changes={"name": "Z. Quixote"},
        at=datetime(2028, 2, 29, 12, tzinfo=utc),
    )
    assert sorted(n.recipient_id for n in notices) == ["P-AGENT", "P-ON"]
    with store.unit_of_work(read_only=True) as uow:
        assert uow.customers.get("C-1").name == "Z. Quixote"
    everyone = correct_customer(
        store,
        customer_id="C-1",
        changes={"name": "Zeb Quixote"},
        at=datetime(2028, 2, 29, 12, tzinfo=utc),
        law="gdpr",
    )
    assert sorted(n.recipient_id for n in everyone) == ["P-AGENT", "P-BEFORE", "P-ON"]


def test_twelve_months_are_counted_on_utc_dates(store: Store) -> None:
    add_customer(store)
    # 20:00 UTC on 28 Feb 2026 is 1 March in Hong Kong; 23:00 UTC on 27 Feb is 28 Feb there.
    _provided(store, "U-1", "P-IN", datetime(2026, 2, 28, 20, tzinfo=UTC))
    _provided(store, "U-2", "P-OUT", datetime(2026, 2, 27, 23, tzinfo=UTC))
    # 02:00 on 1 March 2027 in Hong Kong is still 28 February in UTC.
    notices = correct_customer(
        store, customer_id="C-1", changes={"name": "Z"}, at=hk(2027, 3, 1, 2)
    )
    assert [n.recipient_id for n in notices] == ["P-IN"]


def test_a_bad_correction_is_refused_and_saves_nothing(store: Store) -> None:
    add_customer(store)
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught:
        correct_customer(
            store,
            customer_id="C-1",
            changes={"name": 5, "tier_joined_on": "soon"},
            at=hk(2026, 3, 1),
        )
    assert len({problem.path for problem in caught.value.problems}) >= 2
    assert snapshot(store) == before


# --- erasure and retention --------------------------------------------------------------------


def _full_customer(store: Store) -> None:
    add_customer(store, staff_notes=NOTES, date_of_birth=date(1980, 1, 2))
    _consented_to_everything(store)
    with store.unit_of_work() as uow:
        uow.interactions.add(
            ServiceInteraction(
                id="I-1",
                store_id="HK-CWB",
                channel="hotline",
                occurred_at=hk(2026, 3, 3),
                customer_id="C-1",
                notes=NOTES,
            )
        )
        uow.commit()
    _provided(store, "U-1", "P-1", hk(2026, 3, 4))
    receive_request(
        store,
        request_id="R-1",
        customer_id="C-1",
        kind="erasure",
        law="gdpr",
        received_at=hk(2026, 3, 5),
        note=NOTES,
    )


def test_erasure_leaves_no_personal_value_readable_through_any_repository(
    store: Store, tmp_path: Path
) -> None:
    _full_customer(store)
    plan = erase_customer(
        store, customer_id="C-1", at=hk(2026, 3, 6), hasher=HASHER, request_id="R-1"
    )
    assert "name" in plan.erased()
    everything = "\n".join(snapshot(store))
    for value in (NAME, EMAIL, MOBILE, NOTES, "1980-01-02"):
        assert value not in everything
    with store.unit_of_work(read_only=True) as uow:
        customer = uow.customers.get("C-1")
        assert customer.erased_at is not None
        assert uow.privacy_requests.get("R-1").status == "completed"
    assert not any(
        line.allowed
        for line in check_campaign(
            store, channel="sms", marketing_class="cosmetics", at=hk(2026, 3, 7), hasher=HASHER
        )
    )
    if isinstance(store, SQLiteStore):
        store.close()
        raw = b"".join(
            path.read_bytes()
            for path in Path(store.path).parent.iterdir()
            if path.name.startswith(Path(store.path).name)
        )
        for value in (NAME, EMAIL, NOTES):
            assert value.encode() not in raw


def test_erasure_keeps_what_a_legal_hold_keeps(store: Store) -> None:
    add_customer(store)
    with store.unit_of_work() as uow:
        uow.legal_holds.add(
            LegalHold(
                id="H-1",
                customer_id="C-1",
                keeps=["name"],
                reason="invoices are kept for 7 years for tax",
                source="Inland Revenue Ordinance (Cap. 112) s.51C",
                placed_at=hk(2026, 1, 1),
                until=date(2033, 1, 1),
            )
        )
        uow.commit()
    plan = erase_customer(store, customer_id="C-1", at=hk(2026, 3, 6), hasher=HASHER)
    assert plan.kept() == ("name", "privacy_requests")
    assert "contacts.email" in plan.erased()
    with store.unit_of_work(read_only=True) as uow:
        customer = uow.customers.get("C-1")
    assert customer.name == NAME
    assert customer.email is None
    assert customer.phone is None


def test_sweep_retention_dry_run_changes_nothing_then_applies(store: Store) -> None:
    add_customer(store, created_at=hk(2010, 1, 4))
    add_customer(store, "C-2", created_at=hk(2026, 11, 1))
    schedule = RetentionSchedule(
        [
            RetentionRule(data="identifier", purpose="membership", years=2),
            RetentionRule(data="contact", purpose="membership", years=2),
        ]
    )
    before = snapshot(store)
    dry = sweep_retention(store, schedule=schedule, at=hk(2026, 11, 30), hasher=HASHER)
    assert snapshot(store) == before
    assert not any(line.applied for line in dry)
    assert {line.action for line in dry if line.customer_id == "C-1" and line.item == "name"} == {
        "erase"
    }
    assert {line.action for line in dry if line.customer_id == "C-2" and line.item == "name"} == {
        "keep"
    }
    done = sweep_retention(store, schedule=schedule, at=hk(2026, 11, 30), apply=True, hasher=HASHER)
    assert [(line.customer_id, line.item, line.action) for line in done] == [
        (line.customer_id, line.item, line.action) for line in dry
    ]
    with store.unit_of_work(read_only=True) as uow:
        assert uow.customers.get("C-1").name is None
        assert uow.customers.get("C-2").name == NAME


# --- campaign check ---------------------------------------------------------------------------


def test_check_campaign_agrees_with_decide_campaign_line_by_line(store: Store) -> None:
    for customer_id in ("C-3", "C-1", "C-2"):
        add_customer(
            store,
            customer_id,
            contacts=[ContactPoint("mobile_number", f"+852 5000 000{customer_id[-1]}")],
        )
    _consented_to_everything(store, "C-1")
    _consented_to_everything(store, "C-3")
    opt_out(
        store, customer_id="C-3", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    at = hk(2026, 3, 6)
    lines = check_campaign(store, channel="sms", marketing_class="cosmetics", at=at, hasher=HASHER)
    assert [line.customer_id for line in lines] == ["C-1", "C-2", "C-3"]
    for line in lines:
        decision = decide_campaign(
            store,
            customer_id=line.customer_id,
            channel="sms",
            marketing_class="cosmetics",
            at=at,
            hasher=HASHER,
        )
        assert line.allowed == decision.allowed
        assert line.failed_rules == tuple(reason.rule_id for reason in decision.failed)
    assert [line.allowed for line in lines] == [True, False, False]
    with pytest.raises(NotFoundError):
        check_campaign(
            store,
            channel="sms",
            marketing_class="cosmetics",
            at=at,
            customer_ids=["C-1", "C-404"],
            hasher=HASHER,
        )


def test_decide_campaign_for_a_missing_customer_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        decide_campaign(
            store,
            customer_id="C-404",
            channel="sms",
            marketing_class="cosmetics",
            at=hk(2026, 3, 1),
            hasher=HASHER,
        )


# --- units of work ----------------------------------------------------------------------------


def test_calls_inside_a_rolled_back_unit_of_work_leave_no_trace(store: Store) -> None:
    add_customer(store)
    _consented_to_everything(store)
    before = snapshot(store)
    with store.unit_of_work() as uow:
        record_consent(
            uow, [consent("K-2", hk(2026, 3, 2), classes=("electronics",))], hasher=HASHER
        )
        opt_out(
            uow, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 3), evidence="e", hasher=HASHER
        )
        receive_request(
            uow,
            request_id="R-1",
            customer_id="C-1",
            kind="erasure",
            law="pdpo",
            received_at=hk(2026, 3, 4),
        )
        _ = cease_provision(
            uow, customer_id="C-1", event_id="X-1", at=hk(2026, 3, 4), evidence="e", hasher=HASHER
        )
        erase_customer(uow, customer_id="C-1", at=hk(2026, 3, 5), hasher=HASHER)
        # Inside the unit of work, the calls see each other's writes.
        assert not decide_campaign(
            uow,
            customer_id="C-1",
            channel="sms",
            marketing_class="cosmetics",
            at=hk(2026, 3, 6),
            hasher=HASHER,
        ).allowed
        uow.rollback()
    assert snapshot(store) == before
    assert not is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)
    assert may(store, "sms", "cosmetics", hk(2026, 3, 6))


def test_a_failing_call_rolls_back_its_whole_unit_of_work(store: Store) -> None:
    add_customer(store)
    before = snapshot(store)
    # The second event repeats the first one's id: nothing of the call is kept.
    with pytest.raises(ConflictError):
        record_consent(
            store, [notice("N-1", hk(2026, 3, 1)), notice("N-1", hk(2026, 3, 2))], hasher=HASHER
        )
    assert snapshot(store) == before


# --- bad input --------------------------------------------------------------------------------

NAIVE = datetime(2026, 3, 1, 10)


def bad(value: object) -> Any:
    """A value of the wrong type, passed on as the type checker would never allow."""
    return value


BAD_CALLS: dict[str, Callable[[Store], object]] = {
    "record_form_consent": lambda s: record_form_consent(
        s,
        form=signup_form(),
        customer_id=bad(5),
        submission_id=bad(None),
        ticked="sms-cosmetics",
        at=NAIVE,
    ),
    "decide_campaign": lambda s: decide_campaign(
        s, customer_id=bad(5), channel="pigeon", marketing_class=bad(None), at=NAIVE, hasher=HASHER
    ),
    "check_campaign": lambda s: check_campaign(
        s, channel="pigeon", marketing_class=bad(3), at=bad("today"), hasher=HASHER
    ),
    "decide_data_provision": lambda s: decide_data_provision(
        s,
        customer_id=bad(5),
        recipient_class="",
        data_kinds=["telepathy"],
        for_gain=bad("yes"),
        at=NAIVE,
    ),
    "opt_out": lambda s: opt_out(
        s,
        customer_id=bad(5),
        event_id="",
        at=NAIVE,
        evidence=bad(None),
        hasher=HASHER,
    ),
    "is_suppressed": lambda s: is_suppressed(s, hasher=bad("key"), kind="telepathy", value=bad(5)),
    "cease_provision": lambda s: cease_provision(
        s,
        customer_id=bad(5),
        event_id="",
        at=NAIVE,
        evidence=bad(None),
        hasher=HASHER,
    ),
    "receive_request": lambda s: receive_request(
        s,
        request_id=bad(5),
        customer_id=bad(None),
        kind="wish",
        law="mars",
        received_at=NAIVE,
    ),
    "export_personal_data": lambda s: export_personal_data(s, request_id=bad(5), at=NAIVE),
    "correct_customer": lambda s: correct_customer(
        s,
        customer_id=bad(5),
        changes=bad("name"),
        at=NAIVE,
        law="mars",
    ),
    "erase_customer": lambda s: erase_customer(
        s,
        customer_id=bad(5),
        at=NAIVE,
        hasher=bad("key"),
        law="mars",
    ),
    "sweep_retention": lambda s: sweep_retention(
        s, schedule=bad("forever"), at=NAIVE, apply=bad("yes"), hasher=HASHER
    ),
    "pseudonymised_export": lambda s: pseudonymised_export(
        s, hasher=bad("key"), records="everything"
    ),
}
BAD_COUNTS = {
    "record_form_consent": 4,
    "decide_campaign": 4,
    "check_campaign": 3,
    "decide_data_provision": 5,
    "opt_out": 4,
    "is_suppressed": 3,
    "cease_provision": 4,
    "receive_request": 5,
    "export_personal_data": 2,
    "correct_customer": 4,
    "erase_customer": 4,
    "sweep_retention": 3,
    "pseudonymised_export": 2,
}


ONE_PROBLEM_AT_A_TIME: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=True, reason=ONE_PROBLEM_AT_A_TIME[name])
            if name in ONE_PROBLEM_AT_A_TIME
            else (),
        )
        for name in sorted(BAD_CALLS)
    ],
)
def test_every_problem_is_listed_with_its_path_in_one_round(store: Store, name: str) -> None:
    add_customer(store)
    with pytest.raises(ValidationError) as caught:
        BAD_CALLS[name](store)
    paths = [problem.path for problem in caught.value.problems]
    assert all(path.startswith("$") for path in paths)
    assert len(set(paths)) >= BAD_COUNTS[name], paths


def test_record_consent_and_record_use_refuse_what_is_not_their_record(store: Store) -> None:
    add_customer(store)
    with pytest.raises(ValidationError):
        record_consent(
            store, [notice("N-1", hk(2026, 3, 1)), bad("an event"), bad(5)], hasher=HASHER
        )
    with pytest.raises(ValidationError):
        record_use(store, bad(notice("N-1", hk(2026, 3, 1))))
    with pytest.raises(ValidationError):
        record_consent(store, bad(None), hasher=HASHER)
    assert snapshot(store)[1:] == []


WORDS = ("\ud800", "sms", "email", "cosmetics", "C-1", "pdpo", "gdpr", "access", "")
weird = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(WORDS),
    st.just(NAIVE),
    st.just(hk(2026, 3, 1)),
    st.just(datetime.max.replace(tzinfo=UTC)),
    st.just(datetime.min.replace(tzinfo=UTC)),
    st.lists(st.sampled_from(["email", "telepathy", 5]), max_size=2),
    st.binary(max_size=4),
    st.just(HASHER),
    st.just(RetentionSchedule.default()),
    st.just({"C-1": ["legal_claims"]}),
    st.just([notice("N-1", hk(2026, 3, 1)), "event"]),
)


FUZZED: dict[str, Callable[[Store, list[Any]], object]] = {
    "record_form_consent": lambda s, v: record_form_consent(
        s, form=v[0], customer_id=v[1], submission_id=v[2], ticked=v[3], at=v[4], method=v[5]
    ),
    "record_consent": lambda s, v: record_consent(s, v[0], hasher=HASHER),
    "decide_campaign": lambda s, v: decide_campaign(
        s, customer_id=v[0], channel=v[1], marketing_class=v[2], at=v[3], law=v[4], hasher=v[5]
    ),
    "check_campaign": lambda s, v: check_campaign(
        s, channel=v[0], marketing_class=v[1], at=v[2], customer_ids=v[3], law=v[4], hasher=v[5]
    ),
    "decide_data_provision": lambda s, v: decide_data_provision(
        s,
        customer_id=v[0],
        recipient_class=v[1],
        data_kinds=v[2],
        for_gain=v[3],
        at=v[4],
        agent=v[5],
    ),
    "record_use": lambda s, v: record_use(s, v[0]),
    "opt_out": lambda s, v: opt_out(
        s,
        customer_id=v[0],
        event_id=v[1],
        at=v[2],
        evidence=v[3],
        hasher=HASHER,
        scope=v[4],
        data_kinds=v[5],
        marketing_classes=v[1],
    ),
    "is_suppressed": lambda s, v: is_suppressed(s, hasher=v[0], kind=v[1], value=v[2], scope=v[3]),
    "cease_provision": lambda s, v: cease_provision(
        s, customer_id=v[0], event_id=v[1], at=v[2], evidence=v[3], hasher=v[4]
    ),
    "receive_request": lambda s, v: receive_request(
        s, request_id=v[0], customer_id=v[1], kind=v[2], law=v[3], received_at=v[4], note=v[5]
    ),
    "export_personal_data": lambda s, v: export_personal_data(
        s, request_id=v[0], at=v[1], schedule=v[2], complete=v[3]
    ),
    "correct_customer": lambda s, v: correct_customer(
        s,
        customer_id=v[0],
        changes={"name": v[1], "tier": v[2]},
        at=v[3],
        law=v[4],
        request_id=v[5],
    ),
    "erase_customer": lambda s, v: erase_customer(
        s, customer_id=v[0], at=v[1], hasher=v[2], law=v[3], live_purposes=v[4], request_id=v[5]
    ),
    "sweep_retention": lambda s, v: sweep_retention(
        s, schedule=v[0], at=v[1], apply=v[2], live_purposes=v[3], hasher=HASHER
    ),
    "pseudonymised_export": lambda s, v: pseudonymised_export(s, hasher=v[0], records=v[1]),
}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(FUZZED)), values=st.lists(weird, min_size=6, max_size=6))
def test_any_input_raises_only_rsq_errors(tmp_path: Path, name: str, values: list[Any]) -> None:
    store = InMemoryStore()
    add_customer(store)
    refused: RSQError | None = None
    try:
        FUZZED[name](store, values)
    except RSQError as error:
        refused = error
    except Exception as error:  # pragma: no cover - the failure reported
        pytest.fail(f"{name} raised {type(error).__name__}, not an RSQError")
    if isinstance(refused, ValidationError):
        message = str(refused)
        for value in values:
            if isinstance(value, str) and value not in WORDS and len(value.strip()) >= 6:
                assert value not in message


# --- personal values kept out of messages, reprs, logs and exports ----------------------------


def test_no_personal_value_in_messages_reprs_logs_or_pseudonymised_exports(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _full_customer(store)
    shown: list[str] = []
    at = hk(2026, 3, 6)
    decision = decide_campaign(
        store, customer_id="C-1", channel="sms", marketing_class="cosmetics", at=at, hasher=HASHER
    )
    shown += [repr(decision), decision.explain(), str(decision.to_records())]
    shown.append(
        repr(check_campaign(store, channel="email", marketing_class="toys", at=at, hasher=HASHER))
    )
    shown.append(
        repr(opt_out(store, customer_id="C-1", event_id="O-1", at=at, evidence="e", hasher=HASHER))
    )
    shown.append(
        repr(
            receive_request(
                store,
                request_id="R-2",
                customer_id="C-1",
                kind="access",
                law="pdpo",
                received_at=at,
                note=NOTES,
            )
        )
    )
    shown.append(repr(export_personal_data(store, request_id="R-2", at=at)))
    shown.append(
        repr(correct_customer(store, customer_id="C-1", changes={"name": NAME + " Jr"}, at=at))
    )
    for records in ("customers", "interactions"):
        rows = pseudonymised_export(store, hasher=HASHER, records=records)
        shown += [repr(rows), str(rows.to_records()), str(list(rows))]
    for bad in (
        lambda: correct_customer(store, customer_id="C-1", changes={"tier_joined_on": NAME}, at=at),
        lambda: is_suppressed(store, hasher=HASHER, kind="fax", value=EMAIL + "\ud800"),
        lambda: decide_campaign(
            store,
            customer_id="C-404",
            channel="sms",
            marketing_class="cosmetics",
            at=at,
            hasher=HASHER,
        ),
        lambda: record_consent(store, [notice("N-1", at)], hasher=HASHER),
    ):
        with pytest.raises(RSQError) as caught:
            bad()
        shown += [str(caught.value), repr(caught.value)]
    shown.append(repr(erase_customer(store, customer_id="C-1", at=at, hasher=HASHER)))
    shown.append(caplog.text)
    text = "\n".join(shown)
    for value in (NAME, EMAIL, MOBILE, NOTES, "1980-01-02", "5999"):
        assert value not in text


def test_pseudonymised_exports_name_no_customer_id(store: Store) -> None:
    _full_customer(store)
    for records in ("customers", "interactions"):
        text = str(pseudonymised_export(store, hasher=HASHER, records=records).to_records())
        assert "C-1" not in text
        assert HASHER.pseudonym("C-1") in text


# --- properties over sequences of calls -------------------------------------------------------

KINDS = ("mobile_number", "email")
CLASSES = ("cosmetics", "electronics")
CHANNEL = {"mobile_number": "sms", "email": "email"}

step = st.one_of(
    st.tuples(
        st.just("consent"),
        st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True),
        st.lists(st.sampled_from(CLASSES), min_size=1, max_size=2, unique=True),
    ),
    st.tuples(
        st.just("opt_out"),
        st.lists(st.sampled_from(KINDS), max_size=2, unique=True),
        st.lists(st.sampled_from(CLASSES), max_size=2, unique=True),
    ),
)


def _apply(store: Store, steps: list[tuple[str, list[str], list[str]]], start: datetime) -> None:
    record_consent(store, [notice("N-0", start)], hasher=HASHER)
    for index, (kind, kinds, classes) in enumerate(steps):
        at = start + timedelta(hours=index + 1)
        if kind == "consent":
            record_consent(
                store,
                [consent(f"K-{index}", at, kinds=tuple(kinds), classes=tuple(classes))],
                hasher=HASHER,
            )
        else:
            opt_out(
                store,
                customer_id="C-1",
                event_id=f"O-{index}",
                at=at,
                evidence="e",
                hasher=HASHER,
                data_kinds=kinds,
                marketing_classes=classes,
            )


def _expected(
    steps: list[tuple[str, list[str], list[str]]], data_kind: str, marketing_class: str
) -> bool:
    allowed = False
    for kind, kinds, classes in steps:
        covers = (not kinds or data_kind in kinds) and (not classes or marketing_class in classes)
        if kind == "consent" and data_kind in kinds and marketing_class in classes:
            allowed = True
        elif kind == "opt_out" and covers:
            allowed = False
    return allowed


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=6))
def test_an_opt_out_wins_until_a_new_consent_and_the_stores_agree(
    tmp_path: Path, steps: list[tuple[str, list[str], list[str]]]
) -> None:
    start = hk(2026, 3, 1)
    end = start + timedelta(hours=len(steps) + 1)
    with both_stores(tmp_path) as stores:
        answers = []
        for target in stores:
            add_customer(target)
            _apply(target, steps, start)
            answers.append(
                [
                    rsq.to_json(
                        decide_campaign(
                            target,
                            customer_id="C-1",
                            channel=CHANNEL[data_kind],
                            marketing_class=marketing_class,
                            at=end,
                            hasher=HASHER,
                        )
                    )
                    for data_kind, marketing_class in itertools.product(KINDS, CLASSES)
                ]
            )
            for data_kind, marketing_class in itertools.product(KINDS, CLASSES):
                assert may(target, CHANNEL[data_kind], marketing_class, end) is _expected(
                    steps, data_kind, marketing_class
                ), (data_kind, marketing_class)
        assert answers[0] == answers[1]
        assert snapshot(stores[0]) == snapshot(stores[1])


def secret(prefix: str) -> st.SearchStrategy[str]:
    return st.text(alphabet="qxzjkvw", min_size=6, max_size=10).map(lambda text: prefix + text)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=secret("name"),
    local=secret("mail"),
    notes=secret("note"),
    hold_name=st.booleans(),
    opted_out=st.booleans(),
)
def test_erasure_leaves_nothing_readable_and_the_stores_agree(
    tmp_path: Path, name: str, local: str, notes: str, hold_name: bool, opted_out: bool
) -> None:
    email = f"{local}@example.com"
    with both_stores(tmp_path) as stores:
        for target in stores:
            add_customer(
                target,
                name=name,
                contacts=[ContactPoint("email", email)],
                staff_notes=notes,
                created_at=hk(2025, 1, 1),
            )
            record_consent(
                target,
                [notice("N-1", hk(2026, 3, 1)), consent("K-1", hk(2026, 3, 1), kinds=("email",))],
                hasher=HASHER,
            )
            with target.unit_of_work() as uow:
                uow.interactions.add(
                    ServiceInteraction(
                        id="I-1",
                        store_id="S",
                        channel="email",
                        occurred_at=hk(2026, 3, 2),
                        customer_id="C-1",
                        notes=notes,
                    )
                )
                if hold_name:
                    uow.legal_holds.add(
                        LegalHold(
                            id="H-1",
                            customer_id="C-1",
                            keeps=["name"],
                            reason="invoices",
                            source="IRO s.51C",
                            placed_at=hk(2026, 1, 1),
                        )
                    )
                uow.commit()
            if opted_out:
                opt_out(
                    target,
                    customer_id="C-1",
                    event_id="O-1",
                    at=hk(2026, 3, 3),
                    evidence="e",
                    hasher=HASHER,
                )
            erase_customer(target, customer_id="C-1", at=hk(2026, 3, 4), hasher=HASHER)
            everything = "\n".join(snapshot(target))
            assert email not in everything
            assert notes not in everything
            assert (name in everything) is hold_name
            assert is_suppressed(target, hasher=HASHER, kind="email", value=email) is opted_out
        assert snapshot(stores[0]) == snapshot(stores[1])


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    calls=st.lists(
        st.sampled_from(["consent", "opt_out", "request", "use", "erase", "correct"]),
        min_size=1,
        max_size=5,
    )
)
def test_a_rolled_back_unit_of_work_leaves_no_trace(tmp_path: Path, calls: list[str]) -> None:
    with both_stores(tmp_path) as stores:
        for target in stores:
            add_customer(target)
            before = snapshot(target)
            with target.unit_of_work() as uow:
                for index, call in enumerate(calls):
                    at = hk(2026, 3, 2) + timedelta(hours=index)
                    if call == "consent":
                        record_consent(
                            uow,
                            [notice(f"N-{index}", at), consent(f"K-{index}", at)],
                            hasher=HASHER,
                        )
                    elif call == "opt_out":
                        opt_out(
                            uow,
                            customer_id="C-1",
                            event_id=f"O-{index}",
                            at=at,
                            evidence="e",
                            hasher=HASHER,
                        )
                    elif call == "request":
                        receive_request(
                            uow,
                            request_id=f"R-{index}",
                            customer_id="C-1",
                            kind="access",
                            law="gdpr",
                            received_at=at,
                        )
                    elif call == "use":
                        record_use(
                            uow,
                            MarketingMessageSent(
                                event_id=f"U-{index}",
                                customer_id="C-1",
                                at=at,
                                evidence="c",
                                channel="sms",
                                marketing_class="cosmetics",
                                opt_out_statement=True,
                            ),
                        )
                    elif call == "erase":
                        erase_customer(uow, customer_id="C-1", at=at, hasher=HASHER)
                    else:
                        correct_customer(uow, customer_id="C-1", changes={"tier": "vip"}, at=at)
                # no commit: leaving the block rolls back
            assert snapshot(target) == before


# --- more edges: instants, not wall clocks ----------------------------------------------------


@pytest.mark.parametrize(("opt_out_fold", "consent_fold", "allowed"), [(0, 1, True), (1, 0, False)])
def test_the_two_half_past_ones_of_the_night_the_clocks_go_back_are_distinct(
    store: Store, opt_out_fold: int, consent_fold: int, allowed: bool
) -> None:
    add_customer(store)
    record_consent(
        store, [notice("N-1", hk(2026, 10, 1)), consent("K-1", hk(2026, 10, 1))], hasher=HASHER
    )
    repeated = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    opt_out(
        store,
        customer_id="C-1",
        event_id="O-1",
        at=repeated.replace(fold=opt_out_fold),
        evidence="e",
        hasher=HASHER,
        marketing_classes=["cosmetics"],
    )
    record_consent(store, [consent("K-2", repeated.replace(fold=consent_fold))], hasher=HASHER)
    assert may(store, "sms", "cosmetics", datetime(2026, 10, 25, 3, tzinfo=LONDON)) is allowed


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),  # a repeated hour
        datetime(2026, 3, 2, 6, 15, tzinfo=ZoneInfo("Australia/Adelaide")),
        datetime(2026, 3, 2, 6, 15, tzinfo=ZoneInfo("Asia/Kolkata")),
    ],
)
def test_a_decision_depends_on_the_instant_not_on_its_zone(store: Store, at: datetime) -> None:
    add_customer(store)
    record_consent(
        store, [notice("N-1", hk(2026, 1, 1)), consent("K-1", at.astimezone(UTC))], hasher=HASHER
    )
    here = decide_campaign(
        store, customer_id="C-1", channel="sms", marketing_class="cosmetics", at=at, hasher=HASHER
    )
    there = decide_campaign(
        store,
        customer_id="C-1",
        channel="sms",
        marketing_class="cosmetics",
        at=at.astimezone(HK),
        hasher=HASHER,
    )
    assert here.allowed
    assert [r.rule_id for r in here.reasons] == [r.rule_id for r in there.reasons]
    before = at.astimezone(UTC) - timedelta(microseconds=1)
    assert not may(store, "sms", "cosmetics", before)


@pytest.mark.parametrize(
    ("at", "allowed"),
    [
        (hk(1996, 12, 19, 23, 59) + timedelta(seconds=59, microseconds=999_999), False),
        (hk(1996, 12, 20, 0, 0), True),
        (datetime(1996, 12, 19, 16, 0, tzinfo=UTC), True),
        (datetime(1996, 12, 19, 15, 59, tzinfo=UTC), False),
    ],
)
def test_nothing_is_allowed_before_the_ordinance_applied_in_hong_kong(
    store: Store, at: datetime, allowed: bool
) -> None:
    add_customer(store, created_at=hk(1995, 1, 1))
    record_consent(
        store, [notice("N-1", hk(1995, 1, 1)), consent("K-1", hk(1995, 1, 1))], hasher=HASHER
    )
    assert may(store, "sms", "cosmetics", at) is allowed


def test_decisions_at_the_ends_of_the_range_answer_or_refuse_with_rsq_errors(store: Store) -> None:
    add_customer(store)
    for at in (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)):
        try:
            decision = decide_campaign(
                store,
                customer_id="C-1",
                channel="sms",
                marketing_class="cosmetics",
                at=at,
                hasher=HASHER,
            )
        except RSQError:
            continue
        assert not decision.allowed


@pytest.mark.parametrize(
    ("stated", "counts"), [(date(2026, 3, 1), True), (date(2026, 2, 28), False)]
)
def test_a_confirmation_must_state_the_date_on_the_consents_own_wall_clock(
    store: Store, stated: date, counts: bool
) -> None:
    add_customer(store)
    oral_at = hk(2026, 3, 1, 0, 30)  # still 28 February in UTC
    record_consent(
        store,
        [
            notice("N-1", oral_at),
            consent("K-1", oral_at, method="oral"),
            OralConsentConfirmed(
                event_id="W-1",
                customer_id="C-1",
                at=hk(2026, 3, 5),
                evidence="letter:L-1",
                confirms="K-1",
                consent_date=stated,
                data_kinds=["mobile_number"],
                marketing_classes=["cosmetics"],
            ),
        ],
        hasher=HASHER,
    )
    assert may(store, "sms", "cosmetics", hk(2026, 3, 6)) is counts


def test_a_confirmation_permits_only_what_both_it_and_the_consent_name(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1)),
            consent("K-1", hk(2026, 3, 1), method="oral", classes=("cosmetics",)),
            OralConsentConfirmed(
                event_id="W-1",
                customer_id="C-1",
                at=hk(2026, 3, 5),
                evidence="letter:L-1",
                confirms="K-1",
                consent_date=date(2026, 3, 1),
                data_kinds=["mobile_number", "email"],
                marketing_classes=["cosmetics", "electronics"],
            ),
        ],
        hasher=HASHER,
    )
    at = hk(2026, 3, 6)
    assert may(store, "sms", "cosmetics", at)
    assert not may(store, "sms", "electronics", at)
    assert not may(store, "email", "cosmetics", at)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime(2026, 5, 4, 0, 15, tzinfo=ZoneInfo("Australia/Adelaide")), date(2026, 6, 13)),
        (datetime(2026, 5, 3, 23, 45, tzinfo=ZoneInfo("Asia/Kolkata")), date(2026, 6, 12)),
    ],
)
def test_due_dates_in_half_hour_zones(store: Store, received: datetime, due: date) -> None:
    add_customer(store)
    request = receive_request(
        store, request_id="R-1", customer_id="C-1", kind="access", law="pdpo", received_at=received
    )
    assert request.due_on == due


def test_a_skipped_local_time_is_refused_with_its_path(store: Store) -> None:
    add_customer(store)
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    with pytest.raises(ValidationError) as decided:
        decide_campaign(
            store,
            customer_id="C-1",
            channel="sms",
            marketing_class="cosmetics",
            at=skipped,
            hasher=HASHER,
        )
    assert [problem.path for problem in decided.value.problems] == ["$.at"]
    with pytest.raises(ValidationError) as received:
        receive_request(
            store,
            request_id="R-1",
            customer_id="C-1",
            kind="access",
            law="pdpo",
            received_at=skipped,
        )
    assert [problem.path for problem in received.value.problems] == ["$.received_at"]


# --- more edges: opt-outs under the GDPR, withdrawals, provision lists ------------------------


def test_an_objection_under_the_gdpr_is_absolute_too(store: Store) -> None:
    add_customer(store)
    add_customer(store, "C-2", contacts=[ContactPoint("email", EMAIL)])
    _consented_to_everything(store, "C-1")
    _consented_to_everything(store, "C-2")
    assert may(store, "email", "cosmetics", hk(2026, 3, 2), law="gdpr")
    opt_out(
        store, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    assert not may(store, "email", "cosmetics", hk(2026, 3, 6), law="gdpr")
    other = decide_campaign(
        store,
        customer_id="C-2",
        channel="email",
        marketing_class="cosmetics",
        at=hk(2026, 3, 6),
        law="gdpr",
        hasher=HASHER,
    )
    assert not other.allowed
    assert "gdpr.art21.suppression" in [reason.rule_id for reason in other.failed]


def test_a_withdrawn_consent_stops_the_use_but_lists_nothing(store: Store) -> None:
    add_customer(store)
    record_consent(
        store, [notice("N-1", hk(2026, 3, 1)), consent("K-1", hk(2026, 3, 1))], hasher=HASHER
    )
    record_consent(
        store,
        [
            rsq.ConsentWithdrawn(
                event_id="X-1",
                customer_id="C-1",
                at=hk(2026, 3, 5),
                evidence="mail:M-1",
                scope="own_marketing",
                consent_id="K-1",
            )
        ],
        hasher=HASHER,
    )
    assert may(store, "sms", "cosmetics", hk(2026, 3, 4))
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 6))
    assert not is_suppressed(store, hasher=HASHER, kind="mobile_number", value=MOBILE)


def test_cease_provision_lists_contacts_for_provision_only(store: Store) -> None:
    add_customer(store)
    cease_provision(
        store, customer_id="C-1", event_id="X-1", at=hk(2026, 3, 9), evidence="e", hasher=HASHER
    )
    assert is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL, scope="provision")
    assert not is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)


def test_a_minors_data_is_never_provided_on_their_own_consent(store: Store) -> None:
    add_customer(store, date_of_birth=date(2010, 1, 1))
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1), recipients=("insurers",)),
            consent(
                "K-1", hk(2026, 3, 1), scope="provision", kinds=("email",), recipients=("insurers",)
            ),
        ],
        hasher=HASHER,
    )
    assert not _provision(store, hk(2026, 3, 2))
    assert _provision(store, hk(2028, 1, 1))


def test_record_consent_keeps_all_or_nothing_across_customers(store: Store) -> None:
    add_customer(store)
    before = snapshot(store)
    with pytest.raises(NotFoundError):
        record_consent(
            store,
            [notice("N-1", hk(2026, 3, 1)), notice("N-2", hk(2026, 3, 1), customer_id="C-9")],
            hasher=HASHER,
        )
    assert snapshot(store) == before


def test_a_missing_request_id_changes_nothing(store: Store) -> None:
    add_customer(store)
    before = snapshot(store)
    with pytest.raises(NotFoundError):
        erase_customer(
            store, customer_id="C-1", at=hk(2026, 3, 6), hasher=HASHER, request_id="R-404"
        )
    with pytest.raises(NotFoundError):
        correct_customer(
            store, customer_id="C-1", changes={"name": "Z"}, at=hk(2026, 3, 6), request_id="R-404"
        )
    assert snapshot(store) == before


def test_correction_with_its_request_marks_it_completed(store: Store) -> None:
    add_customer(store)
    receive_request(
        store,
        request_id="R-1",
        customer_id="C-1",
        kind="correction",
        law="pdpo",
        received_at=hk(2026, 3, 1),
    )
    correct_customer(
        store, customer_id="C-1", changes={"name": "Z"}, at=hk(2026, 3, 6), request_id="R-1"
    )
    with store.unit_of_work(read_only=True) as uow:
        request = uow.privacy_requests.get("R-1")
        assert request.status == "completed"
        assert [r.id for r in uow.privacy_requests.query(open_only=True)] == []


def test_the_stores_sweep_alike(tmp_path: Path) -> None:
    schedule = RetentionSchedule.default()
    with both_stores(tmp_path) as stores:
        reports = []
        for target in stores:
            add_customer(target, "C-1", created_at=hk(2010, 1, 4))
            add_customer(target, "C-2", created_at=hk(2019, 6, 1))
            add_customer(target, "C-3", created_at=hk(2026, 11, 1))
            _consented_to_everything(target, "C-2")
            lines = sweep_retention(
                target,
                schedule=schedule,
                at=hk(2026, 11, 30),
                apply=True,
                live_purposes={"C-1": ["legal_claims"]},
                hasher=HASHER,
            )
            reports.append([rsq.to_json(line) for line in lines])
        assert reports[0] == reports[1]
        assert snapshot(stores[0]) == snapshot(stores[1])


@pytest.mark.parametrize(
    ("corrected", "provided", "counts"),
    [
        (datetime(2025, 2, 28, 12, tzinfo=UTC), datetime(2024, 2, 28, 0, 0, tzinfo=UTC), True),
        (datetime(2025, 2, 28, 12, tzinfo=UTC), datetime(2024, 2, 27, 23, 59, tzinfo=UTC), False),
        (datetime(2029, 2, 28, 12, tzinfo=UTC), datetime(2028, 2, 29, 0, 0, tzinfo=UTC), True),
        (datetime(2029, 2, 28, 12, tzinfo=UTC), datetime(2028, 2, 27, 23, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 31, 12, tzinfo=UTC), datetime(2025, 3, 31, 0, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 31, 12, tzinfo=UTC), datetime(2025, 3, 30, 23, 59, tzinfo=UTC), False),
    ],
)
def test_twelve_months_back_in_common_and_leap_years(
    store: Store, corrected: datetime, provided: datetime, counts: bool
) -> None:
    add_customer(store)
    _provided(store, "U-1", "P-1", provided)
    notices = correct_customer(store, customer_id="C-1", changes={"name": "Z"}, at=corrected)
    assert [n.recipient_id for n in notices] == (["P-1"] if counts else [])


@pytest.mark.parametrize(
    ("at", "relied_on"), [(hk(2026, 3, 2, 12), True), (hk(2026, 3, 1, 12), False)]
)
def test_a_gdpr_child_turns_sixteen_on_the_birthday(
    store: Store, at: datetime, relied_on: bool
) -> None:
    add_customer(store, date_of_birth=date(2010, 3, 2))
    record_consent(
        store,
        [notice("N-1", hk(2026, 1, 1)), consent("K-1", hk(2026, 1, 1), method="online")],
        hasher=HASHER,
    )
    assert may(store, "sms", "cosmetics", at, law="gdpr") is relied_on


def test_a_provision_box_on_a_form_gives_provision_consent_with_its_disclosure(
    store: Store,
) -> None:
    add_customer(store)
    form = CollectionForm(
        id="vip-signup",
        notice_version="2026-11",
        purposes=[Purpose("membership", "run the VIP membership and its rewards")],
        fields=[FormField("email", "email", purposes=["membership"])],
        consent_boxes=[
            ConsentBox(
                "insurers",
                data_kinds=["email"],
                marketing_classes=["insurance"],
                recipient_classes=["insurers"],
                for_gain=True,
            )
        ],
    )
    record_form_consent(
        store,
        form=form,
        customer_id="C-1",
        submission_id="S-1",
        ticked=["insurers"],
        at=hk(2026, 3, 1),
    )
    at = hk(2026, 3, 2)
    assert _provision(store, at, for_gain=True)
    assert not _provision(store, at, recipient_class="banks")
    assert not may(store, "email", "insurance", at)


def test_a_read_only_unit_of_work_refuses_every_write(store: Store) -> None:
    add_customer(store)
    with store.unit_of_work(read_only=True) as uow:
        with pytest.raises(RSQError):
            opt_out(
                uow,
                customer_id="C-1",
                event_id="O-1",
                at=hk(2026, 3, 5),
                evidence="e",
                hasher=HASHER,
            )
        with pytest.raises(RSQError):
            record_consent(uow, [notice("N-1", hk(2026, 3, 1))], hasher=HASHER)
        with pytest.raises(RSQError):
            erase_customer(uow, customer_id="C-1", at=hk(2026, 3, 5), hasher=HASHER)
        assert not decide_campaign(
            uow,
            customer_id="C-1",
            channel="sms",
            marketing_class="cosmetics",
            at=hk(2026, 3, 5),
            hasher=HASHER,
        ).allowed
    assert snapshot(store)[1:] == []


def test_the_sweep_finds_no_personal_field_left_on_an_erased_customer(store: Store) -> None:
    add_customer(store, "C-1", created_at=hk(2010, 1, 4))
    add_customer(store, "C-2", created_at=hk(2010, 1, 4))
    erase_customer(store, customer_id="C-1", at=hk(2026, 3, 1), hasher=HASHER)
    lines = sweep_retention(
        store, schedule=RetentionSchedule.default(), at=hk(2026, 11, 30), hasher=HASHER
    )
    erased_items = {line.item for line in lines if line.customer_id == "C-1"}
    assert erased_items <= set(rsq.RECORD_KINDS)  # every kind of records, no personal field
    assert "name" in {line.item for line in lines if line.customer_id == "C-2"}


def test_an_export_holds_only_the_persons_records_and_completion_is_optional(
    store: Store,
) -> None:
    add_customer(store, "C-1")
    add_customer(
        store, "C-2", name="Other Person", contacts=[ContactPoint("email", "o@example.com")]
    )
    with store.unit_of_work() as uow:
        for interaction_id, customer_id in (("I-1", "C-1"), ("I-2", "C-2")):
            uow.interactions.add(
                ServiceInteraction(
                    id=interaction_id,
                    store_id="S",
                    channel="hotline",
                    occurred_at=hk(2026, 3, 2),
                    customer_id=customer_id,
                )
            )
        uow.commit()
    receive_request(
        store,
        request_id="R-1",
        customer_id="C-1",
        kind="access",
        law="pdpo",
        received_at=hk(2026, 3, 3),
    )
    export = export_personal_data(store, request_id="R-1", at=hk(2026, 3, 4), complete=False)
    text = export.to_json()
    assert "I-1" in text
    assert "I-2" not in text
    assert "Other Person" not in text
    with store.unit_of_work(read_only=True) as uow:
        assert uow.privacy_requests.get("R-1").status != "completed"
    export_personal_data(store, request_id="R-1", at=hk(2026, 3, 4))
    with store.unit_of_work(read_only=True) as uow:
        assert uow.privacy_requests.get("R-1").status == "completed"


ledger_events = st.permutations(
    [
        ("notice", "N-1", 0),
        ("consent", "K-1", 1),
        ("opt_out", "O-1", 2),
        ("consent", "K-2", 2),
        ("opt_out", "O-2", 3),
        ("consent", "K-3", 4),
    ]
)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=ledger_events, classes=st.sampled_from([(), ("cosmetics",), ("electronics",)]))
def test_events_appended_in_any_order_give_the_same_decisions(
    tmp_path: Path, order: list[tuple[str, str, int]], classes: tuple[str, ...]
) -> None:
    start = hk(2026, 3, 1)

    def event(kind: str, event_id: str, hours: int) -> rsq.ConsentEvent:
        at = start + timedelta(hours=hours)
        if kind == "notice":
            return notice(event_id, at)
        if kind == "consent":
            return consent(event_id, at, kinds=KINDS, classes=CLASSES)
        return OptedOut(
            event_id=event_id,
            customer_id="C-1",
            at=at,
            evidence="e",
            marketing_classes=list(classes),
        )

    with both_stores(tmp_path) as stores:
        seen = []
        for target in stores:
            add_customer(target)
            for item in order:
                record_consent(target, [event(*item)], hasher=HASHER)
            seen.append(
                [
                    may(target, CHANNEL[kind], marketing_class, start + timedelta(hours=hours))
                    for kind, marketing_class in itertools.product(KINDS, CLASSES)
                    for hours in (1, 2, 3, 4, 5)
                ]
            )
        ordered = sorted(order, key=lambda item: (item[2], item[0] == "opt_out", item[1]))
        fresh = InMemoryStore()
        add_customer(fresh)
        record_consent(fresh, [event(*item) for item in ordered], hasher=HASHER)
        expected = [
            may(fresh, CHANNEL[kind], marketing_class, start + timedelta(hours=hours))
            for kind, marketing_class in itertools.product(KINDS, CLASSES)
            for hours in (1, 2, 3, 4, 5)
        ]
        assert seen == [expected, expected]
        if not classes:
            # At hour 2 the opt-out beats the consent of the same instant; at 4 a new consent wins.
            assert expected[1] is False
            assert expected[3] is True


# --- the suppression list over time -----------------------------------------------------------


def _sharing_a_number(store: Store) -> None:
    add_customer(store, "C-1")
    add_customer(store, "C-2", contacts=[ContactPoint("mobile_number", "+852 5999-1234")])
    _consented_to_everything(store, "C-1")
    _consented_to_everything(store, "C-2")


def test_a_number_listed_again_blocks_a_consent_given_before_the_new_listing(store: Store) -> None:
    _sharing_a_number(store)
    opt_out(
        store, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    record_consent(store, [consent("K-2", hk(2026, 3, 6), customer_id="C-2")], hasher=HASHER)
    assert may(store, "sms", "cosmetics", hk(2026, 3, 7), customer_id="C-2")
    record_consent(store, [consent("K-3", hk(2026, 3, 8), customer_id="C-1")], hasher=HASHER)
    assert may(store, "sms", "cosmetics", hk(2026, 3, 8, 12), customer_id="C-1")
    opt_out(
        store, customer_id="C-1", event_id="O-2", at=hk(2026, 3, 9), evidence="e", hasher=HASHER
    )
    # The owner of the number said stop again on 9 March; C-2's consent dates from 6 March.
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 10), customer_id="C-2")


def test_a_listing_does_not_change_the_answer_about_an_earlier_instant(store: Store) -> None:
    _sharing_a_number(store)
    before = decide_campaign(
        store,
        customer_id="C-2",
        channel="sms",
        marketing_class="cosmetics",
        at=hk(2026, 3, 3),
        hasher=HASHER,
    )
    opt_out(
        store, customer_id="C-1", event_id="O-1", at=hk(2026, 3, 5), evidence="e", hasher=HASHER
    )
    after = decide_campaign(
        store,
        customer_id="C-2",
        channel="sms",
        marketing_class="cosmetics",
        at=hk(2026, 3, 3),
        hasher=HASHER,
    )
    assert rsq.to_json(after) == rsq.to_json(before)


def test_erasure_lists_the_contact_points_of_a_standing_opt_out_only(store: Store) -> None:
    add_customer(store, "C-1")
    add_customer(store, "C-2", contacts=[ContactPoint("email", "c2@example.com")])
    record_consent(
        store,
        [
            OptedOut(event_id="O-1", customer_id="C-1", at=hk(2026, 3, 1), evidence="e"),
            OptedOut(event_id="O-2", customer_id="C-2", at=hk(2026, 3, 1), evidence="e"),
        ],
        hasher=HASHER,
    )
    record_consent(
        store,
        [
            notice("N-2", hk(2026, 3, 2), customer_id="C-2"),
            consent("K-2", hk(2026, 3, 2), customer_id="C-2", kinds=("email",)),
        ],
        hasher=HASHER,
    )
    for customer_id in ("C-1", "C-2"):
        erase_customer(store, customer_id=customer_id, at=hk(2026, 3, 6), hasher=HASHER)
    # Recorded straight in the ledger, C-1's opt-out still stands: erasure lists its contacts.
    assert is_suppressed(store, hasher=HASHER, kind="email", value=EMAIL)
    assert is_suppressed(store, hasher=HASHER, kind="mobile_number", value=MOBILE)
    # C-2's opt-out listed its email when it was recorded; entries are never removed.
    assert is_suppressed(store, hasher=HASHER, kind="email", value="c2@example.com")


# --- corrections, forms and partial provision opt-outs ----------------------------------------


@pytest.mark.parametrize("field", ["id", "version", "erased_at", "created_at", "nonsense"])
def test_a_correction_cannot_touch_what_is_not_the_persons_data(store: Store, field: str) -> None:
    add_customer(store)
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught:
        correct_customer(
            store, customer_id="C-1", changes={field: hk(2026, 1, 1)}, at=hk(2026, 3, 1)
        )
    assert [problem.path for problem in caught.value.problems] == [f"$.changes.{field}"]
    assert snapshot(store) == before


def test_a_form_is_never_oral_and_a_submission_is_recorded_once(store: Store) -> None:
    add_customer(store)
    with pytest.raises(ValidationError) as caught:
        record_form_consent(
            store,
            form=signup_form(),
            customer_id="C-1",
            submission_id="S-1",
            ticked=["sms-cosmetics"],
            at=hk(2026, 3, 1),
            method="oral",
        )
    assert [problem.path for problem in caught.value.problems] == ["$.method"]
    record_form_consent(
        store,
        form=signup_form(),
        customer_id="C-1",
        submission_id="S-1",
        ticked=[],
        at=hk(2026, 3, 1),
    )
    with pytest.raises(ConflictError):
        record_form_consent(
            store,
            form=signup_form(),
            customer_id="C-1",
            submission_id="S-1",
            ticked=["sms-cosmetics"],
            at=hk(2026, 3, 2),
        )
    assert not may(store, "sms", "cosmetics", hk(2026, 3, 3))


def test_an_opt_out_of_provision_to_one_class_leaves_the_others(store: Store) -> None:
    add_customer(store)
    record_consent(
        store,
        [
            notice("N-1", hk(2026, 3, 1), recipients=("insurers", "banks")),
            consent(
                "K-1",
                hk(2026, 3, 1),
                scope="provision",
                kinds=("email",),
                recipients=("insurers", "banks"),
            ),
            consent("K-2", hk(2026, 3, 1), kinds=("email",)),
        ],
        hasher=HASHER,
    )
    opt_out(
        store,
        customer_id="C-1",
        event_id="O-1",
        at=hk(2026, 3, 5),
        evidence="e",
        hasher=HASHER,
        scope="provision",
        recipient_classes=["insurers"],
    )
    at = hk(2026, 3, 6)
    assert not _provision(store, at)
    assert _provision(store, at, recipient_class="banks")
    # Opting out of provision is not opting out of the retailer's own marketing.
    assert may(store, "email", "cosmetics", at)


def test_a_seventeen_year_old_is_a_minor_under_the_pdpo_but_not_a_child_under_the_gdpr(
    store: Store,
) -> None:
    add_customer(store, date_of_birth=date(2009, 1, 1))
    record_consent(
        store, [notice("N-1", hk(2026, 1, 1)), consent("K-1", hk(2026, 1, 1))], hasher=HASHER
    )
    at = hk(2026, 6, 1)
    assert not may(store, "sms", "cosmetics", at)
    assert may(store, "sms", "cosmetics", at, law="gdpr")
    minor = decide_campaign(
        store, customer_id="C-1", channel="sms", marketing_class="cosmetics", at=at, hasher=HASHER
    )
    assert "pdpo.dpp3.minor" in [reason.rule_id for reason in minor.failed]


def test_pseudonyms_join_across_exports_and_change_with_the_key(store: Store) -> None:
    _full_customer(store)
    customers = pseudonymised_export(store, hasher=HASHER, records="customers")
    interactions = pseudonymised_export(store, hasher=HASHER, records="interactions")
    assert customers[0]["id"] == interactions[0]["customer_id"]
    other = KeyedHasher(b"another key that is 32 bytes lon")
    again = pseudonymised_export(store, hasher=other, records="customers")
    assert again[0]["id"] != customers[0]["id"]
    assert "staff_notes" not in customers.columns
    assert "notes" not in interactions.columns


def test_a_new_consent_after_an_opt_out_is_found_by_its_instant_in_the_repeated_hour(
    store: Store,
) -> None:
    """The suppression list compares instants: a consent at 01:10 GMT is after an opt-out at
    01:20 BST on the night the clocks go back, though its wall clock reads earlier."""
    london = ZoneInfo("Europe/London")
    opted = datetime(2026, 10, 25, 1, 20, tzinfo=london)  # 00:20 UTC
    renewed = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=london)  # 01:10 UTC
    asked = datetime(2026, 10, 25, 1, 40, fold=1, tzinfo=london)  # 01:40 UTC
    add_customer(store, "C-1")
    add_customer(store, "C-2", contacts=[ContactPoint("mobile_number", "+852-5999-1234")])
    _consented_to_everything(store, "C-1")
    _consented_to_everything(store, "C-2")
    opt_out(store, customer_id="C-1", event_id="O-1", at=opted, evidence="e", hasher=HASHER)
    assert not may(store, "sms", "cosmetics", asked, customer_id="C-2")
    record_consent(store, [consent("K-NEW", renewed, customer_id="C-2")], hasher=HASHER)
    assert may(store, "sms", "cosmetics", asked, customer_id="C-2")
