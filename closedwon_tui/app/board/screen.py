"""The board: one column per stage. (A first version: a plain list per stage.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class BoardScreen(Screen[None]):
    BINDINGS = [Binding("q", "app.quit", "Quit", id="app.quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        board = self.app.service.board()  # type: ignore[attr-defined]
        with Horizontal():
            for stage in board.stages:
                deals = [d for d in board.deals if d.stage_id == stage.id]
                lines = [f"{stage.name} ({len(deals)})", ""] + [d.title for d in deals]
                yield Static(Content("\n".join(lines)))
        yield Footer()
