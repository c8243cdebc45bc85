"""The board's screen lines as last composed, kept for each of its last few layouts.

Opening the deal panel narrows the board and closing it widens it again: with the lines of
both widths kept, going back and forth composes nothing again. A change to what a column
shows forgets its lines in every layout, since the same line at another width shows the same
cards.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.strip import Strip

#: How many layouts are kept: the board with and without the panel, and a spare.
LAYOUTS = 3


class DrawnLines:
    def __init__(self, layouts: int = LAYOUTS) -> None:
        self._layouts = layouts
        self._lines: dict[Hashable, dict[int, Strip]] = {}

    def lines(self, layout: Hashable) -> dict[int, Strip]:
        """The lines kept for `layout`, by line (a dict to fill as lines are composed)."""
        lines = self._lines.pop(layout, None)
        if lines is None:
            while len(self._lines) >= self._layouts:  # the layout used least recently goes
                del self._lines[next(iter(self._lines))]
            lines = {}
        self._lines[layout] = lines  # most recently used last
        return lines

    def forget(self, top: int | None = None, height: int = 0) -> None:
        """Lines `top` to `top + height` changed (every line when `top` is None), in every layout."""
        for lines in self._lines.values():
            if top is None:
                lines.clear()
            else:
                for y in range(top, top + height):
                    lines.pop(y, None)
