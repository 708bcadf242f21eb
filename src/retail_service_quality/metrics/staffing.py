"""Contact-centre indicators and staffing: service level, Erlang C, agents needed.

The Erlang C model treats a hotline as a queue with Poisson arrivals,
exponential handling times and no abandonment. With traffic
``A = calls * AHT / interval`` (in Erlangs) and ``N`` agents:

- probability that a call waits: ``C(N, A)``, computed through the Erlang B
  recursion ``B(k) = A B(k-1) / (k + A B(k-1))``, which is stable for
  thousands of agents (no factorials, no powers);
- service level: ``SL(t) = 1 - C exp(-(N - A) t / AHT)``;
- average speed of answer: ``ASA = C AHT / (N - A)``;
- occupancy: ``A / N``; agents to schedule: ``ceil(N / (1 - shrinkage))``.

Examples:
    >>> from datetime import timedelta
    >>> plan = staffing_for_agents(
    ...     calls=360,
    ...     interval=timedelta(minutes=30),
    ...     aht=timedelta(seconds=240),
    ...     answer_within=timedelta(seconds=15),
    ...     agents=55,
    ... )
    >>> round(plan.probability_of_waiting, 4), round(plan.service_level, 3)
    (0.2387, 0.846)
    >>> round(plan.average_speed_of_answer.total_seconds(), 2)
    8.18
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from fractions import Fraction
from typing import Final

import attrs

from retail_service_quality._internal.checks import (
    check_choice,
    check_count,
    check_label,
    check_number,
    is_finite_number,
    is_integer,
)
from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import REQUIRED, raise_problems
from retail_service_quality.errors import InsufficientDataError, Problems, ValidationError

__all__ = [
    "StaffingPlan",
    "erlang_c",
    "service_level",
    "staffing",
    "staffing_for_agents",
]

_ABANDONS: Final = ("ignore", "negative", "positive")
_MAX_AGENTS: Final = 1_000_000
# Durations in, at most a leap year; the average speed of answer out, at most 2**53
# microseconds (about 285 years), so that JSON (seconds as a double) keeps it exact.
_MAX_DURATION: Final = timedelta(days=366)
_MAX_SECONDS: Final = 2**53 / 10**6


_is_count = is_integer
_is_number = is_finite_number


def service_level(
    answered_within: int,
    offered: int,
    *,
    abandoned_within: int = 0,
    abandons: str = "ignore",
) -> float:
    """The share of calls answered within the threshold, with the abandon treatment stated.

    - ``"ignore"``: ``answered_within / (offered - abandoned_within)``: calls
      abandoned within the threshold are left out;
    - ``"negative"``: ``answered_within / offered``: they count as failures;
    - ``"positive"``: ``(answered_within + abandoned_within) / offered``: they
      count as successes.

    Remove short abandons (callers who hang up within a few seconds) from
    ``offered`` before calling, if your standard says so.

    Examples:
        >>> service_level(80, 100, abandoned_within=5)
        0.8421052631578947
        >>> service_level(80, 100, abandoned_within=5, abandons="negative")
        0.8
        >>> service_level(80, 100, abandoned_within=5, abandons="positive")
        0.85

    Raises:
        InsufficientDataError: no calls left to measure.
        ValidationError: counts that are negative, not integers or
            inconsistent, or an unknown treatment.
    """
    problems = Problems()
    for path, value in (
        ("$.answered_within", answered_within),
        ("$.offered", offered),
        ("$.abandoned_within", abandoned_within),
    ):
        check_count(value, path, problems)
    counts_ok = not problems
    check_choice(abandons, _ABANDONS, "$.abandons", problems)
    if counts_ok and answered_within + abandoned_within > offered:
        problems.add(
            "$.offered", "must be at least answered_within + abandoned_within", "inconsistent"
        )
    problems.raise_if_any()
    answered_within, offered = int(answered_within), int(offered)
    abandoned_within = int(abandoned_within)
    if abandons == "ignore":
        denominator = offered - abandoned_within
        numerator = answered_within
    else:
        denominator = offered
        numerator = answered_within + (abandoned_within if abandons == "positive" else 0)
    if denominator == 0:
        raise InsufficientDataError("no calls to measure a service level over")
    return numerator / denominator


def _erlang_b_steps(traffic: float, stop: int) -> list[float]:
    """Erlang B blocking for 0..stop agents, by the stable recursion."""
    values = [1.0]
    blocking = 1.0
    for agents in range(1, stop + 1):
        blocking = traffic * blocking / (agents + traffic * blocking)
        values.append(blocking)
    return values


def _erlang_c_from_b(traffic: float, agents: int, blocking: float) -> float:
    return agents * blocking / (agents - traffic * (1 - blocking))


def erlang_c(traffic: float, agents: int) -> float:
    """The probability that a call waits (Erlang C) with ``agents`` agents and ``traffic`` Erlangs.

    Examples:
        >>> round(erlang_c(48.0, 55), 4)
        0.2387
        >>> round(erlang_c(900.0, 950), 6)
        0.062098

    Raises:
        ValidationError: ``traffic >= agents`` (the queue grows without
            bound), negative traffic, or fewer than one agent.
    """
    problems = Problems()
    if not _is_number(traffic) or traffic < 0:
        problems.add("$.traffic", "must be a non-negative number of Erlangs", _code(traffic))
    _check_agents(agents, problems)
    if not problems and traffic >= agents:
        problems.add(
            "$.agents", "must exceed the traffic, or the queue grows without bound", "inconsistent"
        )
    problems.raise_if_any()
    if traffic == 0:
        return 0.0
    traffic, agents = float(traffic), int(agents)
    blocking = _erlang_b_steps(traffic, agents)[-1]
    return _erlang_c_from_b(traffic, agents, blocking)


@attrs.frozen
class StaffingPlan(Tabular):
    """Agents for an interval, and the service the Erlang C model expects from them.

    ``traffic`` is in Erlangs; ``service_level`` is the share of calls
    answered within ``answer_within``; ``scheduled_agents`` allows for
    shrinkage (breaks, training, absence). A plan checks itself: at least one
    agent and more agents than Erlangs, shares from 0 to 1, durations not
    negative, ``scheduled_agents == ceil(agents / (1 - shrinkage))``.

    Attributes:
        agents: the agents needed on the phones to meet the service level.
        scheduled_agents: the agents to schedule, allowing for shrinkage,
            ``ceil(agents / (1 - shrinkage))``.
        traffic: the offered load in Erlangs: calls times average handle time, over the
            length of the interval.
        service_level: the share of calls expected to be answered within
            ``answer_within`` with ``agents`` on the phones, from 0 to 1.
        occupancy: the share of the agents' time spent on calls, from 0 to 1.
        probability_of_waiting: the probability that a call waits to be answered (Erlang
            C), from 0 to 1.
        average_speed_of_answer: how long a call waits to be answered, on average.
        answer_within: the answer time that ``service_level`` is measured against.
        shrinkage: the share of scheduled time agents are not on the phones (breaks,
            training, absence), from 0 up to (not including) 1.
        method: the model the plan comes from.

    Examples:
        >>> from datetime import timedelta
        >>> plan = staffing(
        ...     calls=360,
        ...     interval=timedelta(minutes=30),
        ...     aht=timedelta(seconds=240),
        ...     answer_within=timedelta(seconds=20),
        ...     service_level=0.8,
        ...     shrinkage=0.3,
        ... )
        >>> plan.agents, plan.scheduled_agents, plan.traffic
        (54, 78, 48.0)
    """

    agents: int = attrs.field(default=REQUIRED)
    scheduled_agents: int = attrs.field(default=REQUIRED)
    traffic: float = attrs.field(default=REQUIRED)
    service_level: float = attrs.field(default=REQUIRED)
    occupancy: float = attrs.field(default=REQUIRED)
    probability_of_waiting: float = attrs.field(default=REQUIRED)
    average_speed_of_answer: timedelta = attrs.field(default=REQUIRED)
    answer_within: timedelta = attrs.field(default=REQUIRED)
    shrinkage: float = attrs.field(default=REQUIRED)
    method: str = "Erlang C"

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        agents_ok = check_count(self.agents, "$.agents", problems, minimum=1, maximum=_MAX_AGENTS)
        shrinkage_ok = check_number(self.shrinkage, "$.shrinkage", problems, low=0, high=1)
        if shrinkage_ok and self.shrinkage >= 1:
            problems.add("$.shrinkage", "must be a share from 0 up to (not including) 1", "range")
            shrinkage_ok = False
        if check_count(self.scheduled_agents, "$.scheduled_agents", problems, minimum=1) and (
            agents_ok
            and shrinkage_ok
            and self.scheduled_agents != _scheduled(self.agents, self.shrinkage)
        ):
            problems.add(
                "$.scheduled_agents", "must be ceil(agents / (1 - shrinkage))", "inconsistent"
            )
        traffic_ok = check_number(self.traffic, "$.traffic", problems, low=0)
        if traffic_ok and agents_ok and self.traffic >= self.agents:
            problems.add("$.traffic", "must be below the number of agents", "inconsistent")
        for path, share in (
            ("$.service_level", self.service_level),
            ("$.occupancy", self.occupancy),
            ("$.probability_of_waiting", self.probability_of_waiting),
        ):
            check_number(share, path, problems, low=0, high=1)
        for path, span in (
            ("$.average_speed_of_answer", self.average_speed_of_answer),
            ("$.answer_within", self.answer_within),
        ):
            if not isinstance(span, timedelta) or span < timedelta(0):
                problems.add(
                    path,
                    "must be a non-negative timedelta",
                    "range" if isinstance(span, timedelta) else "type",
                )
        check_label(self.method, "$.method", problems)
        raise_problems(self, problems)


def _check_load(
    calls: object,
    interval: object,
    aht: object,
    answer_within: object,
    shrinkage: object,
    problems: Problems,
) -> None:
    if not _is_number(calls) or calls < 0:
        problems.add("$.calls", "must be a non-negative number of calls", _code(calls))
    for path, value in (("$.interval", interval), ("$.aht", aht)):
        if not isinstance(value, timedelta):
            problems.add(path, "must be a timedelta", "type")
        elif not timedelta(0) < value <= _MAX_DURATION:
            problems.add(path, "must be positive, at most 366 days", "range")
    if not isinstance(answer_within, timedelta):
        problems.add("$.answer_within", "must be a timedelta", "type")
    elif not timedelta(0) <= answer_within <= _MAX_DURATION:
        problems.add("$.answer_within", "must not be negative, at most 366 days", "range")
    _check_share(
        shrinkage,
        lambda share: 0 <= share < 1,
        "$.shrinkage",
        "must be a share from 0 up to (not including) 1",
        problems,
    )


def _code(value: object) -> str:
    """``range`` for a number out of bounds, ``type`` for anything else."""
    return "range" if _is_number(value) else "type"


def _check_share(
    value: object, within: Callable[[float], bool], path: str, message: str, problems: Problems
) -> None:
    if not _is_number(value) or not within(float(value)):
        problems.add(path, message, _code(value))


def _check_agents(agents: object, problems: Problems) -> None:
    if not _is_count(agents) or agents < 1:
        problems.add(
            "$.agents", "must be a positive integer", "range" if _is_count(agents) else "type"
        )
    elif agents > _MAX_AGENTS:
        problems.add("$.agents", f"must be at most {_MAX_AGENTS:,}", "range")


def _plan(
    traffic: float,
    agents: int,
    blocking: float,
    aht: timedelta,
    answer_within: timedelta,
    shrinkage: float,
) -> StaffingPlan:
    aht_s = aht.total_seconds()
    waiting = 0.0 if traffic == 0 else _erlang_c_from_b(traffic, agents, blocking)
    level = 1 - waiting * math.exp(-(agents - traffic) * answer_within.total_seconds() / aht_s)
    speed = waiting * aht_s / (agents - traffic)
    if not speed <= _MAX_SECONDS:
        raise ValidationError.single(
            "$.aht", "is too long: the average speed of answer would exceed 285 years", "range"
        )
    return StaffingPlan(
        agents=agents,
        scheduled_agents=_scheduled(agents, shrinkage),
        traffic=traffic,
        service_level=level,
        occupancy=traffic / agents,
        probability_of_waiting=waiting,
        average_speed_of_answer=timedelta(seconds=speed),
        answer_within=answer_within,
        shrinkage=float(shrinkage),
    )


def _scheduled(agents: int, shrinkage: float) -> int:
    """``ceil(agents / (1 - shrinkage))`` in exact decimal arithmetic: 7 at 30% is 10, not 11."""
    return math.ceil(Fraction(agents) / (1 - Fraction(str(float(shrinkage)))))


def _traffic(calls: float, interval: timedelta, aht: timedelta) -> float:
    traffic = float(calls) * aht.total_seconds() / interval.total_seconds()
    if not traffic <= _MAX_AGENTS:
        raise ValidationError.single(
            "$.calls", f"is too much traffic: more than {_MAX_AGENTS:,} Erlangs", "range"
        )
    return traffic


def staffing(
    *,
    calls: float,
    interval: timedelta,
    aht: timedelta,
    answer_within: timedelta,
    service_level: float,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingPlan:
    """The fewest agents that answer ``service_level`` of calls within ``answer_within``.

    Also keeps occupancy at or below ``max_occupancy`` (agents who are busy
    every minute burn out; 0.85 is a common ceiling).

    Examples:
        >>> from datetime import timedelta
        >>> plan = staffing(
        ...     calls=360,
        ...     interval=timedelta(minutes=30),
        ...     aht=timedelta(seconds=240),
        ...     answer_within=timedelta(seconds=15),
        ...     service_level=0.8,
        ... )
        >>> plan.agents, round(plan.service_level, 3), round(plan.occupancy, 3)
        (55, 0.846, 0.873)

    Raises:
        ValidationError: a negative or non-numeric load, a service level or
            occupancy outside (0, 1], or shrinkage outside [0, 1).
    """
    problems = Problems()
    _check_load(calls, interval, aht, answer_within, shrinkage, problems)
    _check_share(
        service_level,
        lambda share: 0 < share < 1,
        "$.service_level",
        "must be a share strictly between 0 and 1",
        problems,
    )
    _check_share(
        max_occupancy,
        lambda share: 0 < share <= 1,
        "$.max_occupancy",
        "must be a share above 0, at most 1",
        problems,
    )
    problems.raise_if_any()
    service_level, max_occupancy = float(service_level), float(max_occupancy)
    traffic = _traffic(calls, interval, aht)
    aht_s = aht.total_seconds()
    within_s = answer_within.total_seconds()
    busiest = traffic / max_occupancy
    if not busiest <= _MAX_AGENTS:
        raise ValidationError.single(
            "$.max_occupancy", f"needs more than {_MAX_AGENTS:,} agents", "range"
        )
    agents = max(1, math.floor(traffic) + 1, math.ceil(busiest))
    # traffic / max_occupancy can land a hair above an integer (10.5 / 0.7): step back while
    # one agent fewer still keeps occupancy within the ceiling, checked the way the loop does.
    while agents - 1 > traffic and traffic / (agents - 1) <= max_occupancy:
        agents -= 1
    if agents > _MAX_AGENTS:
        raise ValidationError.single("$.calls", f"needs more than {_MAX_AGENTS:,} agents", "range")
    steps = _erlang_b_steps(traffic, agents)
    blocking = steps[-1]
    while True:
        waiting = 0.0 if traffic == 0 else _erlang_c_from_b(traffic, agents, blocking)
        level = 1 - waiting * math.exp(-(agents - traffic) * within_s / aht_s)
        if level >= service_level and traffic / agents <= max_occupancy:
            return _plan(traffic, agents, blocking, aht, answer_within, shrinkage)
        agents += 1
        if agents > _MAX_AGENTS:
            raise ValidationError.single("$.service_level", "cannot be reached", "range")
        blocking = traffic * blocking / (agents + traffic * blocking)


def staffing_for_agents(
    *,
    calls: float,
    interval: timedelta,
    aht: timedelta,
    answer_within: timedelta,
    agents: int,
    shrinkage: float = 0.0,
) -> StaffingPlan:
    """The service that a given number of agents gives, by Erlang C.

    Examples:
        >>> from datetime import timedelta
        >>> plan = staffing_for_agents(
        ...     calls=360,
        ...     interval=timedelta(minutes=30),
        ...     aht=timedelta(seconds=240),
        ...     answer_within=timedelta(seconds=15),
        ...     agents=55,
        ...     shrinkage=0.25,
        ... )
        >>> plan.scheduled_agents, round(plan.occupancy, 4)
        (74, 0.8727)

    Raises:
        ValidationError: ``agents`` not above the traffic (the queue grows
            without bound), or a bad load or shrinkage.
    """
    problems = Problems()
    _check_load(calls, interval, aht, answer_within, shrinkage, problems)
    _check_agents(agents, problems)
    problems.raise_if_any()
    traffic, agents = _traffic(calls, interval, aht), int(agents)
    if traffic >= agents:
        raise ValidationError.single(
            "$.agents",
            "must exceed the traffic in Erlangs, or the queue grows without bound",
            "inconsistent",
        )
    blocking = _erlang_b_steps(traffic, agents)[-1]
    return _plan(traffic, agents, blocking, aht, answer_within, shrinkage)
