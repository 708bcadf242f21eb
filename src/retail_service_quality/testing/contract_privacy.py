"""The storage contract for the privacy records, part of `StoreContract`.

Every store keeps the consent ledger, the records of data uses, the opt-out
suppression list, privacy requests and legal holds the same way: appends are
all or none, nothing is kept unless the unit of work commits, read-only units
refuse writes, errors name records by id (never by a personal value), queries
come in the documented order, and erasure deletes. `StoreContract` inherits
these tests; an adapter that passes it passes them too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(PrivacyStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_erase_deletes_one_customers_ledger_and_uses()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality.customers import Customer
from retail_service_quality.customers.consent import (
    ConsentEvent,
    ConsentGiven,
    ConsentLedger,
    ConsentScope,
    NoticeServed,
    OptedOut,
)
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest, SuppressionEntry
from retail_service_quality.customers.uses import DataProvided, DataUse, MarketingMessageSent
from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    RSQError,
    StorageError,
    ValidationError,
)
from retail_service_quality.storage._time import instant_us
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import (
    consent_events,
    data_uses,
    legal_holds,
    privacy_requests,
    suppression_entries,
)

__all__ = ["PrivacyStoreContract"]

LONDON = ZoneInfo("Europe/London")
_AT = datetime(2026, 5, 4, 9, 30, tzinfo=ZoneInfo("Asia/Hong_Kong"))
_SECRET = "Wong Siu Ming 9123 4567"  # a personal value no message may show

_PRIVACY_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)
_CUSTOMERS = st.sampled_from(["C-1", "C-2", "C-3"])


def _customer(record_id: str) -> Customer:
    return Customer(id=record_id, name=_SECRET, created_at=_AT)


def _opt_out(event_id: str = "E-1", customer_id: str = "C-1", **changes: Any) -> OptedOut:
    fields: dict[str, Any] = {
        "event_id": event_id,
        "customer_id": customer_id,
        "at": _AT,
        "evidence": "sms:STOP-1",
    }
    fields.update(changes)
    return OptedOut(**fields)


def _notice(event_id: str, customer_id: str = "C-1", at: datetime = _AT) -> NoticeServed:
    return NoticeServed(
        event_id=event_id,
        customer_id=customer_id,
        at=at,
        evidence="form:F-1",
        notice_version="2026-01",
        data_kinds=["mobile_number"],
        marketing_classes=["cosmetics"],
    )


def _consent(event_id: str, customer_id: str = "C-1", at: datetime = _AT) -> ConsentGiven:
    return ConsentGiven(
        event_id=event_id,
        customer_id=customer_id,
        at=at,
        evidence="form:F-1",
        method="written",
        scope="own_marketing",
        data_kinds=["mobile_number"],
        marketing_classes=["cosmetics"],
        notice_version="2026-01",
        explicit=True,
    )


def _sent(event_id: str = "U-1", customer_id: str = "C-1", **changes: Any) -> DataUse:
    fields: dict[str, Any] = {
        "event_id": event_id,
        "customer_id": customer_id,
        "at": _AT,
        "evidence": "campaign:K-7",
        "channel": "sms",
        "marketing_class": "cosmetics",
        "opt_out_statement": True,
    }
    fields.update(changes)
    return MarketingMessageSent(**fields)


def _provided(event_id: str = "U-2", customer_id: str = "C-1", **changes: Any) -> DataUse:
    fields: dict[str, Any] = {
        "event_id": event_id,
        "customer_id": customer_id,
        "at": _AT,
        "evidence": "batch:B-3",
        "recipient_id": "P-INSURE",
        "recipient_class": "insurance",
        "data_kinds": ["name", "mobile_number"],
        "for_gain": True,
    }
    fields.update(changes)
    return DataProvided(**fields)


def _entry(digit: str = "a", scope: str = "own_marketing") -> SuppressionEntry:
    return SuppressionEntry(digest=digit * 64, data_kind="email", scope=scope, added_at=_AT)


def _request(record_id: str = "R-1", customer_id: str = "C-1", **changes: Any) -> PrivacyRequest:
    fields: dict[str, Any] = {
        "id": record_id,
        "customer_id": customer_id,
        "kind": "access",
        "law": "pdpo",
        "received_at": _AT,
        "due_on": date(2026, 6, 13),
        "note": _SECRET,
    }
    fields.update(changes)
    return PrivacyRequest(**fields)


def _hold(record_id: str = "H-1", customer_id: str = "C-1", **changes: Any) -> LegalHold:
    fields: dict[str, Any] = {
        "id": record_id,
        "customer_id": customer_id,
        "keeps": ["name", "interactions"],
        "reason": "invoices are kept for tax",
        "source": "Inland Revenue Ordinance (Cap. 112) s.51C",
        "placed_at": _AT,
    }
    fields.update(changes)
    return LegalHold(**fields)


def _refused(error: type[RSQError], action: Callable[[], object], *names: str) -> None:
    """``action`` raises ``error``, naming every one of ``names`` and no personal value."""
    with pytest.raises(error) as raised:
        action()
    message = str(raised.value)
    assert _SECRET not in message
    for name in names:
        assert repr(name) in message, message


def _from_us(microseconds: int) -> datetime:
    """The UTC instant ``microseconds`` after the Unix epoch."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=microseconds)


class PrivacyStoreContract(ContractBase):
    """The privacy records' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(PrivacyStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_ledger_order_is_the_ledgers_own()
    """

    def _on_store(self, test: Callable[[Store], None], *customers: str) -> None:
        store = self.make_store()
        try:
            if customers:
                with store.unit_of_work() as uow:
                    uow.customers.add_many(_customer(c) for c in customers)
                    uow.commit()
            test(store)
        finally:
            store.close()

    # ------------------------------------------------------------ round trips

    @_PRIVACY_EXAMPLES
    @given(st.lists(consent_events(customer_ids=_CUSTOMERS), max_size=6))
    def test_ledger_events_round_trip_exactly(self, events: list[ConsentEvent]) -> None:
        unique = list({(e.customer_id, e.event_id): e for e in events}.values())

        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                assert uow.consent.append_many(unique) == len(unique)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                for customer_id in ("C-1", "C-2", "C-3"):
                    mine = [e for e in unique if e.customer_id == customer_id]
                    ledger = uow.consent.ledger(customer_id)
                    assert ledger == ConsentLedger.of(
                        customer_id, ConsentLedger.of(customer_id, mine).events
                    )
                    assert list(uow.consent.query(customer_id)) == list(ledger.events)
                    for stored, original in zip(
                        sorted(ledger.events, key=lambda e: e.event_id),
                        sorted(mine, key=lambda e: e.event_id),
                        strict=True,
                    ):
                        assert stored.at.utcoffset() == original.at.utcoffset()
                        assert stored.at.tzinfo == original.at.tzinfo
                assert uow.consent.count() == len(unique)

        self._on_store(check, "C-1", "C-2", "C-3")

    @_PRIVACY_EXAMPLES
    @given(st.lists(data_uses(customer_ids=_CUSTOMERS), max_size=6))
    def test_data_uses_round_trip_exactly(self, uses: list[DataUse]) -> None:
        unique = list({(u.customer_id, u.event_id): u for u in uses}.values())

        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.data_uses.append_many(unique)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                for customer_id in ("C-1", "C-2", "C-3"):
                    found = uow.data_uses.of(customer_id)
                    assert sorted(found, key=lambda u: u.event_id) == sorted(
                        (u for u in unique if u.customer_id == customer_id),
                        key=lambda u: u.event_id,
                    )
                    for use in found:
                        original = next(
                            u
                            for u in unique
                            if u.event_id == use.event_id and u.customer_id == customer_id
                        )
                        assert use.at.tzinfo == original.at.tzinfo
                        assert use.at.utcoffset() == original.at.utcoffset()
                assert [u.customer_id for u in uow.data_uses.query()] == sorted(
                    u.customer_id for u in unique
                )

        self._on_store(check, "C-1", "C-2", "C-3")

    @_PRIVACY_EXAMPLES
    @given(
        st.lists(suppression_entries(), max_size=4),
        st.lists(privacy_requests(customer_ids=_CUSTOMERS), max_size=4, unique_by=lambda r: r.id),
        st.lists(legal_holds(customer_ids=_CUSTOMERS), max_size=4, unique_by=lambda h: h.id),
    )
    def test_entries_requests_and_holds_round_trip(
        self,
        entries: list[SuppressionEntry],
        requests: list[PrivacyRequest],
        holds: list[LegalHold],
    ) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                kept: dict[tuple[str, str, int], SuppressionEntry] = {}
                for entry in entries:
                    key = (entry.digest, entry.scope.value, instant_us(entry.added_at))
                    added = uow.suppression.add(entry)
                    assert added == (key not in kept)
                    kept.setdefault(key, entry)
                for request in requests:
                    uow.privacy_requests.add(request)
                for hold in holds:
                    uow.legal_holds.add(hold)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert list(uow.suppression.query()) == [kept[key] for key in sorted(kept)]
                for digest, scope, _ in kept:
                    latest = max(
                        (entry for key, entry in kept.items() if key[:2] == (digest, scope)),
                        key=lambda entry: instant_us(entry.added_at),
                    )
                    assert uow.suppression.get(digest, ConsentScope(scope)) == latest
                    earliest = min(
                        instant_us(e.added_at) for k, e in kept.items() if k[:2] == (digest, scope)
                    )
                    before = _from_us(earliest - 1)
                    assert uow.suppression.get(digest, ConsentScope(scope), at=before) is None
                for request in requests:
                    assert uow.privacy_requests.get(request.id) == request
                    assert uow.privacy_requests.get(request.id).received_at.tzinfo == (
                        request.received_at.tzinfo
                    )
                for hold in holds:
                    assert uow.legal_holds.get(hold.id) == hold

        self._on_store(check, "C-1", "C-2", "C-3")

    # ------------------------------------------------------------ the ledger

    def test_ledger_order_is_the_ledgers_own(self) -> None:
        def check(store: Store) -> None:
            # 01:20 GMT (the second 01:20 on 25 October) comes after 01:30 BST.
            early = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
            late = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)
            events: list[ConsentEvent] = [
                _opt_out("E-9", at=early),  # an opt-out sorts after a notice at one instant
                _notice("E-8", at=early),
                _consent("E-1", at=late),
                _notice("E-2", customer_id="C-2", at=late),
                _consent("E-3", at=early.astimezone(UTC)),  # the same instant as E-8 and E-9
            ]
            with store.unit_of_work() as uow:
                uow.consent.append_many(events)
                uow.commit()
            with store.unit_of_work() as uow:
                ledger = uow.consent.ledger("C-1")
                assert [e.event_id for e in ledger.events] == ["E-8", "E-3", "E-9", "E-1"]
                assert ledger == ConsentLedger.of("C-1", ledger.events)
                assert [e.event_id for e in uow.consent.query()] == [
                    "E-8",
                    "E-3",
                    "E-9",
                    "E-1",
                    "E-2",
                ]
                assert uow.consent.count("C-1") == 4
                assert uow.consent.count("C-2") == 1
                assert uow.consent.ledger("C-3") == ConsentLedger("C-3")
                assert uow.consent.ledger("nobody") == ConsentLedger("nobody")

        self._on_store(check, "C-1", "C-2", "C-3")

    def test_appending_refuses_duplicates_and_unknown_customers_all_or_none(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.consent.append(_opt_out("E-1"))
                uow.consent.append(_opt_out("E-1", customer_id="C-2"))  # ids are per ledger
                uow.data_uses.append(_sent("U-1"))
                uow.commit()
            with store.unit_of_work() as uow:
                _refused(ConflictError, lambda: uow.consent.append(_opt_out("E-1")), "E-1", "C-1")
                _refused(
                    ConflictError,
                    lambda: uow.consent.append_many([_opt_out("E-2"), _opt_out("E-2")]),
                    "E-2",
                )
                _refused(
                    NotFoundError,
                    lambda: uow.consent.append_many([_opt_out("E-3"), _opt_out("E-4", "C-404")]),
                    "E-4",
                )
                _refused(ConflictError, lambda: uow.data_uses.append(_provided("U-1")), "U-1")
                _refused(
                    NotFoundError,
                    lambda: uow.data_uses.append_many([_sent("U-5"), _sent("U-6", "C-404")]),
                    "U-6",
                )
                assert uow.consent.count() == 2  # nothing of a refused batch is kept
                assert uow.data_uses.count() == 1
                assert uow.consent.append_many(iter([_opt_out("E-5"), _opt_out("E-6")])) == 2
                assert uow.consent.append_many([]) == 0
                with pytest.raises(ValidationError):
                    uow.consent.append(_sent("U-9"))  # type: ignore[arg-type]
                with pytest.raises(ValidationError):
                    uow.data_uses.append_many([_sent("U-7"), "not a use"])  # type: ignore[list-item]
                with pytest.raises(ValidationError):
                    uow.consent.ledger(42)  # type: ignore[arg-type]
                with pytest.raises(ValidationError):
                    uow.consent.query(" C-1")
                with pytest.raises(ValidationError):
                    uow.data_uses.of("C-1", since=datetime(2026, 1, 1))  # noqa: DTZ001
                assert uow.data_uses.count() == 1

        self._on_store(check, "C-1", "C-2")

    def test_data_uses_since_an_instant_in_order(self) -> None:
        def check(store: Store) -> None:
            early = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
            late = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)
            with store.unit_of_work() as uow:
                uow.data_uses.append_many(
                    [
                        _provided("U-1", at=late),
                        _sent("U-2", at=late),
                        _sent("U-3", at=early),
                        _provided("U-0", at=early - timedelta(microseconds=1)),
                        _sent("U-4", customer_id="C-2", at=early),
                    ]
                )
                uow.commit()
            with store.unit_of_work() as uow:
                assert [u.event_id for u in uow.data_uses.of("C-1")] == ["U-0", "U-3", "U-2", "U-1"]
                assert [u.event_id for u in uow.data_uses.of("C-1", since=early)] == [
                    "U-3",
                    "U-2",
                    "U-1",
                ]
                assert [u.event_id for u in uow.data_uses.of("C-1", since=late)] == ["U-2", "U-1"]
                assert [u.event_id for u in uow.data_uses.query()] == [
                    "U-0",
                    "U-3",
                    "U-2",
                    "U-1",
                    "U-4",
                ]
                assert uow.data_uses.count("C-2") == 1
                assert uow.data_uses.of("C-3") == ()

        self._on_store(check, "C-1", "C-2", "C-3")

    def test_erase_deletes_one_customers_ledger_and_uses(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.consent.append_many([_opt_out("E-1"), _notice("E-2"), _opt_out("E-1", "C-2")])
                uow.data_uses.append_many([_sent("U-1"), _provided("U-2"), _sent("U-1", "C-2")])
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.consent.erase("C-1") == 2
                assert uow.data_uses.erase("C-1") == 2
                assert uow.consent.ledger("C-1") == ConsentLedger("C-1")
                # rolled back: nothing erased
            with store.unit_of_work() as uow:
                assert uow.consent.count("C-1") == 2
                assert uow.consent.erase("C-1") == 2
                assert uow.data_uses.erase("C-1") == 2
                assert uow.consent.erase("C-1") == 0
                assert uow.consent.erase("C-3") == 0
                uow.consent.append(_opt_out("E-1"))  # a new ledger may start after erasure
                uow.commit()
            with store.unit_of_work() as uow:
                assert [e.event_id for e in uow.consent.query()] == ["E-1", "E-1"]
                assert [e.customer_id for e in uow.consent.query()] == ["C-1", "C-2"]
                assert uow.data_uses.of("C-1") == ()
                assert uow.data_uses.count() == 1
                with pytest.raises(ValidationError):
                    uow.data_uses.erase(None)  # type: ignore[arg-type]

        self._on_store(check, "C-1", "C-2", "C-3")

    # ------------------------------------------------------------ the suppression list

    def test_suppression_list_keeps_each_listing_once(self) -> None:
        def check(store: Store) -> None:
            first = _entry("b")
            with store.unit_of_work() as uow:
                assert uow.suppression.add(first)
                assert not uow.suppression.add(
                    SuppressionEntry(digest="b" * 64, data_kind="fax", added_at=_AT)
                )
                assert uow.suppression.add(_entry("b", scope="provision"))
                assert uow.suppression.add(_entry("a"))
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.suppression.contains("b" * 64)
                assert uow.suppression.contains("b" * 64, ConsentScope.PROVISION)
                assert not uow.suppression.contains("a" * 64, ConsentScope.PROVISION)
                assert not uow.suppression.contains("c" * 64)
                assert uow.suppression.get("b" * 64) == first
                assert uow.suppression.get("b" * 64, ConsentScope.PROVISION) == _entry(
                    "b", scope="provision"
                )
                assert uow.suppression.get("c" * 64) is None
                assert [(e.digest[0], e.scope.value) for e in uow.suppression.query()] == [
                    ("a", "own_marketing"),
                    ("b", "own_marketing"),
                    ("b", "provision"),
                ]
                assert next(iter(uow.suppression.query())) == _entry("a")
                assert uow.suppression.count() == 3
                assert next(e for e in uow.suppression.query() if e.digest[0] == "b") == first
                with pytest.raises(ValidationError):
                    uow.suppression.contains(b"b" * 64)  # type: ignore[arg-type]
                with pytest.raises(ValidationError):
                    uow.suppression.get("b" * 64, "nowhere")  # type: ignore[arg-type]
            later = SuppressionEntry(
                digest="b" * 64, data_kind="fax", added_at=_AT + timedelta(days=3)
            )
            with store.unit_of_work() as uow:
                assert uow.suppression.add(later)
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.suppression.count() == 4
                assert uow.suppression.get("b" * 64) == later
                assert uow.suppression.get("b" * 64, at=_AT + timedelta(days=1)) == first
                assert uow.suppression.get("b" * 64, at=_AT - timedelta(seconds=1)) is None
                with pytest.raises(ValidationError):
                    uow.suppression.contains("b" * 64, "everything")  # type: ignore[arg-type]
                with pytest.raises(ValidationError):
                    uow.suppression.add("b" * 64)  # type: ignore[arg-type]

        self._on_store(check)

    # ------------------------------------------------------------ requests and holds

    def test_requests_are_versioned_and_queried_in_order(self) -> None:
        def check(store: Store) -> None:
            late = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)
            early = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
            with store.unit_of_work() as uow:
                uow.privacy_requests.add(_request("R-2", received_at=late))
                uow.privacy_requests.add(_request("R-1", received_at=late))
                uow.privacy_requests.add(_request("R-3", "C-2", received_at=early))
                uow.commit()
            with store.unit_of_work() as uow:
                assert [r.id for r in uow.privacy_requests.query()] == ["R-3", "R-1", "R-2"]
                read = uow.privacy_requests.get("R-1")
                closed = uow.privacy_requests.save(
                    read.evolve(status="completed", closed_at=late + timedelta(days=3))
                )
                assert closed.version == 2
                _refused(ConflictError, lambda: uow.privacy_requests.save(read), "R-1")
                _refused(ConflictError, lambda: uow.privacy_requests.add(_request("R-2")), "R-2")
                _refused(
                    NotFoundError, lambda: uow.privacy_requests.add(_request("R-4", "C-404")), "R-4"
                )
                _refused(NotFoundError, lambda: uow.privacy_requests.save(_request("R-9")), "R-9")
                _refused(NotFoundError, lambda: uow.privacy_requests.get("R-9"), "R-9")
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.privacy_requests.get("R-1") == closed
                assert [r.id for r in uow.privacy_requests.query(open_only=True)] == ["R-3", "R-2"]
                assert [r.id for r in uow.privacy_requests.query(customer_id="C-1")] == [
                    "R-1",
                    "R-2",
                ]
                assert uow.privacy_requests.count(customer_id="C-1", open_only=True) == 1
                assert uow.privacy_requests.count() == 3
                assert uow.privacy_requests.count(customer_id="C-3") == 0
                with pytest.raises(ValidationError):
                    uow.privacy_requests.count(open_only="yes")  # type: ignore[arg-type]

        self._on_store(check, "C-1", "C-2", "C-3")

    def test_holds_are_versioned_and_listed_by_customer(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.legal_holds.add(_hold("H-2"))
                uow.legal_holds.add(_hold("H-1", "C-2"))
                uow.legal_holds.add(_hold("H-0"))
                uow.commit()
            with store.unit_of_work() as uow:
                assert [h.id for h in uow.legal_holds.of("C-1")] == ["H-0", "H-2"]
                assert [h.id for h in uow.legal_holds.query()] == ["H-0", "H-2", "H-1"]
                read = uow.legal_holds.get("H-2")
                released = uow.legal_holds.save(read.evolve(released_at=_AT))
                assert released.version == 2
                assert not released.active_on(_AT.date())
                _refused(ConflictError, lambda: uow.legal_holds.save(read), "H-2")
                _refused(ConflictError, lambda: uow.legal_holds.add(_hold("H-1")), "H-1")
                _refused(NotFoundError, lambda: uow.legal_holds.add(_hold("H-4", "C-404")), "H-4")
                _refused(NotFoundError, lambda: uow.legal_holds.save(_hold("H-9")), "H-9")
                _refused(NotFoundError, lambda: uow.legal_holds.get("H-9"), "H-9")
                assert uow.legal_holds.of("C-3") == ()
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.legal_holds.get("H-2") == released

        self._on_store(check, "C-1", "C-2", "C-3")

    # ------------------------------------------------------------ units of work

    def test_privacy_records_roll_back_unless_committed(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.consent.append(_opt_out())
                uow.data_uses.append(_sent())
                assert uow.suppression.add(_entry())
                uow.privacy_requests.add(_request())
                uow.legal_holds.add(_hold())
                assert uow.consent.count() == uow.data_uses.count() == 1  # seen inside the unit
                assert uow.suppression.contains("a" * 64)
            with store.unit_of_work() as uow:
                assert uow.consent.count() == uow.data_uses.count() == 0
                assert uow.suppression.count() == uow.privacy_requests.count() == 0
                assert list(uow.legal_holds.query()) == []

        self._on_store(check, "C-1")

    def test_read_only_units_refuse_every_privacy_write(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.consent.append(_opt_out())
                uow.data_uses.append(_sent())
                uow.privacy_requests.add(_request())
                uow.legal_holds.add(_hold())
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                writes: list[Callable[[], object]] = [
                    lambda: uow.consent.append(_opt_out("E-2")),
                    lambda: uow.consent.append_many([_opt_out("E-3")]),
                    lambda: uow.consent.erase("C-1"),
                    lambda: uow.data_uses.append(_sent("U-2")),
                    lambda: uow.data_uses.append_many([_sent("U-3")]),
                    lambda: uow.data_uses.erase("C-1"),
                    lambda: uow.suppression.add(_entry()),
                    lambda: uow.privacy_requests.add(_request("R-2")),
                    lambda: uow.privacy_requests.save(uow.privacy_requests.get("R-1")),
                    lambda: uow.legal_holds.add(_hold("H-2")),
                    lambda: uow.legal_holds.save(uow.legal_holds.get("H-1")),
                ]
                for write in writes:
                    with pytest.raises(StorageError):
                        write()
                assert uow.consent.count() == uow.data_uses.count() == 1
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.consent.count() == uow.data_uses.count() == 1
                assert uow.suppression.count() == 0
                assert uow.privacy_requests.get("R-1").version == 1

        self._on_store(check, "C-1")

    def test_privacy_queries_end_when_the_unit_rolls_back(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.consent.append_many([_opt_out("E-1"), _opt_out("E-2")])
                uow.data_uses.append_many([_sent("U-1"), _sent("U-2")])
                uow.suppression.add(_entry("a"))
                uow.suppression.add(_entry("b"))
                uow.privacy_requests.add(_request("R-1"))
                uow.privacy_requests.add(_request("R-2"))
                uow.legal_holds.add(_hold("H-1"))
                uow.legal_holds.add(_hold("H-2"))
                uow.commit()
            with store.unit_of_work() as uow:
                readers = [
                    uow.consent.query(),
                    uow.data_uses.query("C-1"),
                    uow.suppression.query(),
                    uow.privacy_requests.query(),
                    uow.legal_holds.query(),
                ]
                for reader in readers:
                    next(reader)
                uow.rollback()
                for reader in readers:
                    with pytest.raises(StorageError):
                        next(reader)
            with pytest.raises(StorageError):
                uow.consent.count()  # outside its block

        self._on_store(check, "C-1")

    def test_writing_while_reading_yields_the_records_as_the_query_began(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.consent.append_many(_opt_out(f"E-{n:04d}") for n in range(0, 2_400, 2))
                uow.data_uses.append_many(_sent(f"U-{n:04d}") for n in range(0, 2_400, 2))
                uow.privacy_requests.add(_request("R-1"))
                uow.commit()
            with store.unit_of_work() as uow:
                seen = []
                for event in uow.consent.query("C-1"):
                    seen.append(event.event_id)
                    uow.consent.append(_opt_out(f"E-{int(event.event_id[2:]) + 1:04d}"))
                assert seen == [f"E-{n:04d}" for n in range(0, 2_400, 2)]
                assert uow.consent.count() == 2_400
                uses = []
                for use in uow.data_uses.query():
                    uses.append(use.event_id)
                    if len(uses) == 1:
                        assert uow.data_uses.erase("C-1") == 1_200  # erased while reading
                assert uses == [f"U-{n:04d}" for n in range(0, 2_400, 2)]
                assert uow.data_uses.count() == 0
                requests = []
                for request in uow.privacy_requests.query(open_only=True):
                    requests.append(request.id)
                    uow.privacy_requests.add(_request("R-0", received_at=_AT - timedelta(1)))
                    uow.privacy_requests.save(
                        request.evolve(status="completed", closed_at=_AT + timedelta(1))
                    )
                assert requests == ["R-1"]
                assert [r.id for r in uow.privacy_requests.query(open_only=True)] == ["R-0"]

        self._on_store(check, "C-1")
