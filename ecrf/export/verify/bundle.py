"""`ecrf verify`: is this bundle, byte for byte, what the site signed? Needs no site database.

Checks, in order (docs/bundle-format.md, Verifying): the zip is safe to read; manifest.json is an ecrf
bundle manifest of a supported version; manifest.sig signs exactly those bytes; its certificate is the one
the manifest names, and (with --trust) the registered site certificate; the zip holds exactly the files
the manifest lists; each has its size and SHA-256; each PDF is signed by the same certificate; odm.xml
is valid ODM 1.3.2; every electronic signature verifies (ecrf.export.verify.esign). A bad bundle never
raises: every reason becomes a problem that names its file.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509

from ecrf.export.bundle.identity import certificate_fingerprint, format_fingerprint
from ecrf.export.bundle.layout import MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER, ODM
from ecrf.export.bundle.manifest import sha256_hex
from ecrf.export.bundle.manifest_sig import ManifestSignatureError, manifest_signer
from ecrf.export.errors import VerificationRefused
from ecrf.export.verify.esign import verify_signatures
from ecrf.export.verify.manifest import BundleRefused, Listed, certificate_sha256, listed_files, parse_manifest
from ecrf.export.verify.manifest import field as manifest_field
from ecrf.export.verify.trail import verify_trail
from ecrf.export.verify.trust import Trust, claimed_site, parse_trust, signer_problems
from ecrf.export.verify.zip_safety import SafeZip, UnsafeZip, ZipLimits
from ecrf.trail.keys import KeyBook

MAX_MANIFEST = 64 << 20  # 100,000 files listed take about 15 MB
MAX_SIGNATURE = 1 << 20
ODM_PROBLEM_LIMIT = 5
PARTIAL_SUFFIX = ".partial"  # what ecrf.export.bundle.writer names a zip until it is complete and logged
# Where a long verification is: (what is being checked, how many done, of how many), for a progress line.
Progress = Callable[[str, int, int], None]


def _silent(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass
class Verdict:
    bundle: Path
    problems: list[str] = field(default_factory=list)  # the first is the reason printed
    study: str | None = None
    definition_version: str | None = None
    site: str | None = None
    sequence: int | None = None
    created_at: str | None = None
    data_as_of: str | None = None
    subjects: int | None = None
    files: int | None = None
    fingerprint: str | None = None  # SHA-256 of the certificate that signed manifest.sig
    trust: Trust | None = None  # what the signer was compared with; None: not compared
    notes: list[str] = field(default_factory=list)  # facts to weigh the verdict (events before seals, a finding)
    events: int | None = None
    seals: int | None = None
    esignatures: int | None = None  # electronic signatures checked (csv/signatures.csv)
    signer_trusted: bool = False  # a trusted certificate registered for the study and site the manifest claims
    finished: bool = False  # every check ran (guards against a verdict of OK from a check that was skipped)

    @property
    def ok(self) -> bool:
        return self.finished and not self.problems

    @property
    def trust_checked(self) -> bool:
        return self.trust is not None

    @property
    def fingerprint_shown(self) -> str | None:
        return format_fingerprint(self.fingerprint) if self.fingerprint else None


def verify_bundle(path: Path, trust: str | Trust | None = None, limits: ZipLimits | None = None,
                  progress: Progress | None = None) -> Verdict:
    """`trust`: what `--trust` says (a certificate file or a fingerprint), a ready `Trust` (the sponsor's
    registry gives one), or None: the signer is then not compared with any registered certificate.
    `progress` hears each stage (and each PDF) of a long check."""
    verdict = Verdict(Path(path))
    try:
        verdict.trust = parse_trust(trust) if isinstance(trust, str) else trust
        if verdict.bundle.name.endswith(PARTIAL_SUFFIX):
            # Never published: its export was not logged, so its sequence number will be used again.
            raise BundleRefused("bundle-unfinished", name=verdict.bundle.name, suffix=PARTIAL_SUFFIX)
        with SafeZip(verdict.bundle, limits) as bundle:
            _verify(bundle, verdict, progress or _silent)
    except VerificationRefused as exc:  # TrustError, BundleRefused, UnsafeZip: the verdict's reason
        verdict.problems.append(exc.message)
    except Exception as exc:  # noqa: BLE001 - a bundle must never crash the verifier: it is a refusal too
        verdict.problems.append(f"{verdict.bundle.name}: verification stopped by an unexpected error "
                                f"({type(exc).__name__}: {exc}); the bundle is not verified — please report this")
    return verdict


def _verify(bundle: SafeZip, verdict: Verdict, progress: Progress) -> None:
    progress("manifest and its signature", 0, 1)
    manifest_bytes = _read_small(bundle, MANIFEST, MAX_MANIFEST, "manifest-missing")
    manifest = parse_manifest(manifest_bytes)
    _note_facts(verdict, manifest)
    signature = _read_small(bundle, MANIFEST_SIG, MAX_SIGNATURE, "signature-missing")
    certificate = _signer(manifest_bytes, signature, certificate_sha256(manifest))
    verdict.fingerprint = certificate_fingerprint(certificate)
    verdict.problems.extend(_signer_identity_problems(verdict, certificate, manifest))
    listed = listed_files(manifest)
    verdict.files = len(listed)
    progress("every file's size and SHA-256", 0, len(listed))
    integrity = _entry_problems(bundle, listed) + _content_problems(bundle, listed)
    verdict.problems.extend(integrity)
    if not integrity:  # a tampered file is already refused; its PDF or XML would only add noise
        verdict.problems.extend(_pdf_problems(bundle, listed, certificate, progress))
        progress("odm.xml against the ODM 1.3.2 schema", 0, 1)
        verdict.problems.extend(_odm_problems(bundle))
        progress("the audit trail: chain, seals, keys, replay", 0, 1)
        trail = verify_trail(bundle, manifest, sha256_hex(manifest_bytes), certificate)
        verdict.problems.extend(trail.problems)
        verdict.notes.extend(trail.notes)
        verdict.events = trail.report.events if trail.report else None
        verdict.seals = trail.report.seals if trail.report else None
        if trail.report is not None:  # the signers' keys come from the checked trail
            progress("electronic signatures", 0, 1)
            _check_esignatures(bundle, manifest, trail.report.keys, verdict)
    verdict.finished = True


def _check_esignatures(bundle: SafeZip, manifest: dict[str, Any], keys: KeyBook, verdict: Verdict) -> None:
    found = verify_signatures(bundle, manifest, keys)
    verdict.esignatures = found.checked
    verdict.problems.extend(found.problems)
    if found.broken:
        verdict.notes.append(f"{found.broken} electronic signature(s) are marked broken: the data they covered "
                             "changed after signing (the audit trail says when and why)")


def _signer_identity_problems(verdict: Verdict, certificate: x509.Certificate, manifest: dict[str, Any]) -> list[str]:
    """The signer must name the site the manifest claims, and with a trust be registered for it. Not fatal:
    the integrity checks after it still tell the user what else is wrong."""
    claim = claimed_site(manifest)
    verdict.signer_trusted = verdict.trust is not None and verdict.trust.trusts(certificate, claim)
    return signer_problems(certificate, claim, verdict.trust)


def _read_small(bundle: SafeZip, name: str, limit: int, absent_code: str) -> bytes:
    if name not in bundle.names():
        raise BundleRefused(absent_code, name=name)
    if bundle.declared_size(name) > limit:
        raise BundleRefused("bundle-member-too-large", name=name, size=f"{bundle.declared_size(name):,}")
    return bundle.read(name)


def _signer(manifest: bytes, signature: bytes, named_sha256: str) -> x509.Certificate:
    try:
        certificate = manifest_signer(manifest, signature)
    except ManifestSignatureError as exc:
        if exc.manifest_changed:
            raise BundleRefused("manifest-edited", file=MANIFEST, signature=MANIFEST_SIG) from None
        raise BundleRefused("signature-refused", file=MANIFEST_SIG, reason=exc) from None
    actual = certificate_fingerprint(certificate)
    if actual != named_sha256:
        raise BundleRefused("signature-certificate-mismatch", file=MANIFEST_SIG, actual=format_fingerprint(actual),
                            named=format_fingerprint(named_sha256))
    return certificate


def _note_facts(verdict: Verdict, manifest: dict[str, Any]) -> None:
    """What the bundle claims to be, kept for printing (verified only when the verdict is OK)."""
    def text(section: str, key: str) -> str | None:
        value = manifest_field(manifest, section, key)
        return value if isinstance(value, str) else None

    def number(section: str, key: str) -> int | None:
        value = manifest_field(manifest, section, key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    code, name = text("site", "code"), text("site", "name")
    verdict.site = f"{code} ({name})" if code and name else code or name
    verdict.study, verdict.definition_version = text("study", "oid"), text("study", "definition_version")
    verdict.sequence, verdict.subjects = number("export", "sequence"), number("counts", "subjects")
    verdict.created_at, verdict.data_as_of = text("export", "created_at"), text("export", "data_as_of")


def _entry_problems(bundle: SafeZip, listed: dict[str, Listed]) -> list[str]:
    present = set(bundle.names()) - {MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER}
    missing, extra = sorted(listed.keys() - present), sorted(present - listed.keys())
    problems = [f"{path}: listed in the manifest but missing from the bundle" for path in missing]
    problems += [f"{path}: in the bundle but not listed in the manifest (added after signing)"
                 for path in extra]
    if ODM not in listed:
        problems.append(f"{ODM}: not listed in the manifest; every bundle has one")
    return problems


def _content_problems(bundle: SafeZip, listed: dict[str, Listed]) -> list[str]:
    """Every present listed file: its size and SHA-256, streamed. A damaged or hostile entry stops the walk."""
    problems = []
    for path in sorted(listed.keys() & set(bundle.names())):
        expected = listed[path]
        if bundle.declared_size(path) != expected.size:
            problems.append(f"{path}: {bundle.declared_size(path):,} bytes, but the manifest says {expected.size:,}: "
                            "the file was changed after signing")
            continue
        try:
            sha256, size = bundle.sha256_and_size(path)
        except UnsafeZip as exc:
            return [*problems, exc.reason]
        if size != expected.size or sha256 != expected.sha256:
            problems.append(f"{path}: its content differs from the manifest (SHA-256 {sha256}, the manifest says "
                            f"{expected.sha256}): the file was changed after signing")
    return problems


def pdf_problem(pdf: bytes, certificate: x509.Certificate) -> str | None:
    """Why this PDF's signature is not a valid one by `certificate` (pyHanko), or None."""
    from ecrf.export.pdf.sign import pdf_signature_problem

    return pdf_signature_problem(pdf, certificate)


def odm_problems(stream: BinaryIO) -> list[str]:
    """Where odm.xml breaks the ODM 1.3.2 schema (the first few), or []."""
    from ecrf.export.odm.schema import schema_problems

    return schema_problems(stream, limit=ODM_PROBLEM_LIMIT)


def _pdf_problems(bundle: SafeZip, listed: dict[str, Listed], certificate: x509.Certificate,
                  progress: Progress) -> list[str]:
    problems = []
    pdfs = sorted(p for p in listed if p.lower().endswith(".pdf"))
    for done, path in enumerate(pdfs):
        progress("PDF signatures", done, len(pdfs))
        try:
            problem = pdf_problem(bundle.read(path), certificate)
        except UnsafeZip as exc:
            problem = exc.reason
        except Exception as exc:  # noqa: BLE001 - a PDF that crashes the validator is a PDF that did not verify
            problem = f"its signature could not be checked ({type(exc).__name__}: {exc})"
        if problem:
            problems.append(_named(path, problem))
    return problems


def _odm_problems(bundle: SafeZip) -> list[str]:
    try:
        with bundle.open(ODM) as stream:
            found = odm_problems(stream)
    except UnsafeZip as exc:
        return [exc.reason]
    except Exception as exc:  # noqa: BLE001 - see _pdf_problems
        return [f"{ODM}: could not be checked against the ODM 1.3.2 schema ({type(exc).__name__}: {exc})"]
    return [_named(ODM, problem) for problem in found]


def _named(path: str, problem: str) -> str:
    return problem if problem.startswith(f"{path}:") else f"{path}: {problem}"
