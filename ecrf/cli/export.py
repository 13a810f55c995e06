"""`ecrf export` and `ecrf site certificate`."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from cryptography import x509

from ecrf.cli.common import shell_path, site_session
from ecrf.export.bundle.identity import certificate_naming, format_fingerprint
from ecrf.services import export, signing


def cmd_export(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        result = export.export_bundle(session, args.out.expanduser(), progress=_progress())
    print(f"\rBundle {result.sequence} written to {result.path}: {result.subjects} subjects, "
          f"audit trail up to event {result.audit_events}.")
    print(f"Signed by the site certificate {format_fingerprint(result.certificate_sha256)}.")
    if result.new_key:
        print("This export made the site's signing key: send its certificate to the sponsor to register "
              "(`ecrf site certificate`).")
    print(f"Check it anywhere with: ecrf verify {shell_path(result.path)}")
    return 0


def cmd_certificate(args: argparse.Namespace) -> int:
    with site_session(args) as session:
        info = signing.site_certificate(session)
    print(info.pem, end="")
    print(f"Subject:     {info.subject}")
    print(f"Valid:       {info.not_before} to {info.not_after}")
    print(f"SHA-256:     {format_fingerprint(info.fingerprint)}")
    named = certificate_naming(x509.load_pem_x509_certificate(info.pem.encode("ascii")))
    if named is not None:  # what the sponsor registers a fingerprint for (`ecrf trust add --study --installation`)
        print(f"Names:       {named.shown()}")
    print("Send this certificate (or its SHA-256 fingerprint) to the sponsor, who registers it with `ecrf trust "
          "add`; `ecrf verify BUNDLE` then proves a bundle came from this site.")
    return 0


def _progress() -> Callable[[int, int, str], None]:
    interactive = sys.stdout.isatty()

    def report(done: int, total: int, what: str) -> None:
        if interactive:
            print(f"\rExporting {done}/{total}: {what[:40]:<40}", end="", flush=True)
    return report
