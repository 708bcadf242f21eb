"""Both stores name the record a bulk add refuses, in the same words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import retail_service_quality as rsq


def _contact(record_id: str, customer_id: str | None = None) -> rsq.ServiceInteraction:
    return rsq.ServiceInteraction(
        id=record_id,
        store_id="S1",
        channel="fax",
        occurred_at=datetime(2026, 11, 30, tzinfo=UTC),
        customer_id=customer_id,
    )


@pytest.mark.parametrize("make", [rsq.InMemoryStore, lambda: rsq.SQLiteStore(":memory:")])
def test_a_bulk_add_names_the_record_it_refuses(make: object) -> None:
    store = make()  # type: ignore[operator]
    with store, store.unit_of_work() as uow:
        with pytest.raises(rsq.NotFoundError) as missing:
            uow.interactions.add_many([_contact("I-1"), _contact("I-2", "C-404")])
        assert str(missing.value) == "interaction 'I-2' names a customer that does not exist"
        assert uow.interactions.count() == 0  # all or none
        uow.interactions.add(_contact("I-1"))
        with pytest.raises(rsq.ConflictError) as duplicate:
            uow.interactions.add_many([_contact("I-3"), _contact("I-1")])
        assert str(duplicate.value) == "an interaction with id 'I-1' already exists"
        assert uow.interactions.count() == 1
