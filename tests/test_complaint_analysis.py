"""Complaint analysis: counts, the Pareto of causes, rates and resolution times, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

import retail_service_quality as rsq
from retail_service_quality import (
    Complaint,
    ComplaintQuery,
    InMemoryStore,
    InsufficientDataError,
    RSQError,
    SQLiteStore,
    ValidationError,
    cause_pareto,
    complaint_counts,
    remedy_match,
    remedy_table,
    repeat_rate,
    resolution_times,
)
from retail_service_quality._internal.times import MAX_INSTANT
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_complaint_analysis import (
    _POLICIES,
    _SECRET,
    ComplaintAnalysisContract,
    analysed_complaint,
    complaint_populations,
)


def test_every_store_runs_the_analysis_contract() -> None:
    # The storage contract every adapter's tests subclass carries the analysis tests.
    assert issubclass(StoreContract, ComplaintAnalysisContract)


HK_DESK = _POLICIES[0]  # Hong Kong, weekdays 09:00-18:00
MONDAY = datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Asia/Hong_Kong"))

# Eight complaints, counted by hand below.
POPULATION = [
    analysed_complaint("A", category="billing", channel="email", remedy_requested="refund",
                       offered="refund", root_cause="overcharge", policy=HK_DESK,
                       took=timedelta(hours=1)),
    analysed_complaint("B", category="billing", channel="hotline", remedy_requested="refund",
                       offered="credit", root_cause="overcharge", policy=HK_DESK,
                       took=timedelta(hours=2)),
    analysed_complaint("C", category="billing", channel="email", remedy_requested="refund",
                       root_cause="overcharge", repeat_of="A", policy=HK_DESK,
                       took=timedelta(hours=4)),  # offered an apology
    analysed_complaint("D", category="late_delivery", channel="email", store_id="HK-2",
                       root_cause="carrier_delay", policy=HK_DESK, took=timedelta(hours=8)),
    analysed_complaint("E", category="late_delivery", channel="social", store_id="HK-2",
                       remedy_requested="exchange", offered="exchange", root_cause="carrier_delay"),
    analysed_complaint("F", category="late_delivery", channel="email", store_id="HK-2",
                       remedy_requested="exchange", offered="refund", repeat_of="D"),
    analysed_complaint("G", category="faulty_item", channel="email", root_cause="supplier_batch",
                       reopened=True, policy=HK_DESK),
    analysed_complaint("H", category="faulty_item", channel="meeting", repeat_of="G"),
]  # fmt: skip


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    made: Store = InMemoryStore() if request.param == "memory" else SQLiteStore(":memory:")
    with made.unit_of_work() as uow:
        uow.complaints.add_many(POPULATION)
        uow.commit()
    yield made
    made.close()


# ---------------------------------------------------------------- hand-computed vectors


def test_counts_by_category(store: Store) -> None:
    counts = complaint_counts(store)
    assert (counts.by, counts.n, counts.without) == ("category", 8, 0)
    assert [
        (key, group.count, group.share, group.closed, group.repeats)
        for key, group in counts.groups.items()
    ] == [
        ("billing", 3, 3 / 8, 3, 1),
        ("late_delivery", 3, 3 / 8, 2, 1),
        ("faulty_item", 2, 2 / 8, 0, 1),
    ]


def test_counts_by_channel_store_and_root_cause(store: Store) -> None:
    channels = complaint_counts(store, by="channel")
    assert {key: group.count for key, group in channels.groups.items()} == {
        "email": 5, "hotline": 1, "meeting": 1, "social": 1,
    }  # fmt: skip
    assert list(channels.groups) == ["email", "hotline", "meeting", "social"]
    stores = complaint_counts(store, by="store")
    assert [(key, group.count) for key, group in stores.groups.items()] == [
        ("HK-1", 5), ("HK-2", 3),
    ]  # fmt: skip
    causes = complaint_counts(store, by="root_cause")
    assert (causes.n, causes.without) == (8, 2)  # F and H never closed
    assert [(key, group.count, group.closed) for key, group in causes.groups.items()] == [
        ("overcharge", 3, 3), ("carrier_delay", 2, 2), ("supplier_batch", 1, 0),
    ]  # fmt: skip
    assert sum(group.share for group in causes.groups.values()) == pytest.approx(6 / 8)


def test_counts_follow_the_query(store: Store) -> None:
    counts = complaint_counts(store, ComplaintQuery(store_id="HK-2"), by="channel")
    assert counts.n == 3
    assert [(key, group.share) for key, group in counts.groups.items()] == [
        ("email", 2 / 3), ("social", 1 / 3),
    ]  # fmt: skip


def test_the_pareto_of_causes(store: Store) -> None:
    pareto = cause_pareto(store)
    assert (pareto.n, pareto.without_cause, pareto.threshold) == (6, 2, 0.8)
    assert [
        (key, cause.count, cause.share, cause.cumulative_share, cause.vital)
        for key, cause in pareto.causes.items()
    ] == [
        ("overcharge", 3, 0.5, 0.5, True),
        ("carrier_delay", 2, 2 / 6, 5 / 6, True),  # reaches 80%: one of the vital few
        ("supplier_batch", 1, 1 / 6, 1.0, False),
    ]
    strict = cause_pareto(store, threshold=0.5)
    assert [cause.vital for cause in strict.causes.values()] == [True, False, False]
    assert [cause.vital for cause in cause_pareto(store, threshold=0).causes.values()] == [
        False, False, False,
    ]  # fmt: skip


def test_the_repeat_rate_is_a_wilson_proportion(store: Store) -> None:
    rate = repeat_rate(store)
    assert (rate.successes, rate.n, rate.value, rate.method) == (3, 8, 3 / 8, "wilson")
    low, high = proportion_confint(3, 8, alpha=0.05, method="wilson")
    assert rate.interval.low == pytest.approx(low, abs=1e-12)
    assert rate.interval.high == pytest.approx(high, abs=1e-12)
    narrow = repeat_rate(store, ComplaintQuery(category="faulty_item"), confidence=0.9)
    assert (narrow.successes, narrow.n, narrow.interval.confidence) == (1, 2, 0.9)


def test_remedy_match_and_the_remedy_table(store: Store) -> None:
    match = remedy_match(store)
    # Asked and offered: A refund/refund, B refund/credit, C refund/apology, E exchange/exchange,
    # F exchange/refund. D, G and H asked for nothing.
    assert (match.successes, match.n) == (2, 5)
    low, high = proportion_confint(2, 5, alpha=0.05, method="wilson")
    assert (match.interval.low, match.interval.high) == pytest.approx((low, high), abs=1e-12)
    table = remedy_table(store)
    assert table.n == 8
    records = table.to_records()
    assert [row["requested"] for row in records] == ["refund", "exchange", "none"]
    refund, exchange, nothing = records
    assert (refund["refund"], refund["credit"], refund["apology"], refund["total"]) == (1, 1, 1, 3)
    assert (refund["matched"], exchange["exchange"], exchange["refund"]) == (1, 1, 1)
    # D and G were closed with an apology; H was offered nothing yet.
    assert (nothing["apology"], nothing["none"], nothing["total"], nothing["matched"]) == (
        2, 1, 3, 0,
    )  # fmt: skip
    columns = [remedy.value for remedy in rsq.Remedy] + ["none"]
    for row in records:
        assert sum(row[name] for name in columns) == row["total"]
        assert all(name in row for name in columns)


def test_resolution_times_in_business_time(store: Store) -> None:
    times = resolution_times(store)
    # Closed with the Hong Kong desk policy: A 1h, B 2h, C 4h, D 8h. E has no policy; G was
    # reopened (open again); F and H are open.
    assert (times.n, times.resolved, times.timed) == (8, 5, 4)
    hours = [1, 2, 4, 8]
    assert times.median == timedelta(hours=float(numpy.percentile(hours, 50)))
    assert times.p90 == timedelta(hours=float(numpy.percentile(hours, 90)))
    assert (times.median, times.p90) == (timedelta(hours=3), timedelta(hours=6.8))


def test_a_unit_of_work_is_a_target_too(store: Store) -> None:
    with store.unit_of_work(read_only=True) as uow:
        assert complaint_counts(uow).n == 8
        assert resolution_times(uow, ComplaintQuery(channel="hotline")).timed == 1


def test_results_are_tables_with_frames() -> None:
    pytest.importorskip("pandas")
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.complaints.add_many(POPULATION)
        uow.commit()
    frame = complaint_counts(store, by="root_cause").to_dataframe()
    assert list(frame["group"]) == ["overcharge", "carrier_delay", "supplier_batch"]
    assert list(frame.columns) == [
        "group", "count", "share", "closed", "repeats", "by", "n", "without",
    ]  # fmt: skip
    assert list(cause_pareto(store).to_dataframe()["cumulative_share"])[-1] == 1.0
    assert remedy_table(store).to_dataframe().shape == (3, 12)
    times = resolution_times(store).to_dataframe()
    assert times["median"].iloc[0] == timedelta(hours=3)
    assert repeat_rate(store).to_dataframe()["n"].iloc[0] == 8


# ---------------------------------------------------------------- empty selections


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_an_empty_selection_gives_empty_tables_and_refuses_statistics(kind: str) -> None:
    store: Store = InMemoryStore() if kind == "memory" else SQLiteStore(":memory:")
    try:
        counts = complaint_counts(store)
        assert (counts.n, counts.without, dict(counts.groups)) == (0, 0, {})
        assert counts.to_records() == []
        pareto = cause_pareto(store)
        assert (pareto.n, pareto.without_cause, dict(pareto.causes)) == (0, 0, {})
        table = remedy_table(store)
        assert (table.n, dict(table.requested)) == (0, {})
        for question in (repeat_rate, remedy_match, resolution_times):
            with pytest.raises(InsufficientDataError):
                question(store)
    finally:
        store.close()


def test_open_or_untimed_cases_only_refuse_the_percentiles() -> None:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.complaints.add(analysed_complaint("A", root_cause="typo"))  # closed, no policy
        uow.complaints.add(analysed_complaint("B", offered="refund", policy=HK_DESK))  # open
        uow.commit()
    with pytest.raises(InsufficientDataError, match="closed with an SLA policy"):
        resolution_times(store)
    assert cause_pareto(store).n == 1
    with pytest.raises(InsufficientDataError):
        remedy_match(store)  # nobody asked for a remedy


# ---------------------------------------------------------------- both stores agree

_AGREE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answers(store: Store, query: ComplaintQuery | None) -> list[Any]:
    found: list[Any] = []
    for by in ("category", "channel", "store", "root_cause"):
        found.append(complaint_counts(store, query, by=by))
    found.append(cause_pareto(store, query))
    found.append(remedy_table(store, query))
    for question in (repeat_rate, remedy_match, resolution_times):
        try:
            found.append(question(store, query))
        except InsufficientDataError as error:
            found.append(str(error))
    return found


@_AGREE
@given(
    population=complaint_populations(),
    query=st.sampled_from(
        [None, ComplaintQuery(open=False), ComplaintQuery(store_id="HK-2", channel="email")]
    ),
)
def test_both_stores_give_the_same_answers(
    population: list[Complaint], query: ComplaintQuery | None
) -> None:
    memory, sqlite = InMemoryStore(), SQLiteStore(":memory:")
    try:
        for store in (memory, sqlite):
            with store.unit_of_work() as uow:
                uow.complaints.add_many(population)
                uow.commit()
        mine, theirs = _answers(memory, query), _answers(sqlite, query)
        assert mine == theirs
        # Same rows in the same order, not only equal mappings.
        assert [a.to_records() for a in mine if hasattr(a, "to_records")] == [
            b.to_records() for b in theirs if hasattr(b, "to_records")
        ]
    finally:
        sqlite.close()


@_AGREE
@given(population=complaint_populations())
def test_the_percentiles_are_numpys_and_the_shares_add_up(population: list[Complaint]) -> None:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.complaints.add_many(population)
        uow.commit()
    counts = complaint_counts(store)
    assert counts.n == len(population)
    assert sum(group.count for group in counts.groups.values()) == counts.n
    if population:
        assert sum(group.share for group in counts.groups.values()) == pytest.approx(1.0)
    pareto = cause_pareto(store)
    shares = [cause.cumulative_share for cause in pareto.causes.values()]
    assert shares == sorted(shares)
    assert not shares or shares[-1] == pytest.approx(1.0)
    counted = [cause.count for cause in pareto.causes.values()]
    assert counted == sorted(counted, reverse=True)
    times = [t for c in population if (t := c.resolution_time()) is not None]
    if not times:
        with pytest.raises(InsufficientDataError):
            resolution_times(store)
        return
    found = resolution_times(store)
    micros = numpy.array([t // timedelta(microseconds=1) for t in times], dtype="float64")
    assert found.timed == len(times)
    assert found.median == timedelta(microseconds=round(float(numpy.percentile(micros, 50))))
    assert found.p90 == timedelta(microseconds=round(float(numpy.percentile(micros, 90))))
    assert found.median <= found.p90


# ---------------------------------------------------------------- bad input


def test_bad_arguments_are_refused_in_one_round_with_paths() -> None:
    with pytest.raises(ValidationError) as error:
        complaint_counts("a store", "a query", by="colour")  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.target", "$.query", "$.by"]
    store = InMemoryStore()
    with pytest.raises(ValidationError) as error:
        cause_pareto(store, threshold=float("nan"))
    assert [p.path for p in error.value.problems] == ["$.threshold"]
    rates: list[Any] = [repeat_rate, remedy_match]
    for confidence in (0, 1, 1.5, "0.95", True, float("inf")):
        for rate in rates:
            with pytest.raises(ValidationError) as error:
                rate(store, confidence=confidence)
            assert [p.path for p in error.value.problems] == ["$.confidence"]
    tables: list[Any] = [remedy_table, resolution_times]
    for table in tables:
        with pytest.raises(ValidationError) as error:
            table(None, ComplaintQuery)
        assert [p.path for p in error.value.problems] == ["$.target", "$.query"]
    with pytest.raises(ValidationError) as error:
        complaint_counts(store, by=["category"])  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.by"]


@pytest.mark.parametrize("by", ["\ud800", "x" * 10_000, 10**400, None])
def test_hostile_input_is_a_validation_error_that_echoes_nothing(by: object) -> None:
    with pytest.raises(RSQError) as error:
        complaint_counts(InMemoryStore(), by=by)  # type: ignore[arg-type]
    assert isinstance(error.value, ValidationError)
    assert "xxxx" not in str(error.value)


# ---------------------------------------------------------------- personal data


def test_no_result_holds_personal_data() -> None:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.customers.add(rsq.Customer(id="C-1", name=_SECRET, created_at=MONDAY))
        uow.complaints.add_many(
            analysed_complaint(f"X-{n}", customer_id="C-1", root_cause="typo", policy=HK_DESK,
                               remedy_requested="refund", repeat_of="X-0" if n else None)
            for n in range(3)
        )  # fmt: skip
        uow.commit()
    results = [
        complaint_counts(store), cause_pareto(store), remedy_table(store), repeat_rate(store),
        remedy_match(store), resolution_times(store),
    ]  # fmt: skip
    for result in results:
        shown = repr(result) + repr(result.to_records()) + result._repr_html_()
        assert _SECRET not in shown
        assert "C-1" not in shown
        assert not any("customer" in column for row in result.to_records() for column in row)


def test_the_contract_is_ready_for_the_store_contract() -> None:
    tests = [name for name in vars(ComplaintAnalysisContract) if name.startswith("test_")]
    assert len(tests) >= 8
    assert not set(tests) & set(vars(StoreContract))


def test_resolution_times_at_the_end_of_time() -> None:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.complaints.add(
            analysed_complaint("A", at=datetime(9998, 12, 30, tzinfo=UTC), root_cause="typo",
                               policy=_POLICIES[3], took=timedelta(hours=23))
        )  # fmt: skip
        uow.complaints.add(  # the calendars end in 9998: no business time this late
            analysed_complaint("B", at=MAX_INSTANT, root_cause="typo", took=timedelta(0))
        )  # fmt: skip
        uow.commit()
    times = resolution_times(store)
    assert (times.n, times.resolved, times.timed) == (2, 2, 1)
    assert times.median == timedelta(hours=23)
