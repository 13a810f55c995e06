"""Bundles verified in worker processes (ecrf.merge.verify_ahead): the same merge as verifying in-process — the
same decisions in the same order, the same progress lines, the same log and tables — also when a worker dies or
the pool cannot start."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from ecrf.merge import verify_ahead
from ecrf.merge.engine import Step, merge_bundles
from ecrf.merge.outcome.run import ACCEPTED, ALREADY_MERGED, REFUSED
from ecrf.study.model import Study
from tests.merge.engine_helpers import bundle_log, central_tables, trust_file, verified_once
from tests.merge.site_bundles import SITE_CODES, MultiSite

Merged = tuple[dict[str, Any], dict[str, Any], list[tuple[int, str, str | None]]]


def _bundles(multi_site: MultiSite, folder: Path) -> list[Path]:
    """Every site's newest export (five bundles are enough for two workers to take turns; each one verified costs
    about half a second of the suite), a byte copy of one under another name (merged once, then "already merged":
    its verification ahead is thrown away) and the twin's last export, whose signer the trust file leaves out
    (refused after verification)."""
    every = [multi_site.site(code).bundles[-1] for code in SITE_CODES]
    again = folder / "again.zip"
    shutil.copyfile(every[0], again)
    return [*every, again, multi_site.twin.bundles[-1]]


def _merged(folder: Path, bundles: list[Path], trust: str, study: Study) -> Merged:
    """The central tables, the bundles log and the progress steps of merging `bundles` into a new database."""
    target = str(folder / "central.db")
    steps: list[Step] = []
    merge_bundles(target, bundles, trust, study, steps.append)
    shown = [(s.index, s.label, s.outcome.outcome if s.outcome else None) for s in steps]
    return central_tables(target), bundle_log(target), shown


@pytest.fixture(scope="module")
def in_process(tmp_path_factory, multi_site, study) -> tuple[list[Path], str, Merged]:  # type: ignore[no-untyped-def]
    """The reference: the same bundles verified in-process (each file verified for real once per test process)."""
    folder = tmp_path_factory.mktemp("in-process")
    bundles, trust = _bundles(multi_site, folder), trust_file(folder, list(multi_site.sites))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(verify_ahead.WORKERS_ENV, "0")
        verified_once(patch)
        merged = _merged(folder, bundles, trust, study)
    outcomes = [outcome for _, _, outcome in merged[2] if outcome is not None]
    assert sorted(outcomes) == sorted([ACCEPTED] * (len(bundles) - 2) + [ALREADY_MERGED, REFUSED])
    return bundles, trust, merged


@pytest.mark.req("MERGE-ORDER")
def test_workers_give_the_same_merge_as_verifying_in_process(tmp_path, in_process, study, monkeypatch,
                                                             caplog) -> None:  # type: ignore[no-untyped-def]
    bundles, trust, expected = in_process
    monkeypatch.setenv(verify_ahead.WORKERS_ENV, "2")
    with caplog.at_level(logging.INFO, logger="ecrf.merge"):
        assert _merged(tmp_path, bundles, trust, study) == expected
    # All but the first (verified here while the workers start) and the copy (merged before its turn: not checked).
    assert f"bundles: {len(bundles) - 2} of {len(bundles) - 1} verified by worker processes" in caplog.text


def _dies(_copy: Path, _trust: Any) -> None:
    """A worker killed half-way (out of memory, a crash in a C library): its process ends at once."""
    os._exit(3)


def _no_processes(*_args: Any, **_kwargs: Any) -> None:
    raise OSError("processes are not allowed here")


@pytest.mark.req("MERGE-ORDER")
@pytest.mark.parametrize("failure", ["a worker dies", "the pool cannot start"])
def test_failing_workers_fall_back_to_verifying_in_process(failure, tmp_path, in_process, study, monkeypatch,
                                                           caplog) -> None:  # type: ignore[no-untyped-def]
    bundles, trust, expected = in_process
    monkeypatch.setenv(verify_ahead.WORKERS_ENV, "2")
    verified_once(monkeypatch)  # what is verified in-process after the failure: the reference's verdicts
    if failure == "a worker dies":
        monkeypatch.setattr(verify_ahead, "verify_in_worker", _dies)
    else:
        monkeypatch.setattr(verify_ahead, "ProcessPoolExecutor", _no_processes)
    with caplog.at_level(logging.INFO, logger="ecrf.merge"):
        assert _merged(tmp_path, bundles, trust, study) == expected
    assert f"bundles: 0 of {len(bundles) - 1} verified by worker processes" in caplog.text
    assert ("workers stopped, verifying in-process: BrokenProcessPool" if failure == "a worker dies" else
            "could not start (OSError: processes are not allowed here)") in caplog.text


def test_no_pool_for_one_bundle_or_when_the_environment_says_0(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(verify_ahead.WORKERS_ENV, "3")
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert (verify_ahead.worker_count(1), verify_ahead.worker_count(2), verify_ahead.worker_count(10)) == (0, 2, 3)
    monkeypatch.setenv(verify_ahead.WORKERS_ENV, "0")
    assert verify_ahead.worker_count(10) == 0
    monkeypatch.delenv(verify_ahead.WORKERS_ENV)
    assert verify_ahead.worker_count(10) == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert verify_ahead.worker_count(10) == 0
