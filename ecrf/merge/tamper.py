"""Whether a bundle the verifier refused was altered or forged (refused with an alarm) or only damaged, unreadable
or not for this merge (refused without one).

The line: an alarm needs evidence that a transfer error or a full disk cannot give. A damaged zip fails its own
checks (a CRC, a truncated directory) before anything signed is compared; an altered one is a well-formed zip
whose signed content no longer matches its signatures. So a bundle is refused with an alarm when

- its zip holds structures ecrf never writes and damage does not make (bytes before or after the zip, comments,
  extra fields, a local header that contradicts the directory, zip-bomb tricks);
- manifest.sig is missing, is not a valid signature over manifest.json, or is by another certificate than the
  manifest names;
- the signer's certificate names another site, study or installation than the manifest claims;
- a file was added, removed or changed after signing (size or SHA-256 not the manifest's);
- or every file is as signed, yet the signatures inside do not hold: a PDF not signed by the site key, the
  audit trail's chain, seals, keys or replay, an electronic signature.

It is refused without an alarm when the zip is damaged, truncated, empty or too large to read; when manifest.json
is missing or not an ecrf manifest of a version this ecrf reads (nothing signed was reached); when it is an
unfinished export; and when it is intact and signed but not taken: a signer not (yet) registered, odm.xml against
the schema, another study or definition (checked after verification), a subject another site holds, or a
verifier that could not finish. These are mistakes to put right, not attacks.

The verdict's problems are sentences; the classification is not read from their words but from checks redone
here on the same private copy (the zip, the manifest signature, every file's hash), which costs one more read of
a refused bundle only.
"""
from __future__ import annotations

from pathlib import Path

from cryptography import x509

from ecrf.export.bundle.identity import SiteNaming, certificate_fingerprint, names_site
from ecrf.export.bundle.layout import MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER, ODM
from ecrf.export.bundle.manifest_sig import ManifestSignatureError, manifest_signer
from ecrf.export.verify.bundle import MAX_MANIFEST, MAX_SIGNATURE, PARTIAL_SUFFIX, Verdict
from ecrf.export.verify.manifest import BundleRefused, Listed, certificate_sha256, listed_files, parse_manifest
from ecrf.export.verify.trust import claimed_site
from ecrf.export.verify.zip_safety import SafeZip, UnsafeZip

# What a copy, a disk or a size limit does to a zip (ecrf.export.verify.zip_safety, zip_layout): no alarm.
# Every other reason a zip is unsafe is a structure ecrf never writes: an alarm (so is a reason added later).
DAMAGE_CODES = frozenset({
    "bundle-file-missing", "bundle-is-folder", "bundle-file-empty", "bundle-not-zip", "bundle-unreadable",
    "bundle-zip-unreadable", "zip-structure-damaged", "zip-entry-damaged", "zip-entry-missing",
    "zip-entry-no-local-header", "zip-entries-overlap", "zip-entry-zip64-damaged", "zip-entry-too-large",
    "zip-total-too-large", "zip-too-many-entries", "zip-declared-too-large"})
UNSIGNED_MEMBERS = frozenset({MANIFEST, MANIFEST_SIG, MANIFEST_SIGNER})  # not in the manifest's own list


def tamper_evidence(copy: Path, verdict: Verdict) -> str | None:
    """The reason to record with an alarm when the refused bundle at `copy` was altered or forged, else None.
    The reason is the verdict's own sentence for the failed check (the first that is evidence)."""
    if verdict.ok or not verdict.problems or verdict.trust is None or copy.name.endswith(PARTIAL_SUFFIX):
        return None  # a trust that could not be read, an unfinished export: nothing about the bundle itself
    try:
        with SafeZip(copy) as bundle:
            return _evidence(bundle, verdict)
    except UnsafeZip as exc:
        return None if exc.code in DAMAGE_CODES else exc.message
    except BundleRefused:  # manifest.json missing, damaged, or not an ecrf manifest: nothing signed was reached
        return None


def _evidence(bundle: SafeZip, verdict: Verdict) -> str | None:
    manifest_bytes = _member(bundle, MANIFEST, MAX_MANIFEST)
    if manifest_bytes is None:
        return None
    manifest = parse_manifest(manifest_bytes)
    signer = _valid_signer(bundle, manifest_bytes)
    if signer is None or certificate_fingerprint(signer) != certificate_sha256(manifest):
        return _first(verdict)  # unsigned, a broken or swapped signature, or a manifest edited after signing
    claim = claimed_site(manifest)
    if not names_site(signer, claim):
        return _first(verdict)  # another site's key signing for this one
    taken_as_is = _registration_problems(verdict, signer, claim)
    if not _as_signed(bundle, listed_files(manifest)):
        return _first(verdict, taken_as_is)
    # Every file is what the site key signed: left are the registration, the ODM schema, a verifier that stopped,
    # and the signatures inside (PDFs, the trail, electronic signatures), which are evidence.
    taken_as_is |= {p for p in verdict.problems if p.startswith(f"{ODM}:")}
    if not verdict.finished and verdict.problems:
        taken_as_is.add(verdict.problems[-1])
    rest = [p for p in verdict.problems if p not in taken_as_is]
    return rest[0] if rest else None


def _member(bundle: SafeZip, name: str, limit: int) -> bytes | None:
    """A small member's bytes; None when it is absent or too large to be what it says."""
    if name not in bundle.names() or bundle.declared_size(name) > limit:
        return None
    return bundle.read(name)


def _valid_signer(bundle: SafeZip, manifest_bytes: bytes) -> x509.Certificate | None:
    signature = _member(bundle, MANIFEST_SIG, MAX_SIGNATURE)
    if signature is None:
        return None
    try:
        return manifest_signer(manifest_bytes, signature)
    except ManifestSignatureError:
        return None


def _registration_problems(verdict: Verdict, signer: x509.Certificate, claim: SiteNaming) -> set[str]:
    """The sponsor has not registered this site's certificate (for this claim): a refusal to put right by
    registering it, not evidence against the bundle."""
    refused = verdict.trust.problem(signer, claim) if verdict.trust is not None else None
    return {refused.message} if refused is not None else set()


def _as_signed(bundle: SafeZip, listed: dict[str, Listed]) -> bool:
    """Exactly the files the manifest lists, each of its size and SHA-256 (a damaged entry raises UnsafeZip)."""
    if set(bundle.names()) - UNSIGNED_MEMBERS != listed.keys():
        return False
    for path, expected in listed.items():
        if bundle.declared_size(path) != expected.size:
            return False
        if bundle.sha256_and_size(path) != (expected.sha256, expected.size):
            return False
    return True


def _first(verdict: Verdict, besides: set[str] | frozenset[str] = frozenset()) -> str:
    """The verdict's first problem that is not one of `besides` (its first, should all be)."""
    return next((p for p in verdict.problems if p not in besides), verdict.problems[0])
