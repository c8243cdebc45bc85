"""A small app that holds a service like ClosedwonApp and shows the deal panel beside a stand-in board,
used by the panel tests; and the panel's basic contract (show_deal never raises)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from closedwon_tui.app.activity import ActivityForms
from closedwon_tui.app.app import ClosedwonApp, app_of
from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.panel import DealPanel
from closedwon_tui.app.panel.commands import PanelCommands
from closedwon_tui.app.workers import WorkerRunner
from closedwon_tui.services import PipelineService


class PanelHost(Screen[None]):
    """A stand-in board: the panel beside it, its requests going through a real BoardSession."""

    COMMANDS = {PanelCommands}
    CSS = "DealPanel { display: block; }"

    def compose(self) -> ComposeResult:
        service = app_of(self).service
        self.session = BoardSession(service, BoardModel(service.board(), service.now()), self, WorkerRunner(self))
        self.forms = ActivityForms(self.app, self.session)
        yield Static("board", id="board")
        yield DealPanel()
        yield Footer()

    def on_mount(self) -> None:
        panel = self.query_one(DealPanel)
        panel.show_deal(self._app().start_deal)
        panel.focus()

    def on_deal_panel_requested(self, message: DealPanel.Requested) -> None:
        message.run(self.forms)

    def _app(self) -> PanelApp:
        app = self.app
        assert isinstance(app, PanelApp)
        return app

    # what the session asks of its view
    def panel_deal(self) -> int | None:
        return self.query_one(DealPanel).deal_id

    def waiting(self, doing: str | None) -> None:
        pass

    def show_change(self, change: Any, stages: set[int], detail: Any, follow: Any) -> None:
        self._app().changed.append(change.deal.id)
        self.query_one(DealPanel).show_change(change, detail)

    def show_undo(self, change: Any) -> None:
        pass

    def show_error(self, message: str, *, conflict: bool) -> None:
        self.notify(message, severity="error", markup=False)

    def say(self, message: str) -> None:
        self.notify(message, markup=False)

    def ask_lost_reason(self, deal: Any, position: int | None) -> None:  # pragma: no cover - no moves here
        raise AssertionError("the panel never moves a deal")

    def reload_board(self) -> None:  # pragma: no cover - no moves here
        raise AssertionError("the panel never moves a deal")


class PanelApp(ClosedwonApp):
    """The panel open on one deal, focused, as the board will show it."""

    TITLE = "PanelApp"
    MODES = {"panel": PanelHost}
    DEFAULT_MODE = "panel"

    def __init__(self, service: PipelineService, deal_id: int | None = None) -> None:
        super().__init__(service, celebrate=False)
        self.start_deal = deal_id
        self.changed: list[int] = []

    @property
    def panel(self) -> DealPanel:
        return self.screen_stack[0].query_one(DealPanel)

    @property
    def session(self) -> BoardSession:
        host = self.screen_stack[0]
        assert isinstance(host, PanelHost)
        return host.session


async def test_an_unknown_deal_shows_an_empty_panel_without_raising(sqlite_service):
    async with PanelApp(sqlite_service, deal_id=999).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.panel.deal_id is None
        assert "Cannot show deal #999" in str(pilot.app.panel.query_one("#panel-title", Static).render())
        pilot.app.panel.show_deal(None)
        assert pilot.app.panel.deal_id is None


async def test_a_deal_that_cannot_be_read_any_more_empties_the_panel_and_says_why(
    tmp_path, sqlite_template, clock, monkeypatch
):
    """The database went away under the open panel (deals themselves are never deleted): the next
    read fails, and the panel says so and shows nothing rather than raising."""
    from closedwon_tui.services import PipelineService
    from tests.conftest import open_migrated

    path = tmp_path / "gone.db"
    db = open_migrated(sqlite_template, path)
    service = PipelineService(db, clock=clock, actor="dana")
    deal = service.create_deal("Helios rollout", company="Helios Energy").deal
    async with PanelApp(service, deal_id=deal.id).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.panel.deal_id == deal.id
        said: list[str] = []
        monkeypatch.setattr(pilot.app, "notify", lambda message, **_: said.append(message))
        db.engine.dispose()
        path.unlink()  # the file is gone: SQLite opens an empty one, without the tables
        pilot.app.panel.show_deal(deal.id)
        await pilot.pause()
        assert pilot.app.panel.deal_id is None
        assert "Cannot show deal" in str(pilot.app.panel.query_one("#panel-title", Static).render())
        assert any("no such table" in message for message in said)
    db.close()


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
        assert app.focused is late.query_one("#overview")
