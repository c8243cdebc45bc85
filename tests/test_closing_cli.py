"""Closing deals from the command line: a lost reason from the configured list, always; wins and reopening
record the same history as the board (without any screen)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from closedwon_tui.cli.main import main
from tests.conftest import migrated_sqlite
from tests.dbstate import dump_tables


@pytest.fixture
def db(tmp_path, sqlite_template) -> str:
    """A fresh, migrated SQLite file."""
    return migrated_sqlite(sqlite_template, tmp_path / "closing.db").removeprefix("sqlite:///")


@pytest.fixture
def cw(capsys, db):
    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", db, *args])
        except SystemExit as exc:  # argparse refuses before any command runs
            code = exc.code  # type: ignore[assignment]
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def deal_id(cw) -> str:
    code, out, err = cw("deal", "add", "Helios rollout", "--company", "Helios Energy", "--amount", "48,250")
    assert (code, err) == (0, "")
    return out.strip()


def rows(db: str) -> dict:
    engine = create_engine(f"sqlite:///{db}")
    try:
        return dump_tables(engine)
    finally:
        engine.dispose()


def show(cw, deal_id: str) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = cw("deal", "show", deal_id, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deal", "lost", "{id}"], "the following arguments are required: --reason"),
        (["deal", "lost", "{id}", "--reason", "weather"], "unknown lost reason: 'weather' (choose from price, timing"),
        (["deal", "lost", "{id}", "--reason", ""], "a lost deal needs a reason: one of price, timing"),
        (["deal", "move", "{id}", "closed", "lost"], "a lost deal needs a reason"),
        (["deal", "move", "{id}", "closed", "lost", "--reason", "weather"], "unknown lost reason"),
        (["deal", "move", "{id}", "Closed Lost", "--reason"], "expected one argument"),
    ],
)
def test_losing_a_deal_without_a_known_reason_is_refused_and_changes_nothing(cw, db, deal_id, args, message):
    before = rows(db)
    code, out, err = cw(*(a.format(id=deal_id) for a in args))
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1
    assert rows(db) == before


def test_a_reason_matches_in_any_case_or_by_a_unique_prefix_and_keeps_its_note(cw, deal_id):
    code, out, err = cw("deal", "move", deal_id, "closed", "lost", "--reason", "WENT", "--note", "No reply since June")
    assert (code, err) == (0, "") and out == f"deal {deal_id} lost: now in Closed Lost\n"
    data = show(cw, deal_id)
    assert data["lost_reason"] == "went silent"
    lost = data["history"][-1]
    assert lost["kind"] == "lost"
    assert lost["details"]["reason"] == "went silent" and lost["details"]["note"] == "No reply since June"


def test_the_reasons_come_from_the_settings(cw, db, deal_id):
    config = Path(os.environ["CLOSEDWON_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('lost_reasons = ["budget cut", "champion left"]\n', encoding="utf-8")
    before = rows(db)

    code, _, err = cw("deal", "lost", deal_id, "--reason", "price")
    assert code == 2 and "choose from budget cut, champion left" in err
    assert rows(db) == before

    code, _, err = cw("deal", "lost", deal_id, "--reason", "champ", "--note", "Our sponsor moved on")
    assert (code, err) == (0, "")
    data = show(cw, deal_id)
    assert data["lost_reason"] == "champion left" and data["history"][-1]["details"]["note"] == "Our sponsor moved on"


def test_a_win_from_the_cli_records_the_same_event_as_the_board(cw, deal_id):
    code, out, err = cw("deal", "move", deal_id, "closed", "won")
    assert (code, err) == (0, "") and out == f"deal {deal_id} won: now in Closed Won\n"
    data = show(cw, deal_id)
    assert data["closed_at"] is not None
    assert [e["kind"] for e in data["history"]] == ["created", "won"]


def test_reopening_clears_the_close_and_keeps_the_old_outcome_in_history(cw, deal_id):
    cw("deal", "lost", deal_id, "--reason", "price")
    code, out, err = cw("deal", "reopen", deal_id, "--stage", "proposal")
    assert (code, err) == (0, "") and out == f"deal {deal_id} reopened: now in Proposal\n"
    data = show(cw, deal_id)
    assert data["closed_at"] is None and data["lost_reason"] == ""
    reopened = data["history"][-1]
    assert reopened["kind"] == "reopened" and reopened["details"]["previous_outcome"] == "lost: price"
    assert [e["kind"] for e in data["history"]] == ["created", "lost", "reopened"]
