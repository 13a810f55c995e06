"""`ecrf trust add|list|remove`: the sponsor's registry of site certificates (ecrf.merge.trust_registry)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ecrf.cli.common import table
from ecrf.export.verify.trust import parse_fingerprint
from ecrf.merge.errors import TrustRegistryError
from ecrf.merge.trust_entry import TrustEntry
from ecrf.merge.trust_registry import Selection, load_registry, open_registry
from ecrf.merge.trust_source import AddRequest, new_entry

REGISTRY_HELP = ("the trust registry file (default: $ECRF_TRUST_REGISTRY, else sponsor/trust-registry.json in the "
                 "data folder)")


def add_trust_commands(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = "the sponsor's trust registry of site certificates: add, list, remove"
    group = sub.add_parser("trust", help=help_, description=help_ + ". Each entry binds one certificate to one "
                           "study, site and installation; `ecrf verify` and `ecrf merge` accept a bundle only "
                           "from the certificate registered for what its manifest claims.")
    actions = group.add_subparsers(dest="trust_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="register a site's certificate (file) or its fingerprint",
                             description="Register a site's certificate. From a certificate file, the study, site "
                             "and installation come from the certificate (--site must match it); a fingerprint "
                             "alone needs --study and --installation as well.")
    add.add_argument("certificate", metavar="CERT|FINGERPRINT",
                     help="the site's certificate (PEM or DER file) or its SHA-256 fingerprint (hex, colons allowed)")
    add.add_argument("--site", required=True, metavar="CODE", help="the site code, e.g. CN01")
    add.add_argument("--study", metavar="OID", help="the study OID (required with a fingerprint)")
    add.add_argument("--installation", metavar="ID",
                     help="the site installation's id, site.installation_id in its bundles (required with a "
                          "fingerprint)")
    add.add_argument("--note", metavar="TEXT", help="a note kept with the entry, e.g. how the fingerprint was checked")
    add.add_argument("--replace", action="store_true",
                     help="replace the certificate registered for the same study, site and installation")
    add.add_argument("--registry", type=Path, metavar="PATH", help=REGISTRY_HELP)
    add.set_defaults(run=cmd_add)

    listing = actions.add_parser("list", help="list the registered certificates",
                                 description="List the registered certificates with their study, site, "
                                 "installation and fingerprint.")
    listing.add_argument("--registry", type=Path, metavar="PATH", help=REGISTRY_HELP)
    listing.set_defaults(run=cmd_list)

    remove = actions.add_parser("remove", help="remove one site certificate from the registry",
                                description="Remove exactly one entry: the site's, narrowed by --study, "
                                "--installation or the fingerprint when the site has several.")
    remove.add_argument("fingerprint", nargs="?", metavar="FINGERPRINT", help="the certificate's SHA-256 fingerprint")
    remove.add_argument("--site", required=True, metavar="CODE", help="the site code")
    remove.add_argument("--study", metavar="OID", help="the study OID")
    remove.add_argument("--installation", metavar="ID", help="the installation id")
    remove.add_argument("--registry", type=Path, metavar="PATH", help=REGISTRY_HELP)
    remove.set_defaults(run=cmd_remove)


def _registry_path(args: argparse.Namespace) -> Path | None:
    return args.registry.expanduser() if args.registry is not None else None


def cmd_add(args: argparse.Namespace) -> int:
    registry = open_registry(_registry_path(args))
    entry = new_entry(AddRequest(args.certificate, args.site, args.study, args.installation, args.note))
    replaced = registry.add(entry, replace=args.replace)
    registry.save()
    how = "the certificate file" if entry.certificate_pem else "its fingerprint only"
    print(f"Registered certificate {entry.fingerprint_shown}")
    print(f"  for {entry.naming.shown()} (from {how})")
    if replaced is not None and replaced.certificate_sha256 != entry.certificate_sha256:
        print(f"  replacing certificate {replaced.fingerprint_shown}, registered {replaced.added_at}")
    print(f"Trust registry {registry.path}: {len(registry.entries)} certificate(s).")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    registry = open_registry(_registry_path(args))
    if not registry.on_disk:
        print(f"No trust registry at {registry.path}: no site certificate is registered. "
              "Add one with `ecrf trust add --site CODE CERT`.")
        return 0
    print(f"Trust registry {registry.path}: {len(registry.entries)} certificate(s).")
    if registry.entries:
        print(listing(registry.entries))
    return 0


def listing(entries: list[TrustEntry]) -> str:
    """One row per entry in the registry's order: study, site, installation, when added, fingerprint, note."""
    ordered = sorted(entries, key=lambda e: (*e.binding, e.certificate_sha256))
    header = ["study", "site", "installation", "added (UTC)", "from", "fingerprint (SHA-256)"]
    rows = [[e.study_oid, e.site_code, e.installation_id, e.added_at,
             "certificate" if e.certificate_pem else "fingerprint", e.fingerprint_shown] for e in ordered]
    if any(e.note for e in ordered):
        header.append("note")
        for row, entry in zip(rows, ordered, strict=True):
            row.append(entry.note or "")
    return table(header, rows)


def cmd_remove(args: argparse.Namespace) -> int:
    fingerprint = None
    if args.fingerprint is not None:
        fingerprint = parse_fingerprint(args.fingerprint)
        if fingerprint is None:
            raise TrustRegistryError("trust-remove-fingerprint-invalid", spec=args.fingerprint)
    registry = load_registry(_registry_path(args))
    removed = registry.remove(Selection(args.site, args.study, args.installation, fingerprint))
    registry.save()
    print(f"Removed certificate {removed.fingerprint_shown}")
    print(f"  of {removed.naming.shown()} (registered {removed.added_at})")
    print(f"Trust registry {registry.path}: {len(registry.entries)} certificate(s). Bundles signed with the removed "
          "certificate no longer verify.")
    return 0
