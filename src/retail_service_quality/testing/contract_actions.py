"""The storage contract for improvement and corrective actions, part of `StoreContract`.

Every store keeps actions the same way: each whole, with its history of
moves, exactly as the library's JSON gives it back (zones, folds and
microseconds of every stamp); saved with optimistic concurrency; nothing kept
unless the unit of work commits; read-only units refusing writes; queries
ordered by id, selecting by status, owner, due date (strictly before a date)
and the finding answered; bad arguments refused as a `ValidationError`
naming each one. `StoreContract` inherits these tests; an adapter that passes
it passes them too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(ActionStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_action_queries_select_by_every_argument()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality.errors import (
    ConflictError,
    InvalidTransitionError,
    NotFoundError,
    RSQError,
    StorageError,
    ValidationError,
)
from retail_service_quality.quality.actions import (
    ActionMove,
    ActionStatus,
    ActionTarget,
    ActionType,
    FindingKind,
    FindingRef,
    ImprovementAction,
)
from retail_service_quality.quality.documents import DocumentRef
from retail_service_quality.quality.indicators import Direction
from retail_service_quality.serialization import to_json
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import real_datetimes

__all__ = ["ActionStoreContract", "improvement_actions"]

_START = datetime(2026, 11, 2, 9, tzinfo=UTC)

_ACTION_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)

_TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(
    lambda text: bool(text.strip())
)
_IDS = st.sampled_from(["HK-1", "HK-2", "伸延", "store_manager", "S-104"])


@st.composite
def improvement_actions(
    draw: st.DrawFn, ids: st.SearchStrategy[str] | None = None
) -> ImprovementAction:
    """Improvement actions of every type, some with a finding, a document and a target, moved
    through a valid sequence of moves stamped in zones with repeated hours.

    Examples:
        >>> from hypothesis import find
        >>> find(improvement_actions(), lambda action: len(action.history) >= 2).status.value
        'done'
    """
    record_id = draw(ids if ids is not None else st.from_regex(r"A-[0-9]{1,3}", fullmatch=True))
    raised = draw(real_datetimes(timezones=("Europe/London", "Asia/Kolkata", "Australia/Adelaide")))
    action = ImprovementAction(
        id=record_id,
        type=draw(st.sampled_from(ActionType)),
        title=draw(_TEXT),
        owner=draw(_IDS),
        raised_at=raised,
        due=draw(st.dates(min_value=raised.date(), max_value=date(2300, 12, 31))),
        description=draw(st.none() | _TEXT),
        finding=draw(st.none() | st.builds(FindingRef, st.sampled_from(FindingKind), _IDS)),
        document=draw(st.none() | st.builds(DocumentRef, _IDS, st.integers(1, 50))),
        target=draw(
            st.none()
            | st.builds(
                ActionTarget,
                st.sampled_from(["csat", "fcr", "service_level", "nps"]),
                store_ids=st.lists(_IDS, unique=True, max_size=3),
                expected=st.none() | st.sampled_from(Direction),
            )
        ),
    )
    moment = raised
    for _ in range(draw(st.integers(0, 3))):
        allowed = action.allowed_moves
        if not allowed:
            break
        # Elapsed time, added in UTC: a wall clock's sum would fall back in a repeated hour.
        later = moment.astimezone(UTC) + timedelta(seconds=draw(st.integers(0, 90 * 86_400)))
        moment = later.astimezone(draw(st.sampled_from([moment.tzinfo, UTC])))
        action = action.move(draw(st.sampled_from(allowed)), at=moment)
    return action


def _action(
    record_id: str = "A-1",
    *,
    owner: str = "store_manager",
    due: date = date(2026, 11, 30),
    finding: str | None = "hotline-fcr",
    **changes: Any,
) -> ImprovementAction:
    """An open corrective action answering a red criterion."""
    fields: dict[str, Any] = {
        "id": record_id,
        "type": "corrective",
        "title": "Retrain the hotline on refunds",
        "owner": owner,
        "raised_at": _START,
        "due": due,
        "finding": None if finding is None else FindingRef("criterion", finding),
        "target": ActionTarget("fcr", store_ids=["HK-1"]),
    }
    fields.update(changes)
    return ImprovementAction(**fields)


def _ids(actions: Any) -> list[str]:
    return [action.id for action in actions]


def _refused(error: type[RSQError], action: Callable[[], object], *names: str) -> None:
    """``action`` raises ``error``, naming every one of ``names``."""
    with pytest.raises(error) as raised:
        action()
    for name in names:
        assert repr(name) in str(raised.value), str(raised.value)


class ActionStoreContract(ContractBase):
    """The actions' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(ActionStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_actions_are_saved_with_versions_and_never_overwritten()
    """

    def _with_actions(self, test: Callable[[Store], None], *actions: ImprovementAction) -> None:
        """Run ``test`` on a new store holding ``actions``, committed."""
        self._with_stored(test, lambda uow: uow.actions, actions)

    # ------------------------------------------------------------ round trips

    @_ACTION_EXAMPLES
    @given(st.lists(improvement_actions(), max_size=4, unique_by=lambda action: action.id))
    def test_actions_round_trip_exactly(self, actions: list[ImprovementAction]) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.actions.query()) == sorted(_ids(actions))
                assert uow.actions.count() == len(actions)
                for action in actions:
                    stored = uow.actions.get(action.id)
                    assert stored == action
                    # Zones, folds and microseconds, not merely equal instants.
                    assert to_json(stored) == to_json(action)
                    assert stored.description == action.description

        self._with_actions(check, *actions)

    # ------------------------------------------------------------ versions

    def test_actions_are_saved_with_versions_and_never_overwritten(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                read = uow.actions.get("A-1")
                assert read.version == 1
                started = uow.actions.save(read.start(at=_START + timedelta(days=1)))
                assert started.version == 2
                assert started.status is ActionStatus.IN_PROGRESS
                _refused(ConflictError, lambda: uow.actions.save(read), "A-1")
                _refused(ConflictError, lambda: uow.actions.add(_action("A-1")), "A-1")
                _refused(NotFoundError, lambda: uow.actions.save(_action("A-9")), "A-9")
                _refused(NotFoundError, lambda: uow.actions.get("A-9"), "A-9")
                uow.commit()
            # Two clerks read the same version; the second to save conflicts.
            with store.unit_of_work(read_only=True) as uow:
                theirs = uow.actions.get("A-1")
            with store.unit_of_work() as uow:
                mine = uow.actions.get("A-1")
                uow.actions.save(mine.complete(at=_START + timedelta(days=2)))
                uow.commit()
            with store.unit_of_work() as uow:
                cancelled = theirs.cancel(at=_START + timedelta(days=3))
                _refused(ConflictError, lambda: uow.actions.save(cancelled), "A-1")
                stored = uow.actions.get("A-1")
                with pytest.raises(InvalidTransitionError):
                    stored.cancel(at=_START + timedelta(days=3))
            with store.unit_of_work(read_only=True) as uow:
                final = uow.actions.get("A-1")
                assert final.version == 3
                assert final.status is ActionStatus.DONE
                assert [step.move for step in final.history] == [
                    ActionMove.START,
                    ActionMove.COMPLETE,
                ]

        self._with_actions(check, _action("A-1"))

    def test_actions_add_many_is_all_or_none(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                batch = [_action("A-2"), _action("A-3"), _action("A-1")]
                _refused(ConflictError, lambda: uow.actions.add_many(batch), "A-1")
                twice = [_action("A-4"), _action("A-4")]
                _refused(ConflictError, lambda: uow.actions.add_many(twice), "A-4")
                with pytest.raises(ValidationError) as error:
                    uow.actions.add_many([_action("A-5"), None, "A-6"])  # type: ignore[list-item]
                assert [p.path for p in error.value.problems] == ["$[1]", "$[2]"]
                assert _ids(uow.actions.query()) == ["A-1"]
                assert uow.actions.add_many(iter([_action("A-7"), _action("A-8")])) == 2
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.actions.query()) == ["A-1", "A-7", "A-8"]

        self._with_actions(check, _action("A-1"))

    # ------------------------------------------------------------ units of work

    def test_actions_roll_back_unless_committed(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.actions.add(_action("A-2"))
                read = uow.actions.get("A-1")
                uow.actions.save(read.cancel(at=_START))
                assert uow.actions.count() == 2  # seen inside the unit
            with store.unit_of_work() as uow:
                assert _ids(uow.actions.query()) == ["A-1"]
                assert uow.actions.get("A-1").version == 1
                uow.actions.add(_action("A-3"))
                uow.commit()
                uow.actions.add(_action("A-4"))
                uow.rollback()
                assert _ids(uow.actions.query()) == ["A-1", "A-3"]
            with pytest.raises(StorageError):
                uow.actions.count()  # outside its block

        self._with_actions(check, _action("A-1"))

    def test_read_only_units_refuse_action_writes(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                read = uow.actions.get("A-1")
                writes: list[Callable[[], object]] = [
                    lambda: uow.actions.add(_action("A-2")),
                    lambda: uow.actions.add_many([_action("A-3")]),
                    lambda: uow.actions.save(read.start(at=_START)),
                ]
                for write in writes:
                    with pytest.raises(StorageError):
                        write()
                assert uow.actions.count() == 1
            with store.unit_of_work() as uow:
                assert uow.actions.get("A-1") == read

        self._with_actions(check, _action("A-1"))

    # ------------------------------------------------------------ queries

    def test_action_queries_select_by_every_argument(self) -> None:
        started = _action("A-2", owner="S-104", due=date(2026, 11, 15)).start(at=_START)
        actions = [
            _action("A-1"),
            started,
            _action("A-3", due=date(2026, 12, 31), finding=None).cancel(at=_START),
            _action(
                "A-4",
                owner="S-104",
                due=date(1, 1, 1),
                finding="late-refund",
                raised_at=datetime(1, 1, 2, tzinfo=UTC),
            ),
            _action("A-5", due=date(9999, 12, 31), finding="hotline-fcr"),
        ]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:

                def selected(**arguments: Any) -> list[str]:
                    found = _ids(uow.actions.query(**arguments))
                    assert uow.actions.count(**arguments) == len(found)
                    expected = [
                        action.id
                        for action in sorted(actions, key=lambda action: action.id)
                        if _matches(action, **arguments)
                    ]
                    assert found == expected
                    return found

                assert selected() == ["A-1", "A-2", "A-3", "A-4", "A-5"]
                assert selected(status="open") == ["A-1", "A-4", "A-5"]
                assert selected(status=ActionStatus.IN_PROGRESS) == ["A-2"]
                assert selected(status="effective") == []
                assert selected(owner="S-104") == ["A-2", "A-4"]
                # Strictly before: an action due on the date itself is not selected.
                assert selected(due_before=date(2026, 11, 30)) == ["A-2", "A-4"]
                assert selected(due_before=date(2026, 12, 1)) == ["A-1", "A-2", "A-4"]
                assert selected(due_before=date(1, 1, 1)) == []
                assert selected(due_before=date(9999, 12, 31)) == ["A-1", "A-2", "A-3", "A-4"]
                assert selected(finding_id="hotline-fcr") == ["A-1", "A-2", "A-5"]
                assert selected(finding_id="nothing") == []
                assert selected(status="open", owner="S-104", finding_id="late-refund") == ["A-4"]
                assert selected(status="open", due_before=date(2027, 1, 1)) == ["A-1", "A-4"]

        self._with_actions(check, *actions)

    # ------------------------------------------------------------ bad arguments

    def test_bad_action_arguments_are_validation_errors_with_paths(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                for read in (uow.actions.query, uow.actions.count):
                    for status, owner, due_before, finding_id in [
                        ("done?", " S-1", datetime(2026, 1, 1, tzinfo=UTC), ""),
                        (7, 5, "2026-01-01", "\ud800"),
                        (["open"], "x" * 201, 20260101, 3),
                    ]:
                        with pytest.raises(ValidationError) as error:
                            read(
                                status=status,  # type: ignore[arg-type]
                                owner=owner,  # type: ignore[arg-type]
                                due_before=due_before,  # type: ignore[arg-type]
                                finding_id=finding_id,  # type: ignore[arg-type]
                            )
                        assert [p.path for p in error.value.problems] == [
                            "$.status",
                            "$.owner",
                            "$.due_before",
                            "$.finding_id",
                        ]
                bad: list[Callable[[], object]] = [
                    lambda: uow.actions.get(42),  # type: ignore[arg-type]
                    lambda: uow.actions.add("A-1"),  # type: ignore[arg-type]
                    lambda: uow.actions.add_many(7),  # type: ignore[arg-type]
                    lambda: uow.actions.save({"id": "A-1"}),  # type: ignore[arg-type]
                    lambda: uow.actions.save(None),  # type: ignore[arg-type]
                ]
                for action in bad:
                    with pytest.raises(ValidationError) as error:
                        action()
                    assert all(p.path.startswith("$") for p in error.value.problems)
                _refused(NotFoundError, lambda: uow.actions.get("\ud800"))
                _refused(NotFoundError, lambda: uow.actions.get(""))
                assert _ids(uow.actions.query()) == ["A-1"]

        self._with_actions(check, _action("A-1"))


def _matches(
    action: ImprovementAction,
    *,
    status: ActionStatus | str | None = None,
    owner: str | None = None,
    due_before: date | None = None,
    finding_id: str | None = None,
) -> bool:
    """What a query selects, written out independently of the adapters."""
    return (
        (status is None or action.status.value == ActionStatus(status).value)
        and (owner is None or action.owner == owner)
        and (due_before is None or action.due < due_before)
        and (finding_id is None or (action.finding is not None and action.finding.id == finding_id))
    )
