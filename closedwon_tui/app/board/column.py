"""A stage column: its header with the totals, its cards, selection, scroll and drop marks.

A column is not a widget. The board view (view.py) draws every column as lines of one
Line-API widget, so opening the board costs one widget however many stages and deals
there are; a column only keeps its state and draws its own lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import NamedTuple

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter
from textual.strip import Strip

from closedwon_tui.app.board.board_styles import ColumnStyles
from closedwon_tui.app.board.card import CARD_HEIGHT, CardStyles, card_lines, fit
from closedwon_tui.app.board.column_header import header_lines
from closedwon_tui.app.board.drawn_lines import DrawnLines
from closedwon_tui.app.board.kept_by_deal import KeptByDeal
from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.domain.models import DealCard, Stage

#: Lines above the cards: the top border and three header lines.
TOP = 4
_BLACK = Color(0, 0, 0)
_ROUND = ("╭", "─", "╮", "│", "╰", "╯")
_DOUBLE = ("╔", "═", "╗", "║", "╚", "╝")


class _Geometry(NamedTuple):
    """What every line of a column's drawing needs, worked out once per drawing."""

    deals: list[DealCard]
    scrolls: bool
    card_width: int
    bar: tuple[bool, int, int]


class StageColumn:
    """One stage on the board. `repaint(column, top, height)` asks the view to redraw
    lines of this column (all of them when `top` is None)."""

    def __init__(self, stage: Stage, number: int, model: BoardModel, marks: set[int] | None = None) -> None:
        self.stage = stage
        self.number = number
        self.model = model
        #: The deals marked for a bulk action (the board's set, shared by every column).
        self.marks: set[int] = set() if marks is None else marks
        self.selected = 0
        self.active = False
        self.drop_index: int | None = None
        self.drop_target = False
        self.scroll_y = 0
        self.header_lines: list[str] = ["", "", ""]
        #: What the header lines were made of (see `_header`), and the last few headers made.
        self._header_made_of: tuple[object, ...] | None = None
        self._headers: list[tuple[tuple[object, ...], list[str]]] = []
        self.width = 0  # set by the view's layout
        self.height = 0
        self.repaint: Callable[[StageColumn, int | None, int], None] = lambda column, top, height: None
        #: Each card's drawing, by deal, then by (version, width, selected, focused, marked).
        self._cache: KeptByDeal[list[list[Segment]]] = KeptByDeal()
        #: The column's lines as last drawn (and filtered as the app filters every line), by line, for
        #: its last few widths (with and without the panel): the board draws a screen line from every
        #: column, and only the columns that changed draw theirs again. A change forgets its lines at
        #: every width; a new height forgets them all.
        self._kept: DrawnLines[list[Segment]] = DrawnLines()
        self._kept_height = 0
        self._lines = self._kept.lines(self.width)  # at the width the column has now
        #: A card's lines as drawn and filtered, by what they show (the card's drawing, which of its
        #: lines, the scroll mark beside it): a card that only shifts up or down (a move, a filter, a
        #: scroll) is not drawn or filtered again.
        self._passed: KeptByDeal[list[Segment]] = KeptByDeal()
        self._geometry: _Geometry | None = None
        #: The selection moved while the column had no size yet (off the side of a narrow board):
        #: it is scrolled into view once the column is laid out.
        self._scroll_pending = False
        #: The cards as last drawn whole (what `cards_changed` compares with).
        self._drawn: list[DealCard] | None = None

    # data ---------------------------------------------------------------
    @property
    def deals(self) -> list[DealCard]:
        return self.model.visible(self.stage.id)

    @property
    def area_height(self) -> int:
        """Lines for cards: the column's height less the header and the two borders."""
        return max(0, self.height - TOP - 1)

    @property
    def content_height(self) -> int:
        return len(self.deals) * CARD_HEIGHT + 1

    @property
    def scrolls(self) -> bool:
        return self.content_height > self.area_height

    @property
    def card_width(self) -> int:
        return max(0, self.width - 2 - (1 if self.scrolls else 0))

    def refresh_column(self, *, same_cards: bool = False) -> None:
        """The column's deals changed: header, selection, scroll and repaint. With `same_cards`
        (a filter or an order: which cards show changed, not the cards), the drawn cards are kept
        (they are cached by deal and version) and only the lines that show other cards are drawn."""
        if same_cards:
            self.cards_changed()
            return
        count = len(self.deals)
        self.selected = max(0, min(self.selected, count - 1))
        self._header()
        self._forget_cards()
        self.scroll_to(self.scroll_y)
        self._dirty(None, 0)
        self._drawn = self.deals

    def resized(self) -> None:
        """The column's width or height changed (the panel opened, the terminal was resized): it shows
        the lines kept for its new width (drawn before, or ahead of time: see `drawn_at`), or draws
        them; a new height draws every line again."""
        if self.height != self._kept_height:
            self._kept_height = self.height
            self._kept.forget()
        self._lines = self._kept.lines(self.width)
        self._header()
        if self._scroll_pending and self.height:
            self._scroll_pending = False
            self.scroll_to_selected()
        self.scroll_to(self.scroll_y)
        self._geometry = None
        self.repaint(self, None, 0)
        self._drawn = self.deals

    def can_draw_ahead(self, height: int) -> bool:
        """Whether the column is laid out at `height` with nothing waiting to scroll (then its lines
        at another width are what that width will show)."""
        return self.height == height and not self._scroll_pending

    @contextmanager
    def drawn_at(self, width: int) -> Iterator[None]:
        """The column as the board would lay it out `width` cells wide (at the height it has), so that
        `line` draws and keeps its lines at that width ahead of time; as it was again after. Whatever
        runs inside draws only: it changes nothing the column shows."""
        saved = (self.width, self._lines, self._geometry, self.header_lines, self._header_made_of)
        self.width = width
        self._lines = self._kept.ahead(width)
        self._geometry = None
        self._header()
        try:
            yield
        finally:
            self.width, self._lines, self._geometry, self.header_lines, self._header_made_of = saved

    def cards_changed(self) -> None:
        """A change put a card in, took one out or replaced one (or a filter or an order shows other
        cards): the header if its figures changed, and of the cards in view only the lines from the
        first one that differs down (the cards below it shifted), and the selection if it moved."""
        before = self._drawn
        deals = self.deals
        if deals is before and deals:  # the same cards (a word typed further kept them all): the header at most
            header = self.header_lines
            self._header()
            if self.header_lines != header:
                self._dirty(1, TOP - 1)
            return
        self._geometry = None
        bar = None if before is None else self._bar(len(before))
        was_selected = self.selected
        self.selected = max(0, min(self.selected, len(deals) - 1))
        header = self.header_lines
        self._header()
        if self.header_lines != header:
            self._dirty(1, TOP - 1)
        scroll = self.scroll_y
        self.scroll_to(scroll)
        self._drawn = deals
        if before is None or not deals or self.scroll_y != scroll or self._bar() != bar:
            self._dirty(TOP, self.height - TOP)  # scrolled, the scroll bar (so every line) changed, or empty
            return
        first = scroll // CARD_HEIGHT
        for index in range(first, (scroll + self.area_height) // CARD_HEIGHT + 1):
            old = before[index] if index < len(before) else None
            new = deals[index] if index < len(deals) else None
            if old is not new:
                top = max(TOP, TOP + index * CARD_HEIGHT - scroll)
                self._dirty(top, self.height - top)
                break
        if self.selected != was_selected:
            self._refresh_card(was_selected)
            self._refresh_card(self.selected)

    def _bar(self, count: int | None = None) -> tuple[bool, int, int]:
        """Whether the column scrolls, and where its one-cell bar's thumb is (start, size), with its
        cards (or `count` cards)."""
        area = self.area_height
        total = self.content_height if count is None else count * CARD_HEIGHT + 1
        if total <= area:
            return False, 0, 0
        size = max(1, area * area // max(1, total))
        return True, (area - size) * self.scroll_y // max(1, total - area), size

    def _header(self) -> None:
        totals = self.model.totals(self.stage.id)
        hidden = self.model.hidden_closed(self.stage.id)
        order = self.model.order(self.stage.id)
        made_of = (self.stage, totals, hidden, order, self.model.show_all_closed, self.width)
        if made_of == self._header_made_of:
            return  # the same figures: the same lines
        self._header_made_of = made_of
        # The same figures at another width the column had lately (the panel opened, or closed again).
        kept = next((lines for kept_of, lines in self._headers if kept_of == made_of), None)
        if kept is None:
            kept = header_lines(self.number, *made_of)
            self._headers = [*self._headers[-2:], (made_of, kept)]
        self.header_lines = kept

    def forget(self, deal_id: int) -> None:
        self._forget_cards({deal_id})

    def forget_deals(self, deal_ids: set[int]) -> None:
        """Forget many cards' drawings at once (a bulk change): one pass over the cache."""
        self._forget_cards(deal_ids)

    def _forget_cards(self, deal_ids: set[int] | None = None) -> None:
        """Forget these cards' drawings (every card's when None), and their lines as filtered."""
        self._cache.forget(deal_ids)
        self._passed.forget(deal_ids)

    def repaint_deal(self, deal_id: int) -> None:
        """Draw one card again (it was marked or unmarked), if this column shows it."""
        self.forget(deal_id)
        found = self.model.index_of(deal_id)
        if found is not None and found[0] == self.stage.id:
            self._refresh_card(found[1])

    def forget_styles(self) -> None:
        self._forget_cards()
        self._kept.forget()
        self._geometry = None

    def _dirty(self, top: int | None, height: int) -> None:
        """Lines of this column changed (all of them when `top` is None): draw them again."""
        self._geometry = None
        self._kept.forget(top, height)
        self.repaint(self, top, height)

    # selection and scrolling --------------------------------------------
    def select(self, index: int) -> None:
        count = len(self.deals)
        old = self.selected
        self.selected = max(0, min(index, count - 1)) if count else 0
        self._refresh_card(old)
        self._refresh_card(self.selected)
        self.scroll_to_selected()

    def set_active(self, active: bool) -> None:
        if self.active != active:
            self.active = active
            self._dirty(0, TOP)
            self._refresh_card(self.selected)

    def scroll_to(self, y: int) -> None:
        y = max(0, min(y, self.content_height - self.area_height))
        if y != self.scroll_y:
            self.scroll_y = y
            self._dirty(None, 0)

    def scroll_to_selected(self) -> None:
        if not self.height:  # not laid out yet: its height is not known
            self._scroll_pending = True
            return
        top = self.selected * CARD_HEIGHT
        if top < self.scroll_y:
            self.scroll_to(top)
        elif top + CARD_HEIGHT + 1 > self.scroll_y + self.area_height:
            self.scroll_to(top + CARD_HEIGHT + 1 - self.area_height)

    def _refresh_card(self, index: int) -> None:
        self._dirty(TOP + index * CARD_HEIGHT - self.scroll_y, CARD_HEIGHT + 1)

    # mouse --------------------------------------------------------------
    def index_at(self, y: int) -> int | None:
        """The visible card index under line `y` of the column, None off the cards."""
        local = y - TOP + self.scroll_y
        if y < TOP or y >= TOP + self.area_height:
            return None
        index = local // CARD_HEIGHT
        return index if index < len(self.deals) else None

    def drop_index_at(self, y: int) -> int:
        """Where a card dropped at line `y` goes: before the card under it, or after it when
        the pointer is on its lower half (the header drops at the top)."""
        local = max(0, y - TOP) + self.scroll_y
        index, row = divmod(local, CARD_HEIGHT)
        if row > CARD_HEIGHT // 2 + 1:
            index += 1
        return max(0, min(index, len(self.deals)))

    def show_drop(self, index: int | None, target: bool) -> None:
        if self.drop_index != index or self.drop_target != target:
            self.drop_index, self.drop_target = index, target
            self._dirty(None, 0)

    # drawing ------------------------------------------------------------
    def line(
        self, y: int, styles: ColumnStyles, filters: Sequence[LineFilter] = (), background: Color | None = None
    ) -> list[Segment]:
        """Line `y` of the column, exactly `width` cells wide, passed through the app's line `filters`
        (as drawn last, unless it changed since: the view forgets every line when the filters change)."""
        drawn = self._lines.get(y)
        if drawn is None:
            shows = self._card_part(y)
            drawn = None if shows is None else self._passed.get(*shows)
            if drawn is None:
                drawn = self._draw_line(y, styles)
                for line_filter in filters:
                    drawn = line_filter.apply(drawn, background or _BLACK)
                if shows is not None:
                    self._passed.keep(*shows, drawn)
            self._lines[y] = drawn
        return drawn

    def _card_part(self, y: int) -> tuple[int, tuple[tuple[int, int, bool, bool, bool], int, bool | None]] | None:
        """What line `y` shows when it shows a line of a card (None otherwise, or while the column is
        a drop target, whose border differs): the deal, and the key of its drawing, which of its
        lines and the scroll mark beside it (None when the column does not scroll)."""
        if y < TOP or y >= self.height - 1 or self.drop_target:
            return None
        geometry = self._measure()
        row = y - TOP
        index, part = divmod(row + self.scroll_y, CARD_HEIGHT)
        deals = geometry.deals
        if part == 0 or index >= len(deals):
            return None
        deal = deals[index]
        selected = index == self.selected
        key = (deal.version, geometry.card_width, selected, selected and self.active, deal.id in self.marks)
        mark = None
        if geometry.scrolls:
            _, start, size = geometry.bar
            mark = start <= row < start + size
        return deal.id, (key, part, mark)

    def forget_lines(self) -> None:
        """Draw every line again (the app's filters or the board's background changed)."""
        self._kept.forget()
        self._passed.forget()

    def _measure(self) -> _Geometry:
        geometry = self._geometry
        if geometry is None:
            deals = self.deals
            scrolls = len(deals) * CARD_HEIGHT + 1 > self.area_height
            card_width = max(0, self.width - 2 - (1 if scrolls else 0))
            geometry = self._geometry = _Geometry(deals, scrolls, card_width, self._bar())
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
        text = fit(self.header_lines[row], max(0, width - 2))
        return list(Strip([Segment(" ", base), Segment(text, style)]).adjust_cell_length(width, base))

    def _scroll_mark(self, row: int, styles: ColumnStyles, bar: tuple[bool, int, int]) -> Segment:
        """A one-cell scroll bar: where the visible part sits in the whole column."""
        _, start, size = bar
        return Segment("▐", styles.thumb) if start <= row < start + size else Segment(" ", styles.track)

    def card_line(self, row: int, styles: ColumnStyles, geometry: _Geometry | None = None) -> list[Segment]:
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
