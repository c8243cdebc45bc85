"""The deal panel docked beside the board: mounted the first time it is opened, following the
selected card while open. The board screen owns one and asks it; it never writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.widget import Widget

from closedwon_tui.app.board.panel_ahead import FRESH_FOR
from closedwon_tui.domain.models import Change, DealDetail

if TYPE_CHECKING:
    from closedwon_tui.app.panel import DealPanel


class PanelDock:
    def __init__(self, screen: Screen[Any], container: Callable[[], Widget]) -> None:
        self.screen = screen
        self._container = container
        self._panel: DealPanel | None = None
        #: The deal drawn ahead into the closed panel: (deal id, the model's token, when).
        self._ahead: tuple[int, object, float] | None = None

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

    def open(self, deal_id: int, token: object = None, now: float = 0.0) -> None:
        """Show the panel on the deal: drawn ahead for it (see `panel_ahead`), or read and drawn now."""
        panel = self.panel
        ready = self.ready_for(deal_id, token, now)
        self._ahead = None
        panel.display = True
        if ready:
            return
        panel.show_deal(deal_id)
        if not panel.is_mounted:  # first opening: draw once it is mounted
            self.screen.call_after_refresh(lambda: panel.show_deal(deal_id))

    def close(self) -> None:
        if self._panel is not None:
            self._panel.display = False

    # drawn ahead while closed (see panel_ahead.py) ------------------------------
    @property
    def can_draw_ahead(self) -> bool:
        """The panel exists (it has been opened once) and is closed."""
        return self._panel is not None and self._panel.is_mounted and not self._panel.display

    def draw_ahead(self, detail: DealDetail, token: object, now: float) -> None:
        """Draw the deal into the closed panel, for the board's model at `token`."""
        panel = self.panel
        panel.show_detail(detail)
        panel.draw_ahead()
        self._ahead = (detail.deal.id, token, now)

    def ready_for(self, deal_id: int, token: object, now: float) -> bool:
        """Whether the closed panel shows the deal as the board's model at `token` has it, drawn
        less than `FRESH_FOR` seconds before `now`."""
        ahead = self._ahead
        return (
            ahead is not None
            and ahead[0] == deal_id
            and ahead[1] == token
            and 0 <= now - ahead[2] < FRESH_FOR
            and self._panel is not None
            and self._panel.deal_id == deal_id
        )

    def focus(self) -> None:
        self.panel.focus()

    def show_change(self, change: Change[Any], detail: DealDetail | None) -> None:
        """A change landed: the open panel redraws when it shows that deal."""
        if self.is_open and self._panel is not None:
            part = next((p for p in change.parts if p.deal.id == self._panel.deal_id), change)
            self._panel.show_change(part, detail)
