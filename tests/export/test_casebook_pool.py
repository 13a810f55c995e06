"""Casebooks laid out in worker processes (`ecrf.export.pdf.casebook_pool`): the same bytes as in-process, a
verified bundle, a prompt cancel that leaves no process behind, and the in-process fallback whenever a pool
cannot start or a worker fails. The suite runs without workers (tests/conftest.py); these tests turn them on.
"""
from __future__ import annotations

import logging
import multiprocessing
import re
from concurrent.futures import Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

import pytest

from ecrf.export.bundle.writer import write_bundle
from ecrf.export.errors import ExportCancelled
from ecrf.export.pdf import casebook_pool, frozen
from ecrf.export.pdf.casebook import casebook_pdf
from ecrf.export.pdf.casebook_pool import CasebookPool, why_not_pooled
from ecrf.export.pdf.parts import CasebookPart
from ecrf.export.records import ExportContext
from ecrf.export.verify.bundle import verify_bundle
from ecrf.services.export import export_bundle
from tests.export.helpers import DemoRecords


def without_dates(pdf: bytes) -> bytes:
    """reportlab stamps each file with the time it was made (and an ID from it); nothing else may differ."""
    return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)|/ID \n\[<[0-9a-f]+><[0-9a-f]+>\]", b"", pdf)


@pytest.fixture
def one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(casebook_pool.WORKERS_ENV, "1")
    monkeypatch.setattr(casebook_pool, "MIN_SUBJECTS", 2)


@pytest.mark.req("WARD-SPEED-EXPORT-4")
@pytest.mark.usefixtures("one_worker")
def test_a_worker_lays_out_the_same_bytes_as_the_main_process(export_context: ExportContext,
                                                              demo_records: DemoRecords):
    subjects = demo_records.subjects[:4]
    pool = CasebookPool.start(export_context.study, export_context.subject_count)
    assert pool is not None
    try:
        pool.bind(export_context)
        assert all(pool._submit(s) for s in subjects)  # all handed to the worker (the window holds them)
        wait([future for _, future in pool._flight])  # else the main process takes back those not started yet
        pooled = dict(pool.drain())
    finally:
        pool.close()
    assert pool.laid_out == 4 and pool.laid_out_here == 0
    assert not multiprocessing.active_children()
    for subject in subjects:
        assert without_dates(pooled[subject]) == without_dates(casebook_pdf(export_context, subject)), subject.label


@pytest.mark.req("WARD-SPEED-EXPORT-4")
@pytest.mark.usefixtures("one_worker")
def test_a_pooled_export_verifies(small_demo, tmp_path: Path, caplog: pytest.LogCaptureFixture):  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    session = small_demo.login("nurse")
    try:
        with caplog.at_level(logging.INFO, logger="ecrf.export"):
            result = export_bundle(session, out)
    finally:
        session.close()
    assert "of 4 laid out by worker processes" in caplog.text
    verdict = verify_bundle(result.path)
    assert verdict.ok, verdict.problems
    assert verdict.subjects == 4
    assert not multiprocessing.active_children()


@pytest.mark.req("WARD-SPEED-EXPORT-4")
@pytest.mark.usefixtures("one_worker")
def test_cancel_stops_the_workers_and_leaves_no_bundle(export_context: ExportContext, demo_records: DemoRecords,
                                                       tmp_path: Path):
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 3  # after the third subject

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportCancelled):
        write_bundle(export_context, demo_records.subjects, demo_records.audit, out, previous_sha256=None,
                     cancelled=cancelled, staging_root=tmp_path / "staging-root")
    assert asked == 4  # stopped at the check before the fourth subject
    assert not multiprocessing.active_children()
    assert not [p for p in out.iterdir() if p.suffix == ".zip" or p.name.endswith(".partial")]


@pytest.mark.usefixtures("one_worker")
def test_the_casebook_part_lets_the_workers_go_and_the_pool_s_owner_waits_for_them(
        export_context: ExportContext, demo_records: DemoRecords, tmp_path: Path):
    """The workers exit while the export writes its manifest and zip; the export's end waits for them."""
    pool = CasebookPool.start(export_context.study, export_context.subject_count)
    assert pool is not None
    part = CasebookPart(pool=pool)
    try:
        part.begin(replace(export_context, staging=tmp_path))
        for subject in demo_records.subjects[:3]:
            part.add_subject(subject)
        part.finish()
        part.close()
        assert pool._executor is None and pool._stopping is not None  # stopping, not waited for here
        assert len(list(tmp_path.rglob("*.pdf"))) == 3
    finally:
        pool.close()
    assert pool._stopping is None
    assert not multiprocessing.active_children()


def test_why_casebooks_stay_in_process(export_context: ExportContext, monkeypatch: pytest.MonkeyPatch):
    study = export_context.study
    monkeypatch.setenv(casebook_pool.WORKERS_ENV, "1")
    assert why_not_pooled(study, 20) is None
    assert why_not_pooled(study, 3) == "3 subjects"
    assert why_not_pooled(replace(study, folder=None), 20) == "the study was not loaded from a folder"
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert "freeze_support" in (why_not_pooled(study, 20) or "")
    monkeypatch.setattr(frozen, "_enabled", True)  # what the frozen app's entry point does first
    assert why_not_pooled(study, 20) is None
    monkeypatch.setenv(casebook_pool.WORKERS_ENV, "0")
    assert why_not_pooled(study, 20) == f"one CPU, or {casebook_pool.WORKERS_ENV}=0"


def test_a_pool_that_cannot_start_falls_back_in_process(export_context: ExportContext, demo_records: DemoRecords,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture):
    def forbidden(*args: object, **kwargs: object) -> None:
        raise PermissionError("processes are not allowed here")

    monkeypatch.setenv(casebook_pool.WORKERS_ENV, "1")
    monkeypatch.setattr(casebook_pool, "ProcessPoolExecutor", forbidden)
    part = CasebookPart(sign=False)
    with caplog.at_level(logging.INFO, logger="ecrf.export"):
        part.begin(export_context)
    try:
        assert part.pool is None
        assert "could not start (PermissionError: processes are not allowed here)" in caplog.text
        subject = demo_records.subjects[0]
        part.add_subject(subject)
        part.finish()
    finally:
        part.close()
    written = (export_context.staging / "pdf" / "casebooks" / f"{subject.label}.pdf").read_bytes()
    assert without_dates(written) == without_dates(casebook_pdf(export_context, subject))


class _DeadWorkers:
    """An executor whose workers died: every casebook handed to it fails as a broken pool would."""

    def __init__(self) -> None:
        self.stopped = False

    def submit(self, fn: object, *args: object) -> Future[bytes]:
        future: Future[bytes] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.stopped = True


def test_a_dead_worker_s_casebooks_are_laid_out_in_process(export_context: ExportContext,
                                                           demo_records: DemoRecords,
                                                           caplog: pytest.LogCaptureFixture):
    dead = _DeadWorkers()
    pool = CasebookPool(dead, window=4)  # type: ignore[arg-type]
    pool.bind(export_context)
    subjects = demo_records.subjects[:2]
    with caplog.at_level(logging.WARNING, logger="ecrf.export"):
        done = [ready.label for s in subjects for ready, _ in pool.lay_out(s)]
        done += [ready.label for ready, _ in pool.drain()]
    assert done == [s.label for s in subjects]
    assert dead.stopped and pool.laid_out_here == 2
    assert "casebook workers stopped, laying out in-process: BrokenProcessPool" in caplog.text


def test_a_worker_refuses_a_changed_definition(export_context: ExportContext, tmp_path: Path):
    with pytest.raises(casebook_pool.DefinitionChanged, match="changed since the site was opened"):
        casebook_pool._start_worker(export_context.study.folder or tmp_path, "not the fingerprint")
