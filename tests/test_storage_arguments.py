"""Repositories and stores check their arguments: wrong types are `ValidationError`s, never more."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    Customer,
    CustomerQuery,
    InMemoryStore,
    InteractionQuery,
    NotFoundError,
    RSQError,
    ServiceInteraction,
    SQLiteStore,
    ValidationError,
)
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing.strategies import customers, interactions

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
STORES: dict[str, Callable[[], Store]] = {
    "memory": InMemoryStore,
    "sqlite": lambda: SQLiteStore(":memory:"),
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    with STORES[request.param]() as opened:
        yield opened


def paths(error: ValidationError) -> list[str]:
    return [problem.path for problem in error.problems]


def test_records_of_the_wrong_type_are_refused_naming_the_type(store: Store) -> None:
    with store.unit_of_work() as uow:
        with pytest.raises(ValidationError, match=r"\$: must be a Customer"):
            uow.customers.add({"id": "C-2"})  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="must be a ServiceInteraction"):
            uow.interactions.save({"id": "I-2"})  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as caught:
            uow.customers.add_many([1, Customer(id="C-1", name="Ho", created_at=WHEN), "x"])  # type: ignore[list-item]
        assert paths(caught.value) == ["$[0]", "$[2]"]  # every problem, in one round
        with pytest.raises(ValidationError, match="must be an iterable of Customer"):
            uow.customers.add_many(5)  # type: ignore[arg-type]
        assert uow.customers.count() == 0  # all or none


def test_queries_and_ids_of_the_wrong_type_are_refused(store: Store) -> None:
    with store.unit_of_work() as uow:
        with pytest.raises(ValidationError, match=r"\$.query: must be an InteractionQuery"):
            uow.interactions.query({"store_id": "x"})  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="must be a CustomerQuery"):
            uow.customers.count(InteractionQuery())  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="must be an InteractionQuery"):
            uow.interactions.summarize("x")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"\$.id: must be an identifier"):
            uow.customers.get(5)  # type: ignore[arg-type]
        with pytest.raises(NotFoundError):
            uow.interactions.get("\ud800")  # text no record can have as its id
        with pytest.raises(ValidationError, match=r"\$.group_by"):
            uow.interactions.summarize(group_by=5)  # type: ignore[arg-type]


def test_store_arguments_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"\$.busy_timeout"):
        InMemoryStore(busy_timeout=5)  # type: ignore[arg-type]
    with InMemoryStore() as store, pytest.raises(ValidationError, match=r"\$.read_only"):
        store.unit_of_work(read_only="yes")  # type: ignore[arg-type]


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.binary(max_size=8),
    st.lists(st.integers() | st.text() | st.none(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.timedeltas(),
    st.builds(object),
    customers(),
    interactions(),
    st.builds(CustomerQuery),
    st.builds(InteractionQuery),
)
# How many positional arguments each method takes: (required, at most).
METHODS: dict[str, dict[str, tuple[int, int]]] = {
    "customers": {
        "add": (1, 1),
        "add_many": (1, 1),
        "get": (1, 1),
        "save": (1, 1),
        "query": (0, 1),
        "count": (0, 1),
    },
    "interactions": {
        "add": (1, 1),
        "add_many": (1, 1),
        "get": (1, 1),
        "save": (1, 1),
        "query": (0, 1),
        "count": (0, 1),
        "summarize": (0, 1),
        "handle_times": (0, 1),
    },
}
SUMMARY_KEYWORDS = ("group_by", "period", "utc_offset", "timezone")


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, str, list[Any], dict[str, Any]]:
    repository = draw(st.sampled_from(sorted(METHODS)))
    method = draw(st.sampled_from(sorted(METHODS[repository])))
    low, high = METHODS[repository][method]
    args = draw(st.lists(ANYTHING, min_size=low, max_size=high))
    kwargs: dict[str, Any] = {}
    if method == "summarize":
        kwargs = draw(st.dictionaries(st.sampled_from(SUMMARY_KEYWORDS), ANYTHING, max_size=3))
    return repository, method, args, kwargs


def _call(
    store: Store, repository: str, method: str, args: list[Any], kwargs: dict[str, Any]
) -> None:
    with store.unit_of_work() as uow:
        found = getattr(getattr(uow, repository), method)(*args, **kwargs)
        if isinstance(found, Iterator):
            list(found)


@settings(max_examples=150, deadline=None)
@given(st.lists(calls(), min_size=1, max_size=4))
def test_any_arguments_raise_only_library_errors(
    steps: list[tuple[str, str, list[Any], dict[str, Any]]],
) -> None:
    for make in STORES.values():
        with make() as store:
            for repository, method, args, kwargs in steps:
                with contextlib.suppress(RSQError):
                    _call(store, repository, method, args, kwargs)


def test_group_by_may_be_any_iterable_read_once(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.interactions.add(
            ServiceInteraction(id="I-1", store_id="S1", channel="fax", occurred_at=WHEN)
        )
        rows = uow.interactions.summarize(group_by=(key for key in ["store"]))  # type: ignore[arg-type]
    assert [(row.store_id, row.period, row.count) for row in rows] == [("S1", None, 1)]
