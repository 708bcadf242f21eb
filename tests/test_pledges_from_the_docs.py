"""Pledges, guarantees, hotline staffing and the disclosure report, tested from their docs.

Each test states a behaviour the guides (pledges, guarantees, hotline staffing, disclosure
report, storage) or the docstrings promise, checked on both stores where a store is involved,
against an independent oracle where there is one: statsmodels' Wilson interval, scipy's exact
binomial test, an Erlang C computed here by the Erlang B recursion, working days counted here
from the ``holidays`` package, and counts made here by hand.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holiday_tables
import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint

from retail_service_quality import (
    AttainmentStatus,
    BusinessCalendar,
    Complaint,
    ConflictError,
    Customer,
    DisclosureLine,
    DisclosureReport,
    GuaranteeClause,
    InMemoryStore,
    InvalidTransitionError,
    NotFoundError,
    PledgeScope,
    PledgeStandard,
    ReturnedItem,
    ReturnGuarantee,
    RSQError,
    RuleSet,
    Sale,
    ServiceInteraction,
    ServicePledge,
    SQLiteStore,
    StorageError,
    ValidationError,
    disclosure_report,
    evaluate_return,
    from_json,
    hotline_actuals,
    json_schema,
    monitor_pledges,
    monitoring_rules,
    plan_hotline,
    pledge_attainment,
    shortfall_p_value,
    to_json,
    two_proportion_ztest,
)

HK = ZoneInfo("Asia/Hong_Kong")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)

Store = InMemoryStore | SQLiteStore


# --------------------------------------------------------------------------- helpers


def new_store(kind: str) -> Store:
    return InMemoryStore() if kind == "memory" else SQLiteStore(":memory:")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = InMemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "p.db")
    try:
        yield made
    finally:
        made.close()


def answer_pledge(
    *,
    pledge_id: str = "hotline-answer",
    seconds: int = 30,
    target: float | None = 0.9,
    scope: PledgeScope | None = None,
    effective_from: datetime = YEAR_START,
) -> ServicePledge:
    return ServicePledge.create(
        id=pledge_id,
        effective_from=effective_from,
        wording=f"We answer hotline calls within {seconds} seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=seconds)),
        target_share=target,
        scope=scope if scope is not None else PledgeScope(),
    )


def call(
    number: int,
    at: datetime,
    *,
    wait: float | None = 10,
    store_id: str = "S1",
    channel: str = "hotline",
    abandoned: bool = False,
    direction: str = "inbound",
    customer_id: str | None = None,
) -> ServiceInteraction:
    return ServiceInteraction(
        id=f"CALL-{number}",
        store_id=store_id,
        channel=channel,
        direction=direction,
        occurred_at=at,
        queue_time=None if wait is None else timedelta(seconds=wait),
        abandoned=abandoned,
        customer_id=customer_id,
    )


def put(target: Store, *records: Any) -> None:
    with target.unit_of_work() as uow:
        for record in records:
            if isinstance(record, ServiceInteraction):
                uow.interactions.add(record)
            elif isinstance(record, Complaint):
                uow.complaints.add(record)
            elif isinstance(record, Customer):
                uow.customers.add(record)
            else:
                uow.pledges.add(record)
        uow.commit()


def one_row(rows: Sequence[Any]) -> Any:
    assert len(rows) == 1, rows
    return rows[0]


def paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


def desk(zone: str = "UTC") -> BusinessCalendar:
    return BusinessCalendar(zone, {day: [("09:00", "17:00")] for day in WEEKDAYS})


def complaint_pledge(
    measure: str, *, working_days: int = 1, target: float | None = None, zone: str = "UTC"
) -> ServicePledge:
    return ServicePledge.create(
        id=f"complaint-{measure}",
        effective_from=YEAR_START,
        wording=f"We {measure} complaints within {working_days} working days.",
        standard=PledgeStandard(measure, working_days=working_days),
        target_share=target,
        calendar=desk(zone),
    )


def received(number: int, at: datetime, *, customer_id: str | None = None) -> Complaint:
    return Complaint.receive(
        id=f"CMP-{number}",
        at=at,
        channel="email",
        store_id="S1",
        category="billing",
        customer_id=customer_id,
    )


def resolved(number: int, at: datetime, closed: datetime) -> Complaint:
    step = (closed - at) / 6
    return (
        received(number, at)
        .acknowledge(at=at + step)
        .assess(at=at + 2 * step, severity=2, priority="normal")
        .investigate(at=at + 3 * step)
        .respond(at=at + 4 * step, remedy="refund")
        .accept(at=at + 5 * step)
        .close(at=closed, root_cause="pricing", corrective_action="retrained")
    )


# A Monday in a month without UK or HK public holidays that matter here.
MONDAY = datetime(2026, 3, 2, 10, tzinfo=UTC)


# --------------------------------------------------------------------------- pledges


def test_create_reports_every_problem_at_once_with_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        ServicePledge.create(
            id="bad",
            effective_from=datetime(2026, 1, 1),
            wording="",
            standard=PledgeStandard("resolution", working_days=5),
            target_share=1.5,
        )
    found = paths(caught.value)
    assert len(found) == 4
    assert all(path.startswith("$.") for path in found)
    assert any(path.endswith("effective_from") for path in found)
    assert any(path.endswith("wording") for path in found)
    assert any(path.endswith("target_share") for path in found)
    assert any(path.endswith("calendar") for path in found)


@pytest.mark.parametrize(
    "arguments",
    [
        {"id": 7},
        {"effective_from": "2026-01-01"},
        {"standard": "answer_time"},
        {"target_share": float("nan")},
        {"target_share": float("inf")},
        {"target_share": True},
        {"scope": ["hotline"]},
        {"wording": "\ud800 lone surrogate"},
        {"effective_from": datetime(2026, 1, 1, tzinfo=UTC), "calendar": "UTC"},
    ],
)
def test_create_with_wrong_values_raises_only_the_librarys_errors(
    arguments: dict[str, Any],
) -> None:
    good: dict[str, Any] = {
        "id": "p",
        "effective_from": YEAR_START,
        "wording": "We answer 90% of calls within 30 seconds.",
        "standard": PledgeStandard("answer_time", within=timedelta(seconds=30)),
        "target_share": 0.9,
    }
    with pytest.raises(ValidationError) as caught:
        ServicePledge.create(**(good | arguments))
    assert all(path.startswith("$") for path in paths(caught.value))


@pytest.mark.parametrize(
    "arguments",
    [
        {"measure": "answer_time", "working_days": 2},
        {"measure": "answer_time"},
        {"measure": "resolution"},
        {"measure": "resolution", "within": timedelta(hours=8), "working_days": 5},
        {"measure": "answer_time", "within": timedelta(seconds=-1)},
        {"measure": "resolution", "working_days": -1},
        {"measure": "speed"},
    ],
)
def test_a_standard_that_measures_nothing_sensible_is_refused(arguments: dict[str, Any]) -> None:
    measure = arguments.pop("measure")
    with pytest.raises(ValidationError):
        PledgeStandard(measure, **arguments)


def test_in_force_picks_the_version_of_the_instant_including_its_first_microsecond() -> None:
    pledge = answer_pledge(seconds=30).revise(
        effective_from=datetime(2026, 7, 1, tzinfo=HK),
        reason="new phone system",
        wording="We answer 90% of hotline calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
    )
    switch = datetime(2026, 7, 1, tzinfo=HK)
    assert pledge.in_force(YEAR_START - timedelta(microseconds=1)) is None
    first = pledge.in_force(YEAR_START)
    assert first is not None
    assert first.number == 1
    before = pledge.in_force(switch - timedelta(microseconds=1))
    assert before is not None
    assert before.number == 1
    # The same instant written in another zone.
    at_switch = pledge.in_force(switch.astimezone(ZoneInfo("America/Los_Angeles")))
    assert at_switch is not None
    assert at_switch.number == 2
    assert at_switch.reason == "new phone system"
    assert pledge.versions[0].standard.within == timedelta(seconds=30)


def test_in_force_compares_instants_in_the_repeated_london_hour() -> None:
    # 01:30 GMT (fold=1) is 01:30 UTC; 01:45 BST (fold=0) is 00:45 UTC, before it.
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    pledge = answer_pledge().revise(
        effective_from=second_pass,
        wording="We answer 90% of hotline calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
    )
    early = pledge.in_force(datetime(2026, 10, 25, 1, 45, fold=0, tzinfo=LONDON))
    late = pledge.in_force(datetime(2026, 10, 25, 1, 45, fold=1, tzinfo=LONDON))
    assert early is not None
    assert late is not None
    assert (early.number, late.number) == (1, 2)


def test_withdrawal_applies_from_its_instant() -> None:
    end = datetime(2027, 1, 1, tzinfo=HK)
    pledge = answer_pledge().withdraw(at=end)
    assert pledge.in_force(end) is None
    still = pledge.in_force(end - timedelta(microseconds=1))
    assert still is not None
    assert still.number == 1


def test_history_is_never_rewritten() -> None:
    pledge = answer_pledge()
    with pytest.raises(ValidationError):
        pledge.revise(effective_from=YEAR_START, target_share=0.8, wording="We answer 80%.")
    with pytest.raises(ValidationError):
        pledge.revise(
            effective_from=YEAR_START - timedelta(days=1), target_share=0.8, wording="80%."
        )
    with pytest.raises(ValidationError) as caught:
        pledge.revise(effective_from=datetime(2026, 6, 1, tzinfo=UTC), colour="red")
    assert "$.changes.colour" in paths(caught.value)
    with pytest.raises(ValidationError):
        pledge.withdraw(at=YEAR_START - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        pledge.withdraw(at=datetime(2027, 1, 1))
    withdrawn = pledge.withdraw(at=datetime(2027, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidTransitionError):
        withdrawn.withdraw(at=datetime(2028, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidTransitionError):
        withdrawn.revise(
            effective_from=datetime(2028, 1, 1, tzinfo=UTC), target_share=0.8, wording="80%."
        )
    # The original is untouched.
    assert pledge.ends_at is None
    assert len(pledge.versions) == 1


def test_an_every_case_pledge_targets_every_case() -> None:
    pledge = complaint_pledge("resolution", working_days=5)
    assert pledge.current.every_case
    assert pledge.target == 1.0
    assert pledge.current.target_share is None


def test_in_force_with_a_naive_or_wrong_instant_is_a_validation_error() -> None:
    pledge = answer_pledge()
    for bad in (datetime(2026, 3, 1), "2026-03-01", None, 3):
        with pytest.raises(ValidationError):
            pledge.in_force(bad)  # type: ignore[arg-type]


zones = st.sampled_from([UTC, HK, LONDON, KOLKATA, ZoneInfo("Australia/Adelaide")])


@st.composite
def pledges(draw: st.DrawFn) -> ServicePledge:
    measure = draw(st.sampled_from(["answer_time", "acknowledgement", "resolution"]))
    start = draw(
        st.datetimes(
            min_value=datetime(2020, 1, 1),
            max_value=datetime(2030, 1, 1),
            timezones=zones,
            allow_imaginary=False,
        )
    )

    def later(days: int) -> datetime:
        return (start.astimezone(UTC) + timedelta(days=days)).astimezone(start.tzinfo)

    if measure == "answer_time":
        standard = PledgeStandard(measure, within=timedelta(seconds=draw(st.integers(1, 600))))
        calendar = None
    else:
        standard = PledgeStandard(measure, working_days=draw(st.integers(1, 20)))
        calendar = desk(draw(st.sampled_from(["UTC", "Asia/Hong_Kong", "Europe/London"])))
    text = st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40
    ).filter(lambda value: value.strip() == value and value != "")
    identifiers = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}", fullmatch=True)
    pledge = ServicePledge.create(
        id=draw(identifiers),
        effective_from=start,
        wording=draw(text),
        standard=standard,
        target_share=draw(st.one_of(st.none(), st.floats(0.01, 0.99))),
        scope=PledgeScope(
            channels=draw(st.lists(st.sampled_from(["hotline", "email", "online"]), unique=True)),
            store_ids=draw(st.lists(identifiers, max_size=3, unique=True)),
            tiers=draw(st.lists(st.sampled_from(["vip", "gold"]), unique=True)),
        ),
        calendar=calendar,
    )
    for step in range(draw(st.integers(0, 3))):
        pledge = pledge.revise(
            effective_from=later(30 * (step + 1)),
            reason=draw(st.one_of(st.none(), text)),
            target_share=draw(st.one_of(st.none(), st.floats(0.01, 0.99))),
            wording=f"{draw(text)} (version {step + 2})",  # new words: the target may change
        )
    if draw(st.booleans()):
        pledge = pledge.withdraw(at=later(400))
    return pledge


PLEDGE_SCHEMA = json_schema(ServicePledge)


@settings(max_examples=30)
@given(pledge=pledges())
def test_a_pledge_round_trips_through_json_and_meets_its_schema(pledge: ServicePledge) -> None:
    text = to_json(pledge)
    again = from_json(text, ServicePledge)
    assert again == pledge
    assert [v.effective_from.utcoffset() for v in again.versions] == [
        v.effective_from.utcoffset() for v in pledge.versions
    ]
    jsonschema.validate(json.loads(text), PLEDGE_SCHEMA)


def revised_json() -> dict[str, Any]:
    pledge = answer_pledge().revise(
        effective_from=datetime(2026, 7, 1, tzinfo=UTC), target_share=0.8, wording="80%."
    )
    data: dict[str, Any] = json.loads(to_json(pledge))
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("versions", 1, "effective_from"), "2025-07-01T00:00:00+00:00", "$.versions[1]"),
        (("versions", 1, "number"), 5, "$.versions[1].number"),
        (("ends_at",), "2025-12-01T00:00:00+00:00", "$.ends_at"),
        (("versions", 0, "target_share"), 2, "$.versions[0].target_share"),
        (("versions", 0, "effective_from"), "2026-01-01T00:00:00", "$.versions[0].effective_from"),
    ],
)
def test_pledge_json_with_a_rewritten_history_is_refused(
    path: tuple[Any, ...], value: Any, expected: str
) -> None:
    data = revised_json()
    *parents, key = path
    node: Any = data
    for part in parents:
        node = node[part]
    node[key] = value
    with pytest.raises(ValidationError) as caught:
        from_json(json.dumps(data), ServicePledge)
    assert any(found.startswith(expected) for found in paths(caught.value)), paths(caught.value)


def test_pledge_json_withdrawn_before_its_latest_version_is_refused() -> None:
    data = revised_json()
    data["ends_at"] = "2026-03-01T00:00:00+00:00"  # the second version starts on 1 July
    with pytest.raises(ValidationError):
        from_json(json.dumps(data), ServicePledge)


def test_pledge_json_reports_a_bad_version_and_a_bad_order_in_one_round() -> None:
    data = revised_json()
    data["versions"][1]["effective_from"] = "2025-07-01T00:00:00+00:00"
    data["versions"][0]["target_share"] = 2
    with pytest.raises(ValidationError) as caught:
        from_json(json.dumps(data), ServicePledge)
    found = paths(caught.value)
    assert "$.versions[0].target_share" in found
    assert any(path.startswith("$.versions[1]") for path in found), found


# --------------------------------------------------------------------------- storage


def test_pledges_are_stored_whole_with_optimistic_concurrency(store: Store) -> None:
    pledge = answer_pledge()
    put(store, pledge)
    with store.unit_of_work() as uow:
        read = uow.pledges.get("hotline-answer")
        saved = uow.pledges.save(
            read.revise(
                effective_from=datetime(2026, 7, 1, tzinfo=LONDON),
                reason="raised",
                wording="We answer 90% of hotline calls within 20 seconds.",
                standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
            )
        )
        uow.commit()
    assert saved.version == 2
    assert [v.standard.within for v in saved.versions] == [
        timedelta(seconds=30),
        timedelta(seconds=20),
    ]
    with store.unit_of_work() as uow, pytest.raises(ConflictError):
        uow.pledges.save(read.withdraw(at=datetime(2027, 1, 1, tzinfo=UTC)))
    with store.unit_of_work() as uow, pytest.raises(ConflictError):
        uow.pledges.add(pledge)
    with store.unit_of_work(read_only=True) as uow:
        again = uow.pledges.get("hotline-answer")
        assert again.versions == saved.versions
        assert again.versions[1].effective_from == datetime(2026, 7, 1, tzinfo=LONDON)
        with pytest.raises(NotFoundError):
            uow.pledges.get("nothing")


def test_a_stored_pledge_keeps_its_instants_zone_and_fold(store: Store) -> None:
    second_pass = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    pledge = answer_pledge(effective_from=datetime(2026, 1, 1, tzinfo=KOLKATA)).withdraw(
        at=second_pass
    )
    put(store, pledge)
    with store.unit_of_work(read_only=True) as uow:
        read = uow.pledges.get(pledge.id)
    assert read.ends_at is not None
    assert read.ends_at.utcoffset() == timedelta(0)
    assert read.effective_from.utcoffset() == timedelta(hours=5, minutes=30)
    assert read.versions == pledge.versions


def test_pledge_query_selects_by_instant_and_measure(store: Store) -> None:
    withdrawal = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    put(
        store,
        answer_pledge(pledge_id="b-answer").withdraw(at=withdrawal),
        complaint_pledge("resolution"),
        answer_pledge(pledge_id="a-late", effective_from=datetime(2026, 6, 1, tzinfo=UTC)),
    )
    with store.unit_of_work(read_only=True) as uow:
        assert [p.id for p in uow.pledges.query()] == ["a-late", "b-answer", "complaint-resolution"]
        assert [p.id for p in uow.pledges.query(in_force_at=YEAR_START)] == [
            "b-answer",
            "complaint-resolution",
        ]
        # The first pass of 01:30 (BST, 00:30 UTC) is before the withdrawal at 01:30 UTC.
        first_pass = datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON)
        assert [p.id for p in uow.pledges.query(in_force_at=first_pass, measure="answer_time")] == [
            "a-late",
            "b-answer",
        ]
        assert [p.id for p in uow.pledges.query(in_force_at=withdrawal)] == [
            "a-late",
            "complaint-resolution",
        ]
        assert uow.pledges.count(measure="answer_time") == 2
        assert uow.pledges.count(in_force_at=datetime(2026, 6, 1, tzinfo=UTC)) == 3
        assert uow.pledges.count(measure="resolution", in_force_at=withdrawal) == 1


def test_pledge_query_with_a_naive_instant_is_refused(store: Store) -> None:
    with store.unit_of_work(read_only=True) as uow, pytest.raises(ValidationError):
        list(uow.pledges.query(in_force_at=datetime(2026, 1, 1)))


# --------------------------------------------------------------------------- attainment: calls


def attain(target: Any, pledge: ServicePledge, **options: Any) -> Any:
    arguments: dict[str, Any] = {
        "start": datetime(2026, 1, 1, tzinfo=UTC),
        "end": datetime(2027, 1, 1, tzinfo=UTC),
        "now": datetime(2027, 1, 1, tzinfo=UTC),
        "min_n": 1,
    }
    return pledge_attainment(target, pledge, **(arguments | options))


def test_the_guides_example_gives_the_same_rows_on_both_stores(store: Store) -> None:
    hotline = answer_pledge(scope=PledgeScope(channels=["hotline"]))
    put(
        store,
        *(
            call(
                n,
                datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=n),
                wait=n % 45,
                store_id="HK-CWB" if n % 2 else "HK-TST",
            )
            for n in range(200)
        ),
    )
    rows = pledge_attainment(
        store,
        hotline,
        start=datetime(2026, 3, 1, tzinfo=HK),
        end=datetime(2026, 4, 1, tzinfo=HK),
        now=datetime(2026, 4, 1, tzinfo=HK),
        group_by=["store", "month"],
        timezone="Asia/Hong_Kong",
    )
    assert [(r.store_id, r.month, r.n, r.met) for r in rows] == [
        ("HK-CWB", date(2026, 3, 1), 100, 72),
        ("HK-TST", date(2026, 3, 1), 100, 72),
    ]
    row = rows[0]
    assert row.status is AttainmentStatus.NOT_MET
    assert row.significant
    assert row.gap == pytest.approx(0.72 - 0.9)


def test_each_kind_of_call_counts_as_the_table_says(store: Store) -> None:
    at = MONDAY
    put(
        store,
        Customer(id="C-OUT", created_at=YEAR_START),
        call(0, at, wait=30),  # answered at the standard: met
        call(1, at, wait=0),  # met
        call(2, at, wait=30.000001),  # over: not met
        call(3, at, wait=45, abandoned=True),  # abandoned: not met
        call(4, at, wait=5, abandoned=True),  # abandoned at 5 s: not a short abandon
        call(5, at, wait=4.999, abandoned=True),  # short abandon: excluded
        call(6, at, wait=None),  # unmeasured: excluded
        call(
            7, at, wait=1, direction="outbound", customer_id="C-OUT"
        ),  # not an inbound call: not counted
        call(8, at, wait=1, channel="email"),  # not the hotline: not counted
    )
    row = one_row(attain(store, answer_pledge()))
    assert (row.met, row.not_met, row.excluded, row.pending, row.n) == (2, 3, 2, 0, 5)
    assert row.share == pytest.approx(0.4)


def test_the_period_is_half_open_and_later_cases_wait_for_now(store: Store) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    end = datetime(2026, 4, 1, tzinfo=UTC)
    now = datetime(2026, 3, 20, tzinfo=UTC)
    put(
        store,
        call(0, start),
        call(1, start - timedelta(microseconds=1)),
        call(2, end),
        call(3, end - timedelta(microseconds=1), wait=90),
        call(4, now, wait=90),
        call(5, now - timedelta(microseconds=1), wait=90),
    )
    row = one_row(attain(store, answer_pledge(), start=start, end=end, now=now))
    assert (row.met, row.not_met) == (1, 1)
    row = one_row(attain(store, answer_pledge(), start=start, end=end, now=end))
    assert (row.met, row.not_met) == (1, 3)


def test_each_call_is_measured_against_the_version_in_force_when_it_began(store: Store) -> None:
    switch = datetime(2026, 7, 1, tzinfo=HK)
    pledge = (
        answer_pledge(seconds=30, target=0.9)
        .revise(
            effective_from=switch,
            wording="We answer 80% of hotline calls within 20 seconds.",
            standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
            target_share=0.8,
        )
        .withdraw(at=datetime(2026, 10, 1, tzinfo=UTC))
    )
    put(
        store,
        call(0, datetime(2025, 12, 31, 23, tzinfo=UTC), wait=25),  # before the pledge
        call(1, switch - timedelta(seconds=1), wait=25),  # version 1: met
        call(2, switch, wait=25),  # version 2: not met
        call(3, datetime(2026, 8, 1, tzinfo=UTC), wait=15),  # version 2: met
        call(4, datetime(2026, 10, 1, tzinfo=UTC), wait=5),  # withdrawn: not counted
    )
    row = one_row(attain(store, pledge, start=datetime(2025, 12, 1, tzinfo=UTC)))
    assert (row.n, row.met, row.not_met) == (3, 2, 1)
    # The target of the versions the cases were measured against, averaged over the cases.
    assert row.target == pytest.approx((0.9 + 0.8 + 0.8) / 3)


def test_an_averaged_target_that_the_share_reaches_exactly_is_met(store: Store) -> None:
    switch = datetime(2026, 7, 1, tzinfo=UTC)
    pledge = answer_pledge(target=0.9).revise(
        effective_from=switch, wording="We answer 60% within 30 seconds.", target_share=0.6
    )
    records = [
        call(n, MONDAY + timedelta(minutes=n), wait=10 if n < 27 else 60) for n in range(30)
    ] + [call(100 + n, switch + timedelta(minutes=n), wait=10 if n < 42 else 60) for n in range(70)]
    put(store, *records)
    row = one_row(attain(store, pledge, min_n=30))
    assert (row.n, row.met) == (100, 69)
    assert row.target == pytest.approx(0.69)
    assert row.status is AttainmentStatus.MET
    assert row.gap == pytest.approx(0.0, abs=1e-12)


def test_scope_by_channel_store_unit_and_tier(store: Store) -> None:
    put(
        store,
        Customer(id="C-VIP", tier="vip", created_at=YEAR_START),
        Customer(id="C-STD", created_at=YEAR_START),
        call(0, MONDAY, store_id="S1", customer_id="C-VIP"),
        call(1, MONDAY, store_id="S2", customer_id="C-STD"),
        call(2, MONDAY, store_id="S3"),
        call(3, MONDAY, store_id="S1", channel="online", customer_id="C-VIP"),
    )
    units = {"S1": "north", "S2": "south"}

    def counted(scope: PledgeScope, **options: Any) -> int:
        rows = attain(store, answer_pledge(scope=scope), **options)
        return sum(row.n for row in rows)

    assert counted(PledgeScope()) == 3  # the hotline only, by default
    assert counted(PledgeScope(channels=["hotline", "online"])) == 4
    assert counted(PledgeScope(channels=["online"])) == 1
    assert counted(PledgeScope(store_ids=["S1", "S3"])) == 2
    assert counted(PledgeScope(business_units=["north"]), business_units=units) == 1
    assert counted(PledgeScope(business_units=["north", "south"]), business_units=units) == 2
    # A store the mapping does not name is in no unit.
    assert counted(PledgeScope(business_units=["north"]), business_units={"S9": "north"}) == 0
    # A scope by unit needs each store's unit.
    with pytest.raises(ValidationError) as caught:
        counted(PledgeScope(business_units=["north"]))
    assert paths(caught.value) == ["$.business_units"]
    # An anonymous call is in no tier.
    assert counted(PledgeScope(tiers=["vip"])) == 1
    assert counted(PledgeScope(tiers=["vip", "standard"])) == 2


def test_a_scope_changed_by_a_version_applies_to_the_cases_it_covers(store: Store) -> None:
    switch = datetime(2026, 7, 1, tzinfo=UTC)
    pledge = answer_pledge(scope=PledgeScope(store_ids=["S1"])).revise(
        effective_from=switch, scope=PledgeScope(store_ids=["S2"])
    )
    put(
        store,
        call(0, MONDAY, store_id="S1"),
        call(1, MONDAY, store_id="S2"),
        call(2, switch, store_id="S1"),
        call(3, switch, store_id="S2"),
        call(4, switch + timedelta(hours=1), store_id="S2"),
    )
    rows = attain(store, pledge, group_by=["store"])
    assert [(row.store_id, row.n) for row in rows] == [("S1", 1), ("S2", 2)]


def test_grouping_by_channel_and_business_unit(store: Store) -> None:
    put(
        store,
        call(0, MONDAY, store_id="S1"),
        call(1, MONDAY, store_id="S2", wait=99),
        call(2, MONDAY, store_id="S3", channel="online"),
        call(3, MONDAY, store_id="S1", channel="online", wait=99),
    )
    pledge = answer_pledge(scope=PledgeScope(channels=["hotline", "online"]))
    rows = attain(
        store, pledge, group_by=["business_unit", "channel"], business_units={"S1": "north"}
    )
    keys = [(row.business_unit, row.channel.value, row.n, row.met) for row in rows]
    assert sorted(keys, key=lambda key: (key[0] is None, key[0] or "", key[1])) == [
        ("north", "hotline", 1, 1),
        ("north", "online", 1, 0),
        (None, "hotline", 1, 0),
        (None, "online", 1, 1),
    ]
    for row in rows:
        assert row.store_id is None
        assert row.month is None


@pytest.mark.parametrize(
    ("zone", "instants", "months"),
    [
        # 23:30 UTC on 31 March is 00:30 on 1 April in London (BST).
        ("Europe/London", [datetime(2026, 3, 31, 23, 30, tzinfo=UTC)], [date(2026, 4, 1)]),
        # After the clocks go back, 23:30 UTC on 31 October is still 31 October.
        ("Europe/London", [datetime(2026, 10, 31, 23, 30, tzinfo=UTC)], [date(2026, 10, 1)]),
        # The repeated hour, both passes, stays in October.
        (
            "Europe/London",
            [
                datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON),
                datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
            ],
            [date(2026, 10, 1)],
        ),
        # India is UTC+05:30: 18:29 UTC is 23:59 local, 18:30 UTC is midnight.
        (
            "Asia/Kolkata",
            [datetime(2026, 4, 30, 18, 29, tzinfo=UTC), datetime(2026, 4, 30, 18, 30, tzinfo=UTC)],
            [date(2026, 4, 1), date(2026, 5, 1)],
        ),
        ("UTC", [datetime(2026, 3, 31, 23, 30, tzinfo=UTC)], [date(2026, 3, 1)]),
    ],
)
def test_months_follow_the_zones_own_clock(
    store: Store, zone: str, instants: list[datetime], months: list[date]
) -> None:
    put(store, *(call(n, at) for n, at in enumerate(instants)))
    rows = attain(store, answer_pledge(), group_by=["month"], timezone=zone)
    assert [row.month for row in rows] == months
    assert sum(row.n for row in rows) == len(instants)


def test_months_of_an_answer_time_pledge_without_calendar_need_a_zone(store: Store) -> None:
    put(store, call(0, datetime(2026, 3, 31, 23, 30, tzinfo=UTC)))
    with pytest.raises(ValidationError) as caught:
        attain(store, answer_pledge(), group_by=["month"])
    assert [problem.path for problem in caught.value.problems] == ["$.timezone"]
    rows = attain(store, answer_pledge(), group_by=["month"], timezone="UTC")
    assert [row.month for row in rows] == [date(2026, 3, 1)]


def test_status_gap_interval_and_p_value_agree_with_statsmodels_and_scipy(store: Store) -> None:
    put(
        store,
        *(call(n, MONDAY + timedelta(minutes=n), wait=10 if n % 5 else 60) for n in range(47)),
    )
    row = one_row(attain(store, answer_pledge(target=0.9), min_n=30, confidence=0.9))
    met = sum(1 for n in range(47) if n % 5)
    assert (row.n, row.met) == (47, met)
    low, high = proportion_confint(met, 47, alpha=0.1, method="wilson")
    assert row.interval.low == pytest.approx(low, abs=1e-9)
    assert row.interval.high == pytest.approx(high, abs=1e-9)
    assert row.interval.confidence == pytest.approx(0.9)
    expected_p = binomtest(met, 47, 0.9, alternative="less").pvalue
    assert row.p_value == pytest.approx(expected_p, rel=1e-9)
    assert row.significant == (expected_p < 0.1)
    assert row.gap == pytest.approx(met / 47 - 0.9)
    assert row.status is AttainmentStatus.NOT_MET
    few = one_row(attain(store, answer_pledge(target=0.9), min_n=48))
    assert few.status is AttainmentStatus.NOT_ENOUGH_DATA
    assert few.n == 47


def test_a_share_that_reaches_the_target_is_met(store: Store) -> None:
    put(store, *(call(n, MONDAY, wait=10 if n < 9 else 60) for n in range(10)))
    row = one_row(attain(store, answer_pledge(target=0.9), min_n=10))
    assert row.status is AttainmentStatus.MET
    assert not row.significant


def test_an_every_case_pledge_fails_on_any_case(store: Store) -> None:
    put(store, *(call(n, MONDAY, wait=10 if n else 60) for n in range(40)))
    row = one_row(attain(store, answer_pledge(target=None), min_n=30))
    assert row.target == 1.0
    assert (row.met, row.n) == (39, 40)
    assert row.p_value == 0.0
    assert row.significant
    assert row.status is AttainmentStatus.NOT_MET


def test_attainment_reads_an_open_unit_of_work(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.interactions.add(call(0, MONDAY))
        row = one_row(attain(uow, answer_pledge()))
        assert row.n == 1
        uow.commit()


def test_attainment_of_nothing_lists_no_group(store: Store) -> None:
    assert list(attain(store, answer_pledge(), group_by=["store", "month"], timezone="UTC")) == []


# --------------------------------------------------------------------------- attainment: complaints

TUESDAY_CLOSE = datetime(2026, 3, 3, 17, tzinfo=UTC)  # one working day after MONDAY


def test_acknowledgement_open_cases_are_pending_until_late(store: Store) -> None:
    put(
        store,
        received(0, MONDAY).acknowledge(at=MONDAY + timedelta(hours=2)),  # met
        received(1, MONDAY).acknowledge(at=TUESDAY_CLOSE),  # at the deadline: met
        received(2, MONDAY).acknowledge(at=TUESDAY_CLOSE + timedelta(seconds=1)),  # late
        received(3, MONDAY),  # still open, not yet late: pending
        received(4, datetime(2026, 2, 26, 10, tzinfo=UTC)),  # open past its deadline
        received(5, MONDAY).acknowledge(at=MONDAY + timedelta(days=5)),  # after now: pending
    )
    pledge = complaint_pledge("acknowledgement", working_days=1, target=0.95)
    now = datetime(2026, 3, 3, 12, tzinfo=UTC)
    row = one_row(attain(store, pledge, start=datetime(2026, 2, 1, tzinfo=UTC), now=now))
    # Acknowledgements after now are not known yet: those cases are still pending.
    assert (row.met, row.not_met, row.pending) == (1, 1, 4)
    later = one_row(attain(store, pledge, start=datetime(2026, 2, 1, tzinfo=UTC)))
    assert (later.met, later.not_met, later.pending) == (2, 4, 0)
    assert later.n == 6


def step_to_investigating(complaint: Complaint, at: datetime) -> Complaint:
    return (
        complaint.acknowledge(at=at + timedelta(minutes=10))
        .assess(at=at + timedelta(minutes=20), severity=2, priority="normal")
        .investigate(at=at + timedelta(minutes=30))
    )


def close_out(complaint: Complaint, at: datetime) -> Complaint:
    return (
        complaint.respond(at=at - timedelta(minutes=20), remedy="refund")
        .accept(at=at - timedelta(minutes=10))
        .close(at=at, root_cause="pricing", corrective_action="retrained")
    )


def test_resolution_stops_the_clock_while_waiting_and_while_closed(store: Store) -> None:
    late_close = datetime(2026, 3, 17, 10, tzinfo=UTC)
    paused = (
        step_to_investigating(received(0, MONDAY), MONDAY)
        .wait_on_customer(at=MONDAY + timedelta(hours=1), reason="needs the receipt")
        .record_reply(at=datetime(2026, 3, 16, 11, tzinfo=UTC))
    )
    not_paused = step_to_investigating(received(1, MONDAY), MONDAY)
    reopened = close_out(
        step_to_investigating(received(2, MONDAY), MONDAY), datetime(2026, 3, 3, 10, tzinfo=UTC)
    ).reopen(at=datetime(2026, 3, 16, 10, tzinfo=UTC), reason="came back")
    put(
        store,
        close_out(paused, late_close),  # two weeks waiting on the customer: met
        close_out(not_paused, late_close),  # eleven working days: met late
        close_out(reopened, late_close),  # closed for two weeks between: met
        step_to_investigating(received(3, MONDAY), MONDAY),  # open past the deadline
        step_to_investigating(
            received(4, datetime(2026, 3, 16, 9, tzinfo=UTC)), datetime(2026, 3, 16, 9, tzinfo=UTC)
        ),  # open, not yet late
    )
    pledge = complaint_pledge("resolution", working_days=5)
    now = datetime(2026, 3, 18, tzinfo=UTC)
    row = one_row(attain(store, pledge, now=now))
    assert (row.met, row.not_met, row.pending) == (2, 2, 1)
    assert row.p_value == 0.0
    assert row.status is AttainmentStatus.NOT_MET


def test_a_complaint_the_calendar_cannot_measure_is_excluded(store: Store) -> None:
    late = datetime(9998, 12, 20, 10, tzinfo=UTC)
    put(store, received(0, late), received(1, datetime(9998, 11, 2, 10, tzinfo=UTC)))
    pledge = complaint_pledge("acknowledgement", working_days=30)
    rows = attain(
        store,
        pledge,
        start=datetime(9998, 1, 1, tzinfo=UTC),
        end=datetime(9999, 1, 1, tzinfo=UTC),
        now=datetime(9998, 12, 31, tzinfo=UTC),
    )
    row = one_row(rows)
    # The first is due in 9999, beyond the calendar; the second was due in December 9998.
    assert (row.met, row.not_met, row.pending, row.excluded) == (0, 1, 0, 1)


def test_a_complaint_breached_in_9998_is_not_met_when_measured_in_9999(store: Store) -> None:
    put(store, received(0, datetime(9998, 11, 2, 10, tzinfo=UTC)))
    pledge = complaint_pledge("acknowledgement", working_days=30)
    row = one_row(
        attain(
            store,
            pledge,
            start=datetime(9998, 1, 1, tzinfo=UTC),
            end=datetime(9999, 1, 1, tzinfo=UTC),
            now=datetime(9999, 1, 1, tzinfo=UTC),
        )
    )
    assert (row.not_met, row.excluded) == (1, 0)


def test_a_complaint_met_long_ago_stays_met(store: Store) -> None:
    put(store, received(0, MONDAY).acknowledge(at=MONDAY + timedelta(hours=1)))
    pledge = complaint_pledge("acknowledgement", working_days=1)
    row = one_row(attain(store, pledge, now=datetime(2127, 1, 1, tzinfo=UTC)))
    assert (row.met, row.excluded) == (1, 0)


def test_complaint_scope_by_tier_uses_the_stored_customer(store: Store) -> None:
    put(
        store,
        Customer(id="C-1", name="Chan Tai Man", tier="vip", created_at=YEAR_START),
        received(0, MONDAY, customer_id="C-1"),
        received(1, MONDAY),
    )
    pledge = ServicePledge.create(
        id="vip-ack",
        effective_from=YEAR_START,
        wording="We acknowledge every VIP complaint within 1 working day.",
        standard=PledgeStandard("acknowledgement", working_days=1),
        scope=PledgeScope(tiers=["vip"]),
        calendar=desk(),
    )
    row = one_row(attain(store, pledge))
    assert (row.n, row.not_met) == (1, 1)


def test_complaint_months_default_to_the_calendars_zone(store: Store) -> None:
    # 19:00 UTC on 31 March is 00:30 on 1 April in India.
    put(store, received(0, datetime(2026, 3, 31, 19, tzinfo=UTC)))
    pledge = complaint_pledge("acknowledgement", zone="Asia/Kolkata")
    rows = attain(store, pledge, group_by=["month"])
    assert [(row.month, row.n) for row in rows] == [(date(2026, 4, 1), 1)]
    rows = attain(store, pledge, group_by=["month"], timezone="UTC")
    assert [row.month for row in rows] == [date(2026, 3, 1)]


# --------------------------------------------------------------------------- properties

SPAN_START = datetime(2026, 3, 27, tzinfo=UTC)  # around the London spring change and month end


@dataclass(frozen=True)
class CallSpec:
    minutes: int
    store_id: str
    channel: str
    wait: float | None
    abandoned: bool
    customer: str | None
    zone: Any = UTC


call_specs = st.builds(
    CallSpec,
    minutes=st.integers(0, 10 * 24 * 60),
    store_id=st.sampled_from(["S1", "S2", "S3"]),
    channel=st.sampled_from(["hotline", "hotline", "online"]),
    wait=st.one_of(st.none(), st.sampled_from([0, 4.9, 5, 19.5, 20, 20.5, 30, 31, 90])),
    abandoned=st.booleans(),
    customer=st.sampled_from([None, "C-VIP", "C-STD"]),
    zone=st.sampled_from([UTC, HK, LONDON, KOLKATA, ZoneInfo("Australia/Adelaide")]),
)


def hand_classify(spec: CallSpec, seconds: float) -> str:
    if spec.abandoned:
        return "excluded" if spec.wait is not None and spec.wait < 5 else "not_met"
    if spec.wait is None:
        return "excluded"
    return "met" if spec.wait <= seconds else "not_met"


def fill(target: Store, specs: Sequence[CallSpec]) -> None:
    put(
        target,
        Customer(id="C-VIP", tier="vip", created_at=YEAR_START),
        Customer(id="C-STD", created_at=YEAR_START),
        *(
            ServiceInteraction(
                id=f"CALL-{n}",
                store_id=spec.store_id,
                channel=spec.channel,
                occurred_at=(SPAN_START + timedelta(minutes=spec.minutes)).astimezone(spec.zone),
                queue_time=None if spec.wait is None else timedelta(seconds=spec.wait),
                abandoned=spec.abandoned,
                customer_id=spec.customer,
            )
            for n, spec in enumerate(specs)
        ),
    )


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=40)
@given(
    specs=st.lists(call_specs, max_size=25),
    switch_minutes=st.integers(0, 10 * 24 * 60),
    tiers=st.sampled_from([(), ("vip",)]),
    group_by=st.sampled_from([[], ["store"], ["month"], ["store", "channel", "month"]]),
    now_minutes=st.integers(0, 11 * 24 * 60),
)
def test_both_stores_agree_with_each_other_and_with_counting_by_hand(
    specs: list[CallSpec],
    switch_minutes: int,
    tiers: tuple[str, ...],
    group_by: list[str],
    now_minutes: int,
) -> None:
    switch = SPAN_START + timedelta(minutes=switch_minutes)
    pledge = answer_pledge(
        seconds=30, target=0.9, scope=PledgeScope(channels=["hotline", "online"], tiers=tiers)
    ).revise(
        effective_from=switch,
        wording="We answer 80% of hotline calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
        target_share=0.8,
        scope=PledgeScope(channels=["hotline"], tiers=tiers),
    )
    now = SPAN_START + timedelta(minutes=now_minutes)
    options: dict[str, Any] = {
        "start": SPAN_START.astimezone(KOLKATA),
        "end": (SPAN_START + timedelta(days=10)).astimezone(LONDON),
        "now": now.astimezone(HK),
        "group_by": group_by,
        "timezone": "Europe/London",
        "min_n": 3,
    }
    answers = []
    for kind in ("memory", "sqlite"):
        target = new_store(kind)
        try:
            fill(target, specs)
            answers.append(list(pledge_attainment(target, pledge, **options)))
        finally:
            target.close()
    memory, sqlite = answers
    assert memory == sqlite

    expected: dict[tuple[Any, ...], Counter[str]] = {}
    for spec in specs:
        at = SPAN_START + timedelta(minutes=spec.minutes)
        if at >= now or at >= SPAN_START + timedelta(days=10):
            continue
        version = pledge.in_force(at)
        assert version is not None
        if spec.channel not in {c.value for c in version.scope.channels}:
            continue
        if tiers and spec.customer != "C-VIP":
            continue
        local = at.astimezone(LONDON)
        key = tuple(
            {
                "store": spec.store_id,
                "channel": spec.channel,
                "month": date(local.year, local.month, 1),
            }[name]
            for name in group_by
        )
        assert version.standard.within is not None
        outcome = hand_classify(spec, version.standard.within.total_seconds())
        expected.setdefault(key, Counter())[outcome] += 1
    got = {}
    for row in memory:
        key = tuple(
            {
                "store": row.store_id,
                "channel": getattr(row.channel, "value", None),
                "month": row.month,
            }[name]
            for name in group_by
        )
        got[key] = Counter(met=row.met, not_met=row.not_met, excluded=row.excluded)
        assert row.n == row.met + row.not_met
        assert row.pending == 0
        if row.n:
            assert row.share == pytest.approx(row.met / row.n)
            low, high = proportion_confint(row.met, row.n, alpha=0.05, method="wilson")
            assert row.interval is not None
            assert row.interval.low == pytest.approx(low, abs=1e-9)
            assert row.interval.high == pytest.approx(high, abs=1e-9)
        else:
            assert row.share is None
    assert got == {
        key: Counter(met=c["met"], not_met=c["not_met"], excluded=c["excluded"])
        for key, c in expected.items()
    }


def hand_ack_deadline(at: datetime) -> datetime:
    day = at.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 17, tzinfo=UTC)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=30)
@given(
    cases=st.lists(
        st.tuples(st.integers(0, 7 * 24), st.one_of(st.none(), st.integers(0, 96))),
        max_size=15,
    ),
    now_hours=st.integers(0, 10 * 24),
)
def test_both_stores_agree_on_complaints_and_with_deadlines_by_hand(
    cases: list[tuple[int, int | None]], now_hours: int
) -> None:
    pledge = complaint_pledge("acknowledgement", working_days=1, target=0.9)
    base = datetime(2026, 3, 5, tzinfo=UTC)  # a Thursday
    now = base + timedelta(hours=now_hours, seconds=30)
    complaints = []
    expected: Counter[str] = Counter()
    for number, (hours, ack) in enumerate(cases):
        at = base + timedelta(hours=hours)
        complaint = received(number, at)
        deadline = hand_ack_deadline(at)
        acked = None if ack is None else at + timedelta(hours=ack)
        if acked is not None:
            complaint = complaint.acknowledge(at=acked)
        complaints.append(complaint)
        if at >= now:
            continue
        if acked is not None and acked <= now:
            expected["met" if acked <= deadline else "not_met"] += 1
        else:
            expected["not_met" if now > deadline else "pending"] += 1
    answers = []
    for kind in ("memory", "sqlite"):
        target = new_store(kind)
        try:
            put(target, *complaints)
            answers.append(
                list(attain(target, pledge, start=base, end=base + timedelta(days=8), now=now))
            )
        finally:
            target.close()
    assert answers[0] == answers[1]
    got = Counter({"met": 0, "not_met": 0, "pending": 0})
    for row in answers[0]:
        got.update(met=row.met, not_met=row.not_met, pending=row.pending)
    assert +got == +expected


@given(
    n=st.integers(1, 400),
    data=st.data(),
    target=st.floats(0.01, 1.0),
)
def test_shortfall_p_value_is_scipys_exact_binomial_test(
    n: int, data: st.DataObject, target: float
) -> None:
    met = data.draw(st.integers(0, n))
    got = shortfall_p_value(met, n, target)
    expected = binomtest(met, n, target, alternative="less").pvalue
    if expected > 1e-200:
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-300)
    # Far in the tail scipy loses digits (2.5001045167e-292 for 14 of 275 at 0.9375, where
    # the sum in exact fractions gives 2.5001045536969e-292): check against exact arithmetic.
    share = Fraction(target)
    exact = sum(
        Fraction(math.comb(n, k)) * share**k * (1 - share) ** (n - k) for k in range(met + 1)
    )
    assert got == pytest.approx(float(exact), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    "arguments",
    [
        (0, 0, 0.9),
        (5, 4, 0.9),
        (-1, 4, 0.9),
        (1, 4, 0.0),
        (1, 4, 1.5),
        (1, 4, float("nan")),
        (1.5, 4, 0.9),
        (True, 4, 0.9),
        ("1", 4, 0.9),
    ],
)
def test_shortfall_p_value_refuses_what_is_not_a_count(arguments: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError):
        shortfall_p_value(*arguments)


def test_shortfall_p_value_refuses_a_count_too_large_for_a_float() -> None:
    with pytest.raises(RSQError):
        shortfall_p_value(1, 10**400, 0.9)


def test_bad_attainment_arguments_are_all_reported_at_once(store: Store) -> None:
    with pytest.raises(ValidationError) as caught:
        pledge_attainment(
            store,
            answer_pledge(),
            start=datetime(2026, 3, 1),
            end=datetime(2026, 2, 1, tzinfo=UTC),
            now=float("nan"),  # type: ignore[arg-type]
            group_by=["weekday"],  # type: ignore[list-item]
            timezone="Mars/Olympus",
            confidence=1.5,
            min_n=-3,
        )
    found = paths(caught.value)
    for name in ("start", "now", "group_by", "timezone", "confidence", "min_n"):
        assert any(path.startswith(f"$.{name}") for path in found), (name, found)
    assert len(found) >= 6


@pytest.mark.parametrize("target", [None, "store", 3, object()])
def test_attainment_of_something_that_is_not_a_store_is_a_validation_error(target: Any) -> None:
    with pytest.raises(ValidationError):
        attain(target, answer_pledge())


def test_attainment_of_something_that_is_not_a_pledge_is_a_validation_error(store: Store) -> None:
    with pytest.raises(ValidationError):
        attain(store, "hotline-answer")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- return guarantees

DEFAULT = ReturnGuarantee.default()
GUARANTEE_SCHEMA = json_schema(ReturnGuarantee)


def sale(
    at: datetime,
    *,
    category: str = "clothing",
    receipt: bool = True,
    sale_item: bool = False,
    store_id: str = "LDN-OXF",
    price_cents: int = 5900,
) -> Sale:
    return Sale(
        purchased_at=at,
        store_id=store_id,
        channel="store",
        receipt=receipt,
        category=category,
        sale_item=sale_item,
        price_cents=price_cents,
    )


def back(at: datetime, condition: str = "unused", tier: str | None = None) -> ReturnedItem:
    return ReturnedItem(returned_at=at, condition=condition, tier=tier)


BOUGHT = datetime(2026, 10, 20, 16, 45, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("days", "condition", "tier", "options", "remedy", "clause"),
    [
        (7, "unused", None, {}, "refund", "refund"),
        (8, "unused", None, {}, "exchange", "exchange"),
        (14, "unused", "vip", {}, "refund", "refund"),
        (15, "unused", "vip", {}, "exchange", "exchange"),
        (15, "unused", "member", {}, "exchange", "exchange"),
        (30, "opened", None, {}, "exchange", "exchange"),
        (31, "opened", None, {}, "none", None),
        (37, "opened", "vip", {}, "exchange", "exchange"),
        (3, "used", None, {}, "none", None),
        (3, "unused", None, {"receipt": False}, "credit_note", "credit_note"),
        (31, "unused", None, {"receipt": False}, "none", None),
        (3, "unused", None, {"category": "electronics"}, "none", "excluded_categories"),
        (3, "faulty", None, {"category": "electronics"}, "refund", "faulty_refund"),
        (30, "faulty", "vip", {}, "refund", "faulty_refund"),
        (31, "faulty", "vip", {}, "repair", "faulty_repair"),  # faulty goods' window not extended
        (3, "faulty", None, {"sale_item": True}, "refund", "faulty_refund"),
        (14, "unused", None, {"sale_item": True}, "exchange", "sale_items"),
        (15, "unused", None, {"sale_item": True}, "none", "sale_items_final"),
        (21, "unused", "vip", {"sale_item": True}, "exchange", "sale_items"),
        (3, "unused", None, {"sale_item": True, "receipt": False}, "none", "sale_items_final"),
    ],
)
def test_the_default_guarantee_gives_what_its_table_says(
    days: int,
    condition: str,
    tier: str | None,
    options: dict[str, Any],
    remedy: str,
    clause: str | None,
) -> None:
    # The last minute of day `days` in London, across the October clock change.
    returned = datetime.combine(
        BOUGHT.date() + timedelta(days=days), datetime.max.time(), tzinfo=LONDON
    ).replace(microsecond=0)
    verdict = evaluate_return(
        DEFAULT, sale(BOUGHT, **options), back(returned, condition, tier), timezone="Europe/London"
    )
    assert verdict.facts.days_since_purchase == days
    assert (verdict.remedy.value, verdict.decided_by) == (remedy, clause)
    if clause is None:
        assert verdict.reason is None
        assert len(verdict.outcomes) == len(DEFAULT.clauses)
    else:
        assert verdict.outcomes[-1].clause_id == clause
        assert verdict.outcomes[-1].applied
        assert not any(outcome.applied for outcome in verdict.outcomes[:-1])


@given(
    bought=st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2027, 12, 31),
        timezones=zones,
        allow_imaginary=False,
    ),
    elapsed=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=45)),
    zone=st.sampled_from(["Europe/London", "Asia/Kolkata", "Australia/Adelaide", "Asia/Hong_Kong"]),
)
def test_days_are_local_dates_in_the_stores_zone_whatever_zone_instants_come_in(
    bought: datetime, elapsed: timedelta, zone: str
) -> None:
    returned = (bought.astimezone(UTC) + elapsed).astimezone(KOLKATA)
    verdict = evaluate_return(DEFAULT, sale(bought), back(returned), timezone=zone)
    local = ZoneInfo(zone)
    expected = (returned.astimezone(local).date() - bought.astimezone(local).date()).days
    assert verdict.facts.days_since_purchase == expected
    # Compared as instants (Python never calls a time in a repeated hour equal to one in
    # another zone, so compare their timestamps).
    assert verdict.facts.returned_at.timestamp() == returned.timestamp()
    assert verdict.facts.purchased_at.timestamp() == bought.timestamp()
    assert verdict.facts.returned_at.utcoffset() == returned.astimezone(local).utcoffset()


def hk_shop(categories: list[str] | None = None) -> BusinessCalendar:
    return BusinessCalendar(
        "Asia/Hong_Kong",
        {day: [("10:00", "19:00")] for day in WEEKDAYS},
        holiday_country="HK",
        holiday_categories=categories,
    )


def working_guarantee(days: int, extension: int = 0, *, extendable: bool = True) -> ReturnGuarantee:
    return ReturnGuarantee(
        id="returns.hk",
        description=f"Exchange within {days} working days.",
        clauses=[
            GuaranteeClause(
                id="exchange",
                description=f"Exchange within {days} working days.",
                remedy="exchange",
                within_days=days,
                counting="working",
                extendable=extendable,
            )
        ],
        tier_extensions={"vip": extension} if extension else {},
    )


@settings(max_examples=40)
@given(
    bought=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    days=st.integers(0, 30),
    window=st.integers(0, 12),
    extension=st.integers(0, 5),
    vip=st.booleans(),
    categories=st.sampled_from([None, ["public"], ["optional"], ["public", "optional"]]),
    hour=st.integers(0, 23),
)
def test_working_days_count_hong_kong_holidays_as_the_holidays_package_lists_them(
    bought: date,
    days: int,
    window: int,
    extension: int,
    vip: bool,
    categories: list[str] | None,
    hour: int,
) -> None:
    closed = set(
        holiday_tables.country_holidays(
            "HK", years=[2026, 2027], categories=tuple(categories) if categories else ("public",)
        )
    )
    returned_on = bought + timedelta(days=days)
    expected = sum(
        1
        for offset in range(1, days + 1)
        if (day := bought + timedelta(days=offset)).weekday() < 5 and day not in closed
    )
    verdict = evaluate_return(
        working_guarantee(window, extension),
        sale(datetime.combine(bought, datetime.min.time(), tzinfo=HK).replace(hour=hour)),
        back(
            datetime.combine(returned_on, datetime.min.time(), tzinfo=HK).replace(hour=hour),
            "used",
            "vip" if vip else None,
        ),
        calendar=hk_shop(categories),
    )
    assert verdict.facts.working_days_since_purchase == expected
    assert verdict.facts.days_since_purchase == days
    allowed = window + (extension if vip else 0)
    assert verdict.remedy.value == ("exchange" if expected <= allowed else "none")
    assert verdict.outcomes[0].window_days == allowed


def test_good_friday_is_a_working_day_unless_general_holidays_are_asked_for() -> None:
    thursday = datetime(2026, 4, 2, 12, tzinfo=HK)
    wednesday_after = datetime(2026, 4, 8, 12, tzinfo=HK)
    statutory = evaluate_return(
        working_guarantee(2), sale(thursday), back(wednesday_after), calendar=hk_shop()
    )
    general = evaluate_return(
        working_guarantee(2),
        sale(thursday),
        back(wednesday_after),
        calendar=hk_shop(["public", "optional"]),
    )
    # Statutory: Good Friday 3 April counts; 6 and 7 April are holidays, then Wednesday 8.
    assert statutory.facts.working_days_since_purchase == 2
    assert statutory.remedy.value == "exchange"
    # General holidays: 3, 4 (Saturday), 6 and 7 April are closed: only Wednesday 8 counts.
    assert general.facts.working_days_since_purchase == 1


def test_a_tier_extension_on_a_working_day_clause_is_in_working_days() -> None:
    friday = datetime(2026, 2, 13, 18, tzinfo=HK)  # the Friday before Lunar New Year
    # 16 Feb, 20 Feb, 23-27 Feb: day 26 February is the 6th working day after the purchase.
    item = back(datetime(2026, 2, 26, 12, tzinfo=HK), "used", "vip")
    verdict = evaluate_return(working_guarantee(5, 1), sale(friday), item, calendar=hk_shop())
    assert verdict.facts.working_days_since_purchase == 6
    assert verdict.remedy.value == "exchange"
    fixed = evaluate_return(
        working_guarantee(5, 1, extendable=False), sale(friday), item, calendar=hk_shop()
    )
    assert fixed.remedy.value == "none"
    assert fixed.outcomes[0].window_days == 5


def test_bad_returns_are_refused_with_paths() -> None:
    bought = datetime(2026, 3, 2, 12, tzinfo=HK)
    with pytest.raises(ValidationError) as caught:
        evaluate_return(DEFAULT, sale(bought), back(bought - timedelta(seconds=1)), timezone="UTC")
    assert paths(caught.value) == ["$.returned.returned_at"]
    with pytest.raises(ValidationError) as caught:
        evaluate_return(
            DEFAULT, sale(bought), back(bought + timedelta(days=36_526)), timezone="UTC"
        )
    assert paths(caught.value) == ["$.returned.returned_at"]
    with pytest.raises(ValidationError) as caught:
        evaluate_return(working_guarantee(5), sale(bought), back(bought), timezone="Asia/Hong_Kong")
    assert "$.calendar" in paths(caught.value)
    with pytest.raises(ValidationError):
        evaluate_return(
            DEFAULT, sale(bought), back(bought), timezone="Europe/London", calendar=hk_shop()
        )
    with pytest.raises(ValidationError):
        evaluate_return(DEFAULT, sale(bought), back(bought))
    with pytest.raises(ValidationError) as caught:
        evaluate_return("default", "sale", "item", timezone="Nowhere/Land")  # type: ignore[arg-type]
    assert len(caught.value.problems) >= 3


def test_a_bad_sale_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        Sale(
            purchased_at=datetime(2026, 3, 2, 12),
            store_id="",
            channel="store",
            receipt="yes",  # type: ignore[arg-type]
            category="clothing",
            price_cents=-1,
        )
    found = paths(caught.value)
    assert len(found) >= 3
    assert any(path.endswith("purchased_at") for path in found)
    assert any(path.endswith("receipt") for path in found)
    assert any(path.endswith("price_cents") for path in found)
    with pytest.raises(ValidationError):
        Sale(
            purchased_at=BOUGHT,
            store_id="S",
            channel="store",
            receipt=True,
            category="clothing",
            price_cents=2**53,
        )
    with pytest.raises(ValidationError):
        back(BOUGHT, "worn")


clause_ids = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)


@st.composite
def guarantees(draw: st.DrawFn) -> ReturnGuarantee:
    from retail_service_quality.rules import eq

    ids = draw(st.lists(clause_ids, min_size=1, max_size=5, unique=True))
    clauses = []
    for clause_id in ids:
        when = draw(
            st.lists(
                st.sampled_from(
                    [
                        eq("receipt", True),
                        eq("condition", "unused"),
                        eq("sale_item", False),
                        eq("category", "clothing"),
                        eq("tier", "vip"),
                    ]
                ),
                max_size=3,
                unique_by=str,
            )
        )
        clauses.append(
            GuaranteeClause(
                id=clause_id,
                description=draw(st.text(min_size=1, max_size=30).filter(str.strip)),
                remedy=draw(
                    st.sampled_from(["refund", "exchange", "credit_note", "repair", "none"])
                ),
                when=when,
                within_days=draw(st.one_of(st.none(), st.integers(0, 60))),
                counting=draw(st.sampled_from(["calendar", "working"])),
                extendable=draw(st.booleans()),
            )
        )
    return ReturnGuarantee(
        id=draw(clause_ids),
        description=draw(st.text(min_size=1, max_size=30).filter(str.strip)),
        clauses=clauses,
        tier_extensions=draw(
            st.dictionaries(st.sampled_from(["vip", "gold"]), st.integers(0, 30), max_size=2)
        ),
    )


@settings(max_examples=25)
@given(
    guarantee=guarantees(),
    days=st.integers(0, 60),
    condition=st.sampled_from(["unused", "opened", "used", "damaged", "faulty"]),
    tier=st.sampled_from([None, "vip", "gold"]),
    receipt=st.booleans(),
)
def test_a_guarantee_round_trips_through_json_and_decides_the_same(
    guarantee: ReturnGuarantee, days: int, condition: str, tier: str | None, receipt: bool
) -> None:
    text = to_json(guarantee)
    jsonschema.validate(json.loads(text), GUARANTEE_SCHEMA)
    again = from_json(text, ReturnGuarantee)
    assert again == guarantee
    assert to_json(again) == text
    bought = datetime(2026, 2, 13, 18, tzinfo=HK)
    item = back(bought + timedelta(days=days), condition, tier)
    first = evaluate_return(guarantee, sale(bought, receipt=receipt), item, calendar=hk_shop())
    second = evaluate_return(again, sale(bought, receipt=receipt), item, calendar=hk_shop())
    assert first == second
    # The first clause that applies decides, and every clause before it did not apply.
    applied = [outcome.applied for outcome in first.outcomes]
    assert not any(applied[:-1])
    assert first.decided_by == (first.outcomes[-1].clause_id if applied[-1] else None)


def test_an_invalid_guarantee_in_json_lists_every_problem() -> None:
    data = json.loads(to_json(DEFAULT))
    data["clauses"][1]["id"] = "faulty_refund"
    data["clauses"][2]["when"][0]["field"] = "categroy"
    data["clauses"][3]["within_days"] = -1
    data["clauses"][4]["remedy"] = "cash"
    data["tier_extensions"] = {"vip": 1.5}
    with pytest.raises(ValidationError) as caught:
        from_json(json.dumps(data), ReturnGuarantee)
    found = paths(caught.value)
    for path in (
        "$.clauses[1].id",
        "$.clauses[2].when[0].field",
        "$.clauses[3].within_days",
        "$.clauses[4].remedy",
        "$.tier_extensions.vip",
    ):
        assert path in found, (path, found)


def test_the_explanation_names_no_store_and_no_price() -> None:
    item_sale = sale(BOUGHT, store_id="STORE-SECRET-77", price_cents=987_654_321)
    verdict = evaluate_return(DEFAULT, item_sale, back(BOUGHT, tier="vip"), timezone="UTC")
    text = verdict.explain()
    assert "STORE-SECRET-77" not in text
    assert "987654321" not in text
    assert "9876543" not in text


# --------------------------------------------------------------------------- hotline staffing


def erlang_c_by_hand(traffic: float, agents: int) -> float:
    """The probability of waiting, through the Erlang B recursion."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level_by_hand(traffic: float, agents: int, within: float, aht: float) -> float:
    waiting = erlang_c_by_hand(traffic, agents)
    return 1 - waiting * math.exp(-(agents - traffic) * within / aht)


def agents_by_hand(
    traffic: float, within: float, aht: float, target: float, max_occupancy: float = 1.0
) -> int:
    agents = max(1, math.floor(traffic) + 1)
    while (
        service_level_by_hand(traffic, agents, within, aht) < target
        or traffic / agents > max_occupancy
    ):
        agents += 1
    return agents


def test_the_westbay_example_of_the_reference() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=HK)
    plan = plan_hotline(
        calendar=BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong"),
        start=start,
        end=start + timedelta(minutes=30),
        answer_within=timedelta(seconds=15),
        target_share=0.8,
        calls=360,
        aht=timedelta(seconds=240),
    )
    row = one_row(list(plan.intervals.values()))
    assert row.traffic == pytest.approx(48.0)
    assert row.agents == 55 == agents_by_hand(48.0, 15, 240, 0.8)
    assert row.probability_of_waiting == pytest.approx(0.2387, abs=5e-5)
    assert row.average_speed_of_answer.total_seconds() == pytest.approx(8.18, abs=5e-3)
    assert row.service_level == pytest.approx(0.846, abs=5e-4)
    assert row.occupancy == pytest.approx(48 / 55)


@settings(max_examples=40)
@given(
    calls=st.integers(0, 400),
    aht=st.integers(30, 900),
    within=st.integers(5, 60),
    target=st.integers(50, 95),
    shrinkage=st.integers(0, 50),
    occupancy=st.integers(70, 100),
)
def test_agents_are_erlang_cs_by_hand_and_the_rota_allows_for_shrinkage_exactly(
    calls: int, aht: int, within: int, target: int, shrinkage: int, occupancy: int
) -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    plan = plan_hotline(
        calendar=BusinessCalendar("UTC", {"mon": [("09:00", "10:00")]}),
        start=start,
        end=start + timedelta(hours=1),
        answer_within=timedelta(seconds=within),
        target_share=target / 100,
        calls=calls,
        aht=timedelta(seconds=aht),
        shrinkage=shrinkage / 100,
        max_occupancy=occupancy / 100,
    )
    rows = list(plan.intervals.values())
    assert len(rows) == 2
    traffic = calls * aht / 1800
    expected = agents_by_hand(traffic, within, aht, target / 100, occupancy / 100)
    scheduled = math.ceil(Decimal(expected) / (1 - Decimal(shrinkage) / 100))
    for row in rows:
        assert row.traffic == pytest.approx(traffic)
        assert row.agents == expected
        assert row.scheduled_agents == scheduled
        assert row.agent_hours == pytest.approx(scheduled / 2)
        if calls:
            assert row.service_level == pytest.approx(
                service_level_by_hand(traffic, expected, within, aht), abs=1e-9
            )
    assert plan.total_agent_hours == pytest.approx(scheduled)
    assert plan.peak_scheduled_agents == scheduled
    assert plan.total_calls == pytest.approx(2 * calls)


def test_seven_agents_at_thirty_percent_shrinkage_are_ten_on_the_rota() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    calendar = BusinessCalendar("UTC", {"mon": [("09:00", "09:30")]})
    # Find a flat rate that needs exactly seven agents.
    calls = next(c for c in range(1, 400) if agents_by_hand(c * 180 / 1800, 20, 180, 0.8) == 7)
    plan = plan_hotline(
        calendar=calendar,
        start=start,
        end=start + timedelta(minutes=30),
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=calls,
        aht=timedelta(minutes=3),
        shrinkage=0.3,
    )
    row = one_row(list(plan.intervals.values()))
    assert (row.agents, row.scheduled_agents) == (7, 10)


def test_only_open_time_is_staffed_and_closed_calls_are_reported() -> None:
    hk_hotline = BusinessCalendar(
        "Asia/Hong_Kong",
        {day: [("09:00", "21:00")] for day in WEEKDAYS} | {"sat": [("10:00", "18:00")]},
    )
    saturday = datetime(2026, 11, 28, 9, 30, tzinfo=HK)
    plan = plan_hotline(
        calendar=hk_hotline,
        start=saturday,
        end=saturday + timedelta(hours=2),
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=100,
        aht=timedelta(seconds=270),
        interval=timedelta(hours=1),
    )
    first, second = plan.intervals.values()
    assert (first.open_time, first.calls) == (timedelta(minutes=30), 50)
    assert first.traffic == pytest.approx(50 * 270 / 1800)
    assert first.agents == agents_by_hand(7.5, 20, 270, 0.8)
    assert first.agent_hours == pytest.approx(first.scheduled_agents / 2)
    assert (second.open_time, second.calls) == (timedelta(hours=1), 100)
    # A forecast that puts calls in the closed Sunday.
    sunday_night = datetime(2026, 11, 29, 23, tzinfo=HK)
    forecast = [
        (sunday_night, 40.0),
        (sunday_night + timedelta(minutes=30), 10.0),
        (sunday_night + timedelta(hours=10), 80.0),
        (sunday_night + timedelta(hours=10, minutes=30), 90.0),
    ]
    plan = plan_hotline(
        calendar=hk_hotline,
        start=sunday_night,
        end=sunday_night + timedelta(hours=11),
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=forecast,
        aht=timedelta(seconds=270),
    )
    assert plan.calls_when_closed == pytest.approx(50)
    assert plan.total_calls == pytest.approx(170)
    assert [row.start for row in plan.intervals.values()] == [
        datetime(2026, 11, 30, 9, tzinfo=HK),
        datetime(2026, 11, 30, 9, 30, tzinfo=HK),
    ]


@pytest.mark.parametrize(
    ("day", "count", "absent"),
    [(date(2026, 10, 25), 50, []), (date(2026, 3, 29), 46, ["01:00", "01:30"])],
)
def test_intervals_are_instants_on_the_days_the_clocks_change(
    day: date, count: int, absent: list[str]
) -> None:
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    plan = plan_hotline(
        calendar=BusinessCalendar("Europe/London", {weekday: [("00:00", "24:00")]}),
        start=datetime.combine(day, datetime.min.time(), tzinfo=LONDON),
        end=datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=LONDON),
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=12,
        aht=timedelta(seconds=270),
    )
    starts = [row.start for row in plan.intervals.values()]
    assert len(starts) == count
    assert all(
        (b.astimezone(UTC) - a.astimezone(UTC)) == timedelta(minutes=30)
        for a, b in itertools.pairwise(starts)
    )
    assert not {f"{start:%H:%M}" for start in starts} & set(absent)
    assert plan.total_agent_hours == pytest.approx(
        sum(row.scheduled_agents for row in plan.intervals.values()) / 2
    )


def test_a_forecast_in_the_repeated_hour_is_told_apart_as_a_list_of_pairs() -> None:
    start = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    end = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # two hours later
    first_one = datetime(2026, 10, 25, 1, 0, fold=0, tzinfo=LONDON)
    second_one = datetime(2026, 10, 25, 1, 0, fold=1, tzinfo=LONDON)
    plan = plan_hotline(
        calendar=BusinessCalendar("Europe/London", {"sun": [("00:00", "24:00")]}),
        start=start,
        end=end,
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=[
            (start, 10.0),
            (first_one, 20.0),
            (first_one + timedelta(minutes=30), 30.0),
            (second_one, 40.0),
        ],
        aht=timedelta(seconds=270),
        interval=timedelta(minutes=30),
    )
    assert [row.calls for row in plan.intervals.values()] == [10, 20, 30, 40]
    assert [row.start.utcoffset() for row in plan.intervals.values()] == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(0),
    ]


def test_hourly_intervals_in_india_start_on_the_local_hour() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=KOLKATA)
    plan = plan_hotline(
        calendar=BusinessCalendar.weekdays("09:00", "12:00", timezone="Asia/Kolkata"),
        start=start,
        end=start + timedelta(hours=3),
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=60,
        aht=timedelta(seconds=200),
        interval=timedelta(hours=1),
    )
    starts = [row.start for row in plan.intervals.values()]
    assert [(s.hour, s.minute) for s in starts] == [(9, 0), (10, 0), (11, 0)]
    assert {s.astimezone(UTC).minute for s in starts} == {30}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"calls": float("nan")}, ["$.calls"]),
        ({"calls": float("inf")}, ["$.calls"]),
        ({"calls": True}, ["$.calls"]),
        ({"calls": -1}, ["$.calls"]),
        ({"target_share": 1.0, "shrinkage": 1.0}, ["$.target_share", "$.shrinkage"]),
        ({"max_occupancy": 0.0}, ["$.max_occupancy"]),
        ({"start": datetime(2026, 11, 23, 9)}, ["$.start"]),
        ({"end": datetime(2026, 11, 23, 9, 45, tzinfo=UTC)}, ["$.end"]),
        ({"end": datetime(2028, 1, 1, tzinfo=UTC)}, ["$.end"]),
        ({"aht": timedelta(seconds=-5), "answer_within": 20}, ["$.aht", "$.answer_within"]),
        ({"calendar": "UTC"}, ["$.calendar"]),
    ],
)
def test_bad_plans_name_each_argument(changes: dict[str, Any], expected: list[str]) -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=UTC)
    arguments: dict[str, Any] = {
        "calendar": BusinessCalendar("UTC", {"mon": [("09:00", "10:00")]}),
        "start": start,
        "end": start + timedelta(hours=1),
        "answer_within": timedelta(seconds=20),
        "target_share": 0.8,
        "calls": 30,
        "aht": timedelta(seconds=240),
    }
    with pytest.raises(ValidationError) as caught:
        plan_hotline(**(arguments | changes))
    found = paths(caught.value)
    for path in expected:
        assert any(p == path or p.startswith(path + "[") for p in found), (path, found)


def test_the_plans_table_adds_up() -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=HK)
    plan = plan_hotline(
        calendar=BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong"),
        start=start,
        end=start + timedelta(hours=3),
        answer_within=timedelta(seconds=20),
        target_share=0.8,
        calls=[
            (start + k * timedelta(minutes=30), c)
            for k, c in enumerate([40, 85, 120, 150, 130, 110])
        ],
        aht=timedelta(seconds=270),
        shrinkage=0.3,
        max_occupancy=0.85,
    )
    frame = plan.to_dataframe()
    assert list(frame["interval"]) == list(range(6))
    assert float(frame["agent_hours"].sum()) == pytest.approx(plan.total_agent_hours)
    assert plan.total_on_phone_hours == pytest.approx(frame["agents"].sum() / 2)
    assert int(frame["scheduled_agents"].max()) == plan.peak_scheduled_agents
    for row in plan.intervals.values():
        assert row.occupancy <= 0.85 + 1e-12
        assert row.agents == agents_by_hand(row.traffic, 20, 270, 0.8, 0.85)


# --------------------------------------------------------------------------- hotline actuals


def test_actuals_count_each_call_in_its_interval_on_both_stores(store: Store) -> None:
    monday = datetime(2026, 11, 23, 9, tzinfo=HK)
    waits = [4, 8, 12, 15, 19, 25, 33, 45, 60, 3]
    with store.unit_of_work() as uow:
        for number, wait in enumerate(waits):
            abandoned = wait in (45, 3)
            uow.interactions.add(
                ServiceInteraction(
                    id=f"CALL-{number}",
                    store_id="HK-HOTLINE",
                    channel="hotline",
                    occurred_at=monday + number * timedelta(minutes=2),
                    queue_time=timedelta(seconds=wait),
                    abandoned=abandoned,
                    talk_time=None if abandoned else timedelta(minutes=4),
                    after_call_work=None if abandoned else timedelta(seconds=30),
                )
            )
        # Another store's call, an outbound call and a call on another channel.
        uow.interactions.add(call(90, monday, store_id="OTHER", wait=1))
        uow.interactions.add(call(91, monday + timedelta(minutes=31), channel="email"))
        uow.commit()
    calendar = BusinessCalendar.weekdays("09:00", "21:00", timezone="Asia/Hong_Kong")
    actuals = hotline_actuals(
        store,
        calendar=calendar,
        start=monday,
        end=monday + timedelta(hours=1),
        answer_within=timedelta(seconds=20),
        agents=[(monday, 2), (monday + timedelta(minutes=30), 1)],
        store_id="HK-HOTLINE",
    )
    row = actuals.intervals[0]
    assert (row.offered, row.answered, row.answered_within, row.abandoned) == (9, 8, 5, 1)
    assert row.short_abandoned == 1
    assert row.service_level == pytest.approx(5 / 9)
    assert row.average_handle_time == timedelta(seconds=270)
    assert row.traffic == pytest.approx(9 * 270 / 1800)
    assert row.expected_service_level == pytest.approx(
        service_level_by_hand(1.35, 2, 20, 270), abs=1e-9
    )
    assert row.expected_occupancy == pytest.approx(1.35 / 2)
    assert not row.overloaded
    empty = actuals.intervals[1]
    assert (empty.offered, empty.service_level, empty.expected_service_level) == (0, None, None)
    assert (actuals.total_offered, actuals.total_short_abandoned) == (9, 1)
    assert actuals.period_service_level == pytest.approx(5 / 9)
    everyone = hotline_actuals(
        store,
        calendar=calendar,
        start=monday,
        end=monday + timedelta(hours=1),
        answer_within=timedelta(seconds=20),
        agents={monday: 1},
    )
    first = everyone.intervals[0]
    assert first.offered == 10
    assert first.overloaded
    assert first.expected_service_level is None
    longer = hotline_actuals(
        store,
        calendar=calendar,
        start=monday,
        end=monday + timedelta(hours=1),
        answer_within=timedelta(seconds=20),
        short_abandon=timedelta(seconds=50),
        store_id="HK-HOTLINE",
    )
    assert (longer.intervals[0].offered, longer.intervals[0].short_abandoned) == (8, 2)


def test_actuals_refuse_bad_arguments_in_one_round(store: Store) -> None:
    monday = datetime(2026, 11, 23, 9, tzinfo=HK)
    with pytest.raises(ValidationError) as caught:
        hotline_actuals(
            store,
            calendar=BusinessCalendar.weekdays("09:00", "21:00", timezone="Asia/Hong_Kong"),
            start=monday,
            end=monday + timedelta(hours=1),
            answer_within=timedelta(seconds=-20),
            agents=[(monday, 2), (monday + timedelta(minutes=7), 3), (monday, -1)],
            short_abandon="5s",  # type: ignore[arg-type]
        )
    found = paths(caught.value)
    assert "$.answer_within" in found
    assert "$.short_abandon" in found
    assert any(path.startswith("$.agents[1]") for path in found)
    assert any(path.startswith("$.agents[2]") for path in found)


# --------------------------------------------------------------------------- monitoring


def monitored(target: Store, pledge: ServicePledge, **options: Any) -> list[Any]:
    arguments: dict[str, Any] = {
        "start": datetime(2026, 1, 1, tzinfo=UTC),
        "now": datetime(2027, 1, 1, tzinfo=UTC),
    }
    return list(monitor_pledges(target, [pledge], **(arguments | options)))


@pytest.mark.parametrize(
    ("calls", "met", "target", "level"),
    [
        (60, 40, 0.9, "shortfall"),
        (40, 35, 0.9, "below_target"),
        (100, 91, 0.9, "warning"),
        (100, 90, 0.9, "warning"),
        (100, 92, 0.9, None),
        pytest.param(
            100,
            82,
            0.8,
            None,
            id="exactly-two-points-above",
        ),
        (29, 0, 0.9, None),  # not enough data to mean it
        (40, 39, None, "shortfall"),  # a pledge on every case: any failure is real
    ],
)
def test_monitoring_raises_the_most_serious_alert_with_enough_data(
    store: Store, calls: int, met: int, target: float | None, level: str | None
) -> None:
    put(
        store,
        *(call(n, MONDAY + timedelta(minutes=n), wait=10 if n < met else 60) for n in range(calls)),
    )
    alerts = monitored(store, answer_pledge(target=target))
    if level is None:
        assert alerts == []
        return
    alert = one_row(alerts)
    assert alert.level == level
    assert (alert.n, alert.pledge_id) == (calls, "hotline-answer")
    assert alert.share == pytest.approx(met / calls)
    assert alert.p_value == pytest.approx(
        binomtest(met, calls, target or 1.0, alternative="less").pvalue, abs=1e-12
    )
    assert alert.notify == (("quality_manager",) if level == "shortfall" else ())


def test_monitoring_by_store_alerts_only_the_store_that_falls_short(store: Store) -> None:
    put(
        store,
        *(call(n, MONDAY + timedelta(minutes=n), store_id="GOOD") for n in range(40)),
        *(
            call(100 + n, MONDAY + timedelta(minutes=n), store_id="BAD", wait=60 if n % 2 else 1)
            for n in range(40)
        ),
    )
    alerts = monitored(store, answer_pledge(), group_by=["store"])
    assert [(a.store_id, a.level) for a in alerts] == [("BAD", "shortfall")]


def test_monitoring_rules_are_data_a_ui_edits_as_json(store: Store) -> None:
    rules = monitoring_rules(warning_band=0.05, notify_role="store_manager")
    again = from_json(to_json(rules), RuleSet)
    assert again == rules
    put(
        store,
        *(call(n, MONDAY + timedelta(minutes=n), wait=10 if n < 94 else 60) for n in range(100)),
    )
    alert = one_row(monitored(store, answer_pledge(), rules=again))
    assert alert.level == "warning"
    assert alert.rule_id == "warning_band"
    with pytest.raises(ValidationError):
        monitoring_rules(warning_band=1.5)
    for role in ("", " quality_manager", "x" * 201):
        with pytest.raises(ValidationError):
            monitoring_rules(notify_role=role)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"pledges": [YEAR_START]}, "$.pledges[0]"),
        ({"rules": "all"}, "$.rules"),
        ({"min_n": 0.5}, "$.min_n"),
        ({"confidence": 1.0}, "$.confidence"),
        ({"group_by": ["weekday"]}, "$.group_by"),
        ({"start": datetime(2026, 12, 1, tzinfo=UTC)}, "$.start"),
        ({"now": datetime(2026, 12, 1)}, "$.now"),
    ],
)
def test_monitoring_names_each_bad_argument(
    store: Store, changes: dict[str, Any], path: str
) -> None:
    arguments: dict[str, Any] = {
        "pledges": [answer_pledge()],
        "start": datetime(2026, 11, 1, tzinfo=UTC),
        "now": datetime(2026, 11, 20, tzinfo=UTC),
    }
    with pytest.raises(ValidationError) as caught:
        monitor_pledges(store, **(arguments | changes))
    assert any(p == path or p.startswith(path + "[") for p in paths(caught.value))


def test_monitoring_reports_every_bad_argument_with_its_path(store: Store) -> None:
    with pytest.raises(ValidationError) as caught:
        monitor_pledges(
            store,
            [answer_pledge(), "hotline"],  # type: ignore[list-item]
            start=datetime(2026, 12, 1, tzinfo=UTC),
            now=datetime(2026, 11, 1, tzinfo=UTC),
            rules="all",  # type: ignore[arg-type]
            min_n=0.5,  # type: ignore[arg-type]
        )
    found = paths(caught.value)
    assert "$.pledges[1]" in found
    assert "$.rules" in found
    assert any(path.startswith("$.min_n") for path in found)
    assert any(path in ("$.start", "$.now") for path in found)


# --------------------------------------------------------------------------- disclosure lines


def line(**changes: Any) -> DisclosureLine:
    arguments: dict[str, Any] = {
        "pledge_id": "hotline-answer",
        "wording": "We answer 90% of hotline calls within 30 seconds.",
        "measure": "answer_time",
        "target_share": 0.9,
        "n": 1200,
        "met": 1104,
        "previous_n": 1100,
        "previous_met": 968,
    }
    return DisclosureLine(**(arguments | changes))


@settings(max_examples=60)
@given(
    n=st.integers(1, 5000),
    data=st.data(),
    target=st.one_of(st.none(), st.floats(0.01, 0.99)),
)
def test_a_lines_derived_values_follow_from_its_counts(
    n: int, data: st.DataObject, target: float | None
) -> None:
    met = data.draw(st.integers(0, n))
    previous_n = data.draw(st.integers(1, 5000))
    previous_met = data.draw(st.integers(0, previous_n))
    made = line(n=n, met=met, previous_n=previous_n, previous_met=previous_met, target_share=target)
    assert made.share == met / n
    assert made.interval is not None
    low, high = proportion_confint(met, n, alpha=0.05, method="wilson")
    assert made.interval.low == pytest.approx(low, abs=1e-9)
    assert made.interval.high == pytest.approx(high, abs=1e-9)
    assert made.every_case == (target is None)
    reached = met == n if target is None else met / n >= target
    assert made.status.value == ("met" if reached else "not_met")
    assert made.change == pytest.approx(met / n - previous_met / previous_n)
    # Compared exactly, on the counts.
    assert made.trend is not None
    cross = met * previous_n - previous_met * n
    assert made.trend.value == ("up" if cross > 0 else "down" if cross < 0 else "flat")
    pooled = (met + previous_met) / (n + previous_n)
    expected_counts = [n * pooled, n * (1 - pooled), previous_n * pooled, previous_n * (1 - pooled)]
    evidence = made.trend_evidence
    assert evidence is not None
    if min(expected_counts) >= 5.5:
        assert evidence.value != "not_enough_data"
        assert made.trend_p_value == pytest.approx(
            two_proportion_ztest(met, n, previous_met, previous_n).p_value
        )
        assert made.trend_p_value is not None
        assert evidence.value == ("beyond_noise" if made.trend_p_value < 0.05 else "within_noise")
    if evidence.value == "not_enough_data":
        assert made.trend_p_value is None


def test_a_line_without_cases_or_without_a_previous_period() -> None:
    empty = line(n=0, met=0, previous_n=None, previous_met=None)
    assert (empty.share, empty.interval, empty.trend, empty.trend_evidence) == (
        None,
        None,
        None,
        None,
    )
    assert empty.status.value == "not_enough_data"
    every = line(target_share=None, n=40, met=40, previous_n=0, previous_met=0)
    assert every.status.value == "met"
    assert every.trend is None


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"met": 1201}, "$.met"),
        ({"n": -1, "met": 0}, "$.n"),
        ({"previous_met": None}, "$.previous_met"),
        ({"previous_met": 1101}, "$.previous_met"),
        ({"target_share": 1.0}, "$.target_share"),
        ({"target_share": float("nan")}, "$.target_share"),
        ({"wording": "We answer \udc80 calls."}, "$.wording"),
        ({"pledge_id": ""}, "$.pledge_id"),
        ({"measure": "speed"}, "$.measure"),
        ({"n": True}, "$.n"),
    ],
)
def test_a_bad_line_names_the_field(changes: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        line(**changes)
    assert any(p == path or p.startswith(path) for p in paths(caught.value)), paths(caught.value)


# --------------------------------------------------------------------------- disclosure reports

GENERATED = datetime(2026, 10, 5, 9, tzinfo=HK)


def report(*lines: DisclosureLine, **changes: Any) -> DisclosureReport:
    arguments: dict[str, Any] = {
        "title": "Our service pledges: how we did",
        "retailer": "Harbour Stores",
        "period_start": date(2026, 7, 1),
        "period_end": date(2026, 9, 30),
        "generated_at": GENERATED,
        "lines": list(lines) or [line()],
    }
    return DisclosureReport(**(arguments | changes))


plain_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30
).filter(lambda value: value.strip() == value)


@st.composite
def disclosure_lines(draw: st.DrawFn, pledge_id: str) -> DisclosureLine:
    n = draw(st.integers(0, 2000))
    previous_n = draw(st.one_of(st.none(), st.integers(0, 2000)))
    return DisclosureLine(
        pledge_id=pledge_id,
        wording=draw(plain_text),
        measure=draw(st.sampled_from(["answer_time", "acknowledgement", "resolution"])),
        target_share=draw(st.one_of(st.none(), st.floats(0.01, 0.99))),
        n=n,
        met=draw(st.integers(0, n)),
        previous_n=previous_n,
        previous_met=None if previous_n is None else draw(st.integers(0, previous_n)),
    )


@st.composite
def reports(draw: st.DrawFn) -> DisclosureReport:
    ids = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,9}", fullmatch=True), max_size=4, unique=True)
    )
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    generated = draw(
        st.datetimes(
            min_value=datetime(2000, 1, 1),
            max_value=datetime(2090, 1, 1),
            timezones=st.sampled_from([UTC, HK, LONDON, KOLKATA]),
            allow_imaginary=False,
        )
    )
    return DisclosureReport(
        title=draw(plain_text),
        retailer=draw(plain_text),
        period_start=start,
        period_end=start + timedelta(days=draw(st.integers(0, 400))),
        generated_at=generated,
        lines=[draw(disclosure_lines(pledge_id)) for pledge_id in ids],
    )


@settings(max_examples=40)
@given(made=reports())
def test_a_report_round_trips_through_its_json_and_the_converters(made: DisclosureReport) -> None:
    text = made.to_json()
    again = DisclosureReport.from_json(text)
    assert again == made
    assert again.generated_at.utcoffset() == made.generated_at.utcoffset()
    assert again.to_json() == text
    data = json.loads(text)
    assert data["format"] == "retail_service_quality.disclosure/1"
    assert data["summary"] == made.summary
    assert [item["pledge_id"] for item in data["lines"]] == [x.pledge_id for x in made.lines]
    assert from_json(to_json(made), DisclosureReport) == made


def test_the_report_json_shows_the_repeated_hour_it_was_made_in() -> None:
    first = report(generated_at=datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON))
    second = report(generated_at=datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON))
    assert json.loads(first.to_json())["generated_at"] == "2026-10-25T01:30:00+01:00[Europe/London]"
    assert (
        json.loads(second.to_json())["generated_at"] == "2026-10-25T01:30:00+00:00[Europe/London]"
    )
    assert "(UTC+01:00)" in first.to_text()
    assert "(UTC+00:00)" in second.to_text()
    again = DisclosureReport.from_json(second.to_json())
    assert again.generated_at.utcoffset() == timedelta(0)
    kolkata = report(generated_at=datetime(2026, 10, 5, 9, tzinfo=KOLKATA))
    assert "(UTC+05:30)" in kolkata.to_text()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("share", 0.5),
        ("trend", "down"),
        ("change", 0.5),
        ("previous_share", 0.1),
        ("met", 1201),
        ("interval", None),
        ("trend_evidence", "within_noise"),
    ],
)
def test_from_json_refuses_derived_values_that_disagree_with_the_counts(
    key: str, value: Any
) -> None:
    data = json.loads(report(line(), line(pledge_id="other")).to_json())
    data["lines"][1][key] = value
    with pytest.raises(ValidationError) as caught:
        DisclosureReport.from_json(json.dumps(data))
    assert any(path.startswith("$.lines[1]") for path in paths(caught.value)), paths(caught.value)


@pytest.mark.parametrize(
    "text", ["", "[]", "{", '{"format": "other/1"}', "\ud800", "null", "1e999999"]
)
def test_from_json_refuses_what_is_not_a_report(text: str) -> None:
    with pytest.raises(ValidationError):
        DisclosureReport.from_json(text)


def test_a_bad_report_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        DisclosureReport(
            title="",
            retailer="Harbour \ud800 Stores",
            period_start=date(2026, 9, 30),
            period_end=date(2026, 7, 1),
            generated_at=datetime(2026, 10, 5, 9),
            lines=[line(), line()],
        )
    found = paths(caught.value)
    for name in ("title", "retailer", "period_end", "generated_at", "lines"):
        assert any(path.startswith(f"$.{name}") for path in found), (name, found)


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def markup(page: str) -> Markup:
    parsed = Markup()
    parsed.feed(page)
    parsed.close()
    return parsed


hostile = st.lists(
    st.sampled_from([*"<>&\"'/= ab", "<script>", "</svg>", "]]>", "<!--", "javascript:"]),
    min_size=1,
    max_size=12,
).map(lambda parts: "x" + "".join(parts) + "x")


@settings(max_examples=30)
@given(title=hostile, retailer=hostile, wording=hostile, pledge_id=hostile)
def test_every_value_given_is_escaped_in_the_html(
    title: str, retailer: str, wording: str, pledge_id: str
) -> None:
    benign = report(line(), line(pledge_id="b", wording="Plain wording."))
    made = report(
        line(),
        line(pledge_id=pledge_id, wording=wording),
        title=title,
        retailer=retailer,
    )
    page = made.to_html()
    parsed = markup(page)
    assert parsed.tags == markup(benign.to_html()).tags
    assert "<script" not in page.lower()
    text = "".join(parsed.text) + "".join(value or "" for _, value in parsed.attributes)
    for value in (title, retailer, wording):
        assert value in text
    for name, given_value in parsed.attributes:
        assert not name.startswith("on")
        assert not (given_value or "").strip().lower().startswith("javascript:")


def test_the_page_is_self_contained_and_accessible() -> None:
    page = report(
        line(),
        line(pledge_id="complaint-resolution", target_share=None, n=180, met=177),
    ).to_html()
    parsed = markup(page)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert parsed.tags.count("h1") == 1
    assert "title" in parsed.tags
    assert "caption" in parsed.tags
    assert "svg" in parsed.tags
    assert ("role", "img") in parsed.attributes
    assert not {"script", "img", "link", "iframe", "object"} & set(parsed.tags)
    # Nothing by URL: the only address is the SVG namespace, which loads nothing.
    assert page.replace('xmlns="http://www.w3.org/2000/svg"', "").count("://") == 0
    assert not {"src", "href", "xlink:href"} & {name for name, _ in parsed.attributes}
    assert "@import" not in page
    assert any(
        name == "http-equiv" and (value or "").lower() == "content-security-policy"
        for name, value in parsed.attributes
    )


def test_write_html_is_atomic_and_refuses_bad_paths(tmp_path: Path) -> None:
    made = report()
    target = tmp_path / "pledges.html"
    written = made.write_html(target)
    assert written == target
    assert target.read_text(encoding="utf-8") == made.to_html()
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    report(title="Second edition").write_html(str(target))
    assert "Second edition" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pledges.html"]
    with pytest.raises(StorageError):
        made.write_html(tmp_path / "missing" / "pledges.html")
    for bad in (123, None, "", "bad\x00name.html"):
        with pytest.raises(ValidationError):
            made.write_html(bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- disclosure_report


def measure_report(target: Any, pledges: Sequence[ServicePledge], **changes: Any) -> Any:
    arguments: dict[str, Any] = {
        "period_start": date(2026, 11, 1),
        "period_end": date(2026, 11, 30),
        "timezone": "Asia/Hong_Kong",
        "now": datetime(2026, 12, 5, tzinfo=UTC),
        "retailer": "Harbour Stores",
        "min_n": 1,
    }
    return disclosure_report(target, pledges, **(arguments | changes))


def test_the_report_measures_whole_local_days_and_the_period_before(store: Store) -> None:
    put(
        store,
        call(0, datetime(2026, 11, 1, 0, 0, tzinfo=HK)),  # first instant: in
        call(1, datetime(2026, 11, 30, 23, 59, 59, tzinfo=HK), wait=90),  # last day: in
        call(2, datetime(2026, 12, 1, 0, 0, tzinfo=HK)),  # the day after: out
        call(3, datetime(2026, 10, 31, 23, 59, tzinfo=HK)),  # previous period
        call(4, datetime(2026, 10, 2, 0, 0, tzinfo=HK), wait=90),  # previous period's first day
        call(5, datetime(2026, 10, 1, 23, 59, tzinfo=HK)),  # before both
    )
    made = measure_report(store, [answer_pledge()])
    only = one_row(made.lines)
    assert (only.n, only.met, only.previous_n, only.previous_met) == (2, 1, 2, 1)
    assert made.period_start == date(2026, 11, 1)
    assert made.period_end == date(2026, 11, 30)
    assert made.retailer == "Harbour Stores"


def test_each_line_takes_the_version_in_force_at_the_end_of_the_period(store: Store) -> None:
    switch = datetime(2026, 11, 16, tzinfo=HK)
    revised = answer_pledge(pledge_id="a-revised", seconds=30, target=0.9).revise(
        effective_from=switch,
        wording="We answer 80% of hotline calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
        target_share=0.8,
    )
    withdrawn = answer_pledge(pledge_id="b-withdrawn", seconds=30).withdraw(at=switch)
    starting = answer_pledge(pledge_id="c-starting", seconds=30, target=None, effective_from=switch)
    later = answer_pledge(pledge_id="d-later", effective_from=datetime(2026, 12, 1, tzinfo=HK))
    gone = answer_pledge(pledge_id="e-gone").withdraw(at=datetime(2026, 10, 15, tzinfo=HK))
    put(
        store,
        call(0, datetime(2026, 11, 2, 10, tzinfo=HK), wait=25),
        call(1, datetime(2026, 11, 20, 10, tzinfo=HK), wait=25),
    )
    made = measure_report(store, [revised, withdrawn, starting, later, gone])
    lines = {x.pledge_id: x for x in made.lines}
    assert sorted(lines) == ["a-revised", "b-withdrawn", "c-starting"]
    assert lines["a-revised"].wording == "We answer 80% of hotline calls within 20 seconds."
    assert lines["a-revised"].target_share == 0.8
    # Each call against the version in force when it began: 25 s met 30 s, not 20 s.
    assert (lines["a-revised"].n, lines["a-revised"].met) == (2, 1)
    assert lines["b-withdrawn"].wording == withdrawn.versions[0].wording
    assert (lines["b-withdrawn"].n, lines["b-withdrawn"].met) == (1, 1)
    assert lines["c-starting"].target_share is None
    assert (lines["c-starting"].n, lines["c-starting"].met) == (1, 1)
    assert [x.pledge_id for x in made.lines] == ["a-revised", "b-withdrawn", "c-starting"]


def test_the_report_counts_open_complaints_not_yet_late_as_pending(store: Store) -> None:
    put(
        store,
        received(0, datetime(2026, 11, 30, 10, tzinfo=UTC)),  # not yet late at now
        received(1, datetime(2026, 11, 2, 10, tzinfo=UTC)),  # late
        received(2, datetime(2026, 11, 3, 10, tzinfo=UTC)).acknowledge(
            at=datetime(2026, 11, 3, 11, tzinfo=UTC)
        ),
    )
    pledge = complaint_pledge("acknowledgement", target=0.9)
    made = measure_report(
        store, [pledge], timezone="UTC", now=datetime(2026, 11, 30, 12, tzinfo=UTC)
    )
    only = one_row(made.lines)
    assert (only.n, only.met) == (2, 1)


def test_the_report_uses_the_attainment_rule_for_enough_data(store: Store) -> None:
    put(store, *(call(n, datetime(2026, 11, 2, 10, tzinfo=HK)) for n in range(5)))
    only = one_row(measure_report(store, [answer_pledge()], min_n=30).lines)
    assert (only.n, only.status.value) == (5, "not_enough_data")


def test_a_bad_report_request_lists_every_problem_at_once(store: Store) -> None:
    with pytest.raises(ValidationError) as caught:
        disclosure_report(
            store,
            [answer_pledge(), "hotline"],  # type: ignore[list-item]
            period_start=date(2026, 11, 30),
            period_end=date(2026, 11, 1),
            timezone="Mars/Olympus",
            now=datetime(2026, 12, 5),
            retailer="",
        )
    found = paths(caught.value)
    for path in ("$.pledges[1]", "$.period_end", "$.timezone", "$.now", "$.retailer"):
        assert any(p.startswith(path) for p in found), (path, found)


# --------------------------------------------------------------------------- personal data

NAME = "Chan Tai Man"
PHONE = "+852 9123 4567"


def test_no_personal_value_reaches_rows_alerts_reports_or_logs(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    put(
        store,
        Customer(
            id="C-1", name=NAME, tier="vip", created_at=YEAR_START, staff_notes=f"{NAME} {PHONE}"
        ),
        *(
            ServiceInteraction(
                id=f"I-{n}",
                store_id="S1",
                channel="hotline",
                occurred_at=datetime(2026, 11, 2, 9, tzinfo=UTC) + timedelta(minutes=n),
                queue_time=timedelta(seconds=10 if n % 2 else 60),
                customer_id="C-1",
                subject=f"{NAME} called",
                notes=f"{NAME} {PHONE}",
                feedback=f"{NAME} was upset",
            )
            for n in range(40)
        ),
        *(
            Complaint.receive(
                id=f"CMP-{n}",
                at=datetime(2026, 11, 2, 9, tzinfo=UTC),
                channel="email",
                store_id="S1",
                category="billing",
                customer_id="C-1",
                description=f"{NAME} at {PHONE} was overcharged",
            )
            for n in range(3)
        ),
    )
    answer = answer_pledge(scope=PledgeScope(tiers=["vip"]))
    ack = complaint_pledge("acknowledgement", target=0.9)
    outputs: list[str] = []
    for pledge in (answer, ack):
        rows = attain(store, pledge, group_by=["store", "channel", "month"], timezone="UTC")
        assert sum(row.n for row in rows) > 0
        outputs += [repr(rows), repr(rows.to_records())]
    alerts = monitor_pledges(
        store,
        [answer, ack],
        start=datetime(2026, 11, 1, tzinfo=UTC),
        now=datetime(2026, 12, 1, tzinfo=UTC),
        group_by=["store"],
        min_n=1,
    )
    assert alerts
    outputs += [repr(list(alerts)), *(alert.explanation for alert in alerts)]
    made = measure_report(store, [answer, ack], now=datetime(2026, 12, 5, tzinfo=UTC))
    outputs += [made.to_text(), made.to_json(), made.to_html(), repr(made)]
    for bad in ({"timezone": NAME}, {"group_by": [NAME]}):
        with pytest.raises(ValidationError) as caught:
            attain(store, answer, **bad)
        outputs.append(str(caught.value))
    outputs += [record.getMessage() for record in caplog.records]
    for output in outputs:
        assert NAME not in output
        assert PHONE not in output
        assert "9123" not in output


def test_messages_about_bad_text_do_not_echo_it() -> None:
    with pytest.raises(ValidationError) as caught:
        ServicePledge.create(
            id="p",
            effective_from=YEAR_START,
            wording=f"{NAME} " * 400,
            standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        )
    assert NAME not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        line(wording=f"{NAME}\ud800")
    assert NAME not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        evaluate_return(
            DEFAULT,
            sale(BOUGHT),
            ReturnedItem(returned_at=BOUGHT, condition=NAME, tier=f" {NAME}"),
            timezone=NAME,
        )
    assert NAME not in str(caught.value)


# --------------------------------------------------------------------------- more edges


def test_a_working_day_standard_across_the_london_clock_change(store: Store) -> None:
    friday = datetime(2026, 10, 23, 16, tzinfo=LONDON)  # BST; Monday 26 October is GMT
    put(
        store,
        received(0, friday).acknowledge(at=datetime(2026, 10, 26, 16, 59, tzinfo=LONDON)),
        received(1, friday).acknowledge(at=datetime(2026, 10, 26, 17, 1, tzinfo=LONDON)),
        received(2, friday).acknowledge(at=datetime(2026, 10, 26, 17, 0, tzinfo=UTC)),
    )
    pledge = complaint_pledge("acknowledgement", working_days=1, zone="Europe/London")
    row = one_row(attain(store, pledge))
    assert (row.met, row.not_met) == (2, 1)


def test_a_business_hours_standard_skips_hong_kong_holidays(store: Store) -> None:
    calendar = BusinessCalendar(
        "Asia/Hong_Kong",
        {day: [("09:00", "18:00")] for day in WEEKDAYS},
        holiday_country="HK",
    )
    pledge = ServicePledge.create(
        id="ack-8h",
        effective_from=YEAR_START,
        wording="We acknowledge 90% of complaints within 8 business hours.",
        standard=PledgeStandard("acknowledgement", within=timedelta(hours=8)),
        target_share=0.9,
        calendar=calendar,
    )
    before = datetime(2026, 2, 16, 17, tzinfo=HK)  # 1 hour on Monday, then three holidays
    deadline = datetime(2026, 2, 20, 16, tzinfo=HK)
    put(
        store,
        received(0, before).acknowledge(at=deadline),
        received(1, before).acknowledge(at=deadline + timedelta(minutes=1)),
        received(2, before).acknowledge(at=datetime(2026, 2, 19, 23, tzinfo=HK)),
    )
    row = one_row(attain(store, pledge))
    assert (row.met, row.not_met) == (2, 1)


def test_months_default_to_the_zone_of_the_latest_calendar(store: Store) -> None:
    pledge = complaint_pledge("acknowledgement").revise(
        effective_from=datetime(2026, 6, 1, tzinfo=UTC), calendar=desk("Asia/Kolkata")
    )
    put(store, received(0, datetime(2026, 3, 31, 19, tzinfo=UTC)))
    assert [row.month for row in attain(store, pledge, group_by=["month"])] == [date(2026, 4, 1)]


def test_actuals_count_both_passes_of_the_repeated_hour_apart(store: Store) -> None:
    put(
        store,
        call(0, datetime(2026, 10, 25, 1, 15, fold=0, tzinfo=LONDON), wait=10),
        call(1, datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON), wait=40),
        call(2, datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON).astimezone(HK), wait=50),
    )
    start = datetime(2026, 10, 25, 0, 0, tzinfo=LONDON)
    actuals = hotline_actuals(
        store,
        calendar=BusinessCalendar("Europe/London", {"sun": [("00:00", "24:00")]}),
        start=start,
        end=datetime(2026, 10, 25, 3, 0, tzinfo=LONDON),
        answer_within=timedelta(seconds=20),
        interval=timedelta(hours=1),
    )
    rows = list(actuals.intervals.values())
    assert [(f"{row.start:%H:%M%z}", row.offered, row.answered_within) for row in rows] == [
        ("00:00+0100", 0, 0),
        ("01:00+0100", 1, 1),
        ("01:00+0000", 2, 0),
        ("02:00+0000", 0, 0),
    ]


def test_the_report_period_is_whole_days_in_a_half_hour_zone(store: Store) -> None:
    put(
        store,
        call(0, datetime(2026, 10, 31, 18, 30, tzinfo=UTC)),  # 1 November 00:00 in India
        call(1, datetime(2026, 10, 31, 18, 29, tzinfo=UTC)),  # 31 October 23:59 in India
    )
    made = measure_report(store, [answer_pledge()], timezone="Asia/Kolkata")
    assert (made.lines[0].n, made.lines[0].previous_n) == (1, 1)


def test_the_chart_has_a_text_alternative_naming_every_pledge() -> None:
    lines = [
        line(pledge_id="hotline-answer", wording="We answer <quickly> & well."),
        line(pledge_id="complaint-ack", wording='We acknowledge "every" complaint.', n=10, met=9),
    ]
    page = report(*lines).to_html()
    start = page.index("<svg")
    svg = page[start : page.index("</svg>", start)]
    parsed = markup(svg)
    alternative = " ".join(
        [*parsed.text, *(value or "" for name, value in parsed.attributes if name == "aria-label")]
    )
    for item in lines:
        assert item.wording in alternative or item.pledge_id in alternative


def test_write_html_over_a_folder_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(StorageError):
        report().write_html(tmp_path / "folder")
    assert [path.name for path in tmp_path.iterdir()] == ["folder"]
    assert list((tmp_path / "folder").iterdir()) == []


def test_pledges_are_added_all_or_none_and_not_in_a_read_only_unit(store: Store) -> None:
    with store.unit_of_work() as uow, pytest.raises(ConflictError):
        uow.pledges.add_many([answer_pledge(pledge_id="a"), answer_pledge(pledge_id="a")])
    with store.unit_of_work() as uow:
        uow.pledges.add_many([answer_pledge(pledge_id="a"), answer_pledge(pledge_id="b")])
        uow.rollback()
    with store.unit_of_work(read_only=True) as uow:
        assert uow.pledges.count() == 0
        with pytest.raises(StorageError):
            uow.pledges.add(answer_pledge())
    with store.unit_of_work() as uow:
        with pytest.raises(ValidationError):
            uow.pledges.add("hotline-answer")  # type: ignore[arg-type]
        with pytest.raises(NotFoundError):
            uow.pledges.save(answer_pledge(pledge_id="never-added"))


def test_a_group_with_only_pending_cases_has_no_share_and_the_latest_target(
    store: Store,
) -> None:
    pledge = complaint_pledge("acknowledgement", target=0.9).revise(
        effective_from=datetime(2026, 6, 1, tzinfo=UTC), target_share=0.8, wording="80%."
    )
    put(store, received(0, MONDAY))
    row = one_row(attain(store, pledge, now=MONDAY + timedelta(hours=1)))
    assert (row.n, row.pending, row.share, row.interval, row.gap, row.p_value) == (
        0,
        1,
        None,
        None,
        None,
        None,
    )
    assert row.target == 0.8
    assert row.status is AttainmentStatus.NOT_ENOUGH_DATA
    assert not row.significant


def test_an_every_case_pledge_kept_in_every_case_is_met(store: Store) -> None:
    put(store, *(call(n, MONDAY) for n in range(30)))
    row = one_row(attain(store, answer_pledge(target=None), min_n=30))
    assert (row.p_value, row.significant, row.status) == (1.0, False, AttainmentStatus.MET)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=25)
@given(specs=st.lists(call_specs, max_size=20), agents=st.integers(0, 6))
def test_both_stores_give_the_same_actuals(specs: list[CallSpec], agents: int) -> None:
    answers = []
    for kind in ("memory", "sqlite"):
        target = new_store(kind)
        try:
            fill(target, specs)
            answers.append(
                hotline_actuals(
                    target,
                    calendar=BusinessCalendar("Europe/London", {"sun": [("00:00", "24:00")]}),
                    start=SPAN_START,
                    end=SPAN_START + timedelta(days=10),
                    answer_within=timedelta(seconds=20),
                    interval=timedelta(hours=1),
                    agents=[(SPAN_START, agents)] if agents else [],
                ).to_records()
            )
        finally:
            target.close()
    assert answers[0] == answers[1]
    hotline_calls = [
        spec for spec in specs if spec.channel == "hotline" and spec.minutes < 10 * 24 * 60
    ]
    short = sum(
        1 for spec in hotline_calls if spec.abandoned and spec.wait is not None and spec.wait < 5
    )
    assert sum(row["short_abandoned"] for row in answers[0]) == short
    assert sum(row["offered"] for row in answers[0]) == len(hotline_calls) - short


SKIPPED = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # the clocks skip from 01:00 to 02:00


@pytest.mark.parametrize(
    ("name", "attempt"),
    [
        ("$.effective_from", lambda: answer_pledge(effective_from=SKIPPED)),
        ("$.at", lambda: answer_pledge().in_force(SKIPPED)),
        ("$.effective_from", lambda: answer_pledge().revise(effective_from=SKIPPED)),
        ("$.at", lambda: answer_pledge().withdraw(at=SKIPPED)),
        ("$.start", lambda: attain(InMemoryStore(), answer_pledge(), start=SKIPPED)),
        ("$.generated_at", lambda: report(generated_at=SKIPPED)),
        ("$.purchased_at", lambda: sale(SKIPPED)),
        (
            "$.now",
            lambda: monitor_pledges(
                InMemoryStore(), [answer_pledge()], start=YEAR_START, now=SKIPPED
            ),
        ),
        (
            "$.now",
            lambda: disclosure_report(
                InMemoryStore(),
                [answer_pledge()],
                period_start=date(2026, 3, 1),
                period_end=date(2026, 3, 28),
                timezone="Europe/London",
                now=SKIPPED,
                retailer="Harbour Stores",
            ),
        ),
    ],
)
def test_a_wall_time_the_clocks_skip_is_refused_by_name(
    name: str, attempt: Callable[[], object]
) -> None:
    with pytest.raises(ValidationError) as caught:
        attempt()
    assert name in paths(caught.value)


def test_the_previous_period_is_whole_local_days_across_the_clock_change(store: Store) -> None:
    put(
        store,
        call(0, datetime(2026, 10, 1, 23, 30, tzinfo=UTC)),  # 2 October 00:30 BST: previous
        call(1, datetime(2026, 10, 1, 22, 59, tzinfo=UTC)),  # 1 October 23:59 BST: before it
        call(2, datetime(2026, 10, 31, 23, 59, tzinfo=UTC)),  # 31 October 23:59 GMT: previous
        call(3, datetime(2026, 11, 1, 0, 0, tzinfo=UTC)),  # 1 November: the period
    )
    made = measure_report(store, [answer_pledge()], timezone="Europe/London")
    assert (made.lines[0].n, made.lines[0].previous_n) == (1, 2)
