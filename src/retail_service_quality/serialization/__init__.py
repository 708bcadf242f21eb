"""Serialization: the one converter between the library's objects and JSON; records and DataFrames.

Examples:
    >>> from retail_service_quality.serialization import to_json
    >>> to_json({"answered": 5})
    '{"answered": 5}'
"""

from retail_service_quality.serialization._converter import (
    configure_converter,
    from_json,
    make_converter,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality.serialization._records import (
    RecordList,
    RecordStream,
    record_columns,
    to_dataframe,
    to_records,
)
from retail_service_quality.serialization._schema import json_schema

__all__ = [
    "RecordList",
    "RecordStream",
    "configure_converter",
    "from_json",
    "json_schema",
    "make_converter",
    "record_columns",
    "structure",
    "to_dataframe",
    "to_json",
    "to_records",
    "unstructure",
]
