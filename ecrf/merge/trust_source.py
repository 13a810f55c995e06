"""A new registry entry from what the sponsor gives `ecrf trust add`: a certificate file or a fingerprint.

A certificate names its study, site and installation itself (`certificate_naming`), so an entry made from
the file takes them from there, and every option given must agree with it (`--site CN02` with CN01's
certificate is a slip that would bind the wrong site). A fingerprint names nothing: the entry binds what
`--study`, `--site` and `--installation` say, all three required. A certificate made before certificates
named their installation needs `--installation` (and, without any names, `--study` too), checked against the
words it carries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ecrf.export.bundle.identity import (
    SiteNaming,
    certificate_fingerprint,
    certificate_naming,
    format_fingerprint,
    names_site,
    naming_shown,
)
from ecrf.export.verify.trust import parse_fingerprint
from ecrf.merge.errors import TrustRegistryError
from ecrf.merge.trust_entry import MAX_NOTE, MAX_TEXT, TrustEntry, text_problem

MAX_CERTIFICATE_FILE = 1 << 20
_PATH_LIKE = (".pem", ".crt", ".cer", ".der")


@dataclass(frozen=True)
class AddRequest:
    """`ecrf trust add`'s arguments."""

    spec: str  # CERT|FINGERPRINT as typed
    site_code: str
    study_oid: str | None = None
    installation_id: str | None = None
    note: str | None = None


def new_entry(request: AddRequest, now: datetime | None = None) -> TrustEntry:
    """The entry `request` asks for, checked (not yet in any registry)."""
    _check_options(request)
    added_at = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = Path(request.spec).expanduser()
    if path.is_file():
        return _from_certificate(request, _read_certificate(path, request.spec), added_at)
    fingerprint = parse_fingerprint(request.spec)
    if fingerprint is not None:
        return _from_fingerprint(request, fingerprint, added_at)
    if "/" in request.spec or "\\" in request.spec or request.spec.lower().endswith(_PATH_LIKE):
        raise TrustRegistryError("trust-certificate-missing", spec=request.spec)
    raise TrustRegistryError("trust-add-not-recognised", spec=request.spec)


def _check_options(request: AddRequest) -> None:
    for option, value in (("--site", request.site_code), ("--study", request.study_oid),
                          ("--installation", request.installation_id), ("--note", request.note)):
        problem = text_problem(value, MAX_NOTE if option == "--note" else MAX_TEXT) if value is not None else None
        if problem is not None:
            raise TrustRegistryError("trust-option-invalid", option=option, problem=problem)


def _from_fingerprint(request: AddRequest, fingerprint: str, added_at: str) -> TrustEntry:
    missing = [option for option, value in (("--study OID", request.study_oid),
                                            ("--installation ID", request.installation_id)) if value is None]
    if missing or request.study_oid is None or request.installation_id is None:  # the second half: for mypy
        raise TrustRegistryError("trust-fingerprint-unbound", fingerprint=format_fingerprint(fingerprint),
                                 missing=" ".join(missing))
    return TrustEntry(request.study_oid, request.site_code, request.installation_id, fingerprint, added_at,
                      None, request.note)


def _from_certificate(request: AddRequest, certificate: x509.Certificate, added_at: str) -> TrustEntry:
    naming = _binding(request, certificate)
    if naming.study_oid is None or naming.installation_id is None:  # _binding asked for them: for mypy
        raise TrustRegistryError("trust-certificate-unnamed", spec=request.spec, named=naming_shown(certificate))
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return TrustEntry(naming.study_oid, request.site_code, naming.installation_id,
                      certificate_fingerprint(certificate), added_at, pem, request.note)


def _binding(request: AddRequest, certificate: x509.Certificate) -> SiteNaming:
    """The study, site and installation the certificate is registered for: its own, which the options must
    match; what the options add where an older certificate does not say."""
    named = certificate_naming(certificate)
    if named is None:  # an older certificate: study and site in words only
        if request.study_oid is None or request.installation_id is None:
            raise TrustRegistryError("trust-certificate-unnamed", spec=request.spec, named=naming_shown(certificate))
        wanted = SiteNaming(request.study_oid, request.site_code, request.installation_id)
        if not names_site(certificate, wanted):
            raise TrustRegistryError("trust-certificate-other-site", spec=request.spec,
                                     named=naming_shown(certificate), wanted=wanted.shown())
        return wanted
    for option, given, own in (("--site", request.site_code, named.site_code),
                               ("--study", request.study_oid, named.study_oid),
                               ("--installation", request.installation_id, named.installation_id)):
        if given is not None and own is not None and given != own:
            raise TrustRegistryError("trust-option-mismatch", option=option, given=given, own=own,
                                     spec=request.spec, named=named.shown())
        if own is not None and text_problem(own) is not None:
            raise TrustRegistryError("trust-certificate-bad-name", spec=request.spec, option=option)
    if named.installation_id is None and request.installation_id is None:
        raise TrustRegistryError("trust-certificate-unnamed", spec=request.spec, named=named.shown())
    return SiteNaming(named.study_oid, named.site_code, named.installation_id or request.installation_id)


def _read_certificate(path: Path, spec: str) -> x509.Certificate:
    """The one certificate in a PEM or DER file."""
    try:
        if path.stat().st_size > MAX_CERTIFICATE_FILE:
            raise TrustRegistryError("trust-certificate-too-large", spec=spec)
        data = path.read_bytes()
    except OSError as exc:
        raise TrustRegistryError("trust-certificate-unreadable", spec=spec, reason=exc.strerror or exc) from None
    try:
        certificates = (x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data
                        else [x509.load_der_x509_certificate(data)])
    except ValueError:
        raise TrustRegistryError("trust-certificate-invalid", spec=spec) from None
    if len(certificates) != 1:  # each entry binds one certificate to one site: a file of several binds nothing
        raise TrustRegistryError("trust-certificate-several", spec=spec, count=len(certificates))
    return certificates[0]
