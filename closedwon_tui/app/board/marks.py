"""The cards marked for a bulk action (`space`, `*`, `escape`): which they are, in the board's
order, and showing them (a ✓ on each card, how many in the key bar)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from closedwon_tui.app.board.column import StageColumn
from closedwon_tui.app.board.model import BoardModel

#: Up to this many cards marked or unmarked at once are redrawn one by one; more, whole columns.
REPAINT_ONE_BY_ONE = 8


class Marks:
    """The marked deals by id. The columns share the set, so a card draws its own mark."""

    def __init__(self, columns: Callable[[], list[StageColumn]], show: Callable[[str], None]) -> None:
        self.ids: set[int] = set()
        self._columns = columns
        self._show = show

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, deal_id: object) -> bool:
        return deal_id in self.ids

    def in_board_order(self, model: BoardModel) -> list[int]:
        """The marked deals column by column, top to bottom (a bulk move keeps this order)."""
        if not self.ids:
            return []
        return [card.id for stage in model.stages for card in model.columns[stage.id] if card.id in self.ids]

    def toggle(self, deal_id: int) -> bool:
        """Mark or unmark one deal; whether it is marked now."""
        if deal_id in self.ids:
            self.ids.discard(deal_id)
        else:
            self.ids.add(deal_id)
        self._changed([deal_id])
        return deal_id in self.ids

    def add(self, deal_ids: Iterable[int]) -> int:
        """Mark these deals too; how many were not marked yet."""
        new = [deal_id for deal_id in deal_ids if deal_id not in self.ids]
        self.ids.update(new)
        self._changed(new)
        return len(new)

    def clear(self) -> None:
        cleared = list(self.ids)
        self.ids.clear()
        self._changed(cleared)

    def keep_only(self, model: BoardModel) -> None:
        """The board was read again: a deal that is gone is no longer marked."""
        gone = [deal_id for deal_id in self.ids if model.deal(deal_id) is None]
        if gone:
            self.ids.difference_update(gone)
            self._changed(gone)

    def _changed(self, deal_ids: list[int]) -> None:
        for column in self._columns():
            if len(deal_ids) > REPAINT_ONE_BY_ONE:
                column.refresh_column()
            else:
                for deal_id in deal_ids:
                    column.repaint_deal(deal_id)
        count = len(self.ids)
        self._show(f"✓ {count} marked" if count else "")
