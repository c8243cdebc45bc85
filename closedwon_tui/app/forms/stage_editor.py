"""`S` (or "Stages…" in the command palette): the pipeline's stages, to add, rename, reorder, set
probability and rotting days, and remove (its deals moved to another stage first).

Like every form it only collects what the rep asks for and dismisses with it (a `StageEdit`);
the board's session makes the change, and the board opens the editor again on the new stages.
What is typed is checked as it is typed, with the rules the services apply (domain/stage_rules).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from closedwon_tui.app.board.writes import StageEdit
from closedwon_tui.app.cells import name_column
from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import Pipeline, Stage
from closedwon_tui.domain.stage_rules import clean_name, clean_probability, clean_rotting_days


class StageEditor(ModalScreen[StageEdit | None]):
    """The stages of one pipeline; the fields below show the highlighted stage."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="stages.cancel", tooltip="Close the stage editor"),
        Binding("ctrl+s", "save", "Save", id="stages.save", tooltip="Save the highlighted stage's name and numbers"),
        Binding("ctrl+n", "add", "Add after", id="stages.add", tooltip="Add a stage after the highlighted one"),
        Binding("ctrl+up", "move(-1)", "Move up", id="stages.up", tooltip="Move the highlighted stage up"),
        Binding("ctrl+down", "move(1)", "Move down", id="stages.down", tooltip="Move the highlighted stage down"),
        Binding("ctrl+d", "remove", "Remove", id="stages.remove", tooltip="Remove the highlighted stage"),
    ]
    DEFAULT_CSS = """
    StageEditor { align: center middle; }
    StageEditor > Vertical {
        width: 72; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    StageEditor Label { width: 1fr; color: $text-muted; }
    StageEditor #error { color: $text-error; height: auto; }
    StageEditor OptionList { height: auto; max-height: 12; border: none; }
    StageEditor Horizontal { height: auto; }
    StageEditor Horizontal > Vertical { width: 1fr; height: auto; }
    StageEditor #name { width: 1fr; }
    """

    def __init__(
        self, pipeline: Pipeline, stages: list[Stage], counts: dict[int, int], *, highlight: int | None = None
    ) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.stages = stages
        self.counts = counts
        self.highlight = highlight
        #: Waiting for the stage the removed stage's deals go to.
        self.removing: Stage | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(f"Stages of {self.pipeline.name}"), id="heading")
            yield OptionList(*self._options(), id="stages")
            with Horizontal():
                with Vertical():
                    yield Label("Name")
                    yield LiteralInput(id="name")
                with Vertical():
                    yield Label("Probability %")
                    yield LiteralInput(id="probability")
                with Vertical():
                    yield Label("Rotting days")
                    yield LiteralInput(id="rotting", placeholder="never")
            yield Label("", id="error")
            yield Label("ctrl+s save · ctrl+n add after · ctrl+↑/↓ move · ctrl+d remove · escape close", id="keys")

    def _options(self) -> list[Option]:
        options = []
        for number, s in enumerate(self.stages, start=1):
            rot = f"rots after {s.rotting_days}d" if s.rotting_days else ""
            held = self.counts.get(s.id, 0)
            deals = f"{held} deal{'' if held == 1 else 's'}"
            options.append(
                Option(
                    plain(f"{number:>2}  {name_column(s.name, 24)} {s.probability:>3}%  {rot:<16} {deals}"),
                    id=str(s.id),
                )
            )
        return options

    def on_mount(self) -> None:
        options = self.query_one("#stages", OptionList)
        index = next((i for i, s in enumerate(self.stages) if s.id == self.highlight), 0)
        options.highlighted = index
        self._fill(self.stages[index])
        options.focus()

    # what is highlighted fills the fields ---------------------------------------
    @property
    def current(self) -> Stage:
        index = self.query_one("#stages", OptionList).highlighted or 0
        return self.stages[index]

    @on(OptionList.OptionHighlighted, "#stages")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.removing is None:
            self._fill(self.current)

    @on(OptionList.OptionSelected, "#stages")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.removing is not None:
            self._remove_into(self.current)
            return
        self.query_one("#name", Input).focus()

    def _fill(self, stage: Stage) -> None:
        self.query_one("#name", Input).value = stage.name
        self.query_one("#probability", Input).value = str(stage.probability)
        self.query_one("#rotting", Input).value = str(stage.rotting_days or "")
        self._say("")

    # checked as it is typed -------------------------------------------------------
    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self.removing is None:
            self._check(adding=False)

    def _check(self, *, adding: bool) -> dict[str, object] | None:
        """The fields' values, checked as the service will check them; None (and why) if not."""
        stage = self.current
        others = [s.name for s in self.stages if adding or s.id != stage.id]
        try:
            name = clean_name(self.query_one("#name", Input).value, others, "stage")
            probability = clean_probability(self.query_one("#probability", Input).value)
            rotting = clean_rotting_days(self.query_one("#rotting", Input).value)
        except ValidationError as exc:
            self._say(str(exc))
            return None
        self._say("")
        return {"name": name, "probability": probability, "rotting": rotting}

    def _say(self, message: str) -> None:
        self.query_one("#error", Label).update(plain(message))

    # the rep's requests -----------------------------------------------------------
    def action_save(self) -> None:
        stage = self.current
        values = self._check(adding=False)
        if values is None:
            return
        renamed = values["name"] != stage.name
        numbers = values["probability"] != stage.probability or values["rotting"] != stage.rotting_days
        if not renamed and not numbers:
            self._say(f"{stage.name} is already like that")
            return
        probability = str(values["probability"]) if values["probability"] != stage.probability else None
        rotting = None
        if values["rotting"] != stage.rotting_days:
            rotting = str(values["rotting"] or 0)
        if renamed and numbers:
            self._say("Save the name and the numbers one at a time (ctrl+s after each)")
            return
        if renamed:
            self.dismiss(StageEdit("rename", stage.id, name=str(values["name"])))
        else:
            self.dismiss(StageEdit("edit", stage.id, probability=probability, rotting_days=rotting))

    def action_add(self) -> None:
        stage = self.current
        values = self._check(adding=True)
        if values is None:
            return
        if stage.is_closed:
            self._say(f"New stages go before {stage.name}: highlight an open stage to add after it")
            return
        self.dismiss(
            StageEdit(
                "add",
                name=str(values["name"]),
                probability=str(values["probability"]),
                rotting_days=str(values["rotting"] or 0),
                after=stage.id,
            )  # fmt: skip
        )

    def action_move(self, delta: int) -> None:
        stage = self.current
        opened = [s for s in self.stages if s.is_open]
        if stage.is_closed:
            self._say(f"{stage.name} stays at the end: only open stages move")
            return
        index = opened.index(stage) + delta
        if not 0 <= index < len(opened):
            self._say(f"{stage.name} is already {'first' if delta < 0 else 'the last open stage'}")
            return
        if index == 0:
            self.dismiss(StageEdit("move", stage.id, first=True))
            return
        others = [s for s in opened if s.id != stage.id]
        self.dismiss(StageEdit("move", stage.id, after=others[index - 1].id))

    def action_remove(self) -> None:
        stage = self.current
        if stage.is_closed:
            self._say(f"{stage.name} cannot be removed: a pipeline always has one won and one lost stage")
            return
        if not self.counts.get(stage.id):
            self.dismiss(StageEdit("remove", stage.id))
            return
        held = self.counts[stage.id]
        self.removing = stage
        self._say(f"{stage.name} holds {held} deal{'' if held == 1 else 's'}: pick the stage they go to, then enter")
        self.query_one("#stages", OptionList).focus()

    def _remove_into(self, destination: Stage) -> None:
        removing = self.removing
        assert removing is not None
        if destination.id == removing.id or destination.is_closed:
            self._say(f"Move the deals to another open stage, not {destination.name}")
            return
        self.dismiss(StageEdit("remove", removing.id, move_deals_to=destination.id))

    def action_cancel(self) -> None:
        if self.removing is not None:
            self.removing = None
            self._fill(self.current)
            return
        self.dismiss(None)
