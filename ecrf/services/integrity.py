"""The trail check as the site runs it: at every open (in the background), before every export and on demand;
its findings are audited once, shown to every user, and block export until an administrator records a reason.

A finding is identified by the digest of its problems: the same problems found again are not audited again,
and an acknowledgement covers exactly the problems it was given for; a new problem blocks export again.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ecrf.export.bundle.identity import certificate_fingerprint
from ecrf.export.bundle.manifest_sig import manifest_signer
from ecrf.services.errors import IntegrityAlarm, InvalidInput, WrongState
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.store import audit
from ecrf.store.audit import Change
from ecrf.store.models import AuditEvent, SigningKey
from ecrf.trail.chain import Event
from ecrf.trail.check import TrailReport
from ecrf.trail.roles import ACTION_ROLES

FOUND, ACKNOWLEDGED = "trail_check_failed", "trail_finding_acknowledged"
MAX_COPY_MEMBER = 64 << 20


@dataclass(frozen=True)
class Acknowledgement:
    digest: str
    by: str
    at_utc: str
    reason: str


@dataclass
class Integrity:
    """A trail check with what the site has recorded about its problems."""

    report: TrailReport
    digest: str | None  # of the problems; None when there are none
    acknowledged: Acknowledgement | None = None  # the acknowledgement that covers exactly these problems
    notes: list[str] = field(default_factory=list)
    events: Sequence[Event] = ()  # the events checked, in order, when the caller asked to keep them (the export)

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def blocking(self) -> bool:
        """Export is refused: there are problems no administrator has recorded a reason for."""
        return not self.report.ok and self.acknowledged is None


def problems_digest(problems: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(problems)).encode("utf-8")).hexdigest()


def check(session: SiteSession, record: bool = True, keep_events: bool = False) -> Integrity:
    """Run the whole check; a new set of problems is audited (once) when `record`; the events read are kept in
    the result with `keep_events`."""
    session.require(Do.VERIFY_AUDIT)
    kept: list[Event] | None = [] if keep_events else None
    report = session.database.check_trail(kept)
    digest = problems_digest(report.problems) if report.problems else None
    result = Integrity(report, digest, _acknowledgement(session, digest), events=kept or ())
    # A site on read-only media cannot record the finding: it is reported, and recorded where it is writable.
    if digest and record and not session.database.read_only and not _already_recorded(session, digest):
        _record_finding(session, report, digest)
    return result


def _acknowledgement(session: SiteSession, digest: str | None) -> Acknowledgement | None:
    if digest is None:
        return None
    with session.database.read() as db:
        # Only an administrator's counts: the trail check refuses anyone else's as well (ecrf.trail.roles), and the
        # problem it then reports changes the digest, but the export must not hinge on that alone.
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == ACKNOWLEDGED, AuditEvent.new_value == digest,
                                                   AuditEvent.role.in_(ACTION_ROLES[ACKNOWLEDGED]))
                          .order_by(AuditEvent.seq.desc()).limit(1))
        return Acknowledgement(digest, event.username, event.at_utc, event.reason or "") if event else None


def _already_recorded(session: SiteSession, digest: str) -> bool:
    with session.database.read() as db:
        return db.scalar(select(AuditEvent.seq).where(AuditEvent.action == FOUND, AuditEvent.new_value == digest)
                         .limit(1)) is not None


def _record_finding(session: SiteSession, report: TrailReport, digest: str) -> None:
    # Every role records it: whoever opens the site first after the damage is the one who saw it.
    with session.write(Do.CHANGE_OWN_PASSWORD) as tx:
        tx.audit(Change(FOUND, new_value=digest, item=str(len(report.problems)),
                        reason="; ".join(report.problems[:5])[:2000]))


def acknowledge(session: SiteSession, reason: str) -> Acknowledgement:
    """An administrator records why the site goes on despite the finding; export is possible again and every
    bundle carries the finding with this reason."""
    if not reason.strip():
        raise InvalidInput("finding-reason-required")
    session.require(Do.MANAGE_USERS)
    found = check(session)
    if found.digest is None:
        raise WrongState("no-finding-to-acknowledge")
    with session.write(Do.MANAGE_USERS) as tx:
        tx.audit(Change(ACKNOWLEDGED, new_value=found.digest, item=str(len(found.report.problems)),
                        reason=reason.strip()))
        at = tx.now_text()
    return Acknowledgement(found.digest, session.actor.username, at, reason.strip())


def require_exportable(session: SiteSession, keep_events: bool = False) -> Integrity:
    """Before every export: the check runs again; unacknowledged problems refuse the export. With `keep_events`
    the result holds the events checked, which the export then writes."""
    found = check(session, keep_events=keep_events)
    if found.blocking:
        raise IntegrityAlarm("export-blocked-by-finding", count=len(found.report.problems),
                             problem=found.report.problems[0])
    return found


# -- `ecrf audit verify --against COPY` ---------------------------------------------------------------------

@dataclass(frozen=True)
class CopyHead:
    source: str
    seq: int
    hash: str


def against(session: SiteSession, copy: Path) -> tuple[CopyHead, str | None]:
    """Does the site's trail still hold the head of `copy` (a bundle or a backup), same hash at the same
    sequence? The problem in words, or None. Catches a cut made after the copy left the PC."""
    session.require(Do.VERIFY_AUDIT)
    head = read_copy_head(session, copy)
    with session.database.read() as db:
        event = db.get(AuditEvent, head.seq) if head.seq else None
        last, _ = audit.newest_event(db)
    if head.seq and event is None:
        return head, (f"the trail ends at event {last}, but {head.source} was made when it had reached event "
                      f"{head.seq}: events were cut since that copy was made")
    if event is not None and event.hash != head.hash:
        return head, (f"event {head.seq} is not the one {head.source} holds: the trail was rewritten since that "
                      "copy was made")
    return head, None


def read_copy_head(session: SiteSession, copy: Path) -> CopyHead:
    if copy.is_dir():
        raise InvalidInput("against-is-folder", path=copy)
    if not copy.exists():
        raise InvalidInput("against-missing", path=copy)
    try:
        with zipfile.ZipFile(copy) as archive:
            names = set(archive.namelist())
            if "manifest.json" in names:
                return _bundle_head(session, archive, copy)
            if "backup.json" in names:
                doc = json.loads(_member(archive, "backup.json"))
                return CopyHead(f"the backup {copy.name}", int(doc["audit_head_seq"]), str(doc["audit_head_hash"]))
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("against-unreadable", path=copy, reason=getattr(exc, "strerror", None) or exc) from None
    raise InvalidInput("against-not-a-copy", path=copy)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > MAX_COPY_MEMBER:
        raise zipfile.BadZipFile(f"{name} is too large")
    return archive.read(name)


def _bundle_head(session: SiteSession, archive: zipfile.ZipFile, copy: Path) -> CopyHead:
    """A bundle's head counts only if this site's key signed its manifest."""
    manifest = _member(archive, "manifest.json")
    signer = certificate_fingerprint(manifest_signer(manifest, _member(archive, "manifest.sig")))
    with session.database.read() as db:
        ours = set(db.scalars(select(SigningKey.fingerprint)))
    if signer not in ours:
        raise InvalidInput("against-other-site", path=copy)
    audit = json.loads(manifest)["audit"]
    return CopyHead(f"the bundle {copy.name}", int(audit["head_seq"]), str(audit["head_hash"]))
