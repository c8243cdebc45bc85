"""The board redraws only what changed: after every key, what it keeps drawn is what a fresh
drawing shows. A line that a change forgot to redraw would stay on the rep's screen as it was."""

from __future__ import annotations

import pytest
from rich.segment import Segment

from closedwon_tui.app.board.view import BoardView
from tests.board_helpers import board, make_app, settled

WORDS = ["renewal", "rollout", "expansion", "pilot", "upgrade", "migration"]
COMPANIES = ["Acme", "Helios", "Orbital", "Granite", "Atlas", "Polar", "Acorn"]
STAGES = ["Outreach", "Qualification", "Analysis", "Proposal", "Negotiation"]


def _seed(service) -> None:  # type: ignore[no-untyped-def]
    for n in range(70):  # enough that columns scroll at 120x30, with titles a filter narrows
        service.create_deal(
            f"{COMPANIES[n % 7]} {WORDS[n % 6]} {n}",
            company=f"{COMPANIES[(n * 3) % 7]} Corp",
            stage=STAGES[n % 5],
            amount=None if n % 9 == 0 else f"{1000 + 137 * n}",
            currency="EUR" if n % 4 == 0 else "USD",
        )


def _kept(view: BoardView) -> list[list[Segment]]:
    return [list(strip) for strip in view.render_lines(view.size.region)]


def _fresh(view: BoardView) -> list[list[Segment]]:
    view.forget_drawings()  # forget every drawn line, card and header: draw it all again
    return [list(strip) for strip in view.render_lines(view.size.region)]


def _text(lines: list[list[Segment]]) -> str:
    return "\n".join("".join(s.text for s in line) for line in lines)


KEYS = [
    "j", "j", "j", "L", "j", "H", "u", "u", "l", "k", "L", "L", "u", "ctrl+r",
    "/", "r", "e", "n", "backspace", "n", "e", "w", "a", "l", "space", "a", "c", "backspace", "backspace", "escape",
    "/", "a", "m", "o", "u", "n", "t", ">", "5", "k", "enter", "j", "L", "u", "escape",
    "G", "/", "r", "o", "l", "backspace", "backspace", "escape", "G", "K", "K", "J", "u", "G", "/", "e", "x", "escape",
    "s", "j", "s", "s", "s", "space", "j", "space", "L", "u", "escape", "G", "k", "g",
]  # fmt: skip


@pytest.mark.parametrize("size", [(120, 30), (80, 24)])
async def test_after_every_key_the_board_shows_what_a_fresh_drawing_shows(sqlite_service, size):
    _seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        for step, key in enumerate(KEYS):
            await pilot.press(key)
            await settled(pilot)
            await pilot.pause()
            view = board(app).board_view
            kept = _kept(view)
            fresh = _fresh(view)
            assert kept == fresh, f"after key {step} ({key!r}):\n{_text(kept)}\n--- a fresh drawing ---\n{_text(fresh)}"


async def test_a_column_scrolled_since_it_last_changed_shows_a_change_above_its_view(sqlite_service):
    """The column compares a change with the cards it had in view when it last changed; scrolled
    since (the cursor went down), a card put in above the view shifts every card in it."""
    for n in range(120):  # so long that one card more moves no scroll mark
        sqlite_service.create_deal(f"Lead {n}", stage="Outreach")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        screen = board(app)
        outreach = next(c for c in screen.columns if c.stage.name == "Outreach")
        outreach.scroll_to(outreach.scroll_y + 5)  # one card further down, as the cursor scrolls it
        await pilot.pause()
        added = sqlite_service.create_deal("Zephyr kiosk", stage="Outreach", position=0).deal
        screen.model.apply(added)  # put in above the view, in the column's own list
        outreach.cards_changed()
        await pilot.pause()
        view = screen.board_view
        kept = _kept(view)
        fresh = _fresh(view)
        assert kept == fresh, f"{_text(kept)}\n--- a fresh drawing ---\n{_text(fresh)}"
