"""The board: one column per stage, driven by keys and the mouse.

The screen builds the columns and keeps the cursor (`BoardCursor`: the selection and the keys that
move it); each of its other jobs is one composed object it routes keys and messages to:
`DealActions` (the keys and drops that change deals, each a request to its `BoardSession`, the
one caller of the write services), `FilterBox` (`/` and saved views), `ColumnDisplay` (sorting,
the closed deals shown), `PipelineDialogs` (`P`, `S`), `BoardDialogs` (the deal form, the
questions a close asks) and `BoardSessionView`, through which the session asks the screen to
redraw only what a change touched.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from closedwon_tui.app.activity import ActivityForms
from closedwon_tui.app.app import app_of
from closedwon_tui.app.board.column import StageColumn
from closedwon_tui.app.board.column_display import ColumnDisplay
from closedwon_tui.app.board.cursor import BoardCursor
from closedwon_tui.app.board.deal_actions import DealActions
from closedwon_tui.app.board.dialogs import BoardDialogs
from closedwon_tui.app.board.filter_box import FilterBox, FilterInput
from closedwon_tui.app.board.keys import SCREEN_BINDINGS
from closedwon_tui.app.board.loading import BoardLoading
from closedwon_tui.app.board.marks import Marks
from closedwon_tui.app.board.model import BoardModel, long_lived
from closedwon_tui.app.board.panel_ahead import PanelAhead
from closedwon_tui.app.board.panel_dock import PanelDock
from closedwon_tui.app.board.pipeline_dialogs import PipelineDialogs
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.board.session_view import BoardSessionView
from closedwon_tui.app.board.sync import TeamSync
from closedwon_tui.app.board.view import BoardView
from closedwon_tui.app.keybar import KeyBar
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.app.workers import WorkerRunner
from closedwon_tui.domain.rules import quarter_start


def _panel_commands():  # type: ignore[no-untyped-def]
    """The open panel's actions in the palette (loaded lazily, like Textual's own providers)."""
    from closedwon_tui.app.panel.commands import PanelCommands

    return PanelCommands


class BoardArea(Horizontal):
    """The board, and the deal panel beside it once opened.

    They cover it whole, so it draws nothing itself. Textual draws every widget behind the ones in
    front and cuts its lines where the ones in front begin and end: a container's lines drawn anew
    (after the filter box changed its height, say) are cut one by one, about 90 full-width lines
    when the panel opens (3 ms). A blank one hands Textual one line for all its lines, cut once.
    """

    BLANK = True


class BoardScreen(BoardCursor, Screen[None]):
    # The board's CSS as default CSS, not CSS_PATH: a screen's own CSS makes Textual parse
    # every stylesheet again when the board opens.
    DEFAULT_CSS = (Path(__file__).with_name("board.tcss")).read_text(encoding="utf-8")
    COMMANDS = {_panel_commands}
    BINDINGS = SCREEN_BINDINGS
    AUTO_FOCUS = "BoardView"
    #: Its widgets cover it whole: it draws nothing of its own (see `BoardArea`).
    BLANK = True

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[StageColumn] = []
        self.active = 0
        self.dock = PanelDock(self, lambda: self.query_one("#main"))
        #: The closed panel drawn ahead for the selected deal, while the app is idle.
        self.panel_ahead = PanelAhead(self)
        #: The deal under the cursor, by id: a change that lands later knows whether the rep is still on it.
        self.cursor_deal: int | None = None
        #: The cards marked for a bulk action.
        self.marks = Marks(lambda: self.columns, lambda text: self.query_one(KeyBar).set_marks(text))
        #: What the session asks of the screen.
        self.view = BoardSessionView(self)
        self.filter_box = FilterBox(self)
        self.column_display = ColumnDisplay(self)

    @property
    def model(self) -> BoardModel:
        return self.session.model

    @property
    def panel(self):  # type: ignore[no-untyped-def]  # DealPanel, imported when first opened
        return self.dock.panel

    @property
    def panel_open(self) -> bool:
        return self.dock.is_open

    # building -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        app = app_of(self)
        service = app.service
        latest = service.last_event_id()
        now = service.now()
        # The first frame needs the open deals and this quarter's outcomes, not the older ones; on a
        # big board, only each column's first cards (the rest is read after it: see BoardLoading).
        with long_lived():
            model = BoardModel(service.opening_board(pipeline=app.pipeline_id, closed_since=quarter_start(now)), now)
        self.session = BoardSession(service, model, self.view, WorkerRunner(self))
        self.board_load = BoardLoading(self)
        self.session.known_event = latest
        self.session.known_stage_event = service.last_stage_change_id()
        self.forms = ActivityForms(self.app, self.session)
        self.dialogs = BoardDialogs(self, self.session)
        self.pipelines = PipelineDialogs(self, self.session)
        self.deal_actions = DealActions(self, self.session)
        self.sync = TeamSync(self, self.session, self._install)
        self.columns = [StageColumn(s, i, model, self.marks.ids) for i, s in enumerate(model.stages, start=1)]
        self.board_view = BoardView(self.columns, id="board")
        yield Header()
        yield FilterInput(
            placeholder="Filter: words, owner:dana, stage:nego, amount>10k, close:this-quarter, stale, -TERM (? lists all)",
            id="filter",
        )
        yield Static("", id="filter-error")
        with BoardArea(id="main"):
            yield self.board_view
        yield KeyBar()

    def on_mount(self) -> None:
        self._activate(0)
        self._name_pipeline()
        self.board_load.start()

    def _name_pipeline(self) -> None:
        """The title bar names the pipeline shown; the rep's next start opens on it."""
        pipeline = self.model.pipeline
        if pipeline is None:
            return
        self.title = f"closedwon: {pipeline.name}{self.board_load.title}"
        app = app_of(self)
        app.pipeline_id = pipeline.id
        if app.remember:
            from closedwon_tui.last_used import remember_pipeline

            remember_pipeline(app.service.db.url, pipeline.id)

    def _install(self, model: BoardModel) -> None:
        """The board was read again: every column shows the new model, the selection stays. Other
        stages (another pipeline, or its stages changed): the columns are built again."""
        selected = self.selected_deal
        self._name_pipeline()
        if [c.stage for c in self.columns] != model.stages:
            self.call_next(self._rebuild, model, None if selected is None else selected.id)
            return
        for column in self.columns:
            column.model = model
            column.refresh_column()
        self.marks.keep_only(model)
        if selected is not None:
            self.select_deal(selected.id)
        self.board_load.installed()

    async def _rebuild(self, model: BoardModel, selected: int | None) -> None:
        """New columns for the model's stages, in place of the old ones (the session, with its
        undo, stays: it works the same in every pipeline)."""
        active = self.active
        await self.board_view.remove()
        self.columns = [StageColumn(s, i, model) for i, s in enumerate(model.stages, start=1)]
        self.board_view = BoardView(self.columns, id="board")
        await self.query_one("#main").mount(self.board_view, before=0)
        self.active = 0
        if selected is None or selected not in model.stage_of or not self.select_deal(selected):
            self._activate(min(active, len(self.columns) - 1))
        self.focus_board()

    def focus_board(self) -> None:
        # Focusing the focused board again would repaint it whole (Widget.focus refreshes), and the
        # panel's escape would then draw the board again at both widths.
        if self.focused is not self.board_view:
            self.board_view.focus()

    def reload_board(self) -> None:
        """Read the whole board again (after an import, say)."""
        self.sync.reload()

    # redrawing ---------------------------------------------------------------
    def refresh_columns(self, stage_ids: Any, *, same_cards: bool = False) -> None:
        wanted = set(stage_ids)
        with self.board_view.repainting_once():  # a filter redraws parts of every column: one refresh
            for column in self.columns:
                if column.stage.id in wanted:
                    column.refresh_column(same_cards=same_cards)

    def refresh_all_columns(self) -> None:
        """Every column again, with the same cards (a filter changed what they show)."""
        self.refresh_columns((c.stage.id for c in self.columns), same_cards=True)

    # keys: changes, each a request to the session (see DealActions) -----------
    def action_toggle_mark(self) -> None:
        self.board_load.run(self.deal_actions.toggle_mark)

    def action_mark_column(self) -> None:
        self.board_load.run(self.deal_actions.mark_column, "Marking the column")

    def action_move_stage(self, delta: int) -> None:
        self.board_load.run(lambda: self.deal_actions.move_stage(delta), "The move")

    def action_reorder(self, delta: int) -> None:
        self.board_load.run(lambda: self.deal_actions.reorder(delta), "The move")

    def action_mark_won(self) -> None:
        self.board_load.run(self.deal_actions.mark_won, "Closing won")

    def action_mark_lost(self) -> None:
        self.board_load.run(self.deal_actions.mark_lost, "Closing lost")

    def action_pick_stage(self) -> None:
        self.board_load.run(self.deal_actions.pick_stage, "The move")

    def action_change_owner(self) -> None:
        self.board_load.run(self.deal_actions.change_owner, "The new owner")

    def action_new_deal(self) -> None:
        self.board_load.run(self.deal_actions.new_deal)

    def action_edit_deal(self) -> None:
        self.board_load.run(self.deal_actions.edit_deal)

    def action_add_objection(self) -> None:
        self.board_load.run(self.deal_actions.add_objection)

    def action_schedule_followup(self) -> None:
        self.board_load.run(self.deal_actions.schedule_followup)

    def action_add_note(self) -> None:
        self.board_load.run(self.deal_actions.add_note)

    def action_undo(self) -> None:
        self.board_load.run(self.session.undo)

    def action_redo(self) -> None:
        self.board_load.run(self.session.redo)

    # keys: what the columns show, pipelines and stages -------------------------
    def action_cycle_order(self) -> None:
        self.board_load.run(self.column_display.cycle_order, "Sorting")

    def action_toggle_closed(self) -> None:
        self.board_load.run(self.column_display.toggle_closed, "Every closed deal")

    def action_pick_pipeline(self) -> None:
        self.board_load.run(self.pipelines.pick_pipeline, "Another pipeline")

    def action_edit_stages(self) -> None:
        self.board_load.run(self.pipelines.edit_stages, "The stage editor")

    # the mouse: the view says what happened, in the board's terms ----------
    def on_board_view_card_pressed(self, event: BoardView.CardPressed) -> None:
        self.board_load.run(lambda: self._pressed(event))

    def _pressed(self, event: BoardView.CardPressed) -> None:
        column_index = self._column_of(event.stage_id)
        self.columns[column_index].select(event.index)
        self._activate(column_index)
        self.focus_board()

    def on_board_view_card_clicked(self, event: BoardView.CardClicked) -> None:
        if event.was_selected:
            self.action_open_panel()

    def on_board_view_deal_dropped(self, event: BoardView.DealDropped) -> None:
        if not self.board_load.refuse("nothing moved, drop it again in a moment"):
            self.deal_actions.dropped(event)

    def on_board_view_drop_missed(self, _event: BoardView.DropMissed) -> None:
        notify_literal(self, "Dropped outside the columns: nothing moved", timeout=2)

    # the panel -------------------------------------------------------------
    def action_open_panel(self) -> None:
        self.board_load.run(self._open_panel)

    def _open_panel(self) -> None:
        deal = self.selected_deal
        if deal is None:
            return
        self.dock.open(deal.id, self.panel_ahead.token(), self.panel_ahead.now())
        self.call_after_refresh(self.column.scroll_to_selected)

    def close_panel(self) -> None:
        self.dock.close()
        self.focus_board()
        self.panel_ahead.changed()

    def action_switch_focus(self) -> None:
        """tab: between the board and the panel (opening it if needed)."""
        if self.dock.has_focus():
            self.focus_board()
            return
        if not self.dock.is_open:
            self.action_open_panel()
        if self.dock.is_open:
            self.dock.focus()

    def on_deal_panel_requested(self, message: Any) -> None:  # DealPanel.Requested
        message.run(self.forms)

    # the filter box and saved views (see FilterBox) ---------------------------
    def action_filter(self) -> None:
        self.filter_box.open()

    @on(Input.Changed, "#filter")
    async def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_box.changed(event.value)
        # One turn of the loop before the screen goes on: the board's repaint request (posted by its
        # own message pump once it is idle) then reaches the screen with the box's, and both are
        # painted in one frame. Without it the screen paints the box at once and the board a frame
        # later (Textual paints at most 60 frames a second): up to 17 ms more for every key that
        # changes what the board shows.
        await asyncio.sleep(0)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.filter_box.submitted(event.value)

    def action_pick_view(self) -> None:
        self.board_load.run(self.filter_box.pick_view)

    def action_save_view(self) -> None:
        self.board_load.run(self.filter_box.save_view)

    def action_escape(self) -> None:
        self.board_load.run(self._escape)

    def _escape(self) -> None:
        if self.panel_open:
            self.close_panel()
            return
        if self.marks:
            self.marks.clear()
            notify_literal(self, "Marks cleared", timeout=2)
            return
        if self.filter_box.in_use:
            self.filter_box.clear()
            self.focus_board()

    # other screens ------------------------------------------------------
    def action_help(self) -> None:
        from closedwon_tui.app.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_reports(self) -> None:
        from closedwon_tui.app.reports import ReportsScreen

        self.app.push_screen(ReportsScreen())

    def action_agenda(self) -> None:
        from closedwon_tui.app.agenda import AgendaScreen

        def jump(deal_id: int | None) -> None:
            if deal_id is not None:  # the deal may be further down a column than the board has read yet
                self.board_load.run(lambda: self._go_to(deal_id), "Going to the deal")

        self.app.push_screen(AgendaScreen(self.forms), jump)

    def _go_to(self, deal_id: int) -> None:
        if self.select_deal(deal_id):
            self.action_open_panel()

    def quit_when_saved(self) -> None:
        """`q` while a change is on its way: close once it is saved; if it is refused, stay and say why."""
        notify_literal(self, "Saving the last change before closing…", timeout=3)
        refusals = self.session.refusals
        self.session.when_idle(lambda: self.app.exit() if self.session.refusals == refusals else None)
