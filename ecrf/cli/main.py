"""The `ecrf` command line. Calls the same layers as the app; never shows a traceback to a user."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from ecrf import __version__
from ecrf.cli import about as cli_about
from ecrf.cli import audit as cli_audit
from ecrf.cli import backup as cli_backup
from ecrf.cli import demo as cli_demo
from ecrf.cli import export as cli_export
from ecrf.cli import gui as cli_gui
from ecrf.cli import merge as cli_merge
from ecrf.cli import merged as cli_merged
from ecrf.cli import monitor as cli_monitor
from ecrf.cli import queries as cli_queries
from ecrf.cli import selftest as cli_selftest
from ecrf.cli import site as cli_site
from ecrf.cli import trust as cli_trust
from ecrf.cli import users as cli_users
from ecrf.cli import verify as cli_verify
from ecrf.cli.common import Cancelled, first_problems
from ecrf.cli.errors import CliError
from ecrf.crashlog import report_crash
from ecrf.errors import EcrfError, file_error
from ecrf.paths import default_demo_db, default_forms_dir, default_site_db
from ecrf.runtime import tune_garbage_collector
from ecrf.services.permissions import ALLOWED
from ecrf.store.errors import NoSite
from ecrf.study.describe import describe
from ecrf.study.loader import load_study
from ecrf.study.parsing import has_broken_character
from ecrf.study.problems import DefinitionError

# 2 is argparse's own code for a command given wrongly; a cancel shares it. A bug has a code of its own (70,
# EX_SOFTWARE of sysexits.h), so a script can tell "I called it wrongly" from "it is broken".
EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR, EXIT_BUG = 0, 1, 2, 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecrf",
                                     description="Offline electronic case report forms for clinical trials.")
    parser.add_argument("--version", action="version", version=f"ecrf {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    help_ = "check a study definition folder and list every problem"
    check = sub.add_parser("check-forms", help=help_, description=help_ + " (file:line: [code] item: message); "
                           "exit 0 when sound, 1 when not.")
    check.add_argument("folder", nargs="?", type=Path, help="the folder with study.yaml (default: the bundled forms/)")
    check.set_defaults(run=cmd_check_forms)

    help_ = "print a summary of the study: arms, schedule, forms"
    desc = sub.add_parser("describe", help=help_, description=help_ + ".")
    desc.add_argument("--forms", type=Path, help="the study definition folder (default: the bundled forms/)")
    desc.add_argument("--lang", default="en", help="language of the labels (en or zh)")
    desc.set_defaults(run=cmd_describe)
    _add_site_commands(sub)
    cli_verify.add_verify_command(sub)
    cli_merge.add_merge_command(sub)
    cli_trust.add_trust_commands(sub)
    cli_merged.add_merged_command(sub)
    cli_gui.add_gui_command(sub)
    cli_selftest.add_self_test_command(sub)
    cli_about.add_about_command(sub)
    return parser


Subparsers = argparse._SubParsersAction  # argparse has no public name for it
Run = Callable[[argparse.Namespace], int]
ROLES = list(ALLOWED)


def _site(sub: Subparsers, name: str, help_: str, run: Run, *, user: bool = True,
          forms: bool = True) -> argparse.ArgumentParser:
    """A command that opens a site: --db, --user and --password-stdin (and --forms when it loads the study)."""
    cmd = sub.add_parser(name, help=help_, description=help_)
    cmd.add_argument("--db", type=Path, metavar="PATH", help=f"the site database (default: {default_site_db()})")
    if user:
        cmd.add_argument("--user", required=True, metavar="NAME", help="your username")
    cmd.add_argument("--password-stdin", action="store_true",
                     help="read the password(s) from standard input, one per line, instead of asking")
    if forms:
        cmd.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    cmd.set_defaults(run=run)
    return cmd


def _group(sub: Subparsers, name: str, help_: str) -> Subparsers:
    group = sub.add_parser(name, help=help_, description=help_)
    return group.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


def _add_site_commands(sub: Subparsers) -> None:
    init = _site(sub, "init", "create a new site database and its first administrator", cli_site.cmd_init, user=False)
    init.add_argument("--site", required=True, metavar="CODE", help="the site code, e.g. CN01")
    init.add_argument("--site-name", required=True, metavar="NAME", help="the site's name, e.g. the hospital")
    init.add_argument("--admin", required=True, metavar="USERNAME", help="the administrator's username")
    init.add_argument("--full-name", required=True, metavar="NAME", help="the administrator's full name")

    help_ = "make a demonstration site with synthetic subjects and one user of every role"
    demo = sub.add_parser("demo", help=help_, description=help_ + "; prints each user's password.")
    demo.add_argument("--db", type=Path, metavar="PATH", help=f"where to make it (default: {default_demo_db()})")
    demo.add_argument("--subjects", type=_count, metavar="N",
                      help="how many subjects (default 20; with --sponsor, per site, default 4)")
    demo.add_argument("--force", action="store_true", help="delete an existing demo database at that path first")
    demo.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help="the demo's today (default: today)")
    demo.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    demo.add_argument("--sponsor", type=Path, metavar="DIR",
                      help="instead: demo data for the sponsor's side in a new folder DIR: several demo sites with "
                           "two signed bundles each, their certificates in a trust registry, ready for `ecrf merge`")
    demo.add_argument("--sites", type=_count, default=3, metavar="N", help="with --sponsor: how many sites (default 3)")
    demo.set_defaults(run=cli_demo.cmd_demo)

    users = _group(sub, "users", "user accounts: list, add, deactivate, reset-password, role, unlock, passwd")
    _site(users, "list", "list the accounts of the site", cli_users.cmd_list)
    add = _site(users, "add", "add an account; prints its temporary password", cli_users.cmd_add)
    add.add_argument("--username", required=True)
    add.add_argument("--full-name", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    off = _site(users, "deactivate", "deactivate an account (it can no longer log in)", cli_users.cmd_deactivate)
    off.add_argument("--username", required=True)
    off.add_argument("--reason", required=True)
    reset = _site(users, "reset-password", "set a temporary password; prints it", cli_users.cmd_reset_password)
    reset.add_argument("--username", required=True)
    reset.add_argument("--reason", default="password reset by the site administrator")
    role = _site(users, "role", "change the role of an account", cli_users.cmd_role)
    role.add_argument("--username", required=True)
    role.add_argument("--role", required=True, choices=ROLES)
    role.add_argument("--reason", required=True)
    unlock = _site(users, "unlock", "lift a lockout after failed logins (the password stays)", cli_users.cmd_unlock)
    unlock.add_argument("--username", required=True)
    unlock.add_argument("--reason", required=True)
    _site(users, "passwd", "change your own password (current, then new)", cli_users.cmd_passwd)

    audit = _group(sub, "audit", "the audit trail: verify, acknowledge, show")
    verify = _site(audit, "verify", "check the audit trail: hash chain, seals, personal keys, and the replay of "
                   "every stored value; exit 1 if anything is wrong", cli_audit.cmd_verify)
    verify.add_argument("--against", type=Path, metavar="BUNDLE|BACKUP",
                        help="also check that the trail still holds the head of this copy (a bundle or backup made "
                             "earlier): catches events cut after the copy left the PC")
    ack = _site(audit, "acknowledge", "record why the site goes on despite an audit trail finding (site "
                "administrator); export is then possible and bundles carry the finding", cli_audit.cmd_acknowledge)
    ack.add_argument("--reason", required=True)
    show = _site(audit, "show", "print the audit trail as a table", cli_audit.cmd_show)
    show.add_argument("--subject", metavar="ID", help="only this subject (id or screening number)")
    show.add_argument("--limit", type=_count, metavar="N", help="only the last N events")

    backup = _site(sub, "backup", "write a verified, encrypted backup of the site", cli_backup.cmd_backup)
    backup.add_argument("--out", type=Path, required=True, metavar="FILE", help="the new backup file")
    restore = _site(sub, "restore", "put a backup in place of the site database (the replaced one is kept)",
                    cli_backup.cmd_restore, forms=False)
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file")
    _site(sub, "rekey", "re-encrypt the database with a new data key (passwords unchanged)", cli_backup.cmd_rekey)

    out = _site(sub, "export", "write the next signed export bundle (zip of CSV, ODM and PDFs) into a folder",
                cli_export.cmd_export)
    out.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write the bundle into")
    site = _group(sub, "site", "the site's identity: certificate")
    _site(site, "certificate", "print the site's signing certificate and its SHA-256 fingerprint",
          cli_export.cmd_certificate)
    cli_queries.add_site_sponsor_command(site, _site)
    cli_queries.add_query_commands(sub, _site)

    monitor = _group(sub, "monitor", "monitoring: the visit report")
    report = _site(monitor, "report", "write the monitoring visit report (PDF) of your visit: what you verified, "
                   "queries raised, answered and closed, and what is still open", cli_monitor.cmd_report)
    report.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF file to write")
    report.add_argument("--since", metavar="YYYY-MM-DD",
                        help="start of the visit (local day; default: your first login today)")
    report.add_argument("--until", metavar="YYYY-MM-DD", help="last day of the visit (default: now)")

    allocation = _group(sub, "allocation", "the allocation list: import")
    imp = _site(allocation, "import", "import the sponsor's allocation list (CSV: rand_no,arm)",
                cli_site.cmd_allocation_import)
    imp.add_argument("file", type=Path, metavar="FILE", help="the CSV file")

    recover = _site(sub, "recover", "set a new password for a user with the recovery code", cli_site.cmd_recover,
                    user=False, forms=False)
    recover.add_argument("--username", required=True, help="whose password to set")


MAX_COUNT = 1_000_000_000  # far beyond any site's events or subjects, and within SQLite's 64-bit integers


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:  # isascii: int() refuses some Unicode digits
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    if len(text) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is too large; give at most {MAX_COUNT:,}")
    return int(text)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def cmd_check_forms(args: argparse.Namespace) -> int:
    folder = args.folder or default_forms_dir()
    try:
        study = load_study(folder)
    except DefinitionError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"\n{len(exc.problems)} problem(s) in {folder}; the study cannot be used until they are fixed.")
        return EXIT_PROBLEMS
    from ecrf.demo.scenario_check import check_scenario  # like `ecrf demo`: the demo package loads on demand

    if scenario_problems := check_scenario(study):
        print("\n".join(map(str, scenario_problems)))
        print(f"\n{len(scenario_problems)} problem(s) in the demo scenario of {folder}; `ecrf demo` refuses it "
              "until they are fixed (the study itself is sound).")
        return EXIT_PROBLEMS
    n_items = sum(len(f.items) for f in study.forms.values())
    print(f"{folder}: OK — study {study.info.oid} version {study.info.version}: {len(study.arms)} arms, "
          f"{len(study.visits)} visits, {len(study.forms)} forms, {n_items} items, no problems.")
    return EXIT_OK


def cmd_describe(args: argparse.Namespace) -> int:
    folder = args.forms or default_forms_dir()
    try:
        study = load_study(folder)
    except DefinitionError as exc:
        raise CliError("definition-has-problems", folder=folder, count=len(exc.problems),
                       first=first_problems(exc)) from None
    if args.lang not in study.info.languages:
        raise CliError("language-not-in-study", lang=args.lang, languages=", ".join(study.info.languages))
    print(describe(study, args.lang))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    tune_garbage_collector()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_OK
    _tolerant_output()
    try:
        _refuse_broken_text(args)
        return int(args.run(args))
    except EcrfError as exc:  # a refusal or a fault the user can act on: its code and message, never a traceback
        _print_error(no_site_for_cli(exc, args))
        return int(getattr(exc, "exit_code", EXIT_PROBLEMS))  # a few refusals have a code of their own (gui)
    except Cancelled:
        print("Cancelled.", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a path the system refuses (too long, gone, no permission, no space): say which
        _print_error(file_error(exc))
        return EXIT_PROBLEMS
    except Exception as exc:  # noqa: BLE001 - a bug: logged with its traceback, the user gets the log's path
        print(report_crash(exc, cli_language()), file=sys.stderr)
        if os.environ.get("ECRF_DEBUG"):
            traceback.print_exc()
        return EXIT_BUG


def _refuse_broken_text(args: argparse.Namespace) -> None:
    """A name, reason or other text argument with bytes the system's encoding cannot decode arrives with lone
    surrogates (Python's surrogateescape), which no UTF-8 database or audit event can hold. Paths may: the OS
    takes them back as the same bytes."""
    for name, value in vars(args).items():
        if isinstance(value, str) and has_broken_character(value):
            raise CliError("argument-not-text", option="--" + name.replace("_", "-"))


def cli_language() -> str:
    """'zh' when the environment asks for Chinese messages (LANGUAGE, LC_ALL, LC_MESSAGES or LANG), else 'en'."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def no_site_for_cli(exc: EcrfError, args: argparse.Namespace) -> EcrfError:
    """The store's "no site database here" in the command line's words: which path was tried (and that it is
    the default the GUI opens too, when no --db was given) and the two ways on, `--db PATH` or the demo at the
    path `ecrf demo` really makes (not `site.db`, which a site command would look for next); when that demo
    exists already, only the `--db` that reaches it."""
    if not isinstance(exc, NoSite) or getattr(args, "run", None) is cli_demo.cmd_demo:
        return exc
    at_default = getattr(args, "db", None) is None
    if exc.code == "no-site" or (exc.code == "database-folder-missing" and at_default):  # no data folder yet
        demo_db = default_demo_db()
        code = ("no-site-at-path" if not at_default else
                "no-site-at-default-demo-made" if demo_db.is_file() else "no-site-at-default")
        return CliError(code, db=exc.params.get("db", default_site_db()), demo_db=demo_db)
    return exc  # a given path whose folder is gone: the store's words (a removed drive) fit better


def _print_error(exc: EcrfError) -> None:
    if isinstance(exc, DefinitionError):  # every problem, as `ecrf check-forms` lists them
        for problem in exc.problems:
            print(problem, file=sys.stderr)
    print(f"error [{exc.code}]: {exc.text(cli_language())}", file=sys.stderr)


def _tolerant_output() -> None:
    """A name or value the console's code page cannot show is replaced, not turned into a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
