"""The small forms the panel and the board open: record an objection, add a note (scheduling a
follow-up is in `followup_form.py`, answering an objection in `answer.py`).

Each one only collects values: it checks them as the rep types, and dismisses with them (an
`ObjectionEntry`, the note's text), or with None on escape. The board's session writes them; when
the write is refused the form opens again with what was typed and why (`error`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Edit, EditResult

from closedwon_tui.app.literal import LiteralInput, literal, plain
from closedwon_tui.app.panel.choices import ChoiceList
from closedwon_tui.domain.models import ObjectionKind
from closedwon_tui.domain.text import TEXT_LIMIT

T = TypeVar("T")


@dataclass(frozen=True)
class ObjectionEntry:
    kind: str
    text: str


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
        yield Static(plain(self.heading), classes="form-title")
        yield Static(plain(self.about), classes="form-subtitle")

    def type_into(self, input_id: str, character: str) -> None:
        """Carry on typing in the input after the choices: the character joins its end."""
        target = self.query_one(f"#{input_id}", Input)
        target.value += character
        target.cursor_position = len(target.value)
        target.focus()

    def show_error(self, widget_id: str, message: str) -> None:
        error = self.query_one(f"#{widget_id}", Static)
        error.update(plain(message))
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
                *(Option(plain(f"{n}  {kind.value}"), id=kind.value) for n, kind in enumerate(ObjectionKind, 1)),
                id="kind",
                compact=True,
            )
            yield Label("What did they say?", classes="form-label")
            yield LiteralInput(self.entry.text if self.entry else "", placeholder="e.g. wants 10% off for a 2-year term",
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
        text = self.query_one("#text", LiteralInput).entered
        problem = "Write what the objection is; nothing was saved." if not text.strip() else self.too_long(text)
        if problem:
            self.show_error("text-error", problem)
            self.query_one("#text", Input).focus()
            return
        self.dismiss(ObjectionEntry(self.kind, text))


class LiteralTextArea(TextArea):
    """A text area whose text, as given and as typed or pasted, keeps its new lines and tabs and shows
    every other control character as a visible escape (see app/literal.py)."""

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(literal(text, multiline=True), **options)

    def edit(self, edit: Edit) -> EditResult:
        edit.text = literal(edit.text, multiline=True)
        return super().edit(edit)


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
            yield LiteralTextArea(self.text, id="text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
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
