"""Privacy law, one jurisdiction a module.

Each module states the rules of one law, each rule citing its section and
carrying the date from which it applies: `pdpo` (Hong Kong) and `gdpr` (the
European Union). `JURISDICTIONS` maps the code a caller passes (``law="pdpo"``)
to its module.

Examples:
    >>> sorted(JURISDICTIONS)
    ['gdpr', 'pdpo']
    >>> JURISDICTIONS["pdpo"].NAME
    'Personal Data (Privacy) Ordinance (Cap. 486), Hong Kong'
"""

from __future__ import annotations

from types import MappingProxyType, ModuleType
from typing import Final

from retail_service_quality.customers.privacy import gdpr, pdpo

__all__ = ["JURISDICTIONS"]

JURISDICTIONS: Final[MappingProxyType[str, ModuleType]] = MappingProxyType(
    {pdpo.CODE: pdpo, gdpr.CODE: gdpr}
)
"""Every supported privacy law, by its code."""
