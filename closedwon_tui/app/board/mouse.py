"""Mouse on the board: click to select, drag a card to another column or place.

The board view captures the mouse on a card press and reports where the pointer goes;
this mixin finds the column under it, marks the insertion point, and on release asks
the board to move the deal there. A release anywhere but a column changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closedwon_tui.app.board.column import StageColumn
from closedwon_tui.app.board.view import BoardView

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen

    _Base = BoardScreen
else:
    _Base = object


class BoardMouse(_Base):
    def on_board_view_pressed(self, event: BoardView.Pressed) -> None:
        column_index = self.columns.index(event.column)
        event.column.select(event.index)
        self._activate(column_index)
        self.focus_board()

    def on_board_view_clicked(self, event: BoardView.Clicked) -> None:
        if event.was_selected:
            self.action_open_panel()

    def on_board_view_drag_moved(self, event: BoardView.DragMoved) -> None:
        hit = self._column_at(event.screen_offset.x, event.screen_offset.y)
        target = None if hit is None else hit[0]
        if self._drop_column is not None and self._drop_column is not target:
            self._drop_column.show_drop(None, False)
        self._drop_column = target
        if hit is not None:
            hit[0].show_drop(hit[0].drop_index_at(hit[1]), True)

    def on_board_view_drag_released(self, event: BoardView.DragReleased) -> None:
        hit = self._column_at(event.screen_offset.x, event.screen_offset.y)
        self._clear_drop_marks()
        assert self.model is not None
        deal = self.model.deal(event.deal_id)
        if hit is None or deal is None:
            self.notify("Dropped outside the columns: nothing moved", timeout=2)
            return
        target, line = hit
        position = self.model.drop_position(target.stage.id, target.drop_index_at(line), deal)
        if target.stage.id == deal.stage_id:
            self._perform(lambda: self.service.reorder_deal(deal.id, position, expected_version=deal.version))
        else:
            self.move_deal(deal, target.stage, position)

    def _clear_drop_marks(self) -> None:
        for column in self.columns:
            column.show_drop(None, False)
        self._drop_column = None

    def _column_at(self, x: int, y: int) -> tuple[StageColumn, int] | None:
        """The column under a screen point (and the line of it), when nothing covers the board there."""
        try:
            widget, _ = self.get_widget_at(x, y)
        except Exception:  # outside the screen
            return None
        if widget is not self.board_view:
            return None
        return self.board_view.column_at(x, y)
