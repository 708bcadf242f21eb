"""Benchmark the sample chain: generating it into a SQLite file, in time and memory.

What it measures: `retail_service_quality.sample.generate` writing a chain of
N interactions (default ``large``: 1,000,000, with its customers, consent
ledgers, complaints, pledges and survey responses) into a fresh `SQLiteStore`
file, run in a child process. Reported: its wall time and the child's peak
resident memory (``ru_maxrss`` of the children of a small launcher process, so
that only the command's own peak counts), with pass/fail lines for the demo's
bar: under 120 s and under 300 MB.

The baseline, in this process: the raw ``executemany`` fill of the same number
of interaction rows (``bench/_chain.py``'s `fill`, rows the adapter itself would
write, no validation), into another fresh file. Printed as the ratio
"generate / raw fill".

Any command can be timed the same way: `run_child` takes the command line.
When the command line (``retail_service_quality.cli``) is installed, the script
also times ``python -m retail_service_quality demo --size SIZE --db FILE``.

Run it from the project root::

    pip install -e .
    python bench/bench_demo.py [--size small|medium|large|N] [--seed S] [--check]

``--check`` exits with status 1 when a bar is missed. Files live in a temporary
directory, removed at the end. Linux (or macOS) only (``resource``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Final

sys.path.insert(0, str(Path(__file__).parent))

from _chain import fill

from retail_service_quality.sample import SIZES

TIME_BAR: Final = 120.0
MEMORY_BAR: Final = 300.0
# Runs a command as its child, waits, and prints the wall time and the child's peak RSS as
# JSON. Linux keeps ru_maxrss across fork and exec: a child started straight from this
# (large) process would report this process's peak; the launcher is a bare interpreter.
LAUNCHER: Final = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "took = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "peak = peak / 2**20 if sys.platform == 'darwin' else peak / 1024\n"
    "print(json.dumps({'code': code, 'seconds': took, 'peak_mb': peak}), file=sys.stderr)\n"
)
GENERATE: Final = (
    "import sys\n"
    "from retail_service_quality import SQLiteStore\n"
    "from retail_service_quality.sample import generate\n"
    "size = sys.argv[2]\n"
    "with SQLiteStore(sys.argv[1]) as store:\n"
    "    size = int(size) if size.isdigit() else size\n"
    "    chain = generate(store, size=size, seed=int(sys.argv[3]))\n"
    "print(chain.summary())\n"
)


def run_child(command: list[str]) -> tuple[float, float, int]:
    """Run ``command`` through the launcher: (wall seconds, peak RSS in MB, exit status)."""
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = launched.stderr.strip().splitlines()
    facts = json.loads(lines[-1])
    for line in lines[:-1]:
        print(f"    {line}")
    for line in launched.stdout.strip().splitlines()[-2:]:
        print(f"    {line}")
    return float(facts["seconds"]), float(facts["peak_mb"]), int(facts["code"])


def _verdict(name: str, seconds: float, peak: float, code: int, baseline: float) -> bool:
    print(f"{name}: {seconds:.1f} s, peak {peak:.0f} MB, exit status {code}")
    print(f"{name} / raw fill = {seconds / baseline:.1f}x")
    fast = seconds < TIME_BAR and code == 0
    small = peak < MEMORY_BAR
    print(f"  {'PASS' if fast else 'FAIL'} < {TIME_BAR:.0f} s")
    print(f"  {'PASS' if small else 'FAIL'} < {MEMORY_BAR:.0f} MB")
    return fast and small


def main() -> int:
    """Time the generation (and the demo, where the command line exists) against the fill."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", help="small, medium, large or a number")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar is missed")
    arguments = parser.parse_args()
    size = arguments.size
    rows = SIZES[size] if size in SIZES else int(size)
    passed = True
    with tempfile.TemporaryDirectory(prefix="rsq-bench-demo-") as folder:
        start = perf_counter()
        fill(str(Path(folder) / "fill.db"), rows, arguments.seed)
        baseline = perf_counter() - start
        print(f"raw fill (baseline): {rows:,} interaction rows in {baseline:.1f} s")
        seconds, peak, code = run_child(
            [sys.executable, "-c", GENERATE, str(Path(folder) / "sample.db"), size,
             str(arguments.seed)]
        )  # fmt: skip
        passed &= _verdict(f"generate ({size})", seconds, peak, code, baseline)
        if importlib.util.find_spec("retail_service_quality.cli") is not None:
            seconds, peak, code = run_child(
                [sys.executable, "-m", "retail_service_quality", "demo", "--size", size,
                 "--seed", str(arguments.seed), "--db", str(Path(folder) / "demo.db")]
            )  # fmt: skip
            passed &= _verdict(f"rsq demo ({size})", seconds, peak, code, baseline)
    return 1 if arguments.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
