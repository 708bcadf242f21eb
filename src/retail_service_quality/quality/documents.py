"""Controlled documents: service standards, procedures and duties, kept in versions.

The customer service function runs on three kinds of written rules, each a
`ControlledDocument` of its `DocumentKind`:

- a **service standard** (`ServiceStandard`): the services, channels and
  business units it covers (`ServiceScope`), its requirements
  (`Requirement`, each optionally measured by an indicator and target) and
  the performance criteria it sets, by `PerformanceCriterion` id;
- a **procedure** for a routine problem or enquiry (`Procedure`): what
  triggers it (`ProcedureTrigger`), its numbered steps (`ProcedureStep`),
  the role that owns it, when and to whom it escalates (`Escalation`), and the
  standard it implements;
- the **duties and responsibilities of a role** (`RoleDuties`).

A document is edited by adding a version (`ControlledDocument.revise`) that
takes effect at an instant and records why (`DocumentChange`: the reason,
the author's role, and the findings or actions behind it, `ChangeCause`);
the earlier versions stay. `ControlledDocument.in_force` answers which
version applied at an instant, compared as instants, and a `DocumentRef`
names one version exactly, so that a finding, a complaint or an action keeps
pointing at what was in force then. `ControlledDocument.history` lists the
versions with the fields each changed, computed from the versions
themselves, never typed.

Examples:
    >>> from datetime import datetime, timezone
    >>> refund = ControlledDocument.create(
    ...     id="PROC-REFUND", title="Refund at the counter",
    ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...     content=Procedure(
    ...         trigger=ProcedureTrigger("A customer asks for a refund", needs=["refund"]),
    ...         steps=["Check the receipt", "Refund to the original payment method"],
    ...         owner_role="store_manager",
    ...     ),
    ... )
    >>> revised = refund.revise(
    ...     effective_from=datetime(2026, 7, 1, tzinfo=timezone.utc),
    ...     reason="refunds without a receipt were refused inconsistently",
    ...     author_role="quality_manager", because=("action", "ACT-12"),
    ...     steps=["Check the receipt or the card statement",
    ...            "Refund to the original payment method"],
    ... )
    >>> revised.in_force(datetime(2026, 3, 1, tzinfo=timezone.utc)).number
    1
    >>> revised.ref(datetime(2026, 8, 1, tzinfo=timezone.utc))
    DocumentRef(document_id='PROC-REFUND', version=2)
    >>> revised.history()[1].changed
    ('steps',)
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, cast

import attrs

from retail_service_quality._internal.checks import check_number, is_integer
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION, schema
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_duration,
    check_enum,
    check_id,
    check_id_list,
    check_text,
    check_version,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.errors import (
    InvalidTransitionError,
    NotFoundError,
    Problem,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.quality._versions import check_end, check_withdrawal, version_at
from retail_service_quality.quality.criteria import StandardReference
from retail_service_quality.quality.pledges import _history_problems
from retail_service_quality.serialization._converter import default_converter
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel

__all__ = [
    "CauseKind",
    "ChangeCause",
    "ControlledDocument",
    "DocumentChange",
    "DocumentKind",
    "DocumentRef",
    "DocumentRevision",
    "DocumentVersion",
    "Escalation",
    "Procedure",
    "ProcedureStep",
    "ProcedureTrigger",
    "Requirement",
    "RoleDuties",
    "ServiceScope",
    "ServiceStandard",
]

_MAX_VERSION: Final = 1_000_000
_MAX_TEXT: Final = 2000
_MAX_TITLE: Final = 200
_MAX_ESCALATION: Final = timedelta(days=3660)
_TEXT: Final = schema(minLength=1, maxLength=_MAX_TEXT)
_TITLE: Final = schema(minLength=1, maxLength=_MAX_TITLE)


@attrs.frozen
class DocumentRef:
    """One version of a controlled document: a service standard, a procedure, a role's duties.

    Attributes:
        document_id: the document's identifier.
        version: its version number, from 1.

    Examples:
        >>> DocumentRef("PROC-REFUND", 2).version
        2
        >>> DocumentRef("PROC-REFUND", 0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: $.version: must be a version number from 1...

    Raises:
        ValidationError: every problem, with its path.
    """

    document_id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    version: int = attrs.field(default=REQUIRED, metadata=schema(minimum=1, maximum=_MAX_VERSION))

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.document_id, "$.document_id", problems)
        if not is_integer(self.version) or not 1 <= self.version <= _MAX_VERSION:
            problems.add(
                "$.version",
                f"must be a version number from 1 to {_MAX_VERSION}",
                "range" if is_integer(self.version) else "type",
            )
        raise_problems(self, problems)


# ---------------------------------------------------------------- shared checks


def _tuple(value: Any) -> Any:
    """A list as a tuple; anything else as it is, for validation to report."""
    return tuple(value) if isinstance(value, list | tuple) else value


def _channels(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(lenient_enum(Channel, item) for item in value)
    return value


def _check_wording(
    value: object, path: str, problems: Problems, *, limit: int = _MAX_TEXT, optional: bool = False
) -> None:
    """Text of 1 to ``limit`` characters, not only spaces (a title, a reason, a step)."""
    if value is None and optional:
        return
    check_text(value, path, problems)
    if isinstance(value, str) and not (value.strip() and len(value) <= limit):
        problems.add(path, f"must be text of 1 to {limit} characters, not only spaces", "range")


def _check_texts(values: object, path: str, problems: Problems, *, required: bool) -> None:
    """A tuple of texts (duties, responsibilities), at least one when ``required``."""
    if not isinstance(values, tuple):
        problems.add(path, "must be a list of texts", "type")
        return
    if required and not values:
        problems.add(path, "must hold at least one", "required")
    for index, value in enumerate(values):
        _check_wording(value, join_path(path, index), problems)


def _check_items(
    values: object, kind: type, path: str, problems: Problems, *, required: bool
) -> None:
    """A tuple of ``kind`` values, at least one when ``required``."""
    if not isinstance(values, tuple):
        problems.add(path, f"must be a list of {kind.__name__}", "type")
        return
    if required and not values:
        problems.add(path, "must hold at least one", "required")
    for index, value in enumerate(values):
        if not isinstance(value, kind):
            problems.add(join_path(path, index), f"must be a {kind.__name__}", "type")


def _check_channels(values: object, path: str, problems: Problems) -> None:
    if not isinstance(values, tuple):
        problems.add(path, "must be a list of channels", "type")
        return
    for index, channel in enumerate(values):
        check_enum(channel, Channel, join_path(path, index), problems)
        if isinstance(channel, Channel) and channel in values[:index]:
            problems.add(join_path(path, index), "repeats a channel", "duplicate")


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# ---------------------------------------------------------------- service standards


@attrs.frozen(kw_only=True)
class ServiceScope:
    """The services, channels and business units a service standard covers; empty covers all.

    Attributes:
        services: the services covered, as service ids (``"refunds"``, ``"repairs"``), or
            every service.
        channels: the channels covered (`Channel`), or every channel.
        business_units: the business units covered, or every unit.

    Examples:
        >>> scope = ServiceScope(services=["refunds"], channels=["meeting", "hotline"])
        >>> [channel.value for channel in scope.channels], scope.covers_everything
        (['meeting', 'hotline'], False)

    Raises:
        ValidationError: every problem, with its path.
    """

    services: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    channels: tuple[Channel, ...] = attrs.field(default=(), converter=_channels)
    business_units: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id_list(self.services, "$.services", problems, required=False)
        _check_channels(self.channels, "$.channels", problems)
        check_id_list(self.business_units, "$.business_units", problems, required=False)
        raise_problems(self, problems)

    @property
    def covers_everything(self) -> bool:
        """Whether the scope names nothing, and so covers every service, channel and unit.

        Examples:
            >>> ServiceScope().covers_everything
            True
        """
        return not (self.services or self.channels or self.business_units)


@attrs.frozen
class Requirement:
    """One requirement of a service standard, optionally measured by an indicator.

    Attributes:
        id: the requirement's identifier within its standard (``"R1"``).
        wording: what the standard requires, in words.
        indicator_id: the indicator that measures it, if any.
        target: the indicator's target, if stated (needs ``indicator_id``).
        criterion_ids: the performance criteria that judge it, by `PerformanceCriterion`
            id; each must be one of its standard's ``criterion_ids``.

    Examples:
        >>> Requirement("R1", "Answer hotline calls promptly", indicator_id="asa",
        ...     target=20.0, criterion_ids=["asa-hotline"]).measured
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    wording: str = attrs.field(default=REQUIRED, metadata=_TEXT)
    indicator_id: str | None = attrs.field(default=None, kw_only=True)
    target: float | None = attrs.field(default=None, kw_only=True)
    criterion_ids: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        _check_wording(self.wording, "$.wording", problems)
        check_id(self.indicator_id, "$.indicator_id", problems, optional=True)
        if self.target is not None:
            if isinstance(self.target, bool):
                problems.add("$.target", "must be a number, not true or false", "type")
            elif check_number(self.target, "$.target", problems) and self.indicator_id is None:
                problems.add(
                    "$.target", "needs the indicator_id it is a target for", "inconsistent"
                )
        check_id_list(self.criterion_ids, "$.criterion_ids", problems, required=False)
        raise_problems(self, problems)

    @property
    def measured(self) -> bool:
        """Whether an indicator or a criterion measures it.

        Examples:
            >>> Requirement("R2", "Greet every customer").measured
            False
        """
        return self.indicator_id is not None or bool(self.criterion_ids)


@attrs.frozen(kw_only=True)
class ServiceStandard:
    """What a service standard says: its scope, requirements and the criteria it sets.

    Attributes:
        scope: the services, channels and business units it covers (`ServiceScope`).
        requirements: its requirements (`Requirement`), at least one, ids distinct.
        criterion_ids: the performance criteria it sets, by `PerformanceCriterion` id
            (each criterion carries the standard's `ControlledDocument.reference`).

    Examples:
        >>> standard = ServiceStandard(
        ...     scope=ServiceScope(channels=["hotline"]),
        ...     requirements=[Requirement("R1", "Answer calls promptly",
        ...                               criterion_ids=["asa-hotline"])],
        ...     criterion_ids=["asa-hotline", "csat-hotline"],
        ... )
        >>> standard.requirement("R1").criterion_ids
        ('asa-hotline',)

    Raises:
        ValidationError: every problem, with its path: repeated requirement ids, a
            requirement judged by a criterion the standard does not set.
    """

    scope: ServiceScope = attrs.field(factory=ServiceScope)
    requirements: tuple[Requirement, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    criterion_ids: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.scope, ServiceScope):
            problems.add("$.scope", "must be a ServiceScope", "type")
        _check_items(self.requirements, Requirement, "$.requirements", problems, required=True)
        check_id_list(self.criterion_ids, "$.criterion_ids", problems, required=False)
        if isinstance(self.requirements, tuple) and isinstance(self.criterion_ids, tuple):
            seen: set[str] = set()
            for index, item in enumerate(self.requirements):
                if not isinstance(item, Requirement):
                    continue
                path = join_path("$.requirements", index)
                if item.id in seen:
                    problems.add(join_path(path, "id"), "repeats a requirement id", "duplicate")
                seen.add(item.id)
                for position, criterion in enumerate(item.criterion_ids):
                    if criterion not in self.criterion_ids:
                        problems.add(
                            join_path(join_path(path, "criterion_ids"), position),
                            "must be one of the criteria the standard sets (criterion_ids)",
                            "inconsistent",
                        )
        raise_problems(self, problems)

    def requirement(self, id: str) -> Requirement:
        """The requirement with that id.

        Examples:
            >>> ServiceStandard(requirements=[Requirement("R1", "Greet every customer")]
            ...     ).requirement("R1").wording
            'Greet every customer'

        Raises:
            NotFoundError: the standard has no such requirement.
        """
        for item in self.requirements:
            if item.id == id:
                return item
        raise NotFoundError("the standard has no requirement with that id")


# ---------------------------------------------------------------- procedures


@attrs.frozen
class ProcedureTrigger:
    """What starts a procedure: a routine problem or enquiry, and the cases it covers.

    Attributes:
        summary: the problem or enquiry, in words ("a customer asks for a refund").
        needs: the interaction needs it handles (`ServiceInteraction.needs`), or none named.
        complaint_categories: the complaint categories it handles (`Complaint.category`),
            or none named.
        channels: the channels it applies to (`Channel`), or every channel.

    Examples:
        >>> ProcedureTrigger("Goods arrived damaged", complaint_categories=["damaged_goods"]
        ...     ).complaint_categories
        ('damaged_goods',)

    Raises:
        ValidationError: every problem, with its path.
    """

    summary: str = attrs.field(default=REQUIRED, metadata=_TEXT)
    needs: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_tuple)
    complaint_categories: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_tuple)
    channels: tuple[Channel, ...] = attrs.field(default=(), kw_only=True, converter=_channels)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_wording(self.summary, "$.summary", problems)
        check_id_list(self.needs, "$.needs", problems, required=False)
        check_id_list(self.complaint_categories, "$.complaint_categories", problems, required=False)
        _check_channels(self.channels, "$.channels", problems)
        raise_problems(self, problems)


@attrs.frozen
class ProcedureStep:
    """One numbered step of a procedure.

    Attributes:
        number: its place among the procedure's steps, 1 for the first.
        instruction: what to do, in words.
        role: the role that does it, if not the procedure's owner.

    Examples:
        >>> ProcedureStep(1, "Check the receipt").role is None
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    number: int = attrs.field(default=REQUIRED, metadata=schema(minimum=1, maximum=1000))
    instruction: str = attrs.field(default=REQUIRED, metadata=_TEXT)
    role: str | None = attrs.field(default=None, kw_only=True, metadata=IDENTIFIER)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not is_integer(self.number) or not 1 <= self.number <= 1000:
            problems.add(
                "$.number",
                "must be a step number from 1 to 1000",
                "range" if is_integer(self.number) else "type",
            )
        _check_wording(self.instruction, "$.instruction", problems)
        check_id(self.role, "$.role", problems, optional=True)
        raise_problems(self, problems)


def _steps(value: Any) -> Any:
    """Steps given as texts are numbered in order."""
    if not isinstance(value, list | tuple):
        return value
    return tuple(
        ProcedureStep(index + 1, item) if isinstance(item, str) else item
        for index, item in enumerate(value)
    )


@attrs.frozen
class Escalation:
    """When a case under a procedure goes up, and to whom: after a time, on a condition, or both.

    Attributes:
        to_role: the role the case escalates to.
        after: how long after the procedure starts, still unresolved, it escalates (elapsed
            time), if it does so by time.
        condition: the condition that escalates it, in words ("the customer asks for a
            manager"), if it does so on a condition.

    Examples:
        >>> from datetime import timedelta
        >>> Escalation("area_manager", after=timedelta(days=2)).after.days
        2

    Raises:
        ValidationError: every problem, with its path: neither ``after`` nor ``condition``.
    """

    to_role: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    after: timedelta | None = attrs.field(
        default=None, kw_only=True, metadata=schema(minimum=0, maximum=3660 * 86_400)
    )
    condition: str | None = attrs.field(default=None, kw_only=True, metadata=_TEXT)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.to_role, "$.to_role", problems)
        check_duration(self.after, "$.after", problems, maximum=_MAX_ESCALATION)
        _check_wording(self.condition, "$.condition", problems, optional=True)
        if self.after is None and self.condition is None:
            problems.add("$.after", "give after, condition, or both", "required")
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class Procedure:
    """What a procedure says: its trigger, numbered steps, owner, escalations and standard.

    Steps may be given as texts; they are numbered in order.

    Attributes:
        trigger: the routine problem or enquiry that starts it (`ProcedureTrigger`).
        steps: its steps (`ProcedureStep`), numbered 1, 2, 3... in order; at least one.
        owner_role: the role that owns it and does the steps not given to another role.
        escalations: when and to whom a case escalates (`Escalation`), in order.
        implements: the version of the service standard it implements, if any.

    Examples:
        >>> from datetime import timedelta
        >>> refund = Procedure(
        ...     trigger=ProcedureTrigger("A customer asks for a refund", needs=["refund"]),
        ...     steps=["Check the receipt", "Refund to the original payment method"],
        ...     owner_role="store_manager",
        ...     escalations=[Escalation("area_manager", after=timedelta(days=2))],
        ...     implements=DocumentRef("SS-STORES", 1),
        ... )
        >>> [(step.number, step.instruction) for step in refund.steps][1]
        (2, 'Refund to the original payment method')

    Raises:
        ValidationError: every problem, with its path.
    """

    trigger: ProcedureTrigger = attrs.field(default=REQUIRED)
    steps: tuple[ProcedureStep, ...] = attrs.field(default=REQUIRED, converter=_steps)
    owner_role: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    escalations: tuple[Escalation, ...] = attrs.field(default=(), converter=_tuple)
    implements: DocumentRef | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.trigger, ProcedureTrigger):
            problems.add("$.trigger", "must be a ProcedureTrigger", "type")
        _check_items(self.steps, ProcedureStep, "$.steps", problems, required=True)
        if isinstance(self.steps, tuple):
            for index, step in enumerate(self.steps):
                if isinstance(step, ProcedureStep) and step.number != index + 1:
                    problems.add(
                        join_path(join_path("$.steps", index), "number"),
                        "must number the steps 1, 2, 3... in order",
                        "inconsistent",
                    )
        check_id(self.owner_role, "$.owner_role", problems)
        _check_items(self.escalations, Escalation, "$.escalations", problems, required=False)
        if self.implements is not None and not isinstance(self.implements, DocumentRef):
            problems.add("$.implements", "must be a DocumentRef or null", "type")
        raise_problems(self, problems)


# ---------------------------------------------------------------- duties


@attrs.frozen(kw_only=True)
class RoleDuties:
    """The duties and responsibilities of one role, the procedures it owns, whom it reports to.

    Attributes:
        role: the role (``"store_manager"``, ``"hotline_agent"``).
        duties: what the role does, each in words; at least one.
        responsibilities: what the role answers for (outcomes), each in words.
        procedures: the procedures it owns, by document id.
        reports_to: the role it reports to, if any.

    Examples:
        >>> agent = RoleDuties(role="hotline_agent",
        ...     duties=["Answer calls within the standard", "Log every enquiry"],
        ...     reports_to="hotline_supervisor")
        >>> agent.reports_to
        'hotline_supervisor'

    Raises:
        ValidationError: every problem, with its path: a role that reports to itself.
    """

    role: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    duties: tuple[str, ...] = attrs.field(default=REQUIRED, converter=_tuple)
    responsibilities: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    procedures: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    reports_to: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.role, "$.role", problems)
        _check_texts(self.duties, "$.duties", problems, required=True)
        _check_texts(self.responsibilities, "$.responsibilities", problems, required=False)
        check_id_list(self.procedures, "$.procedures", problems, required=False)
        check_id(self.reports_to, "$.reports_to", problems, optional=True)
        if self.reports_to is not None and self.reports_to == self.role:
            problems.add("$.reports_to", "must be another role than its own", "inconsistent")
        raise_problems(self, problems)


# ---------------------------------------------------------------- versions


class DocumentKind(StrEnum):
    """What a controlled document is.

    Examples:
        >>> DocumentKind("procedure").content_field
        'procedure'
    """

    SERVICE_STANDARD = "service_standard"
    """A service standard (`ServiceStandard`): scope, requirements and criteria."""
    PROCEDURE = "procedure"
    """A procedure for a routine problem or enquiry (`Procedure`)."""
    ROLE_DUTIES = "role_duties"
    """The duties and responsibilities of a role (`RoleDuties`)."""

    @property
    def content_field(self) -> str:
        """The field of a `DocumentVersion` that holds this kind's content.

        Examples:
            >>> DocumentKind.ROLE_DUTIES.content_field
            'duties'
        """
        return _FIELDS[self]


_CONTENT: Final[dict[DocumentKind, type]] = {
    DocumentKind.SERVICE_STANDARD: ServiceStandard,
    DocumentKind.PROCEDURE: Procedure,
    DocumentKind.ROLE_DUTIES: RoleDuties,
}
_FIELDS: Final = {
    DocumentKind.SERVICE_STANDARD: "standard",
    DocumentKind.PROCEDURE: "procedure",
    DocumentKind.ROLE_DUTIES: "duties",
}

Content = ServiceStandard | Procedure | RoleDuties
"""What one version of a controlled document says, by its kind."""


class CauseKind(StrEnum):
    """What kind of record a revision was made because of.

    Examples:
        >>> CauseKind("action").value
        'action'
    """

    FINDING = "finding"
    """A finding of a review (a criterion missed, a gap)."""
    ACTION = "action"
    """An improvement or corrective action."""
    COMPLAINT = "complaint"
    """A complaint."""
    REVIEW = "review"
    """A review cycle's decision."""


def _cause_kind(value: CauseKind | str) -> CauseKind:
    return lenient_enum(CauseKind, value)


@attrs.frozen
class ChangeCause:
    """The record a revision was made because of: a finding, an action, a complaint, a review.

    Attributes:
        kind: what kind of record it is (`CauseKind`).
        id: its identifier.

    Examples:
        >>> ChangeCause("action", "ACT-12")
        ChangeCause(kind=<CauseKind.ACTION: 'action'>, id='ACT-12')

    Raises:
        ValidationError: every problem, with its path.
    """

    kind: CauseKind = attrs.field(default=REQUIRED, converter=_cause_kind)
    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_enum(self.kind, CauseKind, "$.kind", problems)
        check_id(self.id, "$.id", problems)
        raise_problems(self, problems)


Causes = ChangeCause | tuple[str, str] | Iterable[ChangeCause | tuple[str, str]]
"""What a revision was made because of: one `ChangeCause`, a ``(kind, id)`` pair, or a list."""


def _causes(value: Any) -> Any:
    """One cause, a ``(kind, id)`` pair, or a list of either, as a tuple of `ChangeCause`."""
    if value is None:
        return ()
    if isinstance(value, ChangeCause):
        return (value,)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        value = [value]
    if not isinstance(value, list | tuple):
        return value
    found: list[Any] = []
    for item in value:
        if isinstance(item, list | tuple) and len(item) == 2:
            with suppress(ValidationError):  # if not, validation reports it with its path
                item = ChangeCause(*item)
        found.append(item)
    return tuple(found)


@attrs.frozen(kw_only=True)
class DocumentChange:
    """Why a version was made: the reason, who wrote it (a role), what it answers.

    Attributes:
        reason: why, in words (not personal data: name no one).
        author_role: the role of whoever wrote the version.
        because: the findings, actions, complaints or reviews it was made because of
            (`ChangeCause`); a ``(kind, id)`` pair or a list of them is accepted.

    Examples:
        >>> DocumentChange(reason="refunds took too long", author_role="quality_manager",
        ...     because=("action", "ACT-12")).because
        (ChangeCause(kind=<CauseKind.ACTION: 'action'>, id='ACT-12'),)

    Raises:
        ValidationError: every problem, with its path.
    """

    reason: str = attrs.field(default=REQUIRED, metadata=_TEXT)
    author_role: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    because: tuple[ChangeCause, ...] = attrs.field(default=(), converter=_causes)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_wording(self.reason, "$.reason", problems)
        check_id(self.author_role, "$.author_role", problems)
        if not isinstance(self.because, tuple):
            problems.add("$.because", "must be a list of ChangeCause", "type")
        else:
            for index, cause in enumerate(self.because):
                path = join_path("$.because", index)
                if isinstance(cause, ChangeCause):
                    if cause in self.because[:index]:
                        problems.add(path, "repeats a cause", "duplicate")
                elif isinstance(cause, list | tuple) and len(cause) == 2:
                    try:
                        ChangeCause(*cause)
                    except ValidationError as error:  # the pair's own problems, at its path
                        problems.extend(_under(path, problem) for problem in error.problems)
                else:
                    problems.add(path, "must be a ChangeCause or a (kind, id) pair", "type")
        raise_problems(self, problems)


@attrs.frozen(kw_only=True)
class DocumentVersion:
    """One version of a controlled document: what it said from ``effective_from`` on.

    It holds exactly one content, in the field of its kind: ``standard``,
    ``procedure`` or ``duties``; `content` gives it whichever it is.

    Attributes:
        number: its place among the document's versions, 1 for the first.
        effective_from: the instant it takes effect (timezone-aware).
        title: the document's title in this version.
        standard: what a service standard says (`ServiceStandard`), for that kind.
        procedure: what a procedure says (`Procedure`), for that kind.
        duties: what a role's duties say (`RoleDuties`), for that kind.
        change: why this version was made (`DocumentChange`); required from the second
            version on, optional for the first.

    Examples:
        >>> from datetime import datetime, timezone
        >>> version = DocumentVersion(
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     title="Hotline agent", duties=RoleDuties(role="hotline_agent",
        ...     duties=["Answer calls within the standard"]))
        >>> version.kind, version.content.role
        (<DocumentKind.ROLE_DUTIES: 'role_duties'>, 'hotline_agent')

    Raises:
        ValidationError: every problem, with its path: no content, or more than one.
    """

    number: int = attrs.field(default=1, metadata=schema(minimum=1, maximum=_MAX_VERSION))
    effective_from: datetime = attrs.field(default=REQUIRED)
    title: str = attrs.field(default=REQUIRED, metadata=_TITLE)
    standard: ServiceStandard | None = None
    procedure: Procedure | None = None
    duties: RoleDuties | None = None
    change: DocumentChange | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not is_integer(self.number) or not 1 <= self.number <= _MAX_VERSION:
            problems.add(
                "$.number",
                f"must be a version number from 1 to {_MAX_VERSION}",
                "range" if is_integer(self.number) else "type",
            )
        check_aware(self.effective_from, "$.effective_from", problems)
        _check_wording(self.title, "$.title", problems, limit=_MAX_TITLE)
        given = []
        for kind, name in _FIELDS.items():
            value = getattr(self, name)
            if value is None:
                continue
            given.append(name)
            if not isinstance(value, _CONTENT[kind]):
                problems.add(f"$.{name}", f"must be a {_CONTENT[kind].__name__} or null", "type")
        if not given:
            problems.add(
                "$.standard", "give the content: one of standard, procedure or duties", "required"
            )
        for name in given[1:]:
            problems.add(
                f"$.{name}",
                "must be null: a version holds one content (standard, procedure or duties)",
                "inconsistent",
            )
        if self.change is not None and not isinstance(self.change, DocumentChange):
            problems.add("$.change", "must be a DocumentChange or null", "type")
        raise_problems(self, problems)

    @property
    def kind(self) -> DocumentKind:
        """The kind of document its content is.

        Examples:
            >>> from datetime import datetime, timezone
            >>> DocumentVersion(effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     title="Service standard", standard=ServiceStandard(
            ...     requirements=[Requirement("R1", "Greet every customer")])).kind.value
            'service_standard'
        """
        return next(kind for kind, name in _FIELDS.items() if getattr(self, name) is not None)

    @property
    def content(self) -> Content:
        """What the version says: its `ServiceStandard`, `Procedure` or `RoleDuties`.

        Examples:
            >>> from datetime import datetime, timezone
            >>> DocumentVersion(effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     title="Store manager", duties=RoleDuties(role="store_manager",
            ...     duties=["Approve refunds"])).content.duties
            ('Approve refunds',)
        """
        found: Content = getattr(self, _FIELDS[self.kind])
        return found


def _changed(before: DocumentVersion, after: DocumentVersion) -> tuple[str, ...]:
    """The fields that differ between two versions: ``title`` and the content's own fields."""
    names = ["title"] if before.title != after.title else []
    old, new = before.content, after.content
    names += [
        field.name
        for field in attrs.fields(type(new))
        if getattr(old, field.name) != getattr(new, field.name)
    ]
    return tuple(names)


@attrs.frozen(kw_only=True)
class DocumentRevision(Tabular):
    """One version in a document's history: when it applied, what it changed and why.

    Attributes:
        document_id: the document's identifier.
        kind: what the document is (`DocumentKind`).
        number: the version's number.
        effective_from: the instant it took effect.
        effective_until: the instant the next version took effect or the document was
            withdrawn, or ``None`` while it is in force.
        title: the title in this version.
        changed: the fields it changed from the version before (``title`` and the content's
            fields), computed from the two versions; empty for the first version.
        reason: why it was made, if recorded.
        author_role: the role of whoever wrote it, if recorded.
        because: the findings, actions, complaints or reviews it was made because of.

    Examples:
        >>> from datetime import datetime, timezone
        >>> duties = ControlledDocument.create(
        ...     id="ROLE-AGENT", title="Hotline agent",
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
        >>> [row["number"] for row in duties.history().to_records()]
        [1]
    """

    document_id: str
    kind: DocumentKind
    number: int
    effective_from: datetime
    effective_until: datetime | None
    title: str
    changed: tuple[str, ...]
    reason: str | None
    author_role: str | None
    because: tuple[ChangeCause, ...]


def _versions(value: Iterable[DocumentVersion]) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _kind(value: DocumentKind | str) -> DocumentKind:
    return lenient_enum(DocumentKind, value)


@attrs.frozen(kw_only=True)
class ControlledDocument(Tabular):
    """A service standard, a procedure or a role's duties, and every version of it.

    Build one with `ControlledDocument.create`; edit it with `revise`, which
    adds a version taking effect at an instant and says why (earlier
    versions stay); withdraw it with `withdraw`. `in_force` gives the version
    that applied at an instant (or ``None``), `version_in_force` the same or
    an error, `ref` the `DocumentRef` naming it, `resolve` the version a
    `DocumentRef` names. Its record has one row: the current version's number,
    title and instant.

    Attributes:
        id: the document's identifier.
        kind: what it is (`DocumentKind`); every version holds content of this kind.
        versions: its versions, numbered 1, 2, 3... in the order they take effect.
        ends_at: when it was withdrawn, if it was; no version applies from then.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> agent = ControlledDocument.create(
        ...     id="ROLE-AGENT", title="Hotline agent",
        ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
        >>> from_json(to_json(agent), ControlledDocument) == agent
        True
        >>> agent.to_records()[0]["current_number"]
        1

    Raises:
        ValidationError: every problem, with its path: versions not numbered 1 to n in
            the order they take effect, content of another kind, a revision without its
            change, an end before the latest version.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    kind: DocumentKind = attrs.field(default=REQUIRED, converter=_kind)
    versions: tuple[DocumentVersion, ...] = attrs.field(
        default=REQUIRED, converter=_versions, metadata={"records": False}
    )
    ends_at: datetime | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_enum(self.kind, DocumentKind, "$.kind", problems)
        if not isinstance(self.versions, tuple):
            problems.add("$.versions", "must be a list of DocumentVersion", "type")
        elif not self.versions:
            problems.add("$.versions", "must hold at least the first version", "required")
        else:
            self._check_versions(problems)
        check_end(self.ends_at, self.versions, DocumentVersion, problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    def _check_versions(self, problems: Problems) -> None:
        last: datetime | None = None
        for index, item in enumerate(self.versions):
            path = join_path("$.versions", index)
            if not isinstance(item, DocumentVersion):
                problems.add(path, "must be a DocumentVersion", "type")
                continue
            if item.number != index + 1:
                problems.add(
                    join_path(path, "number"),
                    "must number the versions 1, 2, 3... in order",
                    "inconsistent",
                )
            if isinstance(self.kind, DocumentKind) and item.kind is not self.kind:
                problems.add(
                    join_path(path, item.kind.content_field),
                    f"must be null: the document is a {self.kind.value}, its content goes in "
                    f"{self.kind.content_field}",
                    "inconsistent",
                )
            if index and item.change is None:
                problems.add(
                    join_path(path, "change"),
                    "is required from the second version on: say why it was made",
                    "required",
                )
            moment = _instant(item.effective_from)
            if last is not None and moment <= last:
                problems.add(
                    join_path(path, "effective_from"),
                    "must be later than the version before it",
                    "inconsistent",
                )
            last = moment

    @classmethod
    def create(
        cls,
        *,
        id: str,
        effective_from: datetime,
        title: str,
        content: Content,
        change: DocumentChange | None = None,
    ) -> ControlledDocument:
        """A new document with its first version; its kind is its content's.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ControlledDocument.create(
            ...     id="ROLE-MANAGER", title="Store manager",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="store_manager", duties=["Approve refunds"]),
            ... ).kind
            <DocumentKind.ROLE_DUTIES: 'role_duties'>

        Raises:
            ValidationError: every problem, with its path (``$.versions[0]...``
                for the version's fields, ``$.content`` for content of no kind).
        """
        problems = Problems()
        check_id(id, "$.id", problems)
        kind = next((k for k, t in _CONTENT.items() if isinstance(content, t)), None)
        if kind is None:
            problems.add("$.content", "must be a ServiceStandard, Procedure or RoleDuties", "type")
            fields: dict[str, Any] = {"standard": None}
        else:
            fields = {kind.content_field: content}
        try:
            first = DocumentVersion(
                number=1, effective_from=effective_from, title=title, change=change, **fields
            )
        except ValidationError as error:
            problems.extend(
                attrs.evolve(problem, path="$.versions[0]" + problem.path[1:])
                for problem in error.problems
                if kind is not None or problem.path != "$.standard"
            )
        problems.raise_if_any()
        return cls(id=id, kind=first.kind, versions=(first,))

    def revise(
        self,
        *,
        effective_from: datetime,
        reason: str,
        author_role: str,
        because: Causes = (),
        **changes: Any,
    ) -> ControlledDocument:
        """A new document with one more version, taking effect at ``effective_from``.

        The new version copies the current one with ``changes``: ``title`` and any
        field of the content (``requirements``, ``steps``, ``escalations``,
        ``duties``...), and records why (`DocumentChange`: ``reason``,
        ``author_role`` and ``because``, a ``(kind, id)`` pair such as
        ``("action", "ACT-12")`` or a list of them). It must change something,
        take effect after the current version, and the document must not be
        withdrawn.

        Examples:
            >>> from datetime import datetime, timezone
            >>> agent = ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
            >>> revised = agent.revise(effective_from=datetime(2026, 4, 1, tzinfo=timezone.utc),
            ...     reason="callers asked for a summary", author_role="hotline_supervisor",
            ...     because=("finding", "F-2026Q1-3"),
            ...     duties=["Answer calls", "Send a summary after each call"])
            >>> revised.current.number, revised.current.change.because[0].id
            (2, 'F-2026Q1-3')

        Raises:
            ValidationError: an unknown field (``$.changes.<name>``), no change at all
                (``$.changes``), bad values, or an instant not after the current version's.
            InvalidTransitionError: the document is withdrawn.
        """
        if self.ends_at is not None:
            raise InvalidTransitionError(
                "cannot revise a document that is withdrawn: issue a new document instead"
            )
        current = self.current
        content = current.content
        allowed = {"title"} | {field.name for field in attrs.fields(type(content))}
        problems = Problems()
        for name in sorted(name for name in changes if name not in allowed):
            problems.add(
                f"$.changes.{name}",
                "is not a field of this document: " + ", ".join(sorted(allowed)),
                "unknown_field",
            )
        inner = {k: v for k, v in changes.items() if k in allowed and k != "title"}
        try:
            content = attrs.evolve(content, **inner)
        except ValidationError as error:
            problems.extend(_under("$.changes", problem) for problem in error.problems)
        try:
            change: DocumentChange | None = DocumentChange(
                reason=reason, author_role=author_role, because=because
            )
        except ValidationError as error:
            change = None
            problems.extend(error.problems)
        held: dict[str, Any] = {current.kind.content_field: content}
        try:
            following = attrs.evolve(
                current,
                number=current.number + 1,
                effective_from=effective_from,
                title=changes.get("title", current.title),
                change=change,
                **held,
            )
        except ValidationError as error:
            problems.extend(_renamed(problem) for problem in error.problems)
        else:
            if not problems and not _changed(current, following):
                problems.add(
                    "$.changes",
                    "must change the document: the new version says what the current one does",
                    "required",
                )
            if not problems and _instant(following.effective_from) <= _instant(
                current.effective_from
            ):
                problems.add(
                    "$.effective_from",
                    "must be later than the current version takes effect",
                    "inconsistent",
                )
        problems.raise_if_any()
        return attrs.evolve(self, versions=(*self.versions, following))

    def withdraw(self, *, at: datetime) -> ControlledDocument:
        """The document withdrawn from ``at``: no version applies from then on.

        Examples:
            >>> from datetime import datetime, timezone
            >>> agent = ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]),
            ... ).withdraw(at=datetime(2027, 1, 1, tzinfo=timezone.utc))
            >>> agent.in_force(datetime(2027, 2, 1, tzinfo=timezone.utc)) is None
            True

        Raises:
            ValidationError: ``at`` is not an aware datetime after the latest version
                takes effect.
            InvalidTransitionError: the document is withdrawn already.
        """
        check_withdrawal(self.ends_at, self.current.effective_from, at, "document")
        return attrs.evolve(self, ends_at=at)

    @property
    def current(self) -> DocumentVersion:
        """The latest version.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]),
            ... ).current.title
            'Hotline agent'
        """
        return self.versions[-1]

    @property
    def current_number(self) -> int:
        """The latest version's number.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]),
            ... ).current_number
            1
        """
        return self.current.number

    @property
    def title(self) -> str:
        """The latest version's title.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]),
            ... ).title
            'Hotline agent'
        """
        return self.current.title

    @property
    def effective_from(self) -> datetime:
        """When the first version took effect.

        Examples:
            >>> from datetime import datetime, timezone
            >>> start = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent", effective_from=start,
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]),
            ... ).effective_from == start
            True
        """
        return self.versions[0].effective_from

    def in_force(self, at: datetime) -> DocumentVersion | None:
        """The version in force at the instant ``at``: the last one taking effect at or
        before it; ``None`` before the first or once withdrawn.

        Instants are compared as instants: a complaint received at 01:30 in the
        second (GMT) pass of a repeated London hour came after one at 01:45 in
        the first (BST) pass.

        Examples:
            >>> from datetime import datetime, timezone
            >>> agent = ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
            >>> agent.in_force(datetime(2025, 12, 31, tzinfo=timezone.utc)) is None
            True

        Raises:
            ValidationError: ``at`` is not an aware datetime in the supported range.
        """
        return version_at(self.versions, self.ends_at, at)

    def version_in_force(self, at: datetime) -> DocumentVersion:
        """The version in force at the instant ``at``, as `in_force`, or an error if none is.

        Examples:
            >>> from datetime import datetime, timezone
            >>> agent = ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
            >>> agent.version_in_force(datetime(2026, 6, 1, tzinfo=timezone.utc)).number
            1

        Raises:
            ValidationError: ``at`` is not an aware datetime in the supported range.
            NotFoundError: no version was in force then (before the first, or withdrawn).
        """
        found = self.in_force(at)
        if found is None:
            raise NotFoundError(
                f"no version of the document {self.id!r} was in force at that instant"
            )
        return found

    def ref(self, at: datetime) -> DocumentRef:
        """The `DocumentRef` naming the version in force at the instant ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]),
            ... ).ref(datetime(2026, 6, 1, tzinfo=timezone.utc))
            DocumentRef(document_id='ROLE-AGENT', version=1)

        Raises:
            ValidationError: ``at`` is not an aware datetime in the supported range.
            NotFoundError: no version was in force then.
        """
        return DocumentRef(self.id, self.version_in_force(at).number)

    def version_numbered(self, number: int) -> DocumentVersion:
        """The version with that number.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]),
            ... ).version_numbered(1).title
            'Hotline agent'

        Raises:
            ValidationError: ``number`` is not an integer.
            NotFoundError: the document has no version of that number.
        """
        if not is_integer(number):
            raise ValidationError.single("$.number", "must be a version number", "type")
        if not 1 <= number <= len(self.versions):
            raise NotFoundError(f"the document {self.id!r} has no version of that number")
        return self.versions[number - 1]

    def resolve(self, ref: DocumentRef) -> DocumentVersion:
        """The exact version a `DocumentRef` names.

        Examples:
            >>> from datetime import datetime, timezone
            >>> agent = ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
            >>> agent.resolve(DocumentRef("ROLE-AGENT", 1)).number
            1

        Raises:
            ValidationError: ``ref`` is not a `DocumentRef`.
            NotFoundError: it names another document, or a version this one does not have.
        """
        if not isinstance(ref, DocumentRef):
            raise ValidationError.single("$.ref", "must be a DocumentRef", "type")
        if ref.document_id != self.id:
            raise NotFoundError(f"the reference names another document than {self.id!r}")
        return self.version_numbered(ref.version)

    def reference(
        self, version: int | None = None, *, requirement: str | None = None
    ) -> StandardReference:
        """The `StandardReference` a `PerformanceCriterion` carries for a version of this
        service standard (the current one by default): its id, the version number as text,
        and the requirement's wording as the clause, if one is named.

        Examples:
            >>> from datetime import datetime, timezone
            >>> standard = ControlledDocument.create(
            ...     id="SS-HOTLINE", title="Hotline service standard",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=ServiceStandard(requirements=[
            ...         Requirement("R1", "Answer calls promptly")]))
            >>> standard.reference(requirement="R1")
            StandardReference(id='SS-HOTLINE', version='1', clause='Answer calls promptly')

        Raises:
            ValidationError: the document is not a service standard.
            NotFoundError: no such version, or no such requirement in it.
        """
        if self.kind is not DocumentKind.SERVICE_STANDARD:
            raise ValidationError.single(
                "$.kind", "must be a service standard: only standards set criteria", "inconsistent"
            )
        chosen = self.current if version is None else self.version_numbered(version)
        clause = None
        if requirement is not None:
            standard = cast(ServiceStandard, chosen.content)  # the document's kind says so
            clause = standard.requirement(requirement).wording
        return StandardReference(self.id, version=str(chosen.number), clause=clause)

    def changed_fields(self, number: int) -> tuple[str, ...]:
        """The fields version ``number`` changed from the one before it (empty for the first).

        Examples:
            >>> from datetime import datetime, timezone
            >>> agent = ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
            >>> agent.revise(effective_from=datetime(2026, 2, 1, tzinfo=timezone.utc),
            ...     reason="new reporting line", author_role="hotline_supervisor",
            ...     title="Hotline agent (retail)", reports_to="hotline_supervisor",
            ... ).changed_fields(2)
            ('title', 'reports_to')

        Raises:
            ValidationError: ``number`` is not an integer.
            NotFoundError: the document has no version of that number.
        """
        version = self.version_numbered(number)
        if number == 1:
            return ()
        return _changed(self.versions[number - 2], version)

    def history(self) -> RecordList[DocumentRevision]:
        """Every version, in order: when it applied, the fields it changed, why, by whom.

        Examples:
            >>> from datetime import datetime, timezone
            >>> agent = ControlledDocument.create(
            ...     id="ROLE-AGENT", title="Hotline agent",
            ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     content=RoleDuties(role="hotline_agent", duties=["Answer calls"]))
            >>> revised = agent.revise(effective_from=datetime(2026, 2, 1, tzinfo=timezone.utc),
            ...     reason="callers waited for call-backs", author_role="quality_manager",
            ...     because=("action", "ACT-7"), duties=["Answer calls", "Return calls"])
            >>> [(row.number, row.changed, row.reason) for row in revised.history()]
            [(1, (), None), (2, ('duties',), 'callers waited for call-backs')]
        """
        rows = []
        for index, item in enumerate(self.versions):
            following = self.versions[index + 1] if index + 1 < len(self.versions) else None
            change = item.change
            rows.append(
                DocumentRevision(
                    document_id=self.id,
                    kind=self.kind,
                    number=item.number,
                    effective_from=item.effective_from,
                    effective_until=self.ends_at if following is None else following.effective_from,
                    title=item.title,
                    changed=self.changed_fields(item.number),
                    reason=None if change is None else change.reason,
                    author_role=None if change is None else change.author_role,
                    because=() if change is None else change.because,
                )
            )
        return RecordList(DocumentRevision, rows)


def _under(prefix: str, problem: Problem) -> Problem:
    """A content's problem at its path among ``revise``'s changes."""
    return attrs.evolve(problem, path=prefix + problem.path[1:])


def _renamed(problem: Problem) -> Problem:
    """A new version's problem at the path of the argument of ``revise`` that caused it."""
    if problem.path == "$.title":
        return attrs.evolve(problem, path="$.changes.title")
    return problem


# ---------------------------------------------------------------- JSON


def _document_hook(converter: Any) -> Any:
    read = converter.get_structure_hook(ControlledDocument)

    def hook(data: object, kind: type) -> ControlledDocument:
        try:
            return read(data, kind)  # type: ignore[no-any-return]
        except ValidationError as error:
            known = {(problem.path, problem.code) for problem in error.problems}
            extra = [
                problem
                for problem in _history_problems(converter, data)
                if (problem.path, problem.code) not in known
            ]
            if not extra:
                raise
            raise ValidationError([*error.problems, *extra]) from None

    return hook


def _version_hook(converter: Any) -> Any:
    read = converter.get_structure_hook(DocumentVersion)

    def hook(data: object, kind: type) -> DocumentVersion:
        try:
            return read(data, kind)  # type: ignore[no-any-return]
        except ValidationError as error:
            given = isinstance(data, dict) and any(
                data.get(name) is not None for name in _FIELDS.values()
            )
            if not given:
                raise
            # A content that failed to read is no missing content.
            kept = [
                problem
                for problem in error.problems
                if (problem.path, problem.code) != ("$.standard", "required")
            ]
            raise ValidationError(kept) from None

    return hook


# Versions out of order are reported in the same round as a version that fails to read.
default_converter().register_structure_hook(ControlledDocument, _document_hook(default_converter()))
default_converter().register_structure_hook(DocumentVersion, _version_hook(default_converter()))
