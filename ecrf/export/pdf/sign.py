"""PAdES signatures on the bundle PDFs (pyHanko), and their check.

Profile: PAdES baseline B-B (ETSI EN 319 142-1): an invisible signature field, SubFilter
ETSI.CAdES.detached, SHA-256, ECDSA P-256 with the site's key, the site certificate inside the CMS and
bound by the signing-certificate-v2 attribute. No time stamp (sites work offline), so the signing time
is the one the site states. A reader such as Acrobat shows "signed by ecrf site ... of study ..."; it
calls the signer unknown until the certificate is trusted, which the sponsor does by its SHA-256
fingerprint (the one in manifest.json).
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ecrf.export.bundle.identity import SigningIdentity

FIELD_NAME = "SiteSignature"
# Room in the file for the signature value, in hex digits: 4 kB for a CMS blob of about 1.6 kB (ECDSA
# signature, the < 1 kB site certificate, signed attributes). Given, pyHanko skips building a dummy
# signature to estimate the size, which was half the signing time.
CMS_BYTES_RESERVED = 8192


class PdfSigner:
    """Signs PDFs with one identity: the key and certificate are decoded once for all the PDFs of an export
    (a fifth of each signature's time otherwise). Held by the part that signs, dropped with it."""

    def __init__(self, identity: SigningIdentity) -> None:
        certificate = asn1_x509.Certificate.load(identity.certificate_der)
        self._signer = signers.SimpleSigner(signing_cert=certificate,
                                            signing_key=asn1_keys.PrivateKeyInfo.load(identity.key_der()),
                                            cert_registry=SimpleCertificateStore.from_certs([certificate]))
        self._signer.signed_attr_prov_spec = _SigningCertificateOnce(certificate)

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        """`pdf` with a PAdES signature appended as an incremental update."""
        meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=reason, location=location)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        output = io.BytesIO()
        signers.sign_pdf(writer, meta, signer=self._signer, output=output, bytes_reserved=CMS_BYTES_RESERVED)
        return output.getvalue()


class _SigningCertificateOnce(SignedAttributeProviderSpec):
    """The signed attributes pyHanko adds to content type and message digest for PAdES B-B without a
    CAdES profile: signing-certificate-v2 alone. Built once per signer and read back from its DER: asn1crypto
    encodes a value built from Python objects again at every dump, which was two thirds of each signature
    (10 ms -> 3.4 ms)."""

    def __init__(self, certificate: asn1_x509.Certificate) -> None:
        self._value = tsp.SigningCertificateV2.load(as_signing_certificate_v2(certificate).dump())

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Iterable[CMSAttributeProvider]:
        yield _Fixed("signing_certificate_v2", self._value)


class _Fixed(CMSAttributeProvider):
    def __init__(self, attribute_type: str, value: object) -> None:
        self.attribute_type = attribute_type
        self._value = value

    async def build_attr_value(self, dry_run: bool = False) -> object:
        return self._value


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, reason: str, location: str) -> bytes:
    """`pdf` with a PAdES signature by `identity` appended as an incremental update."""
    return PdfSigner(identity).sign(pdf, reason=reason, location=location)


def pdf_signature_problem(pdf: bytes, certificate: x509.Certificate) -> str | None:
    """None when `pdf` carries exactly one intact signature by `certificate` covering the whole file;
    else a short English reason. Never raises, whatever the bytes."""
    try:
        with _quiet():
            return _problem(pdf, certificate)
    except Exception as exc:  # noqa: BLE001 - a damaged file is a finding, not a crash
        return f"the PDF cannot be read or its signature checked ({type(exc).__name__}: {str(exc)[:120]})"


def _problem(pdf: bytes, certificate: x509.Certificate) -> str | None:
    if not pdf.startswith(b"%PDF-"):
        return "not a PDF file"
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signatures = reader.embedded_regular_signatures
    if not signatures:
        return "the PDF carries no signature"
    if len(signatures) > 1:
        return f"the PDF carries {len(signatures)} signatures; one is expected"
    embedded = signatures[0]
    if not _only_padding_after_cms(embedded.pkcs7_content):
        return "the PDF signature value was changed after signing"
    expected = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    if embedded.signer_cert is None or embedded.signer_cert.dump() != expected.dump():
        return "the PDF is signed with another certificate than the site's"
    # No signature covers the CMS's certificate set, and pyHanko validates with one copy of the certificate:
    # a changed byte in another copy would pass unseen.
    if any(certificate.dump() != expected.dump() for certificate in embedded.signed_data["certificates"]):
        return "the PDF signature carries a certificate other than the site's (changed after signing)"
    context = ValidationContext(trust_roots=[expected], allow_fetching=False)
    status = validate_pdf_signature(embedded, context, skip_diff=True)
    if not status.intact:
        return "the signed content of the PDF was changed after signing"
    if not status.valid:
        return "the PDF signature does not verify against the site certificate"
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return "the PDF was changed after signing (content appended to the signed file)"
    if not status.trusted:
        return "the PDF signer certificate is not the site's certificate"
    return None


def _only_padding_after_cms(contents: bytes) -> bool:
    """The signature value is the one part of a PDF its digest cannot cover; the CMS blob in it must be
    followed by nothing but the zero padding the signer reserved."""
    if len(contents) < 2 or contents[0] != 0x30:
        return False
    if contents[1] < 0x80:
        end = 2 + contents[1]
    else:
        size = contents[1] & 0x7F
        end = 2 + size + int.from_bytes(contents[2:2 + size], "big")
    return end <= len(contents) and not any(contents[end:])


@contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs every oddity of a damaged file as a warning; the returned reason says what matters."""
    log = logging.getLogger("pyhanko")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)
