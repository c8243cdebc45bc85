"""A deal won or lost from the board lands in its closed column with the cursor on it, in view."""

from __future__ import annotations

from closedwon_tui.app.board.card import CARD_HEIGHT
from tests.board_helpers import board, settled
from tests.conftest import still_app


async def test_a_deal_won_at_80x24_is_in_view_in_closed_won_with_the_cursor_on_it(demo):
    app = still_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = board(app)
        for _ in range(4):
            await pilot.press("l")
        title = screen.model.visible(screen.columns[screen.active].stage.id)[0].title
        await pilot.press("w")
        await settled(pilot)
        await pilot.pause()
        while screen is not app.screen:  # the look-back form: skipped
            await pilot.press("escape")
            await pilot.pause()
        await settled(pilot)
        active = screen.columns[screen.active]
        assert active.stage.name == "Closed Won"
        assert active.deals[active.selected].title == title
        top = active.selected * CARD_HEIGHT - active.scroll_y
        assert top >= 0 and top + CARD_HEIGHT <= active.area_height
