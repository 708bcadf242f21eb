"""Retention schedules and plans: rules, JSON, holds, live purposes and the boundary dates."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import retail_service_quality as rsq
from retail_service_quality.customers import RECORD_KINDS

LONDON = ZoneInfo("Europe/London")
DEFAULT = rsq.RetentionSchedule.default()


def _customer(created_at: datetime, **changes: object) -> rsq.Customer:
    return rsq.Customer(
        id="C-1",
        name="Chan Tai Man",
        contacts=[
            rsq.ContactPoint("email", "tm.chan@example.com"),
            rsq.ContactPoint("mobile_number", "+852 5555 0000"),
        ],
        created_at=created_at,
        **changes,  # type: ignore[arg-type]
    )


def _one_rule(*, years: int = 0, months: int = 0, days: int = 0) -> rsq.RetentionSchedule:
    return rsq.RetentionSchedule(
        [
            rsq.RetentionRule(
                data="contact",
                purpose="membership",
                counted_from="created",
                years=years,
                months=months,
                days=days,
            )
        ]
    )


def _plan(
    customer: rsq.Customer,
    on: date,
    *,
    schedule: rsq.RetentionSchedule = DEFAULT,
    last_activity: datetime | None = None,
    holds: tuple[rsq.LegalHold, ...] = (),
    live: tuple[str, ...] = (),
) -> rsq.RetentionPlan:
    return rsq.plan_retention(
        customer,
        last_activity=last_activity,
        holds=holds,
        live_purposes=live,
        schedule=schedule,
        on=on,
    )


# ------------------------------------------------------------------------------- rules


def test_a_rule_reports_every_problem_with_its_path() -> None:
    with pytest.raises(rsq.ValidationError) as error:
        rsq.RetentionRule(
            data="invoices",
            purpose=" tax ",
            years=-1,
            months=True,
            days=10**9,
            counted_from="birth",  # type: ignore[arg-type]
            source=5,  # type: ignore[arg-type]
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.data", "unknown_choice"),
        ("$.purpose", "format"),
        ("$.years", "range"),
        ("$.months", "type"),
        ("$.days", "range"),
        ("$.counted_from", "unknown_choice"),
        ("$.source", "type"),
    ]


def test_a_rule_needs_its_data_purpose_and_a_period() -> None:
    with pytest.raises(rsq.ValidationError) as error:
        rsq.RetentionRule()
    assert [p.path for p in error.value.problems] == ["$.data", "$.purpose", "$.years"]
    with pytest.raises(rsq.ValidationError) as error:
        rsq.RetentionRule(data="contact", purpose="membership")
    assert [(p.path, p.code) for p in error.value.problems] == [("$.years", "range")]


def test_a_rule_takes_a_class_of_personal_data_or_a_kind_of_records() -> None:
    rule = rsq.RetentionRule(data=rsq.PersonalDataClass.CONTACT, purpose="membership", years=2)
    assert rule.data == "contact"
    assert type(rule.data) is str
    for kind in RECORD_KINDS:
        assert rsq.RetentionRule(data=kind, purpose="p", days=1).data == kind
    assert rule.keep_for == relativedelta(years=2)


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ({"years": 2}, "2 years after the last activity"),
        ({"months": 1, "days": 3}, "1 month and 3 days after the last activity"),
        (
            {"years": 1, "months": 2, "days": 1},
            "1 year, 2 months and 1 day after the last activity",
        ),
    ],
)
def test_a_rule_describes_its_period(period: dict[str, Any], words: str) -> None:
    assert rsq.RetentionRule(data="contact", purpose="m", **period).describe() == words


def test_expires_on_refuses_a_datetime() -> None:
    rule = rsq.RetentionRule(data="contact", purpose="m", years=1)
    with pytest.raises(rsq.ValidationError) as error:
        rule.expires_on(datetime(2026, 1, 1, tzinfo=UTC))
    assert [p.path for p in error.value.problems] == ["$.start"]


# ------------------------------------------------------------------------------- schedules


def test_a_schedule_has_one_rule_per_data_and_purpose() -> None:
    rule = rsq.RetentionRule(data="contact", purpose="membership", years=2)
    other = rsq.RetentionRule(data="contact", purpose="direct_marketing", years=1)
    assert rsq.RetentionSchedule([rule, other]).rules_for("contact") == (rule, other)
    with pytest.raises(rsq.ValidationError) as error:
        rsq.RetentionSchedule([rule, other, rule, "rule"])
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.rules[2]", "duplicate"),
        ("$.rules[3]", "type"),
    ]
    with pytest.raises(rsq.ValidationError):
        rsq.RetentionSchedule(5)


def test_the_default_schedule_covers_every_class_and_kind() -> None:
    covered = {rule.data for rule in DEFAULT.rules}
    assert covered == {kind.value for kind in rsq.PersonalDataClass} | set(RECORD_KINDS)
    assert DEFAULT.purposes == (
        "customer_service",
        "direct_marketing",
        "legal_claims",
        "membership",
    )


rules = st.builds(
    rsq.RetentionRule,
    data=st.sampled_from([kind.value for kind in rsq.PersonalDataClass] + list(RECORD_KINDS)),
    purpose=st.sampled_from(["membership", "direct_marketing", "tax", "service"]),
    years=st.integers(0, 200),
    months=st.integers(1, 2400),
    days=st.integers(0, 73200),
    counted_from=st.sampled_from(["created", "last_activity"]),
    source=st.none() | st.text(max_size=20),
)
schedules = st.lists(rules, max_size=8, unique_by=lambda rule: (rule.data, rule.purpose)).map(
    rsq.RetentionSchedule
)


@given(schedules)
def test_a_schedule_round_trips_through_json_and_matches_its_schema(
    schedule: rsq.RetentionSchedule,
) -> None:
    text = rsq.to_json(schedule)
    assert rsq.from_json(text, rsq.RetentionSchedule) == schedule
    Draft202012Validator(rsq.json_schema(rsq.RetentionSchedule)).validate(json.loads(text))


def test_a_schedule_read_from_json_reports_every_problem_with_its_path() -> None:
    text = json.dumps(
        {
            "rules": [
                {"data": "contact", "purpose": "membership", "years": 2},
                {"data": "email", "purpose": "membership", "years": "two"},
                {"data": "contact", "purpose": "membership", "years": 3},
            ]
        }
    )
    with pytest.raises(rsq.ValidationError) as error:
        rsq.from_json(text, rsq.RetentionSchedule)
    paths = [p.path for p in error.value.problems]
    assert "$.rules[1].years" in paths
    assert "$.rules[1].data" in paths or "$.rules[2]" in paths


# ------------------------------------------------------------------------------- plans


def test_a_plan_has_an_item_per_personal_field_and_kind_of_records() -> None:
    plan = _plan(_customer(datetime(2026, 1, 5, tzinfo=UTC)), date(2026, 6, 1))
    assert list(plan.items) == [
        "name",
        "contacts.email",
        "contacts.mobile_number",
        *RECORD_KINDS,
    ]
    assert plan.erased() == ()
    email = plan.items["contacts.email"]
    assert (email.action, email.basis, email.purpose) == ("keep", "retention", "membership")
    assert email.until == date(2028, 1, 4)
    rows = plan.to_records()
    assert [row["item"] for row in rows] == list(plan.items)
    assert {row["customer_id"] for row in rows} == {"C-1"}
    assert plan.to_dataframe().shape[0] == len(plan.items)


def test_last_activity_moves_the_end_of_a_period() -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    on = date(2026, 6, 1)
    assert _plan(customer, on).items["contacts.email"].action == "erase"
    plan = _plan(customer, on, last_activity=datetime(2025, 3, 1, tzinfo=UTC))
    assert plan.items["contacts.email"].until == date(2027, 2, 28)
    # An activity recorded before the record was created counts from the creation.
    early = _plan(customer, date(2021, 6, 1), last_activity=datetime(2019, 1, 1, tzinfo=UTC))
    assert early.items["contacts.email"].until == date(2022, 1, 4)


def test_an_expired_item_says_which_rule_ended_and_when() -> None:
    plan = _plan(_customer(datetime(2020, 1, 5, tzinfo=UTC)), date(2025, 6, 1))
    item = plan.items["contacts.email"]
    assert (item.action, item.basis) == ("erase", "expired")
    assert "ended on 2022-01-05" in item.reason
    assert plan.items["consent_ledger"].action == "keep"
    assert plan.items["consent_ledger"].source == "Limitation Ordinance (Cap. 347) s.4"


def test_data_no_rule_covers_is_erased() -> None:
    plan = _plan(
        _customer(datetime(2026, 1, 5, tzinfo=UTC)), date(2026, 1, 6), schedule=_one_rule(days=10)
    )
    assert plan.items["contacts.email"].action == "keep"
    assert (plan.items["name"].action, plan.items["name"].basis) == ("erase", "no_rule")
    assert plan.items["interactions"].basis == "no_rule"


def _hold(**changes: object) -> rsq.LegalHold:
    values: dict[str, object] = {
        "id": "H-1",
        "customer_id": "C-1",
        "keeps": ["name", "interactions"],
        "reason": "invoices are kept for 7 years for tax",
        "source": "Inland Revenue Ordinance (Cap. 112) s.51C",
        "placed_at": datetime(2020, 1, 5, tzinfo=UTC),
        "until": date(2027, 1, 5),
    }
    values.update(changes)
    return rsq.LegalHold(**values)  # type: ignore[arg-type]


def test_a_hold_keeps_what_it_names_until_its_last_day() -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    hold = _hold()
    on_last_day = _plan(customer, date(2027, 1, 5), holds=(hold,))
    name = on_last_day.items["name"]
    assert (name.action, name.basis, name.hold_id, name.until) == (
        "keep",
        "hold",
        "H-1",
        date(2027, 1, 5),
    )
    assert name.source == "Inland Revenue Ordinance (Cap. 112) s.51C"
    assert on_last_day.items["interactions"].basis == "hold"
    assert on_last_day.items["contacts.email"].action == "erase"
    after = _plan(customer, date(2027, 1, 6), holds=(hold,))
    assert after.items["name"].action == "erase"
    released = hold.evolve(released_at=datetime(2024, 1, 1, tzinfo=UTC))
    assert _plan(customer, date(2025, 1, 1), holds=(released,)).items["name"].action == "erase"


def test_of_several_holds_the_longest_is_reported() -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    short = _hold(id="H-1", keeps=["name"], until=date(2030, 1, 1))
    open_ended = _hold(id="H-2", keeps=["name"], until=None, reason="a claim is pending",
                       source="GDPR Art. 17(3)(e)")  # fmt: skip
    plan = _plan(customer, date(2026, 1, 1), holds=(short, open_ended))
    assert (plan.items["name"].hold_id, plan.items["name"].until) == ("H-2", None)


def test_a_live_purpose_keeps_what_its_rules_cover() -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    plan = _plan(customer, date(2026, 6, 1), live=("direct_marketing",))
    assert (plan.items["contacts.email"].basis, plan.items["contacts.email"].purpose) == (
        "live_purpose",
        "direct_marketing",
    )
    assert plan.items["name"].action == "erase"  # direct marketing covers contact and preference


def test_plan_arguments_are_checked_together() -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    other = _hold(customer_id="C-2")
    with pytest.raises(rsq.ValidationError) as error:
        rsq.plan_retention(
            customer,
            last_activity=datetime(2026, 1, 1),  # naive
            holds=[other, "hold"],  # type: ignore[list-item]
            live_purposes=["membership", "marketing", 5],  # type: ignore[list-item]
            schedule=DEFAULT,
            on=datetime(2026, 1, 1, tzinfo=UTC),
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.last_activity", "naive_datetime"),
        ("$.live_purposes[1]", "unknown_choice"),
        ("$.live_purposes[2]", "type"),
        ("$.holds[0].customer_id", "inconsistent"),
        ("$.holds[1]", "type"),
        ("$.on", "type"),
    ]
    with pytest.raises(rsq.ValidationError) as error:
        rsq.plan_retention(
            "C-1", last_activity=None, holds=5, live_purposes="membership",  # type: ignore[arg-type]
            schedule={}, on="2026-01-01",  # type: ignore[arg-type]
        )  # fmt: skip
    assert [p.path for p in error.value.problems] == [
        "$.customer",
        "$.schedule",
        "$.live_purposes",
        "$.holds",
        "$.on",
    ]


# ------------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("created", "period", "last_kept", "first_erased"),
    [
        (date(2024, 2, 29), {"years": 1}, date(2025, 2, 27), date(2025, 2, 28)),
        (date(2024, 2, 29), {"years": 4}, date(2028, 2, 28), date(2028, 2, 29)),
        (date(2023, 2, 28), {"years": 1}, date(2024, 2, 27), date(2024, 2, 28)),
        (date(2026, 1, 31), {"months": 1}, date(2026, 2, 27), date(2026, 2, 28)),
        (date(2028, 1, 31), {"months": 1}, date(2028, 2, 28), date(2028, 2, 29)),
        (date(2026, 3, 31), {"months": 1}, date(2026, 4, 29), date(2026, 4, 30)),
        (date(2026, 12, 31), {"days": 1}, date(2026, 12, 31), date(2027, 1, 1)),
        (date(2026, 8, 31), {"months": 6}, date(2027, 2, 27), date(2027, 2, 28)),
    ],
)
def test_retention_at_the_boundary_dates(
    created: date, period: dict[str, Any], last_kept: date, first_erased: date
) -> None:
    customer = _customer(datetime.combine(created, datetime.min.time(), UTC))
    schedule = _one_rule(**period)
    kept = _plan(customer, last_kept, schedule=schedule).items["contacts.email"]
    assert (kept.action, kept.until) == ("keep", last_kept)
    assert (
        _plan(customer, first_erased, schedule=schedule).items["contacts.email"].action == "erase"
    )


@given(
    st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    st.integers(0, 30),
    st.integers(0, 40),
    st.integers(0, 400),
    st.integers(-800, 800),
)
def test_an_item_is_kept_exactly_until_the_day_before_its_period_ends(
    created: date, years: int, months: int, days: int, offset: int
) -> None:
    if not (years or months or days):
        days = 1
    customer = _customer(datetime.combine(created, datetime.min.time(), UTC))
    end = created + relativedelta(years=years, months=months, days=days)
    on = max(end + timedelta(days=offset), created)
    plan = _plan(customer, on, schedule=_one_rule(years=years, months=months, days=days))
    item = plan.items["contacts.email"]
    assert item.action == ("keep" if on < end else "erase")
    if item.action == "keep":
        assert item.until == end - timedelta(days=1)


@pytest.mark.parametrize("fold", [0, 1])
def test_a_last_activity_in_the_repeated_hour_counts_from_its_date(fold: int) -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    activity = datetime(2026, 10, 25, 1, 30, fold=fold, tzinfo=LONDON)
    plan = _plan(customer, date(2027, 1, 1), last_activity=activity)
    assert plan.items["contacts.email"].until == date(2028, 10, 24)


def test_a_last_activity_in_the_skipped_hour_is_refused() -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    with pytest.raises(rsq.ValidationError) as error:
        _plan(customer, date(2027, 1, 1), last_activity=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.last_activity", "nonexistent_time")
    ]


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "Australia/Adelaide"])
def test_dates_are_read_in_the_zone_of_their_own_timestamp(zone: str) -> None:
    # 00:15 local on 1 March is still 28 February in UTC: the local date counts.
    created = datetime(2026, 3, 1, 0, 15, tzinfo=ZoneInfo(zone))
    assert created.astimezone(UTC).date() == date(2026, 2, 28)
    plan = _plan(_customer(created), date(2026, 3, 1), schedule=_one_rule(years=1))
    assert plan.items["contacts.email"].until == date(2027, 2, 28)


def test_a_period_ending_after_the_last_date_never_ends() -> None:
    created = datetime(9999, 12, 30, 12, tzinfo=UTC)
    plan = _plan(_customer(created), date(9999, 12, 31), schedule=_one_rule(years=5))
    item = plan.items["contacts.email"]
    assert (item.action, item.until) == ("keep", None)
    assert (
        rsq.RetentionRule(data="contact", purpose="m", years=5).expires_on(date(9999, 1, 1)) is None
    )


def test_the_first_supported_instant_works() -> None:
    created = datetime(1, 1, 2, 1, tzinfo=timezone(timedelta(hours=1)))
    plan = _plan(_customer(created), date(1, 6, 1), schedule=_one_rule(months=6))
    assert plan.items["contacts.email"].until == date(1, 7, 1)


def test_a_plan_repr_and_its_errors_hold_no_personal_value() -> None:
    customer = _customer(datetime(2020, 1, 5, tzinfo=UTC))
    plan = _plan(customer, date(2026, 6, 1))
    for text in (repr(plan), plan.explain(), plan._repr_html_(), str(plan.to_records())):
        assert "Chan" not in text
        assert "example.com" not in text
        assert "5555" not in text
