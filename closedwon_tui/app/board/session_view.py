"""What the board's session sees of the screen (its `SessionView`): the waiting line in the key
bar, a change drawn (only the columns it touched, the cursor, the panel), the questions a move
asks first, and the notifications. The board screen owns one and hands it to its session."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from closedwon_tui.app.board.writes import Follow, LostReason, Undo
from closedwon_tui.app.keybar import KeyBar
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.models import Change, DealCard, DealDetail, EventKind, StageChange

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen

#: A write that takes longer than this says so in the key bar (a quick one would only flicker).
WAITING_SHOWN_AFTER = 0.25
#: How long the key bar says what an undo or a redo took back, and a short note (nothing to undo).
UNDO_SAID_FOR = 4.0
SAID_FOR = 3.0


class BoardSessionView:
    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen
        self._waiting: tuple[str, asyncio.TimerHandle] | None = None

    def panel_deal(self) -> int | None:
        return self.screen.dock.deal_id

    def waiting(self, doing: str | None) -> None:
        """A write is on its way: after a moment, the key bar says what waits (keys keep working).

        A plain call on the event loop rather than a Textual timer: every write asks for one, and a
        timer is a task of its own, started and cancelled again within the few milliseconds a write
        takes."""
        if self._waiting is not None:
            self._waiting[1].cancel()
            self._waiting = None
        bar = self.screen.query_one(KeyBar)
        if doing is None:
            bar.set_status("")
            return
        shown = f"⏳ {doing}… (waiting for the database)"  # the key bar shows it literally
        later = asyncio.get_running_loop().call_later(
            WAITING_SHOWN_AFTER, lambda: bar.is_attached and bar.set_status(shown)
        )
        self._waiting = (shown, later)

    def show_change(self, change: Change[Any], stages: set[int], detail: DealDetail | None, follow: Follow) -> None:
        with self.screen.board_view.repainting_once():
            self._show_change(change, stages, detail, follow)

    def _show_change(self, change: Change[Any], stages: set[int], detail: DealDetail | None, follow: Follow) -> None:
        screen = self.screen
        kept = screen.cursor_deal
        changed = {deal.id for deal in change.deals}
        for column in screen.columns:
            column.forget_deals(changed)
            if column.stage.id in stages:
                column.cards_changed()  # only what moved is drawn again
        if follow is Follow.ALWAYS or (follow is Follow.CARD and kept in (None, change.deal.id)):
            screen.select_deal(change.deal.id)  # the selection follows the moved card
        elif kept is not None and kept in changed and self._moved_away(kept):
            screen.select_deal(kept)  # a bulk move took the card under the cursor: the cursor goes with it
        elif kept is not None:
            screen.reselect(kept)  # elsewhere (or the rep moved on meanwhile): the cursor stays on its deal
        if kept is not None and screen.selected_deal is None:
            self._to_nearest_card()  # the change emptied the cursor's column (its card now hidden, say)
        screen.dock.show_change(change, detail)
        screen.panel_ahead.changed()
        screen.dialogs.after_close(change)

    def _moved_away(self, deal_id: int) -> bool:
        """Whether the deal is now shown in another column than the cursor's."""
        found = self.screen.model.index_of(deal_id)
        return found is not None and found[0] != self.screen.column.stage.id

    def _to_nearest_card(self) -> None:
        """The cursor onto the first card of the nearest column that shows any (none: it stays)."""
        screen = self.screen
        here = screen.active
        shown = sorted((i for i, c in enumerate(screen.columns) if c.deals), key=lambda i: (abs(i - here), i))
        if shown:
            screen.select_deal(screen.columns[shown[0]].deals[0].id)

    def ask_lost_reason(self, deal: DealCard, position: int | None) -> None:
        self.screen.dialogs.ask_lost_reason(deal, position)

    def ask_lost_reasons(self, deals: list[DealCard], answered: Callable[[LostReason], None]) -> None:
        self.screen.dialogs.ask_lost_reasons(deals, answered)

    def ask_settle(self, deals: list[DealCard], answered: Callable[[bool], None]) -> None:
        self.screen.dialogs.ask_settle(deals, answered)

    def stages_changed(self, change: StageChange, undo: Undo) -> None:
        self.screen.pipelines.stages_changed(change)

    def show_undo(self, change: Change[Any]) -> None:
        from closedwon_tui.domain.timeline import describe_event

        assert change.event is not None
        names = {s.id: s.name for s in self.screen.model.stages}
        said = describe_event(change.event, names).capitalize()
        if change.is_bulk:
            verb = "Undid" if change.kind is EventKind.UNDONE else "Redid"
            said = f"{verb} the change to {len(change.leads)} deals"
        self.screen.query_one(KeyBar).say(said, UNDO_SAID_FOR)

    def show_error(self, message: str, *, conflict: bool) -> None:
        if conflict:
            notify_literal(self.screen, message, title="Changed elsewhere", severity="error", timeout=6)
            self.screen.sync.reload()
        else:
            notify_literal(self.screen, message, severity="error", timeout=5)

    def say(self, message: str) -> None:
        self.screen.query_one(KeyBar).say(message, SAID_FOR)

    def reload_board(self) -> None:
        self.screen.sync.reload()
