"""The storage contract for review cycles, part of `StoreContract`.

Every store keeps review cycles the same way: each whole, with its scope,
inputs and decisions, exactly as the library's JSON gives it back; saved
with optimistic concurrency; nothing kept unless the unit of work commits;
read-only units refusing writes; queries ordered by id, selecting by status
and by an instant the period covers (compared as instants, never wall
clocks); bad arguments refused as a `ValidationError` naming each one.
`StoreContract` inherits these tests; an adapter that passes it passes them
too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(ReviewStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_review_queries_compare_instants()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from retail_service_quality.quality.criteria import StandardReference
from retail_service_quality.quality.documents import DocumentRef
from retail_service_quality.quality.reviews import (
    ReviewCycle,
    ReviewDecision,
    ReviewInput,
    ReviewScope,
    ReviewStatus,
)
from retail_service_quality.serialization import to_json
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import real_datetimes

__all__ = ["ReviewStoreContract"]

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
_START = datetime(2026, 1, 1, tzinfo=UTC)

_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)


def _input(name: str, needs: bool = True) -> ReviewInput:
    return ReviewInput(
        id=f"criterion:{name}", kind="criterion", subject=name, summary=f"{name}: red",
        needs_decision=needs, store_id="S1", value=31.0, reference=20.0, n=400,
        standard=StandardReference("SQ-01", version="2"),
    )  # fmt: skip


def _decision(id: str, *inputs: str, at: datetime = _START) -> ReviewDecision:
    return ReviewDecision(
        id=id, input_ids=inputs, output="change", text="Lunchtime rota changed.",
        decided_at=at, decided_by="service_manager", action_ids=["ACT-1"],
        document_changes=[DocumentRef("PROC-ROTA", 2)],
    )  # fmt: skip


def _cycle(record_id: str = "R-1", start: datetime = _START, days: int = 90) -> ReviewCycle:
    return ReviewCycle.plan(
        id=record_id, start=start, end=start + timedelta(days=days),
        scope=ReviewScope(store_ids=["S1"], channels=["hotline"]),
    )  # fmt: skip


@st.composite
def _cycles(draw: st.DrawFn, record_id: str | None = None) -> ReviewCycle:
    """A review cycle at any step of its life, over a period anywhere in the range."""
    start = draw(real_datetimes())
    # Elapsed time, added in UTC: a wall clock's sum would fall back in a repeated hour.
    end = (
        start.astimezone(UTC) + timedelta(seconds=draw(st.integers(1, 400 * 86_400)))
    ).astimezone(draw(st.sampled_from([UTC, LONDON, KOLKATA])))
    name = record_id or draw(st.from_regex(r"R-[0-9]{1,3}", fullmatch=True))
    cycle = ReviewCycle.plan(id=name, start=start, end=end)
    steps = draw(st.integers(0, 3))
    if steps >= 1:
        inputs = [_input(f"c{n}", draw(st.booleans())) for n in range(draw(st.integers(0, 3)))]
        cycle = cycle.with_inputs(inputs, at=end)
        if steps >= 2 and inputs:
            cycle = cycle.decide(_decision("D1", *(item.id for item in inputs), at=end))
        if steps >= 3:
            cycle = cycle.close(at=end)  # every input that needs a decision has D1
    return cycle


def _ids(cycles: Any) -> list[str]:
    return [cycle.id for cycle in cycles]


class ReviewStoreContract(ContractBase):
    """The review cycles' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(ReviewStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_reviews_are_saved_with_versions_and_never_overwritten()
    """

    def _with_reviews(self, test: Callable[[Store], None], *cycles: ReviewCycle) -> None:
        """Run ``test`` on a new store holding ``cycles``, committed."""
        self._with_stored(test, lambda uow: uow.reviews, cycles)

    @_EXAMPLES
    @given(st.lists(_cycles(), max_size=4, unique_by=lambda cycle: cycle.id))
    def test_reviews_round_trip_exactly(self, cycles: list[ReviewCycle]) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.reviews.query()) == sorted(_ids(cycles))
                assert uow.reviews.count() == len(cycles)
                for cycle in cycles:
                    stored = uow.reviews.get(cycle.id)
                    assert stored == cycle
                    # Zones, folds and microseconds, not merely equal instants.
                    assert to_json(stored) == to_json(cycle)

        self._with_reviews(check, *cycles)

    def test_reviews_are_saved_with_versions_and_never_overwritten(self) -> None:
        def check(store: Store) -> None:
            at = _START + timedelta(days=95)
            with store.unit_of_work() as uow:
                read = uow.reviews.get("R-1")
                gathered = uow.reviews.save(read.with_inputs([_input("asa")], at=at))
                assert gathered.version == 2
                with pytest.raises(ConflictError, match="R-1"):
                    uow.reviews.save(read)
                with pytest.raises(ConflictError, match="R-1"):
                    uow.reviews.add(_cycle("R-1"))
                with pytest.raises(NotFoundError, match="R-9"):
                    uow.reviews.save(_cycle("R-9"))
                with pytest.raises(NotFoundError, match="R-9"):
                    uow.reviews.get("R-9")
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                theirs = uow.reviews.get("R-1")
            with store.unit_of_work() as uow:
                mine = uow.reviews.get("R-1")
                decided = mine.decide(_decision("D1", "criterion:asa", at=at))
                uow.reviews.save(decided.close(at=at))
                uow.commit()
            with store.unit_of_work() as uow, pytest.raises(ConflictError, match="R-1"):
                uow.reviews.save(theirs.decide(_decision("D2", "criterion:asa", at=at)))
            with store.unit_of_work(read_only=True) as uow:
                final = uow.reviews.get("R-1")
                assert final.version == 3
                assert final.status is ReviewStatus.CLOSED
                assert [d.id for d in final.decisions] == ["D1"]

        self._with_reviews(check, _cycle("R-1"))

    def test_reviews_roll_back_unless_committed_and_refuse_writes_when_read_only(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.reviews.add(_cycle("R-2"))
                assert uow.reviews.count() == 2
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.reviews.query()) == ["R-1"]
                read = uow.reviews.get("R-1")
                writes: list[Callable[[], object]] = [
                    lambda: uow.reviews.add(_cycle("R-3")),
                    lambda: uow.reviews.add_many([_cycle("R-4")]),
                    lambda: uow.reviews.save(read.with_inputs([], at=_START)),
                ]
                for write in writes:
                    with pytest.raises(StorageError):
                        write()
            with store.unit_of_work() as uow:
                with pytest.raises(ConflictError, match="R-1"):
                    uow.reviews.add_many([_cycle("R-5"), _cycle("R-1")])
                assert _ids(uow.reviews.query()) == ["R-1"]
                uow.reviews.add(_cycle("R-6"))
                reading = uow.reviews.query()
                next(reading)
                uow.rollback()
                with pytest.raises(StorageError):
                    next(reading)

        self._with_reviews(check, _cycle("R-1"))

    def test_review_queries_see_writes_as_they_began(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                seen = []
                for cycle in uow.reviews.query(status="planned"):
                    seen.append(cycle.id)
                    uow.reviews.save(cycle.with_inputs([], at=_START))
                    uow.reviews.add(_cycle(cycle.id + "x"))
                assert seen == [f"R-{n:04d}" for n in range(600)]
                assert uow.reviews.count() == 1_200
                assert uow.reviews.count(status="in_review") == 600

        self._with_reviews(check, *(_cycle(f"R-{n:04d}") for n in range(600)))

    def test_review_queries_compare_instants(self) -> None:
        # 25 October 2026 in London: 01:00-02:00 is lived twice, first in BST, then in GMT.
        first_pass = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC
        second_pass = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)  # 01:20 UTC
        cycles = [
            ReviewCycle.plan(id="R-A", start=first_pass, end=second_pass),
            ReviewCycle.plan(
                id="R-B", start=second_pass, end=datetime(2026, 10, 26, tzinfo=KOLKATA)
            ),
            _cycle("R-C", start=datetime(2026, 1, 1, tzinfo=KOLKATA)).with_inputs([], at=_START),
        ]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                for moment, expected in [
                    (datetime(2026, 10, 25, 0, 45, tzinfo=UTC), ["R-A"]),
                    (datetime(2026, 10, 25, 1, 25, fold=1, tzinfo=LONDON), ["R-B"]),
                    (second_pass, ["R-B"]),  # the end is excluded, the start included
                    (datetime(2025, 12, 31, 18, 30, tzinfo=UTC), ["R-C"]),
                    (datetime(2025, 12, 31, 18, 29, tzinfo=UTC), []),
                ]:
                    assert _ids(uow.reviews.query(covering=moment)) == expected, moment
                    assert uow.reviews.count(covering=moment) == len(expected)
                assert _ids(uow.reviews.query(status=ReviewStatus.IN_REVIEW)) == ["R-C"]
                assert _ids(uow.reviews.query(status="planned")) == ["R-A", "R-B"]

        self._with_reviews(check, *cycles)

    def test_bad_review_arguments_are_validation_errors_with_paths(self) -> None:
        def check(store: Store) -> None:
            naive = datetime(2026, 11, 30, 9)  # noqa: DTZ001 - wrong on purpose
            skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # a wall time London skips
            with store.unit_of_work() as uow:
                for read in (uow.reviews.query, uow.reviews.count):
                    for when, status in [
                        (naive, "finished"),
                        (skipped, 7),
                        ("2026-01-01", ["planned"]),
                        (datetime.max.replace(tzinfo=UTC), "\ud800"),
                    ]:
                        with pytest.raises(ValidationError) as error:
                            read(covering=when, status=status)  # type: ignore[arg-type]
                        assert [p.path for p in error.value.problems] == [
                            "$.covering",
                            "$.status",
                        ]
                bad: list[Callable[[], object]] = [
                    lambda: uow.reviews.get(42),  # type: ignore[arg-type]
                    lambda: uow.reviews.add("R-1"),  # type: ignore[arg-type]
                    lambda: uow.reviews.add_many(7),  # type: ignore[arg-type]
                    lambda: uow.reviews.save(None),  # type: ignore[arg-type]
                ]
                for action in bad:
                    with pytest.raises(ValidationError) as error:
                        action()
                    assert all(p.path.startswith("$") for p in error.value.problems)
                for missing in ("\ud800", ""):
                    with pytest.raises(NotFoundError):
                        uow.reviews.get(missing)
                assert _ids(uow.reviews.query()) == ["R-1"]

        self._with_reviews(check, _cycle("R-1"))
