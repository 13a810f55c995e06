"""A merge killed (SIGKILL) while it loads a bundle leaves every installation at one whole bundle, and the same
merge run again gives exactly the tables and log of a merge that was never interrupted: SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ecrf.export.bundle import layout
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import file_sha256
from ecrf.merge.central import schema
from ecrf.merge.engine import merge_bundles
from ecrf.merge.outcome.run import ACCEPTED
from tests.merge.engine_helpers import bundle_log, central_tables, trust_file, verified_once

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("kill_merge.py")
SOURCE_COLUMNS = [column.name for column in schema.sources.columns]
WAIT_FOR_PAUSE = 300  # seconds: a generous bound on a loaded machine, not a timing assertion


def _values_in(bundle: Path) -> int:
    with SafeZip(bundle) as opened:
        return sum(1 for _ in csv.reader(io.StringIO(opened.read(layout.ITEMS_LONG).decode("utf-8")))) - 1


def _killed_while_loading(target: str, trust: str, bundles: list[Path], tmp_path: Path) -> None:
    marker = tmp_path / "paused"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           "TMPDIR": str(tmp_path / "temp")}  # where the killed merge leaves its private copies
    child = subprocess.Popen([sys.executable, str(SCRIPT), target, trust, str(REPO / "forms"), str(marker), "3",
                              *map(str, bundles)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + WAIT_FOR_PAUSE
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    child.send_signal(signal.SIGKILL)
    output = child.communicate()[0].decode(errors="replace")
    assert marker.exists(), f"the merge never reached the pause: {output[-2000:]}"


@pytest.mark.req("MERGE-ATOMIC")
def test_a_merge_killed_half_way_and_run_again_gives_the_clean_result(tmp_path, central_target, multi_site, study,
                                                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Every site: CN01's three exports (replaced ones among them) and the newest of the other four.
    sites = list(multi_site.sites)
    bundles = [*sites[0].bundles, *(site.bundles[-1] for site in sites[1:])]
    trust = trust_file(tmp_path, sites)
    (tmp_path / "temp").mkdir()
    _killed_while_loading(central_target, trust, bundles, tmp_path)
    left_behind = list((tmp_path / "temp").glob("ecrf-merge-*"))
    assert left_behind, "the killed merge had a private folder of copies"

    # What the kill left: two bundles committed whole, nothing of the third.
    by_sha = {file_sha256(bundle): bundle for bundle in bundles}
    half = central_tables(central_target)
    log = bundle_log(central_target)
    assert len(log) == 2 and len(half["sources"]) in (1, 2)
    for source in half["sources"]:
        row = dict(zip(SOURCE_COLUMNS, source, strict=True))
        installation, sha256 = row["installation_id"], row["bundle_sha256"]
        assert log[sha256][0] == ACCEPTED
        loaded = [row for row in half["items_long"] if row[0] == installation]
        assert len(loaded) == _values_in(by_sha[sha256])
    merged = [dict(zip(SOURCE_COLUMNS, source, strict=True))["bundle_sha256"] for source in half["sources"]]
    assert sum(_values_in(by_sha[sha256]) for sha256 in merged) == len(half["items_long"])

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    verified_once(monkeypatch)  # the re-run verifies for real; the clean reference reuses its verdicts
    run = merge_bundles(central_target, bundles, trust, study)
    assert run.ok and sum(1 for o in run.bundles if o.outcome == "already merged") == 2
    assert len(central_tables(central_target)["sources"]) == len(sites)
    assert list((tmp_path / "temp").iterdir()) == [], "the next merge removes what the killed one left"
    clean = str(tmp_path / "clean.db")
    merge_bundles(clean, bundles, trust, study)
    assert central_tables(central_target) == central_tables(clean)
    assert bundle_log(central_target) == bundle_log(clean)
