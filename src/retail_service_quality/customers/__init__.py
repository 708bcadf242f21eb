"""Customers: the customer record, personal data, and privacy law per jurisdiction.

Examples:
    >>> from retail_service_quality.customers import personal_fields, Customer
    >>> personal_fields(Customer)
    ('name', 'email', 'phone')
"""

from retail_service_quality._internal.personal import PersonalDataClass, personal_data
from retail_service_quality.customers._customer import Customer, personal_fields
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
from retail_service_quality.customers.privacy import (
    PrivacyRule,
    RecipientNotice,
    cease_notices,
    correction_recipients,
    decide_marketing,
    decide_provision,
)
from retail_service_quality.customers.requests import (
    LegalHold,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    SuppressionEntry,
)
from retail_service_quality.customers.rights import (
    access_request_due,
    request_due,
    request_extension_limit,
)
from retail_service_quality.customers.uses import (
    DATA_USE_KINDS,
    DataProvided,
    DataUse,
    MarketingMessageSent,
)

__all__ = [
    "DATA_USE_KINDS",
    "DataProvided",
    "DataUse",
    "LegalHold",
    "MarketingMessageSent",
    "PrivacyRequest",
    "RequestKind",
    "RequestStatus",
    "SuppressionEntry",
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
    "Customer",
    "DataKind",
    "EVENT_KINDS",
    "FieldKind",
    "FormField",
    "IDENTITY_DOCUMENTS",
    "MarketingChannel",
    "MarketingClass",
    "MarketingClassRegistry",
    "NoticeServed",
    "ORAL_CONFIRMATION_PERIOD",
    "OptedOut",
    "OralConsentConfirmed",
    "PendingConsent",
    "Permission",
    "PersonalDataClass",
    "PrivacyRule",
    "Purpose",
    "RecipientClass",
    "RecipientNotice",
    "VAGUE_PATTERNS",
    "access_request_due",
    "cease_notices",
    "correction_recipients",
    "decide_marketing",
    "decide_provision",
    "is_vague",
    "personal_data",
    "personal_fields",
    "request_due",
    "request_extension_limit",
]
