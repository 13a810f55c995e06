"""Taking bundles in: which files, their SHA-256, what each claims to be (for the merge order), and a private
copy of exactly the bytes that are then verified and loaded.

The claim is read from the manifest *before* verification and is used for nothing but ordering and progress
lines: every decision is taken on the verified copy. The copy is made in a folder only this process can read,
hashed as it is written; a file that changed since it was first hashed is refused, so what was verified is
byte for byte what is loaded and what the log names.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from ecrf.export.bundle import layout
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import file_sha256
from ecrf.merge.errors import MergeError

BUNDLE_SUFFIX = ".zip"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Claim:
    """What an unverified manifest says: only for ordering and for naming the bundle in progress lines."""

    installation_id: str
    site_code: str
    sequence: int
    head_seq: int


@dataclass(frozen=True)
class Candidate:
    path: Path
    sha256: str
    claim: Claim | None  # None: the manifest could not be read (verification will say why)

    def order(self) -> tuple[str, int, int, str]:
        """Installation, export sequence, audit head, SHA-256: the same set of bundles always merges in the
        same order, whatever order they were given in."""
        if self.claim is None:
            return ("", 0, 0, self.sha256)
        return (self.claim.installation_id, self.claim.sequence, self.claim.head_seq, self.sha256)


def bundle_paths(given: Iterable[Path]) -> list[Path]:
    """The bundles named: files as given, folders as every *.zip directly in them (sorted)."""
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() == BUNDLE_SUFFIX and p.is_file())
            if not inside:
                raise MergeError("merge-no-bundles", where=path)
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise MergeError("merge-path-missing", path=path)
    if not found:
        raise MergeError("merge-no-bundles", where="the command line")
    return found


def hash_all(paths: list[Path]) -> list[str]:
    """Every file's SHA-256, in order. On several threads: hashlib lets go of the interpreter while it hashes,
    so re-merging a hundred unchanged bundles costs about their size over the cores' hashing speed."""
    if len(paths) < 2:
        return [file_sha256(path) for path in paths]
    with ThreadPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1)) as pool:
        return list(pool.map(file_sha256, paths))


def read_claim(path: Path) -> Claim | None:
    """The manifest's own account of the bundle, or None when it cannot be read (not an error here)."""
    try:
        with SafeZip(path) as bundle:
            manifest = json.loads(bundle.read(layout.MANIFEST))
        return Claim(str(manifest["site"]["installation_id"]), str(manifest["site"]["code"]),
                     int(manifest["export"]["sequence"]), int(manifest["audit"]["head_seq"]))
    except Exception:  # noqa: BLE001 - any damage is for the verifier to name; the claim only orders
        return None


def candidate(path: Path, sha256: str | None = None) -> Candidate:
    return Candidate(path, sha256 or file_sha256(path), read_claim(path))


WORK_PREFIX = "ecrf-merge-"
WORK_LOCK = ".in-use"


@contextmanager
def work_folder() -> Iterator[Path]:
    """A private folder for this merge's copies, removed at the end. A merge that was killed cannot remove its
    own, so each holds a lock while in use and every merge first removes the folders whose lock is free (their
    merge is gone): copies of the sites' data do not pile up in the temporary folder."""
    root = Path(tempfile.gettempdir())
    for stale in root.glob(WORK_PREFIX + "*"):
        _remove_if_abandoned(stale)
    folder = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
    lock = FileLock(str(folder / WORK_LOCK))
    try:
        with lock:
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_if_abandoned(folder: Path) -> None:
    lock = FileLock(str(folder / WORK_LOCK), timeout=0)
    try:
        with lock:
            shutil.rmtree(folder, ignore_errors=True)
    except (Timeout, OSError):  # in use by a running merge, or not ours to remove
        return


def private_copy(source: Path, folder: Path) -> tuple[Path, str]:
    """Copy `source` into `folder` under its own name (the verifier reads the name), hashing what is written:
    (the copy, its SHA-256)."""
    target = folder / source.name
    digest = hashlib.sha256()
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
    return target, digest.hexdigest()


def discard(copy: Path) -> None:
    copy.unlink(missing_ok=True)

