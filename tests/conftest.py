"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when a server is given),
a frozen clock, and the service every layer above storage uses."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, event, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.engine import make_engine
from closedwon_tui.storage.migrate import SCHEMA_HEAD
from closedwon_tui.storage.tables import metadata

PG_URL = os.environ.get("CLOSEDWON_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("CLOSEDWON_REQUIRE_PG") == "1"

#: Wednesday 2026-11-25 15:00 UTC, the "now" of every test with a frozen clock.
FROZEN_NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_user_files(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user's database or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("CLOSEDWON_CONFIG", str(home / "config" / "closedwon" / "config.toml"))
    monkeypatch.delenv("CLOSEDWON_DB", raising=False)


#: The zone every test runs in unless it says otherwise: the suite passes whatever the machine's zone.
TEST_TZ = "UTC"


def set_local_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    """Make `zone` the process's local time zone for one test (subprocesses inherit it)."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.fixture(autouse=True)
def _pinned_time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test sees the same local zone; a test can call `set_local_zone` for another."""
    set_local_zone(monkeypatch, TEST_TZ)
    yield
    monkeypatch.undo()
    time.tzset()


class FrozenClock:
    """A clock tests can read and move: `clock.advance(days=3)`."""

    def __init__(self, now: datetime = FROZEN_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


# databases -----------------------------------------------------------------
#
# Alembic runs once per session: into a SQLite template file, and into the PostgreSQL test
# database. Each test then starts from a copy of that migrated schema (SQLite: the file
# copied; PostgreSQL: every table the migrations left empty emptied again, ids restarted), which is many
# times cheaper than migrating again.


def _drop_everything(url: str) -> None:
    """Every table of the database, closedwon's or not (a benchmark's marker left in the test
    database would otherwise make the migration tests see a table the models do not have)."""
    db = Database.open(url, migrate=False)
    with db.engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        found = MetaData()
        found.reflect(conn)
        found.drop_all(conn)
    db.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema, once per session; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    Database.open(sqlite_url(path)).close()  # closing the last connection folds the WAL into the file
    return path


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_sqlite(template: Path, path: Path) -> str:
    """A fresh, migrated SQLite file at `path` (a copy of the template); returns its URL."""
    shutil.copyfile(template, path)
    return sqlite_url(path)


def open_migrated(template: Path, path: Path) -> Database:
    return Database.open(migrated_sqlite(template, path))


def memory_database(template: Path) -> Database:
    """A migrated in-memory SQLite database (the template copied in with SQLite's backup)."""
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        source = sqlite3.connect(template)
        try:
            source.backup(conn.connection.driver_connection)  # type: ignore[arg-type]
        finally:
            source.close()
    return Database(engine)


@event.listens_for(Engine, "connect")
def _no_waiting_for_the_disk(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Tests check what is written, not that it survives a power cut: commits return without
    waiting for the disk (SQLite: synchronous off; PostgreSQL: this session's commits only)."""
    cursor = dbapi_connection.cursor()
    try:
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor.execute("PRAGMA synchronous=OFF")
        else:
            cursor.execute("SET synchronous_commit = off")
            dbapi_connection.commit()
    finally:
        cursor.close()


class _PostgresState:
    """The PostgreSQL test database: migrated once, then emptied before each test."""

    def __init__(self, url: str) -> None:
        self.url = url
        #: The rows the migrations seeded (the stages, the database's id...), by table.
        self.seeded: dict[str, list[tuple]] | None = None
        #: The tables the migrations left empty: the ones tests write to, emptied between tests.
        self.data_tables: list[str] = []

    def fresh(self) -> str:
        if self.seeded is None or not self._empty_again():
            self._migrate()
        return self.url

    def _migrate(self) -> None:
        _drop_everything(self.url)
        db = Database.open(self.url)
        with db.engine.connect() as conn:
            rows = {table.name: self._rows(conn, table.name) for table in metadata.sorted_tables}
        db.close()
        self.seeded = {name: found for name, found in rows.items() if found}
        self.data_tables = [name for name, found in rows.items() if not found]

    @staticmethod
    def _rows(conn, name: str) -> list[tuple]:  # type: ignore[no-untyped-def]
        return sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {name}")))

    def _empty_again(self) -> bool:
        """Empty the data tables; False when the schema is not the migrated one any more."""
        db = Database.open(self.url, migrate=False)
        try:
            with db.engine.begin() as conn:
                if current_revision_of(conn) != SCHEMA_HEAD:
                    return False
                assert self.seeded is not None
                if any(self._rows(conn, name) != rows for name, rows in self.seeded.items()):
                    return False  # a test changed what the migrations seeded: migrate again
                conn.execute(text(f"TRUNCATE {', '.join(self.data_tables)} RESTART IDENTITY CASCADE"))
            return True
        except SQLAlchemyError:
            return False  # a test dropped or changed tables: migrate again
        finally:
            db.close()


def current_revision_of(conn) -> str | None:  # type: ignore[no-untyped-def]
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@pytest.fixture(scope="session")
def postgres_state() -> _PostgresState:
    if not PG_URL:
        pytest.fail("CLOSEDWON_REQUIRE_PG is set but CLOSEDWON_TEST_PG_URL is not")
    return _PostgresState(PG_URL)


def _backends() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    if PG_URL or REQUIRE_PG:
        # One database for the PostgreSQL half: its tests run in one worker, one after another.
        marks = [pytest.mark.postgres, pytest.mark.xdist_group("postgresql")]
        params.append(pytest.param("postgresql", id="postgresql", marks=marks))
    else:
        params.append(
            pytest.param(
                "postgresql",
                id="postgresql",
                marks=[
                    pytest.mark.postgres,
                    pytest.mark.skip(reason="set CLOSEDWON_TEST_PG_URL to run against PostgreSQL"),
                ],
            )  # fmt: skip
        )
    return params


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A URL to a fresh database migrated to the newest schema, on each backend."""
    if request.param == "sqlite":
        return migrated_sqlite(sqlite_template, tmp_path / "closedwon.db")
    return request.getfixturevalue("postgres_state").fresh()


@pytest.fixture(params=_backends())
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database (no tables at all), on each backend: for the migration tests."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.db")
        return
    state = request.getfixturevalue("postgres_state")
    _drop_everything(state.url)
    yield state.url
    state.seeded = None  # the next test migrates again


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.open(db_url)
    yield database
    database.close()


@pytest.fixture
def service(db: Database, clock: FrozenClock) -> PipelineService:
    """The service on each backend, with a frozen clock."""
    return PipelineService(db, clock=clock, actor="dana")


@pytest.fixture
def sqlite_service(tmp_path: Path, sqlite_template: Path, clock: FrozenClock) -> Iterator[PipelineService]:
    """The service on a SQLite file only: for app tests, where one backend is enough."""
    database = open_migrated(sqlite_template, tmp_path / "app.db")
    yield PipelineService(database, clock=clock, actor="dana")
    database.close()


# the demo pipeline, for snapshots ------------------------------------------------


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """The demo pipeline seeded once per session (at FROZEN_NOW); each test gets a copy."""
    from closedwon_tui.services.demo import frozen_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_migrated(sqlite_template, path)
    # seeded in the tests' zone: a session fixture runs before the per-test pin of the zone,
    # and the demo's follow-up dates are local dates
    with pytest.MonkeyPatch.context() as monkeypatch:
        set_local_zone(monkeypatch, TEST_TZ)
        frozen_demo(db, FROZEN_NOW)
    time.tzset()
    db.close()
    return path


@pytest.fixture
def demo(tmp_path: Path, demo_template: Path) -> Iterator[PipelineService]:
    """The demo pipeline at FROZEN_NOW: what the snapshots and the screenshots show."""
    db = open_migrated(demo_template, tmp_path / "demo.db")
    yield PipelineService(db, clock=lambda: FROZEN_NOW, actor="Dana")  # as frozen_demo makes it
    db.close()


def still_app(service: PipelineService, *, celebrate: bool = False):  # type: ignore[no-untyped-def]
    """The app as a snapshot sees it: no animation, so every run draws the same frame."""
    from closedwon_tui.app.app import ClosedwonApp

    app = ClosedwonApp(service, celebrate=celebrate)
    app.animation_level = "none"
    return app


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder that another user (nobody) can reach: pytest's own temporary tree is private to
    root (and any pytest run on the machine sets it back to 0700), so it cannot be opened up."""
    folder = Path(tempfile.mkdtemp(prefix="closedwon-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)
