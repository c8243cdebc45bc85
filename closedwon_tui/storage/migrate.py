"""Bring a database's schema up to date with Alembic, or say why not.

Opening an up-to-date database is the common case and must be quick: it reads the
stamped revision with one query and imports Alembic only when there is work to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from closedwon_tui.domain.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest migration in migrations/versions (a test keeps the two in step).
SCHEMA_HEAD = "0002"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> bool:
    """Upgrade to the newest schema. Returns True when anything was applied."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise StorageError(f"cannot open database: {_reason(exc)}") from None
    if current == SCHEMA_HEAD:
        return False
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    if current == script.get_current_head():
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
