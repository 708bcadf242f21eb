"""SLA answers read a complaint as it stood at the instant asked about; the calendar's years."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

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
from retail_service_quality.storage.ports import Store

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
POLICY = SlaPolicy(
    id="standard",
    calendar=DESK,
    targets=[
        SlaTarget("acknowledgement", business_time=timedelta(hours=4)),
        SlaTarget("resolution", working_days=5),
    ],
)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=HK)


def _waiting() -> Complaint:
    return (
        Complaint.receive(
            id="CMP-1", at=_at(23, 9), channel="email", store_id="HK-1", category="billing",
            sla_policy=POLICY,
        )
        .acknowledge(at=_at(23, 11))
        .assess(at=_at(23, 11), severity=2, priority="normal")
        .investigate(at=_at(23, 11))
        .wait_on_customer(at=_at(24, 10), reason="photo_requested")
    )  # fmt: skip


def test_an_answer_before_a_step_does_not_see_the_step() -> None:
    complaint = _waiting()
    before = complaint.sla("acknowledgement", now=_at(23, 10))
    assert before.done_at is None
    assert before.state.value == "on_track"
    assert complaint.sla("acknowledgement", now=_at(23, 11)).state.value == "met"


def test_a_wait_that_begins_after_the_instant_asked_about_does_not_stop_the_clock() -> None:
    complaint = _waiting()
    early = complaint.sla("resolution", now=_at(23, 12))
    assert early.used == timedelta(hours=3)
    then = complaint.as_of(_at(23, 12))
    assert early.deadline == then.sla("resolution", now=_at(23, 12)).deadline
    # Inside the wait, the clock stands still: the business time used stays the same.
    inside = [complaint.sla("resolution", now=_at(day, 15)).used for day in (24, 25, 26)]
    assert inside == [timedelta(hours=10)] * 3


def test_as_of_keeps_the_events_up_to_the_instant_compared_as_instants() -> None:
    first = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # BST, the first pass
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # GMT, 45 minutes later
    complaint = Complaint.receive(
        id="CMP-2", at=first, channel="hotline", store_id="UK-1", category="billing"
    ).acknowledge(at=second)
    assert complaint.as_of(datetime(2026, 10, 25, 1, 50, tzinfo=LONDON)).state.value == "received"
    assert complaint.as_of(second).state.value == "acknowledged"
    assert complaint.as_of(second.astimezone(UTC)) is complaint


def test_as_of_refuses_an_instant_before_receipt_and_a_naive_one() -> None:
    complaint = _waiting()
    with pytest.raises(ValidationError) as caught:
        complaint.as_of(_at(22, 9))
    assert [problem.path for problem in caught.value.problems] == ["$.at"]
    with pytest.raises(ValidationError) as naive:
        complaint.as_of(datetime(2026, 11, 24))
    assert naive.value.problems[0].code == "naive_datetime"


def test_a_complaint_with_a_policy_must_lie_in_the_calendars_years() -> None:
    with pytest.raises(ValidationError) as caught:
        Complaint.receive(
            id="CMP-3", at=datetime(9999, 6, 1, tzinfo=UTC), channel="email", store_id="S",
            category="billing", sla_policy=POLICY,
        )  # fmt: skip
    assert [problem.path for problem in caught.value.problems] == ["$.receipt.at"]
    assert caught.value.problems[0].code == "range"
    # Without a policy there is no calendar to count on: the instant is kept as given.
    Complaint.receive(
        id="CMP-3", at=datetime(9999, 6, 1, tzinfo=UTC), channel="email", store_id="S",
        category="billing",
    )  # fmt: skip


@pytest.mark.parametrize("make", [InMemoryStore, lambda: SQLiteStore(":memory:")])
def test_a_deadline_past_the_last_year_is_none_and_the_case_stores(
    make: Callable[[], Store],
) -> None:
    received = datetime(9998, 12, 28, tzinfo=UTC)  # a Monday: 08:00 in Hong Kong
    complaint = Complaint.receive(
        id="CMP-4", at=received, channel="email", store_id="S", category="billing",
        sla_policy=POLICY,
    )  # fmt: skip
    assert complaint.due_at("resolution") is None  # five working days run into the year 9999
    assert complaint.due_at("acknowledgement") == datetime(9998, 12, 28, 13, tzinfo=HK)
    with make() as store:
        with store.unit_of_work() as uow:
            uow.complaints.add(complaint)
            uow.commit()
        with store.unit_of_work(read_only=True) as uow:
            assert [case.id for case in uow.complaints.due("acknowledgement")] == ["CMP-4"]
            assert list(uow.complaints.due("resolution")) == []


def test_the_answer_to_the_last_remedy_and_the_recourse_told_are_recorded() -> None:
    answered = _waiting().record_reply(at=_at(25, 10)).respond(at=_at(25, 11), remedy="credit")
    assert answered.accepted is None
    declined = answered.decline(at=_at(25, 12))
    assert declined.accepted is False
    closed = declined.close(
        at=_at(25, 13), root_cause="pricing_error", corrective_action="price_file_fixed",
        recourse="consumer_council",
    )  # fmt: skip
    assert (closed.accepted, closed.recourse) == (False, "consumer_council")
    row = closed.to_records()[0]
    assert (row["accepted"], row["recourse"]) == (False, "consumer_council")
    again = declined.respond(at=_at(25, 14), remedy="refund")
    assert again.accepted is None  # a new offer awaits its answer
    assert again.accept(at=_at(25, 15)).accepted is True
    with pytest.raises(ValidationError) as caught:
        declined.close(at=_at(25, 13), root_cause="x", corrective_action="y", recourse=" \ud800")
    assert [problem.path for problem in caught.value.problems] == ["$.recourse"]


def test_a_policy_on_a_calendar_that_is_never_open_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        SlaPolicy(
            id="never",
            calendar=BusinessCalendar("UTC", {}),
            targets=[SlaTarget("resolution", working_days=2)],
        )
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.calendar", "invalid")]
