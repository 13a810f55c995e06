"""Writing one bundle: the parts stream into a hidden staging folder, the manifest hashes and signs what
they wrote, and everything is zipped under a temporary name. Only `PendingBundle.publish()` gives the
zip its real name, so a cancelled, failed or killed export never leaves a file that looks finished.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ecrf.export.bundle.layout import MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER, safe_name
from ecrf.export.bundle.manifest import build_manifest, sha256_hex, staged_files
from ecrf.export.errors import ExportCancelled, ExportError
from ecrf.export.parts import BundlePart
from ecrf.export.records import AuditRecord, ExportContext, SubjectRecord

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what is being written)
Cancelled = Callable[[], bool]
AUDIT_STEP = 5000  # audit events between progress reports (and cancel checks)


@dataclass
class PendingBundle:
    """A complete bundle under its temporary name, waiting to be recorded and published."""

    partial: Path
    final: Path
    manifest_sha256: str
    counts: dict[str, int]

    def publish(self) -> Path:
        if self.final.exists():
            raise ExportError("bundle-exists", path=self.final)
        try:
            os.replace(self.partial, self.final)
        except OSError as exc:
            raise disk_error(exc, self.final.parent) from None
        _sync_folder(self.final.parent)
        return self.final

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.partial.unlink()


def bundle_name(ctx: ExportContext) -> str:
    day = ctx.created_at[:10].replace("-", "")
    return f"{safe_name(ctx.site.study_oid)}_{safe_name(ctx.site.site_code)}_export{ctx.export_seq:04d}_{day}.zip"


def default_parts() -> list[BundlePart]:
    from ecrf.export.bundle.evidence import EvidencePart
    from ecrf.export.csv.part import CsvPart
    from ecrf.export.odm.writer import OdmPart
    from ecrf.export.pdf.parts import BlankCrfPart, CasebookPart

    return [CsvPart(), OdmPart(), BlankCrfPart(), CasebookPart(), EvidencePart()]


def write_bundle(ctx: ExportContext, subjects: Iterable[SubjectRecord], audit: Iterable[AuditRecord], out_dir: Path,
                 *, previous_sha256: str | None, parts: Sequence[BundlePart] | None = None,
                 progress: Progress | None = None, cancelled: Cancelled | None = None) -> PendingBundle:
    """Write the whole bundle to `out_dir` under a temporary name; `ctx.staging` is ignored (a fresh hidden
    folder in `out_dir` is used, so the final rename never crosses disks)."""
    check_folder(out_dir)
    staging = out_dir / f".ecrf-export-{uuid.uuid4().hex}.partial"
    final = out_dir / bundle_name(ctx)
    partial = out_dir / f".{final.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        staging.mkdir()
        ctx = replace(ctx, staging=staging)
        counts = _run_parts(ctx, list(parts if parts is not None else default_parts()), subjects, audit,
                            progress or _quiet, cancelled or _never)
        manifest = build_manifest(ctx, previous_sha256, counts, staged_files(staging), _formula_rule())
        (staging / MANIFEST).write_bytes(manifest)
        (staging / MANIFEST_SIG).write_bytes(_sign(manifest, ctx))
        if ctx.evidence is not None:
            from ecrf.export.bundle.evidence import signer_document

            (staging / MANIFEST_SIGNER).write_bytes(signer_document(ctx, sha256_hex(manifest)))
        _zip(staging, partial)
        if cancelled and cancelled():
            raise ExportCancelled("export-cancelled")
        return PendingBundle(partial, final, sha256_hex(manifest), counts)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise disk_error(exc, out_dir) from None
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_parts(ctx: ExportContext, parts: list[BundlePart], subjects: Iterable[SubjectRecord],
               audit: Iterable[AuditRecord], progress: Progress, cancelled: Cancelled) -> dict[str, int]:
    total = ctx.subject_count + 2  # each subject, the audit trail, then manifest + zip
    counts = dict.fromkeys(("subjects", "form_instances", "item_values", "audit_events", "queries", "sdv",
                            "signatures"), 0)
    try:
        for part in parts:
            part.begin(ctx)
        for subject in subjects:
            _check(cancelled)
            progress(counts["subjects"], total, subject.label)
            for part in parts:
                part.add_subject(subject)
            _count(counts, subject)
        progress(counts["subjects"], total, "audit trail")
        for event in audit:
            for part in parts:
                part.add_audit_event(event)
            counts["audit_events"] += 1
            if counts["audit_events"] % AUDIT_STEP == 0:
                _check(cancelled)
        _check(cancelled)
        for part in parts:
            part.finish()
        progress(total - 1, total, "manifest and signature")
    finally:
        for part in parts:
            part.close()
    return counts


def _count(counts: dict[str, int], subject: SubjectRecord) -> None:
    counts["subjects"] += 1
    counts["form_instances"] += len(subject.forms)
    counts["item_values"] += sum(len(form.values) for form in subject.forms)
    counts["queries"] += len(subject.queries)
    counts["sdv"] += len(subject.sdv)
    counts["signatures"] += len(subject.signatures)


def _check(cancelled: Cancelled) -> None:
    if cancelled():
        raise ExportCancelled("export-cancelled")


def _zip(staging: Path, target: Path) -> None:
    """Manifest first (a reader sees what to expect before anything else), then files by path."""
    names = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    names.sort(key=lambda name: (name not in (MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER), name))
    with open(target, "xb") as raw:
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for name in names:
                compress = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
                archive.write(staging / name, name, compress_type=compress)
        raw.flush()
        os.fsync(raw.fileno())


def _sign(manifest: bytes, ctx: ExportContext) -> bytes:
    from ecrf.export.bundle.manifest_sig import sign_manifest

    return sign_manifest(manifest, ctx.identity)


def _formula_rule() -> str:
    from ecrf.export.csv.safe import FORMULA_RULE

    return FORMULA_RULE


def check_folder(out_dir: Path) -> None:
    if not out_dir.exists():
        raise ExportError("export-folder-missing", folder=out_dir)
    if not out_dir.is_dir():
        raise ExportError("export-folder-is-file", folder=out_dir)
    if not os.access(out_dir, os.W_OK):
        raise ExportError("export-folder-read-only", folder=out_dir)


def disk_error(exc: OSError, folder: Path) -> ExportError:
    """The export's message for a failed write into `folder`."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportError("export-disk-full", folder=folder)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ExportError("export-folder-read-only", folder=folder)
    return ExportError("export-write-failed", folder=folder, reason=exc.strerror or exc)


def _sync_folder(folder: Path) -> None:
    # The rename itself must survive a power cut; Windows cannot open a folder for fsync.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _quiet(done: int, total: int, what: str) -> None:
    return None


def _never() -> bool:
    return False
