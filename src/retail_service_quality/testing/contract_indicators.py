"""The storage contract for the indicators: every store tallies interactions the same way.

`compute_indicators` reads a store's interactions through one port method,
`TallyRepository.tally`: sums per local day (and hour), store, channel (and
agent). A store adds them up however it likes (SQL, one pass in memory), but
the sums must come out as the interactions themselves say: these tests count
them again from the records, with each instant's local date and hour read
from `datetime.astimezone`, and check the indicators by hand, on the store a
subclass makes.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(IndicatorContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_nothing_recorded_is_no_rows()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.customers import Customer
from retail_service_quality.customers.consent import ConsentGiven, NoticeServed
from retail_service_quality.metrics.instruments import (
    SurveyResponse,
    ces_instrument,
    csat_instrument,
    nps_instrument,
    product_requirements_instrument,
)
from retail_service_quality.quality.compute import compute_indicators
from retail_service_quality.quality.indicators import (
    IndicatorDefinition,
    IndicatorValue,
    TransactionCount,
)
from retail_service_quality.service.interactions import ServiceInteraction
from retail_service_quality.service.sla import SlaPolicy, SlaTarget
from retail_service_quality.storage.ports import Store, UnitOfWork
from retail_service_quality.storage.ports.interactions import (
    SHORT_ABANDON,
    InteractionTally,
    TallyRepository,
)
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.contract_complaint_analysis import analysed_complaint

__all__ = ["IndicatorContract", "expected_tally"]

_LONDON = ZoneInfo("Europe/London")
_START = datetime(2026, 10, 24, tzinfo=UTC)
_SECRET = "Mrs Wong of Flat 3A, 9123 4567"  # personal: in no row
_US = timedelta(microseconds=1)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CONTACTS = IndicatorDefinition(
    id="contacts", name="Contacts", measure="contacts", statistic="count", unit="count",
    direction="higher",
)  # fmt: skip


def _key(
    record: ServiceInteraction, zone: str, by_hour: bool, by_agent: bool
) -> tuple[int, int | None, str, str, str | None]:
    local = record.occurred_at.astimezone(ZoneInfo(zone))
    day = (local.date() - date(1970, 1, 1)).days
    return (
        day,
        local.hour if by_hour else None,
        record.store_id,
        record.channel.value,
        record.agent_id if by_agent else None,
    )


def expected_tally(
    records: Sequence[ServiceInteraction],
    *,
    start: datetime,
    end: datetime,
    timezone: str,
    within: Sequence[timedelta] = (),
    short_abandon: timedelta = SHORT_ABANDON,
    by_hour: bool = False,
    by_agent: bool = False,
    repeat_window: timedelta | None = None,
) -> dict[tuple[int, int | None, str, str, str | None], dict[str, Any]]:
    """What `TallyRepository.tally` must give for ``records`` (every stored interaction),
    counted record by record; keyed by (day, hour, store, channel value, agent).

    Examples:
        >>> expected_tally([], start=_START, end=_START, timezone="UTC")
        {}
    """
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    found: dict[tuple[int, int | None, str, str, str | None], dict[str, Any]] = {}
    for record in records:
        at = record.occurred_at.astimezone(UTC)
        if not low <= at < high:
            continue
        row = found.setdefault(
            _key(record, timezone, by_hour, by_agent),
            {
                "contacts": 0, "handled": 0, "handle_us": 0, "inbound": 0, "short": 0,
                "abandoned": 0, "queue_measured": 0, "queue_us": 0,
                "within": [0] * len(within), "abandoned_within": [0] * len(within),
                "fcr_known": 0, "fcr_yes": 0, "repeat_known": 0, "repeat_free": 0,
            },
        )  # fmt: skip
        row["contacts"] += 1
        if record.handle_time is not None:
            row["handled"] += 1
            row["handle_us"] += record.handle_time // _US
        queue = record.queue_time
        if record.direction.value == "inbound":
            row["inbound"] += 1
            short = record.abandoned and queue is not None and queue < short_abandon
            if short:
                row["short"] += 1
            elif record.abandoned:
                row["abandoned"] += 1
            elif queue is not None:
                row["queue_measured"] += 1
                row["queue_us"] += queue // _US
            for index, threshold in enumerate(within):
                if queue is not None and queue <= threshold and not short:
                    row["abandoned_within" if record.abandoned else "within"][index] += 1
        if record.resolved_first_contact is not None:
            row["fcr_known"] += 1
            row["fcr_yes"] += int(record.resolved_first_contact)
        if repeat_window is not None and record.customer_id is not None:
            row["repeat_known"] += 1
            repeated = any(
                other.customer_id == record.customer_id
                and other.subject == record.subject
                and at < other.occurred_at.astimezone(UTC) <= at + repeat_window
                for other in records
            )
            row["repeat_free"] += int(not repeated)
    return found


def _tally(uow: UnitOfWork, **options: Any) -> list[InteractionTally]:
    repository = uow.interactions
    assert isinstance(repository, TallyRepository), "the store's interactions cannot be tallied"
    return repository.tally(**options)


def _as_dict(
    rows: Iterable[InteractionTally],
) -> dict[tuple[int, int | None, str, str, str | None], dict[str, Any]]:
    found = {}
    for row in rows:
        values = row._asdict()
        key = (row.day, row.hour, row.store_id, row.channel.value, row.agent_id)
        for name in ("day", "hour", "store_id", "channel", "agent_id"):
            del values[name]
        values["within"] = list(values["within"])
        values["abandoned_within"] = list(values["abandoned_within"])
        assert key not in found, "a group is given twice"
        found[key] = values
    return found


def _call(
    number: int,
    at: datetime,
    *,
    queue: int | None = 10,
    talk: int | None = 100,
    abandoned: bool = False,
    **fields: Any,
) -> ServiceInteraction:
    details: dict[str, Any] = {
        "id": f"I-{number:04d}",
        "store_id": "S1",
        "channel": "hotline",
        "occurred_at": at,
        "queue_time": None if queue is None else timedelta(seconds=queue),
        "talk_time": None if talk is None or abandoned else timedelta(seconds=talk),
        "abandoned": abandoned,
        "notes": _SECRET,
    }
    details.update(fields)
    return ServiceInteraction(**details)


_ZONES = st.sampled_from(["UTC", "Europe/London", "Asia/Kolkata", "Australia/Adelaide"])


@st.composite
def _interactions(draw: st.DrawFn) -> list[ServiceInteraction]:
    count = draw(st.integers(0, 40))
    found = []
    for number in range(count):
        inbound = draw(st.booleans()) or draw(st.booleans())
        abandoned = inbound and draw(st.integers(0, 4)) == 0
        seconds = draw(st.integers(0, 4 * 86_400))
        # Elapsed time, added in UTC, then shown in a zone: never a wall-clock sum.
        at = (_START + timedelta(seconds=seconds)).astimezone(draw(_ZONES.map(ZoneInfo)))
        found.append(
            _call(
                number,
                at,
                queue=draw(st.none() | st.integers(0, 60)),
                talk=draw(st.none() | st.integers(0, 900)),
                abandoned=abandoned,
                direction="inbound" if inbound else "outbound",
                customer_id=draw(st.sampled_from(["C1", "C2"]))
                if not inbound
                else draw(st.sampled_from([None, "C1", "C2"])),
                store_id=draw(st.sampled_from(["S1", "S2"])),
                channel=draw(st.sampled_from(["hotline", "email", "online"])),
                agent_id=draw(st.sampled_from([None, "A1", "A2"])),
                subject=draw(st.sampled_from(["", "returns", "delivery"])),
                resolved_first_contact=draw(st.sampled_from([None, True, False])),
            )
        )
    return found


class IndicatorContract(ContractBase):
    """The interaction-tally behaviour every store must show. Subclass it and implement
    `make_store`.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(IndicatorContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_nothing_recorded_is_no_rows()
    """

    def _filled(self, records: Sequence[ServiceInteraction]) -> Store:
        store = self.make_store()
        with store.unit_of_work() as uow:
            uow.customers.add_many(
                Customer(id=name, name=_SECRET, created_at=_START - timedelta(days=400))
                for name in ("C1", "C2")
            )
            uow.interactions.add_many(records)
            uow.commit()
        return store

    def _computed(
        self, records: Sequence[ServiceInteraction], indicators: Sequence[Any], **options: Any
    ) -> list[IndicatorValue]:
        store = self._filled(records)
        options.setdefault("start", _START)
        options.setdefault("end", _START + timedelta(days=30))
        try:
            return list(compute_indicators(store, indicators, **options))
        finally:
            store.close()

    def test_nothing_recorded_is_no_rows(self) -> None:
        """An empty store, or a period with no interaction, has no group."""
        assert self._computed([], ["service_level", "aht"]) == []
        store = self._filled([_call(1, _START)])
        try:
            with store.unit_of_work(read_only=True) as uow:
                later = _START + timedelta(days=1)
                assert _tally(uow, start=later, end=later, timezone="UTC") == []
        finally:
            store.close()

    def test_contact_centre_indicators_by_hand(self) -> None:
        """Service level in each treatment of abandons, abandonment, AHT, ASA and FCR."""
        at = _START + timedelta(hours=9)
        calls = [
            _call(1, at, queue=5),
            _call(2, at, queue=15),
            _call(3, at, queue=25),
            _call(4, at, queue=40),
            _call(5, at, queue=None, talk=300),  # answered, queue not recorded
            _call(6, at, queue=10, abandoned=True),  # abandoned within 20 s
            _call(7, at, queue=60, abandoned=True),  # abandoned after 20 s
            _call(8, at, queue=2, abandoned=True),  # a short abandon: left out
            _call(9, at, queue=None, talk=60, channel="email", resolved_first_contact=True),
            _call(10, at, queue=None, talk=None, channel="email", resolved_first_contact=False),
        ]

        def service_level(abandons: str) -> IndicatorDefinition:
            return IndicatorDefinition(
                id=f"sl_{abandons}", name="SL", measure="answered_within", statistic="share",
                unit="share", direction="higher", within=timedelta(seconds=20),
                abandons=abandons, channels=["hotline"],
            )  # fmt: skip

        rows = self._computed(
            calls,
            [
                service_level("ignore"),
                service_level("negative"),
                service_level("positive"),
                "abandonment_rate",
                "aht",
                "asa",
                IndicatorDefinition(
                    id="fcr",
                    name="FCR",
                    measure="resolved_first_contact",
                    statistic="share",
                    unit="share",
                    direction="higher",
                ),
                _CONTACTS,
            ],
        )
        found = {row.indicator_id: (row.value, row.n) for row in rows}
        # Answered and measured: 5, 15, 25, 40 (2 within 20 s); abandoned: 10 s and 60 s.
        assert found["sl_ignore"] == (2 / 5, 5)
        assert found["sl_negative"] == (2 / 6, 6)
        assert found["sl_positive"] == (3 / 6, 6)
        assert found["abandonment_rate"] == (2 / 7, 7)  # 8 offered, 1 short abandon
        assert found["aht"] == ((4 * 100 + 300 + 60) / 6, 6)
        assert found["asa"] == ((5 + 15 + 25 + 40) / 4, 4)
        assert found["fcr"] == (0.5, 2)
        assert found["contacts"] == (10.0, 10)
        (first,) = [row for row in rows if row.indicator_id == "sl_ignore"]
        assert first.interval is not None
        assert first.interval.low < 0.4 < first.interval.high
        assert _SECRET not in repr(rows)

    def test_repeat_contacts_by_hand(self) -> None:
        """A contact is first-contact resolved unless the customer comes back on its subject
        within the window, even after the period."""
        at = _START + timedelta(hours=9)
        calls = [
            _call(1, at, customer_id="C1", subject="returns"),
            _call(2, at + timedelta(days=3), customer_id="C1", subject="returns"),
            _call(3, at, customer_id="C2", subject="returns"),
            _call(4, at + timedelta(days=1), customer_id="C2", subject="delivery"),
            _call(5, at),  # anonymous: not counted
            _call(6, at + timedelta(days=9), customer_id="C1", subject="returns"),
        ]
        [row] = self._computed(calls, ["fcr_internal"], end=_START + timedelta(days=5))
        # I-0001 came back within 7 days (I-0002); I-0002 too (I-0006, after the period).
        assert (row.value, row.n) == (2 / 4, 4)

    def test_groups_are_local_across_dst_and_in_a_half_hour_zone(self) -> None:
        """Months, weekdays and hours are read on the zone's own clock."""
        calls = [
            # 00:30 UTC on 25 October: 01:30 BST, before the clocks go back.
            _call(1, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
            # 01:30 UTC: 01:30 GMT, the repeated hour's second pass.
            _call(2, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
            # 23:45 UTC on 31 October: 05:15 on 1 November in Kolkata, still October in London.
            _call(3, datetime(2026, 10, 31, 23, 45, tzinfo=UTC)),
        ]
        london = self._computed(
            calls, [_CONTACTS], group_by=["month", "hour"], timezone="Europe/London"
        )
        assert [(r.month, r.hour, r.n) for r in london] == [
            (date(2026, 10, 1), 1, 2),
            (date(2026, 10, 1), 23, 1),
        ]
        kolkata = self._computed(
            calls, [_CONTACTS], group_by=["month", "weekday", "hour"], timezone="Asia/Kolkata"
        )
        assert [(r.month, r.weekday, r.hour, r.n) for r in kolkata] == [
            (date(2026, 10, 1), 7, 6, 1),
            (date(2026, 10, 1), 7, 7, 1),
            (date(2026, 11, 1), 7, 5, 1),
        ]

    def test_store_unit_staff_and_channel_groups(self) -> None:
        """Stores map to business units; agents and channels group as recorded."""
        at = _START + timedelta(hours=9)
        calls = [
            _call(1, at, store_id="S1", agent_id="A1"),
            _call(2, at, store_id="S2", agent_id="A1", channel="email"),
            _call(3, at, store_id="S3", agent_id=None),
        ]
        rows = self._computed(
            calls, [_CONTACTS], group_by=["business_unit", "staff"],
            business_units={"S1": "north", "S2": "north"},
        )  # fmt: skip
        assert [(r.business_unit, r.staff_id, r.n) for r in rows] == [
            (None, None, 1),
            ("north", "A1", 2),
        ]
        by_channel = self._computed(calls, [_CONTACTS], group_by=["channel"])
        assert [(r.channel.value if r.channel else None, r.n) for r in by_channel] == [
            ("email", 1),
            ("hotline", 2),
        ]

    def test_complaint_indicators_by_hand(self) -> None:
        """Counts, rates per 1,000 transactions, repeats within the window, and resolution
        times in business time (median and p90, R type 7)."""
        desk = SlaPolicy(
            id="desk",
            calendar=BusinessCalendar("UTC", {day: [("00:00", "24:00")] for day in _DAYS}),
            targets=[SlaTarget("resolution", business_time=timedelta(days=30))],
        )
        at = _START + timedelta(hours=9)
        complaints = [
            analysed_complaint(
                f"CMP-{number}", at=at + timedelta(days=number), policy=desk,
                root_cause="late" if took else None, took=timedelta(hours=took or 1),
                customer_id=customer, store_id=store,
            )
            for number, (took, customer, store) in enumerate(
                [(1, "C1", "S1"), (2, "C1", "S1"), (4, None, "S1"), (None, "C2", "S2"),
                 (8, "C2", "S2")]
            )
        ]  # fmt: skip
        # Before the period: makes CMP-0 a repeat (same customer and category, 20 days before).
        complaints.append(
            analysed_complaint("CMP-old", at=at - timedelta(days=20), customer_id="C1")
        )
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                uow.customers.add_many(
                    Customer(id=name, name=_SECRET, created_at=_START - timedelta(days=400))
                    for name in ("C1", "C2")
                )
                uow.complaints.add_many(complaints)
                uow.commit()
            sales = [
                TransactionCount(store_id="S1", day=date(2026, 10, 24), count=1_000),
                TransactionCount(store_id="S1", day=date(2026, 10, 25), count=500),
                TransactionCount(store_id="S2", day=date(2026, 10, 27), count=200),
                TransactionCount(store_id="S2", day=date(2026, 10, 28), count=50),
                TransactionCount(store_id="S3", day=date(2026, 10, 26), count=100),
                TransactionCount(store_id="S1", day=date(2026, 12, 1), count=9),  # not in it
            ]
            rows = compute_indicators(
                store,
                ["complaint_rate", "repeat_complaint_rate", "resolution_time_median",
                 "resolution_time_p90"],
                start=_START, end=_START + timedelta(days=30), group_by=["store"],
                transactions=sales,
            )  # fmt: skip
        finally:
            store.close()
        found = {(row.indicator_id, row.store_id): (row.value, row.n) for row in rows}
        # n is the rate's base: the transactions. S1 gave no sales on the 26th: its
        # complaint that day is left out of the rate, and the method says so.
        assert found[("complaint_rate", "S1")] == (2 * 1000 / 1500, 1500)
        [s1_rate] = [r for r in rows if (r.indicator_id, r.store_id) == ("complaint_rate", "S1")]
        assert s1_rate.method.endswith(
            "; 1 complaint on a store's day without a sales count left out"
        )
        assert found[("complaint_rate", "S2")] == (2 * 1000 / 250, 250)
        assert found[("complaint_rate", "S3")] == (0.0, 100)
        assert found[("repeat_complaint_rate", "S1")] == (2 / 3, 3)  # CMP-0 and CMP-1
        assert found[("repeat_complaint_rate", "S2")] == (1 / 2, 2)  # CMP-4 repeats CMP-3
        assert found[("resolution_time_median", "S1")] == (7200.0, 3)  # 1, 2 and 4 hours
        assert found[("resolution_time_p90", "S1")] == (3.6 * 3600, 3)
        assert found[("resolution_time_median", "S2")] == (8 * 3600.0, 1)
        assert _SECRET not in repr(rows)

    def test_survey_indicators_by_hand(self) -> None:
        """CSAT as a top-two-box share, NPS, CES as a mean and as a share, FCR by survey and a
        product rating, from stored responses; free text is never read."""
        instruments = [
            csat_instrument(), nps_instrument(), ces_instrument(),
            product_requirements_instrument(),
        ]  # fmt: skip
        at = _START + timedelta(hours=9)
        answers = [
            ("csat", {"csat": 5, "resolved": 1}),
            ("csat", {"csat": 4, "resolved": 1}),
            ("csat", {"csat": 3, "resolved": 0}),
            ("csat", {"csat": 2}),
            ("csat", {"csat": 5}),
            ("nps", {"nps": 10}),
            ("nps", {"nps": 9}),
            ("nps", {"nps": 8}),
            ("nps", {"nps": 6}),
            ("nps", {"nps": 0}),
            ("ces", {"ces": 7}),
            ("ces", {"ces": 5}),
            ("ces", {"ces": 3}),
            ("product-requirements", {"range": 4}),
            ("product-requirements", {"range": 2}),
        ]
        responses = [
            SurveyResponse(
                id=f"R-{number}", instrument_id=instrument, edition=1,
                received_at=at + timedelta(minutes=number), store_id="S1", channel="hotline",
                answers=given, comments={"comment": _SECRET},
            )
            for number, (instrument, given) in enumerate(answers)
        ]  # fmt: skip
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                for instrument in instruments:
                    uow.surveys.instruments.add(instrument)
                uow.surveys.responses.add_many(responses)
                uow.commit()
            rows = compute_indicators(
                store,
                ["csat", "nps", "ces", "ces_easy", "fcr_survey", "product_range"],
                start=_START, end=_START + timedelta(days=1),
            )  # fmt: skip
        finally:
            store.close()
        found = {row.indicator_id: row for row in rows}
        assert (found["csat"].value, found["csat"].n) == (3 / 5, 5)
        assert (found["nps"].value, found["nps"].n) == (0.0, 5)  # 2 promoters, 2 detractors
        assert (found["ces"].value, found["ces"].n) == (5.0, 3)
        assert (found["ces_easy"].value, found["ces_easy"].n) == (2 / 3, 3)
        assert (found["fcr_survey"].value, found["fcr_survey"].n) == (2 / 3, 3)
        assert (found["product_range"].value, found["product_range"].n) == (3.0, 2)
        for row in rows:
            assert row.interval is not None
        assert _SECRET not in repr(rows)
        assert _SECRET not in str(rows.to_records())

    def test_consent_coverage_by_hand(self) -> None:
        """The share of customers with own-marketing consent at the period's last instant,
        per home store; customers created after the period are not counted."""
        at = _START + timedelta(days=1)
        customers = [
            Customer(id=f"C-{n}", name=_SECRET, home_store_id=store, created_at=created)
            for n, (store, created) in enumerate(
                [("S1", _START), ("S1", _START), ("S1", _START), ("S2", _START),
                 ("S2", _START + timedelta(days=40))]
            )
        ]  # fmt: skip

        def consented(customer_id: str, when: datetime) -> list[Any]:
            return [
                NoticeServed(
                    event_id=f"{customer_id}-N", customer_id=customer_id, at=when,
                    evidence="form:F-1", notice_version="v1", data_kinds=["email"],
                    marketing_classes=["toys"],
                ),
                ConsentGiven(
                    event_id=f"{customer_id}-G", customer_id=customer_id, at=when,
                    evidence="form:F-1", method="written", scope="own_marketing",
                    data_kinds=["email"], marketing_classes=["toys"], notice_version="v1",
                    explicit=True,
                ),
            ]  # fmt: skip

        events = consented("C-0", at) + consented("C-1", _START + timedelta(days=31))
        events += consented("C-3", at)
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                uow.customers.add_many(customers)
                uow.consent.append_many(events)
                uow.commit()
            rows = compute_indicators(
                store, ["consent_coverage"], start=_START, end=_START + timedelta(days=30),
                group_by=["store"],
            )  # fmt: skip
        finally:
            store.close()
        # C-1 consents after the period; C-4 is created after it.
        assert [(r.store_id, r.value, r.n) for r in rows] == [("S1", 1 / 3, 3), ("S2", 1.0, 1)]

    def test_the_ends_of_the_supported_range(self) -> None:
        """Interactions at the first and last instants supported are tallied."""
        calls = [_call(1, MIN_INSTANT), _call(2, MAX_INSTANT - timedelta(microseconds=1))]
        rows = self._computed(
            calls, [_CONTACTS], start=MIN_INSTANT, end=MAX_INSTANT, group_by=["store"]
        )
        assert [(r.store_id, r.n) for r in rows] == [("S1", 2)]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.differing_executors,
            HealthCheck.function_scoped_fixture,
        ],
    )
    @given(
        records=_interactions(),
        zone=_ZONES,
        by_hour=st.booleans(),
        by_agent=st.booleans(),
        thresholds=st.lists(st.integers(1, 60), max_size=3, unique=True),
        window=st.none() | st.integers(1, 5),
        first=st.integers(0, 2 * 86_400),
        span=st.integers(0, 3 * 86_400),
    )
    def test_the_tally_agrees_with_the_records(
        self,
        records: list[ServiceInteraction],
        zone: str,
        by_hour: bool,
        by_agent: bool,
        thresholds: list[int],
        window: int | None,
        first: int,
        span: int,
    ) -> None:
        """Whatever the records, zone and options, the sums are the records' own."""
        options: dict[str, Any] = {
            "start": _START + timedelta(seconds=first),
            "end": _START + timedelta(seconds=first + span),
            "timezone": zone,
            "within": [timedelta(seconds=seconds) for seconds in sorted(thresholds)],
            "by_hour": by_hour,
            "by_agent": by_agent,
            "repeat_window": None if window is None else timedelta(days=window),
        }
        store = self._filled(records)
        try:
            with store.unit_of_work(read_only=True) as uow:
                tallied = _as_dict(_tally(uow, **options))
        finally:
            store.close()
        assert tallied == expected_tally(records, **options)
