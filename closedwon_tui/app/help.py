"""`?`: every key of the board, drawn from the bindings themselves, and the mouse gestures."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from closedwon_tui.app.app import app_of
from closedwon_tui.app.board.card import MARKS_HELP
from closedwon_tui.app.board.keys import BOARD_BINDINGS, MOUSE_HELP, SCREEN_BINDINGS
from closedwon_tui.app.literal import plain
from closedwon_tui.domain.filters import FILTER_SYNTAX


def _keys(binding: Binding) -> str:
    names = []
    for key in binding.key.split(","):
        key = key.strip()
        names.append({"slash": "/", "question_mark": "?", "asterisk": "*"}.get(key, key))
    return " / ".join(names)


def help_lines(keymap: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding, honouring a user's keymap."""
    keymap = keymap or {}
    rows = []
    for binding in [*BOARD_BINDINGS, *SCREEN_BINDINGS]:
        keys = keymap.get(binding.id or "", None)
        shown = _keys(Binding(keys, binding.action)) if keys else _keys(binding)
        rows.append((shown, binding.tooltip or binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the list of keys")
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 100%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen .heading { text-style: bold; color: $primary; padding-top: 1; }
    """

    def compose(self) -> ComposeResult:
        keymap = app_of(self).keymap
        width = max(len(k) for k, _ in help_lines(keymap)) + 2
        with VerticalScroll():
            yield Static("Keys", classes="heading")
            yield Static(plain("\n".join(f"{k:<{width}}{d}" for k, d in help_lines(keymap)), multiline=True))
            yield Static("Mouse", classes="heading")
            yield Static(plain("\n".join(f"{k:<{width}}{d}" for k, d in MOUSE_HELP), multiline=True))
            yield Static("Marks on cards", classes="heading")
            yield Static(plain("\n".join(f"{k:<{width}}{d}" for k, d in MARKS_HELP), multiline=True))
            yield Static("Filter (/), saved views (v, V) and --filter on the command line", classes="heading")
            yield Static(plain(f'All terms must hold: {FILTER_SYNTAX}. Quotes keep spaces: stage:"needs analysis".'))
            yield Static("Also", classes="heading")
            yield Static(plain(f"{'ctrl+p':<{width}}Command palette: every action by name\n"
                               f"{'escape':<{width}}Close this help", multiline=True))  # fmt: skip
