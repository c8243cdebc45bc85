"""Bulk actions through the board's session, without Textual: one request, one transaction, one
repaint, one undo and one redo; a refusal for one deal changes none; closes ask about follow-ups."""

from __future__ import annotations

from typing import Any

from closedwon_tui.app.board.writes import LostReason
from closedwon_tui.domain.models import DealCard, EventKind
from tests.board_helpers import seed
from tests.test_board_session import View, _session, _stage
from tests.test_services_undo import state


class AskingView(View):
    """Also records the bulk questions, and answers them as a rep would."""

    def __init__(self) -> None:
        super().__init__()
        self.reasons_asked: list[list[int]] = []
        self.settle_asked: list[list[int]] = []
        self.reason = LostReason("price", "too dear")
        self.settle_answer = True

    def ask_lost_reasons(self, deals: list[DealCard], answered: Any) -> None:
        self.reasons_asked.append([d.id for d in deals])
        answered(self.reason)

    def ask_settle(self, deals: list[DealCard], answered: Any) -> None:
        self.settle_asked.append([d.id for d in deals])
        answered(self.settle_answer)


def _asking(service):  # type: ignore[no-untyped-def]
    session, _ = _session(service)
    view = AskingView()
    session.view = view
    return session, view


def test_a_bulk_move_is_one_write_one_repaint_and_one_undo_and_redo(service):
    ids = seed(service)
    session, view = _asking(service)
    marked = [ids["Helios rollout"], ids["Orbital fleet"], ids["Atlas renewal"]]
    before = state(service)
    done: list = []
    session.move_many(marked, delta=+1, then=done.append)
    assert [_stage(service, d) for d in marked] == ["Proposal", "Proposal", "Qualification"]
    [(change, stages, _, _)] = view.shown  # one repaint for all three
    assert change.is_bulk and len(change.leads) == 3 and done == [change]
    assert stages == {service.stage(n).id for n in ("Outreach", "Qualification", "Analysis", "Proposal")}
    assert session.model.deal(ids["Atlas renewal"]).stage_id == service.stage("Qualification").id
    assert session.undo_stack == [change.leads]
    after = state(service)

    session.undo()
    assert state(service) == before and len(view.shown) == 2
    assert session.model.deal(ids["Helios rollout"]).stage_id == service.stage("Analysis").id
    session.redo()
    assert state(service) == after
    assert session.undo_stack and not session.redo_stack


def test_a_bulk_move_refused_for_one_deal_changes_none_and_says_which(service):
    ids = seed(service)
    session, view = _asking(service)
    polar, helios = ids["Polar routes"], ids["Helios rollout"]
    service.edit_deal(polar, {"amount": "95k"})  # a colleague, since the board was read
    before = state(service)
    session.move_many([helios, polar], stage_id=service.stage("Proposal").id)
    assert state(service) == before and view.shown == []
    [(message, conflict)] = view.errors
    assert conflict and f"deal {polar} (Polar routes)" in message
    assert session.undo_stack == []


def test_bulk_moves_past_the_last_stage_move_nothing(service):
    ids = seed(service)
    session, view = _asking(service)
    lost = ids["Polar routes"]
    service.mark_lost(lost, "price")
    session.reloaded(type(session.model)(service.board(), service.now()), 0)
    before = state(service)
    session.move_many([ids["Helios rollout"], lost], delta=+1)
    assert state(service) == before
    assert view.said == ["No stage that way for Polar routes: nothing moved"]


def test_a_bulk_loss_asks_one_reason_for_all_and_the_follow_ups_question_once(service):
    ids = seed(service)
    session, view = _asking(service)
    helios, orbital = ids["Helios rollout"], ids["Orbital fleet"]
    service.schedule_followup(helios, "friday", "Call")
    session.reloaded(type(session.model)(service.board(), service.now()), 0)
    session.move_many([helios, orbital], stage_id=service.stage("Closed Lost").id)
    assert view.reasons_asked == [[helios, orbital]]
    assert view.settle_asked == [[helios]]  # only the deal that has pending follow-ups
    assert [service.deal(d).lost_reason for d in (helios, orbital)] == ["price", "price"]
    assert all(f.is_done for f in service.deal_detail(helios).followups)


def test_keeping_the_follow_ups_leaves_them_pending(service):
    ids = seed(service)
    session, view = _asking(service)
    view.settle_answer = False
    polar = ids["Polar routes"]
    service.schedule_followup(polar, "friday", "Call")
    session.reloaded(type(session.model)(service.board(), service.now()), 0)
    session.move_by(polar, +1)  # Negotiation -> Closed Won
    assert view.settle_asked == [[polar]]
    assert _stage(service, polar) == "Closed Won"
    assert [f.is_done for f in service.deal_detail(polar).followups] == [False]


def test_a_single_close_with_follow_ups_is_undone_with_them_in_one_undo(service):
    ids = seed(service)
    session, view = _asking(service)
    polar = ids["Polar routes"]
    service.schedule_followup(polar, "friday", "Call")
    session.reloaded(type(session.model)(service.board(), service.now()), 0)
    before = state(service)
    session.move_by(polar, +1)
    change = view.shown[-1][0]
    assert [e.kind for e in change.events] == [EventKind.FOLLOWUP_DONE, EventKind.WON]
    assert change.event.id in session.own_events and change.companions[0].id in session.own_events
    assert session.model.facts[polar].next_followup is None
    session.undo()
    assert state(service) == before
    assert session.model.facts[polar].next_followup is not None


def test_a_bulk_owner_change_and_bulk_follow_ups_are_one_undo_each(service):
    ids = seed(service)
    session, view = _asking(service)
    marked = [ids["Helios rollout"], ids["Granite warehouse"]]
    before = state(service)
    session.edit_many(marked, {"owner": "Dana"})
    assert [service.deal(d).owner for d in marked] == ["Dana", "Dana"]
    from datetime import date

    session.schedule_many(marked, date(2026, 12, 4), "Send the quote")
    assert all(session.model.facts[d].next_followup is not None for d in marked)
    assert len(session.undo_stack) == 2
    session.undo()
    session.undo()
    assert state(service) == before
