"""Service pledges: validation, versions, the version in force at an instant, JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality import (
    BusinessCalendar,
    Channel,
    InvalidTransitionError,
    PledgeScope,
    PledgeStandard,
    PledgeVersion,
    ServicePledge,
    ValidationError,
    from_json,
    to_json,
)

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
START = datetime(2026, 1, 1, tzinfo=UTC)


def _answer(seconds: int = 30, share: float | None = 0.9) -> ServicePledge:
    return ServicePledge.create(
        id="hotline",
        effective_from=START,
        wording=f"We answer calls within {seconds} seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=seconds)),
        target_share=share,
        scope=PledgeScope(channels=["hotline"]),
    )


def _number(pledge: ServicePledge, at: datetime) -> int | None:
    found = pledge.in_force(at)
    return None if found is None else found.number


def _paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


def test_a_standard_takes_exactly_one_threshold_of_the_right_kind() -> None:
    with pytest.raises(ValidationError) as neither:
        PledgeStandard("resolution")
    assert _paths(neither) == ["$.within"]
    with pytest.raises(ValidationError) as both:
        PledgeStandard("resolution", within=timedelta(hours=8), working_days=5)
    assert _paths(both) == ["$.within"]
    with pytest.raises(ValidationError) as days:
        PledgeStandard("answer_time", working_days=1)
    assert [(p.path, p.code) for p in days.value.problems] == [("$.working_days", "inconsistent")]
    with pytest.raises(ValidationError) as bad:
        PledgeStandard("speed", within=timedelta(0))
    assert _paths(bad) == ["$.measure", "$.within"]


def test_a_scope_checks_each_value_and_repeats() -> None:
    assert PledgeScope(channels=["hotline", "email"]).channels == (Channel.HOTLINE, Channel.EMAIL)
    with pytest.raises(ValidationError) as caught:
        PledgeScope(channels=["hotline", "pigeon", "hotline"], store_ids=["S1", " S2"], tiers="vip")
    assert _paths(caught) == ["$.channels[1]", "$.channels[2]", "$.store_ids[1]", "$.tiers"]


def test_a_version_reports_every_problem_in_one_round() -> None:
    with pytest.raises(ValidationError) as caught:
        PledgeVersion(
            number=0,
            effective_from=datetime(2026, 1, 1),
            wording="   ",
            standard="fast",  # type: ignore[arg-type]
            target_share=True,
            scope=None,  # type: ignore[arg-type]
            calendar="HK",  # type: ignore[arg-type]
        )
    assert _paths(caught) == [
        "$.number", "$.effective_from", "$.wording", "$.standard", "$.target_share", "$.scope",
        "$.calendar",
    ]  # fmt: skip


@pytest.mark.parametrize("share", [0, 0.0, -0.1, 1.01, float("nan"), float("inf")])
def test_a_target_share_is_a_share_of_cases(share: float) -> None:
    with pytest.raises(ValidationError) as caught:
        _answer(share=share)
    assert _paths(caught) == ["$.target_share"]


def test_versions_apply_from_their_instant_compared_as_instants() -> None:
    # 01:45 BST is 00:45 UTC; 01:30 GMT, in the second pass of the repeated hour, is 01:30 UTC.
    first_pass = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    revised = _answer().revise(
        effective_from=datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        wording="We answer 90% of calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
        reason="new phone system",
    )
    assert _number(revised, first_pass) == 1
    assert _number(revised, second_pass) == 2
    assert revised.versions[1].reason == "new phone system"
    assert revised.versions[0].wording == _answer().current.wording  # the old words are kept
    assert revised.in_force(START - timedelta(microseconds=1)) is None
    assert _number(revised, datetime(2026, 1, 1, 5, 30, tzinfo=KOLKATA)) == 1  # 00:00 UTC


def test_a_version_must_take_effect_after_the_one_before() -> None:
    with pytest.raises(ValidationError) as caught:
        _answer().revise(effective_from=START)
    assert _paths(caught) == ["$.versions[1].effective_from"]
    with pytest.raises(ValidationError) as unknown:
        _answer().revise(effective_from=START + timedelta(days=1), target=0.5, id="x")
    assert _paths(unknown) == ["$.changes.id", "$.changes.target"]


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"target_share": 0.95}, ["$.changes.wording"]),
        ({"standard": PledgeStandard("answer_time", within=timedelta(seconds=20))},
         ["$.changes.wording"]),
        ({"target_share": None, "wording": "We answer calls within 30 seconds."},
         ["$.changes.wording"]),  # the same words as before
        ({"target_share": 2, "id": "x"},
         ["$.changes.id", "$.changes.target_share", "$.changes.wording"]),
        ({"wording": "", "standard": "fast"}, ["$.changes.standard", "$.changes.wording"]),
    ],
)  # fmt: skip
def test_a_new_standard_or_target_needs_new_words_reported_in_one_round(
    changes: dict[str, Any], paths: list[str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        _answer().revise(effective_from=START + timedelta(days=1), **changes)
    assert sorted(_paths(caught)) == paths


def test_the_same_standard_and_target_keep_the_words() -> None:
    same = _answer().current
    kept = _answer().revise(
        effective_from=START + timedelta(days=1),
        standard=same.standard,
        target_share=same.target_share,
        scope=PledgeScope(),
    )
    assert kept.current.wording == same.wording


def test_a_withdrawn_pledge_applies_to_nothing_from_then() -> None:
    end = datetime(2026, 12, 31, tzinfo=UTC)
    withdrawn = _answer().withdraw(at=end)
    assert withdrawn.in_force(end - timedelta(microseconds=1)) is not None
    assert withdrawn.in_force(end) is None
    with pytest.raises(ValidationError) as caught:
        _answer().withdraw(at=START)
    assert _paths(caught) == ["$.at"]
    # History is not rewritten: a withdrawn pledge is neither withdrawn again nor revised.
    with pytest.raises(InvalidTransitionError, match="withdrawn already"):
        withdrawn.withdraw(at=end + timedelta(days=1))
    with pytest.raises(InvalidTransitionError, match="withdrawn"):
        withdrawn.revise(effective_from=end + timedelta(days=1), wording="Back again.")
    revised = _answer().revise(effective_from=START + timedelta(days=30), wording="Faster.")
    with pytest.raises(ValidationError) as early:
        revised.withdraw(at=START + timedelta(days=10))  # before the latest version
    assert _paths(early) == ["$.at"]


def test_a_complaint_pledge_needs_its_calendar_and_an_answer_pledge_does_not() -> None:
    with pytest.raises(ValidationError) as caught:
        ServicePledge.create(
            id="ack", effective_from=START, wording="Acknowledged within a day.",
            standard=PledgeStandard("acknowledgement", working_days=1),
        )  # fmt: skip
    assert _paths(caught) == ["$.calendar"]
    assert _answer().current.calendar is None


def test_the_record_shows_the_current_version_and_no_history() -> None:
    revised = _answer().revise(
        effective_from=START + timedelta(days=90), target_share=0.95, wording="95% within 30 s."
    )
    (row,) = revised.to_records()
    assert (row["id"], row["wording"], row["target"], row["measure"]) == (
        "hotline", "95% within 30 s.", 0.95, "answer_time",
    )  # fmt: skip
    assert "versions" not in row


@given(
    seconds=st.integers(1, 3600),
    share=st.none() | st.floats(0.01, 1.0),
    days=st.lists(st.integers(1, 400), max_size=4, unique=True),
    zone=st.sampled_from([UTC, LONDON, KOLKATA]),
)
def test_pledges_round_trip_through_json(
    seconds: int, share: float | None, days: list[int], zone: ZoneInfo
) -> None:
    pledge = _answer(seconds, share)
    for day in sorted(days):
        pledge = pledge.revise(
            effective_from=(START + timedelta(days=day)).astimezone(zone),
            scope=PledgeScope(store_ids=[f"S{day}"]),
            calendar=DESK,
        )
    assert from_json(to_json(pledge), ServicePledge) == pledge


def test_bad_json_is_a_validation_error_with_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        from_json('{"id": "p", "versions": [{"wording": 5}]}', ServicePledge)
    paths = _paths(caught)
    assert "$.versions[0].wording" in paths
    assert "$.versions[0].effective_from" in paths
