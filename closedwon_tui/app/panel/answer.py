"""Answering an objection: the response, and whether it settled the matter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Static

from closedwon_tui.app.panel.forms import DealForm
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.models import Objection


class AnswerForm(DealForm):
    """`r` on an objection: how the rep answered it, and whether that settled it."""

    TITLE_TEXT = "Answer the objection"

    def __init__(self, objection: Objection, *, addressed: bool = False) -> None:
        super().__init__(objection.deal_id)
        self.objection = objection
        self.addressed = addressed

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield Static(Content(f"{self.objection.kind.value}: {self.objection.text}"), classes="form-question")
            yield Label("Response", classes="form-label")
            yield Input(value=self.objection.response, placeholder="how you answered it", id="response", compact=True)
            yield Static("", id="response-error", classes="form-error -empty")
            yield Checkbox("Mark it addressed", value=self.addressed, id="addressed")
            yield Static("enter saves · tab reaches the checkbox · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#response", Input).focus()

    @on(Input.Submitted, "#response")
    def save(self) -> None:
        response = self.query_one("#response", Input).value
        if not response.strip():
            self.show_error("response-error", "Write the response; nothing was saved.")
            return
        addressed = self.query_one("#addressed", Checkbox).value
        try:
            self.app.service.answer_objection(self.objection.id, response, addressed=addressed)  # type: ignore[attr-defined]
        except ClosedwonError as exc:
            self.show_error("response-error", str(exc))
            return
        self.dismiss(True)
