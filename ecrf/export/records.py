"""What an export bundle is made of, read out of the site database by `ecrf.services.export_records`.

Plain frozen records, so the writers never touch the database and can be tested with hand-made data.
Times are UTC ISO 8601 text as stored (`2026-01-15T08:30:00.000000Z`); dates are ISO `YYYY-MM-DD`;
item values are the canonical stored text (`ecrf.study.codec.to_text`), a missing code beside them.
Queries, source data verification and signatures come with the monitoring issue: their records are
defined now so the bundle format (CSV columns, ODM elements) does not break when they arrive.
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
    status: str  # ecrf.store.models.FormStatus value
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
class QueryRecord:
    query_id: str
    subject: str
    visit: str
    form: str
    timepoint: str
    repeat: int
    item: str
    origin: str  # "monitor" | "auto" (an unresolved soft check)
    status: str  # "open" | "answered" | "closed"
    text: str
    raised_at: str
    raised_by: str
    answer: str | None = None
    answered_at: str | None = None
    answered_by: str | None = None
    closed_at: str | None = None
    closed_by: str | None = None


@dataclass(frozen=True)
class SdvRecord:
    subject: str
    visit: str
    form: str
    timepoint: str
    repeat: int
    verified_at: str
    verified_by: str
    full_name: str


@dataclass(frozen=True)
class SignatureRecord:
    subject: str
    visit: str
    form: str
    timepoint: str
    repeat: int
    username: str
    full_name: str
    meaning: str
    signed_at: str
    data_hash: str  # SHA-256 of the signed data
    valid: bool  # False once the data were changed after signing (the break is in the audit trail)


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
