"""Scheduled visits are never deleted either (a cancelled visit is marked, like a removed log entry).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits "
               "BEGIN SELECT RAISE(ABORT, 'visits rows are never deleted: mark them instead'); END")


def downgrade() -> None:
    raise NotImplementedError("site databases are never downgraded; restore a backup instead")
