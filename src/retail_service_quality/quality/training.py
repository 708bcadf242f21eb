"""Training: competencies per role, staff levels, the training-needs analysis, programmes.

The competency standards ask a retailer to train its customer service staff
in what the work needs: communication skills, product knowledge, dealing with
difficult customers and complaints, the privacy law, customer psychology,
selling skills and the organisation's service standards and procedures
(units 111329L2, 111331L3), to organise "staff training needs" (105083L5) and
to "formulate training programmes ... so that employees of different levels
can have the opportunity to receive training" (111340L5).

The records:

- `Competency`: a skill with its levels, each described (`builtin_competencies`
  gives the standards' own);
- `RoleRequirement`: the level a role needs in a competency, in every business
  unit or in one;
- `StaffCompetence`: a staff member's assessed level in a competency (staff are
  referred to by id only: their names are personal data and stay elsewhere);
- `TrainingProgramme`, `TrainingSession`, `Attendance`: what is taught, when and
  where, and who came, completed it and passed its assessment.

And what is computed from them:

- `training_needs`: per staff member and competency, the gap between the
  required and the current level, and a priority that weighs the gap by how
  far the staff member's unit misses its performance criteria
  (`evaluate_criteria`); `training_needs_by_unit` rolls it up;
- `levels_after_training`: the new competence records an assessment passed
  gives (never lower than before);
- `training_completion`: per programme and unit, how many enrolled, attended,
  completed and passed, with Wilson intervals;
- `trained_staff`: the staff a programme trained, for a review cycle to
  compare their indicators with the rest.

Examples:
    >>> from datetime import datetime, timezone
    >>> assessed = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    >>> needs = training_needs(
    ...     [RoleRequirement(id="r1", role="cashier", competency_id="handling_complaints",
    ...         level=3)],
    ...     [StaffCompetence(id="a1", staff_id="E-7", role="cashier", store_id="S1",
    ...         competency_id="handling_complaints", level=1, assessed_at=assessed,
    ...         assessed_by="store_manager")])
    >>> [(n.staff_id, n.required, n.current, n.gap, n.priority) for n in needs]
    [('E-7', 3, 1, 2, 2.0)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import check_number, is_integer
from retail_service_quality._internal.collections import FrozenMap
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION, schema
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_duration,
    check_id,
    check_id_list,
    check_text,
    check_version,
    raise_problems,
)
from retail_service_quality.errors import Problems, join_path
from retail_service_quality.metrics.statistics import Interval, wilson_interval
from retail_service_quality.quality.criteria import CriterionResult, CriterionStatus
from retail_service_quality.quality.documents import DocumentRef
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.storage._target import check_target, is_target, unit_of

__all__ = [
    "Attendance",
    "Competency",
    "CompletionRow",
    "RoleRequirement",
    "StaffCompetence",
    "TrainingNeed",
    "TrainingProgramme",
    "TrainingSession",
    "UnitTrainingNeed",
    "builtin_competencies",
    "levels_after_training",
    "stored_training_completion",
    "stored_training_needs",
    "trained_staff",
    "training_completion",
    "training_needs",
    "training_needs_by_unit",
]

MAX_LEVEL: Final = 10
"""The highest competence level a competency may describe."""

DEFAULT_WEIGHTS: Final[Mapping[str, float]] = FrozenMap({"green": 0.0, "amber": 0.5, "red": 1.0})
"""How much each colour of a criterion result weighs in a unit's miss (`training_needs`)."""

_MAX_TEXT: Final = 2000
_MAX_NAME: Final = 200
_LEVEL: Final = schema(minimum=1, maximum=MAX_LEVEL)
_CURRENT: Final = schema(minimum=0, maximum=MAX_LEVEL)
_SCORE: Final = schema(minimum=0, maximum=100)


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _frozen(value: Any) -> Any:
    return FrozenMap(value) if isinstance(value, Mapping) else value


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _check_level(value: object, path: str, problems: Problems, *, low: int = 1) -> None:
    if not is_integer(value) or not low <= value <= MAX_LEVEL:
        problems.add(
            path,
            f"must be a level from {low} to {MAX_LEVEL}",
            "range" if is_integer(value) else "type",
        )


def _check_words(
    value: object, path: str, problems: Problems, *, limit: int, optional: bool = False
) -> None:
    """Text of 1 to ``limit`` characters that is not only spaces."""
    if value is None and optional:
        return
    before = len(problems)
    check_text(value, path, problems)
    if len(problems) == before and isinstance(value, str) and not 0 < len(value.strip()) <= limit:
        problems.add(path, f"must be text of 1 to {limit} characters", "range")


# ---------------------------------------------------------------- competencies


@attrs.frozen(kw_only=True)
class Competency:
    """A skill the work needs, with its levels from 1 up, each described.

    Attributes:
        id: the competency's identifier.
        name: its name.
        levels: what a staff member at each level can do: the first describes level 1.
        description: what the competency covers.
        units: the units of competency it comes from (``"111329L2"``).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> listening = Competency(id="listening", name="Listening",
        ...     levels=["listens without interrupting", "restates the customer's concern"])
        >>> listening.top_level
        2

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    name: str = attrs.field(default=REQUIRED)
    levels: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    description: str = ""
    units: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        _check_words(self.name, "$.name", problems, limit=_MAX_NAME)
        if not isinstance(self.levels, tuple):
            problems.add("$.levels", "must be a list of level descriptions", "type")
        elif not 1 <= len(self.levels) <= MAX_LEVEL:
            problems.add("$.levels", f"must describe 1 to {MAX_LEVEL} levels", "range")
        else:
            for index, text in enumerate(self.levels):
                _check_words(text, join_path("$.levels", index), problems, limit=_MAX_TEXT)
        check_text(self.description, "$.description", problems)
        if isinstance(self.description, str) and len(self.description) > _MAX_TEXT:
            problems.add("$.description", f"must be at most {_MAX_TEXT} characters", "range")
        check_id_list(self.units, "$.units", problems, required=False)
        check_version(self.version, problems)
        raise_problems(self, problems)

    @property
    def top_level(self) -> int:
        """The highest level the competency describes.

        Examples:
            >>> Competency(id="c", name="C", levels=["one"]).top_level
            1
        """
        return len(self.levels)


def _builtin(id: str, name: str, units: tuple[str, ...], description: str, *levels: str) -> Any:
    return Competency(id=id, name=name, levels=levels, description=description, units=units)


def builtin_competencies() -> tuple[Competency, ...]:
    """The competencies the retail customer service standards name, with four levels each.

    From the units of competency: 111329L2 (build up relationship with
    customers: communication skills, customer psychology, dealing with
    difficult customers, basic selling skills, the legal requirements of a
    customer database), 111331L3 (implement a quality customer service
    scheme: product knowledge, communication skills, customer psychology,
    the service code, handling feedback and complaints, respecting personal
    privacy), 105083L5 (establish performance criteria: staff training needs
    in product management, the established criteria understood by staff of
    every department) and 111340L5 (quality guarantee: training programmes on
    service standards and pledges for employees of every level). The privacy
    law is Hong Kong's Personal Data (Privacy) Ordinance (PDPO).

    Levels run 1 (aware: knows what it is) to 4 (leads: coaches others and
    improves the procedure); a role's requirement names the level it needs.

    Examples:
        >>> [c.id for c in builtin_competencies()]  # doctest: +NORMALIZE_WHITESPACE
        ['communication_skills', 'product_knowledge', 'handling_complaints', 'privacy_law',
         'customer_psychology', 'selling_skills', 'service_standards']
    """
    return (
        _builtin(
            "communication_skills",
            "Communication skills",
            ("111329L2", "111331L3"),
            "Communicating with customers in person, by phone and online to build trust.",
            "greets customers and answers simple enquiries politely",
            "listens patiently, asks how to help and gives accurate information",
            "adapts the message to the customer and the channel, builds trust",
            "coaches colleagues and sets the tone of communication in the unit",
        ),
        _builtin(
            "product_knowledge",
            "Product knowledge",
            ("111331L3", "105083L5"),
            "The characteristics and features of the organisation's products and services.",
            "knows where products are and their prices",
            "explains features and differences between similar products",
            "matches products to a customer's needs and recommends new ones",
            "trains others and feeds customer requirements back to merchandising",
        ),
        _builtin(
            "handling_complaints",
            "Handling complaints and difficult customers",
            ("111329L2", "111331L3"),
            "Dealing with difficult customers; receiving, analysing and resolving complaints.",
            "stays calm, records the complaint and passes it on",
            "resolves routine complaints within the procedure and the pledges",
            "handles difficult customers and escalations, analyses feedback",
            "reviews complaint causes and improves the procedure",
        ),
        _builtin(
            "privacy_law",
            "Privacy law (PDPO)",
            ("111329L2", "111331L3"),
            "Respecting personal privacy: collecting customer data only in permitted "
            "circumstances, never disclosing, transferring or reselling it without authorisation.",
            "knows that customer data is personal and must not be shared",
            "collects data only as the guidelines permit, with the notice given",
            "handles access and correction requests and direct-marketing consent",
            "advises the unit and checks its customer records against the law",
        ),
        _builtin(
            "customer_psychology",
            "Customer psychology",
            ("111329L2", "111331L3"),
            "Perception, expectation, and the factors behind a customer's choice.",
            "notices a customer's mood and body language",
            "identifies the customer's real needs and concerns",
            "manages expectations against the service standard",
            "uses customer insight to shape the service",
        ),
        _builtin(
            "selling_skills",
            "Selling skills",
            ("111329L2",),
            "Basic selling: understanding purchase needs and recommending suitable products.",
            "presents products when asked",
            "identifies purchase needs and suggests suitable products",
            "recommends new products and services, invites customers to be VIP members",
            "coaches colleagues in selling without pressure",
        ),
        _builtin(
            "service_standards",
            "Service standards and procedures",
            ("111331L3", "105083L5", "111340L5"),
            "The organisation's service scheme, standards, pledges and procedures for routine "
            "problems and enquiries.",
            "knows the service code and the pledges",
            "follows the procedures for routine problems and enquiries",
            "monitors the unit's performance against the criteria",
            "reviews and fine-tunes the standards and procedures",
        ),
    )


@attrs.frozen(kw_only=True)
class RoleRequirement:
    """The level a role needs in a competency: in every business unit, or in one.

    A requirement for the staff member's own business unit wins over one for
    every unit (the way a criterion for a unit wins over one for all).

    Attributes:
        id: the requirement's identifier.
        role: the role (``"cashier"``, ``"hotline_agent"``).
        competency_id: the competency.
        level: the level needed, from 1.
        business_unit: the business unit it applies to, or ``None`` for every unit.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> RoleRequirement(id="r1", role="hotline_agent", competency_id="privacy_law",
        ...     level=2).business_unit is None
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    role: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    competency_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    level: int = attrs.field(default=REQUIRED, metadata=_LEVEL)
    business_unit: str | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.role, "$.role", problems)
        check_id(self.competency_id, "$.competency_id", problems)
        _check_level(self.level, "$.level", problems)
        check_id(self.business_unit, "$.business_unit", problems, optional=True)
        check_version(self.version, problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class StaffCompetence:
    """A staff member's assessed level in a competency, at an instant.

    The latest assessment (by ``assessed_at``, compared as instants) of a
    staff member in a competency is their current level; their latest
    record of all gives their role, store and business unit.

    Attributes:
        id: the assessment's identifier.
        staff_id: the staff member (an id: never a name).
        role: their role when assessed.
        competency_id: the competency.
        level: the level assessed, from 0 (not yet at level 1).
        assessed_at: when (timezone-aware).
        assessed_by: the role that assessed it (``"store_manager"``, ``"trainer"``).
        store_id: their store, or ``None``.
        business_unit: their business unit, or ``None``.
        programme_id: the programme whose assessment gave the level, or ``None``.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> StaffCompetence(id="a1", staff_id="E-7", role="cashier", competency_id="privacy_law",
        ...     level=0, assessed_at=datetime(2026, 3, 2, tzinfo=timezone.utc),
        ...     assessed_by="store_manager").level
        0

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    staff_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    role: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    competency_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    level: int = attrs.field(default=REQUIRED, metadata=_CURRENT)
    assessed_at: datetime = attrs.field(default=REQUIRED)
    assessed_by: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    store_id: str | None = None
    business_unit: str | None = None
    programme_id: str | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        for name in ("id", "staff_id", "role", "competency_id", "assessed_by"):
            check_id(getattr(self, name), f"$.{name}", problems)
        _check_level(self.level, "$.level", problems, low=0)
        check_aware(self.assessed_at, "$.assessed_at", problems)
        for name in ("store_id", "business_unit", "programme_id"):
            check_id(getattr(self, name), f"$.{name}", problems, optional=True)
        check_version(self.version, problems)
        raise_problems(self, problems)


# ---------------------------------------------------------------- programmes


def _check_trains(value: object, problems: Problems) -> None:
    if not isinstance(value, Mapping):
        problems.add("$.trains", "must map competency ids to the level taught", "type")
        return
    if not value:
        problems.add("$.trains", "must name at least one competency", "required")
    for key, level in value.items():
        check_id(key, "$.trains", problems)
        if isinstance(key, str):
            _check_level(level, join_path("$.trains", key), problems)


@attrs.frozen(kw_only=True)
class TrainingProgramme:
    """A course: the competencies it trains, the level it brings them to, and for whom.

    Attributes:
        id: the programme's identifier.
        name: its name.
        trains: competency id to the level a passed assessment brings a staff member to.
        audience: the roles it is meant for.
        duration: how long it takes.
        documents: the versions of the standards and procedures it teaches (`DocumentRef`).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import timedelta
        >>> from retail_service_quality import DocumentRef
        >>> TrainingProgramme(id="P-COMPLAINTS", name="Handling complaints",
        ...     trains={"handling_complaints": 3}, audience=["cashier"],
        ...     duration=timedelta(hours=6),
        ...     documents=[DocumentRef("PROC-COMPLAINTS", 2)]).trains["handling_complaints"]
        3

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    name: str = attrs.field(default=REQUIRED)
    trains: Mapping[str, int] = attrs.field(default=REQUIRED, converter=_frozen)
    audience: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    duration: timedelta = attrs.field(default=REQUIRED)
    documents: tuple[DocumentRef, ...] = attrs.field(default=(), converter=_tuple)
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        _check_words(self.name, "$.name", problems, limit=_MAX_NAME)
        _check_trains(self.trains, problems)
        if not isinstance(self.documents, tuple):
            problems.add("$.documents", "must be a list of DocumentRef", "type")
        else:
            for index, item in enumerate(self.documents):
                if not isinstance(item, DocumentRef):
                    problems.add(join_path("$.documents", index), "must be a DocumentRef", "type")
        check_id_list(self.audience, "$.audience", problems, required=True)
        before = len(problems)
        check_duration(self.duration, "$.duration", problems, optional=False)
        if (
            len(problems) == before
            and isinstance(self.duration, timedelta)
            and self.duration == timedelta(0)
        ):
            problems.add("$.duration", "must be longer than zero", "range")
        check_version(self.version, problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class TrainingSession:
    """One run of a programme: when, where, by whom, for how many.

    Attributes:
        id: the session's identifier.
        programme_id: the programme taught.
        starts_at: when it starts (timezone-aware).
        ends_at: when it ends, after it starts.
        location: where or through which channel (``"store:S1"``, ``"online"``).
        trainer_role: the role of who teaches it.
        capacity: how many places it has.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> start = datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("Europe/London"))
        >>> TrainingSession(id="T-1", programme_id="P-1", starts_at=start,
        ...     ends_at=start + timedelta(hours=3), location="online", trainer_role="trainer",
        ...     capacity=12).capacity
        12

    Raises:
        ValidationError: every problem, with its path: an end not after the start.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    programme_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    starts_at: datetime = attrs.field(default=REQUIRED)
    ends_at: datetime = attrs.field(default=REQUIRED)
    location: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    trainer_role: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    capacity: int = attrs.field(default=REQUIRED, metadata=schema(minimum=1, maximum=100_000))
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        for name in ("id", "programme_id", "location", "trainer_role"):
            check_id(getattr(self, name), f"$.{name}", problems)
        before = len(problems)
        check_aware(self.starts_at, "$.starts_at", problems)
        check_aware(self.ends_at, "$.ends_at", problems)
        if len(problems) == before and _instant(self.ends_at) <= _instant(self.starts_at):
            problems.add("$.ends_at", "must be later than starts_at", "inconsistent")
        if not is_integer(self.capacity) or not 1 <= self.capacity <= 100_000:
            problems.add(
                "$.capacity",
                "must be an integer from 1 to 100000",
                "range" if is_integer(self.capacity) else "type",
            )
        check_version(self.version, problems)
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class Attendance:
    """A staff member enrolled on a session: whether they came, completed it and passed.

    Attributes:
        id: the enrolment's identifier.
        session_id: the session.
        staff_id: the staff member (an id: never a name).
        attended: whether they came.
        completed: whether they completed the programme (only if they attended).
        score: their assessment score from 0 to 100, or ``None`` (not assessed).
        pass_mark: the score that passes, from 0 to 100.
        completed_at: when they completed it (timezone-aware; required when completed).
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> done = Attendance(id="T-1/E-7", session_id="T-1", staff_id="E-7", attended=True,
        ...     completed=True, score=72.0, pass_mark=60.0,
        ...     completed_at=datetime(2026, 4, 1, 17, tzinfo=timezone.utc))
        >>> done.passed
        True

    Raises:
        ValidationError: every problem, with its path: completed without attending, a
            score without attending, ``completed_at`` without completing or missing.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    session_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    staff_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    attended: bool = False
    completed: bool = False
    score: float | None = attrs.field(default=None, metadata=_SCORE)
    pass_mark: float = attrs.field(default=50.0, metadata=_SCORE)
    completed_at: datetime | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        for name in ("id", "session_id", "staff_id"):
            check_id(getattr(self, name), f"$.{name}", problems)
        for name in ("attended", "completed"):
            if not isinstance(getattr(self, name), bool):
                problems.add(f"$.{name}", "must be true or false", "type")
        if self.score is not None:
            check_number(self.score, "$.score", problems, low=0, high=100)
            if self.attended is False:
                problems.add("$.score", "must be left out for who did not attend", "inconsistent")
        check_number(self.pass_mark, "$.pass_mark", problems, low=0, high=100)
        if self.completed is True and self.attended is False:
            problems.add("$.completed", "must be false for who did not attend", "inconsistent")
        if self.completed_at is not None:
            check_aware(self.completed_at, "$.completed_at", problems)
            if self.completed is False:
                problems.add("$.completed_at", "must be left out unless completed", "inconsistent")
        elif self.completed is True:
            problems.add("$.completed_at", "is required when completed", "required")
        check_version(self.version, problems)
        raise_problems(self, problems)

    @property
    def passed(self) -> bool:
        """Whether they completed it and scored at least the pass mark.

        Examples:
            >>> Attendance(id="a", session_id="T-1", staff_id="E-7", attended=True).passed
            False
        """
        return self.completed and self.score is not None and self.score >= self.pass_mark


# ---------------------------------------------------------------- reading arguments


def _items(value: object, kind: type, path: str, problems: Problems) -> list[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        problems.add(path, f"must be a list of {kind.__name__}", "type")
        return []
    found: list[Any] = []
    for index, item in enumerate(value):
        if isinstance(item, kind):
            found.append(item)
        else:
            problems.add(join_path(path, index), f"must be a {kind.__name__}", "type")
    return found


def _weights(value: object, problems: Problems) -> dict[str, float]:
    chosen = dict(DEFAULT_WEIGHTS)
    if value is None:
        return chosen
    if not isinstance(value, Mapping):
        problems.add("$.weights", "must map green, amber and red to weights", "type")
        return chosen
    for key, weight in value.items():
        name = key.value if isinstance(key, CriterionStatus) else key
        path = join_path("$.weights", name if isinstance(name, str) else "?")
        if name not in chosen:
            problems.add(path, "must be green, amber or red", "unknown_choice")
        elif check_number(weight, path, problems, low=0, high=1):
            chosen[name] = float(weight)
    return chosen


def _latest(levels: list[StaffCompetence]) -> tuple[dict[str, StaffCompetence], dict[Any, int]]:
    """Each staff member's latest record, and their current level per competency."""
    ordered = sorted(enumerate(levels), key=lambda pair: (_instant(pair[1].assessed_at), pair[0]))
    staff: dict[str, StaffCompetence] = {}
    current: dict[tuple[str, str], int] = {}
    for _, record in ordered:
        staff[record.staff_id] = record
        current[(record.staff_id, record.competency_id)] = record.level
    return staff, current


# ---------------------------------------------------------------- training needs


@attrs.frozen(kw_only=True)
class TrainingNeed(Tabular):
    """One staff member's gap in one competency, and how urgent it is (`training_needs`).

    Attributes:
        staff_id: the staff member.
        role: their role.
        store_id: their store, or ``None``.
        business_unit: their business unit, or ``None``.
        competency_id: the competency.
        requirement_id: the requirement that sets the level.
        required: the level required.
        current: their current level (0 when never assessed).
        gap: ``required - current``, 0 when met.
        miss: how far their unit misses its criteria, from 0 to 1.
        priority: ``gap * (1 + miss)``.
        judged: how many coloured criterion results cover their unit.
        missed: the criteria behind the amber and red results, each once, sorted.

    Examples:
        >>> need = TrainingNeed(staff_id="E-7", role="cashier", competency_id="privacy_law",
        ...     requirement_id="r1", required=2, current=0, gap=2, miss=0.5, priority=3.0)
        >>> need.to_records()[0]["priority"]
        3.0
    """

    staff_id: str = attrs.field(default=REQUIRED)
    role: str = attrs.field(default=REQUIRED)
    store_id: str | None = None
    business_unit: str | None = None
    competency_id: str = attrs.field(default=REQUIRED)
    requirement_id: str = attrs.field(default=REQUIRED)
    required: int = attrs.field(default=REQUIRED)
    current: int = attrs.field(default=REQUIRED)
    gap: int = attrs.field(default=REQUIRED)
    miss: float = 0.0
    priority: float = attrs.field(default=REQUIRED)
    judged: int = 0
    missed: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        raise_problems(self, Problems())  # a required field left out


def _covers(result: CriterionResult, staff: StaffCompetence) -> bool:
    """Whether a criterion result is about the staff member's unit: their store, their
    business unit or themselves, and nothing else of those."""
    keys = (
        (result.store_id, staff.store_id),
        (result.business_unit, staff.business_unit),
        (result.staff_id, staff.staff_id),
    )
    if all(given is None for given, _ in keys):
        return False  # about the whole chain: no unit's own miss
    return all(given is None or given == own for given, own in keys)


def _miss(
    staff: StaffCompetence, results: list[CriterionResult], weights: Mapping[str, float]
) -> tuple[float, int, tuple[str, ...]]:
    weighed = [r for r in results if r.status.colour and _covers(r, staff)]
    if not weighed:
        return 0.0, 0, ()
    total = sum(weights[r.status.value] for r in weighed)
    missed = sorted({r.criterion_id for r in weighed if r.status is not CriterionStatus.GREEN})
    return total / len(weighed), len(weighed), tuple(missed)


def _requirements(
    requirements: list[RoleRequirement], problems: Problems
) -> dict[str, dict[tuple[str, str | None], RoleRequirement]]:
    """By role: (competency, unit) to the requirement; duplicates reported."""
    chosen: dict[str, dict[tuple[str, str | None], RoleRequirement]] = {}
    for index, item in enumerate(requirements):
        key = (item.competency_id, item.business_unit)
        own = chosen.setdefault(item.role, {})
        if key in own:
            problems.add(
                join_path("$.requirements", index),
                "repeats the role, competency and business unit of another requirement",
                "duplicate",
            )
        own.setdefault(key, item)
    return chosen


def training_needs(
    requirements: Iterable[RoleRequirement],
    staff_levels: Iterable[StaffCompetence],
    *,
    criteria_results: Iterable[CriterionResult] | None = None,
    weights: Mapping[str, float] | None = None,
) -> RecordList[TrainingNeed]:
    """The training-needs analysis: each staff member's gap per required competency, ranked.

    **Who and what.** Each staff member in ``staff_levels`` takes the role,
    store and business unit of their latest record (by ``assessed_at``, as
    instants; of records assessed at the same instant, the one given last);
    their current level in a competency is that of their latest record in
    it, 0 if they have none. Every competency their role requires
    gives a row: the requirement for their business unit if there is one,
    else the one for every unit.

    **The gap** is ``required - current``, 0 when the level is met: never negative.

    **The miss** of a staff member's unit, from 0 to 1: the mean weight of the
    coloured `CriterionResult` s (from `evaluate_criteria`) that cover it,
    where green weighs ``weights["green"]`` (0 unless given), amber
    ``weights["amber"]`` (0.5) and red ``weights["red"]`` (1). A result
    covers a staff member when it is about their store, their business unit
    or themselves, and about no other store, unit or staff member: one about
    the whole chain covers no unit. ``not_enough_data`` results do not weigh,
    nor count. A unit no coloured result covers misses 0.

    **The priority** is ``gap * (1 + miss)``: the gap itself where the unit
    meets its criteria, up to twice the gap where every criterion is red. It
    never falls as the miss grows, and a met requirement has priority 0.

    Rows come sorted by priority (highest first), then staff id, then
    competency id. ``missed`` lists the criteria behind the amber and red
    results: the evidence.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import CriterionResult, StandardReference
        >>> at = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> def staff(id, store, level):
        ...     return StaffCompetence(id=f"a-{id}", staff_id=id, role="cashier", store_id=store,
        ...         competency_id="handling_complaints", level=level, assessed_at=at,
        ...         assessed_by="store_manager")
        >>> def result(id, store, status):
        ...     return CriterionResult(criterion_id=id, indicator_id=id, store_id=store,
        ...         status=status, target=0.8, amber_threshold=0.7, min_n=30,
        ...         standard=StandardReference("SQ-01"))
        >>> needs = training_needs(
        ...     [RoleRequirement(id="r", role="cashier", competency_id="handling_complaints",
        ...         level=3)],
        ...     [staff("E-1", "S1", 1), staff("E-2", "S2", 1)],
        ...     criteria_results=[result("csat", "S2", "red"), result("fcr", "S2", "amber")])
        >>> [(n.staff_id, n.gap, n.miss, n.priority, n.missed) for n in needs]
        [('E-2', 2, 0.75, 3.5, ('csat', 'fcr')), ('E-1', 2, 0.0, 2.0, ())]

    Raises:
        ValidationError: every bad argument, with its path: an item of the wrong
            type, two requirements for the same role, competency and unit, a weight
            outside 0 to 1 or for another colour.
    """
    problems = Problems()
    required = _items(requirements, RoleRequirement, "$.requirements", problems)
    levels = _items(staff_levels, StaffCompetence, "$.staff_levels", problems)
    results = (
        []
        if criteria_results is None
        else _items(criteria_results, CriterionResult, "$.criteria_results", problems)
    )
    chosen_weights = _weights(weights, problems)
    by_role = _requirements(required, problems)
    problems.raise_if_any()
    staff, current = _latest(levels)
    rows: list[TrainingNeed] = []
    for staff_id, record in staff.items():
        own = by_role.get(record.role, {})
        competencies = sorted({competency for competency, _ in own})
        if not competencies:
            continue
        miss, judged, missed = _miss(record, results, chosen_weights)
        for competency in competencies:
            requirement = own.get((competency, record.business_unit)) or own.get((competency, None))
            if requirement is None:
                continue  # required only in other business units
            level = current.get((staff_id, competency), 0)
            gap = max(requirement.level - level, 0)
            rows.append(
                TrainingNeed(
                    staff_id=staff_id,
                    role=record.role,
                    store_id=record.store_id,
                    business_unit=record.business_unit,
                    competency_id=competency,
                    requirement_id=requirement.id,
                    required=requirement.level,
                    current=level,
                    gap=gap,
                    miss=miss,
                    priority=gap * (1 + miss),
                    judged=judged,
                    missed=missed,
                )
            )
    rows.sort(key=lambda row: (-row.priority, row.staff_id, row.competency_id))
    return RecordList(TrainingNeed, rows)


@attrs.frozen(kw_only=True)
class UnitTrainingNeed(Tabular):
    """The training needs of one unit in one competency (`training_needs_by_unit`).

    Attributes:
        store_id: the store, or ``None``.
        business_unit: the business unit, or ``None``.
        competency_id: the competency.
        staff: how many staff members it is required of.
        short: how many of them fall short of the level (gap above 0).
        total_gap: the sum of their gaps.
        total_priority: the sum of their priorities.
        missed: the criteria their unit misses (amber or red), each once, sorted.

    Examples:
        >>> UnitTrainingNeed(store_id="S1", competency_id="privacy_law", staff=4, short=3,
        ...     total_gap=5, total_priority=7.5).short
        3
    """

    store_id: str | None = None
    business_unit: str | None = None
    competency_id: str = attrs.field(default=REQUIRED)
    staff: int = attrs.field(default=REQUIRED)
    short: int = attrs.field(default=REQUIRED)
    total_gap: int = attrs.field(default=REQUIRED)
    total_priority: float = attrs.field(default=REQUIRED)
    missed: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        raise_problems(self, Problems())  # a required field left out


def training_needs_by_unit(needs: Iterable[TrainingNeed]) -> RecordList[UnitTrainingNeed]:
    """The needs rolled up per store, business unit and competency.

    Sorted by total priority (highest first), then store, business unit and
    competency (a missing store or unit first).

    Examples:
        >>> def need(staff, gap):
        ...     return TrainingNeed(staff_id=staff, role="cashier", store_id="S1",
        ...         competency_id="privacy_law", requirement_id="r", required=2,
        ...         current=2 - gap, gap=gap, priority=float(gap))
        >>> [(u.staff, u.short, u.total_gap) for u in training_needs_by_unit(
        ...     [need("E-1", 2), need("E-2", 0), need("E-3", 1)])]
        [(3, 2, 3)]

    Raises:
        ValidationError: an item that is not a `TrainingNeed`, with its path.
    """
    problems = Problems()
    rows = _items(needs, TrainingNeed, "$.needs", problems)
    problems.raise_if_any()
    groups: dict[tuple[str | None, str | None, str], list[TrainingNeed]] = {}
    for row in rows:
        groups.setdefault((row.store_id, row.business_unit, row.competency_id), []).append(row)
    found = [
        UnitTrainingNeed(
            store_id=store,
            business_unit=unit,
            competency_id=competency,
            staff=len(members),
            short=sum(1 for member in members if member.gap > 0),
            total_gap=sum(member.gap for member in members),
            total_priority=sum(member.priority for member in members),
            missed=tuple(sorted({item for member in members for item in member.missed})),
        )
        for (store, unit, competency), members in groups.items()
    ]
    found.sort(
        key=lambda row: (
            -row.total_priority,
            row.store_id or "",
            row.business_unit or "",
            row.competency_id,
        )
    )
    return RecordList(UnitTrainingNeed, found)


# ---------------------------------------------------------------- completion


def _by_id(items: list[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def levels_after_training(
    staff_levels: Iterable[StaffCompetence],
    attendances: Iterable[Attendance],
    *,
    sessions: Iterable[TrainingSession],
    programmes: Iterable[TrainingProgramme],
) -> tuple[StaffCompetence, ...]:
    """The new competence records that passed assessments give; nothing is changed.

    Each passed `Attendance` (completed, score at least the pass mark), in
    the order of ``completed_at``, raises its staff member's level in each
    competency its programme trains to the programme's level, where that is
    higher than their current level: a new `StaffCompetence` with id
    ``"<attendance id>/<competency id>"``, assessed at ``completed_at`` by the
    session's trainer role, with the staff member's role, store and business
    unit from their latest record. A level is never lowered: a programme that
    teaches no higher than the current level (their latest assessment,
    whenever it was) gives no record, so running it again with the records
    it gave added to ``staff_levels`` gives nothing new.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> start = datetime(2026, 4, 1, 9, tzinfo=timezone.utc)
        >>> before = StaffCompetence(id="a1", staff_id="E-7", role="cashier",
        ...     competency_id="handling_complaints", level=1, assessed_at=start,
        ...     assessed_by="store_manager")
        >>> programme = TrainingProgramme(id="P-1", name="Complaints",
        ...     trains={"handling_complaints": 3}, audience=["cashier"],
        ...     duration=timedelta(hours=6))
        >>> session = TrainingSession(id="T-1", programme_id="P-1", starts_at=start,
        ...     ends_at=start + timedelta(hours=6), location="online", trainer_role="trainer",
        ...     capacity=10)
        >>> passed = Attendance(id="T-1/E-7", session_id="T-1", staff_id="E-7", attended=True,
        ...     completed=True, score=80, pass_mark=60, completed_at=start + timedelta(hours=6))
        >>> [(r.id, r.level, r.assessed_by) for r in levels_after_training([before], [passed],
        ...     sessions=[session], programmes=[programme])]
        [('T-1/E-7/handling_complaints', 3, 'trainer')]

    Raises:
        ValidationError: every bad argument, with its path: an attendance whose
            session or programme is not given, or whose staff member has no
            competence record (their role and unit are unknown).
    """
    problems = Problems()
    levels = _items(staff_levels, StaffCompetence, "$.staff_levels", problems)
    attended = _items(attendances, Attendance, "$.attendances", problems)
    session_of = _by_id(_items(sessions, TrainingSession, "$.sessions", problems))
    programme_of = _by_id(_items(programmes, TrainingProgramme, "$.programmes", problems))
    staff, current = _latest(levels)
    passed: list[tuple[int, Attendance]] = []
    for index, item in enumerate(attended):
        path = join_path("$.attendances", index)
        if not item.passed:
            continue
        session = session_of.get(item.session_id)
        if session is None:
            problems.add(join_path(path, "session_id"), "names no session given", "not_found")
        elif session.programme_id not in programme_of:
            problems.add(
                join_path(path, "session_id"),
                "names a session whose programme is not given",
                "not_found",
            )
        if item.staff_id not in staff:
            problems.add(
                join_path(path, "staff_id"),
                "names a staff member without a competence record (their role is unknown)",
                "not_found",
            )
        passed.append((index, item))
    problems.raise_if_any()
    passed.sort(key=lambda pair: (_instant(pair[1].completed_at), pair[0]))  # type: ignore[arg-type]
    raised: list[StaffCompetence] = []
    for _, item in passed:
        session = session_of[item.session_id]
        programme = programme_of[session.programme_id]
        who = staff[item.staff_id]
        for competency, level in sorted(programme.trains.items()):
            if level <= current.get((item.staff_id, competency), 0):
                continue
            current[(item.staff_id, competency)] = level
            raised.append(
                StaffCompetence(
                    id=f"{item.id}/{competency}",
                    staff_id=item.staff_id,
                    role=who.role,
                    competency_id=competency,
                    level=level,
                    assessed_at=item.completed_at,  # type: ignore[arg-type]  # passed: completed
                    assessed_by=session.trainer_role,
                    store_id=who.store_id,
                    business_unit=who.business_unit,
                    programme_id=programme.id,
                )
            )
    return tuple(raised)


@attrs.frozen(kw_only=True)
class CompletionRow(Tabular):
    """How a programme went in one unit (`training_completion`).

    Attributes:
        programme_id: the programme.
        store_id: the store of the staff enrolled, or ``None``.
        business_unit: their business unit, or ``None``.
        enrolled: how many enrolments.
        attended: how many attended.
        completed: how many completed.
        passed: how many passed the assessment.
        attendance_interval: Wilson interval of ``attended / enrolled``.
        completion_interval: Wilson interval of ``completed / attended``, or ``None``
            when nobody attended.
        pass_interval: Wilson interval of ``passed / completed``, or ``None`` when
            nobody completed.

    Examples:
        >>> row = CompletionRow(programme_id="P-1", enrolled=10, attended=8, completed=6,
        ...     passed=3)
        >>> row.attendance_rate, row.completion_rate, row.pass_rate
        (0.8, 0.75, 0.5)
    """

    programme_id: str = attrs.field(default=REQUIRED)
    store_id: str | None = None
    business_unit: str | None = None
    enrolled: int = attrs.field(default=REQUIRED)
    attended: int = attrs.field(default=REQUIRED)
    completed: int = attrs.field(default=REQUIRED)
    passed: int = attrs.field(default=REQUIRED)
    attendance_interval: Interval | None = None
    completion_interval: Interval | None = None
    pass_interval: Interval | None = None

    def __attrs_post_init__(self) -> None:
        raise_problems(self, Problems())  # a required field left out

    @property
    def attendance_rate(self) -> float | None:
        """``attended / enrolled``, or ``None`` without an enrolment.

        Examples:
            >>> CompletionRow(programme_id="P", enrolled=0, attended=0, completed=0,
            ...     passed=0).attendance_rate is None
            True
        """
        return self.attended / self.enrolled if self.enrolled else None

    @property
    def completion_rate(self) -> float | None:
        """``completed / attended``, or ``None`` when nobody attended.

        Examples:
            >>> CompletionRow(programme_id="P", enrolled=2, attended=2, completed=1,
            ...     passed=1).completion_rate
            0.5
        """
        return self.completed / self.attended if self.attended else None

    @property
    def pass_rate(self) -> float | None:
        """``passed / completed``, or ``None`` when nobody completed.

        Examples:
            >>> CompletionRow(programme_id="P", enrolled=2, attended=2, completed=2,
            ...     passed=1).pass_rate
            0.5
        """
        return self.passed / self.completed if self.completed else None


def _interval(successes: int, n: int, confidence: float) -> Interval | None:
    return wilson_interval(successes, n, confidence=confidence) if n else None


def training_completion(
    attendances: Iterable[Attendance],
    *,
    sessions: Iterable[TrainingSession],
    staff_levels: Iterable[StaffCompetence] = (),
    confidence: float = 0.95,
) -> RecordList[CompletionRow]:
    """Per programme and unit: enrolled, attended, completed and passed, with Wilson intervals.

    Each attendance counts once, for the programme of its session and the
    store and business unit of its staff member's latest record in
    ``staff_levels`` (``None`` for both when they have none). The rates are
    attended of enrolled, completed of attended and passed of completed,
    each with its Wilson score interval at ``confidence`` (``None`` over
    nobody). Rows are sorted by programme, store and business unit.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> start = datetime(2026, 4, 1, 9, tzinfo=timezone.utc)
        >>> session = TrainingSession(id="T-1", programme_id="P-1", starts_at=start,
        ...     ends_at=start + timedelta(hours=6), location="online", trainer_role="trainer",
        ...     capacity=10)
        >>> done = start + timedelta(hours=6)
        >>> attendances = [Attendance(id=f"T-1/{n}", session_id="T-1", staff_id=f"E-{n}",
        ...     attended=n < 4, completed=n < 3, score=70.0 if n < 3 else None,
        ...     pass_mark=60.0, completed_at=done if n < 3 else None) for n in range(5)]
        >>> [row] = training_completion(attendances, sessions=[session])
        >>> row.enrolled, row.attended, row.completed, row.passed
        (5, 4, 3, 3)
        >>> round(row.attendance_interval.low, 4), round(row.attendance_interval.high, 4)
        (0.3755, 0.9638)

    Raises:
        ValidationError: every bad argument, with its path: an attendance whose
            session is not given, a confidence not strictly between 0 and 1.
    """
    problems = Problems()
    attended = _items(attendances, Attendance, "$.attendances", problems)
    session_of = _by_id(_items(sessions, TrainingSession, "$.sessions", problems))
    staff, _ = _latest(_items(staff_levels, StaffCompetence, "$.staff_levels", problems))
    check_number(confidence, "$.confidence", problems, low=0, high=1, strict=True)
    for index, item in enumerate(attended):
        if item.session_id not in session_of:
            problems.add(
                join_path(join_path("$.attendances", index), "session_id"),
                "names no session given",
                "not_found",
            )
    problems.raise_if_any()
    counts: dict[tuple[str, str | None, str | None], list[int]] = {}
    for item in attended:
        who = staff.get(item.staff_id)
        key = (
            session_of[item.session_id].programme_id,
            None if who is None else who.store_id,
            None if who is None else who.business_unit,
        )
        tally = counts.setdefault(key, [0, 0, 0, 0])
        for position, flag in enumerate((True, item.attended, item.completed, item.passed)):
            tally[position] += 1 if flag else 0
    level = float(confidence)
    rows = [
        CompletionRow(
            programme_id=programme,
            store_id=store,
            business_unit=unit,
            enrolled=enrolled,
            attended=came,
            completed=completed,
            passed=passed,
            attendance_interval=_interval(came, enrolled, level),
            completion_interval=_interval(completed, came, level),
            pass_interval=_interval(passed, completed, level),
        )
        for (programme, store, unit), (enrolled, came, completed, passed) in counts.items()
    ]
    rows.sort(key=lambda row: (row.programme_id, row.store_id or "", row.business_unit or ""))
    return RecordList(CompletionRow, rows)


# ---------------------------------------------------------------- on a store


def _of_programme(uow: Any, programme_id: str) -> tuple[list[Attendance], list[TrainingSession]]:
    """A programme's sessions in an open unit of work, and their attendance."""
    sessions = list(uow.training.sessions.query(programme_id=programme_id))
    attendance = [
        item
        for session in sessions
        for item in uow.training.attendance.query(session_id=session.id)
    ]
    return attendance, sessions


def stored_training_needs(
    target: Any,
    *,
    criteria_results: Iterable[CriterionResult] | None = None,
    weights: Mapping[str, float] | None = None,
) -> RecordList[TrainingNeed]:
    """`training_needs` over the requirements and staff competence held in a store.

    ``target`` is a store (read in a read-only unit of work) or an open unit
    of work; ``criteria_results`` and ``weights`` are those of `training_needs`.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.training.requirements.add(RoleRequirement(id="r1", role="cashier",
        ...         competency_id="privacy_law", level=2))
        ...     uow.training.competence.add(StaffCompetence(id="a1", staff_id="E-7",
        ...         role="cashier", competency_id="privacy_law", level=1,
        ...         assessed_at=datetime(2026, 3, 2, tzinfo=timezone.utc),
        ...         assessed_by="store_manager"))
        ...     uow.commit()
        >>> [(n.staff_id, n.gap) for n in stored_training_needs(store)]
        [('E-7', 1)]

    Raises:
        ValidationError: every bad argument, with its path (``$.target`` and those of
            `training_needs`).
    """
    problems = Problems()
    check_target(target, "training", problems)
    problems.raise_if_any()
    with unit_of(target, "training", read_only=True) as uow:
        requirements = list(uow.training.requirements.query())
        levels = list(uow.training.competence.query())
    return training_needs(requirements, levels, criteria_results=criteria_results, weights=weights)


def stored_training_completion(
    target: Any, *, programme_id: str | None = None, confidence: float = 0.95
) -> RecordList[CompletionRow]:
    """`training_completion` over the attendance, sessions and staff competence in a store.

    ``target`` is a store (read in a read-only unit of work) or an open unit
    of work; with ``programme_id``, only that programme's sessions count.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import InMemoryStore
        >>> start = datetime(2026, 4, 1, 9, tzinfo=timezone.utc)
        >>> store = InMemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.training.sessions.add(TrainingSession(id="T-1", programme_id="P-1",
        ...         starts_at=start, ends_at=start + timedelta(hours=6), location="online",
        ...         trainer_role="trainer", capacity=10))
        ...     uow.training.attendance.add(Attendance(id="T-1/E-7", session_id="T-1",
        ...         staff_id="E-7", attended=True))
        ...     uow.commit()
        >>> [(r.programme_id, r.enrolled, r.attended) for r in stored_training_completion(store)]
        [('P-1', 1, 1)]

    Raises:
        ValidationError: every bad argument, with its path: ``$.target``,
            ``$.programme_id``, ``$.confidence``, an attendance whose session is not
            stored (``$.attendances[i].session_id``).
    """
    problems = Problems()
    check_target(target, "training", problems)
    check_id(programme_id, "$.programme_id", problems, optional=True)
    check_number(confidence, "$.confidence", problems, low=0, high=1, strict=True)
    problems.raise_if_any()
    with unit_of(target, "training", read_only=True) as uow:
        if programme_id is None:
            sessions = list(uow.training.sessions.query())
            attendance = list(uow.training.attendance.query())
        else:
            attendance, sessions = _of_programme(uow, programme_id)
        levels = list(uow.training.competence.query())
    return training_completion(
        attendance, sessions=sessions, staff_levels=levels, confidence=confidence
    )


# ---------------------------------------------------------------- for the review cycle


def trained_staff(
    source: object,
    programme_id: str,
    *,
    completed_before: datetime | None = None,
    sessions: Iterable[TrainingSession] | None = None,
) -> tuple[str, ...]:
    """The staff a programme trained: who passed its assessment, before an instant if given.

    ``source`` is a store or an open unit of work (its attendance and sessions
    are read), or the `Attendance` records themselves, with their
    ``sessions``. A review cycle compares these staff members' indicators with
    the rest's. The ids come sorted, each once.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> start = datetime(2026, 4, 1, 9, tzinfo=timezone.utc)
        >>> session = TrainingSession(id="T-1", programme_id="P-1", starts_at=start,
        ...     ends_at=start + timedelta(hours=6), location="online", trainer_role="trainer",
        ...     capacity=10)
        >>> def came(staff, score):
        ...     return Attendance(id=f"T-1/{staff}", session_id="T-1", staff_id=staff,
        ...         attended=True, completed=True, score=score, pass_mark=60,
        ...         completed_at=start + timedelta(hours=6))
        >>> trained_staff([came("E-2", 90), came("E-1", 75), came("E-3", 40)], "P-1",
        ...     sessions=[session])
        ('E-1', 'E-2')
        >>> trained_staff([came("E-2", 90)], "P-1", sessions=[session],
        ...     completed_before=start)
        ()

    Raises:
        ValidationError: every bad argument, with its path: a source that is neither
            a store, a unit of work nor a list of attendances, ``sessions`` missing for
            (or given with) a store, a naive ``completed_before``.
    """
    problems = Problems()
    check_id(programme_id, "$.programme_id", problems)
    if completed_before is not None:
        check_aware(completed_before, "$.completed_before", problems)
    stored = is_target(source, "training") and not isinstance(source, Iterable)
    attended: list[Attendance] = []
    given: list[TrainingSession] = []
    if stored:
        if sessions is not None:
            problems.add("$.sessions", "must be left out: the store's are read", "inconsistent")
    else:
        attended = _items(source, Attendance, "$.source", problems)
        if sessions is None:
            problems.add("$.sessions", "is required with a list of attendances", "required")
        else:
            given = _items(sessions, TrainingSession, "$.sessions", problems)
    problems.raise_if_any()
    if stored:
        with unit_of(source, "training", read_only=True) as uow:
            attended, given = _of_programme(uow, programme_id)
    chosen = {session.id for session in given if session.programme_id == programme_id}
    limit = None if completed_before is None else _instant(completed_before)
    return tuple(
        sorted(
            {
                item.staff_id
                for item in attended
                if item.session_id in chosen
                and item.passed
                and (limit is None or _instant(item.completed_at) < limit)  # type: ignore[arg-type]
            }
        )
    )
