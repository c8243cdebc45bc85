"""`O`: a new owner for the selected deal, or for every marked one. The form only asks; the board's
session writes the change (one transaction for all the marked deals)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from closedwon_tui.app.literal import LiteralInput
from closedwon_tui.app.panel.forms import ActivityForm


class OwnerForm(ActivityForm[str | None]):
    """The owner's name (as deals show it), then enter; an empty name leaves the deals without one."""

    CSS_PATH = str(Path(__file__).parent.parent / "panel" / "forms.tcss")
    TITLE_TEXT = "Change the owner"

    def __init__(self, about: str, *, owner: str = "", error: str = "") -> None:
        super().__init__(about, error=error)
        self.owner = owner

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield Label("New owner", classes="form-label")
            yield LiteralInput(self.owner, placeholder="e.g. Dana", id="owner", compact=True, select_on_focus=True)
            yield Static("", id="owner-error", classes="form-error -empty")
            yield Static("enter saves · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#owner", Input))
        self.show_first_error("owner-error")

    @on(Input.Submitted, "#owner")
    def save(self) -> None:
        owner = self.query_one("#owner", LiteralInput).entered.strip()
        problem = self.too_long(owner)
        if problem:
            self.show_error("owner-error", problem)
            return
        self.dismiss(owner)
