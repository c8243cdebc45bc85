"""Create the SQLAlchemy engine for a URL, with SQLite set up for a desktop app."""

from __future__ import annotations

import errno
import os
import re
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from closedwon_tui.domain.errors import StorageError

SQLITE_BUSY_TIMEOUT_MS = 5000

#: A password in a URL (`scheme://user:secret@host`, even a malformed one) or in a query string or
#: a driver's connection string (`password=secret`).
_PASSWORD_IN_URL = re.compile(r"(?P<head>://[^/?#@\s:]*:)(?P<secret>[^\s/]*)@")
_PASSWORD_IN_QUERY = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'[^']*'|\"[^\"]*\"|[^&\s]+)", re.IGNORECASE)


def passwords_in(url: str) -> list[str]:
    """Every password written in `url`, found by shape, so a URL too malformed to parse still
    keeps its secret."""
    found = [m["secret"] for m in _PASSWORD_IN_URL.finditer(url)]
    found += [m["secret"].strip("'\"") for m in _PASSWORD_IN_QUERY.finditer(url)]
    return [secret for secret in found if secret]


def hide_passwords(message: str, *secrets: str | None) -> str:
    """`message` with any password replaced by ***: those of `secrets`, and anything shaped like
    one (a driver's error may quote the connection string it was given)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        message = message.replace(secret, "***")
    message = _PASSWORD_IN_URL.sub(lambda m: f"{m['head']}***@", message)
    return _PASSWORD_IN_QUERY.sub(lambda m: f"{m['head']}***", message)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin. Nothing here writes to the
    # file: WAL is switched on by `use_wal` once the schema revision has been checked.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def use_wal(engine: Engine) -> None:
    """Put a SQLite file in WAL mode (readers never wait for the writer); the mode is stored in
    the file, so this changes it once. Read-only and in-memory databases are left as they are."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or _read_only(url) or url.database in (None, "", ":memory:"):
        return
    connection = engine.raw_connection()  # outside any transaction, as the journal mode needs
    try:
        connection.driver_connection.execute("PRAGMA journal_mode=WAL")  # type: ignore[union-attr]
    except Exception:  # a file the user cannot write: reads still work, writes say read-only
        pass
    finally:
        connection.close()


def _read_only(url: Any) -> bool:
    return url.query.get("mode") == "ro" or url.query.get("immutable") == "1"


def _sqlite_on_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("closedwon_write") else "BEGIN")


def _check_sqlite_path(path: Path) -> None:
    """A SQLite file's folder must exist and the path must lead somewhere: one clear line each."""
    try:
        path.resolve(strict=False)
    except (RuntimeError, OSError):  # RuntimeError up to Python 3.12, OSError (ELOOP) after
        raise StorageError(f"cannot open database: {str(path)!r} is a symbolic link that loops") from None
    if path.is_symlink() and not path.exists():
        try:
            path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StorageError(f"cannot open database: {str(path)!r} is a symbolic link that loops") from None
    parent = path.parent
    if not parent.exists():
        raise StorageError(f"cannot open database: folder {str(parent)!r} does not exist")


def _create_private(path: Path) -> None:
    """A new database file is created readable by its owner only (0600, whatever the umask):
    deals are customer data. SQLite gives its -wal and -shm files the database file's mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StorageError(f"cannot create database {str(path)!r}: {exc.strerror or exc}") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # the umask may have taken bits from 0600 too
    finally:
        os.close(fd)


def make_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL; SQLite files get WAL, foreign keys and a busy timeout."""
    secrets = passwords_in(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        why = " (the port must be a number from 1 to 65535)" if "int()" in str(exc) else ""
        raise StorageError(f"not a database URL: {hide_passwords(repr(url), *secrets)}{why}") from None
    secrets.append(parsed.password or "")
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        shown_url = hide_passwords(repr(url), *secrets)
        raise StorageError(f"not a database URL: {shown_url} (the port must be a number from 1 to 65535)")
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
            _check_sqlite_path(Path(path).expanduser())
            if not _read_only(parsed):
                _create_private(Path(path).expanduser())
            kwargs.update(connect_args={"check_same_thread": False})
    elif parsed.drivername in ("postgresql+psycopg", "postgresql+psycopg2"):
        # closedwon stores no hstore: skip looking its type up on every new connection (a round trip).
        kwargs.update(use_native_hstore=False)
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
        raise StorageError(hide_passwords(f"cannot use database {shown}: {exc}", *secrets)) from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine
