"""The SQLite adapter's customer repository: how a `Customer` maps to a row, and back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from retail_service_quality.customers import Customer
from retail_service_quality.errors import StorageError
from retail_service_quality.storage._common import documented_by, trusted_loader
from retail_service_quality.storage._time import instant_us, offset_us, read_moment, zone_name
from retail_service_quality.storage.ports import CustomerQuery, CustomerRepository
from retail_service_quality.storage.sqlite._repository import Repository, where_clause

__all__ = ["SQLiteCustomers", "customer_from_row", "customer_row"]

COLUMNS: Final = (
    "id",
    "version",
    "name",
    "email",
    "phone",
    "home_store_id",
    "tier",
    "created_us",
    "created_tz",
    "created_offset_us",
)


def customer_row(customer: Customer) -> tuple[Any, ...]:
    """The row stored for a customer."""
    created = customer.created_at
    return (
        customer.id,
        customer.version,
        customer.name,
        customer.email,
        customer.phone,
        customer.home_store_id,
        customer.tier,
        instant_us(created),
        zone_name(created),
        offset_us(created),
    )


def _unreadable(row: Sequence[Any], error: Exception) -> StorageError:
    reason = f": {error}" if isinstance(error, StorageError) else ""
    return StorageError(f"the customer {row[0]!r} cannot be read{reason}")


customer_from_row: Callable[[Sequence[Any]], Customer] = trusted_loader(
    Customer,
    (
        ("id", "row[0]"),
        ("version", "row[1]"),
        ("name", "row[2]"),
        ("email", "row[3]"),
        ("phone", "row[4]"),
        ("home_store_id", "row[5]"),
        ("tier", "row[6]"),
        ("created_at", "moment(row[7], row[9], row[8])"),
    ),
    {"moment": read_moment},
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
