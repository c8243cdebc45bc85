"""A stage column: a header with its totals, and its cards drawn with the Line API."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.segment import Segment
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from closedwon_tui.app.board.card import CARD_HEIGHT, CardStyles, card_lines, fit
from closedwon_tui.app.board.model import BoardModel, ColumnTotals
from closedwon_tui.domain.models import Stage
from closedwon_tui.domain.money import format_totals

_STRIP_CACHE_SIZE = 2000


class ColumnHeader(Widget):
    """Stage name, number of deals, total and weighted amounts (three lines, fixed size).

    The focused column's header is drawn in its own component style rather than through a
    CSS class, so moving focus repaints two headers instead of restyling two columns.
    """

    COMPONENT_CLASSES = {"header", "header--active", "header--name"}
    DEFAULT_CSS = """
    ColumnHeader {
        height: 3;
        & > .header { background: $panel; color: $text-muted; }
        & > .header--active { background: $primary; color: $text; }
        & > .header--name { text-style: bold; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = ["", "", ""]
        self.active = False

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.get_component_rich_style("header--active" if self.active else "header")
        if y >= len(self.lines):
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("header--name", partial=True) if y == 0 else base
        text = fit(self.lines[y], max(0, width - 2))
        return Strip([Segment(" ", base), Segment(text, style)]).extend_cell_length(width, base).crop(0, width)

    def show(self, stage: Stage, totals: ColumnTotals, hidden: int, number: int) -> None:
        width = max(1, self.size.width - 2 if self.size.width else 20)
        name = fit(f"{number} {stage.name}", max(1, width - len(str(totals.count)) - 1))
        total = format_totals(totals.total, compact=True, empty="$0")
        weighted = format_totals(totals.weighted, compact=True, empty="$0")
        third = f"≈ {weighted}" if stage.is_open else (f"+{hidden} older" if hidden else "this quarter")
        lines = [f"{name} {totals.count}", f"Σ {total}", third]
        if lines != self.lines:
            self.lines = lines
            self.refresh()


class CardList(ScrollView, can_focus=False):
    """The cards of one column. One widget per column, however many deals it holds."""

    ALLOW_SELECT = False  # a press starts a drag, not a text selection

    COMPONENT_CLASSES = {
        "card",
        "card--selected",
        "card--selected-blur",
        "card--title",
        "card--muted",
        "card--amount",
        "card--overdue",
        "card--today",
        "card--later",
        "card--objections",
        "card--stale",
        "card--marker",
        "card--bar",
    }

    DEFAULT_CSS = """
    CardList {
        background: $background;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .card { background: $surface; }
        & > .card--selected { background: $primary 40%; }
        & > .card--selected-blur { background: $panel; }
        & > .card--title { text-style: bold; color: $foreground; }
        & > .card--muted { color: $text-muted; }
        & > .card--amount { color: $text-success; }
        & > .card--overdue { color: $text-error; text-style: bold; }
        & > .card--today { color: $text-warning; text-style: bold; }
        & > .card--later { color: $text-muted; }
        & > .card--objections { color: $text-warning; }
        & > .card--stale { color: $text-error; }
        & > .card--marker { color: $accent; text-style: bold; }
        & > .card--bar { color: $accent; }
    }
    """

    @dataclass
    class Pressed(Message):
        """A card was pressed (mouse down)."""

        column: CardList
        index: int
        was_selected: bool

    @dataclass
    class DragMoved(Message):
        column: CardList
        deal_id: int
        screen_offset: Offset

    @dataclass
    class DragReleased(Message):
        """A dragged card was let go somewhere (maybe nowhere useful)."""

        column: CardList
        deal_id: int
        screen_offset: Offset

    @dataclass
    class Clicked(Message):
        """Pressed and released on the same card without dragging."""

        column: CardList
        index: int
        was_selected: bool

    def __init__(self, stage: Stage, model: BoardModel, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.stage = stage
        self.model = model
        self.selected = 0
        self.active = False
        self.drop_index: int | None = None
        self._cache: dict[tuple[int, int, int, bool, bool], list[list[Segment]]] = {}
        self._styles: CardStyles | None = None
        self._press: tuple[int, Offset, bool] | None = None
        self._dragging = False

    # data ---------------------------------------------------------------
    @property
    def deals(self) -> list:  # type: ignore[type-arg]
        return self.model.visible(self.stage.id)

    def reload(self) -> None:
        """The column's deals changed: size, selection and repaint."""
        count = len(self.deals)
        size = Size(0, count * CARD_HEIGHT + 1)  # cards fit the width: no sideways scrolling
        if size != self.virtual_size:
            self.virtual_size = size
        self.selected = max(0, min(self.selected, count - 1))
        self._cache.clear()
        self.refresh()

    def forget(self, deal_id: int) -> None:
        for key in [k for k in self._cache if k[0] == deal_id]:
            del self._cache[key]

    def _on_theme_changed(self) -> None:
        self._styles = None
        self._cache.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._cache.clear()

    # selection ----------------------------------------------------------
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
            self._refresh_card(self.selected)

    def scroll_to_selected(self) -> None:
        top = self.selected * CARD_HEIGHT
        height = self.scrollable_content_region.height or self.size.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + CARD_HEIGHT + 1 > self.scroll_y + height:
            self.scroll_to(y=top + CARD_HEIGHT + 1 - height, animate=False)

    def _refresh_card(self, index: int) -> None:
        top = index * CARD_HEIGHT - round(self.scroll_y)
        self.refresh(Region(0, top, self.size.width, CARD_HEIGHT + 1))

    # drawing ------------------------------------------------------------
    def _card_styles(self) -> CardStyles:
        if self._styles is None:
            get = self.get_component_rich_style
            self._styles = CardStyles(
                base=self.rich_style,
                card=get("card"),
                selected=get("card--selected"),
                title=get("card--title", partial=True),
                muted=get("card--muted", partial=True),
                amount=get("card--amount", partial=True),
                overdue=get("card--overdue", partial=True),
                today=get("card--today", partial=True),
                later=get("card--later", partial=True),
                objections=get("card--objections", partial=True),
                stale=get("card--stale", partial=True),
                marker=get("card--marker"),
                bar=get("card--bar", partial=True),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        styles = self._card_styles()
        line = y + round(self.scroll_y)
        index, row = divmod(line, CARD_HEIGHT)
        deals = self.deals
        if not deals and line in (1, 2):
            return self._empty_line(line, width, styles)
        if row == 0 or index >= len(deals):
            if self.drop_index is not None and row == 0 and index == self.drop_index:
                return Strip([Segment("━" * width, styles.marker)], width)
            return Strip.blank(width, styles.base)
        deal = deals[index]
        selected = index == self.selected
        key = (deal.id, deal.version, width, selected, selected and self.active)
        lines = self._cache.get(key)
        if lines is None:
            if len(self._cache) > _STRIP_CACHE_SIZE:
                self._cache.clear()
            lines = self._cache[key] = card_lines(
                deal, self.stage, self.model.facts.get(deal.id), self.model.now, width,
                self._selected_styles(styles, selected), selected=selected, active=self.active,
            )  # fmt: skip
        return Strip(lines[row - 1], width)

    def _empty_line(self, line: int, width: int, styles: CardStyles) -> Strip:
        """An empty column says so, and the first one says how to start."""
        if line == 1:
            text = "no match" if self.model.filter_text else "no deals"
        elif not self.model.stage_of and self.stage.position == self.model.stages[0].position:
            text = "n: add a deal"
        else:
            return Strip.blank(width, styles.base)
        return Strip([Segment(" " + fit(text, max(0, width - 1)), styles.base + styles.muted)]).extend_cell_length(
            width, styles.base
        )

    def _selected_styles(self, styles: CardStyles, selected: bool) -> CardStyles:
        if selected and not self.active:
            return replace(styles, selected=self.get_component_rich_style("card--selected-blur"))
        return styles

    # mouse: click and drag ----------------------------------------------
    def index_at(self, screen_y: int) -> int:
        """The visible card index under a screen row (len(deals) past the last card)."""
        local = screen_y - self.region.y + round(self.scroll_y)
        return max(0, min(local // CARD_HEIGHT, len(self.deals)))

    def drop_index_at(self, screen_y: int) -> int:
        """Where a card dropped at this screen row goes: before the card under it, or after
        it when the pointer is on its lower half."""
        local = screen_y - self.region.y + round(self.scroll_y)
        index, row = divmod(local, CARD_HEIGHT)
        if row > CARD_HEIGHT // 2 + 1:
            index += 1
        return max(0, min(index, len(self.deals)))

    def show_drop(self, index: int | None) -> None:
        if self.drop_index != index:
            self.drop_index = index
            self.refresh()

    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        index = self.index_at(event.screen_y)
        if index >= len(self.deals):
            return
        event.stop()
        was_selected = index == self.selected and self.active
        self._press = (self.deals[index].id, event.screen_offset, was_selected)
        self._dragging = False
        self.capture_mouse()
        self.post_message(self.Pressed(self, index, was_selected))

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        if self._press is None:
            return
        deal_id, start, _ = self._press
        if not self._dragging and (abs(event.screen_x - start.x) + abs(event.screen_y - start.y)) >= 2:
            self._dragging = True
        if self._dragging:
            event.stop()
            self.post_message(self.DragMoved(self, deal_id, event.screen_offset))

    def _on_mouse_up(self, event: events.MouseUp) -> None:
        press, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        self.release_mouse()
        if press is None:
            return
        event.stop()
        deal_id, _, was_selected = press
        if dragging:
            self.post_message(self.DragReleased(self, deal_id, event.screen_offset))
        else:
            self.post_message(self.Clicked(self, self.selected, was_selected))

    def cancel_drag(self) -> None:
        if self._press is not None:
            self._press, self._dragging = None, False
            self.release_mouse()


class StageColumn(Vertical):
    """One stage: header plus cards."""

    DEFAULT_CSS = """
    StageColumn {
        width: 24;
        height: 1fr;
        border: round $panel-lighten-1;
        padding: 0;
        &.-drop-target { border: double $accent; }
    }
    """

    def __init__(self, stage: Stage, number: int, model: BoardModel) -> None:
        super().__init__(id=f"stage-{stage.id}")
        self.stage = stage
        self.number = number
        self.model = model
        self.header = ColumnHeader()
        self.cards = CardList(stage, model)

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.cards

    def on_mount(self) -> None:
        self.refresh_column()

    def on_resize(self) -> None:
        self.refresh_column()

    def refresh_column(self) -> None:
        self.header.show(self.stage, self.model.totals(self.stage.id), self.model.hidden_closed(self.stage.id),
                         self.number)  # fmt: skip
        self.cards.reload()

    def set_active(self, active: bool) -> None:
        self.header.set_active(active)
        self.cards.set_active(active)
