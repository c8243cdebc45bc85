"""What an undo or a redo took back, and the board's short notes, are said in the key bar for a few
seconds: literally, cut to leave the help key in view, and with no toast mounted over the cards."""

from __future__ import annotations

import pytest

from closedwon_tui.app.board import session_view
from closedwon_tui.app.keybar import KeyBar
from tests.board_helpers import board, make_app, seed, settled, titles_in
from tests.screen_text import drawn_lines


def _bar(app) -> str:  # type: ignore[no-untyped-def]
    return drawn_lines(app)[-1]


async def test_an_undo_says_what_it_took_back_in_the_key_bar_for_a_while(sqlite_service, monkeypatch):
    monkeypatch.setattr(session_view, "UNDO_SAID_FOR", 0.3)
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("L")  # Atlas renewal, Outreach's top card, into Qualification
        await settled(pilot)
        await pilot.press("u")
        await settled(pilot)
        await pilot.pause()
        assert titles_in(sqlite_service, "Outreach") == ["Atlas renewal"]
        assert _bar(app).startswith(" Undid move (qualification → outreach) ")
        assert not app._notifications  # no toast over the cards
        assert "? Help" in _bar(app)
        await pilot.pause(0.5)
        assert "Undid" not in _bar(app)


async def test_a_note_in_the_key_bar_is_shown_literally_and_leaves_the_help_key_in_view(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        bar = board(app).query_one(KeyBar)
        bar.say("\x1b]0;pwn\x07[b]bold[/b] Acme " + "renewal " * 12, 5)
        await pilot.pause()
        line = _bar(app)  # fails on any raw control character drawn
        assert line.startswith(" \\x1b]0;pwn\\x07[b]bold[/b] Acme renewal")
        assert "…" in line and line.rstrip().endswith("? Help")
        await pilot.press("space")  # a card marked: the count shows too, and help still does
        await pilot.pause()
        line = _bar(app)
        assert "✓ 1 marked" in line and line.rstrip().endswith("? Help")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_nothing_to_undo_is_said_in_the_key_bar(sqlite_service, size):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settled(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert _bar(app).startswith(" Nothing to undo in this session ")
        assert not app._notifications
