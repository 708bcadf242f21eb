"""Customers: who they are, how to reach them, and which of that is personal data.

A `Customer` is an entity: it has an ``id`` and a ``version`` that storage
uses for optimistic concurrency, and it is immutable: a change is a new
value (`Customer.evolve`), saved through a repository.

Fields that hold personal data (name, email, phone) are marked as such
with their class (``metadata=personal(PersonalDataClass.CONTACT)``): they are masked in reprs, and never appear
in logs, exception messages or analytics exports.

Examples:
    >>> from datetime import datetime, timezone
    >>> customer = Customer(
    ...     id="C-1001",
    ...     name="Chan Tai Man",
    ...     email="tm.chan@example.com",
    ...     created_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
    ...     home_store_id="HK-CWB",
    ... )
    >>> customer
    Customer(id='C-1001', name='***', email='***', phone=None, home_store_id='HK-CWB', tier='standard', created_at=datetime.datetime(2026, 11, 1, 0, 0, tzinfo=datetime.timezone.utc), version=1)
    >>> personal_fields(Customer)
    ('name', 'email', 'phone')
"""  # noqa: E501

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from retail_service_quality._internal.personal import PersonalDataClass, personal
from retail_service_quality._internal.schema import EMAIL, IDENTIFIER, VERSION
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_id,
    check_text,
    check_version,
    is_text,
    masked,
    raise_problems,
)
from retail_service_quality.errors import Problems

__all__ = ["Customer", "personal_fields"]


def personal_fields(cls: type) -> tuple[str, ...]:
    """The names of an attrs class's fields that hold personal data.

    Examples:
        >>> personal_fields(Customer)
        ('name', 'email', 'phone')
    """
    return tuple(field.name for field in attrs.fields(cls) if field.metadata.get("personal"))


@attrs.frozen(kw_only=True)
class Customer:
    """A customer of the retailer.

    Attributes:
        id: the customer's identifier, unique in the store.
        name: the name the customer gave (personal data).
        email: an email address, if the customer gave one (personal data).
        phone: a phone number, if the customer gave one (personal data).
        home_store_id: the store the customer is attached to, if any.
        tier: the loyalty tier, such as ``"standard"`` or ``"vip"``.
        created_at: when the record was created (timezone-aware).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> created = datetime(2026, 11, 1, tzinfo=timezone.utc)
        >>> customer = Customer(id="C-1", name="Wong", created_at=created)
        >>> customer.evolve(tier="vip").tier
        'vip'

    Raises:
        ValidationError: every problem, with its path (never the value).
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    name: str = attrs.field(
        default=REQUIRED, repr=masked, metadata=personal(PersonalDataClass.IDENTIFIER)
    )
    email: str | None = attrs.field(
        default=None, repr=masked, metadata={**personal(PersonalDataClass.CONTACT), **EMAIL}
    )
    phone: str | None = attrs.field(
        default=None, repr=masked, metadata=personal(PersonalDataClass.CONTACT)
    )
    home_store_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    tier: str = attrs.field(default="standard", metadata=IDENTIFIER)
    created_at: datetime = attrs.field(default=REQUIRED)
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_text(self.name, "$.name", problems)
        if self.email is not None and (not is_text(self.email) or "@" not in self.email.strip("@")):
            problems.add(
                "$.email",
                "must be an email address",
                "format" if isinstance(self.email, str) else "type",
            )
        check_text(self.phone, "$.phone", problems, optional=True)
        check_id(self.home_store_id, "$.home_store_id", problems, optional=True)
        check_id(self.tier, "$.tier", problems)
        check_aware(self.created_at, "$.created_at", problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    def evolve(self, **changes: Any) -> Customer:
        """A copy with some fields changed, validated again.

        Examples:
            >>> from datetime import datetime, timezone
            >>> created = datetime(2026, 11, 1, tzinfo=timezone.utc)
            >>> customer = Customer(id="C-1", name="Wong", created_at=created)
            >>> customer.evolve(phone="+852 5555 0000").phone
            '+852 5555 0000'
        """
        return attrs.evolve(self, **changes)
