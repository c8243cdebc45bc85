"""Bring a database's schema up to date with Alembic, or say why not."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from closedwon_tui.domain.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Upgrade to the newest schema. Returns True when anything was applied."""
    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise StorageError(f"cannot open database: {_reason(exc)}") from None
    if current == head:
        return False
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise StorageError(
            f"this database was written by a newer closedwon (schema {current}); upgrade closedwon to open it"
        )
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "head")
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot upgrade database: {_reason(exc)}") from None
    return True


def _reason(exc: SQLAlchemyError) -> str:
    from closedwon_tui.storage.database import describe  # database imports this module

    return describe(exc)
