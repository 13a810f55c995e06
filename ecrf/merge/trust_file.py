"""The trust registry's file: UTF-8 JSON with sorted keys, read strictly and written atomically.

The sponsor controls this file, and every verification and merge trusts what it says, so it is never
guessed at: a file that is not exactly a registry of a version this ecrf reads is refused with its reason and
left as it is (no command overwrites it). A change is written to a temporary file beside it and moved into
place with `os.replace`, so a crash leaves the old registry or the new one, never half of one; and a change
is refused when the file changed after it was read (two sponsors adding at once lose nothing silently).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecrf.atomic import write_atomic
from ecrf.errors import Localized
from ecrf.merge.errors import TrustRegistryError
from ecrf.merge.trust_entry import EntryProblem, TrustEntry, entry_from_json

FORMAT = "ecrf-trust-registry"
FORMAT_VERSION = 1
MAX_REGISTRY = 16 << 20  # about 10,000 entries with their certificates
_KEYS = {"format", "format_version", "entries"}


@dataclass(frozen=True)
class RegistryFile:
    entries: list[TrustEntry]
    content: bytes | None  # the bytes read (None: there was no file): a later write checks they are unchanged


def read_registry_file(path: Path) -> RegistryFile:
    """The entries of the registry at `path` (checked), or no entries when there is no file there yet."""
    content = _read_bytes(path)
    if content is None:
        return RegistryFile([], None)
    return RegistryFile(_parse(path, content), content)


def write_registry_file(path: Path, entries: list[TrustEntry], expected: bytes | None) -> bytes:
    """Write the registry atomically; refuses when the file is no longer what was read (`expected`)."""
    if _read_bytes(path) != expected:
        raise TrustRegistryError("trust-registry-changed", path=path)
    content = render_registry(entries)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content)
    except OSError as exc:
        raise TrustRegistryError("trust-registry-write-failed", path=path, reason=exc.strerror or exc) from None
    return content


def render_registry(entries: list[TrustEntry]) -> bytes:
    """The file's bytes: entries in a fixed order, so the same registry is always the same file."""
    ordered = sorted(entries, key=lambda e: (*e.binding, e.certificate_sha256))
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "entries": [e.to_json() for e in ordered]}
    return (json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _read_bytes(path: Path) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_REGISTRY:
            raise TrustRegistryError("trust-registry-too-large", path=path, size=f"{size:,}")
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a folder, no permission, a broken disk: the registry is not "missing"
        raise TrustRegistryError("trust-registry-unreadable", path=path, reason=exc.strerror or exc) from None


def _parse(path: Path, content: bytes) -> list[TrustEntry]:
    document = _document(path, content)
    if document.get("format") != FORMAT:
        raise TrustRegistryError("trust-registry-unknown-format", path=path)
    version = document.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise TrustRegistryError("trust-registry-version", path=path, version=version, supported=FORMAT_VERSION)
    if set(document) != _KEYS or not isinstance(document["entries"], list):
        raise _damaged(path, "it does not hold exactly format, format_version and a list of entries",
                       "它不是恰好包含 format、format_version 和条目列表")
    try:
        entries = [entry_from_json(item, number) for number, item in enumerate(document["entries"], 1)]
    except EntryProblem as problem:
        raise TrustRegistryError("trust-registry-damaged", path=path, detail=problem.detail) from None
    _refuse_clashes(path, entries)
    return entries


def _document(path: Path, content: bytes) -> dict[str, Any]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise _damaged(path, "it is not UTF-8 text", "它不是 UTF-8 文本") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _damaged(path, f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                       f"它不是有效的 JSON（第 {exc.lineno} 行，第 {exc.colno} 列：{exc.msg}）") from None
    except RecursionError:
        raise _damaged(path, "it is nested too deeply", "嵌套过深") from None
    if not isinstance(document, dict):
        raise TrustRegistryError("trust-registry-unknown-format", path=path)
    return document


def _refuse_clashes(path: Path, entries: list[TrustEntry]) -> None:
    """The file breaks the rules `ecrf trust add` keeps: one entry per certificate and per installation."""
    seen_certificates: dict[str, int] = {}
    seen_bindings: dict[tuple[str, str, str], int] = {}
    for number, entry in enumerate(entries, 1):
        first = seen_certificates.setdefault(entry.certificate_sha256, number)
        if first != number:
            raise _damaged(path, f"entries {first} and {number} hold the same certificate",
                           f"第 {first} 条和第 {number} 条是同一个证书")
        first = seen_bindings.setdefault(entry.binding, number)
        if first != number:
            raise _damaged(path, f"entries {first} and {number} are both for {entry.naming.shown().en}",
                           f"第 {first} 条和第 {number} 条都登记于{entry.naming.shown().zh}")


def _damaged(path: Path, en: str, zh: str) -> TrustRegistryError:
    return TrustRegistryError("trust-registry-damaged", path=path, detail=Localized(en, zh))
