"""The deal panel docked beside the board: mounted the first time it is opened, following the
selected card while open. The board screen owns one and asks it; it never writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.widget import Widget

from closedwon_tui.domain.models import Change, DealDetail

if TYPE_CHECKING:
    from closedwon_tui.app.panel import DealPanel


class PanelDock:
    def __init__(self, screen: Screen[Any], container: Callable[[], Widget]) -> None:
        self.screen = screen
        self._container = container
        self._panel: DealPanel | None = None

    @property
    def panel(self) -> DealPanel:
        """The panel, mounted the first time it is needed (the board opens faster without it)."""
        if self._panel is None:
            from closedwon_tui.app.panel import DealPanel  # imported when first opened: a faster start

            self._panel = DealPanel(id="panel")
            self._container().mount(self._panel)
        return self._panel

    @property
    def is_open(self) -> bool:
        return self._panel is not None and bool(self._panel.display)

    @property
    def deal_id(self) -> int | None:
        """The deal the open panel shows."""
        return self._panel.deal_id if self.is_open and self._panel is not None else None

    def has_focus(self) -> bool:
        focused = self.screen.focused
        return self._panel is not None and focused is not None and self._panel in focused.ancestors_with_self

    def follow(self, deal_id: int | None) -> None:
        """The selection moved: the open panel shows the selected deal."""
        if self.is_open and deal_id != self.panel.deal_id:
            self.panel.show_deal(deal_id)

    def open(self, deal_id: int) -> None:
        panel = self.panel
        panel.display = True
        panel.show_deal(deal_id)
        if not panel.is_mounted:  # first opening: draw once it is mounted
            self.screen.call_after_refresh(lambda: panel.show_deal(deal_id))

    def close(self) -> None:
        if self._panel is not None:
            self._panel.display = False

    def focus(self) -> None:
        self.panel.focus()

    def show_change(self, change: Change[Any], detail: DealDetail | None) -> None:
        """A change landed: the open panel redraws when it shows that deal."""
        if self.is_open and self._panel is not None:
            part = next((p for p in change.parts if p.deal.id == self._panel.deal_id), change)
            self._panel.show_change(part, detail)
