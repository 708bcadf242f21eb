"""The contributor page draws the package's layout, and the drawing stays true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "retail_service_quality"
PAGE = (ROOT / "docs" / "contributing.md").read_text()


def drawn_paths() -> set[str]:
    """The paths in the layout tree, relative to the package, folders ending in ``/``."""
    block = re.search(r"## Layout\n.*?```text\nsrc/retail_service_quality/\n(.*?)```", PAGE, re.S)
    assert block is not None
    paths: set[str] = set()
    parents: list[str] = []
    for line in block.group(1).splitlines():
        indent = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        parents = [*parents[: indent - 1], name]
        paths.add("".join(parents))
        assert len(line.split(maxsplit=1)) == 2, f"{name} has no description"
    return paths


def test_every_package_is_drawn_and_every_drawing_exists() -> None:
    drawn = drawn_paths()
    on_disk = {
        str(path.parent.relative_to(PACKAGE)) + "/"
        for path in PACKAGE.rglob("__init__.py")
        if path.parent != PACKAGE
    }
    assert {path for path in drawn if path.endswith("/")} == on_disk
    for path in drawn:
        assert (PACKAGE / path).exists(), path


def test_the_contributor_page_is_in_the_site() -> None:
    assert "contributing.md" in (ROOT / "mkdocs.yml").read_text()
