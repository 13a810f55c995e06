"""The site's signing key: made at site setup (or at the first export of a site set up before bundles
existed), kept inside the encrypted database, its certificate printed for the sponsor to register."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.export.bundle.identity import SigningIdentity, certificate_fingerprint, new_identity
from ecrf.services.errors import IntegrityAlarm, PermissionDenied
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession, Tx
from ecrf.store.audit import Change
from ecrf.store.clock import Clock
from ecrf.store.models import SigningKey, Site

_NONCE = 12


# -- the site signing key, sealed to the roles that may sign bundles (ecrf.services.keys grants them) --

def _aad(fingerprint: str) -> bytes:
    return f"ecrf site signing key {fingerprint}".encode()


def seal_site_key(key_der: bytes, site_kek: bytes, fingerprint: str) -> bytes:
    nonce = secrets.token_bytes(_NONCE)
    return nonce + AESGCM(site_kek).encrypt(nonce, key_der, _aad(fingerprint))


def open_site_key(row: SigningKey, site_kek: bytes) -> bytes:
    if row.sealed_key is None:
        return row.key_der
    try:
        return AESGCM(site_kek).decrypt(row.sealed_key[:_NONCE], row.sealed_key[_NONCE:], _aad(row.fingerprint))
    except (InvalidTag, ValueError):
        raise IntegrityAlarm("no-site-key-access") from None



@dataclass(frozen=True)
class CertificateInfo:
    pem: str
    fingerprint: str  # SHA-256 of the DER certificate, lower-case hex
    subject: str
    not_before: str
    not_after: str
    created_at: str  # when the key was made (UTC)


def stored_identity(db: Session, site_kek: bytes | None) -> tuple[SigningIdentity, int] | None:
    """The newest signing key and its row id, or None for a site that has none yet. The key is sealed:
    only a slot of a role that may sign bundles holds `site_kek`."""
    row = db.scalar(select(SigningKey).order_by(SigningKey.id.desc()).limit(1))
    if row is None:
        return None
    if site_kek is None and row.sealed_key is not None:
        raise PermissionDenied("no-site-key-access")
    return SigningIdentity.from_der(open_site_key(row, site_kek or b""), row.certificate_der), row.id


def certificate_row(db: Session) -> SigningKey | None:
    return db.scalar(select(SigningKey).order_by(SigningKey.id.desc()).limit(1))


def make_identity(site: Site, clock: Clock, *, sealed_trail: bool = False) -> SigningIdentity:
    """`sealed_trail` only at `ecrf init`: a key made later (a site from before seals, at its first export) must
    not claim a trail sealed from the first event."""
    return new_identity(site.study_oid, site.site_code, site.site_name, clock.now(), installation_id=site.db_id,
                        sealed_trail=sealed_trail)


def store_identity(tx: Tx, identity: SigningIdentity, site_kek: bytes) -> int:
    """Keep a new key in the database, sealed (same transaction as whatever first needs it), and audit it."""
    row = SigningKey(key_der=b"", sealed_key=seal_site_key(identity.key_der(), site_kek, identity.fingerprint),
                     certificate_der=identity.certificate_der, fingerprint=identity.fingerprint,
                     created_at=tx.now_text())
    tx.db.add(row)
    tx.db.flush()
    tx.audit(Change("signing_key_created", item="certificate_sha256", new_value=identity.fingerprint))
    return row.id


def site_certificate(session: SiteSession) -> CertificateInfo:
    """The certificate every bundle is signed with; made now if the site has none yet (by a user who may
    export or manage the site), so the sponsor can register it before the first bundle arrives."""
    with session.read(Do.CHANGE_OWN_PASSWORD) as db:  # public facts: every logged-in user may see them
        row = certificate_row(db)
        found = (x509.load_der_x509_certificate(row.certificate_der), row.created_at) if row else None
    if found is None:
        action = next((a for a in (Do.EXPORT, Do.MANAGE_SITE) if may(session.actor.role, a)), None)
        site_kek = session.database.opened.site_kek if session.database.opened else None
        if action is None or site_kek is None:
            raise PermissionDenied("no-signing-key")
        with session.write(action) as tx:
            identity = make_identity(tx.site, session.clock)
            store_identity(tx, identity, site_kek)
            created = tx.now_text()
        found = identity.certificate, created
    cert, created = found
    pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return CertificateInfo(pem, certificate_fingerprint(cert), cert.subject.rfc4514_string(),
                           cert.not_valid_before_utc.isoformat(), cert.not_valid_after_utc.isoformat(), created or "")
