"""Quality monitoring: alerts when a pledge's running attainment falls short, by rules.

`monitor_pledges` measures each pledge from the start of a period up to now
(`pledge_attainment`, per group if asked) and consults a rule set (the rule
engine's `RuleSet`, data a UI can edit) over each group's facts. A group
whose rules fire gives a `PledgeAlert`, with the rule that fired, its label
(``flag``), the roles to notify and the evidence.

The default rules (`monitoring_rules`) raise nothing without enough data to
mean it (``min_n`` measured cases), then, in this order: a shortfall that is
real (the exact binomial test says so), a share below target that may still
be noise, and a share within the warning band above the target.

The facts each rule reads: ``n``, ``met``, ``share``, ``target``, ``gap``
(share minus target), ``low`` and ``high`` (the interval), ``p_value``,
``significant``, ``enough_data`` (n at least ``min_n``), ``every_case``,
``pledge_id``, ``measure``, and the group's ``store_id``, ``channel``,
``business_unit``.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from retail_service_quality import (
    ...     InMemoryStore, PledgeScope, PledgeStandard, ServiceInteraction, ServicePledge)
    >>> pledge = ServicePledge.create(
    ...     id="hotline-answer", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...     wording="We answer 90% of hotline calls within 30 seconds.",
    ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
    ...     target_share=0.9, scope=PledgeScope(channels=["hotline"]),
    ... )
    >>> store = InMemoryStore()
    >>> first = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    >>> with store.unit_of_work() as uow:
    ...     uow.interactions.add_many(ServiceInteraction(
    ...         id=f"I-{n}", store_id="HK-1", channel="hotline", direction="inbound",
    ...         occurred_at=first + timedelta(minutes=n),
    ...         queue_time=timedelta(seconds=10 if n % 3 else 45),
    ...     ) for n in range(60))
    ...     uow.commit()
    60
    >>> (alert,) = monitor_pledges(store, [pledge], start=datetime(2026, 11, 1, tzinfo=timezone.utc),
    ...                            now=datetime(2026, 11, 3, tzinfo=timezone.utc))
    >>> alert.level, alert.n, round(alert.share, 3), alert.notify
    ('shortfall', 60, 0.667, ('quality_manager',))
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import attrs

from retail_service_quality._internal.checks import check_number
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import check_aware, check_id
from retail_service_quality.errors import Problems, ValidationError, join_path
from retail_service_quality.quality.attainment import (
    AttainmentGroupBy,
    check_attainment,
    pledge_attainment,
)
from retail_service_quality.quality.pledges import PledgeStandard, ServicePledge
from retail_service_quality.rules import (
    Flag,
    Notify,
    Rule,
    RuleSet,
    all_of,
    eq,
    flag,
    lt,
    notify,
)
from retail_service_quality.serialization._records import RecordList
from retail_service_quality.service.interactions import Channel

__all__ = ["WARNING_BAND", "PledgeAlert", "monitor_pledges", "monitoring_rules"]

# Stands in for the pledges when none is valid, so that the other arguments are checked too.
_PROBE: Final = ServicePledge.create(
    id="probe",
    effective_from=datetime(2000, 1, 1, tzinfo=UTC),
    wording="Every call answered within a minute.",
    standard=PledgeStandard("answer_time", within=timedelta(minutes=1)),
)

WARNING_BAND: Final = 0.02
"""How far above its target a share must be to raise no warning: two percentage points."""


def monitoring_rules(
    *, warning_band: float = WARNING_BAND, notify_role: str = "quality_manager"
) -> RuleSet:
    """The default monitoring rules, in mode ``"first"``: the most serious that holds wins.

    1. ``real_shortfall``: enough data, and the shortfall is real (significant):
       flag ``shortfall`` and notify ``notify_role``.
    2. ``below_target``: enough data and the share below target, not yet
       beyond noise: flag ``below_target``.
    3. ``warning_band``: enough data and the share less than ``warning_band``
       above the target: flag ``warning``.

    Examples:
        >>> [rule.id for rule in monitoring_rules().ordered]
        ['real_shortfall', 'below_target', 'warning_band']

    Raises:
        ValidationError: a warning band outside 0 to 1, or a role that is not an identifier.
    """
    problems = Problems()
    check_number(warning_band, "$.warning_band", problems, low=0, high=1)
    if isinstance(warning_band, bool):
        problems.add("$.warning_band", "must be a number, not true or false", "type")
    check_id(notify_role, "$.notify_role", problems)
    problems.raise_if_any()
    enough = eq("enough_data", True)
    return RuleSet(
        id="pledge_monitoring",
        mode="first",
        rules=[
            Rule(
                id="real_shortfall",
                description="The share is below target, beyond noise.",
                when=all_of(enough, eq("significant", True)),
                actions=[flag("shortfall"), notify(notify_role)],
                order=1,
            ),
            Rule(
                id="below_target",
                description="The share is below target; it may still be noise.",
                when=all_of(enough, lt("gap", 0)),
                actions=[flag("below_target")],
                order=2,
            ),
            Rule(
                id="warning_band",
                description="The share is barely above target.",
                when=all_of(enough, lt("gap", float(warning_band))),
                actions=[flag("warning")],
                order=3,
            ),
        ],
    )


@attrs.frozen(kw_only=True)
class PledgeAlert(Tabular):
    """One group of a pledge whose running attainment fired a monitoring rule.

    Attributes:
        pledge_id: the pledge.
        store_id: the group's store, or ``None`` when not grouped by store.
        channel: the group's channel, or ``None``.
        business_unit: the group's business unit, or ``None``.
        level: the label the rule flagged (``"shortfall"``, ``"warning"``...), or the
            rule's id when it flags nothing.
        rule_id: the rule that fired.
        notify: the roles the rule says to notify.
        n: the measured cases.
        share: the share that met the standard.
        target: the share pledged.
        gap: ``share - target``.
        low: the interval's lower bound.
        high: the interval's upper bound.
        p_value: the exact binomial p-value of the shortfall.
        explanation: why the rule fired, from the verdict (no personal data).

    Examples:
        >>> alert = PledgeAlert(pledge_id="p", store_id=None, channel=None, business_unit=None,
        ...     level="warning", rule_id="warning_band", notify=(), n=200, share=0.91,
        ...     target=0.9, gap=0.01, low=0.87, high=0.94, p_value=0.7,
        ...     explanation="enough_data = True: holds")
        >>> alert.level
        'warning'
    """

    pledge_id: str
    store_id: str | None
    channel: Channel | None
    business_unit: str | None
    level: str
    rule_id: str
    notify: tuple[str, ...]
    n: int
    share: float
    target: float
    gap: float
    low: float
    high: float
    p_value: float
    explanation: str


def _facts(pledge: ServicePledge, row: Any, min_n: int) -> dict[str, Any]:
    channel = row.channel
    return {
        "pledge_id": pledge.id,
        "measure": pledge.measure.value,
        "every_case": pledge.current.every_case,
        "store_id": row.store_id,
        "channel": None if channel is None else channel.value,
        "business_unit": row.business_unit,
        "n": row.n,
        "met": row.met,
        "share": row.share,
        "target": row.target,
        "gap": row.gap,
        "low": row.interval.low,
        "high": row.interval.high,
        "p_value": row.p_value,
        "significant": row.significant,
        "enough_data": row.n >= min_n,
    }


def monitor_pledges(
    target: Any,
    pledges: Iterable[ServicePledge],
    *,
    start: datetime,
    now: datetime,
    rules: RuleSet | None = None,
    group_by: Sequence[AttainmentGroupBy] = (),
    business_units: Mapping[str, str] | None = None,
    timezone: str | None = None,
    confidence: float = 0.95,
    min_n: int = 30,
) -> RecordList[PledgeAlert]:
    """The alerts of each pledge's running attainment, from ``start`` up to ``now``.

    Each pledge is measured with `pledge_attainment` over ``[start, now)``
    (grouped by ``group_by``, months in ``timezone``), and ``rules`` (by default `monitoring_rules`)
    are consulted over each group with measured cases. Groups whose rules
    fire are listed, pledge by pledge in the order given, then in the order
    of the attainment rows. Groups without enough data raise nothing under
    the default rules: a handful of late calls is not a trend.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from retail_service_quality import InMemoryStore, PledgeStandard, ServicePledge
        >>> pledge = ServicePledge.create(
        ...     id="p", effective_from=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     wording="90% of calls answered within 30 seconds.", target_share=0.9,
        ...     standard=PledgeStandard("answer_time", within=timedelta(seconds=30)),
        ... )
        >>> list(monitor_pledges(InMemoryStore(), [pledge],
        ...     start=datetime(2026, 11, 1, tzinfo=timezone.utc),
        ...     now=datetime(2026, 11, 30, tzinfo=timezone.utc)))
        []

    Raises:
        ValidationError: every bad argument, with its path (``$.pledges[1]``,
            ``$.rules``, and those of `pledge_attainment`).
    """
    problems = Problems()
    chosen: list[ServicePledge] = []
    if isinstance(pledges, str | bytes | Mapping) or not isinstance(pledges, Iterable):
        problems.add("$.pledges", "must be a list of ServicePledge", "type")
    else:
        for index, pledge in enumerate(pledges):
            if isinstance(pledge, ServicePledge):
                chosen.append(pledge)
            else:
                problems.add(join_path("$.pledges", index), "must be a ServicePledge", "type")
    if rules is not None and not isinstance(rules, RuleSet):
        problems.add("$.rules", "must be a RuleSet or None", "type")
    check_aware(start, "$.start", problems)
    check_aware(now, "$.now", problems)
    if (
        isinstance(start, datetime)
        and isinstance(now, datetime)
        and start.tzinfo is not None
        and now.tzinfo is not None
        and start.astimezone(UTC) >= now.astimezone(UTC)
    ):
        problems.add("$.start", "must be before now", "inconsistent")
    # The attainment's own arguments, checked once for every pledge, in the same round.
    reported = {problem.path for problem in problems} | {"$.pledge", "$.end"}
    for pledge in chosen or [_PROBE]:
        try:
            check_attainment(
                target, pledge, start, now, now, group_by, business_units, timezone,
                confidence, min_n,
            )  # fmt: skip
        except ValidationError as error:
            for problem in error.problems:
                if problem.path not in reported:
                    reported.add(problem.path)
                    problems.extend([problem])
    problems.raise_if_any()
    consulted = monitoring_rules() if rules is None else rules
    alerts: list[PledgeAlert] = []
    for pledge in chosen:
        rows = pledge_attainment(
            target, pledge, start=start, end=now, now=now, group_by=group_by,
            business_units=business_units, timezone=timezone, confidence=confidence,
            min_n=min_n,
        )  # fmt: skip
        for row in rows:
            if (
                not row.n
                or row.interval is None
                or row.share is None
                or row.gap is None
                or row.p_value is None
            ):
                continue
            verdict = consulted.evaluate(_facts(pledge, row, min_n), at=now)
            if not verdict.fired:
                continue
            labels = [action.label for action in verdict.actions if isinstance(action, Flag)]
            roles = tuple(action.role for action in verdict.actions if isinstance(action, Notify))
            fired = [outcome for outcome in verdict.outcomes if outcome.fired]
            alerts.append(
                PledgeAlert(
                    pledge_id=pledge.id,
                    store_id=row.store_id,
                    channel=row.channel,
                    business_unit=row.business_unit,
                    level=labels[0] if labels else fired[0].rule_id,
                    rule_id=fired[0].rule_id,
                    notify=roles,
                    n=row.n,
                    share=row.share,
                    target=row.target,
                    gap=row.gap,
                    low=row.interval.low,
                    high=row.interval.high,
                    p_value=row.p_value,
                    explanation="; ".join(outcome.explanation for outcome in fired),
                )
            )
    return RecordList(PledgeAlert, alerts)
