"""The site's signing identity: an ECDSA P-256 key and a self-signed X.509 certificate naming study, site and
installation.

The private key lives only inside the encrypted site database; the certificate (and its SHA-256
fingerprint, which the sponsor registers) travels in every bundle. P-256 with SHA-256 is what PAdES
viewers (Acrobat, pyHanko, poppler) all accept.

The certificate names what it signs for twice: in words for people (`CN=ecrf site CN01 of study X`, cut at
64 characters as X.509 allows) and exactly, for the verifier, as subject-alternative-name URIs
`urn:ecrf:study:<oid>`, `urn:ecrf:site:<code>` and `urn:ecrf:installation:<db_id>` (percent-encoded). A
verifier accepts a signature only for the study, site and installation its certificate names, so one site's
key cannot sign for another even where both certificates are trusted. Certificates made before the URIs
existed name study and site only in words; they still match on those.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ecrf.errors import Localized
from ecrf.trail.seals import SEALED_TRAIL_URN

# A trial runs for years and a bundle must verify long after; the sponsor trusts the fingerprint, not a CA.
VALIDITY = timedelta(days=365 * 25)
STUDY_URN, SITE_URN, INSTALLATION_URN = "urn:ecrf:study:", "urn:ecrf:site:", "urn:ecrf:installation:"
_NAME_LIMIT = 64  # upper bound of CN, O and OU (RFC 5280)


@dataclass(frozen=True)
class SiteNaming:
    """The study, site and installation a bundle comes from (as a manifest claims or a certificate names)."""

    study_oid: str | None
    site_code: str | None
    installation_id: str | None  # None in a certificate: made before certificates named their installation

    def shown(self) -> Localized:
        study, site = self.study_oid or "?", self.site_code or "?"
        en, zh = f"site {site} of study {study}", f"研究 {study} 的中心 {site}"
        if self.installation_id:
            en, zh = f"{en}, installation {self.installation_id}", f"{zh}，安装 {self.installation_id}"
        return Localized(en, zh)


@dataclass(frozen=True)
class SigningIdentity:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate)

    def key_der(self) -> bytes:
        """PKCS#8, unencrypted: the database around it is the encryption."""
        return self.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    @classmethod
    def from_der(cls, key_der: bytes, certificate_der: bytes) -> SigningIdentity:
        key = serialization.load_der_private_key(key_der, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise TypeError("the stored signing key is not an ECDSA key")
        return cls(key, x509.load_der_x509_certificate(certificate_der))


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, lower-case hex: what `ecrf site certificate` prints."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def format_fingerprint(fingerprint: str) -> str:
    """`AB:CD:...` as certificate viewers show it, easier to compare by eye."""
    return ":".join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2)).upper()


def new_identity(study_oid: str, site_code: str, site_name: str, now: datetime,
                 installation_id: str | None = None, *, sealed_trail: bool = False) -> SigningIdentity:
    """A new key and certificate for one site installation (`installation_id`: the site database's db_id).
    `sealed_trail`: the site is being created with a sealed trail, and the certificate says so."""
    key = ec.generate_private_key(ec.SECP256R1())
    common_name, unit = _subject_words(study_oid, site_code)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, (site_name or site_code)[:_NAME_LIMIT]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
    ])
    uris = [STUDY_URN + quote(study_oid, safe=""), SITE_URN + quote(site_code, safe="")]
    if installation_id:
        uris.append(INSTALLATION_URN + quote(installation_id, safe=""))
    if sealed_trail:
        uris.append(SEALED_TRAIL_URN)
    return self_signed_identity(key, name, uris, now)


def self_signed_identity(key: ec.EllipticCurvePrivateKey, name: x509.Name, uris: list[str],
                         now: datetime) -> SigningIdentity:
    """A self-signed signing certificate for `key` (a site's, or the sponsor's): `name` as subject and issuer, what
    it stands for as URIs, valid from a day before `now` for VALIDITY, for signatures only."""
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))  # a PC clock a little behind still verifies its own bundle
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(u) for u in uris]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(key, certificate)


def certificate_naming(certificate: x509.Certificate) -> SiteNaming | None:
    """The study, site and installation the certificate names exactly (its URIs); None for a certificate
    without them (made before they existed, or not by ecrf)."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):  # ValueError: a damaged extension names nothing
        return None
    found: dict[str, str] = {}
    for uri in names.get_values_for_type(x509.UniformResourceIdentifier):
        for prefix in (STUDY_URN, SITE_URN, INSTALLATION_URN):
            if uri.startswith(prefix) and prefix not in found:
                found[prefix] = unquote(uri[len(prefix):])
    if STUDY_URN not in found or SITE_URN not in found:
        return None
    return SiteNaming(found[STUDY_URN], found[SITE_URN], found.get(INSTALLATION_URN))


def names_site(certificate: x509.Certificate, claim: SiteNaming) -> bool:
    """Does the certificate name the study, site (and installation, where it names one) of `claim`?"""
    naming = certificate_naming(certificate)
    if naming is not None:
        return (naming.study_oid, naming.site_code) == (claim.study_oid, claim.site_code) and (
            naming.installation_id is None or naming.installation_id == claim.installation_id)
    if claim.study_oid is None or claim.site_code is None:
        return False
    # An older certificate names study and site in words only: they must be the words made for the claim.
    return _subject_texts(certificate) == _subject_words(claim.study_oid, claim.site_code)


def naming_shown(certificate: x509.Certificate) -> Localized:
    """What the certificate names, for a message: its URIs, or the words of an older certificate."""
    naming = certificate_naming(certificate)
    if naming is not None:
        return naming.shown()
    common_name = _subject_texts(certificate)[0] or "?"
    return Localized(f"'{common_name}'", f"“{common_name}”")


def _subject_words(study_oid: str, site_code: str) -> tuple[str, str]:
    """The common name and organisational unit a site certificate carries (what people see)."""
    return f"ecrf site {site_code} of study {study_oid}"[:_NAME_LIMIT], f"study {study_oid}"[:_NAME_LIMIT]


def _subject_texts(certificate: x509.Certificate) -> tuple[str | None, str | None]:
    def first(oid: x509.ObjectIdentifier) -> str | None:
        values = certificate.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if len(values) == 1 else None

    return first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATIONAL_UNIT_NAME)
