"""What every adapter derives from a complaint's history to select and order it by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Final

from retail_service_quality.service.complaints import Complaint, ComplaintState
from retail_service_quality.service.sla import TargetKind
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports.complaints import ComplaintFacts, ComplaintTiming

__all__ = ["complaint_row", "complaint_timing", "due_us", "has_clock_stops", "utc_from_us"]

_MICROSECOND: Final = timedelta(microseconds=1)


def _us(moment: datetime | None) -> int | None:
    return None if moment is None else instant_us(moment)


def due_us(complaint: Complaint) -> tuple[int | None, int | None]:
    """The acknowledgement and resolution deadlines (`Complaint.due_at`), in microseconds."""
    return (
        _us(complaint.due_at(TargetKind.ACKNOWLEDGEMENT)),
        _us(complaint.due_at(TargetKind.RESOLUTION)),
    )


def complaint_row(complaint: Complaint, record: str, policy_key: str | None) -> tuple[Any, ...]:
    """The stored row of a complaint: its derived columns, then its JSON ``record``.

    ``record`` is the complaint's JSON without its policy, which is stored
    apart under ``policy_key``.
    """
    state = complaint.state
    resolution = complaint.resolution_time()
    requested = complaint.remedy_requested
    offered = complaint.remedy_offered
    acknowledgement_due, resolution_due = due_us(complaint)
    return (
        complaint.id,
        complaint.version,
        complaint.customer_id,
        complaint.store_id,
        complaint.channel.value,
        complaint.category,
        state.value,
        int(state is not ComplaintState.CLOSED),
        instant_us(complaint.received_at),
        _us(complaint.acknowledged_at),
        _us(complaint.closed_at),
        None if requested is None else requested.value,
        None if offered is None else offered.value,
        complaint.root_cause,
        complaint.repeat_of,
        complaint.sla_policy_id,
        policy_key,
        None if resolution is None else resolution // _MICROSECOND,
        acknowledgement_due,
        resolution_due,
        record,
    )


def utc_from_us(value: int | None) -> datetime | None:
    """An instant in microseconds since 1970 as a UTC datetime, or ``None``."""
    return None if value is None else _EPOCH + timedelta(microseconds=value)


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def has_clock_stops(complaint: Complaint) -> bool:
    """Whether its history stops an SLA clock: a wait on the customer, or a reopening."""
    return bool(complaint.waits or complaint.reopenings)


def complaint_facts(complaint: Complaint) -> ComplaintFacts:
    """A complaint's indicator facts (`ComplaintFacts`), read from the record itself."""
    resolution = complaint.resolution_time()
    received = _us(complaint.received_at)
    assert received is not None
    return ComplaintFacts(
        id=complaint.id,
        store_id=complaint.store_id,
        channel=complaint.channel,
        category=complaint.category,
        customer_id=complaint.customer_id,
        received_us=received,
        resolution_us=None if resolution is None else resolution // timedelta(microseconds=1),
    )


def complaint_timing(complaint: Complaint, tier: str | None) -> ComplaintTiming:
    """A complaint's timing (`ComplaintTiming`), read from the record itself."""
    return ComplaintTiming(
        id=complaint.id,
        store_id=complaint.store_id,
        channel=complaint.channel,
        tier=tier,
        received_at=_utc(complaint.received_at),
        acknowledged_at=_utc(complaint.acknowledged_at),
        closed_at=_utc(complaint.closed_at),
        complaint=complaint if has_clock_stops(complaint) else None,
    )


def _utc(moment: datetime | None) -> Any:
    return utc_from_us(_us(moment))
