"""Award schemes and published awards in storage: both adapters agree, the SQLite rows, files
and migrations, a ranking published and read back unchanged after the records move on.

The contract itself (`AwardStoreContract`) runs on every adapter through `StoreContract` in
test_storage_memory.py and test_storage_sqlite.py.
"""

from __future__ import annotations

import inspect
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    AwardResult,
    AwardScheme,
    InMemoryStore,
    SQLiteStore,
    StorageError,
    SurveyResponse,
    award_ranking,
    csat_instrument,
    record_survey_response,
)
from retail_service_quality.storage.memory._awards import MemoryAwards
from retail_service_quality.storage.ports import AwardRepository, Store
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._awards import SQLiteAwards
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_awards import (
    AwardStoreContract,
    _result,
    _scheme,
    _schemes,
)


def test_every_store_runs_the_award_contract() -> None:
    assert issubclass(StoreContract, AwardStoreContract)
    names = [name for name in dir(AwardStoreContract) if name.startswith("test_")]
    assert len(names) >= 8
    for name in names:
        assert inspect.getattr_static(StoreContract, name) is inspect.getattr_static(
            AwardStoreContract, name
        )


def test_both_adapters_implement_the_port_and_its_documentation() -> None:
    for store in (InMemoryStore(), SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            assert isinstance(uow.awards, AwardRepository)
    for adapter in (MemoryAwards, SQLiteAwards):
        for name in ("query", "count", "publish", "result", "results"):
            assert getattr(adapter, name).__doc__ == getattr(AwardRepository, name).__doc__


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schemes=st.lists(_schemes(), max_size=6, unique_by=lambda scheme: scheme.id),
    levels=st.lists(st.none() | st.sampled_from(["staff", "store", "business_unit"]), max_size=3),
    indicators=st.lists(st.none() | st.sampled_from(["csat", "nps", "aht", "x"]), max_size=3),
)
def test_both_adapters_select_the_same_schemes(
    schemes: list[AwardScheme], levels: list[str | None], indicators: list[str | None]
) -> None:
    answers = []
    for store in (InMemoryStore(), SQLiteStore(":memory:")):
        with store:
            with store.unit_of_work() as uow:
                uow.awards.add_many(schemes)
                for scheme in schemes:
                    uow.awards.publish(_result(f"R-{scheme.id}", scheme.id))
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                found: list[Any] = []
                for level in (None, *levels):
                    for indicator in (None, *indicators):
                        chosen = list(uow.awards.query(level=level, indicator_id=indicator))
                        assert uow.awards.count(level=level, indicator_id=indicator) == len(chosen)
                        expected = sorted(
                            (
                                s
                                for s in schemes
                                if (level is None or s.level.value == level)
                                and (indicator is None or s.indicator_id == indicator)
                            ),
                            key=lambda s: s.id,
                        )
                        assert chosen == expected
                        found.append(chosen)
                found.append(list(uow.awards.results()))
                answers.append(found)
    assert answers[0] == answers[1]


def test_a_file_keeps_schemes_results_and_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "awards.db"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.awards.add_many([_scheme("AW-1"), _scheme("AW-2", level="store", indicator_id="nps")])
        uow.awards.publish(_result("R-1", "AW-2"))
        uow.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        assert uow.awards.get("AW-1") == _scheme("AW-1")
        kept = uow.awards.result("R-1")
        assert kept == _result("R-1", "AW-2")
        assert kept.computed_at.fold == 1  # the second 01:30 in London on 2026-10-25
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT id, version, level, indicator_id FROM award_schemes ORDER BY id"
        ).fetchall()
        results = connection.execute("SELECT id, scheme_id FROM award_results").fetchall()
    assert rows == [("AW-1", 1, "staff", "csat"), ("AW-2", 1, "store", "nps")]
    assert results == [("R-1", "AW-2")]


def test_unreadable_stored_awards_are_storage_errors_naming_them(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.awards.add(_scheme("AW-1"))
        uow.awards.publish(_result("R-1"))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("""UPDATE award_schemes SET record = '{"id": "AW-1"}'""")
        connection.execute("""UPDATE award_results SET record = '[1]'""")
        connection.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        for read in (
            lambda: uow.awards.get("AW-1"),
            lambda: list(uow.awards.query()),
        ):
            with pytest.raises(StorageError, match="'AW-1'"):
                read()
        for reading in (lambda: uow.awards.result("R-1"), lambda: list(uow.awards.results())):
            with pytest.raises(StorageError, match="'R-1'"):
                reading()
        assert uow.awards.count() == 1


def test_a_file_of_the_previous_schema_gains_the_award_tables(tmp_path: Path) -> None:
    path = tmp_path / "previous.db"
    before = 11  # migration 0012 adds the award tables
    with closing(sqlite3.connect(path)) as connection:
        prepare(connection)
        for statements in migrations()[:before]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {before:d}")
        connection.commit()
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert not names & {"award_schemes", "award_results"}
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        assert uow.awards.count() == 0
        uow.awards.add(_scheme())
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                ("award_results",),
            )
        }
        assert "award_results_scheme" in indexes


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_published_award_stays_as_published_when_surveys_arrive_late(
    kind: str, tmp_path: Path
) -> None:
    store: Store = InMemoryStore() if kind == "memory" else SQLiteStore(tmp_path / "late.db")
    scheme = _scheme(eligibility=None, period="month", places=1)
    start, end = scheme.period_of(date(2026, 3, 1), timezone="Asia/Kolkata")

    def survey(number: int, staff: str, rating: int) -> None:
        record_survey_response(
            store,
            csat_instrument(),
            SurveyResponse(
                id=f"R-{number}",
                instrument_id="csat",
                edition=1,
                store_id="HK-1",
                channel="hotline",
                staff_id=staff,
                answers={"csat": rating},
                received_at=start + timedelta(hours=number),
            ),
        )

    with store:
        for number in range(40):
            survey(number, "A-1", 5 if number % 10 else 2)  # 36 of 40
            survey(100 + number, "A-2", 5 if number % 5 else 2)  # 32 of 40
        with store.unit_of_work() as uow:
            uow.awards.add(scheme)
            uow.commit()
        ranking = award_ranking(store, scheme, start=start, end=end, timezone="Asia/Kolkata")
        with store.unit_of_work() as uow:
            uow.awards.publish(ranking.publish(id="AW-1-2026-03", computed_at=end))
            uow.commit()
        # Late surveys turn the month round; the award as given does not change.
        for number in range(200, 260):
            survey(number, "A-2", 5)
        again = award_ranking(store, scheme, start=start, end=end, timezone="Asia/Kolkata")
        assert again.winners() == ("A-2",)
        with store.unit_of_work(read_only=True) as uow:
            published = uow.awards.result("AW-1-2026-03")
        assert isinstance(published, AwardResult)
        assert published.winners() == ("A-1",)
        assert [(p.place, p.candidate_id, p.n) for p in published.places] == [
            (1, "A-1", 40),
            (2, "A-2", 40),
        ]
        assert published.start == start
        assert published.end == end
        assert published.computed_at.astimezone(UTC) == datetime(2026, 3, 31, 18, 30, tzinfo=UTC)
