"""What every part of the storage contract shares: the store under test, and records put in it.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class Check(ContractBase):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> Check().make_store().close()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from retail_service_quality.storage.ports import Store, UnitOfWork

__all__ = ["ContractBase"]


class ContractBase:
    """The store a contract test runs on, made fresh for each test by `make_store`."""

    def make_store(self) -> Store:
        """A new, empty store (see `StoreContract.make_store`).

        Examples:
            >>> ContractBase().make_store()
            Traceback (most recent call last):
            ...
            NotImplementedError
        """
        raise NotImplementedError

    def _with_stored(
        self,
        test: Callable[[Store], None],
        repository: Callable[[UnitOfWork], Any],
        records: Sequence[Any],
    ) -> None:
        """Run ``test`` on a new store holding ``records`` (added to ``repository(uow)``,
        committed), and close the store afterwards."""
        store = self.make_store()
        try:
            if records:
                with store.unit_of_work() as uow:
                    assert repository(uow).add_many(records) == len(records)
                    uow.commit()
            test(store)
        finally:
            store.close()
