"""Customers and service interactions: validation, personal data, JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given

from retail_service_quality import (
    Channel,
    ContactPoint,
    Customer,
    InteractionQuery,
    InteractionStatus,
    ServiceInteraction,
    ValidationError,
    from_json,
    personal_fields,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality.testing.strategies import customers, interactions

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SECRET_NAME = "Chan Tai Man"
SECRET_EMAIL = "tm.chan@example.com"


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


@given(customers())
def test_customers_round_trip_through_json(customer: Customer) -> None:
    assert from_json(to_json(customer), Customer) == customer


@given(interactions())
def test_interactions_round_trip_through_json(interaction: ServiceInteraction) -> None:
    assert from_json(to_json(interaction), ServiceInteraction) == interaction


def test_interaction_json_shape() -> None:
    contact = ServiceInteraction(
        id="I-1",
        store_id="HK-CWB",
        channel=Channel.FEEDBACK_FORM,
        occurred_at=NOW,
        needs=("size exchange",),
        handle_time=timedelta(minutes=4, seconds=30),
    )
    data = unstructure(contact)
    assert data["channel"] == "feedback_form"
    assert data["status"] == "open"  # unless the caller says otherwise
    assert data["occurred_at"] == "2026-11-22T10:00:00+00:00"
    assert data["handle_time"] == 270
    assert data["needs"] == ["size exchange"]


def test_personal_data_is_marked_and_masked() -> None:
    customer = Customer(
        id="C-1",
        name=SECRET_NAME,
        contacts=[
            ContactPoint("email", SECRET_EMAIL),
            ContactPoint("mobile_number", "+852 5555 0101"),
        ],
        created_at=NOW,
    )
    assert personal_fields(Customer) == (
        "name",
        "contacts",
        "preferred_channel",
        "preferred_language",
        "date_of_birth",
        "preferences",
        "staff_notes",
    )
    assert personal_fields(ServiceInteraction) == ("feedback", "notes")
    text = repr(customer) + str(customer)
    assert SECRET_NAME not in text
    assert SECRET_EMAIL not in text
    assert "5555" not in text
    contact = ServiceInteraction(
        id="I-1", store_id="S", channel="hotline", occurred_at=NOW, notes=SECRET_NAME
    )
    assert SECRET_NAME not in repr(contact)


def test_validation_lists_every_problem_without_values() -> None:
    with pytest.raises(ValidationError) as error:
        Customer(
            id=" C-1",
            name=7,  # type: ignore[arg-type]
            contacts=[SECRET_NAME],  # type: ignore[list-item]
            preferred_language=SECRET_NAME,
            tier="",
            created_at=datetime(2026, 11, 22),
            version=0,
        )
    assert paths(error) == [
        "$.id",
        "$.name",
        "$.contacts[0]",
        "$.preferred_language",
        "$.tier",
        "$.created_at",
        "$.version",
    ]
    assert SECRET_NAME not in str(error.value)


def test_interaction_validation() -> None:
    with pytest.raises(ValidationError) as error:
        ServiceInteraction(
            id="",
            store_id="S",
            channel="pigeon",
            occurred_at="2026-11-22",  # type: ignore[arg-type]
            status="lost",
            needs=["ok", 3],  # type: ignore[list-item]
            handle_time=timedelta(seconds=-1),
            notes="\ud800",
        )
    assert paths(error) == [
        "$.id",
        "$.channel",
        "$.occurred_at",
        "$.status",
        "$.needs[1]",
        "$.handle_time",
        "$.notes",
    ]


def test_json_problems_have_paths() -> None:
    with pytest.raises(ValidationError) as error:
        structure(
            {
                "id": "I-1",
                "store_id": "S",
                "channel": "pigeon",
                "occurred_at": "2026-11-22T10:00:00",
                "handle_time": "five minutes",
            },
            ServiceInteraction,
        )
    assert set(paths(error)) == {"$.channel", "$.occurred_at", "$.handle_time"}


def test_evolve_validates() -> None:
    customer = Customer(id="C-1", name="Lee", created_at=NOW)
    assert customer.evolve(tier="vip").tier == "vip"
    with pytest.raises(ValidationError):
        customer.evolve(contacts=("not a contact point",))


def test_query_validation() -> None:
    with pytest.raises(ValidationError) as error:
        InteractionQuery(
            start=datetime(2026, 1, 2, tzinfo=UTC),
            end=datetime(2026, 1, 1),
            channel="pigeon",
            status="lost",
        )
    assert paths(error) == ["$.end", "$.channel", "$.status"]
    with pytest.raises(ValidationError) as error:
        InteractionQuery(start=NOW, end=NOW - timedelta(seconds=1))
    assert paths(error) == ["$.end"]
    assert InteractionQuery(status="open").status is InteractionStatus.OPEN


def test_one_round_reports_type_rule_and_missing_problems_from_json() -> None:
    with pytest.raises(ValidationError) as error:
        from_json(
            '{"id": 5, "contacts": [{"kind": "email", "value": "Chan Tai Man"}], "version": 0}',
            Customer,
        )
    assert paths(error) == ["$.id", "$.contacts[0].value", "$.created_at", "$.version"]
    assert SECRET_NAME not in str(error.value)
    with pytest.raises(ValidationError) as error:
        structure(
            {
                "id": "I-1",
                "store_id": 7,
                "channel": "pigeon",
                "occurred_at": "2026-03-29T01:30:00+00:00[Europe/London]",
                "needs": "returns",
                "handle_time": -5,
                "colour": "blue",
            },
            ServiceInteraction,
        )
    assert sorted(paths(error)) == [
        "$.channel",
        "$.colour",
        "$.handle_time",
        "$.needs",
        "$.occurred_at",
        "$.store_id",
    ]


LONE = "a@b" + chr(0xD800)


@pytest.mark.parametrize(
    "field", ["id", "name", "preferred_language", "home_store_id", "tier", "staff_notes"]
)
def test_customers_refuse_lone_surrogates_in_every_text_field(field: str) -> None:
    fields = {"id": "C-1", "name": "Lee", "created_at": NOW, field: LONE}
    with pytest.raises(ValidationError) as error:
        Customer(**fields)  # type: ignore[arg-type]
    assert paths(error) == [f"$.{field}"]
    data = unstructure(Customer(id="C-1", name="Lee", created_at=NOW)) | {field: LONE}
    with pytest.raises(ValidationError) as error:
        structure(data, Customer)
    assert paths(error) == [f"$.{field}"]


@pytest.mark.parametrize(
    "field", ["id", "store_id", "customer_id", "subject", "needs", "agent_id", "notes"]
)
def test_interactions_refuse_lone_surrogates_in_every_text_field(field: str) -> None:
    value: object = (LONE,) if field == "needs" else LONE
    fields = {"id": "I-1", "store_id": "S", "channel": "fax", "occurred_at": NOW, field: value}
    with pytest.raises(ValidationError) as error:
        ServiceInteraction(**fields)  # type: ignore[arg-type]
    assert paths(error) == [f"$.{field}[0]" if field == "needs" else f"$.{field}"]


def test_versions_stay_exact_in_json_readers() -> None:
    top = 2**53 - 1
    assert Customer(id="C-1", name="Lee", created_at=NOW, version=top).version == top
    for version in (0, top + 1, 2**63 - 1, True, 1.0):
        with pytest.raises(ValidationError) as error:
            Customer(id="C-1", name="Lee", created_at=NOW, version=version)  # type: ignore[arg-type]
        assert [str(p) for p in error.value.problems] == [
            "$.version: must be an integer from 1 to 9007199254740991 (2**53 - 1)"
        ]


def test_constructors_report_missing_fields_with_the_rest() -> None:
    with pytest.raises(ValidationError) as error:
        Customer(id=5, preferred_language=SECRET_NAME)  # type: ignore[arg-type]
    assert paths(error) == ["$.created_at", "$.id", "$.preferred_language"]
    assert [p.message for p in error.value.problems][:1] == ["required"]
    with pytest.raises(ValidationError) as error:
        ServiceInteraction(id="I-1", channel="pigeon")
    assert paths(error) == ["$.store_id", "$.occurred_at", "$.channel"]
