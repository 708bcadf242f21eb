"""The ``rsq`` command line end to end, as a user runs it: in its own process, output piped."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import retail_service_quality as rsq

TIMEOUT = 120


def rsq_process(
    *args: str, cwd: Path, program: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("RSQ_DEBUG", "NO_COLOR")}
    command = program or [sys.executable, "-m", "retail_service_quality"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_python_m_prints_the_version(tmp_path: Path) -> None:
    result = rsq_process("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"rsq {rsq.__version__}\n"
    assert list(tmp_path.iterdir()) == []


def test_the_console_script_is_the_same_program(tmp_path: Path) -> None:
    script = shutil.which("rsq") or shutil.which("rsq", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the rsq script is not installed")
    result = rsq_process("--version", cwd=tmp_path, program=[script])
    assert result.returncode == 0
    assert result.stdout == f"rsq {rsq.__version__}\n"


def test_demo_then_report_in_a_fresh_folder(tmp_path: Path) -> None:
    demo = rsq_process("demo", "--size", "small", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Traceback" not in demo.stderr
    assert "\x1b[" not in demo.stdout + demo.stderr  # no colour, no progress bar in a pipe
    assert demo.stdout.strip()
    assert (tmp_path / "rsq-demo.db").is_file()

    before = (tmp_path / "rsq-demo.db").read_bytes()
    report = rsq_process(
        "report", "--db", "rsq-demo.db", "--format", "json", "--out", "report.json", cwd=tmp_path
    )
    assert report.returncode == 0, report.stderr
    assert "\x1b[" not in report.stdout + report.stderr
    assert "format" in json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert (tmp_path / "rsq-demo.db").read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json", "rsq-demo.db"]


def test_the_same_seed_gives_the_same_json_byte_for_byte(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        assert rsq_process("demo", "--seed", "42", cwd=folder).returncode == 0
        report = rsq_process("report", "--db", "rsq-demo.db", "--format", "json", cwd=folder)
        assert report.returncode == 0, report.stderr
        outputs.append(report.stdout.encode("utf-8"))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["report", "--db", "missing.db"], 1),
        (["report", "--db", "."], 1),
        (["report", "--db", "notes.txt"], 1),
        (["report", "--db", "notes.txt", "--from", "yesterday"], 2),
        (["report", "--db", "notes.txt", "--timezone", "Nowhere/Town"], 2),
        (["report", "--db", "notes.txt", "--format", "xml"], 2),
        (["report", "--db", "notes.txt", "--out", "gone/report.html"], 2),
        (["demo", "--db", "notes.txt"], 1),
        (["demo", "--size", "enormous"], 2),
        (["explode"], 2),
    ],
)
def test_errors_are_one_line_with_an_exit_code(tmp_path: Path, args: list[str], code: int) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a store\n", encoding="utf-8")
    result = rsq_process(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("rsq: error: ")
    assert "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
    assert notes.read_text(encoding="utf-8") == "not a store\n"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_and_colour_on_a_terminal(tmp_path: Path) -> None:
    import pty

    main_end, terminal = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    try:
        demo = subprocess.run(
            [sys.executable, "-m", "retail_service_quality", "demo", "--size", "small"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):  # reading past the end of a closed terminal
        while chunk := os.read(main_end, 65536):
            shown += chunk
    os.close(main_end)
    assert demo.returncode == 0
    assert b"100%" in shown  # the progress bar, on the terminal
    assert b"Computing the report" in shown
    assert b"\x1b[32m" in shown  # green: what was written
    assert b"\x1b[" not in demo.stdout  # the report, piped, has no escape codes


def test_a_reader_that_goes_away_stops_the_report_quietly(tmp_path: Path) -> None:
    assert rsq_process("demo", "--size", "small", cwd=tmp_path).returncode == 0
    reading = subprocess.Popen(
        [sys.executable, "-m", "retail_service_quality", "report", "--db", "rsq-demo.db"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reading.stdout is not None
    assert reading.stderr is not None
    reading.stdout.close()  # as `rsq report ... | head -1` does
    errors = reading.stderr.read()
    reading.stderr.close()
    assert reading.wait(timeout=TIMEOUT) in (0, 1)
    assert b"Traceback" not in errors
    assert sorted(path.name for path in tmp_path.iterdir()) == ["rsq-demo.db"]


@pytest.mark.skipif(
    not os.environ.get("RSQ_TEST_POSTGRES") and not os.environ.get("CI"),
    reason="RSQ_TEST_POSTGRES names no server",
)
def test_report_reads_a_postgresql_store_as_it_reads_a_sqlite_file(tmp_path: Path) -> None:
    import uuid
    from contextlib import closing

    import psycopg

    from retail_service_quality.sample import generate

    server = os.environ["RSQ_TEST_POSTGRES"]
    schema = f"cli_{uuid.uuid4().hex[:12]}"
    try:
        with rsq.PostgresStore(server, schema=schema) as store:
            generate(store, size=300, seed=7)
        with rsq.SQLiteStore(tmp_path / "same.db") as store:
            generate(store, size=300, seed=7)
        target = f"{server} options='-csearch_path={schema}'"
        from_postgres = rsq_process("report", "--db", target, "--format", "json", cwd=tmp_path)
        from_sqlite = rsq_process("report", "--db", "same.db", "--format", "json", cwd=tmp_path)
        assert from_postgres.returncode == 0, from_postgres.stderr
        assert from_sqlite.returncode == 0, from_sqlite.stderr
        assert from_postgres.stdout == from_sqlite.stdout  # byte for byte
        assert json.loads(from_postgres.stdout)["interactions"]
    finally:
        with closing(psycopg.connect(server, autocommit=True)) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
