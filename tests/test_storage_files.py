"""The database file on disk: private to its owner, opened by ten processes at once, never
touched when it is from a newer closedwon, busy said as busy, and readable in a read-only folder."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from closedwon_tui.domain.errors import StorageError
from closedwon_tui.paths import database_url
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.dbstate import dump_tables


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_database_and_its_wal_and_shm_are_private_whatever_the_umask(tmp_path, clock, umask_022):
    path = tmp_path / "deals.db"
    db = Database.open(f"sqlite:///{path}")
    try:
        PipelineService(db, clock=clock).create_deal("Customer data")
        with db.engine.connect() as conn:  # a reader keeps the -wal and -shm files open
            conn.exec_driver_sql("SELECT count(*) FROM deals").scalar()
            files = {p.name: mode(p) for p in tmp_path.iterdir()}
    finally:
        db.close()
    assert files == {"deals.db": 0o600, "deals.db-wal": 0o600, "deals.db-shm": 0o600}


def test_the_data_folder_is_created_private_whatever_the_umask(tmp_path, monkeypatch, clock, umask_022):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = database_url()
    folder = tmp_path / "data" / "closedwon"
    assert mode(folder) == 0o700
    db = Database.open(url)
    PipelineService(db, clock=clock).create_deal("Customer data")
    db.close()
    assert mode(folder / "closedwon.db") == 0o600


def test_an_existing_files_mode_is_left_as_the_user_set_it(tmp_path):
    path = tmp_path / "shared.db"
    Database.open(f"sqlite:///{path}").close()
    path.chmod(0o640)
    Database.open(f"sqlite:///{path}").close()
    assert mode(path) == 0o640


def test_a_data_folder_that_cannot_be_made_is_one_line(capsys, tmp_path, monkeypatch):
    from tests.test_cli_errors import assert_refused

    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert_refused(capsys, ["deal", "list"], "cannot create the data folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    (tmp_path / "closedwon").write_text("")
    assert_refused(capsys, ["deal", "list"], "a file has that name")


# Ten processes opening a new file at once ------------------------------------------------------
def _open_and_write(url: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    try:
        barrier.wait(timeout=30)
        db = Database.open(url)
        PipelineService(db, actor="rep").create_deal(f"From {os.getpid()}")
        db.close()
        results.put("ok")
    except BaseException as exc:  # noqa: BLE001 - the parent reports whatever happened
        results.put(f"{type(exc).__name__}: {exc}")


def test_ten_processes_starting_at_once_on_a_new_database_all_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    for round_ in range(4):  # the old plain BEGIN failed about 7 rounds in 10
        path = tmp_path / f"new-{round_}.db"
        url = f"sqlite:///{path}"
        barrier, results = context.Barrier(10), context.Queue()
        workers = [context.Process(target=_open_and_write, args=(url, barrier, results)) for _ in range(10)]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
        assert outcomes == ["ok"] * 10, (round_, outcomes)
        db = Database.open(url)
        assert len(PipelineService(db).deals()) == 10
        assert [s.name for s in PipelineService(db).stages()][0] == "Outreach"  # one pipeline, not ten
        assert len(PipelineService(db).stages()) == 7
        db.close()


# A file from a newer closedwon ---------------------------------------------------------------------
def test_a_database_from_a_newer_closedwon_is_not_modified_at_all(tmp_path, clock):
    path = tmp_path / "future.db"
    db = Database.open(f"sqlite:///{path}")
    PipelineService(db, clock=clock).create_deal("Helios")
    db.close()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode=DELETE")  # as a newer closedwon (or another tool) may leave it
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer closedwon"):
        Database.open(f"sqlite:///{path}")
    assert path.read_bytes() == before  # not even switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.db"]


# Busy is busy ------------------------------------------------------------------------------------
def test_a_write_waiting_past_the_busy_timeout_says_busy_not_cannot_open(tmp_path, clock, monkeypatch):
    from closedwon_tui.storage import engine as engine_module

    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "x.db"
    db = Database.open(f"sqlite:///{path}")
    service = PipelineService(db, clock=clock)
    deal = service.create_deal("Before").deal
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        for write in (lambda: service.create_deal("Blocked"), lambda: service.add_note(deal.id, "x"),
                      lambda: service.move_deal(deal.id, "Proposal")):  # fmt: skip
            with pytest.raises(StorageError) as info:
                write()
            assert str(info.value).startswith("the database is busy"), info.value
            assert "cannot open" not in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
        db.close()


# The README's read-only recipe ---------------------------------------------------------------------
READ_ONLY = "sqlite:///file:{path}?mode=ro&immutable=1&uri=true"


def _run_as(user_is_nobody: bool, args: list[str], home: Path) -> subprocess.CompletedProcess:
    code = f"import sys; from closedwon_tui.cli.main import main; sys.exit(main({args!r}))"
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if user_is_nobody else []
    env = {**os.environ, "HOME": str(home), "CLOSEDWON_CONFIG": str(home / "none.toml")}
    return subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


def test_the_read_only_recipe_works_in_a_read_only_folder(shared_tmp, clock):
    """chmod 555 stops everyone but root. As root (CI), the test runs closedwon as nobody when
    setpriv is there; either way it checks what root could not be stopped from doing: no -wal or
    -shm file appears and the database's bytes do not change."""
    tmp_path = shared_tmp
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "pipeline.db"
    db = Database.open(f"sqlite:///{path}")
    PipelineService(db, clock=clock).create_deal("Helios")
    db.close()
    path.chmod(0o444)
    folder.chmod(0o555)
    as_nobody = os.geteuid() == 0 and shutil.which("setpriv") is not None
    before = path.read_bytes()
    try:
        url = READ_ONLY.format(path=path)
        listed = _run_as(as_nobody, ["--db", url, "deal", "list"], tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert "Helios" in listed.stdout and listed.stderr == ""
        shown = _run_as(as_nobody, ["--db", url, "report", "--json"], tmp_path)
        assert shown.returncode == 0, shown.stderr
        added = _run_as(as_nobody, ["--db", url, "deal", "add", "Another"], tmp_path)
        assert added.returncode == 2 and added.stderr.strip() == "closedwon: the database is read-only"
        assert sorted(p.name for p in folder.iterdir()) == ["pipeline.db"]
        assert path.read_bytes() == before
    finally:
        folder.chmod(0o755)


def test_read_only_without_immutable_in_a_read_only_folder_says_what_to_add(shared_tmp, clock):
    tmp_path = shared_tmp
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("root is never stopped by a read-only folder, and setpriv is not there to run as another user")
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "pipeline.db"
    Database.open(f"sqlite:///{path}").close()
    folder.chmod(0o555)
    as_nobody = os.geteuid() == 0
    try:
        result = _run_as(as_nobody, ["--db", f"sqlite:///file:{path}?mode=ro&uri=true", "deal", "list"], tmp_path)
        assert result.returncode == 2 and result.stderr.count("\n") == 1
        assert "immutable=1" in result.stderr
    finally:
        folder.chmod(0o755)


def test_the_folder_is_not_written_even_by_root(tmp_path, clock):
    """What root's own run shows: the recipe opens the file without a lock file, WAL or SHM."""
    path = tmp_path / "pipeline.db"
    db = Database.open(f"sqlite:///{path}")
    PipelineService(db, clock=clock).create_deal("Helios")
    db.close()
    before = (path.read_bytes(), dump_tables(Database.open(READ_ONLY.format(path=path), migrate=True).engine))
    ro = Database.open(READ_ONLY.format(path=path))
    assert [d.title for d in PipelineService(ro, clock=clock).deals()] == ["Helios"]
    with pytest.raises(StorageError, match="read-only"):
        PipelineService(ro, clock=clock).create_deal("Another")
    ro.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipeline.db"]
    assert path.read_bytes() == before[0]
