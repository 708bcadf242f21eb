"""Customers: the customer record, personal data, and privacy law per jurisdiction.

Examples:
    >>> from retail_service_quality.customers import personal_fields, Customer
    >>> personal_fields(Customer)
    ('name', 'email', 'phone')
"""

from retail_service_quality._internal.personal import PersonalDataClass, personal_data
from retail_service_quality.customers._customer import Customer, personal_fields
from retail_service_quality.customers.forms import (
    IDENTITY_DOCUMENTS,
    CollectionForm,
    ConsentBox,
    FieldKind,
    FormField,
    Purpose,
)
from retail_service_quality.customers.rights import access_request_due

__all__ = [
    "IDENTITY_DOCUMENTS",
    "CollectionForm",
    "ConsentBox",
    "Customer",
    "FieldKind",
    "FormField",
    "Purpose",
    "PersonalDataClass",
    "access_request_due",
    "personal_data",
    "personal_fields",
]
