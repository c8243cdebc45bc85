"""Undo and redo for every kind of change, on every backend."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import UNDOABLE_EVENTS, EventKind
from tests.dbstate import assert_ordered, columns

#: Bookkeeping that undo moves forward rather than back.
_VOLATILE = {"version", "updated_at", "last_activity_at"}


def state(service) -> dict:
    """What a rep can see: every deal's fields and place, and its objections, follow-ups and notes."""
    out = {}
    for deal in service.deals():
        detail = service.deal_detail(deal.id)
        out[deal.id] = (
            {k: v for k, v in asdict(deal).items() if k not in _VOLATILE},
            [asdict(o) for o in detail.objections],
            [asdict(f) for f in detail.followups],
            [asdict(n) for n in detail.notes],
        )
    return out


def _setup(service):
    deal = service.create_deal("Helios", stage="Proposal", amount="10k", owner="Dana").deal
    service.create_deal("Other", stage="Proposal")
    service.create_deal("Third", stage="Negotiation")
    return deal


#: kind -> (prepare(service, deal) -> context, act(service, deal, context))
ACTIONS = {
    EventKind.EDITED: (None, lambda s, d, c: s.edit_deal(d.id, {"amount": "12k", "owner": "Sam", "budget_ok": "yes"})),
    EventKind.MOVED: (None, lambda s, d, c: s.move_deal(d.id, "Negotiation", position=1)),
    EventKind.REORDERED: (None, lambda s, d, c: s.reorder_deal(d.id, 0)),
    EventKind.WON: (None, lambda s, d, c: s.mark_won(d.id)),
    EventKind.LOST: (None, lambda s, d, c: s.mark_lost(d.id, "price", "too dear")),
    EventKind.REOPENED: (lambda s, d: s.mark_lost(d.id, "price"), lambda s, d, c: s.reopen(d.id, "Analysis")),
    EventKind.OBJECTION_ADDED: (None, lambda s, d, c: s.add_objection(d.id, "price", "Too dear").item),
    EventKind.OBJECTION_ANSWERED: (
        lambda s, d: s.add_objection(d.id, "price", "Too dear").item,
        lambda s, d, c: s.answer_objection(c.id, "Phased rollout").item,
    ),
    EventKind.OBJECTION_ADDRESSED: (
        lambda s, d: s.add_objection(d.id, "price", "Too dear").item,
        lambda s, d, c: s.address_objection(c.id, "Phased rollout").item,
    ),
    EventKind.FOLLOWUP_SCHEDULED: (None, lambda s, d, c: s.schedule_followup(d.id, "friday 10:00", "Call").item),
    EventKind.FOLLOWUP_DONE: (
        lambda s, d: s.schedule_followup(d.id, "friday", "Call").item,
        lambda s, d, c: s.complete_followup(c.id).item,
    ),
    EventKind.FOLLOWUP_SNOOZED: (
        lambda s, d: s.schedule_followup(d.id, "friday", "Call").item,
        lambda s, d, c: s.snooze_followup(c.id, "+10d").item,
    ),
    EventKind.NOTE_ADDED: (None, lambda s, d, c: s.add_note(d.id, "Good call").item),
    EventKind.LOOKBACK: (lambda s, d: s.mark_won(d.id), lambda s, d, c: s.record_lookback(d.id, "Champion", "Legal")),
}


def test_every_undoable_kind_is_covered():
    assert set(ACTIONS) == set(UNDOABLE_EVENTS)


def _latest_event(service, deal_id):
    return service.history(deal_id)[-1]


@pytest.mark.parametrize("kind", list(ACTIONS), ids=lambda k: k.value)
def test_undo_puts_everything_back_and_redo_applies_it_again(service, clock, kind):
    deal = _setup(service)
    service.reorder_deal(deal.id, 1)  # so that a reorder to the top is a real change
    prepare, act = ACTIONS[kind]
    context = prepare(service, service.deal(deal.id)) if prepare else None
    before = state(service)
    clock.advance(minutes=5)
    act(service, service.deal(deal.id), context)
    done = _latest_event(service, deal.id)
    assert done.kind is kind
    after = state(service)
    assert after != before

    clock.advance(minutes=5)
    undo = service.undo_last(deal.id)
    assert undo.event.kind is EventKind.UNDONE and undo.event.details["undoes"] == done.id
    assert undo.event.details["undone_kind"] == kind.value
    assert undo.deal == service.deal(deal.id)  # the board shows the Change's deal: it is the deal as stored
    assert state(service) == before
    assert_ordered(service)

    clock.advance(minutes=5)
    redo = service.redo_event(undo.event.id)
    assert redo.event.kind is EventKind.REDONE and redo.event.details["redoes"] == done.id
    assert redo.deal == service.deal(deal.id)
    assert state(service) == after
    assert_ordered(service)

    # The redo is itself a change that can be taken back.
    again = service.undo_last(deal.id)
    assert again.event.details["undoes"] == redo.event.id
    assert again.deal == service.deal(deal.id)
    assert state(service) == before
    # History is only appended to.
    kinds = [e.kind for e in service.history(deal.id)][-4:]
    assert kinds == [kind, EventKind.UNDONE, EventKind.REDONE, EventKind.UNDONE]


def test_undo_last_walks_back_one_change_at_a_time(service):
    deal = service.create_deal("Helios", stage="Outreach", amount="10k").deal
    service.move_deal(deal.id, "Analysis")
    service.edit_deal(deal.id, {"amount": "20k"})
    service.move_deal(deal.id, "Proposal")
    service.undo_last(deal.id)
    assert service.stage(service.deal(deal.id).stage_id).name == "Analysis"
    service.undo_last(deal.id)
    assert str(service.deal(deal.id).amount) == "10000.00"
    service.undo_last(deal.id)
    assert service.stage(service.deal(deal.id).stage_id).name == "Outreach"
    with pytest.raises(ValidationError, match="no change to undo"):
        service.undo_last(deal.id)  # the creation itself cannot be undone
    assert service.deal(deal.id).title == "Helios"


def test_undoing_a_move_puts_the_deal_back_at_its_old_position(service):
    a, b, c = (service.create_deal(t, stage="Analysis").deal for t in "ABC")  # C B A
    service.move_deal(b.id, "Proposal")
    service.undo_last(b.id)
    assert columns(service)[service.stage("Analysis").id] == [c.id, b.id, a.id]
    assert columns(service)[service.stage("Proposal").id] == []


def test_undoing_a_win_reopens_it_in_its_old_stage(service):
    deal = service.create_deal("A", stage="Negotiation").deal
    service.mark_won(deal.id)
    change = service.undo_last(deal.id)
    assert service.stage(change.deal.stage_id).name == "Negotiation"
    assert change.deal.closed_at is None


def test_undo_refuses_to_overwrite_a_later_change(service):
    deal = service.create_deal("A", stage="Proposal", amount="10k").deal
    first = service.edit_deal(deal.id, {"amount": "20k"})
    service.edit_deal(deal.id, {"amount": "30k"})
    with pytest.raises(ConflictError, match="changed since"):
        service.undo_event(first.event.id)
    assert str(service.deal(deal.id).amount) == "30000.00"


def test_undo_of_an_objection_answer_refuses_after_it_was_addressed(service):
    deal = service.create_deal("A").deal
    objection = service.add_objection(deal.id, "price", "Too dear").item
    answered = service.answer_objection(objection.id, "Discount").item
    service.address_objection(objection.id)
    event = [e for e in service.history(deal.id) if e.kind is EventKind.OBJECTION_ANSWERED][0]
    with pytest.raises(ConflictError, match="objection has changed"):
        service.undo_event(event.id)
    assert service.deal_detail(deal.id).objections[0].status.value == "addressed"
    assert answered.response == "Discount"


def test_only_an_undo_can_be_redone_and_creation_cannot_be_undone(service):
    deal = service.create_deal("A").deal
    change = service.move_deal(deal.id, "Proposal")
    with pytest.raises(ValidationError, match="only an undo"):
        service.redo_event(change.event.id)
    created = service.history(deal.id)[0]
    with pytest.raises(ValidationError, match="cannot be undone"):
        service.undo_event(created.id)


def test_an_undo_already_undone_cannot_be_repeated(service):
    deal = service.create_deal("A", amount="1k").deal
    change = service.edit_deal(deal.id, {"amount": "2k"})
    service.undo_event(change.event.id)
    with pytest.raises(ConflictError):
        service.undo_event(change.event.id)
    assert str(service.deal(deal.id).amount) == "1000.00"
