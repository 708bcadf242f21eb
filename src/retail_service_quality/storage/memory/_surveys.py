"""The in-memory adapter's survey repositories: instruments by edition, responses, counts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from retail_service_quality.errors import ConflictError, NotFoundError
from retail_service_quality.metrics.instruments import (
    QuestionMeasure,
    SurveyInstrument,
    SurveyResponse,
)
from retail_service_quality.serialization._records import RecordList, RecordStream
from retail_service_quality.storage._common import (
    check_customer_argument,
    check_id_argument,
    check_records,
    check_storable,
    documented_by,
)
from retail_service_quality.storage._time import (
    DAY_US,
    instant_us,
    local_day,
    offset_at,
    period_start,
)
from retail_service_quality.storage.memory._repository import Records, Table
from retail_service_quality.storage.ports.surveys import (
    AnswerCount,
    InstrumentRepository,
    ResponseFilter,
    ResponseRepository,
    SurveyGroupBy,
    SurveyRepository,
    answer_count_rows,
    check_answer_counts,
    check_edition_argument,
    check_instrument,
    check_same_meaning,
    check_storable_response,
    measure_pairs,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.memory._store import MemoryUnitOfWork

__all__ = ["EditionTable", "MemorySurveys"]

EditionKey = tuple[str, int]
_HOUR_US = 3_600_000_000


class EditionTable:
    """The instrument editions of a unit of work: the committed ones plus those added."""

    def __init__(self, committed: dict[EditionKey, SurveyInstrument]) -> None:
        self._committed = committed
        self.pending: dict[EditionKey, SurveyInstrument] = {}

    def lookup(self, key: EditionKey) -> SurveyInstrument | None:
        return self.pending.get(key) or self._committed.get(key)

    def all(self) -> list[SurveyInstrument]:
        merged = {**self._committed, **self.pending}
        return [merged[key] for key in sorted(merged)]

    def check_commit(self) -> None:
        for key, instrument in self.pending.items():
            if key in self._committed:
                raise ConflictError(
                    f"edition {key[1]} of the survey instrument {key[0]!r} already exists"
                )
            check_same_meaning(instrument, self._committed.values())

    def apply(self) -> None:
        self._committed.update(self.pending)
        self.discard()

    def discard(self) -> None:
        self.pending = {}


@documented_by(InstrumentRepository)
class MemoryInstruments:
    """Survey instrument editions in one in-memory unit of work, ordered by id, then edition."""

    def __init__(self, table: EditionTable, uow: MemoryUnitOfWork) -> None:
        self._table = table
        self._uow = uow

    def add(self, instrument: SurveyInstrument) -> None:
        check_instrument(instrument)
        self._uow.check_writable()
        key = (instrument.id, instrument.edition)
        if self._table.lookup(key) is not None:
            raise ConflictError(
                f"edition {key[1]} of the survey instrument {key[0]!r} already exists"
            )
        check_storable(instrument)
        check_same_meaning(instrument, self._table.all())
        self._table.pending[key] = instrument

    def get(self, id: str, edition: int) -> SurveyInstrument:
        self._uow.check_active()
        key = check_edition_argument(id, edition)
        found = self._table.lookup(key)
        if found is None:
            raise NotFoundError(f"no edition {edition} of the survey instrument {id!r}")
        return found

    def latest(self, id: str) -> SurveyInstrument:
        self._uow.check_active()
        check_id_argument(id)
        editions = [item for item in self._table.all() if item.id == id]
        if not editions:
            raise NotFoundError(f"no survey instrument {id!r}")
        return editions[-1]

    def query(self, *, id: str | None = None) -> Iterator[SurveyInstrument]:
        self._uow.check_active()
        if id is not None:
            check_id_argument(id)
        found = [item for item in self._table.all() if id is None or item.id == id]
        return RecordStream(SurveyInstrument, self._uow.stream(found))


def _by_received(response: SurveyResponse) -> tuple[int, str]:
    return instant_us(response.received_at), response.id


@documented_by(ResponseRepository)
class MemoryResponses(Records[SurveyResponse]):
    """Survey responses in one in-memory unit of work, ordered by instant received, then id."""

    record_type = SurveyResponse

    def __init__(
        self, table: Table[SurveyResponse], editions: EditionTable, uow: MemoryUnitOfWork
    ) -> None:
        super().__init__(table, uow, _by_received, self._fits)
        self._editions = editions

    def _fits(self, response: SurveyResponse) -> None:
        edition = self._editions.lookup((response.instrument_id, response.edition))
        check_storable_response(response, edition)

    def add_many(self, records: Iterable[SurveyResponse]) -> int:
        # The edition a response answers is read before its id is checked, as on SQLite.
        self._uow.check_writable()
        chosen = check_records(records, SurveyResponse)
        return self._table.add_new(chosen, self._checked, content_first=True)

    def selected(self, chosen: ResponseFilter) -> list[SurveyResponse]:
        """The matching responses, in the port's order, as they stand now."""
        return self._matching(chosen.matches)

    def query(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        instrument_id: str | None = None,
        store_id: str | None = None,
        customer_id: str | None = None,
    ) -> Iterator[SurveyResponse]:
        chosen = ResponseFilter.of(start, end, instrument_id, store_id, customer_id)
        return RecordStream(SurveyResponse, self._uow.stream(self.selected(chosen)))

    def count(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        instrument_id: str | None = None,
        store_id: str | None = None,
        customer_id: str | None = None,
    ) -> int:
        return len(
            self.selected(ResponseFilter.of(start, end, instrument_id, store_id, customer_id))
        )

    def erase_customer(self, customer_id: str) -> int:
        chosen = ResponseFilter.of(customer_id=check_customer_argument(customer_id))
        self._uow.check_writable()
        found = self.selected(chosen)
        for response in found:
            self.save(response.without_customer())
        return len(found)


@documented_by(SurveyRepository)
class MemorySurveys:
    """Survey instruments, responses and answer counts in one in-memory unit of work."""

    def __init__(
        self,
        editions: EditionTable,
        responses: Table[SurveyResponse],
        uow: MemoryUnitOfWork,
    ) -> None:
        self._editions = editions
        self._instruments = MemoryInstruments(editions, uow)
        self._responses = MemoryResponses(responses, editions, uow)

    @property
    def instruments(self) -> InstrumentRepository:
        return self._instruments

    @property
    def responses(self) -> ResponseRepository:
        return self._responses

    def answer_counts(
        self,
        *,
        start: datetime,
        end: datetime,
        question_ids: Sequence[str] | None = None,
        measure: QuestionMeasure | str | None = None,
        instrument_id: str | None = None,
        group_by: Sequence[SurveyGroupBy] = (),
        timezone: str = "UTC",
    ) -> RecordList[AnswerCount]:
        chosen = check_answer_counts(
            start, end, question_ids, measure, instrument_id, group_by, timezone
        )
        wanted: set[tuple[str, str]] | None = None
        if chosen.measure is not None:
            wanted = set(measure_pairs(self._editions.all(), chosen.measure))
        ids = None if chosen.question_ids is None else set(chosen.question_ids)
        zone = ZoneInfo(chosen.timezone)
        keys = chosen.group_by
        counts: dict[tuple[object, ...], int] = {}
        within = ResponseFilter(chosen.start_us, chosen.end_us, chosen.instrument_id)
        for response in self._responses.selected(within):
            month = weekday = hour = None
            if chosen.local:
                at = instant_us(response.received_at)
                local = at + offset_at(zone, at // 1_000_000)
                day = local_day(local)
                if "month" in keys:
                    month = period_start(day, "month")
                if "weekday" in keys:
                    weekday = (day + 3) % 7 + 1
                if "hour" in keys:
                    hour = local % DAY_US // _HOUR_US
            group = (
                response.store_id if "store" in keys else None,
                response.channel.value if "channel" in keys else None,
                response.staff_id if "staff" in keys else None,
                month,
                weekday,
                hour,
                response.instrument_id,
            )
            for question, value in response.answers.items():
                if ids is not None and question not in ids:
                    continue
                if wanted is not None and (response.instrument_id, question) not in wanted:
                    continue
                key = (*group, question, value)
                counts[key] = counts.get(key, 0) + 1
        return answer_count_rows(counts)
