"""The panel's tabs: their order and titles, the tab a change lands in, the objections list, and
the tab bar."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import OptionList

from closedwon_tui.app.literal import plain
from closedwon_tui.domain.models import EventKind

#: The tabs, in order: (pane id, title).
TABS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("objections", "Objections"),
    ("followups", "Follow-ups"),
    ("notes", "Notes"),
    ("history", "History"),
)

#: The tab a change made from the panel lands in, by the kind of its event.
LANDING_TABS = {
    EventKind.OBJECTION_ADDED: "objections",
    EventKind.OBJECTION_ANSWERED: "objections",
    EventKind.OBJECTION_ADDRESSED: "objections",
    EventKind.FOLLOWUP_SCHEDULED: "followups",
    EventKind.FOLLOWUP_DONE: "followups",
    EventKind.FOLLOWUP_SNOOZED: "followups",
    EventKind.NOTE_ADDED: "notes",
}


#: The changes that add an item to a list: the list highlights the new item.
ADDS_AN_ITEM = frozenset({EventKind.OBJECTION_ADDED, EventKind.FOLLOWUP_SCHEDULED})


class ObjectionList(OptionList):
    """The objections; enter on one writes its response."""

    BINDINGS = [
        Binding("enter", "select", "Answer", id="panel.answer_objection",
                tooltip="Write the response to the selected objection, and mark it addressed if it is"),
    ]  # fmt: skip


#: Cells before each tab's label, and what they show.
TAB_GAP = 1
GAP = plain(" " * TAB_GAP)
#: How many drawings of the bar are kept (see `PanelTabs._lines`).
DRAWN_BARS = 32


class PanelTabs(Widget):
    """The tab bar: each tab's label, and beneath them a bar that marks the active one.

    Drawn as one widget (two lines, kept until a label, the active tab, the pointer or the width
    changes) rather than Textual's `Tabs`, which lays out ten widgets and redraws each whenever the
    panel is shown. It looks and behaves as `Tabs` does: a click on a label (or the bar beneath it)
    shows that tab, the label under the pointer brightens, the mark slides to a new tab, and when
    the labels are wider than the panel they scroll to keep the active one in the middle."""

    DEFAULT_CSS = """
    PanelTabs { width: 100%; height: 2; pointer: pointer; }
    PanelTabs > .panel-tabs--tab { color: $foreground 50%; }
    PanelTabs > .panel-tabs--active { color: $foreground; }
    PanelTabs > .panel-tabs--hover { color: $foreground; }
    PanelTabs > .underline--bar { color: $block-cursor-background; background: $foreground 10%; }
    PanelTabs:ansi > .panel-tabs--tab { text-style: dim; }
    PanelTabs:ansi > .panel-tabs--active { text-style: not dim bold; }
    PanelTabs:ansi > .underline--bar { color: $block-cursor-background; background: $border-blurred; }
    """
    COMPONENT_CLASSES = {"panel-tabs--tab", "panel-tabs--active", "panel-tabs--hover", "underline--bar"}
    ALLOW_SELECT = False

    #: The mark beneath the active tab: its first and last cell (moved by an animation).
    highlight_start: reactive[float] = reactive(0.0, layout=False)
    highlight_end: reactive[float] = reactive(0.0, layout=False)

    @dataclass
    class Clicked(Message):
        """The rep clicked a tab: its pane should show."""

        pane: str

    def __init__(self, tabs: tuple[tuple[str, str], ...], *, active: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self._panes = [pane for pane, _title in tabs]
        self._labels = {pane: plain(title) for pane, title in tabs}
        self._active = active
        self._hover: str | None = None
        #: The bar's lines as drawn, by what they show: the counts in the labels change from deal to deal,
        #: and the few kinds of tabs a rep meets (no objections, one follow-up...) are drawn once each.
        self._lines: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(DRAWN_BARS)
        self._styles: dict[str, Style] = {}
        self.set_reactive(PanelTabs.highlight_start, float(self._span(active)[0]))
        self.set_reactive(PanelTabs.highlight_end, float(self._span(active)[1]))

    # what it shows ---------------------------------------------------------
    @property
    def active(self) -> str:
        return self._active

    @active.setter
    def active(self, pane: str) -> None:
        if pane == self._active:
            return
        self._active = pane
        start, end = self._span(pane)
        if self.is_mounted and self.app.animation_level != "none":
            self.animate("highlight_start", float(start), duration=0.3, level="basic")
            self.animate("highlight_end", float(end), duration=0.3, level="basic")
        else:
            self.highlight_start, self.highlight_end = float(start), float(end)
        self.refresh()

    def set_label(self, pane: str, label: Content) -> None:
        """A tab's label (a count beside its title changes its width: the mark follows at once)."""
        self._labels[pane] = label
        start, end = self._span(self._active)
        self.highlight_start, self.highlight_end = float(start), float(end)
        self.refresh()

    def label(self, pane: str) -> Content:
        return self._labels[pane]

    def _span(self, pane: str) -> tuple[int, int]:
        """The cells a tab's label takes on the bar (before any scrolling), its gap excluded."""
        x = 0
        for each in self._panes:
            x += TAB_GAP
            width = self._labels[each].cell_length
            if each == pane:
                return x, x + width
            x += width
        return 0, 0

    def region_of(self, pane: str) -> Region:
        """Where a tab's label is drawn in the widget (scrolled), for the mouse."""
        start, end = self._span(pane)
        scroll = self._scroll(self.size.width)
        return Region(start - TAB_GAP - scroll, 0, end - start + TAB_GAP, 1)

    def _total_width(self) -> int:
        return sum(TAB_GAP + label.cell_length for label in self._labels.values())

    def _scroll(self, width: int) -> int:
        """How far the labels scroll so that the active tab is in the middle, when they do not fit."""
        total = self._total_width()
        if total <= width:
            return 0
        start, end = self._span(self._active)
        centre = (start - TAB_GAP + end) / 2
        return round(max(0.0, min(centre - width / 2, float(total - width))))

    # drawing ---------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._styles.clear()

    def _component_style(self, component: str) -> Style:
        """A label's style (kept until the styles change: a new deal's counts redraw the labels)."""
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = Style.from_styles(self.get_component_styles(component))
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key = (
            width,
            self._active,
            self._hover,
            self.highlight_start,
            self.highlight_end,
            tuple((label.plain, tuple(label.spans)) for label in self._labels.values()),
        )
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = self._draw(width)
        return lines[y] if y < len(lines) else Strip.blank(width, self.rich_style)

    def _draw(self, width: int) -> list[Strip]:
        total = max(width, self._total_width())
        base = self.visual_style
        parts: list[Content] = []
        for pane in self._panes:
            component = (
                "panel-tabs--active"
                if pane == self._active
                else "panel-tabs--hover"
                if pane == self._hover
                else "panel-tabs--tab"
            )
            parts += [GAP, self._labels[pane].stylize_before(self._component_style(component))]
        labels = Visual.to_strips(self, Content.assemble(*parts), total, 1, base, pad=True)
        label_line = labels[0] if labels else Strip.blank(total, self.rich_style)
        bar_style = self.get_component_rich_style("underline--bar")
        bar = Bar(
            highlight_range=(self.highlight_start, self.highlight_end),
            highlight_style=RichStyle.from_color(bar_style.color),
            background_style=RichStyle.from_color(bar_style.bgcolor),
        )
        console = self.app.console
        bar_line = Strip(console.render(bar, console.options.update_width(total)), total).apply_style(self.rich_style)
        scroll = self._scroll(width)
        return [line.crop(scroll, scroll + width) for line in (label_line, bar_line)]

    # the mouse -------------------------------------------------------------
    def _pane_at(self, x: int) -> str | None:
        x += self._scroll(self.size.width)
        left = 0
        for pane in self._panes:
            right = left + TAB_GAP + self._labels[pane].cell_length
            if left <= x < right:
                return pane
            left = right
        return None

    def _on_click(self, event: events.Click) -> None:
        event.stop()
        pane = self._pane_at(event.x)
        if pane is not None:
            self.post_message(self.Clicked(pane))

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._pane_at(event.x) if event.y == 0 else None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def _on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
