"""A one-line footer of the keys that work now, drawn as a single line.

Textual's Footer mounts a widget per key and recomposes whenever focus moves; on the
board that cost more than drawing all the cards. This bar draws the same keys as one
strip, redraws when the bindings change, and runs a key's action when it is clicked.
"""

from __future__ import annotations

import asyncio

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from closedwon_tui.app.literal import literal

#: Keys the bar shows even when the others do not all fit: the way to every other key.
PINNED_ACTIONS = frozenset({"help"})


def _length(key: str, description: str) -> int:
    return cell_len(f" {key} ") + cell_len(f"{description} ")


def _declared(node: object, binding: Binding) -> int:
    """Where `binding` is declared among its node's bindings (by id: a remapped one is a copy)."""
    ids = [b.id for b in getattr(type(node), "BINDINGS", []) if isinstance(b, Binding)]
    return ids.index(binding.id) if binding.id in ids else len(ids)


class KeyBar(Widget):
    """The keys, and before them (`set_status`) a word on what the app is waiting for and (`say`) a
    short note on what just happened (an undo, say).

    A note here rather than a notification: a toast is a widget mounted over the board and laid
    out, about 45 ms of work after every undo, and it hides the cards under it for seconds."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--status", "keybar--said", "keybar--marks"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        & > .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .keybar--description { color: $footer-description-foreground; background: $footer-description-background; }
        & > .keybar--status { color: $text-warning; background: $footer-background; text-style: bold; }
        & > .keybar--said { color: $text-success; background: $footer-background; text-style: bold; }
        & > .keybar--marks { color: $text-accent; background: $footer-background; text-style: bold; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._items: list[tuple[str, str, str, object]] = []  # (key shown, description, action, namespace)
        self._spans: list[tuple[int, int, str, object]] = []
        self.status = ""
        self.said = ""
        self._unsay: asyncio.TimerHandle | None = None
        self.marks = ""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        if self._unsay is not None:
            self._unsay.cancel()
            self._unsay = None

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        shown = []
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((node, binding))
        # In the order the keys are declared, also when the rep's keymap moved some of them.
        nodes = list(dict.fromkeys(node for node, _ in shown))
        shown.sort(key=lambda item: (nodes.index(item[0]), _declared(item[0], item[1])))
        items = [(self.app.get_key_display(b), b.description, b.action, node) for node, b in shown]
        items.append(("^p", "palette", "app.command_palette", self.app))
        if items != self._items:
            self._items = items
            self.refresh()

    def set_status(self, text: str) -> None:
        """Shown before the keys ("" hides it), e.g. that a save waits for the database."""
        if text != self.status:
            self.status = text
            self.refresh()

    def say(self, text: str, seconds: float) -> None:
        """A note shown for `seconds` (or until the next one), literally: it may name a deal or a stage."""
        if self._unsay is not None:
            self._unsay.cancel()
        self._unsay = asyncio.get_running_loop().call_later(seconds, self._said_enough)
        if text != self.said:
            self.said = text
            self.refresh()

    def _said_enough(self) -> None:
        self._unsay = None
        if self.said:
            self.said = ""
            self.refresh()

    def set_marks(self, text: str) -> None:
        """How many cards are marked for a bulk action ("" hides it)."""
        if text != self.marks:
            self.marks = text
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key_style = self.get_component_rich_style("keybar--key")
        text_style = self.get_component_rich_style("keybar--description")
        segments: list[Segment] = []
        spans = []
        x = 0
        if self.status:
            status = f" {literal(self.status)} "  # it may name a deal
            segments.append(Segment(status, self.get_component_rich_style("keybar--status")))
            x = cell_len(status)
        marks = f" {self.marks} " if self.marks else ""
        if self.said:  # cut to leave room for the marks and the keys that always show
            pinned = sum(_length(k, d) for k, d, action, _ in self._items if action in PINNED_ACTIONS)
            said = f" {literal(self.said)} "
            room = max(0, width - x - cell_len(marks) - pinned)
            if cell_len(said) > room:
                said = set_cell_size(said, max(0, room - 2)) + "… " if room >= 3 else ""
            segments.append(Segment(said, self.get_component_rich_style("keybar--said")))
            x += cell_len(said)
        if marks:
            segments.append(Segment(marks, self.get_component_rich_style("keybar--marks")))
            x += cell_len(marks)
        # Where help is stays in view on a narrow terminal: its room is kept before the other keys
        # are laid out, and the keys are drawn in their usual order.
        room = width - x - sum(_length(k, d) for k, d, action, _ in self._items if action in PINNED_ACTIONS)
        shown = []
        for item in self._items:
            length = _length(item[0], item[1])
            if item[2] not in PINNED_ACTIONS:
                if length > room:
                    room = -1  # the keys after the first that does not fit are left out too
                    continue
                room -= length
            shown.append(item)
        for key, description, action, node in shown:
            length = _length(key, description)
            if x + length > width:
                break
            segments.extend([Segment(f" {key} ", key_style), Segment(f"{description} ", text_style)])
            spans.append((x, x + length, action, node))
            x += length
        self._spans = spans
        return Strip(segments).extend_cell_length(width, self.rich_style).crop(0, width)

    async def _on_click(self, event: events.Click) -> None:
        for start, end, action, node in self._spans:
            if start <= event.x < end:
                event.stop()
                await self.app.run_action(action, node)  # type: ignore[arg-type]
                return
