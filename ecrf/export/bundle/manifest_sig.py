"""`manifest.sig`: a detached CMS SignedData (DER, SHA-256) over the exact bytes of `manifest.json`.

The site certificate travels inside the CMS, so anyone can check the signature with `openssl cms -verify`;
whether that certificate is the *site's* is a separate question (its fingerprint, registered by the sponsor).
Reading is done by hand with asn1crypto + cryptography rather than by a CMS library so that every way a
signature can be wrong gets its own plain reason.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any

from asn1crypto import cms, tsp  # noqa: F401 - tsp is imported for its side effect: see below
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from ecrf.export.bundle.identity import SigningIdentity
from ecrf.export.errors import VerificationRefused

# Importing asn1crypto.tsp adds names such as signing_certificate_v2 to CMSAttributeType._map, but asn1crypto
# builds the name -> OID map once, at the first parse. Were our parse first, pyHanko could no longer sign a PDF
# in this process (ValueError: 'signing_certificate_v2'); so tsp is imported above, before any parse.
_OPTIONS = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCapabilities]
_DIGESTS: dict[str, hashes.HashAlgorithm] = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(),
                                             "sha512": hashes.SHA512()}


class ManifestSignatureError(VerificationRefused):
    """manifest.sig does not prove that the certificate inside it signed these manifest bytes."""

    def __init__(self, code: str, /, *, manifest_changed: bool = False, **params: Any) -> None:
        super().__init__(code, **params)
        self.manifest_changed = manifest_changed  # the signature is sound, the manifest bytes are not the signed ones

    @property
    def reason(self) -> str:
        return self.message


def sign_manifest(manifest: bytes, identity: SigningIdentity) -> bytes:
    """The DER CMS SignedData for `manifest`: detached, SHA-256, the signer's certificate included."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(manifest)
    builder = builder.add_signer(identity.certificate, identity.key, hashes.SHA256())
    return builder.sign(serialization.Encoding.DER, _OPTIONS)


def manifest_signer(manifest: bytes, signature: bytes) -> x509.Certificate:
    """The certificate whose key signed exactly these manifest bytes; ManifestSignatureError otherwise."""
    signed_data = _signed_data(signature)
    try:
        signer = _only_signer(signed_data)
        certificate = _signer_certificate(signed_data, signer)
        digest = _digest_algorithm(signed_data, signer)
        signed_bytes, signed_digest = _signed_content(signer, manifest)
        _check_signature(certificate, signer, signed_bytes, digest)
        if signed_digest is not None:  # checked after the signature: only then is a mismatch the manifest's fault
            _check_digest(signed_digest, manifest, digest)
    except ManifestSignatureError:
        raise
    except Exception as exc:  # noqa: BLE001 - a well-formed CMS can still hold a malformed certificate or value
        raise ManifestSignatureError("signature-malformed", detail=f"{type(exc).__name__}: {exc}") from None
    return certificate


def _signed_data(signature: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            raise ManifestSignatureError("signature-not-signed-data", content_type=info["content_type"].native)
        signed_data = info["content"]
        signed_data.native  # noqa: B018 - parses the whole structure now, so damage is reported here
    except ManifestSignatureError:
        raise
    except Exception:  # noqa: BLE001 - asn1crypto raises many kinds of error for garbage
        raise ManifestSignatureError("signature-not-cms") from None
    if signed_data["version"].native not in ("v1", "v3"):  # RFC 5652 §5.1: what a plain signature can be
        raise ManifestSignatureError("signature-version", version=signed_data["version"].native)
    if signed_data["encap_content_info"]["content_type"].native != "data":
        raise ManifestSignatureError("signature-content-type")
    if signed_data["encap_content_info"]["content"].native is not None:
        raise ManifestSignatureError("signature-not-detached")
    return signed_data


def _only_signer(signed_data: cms.SignedData) -> cms.SignerInfo:
    signers = signed_data["signer_infos"]
    if len(signers) == 0:
        raise ManifestSignatureError("signature-no-signer")
    if len(signers) > 1:
        raise ManifestSignatureError("signature-many-signers", count=len(signers))
    return signers[0]


def _signer_certificate(signed_data: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate:
    if signer["version"].native != ("v1" if signer["sid"].name == "issuer_and_serial_number" else "v3"):
        raise ManifestSignatureError("signature-signer-version")
    choices = signed_data["certificates"]  # a Void (iterates as empty) when the field is absent
    certificates = [choice.chosen for choice in choices if choice.name == "certificate"]
    if not certificates:
        raise ManifestSignatureError("signature-no-certificate")
    sid = signer["sid"]
    for candidate in certificates:
        if _identifies(sid, candidate):
            return x509.load_der_x509_certificate(candidate.dump())
    raise ManifestSignatureError("signature-certificate-swapped")


def _identifies(sid: cms.SignerIdentifier, certificate: Any) -> bool:  # an asn1crypto Certificate (untyped)
    if sid.name == "issuer_and_serial_number":
        wanted = sid.chosen
        return (wanted["issuer"] == certificate.issuer
                and wanted["serial_number"].native == certificate.serial_number)
    return sid.chosen.native == certificate.key_identifier


def _digest_algorithm(signed_data: cms.SignedData, signer: cms.SignerInfo) -> hashes.HashAlgorithm:
    name = signer["digest_algorithm"]["algorithm"].native
    if name not in _DIGESTS:
        raise ManifestSignatureError("signature-digest-refused", name=name)
    if name not in [algorithm["algorithm"].native for algorithm in signed_data["digest_algorithms"]]:
        raise ManifestSignatureError("signature-digest-unlisted")
    return _DIGESTS[name]


def _signed_content(signer: cms.SignerInfo, manifest: bytes) -> tuple[bytes, bytes | None]:
    """What the signature value covers, and the manifest digest it vouches for: the signed attributes (DER,
    tagged as SET) and their message digest, or without signed attributes the manifest itself."""
    attributes = signer["signed_attrs"]
    if not attributes.native:
        return manifest, None
    types = [attr["type"].native for attr in attributes]
    if len(set(types)) != len(types):
        raise ManifestSignatureError("signature-attribute-twice")
    values = {attr["type"].native: attr["values"] for attr in attributes}
    if "message_digest" not in values or len(values["message_digest"]) != 1:
        raise ManifestSignatureError("signature-no-message-digest")
    if "content_type" not in values or values["content_type"][0].native != "data":
        raise ManifestSignatureError("signature-content-type-missing")
    # RFC 5652 §5.4: the [0] IMPLICIT tag becomes SET OF for signing
    return b"\x31" + attributes.dump()[1:], values["message_digest"][0].native


def _check_digest(signed_digest: bytes, manifest: bytes, digest: hashes.HashAlgorithm) -> None:
    if not hmac.compare_digest(signed_digest, hashlib.new(digest.name, manifest).digest()):
        raise ManifestSignatureError("signature-manifest-changed", manifest_changed=True)


def _check_signature(certificate: x509.Certificate, signer: cms.SignerInfo, signed: bytes,
                     digest: hashes.HashAlgorithm) -> None:
    value, algorithm = signer["signature"].native, signer["signature_algorithm"].signature_algo
    key = certificate.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey) and algorithm == "ecdsa":
            key.verify(value, signed, ec.ECDSA(digest))
        elif isinstance(key, rsa.RSAPublicKey) and algorithm == "rsassa_pkcs1v15":
            key.verify(value, signed, padding.PKCS1v15(), digest)
        else:
            raise ManifestSignatureError("signature-algorithm-refused", algorithm=algorithm,
                                         key_type=type(key).__name__)
    except InvalidSignature:
        raise ManifestSignatureError("signature-invalid") from None
