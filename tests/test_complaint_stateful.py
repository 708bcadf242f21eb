"""The complaint lifecycle as random steps, legal and illegal, saved on both stores at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from retail_service_quality import (
    COMPLAINT_EVENT_KINDS,
    COMPLAINT_TRANSITIONS,
    BusinessCalendar,
    Complaint,
    ComplaintState,
    ConflictError,
    Customer,
    InMemoryStore,
    InvalidTransitionError,
    NotFoundError,
    RSQError,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
)
from retail_service_quality.service.sla import SlaState, TargetKind, complaint_sla
from retail_service_quality.storage.ports import Store, UnitOfWork
from retail_service_quality.testing.strategies import COMPLAINT_STEP_ARGUMENTS

HK = ZoneInfo("Asia/Hong_Kong")
START = datetime(2026, 11, 30, 9, tzinfo=HK)  # a Monday
STEPS = sorted(COMPLAINT_STEP_ARGUMENTS)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
POLICIES = [
    SlaPolicy(
        id="desk",
        calendar=BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong"),
        targets=[
            SlaTarget("acknowledgement", business_time=timedelta(hours=2)),
            SlaTarget("resolution", business_time=timedelta(hours=9)),
        ],
    ),
    SlaPolicy(
        id="holidays",
        calendar=BusinessCalendar(
            "Asia/Hong_Kong", {day: [("09:00", "18:00")] for day in WEEKDAYS}, holiday_country="HK"
        ),
        targets=[SlaTarget("resolution", working_days=2)],
    ),
    SlaPolicy(
        id="always",
        calendar=BusinessCalendar(
            "Europe/London",
            {day: [("00:00", "24:00")] for day in (*WEEKDAYS, "sat", "sun")},
        ),
        targets=[SlaTarget("acknowledgement", business_time=timedelta(minutes=30))],
        warning_at=0.5,
    ),
    SlaPolicy(
        id="kolkata",
        calendar=BusinessCalendar.weekdays("09:30", "17:30", timezone="Asia/Kolkata"),
        targets=[
            SlaTarget("acknowledgement", working_days=1),
            SlaTarget("resolution", business_time=timedelta(hours=20)),
        ],
    ),
]
ZONES = [ZoneInfo(key) for key in ("Asia/Hong_Kong", "UTC", "Europe/London", "Asia/Kolkata")]
GAPS = st.sampled_from([0, 1, 10, 60, 240, 900, 1_440, 4_320]).map(lambda m: timedelta(minutes=m))
IDS = st.sampled_from(["CMP-1", "CMP-2", "CMP-3", "CMP-4"])
LATER = (timedelta(0), timedelta(hours=1), timedelta(days=1), timedelta(days=10))


def _step(complaint: Complaint, kind: str, at: datetime, arguments: dict[str, Any]) -> Complaint:
    method: Callable[..., Complaint] = getattr(complaint, COMPLAINT_EVENT_KINDS[kind].STEP)
    return method(at=at, **arguments)


def _legal(complaint: Complaint, kind: str) -> bool:
    allowed = COMPLAINT_TRANSITIONS[complaint.state]
    return kind in allowed and (kind != "closed" or complaint.remedy_offered is not None)


def _outcome(action: Callable[[], Any]) -> Any:
    try:
        return ("ok", action())
    except RSQError as error:
        return ("error", type(error))


def _replayed(complaint: Complaint) -> Complaint:
    """The same history appended event by event to a new receipt."""
    rebuilt = Complaint(id=complaint.id, receipt=complaint.receipt, sla_policy=complaint.sla_policy)
    for event in complaint.events()[1:]:
        rebuilt = rebuilt.append(attrs.evolve(event, number=0))
    return rebuilt


class ComplaintLifecycle(RuleBasedStateMachine):
    """Random lifecycles on both stores; the model is the last committed complaint of each id."""

    received_ids = Bundle("received_ids")

    def __init__(self) -> None:
        super().__init__()
        self.stores: tuple[Store, Store] = (InMemoryStore(), SQLiteStore(":memory:"))
        self.model: dict[str, Complaint] = {}
        self.clock = START
        for store in self.stores:
            with store.unit_of_work() as uow:
                uow.customers.add_many(
                    Customer(id=customer_id, name="Chan Tai Man", created_at=START)
                    for customer_id in ("C-1", "C-2")
                )
                uow.commit()

    def teardown(self) -> None:
        for store in self.stores:
            store.close()

    def _both(self, operation: Callable[[UnitOfWork], Any], *, commit: bool = True) -> Any:
        outcomes = []
        for store in self.stores:
            with store.unit_of_work() as uow:
                outcome = _outcome(lambda: operation(uow))
                if commit and outcome[0] == "ok":
                    uow.commit()
            outcomes.append(outcome)
        assert outcomes[0] == outcomes[1], f"the stores disagree: {outcomes}"
        return outcomes[0]

    def _next(self, gap: timedelta, zone: ZoneInfo) -> datetime:
        self.clock = (self.clock.astimezone(UTC) + gap).astimezone(zone)
        return self.clock

    # ------------------------------------------------------------ rules

    @rule(
        target=received_ids,
        record_id=IDS,
        customer_id=st.none() | st.sampled_from(["C-1", "C-2", "C-404"]),
        policy=st.none() | st.sampled_from(POLICIES),
        channel=st.sampled_from(["hotline", "email", "online", "meeting"]),
        category=st.sampled_from(["billing", "faulty_item"]),
        gap=GAPS,
        zone=st.sampled_from(ZONES),
    )
    def receive(
        self,
        record_id: str,
        customer_id: str | None,
        policy: SlaPolicy | None,
        channel: str,
        category: str,
        gap: timedelta,
        zone: ZoneInfo,
    ) -> Any:
        complaint = Complaint.receive(
            id=record_id,
            at=self._next(gap, zone),
            channel=channel,
            store_id="HK-CWB" if category == "billing" else "HK-TST",
            category=category,
            customer_id=customer_id,
            description="the kettle leaks",
            sla_policy=policy,
        )
        outcome = self._both(lambda uow: uow.complaints.add(complaint))
        if record_id in self.model:
            assert outcome == ("error", ConflictError)
        elif customer_id == "C-404":
            assert outcome == ("error", NotFoundError)
        else:
            assert outcome == ("ok", None)
            self.model[record_id] = complaint
            return record_id
        return multiple()

    @rule(
        record_id=received_ids,
        legal=st.sampled_from([True, True, True, False]),
        gap=GAPS,
        zone=st.sampled_from(ZONES),
        commit=st.sampled_from([True, True, True, False]),
        data=st.data(),
    )
    def step(
        self,
        record_id: str,
        legal: bool,
        gap: timedelta,
        zone: ZoneInfo,
        commit: bool,
        data: st.DataObject,
    ) -> None:
        """A step, legal three times in four (so that cases get far), or any step at all."""
        current = self.model.get(record_id)
        if current is None:
            return
        allowed = [kind for kind in STEPS if _legal(current, kind)]
        kind = data.draw(st.sampled_from(allowed if legal and allowed else STEPS))
        read = self._both(lambda uow: uow.complaints.get(record_id), commit=False)
        assert read == ("ok", current)
        arguments = data.draw(COMPLAINT_STEP_ARGUMENTS[kind])
        at = self._next(gap, zone)
        if not _legal(current, kind):
            with pytest.raises(InvalidTransitionError) as refused:
                _step(current, kind, at, arguments)
            assert current.state.value in str(refused.value)
            return  # nothing was saved: the invariants check the stores still hold ``current``
        moved = _step(current, kind, at, arguments)
        outcome = self._both(lambda uow: uow.complaints.save(moved), commit=commit)
        saved = attrs.evolve(moved, version=current.version + 1)
        assert outcome == ("ok", saved)
        if commit:
            self.model[record_id] = saved

    @rule(record_id=received_ids, gap=GAPS, data=st.data())
    def save_stale(self, record_id: str, gap: timedelta, data: st.DataObject) -> None:
        """Two clerks step the same read: the second save conflicts and changes nothing."""
        current = self.model.get(record_id)
        if current is None:
            return
        allowed = [kind for kind in STEPS if _legal(current, kind)]
        kind = data.draw(st.sampled_from(allowed))
        first = _step(current, kind, self._next(gap, HK), data.draw(COMPLAINT_STEP_ARGUMENTS[kind]))
        assert self._both(lambda uow: uow.complaints.save(first))[0] == "ok"
        self.model[record_id] = attrs.evolve(first, version=current.version + 1)
        second = _step(
            current, kind, self._next(gap, HK), data.draw(COMPLAINT_STEP_ARGUMENTS[kind])
        )
        assert self._both(lambda uow: uow.complaints.save(second)) == ("error", ConflictError)

    # ------------------------------------------------------------ invariants

    @invariant()
    def both_stores_hold_the_model_and_agree(self) -> None:
        expected = sorted(self.model.values(), key=lambda c: (c.received_at.astimezone(UTC), c.id))
        assert self._both(lambda uow: list(uow.complaints.query()), commit=False) == (
            "ok",
            expected,
        )
        for kind in TargetKind:
            listed = sorted(
                (c.due_at(kind), c.id) for c in self.model.values() if c.due_at(kind) is not None
            )
            found = self._both(lambda uow: list(uow.complaints.due(kind)), commit=False)  # noqa: B023
            assert found[0] == "ok"
            assert [c.id for c in found[1]] == [item[1] for item in listed]

    @invariant()
    def a_closed_complaint_has_a_remedy_a_root_cause_and_a_corrective_action(self) -> None:
        for complaint in self.model.values():
            if complaint.state is ComplaintState.CLOSED:
                assert complaint.remedy_offered is not None
                assert complaint.root_cause is not None
                assert complaint.corrective_action is not None
                assert complaint.closed_at is not None

    @invariant()
    def the_clock_never_runs_while_waiting_on_the_customer(self) -> None:
        for complaint in self.model.values():
            policy = complaint.sla_policy
            if policy is None:
                continue
            for target in policy.targets:
                for start, end in complaint.pauses():
                    finish = end if end is not None else self.clock + timedelta(days=3)
                    inside = start + (finish - start) / 2
                    used = [
                        complaint.sla(target.kind, now=moment.astimezone(UTC)).used
                        for moment in (start, inside, finish)
                    ]
                    assert used[0] == used[1] == used[2], used

    @invariant()
    def a_reopened_deadline_follows_the_history(self) -> None:
        for complaint in self.model.values():
            policy = complaint.sla_policy
            if not complaint.reopenings or complaint.state is ComplaintState.CLOSED:
                continue
            if policy is None or complaint.state is ComplaintState.WAITING_ON_CUSTOMER:
                continue
            if all(target.kind is not TargetKind.RESOLUTION for target in policy.targets):
                continue
            last = complaint.events()[-1].at.astimezone(UTC)
            recomputed = complaint_sla(policy, _replayed(complaint), "resolution", now=last)
            assert complaint.due_at("resolution") == recomputed.deadline
            target = policy.target("resolution")
            if target.business_time is not None:
                stops = [(start, end or last) for start, end in complaint.clock_stops()]
                by_hand = policy.calendar.add(
                    complaint.received_at, target.business_time, pauses=stops
                )
                assert complaint.due_at("resolution") == by_hand

    @invariant()
    def due_lists_exactly_what_is_breached(self) -> None:
        store = self.stores[0]
        for later in LATER:
            moment = self.clock.astimezone(UTC) + later + timedelta(microseconds=1)
            for kind in TargetKind:
                with store.unit_of_work(read_only=True) as uow:
                    listed = {c.id for c in uow.complaints.due(kind, before=moment)}
                for complaint in self.model.values():
                    policy = complaint.sla_policy
                    if policy is None or all(t.kind is not kind for t in policy.targets):
                        assert complaint.id not in listed
                        continue
                    breached = complaint.sla(kind, now=moment).state is SlaState.BREACHED
                    assert (complaint.id in listed) is breached, (complaint.id, kind, later)


ComplaintLifecycle.TestCase.settings = settings(
    max_examples=max(10, settings().max_examples // 3),
    stateful_step_count=40,
    deadline=None,
)
TestComplaintLifecycle = ComplaintLifecycle.TestCase
