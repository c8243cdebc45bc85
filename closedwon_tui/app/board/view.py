"""The board's columns side by side, drawn as ONE Line-API widget.

One widget for the whole board, rather than a container, a header and a scrolling card
list per column, keeps opening the board close to opening an empty app: Textual styles
one node and cuts each screen line once. Each column keeps its own scroll offset and
draws a one-cell scroll mark; when the columns do not fit, the view shows those around
the focused one, with ‹ › marks on the sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget

from closedwon_tui.app.board.board_line import BoardLine, ColumnLine
from closedwon_tui.app.board.board_styles import BOARD_CSS, COMPONENT_CLASSES, ColumnStyles, resolve_column_styles
from closedwon_tui.app.board.column import StageColumn
from closedwon_tui.app.board.column_layout import Arrangement, arrange, fit_count
from closedwon_tui.app.board.drawing_ahead import DrawingAhead
from closedwon_tui.app.board.drawn_lines import DrawnLines
from closedwon_tui.app.board.keys import BOARD_BINDINGS
from closedwon_tui.app.board.view_mouse import BoardMouse

#: The sizes the view remembers having had (see `other_size`): with and without the panel, with
#: and without the filter box above.
RECENT_SIZES = 4


class BoardView(BoardMouse, Widget, can_focus=True):
    """Every stage column; it holds the focus while the rep works the board."""

    BINDINGS = BOARD_BINDINGS
    ALLOW_SELECT = False  # a press starts a drag, not a text selection
    #: The board does not scroll (each column scrolls itself): its virtual size is its size, and a
    #: new width (the panel opened or closed) needs no second layout pass nor a second repaint (a new
    #: size marks the whole view for drawing already).
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)

    COMPONENT_CLASSES = COMPONENT_CLASSES
    DEFAULT_CSS = BOARD_CSS

    # What the mouse did, in the board's terms: the view finds the column and the card under the
    # pointer itself, so the screen never sees a coordinate.
    @dataclass
    class CardPressed(Message):
        """A card was pressed (mouse down): select it and focus its column."""

        stage_id: int
        index: int

    @dataclass
    class CardClicked(Message):
        """Pressed and released on the same card without dragging."""

        stage_id: int
        index: int
        was_selected: bool

    @dataclass
    class DealDropped(Message):
        """A dragged card was let go on a column, before its visible card `index` (its length: the end)."""

        deal_id: int
        stage_id: int
        index: int

    @dataclass
    class DropMissed(Message):
        """A dragged card was let go somewhere that is not a column: nothing moves."""

        deal_id: int

    def __init__(self, columns: list[StageColumn], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.columns = columns
        self.first = 0  # the first column shown when they do not all fit
        self.focused_index = 0  # the column that must stay in view (the screen's focused one)
        self.shown: list[StageColumn] = []
        self._x: dict[int, int] = {}  # id(column) -> x
        self._laid_out: tuple[int, int] | None = None
        self._arrangement = Arrangement(0, 0, 0, [], [])
        #: The sizes the board had last, the present one last: the board's lines are drawn ahead of
        #: time at the latest other width of the same height (the panel closed: its width beside the
        #: panel), while the app is idle (see `drawing_ahead`).
        self._sizes: list[tuple[int, int]] = []
        self._styles: ColumnStyles | None = None
        self._styles_checked = False  # False: resolve the styles again before drawing (see notify_style_update)
        #: Screen lines as last composed from the columns' lines, by line, for the last few layouts
        #: (with and without the panel): a column's change forgets the lines it covers in every
        #: layout (see `refresh`), so going back to a width draws only what changed since.
        self._drawn: DrawnLines[Strip] = DrawnLines()
        self.drawing_ahead = DrawingAhead(self)
        self._strips: dict[int, Strip] = {}  # the current layout's lines (in `_drawn`)
        self._repaints = True  # False while the columns are laid out for a drawing under way
        #: Regions to repaint, gathered while a change is drawn (see `repainting_once`).
        self._gathered: list[Region] | None = None
        #: The app's line filters and the board's background the columns' lines were filtered with.
        self._filtered_with: tuple[tuple[LineFilter, ...], Color] | None = None
        self._press: tuple[StageColumn, int, Offset, bool] | None = None
        self._dragging = False
        for column in columns:
            column.repaint = self._repaint

    # layout -------------------------------------------------------------
    def arrangement(self, width: int, height: int) -> Arrangement:
        """The columns shown at that size, and their widths (see `column_layout.arrange`)."""
        return arrange(self.columns, width, height, self.first, self.focused_index)

    def layout_columns(self, *, repaint: bool = True) -> None:
        """Share the width between the columns that fit, around `first` (`repaint`: ask for a repaint;
        not when the view is being drawn at its new size already)."""
        width, height = self.size.width, self.size.height
        if self._laid_out is not None and self._laid_out[1] != height:
            self._drawn.forget()  # a new height may scroll a column: the lines kept for other widths are stale
        self._laid_out = (width, height)
        if (width, height) in self._sizes:
            self._sizes.remove((width, height))
        self._sizes = [*self._sizes[-(RECENT_SIZES - 1) :], (width, height)]
        arrangement = self._arrangement = self.arrangement(width, height)
        self.first, self.shown = arrangement.first, arrangement.shown
        self._x = {}
        x = 0
        for column, column_width in zip(arrangement.shown, arrangement.widths):
            column.width = column_width
            column.height = height
            self._x[id(column)] = x
            x += column.width
        scrolled = [column.scroll_y for column in self.columns]
        self._repaints = repaint
        try:
            for column in self.columns:
                column.resized()
        finally:
            self._repaints = True
        if scrolled != [column.scroll_y for column in self.columns]:
            self._drawn.forget()  # a column scrolled: its lines kept for other widths are stale
        self._strips = self._drawn.lines(arrangement.key)
        self.drawing_ahead.changed()
        if repaint:
            self.refresh()

    @property
    def other_size(self) -> tuple[int, int] | None:
        """The latest size the board had at another width and the height it has now (beside the
        panel, or without it), which its lines are drawn at ahead of time; None when there is none."""
        if self._laid_out is None:
            return None
        width, height = self._laid_out
        return next((size for size in reversed(self._sizes) if size[1] == height and size[0] != width), None)

    def lines_ahead(self, arrangement: Arrangement) -> dict[int, Strip]:
        """The screen lines kept for a layout the board does not have now, to draw them ahead."""
        return self._drawn.ahead(arrangement.key)

    def _ensure_layout(self) -> None:
        """Lay the columns out at the view's size, if it changed. Called while drawing: a new size has
        marked every line for drawing already, and asking again would draw the board twice."""
        if self._laid_out != (self.size.width, self.size.height):
            self.layout_columns(repaint=False)

    def on_resize(self) -> None:
        self._ensure_layout()

    def show_column(self, index: int, *, focused: bool = True) -> None:
        """Bring a column into view; the focused one stays in view when the board narrows."""
        if focused:
            self.focused_index = index
        fit = fit_count(len(self.columns), self.size.width) if self.size.width else len(self.columns)
        first = self.first
        if index < first:
            first = index
        elif index >= first + fit:
            first = index - fit + 1
        if first != self.first:
            self.first = first
            if self.size.width:
                self.layout_columns()

    def _repaint(self, column: StageColumn, top: int | None, height: int) -> None:
        self.drawing_ahead.changed()
        if not self._repaints:
            return
        x = self._x.get(id(column))
        if x is None or not self.is_mounted:
            self._drawn.forget(top, height)  # a column this layout does not show: other widths show it
            return
        # whole screen lines: Textual would cut a part of a line out of the board's line, and make
        # the part's escape sequences anew (see `BoardLine`: the whole line makes them from its columns')
        if top is None:
            self.refresh(Region(0, 0, self.size.width, column.height))
        else:
            self.refresh(Region(0, top, self.size.width, height))

    def refresh(self, *regions: Region, **kwargs: bool) -> BoardView:  # type: ignore[override]
        """Repaint `regions` (everything when none is given): their composed lines are forgotten, in
        every layout kept."""
        self.drawing_ahead.changed()
        if regions:
            for region in regions:
                self._drawn.forget(region.y, region.height)
            if self._gathered is not None and not kwargs:
                self._gathered.extend(regions)
                return self
        else:
            self._drawn.forget()
        super().refresh(*regions, **kwargs)
        return self

    @contextmanager
    def repainting_once(self) -> Iterator[None]:
        """The regions that the code inside asks to repaint are handed to Textual in one refresh
        at the end (a change redraws parts of several columns: each refresh has a cost of its own)."""
        if self._gathered is not None:  # already gathering
            yield
            return
        self._gathered = []
        try:
            yield
        finally:
            regions, self._gathered = self._gathered, None
            if regions:
                super().refresh(*regions)

    # drawing ------------------------------------------------------------
    def notify_style_update(self) -> None:
        """Textual restyles the board whenever the focus comes or goes (the filter box, the panel):
        the styles are resolved again when next drawn, and what is drawn is forgotten only if they
        differ (a focus change leaves them as they were; a new theme does not)."""
        super().notify_style_update()
        self._styles_checked = False

    def forget_drawings(self) -> None:
        """Every line, card and header is drawn again when next shown."""
        self.drawing_ahead.changed()
        self._drawn.forget()
        for column in self.columns:
            column.forget_styles()

    def column_styles(self) -> ColumnStyles:
        if not self._styles_checked or self._styles is None:
            styles = resolve_column_styles(self.get_component_rich_style, self.rich_style)
            self._styles_checked = True
            if styles != self._styles:
                self._styles = styles
                self.forget_drawings()
        return self._styles

    def render_lines(self, crop: Region) -> list[Strip]:
        """The board's lines in `crop`, drawn without Textual's per-widget styling pass.

        The board has no border, padding, tint or opacity, so each screen line is just its columns'
        lines side by side. Those are already passed through the app's line filters (as Textual
        would do to the whole line), so a change redraws and filters only the columns it touched,
        and a line no column changed is handed back as it was.
        """
        if not self.is_attached:  # removed (the board was built again) while a screen above still shows it
            return [Strip.blank(crop.width)] * crop.height
        self._ensure_layout()
        filters, background = self.line_filters()
        strips, arrangement = self._strips, self._arrangement
        lines = []
        for y in crop.line_range:
            strip = strips.get(y)
            if strip is None:
                strip = strips[y] = self.compose_line(y, filters, background, arrangement)
            lines.append(strip)
        x1, x2 = crop.column_span
        if x1 or (self._laid_out and x2 != self._laid_out[0]):
            lines = [strip.crop(x1, x2) for strip in lines]
        return lines

    def line_filters(self) -> tuple[tuple[LineFilter, ...], Color]:
        """The app's line filters and the board's background, as the columns' lines are filtered with
        (when they change, or the styles do, every line kept is forgotten)."""
        self.column_styles()
        filters = tuple(self.app.get_line_filters())
        background = self.background_colors[1]
        if self._filtered_with != (filters, background):
            self._filtered_with = (filters, background)
            self.forget_drawings()
        return filters, background

    def render_line(self, y: int) -> Strip:
        self._ensure_layout()
        return self.compose_line(y, *self.line_filters(), self._arrangement)

    def compose_line(
        self, y: int, filters: tuple[LineFilter, ...], background: Color, arrangement: Arrangement
    ) -> Strip:
        """Screen line `y` of the board laid out as `arrangement` (its columns at those widths)."""
        width = arrangement.width
        styles = self.column_styles()
        parts = [column.line(y, styles, filters, background) for column in arrangement.shown]
        used = sum(column.width for column in arrangement.shown)
        if y == 0 and parts:
            segments = [segment for part in parts for segment in part]
            self._mark_hidden_columns(segments, filters, background, arrangement)
            parts = [ColumnLine(segments)]
        if used < width:
            parts.append(ColumnLine(_filtered([Segment(" " * (width - used), styles.cards.base)], filters, background)))
        return BoardLine(parts, width)

    def _mark_hidden_columns(
        self, segments: list[Segment], filters: tuple[LineFilter, ...], background: Color, arrangement: Arrangement
    ) -> None:
        """‹ and › on the top corners when columns are hidden to the left or right."""
        more = self.column_styles().more
        if arrangement.first > 0:
            first = segments[0]
            segments[0:1] = [
                *_filtered([Segment("‹", more)], filters, background),
                Segment(first.text[1:], first.style),
            ]
        if arrangement.first + len(arrangement.shown) < len(self.columns):
            last = segments[-1]
            segments[-1:] = [Segment(last.text[:-1], last.style), *_filtered([Segment("›", more)], filters, background)]


def _filtered(segments: list[Segment], filters: tuple[LineFilter, ...], background: Color) -> list[Segment]:
    """`segments` as the app's line filters would leave them."""
    for line_filter in filters:
        segments = line_filter.apply(segments, background)
    return segments
