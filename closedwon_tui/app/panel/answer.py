"""Answering an objection: the response, and whether it settled the matter.

`enter` saves from anywhere in the form (the box included); `space` ticks the box, which shows a
tick when ticked and stays empty when not, whatever the theme's colours."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Static

from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.app.panel.forms import ActivityForm
from closedwon_tui.domain.models import Objection


class TickBox(Checkbox):
    """A checkbox whose box holds a tick when ticked and nothing when not (not only another colour)."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name for what the box shows
        return "✓" if self.value else " "


@dataclass(frozen=True)
class AnswerEntry:
    response: str
    addressed: bool


class AnswerForm(ActivityForm[AnswerEntry | None]):
    """`enter` on an objection: how the rep answered it, and whether that settled it."""

    TITLE_TEXT = "Answer the objection"
    BINDINGS = [
        # Priority: enter saves from the checkbox too, where it would otherwise tick the box.
        Binding("enter", "save", "Save", id="form.answer.save", priority=True, show=False,
                tooltip="Save the response (and whether it is addressed)"),
    ]  # fmt: skip

    def __init__(self, objection: Objection, about: str, *, entry: AnswerEntry | None = None, error: str = "") -> None:
        super().__init__(about, error=error)
        self.objection = objection
        self.entry = entry

    def compose(self) -> ComposeResult:
        entry = self.entry or AnswerEntry(self.objection.response, False)
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield Static(plain(f"{self.objection.kind.value}: {self.objection.text}"), classes="form-question")
            yield Label("Response", classes="form-label")
            yield LiteralInput(entry.response, placeholder="how you answered it", id="response", compact=True)
            yield Static("", id="response-error", classes="form-error -empty")
            yield TickBox("Mark it addressed", value=entry.addressed, id="addressed")
            yield Static("enter saves · tab, then space ticks addressed · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#response", Input).focus()
        self.show_first_error("response-error")

    def action_save(self) -> None:
        response = self.query_one("#response", LiteralInput).entered
        problem = "Write the response; nothing was saved." if not response.strip() else self.too_long(response)
        if problem:
            self.show_error("response-error", problem)
            self.query_one("#response", Input).focus()
            return
        self.dismiss(AnswerEntry(response, self.query_one("#addressed", TickBox).value))
