"""Tamper evidence: seals, key certificates, and the site signing key sealed to the roles that export.

- `seals`: one row per write transaction since sealing started: the acting user's Ed25519 signature over
  the audit head the transaction left (`ecrf.trail.seals`). Append-only.
- `key_certificates`: the site signing key's signature over a user's personal public key and the head at
  that moment. Append-only.
- `signing_keys.sealed_key`: the site key encrypted under a key that only the slots of users who may export
  (and administrators) hold. Once set, `key_der` is emptied; that one change is the only update allowed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = {"seals": "head_seq", "key_certificates": "id"}


def upgrade() -> None:
    op.create_table(
        "seals",
        sa.Column("head_seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("signer", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("signature", sa.String(100), nullable=False),
        sa.Column("at_utc", sa.String(32), nullable=False),
    )
    op.create_table(
        "key_certificates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("head_seq", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("site_certificate_sha256", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
        sa.Column("at_utc", sa.String(32), nullable=False),
    )
    for table, key in APPEND_ONLY.items():
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or deleted'); END")
        op.execute(f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                   f"WHEN EXISTS (SELECT 1 FROM {table} AS old WHERE old.{key} = NEW.{key}) "
                   f"BEGIN SELECT RAISE(ABORT, '{table}: a row cannot be replaced'); END")
    op.add_column("signing_keys", sa.Column("sealed_key", sa.LargeBinary, nullable=True))
    # Logins and the trail check look events up by action (a user's key, the last login, a finding).
    op.create_index("ix_audit_events_action_item", "audit_events", ["action", "item"])
    op.execute("DROP TRIGGER signing_keys_no_update")
    # The one change allowed: a clear key is replaced by its sealed form (a site made before this revision).
    op.execute("CREATE TRIGGER signing_keys_no_update BEFORE UPDATE ON signing_keys "
               "WHEN NOT (OLD.sealed_key IS NULL AND NEW.sealed_key IS NOT NULL AND NEW.key_der = X'' "
               "AND NEW.id = OLD.id AND NEW.certificate_der = OLD.certificate_der "
               "AND NEW.fingerprint = OLD.fingerprint AND NEW.created_at = OLD.created_at) "
               "BEGIN SELECT RAISE(ABORT, 'signing_keys rows are never changed or deleted'); END")


def downgrade() -> None:
    raise NotImplementedError("site databases are never downgraded; restore a backup instead")
