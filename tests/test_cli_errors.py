"""Every bad input: one clear line on stderr, exit status 2, no traceback, and the database as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from closedwon_tui.cli.main import main
from tests.dbstate import dump_tables


def database_state(path: Path) -> tuple[bytes, dict]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        rows = dump_tables(engine)
    finally:
        engine.dispose()
    return path.read_bytes(), rows


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database with a deal in Proposal (with activity) and one fresh deal in Outreach."""
    path = tmp_path_factory.mktemp("cli") / "seeded.db"
    mp = pytest.MonkeyPatch()
    mp.setenv("CLOSEDWON_CONFIG", str(path.parent / "none.toml"))
    try:
        for args in (
            ["deal", "add", "Helios", "--stage", "Proposal", "--amount", "48k"],
            ["deal", "add", "Fresh"],
            ["objection", "add", "1", "Too dear", "--kind", "price"],
            ["followup", "add", "1", "--due", "2026-12-01", "Call"],
            ["note", "add", "1", "Good call"],
        ):
            assert main(["--db", str(path), *args]) == 0
    finally:
        mp.undo()
    return path


def assert_refused(capsys, argv: list[str], match: str = "") -> str:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own refusals exit rather than return
        code = exit_.code
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert out == ""
    assert err.startswith("closedwon: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err and "Error:" not in err and "sqlalchemy" not in err.lower()
    assert match.lower() in err.lower(), err
    return err


BAD_INPUT = [
    (["deal", "add", ""], "needs a title"),
    (["deal", "add", "   "], "needs a title"),
    (["deal", "add", "X", "--amount", "-5"], "negative"),
    (["deal", "add", "X", "--amount", "abc"], "not an amount"),
    (["deal", "add", "X", "--amount", "12,00"], "not an amount"),
    (["deal", "add", "X", "--amount", "1.5.m"], "not an amount"),
    (["deal", "add", "X", "--amount", "12.345"], "more decimals than USD has (at most 2 decimals)"),
    (["deal", "add", "X", "--amount", "0.4", "--currency", "JPY"], "more decimals than JPY has (whole amounts only)"),
    (["deal", "add", "X", "--amount", "0.0005", "--currency", "KWD"], "more decimals than KWD has (at most 3"),
    (["deal", "add", "X", "--amount", "999999999999999.995"], "more decimals than USD"),
    (["deal", "edit", "1", "--amount", "12.345"], "more decimals than USD"),
    (["deal", "edit", "1", "--currency", "JPY", "--amount", "10.5"], "JPY"),
    (["deal", "add", "X", "--amount", "١٢٣"], "only the digits 0-9"),
    (["deal", "add", "X", "--probability", "٥٠"], "only the digits 0-9"),
    (["deal", "add", "X", "--close-date", "+٣d"], "only the digits 0-9"),
    (["followup", "add", "1", "--due", "2026-12-01 １٤:30", "x"], "only the digits 0-9"),
    (["deal", "move", "1", "١"], "unknown stage"),
    (["deal", "lost", "1", "--reason", "price", "--note", "n" * 100_000], "at most 5,000 characters"),
    (["deal", "move", "1", "closed", "lost", "--reason", "price", "--note", "n" * 5001], "at most 5,000"),
    (["note", "add", "1", "n" * 5001], "at most 5,000"),
    (["deal", "add", "X", "--close-date", "2026-13-45"], "not a date"),
    (["deal", "add", "X", "--close-date", "someday"], "not a date"),
    (["deal", "add", "X", "--close-date", "+99999999d"], "too far ahead"),
    (["followup", "add", "1", "--due", "in 9999999 weeks"], "too far ahead"),
    (["deal", "add", "X", "--stage", "Nowhere"], "unknown stage"),
    (["deal", "add", "X", "--stage", "closed lost"], "lost reason"),
    (["deal", "add", "X", "--currency", "dollars"], "currency"),
    (["deal", "add", "X", "--probability", "150"], "probability"),
    (["deal", "add", "X", "--email", "not-an-email"], "email"),
    (["deal", "move", "99", "Proposal"], "no deal with id 99"),
    (["deal", "move", "1", "Nowhere"], "unknown stage"),
    (["deal", "move", "1", "proposal"], "already in Proposal"),
    (["deal", "move", "1", "closed", "lost"], "reason"),
    (["deal", "move", "abc", "Proposal"], "deal id must be a whole number, not 'abc'"),
    (["deal", "move", "1", "Negotiation", "--position", "0"], "position must be from 1"),
    (["deal", "move", "1", "Negotiation", "--position", "99999999999999999999999"], "position must be from 1"),
    (["deal", "move", "1", "Negotiation", "--position", "١"], "only the digits 0-9"),
    (["deal", "show", "999999999999999999999"], "deal id must be from 1 to 9223372036854775807"),
    (["deal", "show", "٣"], "only the digits 0-9"),
    (["deal", "show", "\x1b[2J"], "deal id must be a whole number, not '\\x1b[2J'"),
    (["deal", "won", "99"], "no deal with id 99"),
    (["deal", "lost", "1"], "--reason"),
    (["deal", "lost", "1", "--reason", "  "], "reason"),
    (["deal", "lost", "99", "--reason", "price"], "no deal with id 99"),
    (["deal", "lost", "1", "--reason", "r" * 121], "lost reason"),
    (["deal", "add", "X", "--owner", "o" * 121], "at most 120"),
    (["deal", "edit", "1", "--company", "c" * 201], "at most 200"),
    (["deal", "reopen", "1"], "not closed"),
    (["deal", "reopen", "99"], "no deal with id 99"),
    (["deal", "edit", "1"], "say what to change"),
    (["deal", "edit", "1", "--amount", "-1"], "negative"),
    (["deal", "edit", "1", "--amount", "lots"], "not an amount"),
    (["deal", "edit", "1", "--title", ""], "title"),
    (["deal", "edit", "1", "--close-date", "31/12/2026"], "not a date"),
    (["deal", "edit", "1", "--budget-ok", "maybe"], "yes or no"),
    (["deal", "edit", "99", "--title", "x"], "no deal with id 99"),
    (["deal", "edit", "1", "--colour", "red"], "unrecognized arguments"),
    (["deal", "show", "99"], "no deal with id 99"),
    (["deal", "show", "abc"], "deal id must be a whole number"),
    (["deal", "list", "--stage", "Nowhere"], "unknown stage"),
    (["deal", "undo", "2"], "no change to undo"),
    (["deal", "undo", "99"], "no deal with id 99"),
    (["objection", "add", "1", "x", "--kind", "weather"], "unknown objection kind"),
    (["objection", "add", "1", "x"], "--kind"),
    (["objection", "add", "99", "x", "--kind", "price"], "no deal with id 99"),
    (["objection", "add", "1", "   ", "--kind", "price"], "empty"),
    (["objection", "address", "99"], "no objection with id 99"),
    (["objection", "answer", "1", " "], "empty"),
    (["followup", "add", "1", "--due", "someday", "x"], "not a date"),
    (["followup", "add", "1", "--due", "2026-12-01 25:00", "x"], "not a time"),
    (["followup", "add", "1", "--due", "2026-12-01T25:00", "x"], "not a date and time"),
    (["followup", "add", "1", "--due", "2026-02-30T10:00", "x"], "not a date and time"),
    (["followup", "add", "99", "--due", "tomorrow", "x"], "no deal with id 99"),
    (["followup", "add", "1", "x"], "--due"),
    (["followup", "done", "99"], "no follow-up with id 99"),
    (["note", "add", "1", "  "], "empty"),
    (["note", "add", "99", "x"], "no deal with id 99"),
    (["nonsense"], "invalid choice"),
    (["deal"], "required"),
    (["deal", "frobnicate"], "invalid choice"),
]


@pytest.mark.parametrize(("args", "match"), BAD_INPUT, ids=lambda v: " ".join(v)[:60] if isinstance(v, list) else None)
def test_bad_input_is_one_clear_line_and_changes_nothing(capsys, seeded, args, match):
    before = database_state(seeded)
    assert_refused(capsys, ["--db", str(seeded), *args], match)
    assert database_state(seeded) == before


def test_a_file_that_is_not_a_database(capsys, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("call Ana on Friday\n" * 100)
    content = path.read_bytes()
    for args in (["deal", "list"], ["deal", "add", "X"], ["db", "upgrade"], ["stages"]):
        assert_refused(capsys, ["--db", str(path), *args], "not a database")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_read_only_database_can_be_read_but_not_written(capsys, seeded, tmp_path):
    path = tmp_path / "ro.db"
    path.write_bytes(seeded.read_bytes())
    before = database_state(path)
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    assert main(["--db", url, "deal", "show", "1", "--json"]) == 0
    assert '"title": "Helios"' in capsys.readouterr().out
    for args in (
        ["deal", "add", "X"],
        ["deal", "move", "1", "Negotiation"],
        ["deal", "edit", "1", "--amount", "1k"],
        ["deal", "won", "1"],
        ["note", "add", "1", "x"],
        ["followup", "done", "1"],
        ["deal", "undo", "1"],
    ):
        assert_refused(capsys, ["--db", url, *args], "read-only")
    assert database_state(path) == before


def test_a_missing_folder_is_not_created(capsys, tmp_path):
    for args in (["deal", "list"], ["deal", "add", "X"]):
        assert_refused(capsys, ["--db", str(tmp_path / "nope" / "x.db"), *args], "does not exist")
    assert not (tmp_path / "nope").exists()


def test_a_folder_given_as_the_database(capsys, tmp_path):
    assert_refused(capsys, ["--db", str(tmp_path), "deal", "list"], "cannot open")


def test_a_database_from_a_newer_closedwon(capsys, seeded, tmp_path):
    path = tmp_path / "future.db"
    path.write_bytes(seeded.read_bytes())
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = database_state(path)
    for args in (["deal", "list"], ["db", "upgrade"]):
        assert_refused(capsys, ["--db", str(path), *args], "newer closedwon")
    assert database_state(path) == before


def test_bad_database_urls(capsys, monkeypatch):
    assert_refused(capsys, ["--db", "nosuchdialect://host/db", "deal", "list"], "unknown kind of database")
    assert_refused(capsys, ["--db", "mysql+nosuchdriver://host/db", "deal", "list"], "cannot use database")
    monkeypatch.setenv("CLOSEDWON_DB", "nosuchdialect://host/db")
    assert_refused(capsys, ["deal", "list"], "cannot use database")


def test_a_broken_settings_file_is_one_clear_line(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("currency = [unclosed\n")
    monkeypatch.setenv("CLOSEDWON_CONFIG", str(config))
    assert_refused(capsys, ["--db", str(tmp_path / "x.db"), "deal", "list"], "settings file")
