"""The celebration's still frame, as a rep sees it with animations off (deterministic: frozen clock, seeded confetti)."""

from __future__ import annotations

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.closing import CelebrationScreen, celebrate
from closedwon_tui.settings import Settings
from tests.test_closing_service import seed_quarter


def test_the_celebrations_still_frame(snap_compare, sqlite_service, clock):
    ids = seed_quarter(sqlite_service, clock)
    change = sqlite_service.mark_won(ids["H"])
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=True)
    app.animation_level = "none"  # what TEXTUAL_ANIMATIONS=none sets

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        celebrate(pilot.app, change, pilot.app.screen.dialogs.lookback_answered)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, CelebrationScreen)

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)
