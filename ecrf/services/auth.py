"""Login with lockout, re-authentication after the idle lock, password changes and the recovery code.

A password is checked by opening its key slot: there is no password hash in the database to steal."""
from __future__ import annotations

import math
import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ecrf.errors import Bug
from ecrf.services import keys
from ecrf.services.errors import (
    AccountLocked,
    InvalidInput,
    LoginFailed,
    NotFound,
)
from ecrf.services.permissions import Do
from ecrf.services.session import Actor, SiteSession, Tx, sealed_write, slot_of
from ecrf.store.audit import Change, Stamp
from ecrf.store.clock import Clock, parse_utc, utc_text
from ecrf.store.database import Database, open_database
from ecrf.store.files import LoginLedger, SitePaths
from ecrf.store.models import AuditEvent, FailedLogin, User
from ecrf.store.recovery_code import RECOVERY_SLOT, normalise_recovery_code
from ecrf.store.slot_file import NoSuchSlot, WrongSecret
from ecrf.study.model import Study

MAX_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
MIN_PASSWORD = 8


def login(db_path: Path, study: Study, username: str, password: str, clock: Clock | None = None) -> SiteSession:
    """Open the site as `username`; failed attempts are counted, locked out after five, and audited."""
    clock = clock or Clock()
    ledger = LoginLedger(SitePaths(db_path).logins)
    _refuse_if_locked(ledger, username, clock)
    try:
        database = open_database(db_path, slot_of(username), password)
    except (NoSuchSlot, WrongSecret):
        raise _failed(ledger, username, clock) from None
    try:
        session = _start_session(database, study, username, clock, ledger)
        _strengthen_weak_slot(session, password)
        return session
    except BaseException:
        database.close()
        raise


def _strengthen_weak_slot(session: SiteSession, password: str) -> None:
    """A slot made with the test suite's weak parameters (ECRF_KDF_PROFILE=fast set by mistake on a real
    site) is sealed again with parameters calibrated on this PC, at its owner's first login without it."""
    slots, slot = session.database.slots, slot_of(session.actor.username)
    if slots is None or os.environ.get("ECRF_KDF_PROFILE") == "fast" or not slots.weak(slot):
        return
    with sealed_write(session.database, session.clock, session.actor) as tx:
        slots.change_secret(slot, password, password)
        tx.audit(Change("key_slot_strengthened", item=session.actor.username,
                        reason="key derivation parameters calibrated on this PC replace weak test parameters"))
        tx.db.flush()
        session.database.save_slots(slots)


def _refuse_if_locked(ledger: LoginLedger, username: str, clock: Clock) -> None:
    until = ledger.account(username).get("locked_until")
    if until and parse_utc(until) > clock.now():
        at_utc, offset = clock.stamp()
        ledger.record_failure(username, at_utc, clock.workstation, "account locked", until, counts=False,
                              utc_offset_min=offset)
        local = parse_utc(until).astimezone(clock.now().tzinfo).strftime("%H:%M")
        if username == RECOVERY_SLOT:
            raise AccountLocked("recovery-code-locked", failures=MAX_FAILURES, until=local)
        raise AccountLocked("account-locked", username=username, failures=MAX_FAILURES, until=local)


def _failed(ledger: LoginLedger, username: str, clock: Clock, what: str | None = None, *,
            password_only: bool = False) -> LoginFailed | AccountLocked:
    """Count a failed attempt for `username` (locked out after MAX_FAILURES) and say so. `password_only`: the
    username was not typed or is known to be right (the lock screen, a signature), so the message names the
    password alone."""
    failures = int(ledger.account(username)["failures"]) + 1
    locked_until = None
    if failures >= MAX_FAILURES:
        # The wait doubles with every further failure: 1, 2, 4 ... minutes, at most an hour.
        wait = min(FIRST_LOCK * 2 ** (failures - MAX_FAILURES), LONGEST_LOCK)
        locked_until = utc_text(clock.now() + wait)
    at_utc, offset = clock.stamp()
    what = what or ("wrong recovery code" if username == RECOVERY_SLOT else "wrong username or password")
    ledger.record_failure(username, at_utc, clock.workstation, what, locked_until, utc_offset_min=offset)
    if locked_until:
        # Rounded up: a 2-minute lock read a moment later is still "2 minutes", not "1".
        minutes = max(1, math.ceil((parse_utc(locked_until) - clock.now()).total_seconds() / 60))
        if username == RECOVERY_SLOT:
            local = parse_utc(locked_until).astimezone(clock.now().tzinfo).strftime("%H:%M")
            return AccountLocked("recovery-code-locked", failures=failures, until=local)
        return AccountLocked("password-wrong-now-locked" if password_only else "login-failed-now-locked",
                             username=username, minutes=minutes, failures=failures)
    left = MAX_FAILURES - failures
    if password_only:
        return LoginFailed("password-wrong", left=left, username=username)
    return LoginFailed("login-failed", left=left)


def _start_session(database: Database, study: Study, username: str, clock: Clock, ledger: LoginLedger) -> SiteSession:
    with database.read() as db:
        user = db.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise LoginFailed("account-inactive", username=username)
    session = SiteSession(database, study, Actor(user.username, user.full_name, user.role,
                                                 user.must_change_password), clock)
    pending = ledger.pending()
    with sealed_write(database, clock, session.actor) as tx:
        session_keys(tx)
        reached = _check_ledger(tx, ledger)
        record_failed_logins(tx, pending)
        tx.audit(Change("login", new_value=f"{LEDGER_MARK}{reached}"))
    if ledger.damaged or ledger.serial != reached:
        ledger.restart_at(reached)
    ledger.drop_pending(len(pending))
    ledger.clear(username)
    return session


def session_keys(tx: Tx) -> None:
    """At the start of a session: the site key sealed (a site from before seals), the user's personal key
    checked against the trail (made and registered for a slot from before personal keys) and certified by the
    site key when the user holds it. The slot file is saved before the commit: a key the trail does not
    know yet is registered at the next login, whereas a registered key missing from the file could not be."""
    database = tx.database
    slots, opened = database.slots, database.opened
    if slots is None or opened is None:
        raise Bug("a site opened by a password has its key slots")
    before = slots.fingerprint()
    keys.check_role(tx)
    opened = keys.seal_clear_site_keys(tx, slots, opened)
    opened = keys.personal_key_at_login(tx, slots, opened)
    keys.certify_own_key(tx, opened)
    if slots.fingerprint() != before:
        tx.db.flush()
        database.save_slots(slots)
    database.opened = opened


LEDGER_MARK = "failed-login record "


def _check_ledger(tx: Tx, ledger: LoginLedger) -> int:
    """Is the file of failed logins the one the last login left (its serial not gone back)? A damaged,
    deleted or replaced file is audited; returns the serial numbering goes on from."""
    last = tx.db.scalar(select(AuditEvent.new_value).where(AuditEvent.action == "login",
                                                           AuditEvent.new_value.like(f"{LEDGER_MARK}%"))
                        .order_by(AuditEvent.seq.desc()).limit(1))
    reached = int(last[len(LEDGER_MARK):]) if last and last[len(LEDGER_MARK):].isdigit() else 0
    now = ledger.serial
    if ledger.damaged:
        tx.audit(Change("login_ledger_damaged", item=ledger.path.name, old_value=str(reached),
                        reason="the file of failed logins could not be read; what it held is lost"))
    elif now < reached:
        tx.audit(Change("login_ledger_reset", item=ledger.path.name, old_value=str(reached), new_value=str(now),
                        reason="the file of failed logins was deleted or replaced since the last login"))
    return max(now, reached)


def record_failed_logins(tx: Tx, pending: list[dict[str, str]]) -> None:
    """Failures seen while the database was closed join the audit trail, with their own time. One already
    there was moved in by a login killed before it could drop it from the ledger: it is not added twice."""
    for record in pending:
        ledger_id = record.get("id")
        if ledger_id and tx.db.scalar(select(FailedLogin.id).where(FailedLogin.ledger_id == ledger_id)) is not None:
            continue
        tx.db.add(FailedLogin(username=record["username"], at_utc=record["at_utc"],
                              workstation=record["workstation"], reason=record["reason"], ledger_id=ledger_id))
        # The event names the attempted account and keeps the attempt's own time and workstation; the seal
        # of this transaction is the recorder's, and the reason says so.
        offset = record.get("utc_offset_min")
        tx.record(record["username"], Change(
            "login_failed", item=record["username"], new_value=record["at_utc"],
            reason=f"{record['reason']} at {record['workstation']}"
                   + (f"; locked until {record['locked_until']}" if record.get("locked_until") else "")
                   + f"; recorded at the login of {tx.actor.username}"),
            Stamp(record["at_utc"], offset if isinstance(offset, int) else 0, record["workstation"]))


def reauthenticate(session: SiteSession, password: str) -> None:
    """Unlock a session covered by the idle lock; a wrong password counts as a failed login."""
    slots = session.database.slots
    assert slots is not None
    ledger = LoginLedger(session.database.paths.logins)
    _refuse_if_locked(ledger, session.actor.username, session.clock)
    try:
        slots.unlock(slot_of(session.actor.username), password)
    except (NoSuchSlot, WrongSecret):
        raise _failed(ledger, session.actor.username, session.clock, password_only=True) from None
    session.locked = False
    session.esign_open = False
    pending = ledger.pending()
    with session.write(Do.CHANGE_OWN_PASSWORD) as tx:  # every role may; it only writes audit events
        record_failed_logins(tx, pending)
        tx.audit(Change("unlock"))
    ledger.drop_pending(len(pending))
    ledger.clear(session.actor.username)


def confirm_password(session: SiteSession, password: str, what: str, *, username: str | None = None) -> None:
    """The logged-in user proves who they are again (an electronic signature, 21 CFR 11.200): `password`, and
    `username` when given, must be theirs. A failure counts toward the lockout exactly like a failed login and
    joins the audit trail at once (the session is open)."""
    session.require(Do.CHANGE_OWN_PASSWORD)  # every role may; refused while the session is locked
    slots = session.database.slots
    assert slots is not None
    own = session.actor.username
    ledger = LoginLedger(session.database.paths.logins)
    _refuse_if_locked(ledger, own, session.clock)
    own_name = username is None or username.strip() == own
    proven = own_name  # another user's name fails like a wrong password (esign.sign refuses it before)
    try:
        if proven:
            slots.unlock(slot_of(own), password)
    except (NoSuchSlot, WrongSecret):
        proven = False
    if not proven:
        failure = _failed(ledger, own, session.clock, what, password_only=own_name)
        pending = ledger.pending()
        with session.write(Do.CHANGE_OWN_PASSWORD) as tx:  # every role may; it only writes audit events
            record_failed_logins(tx, pending)
        ledger.drop_pending(len(pending))
        raise failure
    ledger.clear(own)


def lock(session: SiteSession, *, by_user: bool = False) -> None:
    """Cover the session, audited as what it was: `user_lock` when the user chose to lock (Session › Lock now),
    `idle_lock` after the site's idle time."""
    with session.write(Do.CHANGE_OWN_PASSWORD) as tx:
        tx.audit(Change("user_lock" if by_user else "idle_lock"))
    session.locked = True
    session.esign_open = False


def log_out(session: SiteSession) -> None:
    """End the session: audited (when the database is still reachable), then the database is closed."""
    session.esign_open = False
    try:
        if not session.locked:
            with session.write(Do.CHANGE_OWN_PASSWORD) as tx:
                tx.audit(Change("logout"))
    finally:
        session.close()


def check_password_rules(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password-too-short", min_length=MIN_PASSWORD)
    if password.strip().lower() == username.lower():
        raise InvalidInput("password-is-username")


def change_own_password(session: SiteSession, old_password: str, new_password: str) -> None:
    """Rewrap this user's key slot under the new password; the old one stops working at once."""
    check_password_rules(session.actor.username, new_password)
    if old_password == new_password:
        raise InvalidInput("password-unchanged")
    slots = session.database.slots
    assert slots is not None
    slot = slot_of(session.actor.username)
    with session.write(Do.CHANGE_OWN_PASSWORD) as tx:
        try:
            slots.change_secret(slot, old_password, new_password)
        except (WrongSecret, NoSuchSlot):
            raise LoginFailed("current-password-wrong") from None
        user = tx.db.scalar(select(User).where(User.username == session.actor.username))
        assert user is not None
        user.password_changed_at, user.must_change_password = tx.now_text(), False
        tx.audit(Change("password_changed", item=user.username))
        tx.db.flush()
        session.database.save_slots(slots)
    session.actor.must_change_password = False


def recover_password(db_path: Path, recovery_code: str, username: str, new_password: str,
                     clock: Clock | None = None) -> None:
    """The recovery code (shown once at site setup) sets a new password for one user, e.g. a lost admin."""
    clock = clock or Clock()
    check_password_rules(username, new_password)
    # Recovery-code guesses are counted, locked out and audited like login failures (as account "recovery").
    ledger = LoginLedger(SitePaths(db_path).logins)
    _refuse_if_locked(ledger, RECOVERY_SLOT, clock)
    try:
        database = open_database(db_path, RECOVERY_SLOT, normalise_recovery_code(recovery_code))
    except WrongSecret:
        failure = _failed(ledger, RECOVERY_SLOT, clock)
        raise (failure if isinstance(failure, AccountLocked) else LoginFailed("recovery-code-wrong")) from None
    try:
        with database.write() as db:
            user = db.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound("user-not-found", username=username)
            tx = Tx(db, database, clock, Actor("recovery", "Recovery code", "site_admin"))
            _recovery_key(tx)
            was = "active" if user.active else "inactive"
            set_password(tx, user, new_password, temporary=False)
            user.active = True
            tx.audit(Change("password_recovered", item=username, old_value=was, new_value="active",
                            reason="recovery code used"))
            tx.seal()
        ledger.clear(username)
        ledger.clear(RECOVERY_SLOT)
    finally:
        database.close()


def _recovery_key(tx: Tx) -> None:
    """The recovery slot seals a key too (it issues the recovered user's new key); a recovery slot from before
    personal keys gets one now, registered by itself."""
    database = tx.database
    if database.slots is None or database.opened is None:
        raise Bug("recovery needs the recovery slot opened")
    database.opened = keys.personal_key_at_login(tx, database.slots, database.opened)


def set_password(tx: Tx, user: User, password: str, *, temporary: bool) -> None:
    """A new key slot for `user`, with a new personal key that the acting administrator (or the recovery code)
    issues in the trail, and the site key if the role may sign bundles (inside the caller's transaction; the
    slot file is written last)."""
    database = tx.database
    slots, key = database.slots, database.data_key
    if slots is None or key is None:  # pragma: no cover - sessions always have both
        raise Bug("set_password needs an unlocked site (a session's database)")
    slot = slot_of(user.username)
    user.slot_public_key = slots.add_slot(slot, password, key)
    public = slots.signing_public(slot)
    assert public is not None
    keys.issue_key(tx, user.username, public, f"new key slot set by {tx.actor.username}")
    keys.grant_for_role(slots, user.username, user.role, database.opened.site_kek if database.opened else None)
    user.password_changed_at = tx.now_text()
    user.must_change_password = temporary
    tx.db.flush()
    database.save_slots(slots)

