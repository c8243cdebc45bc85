"""The board's lines beside the panel are drawn ahead of time while the app is idle (and those
without it while the panel is open): `enter` then shows lines already drawn. What the rep sees must
be what drawing on demand shows, whatever happened in between: a change, a key pressed while the
drawing ahead was under way, a new theme."""

from __future__ import annotations

import asyncio

import pytest
from rich.segment import Segment

from closedwon_tui.app.board import card as card_module
from closedwon_tui.app.board import drawing_ahead, when_quiet
from closedwon_tui.app.board.view import BoardView
from tests.board_helpers import board, make_app, settled

COMPANIES = ["Acme", "Helios", "Orbital", "Granite", "Atlas"]
STAGES = ["Outreach", "Qualification", "Analysis", "Proposal", "Negotiation"]


def _seed(service) -> None:  # type: ignore[no-untyped-def]
    for n in range(40):  # columns that scroll at 120x30
        service.create_deal(
            f"{COMPANIES[n % 5]} deal {n}", company=f"{COMPANIES[(n * 3) % 5]} Corp", stage=STAGES[n % 5],
            amount=f"{1000 + 137 * n}",
        )  # fmt: skip


def _lines(view: BoardView) -> list[list[Segment]]:
    return [list(strip) for strip in view.render_lines(view.size.region)]


def _fresh(view: BoardView) -> list[list[Segment]]:
    view.forget_drawings()
    return _lines(view)


def _text(lines: list[list[Segment]]) -> str:
    return "\n".join("".join(s.text for s in line) for line in lines)


class _Composed:
    """Counts the board's screen lines composed (drawn ahead or on demand)."""

    def __init__(self, view: BoardView) -> None:
        self.count = 0
        compose = view.compose_line

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.count += 1
            return compose(*args, **kwargs)

        view.compose_line = counted  # type: ignore[method-assign]


async def _opened_once(pilot, *, on_its_own: bool = False) -> BoardView:  # type: ignore[no-untyped-def]
    """The panel opened and closed once: the board knows its width beside the panel. Unless
    `on_its_own`, the board draws ahead only when the test says (`run_all`)."""
    board(pilot.app).board_view.drawing_ahead.enabled = on_its_own
    await settled(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()
    view = board(pilot.app).board_view
    view.drawing_ahead.stop()
    return view


async def _enter_shows_a_fresh_drawing(pilot, view: BoardView, why: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await pilot.pause()
    shown = _lines(view)
    fresh = _fresh(view)
    assert shown == fresh, f"{why}:\n{_text(shown)}\n--- a fresh drawing ---\n{_text(fresh)}"
    await pilot.press("escape")
    await pilot.pause()
    view.drawing_ahead.stop()


def _drawn_ahead(view):  # type: ignore[no-untyped-def]
    """Draw ahead now, whole: what counts the lines composed from then on, and how many it composed."""
    view.drawing_ahead.stop()
    composed = _Composed(view)
    view.drawing_ahead.run_all()
    return composed, composed.count


@pytest.mark.parametrize(
    "keys", [["L"], ["L", "u"], ["j", "j", "J"], ["/", "a", "c", "escape"], ["s"], ["G", "l", "H"]]
)
async def test_enter_shows_the_lines_drawn_ahead_which_are_those_drawn_on_demand(sqlite_service, keys):
    _seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _opened_once(pilot)
        for key in keys:
            await pilot.press(key)
            await settled(pilot)
            await pilot.pause()
        composed, ahead = _drawn_ahead(view)
        assert ahead > 0  # the change forgot lines beside the panel: they were drawn ahead
        await pilot.press("enter")
        await pilot.pause()
        assert composed.count == ahead  # the panel opened onto lines drawn already
        shown = _lines(view)
        fresh = _fresh(view)
        assert shown == fresh, f"{_text(shown)}\n--- a fresh drawing ---\n{_text(fresh)}"


async def test_a_change_after_the_drawing_ahead_is_shown_when_the_panel_opens(sqlite_service):
    _seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _opened_once(pilot)
        for keys in (["L"], ["j", "j"], ["/", "d", "e"], ["escape", "u"]):
            view.drawing_ahead.run_all()
            for key in keys:  # changes the drawing ahead has not seen
                await pilot.press(key)
            await settled(pilot)
            view.drawing_ahead.stop()
            await _enter_shows_a_fresh_drawing(pilot, view, f"after {keys}")


async def test_the_board_without_the_panel_is_drawn_ahead_while_the_panel_is_open(sqlite_service):
    _seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _opened_once(pilot)
        await pilot.press("enter")
        await pilot.press("L")  # a move with the panel open
        await settled(pilot)
        await pilot.pause()
        composed, ahead = _drawn_ahead(view)
        assert ahead > 0
        await pilot.press("escape")
        await pilot.pause()
        assert composed.count == ahead
        shown = _lines(view)
        assert shown == _fresh(view)


async def test_a_key_pressed_while_drawing_ahead_is_handled_and_shown(sqlite_service, monkeypatch):
    monkeypatch.setattr(when_quiet, "SLICE", 0.0)  # a step a slice, a line a step: the key lands midway
    monkeypatch.setattr(drawing_ahead, "STEP_LINES", 1)
    monkeypatch.setattr(when_quiet, "QUIET", 0.2)  # it starts after the move has settled
    _seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _opened_once(pilot, on_its_own=True)
        screen = board(app)
        await pilot.press("L")
        await settled(pilot)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while not view.drawing_ahead.under_way and loop.time() < deadline:
            await asyncio.sleep(0)  # between two slices, once it has begun
        assert view.drawing_ahead.under_way
        selected = screen.selected_deal
        await pilot.press("j")  # handled between two slices
        await pilot.pause()
        assert screen.selected_deal != selected
        for _ in range(500):  # it starts again after the key, and ends
            if not view.drawing_ahead.busy:
                break
            await asyncio.sleep(0.005)
        assert not view.drawing_ahead.busy
        composed = _Composed(view)
        await pilot.press("enter")
        await pilot.pause()
        assert composed.count == 0  # every line beside the panel was drawn ahead, after the key
        shown = _lines(view)
        assert shown == _fresh(view), "after a key pressed while drawing ahead"


async def test_focus_leaving_the_board_keeps_its_cards_drawn_and_a_new_theme_draws_them_again(
    sqlite_service, monkeypatch
):
    _seed(sqlite_service)
    app = make_app(sqlite_service)
    drawn = []
    draw = card_module.card_lines
    monkeypatch.setattr(
        "closedwon_tui.app.board.column_drawing.card_lines", lambda *a, **k: drawn.append(1) or draw(*a, **k)
    )
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _opened_once(pilot)
        before = _lines(view)
        drawn.clear()
        await pilot.press("/")  # the filter box takes the focus: Textual restyles the board
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert _lines(view) == before and drawn == []  # same styles: nothing drawn again
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        themed = _lines(view)
        assert drawn  # new styles: the cards are drawn again
        assert themed != before and themed == _fresh(view)
