"""The three gaps: standard vs real, pledged vs real, standard vs expectation."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import retail_service_quality as rsq
from retail_service_quality import (
    AttainmentRow,
    CriterionResult,
    GapFinding,
    GapKind,
    PledgeStandard,
    ServicePledge,
    ServiceStandardLevel,
    ServqualResponse,
    StandardReference,
    ValidationError,
    expectation_gaps,
    pledge_gaps,
    standard_gaps,
    wilson_interval,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.metrics.statistics import Interval

SQ = StandardReference("SQ-01", version="2026", clause="4.2")
LONDON = ZoneInfo("Europe/London")


def result(**changes: Any) -> CriterionResult:
    fields: dict[str, Any] = {
        "criterion_id": "csat-retail",
        "indicator_id": "csat",
        "business_unit": "retail",
        "store_id": "S1",
        "status": "amber",
        "value": 0.78,
        "n": 200,
        "interval": wilson_interval(156, 200),
        "unit": "share",
        "direction": "higher",
        "target": 0.85,
        "amber_threshold": 0.75,
        "min_n": 30,
        "standard": SQ,
    }
    fields.update(changes)
    return CriterionResult(**fields)


def row(**changes: Any) -> AttainmentRow:
    fields: dict[str, Any] = {
        "pledge_id": "hotline",
        "store_id": "S1",
        "n": 200,
        "met": 150,
        "not_met": 50,
        "share": 0.75,
        "interval": wilson_interval(150, 200),
        "target": 0.8,
        "gap": -0.05,
        "p_value": rsq.shortfall_p_value(150, 200, 0.8),
        "status": "not_met",
    }
    fields.update(changes)
    return AttainmentRow(**fields)


# ---------------------------------------------------------------- standard vs real


def test_a_share_short_of_its_target_where_higher_is_better() -> None:
    [finding] = standard_gaps([result()])
    assert finding.kind is GapKind.STANDARD_VS_REAL
    assert finding.size == pytest.approx(-0.07)
    assert finding.shortfall
    expected = stats.binomtest(156, 200, 0.85, alternative="less").pvalue
    assert finding.p_value == pytest.approx(expected, rel=1e-9)
    assert expected < 0.05
    assert finding.significant
    assert (finding.criterion_id, finding.standard, finding.n) == ("csat-retail", SQ, 200)
    assert (finding.business_unit, finding.store_id, finding.unit) == ("retail", "S1", "share")


def test_a_share_where_lower_is_better_is_tested_by_the_mirror() -> None:
    abandon = result(
        indicator_id="abandon",
        value=0.08,
        n=1000,
        interval=wilson_interval(80, 1000),
        direction="lower",
        target=0.05,
        amber_threshold=0.07,
        status="red",
    )
    [finding] = standard_gaps([abandon])
    assert finding.size == pytest.approx(-0.03)
    expected = stats.binomtest(80, 1000, 0.05, alternative="greater").pvalue
    assert finding.p_value == pytest.approx(expected, rel=1e-9)
    assert finding.significant


def test_a_share_below_a_lower_is_better_target_is_no_shortfall() -> None:
    abandon = result(
        value=0.04,
        n=1000,
        interval=wilson_interval(40, 1000),
        direction="lower",
        target=0.05,
        amber_threshold=0.07,
        status="green",
    )
    [finding] = standard_gaps([abandon])
    assert finding.size == pytest.approx(0.01)
    assert not finding.shortfall
    assert finding.p_value == pytest.approx(
        stats.binomtest(40, 1000, 0.05, alternative="greater").pvalue, rel=1e-9
    )
    assert not finding.significant


def test_a_mean_where_lower_is_better_takes_a_normal_test_from_its_interval() -> None:
    asa = result(
        indicator_id="asa",
        value=25.0,
        n=400,
        interval=Interval(low=22.0, high=28.0, confidence=0.95),
        unit="seconds",
        direction="lower",
        target=20.0,
        amber_threshold=30.0,
    )
    [finding] = standard_gaps([asa])
    assert finding.size == -5.0
    error = 3.0 / stats.norm.ppf(0.975)
    assert finding.p_value == pytest.approx(stats.norm.cdf(-5.0 / error), rel=1e-9)
    assert finding.significant
    assert finding.unit == "seconds"
    assert "normal" in finding.test


def test_a_surplus_in_a_mean_is_not_a_significant_shortfall() -> None:
    ces = result(
        indicator_id="ces",
        value=5.4,
        interval=Interval(low=5.2, high=5.6, confidence=0.9),
        unit="rating",
        target=5.0,
        amber_threshold=4.5,
        status="green",
    )
    [finding] = standard_gaps([ces])
    assert finding.size == pytest.approx(0.4)
    error = 0.2 / stats.norm.ppf(0.95)
    assert finding.p_value == pytest.approx(stats.norm.cdf(0.4 / error), rel=1e-9)
    assert not finding.significant


def test_a_value_counted_over_every_case_is_exact() -> None:
    consent = result(indicator_id="consent", value=0.5, interval=None, status="red")
    on_target = result(indicator_id="consent", value=0.85, interval=None, status="green")
    short, even = standard_gaps([consent, on_target])
    assert short.p_value is None
    assert short.significant
    assert short.test.startswith("exact")
    assert even.size == 0.0
    assert not even.significant


def test_not_enough_data_gives_no_finding() -> None:
    few = result(n=10, status="not_enough_data", possible=[], interval=wilson_interval(7, 10))
    assert standard_gaps([few]) == []


def test_the_level_decides_significance() -> None:
    asa = result(
        value=21.5,
        n=400,
        interval=Interval(low=20.0, high=23.0, confidence=0.95),
        unit="seconds",
        direction="lower",
        target=20.0,
        amber_threshold=30.0,
    )
    [loose] = standard_gaps([asa], confidence=0.9)
    [strict] = standard_gaps([asa], confidence=0.99)
    assert loose.p_value == strict.p_value
    assert 0.01 < loose.p_value < 0.1  # type: ignore[operator]
    assert (loose.significant, strict.significant) == (True, False)


shares = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(0, n), st.floats(0.01, 0.99))
)


@given(shares, st.sampled_from(["higher", "lower"]))
def test_the_sign_says_shortfall_in_both_directions(
    case: tuple[int, int, float], direction: str
) -> None:
    n, met, target = case
    value = met / n
    judged = result(
        value=value,
        n=n,
        interval=wilson_interval(met, n),
        direction=direction,
        target=target,
        amber_threshold=target,
        min_n=1,
        status="green",
    )
    [finding] = standard_gaps([judged])
    worse = value < target if direction == "higher" else value > target
    assert finding.shortfall is worse
    assert math.isclose(abs(finding.size), abs(value - target), abs_tol=1e-12)
    if finding.significant:
        assert finding.shortfall  # a one-sided test of the shortfall: a surplus is never one


@given(shares)
def test_the_mirror_of_a_share_is_the_same_gap(case: tuple[int, int, float]) -> None:
    n, met, target = case
    up = result(value=met / n, n=n, interval=wilson_interval(met, n), target=target, min_n=1)
    down = result(
        value=(n - met) / n,
        n=n,
        interval=wilson_interval(n - met, n),
        direction="lower",
        target=1 - target,
        amber_threshold=1 - target,
        min_n=1,
    )
    [higher], [lower] = standard_gaps([up]), standard_gaps([down])
    assert math.isclose(higher.size, lower.size, abs_tol=1e-12)
    assert higher.p_value == pytest.approx(lower.p_value, rel=1e-9, abs=1e-300)


@given(
    st.floats(-1e6, 1e6),
    st.floats(-1e6, 1e6),
    st.sampled_from(["higher", "lower"]),
)
def test_the_sign_of_a_census_value(value: float, target: float, direction: str) -> None:
    judged = result(
        value=value,
        interval=None,
        unit="count",
        direction=direction,
        target=target,
        amber_threshold=target,
    )
    [finding] = standard_gaps([judged])
    better = rsq.Direction(direction).better
    assert finding.shortfall is better(target, value)
    assert finding.significant is (value != target)


# ---------------------------------------------------------------- pledged vs real


def test_a_pledge_row_becomes_a_finding() -> None:
    [finding] = pledge_gaps([row(month=date(2026, 3, 1))])
    assert finding.kind is GapKind.PLEDGED_VS_REAL
    assert (finding.size, finding.measured, finding.reference) == (-0.05, 0.75, 0.8)
    assert finding.p_value == pytest.approx(
        stats.binomtest(150, 200, 0.8, alternative="less").pvalue, rel=1e-9
    )
    assert finding.significant
    assert (finding.pledge_id, finding.month, finding.pledge_versions) == (
        "hotline",
        date(2026, 3, 1),
        (),
    )


def test_a_row_without_measured_cases_gives_none() -> None:
    empty = AttainmentRow(pledge_id="hotline", store_id="S2", pending=4, target=0.8)
    assert pledge_gaps([empty, row()]) != []
    assert len(pledge_gaps([empty, row()])) == 1


def test_the_level_is_the_callers_not_the_rows() -> None:
    close = row(met=152, share=0.76, gap=-0.04, p_value=rsq.shortfall_p_value(152, 200, 0.8))
    assert 0.05 < close.p_value < 0.1  # type: ignore[operator]
    [loose] = pledge_gaps([close], confidence=0.9)
    [strict] = pledge_gaps([close])
    assert (loose.significant, strict.significant) == (True, False)


def _pledge(start: datetime) -> ServicePledge:
    return ServicePledge.create(
        id="hotline",
        effective_from=start,
        wording="We answer 80% of calls within 30 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        target_share=0.8,
    )


def test_the_versions_in_force_over_the_period() -> None:
    pledge = _pledge(datetime(2026, 1, 1, tzinfo=UTC)).revise(
        effective_from=datetime(2026, 7, 1, tzinfo=UTC),
        target_share=0.9,
        wording="We answer 90% of calls within 30 seconds.",
    )

    def versions(start: datetime | None, end: datetime | None) -> tuple[int, ...]:
        [finding] = pledge_gaps([row()], pledges=[pledge], start=start, end=end)
        return finding.pledge_versions

    assert versions(None, None) == (1, 2)
    assert versions(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)) == (1,)
    assert versions(datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 8, 1, tzinfo=UTC)) == (1, 2)
    assert versions(datetime(2026, 7, 1, tzinfo=UTC), None) == (2,)
    assert versions(MIN_INSTANT, MAX_INSTANT) == (1, 2)
    assert versions(MIN_INSTANT, datetime(2026, 1, 1, tzinfo=UTC)) == ()


def test_a_withdrawn_pledge_has_no_version_after_its_end() -> None:
    pledge = _pledge(datetime(2026, 1, 1, tzinfo=UTC)).withdraw(at=datetime(2026, 3, 1, tzinfo=UTC))
    [finding] = pledge_gaps([row()], pledges=[pledge], start=datetime(2026, 4, 1, tzinfo=UTC))
    assert finding.pledge_versions == ()


@pytest.mark.parametrize(
    ("change", "start", "end", "expected"),
    [
        # Repeated London hour: the revision at 01:30 BST (00:30 UTC) is before a period from
        # 01:15 GMT (01:15 UTC): only version 2, though 01:15 reads earlier than 01:30.
        (
            datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
            datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON),
            datetime(2026, 10, 25, 1, 45, fold=1, tzinfo=LONDON),
            (2,),
        ),
        # Just after the skipped London hour: 02:30 BST is 01:30 UTC, after a period to 01:00.
        (
            datetime(2026, 3, 29, 2, 30, tzinfo=LONDON),
            datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
            (1,),
        ),
        # Half-hour zones: 09:30 in Kolkata is 04:00 UTC; 13:30 in Adelaide (ACDT) is 03:00 UTC.
        (
            datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Kolkata")),
            datetime(2026, 3, 2, 13, 30, tzinfo=ZoneInfo("Australia/Adelaide")),
            datetime(2026, 3, 2, 4, 0, tzinfo=UTC),
            (1,),
        ),
    ],
)
def test_versions_are_chosen_by_instants(
    change: datetime, start: datetime, end: datetime, expected: tuple[int, ...]
) -> None:
    pledge = _pledge(datetime(2026, 1, 1, tzinfo=UTC)).revise(
        effective_from=change,
        target_share=0.9,
        wording="We answer 90% of calls within 30 seconds.",
    )
    [finding] = pledge_gaps([row()], pledges=[pledge], start=start, end=end)
    assert finding.pledge_versions == expected


def test_a_period_starting_in_a_skipped_hour_is_refused() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    with pytest.raises(ValidationError) as caught:
        pledge_gaps([row()], pledges=[_pledge(datetime(2026, 1, 1, tzinfo=UTC))], start=skipped)
    assert [p.path for p in caught.value.problems] == ["$.start"]


def test_pledge_gaps_from_a_store() -> None:
    day = datetime(2026, 3, 2, 9, tzinfo=UTC)
    pledge = _pledge(datetime(2026, 1, 1, tzinfo=UTC))
    store = rsq.InMemoryStore()
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            rsq.ServiceInteraction(
                id=f"I-{i}",
                store_id="S1",
                channel="hotline",
                occurred_at=day + timedelta(minutes=i),
                queue_time=timedelta(seconds=5 * i),
            )
            for i in range(10)
        )
        uow.commit()
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    rows = rsq.pledge_attainment(store, pledge, start=start, end=end, now=end, min_n=5)
    [finding] = pledge_gaps(rows, pledges=[pledge], start=start, end=end)
    assert (finding.n, finding.measured, finding.pledge_versions) == (10, 0.7, (1,))
    assert finding.size == pytest.approx(-0.1)
    assert finding.p_value == pytest.approx(
        stats.binomtest(7, 10, 0.8, alternative="less").pvalue, rel=1e-9
    )
    assert not finding.significant


# ---------------------------------------------------------------- standard vs expectation


def _responses(*expectations: int, items: tuple[int, ...] = (10, 11, 12, 13)) -> list[Any]:
    return [ServqualResponse(dict.fromkeys(items, score), {}) for score in expectations]


def test_the_standard_promises_less_than_customers_expect() -> None:
    scores = [6, 7, 6, 7, 7, 6, 5, 7]
    level = ServiceStandardLevel("responsiveness", 5.5, SQ)
    [finding] = expectation_gaps(
        [level], _responses(*scores), instrument_id="servqual", instrument_edition=2
    )
    test = stats.ttest_1samp(scores, 5.5, alternative="greater")
    assert finding.kind is GapKind.STANDARD_VS_EXPECTATION
    assert finding.size == pytest.approx(5.5 - sum(scores) / len(scores))
    assert finding.p_value == pytest.approx(test.pvalue, rel=1e-9)
    assert finding.significant
    assert (finding.n, finding.subject, finding.standard) == (8, "responsiveness", SQ)
    assert (finding.instrument_id, finding.instrument_edition) == ("servqual", 2)


def test_a_standard_above_expectations_is_no_shortfall() -> None:
    scores = [4, 5, 4, 3, 5]
    [finding] = expectation_gaps(
        [ServiceStandardLevel("responsiveness", 6, SQ)], _responses(*scores)
    )
    assert finding.size == pytest.approx(6 - 4.2)
    assert not finding.shortfall
    assert finding.p_value == pytest.approx(
        stats.ttest_1samp(scores, 6, alternative="greater").pvalue, rel=1e-9
    )
    assert not finding.significant


def test_each_respondents_score_is_the_mean_of_the_items_they_answered() -> None:
    responses = [
        ServqualResponse({5: 7, 6: 5}, {}),  # reliability 6.0
        ServqualResponse({5: 4, 6: 4, 7: 7}, {}),  # 5.0
        ServqualResponse({1: 7}, {}),  # no reliability item: left out
        ServqualResponse({5: 2}, {}),  # reversed on a 7-point scale: 6.0
    ]
    level = ServiceStandardLevel("reliability", 5.0, SQ)
    [finding] = expectation_gaps([level], responses, reverse_items=[5])
    # Reversed: 7 -> 1 and 4 -> 4 too: (1 + 5) / 2 = 3, (4 + 4 + 7) / 3 = 5, 2 -> 6.
    scores = [3.0, 5.0, 6.0]
    assert finding.n == 3
    assert finding.measured == pytest.approx(sum(scores) / 3)
    assert finding.p_value == pytest.approx(
        stats.ttest_1samp(scores, 5.0, alternative="greater").pvalue, rel=1e-9
    )


def test_no_spread_and_too_few_respondents() -> None:
    same = _responses(6, 6, 6)
    levels = [
        ServiceStandardLevel("responsiveness", 5, SQ),
        ServiceStandardLevel("tangibles", 5, SQ),
    ]
    [finding] = expectation_gaps(levels, same)  # nobody answered a tangibles item
    assert (finding.p_value, finding.significant, finding.size) == (0.0, True, -1.0)
    [even] = expectation_gaps([ServiceStandardLevel("responsiveness", 6, SQ)], same)
    assert (even.p_value, even.significant) == (1.0, False)
    assert expectation_gaps(levels[:1], _responses(7)) == []


@given(st.lists(st.integers(1, 7), min_size=2, max_size=40), st.floats(1, 7))
def test_expectation_gaps_match_scipy(scores: list[int], level: float) -> None:
    [finding] = expectation_gaps(
        [ServiceStandardLevel("assurance", level, SQ)],
        _responses(*scores, items=(14, 15)),
    )
    mean = sum(scores) / len(scores)
    assert finding.size == pytest.approx(level - mean, abs=1e-12)
    assert finding.shortfall is (level - mean < -1e-12) or math.isclose(level, mean)
    if len(set(scores)) > 1:
        expected = stats.ttest_1samp(scores, level, alternative="greater").pvalue
        assert finding.p_value == pytest.approx(expected, rel=1e-7, abs=1e-12)


# ---------------------------------------------------------------- bad input


def test_standard_gaps_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        standard_gaps([result(), "csat", None], confidence=1.5)  # type: ignore[list-item]
    assert [p.path for p in caught.value.problems] == [
        "$.results[1]",
        "$.results[2]",
        "$.confidence",
    ]
    for bad in ("results", 3, {"a": 1}, None):
        with pytest.raises(ValidationError):
            standard_gaps(bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        standard_gaps([], confidence=True)


def test_pledge_gaps_reports_every_problem_at_once() -> None:
    naive = datetime(2026, 1, 1)  # a naive datetime, refused
    with pytest.raises(ValidationError) as caught:
        pledge_gaps(
            [row(), 1, row(share=math.nan, gap=math.inf)],  # type: ignore[list-item]
            pledges=["p"],  # type: ignore[list-item]
            start=naive,
            end=datetime(2026, 1, 1, tzinfo=UTC),
            confidence=math.nan,
        )
    paths = [p.path for p in caught.value.problems]
    assert paths == ["$.rows[1]", "$.pledges[0]", "$.start", "$.confidence"]
    with pytest.raises(ValidationError) as caught:
        pledge_gaps([row(share=math.nan, gap=math.inf, p_value="no")])
    assert [p.path for p in caught.value.problems] == [
        "$.rows[0].size",
        "$.rows[0].measured",
        "$.rows[0].p_value",
    ]


def test_expectation_gaps_reports_every_problem_at_once() -> None:
    levels = [
        ServiceStandardLevel("empathy", 5, SQ),
        ServiceStandardLevel("empathy", 8, SQ),
        "tangibles",
    ]
    responses = [ServqualResponse({18: 9}, {}), ServqualResponse({18: 6}, {})]
    with pytest.raises(ValidationError) as caught:
        expectation_gaps(
            levels,  # type: ignore[arg-type]
            responses,
            confidence=0,
            instrument_id=" servqual",
            instrument_edition=0,
        )
    assert [p.path for p in caught.value.problems] == [
        "$.levels[2]",
        "$.levels[1].dimension",
        "$.levels[1].level",
        "$.confidence",
        "$.instrument_id",
        "$.instrument_edition",
        "$.responses[0].expectations['18']",
    ]
    # No response: no dimension has two respondents, so no finding.
    assert list(expectation_gaps([ServiceStandardLevel("empathy", 5, SQ)], [])) == []


def test_a_standard_level_is_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        ServiceStandardLevel("speed", True, "SQ-01")  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["$.dimension", "$.level", "$.standard"]
    with pytest.raises(ValidationError) as caught:
        ServiceStandardLevel(dimension="empathy", standard=SQ)
    assert [p.path for p in caught.value.problems] == ["$.level"]
    for level in (0.5, math.inf, math.nan, 10**400, "\ud800"):
        with pytest.raises(ValidationError):
            ServiceStandardLevel("empathy", level, SQ)  # type: ignore[arg-type]


def test_a_finding_is_checked_without_echoing_values() -> None:
    secret = "Mrs Chan 9123 4567 "
    with pytest.raises(ValidationError) as caught:
        GapFinding(
            kind="gap_9",
            subject=secret,
            store_id=secret,
            channel="pigeon",
            month=date(2026, 3, 2),
            weekday=8,
            hour=-1,
            size=math.nan,
            measured="0.7",  # type: ignore[arg-type]
            reference=math.inf,
            n=0,
            p_value=1.5,
            significant="yes",  # type: ignore[arg-type]
            confidence=1,
            standard="SQ-01",  # type: ignore[arg-type]
            pledge_versions=[0, True],
        )
    problems = caught.value.problems
    assert [p.path for p in problems] == [
        "$.kind",
        "$.subject",
        "$.store_id",
        "$.channel",
        "$.month",
        "$.weekday",
        "$.hour",
        "$.size",
        "$.measured",
        "$.reference",
        "$.n",
        "$.p_value",
        "$.significant",
        "$.confidence",
        "$.standard",
        "$.pledge_versions[0]",
        "$.pledge_versions[1]",
    ]
    assert "Chan" not in str(caught.value)
    assert "pigeon" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        GapFinding(kind="standard_vs_real", subject="csat")
    assert [p.path for p in caught.value.problems] == ["$.size", "$.measured", "$.reference", "$.n"]


# ---------------------------------------------------------------- what a finding says


def test_explain_says_it_in_one_line_without_personal_data() -> None:
    judged = result(staff_id="E-1042", channel="hotline", month=date(2026, 3, 1))
    [finding] = standard_gaps([judged])
    line = finding.explain()
    assert "\n" not in line
    assert "E-1042" not in line
    assert line.startswith("standard vs real: csat (business unit retail, store S1, channel ")
    assert "month 2026-03" in line
    assert "short by 0.07" in line
    assert "criterion csat-retail, standard SQ-01 2026" in line


def test_explain_of_each_kind() -> None:
    [ahead] = pledge_gaps([row(met=170, share=0.85, gap=0.05, p_value=0.97)])
    assert "ahead by 0.05" in ahead.explain()
    assert "not significant at 95%" in ahead.explain()
    [exact] = standard_gaps([result(value=0.85, interval=None, status="green")])
    assert "on target" in exact.explain()
    assert ", exact," in exact.explain()
    [expected] = expectation_gaps(
        [ServiceStandardLevel("responsiveness", 5, SQ)],
        _responses(6, 7),
        instrument_id="servqual",
        instrument_edition=3,
    )
    assert "instrument servqual edition 3" in expected.explain()
    assert "scale points" in expected.explain()


def test_findings_hold_no_respondent_data() -> None:
    responses = _responses(6, 7, 5)
    [finding] = expectation_gaps([ServiceStandardLevel("responsiveness", 5, SQ)], responses)
    [record] = finding.to_records()
    assert set(record) >= {"kind", "subject", "size", "p_value", "n", "standard_id"}
    assert not any(isinstance(value, dict | list) for value in record.values())


def test_findings_come_as_a_table() -> None:
    findings = standard_gaps([result(), result(store_id="S2", value=0.9, status="green")])
    frame = findings.to_dataframe()
    assert list(frame["store_id"]) == ["S1", "S2"]
    assert list(frame["shortfall"]) == [True, False]
    assert "<table" in findings._repr_html_()


# ---------------------------------------------------------------- expectations from a store


def _store_with(
    store: Any, answers: list[dict[str, int]], *, at: datetime, edition: int = 1
) -> None:
    instrument = rsq.servqual_instrument(edition=edition, negatively_worded=True)
    for index, given_answers in enumerate(answers):
        rsq.record_survey_response(
            store,
            instrument,
            rsq.SurveyResponse(
                id=f"R-{edition}-{index}",
                instrument_id="servqual",
                edition=edition,
                store_id="S1",
                channel="meeting",
                received_at=at + timedelta(minutes=index),
                answers=given_answers,
            ),
        )


MARCH = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))


@pytest.mark.parametrize("adapter", ["memory", "sqlite"])
def test_stored_expectations_match_the_same_responses_given(adapter: str, tmp_path: Any) -> None:
    store: Any = (
        rsq.InMemoryStore() if adapter == "memory" else rsq.SQLiteStore(tmp_path / "gaps.db")
    )
    at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    # Items 10-13 are worded negatively: a 2 on item 10 is a 6 once reversed on 1-7.
    answers = [
        {"e10": 2, "e11": 1, "e14": 6, "p10": 4},
        {"e10": 1, "e11": 2, "e14": 7},
        {"e10": 3, "e14": 5},
        {"p1": 5},  # no expectation answered: left out
    ]
    _store_with(store, answers, at=at)
    levels = [
        ServiceStandardLevel("responsiveness", 5.0, SQ),
        ServiceStandardLevel("assurance", 5.0, SQ),
    ]
    found = rsq.stored_expectation_gaps(store, levels, start=MARCH[0], end=MARCH[1])
    given = expectation_gaps(
        levels,
        [
            ServqualResponse({10: 2, 11: 1, 14: 6}, {}),
            ServqualResponse({10: 1, 11: 2, 14: 7}, {}),
            ServqualResponse({10: 3, 14: 5}, {}),
        ],
        reverse_items=rsq.REVERSED_ITEMS,
        instrument_id="servqual",
        instrument_edition=1,
    )
    assert found == given
    assert [f.measured for f in found] == [pytest.approx((6.5 + 6.5 + 5) / 3), 6.0]
    if hasattr(store, "close"):
        store.close()


def test_stored_expectations_by_instants_and_editions() -> None:
    store = rsq.InMemoryStore()
    # The repeated London hour: 01:20 BST is 00:20 UTC, 01:20 GMT is 01:20 UTC.
    _store_with(store, [{"e14": 7}, {"e14": 6}], at=datetime(2026, 10, 25, 0, 20, tzinfo=UTC))
    _store_with(
        store, [{"e14": 4}, {"e14": 5}], at=datetime(2026, 10, 25, 1, 20, tzinfo=UTC), edition=2
    )
    level = [ServiceStandardLevel("assurance", 5.0, SQ)]
    start = datetime(2026, 10, 25, 1, 0, fold=1, tzinfo=LONDON)  # 01:00 UTC
    [second] = rsq.stored_expectation_gaps(
        store, level, start=start, end=datetime(2026, 10, 26, tzinfo=UTC)
    )
    assert (second.n, second.measured, second.instrument_edition) == (2, 4.5, 2)
    [both] = rsq.stored_expectation_gaps(
        store, level, start=datetime(2026, 10, 1, tzinfo=UTC), end=datetime(2026, 11, 1, tzinfo=UTC)
    )
    assert (both.n, both.instrument_edition) == (4, None)


def test_stored_expectations_check_their_arguments() -> None:
    with pytest.raises(ValidationError) as caught:
        rsq.stored_expectation_gaps(
            "store",
            ["assurance"],  # type: ignore[list-item]
            start=datetime(2026, 3, 1),  # a naive datetime, refused
            end=MARCH[1],
            instrument_id="",
            confidence=2,
        )
    assert [p.path for p in caught.value.problems] == [
        "$.target",
        "$.start",
        "$.instrument_id",
        "$.levels[0]",
        "$.confidence",
    ]
    assert not rsq.stored_expectation_gaps(
        rsq.InMemoryStore(),
        [ServiceStandardLevel("assurance", 5.0, SQ)],
        start=MARCH[0],
        end=MARCH[1],
    )


def test_a_gap_beyond_a_float_is_reported_at_its_result() -> None:
    huge = result(value=1e308, interval=None, unit="count", target=-1e308, amber_threshold=-1e308)
    with pytest.raises(ValidationError) as caught:
        standard_gaps([result(), huge])
    assert [p.path for p in caught.value.problems] == ["$.results[1].size"]


def test_an_interval_of_no_width_is_exact() -> None:
    flat = result(
        value=25.0,
        interval=Interval(low=25.0, high=25.0, confidence=0.95),
        unit="seconds",
        direction="lower",
        target=20.0,
        amber_threshold=30.0,
    )
    [finding] = standard_gaps([flat])
    assert (finding.p_value, finding.significant, finding.size) == (None, True, -5.0)
