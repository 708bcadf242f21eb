"""Actions on any store: the one-line calls, a whole action from raising to its verified
effect on both adapters, and a file of the previous schema gaining the actions table."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from retail_service_quality import (
    ActionStatus,
    ActionTarget,
    ActionVerdict,
    ConflictError,
    FindingRef,
    ImprovementAction,
    InMemoryStore,
    InvalidTransitionError,
    NotFoundError,
    ServiceInteraction,
    SQLiteStore,
    ValidationError,
    action_reminders,
    move_action,
    raise_action,
    stored_action_effect,
)
from retail_service_quality.storage.ports import Store
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._schema import migrations, prepare

RAISED = datetime(2026, 10, 1, 9, tzinfo=UTC)
SECRET = "Mrs Chan was refunded twice"

STORES: dict[str, Callable[[Path], Store]] = {
    "memory": lambda folder: InMemoryStore(),
    "sqlite": lambda folder: SQLiteStore(folder / "actions.db"),
}


def _action(record_id: str = "CA-1", **changes: Any) -> ImprovementAction:
    fields: dict[str, Any] = {
        "id": record_id,
        "type": "corrective",
        "title": "Add an agent at the lunch peak",
        "owner": "hotline_lead",
        "raised_at": RAISED,
        "due": date(2026, 10, 15),
        "description": SECRET,
        "finding": FindingRef("criterion", "service-level-S1"),
        "target": ActionTarget("service_level", store_ids=["S1"]),
    }
    fields.update(changes)
    return ImprovementAction(**fields)


def _calls(store_id: str, start: datetime, in_time: int, late: int) -> list[ServiceInteraction]:
    return [
        ServiceInteraction(
            id=f"{store_id}-{start:%m%d}-{n}", store_id=store_id, channel="hotline",
            occurred_at=start + timedelta(minutes=n),
            queue_time=timedelta(seconds=10 if n < in_time else 90),
        )
        for n in range(in_time + late)
    ]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(STORES))
def test_an_action_from_raising_to_its_verified_effect(kind: str, tmp_path: Path) -> None:
    store = STORES[kind](tmp_path)
    try:
        with store.unit_of_work() as uow:
            uow.interactions.add_many(
                [
                    *_calls("S1", datetime(2026, 9, 1, 9, tzinfo=UTC), 140, 60),
                    *_calls("S2", datetime(2026, 9, 1, 9, tzinfo=UTC), 140, 60),
                    *_calls("S1", datetime(2026, 11, 2, 9, tzinfo=UTC), 180, 20),
                    *_calls("S2", datetime(2026, 11, 2, 9, tzinfo=UTC), 142, 58),
                ]
            )
            uow.commit()
        stored = raise_action(store, _action())
        assert stored.version == 1
        # The owner is reminded a week before the due date, from what is stored.
        with store.unit_of_work(read_only=True) as uow:
            open_actions = list(uow.actions.query(status="open"))
        (reminder,) = action_reminders(
            open_actions, at=datetime(2026, 10, 8, 8, tzinfo=UTC), timezone="Asia/Hong_Kong"
        )
        assert (reminder.level, reminder.notify) == ("due_in_7_days", ("hotline_lead",))
        move_action(store, "CA-1", "start", at=RAISED + timedelta(days=1))
        done = move_action(
            store, "CA-1", "complete", at=RAISED + timedelta(days=14), expected_version=2
        )
        assert (done.status, done.version) == (ActionStatus.DONE, 3)
        effect = stored_action_effect(
            store, "CA-1",
            before=(datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)),
            after=(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
        )  # fmt: skip
        assert (effect.before, effect.after) == (0.7, 0.9)
        assert effect.control_units == ("S2",)
        assert effect.verdict is ActionVerdict.WORKED
        verified = move_action(store, "CA-1", "verify_effective", at=RAISED + timedelta(days=62))
        assert verified.status is ActionStatus.EFFECTIVE
        with store.unit_of_work(read_only=True) as uow:
            kept = uow.actions.get("CA-1")
            assert kept == verified
            assert kept.description == SECRET  # stored, though never shown
            assert uow.actions.count(finding_id="service-level-S1") == 1
            assert uow.actions.count(status="open") == 0
    finally:
        store.close()


@pytest.mark.parametrize("kind", sorted(STORES))
def test_one_line_calls_refuse_what_they_must(kind: str, tmp_path: Path) -> None:
    store = STORES[kind](tmp_path)
    try:
        raise_action(store, _action())
        with pytest.raises(ConflictError, match="CA-1"):
            raise_action(store, _action())
        with pytest.raises(InvalidTransitionError, match="cannot complete an action that is open"):
            move_action(store, "CA-1", "complete", at=RAISED)
        with pytest.raises(ConflictError, match="version 1, not 4"):
            move_action(store, "CA-1", "start", at=RAISED, expected_version=4)
        with pytest.raises(NotFoundError):
            move_action(store, "CA-9", "start", at=RAISED)
        with pytest.raises(ValidationError) as error:
            move_action(
                store, "", "finish", at=datetime(2026, 10, 1),
                expected_version=True,
            )  # fmt: skip
        assert [p.path for p in error.value.problems] == [
            "$.action_id", "$.move", "$.at", "$.expected_version",
        ]  # fmt: skip
        with pytest.raises(ValidationError) as error:
            move_action(object(), "CA-1", "start", at=RAISED, expected_version=0)
        assert [p.path for p in error.value.problems] == ["$.expected_version", "$.target"]
        with pytest.raises(ValidationError) as error:
            raise_action(object(), "CA-1")  # type: ignore[arg-type]
        assert [p.path for p in error.value.problems] == ["$.action", "$.target"]
        # Nothing of the refused calls was kept; an open unit of work is the caller's to commit.
        with store.unit_of_work() as uow:
            assert uow.actions.get("CA-1").version == 1
            move_action(uow, "CA-1", "start", at=RAISED)
            raise_action(uow, _action("CA-2"))
        with store.unit_of_work(read_only=True) as uow:
            assert [a.id for a in uow.actions.query()] == ["CA-1"]
            assert uow.actions.get("CA-1").status is ActionStatus.OPEN
    finally:
        store.close()


def test_the_description_is_kept_out_of_errors(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        raise_action(store, _action())
        with pytest.raises(ConflictError) as conflict:
            raise_action(store, _action())
        assert SECRET not in str(conflict.value)


def test_a_file_of_the_previous_schema_gains_the_actions_table(tmp_path: Path) -> None:
    path = tmp_path / "v9.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        prepare(connection)
        for statements in migrations()[:9]:
            for statement in statements:
                connection.execute(statement)
        connection.execute("PRAGMA user_version = 9")
    assert SCHEMA_VERSION >= 10
    with SQLiteStore(path) as store:
        raise_action(store, _action())
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        row = connection.execute("SELECT id, status, owner, due_day, finding_id FROM actions")
        assert row.fetchone() == (
            "CA-1", "open", "hotline_lead", date(2026, 10, 15).toordinal(), "service-level-S1",
        )  # fmt: skip
