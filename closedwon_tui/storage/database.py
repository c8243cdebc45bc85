"""Open a database and run units of work on it, turning driver errors into clear ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from closedwon_tui.domain.errors import ClosedwonError, StorageError
from closedwon_tui.storage.engine import make_engine
from closedwon_tui.storage.migrate import upgrade
from closedwon_tui.storage.repository import Repository


def describe(exc: SQLAlchemyError) -> str:
    """One line a rep can read, from whatever the driver raised."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    if "readonly" in line or "read-only" in line or "read only" in line:
        return "the database is read-only"
    if "unable to open" in line:
        return "cannot open the database file"
    if "database is locked" in line:
        return "the database is busy (locked by another program); try again"
    if "disk" in line and "full" in line:
        return "the disk is full; nothing was saved"
    return line


class Database:
    """An engine with its schema checked, handing out one-transaction repositories."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(closedwon_write=True)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        engine = make_engine(url)
        if migrate:
            try:
                upgrade(engine)
            except StorageError:
                engine.dispose()
                raise
            except SQLAlchemyError as exc:
                engine.dispose()
                raise StorageError(f"cannot open database: {describe(exc)}") from None
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

    def _unit(self, *, write: bool) -> Iterator[Repository]:
        try:
            connection: Connection = (self._writer if write else self.engine).connect()
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open database: {describe(exc)}") from None
        try:
            connection.begin()
        except SQLAlchemyError as exc:
            connection.close()
            raise StorageError(f"cannot open database: {describe(exc)}") from None
        try:
            yield Repository(connection)
            if write:
                connection.commit()
        except ClosedwonError:
            connection.rollback()
            raise
        except IntegrityError as exc:
            connection.rollback()
            raise StorageError(f"the database refused the change: {describe(exc)}") from None
        except (DBAPIError, SQLAlchemyError) as exc:
            connection.rollback()
            raise StorageError(describe(exc)) from None
        finally:
            connection.close()

    def close(self) -> None:
        self.engine.dispose()
