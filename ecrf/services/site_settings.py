"""The site's own facts (for the Site tab of the admin screen) and its one setting, the idle lock."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ecrf.services.errors import InvalidInput
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.store.audit import Change
from ecrf.store.models import Site, Subject, User
from ecrf.store.recovery_code import RECOVERY_SLOT

# At least a minute (shorter locks a nurse out while she reads a form); at most an hour, so a shared
# ward PC is never left open for a whole shift. "Never" (0) is not offered: the idle lock is one of
# the access controls of 21 CFR 11.10(d) and must not be switched off from the app.
IDLE_LOCK_MIN, IDLE_LOCK_MAX = 1, 60


@dataclass(frozen=True)
class SiteInfo:
    site_code: str
    site_name: str
    study_oid: str
    study_title: str  # English; the UI takes the label in its language from session.study
    definition_version: str  # the version the site was created under
    loaded_version: str  # the version of the definition this app loaded
    created_at: str  # UTC, ISO 8601
    db_path: Path
    idle_lock_minutes: int
    audit_head_seq: int
    active_users: int
    inactive_users: int
    subjects: int
    recovery_slot: bool  # False would mean the recovery code no longer opens the site


def site_info(session: SiteSession) -> SiteInfo:
    """Basic facts every logged-in user may see (no clinical data): hence the permission every role has."""
    with session.read(Do.CHANGE_OWN_PASSWORD) as db:
        site = db.get_one(Site, 1)
        counts = dict(db.execute(select(User.active, func.count()).group_by(User.active)).all())
        subjects = db.scalar(select(func.count()).select_from(Subject)) or 0
        slots = session.database.slots
        return SiteInfo(
            site_code=site.site_code, site_name=site.site_name, study_oid=site.study_oid,
            study_title=session.study.info.title.en, definition_version=site.definition_version,
            loaded_version=session.study.info.version, created_at=site.created_at,
            db_path=session.database.paths.db, idle_lock_minutes=site.idle_lock_minutes,
            audit_head_seq=site.audit_head_seq, active_users=counts.get(True, 0),
            inactive_users=counts.get(False, 0), subjects=subjects,
            recovery_slot=bool(slots is not None and slots.has_slot(RECOVERY_SLOT)))


def set_idle_lock_minutes(session: SiteSession, minutes: int) -> None:
    """Change after how many idle minutes the app covers itself; audited, and in effect at once."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not IDLE_LOCK_MIN <= minutes <= IDLE_LOCK_MAX:
        raise InvalidInput("idle-lock-out-of-range", low=IDLE_LOCK_MIN, high=IDLE_LOCK_MAX, minutes=minutes)
    with session.write(Do.MANAGE_SITE) as tx:
        site = tx.site
        if site.idle_lock_minutes == minutes:
            return
        tx.audit(Change("site_setting_changed", item="idle_lock_minutes", old_value=str(site.idle_lock_minutes),
                        new_value=str(minutes)))
        site.idle_lock_minutes = minutes
    session.idle_lock_minutes = minutes

