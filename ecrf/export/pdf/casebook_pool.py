"""Casebooks laid out in worker processes while the export reads on, so the layout (most of an export's time)
is off the critical path.

The workers are started with *spawn* on every OS: the GUI exports from a worker thread, where fork is unsafe,
and spawn is what Windows and macOS do anyway. They start at `begin` and warm up while the main process reads
the first subject: import reportlab, register the fonts, load the study from the same forms folder and check
that its fingerprint is the one the export runs under. A worker gets a subject record and returns the
UNSIGNED PDF: the main process signs and writes it, so the site's private key never leaves it.

At most `window` subjects are in flight; when the workers are behind, the main process lays out the next
casebook itself (and at the end takes back the newest one not yet started), so memory stays bounded and
neither side waits for the other. When the pool cannot start or a worker dies, the export goes on in-process:
a pool is a speed-up, never a reason for an export to fail. The bytes are the same either way.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from ecrf.errors import Bug
from ecrf.export.pdf.blank_crf import blank_crf_pdf
from ecrf.export.pdf.casebook import CasebookSource, casebook_pdf
from ecrf.export.pdf.fonts import register_fonts
from ecrf.export.pdf.frozen import frozen_without_workers, main_module_hidden
from ecrf.export.records import SiteFacts, SubjectRecord
from ecrf.runtime import tune_garbage_collector
from ecrf.study.model import Study

log = logging.getLogger("ecrf.export")
WORKERS_ENV = "ECRF_EXPORT_WORKERS"  # 0: lay out in-process; n: at most n workers (default: by CPU count)
MAX_WORKERS = 2
WINDOW_PER_WORKER = 10  # subjects in flight: enough to cover a worker's start, few enough to keep memory flat
MIN_SUBJECTS = 8  # below this, starting a worker (~0.5 s of CPU) costs more than it saves


@dataclass(frozen=True)
class CasebookFacts:
    """What a casebook shows besides the subject (`casebook.CasebookSource`), rebuilt inside a worker."""

    study: Study
    site: SiteFacts
    created_at: str
    export_seq: int


@dataclass(frozen=True)
class _Export:
    """The export a job belongs to (pickled with each job: a pool may start before the export is known)."""

    site: SiteFacts
    created_at: str
    export_seq: int


_study: Study | None = None  # in a worker: set once by _start_worker


class DefinitionChanged(Exception):
    """Raised in a starting worker whose definition on disk is not the export's: the pool breaks, and the export
    lays its casebooks out in-process (never seen by a user)."""


def _start_worker(forms: Path, fingerprint: str) -> None:
    from ecrf.study.loader import load_study

    global _study
    tune_garbage_collector()
    register_fonts()
    study = load_study(forms)
    if study.fingerprint != fingerprint:
        if multiprocessing.parent_process() is not None:  # a worker: the export says why; no traceback on the console
            logging.getLogger("concurrent.futures").disabled = True
        raise DefinitionChanged(f"the definition in {forms} changed since the site was opened")
    _study = study


def _ready() -> int:
    return os.getpid()


def _facts(export: _Export) -> CasebookFacts:
    if _study is None:
        raise Bug("casebook worker used before it was started")
    return CasebookFacts(_study, export.site, export.created_at, export.export_seq)


def _render(export: _Export, subject: SubjectRecord) -> bytes:
    return casebook_pdf(_facts(export), subject)


def _render_blank(export: _Export) -> bytes:
    return blank_crf_pdf(_facts(export))


def worker_count() -> int:
    """Workers for this machine: one core stays with the main process, which reads, writes and signs."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted.isdigit():
        return min(int(wanted), MAX_WORKERS)
    return min(MAX_WORKERS, (os.cpu_count() or 1) - 1)


def why_not_pooled(study: Study, subject_count: int) -> str | None:
    """The reason casebooks are laid out in-process for this export, or None when a pool should be tried."""
    if worker_count() < 1:
        return f"one CPU, or {WORKERS_ENV}=0"
    if subject_count < MIN_SUBJECTS:
        return f"{subject_count} subjects"
    if study.folder is None:
        return "the study was not loaded from a folder"
    if frozen_without_workers():
        return "the frozen app did not enable workers (multiprocessing.freeze_support)"
    return None


class CasebookPool:
    """Worker processes laying out casebooks (and the blank CRF), and the subjects in flight (oldest first).
    Start it with `start` as early as the export knows its study, `bind` it to the export, `close` it."""

    def __init__(self, executor: ProcessPoolExecutor, window: int) -> None:
        self._executor: ProcessPoolExecutor | None = executor
        self._window = window
        self._ctx: CasebookSource | None = None
        self._export: _Export | None = None
        self._flight: deque[tuple[SubjectRecord, Future[bytes]]] = deque()
        self._stopping: threading.Thread | None = None  # joins the workers while the export writes on
        self.laid_out = 0  # casebooks handed out by `lay_out` and `drain`
        self.laid_out_here = 0  # ... of which the main process laid out itself

    @classmethod
    def start(cls, study: Study, subject_count: int) -> CasebookPool | None:
        """A started pool, or None (and a log line why) when casebooks are laid out in-process."""
        reason = why_not_pooled(study, subject_count)
        if reason is None:
            assert study.folder is not None  # checked by why_not_pooled
            workers = worker_count()
            try:
                executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                               initializer=_start_worker, initargs=(study.folder, study.fingerprint))
                with main_module_hidden():
                    for _ in range(workers):
                        executor.submit(_ready)  # starts the workers now, to warm up while the export reads
                return cls(executor, window=WINDOW_PER_WORKER * workers)
            except Exception as exc:  # noqa: BLE001 - e.g. a sandbox that forbids processes: go on without
                reason = f"the worker processes could not start ({type(exc).__name__}: {exc})"
        log.info("casebooks are laid out in-process: %s", reason)
        return None

    def bind(self, ctx: CasebookSource) -> None:
        """The export whose casebooks follow (its first part to begin tells the pool)."""
        if self._ctx is None:
            self._ctx, self._export = ctx, _Export(ctx.site, ctx.created_at, ctx.export_seq)

    def blank_crf(self) -> Future[bytes] | None:
        """The annotated blank CRF laid out by a worker (None: lay it out here)."""
        if self._executor is None or self._export is None:
            return None
        try:
            return self._executor.submit(_render_blank, self._export)
        except Exception as exc:  # noqa: BLE001 - a broken pool: the rest is laid out in-process
            self._give_up(exc)
            return None

    def lay_out(self, subject: SubjectRecord) -> Iterator[tuple[SubjectRecord, bytes]]:
        """Hand `subject` to a worker, or lay it out here when the workers are behind (or gone); then every
        casebook that is ready, oldest first, without waiting."""
        if not self._submit(subject):
            yield self._here(subject)
        yield from self._finished()

    def drain(self) -> Iterator[tuple[SubjectRecord, bytes]]:
        """Every casebook still in flight. The newest not yet started is taken back and laid out here while
        the workers finish theirs, so the main process does not sit idle at the end."""
        while self._flight:
            yield from self._finished()
            if not self._flight:
                break
            subject, future = self._flight[-1]
            if len(self._flight) > 1 and future.cancel():
                self._flight.pop()
                yield self._here(subject)
            else:
                wait([f for _, f in self._flight], return_when=FIRST_COMPLETED)
        log.info("casebooks: %d of %d laid out by worker processes", self.laid_out - self.laid_out_here,
                 self.laid_out)

    def release(self) -> None:
        """Stop the workers without waiting for them to exit (tens of milliseconds each): the export goes on
        with its manifest and zip meanwhile. Queued work is dropped; a casebook a worker is laying out is
        finished and thrown away. `close` waits for them."""
        executor, self._executor = self._executor, None
        self._flight.clear()
        if executor is not None:
            self._stopping = threading.Thread(target=executor.shutdown, kwargs={"wait": True, "cancel_futures": True},
                                              name="ecrf-casebook-pool-stop", daemon=True)
            self._stopping.start()

    def close(self) -> None:
        """Stop the workers and wait until they have exited (also after an error or a cancel): no process
        outlives the export."""
        self.release()
        stopping, self._stopping = self._stopping, None
        if stopping is not None:
            stopping.join()

    def _submit(self, subject: SubjectRecord) -> bool:
        if self._executor is None or self._export is None or len(self._flight) >= self._window:
            return False
        try:
            future = self._executor.submit(_render, self._export, subject)
        except Exception as exc:  # noqa: BLE001 - a broken pool: the rest is laid out in-process
            self._give_up(exc)
            return False
        self._flight.append((subject, future))
        return True

    def _finished(self) -> Iterator[tuple[SubjectRecord, bytes]]:
        while self._flight and self._flight[0][1].done():
            subject, future = self._flight.popleft()
            try:
                pdf = future.result()
            except Exception as exc:  # noqa: BLE001 - laid out again here: a real error then raises here
                self._give_up(exc)
                yield self._here(subject)
                continue
            self.laid_out += 1
            yield subject, pdf

    def _here(self, subject: SubjectRecord) -> tuple[SubjectRecord, bytes]:
        if self._ctx is None:
            raise Bug("CasebookPool.bind was not called")
        pdf = casebook_pdf(self._ctx, subject)
        self.laid_out += 1
        self.laid_out_here += 1
        return subject, pdf

    def _give_up(self, exc: BaseException) -> None:
        """A worker failed (died, or its study differs): the rest of the export lays out in-process."""
        if self._executor is not None:
            log.warning("casebook workers stopped, laying out in-process: %s: %s", type(exc).__name__, exc)
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
