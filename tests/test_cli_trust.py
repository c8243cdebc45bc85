"""The command line trusts no argument and no stored text: every command refuses an id past a
64-bit row id and an argument that is not UTF-8 with one line, and nothing stored (by a colleague,
an import or a raw SQL statement) reaches the terminal as a control character, in text or JSON."""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from sqlalchemy import create_engine, text

from closedwon_tui.cli.command_line import build_parser
from closedwon_tui.cli.main import main
from closedwon_tui.domain.errors import NotFoundError
from tests.test_cli_errors import assert_refused, database_state, seeded  # noqa: F401 (a fixture)

HUGE_ID = "999999999999999999999"
NOT_UTF8 = os.fsdecode(b"\xff\xfe title")  # what Python makes of `$'\xff\xfe title'` in argv

#: Values required options need, so that only the argument under test is wrong.
OPTION_VALUES = {"--reason": "price", "--kind": "price", "--due": "tomorrow"}


@pytest.fixture(autouse=True)
def _files_land_in_tmp(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The sweeps run every command with "x" for each text: `backup x` and `export x` write their
    file here, not into the folder the tests run from."""
    monkeypatch.chdir(tmp_path)


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse._SubParsersAction]:
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def leaf_commands(parser: argparse.ArgumentParser | None = None, prefix: tuple[str, ...] = ()):
    """(words, parser) for every runnable subcommand, found by walking the real parser."""
    parser = parser or build_parser()
    for action in _subparsers(parser):
        for name, sub in action.choices.items():
            if _subparsers(sub):
                if not all(a.required for a in _subparsers(sub)):  # `stages` lists; `stages add` adds
                    yield (*prefix, name), sub
                yield from leaf_commands(sub, (*prefix, name))
            else:
                yield (*prefix, name), sub


def argv_for(words: tuple[str, ...], parser: argparse.ArgumentParser, *, number: str, text_value: str) -> list[str]:
    """A command line for `words` with every id given as `number` and every text as `text_value`."""
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue  # the command itself, without a subcommand
        if action.option_strings:
            if action.required:
                argv += [action.option_strings[0], OPTION_VALUES[action.option_strings[0]]]
            continue
        if action.type is not None:
            argv.append(number)
        elif action.dest not in ("help",):
            argv.append(text_value)
    return argv


COMMANDS = list(leaf_commands())


def test_every_subcommand_is_walked():
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"deal add", "deal show", "objection answer", "followup done", "note add", "report", "agenda", "stages",
            "demo", "db upgrade"} <= names  # fmt: skip
    assert len(names) >= 20


def test_no_argument_is_parsed_with_plain_int():
    """`int` takes ١٢٣, 1_000 and ids no row can have: every number goes through `whole_number`."""
    for words, parser in COMMANDS:
        for action in parser._actions:
            assert action.type is not int, (words, action.dest)


@pytest.mark.parametrize("words", [w for w, p in COMMANDS if any(a.type is not None for a in p._actions)],
                         ids=" ".join)  # fmt: skip
def test_an_id_past_a_64_bit_row_id_is_one_line_on_every_command(capsys, seeded, words):  # noqa: F811
    parser = dict(COMMANDS)[words]
    before = database_state(seeded)
    argv = argv_for(words, parser, number=HUGE_ID, text_value="x")
    assert_refused(capsys, ["--db", str(seeded), *argv], "from 1 to 9223372036854775807")
    for digits in ("١٢٣", str(2**63), "0"):
        argv = argv_for(words, parser, number=digits, text_value="x")
        assert_refused(capsys, ["--db", str(seeded), *argv], "")
    assert database_state(seeded) == before


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=" ".join)
def test_an_argument_that_is_not_utf8_is_one_line_on_every_command(capsys, seeded, words):  # noqa: F811
    parser = dict(COMMANDS)[words]
    before = database_state(seeded)
    argv = argv_for(words, parser, number="1", text_value=NOT_UTF8)
    if NOT_UTF8 not in argv:
        argv.append(NOT_UTF8)  # a command without text still meets it as an extra word
    err = assert_refused(capsys, ["--db", str(seeded), *argv], "not valid UTF-8")
    assert "\\xff\\xfe title" in err
    assert_refused(capsys, ["--db", NOT_UTF8, *argv], "not valid UTF-8")
    assert database_state(seeded) == before


def test_the_service_treats_an_impossible_id_as_not_found(service):
    for call in (lambda: service.deal(2**63), lambda: service.deal_detail(10**30), lambda: service.mark_won(2**64),
                 lambda: service.complete_followup(2**63), lambda: service.answer_objection(2**70, "ok"),
                 lambda: service.edit_deal(-1, {"title": "x"}), lambda: service.undo_event(2**63)):  # fmt: skip
        with pytest.raises(NotFoundError):
            call()


# Stored text is hostile: put it in every text column, as a colleague's raw SQL could. -----------
HOSTILE = "Co\x1b]0;pwned\x07 \x1b[2J \x9b31m \x7f \u202eevil 東京 👍 ACME [EU] [/b]"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile_db(tmp_path, monkeypatch, capsys) -> Path:
    path = tmp_path / "hostile.db"
    monkeypatch.setenv("CLOSEDWON_CONFIG", str(tmp_path / "none.toml"))
    for args in (
        ["deal", "add", "Helios", "--stage", "Proposal", "--amount", "48k", "--owner", "dana"],
        ["deal", "add", "Second", "--stage", "Closed Lost", "--reason", "price"],
        ["objection", "add", "1", "Too dear", "--kind", "price"],
        ["followup", "add", "1", "--due", "tomorrow", "Call"],
        ["note", "add", "1", "Good call"],
        ["deal", "edit", "1", "--next-step", "send"],
        ["deal", "won", "1"],
        ["deal", "add", "Third", "--stage", "Analysis"],  # the agenda lists the follow-ups of open deals
        ["followup", "add", "3", "--due", "tomorrow", "Call back"],
    ):
        assert main(["--db", str(path), *args]) == 0
    engine = create_engine(f"sqlite:///{path}")
    value = HOSTILE
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        deal_text = ["title", "company", "contact_name", "contact_email", "owner", "source", "next_step",
                     "budget_note", "authority_note", "need_note", "timing_note", "went_well", "nearly_lost",
                     "lost_reason", "lost_note"]  # fmt: skip
        for column in deal_text:
            conn.execute(text(f"UPDATE deals SET {column} = :v"), {"v": value})
        conn.execute(text("UPDATE objections SET text = :v, response = :v"), {"v": value})
        conn.execute(text("UPDATE followups SET note = :v"), {"v": value})
        conn.execute(text("UPDATE notes SET text = :v"), {"v": value})
        conn.execute(text("UPDATE deal_events SET actor = :v"), {"v": value})
        conn.execute(text("UPDATE stages SET name = name || :v WHERE position = 3"), {"v": value})
    engine.dispose()
    capsys.readouterr()
    return path


TEXT_COMMANDS = [
    ["deal", "list"], ["deal", "show", "1"], ["deal", "show", "2"], ["agenda"], ["report", "--period", "all"],
    ["stages"], ["deal", "reopen", "1"], ["deal", "edit", "1", "--company", "Plain"], ["deal", "move", "1", "4"],
]  # fmt: skip


@pytest.mark.parametrize("args", TEXT_COMMANDS, ids=" ".join)
def test_no_control_character_of_stored_text_reaches_the_terminal(capsys, hostile_db, args):
    code = main(["--db", str(hostile_db), *args])
    out, err = capsys.readouterr()
    output = out + err
    assert code == 0, output
    assert not RAW.search(output.replace("\n", "")), RAW.findall(output)
    shown = "\\x1b]0;pwned\\x07"
    assert shown in output or args[0] == "stages" or "edited" in output, output
    assert output.count("\n") == out.count("\n")  # nothing on stderr


def test_the_undo_echo_is_literal(capsys, hostile_db):
    assert main(["--db", str(hostile_db), "deal", "edit", "1", "--next-step", "x\x1b[2J\x9by"]) == 0
    assert main(["--db", str(hostile_db), "deal", "undo", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("deal 1: undid edit") and not RAW.search(out.replace("\n", ""))


def test_the_edit_echo_shows_old_and_new_values_literally(capsys, hostile_db):
    assert main(["--db", str(hostile_db), "deal", "edit", "1", "--title", "New\x1b[2J title"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("deal 1 edited: title: Co\\x1b]0;pwned\\x07") and "→ New\\x1b[2J title" in out
    assert not RAW.search(out.replace("\n", ""))


@pytest.mark.parametrize("args", [["deal", "show", "1", "--json"], ["deal", "list", "--json"], ["agenda", "--json"],
                                  ["report", "--period", "all", "--json"]], ids=" ".join)  # fmt: skip
def test_json_output_escapes_del_c1_and_surrogates_and_reads_back_the_same(capsys, hostile_db, args):
    assert main(["--db", str(hostile_db), *args]) == 0
    output = capsys.readouterr().out
    output.encode("utf-8")  # valid UTF-8: a lone surrogate is escaped, not written
    assert not RAW.search(output.replace("\n", ""))
    assert "東京 👍" in output  # letters of every script stay readable
    assert "\\u009b31m" in output and "\\u007f" in output and "\\u202e" in output
    json.loads(output)


def test_json_escapes_lone_surrogates_and_separators_in_any_chunk(capsys):
    from closedwon_tui.cli.output import json_safe, print_json

    value = {"t\x9b": ["\ud800 x \x7f", "\u2028 東京 é"], "n": 1}
    print_json(value)
    out = capsys.readouterr().out
    assert out.encode("utf-8") and not RAW.search(out.replace("\n", "")) and "\u2028" not in out
    assert json.loads(out) == value and "東京 é" in out
    chunks = json.JSONEncoder(ensure_ascii=False).iterencode(value)  # the compact, faster encoder's chunks
    assert json.loads("".join(json_safe(c) for c in chunks)) == value


def test_json_reads_back_every_hostile_value_exactly(capsys, hostile_db):
    assert main(["--db", str(hostile_db), "deal", "show", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == HOSTILE and data["company"] == HOSTILE and data["notes"][0]["text"] == HOSTILE


# Tables line up on screen: width in terminal cells, not in characters. -------------------------------
def test_deal_list_aligns_cjk_and_emoji_titles_by_cell(capsys, tmp_path):
    db = str(tmp_path / "wide.db")
    for title, company in [("東京 プロジェクト", "株式会社"), ("Rollout 👍🏽", "ACME"), ("Plain", "Café"),
                           ("👩‍💻 team", "Zoë")]:  # fmt: skip
        assert main(["--db", db, "deal", "add", title, "--company", company]) == 0
    capsys.readouterr()
    assert main(["--db", db, "deal", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rows = lines[0], lines[2:]
    company_at = cell_len(header[: header.index("COMPANY")])
    stage_at = cell_len(header[: header.index("STAGE")])
    for row in rows:
        starts = [cell_len(row[: m.start()]) for m in re.finditer(r"(?<=  )\S", row)]
        assert company_at in starts and stage_at in starts, row
        assert cell_len(row[: row.index("Outreach")]) == stage_at, row


def test_report_tables_align_by_cell(capsys, tmp_path):
    from closedwon_tui.cli.output import table

    out = table([["東京", "1"], ["A", "22"]], ["STAGE", "DEALS"]).splitlines()
    assert len({cell_len(line[: line.rindex(" ") + 1]) for line in out if not line.startswith("-")}) == 1
