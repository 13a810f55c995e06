"""Close two gaps in the append-only rules of revision 0001.

- Scheduled visits are never deleted either (a cancelled visit is marked, like a removed log entry).
- Failed logins carry the id they had in the login ledger, so a login killed between committing them
  and clearing the ledger does not record them twice.
- `INSERT OR REPLACE` deletes a conflicting row without firing DELETE triggers, so every protected table
  also refuses an insert that would replace a row, by primary key or by any unique key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# table → the keys (column tuples) a REPLACE could collide on
KEYS: dict[str, list[tuple[str, ...]]] = {
    "audit_events": [("seq",)],
    "failed_logins": [("id",)],
    "subjects": [("id",), ("screening_no",), ("subject_id",)],
    "visits": [("id",), ("subject_pk", "visit_code")],
    "form_instances": [("id",), ("subject_pk", "visit_code", "form_code", "timepoint", "repeat")],
    "item_values": [("id",), ("form_pk", "item_code")],
    "users": [("id",), ("username",)],
    "allocation_list": [("seq",), ("rand_no",)],
}


def upgrade() -> None:
    op.add_column("failed_logins", sa.Column("ledger_id", sa.String(36), nullable=True))
    op.execute("CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits "
               "BEGIN SELECT RAISE(ABORT, 'visits rows are never deleted: mark them instead'); END")
    for table, keys in KEYS.items():
        for number, columns in enumerate(keys, start=1):
            match = " AND ".join(f"old.{c} = NEW.{c}" for c in columns)  # NULLs never collide
            op.execute(f"CREATE TRIGGER {table}_no_replace_{number} BEFORE INSERT ON {table} "
                       f"WHEN EXISTS (SELECT 1 FROM {table} AS old WHERE {match}) "
                       f"BEGIN SELECT RAISE(ABORT, '{table}: a row cannot be replaced'); END")


def downgrade() -> None:
    raise NotImplementedError("site databases are never downgraded; restore a backup instead")
