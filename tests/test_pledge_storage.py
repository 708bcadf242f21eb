"""Service pledges in storage: both adapters agree, the SQLite rows, files and migrations.

The contract itself (`PledgeStoreContract`) runs on every adapter through `StoreContract`
in test_storage_memory.py and test_storage_sqlite.py.
"""

from __future__ import annotations

import inspect
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality import (
    BusinessCalendar,
    InMemoryStore,
    PledgeStandard,
    ServicePledge,
    SQLiteStore,
    StorageError,
)
from retail_service_quality.storage.memory._pledges import MemoryPledges
from retail_service_quality.storage.ports import PledgeRepository, Store
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._pledges import SQLitePledges
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.contract import StoreContract
from retail_service_quality.testing.contract_pledges import PledgeStoreContract, _pledges
from retail_service_quality.testing.strategies import real_datetimes

LONDON = ZoneInfo("Europe/London")
DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")


def _answer(record_id: str, at: datetime) -> ServicePledge:
    return ServicePledge.create(
        id=record_id,
        effective_from=at,
        wording="We answer 90% of hotline calls within 30 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        target_share=0.9,
    )


def test_every_store_runs_the_pledge_contract() -> None:
    assert issubclass(StoreContract, PledgeStoreContract)
    names = [name for name in dir(PledgeStoreContract) if name.startswith("test_")]
    assert len(names) >= 8
    for name in names:
        assert inspect.getattr_static(StoreContract, name) is inspect.getattr_static(
            PledgeStoreContract, name
        )


def test_both_adapters_implement_the_port_and_its_documentation() -> None:
    for store in (InMemoryStore(), SQLiteStore(":memory:")):
        with store, store.unit_of_work() as uow:
            assert isinstance(uow.pledges, PledgeRepository)
    for adapter in (MemoryPledges, SQLitePledges):
        for name in ("query", "count"):
            assert getattr(adapter, name).__doc__ == getattr(PledgeRepository, name).__doc__


_MEASURES = st.none() | st.sampled_from(["answer_time", "acknowledgement", "resolution"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    pledges=st.lists(_pledges(), max_size=5, unique_by=lambda pledge: pledge.id),
    data=st.data(),
)
def test_both_adapters_select_the_same_pledges(pledges: list[ServicePledge], data: Any) -> None:
    # The instants asked about: each pledge's own edges (and a microsecond either side), and
    # random ones, repeated London hours included.
    edges: list[datetime] = []
    for pledge in pledges:
        for moment in (pledge.effective_from, pledge.ends_at):
            if moment is not None:
                instant = moment.astimezone(UTC)  # elapsed time: never a wall time skipped
                edges += [moment, instant - timedelta(microseconds=1), instant + timedelta(hours=1)]
    stores: list[Store] = [InMemoryStore(), SQLiteStore(":memory:")]
    answers = []
    moments = edges + data.draw(st.lists(real_datetimes(), max_size=4))
    measures = data.draw(st.lists(_MEASURES, min_size=1, max_size=3))
    for store in stores:
        with store:
            with store.unit_of_work() as uow:
                uow.pledges.add_many(pledges)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                found = []
                for measure in measures:
                    for moment in (None, *moments):
                        chosen = list(uow.pledges.query(in_force_at=moment, measure=measure))
                        assert uow.pledges.count(in_force_at=moment, measure=measure) == len(chosen)
                        found.append(chosen)
                answers.append(found)
    assert answers[0] == answers[1]
    # And both agree with the pledges themselves.
    for measure_index, measure in enumerate(measures):
        for moment_index, moment in enumerate((None, *moments)):
            expected = sorted(
                (
                    pledge
                    for pledge in pledges
                    if (measure is None or pledge.measure == measure)
                    and (moment is None or pledge.in_force(moment) is not None)
                ),
                key=lambda pledge: pledge.id,
            )
            assert answers[0][measure_index * (len(moments) + 1) + moment_index] == expected


def test_a_file_keeps_pledges_and_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "pledges.db"
    repeated = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # 01:30 GMT, the second pass
    kept = _answer("P-1", repeated).revise(
        effective_from=datetime(2027, 1, 1, tzinfo=UTC),
        wording="We resolve 90% of complaints within 5 working days.",
        standard=PledgeStandard("resolution", working_days=5),
        calendar=DESK,
    )
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        withdrawn = _answer("P-2", datetime(2026, 1, 1, tzinfo=UTC)).withdraw(at=repeated)
        uow.pledges.add_many([kept, withdrawn])
        uow.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        stored = uow.pledges.get("P-1")
        assert stored == kept
        assert stored.effective_from.fold == 1
        assert stored.effective_from.utcoffset() == timedelta(0)
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT id, version, measure, effective_us, ends_us FROM pledges ORDER BY id"
        ).fetchall()
    instant = int((repeated - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 1_000_000
    assert rows == [
        ("P-1", 1, "resolution", instant, None),
        ("P-2", 1, "answer_time", 1_767_225_600_000_000, instant),
    ]


def test_an_unreadable_stored_pledge_is_a_storage_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.pledges.add(_answer("P-1", datetime(2026, 1, 1, tzinfo=UTC)))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("""UPDATE pledges SET record = '{"id": "P-1", "versions": []}'""")
        connection.commit()
    with SQLiteStore(path) as store, store.unit_of_work(read_only=True) as uow:
        for read in (lambda: uow.pledges.get("P-1"), lambda: list(uow.pledges.query())):
            with pytest.raises(StorageError, match="'P-1'"):
                read()
        assert uow.pledges.count() == 1


def test_a_file_of_the_previous_schema_gains_the_pledges(tmp_path: Path) -> None:
    path = tmp_path / "previous.db"
    before_pledges = 6  # migration 0007 adds the pledges
    with closing(sqlite3.connect(path)) as connection:
        prepare(connection)
        for statements in migrations()[:before_pledges]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {before_pledges:d}")
        connection.commit()
        assert "pledges" not in {
            row[0] for row in connection.execute("SELECT name FROM sqlite_master")
        }
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        assert uow.pledges.count() == 0
        uow.pledges.add(_answer("P-1", datetime(2026, 1, 1, tzinfo=UTC)))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("SELECT count(*) FROM pledges").fetchone()[0] == 1
