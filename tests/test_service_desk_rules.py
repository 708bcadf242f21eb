"""The desk's rules: escalation over the SLA clock, the consent check of outbound contacts,
and the abandonment counts of both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    ConsentGiven,
    ContactPoint,
    Customer,
    InMemoryStore,
    InteractionQuery,
    InvalidTransitionError,
    KeyedHasher,
    NoticeServed,
    RuleSet,
    ServiceInteraction,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    ValidationError,
    check_escalations,
    escalation_facts,
    from_json,
    opt_out,
    receive_complaint,
    record_interaction,
    step,
)
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.strategies import interactions

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
POLICY = SlaPolicy(
    id="standard",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=2)),
        SlaTarget("resolution", business_time=timedelta(hours=9)),
    ],
)
RULES = """
{"id": "escalation", "mode": "all", "rules": [
  {"id": "resolution-late", "description": "A late case goes to the store manager.",
   "when": {"kind": "compare", "field": "resolution_state", "op": "eq", "value": "breached"},
   "actions": [{"kind": "escalate", "to": "store_manager"},
               {"kind": "notify", "role": "duty_manager"}], "order": 1},
  {"id": "vip-at-risk", "description": "A VIP case in warning is raised to urgent.",
   "when": {"kind": "all_of", "all_of": [
       {"kind": "compare", "field": "tier", "op": "eq", "value": "vip"},
       {"kind": "compare", "field": "resolution_share_used", "op": "ge", "value": 0.8}]},
   "actions": [{"kind": "set_priority", "level": "urgent"},
               {"kind": "flag", "label": "vip_at_risk"}], "order": 2},
  {"id": "unanswered", "description": "Unacknowledged after its deadline: tell the duty manager.",
   "when": {"kind": "compare", "field": "acknowledgement_state", "op": "eq", "value": "breached"},
   "actions": [{"kind": "notify", "role": "duty_manager"}], "order": 3}
]}
"""
HASHER = KeyedHasher(b"the retailer's secret key, 32 bytes")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=HK)


def _make(kind: str, tmp_path: Path) -> Store:
    return InMemoryStore() if kind == "memory" else SQLiteStore(tmp_path / f"{kind}.db")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made = _make(request.param, tmp_path)
    with made.unit_of_work() as uow:
        uow.customers.add(
            Customer(
                id="C-1",
                name="Chan Tai Man",
                tier="vip",
                contacts=[ContactPoint("mobile_number", "+852 5555 0101")],
                created_at=at(1, 0),
            )
        )
        uow.customers.add(Customer(id="C-2", name="Wong", created_at=at(1, 0)))
        uow.commit()
    yield made
    made.close()


def _cases(store: Store) -> None:
    """CMP-1 VIP, investigating; CMP-2 received, never acknowledged; CMP-3 closed."""
    for complaint_id, customer in (("CMP-1", "C-1"), ("CMP-2", "C-2"), ("CMP-3", None)):
        receive_complaint(
            store,
            id=complaint_id,
            at=at(1, 9),
            channel="hotline",
            store_id="HK-CWB",
            category="billing",
            customer_id=customer,
            description="Mr Chan was charged twice",
            policies=[POLICY],
        )
    for complaint_id in ("CMP-1", "CMP-3"):
        step(store, complaint_id, "acknowledge", at=at(1, 9, 30))
        step(store, complaint_id, "assess", at=at(1, 9, 40), severity=2, priority="normal")
        step(store, complaint_id, "investigate", at=at(1, 9, 50))
    step(store, "CMP-3", "respond", at=at(1, 10), remedy="refund")
    step(store, "CMP-3", "accept", at=at(1, 10, 5))
    step(store, "CMP-3", "close", at=at(1, 10, 10), root_cause="till", corrective_action="fix")


# ---------------------------------------------------------------- escalation


def test_escalation_rules_from_json_explain_each_case(store: Store) -> None:
    _cases(store)
    rules = from_json(RULES, RuleSet)
    warning = check_escalations(store, rules, now=at(1, 17, 30))  # 8.5 of 9 hours used
    assert [(line.complaint_id, line.fired, line.actions) for line in warning] == [
        ("CMP-1", ("vip-at-risk",), ("set_priority:urgent", "flag:vip_at_risk")),
        ("CMP-2", ("unanswered",), ("notify:duty_manager",)),
    ]
    assert warning[0].explanation.startswith("vip-at-risk fired: ")
    assert "resolution_share_used" in warning[0].explanation
    assert all(line.applied == () for line in warning)
    late = check_escalations(store, rules, now=at(2, 10))
    assert [(line.complaint_id, line.fired) for line in late] == [
        ("CMP-1", ("resolution-late", "vip-at-risk")),
        ("CMP-2", ("resolution-late", "unanswered")),
    ]
    for line in late.to_records():
        assert "Chan" not in repr(line)


def test_applying_records_escalations_where_the_state_allows_once(store: Store) -> None:
    _cases(store)
    rules = from_json(RULES, RuleSet)
    dry = check_escalations(store, rules, now=at(2, 10))
    with store.unit_of_work(read_only=True) as uow:
        assert [c.version for c in uow.complaints.query()] == [4, 1, 7]  # a dry run changes none
    applied = check_escalations(store, rules, now=at(2, 10), apply=True, by="rules")
    assert [(line.complaint_id, line.state.value, line.applied) for line in applied] == [
        ("CMP-1", "investigating", ("escalate:store_manager",)),
        ("CMP-2", "received", ()),  # a received complaint cannot be escalated yet
    ]
    assert [line.actions for line in applied] == [line.actions for line in dry]
    with store.unit_of_work(read_only=True) as uow:
        case = uow.complaints.get("CMP-1")
    assert (case.state.value, case.escalated_to, case.escalations[0].by) == (
        "escalated",
        "store_manager",
        "rules",
    )
    assert case.priority is not None
    assert case.priority.value == "normal"  # set_priority is reported, never applied
    step(store, "CMP-1", "investigate", at=at(2, 11))
    again = check_escalations(store, rules, now=at(2, 12), apply=True)
    assert again[0].complaint_id == "CMP-1"
    assert again[0].applied == ()  # escalated there before: not again
    with store.unit_of_work(read_only=True) as uow:
        assert uow.complaints.get("CMP-1").state.value == "investigating"


def test_a_case_with_an_event_after_now_is_left_out(store: Store) -> None:
    _cases(store)
    rules = from_json(RULES, RuleSet)
    step(store, "CMP-1", "wait_on_customer", at=at(3, 9), reason="receipt")
    before = check_escalations(store, rules, now=at(2, 10), apply=True)
    assert [line.complaint_id for line in before] == ["CMP-2"]  # CMP-1 stood otherwise then
    with store.unit_of_work(read_only=True) as uow:
        assert uow.complaints.get("CMP-1").version == 5
    assert check_escalations(store, rules, now=at(1, 8)) == []  # nothing received yet


def test_escalation_facts_hold_the_sla_standing_and_no_personal_data() -> None:
    complaint = Complaint.receive(
        id="CMP-1",
        at=at(1, 9),
        channel="email",
        store_id="HK-1",
        category="billing",
        customer_id="C-1",
        description="Mr Chan was charged twice",
        sla_policy=POLICY,
    ).acknowledge(at=at(1, 10))
    facts = escalation_facts(complaint, now=at(1, 13), tier="gold")
    assert facts["tier"] == "gold"
    assert facts["acknowledgement_state"] == "met"
    assert facts["resolution_state"] == "on_track"
    assert facts["resolution_share_used"] == pytest.approx(4 / 9)
    assert facts["resolution_deadline"] == at(1, 18)
    assert facts["business_hours_open"] == 4.0
    assert facts["received_at"] == at(1, 9)
    assert (facts["state"], facts["escalated"], facts["escalated_to"]) == (
        "acknowledged",
        False,
        None,
    )
    assert "customer_id" not in facts
    assert "Chan" not in repr(facts)
    waiting = (
        complaint.assess(at=at(1, 10), severity=1, priority="low")
        .investigate(at=at(1, 10))
        .wait_on_customer(at=at(1, 11), reason="photo")
    )
    paused = escalation_facts(waiting, now=at(2, 15))
    assert paused["business_hours_open"] == 2.0  # the clock stood still while waiting
    bare = escalation_facts(
        Complaint.receive(id="X", at=at(1, 9), channel="fax", store_id="S", category="c"),
        now=at(1, 10),
    )
    assert (bare["resolution_state"], bare["business_hours_open"]) == (None, None)
    with pytest.raises(ValidationError) as error:
        escalation_facts(complaint, now=at(1, 9, 30))  # before the acknowledgement
    assert [p.path for p in error.value.problems] == ["$.now"]
    with pytest.raises(ValidationError) as error:
        escalation_facts("CMP-1", now=datetime(2026, 12, 1))  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.complaint", "$.now"]


def test_escalation_over_the_repeated_hour_counts_instants() -> None:
    london = BusinessCalendar(timezone="Europe/London", hours={"sun": [("00:00", "24:00")]})
    policy = SlaPolicy(
        id="night",
        calendar=london,
        targets=[SlaTarget("resolution", business_time=timedelta(hours=2))],
    )
    received = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)  # BST
    complaint = Complaint.receive(
        id="N", at=received, channel="online", store_id="WEB", category="c", sla_policy=policy
    )
    repeated = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # GMT: 2 hours later
    facts = escalation_facts(complaint, now=repeated)
    assert facts["business_hours_open"] == 2.0
    assert facts["resolution_deadline"] == repeated


def test_escalation_arguments_are_checked(store: Store) -> None:
    with pytest.raises(ValidationError) as error:
        check_escalations(
            store,
            "rules",  # type: ignore[arg-type]
            now=datetime(2026, 12, 1),
            query="open",  # type: ignore[arg-type]
            apply="yes",  # type: ignore[arg-type]
            by=" ",
        )
    assert [p.path for p in error.value.problems] == [
        "$.rules",
        "$.now",
        "$.query",
        "$.apply",
        "$.by",
    ]


# ---------------------------------------------------------------- outbound contacts


def _contact(contact_id: str = "I-1", **changes: Any) -> ServiceInteraction:
    fields: dict[str, Any] = {
        "id": contact_id,
        "store_id": "HK-CWB",
        "channel": "hotline",
        "direction": "outbound",
        "customer_id": "C-1",
        "occurred_at": at(5, 11),
        "notes": "Mr Chan asked about the toy sale",
    }
    fields.update(changes)
    return ServiceInteraction(**fields)


def _consent(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.consent.append_many(
            [
                NoticeServed(
                    event_id="E-1",
                    customer_id="C-1",
                    at=at(2, 10),
                    evidence="form:F-1",
                    notice_version="2026-01",
                    data_kinds=["mobile_number"],
                    marketing_classes=["toys"],
                ),
                ConsentGiven(
                    event_id="E-2",
                    customer_id="C-1",
                    at=at(2, 10),
                    evidence="form:F-1",
                    method="written",
                    scope="own_marketing",
                    data_kinds=["mobile_number"],
                    marketing_classes=["toys"],
                    notice_version="2026-01",
                    explicit=True,
                ),
            ]
        )
        uow.commit()


def _count(store: Store) -> int:
    with store.unit_of_work(read_only=True) as uow:
        return uow.interactions.count()


def test_contacts_that_are_not_marketing_are_stored_unchecked(store: Store) -> None:
    assert record_interaction(store, _contact(kind="follow_up")) is None
    walk_in = _contact("I-2", channel="meeting", direction="inbound", customer_id=None)
    assert record_interaction(store, walk_in) is None
    assert _count(store) == 2


def test_a_marketing_call_without_consent_is_refused_with_reasons(store: Store) -> None:
    with pytest.raises(InvalidTransitionError) as error:
        record_interaction(store, _contact(), marketing_class="toys", hasher=HASHER)
    message = str(error.value)
    assert message.startswith("the contact 'I-1' is refused")
    assert "s.35C" in message
    assert "No direct-marketing notice" in message
    assert "Chan" not in message
    assert "5555" not in message
    assert _count(store) == 0


def test_a_marketing_call_with_consent_is_stored_with_its_obligations(store: Store) -> None:
    _consent(store)
    decision = record_interaction(store, _contact(), marketing_class="toys", hasher=HASHER)
    assert decision is not None
    assert decision.allowed
    assert decision.obligations  # the opt-out statement on the first use
    with pytest.raises(InvalidTransitionError):  # consent covers toys, not cosmetics
        record_interaction(store, _contact("I-2"), marketing_class="cosmetics", hasher=HASHER)
    with pytest.raises(InvalidTransitionError):  # email was never consented to
        record_interaction(
            store, _contact("I-3", channel="email"), marketing_class="toys", hasher=HASHER
        )
    sms = record_interaction(
        store,
        _contact("I-4", channel="online"),
        marketing_class="toys",
        marketing_channel="sms",
        hasher=HASHER,
    )
    assert sms is not None
    assert sms.allowed
    opt_out(
        store, customer_id="C-1", event_id="E-3", at=at(6, 9), evidence="sms:STOP", hasher=HASHER
    )
    with pytest.raises(InvalidTransitionError):
        record_interaction(
            store, _contact("I-5", occurred_at=at(6, 10)), marketing_class="toys", hasher=HASHER
        )
    with store.unit_of_work(read_only=True) as uow:
        assert [i.id for i in uow.interactions.query(InteractionQuery(customer_id="C-1"))] == [
            "I-1",
            "I-4",
        ]


def test_outbound_contact_arguments_are_checked(store: Store) -> None:
    with pytest.raises(ValidationError) as error:
        record_interaction(
            store,
            _contact(channel="meeting", direction="inbound"),
            marketing_class=" toys",
        )
    assert [p.path for p in error.value.problems] == [
        "$.marketing_class",
        "$.hasher",
        "$.marketing_channel",
        "$.marketing_class",
    ]
    with pytest.raises(ValidationError) as error:
        record_interaction(
            store,
            "I-1",  # type: ignore[arg-type]
            marketing_class="toys",
            marketing_channel="pigeon",
            hasher="key",  # type: ignore[arg-type]
            law="ccpa",
        )
    assert [p.path for p in error.value.problems] == [
        "$.interaction",
        "$.hasher",
        "$.law",
        "$.marketing_channel",
    ]
    with pytest.raises(ValidationError) as error:
        record_interaction(store, _contact(), marketing_channel="sms")
    assert [p.path for p in error.value.problems] == ["$.marketing_channel"]
    assert _count(store) == 0


# ---------------------------------------------------------------- abandonment


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        interactions(ids=st.sampled_from([f"I-{n}" for n in range(30)])),
        max_size=30,
        unique_by=lambda contact: contact.id,
    ),
    st.lists(st.sampled_from(["period", "store", "channel"]), unique=True),
)
def test_abandonment_counts_agree_with_a_plain_count_on_both_stores(
    tmp_path: Path, records: list[ServiceInteraction], group_by: list[Any]
) -> None:
    summaries = []
    for kind in ("memory", "sqlite"):
        store = _make(kind, tmp_path)
        try:
            with store.unit_of_work() as uow:
                uow.interactions.add_many(records)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                summaries.append(uow.interactions.summarize(group_by=group_by))
                uow.interactions.query()
        finally:
            store.close()
        (tmp_path / f"{kind}.db").unlink(missing_ok=True)
    assert summaries[0] == summaries[1]
    calls = [r for r in records if r.channel.value == "hotline" and r.direction.value == "inbound"]
    short = [
        r
        for r in calls
        if r.abandoned and r.queue_time is not None and r.queue_time < timedelta(seconds=5)
    ]
    assert sum(row.short_abandoned for row in summaries[0]) == len(short)
    assert sum(row.offered for row in summaries[0]) == len(calls) - len(short)
    assert sum(row.abandoned for row in summaries[0]) == sum(1 for r in calls if r.abandoned) - len(
        short
    )
    for row in summaries[0]:
        assert row.abandoned <= row.offered
        rate = row.abandonment_rate
        assert (rate is None) == (row.offered == 0)
        assert rate is None or 0 <= rate <= 1
