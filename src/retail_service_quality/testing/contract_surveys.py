"""The storage contract for survey instruments and responses, part of `StoreContract`.

Every store keeps instrument editions once, each exactly as the library's JSON
gives it back, and refuses an edition that changes what a question id means;
keeps responses checked against the edition they answer, linked to a customer
only with consent, saved with optimistic concurrency and read back ordered by
the instant received, then id; keeps nothing unless the unit of work commits;
refuses writes in read-only units and bad arguments as a `ValidationError`
naming each one; and counts answers per group exactly as counting the
responses by hand does, local months, weekdays and hours included, across
daylight-saving changes, in half-hour zones and at the ends of the range.
`StoreContract` inherits these tests; an adapter that passes it passes them too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(SurveyStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_answer_counts_read_local_time_across_daylight_saving()
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from retail_service_quality.metrics.instruments import (
    SurveyInstrument,
    SurveyResponse,
    ces_instrument,
    csat_instrument,
    nps_instrument,
    product_requirements_instrument,
)
from retail_service_quality.serialization import to_json
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage.ports import Store
from retail_service_quality.storage.ports.surveys import SURVEY_GROUPS, AnswerCount
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import real_datetimes

__all__ = ["SurveyStoreContract", "survey_responses"]

LONDON = ZoneInfo("Europe/London")
_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)
# Published at the start of the supported range: responses of any time may answer them.
INSTRUMENTS: tuple[SurveyInstrument, ...] = (
    csat_instrument(published_at=MIN_INSTANT),
    nps_instrument(published_at=MIN_INSTANT),
    ces_instrument(published_at=MIN_INSTANT),
    product_requirements_instrument(published_at=MIN_INSTANT),
)
_ZONES = ("Europe/London", "Asia/Kolkata", "Australia/Adelaide", "America/St_Johns", "UTC")
_WORDS = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)


@st.composite
def survey_responses(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str] | None = None,
    instruments: Sequence[SurveyInstrument] = INSTRUMENTS,
) -> SurveyResponse:
    """Responses that fit one of ``instruments`` (the built-in CSAT, NPS, CES and product
    instruments, published at the start of the supported range, unless told), received from
    1900 to 2300, often near a DST change, some linked with consent, some with comments.

    Examples:
        >>> from hypothesis import find
        >>> list(find(survey_responses(), lambda response: bool(response.comments)).comments)
        ['comment']
    """
    instrument = draw(st.sampled_from(instruments))
    answers: dict[str, int] = {}
    comments: dict[str, str] = {}
    for question in instrument.questions:
        if question.scale is None:
            if draw(st.booleans()):
                comments[question.id] = draw(_WORDS)
        elif draw(st.integers(0, 4)):
            answers[question.id] = draw(st.integers(*question.scale))
    received = draw(real_datetimes(timezones=_ZONES))
    customer = draw(st.none() | st.sampled_from(["C-1", "C-2"]))
    return SurveyResponse(
        id=draw(ids if ids is not None else st.from_regex(r"R-[0-9]{1,3}", fullmatch=True)),
        instrument_id=instrument.id,
        edition=instrument.edition,
        received_at=received,
        store_id=draw(st.sampled_from(["HK-1", "HK-2", "伸延"])),
        channel=draw(st.sampled_from(Channel)),
        staff_id=draw(st.none() | st.sampled_from(["A-1", "A-2"])),
        interaction_id=draw(st.none() | st.just("I-1")),
        customer_id=customer,
        customer_consent_at=None if customer is None else received,
        answers=answers,
        comments=comments,
    )


def _response(record_id: str = "R-1", at: datetime | None = None, **changes: Any) -> SurveyResponse:
    fields: dict[str, Any] = {
        "id": record_id,
        "instrument_id": "csat",
        "edition": 1,
        "received_at": at if at is not None else datetime(2026, 11, 30, 10, tzinfo=UTC),
        "store_id": "HK-1",
        "channel": Channel.MEETING,
        "answers": {"csat": 5, "resolved": 1},
        "comments": {"comment": "Chan Tai Man was very kind"},
    }
    fields.update(changes)
    return SurveyResponse(**fields)


def _by_hand(
    responses: Sequence[SurveyResponse],
    start: datetime,
    end: datetime,
    question_ids: Sequence[str],
    group_by: Sequence[str],
    timezone: str,
) -> dict[tuple[Any, ...], int]:
    """The answer counts, from the responses, with the standard library's time zones."""
    zone = ZoneInfo(timezone)
    counts: Counter[tuple[Any, ...]] = Counter()
    for response in responses:
        if not start.astimezone(UTC) <= response.received_at.astimezone(UTC) < end.astimezone(UTC):
            continue
        local = response.received_at.astimezone(zone)
        group = (
            response.store_id if "store" in group_by else None,
            response.channel if "channel" in group_by else None,
            response.staff_id if "staff" in group_by else None,
            date(local.year, local.month, 1) if "month" in group_by else None,
            local.isoweekday() if "weekday" in group_by else None,
            local.hour if "hour" in group_by else None,
        )
        for question, value in response.answers.items():
            if question in question_ids:
                counts[(*group, response.instrument_id, question, value)] += 1
    return dict(counts)


def _table(rows: Sequence[AnswerCount]) -> dict[tuple[Any, ...], int]:
    table = {}
    for row in rows:
        key = (row.store_id, row.channel, row.staff_id, row.month, row.weekday, row.hour)
        table[(*key, row.instrument_id, row.question_id, row.value)] = row.count
    assert len(table) == len(rows)
    return table


class SurveyStoreContract(ContractBase):
    """Survey instruments' and responses' behaviour every store must show.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(SurveyStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_responses_are_saved_with_versions_and_never_overwritten()
    """

    def _with_responses(self, test: Callable[[Store], None], *responses: SurveyResponse) -> None:
        """Run ``test`` on a new store holding the built-in instruments and ``responses``."""
        store = self.make_store()
        try:
            with store.unit_of_work() as uow:
                for instrument in INSTRUMENTS:
                    uow.surveys.instruments.add(instrument)
                assert uow.surveys.responses.add_many(iter(responses)) == len(responses)
                uow.commit()
            test(store)
        finally:
            store.close()

    # ------------------------------------------------------------ round trips

    @_EXAMPLES
    @given(st.lists(survey_responses(), max_size=6, unique_by=lambda response: response.id))
    def test_responses_round_trip_in_order(self, responses: list[SurveyResponse]) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                found = list(uow.surveys.responses.query())
                expected = sorted(responses, key=lambda r: (r.received_at.astimezone(UTC), r.id))
                assert [r.id for r in found] == [r.id for r in expected]
                assert uow.surveys.responses.count() == len(responses)
                for response in responses:
                    stored = uow.surveys.responses.get(response.id)
                    assert stored == response
                    # Zones, folds and microseconds, not merely equal instants.
                    assert to_json(stored) == to_json(response)

        self._with_responses(check, *responses)

    def test_instruments_are_kept_by_edition(self) -> None:
        def check(store: Store) -> None:
            second = nps_instrument(edition=2, published_at=datetime(2026, 6, 1, tzinfo=UTC))
            with store.unit_of_work() as uow:
                instruments = uow.surveys.instruments
                assert instruments.latest("nps") == INSTRUMENTS[1]
                instruments.add(second)
                assert instruments.get("nps", 2) == second
                assert instruments.latest("nps") == second
                assert [(i.id, i.edition) for i in instruments.query(id="nps")] == [
                    ("nps", 1),
                    ("nps", 2),
                ]
                assert [i.id for i in instruments.query()] == [
                    "ces",
                    "csat",
                    "nps",
                    "nps",
                    "product-requirements",
                ]
                with pytest.raises(ConflictError):
                    instruments.add(nps_instrument())
                with pytest.raises(NotFoundError):
                    instruments.get("nps", 3)
                with pytest.raises(NotFoundError):
                    instruments.latest("servqual")
                # An edition may reword a question, never change what its id measures.
                changed = csat_instrument(edition=2, scale=7, published_at=MIN_INSTANT)
                with pytest.raises(ValidationError) as refused:
                    instruments.add(changed)
                assert [p.path for p in refused.value.problems] == ["$.questions[0]"]
                reworded = _reworded(csat_instrument(edition=3, published_at=MIN_INSTANT), "csat")
                instruments.add(reworded)
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert uow.surveys.instruments.get("csat", 3) == reworded
                assert [i.edition for i in uow.surveys.instruments.query(id="csat")] == [1, 3]

        self._with_responses(check)

    # ------------------------------------------------------------ versions and checks

    def test_responses_are_saved_with_versions_and_never_overwritten(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                responses = uow.surveys.responses
                read = responses.get("R-1")
                saved = responses.save(read.evolve(answers={"csat": 4}))
                assert saved.version == 2
                with pytest.raises(ConflictError, match="R-1"):
                    responses.save(read)
                with pytest.raises(ConflictError, match="R-1"):
                    responses.add(_response("R-1"))
                with pytest.raises(NotFoundError, match="R-9"):
                    responses.save(_response("R-9"))
                with pytest.raises(NotFoundError, match="R-9"):
                    responses.get("R-9")
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert uow.surveys.responses.get("R-1") == saved

        self._with_responses(check, _response("R-1"))

    def test_a_response_must_fit_its_stored_edition_and_carry_consent(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                responses = uow.surveys.responses
                with pytest.raises(NotFoundError, match="csat"):
                    responses.add(_response("R-2", edition=2))
                with pytest.raises(ValidationError) as refused:
                    responses.add(
                        _response("R-3", customer_id="C-1", answers={"csat": 9, "mood": 1})
                    )
                assert [p.path for p in refused.value.problems] == [
                    "$.customer_id",
                    "$.answers.csat",
                    "$.answers.mood",
                ]
                assert "Chan" not in str(refused.value)
                with pytest.raises(ValidationError):  # all or none: R-4 is not kept
                    responses.add_many([_response("R-4"), _response("R-5", answers={"x": 1})])
                with pytest.raises(ValidationError):
                    responses.save(responses.get("R-1").evolve(customer_id="C-1"))
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert [r.id for r in uow.surveys.responses.query()] == ["R-1"]

        self._with_responses(check, _response("R-1"))

    def test_erasing_a_customer_drops_the_link_and_the_words(self) -> None:
        at = datetime(2026, 11, 30, 10, tzinfo=UTC)
        linked = _response("R-1", customer_id="C-1", customer_consent_at=at)
        other = _response("R-2", customer_id="C-2", customer_consent_at=at)

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow, pytest.raises(StorageError):
                uow.surveys.responses.erase_customer("C-1")
            with store.unit_of_work() as uow:
                assert uow.surveys.responses.erase_customer("C-1") == 1
                assert uow.surveys.responses.erase_customer("C-9") == 0
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                erased = uow.surveys.responses.get("R-1")
                assert (erased.customer_id, erased.customer_consent_at) == (None, None)
                assert dict(erased.comments) == {}
                assert erased.answers == linked.answers
                assert erased.version == 2
                assert uow.surveys.responses.get("R-2") == other
                assert uow.surveys.responses.count(customer_id="C-1") == 0

        self._with_responses(check, linked, other)

    # ------------------------------------------------------------ units of work

    def test_survey_changes_roll_back_unless_committed(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                uow.surveys.instruments.add(nps_instrument(edition=2))
                uow.surveys.responses.add(_response("R-2"))
                uow.surveys.responses.save(uow.surveys.responses.get("R-1"))
            with store.unit_of_work() as uow:
                uow.surveys.responses.add(_response("R-3"))
                uow.rollback()
                uow.commit()
            with store.unit_of_work(read_only=True) as uow:
                assert [i.edition for i in uow.surveys.instruments.query(id="nps")] == [1]
                assert [r.id for r in uow.surveys.responses.query()] == ["R-1"]
                assert uow.surveys.responses.get("R-1").version == 1

        self._with_responses(check, _response("R-1"))

    def test_read_only_units_refuse_survey_writes(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                read = uow.surveys.responses.get("R-1")
                for write in (
                    lambda: uow.surveys.instruments.add(nps_instrument(edition=2)),
                    lambda: uow.surveys.responses.add(_response("R-2")),
                    lambda: uow.surveys.responses.add_many([_response("R-2")]),
                    lambda: uow.surveys.responses.save(read),
                ):
                    with pytest.raises(StorageError, match="read-only"):
                        write()
            outside = store.unit_of_work()
            with pytest.raises(StorageError):
                outside.surveys.responses.get("R-1")

        self._with_responses(check, _response("R-1"))

    # ------------------------------------------------------------ bad arguments

    def test_bad_survey_arguments_are_named(self) -> None:
        def check(store: Store) -> None:
            at = datetime(2026, 1, 1, tzinfo=UTC)
            with store.unit_of_work() as uow:
                surveys: Any = uow.surveys
                with pytest.raises(ValidationError) as refused:
                    surveys.answer_counts(
                        start=datetime(2026, 1, 1),  # noqa: DTZ001 - naive on purpose
                        end=at,
                        question_ids="csat",
                        measure="mood",
                        group_by=["store", "year", "store"],
                        timezone="Mars/Base",
                    )
                assert {p.path for p in refused.value.problems} == {
                    "$.start",
                    "$.question_ids",
                    "$.measure",
                    "$.group_by[1]",
                    "$.group_by[2]",
                    "$.timezone",
                }
                with pytest.raises(ValidationError) as refused:
                    surveys.answer_counts(start=at, end=at - timedelta(1), measure="csat")
                assert [p.path for p in refused.value.problems] == ["$.end"]
                with pytest.raises(ValidationError) as refused:
                    surveys.answer_counts(start=at, end=at)
                assert [p.path for p in refused.value.problems] == ["$.question_ids"]
                with pytest.raises(ValidationError) as refused:
                    surveys.responses.query(start="2026", store_id=5, instrument_id="")
                assert {p.path for p in refused.value.problems} == {
                    "$.start",
                    "$.store_id",
                    "$.instrument_id",
                }
                for bad in (None, "R-1", nps_instrument(), 5):
                    with pytest.raises(ValidationError):
                        surveys.responses.add(bad)
                with pytest.raises(ValidationError):
                    surveys.instruments.add(_response())
                with pytest.raises(ValidationError):
                    surveys.instruments.get("nps", "1")
                for edition in (0, -1, 10**30):  # no instrument has it: not found, on any store
                    with pytest.raises(NotFoundError):
                        surveys.instruments.get("nps", edition)
                with pytest.raises(ValidationError):
                    surveys.responses.add_many("R-1")
                with pytest.raises(NotFoundError):
                    surveys.responses.get(" R-1")

        self._with_responses(check)

    # ------------------------------------------------------------ answer counts

    @_EXAMPLES
    @given(
        responses=st.lists(survey_responses(), max_size=12, unique_by=lambda r: r.id),
        keys=st.lists(st.sampled_from(SURVEY_GROUPS), unique=True, max_size=3),
        timezone=st.sampled_from((*_ZONES, "Pacific/Chatham", "America/Sao_Paulo")),
        bounds=st.tuples(st.integers(1900, 2300), st.integers(0, 400)),
    )
    def test_answer_counts_are_the_responses_counted_by_hand(
        self,
        responses: list[SurveyResponse],
        keys: list[str],
        timezone: str,
        bounds: tuple[int, int],
    ) -> None:
        start = datetime(bounds[0], 1, 1, tzinfo=LONDON)
        end = start.astimezone(UTC) + timedelta(days=bounds[1] * 365)
        questions = ["csat", "resolved", "nps", "range", "price", "comment"]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                rows = uow.surveys.answer_counts(
                    start=start,
                    end=end,
                    question_ids=questions,
                    group_by=keys,  # type: ignore[arg-type]
                    timezone=timezone,
                )
                assert _table(rows) == _by_hand(responses, start, end, questions, keys, timezone)
                assert [_sort_key(row) for row in rows] == sorted(_sort_key(row) for row in rows)

        self._with_responses(check, *responses)

    def test_answer_counts_by_measure_read_every_stored_edition(self) -> None:
        at = datetime(2026, 11, 30, 10, tzinfo=UTC)
        responses = [
            _response("R-1", at, answers={"csat": 5}),
            _response("R-2", at, answers={"csat": 4, "resolved": 0}),
            _response("R-3", at, instrument_id="ces", answers={"ces": 7}),
            _response("R-4", at, instrument_id="nps", answers={"nps": 5}, comments={}),
        ]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                counts = uow.surveys.answer_counts
                whole: dict[str, Any] = {"start": at, "end": at + timedelta(seconds=1)}
                rows = counts(**whole, measure="csat", group_by=["store"])
                assert [(r.store_id, r.question_id, r.value, r.count) for r in rows] == [
                    ("HK-1", "csat", 4, 1),
                    ("HK-1", "csat", 5, 1),
                ]
                assert [r.value for r in counts(**whole, measure="fcr")] == [0]
                assert [r.value for r in counts(**whole, measure="ces")] == [7]
                assert list(counts(**whole, measure="servqual_perception")) == []
                assert list(counts(**whole, question_ids=["comment"])) == []  # never free text
                assert list(counts(start=at, end=at, measure="csat")) == []
                ending = counts(start=at - timedelta(1), end=at, question_ids=["csat"])
                assert list(ending) == []  # the end is not in the period
                only = counts(**whole, question_ids=["csat"], instrument_id="ces")
                assert list(only) == []

        self._with_responses(check, *responses)

    def test_answer_counts_read_local_time_across_daylight_saving(self) -> None:
        kolkata = ZoneInfo("Asia/Kolkata")
        adelaide = ZoneInfo("Australia/Adelaide")
        responses = [
            # The repeated hour in London: both folds are local hour 1.
            _response("R-1", datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)),
            _response("R-2", datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)),
            # Either side of the skipped hour: local hours 0 and 2, none at 1.
            _response("R-3", datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
            _response("R-4", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
            # Half-hour zones: the local day and month begin half an hour off UTC's hours.
            _response("R-5", datetime(2026, 2, 1, 0, 15, tzinfo=kolkata)),
            _response("R-6", datetime(2026, 4, 5, 2, 45, fold=1, tzinfo=adelaide)),
            # The ends of the supported range.
            _response("R-7", MIN_INSTANT, instrument_id="nps", answers={"nps": 0}, comments={}),
            _response(
                "R-8",
                MAX_INSTANT - timedelta(seconds=1),
                instrument_id="nps",
                answers={"nps": 10},
                comments={},
            ),
        ]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                for zone in (
                    "Europe/London",
                    "Asia/Kolkata",
                    "Australia/Adelaide",
                    "Pacific/Kiritimati",
                    "Pacific/Pago_Pago",
                ):
                    for keys in (["month", "weekday", "hour"], ["hour"], ["month"]):
                        for start, end in (
                            (MIN_INSTANT, MAX_INSTANT),
                            (datetime(2026, 1, 1, tzinfo=LONDON), datetime(2027, 1, 1, tzinfo=UTC)),
                        ):
                            rows = uow.surveys.answer_counts(
                                start=start,
                                end=end,
                                question_ids=["csat", "nps"],
                                group_by=keys,  # type: ignore[arg-type]
                                timezone=zone,
                            )
                            assert _table(rows) == _by_hand(
                                responses, start, end, ["csat", "nps"], keys, zone
                            ), (zone, keys)
                london = uow.surveys.answer_counts(
                    start=datetime(2026, 3, 29, tzinfo=UTC),
                    end=datetime(2026, 10, 26, tzinfo=UTC),
                    question_ids=["csat"],
                    group_by=["hour"],
                    timezone="Europe/London",
                )
                assert [(row.hour, row.count) for row in london] == [
                    (0, 1),
                    (1, 2),
                    (2, 1),
                    (18, 1),
                ]
                ends = uow.surveys.answer_counts(
                    start=MIN_INSTANT,
                    end=MAX_INSTANT,
                    question_ids=["nps"],
                    group_by=["month"],
                    timezone="Pacific/Kiritimati",
                )
                assert [row.month for row in ends] == [date(1, 1, 1), date(9999, 12, 1)]

        self._with_responses(check, *responses)


def _sort_key(row: AnswerCount) -> tuple[Any, ...]:
    keys = (row.store_id, row.channel, row.staff_id, row.month, row.weekday, row.hour)
    return (
        *((item is not None, item if item is not None else 0) for item in keys),
        row.instrument_id,
        row.question_id,
        row.value,
    )


def _reworded(instrument: SurveyInstrument, question_id: str) -> SurveyInstrument:
    """The instrument with one question reworded (same kind, scale and measure)."""
    questions = tuple(
        attrs.evolve(question, text=f"Reworded: {question.text}")
        if question.id == question_id
        else question
        for question in instrument.questions
    )
    return attrs.evolve(instrument, questions=questions)
