"""Personal signing keys (Ed25519), seals and key certificates: what the chain alone cannot give.

- A **seal** is the acting user's signature over the head (sequence and hash) that a write transaction
  leaves. Only the holder of that user's password can unseal the private key (it lives in the user's key
  slot), so nobody can add or rewrite events in another user's name.
- A **key certificate** is the site signing key's signature over a user's public key and the head at that
  moment. It roots the users' keys in the site certificate the sponsor registers, and fixes the trail up
  to that head: the first administrator's key is certified at `ecrf init`; on a site made before seals,
  the first user who may reach the site key certifies their own key at their first login.
Every message is a JSON list with a type tag, the installation id and every field, so a signature made for
one purpose, site or head never verifies for another.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SEAL_TAG, CERT_TAG, MANIFEST_TAG = "ecrf-seal-v1", "ecrf-key-certificate-v1", "ecrf-manifest-signature-v1"
RECOVERY_SIGNER = "recovery"  # the recovery slot's key: it may issue a key to the user it recovers
# Named in the site certificate of a site created with a sealed trail: signed by the site key and registered by
# the sponsor, so nobody holding only a user's password can make such a site's trail pass for one from before seals.
SEALED_TRAIL_URN = "urn:ecrf:trail:sealed-from-creation"


def marks_sealed_trail(certificate: x509.Certificate) -> bool:
    """Whether a site certificate says its site sealed every event from its creation on."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):  # ValueError: a damaged extension says nothing
        return False
    return SEALED_TRAIL_URN in names.get_values_for_type(x509.UniformResourceIdentifier)


def key_id(public_key_hex: str) -> str:
    """A short name for a public key, as the trail and the bundle print it ("invalid" for one that is not hex:
    a key written by hand into a trail names no one)."""
    try:
        return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]
    except (ValueError, TypeError):
        return "invalid"


def public_hex(private: Ed25519PrivateKey) -> str:
    return private.public_key().public_bytes_raw().hex()


def _message(*parts: object) -> bytes:
    return json.dumps(list(parts), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


@dataclass(frozen=True)
class Seal:
    """`signer` signed the trail up to `head_seq` (whose hash is `head_hash`) with the key `key_id`."""

    head_seq: int
    head_hash: str
    signer: str
    key_id: str
    signature: str  # base64 Ed25519
    at_utc: str

    @staticmethod
    def message(db_id: str, head_seq: int, head_hash: str, signer: str, key: str) -> bytes:
        return _message(SEAL_TAG, db_id, head_seq, head_hash, signer, key)

    @classmethod
    def make(cls, db_id: str, head_seq: int, head_hash: str, signer: str, private: Ed25519PrivateKey,
             at_utc: str) -> Seal:
        kid = key_id(public_hex(private))
        signature = private.sign(cls.message(db_id, head_seq, head_hash, signer, kid))
        return cls(head_seq, head_hash, signer, kid, _b64(signature), at_utc)

    def valid(self, db_id: str, public_key_hex: str) -> bool:
        return ed25519_valid(public_key_hex, self.signature,
                             self.message(db_id, self.head_seq, self.head_hash, self.signer, self.key_id))


@dataclass(frozen=True)
class KeyCertificate:
    """The site key vouches that `public_key` is `username`'s, on the trail as it stood at `head_seq`."""

    username: str
    public_key: str  # hex, 32 bytes
    head_seq: int
    head_hash: str
    site_certificate_sha256: str
    signature: str  # base64 DER ECDSA (P-256, SHA-256) by the site key
    at_utc: str

    @staticmethod
    def message(db_id: str, username: str, public_key: str, head_seq: int, head_hash: str, site_cert: str) -> bytes:
        return _message(CERT_TAG, db_id, username, public_key, head_seq, head_hash, site_cert)

    @classmethod
    def make(cls, db_id: str, username: str, public_key: str, head_seq: int, head_hash: str,
             site_key: ec.EllipticCurvePrivateKey, site_cert: str, at_utc: str) -> KeyCertificate:
        signature = site_key.sign(cls.message(db_id, username, public_key, head_seq, head_hash, site_cert),
                                  ec.ECDSA(hashes.SHA256()))
        return cls(username, public_key, head_seq, head_hash, site_cert, _b64(signature), at_utc)

    def valid(self, db_id: str, site_public: ec.EllipticCurvePublicKey) -> bool:
        raw = _unb64(self.signature)
        if raw is None:
            return False
        message = self.message(db_id, self.username, self.public_key, self.head_seq, self.head_hash,
                               self.site_certificate_sha256)
        try:
            site_public.verify(raw, message, ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, ValueError):
            return False
        return True


def ed25519_valid(public_key_hex: str, signature_b64: str, message: bytes) -> bool:
    raw = _unb64(signature_b64)
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        if raw is None:
            return False
        key.verify(raw, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def manifest_message(manifest_sha256: str, signer: str, key: str) -> bytes:
    return _message(MANIFEST_TAG, manifest_sha256, signer, key)


def sign_b64(private: Ed25519PrivateKey, message: bytes) -> str:
    return _b64(private.sign(message))
