"""Open a database and run units of work on it, turning driver errors into clear ones."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from closedwon_tui.domain.errors import ClosedwonError, StorageError
from closedwon_tui.storage.engine import hide_passwords, make_engine, use_wal
from closedwon_tui.storage.migrate import SCHEMA_HEAD, check_revision, upgrade
from closedwon_tui.storage.repository import Repository

BUSY = "the database is busy (another program is writing to it); nothing was saved, try again"


def describe(exc: SQLAlchemyError, password: str | None = None) -> str:
    """One line a rep can read, from whatever the driver raised; never a password, even when
    the driver quotes the connection string."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    line = hide_passwords(text[0] if text else type(exc).__name__, password)
    if "readonly" in line or "read-only" in line or "read only" in line:
        return "the database is read-only"
    if "unable to open" in line:
        return "cannot open the database file"
    if "database is locked" in line or "database is busy" in line:
        return BUSY
    if "disk" in line and "full" in line:
        return "the disk is full; nothing was saved"
    return line


def _read_only_hint(engine: Engine) -> str:
    """What to add when a read-only SQLite URL fails in a folder the user cannot write (SQLite
    needs to create its shared-memory file there, unless the file is opened as immutable)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.query.get("mode") != "ro" or url.query.get("immutable") == "1":
        return ""
    folder = Path((url.database or "").removeprefix("file:")).expanduser().parent
    if os.access(folder, os.W_OK):
        return ""
    return "; in a folder you cannot write, add &immutable=1 to the URL (for a file nothing writes to meanwhile)"


class Database:
    """An engine with its schema checked, handing out one-transaction repositories."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(closedwon_write=True)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        """Open `url`: its schema revision is checked before anything is written (a file from a
        newer closedwon is left exactly as it was), then a SQLite file is put in WAL mode and
        the schema brought up to date under the write lock."""
        engine = make_engine(url)
        if migrate:
            try:
                current = check_revision(engine)
                use_wal(engine)
                if current != SCHEMA_HEAD:
                    upgrade(engine)
            except StorageError as exc:
                engine.dispose()
                raise StorageError(f"{exc}{_read_only_hint(engine)}") from None
            except SQLAlchemyError as exc:
                engine.dispose()
                reason = describe(exc, engine.url.password)
                raise StorageError(f"cannot open database: {reason}{_read_only_hint(engine)}") from None
        return cls(engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def label(self) -> str:
        """What the title bar shows: a SQLite file's name, or the server and database."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            return Path(url.database).name if url.database and url.database != ":memory:" else "in memory"
        return f"{url.get_backend_name()} {url.host or ''}/{url.database or ''}".strip()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Repository]:
        """One transaction: committed if the block finishes, rolled back whole if it raises."""
        yield from self._unit(write=True)

    @contextmanager
    def read(self) -> Iterator[Repository]:
        yield from self._unit(write=False)

    def _describe(self, exc: SQLAlchemyError) -> str:
        return describe(exc, self.engine.url.password)

    def _unit(self, *, write: bool) -> Iterator[Repository]:
        try:
            connection: Connection = (self._writer if write else self.engine).connect()
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open database: {self._describe(exc)}") from None
        try:
            connection.begin()  # a writer's BEGIN IMMEDIATE waits here for the write lock
        except SQLAlchemyError as exc:
            connection.close()
            reason = self._describe(exc)
            raise StorageError(reason if reason == BUSY else f"cannot open database: {reason}") from None
        try:
            yield Repository(connection)
            if write:
                connection.commit()
        except ClosedwonError:
            connection.rollback()
            raise
        except IntegrityError as exc:
            connection.rollback()
            raise StorageError(f"the database refused the change: {self._describe(exc)}") from None
        except (DBAPIError, SQLAlchemyError) as exc:
            connection.rollback()
            raise StorageError(self._describe(exc)) from None
        finally:
            connection.close()

    def close(self) -> None:
        self.engine.dispose()
