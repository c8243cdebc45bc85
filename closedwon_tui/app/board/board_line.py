"""A screen line of the board: its columns' lines side by side, made into escape sequences from
theirs.

Textual turns each changed screen line into escape sequences (a few microseconds a segment) and
keeps them on the line's `Strip`. A board line is new whenever one of its columns changed, but the
other columns' lines are the same as before, with their sequences kept: a `BoardLine` joins those
instead of making them all again. Each segment is written on its own (its style set and reset), so
the joined sequences are exactly what Textual would make of the whole line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain

from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip


class ColumnLine:
    """One line of one column: its segments, and their escape sequences once made. Lighter than a
    `Strip` (a column keeps thousands of card lines: a strip carries seven caches of its own)."""

    __slots__ = ("segments", "_sequences")

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self._sequences: str | None = None

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def render(self, console: Console) -> str:
        if self._sequences is None:
            self._sequences = Strip(self.segments).render(console)
        return self._sequences


class BoardLine(Strip):
    __slots__ = ["_parts"]

    def __init__(self, parts: Sequence[ColumnLine], cell_length: int) -> None:
        super().__init__(chain.from_iterable(parts), cell_length)
        self._parts = parts

    def render(self, console: Console) -> str:
        """The line's escape sequences: its parts', each made once and kept by the part."""
        if self._render_cache is None:
            self._render_cache = "".join([part.render(console) for part in self._parts])
        return self._render_cache
