"""The optional look back after a deal closes: what went well, what nearly lost it.

The screen only asks: it dismisses with a `LookbackAnswer` and the board's session saves it
(`PipelineService.record_lookback`: on the deal and in its history, in one transaction);
escape skips and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.domain.models import Deal
from closedwon_tui.domain.text import TEXT_LIMIT

#: The second question, by outcome: a win nearly got away, a loss got away.
_SECOND_QUESTION = {
    True: "What nearly lost it? (avoidable delays)",
    False: "What lost it? (avoidable delays, what to do differently)",
}


@dataclass(frozen=True)
class LookbackAnswer:
    went_well: str
    nearly_lost: str


class LookbackScreen(ModalScreen[LookbackAnswer | None]):
    """Two short answers; enter moves on and saves, escape skips."""

    CSS_PATH = "closing.tcss"
    BINDINGS = [
        Binding("escape", "skip", "Skip", id="closing.lookback.skip", tooltip="Skip the look back; nothing is saved"),
        Binding("ctrl+s", "save", "Save", id="closing.lookback.save", tooltip="Save the look back on the deal"),
    ]

    def __init__(self, deal: Deal, *, won: bool, answer: LookbackAnswer | None = None, error: str = "") -> None:
        super().__init__()
        self.deal = deal
        self.won = won
        self.answer = answer or LookbackAnswer(deal.went_well, deal.nearly_lost)
        self.error = error

    def compose(self) -> ComposeResult:
        outcome = "won" if self.won else "lost"
        with Vertical(id="lookback-dialog", classes="closing-dialog"):
            yield Static(
                Content.assemble("Look back at ", plain(self.deal.title, "bold"), plain(f" ({outcome})")),
                id="lookback-title",
            )
            yield Label("What went well?")
            yield LiteralInput(self.answer.went_well, id="lookback-went-well", max_length=TEXT_LIMIT)
            yield Label(_SECOND_QUESTION[self.won])
            yield LiteralInput(self.answer.nearly_lost, id="lookback-nearly-lost", max_length=TEXT_LIMIT)
            yield Static(plain(self.error), id="lookback-message", classes="closing-message")
            with Horizontal(classes="closing-buttons"):
                yield Button("Save", id="lookback-save", variant="primary")
                yield Button("Skip", id="lookback-skip")
            yield Static(Content("enter next / save · esc skip"), classes="closing-hint")

    def on_mount(self) -> None:
        self.query_one("#lookback-went-well", Input).focus()

    @on(Input.Submitted, "#lookback-went-well")
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#lookback-nearly-lost", Input).focus()

    @on(Input.Submitted, "#lookback-nearly-lost")
    def _last_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#lookback-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#lookback-skip")
    def _skip_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_skip()

    def action_save(self) -> None:
        went_well = self.query_one("#lookback-went-well", LiteralInput).entered.strip()
        nearly_lost = self.query_one("#lookback-nearly-lost", LiteralInput).entered.strip()
        if not went_well and not nearly_lost:
            self.query_one("#lookback-message", Static).update(
                Content("Nothing to save: write what went well or what nearly lost it, or skip the look back (escape).")
            )
            return
        self.dismiss(LookbackAnswer(went_well, nearly_lost))

    def action_skip(self) -> None:
        self.dismiss(None)
