"""retail_service_quality: a retailer's customer service function, as a typed Python library.

Examples:
    >>> import retail_service_quality as rsq
    >>> isinstance(rsq.__version__, str)
    True
"""

from importlib.metadata import PackageNotFoundError, version

from retail_service_quality.adapters import InMemoryStore, SQLiteStore
from retail_service_quality.calendar import (
    DAYS,
    BusinessCalendar,
    OpenInterval,
    access_request_due,
    public_holidays,
)
from retail_service_quality.customers import Customer, personal_fields
from retail_service_quality.errors import (
    ConflictError,
    InsufficientDataError,
    InvalidTransitionError,
    NotFoundError,
    Problem,
    RSQError,
    StorageError,
    ValidationError,
)
from retail_service_quality.interactions import Channel, InteractionStatus, ServiceInteraction
from retail_service_quality.ports import CustomerQuery, InteractionQuery, InteractionSummary
from retail_service_quality.serialization import (
    from_json,
    make_converter,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality.staffing import (
    StaffingPlan,
    erlang_c,
    service_level,
    staffing,
    staffing_for_agents,
)
from retail_service_quality.statistics import (
    ComparisonResult,
    Interval,
    MeanResult,
    NpsResult,
    ProportionResult,
    TestResult,
    ces,
    compare_nps,
    csat,
    mann_whitney_u,
    mean_interval,
    nps,
    percentile,
    power_two_proportions,
    sample_size_for_nps,
    sample_size_for_proportion,
    sample_size_two_proportions,
    two_proportion_ztest,
    wilson_interval,
)
from retail_service_quality.surveys import (
    SERVQUAL_DIMENSIONS,
    DimensionScore,
    ReliabilityScore,
    ServperfResult,
    ServqualResponse,
    ServqualResult,
    cronbach_alpha,
    servperf,
    servqual,
    servqual_reliability,
)

try:
    __version__ = version("retail-service-quality")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "BusinessCalendar",
    "Channel",
    "ComparisonResult",
    "ConflictError",
    "Customer",
    "CustomerQuery",
    "DAYS",
    "DimensionScore",
    "InMemoryStore",
    "InsufficientDataError",
    "InteractionQuery",
    "InteractionStatus",
    "InteractionSummary",
    "Interval",
    "InvalidTransitionError",
    "MeanResult",
    "NotFoundError",
    "NpsResult",
    "OpenInterval",
    "Problem",
    "ProportionResult",
    "RSQError",
    "ReliabilityScore",
    "SERVQUAL_DIMENSIONS",
    "SQLiteStore",
    "ServiceInteraction",
    "ServperfResult",
    "ServqualResponse",
    "ServqualResult",
    "StaffingPlan",
    "StorageError",
    "TestResult",
    "ValidationError",
    "__version__",
    "access_request_due",
    "ces",
    "compare_nps",
    "cronbach_alpha",
    "csat",
    "erlang_c",
    "from_json",
    "make_converter",
    "mann_whitney_u",
    "mean_interval",
    "nps",
    "percentile",
    "personal_fields",
    "power_two_proportions",
    "public_holidays",
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
    "to_json",
    "two_proportion_ztest",
    "unstructure",
    "wilson_interval",
]
