"""`--trust`: the site certificate the sponsor registered, as a certificate file or its SHA-256 fingerprint;
and whether the signer is that site's certificate.

A bundle carries its own certificate, so a bundle re-signed by anyone verifies *internally*; only a
comparison with the registered certificate shows it came from the site. Trust binds identity: the signer
must name the study, site and installation the manifest claims (checked with or without --trust), and a
certificate from a trust file matches only when it is the signer *and* names that same site, so a file of
several sites' certificates never lets site B sign for site A.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from ecrf.export.bundle.identity import (
    SiteNaming,
    certificate_fingerprint,
    format_fingerprint,
    names_site,
    naming_shown,
)
from ecrf.export.bundle.layout import MANIFEST_SIG
from ecrf.export.errors import VerificationRefused
from ecrf.export.verify.manifest import field

MAX_CERTIFICATE_FILE = 1 << 20
# Accepts `ab12...`, `AB:12:...` and what `openssl x509 -fingerprint -sha256` prints: `sha256 Fingerprint=AB:12...`.
_PREFIX = re.compile(r"^(sha-?256)?\s*(fingerprint)?\s*[=:]?\s*")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class TrustError(VerificationRefused):
    """The --trust argument names no usable certificate or fingerprint."""


@dataclass(frozen=True)
class Trust:
    fingerprints: frozenset[str]  # lower-case hex SHA-256 of the trusted DER certificates
    source: str  # how the user gave it, for the verdict

    def matches(self, fingerprint: str) -> bool:
        """The signer is one of the trusted certificates (whichever site it names)."""
        return fingerprint.lower() in self.fingerprints

    def trusts(self, signer: x509.Certificate, claim: SiteNaming) -> bool:
        """The signer is a trusted certificate *for the site the bundle claims*. An entry that matches by
        fingerprint is the signer's very certificate, so the study, site and installation it names are the
        signer's: a file listing sites A and B never lets B's certificate stand for A."""
        return self.matches(certificate_fingerprint(signer)) and names_site(signer, claim)

    def shown(self) -> str:
        return ", ".join(format_fingerprint(f) for f in sorted(self.fingerprints))


def claimed_site(manifest: dict[str, Any]) -> SiteNaming:
    """The study, site and installation the manifest says the bundle comes from (None where it does not say)."""
    def text(section: str, key: str) -> str | None:
        value = field(manifest, section, key)
        return value if isinstance(value, str) else None

    return SiteNaming(text("study", "oid"), text("site", "code"), text("site", "installation_id"))


def signer_problems(signer: x509.Certificate, claim: SiteNaming, trust: Trust | None) -> list[str]:
    """Why the signer is not the site the manifest claims (or, with --trust, not its registered certificate)."""
    if not names_site(signer, claim):
        return [VerificationRefused("signer-names-other-site", file=MANIFEST_SIG, signer=naming_shown(signer),
                                    claimed=claim.shown()).message]
    if trust is not None and not trust.trusts(signer, claim):
        fingerprint = format_fingerprint(certificate_fingerprint(signer))
        return [VerificationRefused("signer-not-trusted", file=MANIFEST_SIG, fingerprint=fingerprint,
                                    trusted=trust.shown()).message]
    return []


def parse_trust(spec: str) -> Trust:
    """A certificate file (PEM with one or more certificates, or DER) or a SHA-256 fingerprint."""
    path = Path(spec).expanduser()
    if path.is_file():
        return Trust(frozenset(certificate_fingerprint(c) for c in _certificates(path, spec)),
                     f"certificate file {spec}")
    text = _PREFIX.sub("", spec.strip().lower())
    text = re.sub(r"[\s:]", "", text)
    if _HEX64.match(text):
        return Trust(frozenset({text}), "fingerprint given with --trust")
    if "/" in spec or "\\" in spec or spec.lower().endswith((".pem", ".crt", ".cer", ".der")):
        raise TrustError("trust-file-missing", spec=spec)
    raise TrustError("trust-not-recognised", spec=spec)


def _certificates(path: Path, spec: str) -> list[x509.Certificate]:
    try:
        if path.stat().st_size > MAX_CERTIFICATE_FILE:
            raise TrustError("trust-file-too-large", spec=spec)
        data = path.read_bytes()
    except OSError as exc:
        raise TrustError("trust-file-unreadable", spec=spec, reason=exc.strerror or exc) from None
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise TrustError("trust-not-certificate", spec=spec) from None
