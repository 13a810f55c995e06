"""`--trust`: the site certificate the sponsor registered, as a certificate file or its SHA-256 fingerprint;
and whether the signer is that site's certificate.

A bundle carries its own certificate, so a bundle re-signed by anyone verifies *internally*; only a
comparison with the registered certificate shows it came from the site. Trust binds identity: the signer
must name the study, site and installation the manifest claims (checked with or without --trust), and a
certificate from a trust file matches only when it is the signer *and* names that same site, so a file of
several sites' certificates never lets site B sign for site A.

The sponsor's trust registry (ecrf.merge.trust_registry, which this layer does not import) hands in a ready
`Trust` made with `Trust.registered`: there each fingerprint is bound to the one study, site and installation
it was registered for, and the manifest's claim must equal that binding exactly, so a registered certificate
never vouches for another site or installation (for an entry registered by fingerprint alone, the binding
is all the sponsor said about it).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
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
class Registered:
    """One registry entry as the verifier needs it: a certificate's fingerprint and what it is registered for."""

    fingerprint: str  # lower-case hex SHA-256 of the DER certificate
    naming: SiteNaming  # the study, site and installation the sponsor registered it for


@dataclass(frozen=True)
class Trust:
    fingerprints: frozenset[str]  # lower-case hex SHA-256 of the trusted DER certificates
    source: str  # how the user gave it, for the verdict
    bindings: frozenset[Registered] = frozenset()  # from a registry: what each fingerprint is registered for
    registry: str | None = None  # the registry's path, when the trust comes from one

    @classmethod
    def registered(cls, entries: Iterable[Registered], registry: str) -> Trust:
        """The trust of a sponsor's registry: every fingerprint bound to its study, site and installation."""
        bindings = frozenset(Registered(e.fingerprint.lower(), e.naming) for e in entries)
        return cls(frozenset(b.fingerprint for b in bindings), f"trust registry {registry}", bindings, registry)

    def matches(self, fingerprint: str) -> bool:
        """The signer is one of the trusted certificates (whichever site it names)."""
        return fingerprint.lower() in self.fingerprints

    def registered_for(self, fingerprint: str) -> list[SiteNaming]:
        """What a registry binds this fingerprint to (one entry, by the registry's rules); [] outside a registry."""
        return [b.naming for b in self.bindings if b.fingerprint == fingerprint.lower()]

    def trusts(self, signer: x509.Certificate, claim: SiteNaming) -> bool:
        """The signer is a trusted certificate *for the site the bundle claims*. An entry that matches by
        fingerprint is the signer's very certificate, so the study, site and installation it names are the
        signer's: a file listing sites A and B never lets B's certificate stand for A. A registry entry binds
        it besides: the claim must be exactly what the sponsor registered the certificate for."""
        fingerprint = certificate_fingerprint(signer)
        if not self.matches(fingerprint) or not names_site(signer, claim):
            return False
        bound = self.registered_for(fingerprint)
        if self.registry is None and not bound:
            return True  # a --trust certificate: the names it carries are its binding (checked above)
        return claim in bound

    def problem(self, signer: x509.Certificate, claim: SiteNaming) -> VerificationRefused | None:
        """Why this trust does not vouch for the signer as the site the manifest claims (None: it does)."""
        if self.trusts(signer, claim):
            return None
        fingerprint = certificate_fingerprint(signer)
        shown = format_fingerprint(fingerprint)
        if self.registry is None:
            return VerificationRefused("signer-not-trusted", file=MANIFEST_SIG, fingerprint=shown,
                                       trusted=self.shown())
        bound = self.registered_for(fingerprint)
        if not bound:
            return VerificationRefused("signer-not-registered", file=MANIFEST_SIG, fingerprint=shown,
                                       registry=self.registry)
        return VerificationRefused("signer-registered-elsewhere", file=MANIFEST_SIG, fingerprint=shown,
                                   registry=self.registry, registered=bound[0].shown(), claimed=claim.shown())

    def shown(self) -> str:
        if self.registry is not None:  # a registry may hold hundreds: their number, not every fingerprint
            return f"{len(self.fingerprints)} registered certificate(s)"
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
    refused = trust.problem(signer, claim) if trust is not None else None
    return [refused.message] if refused is not None else []


def parse_trust(spec: str) -> Trust:
    """A certificate file (PEM with one or more certificates, or DER) or a SHA-256 fingerprint."""
    path = Path(spec).expanduser()
    if path.is_file():
        return Trust(frozenset(certificate_fingerprint(c) for c in _certificates(path, spec)),
                     f"certificate file {spec}")
    fingerprint = parse_fingerprint(spec)
    if fingerprint is not None:
        return Trust(frozenset({fingerprint}), "fingerprint given with --trust")
    if "/" in spec or "\\" in spec or spec.lower().endswith((".pem", ".crt", ".cer", ".der")):
        raise TrustError("trust-file-missing", spec=spec)
    raise TrustError("trust-not-recognised", spec=spec)


def parse_fingerprint(text: str) -> str | None:
    """A SHA-256 fingerprint as lower-case hex (from `ab12...`, `AB:12:...` or openssl's output), or None."""
    hex_digits = re.sub(r"[\s:]", "", _PREFIX.sub("", text.strip().lower()))
    return hex_digits if _HEX64.match(hex_digits) else None


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
