"""A screen line of the board: its columns' lines side by side, made into escape sequences from
theirs.

Textual turns each changed screen line into escape sequences (a few microseconds a segment) and
keeps them on the line's `Strip`. A board line is new whenever one of its columns changed, but the
other columns' lines are the same strips as before, with their sequences kept: a `BoardLine` joins
those instead of making them all again. Each segment is written on its own (its style set and
reset), so the joined sequences are exactly what Textual would make of the whole line.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from rich.console import Console
from textual.strip import Strip


class BoardLine(Strip):
    __slots__ = ["_parts"]

    def __init__(self, parts: Sequence[Strip], cell_length: int) -> None:
        super().__init__(chain.from_iterable(parts), cell_length)
        self._parts = parts

    def render(self, console: Console) -> str:
        """The line's escape sequences: its parts', each made once and kept by the part."""
        if self._render_cache is None:
            self._render_cache = "".join([part.render(console) for part in self._parts])
        return self._render_cache
