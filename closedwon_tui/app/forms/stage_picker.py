"""Pick a stage by its number, its name, or from the list."""

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
from closedwon_tui.domain.models import Stage
from closedwon_tui.domain.rules import find_stage


class StagePicker(ModalScreen[Stage | None]):
    """`m`: then a digit moves at once; or type a name and press enter; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Leave the deal where it is")]
    DEFAULT_CSS = """
    StagePicker { align: center middle; }
    StagePicker > Vertical {
        width: 44; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    StagePicker Label { width: 1fr; color: $text-muted; }
    StagePicker #error { color: $text-error; height: auto; }
    StagePicker OptionList { height: auto; max-height: 12; border: none; }
    """

    def __init__(self, stages: list[Stage], *, current: int | None = None) -> None:
        super().__init__()
        self.stages = stages
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(f"Move to stage: press 1-{len(self.stages)}, or type a name"))
            yield LiteralInput(placeholder="stage name", id="name")
            options = []
            digits = len(str(len(self.stages)))
            for number, stage in enumerate(self.stages, start=1):
                here = "  (here)" if stage.id == self.current else ""
                options.append(Option(plain(f"{number:>{digits}}  {stage.name}{here}"), id=str(stage.id),
                                      disabled=stage.id == self.current))  # fmt: skip
            yield OptionList(*options)
            yield Label("", id="error")

    @on(Input.Changed, "#name")
    def _number_typed(self, event: Input.Changed) -> None:
        """A number picks that stage at once (`m` `5`), as soon as no other stage's number starts
        with it: with ten stages or more, `1` waits for a second digit (or enter)."""
        text = event.value.strip()
        if text.isdigit() and int(text + "0") > len(self.stages):
            try:
                self._choose(find_stage(self.stages, text))
            except ValidationError:
                self.query_one("#error", Label).update(plain(f"There is no stage {int(text)}"))

    @on(Input.Submitted, "#name")
    def _typed(self, event: Input.Submitted) -> None:
        try:
            stage = find_stage(self.stages, event.value)
        except ValidationError as exc:
            self.query_one("#error", Label).update(plain(str(exc)))
            return
        self._choose(stage)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._choose(next(s for s in self.stages if str(s.id) == event.option.id))

    def _choose(self, stage: Stage) -> None:
        if stage.id == self.current:
            self.query_one("#error", Label).update(plain(f"The deal is already in {stage.name}"))
            return
        self.dismiss(stage)

    def action_cancel(self) -> None:
        self.dismiss(None)
