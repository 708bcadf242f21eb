"""The disclosure report measured on a store's records: both stores, two periods, bad input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from retail_service_quality import (
    BusinessCalendar,
    Complaint,
    DisclosureTrend,
    InMemoryStore,
    PledgeScope,
    PledgeStandard,
    ServiceInteraction,
    ServicePledge,
    SQLiteStore,
    ValidationError,
    disclosure_report,
)
from retail_service_quality.storage.ports import Store

HK = ZoneInfo("Asia/Hong_Kong")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
ANSWER = ServicePledge.create(
    id="hotline-answer",
    effective_from=datetime(2026, 1, 1, tzinfo=HK),
    wording="We answer 90% of hotline calls within 30 seconds.",
    standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
    target_share=0.9,
    scope=PledgeScope(channels=["hotline"]),
)
ACK = ServicePledge.create(
    id="complaint-ack",
    effective_from=datetime(2026, 1, 1, tzinfo=HK),
    wording="We acknowledge every complaint within 4 business hours.",
    standard=PledgeStandard("acknowledgement", within=timedelta(hours=4)),
    calendar=DESK,
)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = InMemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "s.db")
    yield made
    made.close()


def _calls(month: int, answered_fast: int, slow: int) -> list[ServiceInteraction]:
    first = datetime(2026, month, 3, 10, tzinfo=HK)
    return [
        ServiceInteraction(
            id=f"I-{month}-{n}", store_id="HK-1", channel="hotline", direction="inbound",
            occurred_at=first + timedelta(minutes=n),
            queue_time=timedelta(seconds=10 if n < answered_fast else 90),
        )
        for n in range(answered_fast + slow)
    ]  # fmt: skip


def _complaint(number: int, received: datetime, acknowledged: datetime | None) -> Complaint:
    complaint = Complaint.receive(
        id=f"CMP-{number}", at=received, channel="email", store_id="HK-1", category="billing"
    )
    return complaint if acknowledged is None else complaint.acknowledge(at=acknowledged)


def test_each_pledge_gets_its_line_and_its_trend(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.interactions.add_many(_calls(10, answered_fast=40, slow=20))  # October: 40/60
        uow.interactions.add_many(_calls(11, answered_fast=57, slow=3))  # November: 57/60
        uow.complaints.add_many([
            _complaint(1, _at(11, 2, 9), _at(11, 2, 10)),  # met
            _complaint(2, _at(11, 2, 9), _at(11, 2, 15)),  # late
            _complaint(3, _at(11, 30, 17), None),  # open, not yet due: pending
        ])  # fmt: skip
        uow.commit()
    report = disclosure_report(
        store, [ANSWER, ACK], period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
        timezone="Asia/Hong_Kong", now=_at(12, 1, 9), retailer="Harbour Stores",
    )  # fmt: skip
    answer, ack = report.lines
    assert (answer.n, answer.met, answer.previous_n, answer.previous_met) == (60, 57, 60, 40)
    assert answer.status.value == "met"
    assert answer.trend is DisclosureTrend.UP
    assert (ack.n, ack.met, ack.target_share, ack.status.value) == (2, 1, None, "not_enough_data")
    assert (report.period_start, report.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert "Harbour Stores" in report.to_html()


def _at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=HK)


def test_a_period_with_no_cases_has_no_interval_and_no_trend(store: Store) -> None:
    report = disclosure_report(
        store, [ANSWER], period_start=date(2026, 3, 1), period_end=date(2026, 3, 31),
        timezone="Europe/London", now=datetime(2026, 4, 1, tzinfo=UTC), retailer="R",
    )  # fmt: skip
    (line,) = report.lines
    assert (line.n, line.interval, line.status.value, line.trend) == (
        0, None, "not_enough_data", None,
    )  # fmt: skip


def test_the_period_is_whole_local_days_in_the_zone(store: Store) -> None:
    # A call at 23:30 on 31 October in London (BST ends on the 25th: GMT, so 23:30 UTC) is in
    # October; one at 00:30 on 1 November local is in November.
    calls = [
        ServiceInteraction(
            id=f"I-{n}", store_id="UK-1", channel="hotline", direction="inbound",
            occurred_at=at, queue_time=timedelta(seconds=5 + n),
        )
        for n, at in enumerate([
            datetime(2026, 10, 31, 23, 30, tzinfo=ZoneInfo("Europe/London")),
            datetime(2026, 11, 1, 0, 30, tzinfo=ZoneInfo("Europe/London")),
        ])
    ]  # fmt: skip
    with store.unit_of_work() as uow:
        uow.interactions.add_many(calls)
        uow.commit()
    report = disclosure_report(
        store, [ANSWER], period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
        timezone="Europe/London", now=datetime(2026, 12, 1, tzinfo=UTC), retailer="R",
    )  # fmt: skip
    (line,) = report.lines
    assert (line.n, line.previous_n) == (1, 1)


@pytest.mark.parametrize(
    ("change", "paths"),
    [
        ({"pledges": [ANSWER, "x"]}, ["$.pledges[1]"]),
        ({"pledges": "ANSWER", "timezone": "Mars/Base"}, ["$.pledges", "$.timezone"]),
        ({"period_end": date(2026, 10, 1)}, ["$.period_end"]),
        ({"period_start": datetime(2026, 11, 1, tzinfo=UTC)}, ["$.period_start"]),
        ({"period_start": date(1, 1, 2)}, ["$.period_start"]),
    ],
)
def test_bad_arguments_are_reported_with_their_paths(
    change: dict[str, object], paths: list[str]
) -> None:
    arguments: dict[str, object] = {
        "pledges": [ANSWER], "period_start": date(2026, 11, 1), "period_end": date(2026, 11, 30),
        "timezone": "Asia/Hong_Kong", "now": datetime(2026, 12, 1, tzinfo=UTC), "retailer": "R",
        **change,
    }  # fmt: skip
    run: Callable[..., object] = disclosure_report
    with pytest.raises(ValidationError) as caught:
        run(InMemoryStore(), **arguments)
    assert [problem.path for problem in caught.value.problems] == paths


def test_every_bad_argument_is_reported_in_one_round() -> None:
    run: Callable[..., object] = disclosure_report
    with pytest.raises(ValidationError) as caught:
        run(
            InMemoryStore(), [ANSWER], period_start=date(2026, 3, 31),
            period_end=date(2026, 3, 1), timezone="Asia/Hong_Kong",
            now=datetime(2026, 5, 2), retailer="", title=None, min_n=0, confidence=1,
        )  # fmt: skip
    assert [problem.path for problem in caught.value.problems] == [
        "$.period_end", "$.now", "$.title", "$.retailer", "$.confidence", "$.min_n",
    ]  # fmt: skip


def test_a_pledge_in_force_at_neither_end_of_the_period_has_no_line(store: Store) -> None:
    later = ServicePledge.create(
        id="next-year", effective_from=datetime(2027, 1, 1, tzinfo=HK),
        wording="We answer every call within a minute.",
        standard=PledgeStandard("answer_time", within=timedelta(minutes=1)),
    )  # fmt: skip
    ended = ANSWER.withdraw(at=datetime(2026, 4, 20, tzinfo=HK))
    report = disclosure_report(
        store, [later, ended], period_start=date(2026, 5, 1), period_end=date(2026, 5, 31),
        timezone="Asia/Hong_Kong", now=datetime(2026, 6, 1, tzinfo=UTC), retailer="R",
    )  # fmt: skip
    assert report.lines == ()
    april = disclosure_report(
        store, [later, ended], period_start=date(2026, 4, 1), period_end=date(2026, 4, 30),
        timezone="Asia/Hong_Kong", now=datetime(2026, 6, 1, tzinfo=UTC), retailer="R",
    )  # fmt: skip
    assert [line.pledge_id for line in april.lines] == ["hotline-answer"]
