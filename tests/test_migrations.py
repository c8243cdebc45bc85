"""Alembic owns the schema: from an empty database to the newest, and a clear stop when it is newer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import inspect, text

from closedwon_tui.domain.errors import StorageError
from closedwon_tui.domain.models import DEFAULT_STAGES, StageKind
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.migrate import current_revision, head_revision, upgrade
from closedwon_tui.storage.tables import metadata

TABLES = {"stages", "deals", "objections", "followups", "notes", "deal_events", "alembic_version"}


def test_upgrade_from_an_empty_database_creates_the_schema_and_the_default_pipeline(empty_db_url, clock):
    db = Database.open(empty_db_url)
    try:
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        assert current_revision(db.engine) == head_revision() is not None
        stages = PipelineService(db, clock=clock).stages()
        assert [(s.name, s.probability, s.kind) for s in stages] == [
            ("Outreach", 10, StageKind.OPEN),
            ("Qualification", 20, StageKind.OPEN),
            ("Analysis", 40, StageKind.OPEN),
            ("Proposal", 60, StageKind.OPEN),
            ("Negotiation", 80, StageKind.OPEN),
            ("Closed Won", 100, StageKind.WON),
            ("Closed Lost", 0, StageKind.LOST),
        ]
        assert [s.position for s in stages] == list(range(7))
        assert [(s.name, s.probability, s.kind, s.rotting_days) for s in stages] == list(DEFAULT_STAGES)
    finally:
        db.close()


def test_the_migration_matches_the_tables_the_code_uses(empty_db_url):
    """Alembic's schema and the SQLAlchemy models agree (no autogenerate diff)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database.open(empty_db_url)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
    finally:
        db.close()


def test_upgrading_twice_changes_nothing(empty_db_url):
    db = Database.open(empty_db_url)
    try:
        assert upgrade(db.engine) is False
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM stages")).scalar() == 7
    finally:
        db.close()
    Database.open(empty_db_url).close()  # opening again does not add stages either
    db = Database.open(empty_db_url)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM stages")).scalar() == 7
    db.close()


def test_a_database_from_a_newer_closedwon_is_refused_clearly(empty_db_url):
    db = Database.open(empty_db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    db.close()
    with pytest.raises(StorageError, match="newer closedwon.*9999_from_the_future.*upgrade closedwon"):
        Database.open(empty_db_url)
    db = Database.open(empty_db_url, migrate=False)  # and it was left as it was
    assert current_revision(db.engine) == "9999_from_the_future"
    db.close()


def test_migrate_false_leaves_an_empty_database_empty(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}", migrate=False)
    assert inspect(db.engine).get_table_names() == []
    db.close()


def test_importing_closedwon_creates_no_files(tmp_path):
    """Nothing happens at import time: no data folder, no database, no config."""
    home = tmp_path / "home"
    home.mkdir()
    code = textwrap.dedent(
        """
        import importlib, pkgutil, closedwon_tui
        skip = ("closedwon_tui.__main__", "closedwon_tui.storage.migrations")
        for info in pkgutil.walk_packages(closedwon_tui.__path__, "closedwon_tui."):
            if not info.name.startswith(skip):
                importlib.import_module(info.name)
        import closedwon_tui.storage.migrations.versions  # noqa: the migrations folder's modules
        """
    )
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    env.pop("CLOSEDWON_DB", None)
    env.pop("CLOSEDWON_CONFIG", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == []
