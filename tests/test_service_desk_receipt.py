"""Receiving with a priority, the repeat window, the calendar's years, and elapsed windows."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    InMemoryStore,
    SlaPolicy,
    SlaTarget,
    ValidationError,
    about_to_breach,
    receive_complaint,
)
from retail_service_quality.rules import Rule, RuleSet, eq, exists, select_policy

LONDON = "Europe/London"
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
URGENT = SlaPolicy(
    id="urgent", calendar=DESK, targets=[SlaTarget("resolution", business_time=timedelta(hours=4))]
)
STANDARD = SlaPolicy(
    id="standard", calendar=DESK, targets=[SlaTarget("resolution", working_days=5)]
)
RULES = RuleSet(
    id="sla",
    mode="first",
    rules=[
        Rule(id="urgent", description="Urgent cases: 4 business hours.",
             when=eq("priority", "urgent"), actions=[select_policy("urgent")], order=1),
        Rule(id="rest", description="Everyone else: 5 working days.",
             when=exists("channel"), actions=[select_policy("standard")], order=2),
    ],
)  # fmt: skip
AT = datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Hong_Kong"))


def _receive(store: InMemoryStore, id: str, **changes: object) -> Complaint:
    arguments: dict[str, object] = {
        "id": id, "at": AT, "channel": "hotline", "store_id": "HK-1", "category": "billing",
        "rules": RULES, "policies": [URGENT, STANDARD], **changes,
    }  # fmt: skip
    return receive_complaint(store, **arguments)  # type: ignore[arg-type]


def test_a_priority_given_on_receipt_chooses_the_policy_and_is_kept() -> None:
    store = InMemoryStore()
    urgent = _receive(store, "CMP-1", priority="urgent")
    plain = _receive(store, "CMP-2")
    assert (urgent.sla_policy_id, urgent.priority) == ("urgent", "urgent")
    assert (plain.sla_policy_id, plain.priority) == ("standard", None)
    # An assessment sets the priority from then on; the policy chosen at receipt stays.
    assessed = urgent.acknowledge(at=AT).assess(at=AT, severity=1, priority="low")
    assert (assessed.priority, assessed.sla_policy_id) == ("low", "urgent")


def test_a_bad_priority_is_reported_with_the_other_problems() -> None:
    with pytest.raises(ValidationError) as caught:
        _receive(InMemoryStore(), "", priority="whenever", channel="pigeon")
    assert sorted(p.path for p in caught.value.problems) == ["$.channel", "$.id", "$.priority"]


def test_repeats_are_linked_within_thirty_days_unless_told_otherwise() -> None:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        from retail_service_quality import Customer

        uow.customers.add(Customer(id="C-1", created_at=AT - timedelta(days=400)))
        uow.commit()
    _receive(store, "CMP-1", customer_id="C-1", at=AT - timedelta(days=45))
    assert _receive(store, "CMP-2", customer_id="C-1").repeat_of is None
    # A window of 60 days reaches back to the first; CMP-2 came at the same instant, not before.
    linked = _receive(store, "CMP-3", customer_id="C-1", repeat_window=timedelta(days=60))
    assert linked.repeat_of == "CMP-1"


def test_a_receipt_outside_the_calendars_years_is_refused_at_its_argument() -> None:
    store = InMemoryStore()
    with pytest.raises(ValidationError) as caught:
        _receive(store, "CMP-9", at=datetime(9999, 6, 1, tzinfo=UTC))
    assert [p.path for p in caught.value.problems] == ["$.at"]
    with store.unit_of_work() as uow:
        assert uow.complaints.count() == 0


def test_a_rule_set_that_selects_no_policy_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    vip_only = RuleSet(id="vip", rules=[
        Rule(id="vip", description="VIPs only.", when=eq("tier", "vip"),
             actions=[select_policy("urgent")]),
    ])  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="retail_service_quality"):
        complaint = _receive(InMemoryStore(), "CMP-5", rules=vip_only)
    assert complaint.sla_policy is None
    assert "no SLA policy was selected" in caplog.text


def test_the_window_ahead_is_elapsed_time_whatever_zone_now_is_given_in() -> None:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    always = BusinessCalendar(LONDON, {day: [("00:00", "24:00")] for day in days})
    policy = SlaPolicy(
        id="always",
        calendar=always,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))],
    )
    store = InMemoryStore()
    receive_complaint(
        store, id="D", at=datetime(2026, 10, 25, 0, 30, tzinfo=UTC), channel="email",
        store_id="L", category="billing", policies=[policy],
    )  # fmt: skip
    # 00:59 UTC on the night the clocks go back is 01:59 BST in London: the same instant.
    utc = datetime(2026, 10, 25, 0, 59, tzinfo=UTC)
    london = datetime(2026, 10, 25, 1, 59, tzinfo=ZoneInfo(LONDON))
    assert utc.timestamp() == london.timestamp()
    answers = [
        [line.complaint_id for line in about_to_breach(
            store, now=now, within=timedelta(hours=1), kind="acknowledgement")]
        for now in (utc, london)
    ]  # fmt: skip
    assert answers == [[], []]  # due at 02:30 UTC, 91 minutes after either
