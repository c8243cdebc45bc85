"""Why was it lost? A reason from the configured list, and an optional note.

The screen only asks: it returns a `LostAnswer` (or None when cancelled) and the
caller makes the move, so nothing is written until the rep has confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.domain.models import Deal, DealCard
from closedwon_tui.domain.text import TEXT_LIMIT


@dataclass(frozen=True)
class LostAnswer:
    reason: str  # one of the configured reasons
    note: str  # optional free text


class ReasonList(OptionList):
    """The reasons, with none highlighted at first: the rep must pick one, never a default."""

    def on_mount(self) -> None:
        self.highlighted = None

    def action_select(self) -> None:
        if self.highlighted is None:
            self.post_message(self.NothingChosen())
            return
        super().action_select()

    class NothingChosen(Message):
        """Enter was pressed before any reason was highlighted."""


class LostReasonScreen(ModalScreen[LostAnswer | None]):
    """Pick a reason (enter or click), add a note if you like, enter again to mark the deal lost."""

    CSS_PATH = "closing.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="closing.lost.cancel", tooltip="Keep the deal open"),
        Binding(
            "ctrl+s",
            "confirm",
            "Mark lost",
            id="closing.lost.confirm",
            tooltip="Mark the deal lost with the chosen reason",
        ),  # fmt: skip
    ]

    def __init__(self, deal: Deal | DealCard, reasons: Sequence[str], *, question: str | None = None) -> None:
        super().__init__()
        self.deal = deal
        #: Asked instead of "Why was <deal> lost?" (several marked deals: one reason for all).
        self.question = question
        self.reasons = tuple(reasons)
        self.reason: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="lost-dialog", classes="closing-dialog"):
            title = Content.assemble("Why was ", plain(self.deal.title, "bold"), " lost?")
            yield Static(plain(self.question) if self.question else title, id="lost-title")
            yield ReasonList(*(Option(plain(r)) for r in self.reasons), id="lost-reasons")
            yield Static("", id="lost-chosen")
            yield LiteralInput(
                placeholder="Note (optional): what happened, in a sentence", id="lost-note", max_length=TEXT_LIMIT
            )
            yield Static("", id="lost-message", classes="closing-message")
            with Horizontal(classes="closing-buttons"):
                yield Button("Mark lost", id="lost-confirm", variant="error")
                yield Button("Cancel", id="lost-cancel")
            yield Static(
                Content("↑↓ pick · enter choose · enter again to mark lost · esc cancel"),
                classes="closing-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#lost-reasons", OptionList).focus()

    @on(OptionList.OptionSelected, "#lost-reasons")
    def _choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.reason = self.reasons[event.option_index]
        chosen = Content.assemble("Reason: ", plain(self.reason, "bold"))
        self.query_one("#lost-chosen", Static).update(chosen)
        self.query_one("#lost-message", Static).update("")
        self.query_one("#lost-note", Input).focus()

    @on(ReasonList.NothingChosen)
    def _nothing_chosen(self, event: ReasonList.NothingChosen) -> None:
        event.stop()
        self.action_confirm()

    @on(Input.Submitted, "#lost-note")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#lost-confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#lost-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_confirm(self) -> None:
        if self.reason is None:
            self.query_one("#lost-message", Static).update("Pick a reason first: a lost deal always says why.")
            self.query_one("#lost-reasons", OptionList).focus()
            return
        note = self.query_one("#lost-note", Input).value.strip()
        self.dismiss(LostAnswer(reason=self.reason, note=note))

    def action_cancel(self) -> None:
        self.dismiss(None)
