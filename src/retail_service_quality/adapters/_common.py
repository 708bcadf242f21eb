"""Logic that every adapter shares: grouping keys for summaries, checks of arguments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Final

from retail_service_quality.errors import Problems
from retail_service_quality.interactions import Channel
from retail_service_quality.ports import GroupBy, Period

__all__ = ["check_summary_arguments", "period_start", "summary_order"]

_GROUPS: Final = ("period", "store", "channel")
_PERIODS: Final = ("day", "week", "month")


def check_summary_arguments(
    group_by: Sequence[GroupBy], period: Period, utc_offset: timedelta
) -> None:
    problems = Problems()
    if isinstance(group_by, str) or not all(key in _GROUPS for key in group_by):
        problems.add("$.group_by", "must be a list drawn from 'period', 'store' and 'channel'")
    elif len(set(group_by)) != len(group_by):
        problems.add("$.group_by", "must not repeat a key")
    if period not in _PERIODS:
        problems.add("$.period", "must be 'day', 'week' or 'month'")
    if not isinstance(utc_offset, timedelta) or abs(utc_offset) >= timedelta(hours=24):
        problems.add("$.utc_offset", "must be a timedelta of less than 24 hours either way")
    elif utc_offset % timedelta(minutes=1):
        problems.add("$.utc_offset", "must be a whole number of minutes")
    problems.raise_if_any()


def period_start(moment: datetime, period: Period, utc_offset: timedelta) -> date:
    """The first day of the period containing ``moment``, read at ``utc_offset``."""
    day = moment.astimezone(timezone(utc_offset)).date()
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def summary_order(key: tuple[date | None, str | None, Channel | None]) -> tuple[str, str, str]:
    """The order of summary rows: by period, then store, then channel (code-point order)."""
    day, store, channel = key
    return (
        "" if day is None else day.isoformat(),
        store or "",
        "" if channel is None else channel.value,
    )
