"""Hong Kong: the Personal Data (Privacy) Ordinance (Cap. 486).

Each rule is a `PrivacyRule` constant citing its section and the date from
which it applies; `RULES` lists them all. The Ordinance's data protection
principles and its access and correction sections apply from 20 December
1996; Part 6A (direct marketing, ss.35A-35M) from 1 April 2013, when it
replaced the consent that DPP3 alone required for a new use. Dates are read
in Hong Kong time.

Examples:
    >>> from datetime import date
    >>> access_request_due(date(2026, 5, 4))
    datetime.date(2026, 6, 13)
    >>> [rule.id for rule in RULES][:3]
    ['pdpo.commencement', 'pdpo.dpp3.consent', 'pdpo.s35C.notice']
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from retail_service_quality._internal.times import MAX_INSTANT
from retail_service_quality.customers.consent import Permission
from retail_service_quality.customers.privacy._common import (
    CHANNEL_WORDS,
    Findings,
    Marketing,
    PrivacyRule,
    Provision,
    age_on,
    consents_by_id,
    current_notice,
    kinds_words,
    local_day,
    spoken,
)
from retail_service_quality.rules import Decision

__all__ = [
    "ACCESS_REQUEST_DAYS",
    "AGE_OF_MAJORITY",
    "AMENDMENT_2012_FROM",
    "CEASE_NOTICE",
    "CODE",
    "COMMENCEMENT",
    "CONSENT",
    "CORRECTION",
    "CORRECTION_RECIPIENTS",
    "DATA_ACCESS",
    "DPP3_CONSENT",
    "DPP3_PROVISION",
    "IN_FORCE_FROM",
    "MINORS",
    "NAME",
    "NOTICE",
    "OPT_OUT",
    "OPT_OUT_STATEMENT",
    "ORAL_CONFIRMATION",
    "PART_6A_FROM",
    "PROVISION_AGENT",
    "PROVISION_CEASE",
    "PROVISION_CONSENT",
    "PROVISION_NOTICE",
    "RULES",
    "SUPPRESSION",
    "TIMEZONE",
    "access_request_due",
]

CODE: Final = "pdpo"
"""The code callers pass as ``law=``."""

NAME: Final = "Personal Data (Privacy) Ordinance (Cap. 486), Hong Kong"
"""The law's full name."""

TIMEZONE: Final = "Asia/Hong_Kong"
"""The zone in which the Ordinance's dates are read."""

IN_FORCE_FROM: Final = date(1996, 12, 20)
"""The date from which the Ordinance's data access provisions apply."""

PART_6A_FROM: Final = date(2013, 4, 1)
"""The date from which Part 6A (direct marketing, ss.35A-35M) applies."""

ACCESS_REQUEST_DAYS: Final = 40
"""s.19(1): days within which a data access request must be complied with."""

AGE_OF_MAJORITY: Final = 18
"""The age under which the library treats a customer as a minor."""

_CAP = "Personal Data (Privacy) Ordinance (Cap. 486)"


def _rule(
    id: str, section: str, applies_from: date, summary: str, until: date | None = None
) -> PrivacyRule:
    return PrivacyRule(
        id=id,
        law=CODE,
        section=section,
        source=f"{_CAP}, {section}",
        applies_from=applies_from,
        summary=summary,
        timezone=TIMEZONE,
        applies_until=until,
    )


COMMENCEMENT: Final = _rule(
    "pdpo.commencement",
    "commencement",
    IN_FORCE_FROM,
    "The Ordinance's data protection principles apply from 20 December 1996; before then no "
    "rule of it permits a use of personal data.",
)
"""The Ordinance applies (from 20 December 1996)."""

DPP3_CONSENT: Final = _rule(
    "pdpo.dpp3.consent",
    "Schedule 1, DPP3",
    IN_FORCE_FROM,
    "Personal data is not used for a new purpose, direct marketing included, without the "
    "person's prescribed consent. Applies from 20 December 1996; from 1 April 2013 Part 6A's "
    "rules on direct marketing take its place.",
    until=date(2013, 3, 31),
)
"""DPP3 (20 December 1996 to 31 March 2013): consent to the use for marketing."""

NOTICE: Final = _rule(
    "pdpo.s35C.notice",
    "s.35C",
    PART_6A_FROM,
    "Before using personal data in direct marketing, the data user tells the person the kinds "
    "of data and the classes of marketing subjects, and gives a free channel to consent. "
    "Applies from 1 April 2013.",
)
"""s.35C (from 1 April 2013): the notice names the kind of data and the class."""

CONSENT: Final = _rule(
    "pdpo.s35E.consent",
    "s.35E(2)",
    PART_6A_FROM,
    "Direct marketing uses only the kinds of data and the classes of marketing subjects the "
    "person consented to. Applies from 1 April 2013.",
)
"""s.35E(1) and (2) (from 1 April 2013): the consent covers the kind of data and the class."""

ORAL_CONFIRMATION: Final = _rule(
    "pdpo.s35E.oral_confirmation",
    "s.35E(1)(b)",
    PART_6A_FROM,
    "An oral consent counts only once confirmed in writing within 14 days, stating the date "
    "and the kinds of data and classes permitted. Applies from 1 April 2013.",
)
"""s.35E(1)(b) (from 1 April 2013): oral consent is confirmed in writing within 14 days."""

OPT_OUT: Final = _rule(
    "pdpo.s35G.opt_out",
    "s.35G",
    PART_6A_FROM,
    "A person may at any time, free of charge, require the data user to stop using their "
    "data in direct marketing, whatever they agreed before. Applies from 1 April 2013.",
)
"""s.35G (from 1 April 2013): no opt-out covers the use."""

SUPPRESSION: Final = _rule(
    "pdpo.s35G.suppression",
    "s.35G(3)",
    PART_6A_FROM,
    "A contact point on the opt-out suppression list is not used for direct marketing, even "
    "after the customer record was erased or imported again. Applies from 1 April 2013.",
)
"""s.35G(3) (from 1 April 2013): a suppressed contact point is not used."""

OPT_OUT_STATEMENT: Final = _rule(
    "pdpo.s35F.opt_out_statement",
    "s.35F",
    PART_6A_FROM,
    "The first time data is used in direct marketing, the person is told of their right to "
    "ask, free of charge, not to receive more. Applies from 1 April 2013.",
)
"""s.35F (from 1 April 2013): the first message includes the opt-out statement."""

AMENDMENT_2012_FROM: Final = date(2012, 10, 1)
"""When most of the Personal Data (Privacy) (Amendment) Ordinance 2012 came into operation,
DPP3(2)-(4) (consent by a relevant person) among them."""

MINORS: Final = _rule(
    "pdpo.dpp3.minor",
    "Schedule 1, DPP3(2)-(4)",
    AMENDMENT_2012_FROM,
    "The library's conservative reading: a minor's own consent is not relied on for direct "
    "marketing or provision, and a relevant person may consent for a minor only in narrow "
    "cases (DPP3(2)-(4)) that marketing does not meet. Applies from 1 October 2012.",
)
"""DPP3(2)-(4) (from 1 October 2012, the library's reading): no marketing to a minor."""

PROVISION_AGENT: Final = _rule(
    "pdpo.s35I.agent",
    "s.35I(2)",
    PART_6A_FROM,
    "Passing data to an agent who uses it in direct marketing on the data user's own behalf "
    "is not provision for the purposes of ss.35J-35M. Applies from 1 April 2013.",
)
"""s.35I(2) (from 1 April 2013): giving data to an agent is not provision."""

DPP3_PROVISION: Final = _rule(
    "pdpo.dpp3.provision",
    "Schedule 1, DPP3",
    IN_FORCE_FROM,
    "Personal data is not disclosed to another party for a new purpose without the person's "
    "prescribed consent. Applies from 20 December 1996; from 1 April 2013 ss.35I-35M take its "
    "place for provision for direct marketing.",
    until=date(2013, 3, 31),
)
"""DPP3 (20 December 1996 to 31 March 2013): consent to the disclosure."""

PROVISION_NOTICE: Final = _rule(
    "pdpo.s35J.notice",
    "s.35J",
    PART_6A_FROM,
    "Before providing data to another party for its direct marketing, the data user tells the "
    "person in writing whether it is for gain, the kinds of data and the classes of "
    "recipients. Applies from 1 April 2013.",
)
"""s.35J (from 1 April 2013): written notice of recipients, kinds and for-gain."""

PROVISION_CONSENT: Final = _rule(
    "pdpo.s35K.consent",
    "s.35K",
    PART_6A_FROM,
    "Data is provided only with the person's written consent covering the kinds of data and "
    "the class of recipients. Applies from 1 April 2013.",
)
"""s.35K (from 1 April 2013): written consent to the provision."""

PROVISION_CEASE: Final = _rule(
    "pdpo.s35L.cease",
    "s.35L",
    PART_6A_FROM,
    "A person may at any time require the data user to stop providing their data to others "
    "for direct marketing. Applies from 1 April 2013.",
)
"""s.35L (from 1 April 2013): no cease request covers the provision."""

CEASE_NOTICE: Final = _rule(
    "pdpo.s35L.notify_recipients",
    "s.35L(2)",
    PART_6A_FROM,
    "On a cease request, the data user tells every party it provided the data to, in writing, "
    "to stop using it in direct marketing. Applies from 1 April 2013.",
)
"""s.35L(2) (from 1 April 2013): written notice to every past recipient."""

DATA_ACCESS: Final = _rule(
    "pdpo.s19.access",
    "s.19(1)",
    IN_FORCE_FROM,
    "A data access request is complied with within 40 days of receipt. Applies from "
    "20 December 1996.",
)
"""s.19(1) (from 20 December 1996): access requests within 40 days."""

CORRECTION: Final = _rule(
    "pdpo.s23.correction",
    "s.23(1)",
    IN_FORCE_FROM,
    "A data correction request is complied with within 40 days of receipt. Applies from "
    "20 December 1996.",
)
"""s.23(1) (from 20 December 1996): correction requests within 40 days."""

CORRECTION_RECIPIENTS: Final = _rule(
    "pdpo.s23.recipients",
    "s.23(1)(c)",
    IN_FORCE_FROM,
    "A correction is sent on to every third party the data was disclosed to in the 12 months "
    "before the day of the correction. Applies from 20 December 1996.",
)
"""s.23(1)(c) (from 20 December 1996): the correction goes to the last 12 months' recipients."""

RULES: Final[tuple[PrivacyRule, ...]] = (
    COMMENCEMENT,
    DPP3_CONSENT,
    NOTICE,
    CONSENT,
    ORAL_CONFIRMATION,
    OPT_OUT,
    SUPPRESSION,
    OPT_OUT_STATEMENT,
    MINORS,
    PROVISION_AGENT,
    DPP3_PROVISION,
    PROVISION_NOTICE,
    PROVISION_CONSENT,
    PROVISION_CEASE,
    CEASE_NOTICE,
    DATA_ACCESS,
    CORRECTION,
    CORRECTION_RECIPIENTS,
)
"""Every rule of the Ordinance the library applies, in the order decisions consult them."""

_LAW = "Ordinance"


def access_request_due(received: date) -> date:
    """s.19(1): a data user complies with a data access request not later than
    40 days after receiving it (calendar days).

    Examples:
        >>> from datetime import date
        >>> access_request_due(date(2026, 12, 31))
        datetime.date(2027, 2, 9)

    Raises:
        OverflowError: the due date falls after `datetime.date.max`; the public
            `retail_service_quality.access_request_due` reports this as a
            `ValidationError`.
    """
    return received + timedelta(days=ACCESS_REQUEST_DAYS)


def _minor(findings: Findings, birth: date | None, at_day: date, use: str) -> None:
    if birth is None:
        findings.check(
            MINORS, True, "No date of birth is recorded, so the customer is not treated as a minor."
        )
        return
    minor = age_on(birth, at_day) < AGE_OF_MAJORITY
    if minor:
        text = (
            f"The customer was under {AGE_OF_MAJORITY} on that day. The library does not rely on "
            f"a minor's own consent to {use}, and a parent or guardian may consent for a minor "
            "only in narrow cases that this does not meet (DPP3(2)-(4))."
        )
    else:
        text = f"The customer was {AGE_OF_MAJORITY} or over on that day."
    findings.check(MINORS, not minor, text)


def _oral(findings: Findings, case: Marketing) -> None:
    """s.35E(1)(b): say why an oral consent covering the use does not count (yet)."""
    state = case.state
    consents = consents_by_id(case.ledger)

    def covers(consent_id: str) -> bool:
        consent = consents.get(consent_id)
        return (
            consent is not None
            and case.kind in consent.data_kinds
            and case.marketing_class in consent.marketing_classes
        )

    waiting = [pending for pending in state.awaiting_confirmation if covers(pending.consent_id)]
    lapsed = [consent_id for consent_id in state.lapsed if covers(consent_id)]
    if state.permits(case.kind, case.marketing_class):
        findings.check(ORAL_CONFIRMATION, True, "No unconfirmed oral consent is relied on.")
    elif waiting:
        deadline = min(pending.deadline for pending in waiting)
        text = "An oral consent covering this awaits its written confirmation; it counts only "
        if deadline <= MAX_INSTANT:
            when = spoken(local_day(deadline, TIMEZONE))
            text += f"once confirmed, which must happen before {when}."
        else:  # given less than 14 days before the end of the supported range
            text += "once confirmed."
        findings.check(ORAL_CONFIRMATION, False, text)
    elif lapsed:
        findings.check(
            ORAL_CONFIRMATION,
            False,
            "An oral consent covering this was not confirmed in writing within 14 days: it has "
            "lapsed, and it counts no more until the customer consents again.",
        )
    else:
        findings.check(ORAL_CONFIRMATION, True, "No unconfirmed oral consent is relied on.")


def marketing_decision(case: Marketing) -> Decision:
    """The Ordinance's decision on one direct-marketing question (its facts already checked);
    callers use `retail_service_quality.customers.privacy.decide_marketing`."""
    findings = Findings(case.at)
    question = case.question()
    if not findings.commencement(COMMENCEMENT, _LAW):
        return findings.decision(question, CODE)
    state = case.state
    consented = state.permits(case.kind, case.marketing_class)
    what = case.what
    findings.check(
        DPP3_CONSENT,
        consented,
        f"The customer consented to {what}."
        if consented
        else f"The customer has not consented to {what}.",
    )
    notice = current_notice(case.ledger, case.at)
    if notice is None:
        findings.check(NOTICE, False, "No direct-marketing notice has been served.")
    else:
        missing = []
        if case.kind not in notice.data_kinds:
            missing.append(f"the {CHANNEL_WORDS[case.channel]} channel's kind of data")
        if case.marketing_class not in notice.marketing_classes:
            missing.append(f"the class '{case.marketing_class}'")
        findings.check(
            NOTICE,
            not missing,
            f"The notice served (version '{notice.notice_version}') names the "
            f"{_kind_of(case)} and the class '{case.marketing_class}'."
            if not missing
            else f"The notice served (version '{notice.notice_version}') does not name "
            + " or ".join(missing)
            + ".",
        )
    findings.check(
        CONSENT,
        consented,
        f"The customer consented to the use of their {_kind_of(case)} for marketing of "
        f"'{case.marketing_class}'."
        if consented
        else f"No consent in effect covers the use of the customer's {_kind_of(case)} for "
        f"marketing of '{case.marketing_class}'.",
    )
    _oral(findings, case)
    opted_out = Permission(case.kind, case.marketing_class) in state.opted_out
    findings.check(
        OPT_OUT,
        not opted_out,
        f"The customer asked us to stop: an opt-out covers {what}, and no later consent "
        "gave it back."
        if opted_out
        else "No opt-out covers this.",
    )
    findings.check(
        SUPPRESSION,
        not case.suppressed,
        f"The customer's {_kind_of(case)} is on the opt-out suppression list."
        if case.suppressed
        else "The contact point is not on the suppression list.",
    )
    _minor(findings, case.birth, local_day(case.at, TIMEZONE), "direct marketing")
    first = case.first_use()
    findings.check(
        OPT_OUT_STATEMENT,
        True,
        "No earlier direct-marketing message told the customer of their right to ask, free of "
        "charge, not to receive more: this one must."
        if first
        else "An earlier message told the customer of their right to opt out.",
        obligation="include the opt-out statement (the right to opt out, free of charge)"
        if first
        else None,
    )
    return findings.decision(question, CODE)


def _kind_of(case: Marketing) -> str:
    return kinds_words([case.kind])


def provision_decision(case: Provision) -> Decision:
    """The Ordinance's decision on providing data to another party (its facts already
    checked); callers use `retail_service_quality.customers.privacy.decide_provision`."""
    findings = Findings(case.at)
    question = case.question()
    if not findings.commencement(COMMENCEMENT, _LAW):
        return findings.decision(question, CODE)
    if case.agent and PROVISION_AGENT.in_force(case.at):
        findings.check(
            PROVISION_AGENT,
            True,
            "The recipient is the retailer's agent, marketing on its own behalf: that is not "
            "provision, so no provision check applies (the retailer's own marketing rules do).",
        )
        return findings.decision(question, CODE)
    state = case.state
    kinds = kinds_words(case.data_kinds)
    target = f"class '{case.recipient_class}'"
    uncovered = [pair.data_kind for pair in case.pairs if pair not in state.provision_permitted]
    findings.check(
        DPP3_PROVISION,
        not uncovered,
        f"The customer consented to the disclosure of their {kinds} to the {target}."
        if not uncovered
        else f"The customer has not consented to the disclosure of their "
        f"{kinds_words(uncovered)} to the {target}.",
    )
    notice = current_notice(case.ledger, case.at)
    if notice is None:
        findings.check(PROVISION_NOTICE, False, "No notice of provision has been served.")
    else:
        missing = [f"the {target}"] if case.recipient_class not in notice.recipient_classes else []
        absent = [kind for kind in case.data_kinds if kind not in notice.data_kinds]
        if absent:
            missing.append(f"the {kinds_words(absent)}")
        if case.for_gain and not notice.for_gain:
            missing.append("that the provision is for gain")
        findings.check(
            PROVISION_NOTICE,
            not missing,
            f"The notice served (version '{notice.notice_version}') names the {target}, the "
            f"{kinds}" + (" and that it is for gain." if case.for_gain else ".")
            if not missing
            else f"The notice served (version '{notice.notice_version}') does not state "
            + " or ".join(missing)
            + ".",
        )
    findings.check(
        PROVISION_CONSENT,
        not uncovered,
        f"The customer's written consent covers their {kinds} for the {target}."
        if not uncovered
        else f"No written consent in effect covers the customer's {kinds_words(uncovered)} "
        f"for the {target}.",
    )
    ceased = [pair.data_kind for pair in case.pairs if pair in state.provision_opted_out]
    findings.check(
        PROVISION_CEASE,
        not ceased,
        f"The customer asked us to stop providing their {kinds_words(ceased)} to the {target}."
        if ceased
        else "No cease request covers this.",
    )
    _minor(findings, case.birth, local_day(case.at, TIMEZONE), "provision to others")
    return findings.decision(question, CODE)
