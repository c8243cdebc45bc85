"""A yes-or-no question, asked before something a rep may not have meant."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from closedwon_tui.app.literal import plain


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True on `y` (or the Yes button), False on `n` or escape."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, go back"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="form confirm"):
            yield Static(plain(self.question), classes="form-question")
            with Horizontal(classes="form-buttons"):
                yield Button(plain(f"{self.yes_label} (y)"), id="yes", variant="primary")
                yield Button(plain(f"{self.no_label} (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
