"""Lines as last drawn, kept for each of the last few layouts (the board's screen lines by layout,
a column's lines by width).

Opening the deal panel narrows the board and closing it widens it again: with the lines of
both widths kept, going back and forth draws nothing again. A change to what a column shows
forgets its lines in every layout, since the same line at another width shows the same cards.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

#: How many layouts are kept: the board with and without the panel, and a spare.
LAYOUTS = 3


class DrawnLines(Generic[T]):
    def __init__(self, layouts: int = LAYOUTS) -> None:
        self._layouts = layouts
        self._lines: dict[Hashable, dict[int, T]] = {}

    def lines(self, layout: Hashable) -> dict[int, T]:
        """The lines kept for `layout`, the one in use now, by line (a dict to fill as lines are drawn)."""
        lines = self._lines.pop(layout, None)
        if lines is None:
            while len(self._lines) >= self._layouts:  # the layout used least recently goes
                del self._lines[next(iter(self._lines))]
            lines = {}
        self._lines[layout] = lines  # most recently used last
        return lines

    def ahead(self, layout: Hashable) -> dict[int, T]:
        """The lines kept for `layout`, a layout not in use yet (drawn ahead of time): the layout in
        use (the last one asked for with `lines`) is never the one that goes to make room."""
        lines = self._lines.get(layout)
        if lines is None:
            in_use = next(reversed(self._lines), None)
            while len(self._lines) >= self._layouts:
                del self._lines[next(key for key in self._lines if key != in_use)]
            lines = self._lines[layout] = {}
            if in_use is not None:  # still the one in use: last
                self._lines[in_use] = self._lines.pop(in_use)
        return lines

    def forget(self, top: int | None = None, height: int = 0) -> None:
        """Lines `top` to `top + height` changed (every line when `top` is None), in every layout."""
        for lines in self._lines.values():
            if top is None:
                lines.clear()
            else:
                for y in range(top, top + height):
                    lines.pop(y, None)
