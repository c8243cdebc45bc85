"""What the mouse does on the board, in the board's terms: the view finds the column and the card
under the pointer itself (a press, a click, a drag and its drop, the wheel), so the screen never
sees a coordinate. A mixin of `BoardView`, which declares the messages it posts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.geometry import Offset, Region

from closedwon_tui.app.board.column import StageColumn

if TYPE_CHECKING:
    from textual.message import Message
    from textual.screen import Screen

#: Lines one wheel step scrolls a column.
WHEEL_LINES = 3


class BoardMouse:
    """`BoardView`'s mouse (a mixin: the columns and where they are laid out live on the view)."""

    columns: list[StageColumn]
    shown: list[StageColumn]
    _x: dict[int, int]  # id(column) -> x, as laid out
    _press: tuple[StageColumn, int, Offset, bool] | None
    _dragging: bool

    if TYPE_CHECKING:
        region: Region
        screen: Screen[Any]
        CardPressed: Any
        CardClicked: Any
        DealDropped: Any
        DropMissed: Any

        def capture_mouse(self, capture: bool = True) -> None: ...
        def release_mouse(self) -> None: ...
        def post_message(self, message: Message) -> bool: ...
        def show_column(self, index: int, *, focused: bool = True) -> None: ...

    def column_at(self, screen_x: int, screen_y: int) -> tuple[StageColumn, int] | None:
        """The column under a screen point, and the line of the column it is on."""
        region = self.region
        if not region.contains(screen_x, screen_y):
            return None
        x, y = screen_x - region.x, screen_y - region.y
        for column in self.shown:
            left = self._x[id(column)]
            if left <= x < left + column.width:
                return column, y
        return None

    def column_origin(self, column: StageColumn) -> Offset | None:
        """Where the column's top-left corner is on the screen (None when it is not shown)."""
        x = self._x.get(id(column))
        return None if x is None else Offset(self.region.x + x, self.region.y)

    def _drop_target(self, screen_offset: Offset) -> tuple[StageColumn, int] | None:
        """The column a card let go here would land in, and before which visible card; None when
        something else (the key bar, a dialog) is on top of the point, or it is off the columns."""
        try:
            widget, _ = self.screen.get_widget_at(*screen_offset)
        except Exception:  # outside the screen
            return None
        if widget is not self:
            return None
        hit = self.column_at(*screen_offset)
        return None if hit is None else (hit[0], hit[0].drop_index_at(hit[1]))

    def _mark_drop(self, target: tuple[StageColumn, int] | None) -> None:
        for column in self.columns:
            if target is None or column is not target[0]:
                column.show_drop(None, False)
        if target is not None:
            target[0].show_drop(target[1], True)

    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        hit = self.column_at(event.screen_x, event.screen_y)
        if hit is None:
            return
        column, y = hit
        index = column.index_at(y)
        if index is None:
            return
        event.stop()
        was_selected = index == column.selected and column.active
        self._press = (column, column.deals[index].id, event.screen_offset, was_selected)
        self._dragging = False
        self.capture_mouse()
        self.post_message(self.CardPressed(column.stage.id, index))

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        if self._press is None:
            return
        _column, _deal_id, start, _ = self._press
        if not self._dragging and (abs(event.screen_x - start.x) + abs(event.screen_y - start.y)) >= 2:
            self._dragging = True
        if self._dragging:
            event.stop()
            self._mark_drop(self._drop_target(event.screen_offset))

    def _on_mouse_up(self, event: events.MouseUp) -> None:
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        self.release_mouse()
        if press is None:
            return
        event.stop()
        column, deal_id, _, was_selected = press
        if not dragging:
            self.post_message(self.CardClicked(column.stage.id, column.selected, was_selected))
            return
        target = self._drop_target(event.screen_offset)
        self._mark_drop(None)
        if target is None:
            self.post_message(self.DropMissed(deal_id))
        else:
            self.post_message(self.DealDropped(deal_id, target[0].stage.id, target[1]))

    def _wheel(self, event: events.MouseEvent, lines: int) -> None:
        hit = self.column_at(event.screen_x, event.screen_y)
        if hit is not None:
            event.stop()
            hit[0].scroll_to(hit[0].scroll_y + lines)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, WHEEL_LINES)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -WHEEL_LINES)

    def _on_mouse_scroll_right(self, event: events.MouseScrollRight) -> None:
        event.stop()
        self.show_column(min(len(self.columns) - 1, self.first + len(self.shown)), focused=False)

    def _on_mouse_scroll_left(self, event: events.MouseScrollLeft) -> None:
        event.stop()
        self.show_column(max(0, self.first - 1), focused=False)
