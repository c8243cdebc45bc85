"""Several deals on one command line: `deal move|won|lost|edit ID [ID ...]`, all or nothing; closes mark
the deals' pending follow-ups done unless `--keep-followups`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine

from closedwon_tui.cli.main import main
from tests.conftest import migrated_sqlite
from tests.dbstate import dump_tables


@pytest.fixture
def db(tmp_path, sqlite_template) -> str:
    return migrated_sqlite(sqlite_template, tmp_path / "bulk.db").removeprefix("sqlite:///")


@pytest.fixture
def cw(capsys, db):
    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", db, *args])
        except SystemExit as exc:
            code = exc.code  # type: ignore[assignment]
        out, err = capsys.readouterr()
        return code, out, err

    return run


def rows(db: str) -> dict:
    engine = create_engine(f"sqlite:///{db}")
    try:
        return dump_tables(engine)
    finally:
        engine.dispose()


def add(cw, title: str, *options: str) -> str:
    code, out, err = cw("deal", "add", title, *options)
    assert (code, err) == (0, "")
    return out.strip()


def stage_of(cw, deal: str) -> str:
    code, out, _ = cw("deal", "show", deal, "--json")
    assert code == 0
    return json.loads(out)["stage"]


def test_deal_move_takes_several_ids_then_the_stage(cw):
    a, b, c = (add(cw, t, "--stage", "Analysis") for t in ("A", "B", "C"))
    code, out, err = cw("deal", "move", a, b, c, "Closed", "Won")
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"deal {d} won: now in Closed Won" for d in (a, b, c)]
    assert {stage_of(cw, d) for d in (a, b, c)} == {"Closed Won"}


def test_a_stage_given_by_its_number_after_the_ids(cw):
    a, b = add(cw, "A"), add(cw, "B")
    code, out, err = cw("deal", "move", a, b, "3")
    assert (code, err) == (0, "")
    assert {stage_of(cw, d) for d in (a, b)} == {"Analysis"}


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["move", "{a}", "{b}", "Proposal"], "closedwon: deal {b} (Beta) is already in Proposal\n"),
        (["won", "{a}", "{b}", "999"], "closedwon: no deal with id 999\n"),
        (["lost", "{a}", "{b}", "--reason", "nope"], "closedwon: "),
        (["edit", "{a}", "{b}", "--amount", "12.345"], "closedwon: deal {a} (Alpha): "),
    ],
)
def test_a_bulk_command_that_fails_for_one_deal_changes_nothing(cw, db, command, message):
    a = add(cw, "Alpha", "--stage", "Analysis", "--currency", "EUR")
    b = add(cw, "Beta", "--stage", "Proposal")
    before = rows(db)
    code, out, err = cw("deal", *(part.format(a=a, b=b) for part in command))
    assert code == 2 and out == ""
    assert err.startswith(message.format(a=a, b=b)) and len(err.splitlines()) == 1
    assert rows(db) == before


def test_deal_edit_gives_several_deals_a_new_owner(cw):
    a, b = add(cw, "A", "--owner", "Dana"), add(cw, "B", "--owner", "Sam")
    code, out, err = cw("deal", "edit", a, b, "--owner", "Sam")
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"deal {a} edited: owner: Dana → Sam", f"deal {b} unchanged"]


def test_a_close_marks_pending_follow_ups_done_unless_kept(cw):
    a = add(cw, "A", "--stage", "Negotiation")
    b = add(cw, "B", "--stage", "Negotiation")
    for deal in (a, b):
        assert cw("followup", "add", deal, "Call", "--due", "friday")[0] == 0
    code, out, err = cw("deal", "won", a)
    assert (code, err) == (0, "")
    assert out == f"deal {a} won: now in Closed Won (1 pending follow-up marked done)\n"
    code, out, err = cw("deal", "lost", b, "--reason", "price", "--keep-followups")
    assert (code, err) == (0, "")
    assert out == f"deal {b} lost: now in Closed Lost\n"
    pending = {d: [f for f in json.loads(cw("deal", "show", d, "--json")[1])["followups"] if not f["done_at"]]
               for d in (a, b)}  # fmt: skip
    assert (len(pending[a]), len(pending[b])) == (0, 1)
    # One `deal undo` takes back the win and the follow-up it marked done.
    assert cw("deal", "undo", a)[0] == 0
    followups = json.loads(cw("deal", "show", a, "--json")[1])["followups"]
    assert [f["done_at"] for f in followups] == [None]


def test_deal_undo_after_a_multi_id_command_takes_the_whole_command_back(cw, db):
    a, b, c = (add(cw, t, "--stage", "Analysis") for t in ("A", "B", "C\x1b[2J"))
    before = {d: stage_of(cw, d) for d in (a, b, c)}
    assert cw("deal", "move", a, b, c, "proposal")[0] == 0
    code, out, err = cw("deal", "undo", b)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"took back one change made to 3 deals at once (deals {a}, {b}, {c}):",
        *(f"deal {d}: undid move (Proposal → Analysis)" for d in (a, b, c)),
    ]
    assert {d: stage_of(cw, d) for d in (a, b, c)} == before


def test_deal_undo_only_takes_back_one_deals_part_and_a_refusal_says_how(cw, db):
    a, b, c = (add(cw, t, "--stage", "Analysis") for t in ("A", "B", "C"))
    assert cw("deal", "move", a, b, c, "proposal")[0] == 0
    assert cw("deal", "move", a, "negotiation")[0] == 0  # a changed since
    snapshot = rows(db)
    code, out, err = cw("deal", "undo", b)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert f"deal {a} (A) has changed since" in err and "nothing was undone" in err
    assert f"closedwon deal undo {b} --only" in err
    assert rows(db) == snapshot
    code, out, err = cw("deal", "undo", b, "--only")
    assert (code, err) == (0, "")
    assert out == f"deal {b}: undid move (Proposal → Analysis)\n"
    assert [stage_of(cw, d) for d in (a, b, c)] == ["Negotiation", "Analysis", "Proposal"]
