"""The closedwon Textual application."""

from __future__ import annotations

from textual.app import App

from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings


class ClosedwonApp(App[None]):
    TITLE = "closedwon"

    def __init__(self, service: PipelineService, *, settings: Settings | None = None, celebrate: bool = True) -> None:
        super().__init__()
        self.service = service
        self.settings = settings or Settings()
        self.celebrate = celebrate
        if self.settings.theme:
            self.theme = self.settings.theme

    def on_mount(self) -> None:
        from closedwon_tui.app.board.screen import BoardScreen

        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.push_screen(BoardScreen())
