"""Monitoring: source data verification, queries and their threads, electronic signatures, the one-time
signature certification, locks, and the site's state (open, frozen, locked).

Nothing here is ever deleted (triggers refuse it): a query is closed or cancelled, a signature broken, a lock
lifted, each with who, when and why, and each step has its audit event. Query messages and certifications
never change; a signature row changes only from valid to broken.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SDV_MATRIX_COLUMNS = ("subject_pk", "visit_code", "deleted", "status", "sdv_required", "sdv_verified", "sdv_changed")
NEVER_DELETED = ("sdv_marks", "queries", "query_messages", "signatures", "esign_certifications", "locks")
NEVER_CHANGED = ("query_messages", "esign_certifications")
SIGNATURE_FIELDS = ("id", "ceremony", "subject_pk", "scope", "visit_code", "form_code", "timepoint", "repeat",
                    "username", "full_name", "meaning_en", "meaning_zh", "meaning_version", "signed_at",
                    "data_hash", "key_id", "public_key", "signature")


def _place() -> list[sa.Column]:
    return [sa.Column("scope", sa.String(10), nullable=False),
            sa.Column("visit_code", sa.String(20), nullable=False),
            sa.Column("form_code", sa.String(20), nullable=False),
            sa.Column("timepoint", sa.String(20), nullable=False),
            sa.Column("repeat", sa.Integer, nullable=False)]


def upgrade() -> None:
    op.add_column("site", sa.Column("state", sa.String(10), nullable=False, server_default="open"))
    # How many of a form's SDV marks are verified / changed since verified, kept with the form by the SDV
    # service, so the SDV matrix of thousands of subjects reads the forms alone, not every mark.
    op.add_column("form_instances", sa.Column("sdv_verified", sa.Integer, nullable=False, server_default="0"))
    op.add_column("form_instances", sa.Column("sdv_changed", sa.Integer, nullable=False, server_default="0"))
    op.add_column("form_instances", sa.Column("sdv_required", sa.Integer, nullable=True))
    # The SDV matrix sums these per subject and visit: one covering index, read in group order.
    op.create_index("ix_form_instances_sdv", "form_instances", list(SDV_MATRIX_COLUMNS))
    op.create_table(
        "sdv_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("form_pk", sa.Integer, sa.ForeignKey("form_instances.id"), nullable=False, index=True),
        sa.Column("item_code", sa.String(20), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("verified_at", sa.String(32), nullable=False),
        sa.Column("verified_by", sa.String(64), nullable=False),
        sa.Column("changed_at", sa.String(32)),
        sa.UniqueConstraint("form_pk", "item_code"),
    )
    op.create_table(
        "queries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_pk", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False, index=True),
        *_place(),
        sa.Column("item_code", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("check_key", sa.String(200), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("raised_by", sa.String(64), nullable=False),
        sa.Column("raised_role", sa.String(20), nullable=False),
        sa.Column("raised_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "query_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("query_pk", sa.Integer, sa.ForeignKey("queries.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("at_utc", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("response_code", sa.String(20)),
    )
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ceremony", sa.String(36), nullable=False, index=True),
        sa.Column("subject_pk", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False, index=True),
        *_place(),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("meaning_en", sa.Text, nullable=False),
        sa.Column("meaning_zh", sa.Text, nullable=False),
        sa.Column("meaning_version", sa.String(50), nullable=False),
        sa.Column("signed_at", sa.String(32), nullable=False),
        sa.Column("data_hash", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(100), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("broken_at", sa.String(32)),
        sa.Column("broken_reason", sa.Text),
    )
    op.create_table(
        "esign_certifications",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("certified_at", sa.String(32), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
    )
    op.create_table(
        "locks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_pk", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False, index=True),
        *_place(),
        sa.Column("locked_at", sa.String(32), nullable=False),
        sa.Column("locked_by", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("unlocked_at", sa.String(32)),
        sa.Column("unlocked_by", sa.String(64)),
        sa.Column("unlock_reason", sa.Text),
    )
    for table in NEVER_DELETED:
        op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{table} rows are never deleted'); END")
    for table in NEVER_CHANGED:
        op.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END")
    same = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in SIGNATURE_FIELDS)
    # A signature only ever goes from valid to broken; what was signed, by whom and when never changes.
    op.execute("CREATE TRIGGER signatures_only_break BEFORE UPDATE ON signatures "
               f"WHEN NOT ({same} AND OLD.state = 'valid' AND NEW.state = 'broken') "
               "BEGIN SELECT RAISE(ABORT, 'a signature is never changed, only marked broken'); END")


def downgrade() -> None:
    raise NotImplementedError("site databases are never downgraded; restore a backup instead")
