"""The SQLite adapter's customer repository: how a `Customer` maps to a row, and back.

Contact points and preferences are JSON text columns, written through the
library's converter (``[{"kind": "email", "value": "..."}]``); dates are
``YYYY-MM-DD`` text; datetimes are stored as (instant, zone name, offset).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Final

from retail_service_quality.customers import (
    ContactPoint,
    Customer,
    DataKind,
    JoinMethod,
    MarketingChannel,
)
from retail_service_quality.errors import StorageError
from retail_service_quality.serialization import unstructure
from retail_service_quality.storage._common import documented_by, trusted_loader
from retail_service_quality.storage._time import instant_us, offset_us, read_moment, zone_name
from retail_service_quality.storage.ports import CustomerQuery, CustomerRepository
from retail_service_quality.storage.sqlite._repository import Repository, where_clause

__all__ = ["SQLiteCustomers", "customer_from_row", "customer_row"]

COLUMNS: Final = (
    "id",
    "version",
    "name",
    "contacts",
    "preferred_channel",
    "preferred_language",
    "home_store_id",
    "tier",
    "tier_joined_on",
    "join_method",
    "date_of_birth",
    "preferences",
    "staff_notes",
    "created_us",
    "created_tz",
    "created_offset_us",
    "erased_us",
    "erased_tz",
    "erased_offset_us",
)

_EMPTY: Final = "[]"


def _json_list(values: tuple[Any, ...]) -> str:
    if not values:
        return _EMPTY
    return json.dumps(unstructure(values), ensure_ascii=False, separators=(",", ":"))


def _value(choice: MarketingChannel | JoinMethod | None) -> str | None:
    return None if choice is None else choice.value


def _day_text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def customer_row(customer: Customer) -> tuple[Any, ...]:
    """The row stored for a customer."""
    created = customer.created_at
    erased = customer.erased_at
    return (
        customer.id,
        customer.version,
        customer.name,
        _json_list(customer.contacts),
        _value(customer.preferred_channel),
        customer.preferred_language,
        customer.home_store_id,
        customer.tier,
        _day_text(customer.tier_joined_on),
        _value(customer.join_method),
        _day_text(customer.date_of_birth),
        _json_list(customer.preferences),
        customer.staff_notes,
        instant_us(created),
        zone_name(created),
        offset_us(created),
        None if erased is None else instant_us(erased),
        None if erased is None else zone_name(erased),
        None if erased is None else offset_us(erased),
    )


def _unreadable_contact(item: Any, error: Exception) -> StorageError:
    return StorageError("a contact point cannot be read")


_contact_from_item: Callable[[Any], ContactPoint] = trusted_loader(
    ContactPoint,
    (("kind", "data_kind(row['kind'])"), ("value", "text(row['value'])")),
    {"data_kind": DataKind, "text": str},
    _unreadable_contact,
)


def _contacts(text: str) -> tuple[ContactPoint, ...]:
    """The contact points a JSON column holds, built without validating them again."""
    if text == _EMPTY:
        return ()
    return tuple(_contact_from_item(item) for item in json.loads(text))


def _strings(text: str) -> tuple[str, ...]:
    if text == _EMPTY:
        return ()
    values = json.loads(text)
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValueError("not a list of text")
    return tuple(values)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _moment(us: int | None, offset: int | None, name: str | None) -> datetime | None:
    return None if us is None or name is None else read_moment(us, offset, name)


def _unreadable(row: Sequence[Any], error: Exception) -> StorageError:
    reason = f": {error}" if isinstance(error, StorageError) else ""
    return StorageError(f"the customer {row[0]!r} cannot be read{reason}")


customer_from_row: Callable[[Sequence[Any]], Customer] = trusted_loader(
    Customer,
    (
        ("id", "row[0]"),
        ("version", "row[1]"),
        ("name", "row[2]"),
        ("contacts", "contacts(row[3])"),
        ("preferred_channel", "None if row[4] is None else channel(row[4])"),
        ("preferred_language", "row[5]"),
        ("home_store_id", "row[6]"),
        ("tier", "row[7]"),
        ("tier_joined_on", "day(row[8])"),
        ("join_method", "None if row[9] is None else join_method(row[9])"),
        ("date_of_birth", "day(row[10])"),
        ("preferences", "strings(row[11])"),
        ("staff_notes", "row[12]"),
        ("created_at", "moment(row[13], row[15], row[14])"),
        ("erased_at", "optional_moment(row[16], row[18], row[17])"),
    ),
    {
        "contacts": _contacts,
        "strings": _strings,
        "day": _day,
        "moment": read_moment,
        "optional_moment": _moment,
        "channel": MarketingChannel,
        "join_method": JoinMethod,
    },
    _unreadable,
)
"""The customer a row the adapter wrote holds, built without validating it again."""


def _customer_filter(query: CustomerQuery | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query is not None:
        if query.home_store_id is not None:
            clauses.append("home_store_id = ?")
            params.append(query.home_store_id)
        if query.tier is not None:
            clauses.append("tier = ?")
            params.append(query.tier)
        if query.join_method is not None:
            clauses.append("join_method = ?")
            params.append(query.join_method.value)
        if query.erased is not None:
            clauses.append("erased_us IS NOT NULL" if query.erased else "erased_us IS NULL")
        if query.created_from is not None:
            clauses.append("created_us >= ?")
            params.append(instant_us(query.created_from))
        if query.created_to is not None:
            clauses.append("created_us < ?")
            params.append(instant_us(query.created_to))
    return where_clause(clauses), params


@documented_by(CustomerRepository)
class SQLiteCustomers(Repository[Customer, CustomerQuery]):
    """Customers in one SQLite unit of work, ordered by id."""

    table = "customers"
    kind = "customer"
    columns = COLUMNS
    order = "id"
    record_type = Customer
    query_type = CustomerQuery
    to_row = staticmethod(customer_row)
    from_row = staticmethod(customer_from_row)
    where = staticmethod(_customer_filter)
