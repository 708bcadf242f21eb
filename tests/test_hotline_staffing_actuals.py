"""The last period's hotline actuals per interval, on both stores: `hotline_actuals`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    BusinessCalendar,
    Customer,
    HotlineActuals,
    InMemoryStore,
    InteractionQuery,
    RSQError,
    ServiceInteraction,
    SQLiteStore,
    ValidationError,
    from_json,
    hotline_actuals,
    staffing_for_agents,
    to_json,
)

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
NINE = datetime(2026, 11, 23, 9, tzinfo=UTC)  # a Monday
HALF_HOUR = timedelta(minutes=30)
SECONDS = timedelta(seconds=1)
MORNING = BusinessCalendar("UTC", {"mon": [("09:00", "10:00")]})


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    made = InMemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "rsq.db")
    with made:
        yield made


def call(
    number: int,
    at: datetime,
    *,
    wait: float | None = 10,
    talk: float | None = 180,
    abandoned: bool = False,
    **changes: Any,
) -> ServiceInteraction:
    fields: dict[str, Any] = {
        "id": f"I-{number}",
        "store_id": "S1",
        "channel": "hotline",
        "occurred_at": at,
        "queue_time": None if wait is None else wait * SECONDS,
        "abandoned": abandoned,
    }
    if not abandoned and talk is not None:
        fields["talk_time"] = talk * SECONDS
    return ServiceInteraction(**(fields | changes))


def put(store: Any, calls: list[ServiceInteraction]) -> None:
    with store.unit_of_work() as uow:
        uow.interactions.add_many(calls)
        uow.commit()


def actuals(store: Any, **changes: Any) -> HotlineActuals:
    arguments: dict[str, Any] = {
        "calendar": MORNING,
        "start": NINE,
        "end": NINE + timedelta(hours=1),
        "answer_within": timedelta(seconds=20),
    }
    return hotline_actuals(store, **(arguments | changes))


def test_counts_by_hand_with_abandons_and_short_abandons(store: Any) -> None:
    with store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name="Chan Tai Man", created_at=NINE))
        uow.commit()
    put(
        store,
        [
            call(1, NINE, wait=5),  # within
            call(2, NINE + 60 * SECONDS, wait=20),  # within: the threshold itself counts
            call(3, NINE + 120 * SECONDS, wait=21),  # answered late
            call(4, NINE + 180 * SECONDS, wait=None),  # answered, wait not recorded: not within
            call(5, NINE + 240 * SECONDS, wait=30, abandoned=True),  # abandoned: offered, failed
            call(6, NINE + 300 * SECONDS, wait=12, abandoned=True),  # abandoned within 20 s too
            call(7, NINE + 360 * SECONDS, wait=4, abandoned=True),  # short abandon: left out
            call(8, NINE + 420 * SECONDS, wait=None, abandoned=True),  # no wait: not short
            call(9, NINE + HALF_HOUR, wait=1, talk=300),  # the second interval
            call(10, NINE, direction="outbound", customer_id="C-1"),  # outbound: not offered
            call(11, NINE, channel="email"),  # not a call
            call(12, NINE - SECONDS),  # before the period
            call(13, NINE + timedelta(hours=1)),  # the period's end is left out
        ],
    )
    result = actuals(store)
    first, second = result.intervals[0], result.intervals[1]
    assert (first.offered, first.answered, first.answered_within) == (7, 4, 2)
    assert (first.abandoned, first.short_abandoned) == (3, 1)
    assert first.service_level == 2 / 7
    assert (first.handled, first.average_handle_time) == (4, timedelta(seconds=180))
    assert (second.offered, second.answered_within, second.service_level) == (1, 1, 1.0)
    assert second.average_handle_time == timedelta(seconds=300)
    assert (result.total_offered, result.total_answered_within) == (8, 3)
    assert (result.total_abandoned, result.total_short_abandoned) == (3, 1)
    assert result.period_service_level == 3 / 8
    assert result.abandons == "negative"


def test_counts_agree_with_the_interaction_summary(store: Any) -> None:
    put(
        store,
        [call(n, NINE + n * 97 * SECONDS, wait=n % 9, abandoned=n % 4 == 0) for n in range(1, 30)],
    )
    result = actuals(store)
    with store.unit_of_work(read_only=True) as uow:
        (summary,) = uow.interactions.summarize(
            InteractionQuery(start=NINE, end=NINE + timedelta(hours=1)), group_by=()
        )
    assert result.total_offered == summary.offered
    assert result.total_abandoned == summary.abandoned
    assert result.total_short_abandoned == summary.short_abandoned


def test_the_agents_on_duty_and_what_erlang_c_expected_of_them(store: Any) -> None:
    put(store, [call(n, NINE + n * 45 * SECONDS, talk=240) for n in range(60)])
    result = actuals(store, agents={NINE: 8, NINE + HALF_HOUR: 1})
    first, second = result.intervals[0], result.intervals[1]
    assert (first.offered, second.offered) == (40, 20)
    expected = staffing_for_agents(
        calls=40,
        interval=HALF_HOUR,
        aht=timedelta(seconds=240),
        answer_within=timedelta(seconds=20),
        agents=8,
    )
    assert first.traffic == expected.traffic == 40 * 240 / 1800
    assert first.expected_service_level == expected.service_level
    assert first.expected_average_speed_of_answer == expected.average_speed_of_answer
    assert first.expected_occupancy == expected.occupancy
    assert not first.overloaded
    # 20 calls of 4 minutes in 30 minutes are 2.67 Erlangs: one agent cannot keep up.
    assert second.agents == 1
    assert second.overloaded
    assert second.expected_service_level is None


def test_intervals_without_agents_given_have_no_expectation(store: Any) -> None:
    put(store, [call(1, NINE)])
    row = actuals(store).intervals[0]
    assert (row.agents, row.expected_service_level, row.overloaded) == (None, None, False)
    assert row.traffic == pytest.approx(180 / 1800)


def test_an_empty_period_has_a_row_per_open_interval_and_no_service_level(store: Any) -> None:
    result = actuals(store, end=NINE + timedelta(hours=2))
    assert list(result.intervals) == [0, 1]
    assert all(row.service_level is None for row in result.intervals.values())
    assert result.period_service_level is None


def test_calls_in_closed_time_have_a_row_of_their_own(store: Any) -> None:
    put(store, [call(1, NINE + timedelta(hours=1, minutes=5))])
    result = actuals(store, end=NINE + timedelta(hours=2))
    assert list(result.intervals) == [0, 1, 2]
    closed = result.intervals[2]
    assert (closed.open_time, closed.offered, closed.traffic) == (timedelta(0), 1, None)


def test_one_store_of_many(store: Any) -> None:
    put(store, [call(1, NINE), call(2, NINE, store_id="S2"), call(3, NINE, store_id="S2")])
    assert actuals(store, store_id="S2").total_offered == 2
    assert actuals(store).total_offered == 3


def test_an_open_unit_of_work_is_a_target_too(store: Any) -> None:
    put(store, [call(1, NINE)])
    with store.unit_of_work(read_only=True) as uow:
        assert actuals(uow).total_offered == 1


def test_calls_at_the_repeated_hour_go_to_their_own_interval(store: Any) -> None:
    first = datetime(2026, 10, 25, 1, 10, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)
    put(store, [call(1, first), call(2, second), call(3, second.astimezone(UTC))])
    calendar = BusinessCalendar("Europe/London", {"sun": [("00:00", "24:00")]})
    result = actuals(
        store,
        calendar=calendar,
        start=datetime(2026, 10, 25, 1, tzinfo=LONDON),
        end=datetime(2026, 10, 25, 2, tzinfo=LONDON),
        agents=[(datetime(2026, 10, 25, 1, fold=1, tzinfo=LONDON), 2)],
    )
    rows = list(result.intervals.values())
    assert [row.start.strftime("%H:%M%z") for row in rows] == [
        "01:00+0100",
        "01:30+0100",
        "01:00+0000",
        "01:30+0000",
    ]
    assert [row.offered for row in rows] == [1, 0, 2, 0]
    assert [row.agents for row in rows] == [None, None, 2, None]


def test_a_day_in_a_half_hour_zone(store: Any) -> None:
    calendar = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Kolkata")
    put(store, [call(1, datetime(2026, 11, 23, 9, 59, tzinfo=KOLKATA))])
    result = actuals(
        store,
        calendar=calendar,
        start=datetime(2026, 11, 23, tzinfo=KOLKATA),
        end=datetime(2026, 11, 24, tzinfo=KOLKATA),
        interval=timedelta(hours=1),
    )
    assert len(result.intervals) == 9
    assert result.intervals[9].start.hour == 9
    assert result.intervals[9].offered == 1


def test_the_same_answers_on_both_stores(tmp_path: Path) -> None:
    calls = [
        call(n, NINE + n * 41 * SECONDS, wait=(n * 7) % 45, abandoned=n % 5 == 0, talk=60 + n)
        for n in range(80)
    ]
    results = []
    for made in (InMemoryStore(), SQLiteStore(tmp_path / "both.db")):
        with made:
            put(made, calls)
            results.append(actuals(made, agents={NINE: 6, NINE + HALF_HOUR: 5}))
    assert results[0] == results[1]
    assert results[0].total_offered + results[0].total_short_abandoned == 80


@settings(max_examples=30)
@given(
    waits=st.lists(st.tuples(st.integers(0, 3599), st.integers(0, 60), st.booleans()), max_size=25),
    threshold=st.integers(0, 40),
)
def test_the_counts_add_up(waits: list[tuple[int, int, bool]], threshold: int) -> None:
    with InMemoryStore() as made:
        put(
            made,
            [
                call(n, NINE + at * SECONDS, wait=wait, abandoned=gone)
                for n, (at, wait, gone) in enumerate(waits)
            ],
        )
        result = actuals(made, answer_within=timedelta(seconds=threshold))
    rows = list(result.intervals.values())
    assert sum(row.offered for row in rows) + result.total_short_abandoned == len(waits)
    for row in rows:
        assert row.answered + row.abandoned == row.offered
        assert row.answered_within <= row.answered
    answered_in_time = sum(1 for _, wait, gone in waits if not gone and wait <= threshold)
    assert result.total_answered_within == answered_in_time


def test_the_result_is_a_table() -> None:
    pytest.importorskip("pandas")
    with InMemoryStore() as made:
        put(made, [call(1, NINE)])
        result = actuals(made, agents=[(NINE, 2)])
    frame = result.to_dataframe()
    assert list(frame["interval"]) == [0, 1]
    assert list(frame["offered"]) == [1, 0]
    assert str(frame["agents"].dtype) == "Int64"
    assert from_json(to_json(result), HotlineActuals) == result


def test_bad_input_is_reported_in_one_round_with_paths() -> None:
    with pytest.raises(ValidationError) as error:
        hotline_actuals(
            "store",  # type: ignore[arg-type]
            calendar=MORNING,
            start=NINE,
            end=NINE + timedelta(minutes=45),
            answer_within=20,  # type: ignore[arg-type]
            agents=[(NINE, -1), (NINE, "3"), 5],  # type: ignore[list-item]
            short_abandon=-SECONDS,
            store_id=" S1",
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.target", "type"),
        ("$.end", "inconsistent"),
        ("$.answer_within", "type"),
        ("$.short_abandon", "range"),
        ("$.agents[0]", "range"),
        ("$.agents[1]", "type"),
        ("$.agents[2]", "type"),
    ]


def test_agents_must_be_given_for_intervals_of_the_period() -> None:
    with InMemoryStore() as made, pytest.raises(ValidationError) as error:
        actuals(
            made,
            agents=[(NINE, 2), (NINE + timedelta(minutes=1), 2), (NINE, 3)],
            store_id=" S1",
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.agents[1]", "inconsistent"),
        ("$.agents[2]", "duplicate"),
        ("$.store_id", "format"),
    ]


@settings(max_examples=60)
@given(
    st.dictionaries(
        st.sampled_from(["calendar", "start", "end", "answer_within", "agents", "interval",
                         "store_id", "short_abandon"]),
        st.none() | st.integers() | st.floats() | st.text(max_size=3) | st.timedeltas()
        | st.datetimes(timezones=st.sampled_from([UTC, LONDON]))
        | st.lists(st.tuples(st.datetimes(timezones=st.just(UTC)), st.integers()), max_size=2),
    )
)  # fmt: skip
def test_anything_gives_actuals_or_a_library_error(changes: dict[str, Any]) -> None:
    with InMemoryStore() as made:
        try:
            result = actuals(made, **changes)
        except RSQError:
            return
    assert isinstance(result, HotlineActuals)
