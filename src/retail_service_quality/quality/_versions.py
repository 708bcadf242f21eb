"""What versioned records (pledges, controlled documents) share: the version in force at an
instant, and withdrawal.

Examples:
    >>> from datetime import datetime, timezone
    >>> version_at((), None, datetime(2026, 1, 1, tzinfo=timezone.utc)) is None
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from retail_service_quality._internal.times import instant_problem
from retail_service_quality._internal.validation import check_aware
from retail_service_quality.errors import InvalidTransitionError, Problems, ValidationError

__all__ = ["check_end", "check_withdrawal", "version_at"]

V = TypeVar("V")


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def version_at(versions: Sequence[V], ends_at: datetime | None, at: object) -> V | None:
    """The last of ``versions`` (in the order they take effect) taking effect at or before the
    instant ``at``; ``None`` before the first or from ``ends_at`` on. Instants are compared
    as instants, never wall clocks.

    Raises:
        ValidationError: ``at`` is not an aware datetime in the supported range (``$.at``).
    """
    problems = Problems()
    check_aware(at, "$.at", problems)
    problems.raise_if_any()
    assert isinstance(at, datetime)
    moment = _instant(at)
    if ends_at is not None and moment >= _instant(ends_at):
        return None
    found: V | None = None
    for item in versions:
        effective: Any = getattr(item, "effective_from")  # noqa: B009 - any versioned record
        if _instant(effective) > moment:
            break
        found = item
    return found


def check_withdrawal(ends_at: datetime | None, latest: datetime, at: object, noun: str) -> None:
    """Refuse to withdraw a record withdrawn already, or from an instant not after its latest
    version takes effect (``latest``).

    Raises:
        InvalidTransitionError: the record is withdrawn already.
        ValidationError: ``at`` is not an aware datetime after ``latest`` (``$.at``).
    """
    if ends_at is not None:
        raise InvalidTransitionError(f"cannot withdraw a {noun} that is withdrawn already")
    problems = Problems()
    check_aware(at, "$.at", problems)
    problems.raise_if_any()
    assert isinstance(at, datetime)
    if _instant(at) <= _instant(latest):
        raise ValidationError.single(
            "$.at", "must be later than the latest version takes effect", "inconsistent"
        )


def check_end(
    ends_at: datetime | None, versions: object, version_type: type, problems: Problems
) -> None:
    """Record a problem at ``$.ends_at`` unless it is None, or an aware instant after the
    latest of ``versions`` takes effect."""
    if ends_at is None:
        return
    check_aware(ends_at, "$.ends_at", problems)
    latest = versions[-1] if isinstance(versions, tuple) and versions else None
    if (
        isinstance(latest, version_type)
        and instant_problem(ends_at) is None
        and _instant(ends_at) <= _instant(latest.effective_from)  # type: ignore[attr-defined]
    ):
        problems.add(
            "$.ends_at", "must be later than the latest version takes effect", "inconsistent"
        )
