"""Public holidays by country, from the `holidays` package.

A country code is looked up directly in the package's registry of country
classes, so checking one imports only that country's module (listing every
supported country imports them all and takes tens of milliseconds).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any, Final

import attrs
from holidays import registry

from retail_service_quality.errors import Problems, join_path

__all__ = ["CountryHolidays", "check_country", "public_holidays"]

_FIRST_YEAR: Final = 1
_LAST_YEAR: Final = 9_999
# Years of holidays a calendar keeps; when that many are kept, they are dropped together.
_MAX_CACHED_YEARS: Final = 256


@cache
def _codes() -> Mapping[str, tuple[str, str]]:
    """ISO 3166-1 alpha-2 code -> (module name, class name), from the registry's table."""
    found: dict[str, tuple[str, str]] = {}
    for module, names in registry.COUNTRIES.items():
        class_name, alpha2 = names[0], names[1]
        found[alpha2] = (module, class_name)
    return found


@cache
def _country_class(code: str) -> Any:
    module, class_name = _codes()[code]
    return getattr(importlib.import_module(f"holidays.countries.{module}"), class_name)


def _subdivisions(cls: Any) -> frozenset[str]:
    aliases = getattr(cls, "subdivisions_aliases", {}) or {}
    return frozenset(cls.subdivisions) | frozenset(aliases)


@attrs.define(eq=False)
class CountryHolidays:
    """One country's (and subdivision's) public holidays, read a year at a time and kept."""

    country: str
    subdivision: str | None
    categories: tuple[str, ...] | None
    _years: dict[int, frozenset[date]] = attrs.field(factory=dict, init=False, repr=False)

    def in_year(self, year: int) -> frozenset[date]:
        """The holidays of one year (none outside the years the package covers)."""
        found = self._years.get(year)
        if found is None:
            found = self._compute([year])
            if len(self._years) >= _MAX_CACHED_YEARS:
                self._years.clear()
            self._years[year] = found
        return found

    def _compute(self, years: list[int]) -> frozenset[date]:
        kwargs: dict[str, Any] = {"subdiv": self.subdivision, "years": years}
        if self.categories is not None:
            kwargs["categories"] = self.categories
        return frozenset(_country_class(self.country)(**kwargs).keys())


def _categories(value: object, path: str, problems: Problems) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        problems.add(path, "must be a list of holiday category names, or null", "type")
        return None
    items = tuple(value)
    ok = True
    for index, item in enumerate(items):
        if not isinstance(item, str):
            problems.add(join_path(path, index), "must be a holiday category name", "type")
            ok = False
    return items if ok else None


def check_country(
    country: object,
    subdivision: object,
    categories: object,
    problems: Problems,
    *,
    paths: tuple[str, str, str],
    required: bool,
) -> CountryHolidays | None:
    """Check a country, subdivision and categories together; the holidays if all are good.

    Examples:
        >>> problems = Problems()
        >>> paths = ("$.country", "$.subdivision", "$.categories")
        >>> check_country("GB", "ENG", None, problems, paths=paths, required=True).country
        'GB'
        >>> check_country("XX", None, 5, problems, paths=paths, required=True)
        >>> [problem.path for problem in problems]
        ['$.country', '$.categories']
    """
    country_path, subdivision_path, categories_path = paths
    before = len(problems)
    known_country = isinstance(country, str) and country in _codes()
    if country is None and not required:
        if subdivision is not None or categories is not None:
            problems.add(
                country_path,
                "is required when a subdivision or categories are given",
                "required",
            )
    elif not known_country:
        if country is None:
            code = "required"
        else:
            code = "unknown_choice" if isinstance(country, str) else "type"
        problems.add(
            country_path,
            "must be an ISO 3166-1 alpha-2 country code the holidays package knows, such as 'HK'",
            code,
        )
    if subdivision is not None and not isinstance(subdivision, str):
        problems.add(subdivision_path, "must be a subdivision code, or null", "type")
    category_tuple = _categories(categories, categories_path, problems)
    if not known_country:
        return None
    assert isinstance(country, str)
    cls = _country_class(country)
    if isinstance(subdivision, str) and subdivision not in _subdivisions(cls):
        known = ", ".join(sorted(cls.subdivisions)) or "none"
        problems.add(
            subdivision_path, f"must be a subdivision of {country}: {known}", "unknown_choice"
        )
    if category_tuple is not None:
        known_categories = tuple(cls.supported_categories)
        for index, category in enumerate(category_tuple):
            if category not in known_categories:
                problems.add(
                    join_path(categories_path, index),
                    f"must be a holiday category of {country}: " + ", ".join(known_categories),
                    "unknown_choice",
                )
    if len(problems) > before:
        return None
    return CountryHolidays(country, subdivision, category_tuple)  # type: ignore[arg-type]


def public_holidays(
    country: str,
    years: Iterable[int],
    *,
    subdivision: str | None = None,
    categories: Iterable[str] | None = None,
) -> frozenset[date]:
    """The public holidays of a country (and subdivision) in the given years.

    Taken from the `holidays` package. ``categories`` selects the package's
    holiday categories where a country has several; by default the package's
    own default (for Hong Kong, ``"public"``: the statutory holidays; the
    general holidays that banks and offices keep are ``["optional"]``).
    Years the package has no data for have no holidays.

    Examples:
        >>> from datetime import date
        >>> hk = public_holidays("HK", [2026])
        >>> date(2026, 10, 1) in hk
        True
        >>> sorted(public_holidays("GB", [2026], subdivision="ENG"))[:2]
        [datetime.date(2026, 1, 1), datetime.date(2026, 4, 3)]

    Raises:
        ValidationError: an unknown country, subdivision or category, or a
            year that is not an integer from 1 to 9999, all reported together.
    """
    problems = Problems()
    year_list: list[int] = []
    if isinstance(years, str | bytes | bytearray | Mapping) or not isinstance(years, Iterable):
        problems.add("$.years", "must be a list of years", "type")
    else:
        for index, year in enumerate(years):
            if (
                isinstance(year, bool)
                or not isinstance(year, int)
                or not _FIRST_YEAR <= year <= _LAST_YEAR
            ):
                problems.add(
                    join_path("$.years", index),
                    "must be a year from 1 to 9999",
                    "range" if isinstance(year, int) and not isinstance(year, bool) else "type",
                )
            else:
                year_list.append(year)
    found = check_country(
        country,
        subdivision,
        categories,
        problems,
        paths=("$.country", "$.subdivision", "$.categories"),
        required=True,
    )
    problems.raise_if_any()
    assert found is not None
    return found._compute(sorted(set(year_list))) if year_list else frozenset()
