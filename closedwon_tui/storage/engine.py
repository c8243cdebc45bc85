"""Create the SQLAlchemy engine for a URL, with SQLite set up for a desktop app."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from closedwon_tui.domain.errors import StorageError

SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception:  # a read-only file cannot switch journal mode; reads still work
        pass
    cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("closedwon_write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL; SQLite files get WAL, foreign keys and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"not a database URL: {url!r}") from None
    if parsed.drivername == "postgresql" and find_spec("psycopg2") is None:
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver closedwon-tui[postgres] installs
    kwargs: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        database = parsed.database or ""
        if database in ("", ":memory:") or "mode=memory" in str(parsed):
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            # `sqlite:///file:/path/x.db?mode=ro&uri=true` names the file after `file:`.
            path = database.removeprefix("file:") if parsed.query.get("uri") == "true" else database
            parent = Path(path).expanduser().parent
            if not parent.exists():
                raise StorageError(f"cannot open database: folder {str(parent)!r} does not exist")
            kwargs.update(connect_args={"check_same_thread": False})
    shown = parsed.render_as_string(hide_password=True)
    try:
        engine = create_engine(parsed, **kwargs)
    except NoSuchModuleError:
        raise StorageError(
            f"cannot use database {shown}: unknown kind of database {parsed.drivername!r} "
            "(try sqlite:///path/to/file.db or postgresql+psycopg://user@host/db)"
        ) from None
    except ImportError as exc:
        raise StorageError(
            f"cannot use database {shown}: its driver is not installed ({exc.name or exc}); "
            "for PostgreSQL install closedwon-tui[postgres]"
        ) from None
    except Exception as exc:  # bad options in the URL and the like
        raise StorageError(f"cannot use database {shown}: {exc}") from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine
