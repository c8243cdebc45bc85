"""Mouse on the board: click to select, drag a card to another column or place.

A card list captures the mouse on press and reports where the pointer goes; this
mixin finds the column under it, marks the insertion point, and on release asks the
board to move the deal there. A release anywhere but a column changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closedwon_tui.app.board.column import CardList, StageColumn

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen

    _Base = BoardScreen
else:
    _Base = object


class BoardMouse(_Base):
    def on_card_list_pressed(self, event: CardList.Pressed) -> None:
        column_index = next(i for i, c in enumerate(self.columns) if c.cards is event.column)
        event.column.select(event.index)
        self._activate(column_index)
        self.focus_board()

    def on_card_list_clicked(self, event: CardList.Clicked) -> None:
        if event.was_selected:
            self.action_open_panel()

    def on_card_list_drag_moved(self, event: CardList.DragMoved) -> None:
        target = self._column_at(event.screen_offset.x, event.screen_offset.y)
        if self._drop_column is not None and self._drop_column is not target:
            self._drop_column.remove_class("-drop-target")
            self._drop_column.cards.show_drop(None)
        self._drop_column = target
        if target is not None:
            target.add_class("-drop-target")
            target.cards.show_drop(target.cards.drop_index_at(event.screen_offset.y))

    def on_card_list_drag_released(self, event: CardList.DragReleased) -> None:
        target = self._column_at(event.screen_offset.x, event.screen_offset.y)
        self._clear_drop_marks()
        assert self.model is not None
        deal = self.model.deal(event.deal_id)
        if target is None or deal is None:
            self.notify("Dropped outside the columns: nothing moved", timeout=2)
            return
        index = target.cards.drop_index_at(event.screen_offset.y)
        position = self.model.drop_position(target.stage.id, index, deal)
        if target.stage.id == deal.stage_id:
            self._perform(lambda: self.service.reorder_deal(deal.id, position, expected_version=deal.version))
        else:
            self.move_deal(deal, target.stage, position)

    def _clear_drop_marks(self) -> None:
        for column in self.columns:
            column.remove_class("-drop-target")
            column.cards.show_drop(None)
        self._drop_column = None

    def _column_at(self, x: int, y: int) -> StageColumn | None:
        try:
            widget, _ = self.get_widget_at(x, y)
        except Exception:  # outside the screen
            return None
        for node in widget.ancestors_with_self:
            if isinstance(node, StageColumn):
                return node
        return None
