"""Exporting a signed bundle (DESIGN.md, Export bundle): the one use case that turns the site database
into a zip for the sponsor, and records that it did.

The data are read in one read transaction (a consistent snapshot even while others save). Nothing is
written to the database until the bundle is complete: then the export is logged and audited, and the
zip is renamed to its real name inside that same transaction, so the log and the file agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf import __version__
from ecrf.errors import Bug
from ecrf.export.bundle.identity import SigningIdentity
from ecrf.export.bundle.writer import Cancelled, PendingBundle, Progress, default_parts, write_bundle
from ecrf.export.errors import ExportCancelled as BundleCancelled
from ecrf.export.errors import ExportError
from ecrf.export.pdf.casebook_pool import CasebookPool
from ecrf.export.records import BundleEvidence, ExportContext, Finding
from ecrf.services import export_records, integrity
from ecrf.services.errors import ExportCancelled, ExportFailed, InvalidInput, PermissionDenied
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.signing import make_identity, store_identity, stored_identity
from ecrf.store import audit
from ecrf.store.audit import Change
from ecrf.store.models import ExportLog, Site

CHECK_ATTEMPTS = 3  # saves keep landing between the trail check and the export's snapshot: ask to export again


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sequence: int
    subjects: int
    audit_events: int
    manifest_sha256: str
    certificate_sha256: str
    new_key: bool  # True when this export made the site's signing key (register its certificate)


@dataclass(frozen=True)
class LastExport:
    sequence: int
    file_name: str
    created_at: str
    created_by: str


def last_export(session: SiteSession) -> LastExport | None:
    with session.read(Do.EXPORT) as db:
        row = _last(db)
        return LastExport(row.seq, row.file_name, row.created_at, row.created_by) if row else None


def export_bundle(session: SiteSession, out_dir: Path, *, progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> ExportResult:
    """Write the next bundle into `out_dir`. Raises InvalidInput (nothing to export), ExportCancelled or
    ExportFailed (disk full, read-only, ...) with the database unchanged and no finished-looking file."""
    session.require(Do.EXPORT)
    with session.read(Do.EXPORT) as db:
        count = export_records.subject_count(db)
    # The layout workers start first: they warm up while the trail is checked and the first subject is read.
    pool = CasebookPool.start(session.study, count) if count else None
    try:
        pending, ctx, identity, key_id = _checked_write(session, out_dir, pool, progress, cancelled)
    finally:
        if pool is not None:
            pool.close()  # waits for the workers the casebook part released (or never used: a refused export)
    try:
        _record(session, ctx, pending, identity, key_id)
    except BaseException:
        pending.discard()
        raise
    return ExportResult(pending.final, ctx.export_seq, pending.counts["subjects"], pending.counts["audit_events"],
                        pending.manifest_sha256, identity.fingerprint, new_key=key_id == 0)


def _checked_write(session: SiteSession, out_dir: Path, pool: CasebookPool | None, progress: Progress | None,
                   cancelled: Cancelled | None) -> tuple[PendingBundle, ExportContext, SigningIdentity, int]:
    """The trail check (refuses a trail with unacknowledged problems), then the bundle from one snapshot that
    holds exactly the trail the check passed: a save in between makes the check run again."""
    for _ in range(CHECK_ATTEMPTS):
        checked = integrity.require_exportable(session, keep_events=True)
        with session.read(Do.EXPORT) as db:
            if audit.newest_event(db) != (checked.report.head_seq, checked.report.head_hash):
                continue  # someone saved after the check: their events must be checked too
            return _write_snapshot(session, db, out_dir, checked, pool, progress, cancelled)
    raise ExportFailed("export-trail-moving")


def _write_snapshot(session: SiteSession, db: Session, out_dir: Path, checked: integrity.Integrity,
                    pool: CasebookPool | None, progress: Progress | None,
                    cancelled: Cancelled | None) -> tuple[PendingBundle, ExportContext, SigningIdentity, int]:
    count = export_records.subject_count(db)
    if count == 0:
        raise InvalidInput("nothing-to-export")
    site_kek = session.database.opened.site_kek if session.database.opened else None
    found = stored_identity(db, site_kek)
    if site_kek is None:
        raise PermissionDenied("no-site-key-access")
    identity, key_id = found or (make_identity(db.get_one(Site, 1), session.clock), 0)
    last = _last(db)
    ctx = ExportContext(
        study=session.study, site=export_records.site_facts(db), users=export_records.users(db),
        identity=identity, staging=out_dir, export_seq=(last.seq if last else 0) + 1,
        created_at=session.clock.stamp()[0], app_version=__version__, subject_count=count,
        evidence=_evidence(db, session, checked), signature_meanings=export_records.signature_meanings(db))
    pending = _write(ctx, db, session, export_records.CheckedEvents(checked.events), out_dir,
                     last.manifest_sha256 if last else None, pool, progress, cancelled)
    return pending, ctx, identity, key_id


def _write(ctx: ExportContext, db: Session, session: SiteSession, checked: export_records.CheckedEvents,
           out_dir: Path, previous: str | None, pool: CasebookPool | None, progress: Progress | None,
           cancelled: Cancelled | None) -> PendingBundle:
    """The bundle of the snapshot `db`, whose trail is exactly the events `checked` holds (the caller compared
    the heads): those are written, not read again."""
    try:
        return write_bundle(ctx, export_records.iter_subjects(db, session.study, checked), iter(checked), out_dir,
                            previous_sha256=previous, parts=default_parts(pool), progress=progress,
                            cancelled=cancelled)
    except BundleCancelled as exc:
        raise ExportCancelled(exc.code, **exc.params) from None
    except ExportError as exc:
        raise ExportFailed(exc.code, **exc.params) from None


def _record(session: SiteSession, ctx: ExportContext, pending: PendingBundle, identity: SigningIdentity,
            key_id: int) -> None:
    with session.write(Do.EXPORT) as tx:
        last = _last(tx.db)
        if (last.seq if last else 0) + 1 != ctx.export_seq:
            raise ExportFailed("export-overtaken")
        if key_id == 0:
            assert session.database.opened is not None and session.database.opened.site_kek is not None
            key_id = store_identity(tx, identity, session.database.opened.site_kek)
        tx.db.add(ExportLog(seq=ctx.export_seq, file_name=pending.final.name, manifest_sha256=pending.manifest_sha256,
                            audit_head_seq=ctx.site.audit_head_seq, signing_key_id=key_id,
                            created_at=ctx.created_at, created_by=session.actor.username))
        tx.audit(Change("bundle_exported", item=pending.final.name, new_value=pending.manifest_sha256,
                        reason=f"export {ctx.export_seq}, audit head {ctx.site.audit_head_seq}"))
        tx.db.flush()
        try:
            pending.publish()  # inside the transaction: a failed rename rolls the log back
        except ExportError as exc:
            raise ExportFailed(exc.code, **exc.params) from None


def _evidence(db: Session, session: SiteSession, found: integrity.Integrity) -> BundleEvidence:
    """Seals and key certificates from the same snapshot as the trail, the exporter's key, the finding."""
    if session.actor.signing_key is None:
        raise Bug("a logged-in user has a personal signing key")
    ack = found.acknowledged
    finding = None if found.ok or ack is None else Finding(
        ack.digest, tuple(found.report.problems), ack.by, ack.at_utc, ack.reason)
    return BundleEvidence(tuple(audit.seals(db)), tuple(audit.certificates(db)), session.actor.username,
                          session.actor.signing_key, finding)


def _last(db: Session) -> ExportLog | None:
    return db.scalar(select(ExportLog).order_by(ExportLog.seq.desc()).limit(1))
