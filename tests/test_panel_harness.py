"""A small app that holds a service like ClosedwonApp and shows the deal panel beside a stand-in board,
used by the panel tests; and the panel's basic contract (show_deal never raises)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from closedwon_tui.app.panel import DealPanel
from closedwon_tui.app.panel.commands import PanelCommands
from closedwon_tui.services import PipelineService


class PanelApp(App[None]):
    """The panel open on one deal, focused, as the board will show it."""

    CSS = "DealPanel { display: block; }"
    COMMANDS = App.COMMANDS | {PanelCommands}

    def __init__(self, service: PipelineService, deal_id: int | None = None) -> None:
        super().__init__()
        self.service = service
        self.start_deal = deal_id
        self.changed: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static("board", id="board")
        yield DealPanel()
        yield Footer()

    def on_mount(self) -> None:
        panel = self.query_one(DealPanel)
        panel.show_deal(self.start_deal)
        panel.focus()

    def on_deal_panel_deal_changed(self, message: DealPanel.DealChanged) -> None:
        self.changed.append(message.deal_id)

    @property
    def panel(self) -> DealPanel:
        return self.query_one(DealPanel)


async def test_an_unknown_deal_shows_an_empty_panel_without_raising(sqlite_service):
    async with PanelApp(sqlite_service, deal_id=999).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.panel.deal_id is None
        assert "no longer exists" in str(pilot.app.query_one("#panel-title", Static).render())
        pilot.app.panel.show_deal(None)
        assert pilot.app.panel.deal_id is None


async def test_a_deal_deleted_while_shown_empties_the_panel(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", company="Helios Energy").deal
    async with PanelApp(sqlite_service, deal_id=deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.panel.deal_id == deal.id
        pilot.app.panel.show_deal(deal.id + 100)
        await pilot.pause()
        assert pilot.app.panel.deal_id is None


async def test_a_deal_shown_while_the_panel_mounts_is_drawn_once_it_has(sqlite_service):
    deal = sqlite_service.create_deal("Helios rollout", company="Helios Energy").deal
    app = PanelApp(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        late = DealPanel(id="late")
        late.display = True
        mounting = app.mount(late)  # the board may call show_deal before the panel has finished mounting
        late.show_deal(deal.id)
        assert not late.is_mounted
        await mounting
        await pilot.pause()
        assert late.deal_id == deal.id
        assert "Helios rollout" in str(late.query_one("#panel-title", Static).render())


async def test_focus_and_keys_before_the_panel_has_mounted_do_not_crash(sqlite_service):
    """The board opens the panel and focuses it in one go (tab on a closed panel)."""
    deal = sqlite_service.create_deal("Helios rollout").deal
    sqlite_service.schedule_followup(deal.id, "tomorrow", "call")
    app = PanelApp(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        late = DealPanel(id="late")
        mounting = app.mount(late)
        late.show_deal(deal.id)
        late.focus()
        late.action_show_tab("followups")
        assert late.active_tab == "overview"
        assert late.selected_followup() is None
        assert [late.check_action(a, ()) for a in ("complete_followup", "address_objection")] == [False, False]
        await mounting
        await pilot.pause()
        assert late.has_focus_within
        assert app.focused is late.query_one("#overview-view")
