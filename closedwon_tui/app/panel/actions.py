"""What the panel's keys do to the deal: each goes through the service, then redraws and tells the board."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import OptionList

from closedwon_tui.app.panel.answer import AnswerForm
from closedwon_tui.app.panel.forms import FollowUpForm, NoteForm, ObjectionForm
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.models import FollowUp, Objection, ObjectionStatus

if TYPE_CHECKING:
    from closedwon_tui.app.panel.widget import DealPanel

    _Base = DealPanel
else:
    _Base = object


class PanelActions(_Base):
    # the selected items ---------------------------------------------------
    def selected_objection(self) -> Objection | None:
        if not self.is_mounted:
            return None
        self._draw_tab("objections")
        option = self.query_one("#objection-list", OptionList).highlighted_option
        if option is None or self.detail is None:
            return None
        return next((o for o in self.detail.objections if str(o.id) == option.id), None)

    def selected_followup(self) -> FollowUp | None:
        if not self.is_mounted:
            return None
        self._draw_tab("followups")
        option = self.query_one("#followup-list", OptionList).highlighted_option
        if option is None or self.detail is None or option.disabled:
            return None
        return next((f for f in self.detail.followups if str(f.id) == option.id and not f.is_done), None)

    # actions ----------------------------------------------------------------
    def _changed(self, saved: bool | None = True, *, tab: str | None = None) -> None:
        """After a change: redraw, show the tab it landed in, and tell the board."""
        if not saved or self.deal_id is None:
            return
        deal_id = self.deal_id
        self.show_deal(deal_id)
        if tab is not None and tab != self.active_tab:
            self.action_show_tab(tab)
        self.post_message(self.DealChanged(deal_id))

    def _changed_in(self, tab: str) -> Callable[[bool | None], None]:
        return lambda saved: self._changed(saved, tab=tab)

    def action_add_objection(self) -> None:
        if self.deal_id is not None:
            self.app.push_screen(ObjectionForm(self.deal_id), self._changed_in("objections"))

    def action_schedule_followup(self) -> None:
        if self.deal_id is not None:
            self.app.push_screen(FollowUpForm(self.deal_id), self._changed_in("followups"))

    def action_add_note(self) -> None:
        if self.deal_id is not None:
            self.app.push_screen(NoteForm(self.deal_id), self._changed_in("notes"))

    def action_answer_objection(self) -> None:
        objection = self.selected_objection()
        if objection is not None:
            self.app.push_screen(AnswerForm(objection), self._changed)

    def action_address_objection(self) -> None:
        objection = self.selected_objection()
        if objection is None:
            return
        if objection.status is ObjectionStatus.ADDRESSED:
            self.notify("That objection is already addressed.", severity="warning")
            return
        try:
            self.app.service.address_objection(objection.id)  # type: ignore[attr-defined]
        except ClosedwonError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Objection addressed ({objection.kind.value}).")
        self._changed()

    def action_complete_followup(self) -> None:
        followup = self.selected_followup()
        if followup is None or self.deal_id is None:
            return
        try:
            self.app.service.complete_followup(followup.id)  # type: ignore[attr-defined]
        except ClosedwonError as exc:
            self.notify(str(exc), severity="error")
            return
        self._changed()
        done = f"Done: {followup.note}" if followup.note else "Follow-up done"
        self.app.push_screen(
            FollowUpForm(self.deal_id, heading=f"{done}. Schedule the next one? (escape skips)"), self._changed
        )
