"""`manifest.json`: what the bundle holds and where it comes from, signed as a whole by `manifest.sig`.

Written as UTF-8 JSON with sorted keys, two-space indent and a final newline, so the same facts give
the same bytes; the verifier hashes and checks exactly these bytes (docs/bundle-format.md, Manifest).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecrf.export.bundle.layout import FORMAT_VERSION
from ecrf.export.records import ExportContext

FORMAT_NAME = "ecrf-bundle"
APP_NAME = "ecrf"
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    path: str  # POSIX, relative to the bundle root
    sha256: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


def file_entry(root: Path, relative: str) -> FileEntry:
    digest, size = hashlib.sha256(), 0
    with open(root / relative, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(relative, digest.hexdigest(), size)


def staged_files(root: Path) -> list[FileEntry]:
    """Every file below the staging folder, by path (the manifest's own files are added after)."""
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return [file_entry(root, path) for path in paths]


def build_manifest(ctx: ExportContext, previous_sha256: str | None, counts: dict[str, int],
                   files: list[FileEntry], formula_rule: str) -> bytes:
    site, study = ctx.site, ctx.study
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "study": {"oid": site.study_oid, "definition_version": study.info.version,
                  "definition_fingerprint": study.fingerprint, "site_definition_version": site.definition_version},
        "site": {"code": site.site_code, "name": site.site_name, "installation_id": site.db_id,
                 "certificate_sha256": ctx.identity.fingerprint, "state": site.state},
        "export": {"sequence": ctx.export_seq, "previous_manifest_sha256": previous_sha256,
                   "created_at": ctx.created_at, "data_as_of": site.as_of, "app": APP_NAME,
                   "app_version": ctx.app_version},
        "audit": {"head_seq": site.audit_head_seq, "head_hash": site.audit_head_hash, **_evidence(ctx)},
        "counts": dict(sorted(counts.items())),
        "csv": {"encoding": "UTF-8", "byte_order_mark": True, "dialect": "RFC 4180", "formula_rule": formula_rule},
        "files": [entry.as_json() for entry in sorted(files, key=lambda e: e.path)],
    }
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def _evidence(ctx: ExportContext) -> dict[str, Any]:
    """Who exported (their personal key signs the manifest too) and the site's own finding, if any."""
    evidence = ctx.evidence
    if evidence is None:
        return {}
    finding = evidence.finding
    return {"exported_by": evidence.signer,
            "finding": None if finding is None else {
                "digest": finding.digest, "problems": list(finding.problems),
                "acknowledged_by": finding.acknowledged_by, "acknowledged_at": finding.acknowledged_at,
                "reason": finding.reason}}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
