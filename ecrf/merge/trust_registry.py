"""The sponsor's trust registry: which site certificate speaks for which study, site and installation.

A bundle carries its own certificate, so anyone can re-sign a bundle that then verifies *internally*; only
the sponsor's own record of each site's certificate shows it came from the site. Each entry binds one
certificate to one study, site and installation (`ecrf.merge.trust_entry`), and the registry keeps that
one-to-one: a certificate is registered for one installation only (site B's certificate can never be made to
stand for site A), and an installation has one certificate at a time (a new one replaces it only when the
sponsor says `--replace`). `TrustRegistry.trust()` is what `verify_bundle` takes, so `ecrf verify` and the
merge check the same binding.

Where it lives: `--registry PATH`, else `$ECRF_TRUST_REGISTRY`, else `sponsor/trust-registry.json` in the
data folder. The file format and its safe writing are in `ecrf.merge.trust_file`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ecrf.errors import Localized
from ecrf.export.bundle.identity import format_fingerprint
from ecrf.export.verify.trust import Trust
from ecrf.merge.errors import TrustRegistryError
from ecrf.merge.trust_entry import TrustEntry
from ecrf.merge.trust_file import read_registry_file, write_registry_file
from ecrf.paths import data_dir

REGISTRY_ENV = "ECRF_TRUST_REGISTRY"


def default_registry_path() -> Path:
    """`$ECRF_TRUST_REGISTRY`, else `sponsor/trust-registry.json` in the data folder."""
    named = os.environ.get(REGISTRY_ENV)
    if named:
        return Path(named).expanduser()
    return data_dir() / "sponsor" / "trust-registry.json"


@dataclass(frozen=True)
class Selection:
    """Which entries `ecrf trust remove` means: a site, narrowed by study, installation or fingerprint."""

    site_code: str
    study_oid: str | None = None
    installation_id: str | None = None
    fingerprint: str | None = None  # lower-case hex

    def picks(self, entry: TrustEntry) -> bool:
        return (entry.site_code == self.site_code
                and self.study_oid in (None, entry.study_oid)
                and self.installation_id in (None, entry.installation_id)
                and self.fingerprint in (None, entry.certificate_sha256))

    def shown(self) -> Localized:
        en, zh = [f"site {self.site_code}"], [f"中心 {self.site_code}"]
        for value, word_en, word_zh in ((self.study_oid, "study", "研究"),
                                        (self.installation_id, "installation", "安装"),
                                        (self.fingerprint and format_fingerprint(self.fingerprint), "certificate",
                                         "证书")):
            if value:
                en.append(f"{word_en} {value}")
                zh.append(f"{word_zh} {value}")
        return Localized(", ".join(en), "，".join(zh))


@dataclass
class TrustRegistry:
    path: Path
    entries: list[TrustEntry]
    _read: bytes | None = field(default=None, repr=False)  # the file as read: save() refuses if it changed since

    @property
    def on_disk(self) -> bool:
        """There is a registry file (an empty registry may be one not yet written)."""
        return self._read is not None

    def trust(self) -> Trust:
        """What `verify_bundle` takes: every registered fingerprint with the installation it is bound to."""
        return Trust.registered((entry.registered() for entry in self.entries), str(self.path))

    def entry_for(self, fingerprint: str) -> TrustEntry | None:
        return next((e for e in self.entries if e.certificate_sha256 == fingerprint.lower()), None)

    def add(self, entry: TrustEntry, replace: bool = False) -> TrustEntry | None:
        """Register `entry` (saved by `save`); the entry it replaced, if any. Refuses a certificate registered
        for another installation (always) and a second certificate for one installation (unless `replace`)."""
        same_certificate = self.entry_for(entry.certificate_sha256)
        if same_certificate is not None and same_certificate.binding != entry.binding:
            raise TrustRegistryError("trust-certificate-registered-elsewhere", fingerprint=entry.fingerprint_shown,
                                     registered=same_certificate.naming.shown(), wanted=entry.naming.shown(),
                                     path=self.path)
        same_binding = next((e for e in self.entries if e.binding == entry.binding), None)
        if same_binding is not None and not replace:
            if same_binding.certificate_sha256 == entry.certificate_sha256:
                raise TrustRegistryError("trust-already-registered", fingerprint=entry.fingerprint_shown,
                                         naming=entry.naming.shown(), path=self.path)
            raise TrustRegistryError("trust-installation-has-certificate", naming=entry.naming.shown(),
                                     fingerprint=same_binding.fingerprint_shown, path=self.path)
        self.entries = [e for e in self.entries if e is not same_binding] + [entry]
        return same_binding

    def remove(self, selection: Selection) -> TrustEntry:
        """Remove the one entry `selection` picks (saved by `save`); refuses none and more than one."""
        picked = [e for e in self.entries if selection.picks(e)]
        if not picked:
            raise TrustRegistryError("trust-remove-none", selection=selection.shown(), path=self.path)
        if len(picked) > 1:
            raise TrustRegistryError("trust-remove-ambiguous", selection=selection.shown(), count=len(picked),
                                     path=self.path)
        self.entries = [e for e in self.entries if e is not picked[0]]
        return picked[0]

    def save(self) -> None:
        self._read = write_registry_file(self.path, self.entries, self._read)


def open_registry(path: Path | None = None) -> TrustRegistry:
    """The registry at `path` (default: `default_registry_path()`), empty when there is no file yet: for
    adding. A damaged file is refused, never treated as empty."""
    path = path if path is not None else default_registry_path()
    found = read_registry_file(path)
    return TrustRegistry(path, found.entries, found.content)


def load_registry(path: Path | None = None) -> TrustRegistry:
    """The registry at `path` (default: `default_registry_path()`), which must exist: for verifying,
    merging and removing. A registry that is not there is an error, never an empty trust."""
    registry = open_registry(path)
    if not registry.on_disk:
        raise TrustRegistryError("trust-registry-missing", path=registry.path)
    return registry
