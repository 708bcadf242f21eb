"""The storage contract, run against the in-memory adapter."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from retail_service_quality import ConflictError, Customer, InMemoryStore
from retail_service_quality.customers.consent import OptedOut
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.contract import StoreContract


class TestInMemoryStore(StoreContract):
    def make_store(self) -> Store:
        return InMemoryStore()


def _appended_in_another_thread(store: InMemoryStore, event: OptedOut) -> None:
    def append() -> None:
        with store.unit_of_work() as uow:
            uow.consent.append(event)
            uow.commit()

    thread = threading.Thread(target=append)
    thread.start()
    thread.join()


def test_an_event_appended_meanwhile_by_another_thread_conflicts_at_commit() -> None:
    at = datetime(2026, 4, 2, tzinfo=UTC)
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name="Lee", created_at=at))
        uow.commit()
    with store.unit_of_work() as uow:
        uow.consent.append(OptedOut(event_id="E-1", customer_id="C-1", at=at, evidence="a"))
        uow.consent.append(OptedOut(event_id="E-2", customer_id="C-1", at=at, evidence="a"))
        _appended_in_another_thread(
            store, OptedOut(event_id="E-1", customer_id="C-1", at=at, evidence="b")
        )
        with pytest.raises(ConflictError, match="'E-1'"):
            uow.commit()
    with store.unit_of_work() as uow:
        assert [e.evidence for e in uow.consent.query()] == ["b"]  # none of the refused unit


def test_an_erasure_committed_later_deletes_what_others_appended_meanwhile() -> None:
    at = datetime(2026, 4, 2, tzinfo=UTC)
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name="Lee", created_at=at))
        uow.consent.append(OptedOut(event_id="E-1", customer_id="C-1", at=at, evidence="a"))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.consent.erase("C-1") == 1
        _appended_in_another_thread(
            store, OptedOut(event_id="E-2", customer_id="C-1", at=at, evidence="b")
        )
        uow.commit()  # as on a database, where the erasure would have waited for the append
    with store.unit_of_work() as uow:
        assert uow.consent.count() == 0
