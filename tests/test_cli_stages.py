"""`closedwon stages ...` and `closedwon pipeline ...`, and `--pipeline` on the deal commands: what
a rep types and reads, and the database after (bad input: one line, exit 2, nothing changed)."""

from __future__ import annotations

import json

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import migrated_sqlite


@pytest.fixture
def db(tmp_path, sqlite_template) -> str:  # type: ignore[no-untyped-def]
    return migrated_sqlite(sqlite_template, tmp_path / "cli.db")


@pytest.fixture
def cw(capsys, db):  # type: ignore[no-untyped-def]
    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", db, *args])
        except SystemExit as exc:
            code = exc.code  # type: ignore[assignment]
        out, err = capsys.readouterr()
        return code, out, err

    return run


def ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert (code, err) == (0, ""), err
    return out


def refused(result: tuple[int, str, str], words: str) -> None:
    code, out, err = result
    assert code == 2 and out == "", (code, out, err)
    assert len(err.strip().splitlines()) == 1 and words in err, err
    assert "Traceback" not in err


def fetch(db: str):  # type: ignore[no-untyped-def]
    database = Database.open(db)
    service = PipelineService(database)
    return database, service


def stage_rows(cw, *args: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return json.loads(ok(cw("stages", "--json", *args)))


def test_stages_are_added_renamed_edited_moved_and_removed(cw, db):
    assert "added stage Demo (after Qualification)" in ok(cw("stages", "add", "Demo", "--after", "qual",
                                                              "--probability", "30", "--rotting-days", "7"))  # fmt: skip
    ok(cw("stages", "rename", "demo", "Live demo"))
    ok(cw("stages", "edit", "Live", "--probability", "35"))
    ok(cw("stages", "move", "Live demo", "--first"))
    deal = ok(cw("deal", "add", "Helios", "--stage", "Live")).strip()
    rows = stage_rows(cw)
    assert [(r["name"], r["probability"], r["rotting_days"], r["deals"]) for r in rows[:2]] == [
        ("Live demo", 35, 7, 1), ("Outreach", 10, 14, 0)]  # fmt: skip
    refused(cw("stages", "remove", "Live demo"), "holds 1 deal")
    assert "its 1 deals went to Proposal" in ok(cw("stages", "remove", "Live demo", "--move-deals-to", "Proposal"))
    assert [r["name"] for r in stage_rows(cw)][0] == "Outreach"
    shown = json.loads(ok(cw("deal", "show", deal, "--json")))
    assert shown["stage"] == "Proposal" and shown["pipeline"] == "Sales"
    assert [(e["from_stage"], e["to_stage"]) for e in shown["history"]][-1] == ("Live demo", "Proposal")
    database, service = fetch(db)
    try:
        assert [e.actor for e in service.stage_history()] and len(service.stage_history()) == 5
    finally:
        database.close()
    history = ok(cw("stages", "history")).splitlines()
    assert history[0].split() == ["WHEN", "AGO", "WHO", "WHAT"]
    assert "removed stage Live demo (its 1 deals went to Proposal)" in history[2]  # newest first
    assert "added stage Demo (after Qualification)" in history[-1]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("stages", "add", ""), "cannot be empty"),
        (("stages", "add", "proposal"), "already a stage named"),
        (("stages", "add", "Demo", "--probability", "150"), "from 0 to 100"),
        (("stages", "add", "Demo", "--probability", "ten"), "whole number"),
        (("stages", "add", "Demo", "--rotting-days", "-1"), "cannot be negative"),
        (("stages", "add", "Demo", "--after", "Nowhere"), "unknown stage"),
        (("stages", "add", "Demo", "--pipeline", "Nowhere"), "unknown pipeline"),
        (("stages", "move", "Proposal", "--after", "Proposal"), "after itself"),
        (("stages", "move", "Proposal"), "after a stage, or first"),
        (("stages", "edit", "Proposal", "--probability", "-5"), "from 0 to 100"),
        (("stages", "rename", "Nope", "X"), "unknown stage"),
        (("stages", "remove", "Closed Won"), "one won and one lost"),
        (("pipeline", "add", "sales"), "already a pipeline named"),
        (("pipeline", "add", " "), "cannot be empty"),
        (("pipeline", "rename", "Nope", "X"), "unknown pipeline"),
        (("pipeline", "remove", "Sales"), "the only pipeline"),
        (("deal", "add", "X", "--pipeline", "Nope"), "unknown pipeline"),
        (("deal", "list", "--pipeline", "Nope"), "unknown pipeline"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_changes(cw, db, args, words):
    before = ok(cw("stages", "--json")), ok(cw("pipeline", "list", "--json")), ok(cw("deal", "list", "--json"))
    refused(cw(*args), words)
    assert (
        ok(cw("stages", "--json")),
        ok(cw("pipeline", "list", "--json")),
        ok(cw("deal", "list", "--json")),
    ) == before


def test_pipelines_and_deals_in_them(cw, db):
    ok(cw("pipeline", "add", "Renewals", "--stages", "Due,Talking"))
    ok(cw("pipeline", "add", "Partners"))
    listed = json.loads(ok(cw("pipeline", "list", "--json")))
    assert [(p["name"], p["deals"]) for p in listed] == [("Sales", 0), ("Renewals", 0), ("Partners", 0)]
    assert listed[1]["stages"] == ["Due", "Talking", "Closed Won", "Closed Lost"]
    assert listed[2]["stages"][:2] == ["Outreach", "Qualification"]
    sales = ok(cw("deal", "add", "Sales deal")).strip()
    renewal = ok(cw("deal", "add", "Renewal", "--pipeline", "Renewals")).strip()
    objects = json.loads(ok(cw("deal", "list", "--json", "--pipeline", "renewals")))
    assert [(o["title"], o["stage"], o["pipeline"]) for o in objects] == [("Renewal", "Due", "Renewals")]
    everything = json.loads(ok(cw("deal", "list", "--json")))
    assert {o["title"]: o["pipeline"] for o in everything} == {"Sales deal": "Sales", "Renewal": "Renewals"}
    assert "PIPELINE" in ok(cw("deal", "list"))
    refused(cw("deal", "move", renewal, "Proposal"), "--pipeline Sales")
    assert "now in Proposal (Sales)" in ok(cw("deal", "move", renewal, "Proposal", "--pipeline", "Sales"))
    assert "now in Talking (Renewals)" in ok(cw("deal", "move", sales, "Talking", "--pipeline", "Renewals"))
    refused(cw("pipeline", "remove", "Renewals"), "holds 1 deal")
    ok(cw("pipeline", "rename", "Partners", "Channel"))
    assert "removed pipeline Channel" in ok(cw("pipeline", "remove", "Channel"))
    assert "Pipeline Renewals" in ok(cw("stages", "--pipeline", "Renewals"))
    assert [r["name"] for r in stage_rows(cw, "--pipeline", "Renewals")][:2] == ["Due", "Talking"]


def test_stages_history_json_gives_each_change_oldest_first_with_the_names_it_refers_to(cw):
    hostile = "Co\x1b]0;x\x07 [b]y[/b]"
    ok(cw("stages", "add", hostile, "--after", "qual"))
    ok(cw("stages", "rename", hostile, "Demo"))
    ok(cw("pipeline", "add", "Renewals"))
    ok(cw("stages", "add", "Audit", "--pipeline", "Renewals"))
    out = ok(cw("stages", "history", "--json"))
    assert "\x1b" not in out and "\x07" not in out  # stored text escaped, as every JSON listing does
    rows = json.loads(out)
    assert [(r["kind"], r["stage"], r["pipeline"]) for r in rows] == [
        ("stage_added", "Demo", "Sales"), ("stage_renamed", "Demo", "Sales")]  # fmt: skip
    assert rows[0]["summary"] == f"added stage {hostile} (after Qualification)"
    assert rows[0]["id"] < rows[1]["id"] and rows[0]["actor"] == rows[1]["actor"]
    assert rows[0]["at"].endswith("+00:00") and rows[0]["stage_id"] == rows[1]["stage_id"]
    # --json before the subcommand too (as `stages --json` lists the stages), and --pipeline.
    assert json.loads(ok(cw("stages", "--json", "history"))) == rows
    renewals = json.loads(ok(cw("stages", "history", "--pipeline", "Renewals", "--json")))
    assert [(r["kind"], r["stage"], r["pipeline"]) for r in renewals][-1] == ("stage_added", "Audit", "Renewals")
    assert json.loads(ok(cw("stages", "history", "--pipeline", "Renewals", "--json"))) == renewals
