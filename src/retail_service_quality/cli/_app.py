"""The ``rsq`` program: its commands, its argument checks, its one-line errors.

Exit codes: 0 done; 1 the store (or the output file) could not be opened,
read or written, or the library refused the work; 2 a bad argument or usage
(click's own code for those); 130 interrupted. Every error is one line on
standard error, ``rsq: error: ...``; with ``RSQ_DEBUG=1`` in the
environment an unexpected error shows its traceback as well.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, Final, TextIO

import click

from retail_service_quality.errors import RSQError, ValidationError
from retail_service_quality.storage._open import is_postgres

__all__ = ["main"]

_PROG: Final = "rsq"
_DEBUG: Final = "RSQ_DEBUG"
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_DEMO_DB: Final = "rsq-demo.db"
_FORMATS: Final = ("text", "json", "html")
_EXIT_ERROR: Final = 1
_EXIT_USAGE: Final = 2
_EXIT_INTERRUPTED: Final = 130


def _color() -> bool | None:
    """Colour only on a terminal (click's default), and never when ``NO_COLOR`` is set."""
    return False if os.environ.get("NO_COLOR") else None


def _say(message: str, *, err: bool = True) -> None:
    click.echo(message, err=err, color=_color())


def _one_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return "; ".join(lines) or "failed"


def _fail(message: str) -> None:
    """Print one error line on standard error."""
    _say(click.style("rsq: error:", fg="red", bold=True) + " " + _one_line(message))


def _status(message: str) -> None:
    """A line of what is being done, on standard error when it is a terminal only."""
    if sys.stderr.isatty():
        _say(click.style(message, dim=True))


def _debug() -> bool:
    return os.environ.get(_DEBUG, "") not in ("", "0")


class _Date(click.ParamType):  # type: ignore[type-arg]
    """A local day written ``YYYY-MM-DD``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            self.fail("must be a day written YYYY-MM-DD, such as 2026-01-31", param, ctx)


class _Instant(click.ParamType):  # type: ignore[type-arg]
    """An instant: ISO 8601 date and time with a UTC offset (or ``Z``)."""

    name = "instant"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime) and value.utcoffset() is not None:
            return value
        text = str(value).strip()
        try:
            found = datetime.fromisoformat(text) if "T" in text.upper() else None
        except ValueError:
            found = None
        if found is None or found.utcoffset() is None:
            self.fail(
                "must be a date and time with a UTC offset, such as 2027-01-01T00:00:00+08:00",
                param,
                ctx,
            )
        return found


class _Zone(click.ParamType):  # type: ignore[type-arg]
    """An IANA time zone name."""

    name = "zone"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from retail_service_quality.storage._time import named_zone

        text = str(value).strip()
        if not text or text.startswith(("/", ".")) or named_zone(text) is None:
            self.fail("must be an IANA time zone name, such as Asia/Hong_Kong", param, ctx)
        return text


class _Program(click.Group):
    """The group, with every failure turned into one line and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        code = self._run(args, prog_name or _PROG, complete_var, extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str,
        complete_var: str | None,
        extra: dict[str, Any],
    ) -> int:
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":
                _say(error.format_message())
            else:
                command = error.ctx.command_path if error.ctx is not None else prog_name
                _fail(f"{error.format_message()} (see '{command} --help')")
            return _EXIT_USAGE
        except click.exceptions.ClickException as error:
            _fail(error.format_message())
            return error.exit_code
        except (click.exceptions.Abort, KeyboardInterrupt):
            _say("rsq: interrupted")
            return _EXIT_INTERRUPTED
        except click.exceptions.Exit as done:
            return done.exit_code
        except BrokenPipeError:
            # The reader went away (``rsq report | head``): stop quietly.
            with contextlib.suppress(OSError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            return _EXIT_ERROR
        except RSQError as error:
            if _debug():
                raise
            _fail(str(error))
            return _EXIT_ERROR
        except Exception as error:
            if _debug():
                raise
            _fail(
                f"unexpected {type(error).__name__}; run again with {_DEBUG}=1 to see the traceback"
            )
            return _EXIT_ERROR
        return result if isinstance(result, int) else 0


def _version() -> str:
    from retail_service_quality import __version__

    return __version__


@click.group(_PROG, cls=_Program, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name=_PROG, message="%(prog)s %(version)s")
def main() -> None:
    """Customer service quality of a retail chain, from a store file or database.

    Start with `rsq demo`: it writes a sample retail chain to rsq-demo.db and
    prints its quality report. Then `rsq report --db rsq-demo.db --format html
    --out report.html` writes the same report as one web page.
    """


class _Progress:
    """A progress bar on standard error when it is a terminal; nothing otherwise."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self._label = label
        self._stream = stream
        self._bar: Any = None
        self._done = 0
        self._shown = stream.isatty()

    def __call__(self, written: int, total: int) -> None:
        if not self._shown:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=max(total, 1), label=self._label, file=self._stream, color=_color()
            )
            self._bar.__enter__()
        self._bar.update(max(written - self._done, 0))
        self._done = written

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@contextlib.contextmanager
def _opened(target: str) -> Iterator[Any]:
    """The store at ``target``, opened without creating or changing anything; closed after."""
    from retail_service_quality.cli._files import check_store_file
    from retail_service_quality.storage import open_store

    if not is_postgres(target):
        check_store_file(target)
    store = open_store(target, read_only=True)
    try:
        yield store
    finally:
        store.close()


def _remove_new_file(path: str) -> None:
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        with contextlib.suppress(OSError):
            os.unlink(name)


@main.command()
@click.option(
    "--db",
    default=_DEMO_DB,
    show_default=True,
    metavar="PATH",
    help="The SQLite file to create (or an empty PostgreSQL database's connection string).",
)
@click.option(
    "--size",
    type=click.Choice(["small", "medium", "large"]),
    default="small",
    show_default=True,
    help="About 2,000, 100,000 or 1,000,000 interactions.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    default=0,
    show_default=True,
    help="The same seed writes the same chain.",
)
def demo(db: str, size: str, seed: int) -> None:
    """Write a sample retail chain to a new store and print its quality report."""
    from retail_service_quality.reports import quality_report
    from retail_service_quality.sample import generate
    from retail_service_quality.storage import open_store

    postgres = is_postgres(db)
    created = False
    if not postgres:
        if not db.strip():
            raise click.BadParameter("must be a file path", param_hint="'--db'")
        if os.path.isfile(db) and os.path.getsize(db) > 0:
            raise click.ClickException(
                f"{db!r} already exists; pass another --db, or delete it (it was left unchanged)"
            )
        if os.path.exists(db) and not os.path.isfile(db) and not os.path.isdir(db):
            raise click.BadParameter(
                "is not a regular file (a device or a pipe); give a new file's path",
                param_hint="'--db'",
            )
        created = not os.path.lexists(db)
    done = False
    progress = _Progress("Writing the sample chain", sys.stderr)
    try:
        store = open_store(db)
        try:
            chain = generate(store, size=size, seed=seed, progress=progress)  # type: ignore[arg-type]
            progress.close()
            _status("Computing the report...")
            report = quality_report(
                store,
                period_start=chain.period_start,
                period_end=chain.period_end,
                timezone=chain.timezone,
                now=chain.now,
                retailer=chain.retailer,
                business_units=chain.business_units,
            )
            text = report.to_text()
        finally:
            progress.close()
            store.close()
        done = True
    finally:
        if created and not done:
            _remove_new_file(db)
    click.echo(text.rstrip("\n"))
    where = "the database" if postgres else repr(db)
    _say(click.style(f"rsq: wrote {where}: {chain.summary()}", fg="green"))
    if not postgres:
        _say(
            f"rsq: next: rsq report --db {_quoted(db)} --retailer {_quoted(chain.retailer)} "
            "--format html --out report.html"
        )


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)


_OPTIONS: Final = {
    "$.period_start": "--from",
    "$.period_end": "--to",
    "$.timezone": "--timezone",
    "$.now": "--now",
    "$.retailer": "--retailer",
}


def _usage_error(error: ValidationError) -> None:
    """Raise a usage error (exit 2) when every problem is with an option the user gave."""
    named = [(_OPTIONS.get(problem.path), problem.message) for problem in error.problems]
    if all(option is not None for option, _ in named):
        raise click.UsageError(
            "; ".join(f"Invalid value for '{option}': {message}" for option, message in named)
        ) from None


def _check_out(out: str | None, db: str) -> None:
    """Refuse, before anything is opened, an --out that cannot be written or is the store."""
    if out is None:
        return
    if not out.strip():
        raise click.BadParameter(
            "must be a file's path (or '-' for standard output)", param_hint="'--out'"
        )
    parent = os.path.dirname(os.path.abspath(out))
    if os.path.isdir(out):
        raise click.BadParameter("is a directory; give a file's path", param_hint="'--out'")
    if os.path.exists(out) and not os.path.isfile(out):
        raise click.BadParameter(
            "is not a regular file (a device or a pipe), which is never replaced; give a "
            "file's path, or '-' for standard output",
            param_hint="'--out'",
        )
    if not os.path.isdir(parent):
        raise click.BadParameter(f"the directory {parent!r} does not exist", param_hint="'--out'")
    if not is_postgres(db) and os.path.exists(out) and os.path.exists(db):
        with contextlib.suppress(OSError):
            if os.path.samefile(out, db):
                raise click.BadParameter(
                    "is the store being read; give another file", param_hint="'--out'"
                )


_RENDER: Final[dict[str, Callable[[Any], str]]] = {
    "text": lambda report: report.to_text(),
    "json": lambda report: report.to_json(),
    "html": lambda report: report.to_html(),
}


@main.command()
@click.option(
    "--db",
    "target",
    required=True,
    metavar="TARGET",
    help="A store's SQLite file, or a PostgreSQL connection string. Only read.",
)
@click.option(
    "--from", "period_start", type=_Date(), help="First local day (default: the first with data)."
)
@click.option(
    "--to", "period_end", type=_Date(), help="Last local day (default: the last with data)."
)
@click.option(
    "--timezone",
    type=_Zone(),
    help="IANA zone of the days (default: the pledges' calendar zone, else UTC).",
)
@click.option(
    "--now",
    type=_Instant(),
    help="The instant the report stands at (default: the end of the last day).",
)
@click.option("--retailer", metavar="NAME", help="The retailer's name on the report.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(_FORMATS),
    default="text",
    show_default=True,
    help="Plain text, JSON, or one self-contained HTML page.",
)
@click.option(
    "--out",
    metavar="FILE",
    help="Write the report to FILE (atomically) instead of standard output ('-').",
)
def report(
    target: str,
    period_start: date | None,
    period_end: date | None,
    timezone: str | None,
    now: datetime | None,
    retailer: str | None,
    output_format: str,
    out: str | None,
) -> None:
    """Print (or write) the quality report of a store, which is only read, never changed."""
    from retail_service_quality.reports import quality_report
    from retail_service_quality.reports._render import write_atomically

    if period_start is not None and period_end is not None and period_end < period_start:
        raise click.BadParameter("must not be before --from", param_hint="'--to'")
    if not target.strip():
        raise click.BadParameter(
            "must be a SQLite file's path or a PostgreSQL connection string",
            param_hint="'--db'",
        )
    if out == "-":
        out = None
    if retailer is not None and not retailer.strip():
        raise click.BadParameter("must not be blank", param_hint="'--retailer'")
    _check_out(out, target)
    options: dict[str, Any] = {
        "period_start": period_start,
        "period_end": period_end,
        "timezone": timezone,
        "now": now,
    }
    if retailer is not None:
        options["retailer"] = retailer
    _status("Reading the store...")
    with _opened(target) as store, store.unit_of_work(read_only=True) as uow:
        try:
            made = quality_report(uow, **options)
        except ValidationError as error:
            _usage_error(error)
            raise
        content = _RENDER[output_format](made)
    if out is None:
        click.echo(content.rstrip("\n"))
        return
    write_atomically(out, content)
    _say(click.style(f"rsq: wrote {out!r}", fg="green"))
