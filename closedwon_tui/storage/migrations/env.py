"""Alembic environment: runs on the connection closedwon hands it."""

from alembic import context

from closedwon_tui.storage.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - closedwon always passes a connection
    raise RuntimeError("closedwon migrations run through closedwon_tui.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
