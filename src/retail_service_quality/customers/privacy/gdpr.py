"""The European Union: the General Data Protection Regulation (EU) 2016/679.

Each rule is a `PrivacyRule` constant citing its article and the date from
which it applies; `RULES` lists them all. The Regulation applies from 25 May
2018 (Art. 99(2)); dates are read in Brussels time.

Examples:
    >>> from datetime import date
    >>> access_request_due(date(2026, 1, 31))
    datetime.date(2026, 2, 28)
    >>> APPLICATION.applies_from
    datetime.date(2018, 5, 25)
"""

from __future__ import annotations

from datetime import date
from typing import Final

from dateutil.relativedelta import relativedelta

from retail_service_quality.customers.consent import ConsentState, Permission
from retail_service_quality.customers.privacy._common import (
    Findings,
    Marketing,
    PrivacyRule,
    Provision,
    age_on,
    current_notice,
    kinds_words,
    local_day,
    without_online_consents,
)
from retail_service_quality.rules import Decision

__all__ = [
    "APPLICATION",
    "CHILD",
    "CODE",
    "CONSENT",
    "DIGITAL_CONSENT_AGE",
    "FIRST_COMMUNICATION",
    "IN_FORCE_FROM",
    "NAME",
    "NOTIFY_RECIPIENTS",
    "OBJECTION",
    "PROCESSOR",
    "PROVISION_CONSENT",
    "RECIPIENTS",
    "REQUEST_TIME_LIMIT",
    "RULES",
    "SUPPRESSION",
    "TIMEZONE",
    "access_request_due",
]

CODE: Final = "gdpr"
"""The code callers pass as ``law=``."""

NAME: Final = "General Data Protection Regulation (EU) 2016/679"
"""The law's full name."""

TIMEZONE: Final = "Europe/Brussels"
"""The zone in which the Regulation's dates are read."""

IN_FORCE_FROM: Final = date(2018, 5, 25)
"""The date from which the Regulation applies (Art. 99(2))."""

DIGITAL_CONSENT_AGE: Final = 16
"""Art. 8(1): the age under which a child's own consent online needs a parent's; member
states may lower it, to no less than 13."""

_REG = "Regulation (EU) 2016/679 (GDPR)"


def _rule(id: str, section: str, summary: str) -> PrivacyRule:
    return PrivacyRule(
        id=id,
        law=CODE,
        section=section,
        source=f"{_REG}, {section}",
        applies_from=IN_FORCE_FROM,
        summary=summary + " Applies from 25 May 2018.",
        timezone=TIMEZONE,
    )


APPLICATION: Final = _rule(
    "gdpr.art99.application",
    "Art. 99(2)",
    "The Regulation applies from 25 May 2018; before then no rule of it permits processing.",
)
"""Art. 99(2): the Regulation applies (from 25 May 2018)."""

CONSENT: Final = _rule(
    "gdpr.art6.consent",
    "Art. 6(1)(a), Art. 7",
    "Direct marketing on the ground of consent needs a demonstrable consent, specific to the "
    "purpose: the kind of data and the class of marketing subjects.",
)
"""Art. 6(1)(a) and 7 (from 25 May 2018): specific consent covers the use."""

OBJECTION: Final = _rule(
    "gdpr.art21.objection",
    "Art. 21(2)-(3)",
    "Where the person objects to processing for direct marketing, the data is no longer "
    "processed for that purpose: the objection is absolute.",
)
"""Art. 21(2) and (3) (from 25 May 2018): an objection to direct marketing always wins."""

SUPPRESSION: Final = _rule(
    "gdpr.art21.suppression",
    "Art. 21(3)",
    "A contact point on the opt-out suppression list is not used for direct marketing, even "
    "after the customer record was erased or imported again.",
)
"""Art. 21(3) (from 25 May 2018): a suppressed contact point is not used."""

CHILD: Final = _rule(
    "gdpr.art8.child",
    "Art. 8(1)",
    "A child under 16 (or the lower age a member state sets, not below 13) cannot give "
    "consent online alone: it needs a parent's. The library does not rely on such a consent.",
)
"""Art. 8(1) (from 25 May 2018): a child's own online consent is not relied on."""

FIRST_COMMUNICATION: Final = _rule(
    "gdpr.art21.first_communication",
    "Art. 21(4)",
    "The right to object is brought to the person's attention, at the latest in the first "
    "communication, clearly and separately from other information.",
)
"""Art. 21(4) (from 25 May 2018): the first message presents the right to object."""

PROCESSOR: Final = _rule(
    "gdpr.art28.processor",
    "Art. 28",
    "A processor that markets on the retailer's behalf and instructions processes for the "
    "retailer: the retailer's own marketing rules apply, not those of provision to others.",
)
"""Art. 28 (from 25 May 2018): data given to a processor is not provision."""

RECIPIENTS: Final = _rule(
    "gdpr.art13.recipients",
    "Art. 13(1)(e)",
    "The person is told the recipients or categories of recipients of their data, and the "
    "kinds of data, when the data is collected.",
)
"""Art. 13(1)(e) (from 25 May 2018): the notice names the recipients."""

PROVISION_CONSENT: Final = _rule(
    "gdpr.art7.provision_consent",
    "Art. 6(1)(a), Art. 7",
    "Data is given to another party for its marketing only with a consent naming that "
    "recipient class and covering the kinds of data.",
)
"""Art. 6(1)(a) and 7 (from 25 May 2018): consent naming the recipients."""

NOTIFY_RECIPIENTS: Final = _rule(
    "gdpr.art19.recipients",
    "Art. 19",
    "A rectification, erasure or restriction is communicated to every recipient the data "
    "was disclosed to, unless that proves impossible or involves disproportionate effort.",
)
"""Art. 19 (from 25 May 2018): every recipient is told of a correction."""

REQUEST_TIME_LIMIT: Final = _rule(
    "gdpr.art12.time_limit",
    "Art. 12(3)",
    "A request is answered within one month of receipt, extendable by two further months "
    "where the person is told so, with the reasons, within the first month.",
)
"""Art. 12(3) (from 25 May 2018): one month, extendable by two."""

RULES: Final[tuple[PrivacyRule, ...]] = (
    APPLICATION,
    CONSENT,
    OBJECTION,
    SUPPRESSION,
    CHILD,
    FIRST_COMMUNICATION,
    PROCESSOR,
    RECIPIENTS,
    PROVISION_CONSENT,
    NOTIFY_RECIPIENTS,
    REQUEST_TIME_LIMIT,
)
"""Every rule of the Regulation the library applies, in the order decisions consult them."""

_LAW = "Regulation"


def access_request_due(received: date) -> date:
    """Art. 12(3): information on action taken on a request is given within one
    month of receipt: the same day number of the next month, or that month's
    last day where the day does not exist (Regulation 1182/71, Art. 3(2)(c)).

    Examples:
        >>> from datetime import date
        >>> access_request_due(date(2026, 5, 4))
        datetime.date(2026, 6, 4)

    Raises:
        ValueError: the due date falls after `datetime.date.max`; the public
            `retail_service_quality.access_request_due` reports this as a
            `ValidationError`.
    """
    result: date = received + relativedelta(months=1)
    return result


def _child(
    findings: Findings, birth: date | None, at_day: date, age: int, covered_offline: bool
) -> None:
    if birth is None:
        findings.check(
            CHILD, True, "No date of birth is recorded, so the customer is not treated as a child."
        )
        return
    if age_on(birth, at_day) >= age:
        findings.check(CHILD, True, f"The customer was {age} or over on that day.")
        return
    findings.check(
        CHILD,
        covered_offline,
        f"The customer was under {age} on that day; a consent given online does not count "
        "without a parent's, but a consent given otherwise covers this."
        if covered_offline
        else f"The customer was under {age} on that day, and the only consent covering this "
        "was given online: a child's online consent does not count without a parent's.",
    )


def marketing_decision(case: Marketing) -> Decision:
    """The Regulation's decision on one direct-marketing question (its facts already checked);
    callers use `retail_service_quality.customers.privacy.decide_marketing`."""
    findings = Findings(case.at)
    question = case.question()
    if not findings.commencement(APPLICATION, _LAW):
        return findings.decision(question, CODE)
    state = case.state
    consented = state.permits(case.kind, case.marketing_class)
    what = case.what
    findings.check(
        CONSENT,
        consented,
        f"The customer gave a specific consent to {what}."
        if consented
        else f"No consent in effect covers {what}: consent is specific to the kind of data "
        "and the class.",
    )
    objected = Permission(case.kind, case.marketing_class) in state.opted_out
    findings.check(
        OBJECTION,
        not objected,
        f"The customer objected to {what}: an objection to direct marketing is absolute."
        if objected
        else "No objection covers this.",
    )
    findings.check(
        SUPPRESSION,
        not case.suppressed,
        f"The customer's {kinds_words([case.kind])} is on the opt-out suppression list."
        if case.suppressed
        else "The contact point is not on the suppression list.",
    )
    offline = _offline(case).permits(case.kind, case.marketing_class)
    _child(findings, case.birth, local_day(case.at, TIMEZONE), case.digital_consent_age, offline)
    first = case.first_use()
    findings.check(
        FIRST_COMMUNICATION,
        True,
        "No earlier marketing message presented the customer's right to object: this one must, "
        "clearly and separately from other information."
        if first
        else "An earlier message presented the customer's right to object.",
        obligation="present the right to object, clearly and separately" if first else None,
    )
    return findings.decision(question, CODE)


def _offline(case: Marketing | Provision) -> ConsentState:
    """What the ledger permits leaving out every consent given online."""
    return without_online_consents(case.ledger).state(case.at)


def provision_decision(case: Provision) -> Decision:
    """The Regulation's decision on providing data to another party (its facts already
    checked); callers use `retail_service_quality.customers.privacy.decide_provision`."""
    findings = Findings(case.at)
    question = case.question()
    if not findings.commencement(APPLICATION, _LAW):
        return findings.decision(question, CODE)
    if case.agent:
        findings.check(
            PROCESSOR,
            True,
            "The recipient is the retailer's processor, marketing on its behalf: that is not "
            "provision, so no provision check applies (the retailer's own marketing rules do).",
        )
        return findings.decision(question, CODE)
    state = case.state
    target = f"class '{case.recipient_class}'"
    notice = current_notice(case.ledger, case.at)
    if notice is None:
        findings.check(RECIPIENTS, False, "No notice naming recipients has been served.")
    else:
        missing = [f"the {target}"] if case.recipient_class not in notice.recipient_classes else []
        absent = [kind for kind in case.data_kinds if kind not in notice.data_kinds]
        if absent:
            missing.append(f"the {kinds_words(absent)}")
        findings.check(
            RECIPIENTS,
            not missing,
            f"The notice served (version '{notice.notice_version}') names the {target} and "
            f"the {kinds_words(case.data_kinds)}."
            if not missing
            else f"The notice served (version '{notice.notice_version}') does not name "
            + " or ".join(missing)
            + ".",
        )
    uncovered = [pair.data_kind for pair in case.pairs if pair not in state.provision_permitted]
    findings.check(
        PROVISION_CONSENT,
        not uncovered,
        f"The customer's consent names the {target} and covers their "
        f"{kinds_words(case.data_kinds)}."
        if not uncovered
        else f"No consent in effect names the {target} for the customer's "
        f"{kinds_words(uncovered)}.",
    )
    objected = [pair.data_kind for pair in case.pairs if pair in state.provision_opted_out]
    findings.check(
        OBJECTION,
        not objected,
        f"The customer objected to giving their {kinds_words(objected)} to the {target}."
        if objected
        else "No objection covers this.",
    )
    offline = _offline(case)
    covered_offline = all(
        offline.permits_provision(pair.data_kind, pair.class_id) for pair in case.pairs
    )
    _child(
        findings,
        case.birth,
        local_day(case.at, TIMEZONE),
        case.digital_consent_age,
        covered_offline,
    )
    return findings.decision(question, CODE)
