"""The in-process store lock gives up after the busy timeout; stores are context managers."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from retail_service_quality import InMemoryStore, SQLiteStore, StorageError
from retail_service_quality.storage.ports import Store


def _hold(store: Store, entered: threading.Event, release: threading.Event) -> threading.Thread:
    def run() -> None:
        with store.unit_of_work() as uow:
            uow.customers.count()
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=run)
    thread.start()
    assert entered.wait(10)
    return thread


def test_a_sqlite_unit_of_work_waiting_for_another_thread_gives_up(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db", busy_timeout=timedelta(milliseconds=50)) as store:
        entered, release = threading.Event(), threading.Event()
        thread = _hold(store, entered, release)
        try:
            with pytest.raises(StorageError, match="busy timeout"), store.unit_of_work():
                pass  # pragma: no cover - never entered
        finally:
            release.set()
            thread.join()
        with store.unit_of_work() as uow:  # free again once the other has finished
            assert uow.customers.count() == 0


def test_an_in_memory_commit_waiting_for_another_gives_up() -> None:
    with InMemoryStore(busy_timeout=timedelta(milliseconds=50)) as store:
        store._lock.acquire()  # another commit, stuck half-way
        try:
            failed = []

            def commit() -> None:
                with store.unit_of_work() as uow:
                    try:
                        uow.commit()
                    except StorageError as error:
                        failed.append(error)

            thread = threading.Thread(target=commit)
            thread.start()
            thread.join(10)
            assert len(failed) == 1
            assert "busy timeout" in str(failed[0])
        finally:
            store._lock.release()


def test_in_memory_units_of_work_in_several_threads_are_open_at_once() -> None:
    with InMemoryStore() as store:
        entered, release = threading.Event(), threading.Event()
        thread = _hold(store, entered, release)
        try:
            with store.unit_of_work() as uow:  # while the other thread's is open
                assert uow.customers.count() == 0
            with store.unit_of_work(), pytest.raises(StorageError), store.unit_of_work():
                pass  # pragma: no cover - within one thread, the second raises
        finally:
            release.set()
            thread.join()


@pytest.mark.parametrize("make", [InMemoryStore, lambda: SQLiteStore(":memory:")])
def test_stores_are_context_managers_and_refuse_work_once_closed(make: type[Store]) -> None:
    with make() as store, store.unit_of_work() as uow:
        assert uow.interactions.count() == 0
    with pytest.raises(StorageError, match="closed"):
        store.unit_of_work()
    store.close()  # closing twice is harmless
