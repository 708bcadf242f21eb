"""Complaint deadlines, hand-computed: pauses, public holidays, daylight saving, half-hour zones.

Each expectation below is worked out by hand on the calendar named, not by the
library: ``due_at``, ``resolution_time``, ``clock_stops``, ``select_sla_policy``
and ``complaint_facts``, then bad input with its paths.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    InMemoryStore,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    ValidationError,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.rules import Rule, RuleSet, eq, exists, ge, is_in, select_policy
from retail_service_quality.service.sla import (
    SlaState,
    complaint_facts,
    complaint_sla,
    select_sla_policy,
)
from retail_service_quality.storage.ports import ComplaintQuery, Store

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
EVERY_DAY = (*WEEKDAYS, "sat", "sun")

DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
"""Hong Kong, Monday to Friday 09:00-18:00, no holidays."""
HK_HOLIDAYS = BusinessCalendar(
    "Asia/Hong_Kong", {day: [("09:00", "18:00")] for day in WEEKDAYS}, holiday_country="HK"
)
"""The same hours, closed on Hong Kong's public holidays (25 December 2026 and 1 January 2027
are Fridays; 26 December 2026 is a Saturday)."""
LONDON_ALWAYS = BusinessCalendar("Europe/London", {day: [("00:00", "24:00")] for day in EVERY_DAY})
"""London, open round the clock: business time is elapsed time, across both DST changes."""
KOLKATA_DESK = BusinessCalendar.weekdays("09:00", "17:30", timezone="Asia/Kolkata")
"""India (UTC+05:30), Monday to Friday 09:00-17:30."""


def policy(
    calendar: BusinessCalendar = DESK,
    *,
    ack: timedelta | None = timedelta(hours=2),
    hours: float | None = 9,
    days: int | None = None,
    id: str = "standard",
) -> SlaPolicy:
    targets = []
    if ack is not None:
        targets.append(SlaTarget("acknowledgement", business_time=ack))
    if days is not None:
        targets.append(SlaTarget("resolution", working_days=days))
    elif hours is not None:
        targets.append(SlaTarget("resolution", business_time=timedelta(hours=hours)))
    return SlaPolicy(id=id, calendar=calendar, targets=targets)


def hk(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HK)


def received(at: datetime, chosen: SlaPolicy | None, id: str = "CMP-1", **extra: Any) -> Complaint:
    return Complaint.receive(
        id=id,
        at=at,
        channel=extra.pop("channel", "hotline"),
        store_id="HK-CWB",
        category=extra.pop("category", "late_delivery"),
        sla_policy=chosen,
        **extra,
    )


def investigating(complaint: Complaint, at: datetime) -> Complaint:
    return (
        complaint.acknowledge(at=at).assess(at=at, severity=2, priority="normal").investigate(at=at)
    )


def closed(complaint: Complaint, at: datetime) -> Complaint:
    return (
        complaint.respond(at=at, remedy="refund")
        .accept(at=at)
        .close(at=at, root_cause="carrier_delay", corrective_action="new_carrier")
    )


def same_instant(left: datetime | None, right: datetime) -> bool:
    assert left is not None
    return left.astimezone(UTC) == right.astimezone(UTC)


# ---------------------------------------------------------------- pauses


def test_a_wait_on_the_customer_moves_the_deadline_by_the_business_time_it_took() -> None:
    # Received Monday 09:00; 9 business hours. Waits from 11:00 (2 hours used) to Tuesday
    # 10:00: the pause holds Monday 11:00-18:00 and Tuesday 09:00-10:00. 7 hours are left at
    # 10:00 on Tuesday: due at 17:00.
    start = investigating(received(hk(11, 30, 9), policy()), hk(11, 30, 9, 30))
    waiting = start.wait_on_customer(at=hk(11, 30, 11), reason="receipt photo")
    assert waiting.due_at("resolution") is None  # stopped, with time left
    assert waiting.clock_stops() == ((hk(11, 30, 11), None),)
    assert waiting.sla("resolution", now=hk(12, 1, 9, 30)).used == timedelta(hours=2)
    assert waiting.sla("resolution", now=hk(12, 3, 9)).used == timedelta(hours=2)
    replied = waiting.record_reply(at=hk(12, 1, 10))
    assert replied.clock_stops() == ((hk(11, 30, 11), hk(12, 1, 10)),)
    assert replied.due_at("resolution") == hk(12, 1, 17)
    assert replied.due_at("acknowledgement") is None  # met at 09:30
    done = closed(replied, hk(12, 1, 16))
    assert done.due_at("resolution") is None
    # 9 hours Monday + 7 hours Tuesday to 16:00, less the 8 business hours paused.
    assert done.resolution_time() == timedelta(hours=8)
    assert done.sla("resolution", now=hk(12, 4, 9)).state is SlaState.MET


def test_a_case_late_before_its_pause_keeps_its_deadline() -> None:
    start = investigating(received(hk(11, 30, 9), policy()), hk(11, 30, 9, 30))
    waiting = start.wait_on_customer(at=hk(12, 1, 12), reason="serial number")
    assert waiting.due_at("resolution") == hk(11, 30, 18)
    status = waiting.sla("resolution", now=hk(12, 2, 9))
    assert status.state is SlaState.BREACHED
    assert status.late_by == timedelta(hours=3)  # Tuesday 09:00-12:00, then paused


def test_a_reopened_case_runs_on_from_where_its_clock_stopped() -> None:
    # Closed Monday 12:00 after 3 hours; reopened Wednesday 09:00: 6 hours left, due 15:00.
    done = closed(investigating(received(hk(11, 30, 9), policy()), hk(11, 30, 10)), hk(11, 30, 12))
    assert done.resolution_time() == timedelta(hours=3)
    reopened = done.reopen(at=hk(12, 2, 9), reason="fault_recurred")
    assert reopened.clock_stops() == ((hk(11, 30, 12), hk(12, 2, 9)),)
    assert reopened.due_at("resolution") == hk(12, 2, 15)
    assert reopened.resolution_time() is None  # open again
    assert (
        reopened.due_at("resolution")
        == complaint_sla(policy(), reopened, "resolution", now=hk(12, 2, 9)).deadline
    )
    # Closed again at 11:00 on Wednesday: 3 + 2 business hours.
    again = closed(reopened, hk(12, 2, 11))
    assert again.resolution_time() == timedelta(hours=5)


def test_no_policy_no_deadline() -> None:
    bare = received(hk(11, 30, 9), None)
    assert bare.due_at("resolution") is None
    assert bare.due_at("acknowledgement") is None
    done = closed(investigating(bare, hk(11, 30, 9)), hk(11, 30, 10))
    assert done.resolution_time() is None
    with pytest.raises(ValidationError) as error:
        bare.sla("resolution", now=hk(11, 30, 10))
    assert [p.path for p in error.value.problems] == ["$.sla_policy"]
    only_ack = received(hk(11, 30, 9), policy(hours=None))
    assert only_ack.due_at("resolution") is None
    assert only_ack.due_at("acknowledgement") == hk(11, 30, 11)


# ---------------------------------------------------------------- working days


def test_working_days_end_at_the_close_and_move_by_the_time_paused() -> None:
    # Received Monday 10:00; 2 working days: Tuesday, Wednesday, due Wednesday 18:00.
    two_days = policy(days=2)
    start = investigating(received(hk(11, 30, 10), two_days), hk(11, 30, 10))
    assert start.due_at("resolution") == hk(12, 2, 18)
    # A wait of 3 business hours (Monday 11:00-14:00) adds 3 hours after it: Thursday 12:00.
    paused = start.wait_on_customer(at=hk(11, 30, 11), reason="photo").record_reply(
        at=hk(11, 30, 14)
    )
    assert paused.due_at("resolution") == hk(12, 3, 12)


# ---------------------------------------------------------------- public holidays


def test_hong_kong_public_holidays_do_not_count() -> None:
    # Thursday 24 December 16:00: 2 hours that day, then Christmas (Friday), the weekend;
    # 7 hours on Monday 28 December: due 16:00.
    christmas = received(hk(12, 24, 16), policy(HK_HOLIDAYS))
    assert christmas.due_at("resolution") == hk(12, 28, 16)
    assert christmas.due_at("acknowledgement") == hk(12, 24, 18)  # 2 hours: 16:00-18:00 Thursday
    later = received(hk(12, 24, 17), policy(HK_HOLIDAYS))
    assert later.due_at("acknowledgement") == hk(12, 28, 10)
    # One working day after Thursday 24 December is Monday 28 December.
    assert received(hk(12, 24, 10), policy(HK_HOLIDAYS, days=1)).due_at("resolution") == hk(
        12, 28, 18
    )
    assert received(hk(12, 24, 10), policy(HK_HOLIDAYS, days=2)).due_at("resolution") == hk(
        12, 29, 18
    )
    # New Year's Day 2027 is a Friday: from Thursday 31 December 17:00, 1 hour, then Monday.
    new_year = received(hk(12, 31, 17), policy(HK_HOLIDAYS))
    assert new_year.due_at("acknowledgement") == hk(1, 4, 10, year=2027)
    # On the plain desk calendar, Christmas is a working day.
    assert received(hk(12, 24, 16), policy()).due_at("resolution") == hk(12, 25, 16)


def test_a_pause_across_a_holiday_counts_only_its_business_hours() -> None:
    # 1 hour used (16:00-17:00 Thursday 24 December); waiting until Monday 10:00. 8 hours left.
    start = investigating(received(hk(12, 24, 16), policy(HK_HOLIDAYS)), hk(12, 24, 16))
    waiting = start.wait_on_customer(at=hk(12, 24, 17), reason="photo")
    assert waiting.due_at("resolution") is None
    replied = waiting.record_reply(at=hk(12, 28, 10))
    assert replied.due_at("resolution") == hk(12, 28, 18)
    done = closed(replied, hk(12, 28, 12))
    assert done.resolution_time() == timedelta(hours=3)  # 1 on Thursday, 2 on Monday


# ---------------------------------------------------------------- daylight saving


def test_deadlines_count_elapsed_time_across_the_autumn_change_in_london() -> None:
    # 23:30 BST on Saturday 24 October; 4 hours later it is 02:30 GMT (01:00-02:00 repeats).
    at = datetime(2026, 10, 24, 23, 30, tzinfo=LONDON)
    complaint = received(at, policy(LONDON_ALWAYS, ack=timedelta(hours=2), hours=4))
    assert complaint.due_at("resolution") == datetime(2026, 10, 25, 2, 30, tzinfo=LONDON)
    # 2 hours later is 01:30 in the first (BST) pass of the repeated hour...
    ack = complaint.due_at("acknowledgement")
    assert same_instant(ack, datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert ack is not None
    assert ack.utcoffset() == timedelta(hours=1)
    # ... and 3 hours later 01:30 in the second (GMT) pass.
    three = received(at, policy(LONDON_ALWAYS, ack=None, hours=3)).due_at("resolution")
    assert same_instant(three, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert three is not None
    assert three.utcoffset() == timedelta(0)
    assert three.fold == 1


def test_deadlines_count_elapsed_time_across_the_spring_change_in_london() -> None:
    at = datetime(2026, 3, 28, 23, 0, tzinfo=LONDON)  # Saturday 23:00 GMT
    complaint = received(at, policy(LONDON_ALWAYS, ack=None, hours=3))
    assert complaint.due_at("resolution") == datetime(2026, 3, 29, 3, 0, tzinfo=LONDON)  # BST


def test_a_wait_inside_the_repeated_hour_is_ordered_by_instant() -> None:
    # Received 01:30 BST; waits from 01:20 GMT (50 minutes later) to 01:50 GMT; 2 hours allowed:
    # 00:30Z + 2 hours + the 30 minutes paused = 03:00Z, 03:00 GMT.
    first_pass = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    chosen = policy(LONDON_ALWAYS, ack=None, hours=2)
    start = investigating(received(first_pass, chosen), first_pass)
    wait_from = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)
    reply_at = datetime(2026, 10, 25, 1, 50, fold=1, tzinfo=LONDON)
    waiting = start.wait_on_customer(at=wait_from, reason="photo")
    assert waiting.due_at("resolution") is None  # 50 minutes used, 70 left
    used = waiting.sla("resolution", now=reply_at.astimezone(UTC)).used
    assert used == timedelta(minutes=50)
    replied = waiting.record_reply(at=reply_at)
    assert replied.clock_stops() == ((wait_from, reply_at),)
    assert replied.due_at("resolution") == datetime(2026, 10, 25, 3, 0, tzinfo=LONDON)
    done = closed(replied, datetime(2026, 10, 25, 2, 0, tzinfo=LONDON))  # 02:00 GMT
    # 00:30Z to 02:00Z is 90 minutes, less the 30 paused.
    assert done.resolution_time() == timedelta(minutes=60)


def test_an_sla_status_in_the_repeated_hour_compares_instants() -> None:
    first_pass = datetime(2026, 10, 25, 1, 0, tzinfo=LONDON)  # 00:00Z
    complaint = received(first_pass, policy(LONDON_ALWAYS, ack=None, hours=0.5))
    # 01:10 GMT is 70 minutes after 01:00 BST: 40 minutes past the 01:30 BST deadline.
    status = complaint.sla("resolution", now=datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON))
    assert status.state is SlaState.BREACHED
    assert status.late_by == timedelta(minutes=40)


# ---------------------------------------------------------------- a half-hour zone


def test_a_half_hour_zone() -> None:
    # 03:30Z on Monday 30 November is 09:00 in Kolkata: acknowledge by 11:00 IST (05:30Z);
    # one working day: Tuesday 17:30 IST (12:00Z).
    at = datetime(2026, 11, 30, 3, 30, tzinfo=UTC)
    complaint = received(at, policy(KOLKATA_DESK, days=1))
    ack = complaint.due_at("acknowledgement")
    assert same_instant(ack, datetime(2026, 11, 30, 5, 30, tzinfo=UTC))
    assert ack is not None
    assert ack.utcoffset() == timedelta(hours=5, minutes=30)
    assert same_instant(complaint.due_at("resolution"), datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    # Waiting from 10:15 to 16:45 IST on Monday: 6.5 business hours paused, moving the deadline
    # by as much after Tuesday's close: Wednesday 09:00 + 6:30 = 15:30 IST (10:00Z).
    moved = (
        investigating(complaint, at)
        .wait_on_customer(at=datetime(2026, 11, 30, 10, 15, tzinfo=KOLKATA), reason="photo")
        .record_reply(at=datetime(2026, 11, 30, 16, 45, tzinfo=KOLKATA))
    )
    assert same_instant(moved.due_at("resolution"), datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    done = closed(moved, datetime(2026, 11, 30, 17, 0, tzinfo=KOLKATA))
    # 09:00-17:00 IST is 8 hours, less the 6.5 paused.
    assert done.resolution_time() == timedelta(hours=1, minutes=30)


# ---------------------------------------------------------------- the ends of the range


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest) -> Any:
    made: Store = InMemoryStore() if request.param == "memory" else SQLiteStore(":memory:")
    yield made
    made.close()


@pytest.mark.parametrize("at", [MIN_INSTANT, MAX_INSTANT - timedelta(days=3)])
def test_a_complaint_with_a_policy_outside_the_calendars_years_is_refused(at: datetime) -> None:
    with pytest.raises(ValidationError) as caught:
        received(at, policy(days=10))
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.receipt.at", "range")]
    assert received(at, None).due_at("resolution") is None  # no policy: no deadline


def test_a_deadline_past_the_calendars_years_is_none_on_every_store(store: Store) -> None:
    at = datetime(9998, 12, 31, 17, tzinfo=HK)
    chosen = policy(days=10)
    complaint = received(at, chosen)
    assert complaint.due_at("resolution") is None
    assert complaint.due_at("acknowledgement") is None
    done = closed(investigating(complaint, at), at)
    # Closed at the instant received: no business time.
    assert done.resolution_time() == timedelta(0)
    with store.unit_of_work() as uow:
        uow.complaints.add_many([complaint, received(at, chosen, id="CMP-2")])
        assert uow.complaints.save(done).version == 2
        assert list(uow.complaints.due()) == []
        assert list(uow.complaints.due("acknowledgement")) == []
        assert uow.complaints.count(ComplaintQuery(open=True)) == 1
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.complaints.get("CMP-1") == attrs.evolve(done, version=2)


def test_deadlines_near_the_ends_of_the_range() -> None:
    # Wednesday 2 January 2 (the calendar's first year) 09:00 in Hong Kong; 2 hours: 11:00.
    early = datetime(2, 1, 2, 9, tzinfo=HK)
    assert received(early, policy()).due_at("acknowledgement") == datetime(2, 1, 2, 11, tzinfo=HK)
    # Wednesday 30 December 9998 16:00: 9 hours run to Thursday 31 December 16:00.
    late = datetime(9998, 12, 30, 16, tzinfo=HK)
    assert received(late, policy()).due_at("resolution") == datetime(9998, 12, 31, 16, tzinfo=HK)


# ---------------------------------------------------------------- choosing the policy


STANDARD = policy(days=5, id="standard")
URGENT = policy(hours=4, id="urgent")
VIP = policy(hours=8, id="vip")
RULES = RuleSet(
    id="sla",
    mode="first",
    rules=[
        Rule(
            id="urgent",
            description="Urgent or severe cases: 4 business hours.",
            when=eq("priority", "urgent") | ge("severity", 4),
            actions=[select_policy("urgent")],
            order=1,
        ),
        Rule(
            id="vip",
            description="VIP and gold customers, and repeat complaints: 8 business hours.",
            when=is_in("tier", ["vip", "gold"]) | eq("repeat", True),
            actions=[select_policy("vip")],
            order=2,
        ),
        Rule(
            id="everyone",
            description="Everyone else: 5 working days.",
            when=exists("channel"),
            actions=[select_policy("standard")],
            order=3,
        ),
    ],
)


def test_policies_are_selected_by_priority_tier_and_repeat() -> None:
    at = hk(11, 30, 9)
    plain = received(at, None, customer_id="C-1")
    facts = complaint_facts(plain)
    assert facts == {
        "priority": "normal",
        "severity": None,
        "channel": "hotline",
        "category": "late_delivery",
        "store_id": "HK-CWB",
        "remedy_requested": None,
        "tier": None,
        "repeat": False,
    }
    policies = [STANDARD, URGENT, VIP]
    assert select_sla_policy(RULES, policies, facts, at=at).policy == STANDARD
    gold = select_sla_policy(RULES, policies, complaint_facts(plain, tier="gold"), at=at)
    assert (gold.policy_id, gold.fired) == ("vip", ("vip",))
    repeat = received(at, None, id="CMP-2", customer_id="C-1", repeat_of="CMP-1")
    assert select_sla_policy(RULES, policies, complaint_facts(repeat), at=at).policy_id == "vip"
    assessed = plain.acknowledge(at=at).assess(
        at=at, severity=4, priority="low", category="overcharge"
    )
    assessed_facts = complaint_facts(assessed, tier="gold")
    assert (assessed_facts["priority"], assessed_facts["severity"]) == ("low", 4)
    assert assessed_facts["category"] == "overcharge"
    chosen = select_sla_policy(RULES, policies, assessed_facts, at=at)
    assert (chosen.policy_id, chosen.policy_version) == ("urgent", 1)
    assert chosen.explain().splitlines()[0] == "policy urgent (version 1) selected"
    nothing = select_sla_policy(RuleSet(id="none"), policies, facts, at=at)
    assert (nothing.policy, nothing.fired) == (None, ())
    # The policy chosen at receipt is kept with the case: its deadline, 5 working days later.
    kept = received(at, select_sla_policy(RULES, policies, facts, at=at).policy)
    assert kept.due_at("resolution") == hk(12, 7, 18)


def test_policy_selection_reports_bad_input_with_paths() -> None:
    at = hk(11, 30, 9)
    facts = complaint_facts(received(at, None))
    with pytest.raises(ValidationError) as error:
        select_sla_policy("rules", [STANDARD, "urgent", STANDARD], facts, at=at)  # type: ignore[arg-type, list-item]
    assert [p.path for p in error.value.problems] == [
        "$.rules",
        "$.policies[1]",
        "$.policies[2].id",
    ]
    with pytest.raises(ValidationError) as error:
        select_sla_policy(RULES, [URGENT, VIP], facts, at=at)
    assert [p.path for p in error.value.problems] == ["$.policies"]
    assert "'standard'" in str(error.value)
    with pytest.raises(ValidationError) as error:
        select_sla_policy(RULES, "standard", facts, at=at)  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.policies"]
    with pytest.raises(ValidationError) as error:
        complaint_facts("CMP-1", tier=7)  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.complaint", "$.tier"]
    with pytest.raises(ValidationError) as error:
        complaint_facts(received(at, None), tier="\ud800")
    assert [p.path for p in error.value.problems] == ["$.tier"]


# ---------------------------------------------------------------- bad input


def test_bad_input_is_a_validation_error_with_its_path() -> None:
    complaint = received(hk(11, 30, 9), policy())
    naive = datetime(2026, 11, 30, 10)  # naive on purpose
    for kind in ("soon", 3, None, "\ud800"):
        with pytest.raises(ValidationError) as error:
            complaint.due_at(kind)  # type: ignore[arg-type]
        assert [p.path for p in error.value.problems] == ["$.kind"]
    with pytest.raises(ValidationError) as error:
        complaint.sla("resolution", now=naive)
    assert [p.path for p in error.value.problems] == ["$.now"]
    with pytest.raises(ValidationError) as error:
        complaint.sla("resolution", now=hk(11, 30, 8))  # before it was received
    assert [p.path for p in error.value.problems] == ["$.now"]
    with pytest.raises(ValidationError) as error:
        complaint.sla("soon", now=hk(11, 30, 10))
    assert [p.path for p in error.value.problems] == ["$.kind"]
    with pytest.raises(ValidationError) as error:
        received(hk(11, 30, 9), policy(ack=None)).sla("acknowledgement", now=hk(11, 30, 10))
    assert [p.path for p in error.value.problems] == ["$.kind"]
    with pytest.raises(ValidationError) as error:
        complaint_sla(policy(), "CMP-1", "resolution", now=hk(11, 30, 10))
    assert [p.path for p in error.value.problems] == ["$.complaint"]
    with pytest.raises(ValidationError) as error:
        Complaint.receive(
            id="CMP-1",
            at=hk(11, 30, 9),
            channel="hotline",
            store_id="HK-1",
            category="billing",
            sla_policy="standard",  # type: ignore[arg-type]
        )
    assert [p.path for p in error.value.problems] == ["$.sla_policy"]


def test_a_case_waiting_from_the_repeated_hour_is_stored_on_every_store(store: Store) -> None:
    # Received 01:30 BST, late at 02:00 BST (00:30Z + 30 minutes = 01:00Z = 01:00 GMT); waiting
    # from 01:20 GMT, after its deadline: it stays listed, at 01:00 GMT.
    first_pass = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    chosen = policy(LONDON_ALWAYS, ack=None, hours=0.5)
    late = investigating(received(first_pass, chosen), first_pass).wait_on_customer(
        at=datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON), reason="photo"
    )
    in_time = investigating(received(first_pass, chosen, id="CMP-2"), first_pass).wait_on_customer(
        at=datetime(2026, 10, 25, 1, 40, tzinfo=LONDON), reason="photo"
    )
    deadline = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    assert same_instant(late.due_at("resolution"), deadline)
    assert in_time.due_at("resolution") is None  # 10 minutes used, 20 left
    with store.unit_of_work() as uow:
        uow.complaints.add_many([late, in_time])
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        listed = list(uow.complaints.due(before=deadline + timedelta(microseconds=1)))
        assert [c.id for c in listed] == ["CMP-1"]
        assert list(uow.complaints.due(before=deadline)) == []


def test_the_status_before_the_current_wait_began() -> None:
    # Waited Monday 11:00-12:00, waiting again since Tuesday 10:00. At Monday 11:30, inside the
    # first wait, 2 hours were used; as the case stood then (the reply at 12:00 still to come),
    # the 30 minutes paused so far move the deadline from Monday 18:00 to Tuesday 09:30.
    start = investigating(received(hk(11, 30, 9), policy()), hk(11, 30, 9))
    waiting = (
        start.wait_on_customer(at=hk(11, 30, 11), reason="photo")
        .record_reply(at=hk(11, 30, 12))
        .wait_on_customer(at=hk(12, 1, 10), reason="serial number")
    )
    earlier = waiting.sla("resolution", now=hk(11, 30, 11, 30))
    assert (earlier.used, earlier.deadline) == (timedelta(hours=2), hk(12, 1, 9, 30))
    assert waiting.sla("resolution", now=hk(11, 30, 12)).used == timedelta(hours=2)
    # Monday 09:00-11:00 and 12:00-18:00, Tuesday 09:00-10:00: all 9 hours used as it waits.
    assert waiting.sla("resolution", now=hk(12, 1, 10)).used == timedelta(hours=9)
    assert waiting.sla("resolution", now=hk(12, 2, 10)).used == timedelta(hours=9)
    assert waiting.sla("resolution", now=hk(12, 2, 10)).state is SlaState.BREACHED
    assert waiting.due_at("resolution") == hk(12, 1, 10)  # no time left: listed, paused or not
    assert waiting.record_reply(at=hk(12, 2, 9)).due_at("resolution") == hk(12, 1, 10)
