"""Personal data is classified on its field: identifier, contact, demographic, preference..."""

from __future__ import annotations

import attrs
import pytest

import retail_service_quality as rsq
from retail_service_quality import PersonalDataClass


def test_the_customer_record_classifies_its_personal_fields() -> None:
    assert rsq.personal_data(rsq.Customer) == {
        "name": PersonalDataClass.IDENTIFIER,
        "email": PersonalDataClass.CONTACT,
        "phone": PersonalDataClass.CONTACT,
    }
    assert tuple(rsq.personal_data(rsq.Customer)) == rsq.personal_fields(rsq.Customer)


def test_interaction_notes_are_free_text() -> None:
    assert rsq.personal_data(rsq.ServiceInteraction) == {"notes": PersonalDataClass.FREE_TEXT}


def test_every_personal_field_of_every_public_type_has_a_class() -> None:
    for name in rsq.__all__:
        value = getattr(rsq, name)
        if isinstance(value, type) and attrs.has(value):
            for field in attrs.fields(value):
                marked = field.metadata.get("personal")
                if marked:
                    assert isinstance(marked, PersonalDataClass), f"{name}.{field.name}"


def test_the_schema_names_the_class_of_personal_data() -> None:
    email = rsq.json_schema(rsq.Customer)["properties"]["email"]
    assert email["x-personal"] is True
    assert email["x-personal-class"] == "contact"
    assert "x-personal" not in rsq.json_schema(rsq.Customer)["properties"]["tier"]


@pytest.mark.parametrize("cls", [3, None, dict, "Customer"])
def test_only_record_types_are_classified(cls: object) -> None:
    with pytest.raises(rsq.ValidationError) as caught:
        rsq.personal_data(cls)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == "$.cls"
