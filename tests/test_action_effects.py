"""Whether an action worked: differences-in-differences by hand and against statsmodels, the
before/after tests against statsmodels and scipy, verdicts, and the stored variant."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

from retail_service_quality import (
    ActionTarget,
    ActionVerdict,
    ImprovementAction,
    IndicatorValue,
    InMemoryStore,
    InsufficientDataError,
    NotFoundError,
    ServiceInteraction,
    SQLiteStore,
    ValidationError,
    action_effect,
    did_nps,
    did_proportions,
    did_ratings,
    raise_action,
    stored_action_effect,
)
from retail_service_quality.storage.ports import Store

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
RAISED = datetime(2026, 10, 1, tzinfo=UTC)

STORES: dict[str, Callable[[Path], Store]] = {
    "memory": lambda folder: InMemoryStore(),
    "sqlite": lambda folder: SQLiteStore(folder / "effects.db"),
}


def _action(
    indicator: str = "fcr", stores: tuple[str, ...] = ("S1",), **target: Any
) -> ImprovementAction:
    return ImprovementAction(
        id="CA-1", type="corrective", title="Retrain the hotline", owner="store_manager",
        raised_at=RAISED, due=date(2026, 10, 31),
        target=ActionTarget(indicator, store_ids=list(stores), **target),
    )  # fmt: skip


def _share(store: str | None, successes: int, n: int, indicator: str = "fcr") -> IndicatorValue:
    return IndicatorValue(
        indicator_id=indicator, store_id=store, value=successes / n if n else None, n=n,
        successes=successes if n else None,
    )  # fmt: skip


def _ratings(store: str | None, counts: tuple[int, ...], unit: str = "rating") -> IndicatorValue:
    n = sum(counts)
    first = 0 if unit == "nps_points" else 1
    if unit == "nps_points":
        value = 100 * (sum(counts[9:]) - sum(counts[:7])) / n
    else:
        value = sum(point * c for point, c in enumerate(counts, first)) / n
    return IndicatorValue(
        indicator_id="score", store_id=store, value=value, n=n, unit=unit, counts=counts
    )


# ---------------------------------------------------------------- by hand


def test_did_of_proportions_by_hand() -> None:
    # Acting store: 60 of 100 before, 80 of 100 after (+0.20); others: 60 of 100, then 65 of
    # 100 (+0.05). DiD = 0.15. Variances p(1-p)/n: 0.0024, 0.0016, 0.0024, 0.002275; their sum
    # 0.008675, SE 0.0931397...; z = 1.61049...; p = 2 * (1 - Phi(z)) = 0.10729...
    effect = did_proportions(
        acting_before=(60, 100), acting_after=(80, 100),
        control_before=(60, 100), control_after=(65, 100),
    )  # fmt: skip
    assert effect.estimate == pytest.approx(0.15, abs=1e-12)
    assert effect.standard_error == pytest.approx(math.sqrt(0.008675), rel=1e-12)
    assert effect.statistic == pytest.approx(0.15 / math.sqrt(0.008675), rel=1e-12)
    assert effect.p_value == pytest.approx(2 * stats.norm.sf(0.15 / math.sqrt(0.008675)), 1e-9)
    assert effect.interval.low == pytest.approx(0.15 - 1.959963984540054 * math.sqrt(0.008675))
    assert effect.interval.high == pytest.approx(0.15 + 1.959963984540054 * math.sqrt(0.008675))
    assert effect.acting_change == pytest.approx(0.2)
    assert effect.control_change == pytest.approx(0.05)
    assert (effect.acting_before_n, effect.control_after_n) == (100, 100)


def test_did_of_ratings_and_nps_by_hand() -> None:
    # Ratings 1-3. Acting before (2, 3, 5): mean 2.3, variance (2*1.69 + 3*0.09 + 5*0.49)/10
    # = 0.61; after (1, 2, 7): mean 2.6, variance (1*2.56 + 2*0.36 + 7*0.16)/10 = 0.44;
    # control (2, 3, 5) twice: mean 2.3, variance 0.61. DiD = 0.3; SE sqrt((0.61*3 + 0.44)/10).
    ratings = did_ratings(
        acting_before=(2, 3, 5), acting_after=(1, 2, 7),
        control_before=(2, 3, 5), control_after=(2, 3, 5),
    )  # fmt: skip
    assert ratings.estimate == pytest.approx(0.3, abs=1e-12)
    assert ratings.standard_error == pytest.approx(math.sqrt((0.61 * 3 + 0.44) / 10), 1e-12)
    # NPS: acting (40, 30, 30) -> 10, then (55, 25, 20) -> 35; control 10 -> 14. DiD 21.
    # Variances 10000 (p + d - (p - d)^2): 10000 (0.7 - 0.01) = 6900; 10000 (0.75 - 0.1225)
    # = 6275; 6900; 10000 (0.70 - 0.0196) = 6804; each over 100.
    nps = did_nps(
        acting_before=(40, 30, 30), acting_after=(55, 25, 20),
        control_before=(40, 30, 30), control_after=(42, 30, 28),
    )  # fmt: skip
    assert nps.estimate == pytest.approx(21.0, abs=1e-9)
    assert nps.standard_error == pytest.approx(math.sqrt((6900 + 6275 + 6900 + 6804) / 100))
    assert nps.kind == "nps"


# ---------------------------------------------------------------- against statsmodels


def _ols_hc0(cells: list[tuple[np.ndarray, int, int]]) -> tuple[float, float]:
    """The acting:after coefficient of OLS on every respondent's value, and its HC0 SE."""
    ys, xs = [], []
    for values, acting, after in cells:
        ys.append(values)
        xs.append(np.tile([1.0, acting, after, acting * after], (len(values), 1)))
    fit = sm.OLS(np.concatenate(ys), np.vstack(xs)).fit(cov_type="HC0")
    return float(fit.params[3]), float(fit.bse[3])


def _expand(table: tuple[int, ...], scores: list[float]) -> np.ndarray:
    return np.repeat(np.array(scores, dtype=float), table)


_PAIRS = st.tuples(st.integers(1, 60), st.integers(0, 60)).map(lambda t: (min(t), max(t)))


@settings(max_examples=60, deadline=None)
@given(st.tuples(_PAIRS, _PAIRS, _PAIRS, _PAIRS))
def test_did_of_proportions_is_the_linear_probability_model_with_hc0(
    cells: tuple[tuple[int, int], ...],
) -> None:
    counts = [(successes, n) for successes, n in cells]
    if all(successes in (0, n) for successes, n in counts):
        with pytest.raises(InsufficientDataError):
            did_proportions(
                acting_before=counts[0], control_before=counts[1],
                acting_after=counts[2], control_after=counts[3],
            )  # fmt: skip
        return
    effect = did_proportions(
        acting_before=counts[0], control_before=counts[1],
        acting_after=counts[2], control_after=counts[3],
    )  # fmt: skip
    # (acting, after) of each cell: acting_before, control_before, acting_after, control_after.
    flags = [(1, 0), (0, 0), (1, 1), (0, 1)]
    expanded = [
        (_expand((n - successes, successes), [0.0, 1.0]), acting, after)
        for (successes, n), (acting, after) in zip(counts, flags, strict=True)
    ]
    coefficient, error = _ols_hc0(expanded)
    assert effect.estimate == pytest.approx(coefficient, rel=1e-9, abs=1e-12)
    assert effect.standard_error == pytest.approx(error, rel=1e-9)
    # The same by the textbook formula, in numpy.
    p = np.array([s / n for s, n in counts])
    n = np.array([n for _, n in counts], dtype=float)
    assert effect.standard_error == pytest.approx(float(np.sqrt(np.sum(p * (1 - p) / n))), 1e-12)


_TABLES = st.lists(st.integers(0, 15), min_size=5, max_size=5).filter(lambda t: sum(t) > 0)


@settings(max_examples=60, deadline=None)
@given(st.tuples(_TABLES, _TABLES, _TABLES, _TABLES))
def test_did_of_ratings_is_ols_with_hc0(tables: tuple[list[int], ...]) -> None:
    try:
        effect = did_ratings(
            acting_before=tables[0], acting_after=tables[1],
            control_before=tables[2], control_after=tables[3],
        )  # fmt: skip
    except InsufficientDataError:
        assert all(sum(1 for count in table if count) == 1 for table in tables)
        return
    flags = [(1, 0), (1, 1), (0, 0), (0, 1)]
    scores = [1.0, 2.0, 3.0, 4.0, 5.0]
    coefficient, error = _ols_hc0(
        [(_expand(tuple(t), scores), a, b) for t, (a, b) in zip(tables, flags, strict=True)]
    )
    assert effect.estimate == pytest.approx(coefficient, rel=1e-9, abs=1e-12)
    assert effect.standard_error == pytest.approx(error, rel=1e-9)


_TRIPLES = st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)).filter(
    lambda t: sum(t) > 0
)


@settings(max_examples=60, deadline=None)
@given(st.tuples(_TRIPLES, _TRIPLES, _TRIPLES, _TRIPLES))
def test_did_of_nps_is_ols_on_the_scores_with_hc0(triples: tuple[tuple[int, ...], ...]) -> None:
    try:
        effect = did_nps(
            acting_before=triples[0], acting_after=triples[1],  # type: ignore[arg-type]
            control_before=triples[2], control_after=triples[3],  # type: ignore[arg-type]
        )  # fmt: skip
    except InsufficientDataError:
        assert all(sum(1 for count in triple if count) == 1 for triple in triples)
        return
    flags = [(1, 0), (1, 1), (0, 0), (0, 1)]
    cells = [
        (_expand((d, passives, p), [-100.0, 0.0, 100.0]), a, b)
        for (p, passives, d), (a, b) in zip(triples, flags, strict=True)
    ]
    coefficient, error = _ols_hc0(cells)
    assert effect.estimate == pytest.approx(coefficient, rel=1e-9, abs=1e-9)
    assert effect.standard_error == pytest.approx(error, rel=1e-9)
    assert effect.p_value == pytest.approx(2 * stats.norm.sf(abs(coefficient / error)), 1e-9)


# ---------------------------------------------------------------- before/after tests


def test_before_after_of_shares_is_statsmodels_proportions_ztest() -> None:
    effect = action_effect(
        _action(), before=[_share("S1", 120, 200)], after=[_share("S1", 141, 210)]
    )
    z, p = proportions_ztest([141, 120], [210, 200])
    assert effect.test == "two-proportion z-test (pooled)"
    assert effect.p_value == pytest.approx(float(p), rel=1e-9)
    assert effect.change == pytest.approx(141 / 210 - 120 / 200)
    assert (effect.before_n, effect.after_n) == (200, 210)
    assert effect.did is None
    assert effect.control_units == ()
    assert effect.verdict is (ActionVerdict.WORKED if p <= 0.05 else ActionVerdict.NO_REAL_CHANGE)
    assert z > 0


def test_before_after_of_ratings_is_scipy_mannwhitneyu() -> None:
    before, after = (3, 4, 6, 10, 7), (1, 2, 5, 11, 15)
    effect = action_effect(
        _action("score"), before=[_ratings("S1", before)], after=[_ratings("S1", after)]
    )
    expected = stats.mannwhitneyu(
        _expand(after, [1, 2, 3, 4, 5]), _expand(before, [1, 2, 3, 4, 5]),
        method="asymptotic", use_continuity=True,
    )  # fmt: skip
    assert effect.test.startswith("Mann-Whitney U")
    assert effect.p_value == pytest.approx(float(expected.pvalue), rel=1e-9)


def test_pooled_acting_units_add_their_evidence() -> None:
    effect = action_effect(
        _action(stores=("S1", "S2")),
        before=[_share("S1", 50, 100), _share("S2", 30, 100)],
        after=[_share("S1", 60, 100), _share("S2", 45, 100)],
    )
    assert effect.acting_units == ("S1", "S2")
    assert (effect.before, effect.before_n, effect.after, effect.after_n) == (0.4, 200, 0.525, 200)
    _, p = proportions_ztest([105, 80], [200, 200])
    assert effect.p_value == pytest.approx(float(p), rel=1e-9)


# ---------------------------------------------------------------- verdicts


def test_a_chain_wide_rise_is_not_credited_to_the_action() -> None:
    # The acting store rose 15 points, but so did the others: the DiD sees no effect.
    action = _action()
    before = [_share("S1", 100, 200), _share("S2", 300, 600), _share("S3", 100, 200)]
    after = [_share("S1", 130, 200), _share("S2", 390, 600), _share("S3", 130, 200)]
    effect = action_effect(action, before=before, after=after)
    assert effect.p_value is not None
    assert effect.p_value < 0.05  # before/after alone would say "worked"
    assert effect.control_units == ("S2", "S3")
    assert effect.did == pytest.approx(0.0, abs=1e-12)
    assert effect.verdict is ActionVerdict.NO_REAL_CHANGE
    expected = did_proportions(
        acting_before=(100, 200), acting_after=(130, 200),
        control_before=(400, 800), control_after=(520, 800),
    )  # fmt: skip
    assert effect.did_standard_error == pytest.approx(expected.standard_error)
    assert effect.did_p_value == pytest.approx(expected.p_value)
    assert (effect.did_low, effect.did_high) == pytest.approx(
        (expected.interval.low, expected.interval.high)
    )
    assert "difference-in-differences" in effect.method


def test_verdicts_follow_the_expected_direction() -> None:
    before, up = [_share("S1", 100, 400)], [_share("S1", 200, 400)]
    assert action_effect(_action(), before=before, after=up).verdict is ActionVerdict.WORKED
    assert action_effect(_action(), before=up, after=before).verdict is ActionVerdict.WORSE
    lower = _action(expected="lower")
    assert action_effect(lower, before=up, after=before).verdict is ActionVerdict.WORKED
    assert action_effect(lower, before=before, after=up).verdict is ActionVerdict.WORSE
    # An abandonment rate: less is better, and expected to fall by default.
    falls = IndicatorValue(
        indicator_id="fcr", store_id="S1", value=0.1, n=400, successes=40, direction="lower"
    )
    rises = IndicatorValue(
        indicator_id="fcr", store_id="S1", value=0.3, n=400, successes=120, direction="lower"
    )
    effect = action_effect(_action(), before=[rises], after=[falls])
    assert (effect.verdict, effect.expected.value) == (ActionVerdict.WORKED, "lower")
    # With controls, the verdict comes from the DiD, in the expected direction.
    with_controls = action_effect(
        _action(expected="lower"),
        before=[_share("S1", 200, 400), _share("S2", 200, 400)],
        after=[_share("S1", 100, 400), _share("S2", 200, 400)],
    )
    assert with_controls.did is not None
    assert with_controls.did < 0
    assert with_controls.verdict is ActionVerdict.WORKED


def test_not_enough_data_and_untested_values() -> None:
    action = _action()
    missing = action_effect(action, before=[], after=[_share("S1", 5, 10)])
    assert missing.verdict is ActionVerdict.NOT_ENOUGH_DATA
    assert missing.after is None  # measured in one period only: not a unit of the test
    empty = action_effect(action, before=[_share("S1", 0, 0)], after=[_share("S1", 5, 10)])
    assert empty.verdict is ActionVerdict.NOT_ENOUGH_DATA
    # Every control cell without variance: the DiD cannot be computed, and the verdict says so.
    flat = action_effect(
        action,
        before=[_share("S1", 0, 50), _share("S2", 0, 50)],
        after=[_share("S1", 0, 50), _share("S2", 0, 50)],
    )
    assert flat.verdict is ActionVerdict.NOT_ENOUGH_DATA
    # Average handle time covers every call: the change is given without a test.
    aht = _action("aht", expected="lower")

    def mean(store: str, value: float, n: int) -> IndicatorValue:
        return IndicatorValue(
            indicator_id="aht", store_id=store, value=value, n=n, unit="seconds",
            direction="lower",
        )  # fmt: skip

    effect = action_effect(
        aht,
        before=[mean("S1", 300.0, 100), mean("S2", 310.0, 300), mean("S3", 330.0, 100)],
        after=[mean("S1", 270.0, 100), mean("S2", 305.0, 100), mean("S3", 305.0, 300)],
    )
    assert effect.verdict is ActionVerdict.UNTESTED
    assert effect.change == pytest.approx(-30.0)
    # The others pooled, weighted by n: before 315, after 305.
    assert (effect.control_before, effect.control_after) == pytest.approx((315.0, 305.0))
    assert effect.did == pytest.approx(-20.0)
    assert effect.did_p_value is None
    assert effect.p_value is None
    assert "without a test" in effect.method


def test_nps_effects_use_the_nps_tests() -> None:
    def table(promoters: int, passives: int, detractors: int) -> tuple[int, ...]:
        return (detractors, 0, 0, 0, 0, 0, 0, passives, 0, 0, promoters)

    before = [
        _ratings("S1", table(80, 60, 60), "nps_points"),
        _ratings("S2", table(80, 60, 60), "nps_points"),
    ]
    after = [
        _ratings("S1", table(120, 50, 30), "nps_points"),
        _ratings("S2", table(84, 60, 56), "nps_points"),
    ]
    effect = action_effect(_action("score"), before=before, after=after)
    assert effect.test == "NPS difference (unpooled z-test)"
    assert (effect.before, effect.after) == pytest.approx((10.0, 45.0))
    expected = did_nps(
        acting_before=(80, 60, 60), acting_after=(120, 50, 30),
        control_before=(80, 60, 60), control_after=(84, 60, 56),
    )  # fmt: skip
    assert effect.did == pytest.approx(expected.estimate)
    assert effect.did_p_value == pytest.approx(expected.p_value)
    assert effect.verdict is ActionVerdict.WORKED


def test_ratings_effects_compute_the_did_of_the_tables() -> None:
    effect = action_effect(
        _action("score"),
        before=[_ratings("S1", (2, 3, 5, 5, 5)), _ratings("S2", (2, 3, 5, 5, 5))],
        after=[_ratings("S1", (0, 1, 3, 8, 8)), _ratings("S2", (2, 3, 5, 5, 4))],
    )
    expected = did_ratings(
        acting_before=(2, 3, 5, 5, 5), acting_after=(0, 1, 3, 8, 8),
        control_before=(2, 3, 5, 5, 5), control_after=(2, 3, 5, 5, 4),
    )  # fmt: skip
    assert effect.did == pytest.approx(expected.estimate)
    assert effect.did_standard_error == pytest.approx(expected.standard_error)


# ---------------------------------------------------------------- bad arguments


def test_bad_effect_arguments_are_reported_in_one_round() -> None:
    with pytest.raises(ValidationError) as error:
        action_effect(
            "CA-1",  # type: ignore[arg-type]
            before=[_share("S1", 1, 2), "x"],  # type: ignore[list-item]
            after=7,  # type: ignore[arg-type]
            alpha=1.5,
            confidence=True,
        )
    assert [p.path for p in error.value.problems] == [
        "$.action", "$.alpha", "$.confidence", "$.before[1]", "$.after",
    ]  # fmt: skip
    untargeted = ImprovementAction(
        id="A", type="immediate", title="Refund", owner="duty_manager", raised_at=RAISED,
        due=date(2026, 10, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        action_effect(untargeted, before=[], after=[])
    assert [p.path for p in error.value.problems] == ["$.action.target"]
    with pytest.raises(ValidationError) as error:
        action_effect(_action(), before=[_share(None, 1, 2)], after=[_share("S1", 1, 2)])
    assert [p.path for p in error.value.problems] == ["$.before"]
    with pytest.raises(ValidationError) as error:
        action_effect(_action(stores=()), before=[_share("S1", 1, 2), _share("S2", 1, 2)], after=[])
    assert [p.path for p in error.value.problems] == ["$.before"]


@pytest.mark.parametrize(
    ("arguments", "paths"),
    [
        (
            {"acting_before": (5, 4), "acting_after": "7", "control_before": (1, 2, 3),
             "control_after": (float("nan"), 2)},
            ["$.acting_before[0]", "$.acting_after", "$.control_before", "$.control_after[0]"],
        ),
        (
            {"acting_before": (1, 2), "acting_after": (1, 2), "control_before": (1, 2),
             "control_after": (1, 2), "confidence": 1.0},
            ["$.confidence"],
        ),
        (
            {"acting_before": (-1, 2), "acting_after": (True, 2), "control_before": (1, 10**13),
             "control_after": (1, 2)},
            ["$.acting_before[0]", "$.acting_after[0]", "$.control_before[1]"],
        ),
    ],
)  # fmt: skip
def test_bad_counts_are_validation_errors(arguments: dict[str, Any], paths: list[str]) -> None:
    with pytest.raises(ValidationError) as error:
        did_proportions(**arguments)
    assert [p.path for p in error.value.problems] == paths


def test_bad_tables_are_validation_errors_and_empty_cells_insufficient() -> None:
    with pytest.raises(ValidationError) as error:
        did_ratings(
            acting_before=(1, 2, 3), acting_after=(1, 2), control_before={1: 2},  # type: ignore[arg-type]
            control_after=(1, -2, 3),
        )  # fmt: skip
    assert [p.path for p in error.value.problems] == [
        "$.acting_after", "$.control_before", "$.control_after[1]",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as error:
        did_nps(acting_before=(1, 2), acting_after=(1, 2, 3), control_before=(1, 2, 3),  # type: ignore[arg-type]
                control_after=(1, 2, "3"))  # type: ignore[arg-type]  # fmt: skip
    assert [p.path for p in error.value.problems] == ["$.acting_before", "$.control_after[2]"]
    with pytest.raises(InsufficientDataError, match="acting_after"):
        did_ratings(
            acting_before=(1, 2), acting_after=(0, 0), control_before=(1, 2),
            control_after=(1, 2),
        )  # fmt: skip
    with pytest.raises(InsufficientDataError, match="no cell varies"):
        did_nps(
            acting_before=(5, 0, 0), acting_after=(5, 0, 0), control_before=(0, 3, 0),
            control_after=(0, 0, 9),
        )  # fmt: skip


# ---------------------------------------------------------------- on a store


def _calls(store_id: str, start: datetime, answered_in_time: int, late: int) -> list[Any]:
    return [
        ServiceInteraction(
            id=f"{store_id}-{start:%Y%m%d%H%M}-{n}", store_id=store_id, channel="hotline",
            occurred_at=start + timedelta(minutes=n),
            queue_time=timedelta(seconds=10 if n < answered_in_time else 60),
        )
        for n in range(answered_in_time + late)
    ]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(STORES))
def test_stored_effect_computes_both_periods_per_store(kind: str, tmp_path: Path) -> None:
    store = STORES[kind](tmp_path)
    try:
        # Periods meeting at London's repeated hour: the before period ends at 01:30 BST
        # (00:30 UTC), the after period begins at 01:30 GMT (01:30 UTC), an hour later.
        ends = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
        begins = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
        before_start = ends - timedelta(days=7)
        calls = [
            *_calls("S1", before_start, 60, 40),
            *_calls("S2", before_start, 60, 40),
            *_calls("S1", begins.astimezone(UTC), 90, 10),
            *_calls("S2", begins.astimezone(UTC), 62, 38),
            # Between the periods: in neither.
            *_calls("S1", ends.astimezone(UTC) + timedelta(minutes=1), 0, 30),
        ]
        with store.unit_of_work() as uow:
            uow.interactions.add_many(calls)
            uow.commit()
        action = raise_action(store, _action("service_level"))
        after_end = begins + timedelta(days=7)
        effect = stored_action_effect(
            store, "CA-1", before=(before_start, ends), after=(begins, after_end)
        )
        assert effect == stored_action_effect(
            store, action, before=(before_start, ends), after=(begins, after_end)
        )
        assert (effect.before, effect.after) == pytest.approx((0.6, 0.9))
        assert (effect.control_before, effect.control_after) == pytest.approx((0.6, 0.62))
        assert effect.did == pytest.approx(0.28)
        assert effect.verdict is ActionVerdict.WORKED
        # The same instants written in a half-hour zone give the same effect.
        assert effect == stored_action_effect(
            store, action, before=(before_start.astimezone(KOLKATA), ends.astimezone(KOLKATA)),
            after=(begins.astimezone(KOLKATA), after_end),
        )  # fmt: skip
        with pytest.raises(ValidationError) as error:
            stored_action_effect(store, action, before=(begins, after_end), after=(ends, begins))
        assert [p.path for p in error.value.problems] == ["$.after.start"]
        with pytest.raises(ValidationError) as error:
            stored_action_effect(
                store, " CA-1", before=(after_end, begins),
                after=(datetime(2026, 3, 29, 1, 30, tzinfo=LONDON), begins), alpha=0,
            )  # fmt: skip
        assert [p.path for p in error.value.problems] == [
            "$.action", "$.alpha", "$.before.end", "$.after.start",
        ]  # fmt: skip
        with pytest.raises(NotFoundError):
            stored_action_effect(
                store, "CA-2", before=(before_start, ends), after=(begins, after_end)
            )
    finally:
        store.close()


def test_acting_units_measured_in_one_period_only_are_named() -> None:
    effect = action_effect(
        _action(stores=("S1", "S9")),
        before=[_share("S1", 50, 100), _share("S2", 50, 100)],
        after=[_share("S1", 60, 100), _share("S2", 50, 100), _share("S9", 80, 100)],
    )
    assert effect.acting_units == ("S1",)
    assert effect.method.endswith("acting units left out, not measured in both periods: S9")


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
    st.lists(st.integers(-5, 10**13) | st.floats(allow_nan=True), max_size=4).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(st.tuples(_JUNK, _JUNK, _JUNK, _JUNK, _JUNK))
def test_anything_given_to_the_statistics_is_a_result_or_a_library_error(
    cells: tuple[Any, ...],
) -> None:
    for function in (did_proportions, did_ratings, did_nps):
        try:
            result = function(
                acting_before=cells[0], acting_after=cells[1], control_before=cells[2],
                control_after=cells[3], confidence=cells[4],
            )  # fmt: skip
        except (ValidationError, InsufficientDataError):
            continue
        assert math.isfinite(result.standard_error)
        assert 0 <= result.p_value <= 1


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_training_programmes_effect_compares_trained_staff_with_the_others(kind: str) -> None:
    """The trained agents (A-1, A-2) answer 90% of calls in time after the programme, the
    others still half: the difference-in-differences is 0.4, on both stores."""
    import retail_service_quality as rsq

    store: Store = rsq.InMemoryStore() if kind == "memory" else rsq.SQLiteStore(":memory:")
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    calls = []
    for period in (0, 1):
        for agent in ("A-1", "A-2", "A-3", "A-4"):
            trained = agent in ("A-1", "A-2") and period == 1
            for n in range(100):
                fast = n % 10 < 9 if trained else n % 2 == 0
                calls.append(
                    rsq.ServiceInteraction(
                        id=f"C-{period}-{agent}-{n}", store_id="S1", channel="hotline",
                        occurred_at=start + timedelta(days=28 * period, minutes=n),
                        queue_time=timedelta(seconds=5 if fast else 40), agent_id=agent,
                    )
                )  # fmt: skip
    with store.unit_of_work() as uow:
        uow.interactions.add_many(calls)
        uow.commit()
    action = rsq.ImprovementAction(
        id="TRAIN-P-1", type="improvement", title="Call handling programme",
        owner="training_lead", raised_at=start + timedelta(days=7), due=date(2026, 3, 27),
        target=rsq.ActionTarget("service_level", staff_ids=["A-1", "A-2"]),
    )  # fmt: skip
    effect = rsq.stored_action_effect(
        store, action,
        before=(start, start + timedelta(days=1)),
        after=(start + timedelta(days=28), start + timedelta(days=29)),
    )  # fmt: skip
    assert (effect.acting_units, effect.control_units) == (("A-1", "A-2"), ("A-3", "A-4"))
    assert (effect.before, effect.after) == (0.5, 0.9)
    assert effect.did == pytest.approx(0.4)
    assert effect.verdict is rsq.ActionVerdict.WORKED
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.ActionTarget("csat", store_ids=["S1"], staff_ids=["A-1"])
    assert [p.path for p in caught.value.problems] == ["$.staff_ids"]
    store.close()
