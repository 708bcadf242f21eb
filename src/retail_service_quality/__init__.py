"""retail_service_quality: a retailer's customer service function, as a typed Python library.

Examples:
    >>> import retail_service_quality as rsq
    >>> isinstance(rsq.__version__, str)
    True
"""

from importlib.metadata import PackageNotFoundError, version

from retail_service_quality.calendar import (
    DAYS,
    BusinessCalendar,
    OpenInterval,
    access_request_due,
    public_holidays,
)
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
from retail_service_quality.serialization import (
    from_json,
    make_converter,
    structure,
    to_json,
    unstructure,
)

try:
    __version__ = version("retail-service-quality")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "BusinessCalendar",
    "ConflictError",
    "DAYS",
    "InsufficientDataError",
    "InvalidTransitionError",
    "NotFoundError",
    "OpenInterval",
    "Problem",
    "RSQError",
    "StorageError",
    "ValidationError",
    "__version__",
    "access_request_due",
    "from_json",
    "make_converter",
    "public_holidays",
    "structure",
    "to_json",
    "unstructure",
]
