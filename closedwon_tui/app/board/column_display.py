"""Which cards the board's columns show, and in what order: `s` sorts the focused column, a drag
or `K`/`J` in a sorted column puts it back in its manual order, and `C` shows every closed deal
(read when first needed: the board opens with this quarter's outcomes only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closedwon_tui.app.app import app_of
from closedwon_tui.app.board.model import long_lived
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.card_order import ColumnOrder

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen


class ColumnDisplay:
    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen

    def cycle_order(self) -> None:
        """`s`: the focused column in its next order; the cursor stays on its deal."""
        screen = self.screen
        column = screen.column
        order = screen.model.order(column.stage.id).following
        kept = screen.selected_deal
        screen.model.set_order(column.stage.id, order)
        column.refresh_column(same_cards=True)
        if kept is not None:
            screen.reselect(kept.id)
        screen.view.say(f"{column.stage.name}: {order.value} order")

    def back_to_manual(self, stage_id: int, why: str) -> bool:
        """A sorted column goes back to its manual order (what dragging and K/J change); True if it was sorted."""
        screen = self.screen
        if screen.model.order(stage_id) is ColumnOrder.MANUAL:
            return False
        screen.model.set_order(stage_id, ColumnOrder.MANUAL)
        screen.refresh_columns([stage_id], same_cards=True)
        if screen.cursor_deal is not None:
            screen.reselect(screen.cursor_deal)
        notify_literal(screen, f"{screen.model.stage_by_id[stage_id].name} is back in manual order: {why}", timeout=4)
        return True

    def complete_column(self, stage_id: int) -> None:
        """A place in a closed column counts its older deals too: read them if the board opened without."""
        if self.screen.model.stage_by_id[stage_id].is_closed:
            self.complete_board()

    def complete_board(self) -> None:
        """Read the older closed deals the board opened without (`C` shows them; a place counts them)."""
        model = self.screen.model
        if not model.complete:
            with long_lived():
                pipeline = None if model.pipeline is None else model.pipeline.id
                model.add_older_closed(
                    app_of(self.screen).service.older_closed_cards(model.closed_since, pipeline=pipeline)
                )
            self.screen.refresh_columns(s.id for s in model.stages if s.is_closed)

    def toggle_closed(self) -> None:
        """`C`: every closed deal, or this quarter's outcomes only."""
        model = self.screen.model
        if not model.show_all_closed:
            self.complete_board()
        model.set_show_all_closed(not model.show_all_closed)
        self.screen.refresh_columns(s.id for s in model.stages if s.is_closed)
        shown = "Showing all closed deals" if model.show_all_closed else "Showing this quarter's outcomes"
        notify_literal(self.screen, shown, timeout=2)
