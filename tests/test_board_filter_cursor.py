"""After a filter (typed with `/` or a saved view with `v`), the cursor is on a card the filter
shows: a rep who filters for one deal and presses `w` wins that deal, instead of nothing
happening because the cursor stayed in a column the filter emptied."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.models import StageKind
from tests.board_helpers import board, make_app, seed, settled


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


async def test_a_filter_that_empties_the_cursors_column_puts_it_on_a_shown_card(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        assert screen.selected_deal.title == "Atlas renewal"  # Outreach
        await pilot.press("slash", *"polar", "enter")
        await pilot.pause()
        assert screen.selected_deal is not None and screen.selected_deal.title == "Polar routes"
        await pilot.press("w")
        await settled(pilot)
        won = sqlite_service.stage(sqlite_service.deal(ids["Polar routes"]).stage_id)
        assert won.kind is StageKind.WON


async def test_a_saved_view_puts_the_cursor_on_a_shown_card(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service, views={"big": "amount>40k"})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("v", "down", "enter")
        await pilot.pause()
        assert screen.selected_deal is not None and screen.selected_deal.title in {"Helios rollout", "Polar routes"}


async def test_a_filter_that_keeps_the_cursors_card_leaves_the_cursor_alone(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("right", "right", "down")  # Analysis, Orbital fleet
        await pilot.press("slash", *"o", "enter")
        await pilot.pause()
        assert screen.selected_deal.title == "Orbital fleet"
