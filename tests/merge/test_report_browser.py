"""The merge report in a real browser: headless Chromium (Debian's package) renders the page to a screenshot that
is neither empty nor one colour. Skipped only where Chromium is not installed and ECRF_REQUIRE_BROWSER is not set;
CI sets it, so a CI machine without Chromium fails here instead of passing silently."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from ecrf.merge.central.db import open_central
from ecrf.merge.report import write_report
from tests.merge.report_central import central_copy

pytestmark = pytest.mark.req("MERGE-REPORT")
WIDTH, HEIGHT = 1366, 2400


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("ECRF_REQUIRE_BROWSER"):
        pytest.fail("ECRF_REQUIRE_BROWSER is set but Chromium is not installed (apt-get install chromium)")
    pytest.skip("Chromium is not installed (apt-get install chromium; set ECRF_REQUIRE_BROWSER to make this fail)")


def screenshot(page: Path, out: Path, profile: Path) -> None:
    """Chromium's own screenshot of `page`, offline: no network services, a throw-away profile."""
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--screenshot={out}", f"--window-size={WIDTH},{HEIGHT}",
               page.resolve().as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(profile)})


def test_chromium_renders_the_report(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    chromium()  # skip or fail before making anything
    engine = open_central(central_copy(tmp_path, multi_site, study))
    out = tmp_path / "out"
    out.mkdir()
    html_path, _ = write_report(engine, study, out)
    engine.dispose()
    shot = tmp_path / "report.png"
    screenshot(html_path, shot, tmp_path / "profile")
    assert shot.stat().st_size > 30_000
    with Image.open(shot) as image:
        assert image.size == (WIDTH, HEIGHT)
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=WIDTH * HEIGHT)
    assert len(colours) > 50, "the page rendered as (nearly) one colour"
    painted = sum(count for count, colour in colours if colour != (255, 255, 255))
    assert painted > WIDTH * HEIGHT // 50, "almost nothing is drawn on the page"
    red = [colour for _, colour in colours if colour[0] > 180 and colour[1] < 80 and colour[2] < 80]
    assert red, "the alarm at the top is not shown in red"
