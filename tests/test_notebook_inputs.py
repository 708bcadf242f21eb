"""The calculators take what notebooks hold: pandas Series, numpy arrays and DataFrames.

Whole-number floats (what pandas reads from a column with gaps) count as
their integer; missing values are refused with ``missing="raise"`` (code
``required``, position named) and left out with ``missing="drop"``. NPS,
CSAT and CES also come from counts, and `compare_nps` takes results.
"""

from __future__ import annotations

import contextlib
import importlib
import math
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    InsufficientDataError,
    MeanResult,
    ServqualResponse,
    ValidationError,
    ces,
    ces_from_counts,
    compare_nps,
    cronbach_alpha,
    csat,
    csat_from_counts,
    mann_whitney_u,
    mean_interval,
    nps,
    nps_from_counts,
    percentile,
    servqual,
)
from retail_service_quality.errors import CODES

pd: Any = importlib.import_module("pandas")  # a dev dependency; never imported by the library


def problems_of(call: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return [(problem.path, problem.code) for problem in error.value.problems]


scores_0_10 = st.lists(st.integers(0, 10), min_size=1, max_size=60)
gaps = st.lists(st.booleans(), max_size=60)


def with_gaps(scores: list[int], holes: list[bool]) -> tuple[list[float], list[int]]:
    """``scores`` as floats with NaN slotted in where ``holes`` says, and the NaN positions."""
    values: list[float] = []
    positions: list[int] = []
    for index, score in enumerate(scores):
        if index < len(holes) and holes[index]:
            positions.append(len(values))
            values.append(math.nan)
        values.append(float(score))
    return values, positions


# ---------------------------------------------------------------- Series and arrays


class TestSeriesAndArrays:
    def test_a_csv_column_with_a_gap_reads_as_floats_and_is_scored(self) -> None:
        import io

        column = pd.read_csv(io.StringIO("score\n10\n9\n\n3\n8\nn/a\n"), skip_blank_lines=False)
        series = column["score"]
        assert series.dtype == np.float64  # the gap makes the column float
        assert problems_of(lambda: nps(series)) == [
            ("$.scores[2]", "required"),
            ("$.scores[5]", "required"),
        ]
        assert nps(series, missing="drop") == nps([10, 9, 3, 8])

    @settings(max_examples=60, deadline=None)
    @given(scores=scores_0_10, holes=gaps)
    def test_dropping_missing_scores_equals_leaving_them_out(
        self, scores: list[int], holes: list[bool]
    ) -> None:
        values, positions = with_gaps(scores, holes)
        series = pd.Series(values)
        assert nps(series, missing="drop") == nps(scores)
        assert nps(np.array(values), missing="drop") == nps(scores)
        if positions:
            assert problems_of(lambda: nps(series)) == [
                (f"$.scores[{index}]", "required") for index in positions
            ]
        else:
            assert nps(series) == nps(scores)

    @settings(max_examples=40, deadline=None)
    @given(ratings=st.lists(st.integers(1, 5), min_size=1, max_size=40), holes=gaps)
    def test_csat_and_ces_drop_what_is_missing(self, ratings: list[int], holes: list[bool]) -> None:
        values, _ = with_gaps(ratings, holes)
        nullable = pd.Series([None if math.isnan(v) else int(v) for v in values], dtype="Int64")
        assert csat(nullable, missing="drop") == csat(ratings)
        assert ces(pd.Series(values), scale=5, missing="drop") == ces(ratings, scale=5)
        top_box = ces(np.array(values), scale=5, method="top_box", threshold=4, missing="drop")
        assert top_box == ces(ratings, scale=5, method="top_box", threshold=4)

    @settings(max_examples=40, deadline=None)
    @given(
        values=st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40),
        holes=gaps,
        q=st.floats(0, 100),
    )
    def test_real_valued_calculators_drop_what_is_missing(
        self, values: list[float], holes: list[bool], q: float
    ) -> None:
        gappy: list[float] = []
        for index, value in enumerate(values):
            if index < len(holes) and holes[index]:
                gappy.append(math.nan)
            gappy.append(value)
        series = pd.Series(gappy)
        assert mean_interval(series, missing="drop") == mean_interval(values)
        assert percentile(series, q, missing="drop") == percentile(values, q)
        assert percentile(series, q, missing="drop") == pytest.approx(
            float(np.nanpercentile(np.array(gappy), q)), rel=1e-9, abs=1e-9
        )
        other = [value + 1 for value in values]
        try:
            expected = mann_whitney_u(values, other)
        except InsufficientDataError:
            return
        assert mann_whitney_u(series, np.array(other), missing="drop") == expected

    @settings(max_examples=60, deadline=None)
    @given(
        values=st.lists(
            st.integers(-2, 12) | st.sampled_from([9.0, 9.5, math.nan, math.inf, True, 10**400]),
            max_size=30,
        ),
        drop=st.booleans(),
    )
    def test_a_list_an_iterator_and_an_object_array_read_alike(
        self, values: list[Any], drop: bool
    ) -> None:
        missing = "drop" if drop else "raise"

        def outcome(sample: Callable[[], Any]) -> list[object]:
            found: list[object] = []
            for calculator in (nps, mean_interval):
                try:
                    found.append(calculator(sample(), missing=missing))
                except ValidationError as error:
                    found.append(error.problems)
                except InsufficientDataError:
                    found.append("insufficient")
            return found

        expected = outcome(lambda: values)
        assert outcome(lambda: iter(values)) == expected
        assert outcome(lambda: tuple(values)) == expected
        assert outcome(lambda: np.array(values, dtype=object)) == expected

    def test_whole_number_floats_count_as_their_integer(self) -> None:
        numpy_scalars: list[Any] = [np.float32(3.0), np.int64(8)]
        assert nps([10.0, 9.0, *numpy_scalars]) == nps([10, 9, 3, 8])
        assert csat(np.array([5.0, 4.0, 2.0])) == csat([5, 4, 2])
        assert problems_of(lambda: nps(pd.Series([10.0, 9.5, 3.0]))) == [("$.scores[1]", "type")]

    def test_positions_count_from_zero_whatever_the_index_says(self) -> None:
        series = pd.Series([10, None, 9], index=[101, 205, 307], dtype="Int64")
        assert problems_of(lambda: nps(series)) == [("$.scores[1]", "required")]
        assert problems_of(lambda: mean_interval(series.astype("Float64"))) == [
            ("$.values[1]", "required")
        ]

    def test_nothing_left_after_dropping_is_insufficient_data(self) -> None:
        empty = pd.Series([np.nan, None, pd.NA], dtype=object)
        for call in (
            lambda: nps(empty, missing="drop"),
            lambda: csat(empty, missing="drop"),
            lambda: ces(empty, missing="drop"),
            lambda: mean_interval(empty, missing="drop"),
            lambda: percentile(empty, 50, missing="drop"),
            lambda: mann_whitney_u(empty, [1.0], missing="drop"),
            lambda: compare_nps(empty, [10], missing="drop"),
            lambda: cronbach_alpha([[1, None], [None, 2]], missing="drop"),
        ):
            with pytest.raises(InsufficientDataError):
                call()

    def test_an_unknown_missing_policy_is_refused_with_the_rest(self) -> None:
        assert problems_of(lambda: nps([10, 11], missing="ignore")) == [
            ("$.missing", "unknown_choice")
        ]
        assert problems_of(lambda: mean_interval([1.0, "x"], missing=None)) == [  # type: ignore[list-item, arg-type]
            ("$.missing", "type"),
            ("$.values[1]", "type"),
        ]

    def test_pandas_missing_markers_all_count_as_missing(self) -> None:
        values = pd.Series([10, None, np.nan, pd.NA, pd.NaT, 9], dtype=object)
        assert [path for path, _ in problems_of(lambda: nps(values))] == [
            "$.scores[1]",
            "$.scores[2]",
            "$.scores[3]",
            "$.scores[4]",
        ]
        assert nps(values, missing="drop") == nps([10, 9])


# ---------------------------------------------------------------- Cronbach's alpha


def alpha_oracle(table: Any) -> float:
    """Cronbach's alpha as pingouin computes it: from the item covariance matrix, listwise."""
    complete = table.dropna().to_numpy(dtype=float)
    k = complete.shape[1]
    covariance = np.cov(complete, rowvar=False, ddof=1)
    return float(k / (k - 1) * (1 - np.trace(covariance) / covariance.sum()))


tables = st.integers(2, 6).flatmap(
    lambda k: st.lists(
        st.lists(st.integers(1, 7) | st.none(), min_size=k, max_size=k), min_size=2, max_size=25
    )
)


class TestCronbachAlpha:
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=tables)
    def test_a_dataframe_agrees_with_the_covariance_formula_listwise(
        self, rows: list[list[int | None]]
    ) -> None:
        frame = pd.DataFrame(rows, columns=[f"q{i}" for i in range(len(rows[0]))], dtype=float)
        complete = frame.dropna()
        totals = complete.sum(axis=1)
        if len(complete) < 2 or totals.var(ddof=1) == 0:
            with pytest.raises(InsufficientDataError):
                cronbach_alpha(frame, missing="drop")
            return
        expected = alpha_oracle(frame)
        assert cronbach_alpha(frame, missing="drop") == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert cronbach_alpha(frame.to_numpy(), missing="drop") == cronbach_alpha(
            frame, missing="drop"
        )
        assert cronbach_alpha(rows, missing="drop") == cronbach_alpha(frame, missing="drop")
        holes = [(i, j) for i, row in enumerate(rows) for j, v in enumerate(row) if v is None]
        if holes:
            assert problems_of(lambda: cronbach_alpha(frame)) == [
                (f"$.scores[{i}][{j}]", "required") for i, j in holes
            ]

    def test_a_dataframe_a_2d_array_and_rows_give_one_answer(self) -> None:
        rows = [[4, 5, 4], [3, 3, 4], [5, 5, 5], [2, 3, 2]]
        frame = pd.DataFrame(rows, columns=["q1", "q2", "q3"])
        assert cronbach_alpha(frame) == cronbach_alpha(np.array(rows)) == cronbach_alpha(rows)
        assert cronbach_alpha(frame) == pytest.approx(0.9387755102040817)
        nullable = frame.astype("Int64")
        nullable.iloc[1, 2] = pd.NA
        assert problems_of(lambda: cronbach_alpha(nullable)) == [("$.scores[1][2]", "required")]
        assert cronbach_alpha(nullable, missing="drop") == cronbach_alpha([rows[0], *rows[2:]])

    def test_a_table_whose_to_numpy_takes_no_dtype_is_read_too(self) -> None:
        class Table:  # as polars' DataFrame: columns, and to_numpy() without a dtype
            columns = ("q1", "q2")

            def to_numpy(self) -> Any:
                return np.array([[1, 2], [2, 4], [3, 3]])

        assert cronbach_alpha(Table()) == cronbach_alpha([[1, 2], [2, 4], [3, 3]])

    def test_rows_may_be_arrays(self) -> None:
        rows = [np.array([1, 2]), np.array([2, 4]), np.array([3, 3])]
        assert cronbach_alpha(rows) == cronbach_alpha([[1, 2], [2, 4], [3, 3]])

    def test_tables_of_the_wrong_shape_or_kind_are_refused(self) -> None:
        assert problems_of(lambda: cronbach_alpha(np.zeros((2, 2, 2)))) == [("$.scores", "type")]
        assert problems_of(lambda: cronbach_alpha(np.array(3))) == [("$.scores", "type")]
        dates = pd.DataFrame({"a": pd.to_datetime(["2026-01-01", "2026-01-02"]), "b": [1, 2]})
        assert problems_of(lambda: cronbach_alpha(dates)) == [
            ("$.scores[0][0]", "type"),
            ("$.scores[1][0]", "type"),
        ]
        assert problems_of(
            lambda: cronbach_alpha(np.array([["2026-01-01"] * 2] * 2, dtype="datetime64[ns]"))
        ) == [("$.scores", "type")]
        assert problems_of(lambda: cronbach_alpha([[1, 2], [1, 2, 3]])) == [
            ("$.scores[1]", "inconsistent")
        ]


# ---------------------------------------------------------------- counts


class TestFromCounts:
    @settings(max_examples=80, deadline=None)
    @given(
        scores=scores_0_10,
        confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
        method=st.sampled_from(["wald", "adjusted_wald"]),
    )
    def test_nps_from_counts_equals_nps_of_the_scores(
        self, scores: list[int], confidence: float, method: str
    ) -> None:
        promoters = sum(1 for score in scores if score >= 9)
        detractors = sum(1 for score in scores if score <= 6)
        result = nps_from_counts(
            promoters=promoters,
            passives=len(scores) - promoters - detractors,
            detractors=detractors,
            confidence=confidence,
            method=method,
        )
        assert result == nps(scores, confidence=confidence, method=method)

    @settings(max_examples=80, deadline=None)
    @given(ratings=st.lists(st.integers(1, 5), min_size=1, max_size=60), top_box=st.integers(1, 4))
    def test_csat_from_counts_equals_csat_of_the_ratings(
        self, ratings: list[int], top_box: int
    ) -> None:
        satisfied = sum(1 for rating in ratings if rating > 5 - top_box)
        assert csat_from_counts(satisfied=satisfied, n=len(ratings)) == csat(
            ratings, top_box=top_box
        )

    @settings(max_examples=80, deadline=None)
    @given(
        ratings=st.lists(st.integers(1, 7), min_size=1, max_size=60),
        threshold=st.integers(1, 7),
    )
    def test_ces_from_a_frequency_table_equals_ces_of_the_ratings(
        self, ratings: list[int], threshold: int
    ) -> None:
        table = Counter(ratings)
        mean = ces_from_counts(table)
        assert mean == ces(ratings)
        assert isinstance(mean, MeanResult)
        welford = mean_interval(ratings)  # the other algorithm, as an oracle
        assert mean.value == pytest.approx(welford.value, rel=1e-12)
        if welford.standard_deviation is None:
            assert mean.standard_deviation is None
        else:
            assert mean.standard_deviation == pytest.approx(
                welford.standard_deviation, rel=1e-9, abs=1e-12
            )
        series_table = pd.Series([float(r) for r in ratings]).value_counts()
        assert ces_from_counts(series_table, method="top_box", threshold=threshold) == ces(
            ratings, method="top_box", threshold=threshold
        )

    def test_huge_counts_are_computed_without_repeating_the_ratings(self) -> None:
        result = ces_from_counts({1: 2**40, 7: 2**40})
        assert isinstance(result, MeanResult)
        assert (result.n, result.value) == (2**41, 4.0)
        assert nps_from_counts(promoters=2**52, passives=0, detractors=2**51).score == 100 / 3

    def test_bad_counts_are_reported_with_codes(self) -> None:
        assert problems_of(lambda: nps_from_counts(promoters=-1, passives=1.5, detractors=2)) == [  # type: ignore[arg-type]
            ("$.promoters", "range"),
            ("$.passives", "type"),
        ]
        assert problems_of(
            lambda: nps_from_counts(promoters=2**53 - 1, passives=1, detractors=0)
        ) == [("$.passives", "range")]
        assert problems_of(lambda: csat_from_counts(satisfied=11, n=10)) == [
            ("$.satisfied", "inconsistent")
        ]
        assert problems_of(lambda: ces_from_counts({0: 1, "x": 2, 3: -1, 4: 2.5})) == [  # type: ignore[dict-item]
            ("$.counts['0']", "range"),
            ("$.counts.x", "type"),
            ("$.counts['3']", "range"),
            ("$.counts['4']", "type"),
        ]
        assert problems_of(lambda: ces_from_counts(pd.Series([1, 2], index=[3, 3]))) == [
            ("$.counts['3']", "duplicate")
        ]
        assert problems_of(lambda: ces_from_counts([(1, 2)])) == [("$.counts", "type")]  # type: ignore[arg-type]

    def test_no_respondents_is_insufficient_data(self) -> None:
        for call in (
            lambda: nps_from_counts(promoters=0, passives=0, detractors=0),
            lambda: csat_from_counts(satisfied=0, n=0),
            lambda: ces_from_counts({}),
            lambda: ces_from_counts({5: 0}, method="top_box"),
        ):
            with pytest.raises(InsufficientDataError):
                call()


# ---------------------------------------------------------------- compare_nps with results


class TestCompareResults:
    @settings(max_examples=80, deadline=None)
    @given(first=scores_0_10, second=scores_0_10)
    def test_results_compare_as_their_samples_do(self, first: list[int], second: list[int]) -> None:
        try:
            expected = compare_nps(first, second)
        except InsufficientDataError:
            with pytest.raises(InsufficientDataError):
                compare_nps(nps(first), nps(second))
            return
        assert compare_nps(nps(first), nps(second)) == expected
        assert compare_nps(nps(first, method="adjusted_wald"), second) == expected
        assert compare_nps(pd.Series(first), nps(second, confidence=0.8)) == expected

    def test_a_bad_sample_beside_a_result_is_still_reported(self) -> None:
        assert problems_of(lambda: compare_nps(nps([10, 3]), [10, 11])) == [
            ("$.second[1]", "range")
        ]


# ---------------------------------------------------------------- SERVQUAL responses


def test_servqual_responses_take_whole_number_floats_and_series() -> None:
    expect = dict.fromkeys(range(1, 23), 6)
    perceive = dict.fromkeys(range(1, 23), 5)
    as_floats = ServqualResponse(
        pd.Series({item: float(score) for item, score in expect.items()}),
        {float(item): float(score) for item, score in perceive.items()},  # type: ignore[misc]
    )
    assert as_floats == ServqualResponse(expect, perceive)
    assert servqual([as_floats]) == servqual([ServqualResponse(expect, perceive)])
    with pytest.raises(ValidationError) as error:
        ServqualResponse(expect, perceive | {5: math.nan, 6: 4.5})  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.perceptions['5']", "required"),
        ("$.perceptions['6']", "type"),
    ]


# ---------------------------------------------------------------- fuzz: odd dtypes

ODD_COLUMNS: list[Callable[[], Any]] = [
    lambda: np.array([1, 2, 3], dtype=object),
    lambda: np.array([True, False, True]),
    lambda: np.array(["2026-10-25T01:30", "2026-03-29T01:30", "NaT"], dtype="datetime64[ns]"),
    lambda: np.array([1, 2, 3], dtype="timedelta64[s]"),
    lambda: np.array([np.timedelta64(9, "s"), np.datetime64("2026-01-01")], dtype=object),
    lambda: np.array(["9", "10", "\ud800"]),
    lambda: np.array([b"9", b"10"]),
    lambda: np.array([1 + 2j, 3 + 0j]),
    lambda: np.array([2**63 - 1, 2**62], dtype=np.int64),
    lambda: np.array([2**64 - 1, 0], dtype=np.uint64),
    lambda: np.array([10**400, -(10**400)], dtype=object),
    lambda: np.array([np.inf, -np.inf, np.nan, 1e308]),
    lambda: np.array([np.float16(9), np.float32(9.5), np.longdouble(3)], dtype=object),
    lambda: np.array(5),
    lambda: np.array([]),
    lambda: np.zeros((2, 3)),
    lambda: np.zeros((2, 2, 2)),
    lambda: np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]),
    lambda: pd.Series([1, 2, 3], dtype="category"),
    lambda: pd.Series(["a", "b", None], dtype="string"),
    lambda: pd.Series([True, None], dtype="boolean"),
    lambda: pd.Series([1, None], dtype="Int64"),
    lambda: pd.Series([1.5, None], dtype="Float64"),
    lambda: pd.Series(
        pd.to_datetime(["2026-10-25 01:30"]).tz_localize("Europe/London", ambiguous=True)
    ),
    lambda: pd.Series(pd.to_timedelta([1, 2], unit="s")),
    lambda: pd.Series([pd.Timestamp("2026-01-01"), 3, "x", None, [1], {"a": 1}]),
    lambda: pd.Series([timedelta(seconds=1), 9]),
    lambda: pd.Series(pd.period_range("2026-01", periods=2, freq="M")),
    lambda: pd.Series(pd.arrays.SparseArray([0, 0, 9])),
    lambda: pd.Series([pd.Interval(0, 1)]),
    lambda: pd.DataFrame({"a": [1, 2], "b": ["x", None]}),
    lambda: pd.DataFrame({"a": pd.to_datetime(["2026-01-01", "2026-01-02"]), "b": [1.0, 2.0]}),
    lambda: pd.DataFrame({"a": [1 + 1j, 2j], "b": [True, False]}),
    lambda: pd.DataFrame({"a": pd.Series([1, None], dtype="Int64"), "b": [2**70, 3]}),
    lambda: pd.DataFrame(),
    lambda: pd.Index([9, 10]),
    lambda: pd.MultiIndex.from_tuples([(1, 2), (3, 4)]),
]
MISSING_CHOICES: list[Any] = ["raise", "drop", None, "omit", 1]

SAMPLE_CALLS: dict[str, Callable[[Any, Any], object]] = {
    "nps": lambda sample, missing: nps(sample, missing=missing),
    "csat": lambda sample, missing: csat(sample, missing=missing),
    "ces": lambda sample, missing: ces(sample, missing=missing),
    "ces_top_box": lambda sample, missing: ces(sample, method="top_box", missing=missing),
    "compare_nps": lambda sample, missing: compare_nps(sample, sample, missing=missing),
    "mann_whitney_u": lambda sample, missing: mann_whitney_u(sample, [1.0, 2.0], missing=missing),
    "mean_interval": lambda sample, missing: mean_interval(sample, missing=missing),
    "percentile": lambda sample, missing: percentile(sample, 50, missing=missing),
    "cronbach_alpha": lambda sample, missing: cronbach_alpha(sample, missing=missing),
    "ces_from_counts": lambda sample, missing: ces_from_counts(sample),
    "servqual_response": lambda sample, missing: ServqualResponse({}, sample),
}


@pytest.mark.parametrize("name", sorted(SAMPLE_CALLS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    column=st.sampled_from(ODD_COLUMNS),
    missing=st.sampled_from(MISSING_CHOICES),
    wrap=st.sampled_from(["as is", "list", "series", "frame", "frame rows"]),
)
def test_odd_dtypes_give_only_the_librarys_errors(
    name: str, column: Callable[[], Any], missing: Any, wrap: str
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy and pandas warn about some of these on creation
        sample = column()
        wrappers: dict[str, Callable[[Any], Any]] = {
            "as is": lambda values: values,
            "list": list,
            "series": pd.Series,
            "frame": lambda values: pd.DataFrame({"a": values, "b": values}),
            "frame rows": lambda values: [list(values), list(values)],
        }
        # a wrapping pandas or Python refuses: the column goes as it is
        with contextlib.suppress(TypeError, ValueError, NotImplementedError):
            sample = wrappers[wrap](sample)
    try:
        SAMPLE_CALLS[name](sample, missing)
    except InsufficientDataError:
        return
    except ValidationError as error:
        problems = error.problems
    else:
        return
    assert problems
    assert all(problem.path.startswith("$") for problem in problems)
    assert all(problem.code in CODES for problem in problems)
