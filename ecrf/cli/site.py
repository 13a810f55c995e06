"""`ecrf init`, `ecrf recover` and `ecrf allocation import`: setting a site up and getting back in."""
from __future__ import annotations

import argparse
import errno
import os
from pathlib import Path

from ecrf.cli.common import CliError, secrets_of, site_db, site_session, site_study
from ecrf.export.bundle.identity import format_fingerprint
from ecrf.services import subjects
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


# A list of 100,000 rows is about 2 MB; anything near this is not an allocation list (or is /dev/zero).
MAX_ALLOCATION_BYTES = 16 * 1024 * 1024


def cmd_allocation_import(args: argparse.Namespace) -> int:
    text = read_allocation_file(args.file)
    with site_session(args) as session:
        count = subjects.import_allocation_list(session, text)
    print(f"Allocation list imported: {count} entries from {args.file}.")
    return 0


def read_allocation_file(given: Path) -> str:
    """The list's text: a regular file, read up to a cap, so a device or an endless pipe cannot grow the
    process until the system kills it."""
    try:
        path = given.expanduser()
        if not path.is_file():
            if not path.exists():
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
            raise CliError("allocation-file-not-a-file", path=given)
        with open(path, "rb") as handle:
            data = handle.read(MAX_ALLOCATION_BYTES + 1)
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise CliError("allocation-file-unreadable", path=given, reason=reason) from None
    if len(data) > MAX_ALLOCATION_BYTES:
        raise CliError("allocation-file-too-large", path=given, limit_mb=MAX_ALLOCATION_BYTES // 2**20)
    try:  # newlines as read_text() gives them, so the list's recorded digest is as before
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise CliError("allocation-file-not-utf8", path=given) from None
