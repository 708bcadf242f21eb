"""What every jurisdiction's rules share: the rule as data, the facts of a question, the checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.times import instant_problem, zone_named
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_enum,
    check_id,
    lenient_enum,
    raise_problems,
)
from retail_service_quality.customers.consent import (
    CHANNEL_DATA_KIND,
    ConsentGiven,
    ConsentLedger,
    ConsentMethod,
    ConsentState,
    DataKind,
    MarketingChannel,
    NoticeServed,
    Permission,
)
from retail_service_quality.customers.uses import DataProvided, DataUse, MarketingMessageSent
from retail_service_quality.errors import Problems, join_path
from retail_service_quality.rules import Decision, Reason
from retail_service_quality.rules._decision import check_sentence

__all__ = ["PrivacyRule"]

_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

KIND_WORDS: Final = {
    DataKind.NAME: "name",
    DataKind.MOBILE_NUMBER: "mobile number",
    DataKind.EMAIL: "email address",
    DataKind.POSTAL_ADDRESS: "postal address",
    DataKind.SOCIAL_HANDLE: "social media handle",
    DataKind.FAX: "fax number",
}
"""How each kind of data is named in an explanation."""

CHANNEL_WORDS: Final = {
    MarketingChannel.SMS: "SMS",
    MarketingChannel.CALL: "phone call",
    MarketingChannel.EMAIL: "email",
    MarketingChannel.POST: "post",
    MarketingChannel.SOCIAL: "social media",
    MarketingChannel.FAX: "fax",
}
"""How each channel is named in an explanation."""


def spoken(day: date) -> str:
    """A date as an officer reads it out: ``1 April 2013``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def kinds_words(kinds: Iterable[DataKind]) -> str:
    """Kinds of data in words: ``mobile number and email address``."""
    words = [KIND_WORDS[kind] for kind in kinds]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _check_day(value: object, path: str, problems: Problems) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        problems.add(path, "must be a date (not a datetime)", "type")


@attrs.frozen(kw_only=True)
class PrivacyRule(Tabular):
    """One rule of a privacy law, as data: what it requires, where it comes from, since when.

    A rule applies from the start (midnight) of ``applies_from`` in its
    law's time zone, and, for a rule that a later one replaced, up to the
    end of ``applies_until``. A decision about an instant outside that span
    does not use the rule: its reason passes and says so.

    Attributes:
        id: the rule's stable identifier, ``law.section.topic`` (``"pdpo.s35G.opt_out"``).
        law: the code of the law it belongs to (``"pdpo"``, ``"gdpr"``).
        section: the section, article or principle (``"s.35G"``).
        source: the full citation.
        applies_from: the first date on which it applies.
        summary: what it requires, in plain words.
        timezone: the IANA zone whose midnight starts (and ends) its span.
        applies_until: the last date on which it applies, for a rule replaced later.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> rule = PrivacyRule(
        ...     id="pdpo.s35G.opt_out", law="pdpo", section="s.35G",
        ...     source="Personal Data (Privacy) Ordinance (Cap. 486), s.35G",
        ...     applies_from=date(2013, 4, 1), timezone="Asia/Hong_Kong",
        ...     summary="A person may ask, free of charge, to stop direct marketing.",
        ... )
        >>> rule.in_force(datetime(2013, 3, 31, 16, tzinfo=timezone.utc))
        True
        >>> rule.in_force(datetime(2013, 3, 31, 15, 59, tzinfo=timezone.utc))
        False

    Raises:
        ValidationError: every problem, with its path.
    """

    id: str = attrs.field(default=REQUIRED)
    law: str = attrs.field(default=REQUIRED)
    section: str = attrs.field(default=REQUIRED)
    source: str = attrs.field(default=REQUIRED)
    applies_from: date = attrs.field(default=REQUIRED)
    summary: str = attrs.field(default=REQUIRED)
    timezone: str = attrs.field(default=REQUIRED)
    applies_until: date | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        check_id(self.id, "$.id", problems)
        check_id(self.law, "$.law", problems)
        for name in ("section", "source", "summary"):
            check_sentence(getattr(self, name), f"$.{name}", problems)
        _check_day(self.applies_from, "$.applies_from", problems)
        if zone_named(self.timezone) is None:
            problems.add("$.timezone", "must be a known IANA time zone", "unknown_choice")
        if self.applies_until is not None:
            _check_day(self.applies_until, "$.applies_until", problems)
            if not problems and self.applies_until < self.applies_from:
                problems.add("$.applies_until", "must not be before applies_from", "inconsistent")
        raise_problems(self, problems)

    def in_force(self, at: datetime) -> bool:
        """Whether the rule applies at the instant ``at`` (an aware datetime).

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> rule = PrivacyRule(
            ...     id="gdpr.art99.application", law="gdpr", section="Art. 99(2)",
            ...     source="Regulation (EU) 2016/679 (GDPR), Art. 99(2)",
            ...     applies_from=date(2018, 5, 25), timezone="Europe/Brussels",
            ...     summary="The Regulation applies from 25 May 2018.",
            ... )
            >>> rule.in_force(datetime(2018, 5, 24, 22, tzinfo=timezone.utc))
            True
        """
        zone = zone_named(self.timezone)
        moment = at.astimezone(UTC)
        if moment < datetime.combine(self.applies_from, time(0), tzinfo=zone):
            return False
        if self.applies_until is None or self.applies_until.year == 9999:
            return True
        end = datetime.combine(self.applies_until + relativedelta(days=1), time(0), tzinfo=zone)
        return moment < end

    def reason(self, at: datetime, passed: bool, explanation: str) -> Reason:
        """This rule's `Reason` for a decision at ``at``: the finding, or why it was not applied.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> rule = PrivacyRule(
            ...     id="pdpo.s35G.opt_out", law="pdpo", section="s.35G",
            ...     source="Personal Data (Privacy) Ordinance (Cap. 486), s.35G",
            ...     applies_from=date(2013, 4, 1), timezone="Asia/Hong_Kong",
            ...     summary="A person may ask, free of charge, to stop direct marketing.",
            ... )
            >>> before = rule.reason(datetime(2012, 1, 1, tzinfo=timezone.utc), False, "Opted out.")
            >>> before.passed, before.explanation
            (True, 'Not applied: s.35G applies from 1 April 2013, after this instant.')
        """
        if not self.in_force(at):
            if at.astimezone(UTC) < datetime.combine(
                self.applies_from, time(0), tzinfo=zone_named(self.timezone)
            ):
                text = f"Not applied: {self.section} applies from {spoken(self.applies_from)}"
                text += ", after this instant."
            else:
                until = spoken(self.applies_until) if self.applies_until else ""
                text = f"Not applied: {self.section} applied until {until}, before this instant."
            return self._reason(True, text)
        return self._reason(passed, explanation)

    def _reason(self, passed: bool, explanation: str) -> Reason:
        return Reason(
            rule_id=self.id,
            source=self.source,
            applies_from=self.applies_from,
            passed=passed,
            explanation=explanation,
        )


class Findings:
    """The reasons and obligations of one decision, collected rule by rule."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.reasons: list[Reason] = []
        self.obligations: list[str] = []

    def check(
        self, rule: PrivacyRule, passed: bool, explanation: str, obligation: str | None = None
    ) -> None:
        """Record ``rule``'s finding (or that it did not apply), and its obligation if any."""
        self.reasons.append(rule.reason(self.at, passed, explanation))
        if obligation is not None and rule.in_force(self.at):
            self.obligations.append(obligation)

    def commencement(self, rule: PrivacyRule, name: str) -> bool:
        """Record whether the law itself applies at the instant; return it."""
        applies = rule.in_force(self.at)
        if applies:
            text = f"The {name} applies: it has applied since {spoken(rule.applies_from)}."
        else:
            text = (
                f"The {name} applies only from {spoken(rule.applies_from)}: no rule of it can "
                "permit this before then."
            )
        self.reasons.append(rule._reason(applies, text))
        return applies

    def decision(self, question: str, law: str) -> Decision:
        allowed = all(reason.passed for reason in self.reasons)
        return Decision(
            allowed=allowed,
            question=question,
            law=law,
            at=self.at,
            reasons=tuple(self.reasons),
            obligations=tuple(self.obligations) if allowed else (),
        )


# ---------------------------------------------------------------- the facts of a question


@attrs.frozen
class Marketing:
    """The checked facts of one direct-marketing question."""

    ledger: ConsentLedger
    state: ConsentState
    channel: MarketingChannel
    marketing_class: str
    at: datetime
    uses: tuple[DataUse, ...]
    birth: date | None
    suppressed: bool
    digital_consent_age: int

    @property
    def kind(self) -> DataKind:
        return CHANNEL_DATA_KIND[self.channel]

    @property
    def pair(self) -> Permission:
        return Permission(self.kind, self.marketing_class)

    @property
    def what(self) -> str:
        return f"{CHANNEL_WORDS[self.channel]} about '{self.marketing_class}'"

    def question(self) -> str:
        return (
            f"May we send direct marketing about '{self.marketing_class}' by "
            f"{CHANNEL_WORDS[self.channel]} (using the {KIND_WORDS[self.kind]})?"
        )

    def first_use(self) -> bool:
        """Whether no earlier marketing message told the customer of their right to opt out.

        The statement is owed on the first use; a first message sent without it leaves it owed,
        so the next message must carry it.
        """
        moment = self.at.astimezone(UTC)
        return not any(
            isinstance(use, MarketingMessageSent)
            and use.opt_out_statement
            and use.at.astimezone(UTC) < moment
            for use in self.uses
        )


@attrs.frozen
class Provision:
    """The checked facts of one question of providing data to another party."""

    ledger: ConsentLedger
    state: ConsentState
    recipient_class: str
    data_kinds: tuple[DataKind, ...]
    for_gain: bool
    at: datetime
    agent: bool
    birth: date | None
    digital_consent_age: int

    @property
    def pairs(self) -> tuple[Permission, ...]:
        return tuple(Permission(kind, self.recipient_class) for kind in self.data_kinds)

    def question(self) -> str:
        gain = ", for gain" if self.for_gain else ""
        return (
            f"May we provide the customer's {kinds_words(self.data_kinds)} to a recipient "
            f"of class '{self.recipient_class}' for its own direct marketing{gain}?"
        )


def current_notice(ledger: ConsentLedger, at: datetime) -> NoticeServed | None:
    """The last notice served at or before ``at``, in the ledger's replay order."""
    moment = at.astimezone(UTC)
    found = None
    for event in ledger.events:
        if isinstance(event, NoticeServed) and event.at.astimezone(UTC) <= moment:
            found = event
    return found


def consents_by_id(ledger: ConsentLedger) -> dict[str, ConsentGiven]:
    return {consent.event_id: consent for consent in ledger.consents}


def without_online_consents(ledger: ConsentLedger) -> ConsentLedger:
    """The ledger as if no consent had been given online (for a child's consent)."""
    kept = tuple(c for c in ledger.consents if c.method is not ConsentMethod.ONLINE)
    return attrs.evolve(ledger, consents=kept)


def age_on(birth: date, day: date) -> int:
    """Whole years from ``birth`` to ``day``: a year older at the start of each birthday (Age of
    Majority (Related Provisions) Ordinance, Cap. 410, s.4); born on 29 February, on 1 March of a
    common year, as `Customer.age_on` counts."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def local_day(at: datetime, zone_name: str) -> date:
    """The date of the instant ``at`` on the wall clock of the zone ``zone_name``."""
    return at.astimezone(zone_named(zone_name)).date()


# ---------------------------------------------------------------- input checks

LAWS: Final = ("pdpo", "gdpr")
_LATEST_OFFSET: Final = timedelta(hours=14)  # the furthest ahead of UTC any clock runs


def check_law(law: object, problems: Problems) -> None:
    if not isinstance(law, str) or law not in LAWS:
        code = "unknown_choice" if isinstance(law, str) else "type"
        problems.add("$.law", "must be one of: " + ", ".join(LAWS), code)


def check_bool(value: object, path: str, problems: Problems) -> None:
    if not isinstance(value, bool):
        problems.add(path, "must be true or false", "type")


def check_ledger(ledger: object, problems: Problems) -> bool:
    if not isinstance(ledger, ConsentLedger):
        problems.add("$.ledger", "must be a ConsentLedger", "type")
        return False
    return True


def check_uses(uses: object, path: str, problems: Problems) -> tuple[DataUse, ...]:
    """The data-use records in ``uses``, each checked (a list of them, or any iterable)."""
    if isinstance(uses, str | bytes | dict) or not isinstance(uses, Iterable):
        problems.add(path, "must be a list of data-use records", "type")
        return ()
    found: list[DataUse] = []
    for index, use in enumerate(uses):
        if isinstance(use, MarketingMessageSent | DataProvided):
            found.append(use)
        else:
            problems.add(
                join_path(path, index),
                "must be a MarketingMessageSent or DataProvided record",
                "type",
            )
    return tuple(found)


def check_at(at: object, problems: Problems, path: str = "$.at") -> None:
    check_aware(at, path, problems)


def check_channel(value: object, problems: Problems) -> MarketingChannel | None:
    channel = lenient_enum(MarketingChannel, value)
    check_enum(channel, MarketingChannel, "$.channel", problems)
    return channel if isinstance(channel, MarketingChannel) else None


def check_kinds(value: object, problems: Problems) -> tuple[DataKind, ...]:
    if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
        problems.add("$.data_kinds", "must be a list of kinds of personal data", "type")
        return ()
    found: list[DataKind] = []
    for index, item in enumerate(value):
        kind = lenient_enum(DataKind, item)
        path = join_path("$.data_kinds", index)
        check_enum(kind, DataKind, path, problems)
        if isinstance(kind, DataKind):
            if kind in found:
                problems.add(path, "repeats a kind of data", "duplicate")
            else:
                found.append(kind)
    if not found and not problems:
        problems.add("$.data_kinds", "must name at least one kind of personal data", "required")
    return tuple(found)


def check_child_age(value: object, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add("$.digital_consent_age", "must be a whole number of years", "type")
    elif not 13 <= value <= 16:
        problems.add(
            "$.digital_consent_age",
            "must be from 13 to 16 (GDPR Art. 8(1): a member state may lower 16 to 13)",
            "range",
        )


def check_customer(customer: object, ledger: object, at: object, problems: Problems) -> date | None:
    """The customer's date of birth, if the record gives one; problems if it is not usable.

    Any attrs record with an ``id`` (the ledger's customer) is accepted; its
    ``date_of_birth``, if it has one, is read.
    """
    if customer is None:
        return None
    if not attrs.has(type(customer)) or not hasattr(customer, "id"):
        problems.add("$.customer", "must be a customer record", "type")
        return None
    if isinstance(ledger, ConsentLedger) and customer.id != ledger.customer_id:
        problems.add("$.customer.id", "must be the ledger's customer", "inconsistent")
    birth: Any = getattr(customer, "date_of_birth", None)
    if birth is None:
        return None
    if not isinstance(birth, date) or isinstance(birth, datetime):
        problems.add("$.customer.date_of_birth", "must be a date (not a datetime)", "type")
        return None
    latest = None
    if isinstance(at, datetime) and instant_problem(at) is None:
        latest = _LATEST_OFFSET + at.astimezone(UTC)
    if latest is not None and birth > latest.date():  # after the date anywhere on Earth
        problems.add(
            "$.customer.date_of_birth", "must not be after the decision's date", "inconsistent"
        )
        return None
    return birth
