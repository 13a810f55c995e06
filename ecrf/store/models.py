"""The site database schema (SQLAlchemy 2 declarative). Alembic migrations in `migrations/` create it.

Item values are rows (form instance, item code → value text or missing code), typed by the study
definition on the way in and out, so a new version of a form needs no schema change. Times are ISO 8601
text in UTC (`…Z`), with the PC's offset beside them where the audit trail needs it.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ecrf.study.status import FormStatus, SiteState, SubjectStatus


class Base(DeclarativeBase):
    pass


class Site(Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    db_id: Mapped[str] = mapped_column(String(36))
    study_oid: Mapped[str] = mapped_column(String(100))
    site_code: Mapped[str] = mapped_column(String(20))
    site_name: Mapped[str] = mapped_column(String(200))
    definition_version: Mapped[str] = mapped_column(String(50))
    definition_fingerprint: Mapped[str] = mapped_column(String(64))
    recovery_public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[str] = mapped_column(String(32))
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)
    next_screening_no: Mapped[int] = mapped_column(Integer, default=1)
    next_subject_no: Mapped[int] = mapped_column(Integer, default=1)
    allocation_list_sha256: Mapped[str | None] = mapped_column(String(64))
    audit_head_seq: Mapped[int] = mapped_column(Integer, default=0)
    audit_head_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10), default=SiteState.OPEN, server_default="open")  # / frozen / locked


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    slot_public_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    password_changed_at: Mapped[str] = mapped_column(String(32))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(32))


class Subject(Base):
    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_no: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=SubjectStatus.SCREENING)
    arm: Mapped[str | None] = mapped_column(String(20))
    rand_no: Mapped[str | None] = mapped_column(String(20))
    day0: Mapped[str | None] = mapped_column(String(10))
    ended_on: Mapped[str | None] = mapped_column(String(10))
    end_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))

    visits: Mapped[list[VisitRow]] = relationship(back_populates="subject", order_by="VisitRow.target_date")

    @property
    def label(self) -> str:
        """The id people use: the subject id once enrolled, the screening number before."""
        return self.subject_id or self.screening_no


class VisitRow(Base):
    """A visit as scheduled from Day 0: target date and window, or cancelled when the schedule ended."""

    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("subject_pk", "visit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_pk: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    visit_code: Mapped[str] = mapped_column(String(20))
    target_date: Mapped[str] = mapped_column(String(10))
    earliest: Mapped[str] = mapped_column(String(10))
    latest: Mapped[str] = mapped_column(String(10))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    subject: Mapped[Subject] = relationship(back_populates="visits")


class FormInstance(Base):
    """One form of one subject at one visit (and timepoint); log entries are repeats with visit ''."""

    __tablename__ = "form_instances"
    __table_args__ = (UniqueConstraint("subject_pk", "visit_code", "form_code", "timepoint", "repeat"),
                      # the SDV matrix's sums per subject and visit, read from the index alone
                      Index("ix_form_instances_sdv", "subject_pk", "visit_code", "deleted", "status", "sdv_required",
                            "sdv_verified", "sdv_changed"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_pk: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    visit_code: Mapped[str] = mapped_column(String(20))
    form_code: Mapped[str] = mapped_column(String(20))
    timepoint: Mapped[str] = mapped_column(String(20), default="")
    repeat: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default=FormStatus.NOT_STARTED)
    definition_version: Mapped[str] = mapped_column(String(50))
    definition_fingerprint: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(64))
    # Counts of this form's SDV marks by state, kept by ecrf.services.sdv (for the SDV matrix's speed).
    sdv_verified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sdv_changed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Items to verify, kept at each save (a `when` rule depends on the values): the SDV matrix sums it instead
    # of evaluating thousands of conditions. NULL: not counted yet (rows saved before; the matrix works it out).
    sdv_required: Mapped[int | None] = mapped_column(Integer)

    values: Mapped[list[ItemValue]] = relationship(back_populates="form", cascade="all")


class ItemValue(Base):
    __tablename__ = "item_values"
    __table_args__ = (UniqueConstraint("form_pk", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_pk: Mapped[int] = mapped_column(ForeignKey("form_instances.id"))
    item_code: Mapped[str] = mapped_column(String(20))
    value: Mapped[str | None] = mapped_column(Text)
    missing: Mapped[str | None] = mapped_column(String(8))
    confirmed: Mapped[str] = mapped_column(Text, default="")  # soft finding keys confirmed, one per line
    saved_at: Mapped[str] = mapped_column(String(32))
    saved_by: Mapped[str] = mapped_column(String(64))

    form: Mapped[FormInstance] = relationship(back_populates="values")


class AllocationSlot(Base):
    """One line of the sponsor's allocation list, used in sequence."""

    __tablename__ = "allocation_list"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    rand_no: Mapped[str] = mapped_column(String(20), unique=True)
    arm: Mapped[str] = mapped_column(String(20))
    subject_pk: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    used_at: Mapped[str | None] = mapped_column(String(32))


class AuditEvent(Base):
    """Append-only (triggers refuse UPDATE and DELETE) and hash-chained: see `ecrf.store.audit`."""

    __tablename__ = "audit_events"
    # Logins and the trail check look events up by action (a user's key, the last login, a finding).
    __table_args__ = (Index("ix_audit_events_action_item", "action", "item"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at_utc: Mapped[str] = mapped_column(String(32))
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    workstation: Mapped[str] = mapped_column(String(100))
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(20), index=True)
    visit: Mapped[str | None] = mapped_column(String(20))
    form: Mapped[str | None] = mapped_column(String(20))
    timepoint: Mapped[str | None] = mapped_column(String(20))
    repeat: Mapped[int | None] = mapped_column(Integer)
    item: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    old_missing: Mapped[str | None] = mapped_column(String(8))
    new_value: Mapped[str | None] = mapped_column(Text)
    new_missing: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    clock_note: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class FailedLogin(Base):
    __tablename__ = "failed_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    at_utc: Mapped[str] = mapped_column(String(32))
    workstation: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(40))
    ledger_id: Mapped[str | None] = mapped_column(String(36))  # the record's id in site.logins


class SigningKey(Base):
    """The site's signing key and self-signed certificate; the newest row signs. Never deleted; the key is
    sealed (`sealed_key`, AES-GCM under the key that export roles' slots hold) and `key_der` is then empty."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_der: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    certificate_der: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))


class ExportLog(Base):
    """One finished export bundle. Append-only: the next bundle chains to this one's manifest hash."""

    __tablename__ = "exports"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    file_name: Mapped[str] = mapped_column(String(200))
    manifest_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    audit_head_seq: Mapped[int] = mapped_column(Integer)
    signing_key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(64))


class SealRow(Base):
    """A write transaction's seal: its user's signature over the head it left (`ecrf.trail.seals`)."""

    __tablename__ = "seals"

    head_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    head_hash: Mapped[str] = mapped_column(String(64))
    signer: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(100))
    at_utc: Mapped[str] = mapped_column(String(32))


class KeyCertificateRow(Base):
    """The site key's signature over a user's personal public key and the head at that time."""

    __tablename__ = "key_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    head_seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    site_certificate_sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))
    at_utc: Mapped[str] = mapped_column(String(32))


# -- monitoring (DESIGN.md, Workflow and roles): every row written with its audit event ------------------------


class SdvMark(Base):
    """One item's source data verification. No row: not verified (or not required, as the plan says);
    `state` is verified, or changed_since_verified once its value changed after verification."""

    __tablename__ = "sdv_marks"
    __table_args__ = (UniqueConstraint("form_pk", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_pk: Mapped[int] = mapped_column(ForeignKey("form_instances.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(30))
    verified_at: Mapped[str] = mapped_column(String(32))
    verified_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[str | None] = mapped_column(String(32))


class QueryRow(Base):
    """A query on an item, a form or a visit (`scope`); its messages are the thread. Never deleted."""

    __tablename__ = "queries"

    id: Mapped[int] = mapped_column(primary_key=True)  # shown as Q-0001
    subject_pk: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    visit_code: Mapped[str] = mapped_column(String(20), default="")
    form_code: Mapped[str] = mapped_column(String(20), default="")
    timepoint: Mapped[str] = mapped_column(String(20), default="")
    repeat: Mapped[int] = mapped_column(Integer, default=0)
    item_code: Mapped[str] = mapped_column(String(20), default="")
    origin: Mapped[str] = mapped_column(String(10))
    check_key: Mapped[str] = mapped_column(String(200), default="")  # an automatic query's check (once per place)
    state: Mapped[str] = mapped_column(String(12), index=True)
    raised_by: Mapped[str] = mapped_column(String(64))
    raised_role: Mapped[str] = mapped_column(String(20))
    raised_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))

    messages: Mapped[list[QueryMessage]] = relationship(back_populates="query", order_by="QueryMessage.id")


class QueryMessage(Base):
    __tablename__ = "query_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    query_pk: Mapped[int] = mapped_column(ForeignKey("queries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # raised, answered, closed, cancelled, reopened, note
    author: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    at_utc: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    response_code: Mapped[str | None] = mapped_column(String(20))

    query: Mapped[QueryRow] = relationship(back_populates="messages")


class SignatureRow(Base):
    """One electronic signature: a row per form signed, plus one for the visit or subject signed as a whole
    (`scope`), all of one ceremony. `signature` is the signer's Ed25519 signature (personal key) over the
    message `ecrf.trail.esign` builds from these fields and `data_hash`, the covered clinical data's hash."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony: Mapped[str] = mapped_column(String(36), index=True)
    subject_pk: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    visit_code: Mapped[str] = mapped_column(String(20), default="")
    form_code: Mapped[str] = mapped_column(String(20), default="")
    timepoint: Mapped[str] = mapped_column(String(20), default="")
    repeat: Mapped[int] = mapped_column(Integer, default=0)
    username: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(200))
    meaning_en: Mapped[str] = mapped_column(Text)
    meaning_zh: Mapped[str] = mapped_column(Text)
    meaning_version: Mapped[str] = mapped_column(String(50))
    signed_at: Mapped[str] = mapped_column(String(32))
    data_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10))
    broken_at: Mapped[str | None] = mapped_column(String(32))
    broken_reason: Mapped[str | None] = mapped_column(Text)


class SignatureCertification(Base):
    """A user's one-time certification that their electronic signature binds like a handwritten one
    (21 CFR 11.100(c)); the statement's text as they accepted it."""

    __tablename__ = "esign_certifications"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    certified_at: Mapped[str] = mapped_column(String(32))
    statement: Mapped[str] = mapped_column(Text)


class LockRow(Base):
    """A lock on a form, a visit or a subject (`scope`). Unlocking keeps the row, with who, when and why."""

    __tablename__ = "locks"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_pk: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    visit_code: Mapped[str] = mapped_column(String(20), default="")
    form_code: Mapped[str] = mapped_column(String(20), default="")
    timepoint: Mapped[str] = mapped_column(String(20), default="")
    repeat: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[str] = mapped_column(String(32))
    locked_by: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unlocked_at: Mapped[str | None] = mapped_column(String(32))
    unlocked_by: Mapped[str | None] = mapped_column(String(64))
    unlock_reason: Mapped[str | None] = mapped_column(Text)
