"""board sums index

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

An index that holds what a big board's first frame counts (issue 15): the deals by currency,
stage, own probability and amount modulo 200 (the groups whose weighted sums are exact, see
`rules.weighted_sum`), with the amount and the close time. The counts and sums are then read from
the index alone, already in group order: about 0.04 s at 200,000 deals instead of 0.25 s. The
currency comes first so that a query for one stage's cards in order keeps its (stage, position)
index: SQLite would otherwise take this one and sort.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_deals_board_sums",
        "deals",
        ["currency", "stage_id", "probability", sa.text("(amount_minor % 200)"), "amount_minor", "closed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_deals_board_sums", table_name="deals")
