"""The storage contract: one test suite that every adapter of the storage port must pass.

The library runs it against `InMemoryStore` and `SQLiteStore`. To prove an
adapter for your own database behaves the same, subclass `StoreContract`,
say how to make a fresh, empty store, and run pytest
(``pip install 'retail-service-quality[testing]'``):

```python
from retail_service_quality.testing.contract import StoreContract

class TestMyStore(StoreContract):
    def make_store(self):
        return MyStore(dsn="postgresql://localhost/test")  # fresh and empty each time
```

`compare_stores` adds a stateful test that drives random sequences of
operations against your store and the in-memory one and requires identical
results.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(StoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_get_missing_raises_not_found()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    rule,
)

from retail_service_quality.customers import ContactPoint, Customer, DataKind, JoinMethod
from retail_service_quality.customers.consent import ConsentEvent
from retail_service_quality.customers.requests import LegalHold, PrivacyRequest, SuppressionEntry
from retail_service_quality.customers.uses import DataUse
from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    RSQError,
    StorageError,
    ValidationError,
)
from retail_service_quality.quality.actions import ActionMove, ActionStatus
from retail_service_quality.quality.awards import AwardScheme
from retail_service_quality.quality.documents import DocumentKind, DocumentRef
from retail_service_quality.quality.pledges import PledgeMeasure, ServicePledge
from retail_service_quality.quality.training import Attendance
from retail_service_quality.service.complaints import Complaint, ComplaintState
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    InteractionKind,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.service.sla import TargetKind
from retail_service_quality.storage.ports import (
    ComplaintQuery,
    CustomerQuery,
    InteractionQuery,
    InteractionSummary,
    Store,
)
from retail_service_quality.storage.ports.interactions import SHORT_ABANDON
from retail_service_quality.storage.ports.surveys import SURVEY_GROUPS
from retail_service_quality.testing.contract_actions import ActionStoreContract, improvement_actions
from retail_service_quality.testing.contract_attainment import AttainmentContract
from retail_service_quality.testing.contract_awards import AwardStoreContract, _result, _schemes
from retail_service_quality.testing.contract_complaint_analysis import ComplaintAnalysisContract
from retail_service_quality.testing.contract_complaints import ComplaintStoreContract
from retail_service_quality.testing.contract_documents import DocumentStoreContract, documents
from retail_service_quality.testing.contract_indicators import IndicatorContract
from retail_service_quality.testing.contract_pledges import PledgeStoreContract, _pledges
from retail_service_quality.testing.contract_privacy import PrivacyStoreContract
from retail_service_quality.testing.contract_reviews import ReviewStoreContract
from retail_service_quality.testing.contract_surveys import (
    INSTRUMENTS,
    SurveyStoreContract,
    survey_responses,
)
from retail_service_quality.testing.contract_training import (
    TrainingStoreContract,
    training_records,
)
from retail_service_quality.testing.strategies import (
    STORES,
    complaint_steps,
    complaints,
    consent_events,
    customers,
    data_uses,
    interactions,
    legal_holds,
    privacy_requests,
    real_datetimes,
    sla_policies,
    suppression_entries,
)

__all__ = ["StoreContract", "compare_stores"]

HK = ZoneInfo("Asia/Hong_Kong")
_BASE = datetime(2026, 11, 2, 9, 0, tzinfo=HK)  # a Monday


def _customer(record_id: str = "C-1", **changes: Any) -> Customer:
    fields: dict[str, Any] = {
        "id": record_id,
        "name": "Chan Tai Man",
        "contacts": (
            ContactPoint(DataKind.EMAIL, "tm.chan@example.com"),
            ContactPoint(DataKind.MOBILE_NUMBER, "+852 5555 0101"),
        ),
        "preferred_language": "zh-Hant-HK",
        "date_of_birth": date(1990, 2, 28),
        "home_store_id": "HK-CWB",
        "created_at": _BASE,
    }
    fields.update(changes)
    return Customer(**fields)


def _interaction(record_id: str = "I-1", **changes: Any) -> ServiceInteraction:
    fields: dict[str, Any] = {
        "id": record_id,
        "store_id": "HK-CWB",
        "channel": Channel.HOTLINE,
        "occurred_at": _BASE,
        "subject": "delivery",
        "handle_time": timedelta(minutes=5),
        "notes": "customer asked for a call back",
    }
    fields.update(changes)
    return ServiceInteraction(**fields)


# Each subclass runs these with its own store, so hypothesis sees several executors: by design.
_ROUND_TRIP = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,  # only a directory, never emptied between examples
    ],
)


class StoreContract(
    PrivacyStoreContract,
    ComplaintStoreContract,
    ComplaintAnalysisContract,
    PledgeStoreContract,
    ReviewStoreContract,
    AttainmentContract,
    IndicatorContract,
    SurveyStoreContract,
    DocumentStoreContract,
    TrainingStoreContract,
    ActionStoreContract,
    AwardStoreContract,
):
    """The behaviour every store must show. Subclass it and implement `make_store`.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(StoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_uncommitted_changes_roll_back()
    """

    tmp_path: Path
    """A fresh directory for each test (pytest's ``tmp_path``), for stores kept in files."""

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def make_store(self) -> Store:
        """A new, empty store. Each test closes the store it made.

        A store kept in files puts them under ``self.tmp_path``, which pytest
        removes; each call must give a new store there (several per test).

        Examples:
            >>> StoreContract().make_store()
            Traceback (most recent call last):
            ...
            NotImplementedError
        """
        raise NotImplementedError

    # ------------------------------------------------------------ helpers

    def _with_store(self, test: Callable[[Store], None]) -> None:
        store = self.make_store()
        try:
            test(store)
        finally:
            store.close()

    @staticmethod
    def _seed(store: Store, *records: Customer | ServiceInteraction) -> None:
        with store.unit_of_work() as uow:
            uow.customers.add_many(r for r in records if isinstance(r, Customer))
            uow.interactions.add_many(r for r in records if isinstance(r, ServiceInteraction))
            uow.commit()

    # ------------------------------------------------------------ records

    @_ROUND_TRIP
    @given(st.lists(customers(), max_size=5, unique_by=lambda c: c.id))
    def test_customers_round_trip(self, records: list[Customer]) -> None:
        def check(store: Store) -> None:
            self._seed(store, *records)
            with store.unit_of_work() as uow:
                for record in records:
                    found = uow.customers.get(record.id)
                    assert found == record
                    assert found.created_at.utcoffset() == record.created_at.utcoffset()

        self._with_store(check)

    @_ROUND_TRIP
    @given(
        st.lists(
            interactions(customer_ids=st.none() | st.just("C-1")),
            max_size=5,
            unique_by=lambda i: i.id,
        )
    )
    def test_interactions_round_trip(self, records: list[ServiceInteraction]) -> None:
        def check(store: Store) -> None:
            self._seed(store, _customer("C-1"), *records)
            with store.unit_of_work() as uow:
                for record in records:
                    found = uow.interactions.get(record.id)
                    assert found == record
                    for name in ("occurred_at", "first_response_at", "closed_at"):
                        stored, given = getattr(found, name), getattr(record, name)
                        assert (stored is None) is (given is None)
                        if stored is not None:
                            assert stored.utcoffset() == given.utcoffset()
                            assert stored.tzinfo == given.tzinfo
                    assert found.handle_time == record.handle_time
                    assert found.abandoned is record.abandoned
                    assert found.resolved_first_contact is record.resolved_first_contact

        self._with_store(check)

    def test_get_missing_raises_not_found(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                with pytest.raises(NotFoundError):
                    uow.customers.get("nobody")
                with pytest.raises(NotFoundError):
                    uow.interactions.get("nothing")

        self._with_store(check)

    def test_duplicate_ids_conflict(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, _customer("C-1"), _interaction("I-1"))
            with store.unit_of_work() as uow:
                with pytest.raises(ConflictError):
                    uow.customers.add(_customer("C-1", name="Someone Else"))
                with pytest.raises(ConflictError):
                    uow.interactions.add(_interaction("I-1"))
                uow.customers.add(_customer("C-2"))
                with pytest.raises(ConflictError):
                    uow.customers.add(_customer("C-2"))

        self._with_store(check)

    # ------------------------------------------------------------ units of work

    def test_uncommitted_changes_roll_back(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.customers.add(_customer("C-1"))
                uow.interactions.add(_interaction("I-1"))
                assert uow.customers.count() == 1  # visible inside the unit
            with store.unit_of_work() as uow:
                assert uow.customers.count() == 0
                assert uow.interactions.count() == 0

        self._with_store(check)

    def test_an_exception_rolls_back_and_propagates(self) -> None:
        def check(store: Store) -> None:
            def fail_midway() -> None:
                with store.unit_of_work() as uow:
                    uow.customers.add(_customer("C-1"))
                    raise KeyError("boom")

            with pytest.raises(KeyError):
                fail_midway()
            with store.unit_of_work() as uow:
                assert uow.customers.count() == 0

        self._with_store(check)

    def test_rollback_discards_since_last_commit(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.customers.add(_customer("C-1"))
                uow.commit()
                uow.customers.add(_customer("C-2"))
                uow.rollback()
                assert [c.id for c in uow.customers.query()] == ["C-1"]
                uow.customers.add(_customer("C-3"))
                uow.commit()
                uow.customers.add(_customer("C-4"))
            with store.unit_of_work() as uow:
                assert [c.id for c in uow.customers.query()] == ["C-1", "C-3"]

        self._with_store(check)

    def test_unit_of_work_only_inside_its_block(self) -> None:
        def check(store: Store) -> None:
            uow = store.unit_of_work()
            with pytest.raises(StorageError):
                uow.customers.count()
            with uow:
                uow.customers.count()
            with pytest.raises(StorageError):
                uow.customers.add(_customer("C-1"))

        self._with_store(check)

    def test_read_only_units_of_work_refuse_to_write(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, _customer("C-1"), _interaction("I-1"))
            with store.unit_of_work(read_only=True) as uow:
                customer = uow.customers.get("C-1")
                assert uow.interactions.count() == 1
                with pytest.raises(StorageError):
                    uow.customers.add(_customer("C-2"))
                with pytest.raises(StorageError):
                    uow.customers.save(customer.evolve(tier="vip"))
                with pytest.raises(StorageError):
                    uow.interactions.add_many([_interaction("I-2")])
                uow.commit()  # nothing to commit, and harmless
            with store.unit_of_work() as uow:
                assert uow.customers.get("C-1") == customer
                assert uow.interactions.count() == 1

        self._with_store(check)

    def test_units_of_work_do_not_nest(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as outer:
                outer.customers.add(_customer("C-1"))
                with pytest.raises(StorageError), store.unit_of_work():
                    pass  # pragma: no cover - never entered
                outer.commit()
            with store.unit_of_work() as uow:
                assert uow.customers.count() == 1

        self._with_store(check)

    def test_results_are_read_inside_the_unit_of_work(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, *(_customer(f"C-{n:04d}") for n in range(1_500)))
            with store.unit_of_work() as uow:
                started = uow.customers.query()
                assert next(started).id == "C-0000"
                not_started = uow.interactions.query()
            with pytest.raises(StorageError):
                list(started)
            with pytest.raises(StorageError):
                list(not_started)

        self._with_store(check)

    # ------------------------------------------------------------ writing while reading

    def test_saving_while_reading_a_query_yields_each_record_once_as_it_began(self) -> None:
        def check(store: Store) -> None:
            opened = [
                _interaction(
                    f"I-{n:04d}",
                    status=InteractionStatus.OPEN,
                    occurred_at=_BASE + timedelta(minutes=n),
                )
                for n in range(1_500)
            ]
            self._seed(store, *opened)
            later = timedelta(days=30)
            with store.unit_of_work() as uow:
                seen = []
                for record in uow.interactions.query(InteractionQuery(status="open")):
                    assert record.version == 1  # as it stood when the query began
                    seen.append(record.id)
                    # Postponing moves the record after every other one in the query's order.
                    uow.interactions.save(record.evolve(occurred_at=record.occurred_at + later))
                assert seen == [record.id for record in opened]
                uow.commit()
            with store.unit_of_work() as uow:
                assert {r.version for r in uow.interactions.query()} == {2}

        self._with_store(check)

    def test_saving_customers_while_reading_yields_each_once(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, *(_customer(f"C-{n:04d}") for n in range(1_200)))
            with store.unit_of_work() as uow:
                seen = [
                    uow.customers.save(customer.evolve(tier="vip")).id
                    for customer in uow.customers.query(CustomerQuery(tier="standard"))
                ]
                assert seen == [f"C-{n:04d}" for n in range(1_200)]
                assert uow.customers.count(CustomerQuery(tier="vip")) == 1_200

        self._with_store(check)

    def test_records_added_while_reading_are_not_yielded(self) -> None:
        def check(store: Store) -> None:
            self._seed(
                store,
                *(_customer(f"C-{n:04d}") for n in range(0, 2_400, 2)),
                *(_interaction(f"I-{n:04d}") for n in range(0, 2_400, 2)),
            )
            with store.unit_of_work() as uow:
                customers = [c.id for c in uow.customers.query()]
                uow.customers.add_many([])  # a write that changes nothing changes nothing
                for customer in uow.customers.query():
                    number = int(customer.id[2:])
                    uow.customers.add(_customer(f"C-{number + 1:04d}"))
                    customers.remove(customer.id)
                assert customers == []
                seen = []
                for record in uow.interactions.query():
                    seen.append(record.id)
                    uow.interactions.add(_interaction(f"I-{int(record.id[2:]) + 1:04d}"))
                assert seen == [f"I-{n:04d}" for n in range(0, 2_400, 2)]
                assert uow.customers.count() == uow.interactions.count() == 2_400
                times = uow.interactions.handle_times()
                uow.interactions.add(_interaction("I-9999", handle_time=timedelta(0)))
                assert len(list(times)) == 2_400
                uow.commit()

        self._with_store(check)

    def test_a_rollback_ends_the_queries_being_read(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, *(_customer(f"C-{n}") for n in range(3)))
            with store.unit_of_work() as uow:
                reading = uow.customers.query()
                assert next(reading).id == "C-0"
                uow.rollback()
                with pytest.raises(StorageError):
                    next(reading)
                assert [c.id for c in uow.customers.query()] == ["C-0", "C-1", "C-2"]

        self._with_store(check)

    def test_queries_compare_instants_at_a_repeated_hour(self) -> None:
        def check(store: Store) -> None:
            london = ZoneInfo("Europe/London")
            # 01:20 GMT (the second 01:20 on 25 October) comes after 01:30 BST.
            late = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=london)
            start = datetime(2026, 10, 25, 1, 30, tzinfo=london)
            self._seed(
                store,
                _interaction("I-late", occurred_at=late),
                _customer("C-late", created_at=late),
            )
            with store.unit_of_work() as uow:
                query = InteractionQuery(start=start)
                assert query.matches(uow.interactions.get("I-late"))
                assert [i.id for i in uow.interactions.query(query)] == ["I-late"]
                assert uow.interactions.count(InteractionQuery(end=start)) == 0
                assert uow.customers.count(CustomerQuery(created_from=start)) == 1
                assert uow.customers.count(CustomerQuery(created_to=start)) == 0

        self._with_store(check)

    # ------------------------------------------------------------ optimistic concurrency

    def test_save_increments_the_version(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, _customer("C-1"), _interaction("I-1"))
            with store.unit_of_work() as uow:
                customer = uow.customers.save(uow.customers.get("C-1").evolve(tier="vip"))
                assert customer.version == 2
                contact = uow.interactions.get("I-1")
                saved = uow.interactions.save(contact.evolve(status=InteractionStatus.ESCALATED))
                assert saved.version == 2
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.customers.get("C-1") == customer
                assert uow.interactions.get("I-1").status is InteractionStatus.ESCALATED

        self._with_store(check)

    def test_two_clerks_never_overwrite_each_other(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, _customer("C-1"))
            with store.unit_of_work() as uow:
                first_clerk = uow.customers.get("C-1")
            with store.unit_of_work() as uow:
                second_clerk = uow.customers.get("C-1")
            with store.unit_of_work() as uow:
                new_phone = ContactPoint(DataKind.MOBILE_NUMBER, "+852 5555 0202")
                uow.customers.save(first_clerk.evolve(contacts=[new_phone]))
                uow.commit()
            with store.unit_of_work() as uow, pytest.raises(ConflictError) as error:
                uow.customers.save(second_clerk.evolve(tier="vip"))
            assert "Chan" not in str(error.value)  # no personal data in the message
            assert "example.com" not in str(error.value)
            with store.unit_of_work() as uow:
                stored = uow.customers.get("C-1")
                assert (stored.phone, stored.tier, stored.version) == (
                    "+852 5555 0202",
                    "standard",
                    2,
                )

        self._with_store(check)

    def test_saving_twice_from_one_read_conflicts(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, _interaction("I-1"))
            with store.unit_of_work() as uow:
                read = uow.interactions.get("I-1")
                uow.interactions.save(read.evolve(subject="returns"))
                with pytest.raises(ConflictError):
                    uow.interactions.save(read.evolve(subject="price"))

        self._with_store(check)

    def test_save_missing_raises_not_found(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                with pytest.raises(NotFoundError):
                    uow.customers.save(_customer("C-9"))
                with pytest.raises(NotFoundError):
                    uow.interactions.save(_interaction("I-9"))

        self._with_store(check)

    # ------------------------------------------------------------ bulk loads and references

    def test_add_many_is_all_or_none(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.customers.add(_customer("C-0"))
                with pytest.raises(ConflictError):
                    uow.customers.add_many([_customer("C-1"), _customer("C-2"), _customer("C-1")])
                with pytest.raises(ConflictError):
                    uow.customers.add_many([_customer("C-3"), _customer("C-0")])
                assert [c.id for c in uow.customers.query()] == ["C-0"]
                assert uow.customers.add_many(_customer(f"C-{n}") for n in range(1, 4)) == 3
                assert uow.customers.add_many([]) == 0
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.customers.count() == 4

        self._with_store(check)

    def test_interactions_must_name_existing_customers(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                with pytest.raises(NotFoundError):
                    uow.interactions.add(_interaction("I-1", customer_id="C-404"))
                with pytest.raises(NotFoundError):
                    uow.interactions.add_many(
                        [_interaction("I-2"), _interaction("I-3", customer_id="C-404")]
                    )
                assert uow.interactions.count() == 0
                uow.customers.add(_customer("C-1"))
                uow.interactions.add(_interaction("I-4", customer_id="C-1"))
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.interactions.get("I-4").customer_id == "C-1"

        self._with_store(check)

    # ------------------------------------------------------------ queries

    def _sample(self, store: Store) -> list[ServiceInteraction]:
        records = [
            _interaction(
                f"I-{n:02d}",
                store_id=STORES[n % 3],
                channel=list(Channel)[n % 4],
                occurred_at=_BASE + timedelta(hours=13 * n),
                customer_id="C-1" if n % 4 == 0 else None,
                status=InteractionStatus.OPEN if n % 5 == 0 else InteractionStatus.RESOLVED,
                handle_time=None if n % 6 == 0 else timedelta(minutes=n),
                kind=list(InteractionKind)[n % len(InteractionKind)],
                direction="outbound" if n % 8 == 0 else "inbound",
                abandoned=n % 4 == 1,
            )
            for n in range(40)
        ]
        # Two at the same instant, to show ties are ordered by id.
        records.append(_interaction("I-00b", occurred_at=_BASE))
        self._seed(store, _customer("C-1"), *records)
        return sorted(records, key=lambda r: (r.occurred_at.astimezone(UTC), r.id))

    def test_interaction_queries_filter_and_order(self) -> None:
        def check(store: Store) -> None:
            records = self._sample(store)
            cases = [
                InteractionQuery(),
                InteractionQuery(start=_BASE + timedelta(days=3)),
                InteractionQuery(end=_BASE + timedelta(hours=26)),
                InteractionQuery(start=_BASE + timedelta(hours=13), end=_BASE + timedelta(days=9)),
                InteractionQuery(store_id="HK-TST"),
                InteractionQuery(channel=Channel.EMAIL),
                InteractionQuery(customer_id="C-1"),
                InteractionQuery(status=InteractionStatus.OPEN, store_id="HK-CWB"),
                InteractionQuery(store_id="nowhere"),
                InteractionQuery(kind=InteractionKind.COMPLAINT),
                InteractionQuery(kind="return", channel="email"),
                InteractionQuery(direction=InteractionDirection.OUTBOUND),
                InteractionQuery(direction="inbound", customer_id="C-1"),
                InteractionQuery(abandoned=True),
                InteractionQuery(abandoned=False, kind="enquiry"),
                InteractionQuery(abandoned=True, direction="inbound", store_id="HK-TST"),
            ]
            with store.unit_of_work() as uow:
                for query in cases:
                    expected = [r.id for r in records if query.matches(r)]
                    if query.kind is not None or query.direction is not None or query.abandoned:
                        assert expected  # the sample holds some of each
                    found = uow.interactions.query(query)
                    assert iter(found) is found  # streamed, not a list
                    assert [r.id for r in found] == expected
                    assert uow.interactions.count(query) == len(expected)

        self._with_store(check)

    def test_customer_queries_filter_by_join_method_and_erasure(self) -> None:
        def check(store: Store) -> None:
            erased_at = _BASE + timedelta(days=30)
            methods = (JoinMethod.APP, JoinMethod.IN_STORE, None)
            records = [
                _customer(f"C-{n}", join_method=methods[n % 3], created_at=_BASE) for n in range(7)
            ]
            records = [
                record.anonymised(at=erased_at) if n % 2 else record
                for n, record in enumerate(records)
            ]
            self._seed(store, *records)
            cases = [
                CustomerQuery(join_method="app"),
                CustomerQuery(join_method=JoinMethod.IN_STORE, erased=False),
                CustomerQuery(erased=True),
                CustomerQuery(erased=False),
                CustomerQuery(erased=True, join_method="app"),
                CustomerQuery(join_method="invitation"),
            ]
            with store.unit_of_work() as uow:
                for query in cases:
                    expected = sorted(r.id for r in records if query.matches(r))
                    assert [c.id for c in uow.customers.query(query)] == expected
                    assert uow.customers.count(query) == len(expected)
                assert uow.customers.count(CustomerQuery(erased=True)) == 3
                assert uow.customers.count(CustomerQuery(join_method="app", erased=False)) == 2
                erased = uow.customers.get("C-1")
                assert (erased.name, erased.contacts) == (None, ())
                assert erased.erased_at == erased_at

        self._with_store(check)

    def test_anonymised_customers_save_and_read_back(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, _customer("C-1", staff_notes="prefers mornings"))
            with store.unit_of_work() as uow:
                read = uow.customers.get("C-1")
                at = _BASE + timedelta(days=1)
                saved = uow.customers.save(read.anonymised(["contacts", "staff_notes"], at=at))
                uow.commit()
            with store.unit_of_work() as uow:
                stored = uow.customers.get("C-1")
            assert stored == saved
            assert (stored.contacts, stored.staff_notes, stored.name) == ((), None, "Chan Tai Man")
            assert (stored.erased_at, stored.version) == (at, 2)

        self._with_store(check)

    def test_customer_queries_filter_and_order(self) -> None:
        def check(store: Store) -> None:
            records = [
                _customer(
                    f"C-{n}",
                    home_store_id=STORES[n % 2],
                    tier="vip" if n % 3 == 0 else "standard",
                    created_at=_BASE + timedelta(days=n),
                )
                for n in (5, 3, 9, 1, 7, 2)
            ]
            self._seed(store, *records)
            cases = [
                CustomerQuery(),
                CustomerQuery(tier="vip"),
                CustomerQuery(home_store_id="HK-TST"),
                CustomerQuery(created_from=_BASE + timedelta(days=3)),
                CustomerQuery(created_to=_BASE + timedelta(days=3), tier="standard"),
            ]
            with store.unit_of_work() as uow:
                for query in cases:
                    expected = sorted(r.id for r in records if query.matches(r))
                    assert [c.id for c in uow.customers.query(query)] == expected
                    assert uow.customers.count(query) == len(expected)

        self._with_store(check)

    def test_summaries(self) -> None:
        def check(store: Store) -> None:
            records = self._sample(store)
            with store.unit_of_work() as uow:
                for group_by in (
                    ("period",),
                    ("store",),
                    ("channel",),
                    ("period", "store", "channel"),
                    (),
                ):
                    for period in ("day", "week", "month"):
                        for offset in (timedelta(0), timedelta(hours=8), timedelta(hours=-5)):
                            found = uow.interactions.summarize(
                                group_by=group_by,
                                period=period,
                                utc_offset=offset,
                            )
                            assert found == _expected_summary(records, group_by, period, offset)
                query = InteractionQuery(store_id="HK-MK")
                rows = uow.interactions.summarize(query, group_by=("channel",))
                assert sum(row.count for row in rows) == uow.interactions.count(query)

        self._with_store(check)

    def test_summaries_in_a_time_zone_follow_daylight_saving(self) -> None:
        def check(store: Store) -> None:
            london = ZoneInfo("Europe/London")
            moments = [
                datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # Saturday night, GMT
                datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 00:30 GMT, before the change
                datetime(2026, 3, 29, 23, 30, tzinfo=UTC),  # 00:30 BST on Monday 30 March
                datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 00:30 BST on Sunday 25 October
                datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # 23:30 GMT, still Sunday
                datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
            ]
            records = [
                _interaction(f"I-{n}", occurred_at=moment) for n, moment in enumerate(moments)
            ]
            self._seed(store, *records)
            with store.unit_of_work() as uow:
                for period in ("day", "week", "month"):
                    found = uow.interactions.summarize(period=period, timezone="Europe/London")
                    assert found == _expected_summary(records, ("period",), period, london)
                days = uow.interactions.summarize(timezone="Europe/London")
                assert [(row.period, row.count) for row in days] == [
                    (date(2026, 3, 28), 1),
                    (date(2026, 3, 29), 1),
                    (date(2026, 3, 30), 1),
                    (date(2026, 10, 25), 2),
                    (date(2026, 12, 31), 1),
                ]
                assert (
                    uow.interactions.summarize(
                        InteractionQuery(store_id="nowhere"), timezone="Europe/London"
                    )
                    == []
                )

        self._with_store(check)

    def test_summaries_count_calls_offered_and_abandoned(self) -> None:
        def check(store: Store) -> None:
            self._seed(store, _customer("C-1"))
            contacts = [
                ("I-1", Channel.HOTLINE, "inbound", False, "HK-CWB"),  # answered call
                ("I-2", Channel.HOTLINE, "inbound", True, "HK-CWB"),  # abandoned call
                ("I-3", Channel.HOTLINE, "inbound", True, "HK-TST"),
                ("I-4", Channel.HOTLINE, "outbound", False, "HK-CWB"),  # not offered to a queue
                ("I-5", Channel.ONLINE, "inbound", True, "HK-CWB"),  # not a call
                ("I-6", Channel.EMAIL, "inbound", False, "HK-TST"),
            ]
            records = [
                _interaction(
                    record_id,
                    channel=channel,
                    direction=direction,
                    customer_id="C-1",
                    abandoned=abandoned,
                    store_id=store_id,
                    handle_time=None if abandoned else timedelta(minutes=3),
                )
                for record_id, channel, direction, abandoned, store_id in contacts
            ]
            self._seed(store, *records)
            with store.unit_of_work() as uow:
                whole = uow.interactions.summarize(group_by=())
                by_store = uow.interactions.summarize(group_by=("store", "channel"))
                answered = uow.interactions.summarize(
                    InteractionQuery(abandoned=False), group_by=()
                )
            assert [(r.count, r.offered, r.abandoned) for r in whole] == [(6, 3, 2)]
            assert whole[0].abandonment_rate == 2 / 3
            assert [
                (r.store_id, r.channel, r.offered, r.abandoned, r.abandonment_rate)
                for r in by_store
            ] == [
                ("HK-CWB", Channel.HOTLINE, 2, 1, 0.5),
                ("HK-CWB", Channel.ONLINE, 0, 0, None),
                ("HK-TST", Channel.EMAIL, 0, 0, None),
                ("HK-TST", Channel.HOTLINE, 1, 1, 1.0),
            ]
            assert [(r.offered, r.abandoned) for r in answered] == [(1, 0)]
            assert by_store == _expected_summary(records, ("store", "channel"), "day", UTC)

        self._with_store(check)

    def test_short_abandons_leave_the_calls_offered(self) -> None:
        def check(store: Store) -> None:
            waits = [None, timedelta(seconds=2), timedelta(seconds=5), timedelta(seconds=40)]
            records = [
                _interaction(
                    f"I-{n}", channel=Channel.HOTLINE, direction="inbound", abandoned=True,
                    queue_time=wait,
                )
                for n, wait in enumerate(waits)
            ] + [_interaction("I-9", channel=Channel.HOTLINE, direction="inbound")]  # fmt: skip
            self._seed(store, *records)
            with store.unit_of_work() as uow:
                default = uow.interactions.summarize(group_by=())
                none = uow.interactions.summarize(group_by=(), short_abandon=timedelta(0))
                longer = uow.interactions.summarize(group_by=(), short_abandon=timedelta(minutes=1))
                with pytest.raises(ValidationError) as error:
                    uow.interactions.summarize(short_abandon=timedelta(seconds=-1))
            # A short abandon is one with a recorded wait under the threshold (5 s by default).
            assert [(r.offered, r.abandoned, r.short_abandoned) for r in default] == [(4, 3, 1)]
            assert [(r.offered, r.abandoned, r.short_abandoned) for r in none] == [(5, 4, 0)]
            assert [(r.offered, r.abandoned, r.short_abandoned) for r in longer] == [(2, 1, 3)]
            assert default == _expected_summary(records, (), "day", UTC)
            assert [p.path for p in error.value.problems] == ["$.short_abandon"]

        self._with_store(check)

    def test_summary_arguments_checked(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow, pytest.raises(ValidationError) as error:
                uow.interactions.summarize(
                    group_by=("hour",),  # type: ignore[arg-type]
                    period="year",  # type: ignore[arg-type]
                    utc_offset=timedelta(hours=30),
                    timezone="Mars/Olympus",
                )
            paths = [problem.path for problem in error.value.problems]
            assert paths == ["$.group_by", "$.period", "$.utc_offset", "$.timezone"]
            with store.unit_of_work() as uow, pytest.raises(ValidationError) as error:
                uow.interactions.summarize(utc_offset=timedelta(hours=8), timezone="Asia/Hong_Kong")
            assert [problem.path for problem in error.value.problems] == ["$.utc_offset"]

        self._with_store(check)

    def test_handle_times_are_sorted_percentile_inputs(self) -> None:
        def check(store: Store) -> None:
            records = self._sample(store)
            with store.unit_of_work() as uow:
                query = InteractionQuery(channel=Channel.HOTLINE)
                expected = sorted(
                    r.handle_time for r in records if query.matches(r) and r.handle_time is not None
                )
                assert list(uow.interactions.handle_times(query)) == expected

        self._with_store(check)

    def test_instants_keep_their_zone_and_microseconds(self) -> None:
        def check(store: Store) -> None:
            moments = [
                datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=ZoneInfo("Europe/London")),
                datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
                datetime(2026, 7, 1, 12, tzinfo=timezone(timedelta(hours=5, minutes=45))),
                datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
            ]
            records = [
                _interaction(f"I-{n}", occurred_at=moment, handle_time=timedelta(microseconds=7))
                for n, moment in enumerate(moments)
            ]
            self._seed(store, *records)
            with store.unit_of_work() as uow:
                for record in records:
                    found = uow.interactions.get(record.id)
                    assert found.occurred_at.astimezone(UTC) == record.occurred_at.astimezone(UTC)
                    assert found.occurred_at.utcoffset() == record.occurred_at.utcoffset()
                    assert found.handle_time == timedelta(microseconds=7)

        self._with_store(check)


def _offered(record: ServiceInteraction) -> bool:
    """Whether an interaction is a call offered to the queue: inbound, on the hotline."""
    return record.channel is Channel.HOTLINE and record.direction is InteractionDirection.INBOUND


def _short(record: ServiceInteraction) -> bool:
    """Whether a call is a short abandon: rang off within the default threshold of 5 seconds."""
    queue = record.queue_time
    return _offered(record) and record.abandoned and queue is not None and queue < SHORT_ABANDON


def _expected_summary(
    records: list[ServiceInteraction],
    group_by: tuple[str, ...],
    period: str,
    zone: timedelta | tzinfo,
) -> list[InteractionSummary]:
    """The summary computed the slow, obvious way."""
    groups: dict[tuple[Any, ...], list[ServiceInteraction]] = {}
    local_zone = timezone(zone) if isinstance(zone, timedelta) else zone
    for record in records:
        day = record.occurred_at.astimezone(local_zone).date()
        if period == "week":
            day -= timedelta(days=day.weekday())
        elif period == "month":
            day = date(day.year, day.month, 1)
        key = (
            day if "period" in group_by else None,
            record.store_id if "store" in group_by else None,
            record.channel if "channel" in group_by else None,
        )
        groups.setdefault(key, []).append(record)
    rows = [
        InteractionSummary(
            period=key[0],
            store_id=key[1],
            channel=key[2],
            count=len(members),
            handled=sum(1 for m in members if m.handle_time is not None),
            handle_time=sum(
                (m.handle_time for m in members if m.handle_time is not None), timedelta(0)
            ),
            offered=sum(1 for m in members if _offered(m) and not _short(m)),
            abandoned=sum(1 for m in members if _offered(m) and m.abandoned and not _short(m)),
            short_abandoned=sum(1 for m in members if _short(m)),
        )
        for key, members in groups.items()
    ]
    return sorted(
        rows,
        key=lambda r: (
            "" if r.period is None else r.period.isoformat(),
            r.store_id or "",
            "" if r.channel is None else r.channel.value,
        ),
    )


# ---------------------------------------------------------------- stateful comparison


_EVENT_IDS = st.sampled_from(["E-1", "E-2", "E-3", "E-4"])
_PRIVACY_CUSTOMERS = st.sampled_from(["C-1", "C-2", "C-404"])
_COMPLAINT_IDS = st.sampled_from([f"CMP-{n}" for n in range(6)])
_COMPLAINTS = complaints(
    ids=_COMPLAINT_IDS,
    customer_ids=st.none() | _PRIVACY_CUSTOMERS,
    policies=st.none() | sla_policies(),
    max_steps=8,
)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_DAYS = st.none() | st.integers(0, 36_525).map(lambda days: _EPOCH + timedelta(days))
_PLEDGE_IDS = st.sampled_from(["P-1", "P-2", "P-3"])
_AWARD_IDS = st.sampled_from(["AW-1", "AW-2"])
_LEVELS = st.sampled_from(["staff", "store", "business_unit"])
_PLEDGES = _pledges(ids=_PLEDGE_IDS)
_RESPONSE_IDS = st.sampled_from([f"R-{n}" for n in range(6)])
_DOCUMENT_IDS = st.sampled_from(["D-1", "D-2", "D-3"])
_DOCUMENTS = documents(ids=_DOCUMENT_IDS)
_ATTENDANCE_IDS = st.sampled_from(["T-1/E-1", "T-1/E-2", "T-2/E-1"])
_ACTION_IDS = st.sampled_from(["A-1", "A-2", "A-3"])


def _outcome(action: Callable[[], Any]) -> Any:
    """What an operation did: its result, or the library error class it raised."""
    try:
        return ("ok", action())
    except RSQError as error:
        return ("error", type(error))


def compare_stores(
    make_reference: Callable[[], Store], make_candidate: Callable[[], Store]
) -> type[RuleBasedStateMachine]:
    """A hypothesis state machine that runs the same random operations on two stores.

    Every step must give the same result (or raise the same kind of error) on
    both: adds, bulk adds, saves, stale saves, rollbacks, queries, counts and
    summaries, and for the privacy records appends, suppression entries,
    requests and holds added and saved, erasure (committed or rolled back), and
    every read, writes made while a query is being read included, for complaints
    bulk adds, steps saved, stale saves, queries, counts and `due` for both kinds of
    target, for pledges bulk adds, withdrawals saved, queries and counts, for controlled
    documents bulk adds, queries, counts and references resolved, for training attendance
    bulk adds and saves (stale saves included), and for surveys
    instrument editions added, responses added in bulk, saved (stale saves included) and
    erased, queries, counts and answer counts, and for actions bulk adds, moves saved,
    queries and counts. Run it in
    a test module with
    ``TestAgree = compare_stores(InMemoryStore, make_mine).TestCase``.

    Examples:
        >>> from retail_service_quality import InMemoryStore, SQLiteStore
        >>> machine = compare_stores(InMemoryStore, lambda: SQLiteStore(":memory:"))
        >>> machine.__name__
        'StoresAgree'
    """

    class StoresAgree(RuleBasedStateMachine):
        customer_ids = Bundle("customer_ids")
        interaction_ids = Bundle("interaction_ids")
        stale = Bundle("stale")
        request_ids = Bundle("request_ids")
        hold_ids = Bundle("hold_ids")
        complaint_ids = Bundle("complaint_ids")
        stale_complaints = Bundle("stale_complaints")

        def __init__(self) -> None:
            super().__init__()
            self.stores = (make_reference(), make_candidate())

        def teardown(self) -> None:
            for store in self.stores:
                store.close()

        def _both(self, operation: Callable[[Any], Any], *, commit: bool = True) -> Any:
            outcomes = []
            for store in self.stores:
                with store.unit_of_work() as uow:
                    outcome = _outcome(partial(operation, uow))
                    if commit and outcome[0] == "ok":
                        uow.commit()
                outcomes.append(outcome)
            assert outcomes[0] == outcomes[1], f"the stores disagree: {outcomes}"
            return outcomes[0]

        @rule(target=customer_ids, customer=customers(ids=st.sampled_from(["C-1", "C-2", "C-3"])))
        def add_customer(self, customer: Customer) -> Any:
            self._both(lambda uow: uow.customers.add(customer))
            return customer.id

        @rule(
            target=interaction_ids,
            batch=st.lists(
                interactions(
                    ids=st.sampled_from([f"I-{n}" for n in range(8)]),
                    customer_ids=st.none() | st.sampled_from(["C-1", "C-2", "C-404"]),
                ),
                max_size=4,
            ),
        )
        def add_interactions(self, batch: list[ServiceInteraction]) -> Any:
            self._both(lambda uow: uow.interactions.add_many(batch))
            return multiple(*[record.id for record in batch])

        @rule(target=stale, record_id=customer_ids, tier=st.sampled_from(["vip", "silver"]))
        def save_customer(self, record_id: str, tier: str) -> Any:
            read = self._both(lambda uow: uow.customers.get(record_id), commit=False)
            if read[0] == "ok":
                self._both(lambda uow: uow.customers.save(read[1].evolve(tier=tier)))
                return read[1]
            return multiple()

        @rule(read=consumes(stale))
        def save_stale_customer(self, read: Customer) -> None:
            outcome = self._both(lambda uow: uow.customers.save(read.evolve(tier="gold")))
            assert outcome == ("error", ConflictError)

        @rule(record_id=interaction_ids, status=st.sampled_from(InteractionStatus))
        def save_interaction(self, record_id: str, status: InteractionStatus) -> None:
            def change(uow: Any) -> Any:
                return uow.interactions.save(uow.interactions.get(record_id).evolve(status=status))

            self._both(change)

        @rule(customer=customers(ids=st.sampled_from(["C-7", "C-8"])))
        def add_and_roll_back(self, customer: Customer) -> None:
            self._both(lambda uow: uow.customers.add(customer), commit=False)

        @rule(
            store_id=st.none() | st.sampled_from(STORES),
            channel=st.none() | st.sampled_from(Channel),
            days=st.none() | st.integers(0, 3_000),
            kind=st.none() | st.sampled_from(InteractionKind),
            direction=st.none() | st.sampled_from(InteractionDirection),
            abandoned=st.none() | st.booleans(),
        )
        def query(
            self,
            store_id: str | None,
            channel: Channel | None,
            days: int | None,
            kind: InteractionKind | None,
            direction: InteractionDirection | None,
            abandoned: bool | None,
        ) -> None:
            start = None if days is None else datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days)
            selected = InteractionQuery(
                store_id=store_id,
                channel=channel,
                start=start,
                kind=kind,
                direction=direction,
                abandoned=abandoned,
            )
            self._both(lambda uow: list(uow.interactions.query(selected)), commit=False)
            self._both(lambda uow: list(uow.interactions.handle_times(selected)), commit=False)

        @rule(
            group_by=st.lists(st.sampled_from(["period", "store", "channel"]), unique=True),
            period=st.sampled_from(["day", "week", "month"]),
            hours=st.integers(-12, 14),
            zone=st.none() | st.sampled_from(["Europe/London", "America/New_York"]),
        )
        def summarize(self, group_by: list[str], period: str, hours: int, zone: str | None) -> None:
            offset = timedelta(0) if zone is not None else timedelta(hours=hours)
            self._both(
                lambda uow: uow.interactions.summarize(
                    group_by=group_by, period=period, utc_offset=offset, timezone=zone
                ),
                commit=False,
            )

        # ------------------------------------------------ the privacy records

        @rule(
            batch=st.lists(
                consent_events(ids=_EVENT_IDS, customer_ids=_PRIVACY_CUSTOMERS), max_size=3
            )
        )
        def append_events(self, batch: list[ConsentEvent]) -> None:
            self._both(lambda uow: uow.consent.append_many(batch))

        @rule(
            batch=st.lists(data_uses(ids=_EVENT_IDS, customer_ids=_PRIVACY_CUSTOMERS), max_size=3)
        )
        def append_uses(self, batch: list[DataUse]) -> None:
            self._both(lambda uow: uow.data_uses.append_many(batch))

        @rule(entry=suppression_entries(digests=st.sampled_from(["a" * 64, "b" * 64, "c" * 64])))
        def add_suppression(self, entry: SuppressionEntry) -> None:
            self._both(lambda uow: uow.suppression.add(entry))

        @rule(
            target=request_ids,
            request=privacy_requests(
                ids=st.sampled_from(["R-1", "R-2", "R-3"]), customer_ids=_PRIVACY_CUSTOMERS
            ),
        )
        def add_request(self, request: PrivacyRequest) -> Any:
            self._both(lambda uow: uow.privacy_requests.add(request))
            return request.id

        @rule(record_id=request_ids, note=st.none() | st.sampled_from(["called back", "伸延"]))
        def save_request(self, record_id: str, note: str | None) -> None:
            def change(uow: Any) -> Any:
                read = uow.privacy_requests.get(record_id)
                return uow.privacy_requests.save(read.evolve(note=note))

            self._both(change)

        @rule(
            target=hold_ids,
            hold=legal_holds(ids=st.sampled_from(["H-1", "H-2"]), customer_ids=_PRIVACY_CUSTOMERS),
        )
        def add_hold(self, hold: LegalHold) -> Any:
            self._both(lambda uow: uow.legal_holds.add(hold))
            return hold.id

        @rule(record_id=hold_ids)
        def release_hold(self, record_id: str) -> None:
            def change(uow: Any) -> Any:
                read = uow.legal_holds.get(record_id)
                return uow.legal_holds.save(read.evolve(released_at=read.placed_at))

            self._both(change)

        @rule(customer_id=_PRIVACY_CUSTOMERS, commit=st.booleans())
        def erase(self, customer_id: str, commit: bool) -> None:
            self._both(
                lambda uow: (uow.consent.erase(customer_id), uow.data_uses.erase(customer_id)),
                commit=commit,
            )

        @rule(event=consent_events(ids=_EVENT_IDS, customer_ids=_PRIVACY_CUSTOMERS))
        def append_while_reading(self, event: ConsentEvent) -> None:
            def read_and_write(uow: Any) -> Any:
                seen = []
                for record in uow.consent.query():
                    seen.append(record)
                    if len(seen) == 1:
                        seen.append(_outcome(lambda: uow.consent.append(event)))
                        seen.append(_outcome(partial(uow.data_uses.erase, record.customer_id)))
                return seen, list(uow.consent.query()), uow.data_uses.count()

            self._both(read_and_write)

        @rule(customer_id=_PRIVACY_CUSTOMERS, days=st.none() | st.integers(0, 146_000))
        def read_privacy(self, customer_id: str, days: int | None) -> None:
            since = None if days is None else datetime(1900, 1, 1, tzinfo=UTC) + timedelta(days)
            self._both(lambda uow: uow.consent.ledger(customer_id), commit=False)
            self._both(lambda uow: uow.data_uses.of(customer_id, since=since), commit=False)
            self._both(lambda uow: list(uow.privacy_requests.query(open_only=True)), commit=False)
            self._both(lambda uow: uow.legal_holds.of(customer_id), commit=False)
            self._both(lambda uow: uow.suppression.contains("a" * 64), commit=False)

        # ------------------------------------------------ complaints

        @rule(target=complaint_ids, batch=st.lists(_COMPLAINTS, max_size=3))
        def add_complaints(self, batch: list[Complaint]) -> Any:
            self._both(lambda uow: uow.complaints.add_many(batch))
            return multiple(*[complaint.id for complaint in batch])

        @rule(target=stale_complaints, record_id=complaint_ids, data=st.data())
        def step_complaint(self, record_id: str, data: st.DataObject) -> Any:
            read = self._both(lambda uow: uow.complaints.get(record_id), commit=False)
            if read[0] != "ok":
                return multiple()
            moved = data.draw(complaint_steps(read[1], max_steps=3))
            self._both(lambda uow: uow.complaints.save(moved))
            return read[1]

        @rule(read=consumes(stale_complaints))
        def save_stale_complaint(self, read: Complaint) -> None:
            outcome = self._both(lambda uow: uow.complaints.save(read))
            assert outcome == ("error", ConflictError)

        @rule(
            start=_DAYS,
            end=_DAYS,
            store_id=st.none() | st.sampled_from(STORES),
            channel=st.none() | st.sampled_from(Channel),
            customer_id=st.none() | _PRIVACY_CUSTOMERS,
            category=st.none() | st.sampled_from(["billing", "faulty_item", "overcharge"]),
            state=st.none() | st.sampled_from(ComplaintState),
            is_open=st.none() | st.booleans(),
        )
        def query_complaints(
            self,
            start: datetime | None,
            end: datetime | None,
            store_id: str | None,
            channel: Channel | None,
            customer_id: str | None,
            category: str | None,
            state: ComplaintState | None,
            is_open: bool | None,
        ) -> None:
            if start is not None and end is not None and end < start:
                start, end = end, start
            selected = ComplaintQuery(
                start=start,
                end=end,
                store_id=store_id,
                channel=channel,
                customer_id=customer_id,
                category=category,
                state=state,
                open=is_open,
            )
            self._both(lambda uow: list(uow.complaints.query(selected)), commit=False)
            self._both(lambda uow: uow.complaints.count(selected), commit=False)

        @rule(
            kind=st.sampled_from(TargetKind),
            after=_DAYS,
            before=_DAYS,
            store_id=st.none() | st.sampled_from(STORES),
            is_open=st.none() | st.booleans(),
        )
        def due_complaints(
            self,
            kind: TargetKind,
            after: datetime | None,
            before: datetime | None,
            store_id: str | None,
            is_open: bool | None,
        ) -> None:
            if after is not None and before is not None and before < after:
                after, before = before, after
            narrowed = (
                None
                if store_id is None and is_open is None
                else ComplaintQuery(store_id=store_id, open=is_open)
            )
            self._both(
                lambda uow: list(
                    uow.complaints.due(kind, after=after, before=before, query=narrowed)
                ),
                commit=False,
            )

        # ------------------------------------------------ pledges

        @rule(batch=st.lists(_PLEDGES, max_size=2))
        def add_pledges(self, batch: list[ServicePledge]) -> None:
            self._both(lambda uow: uow.pledges.add_many(batch))

        @rule(record_id=_PLEDGE_IDS, days=st.integers(1, 800))
        def withdraw_pledge(self, record_id: str, days: int) -> None:
            def change(uow: Any) -> Any:
                read = uow.pledges.get(record_id)
                ends = read.effective_from.astimezone(UTC) + timedelta(days)
                return uow.pledges.save(read.withdraw(at=ends))

            self._both(change)

        @rule(
            at=st.none() | real_datetimes(timezones=("Europe/London", "Asia/Kolkata")),
            measure=st.none() | st.sampled_from(PledgeMeasure),
        )
        def query_pledges(self, at: datetime | None, measure: PledgeMeasure | None) -> None:
            self._both(
                lambda uow: (
                    list(uow.pledges.query(in_force_at=at, measure=measure)),
                    uow.pledges.count(in_force_at=at, measure=measure),
                ),
                commit=False,
            )

        # ------------------------------------------------ documents

        @rule(batch=st.lists(_DOCUMENTS, max_size=2))
        def add_documents(self, batch: list[Any]) -> None:
            self._both(lambda uow: uow.documents.add_many(batch))

        @rule(
            at=st.none() | real_datetimes(timezones=("Europe/London", "Asia/Kolkata")),
            kind=st.none() | st.sampled_from(DocumentKind),
            ref=st.builds(DocumentRef, _DOCUMENT_IDS, st.integers(1, 3)),
        )
        def read_documents(self, at: datetime | None, kind: Any, ref: DocumentRef) -> None:
            self._both(
                lambda uow: (
                    list(uow.documents.query(kind=kind, in_force_at=at)),
                    uow.documents.count(kind=kind, in_force_at=at),
                    _outcome(lambda: uow.documents.resolve(ref)),
                ),
                commit=False,
            )

        # ------------------------------------------------ actions

        @rule(batch=st.lists(improvement_actions(ids=_ACTION_IDS), max_size=2))
        def add_actions(self, batch: list[Any]) -> None:
            self._both(lambda uow: uow.actions.add_many(batch))

        @rule(record_id=_ACTION_IDS, move=st.sampled_from(ActionMove), days=st.integers(0, 90))
        def move_action(self, record_id: str, move: ActionMove, days: int) -> None:
            def change(uow: Any) -> Any:
                read = uow.actions.get(record_id)
                return uow.actions.save(read.move(move, at=read.raised_at + timedelta(days)))

            self._both(change)

        @rule(
            status=st.none() | st.sampled_from(ActionStatus),
            due_before=st.none() | st.dates(min_value=date(1900, 1, 1)),
        )
        def query_actions(self, status: ActionStatus | None, due_before: date | None) -> None:
            self._both(
                lambda uow: (
                    list(uow.actions.query(status=status, due_before=due_before)),
                    uow.actions.count(status=status, due_before=due_before),
                ),
                commit=False,
            )

        # ------------------------------------------------ surveys

        @rule(instrument=st.sampled_from(INSTRUMENTS), edition=st.integers(1, 2))
        def add_instrument(self, instrument: Any, edition: int) -> None:
            self._both(
                lambda uow: uow.surveys.instruments.add(attrs.evolve(instrument, edition=edition))
            )

        @rule(batch=st.lists(survey_responses(ids=_RESPONSE_IDS), max_size=3))
        def add_responses(self, batch: list[Any]) -> None:
            self._both(lambda uow: uow.surveys.responses.add_many(batch))

        @rule(record_id=_RESPONSE_IDS, stale=st.booleans())
        def save_response(self, record_id: str, stale: bool) -> None:
            def change(uow: Any) -> Any:
                read = uow.surveys.responses.get(record_id)
                saved = uow.surveys.responses.save(read.evolve(staff_id="A-9"))
                return uow.surveys.responses.save(read) if stale else saved

            self._both(change)

        @rule(customer_id=st.sampled_from(["C-1", "C-2"]), commit=st.booleans())
        def erase_survey_customer(self, customer_id: str, commit: bool) -> None:
            self._both(lambda uow: uow.surveys.responses.erase_customer(customer_id), commit=commit)

        @rule(
            start=st.none() | real_datetimes(timezones=("Europe/London", "Asia/Kolkata")),
            store_id=st.none() | st.sampled_from(["HK-1", "伸延"]),
            instrument_id=st.none() | st.sampled_from(["csat", "nps"]),
            keys=st.lists(st.sampled_from(SURVEY_GROUPS), unique=True, max_size=3),
            timezone=st.sampled_from(["Europe/London", "Australia/Adelaide"]),
            measure=st.sampled_from(["csat", "nps", "fcr", "product_price"]),
        )
        def query_responses(
            self,
            start: datetime | None,
            store_id: str | None,
            instrument_id: str | None,
            keys: list[Any],
            timezone: str,
            measure: str,
        ) -> None:
            first = start if start is not None else datetime(1900, 1, 1, tzinfo=UTC)
            self._both(
                lambda uow: (
                    list(uow.surveys.responses.query(start=start, store_id=store_id)),
                    uow.surveys.responses.count(instrument_id=instrument_id),
                    uow.surveys.answer_counts(
                        start=first,
                        end=datetime(2301, 1, 1, tzinfo=UTC),
                        measure=measure,
                        instrument_id=instrument_id,
                        group_by=keys,
                        timezone=timezone,
                    ),
                ),
                commit=False,
            )

        # ------------------------------------------------ training

        @rule(batch=st.lists(training_records(Attendance, ids=_ATTENDANCE_IDS), max_size=3))
        def add_attendance(self, batch: list[Attendance]) -> None:
            self._both(lambda uow: uow.training.attendance.add_many(batch))

        @rule(record_id=_ATTENDANCE_IDS, stale=st.booleans())
        def save_attendance(self, record_id: str, stale: bool) -> None:
            def change(uow: Any) -> Any:
                read = uow.training.attendance.get(record_id)
                saved = uow.training.attendance.save(attrs.evolve(read, staff_id="E-1"))
                return uow.training.attendance.save(read) if stale else saved

            self._both(change)

        @invariant()
        def same_training(self) -> None:
            self._both(
                lambda uow: (
                    list(uow.training.attendance.query()),
                    uow.training.attendance.count(staff_id="E-1"),
                ),
                commit=False,
            )

        # ------------------------------------------------ awards

        @rule(batch=st.lists(_schemes(ids=_AWARD_IDS), max_size=2), level=st.none() | _LEVELS)
        def add_award_schemes(self, batch: list[AwardScheme], level: str | None) -> None:
            self._both(lambda uow: uow.awards.add_many(batch))
            self._both(lambda uow: list(uow.awards.query(level=level)), commit=False)

        @rule(record_id=st.sampled_from(["R-1", "R-2"]), scheme_id=_AWARD_IDS)
        def publish_award(self, record_id: str, scheme_id: str) -> None:
            self._both(lambda uow: uow.awards.publish(_result(record_id, scheme_id)))
            self._both(lambda uow: list(uow.awards.results(scheme_id=scheme_id)), commit=False)

        @invariant()
        def same_records(self) -> None:
            self._both(lambda uow: list(uow.customers.query()), commit=False)
            self._both(lambda uow: uow.interactions.count(), commit=False)
            self._both(
                lambda uow: (
                    list(uow.consent.query()),
                    list(uow.data_uses.query()),
                    list(uow.suppression.query()),
                    list(uow.privacy_requests.query()),
                    list(uow.legal_holds.query()),
                    list(uow.pledges.query()),
                    list(uow.documents.query()),
                    list(uow.surveys.instruments.query()),
                    list(uow.surveys.responses.query()),
                    list(uow.actions.query()),
                ),
                commit=False,
            )
            self._both(
                lambda uow: (
                    list(uow.complaints.query()),
                    list(uow.complaints.due(TargetKind.ACKNOWLEDGEMENT)),
                    list(uow.complaints.due(TargetKind.RESOLUTION)),
                ),
                commit=False,
            )

    return StoresAgree
