"""Export bundles: the site's signing key and the log of exported bundles.

- `signing_keys`: the site's ECDSA key and self-signed certificate (the newest row is in use). Inside the
  encrypted database, so the key is as safe as the data it signs; rows are never changed or deleted, so a
  bundle signed years ago can still be traced to the key that signed it.
- `exports`: one row per finished bundle (sequence, file name, manifest hash, audit head), append-only:
  the next bundle names the previous bundle's manifest hash, so the sponsor sees a gap or a fork.
- An index on the audit trail's subject, so a casebook's history is found without scanning every event.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

APPEND_ONLY = {"signing_keys": [("id",)], "exports": [("seq",), ("manifest_sha256",)]}


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_der", sa.LargeBinary, nullable=False),
        sa.Column("certificate_der", sa.LargeBinary, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "exports",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("audit_head_seq", sa.Integer, nullable=False),
        sa.Column("signing_key_id", sa.Integer, sa.ForeignKey("signing_keys.id"), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_events_subject", "audit_events", ["subject"])
    for table, keys in APPEND_ONLY.items():
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or deleted'); END")
        for number, columns in enumerate(keys, start=1):
            match = " AND ".join(f"old.{c} = NEW.{c}" for c in columns)
            op.execute(f"CREATE TRIGGER {table}_no_replace_{number} BEFORE INSERT ON {table} "
                       f"WHEN EXISTS (SELECT 1 FROM {table} AS old WHERE {match}) "
                       f"BEGIN SELECT RAISE(ABORT, '{table}: a row cannot be replaced'); END")


def downgrade() -> None:
    raise NotImplementedError("site databases are never downgraded; restore a backup instead")
