"""The agenda's list: group headings and follow-ups, drawn with the Line API.

Only the lines in view are built and drawn, so ten thousand pending follow-ups open as fast
as ten: every row has a known height (a heading one line, a follow-up three), so the list
knows where each row starts without measuring any text. One row is highlighted; `enter` or a
click posts `AgendaList.Selected` with its follow-up.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from closedwon_tui.app.board.card import fit
from closedwon_tui.app.literal import literal
from closedwon_tui.domain.rules import Due
from closedwon_tui.domain.timeline import due_words
from closedwon_tui.services.queries import AgendaItem

#: Lines a heading and a follow-up take.
HEADING_HEIGHT = 1
ITEM_HEIGHT = 3
#: How many rows' lines are kept drawn (a screenful or two).
_CACHE_ROWS = 256


@dataclass(frozen=True, slots=True)
class Row:
    """A group heading (item None) or a follow-up."""

    bucket: Due
    item: AgendaItem | None = None
    count: int = 0

    @property
    def height(self) -> int:
        return HEADING_HEIGHT if self.item is None else ITEM_HEIGHT


class AgendaList(ScrollView, can_focus=True):
    """Every pending follow-up by group; the highlighted one is the one `enter` (or a click) takes."""

    BINDINGS = [
        Binding(
            "enter", "select", "Go to deal", id="agenda.jump", tooltip="Show this deal on the board with its panel"
        ),
        Binding("up,k", "cursor(-1)", "Previous", show=False, id="agenda.up"),
        Binding("down,j", "cursor(1)", "Next", show=False, id="agenda.down"),
        Binding("home,g", "edge(0)", "First", show=False, id="agenda.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="agenda.last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="agenda.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="agenda.page_down"),
    ]

    COMPONENT_CLASSES = {
        "agenda--item", "agenda--highlight", "agenda--highlight-blur", "agenda--muted", "agenda--due",
        "agenda--overdue", "agenda--today", "agenda--week", "agenda--later",
    }  # fmt: skip

    DEFAULT_CSS = """
    AgendaList {
        height: 1fr;
        padding: 0 1;
        background: $surface;
        & > .agenda--item { background: $surface; }
        & > .agenda--highlight { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .agenda--highlight-blur { background: $block-cursor-blurred-background; }
        & > .agenda--muted { color: $text-muted; }
        & > .agenda--due { text-style: bold; }
        & > .agenda--overdue { color: $text-error; text-style: bold; }
        & > .agenda--today { color: $text-warning; text-style: bold; }
        & > .agenda--week { color: $text-primary; text-style: bold; }
        & > .agenda--later { color: $text-muted; text-style: bold; }
    }
    """

    @dataclass
    class Selected(Message):
        """The rep chose a follow-up: go to its deal."""

        item: AgendaItem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._starts: list[int] = []
        self.highlighted: int | None = None
        self.now: datetime | None = None
        self.name_pipelines = False
        #: False while only the soonest follow-ups are here (see `show`).
        self.complete = True
        self._drawn: dict[tuple[int, bool, int], list[Strip]] = {}

    # what is shown --------------------------------------------------------
    def show(
        self,
        groups: Mapping[Due, Sequence[AgendaItem]],
        now: datetime,
        *,
        in_place: bool = False,
        name_pipelines: bool = False,
        was: int | None = None,
        complete: bool = True,
    ) -> None:
        """Every group that has follow-ups, heading first; the first follow-up highlighted (or, read
        again after a change, `in_place`: the one now where the highlighted one was, or at row `was`
        when given, so the rep works down the list). With several pipelines, each deal's stage is
        named with its pipeline ("Renewals › Due"). Not `complete`: only the soonest follow-ups, the
        rest on their way (the headings do not count what is not here yet)."""
        self.name_pipelines = name_pipelines
        self.complete = complete
        was = self.highlighted if was is None else was
        rows: list[Row] = []
        for bucket, items in groups.items():
            if items:
                rows.append(Row(bucket, None, len(items)))
                rows.extend(Row(bucket, item) for item in items)
        starts, line = [], 0
        for row in rows:
            starts.append(line)
            line += row.height
        self.rows, self._starts, self.now = rows, starts, now
        self._drawn.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, line)
        if not in_place or was is None:
            self.highlighted = self._next_item(-1, 1)
            self.scroll_home(animate=False)
        else:
            self.highlighted = None
            target = self._next_item(min(was, len(rows)) - 1, 1)
            self.highlight(target if target is not None else self._next_item(len(rows), -1))
        self.refresh()

    @property
    def highlighted_item(self) -> AgendaItem | None:
        """The follow-up `enter` goes to (and that future keys act on)."""
        return None if self.highlighted is None else self.rows[self.highlighted].item

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def is_heading(self, index: int) -> bool:
        return self.rows[index].item is None

    def row_text(self, index: int) -> str:
        """A row's text as shown (without styles), its lines joined by newlines."""
        return "\n".join(strip.text.rstrip() for strip in self._row_strips(index, False, 200))

    # drawing --------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._drawn.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self.virtual_size.height)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        base = self.get_component_rich_style("agenda--item")
        if not self.rows or line >= self._starts[-1] + self.rows[-1].height:
            return Strip.blank(width, base)
        index = bisect_right(self._starts, line) - 1
        return self._row_strips(index, index == self.highlighted, width)[line - self._starts[index]]

    def _row_strips(self, index: int, highlighted: bool, width: int) -> list[Strip]:
        key = (index, highlighted, width)
        strips = self._drawn.get(key)
        if strips is None:
            if len(self._drawn) > _CACHE_ROWS:
                self._drawn.clear()
            strips = self._drawn[key] = self._draw(self.rows[index], highlighted, width)
        return strips

    def _draw(self, row: Row, highlighted: bool, width: int) -> list[Strip]:
        if highlighted:
            fill = self.get_component_rich_style("agenda--highlight" if self.has_focus else "agenda--highlight-blur")
        else:
            fill = self.get_component_rich_style("agenda--item")

        def style(name: str) -> Style:
            """The text's own colour (blended as the theme says) and weight, over the row's background."""
            full = self.get_component_rich_style(name)
            return Style(color=full.color, bold=full.bold, italic=full.italic)

        muted = style("agenda--muted")
        if row.item is None:
            heading = {Due.OVERDUE: "agenda--overdue", Due.TODAY: "agenda--today", Due.THIS_WEEK: "agenda--week",
                       Due.LATER: "agenda--later"}[row.bucket]  # fmt: skip
            count = f"  {row.count}" if self.complete else "  …"
            return [_strip([(row.bucket.value.capitalize(), style(heading)), (count, muted)], width, fill)]
        deal, followup = row.item.deal, row.item.followup
        assert self.now is not None
        stage = row.item.stage.name
        if self.name_pipelines and row.item.pipeline is not None:
            stage = f"{row.item.pipeline.name} › {stage}"
        facts = " · ".join(literal(p) for p in (deal.company, stage, deal.owner) if p)
        note = (literal(followup.note), Style()) if followup.note else ("(no note)", muted + Style(italic=True))
        return [
            _strip(
                [
                    ("  ", Style()),
                    (due_words(followup, self.now), style("agenda--due")),
                    ("  ", Style()),
                    (literal(deal.title), Style()),
                ],
                width,
                fill,
            ),  # fmt: skip
            _strip([("    ", Style()), (facts, muted)], width, fill),
            _strip([("    ", Style()), note], width, fill),
        ]

    # moving ---------------------------------------------------------------
    def _next_item(self, start: int, step: int) -> int | None:
        index = start + step
        while 0 <= index < len(self.rows):
            if self.rows[index].item is not None:
                return index
            index += step
        return None

    def highlight(self, index: int | None) -> None:
        if index is None or index == self.highlighted:
            return
        self.highlighted = index
        start, end = self._starts[index], self._starts[index] + self.rows[index].height
        if index and self.rows[index - 1].item is None:
            start = self._starts[index - 1]  # the first of a group brings its heading into view
        self.scroll_to_region(Region(0, start, 1, end - start), animate=False, force=True, immediate=True)
        self.refresh()

    def highlight_followup(self, followup_id: int) -> None:
        """Highlight this follow-up, if it is listed."""
        for index, row in enumerate(self.rows):
            if row.item is not None and row.item.followup.id == followup_id:
                self.highlight(index)
                return

    def action_cursor(self, step: int) -> None:
        if self.highlighted is None:
            self.highlight(self._next_item(-1, 1))
        else:
            self.highlight(self._next_item(self.highlighted, step))

    def action_edge(self, last: int) -> None:
        self.highlight(self._next_item(len(self.rows), -1) if last else self._next_item(-1, 1))

    def action_page(self, direction: int) -> None:
        if not self.rows:
            return
        current = self._starts[self.highlighted] if self.highlighted is not None else 0
        line = max(0, min(current + direction * self.scrollable_content_region.height, self._starts[-1]))
        index = bisect_right(self._starts, line) - 1
        target = self._next_item(index - 1, 1) if direction > 0 else self._next_item(index + 1, -1)
        self.highlight(target if target is not None else self._next_item(index, -direction))

    def action_select(self) -> None:
        item = self.highlighted_item
        if item is not None:
            self.post_message(self.Selected(item))

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        if not self.rows or line >= self._starts[-1] + self.rows[-1].height:
            return
        index = bisect_right(self._starts, line) - 1
        if self.rows[index].item is not None:
            self.highlight(index)
            self.action_select()

    def on_focus(self) -> None:
        self._drawn.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._drawn.clear()
        self.refresh()


def _strip(parts: list[tuple[str, Style]], width: int, fill: Style) -> Strip:
    segments: list[Segment] = []
    used = 0
    for text, style in parts:
        room = width - used
        if room <= 0:
            break
        text = fit(text, room) if cell_len(text) > room else text
        segments.append(Segment(text, fill + style))
        used += cell_len(text)
    if used < width:
        segments.append(Segment(" " * (width - used), fill))
    return Strip(segments, width)
