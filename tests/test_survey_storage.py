"""Survey instruments and responses in storage: the one-line API, erasure, the SQLite schema.

The contract itself (`SurveyStoreContract`) runs on every adapter through `StoreContract`
(tests/test_storage_memory.py, tests/test_storage_sqlite.py); here are what it does not cover:
the one-line `record_survey_response`, erasure of a customer through the privacy services, the
erased words leaving the SQLite file, the migration of an older file, and local-time grouping
in more zones, checked on both adapters against counting by hand.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from retail_service_quality import (
    ConflictError,
    Customer,
    InMemoryStore,
    KeyedHasher,
    NotFoundError,
    ServiceInteraction,
    SQLiteStore,
    StorageError,
    SurveyResponse,
    ValidationError,
    csat_instrument,
    erase_customer,
    nps_instrument,
    record_survey_response,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.storage.ports import Store
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_surveys import SurveyStoreContract, _by_hand, _table

AT = datetime(2026, 11, 30, 10, tzinfo=UTC)
MARKER = "Qz7-survey-words-9Xk"
LONDON = ZoneInfo("Europe/London")

STORES: dict[str, Callable[[Path], Store]] = {
    "memory": lambda _: InMemoryStore(),
    "sqlite": lambda folder: SQLiteStore(folder / "surveys.db"),
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with STORES[request.param](tmp_path) as made:
        yield made


def _response(record_id: str = "R-1", **changes: Any) -> SurveyResponse:
    fields: dict[str, Any] = {
        "id": record_id,
        "instrument_id": "csat",
        "edition": 1,
        "received_at": AT,
        "store_id": "HK-1",
        "channel": "meeting",
        "answers": {"csat": 5, "resolved": 1},
        "comments": {"comment": f"Thank you {MARKER}"},
    }
    fields.update(changes)
    return SurveyResponse(**fields)


def test_the_store_contract_runs_the_survey_contract() -> None:
    assert issubclass(StoreContract, SurveyStoreContract)
    names = [name for name in dir(SurveyStoreContract) if name.startswith("test_")]
    assert len(names) >= 9
    for name in names:
        assert inspect.getattr_static(StoreContract, name) is inspect.getattr_static(
            SurveyStoreContract, name
        )


# ---------------------------------------------------------------- the one-line API


def test_record_survey_response_stores_the_edition_once(store: Store) -> None:
    first = record_survey_response(store, csat_instrument(), _response("R-1"))
    assert first == _response("R-1")
    record_survey_response(store, csat_instrument(), _response("R-2"))
    with store.unit_of_work(read_only=True) as uow:
        assert [i.edition for i in uow.surveys.instruments.query()] == [1]
        assert [r.id for r in uow.surveys.responses.query()] == ["R-1", "R-2"]
    # Another instrument under the same id and edition is refused, and nothing is stored.
    with pytest.raises(ConflictError, match="new edition"):
        record_survey_response(store, csat_instrument(scale=7), _response("R-3"))
    with pytest.raises(ConflictError, match="R-1"):
        record_survey_response(store, csat_instrument(), _response("R-1"))
    with store.unit_of_work(read_only=True) as uow:
        assert uow.surveys.responses.count() == 2


def test_record_survey_response_in_an_open_unit_of_work_leaves_the_commit_to_the_caller(
    store: Store,
) -> None:
    with store.unit_of_work() as uow:
        record_survey_response(uow, nps_instrument(), _response(instrument_id="nps", answers={}))
        assert uow.surveys.responses.count() == 1
    with store.unit_of_work(read_only=True) as uow:
        assert uow.surveys.responses.count() == 0
        assert list(uow.surveys.instruments.query()) == []


def test_a_customer_link_needs_consent(store: Store) -> None:
    linked = _response(customer_id="C-1")
    with pytest.raises(ValidationError) as refused:
        record_survey_response(store, csat_instrument(), linked)
    assert [p.path for p in refused.value.problems] == ["$.customer_id"]
    assert "consent" in str(refused.value)
    stored = record_survey_response(store, csat_instrument(), linked, customer_consent=True)
    assert stored.customer_consent_at == AT
    # A consent time already recorded (given before the answers) is kept.
    earlier = AT - timedelta(days=1)
    kept = record_survey_response(
        store,
        csat_instrument(),
        linked.evolve(id="R-2", customer_consent_at=earlier),
        customer_consent=True,
    )
    assert kept.customer_consent_at == earlier
    # Without a customer, consent changes nothing.
    plain = record_survey_response(
        store, csat_instrument(), _response("R-3"), customer_consent=True
    )
    assert plain.customer_consent_at is None
    with store.unit_of_work(read_only=True) as uow:
        assert uow.surveys.responses.get("R-1") == stored
        assert uow.surveys.responses.count(customer_id="C-1") == 2


def test_record_survey_response_names_every_bad_argument(store: Store) -> None:
    with pytest.raises(ValidationError) as refused:
        record_survey_response("store", "csat", {"csat": 5}, customer_consent="yes")  # type: ignore[arg-type]
    assert [p.path for p in refused.value.problems] == [
        "$.target",
        "$.instrument",
        "$.response",
        "$.customer_consent",
    ]
    bad = _response(customer_id="C-1", answers={"csat": 0, "mood": 2})
    with pytest.raises(ValidationError) as refused:
        record_survey_response(store, csat_instrument(), bad)
    assert [p.path for p in refused.value.problems] == [
        "$.customer_id",
        "$.answers.csat",
        "$.answers.mood",
    ]
    assert MARKER not in str(refused.value)
    with store.unit_of_work(read_only=True) as uow, pytest.raises(NotFoundError):
        uow.surveys.instruments.get("csat", 1)


# ---------------------------------------------------------------- erasure


def _customer_with_answers(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.customers.add(Customer(id="C-1", name=f"Chan {MARKER}", created_at=AT))
        uow.interactions.add(
            ServiceInteraction(
                id="I-1", store_id="HK-1", channel="hotline", occurred_at=AT, customer_id="C-1"
            )
        )
        uow.commit()
    record_survey_response(
        store,
        csat_instrument(),
        _response("R-1", customer_id="C-1", interaction_id="I-1"),
        customer_consent=True,
    )
    record_survey_response(store, csat_instrument(), _response("R-2", comments={}))


def test_erasing_a_customer_erases_their_survey_words_and_link(store: Store) -> None:
    _customer_with_answers(store)
    plan = erase_customer(store, customer_id="C-1", at=AT, hasher=KeyedHasher(b"k" * 32))
    assert "interactions" in plan.erased()
    with store.unit_of_work(read_only=True) as uow:
        erased = uow.surveys.responses.get("R-1")
        assert erased.customer_id is None
        assert erased.customer_consent_at is None
        assert not erased.comments
        assert dict(erased.answers) == {"csat": 5, "resolved": 1}
        assert erased.interaction_id == "I-1"
        assert uow.surveys.responses.get("R-2").version == 1
        counts = uow.surveys.answer_counts(start=AT, end=AT + timedelta(1), measure="csat")
        assert [(row.value, row.count) for row in counts] == [(5, 2)]


def test_erased_survey_words_leave_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "erase.db"
    with SQLiteStore(path) as store:
        _customer_with_answers(store)
        assert MARKER.encode() in path.read_bytes() + _wal(path)
        erase_customer(store, customer_id="C-1", at=AT, hasher=KeyedHasher(b"k" * 32))
    assert MARKER.encode() not in path.read_bytes() + _wal(path)


def _wal(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return wal.read_bytes() if wal.exists() else b""


# ---------------------------------------------------------------- the SQLite schema


def test_a_file_of_the_previous_schema_gains_the_survey_tables(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        prepare(connection)
        for statements in migrations()[:7]:
            for statement in statements:
                connection.execute(statement)
        connection.execute("PRAGMA user_version = 7")
    assert SCHEMA_VERSION >= 8
    with SQLiteStore(path) as store:
        record_survey_response(store, csat_instrument(), _response())
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                ("survey_responses",),
            )
        }
        assert "survey_responses_received" in indexes
        # The closed answers are stored apart from the record: never the free text.
        answers = connection.execute("SELECT answers FROM survey_responses").fetchone()[0]
        assert answers == '{"csat":5,"resolved":1}'


def test_answer_counts_are_one_grouped_query_using_the_instant_index(tmp_path: Path) -> None:
    statements: list[str] = []
    with SQLiteStore(tmp_path / "plan.db") as store:
        record_survey_response(store, csat_instrument(), _response())
        with store.unit_of_work(read_only=True) as uow:
            connection = uow.surveys._uow.connection()  # type: ignore[attr-defined]
            connection.set_trace_callback(statements.append)
            try:
                rows = uow.surveys.answer_counts(
                    start=AT, end=AT + timedelta(1), measure="csat", group_by=["month"]
                )
            finally:
                connection.set_trace_callback(None)
            grouped = [s for s in statements if "GROUP BY" in s]
            assert len(grouped) == 1
            plan = " ".join(
                str(row[-1]) for row in connection.execute("EXPLAIN QUERY PLAN " + grouped[0])
            )
    assert "survey_responses_received" in plan
    assert [(row.month, row.count) for row in rows] == [(date(2026, 11, 1), 1)]


def test_an_unreadable_row_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    with SQLiteStore(path) as store:
        record_survey_response(store, csat_instrument(), _response())
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("UPDATE survey_responses SET record = '{\"id\": 5}'")
        connection.execute("UPDATE survey_instruments SET record = 'nonsense'")
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        with pytest.raises(StorageError, match="R-1"):
            uow.surveys.responses.get("R-1")
        with pytest.raises(StorageError, match="csat"):
            uow.surveys.instruments.latest("csat")


# ---------------------------------------------------------------- local time, by hand


@pytest.mark.parametrize(
    "zone",
    ["Europe/London", "Asia/Kolkata", "Australia/Adelaide", "Pacific/Chatham", "America/St_Johns"],
)
def test_local_months_weekdays_and_hours_match_counting_by_hand(store: Store, zone: str) -> None:
    instrument = csat_instrument(published_at=MIN_INSTANT)
    moments = [
        datetime(2026, 10, 25, 0, 59, 59, 999_999, tzinfo=UTC),  # London's last BST instant
        datetime(2026, 10, 25, 1, tzinfo=UTC),  # ... and its first GMT one: both at 01:xx
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # before London's skipped hour
        datetime(2026, 3, 29, 1, tzinfo=UTC),  # after it: 02:00 BST
        datetime(2026, 1, 31, 18, 30, tzinfo=UTC),  # midnight into February in Kolkata
        datetime(2026, 4, 4, 16, 30, tzinfo=UTC),  # Adelaide's repeated 02:00-03:00
        datetime(2026, 4, 4, 15, 30, tzinfo=UTC),
        MIN_INSTANT,
        MAX_INSTANT,
    ]
    responses = [
        _response(f"R-{number}", received_at=moment, answers={"csat": 1 + number % 5})
        for number, moment in enumerate(moments)
    ]
    with store.unit_of_work() as uow:
        uow.surveys.instruments.add(instrument)
        uow.surveys.responses.add_many(responses)
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        for keys in (["month", "weekday", "hour"], ["weekday"], ["store", "hour"]):
            rows = uow.surveys.answer_counts(
                start=MIN_INSTANT,
                end=MAX_INSTANT,
                question_ids=["csat"],
                group_by=keys,  # type: ignore[arg-type]
                timezone=zone,
            )
            expected = _by_hand(responses, MIN_INSTANT, MAX_INSTANT, ["csat"], keys, zone)
            assert _table(rows) == expected
            # The last instant of the range is its end: left out.
            assert sum(row.count for row in rows) == len(moments) - 1
