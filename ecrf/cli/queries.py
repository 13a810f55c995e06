"""`ecrf query raise|list|close|bundle` (the sponsor, on the central database), `ecrf query import` and
`ecrf site sponsor-certificate` (the site), and `ecrf sponsor key`."""
from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ecrf.atomic import write_atomic
from ecrf.cli.common import has_terminal, shell_path, site_session, site_study, table
from ecrf.export.bundle.identity import SigningIdentity, format_fingerprint
from ecrf.merge.central.db import open_central
from ecrf.merge.errors import QueryBundleError
from ecrf.merge.query_bundle import sponsor_key
from ecrf.merge.query_bundle.make import bundle_for_site
from ecrf.merge.query_bundle.signed import out_folder
from ecrf.merge.sponsor_queries import (
    HANDLE,
    STATUSES,
    SponsorPlace,
    close_sponsor_query,
    raise_sponsor_query,
    sponsor_query_status,
)
from ecrf.services.sponsor_queries import MAX_CERTIFICATE_BYTES, import_query_bundle, register_sponsor_certificate

SiteCommand = Callable[..., argparse.ArgumentParser]  # main._site: a command that opens a site


def add_query_commands(sub: argparse._SubParsersAction, site_command: SiteCommand) -> None:
    help_ = "the sponsor's queries: raise, list, close, bundle (central); import (site)"
    group = sub.add_parser("query", help=help_, description=help_)
    queries = group.add_subparsers(dest="query_command", metavar="ACTION", required=True)
    raise_ = _central(queries, "raise", "raise a query on merged data of one site's subject", cmd_raise)
    raise_.add_argument("--site", required=True, metavar="CODE")
    raise_.add_argument("--subject", required=True, metavar="ID", help="subject id (or screening number)")
    raise_.add_argument("--visit", default="", metavar="V", help="the visit (leave out for a log form)")
    raise_.add_argument("--form", default="", metavar="F")
    raise_.add_argument("--timepoint", default="", metavar="T")
    raise_.add_argument("--repeat", type=int, default=0, metavar="N", help="the entry of a log form (1, 2, ...)")
    raise_.add_argument("--item", default="", metavar="I")
    raise_.add_argument("--text", required=True, help="what the site should check")
    raise_.add_argument("--by", metavar="NAME", help="your handle (default: your login name)")
    raise_.add_argument("--forms", type=Path, metavar="DIR", help="the study definition (default: the bundled one)")
    listing = _central(queries, "list", "list the sponsor's queries with the sites' state and answers", cmd_list)
    listing.add_argument("--site", metavar="CODE")
    listing.add_argument("--state", choices=STATUSES)
    close = _central(queries, "close", "close a sponsor query the site has answered", cmd_close)
    close.add_argument("query_id", metavar="SQ-0001")
    close.add_argument("--text", required=True, help="why the answer is accepted")
    close.add_argument("--by", metavar="NAME", help="your handle (default: your login name)")
    bundle = _central(queries, "bundle", "write the signed query bundle of one site", cmd_bundle)
    bundle.add_argument("--site", required=True, metavar="CODE")
    bundle.add_argument("--installation", metavar="ID", help="the installation, when the site has several")
    bundle.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write it into")
    imp = site_command(queries, "import", "import a signed query bundle from the sponsor (site administrator)",
                       cmd_import)
    imp.add_argument("file", type=Path, metavar="FILE", help="the query bundle (.zip)")

    help_ = "the sponsor's signing key for query bundles"
    sponsor = sub.add_parser("sponsor", help=help_, description=help_)
    sponsor_actions = sponsor.add_subparsers(dest="sponsor_command", metavar="ACTION", required=True)
    help_ = "make the sponsor's key (once) and write its certificate for the sites to register"
    key = sponsor_actions.add_parser("key", help=help_, description=help_)
    key.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write the certificate")
    key.add_argument("--name", default="sponsor", help="the sponsor's name in a new certificate")
    key.set_defaults(run=cmd_sponsor_key)


def add_site_sponsor_command(site_group: argparse._SubParsersAction, site_command: SiteCommand) -> None:
    cmd = site_command(site_group, "sponsor-certificate", "register the sponsor's certificate: query bundles it "
                       "signs can then be imported (site administrator)", cmd_register)
    cmd.add_argument("file", type=Path, metavar="FILE", help="sponsor-certificate.pem from the sponsor")


def _central(sub: argparse._SubParsersAction, name: str, help_: str, run: Callable[[argparse.Namespace], int],
             ) -> argparse.ArgumentParser:
    cmd = sub.add_parser(name, help=help_, description=help_)
    cmd.add_argument("--central", dest="db", required=True, metavar="URL|PATH",
                     help="the central database `ecrf merge` fills: a SQLite file or a postgresql:// URL")
    cmd.set_defaults(run=run)
    return cmd


# -- the sponsor ------------------------------------------------------------------------------------------------

def cmd_raise(args: argparse.Namespace) -> int:
    study = site_study(args)
    place = SponsorPlace(args.subject, args.visit, args.form, args.timepoint, args.repeat, args.item)
    engine = open_central(args.db, create=False)
    try:
        with engine.begin() as conn:
            query_id = raise_sponsor_query(conn, study, args.site, place, args.text, _by(args), _now())
    finally:
        engine.dispose()
    print(f"Query {query_id} raised on {place} at site {args.site}. Send it with: "
          f"ecrf query bundle --central {shell_path(args.db)} --site {args.site} --out DIR")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    engine = open_central(args.db, create=False)
    try:
        with engine.connect() as conn:
            found = sponsor_query_status(conn, site_code=args.site, status=args.state)
    finally:
        engine.dispose()
    rows = [(s.query_id, s.site_code, str(s.place), s.status, s.site_query or "-", s.raised_by, s.raised_at[:10],
             _answer(s.answer, s.response_code)) for s in found]
    print(table(("QUERY", "SITE", "PLACE", "STATE", "AT SITE", "BY", "RAISED", "ANSWER"), rows) if rows
          else "No sponsor queries.")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    engine = open_central(args.db, create=False)
    try:
        with engine.begin() as conn:
            close_sponsor_query(conn, args.query_id, args.text, _by(args), _now())
    finally:
        engine.dispose()
    print(f"Query {args.query_id} closed; the site's copy closes when it imports the next query bundle.")
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    identity = _sponsor_identity("sponsor")
    engine = open_central(args.db, create=False)
    try:
        written = bundle_for_site(engine, args.site, args.installation, identity, args.out.expanduser(), _now())
    finally:
        engine.dispose()
    print(f"Query bundle {written.sequence} for site {written.site_code} (installation {written.installation_id}) "
          f"written to {written.path}: {written.queries} queries, {written.closes} closed by the sponsor.")
    return 0


def cmd_sponsor_key(args: argparse.Namespace) -> int:
    folder = sponsor_key.sponsor_dir()
    out = out_folder(args.out.expanduser())  # before the key is made: a wrong --out leaves nothing behind
    identity = _sponsor_identity(args.name)
    target = out / sponsor_key.CERTIFICATE_FILE
    write_atomic(target, identity.certificate_pem.encode("ascii"))
    print(f"The sponsor key is in {folder}; its certificate is written to {target}.")
    print(f"SHA-256: {format_fingerprint(identity.fingerprint)}")
    print("Each site registers that file once (`ecrf site sponsor-certificate FILE`) after comparing this "
          "fingerprint with you by phone.")
    return 0


def _sponsor_identity(name: str) -> SigningIdentity:
    """The sponsor's key, made on first use (the passphrase then asked twice)."""
    folder = sponsor_key.sponsor_dir()
    if sponsor_key.has_sponsor_key(folder):
        return sponsor_key.load_sponsor_key(folder, _passphrase(new=False))
    print(f"Making the sponsor's signing key in {folder}.")
    return sponsor_key.create_sponsor_key(folder, _passphrase(new=True), name, datetime.now(UTC))


def _passphrase(new: bool) -> str:
    given = os.environ.get(sponsor_key.PASSPHRASE_ENV)
    if given:
        return given
    if not has_terminal():  # getpass would read a pipe with a warning: say how to give it instead
        raise QueryBundleError("sponsor-passphrase-missing")
    try:
        first = getpass.getpass("Passphrase of the sponsor key: ")
        if new and getpass.getpass("Type it again: ") != first:
            raise QueryBundleError("sponsor-passphrases-differ")
    except EOFError:
        first = ""
    if not first:
        raise QueryBundleError("sponsor-passphrase-missing")
    return first


def _by(args: argparse.Namespace) -> str:
    if args.by:
        return str(args.by)
    login = getpass.getuser().lower()
    return login if HANDLE.match(login) else ""  # an unusable login name: the handle check says what to do


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _answer(text: str | None, code: str | None) -> str:
    if text is None:
        return ""
    line = " ".join(text.split())
    return (f"[{code}] " if code else "") + (line if len(line) <= 60 else line[:57] + "...")


# -- the site -----------------------------------------------------------------------------------------------------

def cmd_register(args: argparse.Namespace) -> int:
    with open(args.file.expanduser(), "rb") as handle:
        data = handle.read(MAX_CERTIFICATE_BYTES + 1)  # one more byte: a file too large is refused, not cut
    with site_session(args) as session:
        registered = register_sponsor_certificate(session, data)
    print(f"Sponsor certificate of '{registered.sponsor}' registered.")
    print(f"SHA-256: {format_fingerprint(registered.fingerprint)}")
    print("Compare this fingerprint with the sponsor by phone; query bundles it signs can now be imported "
          "(`ecrf query import FILE`).")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        result = import_query_bundle(session, args.file.expanduser())
    if result.already_imported:
        print(f"Query bundle {result.sequence} was imported before; nothing changed.")
        return 0
    print(f"Query bundle {result.sequence} of sponsor {result.sponsor} imported: {len(result.raised)} new "
          f"queries{_listed(result.raised)}, {len(result.closed)} closed{_listed(result.closed)}.")
    if result.not_yet_answered:
        print(f"Closed by the sponsor but not answered here yet, so left open: {', '.join(result.not_yet_answered)}.")
    return 0


def _listed(numbers: tuple[str, ...]) -> str:
    return f" ({', '.join(numbers)})" if numbers else ""
