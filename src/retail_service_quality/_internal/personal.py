"""Personal data, classified: what kind of personal data a field holds.

A field holding personal data carries its class in its attrs metadata
(``metadata=personal(PersonalDataClass.CONTACT)``). The class decides how
long it may be kept and how it is anonymised; that it is personal at all keeps
it out of reprs, logs, exception messages and analytics exports.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import attrs

__all__ = ["PersonalDataClass", "personal", "personal_data"]


class PersonalDataClass(StrEnum):
    """The classes of personal data a field can hold.

    Examples:
        >>> PersonalDataClass("contact")
        <PersonalDataClass.CONTACT: 'contact'>
        >>> [member.value for member in PersonalDataClass]
        ['identifier', 'contact', 'demographic', 'preference', 'free_text']
    """

    IDENTIFIER = "identifier"
    """Names a person: a name, an identity document number, a membership number."""
    CONTACT = "contact"
    """Reaches a person: a mobile number, an email or postal address, a social handle, a fax."""
    DEMOGRAPHIC = "demographic"
    """Describes a person: a date of birth, an age band, a gender."""
    PREFERENCE = "preference"
    """What a person likes or needs: a preferred channel or language, needs noted by staff."""
    FREE_TEXT = "free_text"
    """Text typed by staff or the customer, which may hold any personal data."""


def personal(kind: PersonalDataClass) -> dict[str, Any]:
    """attrs field metadata marking a field as personal data of the class ``kind``.

    Examples:
        >>> personal(PersonalDataClass.CONTACT)
        {'personal': <PersonalDataClass.CONTACT: 'contact'>}
    """
    return {"personal": PersonalDataClass(kind)}


def personal_data(cls: type) -> dict[str, PersonalDataClass]:
    """The fields of an attrs class that hold personal data, each with its class.

    Examples:
        >>> from retail_service_quality import Customer
        >>> personal_data(Customer)
        {'name': <PersonalDataClass.IDENTIFIER: 'identifier'>, 'contacts': <PersonalDataClass.CONTACT: 'contact'>, 'preferred_channel': <PersonalDataClass.PREFERENCE: 'preference'>, 'preferred_language': <PersonalDataClass.PREFERENCE: 'preference'>, 'date_of_birth': <PersonalDataClass.DEMOGRAPHIC: 'demographic'>, 'preferences': <PersonalDataClass.PREFERENCE: 'preference'>, 'staff_notes': <PersonalDataClass.FREE_TEXT: 'free_text'>}
    """  # noqa: E501
    if not isinstance(cls, type) or not attrs.has(cls):
        from retail_service_quality.errors import ValidationError

        raise ValidationError.single("$.cls", "must be an attrs record type", "type")
    return {
        field.name: PersonalDataClass(field.metadata["personal"])
        for field in attrs.fields(cls)
        if field.metadata.get("personal")
    }
