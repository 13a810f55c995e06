"""PAdES signatures of the bundle PDFs, and the check the verifier relies on."""
from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from asn1crypto import keys, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ecrf.export.bundle.identity import SigningIdentity, new_identity
from ecrf.export.pdf.sign import pdf_signature_problem, sign_pdf
from ecrf.export.pdf.style import Furniture, Metadata, build_pdf, heading, note

pytestmark = pytest.mark.req("EXPORT-SIGNED")


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    flowables = [*heading("A signed page 签名页"), note("Some text that the signature covers.")]
    return build_pdf(flowables, Furniture("Test", "Study T", "tag", "footer"), Metadata("Title", "A", "S", "ecrf"))


@pytest.fixture(scope="module")
def signed(unsigned: bytes, identity: SigningIdentity) -> bytes:
    return sign_pdf(unsigned, identity, reason="Test export", location="Site DEMO")


@pytest.fixture(scope="module")
def stranger() -> SigningIdentity:
    return new_identity("MSC-COVID19", "EVIL", "Another site", datetime.now(UTC))


def test_a_signed_pdf_passes_and_carries_a_pades_signature(signed: bytes, identity: SigningIdentity) -> None:
    assert pdf_signature_problem(signed, identity.certificate) is None
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Test export"


def test_an_unsigned_pdf_is_refused(unsigned: bytes, identity: SigningIdentity) -> None:
    assert pdf_signature_problem(unsigned, identity.certificate) == "the PDF carries no signature"


def test_one_changed_byte_is_found(signed: bytes, identity: SigningIdentity) -> None:
    position = signed.index(b"/Title (Title)") + len(b"/Title (")
    changed = signed[:position] + b"X" + signed[position + 1:]
    assert "changed" in (pdf_signature_problem(changed, identity.certificate) or "")


@pytest.mark.parametrize("position", [0.2, 0.5, 0.8, 0.95])
def test_a_changed_byte_anywhere_gives_a_reason(signed: bytes, identity: SigningIdentity, position: float) -> None:
    at = int(len(signed) * position)
    changed = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:]
    assert pdf_signature_problem(changed, identity.certificate)


def test_another_key_is_refused(unsigned: bytes, signed: bytes, identity: SigningIdentity,
                                stranger: SigningIdentity) -> None:
    other = sign_pdf(unsigned, stranger, reason="forged", location="elsewhere")
    assert "another certificate" in (pdf_signature_problem(other, identity.certificate) or "")
    assert pdf_signature_problem(signed, stranger.certificate)


def test_a_second_signature_is_refused(signed: bytes, identity: SigningIdentity, stranger: SigningIdentity) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    meta = signers.PdfSignatureMetadata(field_name="Second", subfilter=SigSeedSubFilter.PADES)
    resigned = _sign_with(writer, meta, stranger)
    assert "2 signatures" in (pdf_signature_problem(resigned, identity.certificate) or "")


def _sign_with(writer: IncrementalPdfFileWriter, meta: signers.PdfSignatureMetadata, who: SigningIdentity) -> bytes:
    cert = x509.Certificate.load(who.certificate_der)
    signer = signers.SimpleSigner(cert, keys.PrivateKeyInfo.load(who.key_der()),
                                  SimpleCertificateStore.from_certs([cert]))
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()  # type: ignore[no-any-return]


def test_an_incremental_update_after_signing_is_refused(signed: bytes, identity: SigningIdentity) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"]
    info["/Title"] = generic.TextStringObject("Changed after signing")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    assert "after signing" in (pdf_signature_problem(out.getvalue(), identity.certificate) or "")


def test_bytes_appended_after_signing_are_refused(signed: bytes, identity: SigningIdentity) -> None:
    assert pdf_signature_problem(signed + b"\n% appended\n", identity.certificate)


@pytest.mark.parametrize("data", [b"", b"garbage", b"%PDF-1.7\n garbage", b"\x00" * 100, b"%PDF-1.4\n%%EOF\n"])
def test_garbage_gives_a_reason_never_an_exception(data: bytes, identity: SigningIdentity) -> None:
    reason = pdf_signature_problem(data, identity.certificate)
    assert isinstance(reason, str) and reason


def test_a_changed_copy_of_the_certificate_inside_the_signature_is_found(signed: bytes,
                                                                        identity: SigningIdentity) -> None:
    """pyHanko embeds the certificate twice and validates with one copy; no signature covers the other, so
    every copy must be the site's certificate."""
    contents = signed.index(b"/Contents <") + len(b"/Contents <")
    cms = bytes.fromhex(signed[contents:signed.index(b">", contents)].decode())
    copies = [cms.find(identity.certificate_der), cms.rfind(identity.certificate_der)]
    assert copies[0] < copies[1]
    problems = set()
    for copy in copies:
        at = contents + 2 * (copy + len(identity.certificate_der) - 80)  # inside the subject's names
        changed = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:]
        problems.add(pdf_signature_problem(changed, identity.certificate))
    assert None not in problems
    assert "the PDF signature carries a certificate other than the site's (changed after signing)" in problems


def _signed_attributes(pdf: bytes) -> dict[str, bytes]:
    signer_info = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_info
    return {attr["type"].native: attr["values"].dump() for attr in signer_info["signed_attrs"]}


def test_the_signed_attributes_are_pyhanko_s_own_for_pades(unsigned: bytes, signed: bytes,
                                                            identity: SigningIdentity) -> None:
    """The signer builds signing-certificate-v2 once per export (PdfSigner); the attributes must stay those
    pyHanko's default PAdES signer writes, value for value (the message digest covers each file's own bytes)."""
    certificate = x509.Certificate.load(identity.certificate_der)
    default = signers.SimpleSigner(signing_cert=certificate, signing_key=keys.PrivateKeyInfo.load(identity.key_der()),
                                   cert_registry=SimpleCertificateStore.from_certs([certificate]))
    meta = signers.PdfSignatureMetadata(field_name="SiteSignature", subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(unsigned), strict=False), meta, signer=default, output=out)
    ours, theirs = _signed_attributes(signed), _signed_attributes(out.getvalue())
    assert list(ours) == list(theirs) == ["content_type", "message_digest", "signing_certificate_v2"]
    assert ours["signing_certificate_v2"] == theirs["signing_certificate_v2"]
    assert ours["content_type"] == theirs["content_type"]
