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
from retail_service_quality.customers.access import (
    DEFAULT_SOURCE,
    AccessExport,
    DataRecipient,
    build_access_export,
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
from retail_service_quality.customers.erasure import (
    ERASURE_SOURCES,
    ErasurePlan,
    plan_erasure,
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
from retail_service_quality.customers.pseudonymise import (
    MIN_KEY_BYTES,
    KeyedHasher,
    PseudonymisedRecords,
    normalise_contact,
    pseudonymised_records,
)
from retail_service_quality.customers.requests import (
    LegalHold,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    SuppressionEntry,
)
from retail_service_quality.customers.retention import (
    RECORD_KINDS,
    PlanItem,
    RetentionPlan,
    RetentionRule,
    RetentionSchedule,
    plan_retention,
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
    "AccessExport",
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
    "DEFAULT_SOURCE",
    "DataKind",
    "DataProvided",
    "DataRecipient",
    "DataUse",
    "ERASURE_SOURCES",
    "EVENT_KINDS",
    "ErasurePlan",
    "FieldKind",
    "FormField",
    "IDENTITY_DOCUMENTS",
    "JoinMethod",
    "KeyedHasher",
    "LegalHold",
    "MIN_KEY_BYTES",
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
    "PlanItem",
    "PrivacyRequest",
    "PrivacyRule",
    "PseudonymisedRecords",
    "Purpose",
    "RECORD_KINDS",
    "RecipientClass",
    "RecipientNotice",
    "RequestKind",
    "RequestStatus",
    "RetentionPlan",
    "RetentionRule",
    "RetentionSchedule",
    "SuppressionEntry",
    "VAGUE_PATTERNS",
    "access_request_due",
    "build_access_export",
    "cease_notices",
    "correction_recipients",
    "decide_marketing",
    "decide_provision",
    "is_vague",
    "normalise_contact",
    "personal_data",
    "personal_fields",
    "plan_erasure",
    "plan_retention",
    "pseudonymised_records",
    "request_due",
    "request_extension_limit",
]
