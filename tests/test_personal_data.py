"""Personal data is classified on its field: identifier, contact, demographic, preference..."""

from __future__ import annotations

import attrs
import pytest

import retail_service_quality as rsq
from retail_service_quality import PersonalDataClass


def test_the_customer_record_classifies_its_personal_fields() -> None:
    assert rsq.personal_data(rsq.Customer) == {
        "name": PersonalDataClass.IDENTIFIER,
        "contacts": PersonalDataClass.CONTACT,
        "preferred_channel": PersonalDataClass.PREFERENCE,
        "preferred_language": PersonalDataClass.PREFERENCE,
        "date_of_birth": PersonalDataClass.DEMOGRAPHIC,
        "preferences": PersonalDataClass.PREFERENCE,
        "staff_notes": PersonalDataClass.FREE_TEXT,
    }
    assert rsq.personal_data(rsq.ContactPoint) == {"value": PersonalDataClass.CONTACT}
    assert tuple(rsq.personal_data(rsq.Customer)) == rsq.personal_fields(rsq.Customer)


def test_interaction_notes_are_free_text() -> None:
    assert rsq.personal_data(rsq.ServiceInteraction) == {
        "feedback": PersonalDataClass.FREE_TEXT,
        "notes": PersonalDataClass.FREE_TEXT,
    }


def test_every_personal_field_of_every_public_type_has_a_class() -> None:
    for name in rsq.__all__:
        value = getattr(rsq, name)
        if isinstance(value, type) and attrs.has(value):
            for field in attrs.fields(value):
                marked = field.metadata.get("personal")
                if marked:
                    assert isinstance(marked, PersonalDataClass), f"{name}.{field.name}"


def test_the_schema_names_the_class_of_personal_data() -> None:
    schema = rsq.json_schema(rsq.Customer)
    for name, kind in rsq.personal_data(rsq.Customer).items():
        assert schema["properties"][name]["x-personal"] is True
        assert schema["properties"][name]["x-personal-class"] == kind.value
    for name in ("id", "tier", "tier_joined_on", "join_method", "created_at", "erased_at"):
        assert "x-personal" not in schema["properties"][name]


@pytest.mark.parametrize("cls", [3, None, dict, "Customer"])
def test_only_record_types_are_classified(cls: object) -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.personal_data(cls)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == "$.cls"
