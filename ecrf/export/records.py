"""What an export bundle is made of, read out of the site database by `ecrf.services.export_records`.

Plain frozen records, so the writers never touch the database and can be tested with hand-made data.
Times are UTC ISO 8601 text as stored (`2026-01-15T08:30:00.000000Z`); dates are ISO `YYYY-MM-DD`;
item values are the canonical stored text (`ecrf.study.codec.to_text`), a missing code beside them.
Monitoring (queries with their threads, source data verification, electronic signatures, locks) travels per
subject beside the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ecrf.export.bundle.identity import SigningIdentity
    from ecrf.study.model import Study
    from ecrf.trail.seals import KeyCertificate, Seal


@dataclass(frozen=True)
class SiteFacts:
    study_oid: str
    site_code: str
    site_name: str
    db_id: str  # the installation's random id
    definition_version: str  # the version the site was created under
    definition_fingerprint: str
    audit_head_seq: int
    audit_head_hash: str
    as_of: str  # UTC time of the audit head event: the moment the exported state was reached
    state: str = "open"  # ecrf.study.status.SiteState value: open, frozen (before the final export), locked


@dataclass(frozen=True)
class UserRecord:
    username: str
    full_name: str
    role: str
    active: bool
    created_at: str


@dataclass(frozen=True)
class AuditRecord:
    """One audit event, every field of the hash chain (see `ecrf.store.audit`)."""

    seq: int
    at_utc: str
    utc_offset_min: int
    workstation: str
    username: str
    role: str
    action: str
    subject: str | None
    visit: str | None
    form: str | None
    timepoint: str | None
    repeat: int | None
    item: str | None
    old_value: str | None
    old_missing: str | None
    new_value: str | None
    new_missing: str | None
    reason: str | None
    clock_note: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ValueRecord:
    item: str
    value: str | None  # canonical stored text; a multiple choice is codes joined by ';'
    missing: str | None  # ND / UNK / NA, or None
    saved_at: str
    saved_by: str


@dataclass(frozen=True)
class FormRecord:
    """One form instance. Log entries (AE, CM) have visit '' and repeat 1, 2, ...; scheduled forms repeat 0."""

    visit: str
    form: str
    timepoint: str
    repeat: int
    status: str  # ecrf.study.status.FormStatus value
    definition_version: str
    deleted: bool  # removed log entries stay in the bundle, marked, with the reason
    deleted_reason: str | None
    updated_at: str
    updated_by: str
    values: tuple[ValueRecord, ...]  # in the form definition's item order; unknown codes last, sorted


@dataclass(frozen=True)
class VisitRecord:
    visit: str
    target_date: str
    earliest: str
    latest: str
    cancelled: bool
    actual_date: str | None  # the first full date entered at the visit (services.subject_data.visit_date)


@dataclass(frozen=True)
class QueryMessageRecord:
    """One step of a query's thread: raised, answered, closed, cancelled, reopened (or a note)."""

    query_id: str
    kind: str
    author: str
    role: str
    at_utc: str
    text: str
    response_code: str | None  # answers only: ecrf.study.status.ResponseCode value


@dataclass(frozen=True)
class QueryRecord:
    """A query on an item, a form or a visit (`scope`; the place's finer fields are '' / 0 above it)."""

    query_id: str  # Q-0001
    subject: str
    scope: str  # ecrf.study.status.Scope value: item, form or visit
    visit: str
    form: str
    timepoint: str
    repeat: int
    item: str
    origin: str  # ecrf.study.status.QueryOrigin value: manual | auto
    check_key: str  # an automatic query's check ('' for a manual one)
    state: str  # ecrf.study.status.QueryState value: open | answered | closed | cancelled
    raised_by: str
    raised_role: str
    raised_at: str
    updated_at: str
    messages: tuple[QueryMessageRecord, ...] = ()  # the thread, oldest first (queries.csv leaves it out)


@dataclass(frozen=True)
class SdvRecord:
    """One verified item (items never verified have no record; the plan says which ones must be)."""

    subject: str
    visit: str
    form: str
    timepoint: str
    repeat: int
    item: str
    state: str  # ecrf.study.status.SdvState value: verified | changed_since_verified
    verified_at: str
    verified_by: str
    changed_at: str | None


@dataclass(frozen=True)
class SignatureRecord:
    """One electronic signature row: per form signed, and one for the visit or subject signed as a whole.
    `signature` is the signer's Ed25519 signature (base64) over `ecrf.trail.esign.message(...)` of these
    fields; `public_key` (hex) is the signer's personal key, certified in the audit trail."""

    ceremony: str
    subject: str
    scope: str  # form, visit or subject
    visit: str
    form: str
    timepoint: str
    repeat: int
    username: str
    full_name: str
    meaning_en: str
    meaning_zh: str
    meaning_version: str
    signed_at: str
    data_hash: str  # SHA-256 of the covered clinical data (ecrf.trail.esign.data_hash)
    key_id: str
    public_key: str
    signature: str
    state: str  # valid | broken (the covered data changed after signing; the break is in the audit trail)
    broken_at: str | None
    broken_reason: str | None


@dataclass(frozen=True)
class SignatureMeaning:
    """What signing meant, in the words (both languages) and text version the signer saw."""

    version: str
    en: str
    zh: str


@dataclass(frozen=True)
class LockRecord:
    subject: str
    scope: str  # form, visit or subject
    visit: str
    form: str
    timepoint: str
    repeat: int
    locked_at: str
    locked_by: str
    active: bool
    unlocked_at: str | None
    unlocked_by: str | None
    unlock_reason: str | None


@dataclass(frozen=True)
class SubjectRecord:
    label: str  # subject id once enrolled, else the screening number
    screening_no: str
    subject_id: str | None
    status: str
    arm: str | None
    rand_no: str | None
    day0: str | None
    ended_on: str | None
    end_reason: str | None
    created_at: str
    visits: tuple[VisitRecord, ...]  # schedule order
    forms: tuple[FormRecord, ...]  # schedule order (visit, form, timepoint), then logs by form and repeat
    audit: tuple[AuditRecord, ...]  # this subject's events (under its screening number or id), by seq
    queries: tuple[QueryRecord, ...] = ()
    sdv: tuple[SdvRecord, ...] = ()
    signatures: tuple[SignatureRecord, ...] = ()
    locks: tuple[LockRecord, ...] = ()


@dataclass(frozen=True)
class ExportContext:
    """Everything but the subjects, known before the walk over them starts."""

    study: Study
    site: SiteFacts
    users: tuple[UserRecord, ...]
    identity: SigningIdentity  # signs the PDFs and the manifest
    staging: Path  # the folder the parts write into; zipped with these relative paths
    export_seq: int
    created_at: str  # UTC, when the export ran (manifest and PDFs only: CSV and ODM use site.as_of)
    app_version: str
    subject_count: int
    extras: dict[str, str] = field(default_factory=dict)
    evidence: BundleEvidence | None = None  # seals, key certificates, findings, the exporting user's key
    signature_meanings: tuple[SignatureMeaning, ...] = ()  # every meaning a stored signature was made under


@dataclass(frozen=True)
class Finding:
    """Problems the site's own trail check found, and the administrator's recorded reason for going on."""

    digest: str
    problems: tuple[str, ...]
    acknowledged_by: str
    acknowledged_at: str
    reason: str


@dataclass(frozen=True)
class BundleEvidence:
    """What a verifier needs, besides the trail, to check it from the bundle alone (`ecrf.trail`)."""

    seals: tuple[Seal, ...]
    certificates: tuple[KeyCertificate, ...]
    signer: str  # the exporting user, who also signs the manifest with their personal key
    signer_key: Ed25519PrivateKey
    finding: Finding | None = None
