"""Reading `manifest.json` for `ecrf verify`: the format checks and the list of files it vouches for."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ecrf.export.bundle.layout import MANIFEST, MANIFEST_SIG
from ecrf.export.errors import VerificationRefused

FORMAT_NAME = "ecrf-bundle"
SUPPORTED_MAJOR = 1
_VERSION = re.compile(r"^(\d+)\.(\d+)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BundleRefused(VerificationRefused):
    """One reason the bundle cannot be verified; its message starts with the file it is about."""


@dataclass(frozen=True)
class Listed:
    sha256: str
    size: int


def parse_manifest(data: bytes) -> dict[str, Any]:
    """The manifest as JSON, once it is known to be an ecrf bundle manifest of a version this code reads."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleRefused("manifest-not-utf8", file=MANIFEST) from None
    except json.JSONDecodeError as exc:
        raise BundleRefused("manifest-not-json", file=MANIFEST, line=exc.lineno, column=exc.colno,
                            detail=exc.msg) from None
    except RecursionError:
        raise BundleRefused("manifest-too-deep", file=MANIFEST) from None
    if not isinstance(manifest, dict):
        raise BundleRefused("manifest-not-object", file=MANIFEST)
    if manifest.get("format") != FORMAT_NAME:
        raise BundleRefused("manifest-wrong-format", file=MANIFEST, format=repr(manifest.get("format")),
                            expected=repr(FORMAT_NAME))
    version = manifest.get("format_version")
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise BundleRefused("manifest-bad-version", file=MANIFEST, version=repr(version))
    if int(match.group(1)) != SUPPORTED_MAJOR:
        raise BundleRefused("manifest-unsupported-version", file=MANIFEST, version=version, major=SUPPORTED_MAJOR)
    return manifest


def field(manifest: dict[str, Any], section: str, key: str) -> Any:
    """manifest[section][key], or None when either is absent (facts are printed as far as they exist)."""
    part = manifest.get(section)
    return part.get(key) if isinstance(part, dict) else None


def certificate_sha256(manifest: dict[str, Any]) -> str:
    value = field(manifest, "site", "certificate_sha256")
    if not isinstance(value, str) or not _SHA256.match(value.lower()):
        raise BundleRefused("manifest-no-certificate", file=MANIFEST)
    return value.lower()


def listed_files(manifest: dict[str, Any]) -> dict[str, Listed]:
    """path → (sha256, size) for every file the manifest vouches for; a malformed entry is a refusal."""
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BundleRefused("manifest-no-files", file=MANIFEST)
    listed: dict[str, Listed] = {}
    for index, entry in enumerate(files):
        entry = entry if isinstance(entry, dict) else {}
        path, sha256, size = entry.get("path"), entry.get("sha256"), entry.get("size")
        where = f"{MANIFEST}: files[{index}]"
        if not isinstance(path, str) or not path:
            raise BundleRefused("manifest-entry-no-path", where=where)
        if path in listed:
            raise BundleRefused("manifest-entry-twice", where=where, path=path)
        if path in (MANIFEST, MANIFEST_SIG):
            raise BundleRefused("manifest-entry-self", where=where, path=path)
        if not isinstance(sha256, str) or not _SHA256.match(sha256):
            raise BundleRefused("manifest-entry-no-sha256", where=where, path=path)
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BundleRefused("manifest-entry-no-size", where=where, path=path)
        listed[path] = Listed(sha256, size)
    return listed
