"""The README opens with its two commands; its quickstart is the example file and runs as
documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
QUICKSTART = ROOT / "examples" / "quickstart.py"


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_readme_opens_with_the_two_commands() -> None:
    commands = fenced("sh")
    assert len(commands) >= 2
    assert "pip install ." in commands[0]
    assert commands[0].rstrip().endswith("&& rsq demo")
    assert "pip install -e '.[dev]'" in commands[1]
    assert "scripts/check.sh" in commands[1]
    assert README.index(commands[1]) < README.index("## What it is")


def test_readme_quickstart_is_the_example_file() -> None:
    assert fenced("python")[0] == QUICKSTART.read_text()


def test_quickstart_prints_what_the_readme_says() -> None:
    result = subprocess.run(
        [sys.executable, str(QUICKSTART)], capture_output=True, text=True, check=True
    )
    assert result.stdout == fenced("text")[0]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet -e '.[dev]'" in ci
    assert "scripts/check.sh" in ci


def test_readme_first_command_is_the_tutorials_first(tutorial_shell: list[Any]) -> None:
    # The README's demo is the one the tutorial starts from (and tests/test_tutorial.py runs).
    assert tutorial_shell[0].commands[0] == ("demo",)
