"""The complaint desk in one line: receiving, stepping, what falls due, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    COMPLAINT_STEPS,
    BusinessCalendar,
    Complaint,
    ComplaintAcknowledged,
    ComplaintQuery,
    ComplaintReceived,
    ConflictError,
    Customer,
    InMemoryStore,
    InvalidTransitionError,
    NotFoundError,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    ValidationError,
    about_to_breach,
    advance_complaint,
    breached,
    receive_complaint,
    step,
)
from retail_service_quality.rules import Rule, RuleSet, eq, exists, select_policy
from retail_service_quality.storage.ports import Store

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
STANDARD = SlaPolicy(
    id="standard",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=4)),
        SlaTarget("resolution", working_days=5),
    ],
)
VIP = SlaPolicy(
    id="vip",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=1)),
        SlaTarget("resolution", business_time=timedelta(hours=9)),
    ],
)
CHOOSE = RuleSet(
    id="sla",
    mode="first",
    rules=[
        Rule(
            id="vip",
            description="VIP customers and repeat complaints get the VIP policy.",
            when=eq("tier", "vip") | eq("repeat", True),
            actions=[select_policy("vip")],
            order=1,
        ),
        Rule(
            id="everyone",
            description="Everyone else gets the standard policy.",
            when=exists("channel"),
            actions=[select_policy("standard")],
            order=2,
        ),
    ],
)
SECRET = "the kettle leaked on Ms Chan's floor"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=HK)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = InMemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "d.db")
    with made.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name="Chan", tier="vip", created_at=at(1, 0)))
        uow.customers.add(Customer(id="C-2", name="Wong", created_at=at(1, 0)))
        uow.commit()
    yield made
    made.close()


def receive(store: Store, complaint_id: str, when: datetime, **changes: Any) -> Complaint:
    fields: dict[str, Any] = {
        "id": complaint_id,
        "at": when,
        "channel": "online",
        "store_id": "HK-CWB",
        "category": "faulty_item",
        "description": SECRET,
        "rules": CHOOSE,
        "policies": [STANDARD, VIP],
    }
    fields.update(changes)
    return receive_complaint(store, **fields)


def stored(store: Store, complaint_id: str) -> Complaint:
    with store.unit_of_work(read_only=True) as uow:
        return uow.complaints.get(complaint_id)


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


# ---------------------------------------------------------------- receiving


def test_receiving_chooses_the_policy_by_the_stored_customers_tier(store: Store) -> None:
    vip = receive(store, "CMP-1", at(1, 10), customer_id="C-1")
    plain = receive(store, "CMP-2", at(1, 11, 30), customer_id="C-2")
    anonymous = receive(store, "CMP-3", at(1, 17))
    assert (vip.sla_policy_id, plain.sla_policy_id, anonymous.sla_policy_id) == (
        "vip",
        "standard",
        "standard",
    )
    assert vip.due_at("resolution") == at(2, 10)
    assert plain.due_at("acknowledgement") == at(1, 15, 30)
    assert plain.due_at("resolution") == at(8, 18)
    assert anonymous.due_at("acknowledgement") == at(2, 12)
    assert stored(store, "CMP-1") == vip
    assert stored(store, "CMP-1").sla_policy == VIP


def test_the_policy_kept_on_the_case_does_not_move_when_the_policy_is_edited(
    store: Store,
) -> None:
    receive(store, "CMP-1", at(1, 10), customer_id="C-1")
    slower = attrs.evolve(
        VIP, version=2, targets=[SlaTarget("resolution", business_time=timedelta(hours=27))]
    )
    later = receive(store, "CMP-2", at(1, 10), customer_id="C-1", policies=[STANDARD, slower])
    case = stored(store, "CMP-1")
    assert (case.sla_policy.version, case.due_at("resolution")) == (1, at(2, 10))  # type: ignore[union-attr]
    assert (later.sla_policy.version, later.due_at("resolution")) == (2, at(4, 10))  # type: ignore[union-attr]


def test_one_policy_needs_no_rules_and_several_do(store: Store) -> None:
    one = receive(store, "CMP-1", at(1, 10), rules=None, policies=[STANDARD])
    none = receive(store, "CMP-2", at(1, 10), rules=None, policies=[])
    assert (one.sla_policy_id, none.sla_policy_id) == ("standard", None)
    with pytest.raises(ValidationError) as error:
        receive(store, "CMP-3", at(1, 10), rules=None)
    assert paths(error) == ["$.rules"]
    picky = RuleSet(id="sla", rules=[CHOOSE.rules[0]])
    assert receive(store, "CMP-4", at(1, 10), rules=picky).sla_policy is None


def test_a_repeat_is_linked_and_can_choose_the_policy(store: Store) -> None:
    receive(store, "CMP-1", at(1, 10), customer_id="C-2", category="late_delivery")
    receive(store, "CMP-2", at(2, 10), customer_id="C-2", category="billing")
    again = receive(store, "CMP-3", at(3, 10), customer_id="C-2", category="late_delivery")
    other = receive(store, "CMP-4", at(3, 11), customer_id="C-1", category="billing")
    assert (again.repeat_of, again.sla_policy_id) == ("CMP-1", "vip")
    assert other.repeat_of is None  # another customer's billing complaint is no repeat
    short = receive(
        store,
        "CMP-5",
        at(9, 10),
        customer_id="C-2",
        category="billing",
        repeat_window=timedelta(days=2),
    )
    assert (short.repeat_of, short.sla_policy_id) == (None, "standard")


def test_duplicates_and_unknown_customers_store_nothing(store: Store) -> None:
    receive(store, "CMP-1", at(1, 10))
    with pytest.raises(ConflictError):
        receive(store, "CMP-1", at(1, 11))
    with pytest.raises(NotFoundError):
        receive(store, "CMP-2", at(1, 11), customer_id="C-404")
    with store.unit_of_work(read_only=True) as uow:
        assert [c.id for c in uow.complaints.query()] == ["CMP-1"]


def test_bad_input_is_reported_in_one_round_without_the_words(store: Store) -> None:
    with pytest.raises(ValidationError) as error:
        receive_complaint(
            store,
            id="",
            at=datetime(2026, 12, 1, 10),
            channel="pigeon",
            store_id=5,  # type: ignore[arg-type]
            category=" billing",
            description=SECRET,
            remedy_requested="money",
            by="",
            rules="vip",  # type: ignore[arg-type]
            policies=[STANDARD, "fast"],  # type: ignore[list-item]
            repeat_window=timedelta(days=-1),
        )
    assert sorted(paths(error)) == sorted(
        [
            "$.at",
            "$.by",
            "$.id",
            "$.channel",
            "$.store_id",
            "$.category",
            "$.remedy_requested",
            "$.rules",
            "$.policies[1]",
            "$.repeat_window",
        ]
    )
    assert "Chan" not in str(error.value)
    with pytest.raises(ValidationError) as error:
        receive_complaint(
            object(),  # type: ignore[arg-type]
            id="CMP-1",
            at=at(1, 10),
            channel="email",
            store_id="S",
            category="c",
        )
    assert paths(error) == ["$.target"]


@pytest.mark.parametrize(
    ("moment", "path_code"),
    [
        (datetime(2026, 3, 29, 1, 30, tzinfo=LONDON), "nonexistent_time"),  # skipped hour
        (datetime(2026, 12, 1, 10), "naive_datetime"),
        (datetime.max.replace(tzinfo=UTC), "range"),
    ],
)
def test_instants_that_are_not_instants_are_refused(
    store: Store, moment: datetime, path_code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        receive(store, "CMP-1", moment)
    assert [(p.path, p.code) for p in error.value.problems] == [("$.at", path_code)]


def test_received_in_the_repeated_hour_the_second_pass_is_the_later(store: Store) -> None:
    first = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # BST
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # GMT, 45 minutes later
    receive(store, "CMP-1", first, customer_id="C-2", category="billing")
    again = receive(store, "CMP-2", second, customer_id="C-2", category="billing")
    assert again.repeat_of == "CMP-1"
    with store.unit_of_work(read_only=True) as uow:
        assert [c.id for c in uow.complaints.query(ComplaintQuery(customer_id="C-2"))] == [
            "CMP-1",
            "CMP-2",
        ]


def test_inside_an_open_unit_the_caller_commits(store: Store) -> None:
    with store.unit_of_work() as uow:
        receive(uow, "CMP-1", at(1, 10))  # type: ignore[arg-type]
        step(uow, "CMP-1", "acknowledge", at=at(1, 11))
    with store.unit_of_work(read_only=True) as uow:
        assert uow.complaints.count() == 0  # rolled back: never committed
    with store.unit_of_work() as uow:
        receive(uow, "CMP-1", at(1, 10))  # type: ignore[arg-type]
        uow.commit()
    assert stored(store, "CMP-1").state.value == "received"


# ---------------------------------------------------------------- stepping


def test_a_whole_case_by_step_names(store: Store) -> None:
    receive(store, "CMP-1", at(1, 10), customer_id="C-2")
    steps: list[tuple[str, dict[str, Any]]] = [
        ("acknowledge", {"by": "staff-17"}),
        ("assess", {"severity": 2, "priority": "high", "category": "kettle"}),
        ("investigate", {}),
        ("wait_on_customer", {"reason": "receipt"}),
        ("record_reply", {}),
        ("respond", {"remedy": "repair", "amount_cents": 0}),
        ("decline", {}),
        ("escalate", {"to": "store_manager"}),
        ("respond", {"remedy": "exchange"}),
        ("accept", {}),
        ("close", {"root_cause": "seal", "corrective_action": "supplier_changed"}),
        ("reopen", {"reason": "leaks_again"}),
    ]
    for hour, (name, details) in enumerate(steps, start=11):
        complaint = step(store, "CMP-1", name, at=at(2, hour % 24), **details)
    assert complaint.version == len(steps) + 1
    assert complaint.state.value == "investigating"
    assert complaint.category == "kettle"
    assert complaint.remedy_offered is not None
    assert complaint.remedy_offered.value == "exchange"
    assert stored(store, "CMP-1") == complaint
    assert set(COMPLAINT_STEPS) == {
        "acknowledge",
        "assess",
        "investigate",
        "wait_on_customer",
        "record_reply",
        "respond",
        "accept",
        "decline",
        "escalate",
        "close",
        "reopen",
    }


def test_an_illegal_step_names_state_and_step_and_changes_nothing(store: Store) -> None:
    receive(store, "CMP-1", at(1, 10))
    with pytest.raises(InvalidTransitionError, match="cannot close a complaint that is received"):
        step(store, "CMP-1", "close", at=at(1, 11), root_cause="a", corrective_action="b")
    assert stored(store, "CMP-1").version == 1


def test_bad_steps_and_details_are_reported_with_paths(store: Store) -> None:
    receive(store, "CMP-1", at(1, 10))
    with pytest.raises(ValidationError) as error:
        step(store, "CMP-1", "asses", at=at(1, 11))
    assert paths(error) == ["$.step"]
    assert "acknowledge, assess" in str(error.value)
    with pytest.raises(ValidationError) as error:
        step(store, 7, 7, at="soon")  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.complaint_id", "type"),
        ("$.step", "type"),
        ("$.at", "type"),
    ]
    with pytest.raises(ValidationError) as error:
        step(store, "CMP-1", "assess", at=at(1, 11), priority="asap", colour="red")
    assert sorted(paths(error)) == ["$.details.colour", "$.priority", "$.severity"]
    with pytest.raises(ValidationError) as error:
        step(store, "CMP-1", "acknowledge", at=at(1, 9))  # before the receipt
    assert paths(error) == ["$.at"]
    with pytest.raises(NotFoundError):
        step(store, "CMP-404", "acknowledge", at=at(1, 11))


def test_a_step_on_a_version_the_user_did_not_see_is_a_conflict(store: Store) -> None:
    receive(store, "CMP-1", at(1, 10))
    step(store, "CMP-1", "acknowledge", at=at(1, 11), expected_version=1)
    with pytest.raises(ConflictError):
        step(store, "CMP-1", "assess", at=at(1, 12), severity=1, priority="low", expected_version=1)
    with pytest.raises(ValidationError) as error:
        step(store, "CMP-1", "assess", at=at(1, 12), expected_version=0, severity=1, priority="low")
    assert paths(error) == ["$.expected_version"]
    assert stored(store, "CMP-1").version == 2


def test_advance_takes_a_typed_event(store: Store) -> None:
    receive(store, "CMP-1", at(1, 10))
    moved = advance_complaint(store, "CMP-1", ComplaintAcknowledged(at=at(1, 11)))
    assert (moved.state.value, moved.version) == ("acknowledged", 2)
    receipt = ComplaintReceived(
        at=at(1, 12), reference="CMP-1", channel="fax", store_id="S", category="c"
    )
    for wrong in (receipt, "acknowledged"):
        with pytest.raises(ValidationError) as error:
            advance_complaint(store, "CMP-1", wrong)  # type: ignore[arg-type]
        assert paths(error) == ["$.event"]


# ---------------------------------------------------------------- what falls due


def _board(store: Store) -> None:
    """Three complaints: one VIP (acknowledged, investigating), two standard."""
    receive(store, "CMP-101", at(1, 10), customer_id="C-1", channel="meeting")
    receive(store, "CMP-102", at(1, 11, 30), customer_id="C-2", store_id="WEB")
    receive(store, "CMP-103", at(1, 17), store_id="HK-TST", channel="fax")
    step(store, "CMP-101", "acknowledge", at=at(1, 10, 20))
    step(store, "CMP-101", "assess", at=at(1, 10, 30), severity=3, priority="high")
    step(store, "CMP-101", "investigate", at=at(1, 10, 45))


def test_about_to_breach_lists_what_falls_due_soonest_first(store: Store) -> None:
    _board(store)
    soon = about_to_breach(store, now=at(1, 15), within=timedelta(hours=1), kind="acknowledgement")
    assert [(r.complaint_id, r.remaining, r.sla_state.value) for r in soon] == [
        ("CMP-102", timedelta(minutes=30), "warning")
    ]
    day = about_to_breach(store, now=at(1, 15), within=timedelta(days=2), kind="acknowledgement")
    assert [r.complaint_id for r in day] == ["CMP-102"]  # CMP-103 is not received until 17:00
    evening = about_to_breach(
        store, now=at(1, 17, 30), within=timedelta(days=1), kind="acknowledgement"
    )
    assert [(r.complaint_id, r.remaining) for r in evening] == [
        ("CMP-103", timedelta(hours=3, minutes=30))
    ]
    exactly = about_to_breach(
        store, now=at(1, 15, 30), within=timedelta(minutes=1), kind="acknowledgement"
    )
    assert [(r.complaint_id, r.late_by) for r in exactly] == [("CMP-102", None)]
    resolution = about_to_breach(store, now=at(1, 12), within=timedelta(days=1))
    assert [(r.complaint_id, r.deadline, r.priority) for r in resolution] == [
        ("CMP-101", at(2, 10), "high")
    ]


def test_breached_lists_how_late_in_business_time(store: Store) -> None:
    _board(store)
    late = breached(store, now=at(2, 14), kind="acknowledgement")
    assert [(r.complaint_id, r.deadline, r.late_by, r.share_used) for r in late] == [
        ("CMP-102", at(1, 15, 30), timedelta(hours=7, minutes=30), 2.875),
        ("CMP-103", at(2, 12), timedelta(hours=2), 1.5),
    ]
    resolution = breached(store, now=at(2, 14))
    assert [(r.complaint_id, r.late_by, r.state.value) for r in resolution] == [
        ("CMP-101", timedelta(hours=4), "investigating")
    ]
    by_store = breached(
        store, now=at(2, 14), kind="acknowledgement", query=ComplaintQuery(store_id="WEB")
    )
    assert [r.complaint_id for r in by_store] == ["CMP-102"]
    assert breached(store, now=at(1, 9)) == []  # nothing received yet
    # As things stood before CMP-101 was acknowledged: left out, not read with later events.
    early = about_to_breach(
        store, now=at(1, 10, 10), within=timedelta(hours=1), kind="acknowledgement"
    )
    assert early == []


def test_a_pause_stops_the_listing_unless_the_case_was_late_already(store: Store) -> None:
    _board(store)
    step(store, "CMP-101", "wait_on_customer", at=at(1, 11), reason="photo")
    mine = ComplaintQuery(store_id="HK-CWB")
    assert breached(store, now=at(3, 10), query=mine) == []
    assert about_to_breach(store, now=at(1, 12), within=timedelta(days=30), query=mine) == []
    step(store, "CMP-101", "record_reply", at=at(2, 11))  # 24 hours, 9 business hours paused
    assert [r.deadline for r in breached(store, now=at(3, 14), query=mine)] == [at(3, 10)]
    step(store, "CMP-101", "wait_on_customer", at=at(3, 15), reason="visit")
    assert [(r.complaint_id, r.state.value) for r in breached(store, now=at(4, 9), query=mine)] == [
        ("CMP-101", "waiting_on_customer")
    ]


def test_rows_carry_no_personal_data(store: Store) -> None:
    _board(store)
    rows = breached(store, now=at(2, 14), kind="acknowledgement")
    assert rows
    for record in rows.to_records():
        assert "customer_id" not in record
        assert SECRET not in repr(record)
    assert SECRET not in repr(list(rows))


def test_deadlines_across_daylight_saving_and_in_half_hour_zones(tmp_path: Path) -> None:
    london = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London")
    kolkata = BusinessCalendar.weekdays("09:30", "18:00", timezone="Asia/Kolkata")
    adelaide = BusinessCalendar.weekdays("09:00", "17:00", timezone="Australia/Adelaide")
    four_hours = [SlaTarget("resolution", business_time=timedelta(hours=4))]
    for store in (InMemoryStore(), SQLiteStore(tmp_path / "zones.db")):
        for complaint_id, calendar, received in [
            ("UK", london, datetime(2026, 10, 23, 15, 0, tzinfo=LONDON)),  # Fri, BST
            ("IN", kolkata, datetime(2026, 12, 1, 16, 30, tzinfo=KOLKATA)),
            ("AU", adelaide, datetime(2026, 10, 2, 15, 0, tzinfo=ADELAIDE)),  # DST from 4 Oct
        ]:
            policy = SlaPolicy(id=complaint_id, calendar=calendar, targets=four_hours)
            receive_complaint(
                store,
                id=complaint_id,
                at=received,
                channel="email",
                store_id=complaint_id,
                category="billing",
                policies=[policy],
            )
        repeated = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # Sunday, GMT pass
        assert about_to_breach(store, now=repeated, within=timedelta(days=1)) == []
        uk = about_to_breach(store, now=repeated, within=timedelta(days=2))
        assert [(r.complaint_id, r.deadline) for r in uk] == [
            ("UK", datetime(2026, 10, 26, 11, 0, tzinfo=LONDON))  # 2 h Friday, 2 h Monday (GMT)
        ]
        assert uk[0].deadline.utcoffset() == timedelta(0)
        india = breached(
            store,
            now=datetime(2026, 12, 2, 12, 30, tzinfo=KOLKATA),
            query=ComplaintQuery(store_id="IN"),
        )
        assert [(r.complaint_id, r.deadline, r.late_by) for r in india] == [
            ("IN", datetime(2026, 12, 2, 12, 0, tzinfo=KOLKATA), timedelta(minutes=30))
        ]  # 1.5 h on Tuesday from 16:30, 2.5 h on Wednesday from 09:30
        australia = breached(
            store,
            now=datetime(2026, 10, 5, 12, 0, tzinfo=ADELAIDE),
            query=ComplaintQuery(store_id="AU"),
        )
        assert [(r.complaint_id, r.deadline, r.late_by) for r in australia] == [
            ("AU", datetime(2026, 10, 5, 11, 0, tzinfo=ADELAIDE), timedelta(hours=1))
        ]  # 2 h on Friday (ACST), 2 h on Monday (ACDT, after the change on Sunday)
        assert australia[0].deadline.utcoffset() == timedelta(hours=10, minutes=30)
        store.close()


def test_due_arguments_are_checked(store: Store) -> None:
    with pytest.raises(ValidationError) as error:
        about_to_breach(
            store,
            now=datetime(2026, 12, 1),
            within=timedelta(0),
            kind="closing",
            query="open",  # type: ignore[arg-type]
        )
    assert paths(error) == ["$.now", "$.kind", "$.query", "$.within"]
    for within in (timedelta(hours=-1), 3600, True):
        with pytest.raises(ValidationError) as error:
            about_to_breach(store, now=at(1, 10), within=within)  # type: ignore[arg-type]
        assert paths(error) == ["$.within"]
    end = datetime(9999, 12, 30, 23, tzinfo=UTC)
    with pytest.raises(ValidationError) as error:
        about_to_breach(store, now=end, within=timedelta(hours=2))
    assert [(p.path, p.code) for p in error.value.problems] == [("$.within", "range")]
    with pytest.raises(ValidationError) as error:
        about_to_breach(store, now=end, within=timedelta.max)
    assert paths(error) == ["$.within"]
    assert about_to_breach(store, now=end, within=timedelta(minutes=30)) == []
    start = datetime(1, 1, 2, tzinfo=UTC)
    assert breached(store, now=start) == []
    with pytest.raises(ValidationError) as error:
        breached(store, now=at(1, 10), kind=5)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [("$.kind", "type")]


def test_utc_offsets_compare_as_instants(store: Store) -> None:
    _board(store)
    now = at(2, 14).astimezone(timezone(timedelta(hours=-3, minutes=-30)))
    assert [r.complaint_id for r in breached(store, now=now, kind="acknowledgement")] == [
        "CMP-102",
        "CMP-103",
    ]


# ---------------------------------------------------------------- both stores agree

_DETAILS: dict[str, dict[str, Any]] = {
    "acknowledge": {},
    "assess": {"severity": 2, "priority": "high"},
    "investigate": {},
    "wait_on_customer": {"reason": "receipt"},
    "record_reply": {},
    "respond": {"remedy": "refund", "amount_cents": 1_500},
    "accept": {},
    "decline": {},
    "escalate": {"to": "store_manager"},
    "close": {"root_cause": "till", "corrective_action": "till_fixed"},
    "reopen": {"reason": "again"},
}


def _outcome(action: Any) -> Any:
    try:
        return ("ok", action())
    except (ValidationError, InvalidTransitionError, ConflictError, NotFoundError) as error:
        return ("error", type(error).__name__)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.sampled_from(sorted(_DETAILS)), st.integers(0, 26 * 60)), max_size=12),
    st.integers(0, 40 * 60),
)
def test_random_steps_give_the_same_answers_on_both_stores(
    tmp_path: Path, steps: list[tuple[str, int]], later: int
) -> None:
    stores: list[Store] = [InMemoryStore(), SQLiteStore(tmp_path / "agree.db")]
    try:
        outcomes = []
        for made in stores:
            seen = [
                _outcome(
                    lambda made=made: receive(made, "CMP-1", at(1, 10), rules=None, policies=[VIP])
                )
            ]
            moment = at(1, 10)
            for name, minutes in steps:
                moment += timedelta(minutes=minutes)
                seen.append(
                    _outcome(
                        lambda made=made, name=name, moment=moment: step(
                            made, "CMP-1", name, at=moment, **_DETAILS[name]
                        )
                    )
                )
            now = moment + timedelta(minutes=later)
            seen.append(breached(made, now=now))
            seen.append(breached(made, now=now, kind="acknowledgement"))
            seen.append(about_to_breach(made, now=now, within=timedelta(hours=9)))
            seen.append(stored(made, "CMP-1"))
            outcomes.append(seen)
        assert outcomes[0] == outcomes[1]
        final = outcomes[0][-1]
        for line in outcomes[0][-4]:  # what is breached agrees with the case's own clock
            assert final.sla("resolution", now=now).state.value == "breached"
            assert line.late_by == final.sla("resolution", now=now).late_by
    finally:
        for made in stores:
            made.close()
        (tmp_path / "agree.db").unlink(missing_ok=True)
