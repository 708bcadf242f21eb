"""Monitoring rules over a pledge's running attainment, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retail_service_quality import (
    InMemoryStore,
    PledgeScope,
    PledgeStandard,
    RuleSet,
    ServiceInteraction,
    ServicePledge,
    SQLiteStore,
    ValidationError,
    from_json,
    monitor_pledges,
    monitoring_rules,
    to_json,
)
from retail_service_quality.rules import Rule, ge, notify
from retail_service_quality.storage.ports import Store

START = datetime(2026, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 20, tzinfo=UTC)
PLEDGE = ServicePledge.create(
    id="hotline-answer",
    effective_from=datetime(2026, 1, 1, tzinfo=UTC),
    wording="We answer 90% of hotline calls within 30 seconds.",
    standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
    target_share=0.9,
    scope=PledgeScope(channels=["hotline"]),
)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = InMemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "m.db")
    yield made
    made.close()


def _fill(store: Store, shop: str, fast: int, slow: int) -> None:
    first = datetime(2026, 11, 2, 9, tzinfo=UTC)
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            ServiceInteraction(
                id=f"{shop}-{n}", store_id=shop, channel="hotline", direction="inbound",
                occurred_at=first + timedelta(minutes=n),
                queue_time=timedelta(seconds=10 if n < fast else 60),
            )
            for n in range(fast + slow)
        )  # fmt: skip
        uow.commit()


def test_each_store_gets_the_most_serious_alert_that_holds(store: Store) -> None:
    _fill(store, "A", fast=60, slow=40)  # 60%: a real shortfall
    _fill(store, "B", fast=86, slow=14)  # 86%: below target, within noise at n = 100
    _fill(store, "C", fast=91, slow=9)  # 91%: within two points above target
    _fill(store, "D", fast=99, slow=1)  # 99%: no alert
    _fill(store, "E", fast=5, slow=5)  # 50% of 10 cases: not enough data to mean it
    alerts = monitor_pledges(store, [PLEDGE], start=START, now=NOW, group_by=["store"])
    found = {alert.store_id: (alert.level, alert.rule_id, alert.notify) for alert in alerts}
    assert found == {
        "A": ("shortfall", "real_shortfall", ("quality_manager",)),
        "B": ("below_target", "below_target", ()),
        "C": ("warning", "warning_band", ()),
    }
    first = alerts[0]
    assert (first.n, first.share, first.target) == (100, 0.6, 0.9)
    assert first.low < 0.6 < first.high
    assert first.p_value < 0.05
    assert "significant" in first.explanation


def test_a_rule_set_edited_as_json_is_used(store: Store) -> None:
    _fill(store, "A", fast=95, slow=5)
    strict = RuleSet(
        id="strict",
        rules=[
            Rule(id="every_miss", description="Tell the duty manager of any miss at all.",
                 when=ge("n", 1), actions=[notify("duty_manager")]),
        ],
    )  # fmt: skip
    edited = from_json(to_json(strict), RuleSet)
    (alert,) = monitor_pledges(store, [PLEDGE], start=START, now=NOW, rules=edited)
    assert (alert.level, alert.notify) == ("every_miss", ("duty_manager",))
    assert from_json(to_json(monitoring_rules()), RuleSet) == monitoring_rules()


def test_nothing_is_raised_without_cases(store: Store) -> None:
    assert list(monitor_pledges(store, [PLEDGE], start=START, now=NOW)) == []


def test_bad_arguments_are_reported_with_their_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        monitor_pledges(InMemoryStore(), [PLEDGE, "x"], start=START, now=NOW, rules="strict")  # type: ignore[list-item, arg-type]
    assert [p.path for p in caught.value.problems] == ["$.pledges[1]", "$.rules"]
    with pytest.raises(ValidationError) as band:
        monitoring_rules(warning_band=1.5, notify_role=" ")
    assert [p.path for p in band.value.problems] == ["$.warning_band", "$.notify_role"]


def test_a_start_after_now_is_named_as_such() -> None:
    with pytest.raises(ValidationError) as caught:
        monitor_pledges(InMemoryStore(), [PLEDGE], start=NOW, now=START)
    assert [p.path for p in caught.value.problems] == ["$.start"]
