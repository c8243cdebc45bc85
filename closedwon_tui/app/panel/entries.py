"""A list of dated entries (notes, history events): a heading line, then the text indented beneath it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.selection import Selection
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget
from textual.widgets import Static

INDENT = 2
EMPTY = Content("")


def leaf_virtual_size() -> Reactive[Size]:
    """The virtual size of a widget that does not scroll: it is its size, which the layout pass
    that gave the widget a new size has placed already. Textual asks for a second pass (and a
    second frame) when it changes; the panel's texts change size with every deal shown."""
    return Reactive(Size(0, 0), layout=False, repaint=False)


def same_content(a: Content, b: Content) -> bool:
    """The same text with the same styles (Content's own `==` compares the text only)."""
    return a.plain == b.plain and a.spans == b.spans


class PanelText(Static):
    """A text of the panel (its title). Its lines, as Textual draws them, are kept for the width and
    height they were drawn at, and drawn ahead while the panel is closed (see `panel_ahead`): shown
    changed, a `Static` draws its text again (about 0.5 ms), in the key that opens the panel."""

    virtual_size = leaf_virtual_size()

    def __init__(self, content: Content = EMPTY, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(content, id=id, classes=classes)
        self._shown = content
        self._drawn: tuple[tuple[int, int], list[Strip]] | None = None
        self._shown_width = 0

    def show(self, content: Content) -> None:
        """Show `content`; the same content again (the panel opened again on the same deal) keeps
        what is drawn."""
        if not same_content(content, self._shown):
            self._shown = content
            self._drawn = None
            self.update(content)

    def lines(self, width: int, height: int) -> list[Strip]:
        """Its lines at that size, drawn by Textual (kept for that size)."""
        if self._drawn is None or self._drawn[0] != (width, height):
            visual = visualize(self, self._shown, markup=False)
            self._drawn = ((width, height), Visual.to_strips(self, visual, width, height, self.visual_style))
        return self._drawn[1]

    def draw_ahead(self) -> None:
        """Its lines drawn now, at the width it was last shown at and the height its text takes there
        (the panel is closed: a hidden widget has no size)."""
        width = self._shown_width
        if width:
            self.lines(width, self.get_content_height(self.size, self.size, width))

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        self._shown_width = width
        lines = self.lines(width, height)
        return lines[y] if y < len(lines) else Strip.blank(width, self.visual_style.rich_style)

    def selection_updated(self, selection: Selection | None) -> None:
        self._drawn = None  # the selection is drawn in the lines
        super().selection_updated(selection)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None


class EntryList(Widget):
    """Draws `(heading, body)` pairs; bodies wrap with a hanging indent at whatever width the panel has."""

    DEFAULT_CSS = """
    EntryList { height: auto; }
    """
    virtual_size = leaf_virtual_size()

    def __init__(self, *, gap: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.gap = gap
        self._entries: tuple[tuple[Content, Content], ...] = ()
        self._empty = Content("")
        self._cache: tuple[int, list[Content]] | None = None

    def set_entries(self, entries: Sequence[tuple[Content, Content]], empty: Content) -> None:
        self._entries = tuple(entries)
        self._empty = empty
        self._cache = None
        self.refresh(layout=True)

    @property
    def entries(self) -> tuple[tuple[Content, Content], ...]:
        return self._entries

    def _lines(self, width: int) -> list[Content]:
        width = max(INDENT + 8, width)
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        if not self._entries:
            lines = self._empty.wrap(width)
        else:
            lines = []
            for n, (heading, body) in enumerate(self._entries):
                if n and self.gap:
                    lines.append(Content(""))
                lines.extend(heading.wrap(width))
                lines.extend(line.pad_left(INDENT) for line in body.wrap(width - INDENT))
        self._cache = (width, lines)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_region.width or self.size.width))
