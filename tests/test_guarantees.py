"""Return and refund guarantees: hand-computed verdicts, days in the store's zone, bad input."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import retail_service_quality as rsq
from retail_service_quality import BusinessCalendar, RSQError, ValidationError
from retail_service_quality.quality import (
    ClauseOutcome,
    DayCount,
    GuaranteeClause,
    GuaranteeVerdict,
    ItemCondition,
    ReturnedItem,
    ReturnFacts,
    ReturnGuarantee,
    ReturnRemedy,
    Sale,
    evaluate_return,
)
from retail_service_quality.rules import (
    AllOf,
    all_of,
    elapsed,
    eq,
    exists,
    gt,
    is_in,
    lt,
    not_,
    within,
)

LONDON = ZoneInfo("Europe/London")
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
DEFAULT = ReturnGuarantee.default()
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def sale(at: datetime, **changes: Any) -> Sale:
    fields: dict[str, Any] = {
        "purchased_at": at,
        "store_id": "S-1",
        "channel": "store",
        "receipt": True,
        "category": "clothing",
        "price_cents": 4999,
    }
    fields.update(changes)
    return Sale(**fields)


def back(at: datetime, condition: str = "unused", tier: str | None = None) -> ReturnedItem:
    return ReturnedItem(returned_at=at, condition=condition, tier=tier)


def verdict_of(
    bought: datetime, returned: datetime, zone: str, *, guarantee: ReturnGuarantee = DEFAULT,
    condition: str = "unused", tier: str | None = None, **changes: Any,
) -> GuaranteeVerdict:  # fmt: skip
    return evaluate_return(
        guarantee, sale(bought, **changes), back(returned, condition, tier), timezone=zone
    )


def hk_calendar() -> BusinessCalendar:
    return BusinessCalendar(
        "Asia/Hong_Kong", {day: [("10:00", "19:00")] for day in WEEKDAYS}, holiday_country="HK"
    )


FIVE_WORKING_DAYS = ReturnGuarantee(
    id="returns.hk",
    description="Exchange within 5 working days.",
    clauses=[
        GuaranteeClause(
            id="exchange", description="Exchange within 5 working days.", remedy="exchange",
            within_days=5, counting="working",
        ),
    ],
    tier_extensions={"vip": 2},
)  # fmt: skip


# ---------------------------------------------------------------- calendar days


def test_day_7_ends_at_the_stores_midnight() -> None:
    bought = datetime(2026, 3, 2, 15, 0, tzinfo=LONDON)
    last = verdict_of(
        bought, datetime(2026, 3, 9, 23, 59, 59, 999_999, tzinfo=LONDON), "Europe/London"
    )
    first_late = verdict_of(bought, datetime(2026, 3, 10, 0, 0, tzinfo=LONDON), "Europe/London")
    assert (last.facts.days_since_purchase, last.remedy, last.decided_by) == (
        7, ReturnRemedy.REFUND, "refund",
    )  # fmt: skip
    assert (first_late.facts.days_since_purchase, first_late.remedy, first_late.decided_by) == (
        8, ReturnRemedy.EXCHANGE, "exchange",
    )  # fmt: skip


def test_days_are_counted_in_the_stores_zone_whatever_zone_the_instants_carry() -> None:
    bought = datetime(2026, 3, 2, 10, 0, tzinfo=HONG_KONG)
    # 16:30 UTC on 9 March is 00:30 on 10 March in Hong Kong: day 8 there, day 7 in UTC.
    returned = datetime(2026, 3, 9, 16, 30, tzinfo=UTC)
    in_hong_kong = verdict_of(bought, returned, "Asia/Hong_Kong")
    in_utc = verdict_of(bought, returned, "UTC")
    assert in_hong_kong.facts.days_since_purchase == 8
    assert in_hong_kong.remedy is ReturnRemedy.EXCHANGE
    assert in_utc.facts.days_since_purchase == 7
    assert in_utc.remedy is ReturnRemedy.REFUND
    assert in_hong_kong.facts.returned_at.tzinfo == HONG_KONG
    assert in_hong_kong.at == returned  # the same instant


@pytest.mark.parametrize(
    ("bought", "returned"),
    [
        # the clocks go back: 00:30 BST on the 25th, then 01:30 twice
        (
            datetime(2026, 10, 24, 23, 30, tzinfo=LONDON),
            datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),
        ),
        # the clocks go forward: 01:00 GMT becomes 02:00 BST on the 29th
        (
            datetime(2026, 3, 28, 23, 30, tzinfo=LONDON),
            datetime(2026, 3, 29, 0, 30, tzinfo=LONDON),
        ),
    ],
    ids=["autumn", "spring"],
)
def test_a_purchase_at_2330_returned_at_0030_across_a_dst_change_is_day_1(
    bought: datetime, returned: datetime
) -> None:
    same_day_only = ReturnGuarantee(
        id="same-day", description="Same-day refunds only.",
        clauses=[GuaranteeClause(id="same_day", description="Refund on the day of purchase.",
                                 remedy="refund", within_days=0)],
    )  # fmt: skip
    found = verdict_of(bought, returned, "Europe/London", guarantee=same_day_only)
    assert returned - bought == timedelta(hours=1)
    assert found.facts.days_since_purchase == 1
    assert found.remedy is ReturnRemedy.NONE
    assert found.decided_by is None
    # An hour's time, measured between instants, is still an hour.
    hour = ReturnGuarantee(
        id="hour", description="Refund within the hour.",
        clauses=[GuaranteeClause(id="hour", description="Refund within an hour.",
                                 remedy="refund", when=[elapsed("purchased_at", "le",
                                                                timedelta(hours=1))])],
    )  # fmt: skip
    assert verdict_of(bought, returned, "Europe/London", guarantee=hour).decided_by == "hour"


def test_the_repeated_hour_in_either_fold_and_in_utc() -> None:
    bought = datetime(2026, 10, 24, 23, 30, tzinfo=LONDON)
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # 01:30 UTC
    as_utc = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)  # 00:30 BST on the 25th
    for returned in (first, second, as_utc):
        assert verdict_of(bought, returned, "Europe/London").facts.days_since_purchase == 1
    assert verdict_of(bought, as_utc, "UTC").facts.days_since_purchase == 0


def test_a_return_in_the_skipped_hour_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ReturnedItem(returned_at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON), condition="unused")
    assert [problem.path for problem in caught.value.problems] == ["$.returned_at"]


@pytest.mark.parametrize(
    ("zone", "bought", "last", "late"),
    [
        (
            KOLKATA,
            datetime(2026, 3, 2, 23, 45, tzinfo=KOLKATA),
            datetime(2026, 3, 9, 18, 29, tzinfo=UTC),  # 23:59 IST
            datetime(2026, 3, 9, 18, 30, tzinfo=UTC),  # 00:00 IST on the 10th
        ),
        (
            ADELAIDE,  # +10:30 until 5 April 2026 03:00, then +09:30
            datetime(2026, 3, 29, 12, tzinfo=ADELAIDE),
            datetime(2026, 4, 5, 14, 29, tzinfo=UTC),  # 23:59 ACST on the 5th
            datetime(2026, 4, 5, 14, 30, tzinfo=UTC),  # 00:00 ACST on the 6th
        ),
    ],
    ids=["Asia/Kolkata", "Australia/Adelaide"],
)
def test_half_hour_zones(zone: ZoneInfo, bought: datetime, last: datetime, late: datetime) -> None:
    name = str(zone)
    within = verdict_of(bought, last, name)
    outside = verdict_of(bought, late, name)
    assert (within.facts.days_since_purchase, within.remedy) == (7, ReturnRemedy.REFUND)
    assert (outside.facts.days_since_purchase, outside.remedy) == (8, ReturnRemedy.EXCHANGE)


# ---------------------------------------------------------------- working days


def test_working_days_skip_hong_kong_public_holidays() -> None:
    calendar = hk_calendar()
    bought = datetime(2026, 2, 13, 18, 0, tzinfo=HONG_KONG)  # Friday before Lunar New Year
    # Mon 16 (1), Tue 17 - Thu 19 holidays, Fri 20 (2), Mon 23 (3), Tue 24 (4), Wed 25 (5)
    expected = {
        date(2026, 2, 16): 1,
        date(2026, 2, 19): 1,
        date(2026, 2, 20): 2,
        date(2026, 2, 25): 5,
        date(2026, 2, 26): 6,
        date(2026, 2, 28): 7,  # Saturday: not a working day, the count stays
    }
    for day, count in expected.items():
        returned = datetime(day.year, day.month, day.day, 12, tzinfo=HONG_KONG)
        found = evaluate_return(FIVE_WORKING_DAYS, sale(bought), back(returned), calendar=calendar)
        assert found.facts.working_days_since_purchase == count, day
        assert found.remedy is (ReturnRemedy.EXCHANGE if count <= 5 else ReturnRemedy.NONE), day
    # A VIP gets 2 more working days: Fri 27 is the 7th.
    vip = evaluate_return(
        FIVE_WORKING_DAYS, sale(bought),
        back(datetime(2026, 2, 27, 18, tzinfo=HONG_KONG), tier="vip"), calendar=calendar,
    )  # fmt: skip
    assert (vip.remedy, vip.facts.extra_days, vip.outcomes[0].window_days) == (
        ReturnRemedy.EXCHANGE, 2, 7,
    )  # fmt: skip
    assert "within 7 working days" in vip.explain()


def test_working_days_agree_with_the_calendars_own_count() -> None:
    calendar = hk_calendar()
    bought = datetime(2026, 2, 13, 18, 0, tzinfo=HONG_KONG)
    for offset in range(1, 40):
        returned = bought + timedelta(days=offset)
        count = evaluate_return(
            FIVE_WORKING_DAYS, sale(bought), back(returned), calendar=calendar
        ).facts.working_days_since_purchase
        assert count is not None
        if count:
            assert calendar.add_working_days(bought, count).date() <= returned.date()
        assert calendar.add_working_days(bought, count + 1).date() > returned.date()


def test_a_guarantee_counting_working_days_needs_the_calendar() -> None:
    bought = datetime(2026, 2, 13, 18, tzinfo=HONG_KONG)
    with pytest.raises(ValidationError) as caught:
        evaluate_return(FIVE_WORKING_DAYS, sale(bought), back(bought), timezone="Asia/Hong_Kong")
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.calendar", "required")]
    by_condition = ReturnGuarantee(
        id="g", description="Refund within 3 working days.",
        clauses=[GuaranteeClause(
            id="c", description="Refund within 3 working days.", remedy="refund",
            when=[not_(gt("working_days_since_purchase", 3))],
        )],
    )  # fmt: skip
    assert by_condition.uses_working_days
    with pytest.raises(ValidationError, match=r"\$\.calendar"):
        evaluate_return(by_condition, sale(bought), back(bought), timezone="Asia/Hong_Kong")


def test_the_calendar_gives_the_zone_and_must_agree_with_a_zone_given() -> None:
    bought = datetime(2026, 2, 13, 18, tzinfo=HONG_KONG)
    found = evaluate_return(DEFAULT, sale(bought), back(bought), calendar=hk_calendar())
    assert found.facts.timezone == "Asia/Hong_Kong"
    assert found.facts.working_days_since_purchase == 0
    with pytest.raises(ValidationError) as caught:
        evaluate_return(
            DEFAULT, sale(bought), back(bought), calendar=hk_calendar(), timezone="Europe/London"
        )
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.timezone", "inconsistent")]


# ---------------------------------------------------------------- the default guarantee


@pytest.mark.parametrize(
    ("days", "condition", "changes", "tier", "remedy", "clause"),
    [
        (3, "unused", {}, None, "refund", "refund"),
        (7, "unused", {}, None, "refund", "refund"),
        (8, "opened", {}, None, "exchange", "exchange"),
        (12, "unused", {}, "vip", "refund", "refund"),  # 7 + 7 days
        (15, "unused", {}, "vip", "exchange", "exchange"),
        (12, "unused", {}, "member", "exchange", "exchange"),  # a tier with no extension
        (31, "unused", {}, None, "none", None),
        (37, "unused", {}, "vip", "exchange", "exchange"),
        (38, "opened", {}, "vip", "none", None),
        (3, "used", {}, None, "none", None),
        (3, "damaged", {}, None, "none", None),
        (20, "unused", {"receipt": False}, None, "credit_note", "credit_note"),
        (20, "opened", {"receipt": False}, None, "none", None),
        (10, "unused", {"sale_item": True}, None, "exchange", "sale_items"),
        (15, "unused", {"sale_item": True}, None, "none", "sale_items_final"),
        (2, "opened", {"sale_item": True}, None, "none", "sale_items_final"),
        (2, "unused", {"category": "electronics"}, None, "none", "excluded_categories"),
        (2, "faulty", {"category": "electronics"}, None, "refund", "faulty_refund"),
        (30, "faulty", {"sale_item": True, "receipt": False}, None, "refund", "faulty_refund"),
        (31, "faulty", {}, "vip", "repair", "faulty_repair"),  # no extension on faulty goods
        (3000, "faulty", {"category": "gift_card"}, None, "repair", "faulty_repair"),
    ],
)
def test_default_guarantee_verdicts(
    days: int, condition: str, changes: dict[str, Any], tier: str | None, remedy: str,
    clause: str | None,
) -> None:  # fmt: skip
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    returned = datetime.combine(bought.date() + timedelta(days=days), datetime.min.time(), LONDON)
    found = verdict_of(
        bought, returned + timedelta(hours=11), "Europe/London", condition=condition, tier=tier,
        **changes,
    )  # fmt: skip
    assert found.facts.days_since_purchase == days
    assert (found.remedy.value, found.decided_by) == (remedy, clause)
    consulted = [outcome.clause_id for outcome in found.outcomes]
    ids = [c.id for c in DEFAULT.clauses]
    assert consulted == (ids if clause is None else ids[: ids.index(clause) + 1])
    assert [outcome.applied for outcome in found.outcomes].count(True) == (clause is not None)
    if clause is not None:
        assert found.reason == next(c.description for c in DEFAULT.clauses if c.id == clause)


def test_the_explanation_lists_each_clause_consulted_and_why() -> None:
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    found = verdict_of(
        bought, datetime(2026, 3, 14, 11, tzinfo=LONDON), "Europe/London", tier="vip",
        sale_item=True,
    )  # fmt: skip
    assert found.explain().splitlines() == [
        "Remedy: exchange, under clause sale_items: Sale items: exchange only, unused, with a "
        "receipt, within 14 days.",
        "Facts: day 12 since the purchase (Europe/London); condition unused; receipt shown; "
        "category 'clothing'; a sale item; tier 'vip': 7 extra days",
        "faulty_refund did not apply (refund, within 30 days): all of: does not hold "
        "(condition = 'faulty': does not hold; days_since_purchase <= 30: holds)",
        "faulty_repair did not apply (repair, no time limit): condition = 'faulty': does not hold",
        "excluded_categories did not apply (none, no time limit): category in ['electronics', "
        "'underwear', 'cosmetics', 'gift_card']: does not hold",
        "sale_items applied (exchange, within 21 days): all of: holds (sale_item = true: holds; "
        "condition = 'unused': holds; receipt = true: holds; days_since_purchase <= 21: holds)",
    ]


def test_when_no_clause_applies_the_explanation_says_so() -> None:
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    found = verdict_of(bought, bought + timedelta(days=1), "Europe/London", condition="used")
    lines = found.explain().splitlines()
    assert lines[0] == "Remedy: none: no clause applied."
    assert len(lines) == 2 + len(DEFAULT.clauses)
    assert all(" did not apply " in line for line in lines[2:])


def test_a_clause_without_condition_or_window_applies_to_every_return() -> None:
    goodwill = ReturnGuarantee(
        id="g", description="Anything, any time, for a credit note.",
        clauses=[GuaranteeClause(id="always", description="A credit note for anything.",
                                 remedy="credit_note")],
    )  # fmt: skip
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    found = verdict_of(bought, bought + timedelta(days=900), "Europe/London", guarantee=goodwill)
    assert found.remedy is ReturnRemedy.CREDIT_NOTE
    assert found.outcomes[0].explanation == "no condition: applies to every return"


def test_conditions_on_every_kind_of_fact() -> None:
    guarantee = ReturnGuarantee(
        id="g", description="A guarantee of many facts.",
        clauses=[
            GuaranteeClause(id="web", description="Web orders: 14 days.", remedy="refund",
                            when=[eq("channel", "online"), exists("store_id")], within_days=14),
            GuaranteeClause(id="cheap", description="Under 10.00: credit.", remedy="credit_note",
                            when=[lt("price_cents", 1000), is_in("tier", [None, "member"])]),
            GuaranteeClause(id="48h", description="Within 48 hours.", remedy="exchange",
                            when=[within("purchased_at", before=timedelta(hours=48))]),
        ],
    )  # fmt: skip
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    zone = "Europe/London"
    assert verdict_of(bought, bought + timedelta(days=10), zone, guarantee=guarantee,
                      channel="online").decided_by == "web"  # fmt: skip
    assert verdict_of(bought, bought + timedelta(days=10), zone, guarantee=guarantee,
                      price_cents=999).decided_by == "cheap"  # fmt: skip
    assert verdict_of(bought, bought + timedelta(days=10), zone, guarantee=guarantee,
                      price_cents=999, tier="vip").decided_by is None  # fmt: skip
    assert verdict_of(bought, bought + timedelta(hours=47), zone,
                      guarantee=guarantee).decided_by == "48h"  # fmt: skip
    assert verdict_of(bought, bought + timedelta(hours=49), zone,
                      guarantee=guarantee).decided_by is None  # fmt: skip


def test_the_rule_set_names_each_remedy_in_its_action() -> None:
    rules = DEFAULT.rule_set(7)
    assert rules.mode == "first"
    assert [rule.id for rule in rules.ordered] == [clause.id for clause in DEFAULT.clauses]
    assert [rule.actions[0].label for rule in rules.ordered] == [  # type: ignore[union-attr]
        f"remedy:{clause.remedy.value}" for clause in DEFAULT.clauses
    ]
    refund = next(rule for rule in rules.ordered if rule.id == "refund")
    assert isinstance(refund.when, AllOf)
    assert str(refund.when) == (
        "all of (condition = 'unused'; receipt = true; days_since_purchase <= 14)"
    )


# ---------------------------------------------------------------- results


def test_records_frames_and_html() -> None:
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    found = verdict_of(bought, bought + timedelta(days=2), "Europe/London", tier="vip")
    (row,) = found.to_records()
    assert row["remedy"] == "refund"
    assert row["decided_by"] == "refund"
    assert row["facts_days_since_purchase"] == 2
    assert row["facts_tier"] == "vip"
    assert "outcomes" not in row
    assert [r["clause_id"] for r in rsq.to_records(found.outcomes)] == [
        "faulty_refund", "faulty_repair", "excluded_categories", "sale_items",
        "sale_items_final", "refund",
    ]  # fmt: skip
    frame = rsq.to_dataframe([found, found])
    assert len(frame) == 2
    assert frame["remedy"].tolist() == ["refund", "refund"]
    assert "<table" in found._repr_html_()
    assert "<table" in found.facts._repr_html_()


def test_a_verdict_round_trips_through_json() -> None:
    bought = datetime(2026, 10, 24, 23, 30, tzinfo=LONDON)
    found = evaluate_return(
        FIVE_WORKING_DAYS, sale(bought),
        back(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)), calendar=BusinessCalendar(
            "Europe/London", {day: [("09:00", "17:30")] for day in WEEKDAYS}),
    )  # fmt: skip
    again = rsq.from_json(rsq.to_json(found), GuaranteeVerdict)
    assert again == found
    assert again.at.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_no_type_holds_personal_data_and_explanations_show_no_transaction_details() -> None:
    for cls in (Sale, ReturnedItem, ReturnGuarantee, GuaranteeClause, ReturnFacts,
                ClauseOutcome, GuaranteeVerdict):  # fmt: skip
        assert rsq.personal_fields(cls) == (), cls
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    found = verdict_of(
        bought, bought + timedelta(days=2), "Europe/London", store_id="STORE-7731",
        price_cents=8_675_309,
    )  # fmt: skip
    text = found.explain()
    assert "STORE-7731" not in text
    assert "8675309" not in text


# ---------------------------------------------------------------- bad input


def test_a_sale_reports_every_problem_at_once_without_echoing_values() -> None:
    secret = " SECRET-STORE "
    with pytest.raises(ValidationError) as caught:
        Sale(
            purchased_at=datetime(2026, 3, 2, 15),
            store_id=secret, channel=7, receipt="yes", category="", sale_item=None,  # type: ignore[arg-type]
            price_cents=-1,
        )  # fmt: skip
    assert [problem.path for problem in caught.value.problems] == [
        "$.purchased_at", "$.store_id", "$.channel", "$.receipt", "$.category", "$.sale_item",
        "$.price_cents",
    ]  # fmt: skip
    assert "SECRET" not in str(caught.value)
    with pytest.raises(ValidationError) as missing:
        Sale()
    assert [problem.code for problem in missing.value.problems] == ["required"] * 6


def test_a_returned_item_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        ReturnedItem(returned_at="yesterday", condition="unworn", tier=" vip")  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.returned_at", "type"), ("$.condition", "unknown_choice"), ("$.tier", "format"),
    ]  # fmt: skip


def test_evaluate_return_checks_its_arguments_together() -> None:
    with pytest.raises(ValidationError) as caught:
        evaluate_return("g", {}, None, timezone="Mars/Olympus", calendar="cal")  # type: ignore[arg-type]
    assert [problem.path for problem in caught.value.problems] == [
        "$.guarantee", "$.sale", "$.returned", "$.calendar", "$.timezone",
    ]  # fmt: skip
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    with pytest.raises(ValidationError) as no_zone:
        evaluate_return(DEFAULT, sale(bought), back(bought))
    assert [(p.path, p.code) for p in no_zone.value.problems] == [("$.timezone", "required")]


def test_a_return_before_the_purchase_or_a_century_after_is_refused() -> None:
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    for returned, code in (
        (bought - timedelta(microseconds=1), "inconsistent"),
        (bought + timedelta(days=36_526), "range"),
    ):
        with pytest.raises(ValidationError) as caught:
            verdict_of(bought, returned, "Europe/London")
        assert [(p.path, p.code) for p in caught.value.problems] == [
            ("$.returned.returned_at", code)
        ]
    assert verdict_of(bought, bought, "Europe/London").facts.days_since_purchase == 0


def test_before_and_after_compare_instants_in_the_repeated_hour() -> None:
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC
    second = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)  # 01:10 UTC
    with pytest.raises(ValidationError) as caught:
        verdict_of(second, first, "Europe/London")  # the same zone: wall times would be later
    assert [p.path for p in caught.value.problems] == ["$.returned.returned_at"]
    found = verdict_of(first, second, "Europe/London")  # an earlier wall time, a later instant
    assert found.facts.days_since_purchase == 0
    assert found.remedy is ReturnRemedy.REFUND


def test_the_ends_of_the_supported_range() -> None:
    last = datetime(9999, 12, 30, tzinfo=UTC)
    found = verdict_of(last - timedelta(days=3), last, "Asia/Kolkata")
    assert found.facts.days_since_purchase == 3
    assert found.remedy is ReturnRemedy.REFUND
    first = datetime(1, 1, 2, tzinfo=UTC)
    assert verdict_of(first, first + timedelta(days=8), "Pacific/Kiritimati").remedy is (
        ReturnRemedy.EXCHANGE
    )
    with pytest.raises(ValidationError) as caught:
        evaluate_return(
            FIVE_WORKING_DAYS, sale(last - timedelta(days=3)), back(last),
            calendar=BusinessCalendar("UTC", {"mon": [("09:00", "17:00")]}),
        )  # fmt: skip
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.calendar", "range")]


def test_a_clause_reports_unknown_facts_and_conditions_with_their_paths() -> None:
    with pytest.raises(ValidationError) as caught:
        GuaranteeClause(
            id=" x", description=" ", remedy="cash",
            when=[
                eq("categroy", "toys"),
                all_of(eq("condition", "unworn"), not_(exists("colour"))),
                within("returned_at", reference="category"),
                elapsed("days_since_purchase", "gt", timedelta(days=1)),
                is_in("condition", ["unused", "as_new"]),
                "receipt",
            ],
            within_days=36_526, counting="fortnights", extendable="yes",  # type: ignore[arg-type]
        )  # fmt: skip
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.id", "format"),
        ("$.description", "required"),
        ("$.remedy", "unknown_choice"),
        ("$.when[0].field", "unknown_choice"),
        ("$.when[1].all_of[0].value", "unknown_choice"),
        ("$.when[1].all_of[1].condition.field", "unknown_choice"),
        ("$.when[2].reference", "unknown_choice"),
        ("$.when[3].start", "unknown_choice"),
        ("$.when[4].value[1]", "unknown_choice"),
        ("$.when[5]", "type"),
        ("$.within_days", "range"),
        ("$.counting", "unknown_choice"),
        ("$.extendable", "type"),
    ]


def test_a_clause_leaves_room_for_its_window_in_the_nesting() -> None:
    condition = eq("receipt", True)
    for _ in range(rsq.rules.MAX_NESTING - 2):
        condition = not_(condition)  # type: ignore[assignment]
    clause = GuaranteeClause(
        id="deep", description="Deep.", remedy="refund", when=[condition], within_days=3
    )
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    found = evaluate_return(
        ReturnGuarantee(id="g", description="Deep.", clauses=[clause]), sale(bought),
        back(bought), timezone="Europe/London",
    )  # fmt: skip
    assert found.decided_by == "deep"  # 30 nots around a condition that holds: it holds
    with pytest.raises(ValidationError, match=r"\$\.when\[0\]: must not nest"):
        GuaranteeClause(id="deeper", description="Deeper.", remedy="refund",
                        when=[not_(condition)])  # fmt: skip


def test_a_guarantee_reports_duplicates_extensions_and_empty_clauses() -> None:
    clause = GuaranteeClause(id="a", description="A.", remedy="refund")
    with pytest.raises(ValidationError) as caught:
        ReturnGuarantee(
            id="", description=5, clauses=[clause, "b", clause],  # type: ignore[arg-type]
            tier_extensions={"vip": -1, " gold": 3, 7: 1, "silver": True},
        )  # fmt: skip
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.id", "format"),
        ("$.description", "type"),
        ("$.clauses[1]", "type"),
        ("$.clauses[2].id", "duplicate"),
        ("$.tier_extensions.vip", "range"),
        ("$.tier_extensions[' gold']", "format"),
        ("$.tier_extensions", "type"),
        ("$.tier_extensions.silver", "type"),
    ]
    with pytest.raises(ValidationError) as empty:
        ReturnGuarantee(id="g", description="Nothing.", clauses=[], tier_extensions=[])
    assert [(p.path, p.code) for p in empty.value.problems] == [
        ("$.clauses", "required"), ("$.tier_extensions", "type"),
    ]  # fmt: skip
    with pytest.raises(ValidationError) as required:
        ReturnGuarantee()
    assert [p.path for p in required.value.problems] == ["$.id", "$.description", "$.clauses"]


def test_results_check_what_they_are_given() -> None:
    with pytest.raises(ValidationError) as missing:
        ReturnFacts()
    assert [p.code for p in missing.value.problems] == ["required"] * 11
    with pytest.raises(ValidationError) as caught:
        ClauseOutcome(
            clause_id="", applied=1, remedy="cash", window_days=-1, counting="hours",  # type: ignore[arg-type]
            explanation="",
        )  # fmt: skip
    assert [p.path for p in caught.value.problems] == [
        "$.clause_id", "$.applied", "$.remedy", "$.window_days", "$.counting", "$.explanation",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as verdict:
        rsq.structure({"guarantee_id": "g", "at": "2026-03-02T15:00:00Z", "remedy": "none",
                       "facts": {"timezone": "Mars/Olympus"}, "outcomes": [5]},
                      GuaranteeVerdict)  # fmt: skip
    paths = [p.path for p in verdict.value.problems]
    assert "$.facts.timezone" in paths
    assert "$.outcomes[0]" in paths


@pytest.mark.parametrize("extra", [-1, True, 1.5, 36_526, "7"])
def test_extra_days_must_be_a_number_of_days(extra: Any) -> None:
    with pytest.raises(ValidationError, match=r"\$\.extra_days"):
        DEFAULT.rule_set(extra)


def test_enums_read_their_values() -> None:
    assert ItemCondition("faulty") is ItemCondition.FAULTY
    assert DayCount("calendar") is DayCount.CALENDAR
    assert ReturnRemedy("credit_note") is ReturnRemedy.CREDIT_NOTE


@pytest.mark.parametrize(
    "value",
    [None, 0, 1.5, float("nan"), "x", "\ud800", b"bytes", [], {}, object(), 10**400,
     datetime(2026, 3, 2), date(2026, 3, 2)],
)  # fmt: skip
def test_anything_in_any_argument_is_an_rsq_error(value: Any) -> None:
    bought = datetime(2026, 3, 2, 15, tzinfo=LONDON)
    good: dict[str, Any] = {
        "guarantee": DEFAULT, "sale": sale(bought), "returned": back(bought),
        "timezone": "Europe/London", "calendar": None,
    }  # fmt: skip
    for name in good:
        arguments = {**good, name: value}
        with contextlib.suppress(RSQError):
            evaluate_return(
                arguments["guarantee"], arguments["sale"], arguments["returned"],
                timezone=arguments["timezone"], calendar=arguments["calendar"],
            )  # fmt: skip
    for build in (
        lambda: Sale(purchased_at=value, store_id=value, channel=value, receipt=value,
                     category=value, sale_item=value, price_cents=value),
        lambda: ReturnedItem(returned_at=value, condition=value, tier=value),
        lambda: GuaranteeClause(id=value, description=value, remedy=value, when=value,
                                within_days=value, counting=value, extendable=value),
        lambda: ReturnGuarantee(id=value, description=value, clauses=value,
                                tier_extensions=value),
        lambda: ReturnFacts(purchased_at=value, returned_at=value, timezone=value,
                            days_since_purchase=value, condition=value, receipt=value,
                            category=value, sale_item=value, channel=value, store_id=value,
                            price_cents=value, working_days_since_purchase=value, tier=value,
                            extra_days=value),
        lambda: ClauseOutcome(clause_id=value, applied=value, remedy=value, window_days=value,
                              counting=value, explanation=value),
        lambda: GuaranteeVerdict(guarantee_id=value, at=value, remedy=value, decided_by=value,
                                 reason=value, facts=value, outcomes=value),
    ):  # fmt: skip
        with pytest.raises(RSQError):
            build()


@pytest.mark.parametrize(
    ("field", "op", "value"),
    [
        ("days_since_purchase", "le", "seven"),
        ("receipt", "eq", 3),
        ("sale_item", "eq", "yes"),
        ("category", "eq", 5),
        ("price_cents", "ge", True),
    ],
)
def test_a_comparison_with_a_value_of_another_kind_is_refused(
    field: str, op: str, value: object
) -> None:
    text = json.dumps({
        "id": "g", "description": "d",
        "clauses": [{"id": "a", "description": "d", "remedy": "refund",
                     "when": [{"kind": "compare", "field": field, "op": op, "value": value}]}],
    })  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        rsq.from_json(text, ReturnGuarantee)
    assert [problem.path for problem in caught.value.problems] == ["$.clauses[0].when[0].value"]
