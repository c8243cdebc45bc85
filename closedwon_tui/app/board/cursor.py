"""The board's cursor: the column and card selected, and how it moves (the arrows and `h` `j` `k`
`l`, onto a deal by id, kept on its deal when its column changes). A part of `BoardScreen`, which
holds the columns, the panel dock and the filter it reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closedwon_tui.app.board.column import StageColumn
from closedwon_tui.domain.models import DealCard

if TYPE_CHECKING:
    from closedwon_tui.app.board.column_display import ColumnDisplay
    from closedwon_tui.app.board.filter_box import FilterBox
    from closedwon_tui.app.board.loading import BoardLoading
    from closedwon_tui.app.board.model import BoardModel
    from closedwon_tui.app.board.panel_ahead import PanelAhead
    from closedwon_tui.app.board.panel_dock import PanelDock
    from closedwon_tui.app.board.view import BoardView


class BoardCursor:
    """`BoardScreen`'s selection (a mixin: its state lives on the screen)."""

    columns: list[StageColumn]
    active: int
    cursor_deal: int | None
    dock: PanelDock
    panel_ahead: PanelAhead
    board_view: BoardView
    filter_box: FilterBox
    column_display: ColumnDisplay
    board_load: BoardLoading
    is_mounted: bool

    if TYPE_CHECKING:

        @property
        def model(self) -> BoardModel: ...

    @property
    def column(self) -> StageColumn:
        return self.columns[self.active]

    @property
    def selected_deal(self) -> DealCard | None:
        deals = self.column.deals
        index = self.column.selected
        return deals[index] if 0 <= index < len(deals) else None

    def to_a_shown_card(self) -> None:
        """When the filter empties the cursor's column, the cursor goes to the first card it shows."""
        if (
            not self.column.deals
            and (shown := next((i for i, c in enumerate(self.columns) if c.deals), None)) is not None
        ):
            self._activate(shown)

    def _activate(self, index: int) -> None:
        index = max(0, min(index, len(self.columns) - 1))
        if index != self.active:
            self.columns[self.active].set_active(False)  # only the two columns that change restyle
        self.columns[index].set_active(True)
        self.active = index
        self.board_view.show_column(index)
        self._selection_changed()

    def _selection_changed(self) -> None:
        deal = self.selected_deal
        # Known from the first selection on (the one made while the board mounts too), so that a
        # change landing before any key is pressed knows which card the cursor is on.
        self.cursor_deal = None if deal is None else deal.id
        if self.is_mounted:
            self.dock.follow(self.cursor_deal)
            self.panel_ahead.changed()

    def _column_of(self, stage_id: int) -> int:
        return next(i for i, c in enumerate(self.columns) if c.stage.id == stage_id)

    def select_deal(self, deal_id: int) -> bool:
        """Focus the deal's column and select its card (clearing a filter that hides it)."""
        found = self.model.index_of(deal_id)
        if found is None and self.model.filter_text:
            self.filter_box.clear()
            found = self.model.index_of(deal_id)
        if found is None and not self.model.show_all_closed:
            self.column_display.toggle_closed()
            found = self.model.index_of(deal_id)
        if found is None:
            return False
        stage_id, index = found
        column_index = self._column_of(stage_id)
        self.columns[column_index].select(index)
        self._activate(column_index)
        return True

    def reselect(self, deal_id: int) -> None:
        """Keep the cursor on the same deal after its column changed, without moving focus."""
        found = self.model.index_of(deal_id)
        if found is not None and found[0] == self.column.stage.id:
            self.column.select(found[1])

    # keys: navigation (after any key still waiting for a big board's rest: see BoardLoading) -----
    def action_column(self, delta: int) -> None:
        self.board_load.run(lambda: self._activate(self.active + delta))

    def action_card(self, delta: int) -> None:
        self.board_load.run(lambda: self._select(self.column.selected + delta))

    def action_card_edge(self, last: int) -> None:
        if last:  # the last card of a column read in part is not here yet
            self.board_load.run(lambda: self._select(len(self.column.deals) - 1), "The last card")
        else:
            self.board_load.run(lambda: self._select(0))

    def _select(self, index: int) -> None:
        self.column.select(index)
        self._selection_changed()
