"""The SQLite adapter's survey repositories: instruments by edition, responses, answer counts.

Each instrument edition and each response is kept as the library's JSON. A
response's row also holds the columns it is selected and counted by, and its
closed answers alone as a JSON object, so `answer_counts` is one ``GROUP BY``
over ``json_each`` of the responses received in the period: the database
sends back one row per group, question and answer, never one per response.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from retail_service_quality.errors import ConflictError, NotFoundError, RSQError, StorageError
from retail_service_quality.metrics.instruments import (
    QuestionMeasure,
    SurveyInstrument,
    SurveyResponse,
)
from retail_service_quality.serialization import from_json, to_json
from retail_service_quality.serialization._records import RecordList, RecordStream
from retail_service_quality.storage._common import (
    check_customer_argument,
    check_id_argument,
    check_storable,
    documented_by,
    offset_segments,
)
from retail_service_quality.storage._time import DAY_US, instant_us
from retail_service_quality.storage.ports.surveys import (
    AnswerCount,
    CountArguments,
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
from retail_service_quality.storage.sqlite._repository import (
    Records,
    offset_case,
    stream,
    translated,
    where_clause,
)

if TYPE_CHECKING:
    from retail_service_quality.storage.sqlite._repository import SQLUnitOfWork

__all__ = ["SQLiteSurveys"]

_SHIFT_DAYS: Final = 1_000_000  # more days than lie between 1970 and the year 1
_HOUR_US: Final = 3_600_000_000


def _instrument(row: Sequence[Any]) -> SurveyInstrument:
    try:
        return from_json(row[-1], SurveyInstrument)
    except (TypeError, RSQError) as error:
        raise StorageError(f"the survey instrument {row[0]!r} cannot be read") from error


@documented_by(InstrumentRepository)
class SQLiteInstruments:
    """Survey instrument editions in one SQLite unit of work, ordered by id, then edition."""

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow

    def _editions(self, id: str) -> list[SurveyInstrument]:
        connection = self._uow.connection()
        with translated("reading survey instruments"):
            rows = connection.execute(
                "SELECT id, record FROM survey_instruments WHERE id = ? ORDER BY edition", (id,)
            ).fetchall()
        return [_instrument(row) for row in rows]

    def add(self, instrument: SurveyInstrument) -> None:
        check_instrument(instrument)
        check_storable(instrument)
        connection = self._uow.writer()
        check_same_meaning(instrument, self._editions(instrument.id))
        try:
            with translated("adding a survey instrument"):
                connection.execute(
                    "INSERT INTO survey_instruments (id, edition, record) VALUES (?, ?, ?)",
                    (instrument.id, instrument.edition, to_json(instrument)),
                )
        except ConflictError as error:
            raise ConflictError(
                f"edition {instrument.edition} of the survey instrument {instrument.id!r} "
                "already exists"
            ) from error.__cause__

    def get(self, id: str, edition: int) -> SurveyInstrument:
        key = check_edition_argument(id, edition)
        connection = self._uow.connection()
        with translated("reading a survey instrument"):
            row = connection.execute(
                "SELECT id, record FROM survey_instruments WHERE id = ? AND edition = ?", key
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no edition {edition} of the survey instrument {id!r}")
        return _instrument(row)

    def latest(self, id: str) -> SurveyInstrument:
        connection = self._uow.connection()
        check_id_argument(id)
        with translated("reading a survey instrument"):
            row = connection.execute(
                "SELECT id, record FROM survey_instruments WHERE id = ? "
                "ORDER BY edition DESC LIMIT 1",
                (id,),
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no survey instrument {id!r}")
        return _instrument(row)

    def query(self, *, id: str | None = None) -> Iterator[SurveyInstrument]:
        where, params = "", []
        if id is not None:
            check_id_argument(id)
            where, params = " WHERE id = ?", [id]
        sql = f"SELECT id, record FROM survey_instruments{where} ORDER BY id, edition"
        return RecordStream(
            SurveyInstrument,
            stream(self._uow, sql, params, _instrument, "reading survey instruments"),
        )

    def all(self) -> list[SurveyInstrument]:
        """Every edition (for counting by measure)."""
        return list(self.query())


def _read_response(row: Sequence[Any]) -> SurveyResponse:
    try:
        return from_json(row[-1], SurveyResponse)
    except (TypeError, RSQError) as error:
        raise StorageError(f"the survey response {row[0]!r} cannot be read") from error


def _response_filter(chosen: ResponseFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in (
        ("received_us >= ?", chosen.start_us),
        ("received_us < ?", chosen.end_us),
        ("instrument_id = ?", chosen.instrument_id),
        ("store_id = ?", chosen.store_id),
        ("customer_id = ?", chosen.customer_id),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return where_clause(clauses), params


@documented_by(ResponseRepository)
class SQLiteResponses(Records[SurveyResponse]):
    """Survey responses in one SQLite unit of work, ordered by instant received, then id."""

    table = "survey_responses"
    kind = "survey response"
    columns = (
        "id",
        "version",
        "instrument_id",
        "edition",
        "received_us",
        "store_id",
        "channel",
        "staff_id",
        "customer_id",
        "answers",
        "record",
    )
    order = "received_us, id"
    record_type = SurveyResponse
    from_row = staticmethod(_read_response)

    def __init__(self, uow: SQLUnitOfWork, instruments: SQLiteInstruments) -> None:
        super().__init__(uow)
        self._instruments = instruments
        self._seen: dict[tuple[str, int], SurveyInstrument | None] = {}

    def to_row(self, response: SurveyResponse) -> tuple[Any, ...]:
        """The row of a response, once it is checked against the edition it answers."""
        key = (response.instrument_id, response.edition)
        if key not in self._seen:
            try:
                self._seen[key] = self._instruments.get(*key)
            except NotFoundError:
                self._seen[key] = None
        check_storable_response(response, self._seen[key])
        check_storable(response)
        return (
            response.id,
            response.version,
            response.instrument_id,
            response.edition,
            instant_us(response.received_at),
            response.store_id,
            response.channel.value,
            response.staff_id,
            response.customer_id,
            json.dumps(dict(response.answers), separators=(",", ":")),
            to_json(response),
        )

    def add_many(self, records: Iterable[SurveyResponse]) -> int:
        self._seen = {}  # editions are read afresh by each call: one added since counts
        return super().add_many(records)

    def save(self, record: SurveyResponse) -> SurveyResponse:
        self._seen = {}
        return super().save(record)

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
        return self._stream(*_response_filter(chosen))

    def count(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        instrument_id: str | None = None,
        store_id: str | None = None,
        customer_id: str | None = None,
    ) -> int:
        chosen = ResponseFilter.of(start, end, instrument_id, store_id, customer_id)
        return self._count(*_response_filter(chosen))

    def erase_customer(self, customer_id: str) -> int:
        chosen = ResponseFilter.of(customer_id=check_customer_argument(customer_id))
        self._uow.check_writable()
        found = list(self._stream(*_response_filter(chosen)))
        for response in found:
            self.save(response.without_customer())
        if found:
            self._uow.erased()  # the free text must leave the file, and its log
        return len(found)


def _month(text: object) -> date:
    if not isinstance(text, str):
        raise StorageError("a month of the answer counts cannot be read")
    return date(int(text[:4]), int(text[5:7]), 1)


@documented_by(SurveyRepository)
class SQLiteSurveys:
    """Survey instruments, responses and answer counts in one SQLite unit of work."""

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow
        self._instruments = SQLiteInstruments(uow)
        self._responses = SQLiteResponses(uow, self._instruments)

    @property
    def instruments(self) -> InstrumentRepository:
        return self._instruments

    @property
    def responses(self) -> ResponseRepository:
        return self._responses

    def _bound(self, chosen: CountArguments, function: str, bound: int | None) -> Any:
        """The first (``min``) or last (``max``) instant received in the period."""
        sql = (
            f"SELECT {function}(received_us) FROM survey_responses "
            "WHERE received_us >= ? AND received_us < ?"
        )
        params: list[Any] = [chosen.start_us, chosen.end_us]
        if bound is not None:
            sql += " AND received_us >= ?" if function == "min" else " AND received_us <= ?"
            params.append(bound)
        with translated("counting survey answers"):
            return self._uow.connection().execute(sql, params).fetchone()[0]

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
        self._uow.check_active()
        if chosen.end_us <= chosen.start_us:
            return RecordList(AnswerCount)
        filters = ["received_us >= ?", "received_us < ?"]
        filter_params: list[Any] = [chosen.start_us, chosen.end_us]
        if chosen.instrument_id is not None:
            filters.append("instrument_id = ?")
            filter_params.append(chosen.instrument_id)
        answer_filter = ""
        answer_params: list[Any] = []
        if chosen.question_ids is not None:
            answer_filter = f" AND a.key IN ({', '.join('?' for _ in chosen.question_ids)})"
            answer_params = list(chosen.question_ids)
        else:
            assert chosen.measure is not None
            pairs = measure_pairs(self._instruments.all(), chosen.measure)
            if not pairs:
                return RecordList(AnswerCount)
            values = ", ".join("(?, ?)" for _ in pairs)
            answer_filter = f" AND (r.instrument_id, a.key) IN (VALUES {values})"
            answer_params = [item for pair in pairs for item in pair]
        local_params: list[Any] = []
        local = "NULL"
        if chosen.local:
            segments = offset_segments(
                ZoneInfo(chosen.timezone),
                lambda at: self._bound(chosen, "min", at),
                lambda at: self._bound(chosen, "max", at),
            )
            if not segments:
                return RecordList(AnswerCount)
            # Shifted by a million days so that the divisions, which truncate, floor.
            shift = _SHIFT_DAYS * DAY_US
            offset = offset_case("received_us", segments, local_params)
            local = f"received_us + {offset} + {shift}"
        day = f"(r.local_us / {DAY_US} - {_SHIFT_DAYS})"
        keys = chosen.group_by
        dialect = self._uow.dialect
        value = dialect.json_value("a")
        grouped = [
            "r.store_id" if "store" in keys else "NULL",
            "r.channel" if "channel" in keys else "NULL",
            "r.staff_id" if "staff" in keys else "NULL",
            dialect.month(day) if "month" in keys else "NULL",
            f"(({day} % 7) + 10) % 7 + 1" if "weekday" in keys else "NULL",
            f"(r.local_us % {DAY_US}) / {_HOUR_US}" if "hour" in keys else "NULL",
        ]
        selected = ", ".join(
            f"{expression} AS k{index}" for index, expression in enumerate(grouped)
        )
        sql = (
            f"SELECT {selected}, r.instrument_id, a.key, {value} AS v, count(*) FROM "
            f"(SELECT store_id, channel, staff_id, instrument_id, answers, {local} AS local_us "
            f"FROM survey_responses{where_clause(filters)}) r, "
            f"{dialect.json_entries('r.answers', 'a')} "
            f"WHERE {dialect.true}{answer_filter} "
            "GROUP BY k0, k1, k2, k3, k4, k5, r.instrument_id, a.key, v"
        )
        with translated("counting survey answers"):
            rows = (
                self._uow.connection()
                .execute(sql, [*local_params, *filter_params, *answer_params])
                .fetchall()
            )
        counts: dict[tuple[object, ...], int] = {}
        for row in rows:
            month = None if row[3] is None else _month(row[3])
            counts[(*row[:3], month, *row[4:9])] = row[9]
        return answer_count_rows(counts)
