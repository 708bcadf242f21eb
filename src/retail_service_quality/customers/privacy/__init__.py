"""Privacy law, one jurisdiction a module, and the decisions it gives.

Each module states the rules of one law as `PrivacyRule` constants, each
citing its section and the date from which it applies, and lists them in
``RULES``: `pdpo` (Hong Kong) and `gdpr` (the European Union).
`JURISDICTIONS` maps the code a caller passes (``law="pdpo"``) to its module.

The entry points are pure functions over a customer's consent ledger and
the records of what was done with their data: `decide_marketing`,
`decide_provision` (each a `retail_service_quality.rules.Decision`),
`cease_notices` and `correction_recipients` (the `RecipientNotice` owed to
each past recipient).

Examples:
    >>> sorted(JURISDICTIONS)
    ['gdpr', 'pdpo']
    >>> JURISDICTIONS["pdpo"].NAME
    'Personal Data (Privacy) Ordinance (Cap. 486), Hong Kong'
    >>> JURISDICTIONS["pdpo"].OPT_OUT.applies_from
    datetime.date(2013, 4, 1)
"""

from __future__ import annotations

from types import MappingProxyType, ModuleType
from typing import Final

from retail_service_quality.customers.privacy import gdpr, pdpo
from retail_service_quality.customers.privacy._common import PrivacyRule
from retail_service_quality.customers.privacy._decide import (
    RecipientNotice,
    cease_notices,
    correction_recipients,
    decide_marketing,
    decide_provision,
)

__all__ = [
    "JURISDICTIONS",
    "PrivacyRule",
    "RecipientNotice",
    "cease_notices",
    "correction_recipients",
    "decide_marketing",
    "decide_provision",
]

JURISDICTIONS: Final[MappingProxyType[str, ModuleType]] = MappingProxyType(
    {pdpo.CODE: pdpo, gdpr.CODE: gdpr}
)
"""Every supported privacy law, by its code."""
