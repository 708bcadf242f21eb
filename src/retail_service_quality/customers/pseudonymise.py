"""Keyed hashes of contact points and identifiers: suppression lists and pseudonymised exports.

A `KeyedHasher` holds the retailer's secret key (at least 32 random bytes)
and computes HMAC-SHA-256 digests:

- `KeyedHasher.digest` of a contact point, normalised first
  (`normalise_contact`), so that ``" Tm.Chan@Example.COM "`` and
  ``"tm.chan@example.com"`` give the same digest. The opt-out suppression
  list keeps these digests: it names no one, outlives the customer's
  erasure, and still blocks the same contact when it is imported again
  (`KeyedHasher.matches` compares in constant time).
- `KeyedHasher.pseudonym` of an identifier (a customer id), for analytics
  exports (`pseudonymised_records`).

The key is injected by the caller (from a secrets manager or an environment
variable) and never stored beside the data: nothing in the library writes
it, and it never shows in a repr or an error message. Whoever holds the key
can recompute every digest, so pseudonymised data is still personal data and
stays under the same rules (PDPO; GDPR recital 26 and Art. 4(5)).

Examples:
    >>> hasher = KeyedHasher(b"k" * 32)
    >>> hasher.digest("email", " Tm.Chan@Example.COM ") == hasher.digest(
    ...     "email", "tm.chan@example.com"
    ... )
    True
    >>> hasher
    KeyedHasher(key=<hidden>)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Final

from retail_service_quality._internal.personal import PersonalDataClass, personal_data
from retail_service_quality._internal.records import is_tabular_type
from retail_service_quality._internal.validation import is_text, lenient_enum
from retail_service_quality.customers._rows import rows_frame, rows_html
from retail_service_quality.customers.consent import DataKind
from retail_service_quality.errors import Problems, RSQError, ValidationError
from retail_service_quality.serialization._records import to_records

__all__ = [
    "MIN_KEY_BYTES",
    "KeyedHasher",
    "PseudonymisedRecords",
    "normalise_contact",
    "pseudonymised_records",
]

MIN_KEY_BYTES: Final = 32
"""The shortest key `KeyedHasher` accepts: 32 bytes, the output size of SHA-256."""

_DIGEST: Final = re.compile(r"\A[0-9a-f]{64}\Z")
_CONTACT_KINDS: Final = ", ".join(kind.value for kind in DataKind if kind is not DataKind.NAME)
_MAX_CONTACT = 1000


def _check_kind(kind: object, path: str, problems: Problems) -> DataKind | None:
    value = lenient_enum(DataKind, kind) if isinstance(kind, str) else kind
    if not isinstance(value, DataKind) or value is DataKind.NAME:
        code = "unknown_choice" if isinstance(kind, str) else "type"
        problems.add(path, f"must be a kind of contact point: {_CONTACT_KINDS}", code)
        return None
    return value


def _digits(text: str) -> str:
    """Every decimal digit of ``text`` (full-width and other scripts too) as ASCII."""
    return "".join(
        str(unicodedata.decimal(ch)) for ch in text if unicodedata.decimal(ch, None) is not None
    )


def _normalised(kind: DataKind, value: str) -> str:
    if kind is DataKind.EMAIL:
        return value.strip().lower()
    if kind in (DataKind.MOBILE_NUMBER, DataKind.FAX):
        stripped = value.strip().lstrip(" (\uff08")  # "(+852) 5123 4567" keeps its "+"
        plus = "+" if stripped.startswith(("+", "\uff0b")) else ""
        digits = _digits(stripped)
        return plus + digits if digits else ""
    if kind is DataKind.POSTAL_ADDRESS:
        return " ".join(value.split()).casefold()
    # A social handle: spaces and leading at signs, in any order, all go.
    handle = value
    while True:
        trimmed = handle.strip().lstrip("@\uff20")
        if trimmed == handle:
            return handle.casefold()
        handle = trimmed


def normalise_contact(kind: DataKind | str, value: str) -> str:
    """A contact point in the one form its keyed hash is computed from.

    - email: trimmed and lower-cased;
    - mobile number, fax: its digits only (any script's decimal digits,
      written as ASCII), with a leading ``+`` kept;
    - postal address: runs of whitespace folded to one space, trimmed, and
      case-folded;
    - social handle: trimmed, leading ``@`` dropped (and the spaces among
      them), case-folded.

    Normalising twice gives the same text as normalising once.

    Examples:
        >>> normalise_contact("email", "  Tm.Chan@Example.COM ")
        'tm.chan@example.com'
        >>> normalise_contact("mobile_number", "+852 5555-0000")
        '+85255550000'
        >>> normalise_contact("postal_address", "1 Queen's Road\\n  CENTRAL")
        "1 queen's road central"
        >>> normalise_contact("social_handle", "@ChanTM")
        'chantm'

    Raises:
        ValidationError: ``kind`` is not a kind of contact point (a name is
            not one), or ``value`` is not text or holds no contact point
            (a number without digits); the message never repeats the value.
    """
    problems = Problems()
    found = _check_kind(kind, "$.kind", problems)
    if not is_text(value):
        problems.add("$.value", "must be text", "type" if not isinstance(value, str) else "format")
    elif len(value) > _MAX_CONTACT:
        problems.add("$.value", f"must be at most {_MAX_CONTACT} characters", "range")
    problems.raise_if_any()
    assert found is not None
    normalised = _normalised(found, value)
    if not normalised:
        what = "digits" if found in (DataKind.MOBILE_NUMBER, DataKind.FAX) else "text"
        raise ValidationError.single("$.value", f"must hold a contact point ({what})", "format")
    return normalised


class KeyedHasher:
    """HMAC-SHA-256 under the retailer's secret key: contact digests and pseudonyms.

    The key is at least `MIN_KEY_BYTES` bytes (generate it with
    ``secrets.token_bytes(32)``); it is held in memory only, never written
    by the library, and never shown: not in the repr, not in an error.

    Examples:
        >>> import secrets
        >>> hasher = KeyedHasher(secrets.token_bytes(32))
        >>> digest = hasher.digest("mobile_number", "+852 5555 0000")
        >>> len(digest), hasher.matches(digest, "mobile_number", "+85255550000")
        (64, True)
        >>> KeyedHasher(b"short")
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.key: must be at least 32 bytes

    Raises:
        ValidationError: the key is not bytes, or is shorter than 32 bytes.
    """

    __slots__ = ("__key",)

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray):
            raise ValidationError.single("$.key", "must be bytes", "type")
        if len(key) < MIN_KEY_BYTES:
            raise ValidationError.single(
                "$.key", f"must be at least {MIN_KEY_BYTES} bytes", "range"
            )
        self.__key = bytes(key)

    def __repr__(self) -> str:
        return "KeyedHasher(key=<hidden>)"

    def __reduce__(self) -> Any:
        raise RSQError("a KeyedHasher holds a secret key: it is not pickled or copied")

    def _mac(self, message: str) -> str:
        return hmac.new(self.__key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def digest(self, kind: DataKind | str, value: str) -> str:
        """The keyed hash of a contact point (64 lowercase hexadecimal digits).

        The contact point is normalised first (`normalise_contact`), and its
        kind is part of the hashed message: the same text as an email and as
        a social handle gives two different digests.

        Examples:
            >>> hasher = KeyedHasher(b"k" * 32)
            >>> hasher.digest("email", "A@B.HK") == hasher.digest("email", " a@b.hk")
            True
            >>> hasher.digest("email", "a@b.hk") == hasher.digest("social_handle", "a@b.hk")
            False

        Raises:
            ValidationError: as for `normalise_contact`.
        """
        normalised = normalise_contact(kind, value)
        return self._mac(f"contact:{DataKind(kind).value}:{normalised}")

    def matches(self, digest: str, kind: DataKind | str, value: str) -> bool:
        """Whether ``digest`` is the keyed hash of this contact point, compared in constant time.

        Examples:
            >>> hasher = KeyedHasher(b"k" * 32)
            >>> stored = hasher.digest("email", "tm.chan@example.com")
            >>> hasher.matches(stored, "email", " TM.Chan@example.com ")
            True
            >>> hasher.matches(stored, "email", "someone.else@example.com")
            False

        Raises:
            ValidationError: ``digest`` is not 64 lowercase hexadecimal
                digits, or as for `normalise_contact`.
        """
        problems = Problems()
        if not isinstance(digest, str) or not _DIGEST.match(digest):
            problems.add(
                "$.digest",
                "must be 64 lowercase hexadecimal digits (an HMAC-SHA-256)",
                "format" if isinstance(digest, str) else "type",
            )
        try:
            computed = self.digest(kind, value)
        except ValidationError as error:
            problems.extend(error.problems)
            computed = ""
        problems.raise_if_any()
        return hmac.compare_digest(digest, computed)

    def pseudonym(self, value: str) -> str:
        """A stable pseudonym for an identifier (a customer id): 64 hexadecimal digits.

        The same identifier always gives the same pseudonym under the same
        key, so pseudonymised records of one customer still join; without the
        key, the identifier cannot be recomputed from it.

        Examples:
            >>> hasher = KeyedHasher(b"k" * 32)
            >>> hasher.pseudonym("C-1001") == hasher.pseudonym("C-1001")
            True
            >>> hasher.pseudonym("C-1001") == KeyedHasher(b"x" * 32).pseudonym("C-1001")
            False

        Raises:
            ValidationError: ``value`` is not text.
        """
        if not is_text(value):
            raise ValidationError.single(
                "$.value", "must be text", "type" if not isinstance(value, str) else "format"
            )
        return self._mac(f"id:{value}")


class PseudonymisedRecords(list[dict[str, Any]]):
    """Pseudonymised rows of records of one type: a list of dicts, a DataFrame, an HTML table.

    Made by `pseudonymised_records`. It is still personal data: whoever
    holds the key can link the pseudonyms back to the people.

    Attributes:
        item_type: the type of the records the rows came from.
        columns: the rows' column names, in order.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import ContactPoint, Customer
        >>> customer = Customer(
        ...     id="C-1", name="Chan Tai Man", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)
        ... )
        >>> rows = pseudonymised_records([customer], KeyedHasher(b"k" * 32))
        >>> rows.columns[:4]
        ('id', 'home_store_id', 'tier', 'tier_joined_on')
        >>> rows.to_records()[0]["tier"]
        'standard'
    """

    item_type: type
    columns: tuple[str, ...]

    def __init__(
        self, item_type: type, columns: Iterable[str], rows: Iterable[dict[str, Any]] = ()
    ) -> None:
        super().__init__(rows)
        self.item_type = item_type
        self.columns = tuple(columns)

    def to_records(self) -> list[dict[str, Any]]:
        """The rows, as new dicts.

        Examples:
            >>> from retail_service_quality import ContactPoint, Customer
            >>> PseudonymisedRecords(Customer, ["id"], [{"id": "ab"}]).to_records()
            [{'id': 'ab'}]
        """
        return [dict(row) for row in self]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame, with the columns in order.

        Needs pandas: ``pip install 'retail-service-quality[pandas]'``.

        Examples:
            >>> from retail_service_quality import ContactPoint, Customer
            >>> PseudonymisedRecords(Customer, ["id"], [{"id": "ab"}]).to_dataframe().shape
            (1, 1)

        Raises:
            RSQError: pandas is not installed.
        """
        return rows_frame(self.columns, self)

    def _repr_html_(self) -> str:
        return rows_html(f"PseudonymisedRecords of {self.item_type.__name__}", self.columns, self)


def _is_person_record(cls: type) -> bool:
    """A record about a person: it holds identifiers or contact points of its own."""
    classes = set(personal_data(cls).values())
    return bool(classes & {PersonalDataClass.IDENTIFIER, PersonalDataClass.CONTACT})


def pseudonymised_records(records: Any, hasher: KeyedHasher) -> PseudonymisedRecords:
    """Records of one type for analytics: personal data dropped, people's identifiers pseudonymised.

    ``records`` is one record, or any iterable of records of one type.
    Starting from their flat rows (`to_records`):

    - every field marked personal is left out, names included (a keyed hash
      of a name tells an analyst nothing and a name is easy to guess);
    - ``customer_id`` columns become pseudonyms, and so does ``id`` in
      records about a person (a type holding identifiers or contact points,
      such as `Customer`), so the rows of one customer still join across
      exports made with the same key;
    - every other column is kept as it is.

    Pseudonymised data is still personal data (privacy rule 8): whoever holds
    the key can link it back to the people. Keep the key apart from the
    export, and the export under the same rules as the data it came from.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import ContactPoint, Customer
        >>> hasher = KeyedHasher(b"k" * 32)
        >>> customer = Customer(
        ...     id="C-1", name="Chan Tai Man",
        ...     contacts=[ContactPoint("email", "tm.chan@example.com")],
        ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ... )
        >>> (row,) = pseudonymised_records([customer], hasher)
        >>> row["id"] == hasher.pseudonym("C-1"), "contacts" in row, "name" in row
        (True, False, False)

    Raises:
        ValidationError: ``hasher`` is not a `KeyedHasher`, or as for `to_records`.
    """
    if not isinstance(hasher, KeyedHasher):
        raise ValidationError.single("$.hasher", "must be a KeyedHasher", "type")
    declared = getattr(records, "item_type", None)
    if is_tabular_type(type(records)):
        items: Any = [records]
    elif isinstance(records, Iterable) and not isinstance(records, str | bytes | Mapping):
        items = list(records)  # read once: a stream or a generator is not read again
    else:
        items = records  # refused by to_records, with its path
    rows = to_records(items, personal=True)
    if not rows:
        return PseudonymisedRecords(declared if isinstance(declared, type) else object, ())
    first = items[0]
    cls = type(first)
    plain = set(to_records([first], personal=False)[0])
    person = _is_person_record(cls)

    def pseudonymise(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return hasher.pseudonym(value)
        if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
            return tuple(hasher.pseudonym(item) for item in value)
        return _DROP

    columns: list[str] = []
    changes: dict[str, bool] = {}  # column -> pseudonymised (True) or kept (False)
    for name in rows[0]:
        if name == "customer_id" or (name == "id" and person):
            changes[name] = True
        elif name in plain:
            changes[name] = False
        else:
            continue
        columns.append(name)
    out: list[dict[str, Any]] = []
    for row in rows:
        new: dict[str, Any] = {}
        for name in columns:
            value = pseudonymise(row[name]) if changes[name] else row[name]
            new[name] = None if value is _DROP else value
        out.append(new)
    return PseudonymisedRecords(cls, columns, out)


_DROP: Final = object()
