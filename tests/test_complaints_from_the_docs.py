"""Complaints, SLA clocks and the complaint desk, checked against what the guides promise.

Every expectation here is taken from the documentation (the complaints, SLA, complaint desk,
analysis and storage guides, and the docstrings of ``retail_service_quality.service``), and
each runs on both stores.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    COMPLAINT_STEPS,
    COMPLAINT_TRANSITIONS,
    BusinessCalendar,
    Complaint,
    ComplaintQuery,
    ComplaintState,
    ConflictError,
    Customer,
    InMemoryStore,
    InsufficientDataError,
    InvalidTransitionError,
    KeyedHasher,
    NotFoundError,
    RSQError,
    ServiceInteraction,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    ValidationError,
    about_to_breach,
    breached,
    cause_pareto,
    check_escalations,
    complaint_counts,
    escalation_facts,
    find_repeat,
    receive_complaint,
    record_interaction,
    remedy_match,
    remedy_table,
    repeat_rate,
    resolution_times,
    sla_status,
    step,
)
from retail_service_quality.rules import (
    Rule,
    RuleSet,
    eq,
    escalate,
    exists,
    select_policy,
)
from retail_service_quality.service.sla import complaint_facts, select_sla_policy
from retail_service_quality.storage.ports import Store

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")

#: Monday to Friday, 09:00 to 18:00 in Hong Kong, no holidays.
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
#: The same hours, closed on Hong Kong's statutory holidays.
HK_DESK = BusinessCalendar(
    "Asia/Hong_Kong", {day: [("09:00", "18:00")] for day in WEEKDAYS}, holiday_country="HK"
)
NINE_HOURS = SlaPolicy(
    id="nine",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=4)),
        SlaTarget("resolution", business_time=timedelta(hours=9)),
    ],
)

DESCRIPTION = "Ms Chan Tai Man's kettle leaked on her floor, call 9123 4567"
NAME = "Chan Tai Man"


def hk(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HK)


def monday(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    """Monday 30 November 2026 in Hong Kong, ``days`` later."""
    return datetime(2026, 11, 30, hour, minute, tzinfo=HK) + timedelta(days=days)


def make_store(kind: str, folder: Path | None = None) -> Store:
    if kind == "memory":
        return InMemoryStore()
    return SQLiteStore(":memory:" if folder is None else folder / "complaints.db")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made = make_store(request.param, tmp_path)
    with made.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name=NAME, tier="vip", created_at=monday(0)))
        uow.customers.add(Customer(id="C-2", name="Wong Siu Ming", created_at=monday(0)))
        uow.commit()
    yield made
    made.close()


def take(store: Any, complaint_id: str, when: datetime, **changes: Any) -> Complaint:
    """Receive a complaint on a store or in an open unit of work."""
    fields: dict[str, Any] = {
        "id": complaint_id,
        "at": when,
        "channel": "email",
        "store_id": "HK-CWB",
        "category": "faulty_item",
        "description": DESCRIPTION,
        "policies": [NINE_HOURS],
    }
    fields.update(changes)
    return receive_complaint(store, **fields)


def kept(store: Store, complaint_id: str) -> Complaint:
    with store.unit_of_work(read_only=True) as uow:
        return uow.complaints.get(complaint_id)


def due_ids(store: Store, kind: str, **bounds: Any) -> list[str]:
    with store.unit_of_work(read_only=True) as uow:
        return [complaint.id for complaint in uow.complaints.due(kind, **bounds)]


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


def to_investigating(store: Any, complaint_id: str, when: datetime) -> Complaint:
    step(store, complaint_id, "acknowledge", at=when)
    step(store, complaint_id, "assess", at=when, severity=2, priority="normal")
    return step(store, complaint_id, "investigate", at=when)


# ------------------------------------------------------------------ the process


def test_the_transition_table_matches_the_steps_and_every_state_can_be_left() -> None:
    states = set(COMPLAINT_TRANSITIONS)
    for state, moves in COMPLAINT_TRANSITIONS.items():
        assert moves, f"{state} is a dead end"
        assert set(moves.values()) <= states
    assert len(COMPLAINT_STEPS) == 11


def test_a_complaint_escalated_before_any_offer_cannot_close(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    step(store, "CMP-1", "acknowledge", at=monday(9))
    step(store, "CMP-1", "assess", at=monday(9), severity=4, priority="urgent")
    step(store, "CMP-1", "escalate", at=monday(10), to="store_manager")
    with pytest.raises(InvalidTransitionError) as error:
        step(store, "CMP-1", "close", at=monday(11), root_cause="x", corrective_action="y")
    assert "escalated" in str(error.value)
    assert DESCRIPTION not in str(error.value)
    case = kept(store, "CMP-1")
    assert (case.state.value, case.version, case.root_cause) == ("escalated", 4, None)
    # once the person it went to responds, it may close
    step(store, "CMP-1", "respond", at=monday(12), remedy="repair")
    step(store, "CMP-1", "accept", at=monday(13))
    closed = step(store, "CMP-1", "close", at=monday(14), root_cause="seal", corrective_action="qc")
    assert closed.state.value == "closed"
    assert closed.remedy_offered is not None
    assert closed.remedy_offered.value == "repair"


def test_closing_needs_both_a_root_cause_and_a_corrective_action(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    step(store, "CMP-1", "respond", at=monday(10), remedy="refund", amount_cents=100)
    step(store, "CMP-1", "accept", at=monday(11))
    with pytest.raises(ValidationError) as missing:
        step(store, "CMP-1", "close", at=monday(12))
    found = paths(missing)
    assert any(path.endswith("root_cause") for path in found), found
    assert any(path.endswith("corrective_action") for path in found), found
    with pytest.raises(ValidationError) as blank:
        kept(store, "CMP-1").close(at=monday(12), root_cause="", corrective_action="  ")
    assert sorted(paths(blank)) == ["$.corrective_action", "$.root_cause"]
    assert kept(store, "CMP-1").state.value == "accepted"


def test_a_wait_ends_only_with_the_customers_reply(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    step(store, "CMP-1", "wait_on_customer", at=monday(10), reason="receipt")
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("respond", {"remedy": "refund"}),
        ("close", {"root_cause": "a", "corrective_action": "b"}),
        ("escalate", {"to": "manager"}),
        ("investigate", {}),
    ]
    for name, details in attempts:
        with pytest.raises(InvalidTransitionError) as error:
            step(store, "CMP-1", name, at=monday(11), **details)
        assert "waiting_on_customer" in str(error.value) or "waiting on" in str(error.value)
        assert name in str(error.value)
    assert kept(store, "CMP-1").pauses() == ((monday(10), None),)


def test_an_event_before_the_last_one_is_refused_and_an_equal_instant_is_not(
    store: Store,
) -> None:
    take(store, "CMP-1", monday(9))
    step(store, "CMP-1", "acknowledge", at=monday(9))  # the same instant: allowed
    with pytest.raises(ValidationError) as error:
        step(store, "CMP-1", "assess", at=monday(8, 59), severity=1, priority="low")
    assert paths(error) == ["$.at"]
    assert kept(store, "CMP-1").version == 2


def test_instants_in_other_zones_compare_as_instants(store: Store) -> None:
    take(store, "CMP-1", monday(9))  # 01:00 UTC
    # 06:00 in Kolkata (UTC+05:30) reads later than 09:00 nowhere, but is 00:30 UTC: earlier
    with pytest.raises(ValidationError):
        step(store, "CMP-1", "acknowledge", at=datetime(2026, 11, 30, 6, tzinfo=KOLKATA))
    later = step(store, "CMP-1", "acknowledge", at=datetime(2026, 11, 30, 6, 31, tzinfo=KOLKATA))
    assert later.acknowledged_at == datetime(2026, 11, 30, 1, 1, tzinfo=UTC)


def test_londons_repeated_hour_orders_by_instant_and_its_skipped_hour_is_refused(
    store: Store,
) -> None:
    first_pass = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # BST
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # GMT, later
    received = Complaint.receive(
        id="CMP-1", at=first_pass, channel="email", store_id="HK-CWB", category="faulty_item"
    )
    acknowledged = received.acknowledge(at=second_pass)
    assert acknowledged.acknowledged_at == second_pass
    with store.unit_of_work() as uow:  # without a policy, there is no clock to compute
        uow.complaints.add(acknowledged)
        uow.commit()
    stored_at = kept(store, "CMP-1").acknowledged_at
    assert stored_at is not None
    assert stored_at.utcoffset() == timedelta(0)

    take(store, "CMP-2", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON))
    with pytest.raises(ValidationError) as error:
        step(store, "CMP-2", "acknowledge", at=datetime(2026, 10, 25, 1, 45, tzinfo=LONDON))
    assert paths(error) == ["$.at"]

    with pytest.raises(ValidationError) as skipped:
        take(store, "CMP-3", datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert paths(skipped) == ["$.at"]
    with store.unit_of_work(read_only=True) as uow:
        assert uow.complaints.count() == 2


@pytest.mark.parametrize("read", ["now", "done_at"])
def test_an_sla_clock_read_in_the_second_pass_of_the_repeated_hour(read: str) -> None:
    first_pass = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # 00:45 UTC
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # 01:30 UTC
    if read == "now":
        status = sla_status(NINE_HOURS, "resolution", started_at=first_pass, now=second_pass)
        assert status.state.value == "on_track"
    else:
        status = sla_status(
            NINE_HOURS,
            "resolution",
            started_at=first_pass,
            done_at=second_pass,
            now=datetime(2026, 10, 26, tzinfo=UTC),
        )
        assert status.state.value == "met"


def test_a_step_in_the_second_pass_of_the_repeated_hour_is_saved_on_sqlite() -> None:
    first_pass = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    received = Complaint.receive(
        id="CMP-1",
        at=first_pass,
        channel="email",
        store_id="HK-CWB",
        category="faulty_item",
        sla_policy=NINE_HOURS,
    )
    shop = SQLiteStore(":memory:")
    with shop.unit_of_work() as uow:
        uow.complaints.add(received)
        uow.commit()
    try:
        assert step(shop, "CMP-1", "acknowledge", at=second_pass).version == 2
    finally:
        shop.close()


NIGHT = BusinessCalendar("Europe/London", {"sun": [("00:00", "04:00")]})


def test_a_deadline_in_the_second_pass_of_a_case_received_in_the_first(store: Store) -> None:
    policy = SlaPolicy(
        id="night",
        calendar=NIGHT,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(minutes=30))],
    )
    first_pass = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # 00:45 UTC
    case = take(store, "CMP-1", first_pass, policies=[policy])
    due = case.due_at("acknowledgement")
    # Compared as instants: Python never calls a time in a repeated hour equal to another zone's.
    assert due is not None
    assert due.timestamp() == datetime(2026, 10, 25, 1, 15, tzinfo=UTC).timestamp()
    lines = about_to_breach(
        store, now=first_pass, within=timedelta(hours=1), kind="acknowledgement"
    )
    assert [line.complaint_id for line in lines] == ["CMP-1"]


def test_the_desk_asked_in_the_second_pass_about_a_case_received_in_the_first(
    store: Store,
) -> None:
    policy = SlaPolicy(
        id="night",
        calendar=NIGHT,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))],
    )
    take(store, "CMP-1", datetime(2026, 10, 25, 1, 45, tzinfo=LONDON), policies=[policy])
    now = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)  # 01:20 UTC
    lines = about_to_breach(store, now=now, within=timedelta(hours=2), kind="acknowledgement")
    assert [(line.complaint_id, line.remaining) for line in lines] == [
        ("CMP-1", timedelta(hours=1, minutes=25))
    ]


def test_a_reopened_case_keeps_the_last_root_cause_and_its_deadline_follows_its_history(
    store: Store,
) -> None:
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    step(store, "CMP-1", "respond", at=monday(10), remedy="exchange")
    step(store, "CMP-1", "accept", at=monday(11))
    closed = step(store, "CMP-1", "close", at=monday(12), root_cause="seal", corrective_action="qc")
    assert closed.due_at("resolution") is None
    assert closed.resolution_time() == timedelta(hours=3)
    # closed from Monday 12:00 to Tuesday 12:00: 6 + 3 = 9 business hours of standing still
    reopened = step(store, "CMP-1", "reopen", at=monday(12, days=1), reason="leaks_again")
    assert (reopened.state.value, reopened.closed_at, reopened.root_cause) == (
        "investigating",
        None,
        "seal",
    )
    assert reopened.due_at("resolution") == monday(18, days=1)
    status = reopened.sla("resolution", now=monday(13, days=1))
    assert (status.used, status.state.value) == (timedelta(hours=4), "on_track")
    assert due_ids(store, "resolution", before=monday(18, 1, days=1)) == ["CMP-1"]
    assert breached(store, now=monday(17, days=1)).to_records() == []
    step(store, "CMP-1", "respond", at=monday(14, days=1), remedy="refund")
    step(store, "CMP-1", "accept", at=monday(15, days=1))
    again = step(
        store, "CMP-1", "close", at=monday(15, days=1), root_cause="valve", corrective_action="x"
    )
    assert (again.root_cause, again.resolution_time()) == ("valve", timedelta(hours=6))
    assert again.sla("resolution", now=monday(16, days=1)).state.value == "met"


def test_waiting_on_the_customer_stops_the_clock_and_the_reply_restarts_it(
    store: Store,
) -> None:
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    waiting = step(store, "CMP-1", "wait_on_customer", at=monday(10), reason="photo")
    assert waiting.due_at("resolution") is None
    for later in (monday(17), monday(17, days=1), monday(17, days=4)):
        assert waiting.sla("resolution", now=later).used == timedelta(hours=1)
        assert about_to_breach(store, now=later, within=timedelta(days=30)).to_records() == []
        assert breached(store, now=later).to_records() == []
    assert due_ids(store, "resolution") == []
    replied = step(store, "CMP-1", "record_reply", at=monday(9, days=2))
    assert replied.due_at("resolution") == monday(17, days=2)  # 8 hours left, from Wednesday
    assert due_ids(store, "resolution") == ["CMP-1"]


def test_a_case_already_late_when_it_begins_to_wait_stays_late(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    step(store, "CMP-1", "wait_on_customer", at=monday(10, days=1), reason="photo")
    case = kept(store, "CMP-1")
    assert case.due_at("resolution") == monday(18)
    lines = breached(store, now=monday(12, days=1))
    assert [(line.complaint_id, line.late_by) for line in lines] == [("CMP-1", timedelta(hours=1))]
    assert case.sla("resolution", now=monday(12, days=1)).state.value == "breached"


def test_a_policy_edited_after_receipt_moves_no_deadline(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    edited = attrs.evolve(
        NINE_HOURS,
        version=2,
        targets=[SlaTarget("resolution", business_time=timedelta(hours=18))],
        calendar=BusinessCalendar.weekdays("10:00", "12:00", timezone="Asia/Hong_Kong"),
    )
    take(store, "CMP-2", monday(9), policies=[edited])
    step(store, "CMP-1", "acknowledge", at=monday(10))  # saved again under the old policy
    first, second = kept(store, "CMP-1"), kept(store, "CMP-2")
    assert first.sla_policy is not None
    assert second.sla_policy is not None
    assert (first.sla_policy.version, first.due_at("resolution")) == (1, monday(18))
    assert first.sla_policy.calendar == DESK
    assert second.sla_policy.version == 2
    assert second.due_at("resolution") == monday(12, days=10)
    assert due_ids(store, "resolution") == ["CMP-1", "CMP-2"]


def test_a_deadline_at_the_closing_minute_is_that_day_and_not_the_next_morning(
    store: Store,
) -> None:
    case = take(store, "CMP-1", monday(14))
    assert case.due_at("acknowledgement") == monday(18)
    at_deadline = about_to_breach(
        store, now=monday(18), within=timedelta(minutes=1), kind="acknowledgement"
    )
    assert [line.complaint_id for line in at_deadline] == ["CMP-1"]
    assert breached(store, now=monday(18), kind="acknowledgement").to_records() == []
    assert case.sla("acknowledgement", now=monday(18)).state.value != "breached"
    # received at the closing minute: the clock starts at the next opening
    assert take(store, "CMP-2", monday(18)).due_at("acknowledgement") == monday(13, days=1)
    # received at the opening minute: the whole morning counts
    assert take(store, "CMP-3", monday(9, days=1)).due_at("acknowledgement") == monday(13, days=1)


def test_past_the_deadline_after_hours_is_breached_everywhere_at_once(store: Store) -> None:
    case = take(store, "CMP-1", monday(14))
    evening = monday(20)  # two hours after the deadline, no business time since
    lines = breached(store, now=evening, kind="acknowledgement")
    status = case.sla("acknowledgement", now=evening)
    listed = [line.complaint_id for line in lines]
    assert (listed == ["CMP-1"]) == (status.state.value == "breached")
    soon = about_to_breach(store, now=evening, within=timedelta(hours=1), kind="acknowledgement")
    assert [line.complaint_id for line in soon] == []


def test_hong_kong_statutory_holidays_are_skipped(store: Store) -> None:
    policy = SlaPolicy(
        id="hk",
        calendar=HK_DESK,
        targets=[
            SlaTarget("acknowledgement", business_time=timedelta(hours=8)),
            SlaTarget("resolution", working_days=5),
        ],
    )
    # National Day, Thursday 1 October 2026
    national = take(store, "CMP-1", hk(9, 30, 17), policies=[policy])
    assert national.due_at("acknowledgement") == hk(10, 2, 16)
    assert national.due_at("resolution") == hk(10, 8, 18)
    # Chung Yeung falls on Sunday 18 October 2026: Monday 19 is the holiday
    chung_yeung = take(store, "CMP-2", hk(10, 16, 17), policies=[policy])
    assert chung_yeung.due_at("acknowledgement") == hk(10, 20, 16)
    # Christmas Day, then New Year's Day
    christmas = take(store, "CMP-3", hk(12, 24, 17, 30), policies=[policy])
    assert christmas.due_at("acknowledgement") == hk(12, 28, 16, 30)
    assert christmas.due_at("resolution") == hk(1, 4, 18, year=2027)
    for complaint_id, deadline in (("CMP-1", hk(10, 8, 18)), ("CMP-3", hk(1, 4, 18, year=2027))):
        assert kept(store, complaint_id).due_at("resolution") == deadline
    assert due_ids(store, "resolution") == ["CMP-1", "CMP-2", "CMP-3"]


def test_general_holidays_count_on_a_calendar_that_asks_for_them(store: Store) -> None:
    bank = BusinessCalendar(
        "Asia/Hong_Kong",
        {day: [("09:00", "17:00")] for day in WEEKDAYS},
        holiday_country="HK",
        holiday_categories=["optional"],
    )
    policy = SlaPolicy(id="bank", calendar=bank, targets=[SlaTarget("resolution", working_days=2)])
    # Good Friday 26 March 2027 and Easter Monday 29 March 2027 are general holidays
    case = take(store, "CMP-1", hk(3, 25, 10, year=2027), policies=[policy])
    assert case.due_at("resolution") == hk(3, 31, 17, year=2027)
    assert kept(store, "CMP-1").due_at("resolution") == hk(3, 31, 17, year=2027)


def test_a_london_night_desk_across_both_changes_of_the_clocks(store: Store) -> None:
    night = BusinessCalendar("Europe/London", {"sun": [("00:00", "04:00")]})
    policy = SlaPolicy(
        id="night",
        calendar=night,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=4))],
    )
    # 25 October: 00:00 BST to 04:00 GMT is five real hours, four elapse by 03:00 GMT
    autumn = take(store, "CMP-1", datetime(2026, 10, 25, tzinfo=LONDON), policies=[policy])
    assert autumn.due_at("acknowledgement") == datetime(2026, 10, 25, 3, tzinfo=UTC)
    # 29 March: only three real hours, the fourth is the next Sunday's first
    spring = take(store, "CMP-2", datetime(2026, 3, 29, tzinfo=LONDON), policies=[policy])
    assert spring.due_at("acknowledgement") == datetime(2026, 4, 5, 1, tzinfo=LONDON)
    # received in the second pass of 01:30: 2.5 real hours to 04:00 GMT, then 1.5 a week on
    repeated = take(
        store, "CMP-3", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON), policies=[policy]
    )
    assert repeated.due_at("acknowledgement") == datetime(2026, 11, 1, 1, 30, tzinfo=LONDON)
    status = repeated.sla(
        "acknowledgement", now=datetime(2026, 10, 25, 1, 45, fold=1, tzinfo=LONDON)
    )
    assert status.used == timedelta(minutes=15)
    # the first pass of 01:45 is earlier than the case: refused
    with pytest.raises(ValidationError):
        repeated.sla("acknowledgement", now=datetime(2026, 10, 25, 1, 45, tzinfo=LONDON))
    lines = breached(store, now=datetime(2026, 10, 25, 3, 30, tzinfo=UTC), kind="acknowledgement")
    late = {line.complaint_id: line.late_by for line in lines}
    assert late["CMP-1"] == timedelta(minutes=30)
    assert "CMP-3" not in late


def test_a_london_weekday_desk_across_the_autumn_weekend(store: Store) -> None:
    office = BusinessCalendar.weekdays("09:00", "17:00", timezone="Europe/London")
    policy = SlaPolicy(
        id="office",
        calendar=office,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))],
    )
    case = take(store, "CMP-1", datetime(2026, 10, 23, 16, tzinfo=LONDON), policies=[policy])
    assert case.due_at("acknowledgement") == datetime(2026, 10, 26, 10, tzinfo=UTC)
    lines = about_to_breach(
        store,
        now=datetime(2026, 10, 26, 9, 30, tzinfo=UTC),
        within=timedelta(hours=1),
        kind="acknowledgement",
    )
    assert [(line.complaint_id, line.remaining) for line in lines] == [
        ("CMP-1", timedelta(minutes=30))
    ]


def test_half_hour_zones_kolkata_and_adelaide_across_its_spring_change(store: Store) -> None:
    kolkata = SlaPolicy(
        id="in",
        calendar=BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Kolkata"),
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=1))],
    )
    # 03:00 UTC is 08:30 in Kolkata: the clock starts at 09:00 IST
    early = take(store, "CMP-1", datetime(2026, 11, 30, 3, tzinfo=UTC), policies=[kolkata])
    assert early.due_at("acknowledgement") == datetime(2026, 11, 30, 4, 30, tzinfo=UTC)
    adelaide = SlaPolicy(
        id="au",
        calendar=BusinessCalendar.weekdays("09:00", "18:00", timezone="Australia/Adelaide"),
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))],
    )
    # Friday 2 October 17:00 ACST (+09:30); the clocks go forward on Sunday 4 October
    friday = datetime(2026, 10, 2, 17, tzinfo=ADELAIDE)
    case = take(store, "CMP-2", friday, policies=[adelaide])
    deadline = case.due_at("acknowledgement")
    assert deadline == datetime(2026, 10, 4, 23, 30, tzinfo=UTC)
    assert deadline is not None
    assert deadline.utcoffset() == timedelta(hours=10, minutes=30)
    lines = breached(store, now=datetime(2026, 10, 5, 0, 30, tzinfo=UTC), kind="acknowledgement")
    # CMP-1 was received after that instant: it is left out
    assert [(line.complaint_id, line.late_by) for line in lines] == [("CMP-2", timedelta(hours=1))]


def test_a_special_short_day_on_the_cases_calendar_is_kept(store: Store) -> None:
    eve = BusinessCalendar(
        "Asia/Hong_Kong",
        {day: [("09:00", "18:00")] for day in WEEKDAYS},
        special_hours={date(2026, 12, 24): [("09:00", "12:00")]},
    )
    policy = SlaPolicy(
        id="eve",
        calendar=eve,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=4))],
    )
    take(store, "CMP-1", hk(12, 24, 10), policies=[policy])
    assert kept(store, "CMP-1").due_at("acknowledgement") == hk(12, 25, 11)


# ------------------------------------------------------------------ repeats and policies


def test_a_repeat_is_linked_within_the_window_and_only_then(store: Store) -> None:
    first = take(store, "CMP-1", monday(9), customer_id="C-2")
    assert first.repeat_of is None
    # exactly thirty days later (the default window): "received no more than repeat_window before"
    exactly = take(store, "CMP-2", monday(9, days=30), customer_id="C-2")
    assert exactly.repeat_of == "CMP-1"
    # the most recent earlier complaint is the one linked
    third = take(store, "CMP-3", monday(10, days=30), customer_id="C-2")
    assert third.repeat_of == "CMP-2"
    other_category = take(
        store, "CMP-4", monday(11, days=30), customer_id="C-2", category="billing"
    )
    other_customer = take(store, "CMP-5", monday(11, days=30), customer_id="C-1")
    anonymous = take(store, "CMP-6", monday(12, days=30))
    assert (other_category.repeat_of, other_customer.repeat_of, anonymous.repeat_of) == (
        None,
        None,
        None,
    )
    just_after = take(
        store,
        "CMP-7",
        monday(11, days=60) + timedelta(seconds=1),
        customer_id="C-2",
        category="billing",
    )
    assert just_after.repeat_of is None  # CMP-4 was 30 days and a second before
    shorter = take(
        store, "CMP-8", monday(9, days=31), customer_id="C-2", repeat_window=timedelta(hours=1)
    )
    assert shorter.repeat_of is None


def test_find_repeat_measures_the_window_in_elapsed_time_across_the_clock_change() -> None:
    def received(complaint_id: str, when: datetime) -> Complaint:
        return Complaint.receive(
            id=complaint_id,
            at=when,
            channel="online",
            store_id="WEB",
            category="late_delivery",
            customer_id="C-1",
        )

    earlier = received("CMP-1", datetime(2026, 10, 1, 12, tzinfo=LONDON))  # 11:00 UTC
    window = timedelta(days=30)
    # 29 days 23.5 hours by the wall clock, 30 days and 30 minutes elapsed
    late = received("CMP-2", datetime(2026, 10, 31, 11, 30, tzinfo=LONDON))
    assert find_repeat(late, [earlier], window=window) is None
    # 29 days 23.5 hours elapsed
    inside = received("CMP-3", datetime(2026, 10, 31, 10, 30, tzinfo=LONDON))
    found = find_repeat(inside, [earlier], window=window)
    assert found is not None
    assert found.id == "CMP-1"
    # a complaint received later than the new one is not what it repeats
    assert find_repeat(earlier, [inside], window=window) is None


def test_the_policy_is_chosen_by_rule_order_and_the_stored_tier(store: Store) -> None:
    vip = attrs.evolve(NINE_HOURS, id="vip")
    plain = attrs.evolve(NINE_HOURS, id="plain")
    rules = RuleSet(
        id="sla",
        mode="all",
        rules=[
            Rule(
                id="everyone",
                description="Everyone gets the plain policy.",
                when=exists("channel"),
                actions=[select_policy("plain")],
                order=2,
            ),
            Rule(
                id="vip",
                description="VIPs get the VIP policy.",
                when=eq("tier", "vip"),
                actions=[select_policy("vip")],
                order=1,
            ),
        ],
    )
    chosen = take(store, "CMP-1", monday(9), customer_id="C-1", rules=rules, policies=[plain, vip])
    other = take(store, "CMP-2", monday(9), customer_id="C-2", rules=rules, policies=[plain, vip])
    assert (chosen.sla_policy_id, other.sla_policy_id) == ("vip", "plain")
    facts = complaint_facts(chosen, tier="vip")
    selection = select_sla_policy(rules, [plain, vip], facts, at=monday(9))
    assert selection.policy is not None
    assert selection.policy.id == "vip"
    assert selection.verdict.fired == ("vip", "everyone")
    assert "C-1" not in str(facts)
    assert DESCRIPTION not in str(facts)


def test_rules_that_select_nothing_leave_the_case_without_a_clock(store: Store) -> None:
    never = RuleSet(
        id="sla",
        mode="first",
        rules=[
            Rule(
                id="fax-only",
                description="Faxes get the nine-hour policy.",
                when=eq("channel", "fax"),
                actions=[select_policy("nine")],
                order=1,
            )
        ],
    )
    case = take(store, "CMP-1", monday(9), rules=never, policies=[NINE_HOURS])
    assert case.sla_policy is None
    assert case.due_at("resolution") is None
    with pytest.raises(ValidationError) as error:
        case.sla("resolution", now=monday(10))
    assert paths(error) == ["$.sla_policy"]
    assert due_ids(store, "resolution") == []
    assert breached(store, now=monday(9, days=30)).to_records() == []


# ------------------------------------------------------------------ escalations


def test_escalation_rules_escalate_once_and_only_where_the_state_allows(store: Store) -> None:
    rules = RuleSet(
        id="escalation",
        mode="all",
        rules=[
            Rule(
                id="late",
                description="A late case goes to the store manager.",
                when=eq("resolution_state", "breached"),
                actions=[escalate("store_manager")],
                order=1,
            )
        ],
    )
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    take(store, "CMP-2", monday(9))  # still received: no escalate step from there
    late = monday(10, days=1)
    first = check_escalations(store, rules, now=late, apply=True, by="rules")
    assert [(line.complaint_id, line.applied) for line in first] == [
        ("CMP-1", ("escalate:store_manager",)),
        ("CMP-2", ()),
    ]
    again = check_escalations(store, rules, now=late + timedelta(hours=1), apply=True)
    assert all(line.applied == () for line in again)
    case = kept(store, "CMP-1")
    assert (case.state.value, case.escalated_to, len(case.escalations)) == (
        "escalated",
        "store_manager",
        1,
    )
    assert kept(store, "CMP-2").version == 1
    for line in first:
        assert DESCRIPTION not in str(line.to_records())
        assert "C-1" not in line.explanation


# ------------------------------------------------------------------ atomicity


def snapshot(store: Store) -> tuple[Any, ...]:
    with store.unit_of_work(read_only=True) as uow:
        complaints = list(uow.complaints.query())
        return (
            complaints,
            [c.id for c in uow.complaints.due("acknowledgement")],
            [c.id for c in uow.complaints.due("resolution")],
            uow.complaints.count(),
        )


class BoomError(Exception):
    pass


def test_a_unit_of_work_left_without_commit_or_by_an_error_leaves_no_trace(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    before = snapshot(store)
    with store.unit_of_work() as uow:
        take(uow, "CMP-2", monday(9))
        step(uow, "CMP-1", "acknowledge", at=monday(10))
    assert snapshot(store) == before

    def work_then_fail() -> None:
        with store.unit_of_work() as uow:
            to_investigating(uow, "CMP-1", monday(10))
            take(uow, "CMP-3", monday(11))
            raise BoomError

    with pytest.raises(BoomError):
        work_then_fail()
    assert snapshot(store) == before
    rules = RuleSet(
        id="e",
        rules=[
            Rule(
                id="all",
                description="Escalate everything.",
                when=exists("channel"),
                actions=[escalate("manager")],
            )
        ],
    )
    with store.unit_of_work() as uow:
        step(uow, "CMP-1", "acknowledge", at=monday(10))
        step(uow, "CMP-1", "assess", at=monday(10), severity=1, priority="low")
        lines = check_escalations(uow, rules, now=monday(11), apply=True)
        assert lines[0].applied == ("escalate:manager",)
    assert snapshot(store) == before


def test_duplicates_and_unknown_customers_store_nothing(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    before = snapshot(store)
    with pytest.raises(ConflictError) as conflict:
        take(store, "CMP-1", monday(10), description="another " + DESCRIPTION)
    with pytest.raises(NotFoundError) as missing:
        take(store, "CMP-2", monday(10), customer_id="C-404")
    assert snapshot(store) == before
    for error in (conflict.value, missing.value):
        assert DESCRIPTION not in str(error)
    with pytest.raises(NotFoundError):
        step(store, "CMP-404", "acknowledge", at=monday(10))
    with pytest.raises(ConflictError):
        step(store, "CMP-1", "acknowledge", at=monday(10), expected_version=2)
    assert snapshot(store) == before


# ------------------------------------------------------------------ bad input


def test_everything_wrong_on_receipt_is_reported_in_one_round_without_values(
    store: Store,
) -> None:
    marker = "Chan-Tai-Man-9123"
    with pytest.raises(ValidationError) as error:
        receive_complaint(
            store,
            id="",
            at=datetime(2026, 11, 30, 9),
            channel=marker,
            store_id=3,  # type: ignore[arg-type]
            category=None,  # type: ignore[arg-type]
            customer_id=5,  # type: ignore[arg-type]
            description=7,  # type: ignore[arg-type]
            remedy_requested=marker,
            by=" " + marker,
            repeat_window=timedelta(days=-1),
        )
    found = set(paths(error))
    expected = {
        "$.id",
        "$.at",
        "$.channel",
        "$.store_id",
        "$.category",
        "$.customer_id",
        "$.description",
        "$.remedy_requested",
        "$.by",
        "$.repeat_window",
    }
    assert expected <= found, expected - found
    assert marker not in str(error.value)
    assert snapshot(store)[3] == 0


def test_a_bad_step_is_reported_in_one_round(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    with pytest.raises(ValidationError) as error:
        step(
            store,
            "CMP-1",
            "respond",
            at=datetime(2026, 11, 30, 10),
            remedy="a-pony-for-Chan",
            amount_cents="lots",
            colour="red",
        )
    found = paths(error)
    assert "$.at" in found
    assert any(path.endswith("remedy") for path in found), found
    assert any(path.endswith("amount_cents") for path in found), found
    assert any(path.endswith("colour") for path in found), found
    assert "a-pony-for-Chan" not in str(error.value)
    with pytest.raises(ValidationError) as unknown:
        step(store, "CMP-1", "refund", at=monday(10))
    assert paths(unknown) == ["$.step"]
    assert kept(store, "CMP-1").version == 4


def test_desk_lists_check_every_argument_in_one_round(store: Store) -> None:
    with pytest.raises(ValidationError) as soon:
        about_to_breach(
            store,
            now=datetime(2026, 11, 30, 9),
            within="an hour",  # type: ignore[arg-type]
            kind="reply",
            query="HK",  # type: ignore[arg-type]
        )
    assert {"$.now", "$.within", "$.kind", "$.query"} <= set(paths(soon))
    with pytest.raises(ValidationError) as late:
        breached(store, now="now", kind=3)  # type: ignore[arg-type]
    assert {"$.now", "$.kind"} <= set(paths(late))
    with pytest.raises(ValidationError) as query:
        ComplaintQuery(
            start=datetime(2026, 11, 30),
            channel="pigeon",
            state="lost",
            open="yes",  # type: ignore[arg-type]
        )
    assert {"$.start", "$.channel", "$.state", "$.open"} <= set(paths(query))


def test_sla_status_reports_every_problem_in_one_round() -> None:
    with pytest.raises(ValidationError) as error:
        sla_status(
            NINE_HOURS,
            "reply",
            started_at=datetime(2026, 11, 30, 9),
            now=float("nan"),  # type: ignore[arg-type]
            done_at="soon",  # type: ignore[arg-type]
            pauses=[(monday(10), "later")],  # type: ignore[list-item]
        )
    found = set(paths(error))
    assert {"$.kind", "$.started_at", "$.now", "$.done_at"} <= found, found
    assert any(path.startswith("$.pauses") for path in found), found


def test_analysis_arguments_are_checked(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    checks: list[tuple[Callable[[], object], str]] = [
        (lambda: complaint_counts(store, by="colour"), "$.by"),  # type: ignore[arg-type]
        (lambda: cause_pareto(store, threshold=float("nan")), "$.threshold"),
        (lambda: cause_pareto(store, threshold=2.0), "$.threshold"),
        (lambda: repeat_rate(store, confidence=1.5), "$.confidence"),
        (lambda: remedy_match(store, confidence=float("inf")), "$.confidence"),
        (lambda: resolution_times(store, "all"), "$.query"),  # type: ignore[arg-type]
    ]
    for call, path in checks:
        with pytest.raises(ValidationError) as error:
            call()
        assert paths(error) == [path]


NASTY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None), max_size=8),
    st.sampled_from(["\ud800", "", " ", "x" * 10_000, "email", "refund", "\x00"]),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.sampled_from(
        [
            datetime.max.replace(tzinfo=UTC),
            datetime.min.replace(tzinfo=UTC),
            datetime(9998, 12, 31, 23, tzinfo=UTC),
            datetime(2, 1, 1, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 30, tzinfo=LONDON),
        ]
    ),
    st.timedeltas(),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
)
RECEIPT_FIELDS = (
    "id",
    "at",
    "channel",
    "store_id",
    "category",
    "customer_id",
    "description",
    "remedy_requested",
    "by",
    "repeat_window",
    "policies",
    "rules",
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.dictionaries(st.sampled_from(RECEIPT_FIELDS), NASTY, min_size=1, max_size=4))
def test_any_receipt_either_is_stored_or_raises_only_a_library_error(
    changes: dict[str, Any],
) -> None:
    shop = InMemoryStore()
    fields: dict[str, Any] = {
        "id": "CMP-1",
        "at": monday(9),
        "channel": "email",
        "store_id": "HK-CWB",
        "category": "billing",
    }
    fields.update(changes)
    try:
        case = receive_complaint(shop, **fields)
    except RSQError:
        with shop.unit_of_work(read_only=True) as uow:
            assert uow.complaints.count() == 0
        return
    assert kept(shop, case.id) == case


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(COMPLAINT_STEPS)),
    when=NASTY,
    details=st.dictionaries(
        st.sampled_from(
            ["severity", "priority", "remedy", "amount_cents", "to", "reason", "by", "root_cause"]
        ),
        NASTY,
        max_size=3,
    ),
    now=NASTY,
    within=NASTY,
)
def test_any_step_or_listing_raises_only_library_errors(
    name: str, when: Any, details: dict[str, Any], now: Any, within: Any
) -> None:
    shop = InMemoryStore()
    take(shop, "CMP-1", monday(9))
    to_investigating(shop, "CMP-1", monday(9))
    before = kept(shop, "CMP-1")
    try:
        step(shop, "CMP-1", name, at=when, **details)
    except RSQError:
        assert kept(shop, "CMP-1") == before
    calls: list[Callable[[], object]] = [
        lambda: about_to_breach(shop, now=now, within=within),
        lambda: breached(shop, now=now, kind="acknowledgement"),
        lambda: kept(shop, "CMP-1").sla("resolution", now=now),
        lambda: kept(shop, "CMP-1").as_of(now),
        lambda: sla_status(NINE_HOURS, "resolution", started_at=monday(9), now=now),
    ]
    for call in calls:
        with contextlib.suppress(RSQError):
            call()


def test_the_ends_of_the_supported_range_are_refused_or_answered(store: Store) -> None:
    for complaint_id, when in (
        ("CMP-1", datetime(9998, 12, 31, 12, tzinfo=UTC)),
        ("CMP-2", datetime(2, 1, 3, 12, tzinfo=UTC)),
        ("CMP-3", datetime.max.replace(tzinfo=UTC)),
        ("CMP-4", datetime.min.replace(tzinfo=UTC)),
        ("CMP-5", datetime.max.replace(tzinfo=timezone(timedelta(hours=-12)))),
    ):
        try:
            case = take(store, complaint_id, when)
        except ValidationError:
            continue
        assert kept(store, complaint_id) == case
        with contextlib.suppress(RSQError):
            case.sla("resolution", now=when + timedelta(hours=1))
        with contextlib.suppress(RSQError):
            about_to_breach(store, now=when, within=timedelta(hours=1))


# ------------------------------------------------------------------ personal data


def test_no_description_or_customer_name_leaks_anywhere(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    rules = RuleSet(
        id="e",
        rules=[
            Rule(
                id="late",
                description="Late cases go up.",
                when=eq("resolution_state", "breached"),
                actions=[escalate("manager")],
            )
        ],
    )
    take(store, "CMP-1", monday(9), customer_id="C-1", remedy_requested="refund")
    take(store, "CMP-2", monday(9, days=1), customer_id="C-1", remedy_requested="refund")
    to_investigating(store, "CMP-1", monday(9))
    bads: list[Callable[[], object]] = [
        lambda: step(store, "CMP-1", "close", at=monday(10), root_cause="a", corrective_action="b"),
        lambda: step(store, "CMP-1", "respond", at=monday(8), remedy=DESCRIPTION),
        lambda: take(store, "CMP-1", monday(10), description=DESCRIPTION),
        lambda: step(store, "CMP-1", "wait_on_customer", at=monday(10), reason=""),
    ]
    for bad in bads:
        with pytest.raises(RSQError) as error:
            bad()
        texts.append(str(error.value))
        texts.append(repr(error.value))
    step(store, "CMP-1", "respond", at=monday(11), remedy="refund", amount_cents=100)
    step(store, "CMP-1", "accept", at=monday(12))
    step(store, "CMP-1", "close", at=monday(12), root_cause="seal", corrective_action="qc")
    case = kept(store, "CMP-1")
    texts += [
        repr(case),
        str(case),
        str(case.to_records()),
        repr(case.sla("resolution", now=monday(13))),
    ]
    texts.append(str(breached(store, now=monday(9, days=9)).to_records()))
    texts.append(
        str(about_to_breach(store, now=monday(9, days=1), within=timedelta(days=9)).to_records())
    )
    texts.append(
        str(check_escalations(store, rules, now=monday(9, days=9), apply=True).to_records())
    )
    for result in (
        complaint_counts(store),
        complaint_counts(store, by="root_cause"),
        cause_pareto(store),
        remedy_table(store),
        repeat_rate(store),
        remedy_match(store),
        resolution_times(store),
    ):
        texts += [str(result.to_records()), repr(result), result._repr_html_()]
    with store.unit_of_work(read_only=True) as uow:
        rows = uow.complaints.summarize(group_by=["category", "channel", "store", "root_cause"])
        texts.append(str(rows.to_records()))
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        assert DESCRIPTION not in text
        assert NAME not in text
        assert "9123 4567" not in text
    analysis_and_lists = texts[-12:]
    assert not any("'C-1'" in text for text in analysis_and_lists)


def test_a_refused_marketing_contact_is_not_stored_and_echoes_no_feedback(store: Store) -> None:
    call = ServiceInteraction(
        id="I-1",
        store_id="HK-CWB",
        channel="hotline",
        kind="follow_up",
        direction="outbound",
        customer_id="C-1",
        occurred_at=monday(10),
        feedback=DESCRIPTION,
    )
    hasher = KeyedHasher(b"a secret key of thirty-two bytes")
    with pytest.raises(InvalidTransitionError) as refused:
        record_interaction(store, call, marketing_class="toys", hasher=hasher)
    assert DESCRIPTION not in str(refused.value)
    assert NAME not in str(refused.value)
    with pytest.raises(RSQError):
        record_interaction(store, call.evolve(id="I-2"), marketing_class="toys")
    with store.unit_of_work(read_only=True) as uow:
        for interaction_id in ("I-1", "I-2"):
            with pytest.raises(NotFoundError):
                uow.interactions.get(interaction_id)
    inbound = call.evolve(id="I-3", direction="inbound", kind="feedback")
    assert record_interaction(store, inbound) is None
    assert record_interaction(store, call.evolve(id="I-4")) is None  # a service follow-up
    with store.unit_of_work(read_only=True) as uow:
        assert uow.interactions.get("I-3").feedback == DESCRIPTION
        assert uow.interactions.get("I-4").direction.value == "outbound"


# ------------------------------------------------------------------ properties

WORKING_DAYS = SlaPolicy(
    id="days",
    calendar=HK_DESK,
    targets=[SlaTarget("resolution", working_days=2)],
    warning_at=0.5,
)
DETAILS: dict[str, dict[str, Any]] = {
    "acknowledge": {},
    "assess": {"severity": 2, "priority": "high"},
    "investigate": {},
    "wait_on_customer": {"reason": "photo"},
    "record_reply": {},
    "respond": {"remedy": "refund", "amount_cents": 500},
    "accept": {},
    "decline": {},
    "escalate": {"to": "manager"},
    "close": {"root_cause": "seal", "corrective_action": "qc"},
    "reopen": {"reason": "again"},
}
#: The step named by each kind of event in `COMPLAINT_TRANSITIONS`.
STEP_OF_EVENT = {
    "acknowledged": "acknowledge",
    "assessed": "assess",
    "investigation_started": "investigate",
    "waiting_on_customer": "wait_on_customer",
    "customer_replied": "record_reply",
    "responded": "respond",
    "accepted": "accept",
    "declined": "decline",
    "escalated": "escalate",
    "closed": "close",
    "reopened": "reopen",
}
GAPS = st.sampled_from([0, 1, 30, 60 * 3, 60 * 9, 60 * 20, 60 * 24 * 3]) | st.integers(0, 6000)
#: A step is mostly one the state allows (its index among them), sometimes any step at all.
STEPS = st.integers(0, 3) | st.sampled_from(sorted(COMPLAINT_STEPS))
CASES = st.lists(
    st.tuples(
        st.sampled_from([NINE_HOURS, WORKING_DAYS, None]),
        GAPS,
        st.lists(st.tuples(STEPS, GAPS), max_size=12),
    ),
    min_size=1,
    max_size=4,
)


STATES = {state.value for state in COMPLAINT_TRANSITIONS}


def step_name(state: str, choice: int | str) -> str:
    if isinstance(choice, str):
        return choice
    allowed = [STEP_OF_EVENT[kind] for kind in COMPLAINT_TRANSITIONS[ComplaintState(state)]]
    return allowed[choice % len(allowed)]


def outcome(call: Callable[..., Complaint], *args: Any, **kwargs: Any) -> tuple[str, ...]:
    """What a call did: the error's type and message, or the state and version it left."""
    try:
        complaint = call(*args, **kwargs)
    except RSQError as error:
        return (type(error).__name__, str(error))
    return (complaint.state.value, str(complaint.version))


def run_cases(shop: Store, cases: list[Any]) -> tuple[list[tuple[str, ...]], datetime]:
    """Receive each case and try its steps on ``shop``; what happened, and the last instant."""
    outcomes: list[tuple[str, ...]] = []
    last = monday(9)
    for number, (policy, gap, steps) in enumerate(cases):
        when = monday(9) + timedelta(minutes=gap)
        complaint_id = f"CMP-{number}"
        policies = [] if policy is None else [policy]
        outcomes.append(outcome(take, shop, complaint_id, when, policies=policies, description=""))
        state = "received"
        for choice, step_gap in steps:
            when += timedelta(minutes=step_gap)
            name = step_name(state, choice)
            outcomes.append(outcome(step, shop, complaint_id, name, at=when, **DETAILS[name]))
            if outcomes[-1][0] in STATES:
                state = outcomes[-1][0]
        last = max(last, when)
    return outcomes, last


def listings(shop: Store, now: datetime, within: timedelta) -> list[Any]:
    answers: list[Any] = []
    for kind in ("acknowledgement", "resolution"):
        answers.append(breached(shop, now=now, kind=kind).to_records())
        answers.append(about_to_breach(shop, now=now, within=within, kind=kind).to_records())
        with shop.unit_of_work(read_only=True) as uow:
            answers.append([c.id for c in uow.complaints.due(kind)])
            answers.append([c.id for c in uow.complaints.due(kind, before=now)])
    return answers


def assert_lists_agree_with_each_complaint(shop: Store, now: datetime, within: timedelta) -> None:
    with shop.unit_of_work(read_only=True) as uow:
        complaints = list(uow.complaints.query())
    for kind in ("acknowledgement", "resolution"):
        late = {line.complaint_id: line for line in breached(shop, now=now, kind=kind)}
        soon = {
            line.complaint_id: line
            for line in about_to_breach(shop, now=now, within=within, kind=kind)
        }
        with shop.unit_of_work(read_only=True) as uow:
            due = [c.id for c in uow.complaints.due(kind)]
        expected_due = sorted(
            (c for c in complaints if c.due_at(kind) is not None),
            key=lambda c: (c.due_at(kind), c.id),
        )
        assert due == [c.id for c in expected_due]
        for complaint in complaints:
            policy = complaint.sla_policy
            kinds = set() if policy is None else {target.kind.value for target in policy.targets}
            if kind not in kinds or complaint.state.value == "closed":
                assert complaint.id not in late
                assert complaint.id not in soon
                continue
            status = complaint.sla(kind, now=now)
            deadline = complaint.due_at(kind)
            is_late = status.state.value == "breached"
            assert (complaint.id in late) == is_late, (complaint.id, kind, status)
            if is_late:
                line = late[complaint.id]
                assert (line.deadline, line.late_by) == (status.deadline, status.late_by)
                assert deadline == status.deadline
            elif deadline is None:  # met, or its clock stopped with time left
                assert complaint.id not in soon
            elif deadline != now + within:  # the far end of the window is not documented
                assert (complaint.id in soon) == (now <= deadline < now + within), (
                    complaint.id,
                    kind,
                    status,
                )
                if complaint.id in soon:
                    assert soon[complaint.id].deadline == deadline == status.deadline
                    assert soon[complaint.id].remaining == status.remaining


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=CASES, later=GAPS, within=st.sampled_from([timedelta(hours=1), timedelta(days=3)]))
def test_both_stores_answer_the_same_calls_the_same_way(
    cases: list[Any], later: int, within: timedelta
) -> None:
    memory, sqlite = InMemoryStore(), SQLiteStore(":memory:")
    try:
        memory_outcomes, last = run_cases(memory, cases)
        sqlite_outcomes, _ = run_cases(sqlite, cases)
        assert memory_outcomes == sqlite_outcomes
        assert snapshot(memory) == snapshot(sqlite)
        now = last + timedelta(minutes=later)
        assert listings(memory, now, within) == listings(sqlite, now, within)
        for shop in (memory, sqlite):
            assert_lists_agree_with_each_complaint(shop, now, within)
    finally:
        sqlite.close()


def steps_then_fail(shop: Store, cases: list[Any]) -> None:
    """Try steps and receipts in one unit of work, then fail before any commit."""
    with shop.unit_of_work() as uow:
        for number, (_, gap, steps) in enumerate(cases):
            complaint_id = f"CMP-{number}"
            when = monday(9) + timedelta(days=40, minutes=gap)
            for choice, step_gap in steps:
                when += timedelta(minutes=step_gap)
                name = step_name("investigating", choice)
                outcome(step, uow, complaint_id, name, at=when, **DETAILS[name])
            outcome(take, uow, f"NEW-{number}", when)
        raise BoomError


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=CASES, more=CASES)
def test_a_rolled_back_unit_of_work_leaves_no_trace(cases: list[Any], more: list[Any]) -> None:
    for shop in (InMemoryStore(), SQLiteStore(":memory:")):
        run_cases(shop, cases)
        before = snapshot(shop)
        renamed = [(policy, gap + 1, steps) for policy, gap, steps in more]
        with pytest.raises(BoomError):
            steps_then_fail(shop, renamed)
        assert snapshot(shop) == before
        shop.close()


# ------------------------------------------------------------------ analysis by hand

CATEGORIES = ["billing", "faulty_item", "late_delivery"]
CAUSES = ["carrier", "double_charge", "seal"]
REMEDIES = ["refund", "exchange", "apology"]
SPECS = st.lists(
    st.fixed_dictionaries(
        {
            "category": st.sampled_from(CATEGORIES),
            "channel": st.sampled_from(["email", "hotline", "online"]),
            "store": st.sampled_from(["HK-CWB", "HK-TST"]),
            "asked": st.none() | st.sampled_from(REMEDIES),
            "offered": st.none() | st.sampled_from(REMEDIES),
            "cause": st.none() | st.sampled_from(CAUSES),
            "minutes": st.integers(0, 60 * 24 * 6),
            "repeat": st.booleans(),
            "policy": st.booleans(),
        }
    ),
    min_size=0,
    max_size=12,
)


def build(number: int, spec: dict[str, Any]) -> Complaint:
    start = monday(9)
    case = (
        Complaint.receive(
            id=f"CMP-{number:02}",
            at=start,
            channel=spec["channel"],
            store_id=spec["store"],
            category=spec["category"],
            remedy_requested=spec["asked"],
            repeat_of="CMP-00" if spec["repeat"] and number else None,
            sla_policy=NINE_HOURS if spec["policy"] else None,
            description=DESCRIPTION,
        )
        .acknowledge(at=start)
        .assess(at=start, severity=1, priority="low")
        .investigate(at=start)
    )
    if spec["offered"] is None:
        return case
    case = case.respond(at=start, remedy=spec["offered"])
    if spec["cause"] is None:
        return case
    done = start + timedelta(minutes=spec["minutes"])
    return case.accept(at=done).close(at=done, root_cause=spec["cause"], corrective_action="fix")


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval, written out from its textbook formula."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def type7(values: list[timedelta], q: float) -> timedelta:
    ordered = sorted(values)
    h = (len(ordered) - 1) * q / 100
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (h - low)


def by_hand_ranking(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def analysis_answers(shop: Store, complaints: list[Complaint]) -> list[Any]:
    answers: list[Any] = []
    n = len(complaints)
    closed = [c for c in complaints if c.state.value == "closed"]
    groupings: list[tuple[Any, Callable[[Complaint], str | None]]] = [
        ("category", lambda c: c.category),
        ("channel", lambda c: c.channel.value),
        ("store", lambda c: c.store_id),
        ("root_cause", lambda c: c.root_cause),
    ]
    for by, key in groupings:
        counts = complaint_counts(shop, by=by)
        counted = Counter(str(key(c)) for c in complaints if key(c) is not None)
        assert counts.n == n
        assert [(name, group.count) for name, group in counts.groups.items()] == by_hand_ranking(
            counted
        )
        for name, group in counts.groups.items():
            members = [c for c in complaints if key(c) == name]
            assert group.closed == sum(c.state.value == "closed" for c in members)
            assert group.repeats == sum(c.repeat_of is not None for c in members)
            assert group.share == pytest.approx(group.count / n)
        if by == "root_cause":
            assert counts.without == n - len(closed)
        answers.append(counts.to_records())
    pareto = cause_pareto(shop, threshold=0.5)
    causes = Counter(str(c.root_cause) for c in closed)
    assert (pareto.n, pareto.without_cause) == (len(closed), n - len(closed))
    running = 0
    for (name, cause), (expected, count) in zip(
        pareto.causes.items(), by_hand_ranking(causes), strict=True
    ):
        assert (name, cause.count) == (expected, count)
        assert cause.vital == (running / len(closed) < 0.5)
        running += count
        assert cause.cumulative_share == pytest.approx(running / len(closed))
    answers.append(pareto.to_records())
    if n:
        rate = repeat_rate(shop)
        assert (rate.successes, rate.n) == (sum(c.repeat_of is not None for c in complaints), n)
        low, high = wilson(rate.successes, rate.n)
        assert rate.interval.low == pytest.approx(low, abs=1e-9)
        assert rate.interval.high == pytest.approx(high, abs=1e-9)
        answers.append(rate.to_records())
    else:
        with pytest.raises(InsufficientDataError):
            repeat_rate(shop)
    both = [c for c in complaints if c.remedy_requested and c.remedy_offered]
    if both:
        match = remedy_match(shop)
        matched = sum(c.remedy_requested == c.remedy_offered for c in both)
        assert (match.successes, match.n) == (matched, len(both))
        answers.append(match.to_records())
    else:
        with pytest.raises(InsufficientDataError):
            remedy_match(shop)
    table = remedy_table(shop)
    answers.append(table.to_records())
    asked = Counter(c.remedy_requested.value if c.remedy_requested else "none" for c in complaints)
    rows = {row["requested"]: row for row in table.to_records()}
    assert {name: row["total"] for name, row in rows.items()} == dict(asked)
    for name, row in rows.items():
        mine = [
            c
            for c in complaints
            if (c.remedy_requested.value if c.remedy_requested else "none") == name
        ]
        offered = Counter(c.remedy_offered.value if c.remedy_offered else "none" for c in mine)
        for remedy, count in offered.items():
            assert row[remedy] == count, (name, remedy)
        assert row["matched"] == sum(
            c.remedy_offered is not None and c.remedy_offered == c.remedy_requested for c in mine
        )
    timed = [c.resolution_time() for c in closed if c.sla_policy is not None]
    if timed:
        times = resolution_times(shop)
        assert (times.n, times.resolved, times.timed) == (n, len(closed), len(timed))
        for value, q in ((times.median, 50), (times.p90, 90)):
            assert abs(value - type7(timed, q)) <= timedelta(microseconds=1)  # type: ignore[arg-type]
        answers.append(times.to_records())
    else:
        with pytest.raises(InsufficientDataError):
            resolution_times(shop)
    return answers


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=SPECS)
def test_analysis_agrees_with_counting_by_hand_on_both_stores(specs: list[dict[str, Any]]) -> None:
    complaints = [build(number, spec) for number, spec in enumerate(specs)]
    answers = []
    for shop in (InMemoryStore(), SQLiteStore(":memory:")):
        with shop.unit_of_work() as uow:
            uow.complaints.add_many(complaints)
            uow.commit()
        answers.append(analysis_answers(shop, complaints))
        for records in answers[-1]:
            assert DESCRIPTION not in str(records)
        shop.close()
    assert answers[0] == answers[1]


# ------------------------------------------------------------------ more clock edges


def test_warning_starts_at_exactly_the_set_share_and_late_acknowledgement_is_met_late(
    store: Store,
) -> None:
    case = take(store, "CMP-1", monday(9))
    # 80% of nine hours is 7 h 12 min
    assert case.sla("resolution", now=monday(16, 11)).state.value == "on_track"
    assert case.sla("resolution", now=monday(16, 12)).state.value == "warning"
    late = case.sla("resolution", now=monday(10, days=1))
    assert late.state.value == "breached"
    assert (late.remaining, late.late_by) == (timedelta(0), timedelta(hours=1))
    assert late.share_used == pytest.approx(10 / 9)
    acknowledged = step(store, "CMP-1", "acknowledge", at=monday(14))
    status = acknowledged.sla("acknowledgement", now=monday(15))
    assert (status.state.value, status.late_by) == ("met_late", timedelta(hours=1))
    assert acknowledged.due_at("acknowledgement") is None
    assert breached(store, now=monday(15), kind="acknowledgement").to_records() == []


def test_a_working_days_target_adds_the_paused_business_time_after_it(store: Store) -> None:
    policy = SlaPolicy(id="days", calendar=DESK, targets=[SlaTarget("resolution", working_days=2)])
    case = take(store, "CMP-1", monday(10), policies=[policy])
    assert case.due_at("resolution") == monday(18, days=2)
    to_investigating(store, "CMP-1", monday(10))
    step(store, "CMP-1", "wait_on_customer", at=monday(9, days=1), reason="photo")
    replied = step(store, "CMP-1", "record_reply", at=monday(18, days=1))
    assert replied.due_at("resolution") == monday(18, days=3)
    # asked about an instant inside the wait, the clock stood still then
    inside = replied.sla("resolution", now=monday(15, days=1))
    assert inside.used == timedelta(hours=8)
    # asked about an instant before the wait began, the wait makes no difference
    before = replied.sla("resolution", now=monday(17))
    assert before.used == timedelta(hours=7)
    assert before.deadline == monday(18, days=2)


def test_a_reassessed_category_and_a_reopening_are_seen_by_queries_and_counts(
    store: Store,
) -> None:
    take(store, "CMP-1", monday(9), category="billing", customer_id="C-2")
    step(store, "CMP-1", "acknowledge", at=monday(9))
    step(store, "CMP-1", "assess", at=monday(9), severity=2, priority="high", category="pricing")
    step(store, "CMP-1", "investigate", at=monday(9))
    step(store, "CMP-1", "respond", at=monday(10), remedy="credit")
    step(store, "CMP-1", "accept", at=monday(10))
    step(store, "CMP-1", "close", at=monday(11), root_cause="tag", corrective_action="retag")
    take(store, "CMP-2", monday(9), customer_id="C-1")

    def ids(query: ComplaintQuery) -> list[str]:
        with store.unit_of_work(read_only=True) as uow:
            return [complaint.id for complaint in uow.complaints.query(query)]

    assert ids(ComplaintQuery(category="pricing")) == ["CMP-1"]
    assert ids(ComplaintQuery(category="billing")) == []
    assert ids(ComplaintQuery(open=False)) == ["CMP-1"]
    assert ids(ComplaintQuery(customer_id="C-2", state="closed")) == ["CMP-1"]
    assert list(complaint_counts(store).groups) == ["faulty_item", "pricing"]
    assert resolution_times(store).median == timedelta(hours=2)
    step(store, "CMP-1", "reopen", at=monday(12), reason="charged_again")
    assert ids(ComplaintQuery(open=False)) == []
    assert ids(ComplaintQuery(open=True)) == ["CMP-1", "CMP-2"]
    assert ids(ComplaintQuery(state="investigating")) == ["CMP-1"]
    assert complaint_counts(store).groups["pricing"].closed == 0
    assert (
        complaint_counts(store, by="root_cause").without == 1
    )  # the reopened case keeps its cause
    with pytest.raises(InsufficientDataError):
        resolution_times(store)


def test_receipt_windows_compare_instants_in_any_zone(store: Store) -> None:
    take(store, "CMP-1", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON))  # 01:30 UTC
    take(store, "CMP-2", datetime(2026, 10, 25, 1, 30, tzinfo=LONDON))  # 00:30 UTC

    def ids(query: ComplaintQuery) -> list[str]:
        with store.unit_of_work(read_only=True) as uow:
            return [complaint.id for complaint in uow.complaints.query(query)]

    assert ids(ComplaintQuery()) == ["CMP-2", "CMP-1"]
    utc_start = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert ids(ComplaintQuery(start=utc_start)) == ["CMP-1"]  # start inclusive
    assert ids(ComplaintQuery(end=utc_start)) == ["CMP-2"]  # end exclusive
    in_kolkata = datetime(2026, 10, 25, 6, 30, tzinfo=KOLKATA)  # 01:00 UTC
    assert ids(ComplaintQuery(start=in_kolkata)) == ["CMP-1"]
    assert complaint_counts(store, ComplaintQuery(end=in_kolkata)).n == 1


def test_bad_policies_and_targets_list_every_problem() -> None:
    with pytest.raises(ValidationError) as policy:
        SlaPolicy(
            id="",
            calendar="Asia/Hong_Kong",  # type: ignore[arg-type]
            targets=[
                SlaTarget("resolution", working_days=2),
                SlaTarget("resolution", working_days=3),
            ],
            warning_at=float("nan"),
            version=0,
        )
    found = set(paths(policy))
    assert {"$.id", "$.calendar", "$.warning_at", "$.version"} <= found, found
    assert any(path.startswith("$.targets") for path in found), found
    for arguments in (
        {},
        {"business_time": timedelta(hours=1), "working_days": 1},
        {"working_days": 0},
        {"working_days": True},
        {"business_time": timedelta(0)},
        {"business_time": timedelta(hours=-1)},
        {"business_time": 3600},
    ):
        with pytest.raises(ValidationError):
            SlaTarget("resolution", **arguments)
    with pytest.raises(ValidationError) as kind:
        SlaTarget("reply", working_days=1)
    assert paths(kind) == ["$.kind"]


def test_escalation_facts_leave_the_wait_out_of_the_hours_open(store: Store) -> None:
    rules = RuleSet(
        id="e",
        rules=[
            Rule(
                id="long",
                description="Open for more than eight business hours.",
                when=eq("state", "investigating"),
                actions=[escalate("manager")],
            )
        ],
    )
    take(store, "CMP-1", monday(9))
    to_investigating(store, "CMP-1", monday(9))
    step(store, "CMP-1", "wait_on_customer", at=monday(10), reason="photo")
    step(store, "CMP-1", "record_reply", at=monday(10, days=2))
    lines = check_escalations(store, rules, now=monday(12, days=2))
    assert [line.complaint_id for line in lines] == ["CMP-1"]
    facts = escalation_facts(kept(store, "CMP-1"), now=monday(12, days=2))
    assert facts["business_hours_open"] == pytest.approx(3)
    assert facts["resolution_state"] == "on_track"
    assert facts["resolution_deadline"] == monday(18, days=2)  # eight hours left from 10:00
    assert "C-1" not in str(facts)
    assert DESCRIPTION not in str(facts)


def test_breached_at_the_far_end_of_the_range_names_its_own_argument(store: Store) -> None:
    take(store, "CMP-1", monday(9))
    far = datetime(9998, 12, 30, tzinfo=UTC)
    found: set[str] = set()
    lines: list[str] = []
    try:
        lines = [line.complaint_id for line in breached(store, now=far)]
    except ValidationError as error:
        found = {problem.path for problem in error.problems}
    assert found <= {"$.now"}, found
    assert found or lines == ["CMP-1"]
