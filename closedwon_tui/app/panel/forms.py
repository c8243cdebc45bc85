"""The small forms the panel and the board open: record an objection, schedule a follow-up, add a note.
Each saves through the service and dismisses with True, or False on escape (answering an objection is in
`answer.py`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from closedwon_tui.app.panel.choices import ChoiceList
from closedwon_tui.app.panel.confirm import ConfirmScreen
from closedwon_tui.domain.errors import ClosedwonError, ValidationError
from closedwon_tui.domain.models import ObjectionKind
from closedwon_tui.domain.parsing import parse_datetime
from closedwon_tui.domain.rules import local_today, wall_clock

#: The quick choices of the follow-up form, as (label, days ahead).
QUICK_DUE: tuple[tuple[str, int], ...] = (("tomorrow", 1), ("in 3 days", 3), ("next week", 7), ("in 2 weeks", 14))


def day_label(day: date) -> str:
    """`Sat 28 Nov 2026`."""
    return f"{day:%a} {day.day} {day:%b %Y}"


class DealForm(ModalScreen[bool]):
    """A form about one deal: a title, the deal it is for, an error line and escape to cancel."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel")]
    TITLE_TEXT = ""

    def __init__(self, deal_id: int, *, heading: str | None = None) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.heading = heading or self.TITLE_TEXT

    def deal_line(self) -> Content:
        try:
            deal = self.app.service.deal(self.deal_id)  # type: ignore[attr-defined]
        except ClosedwonError:
            return Content.styled("this deal no longer exists", "$text-error")
        parts = [deal.title] + ([deal.company] if deal.company else [])
        return Content(" · ".join(parts))

    def compose_header(self) -> ComposeResult:
        yield Static(Content(self.heading), classes="form-title")
        yield Static(self.deal_line(), classes="form-subtitle")

    def type_into(self, input_id: str, character: str) -> None:
        """Carry on typing in the input after the choices: the character joins its end."""
        target = self.query_one(f"#{input_id}", Input)
        target.value += character
        target.cursor_position = len(target.value)
        target.focus()

    def show_error(self, widget_id: str, message: str) -> None:
        error = self.query_one(f"#{widget_id}", Static)
        error.update(Content(message))
        error.set_class(not message, "-empty")

    def action_cancel(self) -> None:
        self.dismiss(False)


class ObjectionForm(DealForm):
    """`o`: the kind (1-7 or arrows and enter), then what the prospect said, then enter."""

    TITLE_TEXT = "Record an objection"

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield Label("Kind (1-7)", classes="form-label")
            yield ChoiceList(
                *(Option(Content(f"{n}  {kind.value}"), id=kind.value) for n, kind in enumerate(ObjectionKind, 1)),
                id="kind",
                compact=True,
            )
            yield Label("What did they say?", classes="form-label")
            yield Input(placeholder="e.g. wants 10% off for a 2-year term", id="text", compact=True, select_on_focus=False)
            yield Static("", id="text-error", classes="form-error -empty")
            yield Static("enter saves · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        kinds = self.query_one("#kind", ChoiceList)
        kinds.highlighted = 0
        kinds.focus()

    @on(OptionList.OptionSelected, "#kind")
    def _kind_picked(self) -> None:
        self.query_one("#text", Input).focus()

    @on(ChoiceList.TypedAhead, "#kind")
    def _typed_ahead(self, event: ChoiceList.TypedAhead) -> None:
        self.type_into("text", event.character)

    @property
    def kind(self) -> str:
        option = self.query_one("#kind", ChoiceList).highlighted_option
        return option.id if option is not None and option.id else ObjectionKind.OTHER.value

    @on(Input.Submitted, "#text")
    def save(self) -> None:
        text = self.query_one("#text", Input).value
        if not text.strip():
            self.show_error("text-error", "Write what the objection is; nothing was saved.")
            self.query_one("#text", Input).focus()
            return
        try:
            self.app.service.add_objection(self.deal_id, self.kind, text)  # type: ignore[attr-defined]
        except ClosedwonError as exc:
            self.show_error("text-error", str(exc))
            return
        self.dismiss(True)


class FollowUpForm(DealForm):
    """`f`: when (1-4 for the quick choices, or a typed date), then the note, then enter."""

    TITLE_TEXT = "Schedule a follow-up"

    def compose(self) -> ComposeResult:
        today = local_today(self.app.service.now())  # type: ignore[attr-defined]
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield Label("When (1-4, or type a date below)", classes="form-label")
            yield ChoiceList(
                *(
                    Option(Content(f"{n}  {label:<11} {day_label(today + timedelta(days=days))}"), id=str(days))
                    for n, (label, days) in enumerate(QUICK_DUE, 1)
                ),
                id="quick",
                compact=True,
            )
            yield Input(placeholder="or type: friday, 2026-12-01 14:30, +10d", id="due", compact=True, select_on_focus=False)
            yield Static("", id="due-preview", classes="form-preview -empty")
            yield Static("", id="due-error", classes="form-error -empty")
            yield Label("Note", classes="form-label")
            yield Input(placeholder="e.g. send revised quote", id="note", compact=True, select_on_focus=False)
            yield Static("", id="note-error", classes="form-error -empty")
            yield Static("enter saves · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        quick = self.query_one("#quick", ChoiceList)
        quick.highlighted = 0
        quick.focus()

    def _today(self) -> date:
        return local_today(self.app.service.now())  # type: ignore[attr-defined]

    @on(OptionList.OptionSelected, "#quick")
    def _quick_picked(self, event: OptionList.OptionSelected) -> None:
        days = int(event.option_id or 1)
        due = self.query_one("#due", Input)
        due.value = (self._today() + timedelta(days=days)).isoformat()
        self.query_one("#note", Input).focus()

    @on(ChoiceList.TypedAhead, "#quick")
    def _typed_ahead(self, event: ChoiceList.TypedAhead) -> None:
        """After a pick the rep is writing the note; before one, typing a date."""
        self.type_into("note" if self.query_one("#due", Input).value else "due", event.character)

    @on(Input.Changed, "#due")
    def _preview_due(self, event: Input.Changed) -> None:
        self.show_error("due-error", "")
        preview = self.query_one("#due-preview", Static)
        try:
            parsed = parse_datetime(event.value, self._today(), field="due")
        except ValidationError:
            parsed = None
        if parsed is None:
            preview.update("")
            preview.add_class("-empty")
            return
        moment, timed = parsed
        preview.update(Content("→ " + day_label(moment.date()) + (f" {moment:%H:%M}" if timed else "")))
        preview.remove_class("-empty")

    @on(Input.Submitted, "#due")
    def _due_entered(self) -> None:
        if self._parse_due() is not None:
            self.query_one("#note", Input).focus()

    def _parse_due(self) -> tuple[datetime, bool] | None:
        """The due date typed or picked, or None after saying what is wrong."""
        text = self.query_one("#due", Input).value
        try:
            parsed = parse_datetime(text, self._today(), field="due")
        except ValidationError as exc:
            self.show_error("due-error", f"{exc}; nothing was saved.")
            self.query_one("#due", Input).focus()
            return None
        if parsed is None:
            self.show_error("due-error", "Pick when (1-4) or type a date; nothing was saved.")
            self.query_one("#quick", ChoiceList).focus()
            return None
        return parsed

    @on(Input.Submitted, "#note")
    def save(self) -> None:
        parsed = self._parse_due()
        if parsed is None:
            return
        moment, timed = parsed
        now = wall_clock(self.app.service.now())  # type: ignore[attr-defined]
        in_past = moment < now if timed else moment.date() < now.date()
        if not in_past:
            self._store(moment, timed)
            return
        when = day_label(moment.date()) + (f" {moment:%H:%M}" if timed else "")

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._store(moment, timed)

        self.app.push_screen(
            ConfirmScreen(f"{when} is in the past. Schedule the follow-up anyway?", yes="Schedule", no="Change it"),
            confirmed,
        )

    def _store(self, moment: datetime, timed: bool) -> None:
        due: date | datetime = moment if timed else moment.date()
        try:
            self.app.service.schedule_followup(  # type: ignore[attr-defined]
                self.deal_id, due, self.query_one("#note", Input).value
            )
        except ClosedwonError as exc:
            self.show_error("note-error", str(exc))
            return
        self.dismiss(True)


class NoteForm(DealForm):
    """`N`: free text over several lines; ctrl+s saves."""

    TITLE_TEXT = "Add a note"
    BINDINGS = [Binding("ctrl+s", "save", "Save note", id="form.save_note", priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield TextArea(id="text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield Static("", id="text-error", classes="form-error -empty")
            yield Static("ctrl+s saves · enter starts a new line · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one("#text", TextArea).text
        if not text.strip():
            self.show_error("text-error", "The note is empty; nothing was saved.")
            return
        try:
            self.app.service.add_note(self.deal_id, text)  # type: ignore[attr-defined]
        except ClosedwonError as exc:
            self.show_error("text-error", str(exc))
            return
        self.dismiss(True)
