"""`P`: pick the pipeline the board shows; typing narrows the list, enter switches, escape stays."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import Pipeline
from closedwon_tui.domain.stage_rules import find_pipeline


class PipelinePicker(ModalScreen[int | None]):
    """Dismisses with the id of the pipeline picked, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pipelines.cancel", tooltip="Stay on this pipeline"),
        Binding("down", "next", "Next", id="pipelines.next", show=False, tooltip="The next pipeline"),
        Binding("up", "previous", "Previous", id="pipelines.previous", show=False, tooltip="The previous pipeline"),
    ]
    DEFAULT_CSS = """
    PipelinePicker { align: center middle; }
    PipelinePicker > Vertical {
        width: 48; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PipelinePicker Label { width: 1fr; color: $text-muted; }
    PipelinePicker #error { color: $text-error; height: auto; }
    PipelinePicker OptionList { height: auto; max-height: 12; border: none; }
    """

    def __init__(self, pipelines: list[Pipeline], *, current: int | None = None) -> None:
        super().__init__()
        self.pipelines = pipelines
        self.current = current
        self.shown = list(pipelines)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Show pipeline: type to narrow, enter to switch")
            yield LiteralInput(placeholder="pipeline name", id="name")
            yield OptionList(*self._options(self.pipelines))
            yield Label("", id="error")

    def on_mount(self) -> None:
        self._highlight_first()

    def _options(self, pipelines: list[Pipeline]) -> list[Option]:
        return [
            Option(plain(f"{p.name}{'  (shown)' if p.id == self.current else ''}"), id=str(p.id)) for p in pipelines
        ]

    def _highlight_first(self) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = 0

    @on(Input.Changed, "#name")
    def _narrow(self, event: Input.Changed) -> None:
        wanted = " ".join(event.value.lower().split())
        self.shown = [p for p in self.pipelines if wanted in p.name.lower()]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(self.shown))
        self._highlight_first()
        self.query_one("#error", Label).update(plain("" if self.shown else "No pipeline has that in its name"))

    @on(Input.Submitted, "#name")
    def _typed(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted].id)
            return
        try:
            self.dismiss(find_pipeline(self.pipelines, event.value).id)
        except ValidationError as exc:
            self.query_one("#error", Label).update(plain(str(exc)))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.dismiss(int(event.option.id))

    def action_next(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_previous(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
