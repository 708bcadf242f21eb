"""The example notebooks run from top to bottom and show what their text says.

Each notebook under ``examples/notebooks`` is stored without outputs and is
executed here by nbclient on a Jupyter kernel of the running interpreter, in a
fresh working directory. Every code cell must run without an error or a
warning, and a cell whose metadata carries ``"expect"`` (a list of strings)
must show each of them in its output: that is how the claims of the
notebook's text are checked against what the code really prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "examples" / "notebooks").glob("*.ipynb"))
TIMEOUT = 120  # seconds a cell may take: the notebooks run in seconds, the kernel starts in one


def read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]


def code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def shown(cell: Any) -> str:
    """Everything a cell showed, as text: its printed output, its plain and HTML results."""
    parts: list[str] = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in {"execute_result", "display_data"}:
            parts.extend(str(output.data.get(kind, "")) for kind in ("text/plain", "text/html"))
    return "\n".join(parts)


def test_there_is_a_notebook() -> None:
    assert [path.name for path in NOTEBOOKS] == ["sample-chain.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = read(path)
    nbformat.validate(notebook)
    for index, cell in enumerate(code_cells(notebook)):
        assert cell.outputs == [], f"code cell {index} has outputs"
        assert cell.execution_count is None, f"code cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_claims_are_checked(path: Path) -> None:
    notebook = read(path)
    claims = [cell.metadata["expect"] for cell in code_cells(notebook) if "expect" in cell.metadata]
    assert len(claims) >= 5
    for expected in claims:
        assert isinstance(expected, list)
        assert expected
        assert all(isinstance(text, str) and text for text in expected)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_and_shows_what_it_says(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernel's connection file and IPython's profile go to the test's own folder.
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    work = tmp_path / "work"
    work.mkdir()
    # Run twice in the same folder, as a user runs a notebook again: the second run's
    # outputs are the ones checked (the first run's files must not stop it).
    for _ in range(2):
        notebook = read(path)
        client = NotebookClient(
            notebook,
            timeout=TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(work)}},
        )
        client.execute()  # raises CellExecutionError, naming the cell, on the first error

    for index, cell in enumerate(code_cells(notebook)):
        stderr = [
            output.text
            for output in cell.outputs
            if output.output_type == "stream" and output.name == "stderr"
        ]
        assert not stderr, f"code cell {index} wrote to stderr: {stderr}"
        text = shown(cell)
        for expected in cell.metadata.get("expect", []):
            assert expected in text, f"code cell {index} does not show {expected!r}:\n{text}"
