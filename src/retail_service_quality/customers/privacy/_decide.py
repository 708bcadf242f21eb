"""The entry points: decisions on marketing and provision, and notices to recipients."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from retail_service_quality._internal.records import Tabular
from retail_service_quality._internal.validation import check_id
from retail_service_quality.customers.consent import ConsentLedger, DataKind, MarketingChannel
from retail_service_quality.customers.privacy import gdpr, pdpo
from retail_service_quality.customers.privacy._common import (
    Marketing,
    PrivacyRule,
    Provision,
    check_at,
    check_bool,
    check_channel,
    check_child_age,
    check_customer,
    check_kinds,
    check_law,
    check_ledger,
    check_uses,
)
from retail_service_quality.customers.uses import DataProvided, DataUse
from retail_service_quality.errors import Problems
from retail_service_quality.rules import Decision

__all__ = [
    "RecipientNotice",
    "cease_notices",
    "correction_recipients",
    "decide_marketing",
    "decide_provision",
]

_LOG: Final = logging.getLogger("retail_service_quality.customers.privacy")

_MARKETING: Final[dict[str, Callable[[Marketing], Decision]]] = {
    pdpo.CODE: pdpo.marketing_decision,
    gdpr.CODE: gdpr.marketing_decision,
}
_PROVISION: Final[dict[str, Callable[[Provision], Decision]]] = {
    pdpo.CODE: pdpo.provision_decision,
    gdpr.CODE: gdpr.provision_decision,
}


def decide_marketing(
    ledger: ConsentLedger,
    *,
    channel: MarketingChannel | str,
    marketing_class: str,
    at: datetime,
    law: str = "pdpo",
    uses: Iterable[DataUse] = (),
    customer: Any = None,
    suppressed: bool = False,
    digital_consent_age: int = gdpr.DIGITAL_CONSENT_AGE,
) -> Decision:
    """May the retailer send this customer direct marketing of this class, on this channel, now?

    Reads the customer's consent ledger at the instant ``at`` and applies the
    law's rules in turn; the `Decision` gives every rule's reason and, when
    allowed, what must be done on going ahead.

    - ``law="pdpo"``: a notice served naming the kind of data the channel
      needs and the class (s.35C); a consent in effect covering both
      (s.35E(2)); an oral consent counts once confirmed in writing within 14
      days (s.35E(1)(b)); no opt-out (s.35G) and the contact point not
      ``suppressed``; on the first use (no earlier `MarketingMessageSent` in
      ``uses``) the opt-out statement is an obligation (s.35F). A customer
      under 18 on that day (Hong Kong date) is never marketed to on their
      own consent: the library's conservative reading of DPP3(2)-(4).
      Before 1 April 2013 Part 6A does not apply and DPP3's consent does.
    - ``law="gdpr"``: a consent specific to the kind of data and the class
      (Art. 6(1)(a), 7); no objection (Art. 21(3)) and not ``suppressed``; a
      child under ``digital_consent_age`` (16, or a member state's lower age,
      13 at least) is not marketed to on a consent given online (Art. 8);
      the first message presents the right to object (Art. 21(4)).

    A rule does not apply before its start date, and its reason says so;
    before the law itself applies, nothing is allowed.

    Args:
        ledger: the customer's consent ledger.
        channel: the channel (`MarketingChannel` or its value, ``"sms"``).
        marketing_class: the class of marketing subjects of the message.
        at: the instant of the decision (timezone-aware).
        law: ``"pdpo"`` or ``"gdpr"``.
        uses: what was done with the customer's data (other customers'
            records are ignored).
        customer: the customer record, for its date of birth if it has one
            (any record with the ledger's customer ``id``).
        suppressed: whether the channel's contact point is on the
            suppression list (see `SuppressionEntry`).
        digital_consent_age: GDPR Art. 8(1)'s age, from 13 to 16.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.customers.consent import (
        ...     ConsentGiven, ConsentLedger, NoticeServed,
        ... )
        >>> at = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
        >>> common = dict(customer_id="C-1", at=at, evidence="form:F-1")
        >>> ledger = ConsentLedger.of("C-1", [
        ...     NoticeServed(event_id="N-1", **common, notice_version="v1",
        ...                  data_kinds=["mobile_number"], marketing_classes=["cosmetics"]),
        ...     ConsentGiven(event_id="K-1", **common, method="written", scope="own_marketing",
        ...                  data_kinds=["mobile_number"], marketing_classes=["cosmetics"],
        ...                  notice_version="v1", explicit=True),
        ... ])
        >>> decision = decide_marketing(
        ...     ledger, channel="sms", marketing_class="cosmetics", at=at,
        ... )
        >>> decision.allowed, decision.obligations
        (True, ('include the opt-out statement (the right to opt out, free of charge)',))
        >>> email = decide_marketing(ledger, channel="email", marketing_class="cosmetics", at=at)
        >>> email.allowed, [reason.rule_id for reason in email.failed]
        (False, ['pdpo.s35C.notice', 'pdpo.s35E.consent'])

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """
    problems = Problems()
    has_ledger = check_ledger(ledger, problems)
    found_channel = check_channel(channel, problems)
    check_id(marketing_class, "$.marketing_class", problems)
    check_at(at, problems)
    check_law(law, problems)
    found_uses = check_uses(uses, "$.uses", problems)
    birth = check_customer(customer, ledger, at, problems)
    check_bool(suppressed, "$.suppressed", problems)
    check_child_age(digital_consent_age, problems)
    problems.raise_if_any()
    assert has_ledger
    assert found_channel is not None
    case = Marketing(
        ledger=ledger,
        state=ledger.state(at),
        channel=found_channel,
        marketing_class=marketing_class,
        at=at,
        uses=tuple(use for use in found_uses if use.customer_id == ledger.customer_id),
        birth=birth,
        suppressed=suppressed,
        digital_consent_age=digital_consent_age,
    )
    return _logged("marketing", _MARKETING[law](case))


def decide_provision(
    ledger: ConsentLedger,
    *,
    recipient_class: str,
    data_kinds: Iterable[DataKind | str],
    for_gain: bool,
    at: datetime,
    law: str = "pdpo",
    agent: bool = False,
    customer: Any = None,
    digital_consent_age: int = gdpr.DIGITAL_CONSENT_AGE,
) -> Decision:
    """May the retailer give these kinds of the customer's data to this class of recipients?

    - ``law="pdpo"``: an ``agent`` marketing on the retailer's own behalf
      is not provision (s.35I(2)): allowed, the retailer's own marketing
      rules apply to what it sends. Otherwise: a written notice naming the
      class of recipients and every kind of data, saying it is for gain when
      it is (s.35J); a written consent covering each kind for the class
      (s.35K); no cease request (s.35L); not a minor (DPP3(2)-(4), the
      library's reading). Before 1 April 2013: DPP3's consent.
    - ``law="gdpr"``: an ``agent`` is a processor (Art. 28): allowed.
      Otherwise: a notice naming the recipients and the kinds (Art.
      13(1)(e)); a consent naming the class and covering each kind (Art.
      6(1)(a), 7); no objection (Art. 21); a child's online consent does not
      count (Art. 8).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.customers.consent import (
        ...     ConsentGiven, ConsentLedger, NoticeServed,
        ... )
        >>> at = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
        >>> common = dict(customer_id="C-1", at=at, evidence="form:F-2")
        >>> ledger = ConsentLedger.of("C-1", [
        ...     NoticeServed(event_id="N-1", **common, notice_version="v1",
        ...                  data_kinds=["email"], marketing_classes=["cosmetics"],
        ...                  recipient_classes=["insurers"]),
        ...     ConsentGiven(event_id="K-1", **common, method="written", scope="provision",
        ...                  data_kinds=["email"], marketing_classes=["cosmetics"],
        ...                  recipient_classes=["insurers"], notice_version="v1",
        ...                  explicit=True),
        ... ])
        >>> decide_provision(
        ...     ledger, recipient_class="insurers", data_kinds=["email"], for_gain=False, at=at,
        ... ).allowed
        True
        >>> gain = decide_provision(
        ...     ledger, recipient_class="insurers", data_kinds=["email"], for_gain=True, at=at,
        ... )
        >>> gain.allowed, gain.failed[0].rule_id
        (False, 'pdpo.s35J.notice')

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """
    problems = Problems()
    has_ledger = check_ledger(ledger, problems)
    check_id(recipient_class, "$.recipient_class", problems)
    kinds = check_kinds(data_kinds, problems)
    check_bool(for_gain, "$.for_gain", problems)
    check_at(at, problems)
    check_law(law, problems)
    check_bool(agent, "$.agent", problems)
    birth = check_customer(customer, ledger, at, problems)
    check_child_age(digital_consent_age, problems)
    problems.raise_if_any()
    assert has_ledger
    case = Provision(
        ledger=ledger,
        state=ledger.state(at),
        recipient_class=recipient_class,
        data_kinds=kinds,
        for_gain=for_gain,
        at=at,
        agent=agent,
        birth=birth,
        digital_consent_age=digital_consent_age,
    )
    return _logged("provision", _PROVISION[law](case))


def _logged(topic: str, decision: Decision) -> Decision:
    """Log a decision at DEBUG: its law, verdict and failed rule ids (no personal value)."""
    _LOG.debug(
        "%s decision under %s: %s; failed rules: %s",
        topic,
        decision.law,
        "allowed" if decision.allowed else "not allowed",
        ", ".join(reason.rule_id for reason in decision.failed) or "none",
    )
    return decision


# ---------------------------------------------------------------- notices to recipients


@attrs.frozen(kw_only=True)
class RecipientNotice(Tabular):
    """A written notice owed to one party that received a customer's data, and why.

    Attributes:
        customer_id: whose data it received.
        recipient_id: the party to write to.
        recipient_class: its class of recipients (at the latest provision).
        data_kinds: every kind of the customer's data it received.
        last_provided_at: when it last received some.
        agent: whether it received the data as the retailer's agent.
        rule_id: the rule that requires the notice.
        source: that rule's legal source.

    Examples:
        >>> from datetime import datetime, timezone
        >>> notice = RecipientNotice(
        ...     customer_id="C-1", recipient_id="P-1", recipient_class="insurers",
        ...     data_kinds=(DataKind.EMAIL,), last_provided_at=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...     agent=False, rule_id="pdpo.s35L.notify_recipients",
        ...     source="Personal Data (Privacy) Ordinance (Cap. 486), s.35L(2)",
        ... )
        >>> notice.to_records()[0]["recipient_id"]
        'P-1'
    """  # noqa: E501

    customer_id: str
    recipient_id: str
    recipient_class: str
    data_kinds: tuple[DataKind, ...]
    last_provided_at: datetime
    agent: bool
    rule_id: str
    source: str


def _notices(provided: list[DataProvided], rule: PrivacyRule) -> tuple[RecipientNotice, ...]:
    """One notice per (customer, recipient), from its provisions (latest class, every kind)."""
    groups: dict[tuple[str, str], list[DataProvided]] = {}
    for use in provided:
        groups.setdefault((use.customer_id, use.recipient_id), []).append(use)
    found = []
    for (customer_id, recipient_id), items in sorted(groups.items()):
        items.sort(key=lambda use: (use.at.astimezone(UTC), use.event_id))
        kinds = {kind for use in items for kind in use.data_kinds}
        last = items[-1]
        found.append(
            RecipientNotice(
                customer_id=customer_id,
                recipient_id=recipient_id,
                recipient_class=last.recipient_class,
                data_kinds=tuple(kind for kind in DataKind if kind in kinds),
                last_provided_at=last.at,
                agent=any(use.agent for use in items),
                rule_id=rule.id,
                source=rule.source,
            )
        )
    return tuple(found)


def cease_notices(
    uses: Iterable[DataUse], *, customer_id: str, at: datetime
) -> tuple[RecipientNotice, ...]:
    """The written notices owed after a customer's request to stop provision (PDPO s.35L).

    One notice per distinct party the customer's data was provided to at or
    before ``at`` that is not the retailer's agent (data passed to an agent
    is not provision, s.35I(2)), telling it to stop using the data in direct
    marketing. Other customers' records are ignored. Before s.35L applies
    (1 April 2013, Hong Kong time) no notice is owed: the result is empty.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.customers.uses import DataProvided
        >>> def given(event_id, recipient, agent=False):
        ...     return DataProvided(
        ...         event_id=event_id, customer_id="C-1",
        ...         at=datetime(2026, 3, 2, tzinfo=timezone.utc), evidence="batch:B-1",
        ...         recipient_id=recipient, recipient_class="insurers",
        ...         data_kinds=["email"], for_gain=False, agent=agent,
        ...     )
        >>> uses = [given("U-1", "P-1"), given("U-2", "P-1"), given("U-3", "MAILER", agent=True)]
        >>> notices = cease_notices(
        ...     uses, customer_id="C-1", at=datetime(2026, 4, 1, tzinfo=timezone.utc),
        ... )
        >>> [(notice.recipient_id, notice.rule_id) for notice in notices]
        [('P-1', 'pdpo.s35L.notify_recipients')]

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """
    problems = Problems()
    found = check_uses(uses, "$.uses", problems)
    check_id(customer_id, "$.customer_id", problems)
    check_at(at, problems)
    problems.raise_if_any()
    if not pdpo.CEASE_NOTICE.in_force(at):
        return ()
    moment = at.astimezone(UTC)
    provided = [
        use
        for use in found
        if isinstance(use, DataProvided)
        and use.customer_id == customer_id
        and not use.agent
        and use.at.astimezone(UTC) <= moment
    ]
    return _notices(provided, pdpo.CEASE_NOTICE)


def correction_recipients(
    uses: Iterable[DataUse], *, corrected_at: datetime, law: str
) -> tuple[RecipientNotice, ...]:
    """Whom a correction of a customer's data must be sent on to, one notice per recipient.

    - ``law="pdpo"`` (s.23(1)(c)): every party the data was disclosed to in
      the 12 months before the correction: provisions at or before
      ``corrected_at`` whose UTC date is on or after the same UTC date 12
      calendar months earlier (29 February counts back to 28 February).
    - ``law="gdpr"`` (Art. 19): every party it was ever disclosed to, at or
      before ``corrected_at``.

    Agents are included (``agent=True``): they hold the data too. Records of
    several customers give one notice per customer and recipient. Before the
    rule applies (20 December 1996 in Hong Kong; 25 May 2018 in Brussels) the
    result is empty.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality.customers.uses import DataProvided
        >>> def given(event_id, recipient, year):
        ...     return DataProvided(
        ...         event_id=event_id, customer_id="C-1",
        ...         at=datetime(year, 3, 2, tzinfo=timezone.utc), evidence="batch:B-1",
        ...         recipient_id=recipient, recipient_class="insurers",
        ...         data_kinds=["email"], for_gain=False,
        ...     )
        >>> uses = [given("U-1", "OLD", 2024), given("U-2", "RECENT", 2026)]
        >>> corrected = datetime(2026, 6, 1, tzinfo=timezone.utc)
        >>> [n.recipient_id for n in correction_recipients(uses, corrected_at=corrected, law="pdpo")]
        ['RECENT']
        >>> [n.recipient_id for n in correction_recipients(uses, corrected_at=corrected, law="gdpr")]
        ['OLD', 'RECENT']

    Raises:
        ValidationError: every problem with the arguments, with its path.
    """  # noqa: E501
    problems = Problems()
    found = check_uses(uses, "$.uses", problems)
    check_at(corrected_at, problems, "$.corrected_at")
    check_law(law, problems)
    problems.raise_if_any()
    rule = pdpo.CORRECTION_RECIPIENTS if law == pdpo.CODE else gdpr.NOTIFY_RECIPIENTS
    if not rule.in_force(corrected_at):
        return ()
    moment = corrected_at.astimezone(UTC)
    provided = [
        use for use in found if isinstance(use, DataProvided) and use.at.astimezone(UTC) <= moment
    ]
    if law == pdpo.CODE:
        start = moment.date() - relativedelta(months=12)
        provided = [use for use in provided if use.at.astimezone(UTC).date() >= start]
    return _notices(provided, rule)
