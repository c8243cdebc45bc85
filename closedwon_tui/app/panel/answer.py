"""Answering an objection: the response, and whether it settled the matter."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Static

from closedwon_tui.app.literal import literal
from closedwon_tui.app.panel.forms import ActivityForm
from closedwon_tui.domain.models import Objection


@dataclass(frozen=True)
class AnswerEntry:
    response: str
    addressed: bool


class AnswerForm(ActivityForm[AnswerEntry | None]):
    """`enter` on an objection: how the rep answered it, and whether that settled it."""

    TITLE_TEXT = "Answer the objection"

    def __init__(self, objection: Objection, about: str, *, entry: AnswerEntry | None = None, error: str = "") -> None:
        super().__init__(about, error=error)
        self.objection = objection
        self.entry = entry

    def compose(self) -> ComposeResult:
        entry = self.entry or AnswerEntry(self.objection.response, False)
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield Static(
                Content(literal(f"{self.objection.kind.value}: {self.objection.text}")), classes="form-question"
            )
            yield Label("Response", classes="form-label")
            yield Input(value=entry.response, placeholder="how you answered it", id="response", compact=True)
            yield Static("", id="response-error", classes="form-error -empty")
            yield Checkbox("Mark it addressed", value=entry.addressed, id="addressed")
            yield Static("enter saves · tab reaches the checkbox · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#response", Input).focus()
        self.show_first_error("response-error")

    @on(Input.Submitted, "#response")
    def save(self) -> None:
        response = self.query_one("#response", Input).value
        problem = "Write the response; nothing was saved." if not response.strip() else self.too_long(response)
        if problem:
            self.show_error("response-error", problem)
            return
        self.dismiss(AnswerEntry(response, self.query_one("#addressed", Checkbox).value))
