"""`ecrf verify BUNDLE [--trust CERT|FINGERPRINT]`: check an export bundle without any site database."""
from __future__ import annotations

import argparse
from pathlib import Path

from ecrf.export.verify.bundle import Verdict, verify_bundle

EXIT_VERIFIED, EXIT_NOT_VERIFIED = 0, 1
MORE_PROBLEMS_SHOWN = 20


def add_verify_command(sub: argparse._SubParsersAction) -> None:  # argparse has no public name for it
    help_ = "check an export bundle: signature, site certificate, every file's hash, PDF signatures, ODM schema"
    cmd = sub.add_parser("verify", help=help_, description=help_ + ". Needs no site database; exit 0 when "
                         "verified, 1 when not.")
    cmd.add_argument("bundle", type=Path, metavar="BUNDLE", help="the bundle zip")
    cmd.add_argument("--trust", metavar="CERT|FINGERPRINT",
                     help="the site's registered certificate: a PEM or DER file, or its SHA-256 fingerprint "
                          "(hex, colons allowed); without it the signer is not compared with the registered site")
    cmd.set_defaults(run=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    verdict = verify_bundle(args.bundle.expanduser(), args.trust)
    print(report(verdict))
    return EXIT_VERIFIED if verdict.ok else EXIT_NOT_VERIFIED


def report(verdict: Verdict) -> str:
    """The verdict line, then the facts (as far as they are known), then any further problems."""
    first = verdict.problems[0] if verdict.problems else "not every check ran; please report this"
    lines = ["VERIFIED" if verdict.ok else f"NOT VERIFIED: {first}"]
    lines += _facts(verdict)
    lines += _trust_lines(verdict)
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


def _trust_lines(verdict: Verdict) -> list[str]:
    if verdict.fingerprint is None:
        return []
    if verdict.trust is None:
        return ["  trust:     NOT CHECKED: the signer was not compared with a registered site certificate. Compare",
                "             the fingerprint above with the one the site registered, or run again with --trust."]
    if verdict.signer_trusted:
        return [f"  trust:     the signer is the trusted site certificate ({verdict.trust.source})"]
    return [f"  trust:     MISMATCH: trusted {verdict.trust.shown()} ({verdict.trust.source})"]
