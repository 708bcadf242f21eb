"""Customers: who they are, how to reach them, and which of that is personal data.

A `Customer` is an entity: it has an ``id`` and a ``version`` that storage
uses for optimistic concurrency, and it is immutable: a change is a new
value (`Customer.evolve`), saved through a repository.

Fields that hold personal data (the name, the contact points, the preferred
channel and language, the date of birth, preferences and staff notes) are
marked as such with their class (``metadata=personal(PersonalDataClass.CONTACT)``):
they are masked in reprs, and never appear in logs, exception messages or
analytics exports. `Customer.anonymised` blanks them all.

Examples:
    >>> from datetime import datetime, timezone
    >>> customer = Customer(
    ...     id="C-1001",
    ...     name="Chan Tai Man",
    ...     contacts=[ContactPoint("email", "tm.chan@example.com")],
    ...     created_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
    ...     home_store_id="HK-CWB",
    ... )
    >>> customer
    Customer(id='C-1001', name='***', contacts='***', preferred_channel=None, preferred_language=None, home_store_id='HK-CWB', tier='standard', tier_joined_on=None, join_method=None, date_of_birth=None, preferences=(), staff_notes=None, created_at=datetime.datetime(2026, 11, 1, 0, 0, tzinfo=datetime.timezone.utc), erased_at=None, version=1)
    >>> customer.email
    'tm.chan@example.com'
    >>> personal_fields(Customer)
    ('name', 'contacts', 'preferred_channel', 'preferred_language', 'date_of_birth', 'preferences', 'staff_notes')
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, Final

import attrs

from retail_service_quality._internal.personal import PersonalDataClass, personal, personal_data
from retail_service_quality._internal.schema import (
    ANY,
    EMAIL,
    END,
    IDENTIFIER,
    SPACES,
    VERSION,
    schema,
)
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_id_list,
    check_text,
    check_version,
    is_text,
    lenient_enum,
    masked,
    raise_problems,
)
from retail_service_quality.customers.consent import DataKind, MarketingChannel
from retail_service_quality.errors import Problems, ValidationError, join_path

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "ContactPoint",
    "Customer",
    "JoinMethod",
    "personal_fields",
]

EARLIEST_BIRTH_DATE: Final = date(1900, 1, 1)
"""The earliest date of birth a `Customer` accepts."""

_NOT_SPACE = "[^" + SPACES + "]"
_EMAIL_PATTERN: Final[str] = EMAIL["schema"]["pattern"]
_NON_BLANK_PATTERN: Final = "^" + ANY + "*" + _NOT_SPACE + ANY + "*" + END
_NUMBER_PATTERN: Final = "^[ (]*[+]?[ ()-]*(?:[0-9][ ()-]*){6,20}" + END
_LANGUAGE_PATTERN: Final = "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*" + END
_EMAIL: Final = re.compile(_EMAIL_PATTERN)
_NUMBER: Final = re.compile(_NUMBER_PATTERN)
_LANGUAGE: Final = re.compile(_LANGUAGE_PATTERN)

_NUMBER_RULE: Final = (
    _NUMBER,
    'must be a number of 6 to 20 digits, with an optional "+" before the first digit; '
    "spaces, hyphens and brackets allowed",
)
_TEXT_RULE: Final = (None, "must be non-empty text")
_VALUE_RULES: Final[dict[DataKind, tuple[re.Pattern[str] | None, str]]] = {
    DataKind.EMAIL: (
        _EMAIL,
        'must be an email address: one "@" with text on either side, a dot in the domain, '
        "no spaces",
    ),
    DataKind.MOBILE_NUMBER: _NUMBER_RULE,
    DataKind.FAX: _NUMBER_RULE,
    DataKind.POSTAL_ADDRESS: _TEXT_RULE,
    DataKind.SOCIAL_HANDLE: _TEXT_RULE,
}
_CONTACT_KINDS: Final = ", ".join(kind.value for kind in _VALUE_RULES)


def personal_fields(cls: type) -> tuple[str, ...]:
    """The names of an attrs class's fields that hold personal data.

    Examples:
        >>> personal_fields(ContactPoint)
        ('value',)

    Raises:
        ValidationError: ``cls`` is not an attrs record type.
    """
    return tuple(personal_data(cls))


class JoinMethod(StrEnum):
    """How a customer joined their loyalty tier.

    Examples:
        >>> JoinMethod("in_store") is JoinMethod.IN_STORE
        True
    """

    SIGN_UP_FORM = "sign_up_form"
    """By filling in a sign-up form."""
    IN_STORE = "in_store"
    """At a counter in a store."""
    ONLINE = "online"
    """On the retailer's website."""
    APP = "app"
    """In the retailer's mobile app."""
    PURCHASE_THRESHOLD = "purchase_threshold"
    """By spending past a threshold."""
    INVITATION = "invitation"
    """On the retailer's invitation."""
    IMPORTED = "imported"
    """Brought in from another system."""


def _data_kind(value: DataKind | str) -> DataKind:
    return lenient_enum(DataKind, value)


def _stripped(value: str) -> str:
    return value.strip() if isinstance(value, str) else value


def _check_contact_value(kind: object, value: object, path: str, problems: Problems) -> None:
    """A contact point's value as its kind wants it (``value`` already stripped)."""
    if not isinstance(kind, DataKind) or kind not in _VALUE_RULES:
        return  # the kind is reported on its own
    if not is_text(value):
        problems.add(path, "must be text", "type" if not isinstance(value, str) else "format")
        return
    assert isinstance(value, str)
    pattern, message = _VALUE_RULES[kind]
    if not value or (pattern is not None and pattern.match(value) is None):
        problems.add(path, message, "format")


@attrs.frozen
class ContactPoint:
    """One way to reach a customer: a kind of contact data and its value.

    The value is stripped of edge spaces; it must suit its kind: an email
    address has one ``@`` with text on either side, a dot in the domain and no
    spaces; a mobile or fax number has 6 to 20 digits, an optional leading
    ``+``, and may hold spaces, hyphens and brackets; a postal address or a
    social handle is non-empty text. A name is not a contact point.

    Attributes:
        kind: the kind of contact data (mobile number, email, postal address,
            social handle, fax).
        value: the address, number or handle (personal data).

    Examples:
        >>> point = ContactPoint("mobile_number", " +852 5555-0101 ")
        >>> point, point.value
        (ContactPoint(kind=<DataKind.MOBILE_NUMBER: 'mobile_number'>, value='***'), '+852 5555-0101')
        >>> ContactPoint("email", "no-at-sign")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.value: must be an email address: one "@" with text on either side, a dot in the domain, no spaces

    Raises:
        ValidationError: every problem, with its path (never the value).
    """  # noqa: E501

    kind: DataKind = attrs.field(
        default=REQUIRED,
        converter=_data_kind,
        metadata=schema(enum=[kind.value for kind in _VALUE_RULES]),
    )
    value: str = attrs.field(
        default=REQUIRED,
        converter=_stripped,
        repr=masked,
        metadata={
            **personal(PersonalDataClass.CONTACT),
            **schema(
                anyOf=[
                    {"title": "email", "pattern": _EMAIL_PATTERN},
                    {"title": "mobile_number or fax", "pattern": _NUMBER_PATTERN},
                    {"title": "postal_address or social_handle", "pattern": _NON_BLANK_PATTERN},
                ],
                description="an email address (one @, a dot in the domain, no spaces); a "
                "mobile or fax number (6 to 20 digits, optional leading +, spaces, hyphens, "
                "brackets); or non-empty text for a postal address or social handle",
            ),
        },
    )

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_contact(self.kind, self.value, "$", problems)
        raise_problems(self, problems)


def _check_contact(kind: object, value: object, path: str, problems: Problems) -> None:
    if isinstance(kind, DataKind) and kind not in _VALUE_RULES:
        problems.add(
            join_path(path, "kind"), f"must be a contact point: one of {_CONTACT_KINDS}", "invalid"
        )
    elif not isinstance(kind, DataKind):
        code = "unknown_choice" if isinstance(kind, str) else "type"
        problems.add(join_path(path, "kind"), f"must be one of: {_CONTACT_KINDS}", code)
    _check_contact_value(kind, value, join_path(path, "value"), problems)


def _contacts(value: Iterable[ContactPoint]) -> tuple[ContactPoint, ...]:
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    return value  # type: ignore[return-value]  # a tuple, or reported by validation


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    return value  # type: ignore[return-value]


def _channel(value: MarketingChannel | str | None) -> MarketingChannel | None:
    return lenient_enum(MarketingChannel, value)


def _join_method(value: JoinMethod | str | None) -> JoinMethod | None:
    return lenient_enum(JoinMethod, value)


def _masked_items(value: Any) -> str:
    """A personal tuple in a repr: empty, or set (never what it holds)."""
    return "()" if value == () else masked(value)


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _check_day(value: object, path: str, problems: Problems) -> bool:
    """An optional date (not a datetime); whether it is one."""
    if value is None:
        return False
    if not _is_day(value):
        problems.add(path, "must be a date", "type")
        return False
    return True


def _day_argument(value: object, name: str) -> date:
    if not _is_day(value):
        raise ValidationError.single(f"$.{name}", "must be a date", "type")
    assert isinstance(value, date)
    return value


@attrs.frozen(kw_only=True)
class Customer:
    """A customer of the retailer.

    Attributes:
        id: the customer's identifier, unique in the store.
        name: the name the customer gave, if any (personal data: identifier).
        contacts: the ways to reach the customer, distinct by kind and value, in the
            order given (personal data: contact).
        preferred_channel: the marketing channel the customer prefers, if said
            (personal data: preference).
        preferred_language: the language the customer prefers, a BCP 47 tag such as
            ``"zh-Hant-HK"``, if said (personal data: preference).
        home_store_id: the store the customer is attached to, if any.
        tier: the loyalty tier, such as ``"standard"`` or ``"vip"``.
        tier_joined_on: the day the customer joined that tier, if known; not before the
            date of birth.
        join_method: how the customer joined the tier, if known.
        date_of_birth: the date of birth, where given (personal data: demographic); from
            1900-01-01 to the day the record was created (in ``created_at``'s zone).
        preferences: what the customer likes or needs, as identifiers such as
            ``"skincare"`` (personal data: preference).
        staff_notes: needs recorded by staff (personal data: free text).
        created_at: when the record was created (timezone-aware).
        erased_at: when the record was anonymised, if it was (timezone-aware, not before
            ``created_at``).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> created = datetime(2026, 11, 1, tzinfo=timezone.utc)
        >>> customer = Customer(id="C-1", name="Wong", created_at=created,
        ...     date_of_birth=date(2010, 3, 1))
        >>> customer.evolve(tier="vip").tier
        'vip'
        >>> customer.is_minor_on(date(2026, 11, 1))
        True

    Raises:
        ValidationError: every problem, with its path (never the value).
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    name: str | None = attrs.field(
        default=None, repr=masked, metadata=personal(PersonalDataClass.IDENTIFIER)
    )
    contacts: tuple[ContactPoint, ...] = attrs.field(
        default=(),
        converter=_contacts,
        repr=_masked_items,
        metadata=personal(PersonalDataClass.CONTACT),
    )
    preferred_channel: MarketingChannel | None = attrs.field(
        default=None,
        converter=_channel,
        repr=masked,
        metadata=personal(PersonalDataClass.PREFERENCE),
    )
    preferred_language: str | None = attrs.field(
        default=None,
        repr=masked,
        metadata={**personal(PersonalDataClass.PREFERENCE), **schema(pattern=_LANGUAGE_PATTERN)},
    )
    home_store_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    tier: str = attrs.field(default="standard", metadata=IDENTIFIER)
    tier_joined_on: date | None = None
    join_method: JoinMethod | None = attrs.field(default=None, converter=_join_method)
    date_of_birth: date | None = attrs.field(
        default=None, repr=masked, metadata=personal(PersonalDataClass.DEMOGRAPHIC)
    )
    preferences: tuple[str, ...] = attrs.field(
        default=(),
        converter=_ids,
        repr=_masked_items,
        metadata={**personal(PersonalDataClass.PREFERENCE), **schema(items=IDENTIFIER["schema"])},
    )
    staff_notes: str | None = attrs.field(
        default=None, repr=masked, metadata=personal(PersonalDataClass.FREE_TEXT)
    )
    created_at: datetime = attrs.field(default=REQUIRED)
    erased_at: datetime | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_text(self.name, "$.name", problems, optional=True)
        self._check_contacts(problems)
        if self.preferred_channel is not None:
            check_enum(self.preferred_channel, MarketingChannel, "$.preferred_channel", problems)
        language = self.preferred_language
        if language is not None and (
            not isinstance(language, str) or not _LANGUAGE.match(language)
        ):
            problems.add(
                "$.preferred_language",
                "must be a BCP 47 language tag such as zh-Hant-HK",
                "format" if isinstance(language, str) else "type",
            )
        check_id(self.home_store_id, "$.home_store_id", problems, optional=True)
        check_id(self.tier, "$.tier", problems)
        if self.join_method is not None:
            check_enum(self.join_method, JoinMethod, "$.join_method", problems)
        check_id_list(self.preferences, "$.preferences", problems, required=False)
        check_text(self.staff_notes, "$.staff_notes", problems, optional=True)
        check_aware(self.created_at, "$.created_at", problems)
        if self.erased_at is not None:
            check_aware(self.erased_at, "$.erased_at", problems)
        check_version(self.version, problems)
        self._check_dates(problems)
        self._check_erased(problems)
        raise_problems(self, problems)

    def _check_contacts(self, problems: Problems) -> None:
        if not isinstance(self.contacts, tuple):
            problems.add("$.contacts", "must be a list of contact points", "type")
            return
        seen: set[tuple[DataKind, str]] = set()
        for index, point in enumerate(self.contacts):
            path = join_path("$.contacts", index)
            if not isinstance(point, ContactPoint):
                problems.add(path, "must be a contact point", "type")
                continue
            key = (point.kind, point.value)
            if key in seen:
                problems.add(path, "repeats a contact point of the same kind", "duplicate")
            seen.add(key)

    def _check_dates(self, problems: Problems) -> None:
        born = (
            self.date_of_birth
            if _check_day(self.date_of_birth, "$.date_of_birth", problems)
            else None
        )
        joined = _check_day(self.tier_joined_on, "$.tier_joined_on", problems)
        if born is None:
            return
        if born < EARLIEST_BIRTH_DATE:
            problems.add("$.date_of_birth", "must not be before 1900-01-01", "range")
        created = self.created_at
        if isinstance(created, datetime) and created.tzinfo is not None and born > created.date():
            problems.add(
                "$.date_of_birth", "must not be after the day the record was created", "range"
            )
        if joined and self.tier_joined_on is not None and self.tier_joined_on < born:
            problems.add("$.tier_joined_on", "must not be before the date of birth", "range")

    def _check_erased(self, problems: Problems) -> None:
        if (
            isinstance(self.erased_at, datetime)
            and isinstance(self.created_at, datetime)
            and self.erased_at.tzinfo is not None
            and self.created_at.tzinfo is not None
            and self.erased_at < self.created_at
        ):
            problems.add("$.erased_at", "must not be before created_at", "range")

    # Cached properties, which attrs keeps in slots: unlike a `property`, they are not
    # columns of record exports, so these personal values stay out of them.
    @cached_property
    def email(self) -> str | None:
        """The first email address, if any (read-only: change ``contacts``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> Customer(id="C-1", contacts=[ContactPoint("email", "a@example.com")],
            ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)).email
            'a@example.com'
        """
        return self.contact(DataKind.EMAIL)

    @cached_property
    def phone(self) -> str | None:
        """The first mobile number, if any (read-only: change ``contacts``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> Customer(id="C-1", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)).phone
        """
        return self.contact(DataKind.MOBILE_NUMBER)

    def contact(self, kind: DataKind | str) -> str | None:
        """The value of the first contact point of a kind, if the customer gave one.

        Examples:
            >>> from datetime import datetime, timezone
            >>> customer = Customer(id="C-1",
            ...     contacts=[ContactPoint("fax", "2555 0101"), ContactPoint("fax", "2555 0102")],
            ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> customer.contact("fax"), customer.contact("email")
            ('2555 0101', None)

        Raises:
            ValidationError: ``kind`` is not a kind of contact data.
        """
        wanted = lenient_enum(DataKind, kind) if isinstance(kind, str) else kind
        if not isinstance(wanted, DataKind):
            raise ValidationError.single("$.kind", f"must be one of: {_CONTACT_KINDS}", "type")
        for point in self.contacts:
            if point.kind is wanted:
                return point.value
        return None

    def age_on(self, day: date) -> int | None:
        """The customer's age in whole years on a day; None without a date of birth.

        A birthday on 29 February falls on 1 March in other years.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> customer = Customer(id="C-1", date_of_birth=date(2008, 2, 29),
            ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> customer.age_on(date(2026, 2, 28)), customer.age_on(date(2026, 3, 1))
            (17, 18)

        Raises:
            ValidationError: ``day`` is not a date, or is before the date of birth.
        """
        on = _day_argument(day, "day")
        born = self.date_of_birth
        if born is None:
            return None
        if on < born:
            raise ValidationError.single("$.day", "must not be before the date of birth", "range")
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def is_minor_on(self, day: date, *, age_of_majority: int = 18) -> bool | None:
        """Whether the customer is under ``age_of_majority`` on a day; None if unknown.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> customer = Customer(id="C-1", date_of_birth=date(2008, 11, 30),
            ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> customer.is_minor_on(date(2026, 11, 29)), customer.is_minor_on(date(2026, 11, 30))
            (True, False)

        Raises:
            ValidationError: ``day`` is not a date, or ``age_of_majority`` not 1 to 150.
        """
        if (
            isinstance(age_of_majority, bool)
            or not isinstance(age_of_majority, int)
            or not 1 <= age_of_majority <= 150
        ):
            raise ValidationError.single(
                "$.age_of_majority", "must be a whole number of years from 1 to 150", "range"
            )
        age = self.age_on(day)
        return None if age is None else age < age_of_majority

    def anonymised(self, fields: Iterable[str] | None = None, *, at: datetime) -> Customer:
        """A copy with personal fields blanked (None, or empty), erased at ``at``.

        ``fields`` names the personal fields to blank (`personal_fields`);
        all of them when left out. The id, tier, dates of the record and
        version stay.

        Examples:
            >>> from datetime import datetime, timezone
            >>> created = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> customer = Customer(id="C-1", name="Wong", staff_notes="prefers mornings",
            ...     contacts=[ContactPoint("email", "w@example.com")], created_at=created)
            >>> erased = customer.anonymised(at=datetime(2026, 6, 1, tzinfo=timezone.utc))
            >>> erased.name, erased.contacts, erased.staff_notes, erased.erased_at.month
            (None, (), None, 6)
            >>> customer.anonymised(["tier"], at=created)
            Traceback (most recent call last):
            ...
            retail_service_quality.errors.ValidationError: $.fields[0]: must name a personal field: name, contacts, preferred_channel, preferred_language, date_of_birth, preferences, staff_notes

        Raises:
            ValidationError: a name that is not a personal field, or ``at`` not an aware
                datetime at or after ``created_at``.
        """  # noqa: E501
        personal_names = personal_fields(Customer)
        if fields is None:
            names: tuple[Any, ...] = personal_names
        elif isinstance(fields, str | bytes) or not isinstance(fields, Iterable):
            raise ValidationError.single("$.fields", "must be a list of field names", "type")
        else:
            names = tuple(fields)
        problems = Problems()
        for index, name in enumerate(names):
            if not isinstance(name, str) or name not in personal_names:
                problems.add(
                    join_path("$.fields", index),
                    "must name a personal field: " + ", ".join(personal_names),
                    "unknown_choice" if isinstance(name, str) else "type",
                )
        check_aware(at, "$.at", problems)
        if not problems and isinstance(self.created_at, datetime) and at < self.created_at:
            problems.add("$.at", "must not be before the record was created", "range")
        problems.raise_if_any()
        blank: dict[str, Any] = {name: () if name in _TUPLES else None for name in names}
        return attrs.evolve(self, erased_at=at, **blank)

    def evolve(self, **changes: Any) -> Customer:
        """A copy with some fields changed, validated again.

        Examples:
            >>> from datetime import datetime, timezone
            >>> created = datetime(2026, 11, 1, tzinfo=timezone.utc)
            >>> customer = Customer(id="C-1", name="Wong", created_at=created)
            >>> phone = ContactPoint("mobile_number", "+852 5555 0000")
            >>> customer.evolve(contacts=[*customer.contacts, phone]).phone
            '+852 5555 0000'
        """
        return attrs.evolve(self, **changes)


_TUPLES: Final = frozenset({"contacts", "preferences"})
