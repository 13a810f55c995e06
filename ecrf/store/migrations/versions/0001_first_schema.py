"""The first schema: site, users, subjects, visits, forms, item values, allocation list, audit trail,
failed logins; triggers that keep the audit trail append-only and clinical rows undeletable.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_events", "failed_logins")
NEVER_DELETED = ("subjects", "form_instances", "item_values", "users", "allocation_list")


def _text(name: str, length: int | None = None, nullable: bool = False) -> sa.Column:
    kind = sa.String(length) if length else sa.Text()
    return sa.Column(name, kind, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), primary_key=True),
        _text("db_id", 36), _text("study_oid", 100), _text("site_code", 20), _text("site_name", 200),
        _text("definition_version", 50), _text("definition_fingerprint", 64),
        sa.Column("recovery_public_key", sa.LargeBinary(), nullable=False),
        _text("created_at", 32),
        sa.Column("idle_lock_minutes", sa.Integer(), nullable=False),
        sa.Column("next_screening_no", sa.Integer(), nullable=False),
        sa.Column("next_subject_no", sa.Integer(), nullable=False),
        _text("allocation_list_sha256", 64, nullable=True),
        sa.Column("audit_head_seq", sa.Integer(), nullable=False),
        _text("audit_head_hash", 64),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        _text("username", 64), _text("full_name", 200), _text("role", 20),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("slot_public_key", sa.LargeBinary(), nullable=True),
        _text("password_changed_at", 32),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        _text("created_at", 32),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer(), primary_key=True),
        _text("screening_no", 20), _text("subject_id", 20, nullable=True), _text("status", 20),
        _text("arm", 20, nullable=True), _text("rand_no", 20, nullable=True), _text("day0", 10, nullable=True),
        _text("ended_on", 10, nullable=True), _text("end_reason", nullable=True), _text("created_at", 32),
        sa.UniqueConstraint("screening_no"), sa.UniqueConstraint("subject_id"),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject_pk", sa.Integer(), sa.ForeignKey("subjects.id"), nullable=False),
        _text("visit_code", 20), _text("target_date", 10), _text("earliest", 10), _text("latest", 10),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("subject_pk", "visit_code"),
    )
    op.create_table(
        "form_instances",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject_pk", sa.Integer(), sa.ForeignKey("subjects.id"), nullable=False),
        _text("visit_code", 20), _text("form_code", 20), _text("timepoint", 20),
        sa.Column("repeat", sa.Integer(), nullable=False), _text("status", 20),
        _text("definition_version", 50), _text("definition_fingerprint", 64),
        sa.Column("deleted", sa.Boolean(), nullable=False), _text("deleted_reason", nullable=True),
        _text("updated_at", 32), _text("updated_by", 64),
        sa.UniqueConstraint("subject_pk", "visit_code", "form_code", "timepoint", "repeat"),
    )
    op.create_table(
        "item_values",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("form_pk", sa.Integer(), sa.ForeignKey("form_instances.id"), nullable=False),
        _text("item_code", 20), _text("value", nullable=True), _text("missing", 8, nullable=True),
        _text("confirmed"), _text("saved_at", 32), _text("saved_by", 64),
        sa.UniqueConstraint("form_pk", "item_code"),
    )
    op.create_table(
        "allocation_list",
        sa.Column("seq", sa.Integer(), primary_key=True),
        _text("rand_no", 20), _text("arm", 20),
        sa.Column("subject_pk", sa.Integer(), sa.ForeignKey("subjects.id"), nullable=True),
        _text("used_at", 32, nullable=True),
        sa.UniqueConstraint("rand_no"),
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        _text("at_utc", 32), sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        _text("workstation", 100), _text("username", 64), _text("role", 20), _text("action", 40),
        _text("subject", 20, nullable=True), _text("visit", 20, nullable=True), _text("form", 20, nullable=True),
        _text("timepoint", 20, nullable=True), sa.Column("repeat", sa.Integer(), nullable=True),
        _text("item", 64, nullable=True), _text("old_value", nullable=True), _text("old_missing", 8, nullable=True),
        _text("new_value", nullable=True), _text("new_missing", 8, nullable=True), _text("reason", nullable=True),
        _text("clock_note", nullable=True), _text("prev_hash", 64), _text("hash", 64),
    )
    op.create_table(
        "failed_logins",
        sa.Column("id", sa.Integer(), primary_key=True),
        _text("username", 64), _text("at_utc", 32), _text("workstation", 100), _text("reason", 40),
    )
    for table in APPEND_ONLY:
        _refuse(table, "UPDATE", f"{table} is append-only: rows cannot be changed")
    for table in APPEND_ONLY + NEVER_DELETED:
        _refuse(table, "DELETE", f"{table} rows are never deleted: mark them instead")


def _refuse(table: str, operation: str, message: str) -> None:
    op.execute(f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
               f"BEGIN SELECT RAISE(ABORT, '{message}'); END")


def downgrade() -> None:
    raise NotImplementedError("site databases are never downgraded; restore a backup instead")
