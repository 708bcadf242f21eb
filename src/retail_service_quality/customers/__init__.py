"""Customers: the customer record, personal data, and privacy law per jurisdiction.

Examples:
    >>> from retail_service_quality.customers import personal_fields, Customer
    >>> personal_fields(Customer)
    ('name', 'contacts', 'preferred_channel', 'preferred_language', 'date_of_birth', 'preferences', 'staff_notes')
"""  # noqa: E501

from retail_service_quality._internal.personal import PersonalDataClass, personal_data
from retail_service_quality.customers._customer import (
    ContactPoint,
    Customer,
    JoinMethod,
    personal_fields,
)
from retail_service_quality.customers.consent import (
    CHANNEL_DATA_KIND,
    EVENT_KINDS,
    ORAL_CONFIRMATION_PERIOD,
    VAGUE_PATTERNS,
    ConsentEvent,
    ConsentGiven,
    ConsentLedger,
    ConsentMethod,
    ConsentScope,
    ConsentState,
    ConsentWithdrawn,
    DataKind,
    MarketingChannel,
    MarketingClass,
    MarketingClassRegistry,
    NoticeServed,
    OptedOut,
    OralConsentConfirmed,
    PendingConsent,
    Permission,
    RecipientClass,
    is_vague,
)
from retail_service_quality.customers.forms import (
    IDENTITY_DOCUMENTS,
    CollectionForm,
    ConsentBox,
    FieldKind,
    FormField,
    Purpose,
)
from retail_service_quality.customers.requests import (
    LegalHold,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    SuppressionEntry,
)
from retail_service_quality.customers.rights import access_request_due
from retail_service_quality.customers.uses import (
    DATA_USE_KINDS,
    DataProvided,
    DataUse,
    MarketingMessageSent,
)

__all__ = [
    "CHANNEL_DATA_KIND",
    "CollectionForm",
    "ConsentBox",
    "ConsentEvent",
    "ConsentGiven",
    "ConsentLedger",
    "ConsentMethod",
    "ConsentScope",
    "ConsentState",
    "ConsentWithdrawn",
    "ContactPoint",
    "Customer",
    "DATA_USE_KINDS",
    "DataKind",
    "DataProvided",
    "DataUse",
    "EVENT_KINDS",
    "FieldKind",
    "FormField",
    "IDENTITY_DOCUMENTS",
    "JoinMethod",
    "LegalHold",
    "MarketingChannel",
    "MarketingClass",
    "MarketingClassRegistry",
    "MarketingMessageSent",
    "NoticeServed",
    "ORAL_CONFIRMATION_PERIOD",
    "OptedOut",
    "OralConsentConfirmed",
    "PendingConsent",
    "Permission",
    "PersonalDataClass",
    "PrivacyRequest",
    "Purpose",
    "RecipientClass",
    "RequestKind",
    "RequestStatus",
    "SuppressionEntry",
    "VAGUE_PATTERNS",
    "access_request_due",
    "is_vague",
    "personal_data",
    "personal_fields",
]
