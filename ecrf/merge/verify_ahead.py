"""Bundles verified in worker processes ahead of the merge's decide-and-load, so that a machine with N cores
verifies about N bundles at once (verification is mostly Python, 85–90 % of a first merge: threads would not
help).

Only the verdicts come earlier; everything else stays as it was. The engine still takes the bundles one by one
in its order, and decides and loads each in the main process. Each bundle's private copy is made here, in the
main process, and hashed as it is written (`intake.private_copy`); a worker gets the copy's path and the trust
source and returns the `Verdict` of that copy. So the copy that was verified is the one loaded, and the merge
takes the same decisions, in the same order, with the same log rows, with or without workers.

The workers start with *spawn* (as the casebook workers do, `ecrf.export.pdf.casebook_pool`), only when there
are at least two bundles to verify and two CPUs. At most `window` copies are made ahead of the one being
merged, so memory and the work folder stay flat. When the pool cannot start or a worker dies, the bundles are
verified in-process: a pool is a speed-up, never a reason for a merge to fail.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ecrf.export.pdf.frozen import frozen_without_workers, main_module_hidden
from ecrf.export.verify.bundle import Verdict, verify_bundle
from ecrf.export.verify.trust import Trust
from ecrf.runtime import tune_garbage_collector

log = logging.getLogger("ecrf.merge")
WORKERS_ENV = "ECRF_MERGE_WORKERS"  # 0: verify in-process; n: at most n workers (default: one per CPU)
MAX_WORKERS = 16
AHEAD_PER_WORKER = 2  # copies in flight per worker: the next bundle is ready when a worker finishes one

TrustSource = str | Trust  # a --trust spec, or the trust registry's Trust (both pickle)
Copier = Callable[[Path, Path], tuple[Path, str]]
Verifier = Callable[[Path, TrustSource], Verdict]


@dataclass
class Taken:
    """A bundle taken in: its private copy and the SHA-256 of what was written, or why it could not be copied;
    `pending` is its verification in a worker (None: verified in-process when asked)."""

    copy: Path
    sha256: str = ""
    unreadable: OSError | None = None
    pending: Future[Verdict] | None = None


def verify_in_worker(copy: Path, trust: TrustSource) -> Verdict:
    """What a worker runs for one bundle."""
    return verify_bundle(copy, trust)


def worker_count(to_verify: int) -> int:
    """Workers for this merge: 0 (verify in-process) below two bundles to verify or two CPUs, or when the
    environment says 0. The main process mostly waits for verdicts, so every CPU gets a worker."""
    cpus = os.cpu_count() or 1
    if to_verify < 2 or cpus < 2 or frozen_without_workers():
        return 0
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    workers = int(wanted) if wanted.isdigit() else cpus
    return min(workers, MAX_WORKERS, to_verify)


def _start_worker() -> None:
    tune_garbage_collector()
    # Ctrl-C reaches the whole process group: the merge stops its workers itself (no traceback from each).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:  # a merge killed outright leaves no worker behind waiting for work
        threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="ecrf-merge-parent-watch").start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(0)


class VerifyAhead:
    """The bundles of one merge still to verify, in the engine's order: `take` each in that order (the ones the
    engine skips are dropped), ask its `verdict`, then `close`. Copies go to a folder of their own inside
    `folder` (two bundles may have the same file name)."""

    def __init__(self, pending: list[tuple[int, Path, str]], trust: TrustSource, folder: Path, copier: Copier,
                 verifier: Verifier) -> None:
        self._queue = deque(pending)  # (index, file, its SHA-256 when hashed) not copied yet
        self._ready: dict[int, Taken] = {}  # copied ahead, oldest first
        self._trust, self._folder = trust, folder
        self._copy, self._verify = copier, verifier  # the engine's, looked up when the merge starts
        self._executor: ProcessPoolExecutor | None = None
        self._window = 0
        self.verified = 0  # verdicts handed out by `verdict`
        self.verified_here = 0  # ... of which the main process verified itself
        workers = worker_count(len(pending))
        if workers:
            self._start(workers)

    def _start(self, workers: int) -> None:
        try:
            executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_start_worker)
        except Exception as exc:  # noqa: BLE001 - e.g. a sandbox that forbids processes: verify in-process
            log.info("bundles are verified in-process: the worker processes could not start (%s: %s)",
                     type(exc).__name__, exc)
            return
        self._executor, self._window = executor, AHEAD_PER_WORKER * workers

    def take(self, index: int, source: Path) -> Taken:
        """Bundle `index` (the file `source`): copied ahead and perhaps being verified, or copied now. The
        engine refuses it when it could not be copied or its copy is not the file it hashed."""
        taken = self._ready.pop(index, None)
        for stale in [i for i in self._ready if i < index]:  # skipped by the engine (a duplicate merged since)
            self._drop(self._ready.pop(stale))
        while self._queue and self._queue[0][0] <= index:
            queued, _, _ = self._queue.popleft()
            if queued == index:
                taken = self._copied(index, source)
        if taken is None:
            taken = self._copied(index, source)
        self._top_up()  # the workers go on while this one is decided and loaded
        return taken

    def verdict(self, taken: Taken) -> Verdict:
        """The verdict of the copy: from its worker, or verified here (no worker, or the worker failed)."""
        self.verified += 1
        if taken.pending is not None:
            try:
                return taken.pending.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker, a broken pool: verified here instead
                self._give_up(exc)
        self.verified_here += 1
        return self._verify(taken.copy, self._trust)

    def close(self) -> None:
        """Stop the workers (a bundle being verified is finished and thrown away) and remove the copies made
        ahead; no process outlives the merge."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if self.verified:
            log.info("bundles: %d of %d verified by worker processes", self.verified - self.verified_here,
                     self.verified)
        for taken in self._ready.values():
            self._drop(taken)
        self._ready.clear()

    def _top_up(self) -> None:
        while self._executor is not None and self._queue and len(self._ready) < self._window:
            index, source, sha256 = self._queue.popleft()
            self._ready[index] = self._copied(index, source, submit_if=sha256)

    def _copied(self, index: int, source: Path, submit_if: str | None = None) -> Taken:
        """The copy of `source`; handed to a worker when its SHA-256 is `submit_if` (a changed file is refused
        unverified)."""
        folder = self._folder / str(index)
        folder.mkdir(exist_ok=True)
        try:
            copy, sha256 = self._copy(source, folder)
        except OSError as exc:  # gone or unreadable since it was hashed: the engine refuses it
            return Taken(folder / source.name, unreadable=exc)
        taken = Taken(copy, sha256)
        if sha256 == submit_if and self._executor is not None:
            try:
                with main_module_hidden():
                    taken.pending = self._executor.submit(verify_in_worker, copy, self._trust)
            except Exception as exc:  # noqa: BLE001 - a broken pool: verified in-process when taken
                self._give_up(exc)
        return taken

    def _drop(self, taken: Taken) -> None:
        if taken.pending is not None:
            taken.pending.cancel()
        with suppress(OSError):  # a worker may still have it open (Windows): the work folder goes at the end
            taken.copy.unlink(missing_ok=True)

    def _give_up(self, exc: BaseException) -> None:
        """A worker failed: the bundles still to come are verified in-process."""
        if self._executor is not None:
            log.warning("merge verification workers stopped, verifying in-process: %s: %s", type(exc).__name__, exc)
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor, self._window = None, 0
