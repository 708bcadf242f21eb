"""The storage contract for service pledges, part of `StoreContract`.

Every store keeps pledges the same way: each whole, with every version and
its calendar, exactly as the library's JSON gives it back; saved with
optimistic concurrency; nothing kept unless the unit of work commits;
read-only units refusing writes; queries ordered by id, selecting the
pledges in force at an instant (compared as instants, never wall clocks) and
by their current measure; bad arguments refused as a `ValidationError`
naming each one. `StoreContract` inherits these tests; an adapter that
passes it passes them too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(PledgeStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_pledge_queries_compare_instants_in_force()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    RSQError,
    StorageError,
    ValidationError,
)
from retail_service_quality.quality.pledges import (
    PledgeMeasure,
    PledgeScope,
    PledgeStandard,
    ServicePledge,
)
from retail_service_quality.serialization import to_json
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import calendars, real_datetimes

__all__ = ["PledgeStoreContract"]

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
_START = datetime(2026, 1, 1, tzinfo=UTC)

_PLEDGE_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)


def _answer(
    record_id: str = "P-1", at: datetime = _START, seconds: int = 30, **changes: Any
) -> ServicePledge:
    """A pledge on hotline answer times, in force from ``at``."""
    fields: dict[str, Any] = {
        "id": record_id,
        "effective_from": at,
        "wording": f"We answer 90% of hotline calls within {seconds} seconds.",
        "standard": PledgeStandard("answer_time", within=timedelta(seconds=seconds)),
        "target_share": 0.9,
        "scope": PledgeScope(channels=["hotline"]),
    }
    fields.update(changes)
    return ServicePledge.create(**fields)


def _resolution(record_id: str, at: datetime = _START) -> ServicePledge:
    """A pledge on every complaint's resolution, in working days of the desk's calendar."""
    return ServicePledge.create(
        id=record_id,
        effective_from=at,
        wording="Every complaint resolved within 5 working days.",
        standard=PledgeStandard("resolution", working_days=5),
        calendar=DESK,
    )


_STANDARDS = st.one_of(
    st.integers(1, 3_600).map(lambda s: PledgeStandard("answer_time", within=timedelta(seconds=s))),
    st.builds(
        PledgeStandard,
        st.sampled_from(["acknowledgement", "resolution"]),
        within=st.integers(1, 10_000).map(lambda m: timedelta(minutes=m)),
    ),
    st.builds(
        PledgeStandard,
        st.sampled_from(["acknowledgement", "resolution"]),
        working_days=st.integers(1, 30),
    ),
)
_SCOPES = st.builds(
    PledgeScope,
    channels=st.lists(st.sampled_from(Channel), unique=True, max_size=3),
    store_ids=st.lists(st.sampled_from(["HK-1", "HK-2", "伸延"]), unique=True, max_size=2),
    tiers=st.lists(st.sampled_from(["gold", "vip"]), unique=True, max_size=2),
)
_WORDING = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60).filter(
    lambda text: bool(text.strip())
)


@st.composite
def _pledges(draw: st.DrawFn, ids: st.SearchStrategy[str] | None = None) -> ServicePledge:
    """Pledges of one to three versions with calendars, zones and repeated hours; some
    withdrawn."""
    record_id = draw(ids if ids is not None else st.from_regex(r"P-[0-9]{1,3}", fullmatch=True))
    start = draw(real_datetimes(timezones=("Europe/London", "Asia/Kolkata", "Australia/Adelaide")))
    calendar = draw(calendars(min_open_days=1))

    def fields() -> dict[str, Any]:
        return {
            "wording": draw(_WORDING),
            "standard": draw(_STANDARDS),
            "target_share": draw(st.none() | st.floats(0.01, 1.0)),
            "scope": draw(_SCOPES),
            "calendar": calendar,
        }

    pledge = ServicePledge.create(id=record_id, effective_from=start, **fields())
    moment = start
    for _ in range(draw(st.integers(0, 2))):
        # Elapsed time, added in UTC: a wall clock's sum would fall back in a repeated hour.
        later = moment.astimezone(UTC) + timedelta(seconds=draw(st.integers(1, 400 * 86_400)))
        moment = later.astimezone(start.tzinfo)
        reason = draw(st.none() | _WORDING)
        changes = fields()
        if changes["wording"] == pledge.current.wording:  # new words for what is measured
            changes["wording"] += " (revised)"
        pledge = pledge.revise(effective_from=moment, reason=reason, **changes)
    if draw(st.booleans()):
        ends = moment.astimezone(UTC) + timedelta(seconds=draw(st.integers(1, 86_400)))
        pledge = pledge.withdraw(at=ends.astimezone(draw(st.sampled_from([UTC, LONDON]))))
    return pledge


def _ids(pledges: Any) -> list[str]:
    return [pledge.id for pledge in pledges]


def _refused(error: type[RSQError], action: Callable[[], object], *names: str) -> None:
    """``action`` raises ``error``, naming every one of ``names``."""
    with pytest.raises(error) as raised:
        action()
    for name in names:
        assert repr(name) in str(raised.value), str(raised.value)


class PledgeStoreContract(ContractBase):
    """The pledges' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(PledgeStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_pledges_are_saved_with_versions_and_never_overwritten()
    """

    def _with_pledges(self, test: Callable[[Store], None], *pledges: ServicePledge) -> None:
        """Run ``test`` on a new store holding ``pledges``, committed."""
        self._with_stored(test, lambda uow: uow.pledges, pledges)

    # ------------------------------------------------------------ round trips

    @_PLEDGE_EXAMPLES
    @given(st.lists(_pledges(), max_size=4, unique_by=lambda pledge: pledge.id))
    def test_pledges_round_trip_exactly(self, pledges: list[ServicePledge]) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.pledges.query()) == sorted(_ids(pledges))
                assert uow.pledges.count() == len(pledges)
                for pledge in pledges:
                    stored = uow.pledges.get(pledge.id)
                    assert stored == pledge
                    # Zones, folds, microseconds and calendars, not merely equal instants.
                    assert to_json(stored) == to_json(pledge)
                    for kept, original in zip(stored.versions, pledge.versions, strict=True):
                        assert kept.effective_from.tzinfo == original.effective_from.tzinfo
                        assert (
                            kept.effective_from.utcoffset() == original.effective_from.utcoffset()
                        )
                        assert kept.calendar == original.calendar

        self._with_pledges(check, *pledges)

    # ------------------------------------------------------------ versions

    def test_pledges_are_saved_with_versions_and_never_overwritten(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                read = uow.pledges.get("P-1")
                assert read.version == 1
                revised = uow.pledges.save(
                    read.revise(
                        effective_from=datetime(2026, 7, 1, tzinfo=LONDON),
                        reason="raised after the new phone system",
                        wording="We answer 90% of hotline calls within 20 seconds.",
                        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
                    )
                )
                assert revised.version == 2
                assert [v.number for v in revised.versions] == [1, 2]
                _refused(ConflictError, lambda: uow.pledges.save(read), "P-1")
                _refused(ConflictError, lambda: uow.pledges.add(_answer("P-1")), "P-1")
                _refused(NotFoundError, lambda: uow.pledges.save(_answer("P-9")), "P-9")
                _refused(NotFoundError, lambda: uow.pledges.get("P-9"), "P-9")
                uow.commit()
            with store.unit_of_work() as uow:
                stored = uow.pledges.get("P-1")
                assert stored == revised
                # The old version is kept for the cases it covered.
                found = stored.in_force(datetime(2026, 3, 1, tzinfo=UTC))
                assert found is not None
                assert found.standard.within == timedelta(seconds=30)
                target = uow.pledges.save(
                    stored.revise(
                        effective_from=datetime(2026, 10, 1, tzinfo=UTC),
                        wording="We answer 85% of hotline calls within 20 seconds.",
                        target_share=0.85,
                    )
                )
                assert target.version == 3
                uow.commit()
            # Two clerks read the same version; the second to save conflicts, whatever it holds.
            with store.unit_of_work(read_only=True) as uow:
                theirs = uow.pledges.get("P-1")
            with store.unit_of_work() as uow:
                mine = uow.pledges.get("P-1")
                uow.pledges.save(mine.withdraw(at=datetime(2026, 12, 1, tzinfo=UTC)))
                uow.commit()
            with store.unit_of_work() as uow:
                later = theirs.withdraw(at=datetime(2026, 11, 1, tzinfo=UTC))
                _refused(ConflictError, lambda: uow.pledges.save(later), "P-1")
            with store.unit_of_work(read_only=True) as uow:
                final = uow.pledges.get("P-1")
                assert final.version == 4
                assert final.ends_at == datetime(2026, 12, 1, tzinfo=UTC)

        self._with_pledges(check, _answer("P-1"))

    def test_pledges_add_many_is_all_or_none(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                batch = [_answer("P-2"), _answer("P-3"), _answer("P-1")]
                _refused(ConflictError, lambda: uow.pledges.add_many(batch), "P-1")
                twice = [_answer("P-4"), _answer("P-4")]
                _refused(ConflictError, lambda: uow.pledges.add_many(twice), "P-4")
                with pytest.raises(ValidationError) as error:
                    uow.pledges.add_many([_answer("P-5"), None, "P-6"])  # type: ignore[list-item]
                assert [p.path for p in error.value.problems] == ["$[1]", "$[2]"]
                assert _ids(uow.pledges.query()) == ["P-1"]
                assert uow.pledges.add_many(iter([_answer("P-7"), _answer("P-8")])) == 2
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.pledges.query()) == ["P-1", "P-7", "P-8"]

        self._with_pledges(check, _answer("P-1"))

    # ------------------------------------------------------------ units of work

    def test_pledges_roll_back_unless_committed(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.pledges.add(_answer("P-2"))
                read = uow.pledges.get("P-1")
                uow.pledges.save(read.withdraw(at=datetime(2027, 1, 1, tzinfo=UTC)))
                assert uow.pledges.count() == 2  # seen inside the unit
            with store.unit_of_work() as uow:
                assert _ids(uow.pledges.query()) == ["P-1"]
                assert uow.pledges.get("P-1").version == 1
                uow.pledges.add(_answer("P-3"))
                uow.commit()
                uow.pledges.add(_answer("P-4"))
                uow.rollback()
                assert _ids(uow.pledges.query()) == ["P-1", "P-3"]
            with store.unit_of_work() as uow:

                def fail_midway() -> None:
                    uow.pledges.add(_answer("P-5"))
                    raise ConflictError("the clerk gave up")

                with pytest.raises(ConflictError):
                    fail_midway()
            with store.unit_of_work() as uow:
                assert _ids(uow.pledges.query()) == ["P-1", "P-3"]
            with pytest.raises(StorageError):
                uow.pledges.count()  # outside its block

        self._with_pledges(check, _answer("P-1"))

    def test_read_only_units_refuse_pledge_writes(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                read = uow.pledges.get("P-1")
                writes: list[Callable[[], object]] = [
                    lambda: uow.pledges.add(_answer("P-2")),
                    lambda: uow.pledges.add_many([_answer("P-3")]),
                    lambda: uow.pledges.save(read.withdraw(at=datetime(2027, 1, 1, tzinfo=UTC))),
                ]
                for write in writes:
                    with pytest.raises(StorageError):
                        write()
                assert uow.pledges.count() == 1
                uow.commit()  # nothing to commit, and harmless
            with store.unit_of_work() as uow:
                assert uow.pledges.get("P-1") == read
                assert read.version == 1

        self._with_pledges(check, _answer("P-1"))

    def test_pledge_queries_end_when_the_unit_rolls_back_and_see_writes_as_they_began(
        self,
    ) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                reading = uow.pledges.query()
                next(reading)
                uow.rollback()
                with pytest.raises(StorageError):
                    next(reading)
            with store.unit_of_work() as uow:
                seen = []
                for pledge in uow.pledges.query(in_force_at=_START):
                    seen.append(pledge.id)
                    uow.pledges.save(pledge.withdraw(at=_START + timedelta(days=1)))
                    uow.pledges.add(_answer(pledge.id + "x"))
                assert seen == [f"P-{n:04d}" for n in range(1_200)]
                assert uow.pledges.count() == 2_400
                assert uow.pledges.count(in_force_at=_START + timedelta(days=1)) == 1_200
                assert uow.pledges.get("P-0000").version == 2

        self._with_pledges(check, *(_answer(f"P-{n:04d}") for n in range(1_200)))

    # ------------------------------------------------------------ queries

    def test_pledge_queries_compare_instants_in_force(self) -> None:
        # 25 October 2026 in London: 01:00-02:00 is lived twice, first in BST (UTC+1) then
        # in GMT (fold=1). 01:45 BST is 00:45 UTC; 01:20 GMT is 01:20 UTC.
        first_pass = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC
        second_pass = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)  # 01:20 UTC
        ending = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)  # 01:10 UTC
        pledges = [
            _answer("P-early", first_pass),
            _answer("P-late", second_pass),
            _answer("P-ending", _START).withdraw(at=ending),
            _resolution("P-complaints", datetime(2026, 10, 25, 6, 30, tzinfo=KOLKATA)),
            # Measured in answer time at first, in complaint resolution now.
            _answer("P-changed", _START).revise(
                effective_from=datetime(2026, 6, 1, tzinfo=ADELAIDE),
                wording="Every complaint resolved within 3 working days.",
                standard=PledgeStandard("resolution", working_days=3),
                calendar=DESK,
            ),
            # From the first instant supported to the last.
            _answer("P-always", MIN_INSTANT.astimezone(timezone(timedelta(hours=14)))),
            _answer("P-ended", _START).withdraw(at=MAX_INSTANT.astimezone(LONDON)),
        ]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:

                def selected(**arguments: Any) -> list[str]:
                    found = _ids(uow.pledges.query(**arguments))
                    assert uow.pledges.count(**arguments) == len(found)
                    return found

                everyone = sorted(p.id for p in pledges)
                assert selected() == everyone
                # 01:45 BST (00:45 UTC): a wall clock would put it after P-late's 01:20 and
                # P-ending's 01:10; as instants it is before both.
                at = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)
                assert selected(in_force_at=at) == [
                    "P-always",
                    "P-changed",
                    "P-early",
                    "P-ended",
                    "P-ending",
                ]
                # The instant a version takes effect is in force; the instant withdrawn is not.
                assert "P-late" in selected(in_force_at=second_pass)
                assert "P-ending" not in selected(in_force_at=ending)
                assert "P-ending" in selected(in_force_at=ending - timedelta(microseconds=1))
                # The same instant written in a half-hour zone selects the same pledges.
                assert selected(in_force_at=at.astimezone(KOLKATA)) == selected(in_force_at=at)
                # 06:30 in Kolkata (UTC+05:30) is 01:00 UTC.
                opens = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
                assert "P-complaints" in selected(in_force_at=opens)
                assert "P-complaints" not in selected(in_force_at=opens - timedelta(microseconds=1))
                # The ends of the supported range.
                assert selected(in_force_at=MIN_INSTANT) == ["P-always"]
                assert selected(in_force_at=MAX_INSTANT) == [
                    "P-always",
                    "P-changed",
                    "P-complaints",
                    "P-early",
                    "P-late",
                ]
                assert selected(in_force_at=MAX_INSTANT - timedelta(microseconds=1)) == [
                    "P-always",
                    "P-changed",
                    "P-complaints",
                    "P-early",
                    "P-ended",
                    "P-late",
                ]
                # The measure is the current version's.
                resolution = ["P-changed", "P-complaints"]
                assert selected(measure="resolution") == resolution
                assert selected(measure=PledgeMeasure.RESOLUTION) == resolution
                assert selected(measure="acknowledgement") == []
                assert selected(measure="answer_time") == [
                    p for p in everyone if p not in resolution
                ]
                assert selected(measure="resolution", in_force_at=at) == ["P-changed"]
                # Each pledge matches as `ServicePledge.in_force` says.
                for moment in (at, second_pass, ending, _START, MIN_INSTANT, MAX_INSTANT):
                    assert selected(in_force_at=moment) == [
                        p.id for p in sorted(pledges, key=lambda p: p.id) if p.in_force(moment)
                    ]

        self._with_pledges(check, *pledges)

    # ------------------------------------------------------------ bad arguments

    def test_bad_pledge_arguments_are_validation_errors_with_paths(self) -> None:
        def check(store: Store) -> None:
            naive = datetime(2026, 11, 30, 9)  # noqa: DTZ001 - wrong on purpose
            skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # a wall time London skips
            with store.unit_of_work() as uow:
                for read in (uow.pledges.query, uow.pledges.count):
                    for when, measure in [
                        (naive, "speed"),
                        (skipped, 7),
                        ("2026-01-01", ["answer_time"]),
                        (datetime.max.replace(tzinfo=UTC), "\ud800"),
                    ]:
                        with pytest.raises(ValidationError) as error:
                            read(in_force_at=when, measure=measure)  # type: ignore[arg-type]
                        assert [p.path for p in error.value.problems] == [
                            "$.in_force_at",
                            "$.measure",
                        ]
                bad: list[Callable[[], object]] = [
                    lambda: uow.pledges.get(42),  # type: ignore[arg-type]
                    lambda: uow.pledges.add("P-1"),  # type: ignore[arg-type]
                    lambda: uow.pledges.add_many(7),  # type: ignore[arg-type]
                    lambda: uow.pledges.add_many("P-1"),  # type: ignore[arg-type]
                    lambda: uow.pledges.save({"id": "P-1"}),  # type: ignore[arg-type]
                    lambda: uow.pledges.save(None),  # type: ignore[arg-type]
                ]
                for action in bad:
                    with pytest.raises(ValidationError) as error:
                        action()
                    assert error.value.problems, action
                    assert all(p.path.startswith("$") for p in error.value.problems)
                # An id no record can have is simply not found, never a driver's error.
                _refused(NotFoundError, lambda: uow.pledges.get("\ud800"))
                _refused(NotFoundError, lambda: uow.pledges.get(""))
                assert _ids(uow.pledges.query()) == ["P-1"]

        self._with_pledges(check, _answer("P-1"))
