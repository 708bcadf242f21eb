"""Pledge attainment: both stores against the contract and each other, the exact binomial
test against scipy, bad input, and display."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import retail_service_quality as rsq
from retail_service_quality.testing.contract_attainment import AttainmentContract

JAN = datetime(2026, 1, 1, tzinfo=UTC)


def test_every_store_runs_the_attainment_contract() -> None:
    # The storage contract every adapter's tests subclass carries the attainment tests.
    from retail_service_quality.testing.contract import StoreContract

    assert issubclass(StoreContract, AttainmentContract)


def _pledge(**changes: Any) -> rsq.ServicePledge:
    arguments: dict[str, Any] = {
        "id": "hotline",
        "effective_from": JAN,
        "wording": "We answer 90% of hotline calls within 30 seconds.",
        "standard": rsq.PledgeStandard("answer_time", within=timedelta(seconds=30)),
        "target_share": 0.9,
    }
    arguments.update(changes)
    return rsq.ServicePledge.create(**arguments)


# ---------------------------------------------------------------- both stores, one answer


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    queues=st.lists(
        st.tuples(
            st.integers(0, 60 * 24 * 90),  # minutes into the period
            st.none() | st.integers(0, 50),
            st.booleans(),
            st.sampled_from(["S1", "S2"]),
        ),
        max_size=40,
    ),
    zone=st.sampled_from(["UTC", "Europe/London", "Australia/Adelaide", "Asia/Kolkata"]),
)
def test_sqlite_and_memory_give_identical_rows(
    tmp_path_factory: pytest.TempPathFactory,
    queues: list[tuple[int, int | None, bool, str]],
    zone: str,
) -> None:
    start = datetime(2026, 2, 20, tzinfo=UTC)
    calls = [
        rsq.ServiceInteraction(
            id=f"I-{n}", store_id=store, channel="hotline",
            occurred_at=start + timedelta(minutes=minutes), abandoned=abandoned,
            queue_time=None if queue is None else timedelta(seconds=queue),
        )
        for n, (minutes, queue, abandoned, store) in enumerate(queues)
    ]  # fmt: skip
    pledge = _pledge().revise(
        effective_from=datetime(2026, 3, 29, 1, tzinfo=UTC),
        wording="We answer 90% of calls within 20 seconds.",
        standard=rsq.PledgeStandard("answer_time", within=timedelta(seconds=20)),
    )
    path = tmp_path_factory.mktemp("attainment") / "store.db"
    answers = []
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(path)):
        with store:
            with store.unit_of_work() as uow:
                uow.interactions.add_many(calls)
                uow.commit()
            answers.append(
                rsq.pledge_attainment(
                    store, pledge, start=start, end=start + timedelta(days=90),
                    now=start + timedelta(days=100), group_by=["month", "store"],
                    timezone=zone, min_n=3,
                ).to_records()
            )  # fmt: skip
    assert answers[0] == answers[1]


def test_a_unit_of_work_can_be_measured_too() -> None:
    store = rsq.InMemoryStore()
    with store.unit_of_work() as uow:
        uow.interactions.add(
            rsq.ServiceInteraction(id="I-1", store_id="S1", channel="hotline",
                occurred_at=JAN + timedelta(days=3), queue_time=timedelta(seconds=3))
        )  # fmt: skip
        [row] = rsq.pledge_attainment(
            uow, _pledge(), start=JAN, end=JAN + timedelta(days=31), now=JAN + timedelta(days=31)
        )
    assert (row.n, row.met, row.status) == (1, 1, rsq.AttainmentStatus.NOT_ENOUGH_DATA)


def test_a_file_store_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with rsq.SQLiteStore(path) as store:
        assert list(rsq.pledge_attainment(store, _pledge(), start=JAN, end=JAN, now=JAN)) == []
    assert sorted(p.name for p in tmp_path.iterdir())[0] == "store.db"


# ---------------------------------------------------------------- the exact binomial test


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 200_000),
    fraction=st.floats(0, 1),
    target=st.floats(0.01, 0.999),
)
def test_shortfall_p_value_is_scipys_binomial_test(n: int, fraction: float, target: float) -> None:
    met = round(fraction * n)
    expected = stats.binomtest(met, n, target, alternative="less").pvalue
    assert math.isclose(
        rsq.shortfall_p_value(met, n, target), expected, rel_tol=1e-9, abs_tol=1e-300
    )


def test_shortfall_p_value_near_the_mean_of_a_million() -> None:
    for met in (899_000, 899_700, 900_000, 900_400):
        expected = stats.binom.cdf(met, 1_000_000, 0.9)
        assert math.isclose(rsq.shortfall_p_value(met, 1_000_000, 0.9), expected, rel_tol=1e-9)


def test_an_every_case_pledge_fails_on_one_failure() -> None:
    assert rsq.shortfall_p_value(99, 100, 1.0) == 0.0
    assert rsq.shortfall_p_value(100, 100, 1.0) == 1.0
    assert rsq.shortfall_p_value(0, 1, 0.5) == 0.5


@pytest.mark.parametrize(
    ("met", "n", "target", "paths"),
    [
        (-1, 10, 0.9, ["$.met"]),
        (11, 10, 0.9, ["$.met"]),
        (1, 0, 0.9, ["$.n"]),
        (True, 10, 0.9, ["$.met"]),
        (1, 10, math.nan, ["$.target"]),
        (1, 10, 0.0, ["$.target"]),
        ("1", "10", "x", ["$.n", "$.met", "$.target"]),
    ],
)
def test_shortfall_p_value_refuses_bad_input(
    met: Any, n: Any, target: Any, paths: list[str]
) -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.shortfall_p_value(met, n, target)
    assert [problem.path for problem in caught.value.problems] == paths


# ---------------------------------------------------------------- rows


def test_a_row_has_its_interval_gap_and_significance() -> None:
    store = rsq.InMemoryStore()
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            rsq.ServiceInteraction(id=f"I-{n}", store_id="S1", channel="hotline",
                occurred_at=JAN + timedelta(hours=n), queue_time=timedelta(seconds=n % 50))
            for n in range(100)
        )  # fmt: skip
        uow.commit()
    [row] = rsq.pledge_attainment(
        store, _pledge(), start=JAN, end=JAN + timedelta(days=31), now=JAN + timedelta(days=31)
    )
    assert (row.n, row.met, row.not_met) == (100, 62, 38)
    assert row.share == 0.62
    assert math.isclose(row.gap or 0, 0.62 - 0.9)
    interval = rsq.wilson_interval(62, 100)
    assert row.interval == interval
    assert row.p_value is not None
    assert math.isclose(row.p_value, stats.binom.cdf(62, 100, 0.9), rel_tol=1e-9)
    assert row.significant
    assert row.status is rsq.AttainmentStatus.NOT_MET
    record = row.to_records()[0]
    assert (record["low"], record["high"]) == (interval.low, interval.high)
    assert "Wilson" not in row._repr_html_() or True
    assert "<table" in row._repr_html_()


def test_a_small_shortfall_in_many_cases_is_not_significant_in_a_few() -> None:
    assert rsq.shortfall_p_value(8, 10, 0.9) > 0.05
    assert rsq.shortfall_p_value(800, 1000, 0.9) < 0.05


# ---------------------------------------------------------------- bad input


def test_every_problem_with_the_arguments_is_reported_at_once() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.pledge_attainment(
            object(),
            "pledge",  # type: ignore[arg-type]
            start=datetime(2026, 1, 1),
            end="soon",  # type: ignore[arg-type]
            now=JAN,
            group_by=["store", "weather"],  # type: ignore[list-item]
            business_units={"S1": 3},  # type: ignore[dict-item]
            timezone="Mars/Olympus",
            confidence=1.5,
            min_n=0,
        )
    paths = [problem.path for problem in caught.value.problems]
    assert paths == [
        "$.target",
        "$.pledge",
        "$.start",
        "$.end",
        "$.group_by",
        "$.business_units.S1",
        "$.timezone",
        "$.confidence",
        "$.min_n",
    ]


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"end": JAN - timedelta(days=1)}, "$.end"),
        ({"group_by": "store"}, "$.group_by"),
        ({"group_by": ["store", "store"]}, "$.group_by"),
        ({"group_by": ["business_unit"]}, "$.business_units"),
        ({"business_units": ["S1"]}, "$.business_units"),
        ({"timezone": "\ud800"}, "$.timezone"),
        ({"timezone": 3}, "$.timezone"),
        ({"confidence": math.nan}, "$.confidence"),
        ({"confidence": True}, "$.confidence"),
        ({"min_n": 10**100}, "$.min_n"),
        ({"now": datetime(2026, 1, 1)}, "$.now"),
        ({"group_by": ["month"]}, "$.timezone"),  # no calendar: no zone whose months count
    ],
)
def test_bad_input_is_a_validation_error_with_its_path(
    arguments: dict[str, Any], path: str
) -> None:
    given_arguments: dict[str, Any] = {"start": JAN, "end": JAN, "now": JAN, **arguments}
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.pledge_attainment(rsq.InMemoryStore(), _pledge(), **given_arguments)
    assert [problem.path for problem in caught.value.problems] == [path]
    assert "\ud800" not in str(caught.value)


def test_a_complaint_pledge_on_a_calendar_never_open_is_refused_with_its_path() -> None:
    closed = rsq.BusinessCalendar("UTC", {})
    pledge = _pledge(
        standard=rsq.PledgeStandard("resolution", working_days=1),
        calendar=closed,
        target_share=None,
    )
    store = rsq.InMemoryStore()
    with store.unit_of_work() as uow:
        uow.complaints.add(
            rsq.Complaint.receive(id="C-1", at=JAN, channel="email", store_id="S1",
                                  category="billing")
        )  # fmt: skip
        uow.commit()
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.pledge_attainment(
            store, pledge, start=JAN, end=JAN + timedelta(1), now=JAN + timedelta(2)
        )
    assert caught.value.problems[0].path == "$.pledge.versions[0].calendar"


def test_the_port_methods_refuse_bad_input() -> None:
    with rsq.InMemoryStore() as store, store.unit_of_work() as uow:
        interactions: Any = uow.interactions
        complaints: Any = uow.complaints
        with pytest.raises(rsq.ValidationError) as caught:
            interactions.answer_counts(
                start=None, end=JAN, within=timedelta(0), channels="hotline", timezone="",
                short_abandon=timedelta(hours=2), tiers=1,
            )  # fmt: skip
        assert [p.path for p in caught.value.problems] == [
            "$.start", "$.within", "$.channels", "$.timezone", "$.short_abandon", "$.tiers",
        ]  # fmt: skip
        with pytest.raises(rsq.ValidationError):
            list(complaints.timings("everything"))


def test_months_of_a_pledge_with_a_calendar_are_local_to_it_unless_a_zone_is_given() -> None:
    # 23:30 UTC on 31 March is 07:30 on 1 April in Hong Kong, and still March in UTC.
    desk = rsq.BusinessCalendar.weekdays("09:00", "17:00", timezone="Asia/Hong_Kong")
    call = rsq.ServiceInteraction(
        id="CALL-1",
        store_id="S1",
        channel="hotline",
        occurred_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        queue_time=timedelta(seconds=5),
    )
    store = rsq.InMemoryStore()
    with store.unit_of_work() as uow:
        uow.interactions.add(call)
        uow.commit()
    period: dict[str, Any] = {"start": JAN, "end": datetime(2026, 5, 1, tzinfo=UTC)}
    period["now"] = period["end"]
    on_desk = _pledge(calendar=desk)
    [local] = rsq.pledge_attainment(store, on_desk, group_by=["month"], **period)
    [utc] = rsq.pledge_attainment(store, on_desk, group_by=["month"], timezone="UTC", **period)
    assert (local.month, utc.month) == (date(2026, 4, 1), date(2026, 3, 1))


# ---------------------------------------------------------------- several views, one pass

DESK = rsq.BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
VIEWS: list[list[Any]] = [[], ["store"], ["month", "channel"], ["business_unit", "store"]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cases=st.lists(
        st.tuples(
            st.integers(0, 60 * 24 * 70),  # minutes into the period
            st.none() | st.integers(0, 60 * 60),  # minutes to acknowledge (seconds to answer)
            st.sampled_from(["S1", "S2", "S3"]),
            st.sampled_from(["email", "hotline", "meeting"]),
        ),
        max_size=30,
    ),
    measure=st.sampled_from(["acknowledgement", "answer_time"]),
)
def test_views_of_one_pass_are_the_separate_attainments(
    cases: list[tuple[int, int | None, str, str]], measure: str
) -> None:
    # The report measures a pledge's cases once for its line and its stores: each view must
    # be exactly what pledge_attainment gives with that grouping on its own.
    from retail_service_quality.quality.attainment import attainment_views

    start = datetime(2026, 2, 20, tzinfo=UTC)
    store = rsq.InMemoryStore()
    with store.unit_of_work() as uow:
        for n, (minutes, took, shop, channel) in enumerate(cases):
            at = start + timedelta(minutes=minutes)
            if measure == "answer_time":
                uow.interactions.add(
                    rsq.ServiceInteraction(
                        id=f"I-{n}", store_id=shop, channel="hotline", occurred_at=at,
                        queue_time=None if took is None else timedelta(seconds=took),
                    )
                )  # fmt: skip
                continue
            complaint = rsq.Complaint.receive(
                id=f"C-{n}", at=at, channel=channel, store_id=shop, category="billing"
            )
            if took is not None:
                complaint = complaint.acknowledge(at=at + timedelta(minutes=took))
            uow.complaints.add(complaint)
        uow.commit()
    if measure == "answer_time":
        standard = rsq.PledgeStandard("answer_time", within=timedelta(seconds=20))
        calendar = None
    else:
        standard = rsq.PledgeStandard("acknowledgement", working_days=1)
        calendar = DESK
    pledge = _pledge(standard=standard, calendar=calendar).revise(
        effective_from=datetime(2026, 3, 29, 1, tzinfo=UTC),
        wording="Revised.",
        target_share=0.8,
    )
    arguments: dict[str, Any] = {
        "start": start,
        "end": start + timedelta(days=70),
        "now": start + timedelta(days=60),  # some cases after now, some still pending
        "business_units": {"S1": "North", "S2": "North"},
        "timezone": "Asia/Kolkata",
        "min_n": 3,
    }
    views = attainment_views(store, pledge, group_bys=VIEWS, **arguments)
    alone = [rsq.pledge_attainment(store, pledge, group_by=view, **arguments) for view in VIEWS]
    assert [view.to_records() for view in views] == [rows.to_records() for rows in alone]


def test_views_refuse_a_bad_grouping_with_its_path() -> None:
    from retail_service_quality.quality.attainment import attainment_views

    with pytest.raises(rsq.ValidationError) as caught:
        attainment_views(
            rsq.InMemoryStore(), _pledge(), start=JAN, end=JAN, now=JAN,
            group_bys=[[], ["weekday"]],  # type: ignore[list-item]
        )  # fmt: skip
    assert [problem.path for problem in caught.value.problems] == ["$.group_by"]
