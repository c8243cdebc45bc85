"""The board's screen lines as last drawn, kept for each of its last few layouts.

Opening the deal panel narrows the board and closing it widens it again: with the lines of
both widths kept, going back and forth draws nothing again. Each line is kept twice: as the
board drew it, and as Textual styled it for the terminal (its background, its colours made
true colours), which costs more than drawing it. A change to what a column shows forgets its
lines in every layout, since the same line at another width shows the same cards.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.strip import Strip

#: How many layouts are kept: the board with and without the panel, and a spare.
LAYOUTS = 3


class DrawnLines:
    def __init__(self, layouts: int = LAYOUTS) -> None:
        self._layouts = layouts
        #: By layout, by line: (the line as drawn, the line as styled, once Textual has).
        self._lines: dict[Hashable, dict[int, tuple[Strip, Strip | None]]] = {}

    def _layout(self, layout: Hashable) -> dict[int, tuple[Strip, Strip | None]]:
        lines = self._lines.pop(layout, None)
        if lines is None:
            while len(self._lines) >= self._layouts:  # the layout used least recently goes
                del self._lines[next(iter(self._lines))]
            lines = {}
        self._lines[layout] = lines  # most recently used last
        return lines

    def get(self, layout: Hashable, y: int) -> Strip | None:
        line = self._lines.get(layout, {}).get(y)
        return None if line is None else line[0]

    def put(self, layout: Hashable, y: int, strip: Strip) -> None:
        self._layout(layout)[y] = (strip, None)

    def styled(self, layout: Hashable, ys: range, style: Callable[[int, int], list[Strip]]) -> list[Strip]:
        """Lines `ys` as styled: those kept, and the others styled now by `style(top, bottom)`, a run
        of lines at a time (and kept, with the line as drawn)."""
        lines = self._layout(layout)
        result: list[Strip] = []
        run: int | None = None  # the first line of a run not kept
        for y in [*ys, ys.stop]:
            line = lines.get(y) if y < ys.stop else None
            if y < ys.stop and (line is None or line[1] is None):
                run = y if run is None else run
                continue
            if run is not None:
                styled = style(run, y)
                result.extend(styled)
                for kept_y, strip in zip(range(run, y), styled):
                    drawn = lines.get(kept_y)
                    if drawn is not None:
                        lines[kept_y] = (drawn[0], strip)
                run = None
            if line is not None and line[1] is not None:
                result.append(line[1])
        return result

    def forget(self, top: int | None = None, height: int = 0) -> None:
        """Lines `top` to `top + height` changed (every line when `top` is None), in every layout."""
        if top is None:
            self._lines.clear()
            return
        for lines in self._lines.values():
            for y in range(top, top + height):
                lines.pop(y, None)
