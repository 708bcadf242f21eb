"""Survey instruments as data, and the responses customers give to them.

A `SurveyInstrument` is a questionnaire: its questions (`SurveyQuestion`),
each of a kind (`QuestionKind`: a rating on a scale, a 0-10 likelihood to
recommend, yes or no, one choice among options, free text) and saying what it
measures (`QuestionMeasure`: CSAT, CES, NPS, first contact resolution, a
SERVQUAL expectation or perception item, a product requirement...). An
instrument is versioned by ``edition``: a new edition of the same id may
add, drop or reword questions, and every response names the edition it
answered. A question id keeps its meaning across editions (stores refuse an
edition that changes a question's kind, scale or measure), so answers to it
can be counted together.

Every closed answer is an integer: the rating, the 0-10 score, ``1`` for yes
and ``0`` for no, or the number (from 1) of the option chosen. Free-text
answers are kept apart, in a response's ``comments``: they are personal
data, never shown in a repr, a message or an analytics row.

The built-in instruments are factories: `servqual_instrument`,
`csat_instrument`, `nps_instrument`, `ces_instrument` and
`product_requirements_instrument`, each ending with a free-text comment.

Examples:
    >>> from datetime import datetime, timezone
    >>> instrument = csat_instrument()
    >>> [question.id for question in instrument.questions]
    ['csat', 'resolved', 'comment']
    >>> response = SurveyResponse(
    ...     id="R-1", instrument_id="csat", edition=1, store_id="HK-1", channel="meeting",
    ...     received_at=datetime(2026, 11, 30, 10, tzinfo=timezone.utc),
    ...     answers={"csat": 5, "resolved": 1}, comments={"comment": "Quick and kind."},
    ... )
    >>> check_response(instrument, response)
    >>> "Quick" in repr(response)  # free text is personal data
    False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.personal import PersonalDataClass, personal
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION, schema
from retail_service_quality._internal.times import instant_problem
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_text,
    check_version,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.metrics.surveys import SERVQUAL_DIMENSIONS
from retail_service_quality.service.interactions import Channel

__all__ = [
    "BUILT_IN_PUBLISHED_AT",
    "MAX_EDITION",
    "QuestionKind",
    "REVERSED_ITEMS",
    "QuestionMeasure",
    "SurveyInstrument",
    "SurveyQuestion",
    "SurveyResponse",
    "ces_instrument",
    "check_response",
    "csat_instrument",
    "nps_instrument",
    "product_requirements_instrument",
    "servqual_instrument",
]

MAX_EDITION: Final = 10_000
"""The highest edition number an instrument may have."""
_MAX_SCALE: Final = 100
_MAX_TEXT: Final = 2_000
_MAX_QUESTIONS: Final = 500
_MAX_OPTIONS: Final = 100
_MAX_COMMENT: Final = 10_000

BUILT_IN_PUBLISHED_AT: Final = datetime(2000, 1, 1, tzinfo=UTC)
"""When the built-in instruments' editions are published unless told: any response after it
may answer them."""


class QuestionKind(StrEnum):
    """How a question is answered.

    Examples:
        >>> QuestionKind("yes_no").answer_range(None, None, ())
        (0, 1)
    """

    RATING = "rating"
    """An integer on the question's scale, ``low`` to ``high``."""
    NPS = "nps"
    """How likely the customer is to recommend the retailer: an integer from 0 to 10."""
    YES_NO = "yes_no"
    """``1`` for yes, ``0`` for no."""
    CHOICE = "choice"
    """The number of the option chosen, from 1."""
    FREE_TEXT = "free_text"
    """The customer's own words: personal data, kept in a response's ``comments``."""

    def answer_range(
        self, low: int | None, high: int | None, options: tuple[str, ...]
    ) -> tuple[int, int] | None:
        """The integers an answer of this kind may take (``None`` for free text).

        Examples:
            >>> QuestionKind.RATING.answer_range(1, 5, ())
            (1, 5)
        """
        if self is QuestionKind.RATING:
            return None if low is None or high is None else (low, high)
        if self is QuestionKind.NPS:
            return (0, 10)
        if self is QuestionKind.YES_NO:
            return (0, 1)
        if self is QuestionKind.CHOICE:
            return (1, len(options))
        return None


class QuestionMeasure(StrEnum):
    """What a question's answers feed.

    Examples:
        >>> QuestionMeasure("product_price").value
        'product_price'
    """

    CSAT = "csat"
    """Customer satisfaction, a rating (top-box share)."""
    CES = "ces"
    """Customer effort, a rating (mean or top-box share)."""
    NPS = "nps"
    """Likelihood to recommend, a 0-10 score."""
    FCR = "fcr"
    """First contact resolution as the customer reports it, yes or no."""
    SERVQUAL_EXPECTATION = "servqual_expectation"
    """A SERVQUAL item: what the customer expects of an excellent retailer."""
    SERVQUAL_PERCEPTION = "servqual_perception"
    """A SERVQUAL item: what the customer perceives of this retailer."""
    PRODUCT_RANGE = "product_range"
    """Product requirement: is the range complete?"""
    PRODUCT_QUALITY = "product_quality"
    """Product requirement: is the quality good among similar products?"""
    PRODUCT_TIMELINESS = "product_timeliness"
    """Product requirement: do seasonal goods arrive in time?"""
    PRODUCT_PRICE = "product_price"
    """Product requirement: is the price competitive?"""
    OTHER = "other"
    """Anything else, free-text comments included."""


_SERVQUAL_MEASURES: Final = frozenset(
    {QuestionMeasure.SERVQUAL_EXPECTATION, QuestionMeasure.SERVQUAL_PERCEPTION}
)
# The kind each measure is read from (other measures: any kind).
_MEASURE_KINDS: Final = {
    QuestionMeasure.CSAT: QuestionKind.RATING,
    QuestionMeasure.CES: QuestionKind.RATING,
    QuestionMeasure.NPS: QuestionKind.NPS,
    QuestionMeasure.FCR: QuestionKind.YES_NO,
    QuestionMeasure.SERVQUAL_EXPECTATION: QuestionKind.RATING,
    QuestionMeasure.SERVQUAL_PERCEPTION: QuestionKind.RATING,
    QuestionMeasure.PRODUCT_RANGE: QuestionKind.RATING,
    QuestionMeasure.PRODUCT_QUALITY: QuestionKind.RATING,
    QuestionMeasure.PRODUCT_TIMELINESS: QuestionKind.RATING,
    QuestionMeasure.PRODUCT_PRICE: QuestionKind.RATING,
}
_DIMENSION_OF: Final = {item: name for name, items in SERVQUAL_DIMENSIONS.items() for item in items}


def _kind(value: QuestionKind | str) -> QuestionKind:
    return lenient_enum(QuestionKind, value)


def _measure(value: QuestionMeasure | str) -> QuestionMeasure:
    return lenient_enum(QuestionMeasure, value)


def _tuple(value: Iterable[Any]) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_sentence(value: object, path: str, problems: Problems, limit: int) -> None:
    check_text(value, path, problems)
    if isinstance(value, str) and not 0 < len(value.strip()) <= limit:
        problems.add(path, f"must be text of 1 to {limit} characters", "range")


@attrs.frozen(kw_only=True)
class SurveyQuestion:
    """One question of an instrument: its wording, how it is answered and what it measures.

    Attributes:
        id: the question's identifier, unique in its instrument and kept across editions.
        text: its wording, as the customer reads it.
        kind: how it is answered (`QuestionKind`).
        measures: what its answers feed (`QuestionMeasure`); a measure is read from one
            kind of answer (CSAT from a rating, NPS from a 0-10 score, FCR from yes or no).
        low: the lowest rating, for a rating (0 or more).
        high: the highest rating, for a rating (more than ``low``, at most 100).
        options: the options of a choice, in order: the answer is the number of the one
            chosen, from 1.
        item: the SERVQUAL item number (1 to 22), for a SERVQUAL expectation or perception.
        reverse_scored: whether a higher rating means worse (a negatively worded item):
            a rating question only; scored ``low + high - x``.

    Examples:
        >>> question = SurveyQuestion(id="p5", text="This retailer keeps its promises.",
        ...     kind="rating", measures="servqual_perception", low=1, high=7, item=5)
        >>> question.dimension, question.scale
        ('reliability', (1, 7))
        >>> SurveyQuestion(id="q", text="How was it?", kind="rating", low=5, high=1)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.high: must be more than low

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    text: str = attrs.field(default=REQUIRED)
    kind: QuestionKind = attrs.field(default=REQUIRED, converter=_kind)
    measures: QuestionMeasure = attrs.field(default=QuestionMeasure.OTHER, converter=_measure)
    low: int | None = attrs.field(default=None, metadata=schema(minimum=0, maximum=_MAX_SCALE))
    high: int | None = attrs.field(default=None, metadata=schema(minimum=1, maximum=_MAX_SCALE))
    options: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    item: int | None = attrs.field(default=None, metadata=schema(minimum=1, maximum=22))
    reverse_scored: bool = False

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        _check_sentence(self.text, "$.text", problems, _MAX_TEXT)
        check_enum(self.kind, QuestionKind, "$.kind", problems)
        check_enum(self.measures, QuestionMeasure, "$.measures", problems)
        self._check_scale(problems)  # with an unknown kind, only what holds for any kind
        self._check_options(problems)
        if isinstance(self.kind, QuestionKind) and isinstance(self.measures, QuestionMeasure):
            wanted = _MEASURE_KINDS.get(self.measures)
            if wanted is not None and wanted is not self.kind:
                problems.add(
                    "$.measures",
                    f"{self.measures.value} is measured by a {wanted.value} question",
                    "inconsistent",
                )
        self._check_item(problems)
        if not isinstance(self.reverse_scored, bool):
            problems.add("$.reverse_scored", "must be true or false", "type")
        elif self.reverse_scored and self.kind is not QuestionKind.RATING:
            problems.add(
                "$.reverse_scored", "only a rating question can be reverse-scored", "inconsistent"
            )
        raise_problems(self, problems)

    def _check_scale(self, problems: Problems) -> None:
        known = isinstance(self.kind, QuestionKind)
        rating = self.kind is QuestionKind.RATING
        for name, least in (("low", 0), ("high", 1)):
            value = getattr(self, name)
            path = join_path("$", name)
            if value is None:
                if rating:
                    problems.add(path, "is required for a rating question", "required")
            elif known and not rating:
                problems.add(path, "only a rating question has a scale", "inconsistent")
            elif not _is_int(value) or not least <= value <= _MAX_SCALE:
                problems.add(
                    path,
                    f"must be an integer from {least} to {_MAX_SCALE}",
                    "range" if _is_int(value) else "type",
                )
        if (
            (rating or not known)
            and _is_int(self.low)
            and _is_int(self.high)
            and self.high <= self.low  # type: ignore[operator]
        ):
            problems.add("$.high", "must be more than low", "inconsistent")

    def _check_options(self, problems: Problems) -> None:
        if not isinstance(self.options, tuple):
            problems.add("$.options", "must be a list of option labels", "type")
            return
        if isinstance(self.kind, QuestionKind) and self.kind is not QuestionKind.CHOICE:
            if self.options:
                problems.add("$.options", "only a choice question has options", "inconsistent")
            return
        if self.kind is QuestionKind.CHOICE and not 2 <= len(self.options) <= _MAX_OPTIONS:
            problems.add("$.options", f"must list 2 to {_MAX_OPTIONS} options", "range")
        seen: set[str] = set()
        for index, label in enumerate(self.options):
            path = join_path("$.options", index)
            _check_sentence(label, path, problems, _MAX_TEXT)
            if isinstance(label, str):
                if label in seen:
                    problems.add(path, "repeats an option", "duplicate")
                seen.add(label)

    def _check_item(self, problems: Problems) -> None:
        servqual = self.measures in _SERVQUAL_MEASURES
        if self.item is None:
            if servqual:
                problems.add("$.item", "is required for a SERVQUAL question", "required")
        elif not servqual:
            problems.add("$.item", "only a SERVQUAL question has an item number", "inconsistent")
        elif not _is_int(self.item) or not 1 <= self.item <= 22:
            problems.add(
                "$.item",
                "must be an integer from 1 to 22",
                "range" if _is_int(self.item) else "type",
            )

    @property
    def scale(self) -> tuple[int, int] | None:
        """The lowest and highest integer answer, or ``None`` for free text.

        Examples:
            >>> SurveyQuestion(id="nps", text="Would you recommend us?", kind="nps").scale
            (0, 10)
        """
        return self.kind.answer_range(self.low, self.high, self.options)

    @property
    def dimension(self) -> str | None:
        """The SERVQUAL dimension of its item (`SERVQUAL_DIMENSIONS`), or ``None``.

        Examples:
            >>> SurveyQuestion(id="e18", text="Excellent retailers give individual attention.",
            ...     kind="rating", measures="servqual_expectation", low=1, high=7, item=18
            ... ).dimension
            'empathy'
        """
        return None if self.item is None else _DIMENSION_OF.get(self.item)

    def meaning(self) -> tuple[str, str, str, int | None, int | None, tuple[str, ...]]:
        """What must stay the same for this question id across editions: kind, measure, scale.

        Examples:
            >>> SurveyQuestion(id="nps", text="Would you recommend us?", kind="nps").meaning()
            ('nps', 'other', 'nps', None, None, ())
        """
        return (self.id, self.measures.value, self.kind.value, self.low, self.high, self.options)


def _questions(value: Iterable[SurveyQuestion]) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class SurveyInstrument(Tabular):
    """A questionnaire, in one edition: its questions and when it was published.

    Editions of one id are numbered 1, 2, 3...; a new edition may add, drop or
    reword questions, and every response names the edition it answered. Its
    record has one row: id, edition, title, the publication instant and how
    many questions it has.

    Attributes:
        id: the instrument's identifier, shared by its editions.
        edition: its edition number, from 1.
        title: its title.
        questions: its questions, in the order they are asked (ids unique; a SERVQUAL
            item at most once per side).
        published_at: when this edition was published (timezone-aware); a response
            received before it cannot answer it.

    Examples:
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> instrument = nps_instrument()
        >>> from_json(to_json(instrument), SurveyInstrument) == instrument
        True
        >>> instrument.question("nps").kind
        <QuestionKind.NPS: 'nps'>

    Raises:
        ValidationError: every problem, with its path (``$.questions[3].id`` for a
            repeated id).
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    edition: int = attrs.field(default=1, metadata=schema(minimum=1, maximum=MAX_EDITION))
    title: str = attrs.field(default=REQUIRED)
    questions: tuple[SurveyQuestion, ...] = attrs.field(
        default=REQUIRED, converter=_questions, metadata={"records": False}
    )
    published_at: datetime = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        edition = self.edition
        if not _is_int(edition) or not 1 <= edition <= MAX_EDITION:
            problems.add(
                "$.edition",
                f"must be an integer from 1 to {MAX_EDITION}",
                "range" if _is_int(edition) else "type",
            )
        _check_sentence(self.title, "$.title", problems, _MAX_TEXT)
        check_aware(self.published_at, "$.published_at", problems)
        if self.questions is not REQUIRED:
            self._check_questions(problems)
        raise_problems(self, problems)

    def _check_questions(self, problems: Problems) -> None:
        if not isinstance(self.questions, tuple):
            problems.add("$.questions", "must be a list of SurveyQuestion", "type")
            return
        if not 1 <= len(self.questions) <= _MAX_QUESTIONS:
            problems.add("$.questions", f"must hold 1 to {_MAX_QUESTIONS} questions", "range")
        ids: set[str] = set()
        items: set[tuple[QuestionMeasure, int]] = set()
        for index, question in enumerate(self.questions):
            path = join_path("$.questions", index)
            if not isinstance(question, SurveyQuestion):
                problems.add(path, "must be a SurveyQuestion", "type")
                continue
            if question.id in ids:
                problems.add(join_path(path, "id"), "repeats a question id", "duplicate")
            ids.add(question.id)
            if question.item is not None:
                key = (question.measures, question.item)
                if key in items:
                    problems.add(
                        join_path(path, "item"), "repeats a SERVQUAL item on one side", "duplicate"
                    )
                items.add(key)

    @property
    def question_count(self) -> int:
        """How many questions it has.

        Examples:
            >>> servqual_instrument().question_count
            45
        """
        return len(self.questions)

    def question(self, id: str) -> SurveyQuestion:
        """The question with that id.

        Examples:
            >>> ces_instrument().question("ces").scale
            (1, 7)

        Raises:
            ValidationError: no question of this edition has that id (at ``$.id``).
        """
        for question in self.questions:
            if question.id == id:
                return question
        raise ValidationError.single("$.id", "is not a question of this instrument", "not_found")

    def questions_measuring(self, measure: QuestionMeasure | str) -> tuple[SurveyQuestion, ...]:
        """Its questions that feed ``measure``, in order.

        Examples:
            >>> [q.id for q in product_requirements_instrument().questions_measuring(
            ...     "product_price")]
            ['price']

        Raises:
            ValidationError: ``measure`` is not a `QuestionMeasure`.
        """
        chosen = lenient_enum(QuestionMeasure, measure) if isinstance(measure, str) else measure
        problems = Problems()
        check_enum(chosen, QuestionMeasure, "$.measure", problems)
        problems.raise_if_any()
        return tuple(question for question in self.questions if question.measures is chosen)


# ---------------------------------------------------------------- responses


def _answers(value: Mapping[str, int]) -> Any:
    items = getattr(value, "items", None)
    if isinstance(value, str | bytes) or not callable(items):
        return value
    try:
        pairs = list(items())
    except (TypeError, ValueError):
        return value
    # True and False stand for the yes/no answers 1 and 0.
    return FrozenMap({key: int(item) if isinstance(item, bool) else item for key, item in pairs})


def _comments(value: Mapping[str, str]) -> Any:
    items = getattr(value, "items", None)
    if isinstance(value, str | bytes) or not callable(items):
        return value
    try:
        return FrozenMap(items())
    except (TypeError, ValueError):
        return value


def _masked_comments(value: Any) -> str:
    if isinstance(value, Mapping):
        return repr({key: "***" for key in value if isinstance(key, str)})
    return "'***'"


def _channel(value: Channel | str) -> Channel:
    return lenient_enum(Channel, value)


_ANSWERS: Final = schema(
    propertyNames={"minLength": 1, "maxLength": 200}, additionalProperties={"minimum": 0}
)


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """One customer's answers to one edition of an instrument.

    It is linked to the interaction or the complaint it came from, where it
    came from one, and to the customer only with their consent: a store
    refuses a ``customer_id`` without ``customer_consent_at``
    (`record_survey_response` sets it when the customer agreed). Closed
    answers are integers (`QuestionKind`); free-text answers are in
    ``comments``, personal data: masked in its repr, left out of analytics
    rows, dropped when the customer is erased.

    Attributes:
        id: the response's identifier.
        instrument_id: the instrument answered.
        edition: the edition of it answered.
        received_at: when the answers were received (timezone-aware).
        store_id: the store the service was given at.
        channel: the channel the service was given through (`Channel`).
        staff_id: the member of staff who served, if known.
        interaction_id: the interaction the survey followed, if any.
        complaint_id: the complaint the survey followed, if any.
        customer_id: the customer, only with their consent to link their answers.
        customer_consent_at: when the customer agreed to link their answers to them.
        answers: question id to the integer answer of each closed question answered.
        comments: question id to the customer's own words, for free-text questions
            (personal data).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> response = SurveyResponse(
        ...     id="R-2", instrument_id="nps", edition=1, store_id="HK-1", channel="hotline",
        ...     received_at=datetime(2026, 11, 30, 10, tzinfo=timezone.utc), answers={"nps": 9},
        ...     comments={"comment": "Chan Tai Man was great"})
        >>> "Tai Man" in repr(response)
        False

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    instrument_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    edition: int = attrs.field(default=REQUIRED, metadata=schema(minimum=1, maximum=MAX_EDITION))
    received_at: datetime = attrs.field(default=REQUIRED)
    store_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    channel: Channel = attrs.field(default=REQUIRED, converter=_channel)
    staff_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    interaction_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    complaint_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    customer_id: str | None = attrs.field(default=None, metadata=IDENTIFIER)
    customer_consent_at: datetime | None = None
    answers: Mapping[str, int] = attrs.field(
        factory=FrozenMap, converter=_answers, metadata=_ANSWERS
    )
    comments: Mapping[str, str] = attrs.field(
        factory=FrozenMap,
        converter=_comments,
        repr=_masked_comments,
        metadata={
            **personal(PersonalDataClass.FREE_TEXT),
            **schema(propertyNames={"minLength": 1, "maxLength": 200}),
        },
    )
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.instrument_id, "$.instrument_id", problems)
        if not _is_int(self.edition) or not 1 <= self.edition <= MAX_EDITION:
            problems.add(
                "$.edition",
                f"must be an integer from 1 to {MAX_EDITION}",
                "range" if _is_int(self.edition) else "type",
            )
        check_aware(self.received_at, "$.received_at", problems)
        check_id(self.store_id, "$.store_id", problems)
        check_enum(self.channel, Channel, "$.channel", problems)
        for name in ("staff_id", "interaction_id", "complaint_id", "customer_id"):
            check_id(getattr(self, name), join_path("$", name), problems, optional=True)
        if self.customer_consent_at is not None:
            check_aware(self.customer_consent_at, "$.customer_consent_at", problems)
        self._check_answers(problems)
        self._check_comments(problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    def _check_answers(self, problems: Problems) -> None:
        if not isinstance(self.answers, Mapping):
            problems.add("$.answers", "must map question ids to integer answers", "type")
            return
        for key, value in self.answers.items():
            if not isinstance(key, str):
                problems.add("$.answers", "must have question ids (text) as keys", "type")
                continue
            path = join_path("$.answers", key)
            check_id(key, path, problems)
            if not _is_int(value) or not 0 <= value <= _MAX_SCALE:
                problems.add(
                    path,
                    f"must be an integer answer from 0 to {_MAX_SCALE}",
                    "range" if _is_int(value) else "type",
                )

    def _check_comments(self, problems: Problems) -> None:
        if not isinstance(self.comments, Mapping):
            problems.add("$.comments", "must map question ids to text", "type")
            return
        for key, value in self.comments.items():
            if not isinstance(key, str):
                problems.add("$.comments", "must have question ids (text) as keys", "type")
                continue
            path = join_path("$.comments", key)
            check_id(key, path, problems)
            check_text(value, path, problems)
            if isinstance(value, str) and len(value) > _MAX_COMMENT:
                problems.add(path, f"must be at most {_MAX_COMMENT} characters", "range")
            if isinstance(self.answers, Mapping) and key in self.answers:
                problems.add(path, "is answered in answers too", "inconsistent")

    def evolve(self, **changes: Any) -> SurveyResponse:
        """A copy with some fields changed, validated again.

        Examples:
            >>> from datetime import datetime, timezone
            >>> response = SurveyResponse(id="R-3", instrument_id="csat", edition=1,
            ...     store_id="HK-1", channel="meeting", answers={"csat": 4},
            ...     received_at=datetime(2026, 11, 30, 10, tzinfo=timezone.utc))
            >>> response.evolve(answers={"csat": 5}).answers["csat"]
            5

        Raises:
            ValidationError: every problem of the changed response, with its path (a name
                that is not a field at ``$.<name>``).
        """
        known = {field.name for field in attrs.fields(SurveyResponse)}
        problems = Problems()
        for name in changes:
            if name not in known:
                problems.add(
                    join_path("$", name), "is not a field of a survey response", "unknown_field"
                )
        problems.raise_if_any()
        return attrs.evolve(self, **changes)

    def without_customer(self) -> SurveyResponse:
        """The response with its customer link and free-text answers dropped (erasure).

        Examples:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
            >>> response = SurveyResponse(id="R-4", instrument_id="csat", edition=1,
            ...     store_id="HK-1", channel="meeting", answers={"csat": 4}, received_at=at,
            ...     customer_id="C-1", customer_consent_at=at, comments={"comment": "Fine."})
            >>> erased = response.without_customer()
            >>> erased.customer_id, dict(erased.comments), dict(erased.answers)
            (None, {}, {'csat': 4})
        """
        return attrs.evolve(self, customer_id=None, customer_consent_at=None, comments=FrozenMap())


def check_response(instrument: SurveyInstrument, response: SurveyResponse) -> None:
    """Check a response against the edition of the instrument it answers, in one round.

    Each problem has its path: ``$.answers.<question id>`` for an unknown
    question, an answer out of its question's scale, or a free-text question
    answered there; ``$.comments.<question id>`` for a comment on a question
    that is not free text; ``$.instrument_id`` and ``$.edition`` when the
    response answers another instrument or edition; ``$.received_at`` for a
    response received before the edition was published. Messages never
    repeat an answer.

    Examples:
        >>> from datetime import datetime, timezone
        >>> response = SurveyResponse(id="R-5", instrument_id="csat", edition=1,
        ...     store_id="HK-1", channel="meeting", answers={"csat": 9, "mood": 3},
        ...     received_at=datetime(2026, 11, 30, 10, tzinfo=timezone.utc))
        >>> check_response(csat_instrument(), response)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: 2 problems:
          $.answers.csat: must be from 1 to 5
          $.answers.mood: is not a question of this instrument edition

    Raises:
        ValidationError: every problem, with its path.
    """
    problems = Problems()
    if not isinstance(instrument, SurveyInstrument):
        problems.add("$.instrument", "must be a SurveyInstrument", "type")
    if not isinstance(response, SurveyResponse):
        problems.add("$.response", "must be a SurveyResponse", "type")
    problems.raise_if_any()
    if response.instrument_id != instrument.id:
        problems.add("$.instrument_id", "must be the instrument's id", "inconsistent")
    elif response.edition != instrument.edition:
        problems.add("$.edition", "must be the instrument's edition", "inconsistent")
    # Instants, not wall clocks: two times in one zone compare by wall time, folds ignored.
    if instant_problem(response.received_at) is None and response.received_at.astimezone(
        UTC
    ) < instrument.published_at.astimezone(UTC):
        problems.add(
            "$.received_at", "must not be before the edition was published", "inconsistent"
        )
    questions = {question.id: question for question in instrument.questions}
    for key, value in response.answers.items():
        question = questions.get(key)
        scale = None if question is None else question.scale
        if scale is not None and scale[0] <= value <= scale[1]:
            continue  # the common case: no path to build
        path = join_path("$.answers", key)
        if question is None:
            problems.add(path, "is not a question of this instrument edition", "unknown_choice")
        elif scale is None:
            problems.add(
                path, "is a free-text question: its answer goes in comments", "inconsistent"
            )
        else:
            problems.add(path, f"must be from {scale[0]} to {scale[1]}", "range")
    for key in response.comments:
        question = questions.get(key)
        if question is not None and question.kind is QuestionKind.FREE_TEXT:
            continue
        path = join_path("$.comments", key)
        if question is None:
            problems.add(path, "is not a question of this instrument edition", "unknown_choice")
        else:
            problems.add(
                path, "is not a free-text question: its answer goes in answers", "inconsistent"
            )
    problems.raise_if_any()


# ---------------------------------------------------------------- built-in instruments

_COMMENT: Final = "Is there anything else you would like to tell us?"

# SERVQUAL's 22 items, reworded: what an excellent retailer does (positive wording), and the
# negative wording of the 1988 instrument's items 10-13 and 18-22.
_SERVQUAL_ITEMS: Final = (
    "has modern-looking equipment and fittings",
    "has shops and facilities that are pleasant to look at",
    "has staff who look neat and tidy",
    "has bags, leaflets and receipts that look appealing",
    "does what it promised by the time it promised",
    "shows a sincere interest in solving a customer's problem",
    "gets the service right the first time",
    "gives its services at the time it said it would",
    "keeps its records free of mistakes",
    "has staff who tell customers exactly when things will be done",
    "has staff who serve customers promptly",
    "has staff who are always willing to help",
    "has staff who are never too busy to answer a request",
    "has staff whose behaviour gives customers confidence",
    "makes customers feel safe when they buy",
    "has staff who are courteous every time",
    "has staff who know enough to answer customers' questions",
    "gives each customer individual attention",
    "opens at hours that suit all its customers",
    "has staff who give customers personal attention",
    "has its customers' best interests at heart",
    "has staff who understand what each customer needs",
)
_NEGATIVE_ITEMS: Final = {
    10: "has staff who do not tell customers exactly when things will be done",
    11: "cannot be expected to serve customers promptly",
    12: "has staff who are not always willing to help",
    13: "has staff who are too busy to answer requests at once",
    18: "does not give each customer individual attention",
    19: "opens at hours that do not suit all its customers",
    20: "has staff who do not give customers personal attention",
    21: "does not have its customers' best interests at heart",
    22: "has staff who do not understand what each customer needs",
}
REVERSED_ITEMS: Final = tuple(sorted(_NEGATIVE_ITEMS))
"""The items the 1988 SERVQUAL words negatively: 10-13 and 18-22."""


def _published(published_at: datetime | None) -> datetime:
    return BUILT_IN_PUBLISHED_AT if published_at is None else published_at


def _comment() -> SurveyQuestion:
    return SurveyQuestion(id="comment", text=_COMMENT, kind=QuestionKind.FREE_TEXT)


def _rating(id: str, text: str, measure: QuestionMeasure, high: int) -> SurveyQuestion:
    return SurveyQuestion(
        id=id, text=text, kind=QuestionKind.RATING, measures=measure, low=1, high=high
    )


def _built_in(
    id: str,
    edition: int,
    published_at: datetime | None,
    title: str,
    *questions: SurveyQuestion,
) -> SurveyInstrument:
    """A built-in instrument: its questions, then the free-text comment."""
    return SurveyInstrument(
        id=id,
        edition=edition,
        title=title,
        questions=(*questions, _comment()),
        published_at=_published(published_at),
    )


def servqual_instrument(
    *,
    id: str = "servqual",
    edition: int = 1,
    published_at: datetime | None = None,
    scale: int = 7,
    negatively_worded: bool = False,
) -> SurveyInstrument:
    """SERVQUAL's 22 items, asked as expectations (``e1``...``e22``) then perceptions
    (``p1``...``p22``), each a rating from 1 to ``scale``, and a free-text ``comment``.

    The wording paraphrases the 1988 instrument (Parasuraman, Zeithaml & Berry),
    in positive form; with ``negatively_worded``, items 10-13 and 18-22 are
    worded negatively as in 1988 and flagged ``reverse_scored``
    (`REVERSED_ITEMS`: score them with ``reverse_items`` in `servqual`).

    Examples:
        >>> instrument = servqual_instrument(negatively_worded=True)
        >>> instrument.question("p11").text
        'This retailer cannot be expected to serve customers promptly.'
        >>> [q.item for q in instrument.questions if q.reverse_scored][:5]
        [10, 11, 12, 13, 18]

    Raises:
        ValidationError: every problem, with its path (a scale below 2 or above 100...).
    """
    problems = Problems()
    if not _is_int(scale) or not 2 <= scale <= _MAX_SCALE:
        problems.add("$.scale", f"must be an integer from 2 to {_MAX_SCALE}", "range")
    if not isinstance(negatively_worded, bool):
        problems.add("$.negatively_worded", "must be true or false", "type")
    problems.raise_if_any()
    questions: list[SurveyQuestion] = []
    for measure, prefix, subject in (
        (QuestionMeasure.SERVQUAL_EXPECTATION, "e", "An excellent retailer"),
        (QuestionMeasure.SERVQUAL_PERCEPTION, "p", "This retailer"),
    ):
        for item, wording in enumerate(_SERVQUAL_ITEMS, start=1):
            reverse = negatively_worded and item in _NEGATIVE_ITEMS
            phrase = _NEGATIVE_ITEMS[item] if reverse else wording
            questions.append(
                SurveyQuestion(
                    id=f"{prefix}{item}",
                    text=f"{subject} {phrase}.",
                    kind=QuestionKind.RATING,
                    measures=measure,
                    low=1,
                    high=scale,
                    item=item,
                    reverse_scored=reverse,
                )
            )
    return _built_in(
        id, edition, published_at, "Service quality: what you expect and what you found", *questions
    )


def csat_instrument(
    *, id: str = "csat", edition: int = 1, published_at: datetime | None = None, scale: int = 5
) -> SurveyInstrument:
    """Customer satisfaction: ``csat`` (a rating from 1 to ``scale``), ``resolved`` (was the
    request resolved at the first contact, yes or no: FCR) and a free-text ``comment``.

    Examples:
        >>> [q.measures.value for q in csat_instrument().questions]
        ['csat', 'fcr', 'other']

    Raises:
        ValidationError: every problem, with its path.
    """
    return _built_in(
        id,
        edition,
        published_at,
        "How satisfied were you?",
        _rating(
            "csat",
            "Overall, how satisfied were you with the service you received?",
            QuestionMeasure.CSAT,
            scale,
        ),
        SurveyQuestion(
            id="resolved",
            text="Was your request resolved the first time you contacted us?",
            kind=QuestionKind.YES_NO,
            measures=QuestionMeasure.FCR,
        ),
    )


def nps_instrument(
    *, id: str = "nps", edition: int = 1, published_at: datetime | None = None
) -> SurveyInstrument:
    """Net Promoter Score: ``nps`` (0 to 10) and a free-text ``comment``.

    Examples:
        >>> nps_instrument().question("nps").scale
        (0, 10)

    Raises:
        ValidationError: every problem, with its path.
    """
    return _built_in(
        id,
        edition,
        published_at,
        "Would you recommend us?",
        SurveyQuestion(
            id="nps",
            text="How likely are you to recommend us to a friend or colleague?",
            kind=QuestionKind.NPS,
            measures=QuestionMeasure.NPS,
        ),
    )


def ces_instrument(
    *, id: str = "ces", edition: int = 1, published_at: datetime | None = None, scale: int = 7
) -> SurveyInstrument:
    """Customer effort: ``ces`` ("we made it easy", 1 = strongly disagree to ``scale`` =
    strongly agree) and a free-text ``comment``.

    Examples:
        >>> ces_instrument(scale=5).question("ces").scale
        (1, 5)

    Raises:
        ValidationError: every problem, with its path.
    """
    return _built_in(
        id,
        edition,
        published_at,
        "How easy was it?",
        _rating(
            "ces",
            "The retailer made it easy for me to handle my request.",
            QuestionMeasure.CES,
            scale,
        ),
    )


def product_requirements_instrument(
    *, id: str = "product-requirements", edition: int = 1, published_at: datetime | None = None
) -> SurveyInstrument:
    """The product requirements of unit 105083L5, each a rating from 1 to 5: ``range`` (is the
    range complete?), ``quality`` (good among similar products?), ``timeliness`` (seasonal
    goods in time?), ``price`` (competitive?), and a free-text ``comment``.

    Examples:
        >>> [q.measures.value for q in product_requirements_instrument().questions][:4]
        ['product_range', 'product_quality', 'product_timeliness', 'product_price']

    Raises:
        ValidationError: every problem, with its path.
    """
    wording = (
        ("range", QuestionMeasure.PRODUCT_RANGE, "We stock the full range of goods you look for."),
        (
            "quality",
            QuestionMeasure.PRODUCT_QUALITY,
            "Our goods are of good quality compared with similar products.",
        ),
        (
            "timeliness",
            QuestionMeasure.PRODUCT_TIMELINESS,
            "Seasonal goods are on our shelves in good time.",
        ),
        ("price", QuestionMeasure.PRODUCT_PRICE, "Our prices are competitive."),
    )
    questions = [_rating(key, text, measure, 5) for key, measure, text in wording]
    return _built_in(
        id, edition, published_at, "Our products: range, quality, timeliness and price", *questions
    )
