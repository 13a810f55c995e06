"""Logging in to a site that is on read-only media (a write-protected USB drive, a DVD, a read-only share).

`auth.login` records every login in the audit trail and moves failed logins out of `site.logins`: neither can
be written there. This login writes nothing: it opens the site read-only (`ecrf.store.database`), so the data,
the audit trail and `ecrf audit verify/show` work, and every write service is refused with a message
(`site-opened-read-only`). The login itself is therefore not in the audit trail; callers say so
(`read_only_notice`). A wrong password cannot be counted for the lockout either: it is refused, not recorded."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ecrf.services import auth
from ecrf.services.errors import AccountLocked, LoginFailed
from ecrf.services.session import Actor, SiteSession, slot_of
from ecrf.store.clock import Clock, parse_utc
from ecrf.store.database import open_database, site_is_read_only
from ecrf.store.errors import ReadOnly
from ecrf.store.files import LoginLedger, SitePaths
from ecrf.store.models import User
from ecrf.store.slot_file import NoSuchSlot, WrongSecret
from ecrf.study.model import Study


def login(db_path: Path, study: Study, username: str, password: str, clock: Clock | None = None) -> SiteSession:
    """`auth.login`, or on read-only media a session that only reads (its `database.read_only` is true)."""
    paths = SitePaths(db_path)
    if not (paths.db.is_file() and site_is_read_only(paths)):
        return auth.login(db_path, study, username, password, clock)
    return login_read_only(db_path, study, username, password, clock or Clock())


def login_read_only(db_path: Path, study: Study, username: str, password: str, clock: Clock) -> SiteSession:
    _refuse_if_locked(LoginLedger(SitePaths(db_path).logins), username, clock)
    try:
        database = open_database(db_path, slot_of(username), password)
    except (NoSuchSlot, WrongSecret):
        raise LoginFailed("login-failed-read-only") from None
    try:
        with database.read() as db:
            user = db.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            raise LoginFailed("account-inactive", username=username)
        return SiteSession(database, study, Actor(user.username, user.full_name, user.role,
                                                  user.must_change_password), clock)
    except BaseException:
        database.close()
        raise


def _refuse_if_locked(ledger: LoginLedger, username: str, clock: Clock) -> None:
    """A lock set where the site was writable still holds here (read only: the attempt cannot be added)."""
    until = ledger.account(username).get("locked_until")
    if until and parse_utc(until) > clock.now():
        local = parse_utc(until).astimezone(clock.now().tzinfo).strftime("%H:%M")
        raise AccountLocked("account-locked", username=username, failures=auth.MAX_FAILURES, until=local)


def read_only_notice(session: SiteSession) -> ReadOnly | None:
    """What to tell the user after logging in to a read-only site (shown, not raised), else None."""
    if not session.database.read_only:
        return None
    return ReadOnly("opened-read-only", db=session.database.paths.db)


def lock(session: SiteSession, *, by_user: bool = False) -> None:
    """`auth.lock`; on a read-only site the cover goes up without its audit event (which cannot be written)."""
    if session.database.read_only:
        session.locked = True
        return
    auth.lock(session, by_user=by_user)


def reauthenticate(session: SiteSession, password: str) -> None:
    """`auth.reauthenticate`; on a read-only site the password is checked by its slot and nothing is written."""
    if not session.database.read_only:
        auth.reauthenticate(session, password)
        return
    _refuse_if_locked(LoginLedger(session.database.paths.logins), session.actor.username, session.clock)
    slots = session.database.slots
    try:
        if slots is None:
            raise WrongSecret("wrong-password", slot=slot_of(session.actor.username))
        slots.unlock(slot_of(session.actor.username), password)
    except (NoSuchSlot, WrongSecret):
        raise LoginFailed("password-wrong-read-only") from None  # the lock screen: only the password is typed
    session.locked = False
