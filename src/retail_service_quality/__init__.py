"""retail_service_quality: a retailer's customer service function, as a typed Python library.

Examples:
    >>> import retail_service_quality as rsq
    >>> isinstance(rsq.__version__, str)
    True
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from retail_service_quality.calendar import (
    DAYS,
    BusinessCalendar,
    OpenInterval,
    public_holidays,
)
from retail_service_quality.customers import (
    CHANNEL_DATA_KIND,
    DATA_USE_KINDS,
    EVENT_KINDS,
    ORAL_CONFIRMATION_PERIOD,
    VAGUE_PATTERNS,
    CollectionForm,
    ConsentBox,
    ConsentEvent,
    ConsentGiven,
    ConsentLedger,
    ConsentMethod,
    ConsentScope,
    ConsentState,
    ConsentWithdrawn,
    ContactPoint,
    Customer,
    DataKind,
    DataProvided,
    DataUse,
    FieldKind,
    FormField,
    JoinMethod,
    LegalHold,
    MarketingChannel,
    MarketingClass,
    MarketingClassRegistry,
    MarketingMessageSent,
    NoticeServed,
    OptedOut,
    OralConsentConfirmed,
    PendingConsent,
    Permission,
    PersonalDataClass,
    PrivacyRequest,
    Purpose,
    RecipientClass,
    RequestKind,
    RequestStatus,
    SuppressionEntry,
    access_request_due,
    is_vague,
    personal_data,
    personal_fields,
)
from retail_service_quality.errors import (
    CODES,
    ConflictError,
    InsufficientDataError,
    InvalidTransitionError,
    NotFoundError,
    Problem,
    RSQError,
    StorageError,
    ValidationError,
)
from retail_service_quality.metrics.staffing import (
    StaffingPlan,
    erlang_c,
    service_level,
    staffing,
    staffing_for_agents,
)
from retail_service_quality.metrics.statistics import (
    ComparisonResult,
    Interval,
    MeanResult,
    NpsResult,
    ProportionResult,
    TestResult,
    ces,
    ces_from_counts,
    compare_nps,
    csat,
    csat_from_counts,
    mann_whitney_u,
    mean_interval,
    nps,
    nps_from_counts,
    percentile,
    power_two_proportions,
    sample_size_for_nps,
    sample_size_for_proportion,
    sample_size_two_proportions,
    two_proportion_ztest,
    wilson_interval,
)
from retail_service_quality.metrics.surveys import (
    SERVQUAL_DIMENSIONS,
    DimensionScore,
    ReliabilityResult,
    ReliabilityScore,
    ServperfResult,
    ServqualResponse,
    ServqualResult,
    cronbach_alpha,
    servperf,
    servqual,
    servqual_reliability,
)
from retail_service_quality.serialization import (
    RecordList,
    RecordStream,
    from_json,
    json_schema,
    make_converter,
    record_columns,
    structure,
    to_dataframe,
    to_json,
    to_records,
    unstructure,
)
from retail_service_quality.service.interactions import (
    Channel,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.storage.ports import CustomerQuery, InteractionQuery, InteractionSummary

if TYPE_CHECKING:
    from retail_service_quality.storage.memory import InMemoryStore
    from retail_service_quality.storage.sqlite import SQLiteStore


def __getattr__(name: str) -> Any:
    # The adapters are imported on first use, by `retail_service_quality.storage`:
    # importing the library loads no storage driver.
    if name not in ("InMemoryStore", "SQLiteStore"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module("retail_service_quality.storage"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


try:
    __version__ = version("retail-service-quality")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "BusinessCalendar",
    "CHANNEL_DATA_KIND",
    "CODES",
    "Channel",
    "CollectionForm",
    "ComparisonResult",
    "ConflictError",
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
    "CustomerQuery",
    "DATA_USE_KINDS",
    "DAYS",
    "DataKind",
    "DataProvided",
    "DataUse",
    "DimensionScore",
    "EVENT_KINDS",
    "FieldKind",
    "FormField",
    "InMemoryStore",
    "InsufficientDataError",
    "InteractionQuery",
    "InteractionStatus",
    "InteractionSummary",
    "Interval",
    "InvalidTransitionError",
    "JoinMethod",
    "LegalHold",
    "MarketingChannel",
    "MarketingClass",
    "MarketingClassRegistry",
    "MarketingMessageSent",
    "MeanResult",
    "NotFoundError",
    "NoticeServed",
    "NpsResult",
    "ORAL_CONFIRMATION_PERIOD",
    "OpenInterval",
    "OptedOut",
    "OralConsentConfirmed",
    "PendingConsent",
    "Permission",
    "PersonalDataClass",
    "PrivacyRequest",
    "Problem",
    "ProportionResult",
    "Purpose",
    "RSQError",
    "RecipientClass",
    "RecordList",
    "RecordStream",
    "ReliabilityResult",
    "ReliabilityScore",
    "RequestKind",
    "RequestStatus",
    "SERVQUAL_DIMENSIONS",
    "SQLiteStore",
    "ServiceInteraction",
    "ServperfResult",
    "ServqualResponse",
    "ServqualResult",
    "StaffingPlan",
    "StorageError",
    "SuppressionEntry",
    "TestResult",
    "VAGUE_PATTERNS",
    "ValidationError",
    "__version__",
    "access_request_due",
    "ces",
    "ces_from_counts",
    "compare_nps",
    "cronbach_alpha",
    "csat",
    "csat_from_counts",
    "erlang_c",
    "from_json",
    "is_vague",
    "json_schema",
    "make_converter",
    "mann_whitney_u",
    "mean_interval",
    "nps",
    "nps_from_counts",
    "percentile",
    "personal_data",
    "personal_fields",
    "power_two_proportions",
    "public_holidays",
    "record_columns",
    "sample_size_for_nps",
    "sample_size_for_proportion",
    "sample_size_two_proportions",
    "service_level",
    "servperf",
    "servqual",
    "servqual_reliability",
    "staffing",
    "staffing_for_agents",
    "structure",
    "to_dataframe",
    "to_json",
    "to_records",
    "two_proportion_ztest",
    "unstructure",
    "wilson_interval",
]
