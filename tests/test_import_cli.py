"""`closedwon import` end to end: summaries, JSON, batches, undo, and every bad file refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from closedwon_tui.cli.main import main
from tests.dbstate import dump_tables
from tests.import_helpers import fixture


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "cli.db"
    assert main(["--db", str(path), "deal", "add", "Already here", "--stage", "proposal", "--amount", "5k"]) == 0
    return path


@pytest.fixture
def cw(capsys, db):
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main(["--db", str(db), *args])
        except SystemExit as exit_:  # argparse's own refusals
            code = exit_.code  # type: ignore[assignment]
        out, err = capsys.readouterr()
        return code, out, err

    return run


def rows(path: Path) -> dict:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return dump_tables(engine)
    finally:
        engine.dispose()


def test_import_prints_a_summary_with_the_batch_to_undo(cw):
    code, out, err = cw("import", fixture("pipedrive_deals.csv"))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Pipedrive export pipedrive_deals.csv (UTF-8, comma separated): 5 rows",
        "  created        4  (new deals)",
        "  updated        0",
        "  skipped        1  (1 deleted in Pipedrive)",
        "  errors         0",
        "  columns not imported: Deal - Creator, Deal - Weighted value, Deal - Label, Deal - Update time, "
        "Deal - Total activities, Deal - Pipeline",
        "imported as batch 1 (take it back with: closedwon import undo 1)",
    ]


def test_import_json_says_batch_created_updated_skipped_and_errors(cw):
    code, out, _ = cw("import", fixture("bad_rows.csv"), "--skip-errors", "--json")
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("batch", "created", "updated", "skipped")} == {
        "batch": 1, "created": 2, "updated": 0, "skipped": 0,
    }  # fmt: skip
    assert data["errors"][0] == {"row": 3, "column": "Deal - Value", "message": "not an amount: 'lots'"}
    assert len(data["errors"]) == 4
    code, out, _ = cw("import", fixture("bad_rows.csv"), "--skip-errors", "--json")
    assert {k: json.loads(out)[k] for k in ("batch", "created", "updated", "skipped")} == {
        "batch": 2, "created": 0, "updated": 0, "skipped": 2,
    }  # fmt: skip


def test_import_list_and_undo(cw):
    cw("import", fixture("zoho_deals.csv"))
    cw("import", fixture("hubspot_deals.csv"), "--source", "hubspot")
    code, out, _ = cw("import", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["BATCH", "WHEN", "FILE", "SOURCE", "CREATED", "UPDATED", "SKIPPED",
                                              "ERRORS", "STATUS"]  # fmt: skip
    assert lines[2].split()[4:] == ["Zoho", "3", "0", "0", "0", "imported"]
    assert lines[3].split()[3:5] == ["hubspot_deals.csv", "HubSpot"]
    code, out, err = cw("import", "undo", "1")
    assert (code, out, err) == (0, "import 1 undone: 3 deals removed, 0 restored\n", "")
    listed = json.loads(cw("import", "list", "--json")[1])
    assert [(b["batch"], b["source"], b["created"], b["undone_at"] is not None) for b in listed] == [
        (1, "zoho", 3, True), (2, "hubspot", 4, False),
    ]  # fmt: skip
    titles = [d["title"] for d in json.loads(cw("deal", "list", "--json")[1])]
    assert "Quasar player insights" not in titles and "Keystone claims portal" in titles


def test_a_dry_run_prints_what_would_happen_and_changes_nothing(cw, db):
    before = rows(db)
    code, out, err = cw("import", fixture("pipedrive_plain.csv"), "--dry-run")
    assert (code, err) == (0, "")
    assert "  created        2  (would be new deals)" in out and out.endswith("dry run: nothing was changed\n")
    assert rows(db) == before


def test_a_dry_run_of_a_file_that_would_be_refused_lists_everything_and_fails(cw, db):
    before = rows(db)
    code, out, err = cw("import", fixture("bad_rows.csv"), "--dry-run")
    assert code == 2
    assert "    row 6, column 'Deal - Expected close date': not a date: '2026-13-45'" in out
    assert err.startswith("closedwon: 4 rows have problems") and err.count("\n") == 1
    assert rows(db) == before


def test_a_file_from_this_database_round_trips_through_a_spreadsheet_edit(tmp_path, cw):
    path = tmp_path / "own.csv"
    path.write_text(
        "id,title,amount,currency,stage,database_id\n1,Already here,6000,USD,Negotiation,\n", encoding="utf-8"
    )
    code, out, _ = cw("import", str(path))
    assert code == 0 and "updated        1" in out
    deal = json.loads(cw("deal", "show", "1", "--json")[1])
    assert (deal["amount"], deal["stage"]) == ("6000.00", "Negotiation")


BAD_FILES = [
    ("missing", None, "no such file"),
    ("folder", None, "is a folder"),
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"\r\n\r\n", "the file is empty"),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("book.xlsx", b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
    ("notes.csv", b'{"deals": [\n{"title": "a"},\n{"title": "b", "x": 1}]}\n', "not a CSV"),
    ("no_title.csv", b"Amount,Stage\n100,Qualified\n", "no title column"),
    ("broken.csv", b'Title,Amount\n"Never closed,100\n', "never closed"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_every_bad_file_gets_one_line_exit_2_and_the_database_unchanged(tmp_path, cw, db, name, data, message):
    path = tmp_path / name
    if name == "folder":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    before = rows(db)
    code, out, err = cw("import", str(path))
    assert (code, out) == (2, "")
    assert err.startswith("closedwon: ") and err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err
    assert rows(db) == before


BAD_OPTIONS = [
    (["--source", "excel"], "unknown --source 'excel'"),
    (["--map-stage", "Blue Sky"], "malformed --map-stage"),
    (["--map-stage", "Blue Sky=Nowhere"], "no stage 'Nowhere'"),
    ([], "map to no closedwon stage: 'Blue Sky Stage' (rows 2, 3); 'Handshake' (row 4)"),
    (["--map-stage", "Blue Sky Stage=outreach"], "'Handshake' (row 4)"),
]


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_bad_options_and_unknown_stages_get_one_line_and_change_nothing(cw, db, options, message):
    before = rows(db)
    code, out, err = cw("import", fixture("unknown_stages.csv"), *options)
    assert (code, out) == (2, "")
    assert err.startswith("closedwon: ") and err.count("\n") == 1 and message in err, err
    assert rows(db) == before


def test_a_file_with_bad_rows_imports_nothing_and_says_which(cw, db):
    before = rows(db)
    code, out, err = cw("import", fixture("bad_rows.csv"))
    assert (code, out) == (2, "")
    assert err == (
        "closedwon: 4 rows have problems, so nothing was imported: row 3, column 'Deal - Value': not an amount: "
        "'lots'; row 4, column 'Deal - Value': amount 10.555 has more decimals than USD has (at most 2 decimals); nothing is rounded, type it exactly; row 5, "
        "column 'Deal - Title': a deal needs a title and 1 more (--dry-run lists them all; --skip-errors imports "
        "the other rows)\n"
    )
    assert rows(db) == before


def test_with_json_a_refused_import_still_prints_its_errors(cw):
    code, out, err = cw("import", fixture("bad_rows.csv"), "--json")
    data = json.loads(out)
    assert code == 2 and data["batch"] is None and len(data["errors"]) == 4
    assert err.startswith("closedwon: 4 rows have problems")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "undo"], "say which import to undo"),
        (["import", "undo", "abc"], "not a batch number: 'abc'"),
        (["import", "undo", "7"], "no import with batch number 7"),
        (["import", "a.csv", "b.csv"], "one file per import"),
    ],
)
def test_bad_undo_requests_get_one_line(cw, db, args, message):
    before = rows(db)
    code, out, err = cw(*args)
    assert (code, out) == (2, "")
    assert err.startswith("closedwon: ") and err.count("\n") == 1 and message in err, err
    assert rows(db) == before


def test_undo_refused_lists_what_changed(cw, db):
    cw("import", fixture("zoho_deals.csv"))
    cw("deal", "edit", "2", "--amount", "1")
    before = rows(db)
    code, out, err = cw("import", "undo", "1")
    assert (code, out) == (2, "")
    assert "import 1 cannot be undone: 1 of its deals changed since it ran: 2 (Quasar player insights)" in err
    assert rows(db) == before


def test_hostile_text_from_a_file_reaches_the_terminal_only_as_escapes(tmp_path, cw):
    path = tmp_path / "evil.csv"
    path.write_text("Deal - Title,Deal - Stage,Evil\x1b[2J column\nX,\x1b]0;owned\x07 stage,1\n", encoding="utf-8")
    code, out, err = cw("import", str(path), "--dry-run")
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b[2J" in out and "\\x1b]0;owned\\x07" in err
