"""Explained verdicts: a `Decision` and the `Reason` of each rule that went into it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, Final

import attrs

from retail_service_quality._internal.records import _LAYOUTS, Column, Layout, Tabular, layout_of
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_id,
    check_text,
    raise_problems,
)
from retail_service_quality.errors import Problems, join_path

__all__ = ["Decision", "Reason"]


def check_sentence(value: object, path: str, problems: Problems) -> None:
    """Non-empty text that any database can store."""
    check_text(value, path, problems)
    if isinstance(value, str) and not value.strip():
        problems.add(path, "must not be empty", "required")


@attrs.frozen(kw_only=True)
class Reason(Tabular):
    """What one rule said about a question: its id, legal source, start date and verdict.

    Attributes:
        rule_id: the rule's stable identifier (``"pdpo.s35G.opt_out"``).
        source: the full citation of where the rule comes from.
        applies_from: the date from which the rule applies.
        passed: whether the rule lets the action go ahead. A rule that did
            not apply at the decision's instant (it started later) passes,
            and its explanation says it was not applied.
        explanation: what the rule found, in plain words, with no personal value.

    Examples:
        >>> from datetime import date
        >>> reason = Reason(
        ...     rule_id="pdpo.s35G.opt_out", source="PDPO (Cap. 486) s.35G",
        ...     applies_from=date(2013, 4, 1), passed=False,
        ...     explanation="The customer opted out of this marketing.",
        ... )
        >>> reason.to_records()[0]["rule_id"], reason.passed
        ('pdpo.s35G.opt_out', False)

    Raises:
        ValidationError: every problem, with its path.
    """

    rule_id: str = attrs.field(default=REQUIRED)
    source: str = attrs.field(default=REQUIRED)
    applies_from: date = attrs.field(default=REQUIRED)
    passed: bool = attrs.field(default=REQUIRED)
    explanation: str = attrs.field(default=REQUIRED)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_reason(self, problems)
        raise_problems(self, problems)


def _check_reason(reason: Reason, problems: Problems, prefix: str = "$") -> None:
    check_id(reason.rule_id, f"{prefix}.rule_id", problems)
    check_sentence(reason.source, f"{prefix}.source", problems)
    if not isinstance(reason.applies_from, date) or isinstance(reason.applies_from, datetime):
        problems.add(f"{prefix}.applies_from", "must be a date (not a datetime)", "type")
    if not isinstance(reason.passed, bool):
        problems.add(f"{prefix}.passed", "must be true or false", "type")
    check_sentence(reason.explanation, f"{prefix}.explanation", problems)


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    if isinstance(value, list):
        return tuple(value)
    return value  # type: ignore[return-value]  # a tuple, or reported by validation


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(value)
    return value  # type: ignore[return-value]  # a tuple, or reported by validation


@attrs.frozen(kw_only=True)
class Decision(Tabular):
    """An answer to a question a rule set was asked: allowed or not, and every reason why.

    A decision is a value: it keeps the question, the law or rule set that
    answered it, the instant it is about, the reason of every rule consulted
    (in the order they were consulted) and, when allowed, what must be done
    on going ahead. It is allowed exactly when every reason passed.
    ``to_records()`` gives one row per reason; `explain` gives the sentences
    a customer service officer reads out.

    Attributes:
        allowed: whether the action may go ahead.
        question: what was asked, in plain words.
        law: the code of the law or rule set that answered (``"pdpo"``).
        at: the instant the decision is about (timezone-aware).
        reasons: the reason of every rule consulted.
        obligations: what must be done on going ahead (empty when not allowed).

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from retail_service_quality.serialization import from_json, to_json
        >>> reason = Reason(
        ...     rule_id="pdpo.s35E.consent", source="PDPO (Cap. 486) s.35E(2)",
        ...     applies_from=date(2013, 4, 1), passed=True,
        ...     explanation="The customer consented to SMS about cosmetics.",
        ... )
        >>> decision = Decision(
        ...     allowed=True, question="May we send an SMS about cosmetics?", law="pdpo",
        ...     at=datetime(2026, 3, 10, tzinfo=timezone.utc), reasons=[reason],
        ...     obligations=["include the opt-out statement"],
        ... )
        >>> [row["rule_id"] for row in decision.to_records()]
        ['pdpo.s35E.consent']
        >>> from_json(to_json(decision), Decision) == decision
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    allowed: bool = attrs.field(default=REQUIRED)
    question: str = attrs.field(default=REQUIRED)
    law: str = attrs.field(default=REQUIRED)
    at: datetime = attrs.field(default=REQUIRED)
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)
    obligations: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        if not isinstance(self.allowed, bool):
            problems.add("$.allowed", "must be true or false", "type")
        check_sentence(self.question, "$.question", problems)
        check_id(self.law, "$.law", problems)
        check_aware(self.at, "$.at", problems)
        if not isinstance(self.reasons, tuple):
            problems.add("$.reasons", "must be a list of reasons", "type")
        else:
            for index, reason in enumerate(self.reasons):
                if not isinstance(reason, Reason):
                    problems.add(join_path("$.reasons", index), "must be a Reason", "type")
        if not isinstance(self.obligations, tuple):
            problems.add("$.obligations", "must be a list of texts", "type")
        else:
            for index, text in enumerate(self.obligations):
                check_sentence(text, join_path("$.obligations", index), problems)
        if (
            isinstance(self.allowed, bool)
            and isinstance(self.reasons, tuple)
            and all(isinstance(reason, Reason) for reason in self.reasons)
            and self.allowed != all(reason.passed for reason in self.reasons)
        ):
            problems.add(
                "$.allowed", "must be true exactly when every reason passed", "inconsistent"
            )
        raise_problems(self, problems)

    @property
    def failed(self) -> tuple[Reason, ...]:
        """The reasons that stand in the way (none when allowed).

        Examples:
            >>> from datetime import datetime, timezone
            >>> Decision(
            ...     allowed=True, question="May we?", law="pdpo",
            ...     at=datetime(2026, 3, 10, tzinfo=timezone.utc),
            ... ).failed
            ()
        """
        return tuple(reason for reason in self.reasons if not reason.passed)

    def explain(self) -> str:
        """The decision in plain sentences, one a line, for an officer to read out.

        The answer comes first, then the reasons that stand in the way (or,
        when allowed, those that permit it), each with its legal source, then
        what must be done on going ahead. It holds no personal value: the
        reasons speak of kinds of data and classes, never of their contents.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> reason = Reason(
            ...     rule_id="pdpo.s35G.opt_out", source="PDPO (Cap. 486) s.35G",
            ...     applies_from=date(2013, 4, 1), passed=False,
            ...     explanation="The customer asked us to stop: an opt-out covers it.",
            ... )
            >>> print(Decision(
            ...     allowed=False, question="May we send an SMS about cosmetics?", law="pdpo",
            ...     at=datetime(2026, 3, 10, tzinfo=timezone.utc), reasons=[reason],
            ... ).explain())
            May we send an SMS about cosmetics? No.
            The customer asked us to stop: an opt-out covers it. (PDPO (Cap. 486) s.35G)
        """
        lines = [f"{self.question} {'Yes' if self.allowed else 'No'}."]
        shown = self.failed if not self.allowed else self.reasons
        lines.extend(f"{reason.explanation} ({reason.source})" for reason in shown)
        if self.allowed and self.obligations:
            lines.append("Before going ahead: " + "; ".join(self.obligations) + ".")
        return "\n".join(lines)


# ---------------------------------------------------------------- one row per reason


@attrs.frozen
class _PerReason(Layout):
    """Decision's records: the decision's own columns, then one row per reason's columns."""

    outer: int = 0

    def rows(self, value: Any) -> Iterator[dict[str, Any]]:
        pairs = list(zip(self.columns, self.getters, strict=True))
        head = {column.name: getter(value) for column, getter in pairs[: self.outer]}
        for reason in value.reasons or (None,):
            row = dict(head)
            for column, getter in pairs[self.outer :]:
                row[column.name] = None if reason is None else getter(reason)
            yield row


def _decision_layout() -> Layout:
    outer: list[tuple[Column, Any]] = [
        (Column("allowed", "bool"), lambda value: value.allowed),
        (Column("question", "text"), lambda value: value.question),
        (Column("law", "text"), lambda value: value.law),
        (Column("at", "datetime"), lambda value: value.at),
        (Column("obligations", "object"), lambda value: value.obligations),
    ]
    inner = layout_of(Reason)
    columns = [column for column, _ in outer]
    columns.extend(attrs.evolve(column, nullable=True) for column in inner.columns)
    return _PerReason(
        columns=tuple(columns),
        getters=(*(getter for _, getter in outer), *inner.getters),
        outer=len(outer),
    )


_LAYOUT: Final = _decision_layout()
# Every way out (``to_records``, ``to_dataframe``, the HTML table, the module-level
# `to_records`) reads a type's layout: a decision's is one row per reason.
_LAYOUTS[(Decision, False)] = _LAYOUTS[(Decision, True)] = _LAYOUT
