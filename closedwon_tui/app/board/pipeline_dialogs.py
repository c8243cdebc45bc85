"""The board's pipeline and stage dialogs: `P` shows another pipeline, `S` edits the pipeline's
stages (the editor opens again on the new stages after each change), and a stage change that
landed is said and the board read again. The dialogs only ask; the session writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closedwon_tui.app.app import app_of
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.board.writes import StageEdit
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.models import Stage, StageChange

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen


class PipelineDialogs:
    def __init__(self, screen: BoardScreen, session: BoardSession) -> None:
        self.screen = screen
        self.session = session

    def pick_pipeline(self) -> None:
        """`P`: the pipeline picker; the board shows the one picked."""
        from closedwon_tui.app.forms.pipeline_picker import PipelinePicker

        model = self.session.model
        current = model.pipeline.id if model.pipeline is not None else None

        def picked(pipeline_id: int | None) -> None:
            if pipeline_id is not None and pipeline_id != current:
                self.show_pipeline(pipeline_id)

        self.screen.app.push_screen(PipelinePicker(app_of(self.screen).service.pipelines(), current=current), picked)

    def show_pipeline(self, pipeline_id: int) -> None:
        """Switch the board to another pipeline (read in a worker; the columns follow)."""
        self.screen.sync.pipeline_id = pipeline_id
        self.screen.sync.reload()

    def edit_stages(self, highlight: int | None = None, stages: list[Stage] | None = None) -> None:
        """`S`: the stage editor on the board's pipeline, `highlight` selected."""
        from closedwon_tui.app.forms.stage_editor import StageEditor

        screen = self.screen
        service = app_of(screen).service
        pipeline = self.session.model.pipeline or service.pipeline()
        try:
            counts = service.stage_deal_counts(pipeline)
        except ClosedwonError as exc:
            screen.view.show_error(str(exc), conflict=False)
            return

        def chosen(request: StageEdit | None) -> None:
            if request is None:
                return
            again = request.stage_id

            def reopen(change: StageChange) -> None:
                if screen.is_current:  # the rep is still on the board: the editor again, on the new stages
                    added = change.event.stage_id if change.event is not None else None
                    self.edit_stages(again if again is not None else added, list(change.stages))

            def refused(error: ClosedwonError) -> None:
                screen.view.show_error(str(error), conflict=False)
                self.edit_stages(again)

            self.session.edit_stages(request, then=reopen, failed=refused)

        shown = list(self.session.model.stages) if stages is None else stages
        screen.app.push_screen(StageEditor(pipeline, shown, counts, highlight=highlight), chosen)

    def stages_changed(self, change: StageChange) -> None:
        """A stage change landed: say what it did, and read the board again (new columns)."""
        if change.event is not None:
            notify_literal(self.screen, change.event.summary[:1].upper() + change.event.summary[1:], timeout=3)
        self.screen.sync.pipeline_id = change.pipeline.id if not change.pipeline.archived else None
        self.screen.sync.reload()
