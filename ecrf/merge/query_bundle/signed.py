"""Writing a query bundle (a zip of the manifest and its detached CMS signature) and reading one back.

The reader is what a site runs on a file from a USB stick: the zip is opened as hostile (`SafeZip`), it must hold
the two members and nothing else, and the signature must prove that the certificate inside it signed exactly
these manifest bytes. Whether that certificate is the sponsor's the site registered is the caller's question
(`signer_fingerprint`), as is whether the bundle is for this site.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ecrf.atomic import write_atomic
from ecrf.export.bundle.identity import SigningIdentity, certificate_fingerprint
from ecrf.export.bundle.manifest import sha256_hex
from ecrf.export.bundle.manifest_sig import ManifestSignatureError, manifest_signer, sign_manifest
from ecrf.export.errors import VerificationRefused
from ecrf.export.verify.zip_safety import SafeZip, ZipLimits
from ecrf.merge.errors import QueryBundleError
from ecrf.merge.query_bundle.manifest import MANIFEST, SIGNATURE, QueryBundle, manifest_bytes, parse_manifest
from ecrf.merge.query_bundle.sponsor_key import sponsor_name

# A query bundle is a few kilobytes; nothing near these is one.
LIMITS = ZipLimits(max_entries=2, max_entry_size=64 << 20, max_total_size=64 << 20)
_TIME = (1980, 1, 1, 0, 0, 0)  # fixed zip times: the bytes depend on the content alone


@dataclass(frozen=True)
class SignedQueryBundle:
    bundle: QueryBundle
    signer_fingerprint: str  # SHA-256 of the signing certificate (DER)
    signer_name: str | None  # the sponsor the certificate names, None for a certificate that is not a sponsor's
    manifest_sha256: str


def file_name(bundle: QueryBundle) -> str:
    return f"ecrf-queries_{bundle.study_oid}_{bundle.site_code}_{bundle.sequence:04d}.zip"


def out_folder(folder: Path) -> Path:
    """`folder`, made when the folder above it exists (an outbox on a USB stick need not be made by hand)."""
    if not folder.is_dir():
        if folder.exists() or not folder.parent.is_dir():
            raise QueryBundleError("query-bundle-folder-missing", folder=folder)
        try:
            folder.mkdir()
        except OSError as exc:
            raise QueryBundleError("query-bundle-folder-missing", folder=folder) from exc
    return folder


def write_query_bundle(bundle: QueryBundle, identity: SigningIdentity, out_dir: Path) -> tuple[Path, str]:
    """The bundle's zip in `out_dir` (temporary file + rename), and its manifest's SHA-256."""
    out_folder(out_dir)
    path = out_dir / file_name(bundle)
    if path.exists():
        raise QueryBundleError("query-bundle-exists", path=path)
    manifest = manifest_bytes(bundle)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in ((MANIFEST, manifest), (SIGNATURE, sign_manifest(manifest, identity))):
            archive.writestr(zipfile.ZipInfo(name, _TIME), data, zipfile.ZIP_DEFLATED)
    write_atomic(path, buffer.getvalue())
    return path, sha256_hex(manifest)


def read_query_bundle(path: Path) -> SignedQueryBundle:
    """The bundle and who signed it; QueryBundleError when the file is damaged, unsigned or tampered with."""
    if path.is_dir():
        raise QueryBundleError("query-bundle-is-folder", path=path)
    if not path.is_file():
        raise QueryBundleError("query-bundle-missing", path=path)
    try:
        with SafeZip(path, LIMITS) as archive:
            names = sorted(archive.names())
            if names != sorted((MANIFEST, SIGNATURE)):
                if MANIFEST in names and SIGNATURE not in names:
                    raise QueryBundleError("query-bundle-unsigned", path=path)
                raise QueryBundleError("query-bundle-members", path=path, found=", ".join(names) or "nothing")
            manifest, signature = archive.read(MANIFEST), archive.read(SIGNATURE)
    except ManifestSignatureError:
        raise
    except VerificationRefused as exc:  # the zip itself is damaged or hostile
        raise QueryBundleError("query-bundle-damaged", path=path, reason=exc) from None
    try:
        signer = manifest_signer(manifest, signature)
    except ManifestSignatureError as exc:
        code = "query-bundle-tampered" if exc.manifest_changed else "query-bundle-signature-bad"
        raise QueryBundleError(code, path=path, reason=exc) from None
    return SignedQueryBundle(parse_manifest(manifest), certificate_fingerprint(signer), sponsor_name(signer),
                             sha256_hex(manifest))
