"""The tutorial's shell commands run as the page writes them and print what it shows.

``docs/tutorial.md`` is a test twice over: its Python examples are doctests
(run in a folder where its first shell block ran, see ``conftest.py``), and
here every ``rsq`` line of its ```sh blocks runs through the installed script
in one fresh folder, in page order, each block's output (standard output, then
standard error, as a terminal shows them) holding the lines of the ```text
block the page shows after it.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "tutorial.md").read_text()

Run = Callable[[tuple[str, ...], Path], subprocess.CompletedProcess[str]]


def missing_lines(shown: str, output: str) -> list[str]:
    """The lines of ``shown`` that ``output`` does not print in that order ("..." skips)."""
    printed = [line.rstrip() for line in output.splitlines()]
    position, missing = 0, []
    for line in (line.rstrip() for line in shown.splitlines()):
        if line == "...":
            continue
        try:
            position = printed.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


def test_missing_lines_keeps_the_order() -> None:
    assert missing_lines("a\n...\nc\n", "a\nb\nc\n") == []
    assert missing_lines("c\na\n", "a\nb\nc\n") == ["a"]
    assert missing_lines("a\nx\n", "a\nb\n") == ["x"]


def test_every_shell_line_is_an_rsq_command() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", PAGE, re.S)
    lines = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert lines
    assert all(line.startswith("rsq ") for line in lines), lines


def test_the_page_starts_with_the_demo_and_ends_with_the_html_report(
    tutorial_shell: list[Any],
) -> None:
    commands = [arguments for block in tutorial_shell for arguments in block.commands]
    assert commands[0] == ("demo",)
    assert commands[-1][0] == "report"
    assert "--format" in commands[-1]
    assert commands[-1][commands[-1].index("--format") + 1] == "html"


def test_tutorial_shell_blocks_print_what_the_page_shows(
    tutorial_shell: list[Any], rsq: Run, tmp_path: Path
) -> None:
    for block in tutorial_shell:
        printed = []
        for arguments in block.commands:
            result = rsq(arguments, tmp_path)
            assert result.returncode == 0, (arguments, result.stderr)
            assert "Traceback" not in result.stderr
            printed.append(result.stdout + result.stderr)  # a terminal shows both
        if block.shown is not None:
            assert missing_lines(block.shown, "".join(printed)) == []
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "Customer service quality" in page
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.html", "rsq-demo.db"]
