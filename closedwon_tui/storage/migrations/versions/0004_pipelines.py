"""pipelines: editable stages and several pipelines

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Every stage belongs to a pipeline; the existing stages become the pipeline "Sales", and every
deal stays where it is (a deal's pipeline is its stage's). Stage names are unique within a
pipeline now, not across the database (each pipeline has its Closed Won), which the services
check; so the old unique constraint on the name goes. A removed stage or pipeline is archived,
never deleted, so past events still name it. Changes to stages and pipelines are recorded in
`pipeline_events`, with what they changed, for undo.

On SQLite the stages table is rebuilt (a constraint cannot be dropped there): migrations run
with foreign keys off (see storage/migrate.py) and are checked before they commit.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SALES = "Sales"


def upgrade() -> None:
    pipelines = op.create_table(
        "pipelines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    bind = op.get_bind()
    sales = bind.execute(
        sa.insert(pipelines).values(name=SALES, position=0, archived=False).returning(pipelines.c.id)
    ).scalar_one()
    if bind.dialect.name == "sqlite":
        _rebuild_stages_on_sqlite(sales)
    else:
        op.drop_constraint("stages_name_key", "stages", type_="unique")
        op.add_column("stages", sa.Column("pipeline_id", sa.Integer(), nullable=True))
        op.add_column("stages", sa.Column("archived", sa.Boolean(), nullable=True))
        op.execute(sa.text("UPDATE stages SET pipeline_id = :sales, archived = false").bindparams(sales=sales))
        op.alter_column("stages", "pipeline_id", nullable=False)
        op.alter_column("stages", "archived", nullable=False)
        op.create_foreign_key("stages_pipeline_id_fkey", "stages", "pipelines", ["pipeline_id"], ["id"])
    op.create_index("ix_stages_pipeline_id", "stages", ["pipeline_id"], unique=False)
    op.create_table(
        "pipeline_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["pipeline_id"], ["pipelines.id"]),
        sa.ForeignKeyConstraint(["stage_id"], ["stages.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pipeline_events_pipeline_id", "pipeline_events", ["pipeline_id"], unique=False)


def _rebuild_stages_on_sqlite(sales: int) -> None:
    """The stages table again, without the unique name, with its pipeline: same ids, same rows."""
    op.create_table(
        "_stages_0004",
        # The columns in PostgreSQL's order (the new ones last), so a backup reads the same on both.
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("rotting_days", sa.Integer(), nullable=True),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["pipeline_id"], ["pipelines.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        sa.text(
            "INSERT INTO _stages_0004 (id, name, position, probability, kind, rotting_days, pipeline_id, archived) "
            "SELECT id, name, position, probability, kind, rotting_days, :sales, 0 FROM stages"
        ).bindparams(sales=sales)
    )
    op.drop_table("stages")
    op.rename_table("_stages_0004", "stages")


def downgrade() -> None:
    """Back to one pipeline: only while the database holds nothing but the Sales pipeline's
    stages, none archived (anything else would be lost)."""
    bind = op.get_bind()
    extra = bind.execute(sa.text("SELECT COUNT(*) FROM pipelines")).scalar_one()
    archived = bind.execute(sa.text("SELECT COUNT(*) FROM stages WHERE archived")).scalar_one()
    if extra != 1 or archived:
        raise RuntimeError("this database has several pipelines or removed stages: it cannot go back to 0003")
    op.drop_index("ix_pipeline_events_pipeline_id", table_name="pipeline_events")
    op.drop_table("pipeline_events")
    op.drop_index("ix_stages_pipeline_id", table_name="stages")
    with op.batch_alter_table("stages", schema=None) as batch_op:
        if bind.dialect.name != "sqlite":
            batch_op.drop_constraint("stages_pipeline_id_fkey", type_="foreignkey")
        batch_op.drop_column("archived")
        batch_op.drop_column("pipeline_id")
        batch_op.create_unique_constraint("stages_name_key", ["name"])
    op.drop_table("pipelines")
