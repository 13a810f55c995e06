"""The audit trail in the database: append-only, hash-chained events (21 CFR 11.10(e)), and the seals and key
certificates that vouch for them (`ecrf.trail`).

The site row keeps the head (sequence and hash), written in the same transaction; but the head row is an
ordinary row that anyone with the data key can move, so the checks trust the seals, not the row alone.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.store import audit_rows
from ecrf.store.clock import Clock, parse_utc
from ecrf.store.models import AuditEvent, KeyCertificateRow, SealRow, SigningKey, Site
from ecrf.trail.chain import CHAINED_FIELDS, GENESIS, Event, event_hash
from ecrf.trail.check import Evidence, Head
from ecrf.trail.seals import KeyCertificate, Seal, marks_sealed_trail

__all__ = ["CHAINED_FIELDS", "GENESIS", "Change", "append", "event_hash", "evidence", "events_in_order", "seal"]


@dataclass(frozen=True)
class Change:
    """What one audit event records, apart from who, when and where."""

    action: str
    subject: str | None = None
    visit: str | None = None
    form: str | None = None
    timepoint: str | None = None
    repeat: int | None = None
    item: str | None = None
    old_value: str | None = None
    old_missing: str | None = None
    new_value: str | None = None
    new_missing: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Stamp:
    """When and where an event happened, for events recorded later (failed logins): their own real time."""

    at_utc: str
    utc_offset_min: int
    workstation: str


def append(db: Session, clock: Clock, username: str, role: str, change: Change,
           stamp: Stamp | None = None, site: Site | None = None) -> None:
    """Add one event to the chain inside the caller's transaction (which holds the write lock). Its row is
    inserted at the session's next flush, with the others queued since (`ecrf.store.audit_rows`). `site`: the
    site row of this session when the caller holds it (a save appends dozens of events)."""
    site = site or db.get(Site, 1)
    assert site is not None, "the site row is created before any event"
    at_utc, offset = (stamp.at_utc, stamp.utc_offset_min) if stamp else clock.stamp()
    # A recorded event keeps its own (earlier) time: that is no sign of a clock set back.
    note = None if stamp else _clock_note(_head_time(db, site.audit_head_seq), at_utc)
    fields: dict[str, object] = {
        "seq": site.audit_head_seq + 1, "at_utc": at_utc, "utc_offset_min": offset,
        "workstation": stamp.workstation if stamp else clock.workstation, "username": username, "role": role,
        **change.__dict__, "clock_note": note, "prev_hash": site.audit_head_hash,
    }
    seq, digest = site.audit_head_seq + 1, event_hash(fields)
    audit_rows.queue(db, {**fields, "hash": digest})
    site.audit_head_seq, site.audit_head_hash = seq, digest  # marks the session dirty: its next flush inserts
    db.info[_APPENDED_KEY] = True
    if not stamp:
        db.info[_HEAD_KEY] = (seq, at_utc)
    if change.action == "seals_started":
        db.info[_STARTED_KEY] = True


def seal(db: Session, clock: Clock, signer: str, private: Ed25519PrivateKey) -> SealRow | None:
    """End a write transaction: the signer's signature over the head it leaves (nothing when it wrote no event)."""
    if not db.info.get(_APPENDED_KEY):
        return None  # no event written in this transaction: nothing to seal
    last = db.scalar(_LAST_SEAL)  # also says whether sealing has started: one query, at every save
    if last is None and not db.info.get(_STARTED_KEY):
        return None  # a site upgraded in place before its `seals_started` event: nothing is sealed yet
    site = db.get(Site, 1)
    assert site is not None
    if site.audit_head_seq <= (last or 0):
        return None  # a head moved back behind an existing seal (tampering): the trail check reports it
    made = Seal.make(site.db_id, site.audit_head_seq, site.audit_head_hash, signer, private, clock.stamp()[0])
    row = SealRow(**made.__dict__)
    db.add(row)
    return row


def sealing_started(db: Session) -> bool:
    """A sealed site has a seal from its first sealed transaction on; the one that starts sealing has only
    its `seals_started` event, still pending (an index lookup, not a scan of the trail)."""
    if db.info.get(_STARTED_KEY):
        return True
    with db.no_autoflush:
        started = db.scalar(select(SealRow.head_seq).limit(1)) is not None
    db.info[_STARTED_KEY] = started or None
    return started


_HEAD_KEY, _STARTED_KEY, _APPENDED_KEY = "ecrf.audit_head", "ecrf.sealing_started", "ecrf.appended"
_LAST_SEAL = select(SealRow.head_seq).order_by(SealRow.head_seq.desc()).limit(1)  # built once: every save runs it


def _head_time(db: Session, head_seq: int) -> str | None:
    """The time of the head event: remembered within a transaction (a save writes dozens of events),
    read otherwise without flushing, so appending queues a row and runs no query."""
    cached = db.info.get(_HEAD_KEY)
    if cached is not None and cached[0] == head_seq:
        return cached[1]
    with db.no_autoflush:
        return db.scalar(select(AuditEvent.at_utc).where(AuditEvent.seq == head_seq))


def _clock_note(last_time: str | None, now: str) -> str | None:
    # A PC clock set back (or a DST/offset mistake) must show in the trail, not reorder it silently.
    if last_time is None or now >= last_time:
        return None
    behind = parse_utc(last_time) - parse_utc(now)
    return f"clock behind the previous event by {_span(behind)}"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{delta.total_seconds():.3f} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def newest_event(db: Session) -> tuple[int, str]:
    """(seq, hash) of the newest event in the trail itself (0 and GENESIS for none): the head a trail check
    walks to, not the site row's copy of it, which a damaged trail may contradict."""
    head = db.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (head.seq, head.hash) if head else (0, GENESIS)


def events_in_order(db: Session) -> Iterable[AuditEvent]:
    return db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000)


def seals(db: Session) -> list[Seal]:
    return [Seal(r.head_seq, r.head_hash, r.signer, r.key_id, r.signature, r.at_utc)
            for r in db.scalars(select(SealRow).order_by(SealRow.head_seq))]


def certificates(db: Session) -> list[KeyCertificate]:
    return [KeyCertificate(r.username, r.public_key, r.head_seq, r.head_hash, r.site_certificate_sha256,
                           r.signature, r.at_utc)
            for r in db.scalars(select(KeyCertificateRow).order_by(KeyCertificateRow.id))]


def site_certificates(db: Session) -> dict[str, x509.Certificate]:
    """Every site certificate by fingerprint (public facts: no key needed to read them)."""
    return {row.fingerprint: x509.load_der_x509_certificate(row.certificate_der)
            for row in db.scalars(select(SigningKey))}


def site_public_keys(certificates: Mapping[str, x509.Certificate]) -> dict[str, ec.EllipticCurvePublicKey]:
    return {fingerprint: public for fingerprint, cert in certificates.items()
            if isinstance(public := cert.public_key(), ec.EllipticCurvePublicKey)}


def evidence(db: Session) -> tuple[Evidence, Iterator[Event]]:
    """What the trail check reads from the database, and the events in order."""
    site = db.get_one(Site, 1)
    site_certs = site_certificates(db)
    found = Evidence(site.db_id, seals(db), certificates(db), site_public_keys(site_certs),
                     Head(site.audit_head_seq, site.audit_head_hash, "the database's head row"),
                     sealed_from_creation=any(marks_sealed_trail(cert) for cert in site_certs.values()))
    return found, event_rows(db)


def event_rows(db: Session) -> Iterator[Event]:
    """The events as plain rows, not ORM objects: the check reads 10,000 of them at every open."""
    columns = [AuditEvent.__table__.c[name] for name in (*CHAINED_FIELDS, "hash")]
    return iter(db.execute(select(*columns).order_by(AuditEvent.seq)).yield_per(5000))
