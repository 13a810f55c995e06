"""Site setup: a new encrypted database, its first administrator and the recovery code (shown once)."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from ecrf.services import keys
from ecrf.services.auth import check_password_rules
from ecrf.services.errors import InvalidInput
from ecrf.services.session import Actor, SiteSession, sealed_write, slot_of
from ecrf.services.signing import make_identity, store_identity
from ecrf.store.audit import GENESIS, Change
from ecrf.store.clock import Clock
from ecrf.store.database import create_database, remove_site_files
from ecrf.store.keyslots import KeySlots, new_data_key
from ecrf.store.models import Site, User
from ecrf.store.recovery_code import RECOVERY_SLOT, new_recovery_code, normalise_recovery_code
from ecrf.study.model import Study
from ecrf.study.status import SYSTEM_USER

SITE_CODE = re.compile(r"^[A-Z0-9]{2,10}$")
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")


@dataclass(frozen=True)
class NewSite:
    session: SiteSession
    recovery_code: str


def check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise InvalidInput("username-invalid", username=username)
    if username.lower() == SYSTEM_USER:  # the automatic queries' author: no person may act under that name
        raise InvalidInput("username-reserved", username=username)


def check_new_site(site_code: str, admin_username: str, admin_full_name: str, admin_password: str) -> None:
    """The checks of `create_site`'s input, before anything is made (the app runs them in its dialog)."""
    if not SITE_CODE.match(site_code):
        raise InvalidInput("site-code-invalid", site_code=site_code)
    check_username(admin_username)
    check_password_rules(admin_username, admin_password)
    if not admin_full_name.strip():
        raise InvalidInput("admin-full-name-required")


def create_site(db_path: Path, study: Study, site_code: str, site_name: str, admin_username: str,
                admin_full_name: str, admin_password: str, clock: Clock | None = None) -> NewSite:
    """Create the site database and log its administrator in. Nothing is left behind if any step fails."""
    clock = clock or Clock()
    check_new_site(site_code, admin_username, admin_full_name, admin_password)
    database, data_key = create_database(db_path)
    try:
        db_id, recovery_code = str(uuid.uuid4()), new_recovery_code()
        slots = KeySlots.new(db_id, data_key)
        recovery_key = slots.add_slot(RECOVERY_SLOT, normalise_recovery_code(recovery_code), data_key)
        admin_key = slots.add_slot(slot_of(admin_username), admin_password, data_key)
        site_kek = new_data_key()  # opens the site signing key: sealed to the admin's and the recovery slot
        for slot in (slot_of(admin_username), RECOVERY_SLOT):
            slots.grant_site_key(slot, site_kek)
        database.slots = slots
        database.opened = opened = slots.open(slot_of(admin_username), admin_password)
        actor = Actor(admin_username, admin_full_name.strip(), "site_admin", signing_key=opened.signing_key)
        with sealed_write(database, clock, actor) as tx:
            db, now = tx.db, clock.stamp()[0]
            db.add(Site(id=1, db_id=db_id, study_oid=study.info.oid, site_code=site_code, site_name=site_name.strip(),
                        definition_version=study.info.version, definition_fingerprint=study.fingerprint,
                        recovery_public_key=recovery_key, created_at=now, idle_lock_minutes=10,
                        next_screening_no=1, next_subject_no=1, audit_head_seq=0, audit_head_hash=GENESIS))
            db.add(User(username=admin_username, full_name=actor.full_name, role="site_admin", active=True,
                        slot_public_key=admin_key, password_changed_at=now, must_change_password=False,
                        created_at=now))
            db.flush()
            keys.start_sealing(tx, "site created with sealed transactions")
            tx.audit(Change("site_created", new_value=f"{study.info.oid} {site_code} {site_name.strip()}",
                            reason=f"definition {study.info.version} sha256 {study.fingerprint}"))
            tx.audit(Change("user_added", item=admin_username, new_value="site_admin"))
            keys.issue_key(tx, admin_username, opened.signing_public_hex or "", "the first administrator's key")
            tx.audit(Change("recovery_slot_created"))
            keys.issue_key(tx, RECOVERY_SLOT, slots.signing_public(RECOVERY_SLOT) or "", "the recovery code's key")
            store_identity(tx, make_identity(tx.site, clock, sealed_trail=True), site_kek)  # bundles are signed with it
            keys.certify_key(tx, admin_username, opened.signing_public_hex or "", site_kek)
            keys.certify_key(tx, RECOVERY_SLOT, slots.signing_public(RECOVERY_SLOT) or "", site_kek)
            database.save_slots(slots)
        return NewSite(SiteSession(database, study, actor, clock), recovery_code)
    except BaseException:
        database.close()
        remove_site_files(database.paths)
        raise
