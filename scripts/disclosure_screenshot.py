"""Render the disclosure report of the documentation in headless Chromium, as a PNG.

Usage (from the repository root, with Chromium installed)::

    python scripts/disclosure_screenshot.py docs/img/disclosure-report.png

The report is the one the "Disclosure report" guide builds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from retail_service_quality import DisclosureLine, DisclosureReport


def example() -> DisclosureReport:
    """The guide's report: three pledges for the third quarter of 2026."""
    return DisclosureReport(
        title="Our service pledges: how we did",
        retailer="Harbour Stores",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        generated_at=datetime(2026, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Hong_Kong")),
        lines=[
            DisclosureLine(
                pledge_id="hotline-answer",
                wording="We answer 90% of hotline calls within 30 seconds.",
                measure="answer_time",
                target_share=0.9,
                n=1200,
                met=1104,
                previous_n=1100,
                previous_met=968,
            ),
            DisclosureLine(
                pledge_id="complaint-ack",
                wording="We acknowledge 95% of complaints within 1 working day.",
                measure="acknowledgement",
                target_share=0.95,
                n=180,
                met=166,
                previous_n=170,
                previous_met=160,
            ),
            DisclosureLine(
                pledge_id="complaint-resolution",
                wording="We resolve every complaint within 5 working days.",
                measure="resolution",
                target_share=None,
                n=180,
                met=177,
                previous_n=170,
                previous_met=165,
            ),
        ],
    )


def main(target: str) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page = example().write_html(Path(folder) / "report.html")
        subprocess.run(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={folder}/profile",
                "--window-size=1000,900",
                f"--screenshot={Path(target).resolve()}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/img/disclosure-report.png")
