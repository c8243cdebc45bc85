"""forecast index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

An index that holds what the reports count every deal by (issue 15): the deals by stage,
currency, close date, own probability and amount modulo 200 (the groups whose weighted sums are
exact, see `rules.weighted_sum`), with the amount. The report's pass over every deal then reads
the groups from the index alone, already in order, with no row read and no sort: about 0.2 s at
200,000 deals instead of 1.1 s. With the close time last, the deals closed in a period are found in
it too, before any row is read.

The stays' index on when they ended also holds their stage and length, so the days in stage of a
period are counted from it alone: about 0.05 s instead of 0.22 s at 200,000 deals.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_deals_forecast",
        "deals",
        [
            "stage_id",
            "currency",
            "close_date",
            "probability",
            sa.text("(amount_minor % 200)"),
            "amount_minor",
            "closed_at",
        ],
        unique=False,
    )
    op.drop_index("ix_deal_stays_left_at", table_name="deal_stays")
    op.create_index("ix_deal_stays_left_at", "deal_stays", ["left_at", "stage_id", "seconds"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deal_stays_left_at", table_name="deal_stays")
    op.create_index("ix_deal_stays_left_at", "deal_stays", ["left_at"], unique=False)
    op.drop_index("ix_deals_forecast", table_name="deals")
