"""Performance criteria: bands per direction, evidence and significance, dates, alerts, JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from retail_service_quality import (
    CriterionAlert,
    CriterionResult,
    CriterionStatus,
    IndicatorValue,
    Interval,
    PerformanceCriterion,
    RSQError,
    RuleSet,
    StandardReference,
    ValidationError,
    criteria_rules,
    criterion_in_force,
    evaluate_criteria,
    from_json,
    json_schema,
    monitor_criteria,
    to_json,
    unstructure,
    wilson_interval,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.rules import Rule, eq, flag
from retail_service_quality.testing.strategies import identifiers, real_datetimes

GREEN, AMBER, RED = CriterionStatus.GREEN, CriterionStatus.AMBER, CriterionStatus.RED
NOT_ENOUGH = CriterionStatus.NOT_ENOUGH_DATA
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
START = datetime(2026, 1, 1, tzinfo=UTC)
AT = datetime(2026, 6, 1, tzinfo=UTC)
SQ = StandardReference("SQ-01", version="2026", clause="4.2 customer satisfaction")


def _criterion(**changes: Any) -> PerformanceCriterion:
    fields: dict[str, Any] = {
        "id": "csat",
        "indicator_id": "csat",
        "target": 0.85,
        "amber_threshold": 0.75,
        "min_n": 30,
        "effective_from": START,
        "standard": SQ,
    }
    fields.update(changes)
    return PerformanceCriterion(**fields)


def _asa(**changes: Any) -> PerformanceCriterion:
    fields: dict[str, Any] = {
        "id": "asa",
        "indicator_id": "asa",
        "direction": "lower",
        "target": 20.0,
        "amber_threshold": 30.0,
    }
    fields.update(changes)
    return _criterion(**fields)


def _value(value: float | None, n: int = 100, **changes: Any) -> IndicatorValue:
    fields: dict[str, Any] = {"indicator_id": "csat", "value": value, "n": n}
    fields.update(changes)
    return IndicatorValue(**fields)


def _seconds(value: float | None, n: int = 100, **changes: Any) -> IndicatorValue:
    return _value(value, n, indicator_id="asa", direction="lower", unit="seconds", **changes)


def _one(criterion: PerformanceCriterion, value: IndicatorValue, **kwargs: Any) -> CriterionResult:
    kwargs.setdefault("at", AT)
    (result,) = evaluate_criteria([criterion], [value], **kwargs)
    return result


def _paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


# ---------------------------------------------------------------- bands, by hand


@pytest.mark.parametrize(
    ("value", "status"),
    [(0.95, GREEN), (0.85, GREEN), (0.8499, AMBER), (0.80, AMBER), (0.75, AMBER),
     (0.7499, RED), (0.10, RED)],
)  # fmt: skip
def test_higher_is_better_bands_are_closed_on_the_side_of_the_target(
    value: float, status: CriterionStatus
) -> None:
    result = _one(_criterion(), _value(value))
    assert result.status is status
    assert result.significant  # no interval: counted over every case
    assert result.possible == (status,)


@pytest.mark.parametrize(
    ("seconds", "status"),
    [(5.0, GREEN), (20.0, GREEN), (20.001, AMBER), (25.0, AMBER), (30.0, AMBER),
     (30.001, RED), (600.0, RED)],
)  # fmt: skip
def test_lower_is_better_bands_mirror_them(seconds: float, status: CriterionStatus) -> None:
    assert _one(_asa(), _seconds(seconds)).status is status


def test_the_evidence_travels_with_the_colour() -> None:
    # 156 of 200 satisfied: 0.78, Wilson 95% about [0.718, 0.833]: amber, but the interval
    # reaches below the amber threshold (0.75), so amber is not beyond noise.
    interval = wilson_interval(156, 200)
    assert interval.low < 0.75 < interval.high < 0.85
    result = _one(
        _criterion(business_unit="retail"),
        _value(0.78, 200, business_unit="retail", interval=interval, method="top-2-box"),
    )
    assert (result.status, result.significant, result.possible) == (AMBER, False, (AMBER, RED))
    assert (result.best, result.worst) == (AMBER, RED)
    assert (result.value, result.n, result.interval, result.method) == (
        0.78, 200, interval, "top-2-box",
    )  # fmt: skip
    assert (result.target, result.amber_threshold, result.min_n) == (0.85, 0.75, 30)
    assert (result.criterion_id, result.business_unit, result.standard) == ("csat", "retail", SQ)
    (row,) = result.to_records()
    assert (row["status"], row["best"], row["worst"], row["low"], row["standard_clause"]) == (
        "amber", "amber", "red", interval.low, "4.2 customer satisfaction",
    )  # fmt: skip
    assert "possible" not in row


@pytest.mark.parametrize(
    ("value", "low", "high", "status", "possible"),
    [
        (0.90, 0.86, 0.94, GREEN, (GREEN,)),
        (0.90, 0.85, 0.94, GREEN, (GREEN,)),  # the low bound exactly on the target: green
        (0.90, 0.84, 0.94, GREEN, (GREEN, AMBER)),
        (0.80, 0.75, 0.8499, AMBER, (AMBER,)),  # both bounds inside the amber band
        (0.80, 0.70, 0.90, AMBER, (GREEN, AMBER, RED)),
        (0.60, 0.50, 0.7499, RED, (RED,)),
        (0.60, 0.50, 0.75, RED, (AMBER, RED)),  # the high bound on the amber threshold
    ],
)
def test_a_colour_is_significant_only_when_its_whole_interval_lies_in_its_band(
    value: float,
    low: float,
    high: float,
    status: CriterionStatus,
    possible: tuple[CriterionStatus, ...],
) -> None:
    result = _one(_criterion(), _value(value, interval=Interval(low, high, 0.95)))
    assert (result.status, result.possible) == (status, possible)
    assert result.significant is (possible == (status,))


def test_lower_is_better_intervals_ending_on_the_target_are_green() -> None:
    on_target = _one(_asa(), _seconds(18.0, interval=Interval(15.0, 20.0, 0.95)))
    assert (on_target.status, on_target.significant) == (GREEN, True)
    across = _one(_asa(), _seconds(18.0, interval=Interval(15.0, 20.5, 0.95)))
    assert (across.status, across.significant, across.possible) == (GREEN, False, (GREEN, AMBER))


def test_without_an_amber_band_the_interval_goes_from_green_to_red() -> None:
    criterion = _criterion(target=0.8, amber_threshold=0.8)
    assert criterion.band(0.8) is GREEN
    assert criterion.band(0.7999) is RED
    result = _one(criterion, _value(0.9, interval=Interval(0.7, 0.95, 0.95)))
    assert result.possible == (GREEN, RED)


def test_too_few_cases_is_not_enough_data_never_a_colour() -> None:
    criterion = _criterion(min_n=50)
    assert _one(criterion, _value(0.99, 50)).status is GREEN
    short = _one(criterion, _value(0.10, 49, interval=Interval(0.01, 0.3, 0.95)))
    assert (short.status, short.significant, short.possible) == (NOT_ENOUGH, False, ())
    assert (short.best, short.worst, short.value, short.n) == (None, None, 0.10, 49)
    empty = _one(criterion, _value(None, 0))
    assert (empty.status, empty.significant) == (NOT_ENOUGH, False)


# ---------------------------------------------------------------- which criterion


def test_a_units_own_criterion_wins_over_one_for_every_unit() -> None:
    every = _criterion(id="all", target=0.8)
    online = _criterion(id="online", business_unit="online", target=0.9)
    values = [
        _value(0.85, store_id="S1"),  # the store's unit from the mapping
        _value(0.85, store_id="S2"),  # a store the mapping does not name: every unit's
        _value(0.85, business_unit="online"),  # the value's own unit
        _value(0.85, business_unit="retail", store_id="S1"),  # its own unit wins
    ]
    results = evaluate_criteria(
        [every, online], values, at=AT, business_units={"S1": "online", "S2": "bogus-free"}
    )
    assert [(r.criterion_id, r.business_unit, r.status) for r in results] == [
        ("online", "online", AMBER),
        ("all", "bogus-free", GREEN),
        ("online", "online", AMBER),
        ("all", "retail", GREEN),
    ]


def test_a_value_no_criterion_judges_gives_no_result() -> None:
    later = _criterion(effective_from=datetime(2027, 1, 1, tzinfo=UTC))
    values = [_value(0.9, indicator_id="nps"), _value(0.9)]
    assert evaluate_criteria([later], values, at=AT) == []
    online = _criterion(business_unit="online")
    assert evaluate_criteria([online], [_value(0.9, business_unit="retail")], at=AT) == []


def test_replacing_a_criterion_at_an_instant_across_the_repeated_london_hour() -> None:
    # 01:30 in the second (GMT) pass of 2026-10-25 is 01:30 UTC; 01:45 in the first (BST)
    # pass is 00:45 UTC: earlier, though its wall clock reads later.
    change = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    old = _criterion(id="old", effective_until=change)
    new = _criterion(id="new", target=0.9, effective_from=change)
    criteria = [old, new]
    for moment, expected in [
        (datetime(2026, 10, 25, 1, 45, tzinfo=LONDON), "old"),
        (datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON), "old"),
        (change, "new"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "new"),
        (datetime(2026, 10, 25, 7, 0, tzinfo=KOLKATA), "new"),  # 01:30 UTC
    ]:
        found = criterion_in_force(criteria, indicator_id="csat", at=moment)
        assert found is not None
        assert found.id == expected, moment
        assert found.in_force(moment)
        (result,) = evaluate_criteria(criteria, [_value(0.87)], at=moment)
        assert result.criterion_id == expected
    assert not old.in_force(change)


def test_a_wall_time_the_clocks_skip_is_refused() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    with pytest.raises(ValidationError) as caught:
        _criterion(effective_from=skipped)
    assert _paths(caught) == ["$.effective_from"]
    with pytest.raises(ValidationError) as at:
        evaluate_criteria([_criterion()], [_value(0.9)], at=skipped)
    assert _paths(at) == ["$.at"]
    with pytest.raises(ValidationError) as naive:
        _criterion().in_force(datetime(2026, 3, 1))
    assert _paths(naive) == ["$.at"]


@pytest.mark.parametrize(
    ("zone", "judged_by"),
    [
        ("UTC", "new"),  # April starts at 00:00 UTC: the new criterion is in force
        ("Asia/Kolkata", "old"),  # April starts at 18:30 UTC on 31 March
        ("Australia/Adelaide", "old"),  # at 13:30 UTC on 31 March (ACDT, +10:30)
        ("America/Los_Angeles", "new"),  # at 07:00 UTC on 1 April
    ],
)
def test_a_month_is_judged_by_the_criterion_in_force_when_it_began_in_its_zone(
    zone: str, judged_by: str
) -> None:
    change = datetime(2026, 4, 1, tzinfo=UTC)
    criteria = [
        _criterion(id="old", effective_until=change),
        _criterion(id="new", effective_from=change),
    ]
    (result,) = evaluate_criteria(criteria, [_value(0.9, month=date(2026, 4, 1))], timezone=zone)
    assert result.criterion_id == judged_by


@pytest.mark.parametrize(
    ("change", "judged_by"),
    [
        (datetime(2023, 10, 1, 4, tzinfo=UTC), "new"),
        (datetime(2023, 10, 1, 4, 0, 0, 1, tzinfo=UTC), "old"),
        (datetime(2023, 10, 1, 3, 59, 59, 999_999, tzinfo=UTC), "new"),
    ],
)
def test_a_month_starting_on_a_skipped_midnight_starts_when_the_clocks_jump(
    change: datetime, judged_by: str
) -> None:
    # Paraguay's clocks jumped from 00:00 to 01:00 on 2023-10-01: October's first local
    # instant is 01:00 (-03:00), 04:00 UTC, the instant the clocks jumped.
    criteria = [
        _criterion(
            id="old", effective_from=datetime(2023, 1, 1, tzinfo=UTC), effective_until=change
        ),
        _criterion(id="new", effective_from=change),
    ]
    (result,) = evaluate_criteria(
        criteria, [_value(0.9, month=date(2023, 10, 1))], timezone="America/Asuncion"
    )
    assert result.criterion_id == judged_by


def test_the_ends_of_the_supported_range() -> None:
    forever = _criterion(effective_from=MIN_INSTANT)
    first, last = date(1, 1, 1), date(9999, 12, 1)
    results = evaluate_criteria(
        [forever], [_value(0.9, month=first), _value(0.7, month=last)], timezone="Asia/Kolkata"
    )
    assert [(r.month, r.status) for r in results] == [(first, GREEN), (last, RED)]
    assert forever.in_force(MAX_INSTANT)
    assert forever.in_force(MIN_INSTANT)
    bounded = _criterion(effective_from=MIN_INSTANT, effective_until=MAX_INSTANT)
    assert not bounded.in_force(MAX_INSTANT)
    with pytest.raises(ValidationError) as caught:
        _criterion(effective_from=MIN_INSTANT - timedelta(microseconds=1))
    assert _paths(caught) == ["$.effective_from"]


# ---------------------------------------------------------------- bad input


def test_every_problem_of_a_criterion_in_one_round_with_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        PerformanceCriterion(
            id=" padded",
            indicator_id="",
            business_unit=5,  # type: ignore[arg-type]
            direction="sideways",
            target=float("nan"),
            amber_threshold=True,
            min_n=0,
            effective_from=datetime(2026, 1, 1),
            effective_until="2027",  # type: ignore[arg-type]
            standard="SQ-01",  # type: ignore[arg-type]
        )
    assert _paths(caught) == [
        "$.id",
        "$.indicator_id",
        "$.business_unit",
        "$.direction",
        "$.target",
        "$.amber_threshold",
        "$.min_n",
        "$.effective_from",
        "$.effective_until",
        "$.standard",
    ]
    text = str(caught.value)
    for echoed in ("padded", "sideways", "SQ-01"):
        assert echoed not in text


@pytest.mark.parametrize(
    ("direction", "target", "amber", "message"),
    [
        ("higher", 0.8, 0.9, "at most the target where higher is better"),
        ("lower", 20.0, 10.0, "at least the target where lower is better"),
    ],
)
def test_thresholds_in_the_wrong_order_for_the_direction(
    direction: str, target: float, amber: float, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _criterion(
            direction=direction,
            target=target,
            amber_threshold=amber,
            effective_until=START - timedelta(days=1),
        )
    assert _paths(caught) == ["$.amber_threshold", "$.effective_until"]
    assert message in caught.value.problems[0].message
    assert caught.value.problems[0].code == "inconsistent"


def test_a_standard_reference_reports_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        StandardReference("", version=" 1", clause=" \n")
    assert _paths(caught) == ["$.id", "$.version", "$.clause"]
    with pytest.raises(ValidationError) as missing:
        PerformanceCriterion(id="c")
    assert set(_paths(missing)) == {
        "$.indicator_id", "$.target", "$.amber_threshold", "$.effective_from", "$.standard",
    }  # fmt: skip


def test_overlapping_and_repeated_criteria_are_refused_together() -> None:
    criteria = [
        _criterion(id="a", effective_until=datetime(2026, 7, 1, tzinfo=UTC)),
        _criterion(id="b", effective_from=datetime(2026, 6, 30, tzinfo=UTC)),
        _criterion(id="a", business_unit="online"),
        _criterion(id="d", business_unit="online", effective_from=datetime(2027, 1, 1, tzinfo=UTC)),
        _criterion(id="e", indicator_id="nps"),
    ]
    with pytest.raises(ValidationError) as caught:
        evaluate_criteria(criteria, [], at=AT)
    assert _paths(caught) == [
        "$.criteria[1].effective_from",
        "$.criteria[2].id",
        "$.criteria[3].effective_from",
    ]
    # Adjacent periods do not overlap: one ends at the instant the next begins.
    adjacent = [criteria[0], _criterion(id="b", effective_from=datetime(2026, 7, 1, tzinfo=UTC))]
    assert len(evaluate_criteria(adjacent, [_value(0.9)], at=AT)) == 1


def test_every_bad_argument_in_one_round() -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate_criteria(
            [_criterion(), "not a criterion"],  # type: ignore[list-item]
            [_value(0.9), {"value": 0.9}],  # type: ignore[list-item]
            at=datetime(2026, 6, 1),
            timezone="Mars/Olympus",
            business_units={"S1": " x", 2: "y"},  # type: ignore[dict-item]
            confidence=1.5,
        )
    assert _paths(caught) == [
        "$.criteria[1]",
        "$.values[1]",
        "$.at",
        "$.timezone",
        "$.business_units.S1",
        "$.business_units['?']",
        "$.confidence",
    ]
    assert "Olympus" not in str(caught.value)


def test_instants_are_required_for_the_values_that_need_them() -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate_criteria([_criterion()], [_value(0.9), _value(0.9, month=date(2026, 3, 1))])
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.at", "required"),
        ("$.timezone", "required"),
    ]


def test_a_value_must_match_its_criterions_direction_and_confidence() -> None:
    values = [
        _value(0.9),
        _value(0.9, direction="lower"),
        _value(0.9, interval=Interval(0.8, 0.95, 0.9)),
    ]
    with pytest.raises(ValidationError) as caught:
        evaluate_criteria([_criterion()], values, at=AT)
    assert _paths(caught) == ["$.values[1].direction", "$.values[2].interval.confidence"]
    # At the level asked, the same interval is fine.
    assert len(evaluate_criteria([_criterion()], values[2:], at=AT, confidence=0.9)) == 1


_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(),
    st.just("\ud800"),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(
    criteria=_ANYTHING,
    values=_ANYTHING,
    at=_ANYTHING,
    timezone=_ANYTHING,
    units=_ANYTHING,
    confidence=_ANYTHING,
)
def test_nothing_but_a_validation_error_whatever_it_is_given(
    criteria: Any, values: Any, at: Any, timezone: Any, units: Any, confidence: Any
) -> None:
    with pytest.raises(RSQError):
        evaluate_criteria(
            criteria, values, at=at, timezone=timezone, business_units=units, confidence=confidence
        )


@given(
    fields=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ("id", "indicator_id", "business_unit", "direction", "target",
                         "amber_threshold", "min_n", "effective_from", "effective_until",
                         "standard"),
            _ANYTHING,
        ),
    )
)  # fmt: skip
def test_a_criterion_of_anything_is_a_validation_error(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PerformanceCriterion(**fields)


# ---------------------------------------------------------------- properties


@st.composite
def _bands(draw: st.DrawFn) -> tuple[float, float]:
    """A target and an amber threshold at most the target (for higher is better)."""
    numbers = st.floats(-1e6, 1e6, allow_nan=False)
    first, second = draw(numbers), draw(numbers)
    return max(first, second), min(first, second)


_NUMBERS = st.floats(-2e6, 2e6, allow_nan=False)


@given(bands=_bands(), x=_NUMBERS, y=_NUMBERS)
def test_the_colour_is_monotone_in_the_value_for_each_direction(
    bands: tuple[float, float], x: float, y: float
) -> None:
    target, amber = bands
    low, high = sorted((x, y))
    rank = {GREEN: 0, AMBER: 1, RED: 2}
    higher = _criterion(target=target, amber_threshold=amber)
    assert rank[higher.band(high)] <= rank[higher.band(low)]  # more is better: no worse
    lower = _criterion(direction="lower", target=-target, amber_threshold=-amber)
    assert rank[lower.band(low)] <= rank[lower.band(high)]  # less is better: no worse


@given(
    bands=_bands(),
    points=st.lists(_NUMBERS, min_size=3, max_size=3).map(sorted),
    n=st.integers(0, 100),
    min_n=st.integers(1, 100),
)
def test_the_mirrored_direction_mirrors_the_colour_and_its_significance(
    bands: tuple[float, float], points: list[float], n: int, min_n: int
) -> None:
    target, amber = bands
    low, value, high = points
    higher = _criterion(target=target, amber_threshold=amber, min_n=min_n)
    lower = _criterion(direction="lower", target=-target, amber_threshold=-amber, min_n=min_n)
    up = _one(higher, _value(value if n else None, n, interval=Interval(low, high, 0.95)))
    down = _one(
        lower,
        _value(-value if n else None, n, direction="lower", interval=Interval(-high, -low, 0.95)),
    )
    assert (up.status, up.significant, up.possible) == (
        down.status, down.significant, down.possible,
    )  # fmt: skip
    if up.significant:
        assert higher.band(low) is higher.band(high) is up.status
    if n < min_n:
        assert up.status is NOT_ENOUGH


# ---------------------------------------------------------------- JSON


_ZONES = ("UTC", "Europe/London", "Asia/Kolkata", "Australia/Adelaide")


@st.composite
def _criteria(draw: st.DrawFn) -> PerformanceCriterion:
    target, amber = draw(_bands())
    direction = draw(st.sampled_from(["higher", "lower"]))
    if direction == "lower":
        target, amber = -target, -amber
    start = draw(real_datetimes(timezones=_ZONES))
    until = draw(st.none() | st.timedeltas(timedelta(microseconds=1), timedelta(days=4000)))
    return PerformanceCriterion(
        id=draw(identifiers),
        indicator_id=draw(identifiers),
        business_unit=draw(st.none() | identifiers),
        direction=direction,
        target=target,
        amber_threshold=amber,
        min_n=draw(st.integers(1, 10_000)),
        effective_from=start,
        # Elapsed time (in UTC): wall-clock addition can land before start at a repeated hour.
        effective_until=None if until is None else (start.astimezone(UTC) + until),
        standard=StandardReference(
            draw(identifiers),
            version=draw(st.none() | identifiers),
            clause=draw(st.none() | st.text(min_size=1, max_size=30).filter(str.strip)),
        ),
    )


@given(_criteria())
def test_criteria_round_trip_through_json_and_validate_against_their_schema(
    criterion: PerformanceCriterion,
) -> None:
    text = to_json(criterion)
    back = from_json(text, PerformanceCriterion)
    assert back == criterion
    assert back.effective_from.utcoffset() == criterion.effective_from.utcoffset()
    assert not list(_validator(PerformanceCriterion).iter_errors(json.loads(text)))


@given(
    criterion=_criteria(),
    value=st.floats(-2e6, 2e6, allow_nan=False),
    n=st.integers(0, 1000),
    half_width=st.none() | st.floats(0, 100),
)
def test_results_and_alerts_round_trip_through_json(
    criterion: PerformanceCriterion, value: float, n: int, half_width: float | None
) -> None:
    interval = (
        None if half_width is None else Interval(value - half_width, value + half_width, 0.95)
    )
    measured = IndicatorValue(
        indicator_id=criterion.indicator_id,
        business_unit=criterion.business_unit,
        direction=criterion.direction,
        value=value if n else None,
        n=n,
        interval=interval,
        month=date(2026, 3, 1),
        store_id="S1",
        channel="hotline",
    )
    results = evaluate_criteria(
        [criterion], [measured], timezone="UTC", at=criterion.effective_from
    )
    rule = Rule(id="any", description="Every colour.", when=eq("significant", True), actions=[])
    always = RuleSet(id="all", rules=[rule])
    for result in results:
        text = to_json(result)
        assert from_json(text, CriterionResult) == result
        assert not list(_validator(CriterionResult).iter_errors(json.loads(text)))
    for alert in monitor_criteria(results, now=AT, rules=always):
        text = to_json(alert)
        assert from_json(text, CriterionAlert) == alert
        assert not list(_validator(CriterionAlert).iter_errors(json.loads(text)))


_VALIDATORS: dict[type, Any] = {}


def _validator(cls: type) -> Any:
    if cls not in _VALIDATORS:
        _VALIDATORS[cls] = Draft202012Validator(json_schema(cls))
    return _VALIDATORS[cls]


def test_bad_json_is_a_validation_error_with_every_path() -> None:
    with pytest.raises(ValidationError) as caught:
        from_json(
            '{"id": "c", "indicator_id": "csat", "direction": "lower", "target": 0.9,'
            ' "amber_threshold": 0.8, "min_n": 1.5, "effective_from": "2026-01-01",'
            ' "standard": {"id": "SQ", "clause": 4}}',
            PerformanceCriterion,
        )
    assert set(_paths(caught)) >= {"$.min_n", "$.effective_from", "$.standard.clause"}


def test_the_schema_describes_each_field_for_a_form() -> None:
    schema = json_schema(PerformanceCriterion)
    assert list(schema["properties"]) == [
        "id", "indicator_id", "business_unit", "direction", "target", "amber_threshold",
        "min_n", "effective_from", "effective_until", "standard",
    ]  # fmt: skip
    assert set(schema["required"]) == {
        "id", "indicator_id", "target", "amber_threshold", "effective_from", "standard",
    }  # fmt: skip
    assert schema["properties"]["direction"]["enum"] == ["higher", "lower"]
    assert "green from here on" in schema["properties"]["target"]["description"]


# ---------------------------------------------------------------- alerts


def _day(
    rate: float | None, *, n: int = 5000, month: date | None = None, **changes: Any
) -> list[CriterionResult]:
    """One day's evaluation of an abandonment rate (lower is better: 5% target, 8% red)."""
    criterion = _criterion(
        id="abandon", indicator_id="abandon", direction="lower", target=0.05, amber_threshold=0.08
    )
    fields: dict[str, Any] = {"store_id": "S1", "month": month, **changes}
    value = _value(rate, n, indicator_id="abandon", direction="lower", **fields)
    return list(evaluate_criteria([criterion], [value], at=AT, timezone="UTC"))


def _levels(alerts: list[CriterionAlert]) -> list[tuple[str, str | None]]:
    return [
        (a.level, None if a.previous_status is None else a.previous_status.value) for a in alerts
    ]


def test_an_alert_when_the_colour_worsens_not_every_red_every_day() -> None:
    green, amber, red = _day(0.04), _day(0.06), _day(0.09)
    (alert,) = monitor_criteria(red, now=AT, previous=green)
    assert (alert.level, alert.rule_id, alert.notify) == ("red", "turned_red", ("quality_manager",))
    assert (alert.status, alert.previous_status, alert.significant) == (RED, GREEN, True)
    assert (alert.value, alert.n, alert.target, alert.amber_threshold) == (0.09, 5000, 0.05, 0.08)
    assert (alert.store_id, alert.standard) == ("S1", SQ)
    assert "status = 'red': holds" in alert.explanation
    assert _levels(monitor_criteria(amber, now=AT, previous=green)) == [("amber", "green")]
    assert _levels(monitor_criteria(red, now=AT, previous=amber)) == [("red", "amber")]
    assert monitor_criteria(red, now=AT, previous=red) == []  # still red: no news
    assert monitor_criteria(amber, now=AT, previous=red) == []  # better: no alert
    assert monitor_criteria(green, now=AT, previous=red) == []
    assert _levels(monitor_criteria(red, now=AT)) == [("red", None)]  # nothing known before


def test_never_on_not_enough_data_whatever_the_rules() -> None:
    always = RuleSet(
        id="always",
        rules=[Rule(id="any", description="Anything.", when=eq("n", 3), actions=[flag("x")])],
    )
    few = _day(0.5, n=3)
    assert few[0].status is NOT_ENOUGH
    assert monitor_criteria(few, now=AT, rules=always, previous=_day(0.04)) == []
    # Not enough data keeps the last colour: red after it, with red before, is no news.
    assert monitor_criteria(_day(0.09), now=AT, previous=_day(0.09) + few) == []


def test_noise_neither_alerts_nor_resets_the_last_colour() -> None:
    wavering = _day(0.085, n=200, interval=Interval(0.05, 0.12, 0.95))
    assert (wavering[0].status, wavering[0].significant) == (RED, False)
    assert monitor_criteria(wavering, now=AT, previous=_day(0.04)) == []
    settled = _day(0.11, n=5000, interval=Interval(0.10, 0.12, 0.95))
    # Green, then a red that may be noise, then a red beyond noise: one alert, against green.
    assert _levels(monitor_criteria(settled, now=AT, previous=_day(0.04) + wavering)) == [
        ("red", "green")
    ]
    # Red beyond noise, a wavering red, red again: no second alert.
    assert monitor_criteria(settled, now=AT, previous=settled + wavering) == []


def test_months_in_one_evaluation_are_a_series() -> None:
    months = [date(2026, m, 1) for m in (1, 2, 3, 4)]
    results = [
        result
        for month, rate in zip(months, (0.04, 0.09, 0.10, 0.06), strict=True)
        for result in _day(rate, month=month)
    ]
    alerts = monitor_criteria(list(reversed(results)), now=AT)  # order given does not matter
    assert [(a.month, a.level) for a in alerts] == [(date(2026, 2, 1), "red")]
    # With the previous months known, a new month that stays red is no news.
    assert monitor_criteria(_day(0.10, month=date(2026, 5, 1)), now=AT, previous=results[:3]) == []


def test_groups_are_compared_with_themselves_only() -> None:
    s1_red = _day(0.09)
    s2_green = _day(0.04, store_id="S2")
    s2_red = _day(0.09, store_id="S2")
    alerts = monitor_criteria(s1_red + s2_red, now=AT, previous=s1_red + s2_green)
    assert [(a.store_id, a.previous_status) for a in alerts] == [("S2", GREEN)]


def test_criteria_and_values_can_be_given_instead_of_results() -> None:
    criterion = _criterion()
    alerts = monitor_criteria(
        now=AT,
        criteria=[criterion],
        values=[_value(0.6, store_id="S1")],
        business_units={"S1": "retail"},
    )
    assert [(a.criterion_id, a.business_unit, a.level) for a in alerts] == [
        ("csat", "retail", "red")
    ]


def test_rules_are_data_a_ui_can_edit() -> None:
    rules = criteria_rules(notify_role="area_manager")
    assert from_json(to_json(rules), RuleSet) == rules
    assert [rule.id for rule in rules.ordered] == ["turned_red", "turned_amber"]
    assert unstructure(rules)["mode"] == "first"
    (alert,) = monitor_criteria(_day(0.09), now=AT, rules=rules)
    assert alert.notify == ("area_manager",)
    with pytest.raises(ValidationError) as caught:
        criteria_rules(notify_role=" ")
    assert _paths(caught) == ["$.notify_role"]


def test_bad_monitoring_arguments_in_one_round() -> None:
    with pytest.raises(ValidationError) as caught:
        monitor_criteria(
            _day(0.09),
            now=datetime(2026, 6, 1),
            criteria=[_criterion()],
            rules="rules",  # type: ignore[arg-type]
            previous=[_day(0.04)[0], "yesterday"],  # type: ignore[list-item]
        )
    assert _paths(caught) == ["$.now", "$.rules", "$.previous[1]", "$.results"]
    with pytest.raises(ValidationError) as neither:
        monitor_criteria(now=AT, criteria=[_criterion()])
    assert _paths(neither) == ["$.values"]
    with pytest.raises(ValidationError) as evaluated:
        monitor_criteria(
            now=AT, criteria=[_criterion()], values=[_value(0.9, month=date(2026, 1, 1))]
        )
    assert _paths(evaluated) == ["$.timezone"]


def test_results_read_back_from_json_serve_as_the_previous_evaluation() -> None:
    yesterday = [from_json(to_json(result), CriterionResult) for result in _day(0.04)]
    assert _levels(monitor_criteria(_day(0.09), now=AT, previous=yesterday)) == [("red", "green")]


def test_a_result_read_from_json_is_checked_like_any_record() -> None:
    with pytest.raises(ValidationError) as caught:
        from_json(
            '{"criterion_id": "c", "indicator_id": "csat", "status": "blue", "possible": ["red",'
            ' "pink"], "weekday": 8, "n": -1, "target": 0.8, "amber_threshold": 0.7,'
            ' "min_n": 30, "standard": {"id": "SQ"}}',
            CriterionResult,
        )
    assert set(_paths(caught)) == {"$.status", "$.possible[1]", "$.weekday", "$.n"}
    with pytest.raises(ValidationError) as missing:
        CriterionAlert(criterion_id="c")
    assert "$.standard" in _paths(missing)


@given(
    results=_ANYTHING,
    now=_ANYTHING,
    previous=_ANYTHING,
    rules=_ANYTHING,
    values=_ANYTHING,
)
def test_monitoring_anything_is_a_validation_error(
    results: Any, now: Any, previous: Any, rules: Any, values: Any
) -> None:
    with pytest.raises(ValidationError):
        monitor_criteria(results, now=now, previous=previous, rules=rules, values=values)


@given(criteria=_ANYTHING, indicator=_ANYTHING, unit=_ANYTHING, at=_ANYTHING)
def test_asking_which_criterion_with_anything_is_a_validation_error(
    criteria: Any, indicator: Any, unit: Any, at: Any
) -> None:
    with pytest.raises(ValidationError):
        criterion_in_force(criteria, indicator_id=indicator, business_unit=unit, at=at)
    with pytest.raises(ValidationError):
        _criterion().in_force(at)


def test_a_month_given_as_a_datetime_orders_with_dates() -> None:
    midnight = datetime(2026, 2, 1)  # a datetime is a date too: its day is the first
    red = _day(0.09, month=midnight)
    alerts = monitor_criteria(red, now=AT, previous=_day(0.04, month=date(2026, 1, 1)))
    assert _levels(alerts) == [("red", "green")]
