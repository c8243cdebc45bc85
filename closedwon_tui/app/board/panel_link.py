"""The side panel beside the board: it follows the selected card, and its changes
(and those of the activity forms) redraw the card and join the session's undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen
    from closedwon_tui.app.panel import DealPanel

    _Base = BoardScreen
else:
    _Base = object


class PanelLink(_Base):
    _panel: DealPanel | None = None

    @property
    def panel(self) -> DealPanel:
        """The panel, mounted the first time it is needed (the board opens faster without it)."""
        if self._panel is None:
            from closedwon_tui.app.panel import DealPanel  # imported when first opened: a faster start

            self._panel = DealPanel(id="panel")
            self.query_one("#main").mount(self._panel)
        return self._panel

    @property
    def panel_open(self) -> bool:
        return self._panel is not None and bool(self._panel.display)

    def _selection_changed(self) -> None:
        """The panel, when open, follows the selected card."""
        if self.is_mounted and self.panel_open:
            deal = self.selected_deal
            if deal is None or deal.id != self.panel.deal_id:
                self.panel.show_deal(None if deal is None else deal.id)

    def action_open_panel(self) -> None:
        deal = self.selected_deal
        if deal is None:
            return
        self.panel.display = True
        self.panel.show_deal(deal.id)
        if not self.panel.is_mounted:  # first opening: draw once it is mounted
            self.call_after_refresh(lambda: self.panel.show_deal(deal.id))
        self.call_after_refresh(self.column.scroll_to_selected)

    def close_panel(self) -> None:
        self.panel.display = False
        self.focus_board()

    def action_switch_focus(self) -> None:
        """tab: between the board and the panel (opening it if needed)."""
        if self.focused is not None and self.panel in self.focused.ancestors_with_self:
            self.focus_board()
            return
        if not self.panel_open:
            self.action_open_panel()
        if self.panel_open:
            self.panel.focus()

    def on_deal_panel_deal_changed(self, message: DealPanel.DealChanged) -> None:  # DealPanel.DealChanged
        self._record_latest(message.deal_id)
        self.refresh_deal(message.deal_id)

    def _record_latest(self, deal_id: int) -> None:
        """A form or the panel changed the deal: its newest event joins this session's undo."""
        history = self.service.history(deal_id)
        if history:
            self._own_events.add(history[-1].id)
            self._undo.append(history[-1].id)
            self._redo.clear()

    def _activity_form(self, form_class) -> None:  # type: ignore[no-untyped-def]
        deal = self.selected_deal
        if deal is None:
            return

        def saved(ok: bool | None) -> None:
            if ok:
                self._record_latest(deal.id)
                self.refresh_deal(deal.id)
                if self.panel_open:
                    self.panel.show_deal(deal.id)

        self.app.push_screen(form_class(deal.id), saved)

    def action_add_objection(self) -> None:
        from closedwon_tui.app.panel.forms import ObjectionForm

        self._activity_form(ObjectionForm)

    def action_schedule_followup(self) -> None:
        from closedwon_tui.app.panel.forms import FollowUpForm

        self._activity_form(FollowUpForm)

    def action_add_note(self) -> None:
        from closedwon_tui.app.panel.forms import NoteForm

        self._activity_form(NoteForm)

    def action_agenda(self) -> None:
        from closedwon_tui.app.agenda import AgendaScreen

        def jump(deal_id: int | None) -> None:
            if deal_id is not None and self.select_deal(deal_id):
                self.action_open_panel()

        self.app.push_screen(AgendaScreen(), jump)

