"""Rules: explained verdicts that rule sets (privacy law, and more to come) return.

A rule set answers a question with a `Decision`: allowed or not, with the
`Reason` of every rule it consulted (its id, legal source, the date from which
it applies, whether it passed and why, in plain words), and what must be done
on going ahead. The privacy rules of `retail_service_quality.customers.privacy`
return them.

Examples:
    >>> from datetime import date, datetime, timezone
    >>> reason = Reason(
    ...     rule_id="pdpo.s35E.consent", source="PDPO (Cap. 486) s.35E(2)",
    ...     applies_from=date(2013, 4, 1), passed=True,
    ...     explanation="The customer consented to SMS about cosmetics.",
    ... )
    >>> decision = Decision(
    ...     allowed=True, question="May we send an SMS about cosmetics?", law="pdpo",
    ...     at=datetime(2026, 3, 10, tzinfo=timezone.utc), reasons=[reason],
    ... )
    >>> print(decision.explain())
    May we send an SMS about cosmetics? Yes.
    The customer consented to SMS about cosmetics. (PDPO (Cap. 486) s.35E(2))
"""

from retail_service_quality.rules._decision import Decision, Reason

__all__ = ["Decision", "Reason"]
