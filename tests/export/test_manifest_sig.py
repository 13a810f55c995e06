"""manifest.sig: a detached CMS signature any CMS tool accepts, and every way it can be wrong has a reason."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from ecrf.export.bundle.identity import SigningIdentity, new_identity
from ecrf.export.bundle.manifest_sig import ManifestSignatureError, manifest_signer, sign_manifest

MANIFEST = b'{\n  "format": "ecrf-bundle",\n  "format_version": "1.0"\n}\n'
OPENSSL = shutil.which("openssl")


@pytest.fixture(scope="module")
def other() -> SigningIdentity:
    return new_identity("MSC-COVID19", "EVIL", "Not the site", datetime.now(UTC))


def refused(manifest: bytes, signature: bytes) -> str:
    with pytest.raises(ManifestSignatureError) as info:
        manifest_signer(manifest, signature)
    return info.value.reason


def with_certificates(signature: bytes, *identities: SigningIdentity) -> bytes:
    """The same signature with its certificate set replaced (the signer info is left as it is)."""
    info = cms.ContentInfo.load(signature)
    signed = info["content"]
    signed["certificates"] = cms.CertificateSet([cms.CertificateChoices("certificate", cms.Certificate.load(
        i.certificate_der)) for i in identities])
    return info.dump(force=True)


def openssl_verify(folder: Path) -> subprocess.CompletedProcess[str]:
    """The independent check docs/bundle-format.md gives sponsors."""
    return subprocess.run([str(OPENSSL), "cms", "-verify", "-binary", "-inform", "DER", "-content", "manifest.json",
                           "-in", "manifest.sig", "-noverify", "-out", os.devnull],
                          cwd=folder, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.req("EXPORT-SIGNED")
def test_signature_round_trip_names_the_signer(identity: SigningIdentity):
    signature = sign_manifest(MANIFEST, identity)
    assert manifest_signer(MANIFEST, signature) == identity.certificate
    info = cms.ContentInfo.load(signature)
    assert info["content_type"].native == "signed_data"
    assert info["content"]["encap_content_info"]["content"].native is None  # detached
    assert info["content"]["signer_infos"][0]["digest_algorithm"]["algorithm"].native == "sha256"


@pytest.mark.req("EXPORT-SIGNED")
@pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")
def test_openssl_accepts_the_signature(tmp_path: Path, identity: SigningIdentity):
    (tmp_path / "manifest.json").write_bytes(MANIFEST)
    (tmp_path / "manifest.sig").write_bytes(sign_manifest(MANIFEST, identity))
    assert openssl_verify(tmp_path).returncode == 0, openssl_verify(tmp_path).stderr
    (tmp_path / "manifest.json").write_bytes(MANIFEST.replace(b"1.0", b"1.1"))
    result = openssl_verify(tmp_path)
    assert result.returncode != 0


@pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")
def test_a_signature_made_by_openssl_is_read(tmp_path: Path, identity: SigningIdentity):
    (tmp_path / "key.pem").write_bytes(identity.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp_path / "cert.pem").write_text(identity.certificate_pem)
    (tmp_path / "manifest.json").write_bytes(MANIFEST)
    subprocess.run([OPENSSL, "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-in", "manifest.json",
                    "-signer", "cert.pem", "-inkey", "key.pem", "-out", "manifest.sig"],
                   cwd=tmp_path, check=True, capture_output=True, timeout=60)
    assert manifest_signer(MANIFEST, (tmp_path / "manifest.sig").read_bytes()) == identity.certificate


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.parametrize("garbage", [b"", b"not a signature", b"\x30\x03\x02\x01\x01", b"\x30\x82\xff\xff"])
def test_not_a_cms(garbage: bytes):
    assert "not a CMS signature" in refused(MANIFEST, garbage)


def test_a_certificate_is_not_a_signature(identity: SigningIdentity):
    assert "not a CMS signature" in refused(MANIFEST, identity.certificate_der)


def test_other_cms_content_is_not_a_signature():
    data = cms.ContentInfo({"content_type": "data", "content": b"hello"}).dump()
    assert "not a signature" in refused(MANIFEST, data)


def test_attached_content_is_refused(identity: SigningIdentity):
    attached = pkcs7.PKCS7SignatureBuilder().set_data(MANIFEST).add_signer(
        identity.certificate, identity.key, hashes.SHA256()).sign(serialization.Encoding.DER,
                                                                  [pkcs7.PKCS7Options.Binary])
    assert "detached" in refused(MANIFEST, attached)


@pytest.mark.req("EXPORT-VERIFY")
def test_no_certificate(identity: SigningIdentity):
    bare = pkcs7.PKCS7SignatureBuilder().set_data(MANIFEST).add_signer(
        identity.certificate, identity.key, hashes.SHA256()).sign(
        serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary,
                                     pkcs7.PKCS7Options.NoCerts])
    assert "does not include the signer's certificate" in refused(MANIFEST, bare)


@pytest.mark.req("EXPORT-VERIFY")
def test_two_signers(identity: SigningIdentity, other: SigningIdentity):
    both = pkcs7.PKCS7SignatureBuilder().set_data(MANIFEST).add_signer(
        identity.certificate, identity.key, hashes.SHA256()).add_signer(
        other.certificate, other.key, hashes.SHA256()).sign(
        serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    assert "2 signers" in refused(MANIFEST, both)


@pytest.mark.req("EXPORT-VERIFY")
def test_edited_manifest(identity: SigningIdentity):
    signature = sign_manifest(MANIFEST, identity)
    reason = refused(MANIFEST.replace(b"1.0", b"1.1"), signature)
    assert "manifest.json is not what was signed" in reason


@pytest.mark.req("EXPORT-VERIFY")
def test_bad_signature_value(identity: SigningIdentity):
    info = cms.ContentInfo.load(sign_manifest(MANIFEST, identity))
    signer = info["content"]["signer_infos"][0]
    value = bytearray(signer["signature"].native)
    value[-1] ^= 0x01
    signer["signature"] = bytes(value)
    assert "signature does not verify" in refused(MANIFEST, info.dump(force=True))


@pytest.mark.req("EXPORT-VERIFY")
def test_swapped_certificate(identity: SigningIdentity, other: SigningIdentity):
    signature = sign_manifest(MANIFEST, identity)
    assert "certificate was swapped" in refused(MANIFEST, with_certificates(signature, other))


@pytest.mark.req("EXPORT-VERIFY")
def test_swapped_certificate_and_signer_id(identity: SigningIdentity, other: SigningIdentity):
    """Even a swap that also rewrites who the signer claims to be fails: the key does not fit the signature."""
    info = cms.ContentInfo.load(with_certificates(sign_manifest(MANIFEST, identity), other))
    other_cert = cms.Certificate.load(other.certificate_der)
    info["content"]["signer_infos"][0]["sid"] = cms.SignerIdentifier("issuer_and_serial_number", {
        "issuer": other_cert.issuer, "serial_number": other_cert.serial_number})
    assert "does not verify with the included certificate's key" in refused(MANIFEST, info.dump(force=True))


def test_extra_certificates_are_tolerated(identity: SigningIdentity, other: SigningIdentity):
    signature = with_certificates(sign_manifest(MANIFEST, identity), other, identity)
    assert manifest_signer(MANIFEST, signature) == identity.certificate


def test_signed_attributes_without_digest(identity: SigningIdentity):
    info = cms.ContentInfo.load(sign_manifest(MANIFEST, identity))
    signer = info["content"]["signer_infos"][0]
    signer["signed_attrs"] = cms.CMSAttributes([a for a in signer["signed_attrs"]
                                               if a["type"].native != "message_digest"])
    assert "lack the message digest" in refused(MANIFEST, info.dump(force=True))


def test_any_damaged_byte_is_a_reason_never_a_crash(identity: SigningIdentity):
    signature = sign_manifest(MANIFEST, identity)
    still_verifies = []
    for offset in range(len(signature)):
        damaged = signature[:offset] + bytes([signature[offset] ^ 0x5A]) + signature[offset + 1:]
        try:
            still_verifies.append(manifest_signer(MANIFEST, damaged))
        except ManifestSignatureError:
            continue
    # Only bytes of the included certificate outside its key are not covered by the signature: the signer key
    # is the same, the certificate differs, and verify_bundle refuses it by its fingerprint.
    assert all(c.public_key() == identity.certificate.public_key() and c != identity.certificate
               for c in still_verifies)


_PARSE_THEN_SIGN_PDF = """
import io
from datetime import UTC, datetime
from reportlab.pdfgen import canvas
from ecrf.export.bundle.identity import new_identity
from ecrf.export.bundle.manifest_sig import manifest_signer, sign_manifest
identity = new_identity("S", "X", "x", datetime.now(UTC))
manifest_signer(b"{}", sign_manifest(b"{}", identity))  # asn1crypto parses a CMS before pyHanko is imported
from ecrf.export.pdf.sign import pdf_signature_problem, sign_pdf
out = io.BytesIO()
page = canvas.Canvas(out)
page.drawString(72, 720, "x")
page.save()
print(pdf_signature_problem(sign_pdf(out.getvalue(), identity, reason="r", location="l"), identity.certificate))
"""


def test_checking_a_manifest_first_does_not_break_pdf_signing_later():
    """asn1crypto freezes its attribute names at the first parse; pyHanko needs signing_certificate_v2 among them."""
    result = subprocess.run([sys.executable, "-c", _PARSE_THEN_SIGN_PDF], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120, check=False)
    assert (result.returncode, result.stdout.strip()) == (0, "None"), result.stderr[-2000:]
