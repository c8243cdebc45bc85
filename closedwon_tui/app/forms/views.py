"""Saved views: `v` picks one (its filter goes into the filter box), `V` names the current filter.

Both only collect a choice and dismiss with it; the board applies the filter or writes the
settings file (saved_views.py).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from closedwon_tui.app.cells import name_column, shown_width
from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.saved_views import check_view_name

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 100%; height: auto; max-height: 90%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} Label {{ width: 1fr; color: $text-muted; }}
{name} #error {{ color: $text-error; height: auto; }}
{name} OptionList {{ height: auto; max-height: 16; border: none; }}
"""

#: Names longer than this many cells are cut in the picker, so the filters stay in view.
NAME_COLUMN = 24

#: The picker's first option: no filter at all.
EVERYTHING = ""


class ViewPicker(ModalScreen[str | None]):
    """`v`: the saved views by name with their filters; enter applies one, escape leaves the board as it is.
    Dismisses with the view's filter ("" for the first option, every deal)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="views.cancel", tooltip="Keep the board as it is")]
    DEFAULT_CSS = _CSS.format(name="ViewPicker")

    def __init__(self, views: dict[str, str], *, current: str = "") -> None:
        super().__init__()
        self.views = dict(views)
        self.current = " ".join(current.split())

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.views:
                yield Label("Saved views: enter shows one (V saves the current filter as a view)")
            else:
                yield Label("No saved views yet: filter with /, then press V to save the filter under a name")
            options = [Option(plain("Every deal (no filter)"), id="view-0")]
            width = min(max((shown_width(name) for name in self.views), default=0), NAME_COLUMN)
            for number, (name, text) in enumerate(self.views.items(), start=1):
                here = "  (shown)" if text == self.current and text else ""
                options.append(Option(plain(f"{name_column(name, width)}  {text}{here}"), id=f"view-{number}"))
            yield OptionList(*options)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        number = int((event.option.id or "view-0").removeprefix("view-"))
        self.dismiss(EVERYTHING if number == 0 else list(self.views.values())[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveViewForm(ModalScreen[str | None]):
    """`V`: a name for the current filter (a view of that name is replaced). Dismisses with the name."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save_view.cancel", tooltip="Do not save the view")]
    DEFAULT_CSS = _CSS.format(name="SaveViewForm")

    def __init__(self, filter_text: str, names: list[str]) -> None:
        super().__init__()
        self.filter_text = filter_text
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save the filter as a view, under the name:")
            yield Label(plain(self.filter_text, "$text"))
            yield LiteralInput(placeholder="a name, such as hot or stale proposals", id="name")
            yield Label("", id="error")

    @on(Input.Submitted, "#name")
    def _named(self, event: Input.Submitted) -> None:
        try:
            name = check_view_name(event.value)
        except ValidationError as exc:
            self.query_one("#error", Label).update(plain(str(exc)))
            return
        self.dismiss(name)

    @on(Input.Changed, "#name")
    def _typed(self, event: Input.Changed) -> None:
        taken = " ".join(event.value.split()).casefold()
        replaced = next((n for n in self.names if n.casefold() == taken), None)
        message = f"enter replaces the view {replaced}" if replaced else ""
        self.query_one("#error", Label).update(plain(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
