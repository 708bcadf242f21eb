"""Arguments shared by the functions that measure a store's records."""

from __future__ import annotations

from collections.abc import Mapping

from retail_service_quality._internal.validation import check_id
from retail_service_quality.errors import Problems, join_path

__all__ = ["check_units"]


def check_units(value: object, problems: Problems) -> dict[str, str]:
    """Each store's business unit from ``value`` (``None``: no mapping), every problem added
    at ``$.business_units.<store>``.

    Examples:
        >>> problems = Problems()
        >>> check_units({"S1": "north", "S2": 3}, problems), [p.path for p in problems]
        ({'S1': 'north'}, ['$.business_units.S2'])
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.add("$.business_units", "must be a mapping of store id to business unit", "type")
        return {}
    found: dict[str, str] = {}
    for store, unit in value.items():
        path = join_path("$.business_units", store if isinstance(store, str) else "?")
        count = len(problems)
        if not isinstance(store, str):
            problems.add(path, "must be keyed by a store id (text)", "type")
            continue
        check_id(store, path, problems)
        check_id(unit, path, problems)
        if len(problems) == count:
            found[store] = unit
    return found
