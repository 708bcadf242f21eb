"""The seeded sample chain: determinism, sizes, refusals, and the shape of its data."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    ConsentLedger,
    Customer,
    InMemoryStore,
    SQLiteStore,
    ValidationError,
    cause_pareto,
    ces_instrument,
    check_response,
    csat_instrument,
    nps_instrument,
    pledge_attainment,
    repeat_rate,
    to_json,
)
from retail_service_quality.sample import (
    MAX_INTERACTIONS,
    SIZES,
    SampleChain,
    describe,
    generate,
)
from retail_service_quality.sample._chain import HOLIDAYS, STORES, ZONE
from retail_service_quality.sample._generate import interaction_chunk
from retail_service_quality.storage.ports import Store

TOTAL = 20_001  # three interaction batches: 10,000, 10,000 and 1
START = datetime(2026, 1, 1, tzinfo=ZONE)
NOW = datetime(2027, 1, 1, tzinfo=ZONE)


def everything(store: Store) -> dict[str, list[Any]]:
    """Every record of every aggregate the chain writes, in a stable order."""
    with store.unit_of_work(read_only=True) as uow:
        return {
            "interactions": list(uow.interactions.query()),
            "customers": sorted(uow.customers.query(), key=lambda c: c.id),
            "consent": sorted(uow.consent.query(), key=lambda e: (e.customer_id, e.event_id)),
            "complaints": sorted(uow.complaints.query(), key=lambda c: c.id),
            "responses": sorted(uow.surveys.responses.query(), key=lambda r: r.id),
            "pledges": sorted(uow.pledges.query(), key=lambda p: p.id),
            "suppression": sorted(uow.suppression.query(), key=lambda e: e.digest),
        }


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SQLiteStore, SampleChain]]:
    calls: list[tuple[int, int]] = []
    with SQLiteStore(tmp_path_factory.mktemp("sample") / "chain.db") as store:
        chain = generate(
            store, size=TOTAL, seed=11, progress=lambda n, total: calls.append((n, total))
        )
        assert calls == [(10_000, TOTAL), (20_000, TOTAL), (TOTAL, TOTAL)]
        yield store, chain


@pytest.fixture(scope="module")
def records(big: tuple[SQLiteStore, SampleChain]) -> dict[str, list[Any]]:
    return everything(big[0])


def test_the_same_seed_writes_the_same_records_on_every_adapter(tmp_path: Path) -> None:
    memory = InMemoryStore()
    with SQLiteStore(tmp_path / "a.db") as sqlite:
        first = generate(memory, size=1_200, seed=5)
        second = generate(sqlite, size=1_200, seed=5)
        in_memory, in_sqlite = everything(memory), everything(sqlite)
    assert first == second
    assert in_memory == in_sqlite
    assert all(in_memory[name] for name in in_memory)  # every aggregate has records
    for name in ("interactions", "complaints", "responses", "pledges"):
        assert to_json(in_memory[name]) == to_json(in_sqlite[name])


def test_a_different_seed_writes_different_records() -> None:
    one, other = InMemoryStore(), InMemoryStore()
    generate(one, size=300, seed=1)
    generate(other, size=300, seed=2)
    assert everything(one)["interactions"] != everything(other)["interactions"]
    assert everything(one)["pledges"] == everything(other)["pledges"]  # the pledges are fixed


@pytest.mark.parametrize("size", [100, 101, 357, "small"])
def test_a_size_gives_exactly_that_many_interactions(size: str | int) -> None:
    store = InMemoryStore()
    chain = generate(store, size=size, seed=3)  # type: ignore[arg-type]
    expected = SIZES[size] if isinstance(size, str) else size
    with store.unit_of_work(read_only=True) as uow:
        assert uow.interactions.count() == chain.interactions == expected
        assert uow.customers.count() == chain.customers == max(expected // 10, 20)
        assert uow.complaints.count() == chain.complaints
        assert uow.surveys.responses.count() == chain.survey_responses
    assert describe(size, seed=3) == chain  # type: ignore[arg-type]


def test_the_named_sizes_and_the_batches() -> None:
    assert SIZES == {"small": 2_000, "medium": 100_000, "large": 1_000_000}
    # At most about 200 batches (progress calls) in a run, whatever its size.
    for total in (100, 2_000, 1_000_000, MAX_INTERACTIONS):
        assert -(-total // interaction_chunk(total)) <= 200


def test_a_store_holding_records_is_refused_with_nothing_written(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "full.db") as store:
        with store.unit_of_work() as uow:
            uow.customers.add(Customer(id="C-X", created_at=START))
            uow.commit()
        with pytest.raises(ValidationError) as caught:
            generate(store, size=100)
        assert [p.path for p in caught.value.problems] == ["$.store"]
        # With bad arguments too, every problem comes in the same round.
        with pytest.raises(ValidationError) as caught:
            generate(store, size=5, seed=-2)
        assert sorted(p.path for p in caught.value.problems) == ["$.seed", "$.size", "$.store"]
        assert everything(store)["customers"] == [Customer(id="C-X", created_at=START)]
        assert all(not rows for name, rows in everything(store).items() if name != "customers")


def test_no_store_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        generate(None, size=100)  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["$.store"]


def test_every_bad_argument_is_reported_in_one_round() -> None:
    store = InMemoryStore()
    with pytest.raises(ValidationError) as caught:
        generate(store, size="huge\ud800", seed="7", progress=5)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.size", "unknown_choice"),
        ("$.seed", "type"),
        ("$.progress", "type"),
    ]
    assert "huge" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        generate(object(), size=True, seed=-1)  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["$.size", "$.seed", "$.store"]
    assert everything(store)["interactions"] == []


@given(
    size=st.one_of(
        st.integers(max_value=99),
        st.integers(min_value=MAX_INTERACTIONS + 1),
        st.floats(allow_nan=True),
        st.text(max_size=5).filter(lambda text: text not in SIZES),
        st.none(),
    ),
    seed=st.one_of(st.integers(max_value=-1), st.integers(min_value=2**63), st.floats()),
)
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
def test_describe_refuses_bad_sizes_and_seeds(size: object, seed: object) -> None:
    with pytest.raises(ValidationError) as caught:
        describe(size, seed)  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["$.size", "$.seed"]


def test_the_chain_facts(big: tuple[SQLiteStore, SampleChain]) -> None:
    chain = big[1]
    assert (chain.interactions, chain.customers) == (TOTAL, 2_000)
    assert 0.01 < chain.complaints / TOTAL < 0.02
    assert chain.timezone == "Asia/Hong_Kong"
    assert chain.now == NOW
    assert chain.now.tzinfo is ZONE
    assert (chain.period_start.isoformat(), chain.period_end.isoformat()) == (
        "2026-01-01",
        "2026-12-31",
    )
    assert {store.business_unit for store in chain.stores} == {
        "Hong Kong Island",
        "Kowloon",
        "New Territories",
    }
    assert set(chain.business_units) == {store.id for store in chain.stores} | {
        "HOTLINE",
        "ONLINE",
    }
    assert "20,001 interactions" in chain.summary()


def test_interactions_lie_in_the_year_and_shops_in_their_opening_hours(
    records: dict[str, list[Any]],
) -> None:
    shops = {store.id: store for store in STORES}
    for interaction in records["interactions"]:
        local = interaction.occurred_at.astimezone(ZONE)
        assert START <= local < NOW
        shop = shops.get(interaction.store_id)
        if shop is not None:
            assert interaction.channel.value == "meeting"
            assert shop.opens <= local.strftime("%H:%M") < shop.closes
            assert not (shop.closed_on_sunday and local.weekday() == 6)
    ids = [interaction.id for interaction in records["interactions"]]
    assert ids == sorted(ids)  # numbered in order of time
    channels = Counter(interaction.channel.value for interaction in records["interactions"])
    assert set(channels) == {"meeting", "hotline", "email", "online", "feedback_form"}


def test_hotline_calls_have_timings_and_some_are_abandoned(records: dict[str, list[Any]]) -> None:
    calls = [
        i
        for i in records["interactions"]
        if i.channel.value == "hotline" and i.direction.value == "inbound"
    ]
    abandoned = [call for call in calls if call.abandoned]
    assert 0.02 < len(abandoned) / len(calls) < 0.2
    assert all(call.talk_time is None and call.queue_time is not None for call in abandoned)
    answered = [call for call in calls if not call.abandoned]
    assert all(call.talk_time and call.handle_time >= call.talk_time for call in answered)
    assert any(i.direction.value == "outbound" for i in records["interactions"])
    anonymous = sum(i.customer_id is None for i in records["interactions"])
    assert 0.2 < anonymous / TOTAL < 0.6


def test_the_arrival_pattern_peaks_where_documented(records: dict[str, list[Any]]) -> None:
    hotline_hours: Counter[int] = Counter()
    shop_hours: Counter[int] = Counter()
    months: Counter[int] = Counter()
    per_day: dict[str, defaultdict[Any, int]] = {
        "hotline": defaultdict(int),
        "meeting": defaultdict(int),
    }
    for interaction in records["interactions"]:
        local = interaction.occurred_at.astimezone(ZONE)
        months[local.month] += 1
        channel = interaction.channel.value
        if channel == "hotline":
            hotline_hours[local.hour] += 1
        elif channel == "meeting":
            shop_hours[local.hour] += 1
        if channel in per_day:
            per_day[channel][local.date()] += 1
    assert hotline_hours.most_common(1)[0][0] in (11, 18)
    assert shop_hours.most_common(1)[0][0] in (17, 18, 19)
    assert months.most_common(1)[0][0] == 12  # the December lift

    def kind_of(day: Any) -> str:
        return "holiday" if day in HOLIDAYS else "weekend" if day.weekday() >= 5 else "weekday"

    def mean(channel: str, kind: str) -> float:
        chosen = [count for day, count in per_day[channel].items() if kind_of(day) == kind]
        return sum(chosen) / len(chosen)

    assert mean("meeting", "weekend") > 1.2 * mean("meeting", "weekday")
    assert mean("hotline", "weekend") < mean("hotline", "weekday")
    assert mean("hotline", "holiday") < mean("hotline", "weekend")


def test_consent_ledgers_are_ordered_and_some_withdrawn_or_opted_out(
    records: dict[str, list[Any]],
) -> None:
    ledgers: defaultdict[str, list[Any]] = defaultdict(list)
    for event in records["consent"]:
        ledgers[event.customer_id].append(event)
    assert set(ledgers) == {customer.id for customer in records["customers"]}
    kinds = Counter(event.kind for event in records["consent"])
    assert {"notice_served", "consent_given", "consent_withdrawn", "opted_out"} <= set(kinds)
    for customer_id, events in ledgers.items():
        ledger = ConsentLedger.of(customer_id, sorted(events, key=lambda e: e.at))
        times = [event.at for event in ledger.events]
        assert times == sorted(times)
        assert ledger.state(NOW) is not None
    assert len(records["suppression"]) == kinds["opted_out"] > 0
    for customer in records["customers"]:
        assert customer.name.startswith("Sample Customer ")
        assert all(point.value.endswith("@example.invalid") for point in customer.contacts)


def test_complaints_move_through_their_lifecycle(records: dict[str, list[Any]]) -> None:
    complaints = records["complaints"]
    states = Counter(complaint.state.value for complaint in complaints)
    assert states["closed"] > 0.8 * len(complaints)
    events = Counter(event.kind for complaint in complaints for event in complaint.events())
    for kind in (
        "acknowledged",
        "assessed",
        "investigation_started",
        "waiting_on_customer",
        "customer_replied",
        "responded",
        "accepted",
        "declined",
        "escalated",
        "closed",
    ):
        assert events[kind] > 0, kind
    assert any(complaint.pauses() for complaint in complaints)
    assert any(complaint.repeat_of is not None for complaint in complaints)
    by_id = {complaint.id: complaint for complaint in complaints}
    for complaint in complaints:
        assert START <= complaint.received_at < NOW
        assert all(event.at < NOW for event in complaint.events())
        if complaint.repeat_of is not None:
            earlier = by_id[complaint.repeat_of]
            assert earlier.customer_id == complaint.customer_id
            assert earlier.category == complaint.category
            assert earlier.received_at <= complaint.received_at


def test_survey_responses_fit_their_instruments(records: dict[str, list[Any]]) -> None:
    instruments = {i.id: i for i in (csat_instrument(), nps_instrument(), ces_instrument())}
    interactions = {i.id: i for i in records["interactions"]}
    assert {r.instrument_id for r in records["responses"]} == set(instruments)
    for response in records["responses"]:
        check_response(instruments[response.instrument_id], response)
        assert response.received_at > interactions[response.interaction_id].occurred_at
        assert response.customer_id is None


def test_the_calculators_find_missed_pledges_and_a_pareto(
    big: tuple[SQLiteStore, SampleChain],
) -> None:
    store, _ = big
    with store.unit_of_work(read_only=True) as uow:
        pledges = {pledge.id: pledge for pledge in uow.pledges.query()}
    hotline = pledges["hotline-answer"]
    assert [version.target for version in hotline.versions] == [0.8, 0.85]  # revised in July
    months = pledge_attainment(
        store, hotline, start=START, end=NOW, now=NOW, group_by=["month"],
        timezone="Asia/Hong_Kong",
    )  # fmt: skip
    status = {row.month.month: row.status.value for row in months if row.month is not None}
    assert status[12] == "not_met"
    assert status[3] == "met"
    pareto = cause_pareto(store)
    top = max(pareto.causes.items(), key=lambda item: item[1].count)
    assert top[0] == "carrier_capacity"
    assert 0 < sum(cause.vital for cause in pareto.causes.values()) < len(pareto.causes)
    assert 0.02 < repeat_rate(store).value < 0.3
