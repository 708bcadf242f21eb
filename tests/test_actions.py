"""Improvement actions: the lifecycle by its state table, validation in one round, personal
data kept out, JSON, and reminders by rules across daylight-saving changes and zones."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    ACTION_MOVES,
    ActionMove,
    ActionStatus,
    ActionStep,
    ActionTarget,
    DocumentRef,
    FindingRef,
    ImprovementAction,
    InvalidTransitionError,
    RuleSet,
    ValidationError,
    action_reminder_rules,
    action_reminders,
    from_json,
    json_schema,
    to_json,
    to_records,
)
from retail_service_quality.rules import Rule, eq, flag, notify
from retail_service_quality.testing.contract_actions import improvement_actions

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
RAISED = datetime(2026, 10, 1, 9, tzinfo=UTC)
SECRET = "Mrs Chan of Flat 3B was refunded twice"


def _action(**changes: Any) -> ImprovementAction:
    fields: dict[str, Any] = {
        "id": "CA-1",
        "type": "corrective",
        "title": "Retrain the hotline on refunds",
        "owner": "store_manager",
        "raised_at": RAISED,
        "due": date(2026, 10, 30),
        "finding": FindingRef("criterion", "hotline-fcr"),
        "document": DocumentRef("PROC-REFUND", 2),
        "target": ActionTarget("fcr", store_ids=["HK-1"]),
    }
    fields.update(changes)
    return ImprovementAction(**fields)


# ---------------------------------------------------------------- the lifecycle


def test_the_happy_path_stamps_every_move() -> None:
    action = _action()
    assert (action.status, action.allowed_moves) == (ActionStatus.OPEN, ("start", "cancel"))
    started = action.start(at=RAISED + timedelta(days=1))
    done = started.complete(at=RAISED + timedelta(days=20))
    verified = done.verify(at=RAISED + timedelta(days=60), effective=True)
    assert [step.move for step in verified.history] == [
        ActionMove.START,
        ActionMove.COMPLETE,
        ActionMove.VERIFY_EFFECTIVE,
    ]
    assert verified.status is ActionStatus.EFFECTIVE
    assert verified.started_at == RAISED + timedelta(days=1)
    assert verified.completed_at == RAISED + timedelta(days=20)
    assert verified.closed_at == RAISED + timedelta(days=60)
    assert verified.allowed_moves == ()
    assert action.status is ActionStatus.OPEN  # each move returns a new action
    assert done.verify(at=RAISED + timedelta(days=61), effective=False).status.value == (
        "ineffective"
    )


@settings(max_examples=200, deadline=None)
@given(
    moves=st.lists(st.sampled_from(ActionMove), max_size=8),
    gaps=st.lists(st.integers(0, 10**6), min_size=8, max_size=8),
)
def test_any_sequence_of_moves_follows_the_state_table(
    moves: list[ActionMove], gaps: list[int]
) -> None:
    action = _action()
    status = ActionStatus.OPEN
    moment = RAISED
    for move, gap in zip(moves, gaps, strict=False):
        moment = moment + timedelta(seconds=gap)
        sources, target = ACTION_MOVES[move]
        if status in sources:
            action = action.move(move, at=moment)
            status = target
            assert action.status is status
        else:
            with pytest.raises(InvalidTransitionError) as error:
                action.move(move.value, at=moment)
            assert f"cannot {move.value} an action that is {status.value}" in str(error.value)
        # Whatever happened, the action is valid and replays from its history.
        assert ImprovementAction(**_fields(action)) == action


def _fields(action: ImprovementAction) -> dict[str, Any]:
    return {name: getattr(action, name) for name in attrs_names()}


def attrs_names() -> list[str]:
    import attrs

    return [field.name for field in attrs.fields(ImprovementAction)]


def test_moves_are_instants_compared_as_instants() -> None:
    # 01:30 BST (00:30 UTC) then 01:10 GMT (01:10 UTC): later as instants, earlier on the wall.
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)
    action = _action(raised_at=datetime(2026, 10, 24, tzinfo=UTC))
    moved = action.start(at=first).complete(at=second)
    assert moved.completed_at == second
    with pytest.raises(ValidationError) as error:
        action.start(at=second).complete(at=first)
    assert [p.path for p in error.value.problems] == ["$.at"]
    # A move at the very instant of the last is allowed; a skipped wall time is not an instant.
    assert action.start(at=action.raised_at).started_at == action.raised_at
    with pytest.raises(ValidationError) as error:
        action.start(at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert [p.path for p in error.value.problems] == ["$.at"]
    # Half-hour zones and the ends of the supported range.
    late = datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC)
    assert action.start(at=late.astimezone(KOLKATA)).started_at == late
    early = _action(raised_at=datetime(1, 1, 2, tzinfo=UTC).astimezone(ADELAIDE))
    assert early.cancel(at=datetime(1, 1, 2, tzinfo=UTC)).status is ActionStatus.CANCELLED


@pytest.mark.parametrize(
    ("move", "at", "paths"),
    [
        ("finish", datetime(2026, 10, 2, tzinfo=UTC), ["$.move"]),
        (3, datetime(2026, 10, 2), ["$.move", "$.at"]),
        ("start", "2026-10-02", ["$.at"]),
        ("\ud800", datetime.max.replace(tzinfo=UTC), ["$.move", "$.at"]),
    ],
)
def test_bad_moves_are_validation_errors(move: Any, at: Any, paths: list[str]) -> None:
    with pytest.raises(ValidationError) as error:
        _action().move(move, at=at)
    assert [p.path for p in error.value.problems] == paths
    with pytest.raises(ValidationError) as error:
        _action().start(at=RAISED).complete(at=RAISED).verify(at=RAISED, effective=1)  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.effective"]


def test_final_statuses_allow_no_move() -> None:
    cancelled = _action().cancel(at=RAISED)
    with pytest.raises(InvalidTransitionError, match="no move is allowed from there"):
        cancelled.start(at=RAISED)
    done = _action().start(at=RAISED).complete(at=RAISED)
    with pytest.raises(InvalidTransitionError, match="cannot cancel an action that is done"):
        done.cancel(at=RAISED)


# ---------------------------------------------------------------- validation


def test_every_problem_is_reported_in_one_round() -> None:
    bad: dict[str, Any] = {
        "id": " CA-1", "type": "fix", "title": " ", "owner": 7,
        "raised_at": datetime(2026, 1, 1),
        "due": datetime(2026, 1, 2, tzinfo=UTC), "description": 3, "finding": "hotline-fcr",
        "document": ("PROC", 2), "target": "fcr", "status": "closed", "history": "start",
        "version": 0,
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        ImprovementAction(**bad)
    assert [p.path for p in error.value.problems] == [
        "$.id", "$.type", "$.title", "$.owner", "$.raised_at", "$.due", "$.description",
        "$.finding", "$.document", "$.target", "$.status", "$.history", "$.version",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as error:
        ImprovementAction()
    assert {p.code for p in error.value.problems} == {"required"}


def test_a_history_must_replay_to_the_status() -> None:
    start = ActionStep("start", RAISED + timedelta(days=1))
    complete = ActionStep("complete", RAISED)
    with pytest.raises(ValidationError) as error:
        _action(status="done", history=[start, complete])
    assert [p.path for p in error.value.problems] == ["$.history[1].at"]
    with pytest.raises(ValidationError) as error:
        _action(status="in_progress", history=[ActionStep("complete", RAISED)])
    assert [p.path for p in error.value.problems] == ["$.history[0].move"]
    with pytest.raises(ValidationError) as error:
        _action(status="open", history=[ActionStep("start", RAISED)])
    assert [p.path for p in error.value.problems] == ["$.status"]
    with pytest.raises(ValidationError) as error:
        _action(history=[ActionStep("start", RAISED - timedelta(seconds=1))], status="in_progress")
    assert [p.path for p in error.value.problems] == ["$.history[0].at"]
    with pytest.raises(ValidationError) as error:
        ActionStep("begin", datetime(2026, 1, 1))
    assert [p.path for p in error.value.problems] == ["$.move", "$.at"]
    with pytest.raises(ValidationError) as error:
        ActionTarget("", store_ids=["S1", "S1"], expected="up")
    assert [p.path for p in error.value.problems] == [
        "$.indicator_id", "$.store_ids[1]", "$.expected",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as error:
        FindingRef("rumour", "")
    assert [p.path for p in error.value.problems] == ["$.kind", "$.id"]


# ---------------------------------------------------------------- personal data and JSON


def test_the_description_never_leaves_by_accident() -> None:
    action = _action(description=SECRET)
    assert SECRET not in repr(action)
    assert "description" not in to_records(action)[0]
    assert SECRET not in str(to_records(action))
    assert to_records(action, personal=True)[0]["description"] == SECRET
    assert json_schema(ImprovementAction)["properties"]["description"]["x-personal"]
    with pytest.raises(ValidationError) as error:
        _action(description=SECRET, title=SECRET * 10)
    assert SECRET not in str(error.value)
    with pytest.raises(InvalidTransitionError) as raised:
        action.cancel(at=RAISED).start(at=RAISED)
    assert SECRET not in str(raised.value)


@settings(max_examples=50, deadline=None)
@given(improvement_actions())
def test_actions_round_trip_through_json(action: ImprovementAction) -> None:
    text = to_json(action)
    assert from_json(text, ImprovementAction) == action
    assert to_json(from_json(text, ImprovementAction)) == text
    (row,) = to_records(action)
    assert row["status"] == action.status.value
    assert row["id"] == action.id


def test_json_problems_come_with_paths() -> None:
    data = {
        "id": "CA-1", "type": "corrective", "title": "Retrain", "owner": "store_manager",
        "raised_at": "2026-10-01T09:00:00+00:00", "due": "2026-10-30", "status": "done",
        "history": [{"move": "start", "at": "2026-10-02T09:00:00+00:00"},
                    {"move": "verify_effective", "at": "2026-10-01T09:00:00+00:00"}],
        "finding": {"kind": "gap", "id": "pledged_vs_real"},
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        from_json(__import__("json").dumps(data), ImprovementAction)
    assert [p.path for p in error.value.problems] == [
        "$.history[1].move", "$.history[1].at",
    ]  # fmt: skip


# ---------------------------------------------------------------- reminders


def _levels(actions: list[ImprovementAction], at: datetime, zone: str, **kw: Any) -> list[Any]:
    return [
        (r.action_id, r.days_left, r.level, r.notify, r.escalate_to)
        for r in action_reminders(actions, at=at, timezone=zone, **kw)
    ]


def test_the_owner_is_reminded_7_days_and_1_day_before_and_escalated_when_late() -> None:
    due = date(2026, 10, 30)
    actions = [_action(id=f"CA-{n}", due=due + timedelta(days=n)) for n in range(-2, 9)]
    at = datetime(2026, 10, 30, 12, tzinfo=UTC)
    assert _levels(actions, at, "UTC") == [
        ("CA--2", -2, "overdue", ("store_manager",), ("quality_manager",)),
        ("CA--1", -1, "overdue", ("store_manager",), ("quality_manager",)),
        ("CA-0", 0, "due_today", ("store_manager",), ()),
        ("CA-1", 1, "due_in_1_day", ("store_manager",), ()),
        ("CA-7", 7, "due_in_7_days", ("store_manager",), ()),
    ]
    # Actions done, verified or cancelled are reminded of nothing.
    finished = [
        actions[0].cancel(at=RAISED),
        actions[1].start(at=RAISED).complete(at=RAISED),
    ]
    assert _levels(finished, at, "UTC") == []
    (reminder,) = action_reminders([actions[9]], at=at, timezone="UTC")
    assert (reminder.title, reminder.due, reminder.today) == (
        "Retrain the hotline on refunds", date(2026, 11, 6), date(2026, 10, 30),
    )  # fmt: skip
    assert "days_left = 7: holds" in reminder.explanation


def test_due_dates_count_calendar_days_across_daylight_saving_changes() -> None:
    # London's 25 October 2026 has 25 hours; 29 March 2026 has 23. Each is one day.
    due_after_fall_back = _action(due=date(2026, 11, 1))
    repeated = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # the GMT pass
    assert _levels([due_after_fall_back], repeated, "Europe/London") == [
        ("CA-1", 7, "due_in_7_days", ("store_manager",), ())
    ]
    # The BST pass of the same wall time is the same local date.
    assert _levels([due_after_fall_back], repeated.replace(fold=0), "Europe/London")[0][1] == 7
    # The last instant of 24 October in London, 23:59:59 BST, is 22:59:59 UTC.
    eve = datetime(2026, 10, 24, 22, 59, 59, tzinfo=UTC)
    assert _levels([due_after_fall_back], eve, "Europe/London") == []  # 8 days left
    assert _levels([due_after_fall_back], eve + timedelta(seconds=1), "Europe/London")[0][1] == 7
    due_after_spring = _action(due=date(2026, 3, 30), raised_at=datetime(2026, 1, 1, tzinfo=UTC))
    # 02:30 BST on 29 March, after the skipped hour: one day before the due date.
    after_skip = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert _levels([due_after_spring], after_skip, "Europe/London") == [
        ("CA-1", 1, "due_in_1_day", ("store_manager",), ())
    ]


def test_the_zone_decides_the_local_date() -> None:
    action = _action(due=date(2026, 11, 6))
    # 18:45 UTC on 29 October: already 30 October in Kolkata (UTC+5:30) and in Adelaide
    # (UTC+10:30 in summer), still 29 October in London.
    at = datetime(2026, 10, 29, 18, 45, tzinfo=UTC)
    assert _levels([action], at, "Asia/Kolkata")[0][1] == 7
    assert _levels([action], at, "Australia/Adelaide")[0][1] == 7
    assert _levels([action], at, "Europe/London") == []
    # 18:29 UTC is 23:59 in Kolkata: still the 29th there.
    assert _levels([action], at - timedelta(minutes=16), "Asia/Kolkata") == []


def test_the_ends_of_the_supported_range() -> None:
    first = _action(due=date(1, 1, 9), raised_at=datetime(1, 1, 2, tzinfo=UTC))
    assert _levels([first], datetime(1, 1, 2, tzinfo=UTC), "UTC")[0][1:3] == (
        7, "due_in_7_days",
    )  # fmt: skip
    last = _action(due=date(9999, 12, 31))
    at = datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC)
    assert _levels([last], at, "UTC")[0][1:3] == (1, "due_in_1_day")


def test_reminder_rules_are_data_a_ui_edits() -> None:
    rules = action_reminder_rules(days_before=[14, 3], escalate_to="area_manager")
    assert from_json(to_json(rules), RuleSet) == rules
    assert [rule.id for rule in rules.ordered] == [
        "overdue", "due_today", "due_in_14_days", "due_in_3_days",
    ]  # fmt: skip
    action = _action(due=date(2026, 10, 30))
    at = datetime(2026, 10, 16, tzinfo=UTC)
    assert _levels([action], at, "UTC", rules=rules) == [
        ("CA-1", 14, "due_in_14_days", ("store_manager",), ())
    ]
    late = datetime(2026, 11, 2, tzinfo=UTC)
    assert _levels([action], late, "UTC", rules=rules)[0][4] == ("area_manager",)
    # A rule of one's own: a corrective action in progress is flagged a week before, and the
    # quality manager told besides its owner.
    own = RuleSet(
        id="mine",
        rules=[
            Rule(
                id="corrective_week",
                description="Corrective actions a week before they are due.",
                when=eq("type", "corrective") & eq("days_left", 7),
                actions=[flag("week"), notify("owner"), notify("quality_manager")],
            )
        ],
    )
    (reminder,) = action_reminders([action], at=datetime(2026, 10, 23, tzinfo=UTC),
                                   timezone="UTC", rules=own)  # fmt: skip
    assert reminder.notify == ("store_manager", "quality_manager")


def test_bad_reminder_arguments_are_reported_in_one_round() -> None:
    with pytest.raises(ValidationError) as error:
        action_reminders(
            [_action(), "CA-2"],  # type: ignore[list-item]
            at=datetime(2026, 10, 1),
            timezone="Mars/Olympus",
            rules={"id": "x"},  # type: ignore[arg-type]
        )
    assert [p.path for p in error.value.problems] == [
        "$.actions[1]", "$.at", "$.timezone", "$.rules",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as error:
        action_reminders("CA-1", at=RAISED, timezone=5)  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.actions", "$.timezone"]
    with pytest.raises(ValidationError) as error:
        action_reminder_rules(days_before=[7, 7, 0, True], escalate_to=" boss")
    assert [p.path for p in error.value.problems] == [
        "$.days_before[1]", "$.days_before[2]", "$.days_before[3]", "$.escalate_to",
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        action_reminder_rules(days_before="7")  # type: ignore[arg-type]


def test_a_fixed_offset_instant_is_read_in_the_zone_given() -> None:
    action = _action(due=date(2026, 11, 6))
    at = datetime(2026, 10, 30, 1, tzinfo=timezone(timedelta(hours=9)))  # 29 Oct 16:00 UTC
    assert _levels([action], at, "UTC") == []
    assert _levels([action], at, "Asia/Tokyo")[0][1] == 7


# ---------------------------------------------------------------- anything at all


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.just("\ud800"),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, LONDON, timezone(timedelta(hours=14))])),
    st.dates(),
    st.lists(st.integers(), max_size=3),
    st.just(datetime.min.replace(tzinfo=timezone(timedelta(hours=14)))),
    st.just(datetime.max.replace(tzinfo=timezone(timedelta(hours=-12)))),
)
_FIELDS = [
    "id", "type", "title", "owner", "raised_at", "due", "description", "finding", "document",
    "target", "status", "history", "version",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(_FIELDS), _JUNK, max_size=6), _JUNK, _JUNK)
def test_anything_given_is_an_action_or_a_validation_error(
    changes: dict[str, Any], at: Any, other: Any
) -> None:
    problems: list[Any] = []
    try:
        action = _action(**changes)
    except ValidationError as error:
        problems = list(error.problems)
    if problems:
        assert all(problem.path.startswith("$.") for problem in problems)
    else:
        assert from_json(to_json(action), ImprovementAction) == action
    for call in (
        lambda: _action().move(other, at=at),
        lambda: action_reminders([_action()], at=at, timezone=other),
        lambda: action_reminder_rules(days_before=other, escalate_to=at),
    ):
        with contextlib.suppress(ValidationError, InvalidTransitionError):
            call()


@settings(max_examples=50, deadline=None)
@given(improvement_actions())
def test_what_the_converter_writes_the_schema_accepts(action: ImprovementAction) -> None:
    import json

    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    validator = Draft202012Validator(
        json_schema(ImprovementAction), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(json.loads(to_json(action)))] == []
