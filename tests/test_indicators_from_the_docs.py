"""Indicators, survey instruments, criteria, comparisons and gaps, checked against their docs.

Every expected value here is computed by hand from the formulas in the catalogue, the guides
and the docstrings, or by an independent implementation (numpy, scipy, statsmodels), on both
stores.
"""

from __future__ import annotations

import contextlib
import decimal
import functools
import json
import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    Customer,
    IndicatorCatalogue,
    IndicatorDefinition,
    IndicatorValue,
    InMemoryStore,
    Interval,
    KeyedHasher,
    PerformanceCriterion,
    ProportionPair,
    RatingPair,
    ServiceInteraction,
    ServiceStandardLevel,
    ServqualResponse,
    SlaPolicy,
    SlaTarget,
    SQLiteStore,
    StandardReference,
    SurveyInstrument,
    SurveyQuestion,
    SurveyResponse,
    TransactionCount,
    ValidationError,
    benjamini_hochberg,
    ces_instrument,
    check_response,
    compare,
    compare_many,
    compare_periods,
    compute_indicators,
    csat_instrument,
    erase_customer,
    evaluate_criteria,
    expectation_gaps,
    from_json,
    json_schema,
    monitor_criteria,
    nps_instrument,
    product_requirements_instrument,
    record_survey_response,
    servqual_instrument,
    standard_gaps,
    stored_expectation_gaps,
    to_json,
    wilson_interval,
)
from retail_service_quality.customers.consent import ConsentGiven, NoticeServed
from retail_service_quality.errors import RSQError

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
MARCH = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
SECRET = "Chan Tai Man said the parcel was lost"  # a personal value that must never show


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Each test runs on the in-memory store and on a SQLite file."""
    if request.param == "memory":
        yield InMemoryStore()
    else:
        with SQLiteStore(tmp_path / "indicators.db") as sqlite:
            yield sqlite


def add_interactions(target: Any, interactions: list[ServiceInteraction]) -> None:
    with target.unit_of_work() as uow:
        uow.interactions.add_many(interactions)
        uow.commit()


def add_customers(
    target: Any, *ids: str, created_at: datetime = MONDAY - timedelta(days=30)
) -> None:
    with target.unit_of_work() as uow:
        for id in ids:
            uow.customers.add(Customer(id=id, name="Chan Tai Man", created_at=created_at))
        uow.commit()


def call(
    id: str,
    at: datetime,
    *,
    queue: float | None = None,
    talk: float | None = None,
    hold: float | None = None,
    work: float | None = None,
    abandoned: bool = False,
    store_id: str = "S1",
    channel: str = "hotline",
    agent: str | None = None,
    customer: str | None = None,
    subject: str = "",
) -> ServiceInteraction:
    def seconds(value: float | None) -> timedelta | None:
        return None if value is None else timedelta(seconds=value)

    return ServiceInteraction(
        id=id,
        store_id=store_id,
        channel=channel,
        occurred_at=at,
        queue_time=seconds(queue),
        talk_time=seconds(talk),
        hold_time=seconds(hold),
        after_call_work=seconds(work),
        abandoned=abandoned,
        agent_id=agent,
        customer_id=customer,
        subject=subject,
        feedback=SECRET,
        notes=SECRET,
    )


def loose(*items: Any) -> tuple[Any, ...]:
    """A tuple of values, to compare with approximate expectations."""
    return items


def values(rows: Any) -> dict[str, tuple[Any, Any]]:
    return {row.indicator_id: (row.value, row.n) for row in rows}


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------

CATALOGUE_TABLE = {
    # id: (better, unit), from the table in docs/indicators.md
    "csat": ("higher", "share"),
    "nps": ("higher", "nps_points"),
    "ces": ("higher", "rating"),
    "ces_easy": ("higher", "share"),
    "fcr_survey": ("higher", "share"),
    "fcr_internal": ("higher", "share"),
    "aht": ("lower", "seconds"),
    "asa": ("lower", "seconds"),
    "service_level": ("higher", "share"),
    "abandonment_rate": ("lower", "share"),
    "complaint_rate": ("lower", "per_1000"),
    "repeat_complaint_rate": ("lower", "share"),
    "resolution_time_median": ("lower", "seconds"),
    "resolution_time_p90": ("lower", "seconds"),
    "consent_coverage": ("higher", "share"),
    "product_range": ("higher", "rating"),
    "product_quality": ("higher", "rating"),
    "product_timeliness": ("higher", "rating"),
    "product_price": ("higher", "rating"),
}


def test_the_builtin_catalogue_is_the_documented_table() -> None:
    catalogue = IndicatorCatalogue.builtin()
    assert set(CATALOGUE_TABLE) <= set(catalogue.ids)
    for id, (better, unit) in CATALOGUE_TABLE.items():
        definition = catalogue[id]
        assert (definition.direction.value, definition.unit.value) == (better, unit), id
    sl = catalogue["service_level"]
    assert sl.within == timedelta(seconds=20)
    assert sl.short_abandon == timedelta(seconds=5)
    assert catalogue["fcr_internal"].window == timedelta(days=7)
    assert catalogue["repeat_complaint_rate"].window == timedelta(days=30)
    assert catalogue["resolution_time_p90"].q == 90


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(IndicatorCatalogue.builtin().definitions))
def test_every_builtin_definition_round_trips_through_json(definition: IndicatorDefinition) -> None:
    assert from_json(to_json(definition), IndicatorDefinition) == definition


def test_the_catalogue_round_trips_through_json_and_refuses_an_id_twice() -> None:
    catalogue = IndicatorCatalogue.builtin()
    assert from_json(to_json(catalogue), IndicatorCatalogue) == catalogue
    with pytest.raises(ValidationError) as caught:
        catalogue.plus(catalogue["aht"])
    assert "$.definitions[" in str(caught.value)


@settings(max_examples=40, deadline=None)
@given(
    within=st.integers(min_value=1, max_value=3600),
    abandons=st.sampled_from(["ignore", "negative", "positive"]),
    short=st.integers(min_value=0, max_value=1),
    channels=st.lists(st.sampled_from(["hotline", "online", "meeting"]), unique=True),
)
def test_a_definition_of_ones_own_round_trips(
    within: int, abandons: str, short: int, channels: list[str]
) -> None:
    mine = IndicatorDefinition(
        id="sl_mine",
        name="Service level (mine)",
        measure="answered_within",
        statistic="share",
        unit="share",
        direction="higher",
        within=timedelta(seconds=within),
        abandons=abandons,
        short_abandon=timedelta(seconds=short),
        channels=channels,
    )
    assert from_json(to_json(mine), IndicatorDefinition) == mine


def test_a_bad_definition_lists_every_problem_at_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        IndicatorDefinition(
            id="wait",
            name="Wait",
            measure="queue_time",
            statistic="share",
            unit="furlongs",
            direction="sideways",
        )
    text = str(caught.value)
    for path in ("$.statistic", "$.unit", "$.direction"):
        assert path in text


def test_a_definition_from_json_refuses_junk_with_paths() -> None:
    text = json.dumps(
        {
            "id": "x",
            "name": "X",
            "measure": "no_such_measure",
            "statistic": "share",
            "unit": "share",
            "direction": "higher",
        }
    )
    with pytest.raises(ValidationError) as caught:
        from_json(text, IndicatorDefinition)
    assert "$.measure" in str(caught.value)


# --------------------------------------------------------------------------------------------
# Indicators on interactions, computed by hand
# --------------------------------------------------------------------------------------------


def calls_for_the_hand_count() -> list[ServiceInteraction]:
    t = MONDAY
    m = timedelta(minutes=1)
    return [
        call("A1", t, queue=10, talk=100, hold=20, work=30, agent="A-1"),  # handle 150
        call("A2", t + m, queue=20, talk=200, agent="A-1"),  # on the threshold: in time
        call("A3", t + 2 * m, queue=30, talk=400, agent="A-2"),  # late
        call("A4", t + 3 * m, talk=50, agent="A-2"),  # no queue time: not measured
        call("B1", t + 4 * m, queue=3, abandoned=True),  # short abandon
        call("B2", t + 5 * m, queue=10, abandoned=True),  # abandoned within 20 s
        call("B3", t + 6 * m, queue=40, abandoned=True),  # abandoned after 20 s
    ]


def sl_definition(abandons: str) -> IndicatorDefinition:
    return IndicatorDefinition(
        id=f"sl_{abandons}",
        name=f"Service level, abandons {abandons}",
        measure="answered_within",
        statistic="share",
        unit="share",
        direction="higher",
        within=timedelta(seconds=20),
        abandons=abandons,
        channels=["hotline"],
    )


def test_call_indicators_by_hand(store: Any) -> None:
    add_interactions(store, calls_for_the_hand_count())
    rows = compute_indicators(
        store,
        ["service_level", "abandonment_rate", "asa", "aht"],
        start=MARCH[0],
        end=MARCH[1],
    )
    got = values(rows)
    # answered within 20 s: A1, A2; offered 5 measured - abandoned within 20 s (B2) = 4
    assert got["service_level"] == (0.5, 4)
    # abandoned B2, B3 of the 6 offered (B1 a short abandon)
    assert got["abandonment_rate"][1] == 6
    assert got["abandonment_rate"][0] == pytest.approx(2 / 6)
    assert got["asa"] == (20.0, 3)  # (10 + 20 + 30) / 3 answered with a queue time
    assert got["aht"] == (pytest.approx((150 + 200 + 400 + 50) / 4), 4)
    by_id = {row.indicator_id: row for row in rows}
    assert by_id["aht"].interval is None
    assert by_id["asa"].interval is None
    sl = by_id["service_level"]
    low, high = proportion_confint(2, 4, alpha=0.05, method="wilson")
    assert sl.interval is not None
    assert loose(sl.interval.low, sl.interval.high) == (pytest.approx(low), pytest.approx(high))
    assert sl.successes == 2
    ab = by_id["abandonment_rate"]
    low, high = proportion_confint(2, 6, alpha=0.05, method="wilson")
    assert ab.interval is not None
    assert loose(ab.interval.low, ab.interval.high) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    ("abandons", "expected"),
    [
        ("ignore", (0.5, 4)),  # 2 / (5 - 1 abandoned within 20 s)
        ("negative", (0.4, 5)),  # 2 / 5, both abandons not in time
        ("positive", (0.6, 5)),  # (2 + 1 abandoned within 20 s) / 5
    ],
)
def test_service_level_with_each_abandon_option(
    store: Any, abandons: str, expected: tuple[float, int]
) -> None:
    add_interactions(store, calls_for_the_hand_count())
    [row] = compute_indicators(store, [sl_definition(abandons)], start=MARCH[0], end=MARCH[1])
    assert loose(row.value, row.n) == (pytest.approx(expected[0]), expected[1])


def test_service_level_reads_only_its_channels_and_inbound_calls(store: Any) -> None:
    add_customers(store, "C-9")
    add_interactions(
        store,
        [
            call("H1", MONDAY, queue=5),
            call("H2", MONDAY, queue=50),
            call("O1", MONDAY, queue=500, channel="online"),  # another channel
            ServiceInteraction(
                id="OUT",
                store_id="S1",
                channel="hotline",
                occurred_at=MONDAY,
                direction="outbound",
                customer_id="C-9",
                queue_time=timedelta(seconds=90),
            ),
        ],
    )
    [row] = compute_indicators(store, [sl_definition("ignore")], start=MARCH[0], end=MARCH[1])
    assert (row.value, row.n) == (0.5, 2)


def test_aht_and_grouping_by_staff(store: Any) -> None:
    add_interactions(store, calls_for_the_hand_count())
    rows = compute_indicators(store, ["aht"], start=MARCH[0], end=MARCH[1], group_by=["staff"])
    # the abandoned calls have no agent: a group of cases with no handle time
    assert [(r.staff_id, r.value, r.n) for r in rows] == [
        (None, None, 0),
        ("A-1", 175.0, 2),
        ("A-2", 225.0, 2),
    ]


def test_fcr_internal_by_hand(store: Any) -> None:
    day = timedelta(days=1)
    add_customers(store, "C1", "C2", "C3")
    add_interactions(
        store,
        [
            call("F1", MONDAY, customer="C1", subject="returns"),  # repeated 3 days later
            call("F2", MONDAY + 3 * day, customer="C1", subject="returns"),
            call("F3", MONDAY, customer="C2", subject="delivery"),  # other subject after
            call("F4", MONDAY + day, customer="C2", subject="returns"),
            call("F5", MONDAY, customer="C3", subject="returns"),  # again after 8 days
            call("F6", MONDAY + 8 * day, customer="C3", subject="returns"),
            call("F7", MONDAY, subject="returns"),  # anonymous: not read
        ],
    )
    [row] = compute_indicators(store, ["fcr_internal"], start=MARCH[0], end=MARCH[1])
    assert loose(row.value, row.n, row.successes) == (pytest.approx(5 / 6), 6, 5)
    low, high = proportion_confint(5, 6, alpha=0.05, method="wilson")
    assert row.interval is not None
    assert row.interval.low == pytest.approx(low)
    assert row.interval.high == pytest.approx(high)


def test_a_period_is_start_included_end_left_out(store: Any) -> None:
    add_interactions(
        store,
        [
            call("E1", MARCH[0], queue=1),
            call("E2", MARCH[1], queue=100),  # the end: left out
            call("E3", MARCH[0] - timedelta(microseconds=1), queue=100),  # before
        ],
    )
    [row] = compute_indicators(store, ["service_level"], start=MARCH[0], end=MARCH[1])
    assert (row.value, row.n) == (1.0, 1)


# --------------------------------------------------------------------------------------------
# Complaint indicators
# --------------------------------------------------------------------------------------------

DESK = BusinessCalendar(
    "UTC", {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
)
POLICY = SlaPolicy(
    id="desk",
    calendar=DESK,
    targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=8))],
)


def closed_complaint(id: str, at: datetime, after: timedelta, **fields: Any) -> Complaint:
    done = at + after
    return (
        Complaint.receive(id=id, at=at, sla_policy=POLICY, **fields)
        .acknowledge(at=at)
        .assess(at=at, severity=1, priority="low")
        .investigate(at=at)
        .respond(at=done, remedy="explanation")
        .accept(at=done)
        .close(at=done, root_cause="late_parcel", corrective_action="courier_review")
    )


def add_complaints(target: Any, complaints: list[Complaint]) -> None:
    with target.unit_of_work() as uow:
        uow.complaints.add_many(complaints)
        uow.commit()


def test_complaint_rate_per_thousand_transactions(store: Any) -> None:
    add_complaints(
        store,
        [
            Complaint.receive(
                id=f"K{n}",
                at=MONDAY + timedelta(days=n),
                channel="hotline",
                store_id="S1",
                category="delivery",
            )
            for n in range(4)
        ],
    )
    transactions = [
        TransactionCount(store_id="S1", day=date(2026, 3, d), count=250) for d in range(1, 32)
    ]
    [row] = compute_indicators(
        store, ["complaint_rate"], start=MARCH[0], end=MARCH[1], transactions=transactions
    )
    # 4 complaints over 31 x 250 transactions
    assert row.n == 7_750
    assert row.value == pytest.approx(4 * 1000 / 7_750)


def test_repeat_complaint_rate_by_hand(store: Any) -> None:
    add_customers(store, "K1", "K2", "K3", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    day = timedelta(days=1)

    def complaint(id: str, at: datetime, customer: str | None, category: str) -> Complaint:
        return Complaint.receive(
            id=id,
            at=at,
            channel="hotline",
            store_id="S1",
            category=category,
            customer_id=customer,
            description=SECRET,
        )

    add_complaints(
        store,
        [
            complaint("R0", MONDAY - 10 * day, "K3", "delivery"),  # before the period
            complaint("R1", MONDAY, "K1", "delivery"),
            complaint("R2", MONDAY + 9 * day, "K1", "delivery"),  # repeat of R1
            complaint("R3", MONDAY + 11 * day, "K1", "billing"),  # other category
            complaint("R4", MONDAY, "K3", "delivery"),  # repeat of R0, before the period
            complaint("R5", MONDAY + 2 * day, None, "delivery"),  # anonymous
        ],
    )
    [row] = compute_indicators(store, ["repeat_complaint_rate"], start=MARCH[0], end=MARCH[1])
    assert (row.successes, row.n) == (2, 5)
    assert row.value == pytest.approx(0.4)
    low, high = proportion_confint(2, 5, alpha=0.05, method="wilson")
    assert row.interval is not None
    assert row.interval.low == pytest.approx(low)
    assert row.interval.high == pytest.approx(high)


def test_repeat_complaint_window_is_thirty_days(store: Any) -> None:
    add_customers(store, "K1", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    add_complaints(
        store,
        [
            Complaint.receive(
                id=f"W{n}",
                at=MONDAY + timedelta(days=31 * n),
                channel="hotline",
                store_id="S1",
                category="delivery",
                customer_id="K1",
            )
            for n in range(3)
        ],
    )
    [row] = compute_indicators(
        store,
        ["repeat_complaint_rate"],
        start=MARCH[0],
        end=datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert (row.successes, row.n) == (0, 3)


def test_resolution_time_median_and_p90_are_numpys_percentile(store: Any) -> None:
    # received Monday 09:00 UTC, each closed the same day: business time is the elapsed time
    minutes = [30, 45, 60, 90, 200, 410, 475]
    add_complaints(
        store,
        [
            closed_complaint(
                f"T{n}",
                MONDAY,
                timedelta(minutes=m),
                channel="hotline",
                store_id="S1",
                category="delivery",
            )
            for n, m in enumerate(minutes)
        ],
    )
    got = values(
        compute_indicators(
            store,
            ["resolution_time_median", "resolution_time_p90"],
            start=MARCH[0],
            end=MARCH[1],
        )
    )
    seconds = [60.0 * m for m in minutes]
    assert got["resolution_time_median"] == (pytest.approx(np.percentile(seconds, 50)), 7)
    assert got["resolution_time_p90"] == (pytest.approx(np.percentile(seconds, 90)), 7)


def test_resolution_time_counts_business_time_only(store: Any) -> None:
    friday = datetime(2026, 3, 6, 16, tzinfo=UTC)  # one business hour left that day
    add_complaints(
        store,
        [
            closed_complaint(
                "WE",
                friday,
                timedelta(days=3),  # Monday 16:00: 1 h on Friday + 7 h on Monday
                channel="hotline",
                store_id="S1",
                category="delivery",
            )
        ],
    )
    got = values(
        compute_indicators(store, ["resolution_time_median"], start=MARCH[0], end=MARCH[1])
    )
    assert got["resolution_time_median"] == (8 * 3600.0, 1)


# --------------------------------------------------------------------------------------------
# Survey indicators
# --------------------------------------------------------------------------------------------


def answer(
    target: Any,
    instrument: SurveyInstrument,
    id: str,
    answers: dict[str, int],
    *,
    at: datetime = MONDAY,
    store_id: str = "S1",
    channel: str = "hotline",
    comments: dict[str, str] | None = None,
    customer: str | None = None,
) -> SurveyResponse:
    return record_survey_response(
        target,
        instrument,
        SurveyResponse(
            id=id,
            instrument_id=instrument.id,
            edition=instrument.edition,
            received_at=at,
            store_id=store_id,
            channel=channel,
            answers=answers,
            comments=comments or {},
            customer_id=customer,
        ),
        customer_consent=customer is not None,
    )


def test_csat_is_the_top_two_box_share_with_its_wilson_interval(store: Any) -> None:
    survey = csat_instrument()
    ratings = [5, 4, 4, 2, 5, 3, 1, 4]
    for n, rating in enumerate(ratings):
        answer(store, survey, f"R{n}", {"csat": rating}, comments={"comment": SECRET})
    [row] = compute_indicators(store, ["csat"], start=MARCH[0], end=MARCH[1])
    assert loose(row.successes, row.n, row.value) == (5, 8, pytest.approx(5 / 8))
    low, high = proportion_confint(5, 8, alpha=0.05, method="wilson")
    assert row.interval is not None
    assert row.interval.low == pytest.approx(low)
    assert row.interval.high == pytest.approx(high)
    assert row.counts is None  # a share carries its successes, not a frequency table


def test_fcr_survey_is_the_share_of_yes(store: Any) -> None:
    survey = csat_instrument()
    for n, resolved in enumerate([1, 1, 0, 1]):
        answer(store, survey, f"R{n}", {"resolved": resolved})
    [row] = compute_indicators(store, ["fcr_survey"], start=MARCH[0], end=MARCH[1])
    assert (row.successes, row.n, row.value) == (3, 4, 0.75)


def test_nps_with_its_wald_interval(store: Any) -> None:
    survey = nps_instrument()
    scores = [10, 9, 9, 8, 6, 3, 10, 7, 0, 10]
    for n, score in enumerate(scores):
        answer(store, survey, f"N{n}", {"nps": score})
    [row] = compute_indicators(store, ["nps"], start=MARCH[0], end=MARCH[1])
    promoters, detractors, n = 5 / 10, 3 / 10, 10
    assert row.n == n
    assert row.value == pytest.approx(100 * (promoters - detractors))
    variance = promoters + detractors - (promoters - detractors) ** 2
    half = stats.norm.ppf(0.975) * math.sqrt(variance / n) * 100
    assert row.interval is not None
    assert row.interval.low == pytest.approx(20.0 - half)
    assert row.interval.high == pytest.approx(20.0 + half)
    assert row.counts == (1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 3)


def test_ces_mean_with_a_t_interval_and_ces_easy_share(store: Any) -> None:
    survey = ces_instrument()
    ratings = [7, 6, 5, 5, 3, 2, 7]
    for n, rating in enumerate(ratings):
        answer(store, survey, f"C{n}", {"ces": rating})
    got = {
        row.indicator_id: row
        for row in compute_indicators(store, ["ces", "ces_easy"], start=MARCH[0], end=MARCH[1])
    }
    ces = got["ces"]
    mean = float(np.mean(ratings))
    low, high = stats.t.interval(0.95, len(ratings) - 1, loc=mean, scale=stats.sem(ratings))
    assert loose(ces.value, ces.n) == (pytest.approx(mean), 7)
    assert ces.interval is not None
    assert ces.interval.low == pytest.approx(low)
    assert ces.interval.high == pytest.approx(high)
    easy = got["ces_easy"]
    assert (easy.successes, easy.n) == (5, 7)


@pytest.mark.parametrize(
    ("indicator", "question"),
    [
        ("product_range", "range"),
        ("product_quality", "quality"),
        ("product_timeliness", "timeliness"),
        ("product_price", "price"),
    ],
)
def test_product_requirement_indicators_are_mean_ratings(
    store: Any, indicator: str, question: str
) -> None:
    survey = product_requirements_instrument()
    ratings = [5, 4, 4, 1, 3]
    for n, rating in enumerate(ratings):
        answer(
            store,
            survey,
            f"P{n}",
            {question: rating, "price" if question != "price" else "range": 1},
        )
    [row] = compute_indicators(store, [indicator], start=MARCH[0], end=MARCH[1])
    assert loose(row.value, row.n) == (pytest.approx(np.mean(ratings)), 5)
    low, high = stats.t.interval(0.95, 4, loc=np.mean(ratings), scale=stats.sem(ratings))
    assert row.interval is not None
    assert row.interval.low == pytest.approx(low)
    assert row.interval.high == pytest.approx(high)


def test_consent_coverage_by_hand(store: Any) -> None:
    created = datetime(2026, 2, 1, tzinfo=UTC)
    with store.unit_of_work() as uow:
        for id, home in (("P1", "S1"), ("P2", "S1"), ("P3", "S1"), ("P4", "S2")):
            uow.customers.add(
                Customer(id=id, name="Chan Tai Man", created_at=created, home_store_id=home)
            )
        uow.customers.add(  # created after the period: not read
            Customer(id="LATE", created_at=MARCH[1] + timedelta(days=1), home_store_id="S1")
        )
        for id in ("P1", "P4"):
            uow.consent.append_many(
                [
                    NoticeServed(
                        event_id=f"N-{id}",
                        customer_id=id,
                        at=created,
                        evidence="form:F-1",
                        notice_version="2026-01",
                        data_kinds=["mobile_number"],
                        marketing_classes=["cosmetics"],
                    ),
                    ConsentGiven(
                        event_id=f"G-{id}",
                        customer_id=id,
                        at=created,
                        evidence="form:F-1",
                        method="written",
                        scope="own_marketing",
                        data_kinds=["mobile_number"],
                        marketing_classes=["cosmetics"],
                        notice_version="2026-01",
                        explicit=True,
                    ),
                ]
            )
        uow.commit()
    rows = compute_indicators(
        store, ["consent_coverage"], start=MARCH[0], end=MARCH[1], group_by=["store"]
    )
    assert [(r.store_id, r.successes, r.n) for r in rows] == [("S1", 1, 3), ("S2", 1, 1)]
    [overall] = compute_indicators(store, ["consent_coverage"], start=MARCH[0], end=MARCH[1])
    assert (overall.successes, overall.n) == (2, 4)


# --------------------------------------------------------------------------------------------
# Grouping by local time: daylight saving, half-hour zones, the ends of the range
# --------------------------------------------------------------------------------------------


def test_the_repeated_london_hour_holds_the_calls_of_both_passes(store: Any) -> None:
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT
    add_interactions(store, [call("D1", first, queue=5), call("D2", second, queue=60)])
    rows = compute_indicators(
        store,
        ["service_level"],
        start=datetime(2026, 10, 24, tzinfo=UTC),
        end=datetime(2026, 10, 26, tzinfo=UTC),
        group_by=["hour", "weekday"],
        timezone="Europe/London",
    )
    assert [(r.hour, r.weekday, r.value, r.n) for r in rows] == [(1, 7, 0.5, 2)]


def test_the_skipped_london_hour_has_no_calls(store: Any) -> None:
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 00:30 GMT
    after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 BST; 01:30 never happens
    add_interactions(store, [call("D1", before, queue=5), call("D2", after, queue=60)])
    rows = compute_indicators(
        store,
        ["service_level"],
        start=datetime(2026, 3, 28, tzinfo=UTC),
        end=datetime(2026, 3, 30, tzinfo=UTC),
        group_by=["hour"],
        timezone="Europe/London",
    )
    assert [(r.hour, r.value, r.n) for r in rows] == [(0, 1.0, 1), (2, 0.0, 1)]


@pytest.mark.parametrize(
    ("zone", "month", "weekday", "hour"),
    [
        ("Europe/London", date(2026, 10, 1), 6, 23),
        ("Asia/Kolkata", date(2026, 11, 1), 7, 5),  # +05:30: 05:15 on Sunday 1 November
        ("Australia/Adelaide", date(2026, 11, 1), 7, 10),  # +10:30 in summer: 10:15
    ],
)
def test_a_call_at_2345_utc_on_31_october_in_each_zone(
    store: Any, zone: str, month: date, weekday: int, hour: int
) -> None:
    add_interactions(store, [call("Z1", datetime(2026, 10, 31, 23, 45, tzinfo=UTC), queue=1)])
    for grouping, expected in (("month", month), ("weekday", weekday), ("hour", hour)):
        [row] = compute_indicators(
            store,
            ["asa"],
            start=datetime(2026, 10, 1, tzinfo=UTC),
            end=datetime(2026, 12, 1, tzinfo=UTC),
            group_by=[grouping],
            timezone=zone,
        )
        assert getattr(row, grouping) == expected, grouping
        assert (row.value, row.n) == (1.0, 1)


def test_survey_answers_group_by_local_hour_at_the_repeated_hour(store: Any) -> None:
    survey = csat_instrument()
    for n, rating in enumerate([5, 2, 4, 5]):
        answer(
            store,
            survey,
            f"H{n}",
            {"csat": rating},
            at=datetime(2026, 10, 24, 23, 30, tzinfo=UTC) + timedelta(hours=n),
        )
    rows = compute_indicators(
        store,
        ["csat"],
        start=datetime(2026, 10, 1, tzinfo=LONDON),
        end=datetime(2026, 11, 1, tzinfo=LONDON),
        group_by=["hour"],
        timezone="Europe/London",
    )
    assert [(r.hour, r.successes, r.n) for r in rows] == [(0, 1, 1), (1, 1, 2), (2, 1, 1)]


def test_indicators_at_the_ends_of_the_supported_range(store: Any) -> None:
    first = datetime(1, 1, 2, 12, tzinfo=UTC)
    last = datetime(9999, 12, 29, 12, tzinfo=UTC)
    add_interactions(store, [call("OLD", first, queue=5), call("NEW", last, queue=50)])
    for zone in ("Etc/GMT+12", "Pacific/Kiritimati", "Asia/Kolkata"):
        rows = compute_indicators(
            store,
            ["service_level"],
            start=datetime(1, 1, 2, tzinfo=UTC),
            end=datetime(9999, 12, 30, tzinfo=UTC),
            group_by=["month"],
            timezone=zone,
        )
        assert [(r.month.year if r.month else None, r.n) for r in rows] == [
            (1, 1),
            (9999, 1),
        ], zone
    [row] = compute_indicators(
        store, ["service_level"], start=datetime(1, 1, 2, tzinfo=UTC), end=last
    )
    assert (row.value, row.n) == (1.0, 1)


# --------------------------------------------------------------------------------------------
# Properties: both stores agree; groups add up
# --------------------------------------------------------------------------------------------

CALL_INDICATORS = ["service_level", "abandonment_rate", "asa", "aht", "fcr_internal"]
GROUPINGS = ["store", "channel", "staff", "month", "weekday", "hour", "business_unit"]

calls_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=4 * 24 * 60 - 1),  # minutes after the start
        st.one_of(st.none(), st.integers(min_value=0, max_value=60)),  # queue seconds
        st.one_of(st.none(), st.integers(min_value=0, max_value=900)),  # talk seconds
        st.booleans(),  # abandoned
        st.sampled_from(["S1", "S2"]),
        st.sampled_from(["hotline", "online"]),
        st.sampled_from([None, "A-1", "A-2"]),
        st.sampled_from([None, "C1", "C2"]),
        st.sampled_from(["returns", "delivery"]),
    ),
    max_size=25,
)
DST_START = datetime(2026, 10, 23, 22, tzinfo=UTC)  # the London clocks go back in between


def generated_calls(spec: list[Any]) -> list[ServiceInteraction]:
    made = []
    for n, (
        minutes,
        queue,
        talk,
        abandoned,
        store_id,
        channel,
        agent,
        customer,
        subject,
    ) in enumerate(spec):
        made.append(
            call(
                f"G{n}",
                DST_START + timedelta(minutes=minutes),
                queue=queue,
                talk=None if abandoned else talk,
                abandoned=abandoned,
                store_id=store_id,
                channel=channel,
                agent=None if abandoned else agent,
                customer=customer,
                subject=subject,
            )
        )
    return made


def fill(target: Any, interactions: list[ServiceInteraction]) -> None:
    add_customers(target, "C1", "C2", created_at=DST_START - timedelta(days=1))
    add_interactions(target, interactions)


def records(rows: Any) -> list[dict[str, Any]]:
    return [dict(record) for record in rows.to_records()]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=calls_strategy, group_by=st.lists(st.sampled_from(GROUPINGS), unique=True, max_size=3))
def test_the_two_stores_give_identical_answers(spec: list[Any], group_by: list[str]) -> None:
    interactions = generated_calls(spec)
    memory = InMemoryStore()
    fill(memory, interactions)
    arguments: dict[str, Any] = {
        "start": DST_START,
        "end": DST_START + timedelta(days=4),
        "group_by": group_by,
        "timezone": "Europe/London",
        "business_units": {"S1": "stores"},
    }
    with SQLiteStore(":memory:") as sqlite:
        fill(sqlite, interactions)
        assert records(compute_indicators(sqlite, CALL_INDICATORS, **arguments)) == records(
            compute_indicators(memory, CALL_INDICATORS, **arguments)
        )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=calls_strategy, grouping=st.sampled_from(GROUPINGS))
def test_grouped_counts_add_up_to_the_ungrouped_n(spec: list[Any], grouping: str) -> None:
    memory = InMemoryStore()
    fill(memory, generated_calls(spec))
    arguments: dict[str, Any] = {"start": DST_START, "end": DST_START + timedelta(days=4)}
    whole = {r.indicator_id: r for r in compute_indicators(memory, CALL_INDICATORS, **arguments)}
    grouped = compute_indicators(
        memory,
        CALL_INDICATORS,
        group_by=[grouping],
        timezone="Asia/Kolkata",
        business_units={"S2": "online"},
        **arguments,
    )
    for indicator in CALL_INDICATORS:
        parts = [r for r in grouped if r.indicator_id == indicator]
        total = whole[indicator].n if indicator in whole else 0
        assert sum(r.n for r in parts) == total, indicator
        if indicator in ("service_level", "abandonment_rate", "fcr_internal") and total:
            assert sum(r.successes or 0 for r in parts) == whole[indicator].successes


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=72 * 60 - 1),
            st.integers(min_value=1, max_value=5),
            st.integers(min_value=0, max_value=10),
            st.sampled_from(["S1", "S2"]),
        ),
        max_size=15,
    ),
    group_by=st.lists(st.sampled_from(["store", "month", "weekday", "hour"]), unique=True),
)
def test_the_two_stores_agree_on_survey_indicators(
    answers: list[tuple[int, int, int, str]], group_by: list[str]
) -> None:
    start = datetime(2026, 3, 28, 12, tzinfo=UTC)  # the London clocks go forward in between
    arguments: dict[str, Any] = {
        "start": start,
        "end": start + timedelta(days=3),
        "group_by": group_by,
        "timezone": "Europe/London",
    }
    results = []
    memory = InMemoryStore()
    with SQLiteStore(":memory:") as sqlite:
        for target in (memory, sqlite):
            for n, (minutes, rating, score, store_id) in enumerate(answers):
                at = start + timedelta(minutes=minutes)
                answer(
                    target, csat_instrument(), f"A{n}", {"csat": rating}, at=at, store_id=store_id
                )
                answer(target, nps_instrument(), f"B{n}", {"nps": score}, at=at, store_id=store_id)
            results.append(records(compute_indicators(target, ["csat", "nps"], **arguments)))
    assert results[0] == results[1]
    total = sum(1 for _ in answers)
    assert sum(r["n"] for r in results[0] if r["indicator_id"] == "csat") == total


# --------------------------------------------------------------------------------------------
# Boundaries the docs state
# --------------------------------------------------------------------------------------------


def test_a_call_abandoned_at_exactly_five_seconds_is_not_a_short_abandon(store: Any) -> None:
    add_interactions(
        store,
        [
            call("S1", MONDAY, queue=4.999, abandoned=True),  # sooner than 5 s: left out
            call("S2", MONDAY, queue=5, abandoned=True),  # not sooner: abandoned
            call("S3", MONDAY, queue=20, abandoned=True),  # abandoned within 20 s
            call("S4", MONDAY, queue=21),
        ],
    )
    got = values(
        compute_indicators(
            store, ["abandonment_rate", "service_level"], start=MARCH[0], end=MARCH[1]
        )
    )
    assert got["abandonment_rate"] == (pytest.approx(2 / 3), 3)
    # ignore: the abandons within 20 s (S2, S3) are left out; S4 late
    assert got["service_level"] == (0.0, 1)


def test_a_repeat_complaint_is_one_at_most_thirty_days_after(store: Any) -> None:
    add_customers(store, "K1", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    add_complaints(
        store,
        [
            Complaint.receive(
                id=id,
                at=when,
                channel="hotline",
                store_id="S1",
                category="delivery",
                customer_id="K1",
            )
            for id, when in (
                ("X0", at),
                ("X1", at + timedelta(days=30)),  # exactly 30 days: the far end included
                ("X2", at + timedelta(days=59, hours=23)),  # 29 d 23 h after X1
            )
        ],
    )
    [row] = compute_indicators(
        store,
        ["repeat_complaint_rate"],
        start=MARCH[0],
        end=datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert (row.successes, row.n) == (2, 3)


def test_no_records_no_rows_and_every_indicator_by_default(store: Any) -> None:
    assert list(compute_indicators(store, start=MARCH[0], end=MARCH[1])) == []
    add_interactions(store, calls_for_the_hand_count())
    ids = {row.indicator_id for row in compute_indicators(store, start=MARCH[0], end=MARCH[1])}
    assert {"service_level", "abandonment_rate", "asa", "aht"} <= ids
    assert "complaint_rate" not in ids  # only with transactions


# --------------------------------------------------------------------------------------------
# Comparisons, against scipy and statsmodels
# --------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n1=st.integers(min_value=20, max_value=2000),
    n2=st.integers(min_value=20, max_value=2000),
    share1=st.floats(min_value=0, max_value=1),
    share2=st.floats(min_value=0, max_value=1),
)
def test_two_proportions_match_statsmodels_pooled_ztest(
    n1: int, n2: int, share1: float, share2: float
) -> None:
    s1, s2 = round(share1 * n1), round(share2 * n2)
    successes, failures, n = s1 + s2, n1 + n2 - s1 - s2, n1 + n2
    result = compare(ProportionPair(label="p", successes1=s1, n1=n1, successes2=s2, n2=n2))
    if min(n1, n2) * min(successes, failures) / n < 5:
        if successes == 0 or failures == 0:
            return  # nothing to test: covered by the no-data case
        assert result.test == "Fisher's exact test"
        expected = stats.fisher_exact([[s1, n1 - s1], [s2, n2 - s2]]).pvalue
        assert result.p_value == pytest.approx(expected, rel=1e-6, abs=1e-12)
        return
    z, p = proportions_ztest([s1, s2], [n1, n2])
    assert result.test == "two-proportion z-test (pooled)"
    assert result.statistic == pytest.approx(z, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-6, abs=1e-12)
    assert result.significant == (result.p_value is not None and result.p_value <= 0.05)
    assert result.difference == pytest.approx(s1 / n1 - s2 / n2)


ratings_table = st.lists(st.integers(min_value=0, max_value=30), min_size=5, max_size=5)


@settings(max_examples=60, deadline=None)
@given(counts1=ratings_table, counts2=ratings_table)
def test_ratings_match_scipy_mannwhitneyu(counts1: list[int], counts2: list[int]) -> None:
    x = [rating for rating, count in enumerate(counts1, 1) for _ in range(count)]
    y = [rating for rating, count in enumerate(counts2, 1) for _ in range(count)]
    result = compare(RatingPair(label="r", counts1=counts1, counts2=counts2))
    if not x or not y or len(set(x + y)) < 2:
        assert result.change.value == "not_enough_data"
        assert result.p_value is None
        return
    expected = stats.mannwhitneyu(x, y, use_continuity=True, method="asymptotic")
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-6, abs=1e-12)
    assert result.first == pytest.approx(np.mean(x))
    assert result.second == pytest.approx(np.mean(y))


def test_the_nps_difference_is_the_unpooled_ztest_of_the_docs() -> None:
    from retail_service_quality import NpsPair

    result = compare(
        NpsPair(
            label="n",
            promoters1=50,
            passives1=30,
            detractors1=20,
            promoters2=40,
            passives2=30,
            detractors2=30,
        )
    )

    def variance(p: float, d: float) -> float:
        return p + d - (p - d) ** 2

    se = 100 * math.sqrt(variance(0.5, 0.2) / 100 + variance(0.4, 0.3) / 100)
    z = 20.0 / se
    assert result.difference == pytest.approx(20.0)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(z))


def test_a_mean_pair_is_welchs_t_test() -> None:
    from retail_service_quality import MeanPair

    result = compare(
        MeanPair(
            label="m", n1=40, mean1=300.0, variance1=900.0, n2=25, mean2=320.0, variance2=2500.0
        )
    )
    expected = stats.ttest_ind_from_stats(300.0, 30.0, 40, 320.0, 50.0, 25, equal_var=False)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)


p_values = st.lists(
    st.one_of(st.floats(min_value=0, max_value=1), st.sampled_from([0.0, 0.01, 0.05, 1.0])),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(p=p_values, alpha=st.sampled_from([0.01, 0.05, 0.1, 0.2]))
def test_benjamini_hochberg_matches_statsmodels(p: list[float], alpha: float) -> None:
    rejected, adjusted, _, _ = multipletests(p, alpha=alpha, method="fdr_bh")
    result = benjamini_hochberg(p, alpha=alpha)
    assert list(result.adjusted_p_values()) == pytest.approx(list(adjusted), rel=1e-12, abs=0)
    assert list(result.rejected()) == list(rejected)


def test_compare_many_leaves_untestable_pairs_out_of_the_family() -> None:
    pairs = [
        ProportionPair(label="a", successes1=130, n1=200, successes2=100, n2=200),
        ProportionPair(label="b", successes1=0, n1=0, successes2=10, n2=20),
        ProportionPair(label="c", successes1=112, n1=200, successes2=100, n2=200),
    ]
    family = compare_many(pairs)
    tested = [family.comparisons[0], family.comparisons[2]]
    _, adjusted, _, _ = multipletests([c.p_value for c in tested], method="fdr_bh")
    assert [c.adjusted_p_value for c in tested] == pytest.approx(list(adjusted))
    assert {c.family_size for c in tested} == {2}
    assert family.comparisons[1].change.value == "not_enough_data"
    assert family.comparisons[1].adjusted_p_value is None
    with pytest.raises(ValidationError):
        compare_many([pairs[0], pairs[0]])  # labels must be distinct


def test_compare_periods_tests_each_group_and_corrects_the_family(store: Any) -> None:
    week = timedelta(days=7)
    minute = timedelta(minutes=1)
    interactions = []
    # S1: 40 of 50 in time last week, 48 of 50 this week; S2: 30 of 50 both weeks
    for store_id, before, after in (("S1", 40, 48), ("S2", 30, 30)):
        for n in range(50):
            interactions.append(
                call(
                    f"{store_id}-P{n}",
                    MONDAY + n * minute,
                    queue=5 if n < before else 60,
                    store_id=store_id,
                )
            )
            interactions.append(
                call(
                    f"{store_id}-C{n}",
                    MONDAY + week + n * minute,
                    queue=5 if n < after else 60,
                    store_id=store_id,
                )
            )
    add_interactions(store, interactions)
    family = compare_periods(
        store,
        ["service_level", "aht", "asa"],
        current=(MONDAY + week, MONDAY + 2 * week),
        previous=(MONDAY, MONDAY + week),
        group_by=["store"],
    )
    comparisons = list(family.comparisons.values())
    assert len(comparisons) == 2  # the means of durations are not paired
    p = [proportions_ztest([48, 40], [50, 50])[1], proportions_ztest([30, 30], [50, 50])[1]]
    _, adjusted, _, _ = multipletests(p, method="fdr_bh")
    assert [(c.first, c.second) for c in comparisons] == [(0.96, 0.8), (0.6, 0.6)]
    assert [c.p_value for c in comparisons] == pytest.approx(p)
    assert [c.adjusted_p_value for c in comparisons] == pytest.approx(list(adjusted))
    assert "S1" in comparisons[0].label
    assert "S2" in comparisons[1].label


def test_compare_periods_refuses_month_grouping(store: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        compare_periods(
            store,
            ["service_level"],
            current=(MARCH[0], MARCH[1]),
            previous=(MARCH[0] - timedelta(days=31), MARCH[0]),
            group_by=["month"],
            timezone="UTC",
        )
    assert "$.group_by" in str(caught.value)


# --------------------------------------------------------------------------------------------
# Performance criteria
# --------------------------------------------------------------------------------------------

STANDARD = StandardReference("SQ-2026", version="2026.1", clause="4.2")
FROM_2026 = datetime(2026, 1, 1, tzinfo=UTC)


def criterion(
    direction: str = "higher",
    target: float = 0.85,
    amber: float = 0.75,
    min_n: int = 30,
    **fields: Any,
) -> PerformanceCriterion:
    return PerformanceCriterion(
        id=fields.pop("id", "c"),
        indicator_id=fields.pop("indicator_id", "csat"),
        direction=direction,
        target=target,
        amber_threshold=amber,
        min_n=min_n,
        effective_from=fields.pop("effective_from", FROM_2026),
        standard=STANDARD,
        **fields,
    )


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(a=finite, b=finite, value=finite, direction=st.sampled_from(["higher", "lower"]))
def test_bands_follow_the_documented_table(
    a: float, b: float, value: float, direction: str
) -> None:
    if direction == "higher":
        target, amber = max(a, b), min(a, b)
        expected = "green" if value >= target else "amber" if value >= amber else "red"
    else:
        target, amber = min(a, b), max(a, b)
        expected = "green" if value <= target else "amber" if value <= amber else "red"
    assert criterion(direction, target, amber).band(value).value == expected
    assert criterion(direction, target, amber).band(target).value == "green"


def test_thresholds_in_the_wrong_order_are_refused_in_both_directions() -> None:
    for direction, target, amber in (("higher", 0.7, 0.8), ("lower", 30.0, 20.0)):
        with pytest.raises(ValidationError) as caught:
            criterion(direction, target, amber)
        assert "$.amber_threshold" in str(caught.value)


def share_value(met: int, n: int, **fields: Any) -> IndicatorValue:
    return IndicatorValue(
        indicator_id=fields.pop("indicator_id", "csat"),
        value=met / n,
        n=n,
        successes=met,
        interval=wilson_interval(met, n),
        **fields,
    )


def test_evaluation_says_not_enough_data_below_min_n() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    judged = evaluate_criteria(
        [criterion(min_n=30)], [share_value(29, 29), share_value(30, 30)], at=at
    )
    assert [r.status.value for r in judged] == ["not_enough_data", "green"]
    assert judged[0].significant is False
    assert judged[0].possible == ()
    assert judged[0].best is None
    assert judged[0].worst is None


def test_significance_is_the_whole_interval_in_the_band_in_both_directions() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    asa = criterion("lower", 20.0, 30.0, indicator_id="asa")

    def asa_value(value: float, low: float, high: float) -> IndicatorValue:
        return IndicatorValue(
            indicator_id="asa",
            direction="lower",
            unit="seconds",
            value=value,
            n=400,
            interval=Interval(low=low, high=high, confidence=0.95),
        )

    judged = evaluate_criteria(
        [asa],
        [
            asa_value(15.0, 10.0, 20.0),  # the interval reaches the target: still green
            asa_value(25.0, 19.0, 31.0),  # green to red
            asa_value(35.0, 30.5, 40.0),  # red throughout
            IndicatorValue(indicator_id="asa", direction="lower", value=25.0, n=400),
        ],
        at=at,
    )
    assert [(r.status.value, r.significant) for r in judged] == [
        ("green", True),
        ("amber", False),
        ("red", True),
        ("amber", True),  # counted over every case
    ]
    assert [s.value for s in judged[1].possible] == ["green", "amber", "red"]


def test_evaluation_refuses_an_interval_at_another_level_or_another_direction() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    other_level = IndicatorValue(
        indicator_id="csat", value=0.8, n=100, interval=wilson_interval(80, 100, confidence=0.9)
    )
    with pytest.raises(ValidationError):
        evaluate_criteria([criterion()], [other_level], at=at)
    with pytest.raises(ValidationError):
        evaluate_criteria(
            [criterion()],
            [IndicatorValue(indicator_id="csat", value=0.8, n=100, direction="lower")],
            at=at,
        )


def test_a_month_is_judged_at_its_first_local_instant() -> None:
    # in force from 1 March 00:00 in London: 08:00 in Hong Kong, 1 March already begun there
    london_march = criterion(effective_from=datetime(2026, 3, 1, tzinfo=LONDON))
    value = share_value(90, 100, month=date(2026, 3, 1))
    assert len(evaluate_criteria([london_march], [value], timezone="Europe/London")) == 1
    assert len(evaluate_criteria([london_march], [value], timezone="Asia/Hong_Kong")) == 0
    # a repeated hour: in force from the second 01:30 of 25 October in London
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    repeated = criterion(effective_from=second_pass)
    assert not repeated.in_force(datetime(2026, 10, 25, 1, 45, fold=0, tzinfo=LONDON))
    assert repeated.in_force(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON))


def test_monitoring_alerts_once_when_a_colour_worsens_beyond_noise() -> None:
    now = datetime(2026, 3, 20, tzinfo=UTC)

    def day(met: int, n: int) -> Any:
        return evaluate_criteria([criterion()], [share_value(met, n, store_id="S1")], at=now)

    green, red, noisy_red, too_few = day(1800, 2000), day(1400, 2000), day(34, 50), day(5, 10)
    [alert] = monitor_criteria(red, now=now, previous=green)
    assert (alert.level, alert.previous_status.value if alert.previous_status else None) == (
        "red",
        "green",
    )
    assert monitor_criteria(red, now=now, previous=red) == []
    assert monitor_criteria(too_few, now=now, previous=green) == []
    assert noisy_red[0].status.value == "red"
    assert noisy_red[0].significant is False
    assert monitor_criteria(noisy_red, now=now, previous=green) == []


@settings(max_examples=30, deadline=None)
@given(
    target=st.floats(min_value=0.5, max_value=1.0),
    width=st.floats(min_value=0, max_value=0.5),
    min_n=st.integers(min_value=1, max_value=10**9),
    unit=st.one_of(st.none(), st.sampled_from(["stores", "online"])),
)
def test_criteria_round_trip_through_json(
    target: float, width: float, min_n: int, unit: str | None
) -> None:
    made = criterion(target=target, amber=target - width, min_n=min_n, business_unit=unit)
    assert from_json(to_json(made), PerformanceCriterion) == made


# --------------------------------------------------------------------------------------------
# The three gaps
# --------------------------------------------------------------------------------------------


def _binomial_tail(k: int, n: int, p: float, *, lower: bool) -> float:
    """P(X <= k) (or P(X >= k)) for X ~ Binomial(n, p), summed in 40 significant digits."""
    with decimal.localcontext() as context:
        context.prec = 40
        success, failure = decimal.Decimal(p), 1 - decimal.Decimal(p)
        counts = range(k + 1) if lower else range(k, n + 1)
        return float(sum(math.comb(n, i) * success**i * failure ** (n - i) for i in counts))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=30, max_value=3000),
    share=st.floats(min_value=0.0, max_value=1.0),
    target=st.floats(min_value=0.05, max_value=0.95),
    direction=st.sampled_from(["higher", "lower"]),
)
@example(n=376, share=0.0390625, target=0.8671875, direction="higher")  # p = 9e-292
def test_a_share_gap_is_the_exact_binomial_test(
    n: int, share: float, target: float, direction: str
) -> None:
    met = round(share * n)
    amber = target - 0.04 if direction == "higher" else target + 0.04
    value = IndicatorValue(
        indicator_id="csat",
        direction=direction,
        value=met / n,
        n=n,
        successes=met,
        interval=wilson_interval(met, n),
    )
    results = evaluate_criteria(
        [criterion(direction, target, amber)], [value], at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    [finding] = standard_gaps(results)
    alternative = "less" if direction == "higher" else "greater"
    expected = stats.binomtest(met, n, target, alternative=alternative).pvalue
    if expected < 1e-100:  # scipy loses digits in the far tail: sum it in 40 digits instead
        expected = _binomial_tail(met, n, target, lower=alternative == "less")
    assert finding.p_value == pytest.approx(expected, rel=1e-6, abs=1e-300)
    sign = 1 if direction == "higher" else -1
    assert finding.size == pytest.approx(sign * (met / n - target))
    assert finding.significant == (finding.p_value is not None and finding.p_value < 0.05)
    assert finding.criterion_id == "c"
    assert finding.standard == STANDARD


@settings(max_examples=40, deadline=None)
@given(
    value=st.floats(min_value=0, max_value=100),
    half=st.floats(min_value=0.01, max_value=10),
    confidence=st.sampled_from([0.9, 0.95, 0.99]),
)
def test_a_gap_on_a_mean_is_the_normal_test_of_the_docs(
    value: float, half: float, confidence: float
) -> None:
    asa = criterion("lower", 20.0, 30.0, indicator_id="asa")
    measured = IndicatorValue(
        indicator_id="asa",
        direction="lower",
        unit="seconds",
        value=value,
        n=400,
        interval=Interval(low=value - half, high=value + half, confidence=confidence),
    )
    results = evaluate_criteria(
        [asa], [measured], at=datetime(2026, 3, 1, tzinfo=UTC), confidence=confidence
    )
    [finding] = standard_gaps(results, confidence=confidence)
    se = half / stats.norm.ppf(0.5 + confidence / 2)
    assert finding.size == pytest.approx(20.0 - value)
    assert finding.p_value == pytest.approx(stats.norm.sf((value - 20.0) / se), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(
        st.tuples(st.integers(min_value=1, max_value=7), st.integers(min_value=1, max_value=7)),
        min_size=2,
        max_size=20,
    ),
    level=st.floats(min_value=1, max_value=7),
)
def test_an_expectation_gap_is_the_one_sided_t_test(
    scores: list[tuple[int, int]], level: float
) -> None:
    responses = [ServqualResponse({10: a, 11: b}, {}) for a, b in scores]
    [finding] = expectation_gaps(
        [ServiceStandardLevel("responsiveness", level, STANDARD)], responses
    )
    means = [(a + b) / 2 for a, b in scores]
    assert finding.n == len(scores)
    assert finding.size == pytest.approx(level - np.mean(means))
    if len(set(means)) > 1:
        expected = stats.ttest_1samp(means, level, alternative="greater").pvalue
        assert finding.p_value == pytest.approx(expected, rel=1e-6, abs=1e-12)
    else:
        assert finding.p_value == (0.0 if means[0] > level else 1.0)


def test_stored_expectation_gaps_turn_negatively_worded_items(store: Any) -> None:
    survey = servqual_instrument(negatively_worded=True)
    answers = [{"e10": 2, "e14": 6}, {"e10": 1, "e14": 7}, {"e10": 2, "e14": 7}]
    for n, given_answers in enumerate(answers):
        answer(
            store, survey, f"Q{n}", given_answers, comments={"comment": SECRET}, channel="meeting"
        )
    levels = [
        ServiceStandardLevel("responsiveness", 5.0, STANDARD),
        ServiceStandardLevel("assurance", 6.0, STANDARD),
    ]
    findings = stored_expectation_gaps(store, levels, start=MARCH[0], end=MARCH[1])
    responsiveness, assurance = findings
    # item 10 is reverse-scored on 1..7: 8 - x
    assert responsiveness.measured == pytest.approx(np.mean([6, 7, 6]))
    assert responsiveness.size == pytest.approx(5.0 - np.mean([6, 7, 6]))
    assert assurance.measured == pytest.approx(np.mean([6, 7, 7]))
    assert (responsiveness.instrument_id, responsiveness.instrument_edition) == ("servqual", 1)
    assert SECRET not in repr(findings)
    assert SECRET not in json.dumps(findings.to_records(), default=str)


# --------------------------------------------------------------------------------------------
# Bad input: only RSQError, every problem with its path, in one round
# --------------------------------------------------------------------------------------------


def test_compute_indicators_lists_every_bad_argument_at_once(store: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        compute_indicators(
            store,
            ["no_such_indicator", 5],  # type: ignore[list-item]
            start=datetime(2026, 3, 1),  # naive
            end="tomorrow",  # type: ignore[arg-type]
            group_by=["month", "planet"],
            timezone="Mars/Olympus_Mons",
            confidence=float("nan"),
        )
    text = str(caught.value)
    for path in (
        "$.indicators[0]",
        "$.indicators[1]",
        "$.start",
        "$.end",
        "$.group_by",
        "$.timezone",
        "$.confidence",
    ):
        assert path in text, path


def test_grouping_by_time_needs_a_timezone(store: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        compute_indicators(store, ["aht"], start=MARCH[0], end=MARCH[1], group_by=["hour"])
    assert "$.timezone" in str(caught.value)


def test_an_end_before_the_start_is_refused(store: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        compute_indicators(store, ["aht"], start=MARCH[1], end=MARCH[0])
    assert "$." in str(caught.value)


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xDFFF), max_size=8),
    st.sampled_from(["\ud800", "month", "hotline", "csat", "Europe/London", ""]),
    st.lists(st.sampled_from(["\ud800", "month", 3, None, "store"]), max_size=3),
    st.dictionaries(st.sampled_from(["S1", "\udfff"]), st.sampled_from(["x", 1]), max_size=2),
    st.just(datetime(2026, 3, 1)),
    st.just(datetime(9999, 12, 31, 23, tzinfo=UTC)),
)


@settings(max_examples=120, deadline=None)
@given(
    indicators=junk,
    start=junk,
    end=junk,
    group_by=junk,
    timezone=junk,
    business_units=junk,
    confidence=junk,
    transactions=junk,
)
def test_compute_indicators_raises_only_rsq_errors(**arguments: Any) -> None:
    memory = InMemoryStore()
    with contextlib.suppress(RSQError):
        compute_indicators(memory, **arguments)


@settings(max_examples=80, deadline=None)
@given(first=junk, second=junk, third=junk)
def test_the_other_entry_points_raise_only_rsq_errors(first: Any, second: Any, third: Any) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    calls: list[Callable[[], object]] = [
        lambda: evaluate_criteria(first, second, at=third),
        lambda: evaluate_criteria([criterion()], [share_value(80, 100)], at=first, timezone=second),
        lambda: standard_gaps(first, confidence=second),
        lambda: expectation_gaps(first, second, scale=third),
        lambda: compare_many(first, alpha=second, correction=third),
        lambda: benjamini_hochberg(first, alpha=second),
        lambda: monitor_criteria(first, now=second, previous=third),
        lambda: compare_periods(InMemoryStore(), first, current=second, previous=third),
        lambda: record_survey_response(InMemoryStore(), first, second),
        lambda: IndicatorValue(indicator_id=first, value=second, n=third),
        lambda: criterion(target=first, amber=second, min_n=third),
        lambda: stored_expectation_gaps(InMemoryStore(), first, start=second, end=at),
        lambda: IndicatorCatalogue(first),
        lambda: TransactionCount(store_id=first, day=second, count=third),
    ]
    for attempt in calls:
        with contextlib.suppress(RSQError):
            attempt()


def test_an_indicator_value_refuses_nan_and_huge_counts() -> None:
    with pytest.raises(ValidationError) as caught:
        IndicatorValue(indicator_id="csat", value=float("nan"), n=10**13, successes=-1)
    text = str(caught.value)
    for path in ("$.value", "$.n", "$.successes"):
        assert path in text


# --------------------------------------------------------------------------------------------
# Survey instruments and responses
# --------------------------------------------------------------------------------------------

wording = st.text(min_size=1, max_size=20).filter(str.strip)
question_kinds = st.sampled_from(["rating", "nps", "yes_no", "choice", "free_text"])


@st.composite
def questions(draw: st.DrawFn, id: str) -> SurveyQuestion:
    kind = draw(question_kinds)
    fields: dict[str, Any] = {"id": id, "text": draw(wording), "kind": kind}
    if kind == "rating":
        low = draw(st.integers(min_value=0, max_value=5))
        fields.update(low=low, high=draw(st.integers(min_value=low + 1, max_value=100)))
        fields["reverse_scored"] = draw(st.booleans())
    if kind == "choice":
        fields["options"] = draw(
            st.lists(
                st.text(alphabet="abcdé ", min_size=1, max_size=5).map(str.strip).filter(bool),
                min_size=2,
                max_size=4,
                unique=True,
            )
        )
    return SurveyQuestion(**fields)


@st.composite
def instruments(draw: st.DrawFn) -> SurveyInstrument:
    count = draw(st.integers(min_value=1, max_value=5))
    return SurveyInstrument(
        id=draw(st.sampled_from(["mine", "kiosk"])),
        edition=draw(st.integers(min_value=1, max_value=50)),
        title=draw(wording),
        published_at=draw(
            st.datetimes(
                min_value=datetime(2000, 1, 1),
                max_value=datetime(2030, 1, 1),
                timezones=st.sampled_from([UTC, LONDON, KOLKATA, ADELAIDE]),
                allow_imaginary=False,  # a skipped wall-clock time is refused, by design
            )
        ),
        questions=[draw(questions(f"q{n}")) for n in range(count)],
    )


@settings(max_examples=30, deadline=None)
@given(instruments())
def test_instruments_round_trip_through_json(instrument: SurveyInstrument) -> None:
    assert from_json(to_json(instrument), SurveyInstrument) == instrument


@pytest.mark.parametrize(
    "factory",
    [
        servqual_instrument,
        csat_instrument,
        nps_instrument,
        ces_instrument,
        product_requirements_instrument,
    ],
)
def test_builtin_instruments_round_trip_and_end_with_a_comment(factory: Any) -> None:
    instrument = factory()
    assert from_json(to_json(instrument), SurveyInstrument) == instrument
    assert instrument.questions[-1].kind.value == "free_text"


def test_servqual_items_map_to_the_five_dimensions() -> None:
    instrument = servqual_instrument()
    expected = {
        **dict.fromkeys(range(1, 5), "tangibles"),
        **dict.fromkeys(range(5, 10), "reliability"),
        **dict.fromkeys(range(10, 14), "responsiveness"),
        **dict.fromkeys(range(14, 18), "assurance"),
        **dict.fromkeys(range(18, 23), "empathy"),
    }
    for item, dimension in expected.items():
        assert instrument.question(f"e{item}").dimension == dimension
        assert instrument.question(f"p{item}").dimension == dimension
    reversed_items = [
        q.item
        for q in servqual_instrument(negatively_worded=True).questions
        if q.reverse_scored and q.id.startswith("p")
    ]
    assert reversed_items == [10, 11, 12, 13, 18, 19, 20, 21, 22]


def test_check_response_lists_every_problem_without_repeating_an_answer() -> None:
    response = SurveyResponse(
        id="R-1",
        instrument_id="csat",
        edition=1,
        received_at=datetime(1999, 12, 31, tzinfo=UTC),  # before the edition
        store_id="S1",
        channel="hotline",
        answers={"csat": 99, "mood": 3, "comment": 1},
        comments={"resolved": SECRET},
    )
    with pytest.raises(ValidationError) as caught:
        check_response(csat_instrument(), response)
    text = str(caught.value)
    for path in (
        "$.answers.csat",
        "$.answers.mood",
        "$.answers.comment",
        "$.comments.resolved",
        "$.received_at",
    ):
        assert path in text, path
    assert "99" not in text
    assert SECRET not in text


def test_responses_link_a_customer_only_with_consent(store: Any) -> None:
    add_customers(store, "C-1")
    response = SurveyResponse(
        id="R-1",
        instrument_id="csat",
        edition=1,
        received_at=MONDAY,
        store_id="S1",
        channel="hotline",
        answers={"csat": 5},
        customer_id="C-1",
    )
    with pytest.raises(ValidationError) as caught:
        record_survey_response(store, csat_instrument(), response)
    assert "$.customer_id" in str(caught.value)
    stored = record_survey_response(store, csat_instrument(), response, customer_consent=True)
    assert stored.customer_consent_at == MONDAY
    with store.unit_of_work(read_only=True) as uow:
        assert uow.surveys.responses.count() == 1


def test_an_edition_that_changes_a_question_is_refused(store: Any) -> None:
    first = csat_instrument()
    changed = SurveyInstrument(
        id="csat",
        edition=2,
        title="How did we do?",
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        questions=[
            SurveyQuestion(
                id="csat", text="Rate us", kind="rating", low=1, high=7, measures="csat"
            ),
        ],
    )
    with store.unit_of_work() as uow:
        uow.surveys.instruments.add(first)
        uow.commit()
    with store.unit_of_work() as uow:
        with pytest.raises(ValidationError):
            uow.surveys.instruments.add(changed)
        assert uow.surveys.instruments.latest("csat").edition == 1


def test_answer_counts_and_erasure_keep_the_closed_answers(store: Any) -> None:
    add_customers(store, "C-1")
    survey = csat_instrument()
    answer(
        store,
        survey,
        "R-1",
        {"csat": 5, "resolved": 1},
        customer="C-1",
        comments={"comment": SECRET},
    )
    answer(store, survey, "R-2", {"csat": 2}, comments={"comment": SECRET})
    erase_customer(
        store, customer_id="C-1", at=MONDAY + timedelta(days=1), hasher=KeyedHasher(b"k" * 32)
    )
    with store.unit_of_work(read_only=True) as uow:
        rows = uow.surveys.answer_counts(start=MARCH[0], end=MARCH[1], measure="csat")
        counted = sorted((row.value, row.count) for row in rows)
        kept = {r.id: r for r in uow.surveys.responses.query()}
    assert counted == [(2, 1), (5, 1)]
    assert kept["R-1"].customer_id is None
    assert kept["R-1"].customer_consent_at is None
    assert dict(kept["R-1"].comments) == {}
    assert dict(kept["R-1"].answers) == {
        "csat": 5,
        "resolved": 1,
    }
    [fcr] = compute_indicators(store, ["fcr_survey"], start=MARCH[0], end=MARCH[1])
    assert (fcr.successes, fcr.n) == (1, 1)
    assert SECRET not in repr(rows)
    assert SECRET not in json.dumps(to_records_of(rows), default=str)


def to_records_of(rows: Any) -> Any:
    from retail_service_quality import to_records

    return to_records(list(rows))


# --------------------------------------------------------------------------------------------
# No personal value in results, records, frames, tables or messages
# --------------------------------------------------------------------------------------------


def test_no_personal_value_in_indicator_rows_records_frames_or_tables(store: Any) -> None:
    add_customers(store, "C1")
    add_interactions(
        store, [*calls_for_the_hand_count(), call("P1", MONDAY, customer="C1", subject="returns")]
    )
    survey = csat_instrument()
    answer(store, survey, "R-1", {"csat": 4}, comments={"comment": SECRET}, customer="C1")
    rows = compute_indicators(
        store, None, start=MARCH[0], end=MARCH[1], group_by=["store", "staff"]
    )
    assert rows
    shown = [
        repr(rows),
        json.dumps(rows.to_records(), default=str),
        rows.to_dataframe().to_csv(),
        rows._repr_html_(),
        to_json(list(rows)),
    ]
    for text in shown:
        assert SECRET not in text
        assert "Chan" not in text
    with store.unit_of_work(read_only=True) as uow:
        [stored] = list(uow.surveys.responses.query())
    from retail_service_quality import to_records

    assert SECRET not in repr(stored)
    assert SECRET not in json.dumps(to_records([stored]), default=str)
    assert SECRET in json.dumps(to_records([stored], personal=True), default=str)


def test_no_personal_value_in_error_messages() -> None:
    with pytest.raises(ValidationError) as caught:
        SurveyResponse(
            id=SECRET,
            instrument_id="csat",
            edition=0,
            received_at=datetime(2026, 3, 1),
            store_id="S1",
            channel="hotline",
            answers={"csat": "five"},  # type: ignore[dict-item]
            comments={"comment": 5},  # type: ignore[dict-item]
        )
    assert SECRET not in str(caught.value)
    assert "five" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        IndicatorDefinition(
            id="x",
            name=SECRET,
            measure=SECRET,
            statistic="share",
            unit="share",
            direction="higher",
        )
    assert SECRET not in str(caught.value)


def test_gap_findings_never_name_the_staff_member_in_their_explanation() -> None:
    value = share_value(700, 1000, staff_id="staff-chan-tai-man", store_id="S1")
    results = evaluate_criteria([criterion()], [value], at=datetime(2026, 3, 1, tzinfo=UTC))
    [finding] = standard_gaps(results)
    assert "chan" not in finding.explain().lower()


# --------------------------------------------------------------------------------------------
# An independent count of the call indicators, from the documented definitions
# --------------------------------------------------------------------------------------------

oracle_calls = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3 * 24 * 3600 - 1),  # seconds after the start
        st.one_of(st.none(), st.integers(min_value=0, max_value=45_000).map(lambda ms: ms / 1000)),
        st.one_of(st.none(), st.integers(min_value=1, max_value=900)),  # talk seconds
        st.booleans(),  # abandoned
        st.sampled_from(["hotline", "online"]),
    ),
    max_size=30,
)


def oracle(
    spec: list[tuple[int, float | None, int | None, bool, str]], hour_of: Any
) -> dict[tuple[str, int], tuple[float | None, int]]:
    """Service level, abandonment, ASA and AHT per local hour, as the catalogue defines them."""
    groups: dict[int, list[tuple[float | None, int | None, bool, str]]] = {}
    for offset, queue, talk, abandoned, channel in spec:
        groups.setdefault(hour_of(offset), []).append((queue, talk, abandoned, channel))
    out: dict[tuple[str, int], tuple[float | None, int]] = {}
    for hour, cases in groups.items():
        hotline = [c for c in cases if c[3] == "hotline"]
        offered = [c for c in hotline if not (c[2] and c[0] is not None and c[0] < 5)]
        answered = [c for c in offered if not c[2] and c[0] is not None]
        late_abandons = [c for c in offered if c[2] and c[0] is not None and c[0] > 20]
        in_time = [c for c in answered if c[0] is not None and c[0] <= 20]
        base = len(answered) + len(late_abandons)
        if hotline:
            out["service_level", hour] = (len(in_time) / base if base else None, base)
            gave_up = [c for c in offered if c[2]]
            out["abandonment_rate", hour] = (
                len(gave_up) / len(offered) if offered else None,
                len(offered),
            )
            queues = [c[0] for c in answered if c[0] is not None]
            out["asa", hour] = (sum(queues) / len(queues) if queues else None, len(queues))
        talks = [c[1] for c in cases if c[1] is not None and not c[2]]
        out["aht", hour] = (sum(talks) / len(talks) if talks else None, len(talks))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=oracle_calls, kind=st.sampled_from(["memory", "sqlite"]))
def test_call_indicators_by_local_hour_match_an_independent_count(
    spec: list[tuple[int, float | None, int | None, bool, str]], kind: str
) -> None:
    start = datetime(2026, 10, 24, 12, tzinfo=UTC)  # the London clocks go back in between
    interactions = [
        call(
            f"O{n}",
            start + timedelta(seconds=offset),
            queue=None if abandoned and queue is None else queue,
            talk=None if abandoned else talk,
            abandoned=abandoned,
            channel=channel,
        )
        for n, (offset, queue, talk, abandoned, channel) in enumerate(spec)
        if not (abandoned and queue is None)
    ]
    kept = [s for s in spec if not (s[3] and s[1] is None)]
    with SQLiteStore(":memory:") as sqlite:
        target = InMemoryStore() if kind == "memory" else sqlite
        add_interactions(target, interactions)
        rows = compute_indicators(
            target,
            ["service_level", "abandonment_rate", "asa", "aht"],
            start=start,
            end=start + timedelta(days=3),
            group_by=["hour"],
            timezone="Europe/London",
        )
    got = {(r.indicator_id, r.hour): (r.value, r.n) for r in rows}
    expected = oracle(
        kept, lambda offset: (start + timedelta(seconds=offset)).astimezone(LONDON).hour
    )
    assert set(got) == set(expected)
    for key, (value, n) in expected.items():
        assert got[key][1] == n, key
        if value is None:
            assert got[key][0] is None, key
        else:
            assert got[key][0] == pytest.approx(value, rel=1e-9, abs=1e-9), key


def test_every_indicator_is_identical_on_both_stores_on_mixed_records() -> None:
    import random

    zones = [UTC, LONDON, KOLKATA, ADELAIDE]
    start = datetime(2026, 10, 20, tzinfo=UTC)
    end = datetime(2026, 11, 10, tzinfo=UTC)
    policy = SlaPolicy(
        id="p",
        calendar=BusinessCalendar(
            "Europe/London", {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
        ),
        targets=[SlaTarget("resolution", working_days=5)],
    )

    def fill_mixed(target: Any) -> None:
        rnd = random.Random(12)
        with target.unit_of_work() as uow:
            for id in ("C1", "C2", "C3"):
                uow.customers.add(
                    Customer(
                        id=id,
                        created_at=start - timedelta(days=40),
                        home_store_id=rnd.choice(["S1", "S2"]),
                    )
                )
            uow.commit()
        interactions = []
        for n in range(200):
            at = start + timedelta(
                minutes=rnd.randrange(21 * 24 * 60), microseconds=rnd.randrange(10**6)
            )
            abandoned = rnd.random() < 0.2
            interactions.append(
                ServiceInteraction(
                    id=f"I{n}",
                    store_id=rnd.choice(["S1", "S2"]),
                    channel=rnd.choice(["hotline", "online", "meeting"]),
                    occurred_at=at.astimezone(rnd.choice(zones)),
                    queue_time=timedelta(seconds=rnd.uniform(0, 60)),
                    talk_time=None if abandoned else timedelta(seconds=rnd.uniform(10, 600)),
                    abandoned=abandoned,
                    agent_id=None if abandoned else rnd.choice(["A1", "A2", None]),
                    customer_id=rnd.choice([None, "C1", "C2", "C3"]),
                    subject=rnd.choice(["a", "b"]),
                )
            )
        complaints = []
        for n in range(40):
            at = start - timedelta(days=10) + timedelta(minutes=rnd.randrange(31 * 24 * 60))
            complaint = Complaint.receive(
                id=f"K{n}",
                at=at.astimezone(rnd.choice(zones)),
                channel="hotline",
                store_id=rnd.choice(["S1", "S2"]),
                category=rnd.choice(["x", "y"]),
                customer_id=rnd.choice([None, "C1", "C2", "C3"]),
                sla_policy=policy,
            )
            if rnd.random() < 0.7:
                done = at + timedelta(hours=rnd.uniform(1, 200))
                complaint = (
                    complaint.acknowledge(at=at)
                    .assess(at=at, severity=1, priority="low")
                    .investigate(at=at)
                    .respond(at=done, remedy="apology")
                    .accept(at=done)
                    .close(at=done, root_cause="r", corrective_action="a")
                )
            complaints.append(complaint)
        with target.unit_of_work() as uow:
            uow.interactions.add_many(interactions)
            uow.complaints.add_many(complaints)
            uow.commit()
        surveys = {
            "csat": csat_instrument(),
            "nps": nps_instrument(),
            "ces": ces_instrument(),
            "product-requirements": product_requirements_instrument(),
        }
        for n in range(60):
            kind = rnd.choice(sorted(surveys))
            answers = {
                "csat": {"csat": rnd.randint(1, 5), "resolved": rnd.randint(0, 1)},
                "nps": {"nps": rnd.randint(0, 10)},
                "ces": {"ces": rnd.randint(1, 7)},
                "product-requirements": {
                    q: rnd.randint(1, 5) for q in ("range", "quality", "timeliness", "price")
                },
            }[kind]
            answer(
                target,
                surveys[kind],
                f"R{n}",
                answers,
                at=(start + timedelta(minutes=rnd.randrange(21 * 24 * 60))).astimezone(
                    rnd.choice(zones)
                ),
                store_id=rnd.choice(["S1", "S2"]),
                channel=rnd.choice(["hotline", "online"]),
            )

    transactions = [
        TransactionCount(store_id=s, day=start.date() + timedelta(days=d), count=100 + d)
        for s in ("S1", "S2")
        for d in range(-2, 23)
    ]
    memory = InMemoryStore()
    fill_mixed(memory)
    with SQLiteStore(":memory:") as sqlite:
        fill_mixed(sqlite)
        for group_by in (["store", "month"], ["business_unit", "weekday"], ["hour"], ["staff"]):
            rated = set(group_by) <= {"store", "business_unit", "month", "weekday"}
            arguments: dict[str, Any] = {
                "start": start,
                "end": end,
                "group_by": group_by,
                "timezone": "Asia/Kolkata",
                "business_units": {"S1": "stores"},
                "transactions": transactions if rated else None,
            }
            on_sqlite = records(compute_indicators(sqlite, None, **arguments))
            assert on_sqlite == records(compute_indicators(memory, None, **arguments))
            ids = {r["indicator_id"] for r in on_sqlite}
            assert set(CATALOGUE_TABLE) - {"complaint_rate"} <= ids | {"consent_coverage"}
            assert rated == ("complaint_rate" in ids)


def test_csat_on_a_seven_point_instrument_is_not_read_as_a_five_point_one(store: Any) -> None:
    survey = csat_instrument(scale=7)
    for n, rating in enumerate([7, 6, 5, 4]):
        answer(store, survey, f"S{n}", {"csat": rating})
    rows = compute_indicators(store, ["csat"], start=MARCH[0], end=MARCH[1])
    # the top two points of its own scale (6 and 7), or the answers left out: never 4 of 4
    assert [(r.successes, r.n) for r in rows] in ([], [(2, 4)], [(None, 0)])
    if rows and rows[0].n == 0:  # left out, and said so
        assert rows[0].method.endswith("; 4 answers on another scale left out")


def test_a_large_transaction_count_is_computed_or_refused_at_its_own_path(store: Any) -> None:
    add_complaints(
        store,
        [Complaint.receive(id="K", at=MONDAY, channel="hotline", store_id="S1", category="c")],
    )
    with pytest.raises(ValidationError) as refused:
        TransactionCount(store_id="S1", day=date(2026, 3, 2), count=10**15)
    assert [p.path for p in refused.value.problems] == ["$.count"]
    transactions = [
        TransactionCount(store_id="S1", day=date(2026, 3, day), count=6 * 10**11) for day in (2, 3)
    ]
    message = ""
    try:
        rows = [
            (row.n, row.value)
            for row in compute_indicators(
                store, ["complaint_rate"], start=MARCH[0], end=MARCH[1], transactions=transactions
            )
        ]
    except ValidationError as error:
        rows, message = [], str(error)
    if message:
        assert "$.transactions" in message
    else:
        assert loose(*rows) == ((12 * 10**11, pytest.approx(1 / 12 / 10**8)),)


def test_a_definitions_own_words_are_escaped_in_the_notebook_table(store: Any) -> None:
    add_interactions(store, [call("H1", MONDAY, queue=3)])
    mine = IndicatorDefinition(
        id="sl_10",
        name="<script>alert(1)</script>",
        formula="<b>answered</b> & <i>offered</i>",
        measure="answered_within",
        statistic="share",
        unit="share",
        direction="higher",
        within=timedelta(seconds=10),
    )
    rows = compute_indicators(store, [mine], start=MARCH[0], end=MARCH[1])
    html = rows._repr_html_()
    assert "<b>answered" not in html
    assert "<script>" not in html
    assert "&lt;b&gt;answered" in html


def test_intervals_at_another_confidence_match_statsmodels(store: Any) -> None:
    add_interactions(store, calls_for_the_hand_count())
    [row] = compute_indicators(
        store, ["service_level"], start=MARCH[0], end=MARCH[1], confidence=0.9
    )
    low, high = proportion_confint(2, 4, alpha=0.1, method="wilson")
    assert row.interval is not None
    assert row.interval.confidence == 0.9
    assert loose(row.interval.low, row.interval.high) == (
        pytest.approx(low),
        pytest.approx(high),
    )
    criteria = [criterion(target=0.6, amber=0.4, min_n=1, indicator_id="service_level")]
    [judged] = evaluate_criteria(criteria, [row], at=MONDAY, confidence=0.9)
    assert judged.status.value == "amber"
    with pytest.raises(ValidationError):
        evaluate_criteria(criteria, [row], at=MONDAY)  # asked at 95%


def test_compare_periods_on_survey_indicators_uses_the_right_tests(store: Any) -> None:
    week = timedelta(days=7)
    before, after = [7, 6, 6, 5, 7, 4], [3, 4, 4, 5, 2, 1]
    for n, (a, b) in enumerate(zip(before, after, strict=True)):
        answer(store, ces_instrument(), f"A{n}", {"ces": a})
        answer(store, ces_instrument(), f"B{n}", {"ces": b}, at=MONDAY + week)
        answer(store, nps_instrument(), f"N{n}", {"nps": a + 3})
        answer(store, nps_instrument(), f"P{n}", {"nps": b + 5}, at=MONDAY + week)
    family = compare_periods(
        store,
        ["ces", "nps"],
        current=(MONDAY + week, MONDAY + week + timedelta(days=1)),
        previous=(MONDAY, MONDAY + timedelta(days=1)),
    )
    ces, nps = family.comparisons.values()
    expected = stats.mannwhitneyu(after, before, use_continuity=True, method="asymptotic")
    assert ces.kind.value == "ratings"
    assert loose(ces.statistic, ces.p_value) == (
        pytest.approx(expected.statistic),
        pytest.approx(expected.pvalue),
    )
    assert ces.change.value == "worse"
    # NPS: this week 8,9,9,10,7,6 (3 promoters, 1 detractor); last week 10,9,9,8,10,7
    p1, d1, p2, d2 = 3 / 6, 1 / 6, 4 / 6, 0.0
    se = 100 * math.sqrt((p1 + d1 - (p1 - d1) ** 2) / 6 + (p2 + d2 - (p2 - d2) ** 2) / 6)
    assert nps.kind.value == "nps"
    assert nps.difference == pytest.approx(100 * ((p1 - d1) - (p2 - d2)))
    assert nps.difference is not None
    assert nps.p_value == pytest.approx(2 * stats.norm.sf(abs(nps.difference) / se))
    _, adjusted, _, _ = multipletests([ces.p_value, nps.p_value], method="fdr_bh")
    assert loose(ces.adjusted_p_value, nps.adjusted_p_value) == tuple(
        pytest.approx(q) for q in adjusted
    )


def test_answer_counts_by_weekday_and_hour_in_a_half_hour_zone(store: Any) -> None:
    survey = csat_instrument()
    at = datetime(2026, 10, 31, 18, 15, tzinfo=UTC)  # 23:45 Saturday in Kolkata
    answer(store, survey, "K1", {"csat": 5}, at=at)
    answer(store, survey, "K2", {"csat": 4}, at=at + timedelta(minutes=30))  # 00:15 Sunday
    with store.unit_of_work(read_only=True) as uow:
        rows = uow.surveys.answer_counts(
            start=datetime(2026, 10, 1, tzinfo=UTC),
            end=datetime(2026, 12, 1, tzinfo=UTC),
            question_ids=["csat"],
            group_by=["month", "weekday", "hour"],
            timezone="Asia/Kolkata",
        )
        got = [(r.month, r.weekday, r.hour, r.value, r.count) for r in rows]
    assert got == [
        (date(2026, 10, 1), 6, 23, 5, 1),
        (date(2026, 11, 1), 7, 0, 4, 1),
    ]


def test_stored_expectation_gaps_by_store_and_with_no_answers(store: Any) -> None:
    first, second = servqual_instrument(), servqual_instrument(edition=2)
    for n, (instrument, store_id) in enumerate(
        [(first, "S1"), (second, "S1"), (first, "S2"), (second, "S2")]
    ):
        answer(
            store,
            instrument,
            f"V{n}",
            {"e10": 6 + n % 2, "p10": 3},
            store_id=store_id,
            channel="meeting",
        )
    levels = [ServiceStandardLevel("responsiveness", 5.0, STANDARD)]
    [everywhere] = stored_expectation_gaps(store, levels, start=MARCH[0], end=MARCH[1])
    assert loose(everywhere.n, everywhere.measured, everywhere.instrument_edition) == (
        4,
        6.5,
        None,  # two editions answered
    )
    [s1] = stored_expectation_gaps(store, levels, start=MARCH[0], end=MARCH[1], store_id="S1")
    assert (s1.n, s1.store_id) == (2, "S1")
    # No response in the period: no finding (docs/gaps.md).
    assert not stored_expectation_gaps(
        store, levels, start=MARCH[1], end=MARCH[1] + timedelta(days=1)
    )


def test_expectation_gaps_list_every_bad_argument_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        expectation_gaps(
            [
                ServiceStandardLevel("responsiveness", 8.0, STANDARD),
                ServiceStandardLevel("responsiveness", 5.0, STANDARD),
            ],
            [ServqualResponse({10: 9}, {}), 5],  # type: ignore[list-item]
            scale=7,
            confidence=2,
        )
    text = str(caught.value)
    for path in (
        "$.levels[0].level",
        "$.levels[1].dimension",
        "$.confidence",
        "$.responses[0]",
        "$.responses[1]",
    ):
        assert path in text, path


def test_a_gap_on_a_value_without_noise_has_no_p_value() -> None:
    aht = criterion("lower", 300.0, 360.0, indicator_id="aht")
    at = datetime(2026, 3, 1, tzinfo=UTC)
    census = IndicatorValue(
        indicator_id="aht", direction="lower", unit="seconds", value=310.0, n=900
    )
    flat = IndicatorValue(
        indicator_id="aht",
        direction="lower",
        unit="seconds",
        value=300.0,
        n=900,
        interval=Interval(low=300.0, high=300.0, confidence=0.95),
    )
    over, on = standard_gaps(evaluate_criteria([aht], [census, flat], at=at))
    assert loose(over.size, over.p_value, over.significant, over.shortfall) == (
        -10.0,
        None,
        True,
        True,
    )
    assert loose(on.size, on.p_value, on.significant, on.shortfall) == (0.0, None, False, False)
    frame = standard_gaps(evaluate_criteria([aht], [census], at=at)).to_dataframe()
    assert list(frame["size"]) == [-10.0]


# --------------------------------------------------------------------------------------------
# Resolution times against each complaint's own business time; pledges; consent over time
# --------------------------------------------------------------------------------------------


def test_resolution_time_percentiles_are_those_of_each_complaints_resolution_time(
    store: Any,
) -> None:
    import random

    rnd = random.Random(7)
    complaints = []
    for n in range(23):
        at = MONDAY + timedelta(hours=rnd.randrange(0, 20 * 24))
        complaint = (
            Complaint.receive(
                id=f"RT{n}",
                at=at,
                channel="hotline",
                store_id="S1",
                category="delivery",
                sla_policy=POLICY if n % 7 else None,  # without a policy: no business time
            )
            .acknowledge(at=at)
            .assess(at=at, severity=1, priority="low")
            .investigate(at=at)
        )
        step = at + timedelta(hours=rnd.uniform(1, 60))
        if n % 3 == 0:  # a spell waiting on the customer: the clock stops
            complaint = complaint.wait_on_customer(at=step, reason="photos").record_reply(
                at=step + timedelta(hours=rnd.uniform(1, 48))
            )
            step += timedelta(hours=50)
        complaint = complaint.respond(at=step, remedy="apology").accept(at=step)
        if n % 5 == 4:  # still open
            complaints.append(complaint)
            continue
        complaint = complaint.close(at=step, root_cause="late", corrective_action="courier")
        if n % 4 == 1:  # reopened and closed again
            again = step + timedelta(hours=rnd.uniform(1, 30))
            done = again + timedelta(hours=rnd.uniform(1, 30))
            complaint = (
                complaint.reopen(at=again, reason="not fixed")
                .respond(at=done, remedy="refund")
                .accept(at=done)
                .close(at=done, root_cause="late", corrective_action="courier")
            )
        complaints.append(complaint)
    add_complaints(store, complaints)
    seconds = [
        c.resolution_time().total_seconds()  # type: ignore[union-attr]
        for c in complaints
        if c.resolution_time() is not None
    ]
    got = values(
        compute_indicators(
            store,
            ["resolution_time_median", "resolution_time_p90"],
            start=MARCH[0],
            end=MARCH[1],
        )
    )
    assert got["resolution_time_median"][1] == len(seconds)
    assert got["resolution_time_median"][0] == pytest.approx(np.percentile(seconds, 50))
    assert got["resolution_time_p90"][0] == pytest.approx(np.percentile(seconds, 90))


def test_a_pledge_indicator_is_its_attainment_as_of_the_periods_end(store: Any) -> None:
    from retail_service_quality import PledgeStandard, ServicePledge, pledge_attainment

    pledge = ServicePledge.create(
        id="hotline-30s",
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        wording="We answer 80% of hotline calls within 30 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        target_share=0.8,
    )
    with store.unit_of_work() as uow:
        uow.pledges.add(pledge)
        uow.commit()
    add_interactions(
        store,
        [
            call(f"PL{n}", MONDAY + timedelta(minutes=n), queue=n % 50, store_id=f"S{n % 2}")
            for n in range(120)
        ],
    )
    mine = IndicatorDefinition(
        id="pledge_hotline",
        name="Hotline pledge",
        measure="pledge_attainment",
        statistic="share",
        unit="share",
        direction="higher",
        pledge_id="hotline-30s",
    )
    rows = compute_indicators(store, [mine], start=MARCH[0], end=MARCH[1], group_by=["store"])
    attained = pledge_attainment(
        store, pledge, start=MARCH[0], end=MARCH[1], now=MARCH[1], group_by=["store"]
    )
    assert [(r.store_id, r.successes, r.n) for r in rows] == [
        (a.store_id, a.met, a.n) for a in attained
    ]
    assert [r.value for r in rows] == pytest.approx([a.share for a in attained])


def test_consent_coverage_reads_the_ledger_at_the_periods_last_instant(store: Any) -> None:
    from retail_service_quality.customers.consent import ConsentWithdrawn

    created = datetime(2026, 2, 1, tzinfo=UTC)

    def consent(id: str, at: datetime) -> list[Any]:
        return [
            NoticeServed(
                event_id=f"N-{id}",
                customer_id=id,
                at=at,
                evidence="form:F-1",
                notice_version="2026-01",
                data_kinds=["mobile_number"],
                marketing_classes=["cosmetics"],
            ),
            ConsentGiven(
                event_id=f"G-{id}",
                customer_id=id,
                at=at,
                evidence="form:F-1",
                method="written",
                scope="own_marketing",
                data_kinds=["mobile_number"],
                marketing_classes=["cosmetics"],
                notice_version="2026-01",
                explicit=True,
            ),
        ]

    add_customers(store, "W1", "W2", "W3", "W4", created_at=created)
    with store.unit_of_work() as uow:
        uow.consent.append_many(consent("W1", created))  # in force
        uow.consent.append_many(consent("W2", created))  # withdrawn before the end
        uow.consent.append(
            ConsentWithdrawn(
                event_id="X-W2",
                customer_id="W2",
                at=MARCH[1] - timedelta(days=1),
                evidence="mail:M-1",
                scope="own_marketing",
            )
        )
        uow.consent.append_many(consent("W3", MARCH[1]))  # given at the end: too late
        uow.commit()
    [row] = compute_indicators(store, ["consent_coverage"], start=MARCH[0], end=MARCH[1])
    assert (row.successes, row.n) == (1, 4)
    erase_customer(store, customer_id="W4", at=MARCH[0], hasher=KeyedHasher(b"k" * 32))
    [row] = compute_indicators(store, ["consent_coverage"], start=MARCH[0], end=MARCH[1])
    assert (row.successes, row.n) == (1, 3)


def test_a_repeat_contact_after_the_period_still_counts(store: Any) -> None:
    add_customers(store, "C1")
    last_day = MARCH[1] - timedelta(hours=1)
    add_interactions(
        store,
        [
            call("L1", last_day, customer="C1", subject="returns"),
            call("L2", MARCH[1] + timedelta(days=2), customer="C1", subject="returns"),
        ],
    )
    [row] = compute_indicators(store, ["fcr_internal"], start=MARCH[0], end=MARCH[1])
    assert (row.successes, row.n) == (0, 1)


def test_a_reverse_scored_rating_is_turned_before_it_feeds_an_indicator(store: Any) -> None:
    try:
        survey = SurveyInstrument(
            id="negative",
            title="Tell us what went wrong",
            published_at=datetime(2026, 1, 1, tzinfo=UTC),
            questions=[
                SurveyQuestion(
                    id="dear",
                    text="Our prices are too high.",
                    kind="rating",
                    low=1,
                    high=5,
                    measures="product_price",
                    reverse_scored=True,
                ),
                SurveyQuestion(
                    id="unhappy",
                    text="I was unhappy with the service.",
                    kind="rating",
                    low=1,
                    high=5,
                    measures="csat",
                    reverse_scored=True,
                ),
            ],
        )
    except ValidationError:
        return  # refusing a negatively worded question for these measures is sound too
    for n, (dear, unhappy) in enumerate([(1, 1), (2, 1), (1, 2)]):
        answer(store, survey, f"V{n}", {"dear": dear, "unhappy": unhappy})
    got = {
        row.indicator_id: row
        for row in compute_indicators(
            store, ["product_price", "csat"], start=MARCH[0], end=MARCH[1]
        )
    }
    # scored low + high - x: prices rated 5, 4, 5; satisfaction 5, 5, 4
    assert got["product_price"].value == pytest.approx((5 + 4 + 5) / 3)
    assert (got["csat"].successes, got["csat"].n) == (3, 3)


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=10**6),
    share=st.floats(min_value=0, max_value=1),
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_wilson_intervals_match_statsmodels(n: int, share: float, confidence: float) -> None:
    successes = round(share * n)
    interval = wilson_interval(successes, n, confidence=confidence)
    low, high = proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    assert interval.low == pytest.approx(low, abs=1e-12)
    assert interval.high == pytest.approx(high, abs=1e-12)
    assert interval.confidence == confidence


def test_comparisons_without_the_data_to_test_are_not_enough_data() -> None:
    from retail_service_quality import MeanPair, NpsPair

    untestable: list[MeanPair | NpsPair | RatingPair] = [
        MeanPair(label="one case", n1=1, mean1=3.0, variance1=0.0, n2=5, mean2=3.0, variance2=1.0),
        NpsPair(
            label="no spread",
            promoters1=5,
            passives1=0,
            detractors1=0,
            promoters2=0,
            passives2=0,
            detractors2=5,
        ),
        RatingPair(label="all tied", counts1=(0, 0, 4), counts2=(0, 0, 7)),
    ]
    for pair in untestable:
        result = compare(pair)
        assert result.change.value == "not_enough_data", pair.label
        assert result.p_value is None, pair.label
        assert result.note, pair.label


def test_a_values_own_unit_wins_over_its_stores_and_a_units_criterion_over_the_general() -> None:
    general = criterion(id="general", target=0.8, amber=0.7)
    stores = criterion(id="stores", target=0.9, amber=0.7, business_unit="stores")
    online = criterion(id="online", target=0.5, amber=0.4, business_unit="online")
    judged = evaluate_criteria(
        [general, stores, online],
        [
            IndicatorValue(indicator_id="csat", store_id="S1", value=0.85, n=1000),
            IndicatorValue(
                indicator_id="csat", store_id="S1", business_unit="online", value=0.85, n=1000
            ),
            IndicatorValue(indicator_id="csat", store_id="S9", value=0.85, n=1000),
        ],
        at=datetime(2026, 3, 1, tzinfo=UTC),
        business_units={"S1": "stores"},
    )
    assert [(r.criterion_id, r.business_unit, r.status.value) for r in judged] == [
        ("stores", "stores", "amber"),
        ("online", "online", "green"),
        ("general", None, "green"),
    ]


@functools.cache
def validator_of(cls: type) -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    return Draft202012Validator(json_schema(cls))


def schema_errors(cls: type, value: object) -> list[str]:
    found = validator_of(cls).iter_errors(json.loads(to_json(value)))
    return [error.message for error in found]


def test_builtin_definitions_and_instruments_are_valid_against_their_schemas() -> None:
    catalogue = IndicatorCatalogue.builtin()
    assert schema_errors(IndicatorCatalogue, catalogue) == []
    for definition in catalogue.definitions:
        assert schema_errors(IndicatorDefinition, definition) == [], definition.id
    for factory in (
        servqual_instrument,
        csat_instrument,
        nps_instrument,
        ces_instrument,
        product_requirements_instrument,
    ):
        assert schema_errors(SurveyInstrument, factory()) == [], factory.__name__
    assert schema_errors(SurveyInstrument, servqual_instrument(negatively_worded=True)) == []


@settings(max_examples=20, deadline=None)
@given(instruments())
def test_generated_instruments_are_valid_against_the_schema(instrument: SurveyInstrument) -> None:
    assert schema_errors(SurveyInstrument, instrument) == []


def test_a_catalogue_of_ones_own_is_the_one_read(store: Any) -> None:
    add_interactions(
        store, [call(f"Q{n}", MONDAY, queue=10 * n) for n in range(5)]
    )  # 0, 10, 20, 30, 40 s
    thirty = IndicatorDefinition(
        id="service_level",
        name="Service level (30 s)",
        measure="answered_within",
        statistic="share",
        unit="share",
        direction="higher",
        within=timedelta(seconds=30),
    )
    catalogue = IndicatorCatalogue([thirty])
    arguments: dict[str, Any] = {"start": MARCH[0], "end": MARCH[1], "catalogue": catalogue}
    assert values(compute_indicators(store, ["service_level"], **arguments)) == {
        "service_level": (0.8, 5)
    }
    assert values(compute_indicators(store, None, **arguments)) == {"service_level": (0.8, 5)}
    assert values(compute_indicators(store, ["service_level"], start=MARCH[0], end=MARCH[1])) == {
        "service_level": (0.6, 5)
    }
    with pytest.raises(ValidationError) as caught:
        compute_indicators(store, ["aht"], **arguments)
    assert "$.indicators[0]" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        compute_indicators(store, [thirty, "service_level"], start=MARCH[0], end=MARCH[1])
    assert "$.indicators[1]" in str(caught.value)


def test_survey_answers_in_the_skipped_london_hour_do_not_exist(store: Any) -> None:
    survey = nps_instrument()
    for n, minutes in enumerate([30, 90]):  # 00:30 GMT, then 02:30 BST
        answer(
            store,
            survey,
            f"J{n}",
            {"nps": 10 - 4 * n},
            at=datetime(2026, 3, 29, tzinfo=UTC) + timedelta(minutes=minutes),
        )
    rows = compute_indicators(
        store,
        ["nps"],
        start=datetime(2026, 3, 28, tzinfo=UTC),
        end=datetime(2026, 3, 30, tzinfo=UTC),
        group_by=["hour"],
        timezone="Europe/London",
    )
    assert [(r.hour, r.value, r.n) for r in rows] == [(0, 100.0, 1), (2, -100.0, 1)]


def test_a_pledge_gap_lists_the_versions_in_force_over_the_period() -> None:
    from retail_service_quality import AttainmentRow, PledgeStandard, ServicePledge, pledge_gaps

    first = ServicePledge.create(
        id="hotline",
        effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        wording="We answer 80% of calls within 30 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        target_share=0.8,
    )
    raised = first.revise(
        effective_from=datetime(2026, 3, 15, tzinfo=UTC),
        reason="new phones",
        wording="We answer 80% of calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
    )
    row = AttainmentRow(
        pledge_id="hotline",
        n=50,
        met=39,
        not_met=11,
        share=0.78,
        target=0.8,
        gap=-0.02,
        p_value=float(stats.binomtest(39, 50, 0.8, alternative="less").pvalue),
    )

    def versions(start: datetime | None, end: datetime | None) -> Any:
        [finding] = pledge_gaps([row], pledges=[raised], start=start, end=end)
        return finding.pledge_versions

    mid = datetime(2026, 3, 15, tzinfo=UTC)
    assert versions(MARCH[0], MARCH[1]) == (1, 2)
    assert versions(MARCH[0], mid) == (1,)  # the end is left out
    assert versions(mid, MARCH[1]) == (2,)
    assert versions(None, None) == (1, 2)
    [finding] = pledge_gaps([row])
    assert finding.pledge_versions == ()
    assert loose(finding.size, finding.significant, finding.shortfall) == (-0.02, False, True)


def test_a_pledge_gap_reads_a_p_value_computed_with_scipy() -> None:
    from retail_service_quality import AttainmentRow, pledge_gaps

    p_value = stats.binomtest(39, 50, 0.8, alternative="less").pvalue  # numpy.float64
    assert isinstance(p_value, float)
    row = AttainmentRow(
        pledge_id="hotline",
        n=50,
        met=39,
        not_met=11,
        share=0.78,
        target=0.8,
        gap=-0.02,
        p_value=p_value,
    )
    [finding] = pledge_gaps([row])
    assert finding.p_value == pytest.approx(p_value)
    assert finding.significant is False
