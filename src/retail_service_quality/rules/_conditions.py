"""Conditions over the fields of a facts mapping: small frozen values, each with a ``kind`` tag.

A condition is data: it serializes to JSON (tagged by ``kind``) and back, and
it says whether it holds for given facts (`holds`) and why (`explain`). An
explanation names the field, the operator and the rule's constant, never a
value taken from the facts, which may be personal.

A field that is missing, or whose value has a type the operator cannot
compare with the constant (text against a number, a datetime against text),
makes a comparison *not hold*, and the explanation says so. Facts that are
not JSON-like at all (a set, NaN, a naive datetime) are a `ValidationError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import attrs

from retail_service_quality._internal.times import parse_datetime
from retail_service_quality._internal.validation import (
    REQUIRED,
    check_aware,
    check_text,
    is_text,
    raise_problems,
)
from retail_service_quality.errors import Problems, ValidationError, join_path

__all__ = [
    "COMPARISONS",
    "MAX_NESTING",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Elapsed",
    "Exists",
    "Not",
    "Within",
    "all_of",
    "any_of",
    "elapsed",
    "eq",
    "exists",
    "ge",
    "gt",
    "is_in",
    "le",
    "lt",
    "ne",
    "not_",
    "not_in",
    "within",
]

MAX_NESTING: Final = 32
"""How deep conditions may nest (``all_of`` in ``any_of`` in ``not``...)."""

_ORDER_OPS: Final = ("lt", "le", "gt", "ge")
_SCALAR_OPS: Final = ("eq", "ne", *_ORDER_OPS)
_LIST_OPS: Final = ("in", "not_in")
COMPARISONS: Final = (*_SCALAR_OPS, *_LIST_OPS)
"""The operators of `Compare`: ``eq ne lt le gt ge`` take one value, ``in not_in`` a list."""

_SYMBOLS: Final = {
    "eq": "=",
    "ne": "!=",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "in": "in",
    "not_in": "not in",
}
_SCALAR = "must be a single value (text, a number, true/false or null)"
_FACT_TYPES = "must be text, a number, true/false, null, an aware datetime or a list of these"


# ---------------------------------------------------------------- facts


def _fact_problem(value: object, depth: int = 0) -> str | None:
    if value is None or isinstance(value, bool | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else "must be a finite number"
    if isinstance(value, str):
        return None if is_text(value) else "must be valid Unicode text (no lone surrogates)"
    if isinstance(value, datetime):
        problems = Problems()
        check_aware(value, "$", problems)
        return next((problem.message for problem in problems), None)
    if isinstance(value, list | tuple) and depth == 0:
        return next(
            (found for item in value if (found := _fact_problem(item, 1)) is not None), None
        )
    return _FACT_TYPES


def check_facts(facts: object, path: str = "$.facts") -> Mapping[str, Any]:
    """``facts`` if it is a mapping of field names to JSON-like values; else every problem.

    Examples:
        >>> check_facts({"priority": "urgent"})
        {'priority': 'urgent'}
    """
    if not isinstance(facts, Mapping):
        raise ValidationError.single(path, "must be a mapping of field names to values", "type")
    problems = Problems()
    for key, value in facts.items():
        if not isinstance(key, str) or not is_text(key):
            problems.add(path, "must have text keys (field names)", "type")
            continue
        message = _fact_problem(value)
        if message is not None:
            code = "naive_datetime" if "time zone" in message else "type"
            problems.add(join_path(path, key), message, code)
    problems.raise_if_any()
    return facts


# ---------------------------------------------------------------- values and checks


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _scalar_problem(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if abs(value) < 10**300 else "must be an integer of at most 300 digits"
    if isinstance(value, float):
        return None if math.isfinite(value) else "must be a finite number"
    if isinstance(value, str):
        return None if is_text(value) else "must be valid Unicode text (no lone surrogates)"
    return _SCALAR


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _conditions(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _check_field(value: object, path: str, problems: Problems) -> None:
    check_text(value, path, problems)
    if isinstance(value, str) and not value.strip():
        problems.add(path, "must name a field", "required")


def _check_kind(instance: Any, tag: str, problems: Problems) -> None:
    if instance.kind != tag:
        problems.add("$.kind", f"must be {tag}", "unknown_choice")


def _show(value: object) -> str:
    """A rule's constant as the explanation shows it (JSON-like)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _same(left: object, right: object) -> bool:
    """Equality without surprises: a bool is not a number, a number is not text."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    if _is_number(left) and _is_number(right):
        return left == right
    return type(left) is type(right) and left == right


def _comparable(fact: object, constant: object) -> bool:
    return (_is_number(fact) and _is_number(constant)) or (
        isinstance(fact, str) and isinstance(constant, str)
    )


def _duration_text(value: timedelta) -> str:
    seconds = value.total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds:g} seconds"


def _instant(facts: Mapping[str, Any], name: str | None, at: datetime | None) -> datetime | None:
    """The named field's instant, or the evaluation instant when no field is named.

    A field holds an instant as an aware datetime, or as ISO 8601 text with its
    UTC offset (as JSON writes it); anything else is no instant.
    """
    if name is None:
        return at
    value = facts.get(name)
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except (ValueError, OverflowError):
            return None
    return None


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


class _Condition:
    """What every condition does: `holds` (also by calling it), `explain`, ``&``, ``|``, ``~``."""

    __slots__ = ()

    def holds(self, facts: Mapping[str, Any], *, at: datetime | None = None) -> bool:
        """Whether the condition holds for ``facts`` (at the instant ``at``, for time windows).

        Raises:
            ValidationError: the facts are not a mapping of JSON-like values.
        """
        _check_at(at)
        return self._holds(check_facts(facts), at)

    def explain(self, facts: Mapping[str, Any], *, at: datetime | None = None) -> str:
        """Whether the condition holds and why, naming fields and constants, never a fact's value.

        Raises:
            ValidationError: the facts are not a mapping of JSON-like values.
        """
        _check_at(at)
        return self._explain(check_facts(facts), at)

    def __call__(self, facts: Mapping[str, Any], *, at: datetime | None = None) -> bool:
        return self.holds(facts, at=at)

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        raise NotImplementedError

    def _why_not(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        return ""

    def _describe(self) -> str:
        raise NotImplementedError

    def _explain(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        if self._holds(facts, at):
            return f"{self._describe()}: holds"
        why = self._why_not(facts, at)
        return f"{self._describe()}: does not hold" + (f" ({why})" if why else "")

    def __and__(self, other: Condition) -> AllOf:
        return AllOf(all_of=(self, other))

    def __or__(self, other: Condition) -> AnyOf:
        return AnyOf(any_of=(self, other))

    def __invert__(self) -> Not:
        return Not(condition=self)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self._describe()


def _check_at(at: object) -> None:
    if at is None:
        return
    problems = Problems()
    check_aware(at, "$.at", problems)
    problems.raise_if_any()


# ---------------------------------------------------------------- comparisons


@attrs.frozen(kw_only=True)
class Compare(_Condition):
    """A field compared with a constant: ``eq ne lt le gt ge`` a value, ``in not_in`` a list.

    Equality is strict about types: a bool is not a number and a number is not
    text (``1`` does not equal ``"1"`` nor ``true``); integers and floats
    compare as numbers. ``lt le gt ge`` order two numbers or two texts; a
    missing field, or a value that cannot be ordered against the constant,
    makes the comparison not hold (``ne`` and ``not_in`` included: they hold
    only for a present value of a comparable type).

    Attributes:
        field: the name of the fact compared.
        op: one of `COMPARISONS`.
        value: the constant: a single value (text, a number, true/false or null),
            or for ``in`` and ``not_in`` a list of them.
        kind: ``"compare"``, the tag in JSON.

    Examples:
        >>> rule = Compare(field="priority", op="eq", value="urgent")
        >>> rule.holds({"priority": "urgent"}), rule.holds({"priority": "low"})
        (True, False)
        >>> rule.explain({})
        "priority = 'urgent': does not hold (the field is missing)"

    Raises:
        ValidationError: every problem, with its path.
    """

    field: str = attrs.field(default=REQUIRED)
    op: str = attrs.field(default=REQUIRED)
    value: Any = attrs.field(default=REQUIRED, converter=_freeze)
    kind: str = attrs.field(default="compare")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_kind(self, "compare", problems)
        _check_field(self.field, "$.field", problems)
        if not isinstance(self.op, str) or self.op not in COMPARISONS:
            problems.add("$.op", "must be one of " + ", ".join(COMPARISONS), "unknown_choice")
        elif self.op in _LIST_OPS:
            if not isinstance(self.value, tuple):
                problems.add("$.value", f"must be a list for {self.op}", "type")
            else:
                for index, item in enumerate(self.value):
                    message = _scalar_problem(item)
                    if message is not None:
                        problems.add(join_path("$.value", index), message, "type")
        elif self.value is not REQUIRED:
            message = _scalar_problem(self.value)
            if isinstance(self.value, tuple):
                message = f"{_SCALAR} for {self.op}; use in or not_in for a list"
            if message is not None:
                problems.add("$.value", message, "type")
            elif self.op in _ORDER_OPS and not (
                _is_number(self.value) or isinstance(self.value, str)
            ):
                problems.add("$.value", f"must be a number or text for {self.op}", "type")
        raise_problems(self, problems)

    def _describe(self) -> str:
        return f"{self.field} {_SYMBOLS[self.op]} {_show(self.value)}"

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        if self.field not in facts:
            return False
        fact = facts[self.field]
        if self.op in _LIST_OPS:
            if isinstance(fact, list | tuple | datetime):
                return False
            found = any(_same(fact, item) for item in self.value)
            return found if self.op == "in" else not found
        if self.op in ("eq", "ne"):
            if isinstance(fact, list | tuple | datetime):
                return False
            return _same(fact, self.value) == (self.op == "eq")
        if not _comparable(fact, self.value):
            return False
        if self.op == "lt":
            return bool(fact < self.value)
        if self.op == "le":
            return bool(fact <= self.value)
        if self.op == "gt":
            return bool(fact > self.value)
        return bool(fact >= self.value)

    def _why_not(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        if self.field not in facts:
            return "the field is missing"
        fact = facts[self.field]
        if isinstance(fact, list | tuple):
            return "the field holds a list, not a single value"
        if isinstance(fact, datetime):
            return "the field holds a date and time; compare instants with within or elapsed"
        if self.op in _ORDER_OPS and not _comparable(fact, self.value):
            wanted = "a number" if _is_number(self.value) else "text"
            return f"the field does not hold {wanted}"
        return ""


@attrs.frozen(kw_only=True)
class Exists(_Condition):
    """The field is present and not null.

    Attributes:
        field: the name of the fact.
        kind: ``"exists"``, the tag in JSON.

    Examples:
        >>> Exists(field="store_id").holds({"store_id": "S1"}), exists("store_id").holds({})
        (True, False)

    Raises:
        ValidationError: every problem, with its path.
    """

    field: str = attrs.field(default=REQUIRED)
    kind: str = attrs.field(default="exists")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_kind(self, "exists", problems)
        _check_field(self.field, "$.field", problems)
        raise_problems(self, problems)

    def _describe(self) -> str:
        return f"{self.field} exists"

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        return facts.get(self.field) is not None


# ---------------------------------------------------------------- time


def _check_window(value: object, path: str, problems: Problems) -> None:
    if not isinstance(value, timedelta):
        problems.add(path, "must be a number of seconds", "type")
    elif value < timedelta(0):
        problems.add(path, "must not be negative", "range")


def _instant_problem(facts: Mapping[str, Any], name: str | None, at: datetime | None) -> str | None:
    if name is None:
        return None if at is not None else "it needs the instant of evaluation, and none was given"
    if name not in facts:
        return f"{name} is missing"
    if _instant(facts, name, at) is None:
        return f"{name} does not hold a date and time with its UTC offset"
    return None


@attrs.frozen(kw_only=True)
class Within(_Condition):
    """The instant in a field lies from ``before`` before to ``after`` after a reference instant.

    The reference is another field, or, when ``reference`` is null, the
    instant the rules are evaluated at. A field holds an instant as an aware
    datetime or as ISO 8601 text with its UTC offset (as JSON writes it).
    Instants are compared, never wall clocks: a window of one hour is 3,600
    seconds across a DST change.

    Attributes:
        field: the name of the fact holding an instant (an aware datetime).
        before: how long before the reference the window opens (a number of seconds in JSON).
        after: how long after the reference the window closes (a number of seconds in JSON).
        reference: the field holding the reference instant, or null for the evaluation instant.
        kind: ``"within"``, the tag in JSON.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> at = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
        >>> recent = within("last_purchase_at", before=timedelta(days=30))
        >>> recent.holds({"last_purchase_at": datetime(2026, 3, 1, tzinfo=timezone.utc)}, at=at)
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    field: str = attrs.field(default=REQUIRED)
    before: timedelta = attrs.field(default=timedelta(0))
    after: timedelta = attrs.field(default=timedelta(0))
    reference: str | None = attrs.field(default=None)
    kind: str = attrs.field(default="within")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_kind(self, "within", problems)
        _check_field(self.field, "$.field", problems)
        _check_window(self.before, "$.before", problems)
        _check_window(self.after, "$.after", problems)
        if self.reference is not None:
            _check_field(self.reference, "$.reference", problems)
        raise_problems(self, problems)

    def _describe(self) -> str:
        reference = self.reference or "the evaluation instant"
        return (
            f"{self.field} within {_duration_text(self.before)} before and "
            f"{_duration_text(self.after)} after {reference}"
        )

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        if self._why_not(facts, at):
            return False
        value = _utc(_instant(facts, self.field, at))  # type: ignore[arg-type]
        reference = _utc(_instant(facts, self.reference, at))  # type: ignore[arg-type]
        try:
            return reference - self.before <= value <= reference + self.after
        except OverflowError:  # a window past the ends of time: compare the distance instead
            distance = value - reference
            return -self.before <= distance <= self.after

    def _why_not(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        return _instant_problem(facts, self.field, at) or (
            _instant_problem(facts, self.reference, at) or ""
        )


@attrs.frozen(kw_only=True)
class Elapsed(_Condition):
    """The time elapsed from one instant to another, compared with a duration.

    ``end`` is another field or, when null, the evaluation instant: "the
    complaint is older than 2 days" is
    ``elapsed("received_at", "gt", timedelta(days=2))``. The elapsed time is
    the difference of the instants (in UTC), so a day across a DST change is
    still 86,400 seconds.

    Attributes:
        start: the field holding the instant the time runs from.
        op: one of ``eq ne lt le gt ge``.
        duration: the duration compared with (a number of seconds in JSON).
        end: the field holding the instant the time runs to, or null for the evaluation instant.
        kind: ``"elapsed"``, the tag in JSON.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> old = elapsed("received_at", "gt", timedelta(days=2))
        >>> facts = {"received_at": datetime(2026, 3, 1, tzinfo=timezone.utc)}
        >>> old.holds(facts, at=datetime(2026, 3, 4, tzinfo=timezone.utc))
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    start: str = attrs.field(default=REQUIRED)
    op: str = attrs.field(default=REQUIRED)
    duration: timedelta = attrs.field(default=REQUIRED)
    end: str | None = attrs.field(default=None)
    kind: str = attrs.field(default="elapsed")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_kind(self, "elapsed", problems)
        _check_field(self.start, "$.start", problems)
        if not isinstance(self.op, str) or self.op not in _SCALAR_OPS:
            problems.add("$.op", "must be one of " + ", ".join(_SCALAR_OPS), "unknown_choice")
        if self.duration is not REQUIRED:
            _check_window(self.duration, "$.duration", problems)
        if self.end is not None:
            _check_field(self.end, "$.end", problems)
        raise_problems(self, problems)

    def _describe(self) -> str:
        end = self.end or "the evaluation instant"
        return (
            f"time from {self.start} to {end} {_SYMBOLS[self.op]} {_duration_text(self.duration)}"
        )

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        if self._why_not(facts, at):
            return False
        start = _utc(_instant(facts, self.start, at))  # type: ignore[arg-type]
        end = _utc(_instant(facts, self.end, at))  # type: ignore[arg-type]
        spent = end - start
        return {
            "eq": spent == self.duration,
            "ne": spent != self.duration,
            "lt": spent < self.duration,
            "le": spent <= self.duration,
            "gt": spent > self.duration,
            "ge": spent >= self.duration,
        }[self.op]

    def _why_not(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        return _instant_problem(facts, self.start, at) or (
            _instant_problem(facts, self.end, at) or ""
        )


# ---------------------------------------------------------------- combinators


def _depth(condition: object) -> int:
    if isinstance(condition, AllOf):
        children: tuple[object, ...] = condition.all_of
    elif isinstance(condition, AnyOf):
        children = condition.any_of
    elif isinstance(condition, Not):
        children = (condition.condition,)
    else:
        return 1
    return 1 + max((_depth(child) for child in children), default=0)


_CONDITION_TYPES: tuple[type, ...] = ()  # filled in below, once every class exists


def _check_children(value: object, path: str, problems: Problems) -> None:
    if not isinstance(value, tuple):
        problems.add(path, "must be a list of conditions", "type")
        return
    if not value:
        problems.add(path, "must hold at least one condition", "required")
    for index, child in enumerate(value):
        if not isinstance(child, _CONDITION_TYPES):
            problems.add(join_path(path, index), "must be a condition", "type")


def _check_depth(instance: object, problems: Problems) -> None:
    if not problems and _depth(instance) > MAX_NESTING:
        problems.add("$", f"must not nest conditions more than {MAX_NESTING} deep", "range")


@attrs.frozen(kw_only=True)
class AllOf(_Condition):
    """Holds when every one of its conditions holds (at least one is needed).

    Attributes:
        all_of: the conditions.
        kind: ``"all_of"``, the tag in JSON.

    Examples:
        >>> both = all_of(eq("tier", "vip"), gt("amount", 100))
        >>> both.holds({"tier": "vip", "amount": 250}), both.holds({"tier": "vip"})
        (True, False)

    Raises:
        ValidationError: every problem, with its path.
    """

    all_of: tuple[Condition, ...] = attrs.field(default=REQUIRED, converter=_conditions)
    kind: str = attrs.field(default="all_of")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_kind(self, "all_of", problems)
        _check_children(self.all_of, "$.all_of", problems)
        _check_depth(self, problems)
        raise_problems(self, problems)

    def _describe(self) -> str:
        return "all of (" + "; ".join(child._describe() for child in self.all_of) + ")"

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        return all(child._holds(facts, at) for child in self.all_of)

    def _explain(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        parts = "; ".join(child._explain(facts, at) for child in self.all_of)
        verdict = "holds" if self._holds(facts, at) else "does not hold"
        return f"all of: {verdict} ({parts})"


@attrs.frozen(kw_only=True)
class AnyOf(_Condition):
    """Holds when at least one of its conditions holds (at least one is needed).

    Attributes:
        any_of: the conditions.
        kind: ``"any_of"``, the tag in JSON.

    Examples:
        >>> either = any_of(eq("priority", "urgent"), eq("tier", "vip"))
        >>> either.holds({"tier": "vip"}), either.holds({"priority": "low"})
        (True, False)

    Raises:
        ValidationError: every problem, with its path.
    """

    any_of: tuple[Condition, ...] = attrs.field(default=REQUIRED, converter=_conditions)
    kind: str = attrs.field(default="any_of")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_kind(self, "any_of", problems)
        _check_children(self.any_of, "$.any_of", problems)
        _check_depth(self, problems)
        raise_problems(self, problems)

    def _describe(self) -> str:
        return "any of (" + "; ".join(child._describe() for child in self.any_of) + ")"

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        return any(child._holds(facts, at) for child in self.any_of)

    def _explain(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        parts = "; ".join(child._explain(facts, at) for child in self.any_of)
        verdict = "holds" if self._holds(facts, at) else "does not hold"
        return f"any of: {verdict} ({parts})"


@attrs.frozen(kw_only=True)
class Not(_Condition):
    """Holds when its condition does not (a missing field makes ``not (x = 1)`` hold).

    Attributes:
        condition: the condition negated.
        kind: ``"not"``, the tag in JSON.

    Examples:
        >>> not_(eq("channel", "fax")).holds({"channel": "email"})
        True

    Raises:
        ValidationError: every problem, with its path.
    """

    condition: Condition = attrs.field(default=REQUIRED)
    kind: str = attrs.field(default="not")

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        _check_kind(self, "not", problems)
        if self.condition is not REQUIRED and not isinstance(self.condition, _CONDITION_TYPES):
            problems.add("$.condition", "must be a condition", "type")
        _check_depth(self, problems)
        raise_problems(self, problems)

    def _describe(self) -> str:
        return f"not ({self.condition._describe()})"

    def _holds(self, facts: Mapping[str, Any], at: datetime | None) -> bool:
        return not self.condition._holds(facts, at)

    def _explain(self, facts: Mapping[str, Any], at: datetime | None) -> str:
        verdict = "holds" if self._holds(facts, at) else "does not hold"
        return f"not: {verdict} ({self.condition._explain(facts, at)})"


Condition = Compare | Exists | Within | Elapsed | AllOf | AnyOf | Not
"""Any condition; in JSON, an object whose ``kind`` names which."""

_CONDITION_TYPES = (Compare, Exists, Within, Elapsed, AllOf, AnyOf, Not)


# ---------------------------------------------------------------- factories


def eq(field: str, value: Any) -> Compare:
    """``field`` equals ``value``.

    Examples:
        >>> eq("priority", "urgent").holds({"priority": "urgent"})
        True
    """
    return Compare(field=field, op="eq", value=value)


def ne(field: str, value: Any) -> Compare:
    """``field`` is present and differs from ``value``.

    Examples:
        >>> ne("channel", "fax").holds({"channel": "email"}), ne("channel", "fax").holds({})
        (True, False)
    """
    return Compare(field=field, op="ne", value=value)


def lt(field: str, value: Any) -> Compare:
    """``field`` is less than ``value`` (two numbers or two texts).

    Examples:
        >>> lt("score", 7).holds({"score": 6})
        True
    """
    return Compare(field=field, op="lt", value=value)


def le(field: str, value: Any) -> Compare:
    """``field`` is at most ``value``.

    Examples:
        >>> le("score", 7).holds({"score": 7})
        True
    """
    return Compare(field=field, op="le", value=value)


def gt(field: str, value: Any) -> Compare:
    """``field`` is greater than ``value``.

    Examples:
        >>> gt("amount", 100).holds({"amount": 100.5})
        True
    """
    return Compare(field=field, op="gt", value=value)


def ge(field: str, value: Any) -> Compare:
    """``field`` is at least ``value``.

    Examples:
        >>> ge("amount", 100).holds({"amount": 99})
        False
    """
    return Compare(field=field, op="ge", value=value)


def is_in(field: str, values: Any) -> Compare:
    """``field`` equals one of ``values``.

    Examples:
        >>> is_in("channel", ["email", "chat"]).holds({"channel": "chat"})
        True
    """
    return Compare(field=field, op="in", value=values)


def not_in(field: str, values: Any) -> Compare:
    """``field`` is present and equals none of ``values``.

    Examples:
        >>> not_in("channel", ["fax"]).holds({"channel": "chat"})
        True
    """
    return Compare(field=field, op="not_in", value=values)


def exists(field: str) -> Exists:
    """``field`` is present and not null.

    Examples:
        >>> exists("customer_id").holds({"customer_id": None})
        False
    """
    return Exists(field=field)


def all_of(*conditions: Condition) -> AllOf:
    """Every one of ``conditions`` holds.

    Examples:
        >>> all_of(exists("a"), exists("b")).holds({"a": 1, "b": 2})
        True
    """
    return AllOf(all_of=conditions)


def any_of(*conditions: Condition) -> AnyOf:
    """At least one of ``conditions`` holds.

    Examples:
        >>> any_of(exists("a"), exists("b")).holds({"b": 2})
        True
    """
    return AnyOf(any_of=conditions)


def not_(condition: Condition) -> Not:
    """``condition`` does not hold.

    Examples:
        >>> not_(exists("a")).holds({})
        True
    """
    return Not(condition=condition)


def within(
    field: str,
    *,
    before: timedelta = timedelta(0),
    after: timedelta = timedelta(0),
    reference: str | None = None,
) -> Within:
    """The instant in ``field`` lies within ``before``/``after`` of ``reference`` (or of ``at``).

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> soon = within("due_at", after=timedelta(hours=1))
        >>> soon.holds(
        ...     {"due_at": datetime(2026, 3, 10, 12, 30, tzinfo=timezone.utc)},
        ...     at=datetime(2026, 3, 10, 12, tzinfo=timezone.utc),
        ... )
        True
    """
    return Within(field=field, before=before, after=after, reference=reference)


def elapsed(start: str, op: str, duration: timedelta, *, end: str | None = None) -> Elapsed:
    """The time from the instant in ``start`` to ``end`` (or to ``at``) compared with ``duration``.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> quick = elapsed("received_at", "le", timedelta(hours=4), end="answered_at")
        >>> quick.holds({
        ...     "received_at": datetime(2026, 3, 10, 9, tzinfo=timezone.utc),
        ...     "answered_at": datetime(2026, 3, 10, 11, tzinfo=timezone.utc),
        ... })
        True
    """
    return Elapsed(start=start, op=op, duration=duration, end=end)
