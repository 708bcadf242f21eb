"""The storage contract for award schemes and published awards, part of `StoreContract`.

Every store keeps award schemes the same way: each whole, its eligibility
rules included, exactly as the library's JSON gives it back; saved with
optimistic concurrency; nothing kept unless the unit of work commits;
read-only units refusing writes; queries ordered by id, by level and by the
indicator ranked on. A published award is kept as it was given: added once
(a second with its id is a `ConflictError`), only under a stored scheme, and
never changed. Bad arguments are refused as a `ValidationError` naming each
one. `StoreContract` inherits these tests; an adapter that passes it passes
them too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(AwardStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_published_awards_stay_as_published()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from retail_service_quality.quality.awards import (
    AwardResult,
    AwardScheme,
    PublishedPlace,
    TieBreak,
    award_requirement,
)
from retail_service_quality.rules import RuleSet, eq, ge
from retail_service_quality.serialization import to_json
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.contract_pledges import _refused
from retail_service_quality.testing.strategies import real_datetimes

__all__ = ["AwardStoreContract"]

LONDON = ZoneInfo("Europe/London")
_AT = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # the repeated hour, second time

_AWARD_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)
_ELIGIBILITY = RuleSet(
    id="eligibility",
    rules=[
        award_requirement("min_n", ge("n", 30), description="At least 30 surveys."),
        award_requirement("no_red", eq("red_criteria", 0), description="No red criterion."),
    ],
)


def _scheme(record_id: str = "AW-1", **changes: Any) -> AwardScheme:
    fields: dict[str, Any] = {
        "id": record_id,
        "name": "Agent of the quarter",
        "level": "staff",
        "period": "quarter",
        "indicator_id": "csat",
        "direction": "higher",
        "eligibility": _ELIGIBILITY,
    }
    fields.update(changes)
    return AwardScheme(**fields)


def _result(record_id: str = "R-1", scheme_id: str = "AW-1", **changes: Any) -> AwardResult:
    fields: dict[str, Any] = {
        "id": record_id,
        "scheme_id": scheme_id,
        "scheme_version": 1,
        "computed_at": _AT,
        "start": datetime(2026, 10, 1, tzinfo=LONDON),
        "end": datetime(2027, 1, 1, tzinfo=LONDON),
        "places": [
            PublishedPlace(
                place=1, candidate_id="A-7", score=0.91, value=0.95, n=200, awarded=True
            ),
            PublishedPlace(place=2, candidate_id="A-3", score=0.67, value=0.8, n=50),
        ],
    }
    fields.update(changes)
    return AwardResult(**fields)


@st.composite
def _schemes(draw: st.DrawFn, ids: st.SearchStrategy[str] | None = None) -> AwardScheme:
    """Award schemes of every level, method and period, some with eligibility rules."""
    return _scheme(
        draw(ids if ids is not None else st.from_regex(r"AW-[0-9]{1,3}", fullmatch=True)),
        name=draw(
            st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30).filter(
                str.strip
            )
        ),
        level=draw(st.sampled_from(["staff", "store", "business_unit"])),
        period=draw(st.sampled_from(["month", "quarter", "half_year", "year", "any"])),
        indicator_id=draw(st.sampled_from(["csat", "nps", "fcr_survey", "aht"])),
        direction=draw(st.sampled_from(["higher", "lower"])),
        eligibility=draw(st.none() | st.just(_ELIGIBILITY)),
        method=draw(st.sampled_from(["lower_bound", "shrunken"])),
        confidence=draw(st.floats(0.5, 0.999)),
        places=draw(st.integers(1, 10)),
        tie_breaks=draw(
            st.sampled_from([[], [TieBreak("n")], [TieBreak("indicator", "nps"), TieBreak("id")]])
        ),
        version=draw(st.integers(1, 2**53 - 1)),
    )


def _ids(records: Any) -> list[str]:
    return [record.id for record in records]


class AwardStoreContract(ContractBase):
    """The award schemes' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(AwardStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_award_schemes_are_saved_with_versions_and_never_overwritten()
    """

    def _with_schemes(self, test: Callable[[Store], None], *schemes: AwardScheme) -> None:
        """Run ``test`` on a new store holding ``schemes``, committed."""
        self._with_stored(test, lambda uow: uow.awards, schemes)

    @_AWARD_EXAMPLES
    @given(st.lists(_schemes(), max_size=4, unique_by=lambda scheme: scheme.id))
    def test_award_schemes_round_trip_exactly(self, schemes: list[AwardScheme]) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.awards.query()) == sorted(_ids(schemes))
                assert uow.awards.count() == len(schemes)
                for scheme in schemes:
                    stored = uow.awards.get(scheme.id)
                    assert stored == scheme
                    assert to_json(stored) == to_json(scheme)
                for level in ("staff", "store", "business_unit"):
                    expected = sorted(s.id for s in schemes if s.level.value == level)
                    assert _ids(uow.awards.query(level=level)) == expected
                    assert uow.awards.count(level=level) == len(expected)
                for indicator in ("csat", "nps"):
                    expected = sorted(s.id for s in schemes if s.indicator_id == indicator)
                    assert _ids(uow.awards.query(indicator_id=indicator)) == expected
                    assert uow.awards.count(indicator_id=indicator, level=None) == len(expected)

        self._with_schemes(check, *schemes)

    @_AWARD_EXAMPLES
    @given(computed_at=real_datetimes(timezones=("Europe/London", "Asia/Kolkata")))
    def test_published_awards_round_trip_exactly(self, computed_at: datetime) -> None:
        def check(store: Store) -> None:
            result = _result(computed_at=computed_at)
            with store.unit_of_work() as uow:
                uow.awards.publish(result)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                stored = uow.awards.result("R-1")
                assert stored == result
                assert to_json(stored) == to_json(result)  # zone and fold kept

        self._with_schemes(check, _scheme())

    def test_award_schemes_are_saved_with_versions_and_never_overwritten(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                read = uow.awards.get("AW-1")
                assert read.version == 1
                saved = uow.awards.save(attrs.evolve(read, places=1, method="shrunken"))
                assert saved.version == 2
                _refused(ConflictError, lambda: uow.awards.save(read), "AW-1")
                _refused(ConflictError, lambda: uow.awards.add(_scheme("AW-1")), "AW-1")
                _refused(NotFoundError, lambda: uow.awards.save(_scheme("AW-9")), "AW-9")
                _refused(NotFoundError, lambda: uow.awards.get("AW-9"), "AW-9")
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                theirs = uow.awards.get("AW-1")
                assert theirs == saved
            with store.unit_of_work() as uow:
                uow.awards.save(attrs.evolve(uow.awards.get("AW-1"), places=2))
                uow.commit()
            with store.unit_of_work() as uow:
                late = attrs.evolve(theirs, places=5)
                _refused(ConflictError, lambda: uow.awards.save(late), "AW-1")
            with store.unit_of_work(read_only=True) as uow:
                final = uow.awards.get("AW-1")
                assert (final.version, final.places) == (3, 2)

        self._with_schemes(check, _scheme())

    def test_award_schemes_add_many_is_all_or_none(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                batch = [_scheme("AW-2"), _scheme("AW-1")]
                _refused(ConflictError, lambda: uow.awards.add_many(batch), "AW-1")
                with pytest.raises(ValidationError) as error:
                    uow.awards.add_many([_scheme("AW-5"), None])  # type: ignore[list-item]
                assert [p.path for p in error.value.problems] == ["$[1]"]
                assert _ids(uow.awards.query()) == ["AW-1"]
                assert uow.awards.add_many(iter([_scheme("AW-7")])) == 1
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.awards.query()) == ["AW-1", "AW-7"]

        self._with_schemes(check, _scheme())

    def test_published_awards_stay_as_published(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.awards.publish(_result("R-2"))
                uow.awards.publish(_result("R-1"))
                _refused(ConflictError, lambda: uow.awards.publish(_result("R-1")), "R-1")
                _refused(NotFoundError, lambda: uow.awards.publish(_result("R-3", "AW-9")), "AW-9")
                uow.commit()
            with store.unit_of_work() as uow:
                # The scheme changes; the award given under version 1 does not.
                uow.awards.save(attrs.evolve(uow.awards.get("AW-1"), places=1))
                uow.awards.add(_scheme("AW-2"))
                uow.awards.publish(_result("R-0", "AW-2"))
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.awards.results()) == ["R-0", "R-1", "R-2"]
                assert _ids(uow.awards.results(scheme_id="AW-1")) == ["R-1", "R-2"]
                kept = uow.awards.result("R-1")
                assert kept == _result("R-1")
                assert kept.scheme_version == 1
                assert kept.winners() == ("A-7",)
                _refused(NotFoundError, lambda: uow.awards.result("R-9"), "R-9")

        self._with_schemes(check, _scheme())

    def test_awards_roll_back_unless_committed(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.awards.add(_scheme("AW-2"))
                uow.awards.publish(_result("R-1"))
                uow.awards.save(attrs.evolve(uow.awards.get("AW-1"), places=9))
                assert uow.awards.count() == 2
            with store.unit_of_work() as uow:
                assert _ids(uow.awards.query()) == ["AW-1"]
                assert list(uow.awards.results()) == []
                assert uow.awards.get("AW-1").version == 1
                uow.awards.publish(_result("R-1"))
                uow.commit()
                uow.awards.publish(_result("R-2"))
                uow.rollback()
                assert _ids(uow.awards.results()) == ["R-1"]
            with pytest.raises(StorageError):
                uow.awards.count()  # outside its block

        self._with_schemes(check, _scheme())

    def test_read_only_units_refuse_award_writes(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                read = uow.awards.get("AW-1")
                for write in (
                    lambda: uow.awards.add(_scheme("AW-2")),
                    lambda: uow.awards.add_many([_scheme("AW-3")]),
                    lambda: uow.awards.save(read),
                    lambda: uow.awards.publish(_result()),
                ):
                    with pytest.raises(StorageError):
                        write()
                assert uow.awards.count() == 1

        self._with_schemes(check, _scheme())

    def test_bad_award_arguments_are_refused(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                with pytest.raises(ValidationError) as error:
                    uow.awards.query(level="team", indicator_id=" csat")
                assert [p.path for p in error.value.problems] == ["$.level", "$.indicator_id"]
                with pytest.raises(ValidationError):
                    uow.awards.count(level=5)  # type: ignore[arg-type]
                with pytest.raises(ValidationError):
                    list(uow.awards.results(scheme_id=""))
                for bad in (None, "AW-1", _result()):
                    with pytest.raises(ValidationError):
                        uow.awards.add(bad)  # type: ignore[arg-type]
                    with pytest.raises(ValidationError):
                        uow.awards.save(bad)  # type: ignore[arg-type]
                with pytest.raises(ValidationError):
                    uow.awards.publish(_scheme())  # type: ignore[arg-type]
                with pytest.raises(ValidationError):
                    uow.awards.get(5)  # type: ignore[arg-type]
                with pytest.raises(NotFoundError):
                    uow.awards.result(" R-1")
                assert uow.awards.count() == 1

        self._with_schemes(check, _scheme())

    def test_published_award_instants_keep_their_fold(self) -> None:
        """Two awards computed at the same wall clock in a repeated hour stay two instants."""

        def check(store: Store) -> None:
            first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC
            second = _AT  # 01:30 UTC, the same wall clock
            with store.unit_of_work() as uow:
                uow.awards.publish(_result("R-1", computed_at=first))
                uow.awards.publish(_result("R-2", computed_at=second))
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                one, two = uow.awards.result("R-1"), uow.awards.result("R-2")
                assert two.computed_at.astimezone(UTC) != one.computed_at.astimezone(UTC)
                assert (one.computed_at.fold, two.computed_at.fold) == (0, 1)

        self._with_schemes(check, _scheme())
