"""Both adapters agree on time: DST hours, half-hour zones, range ends, far-apart rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    InMemoryStore,
    InteractionQuery,
    ServiceInteraction,
    SQLiteStore,
    StorageError,
    ValidationError,
)
from retail_service_quality.storage.ports import Store

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
STORES: dict[str, Callable[[], Store]] = {
    "memory": InMemoryStore,
    "sqlite": lambda: SQLiteStore(":memory:"),
}

# Wall times that trip up wall-clock arithmetic, each with a fold. (A wall time in a skipped
# hour is refused by the record types themselves, so it never reaches storage.)
MOMENTS = [
    datetime(2026, 10, 25, 1, 20, tzinfo=LONDON),  # repeated hour, first pass (BST)
    datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON),  # repeated hour, second pass (GMT)
    datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
    datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
    datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=LONDON),  # just before the skipped hour
    datetime(2026, 3, 29, 2, 0, tzinfo=LONDON),  # just after it
    datetime(2026, 4, 5, 2, 30, tzinfo=ADELAIDE),  # repeated half-hour-zone hour, both passes
    datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=ADELAIDE),
    datetime(2026, 10, 4, 3, 0, tzinfo=ADELAIDE),  # just after a half-hour zone's skipped hour
    datetime(2026, 7, 1, 12, tzinfo=KOLKATA),
]
INNER = len(MOMENTS)
# The ends of the supported range of instants, read in zones on either side of UTC.
MOMENTS += [
    datetime(1, 1, 2, tzinfo=UTC),
    datetime(1, 1, 2, 5, 53, 28, tzinfo=KOLKATA),  # local mean time then: +05:53:28
    datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(9999, 12, 31, 9, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=10))),
]


def test_wall_times_that_do_not_exist_and_instants_out_of_range_never_reach_storage() -> None:
    for moment in (
        datetime(2026, 3, 29, 1, 30, tzinfo=LONDON),
        datetime(2026, 3, 29, 1, 30, fold=1, tzinfo=LONDON),
        datetime(2026, 10, 4, 2, 30, tzinfo=ADELAIDE),
        datetime(1, 1, 1, 0, 30, tzinfo=KOLKATA),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12))),
    ):
        with pytest.raises(ValidationError, match="occurred_at"):
            contact(0, moment)


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    with STORES[request.param]() as opened:
        yield opened


def contact(number: int, moment: datetime) -> ServiceInteraction:
    return ServiceInteraction(
        id=f"I-{number:02d}",
        store_id="S1",
        channel="hotline",
        occurred_at=moment,
        handle_time=timedelta(minutes=number),
    )


def seed(store: Store, moments: list[datetime]) -> list[ServiceInteraction]:
    records = [contact(n, moment) for n, moment in enumerate(moments)]
    with store.unit_of_work() as uow:
        uow.interactions.add_many(records)
        uow.commit()
    return records


def _exists(moment: datetime) -> bool:
    """Whether the wall time happens in its zone (is not in a skipped hour)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def test_values_read_back_equal_with_the_same_offset_and_wall_time(store: Store) -> None:
    records = seed(store, MOMENTS)
    with store.unit_of_work() as uow:
        for record in records:
            found = uow.interactions.get(record.id).occurred_at
            wanted = record.occurred_at
            assert found.replace(tzinfo=None) == wanted.replace(tzinfo=None)
            assert found.utcoffset() == wanted.utcoffset()
            assert found.tzinfo == wanted.tzinfo


def _micros(moment: datetime) -> int:
    """The instant, counted independently of the library: wall time minus offset."""
    offset = moment.utcoffset()
    assert offset is not None
    return (moment.replace(tzinfo=None) - datetime(1, 1, 1)) // timedelta(
        microseconds=1
    ) - offset // timedelta(microseconds=1)


def test_queries_order_and_select_by_instant_on_both_adapters() -> None:
    records = sorted(
        (contact(n, m) for n, m in enumerate(MOMENTS)),
        key=lambda r: (_micros(r.occurred_at), r.id),
    )
    for make in STORES.values():
        with make() as store:
            seed(store, MOMENTS)
            with store.unit_of_work() as uow:
                assert [i.id for i in uow.interactions.query()] == [r.id for r in records]
                for bound in MOMENTS:
                    after = [r.id for r in records if _micros(r.occurred_at) >= _micros(bound)]
                    before = [r.id for r in records if _micros(r.occurred_at) < _micros(bound)]
                    found = [i.id for i in uow.interactions.query(InteractionQuery(start=bound))]
                    assert found == after
                    assert uow.interactions.count(InteractionQuery(end=bound)) == len(before)
                    for record in records:
                        assert InteractionQuery(start=bound).matches(record) is (record.id in after)


@pytest.mark.parametrize("period", ["day", "week", "month"])
@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "Australia/Adelaide"])
def test_summaries_agree_at_dst_hours_half_hour_zones_and_range_ends(
    period: str, zone: str
) -> None:
    moments = MOMENTS[:INNER]
    results = []
    for make in STORES.values():
        with make() as store:
            seed(store, moments)
            with store.unit_of_work() as uow:
                results.append(
                    (
                        uow.interactions.summarize(period=period, timezone=zone),  # type: ignore[arg-type]
                        uow.interactions.summarize(
                            group_by=("period", "channel"),
                            period=period,  # type: ignore[arg-type]
                            utc_offset=timedelta(hours=-9, minutes=-30),
                        ),
                    )
                )
    assert results[0] == results[1]
    assert sum(row.count for row in results[0][0]) == len(moments)


def test_summaries_at_the_ends_of_the_range_work_or_raise_storage_error() -> None:
    outcomes = []
    for make in STORES.values():
        with make() as store:
            seed(store, MOMENTS[INNER:])
            with store.unit_of_work() as uow:
                found: list[Any] = []
                kwargs: dict[str, Any]
                for kwargs in (
                    {"timezone": "Asia/Kolkata"},
                    {"utc_offset": timedelta(hours=-23)},
                    {"utc_offset": timedelta(hours=23)},
                    {"group_by": ("store",)},
                ):
                    try:
                        found.append(uow.interactions.summarize(**kwargs))
                    except StorageError:
                        found.append(StorageError)
                outcomes.append(found)
    assert outcomes[0] == outcomes[1]
    # Every instant of the supported range has a local date within 23 hours either side.
    assert StorageError not in outcomes[0]
    assert outcomes[0][3][0].count == 4


def test_rows_thousands_of_years_apart_summarize_in_a_zone() -> None:
    moments = [datetime(1000, 6, 1, 12, tzinfo=LONDON), datetime(8000, 6, 1, 12, tzinfo=LONDON)]
    results = []
    for make in STORES.values():
        with make() as store:
            seed(store, moments)
            with store.unit_of_work() as uow:
                results.append(uow.interactions.summarize(period="month", timezone="Europe/London"))
    assert results[0] == results[1]
    assert [row.period.isoformat() for row in results[0] if row.period] == [
        "1000-06-01",
        "8000-06-01",
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1900, 1, 1),
            max_value=datetime(2300, 1, 1),
            timezones=st.sampled_from([LONDON, KOLKATA, ADELAIDE, ZoneInfo("America/St_Johns")]),
        ).filter(_exists),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["Europe/London", "Australia/Adelaide", "America/Santiago"]),
    st.sampled_from(["day", "week", "month"]),
)
def test_zone_summaries_agree_between_adapters(
    moments: list[datetime], zone: str, period: str
) -> None:
    results = []
    for make in STORES.values():
        with make() as store:
            seed(store, moments)
            with store.unit_of_work() as uow:
                results.append(
                    uow.interactions.summarize(
                        group_by=("period", "channel"),
                        period=period,  # type: ignore[arg-type]
                        timezone=zone,
                    )
                )
    assert results[0] == results[1]
    local_days = sorted({moment.astimezone(ZoneInfo(zone)).date() for moment in moments})
    if period == "day":
        assert [row.period for row in results[0]] == local_days
