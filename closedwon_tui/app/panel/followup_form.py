"""Schedule a follow-up: when, then a note.

The "When" field takes a date as typed (`friday`, `+10d`, `2026-12-01 14:30`, `12/31/2026`). A
digit 1-4 alone in it, as the rep leaves it (`enter` or `tab`), is one of the quick choices
listed under it (tomorrow, in 3 days, next week, in 2 weeks); anything else is read as a date, so
a date that starts with a digit is never taken for a quick choice. The choices can also be picked
from their list (`↓` from the field, then `enter`, a digit or a click)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from closedwon_tui.app.app import app_of
from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.app.panel.choices import ChoiceList
from closedwon_tui.app.panel.confirm import ConfirmScreen
from closedwon_tui.app.panel.forms import ActivityForm
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.parsing import parse_datetime
from closedwon_tui.domain.rules import is_past_due, local_today

#: The quick choices, as (label, days ahead); their digits are 1, 2, 3, 4.
QUICK_DUE: tuple[tuple[str, int], ...] = (("tomorrow", 1), ("in 3 days", 3), ("next week", 7), ("in 2 weeks", 14))


def day_label(day: date) -> str:
    """`Sat 28 Nov 2026`."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def quick_choice(text: str) -> tuple[str, int] | None:
    """The quick choice a field holding only its digit means, or None for anything else."""
    text = text.strip()
    if len(text) == 1 and "1" <= text <= str(len(QUICK_DUE)):
        return QUICK_DUE[int(text) - 1]
    return None


@dataclass(frozen=True)
class FollowUpEntry:
    due: date | datetime  # a datetime when a time was given
    note: str

    @property
    def due_text(self) -> str:
        """The due date as the form's date field takes it back."""
        return f"{self.due:%Y-%m-%d %H:%M}" if isinstance(self.due, datetime) else self.due.isoformat()


class FollowUpForm(ActivityForm[FollowUpEntry | None]):
    """`f`: when (a date, or 1-4 alone), `enter` or `tab`, then the note, then `enter`."""

    TITLE_TEXT = "Schedule a follow-up"
    BINDINGS = [
        Binding("tab", "next_field", "Next field", id="form.followup.next", show=False,
                tooltip="The next field (a digit 1-4 alone in When is its quick choice)"),
        Binding("shift+tab", "previous_field", "Previous field", id="form.followup.previous", show=False,
                tooltip="The previous field"),
        Binding("down", "quick_choices", "Quick choices", id="form.followup.choices", show=False,
                tooltip="Pick when from the quick choices"),
    ]  # fmt: skip

    def __init__(
        self, about: str, *, heading: str | None = None, entry: FollowUpEntry | None = None, error: str = ""
    ) -> None:
        super().__init__(about, heading=heading, error=error)
        self.entry = entry

    def compose(self) -> ComposeResult:
        today = self._today()
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield Label("When: a date, or 1-4 alone for a quick choice", classes="form-label")
            yield LiteralInput(self.entry.due_text if self.entry else "", id="due", compact=True, select_on_focus=False,
                               placeholder="friday, +10d, 2026-12-01 14:30, 12/31/2026 or 1-4")  # fmt: skip
            yield Static("", id="due-preview", classes="form-preview -empty")
            yield Static("", id="due-error", classes="form-error -empty")
            yield ChoiceList(
                *(
                    Option(plain(f"{n}  {label:<11} {day_label(today + timedelta(days=days))}"), id=str(days))
                    for n, (label, days) in enumerate(QUICK_DUE, 1)
                ),
                id="quick",
                compact=True,
            )
            yield Label("Note", classes="form-label")
            yield LiteralInput(self.entry.note if self.entry else "", placeholder="e.g. send revised quote", id="note",
                               compact=True, select_on_focus=False)  # fmt: skip
            yield Static("", id="note-error", classes="form-error -empty")
            yield Static("enter or tab: next field · ↓ quick choices · enter on the note saves · escape cancels",
                         classes="form-hint")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#quick", ChoiceList).highlighted = None
        # Open again after a refused write: the note, where enter saves; otherwise when.
        self.set_focus(self.query_one("#note" if self.entry else "#due", Input))
        self.show_first_error("note-error")

    def _now(self) -> datetime:
        return app_of(self).service.now()

    def _today(self) -> date:
        return local_today(self._now())

    @property
    def _due(self) -> LiteralInput:
        return self.query_one("#due", LiteralInput)

    @property
    def _note(self) -> LiteralInput:
        return self.query_one("#note", LiteralInput)

    # moving between the fields -----------------------------------------------------------------
    def _move_to(self, widget: Input | OptionList) -> None:
        """At once, so keys typed right after enter or tab land in the field they were meant for."""
        self.set_focus(widget)

    def action_next_field(self) -> None:
        if self.focused is self._due:
            if self._leave_due():
                self._move_to(self._note)
        else:
            self.focus_next()

    def action_previous_field(self) -> None:
        if self.focused is self._note:
            self._move_to(self._due)
        else:
            self.focus_previous()

    def action_quick_choices(self) -> None:
        quick = self.query_one("#quick", ChoiceList)
        if quick.highlighted is None:
            quick.highlighted = 0
        self._move_to(quick)

    @on(Input.Submitted, "#due")
    def _due_entered(self) -> None:
        if self._leave_due():
            self._move_to(self._note)

    @on(Input.Blurred, "#due")
    def _due_left(self) -> None:
        self._take_quick_choice()

    def _take_quick_choice(self) -> None:
        """A digit 1-4 alone in the field becomes that choice's date."""
        choice = quick_choice(self._due.value)
        if choice is not None:
            self._due.value = (self._today() + timedelta(days=choice[1])).isoformat()

    def _leave_due(self) -> bool:
        """Leaving the field: a quick choice is taken; a date that does not parse is said and kept."""
        self._take_quick_choice()
        if not self._due.entered.strip():
            return True  # nothing yet: the rep may pick a quick choice or come back
        return self._parse_due() is not None

    @on(OptionList.OptionSelected, "#quick")
    def _quick_picked(self, event: OptionList.OptionSelected) -> None:
        days = int(event.option_id or 1)
        self._due.value = (self._today() + timedelta(days=days)).isoformat()
        self._move_to(self._note)

    @on(ChoiceList.TypedAhead, "#quick")
    def _typed_ahead(self, event: ChoiceList.TypedAhead) -> None:
        """Right after a pick the rep is writing the note; otherwise typing a date."""
        self.type_into("note" if event.choice_list.picked else "due", event.character)

    # what the date means --------------------------------------------------------------------------
    @on(Input.Changed, "#due")
    def _preview_due(self, event: Input.Changed) -> None:
        self.show_error("due-error", "")
        preview = self.query_one("#due-preview", Static)
        choice = quick_choice(event.value)
        if choice is not None:
            label, days = choice
            shown = f"→ {label}: {day_label(self._today() + timedelta(days=days))} (leave the field to take it)"
        else:
            try:
                parsed = parse_datetime(self._due.entered, self._today(), field="due")
            except ValidationError:
                parsed = None
            shown = "" if parsed is None else "→ " + self._when(*parsed)
        preview.update(plain(shown))
        preview.set_class(not shown, "-empty")

    @staticmethod
    def _when(moment: datetime, timed: bool) -> str:
        return day_label(moment.date()) + (f" {moment:%H:%M}" if timed else "")

    def _parse_due(self) -> tuple[datetime, bool] | None:
        """The due date typed or picked, or None after saying what is wrong."""
        try:
            parsed = parse_datetime(self._due.entered, self._today(), field="due")
        except ValidationError as exc:
            self.show_error("due-error", f"{exc}; nothing was saved.")
            self._move_to(self._due)
            return None
        if parsed is None:
            self.show_error("due-error", "Type when (a date, or 1-4 for a quick choice); nothing was saved.")
            self._move_to(self._due)
            return None
        return parsed

    # saving -----------------------------------------------------------------------------------------
    @on(Input.Submitted, "#note")
    def save(self) -> None:
        self._take_quick_choice()
        parsed = self._parse_due()
        if parsed is None:
            return
        moment, timed = parsed
        problem = self.too_long(self._note.entered)
        if problem:
            self.show_error("note-error", problem)
            return
        if not is_past_due(moment, timed, self._now()):
            self._store(moment, timed)
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._store(moment, timed)

        self.app.push_screen(
            ConfirmScreen(f"{self._when(moment, timed)} is in the past. Schedule the follow-up anyway?",
                          yes="Schedule", no="Change it"),
            confirmed,
        )  # fmt: skip

    def _store(self, moment: datetime, timed: bool) -> None:
        due: date | datetime = moment if timed else moment.date()
        self.dismiss(FollowUpEntry(due, self._note.entered))
