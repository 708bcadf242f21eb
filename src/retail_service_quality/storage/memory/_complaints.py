"""The in-memory adapter's complaint repository, with deadlines kept beside the records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from retail_service_quality.customers import Customer
from retail_service_quality.errors import NotFoundError
from retail_service_quality.serialization._records import RecordList, RecordStream
from retail_service_quality.service.complaints import Complaint, ComplaintState
from retail_service_quality.service.sla import TargetKind
from retail_service_quality.storage._common import check_query, documented_by
from retail_service_quality.storage._complaints import complaint_facts, complaint_timing, due_us
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.memory._repository import Repository, Table
from retail_service_quality.storage.ports import ComplaintQuery, ComplaintRepository
from retail_service_quality.storage.ports.complaints import (
    ComplaintFacts,
    ComplaintGroupBy,
    ComplaintSummary,
    ComplaintTiming,
    check_complaint_summary,
    check_due_arguments,
    summary_rows,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["Deadlines", "MemoryComplaints"]

Deadlines = dict[str, tuple[Complaint, int | None, int | None]]
"""Each complaint's deadlines by id, with the record they were computed from."""


def _by_received(complaint: Complaint) -> tuple[int, str]:
    return instant_us(complaint.received_at), complaint.id


@documented_by(ComplaintRepository)
class MemoryComplaints(Repository[Complaint, ComplaintQuery]):
    """Complaints in one in-memory unit of work, ordered by instant received, then id."""

    record_type = Complaint
    query_type = ComplaintQuery

    def __init__(
        self,
        table: Table[Complaint],
        customers: Table[Customer],
        deadlines: Deadlines,
        uow: MemoryUnitOfWork,
    ) -> None:
        super().__init__(table, uow, _by_received, self._check_customer)
        self._customers = customers
        self._deadlines = deadlines

    def _check_customer(self, complaint: Complaint) -> None:
        customer_id = complaint.customer_id
        if customer_id is not None and self._customers.lookup(customer_id) is None:
            raise NotFoundError(f"complaint {complaint.id!r} names a customer that does not exist")

    def _due(self, complaint: Complaint) -> tuple[int | None, int | None]:
        """A complaint's deadlines, computed once per record (records never change)."""
        known = self._deadlines.get(complaint.id)
        if known is not None and known[0] is complaint:
            return known[1], known[2]
        acknowledgement, resolution = due_us(complaint)
        self._deadlines[complaint.id] = (complaint, acknowledgement, resolution)
        return acknowledgement, resolution

    def due(
        self,
        kind: TargetKind | str = TargetKind.RESOLUTION,
        *,
        after: datetime | None = None,
        before: datetime | None = None,
        query: ComplaintQuery | None = None,
    ) -> Iterator[Complaint]:
        chosen, low, high = check_due_arguments(kind, after, before, query)
        index = 0 if chosen is TargetKind.ACKNOWLEDGEMENT else 1
        self._uow.check_active()
        found: list[tuple[int, str, Complaint]] = []
        for complaint in self._table.view():
            deadline = self._due(complaint)[index]
            if (
                deadline is None
                or (low is not None and deadline < low)
                or (high is not None and deadline >= high)
                or (query is not None and not query.matches(complaint))
            ):
                continue
            found.append((deadline, complaint.id, complaint))
        found.sort(key=lambda item: item[:2])
        return RecordStream(Complaint, self._uow.stream([item[2] for item in found]))

    def summarize(
        self,
        query: ComplaintQuery | None = None,
        *,
        group_by: Sequence[ComplaintGroupBy] = (),
    ) -> RecordList[ComplaintSummary]:
        keys = set(check_complaint_summary(query, group_by))
        groups: dict[tuple[str | None, ...], list[int]] = {}
        for complaint in self.selected(query):
            requested = complaint.remedy_requested
            offered = complaint.remedy_offered
            key = (
                complaint.category if "category" in keys else None,
                complaint.channel.value if "channel" in keys else None,
                complaint.store_id if "store" in keys else None,
                complaint.root_cause if "root_cause" in keys else None,
                None if requested is None or "remedy_requested" not in keys else requested.value,
                None if offered is None or "remedy_offered" not in keys else offered.value,
            )
            totals = groups.setdefault(key, [0, 0, 0])
            totals[0] += 1
            totals[1] += complaint.state is ComplaintState.CLOSED
            totals[2] += complaint.repeat_of is not None
        return summary_rows(groups.items())

    def resolution_times(self, query: ComplaintQuery | None = None) -> Iterator[timedelta]:
        found = [complaint.resolution_time() for complaint in self.selected(query)]
        return self._uow.stream(sorted(time for time in found if time is not None))

    def facts(self, query: ComplaintQuery | None = None) -> Iterator[ComplaintFacts]:
        check_query(query, ComplaintQuery)
        return self._uow.stream([complaint_facts(complaint) for complaint in self.selected(query)])

    def timings(self, query: ComplaintQuery | None = None) -> Iterator[ComplaintTiming]:
        check_query(query, ComplaintQuery)
        found: list[ComplaintTiming] = []
        for complaint in self.selected(query):
            tier = None
            if complaint.customer_id is not None:
                customer = self._customers.lookup(complaint.customer_id)
                tier = None if customer is None else customer.tier
            found.append(complaint_timing(complaint, tier))
        return self._uow.stream(found)
