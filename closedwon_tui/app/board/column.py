"""A stage column: its header with the totals, its cards, selection, scroll and drop marks.

A column is not a widget. The board view (view.py) draws every column as lines of one
Line-API widget, so opening the board costs one widget however many stages and deals
there are; a column only keeps its state and draws its own lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.segment import Segment

from closedwon_tui.app.board.board_line import ColumnLine
from closedwon_tui.app.board.card import CARD_HEIGHT
from closedwon_tui.app.board.column_drawing import TOP, ColumnDrawing, Geometry
from closedwon_tui.app.board.column_header import header_lines
from closedwon_tui.app.board.drawn_lines import DrawnLines
from closedwon_tui.app.board.kept_by_deal import KeptByDeal
from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.domain.models import DealCard, Stage

__all__ = ["TOP", "StageColumn"]


class StageColumn(ColumnDrawing):
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
        self._kept: DrawnLines[ColumnLine] = DrawnLines()
        self._kept_height = 0
        self._lines = self._kept.lines(self.width)  # at the width the column has now
        #: A card's lines as drawn and filtered, by what they show (the card's drawing, which of its
        #: lines, the scroll mark beside it): a card that only shifts up or down (a move, a filter, a
        #: scroll) is not drawn or filtered again.
        self._passed: KeptByDeal[ColumnLine] = KeptByDeal()
        self._geometry: Geometry | None = None
        #: The selection moved while the column had no size yet (off the side of a narrow board):
        #: it is scrolled into view once the column is laid out.
        self._scroll_pending = False
        #: The cards as last drawn whole (what `cards_changed` compares with): the list, the column's
        #: count of changes then, how many cards, and those in view from the first (a list the model
        #: changes in place no longer holds them).
        self._drawn: list[DealCard] | None = None
        self._drawn_changes = 0
        self._drawn_count = 0
        self._drawn_first = 0
        self._drawn_window: list[DealCard] = []

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
        self._drawn_as(self.deals)

    def _drawn_as(self, deals: list[DealCard]) -> None:
        """What `cards_changed` will compare with: these cards, as they are in view now."""
        first = self.scroll_y // CARD_HEIGHT
        self._drawn = deals
        self._drawn_changes = self.model.changes_to(self.stage.id)
        self._drawn_count = len(deals)
        self._drawn_first = first
        self._drawn_window = deals[first : (self.scroll_y + self.area_height) // CARD_HEIGHT + 1]

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
        self._drawn_as(self.deals)

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
        if deals is before and deals and self.model.changes_to(self.stage.id) == self._drawn_changes:
            # the same cards (a word typed further kept them all): the header at most
            header = self.header_lines
            self._header()
            if self.header_lines != header:
                self._dirty(1, TOP - 1)
            return
        self._geometry = None
        bar = None if before is None else self._bar(self._drawn_count)
        was_selected = self.selected
        self.selected = max(0, min(self.selected, len(deals) - 1))
        header = self.header_lines
        self._header()
        if self.header_lines != header:
            self._dirty(1, TOP - 1)
        scroll = self.scroll_y
        self.scroll_to(scroll)
        first, window, window_first = scroll // CARD_HEIGHT, self._drawn_window, self._drawn_first
        self._drawn_as(deals)
        if before is None or not deals or self.scroll_y != scroll or self._bar() != bar or first != window_first:
            # scrolled (now or since the last change), the scroll bar (so every line) changed, or empty
            self._dirty(TOP, self.height - TOP)
            return
        for index in range(first, (scroll + self.area_height) // CARD_HEIGHT + 1):
            old = window[index - first] if index - first < len(window) else None
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
