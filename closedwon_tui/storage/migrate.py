"""Bring a database's schema up to date with Alembic, or say why not.

Opening an up-to-date database is the common case and must be quick: it reads the
stamped revision with one query and imports Alembic only when there is work to do.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError

from closedwon_tui.domain.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest migration in migrations/versions (a test keeps the two in step).
SCHEMA_HEAD = "0007"


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
        return _revision(connection)


#: Whether the revision table is there, asked in one query written for the database (SQLAlchemy's
#: inspector builds and compiles a catalogue query, and on PostgreSQL first imports its catalogue
#: tables: about 5 ms of opening); any other database asks the inspector.
_HAS_REVISION_TABLE = {
    "postgresql": "SELECT to_regclass('alembic_version') IS NOT NULL",
    "sqlite": "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
}


def _revision(connection: Connection) -> str | None:
    probe = _HAS_REVISION_TABLE.get(connection.dialect.name)
    if probe is not None:
        present = bool(connection.exec_driver_sql(probe).scalar())
    else:
        present = inspect(connection).has_table("alembic_version")
    if not present:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


#: Serialises schema set-up between processes on PostgreSQL (SQLite's write lock does it there).
_PG_MIGRATION_LOCK = 0x636C6F736564  # "closed"


def check_revision(engine: Engine) -> str | None:
    """The database's schema revision, read without changing anything; a database written by a
    newer closedwon is refused here, before anything (not even the journal mode) is touched."""
    try:
        current = current_revision(engine)
    except (OperationalError, DatabaseError) as exc:
        raise StorageError(f"cannot open database: {_reason(exc, engine)}") from None
    if current is None or current == SCHEMA_HEAD:
        return current
    if current not in _known_revisions():
        raise StorageError(
            f"this database was written by a newer closedwon (schema {current}); upgrade closedwon to open it"
        )
    return current


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def upgrade(engine: Engine) -> bool:
    """Upgrade to the newest schema. Returns True when anything was applied.

    The set-up runs holding the write lock from its first statement (BEGIN IMMEDIATE on SQLite,
    an advisory lock on PostgreSQL) and looks at the revision again once it holds it: ten
    processes opening a new file at once queue, and only the first creates the schema.
    """
    if check_revision(engine) == SCHEMA_HEAD:
        return False
    deadline = time.monotonic() + SETUP_WAIT_SECONDS
    while True:
        try:
            return _upgrade_holding_the_lock(engine)
        except OperationalError as exc:
            # Another process is setting the schema up: waiting for it is the point, so a
            # busy lock is tried again for longer than one write's busy timeout.
            if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                raise StorageError(f"cannot upgrade database: {_reason(exc, engine)}") from None
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot upgrade database: {_reason(exc, engine)}") from None


#: How long opening a database waits for another process that is setting up its schema.
SETUP_WAIT_SECONDS = 60.0


def _upgrade_holding_the_lock(engine: Engine) -> bool:
    from alembic import command

    writer = engine.execution_options(closedwon_write=True)
    with writer.connect() as connection, migrating(connection), connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        if _revision(connection) == SCHEMA_HEAD:  # another process finished it meanwhile
            return False
        command.upgrade(_config(connection), "head")
        check_references(connection)
    return True


@contextmanager
def migrating(connection: Connection) -> Iterator[None]:
    """Around a migration's transaction on `connection` (not begun yet): a migration may rebuild a
    table others refer to (SQLite cannot drop a constraint), so SQLite's foreign keys are off
    while it runs, as SQLite's manual says; `check_references` checks them before commit."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(connection, on=False)
    try:
        yield
    finally:
        if sqlite:
            _foreign_keys(connection, on=True)


def check_references(connection: Connection) -> None:
    """Refuse a migration that left a reference to nothing (SQLite, where it ran with foreign keys off)."""
    if connection.dialect.name == "sqlite" and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
        raise StorageError("cannot upgrade database: the upgrade would break a reference; nothing changed")


def _foreign_keys(connection: Connection, *, on: bool) -> None:
    """Switch SQLite's foreign keys, outside any transaction (the pragma does nothing inside one)."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _reason(exc: SQLAlchemyError, engine: Engine) -> str:
    from closedwon_tui.storage.database import describe  # database imports this module

    return describe(exc, engine.url.password)
