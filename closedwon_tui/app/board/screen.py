"""The board: one column per stage, driven by keys and the mouse.

The screen turns keys, the view's mouse messages and the panel's requests into requests to
its `BoardSession`, the one caller of the write services; the session applies each change and
asks the screen (its `SessionView`) to redraw only what the change touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from closedwon_tui.app.activity import ActivityForms, deal_line
from closedwon_tui.app.app import app_of
from closedwon_tui.app.board.column import StageColumn
from closedwon_tui.app.board.dialogs import BoardDialogs
from closedwon_tui.app.board.keys import SCREEN_BINDINGS
from closedwon_tui.app.board.marks import Marks
from closedwon_tui.app.board.model import BoardModel, long_lived
from closedwon_tui.app.board.panel_dock import PanelDock
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.board.sync import TeamSync
from closedwon_tui.app.board.view import BoardView
from closedwon_tui.app.board.writes import Follow, StageEdit, Undo
from closedwon_tui.app.keybar import KeyBar
from closedwon_tui.app.literal import LiteralInput, notify_literal, plain
from closedwon_tui.app.workers import WorkerRunner
from closedwon_tui.domain.card_order import ColumnOrder
from closedwon_tui.domain.errors import ClosedwonError, ValidationError
from closedwon_tui.domain.filters import unfinished_term
from closedwon_tui.domain.models import Change, DealCard, DealDetail, EventKind, Stage, StageChange, StageKind
from closedwon_tui.domain.rules import quarter_start

#: A write that takes longer than this says so in the key bar (a quick one would only flicker).
WAITING_SHOWN_AFTER = 0.25


def _panel_commands():  # type: ignore[no-untyped-def]
    """The open panel's actions in the palette (loaded lazily, like Textual's own providers)."""
    from closedwon_tui.app.panel.commands import PanelCommands

    return PanelCommands


class BoardScreen(Screen[None]):
    # The board's CSS as default CSS, not CSS_PATH: a screen's own CSS makes Textual parse
    # every stylesheet again when the board opens.
    DEFAULT_CSS = (Path(__file__).with_name("board.tcss")).read_text(encoding="utf-8")
    COMMANDS = {_panel_commands}
    BINDINGS = SCREEN_BINDINGS
    AUTO_FOCUS = "BoardView"

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[StageColumn] = []
        self.active = 0
        self.dock = PanelDock(self, lambda: self.query_one("#main"))
        self._waiting: tuple[str, Timer] | None = None
        #: The deal under the cursor, by id: a change that lands later knows whether the rep is still on it.
        self.cursor_deal: int | None = None
        #: The cards marked for a bulk action.
        self.marks = Marks(lambda: self.columns, lambda text: self.query_one(KeyBar).set_marks(text))

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
        with long_lived():  # the first frame needs the open deals and this quarter's outcomes, not the older ones
            model = BoardModel(service.board(pipeline=app.pipeline_id, closed_since=quarter_start(now)), now)
        self.session = BoardSession(service, model, self, WorkerRunner(self))
        self.session.known_event = latest
        self.session.known_stage_event = service.last_stage_change_id()
        self.forms = ActivityForms(self.app, self.session)
        self.dialogs = BoardDialogs(self, self.session)
        self.sync = TeamSync(self, self.session, self._install)
        self.columns = [StageColumn(s, i, model, self.marks.ids) for i, s in enumerate(model.stages, start=1)]
        self.board_view = BoardView(self.columns, id="board")
        yield Header()
        yield LiteralInput(
            placeholder="Filter: words, owner:dana, stage:nego, amount>10k, close:this-quarter, stale, -TERM (? lists all)",
            id="filter",
        )
        yield Static("", id="filter-error")
        with Horizontal(id="main"):
            yield self.board_view
        yield KeyBar()

    def on_mount(self) -> None:
        self._activate(0)
        self._name_pipeline()
        self.sync.start()

    def _name_pipeline(self) -> None:
        """The title bar names the pipeline shown; the rep's next start opens on it."""
        pipeline = self.model.pipeline
        if pipeline is None:
            return
        self.title = f"closedwon: {pipeline.name}"
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

    # pipelines and stages ---------------------------------------------------
    def action_pick_pipeline(self) -> None:
        from closedwon_tui.app.forms.pipeline_picker import PipelinePicker

        service = app_of(self).service
        current = self.model.pipeline.id if self.model.pipeline is not None else None

        def picked(pipeline_id: int | None) -> None:
            if pipeline_id is not None and pipeline_id != current:
                self.show_pipeline(pipeline_id)

        self.app.push_screen(PipelinePicker(service.pipelines(), current=current), picked)

    def show_pipeline(self, pipeline_id: int) -> None:
        """Switch the board to another pipeline (read in a worker; the columns follow)."""
        self.sync.pipeline_id = pipeline_id
        self.sync.reload()

    def action_edit_stages(self, highlight: int | None = None, stages: list[Stage] | None = None) -> None:
        from closedwon_tui.app.forms.stage_editor import StageEditor

        service = app_of(self).service
        pipeline = self.model.pipeline or service.pipeline()
        try:
            counts = service.stage_deal_counts(pipeline)
        except ClosedwonError as exc:
            self.show_error(str(exc), conflict=False)
            return

        def chosen(request: StageEdit | None) -> None:
            if request is None:
                return
            again = request.stage_id

            def reopen(change: StageChange) -> None:
                if self.is_current:  # the rep is still on the board: the editor again, on the new stages
                    added = change.event.stage_id if change.event is not None else None
                    self.action_edit_stages(again if again is not None else added, list(change.stages))

            def refused(error: ClosedwonError) -> None:
                self.show_error(str(error), conflict=False)
                self.action_edit_stages(again)

            self.session.edit_stages(request, then=reopen, failed=refused)

        shown = list(self.model.stages) if stages is None else stages
        self.app.push_screen(StageEditor(pipeline, shown, counts, highlight=highlight), chosen)

    def stages_changed(self, change: StageChange, undo: Undo) -> None:
        """A stage change landed: say what it did, and read the board again (new columns)."""
        if change.event is not None:
            notify_literal(self, change.event.summary[:1].upper() + change.event.summary[1:], timeout=3)
        self.sync.pipeline_id = change.pipeline.id if not change.pipeline.archived else None
        self.sync.reload()

    # selection ----------------------------------------------------------
    @property
    def column(self) -> StageColumn:
        return self.columns[self.active]

    @property
    def selected_deal(self) -> DealCard | None:
        deals = self.column.deals
        index = self.column.selected
        return deals[index] if 0 <= index < len(deals) else None

    def _activate(self, index: int) -> None:
        index = max(0, min(index, len(self.columns) - 1))
        if index != self.active:
            self.columns[self.active].set_active(False)  # only the two columns that change restyle
        self.columns[index].set_active(True)
        self.active = index
        self.board_view.show_column(index)
        self._selection_changed()

    def _selection_changed(self) -> None:
        if self.is_mounted:
            deal = self.selected_deal
            self.cursor_deal = None if deal is None else deal.id
            self.dock.follow(self.cursor_deal)

    def _column_of(self, stage_id: int) -> int:
        return next(i for i, c in enumerate(self.columns) if c.stage.id == stage_id)

    def select_deal(self, deal_id: int) -> bool:
        """Focus the deal's column and select its card (clearing a filter that hides it)."""
        found = self.model.index_of(deal_id)
        if found is None and self.model.filter_text:
            self._clear_filter()
            found = self.model.index_of(deal_id)
        if found is None and not self.model.show_all_closed:
            self.action_toggle_closed()
            found = self.model.index_of(deal_id)
        if found is None:
            return False
        stage_id, index = found
        column_index = self._column_of(stage_id)
        self.columns[column_index].select(index)
        self._activate(column_index)
        return True

    def focus_board(self) -> None:
        self.board_view.focus()

    # keys: navigation ---------------------------------------------------
    def action_column(self, delta: int) -> None:
        self._activate(self.active + delta)

    def action_card(self, delta: int) -> None:
        self.column.select(self.column.selected + delta)
        self._selection_changed()

    def action_card_edge(self, last: int) -> None:
        self.column.select(len(self.column.deals) - 1 if last else 0)
        self._selection_changed()

    # marks: what a bulk action acts on -------------------------------------
    def action_toggle_mark(self) -> None:
        if (deal := self.selected_deal) is not None:
            self.marks.toggle(deal.id)

    def action_mark_column(self) -> None:
        shown = self.column.deals
        added = self.marks.add(d.id for d in shown)
        name = self.column.stage.name
        notify_literal(self, f"Marked {added} more in {name} ({len(self.marks)} marked)" if added
                       else f"Every card shown in {name} is already marked", timeout=2)  # fmt: skip

    def _marked(self) -> list[int]:
        """The marked deals, in the board's order (empty: the keys act on the selected card)."""
        return self.marks.in_board_order(self.model)

    def _bulk_done(self, change: Change[Any]) -> None:
        """A bulk action landed: the marks have done their job."""
        self.marks.clear()
        count = len(change.leads)
        notify_literal(self, f"Changed {count} deal{'s' if count != 1 else ''} (u undoes them all)", timeout=3)

    # keys: changes, each a request to the session -------------------------
    def action_move_stage(self, delta: int) -> None:
        if marked := self._marked():
            self.session.move_many(marked, delta=delta, then=self._bulk_done)
        elif (deal := self.selected_deal) is not None:
            self.session.move_by(deal.id, delta)

    def action_reorder(self, delta: int) -> None:
        if (deal := self.selected_deal) is not None:
            if self._back_to_manual(deal.stage_id, "K and J move cards in the manual order"):
                return
            self._complete_column(deal.stage_id)
            self.session.reorder_by(deal.id, delta)

    # the column's order ------------------------------------------------------
    def action_cycle_order(self) -> None:
        """`s`: the focused column in its next order; the cursor stays on its deal."""
        column = self.column
        order = self.model.order(column.stage.id).following
        kept = self.selected_deal
        self.model.set_order(column.stage.id, order)
        column.refresh_column(same_cards=True)
        if kept is not None:
            self._reselect(kept.id)
        self.say(f"{column.stage.name}: {order.value} order")

    def _back_to_manual(self, stage_id: int, why: str) -> bool:
        """A sorted column goes back to its manual order (what dragging and K/J change); True if it was sorted."""
        if self.model.order(stage_id) is ColumnOrder.MANUAL:
            return False
        self.model.set_order(stage_id, ColumnOrder.MANUAL)
        self._refresh_columns([stage_id], same_cards=True)
        if self.cursor_deal is not None:
            self._reselect(self.cursor_deal)
        notify_literal(self, f"{self.model.stage_by_id[stage_id].name} is back in manual order: {why}", timeout=4)
        return True

    def action_mark_won(self) -> None:
        if marked := self._marked():
            won = next(s for s in self.model.stages if s.kind is StageKind.WON)
            self.session.move_many(marked, stage_id=won.id, then=self._bulk_done)
        elif (deal := self.selected_deal) is not None:
            self.session.mark_won(deal.id)

    def action_mark_lost(self) -> None:
        lost = next(s for s in self.model.stages if s.kind is StageKind.LOST)
        if marked := self._marked():
            self.session.move_many(marked, stage_id=lost.id, then=self._bulk_done)  # one reason for all, asked first
        elif (deal := self.selected_deal) is not None:
            self.session.move(deal.id, lost.id)  # asks for the reason first

    def action_pick_stage(self) -> None:
        from closedwon_tui.app.forms.stage_picker import StagePicker

        marked = self._marked()
        deal = self.selected_deal
        if deal is None and not marked:
            return

        def picked(stage: Stage | None) -> None:
            if stage is None:
                return
            if marked:
                self.session.move_many(marked, stage_id=stage.id, then=self._bulk_done)
            elif deal is not None:
                self.session.move(deal.id, stage.id)

        current = None if marked or deal is None else deal.stage_id
        self.app.push_screen(StagePicker(self.model.stages, current=current), picked)

    def action_change_owner(self) -> None:
        from closedwon_tui.app.board.owner_form import OwnerForm

        marked = self._marked()
        card = self.selected_deal
        if not marked and card is None:
            return
        about = f"{len(marked)} marked deals" if marked else deal_line(card.title, card.company) if card else ""

        def entered(owner: str | None) -> None:
            if owner is None:
                return
            if marked:
                self.session.edit_many(marked, {"owner": owner}, then=self._bulk_done)
            elif card is not None:
                self.session.edit_deal(card.id, card.version, {"owner": owner})

        self.app.push_screen(OwnerForm(about, owner="" if marked or card is None else card.owner), entered)

    def action_new_deal(self) -> None:
        stage = self.column.stage if self.column.stage.is_open else self.model.stages[0]
        self.dialogs.deal_form(None, stage)

    def action_edit_deal(self) -> None:
        card = self.selected_deal
        if card is None:
            return
        try:
            deal = app_of(self).service.deal(card.id)  # the whole deal, as it is now
        except ClosedwonError as exc:
            self.show_error(str(exc), conflict=False)
            return
        self.dialogs.deal_form(deal, None)

    def _about_selected(self) -> tuple[int, str] | None:
        deal = self.selected_deal
        return None if deal is None else (deal.id, deal_line(deal.title, deal.company))

    def action_add_objection(self) -> None:
        if (selected := self._about_selected()) is not None:
            self.forms.objection(*selected)

    def action_schedule_followup(self) -> None:
        if marked := self._marked():
            self.forms.followups(marked, then=self._bulk_done)
        elif (selected := self._about_selected()) is not None:
            self.forms.followup(*selected)

    def action_add_note(self) -> None:
        if (selected := self._about_selected()) is not None:
            self.forms.note(*selected)

    def action_undo(self) -> None:
        self.session.undo()

    def action_redo(self) -> None:
        self.session.redo()

    # the mouse: the view says what happened, in the board's terms ----------
    def on_board_view_card_pressed(self, event: BoardView.CardPressed) -> None:
        column_index = self._column_of(event.stage_id)
        self.columns[column_index].select(event.index)
        self._activate(column_index)
        self.focus_board()

    def on_board_view_card_clicked(self, event: BoardView.CardClicked) -> None:
        if event.was_selected:
            self.action_open_panel()

    def on_board_view_deal_dropped(self, event: BoardView.DealDropped) -> None:
        index = event.index
        shown = self.model.visible(event.stage_id)
        anchor = shown[index].id if index < len(shown) else None  # dropped before this card, as seen
        if self._back_to_manual(event.stage_id, "dragging sets the manual order"):
            manual = self.model.visible(event.stage_id)
            index = next((i for i, d in enumerate(manual) if d.id == anchor), len(manual))
        self._complete_column(event.stage_id)  # after the order is back to manual: a place counts every card
        card = self.model.deal(event.deal_id)
        if event.deal_id in self.marks and card is not None:  # a marked card takes every marked one along
            position = self.model.drop_position(event.stage_id, index, card)
            self.session.move_many(self._marked(), stage_id=event.stage_id, position=position, then=self._bulk_done)
        else:
            self.session.drop(event.deal_id, event.stage_id, index)

    def on_board_view_drop_missed(self, _event: BoardView.DropMissed) -> None:
        notify_literal(self, "Dropped outside the columns: nothing moved", timeout=2)

    # the panel -------------------------------------------------------------
    def action_open_panel(self) -> None:
        deal = self.selected_deal
        if deal is None:
            return
        self.dock.open(deal.id)
        self.call_after_refresh(self.column.scroll_to_selected)

    def close_panel(self) -> None:
        self.dock.close()
        self.focus_board()

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

    # filter, closed deals --------------------------------------------------
    def action_filter(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # `/` typed in the filter box is text (the binding is a priority one)
        box = self.query_one("#filter", Input)
        box.add_class("-shown")
        # Focus at once, so the keys typed right after `/` go to the box: widget.focus()
        # would move focus only after the keys already queued.
        self.set_focus(box)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        text = event.value
        typing = self.query_one("#filter", Input).cursor_position == len(text) and not text[-1:].isspace()
        unfinished = unfinished_term(text)
        if unfinished is not None and typing:
            text = text[:unfinished]  # `amou`, `sta`: filter by what comes before until it is more than a term's start
        # `close:nextw` on its way: named under the box, and meanwhile the words before it filter
        self.apply_filter(
            text, meanwhile=text[: len(text) - len(text.split()[-1])] if typing and text.strip() else None
        )

    def apply_filter(self, text: str, *, meanwhile: str | None = None) -> bool:
        """Filter the board; a malformed term is named under the filter box, and the board keeps
        the last filter that made sense meanwhile (so typing `amount>` does not blank it), or
        filters by `meanwhile` (the words before the one being typed) when that makes sense."""
        error = self.query_one("#filter-error", Static)
        try:
            self.model.set_filter(text)
        except ValidationError as exc:
            error.update(plain(str(exc)))
            error.add_class("-shown")
            if meanwhile is not None:
                try:
                    self.model.set_filter(meanwhile)
                except ValidationError:
                    return False
                self._refresh_columns((c.stage.id for c in self.columns), same_cards=True)
            return False
        if error.has_class("-shown"):
            error.remove_class("-shown")
            error.update("")
        self._refresh_columns((c.stage.id for c in self.columns), same_cards=True)
        return True

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        if self.apply_filter(event.value):  # enter: every word as typed, a term's start included
            self._to_a_shown_card()
            self.focus_board()  # a malformed filter keeps the box, to fix it

    def _to_a_shown_card(self) -> None:
        """When the filter empties the cursor's column, the cursor goes to the first card it shows."""
        if (
            not self.column.deals
            and (shown := next((i for i, c in enumerate(self.columns) if c.deals), None)) is not None
        ):
            self._activate(shown)

    def show_filter(self, text: str) -> None:
        """Put `text` in the filter box and apply it (a saved view)."""
        box = self.query_one("#filter", Input)
        box.add_class("-shown")
        with box.prevent(Input.Changed):
            box.value = text
        if self.apply_filter(text):
            self._to_a_shown_card()

    def _clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        with box.prevent(Input.Changed):
            box.value = ""
        box.remove_class("-shown")
        self.apply_filter("")

    def action_escape(self) -> None:
        if self.panel_open:
            self.close_panel()
            return
        if self.marks:
            self.marks.clear()
            notify_literal(self, "Marks cleared", timeout=2)
            return
        box = self.query_one("#filter", Input)
        if box.has_class("-shown") or self.model.filter_text:
            self._clear_filter()
            self.focus_board()

    def _complete_column(self, stage_id: int) -> None:
        """A place in a closed column counts its older deals too: read them if the board opened without."""
        if self.model.stage_by_id[stage_id].is_closed:
            self._complete_board()

    def _complete_board(self) -> None:
        """Read the older closed deals the board opened without (`C` shows them; a place counts them)."""
        model = self.model
        if not model.complete:
            with long_lived():
                pipeline = None if model.pipeline is None else model.pipeline.id
                model.add_older_closed(app_of(self).service.older_closed_cards(model.closed_since, pipeline=pipeline))
            self._refresh_columns(s.id for s in model.stages if s.is_closed)

    # saved views -------------------------------------------------------------
    def action_pick_view(self) -> None:
        """`v`: a saved view's filter into the filter box (or no filter)."""
        from closedwon_tui.app.forms.views import ViewPicker

        def picked(text: str | None) -> None:
            if text is None:
                return
            if text:
                self.show_filter(text)
            else:
                self._clear_filter()
            self.focus_board()

        views = app_of(self).settings.views
        self.app.push_screen(ViewPicker(views, current=self.query_one("#filter", Input).value), picked)

    def action_save_view(self) -> None:
        """`V`: the filter as it is in the box, saved under a name in the settings file."""
        from closedwon_tui.app.forms.views import SaveViewForm

        text = " ".join(self.query_one("#filter", Input).value.split())
        if not text:
            self.say("Nothing to save: filter with / first, then V saves the filter as a view")
            return
        try:
            self.model.parse_filter(text)
        except ValidationError as exc:
            self.show_error(str(exc), conflict=False)
            return
        app = app_of(self)

        def named(name: str | None) -> None:
            if name is None:
                return
            from dataclasses import replace

            from closedwon_tui.paths import config_path
            from closedwon_tui.saved_views import save_view

            path = app.settings.source or config_path()
            try:
                saved = save_view(path, name, text)
            except ValidationError as exc:
                self.show_error(str(exc), conflict=False)
                return
            views = {n: f for n, f in app.settings.views.items() if n.casefold() != saved.casefold()}
            views[saved] = text
            app.settings = replace(app.settings, views=views, source=path)
            self.say(f"Saved the view {saved}: v shows it")

        self.app.push_screen(SaveViewForm(text, list(app.settings.views)), named)

    def action_toggle_closed(self) -> None:
        if not self.model.show_all_closed:
            self._complete_board()
        self.model.set_show_all_closed(not self.model.show_all_closed)
        self._refresh_columns(s.id for s in self.model.stages if s.is_closed)
        shown = "Showing all closed deals" if self.model.show_all_closed else "Showing this quarter's outcomes"
        notify_literal(self, shown, timeout=2)

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
            if deal_id is not None and self.select_deal(deal_id):
                self.action_open_panel()

        self.app.push_screen(AgendaScreen(self.forms), jump)

    def quit_when_saved(self) -> None:
        """`q` while a change is on its way: close once it is saved; if it is refused, stay and say why."""
        notify_literal(self, "Saving the last change before closing…", timeout=3)
        refusals = self.session.refusals
        self.session.when_idle(lambda: self.app.exit() if self.session.refusals == refusals else None)

    # SessionView: what the session asks of the screen ---------------------
    def panel_deal(self) -> int | None:
        return self.dock.deal_id

    def waiting(self, doing: str | None) -> None:
        """A write is on its way: after a moment, the key bar says what waits (keys keep working)."""
        if self._waiting is not None:
            self._waiting[1].stop()
            self._waiting = None
        bar = self.query_one(KeyBar)
        if doing is None:
            bar.set_status("")
            return
        shown = f"⏳ {doing}… (waiting for the database)"  # the key bar shows it literally
        self._waiting = (shown, self.set_timer(WAITING_SHOWN_AFTER, lambda: bar.set_status(shown)))

    def show_change(self, change: Change[Any], stages: set[int], detail: DealDetail | None, follow: Follow) -> None:
        kept = self.cursor_deal
        changed = {deal.id for deal in change.deals}
        for column in self.columns:
            column.forget_deals(changed)
            if column.stage.id in stages:
                column.cards_changed()  # only what moved is drawn again
        if follow is Follow.ALWAYS or (follow is Follow.CARD and kept in (None, change.deal.id)):
            self.select_deal(change.deal.id)  # the selection follows the moved card
        elif kept is not None:
            self._reselect(kept)  # elsewhere (or the rep moved on meanwhile): the cursor stays on its deal
        self.dock.show_change(change, detail)
        self.dialogs.after_close(change)

    def ask_lost_reason(self, deal: DealCard, position: int | None) -> None:
        self.dialogs.ask_lost_reason(deal, position)

    def ask_lost_reasons(self, deals: list[DealCard], answered: Any) -> None:
        self.dialogs.ask_lost_reasons(deals, answered)

    def ask_settle(self, deals: list[DealCard], answered: Any) -> None:
        self.dialogs.ask_settle(deals, answered)

    def show_undo(self, change: Change[Any]) -> None:
        from closedwon_tui.domain.timeline import describe_event

        assert change.event is not None
        names = {s.id: s.name for s in self.model.stages}
        said = describe_event(change.event, names).capitalize()
        if change.is_bulk:
            verb = "Undid" if change.kind is EventKind.UNDONE else "Redid"
            said = f"{verb} the change to {len(change.leads)} deals"
        notify_literal(self, said, timeout=3)

    def show_error(self, message: str, *, conflict: bool) -> None:
        if conflict:
            notify_literal(self, message, title="Changed elsewhere", severity="error", timeout=6)
            self.sync.reload()
        else:
            notify_literal(self, message, severity="error", timeout=5)

    def say(self, message: str) -> None:
        notify_literal(self, message, timeout=2)

    def reload_board(self) -> None:
        self.sync.reload()

    # redrawing ---------------------------------------------------------------
    def _reselect(self, deal_id: int) -> None:
        """Keep the cursor on the same deal after its column changed, without moving focus."""
        found = self.model.index_of(deal_id)
        if found is not None and found[0] == self.column.stage.id:
            self.column.select(found[1])

    def _refresh_columns(self, stage_ids: Any, *, same_cards: bool = False) -> None:
        wanted = set(stage_ids)
        for column in self.columns:
            if column.stage.id in wanted:
                column.refresh_column(same_cards=same_cards)
