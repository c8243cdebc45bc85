"""pending follow-ups index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

An index of the follow-ups not done yet, soonest first (issue 15): the agenda's first screenful
is the first rows of it, read at once however many follow-ups a team has pending (56,000 at
200,000 deals), where every pending follow-up was read and sorted first. Done follow-ups are
left out of it (a partial index, on SQLite and PostgreSQL alike), so it stays as small as the
agenda.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pending = sa.text("done_at IS NULL")
    op.create_index("ix_followups_pending", "followups", ["due", "id"], unique=False,
                    sqlite_where=pending, postgresql_where=pending)  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_followups_pending", table_name="followups")
