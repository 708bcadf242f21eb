"""The surveys port: survey instruments by edition, the responses to them, and answer counts.

``uow.surveys`` holds two collections and one aggregate:

- ``uow.surveys.instruments`` (`InstrumentRepository`): each edition of each
  `SurveyInstrument`, added once and never changed (a change is a new edition).
  A question id keeps its kind, scale and measure across the editions of an
  instrument: an edition that changes them is refused.
- ``uow.surveys.responses`` (`ResponseRepository`): `SurveyResponse` records,
  saved optimistically like customers. Each is checked against the stored
  edition it answers (`check_response`), and one linked to a customer must
  carry the customer's consent (``customer_consent_at``).
- ``uow.surveys.answer_counts`` (`SurveyRepository.answer_counts`): how many
  times each answer was given, per question and per group (store, channel,
  staff, local month, weekday, hour): a frequency table from which CSAT, NPS,
  CES and rank tests are computed without reading a response. A database
  counts them itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Final, Literal, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import (
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.errors import (
    NotFoundError,
    Problems,
    StorageError,
    ValidationError,
    join_path,
)
from retail_service_quality.metrics.instruments import (
    MAX_EDITION,
    QuestionMeasure,
    SurveyInstrument,
    SurveyResponse,
    check_response,
)
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage._time import instant_us

__all__ = [
    "SURVEY_GROUPS",
    "AnswerCount",
    "InstrumentRepository",
    "ResponseRepository",
    "SurveyGroupBy",
    "SurveyRepository",
]

SurveyGroupBy = Literal["store", "channel", "staff", "month", "weekday", "hour"]
"""What `SurveyRepository.answer_counts` can group by."""

SURVEY_GROUPS: Final[tuple[SurveyGroupBy, ...]] = (
    "store",
    "channel",
    "staff",
    "month",
    "weekday",
    "hour",
)
"""Every key `SurveyRepository.answer_counts` can group by, in the order of its rows' keys."""


@attrs.frozen(kw_only=True)
class AnswerCount(Tabular):
    """How many responses in one group gave one answer to one question.

    A key that was not grouped by is ``None``; ``staff_id`` is also ``None``
    for responses that name no member of staff. Local keys (month, weekday,
    hour) are read in the time zone asked for.

    Attributes:
        store_id: the group's store.
        channel: the group's channel.
        staff_id: the group's member of staff.
        month: the first day of the group's local month.
        weekday: the group's local ISO weekday, 1 for Monday to 7 for Sunday.
        hour: the group's local hour, 0 to 23 (a repeated hour counts both).
        instrument_id: the instrument the question belongs to.
        question_id: the question.
        value: the answer (an integer, `QuestionKind`).
        count: how many responses gave it.

    Examples:
        >>> row = AnswerCount(store_id="S1", channel=None, staff_id=None, month=None,
        ...     weekday=None, hour=None, instrument_id="nps", question_id="nps", value=9, count=12)
        >>> row.to_records()[0]["count"]
        12
    """

    store_id: str | None
    channel: Channel | None
    staff_id: str | None
    month: date | None
    weekday: int | None
    hour: int | None
    instrument_id: str
    question_id: str
    value: int
    count: int


def _channel(value: object) -> Channel:
    found = lenient_enum(Channel, value)
    if not isinstance(found, Channel):
        raise StorageError("a stored channel is one this release does not know")
    return found


def answer_count_rows(counts: Mapping[tuple[object, ...], int]) -> RecordList[AnswerCount]:
    """The frequency table from counts keyed by store, channel value, staff, first day of the
    local month, weekday, hour, instrument id, question id and value, ordered by those keys
    (``None`` first). For adapters.

    Examples:
        >>> answer_count_rows({(None, None, None, None, 2, None, "nps", "nps", 9): 3})[0].weekday
        2
    """

    def order(key: tuple[object, ...]) -> tuple[object, ...]:
        return tuple((item is not None, item if item is not None else 0) for item in key)

    rows = []
    for key in sorted(counts, key=order):
        store, channel, staff, month, weekday, hour, instrument, question, value = key
        rows.append(
            AnswerCount(
                store_id=store,  # type: ignore[arg-type]
                channel=None if channel is None else _channel(channel),
                staff_id=staff,  # type: ignore[arg-type]
                month=month,  # type: ignore[arg-type]
                weekday=weekday,  # type: ignore[arg-type]
                hour=hour,  # type: ignore[arg-type]
                instrument_id=instrument,  # type: ignore[arg-type]
                question_id=question,  # type: ignore[arg-type]
                value=value,  # type: ignore[arg-type]
                count=counts[key],
            )
        )
    return RecordList(AnswerCount, rows)


# ---------------------------------------------------------------- arguments


def _check_optional_id(value: object, path: str, problems: Problems) -> None:
    if value is not None:
        check_id(value, path, problems)


@attrs.frozen
class ResponseFilter:
    """Which responses `ResponseRepository.query` selects, its arguments checked (for adapters).

    Instants are microseconds since 1970 UTC; ``None`` is no bound.
    """

    start_us: int | None = None
    end_us: int | None = None
    instrument_id: str | None = None
    store_id: str | None = None
    customer_id: str | None = None

    @classmethod
    def of(
        cls,
        start: object = None,
        end: object = None,
        instrument_id: object = None,
        store_id: object = None,
        customer_id: object = None,
    ) -> ResponseFilter:
        """The filter, once every argument is checked in one round (`ValidationError`)."""
        problems = Problems()
        if start is not None:
            check_aware(start, "$.start", problems)
        if end is not None:
            check_aware(end, "$.end", problems)
        _check_optional_id(instrument_id, "$.instrument_id", problems)
        _check_optional_id(store_id, "$.store_id", problems)
        _check_optional_id(customer_id, "$.customer_id", problems)
        problems.raise_if_any()
        low = None if start is None else instant_us(start)  # type: ignore[arg-type]
        high = None if end is None else instant_us(end)  # type: ignore[arg-type]
        if low is not None and high is not None and high < low:
            raise ValidationError.single("$.end", "must not be before start", "inconsistent")
        return cls(low, high, instrument_id, store_id, customer_id)  # type: ignore[arg-type]

    def matches(self, response: SurveyResponse) -> bool:
        """Whether a response is selected."""
        at = instant_us(response.received_at)
        return (
            (self.start_us is None or at >= self.start_us)
            and (self.end_us is None or at < self.end_us)
            and (self.instrument_id is None or response.instrument_id == self.instrument_id)
            and (self.store_id is None or response.store_id == self.store_id)
            and (self.customer_id is None or response.customer_id == self.customer_id)
        )


@attrs.frozen
class CountArguments:
    """The checked arguments of `SurveyRepository.answer_counts` (for adapters)."""

    start_us: int
    end_us: int
    question_ids: tuple[str, ...] | None
    measure: QuestionMeasure | None
    instrument_id: str | None
    group_by: frozenset[SurveyGroupBy]
    timezone: str

    @property
    def local(self) -> bool:
        """Whether a key needs local time."""
        return bool(self.group_by & {"month", "weekday", "hour"})


def check_answer_counts(
    start: object,
    end: object,
    question_ids: object,
    measure: object,
    instrument_id: object,
    group_by: object,
    timezone: object,
) -> CountArguments:
    """The arguments of `SurveyRepository.answer_counts`, checked in one round.

    Examples:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> check_answer_counts(at, at, None, "nps", None, ["store"], "UTC").group_by
        frozenset({'store'})

    Raises:
        ValidationError: every problem, with its path.
    """
    problems = Problems()
    for name, value in (("start", start), ("end", end)):
        if value is None:
            problems.add(join_path("$", name), "is required", "required")
        else:
            check_aware(value, join_path("$", name), problems)
    ids: tuple[str, ...] | None = None
    if question_ids is not None:
        if isinstance(question_ids, str | bytes) or not isinstance(question_ids, list | tuple):
            problems.add("$.question_ids", "must be a list of question ids", "type")
        else:
            ids = tuple(question_ids)
            if not ids:
                problems.add("$.question_ids", "must name at least one question", "required")
            for index, value in enumerate(ids):
                check_id(value, join_path("$.question_ids", index), problems)
    chosen: object = None
    if measure is not None:
        chosen = lenient_enum(QuestionMeasure, measure) if isinstance(measure, str) else measure
        check_enum(chosen, QuestionMeasure, "$.measure", problems)
    if (question_ids is None) == (measure is None):
        problems.add("$.question_ids", "give exactly one of question_ids and measure", "required")
    _check_optional_id(instrument_id, "$.instrument_id", problems)
    keys: list[SurveyGroupBy] = []
    if isinstance(group_by, str | bytes) or not isinstance(group_by, list | tuple):
        problems.add("$.group_by", "must be a list of grouping keys", "type")
    else:
        for index, key in enumerate(group_by):
            path = join_path("$.group_by", index)
            if not isinstance(key, str) or key not in SURVEY_GROUPS:
                problems.add(
                    path,
                    "must be one of: " + ", ".join(SURVEY_GROUPS),
                    "unknown_choice" if isinstance(key, str) else "type",
                )
            elif key in keys:
                problems.add(path, "repeats a grouping key", "duplicate")
            else:
                keys.append(key)
    valid_zone = False
    if isinstance(timezone, str) and timezone:
        try:
            ZoneInfo(timezone)
            valid_zone = True
        except (KeyError, ValueError, OSError):
            valid_zone = False
    if not valid_zone:
        problems.add("$.timezone", "must be a known IANA time zone", "unknown_choice")
    problems.raise_if_any()
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    low, high = instant_us(start), instant_us(end)
    if high < low:
        raise ValidationError.single("$.end", "must not be before start", "inconsistent")
    return CountArguments(
        low,
        high,
        None if ids is None else tuple(dict.fromkeys(ids)),
        chosen,  # type: ignore[arg-type]
        instrument_id,  # type: ignore[arg-type]
        frozenset(keys),
        timezone,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- checks shared by adapters


def check_instrument(value: object) -> SurveyInstrument:
    """A `SurveyInstrument`, or `ValidationError` at ``$``."""
    if not isinstance(value, SurveyInstrument):
        raise ValidationError.single("$", "must be a SurveyInstrument", "type")
    return value


def check_edition_argument(id: object, edition: object) -> tuple[str, int]:
    """An instrument id and edition to look up, or `ValidationError` listing both; an edition
    no instrument can have is `NotFoundError`."""
    problems = Problems()
    if not isinstance(id, str):
        problems.add("$.id", "must be an identifier (text)", "type")
    if isinstance(edition, bool) or not isinstance(edition, int):
        problems.add("$.edition", "must be an integer", "type")
    problems.raise_if_any()
    check_id(id, "$.id", problems)
    if problems or not 1 <= edition <= MAX_EDITION:  # type: ignore[operator]
        raise NotFoundError(f"no edition {edition} of the survey instrument {id!r}")
    return id, edition  # type: ignore[return-value]


def check_same_meaning(instrument: SurveyInstrument, others: Iterable[SurveyInstrument]) -> None:
    """Refuse an edition that changes what a question id means in another edition.

    Raises:
        ValidationError: at ``$.questions[i]``, for each question whose kind, scale,
            options or measure differ from the same id's in another edition.
    """
    meanings: dict[str, tuple[object, ...]] = {}
    for other in others:
        if other.id == instrument.id and other.edition != instrument.edition:
            for question in other.questions:
                meanings.setdefault(question.id, question.meaning())
    problems = Problems()
    for index, question in enumerate(instrument.questions):
        known = meanings.get(question.id)
        if known is not None and known != question.meaning():
            problems.add(
                join_path("$.questions", index),
                "changes the kind, scale, options or measure of a question another edition "
                "has: give it a new id",
                "inconsistent",
            )
    problems.raise_if_any()


def check_storable_response(response: SurveyResponse, instrument: SurveyInstrument | None) -> None:
    """A response a store may hold: its edition stored, its answers fit it, and a customer
    link only with consent.

    Raises:
        NotFoundError: the edition it answers is not stored.
        ValidationError: every problem, with its path.
    """
    if instrument is None:
        raise NotFoundError(
            f"no edition {response.edition} of the survey instrument {response.instrument_id!r}"
        )
    check_linked_response(instrument, response, consented=response.customer_consent_at is not None)


def check_linked_response(
    instrument: SurveyInstrument, response: SurveyResponse, *, consented: bool
) -> None:
    """`check_response`, and a customer named only with consent, in one round.

    Raises:
        ValidationError: every problem, with its path (``$.customer_id`` for a customer
            named without consent).
    """
    problems = Problems()
    if response.customer_id is not None and not consented:
        problems.add("$.customer_id", CONSENT_REQUIRED, "required")
    try:
        check_response(instrument, response)
    except ValidationError as error:
        problems.extend(error.problems)
    problems.raise_if_any()


CONSENT_REQUIRED: Final = (
    "the customer's consent to link their answers to them is required (customer_consent)"
)


def measure_pairs(
    instruments: Iterable[SurveyInstrument], measure: QuestionMeasure
) -> list[tuple[str, str]]:
    """The (instrument id, question id) pairs of every stored edition measuring ``measure``."""
    pairs: dict[tuple[str, str], None] = {}
    for instrument in instruments:
        for question in instrument.questions:
            if question.measures is measure:
                pairs[(instrument.id, question.id)] = None
    return sorted(pairs)


# ---------------------------------------------------------------- the repositories


@runtime_checkable
class InstrumentRepository(Protocol):
    """Each edition of each survey instrument, in one unit of work.

    An edition is added once and never changed: publish a change as a new edition.

    Examples:
        >>> from retail_service_quality import InMemoryStore, nps_instrument
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.surveys.instruments.add(nps_instrument())
        ...     uow.surveys.instruments.add(nps_instrument(edition=2))
        ...     uow.surveys.instruments.latest("nps").edition
        2
    """

    def add(self, instrument: SurveyInstrument) -> None:
        """Add an edition. Raises `ConflictError` if that edition of that id exists, and
        `ValidationError` if it changes what a question id means in another edition."""

    def get(self, id: str, edition: int) -> SurveyInstrument:
        """That edition of that instrument. Raises `NotFoundError`."""

    def latest(self, id: str) -> SurveyInstrument:
        """The highest edition of that instrument. Raises `NotFoundError`."""

    def query(self, *, id: str | None = None) -> Iterator[SurveyInstrument]:
        """Stream the editions of one instrument (``id``) or of every one, ordered by id,
        then edition."""


@runtime_checkable
class ResponseRepository(Protocol):
    """Survey responses, in one unit of work, ordered by the instant received, then id.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore, SurveyResponse, nps_instrument
        >>> response = SurveyResponse(id="R-1", instrument_id="nps", edition=1, store_id="S1",
        ...     channel="online", received_at=datetime(2026, 11, 30, 9, tzinfo=timezone.utc),
        ...     answers={"nps": 10})
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     uow.surveys.instruments.add(nps_instrument())
        ...     uow.surveys.responses.add(response)
        ...     uow.surveys.responses.get("R-1").answers["nps"]
        10
    """

    def add(self, response: SurveyResponse) -> None:
        """Add a new response.

        Raises `ConflictError` if the id exists, `NotFoundError` if the edition it
        answers is not stored, and `ValidationError` if its answers do not fit that
        edition (`check_response`) or it names a customer without their consent
        (``customer_consent_at``).
        """

    def add_many(self, responses: Iterable[SurveyResponse]) -> int:
        """Add many new responses, read as they stream; returns how many. All or none on
        error."""

    def get(self, id: str) -> SurveyResponse:
        """The response with that id. Raises `NotFoundError`."""

    def save(self, response: SurveyResponse) -> SurveyResponse:
        """Store a response read at ``response.version``; returns it at the next version.

        Checked as `add` checks. Raises `ConflictError` if the stored version differs
        and `NotFoundError` if there is no such response.
        """

    def query(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        instrument_id: str | None = None,
        store_id: str | None = None,
        customer_id: str | None = None,
    ) -> Iterator[SurveyResponse]:
        """Stream the responses received in ``[start, end)`` (instants; ``None``: no bound)
        that answer ``instrument_id``, at ``store_id``, from ``customer_id``, ordered by the
        instant received, then id."""

    def count(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        instrument_id: str | None = None,
        store_id: str | None = None,
        customer_id: str | None = None,
    ) -> int:
        """How many responses match (as `query`)."""

    def erase_customer(self, customer_id: str) -> int:
        """Drop the customer link, the consent time and the free-text comments of every
        response of that customer (their closed answers stay, anonymous); returns how many
        responses changed. Each is saved at its next version."""


@runtime_checkable
class SurveyRepository(Protocol):
    """Survey instruments, responses and the frequency table of their answers.

    Examples:
        >>> from retail_service_quality import InMemoryStore
        >>> with InMemoryStore().unit_of_work() as uow:
        ...     isinstance(uow.surveys, SurveyRepository)
        True
    """

    @property
    def instruments(self) -> InstrumentRepository:
        """Each edition of each instrument."""

    @property
    def responses(self) -> ResponseRepository:
        """The responses."""

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
        """How many responses received in ``[start, end)`` gave each answer to each question,
        per group: a frequency table.

        Give exactly one of ``question_ids`` (those questions, of any instrument or of
        ``instrument_id``) and ``measure`` (every question of a stored edition that feeds
        it). ``group_by`` picks keys among ``"store"``, ``"channel"``, ``"staff"``,
        ``"month"``, ``"weekday"`` and ``"hour"``; the last three are the local time of the
        instant received in the IANA ``timezone``, daylight saving included (an hour the
        clocks repeat counts the responses of both). Free-text answers are never counted.
        Rows come ordered by their keys, then instrument, question and value.
        """
        ...
