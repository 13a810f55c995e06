"""`ecrf users ...`: accounts (site administrator) and changing one's own password (everyone)."""
from __future__ import annotations

import argparse

from ecrf.cli.common import secrets_of, site_session, table
from ecrf.services import users
from ecrf.services.auth import change_own_password


def _handover(username: str, password: str) -> str:
    return (f"Temporary password for {username}: {password}\n"
            f"Give it to {username} in person; it must be changed at the first login (`ecrf users passwd`).")


def cmd_list(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        accounts = users.list_users(session)
    rows = [(u.username, u.full_name, u.role, _status(u),
             "temporary" if u.must_change_password else f"changed {u.password_changed_at[:10]}")
            for u in accounts]
    print(table(("username", "full name", "role", "status", "password"), rows))
    return 0


def _status(user: users.UserInfo) -> str:
    if not user.active:
        return "inactive"
    if user.locked_until is not None:
        return f"locked until {user.locked_until[11:16]} UTC ({user.failed_logins} failed logins)"
    return "active"


def cmd_unlock(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        users.unlock_account(session, args.username, args.reason)
    print(f"The lockout of {args.username} is lifted; the password is unchanged.")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        password = users.add_user(session, args.username, args.full_name, args.role)
    print(f"Added {args.username} ({args.full_name.strip()}) as {args.role}.")
    print(_handover(args.username, password))
    return 0


def cmd_deactivate(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        users.deactivate_user(session, args.username, args.reason)
    print(f"{args.username} is deactivated and can no longer log in; the account stays in the audit trail.")
    return 0


def cmd_reset_password(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        password = users.reset_password(session, args.username, args.reason)
    print(_handover(args.username, password))
    return 0


def cmd_role(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        users.change_role(session, args.username, args.role, args.reason)
    print(f"{args.username} now has the role {args.role}.")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    secrets = secrets_of(args)
    current = secrets.ask(f"Current password for {args.user}: ", what="current password")
    new = secrets.ask_new("New password: ")
    with site_session(args, password=current) as session:
        change_own_password(session, current, new)
    print(f"The password of {args.user} is changed; the old one no longer works.")
    return 0
