"""The disclosure report's page, rendered in a real headless Chromium.

The page must load with no console message at all (it has no script, so any
message is an error or a blocked load), keep its DOM intact, and paint a
screenshot that is not blank. With ``CI`` set, a Chromium that cannot start
fails the test; elsewhere the test is skipped, saying why.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import attrs
import pytest

import retail_service_quality as rsq

HOSTILE = '<script>alert("x")</script> & \'quotes\' "double"'
_TIMEOUT = 90


def _chromium() -> str:
    """The Chromium executable, or a skip (a failure under CI) saying why there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and {reason}")
        pytest.skip(reason)
    return found


def _run(page: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Chromium headless on a local file, logging the page's console to stderr."""
    command = [
        _chromium(),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={page.parent / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        *arguments,
        page.as_uri(),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and Chromium could not run: {error}")
        pytest.skip(f"Chromium could not run: {error}")
    if done.returncode != 0:
        message = f"Chromium exited with {done.returncode}: {done.stderr[-2000:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return done


def console_messages(stderr: str) -> list[str]:
    """The page's console messages (errors, warnings, blocked loads) in Chromium's log."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG: width, height and one bytes per row."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, chunks, header = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0), "unexpected PNG format"
    assert colour in (2, 6), "unexpected PNG colour type"
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up = previous[i]
            corner = previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + nearest) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def colours(width: int, rows: list[bytes]) -> dict[tuple[int, int, int], int]:
    """How many pixels of each RGB colour, over every other pixel of every other row."""
    size = len(rows[0]) // width
    counts: dict[tuple[int, int, int], int] = {}
    for row in rows[::2]:
        for x in range(0, width, 2):
            pixel = (row[x * size], row[x * size + 1], row[x * size + 2])
            counts[pixel] = counts.get(pixel, 0) + 1
    return counts


def _report() -> rsq.DisclosureReport:
    """The guide's report (from the screenshot script), with hostile text and an empty line."""
    path = Path(__file__).resolve().parents[1] / "scripts" / "disclosure_screenshot.py"
    spec = importlib.util.spec_from_file_location("disclosure_screenshot", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    example: rsq.DisclosureReport = module.example()
    hostile = attrs.evolve(
        example.lines[-1], pledge_id=f"x{HOSTILE}".replace(" ", "_"), wording=HOSTILE
    )
    empty = attrs.evolve(
        example.lines[1], pledge_id="store-ack", n=0, met=0, interval=None, status="not_enough_data"
    )
    return attrs.evolve(
        example,
        title=f"Pledges {HOSTILE}",
        retailer=f"Harbour & Sons {HOSTILE}",
        lines=[example.lines[0], hostile, empty],
    )


def test_the_report_loads_without_console_errors_and_keeps_its_dom(tmp_path: Path) -> None:
    report = _report()
    page = report.write_html(tmp_path / "report.html")
    done = _run(page, "--dump-dom")
    assert console_messages(done.stderr) == []
    dom = done.stdout
    assert re.search(r"<html lang=\"en\">", dom)
    assert "<script" not in dom.lower()
    assert dom.count("<tr>") == 1 + len(report.lines)
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'quotes'" in dom
    assert dom.count("<svg") == 1
    assert "1 of 3 pledges met" in dom


def test_the_report_paints_a_screenshot_that_is_not_blank(tmp_path: Path) -> None:
    page = _report().write_html(tmp_path / "report.html")
    shot = tmp_path / "report.png"
    done = _run(page, "--window-size=1000,900", f"--screenshot={shot}")
    assert console_messages(done.stderr) == []
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1000, 900)
    counts = colours(width, rows)
    total = sum(counts.values())
    background = max(counts.values())
    assert len(counts) > 20  # text, bars and lines, anti-aliased: many colours
    assert background < 0.97 * total  # something other than the background is painted
    # The bars: the status colours of the met and the missed pledge are both on screen.
    assert counts.get((0x1D, 0x6B, 0x3A), 0) > 100
    assert counts.get((0xA4, 0x26, 0x2C), 0) > 100


def test_the_harness_sees_console_errors_and_blank_pages(tmp_path: Path) -> None:
    """The checks above can fail: a failing script is heard, a blank page is seen."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        "<body><script>missing();</script></body></html>",
        encoding="utf-8",
    )
    shot = tmp_path / "blank.png"
    done = _run(broken, "--window-size=200,100", f"--screenshot={shot}")
    assert any("Uncaught" in line for line in console_messages(done.stderr))
    width, _, rows = png_pixels(shot.read_bytes())
    assert len(colours(width, rows)) == 1


def test_png_decoding_undoes_every_filter() -> None:
    width, height = 3, 5
    pixels = [
        bytes((x * 40 + y, y * 30, (x + y) * 20, 255)) for y in range(height) for x in range(width)
    ]
    rows = [b"".join(pixels[y * width : (y + 1) * width]) for y in range(height)]
    encoded = bytearray()
    previous = bytes(width * 4)
    for kind, row in enumerate(rows):  # filters 0 to 4, one a row
        out = bytearray()
        for i, value in enumerate(row):
            left = row[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            guess = left + up - corner
            pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
            paeth = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            base = (0, left, up, (left + up) // 2, paeth)[kind]
            out.append((value - base) & 0xFF)
        encoded += bytes([kind]) + out
        previous = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(encoded)))
        + chunk(b"IEND", b"")
    )
    assert png_pixels(png) == (width, height, rows)
