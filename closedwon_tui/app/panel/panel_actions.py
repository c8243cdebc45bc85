"""What the deal panel's keys ask for: the objection or follow-up selected in its list, and each
action (record, schedule, note, answer, address, complete) posted to the host as a request, since
the panel never writes. A part of `DealPanel`, which holds the deal shown and its lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.widgets import OptionList

from closedwon_tui.app.activity import deal_line
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.models import DealDetail, FollowUp, Objection, ObjectionStatus

if TYPE_CHECKING:
    from closedwon_tui.app.activity import ActivityForms


class PanelActions:
    """`DealPanel`'s requests (a mixin: the deal shown and the lists live on the panel)."""

    deal_id: int | None
    detail: DealDetail | None
    _landing: tuple[int, str] | None
    active_tab: str
    Requested: Any
    is_mounted: bool
    _draw_tab: Callable[[str], None]
    query_one: Any
    post_message: Any

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

    # actions: each asks the host, which opens the form or makes the change ------------------
    def _request(self, tab: str, run: Callable[[ActivityForms, int, str], None]) -> None:
        if self.detail is None:
            return
        deal = self.detail.deal
        self._landing = (deal.id, tab)
        about = deal_line(deal.title, deal.company)
        self.post_message(self.Requested(lambda forms: run(forms, deal.id, about)))

    def action_add_objection(self) -> None:
        self._request("objections", lambda forms, deal_id, about: forms.objection(deal_id, about))

    def action_schedule_followup(self) -> None:
        self._request("followups", lambda forms, deal_id, about: forms.followup(deal_id, about))

    def action_add_note(self) -> None:
        self._request("notes", lambda forms, deal_id, about: forms.note(deal_id, about))

    def action_answer_objection(self) -> None:
        objection = self.selected_objection()
        if objection is not None:
            self._request("objections", lambda forms, _deal_id, about: forms.answer(objection, about))

    def action_address_objection(self) -> None:
        objection = self.selected_objection()
        if objection is None:
            return
        if objection.status is ObjectionStatus.ADDRESSED:
            notify_literal(self, "That objection is already addressed.", severity="warning")
            return
        self._request("objections", lambda forms, _deal_id, _about: forms.address(objection))

    def action_complete_followup(self) -> None:
        followup = self.selected_followup()
        if followup is not None:
            self._request("followups", lambda forms, _deal_id, about: forms.complete(followup, about))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_objection", "schedule_followup", "add_note"):
            return self.deal_id is not None
        if action == "complete_followup":
            return self.active_tab == "followups" and (True if self.selected_followup() else None)
        if action == "address_objection":
            objection = self.selected_objection()
            if self.active_tab != "objections":
                return False
            return True if objection is not None and objection.status is ObjectionStatus.OPEN else None
        return True
