"""The small forms the panel and the board open: record an objection, schedule a follow-up, add a note.

Each one only collects values: it checks them as the rep types, and dismisses with them (an
`ObjectionEntry`, a `FollowUpEntry`, the note's text), or with None on escape. The board's
session writes them; when the write is refused the form opens again with what was typed and
why (`error`). Answering an objection is in `answer.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from closedwon_tui.app.app import app_of
from closedwon_tui.app.literal import literal
from closedwon_tui.app.panel.choices import ChoiceList
from closedwon_tui.app.panel.confirm import ConfirmScreen
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import ObjectionKind
from closedwon_tui.domain.parsing import parse_datetime
from closedwon_tui.domain.rules import is_past_due, local_today
from closedwon_tui.domain.text import TEXT_LIMIT

T = TypeVar("T")

#: The quick choices of the follow-up form, as (label, days ahead).
QUICK_DUE: tuple[tuple[str, int], ...] = (("tomorrow", 1), ("in 3 days", 3), ("next week", 7), ("in 2 weeks", 14))


def day_label(day: date) -> str:
    """`Sat 28 Nov 2026`."""
    return f"{day:%a} {day.day} {day:%b %Y}"


@dataclass(frozen=True)
class ObjectionEntry:
    kind: str
    text: str


@dataclass(frozen=True)
class FollowUpEntry:
    due: date | datetime  # a datetime when a time was given
    note: str

    @property
    def due_text(self) -> str:
        """The due date as the form's date field takes it back."""
        return f"{self.due:%Y-%m-%d %H:%M}" if isinstance(self.due, datetime) else self.due.isoformat()


class ActivityForm(ModalScreen[T]):
    """A form about one deal: a title, the deal it is for (`about`), an error line and escape to cancel."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close the form; nothing is saved")]
    TITLE_TEXT = ""

    def __init__(self, about: str, *, heading: str | None = None, error: str = "") -> None:
        super().__init__()
        self.about = about
        self.heading = heading or self.TITLE_TEXT
        self.error = error

    def compose_header(self) -> ComposeResult:
        yield Static(Content(self.heading), classes="form-title")
        yield Static(Content(literal(self.about)), classes="form-subtitle")

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

    def show_first_error(self, widget_id: str) -> None:
        """The error of a refused write, shown once the form is open again."""
        if self.error:
            self.show_error(widget_id, self.error)

    @staticmethod
    def too_long(text: str) -> str:
        """Why `text` cannot be saved, or "" (the limit is the one the service checks)."""
        length = len(text.strip())
        return f"Too long: {length} characters, at most {TEXT_LIMIT}; nothing was saved." if length > TEXT_LIMIT else ""

    def action_cancel(self) -> None:
        self.dismiss(None)


class ObjectionForm(ActivityForm[ObjectionEntry | None]):
    """`o`: the kind (1-7 or arrows and enter), then what the prospect said, then enter."""

    TITLE_TEXT = "Record an objection"

    def __init__(self, about: str, *, entry: ObjectionEntry | None = None, error: str = "") -> None:
        super().__init__(about, error=error)
        self.entry = entry

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
            yield Input(value=self.entry.text if self.entry else "", placeholder="e.g. wants 10% off for a 2-year term",
                        id="text", compact=True, select_on_focus=False)  # fmt: skip
            yield Static("", id="text-error", classes="form-error -empty")
            yield Static("enter saves · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        kinds = self.query_one("#kind", ChoiceList)
        kinds.highlighted = [k.value for k in ObjectionKind].index(self.entry.kind) if self.entry else 0
        if self.entry:  # open again after a refused write: the text is there, enter saves
            self.query_one("#text", Input).focus()
        else:
            kinds.focus()
        self.show_first_error("text-error")

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
        problem = "Write what the objection is; nothing was saved." if not text.strip() else self.too_long(text)
        if problem:
            self.show_error("text-error", problem)
            self.query_one("#text", Input).focus()
            return
        self.dismiss(ObjectionEntry(self.kind, text))


class FollowUpForm(ActivityForm[FollowUpEntry | None]):
    """`f`: when (1-4 for the quick choices, or a typed date), then the note, then enter."""

    TITLE_TEXT = "Schedule a follow-up"

    def __init__(
        self, about: str, *, heading: str | None = None, entry: FollowUpEntry | None = None, error: str = ""
    ) -> None:
        super().__init__(about, heading=heading, error=error)
        self.entry = entry

    def compose(self) -> ComposeResult:
        today = self._today()
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
            yield Input(value=self.entry.due_text if self.entry else "", placeholder="or type: friday, 2026-12-01 14:30, +10d",
                        id="due", compact=True, select_on_focus=False)  # fmt: skip
            yield Static("", id="due-preview", classes="form-preview -empty")
            yield Static("", id="due-error", classes="form-error -empty")
            yield Label("Note", classes="form-label")
            yield Input(value=self.entry.note if self.entry else "", placeholder="e.g. send revised quote", id="note",
                        compact=True, select_on_focus=False)  # fmt: skip
            yield Static("", id="note-error", classes="form-error -empty")
            yield Static("enter saves · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        quick = self.query_one("#quick", ChoiceList)
        quick.highlighted = 0
        if self.entry:  # open again after a refused write: enter saves
            self.query_one("#note", Input).focus()
        else:
            quick.focus()
        self.show_first_error("note-error")

    def _now(self) -> datetime:
        return app_of(self).service.now()

    def _today(self) -> date:
        return local_today(self._now())

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
        problem = self.too_long(self.query_one("#note", Input).value)
        if problem:
            self.show_error("note-error", problem)
            return
        if not is_past_due(moment, timed, self._now()):
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
        self.dismiss(FollowUpEntry(due, self.query_one("#note", Input).value))


class NoteForm(ActivityForm[str | None]):
    """`N`: free text over several lines; ctrl+s saves."""

    TITLE_TEXT = "Add a note"
    BINDINGS = [Binding("ctrl+s", "save", "Save note", id="form.save_note", priority=True, tooltip="Save the note")]

    def __init__(self, about: str, *, text: str = "", error: str = "") -> None:
        super().__init__(about, error=error)
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield from self.compose_header()
            yield TextArea(self.text, id="text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield Static("", id="text-error", classes="form-error -empty")
            yield Static("ctrl+s saves · enter starts a new line · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()
        self.show_first_error("text-error")

    def action_save(self) -> None:
        text = self.query_one("#text", TextArea).text
        problem = "The note is empty; nothing was saved." if not text.strip() else self.too_long(text)
        if problem:
            self.show_error("text-error", problem)
            return
        self.dismiss(text)
