"""SQLite set up for a desktop app, and databases that cannot be used said clearly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from closedwon_tui.domain.errors import StorageError
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine
from tests.dbstate import dump_tables


def test_sqlite_files_get_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS >= 1000
    finally:
        db.close()


def test_every_pooled_connection_gets_the_pragmas(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        conns = [db.engine.connect() for _ in range(3)]
        assert [c.exec_driver_sql("PRAGMA foreign_keys").scalar() for c in conns] == [1, 1, 1]
        for c in conns:
            c.close()
    finally:
        db.close()


def test_foreign_keys_are_enforced(service):
    before = dump_tables(service.db.engine)
    with pytest.raises(StorageError, match="refused"), service.db.write() as repo:
        repo.insert_note(deal_id=4242, text="orphan", created_at=service.now())
    assert dump_tables(service.db.engine) == before


def test_in_memory_sqlite_works_for_a_whole_session(clock):
    db = Database.open("sqlite://")
    service = PipelineService(db, clock=clock)
    deal = service.create_deal("Kept between transactions").deal
    assert service.deal(deal.id).title == "Kept between transactions"
    db.close()


def test_a_missing_folder_is_a_clear_error_and_creates_nothing(tmp_path):
    target = tmp_path / "nope" / "x.db"
    with pytest.raises(StorageError, match="folder .*nope.* does not exist"):
        Database.open(f"sqlite:///{target}")
    assert not (tmp_path / "nope").exists()


def test_a_file_that_is_not_a_database_is_a_clear_error_and_is_left_alone(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n" * 200)
    content = path.read_bytes()
    with pytest.raises(StorageError, match="not a database"):
        Database.open(f"sqlite:///{path}")
    assert path.read_bytes() == content


def test_a_url_that_is_not_a_url(tmp_path):
    with pytest.raises(StorageError, match="not a database URL"):
        make_engine("::nonsense::")
    with pytest.raises(StorageError, match="cannot use database"):
        make_engine("nosuchdialect://x/y")


def test_a_read_only_database_reads_and_refuses_writes_clearly(tmp_path, clock):
    path = tmp_path / "x.db"
    writable = Database.open(f"sqlite:///{path}")
    PipelineService(writable, clock=clock).create_deal("Helios")
    writable.close()
    content = path.read_bytes()
    db = Database.open(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        service = PipelineService(db, clock=clock)
        assert [d.title for d in service.deals()] == ["Helios"]
        with pytest.raises(StorageError, match="read-only"):
            service.create_deal("Another")
        with pytest.raises(StorageError, match="read-only"):
            service.move_deal(1, "Proposal")
    finally:
        db.close()
    assert path.read_bytes() == content


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv")
def test_a_file_the_user_cannot_write_is_read_only(shared_tmp, clock):
    """chmod 444 means nothing to root, so this runs closedwon as nobody."""
    tmp_path = shared_tmp
    path = tmp_path / "x.db"
    writable = Database.open(f"sqlite:///{path}")
    PipelineService(writable, clock=clock).create_deal("Helios")
    writable.close()
    path.chmod(0o444)
    content = path.read_bytes()
    code = (
        "import sys; from closedwon_tui.cli.main import main; "
        f"sys.exit(main(['--db', {str(path)!r}, 'deal', 'add', 'Another']))"
    )
    result = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", code],
        capture_output=True, text=True, env={**os.environ, "HOME": str(tmp_path), "CLOSEDWON_CONFIG": str(tmp_path / "none.toml")}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "read-only" in result.stderr or "cannot open" in result.stderr
    assert path.read_bytes() == content


def test_a_plain_postgresql_url_uses_the_installed_psycopg_driver():
    pytest.importorskip("psycopg")
    from importlib.util import find_spec

    engine = make_engine("postgresql://someone@127.0.0.1:1/nothing")
    expected = "psycopg2" if find_spec("psycopg2") else "psycopg"
    assert engine.dialect.driver == expected
    engine.dispose()


def test_postgresql_that_cannot_be_reached_is_one_clear_error():
    pytest.importorskip("psycopg")
    with pytest.raises(StorageError, match="cannot open database") as info:
        Database.open("postgresql+psycopg://nobody:x@127.0.0.1:1/none?connect_timeout=2")
    assert "\n" not in str(info.value)


def test_a_database_locked_by_another_program_is_a_clear_busy_error(tmp_path, clock, monkeypatch):
    import sqlite3

    from closedwon_tui.storage import engine as engine_module

    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 200)  # wait less than the real 5 s
    path = tmp_path / "x.db"
    db = Database.open(f"sqlite:///{path}")
    service = PipelineService(db, clock=clock)
    service.create_deal("Before")
    before = dump_tables(db.engine)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        with pytest.raises(StorageError, match="busy"):
            service.create_deal("Blocked")
        assert [d.title for d in service.deals()] == ["Before"]  # reading still works in WAL mode
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dump_tables(db.engine) == before
    service.create_deal("After")  # and once it is free, writes go through
    db.close()
