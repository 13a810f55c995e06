"""One entry of the sponsor's trust registry: one site certificate bound to one study, site and installation.

The binding is the point: `ecrf verify` and the merge accept a bundle only when its signer's fingerprint is
registered *and* the manifest claims exactly the study, site and installation of that entry. An entry read
back from the file is checked as strictly as one being added (a hand-edited file that binds a certificate
to a site it does not name is refused as damaged, never used).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from cryptography import x509

from ecrf.errors import Localized
from ecrf.export.bundle.identity import SiteNaming, certificate_fingerprint, format_fingerprint, names_site
from ecrf.export.verify.trust import Registered

REQUIRED = ("study_oid", "site_code", "installation_id", "certificate_sha256", "added_at")
OPTIONAL = ("certificate_pem", "note")
MAX_TEXT = 200  # far beyond any study OID, site code or installation id; keeps a table readable
MAX_NOTE = 1000
MAX_PEM = 1 << 16
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class EntryProblem(ValueError):
    """Why an entry (as read from the file) is not a sound one; `detail` in both languages."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.detail = Localized(en, zh)


@dataclass(frozen=True)
class TrustEntry:
    study_oid: str
    site_code: str
    installation_id: str
    certificate_sha256: str  # lower-case hex SHA-256 of the DER certificate
    added_at: str  # UTC, ISO 8601 ending in Z
    certificate_pem: str | None = None  # None: registered by its fingerprint alone
    note: str | None = None

    @property
    def naming(self) -> SiteNaming:
        return SiteNaming(self.study_oid, self.site_code, self.installation_id)

    @property
    def binding(self) -> tuple[str, str, str]:
        """What one entry at most may be registered for."""
        return self.study_oid, self.site_code, self.installation_id

    @property
    def fingerprint_shown(self) -> str:
        return format_fingerprint(self.certificate_sha256)

    def registered(self) -> Registered:
        return Registered(self.certificate_sha256, self.naming)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def text_problem(value: object, limit: int = MAX_TEXT) -> Localized | None:
    """Why `value` cannot be a study OID, site code, installation id or note (None: it can)."""
    if not isinstance(value, str) or not value.strip():
        return Localized("empty", "为空")
    if value != value.strip():
        return Localized("starting or ending with a space", "首尾有空格")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000 for c in value):
        return Localized("holding a control character", "含控制字符")
    if len(value) > limit:
        return Localized(f"longer than {limit} characters", f"超过 {limit} 个字符")
    return None


def entry_from_json(data: object, number: int) -> TrustEntry:
    """The entry `number` (1-based, for messages) of the file, checked; raises EntryProblem."""
    where_en, where_zh = f"entry {number}", f"第 {number} 条"
    if not isinstance(data, dict):
        raise EntryProblem(f"{where_en} is not a JSON object", f"{where_zh}不是 JSON 对象")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise EntryProblem(f"{where_en} has unknown fields: {', '.join(unknown)}",
                           f"{where_zh}含有未知字段：{', '.join(unknown)}")
    for key in REQUIRED:
        if text_problem(data.get(key)) is not None:
            raise EntryProblem(f"{where_en}: {key} is missing or not a valid text",
                               f"{where_zh}：{key} 缺失或不是有效文本")
    note, pem = data.get("note"), data.get("certificate_pem")
    if note is not None and text_problem(note, MAX_NOTE) is not None:
        raise EntryProblem(f"{where_en}: note is not a valid text", f"{where_zh}：note 不是有效文本")
    if pem is not None and (not isinstance(pem, str) or len(pem) > MAX_PEM):  # its content: _check_certificate
        raise EntryProblem(f"{where_en}: certificate_pem is not a PEM text",
                           f"{where_zh}：certificate_pem 不是 PEM 文本")
    entry = TrustEntry(*(data[key] for key in REQUIRED), *(data.get(key) for key in OPTIONAL))
    if not _HEX64.match(entry.certificate_sha256):
        raise EntryProblem(f"{where_en}: certificate_sha256 is not a lower-case hex SHA-256",
                           f"{where_zh}：certificate_sha256 不是小写十六进制 SHA-256")
    if not _is_utc_time(entry.added_at):
        raise EntryProblem(f"{where_en}: added_at is not a UTC time (ISO 8601)",
                           f"{where_zh}：added_at 不是 UTC 时间（ISO 8601）")
    if entry.certificate_pem is not None:
        _check_certificate(entry, where_en, where_zh)
    return entry


def _check_certificate(entry: TrustEntry, where_en: str, where_zh: str) -> None:
    """The stored certificate is the one fingerprinted, and it names what the entry binds it to."""
    try:
        certificates = x509.load_pem_x509_certificates((entry.certificate_pem or "").encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        certificates = []
    if len(certificates) != 1:
        raise EntryProblem(f"{where_en}: certificate_pem is not one PEM certificate",
                           f"{where_zh}：certificate_pem 不是一个 PEM 证书")
    if certificate_fingerprint(certificates[0]) != entry.certificate_sha256:
        raise EntryProblem(f"{where_en}: certificate_pem is not the certificate of certificate_sha256",
                           f"{where_zh}：certificate_pem 不是 certificate_sha256 所指的证书")
    if not names_site(certificates[0], entry.naming):
        raise EntryProblem(f"{where_en}: its certificate does not name {entry.naming.shown().en}",
                           f"{where_zh}：其证书未指明{entry.naming.shown().zh}")


def _is_utc_time(text: str) -> bool:
    if not text.endswith("Z"):
        return False
    try:
        datetime.fromisoformat(text)  # Python 3.11 reads the Z
    except ValueError:
        return False
    return True
