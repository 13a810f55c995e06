"""Writing one bundle: the parts stream into a private staging folder on this PC (`staging`: clear text
never reaches the output medium), the manifest hashes and signs what they wrote, and everything is zipped
into the output folder under a hidden temporary name. Only `PendingBundle.publish()` gives the zip its real
name, so a cancelled, failed or killed export never leaves a file that looks finished, and the next export
removes what a killed one left behind.
"""
from __future__ import annotations

import contextlib
import errno
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ecrf.export.bundle.layout import MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER, safe_name
from ecrf.export.bundle.manifest import build_manifest, sha256_hex, staged_files
from ecrf.export.bundle.staging import Staging, default_staging_root, remove_stale
from ecrf.export.errors import ExportCancelled, ExportError
from ecrf.export.parts import BundlePart
from ecrf.export.records import AuditRecord, ExportContext, SubjectRecord

if TYPE_CHECKING:
    from ecrf.export.pdf.casebook_pool import CasebookPool

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
    staging: Staging | None = None  # held until published or discarded, so no other export removes the zip

    def publish(self) -> Path:
        try:
            if self.final.exists():
                raise ExportError("bundle-exists", path=self.final)
            try:
                os.replace(self.partial, self.final)
            except OSError as exc:
                raise disk_error(exc, self.final.parent) from None
            _sync_folder(self.final.parent)
            return self.final
        finally:
            self._release()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.partial.unlink()
        self._release()

    def _release(self) -> None:
        if self.staging is not None:
            self.staging.release()


def bundle_name(ctx: ExportContext) -> str:
    day = ctx.created_at[:10].replace("-", "")
    return f"{bundle_prefix(ctx)}{ctx.export_seq:04d}_{day}.zip"


def bundle_prefix(ctx: ExportContext) -> str:
    """What every bundle name of this study and site starts with."""
    return f"{safe_name(ctx.site.study_oid)}_{safe_name(ctx.site.site_code)}_export"


def default_parts(pool: CasebookPool | None = None) -> list[BundlePart]:
    """Every part of a bundle; the PDFs are laid out in `pool` when given (the casebook part closes it), else
    in a pool the casebook part starts if the site is big enough."""
    from ecrf.export.bundle.evidence import EvidencePart
    from ecrf.export.csv.part import CsvPart
    from ecrf.export.odm.writer import OdmPart
    from ecrf.export.pdf.parts import BlankCrfPart, CasebookPart

    return [CsvPart(), OdmPart(), BlankCrfPart(pool), CasebookPart(pool=pool), EvidencePart()]


def write_bundle(ctx: ExportContext, subjects: Iterable[SubjectRecord], audit: Iterable[AuditRecord], out_dir: Path,
                 *, previous_sha256: str | None, parts: Sequence[BundlePart] | None = None,
                 progress: Progress | None = None, cancelled: Cancelled | None = None,
                 staging_root: Path | None = None) -> PendingBundle:
    """Write the whole bundle to `out_dir` under a temporary name. `ctx.staging` is ignored: the parts write
    into a fresh private folder under `staging_root` (default: the app's data folder), removed at the end."""
    check_folder(out_dir)
    final = out_dir / bundle_name(ctx)
    root = staging_root or default_staging_root()
    try:
        remove_stale(root, out_dir, bundle_prefix(ctx))
        staging = Staging(root)
    except OSError as exc:
        raise disk_error(exc, root) from None
    partial = out_dir / staging.partial_name(final.name)
    try:
        ctx = replace(ctx, staging=staging.folder)
        counts = _run_parts(ctx, list(parts if parts is not None else default_parts()), subjects, audit,
                            progress or _quiet, cancelled or _never)
        manifest = build_manifest(ctx, previous_sha256, counts, staged_files(staging.folder), _formula_rule())
        (staging.folder / MANIFEST).write_bytes(manifest)
        (staging.folder / MANIFEST_SIG).write_bytes(_sign(manifest, ctx))
        if ctx.evidence is not None:
            from ecrf.export.bundle.evidence import signer_document

            (staging.folder / MANIFEST_SIGNER).write_bytes(signer_document(ctx, sha256_hex(manifest)))
        _zip(staging.folder, partial)
        if cancelled and cancelled():
            raise ExportCancelled("export-cancelled")
        staging.remove_folder()  # the clear text goes now; the lock stays until the zip is published
        return PendingBundle(partial, final, sha256_hex(manifest), counts, staging)
    except OSError as exc:
        _abandon(staging, partial)
        raise disk_error(exc, _failed_folder(exc, staging, out_dir)) from None
    except BaseException:
        _abandon(staging, partial)
        raise


def _failed_folder(exc: OSError, staging: Staging, out_dir: Path) -> Path:
    """The folder a failed write was in, for the message: the PC's staging folder or the output folder."""
    if exc.filename and Path(os.fsdecode(exc.filename)).is_relative_to(staging.folder):
        return staging.folder.parent
    return out_dir


def _abandon(staging: Staging, partial: Path) -> None:
    with contextlib.suppress(OSError):
        partial.unlink()
    staging.release()


def _run_parts(ctx: ExportContext, parts: list[BundlePart], subjects: Iterable[SubjectRecord],
               audit: Iterable[AuditRecord], progress: Progress, cancelled: Cancelled) -> dict[str, int]:
    total = ctx.subject_count + 2  # each subject, the audit trail, then manifest + zip
    counts = dict.fromkeys(("subjects", "form_instances", "item_values", "audit_events", "queries",
                            "query_messages", "sdv", "signatures", "locks"), 0)
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
    counts["query_messages"] += sum(len(query.messages) for query in subject.queries)
    counts["sdv"] += len(subject.sdv)
    counts["signatures"] += len(subject.signatures)
    counts["locks"] += len(subject.locks)


def _check(cancelled: Cancelled) -> None:
    if cancelled():
        raise ExportCancelled("export-cancelled")


def _zip(staging: Path, target: Path) -> None:
    """Manifest first (a reader sees what to expect before anything else), then files by path."""
    names = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    names.sort(key=lambda name: (name not in (MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER), name))
    with open(target, "xb") as raw:
        # Level 3: half the time of 6 for ~10 % more bytes of text (the PDFs, most of a bundle, are stored)
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as archive:
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
