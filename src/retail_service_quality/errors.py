"""The errors the library raises on purpose, all rooted at `RSQError`.

Every error a caller can expect from the library is an `RSQError`, so one
``except RSQError`` catches them all; the more specific classes also derive
from the built-in exception a caller would reach for first (`ValueError`,
`LookupError`).

Bad input is reported all at once: a `ValidationError` carries every
`Problem` found, each with a JSON path (``$.hours.mon[0]``) that a form can
point at, and a stable code (a key of `CODES`) that a program can act on.

Examples:
    >>> from retail_service_quality import BusinessCalendar, ValidationError
    >>> try:
    ...     BusinessCalendar("Mars/Olympus", {"mon": [("18:00", "18:00")], "funday": []})
    ... except ValidationError as error:
    ...     caught = error
    ...     for problem in error.problems:
    ...         print(problem.path, "-", problem.message)
    $.timezone - not a known IANA time zone
    $.hours.mon[0] - the period closes when it opens; for a whole day write ('00:00', '24:00')
    $.hours.funday - not a day of the week; use mon, tue, wed, thu, fri, sat or sun
    >>> [problem.code for problem in caught.problems]
    ['unknown_choice', 'inconsistent', 'unknown_choice']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import attrs

__all__ = [
    "ConflictError",
    "InsufficientDataError",
    "InvalidTransitionError",
    "NotFoundError",
    "CODES",
    "Problem",
    "Problems",
    "RSQError",
    "SHOWN",
    "StorageError",
    "ValidationError",
    "join_path",
]

SHOWN = 100
"""How many problems ``str(ValidationError)`` lists; ``.problems`` always holds them all."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def join_path(path: str, part: str | int) -> str:
    """Extend a ``$``-rooted JSON path by one attribute name or list index.

    Names that are not identifiers are written in bracket notation, so every
    path stays unambiguous.

    Examples:
        >>> join_path("$", "hours")
        '$.hours'
        >>> join_path("$.hours.mon", 0)
        '$.hours.mon[0]'
        >>> join_path("$.special_hours", "2026-12-24")
        "$.special_hours['2026-12-24']"
        >>> print(join_path("$.answers", "q\\ud800"))
        $.answers['q\\ud800']
    """
    if isinstance(part, int):
        return f"{path}[{part}]"
    if _IDENTIFIER.fullmatch(part):
        return f"{path}.{part}"
    escaped = part.replace("\\", "\\\\").replace("'", "\\'")
    # A lone surrogate is written as its escape: the path, and the message, stay printable.
    escaped = escaped.encode("utf-8", "backslashreplace").decode("utf-8")
    return f"{path}['{escaped}']"


CODES: dict[str, str] = {
    "required": "a required value is missing",
    "type": "the value is not of the expected type (text, number, list, object, ...)",
    "range": "a number, count, date or length lies outside the allowed range",
    "format": "text that does not parse: a time, date, datetime, duration or identifier",
    "unknown_choice": "not one of the allowed values (an enum, a method, a day name, a zone)",
    "unknown_field": "a field the type does not have",
    "naive_datetime": "a datetime without a time zone",
    "nonexistent_time": "a wall-clock time skipped by a daylight-saving change",
    "inconsistent": "values that contradict each other (an end before its start, totals that "
    "do not add up)",
    "duplicate": "a value given twice where it must be unique",
    "invalid": "any other rule of the domain that the value breaks",
}
"""Every `Problem.code` and what it means: stable names a UI can translate.

A code is never renamed or removed; a new one may be added for a new family
of problems. ``"invalid"`` is the code of a domain rule that no other code
describes.

Examples:
    >>> CODES["unknown_choice"]
    'not one of the allowed values (an enum, a method, a day name, a zone)'
"""


@attrs.frozen
class Problem:
    """One thing wrong with an input: where (a ``$``-rooted path), what, and a stable code.

    Messages describe the rule that was broken; they never repeat the value
    that broke it, so a problem is safe to log even when the input held
    personal data. ``code`` is one of the keys of `CODES`, for a program
    (a UI translating messages) to act on; the English ``message`` may be
    reworded between releases, the code is not.

    Attributes:
        path: where the problem is, as a ``$``-rooted JSON path (``$.hours.mon[0]``).
        message: what was expected, in English, never repeating the value.
        code: a stable machine-readable name for the kind of problem, a key of `CODES`.

    Examples:
        >>> Problem("$.hours.mon[0]", "closes before it opens", "inconsistent")
        Problem(path='$.hours.mon[0]', message='closes before it opens', code='inconsistent')
    """

    path: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def under(self, prefix: str) -> Problem:
        """The same problem, its path re-rooted under ``prefix``.

        Examples:
            >>> Problem("$.open", "bad time", "format").under("$.periods[2]")
            Problem(path='$.periods[2].open', message='bad time', code='format')
        """
        if self.path == "$":
            path = prefix
        elif self.path.startswith("$"):
            path = prefix + self.path[1:]
        else:
            path = join_path(prefix, self.path)
        return Problem(path, self.message, self.code)


class RSQError(Exception):
    """Root of every error the library raises on purpose.

    Examples:
        >>> issubclass(ValidationError, RSQError)
        True
    """


class ValidationError(RSQError, ValueError):
    """Bad input: carries every `Problem` found, not just the first.

    ``str()`` lists each problem on its own line, path first: the first
    hundred (`SHOWN`), then how many more there are, so a sample of a million
    bad scores does not flood a log or a notebook; ``.problems`` holds them all.

    Examples:
        >>> error = ValidationError([Problem("$.a", "required"), Problem("$.b[1]", "not a date")])
        >>> error.problems[1].path
        '$.b[1]'
        >>> print(error)
        2 problems:
          $.a: required
          $.b[1]: not a date
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("a ValidationError needs at least one problem")
        super().__init__(self._describe())

    @classmethod
    def single(cls, path: str, message: str, code: str) -> ValidationError:
        """A validation error with one problem.

        Examples:
            >>> ValidationError.single("$.law", "unknown law", "unknown_choice").problems
            (Problem(path='$.law', message='unknown law', code='unknown_choice'),)
        """
        return cls([Problem(path, message, code)])

    def _describe(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  {problem}" for problem in self.problems[:SHOWN])
        if len(self.problems) > SHOWN:
            hidden = len(self.problems) - SHOWN
            lines.append(f"  ... and {hidden} more (every one is in .problems)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._describe()

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))


class Problems:
    """Collects problems while an input is checked, then raises them together.

    Examples:
        >>> problems = Problems()
        >>> problems.add("$.start", "must be timezone-aware", "naive_datetime")
        >>> problems.add("$.end", "must be timezone-aware", "naive_datetime")
        >>> len(problems)
        2
        >>> problems.raise_if_any()
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: 2 problems:
          $.start: must be timezone-aware
          $.end: must be timezone-aware
    """

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, path: str, message: str, code: str) -> None:
        """Record one problem.

        Examples:
            >>> problems = Problems()
            >>> problems.add("$.days", "must be at least 1", "range")
            >>> [(str(problem), problem.code) for problem in problems]
            [('$.days: must be at least 1', 'range')]
        """
        self._items.append(Problem(path, message, code))

    def extend(self, problems: Iterable[Problem], *, under: str | None = None) -> None:
        """Record several problems, re-rooting their paths under ``under`` if given.

        Examples:
            >>> problems = Problems()
            >>> problems.extend([Problem("$.open", "bad time", "format")], under="$.hours.mon[0]")
            >>> [(problem.path, problem.code) for problem in problems]
            [('$.hours.mon[0].open', 'format')]
        """
        for problem in problems:
            self._items.append(problem if under is None else problem.under(under))

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def raise_if_any(self) -> None:
        """Raise a `ValidationError` holding every problem recorded, if any.

        Examples:
            >>> Problems().raise_if_any()  # nothing recorded: nothing raised
        """
        if self._items:
            raise ValidationError(self._items)


class InsufficientDataError(RSQError, ValueError):
    """A statistic was asked of an empty sample, or of one without the variance it needs.

    Examples:
        >>> issubclass(InsufficientDataError, ValueError)
        True
    """


class InvalidTransitionError(RSQError):
    """A lifecycle step that the current state does not allow.

    Examples:
        >>> InvalidTransitionError("a closed complaint cannot be acknowledged").args[0]
        'a closed complaint cannot be acknowledged'
    """


class NotFoundError(RSQError, LookupError):
    """A repository holds no record with the id asked for.

    Examples:
        >>> issubclass(NotFoundError, LookupError)
        True
    """


class ConflictError(RSQError):
    """A duplicate id, or a save based on a stale version (optimistic concurrency).

    Examples:
        >>> issubclass(ConflictError, RSQError)
        True
    """


class StorageError(RSQError):
    """A storage driver failed; the driver's own exception is the ``__cause__``.

    Examples:
        >>> issubclass(StorageError, RSQError)
        True
    """
