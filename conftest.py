"""Test collection for the whole tree: the PostgreSQL examples need a server, the
tutorial's examples the file its first command writes.

The doctests of the PostgreSQL adapter and of its guide run against the server
named by ``RSQ_TEST_POSTGRES`` (``scripts/with-postgres.sh`` starts one).
Without it they are skipped, except under CI, where they run and fail.

The examples of ``docs/tutorial.md`` run in a fresh folder where the page's
first shell block (``rsq demo``) has run; ``tests/test_tutorial.py`` runs
every shell block of the page and checks the output it shows.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from _pytest.doctest import DoctestItem

# The package is imported before any module under src/ is collected for its doctests, so that
# pytest (in importlib mode) reuses the package's modules rather than loading a second copy of
# one, whose classes would not be the package's: a report read back would then differ from the
# same report in, say, docs/quality-report.md whenever that page ran with a src/ module alone.
import retail_service_quality  # noqa: F401


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("RSQ_TEST_POSTGRES") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="RSQ_TEST_POSTGRES names no PostgreSQL server")
    for item in items:
        if isinstance(item, DoctestItem) and "postgres" in str(item.path):
            item.add_marker(skip)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each PostgreSQL example begins with its schemas (``doc_*``, ``guide*``) gone."""
    server = os.environ.get("RSQ_TEST_POSTGRES")
    if not server or not isinstance(item, DoctestItem) or "postgres" not in str(item.path):
        return
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        names = connection.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'doc\\_%' OR nspname LIKE 'guide%'"
        ).fetchall()
        for (name,) in names:
            connection.execute(f'DROP SCHEMA "{name}" CASCADE'.encode())


# ---------------------------------------------------------------- the tutorial

TUTORIAL = Path(__file__).resolve().parent / "docs" / "tutorial.md"


@attrs.frozen
class ShellBlock:
    """One ```sh block of the tutorial: its ``rsq`` commands and the output shown after it."""

    commands: tuple[tuple[str, ...], ...]  # the arguments after ``rsq``, one tuple a line
    shown: str | None  # the ```text block right after it, if any: the (trimmed) output


def tutorial_shell_blocks() -> list[ShellBlock]:
    """The tutorial's shell blocks, in page order."""
    found = re.finditer(r"```sh\n(.*?)```\n(?:\n```text\n(.*?)```)?", TUTORIAL.read_text(), re.S)
    return [
        ShellBlock(
            tuple(
                tuple(shlex.split(line)[1:])
                for line in match[1].splitlines()
                if line.startswith("rsq ")
            ),
            match[2],
        )
        for match in found
    ]


def run_rsq(arguments: tuple[str, ...], folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``rsq`` with these arguments in ``folder``, as a user would (the installed script)."""
    script = Path(sys.executable).parent / "rsq"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "retail_service_quality"]
    return subprocess.run(
        [*command, *arguments], cwd=folder, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(name="tutorial_shell")
def _tutorial_shell() -> list[ShellBlock]:
    return tutorial_shell_blocks()


@pytest.fixture(name="rsq")
def _rsq() -> Callable[[tuple[str, ...], Path], subprocess.CompletedProcess[str]]:
    return run_rsq


@pytest.fixture(autouse=True)
def _tutorial_folder(request: pytest.FixtureRequest) -> None:
    """The tutorial's examples run where its first shell block ran (``rsq demo``)."""
    if not isinstance(request.node, DoctestItem) or request.node.path.resolve() != TUTORIAL:
        return
    folder: Path = request.getfixturevalue("tmp_path")
    for arguments in tutorial_shell_blocks()[0].commands:
        result = run_rsq(arguments, folder)
        assert result.returncode == 0, result.stderr
    request.getfixturevalue("monkeypatch").chdir(folder)
