"""A colleague's change on a shared database reaches the open board."""

from __future__ import annotations

from closedwon_tui.services import PipelineService
from tests.board_helpers import board, make_app, seed, settled


async def test_a_change_made_elsewhere_shows_up_on_the_board(sqlite_service, clock):
    ids = seed(sqlite_service)
    colleague = PipelineService(sqlite_service.db, clock=clock, actor="marcus")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = board(app)
        await pilot.press("L")  # our own change: no reload needed for it
        await settled(pilot)
        colleague.move_deal(ids["Polar routes"], "Proposal")
        screen.sync.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        proposal = sqlite_service.stage("Proposal")
        assert "Polar routes" in [d.title for d in screen.model.visible(proposal.id)]
        assert screen.selected_deal.id == ids["Atlas renewal"]  # the selection stays where it was


async def test_our_own_changes_do_not_reload_the_board(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("L")
        await settled(pilot)
        model = screen.model
        screen.sync.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.model is model
