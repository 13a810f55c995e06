"""Personal signing keys and the site signing key at login, user changes and site setup.

- Every user's key slot seals a personal Ed25519 key; its public half enters the trail (`key_issued`) in a
  transaction sealed by the administrator who set the password (or, for a site made before seals, by the
  user at their first login after the upgrade). Whoever may reach the site key certifies their own key with it.
- The site signing key (bundles, PDFs) is kept sealed under a key that only the slots of users who may export,
  and administrators, hold: a read-only or monitor password cannot reach it.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from ecrf.services.errors import IntegrityAlarm
from ecrf.services.permissions import Do, may
from ecrf.services.session import Tx, slot_of
from ecrf.services.signing import seal_site_key, stored_identity
from ecrf.store.audit import Change, sealing_started
from ecrf.store.keyslots import KeySlots, OpenedSlot
from ecrf.store.models import AuditEvent, KeyCertificateRow, SigningKey, User
from ecrf.store.recovery_code import RECOVERY_SLOT
from ecrf.trail.keys import KEY_ISSUED, SEALS_STARTED
from ecrf.trail.seals import KeyCertificate


def may_hold_site_key(role: str) -> bool:
    return may(role, Do.EXPORT) or may(role, Do.MANAGE_USERS)


def registered_key(tx: Tx, username: str) -> str | None:
    """The public key the trail last issued to `username` (hex), or None."""
    with tx.db.no_autoflush:
        return tx.db.scalar(select(AuditEvent.new_value).where(AuditEvent.action == KEY_ISSUED,
                                                               AuditEvent.item == username)
                            .order_by(AuditEvent.seq.desc()).limit(1))


def check_role(tx: Tx) -> None:
    """The role in the users table must be the one the trail last gave: a role written into the table
    outside ecrf (with the data key) would otherwise grant its powers for as long as the session lasts."""
    username = tx.actor.username
    with tx.db.no_autoflush:
        trail_role = tx.db.scalar(select(AuditEvent.new_value).where(
            AuditEvent.action.in_(("user_added", "role_changed")), AuditEvent.item == username)
            .order_by(AuditEvent.seq.desc()).limit(1))
    if trail_role is not None and trail_role != tx.actor.role:
        raise IntegrityAlarm("role-mismatch", username=username, stored=tx.actor.role, trail=trail_role)


def start_sealing(tx: Tx, why: str) -> None:
    if not sealing_started(tx.db):
        tx.audit(Change(SEALS_STARTED, reason=why))


def issue_key(tx: Tx, username: str, public_hex: str, why: str) -> None:
    tx.audit(Change(KEY_ISSUED, item=username, new_value=public_hex, reason=why))


def personal_key_at_login(tx: Tx, slots: KeySlots, opened: OpenedSlot) -> OpenedSlot:
    """The user's key as the trail knows it; made and registered now for a slot from before personal keys.
    A slot key that differs from the registered one means someone else made this slot or changed the trail."""
    username = tx.actor.username
    if opened.signing_key is None:
        opened = slots.add_signing_key(opened)
    public = opened.signing_public_hex
    assert public is not None
    registered = registered_key(tx, username)
    if registered is None:
        start_sealing(tx, "first login after the upgrade to sealed transactions")
        issue_key(tx, username, public, "registered by its owner at the first login after the upgrade")
    elif registered != public:
        raise IntegrityAlarm("personal-key-mismatch", username=username)
    tx.actor.signing_key = opened.signing_key
    return opened


def certify_own_key(tx: Tx, opened: OpenedSlot) -> None:
    """Have the site key vouch for this user's key and the head it leaves (once per key)."""
    public = opened.signing_public_hex
    if opened.site_kek is not None and public is not None:
        certify_key(tx, tx.actor.username, public, opened.site_kek)


def certify_key(tx: Tx, username: str, public: str, site_kek: bytes) -> None:
    exists = tx.db.scalar(select(KeyCertificateRow.id).where(KeyCertificateRow.username == username,
                                                             KeyCertificateRow.public_key == public).limit(1))
    found = None if exists is not None else stored_identity(tx.db, site_kek)
    if found is None:
        return  # certified already, or the site has no key yet (made at its first export; certified after)
    identity = found[0]
    tx.audit(Change("key_certified", item=username, new_value=public,
                    reason=f"certified by the site key {identity.fingerprint[:16]}"))
    site = tx.site
    cert = KeyCertificate.make(site.db_id, username, public, site.audit_head_seq, site.audit_head_hash,
                               identity.key, identity.fingerprint, tx.now_text())
    tx.db.add(KeyCertificateRow(**cert.__dict__))


def seal_clear_site_keys(tx: Tx, slots: KeySlots, opened: OpenedSlot) -> OpenedSlot:
    """A site from before this version keeps its site key in clear inside the database, where any password
    reaches it: seal it and grant the sealing key to the slots of the roles that may sign bundles."""
    clear = tx.db.scalars(select(SigningKey).where(SigningKey.sealed_key.is_(None))).all()
    someone_holds_it = any(slots.has_site_key(slot) for slot in slots.slot_ids)
    if someone_holds_it and (not clear or opened.site_kek is None):
        return opened
    # No slot holds a site key yet (a site from before this version): make the key that will seal it.
    site_kek = opened.site_kek or secrets.token_bytes(32)
    tx.db.connection().exec_driver_sql("PRAGMA secure_delete = ON")  # overwrite the clear key's old bytes
    for row in clear:
        row.sealed_key, row.key_der = seal_site_key(row.key_der, site_kek, row.fingerprint), b""
    grant_site_key_to_roles(tx, slots, site_kek)
    if clear:
        tx.audit(Change("site_key_sealed", reason="the site signing key is now sealed to the roles that may export"))
    return OpenedSlot(opened.slot_id, opened.data_key, opened.signing_key,
                      site_kek if slots.has_site_key(opened.slot_id) else None, opened.kek)


def grant_site_key_to_roles(tx: Tx, slots: KeySlots, site_kek: bytes) -> None:
    for user in tx.db.scalars(select(User).where(User.active.is_(True))):
        slot = slot_of(user.username)
        if slots.has_slot(slot):
            if may_hold_site_key(user.role):
                slots.grant_site_key(slot, site_kek)
            else:
                slots.revoke_site_key(slot)
    if slots.has_slot(RECOVERY_SLOT):
        slots.grant_site_key(RECOVERY_SLOT, site_kek)


def grant_for_role(slots: KeySlots, username: str, role: str, site_kek: bytes | None) -> None:
    """After a new slot or a role change: the site key follows the role."""
    slot = slot_of(username)
    if not slots.has_slot(slot):
        return
    if may_hold_site_key(role) and site_kek is not None:
        slots.grant_site_key(slot, site_kek)
    elif not may_hold_site_key(role):
        slots.revoke_site_key(slot)
