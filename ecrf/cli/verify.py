"""`ecrf verify BUNDLE [--trust CERT|FINGERPRINT | --registry PATH]`: check an export bundle without any site
database, and its signer against the sponsor's trust registry (or the certificate given with --trust).

Exit codes: 0 verified and the signer is a registered (trusted) certificate of the site the bundle claims;
1 not verified (also: the signer is not registered for it, or the registry cannot be used); 3 intact, but
there was no trust source, so the signer was not checked. 3 is not 0 on purpose: a bundle anyone re-signed
with their own key is intact too, and a script must not take it for a verified one.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecrf.export.verify.bundle import Progress, Verdict, verify_bundle
from ecrf.export.verify.trust import Trust
from ecrf.merge.trust_registry import default_registry_path, load_registry

EXIT_VERIFIED, EXIT_NOT_VERIFIED, EXIT_SIGNER_NOT_CHECKED = 0, 1, 3
MORE_PROBLEMS_SHOWN = 20
EXIT_CODES = ("exit 0: verified, and the signer is the certificate registered for the site the bundle claims; "
              "1: not verified (or the signer is not registered for that site); 3: the bundle is intact but no "
              "trust registry and no --trust was there, so the signer was NOT CHECKED")


def add_verify_command(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = "check an export bundle: signature, site certificate, every file's hash, PDF signatures, ODM schema"
    cmd = sub.add_parser("verify", help=help_, description=f"{help_}. Needs no site database. The signer is "
                         f"compared with the trust registry (`ecrf trust`), or with --trust. {EXIT_CODES}.")
    cmd.add_argument("bundle", type=Path, metavar="BUNDLE", help="the bundle zip")
    source = cmd.add_mutually_exclusive_group()
    source.add_argument("--trust", metavar="CERT|FINGERPRINT",
                        help="the site's registered certificate: a PEM or DER file, or its SHA-256 fingerprint "
                             "(hex, colons allowed); used instead of the trust registry")
    source.add_argument("--registry", type=Path, metavar="PATH",
                        help="the trust registry (default: $ECRF_TRUST_REGISTRY, else sponsor/trust-registry.json "
                             "in the data folder, when it exists)")
    cmd.set_defaults(run=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    trust, registry = trust_source(args.trust, args.registry)
    verdict = verify_bundle(args.bundle.expanduser(), trust, progress=progress_printer())
    print(report(verdict, registry))
    return exit_code(verdict)


def progress_printer() -> Progress:
    """Where the check is, on standard error: one line per stage; on a terminal the PDF count counts up in place."""
    live = sys.stderr.isatty()
    shown: set[str] = set()

    def show(stage: str, done: int, total: int) -> None:
        if live and total > 1:
            end = "\n" if done + 1 == total else ""
            print(f"\r  checking {stage}: {done + 1}/{total}", end=end, file=sys.stderr, flush=True)
        elif stage not in shown:
            shown.add(stage)
            count = f" ({total:,})" if total > 1 else ""
            print(f"  checking {stage}{count}…", file=sys.stderr, flush=True)
    return show


def trust_source(trust: str | None, registry: Path | None) -> tuple[str | Trust | None, Path | None]:
    """What the signer is compared with: --trust; else the registry named, which must exist; else the default
    registry when there is one (None when there is not). Also the registry's path, for the verdict."""
    if trust is not None:
        return trust, None
    if registry is not None:
        return load_registry(registry.expanduser()).trust(), registry.expanduser()
    default = default_registry_path()
    if not default.exists():
        return None, default
    return load_registry(default).trust(), default  # a damaged default registry is refused, never skipped


def exit_code(verdict: Verdict) -> int:
    if not verdict.ok:
        return EXIT_NOT_VERIFIED
    if verdict.trust is None:
        return EXIT_SIGNER_NOT_CHECKED
    return EXIT_VERIFIED if verdict.signer_trusted else EXIT_NOT_VERIFIED


def report(verdict: Verdict, registry: Path | None = None) -> str:
    """The verdict line, then the facts (as far as they are known), then any further problems. `registry`:
    where the trust registry is (or would be), to say so when there is none."""
    lines = [_verdict_line(verdict)]
    lines += _facts(verdict)
    lines += _trust_lines(verdict, registry)
    lines += [f"  note:      {note}" for note in verdict.notes]
    more = verdict.problems[1:]
    if more:
        lines.append(f"Other problems ({len(more)}):")
        lines += [f"  {problem}" for problem in more[:MORE_PROBLEMS_SHOWN]]
        if len(more) > MORE_PROBLEMS_SHOWN:
            lines.append(f"  ... and {len(more) - MORE_PROBLEMS_SHOWN} more")
    return "\n".join(lines)


def _facts(verdict: Verdict) -> list[str]:
    facts = [("bundle", str(verdict.bundle))]
    if verdict.study:
        version = f", definition version {verdict.definition_version}" if verdict.definition_version else ""
        facts.append(("study", verdict.study + version))
    if verdict.site:
        facts.append(("site", verdict.site))
    if verdict.sequence is not None:
        as_of = f", data as of {verdict.data_as_of}" if verdict.data_as_of else ""
        facts.append(("export", f"no. {verdict.sequence}, created {verdict.created_at or '?'}{as_of}"))
    if verdict.subjects is not None:
        facts.append(("subjects", str(verdict.subjects)))
    if verdict.files is not None:
        checked = ", each with the size and SHA-256 the manifest states" if verdict.ok else ""
        facts.append(("files", f"{verdict.files} besides the manifest{checked}"))
    if verdict.events is not None:
        checked = ": chain, seals, keys and the replay of every value checked" if verdict.ok else ""
        facts.append(("trail", f"{verdict.events} events, {verdict.seals} seals{checked}"))
    if verdict.esignatures:
        checked = ": each signature, signer's key and signed data checked" if verdict.ok else ""
        facts.append(("e-signed", f"{verdict.esignatures} electronic signatures{checked}"))
    if verdict.fingerprint_shown:
        facts.append(("signed by", f"certificate SHA-256 {verdict.fingerprint_shown}"))
    lines = [f"  {label + ':':<11}{value}" for label, value in facts]
    if not verdict.ok and len(lines) > 1:
        lines.insert(1, "  (as the bundle states; not verified)")
    return lines


def _verdict_line(verdict: Verdict) -> str:
    if not verdict.ok:
        first = verdict.problems[0] if verdict.problems else "not every check ran; please report this"
        return f"NOT VERIFIED: {first}"
    if verdict.trust is None:
        return ("INTACT, signer NOT CHECKED: no trust registry and no --trust; register the site certificate with "
                "`ecrf trust add --site CODE CERT`, or give --trust CERT|FINGERPRINT")
    return "VERIFIED"


def _trust_lines(verdict: Verdict, registry: Path | None) -> list[str]:
    if verdict.fingerprint is None:
        return []
    if verdict.trust is None:
        where = f"there is no trust registry at {registry}" if registry else "there is no trust registry"
        return [f"  trust:     NOT CHECKED: {where}.",
                "             The bundle is intact, but anyone can re-sign one: compare the fingerprint above",
                "             with the one the site registered, then register it (`ecrf trust add`)."]
    bound = verdict.trust.registered_for(verdict.fingerprint)
    if verdict.signer_trusted and bound:
        return [f"  trust:     the signer is the certificate registered for {bound[0].shown()}",
                f"             ({verdict.trust.source})"]
    if verdict.signer_trusted:
        return [f"  trust:     the signer is the trusted site certificate ({verdict.trust.source})"]
    return [f"  trust:     MISMATCH: trusted {verdict.trust.shown()} ({verdict.trust.source})"]
