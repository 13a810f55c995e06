"""User accounts: add, deactivate, reset a password, change a role, lift a login lockout (site admin only; all
audited)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from ecrf.services import keys
from ecrf.services.auth import record_failed_logins, set_password
from ecrf.services.errors import InvalidInput, NotFound, WrongState
from ecrf.services.permissions import ALLOWED, Do
from ecrf.services.session import SiteSession, Tx, slot_of
from ecrf.services.site_setup import check_username
from ecrf.store.audit import Change
from ecrf.store.clock import parse_utc
from ecrf.store.files import LoginLedger
from ecrf.store.models import User


@dataclass(frozen=True)
class UserInfo:
    username: str
    full_name: str
    role: str
    active: bool
    password_changed_at: str
    must_change_password: bool
    locked_until: str | None = None  # UTC text while failed logins keep the account locked out
    failed_logins: int = 0  # consecutive failures since the last successful login


def temporary_password() -> str:
    """A one-time password for a new or reset account; the user must change it at first login."""
    return "-".join(secrets.token_hex(2) for _ in range(3))  # 14 characters, easy to read out


def list_users(session: SiteSession) -> list[UserInfo]:
    """Every account, with its lockout as the file of failed logins holds it (a wrong password cannot open
    the database, so the lockout lives beside it)."""
    ledger = LoginLedger(session.database.paths.logins)
    with session.read(Do.MANAGE_USERS) as db:
        users = list(db.scalars(select(User).order_by(User.username)))
    listed = []
    for u in users:
        account = ledger.account(u.username)
        listed.append(UserInfo(u.username, u.full_name, u.role, u.active, u.password_changed_at,
                               u.must_change_password, _locked_until(session, account.get("locked_until")),
                               int(account.get("failures") or 0)))
    return listed


def _locked_until(session: SiteSession, until: object) -> str | None:
    """`until` while it is still ahead (a lock that has run out is no lock), else None."""
    if not isinstance(until, str):
        return None
    try:
        return until if parse_utc(until) > session.clock.now() else None
    except ValueError:
        return None


def unlock_account(session: SiteSession, username: str, reason: str) -> None:
    """Lift a lockout before it runs out (the user called the administrator). The failed logins that caused
    it join the audit trail first, in the same sealed transaction, so the trail shows why it was locked."""
    session.require(Do.MANAGE_USERS)
    if not reason.strip():
        raise InvalidInput("account-unlock-reason-required")
    ledger = LoginLedger(session.database.paths.logins)
    until = _locked_until(session, ledger.account(username).get("locked_until"))
    pending = ledger.pending()
    with session.write(Do.MANAGE_USERS) as tx:
        _user(tx, username)
        if until is None:
            raise WrongState("account-not-locked", username=username)
        record_failed_logins(tx, pending)
        tx.audit(Change("account_unlocked", item=username, old_value=f"locked until {until}",
                        new_value="unlocked", reason=reason.strip()))
    ledger.drop_pending(len(pending))
    ledger.clear(username)


def _check_role(role: str) -> None:
    if role not in ALLOWED:
        raise InvalidInput("role-unknown", role=role, roles=", ".join(ALLOWED))


def _user(tx: Tx, username: str) -> User:
    user = tx.db.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("user-not-found", username=username)
    return user


def add_user(session: SiteSession, username: str, full_name: str, role: str, password: str | None = None) -> str:
    """Add an account; returns its password (a temporary one, to change at first login, unless given)."""
    session.require(Do.MANAGE_USERS)
    check_username(username)
    _check_role(role)
    if not full_name.strip():
        raise InvalidInput("full-name-required")
    chosen = password or temporary_password()
    with session.write(Do.MANAGE_USERS) as tx:
        if tx.db.scalar(select(User).where(User.username == username)) is not None:
            raise InvalidInput("username-taken", username=username)
        now = tx.now_text()
        user = User(username=username, full_name=full_name.strip(), role=role, active=True,
                    password_changed_at=now, must_change_password=password is None, created_at=now)
        tx.db.add(user)
        tx.audit(Change("user_added", item=username, new_value=role, reason=full_name.strip()))
        set_password(tx, user, chosen, temporary=password is None)
    return chosen


def deactivate_user(session: SiteSession, username: str, reason: str) -> None:
    """The account stays (its name is in the audit trail) but its key slot is removed: it cannot log in."""
    if not reason.strip():
        raise InvalidInput("deactivate-reason-required")
    if username == session.actor.username:
        raise WrongState("deactivate-own-account")
    with session.write(Do.MANAGE_USERS) as tx:
        user = _user(tx, username)
        if not user.active:
            raise WrongState("user-already-inactive", username=username)
        user.active, user.slot_public_key = False, None
        tx.audit(Change("user_deactivated", item=username, old_value="active", new_value="inactive",
                        reason=reason.strip()))
        slots = tx.database.slots
        assert slots is not None
        if slots.has_slot(slot_of(username)):
            slots.remove_slot(slot_of(username))
        tx.db.flush()
        tx.database.save_slots(slots)


def reset_password(session: SiteSession, username: str,
                   reason: str = "password reset by the site administrator") -> str:
    """A temporary password (returned) that the user must change; reactivates a deactivated account."""
    password = temporary_password()
    with session.write(Do.MANAGE_USERS) as tx:
        user = _user(tx, username)
        tx.audit(Change("password_reset", item=username, old_value="active" if user.active else "inactive",
                        new_value="active", reason=reason))
        user.active = True
        set_password(tx, user, password, temporary=True)
    LoginLedger(session.database.paths.logins).clear(username)
    return password


def change_role(session: SiteSession, username: str, role: str, reason: str) -> None:
    _check_role(role)
    if username == session.actor.username and role != "site_admin":
        raise WrongState("change-own-role")
    if not reason.strip():
        raise InvalidInput("role-reason-required")
    with session.write(Do.MANAGE_USERS) as tx:
        user = _user(tx, username)
        if user.role == role:
            return
        tx.audit(Change("role_changed", item=username, old_value=user.role, new_value=role, reason=reason.strip()))
        user.role = role
        slots, opened = tx.database.slots, tx.database.opened
        if slots is not None:  # the site signing key follows the role
            keys.grant_for_role(slots, username, role, opened.site_kek if opened else None)
            tx.db.flush()
            tx.database.save_slots(slots)
