"""The `closedwon` command line end to end: every command, as a script would call it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from closedwon_tui.cli.main import main
from tests.conftest import migrated_sqlite


@pytest.fixture
def db(tmp_path, sqlite_template) -> str:
    """A fresh, migrated SQLite file."""
    return migrated_sqlite(sqlite_template, tmp_path / "cli.db").removeprefix("sqlite:///")


@pytest.fixture
def cw(capsys, db):
    """Run `closedwon --db DB ARGS...` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str, use_db: bool = True) -> tuple[int, str, str]:
        code = main([*(["--db", db] if use_db else []), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert (code, err) == (0, ""), err
    return out


def add(cw, *args: str) -> int:
    return int(ok(cw("deal", "add", *args)).strip())


def show(cw, deal_id: int) -> dict:
    return json.loads(ok(cw("deal", "show", str(deal_id), "--json")))


def test_deal_add_prints_the_new_id_and_keeps_every_option(cw):
    assert add(cw, "First") == 1
    deal_id = add(
        cw, "Helios rollout", "--company", "Helios", "--contact", "Ana Ruiz", "--email", "ana@helios.example",
        "--amount", "12,000.50", "--currency", "eur", "--stage", "proposal", "--close-date", "12/31/2026",
        "--owner", "Dana", "--probability", "35", "--source", "referral", "--next-step", "Send proposal",
    )  # fmt: skip
    assert deal_id == 2
    data = show(cw, deal_id)
    assert data["title"] == "Helios rollout" and data["company"] == "Helios"
    assert data["contact_name"] == "Ana Ruiz" and data["contact_email"] == "ana@helios.example"
    assert data["amount"] == "12000.50" and data["currency"] == "EUR"
    assert data["stage"] == "Proposal" and data["close_date"] == "2026-12-31"
    assert data["owner"] == "Dana" and data["probability"] == 35 and data["source"] == "referral"
    assert data["weighted_amount"] == "4200.18"
    assert data["next_step"] == "Send proposal"


@pytest.mark.parametrize(("text", "amount"), [("12000", "12000.00"), ("12,000.50", "12000.50"), ("12k", "12000.00"),
                                              ("1.5m", "1500000.00")])  # fmt: skip
def test_amounts_as_reps_type_them(cw, text, amount):
    assert show(cw, add(cw, "X", "--amount", text))["amount"] == amount


@pytest.mark.parametrize("name", ["closed won", "Closed Won", "CLOSED WON", "closed  won"])
def test_stage_names_match_in_any_case(cw, name):
    deal_id = add(cw, "X", "--stage", name)
    assert show(cw, deal_id)["stage"] == "Closed Won"


def test_a_deal_can_be_added_straight_into_closed_lost_with_a_reason(cw):
    deal_id = add(cw, "Lost before we logged it", "--stage", "closed lost", "--reason", "Price")
    data = show(cw, deal_id)
    assert data["stage"] == "Closed Lost" and data["lost_reason"] == "price" and data["closed_at"] is not None


def test_move_won_lost_reopen(cw):
    deal_id = add(cw, "Helios", "--stage", "Analysis")
    assert ok(cw("deal", "move", str(deal_id), "proposal")) == f"deal {deal_id} moved: now in Proposal\n"
    assert ok(cw("deal", "move", str(deal_id), "closed", "won")) == f"deal {deal_id} won: now in Closed Won\n"
    assert ok(cw("deal", "reopen", str(deal_id))) == f"deal {deal_id} reopened: now in Proposal\n"
    out = ok(cw("deal", "lost", str(deal_id), "--reason", "price", "--note", "Cheaper vendor"))
    assert out == f"deal {deal_id} lost: now in Closed Lost\n"
    assert ok(cw("deal", "reopen", str(deal_id), "--stage", "negotiation")).endswith("now in Negotiation\n")
    assert ok(cw("deal", "won", str(deal_id))).endswith("now in Closed Won\n")
    data = show(cw, deal_id)
    assert [e["kind"] for e in data["history"]] == ["created", "moved", "won", "reopened", "lost", "reopened", "won"]
    lost = data["history"][4]
    assert lost["from_stage"] == "Proposal" and lost["to_stage"] == "Closed Lost"
    assert lost["details"]["reason"] == "price" and lost["details"]["note"] == "Cheaper vendor"
    assert data["closed_at"] is not None and data["lost_reason"] == ""


def test_move_to_a_position_and_into_closed_lost_with_a_reason(cw):
    a, b, c = (add(cw, t, "--stage", "Proposal") for t in "ABC")  # C B A
    d = add(cw, "D", "--stage", "Analysis")
    ok(cw("deal", "move", str(d), "Proposal", "--position", "2"))
    listing = json.loads(ok(cw("deal", "list", "--stage", "proposal", "--json")))
    assert [x["id"] for x in listing] == [c, d, b, a]
    assert [x["position"] for x in listing] == [0, 1, 2, 3]
    ok(cw("deal", "move", str(a), "Closed", "Lost", "--reason", "timing"))
    assert show(cw, a)["lost_reason"] == "timing"


def test_edit_prints_what_changed_and_history_keeps_it(cw):
    deal_id = add(cw, "Helios", "--amount", "10k")
    out = ok(cw("deal", "edit", str(deal_id), "--amount", "1.5m", "--close-date", "2027-01-15", "--budget-ok", "yes",
                "--contact", "Ana"))  # fmt: skip
    assert out.startswith(f"deal {deal_id} edited: ")
    assert re.search(r"amount: 10,?000\.00 → 1,?500,?000\.00", out) and "close date: — → 2027-01-15" in out
    assert ok(cw("deal", "edit", str(deal_id), "--amount", "1,500,000")) == f"deal {deal_id} unchanged\n"
    data = show(cw, deal_id)
    assert data["amount"] == "1500000.00" and data["budget_ok"] is True and data["contact_name"] == "Ana"
    assert data["history"][-1]["details"]["changes"]["amount"] == ["10000.00", "1500000.00"]


def test_undo_from_the_command_line(cw):
    deal_id = add(cw, "Helios", "--stage", "Analysis")
    ok(cw("deal", "move", str(deal_id), "Proposal"))
    out = ok(cw("deal", "undo", str(deal_id)))
    assert out.startswith(f"deal {deal_id}: undid move")
    assert show(cw, deal_id)["stage"] == "Analysis"


def test_list_filters_and_json_amounts_are_exact_strings(cw):
    a = add(cw, "A", "--stage", "Proposal", "--owner", "Dana", "--amount", "0.10")
    b = add(cw, "B", "--stage", "Proposal", "--owner", "Sam", "--amount", "1.5m", "--currency", "JPY")
    add(cw, "C", "--stage", "Analysis", "--owner", "dana")
    everything = json.loads(ok(cw("deal", "list", "--json")))
    assert len(everything) == 3
    by_owner = json.loads(ok(cw("deal", "list", "--owner", "DANA", "--json")))
    assert {d["title"] for d in by_owner} == {"A", "C"}
    proposal = json.loads(ok(cw("deal", "list", "--stage", "proposal", "--owner", "sam", "--json")))
    assert [(d["id"], d["amount"], d["currency"], d["stage"]) for d in proposal] == [(b, "1500000", "JPY", "Proposal")]
    (first,) = [d for d in everything if d["id"] == a]
    assert first["amount"] == "0.10" and Decimal(first["weighted_amount"]) == Decimal("0.06")
    text = ok(cw("deal", "list"))
    assert text.splitlines()[0].split() == ["ID", "TITLE", "COMPANY", "STAGE", "AMOUNT", "DAYS", "OWNER"]
    assert "$0.10" in text and "¥1,500,000" in text
    assert ok(cw("deal", "list", "--stage", "Negotiation")) == "no deals\n"
    assert json.loads(ok(cw("deal", "list", "--stage", "Negotiation", "--json"))) == []


def test_show_json_has_history_objections_followups_and_notes(cw):
    deal_id = add(cw, "Helios", "--amount", "48,250", "--stage", "Analysis")
    objection_id = int(ok(cw("objection", "add", str(deal_id), "Too", "expensive", "--kind", "Price")))
    followup_id = int(ok(cw("followup", "add", str(deal_id), "--due", "2026-12-01 14:30", "Call", "back")))
    other = int(ok(cw("followup", "add", str(deal_id), "--due", "tomorrow")))
    note_id = int(ok(cw("note", "add", str(deal_id), "CFO", "is", "the", "buyer")))
    assert ok(cw("followup", "done", str(other))) == f"follow-up {other} done\n"
    assert (
        ok(cw("objection", "address", str(objection_id), "Phased", "rollout"))
        == f"objection {objection_id} addressed\n"
    )
    ok(cw("deal", "move", str(deal_id), "Proposal"))
    data = show(cw, deal_id)
    assert data["stage"] == "Proposal" and data["stage_kind"] == "open"
    assert data["amount"] == "48250.00" and data["weighted_amount"] == "28950.00"
    assert isinstance(data["history"], list) and isinstance(data["objections"], list)
    assert isinstance(data["followups"], list) and isinstance(data["notes"], list)
    assert [e["kind"] for e in data["history"]] == [
        "created", "objection_added", "followup_scheduled", "followup_scheduled", "note_added", "followup_done",
        "objection_addressed", "moved",
    ]  # fmt: skip
    move = data["history"][-1]
    assert (move["from_stage"], move["to_stage"]) == ("Analysis", "Proposal")
    assert move["summary"].startswith("moved Analysis → Proposal")
    assert all({"id", "at", "actor", "kind", "details", "summary"} <= e.keys() for e in data["history"])
    (objection,) = data["objections"]
    assert objection == {**objection, "id": objection_id, "kind": "price", "text": "Too expensive",
                         "response": "Phased rollout", "status": "addressed"}  # fmt: skip
    followups = {f["id"]: f for f in data["followups"]}
    assert followups[followup_id]["due"] == "2026-12-01T14:30:00" and followups[followup_id]["note"] == "Call back"
    assert followups[followup_id]["done_at"] is None and followups[other]["done_at"] is not None
    assert [n["id"] for n in data["notes"]] == [note_id] and data["notes"][0]["text"] == "CFO is the buyer"


def test_show_as_text(cw):
    deal_id = add(cw, "Helios", "--amount", "48k", "--company", "Helios Ltd")
    ok(cw("objection", "add", str(deal_id), "Too dear", "--kind", "price"))
    ok(cw("followup", "add", str(deal_id), "--due", "2026-12-01", "Call"))
    out = ok(cw("deal", "show", str(deal_id)))
    assert out.startswith(f"#{deal_id} Helios\n")
    for expected in (
        "stage       Outreach (0 days)",
        "company     Helios Ltd",
        "amount      $48,000.00",
        "[open] price: Too dear",
        "2026-12-01 Call",
        "History (newest first)",
        "created in Outreach",
    ):
        assert expected in out  # fmt: skip


def test_objection_answer_from_the_command_line(cw):
    deal_id = add(cw, "Helios")
    objection_id = int(ok(cw("objection", "add", str(deal_id), "Not now", "--kind", "timing")))
    assert ok(cw("objection", "answer", str(objection_id), "Pilot", "in", "Q1")) == f"objection {objection_id} open\n"
    assert show(cw, deal_id)["objections"][0]["response"] == "Pilot in Q1"


def test_stages_lists_the_pipeline(cw):
    out = ok(cw("stages"))
    lines = out.splitlines()
    assert lines[0].split() == ["#", "STAGE", "PROBABILITY", "KIND", "ROTTING", "DAYS", "DEALS"]
    assert [line.split()[1:] for line in lines[2:4]] == [["Outreach", "10%", "open", "14", "0"],
                                                         ["Qualification", "20%", "open", "14", "0"]]  # fmt: skip
    assert "Closed Won" in lines[7] and "100%" in lines[7] and "won" in lines[7]
    assert "Closed Lost" in lines[8] and "0%" in lines[8] and "lost" in lines[8]


def test_demo_seeds_a_database_and_db_upgrade_reports_it_is_current(cw, tmp_path):
    target = tmp_path / "demo.db"
    out = ok(cw("--db", f"sqlite:///{target}", "demo", use_db=False))
    assert out.startswith("added ") and "demo deals" in out
    deals = json.loads(ok(cw("--db", str(target), "deal", "list", "--json", use_db=False)))
    assert len(deals) >= 30
    stages = {d["stage"] for d in deals}
    assert {"Outreach", "Proposal", "Closed Won", "Closed Lost"} <= stages
    assert ok(cw("--db", str(target), "db", "upgrade", use_db=False)).endswith("is up to date\n")


def test_db_upgrade_creates_the_schema_of_a_new_database(cw, tmp_path):
    target = tmp_path / "fresh.db"
    assert ok(cw("--db", str(target), "db", "upgrade", use_db=False)).endswith("is up to date\n")
    assert target.exists()
    assert "Negotiation" in ok(cw("--db", str(target), "stages", use_db=False))


def test_the_database_comes_from_the_environment_or_the_data_folder(cw, monkeypatch, tmp_path):
    ok(cw("deal", "add", "Default place", use_db=False))
    default = Path(os.environ["XDG_DATA_HOME"]) / "closedwon" / "closedwon.db"
    assert default.exists()
    monkeypatch.setenv("CLOSEDWON_DB", str(tmp_path / "env.db"))
    ok(cw("deal", "add", "From the environment", use_db=False))
    assert (tmp_path / "env.db").exists()
    titles = [d["title"] for d in json.loads(ok(cw("deal", "list", "--json", use_db=False)))]
    assert titles == ["From the environment"]


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("deal", "objection", "followup", "note", "stages", "demo", "db"):
        assert command in out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("closedwon ")


def _console_script() -> str:
    beside = Path(sys.executable).with_name("closedwon")
    found = str(beside) if beside.exists() else shutil.which("closedwon")
    if not found:
        pytest.skip("the closedwon console script is not installed")
    return found


def test_the_installed_closedwon_command_runs_end_to_end(tmp_path):
    script = _console_script()
    env = {**os.environ, "CLOSEDWON_DB": str(tmp_path / "sub.db")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([script, *args], capture_output=True, text=True, env=env, timeout=120)

    added = run("deal", "add", "Helios rollout", "--amount", "12k", "--stage", "closed won")
    assert added.returncode == 0 and added.stdout == "1\n" and added.stderr == ""
    shown = run("deal", "show", "1", "--json")
    assert shown.returncode == 0
    data = json.loads(shown.stdout)
    assert data["stage"] == "Closed Won" and data["amount"] == "12000.00"
    bad = run("deal", "add", "X", "--amount", "-5")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == "closedwon: amount cannot be negative: '-5'\n"
    assert json.loads(run("deal", "list", "--json").stdout)[0]["title"] == "Helios rollout"


def test_the_cli_on_every_backend(capsys, db_url):
    """The same commands against SQLite and PostgreSQL (any SQLAlchemy URL works with --db)."""

    def run(*args: str) -> str:
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), err
        return out

    deal_id = int(run("deal", "add", "Helios", "--amount", "12,000.50", "--currency", "KWD", "--stage", "analysis"))
    run("deal", "move", str(deal_id), "Closed", "Lost", "--reason", "price")
    run("deal", "reopen", str(deal_id))
    run("note", "add", str(deal_id), "Back in play")
    data = json.loads(run("deal", "show", str(deal_id), "--json"))
    assert data["stage"] == "Analysis" and data["amount"] == "12000.500" and data["closed_at"] is None
    assert [e["kind"] for e in data["history"]] == ["created", "lost", "reopened", "note_added"]
    code = main(["--db", db_url, "deal", "move", str(deal_id), "nowhere"])
    assert code == 2 and "unknown stage" in capsys.readouterr().err
