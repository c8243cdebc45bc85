"""Files a command writes to the screen (`export`, `calendar`, `backup -`) hold stored text: on a
terminal it is shown literally, as every other CLI line is; piped or written with -o the data
stays exactly as stored, so an export still imports back to the same deals."""

from __future__ import annotations

import sys

import pytest

from closedwon_tui.cli.main import main
from tests.test_cli_trust import RAW, hostile_db  # noqa: F401

SCREEN_COMMANDS = [["export"], ["export", "--format", "markdown"], ["export", "--format", "json"], ["calendar"],
                   ["backup", "-"]]  # fmt: skip


@pytest.mark.parametrize("args", SCREEN_COMMANDS, ids=" ".join)
def test_a_file_written_to_a_terminal_shows_stored_text_literally(capsys, monkeypatch, hostile_db, args):  # noqa: F811
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["--db", str(hostile_db), *args]) == 0
    out, err = capsys.readouterr()
    assert not RAW.search((out + err).replace("\n", "").replace("\r", "")), RAW.findall(out + err)


def test_an_export_piped_to_a_file_keeps_the_stored_text_exactly(capsys, hostile_db):  # noqa: F811
    assert main(["--db", str(hostile_db), "export"]) == 0
    assert "\x1b]0;pwned\x07" in capsys.readouterr().out  # data for `closedwon import`, not for a screen
