"""moving in and out: where imported deals came from, import batches, the database's id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Deals remember the system they were imported from and its record id (unique together, so an
import never duplicates a deal); each import is a batch that can be undone; the database gets
an id of its own, which calendar exports build their stable UIDs on.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_source", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("origin_id", sa.String(length=120), nullable=True))
        batch_op.create_index("ix_deals_origin", ["origin_source", "origin_id"], unique=True)

    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    info = op.create_table(
        "database_info",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.bulk_insert(info, [{"name": "database_id", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("database_info")
    op.drop_table("import_batches")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index("ix_deals_origin")
        batch_op.drop_column("origin_id")
        batch_op.drop_column("origin_source")
