"""SLA clocks: deadlines in business time, recomputed from a case's history, never run as totals.

An `SlaPolicy` sets the targets of a case (acknowledgement and resolution),
each in business hours on a `BusinessCalendar` or in working days, and the
share of the allowed time at which a warning is due. `sla_status` answers,
for one target, from the case's own history (when it started, the intervals
it waited on the customer, when the target was met) and the instant asked
about: the deadline, the business time used and left, and whether the case is
on track, in warning, breached, or met (on time or late).

Nothing is kept as a running total: the same history gives the same answer
whenever it is asked, so a clock cannot drift, a pause cannot be lost, and a
reopened case's deadline follows its history (the time it was closed is
passed as a pause).

Examples:
    >>> from datetime import UTC, datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from retail_service_quality import BusinessCalendar
    >>> hk = ZoneInfo("Asia/Hong_Kong")
    >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
    >>> policy = SlaPolicy(
    ...     id="standard", calendar=desk,
    ...     targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=8)),
    ...              SlaTarget("resolution", working_days=5)],
    ... )
    >>> received = datetime(2026, 11, 20, 17, 0, tzinfo=hk)  # a Friday, an hour before closing
    >>> status = sla_status(policy, "acknowledgement", started_at=received,
    ...                     now=datetime(2026, 11, 23, 15, 0, tzinfo=hk))
    >>> status.deadline, status.state
    (datetime.datetime(2026, 11, 23, 16, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Hong_Kong')), <SlaState.WARNING: 'warning'>)
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.times import instant_problem
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.calendar import HORIZON, BusinessCalendar
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.rules import RuleSet, SelectPolicy, Verdict

__all__ = [
    "PolicySelection",
    "SlaPolicy",
    "SlaState",
    "SlaStatus",
    "SlaTarget",
    "TargetKind",
    "complaint_facts",
    "complaint_sla",
    "select_sla_policy",
    "sla_status",
]

_MAX_DAYS: Final = 3660


class TargetKind(StrEnum):
    """What a target measures: the time to acknowledge a case, or to resolve it.

    Examples:
        >>> TargetKind("resolution").value
        'resolution'
    """

    ACKNOWLEDGEMENT = "acknowledgement"
    RESOLUTION = "resolution"


class SlaState(StrEnum):
    """Where a target stands at an instant.

    Examples:
        >>> SlaState("breached").value
        'breached'
    """

    ON_TRACK = "on_track"
    WARNING = "warning"
    """Open, with at least the policy's warning share of the allowed time used."""
    BREACHED = "breached"
    """Open past its deadline."""
    MET = "met"
    MET_LATE = "met_late"


def _kind(value: TargetKind | str) -> TargetKind:
    return lenient_enum(TargetKind, value)


def _state(value: SlaState | str) -> SlaState:
    return lenient_enum(SlaState, value)


@attrs.frozen
class SlaTarget:
    """One target: business time on the policy's calendar, or a number of working days.

    Exactly one of ``business_time`` and ``working_days`` is given. Working
    days end at the close of the last open period of the ``n``-th working day
    after the start (`BusinessCalendar.add_working_days`); business time ends
    when that much open time has elapsed (`BusinessCalendar.add`).

    Attributes:
        kind: what it measures (`TargetKind`).
        business_time: the business time allowed, if measured in time.
        working_days: the working days allowed, if measured in days.

    Examples:
        >>> SlaTarget("resolution", working_days=5).working_days
        5

    Raises:
        ValidationError: every problem, with its path.
    """

    kind: TargetKind = attrs.field(default=REQUIRED, converter=_kind)
    business_time: timedelta | None = attrs.field(default=None, kw_only=True)
    working_days: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_enum(self.kind, TargetKind, "$.kind", problems)
        if (self.business_time is None) == (self.working_days is None):
            problems.add(
                "$.business_time", "give exactly one of business_time and working_days", "required"
            )
        if self.business_time is not None and (
            not isinstance(self.business_time, timedelta)
            or not timedelta(0) < self.business_time <= timedelta(days=_MAX_DAYS)
        ):
            problems.add(
                "$.business_time",
                f"must be a positive duration of at most {_MAX_DAYS} days",
                "range" if isinstance(self.business_time, timedelta) else "type",
            )
        days = self.working_days
        if days is not None and (
            isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= _MAX_DAYS
        ):
            problems.add(
                "$.working_days",
                f"must be an integer from 1 to {_MAX_DAYS}",
                "range" if isinstance(days, int) and not isinstance(days, bool) else "type",
            )
        raise_problems(self, problems)


def _targets(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """The targets of a case, on a business calendar, and when to warn.

    A policy is a value: a case keeps the policy (and calendar) in force when
    it was received, so editing a policy later, as a new ``version``, does
    not move the deadlines of the cases it covered.

    Attributes:
        id: the policy's identifier.
        calendar: the business calendar its business time and working days count on.
        targets: at most one target of each kind.
        warning_at: the share of the allowed time after which an open target is in warning.
        version: the policy's version, as edited.

    Examples:
        >>> from datetime import timedelta
        >>> from retail_service_quality import BusinessCalendar
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> policy = SlaPolicy(id="vip", calendar=desk,
        ...     targets=[SlaTarget("resolution", business_time=timedelta(hours=4))])
        >>> policy.target("resolution").business_time
        datetime.timedelta(seconds=14400)

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED)
    calendar: BusinessCalendar = attrs.field(default=REQUIRED)
    targets: tuple[SlaTarget, ...] = attrs.field(default=REQUIRED, converter=_targets)
    warning_at: float = 0.8
    version: int = 1

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        if not isinstance(self.calendar, BusinessCalendar):
            problems.add("$.calendar", "must be a BusinessCalendar", "type")
        elif not any(self.calendar.hours.values()):
            problems.add(
                "$.calendar",
                "must have weekly open hours: a calendar that is never open cannot count "
                "business time towards a target",
                "invalid",
            )
        if not isinstance(self.targets, tuple):
            problems.add("$.targets", "must be a list of targets", "type")
        else:
            if not self.targets:
                problems.add("$.targets", "must name at least one target", "required")
            seen: set[TargetKind] = set()
            for index, target in enumerate(self.targets):
                path = join_path("$.targets", index)
                if not isinstance(target, SlaTarget):
                    problems.add(path, "must be an SlaTarget", "type")
                elif target.kind in seen:
                    problems.add(join_path(path, "kind"), "is targeted twice", "duplicate")
                else:
                    seen.add(target.kind)
        check_number(self.warning_at, "$.warning_at", problems, low=0, high=1, strict=True)
        if isinstance(self.warning_at, bool):
            problems.add("$.warning_at", "must be a number, not true or false", "type")
        version = self.version
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            problems.add("$.version", "must be a positive integer", "type")
        raise_problems(self, problems)

    def target(self, kind: TargetKind | str) -> SlaTarget:
        """The policy's target of a kind.

        Examples:
            >>> from datetime import timedelta
            >>> from retail_service_quality import BusinessCalendar
            >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
            >>> SlaPolicy(id="p", calendar=desk,
            ...     targets=[SlaTarget("resolution", working_days=5)]).target("resolution").kind
            <TargetKind.RESOLUTION: 'resolution'>

        Raises:
            ValidationError: not a kind of target, or one the policy does not set.
        """
        chosen = lenient_enum(TargetKind, kind)
        for target in self.targets:
            if target.kind is chosen:
                return target
        code = "unknown_choice" if isinstance(chosen, TargetKind | str) else "type"
        raise ValidationError.single(
            "$.kind",
            "must be a kind of target the policy sets: "
            + ", ".join(target.kind.value for target in self.targets),
            code,
        )


@attrs.frozen(kw_only=True)
class SlaStatus(Tabular):
    """Where one target of a case stands at an instant, computed from the case's history.

    Attributes:
        policy_id: the policy applied.
        kind: the target's kind.
        started_at: when the clock started (the case was received).
        deadline: when the allowed business time runs out, pauses skipped.
        at: the instant the status is for.
        done_at: when the target was met, if it was.
        state: on track, warning, breached, met or met late (`SlaState`).
        allowed: the business time allowed, pauses left out.
        used: the business time used up to ``done_at`` or ``at``, pauses left out.
        late_by: how late (business time past the deadline), when breached or met late.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> at = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
        >>> SlaStatus(policy_id="p", kind="resolution", started_at=at, deadline=at, at=at,
        ...     done_at=None, state="on_track", allowed=timedelta(hours=1), used=timedelta(0),
        ...     late_by=None).share_used
        0.0
    """

    policy_id: str
    kind: TargetKind = attrs.field(converter=_kind)
    started_at: datetime
    deadline: datetime
    at: datetime
    done_at: datetime | None
    state: SlaState = attrs.field(converter=_state)
    allowed: timedelta
    used: timedelta
    late_by: timedelta | None

    @property
    def share_used(self) -> float:
        """The share of the allowed business time used (above 1 when late).

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> at = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
            >>> SlaStatus(policy_id="p", kind="resolution", started_at=at, deadline=at,
            ...     at=at, done_at=None, state="warning", allowed=timedelta(hours=10),
            ...     used=timedelta(hours=9), late_by=None).share_used
            0.9
        """
        if self.allowed <= timedelta(0):
            return 1.0
        return self.used / self.allowed

    @property
    def remaining(self) -> timedelta:
        """The business time left before the deadline (zero once it is past).

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> at = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
            >>> SlaStatus(policy_id="p", kind="resolution", started_at=at, deadline=at,
            ...     at=at, done_at=None, state="on_track", allowed=timedelta(hours=10),
            ...     used=timedelta(hours=4), late_by=None).remaining
            datetime.timedelta(seconds=21600)
        """
        return max(self.allowed - self.used, timedelta(0))


Pause = tuple[datetime, datetime | None]


def _pauses(
    value: object, now: datetime | None, problems: Problems
) -> list[tuple[datetime, datetime]]:
    """The pauses as closed intervals: an open pause (end ``None``) runs until ``now``.

    An open pause that starts after ``now`` has not begun at ``now``: it is left out.
    """
    found: list[tuple[datetime, datetime]] = []
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        problems.add("$.pauses", "must be a list of (start, end) pairs", "type")
        return found
    for index, pause in enumerate(value):
        path = join_path("$.pauses", index)
        if not isinstance(pause, tuple | list) or len(pause) != 2:
            problems.add(path, "must be a (start, end) pair; end None while still paused", "type")
            continue
        start, end = pause
        aware = len(problems)
        check_aware(start, join_path(path, 0), problems)
        if end is None:
            if now is None or len(problems) > aware:
                continue
            if instant_problem(now) is not None or start.astimezone(UTC) > now.astimezone(UTC):
                continue
            end = now
        else:
            check_aware(end, join_path(path, 1), problems)
        if isinstance(start, datetime) and isinstance(end, datetime):
            found.append((start, end))
    return found


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def sla_status(
    policy: SlaPolicy,
    kind: TargetKind | str,
    *,
    started_at: datetime,
    now: datetime,
    pauses: Iterable[Pause] = (),
    done_at: datetime | None = None,
) -> SlaStatus:
    """Where a case's target stands at ``now``, from its history.

    ``pauses`` are the intervals the clock stood still: waiting on the
    customer, and for a reopened case the time it was closed. A pause still
    running has ``None`` as its end and counts until ``now``. Pauses before
    ``now`` and after ``done_at`` make no difference. The deadline skips the
    business time inside pauses; for a target in working days, the business
    time paused before the deadline is added after it.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import BusinessCalendar
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> policy = SlaPolicy(id="p", calendar=desk,
        ...     targets=[SlaTarget("resolution", business_time=timedelta(hours=9))])
        >>> monday = datetime(2026, 11, 23, 9, tzinfo=hk)
        >>> waiting = (datetime(2026, 11, 23, 10, tzinfo=hk), datetime(2026, 11, 24, 10, tzinfo=hk))
        >>> status = sla_status(policy, "resolution", started_at=monday, pauses=[waiting],
        ...                     now=datetime(2026, 11, 24, 12, tzinfo=hk))
        >>> status.deadline.isoformat(), status.used, status.state.value
        ('2026-11-24T18:00:00+08:00', datetime.timedelta(seconds=10800), 'on_track')

    Raises:
        ValidationError: every problem, with its path: not a policy, a kind
            the policy does not set, a naive instant, ``done_at`` or ``now``
            before ``started_at``, a malformed pause.
    """
    problems = Problems()
    if not isinstance(policy, SlaPolicy):
        problems.add("$.policy", "must be an SlaPolicy", "type")
    check_aware(started_at, "$.started_at", problems)
    check_aware(now, "$.now", problems)
    if done_at is not None:
        check_aware(done_at, "$.done_at", problems)
    closed = _pauses(pauses, now if isinstance(now, datetime) else None, problems)
    target: SlaTarget | None = None
    if isinstance(policy, SlaPolicy):
        try:
            target = policy.target(kind)
        except ValidationError as error:  # reported with every other problem
            problems.extend(error.problems)
    problems.raise_if_any()
    assert target is not None
    # Instants, not wall clocks: datetimes sharing a zone compare by their wall clocks in Python,
    # which puts the two passes of a repeated hour out of order.
    if _utc(now) < _utc(started_at):
        problems.add("$.now", "must not be before started_at", "inconsistent")
    elif _utc(now) - _utc(started_at) > HORIZON:
        problems.add(
            "$.now",
            "must lie within 100 years (HORIZON) of started_at, the span a calendar counts",
            "range",
        )
    if done_at is not None and _utc(done_at) < _utc(started_at):
        problems.add("$.done_at", "must not be before started_at", "inconsistent")
    elif done_at is not None and _utc(done_at) - _utc(started_at) > HORIZON:
        problems.add(
            "$.done_at",
            "must lie within 100 years (HORIZON) of started_at, the span a calendar counts",
            "range",
        )
    problems.raise_if_any()
    calendar = policy.calendar
    if target.business_time is not None:
        deadline = calendar.add(started_at, target.business_time, pauses=closed)
    else:
        assert target.working_days is not None
        plain = calendar.add_working_days(started_at, target.working_days)
        paused = calendar.between(started_at, plain) - calendar.between(
            started_at, plain, pauses=closed
        )
        deadline = calendar.add(plain, paused, pauses=closed) if paused else plain
    allowed = calendar.between(started_at, deadline, pauses=closed)
    end = done_at if done_at is not None else now
    used = calendar.between(started_at, end, pauses=closed)
    late_by: timedelta | None = None
    if _utc(end) > _utc(deadline):
        late_by = calendar.between(deadline, end, pauses=closed)
    state: SlaState
    if done_at is not None:
        state = SlaState.MET if _utc(done_at) <= _utc(deadline) else SlaState.MET_LATE
    elif _utc(now) > _utc(deadline):
        state = SlaState.BREACHED
    elif allowed > timedelta(0) and used / allowed >= policy.warning_at:
        state = SlaState.WARNING
    else:
        state = SlaState.ON_TRACK
    return SlaStatus(
        policy_id=policy.id,
        kind=target.kind,
        started_at=started_at,
        deadline=deadline,
        at=now,
        done_at=done_at,
        state=state,
        allowed=allowed,
        used=used,
        late_by=late_by,
    )


def complaint_sla(
    policy: SlaPolicy, complaint: Any, kind: TargetKind | str, *, now: datetime
) -> SlaStatus:
    """A complaint's target at ``now``, from its history up to ``now`` alone.

    The clock starts at receipt. It stops while the complaint waits on the
    customer (`Complaint.pauses`) and while it is closed before a reopening,
    so a reopened complaint's deadline follows its history. The
    acknowledgement target is met at the first acknowledgement; the
    resolution target at the last closure, if the complaint is closed now.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from retail_service_quality import BusinessCalendar, Complaint
        >>> hk = ZoneInfo("Asia/Hong_Kong")
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> policy = SlaPolicy(id="p", calendar=desk,
        ...     targets=[SlaTarget("acknowledgement", business_time=timedelta(hours=4))])
        >>> received = datetime(2026, 11, 23, 9, tzinfo=hk)
        >>> complaint = Complaint.receive(id="CMP-1", at=received, channel="email",
        ...     store_id="HK-1", category="billing")
        >>> complaint_sla(policy, complaint.acknowledge(at=received + timedelta(hours=1)),
        ...               "acknowledgement", now=received + timedelta(hours=2)).state.value
        'met'

    Raises:
        ValidationError: not a complaint, or as for `sla_status`.
    """
    from retail_service_quality.service.complaints import Complaint

    if not isinstance(complaint, Complaint):
        raise ValidationError.single("$.complaint", "must be a Complaint", "type")
    problems = Problems()
    check_aware(now, "$.now", problems)
    if not problems and now.astimezone(UTC) >= complaint.received_at.astimezone(UTC):
        complaint = complaint.as_of(now)  # else sla_status reports every problem at once
    closed_since = complaint.closed_at
    acknowledged = complaint.acknowledged_at
    pauses = complaint.clock_stops()
    chosen = lenient_enum(TargetKind, kind)
    done_at = acknowledged if chosen is TargetKind.ACKNOWLEDGEMENT else closed_since
    return sla_status(
        policy,
        kind,
        started_at=complaint.received_at,
        now=now,
        pauses=pauses,
        done_at=done_at,
    )


# ---------------------------------------------------------------- choosing a policy by rules


@attrs.frozen(kw_only=True)
class PolicySelection(Tabular):
    """The policy a rule set chose for a case, with the verdict that says why.

    Its one record has the policy's id and version and the rules that fired.

    Attributes:
        policy: the chosen policy, or ``None`` if no rule selected one.
        verdict: the rule set's `Verdict`: which rules fired, and why.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.rules import RuleSet
        >>> at = datetime(2026, 11, 30, tzinfo=timezone.utc)
        >>> selection = select_sla_policy(RuleSet(id="sla"), [], {}, at=at)
        >>> selection.policy is None, selection.verdict.fired
        (True, ())
    """

    policy: SlaPolicy | None = attrs.field(metadata={"records": False})
    verdict: Verdict = attrs.field(metadata={"records": False})

    @property
    def policy_id(self) -> str | None:
        """The chosen policy's id, or ``None``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality.rules import RuleSet
            >>> at = datetime(2026, 11, 30, tzinfo=timezone.utc)
            >>> select_sla_policy(RuleSet(id="sla"), [], {}, at=at).policy_id is None
            True
        """
        return None if self.policy is None else self.policy.id

    @property
    def policy_version(self) -> int | None:
        """The chosen policy's version, or ``None``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality.rules import RuleSet
            >>> at = datetime(2026, 11, 30, tzinfo=timezone.utc)
            >>> select_sla_policy(RuleSet(id="sla"), [], {}, at=at).policy_version is None
            True
        """
        return None if self.policy is None else self.policy.version

    @property
    def fired(self) -> tuple[str, ...]:
        """The ids of the rules that fired, in the order consulted.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality.rules import RuleSet
            >>> at = datetime(2026, 11, 30, tzinfo=timezone.utc)
            >>> select_sla_policy(RuleSet(id="sla"), [], {}, at=at).fired
            ()
        """
        return self.verdict.fired

    def explain(self) -> str:
        """Which policy was chosen, then each rule consulted and why it fired or not.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from retail_service_quality.rules import RuleSet
            >>> at = datetime(2026, 11, 30, tzinfo=timezone.utc)
            >>> print(select_sla_policy(RuleSet(id="sla"), [], {}, at=at).explain())
            no policy selected
        """
        head = (
            "no policy selected"
            if self.policy is None
            else f"policy {self.policy.id} (version {self.policy.version}) selected"
        )
        reasons = self.verdict.explain()
        return f"{head}\n{reasons}" if reasons else head


def select_sla_policy(
    rules: RuleSet,
    policies: Iterable[SlaPolicy],
    facts: Mapping[str, Any],
    *,
    at: datetime,
) -> PolicySelection:
    """The policy a rule set selects for a case's facts (`complaint_facts`), at an instant.

    The rules are consulted in their order; the first `SelectPolicy` action
    of the verdict names the policy, looked up by id among ``policies``
    (the policies in force at ``at``, one version of each id: the caller
    keeps the versions and passes the current ones). Use a rule set in mode ``"first"``
    with a catch-all rule last to make sure every case gets one.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import BusinessCalendar
        >>> from retail_service_quality.rules import Rule, RuleSet, eq, exists, select_policy
        >>> desk = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
        >>> urgent = SlaPolicy(id="urgent", calendar=desk,
        ...     targets=[SlaTarget("resolution", business_time=timedelta(hours=4))])
        >>> standard = SlaPolicy(id="standard", calendar=desk,
        ...     targets=[SlaTarget("resolution", working_days=5)])
        >>> rules = RuleSet(id="sla", mode="first", rules=[
        ...     Rule(id="vip-or-urgent", description="VIPs and urgent cases: 4 business hours.",
        ...          when=eq("tier", "vip") | eq("priority", "urgent"),
        ...          actions=[select_policy("urgent")], order=1),
        ...     Rule(id="everyone", description="Everyone else: 5 working days.",
        ...          when=exists("channel"), actions=[select_policy("standard")], order=2),
        ... ])
        >>> at = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
        >>> select_sla_policy(rules, [urgent, standard],
        ...                   {"channel": "email", "tier": "vip"}, at=at).policy.id
        'urgent'

    Raises:
        ValidationError: every problem, with its path: not a rule set, a list
            of policies with a duplicate id, bad facts, or a selected id that
            names no policy given (``$.policies``).
    """
    problems = Problems()
    if not isinstance(rules, RuleSet):
        problems.add("$.rules", "must be a RuleSet", "type")
    by_id: dict[str, SlaPolicy] = {}
    if isinstance(policies, str | bytes | Mapping) or not isinstance(policies, Iterable):
        problems.add("$.policies", "must be a list of SlaPolicy", "type")
    else:
        for index, policy in enumerate(policies):
            path = join_path("$.policies", index)
            if not isinstance(policy, SlaPolicy):
                problems.add(path, "must be an SlaPolicy", "type")
            elif policy.id in by_id:
                problems.add(join_path(path, "id"), "names a policy given already", "duplicate")
            else:
                by_id[policy.id] = policy
    problems.raise_if_any()
    verdict = rules.evaluate(facts, at=at)
    chosen = next((a for a in verdict.actions if isinstance(a, SelectPolicy)), None)
    if chosen is None:
        return PolicySelection(policy=None, verdict=verdict)
    if chosen.policy_id not in by_id:
        raise ValidationError.single(
            "$.policies",
            f"has no policy {chosen.policy_id!r}, which the rule set selected",
            "unknown_choice",
        )
    return PolicySelection(policy=by_id[chosen.policy_id], verdict=verdict)


def complaint_facts(complaint: Any, *, tier: str | None = None) -> dict[str, str | int | None]:
    """The facts a policy rule set reads about a complaint.

    ``priority`` (the last assessment's, or the one given on receipt, or
    ``"normal"``), ``severity``,
    ``channel``, ``category``, ``store_id``, ``remedy_requested``, ``tier``
    (the customer's, if known) and ``repeat`` (whether it repeats an earlier
    complaint). No personal data: the customer's id is left out.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import Complaint
        >>> at = datetime(2026, 11, 30, tzinfo=timezone.utc)
        >>> complaint = Complaint.receive(id="CMP-1", at=at, channel="hotline",
        ...     store_id="HK-1", category="billing", customer_id="C-1")
        >>> complaint_facts(complaint, tier="gold")["tier"], complaint_facts(complaint)["priority"]
        ('gold', 'normal')

    Raises:
        ValidationError: not a complaint, or a tier that is not text.
    """
    from retail_service_quality.service.complaints import Complaint

    problems = Problems()
    if not isinstance(complaint, Complaint):
        problems.add("$.complaint", "must be a Complaint", "type")
    if tier is not None:
        check_id(tier, "$.tier", problems)
    problems.raise_if_any()
    priority = complaint.priority
    remedy = complaint.remedy_requested
    return {
        "priority": "normal" if priority is None else priority.value,
        "severity": complaint.severity,
        "channel": complaint.channel.value,
        "category": complaint.category,
        "store_id": complaint.store_id,
        "remedy_requested": None if remedy is None else remedy.value,
        "tier": tier,
        "repeat": complaint.repeat_of is not None,
    }
