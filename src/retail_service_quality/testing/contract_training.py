"""The storage contract for training records, part of `StoreContract`.

Every store keeps competencies, role requirements, staff competence,
programmes, sessions and attendance the same way: each record exactly as the
library's JSON gives it back (zones, folds and microseconds kept); saved
with optimistic concurrency; nothing kept unless the unit of work commits;
read-only units refusing writes; queries ordered by id and selecting by the
identifiers the port names; bad arguments refused as a `ValidationError`.
`StoreContract` inherits these tests; an adapter that passes it passes them too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(TrainingStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_training_records_are_saved_with_versions()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from retail_service_quality.quality.documents import DocumentRef
from retail_service_quality.quality.training import (
    Attendance,
    Competency,
    RoleRequirement,
    StaffCompetence,
    TrainingProgramme,
    TrainingSession,
    builtin_competencies,
    trained_staff,
    training_needs,
)
from retail_service_quality.serialization import to_json
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import real_datetimes

__all__ = ["TrainingStoreContract", "training_records"]

_EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)
_ZONES = ("Europe/London", "Asia/Kolkata", "Australia/Adelaide", "UTC")
_START = datetime(2026, 4, 1, 9, tzinfo=UTC)
_IDS = st.from_regex(r"[A-Z]{1,2}-[0-9]{1,3}", fullmatch=True)
_SOME = st.sampled_from(["E-1", "E-2", "S1", "多"])
_TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30).filter(
    lambda text: bool(text.strip())
)
_MOMENTS = real_datetimes(timezones=_ZONES)


def _attendance(
    record_id: str, session_id: str, staff_id: str, score: float | None, done: datetime | None
) -> Attendance:
    completed = done is not None
    return Attendance(
        id=record_id,
        session_id=session_id,
        staff_id=staff_id,
        attended=score is not None or completed,
        completed=completed,
        score=score,
        pass_mark=60.0,
        completed_at=done,
    )


def training_records(
    kind: type | None = None, *, ids: st.SearchStrategy[str] = _IDS
) -> st.SearchStrategy[Any]:
    """Training records of every kind (or of ``kind``), with instants near DST changes and in
    half-hour zones, their ids drawn from ``ids``.

    Examples:
        >>> from hypothesis import find
        >>> type(find(training_records(), lambda record: isinstance(record, Attendance))).__name__
        'Attendance'
        >>> find(training_records(Competency), lambda record: True).top_level
        1
    """
    levels = st.integers(1, 10)
    competencies = st.builds(
        Competency,
        id=ids,
        name=_TEXT,
        levels=st.lists(_TEXT, min_size=1, max_size=4),
        description=st.text(st.characters(exclude_categories=["Cs"]), max_size=20),
        units=st.lists(st.sampled_from(["111329L2", "111331L3"]), unique=True),
    )
    requirements = st.builds(
        RoleRequirement,
        id=ids,
        role=_SOME,
        competency_id=_SOME,
        level=levels,
        business_unit=st.none() | _SOME,
    )
    competence = st.builds(
        StaffCompetence,
        id=ids,
        staff_id=_SOME,
        role=_SOME,
        competency_id=_SOME,
        level=st.integers(0, 10),
        assessed_at=_MOMENTS,
        assessed_by=_SOME,
        store_id=st.none() | _SOME,
        business_unit=st.none() | _SOME,
        programme_id=st.none() | _SOME,
    )
    programmes = st.builds(
        TrainingProgramme,
        id=ids,
        name=_TEXT,
        trains=st.dictionaries(_SOME, levels, min_size=1),
        audience=st.lists(_SOME, min_size=1, unique=True),
        duration=st.integers(1, 86_400 * 30).map(lambda s: timedelta(seconds=s)),
        documents=st.lists(st.builds(DocumentRef, _SOME, st.integers(1, 1_000_000)), max_size=2),
    )
    sessions = st.builds(
        lambda record_id, programme, start, seconds, capacity: TrainingSession(
            id=record_id,
            programme_id=programme,
            starts_at=start,
            ends_at=(start.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(start.tzinfo),
            location=programme,
            trainer_role="trainer",
            capacity=capacity,
        ),
        ids,
        _SOME,
        real_datetimes(timezones=_ZONES, max_value=datetime(2299, 1, 1)),  # noqa: DTZ001
        st.integers(1, 86_400),
        st.integers(1, 500),
    )
    attendance = st.builds(
        _attendance,
        ids,
        _SOME,
        _SOME,
        st.none() | st.floats(0, 100),
        st.none() | _MOMENTS,
    )
    kinds: dict[type, st.SearchStrategy[Any]] = {
        Competency: competencies,
        RoleRequirement: requirements,
        StaffCompetence: competence,
        TrainingProgramme: programmes,
        TrainingSession: sessions,
        Attendance: attendance,
    }
    return st.one_of(*kinds.values()) if kind is None else kinds[kind]


_COLLECTIONS: dict[type, str] = {
    Competency: "competencies",
    RoleRequirement: "requirements",
    StaffCompetence: "competence",
    TrainingProgramme: "programmes",
    TrainingSession: "sessions",
    Attendance: "attendance",
}


def _collection(uow: Any, kind: type) -> Any:
    return getattr(uow.training, _COLLECTIONS[kind])


def _staff(record_id: str, staff_id: str, level: int, store: str = "S1") -> StaffCompetence:
    return StaffCompetence(
        id=record_id,
        staff_id=staff_id,
        role="cashier",
        competency_id="handling_complaints",
        level=level,
        assessed_at=_START,
        assessed_by="store_manager",
        store_id=store,
    )


def _session(record_id: str = "T-1", programme_id: str = "P-1") -> TrainingSession:
    return TrainingSession(
        id=record_id,
        programme_id=programme_id,
        starts_at=_START,
        ends_at=_START + timedelta(hours=6),
        location="online",
        trainer_role="trainer",
        capacity=10,
    )


class TrainingStoreContract(ContractBase):
    """The training records' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(TrainingStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_training_queries_select_by_the_ports_fields()
    """

    def _with_records(self, test: Callable[[Store], None], *records: Any) -> None:
        """Run ``test`` on a new store holding ``records``, committed."""
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                for kind in _COLLECTIONS:
                    mine = [record for record in records if type(record) is kind]
                    assert _collection(uow, kind).add_many(mine) == len(mine)
                uow.commit()
            test(store)
        finally:
            store.close()

    @_EXAMPLES
    @given(st.lists(training_records(), max_size=8, unique_by=lambda r: (type(r), r.id)))
    def test_training_records_round_trip_exactly(self, records: list[Any]) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                for kind in _COLLECTIONS:
                    mine: list[Any] = [r for r in records if type(r) is kind]
                    mine.sort(key=lambda r: str(r.id))
                    collection = _collection(uow, kind)
                    assert [r.id for r in collection.query()] == [r.id for r in mine]
                    assert collection.count() == len(mine)
                    for record in mine:
                        stored = collection.get(record.id)
                        assert stored == record
                        assert to_json(stored) == to_json(record)  # zones and folds too

        self._with_records(check, *records)

    def test_instants_at_the_ends_of_the_range_are_kept(self) -> None:
        session = attrs.evolve(_session(), starts_at=MIN_INSTANT, ends_at=MAX_INSTANT)

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                stored = uow.training.sessions.get("T-1")
            assert (stored.starts_at, stored.ends_at) == (MIN_INSTANT, MAX_INSTANT)

        self._with_records(check, session)

    def test_training_records_are_saved_with_versions(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                read = uow.training.competence.get("A-1")
                saved = uow.training.competence.save(attrs.evolve(read, level=3))
                assert saved.version == 2
                with pytest.raises(ConflictError):
                    uow.training.competence.save(attrs.evolve(read, level=4))
                with pytest.raises(NotFoundError):
                    uow.training.competence.save(_staff("A-9", "E-9", 1))
                with pytest.raises(ConflictError):
                    uow.training.competence.add(_staff("A-1", "E-1", 1))
                with pytest.raises(NotFoundError):
                    uow.training.sessions.get("T-404")
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert uow.training.competence.get("A-1").level == 3
                assert uow.training.competence.get("A-1").version == 2

        self._with_records(check, _staff("A-1", "E-1", 1))

    def test_training_changes_roll_back_and_read_only_units_refuse_them(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.training.sessions.add(_session("T-2"))
                assert uow.training.sessions.count() == 2
            with store.unit_of_work(read_only=True) as uow:
                assert [s.id for s in uow.training.sessions.query()] == ["T-1"]
                with pytest.raises(StorageError):
                    uow.training.sessions.add(_session("T-3"))
                with pytest.raises(StorageError):
                    uow.training.sessions.save(uow.training.sessions.get("T-1"))

        self._with_records(check, _session("T-1"))

    def test_a_bulk_add_is_all_or_none(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                with pytest.raises(ConflictError):
                    uow.training.requirements.add_many(
                        [
                            RoleRequirement(id="R-2", role="cashier", competency_id="x", level=1),
                            RoleRequirement(id="R-1", role="cashier", competency_id="y", level=1),
                        ]
                    )
                assert uow.training.requirements.count() == 1
                with pytest.raises(ValidationError):
                    uow.training.requirements.add_many([_session()])  # type: ignore[list-item]

        self._with_records(
            check, RoleRequirement(id="R-1", role="cashier", competency_id="x", level=2)
        )

    def test_training_queries_select_by_the_ports_fields(self) -> None:
        attendance = [
            _attendance("T-1/E-1", "T-1", "E-1", 80.0, _START + timedelta(hours=6)),
            _attendance("T-1/E-2", "T-1", "E-2", 40.0, _START + timedelta(hours=6)),
            _attendance("T-2/E-1", "T-2", "E-1", None, None),
        ]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                chosen = uow.training.attendance.query(session_id="T-1")
                assert [a.id for a in chosen] == ["T-1/E-1", "T-1/E-2"]
                assert uow.training.attendance.count(staff_id="E-1") == 2
                assert uow.training.attendance.count(session_id="T-2", staff_id="E-2") == 0
                assert [s.id for s in uow.training.sessions.query(programme_id="P-2")] == ["T-2"]
                assert uow.training.competencies.count() == len(builtin_competencies())
                with pytest.raises(ValidationError) as raised:
                    uow.training.attendance.query(programme_id="P-1")
                assert [p.path for p in raised.value.problems] == ["$.programme_id"]
                with pytest.raises(ValidationError):
                    uow.training.competencies.count(id="privacy_law")
                with pytest.raises(ValidationError):
                    uow.training.attendance.count(staff_id=" E-1")

        self._with_records(
            check,
            *attendance,
            _session("T-1", "P-1"),
            _session("T-2", "P-2"),
            *builtin_competencies(),
        )

    def test_the_analyses_read_a_store(self) -> None:
        passed = _attendance("T-1/E-1", "T-1", "E-1", 80.0, _START + timedelta(hours=6))
        failed = _attendance("T-1/E-2", "T-1", "E-2", 40.0, _START + timedelta(hours=6))
        requirement = RoleRequirement(
            id="R-1", role="cashier", competency_id="handling_complaints", level=3
        )

        def check(store: Store) -> None:
            assert trained_staff(store, "P-1") == ("E-1",)
            assert trained_staff(store, "P-2") == ()
            with store.unit_of_work(read_only=True) as uow:
                assert trained_staff(uow, "P-1", completed_before=_START) == ()
                needs = training_needs(
                    uow.training.requirements.query(), uow.training.competence.query()
                )
            assert [(n.staff_id, n.gap) for n in needs] == [("E-2", 2), ("E-1", 1)]

        self._with_records(
            check,
            passed,
            failed,
            _session(),
            requirement,
            _staff("A-1", "E-1", 2),
            _staff("A-2", "E-2", 1),
        )
