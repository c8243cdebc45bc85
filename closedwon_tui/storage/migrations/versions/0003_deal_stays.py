"""deal stays

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Each deal's stays in its stages, replayed from its history, so that the funnel and the days
in stage are counted in SQL (issue 15); and an index on when deals were created, for a
period's funnel. The table is filled from the existing history here;
from then on every write that puts a deal in a stage keeps it current.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deal_stays",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.Column("seconds", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stages.id"],
        ),
        sa.PrimaryKeyConstraint("deal_id", "seq"),
    )
    op.create_index("ix_deal_stays_left_at", "deal_stays", ["left_at"], unique=False)
    op.create_index("ix_deals_created_at", "deals", ["created_at"], unique=False)
    # The one replay rule fills the table from the history already written.
    from closedwon_tui.storage.stays import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_deals_created_at", table_name="deals")
    op.drop_index("ix_deal_stays_left_at", table_name="deal_stays")
    op.drop_table("deal_stays")
