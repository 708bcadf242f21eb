"""Keyed hashes of contact points, pseudonyms, and the pseudonymised analytics export."""

from __future__ import annotations

import copy
import pickle
import re
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality.customers import MIN_KEY_BYTES, normalise_contact
from retail_service_quality.testing.strategies import customers, interactions

KEY = bytes(range(32))
HASHER = rsq.KeyedHasher(KEY)
CONTACT_KINDS = [kind for kind in rsq.DataKind if kind is not rsq.DataKind.NAME]
HEX64 = re.compile(r"\A[0-9a-f]{64}\Z")


# ------------------------------------------------------------------------------- the key


@pytest.mark.parametrize("key", [b"", b"x" * 31, bytearray(b"y" * 31)])
def test_a_short_key_is_refused_without_showing_it(key: bytes) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        rsq.KeyedHasher(key)
    assert [p.path for p in error.value.problems] == ["$.key"]
    assert error.value.problems[0].code == "range"
    if key:
        assert key.decode() not in str(error.value)


@pytest.mark.parametrize("key", ["k" * 32, 32, None, [1] * 32])
def test_a_key_that_is_not_bytes_is_refused(key: object) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        rsq.KeyedHasher(key)  # type: ignore[arg-type]
    assert error.value.problems[0].code == "type"
    assert "k" * 32 not in str(error.value)


def test_the_key_never_shows_nor_leaves() -> None:
    secret = b"S3cr3t-key-that-is-long-enough!!"
    hasher = rsq.KeyedHasher(secret)
    assert repr(hasher) == str(hasher) == "KeyedHasher(key=<hidden>)"
    assert not hasattr(hasher, "key")
    assert not hasattr(hasher, "__dict__")
    with pytest.raises(rsq.RSQError):
        pickle.dumps(hasher)
    with pytest.raises(rsq.RSQError):
        copy.copy(hasher)
    with pytest.raises(rsq.ValidationError) as error:
        rsq.to_json(hasher)
    assert "S3cr3t" not in str(error.value)


def test_a_key_of_exactly_the_minimum_length_works_and_the_key_changes_every_digest() -> None:
    assert MIN_KEY_BYTES == 32
    other = rsq.KeyedHasher(b"\xff" * 32)
    assert HASHER.digest("email", "a@b.hk") != other.digest("email", "a@b.hk")
    assert HASHER.pseudonym("C-1") != other.pseudonym("C-1")


# ------------------------------------------------------------------------------- normalising


@pytest.mark.parametrize(
    ("kind", "value", "normalised"),
    [
        ("email", "  Tm.Chan@Example.COM \n", "tm.chan@example.com"),
        ("mobile_number", "+852 5555-0000", "+85255550000"),
        ("mobile_number", "(852) 5555 0000", "85255550000"),
        ("mobile_number", "\uff0b\uff18\uff15\uff12 5555 0000", "+85255550000"),
        ("fax", " +852 2345 6789 ", "+85223456789"),
        ("postal_address", "Flat 3,  1 Queen's Road\n\tCENTRAL ", "flat 3, 1 queen's road central"),
        ("postal_address", "Stra\u00dfe 1", "strasse 1"),
        ("social_handle", " @ChanTM ", "chantm"),
        ("social_handle", "@@chan", "chan"),
        ("social_handle", "@ @Chan ", "chan"),
    ],
)
def test_contact_points_normalise(kind: str, value: str, normalised: str) -> None:
    assert normalise_contact(kind, value) == normalised


def test_a_name_is_not_a_contact_point_and_bad_input_lists_every_problem() -> None:
    with pytest.raises(rsq.ValidationError) as error:
        normalise_contact("name", 5)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("$.kind", "unknown_choice"),
        ("$.value", "type"),
    ]
    with pytest.raises(rsq.ValidationError) as error:
        normalise_contact(rsq.DataKind.NAME, "Chan")
    assert [p.path for p in error.value.problems] == ["$.kind"]


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        ("mobile_number", "call me secretly", "format"),
        ("email", "   ", "format"),
        ("social_handle", " @@ ", "format"),
        ("social_handle", "@ @", "format"),
        ("email", "tm" + chr(0xD800) + "@example.com", "format"),
        ("email", "x" * 1001, "range"),
    ],
)
def test_a_value_without_a_contact_point_is_refused_without_echoing_it(
    kind: str, value: str, code: str
) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        HASHER.digest(kind, value)
    assert [(p.path, p.code) for p in error.value.problems] == [("$.value", code)]
    if value.strip():
        assert value.strip()[:6] not in str(error.value)


contact_text = st.text(max_size=60) | st.from_regex(
    r"[ @+(]{0,3}[A-Za-z0-9\u00df\u0130\uff10-\uff19 .@-]{1,30}", fullmatch=True
)


@given(st.sampled_from(CONTACT_KINDS), contact_text)
def test_normalisation_is_idempotent(kind: rsq.DataKind, value: str) -> None:
    try:
        once = normalise_contact(kind, value)
    except rsq.ValidationError:
        return
    assert normalise_contact(kind, once) == once


@given(st.sampled_from(CONTACT_KINDS), contact_text)
def test_the_digest_is_stable_under_normalisation(kind: rsq.DataKind, value: str) -> None:
    try:
        digest = HASHER.digest(kind, value)
    except rsq.ValidationError:
        return
    assert HEX64.match(digest)
    assert digest == HASHER.digest(kind, normalise_contact(kind, value))
    assert HASHER.matches(digest, kind, value)
    assert HASHER.matches(digest, kind.value, f"  {value}  ")


@given(st.from_regex(r"[a-z0-9.]{1,12}@[a-z]{1,8}\.(hk|com)", fullmatch=True), st.data())
def test_an_email_matches_in_any_case_and_with_any_surrounding_spaces(
    email: str, data: st.DataObject
) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(email), max_size=len(email)))
    mixed = "".join(ch.upper() if flip else ch for ch, flip in zip(email, flips, strict=True))
    spaces = data.draw(st.sampled_from(["", " ", "\t", "  \n", "\u3000"]))
    digest = HASHER.digest("email", email)
    assert HASHER.matches(digest, "email", spaces + mixed + spaces)
    assert not HASHER.matches(digest, "email", "x" + email)


def test_the_kind_is_part_of_the_digest() -> None:
    assert HASHER.digest("email", "chan@x.hk") != HASHER.digest("social_handle", "chan@x.hk")
    assert HASHER.digest("mobile_number", "+852 5555 0000") != HASHER.digest(
        "fax", "+852 5555 0000"
    )


@pytest.mark.parametrize("digest", ["A" * 64, "0" * 63, None, 5, "g" * 64])
def test_matches_refuses_a_digest_that_is_not_one(digest: object) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        HASHER.matches(digest, "email", "a@b.hk")  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.digest"]


def test_matches_reports_digest_and_contact_problems_together() -> None:
    with pytest.raises(rsq.ValidationError) as error:
        HASHER.matches("nope", "name", None)  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.digest", "$.kind", "$.value"]


def test_a_suppression_entry_takes_the_digest() -> None:
    entry = rsq.SuppressionEntry(
        digest=HASHER.digest("email", "Tm.Chan@Example.com"),
        data_kind="email",
        added_at=datetime(2026, 4, 2, tzinfo=UTC),
    )
    assert HASHER.matches(entry.digest, entry.data_kind, "tm.chan@example.com ")


# ------------------------------------------------------------------------------- pseudonyms


@given(st.text(max_size=30))
def test_a_pseudonym_is_stable_and_hexadecimal(value: str) -> None:
    pseudonym = HASHER.pseudonym(value)
    assert HEX64.match(pseudonym)
    assert pseudonym == HASHER.pseudonym(value)
    assert pseudonym != HASHER.digest("email", "a@b.hk")


@pytest.mark.parametrize("value", [None, 5, b"C-1", "C-" + chr(0xDC00)])
def test_a_pseudonym_needs_text(value: object) -> None:
    with pytest.raises(rsq.ValidationError) as error:
        HASHER.pseudonym(value)  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.value"]


# ------------------------------------------------------------------------------- the export


def test_a_pseudonymised_customer_keeps_no_contact_and_pseudonymises_identifiers() -> None:
    customer = rsq.Customer(
        id="C-1001",
        name="Chan Tai Man",
        contacts=[
            rsq.ContactPoint("email", "tm.chan@example.com"),
            rsq.ContactPoint("mobile_number", "+852 5555 0000"),
        ],
        home_store_id="HK-CWB",
        created_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    rows = rsq.pseudonymised_records([customer], HASHER)
    assert rows.item_type is rsq.Customer
    assert rows.columns == (
        "id",
        "home_store_id",
        "tier",
        "tier_joined_on",
        "join_method",
        "created_at",
        "erased_at",
        "version",
    )
    (row,) = rows
    assert row["id"] == HASHER.pseudonym("C-1001")
    assert "name" not in row
    assert row["home_store_id"] == "HK-CWB"
    assert "contacts" not in row
    assert "date_of_birth" not in row
    assert rsq.pseudonymised_records(customer, HASHER) == rows  # one record works too
    assert rsq.pseudonymised_records(iter([customer]), HASHER) == rows  # read once
    stream = rsq.RecordStream(rsq.Customer, iter([customer]))
    assert rsq.pseudonymised_records(stream, HASHER) == rows
    empty = rsq.pseudonymised_records(rsq.RecordStream(rsq.Customer, iter([])), HASHER)
    assert empty.item_type is rsq.Customer
    frame = rows.to_dataframe()
    assert list(frame.columns) == list(rows.columns)
    page = rows._repr_html_()
    assert "Chan" not in page
    assert "PseudonymisedRecords" in page
    assert 'scope="col"' in page


def test_pseudonymised_interactions_join_the_customer_and_drop_notes() -> None:
    interaction = rsq.ServiceInteraction(
        id="I-1",
        store_id="HK-CWB",
        channel="hotline",
        occurred_at=datetime(2026, 1, 2, 10, tzinfo=UTC),
        customer_id="C-1001",
        notes="Mrs Chan, flat 3, called about her refund",
    )
    (row,) = rsq.pseudonymised_records([interaction], HASHER)
    assert row["id"] == "I-1"  # an interaction's id names no one
    assert row["customer_id"] == HASHER.pseudonym("C-1001")
    assert "notes" not in row


def test_an_empty_export_and_bad_arguments() -> None:
    empty = rsq.pseudonymised_records([], HASHER)
    assert empty == []
    assert empty.to_records() == []
    assert "0 rows" in empty._repr_html_()
    with pytest.raises(rsq.ValidationError) as error:
        rsq.pseudonymised_records([], "key")  # type: ignore[arg-type]
    assert [p.path for p in error.value.problems] == ["$.hasher"]
    with pytest.raises(rsq.ValidationError):
        rsq.pseudonymised_records(["Chan"], HASHER)


def _personal_values(record: object) -> list[str]:
    """The record's personal text, less what also is in its other fields by chance."""
    personal = rsq.personal_data(type(record))
    other = {
        value
        for name in attrs.fields_dict(type(record))  # type: ignore[arg-type]
        if name not in personal
        for value in [getattr(record, name)]
        if isinstance(value, str)
    }
    values = []
    for name in personal:
        value = getattr(record, name)
        if isinstance(value, str) and value and value not in other:
            values.append(value)
    return values


@given(st.lists(customers(), min_size=1, max_size=4))
def test_no_personal_value_is_in_a_pseudonymised_customer(people: list[rsq.Customer]) -> None:
    rows = rsq.pseudonymised_records(people, HASHER)
    for person, row in zip(people, rows, strict=True):
        secrets = _personal_values(person)
        for column, value in row.items():
            assert value not in secrets, column
            if isinstance(value, str) and not HEX64.match(value):
                assert not any(len(s) > 2 and s in value for s in secrets), column


@given(st.lists(interactions(customer_ids=st.just("C-1")), min_size=1, max_size=4))
def test_no_personal_value_is_in_a_pseudonymised_interaction(
    contacts: list[rsq.ServiceInteraction],
) -> None:
    rows = rsq.pseudonymised_records(contacts, HASHER)
    for contact, row in zip(contacts, rows, strict=True):
        secrets = [value for value in _personal_values(contact) if len(value) > 2]
        assert row["customer_id"] == HASHER.pseudonym("C-1")
        for column, value in row.items():
            assert value not in secrets, column
