#!/usr/bin/env bash
# Every check the project must pass: lint, formatting, types, tests, docs.
# Run it from the repository root with the development extras installed.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== ruff check" && ruff check .
echo "== ruff format --check" && ruff format --check .
echo "== mypy --strict" && mypy --strict
echo "== pytest"
# pytest exits 5 when it collects no test: that is a failure here, as is any non-zero exit.
status=0
python -m pytest -p no:cacheprovider || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi
echo "== mkdocs build --strict" && mkdocs build --strict --site-dir "${SITE_DIR:-site}"
echo "All checks passed."
