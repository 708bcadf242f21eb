"""Complaints: every step of the ISO 10002 lifecycle, its history, repeats, JSON and records."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from retail_service_quality import (
    COMPLAINT_EVENT_KINDS,
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintAcknowledged,
    ComplaintReceived,
    ComplaintState,
    CustomerReplied,
    InvalidTransitionError,
    Remedy,
    ValidationError,
    WaitingOnCustomer,
    find_repeat,
    from_json,
    to_json,
    to_records,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
SECRET = "Mrs Chan of Flat 12B says the sofa smelled"  # personal: never in a repr or message
START = datetime(2026, 11, 30, 9, tzinfo=HONG_KONG)

# The lifecycle as this suite expects it, written out independently of the library's table.
EXPECTED = {
    "received": {"acknowledged": "acknowledged"},
    "acknowledged": {"assessed": "assessed"},
    "assessed": {"investigation_started": "investigating", "escalated": "escalated"},
    "investigating": {
        "waiting_on_customer": "waiting_on_customer",
        "responded": "responded",
        "escalated": "escalated",
    },
    "waiting_on_customer": {"customer_replied": "investigating"},
    "responded": {"accepted": "accepted", "declined": "declined"},
    "accepted": {"closed": "closed"},
    "declined": {"responded": "responded", "escalated": "escalated", "closed": "closed"},
    "escalated": {
        "investigation_started": "investigating",
        "responded": "responded",
        "closed": "closed",
    },
    "closed": {"reopened": "investigating"},
}
STEPS = [kind for kind in COMPLAINT_EVENT_KINDS if kind != "received"]
METHOD = {
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
ARGUMENTS: dict[str, dict[str, Any]] = {
    "assessed": {"severity": 3, "priority": "high"},
    "waiting_on_customer": {"reason": "receipt"},
    "responded": {"remedy": "refund", "amount_cents": 2500},
    "escalated": {"to": "store_manager"},
    "closed": {"root_cause": "carrier_delay", "corrective_action": "new_carrier"},
    "reopened": {"reason": "fault_recurred"},
}
# A shortest way to each state (from received).
PATHS = {
    "received": [],
    "acknowledged": ["acknowledged"],
    "assessed": ["acknowledged", "assessed"],
    "investigating": ["acknowledged", "assessed", "investigation_started"],
    "waiting_on_customer": [
        "acknowledged", "assessed", "investigation_started", "waiting_on_customer",
    ],
    "responded": ["acknowledged", "assessed", "investigation_started", "responded"],
    "accepted": ["acknowledged", "assessed", "investigation_started", "responded", "accepted"],
    "declined": ["acknowledged", "assessed", "investigation_started", "responded", "declined"],
    "escalated": [
        "acknowledged", "assessed", "investigation_started", "responded", "declined", "escalated",
    ],
    "closed": [
        "acknowledged", "assessed", "investigation_started", "responded", "accepted", "closed",
    ],
}  # fmt: skip


def received(
    id: str = "CMP-1",
    at: datetime = START,
    *,
    customer_id: str | None = "C-1",
    category: str = "late_delivery",
    **extra: Any,
) -> Complaint:
    return Complaint.receive(
        id=id, at=at, channel="hotline", store_id="HK-CWB", category=category,
        customer_id=customer_id, description=SECRET, remedy_requested="refund", **extra,
    )  # fmt: skip


def step(complaint: Complaint, kind: str, at: datetime) -> Complaint:
    method: Callable[..., Complaint] = getattr(complaint, METHOD[kind])
    return method(at=at, **ARGUMENTS.get(kind, {}))


def walk(
    kinds: list[str], start: datetime = START, gap: timedelta = timedelta(hours=1)
) -> Complaint:
    complaint = received(at=start)
    for index, kind in enumerate(kinds, start=1):
        complaint = step(complaint, kind, start + index * gap)
    return complaint


# ---------------------------------------------------------------- the table


def test_the_table_is_the_lifecycle() -> None:
    table = {
        state.value: {kind: target.value for kind, target in steps.items()}
        for state, steps in COMPLAINT_TRANSITIONS.items()
    }
    assert table == EXPECTED
    assert set(COMPLAINT_TRANSITIONS) == set(ComplaintState)
    assert set(STEPS) == set(METHOD)


@pytest.mark.parametrize("state", list(PATHS))
def test_each_path_reaches_its_state(state: str) -> None:
    assert walk(PATHS[state]).state == ComplaintState(state)


@pytest.mark.parametrize(("state", "kind"), [(state, kind) for state in PATHS for kind in STEPS])
def test_every_step_from_every_state(state: str, kind: str) -> None:
    complaint = walk(PATHS[state])
    later = START + timedelta(days=30)
    if kind in EXPECTED[state]:
        after = step(complaint, kind, later)
        assert after.state == ComplaintState(EXPECTED[state][kind])
        assert after.events()[:-1] == complaint.events()
        assert after.events()[-1].kind == kind
        assert after.events()[-1].number == len(complaint.events()) + 1
    else:
        with pytest.raises(InvalidTransitionError) as error:
            step(complaint, kind, later)
        message = str(error.value)
        assert message.startswith(f"cannot {METHOD[kind]} a complaint that is {state}: ")
        for allowed in EXPECTED[state]:
            assert METHOD[allowed] in message
    assert complaint == walk(PATHS[state])  # the original is unchanged


def test_an_escalation_before_any_offer_cannot_close() -> None:
    complaint = walk(["acknowledged", "assessed", "escalated"])
    with pytest.raises(InvalidTransitionError, match="cannot close a complaint that is escalated"):
        step(complaint, "closed", START + timedelta(days=1))
    offered = step(complaint, "responded", START + timedelta(days=1))
    assert step(offered, "declined", START + timedelta(days=2)).state is ComplaintState.DECLINED


def test_a_complaint_is_received_once() -> None:
    complaint = received()
    again = ComplaintReceived(
        at=START, reference="CMP-1", channel="email", store_id="S", category="c"
    )
    with pytest.raises(InvalidTransitionError, match="received once"):
        complaint.append(again)
    with pytest.raises(ValidationError) as error:
        complaint.append("acknowledged")  # type: ignore[arg-type]
    assert error.value.problems[0].path == "$"


def test_the_brief_message_names_state_and_step() -> None:
    with pytest.raises(InvalidTransitionError) as error:
        walk(["acknowledged"]).close(at=START, root_cause="x", corrective_action="y")
    assert str(error.value) == (
        "cannot close a complaint that is acknowledged: the steps allowed now are assess"
    )


def test_reopening_returns_to_investigating_and_keeps_the_last_root_cause() -> None:
    complaint = walk(PATHS["closed"])
    assert complaint.closed_at == START + timedelta(hours=6)
    reopened = complaint.reopen(at=START + timedelta(days=3), reason="recurred")
    assert reopened.state is ComplaintState.INVESTIGATING
    assert reopened.closed_at is None
    assert reopened.root_cause == "carrier_delay"
    again = (
        reopened.respond(at=START + timedelta(days=4), remedy="credit")
        .accept(at=START + timedelta(days=5))
        .close(at=START + timedelta(days=6), root_cause="packing", corrective_action="new_boxes")
    )
    assert (again.root_cause, again.corrective_action) == ("packing", "new_boxes")
    assert again.remedy_offered is Remedy.CREDIT
    assert again.closed_at == START + timedelta(days=6)


def test_derived_values() -> None:
    complaint = walk([*PATHS["investigating"], "waiting_on_customer", "customer_replied"])
    assert complaint.received_at == START
    assert complaint.remedy_requested is Remedy.REFUND
    assert complaint.remedy_offered is None
    assert complaint.severity == 3
    assert complaint.priority is not None
    assert complaint.priority.value == "high"
    assert complaint.pauses() == ((START + timedelta(hours=4), START + timedelta(hours=5)),)
    assert complaint.category == "late_delivery"
    recategorised = (
        received()
        .acknowledge(at=START)
        .assess(at=START, severity=1, priority="low", category="damaged_item")
    )
    assert recategorised.category == "damaged_item"


def test_acknowledgement_and_assessment_may_share_an_instant() -> None:
    complaint = received().acknowledge(at=START).assess(at=START, severity=1, priority="low")
    assert [event.kind for event in complaint.events()] == ["received", "acknowledged", "assessed"]


# ---------------------------------------------------------------- time


def test_an_earlier_event_is_refused_with_its_path() -> None:
    complaint = received()
    with pytest.raises(ValidationError) as error:
        complaint.acknowledge(at=START - timedelta(seconds=1))
    assert [(p.path, p.code) for p in error.value.problems] == [("$.at", "inconsistent")]


def test_the_repeated_london_hour_compares_as_instants() -> None:
    first_pass = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # BST, 00:45 UTC
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # GMT, 01:30 UTC
    complaint = received(at=first_pass).acknowledge(at=second_pass)
    assert complaint.events()[-1].at == second_pass
    # the other way round is 45 minutes back in time, though the wall clock moves on
    with pytest.raises(ValidationError):
        received(at=second_pass).acknowledge(at=first_pass.replace(minute=59))
    waited = walk(PATHS["investigating"], start=first_pass - timedelta(hours=4))
    waited = waited.wait_on_customer(at=first_pass, reason="photo").record_reply(at=second_pass)
    (start, end) = waited.pauses()[0]
    assert end is not None
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=45)
    assert from_json(to_json(waited), Complaint) == waited
    assert from_json(to_json(waited), Complaint).pauses()[0][1].fold == 1  # type: ignore[union-attr]


def test_the_skipped_london_hour_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        received(at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert [(p.path, p.code) for p in error.value.problems] == [("$.at", "nonexistent_time")]
    complaint = received(at=datetime(2026, 3, 29, 0, 30, tzinfo=LONDON))
    with pytest.raises(ValidationError):
        complaint.acknowledge(at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert complaint.acknowledge(at=datetime(2026, 3, 29, 2, 0, tzinfo=LONDON)).state.value == (
        "acknowledged"
    )


def test_half_hour_zones_compare_as_instants() -> None:
    kolkata = datetime(2026, 11, 30, 12, 0, tzinfo=KOLKATA)  # 06:30 UTC
    adelaide = datetime(2026, 11, 30, 16, 45, tzinfo=ADELAIDE)  # ACDT +10:30: 06:15 UTC
    with pytest.raises(ValidationError):
        received(at=kolkata).acknowledge(at=adelaide)
    assert received(at=adelaide).acknowledge(at=kolkata).state is ComplaintState.ACKNOWLEDGED
    later = received("CMP-2", at=kolkata)
    earlier = received("CMP-1", at=adelaide)
    assert find_repeat(later, [earlier], window=timedelta(minutes=15)) == earlier
    assert find_repeat(later, [earlier], window=timedelta(minutes=14, seconds=59)) is None


def test_the_ends_of_the_range() -> None:
    first = received("CMP-1", at=MIN_INSTANT)
    last = received("CMP-2", at=MAX_INSTANT)
    assert walk(PATHS["closed"], start=MIN_INSTANT).state is ComplaintState.CLOSED
    assert last.acknowledge(at=MAX_INSTANT).state is ComplaintState.ACKNOWLEDGED
    assert find_repeat(last, [first], window=timedelta.max) == first
    assert find_repeat(first, [last], window=timedelta.max) is None
    with pytest.raises(ValidationError) as error:
        last.acknowledge(at=datetime.max.replace(tzinfo=UTC))
    assert error.value.problems[0].code == "range"
    assert from_json(to_json(last), Complaint) == last


# ---------------------------------------------------------------- repeats


def test_find_repeat_takes_the_latest_in_the_window_of_the_same_customer_and_category() -> None:
    def at(day: int) -> datetime:
        return datetime(2026, 11, day, 10, tzinfo=HONG_KONG)

    now = received("NOW", at=at(30))
    history = [
        received("OLD", at=at(1)),  # 29 days before: inside a 30-day window
        received("NEWER", at=at(20)),
        received("OTHER-CATEGORY", at=at(25), category="billing"),
        received("OTHER-CUSTOMER", at=at(26), customer_id="C-2"),
        received("ANONYMOUS", at=at(27), customer_id=None),
        received("LATER", at=datetime(2026, 12, 1, tzinfo=HONG_KONG)),
        received("SAME-INSTANT", at=at(30)),
        now,
    ]
    assert find_repeat(now, history, window=timedelta(days=30)).id == "NEWER"  # type: ignore[union-attr]
    assert find_repeat(now, history[:1], window=timedelta(days=29)).id == "OLD"  # type: ignore[union-attr]
    assert (
        find_repeat(now, history[:1], window=timedelta(days=29) - timedelta(microseconds=1)) is None
    )
    assert find_repeat(received("X", customer_id=None), history, window=timedelta(days=99)) is None
    assert find_repeat(now, iter(history), window=timedelta(0)) is None
    linked = received("NOW", at=at(30), repeat_of="NEWER")
    assert linked.repeat_of == "NEWER"


def test_find_repeat_reads_the_assessed_category() -> None:
    earlier = (
        received("A")
        .acknowledge(at=START)
        .assess(at=START, severity=1, priority="low", category="billing")
    )
    now = received("B", at=START + timedelta(days=1), category="billing")
    assert find_repeat(now, [earlier], window=timedelta(days=2)) == earlier


def test_find_repeat_ties_go_to_the_greater_id() -> None:
    now = received("Z", at=START + timedelta(days=1))
    both = [received("B"), received("A")]
    assert find_repeat(now, both, window=timedelta(days=2)).id == "B"  # type: ignore[union-attr]


def test_find_repeat_reports_every_bad_argument() -> None:
    with pytest.raises(ValidationError) as error:
        find_repeat("CMP-1", [received(), 3], window=-timedelta(days=1))  # type: ignore[arg-type, list-item]
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.complaint", "type"),
        ("$.window", "range"),
        ("$.earlier[1]", "type"),
    ]
    for earlier in ("CMP-1", None, {"a": received()}):
        with pytest.raises(ValidationError) as error:
            find_repeat(received(), earlier, window=30)  # type: ignore[arg-type]
        assert [p.path for p in error.value.problems] == ["$.window", "$.earlier"]


def test_a_complaint_cannot_repeat_itself() -> None:
    with pytest.raises(ValidationError) as error:
        received(repeat_of="CMP-1")
    assert [(p.path, p.code) for p in error.value.problems] == [("$.repeat_of", "inconsistent")]


# ---------------------------------------------------------------- bad input


def test_receive_reports_every_problem_with_its_path() -> None:
    with pytest.raises(ValidationError) as error:
        Complaint.receive(
            id=" ", at=datetime(2026, 11, 30, 9), channel="pigeon", store_id=5,  # type: ignore[arg-type]
            category="", customer_id="x" * 201, description="bad" + chr(0xD800),
            remedy_requested="money", repeat_of=7, by="",  # type: ignore[arg-type]
        )  # fmt: skip
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.at", "naive_datetime"),
        ("$.by", "format"),
        ("$.reference", "format"),
        ("$.channel", "unknown_choice"),
        ("$.store_id", "type"),
        ("$.category", "format"),
        ("$.customer_id", "range"),
        ("$.description", "format"),
        ("$.remedy_requested", "unknown_choice"),
        ("$.repeat_of", "type"),
    ]


@pytest.mark.parametrize(
    ("kind", "arguments", "expected"),
    [
        ("assessed", {"severity": 5, "priority": "soon", "category": " x"},
         [("$.severity", "range"), ("$.priority", "unknown_choice"), ("$.category", "format")]),
        ("assessed", {"severity": True, "priority": None},
         [("$.severity", "type"), ("$.priority", "type")]),
        ("assessed", {"severity": 2.0, "priority": "low"}, [("$.severity", "type")]),
        ("waiting_on_customer", {"reason": ""}, [("$.reason", "format")]),
        ("responded", {"remedy": "cash", "amount_cents": -1},
         [("$.remedy", "unknown_choice"), ("$.amount_cents", "range")]),
        ("responded", {"remedy": "refund", "amount_cents": float("nan")},
         [("$.amount_cents", "type")]),
        ("responded", {"remedy": "refund", "amount_cents": 2**53}, [("$.amount_cents", "range")]),
        ("responded", {"remedy": "refund", "amount_cents": False}, [("$.amount_cents", "type")]),
        ("escalated", {"to": None}, [("$.to", "type")]),
        ("closed", {"root_cause": "", "corrective_action": "y" * 201},
         [("$.root_cause", "format"), ("$.corrective_action", "range")]),
        ("reopened", {"reason": chr(0xDFFF)}, [("$.reason", "format")]),
    ],
)  # fmt: skip
def test_each_step_reports_every_problem_with_its_path(
    kind: str, arguments: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    state = next(state for state, steps in EXPECTED.items() if kind in steps)
    complaint = walk(PATHS[state])
    method = getattr(complaint, METHOD[kind])
    with pytest.raises(ValidationError) as error:
        method(at=START + timedelta(days=1), **arguments)
    assert [(p.path, p.code) for p in error.value.problems] == expected


def test_a_bad_instant_and_staff_id_on_any_step() -> None:
    complaint = received()
    for bad, code in ((datetime(2026, 12, 1), "naive_datetime"), ("2026-12-01", "type")):
        with pytest.raises(ValidationError) as error:
            complaint.acknowledge(at=bad, by=3)  # type: ignore[arg-type]
        assert [(p.path, p.code) for p in error.value.problems] == [
            ("$.at", code),
            ("$.by", "type"),
        ]


def test_a_history_out_of_turn_is_refused_with_paths() -> None:
    complaint = walk(PATHS["responded"])
    fields = attrs.asdict(complaint, recurse=False)
    # a response numbered before the investigation started
    fields["responses"] = (attrs.evolve(complaint.responses[0], number=3),)
    fields["assessments"] = (attrs.evolve(complaint.assessments[0], number=5),)
    with pytest.raises(ValidationError) as error:
        Complaint(**fields)
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.responses[0].kind", "invalid"),
        ("$.investigations[0].at", "inconsistent"),
        ("$.assessments[0].at", "inconsistent"),
    ]
    fields = attrs.asdict(complaint, recurse=False)
    fields["acknowledgements"] = (attrs.evolve(complaint.acknowledgements[0], number=9),)
    with pytest.raises(ValidationError) as error:
        Complaint(**fields)
    assert error.value.problems[0].path == "$.acknowledgements[0].number"
    fields = attrs.asdict(complaint, recurse=False)
    fields["acknowledgements"] = (
        attrs.evolve(complaint.acknowledgements[0], at=START - timedelta(days=1)),
    )
    with pytest.raises(ValidationError) as error:
        Complaint(**fields)
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.acknowledgements[0].at", "inconsistent")
    ]


def test_a_complaint_of_the_wrong_shapes_reports_every_problem() -> None:
    with pytest.raises(ValidationError) as error:
        Complaint(
            id="CMP-9", receipt=received().receipt, waits=[CustomerReplied(at=START)],
            closures="none", version=0,
        )  # fmt: skip
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.receipt.reference", "inconsistent"),
        ("$.waits[0]", "type"),
        ("$.closures", "type"),
        ("$.version", "range"),
    ]
    with pytest.raises(ValidationError) as error:
        Complaint()
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.id", "required"),
        ("$.receipt", "required"),
    ]


def test_appending_a_numbered_event_out_of_turn() -> None:
    complaint = received()
    assert complaint.append(ComplaintAcknowledged(at=START, number=2)).state.value == (
        "acknowledged"
    )
    with pytest.raises(ValidationError) as error:
        complaint.append(ComplaintAcknowledged(at=START, number=7))
    assert [(p.path, p.code) for p in error.value.problems] == [("$.number", "inconsistent")]


# ---------------------------------------------------------------- personal data


def test_no_personal_value_in_reprs_records_or_errors() -> None:
    complaint = walk(PATHS["closed"])
    assert SECRET not in repr(complaint)
    assert SECRET not in repr(complaint.receipt)
    assert SECRET not in repr(complaint.events())
    assert SECRET not in str(complaint.to_records())
    assert SECRET not in complaint._repr_html_()
    assert SECRET not in str(to_records([complaint]))
    assert SECRET in str(to_records([complaint], personal=True))
    calls: tuple[Callable[[], object], ...] = (
        lambda: complaint.acknowledge(at=START),
        lambda: Complaint.receive(
            id="X", at=START, channel="hotline", store_id="S", category=f" {SECRET}",
            description=SECRET,
        ),
        lambda: Complaint.receive(
            id="X", at=START, channel=SECRET, store_id="S", category="c", description=SECRET,
        ),
        lambda: from_json(to_json(complaint).replace('"hotline"', json.dumps(SECRET)), Complaint),
    )  # fmt: skip
    for call in calls:
        with pytest.raises((ValidationError, InvalidTransitionError)) as error:
            call()
        assert SECRET not in str(error.value)
        assert SECRET not in repr(getattr(error.value, "problems", ()))


# ---------------------------------------------------------------- JSON and records


def test_records_have_the_derived_columns() -> None:
    complaint = walk(PATHS["closed"])
    (row,) = complaint.to_records()
    assert row["id"] == "CMP-1"
    assert row["state"] == "closed"
    assert row["received_at"] == START
    assert row["closed_at"] == START + timedelta(hours=6)
    assert row["remedy_requested"] == "refund"
    assert row["remedy_offered"] == "refund"
    assert (row["category"], row["channel"], row["store_id"]) == (
        "late_delivery", "hotline", "HK-CWB",
    )  # fmt: skip
    assert row["root_cause"] == "carrier_delay"
    assert list(row) == [
        "id", "version", "state", "received_at", "closed_at", "customer_id", "store_id",
        "channel", "category", "severity", "priority", "remedy_requested", "remedy_offered",
        "amount_offered_cents", "escalated_to", "root_cause", "corrective_action", "accepted",
        "recourse", "repeat_of",
        "sla_policy_id", "acknowledged_at",
    ]  # fmt: skip
    (full,) = to_records([complaint], personal=True)
    assert full["receipt_description"] == SECRET
    assert len(full["closures"]) == 1
    assert to_records([complaint]) == [row]


def test_json_reads_each_event_by_its_kind_and_refuses_an_unknown_one() -> None:
    complaint = walk(PATHS["closed"])
    data = json.loads(to_json(complaint))
    assert data["receipt"]["kind"] == "received"
    assert data["closures"][0]["kind"] == "closed"
    events = from_json(json.dumps([json.loads(to_json(e)) for e in complaint.events()]), list)
    assert len(events) == len(complaint.events())
    data["closures"][0]["kind"] = "accepted"
    with pytest.raises(ValidationError) as error:
        from_json(json.dumps(data), Complaint)
    assert error.value.problems[0].path == "$.closures[0].kind"


HISTORIES = st.lists(st.sampled_from(STEPS), max_size=25)


@given(
    kinds=HISTORIES,
    gaps=st.lists(st.integers(0, 10**7), min_size=25, max_size=25),
    zone=st.sampled_from([LONDON, KOLKATA, ADELAIDE, UTC]),
)
def test_any_legal_history_round_trips_through_json(
    kinds: list[str], gaps: list[int], zone: Any
) -> None:
    moment = datetime(2026, 10, 24, 23, 0, tzinfo=UTC).astimezone(zone)
    complaint = received(at=moment)
    for kind, gap in zip(kinds, gaps, strict=False):
        moment = (moment.astimezone(UTC) + timedelta(seconds=gap)).astimezone(zone)
        try:
            complaint = step(complaint, kind, moment)
        except InvalidTransitionError:
            continue
    again = from_json(to_json(complaint), Complaint)
    assert again == complaint
    assert again.state == complaint.state
    assert again.pauses() == complaint.pauses()


# ---------------------------------------------------------------- the stateful test


def replay(events: tuple[Any, ...]) -> str:
    """The state a history leads to, by the suite's own table."""
    assert events[0].kind == "received"
    state = "received"
    for event in events[1:]:
        state = EXPECTED[state][event.kind]
    return state


class Lifecycle(RuleBasedStateMachine):
    """Random legal and illegal steps, at random (sometimes earlier) instants and zones."""

    @initialize(zone=st.sampled_from([LONDON, KOLKATA, ADELAIDE, HONG_KONG]))
    def receive(self, zone: Any) -> None:
        self.now = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # a day before London's change
        self.complaint = received(at=self.now.astimezone(zone))
        self.state = "received"
        self.offered = False

    @rule(
        kind=st.sampled_from(STEPS),
        seconds=st.integers(-7200, 3 * 86400),
        zone=st.sampled_from([LONDON, KOLKATA, ADELAIDE, UTC]),
        remedy=st.sampled_from(list(Remedy)),
    )
    def take_a_step(self, kind: str, seconds: int, zone: Any, remedy: Remedy) -> None:
        moment = (self.now + timedelta(seconds=seconds)).astimezone(zone)
        before = self.complaint
        arguments = dict(ARGUMENTS.get(kind, {}))
        if kind == "responded":
            arguments["remedy"] = remedy
        call = getattr(before, METHOD[kind])
        legal = kind in EXPECTED[self.state] and (kind != "closed" or self.offered)
        if not legal:
            with pytest.raises(InvalidTransitionError) as error:
                call(at=moment, **arguments)
            assert f"a complaint that is {self.state}" in str(error.value)
            return
        if seconds < 0:
            with pytest.raises(ValidationError) as refused:
                call(at=moment, **arguments)
            assert refused.value.problems[0].path == "$.at"
            return
        self.complaint = call(at=moment, **arguments)
        self.now = moment.astimezone(UTC)
        self.state = EXPECTED[self.state][kind]
        self.offered = self.offered or kind == "responded"
        assert before.events() == self.complaint.events()[:-1]
        if kind == "reopened":
            assert self.complaint.state is ComplaintState.INVESTIGATING
        if kind == "responded":
            assert self.complaint.remedy_offered is remedy

    @rule()
    def round_trip(self) -> None:
        assert from_json(to_json(self.complaint), Complaint) == self.complaint

    @invariant()
    def state_is_the_replay_of_the_events(self) -> None:
        assert self.complaint.state.value == self.state == replay(self.complaint.events())
        assert [event.number for event in self.complaint.events()] == list(
            range(1, len(self.complaint.events()) + 1)
        )

    @invariant()
    def a_closed_complaint_has_a_remedy_and_a_root_cause(self) -> None:
        if self.complaint.state is ComplaintState.CLOSED:
            assert self.complaint.remedy_offered is not None
            assert self.complaint.root_cause is not None
            assert self.complaint.corrective_action is not None
            assert self.complaint.closed_at == self.complaint.events()[-1].at
        else:
            assert self.complaint.closed_at is None

    @invariant()
    def pauses_never_overlap_and_start_when_waiting(self) -> None:
        pauses = self.complaint.pauses()
        starts = [e.at for e in self.complaint.events() if isinstance(e, WaitingOnCustomer)]
        assert [start for start, _ in pauses] == starts
        for (_, end), (following, _) in pairwise(pauses):
            assert end is not None
            assert end.astimezone(UTC) <= following.astimezone(UTC)
        for start, end in pauses:
            assert end is None or start.astimezone(UTC) <= end.astimezone(UTC)
        open_pause = bool(pauses) and pauses[-1][1] is None
        assert open_pause == (self.complaint.state is ComplaintState.WAITING_ON_CUSTOMER)


Lifecycle.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
TestLifecycle = Lifecycle.TestCase
