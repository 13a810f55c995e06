"""`ecrf init`, `ecrf recover` and `ecrf allocation import`: setting a site up and getting back in."""
from __future__ import annotations

import argparse

from ecrf.cli.common import secrets_of, site_db, site_session, site_study
from ecrf.export.bundle.identity import format_fingerprint
from ecrf.services import allocation
from ecrf.services.auth import recover_password
from ecrf.services.signing import site_certificate
from ecrf.services.site_setup import create_site


def recovery_box(code: str) -> str:
    """The recovery code with a warning around it (ASCII only, so any console shows it)."""
    lines = ["RECOVERY CODE - write it down now and keep it in a safe place:", "", f"    {code}", "",
             "It is shown only this once. It is the only way back in if every",
             "administrator password is lost (`ecrf recover`). Anyone who has it",
             "and the database files can open the site."]
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line.ljust(width)} |" for line in lines), rule])


def cmd_init(args: argparse.Namespace) -> int:
    study = site_study(args)
    db_path = site_db(args)
    password = secrets_of(args).ask_new(f"Password for the administrator {args.admin}: ")
    new = create_site(db_path, study, args.site, args.site_name, args.admin, args.full_name, password)
    try:
        fingerprint = site_certificate(new.session).fingerprint
    finally:
        new.session.close()
    print(f"Site {args.site} ({args.site_name.strip()}) created at {db_path} for study {study.info.oid}; "
          f"administrator: {args.admin}.\n")
    print(recovery_box(new.recovery_code))
    print(f"\nThe site's signing certificate (it signs every export bundle) has the SHA-256 fingerprint\n"
          f"{format_fingerprint(fingerprint)}\nSend it to the sponsor: `ecrf site certificate` prints the certificate.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    secrets = secrets_of(args)
    code = secrets.ask("Recovery code: ", what="recovery code")
    password = secrets.ask_new(f"New password for {args.username}: ")
    recover_password(site_db(args), code, args.username, password)
    print(f"The password of {args.username} is set (and the account active); log in with it. "
          "The recovery code stays valid: keep it safe.")
    return 0


def cmd_allocation_import(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        count = allocation.import_allocation_file(session, args.file)
    print(f"Allocation list imported: {count} entries from {args.file}.")
    return 0
