"""Both adapters agree on time: DST hours, half-hour zones, range ends, far-apart rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
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
)
from retail_service_quality.storage.ports import Store

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
STORES: dict[str, Callable[[], Store]] = {
    "memory": InMemoryStore,
    "sqlite": lambda: SQLiteStore(":memory:"),
}

# Wall times that trip up wall-clock arithmetic, each with a fold.
MOMENTS = [
    datetime(2026, 10, 25, 1, 20, tzinfo=LONDON),  # repeated hour, first pass (BST)
    datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON),  # repeated hour, second pass (GMT)
    datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
    datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
    datetime(2026, 3, 29, 1, 30, tzinfo=LONDON),  # skipped hour
    datetime(2026, 3, 29, 1, 30, fold=1, tzinfo=LONDON),
    datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=LONDON),
    datetime(2026, 10, 4, 2, 30, tzinfo=ADELAIDE),  # skipped half hour-zone hour
    datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=ADELAIDE),  # repeated half-hour-zone hour
    datetime(2026, 7, 1, 12, tzinfo=KOLKATA),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),  # the instant is before year 1
    datetime(1, 1, 1, 0, 30, tzinfo=KOLKATA),
    datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-12))),
    datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=LONDON),
]


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
    moments = MOMENTS[:10]  # within the dates every zone can name
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
            seed(store, MOMENTS[10:])
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
    assert outcomes[0][1] is StorageError  # 23 hours west of 0001-01-01: no date to name
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
        ),
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
