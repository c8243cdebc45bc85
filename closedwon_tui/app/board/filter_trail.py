"""The filters typed on the way to the board's current one, with what each showed.

Typing a filter narrows it key by key (`ren`, `rene`, `renew`...): each filter shows only cards the
one before showed. The board keeps what each of those filters showed (per column, the cards and
their sums) so that a backspace, or escape back to no filter, shows an earlier filter's cards again
without testing or counting a card, and a filter typed further starts from the nearest one it narrows.
Pure Python, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from closedwon_tui.app.board.sums import ColumnSums, ColumnTotals
from closedwon_tui.domain.filters import DealFilter
from closedwon_tui.domain.models import DealCard

#: Filters kept (the first, usually no filter, is always kept): more than anyone types in one go.
MAX_KEPT = 64


@dataclass
class Shown:
    """What one filter showed, for the columns worked out while it was applied."""

    filter: DealFilter
    visible: dict[int, list[DealCard]] = field(default_factory=dict)
    sums: dict[int, ColumnSums] = field(default_factory=dict)
    totals: dict[int, ColumnTotals] = field(default_factory=dict)
    #: A column's shown cards (the list in `visible`) with their searchable texts in the same order,
    #: made when a free word typed further is looked for in them: one `in` per card, no look-up.
    texts: dict[int, tuple[list[DealCard], list[str]]] = field(default_factory=dict)

    def forget(self, stage_id: int) -> None:
        self.visible.pop(stage_id, None)
        self.sums.pop(stage_id, None)
        self.totals.pop(stage_id, None)
        self.texts.pop(stage_id, None)


class FilterTrail:
    """Earlier filters, each narrowed by the next (the current filter narrows the last)."""

    def __init__(self) -> None:
        self._kept: list[Shown] = []

    def __len__(self) -> int:
        return len(self._kept)

    def push(self, shown: Shown) -> None:
        self._kept.append(shown)
        if len(self._kept) > MAX_KEPT:
            del self._kept[1]

    def back_to(self, new: DealFilter) -> tuple[Shown | None, bool]:
        """The latest filter kept that is `new` (True) or that `new` narrows (False), and forget the
        ones after it (and it, when it is `new`: it becomes the current one again). (None, False)
        when there is none: nothing kept is of use, and nothing is kept any more."""
        for index in range(len(self._kept) - 1, -1, -1):
            shown = self._kept[index]
            if shown.filter.text == new.text:
                del self._kept[index:]
                return shown, True
            if new.narrows(shown.filter):
                del self._kept[index + 1 :]
                return shown, False
        self._kept.clear()
        return None, False

    def forget(self, stage_ids: Iterable[int]) -> None:
        """These columns changed: what any filter kept showed there is stale."""
        for stage_id in stage_ids:
            for shown in self._kept:
                shown.forget(stage_id)

    def clear(self) -> None:
        self._kept.clear()
