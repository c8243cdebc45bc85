"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when a server is given),
a frozen clock, and the service every layer above storage uses."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.tables import metadata

PG_URL = os.environ.get("CLOSEDWON_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("CLOSEDWON_REQUIRE_PG") == "1"

#: Wednesday 2026-11-25 15:00 UTC, the "now" of every test with a frozen clock.
FROZEN_NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)


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


def _reset_postgres(url: str) -> None:
    db = Database.open(url, migrate=False)
    with db.engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.close()


def _backends() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    if PG_URL or REQUIRE_PG:
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    else:
        params.append(
            pytest.param("postgresql", id="postgresql", marks=[pytest.mark.postgres, pytest.mark.skip(
                reason="set CLOSEDWON_TEST_PG_URL to run against PostgreSQL")])  # fmt: skip
        )
    return params


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A URL to an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'closedwon.db'}"
    if not PG_URL:
        pytest.fail("CLOSEDWON_REQUIRE_PG is set but CLOSEDWON_TEST_PG_URL is not")
    _reset_postgres(PG_URL)
    return PG_URL


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
def sqlite_service(tmp_path, clock: FrozenClock) -> Iterator[PipelineService]:  # type: ignore[no-untyped-def]
    """The service on a SQLite file only: for app tests, where one backend is enough."""
    database = Database.open(f"sqlite:///{tmp_path / 'app.db'}")
    yield PipelineService(database, clock=clock, actor="dana")
    database.close()
