"""The site's signing identity: an ECDSA P-256 key and a self-signed X.509 certificate naming study and site.

The private key lives only inside the encrypted site database; the certificate (and its SHA-256
fingerprint, which the sponsor registers) travels in every bundle. P-256 with SHA-256 is what PAdES
viewers (Acrobat, pyHanko, poppler) all accept.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# A trial runs for years and a bundle must verify long after; the sponsor trusts the fingerprint, not a CA.
VALIDITY = timedelta(days=365 * 25)


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


def new_identity(study_oid: str, site_code: str, site_name: str, now: datetime) -> SigningIdentity:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"ecrf site {site_code} of study {study_oid}"[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, (site_name or site_code)[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"study {study_oid}"[:64]),
    ])
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
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(key, certificate)
