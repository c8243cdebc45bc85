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
from textual.cache import FIFOCache
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


class _NoCache:
    """Stands for the caches a board line never fills: it is drawn once, turned into escape
    sequences once, and replaced by a new line when it changes (Textual never styles, filters, pads
    or stamps it: the board does that to its columns' lines)."""

    __slots__ = ()

    def get(self, _key: object, default: None = None) -> None:
        return default

    def __setitem__(self, _key: object, _value: object) -> None:
        pass


_NO_CACHE = _NoCache()
_SEGMENTS = Strip._segments  # the slot itself, under BoardLine's lazy `_segments`


class BoardLine(Strip):
    """A screen line made of its columns' lines. Made for every changed screen line, so it is made
    light: its segments are only listed when something asks for them (a screenshot, a crop: the
    compositor and the terminal need only its length and its escape sequences), and of a strip's
    seven caches it keeps the two Textual may use again for the same line (cutting it where a dialog
    or the panel covers the board)."""

    __slots__ = ["_parts"]

    def __init__(self, parts: Sequence[ColumnLine], cell_length: int) -> None:  # noqa: PLW0231 - see below
        # Strip.__init__ would list the segments and make seven caches; every slot is set here.
        self._parts = parts
        self._cell_length = cell_length
        self._divide_cache = FIFOCache(4)
        self._crop_cache = FIFOCache(4)
        self._style_cache = self._filter_cache = self._line_length_cache = _NO_CACHE  # type: ignore[assignment]
        self._crop_extend_cache = self._offsets_cache = _NO_CACHE  # type: ignore[assignment]
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    @property  # type: ignore[override]
    def _segments(self) -> list[Segment]:
        try:
            return _SEGMENTS.__get__(self)  # type: ignore[no-any-return]
        except AttributeError:
            segments = list(chain.from_iterable(self._parts))
            _SEGMENTS.__set__(self, segments)
            return segments

    def render(self, console: Console) -> str:
        """The line's escape sequences: its parts', each made once and kept by the part."""
        if self._render_cache is None:
            self._render_cache = "".join([part.render(console) for part in self._parts])
        return self._render_cache
