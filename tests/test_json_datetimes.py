"""Datetimes in JSON are exact: zone, offset and fold survive; what cannot be read is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

from retail_service_quality import (
    Customer,
    ServiceInteraction,
    ValidationError,
    from_json,
    structure,
    to_json,
    unstructure,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.testing.strategies import real_datetimes

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")


def message(text: str) -> str:
    with pytest.raises(ValidationError) as error:
        from_json(text, datetime)
    (problem,) = error.value.problems
    assert problem.path == "$"
    return problem.message


@pytest.mark.parametrize(("fold", "offset"), [(0, "+01:00"), (1, "+00:00")])
def test_the_repeated_hour_keeps_its_fold(fold: int, offset: str) -> None:
    moment = datetime(2026, 10, 25, 1, 30, fold=fold, tzinfo=LONDON)
    assert unstructure(moment) == f"2026-10-25T01:30:00{offset}[Europe/London]"
    back = from_json(to_json(moment), datetime)
    assert back.tzinfo is LONDON
    assert back.fold == fold
    assert back.utcoffset() == moment.utcoffset()
    assert back.astimezone(UTC) == moment.astimezone(UTC)


@pytest.mark.parametrize("fold", [0, 1])
def test_a_customer_created_in_the_repeated_hour_round_trips(fold: int) -> None:
    created = datetime(2026, 10, 25, 1, 30, fold=fold, tzinfo=LONDON)
    customer = Customer(id="C-1", name="Chan Tai Man", created_at=created)
    back = from_json(to_json(customer), Customer)
    assert back == customer
    assert back.created_at.utcoffset() == created.utcoffset()
    assert back.created_at.tzinfo is LONDON


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 22, 9, 30, tzinfo=KOLKATA), "2026-11-22T09:30:00+05:30[Asia/Kolkata]"),
        (
            datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=ADELAIDE),
            "2026-04-05T02:30:00+09:30[Australia/Adelaide]",
        ),
        (
            datetime(2026, 4, 5, 2, 30, fold=0, tzinfo=ADELAIDE),
            "2026-04-05T02:30:00+10:30[Australia/Adelaide]",
        ),
        (datetime(2026, 11, 22, 9, 30, tzinfo=UTC), "2026-11-22T09:30:00+00:00"),
        (
            datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
            "2026-11-22T09:30:00-03:30",
        ),
    ],
)
def test_half_hour_zones_and_fixed_offsets(moment: datetime, text: str) -> None:
    assert unstructure(moment) == text
    back = structure(text, datetime)
    assert back == moment
    assert back.utcoffset() == moment.utcoffset()
    assert back.tzinfo == moment.tzinfo


def test_plain_iso_with_an_offset_reads_as_a_fixed_offset() -> None:
    back = structure("2026-10-25T01:30:00+01:00", datetime)
    assert back.tzinfo == timezone(timedelta(hours=1))
    assert back == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert structure("2026-10-25T00:30:00Z", datetime).tzinfo is UTC


def test_a_naive_datetime_is_refused() -> None:
    assert "UTC offset" in message('"2026-11-22T09:30:00"')
    assert "UTC offset" in message('"2026-11-22T09:30:00[Europe/London]"')


def test_a_skipped_wall_time_is_refused() -> None:
    for offset in ("+00:00", "+01:00"):
        assert "clocks skip it" in message(f'"2026-03-29T01:30:00{offset}[Europe/London]"')


def test_an_offset_the_zone_does_not_have_is_refused() -> None:
    assert "offset" in message('"2026-10-25T01:30:00+02:00[Europe/London]"')
    assert "offset" in message('"2026-07-01T12:00:00+00:00[Europe/London]"')


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus", "../etc/passwd", "", "Europe/London/", "zone.tab", "x" * 300]
)
def test_an_unknown_zone_is_refused(zone: str) -> None:
    assert "time zone" in message(f'"2026-10-25T01:30:00+00:00[{zone}]"')


def test_rfc_9557_annotations() -> None:
    # The critical flag on the zone is allowed; elective extension tags are ignored.
    assert structure("2026-10-25T01:30:00+00:00[!Europe/London]", datetime).fold == 1
    assert structure("2026-10-25T01:30:00+00:00[Europe/London][u-ca=iso8601]", datetime).fold == 1
    assert "critical" in message('"2026-10-25T01:30:00+00:00[Europe/London][!u-ca=hebrew]"')
    assert "first" in message('"2026-10-25T01:30:00+00:00[u-ca=iso8601][Europe/London]"')
    assert "ISO 8601" in message('"2026-10-25T01:30:00+00:00[Europe/London"')


def test_the_ends_of_the_supported_range() -> None:
    for end in (MIN_INSTANT, MAX_INSTANT):
        assert structure(unstructure(end), datetime) == end
        in_kolkata = end.astimezone(KOLKATA) if end is MIN_INSTANT else end.astimezone(LONDON)
        assert structure(unstructure(in_kolkata), datetime) == end
    assert "from 0001-01-02" in message('"0001-01-01T23:59:59+00:00"')
    assert "from 0001-01-02" in message('"9999-12-31T00:00:00+00:00"')
    assert "from 0001-01-02" in message('"9999-12-31T23:59:59-12:00"')
    assert "from 0001-01-02" in message('"0001-01-01T00:00:00+14:00"')


@given(real_datetimes())
def test_every_generated_datetime_round_trips_exactly(moment: datetime) -> None:
    back = from_json(to_json(moment), datetime)
    assert back == moment
    assert back.utcoffset() == moment.utcoffset()
    assert back.tzinfo is moment.tzinfo


def test_records_refuse_skipped_and_out_of_range_times() -> None:
    skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    with pytest.raises(ValidationError) as error:
        Customer(id="C-1", name="Lee", created_at=skipped)
    assert [str(p) for p in error.value.problems] == [
        "$.created_at: the local time does not exist in its time zone: "
        "the clocks skip it (daylight saving)"
    ]
    too_late = datetime.max.replace(tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(ValidationError) as error:
        ServiceInteraction(id="I-1", store_id="S", channel="fax", occurred_at=too_late)
    assert [p.path for p in error.value.problems] == ["$.occurred_at"]
    assert "0001-01-02" in error.value.problems[0].message


def test_structure_checks_datetime_objects_too() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        structure(datetime(2026, 11, 22, 9, 30), datetime)
    with pytest.raises(ValidationError, match="clocks skip"):
        structure(datetime(2026, 3, 29, 1, 30, tzinfo=LONDON), datetime)
    moment = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    assert structure(moment, datetime) is moment
