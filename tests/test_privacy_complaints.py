"""Complaints under the privacy rights: access, erasure, retention and pseudonymised exports.

A complaint names the customer, holds their own words (the receipt's description) and a history
naming staff. The access export gives it whole; erasure blanks the words and keeps the record of
how it was handled (the SLA answers do not move); an open complaint or one a hold keeps stays
whole; its steps count as the customer's activity; the pseudonymised export has no free text.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    ContactPoint,
    Customer,
    InMemoryStore,
    KeyedHasher,
    LegalHold,
    RetentionSchedule,
    ServiceInteraction,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    erase_customer,
    export_personal_data,
    from_json,
    plan_erasure,
    plan_retention,
    pseudonymised_export,
    receive_request,
    sweep_retention,
    to_json,
    to_records,
)
from retail_service_quality.service.complaints import COMPLAINT_TRANSITIONS, ComplaintState
from retail_service_quality.storage.ports import ComplaintQuery

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
HASHER = KeyedHasher(b"a test key that is 32 bytes long")
WORDS = "Qv8-the sofa came two weeks late and the courier swore at me"
OPEN_WORDS = "Jx4-my lamp still flickers after the repair"
OTHER_WORDS = "Wm2-somebody else's complaint about billing"
STAFF = "STAFF-Q9"
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
POLICY = SlaPolicy(
    id="standard",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=4)),
        SlaTarget("resolution", working_days=5),
    ],
)
KINDS = ("acknowledgement", "resolution")

Store = InMemoryStore | SQLiteStore
_counter = itertools.count()


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened: Store = (
        InMemoryStore()
        if request.param == "memory"
        else SQLiteStore(tmp_path / f"complaints-{next(_counter)}.db")
    )
    yield opened
    if isinstance(opened, SQLiteStore):
        opened.close()


def hk(month: int, day: int, hour: int = 10, *, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=HK)


def investigating(
    id: str, customer_id: str | None, at: datetime, words: str, category: str
) -> Complaint:
    """Received, acknowledged, assessed and under investigation: open."""
    return (
        Complaint.receive(
            id=id,
            at=at,
            channel="hotline",
            store_id="HK-CWB",
            category=category,
            customer_id=customer_id,
            description=words,
            remedy_requested="refund",
            sla_policy=POLICY,
            by=STAFF,
        )
        .acknowledge(at=at + timedelta(hours=1), by=STAFF)
        .assess(at=at + timedelta(hours=2), severity=2, priority="high", by=STAFF)
        .investigate(at=at + timedelta(hours=2), by=STAFF)
    )


def closed_complaint(
    id: str = "CMP-1",
    customer_id: str | None = "C-1",
    *,
    words: str = WORDS,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Complaint:
    """Investigated, waited on, answered, accepted and closed (at ``end``, if given)."""
    at = start or hk(4, 7)
    return (
        investigating(id, customer_id, at, words, "late_delivery")
        .wait_on_customer(at=at + timedelta(hours=3), reason="receipt", by=STAFF)
        .record_reply(at=at + timedelta(days=1), by=STAFF)
        .respond(at=at + timedelta(days=2), remedy="credit", amount_cents=50_000, by=STAFF)
        .accept(at=at + timedelta(days=2, hours=1))
        .close(
            at=end or at + timedelta(days=3),
            root_cause="carrier_delay",
            corrective_action="new_carrier",
            by=STAFF,
        )
    )


def open_complaint(
    id: str = "CMP-2", customer_id: str = "C-1", *, start: datetime | None = None
) -> Complaint:
    return investigating(id, customer_id, start or hk(4, 28, 16), OPEN_WORDS, "faulty_item")


def customer(customer_id: str = "C-1", **fields: Any) -> Customer:
    fields.setdefault("name", "Zebedee Quixote")
    fields.setdefault("contacts", [ContactPoint("email", "zq@example.com")])
    fields.setdefault("created_at", hk(1, 2, year=2025))
    return Customer(id=customer_id, **fields)


def fill(target: Store, *complaints: Complaint, customers: tuple[Customer, ...] = ()) -> None:
    with target.unit_of_work() as uow:
        for one in customers or (customer("C-1"), customer("C-2", name="Lee")):
            uow.customers.add(one)
        uow.complaints.add_many(complaints)
        uow.commit()


def stored(target: Store) -> dict[str, Complaint]:
    with target.unit_of_work(read_only=True) as uow:
        return {complaint.id: complaint for complaint in uow.complaints.query()}


def answers(complaint: Complaint) -> tuple[Any, ...]:
    """Everything the SLA and the analysis read from a complaint, at a few instants after it."""
    last = max((event.at for event in complaint.events()), key=lambda at: at.astimezone(UTC))
    # Elapsed time from the instant: a wall-clock sum could land in a skipped hour.
    nows = [
        (last.astimezone(UTC) + timedelta(hours=hours)).astimezone(last.tzinfo)
        for hours in (0, 5, 30, 200, 2000)
    ]
    return (
        complaint.state,
        tuple(complaint.sla(kind, now=now) for kind in KINDS for now in nows),
        tuple(complaint.due_at(kind) for kind in KINDS),
        complaint.resolution_time(),
        complaint.clock_stops(),
        to_records([complaint])[0] | {"version": None},
    )


def file_bytes(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


# ---------------------------------------------------------------- access


def test_the_access_export_holds_the_customers_complaints_whole(store: Store) -> None:
    anonymous = closed_complaint("CMP-9", None, words=OTHER_WORDS)
    fill(store, closed_complaint(), open_complaint(), closed_complaint("CMP-3", "C-2"), anonymous)
    receive_request(
        store, request_id="R-1", customer_id="C-1", kind="access", law="pdpo",
        received_at=hk(5, 4),
    )  # fmt: skip
    export = export_personal_data(store, request_id="R-1", at=hk(5, 4))
    assert [complaint.id for complaint in export.complaints] == ["CMP-1", "CMP-2"]
    assert export.complaints[0] == stored(store)["CMP-1"]  # whole: history and policy
    assert {row["section"]: row["records"] for row in export.to_records()}["complaints"] == 2
    assert "free_text" in export.categories
    assert "complaints" in {rule.data for rule in export.retention}
    data = json.loads(export.to_json())
    first = data["complaints"][0]
    assert first["receipt"]["description"] == WORDS
    assert first["closures"][0]["root_cause"] == "carrier_delay"
    assert first["acknowledgements"][0]["by"] == STAFF
    assert data["complaints"][1]["receipt"]["description"] == OPEN_WORDS
    assert OTHER_WORDS not in export.to_json()
    shown = repr(export) + export._repr_html_() + str(export.to_records())
    assert WORDS not in shown
    assert OPEN_WORDS not in shown


def test_no_one_elses_complaint_gets_into_an_export() -> None:
    request = rsq.PrivacyRequest(
        id="R-1", customer_id="C-1", kind="access", law="gdpr", received_at=hk(5, 4),
        due_on=date(2026, 6, 4),
    )  # fmt: skip
    junk: Any = [closed_complaint("CMP-3", "C-2"), closed_complaint("CMP-9", None), "CMP-1", None]
    with pytest.raises(rsq.ValidationError) as error:
        rsq.build_access_export(customer(), request=request, produced_at=hk(5, 4), complaints=junk)
    assert [problem.path for problem in error.value.problems] == [
        "$.complaints[0].customer_id",
        "$.complaints[1].customer_id",
        "$.complaints[2]",
        "$.complaints[3]",
    ]
    assert WORDS not in str(error.value)
    with pytest.raises(rsq.ValidationError) as error:
        rsq.build_access_export(
            customer(),
            request=request,
            produced_at=hk(5, 4),
            complaints="CMP-1",  # type: ignore[arg-type]
        )
    assert error.value.problems[0].path == "$.complaints"
    with pytest.raises(rsq.ValidationError) as error:
        rsq.build_access_export(
            customer(), request=request, produced_at=hk(5, 4), other={"complaints": []}
        )
    assert error.value.problems[0].path == "$.other.complaints"


# ---------------------------------------------------------------- erasure


def test_erasure_blanks_what_the_customer_said_and_keeps_how_it_was_handled(store: Store) -> None:
    fill(store, closed_complaint(), open_complaint(), closed_complaint("CMP-3", "C-2"))
    before = stored(store)
    plan = erase_customer(store, customer_id="C-1", at=hk(5, 4), hasher=HASHER)
    after = stored(store)
    assert plan.items["complaints"].action == "erase"
    assert plan.items["complaints.CMP-2"].basis == "live_purpose"
    assert "complaints.CMP-1" not in plan.items
    erased = after["CMP-1"]
    assert erased.receipt.description == ""
    assert erased.version == before["CMP-1"].version + 1
    assert erased.customer_id == "C-1"  # linked to the anonymised customer
    assert erased.events()[1:] == before["CMP-1"].events()[1:]  # staff, codes, times
    assert erased.sla_policy == POLICY
    assert answers(erased) == answers(before["CMP-1"])
    assert after["CMP-2"] == before["CMP-2"]  # still being handled: whole
    assert after["CMP-3"] == before["CMP-3"]  # another customer's
    with store.unit_of_work(read_only=True) as uow:
        anonymised = uow.customers.get("C-1")
        assert anonymised.name is None
        assert anonymised.erased_at == hk(5, 4)
        due = list(uow.complaints.due("resolution", after=hk(4, 1), before=hk(12, 31)))
        assert [complaint.id for complaint in due] == ["CMP-2"]
        assert uow.complaints.count(ComplaintQuery(customer_id="C-1")) == 2


def test_a_complaint_closed_after_an_erasure_is_blanked_by_the_next(store: Store) -> None:
    fill(store, open_complaint())
    erase_customer(store, customer_id="C-1", at=hk(5, 4), hasher=HASHER)
    assert stored(store)["CMP-2"].receipt.description == OPEN_WORDS
    with store.unit_of_work() as uow:
        handled = (
            uow.complaints.get("CMP-2")
            .respond(at=hk(5, 5), remedy="repair")
            .accept(at=hk(5, 5, 11))
            .close(at=hk(5, 6), root_cause="loose_wire", corrective_action="checklist")
        )
        uow.complaints.save(handled)
        uow.commit()
    plan = erase_customer(store, customer_id="C-1", at=hk(5, 7), hasher=HASHER)
    assert "complaints.CMP-2" not in plan.items
    assert stored(store)["CMP-2"].receipt.description == ""
    assert stored(store)["CMP-2"].state is ComplaintState.CLOSED


def test_the_erased_words_leave_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "erase.db"
    with SQLiteStore(path) as store:
        other = closed_complaint("CMP-3", "C-2", words=OTHER_WORDS)
        fill(store, closed_complaint(), open_complaint(), other)
        before = file_bytes(path)
        for words in (WORDS, OPEN_WORDS, OTHER_WORDS):
            assert words.encode() in before  # it was there: the check can fail
        erase_customer(store, customer_id="C-1", at=hk(5, 4), hasher=HASHER)
        after = file_bytes(path)
        assert WORDS.encode() not in after
        assert OPEN_WORDS.encode() in after  # still open: kept whole
        assert OTHER_WORDS.encode() in after  # another customer's
        assert b"carrier_delay" in after  # how it was handled stays
    assert WORDS.encode() not in file_bytes(path)


def test_a_hold_on_complaints_keeps_them_whole(store: Store) -> None:
    fill(store, closed_complaint(), closed_complaint("CMP-4", words="Zk1-my second complaint"))
    with store.unit_of_work() as uow:
        uow.legal_holds.add(
            LegalHold(
                id="H-1", customer_id="C-1", keeps=["complaints"], reason="a claim is pending",
                source="GDPR Art. 17(3)(e)", placed_at=hk(5, 1), until=date(2027, 5, 1),
            )
        )  # fmt: skip
        uow.commit()
    before = stored(store)
    plan = erase_customer(store, customer_id="C-1", at=hk(5, 4), hasher=HASHER, law="gdpr")
    assert (plan.items["complaints"].basis, plan.items["complaints"].hold_id) == ("hold", "H-1")
    assert not [name for name in plan.items if name.startswith("complaints.")]
    assert stored(store) == before


def test_a_hold_on_one_complaint_keeps_that_one(store: Store) -> None:
    fill(store, closed_complaint(), closed_complaint("CMP-4", words="Zk1-my second complaint"))
    with store.unit_of_work() as uow:
        for hold in (
            LegalHold(
                id="H-1", customer_id="C-1", keeps=["complaints.CMP-1"],
                reason="the sofa claim is before the Small Claims Tribunal",
                source="GDPR Art. 17(3)(e)", placed_at=hk(5, 1),
            ),
            LegalHold(
                id="H-2", customer_id="C-1", keeps=["complaints.CMP-4"], reason="ended",
                source="GDPR Art. 17(3)(e)", placed_at=hk(4, 1), until=date(2026, 5, 3),
            ),
        ):  # fmt: skip
            uow.legal_holds.add(hold)
        uow.commit()
    plan = erase_customer(store, customer_id="C-1", at=hk(5, 4), hasher=HASHER, law="gdpr")
    assert plan.items["complaints.CMP-1"].hold_id == "H-1"
    assert "complaints.CMP-4" not in plan.items  # its hold ended the day before
    after = stored(store)
    assert after["CMP-1"].receipt.description == WORDS
    assert after["CMP-4"].receipt.description == ""


def test_a_live_purpose_for_customer_service_keeps_the_complaints(store: Store) -> None:
    fill(store, closed_complaint())
    plan = erase_customer(
        store, customer_id="C-1", at=hk(5, 4), hasher=HASHER, live_purposes=["customer_service"]
    )
    assert plan.items["complaints"].basis == "live_purpose"
    assert stored(store)["CMP-1"].receipt.description == WORDS


def test_an_erasure_in_the_callers_unit_of_work_is_undone_with_it(store: Store) -> None:
    fill(store, closed_complaint())
    with store.unit_of_work() as uow:
        erase_customer(uow, customer_id="C-1", at=hk(5, 4), hasher=HASHER)
        assert uow.complaints.get("CMP-1").receipt.description == ""
        # not committed: rolled back with everything else
    assert stored(store)["CMP-1"].receipt.description == WORDS
    with store.unit_of_work(read_only=True) as uow:
        assert uow.customers.get("C-1").erased_at is None


def test_plan_erasure_refuses_what_is_not_the_customers_complaints() -> None:
    junk: Any = [closed_complaint("CMP-3", "C-2"), None, closed_complaint(), "CMP-1"]
    with pytest.raises(rsq.ValidationError) as error:
        plan_erasure(customer(), holds=[], on=date(2026, 5, 4), complaints=junk)
    assert [problem.path for problem in error.value.problems] == [
        "$.complaints[0].customer_id",
        "$.complaints[1]",
        "$.complaints[3]",
    ]
    assert WORDS not in str(error.value)
    for bad in ("CMP-1", 5, {"CMP-1": closed_complaint()}):
        with pytest.raises(rsq.ValidationError) as error:
            plan_erasure(customer(), holds=[], on=date(2026, 5, 4), complaints=bad)  # type: ignore[arg-type]
        assert error.value.problems[0].path == "$.complaints"


def test_the_plan_says_nothing_the_customer_said() -> None:
    plan = plan_erasure(
        customer(), holds=[], on=date(2026, 5, 4), complaints=[closed_complaint(), open_complaint()]
    )
    shown = repr(plan) + plan.explain() + str(plan.to_records()) + plan._repr_html_()
    assert WORDS not in shown
    assert OPEN_WORDS not in shown
    assert "complaints.CMP-2: keep (the complaint is still being handled" in plan.explain()


# ---------------------------------------------------------------- redaction, as a property

STEPS: dict[str, Callable[[Complaint, datetime], Complaint]] = {
    "acknowledged": lambda c, at: c.acknowledge(at=at, by=STAFF),
    "assessed": lambda c, at: c.assess(at=at, severity=3, priority="high"),
    "investigation_started": lambda c, at: c.investigate(at=at),
    "waiting_on_customer": lambda c, at: c.wait_on_customer(at=at, reason="photo"),
    "customer_replied": lambda c, at: c.record_reply(at=at),
    "responded": lambda c, at: c.respond(at=at, remedy="exchange"),
    "accepted": lambda c, at: c.accept(at=at),
    "declined": lambda c, at: c.decline(at=at),
    "escalated": lambda c, at: c.escalate(at=at, to="store_manager"),
    "closed": lambda c, at: c.close(at=at, root_cause="stock", corrective_action="recount"),
    "reopened": lambda c, at: c.reopen(at=at, reason="recurred"),
}


@st.composite
def complaints(draw: st.DrawFn) -> Complaint:
    """A complaint with a random legal history, in one of several zones."""
    zone = draw(st.sampled_from([HK, LONDON, KOLKATA, ADELAIDE]))
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 525_000)))
    at = start.astimezone(zone)
    complaint = Complaint.receive(
        id="CMP-P", at=at, channel="online", store_id="WEB", category="billing",
        customer_id="C-1", description=draw(st.text(min_size=1, max_size=40)),
        sla_policy=draw(st.sampled_from([POLICY, None])),
    )  # fmt: skip
    for _ in range(draw(st.integers(0, 14))):
        allowed = sorted(COMPLAINT_TRANSITIONS[complaint.state])
        if complaint.remedy_offered is None:
            allowed = [kind for kind in allowed if kind != "closed"]
        # Elapsed time, not wall-clock arithmetic: a sum in the zone could land in a skipped hour.
        at = (at.astimezone(UTC) + timedelta(minutes=draw(st.integers(0, 4_000)))).astimezone(zone)
        complaint = STEPS[draw(st.sampled_from(allowed))](complaint, at)
    return complaint


@settings(max_examples=80)
@given(complaint=complaints())
def test_a_redacted_complaint_replays_to_the_same_answers(complaint: Complaint) -> None:
    redacted = complaint.redacted()
    assert redacted.receipt.description == ""
    assert redacted.redacted() == redacted
    assert redacted.events()[1:] == complaint.events()[1:]
    assert to_records([redacted]) == to_records([complaint])
    assert from_json(to_json(redacted), Complaint) == redacted
    if complaint.sla_policy is not None:
        assert answers(redacted) == answers(complaint)
    else:
        assert redacted.resolution_time() is complaint.resolution_time() is None
    assert repr(redacted) == repr(complaint)  # the words never showed


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(complaint=complaints())
def test_an_erased_complaint_keeps_its_answers_in_both_stores(
    tmp_path: Path, complaint: Complaint
) -> None:
    for target in (InMemoryStore(), SQLiteStore(tmp_path / f"p-{next(_counter)}.db")):
        fill(target, complaint)
        before = stored(target)["CMP-P"]
        plan = erase_customer(target, customer_id="C-1", at=hk(12, 31), hasher=HASHER)
        after = stored(target)["CMP-P"]
        if complaint.state is ComplaintState.CLOSED:
            assert after.receipt.description == ""
            assert "complaints.CMP-P" not in plan.items
        else:
            assert after == before
            assert plan.items["complaints.CMP-P"].basis == "live_purpose"
        if complaint.sla_policy is not None:
            assert answers(after) == answers(before)
        if isinstance(target, SQLiteStore):
            target.close()


# ---------------------------------------------------------------- retention


def test_the_last_activity_counts_the_complaints_last_step(store: Store) -> None:
    old = customer(created_at=hk(1, 4, year=2020))
    fill(store, closed_complaint(start=hk(6, 1, year=2025)), customers=(old,))
    lines = sweep_retention(store, schedule=RetentionSchedule.default(), at=hk(11, 30))
    by_item = {line.item: line for line in lines}
    # the complaint closed on 4 June 2025: two years of membership run from then
    assert by_item["name"].action == "keep"
    assert by_item["name"].until == date(2027, 6, 3)
    assert by_item["complaints"].until == date(2027, 6, 3)
    assert not by_item["complaints"].applied


def test_the_latest_instant_counts_not_the_latest_wall_clock(store: Store) -> None:
    """A complaint closed at 01:00 on 21 June in Kolkata (19:30 UTC on the 20th) is earlier than
    an interaction at 20:00 UTC on the 20th: the later instant, read on its own clock, counts."""
    old = customer(created_at=hk(1, 4, year=2020))
    start = datetime(2026, 6, 16, 1, tzinfo=KOLKATA)
    complaint = closed_complaint(start=start)
    assert complaint.closed_at == datetime(2026, 6, 19, 1, tzinfo=KOLKATA)
    call = ServiceInteraction(
        id="I-1", store_id="HK-CWB", channel="hotline", customer_id="C-1",
        occurred_at=datetime(2026, 6, 18, 20, tzinfo=UTC),
    )  # fmt: skip
    fill(store, complaint, customers=(old,))
    with store.unit_of_work() as uow:
        uow.interactions.add(call)
        uow.commit()
    lines = sweep_retention(store, schedule=RetentionSchedule.default(), at=hk(11, 30))
    assert {line.item: line.until for line in lines}["name"] == date(2028, 6, 17)


@pytest.mark.parametrize(
    ("closed", "until"),
    [
        (datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON), date(2028, 10, 24)),  # repeated
        (datetime(2026, 3, 29, 2, 30, tzinfo=LONDON), date(2028, 3, 28)),  # after the skip
        (datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=ADELAIDE), date(2028, 4, 4)),  # repeated
        (datetime(2026, 6, 2, 4, tzinfo=KOLKATA), date(2028, 6, 1)),  # 1 June in UTC
    ],
)
def test_plan_retention_counts_complaints_in_their_own_zone(closed: datetime, until: date) -> None:
    complaint = closed_complaint(start=closed - timedelta(days=3), end=closed)
    assert complaint.closed_at is closed
    plan = plan_retention(
        customer(created_at=hk(1, 4, year=2020)), last_activity=None, holds=[], live_purposes=[],
        schedule=RetentionSchedule.default(), on=date(2026, 11, 30), complaints=[complaint],
    )  # fmt: skip
    assert plan.items["complaints"].until == until
    assert plan.items["contacts.email"].until == until


def test_a_complaint_in_a_skipped_hour_is_refused_without_echoing_it() -> None:
    with pytest.raises(rsq.ValidationError) as error:
        closed_complaint(start=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert error.value.problems[0].path == "$.at"
    assert WORDS not in str(error.value)


def test_a_complaint_at_the_end_of_the_range_keeps_everything() -> None:
    last = datetime(9999, 12, 30, 12, tzinfo=UTC)
    complaint = Complaint.receive(
        id="CMP-E", at=last, channel="email", store_id="WEB", category="billing",
        customer_id="C-1", description=WORDS,
    )  # fmt: skip
    first = datetime(1, 1, 2, tzinfo=UTC)  # the first instant the library handles
    plan = plan_retention(
        customer(created_at=first), last_activity=first, holds=[], live_purposes=[],
        schedule=RetentionSchedule.default(), on=date(9999, 12, 30), complaints=[complaint],
    )  # fmt: skip
    assert (plan.items["complaints"].action, plan.items["complaints"].until) == ("keep", None)
    assert "complaints.CMP-E" not in plan.items  # kept as a kind: no line of its own


def test_the_sweep_blanks_expired_complaints_and_keeps_open_ones(store: Store) -> None:
    old = customer(created_at=hk(1, 4, year=2019))
    stale_open = open_complaint("CMP-7", start=hk(3, 9, year=2020))
    fill(store, closed_complaint(start=hk(3, 2, year=2020)), stale_open, customers=(old,))
    before = stored(store)
    dry = sweep_retention(store, schedule=RetentionSchedule.default(), at=hk(11, 30))
    assert stored(store) == before  # a dry run changes nothing
    lines = sweep_retention(
        store, schedule=RetentionSchedule.default(), at=hk(11, 30), apply=True, hasher=HASHER
    )
    assert [
        (line.item, line.action, line.applied) for line in dry if "complaints" in line.item
    ] == [
        ("complaints", "erase", False),
        ("complaints.CMP-7", "keep", False),
    ]
    by_item = {line.item: line for line in lines}
    assert by_item["complaints"].applied
    assert by_item["complaints"].basis == "expired"
    assert by_item["complaints.CMP-7"].basis == "live_purpose"
    after = stored(store)
    assert after["CMP-1"].receipt.description == ""
    assert answers(after["CMP-1"]) == answers(before["CMP-1"])
    assert after["CMP-7"] == before["CMP-7"]


# ---------------------------------------------------------------- pseudonymised export


def test_the_pseudonymised_export_of_complaints_has_no_free_text_and_no_staff(
    store: Store,
) -> None:
    fill(store, closed_complaint(), open_complaint(), closed_complaint("CMP-9", None))
    rows = pseudonymised_export(store, hasher=HASHER, records="complaints")
    by_id = {row["id"]: row for row in rows}  # in the order of receipt
    assert list(by_id) == ["CMP-1", "CMP-9", "CMP-2"]
    assert by_id["CMP-1"]["customer_id"] == by_id["CMP-2"]["customer_id"] == HASHER.pseudonym("C-1")
    assert by_id["CMP-9"]["customer_id"] is None
    assert by_id["CMP-1"]["root_cause"] == "carrier_delay"
    assert by_id["CMP-1"]["remedy_offered"] == "credit"
    shown = str(rows.to_records()) + rows._repr_html_()
    for secret in (WORDS, OPEN_WORDS, STAFF, "C-1"):
        assert secret not in shown
    assert "description" not in rows.columns
    assert "receipt" not in rows.columns


def test_the_pseudonymised_export_names_its_choices(store: Store) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        pseudonymised_export(store, hasher=HASHER, records="complaint")
    assert "complaints" in str(error.value)
