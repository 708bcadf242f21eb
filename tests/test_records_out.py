"""Records and DataFrames out: flat rows, typed columns, no personal data, streams read once."""

from __future__ import annotations

import subprocess
import sys
import weakref
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality._internal import frames
from retail_service_quality.testing.strategies import customers, interactions

LONDON = ZoneInfo("Europe/London")
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _interaction(index: int, **changes: Any) -> rsq.ServiceInteraction:
    values: dict[str, Any] = {
        "id": f"I-{index:06d}",
        "store_id": f"S{index % 3}",
        "channel": "hotline",
        "occurred_at": AT + timedelta(minutes=index),
        "handle_time": timedelta(seconds=30 + index),
        "notes": "called about a refund for Mrs Chan",
    }
    values.update(changes)
    return rsq.ServiceInteraction(**values)


# ------------------------------------------------------------------ results


def test_a_result_flattens_its_interval_to_low_and_high() -> None:
    result = rsq.csat([5, 4, 3, 5, 2])
    (row,) = result.to_records()
    assert row == {
        "successes": 3,
        "n": 5,
        "value": 0.6,
        "low": result.interval.low,
        "high": result.interval.high,
        "confidence": 0.95,
        "method": "wilson",
    }


def test_a_servqual_result_gives_one_row_per_dimension() -> None:
    same = dict.fromkeys(range(1, 23), 6)
    lower = {item: 5 if item < 10 else 6 for item in range(1, 23)}
    result = rsq.servqual([rsq.ServqualResponse(same, lower)])
    rows = result.to_records()
    assert [row["dimension"] for row in rows] == list(rsq.SERVQUAL_DIMENSIONS)
    for row in rows:
        score = result.dimensions[row["dimension"]]
        assert (row["expectation"], row["perception"], row["gap"]) == (
            score.expectation,
            score.perception,
            score.gap,
        )
        assert row["n"] == 1
        assert row["unweighted"] == result.unweighted
    frame = result.to_dataframe()
    assert list(frame["dimension"]) == list(rsq.SERVQUAL_DIMENSIONS)


def test_servperf_rows_carry_the_perception() -> None:
    result = rsq.servperf([rsq.ServqualResponse({}, dict.fromkeys(range(1, 23), 6))])
    assert {row["dimension"]: row["perception"] for row in result.to_records()} == dict(
        result.dimensions
    )


def test_computed_fields_are_columns() -> None:
    summary = rsq.InteractionSummary(
        period=None, store_id="S1", channel=None, count=4, handled=2, handle_time=timedelta(60)
    )
    (row,) = summary.to_records()
    assert row["average_handle_time"] == timedelta(30)
    assert rsq.Interval(0.25, 0.75, 0.9).to_records() == [
        {"low": 0.25, "high": 0.75, "confidence": 0.9, "width": 0.5}
    ]


def test_a_staffing_plan_frame_has_timedelta_columns() -> None:
    plan = rsq.staffing(
        calls=360,
        interval=timedelta(minutes=30),
        aht=timedelta(seconds=240),
        answer_within=timedelta(seconds=20),
        service_level=0.8,
    )
    frame = plan.to_dataframe()
    assert frame.shape == (1, len(rsq.record_columns(rsq.StaffingPlan)))
    assert str(frame["average_speed_of_answer"].dtype) == "timedelta64[us]"
    assert frame["average_speed_of_answer"][0].to_pytimedelta() == plan.average_speed_of_answer
    assert frame["agents"][0] == plan.agents


def test_many_results_make_one_row_each() -> None:
    results = [rsq.nps([10, 9, 7, 3]), rsq.nps([10, 10, 9, 0]), rsq.nps([0])]
    frame = rsq.to_dataframe(results)
    assert list(frame["score"]) == [result.score for result in results]
    assert list(frame["low"]) == [result.interval.low for result in results]


# ------------------------------------------------------------------ records


@settings(max_examples=40, deadline=None)
@given(st.lists(interactions(), min_size=1, max_size=8, unique_by=lambda i: i.id))
def test_interaction_records_keep_every_value_but_the_personal(
    found: list[rsq.ServiceInteraction],
) -> None:
    rows = rsq.to_records(found)
    assert len(rows) == len(found)
    for row, interaction in zip(rows, found, strict=True):
        assert "notes" not in row
        assert row["id"] == interaction.id
        assert row["channel"] == interaction.channel.value
        assert row["status"] == interaction.status.value
        assert row["occurred_at"] == interaction.occurred_at
        assert row["handle_time"] == interaction.handle_time
        assert row["needs"] == interaction.needs
    with_notes = rsq.to_records(found, personal=True)
    assert [row["notes"] for row in with_notes] == [i.notes for i in found]


@settings(max_examples=40, deadline=None)
@given(st.lists(interactions(), min_size=1, max_size=8, unique_by=lambda i: i.id))
def test_interaction_frames_hold_the_same_instants_and_durations(
    found: list[rsq.ServiceInteraction],
) -> None:
    frame = rsq.to_dataframe(found)
    assert str(frame["occurred_at"].dtype) == "datetime64[us, UTC]"
    assert str(frame["handle_time"].dtype) == "timedelta64[us]"
    assert isinstance(frame["channel"].dtype, pd.CategoricalDtype)
    assert list(frame["channel"].cat.categories) == [c.value for c in rsq.Channel]
    assert isinstance(frame["store_id"].dtype, pd.CategoricalDtype)
    for index, interaction in enumerate(found):
        stamp = frame["occurred_at"].iloc[index]
        assert stamp.to_pydatetime() == interaction.occurred_at.astimezone(UTC)  # the instant
        held = frame["handle_time"].iloc[index]
        if interaction.handle_time is None:
            assert pd.isna(held)
        else:
            assert held.to_pytimedelta() == interaction.handle_time
        assert frame["store_id"].iloc[index] == interaction.store_id
    assert "notes" not in frame.columns


@settings(max_examples=30, deadline=None)
@given(st.lists(customers(), min_size=1, max_size=6, unique_by=lambda c: c.id))
def test_customer_exports_leave_personal_data_out(found: list[rsq.Customer]) -> None:
    frame = rsq.to_dataframe(found)
    for name in rsq.personal_fields(rsq.Customer):
        assert name not in frame.columns
        assert all(name not in row for row in rsq.to_records(found))
    # No cell holds a personal value, unless the same text is also a non-personal value
    # (a generated name can equal a store id).
    cells = {str(cell) for row in frame.astype(str).itertuples(index=False) for cell in row}
    public = {str(getattr(c, f.name)) for c in found for f in attrs.fields(rsq.Customer)
              if not f.metadata.get("personal")}  # fmt: skip
    personal_values = {
        str(getattr(c, name))
        for c in found
        for name in rsq.personal_fields(rsq.Customer)
        if getattr(c, name) is not None
    }
    assert cells & personal_values <= public
    full = rsq.to_dataframe(found, personal=True)
    names = [None if pd.isna(value) else value for value in full["name"]]
    assert names == [customer.name for customer in found]


def test_the_ends_of_the_supported_range_survive_a_frame() -> None:
    early = _interaction(1, occurred_at=datetime(1, 1, 2, tzinfo=UTC))
    late = _interaction(2, occurred_at=datetime(9999, 12, 30, tzinfo=UTC))
    frame = rsq.to_dataframe([early, late])
    assert [stamp.to_pydatetime() for stamp in frame["occurred_at"]] == [
        early.occurred_at,
        late.occurred_at,
    ]


@pytest.mark.parametrize("fold", [0, 1])
def test_a_repeated_hour_keeps_its_instant(fold: int) -> None:
    at = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=fold)
    frame = rsq.to_dataframe([_interaction(1, occurred_at=at)])
    assert frame["occurred_at"][0].to_pydatetime() == at.astimezone(UTC)
    assert frame["occurred_at"][0].hour == (0 if fold == 0 else 1)  # UTC


def test_a_half_hour_zone_keeps_its_instant() -> None:
    at = datetime(2026, 11, 30, 9, 15, tzinfo=ZoneInfo("Asia/Kolkata"))
    (row,) = rsq.to_records([_interaction(1, occurred_at=at)])
    assert row["occurred_at"] == at
    assert row["occurred_at"].utcoffset() == at.utcoffset()
    frame = rsq.to_dataframe([_interaction(1, occurred_at=at)])
    assert frame["occurred_at"][0].to_pydatetime() == at


def test_summaries_have_date_and_category_columns() -> None:
    summary = rsq.RecordList(
        rsq.InteractionSummary,
        [
            rsq.InteractionSummary(
                period=date(2026, 11, 30),
                store_id="S1",
                channel=rsq.Channel.EMAIL,
                count=3,
                handled=0,
                handle_time=timedelta(0),
            )
        ],
    )
    frame = summary.to_dataframe()
    assert str(frame["period"].dtype) == "datetime64[us]"
    assert frame["period"][0].date() == date(2026, 11, 30)
    assert pd.isna(frame["average_handle_time"][0])
    assert frame["channel"][0] == "email"


# ------------------------------------------------------------------ empty inputs


@pytest.mark.parametrize(
    "cls",
    [rsq.ServiceInteraction, rsq.Customer, rsq.InteractionSummary, rsq.NpsResult, rsq.StaffingPlan],
)
def test_an_empty_input_gives_the_columns_and_no_rows(cls: type) -> None:
    frame = rsq.to_dataframe([], cls=cls)
    assert list(frame.columns) == rsq.record_columns(cls)
    assert len(frame) == 0
    assert rsq.to_records([], cls=cls) == []


def test_an_empty_query_stream_knows_its_columns() -> None:
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            frame = rsq.to_dataframe(uow.interactions.query())
            assert list(frame.columns) == rsq.record_columns(rsq.ServiceInteraction)
            assert str(frame["occurred_at"].dtype) == "datetime64[us, UTC]"
            summary = uow.interactions.summarize(group_by=["store", "channel"])
            assert list(summary.to_dataframe().columns) == rsq.record_columns(
                rsq.InteractionSummary
            )


def test_an_empty_list_of_unknown_type_gives_an_empty_frame() -> None:
    assert rsq.to_dataframe([]).shape == (0, 0)
    assert rsq.to_records(iter([])) == []


# ------------------------------------------------------------------ streams


def test_both_stores_give_the_same_frame() -> None:
    frames_seen = []
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            uow.interactions.add_many(_interaction(index) for index in range(50))
            uow.commit()
            frames_seen.append(rsq.to_dataframe(uow.interactions.query()))
            summaries = uow.interactions.summarize(group_by=["store"])
            frames_seen.append(summaries.to_dataframe())
    pd.testing.assert_frame_equal(frames_seen[0], frames_seen[2])
    pd.testing.assert_frame_equal(frames_seen[1], frames_seen[3])


def test_a_stream_is_read_once_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frames, "CHUNK", 10)
    alive: list[weakref.ref[rsq.ServiceInteraction]] = []
    most = 0

    def produce() -> Iterator[rsq.ServiceInteraction]:
        nonlocal most
        for index in range(100):
            # Records hold no reference cycles: one is freed as soon as nothing holds it.
            most = max(most, sum(ref() is not None for ref in alive))
            item = _interaction(index)
            alive.append(weakref.ref(item))
            yield item
            del item

    stream = produce()
    frame = rsq.to_dataframe(stream, cls=rsq.ServiceInteraction)
    assert len(frame) == 100
    assert list(frame["id"]) == [f"I-{index:06d}" for index in range(100)]
    assert most <= 10  # never more than a chunk held at once
    assert next(stream, None) is None  # read to the end, once


def test_a_generator_without_a_type_is_peeked_not_lost() -> None:
    frame = rsq.to_dataframe(_interaction(index) for index in range(3))
    assert list(frame["id"]) == ["I-000000", "I-000001", "I-000002"]


def test_a_mid_iteration_write_does_not_change_a_stream_being_framed() -> None:
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            uow.interactions.add_many(_interaction(index) for index in range(5))
            stream = uow.interactions.query()
            first = next(stream)
            uow.interactions.add(_interaction(99))
            frame = rsq.to_dataframe(stream)
            assert first.id == "I-000000"
            assert list(frame["id"]) == [f"I-{index:06d}" for index in range(1, 5)]


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "objects",
    [3, "abc", b"abc", {"a": 1}, [1, 2], [{"id": "x"}], None, [object()], [rsq.BusinessCalendar]],
)
def test_anything_else_is_a_validation_error(objects: object) -> None:
    for function in (rsq.to_records, rsq.to_dataframe):
        with pytest.raises(rsq.ValidationError) as caught:
            function(objects)
        assert caught.value.problems[0].code == "type"


def test_mixed_types_name_the_first_stranger() -> None:
    mixed = [_interaction(1), _interaction(2), rsq.nps([10])]
    for function in (rsq.to_records, rsq.to_dataframe):
        with pytest.raises(rsq.ValidationError) as caught:
            function(mixed)
        assert [problem.path for problem in caught.value.problems] == ["$[2]"]


@pytest.mark.parametrize("personal", [1, "yes", None])
def test_personal_must_be_a_bool(personal: object) -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.to_records([_interaction(1)], personal=personal)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == "$.personal"


@pytest.mark.parametrize("cls", [dict, 3, rsq.RSQError, "Customer"])
def test_cls_must_be_a_record_type(cls: object) -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.to_dataframe([], cls=cls)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == "$.cls"


def test_a_single_value_of_another_type_than_cls_is_refused() -> None:
    with pytest.raises(rsq.ValidationError):
        rsq.to_records(rsq.nps([10]), cls=rsq.Customer)


def test_without_pandas_to_dataframe_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(rsq.RSQError, match=r"pip install 'retail-service-quality\[pandas\]'"):
        rsq.nps([10]).to_dataframe()
    with pytest.raises(rsq.RSQError, match="pandas"):
        rsq.to_dataframe([_interaction(1)])
    assert rsq.to_records([_interaction(1)])[0]["id"] == "I-000001"  # records need no pandas


def test_pandas_is_imported_only_when_asked() -> None:
    code = (
        "import sys, retail_service_quality as rsq\n"
        "rows = rsq.nps([10, 9, 3]).to_records()\n"
        "page = rsq.nps([10, 9, 3])._repr_html_()\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
        "rsq.nps([10]).to_dataframe()\n"
        "assert 'pandas' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_stream_read_to_its_end_is_refused_not_framed_empty() -> None:
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            uow.interactions.add_many(_interaction(index) for index in range(3))
            stream = uow.interactions.query()
            assert len(rsq.to_dataframe(stream)) == 3
            with pytest.raises(rsq.InvalidTransitionError, match="run the query again"):
                rsq.to_dataframe(stream)
            with pytest.raises(rsq.InvalidTransitionError):
                rsq.to_records(stream)
            again = uow.interactions.query()
            next(again)
            assert len(rsq.to_dataframe(again)) == 2  # what is left of it


@pytest.mark.parametrize("item_type", [5, None, dict, rsq.RSQError])
def test_a_record_list_needs_a_record_type(item_type: object) -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.RecordList(item_type, [])  # type: ignore[arg-type]
    assert caught.value.problems[0].path == "$.item_type"


def test_a_record_list_holds_only_its_type() -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.RecordList(rsq.ServiceInteraction, [_interaction(1), rsq.nps([10])])
    assert caught.value.problems[0].path == "$.items[1]"


@pytest.mark.parametrize("cls", [None, 3, dict])
def test_record_columns_needs_a_record_type(cls: object) -> None:
    with pytest.raises(rsq.ValidationError):
        rsq.record_columns(cls)  # type: ignore[arg-type]


def test_help_on_an_adapter_method_says_what_the_port_promises() -> None:
    for store in (rsq.InMemoryStore(), rsq.SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            assert uow.interactions.summarize.__doc__
            assert "grouped by period" in uow.interactions.summarize.__doc__
            assert uow.interactions.handle_times.__doc__
