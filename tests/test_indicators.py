"""The indicator catalogue, definitions as data, and indicators computed from a store."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_complaint_analysis import analysed_complaint
from retail_service_quality.testing.contract_indicators import IndicatorContract

DOCS = Path(__file__).parent.parent / "docs" / "indicators.md"
START = datetime(2026, 10, 24, tzinfo=UTC)
SECRET = "Mrs Chan, 9876 5432"
ATTAINMENT = rsq.IndicatorDefinition(
    id="hotline_pledge", name="Hotline pledge", measure="pledge_attainment", statistic="share",
    unit="share", direction="higher", pledge_id="hotline",
)  # fmt: skip
MOOD = rsq.IndicatorDefinition(
    id="mood", name="Mood", measure="survey_answer", statistic="mean", unit="rating",
    direction="higher", question="mood",
)  # fmt: skip


def test_the_shipped_contract_covers_the_indicators() -> None:
    assert issubclass(StoreContract, IndicatorContract)


def test_the_catalogue_page_lists_every_indicator_with_its_formula() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `([a-z0-9_]+)` \|(.*)\|$", text, re.MULTILINE)
    }
    catalogue = rsq.IndicatorCatalogue.builtin()
    assert set(rows) == set(catalogue.ids)
    for definition in catalogue:
        cells = [cell.strip() for cell in rows[definition.id].split("|")]
        assert cells[:6] == [
            definition.name,
            definition.source.value,
            definition.direction.value,
            definition.unit.value,
            definition.formula,
            definition.reference,
        ]


def test_the_catalogue_covers_the_reference_indicators() -> None:
    catalogue = rsq.IndicatorCatalogue.builtin()
    for needed in (
        "csat", "nps", "ces", "fcr_survey", "fcr_internal", "aht", "asa", "service_level",
        "abandonment_rate", "complaint_rate", "repeat_complaint_rate",
        "resolution_time_median", "resolution_time_p90", "consent_coverage",
        "product_range", "product_quality", "product_timeliness", "product_price",
    ):  # fmt: skip
        assert needed in catalogue
    for definition in catalogue:
        assert definition.statistic in definition.measure.statistics
        assert definition.formula
        assert definition.reference
    assert catalogue["aht"].direction is rsq.Direction.LOWER_IS_BETTER
    assert catalogue["csat"].top_box == 2
    assert catalogue["resolution_time_p90"].q == 90


def test_a_catalogue_refuses_an_id_given_twice_and_names_unknown_ones() -> None:
    catalogue = rsq.IndicatorCatalogue.builtin()
    with pytest.raises(rsq.ValidationError) as caught:
        catalogue.plus(catalogue["aht"])
    assert [problem.path for problem in caught.value.problems] == [
        f"$.definitions[{len(catalogue)}].id"
    ]
    with pytest.raises(rsq.NotFoundError):
        catalogue["no-such-indicator"]
    with pytest.raises(rsq.ValidationError):
        rsq.IndicatorCatalogue("csat")  # type: ignore[arg-type]


@pytest.mark.parametrize("definition", list(rsq.IndicatorCatalogue.builtin()))
def test_every_definition_round_trips_through_json(definition: rsq.IndicatorDefinition) -> None:
    assert rsq.from_json(rsq.to_json(definition), rsq.IndicatorDefinition) == definition


def test_a_catalogue_round_trips_and_reports_every_problem_at_once() -> None:
    catalogue = rsq.IndicatorCatalogue.builtin()
    assert rsq.from_json(rsq.to_json(catalogue), rsq.IndicatorCatalogue) == catalogue
    text = (
        '{"definitions": [{"id": "a", "name": "A", "measure": "contacts", "statistic": "count",'
        ' "unit": "count", "direction": "higher"}, {"id": "a", "name": 3}]}'
    )
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.from_json(text, rsq.IndicatorCatalogue)
    paths = [problem.path for problem in caught.value.problems]
    assert "$.definitions[1].id" in paths
    assert "$.definitions[1].name" in paths
    assert "$.definitions[1].measure" in paths


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"statistic": "mean"}, ["$.statistic"]),
        ({"within": None}, ["$.within"]),
        ({"q": 50}, ["$.q"]),
        ({"within": timedelta(seconds=-1)}, ["$.within"]),
        ({"within": timedelta(days=2)}, ["$.within"]),
        ({"short_abandon": "5s"}, ["$.short_abandon"]),
        ({"short_abandon": timedelta(seconds=21)}, ["$.short_abandon"]),
        (
            {
                "measure": "resolution_time",
                "statistic": "percentile",
                "unit": "seconds",
                "direction": "lower",
                "within": None,
                "q": 0.9,
            },
            ["$.q"],
        ),  # a percent, not a fraction
        (
            {
                "measure": "resolution_time",
                "statistic": "percentile",
                "unit": "seconds",
                "direction": "lower",
                "within": None,
                "q": True,
            },
            ["$.q"],
        ),
        ({"abandons": "sometimes"}, ["$.abandons"]),
        ({"channels": ["hotline", "carrier pigeon"]}, ["$.channels[1]"]),
        ({"direction": "sideways", "unit": 3}, ["$.unit", "$.direction"]),
        ({"id": "\ud800", "name": "  "}, ["$.id", "$.name"]),
    ],
)
def test_a_definition_reports_every_problem_with_its_path(
    changes: dict[str, Any], paths: list[str]
) -> None:
    fields: dict[str, Any] = {
        "id": "sl", "name": "SL", "measure": "answered_within", "statistic": "share",
        "unit": "share", "direction": "higher", "within": timedelta(seconds=20),
    }  # fmt: skip
    fields.update(changes)
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.IndicatorDefinition(**fields)
    assert sorted(problem.path for problem in caught.value.problems) == sorted(paths)
    assert "\ud800" not in str(caught.value)


def test_survey_statistics_need_their_scale_parameters() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.IndicatorDefinition(
            id="x", name="X", measure="survey_answer", statistic="top_box", unit="share",
            direction="higher", question="csat", scale=5, top_box=5, at_least=3,
        )  # fmt: skip
    assert sorted(problem.path for problem in caught.value.problems) == [
        "$.at_least",
        "$.top_box",
    ]


def test_an_indicator_value_checks_its_evidence() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.IndicatorValue(
            indicator_id="x", value=math.inf, n=-1, weekday=8, hour=24, month=date(2026, 3, 2),
            channel="pigeon", direction="up",
        )  # fmt: skip
    assert sorted(problem.path for problem in caught.value.problems) == [
        "$.channel", "$.direction", "$.hour", "$.month", "$.n", "$.value", "$.weekday",
    ]  # fmt: skip
    with pytest.raises(rsq.ValidationError):
        rsq.IndicatorValue(indicator_id="x", value=1.0, n=0)


def test_every_problem_with_the_arguments_is_reported_at_once() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.compute_indicators(
            object(),
            ["service_level", "no-such", 3, "service_level", MOOD],  # type: ignore[list-item]
            start=datetime(2026, 1, 1),
            end="soon",  # type: ignore[arg-type]
            group_by=["store", "weather"],
            business_units={"S1": 3},  # type: ignore[dict-item]
            catalogue="mine",  # type: ignore[arg-type]
            confidence=1.5,
        )
    assert [problem.path for problem in caught.value.problems] == [
        "$.target",
        "$.catalogue",
        "$.indicators[1]",
        "$.indicators[2]",
        "$.indicators[3]",
        "$.indicators[4]",
        "$.start",
        "$.end",
        "$.group_by",
        "$.business_units.S1",
        "$.confidence",
    ]


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"end": START - timedelta(days=1)}, "$.end"),
        ({"group_by": "store"}, "$.group_by"),
        ({"group_by": ["hour", "hour"]}, "$.group_by"),
        ({"group_by": ["business_unit"]}, "$.business_units"),
        ({"group_by": ["month"]}, "$.timezone"),
        ({"timezone": "Mars/Olympus"}, "$.timezone"),
        ({"timezone": "\ud800"}, "$.timezone"),
        ({"indicators": "aht"}, "$.indicators"),
        ({"confidence": math.nan}, "$.confidence"),
        ({"confidence": True}, "$.confidence"),
    ],
)
def test_bad_input_is_a_validation_error_with_its_path(
    arguments: dict[str, Any], path: str
) -> None:
    given_arguments: dict[str, Any] = {"start": START, "end": START, **arguments}
    indicators = given_arguments.pop("indicators", ["aht"])
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.compute_indicators(rsq.InMemoryStore(), indicators, **given_arguments)
    assert [problem.path for problem in caught.value.problems] == [path]
    assert "\ud800" not in str(caught.value)


def test_every_interaction_indicator_by_default_and_in_an_open_unit_of_work() -> None:
    store = rsq.InMemoryStore()
    call = rsq.ServiceInteraction(
        id="I-1", store_id="S1", channel="hotline", occurred_at=START,
        queue_time=timedelta(seconds=3), talk_time=timedelta(minutes=2), notes=SECRET,
    )  # fmt: skip
    with store.unit_of_work() as uow:
        uow.interactions.add(call)
        rows = rsq.compute_indicators(uow, start=START, end=START + timedelta(days=1))
    assert [row.indicator_id for row in rows] == [
        "fcr_internal", "aht", "asa", "service_level", "abandonment_rate",
    ]  # fmt: skip
    found = {row.indicator_id: (row.value, row.n) for row in rows}
    assert found["aht"] == (120.0, 1)
    assert found["fcr_internal"] == (None, 0)  # an anonymous call: no customer to repeat
    assert SECRET not in repr(rows)
    assert SECRET not in str(rows.to_records())


# ---------------------------------------------------------------- both stores, same answers

_GROUPS = st.lists(
    st.sampled_from(["store", "channel", "business_unit", "staff", "month", "weekday", "hour"]),
    unique=True,
    max_size=3,
)


@st.composite
def _calls(draw: st.DrawFn) -> list[rsq.ServiceInteraction]:
    found = []
    for number in range(draw(st.integers(0, 30))):
        abandoned = draw(st.integers(0, 5)) == 0
        at = START + timedelta(seconds=draw(st.integers(0, 40 * 86_400)))
        zone = draw(st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata"]))
        found.append(
            rsq.ServiceInteraction(
                id=f"I-{number}",
                store_id=draw(st.sampled_from(["S1", "S2", "S3"])),
                channel=draw(st.sampled_from(["hotline", "email"])),
                occurred_at=at.astimezone(ZoneInfo(zone)),
                queue_time=draw(st.none() | st.integers(0, 90).map(lambda s: timedelta(seconds=s))),
                talk_time=None if abandoned else timedelta(seconds=draw(st.integers(0, 600))),
                abandoned=abandoned,
                agent_id=draw(st.sampled_from([None, "A1", "A2"])),
                customer_id=draw(st.sampled_from([None, "C1"])),
                resolved_first_contact=draw(st.sampled_from([None, True, False])),
            )
        )
    return found


_POLICY = rsq.SlaPolicy(
    id="desk",
    calendar=rsq.BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong"),
    targets=[rsq.SlaTarget("resolution", business_time=timedelta(hours=40))],
)


@st.composite
def _complaints(draw: st.DrawFn) -> list[rsq.Complaint]:
    found = []
    for number in range(draw(st.integers(0, 12))):
        at = START + timedelta(seconds=draw(st.integers(-20 * 86_400, 40 * 86_400)))
        took = draw(st.none() | st.integers(1, 200))
        found.append(
            analysed_complaint(
                f"CMP-{number}",
                at=at.astimezone(ZoneInfo(draw(st.sampled_from(["UTC", "Europe/London"])))),
                store_id=draw(st.sampled_from(["S1", "S2", "S3"])),
                channel=draw(st.sampled_from(["hotline", "email"])),
                category=draw(st.sampled_from(["billing", "delivery"])),
                customer_id=draw(st.sampled_from([None, "C1"])),
                policy=draw(st.sampled_from([None, _POLICY])),
                root_cause=None if took is None else "late",
                took=timedelta(hours=took or 1),
            )
        )
    return found


_RATE_GROUPS = {"store", "business_unit", "month", "weekday"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calls=_calls(),
    complaints=_complaints(),
    group_by=_GROUPS,
    zone=st.sampled_from(["Europe/London", "Asia/Kolkata"]),
)
def test_both_stores_compute_the_same_indicators(
    calls: list[rsq.ServiceInteraction],
    complaints: list[rsq.Complaint],
    group_by: list[str],
    zone: str,
) -> None:
    sales = (
        [rsq.TransactionCount(store_id="S1", day=date(2026, 10, 25), count=400)]
        if set(group_by) <= _RATE_GROUPS
        else None
    )
    results = []
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        with store.unit_of_work() as uow:
            uow.customers.add(
                rsq.Customer(id="C1", name=SECRET, created_at=START - timedelta(days=9))
            )
            uow.interactions.add_many(calls)
            uow.complaints.add_many(complaints)
            uow.commit()
        results.append(
            rsq.compute_indicators(
                store,
                start=START,
                end=START + timedelta(days=30),
                group_by=group_by,
                timezone=zone,
                business_units={"S1": "north", "S2": "north"},
                transactions=sales,
            )
        )
        store.close()
    assert results[0] == results[1]
    for row in results[0]:
        if row.value is not None and row.unit == "share":
            assert 0 <= row.value <= 1
            assert row.interval is not None
            assert row.interval.low <= row.value <= row.interval.high


# ---------------------------------------------------------------- real changes


def test_a_pair_follows_the_evidence_of_its_values() -> None:
    share = rsq.indicator_pair(
        rsq.IndicatorValue(indicator_id="sl", value=0.5, n=4, successes=2),
        rsq.IndicatorValue(indicator_id="sl", value=0.25, n=4, successes=1),
    )
    assert isinstance(share, rsq.ProportionPair)
    nps = rsq.indicator_pair(
        rsq.IndicatorValue(
            indicator_id="nps", value=0.0, n=4, unit="nps_points",
            counts=[1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1],
        ),
        rsq.IndicatorValue(
            indicator_id="nps", value=-100.0, n=1, unit="nps_points",
            counts=[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ),
    )  # fmt: skip
    assert isinstance(nps, rsq.NpsPair)
    assert (nps.promoters1, nps.passives1, nps.detractors1) == (2, 0, 2)
    ratings = rsq.indicator_pair(
        rsq.IndicatorValue(indicator_id="ces", value=4.0, n=1, unit="rating", counts=[0, 0, 0, 1]),
        rsq.IndicatorValue(indicator_id="ces", value=2.0, n=1, unit="rating", counts=[0, 1, 0, 0]),
        label="ces this week vs last",
    )
    assert isinstance(ratings, rsq.RatingPair)
    assert ratings.label == "ces this week vs last"


def test_values_without_evidence_are_refused_with_their_paths() -> None:
    census = rsq.IndicatorValue(indicator_id="aht", value=300.0, n=40, unit="seconds")
    empty = rsq.IndicatorValue(indicator_id="aht")
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.indicator_pair(census, empty)
    assert [problem.path for problem in caught.value.problems] == ["$.first", "$.second"]
    with pytest.raises(rsq.ValidationError) as other:
        rsq.indicator_pair(
            rsq.IndicatorValue(indicator_id="a", value=0.5, n=2, successes=1),
            rsq.IndicatorValue(indicator_id="b", value=0.5, n=2, successes=1),
        )
    assert [problem.path for problem in other.value.problems] == ["$.second"]
    with pytest.raises(rsq.ValidationError):
        rsq.IndicatorValue(indicator_id="a", value=0.5, n=2, successes=2)  # not the value
    with pytest.raises(rsq.ValidationError):
        rsq.IndicatorValue(indicator_id="a", value=3.0, n=2, counts=[1, 0, 0])  # adds up to 1


def _two_weeks(store: Any) -> None:
    monday = datetime(2026, 3, 2, 9, tzinfo=UTC)
    calls = []
    for n in range(600):
        week = n % 2
        shop = "S1" if n % 3 else "S2"
        # S1 got much faster in the second week; S2 stayed the same.
        fast = (n % 5 != 0) if (week and shop == "S1") else (n % 5 < 2)
        calls.append(
            rsq.ServiceInteraction(
                id=f"C-{n}", store_id=shop, channel="hotline",
                occurred_at=monday + timedelta(days=7 * week, minutes=n),
                queue_time=timedelta(seconds=10 if fast else 40),
                talk_time=timedelta(minutes=3),
            )
        )  # fmt: skip
    with store.unit_of_work() as uow:
        uow.interactions.add_many(calls)
        uow.commit()


def test_only_the_real_change_is_marked_and_both_stores_agree() -> None:
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    families = []
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        _two_weeks(store)
        families.append(
            rsq.compare_periods(
                store,
                ["service_level", "aht"],
                current=(monday + timedelta(days=7), monday + timedelta(days=14)),
                previous=(monday, monday + timedelta(days=7)),
                group_by=["store"],
            )
        )
        store.close()
    assert families[0] == families[1]
    found = {c.label: c for c in families[0].comparisons.values()}
    assert sorted(found) == ["service_level S1", "service_level S2"]
    # aht covers every call: not a sample, not compared, and said so.
    assert dict(families[0].left_out) == {
        "aht S1": "covers every case: no sample to test",
        "aht S2": "covers every case: no sample to test",
    }
    s1, s2 = (families[0].comparison(label) for label in sorted(found))
    assert s1.change.value == "better"
    assert s1.significant
    assert s2.change.value == "no_real_change"
    assert s1.first is not None
    assert s1.second is not None
    assert s1.first > s1.second


def test_comparing_periods_reports_every_problem_at_once() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.compare_periods(
            rsq.InMemoryStore(),
            ["aht", "nope"],
            current=(1, 2),  # type: ignore[arg-type]
            previous=(datetime(2026, 1, 1), datetime(2026, 1, 2)),
            group_by=["month"],
            timezone="UTC",
        )
    assert [problem.path for problem in caught.value.problems] == [
        "$.current",
        "$.previous.start",
        "$.previous.end",
        "$.group_by",
        "$.indicators[1]",
    ]


def test_a_pledge_indicator_is_its_attainment_as_of_the_period_end() -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    pledge = rsq.ServicePledge.create(
        id="hotline", effective_from=start, wording="90% of calls answered within 20 s.",
        standard=rsq.PledgeStandard("answer_time", within=timedelta(seconds=20)),
        target_share=0.9,
    )  # fmt: skip
    store = rsq.SQLiteStore(":memory:")
    with store.unit_of_work() as uow:
        uow.pledges.add(pledge)
        uow.interactions.add_many(
            rsq.ServiceInteraction(
                id=f"C-{n}", store_id="S1" if n % 2 else "S2", channel="hotline",
                occurred_at=start + timedelta(hours=n), queue_time=timedelta(seconds=n),
            )
            for n in range(40)
        )  # fmt: skip
        uow.commit()
    end = start + timedelta(days=30)
    rows = rsq.compute_indicators(store, [ATTAINMENT], start=start, end=end, group_by=["store"])
    expected = rsq.pledge_attainment(
        store, pledge, start=start, end=end, now=end, group_by=["store"], min_n=1
    )
    assert [(r.store_id, r.value, r.n, r.successes) for r in rows] == [
        (e.store_id, e.share, e.n, e.met) for e in expected
    ]
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.compute_indicators(store, [ATTAINMENT], start=start, end=end, group_by=["staff"])
    assert [problem.path for problem in caught.value.problems] == ["$.group_by"]
    missing = attrs.evolve(ATTAINMENT, pledge_id="nowhere")
    with pytest.raises(rsq.ValidationError):
        rsq.compute_indicators(store, [missing], start=start, end=end)
    store.close()


def test_counts_too_large_are_refused_and_surrogate_keys_stay_printable() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.IndicatorValue(indicator_id="csat", value=0.5, n=10**30)
    assert [problem.path for problem in caught.value.problems] == ["$.n"]
    with pytest.raises(rsq.ValidationError) as surrogate:
        rsq.SurveyResponse(
            id="x", instrument_id="csat", edition=1, received_at=START, store_id="s",
            channel="hotline", answers={"a\ud800": 3},
        )  # fmt: skip
    str(surrogate.value).encode("utf-8")  # printable: the key is written as its escape


def test_a_chain_wide_rate_divides_only_the_complaints_of_the_sales_given() -> None:
    """A sales feed missing for a store or a day does not inflate the chain's rate."""
    store = rsq.InMemoryStore()
    at = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Hong_Kong"))
    with store.unit_of_work() as uow:
        uow.complaints.add_many(
            rsq.Complaint.receive(
                id=f"CMP-{shop}-{day}", at=at + timedelta(days=day), channel="hotline",
                store_id=shop, category="delivery",
            )
            for shop in ("A", "B", "C")
            for day in range(4)
        )  # fmt: skip
        uow.commit()
    sales = [rsq.TransactionCount(store_id="A", day=date(2026, 3, 2), count=100)]
    arguments = {
        "start": datetime(2026, 3, 1, tzinfo=UTC),
        "end": datetime(2026, 4, 1, tzinfo=UTC),
        "timezone": "Asia/Hong_Kong",
        "transactions": sales,
    }
    [chain] = rsq.compute_indicators(store, ["complaint_rate"], **arguments)  # type: ignore[arg-type]
    assert (chain.value, chain.n) == (10.0, 100)  # one complaint, A's on 2 March
    assert chain.method.endswith("11 complaints on a store's day without a sales count left out")
    by_store = rsq.compute_indicators(
        store,
        ["complaint_rate"],
        group_by=["store"],
        **arguments,  # type: ignore[arg-type]
    )
    assert [(r.store_id, r.value, r.n) for r in by_store] == [
        ("A", 10.0, 100), ("B", None, 0), ("C", None, 0)
    ]  # fmt: skip


def test_periods_must_not_overlap_and_every_group_left_out_says_why() -> None:
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    store = rsq.InMemoryStore()
    _two_weeks(store)
    week = timedelta(days=7)
    for current, previous in [
        ((monday, monday + week), (monday, monday + week)),  # the same period
        ((monday + week, monday + 2 * week), (monday, monday + week + timedelta(hours=1))),
    ]:
        with pytest.raises(rsq.ValidationError) as caught:
            rsq.compare_periods(store, ["service_level"], current=current, previous=previous)
        assert [p.path for p in caught.value.problems] == ["$.previous"]
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.compare_periods(
            store, current=(monday + week, monday), previous=(monday - week, monday - week)
        )
    assert [p.path for p in caught.value.problems] == ["$.current.end", "$.previous.end"]
    # Touching periods are fine; a group with no case in one of them is listed with the reason.
    family = rsq.compare_periods(
        store,
        ["service_level", "resolution_time_p90"],
        current=(monday + week, monday + 2 * week),
        previous=(monday - week, monday),
        group_by=["store"],
    )
    assert not family.comparisons
    assert dict(family.left_out) == {
        "service_level S1": "no case in the previous period",
        "service_level S2": "no case in the previous period",
    }
    with pytest.raises(rsq.ValidationError, match="was left out: no case in the previous"):
        family.comparison("service_level S1")
    with pytest.raises(rsq.ValidationError, match="is not the label"):
        family.comparison(["a list"])  # type: ignore[arg-type]


def test_periods_are_compared_as_instants_across_the_repeated_hour() -> None:
    london = ZoneInfo("Europe/London")
    store = rsq.InMemoryStore()
    earlier_end = datetime(2026, 10, 25, 1, 30, tzinfo=london)  # BST: 00:30 UTC
    later_start = datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=london)  # GMT: 01:15 UTC
    family = rsq.compare_periods(
        store,
        ["service_level"],
        current=(later_start, later_start + timedelta(days=1)),
        previous=(earlier_end - timedelta(days=1), earlier_end),
    )
    assert not family.comparisons  # no overlap in instants, though the wall clocks overlap
    # A period from 00:30 to 01:15 UTC, its end reading earlier on the clock than its start.
    touching = rsq.compare_periods(
        store, ["service_level"], current=(earlier_end, later_start),
        previous=(later_start, later_start + timedelta(hours=1)),
    )  # fmt: skip
    assert not touching.comparisons
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.compare_periods(
            store, ["service_level"], current=(earlier_end, later_start),
            previous=(later_start - timedelta(minutes=10), later_start + timedelta(hours=1)),
        )  # fmt: skip
    assert [p.path for p in caught.value.problems] == ["$.previous"]


def test_compare_values_pairs_two_months_of_each_group_and_refuses_a_group_twice() -> None:
    def sl(store: str, month: int, hits: int) -> rsq.IndicatorValue:
        return rsq.IndicatorValue(
            indicator_id="service_level", store_id=store, month=date(2026, month, 1),
            value=hits / 200, n=200, successes=hits,
        )  # fmt: skip

    family = rsq.compare_values(
        [sl("S1", 10, 180), sl("S2", 10, 150), sl("S3", 10, 100)],
        [sl("S1", 9, 150), sl("S2", 9, 152), sl("S4", 9, 100)],
    )
    assert [(c.label, c.change.value) for c in family.comparisons.values()] == [
        ("service_level S1 2026-10 vs 2026-09", "better"),
        ("service_level S2 2026-10 vs 2026-09", "no_real_change"),
    ]
    assert dict(family.left_out) == {
        "service_level S3 2026-10": "no case in the previous period",
        "service_level S4 2026-09": "no case in the current period",
    }
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.compare_values([sl("S1", 10, 1), sl("S1", 11, 2), "x"], "y")  # type: ignore[list-item, arg-type]
    assert [p.path for p in caught.value.problems] == ["$.current[1]", "$.current[2]", "$.previous"]
