"""What every adapter derives from a complaint's history to select and order it by."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from retail_service_quality.service.complaints import Complaint, ComplaintState
from retail_service_quality.service.sla import TargetKind
from retail_service_quality.storage._time import instant_us

__all__ = ["complaint_row", "due_us"]

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
