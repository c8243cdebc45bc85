"""Snapshots of the panel, its forms and the agenda on the demo pipeline, with a frozen clock (the suite runs in UTC).

The panel is shown in the small test app beside a stand-in board; snapshots of the real board with the
panel open come with the board's own snapshot tests."""

from __future__ import annotations

from closedwon_tui.app.agenda import AgendaScreen
from tests.conftest import still_app
from tests.test_panel_harness import PanelApp

#: A demo deal in Proposal with an objection, a follow-up, a note and a few moves.
DEMO_DEAL = 22


def test_panel_overview(snap_compare, demo):
    assert snap_compare(PanelApp(demo, DEMO_DEAL), terminal_size=(120, 40))


def test_panel_history(snap_compare, demo):
    assert snap_compare(PanelApp(demo, DEMO_DEAL), press=["5"], terminal_size=(120, 40))


def test_panel_followups_small_terminal(snap_compare, demo):
    assert snap_compare(PanelApp(demo, DEMO_DEAL), press=["3"], terminal_size=(80, 24))


def test_objection_form_small_terminal(snap_compare, demo):
    assert snap_compare(PanelApp(demo, DEMO_DEAL), press=["o", "1", *"too pricey"], terminal_size=(80, 24))


def test_followup_form(snap_compare, demo):
    assert snap_compare(
        PanelApp(demo, DEMO_DEAL), press=["f", "2", "enter", *"send revised quote"], terminal_size=(120, 40)
    )


def test_agenda(snap_compare, demo):
    async def open_agenda(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.push_screen(AgendaScreen())

    assert snap_compare(PanelApp(demo), run_before=open_agenda, terminal_size=(120, 40))


def test_panel_open_on_the_board(snap_compare, demo):
    """The real board with the panel open beside it, as a rep sees it after `enter` on a card."""

    async def open_panel(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.sub_title = "demo"  # the database path differs on every run
        screen = pilot.app.screen
        assert screen.select_deal(DEMO_DEAL)
        screen.action_open_panel()
        await pilot.pause()
        await pilot.press("tab", "5")
        await pilot.pause()

    assert snap_compare(still_app(demo), run_before=open_panel, terminal_size=(120, 40))
