"""The board's screen lines as last drawn, kept for each of its last few layouts.

Opening the deal panel narrows the board and closing it widens it again: with the lines of
both widths kept, going back and forth draws nothing again (and Textual reuses what it made of
the same strips, their colours resolved for the terminal). A change to what a column shows
forgets its lines in every layout, since the same line at another width shows the same cards.
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

    def get(self, layout: Hashable, y: int) -> Strip | None:
        lines = self._lines.get(layout)
        return None if lines is None else lines.get(y)

    def put(self, layout: Hashable, y: int, strip: Strip) -> None:
        lines = self._lines.get(layout)
        if lines is None:
            while len(self._lines) >= self._layouts:  # the layout used least recently goes
                del self._lines[next(iter(self._lines))]
            lines = self._lines[layout] = {}
        else:  # most recently used last
            self._lines[layout] = self._lines.pop(layout)
        lines[y] = strip

    def forget(self, top: int | None = None, height: int = 0) -> None:
        """Lines `top` to `top + height` changed (every line when `top` is None), in every layout."""
        if top is None:
            self._lines.clear()
            return
        for lines in self._lines.values():
            for y in range(top, top + height):
                lines.pop(y, None)
