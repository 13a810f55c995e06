"""Reading what the merge takes from a bundle that `ecrf verify` has passed: its facts and its rows.

Only ever called on a verified bundle, and on the very bytes that were verified (`BundleBytes` hashes the file
once and the merge reads that copy), so a file swapped between the check and the read is never merged.
Cells come back as the site wrote them, with the spreadsheet guard undone (`ecrf.export.csv.safe.restore`).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecrf.export.bundle import layout
from ecrf.export.bundle.manifest import sha256_hex
from ecrf.export.csv.safe import restore
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.central.schema import DATA_FILES
from ecrf.merge.errors import CentralDatabaseError
from ecrf.study.model import Study

EVIDENCE_FILES = (layout.SEALS, layout.KEY_CERTIFICATES)
KEPT_FILES = (layout.MANIFEST, layout.MANIFEST_SIG, layout.MANIFEST_SIGNER, layout.ODM)
READ_BUFFER = 1 << 20  # read a zip member in large pieces: small ones cost a checked zip read each
_GUARD_SCAN = "\x1f"  # any separator works: a cell holding it only sends its row down the slow, exact path


@dataclass(frozen=True)
class BundleFacts:
    """What a bundle's manifest says about where it comes from (trusted once the bundle verified)."""

    bundle_sha256: str
    manifest_sha256: str
    study_oid: str
    definition_fingerprint: str
    site_code: str
    site_name: str
    installation_id: str
    certificate_sha256: str
    site_state: str
    sequence: int
    previous_manifest_sha256: str | None
    created_at: str
    data_as_of: str
    head_seq: int
    head_hash: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_facts(bundle: SafeZip, bundle_sha256: str) -> BundleFacts:
    raw = bundle.read(layout.MANIFEST)
    manifest: dict[str, Any] = json.loads(raw)
    study, site, export, audit = (manifest[k] for k in ("study", "site", "export", "audit"))
    return BundleFacts(
        bundle_sha256=bundle_sha256, manifest_sha256=sha256_hex(raw), study_oid=study["oid"],
        definition_fingerprint=study["definition_fingerprint"], site_code=site["code"], site_name=site["name"],
        installation_id=site["installation_id"], certificate_sha256=site["certificate_sha256"],
        site_state=site.get("state", "open"), sequence=int(export["sequence"]),
        previous_manifest_sha256=export.get("previous_manifest_sha256"), created_at=export["created_at"],
        data_as_of=export["data_as_of"], head_seq=int(audit["head_seq"]), head_hash=audit["head_hash"])


def table_rows(bundle: SafeZip, table: str) -> Iterator[list[str]]:
    """The rows of the CSV file `table` mirrors (schema.DATA_FILES), restored, without the header."""
    path, header = DATA_FILES[table]
    reader = _csv(bundle, path)
    found = tuple(next(reader, ()))
    if found != header:
        raise CentralDatabaseError("bundle-columns-unknown", file=path, found=", ".join(found),
                                   expected=", ".join(header))
    yield from _restored(reader)


def _restored(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows with the spreadsheet guard undone. Only a cell that starts with an apostrophe can carry the guard,
    and most rows have none: one scan of the joined row (in C) finds them, so those rows cost no call per cell."""
    marked = _GUARD_SCAN + "'"
    for row in rows:
        yield [restore(cell) for cell in row] if marked in _GUARD_SCAN + _GUARD_SCAN.join(row) else row


def form_rows(bundle: SafeZip, study: Study) -> Iterator[tuple[str, list[str]]]:
    """(form code, restored cells) of every form's wide file, header left out, in the study's form order."""
    for code in study.forms:
        path = layout.form_csv(code)
        if path not in bundle.names():
            continue
        reader = _csv(bundle, path)
        next(reader, None)
        for row in _restored(reader):
            yield code, row


def evidence_lines(bundle: SafeZip) -> Iterator[tuple[str, str]]:
    """(file, line) of the seals and key certificates, each line as the bundle has it (no newline)."""
    for path in EVIDENCE_FILES:
        with _buffered(bundle, path) as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8", newline="\n"):
                yield path, line.rstrip("\n")


def trail_hashes(bundle: SafeZip) -> Iterator[tuple[int, str]]:
    """(seq, hash) of every event of `audit/trail.jsonl`, in order: what continuity is checked on."""
    with _buffered(bundle, layout.TRAIL) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8", newline="\n"):
            row = json.loads(line)
            yield int(row[0]), str(row[-1])


def kept_files(bundle: SafeZip) -> Iterator[tuple[str, bytes]]:
    for path in KEPT_FILES:
        if path in bundle.names():
            yield path, bundle.read(path)


def _csv(bundle: SafeZip, path: str) -> Iterator[list[str]]:
    return csv.reader(io.TextIOWrapper(_buffered(bundle, path), encoding="utf-8-sig", newline=""))


def _buffered(bundle: SafeZip, path: str) -> io.BufferedReader:
    return io.BufferedReader(bundle.open(path), READ_BUFFER)  # type: ignore[arg-type] # a raw reader: has readinto
