"""`--trust`: the site certificate the sponsor registered, as a certificate file or its SHA-256 fingerprint.

A bundle carries its own certificate, so a bundle re-signed by anyone verifies *internally*; only a
comparison with the registered certificate shows it came from the site.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from ecrf.export.bundle.identity import certificate_fingerprint, format_fingerprint
from ecrf.export.errors import VerificationRefused

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
        return fingerprint.lower() in self.fingerprints

    def shown(self) -> str:
        return ", ".join(format_fingerprint(f) for f in sorted(self.fingerprints))


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
