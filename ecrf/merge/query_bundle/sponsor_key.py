"""The sponsor's signing key: what proves to a site that a query bundle comes from the sponsor.

An ECDSA P-256 key with a self-signed X.509 certificate, made like a site's identity
(`ecrf.export.bundle.identity`), so the query bundle is signed exactly as a site bundle is (a detached CMS over
the manifest). The certificate names itself a sponsor's (`urn:ecrf:sponsor:<name>`), so a site certificate can
never be registered in its place. The private key is kept in the sponsor folder as encrypted PKCS#8 PEM under a
passphrase (typed, or `$ECRF_SPONSOR_PASSPHRASE` for scripts); the certificate beside it is the file each site
registers once, comparing its fingerprint with the sponsor by phone.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ecrf.atomic import write_atomic
from ecrf.export.bundle.identity import SigningIdentity, self_signed_identity
from ecrf.merge.errors import QueryBundleError
from ecrf.paths import data_dir

KEY_FILE, CERTIFICATE_FILE = "sponsor-key.pem", "sponsor-certificate.pem"
DIR_ENV, PASSPHRASE_ENV = "ECRF_SPONSOR_DIR", "ECRF_SPONSOR_PASSPHRASE"
SPONSOR_URN = "urn:ecrf:sponsor:"
MIN_PASSPHRASE = 10


def sponsor_dir() -> Path:
    """Where the sponsor's key lives: $ECRF_SPONSOR_DIR, else `sponsor/` in the data folder."""
    given = os.environ.get(DIR_ENV)
    return Path(given).expanduser() if given else data_dir() / "sponsor"


def has_sponsor_key(folder: Path) -> bool:
    return (folder / KEY_FILE).is_file()


def create_sponsor_key(folder: Path, passphrase: str, name: str, now: datetime) -> SigningIdentity:
    """A new key and certificate in `folder`; refused when one is there (a new key would orphan every site's
    registration)."""
    if has_sponsor_key(folder):
        raise QueryBundleError("sponsor-key-exists", path=folder / KEY_FILE)
    if len(passphrase) < MIN_PASSPHRASE:
        raise QueryBundleError("sponsor-passphrase-short", minimum=MIN_PASSPHRASE)
    identity = _new_identity(name, now)
    folder.mkdir(parents=True, exist_ok=True)
    encrypted = identity.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    write_atomic(folder / CERTIFICATE_FILE, identity.certificate_pem.encode("ascii"))
    write_atomic(folder / KEY_FILE, encrypted, private=True)  # last: a key file means the pair is complete
    return identity


def load_sponsor_key(folder: Path, passphrase: str) -> SigningIdentity:
    """The key and certificate of `folder`; the passphrase must open the key, and the key match the certificate."""
    key_path, certificate_path = folder / KEY_FILE, folder / CERTIFICATE_FILE
    if not key_path.is_file():
        raise QueryBundleError("sponsor-key-missing", folder=folder)
    try:
        certificate = x509.load_pem_x509_certificate(certificate_path.read_bytes())
    except (OSError, ValueError):
        raise QueryBundleError("sponsor-certificate-unreadable", path=certificate_path) from None
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase.encode("utf-8"))
    except (TypeError, ValueError):  # a wrong passphrase and a damaged file look the same to the decryption
        raise QueryBundleError("sponsor-passphrase-wrong", path=key_path) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != certificate.public_key():
        raise QueryBundleError("sponsor-key-mismatch", folder=folder)
    return SigningIdentity(key, certificate)


def sponsor_name(certificate: x509.Certificate) -> str | None:
    """The sponsor a certificate names itself for (its `urn:ecrf:sponsor:` URI); None for any other certificate."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    for uri in names.get_values_for_type(x509.UniformResourceIdentifier):
        if uri.startswith(SPONSOR_URN):
            return unquote(uri[len(SPONSOR_URN):])
    return None


def _new_identity(name: str, now: datetime) -> SigningIdentity:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"ecrf sponsor {name}"[:64]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, name[:64])])
    return self_signed_identity(key, subject, [SPONSOR_URN + quote(name, safe="")], now)
