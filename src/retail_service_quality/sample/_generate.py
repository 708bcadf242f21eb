"""Drawing the sample chain's records, a day at a time, in batches a unit of work can hold."""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from itertools import accumulate, pairwise
from typing import Any, Final

import attrs

from retail_service_quality.customers._customer import ContactPoint, Customer
from retail_service_quality.customers.consent import ConsentEvent, ConsentWithdrawn
from retail_service_quality.metrics.instruments import SurveyResponse
from retail_service_quality.sample import _chain as chain
from retail_service_quality.service.complaints import Complaint
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    InteractionKind,
    InteractionStatus,
    ServiceInteraction,
)

__all__ = ["Batch", "Draw"]

ZERO: Final = timedelta(0)
YEAR_START: Final = datetime(chain.YEAR, 1, 1, tzinfo=chain.ZONE)
DAYS: Final = tuple(chain.PERIOD_START + timedelta(days=n) for n in range(365))
CUSTOMER_CHUNK: Final = 5_000
MAX_CUSTOMERS: Final = 50_000
JOINED_SHARE: Final = 0.2  # customers who join during the year
AGENTS: Final = tuple(f"AG-{n:03d}" for n in range(1, 41))
DESK: Final = tuple(f"CD-{n:02d}" for n in range(1, 9))
REPEAT_SHARE: Final = 0.12
SURVEY_SHARE: Final = 0.04
# The enum members by value, given to the records as members (no conversion per record).
CHANNELS: Final = {member.value: member for member in Channel}
KINDS: Final = {member.value: member for member in InteractionKind}
DIRECTIONS: Final = {member.value: member for member in InteractionDirection}
STATUSES: Final = {member.value: member for member in InteractionStatus}


def customer_count(interactions: int) -> int:
    """Customers for a number of interactions: a tenth of them, from 20 up to 50,000."""
    return min(max(interactions // 10, 20), MAX_CUSTOMERS)


def interaction_chunk(interactions: int) -> int:
    """Interactions per unit of work: at most about 200 of them per run."""
    return max(10_000, -(-interactions // 200))


@attrs.define
class Batch:
    """The records of one unit of work."""

    customers: list[Customer] = attrs.Factory(list)
    consent: list[ConsentEvent] = attrs.Factory(list)
    opt_outs: list[tuple[str, str, datetime]] = attrs.Factory(list)  # customer, event, at
    interactions: list[ServiceInteraction] = attrs.Factory(list)
    complaints: list[Complaint] = attrs.Factory(list)
    responses: list[SurveyResponse] = attrs.Factory(list)


def _weighted(weights: dict[int, float], low: int, high: int) -> tuple[list[int], list[float]]:
    hours = [hour for hour in weights if low <= hour < high]
    return hours, list(accumulate(weights[hour] for hour in hours))


def _day_weights() -> list[list[float]]:
    """The expected share of each source (shops, then the hotline, then online) on each day."""
    shops: list[list[float]] = []
    for store in chain.STORES:
        row = []
        for day in DAYS:
            busy = day.weekday() >= 5 or day in chain.HOLIDAYS
            shut = store.closed_on_sunday and day.weekday() == 6
            lift = chain.MONTH_LIFT[day.month - 1] * (1.35 if busy else 1.0)
            row.append(0.0 if shut else chain.STORE_WEIGHT[store.size] * lift)
        shops.append(row)
    hotline = [
        chain.MONTH_LIFT[day.month - 1]
        * (0.5 if day in chain.HOLIDAYS else 0.75 if day.weekday() >= 5 else 1.0)
        for day in DAYS
    ]
    online = [
        chain.MONTH_LIFT[day.month - 1] * (1.1 if day.weekday() >= 5 else 1.0) for day in DAYS
    ]
    shop_total = sum(map(sum, shops))
    rows = [[w * chain.SHOP_SHARE / shop_total for w in row] for row in shops]
    rows.append([w * chain.HOTLINE_SHARE / sum(hotline) for w in hotline])
    rows.append([w * chain.ONLINE_SHARE / sum(online) for w in online])
    return rows


def allocate(total: int, offset: float) -> list[list[int]]:
    """Interactions by source and day, adding up to ``total`` exactly.

    Each source's total is its share rounded by largest remainders; its days then take
    their shares by systematic rounding (the cumulative count floored after ``offset``, a
    number in [0, 1)), so even a small chain keeps the mix of sources and spreads over the
    year.
    """
    shares = _day_weights()
    exact = [sum(row) * total for row in shares]
    totals = [math.floor(value) for value in exact]
    order = sorted(range(len(exact)), key=lambda source: totals[source] - exact[source])
    for source in order[: total - sum(totals)]:
        totals[source] += 1
    counts = []
    for source, row in enumerate(shares):
        scale = totals[source] / sum(row)
        cumulative = list(accumulate(share * scale for share in row))
        marks = [0, *(math.floor(value + offset) for value in cumulative[:-1]), totals[source]]
        counts.append([min(high, totals[source]) - low for low, high in pairwise(marks)])
    return counts


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


class Draw:
    """The seeded draws of one chain; `batches` yields its records in units of work."""

    def __init__(self, interactions: int, seed: int) -> None:
        self.total = interactions
        self.seed = seed
        self.rng = random.Random(f"retail-service-quality sample {seed}")
        self.customers = customer_count(interactions)
        self.joined = int(self.customers * JOINED_SHARE)
        self.before = self.customers - self.joined
        self.chunk = interaction_chunk(interactions)
        self.form = chain.signup_form()
        self.sla_policy = chain.sla_policy()
        self.recent: deque[tuple[str, str, str]] = deque(maxlen=300)  # complaint, customer, cat
        self.complaint_number = 0
        self.response_number = 0
        categories = chain.CATEGORIES
        self.category_names = [category[0] for category in categories]
        self.category_weights = list(accumulate(category[1] for category in categories))
        self.causes = {
            name: ([cause for cause, _ in causes], list(accumulate(w for _, w in causes)))
            for name, _, causes, _ in categories
        }
        self.remedies = {name: remedies for name, _, _, remedies in categories}
        self.shop_hours = [
            _weighted(chain.STORE_HOURS, int(store.opens[:2]), int(store.closes[:2]))
            for store in chain.STORES
        ]
        self.hotline_hours = _weighted(chain.HOTLINE_HOURS, 9, 21)
        self.online_hours = _weighted(chain.ONLINE_HOURS, 0, 24)

    # -- customers and their consent ---------------------------------------------------------

    def _joined_on(self, number: int) -> date:
        """The day customer ``number`` (1-based) joined, for those who join during the year."""
        return DAYS[min(364, (number - self.before - 1) * 365 // max(self.joined, 1))]

    def _known(self, day: int) -> int:
        """How many customers exist on a day of the year (0-based)."""
        return self.before + self.joined * day // 365

    def _customer(self, number: int, batch: Batch) -> None:
        rng = self.rng
        id = f"C-{number:06d}"
        if number <= self.before:
            created = datetime(2023, 1, 1, tzinfo=chain.ZONE) + timedelta(
                seconds=rng.randrange(3 * 365 * 86_400)
            )
        else:
            created = datetime.combine(self._joined_on(number), datetime.min.time(), chain.ZONE)
            created += timedelta(seconds=(10 + rng.randrange(10)) * 3600 + rng.randrange(3600))
        batch.customers.append(
            Customer(
                id=id,
                name=f"Sample Customer {number:06d}",
                contacts=[ContactPoint("email", f"customer{number:06d}@example.invalid")],
                preferred_channel="email",
                home_store_id=chain.STORES[rng.randrange(len(chain.STORES))].id,
                tier="vip" if rng.random() < 0.1 else "standard",
                created_at=created,
            )
        )
        ticked = ["email-offers"] if rng.random() < 0.6 else []
        events = self.form.consent_events(
            customer_id=id, submission_id=f"S-{number:06d}", ticked=ticked, at=created
        )
        batch.consent.extend(events)
        later = max(created, YEAR_START) + timedelta(seconds=rng.randrange(200 * 86_400))
        if later >= chain.NOW:
            return
        chance = rng.random()
        if ticked and chance < 0.12:
            batch.consent.append(
                ConsentWithdrawn(
                    event_id=f"W-{number:06d}",
                    customer_id=id,
                    at=later,
                    evidence="web:preferences",
                    scope="own_marketing",
                    consent_id=events[-1].event_id,
                )
            )
        elif chance > 0.97:
            batch.opt_outs.append((id, f"O-{number:06d}", later))

    # -- interactions ---------------------------------------------------------------------------

    def _customer_on(self, day: int, share_known: float) -> str | None:
        rng = self.rng
        if rng.random() >= share_known:
            return None
        # Loyal customers (the low numbers) come back more often.
        return f"C-{int(self._known(day) * rng.random() ** 1.6) + 1:06d}"

    def _complainant(self, day: int, customer: str | None) -> tuple[str | None, str, str | None]:
        """The complaint's customer, category and the complaint it repeats, if any."""
        rng = self.rng
        if self.recent and rng.random() < REPEAT_SHARE:
            earlier, who, category = self.recent[rng.randrange(len(self.recent))]
            return who, category, earlier
        category = rng.choices(self.category_names, cum_weights=self.category_weights)[0]
        return customer, category, None

    def _shop(self, index: int, day: int, at: datetime, id: str, batch: Batch) -> None:
        rng = self.rng
        store = chain.STORES[index]
        customer = self._customer_on(day, 0.35)
        kind = rng.choices(
            ("enquiry", "purchase_assistance", "return", "feedback", "compliment", "complaint"),
            cum_weights=(35, 75, 87, 91, 94.2, 95),
        )[0]
        handle = timedelta(seconds=int(_lognormal(rng, 300, 0.6)) + 30)
        self._add(batch, day, id, store.id, "meeting", at, kind, customer, None, handle, None)

    def _hotline(self, day: int, at: datetime, id: str, batch: Batch) -> None:
        rng = self.rng
        customer = self._customer_on(day, 0.7)
        if customer is not None and rng.random() < 0.08:
            self._outbound(day, at, id, customer, batch)
            return
        month = at.month - 1
        peak = 1.5 if at.hour in (11, 18) else 1.0
        wait = (
            0.0 if rng.random() < 0.3 else rng.expovariate(1 / (chain.HOTLINE_WAIT[month] * peak))
        )
        patience = rng.expovariate(1 / 75)
        if patience < wait:
            batch.interactions.append(
                ServiceInteraction(
                    id=id, store_id=chain.HOTLINE, channel=Channel.HOTLINE, occurred_at=at,
                    customer_id=customer, queue_time=timedelta(seconds=int(patience)),
                    abandoned=True, subject=rng.choice(chain.SUBJECTS),
                )
            )  # fmt: skip
            return
        kind = rng.choices(
            ("enquiry", "purchase_assistance", "return", "feedback", "compliment", "complaint"),
            cum_weights=(55, 67, 82, 92, 95, 97.6),
        )[0]
        queue = timedelta(seconds=int(wait))
        talk = timedelta(seconds=int(_lognormal(rng, 240, 0.5)) + 20)
        self._add(batch, day, id, chain.HOTLINE, "hotline", at, kind, customer, queue, None, talk)

    def _outbound(self, day: int, at: datetime, id: str, customer: str, batch: Batch) -> None:
        talk = timedelta(seconds=int(_lognormal(self.rng, 150, 0.5)) + 20)
        self._add(batch, day, id, chain.HOTLINE, "hotline", at, "follow_up", customer, None, None,
                  talk, direction="outbound")  # fmt: skip

    def _online(self, day: int, at: datetime, id: str, batch: Batch) -> None:
        rng = self.rng
        channel = rng.choices(("email", "online", "feedback_form"), cum_weights=(45, 85, 100))[0]
        customer = self._customer_on(day, 0.8 if channel == "online" else 1.0)
        kind = rng.choices(
            ("enquiry", "purchase_assistance", "return", "feedback", "compliment", "complaint"),
            cum_weights=(50, 60, 75, 90, 94, 96.6),
        )[0]
        if channel == "online":  # web chat: a short queue, then a chat
            queue = timedelta(seconds=int(_lognormal(rng, 25, 0.7)))
            talk = timedelta(seconds=int(_lognormal(rng, 300, 0.5)) + 30)
            self._add(batch, day, id, chain.ONLINE, channel, at, kind, customer, queue, None, talk)
            return
        reply = timedelta(minutes=int(_lognormal(rng, 240 if channel == "email" else 600, 0.8)))
        self._add(batch, day, id, chain.ONLINE, channel, at, kind, customer, None, reply, None)

    def _add(
        self, batch: Batch, day: int, id: str, store_id: str, channel: str, at: datetime,
        kind: str, customer: str | None, queue: timedelta | None, handle: timedelta | None,
        talk: timedelta | None, direction: str = "inbound",
    ) -> None:  # fmt: skip
        """One answered interaction (its complaint and survey response, if it brings them)."""
        rng = self.rng
        category = repeat = None
        if kind == "complaint":
            customer, category, repeat = self._complainant(day, customer)
        # Calls, chats and visits carry their timings; written contacts their reply's time.
        after = replied = None
        if talk is not None:
            after = timedelta(seconds=int(_lognormal(rng, 40, 0.4)))
            done = at + (queue or ZERO) + talk + after
        elif channel == "meeting":
            done = at + (handle or ZERO)
        else:
            replied = done = at + (handle or ZERO)
            if replied >= chain.NOW:
                replied = None
        finished = done < chain.NOW
        resolved = rng.random() < (0.55 if kind == "complaint" else 0.86)
        status = "resolved" if finished else "open"
        if kind == "complaint":
            status = "escalated" if finished else "open"
            resolved = False
        interaction = ServiceInteraction(
            id=id, store_id=store_id, channel=CHANNELS[channel], occurred_at=at,
            kind=KINDS[kind], direction=DIRECTIONS[direction], customer_id=customer,
            status=STATUSES[status],
            subject=category or rng.choice(chain.SUBJECTS),
            first_response_at=replied, closed_at=replied,
            queue_time=queue, talk_time=talk, after_call_work=after,
            handle_time=None if talk is not None or replied is not None else handle,
            resolved_first_contact=resolved if finished else None,
            agent_id=AGENTS[rng.randrange(len(AGENTS))] if channel != "meeting" else None,
        )  # fmt: skip
        batch.interactions.append(interaction)
        if category is not None:
            batch.complaints.append(self._complaint(interaction, category, repeat))
        elif finished and rng.random() < SURVEY_SHARE:
            self._survey(interaction, done, batch)

    # -- complaints -----------------------------------------------------------------------------

    def _complaint(
        self, interaction: ServiceInteraction, category: str, repeat: str | None
    ) -> Complaint:
        self.complaint_number += 1
        id = f"CMP-{self.complaint_number:06d}"
        if interaction.customer_id is not None:
            self.recent.append((id, interaction.customer_id, category))
        remedies = self.remedies[category]
        at = interaction.occurred_at
        complaint = Complaint.receive(
            id=id, at=at, channel=interaction.channel, store_id=interaction.store_id,
            category=category, customer_id=interaction.customer_id,
            remedy_requested=remedies[0], repeat_of=repeat, by=interaction.agent_id,
            sla_policy=self.sla_policy,
        )  # fmt: skip
        slow = interaction.store_id == chain.SLOW_STORE
        return _Lifecycle(self, complaint, slow).run()

    # -- survey responses -----------------------------------------------------------------------

    def _survey(self, interaction: ServiceInteraction, closed: datetime, batch: Batch) -> None:
        rng = self.rng
        received = closed + timedelta(minutes=5 + rng.randrange(600))
        if received >= chain.NOW:
            return
        self.response_number += 1
        good = bool(interaction.resolved_first_contact) and (
            interaction.queue_time is None or interaction.queue_time <= timedelta(seconds=30)
        )
        answers: dict[str, Any]
        weights: tuple[int, ...]
        if interaction.channel == "meeting":
            instrument = "nps"
            weights = (
                (1, 1, 1, 2, 2, 4, 6, 10, 18, 25, 30)
                if good
                else (4, 3, 4, 6, 8, 12, 12, 14, 14, 12, 11)
            )
            answers = {"nps": rng.choices(range(11), weights=weights)[0]}
        elif interaction.channel in ("online", "feedback_form"):
            instrument = "ces"
            weights = (2, 3, 6, 10, 20, 30, 29) if good else (8, 10, 14, 20, 20, 16, 12)
            answers = {"ces": rng.choices(range(1, 8), weights=weights)[0]}
        else:
            instrument = "csat"
            weights = (3, 4, 10, 35, 48) if good else (12, 14, 24, 30, 20)
            answers = {
                "csat": rng.choices(range(1, 6), weights=weights)[0],
                "resolved": bool(interaction.resolved_first_contact),
            }
        batch.responses.append(
            SurveyResponse(
                id=f"R-{self.response_number:07d}", instrument_id=instrument, edition=1,
                received_at=received, store_id=interaction.store_id, channel=interaction.channel,
                interaction_id=interaction.id, answers=answers,
            )
        )  # fmt: skip

    # -- the batches -----------------------------------------------------------------------------

    def customer_batches(self) -> Iterator[Batch]:
        """The customers and their consent ledgers, a few thousand to a batch."""
        for low in range(1, self.customers + 1, CUSTOMER_CHUNK):
            batch = Batch()
            for number in range(low, min(low + CUSTOMER_CHUNK, self.customers + 1)):
                self._customer(number, batch)
            yield batch

    def interaction_batches(self) -> Iterator[Batch]:
        """The year's interactions, in order of time, with their complaints and responses."""
        rng = self.rng
        counts = allocate(self.total, rng.random())
        shops = len(chain.STORES)
        number = 0
        batch = Batch()
        for day_index, day in enumerate(DAYS):
            start = datetime.combine(day, datetime.min.time(), chain.ZONE)
            arrivals: list[tuple[int, int]] = []  # (second of the day, source)
            for source, row in enumerate(counts):
                count = row[day_index]
                if not count:
                    continue
                if source < shops:
                    hours, weights = self.shop_hours[source]
                elif source == shops:
                    hours, weights = self.hotline_hours
                else:
                    hours, weights = self.online_hours
                for hour in rng.choices(hours, cum_weights=weights, k=count):
                    arrivals.append((hour * 3600 + rng.randrange(3600), source))
            arrivals.sort()
            for second, source in arrivals:
                number += 1
                id = f"I-{number:08d}"
                at = start + timedelta(seconds=second)
                if source < shops:
                    self._shop(source, day_index, at, id, batch)
                elif source == shops:
                    self._hotline(day_index, at, id, batch)
                else:
                    self._online(day_index, at, id, batch)
                if len(batch.interactions) >= self.chunk:
                    yield batch
                    batch = Batch()
        if batch.interactions:
            yield batch


class _Lifecycle:
    """A complaint moved through its steps, stopping at the chain's ``now``."""

    def __init__(self, draw: Draw, complaint: Complaint, slow: bool) -> None:
        self.draw = draw
        self.rng = draw.rng
        self.complaint = complaint
        self.slow = slow
        self.at = complaint.received_at

    def _next(self, hours: float) -> datetime | None:
        self.at = self.at + timedelta(minutes=max(1, int(hours * 60)))
        return self.at if self.at < chain.NOW else None

    def _step(self, hours: float, move: Callable[[datetime], Complaint]) -> bool:
        at = self._next(hours)
        if at is None:
            return False
        self.complaint = move(at)
        return True

    def _respond_and_settle(self, slow_factor: float) -> bool:
        rng = self.rng
        c = self.complaint
        category = c.category
        remedies = self.draw.remedies[category]
        remedy = remedies[rng.randrange(len(remedies))]
        amount = rng.randrange(100, 2_000) * 100 if remedy in ("refund", "credit") else None
        by = DESK[rng.randrange(len(DESK))]
        if not self._step(
            _lognormal(rng, 50, 0.8) * slow_factor,
            lambda at: self.complaint.respond(at=at, remedy=remedy, amount_cents=amount, by=by),
        ):
            return False
        if rng.random() < 0.85:
            return self._step(_lognormal(rng, 10, 0.8), lambda at: self.complaint.accept(at=at))
        if not self._step(_lognormal(rng, 20, 0.8), lambda at: self.complaint.decline(at=at)):
            return False
        if rng.random() < 0.5:
            if not self._step(
                1, lambda at: self.complaint.escalate(at=at, to="store_manager", by=by)
            ):
                return False
            return self._respond_and_settle(1.0)
        return True

    def _close(self) -> bool:
        rng = self.rng
        causes, weights = self.draw.causes[self.complaint.category]
        cause = rng.choices(causes, cum_weights=weights)[0]
        recourse = "consumer_council" if self.complaint.accepted is False else None
        return self._step(
            _lognormal(rng, 4, 0.6),
            lambda at: self.complaint.close(
                at=at, root_cause=cause, corrective_action=chain.CORRECTIVE[cause],
                recourse=recourse, by=DESK[0],
            ),
        )  # fmt: skip

    def run(self) -> Complaint:
        rng = self.rng
        slow = 2.5 if self.slow else 1.0
        chance = rng.random()
        first = (
            _lognormal(rng, 1.5, 0.6)
            if chance < (0.55 if self.slow else 0.85)
            else _lognormal(rng, 14, 0.4) if chance < (0.75 if self.slow else 0.98)
            else _lognormal(rng, 50, 0.3)
        )  # fmt: skip
        by = DESK[rng.randrange(len(DESK))]
        severity = rng.choices((1, 2, 3, 4), cum_weights=(20, 60, 90, 100))[0]
        priority = ("low", "normal", "high", "urgent")[severity - 1]
        if not (
            self._step(first, lambda at: self.complaint.acknowledge(at=at, by=by))
            and self._step(
                _lognormal(rng, 3, 0.5),
                lambda at: self.complaint.assess(
                    at=at, severity=severity, priority=priority, by=by
                ),
            )
        ):
            return self.complaint
        if (
            severity == 4
            and rng.random() < 0.5
            and not self._step(
                0.5, lambda at: self.complaint.escalate(at=at, to="store_manager", by=by)
            )
        ):
            return self.complaint
        if not self._step(_lognormal(rng, 1, 0.5), lambda at: self.complaint.investigate(at=at)):
            return self.complaint
        if rng.random() < 0.2 and not (
            self._step(
                _lognormal(rng, 6, 0.6),
                lambda at: self.complaint.wait_on_customer(at=at, reason="more_details", by=by),
            )
            and self._step(_lognormal(rng, 50, 0.7), lambda at: self.complaint.record_reply(at=at))
        ):
            return self.complaint
        if not (self._respond_and_settle(slow) and self._close()):
            return self.complaint
        if rng.random() < 0.03:
            if not (
                self._step(
                    _lognormal(rng, 200, 0.5),
                    lambda at: self.complaint.reopen(at=at, reason="not_fixed", by=by),
                )
                and self._respond_and_settle(1.0)
            ):
                return self.complaint
            self._close()
        return self.complaint
