"""How a stage column draws its lines: its border, its header, its cards and its scroll mark, each
line passed through the app's line filters and kept (see `StageColumn` for the state it draws)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter
from textual.strip import Strip

from closedwon_tui.app.board.board_line import ColumnLine
from closedwon_tui.app.board.board_styles import ColumnStyles
from closedwon_tui.app.board.card import CARD_HEIGHT, CardStyles, card_lines, fit
from closedwon_tui.app.board.drawn_lines import DrawnLines
from closedwon_tui.app.board.kept_by_deal import KeptByDeal
from closedwon_tui.domain.models import DealCard, Stage

if TYPE_CHECKING:
    from closedwon_tui.app.board.model import BoardModel

#: Lines above the cards: the top border and three header lines.
TOP = 4
#: The deal id a blank line of the card area is kept under (see `_card_part`): no deal has it.
BLANK = -1
_BLACK = Color(0, 0, 0)
_ROUND = ("╭", "─", "╮", "│", "╰", "╯")
_DOUBLE = ("╔", "═", "╗", "║", "╚", "╝")


class Geometry(NamedTuple):
    """What every line of a column's drawing needs, worked out once per drawing."""

    deals: list[DealCard]
    scrolls: bool
    card_width: int
    bar: tuple[bool, int, int]


class ColumnDrawing:
    """The drawing half of `StageColumn` (which sets every attribute below)."""

    stage: Stage
    model: BoardModel
    marks: set[int]
    selected: int
    active: bool
    drop_index: int | None
    drop_target: bool
    scroll_y: int
    width: int
    height: int
    header_lines: list[str]
    _cache: KeptByDeal[list[list[Segment]]]
    _kept: DrawnLines[ColumnLine]
    _lines: dict[int, ColumnLine]
    _passed: KeptByDeal[ColumnLine]
    _geometry: Geometry | None
    deals: list[DealCard]
    area_height: int
    _bar: Callable[[], tuple[bool, int, int]]

    def line(
        self, y: int, styles: ColumnStyles, filters: Sequence[LineFilter] = (), background: Color | None = None
    ) -> ColumnLine:
        """Line `y` of the column, exactly `width` cells wide, passed through the app's line `filters`
        (as drawn last, unless it changed since: the view forgets every line when the filters change).
        Its escape sequences are made once too (see `BoardLine`)."""
        drawn = self._lines.get(y)
        if drawn is None:
            shows = self._card_part(y)
            drawn = None if shows is None else self._passed.get(*shows)
            if drawn is None:
                segments = self._draw_line(y, styles)
                for line_filter in filters:
                    segments = line_filter.apply(segments, background or _BLACK)
                drawn = ColumnLine(segments)
                if shows is not None:
                    self._passed.keep(*shows, drawn)
            self._lines[y] = drawn
        return drawn

    def _card_part(self, y: int) -> tuple[int, tuple[tuple[int, ...], int, bool | None]] | None:
        """What line `y` shows when it shows a line of a card, or the blank line between or below the
        cards (None otherwise, or while the column is a drop target, whose border differs, or shows
        where a dragged card would land): the deal (`BLANK` for a blank line), and the key of its
        drawing, which of its lines and the scroll mark beside it (None when the column does not
        scroll). A blank line is kept as a card's line is: a filter or a move that shifts the cards
        draws the blank lines between them once, not at each place."""
        if y < TOP or y >= self.height - 1 or self.drop_target or self.drop_index is not None:
            return None
        geometry = self._measure()
        row = y - TOP
        index, part = divmod(row + self.scroll_y, CARD_HEIGHT)
        deals = geometry.deals
        mark = None
        if geometry.scrolls:
            _, start, size = geometry.bar
            mark = start <= row < start + size
        if part == 0 or index >= len(deals):
            return (BLANK, ((geometry.card_width,), 0, mark)) if deals else None  # an empty column says so
        deal = deals[index]
        selected = index == self.selected
        key = (deal.version, geometry.card_width, selected, selected and self.active, deal.id in self.marks)
        return deal.id, (key, part, mark)

    def forget_lines(self) -> None:
        """Draw every line again (the app's filters or the board's background changed)."""
        self._kept.forget()
        self._passed.forget()

    def _measure(self) -> Geometry:
        geometry = self._geometry
        if geometry is None:
            deals = self.deals
            scrolls = len(deals) * CARD_HEIGHT + 1 > self.area_height
            card_width = max(0, self.width - 2 - (1 if scrolls else 0))
            geometry = self._geometry = Geometry(deals, scrolls, card_width, self._bar())
        return geometry

    def _draw_line(self, y: int, styles: ColumnStyles) -> list[Segment]:
        width = self.width
        tl, h, tr, v, bl, br = _DOUBLE if self.drop_target else _ROUND
        border = styles.border_drop if self.drop_target else styles.border
        if y == 0 or y == self.height - 1:
            left, right = (tl, tr) if y == 0 else (bl, br)
            return [Segment(left + h * max(0, width - 2) + right, border)]
        inner = max(0, width - 2)
        if y < TOP:
            body = self._header_line(y - 1, inner, styles)
        else:
            geometry = self._measure()
            body = self.card_line(y - TOP, styles, geometry)
            if geometry.scrolls:
                body.append(self._scroll_mark(y - TOP, styles, geometry.bar))
        return [Segment(v, border), *body, Segment(v, border)]

    def _header_line(self, row: int, width: int, styles: ColumnStyles) -> list[Segment]:
        base = styles.header_active if self.active else styles.header
        style = base + styles.header_name if row == 0 else base
        if width <= 0:
            return []
        text = fit(self.header_lines[row], max(0, width - 2))  # a space before it, one at least after
        return [Segment(" ", base), Segment(text, style), Segment(" " * (width - 1 - cell_len(text)), base)]

    def _scroll_mark(self, row: int, styles: ColumnStyles, bar: tuple[bool, int, int]) -> Segment:
        """A one-cell scroll bar: where the visible part sits in the whole column."""
        _, start, size = bar
        return Segment("▐", styles.thumb) if start <= row < start + size else Segment(" ", styles.track)

    def card_line(self, row: int, styles: ColumnStyles, geometry: Geometry | None = None) -> list[Segment]:
        """Line `row` of the card area, `card_width` cells wide."""
        geometry = geometry or self._measure()
        width = geometry.card_width
        base = styles.cards.base
        line = row + self.scroll_y
        index, part = divmod(line, CARD_HEIGHT)
        deals = geometry.deals
        if not deals and line in (1, 2):
            return self._empty_line(line, width, styles.cards)
        if part == 0 or index >= len(deals):
            if self.drop_index is not None and part == 0 and index == self.drop_index:
                return [Segment("━" * width, styles.cards.marker)]
            return [Segment(" " * width, base)]
        deal = deals[index]
        selected = index == self.selected
        marked = deal.id in self.marks
        key = (deal.version, width, selected, selected and self.active, marked)
        lines = self._cache.get(deal.id, key)
        if lines is None:
            card_styles = styles.cards
            if selected and not self.active:
                card_styles = replace(card_styles, selected=styles.selected_blur)
            lines = self._cache.keep(deal.id, key, card_lines(
                deal, self.stage, self.model.facts.get(deal.id), self.model.now, width, card_styles,
                selected=selected, active=self.active, marked=marked,
            ))  # fmt: skip
        return list(lines[part - 1])

    def _empty_line(self, line: int, width: int, styles: CardStyles) -> list[Segment]:
        """An empty column says so, and the first one says how to start."""
        if line == 1:
            text = "no match" if self.model.filter_text else "no deals"
        elif not self.model.stage_of and self.stage.position == self.model.stages[0].position:
            text = "n: add a deal"
        else:
            return [Segment(" " * width, styles.base)]
        segments = [Segment(" " + fit(text, max(0, width - 1)), styles.base + styles.muted)]
        return list(Strip(segments).adjust_cell_length(width, styles.base))
