"""Service pledges: promises to customers with a measurable standard, kept in versions.

A `ServicePledge` is what the retailer publishes ("90% of hotline calls
answered within 30 seconds", "every complaint resolved within 5 working
days"): its wording, the standard it measures (`PledgeStandard`: a threshold
on a measure of interactions or complaints), the share of cases it promises
(or every case), the cases it covers (`PledgeScope`: channels, stores,
business units, customer tiers) and when it applies.

A pledge is edited by adding a version (`ServicePledge.revise`) that takes
effect at an instant; the earlier versions stay, so each case is measured
against the version in force when it began (a call when it arrived, a
complaint when it was received), and a pledge edited mid-year keeps the old
version for the cases it covered. `ServicePledge.in_force` answers which
version that is.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> pledge = ServicePledge.create(
    ...     id="hotline-answer",
    ...     effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...     wording="We answer 90% of hotline calls within 30 seconds.",
    ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
    ...     target_share=0.9,
    ...     scope=PledgeScope(channels=["hotline"]),
    ... )
    >>> later = pledge.revise(
    ...     effective_from=datetime(2026, 7, 1, tzinfo=timezone.utc),
    ...     reason="raised after the new phone system",
    ...     wording="We answer 90% of hotline calls within 20 seconds.",
    ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
    ... )
    >>> later.in_force(datetime(2026, 3, 1, tzinfo=timezone.utc)).standard.within
    datetime.timedelta(seconds=30)
    >>> later.in_force(datetime(2026, 8, 1, tzinfo=timezone.utc)).standard.within
    datetime.timedelta(seconds=20)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.schema import IDENTIFIER, VERSION
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    check_id_list,
    check_text,
    check_version,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.calendar import BusinessCalendar
from retail_service_quality.errors import (
    InvalidTransitionError,
    Problem,
    Problems,
    ValidationError,
    join_path,
)
from retail_service_quality.quality._versions import check_end, check_withdrawal, version_at
from retail_service_quality.serialization._converter import default_converter
from retail_service_quality.service.interactions import Channel

__all__ = [
    "PledgeMeasure",
    "PledgeScope",
    "PledgeStandard",
    "PledgeVersion",
    "ServicePledge",
]

_MAX_DAYS: Final = 3660
_MAX_WORDING: Final = 2000


class PledgeMeasure(StrEnum):
    """What a pledge measures.

    Examples:
        >>> PledgeMeasure("resolution").value
        'resolution'
    """

    ANSWER_TIME = "answer_time"
    """Hotline calls: the time an inbound call waited in the queue before it was answered."""
    ACKNOWLEDGEMENT = "acknowledgement"
    """Complaints: from receipt to the first acknowledgement, in business time or working days."""
    RESOLUTION = "resolution"
    """Complaints: from receipt to closure, its clock stops excluded, in business time or
    working days."""


_COMPLAINT_MEASURES: Final = frozenset({PledgeMeasure.ACKNOWLEDGEMENT, PledgeMeasure.RESOLUTION})


def _measure(value: PledgeMeasure | str) -> PledgeMeasure:
    return lenient_enum(PledgeMeasure, value)


@attrs.frozen
class PledgeStandard:
    """The measured standard: a threshold on one measure of interactions or complaints.

    An answer-time standard is elapsed time (``within``: "within 30
    seconds"). A complaint standard is business time on the pledge's
    calendar (``within``: "within 8 business hours") or a number of working
    days (``working_days``: "within 5 working days", ending at the close of
    the last open period of the n-th working day after the day received).

    Attributes:
        measure: what is measured (`PledgeMeasure`).
        within: the time allowed, if measured in time.
        working_days: the working days allowed, for a complaint measure, if measured in days.

    Examples:
        >>> PledgeStandard("acknowledgement", working_days=1).working_days
        1

    Raises:
        ValidationError: every problem, with its path.
    """

    measure: PledgeMeasure = attrs.field(default=REQUIRED, converter=_measure)
    within: timedelta | None = attrs.field(default=None, kw_only=True)
    working_days: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_enum(self.measure, PledgeMeasure, "$.measure", problems)
        if (self.within is None) == (self.working_days is None):
            problems.add("$.within", "give exactly one of within and working_days", "required")
        if self.within is not None and (
            not isinstance(self.within, timedelta)
            or not timedelta(0) < self.within <= timedelta(days=_MAX_DAYS)
        ):
            problems.add(
                "$.within",
                f"must be a positive duration of at most {_MAX_DAYS} days",
                "range" if isinstance(self.within, timedelta) else "type",
            )
        days = self.working_days
        if days is not None:
            if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= _MAX_DAYS:
                problems.add(
                    "$.working_days",
                    f"must be an integer from 1 to {_MAX_DAYS}",
                    "range" if isinstance(days, int) and not isinstance(days, bool) else "type",
                )
            elif self.measure is PledgeMeasure.ANSWER_TIME:
                problems.add(
                    "$.working_days",
                    "an answer-time standard is measured in time (within), not working days",
                    "inconsistent",
                )
        raise_problems(self, problems)


def _ids(value: Iterable[str]) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _channels(value: Iterable[Channel | str]) -> Any:
    if isinstance(value, list | tuple):
        return tuple(lenient_enum(Channel, item) for item in value)
    return value


@attrs.frozen(kw_only=True)
class PledgeScope:
    """The cases a pledge covers; an empty list covers every value.

    Attributes:
        channels: the channels covered (`Channel`), or every channel.
        store_ids: the stores covered, or every store.
        business_units: the business units covered (each store's unit is given when
            attainment is computed), or every unit.
        tiers: the customer tiers covered, or every customer (and anonymous cases).

    Examples:
        >>> scope = PledgeScope(channels=["hotline"], tiers=["gold", "vip"])
        >>> scope.channels, scope.covers_everyone
        ((<Channel.HOTLINE: 'hotline'>,), False)

    Raises:
        ValidationError: every problem, with its path.
    """

    channels: tuple[Channel, ...] = attrs.field(default=(), converter=_channels)
    store_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    business_units: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    tiers: tuple[str, ...] = attrs.field(default=(), converter=_ids)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.channels, tuple):
            problems.add("$.channels", "must be a list of channels", "type")
        else:
            seen: set[Channel] = set()
            for index, channel in enumerate(self.channels):
                path = join_path("$.channels", index)
                check_enum(channel, Channel, path, problems)
                if isinstance(channel, Channel):
                    if channel in seen:
                        problems.add(path, "repeats a channel", "duplicate")
                    seen.add(channel)
        check_id_list(self.store_ids, "$.store_ids", problems, required=False)
        check_id_list(self.business_units, "$.business_units", problems, required=False)
        check_id_list(self.tiers, "$.tiers", problems, required=False)
        raise_problems(self, problems)

    @property
    def covers_everyone(self) -> bool:
        """Whether the scope names nothing, and so covers every case.

        Examples:
            >>> PledgeScope().covers_everyone
            True
        """
        return not (self.channels or self.store_ids or self.business_units or self.tiers)


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@attrs.frozen(kw_only=True)
class PledgeVersion:
    """One version of a pledge: what it promised from ``effective_from`` until the next version.

    Attributes:
        number: its place among the pledge's versions, 1 for the first.
        effective_from: the instant it takes effect (timezone-aware).
        wording: the pledge as published, in the customer's words (not personal data).
        standard: the measured standard (`PledgeStandard`).
        target_share: the share of cases promised to meet the standard (0.9 for 90%), or
            ``None`` for a pledge on every case.
        scope: the cases it covers (`PledgeScope`).
        calendar: the business calendar its business time and working days count on;
            required for a complaint standard, unused for answer time.
        reason: why this version was made (the finding or decision behind it), if recorded.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import BusinessCalendar
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> version = PledgeVersion(
        ...     number=1, effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     wording="Every complaint resolved within 5 working days.",
        ...     standard=PledgeStandard("resolution", working_days=5), calendar=desk,
        ... )
        >>> version.every_case
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    number: int = 1
    effective_from: datetime = attrs.field(default=REQUIRED)
    wording: str = attrs.field(default=REQUIRED)
    standard: PledgeStandard = attrs.field(default=REQUIRED)
    target_share: float | None = None
    scope: PledgeScope = attrs.field(factory=PledgeScope)
    calendar: BusinessCalendar | None = None
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        number = self.number
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 10_000:
            problems.add("$.number", "must be an integer from 1 to 10000", "type")
        check_aware(self.effective_from, "$.effective_from", problems)
        check_text(self.wording, "$.wording", problems)
        if isinstance(self.wording, str) and not 0 < len(self.wording.strip()) <= _MAX_WORDING:
            problems.add(
                "$.wording", f"must be published text of 1 to {_MAX_WORDING} characters", "range"
            )
        if not isinstance(self.standard, PledgeStandard):
            problems.add("$.standard", "must be a PledgeStandard", "type")
        if self.target_share is not None:
            if isinstance(self.target_share, bool):
                problems.add("$.target_share", "must be a number, not true or false", "type")
            else:
                check_number(self.target_share, "$.target_share", problems, low=0, high=1)
                if isinstance(self.target_share, int | float) and self.target_share == 0:
                    problems.add(
                        "$.target_share", "must be more than 0: a pledge of nothing", "range"
                    )
        if not isinstance(self.scope, PledgeScope):
            problems.add("$.scope", "must be a PledgeScope", "type")
        if self.calendar is not None and not isinstance(self.calendar, BusinessCalendar):
            problems.add("$.calendar", "must be a BusinessCalendar or null", "type")
        elif (
            self.calendar is None
            and isinstance(self.standard, PledgeStandard)
            and self.standard.measure in _COMPLAINT_MEASURES
        ):
            problems.add(
                "$.calendar",
                "is required for a complaint standard: its business time and working days "
                "count on it",
                "required",
            )
        check_text(self.reason, "$.reason", problems, optional=True)
        raise_problems(self, problems)

    @property
    def every_case(self) -> bool:
        """Whether it promises the standard for every case (no target share).

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> PledgeVersion(effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="90% of calls answered within 30 seconds.", target_share=0.9,
            ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
            ... ).every_case
            False
        """
        return self.target_share is None

    @property
    def target(self) -> float:
        """The share of cases promised: the target share, or 1.0 for a pledge on every case.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> PledgeVersion(effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... ).target
            1.0
        """
        return 1.0 if self.target_share is None else float(self.target_share)


def _versions(value: Iterable[PledgeVersion]) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class ServicePledge(Tabular):
    """A published service pledge and every version of it.

    Build one with `ServicePledge.create`; edit it with `revise`, which adds a
    version taking effect at an instant (earlier versions stay, for the cases
    they covered); withdraw it with `withdraw`. `in_force` gives the version
    that applied at an instant. Its record has one row with the current
    version's wording, measure, threshold and target.

    Attributes:
        id: the pledge's identifier.
        versions: its versions, numbered 1, 2, 3... in the order they take effect.
        ends_at: when it was withdrawn, if it was; no version applies from then.
        version: the record's version; storage increments it on every save.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import BusinessCalendar
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> pledge = ServicePledge.create(
        ...     id="complaint-ack", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     wording="We acknowledge 95% of complaints within 1 working day.",
        ...     standard=PledgeStandard("acknowledgement", working_days=1),
        ...     target_share=0.95, calendar=desk,
        ... )
        >>> from_json(to_json(pledge), ServicePledge) == pledge
        True
        >>> pledge.to_records()[0]["target"]
        0.95

    Raises:
        ValidationError: every problem, with its path: versions not numbered 1 to n in
            the order they take effect, an end before the first version.
    """

    id: str = attrs.field(default=REQUIRED, metadata=IDENTIFIER)
    versions: tuple[PledgeVersion, ...] = attrs.field(
        default=REQUIRED, converter=_versions, metadata={"records": False}
    )
    ends_at: datetime | None = None
    version: int = attrs.field(default=1, metadata=VERSION)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        if not isinstance(self.versions, tuple):
            problems.add("$.versions", "must be a list of PledgeVersion", "type")
        elif not self.versions:
            problems.add("$.versions", "must hold at least the first version", "required")
        else:
            last: datetime | None = None
            for index, item in enumerate(self.versions):
                path = join_path("$.versions", index)
                if not isinstance(item, PledgeVersion):
                    problems.add(path, "must be a PledgeVersion", "type")
                    continue
                if item.number != index + 1:
                    problems.add(
                        join_path(path, "number"),
                        "must number the versions 1, 2, 3... in order",
                        "inconsistent",
                    )
                moment = _instant(item.effective_from)
                if last is not None and moment <= last:
                    problems.add(
                        join_path(path, "effective_from"),
                        "must be later than the version before it",
                        "inconsistent",
                    )
                last = moment
        check_end(self.ends_at, self.versions, PledgeVersion, problems)
        check_version(self.version, problems)
        raise_problems(self, problems)

    @classmethod
    def create(
        cls,
        *,
        id: str,
        effective_from: datetime,
        wording: str,
        standard: PledgeStandard,
        target_share: float | None = None,
        scope: PledgeScope | None = None,
        calendar: BusinessCalendar | None = None,
        reason: str | None = None,
    ) -> ServicePledge:
        """A new pledge with its first version.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... ).current.number
            1

        Raises:
            ValidationError: every problem, with its path (``$.versions[0]...``
                for the version's fields).
        """
        try:
            first = PledgeVersion(
                number=1,
                effective_from=effective_from,
                wording=wording,
                standard=standard,
                target_share=target_share,
                scope=PledgeScope() if scope is None else scope,
                calendar=calendar,
                reason=reason,
            )
        except ValidationError as error:
            problems = Problems()
            check_id(id, "$.id", problems)
            problems.extend(error.problems)
            raise ValidationError(list(problems)) from None
        return cls(id=id, versions=(first,))

    def revise(
        self, *, effective_from: datetime, reason: str | None = None, **changes: Any
    ) -> ServicePledge:
        """A new pledge with one more version, taking effect at ``effective_from``.

        The new version copies the current one with ``changes`` (any of
        ``wording``, ``standard``, ``target_share``, ``scope``, ``calendar``)
        and records ``reason``. It must take effect after the current one, and
        the pledge must not be withdrawn. A new standard or target needs new
        ``wording``: the published words must promise what is measured.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> pledge = ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="90% of calls answered within 30 seconds.", target_share=0.9,
            ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
            ... )
            >>> revised = pledge.revise(effective_from=datetime(2026, 7, 1, tzinfo=timezone.utc),
            ...     target_share=0.95, wording="95% of calls answered within 30 seconds.")
            >>> [(v.number, v.target_share) for v in revised.versions]
            [(1, 0.9), (2, 0.95)]

        Raises:
            ValidationError: an unknown field (``$.changes.<name>``), a new standard or
                target without new wording (``$.changes.wording``), bad values, or an
                instant not after the current version's.
            InvalidTransitionError: the pledge is withdrawn.
        """
        if self.ends_at is not None:
            raise InvalidTransitionError(
                "cannot revise a pledge that is withdrawn: publish a new pledge instead"
            )
        allowed = {"wording", "standard", "target_share", "scope", "calendar"}
        problems = Problems()
        for name in sorted(name for name in changes if name not in allowed):
            problems.add(
                f"$.changes.{name}",
                "is not a field of a pledge version: " + ", ".join(sorted(allowed)),
                "unknown_field",
            )
        current = self.current
        known = {name: value for name, value in changes.items() if name in allowed}
        promised = known.get("standard", current.standard) != current.standard or known.get(
            "target_share", current.target_share
        ) != (current.target_share)
        if promised and known.get("wording", current.wording) == current.wording:
            problems.add(
                "$.changes.wording",
                "required with a new standard or target: the current wording promises the old one",
                "required",
            )
        try:
            following = attrs.evolve(
                current,
                number=current.number + 1,
                effective_from=effective_from,
                reason=reason,
                **known,
            )
        except ValidationError as error:
            problems.extend(_under_changes(problem, known) for problem in error.problems)
        problems.raise_if_any()
        return attrs.evolve(self, versions=(*self.versions, following))

    def withdraw(self, *, at: datetime) -> ServicePledge:
        """The pledge withdrawn from ``at``: no version applies to cases from then on.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> pledge = ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... ).withdraw(at=datetime(2027, 1, 1, tzinfo=timezone.utc))
            >>> pledge.in_force(datetime(2027, 2, 1, tzinfo=timezone.utc)) is None
            True

        Raises:
            ValidationError: ``at`` is not an aware datetime after the latest version
                takes effect.
            InvalidTransitionError: the pledge is withdrawn already.
        """
        check_withdrawal(self.ends_at, self.current.effective_from, at, "pledge")
        return attrs.evolve(self, ends_at=at)

    @property
    def current(self) -> PledgeVersion:
        """The latest version.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... ).current.wording
            'Every call answered within 2 minutes.'
        """
        return self.versions[-1]

    def in_force(self, at: datetime) -> PledgeVersion | None:
        """The version in force at the instant ``at``, or ``None`` before the first or once
        withdrawn.

        Instants are compared as instants: a case that began at 01:30 in the
        second (GMT) pass of a repeated London hour is after one at 01:45 in
        the first (BST) pass.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> pledge = ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... )
            >>> pledge.in_force(datetime(2025, 12, 31, tzinfo=timezone.utc)) is None
            True

        Raises:
            ValidationError: ``at`` is not an aware datetime in the supported range.
        """
        return version_at(self.versions, self.ends_at, at)

    @property
    def wording(self) -> str:
        """The current version's wording, as published.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... ).wording
            'Every call answered within 2 minutes.'
        """
        return self.current.wording

    @property
    def measure(self) -> PledgeMeasure:
        """The current version's measure.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... ).measure
            <PledgeMeasure.ANSWER_TIME: 'answer_time'>
        """
        return self.current.standard.measure

    @property
    def target(self) -> float:
        """The current version's promised share (1.0 for a pledge on every case).

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> ServicePledge.create(
            ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     wording="80% of calls answered within 20 seconds.", target_share=0.8,
            ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
            ... ).target
            0.8
        """
        return self.current.target

    @property
    def effective_from(self) -> datetime:
        """When the first version took effect.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> start = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> ServicePledge.create(
            ...     id="p", effective_from=start, wording="Every call answered within 2 minutes.",
            ...     standard=PledgeStandard("answer_time", within=timedelta(minutes=2)),
            ... ).effective_from == start
            True
        """
        return self.versions[0].effective_from


def _under_changes(problem: Problem, changes: dict[str, Any]) -> Problem:
    """A version's problem with a changed field, at its path among ``revise``'s changes."""
    head = problem.path.removeprefix("$.").split(".", 1)[0].split("[", 1)[0]
    if head in changes:
        return attrs.evolve(problem, path="$.changes." + problem.path.removeprefix("$."))
    return problem


# ---------------------------------------------------------------- JSON


def _raw_instant(converter: Any, value: object) -> datetime | None:
    try:
        moment = converter.structure(value, datetime)
    except Exception:
        return None
    return moment if isinstance(moment, datetime) and moment.tzinfo is not None else None


def _history_problems(converter: Any, data: object) -> Problems:
    """The order of a pledge's versions and its end, read from raw data: found even when a
    version fails to read, so that they come in the same round as its problems."""
    problems = Problems()
    versions = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(versions, list):
        return problems
    last: datetime | None = None
    for index, raw in enumerate(versions):
        moment = (
            _raw_instant(converter, raw.get("effective_from")) if isinstance(raw, dict) else None
        )
        if moment is None:
            continue
        if last is not None and _instant(moment) <= _instant(last):
            problems.add(
                join_path(join_path("$.versions", index), "effective_from"),
                "must be later than the version before it",
                "inconsistent",
            )
        last = moment
    ends = data.get("ends_at") if isinstance(data, dict) else None
    ending = None if ends is None else _raw_instant(converter, ends)
    if ending is not None and last is not None and _instant(ending) <= _instant(last):
        problems.add(
            "$.ends_at", "must be later than the latest version takes effect", "inconsistent"
        )
    return problems


def _pledge_hook(converter: Any) -> Any:
    record_hook = converter.get_structure_hook(ServicePledge)

    def hook(data: object, kind: type) -> ServicePledge:
        try:
            return record_hook(data, kind)  # type: ignore[no-any-return]
        except ValidationError as error:
            problems = Problems()
            problems.extend(error.problems)
            known = {(problem.path, problem.code) for problem in error.problems}
            problems.extend(
                problem
                for problem in _history_problems(converter, data)
                if (problem.path, problem.code) not in known
            )
            problems.raise_if_any()
            raise

    return hook


# A version out of order is reported in the same round as a version that fails to read.
default_converter().register_structure_hook(ServicePledge, _pledge_hook(default_converter()))
