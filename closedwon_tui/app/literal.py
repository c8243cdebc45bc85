"""Show text from the database literally: never as markup, never as terminal control.

The one way the app shows text it did not write itself (a deal's fields, notes, stage names,
owners, lost reasons, error messages that quote them):

- `plain(text, style)` for a widget: a `Content` built from the text as it is, its control
  characters made visible; `Content` never parses markup, so `[b]` stays `[b]`.
- `notify_literal(node, message)` for a notification: the message and title made visible,
  with markup off.
- `LiteralInput` for a field pre-filled with stored text: it shows the text made visible, and
  gives the stored value back untouched unless the rep changed the field (what is pasted into it
  is made visible too); `LiteralTextArea` (panel/forms.py, loaded with the forms) for a note.
- `literal(text)` for the few places that draw plain strings themselves (the board's cards).

Widgets that parse a `str` as markup (Static, Label, Button, Option, Tab, a border title...)
get a `Content`; a test (tests/test_app_text_rules.py) checks the app's code keeps to this.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.widgets import Input

from closedwon_tui.domain.text import printable


def literal(text: str, *, multiline: bool = False) -> str:
    """Control characters become visible escapes (`\\x1b`), so a pasted title cannot move the
    cursor, change colours or hide itself (see `domain.text.printable`); with `multiline`, new
    lines and tabs are kept. Markup needs no escaping: the result goes into Segments or `Content`,
    which never parse it."""
    return printable(text, multiline=multiline)


def plain(text: str, style: str = "", *, multiline: bool = False) -> Content:
    """`text` as drawn: literally, in `style` (a theme style such as "$text-muted" or "bold")."""
    shown = literal(text, multiline=multiline)
    return Content.styled(shown, style) if style else Content(shown)


def notify_literal(
    node: MessagePump,
    message: str,
    *,
    title: str = "",
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """A notification whose message and title are shown literally, whatever they quote."""
    node.app.notify(literal(message), title=literal(title), severity=severity, timeout=timeout, markup=False)


class LiteralInput(Input):
    """An input pre-filled with stored text.

    It shows the text with its control characters made visible (and so is anything pasted into
    it), and `entered` gives back the stored value itself while the field still shows it: a value
    saved again without being touched is saved as it was, never as its visible escapes."""

    def __init__(self, stored: str = "", **options: Any) -> None:
        self.stored = stored
        super().__init__(literal(stored), **options)

    def validate_value(self, value: str) -> str:
        return literal(value)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(literal(text), start, end)

    @property
    def entered(self) -> str:
        """The stored value when the field shows it unchanged, otherwise what the field holds."""
        return self.stored if self.value == literal(self.stored) else self.value
