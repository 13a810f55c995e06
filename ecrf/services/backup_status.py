"""When the last backup was made, read from the audit trail (the one record every backup leaves, from the
GUI and from `ecrf backup` alike), and whether the site administrator should be reminded to make one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.store.clock import parse_utc
from ecrf.store.models import AuditEvent

# A week: a ward site enters data on most days, and a week is as much as it can afford to type again.
# A constant, not a site setting: the reminder only speaks, it never blocks, so there is nothing to tune.
BACKUP_REMINDER_DAYS = 7


@dataclass(frozen=True)
class LastBackup:
    at_utc: str
    file_name: str
    username: str

    def age(self, now: datetime) -> timedelta:
        return now - parse_utc(self.at_utc)


def last_backup(session: SiteSession) -> LastBackup | None:
    """The newest backup that was not followed by its failure (`backup` is audited before the copy is
    written and `backup_failed` after a copy that could not be); None when the site has never had one."""
    with session.read(Do.BACKUP) as db:
        events = db.execute(select(AuditEvent.action, AuditEvent.new_value, AuditEvent.at_utc, AuditEvent.username)
                            .where(AuditEvent.action.in_(("backup", "backup_failed")))
                            .order_by(AuditEvent.seq.desc())).all()
    failed: set[str | None] = set()
    for action, name, at_utc, username in events:
        if action == "backup_failed":
            failed.add(name)
        elif name not in failed:
            return LastBackup(at_utc, name or "", username)
    return None


def backup_overdue(found: LastBackup | None, now: datetime) -> bool:
    """Is a reminder due: no backup yet, or the last one older than BACKUP_REMINDER_DAYS?"""
    return found is None or found.age(now) > timedelta(days=BACKUP_REMINDER_DAYS)
