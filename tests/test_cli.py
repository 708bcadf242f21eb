"""The ``rsq`` command line in process (click's runner): its commands, its checks, its errors."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality.cli import _app
from retail_service_quality.cli import main as rsq_main
from retail_service_quality.sample import generate
from retail_service_quality.storage import open_store
from retail_service_quality.storage.sqlite._schema import SCHEMA_VERSION, migrations, prepare

Snapshot = dict[str, tuple[str, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file in ``folder``: its content's hash and its modification time."""
    return {
        path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def run(*args: str, env: dict[str, str] | None = None, color: bool = False) -> Result:
    return CliRunner().invoke(rsq_main, list(args), env=env, color=color)


def assert_one_error_line(result: Result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rsq: error: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""
    return lines[0]


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding a small sample chain, written once for the module's tests."""
    path = tmp_path_factory.mktemp("store") / "chain.db"
    with open_store(path) as store:
        generate(store, size=200, seed=3)
    return path


@pytest.fixture
def store_copy(store_file: Path, tmp_path: Path) -> Path:
    """A private copy of the sample store, in a folder of its own."""
    path = tmp_path / "chain.db"
    shutil.copyfile(store_file, path)
    return path


# ---------------------------------------------------------------- the program


def test_version_and_help() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"rsq {rsq.__version__}\n"
    for args in (["--help"], ["-h"], ["report", "--help"], ["demo", "--help"]):
        helped = run(*args)
        assert helped.exit_code == 0
        assert helped.stdout.startswith("Usage: rsq")


def test_no_command_shows_the_usage_and_exits_2() -> None:
    result = run()
    assert result.exit_code == 2
    assert "Commands:" in result.stderr
    assert "demo" in result.stderr
    assert "report" in result.stderr


def test_an_unknown_command_is_one_line() -> None:
    line = assert_one_error_line(run("reprot"), 2)
    assert "reprot" in line


# ---------------------------------------------------------------- rsq report


def test_report_as_text_names_the_period(store_copy: Path) -> None:
    before = snapshot(store_copy.parent)
    result = run("report", "--db", str(store_copy), "--from", "2026-02-01", "--to", "2026-03-31")
    assert result.exit_code == 0, result.stderr
    assert "2026-02-01" in result.stdout
    assert "2026-03-31" in result.stdout
    assert result.stderr == ""
    assert snapshot(store_copy.parent) == before


def test_report_as_json_and_html(store_copy: Path) -> None:
    before = snapshot(store_copy.parent)
    result = run("report", "--db", str(store_copy), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "format" in json.loads(result.stdout)
    html = run("report", "--db", str(store_copy), "--format", "html")
    assert html.exit_code == 0, html.stderr
    assert html.stdout.startswith("<!DOCTYPE html>")
    assert snapshot(store_copy.parent) == before


def test_report_options_reach_the_report(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    real = _quality_report()

    def spy(target: Any, **options: Any) -> Any:
        seen.update(options)
        return real(target, **options)

    monkeypatch.setattr("retail_service_quality.reports.quality_report", spy)
    result = run(
        "report", "--db", str(store_copy), "--from", "2026-10-25", "--to", "2026-10-25",
        "--timezone", "Europe/London", "--now", "2026-10-25T01:30:00+01:00",
        "--retailer", "Corner Shop",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert str(seen["period_start"]) == "2026-10-25"
    assert seen["timezone"] == "Europe/London"
    assert seen["now"].isoformat() == "2026-10-25T01:30:00+01:00"
    assert seen["retailer"] == "Corner Shop"
    # Without options, the report's own defaults apply.
    seen.clear()
    assert run("report", "--db", str(store_copy)).exit_code == 0
    assert seen == {"period_start": None, "period_end": None, "timezone": None, "now": None}


def _quality_report() -> Any:
    from retail_service_quality.reports import quality_report

    return quality_report


@pytest.mark.parametrize("now", ["2026-03-29T01:30:00Z", "2026-10-25T01:30:00+05:30"])
def test_report_takes_instants_with_an_offset(store_copy: Path, now: str) -> None:
    result = run("report", "--db", str(store_copy), "--timezone", "Asia/Kolkata", "--now", now)
    assert result.exit_code == 0, result.stderr


def test_report_out_writes_the_file_and_prints_nothing_else(store_copy: Path) -> None:
    out = store_copy.parent / "report.json"
    printed = run("report", "--db", str(store_copy), "--format", "json")
    before = snapshot(store_copy.parent)
    result = run("report", "--db", str(store_copy), "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("rsq: wrote ")
    assert out.read_text(encoding="utf-8").rstrip("\n") == printed.stdout.rstrip("\n")
    after = snapshot(store_copy.parent)
    del after["report.json"]
    assert after == before  # the store unchanged, no temporary file left


def test_report_out_replaces_an_existing_file(store_copy: Path) -> None:
    out = store_copy.parent / "report.html"
    out.write_text("old", encoding="utf-8")
    result = run("report", "--db", str(store_copy), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- files report refuses


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("CREATE TABLE added_by_a_newer_release (id TEXT PRIMARY KEY)")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1:d}")


def _older(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        prepare(connection)
        for statements in migrations()[: SCHEMA_VERSION - 1]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1:d}")
        connection.execute("PRAGMA journal_mode = WAL")


def _other_application(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")


def _other_application_same_version(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        connection.execute("PRAGMA journal_mode = WAL")


def _rollback_journal(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")


def _text(path: Path) -> None:
    path.write_text("id,name\n1,Lee\n" * 20, encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


REFUSED = {
    "newer schema": (_newer, "newer release"),
    "older schema": (_older, "older release"),
    "another application's SQLite file": (_other_application, "not one of"),
    "another application's file at this version": (_other_application_same_version, "not one"),
    "rollback-journal mode": (_rollback_journal, "write-ahead-log"),
    "text file": (_text, "not a SQLite database"),
    "empty file": (_empty, "empty"),
    "directory": (_directory, "directory"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_report_refuses_a_file_that_is_not_a_current_store_and_leaves_it(
    store_copy: Path, case: str, output_format: str
) -> None:
    make, reason = REFUSED[case]
    make(store_copy)
    before = snapshot(store_copy.parent)
    line = assert_one_error_line(
        run("report", "--db", str(store_copy), "--format", output_format), 1
    )
    assert reason in line
    assert snapshot(store_copy.parent) == before


def test_report_on_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    line = assert_one_error_line(run("report", "--db", str(tmp_path / "missing.db")), 1)
    assert "does not exist" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_report_on_an_unreadable_file(store_copy: Path) -> None:
    store_copy.chmod(0)
    try:
        line = assert_one_error_line(run("report", "--db", str(store_copy)), 1)
        assert "permission denied" in line
        assert sorted(p.name for p in store_copy.parent.iterdir()) == ["chain.db"]
    finally:
        store_copy.chmod(0o600)


def test_report_on_a_good_file_leaves_no_journal(store_copy: Path) -> None:
    before = snapshot(store_copy.parent)
    for output_format in ("text", "json", "html"):
        assert run("report", "--db", str(store_copy), "--format", output_format).exit_code == 0
    assert snapshot(store_copy.parent) == before
    assert sorted(path.name for path in store_copy.parent.iterdir()) == ["chain.db"]


BAD_ARGUMENTS = {
    "a bad day": (["--from", "2026-02-30"], "--from"),
    "a day in another form": (["--to", "31/12/2026"], "--to"),
    "a bad zone": (["--timezone", "Mars/Olympus"], "--timezone"),
    "a zone as a path": (["--timezone", "/etc/localtime"], "--timezone"),
    "to before from": (["--from", "2026-03-01", "--to", "2026-02-28"], "--to"),
    "an unknown format": (["--format", "pdf"], "--format"),
    "a naive now": (["--now", "2026-10-25T01:30:00"], "--now"),
    "a day as now": (["--now", "2026-10-25"], "--now"),
    "an unknown option": (["--colour"], "--colour"),
    "a blank retailer": (["--retailer", " "], "--retailer"),
    "an empty out": (["--out", ""], "--out"),
    "a period at the start of the range": (["--from", "0001-01-01"], "--from"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_report_refuses_a_bad_argument_in_one_line(store_copy: Path, case: str) -> None:
    args, named = BAD_ARGUMENTS[case]
    before = snapshot(store_copy.parent)
    line = assert_one_error_line(run("report", "--db", str(store_copy), *args), 2)
    assert named in line
    assert snapshot(store_copy.parent) == before


def test_report_needs_db() -> None:
    assert "--db" in assert_one_error_line(run("report"), 2)
    assert "--db" in assert_one_error_line(run("report", "--db", " "), 2)


def test_report_out_in_a_missing_directory(store_copy: Path) -> None:
    before = snapshot(store_copy.parent)
    out = store_copy.parent / "missing" / "report.html"
    line = assert_one_error_line(run("report", "--db", str(store_copy), "--out", str(out)), 2)
    assert "does not exist" in line
    assert snapshot(store_copy.parent) == before
    assert not out.parent.exists()


@pytest.mark.parametrize("which", ["directory", "store"])
def test_report_out_must_be_another_file(store_copy: Path, which: str) -> None:
    out = store_copy.parent if which == "directory" else store_copy
    before = snapshot(store_copy.parent)
    line = assert_one_error_line(run("report", "--db", str(store_copy), "--out", str(out)), 2)
    assert "--out" in line
    assert snapshot(store_copy.parent) == before


def test_report_out_never_replaces_a_pipe(store_copy: Path) -> None:
    pipe = store_copy.parent / "pipe"
    os.mkfifo(pipe)
    line = assert_one_error_line(run("report", "--db", str(store_copy), "--out", str(pipe)), 2)
    assert "not a regular file" in line
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_report_out_follows_a_link_and_keeps_it(store_copy: Path) -> None:
    real = store_copy.parent / "real.html"
    link = store_copy.parent / "link.html"
    link.symlink_to(real.name)
    result = run("report", "--db", str(store_copy), "--format", "html", "--out", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_out_dash_is_standard_output(store_copy: Path) -> None:
    result = run("report", "--db", str(store_copy), "--format", "json", "--out", "-")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["format"] == rsq.QUALITY_JSON_FORMAT
    assert sorted(path.name for path in store_copy.parent.iterdir()) == ["chain.db"]


def test_report_reads_a_crash_log_without_changing_the_file(store_copy: Path) -> None:
    # A writer committed and died before closing: its record is in the log only.
    program = (
        "import os\n"
        "from datetime import datetime, timezone\n"
        "from retail_service_quality import ServiceInteraction, SQLiteStore\n"
        f"store = SQLiteStore({str(store_copy)!r})\n"
        "with store.unit_of_work() as uow:\n"
        "    uow.interactions.add(ServiceInteraction(id='late', store_id='S1', channel='email',\n"
        "        occurred_at=datetime(2026, 6, 1, tzinfo=timezone.utc)))\n"
        "    uow.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)
    log = Path(f"{store_copy}-wal")
    kept = hashlib.sha256(store_copy.read_bytes()).hexdigest()
    logged = hashlib.sha256(log.read_bytes()).hexdigest()
    result = run("report", "--db", str(store_copy), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["interactions"]["total"] == 201  # the logged one read
    assert hashlib.sha256(store_copy.read_bytes()).hexdigest() == kept
    assert hashlib.sha256(log.read_bytes()).hexdigest() == logged


def test_report_on_an_unreachable_postgres_hides_the_password(tmp_path: Path) -> None:
    target = "host=127.0.0.1 port=1 dbname=service user=shop password=hunter2 connect_timeout=2"
    line = assert_one_error_line(run("report", "--db", target), 1)
    assert "hunter2" not in line
    assert list(tmp_path.iterdir()) == []


def test_report_refuses_a_url_of_another_scheme_without_echoing_it() -> None:
    line = assert_one_error_line(run("report", "--db", "mysql://shop:hunter2@db/x"), 1)
    assert "hunter2" not in line


# ---------------------------------------------------------------- unexpected failures


@pytest.fixture
def broken_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(target: Any, **options: Any) -> Any:
        raise RuntimeError("a bug with a customer's name in it")

    monkeypatch.setattr("retail_service_quality.reports.quality_report", broken)


@pytest.mark.usefixtures("broken_report")
def test_an_unexpected_error_is_one_line_without_its_message(store_copy: Path) -> None:
    line = assert_one_error_line(run("report", "--db", str(store_copy)), 1)
    assert "RuntimeError" in line
    assert "RSQ_DEBUG=1" in line
    assert "customer" not in line


@pytest.mark.usefixtures("broken_report")
def test_rsq_debug_shows_the_traceback(store_copy: Path) -> None:
    result = run("report", "--db", str(store_copy), env={"RSQ_DEBUG": "1"})
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)


def test_a_library_error_is_one_line(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(target: Any, **options: Any) -> Any:
        raise rsq.ValidationError(
            [rsq.Problem("$.period_start", "first"), rsq.Problem("$.now", "second")]
        )

    monkeypatch.setattr("retail_service_quality.reports.quality_report", refused)
    line = assert_one_error_line(run("report", "--db", str(store_copy)), 2)
    # Problems with options the user gave are a usage error, every one named by its option.
    assert "Invalid value for '--from': first; Invalid value for '--now': second" in line

    def failed(target: Any, **options: Any) -> Any:
        raise rsq.ValidationError(
            [rsq.Problem("$.period_start", "first"), rsq.Problem("$.pledges", "third")]
        )

    monkeypatch.setattr("retail_service_quality.reports.quality_report", failed)
    line = assert_one_error_line(run("report", "--db", str(store_copy)), 1)
    assert "$.period_start: first" in line
    assert "$.pledges: third" in line


def test_an_interruption_exits_130(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(target: Any, **options: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("retail_service_quality.reports.quality_report", interrupted)
    result = run("report", "--db", str(store_copy))
    assert result.exit_code == 130
    assert result.stderr.strip() == "rsq: interrupted"


# ---------------------------------------------------------------- colour


def test_errors_are_coloured_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.db")
    coloured = run("report", "--db", missing, color=True)
    assert "\x1b[" in coloured.stderr
    plain = run("report", "--db", missing, color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.stderr
    assert plain.exit_code == coloured.exit_code == 1
    assert "\x1b[" not in run("report", "--db", missing).stderr


# ---------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_only() -> None:
    terminal = _Terminal()
    progress = _app._Progress("Writing", terminal)
    for written in (100, 200, 300):
        progress(written, 300)
    progress.close()
    assert "Writing" in terminal.getvalue()
    assert "100%" in terminal.getvalue()
    pipe = io.StringIO()
    quiet = _app._Progress("Writing", pipe)
    quiet(100, 300)
    quiet.close()
    assert pipe.getvalue() == ""


# ---------------------------------------------------------------- rsq demo


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_demo_writes_the_default_file_and_prints_the_report(in_tmp: Path) -> None:
    result = run("demo", "--seed", "5")
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "rsq-demo.db").is_file()
    assert "2026-01-01" in result.stdout
    assert "rsq-demo.db" in result.stderr
    assert "\x1b[" not in result.output
    assert sorted(path.name for path in in_tmp.iterdir()) == ["rsq-demo.db"]
    report = run("report", "--db", "rsq-demo.db", "--format", "json")
    assert report.exit_code == 0, report.stderr


def test_demo_refuses_an_existing_file_and_leaves_it(store_copy: Path) -> None:
    before = snapshot(store_copy.parent)
    line = assert_one_error_line(run("demo", "--db", str(store_copy)), 1)
    assert "--db" in line
    assert snapshot(store_copy.parent) == before


def test_demo_refuses_any_non_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("keep me", encoding="utf-8")
    assert_one_error_line(run("demo", "--db", str(path)), 1)
    assert path.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_demo_in_a_missing_directory(tmp_path: Path) -> None:
    line = assert_one_error_line(run("demo", "--db", str(tmp_path / "no" / "demo.db")), 1)
    assert "does not exist" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args", [["--size", "huge"], ["--seed", "-1"], ["--seed", "x"], ["--db", ""]]
)
def test_demo_refuses_a_bad_argument(in_tmp: Path, args: list[str]) -> None:
    assert_one_error_line(run("demo", *args), 2)
    assert list(in_tmp.iterdir()) == []


def test_a_failed_demo_leaves_no_file(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(store: Any, **options: Any) -> Any:
        raise rsq.StorageError("the disk is full")

    monkeypatch.setattr("retail_service_quality.sample.generate", failing)
    line = assert_one_error_line(run("demo"), 1)
    assert "disk is full" in line
    assert list(in_tmp.iterdir()) == []


def test_the_same_seed_gives_the_same_json_report(tmp_path: Path) -> None:
    outputs = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        database = str(folder / "demo.db")
        assert run("demo", "--db", database, "--seed", "11").exit_code == 0
        outputs.append(run("report", "--db", database, "--format", "json").stdout_bytes)
    assert outputs[0] == outputs[1]
    assert outputs[0]


# ---------------------------------------------------------------- argument types, any text


@given(st.text())
def test_a_day_argument_is_a_day_or_a_usage_error(text: str) -> None:
    try:
        found = _app._Date().convert(text, None, None)
    except click.BadParameter:
        return
    assert found.isoformat() == text.strip()


@given(st.dates())
def test_every_day_is_read_back(day: date) -> None:
    assert _app._Date().convert(day.isoformat(), None, None) == day


@given(st.text())
def test_an_instant_argument_is_an_aware_instant_or_a_usage_error(text: str) -> None:
    try:
        found = _app._Instant().convert(text, None, None)
    except click.BadParameter:
        return
    assert found.utcoffset() is not None


@given(st.datetimes(timezones=st.timezones(), allow_imaginary=False))
def test_every_aware_instant_is_read_back_as_the_same_instant(at: datetime) -> None:
    found = _app._Instant().convert(at.isoformat(), None, None)
    # Instants, in UTC: Python never calls an inter-zone pair equal at a repeated hour.
    assert found.astimezone(UTC) == at.astimezone(UTC)
    assert found.utcoffset() == at.utcoffset()


@given(st.text())
def test_a_zone_argument_is_a_known_zone_or_a_usage_error(text: str) -> None:
    try:
        found = _app._Zone().convert(text, None, None)
    except click.BadParameter:
        return
    assert found == text.strip()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_report_refuses_a_named_pipe_without_waiting_on_it(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    line = assert_one_error_line(run("report", "--db", str(pipe)), 1)
    assert "not a regular file" in line


def test_demo_refuses_a_directory_and_keeps_it(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    folder.mkdir()
    (folder / "inside.txt").write_text("x", encoding="utf-8")
    line = assert_one_error_line(run("demo", "--db", str(folder)), 1)
    assert "directory" in line
    assert [path.name for path in folder.iterdir()] == ["inside.txt"]


def test_demo_refuses_a_pipe_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    line = assert_one_error_line(run("demo", "--db", str(pipe)), 2)
    assert "not a regular file" in line
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["pipe.db"]


def test_demo_suggests_the_report_with_the_chain_name(in_tmp: Path) -> None:
    result = run("demo", "--size", "small")
    assert result.exit_code == 0, result.stderr
    hint = result.stderr.splitlines()[-1]
    assert hint == (
        "rsq: next: rsq report --db rsq-demo.db --retailer 'Harbour Lane Stores (sample)' "
        "--format html --out report.html"
    )
