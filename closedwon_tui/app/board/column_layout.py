"""How the board shares its width between its columns: which columns fit, around the focused one,
and how wide each is. One rule for the layout the board has and for the one it is drawn ahead at
(beside the panel, or without it: see `drawing_ahead`)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import NamedTuple

from closedwon_tui.app.board.column import StageColumn

#: Narrower than this and a card is unreadable: the board shows fewer columns instead.
MIN_COLUMN_WIDTH = 16


class Arrangement(NamedTuple):
    """The columns shown at a size, from `first`, each with its width (and its left edge)."""

    width: int
    height: int
    first: int
    shown: list[StageColumn]
    widths: list[int]

    @property
    def key(self) -> Hashable:
        """What the board's lines are kept by: the same size and first column draw the same lines."""
        return (self.width, self.height, self.first)


def fit_count(count: int, width: int) -> int:
    """How many of `count` columns fit in `width` cells (at least one)."""
    return count if count * MIN_COLUMN_WIDTH <= width else max(1, width // MIN_COLUMN_WIDTH)


def arrange(columns: Sequence[StageColumn], width: int, height: int, first: int, focused: int) -> Arrangement:
    """The columns that fit in `width`, from `first` unless the `focused` one would then be hidden
    (narrower now: the view follows the focus), sharing the width (the first ones take a cell of
    what does not divide evenly)."""
    fit = fit_count(len(columns), width)
    if fit and not first <= focused < first + fit:
        first = focused if focused < first else focused - fit + 1
    first = max(0, min(first, len(columns) - fit))
    shown = list(columns[first : first + fit])
    each = width // fit if fit else 0
    spare = max(0, width - each * fit)
    return Arrangement(width, height, first, shown, [each + (1 if i < spare else 0) for i in range(len(shown))])
