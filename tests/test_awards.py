"""Award schemes: fair rankings by a confidence bound or a shrunken estimate, checked by hand
and against statsmodels/scipy; eligibility verdicts; tie-breaks; period rules; bad input."""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from retail_service_quality import (
    AwardRanking,
    AwardResult,
    AwardScheme,
    AwardStatus,
    IndicatorValue,
    InMemoryStore,
    Interval,
    PerformanceCriterion,
    RSQError,
    SQLiteStore,
    StandardReference,
    SurveyResponse,
    TieBreak,
    ValidationError,
    award_ranking,
    award_requirement,
    csat_instrument,
    json_schema,
    rank_candidates,
    record_survey_response,
    shrunken_shares,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality.rules import RuleSet, eq, ge, le
from retail_service_quality.serialization import from_json

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")


def _scheme(**changes: Any) -> AwardScheme:
    fields: dict[str, Any] = {
        "id": "csat-agents",
        "name": "Agent of the quarter",
        "level": "staff",
        "period": "quarter",
        "indicator_id": "csat",
        "direction": "higher",
    }
    fields.update(changes)
    return AwardScheme(**fields)


def _share(
    staff: str, successes: int, n: int, indicator: str = "csat", **more: Any
) -> IndicatorValue:
    return IndicatorValue(
        indicator_id=indicator,
        staff_id=staff,
        value=successes / n if n else None,
        n=n,
        successes=successes if n else None,
        **more,
    )


def _order(ranking: AwardRanking) -> list[str]:
    return [key for key, row in ranking.places.items() if row.place is not None]


def _wilson_low(x: int, n: int, confidence: float = 0.95) -> float:
    low, _ = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    return float(low)


# ---------------------------------------------------------------- by hand: lower bound


def test_lower_bound_ranking_by_hand_against_statsmodels() -> None:
    values = [_share("A-1", 3, 3), _share("A-2", 190, 200), _share("A-3", 45, 50)]
    ranking = rank_candidates(_scheme(places=2), values)
    assert _order(ranking) == ["A-2", "A-3", "A-1"]
    # Wilson lower bounds: 0.9104, 0.7864, 0.4385 (hand: centre ± half, z = 1.959964)
    z = 1.959963984540054
    for key, (x, n) in {"A-1": (3, 3), "A-2": (190, 200), "A-3": (45, 50)}.items():
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        row = ranking.places[key]
        assert row.score == pytest.approx(centre - half, abs=1e-12)
        assert row.score == pytest.approx(_wilson_low(x, n), abs=1e-12)
    assert round(ranking.places["A-1"].score or 0, 4) == 0.4385
    assert [ranking.places[k].status for k in ("A-2", "A-3", "A-1")] == [
        AwardStatus.AWARDED,
        AwardStatus.AWARDED,
        AwardStatus.RANKED,
    ]
    assert ranking.places["A-3"].decided_by == "score"
    assert ranking.places["A-2"].decided_by is None
    assert ranking.winners() == ("A-2", "A-3")
    assert ranking.places["A-1"].evidence == "Wilson 95% lower bound of 3/3"


@pytest.mark.parametrize("method", ["lower_bound", "shrunken"])
def test_three_perfect_surveys_rank_below_190_of_200(method: str) -> None:
    values = [_share("A-3", 3, 3), _share("A-7", 190, 200), _share("A-9", 150, 200)]
    ranking = rank_candidates(_scheme(method=method, places=1), values)
    assert ranking.places["A-3"].value == 1.0 > (ranking.places["A-7"].value or 0)
    assert (ranking.places["A-7"].place or 0) < (ranking.places["A-3"].place or 0)
    assert ranking.winners() == ("A-7",)


# ---------------------------------------------------------------- by hand: shrunken


def test_shrunken_estimates_by_hand() -> None:
    evidence = [(3, 3), (190, 200), (150, 200)]
    # N = 403, pooled m = 343 / 403; S = sum n (p - m)^2; D = N - sum n^2 / N - (k - 1)
    m = 343 / 403
    spread = 3 * (1 - m) ** 2 + 200 * (0.95 - m) ** 2 + 200 * (0.75 - m) ** 2
    denominator = 403 - (9 + 40_000 + 40_000) / 403 - 2
    rho = (spread / (m * (1 - m)) - 2) / denominator
    strength = (1 - rho) / rho
    assert round(strength, 3) == 5.728
    pooled, fitted, rows = shrunken_shares(evidence)
    assert pooled == pytest.approx(m, abs=1e-15)
    assert fitted == pytest.approx(strength, rel=1e-12)
    alpha, beta = m * strength, (1 - m) * strength
    for (x, n), (estimate, interval) in zip(evidence, rows, strict=True):
        assert estimate == pytest.approx((x + alpha) / (n + strength), rel=1e-12)
        low, high = stats.beta.ppf([0.025, 0.975], x + alpha, n - x + beta)
        assert interval.low == pytest.approx(low, abs=1e-9)
        assert interval.high == pytest.approx(high, abs=1e-9)
    assert [round(estimate, 4) for estimate, _ in rows] == [0.9023, 0.9472, 0.7528]
    ranking = rank_candidates(
        _scheme(method="shrunken"),
        [_share("A", 3, 3), _share("B", 190, 200), _share("C", 150, 200)],
    )
    assert ranking.pooled_share == pytest.approx(m)
    assert ranking.prior_strength == pytest.approx(strength)
    assert _order(ranking) == ["B", "A", "C"]
    assert ranking.places["A"].score == pytest.approx(rows[0][0])


def test_candidates_no_more_spread_than_chance_are_pooled_completely() -> None:
    # No spread beyond chance: every estimate is the pooled share, with its Wilson interval,
    # and the tie-breaks decide.
    pooled, strength, rows = shrunken_shares([(50, 100), (50, 100)])
    assert (pooled, strength) == (0.5, None)
    wilson = proportion_confint(100, 200, alpha=0.05, method="wilson")
    for estimate, interval in rows:
        assert estimate == 0.5
        assert (interval.low, interval.high) == pytest.approx(wilson, abs=1e-12)
    # One candidate: nothing to fit; its estimate stays its share.
    assert shrunken_shares([(7, 10)])[2][0][0] == pytest.approx(0.7)
    # Every candidate at zero: every estimate zero, the pooled share's interval.
    _, strength, rows = shrunken_shares([(0, 5), (0, 9)])
    assert strength is None
    high = proportion_confint(0, 14, alpha=0.05, method="wilson")[1]
    assert [(estimate, interval.low) for estimate, interval in rows] == [(0.0, 0.0), (0.0, 0.0)]
    assert rows[0][1].high == pytest.approx(high, abs=1e-12)


def test_shrunken_refuses_an_indicator_that_is_not_a_share() -> None:
    value = IndicatorValue(indicator_id="aht", staff_id="A", value=300.0, n=40, unit="seconds")
    with pytest.raises(ValidationError) as caught:
        rank_candidates(_scheme(method="shrunken", indicator_id="aht", direction="lower"), [value])
    assert [p.path for p in caught.value.problems] == ["$.scheme.method"]


# ---------------------------------------------------------------- means and NPS


def test_mean_rating_bound_from_counts_against_statsmodels() -> None:
    counts = (1, 2, 5, 12, 20)  # ratings 1..5
    n = sum(counts)
    ratings = [point + 1 for point, count in enumerate(counts) for _ in range(count)]
    value = IndicatorValue(
        indicator_id="product_quality",
        store_id="HK-1",
        value=sum(ratings) / n,
        n=n,
        unit="rating",
        counts=counts,
    )
    scheme = _scheme(level="store", indicator_id="product_quality", confidence=0.9)
    row = rank_candidates(scheme, [value]).places["HK-1"]
    low, high = DescrStatsW(ratings).tconfint_mean(alpha=0.1)
    assert row.score == pytest.approx(low, abs=1e-9)
    assert row.interval is not None
    assert row.interval.high == pytest.approx(high, abs=1e-9)


def test_a_mean_without_counts_is_bounded_from_its_own_interval() -> None:
    sample = [280.0, 320.0, 300.0, 410.0, 295.0, 330.0]
    described = DescrStatsW(sample)
    low95, high95 = described.tconfint_mean(alpha=0.05)
    value = IndicatorValue(
        indicator_id="aht",
        staff_id="A",
        value=described.mean,
        n=len(sample),
        unit="seconds",
        direction="lower",
        interval=Interval(low95, high95, 0.95),
    )
    scheme = _scheme(indicator_id="aht", direction="lower", confidence=0.8)
    row = rank_candidates(scheme, [value]).places["A"]
    _, high80 = described.tconfint_mean(alpha=0.2)
    assert row.score == pytest.approx(high80, rel=1e-9)  # the upper bound: less is better


def test_nps_bound_from_counts() -> None:
    counts = (2, 0, 1, 0, 3, 0, 4, 10, 10, 20, 30)  # scores 0..10
    n = sum(counts)
    p, d = 50 / n, 10 / n
    score = 100 * (p - d)
    error = 100 * math.sqrt((p + d - (p - d) ** 2) / n)
    value = IndicatorValue(
        indicator_id="nps",
        store_id="S",
        value=score,
        n=n,
        unit="nps_points",
        counts=counts,
    )
    row = rank_candidates(_scheme(level="store", indicator_id="nps"), [value]).places["S"]
    assert row.score == pytest.approx(score - stats.norm.ppf(0.975) * error, abs=1e-9)


def test_one_case_of_a_mean_is_not_enough_data() -> None:
    value = IndicatorValue(
        indicator_id="ces", staff_id="A", value=6.0, n=1, counts=(0,) * 5 + (1, 0)
    )
    row = rank_candidates(_scheme(indicator_id="ces"), [value]).places["A"]
    assert row.status is AwardStatus.NOT_ENOUGH_DATA
    assert row.place is None
    assert "fewer than 2" in row.explanation


def test_a_candidate_without_cases_is_not_ranked() -> None:
    values = [_share("A", 0, 0), _share("B", 5, 10)]
    ranking = rank_candidates(_scheme(), values)
    assert ranking.places["A"].status is AwardStatus.NOT_ENOUGH_DATA
    assert _order(ranking) == ["B"]


# ---------------------------------------------------------------- eligibility


def _eligibility() -> RuleSet:
    return RuleSet(
        id="csat-agents.eligibility",
        rules=[
            award_requirement("min_n", ge("n", 30), description="At least 30 surveys."),
            award_requirement(
                "complaints", le("complaint_rate", 2), description="At most 2 per 1,000."
            ),
            award_requirement("no_red", eq("red_criteria", 0), description="No red criterion."),
        ],
    )


def test_eligibility_verdicts_are_explained() -> None:
    values = [
        _share("A-1", 38, 40),
        IndicatorValue(indicator_id="complaint_rate", staff_id="A-1", value=1.5, n=4_000,
                       unit="per_1000", direction="lower"),
        _share("A-2", 9, 10),
        IndicatorValue(indicator_id="complaint_rate", staff_id="A-2", value=0.5, n=4_000,
                       unit="per_1000", direction="lower"),
        _share("A-3", 95, 100),
        IndicatorValue(indicator_id="complaint_rate", staff_id="A-3", value=3.1, n=4_000,
                       unit="per_1000", direction="lower"),
        _share("A-4", 180, 200),
    ]  # fmt: skip
    facts = {"A-1": {"red_criteria": 0}, "A-2": {"red_criteria": 0}, "A-3": {"red_criteria": 1}}
    ranking = rank_candidates(_scheme(eligibility=_eligibility()), values, facts=facts)
    assert _order(ranking) == ["A-1"]
    a2, a3, a4 = (ranking.places[key] for key in ("A-2", "A-3", "A-4"))
    assert a2.status is AwardStatus.INELIGIBLE
    assert a2.excluded_by == "min_n"
    assert a2.explanation == "min_n: At least 30 surveys. [not: holds (n >= 30: does not hold)]"
    assert a3.excluded_by == "complaints, no_red"
    assert "complaint_rate <= 2: does not hold" in a3.explanation
    # No complaint rate, no criteria count: a requirement on a missing fact is not met.
    assert a4.excluded_by == "complaints, no_red"
    assert "field is missing" in a4.explanation or "missing" in a4.explanation
    assert a4.score == pytest.approx(_wilson_low(180, 200))  # the evidence is still shown
    assert a4.verdict is not None
    assert a4.verdict.fired == ("complaints", "no_red")
    assert list(ranking.places) == ["A-1", "A-2", "A-3", "A-4"]


# ---------------------------------------------------------------- tie-breaks


def test_tie_breaks_in_order_n_then_indicator_then_id() -> None:
    fcr = "fcr_survey"
    values = [
        _share("A", 1, 1), _share("B", 1, 1), _share("C", 1, 1), _share("D", 1, 1),
        _share("E", 1, 1),
        _share("A", 7, 10, fcr), _share("B", 9, 10, fcr), _share("C", 9, 10, fcr),
    ]  # fmt: skip
    values[4] = _share("E", 2, 2)  # a better bound: first on the score
    scheme = _scheme(
        method="lower_bound",
        tie_breaks=[TieBreak("n"), TieBreak("indicator", fcr), TieBreak("id")],
        places=5,
    )
    ranking = rank_candidates(scheme, values)
    assert _order(ranking) == ["E", "B", "C", "A", "D"]
    assert [ranking.places[k].decided_by for k in _order(ranking)] == [
        None,
        "score",
        "id",
        "indicator:fcr_survey",
        "indicator:fcr_survey",
    ]
    assert [ranking.places[k].place for k in _order(ranking)] == [1, 2, 3, 4, 5]


def test_candidates_equal_on_every_tie_break_share_a_place() -> None:
    values = [_share("B", 5, 5), _share("A", 5, 5), _share("C", 1, 5)]
    ranking = rank_candidates(_scheme(tie_breaks=[TieBreak("n")], places=1), values)
    assert _order(ranking) == ["A", "B", "C"]
    assert [ranking.places[k].place for k in "ABC"] == [1, 1, 3]
    assert ranking.places["B"].decided_by == "tie"
    assert ranking.winners() == ("A", "B")
    assert "shared" in ranking.places["B"].explanation


# ---------------------------------------------------------------- properties

_counts = st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))
_fields = st.lists(_counts, min_size=1, max_size=7)
_methods = st.sampled_from(["lower_bound", "shrunken"])
_PROPERTY = settings(max_examples=150, deadline=None)


def _values(pairs: list[tuple[int, int]]) -> list[IndicatorValue]:
    return [_share(f"S-{index}", x, n) for index, (x, n) in enumerate(pairs)]


@_PROPERTY
@given(pairs=_fields, method=_methods, data=st.data())
def test_adding_a_success_never_lowers_a_score(
    pairs: list[tuple[int, int]], method: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(pairs) - 1))
    x, n = pairs[index]
    if x == n:
        return
    scheme = _scheme(method=method)
    before = rank_candidates(scheme, _values(pairs)).places[f"S-{index}"].score
    pairs[index] = (x + 1, n)
    after = rank_candidates(scheme, _values(pairs)).places[f"S-{index}"].score
    assert before is not None
    assert after is not None
    assert after >= before - 1e-12


@_PROPERTY
@given(pairs=_fields, method=_methods, seed=st.integers(0, 2**32))
def test_the_ranking_is_a_permutation_whatever_the_input_order(
    pairs: list[tuple[int, int]], method: str, seed: int
) -> None:
    values = _values(pairs)
    scheme = _scheme(method=method, tie_breaks=[TieBreak("n")])
    ranking = rank_candidates(scheme, values)
    shuffled = list(values)
    random.Random(seed).shuffle(shuffled)
    again = rank_candidates(scheme, shuffled)
    assert sorted(ranking.places) == sorted(value.staff_id or "" for value in values)
    assert list(again.places) == list(ranking.places)
    assert again.places == ranking.places
    places = [row.place for row in ranking.places.values()]
    assert places[0] == 1
    assert all(b is not None and a is not None and a <= b for a, b in itertools.pairwise(places))
    scores = [row.score for row in ranking.places.values()]
    assert all(
        a is not None and b is not None and a >= b - 1e-12 for a, b in itertools.pairwise(scores)
    )


@_PROPERTY
@given(pairs=_fields, method=_methods)
def test_a_lower_is_better_indicator_ranks_mirrored(
    pairs: list[tuple[int, int]], method: str
) -> None:
    good = rank_candidates(_scheme(method=method), _values(pairs))
    bad = rank_candidates(
        _scheme(method=method, indicator_id="abandonment_rate", direction="lower"),
        [
            IndicatorValue(
                indicator_id="abandonment_rate",
                staff_id=f"S-{index}",
                value=(n - x) / n,
                n=n,
                successes=n - x,
                direction="lower",
            )
            for index, (x, n) in enumerate(pairs)
        ],
    )
    assert list(bad.places) == list(good.places)
    for key, row in good.places.items():
        assert bad.places[key].place == row.place
        assert (bad.places[key].score or 0) == pytest.approx(1 - (row.score or 0), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(pair=_counts, confidence=st.floats(0.5, 0.999))
def test_wilson_bounds_match_statsmodels(pair: tuple[int, int], confidence: float) -> None:
    x, n = pair
    row = rank_candidates(_scheme(confidence=confidence), [_share("A", x, n)]).places["A"]
    low, high = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    assert row.score == pytest.approx(low, abs=1e-9)
    assert row.interval is not None
    assert row.interval.high == pytest.approx(high, abs=1e-9)


# ---------------------------------------------------------------- the scheme as data

_schemes = st.builds(
    AwardScheme,
    id=st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
    name=st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=20).filter(
        str.strip
    ),
    level=st.sampled_from(["staff", "store", "business_unit"]),
    period=st.sampled_from(["month", "quarter", "half_year", "year", "any"]),
    indicator_id=st.sampled_from(["csat", "nps", "aht"]),
    direction=st.sampled_from(["higher", "lower"]),
    eligibility=st.none() | st.just(_eligibility()),
    method=_methods,
    confidence=st.floats(0.5, 0.999),
    places=st.integers(1, 10),
    tie_breaks=st.sampled_from(
        [[], [TieBreak("n"), TieBreak("id")], [TieBreak("indicator", "fcr_survey")]]
    ),
    version=st.integers(1, 2**53 - 1),
)


@settings(max_examples=60, deadline=None)
@given(scheme=_schemes)
def test_a_scheme_round_trips_and_validates_against_its_schema(scheme: AwardScheme) -> None:
    assert from_json(to_json(scheme), AwardScheme) == scheme
    assert structure(unstructure(scheme), AwardScheme) == scheme
    validator = Draft202012Validator(json_schema(AwardScheme))
    assert list(validator.iter_errors(json.loads(to_json(scheme)))) == []


def test_the_scheme_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema(AwardScheme)
    Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["id", "name", "level", "period", "indicator_id", "direction"]
    assert schema["properties"]["method"]["enum"] == ["lower_bound", "shrunken"]


def test_a_bad_scheme_is_refused_in_one_round() -> None:
    with pytest.raises(ValidationError) as caught:
        AwardScheme(
            id=" x",
            name="",
            level="team",
            period="week",
            indicator_id=5,  # type: ignore[arg-type]
            direction="up",
            eligibility="rules",  # type: ignore[arg-type]
            method="raw",
            confidence=float("nan"),
            places=0,
            tie_breaks=[TieBreak("n"), TieBreak("n"), "id"],
            version=0,
        )
    assert [p.path for p in caught.value.problems] == [
        "$.id",
        "$.name",
        "$.level",
        "$.period",
        "$.indicator_id",
        "$.direction",
        "$.eligibility",
        "$.method",
        "$.confidence",
        "$.places",
        "$.tie_breaks[1]",
        "$.tie_breaks[2]",
        "$.version",
    ]
    assert "team" not in str(caught.value)
    assert "week" not in str(caught.value)


def test_bad_json_is_refused_with_paths() -> None:
    data = {
        "id": "s",
        "name": "S",
        "level": "staff",
        "period": "quarter",
        "indicator_id": "csat",
        "direction": "higher",
        "tie_breaks": [{"by": "indicator"}, {"by": "n", "indicator_id": "x"}],
        "places": True,
    }
    with pytest.raises(ValidationError) as caught:
        structure(data, AwardScheme)
    paths = [p.path for p in caught.value.problems]
    assert "$.tie_breaks[0].indicator_id" in paths
    assert "$.tie_breaks[1].indicator_id" in paths
    assert "$.places" in paths


def test_bad_ranking_input_is_refused_in_one_round() -> None:
    with pytest.raises(ValidationError) as caught:
        rank_candidates(
            "scheme",  # type: ignore[arg-type]
            [_share("A", 1, 2), 3],  # type: ignore[list-item]
            facts={"A": 5},  # type: ignore[dict-item]
            at=datetime(2026, 1, 1),
        )
    assert [p.path for p in caught.value.problems] == [
        "$.scheme",
        "$.values[1]",
        "$.facts.A",
        "$.at",
    ]
    with pytest.raises(ValidationError) as caught:
        rank_candidates(_scheme(), [_share("A", 1, 2), _share("A", 2, 2)])
    assert [p.path for p in caught.value.problems] == ["$.values[1]"]
    for bad in (None, 5, "values", {"a": 1}):
        with pytest.raises(ValidationError):
            rank_candidates(_scheme(), bad)  # type: ignore[arg-type]


@given(
    values=st.lists(
        st.none() | st.integers() | st.floats() | st.text() | st.datetimes() | st.builds(object),
        max_size=3,
    ),
    facts=st.none() | st.integers() | st.dictionaries(st.text(), st.integers() | st.floats()),
)
@settings(max_examples=50, deadline=None)
def test_whatever_the_input_only_library_errors(values: list[Any], facts: Any) -> None:
    with contextlib.suppress(RSQError):
        rank_candidates(_scheme(), values, facts=facts)


def test_values_of_no_candidate_are_left_out() -> None:
    values = [IndicatorValue(indicator_id="csat", value=0.9, n=10, successes=9), _share("A", 1, 2)]
    assert list(rank_candidates(_scheme(), values).places) == ["A"]


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("period", "day", "zone", "start", "end"),
    [
        ("quarter", date(2026, 10, 25), "Europe/London", "2026-10-01T00:00:00+01:00",
         "2027-01-01T00:00:00+00:00"),
        ("month", date(2026, 3, 29), "Europe/London", "2026-03-01T00:00:00+00:00",
         "2026-04-01T00:00:00+01:00"),
        ("half_year", date(2026, 7, 1), "Asia/Kolkata", "2026-07-01T00:00:00+05:30",
         "2027-01-01T00:00:00+05:30"),
        ("year", date(2026, 4, 5), "Australia/Adelaide", "2026-01-01T00:00:00+10:30",
         "2027-01-01T00:00:00+10:30"),
        ("month", date(1, 2, 5), "UTC", "0001-02-01T00:00:00+00:00", "0001-03-01T00:00:00+00:00"),
        ("month", date(9999, 11, 3), "UTC", "9999-11-01T00:00:00+00:00",
         "9999-12-01T00:00:00+00:00"),
    ],
)  # fmt: skip
def test_period_of_in_local_time(period: str, day: date, zone: str, start: str, end: str) -> None:
    first, following = _scheme(period=period).period_of(day, timezone=zone)
    assert (first.isoformat(), following.isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("day", "zone", "start"),
    [
        # Local mean time gave way to GMT at 00:01:15 UTC, the last LMT midnight.
        (date(1847, 12, 1), "Europe/London", "1847-12-01T00:01:15+00:00"),
        # India's war time: midnight to 01:00 skipped.
        (date(1941, 10, 1), "Asia/Kolkata", "1941-10-01T01:00:00+06:30"),
        (date(1899, 5, 1), "Australia/Adelaide", "1899-05-01T00:30:00+09:30"),
    ],
)
def test_a_month_starts_at_the_first_instant_of_its_first_day(
    day: date, zone: str, start: str
) -> None:
    first, _ = _scheme(period="month").period_of(day, timezone=zone)
    assert first.isoformat() == start
    before = first.astimezone(UTC) - timedelta(microseconds=1)
    assert before.astimezone(ZoneInfo(zone)).date() == day - timedelta(days=1)


def test_a_midnight_the_clocks_skip_starts_at_the_first_valid_instant() -> None:
    # Asuncion moved its clocks from 00:00 to 01:00 on 2023-10-01.
    scheme = _scheme(period="quarter")
    first, _ = scheme.period_of(date(2023, 11, 6), timezone="America/Asuncion")
    assert first.isoformat() == "2023-10-01T01:00:00-03:00"
    _, end = scheme.period_of(date(2023, 9, 6), timezone="America/Asuncion")
    assert end == first


def test_period_of_refuses_bad_input() -> None:
    with pytest.raises(ValidationError) as caught:
        _scheme(period="any").period_of(datetime(2026, 1, 1), timezone="Mars/Base")
    assert [p.path for p in caught.value.problems] == ["$.day", "$.timezone", "$.period"]
    # Periods reaching past the supported range (0001-01-02 to 9999-12-30 UTC).
    for period, day, zone in [
        ("year", date(9999, 12, 31), "UTC"),
        ("month", date(9999, 12, 3), "Pacific/Kiritimati"),
        ("month", date(1, 1, 2), "UTC"),
        ("quarter", date(1, 2, 1), "Asia/Hong_Kong"),
        ("month", date(1, 1, 5), "America/New_York"),
    ]:
        with pytest.raises(ValidationError) as caught:
            _scheme(period=period).period_of(day, timezone=zone)
        assert [(p.path, p.code) for p in caught.value.problems] == [("$.day", "range")]


# ---------------------------------------------------------------- on a store


def _survey(store: Any, at: datetime, answers: dict[str, list[int]]) -> None:
    count = 0
    with store.unit_of_work() as uow:
        for staff, ratings in answers.items():
            for rating in ratings:
                count += 1
                record_survey_response(
                    uow,
                    csat_instrument(),
                    SurveyResponse(
                        id=f"R-{count}",
                        instrument_id="csat",
                        edition=1,
                        received_at=at + timedelta(minutes=count),
                        store_id="HK-1",
                        channel="hotline",
                        staff_id=staff,
                        answers={"csat": rating},
                    ),
                )
        uow.commit()


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    made = InMemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "a.db")
    yield made
    made.close()


def test_award_ranking_on_a_store_in_a_repeated_hour(store: Any) -> None:
    # The surveys start at 01:30 on the night London's clocks go back (the second 01:30).
    at = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    _survey(store, at, {"A-1": [5, 5, 5], "A-2": [5] * 190 + [1] * 10, "A-3": [4] * 20 + [2] * 20})
    scheme = _scheme(eligibility=RuleSet(id="e", rules=[award_requirement("n", ge("n", 30))]))
    start, end = scheme.period_of(date(2026, 10, 25), timezone="Europe/London")
    ranking = award_ranking(store, scheme, start=start, end=end, timezone="Europe/London")
    assert _order(ranking) == ["A-2", "A-3"]
    assert ranking.places["A-1"].status is AwardStatus.INELIGIBLE
    assert ranking.places["A-2"].score == pytest.approx(_wilson_low(190, 200))
    assert (ranking.start, ranking.end) == (start, end)
    result = ranking.publish(id="csat-agents-2026q4", computed_at=end)
    assert isinstance(result, AwardResult)
    assert [(p.place, p.candidate_id, p.awarded) for p in result.places] == [
        (1, "A-2", True),
        (2, "A-3", True),
    ]


def test_award_ranking_checks_the_period_rule() -> None:
    scheme = _scheme(period="month")
    store = InMemoryStore()
    start = datetime(2026, 3, 1, tzinfo=KOLKATA)
    ranking = award_ranking(store, scheme, start=start, end=datetime(2026, 4, 1, tzinfo=KOLKATA))
    assert ranking.places == {}
    with pytest.raises(ValidationError) as caught:
        award_ranking(
            store,
            scheme,
            start=start,
            end=datetime(2026, 4, 2, tzinfo=KOLKATA),
            timezone="Asia/Kolkata",
        )
    assert [p.path for p in caught.value.problems] == ["$.start"]
    # The same instants are not a month's in Adelaide.
    with pytest.raises(ValidationError):
        award_ranking(
            store,
            scheme,
            start=start,
            end=datetime(2026, 4, 1, tzinfo=KOLKATA),
            timezone="Australia/Adelaide",
        )
    fixed = datetime(2026, 3, 1, tzinfo=UTC).astimezone(ZoneInfo("Asia/Hong_Kong"))
    anywhere = _scheme(period="any")
    assert award_ranking(store, anywhere, start=fixed, end=fixed + timedelta(days=3)).places == {}


def test_award_ranking_refuses_bad_input_in_one_round() -> None:
    with pytest.raises(ValidationError) as caught:
        award_ranking(
            object(),
            "scheme",  # type: ignore[arg-type]
            start=datetime(2026, 1, 1),
            end=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON),  # skipped by the clocks
            timezone="Nowhere/Else",
            facts=[],  # type: ignore[arg-type]
        )
    assert [p.path for p in caught.value.problems] == [
        "$.target",
        "$.scheme",
        "$.start",
        "$.end",
        "$.timezone",
        "$.facts",
    ]
    end = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError):
        award_ranking(InMemoryStore(), _scheme(period="any"), start=end, end=end)


def test_a_ranking_displays_and_exports() -> None:
    ranking = rank_candidates(_scheme(), [_share("A", 3, 3), _share("B", 190, 200)])
    records = ranking.to_records()
    assert [record["candidate_id"] for record in records] == ["B", "A"]
    assert {"low", "high", "score", "evidence", "status"} <= set(records[0])
    frame = ranking.to_dataframe()
    assert list(frame["place"]) == [1, 2]
    assert "<table" in ranking._repr_html_()


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(date(2, 1, 1), date(9998, 12, 31)),
    zone=st.sampled_from(
        ["Europe/London", "Asia/Kolkata", "Australia/Adelaide", "America/Asuncion", "UTC"]
    ),
    period=st.sampled_from(["month", "quarter", "half_year", "year"]),
)
def test_the_period_of_a_day_holds_it_and_the_next_one_follows_on(
    day: date, zone: str, period: str
) -> None:
    scheme = _scheme(period=period)
    start, end = scheme.period_of(day, timezone=zone)
    local = ZoneInfo(zone)
    first, following = start.astimezone(local), end.astimezone(local)
    assert start < end
    assert first.date() <= day < following.date()
    assert first.day == 1
    assert (first.month - 1) % {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[period] == 0
    if following.year < 9999:  # a period of year 9999 may end past the supported range
        assert scheme.period_of(following.date(), timezone=zone)[0] == end
    # Local midnight, or the first instant of the day where the clocks skip midnight.
    assert first.time() <= datetime.min.time().replace(hour=1)
    # The instant before it (elapsed time, in UTC: never wall-clock arithmetic) is the day before.
    before = start.astimezone(UTC) - timedelta(microseconds=1)
    assert before.astimezone(local).date() < first.date()


_JUNK = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.lists(st.integers(), max_size=2)
    | st.builds(object)
)


@settings(max_examples=100, deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            (
                "id",
                "name",
                "level",
                "period",
                "indicator_id",
                "direction",
                "eligibility",
                "eligibility_indicators",
                "method",
                "confidence",
                "places",
                "tie_breaks",
                "description",
                "version",
            ),
            _JUNK,
        ),
    )
)
def test_a_scheme_of_any_values_is_made_or_refused_with_a_validation_error(
    fields: dict[str, Any],
) -> None:
    with contextlib.suppress(ValidationError):
        AwardScheme(**fields)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_criteria_judged_on_the_store_give_the_red_criteria_fact(kind: str, tmp_path: Any) -> None:
    made = InMemoryStore() if kind == "memory" else SQLiteStore(tmp_path / "criteria.db")
    at = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # the skipped London hour, read in UTC
    with made as store:
        _survey(store, at, {"A-1": [5] * 36 + [2] * 4, "A-2": [5] * 20 + [1] * 20})
        csat_criterion = PerformanceCriterion(
            id="csat-80",
            indicator_id="csat",
            direction="higher",
            target=0.8,
            amber_threshold=0.7,
            standard=StandardReference("SQ-01"),
            effective_from=datetime(2026, 1, 1, tzinfo=UTC),
        )
        scheme = _scheme(
            period="month",
            eligibility=RuleSet(
                id="e",
                rules=[award_requirement("no_red", eq("red_criteria", 0), description="No red.")],
            ),
        )
        start, end = scheme.period_of(date(2026, 3, 29), timezone="Europe/London")
        ranking = award_ranking(store, scheme, start=start, end=end, criteria=[csat_criterion])
        assert _order(ranking) == ["A-1"]
        excluded = ranking.places["A-2"]
        assert excluded.excluded_by == "no_red"
        assert excluded.explanation == (
            "no_red: No red. [not: holds (red_criteria = 0: does not hold)]"
        )
        # The caller's facts are laid over the computed ones.
        forgiven = award_ranking(
            store,
            scheme,
            start=start,
            end=end,
            criteria=[csat_criterion],
            facts={"A-2": {"red_criteria": 0}},
        )
        assert _order(forgiven) == ["A-1", "A-2"]
        with pytest.raises(ValidationError) as caught:
            award_ranking(store, scheme, start=start, end=end, criteria=[csat_criterion, "x"])  # type: ignore[list-item]
        assert [p.path for p in caught.value.problems] == ["$.criteria[1]"]


def test_an_unknown_indicator_is_named_at_the_schemes_own_field() -> None:
    import retail_service_quality as rsq

    scheme = rsq.AwardScheme(
        id="s", name="S", level="staff", period="any", indicator_id="no_such",
        direction="higher",
    )  # fmt: skip
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.award_ranking(rsq.InMemoryStore(), scheme, start=start, end=start + timedelta(days=1))
    assert [p.path for p in caught.value.problems] == ["$.scheme.indicator_id"]


def test_an_award_period_is_compared_as_instants_across_the_repeated_hour() -> None:
    import retail_service_quality as rsq

    scheme = rsq.AwardScheme(
        id="s", name="S", level="staff", period="any", indicator_id="csat", direction="higher"
    )
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 10, 25, 1, 30, tzinfo=london)  # BST: 00:30 UTC
    end = datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=london)  # GMT: 01:15 UTC, later
    ranking = rsq.award_ranking(rsq.InMemoryStore(), scheme, start=start, end=end)
    assert not ranking.places
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.award_ranking(rsq.InMemoryStore(), scheme, start=end, end=start)
    assert [p.path for p in caught.value.problems] == ["$.end"]
