"""The global options: --demo never touches the rep's own database and leaves nothing behind,
every option works after the subcommand too, and a bad database URL never shows its password."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.paths import default_db_path
from tests.test_cli_errors import assert_refused, database_state, seeded  # noqa: F401 (a fixture)
from tests.test_cli_trust import COMMANDS, argv_for


@pytest.fixture(autouse=True)
def _files_land_in_tmp(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The sweeps run every command with "x" for each text: `backup x` and `export x` write their
    file here, not into the folder the tests run from."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def temp_folder(tmp_path, monkeypatch) -> Path:
    """Where --demo makes its throwaway folder, so the test can see it go."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def quick_demo(monkeypatch):
    """A one-deal demo: which database a command runs on does not depend on the demo's size
    (the tests below seed the real demo)."""
    from closedwon_tui.cli import context
    from closedwon_tui.services import PipelineService

    def seed(db) -> int:  # type: ignore[no-untyped-def]
        PipelineService(db, actor="demo").create_deal("Demo deal", stage="Proposal")
        return 1

    monkeypatch.setattr(context, "seed_demo", seed)


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=" ".join)
@pytest.mark.parametrize("where", ["before", "after"])
def test_demo_runs_every_subcommand_on_a_throwaway_database(capsys, temp_folder, quick_demo, words, where):
    argv = argv_for(words, dict(COMMANDS)[words], number="1", text_value="x")
    argv = ["--demo", *argv] if where == "before" else [*argv, "--demo"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 2) and "Traceback" not in err, err
    assert not default_db_path().exists() and not default_db_path().parent.exists()  # the rep's own: untouched
    assert list(temp_folder.iterdir()) == []  # the demo's folder is gone


def test_demo_deal_add_writes_to_the_demo_and_not_to_the_reps_database(capsys, temp_folder):
    assert main(["--demo", "deal", "add", "X"]) == 0
    assert int(capsys.readouterr().out) > 20  # after the demo's deals
    assert main(["deal", "list", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"  # the rep's own database has no deal X


def test_demo_with_a_database_named_is_refused(capsys, tmp_path, temp_folder):
    assert_refused(capsys, ["--demo", "--db", str(tmp_path / "mine.db"), "deal", "list"], "leave out --db")
    assert not (tmp_path / "mine.db").exists()


def test_the_demo_board_opens_on_the_demo_and_its_folder_is_removed_on_exit(temp_folder, monkeypatch):
    from closedwon_tui.app.app import ClosedwonApp

    seen = []

    def run(app: ClosedwonApp) -> None:
        seen.append((app.service.db.engine.url.database, len(app.service.deals())))
        assert Path(app.service.db.engine.url.database).parent.parent == temp_folder

    monkeypatch.setattr(ClosedwonApp, "run", run)
    assert main(["--demo"]) == 0
    assert seen and seen[0][1] > 20
    assert list(temp_folder.iterdir()) == []
    assert not default_db_path().exists()


def test_the_demo_folder_is_removed_when_the_board_fails_too(temp_folder, monkeypatch):
    from closedwon_tui.app.app import ClosedwonApp

    def crash(app: ClosedwonApp) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ClosedwonApp, "run", crash)
    assert main(["--demo"]) == 130
    assert list(temp_folder.iterdir()) == []


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=" ".join)
def test_global_options_work_after_the_subcommand(capsys, seeded, tmp_path, words):  # noqa: F811
    parser = dict(COMMANDS)[words]
    argv = argv_for(words, parser, number="1", text_value="x")
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    shutil.copy(seeded, first)
    shutil.copy(seeded, second)
    before = main(["--db", str(first), "--no-celebration", *argv])
    out_before, err_before = capsys.readouterr()
    after = main([*argv, "--db", str(second), "--no-celebration"])
    out_after, err_after = capsys.readouterr()
    assert "unrecognized" not in err_after

    def same(out: str, db: Path) -> str:  # the calendar stamps each export with its second
        return re.sub(r"DTSTAMP:\d{8}T\d{6}Z", "DTSTAMP:(now)", out.replace(str(db), "DB"))

    assert (after, same(out_after, second), err_after) == (before, same(out_before, first), err_before)


def test_the_readmes_demo_command_works(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--db", "demo.db"]) == 0
    assert "demo deals" in capsys.readouterr().out
    assert (tmp_path / "demo.db").exists()


def test_an_option_after_the_subcommand_wins(capsys, tmp_path):
    assert main(["--db", str(tmp_path / "a.db"), "deal", "add", "X", "--db", str(tmp_path / "b.db")]) == 0
    assert (tmp_path / "b.db").exists() and not (tmp_path / "a.db").exists()


# The password of a bad database URL never shows --------------------------------------------------
SECRET = "S3cret-pw"
BAD_URLS = [
    (f"postgres ql://u:{SECRET}@h/db", "not a database URL"),
    (f"postgresql://u:{SECRET}@h:abc/db", "the port must be a number"),
    (f"postgresql://u:{SECRET}@h:99999999999/db", "port"),
    (f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/db?sslmode=bogus", "cannot open database"),
    (f"postgresql+psycopg://u@127.0.0.1:1/db?password={SECRET}&sslmode=bogus", "cannot open database"),
    (f"mysql://u:{SECRET}@h/db", "cannot use database"),
    (f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/db?connect_timeout=1", "cannot open database"),
    (f"nosuch://u:{SECRET}@h/db", "unknown kind of database"),
    (f"sqlite:///{SECRET}/nowhere/x.db?password={SECRET}", "does not exist"),
]


@pytest.mark.parametrize(("url", "match"), BAD_URLS)
def test_a_bad_database_url_never_shows_its_password(capsys, monkeypatch, url, match):
    pytest.importorskip("psycopg")
    err = assert_refused(capsys, ["--db", url, "deal", "list"], match)
    assert SECRET not in err.replace(f"{SECRET}/nowhere", ""), err
    monkeypatch.setenv("CLOSEDWON_DB", url)
    err = assert_refused(capsys, ["deal", "list"], "")
    assert SECRET not in err.replace(f"{SECRET}/nowhere", ""), err


def test_storage_hides_a_password_a_driver_quotes(tmp_path):
    from closedwon_tui.storage.engine import hide_passwords

    message = f'invalid connection option: "host=h password={SECRET} user=u" for postgresql://u:{SECRET}@h/db'
    assert SECRET not in hide_passwords(message)
    assert hide_passwords("postgres ql://u:p@ss@h/db") == "postgres ql://u:***@h/db"


def test_a_symbolic_link_loop_is_one_line(capsys, tmp_path):
    loop = tmp_path / "loop.db"
    os.symlink(loop, loop)
    assert_refused(capsys, ["--db", str(loop), "deal", "list"], "symbolic link that loops")
    assert_refused(capsys, ["--db", f"sqlite:///{loop}", "deal", "list"], "symbolic link that loops")
    other = tmp_path / "a.db"
    os.symlink(tmp_path / "b.db", other)
    os.symlink(other, tmp_path / "b.db")
    assert_refused(capsys, ["--db", str(other), "deal", "add", "X"], "symbolic link that loops")
