"""What a contact centre and a shop floor record of an interaction: kinds, directions, times,
call timings, abandoned calls and outcomes; their validation, JSON and storage."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retail_service_quality import (
    Channel,
    InMemoryStore,
    InteractionDirection,
    InteractionKind,
    InteractionQuery,
    InteractionStatus,
    ServiceInteraction,
    SQLiteStore,
    StorageError,
    ValidationError,
    from_json,
    json_schema,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality.storage.sqlite import SCHEMA_VERSION
from retail_service_quality.storage.sqlite._schema import migrations, prepare
from retail_service_quality.testing.strategies import identifiers, interactions

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SECRET = "Chan Tai Man said the manager was rude"


def paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


def contact(**changes: Any) -> ServiceInteraction:
    fields: dict[str, Any] = {
        "id": "I-1",
        "store_id": "HK-CWB",
        "channel": "hotline",
        "occurred_at": NOW,
    }
    fields.update(changes)
    return ServiceInteraction(**fields)


# ---------------------------------------------------------------- defaults and validation


def test_a_new_interaction_is_open_inbound_enquiry_unless_told() -> None:
    found = contact()
    assert found.status is InteractionStatus.OPEN
    assert found.kind is InteractionKind.ENQUIRY
    assert found.direction is InteractionDirection.INBOUND
    assert (found.abandoned, found.resolved_first_contact, found.products_recommended) == (
        False,
        None,
        (),
    )
    assert contact(status="resolved").status is InteractionStatus.RESOLVED
    assert json_schema(ServiceInteraction)["properties"]["status"]["default"] == "open"
    assert [member.value for member in InteractionKind] == [
        "enquiry",
        "feedback",
        "purchase_assistance",
        "complaint",
        "compliment",
        "return",
        "follow_up",
    ]


def test_every_problem_is_listed_with_its_path_and_no_value() -> None:
    with pytest.raises(ValidationError) as error:
        ServiceInteraction(
            id="I-1",
            store_id="S",
            channel="hotline",
            occurred_at=NOW,
            kind="gossip",
            direction="sideways",
            products_recommended=["SKU-1", " SKU-2", "SKU-1"],
            first_response_at=datetime(2026, 11, 22, 10, 0),  # naive
            closed_at="tomorrow",  # type: ignore[arg-type]
            queue_time=timedelta(seconds=-1),
            talk_time=7,  # type: ignore[arg-type]
            hold_time=timedelta(days=400),
            after_call_work=timedelta(minutes=1),
            abandoned="yes",  # type: ignore[arg-type]
            resolved_first_contact=1,  # type: ignore[arg-type]
            feedback=SECRET + "\ud800",
            notes=SECRET,
        )
    assert paths(error) == [
        "$.kind",
        "$.direction",
        "$.products_recommended[1]",
        "$.products_recommended[2]",
        "$.first_response_at",
        "$.closed_at",
        "$.queue_time",
        "$.talk_time",
        "$.hold_time",
        "$.abandoned",
        "$.resolved_first_contact",
        "$.feedback",
    ]
    assert "Tai Man" not in str(error.value)
    assert "gossip" not in str(error.value)


def test_outbound_contacts_name_their_customer_and_abandoned_calls_have_no_talk_time() -> None:
    with pytest.raises(ValidationError) as error:
        contact(direction="outbound", abandoned=True, talk_time=timedelta(seconds=1))
    assert [str(problem) for problem in error.value.problems] == [
        "$.customer_id: an outbound contact must name its customer",
        "$.talk_time: an abandoned call has no talk time",
    ]
    called = contact(direction=InteractionDirection.OUTBOUND, customer_id="C-1")
    assert called.direction is InteractionDirection.OUTBOUND
    hung_up = contact(abandoned=True, queue_time=timedelta(minutes=3), talk_time=timedelta(0))
    assert (hung_up.talk_time, hung_up.handle_time) == (timedelta(0), timedelta(0))
    walk_in = contact(channel="meeting", kind="purchase_assistance")
    assert walk_in.customer_id is None


def test_handle_time_is_derived_from_the_call_timings_or_stays_as_given() -> None:
    assert contact(handle_time=timedelta(minutes=6)).handle_time == timedelta(minutes=6)
    assert contact().handle_time is None
    call = contact(
        talk_time=timedelta(minutes=4),
        hold_time=timedelta(seconds=30),
        after_call_work=timedelta(seconds=90),
    )
    assert call.handle_time == timedelta(minutes=6)
    assert contact(hold_time=timedelta(minutes=2)).handle_time == timedelta(minutes=2)
    same = contact(talk_time=timedelta(minutes=5), handle_time=timedelta(minutes=5))
    assert same.handle_time == timedelta(minutes=5)
    with pytest.raises(ValidationError) as error:
        contact(talk_time=timedelta(minutes=5), handle_time=timedelta(minutes=6))
    assert [str(problem) for problem in error.value.problems] == [
        "$.handle_time: must equal talk + hold + after-call work when those are given"
    ]
    # evolve derives it again when a part changes, and keeps it when none does.
    longer = call.evolve(talk_time=timedelta(minutes=10))
    assert longer.handle_time == timedelta(minutes=12)
    assert call.evolve(status="resolved").handle_time == timedelta(minutes=6)
    with pytest.raises(ValidationError) as error:
        call.evolve(talk_time=timedelta(minutes=10), handle_time=timedelta(minutes=6))
    assert paths(error) == ["$.handle_time"]
    with pytest.raises(ValidationError) as error:
        contact(
            talk_time=timedelta(days=300),
            hold_time=timedelta(days=60),
            after_call_work=timedelta(days=10),
        )
    assert paths(error) == ["$.handle_time"]


# ---------------------------------------------------------------- times as instants


def test_times_are_ordered_as_instants_across_the_repeated_hour() -> None:
    first_0145 = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)  # BST: 00:45 UTC
    second_0115 = datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON)  # GMT: 01:15 UTC
    # An earlier wall clock, a later instant: in order.
    found = contact(occurred_at=first_0145, first_response_at=second_0115, closed_at=second_0115)
    assert found.first_response_at == second_0115
    # A later wall clock, an earlier instant: out of order.
    with pytest.raises(ValidationError) as error:
        contact(occurred_at=second_0115, first_response_at=first_0145, closed_at=first_0145)
    assert [str(problem) for problem in error.value.problems] == [
        "$.first_response_at: must not be before occurred_at",
        "$.closed_at: must not be before occurred_at",
    ]
    with pytest.raises(ValidationError) as error:
        contact(first_response_at=NOW + timedelta(hours=2), closed_at=NOW + timedelta(hours=1))
    assert [str(problem) for problem in error.value.problems] == [
        "$.closed_at: must not be before first_response_at"
    ]


def test_a_skipped_wall_time_is_refused_for_each_new_time() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    with pytest.raises(ValidationError) as error:
        contact(
            occurred_at=datetime(2026, 3, 29, 0, 30, tzinfo=LONDON),
            first_response_at=skipped,
            closed_at=skipped,
        )
    assert paths(error) == ["$.first_response_at", "$.closed_at"]
    assert {problem.code for problem in error.value.problems} == {"nonexistent_time"}
    after = datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)  # 01:30 UTC
    assert (
        contact(occurred_at=datetime(2026, 3, 29, 0, 30, tzinfo=LONDON), closed_at=after).closed_at
        == after
    )


def test_half_hour_zones_compare_by_instant() -> None:
    received = datetime(2026, 11, 30, 10, 0, tzinfo=KOLKATA)  # 04:30 UTC
    answered = datetime(2026, 11, 30, 14, 45, tzinfo=ADELAIDE)  # +10:30 in summer: 04:15 UTC
    with pytest.raises(ValidationError) as error:
        contact(occurred_at=received, first_response_at=answered)
    assert paths(error) == ["$.first_response_at"]
    closed = datetime(2026, 11, 30, 15, 1, tzinfo=ADELAIDE)  # 04:31 UTC
    found = contact(occurred_at=received, first_response_at=received, closed_at=closed)
    assert found.closed_at is not None
    assert found.closed_at.utcoffset() == timedelta(hours=10, minutes=30)
    back = from_json(to_json(found), ServiceInteraction)
    assert back == found
    assert back.closed_at is not None
    assert back.closed_at.tzinfo == ADELAIDE


def test_the_ends_of_the_supported_range() -> None:
    first = datetime(1, 1, 2, tzinfo=UTC)
    last = datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC)
    found = contact(occurred_at=first, first_response_at=first, closed_at=last)
    assert from_json(to_json(found), ServiceInteraction) == found
    east_of_first = datetime(1, 1, 2, 12, 0, tzinfo=timezone(timedelta(hours=12)))  # = first
    assert contact(occurred_at=first, closed_at=east_of_first).closed_at == east_of_first
    with pytest.raises(ValidationError) as error:
        contact(
            occurred_at=first,
            first_response_at=datetime.max.replace(tzinfo=timezone(timedelta(hours=-5))),
            closed_at=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
        )
    assert paths(error) == ["$.first_response_at", "$.closed_at"]
    assert all("0001-01-02" in problem.message for problem in error.value.problems)
    with pytest.raises(ValidationError) as error:
        contact(occurred_at=last, closed_at=first)
    assert paths(error) == ["$.closed_at"]


# ---------------------------------------------------------------- JSON and personal data


@given(interactions(customer_ids=st.none() | identifiers))
def test_interactions_round_trip_through_json(interaction: ServiceInteraction) -> None:
    back = from_json(to_json(interaction), ServiceInteraction)
    assert back == interaction
    assert back.handle_time == interaction.handle_time
    for name in ("occurred_at", "first_response_at", "closed_at"):
        stored, given_ = getattr(back, name), getattr(interaction, name)
        if given_ is not None:
            assert stored.utcoffset() == given_.utcoffset()


def test_the_json_shape_of_the_new_fields() -> None:
    found = contact(
        kind="complaint",
        direction="outbound",
        customer_id="C-1",
        products_recommended=["SKU-1"],
        first_response_at=NOW + timedelta(seconds=45),
        queue_time=timedelta(seconds=45),
        talk_time=timedelta(minutes=3),
        after_call_work=timedelta(seconds=30),
        resolved_first_contact=False,
        feedback=SECRET,
    )
    data = unstructure(found)
    assert data["kind"] == "complaint"
    assert data["direction"] == "outbound"
    assert data["products_recommended"] == ["SKU-1"]
    assert data["first_response_at"] == "2026-11-22T10:00:45+00:00"
    assert (data["queue_time"], data["talk_time"], data["hold_time"]) == (45, 180, None)
    assert (data["after_call_work"], data["handle_time"]) == (30, 210)
    assert (data["abandoned"], data["resolved_first_contact"]) == (False, False)
    assert json.loads(to_json(found))["feedback"] == SECRET
    assert structure(data, ServiceInteraction) == found
    with pytest.raises(ValidationError) as error:
        structure({**data, "direction": "outbound", "customer_id": None}, ServiceInteraction)
    assert paths(error) == ["$.customer_id"]
    with pytest.raises(ValidationError) as error:
        structure({**data, "abandoned": "no", "kind": 3}, ServiceInteraction)
    assert sorted(paths(error)) == ["$.abandoned", "$.kind"]


def test_feedback_and_notes_stay_out_of_reprs_and_errors() -> None:
    found = contact(feedback=SECRET, notes=SECRET + " (notes)")
    assert "Tai Man" not in repr(found)
    assert "Tai Man" not in str(found)
    with pytest.raises(ValidationError) as error:
        found.evolve(abandoned=True, talk_time=timedelta(minutes=1))
    assert "Tai Man" not in str(error.value)
    assert "Tai Man" not in repr(error.value)


def test_query_filters_are_validated_with_paths() -> None:
    with pytest.raises(ValidationError) as error:
        InteractionQuery(kind="gossip", direction=1, abandoned="yes")  # type: ignore[arg-type]
    assert paths(error) == ["$.kind", "$.direction", "$.abandoned"]
    query = InteractionQuery(kind="return", direction="inbound", abandoned=False)
    assert query.matches(contact(kind=InteractionKind.RETURN))
    assert not query.matches(contact(kind=InteractionKind.RETURN, abandoned=True))
    assert not query.matches(contact(kind="return", direction="outbound", customer_id="C-1"))


# ---------------------------------------------------------------- a file at schema version 4


def _version_4_file(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        prepare(connection)
        for statements in migrations()[:4]:
            for statement in statements:
                connection.execute(statement)
        connection.execute("PRAGMA user_version = 4")
        connection.execute(
            "INSERT INTO customers (id, version, name, tier, created_us, created_tz, "
            "created_offset_us) VALUES ('C-1', 1, 'Lee', 'standard', 1790000000000000, 'UTC', 0)"
        )
        i_1 = ("I-1", 2, "HK-CWB", "hotline", "Asia/Kolkata", 19_800_000_000, "C-1", "resolved")
        i_2 = ("I-2", 1, "HK-TST", "meeting", "UTC", 0, None, "open")
        i_3 = ("I-3", 1, "HK-TST", "email", "Europe/London", 3_600_000_000, "C-1", "escalated")
        rows = [
            (*i_1, '["refund"]', 300_000_000, "A-7", "wants a refund"),
            (*i_2, None, None, None, ""),
            (*i_3, None, 60_000_000, None, ""),
        ]
        connection.executemany(
            "INSERT INTO interactions (id, version, store_id, channel, occurred_us, "
            "occurred_tz, occurred_offset_us, customer_id, status, subject, needs, handle_us, "
            "agent_id, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'returns', ?, ?, ?, ?)",
            [
                (row[0], row[1], row[2], row[3], 1_790_000_000_000_000 + n, *row[4:])
                for n, row in enumerate(rows)
            ],
        )


def test_a_version_4_file_migrates_and_reads_back_the_same_interactions(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    _version_4_file(path)
    at = datetime(2026, 9, 21, 14, 13, 20, tzinfo=UTC)  # 1_790_000_000 s
    expected = [
        ServiceInteraction(
            id="I-1",
            version=2,
            store_id="HK-CWB",
            channel=Channel.HOTLINE,
            occurred_at=at.astimezone(KOLKATA),
            customer_id="C-1",
            status="resolved",
            subject="returns",
            needs=["refund"],
            handle_time=timedelta(minutes=5),
            agent_id="A-7",
            notes="wants a refund",
        ),
        ServiceInteraction(
            id="I-2",
            store_id="HK-TST",
            channel="meeting",
            occurred_at=(at + timedelta(microseconds=1)).astimezone(ZoneInfo("UTC")),
            status="open",
            subject="returns",
        ),
        ServiceInteraction(
            id="I-3",
            store_id="HK-TST",
            channel="email",
            occurred_at=(at + timedelta(microseconds=2)).astimezone(LONDON),
            customer_id="C-1",
            status="escalated",
            subject="returns",
            handle_time=timedelta(minutes=1),
        ),
    ]
    with SQLiteStore(path) as store:
        with store.unit_of_work() as uow:
            found = list(uow.interactions.query())
            assert found == expected
            assert [record.status.value for record in found] == ["resolved", "open", "escalated"]
            assert found[0].occurred_at.utcoffset() == timedelta(hours=5, minutes=30)
            for record, wanted in zip(found, expected, strict=True):
                assert record.occurred_at.tzinfo == wanted.occurred_at.tzinfo
                assert record.occurred_at.utcoffset() == wanted.occurred_at.utcoffset()
            assert all(
                record == structure(unstructure(record), ServiceInteraction) for record in found
            )
            assert uow.interactions.count(InteractionQuery(kind="enquiry")) == 3
            assert uow.interactions.count(InteractionQuery(direction="inbound")) == 3
            assert uow.interactions.count(InteractionQuery(abandoned=False)) == 3
            rows = uow.interactions.summarize(group_by=["store"])
            assert [(row.store_id, row.count, row.handled) for row in rows] == [
                ("HK-CWB", 1, 1),
                ("HK-TST", 2, 1),
            ]
            saved = uow.interactions.save(
                found[1].evolve(kind="complaint", feedback="too slow", closed_at=NOW)
            )
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.interactions.get("I-2") == saved
            assert uow.interactions.count(InteractionQuery(kind="complaint")) == 1
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = {row[1] for row in connection.execute("PRAGMA table_info(interactions)")}
        assert {"kind", "direction", "talk_us", "abandoned", "feedback", "closed_us"} <= columns
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize(
    ("column", "value"),
    [("kind", "gossip"), ("direction", "sideways"), ("products", "[1]"), ("talk_us", "long")],
)
def test_a_row_edited_outside_the_library_is_a_storage_error(
    tmp_path: Path, column: str, value: str
) -> None:
    path = tmp_path / "shop.db"
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        uow.interactions.add(contact(talk_time=timedelta(minutes=1), feedback=SECRET))
        uow.commit()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(f"UPDATE interactions SET {column} = ?", (value,))
    with SQLiteStore(path) as store, store.unit_of_work() as uow:
        with pytest.raises(StorageError) as error:
            uow.interactions.get("I-1")
        assert "'I-1'" in str(error.value)
        assert "Tai Man" not in str(error.value)
        with pytest.raises(StorageError):
            list(uow.interactions.query(InteractionQuery(store_id="HK-CWB")))


@pytest.mark.parametrize("make", [InMemoryStore, lambda: SQLiteStore(":memory:")])
def test_the_details_survive_both_stores(make: Any) -> None:
    from retail_service_quality import Customer

    record = contact(
        kind="follow_up",
        direction="outbound",
        customer_id="C-1",
        products_recommended=["SKU-9", "SKU-1"],
        first_response_at=datetime(2026, 10, 25, 1, 45, tzinfo=LONDON),
        closed_at=datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=LONDON),
        occurred_at=datetime(2026, 10, 25, 1, 40, tzinfo=LONDON),
        queue_time=timedelta(seconds=12),
        talk_time=timedelta(minutes=2),
        hold_time=timedelta(0),
        resolved_first_contact=True,
        feedback=SECRET,
    )
    with make() as store:
        with store.unit_of_work() as uow:
            uow.customers.add(Customer(id="C-1", name="Lee", created_at=NOW))
            uow.interactions.add(record)
            uow.commit()
        with store.unit_of_work() as uow:
            found = uow.interactions.get("I-1")
            assert found == record
            assert found.closed_at is not None
            assert found.closed_at.fold == 1
            assert found.handle_time == timedelta(minutes=2)
