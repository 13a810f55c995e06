"""Reading `manifest.json` for `ecrf verify`: the format checks and the list of files it vouches for."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ecrf.export.bundle.layout import MANIFEST, MANIFEST_SIG

FORMAT_NAME = "ecrf-bundle"
SUPPORTED_MAJOR = 1
_VERSION = re.compile(r"^(\d+)\.(\d+)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BundleRefused(Exception):
    """One reason the bundle cannot be verified; `message` starts with the file it is about."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Listed:
    sha256: str
    size: int


def parse_manifest(data: bytes) -> dict[str, Any]:
    """The manifest as JSON, once it is known to be an ecrf bundle manifest of a version this code reads."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleRefused(f"{MANIFEST}: not UTF-8 text; the file is damaged or not a bundle manifest") from None
    except json.JSONDecodeError as exc:
        raise BundleRefused(f"{MANIFEST}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise BundleRefused(f"{MANIFEST}: nested too deeply to be a bundle manifest") from None
    if not isinstance(manifest, dict):
        raise BundleRefused(f"{MANIFEST}: not a JSON object; this is not a bundle manifest")
    if manifest.get("format") != FORMAT_NAME:
        raise BundleRefused(f"{MANIFEST}: its format is {manifest.get('format')!r}, not {FORMAT_NAME!r}; this is "
                            "not an ecrf bundle")
    version = manifest.get("format_version")
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise BundleRefused(f"{MANIFEST}: its format_version {version!r} is not a version number like '1.0'")
    if int(match.group(1)) != SUPPORTED_MAJOR:
        raise BundleRefused(f"{MANIFEST}: bundle format {version} is not supported by this ecrf, which reads "
                            f"{SUPPORTED_MAJOR}.x; use the ecrf version that made the bundle or a newer one")
    return manifest


def field(manifest: dict[str, Any], section: str, key: str) -> Any:
    """manifest[section][key], or None when either is absent (facts are printed as far as they exist)."""
    part = manifest.get(section)
    return part.get(key) if isinstance(part, dict) else None


def certificate_sha256(manifest: dict[str, Any]) -> str:
    value = field(manifest, "site", "certificate_sha256")
    if not isinstance(value, str) or not _SHA256.match(value.lower()):
        raise BundleRefused(f"{MANIFEST}: site.certificate_sha256 is missing or not a SHA-256 fingerprint")
    return value.lower()


def listed_files(manifest: dict[str, Any]) -> dict[str, Listed]:
    """path → (sha256, size) for every file the manifest vouches for; a malformed entry is a refusal."""
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BundleRefused(f"{MANIFEST}: has no 'files' list")
    listed: dict[str, Listed] = {}
    for index, entry in enumerate(files):
        entry = entry if isinstance(entry, dict) else {}
        path, sha256, size = entry.get("path"), entry.get("sha256"), entry.get("size")
        where = f"{MANIFEST}: files[{index}]"
        if not isinstance(path, str) or not path:
            raise BundleRefused(f"{where} has no path")
        if path in listed:
            raise BundleRefused(f"{where} lists {path} a second time")
        if path in (MANIFEST, MANIFEST_SIG):
            raise BundleRefused(f"{where} lists {path}, which the manifest cannot vouch for")
        if not isinstance(sha256, str) or not _SHA256.match(sha256):
            raise BundleRefused(f"{where} ({path}) has no valid SHA-256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BundleRefused(f"{where} ({path}) has no valid size")
        listed[path] = Listed(sha256, size)
    return listed
