"""The board: one column per stage, driven by keys and the mouse.

The screen turns keys and column messages into service calls, then updates only the
columns a change touched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input

from closedwon_tui.app.board.column import StageColumn
from closedwon_tui.app.board.keys import SCREEN_BINDINGS
from closedwon_tui.app.board.model import BoardModel, long_lived
from closedwon_tui.app.board.mouse import BoardMouse
from closedwon_tui.app.board.panel_link import PanelLink
from closedwon_tui.app.board.sync import POLL_SECONDS, BoardSync
from closedwon_tui.app.board.view import BoardView
from closedwon_tui.app.keybar import KeyBar
from closedwon_tui.domain.errors import ClosedwonError, ConflictError
from closedwon_tui.domain.models import Change, DealCard, EventKind, Stage, StageKind


def _panel_commands():  # type: ignore[no-untyped-def]
    """The open panel's actions in the palette (loaded lazily, like Textual's own providers)."""
    from closedwon_tui.app.panel.commands import PanelCommands

    return PanelCommands


class BoardScreen(PanelLink, BoardMouse, BoardSync, Screen[None]):
    # The board's CSS as default CSS, not CSS_PATH: a screen's own CSS makes Textual parse
    # every stylesheet again when the board opens.
    DEFAULT_CSS = (Path(__file__).with_name("board.tcss")).read_text(encoding="utf-8")
    COMMANDS = {_panel_commands}
    BINDINGS = SCREEN_BINDINGS
    AUTO_FOCUS = "BoardView"

    def __init__(self) -> None:
        super().__init__()
        self.model: BoardModel | None = None
        self.columns: list[StageColumn] = []
        self.active = 0
        self._undo: list[int] = []
        self._redo: list[int] = []
        self._own_events: set[int] = set()
        self._known_event = 0
        self._drop_column: StageColumn | None = None

    @property
    def service(self):  # type: ignore[no-untyped-def]
        return self.app.service  # type: ignore[attr-defined]

    # building -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._known_event = self.service.last_event_id()
        with long_lived():
            self.model = BoardModel(self.service.board(), self.service.now())
        self.columns = [StageColumn(s, i, self.model) for i, s in enumerate(self.model.stages, start=1)]
        self.board_view = BoardView(self.columns, id="board")
        yield Header()
        yield Input(placeholder="Filter by title, company, contact or owner (escape clears)", id="filter")
        with Horizontal(id="main"):
            yield self.board_view
        yield KeyBar()

    def on_mount(self) -> None:
        self._activate(0)
        self.set_interval(POLL_SECONDS, self._poll)

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

    def select_deal(self, deal_id: int) -> bool:
        """Focus the deal's column and select its card (clearing a filter that hides it)."""
        assert self.model is not None
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
        column_index = next(i for i, c in enumerate(self.columns) if c.stage.id == stage_id)
        self.columns[column_index].select(index)
        self._activate(column_index)
        return True

    def focus_board(self) -> None:
        self.board_view.focus()

    # keys: navigation ---------------------------------------------------
    def action_column(self, delta: int) -> None:
        self._activate(self.active + delta)

    def action_card(self, delta: int) -> None:
        cards = self.column
        cards.select(cards.selected + delta)
        self._selection_changed()

    def action_card_edge(self, last: int) -> None:
        cards = self.column
        cards.select(len(cards.deals) - 1 if last else 0)
        self._selection_changed()

    # keys: moves --------------------------------------------------------
    def action_move_stage(self, delta: int) -> None:
        deal = self.selected_deal
        if deal is None:
            return
        target = self.active + delta
        if not 0 <= target < len(self.columns):
            self.notify("No stage that way", severity="warning", timeout=2)
            return
        self.move_deal(deal, self.columns[target].stage)

    def action_reorder(self, delta: int) -> None:
        deal = self.selected_deal
        if deal is None:
            return
        assert self.model is not None
        shown = self.model.visible(deal.stage_id)
        index = self.column.selected + delta
        if not 0 <= index < len(shown):
            return
        column = self.model.columns[deal.stage_id]
        position = next(i for i, d in enumerate(column) if d.id == shown[index].id)
        self._perform(lambda: self.service.reorder_deal(deal.id, position, expected_version=deal.version))

    def action_pick_stage(self) -> None:
        from closedwon_tui.app.forms.stage_picker import StagePicker

        deal = self.selected_deal
        if deal is None:
            return
        assert self.model is not None

        def picked(stage: Stage | None) -> None:
            if stage is not None and stage.id != deal.stage_id:
                self.move_deal(deal, stage)

        self.app.push_screen(StagePicker(self.model.stages, current=deal.stage_id), picked)

    def move_deal(self, deal: DealCard, stage: Stage, position: int | None = None) -> None:
        """Every path into another stage comes here: a lost deal first asks for its reason."""
        if stage.kind is StageKind.LOST:
            self._ask_lost(deal, position)
            return
        self._perform(
            lambda: self.service.move_deal(deal.id, stage.id, position=position, expected_version=deal.version)
        )

    def action_mark_won(self) -> None:
        deal = self.selected_deal
        if deal is not None:
            self._perform(lambda: self.service.mark_won(deal.id, expected_version=deal.version))

    def action_mark_lost(self) -> None:
        deal = self.selected_deal
        if deal is not None:
            self._ask_lost(deal, None)

    def _ask_lost(self, deal: DealCard, position: int | None) -> None:
        from closedwon_tui.app.closing import LostAnswer, LostReasonScreen

        lost = self.service.stage_of_kind(StageKind.LOST)

        def answered(answer: LostAnswer | None) -> None:
            if answer is None:
                self.notify("Not moved: a lost deal needs a reason", timeout=3)
                return
            self._perform(
                lambda: self.service.move_deal(deal.id, lost.id, position=position, lost_reason=answer.reason,
                                               lost_note=answer.note, expected_version=deal.version)  # fmt: skip
            )

        self.app.push_screen(LostReasonScreen(deal, self.app.settings.lost_reasons), answered)  # type: ignore[attr-defined]

    # keys: forms --------------------------------------------------------
    def action_new_deal(self) -> None:
        from closedwon_tui.app.forms.deal_form import DealForm

        stage = self.column.stage if self.column.stage.is_open else self.model.stages[0]  # type: ignore[union-attr]
        self.app.push_screen(DealForm(None, stage=stage), self._form_saved)

    def action_edit_deal(self) -> None:
        from closedwon_tui.app.forms.deal_form import DealForm

        card = self.selected_deal
        if card is None:
            return
        try:
            deal = self.service.deal(card.id)  # the whole deal, as it is now
        except ClosedwonError as exc:
            self.notify(str(exc), severity="error", timeout=5)
            self.reload()
            return
        self.app.push_screen(DealForm(deal), self._form_saved)

    def _form_saved(self, change: Change | None) -> None:
        if change is not None:
            self._after_change(change)

    # keys: filter, closed, undo -----------------------------------------
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
        assert self.model is not None
        self.model.set_filter(event.value)
        self._refresh_columns(c.stage.id for c in self.columns)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.focus_board()

    def _clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("-shown")
        assert self.model is not None
        self.model.set_filter("")
        self._refresh_columns(c.stage.id for c in self.columns)

    def action_escape(self) -> None:
        if self.panel_open:
            self.close_panel()
            return
        box = self.query_one("#filter", Input)
        if box.has_class("-shown") or self.model and self.model.filter_text:
            self._clear_filter()
            self.focus_board()

    def action_toggle_closed(self) -> None:
        assert self.model is not None
        self.model.set_show_all_closed(not self.model.show_all_closed)
        self._refresh_columns(s.id for s in self.model.stages if s.is_closed)
        self.notify("Showing all closed deals" if self.model.show_all_closed else "Showing this quarter's outcomes",
                    timeout=2)  # fmt: skip

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo in this session", timeout=2)
            return
        event_id = self._undo[-1]
        if self._perform(lambda: self.service.undo_event(event_id), record=False) is not None:
            self._undo.pop()

    def action_redo(self) -> None:
        if not self._redo:
            self.notify("Nothing to redo", timeout=2)
            return
        event_id = self._redo[-1]
        if self._perform(lambda: self.service.redo_event(event_id), record=False) is not None:
            self._redo.pop()

    # other screens ------------------------------------------------------
    def action_help(self) -> None:
        from closedwon_tui.app.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_reports(self) -> None:
        from closedwon_tui.app.reports import ReportsScreen

        self.app.push_screen(ReportsScreen())

    # changes ------------------------------------------------------------
    def _perform(self, call: Callable[[], Change], *, record: bool = True) -> Change | None:
        """Run one service call; show its error in one line, or show its result."""
        try:
            change = call()
        except ConflictError as exc:
            self.notify(str(exc), title="Changed elsewhere", severity="error", timeout=6)
            self.reload()
            return None
        except ClosedwonError as exc:
            self.notify(str(exc), severity="error", timeout=5)
            return None
        self._after_change(change, record=record)
        return change

    def _after_change(self, change: Change, *, record: bool = True, select: bool = True) -> None:
        assert self.model is not None
        kept = self.selected_deal
        event = change.event
        if event is not None:
            self._own_events.add(event.id)
            if record:
                self._undo.append(event.id)
                self._redo.clear()
            elif event.kind is EventKind.UNDONE:
                self._redo.append(event.id)
            elif event.kind is EventKind.REDONE:
                self._undo.append(event.id)
        if change.renumbered:  # the columns' cards all have new keys: read the board again
            self.reload()
        facts = self.service.card_facts([change.deal.id]).get(change.deal.id)
        changed = self.model.apply(change.deal, facts)
        self._refresh_columns(changed)
        if select:
            self.select_deal(change.deal.id)
        elif kept is not None:
            self._reselect(kept.id)
        if self.panel_open and self.panel.deal_id == change.deal.id:
            self.panel.show_deal(change.deal.id)
        if event is not None and not record:
            from closedwon_tui.domain.timeline import describe_event

            names = {s.id: s.name for s in self.model.stages}
            self.notify(describe_event(event, names).capitalize(), timeout=3)
        if event is not None and event.kind is EventKind.WON:
            from closedwon_tui.app.closing import celebrate

            celebrate(self.app, change)  # type: ignore[arg-type]
        elif event is not None and event.kind is EventKind.LOST:
            from closedwon_tui.app.closing import offer_lookback

            offer_lookback(self.app, change)  # type: ignore[arg-type]

    def on_lookback_saved(self, message) -> None:  # type: ignore[no-untyped-def]
        """The look back after a close was stored: the deal has a new version."""
        self._after_change(message.change, select=False)  # the rep may already be elsewhere

    def _reselect(self, deal_id: int) -> None:
        """Keep the cursor on the same deal after its column changed, without moving focus."""
        assert self.model is not None
        found = self.model.index_of(deal_id)
        if found is not None and found[0] == self.column.stage.id:
            self.column.select(found[1])

    def refresh_deal(self, deal_id: int) -> None:
        """Something else (the panel, a form) changed this deal: redraw its card."""
        assert self.model is not None
        try:
            deal = self.service.deal(deal_id)
        except ClosedwonError:
            self.reload()
            return
        facts = self.service.card_facts([deal_id]).get(deal_id)
        for column in self.columns:
            column.forget(deal_id)
        self._refresh_columns(self.model.apply(deal, facts))

    def _refresh_columns(self, stage_ids) -> None:  # type: ignore[no-untyped-def]
        wanted = set(stage_ids)
        for column in self.columns:
            if column.stage.id in wanted:
                column.refresh_column()

