"""The in-memory adapter's customer repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from retail_service_quality.customers import Customer
from retail_service_quality.storage._common import documented_by
from retail_service_quality.storage.memory._repository import Repository, Table
from retail_service_quality.storage.ports import CustomerQuery, CustomerRepository

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["MemoryCustomers"]


def _by_id(customer: Customer) -> str:
    return customer.id


@documented_by(CustomerRepository)
class MemoryCustomers(Repository[Customer, CustomerQuery]):
    """Customers in one in-memory unit of work, ordered by id."""

    record_type = Customer
    query_type = CustomerQuery

    def __init__(self, table: Table[Customer], uow: MemoryUnitOfWork) -> None:
        super().__init__(table, uow, _by_id)
