"""SLA clocks: deadlines and states from a case's history, on business calendars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retail_service_quality import BusinessCalendar, ValidationError
from retail_service_quality.service.sla import SlaPolicy, SlaState, SlaTarget, sla_status

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")


def policy(**targets: object) -> SlaPolicy:
    made = [SlaTarget(kind, **spec) for kind, spec in targets.items()]  # type: ignore[arg-type]
    return SlaPolicy(id="p", calendar=DESK, targets=made)


HOURS9 = policy(resolution={"business_time": timedelta(hours=9)})
DAYS5 = policy(resolution={"working_days": 5})


def hk(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HK)


def test_a_deadline_skips_closed_hours_and_pauses() -> None:
    status = sla_status(HOURS9, "resolution", started_at=hk(20, 17), now=hk(20, 17))
    assert status.deadline == hk(23, 17)  # Friday 17:00 + 1h, then 8h on Monday
    paused = sla_status(
        HOURS9,
        "resolution",
        started_at=hk(20, 17),
        now=hk(23, 10),
        pauses=[(hk(23, 9), hk(23, 11))],
    )
    assert paused.deadline == hk(24, 10)
    assert paused.used == timedelta(hours=1)


def test_working_days_end_at_the_close_and_move_by_the_time_paused() -> None:
    plain = sla_status(DAYS5, "resolution", started_at=hk(20, 10), now=hk(20, 10))
    assert plain.deadline == hk(27, 18)  # the fifth working day after a Friday
    paused = sla_status(
        DAYS5,
        "resolution",
        started_at=hk(20, 10),
        now=hk(25, 12),
        pauses=[(hk(24, 9), hk(24, 18))],  # a whole working day waiting on the customer
    )
    assert paused.deadline == hk(30, 18)


def test_public_holidays_do_not_count() -> None:
    shop = BusinessCalendar(
        "Asia/Hong_Kong",
        {day: [("09:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
        holiday_country="HK",
    )
    xmas = SlaPolicy(
        id="x",
        calendar=shop,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=9))],
    )
    status = sla_status(
        xmas, "acknowledgement", started_at=hk(24, 18, month=12), now=hk(24, 18, month=12)
    )
    assert status.deadline == hk(28, 18, month=12)  # 25 and 26 December are holidays


@pytest.mark.parametrize(
    ("now", "done_at", "state"),
    [
        (hk(23, 10), None, SlaState.ON_TRACK),
        (hk(23, 17), None, SlaState.WARNING),  # 8 of 9 hours used: past 80%
        (hk(24, 10), None, SlaState.BREACHED),
        (hk(24, 10), hk(23, 12), SlaState.MET),
        (hk(24, 10), hk(24, 9, 30), SlaState.MET_LATE),
    ],
)
def test_states(now: datetime, done_at: datetime | None, state: SlaState) -> None:
    status = sla_status(HOURS9, "resolution", started_at=hk(23, 9), now=now, done_at=done_at)
    assert status.state is state
    if state in (SlaState.BREACHED, SlaState.MET_LATE):
        assert status.late_by is not None
        assert status.late_by > timedelta(0)
    else:
        assert status.late_by is None


def test_breached_cases_say_how_late_in_business_time() -> None:
    status = sla_status(HOURS9, "resolution", started_at=hk(20, 9), now=hk(23, 10))
    assert status.state is SlaState.BREACHED
    assert status.deadline == hk(20, 18)
    assert status.late_by == timedelta(hours=1)  # Monday 09:00 to 10:00; the weekend is closed


def test_an_open_pause_runs_until_now_and_a_reopened_case_follows_its_history() -> None:
    waiting = sla_status(
        HOURS9, "resolution", started_at=hk(23, 9), now=hk(23, 15), pauses=[(hk(23, 11), None)]
    )
    assert waiting.used == timedelta(hours=2)
    assert waiting.deadline == hk(24, 13)  # 2 hours used; 7 more once the wait ends, now
    reopened = sla_status(
        HOURS9,
        "resolution",
        started_at=hk(23, 9),
        now=hk(25, 10),
        pauses=[(hk(23, 13), hk(25, 9))],  # closed at 13:00 Monday, reopened Wednesday 09:00
    )
    assert reopened.used == timedelta(hours=5)
    assert reopened.deadline == hk(25, 14)


def test_time_is_business_time_at_both_daylight_saving_changes() -> None:
    always = BusinessCalendar(
        "Europe/London", {day: [("00:00", "24:00")] for day in
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    )  # fmt: skip
    day_policy = SlaPolicy(
        id="24x7",
        calendar=always,
        targets=[SlaTarget("resolution", business_time=timedelta(hours=24))],
    )
    autumn = datetime(2026, 10, 25, 0, 0, tzinfo=LONDON)
    status = sla_status(day_policy, "resolution", started_at=autumn, now=autumn)
    assert status.deadline.astimezone(UTC) - autumn.astimezone(UTC) == timedelta(hours=24)
    assert status.deadline == datetime(2026, 10, 25, 23, 0, tzinfo=LONDON)
    first = datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    one = sla_status(day_policy, "resolution", started_at=first, now=second)
    assert one.used == timedelta(hours=1)
    spring = datetime(2026, 3, 29, 0, 0, tzinfo=LONDON)
    assert sla_status(day_policy, "resolution", started_at=spring, now=spring).deadline == (
        datetime(2026, 3, 30, 1, 0, tzinfo=LONDON)
    )


def test_a_half_hour_zone() -> None:
    mumbai = BusinessCalendar.weekdays("09:30", "18:00", timezone="Asia/Kolkata")
    two_hours = SlaPolicy(
        id="k",
        calendar=mumbai,
        targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=2))],
    )
    start = datetime(2026, 11, 20, 17, 0, tzinfo=KOLKATA)  # a Friday
    status = sla_status(two_hours, "acknowledgement", started_at=start, now=start)
    assert status.deadline == datetime(2026, 11, 23, 10, 30, tzinfo=KOLKATA)  # 1h Fri, 1h Mon


def test_bad_input_lists_every_problem_with_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        sla_status(
            "policy",  # type: ignore[arg-type]
            "resolution",
            started_at=datetime(2026, 11, 23, 9),
            now=hk(23, 10),
            pauses=[(hk(23, 9),)],  # type: ignore[list-item]
        )
    assert [p.path for p in caught.value.problems] == ["$.policy", "$.started_at", "$.pauses[0]"]
    with pytest.raises(ValidationError) as target:
        SlaTarget("resolution", business_time=timedelta(hours=1), working_days=2)
    assert [p.path for p in target.value.problems] == ["$.business_time"]
    with pytest.raises(ValidationError) as twice:
        SlaPolicy(
            id="p",
            calendar=DESK,
            targets=[
                SlaTarget("resolution", working_days=1),
                SlaTarget("resolution", working_days=2),
            ],
            warning_at=1.5,
        )
    assert [p.path for p in twice.value.problems] == ["$.targets[1].kind", "$.warning_at"]
    with pytest.raises(ValidationError) as missing:
        HOURS9.target("acknowledgement")
    assert [p.path for p in missing.value.problems] == ["$.kind"]
    with pytest.raises(ValidationError) as backwards:
        sla_status(HOURS9, "resolution", started_at=hk(23, 10), now=hk(23, 9))
    assert [p.path for p in backwards.value.problems] == ["$.now"]


instants = st.integers(0, 20 * 24 * 60).map(lambda minutes: hk(16, 0) + timedelta(minutes=minutes))


@settings(max_examples=60, deadline=None)
@given(start=instants, later=st.integers(0, 10 * 24 * 60), pause=st.tuples(instants, instants))
def test_the_answer_depends_only_on_the_history(
    start: datetime, later: int, pause: tuple[datetime, datetime]
) -> None:
    now = start + timedelta(minutes=later)
    pauses: list[tuple[datetime, datetime | None]] = [(min(pause), max(pause))]
    first = sla_status(HOURS9, "resolution", started_at=start, now=now, pauses=pauses)
    again = sla_status(HOURS9, "resolution", started_at=start, now=now, pauses=list(pauses))
    assert first == again
    plain = sla_status(HOURS9, "resolution", started_at=start, now=now)
    assert first.deadline >= plain.deadline  # a pause never brings a deadline forward
    assert first.allowed == timedelta(hours=9)
    assert (first.state is SlaState.BREACHED) == (now > first.deadline)


def test_a_complaints_clock_follows_its_waits_closures_and_reopenings() -> None:
    from retail_service_quality import Complaint
    from retail_service_quality.service.sla import complaint_sla

    received = hk(23, 9)
    complaint = (
        Complaint.receive(
            id="CMP-1", at=received, channel="email", store_id="HK-1", category="billing"
        )
        .acknowledge(at=hk(23, 10))
        .assess(at=hk(23, 10), severity=2, priority="normal")
        .investigate(at=hk(23, 11))
        .wait_on_customer(at=hk(23, 12), reason="receipt photo")
    )
    waiting = complaint_sla(HOURS9, complaint, "resolution", now=hk(24, 12))
    assert waiting.used == timedelta(hours=3)  # the clock stopped at noon on Monday
    replied = (
        complaint.record_reply(at=hk(24, 9))
        .respond(at=hk(24, 10), remedy="refund")
        .accept(at=hk(24, 10, 30))
    )
    closed = replied.close(at=hk(24, 11), root_cause="double-charge", corrective_action="fix-pos")
    done = complaint_sla(HOURS9, closed, "resolution", now=hk(26, 9))
    assert done.state is SlaState.MET
    assert done.used == timedelta(hours=5)
    reopened = closed.reopen(at=hk(25, 9), reason="charged again")
    again = complaint_sla(HOURS9, reopened, "resolution", now=hk(25, 13))
    assert again.done_at is None
    assert again.used == timedelta(hours=9)  # 5 before closing, 4 since the reopening
    assert again.state is SlaState.WARNING
    assert again.deadline == hk(25, 13)
    ack = complaint_sla(
        policy(acknowledgement={"business_time": timedelta(hours=2)}),
        reopened,
        "acknowledgement",
        now=hk(25, 13),
    )
    assert ack.done_at == hk(23, 10)
    assert ack.state is SlaState.MET
