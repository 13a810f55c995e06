"""`ecrf backup`, `ecrf restore` and `ecrf rekey`."""
from __future__ import annotations

import argparse

from ecrf.cli.common import CliError, secrets_of, site_db, site_session
from ecrf.services import backup
from ecrf.store.database import refuse_non_site
from ecrf.store.files import SitePaths


def cmd_backup(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        info = backup.backup(session, args.out)
    print(f"Backup written to {info.path} ({info.size:,} bytes, audit trail up to event {info.audit_head_seq}); "
          "it was checked before it was named.")
    print("It is encrypted: it opens with the passwords valid now, or with the recovery code.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if not args.backup.expanduser().is_file():
        raise CliError("backup-missing", path=args.backup)
    what = "recovery code" if args.user == "recovery" else "password"
    prompt = "Recovery code: " if args.user == "recovery" else f"Password of {args.user} when the backup was made: "
    secret = secrets_of(args).ask(prompt, what=what)
    db_path = site_db(args)
    if db_path.exists():  # a restore replaces a site (kept aside), never another file named by --db
        refuse_non_site(SitePaths(db_path), damaged_ok=True)
    info = backup.restore(args.backup.expanduser(), db_path, args.user, secret)
    print(f"Restored {args.backup} to {info.db_path}: backup made {info.created_utc}, "
          f"audit trail up to event {info.audit_head_seq}.")
    if info.set_aside:
        print(f"The database it replaced is kept as {info.set_aside}.")
    print("Passwords and accounts are those valid when the backup was made.")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        backup.rekey(session)
    print("The database is re-encrypted with a new data key; every password and the recovery code still work. "
          "Earlier backups keep the old key.")
    return 0
