"""Bulk actions and closes that settle follow-ups: one transaction, all or nothing, one undo."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from closedwon_tui.domain.models import EventKind
from closedwon_tui.domain.ordering import GAP, keys_between
from tests.dbstate import assert_ordered, columns
from tests.report_reference import assert_stays_replay_the_history
from tests.test_services_undo import state


def _deals(service, *titles, stage="Analysis", **fields):
    return [service.create_deal(t, stage=stage, **fields).deal for t in titles]


def _stage_name(service, deal_id):
    return service.stage(service.deal(deal_id).stage_id).name


def test_a_bulk_move_moves_every_deal_in_one_change_keeping_their_order(service):
    a, b, c = _deals(service, "A", "B", "C")
    keep = service.create_deal("Stays", stage="Analysis").deal
    change = service.move_deals([a.id, b.id, c.id], "Proposal")
    assert [d.id for d in change.deals] == [a.id, b.id, c.id]
    assert [e.kind for e in change.events] == [EventKind.MOVED] * 3
    assert len(change.leads) == 3 and change.is_bulk
    assert columns(service)[service.stage("Proposal").id] == [a.id, b.id, c.id]
    assert columns(service)[service.stage("Analysis").id] == [keep.id]
    # Each deal's history says it moved, as if alone, and its stays follow.
    for deal in (a, b, c):
        event = service.history(deal.id)[-1]
        assert event.kind is EventKind.MOVED and event.details["from_stage"] == "Analysis"
        assert service.deal(deal.id).last_activity_at == event.at  # a move is activity
    assert_ordered(service)
    assert_stays_replay_the_history(service)


def test_a_big_bulk_move_lands_in_order_above_the_column_without_spreading_it(service, clock):
    top = service.create_deal("Already there", stage="Proposal").deal
    movers = [service.create_deal(f"Deal {n}", stage="Analysis").deal for n in range(40)]
    ids = [d.id for d in reversed(movers)]  # the board's order, top first
    clock.advance(minutes=1)
    change = service.move_deals(ids, "Proposal")
    assert change.renumbered == frozenset()
    assert columns(service)[service.stage("Proposal").id] == [*ids, top.id]
    service.undo_events(change.leads)
    assert columns(service)[service.stage("Analysis").id] == ids
    assert_ordered(service)
    assert_stays_replay_the_history(service)


def test_keys_between_share_the_gap():
    assert keys_between(None, None, 3) == [0, GAP, 2 * GAP]
    assert keys_between(0, None, 2) == [GAP, 2 * GAP]
    assert keys_between(None, 0, 2) == [-2 * GAP, -GAP]
    assert keys_between(0, 10, 4) == [2, 4, 6, 8]
    assert keys_between(0, 4, 4) is None  # no room: the column is spread first
    assert keys_between(0, 1, 0) == []


def test_one_undo_takes_back_a_whole_bulk_move_and_one_redo_applies_it_again(service, clock):
    a, b, c = _deals(service, "A", "B", "C")
    before = state(service)
    clock.advance(minutes=1)
    change = service.move_deals([a.id, b.id, c.id], "Negotiation")
    after = state(service)
    clock.advance(minutes=1)
    undo = service.undo_events(change.leads)
    assert state(service) == before
    assert [e.kind for e in undo.events] == [EventKind.UNDONE] * 3
    assert columns(service)[service.stage("Analysis").id] == [c.id, b.id, a.id]
    clock.advance(minutes=1)
    redo = service.redo_events(undo.leads)
    assert state(service) == after
    assert [e.kind for e in redo.events] == [EventKind.REDONE] * 3
    assert_ordered(service)


def test_a_bulk_move_that_one_deal_refuses_changes_none_and_names_it(service):
    a, b = _deals(service, "Alpha", "Beta")
    already = service.create_deal("Gamma", stage="Proposal").deal
    before = state(service)
    events = len(service.all_events())
    with pytest.raises(ValidationError, match=rf"deal {already.id} \(Gamma\) is already in Proposal"):
        service.move_deals([a.id, b.id, already.id], "Proposal")
    assert state(service) == before and len(service.all_events()) == events


def test_a_bulk_move_stopped_by_a_conflict_changes_none_and_names_the_deal(service):
    a, b = _deals(service, "Alpha", "Beta")
    seen = {a.id: a.version, b.id: b.version}
    service.edit_deal(b.id, {"amount": "5k"})  # a colleague, meanwhile
    before = state(service)
    with pytest.raises(ConflictError, match=rf"deal {b.id} \(Beta\)"):
        service.move_deals([a.id, b.id], "Proposal", expected_versions=seen)
    assert state(service) == before


def test_a_bulk_move_naming_a_missing_deal_changes_none(service):
    (a,) = _deals(service, "Alpha")
    with pytest.raises(NotFoundError, match="no deal with id 999"):
        service.move_deals([a.id, 999], "Proposal")
    assert _stage_name(service, a.id) == "Analysis"


def test_each_deal_can_go_to_its_own_stage(service):
    (a,) = _deals(service, "A", stage="Analysis")
    (b,) = _deals(service, "B", stage="Proposal")
    service.move_each([(a.id, "Proposal"), (b.id, "Negotiation")])
    assert (_stage_name(service, a.id), _stage_name(service, b.id)) == ("Proposal", "Negotiation")


def test_bulk_losses_take_one_reason_and_need_it(service):
    a, b = _deals(service, "A", "B")
    with pytest.raises(ValidationError, match="needs a reason"):
        service.lose_deals([a.id, b.id], "")
    change = service.lose_deals([a.id, b.id], "price", "too dear")
    assert [d.lost_reason for d in change.deals] == ["price", "price"]
    assert {_stage_name(service, d.id) for d in (a, b)} == {"Closed Lost"}


def test_a_bulk_owner_change_edits_each_deal_and_leaves_those_already_theirs(service):
    a, b = _deals(service, "A", "B", owner="Dana")
    (c,) = _deals(service, "C", owner="Sam")
    change = service.edit_deals([a.id, b.id, c.id], {"owner": "Sam"})
    assert [service.deal(d.id).owner for d in (a, b, c)] == ["Sam", "Sam", "Sam"]
    assert len(change.leads) == 2  # C was already Sam's: nothing to undo there
    service.undo_events(change.leads)
    assert [service.deal(d.id).owner for d in (a, b, c)] == ["Dana", "Dana", "Sam"]


def test_one_follow_up_on_each_deal_and_one_undo_removes_them_all(service):
    a, b = _deals(service, "A", "B")
    change = service.schedule_followups([a.id, b.id], "friday", "Send the quote")
    assert [f.note for d in (a, b) for f in service.deal_detail(d.id).followups] == ["Send the quote"] * 2
    assert all(part.facts is not None and part.facts.next_followup is not None for part in change.parts)
    service.undo_events(change.leads)
    assert all(not service.deal_detail(d.id).followups for d in (a, b))


# closing settles the follow-ups ----------------------------------------------------------------
def test_closing_a_deal_marks_its_pending_follow_ups_done_and_undo_brings_them_back(service, clock):
    (deal,) = _deals(service, "Helios", stage="Negotiation")
    first = service.schedule_followup(deal.id, "friday", "Call").item
    second = service.schedule_followup(deal.id, "+10d", "Demo").item
    before = state(service)
    clock.advance(minutes=1)
    change = service.mark_won(deal.id)
    assert [e.kind for e in change.events] == [EventKind.FOLLOWUP_DONE, EventKind.FOLLOWUP_DONE, EventKind.WON]
    assert change.event.details["with"] == [e.id for e in change.companions]
    assert change.facts is not None and change.facts.next_followup is None
    assert all(f.is_done for f in service.deal_detail(deal.id).followups)
    assert {first.id, second.id} == {e.details["entity_id"] for e in change.companions}
    assert not [item for item in service.agenda() if item.deal.id == deal.id]

    clock.advance(minutes=1)
    undo = service.undo_last(deal.id)  # the close, with the follow-ups it settled
    assert state(service) == before
    assert [e.kind for e in undo.events] == [EventKind.UNDONE] * 3
    clock.advance(minutes=1)
    service.redo_event(undo.event.id)
    assert all(f.is_done for f in service.deal_detail(deal.id).followups)
    assert _stage_name(service, deal.id) == "Closed Won"


def test_a_close_can_keep_the_follow_ups_pending(service):
    (deal,) = _deals(service, "Helios", stage="Negotiation")
    service.schedule_followup(deal.id, "friday", "Call")
    change = service.mark_lost(deal.id, "price", settle_followups=False)
    assert change.companions == () and "with" not in change.event.details
    assert [f.is_done for f in service.deal_detail(deal.id).followups] == [False]
    # ... and still, a closed deal's follow-ups are not on the agenda.
    assert not [item for item in service.agenda() if item.deal.id == deal.id]


def test_a_bulk_win_settles_each_deals_follow_ups_and_one_undo_takes_all_back(service):
    a, b = _deals(service, "A", "B", stage="Negotiation", amount="10k")
    service.schedule_followup(a.id, "friday", "Call A")
    before = state(service)
    change = service.win_deals([a.id, b.id])
    assert [e.kind for e in change.events] == [EventKind.FOLLOWUP_DONE, EventKind.WON, EventKind.WON]
    assert_stays_replay_the_history(service)
    service.undo_events(change.leads)
    assert state(service) == before
    assert_stays_replay_the_history(service)


def test_the_history_says_a_follow_up_was_settled_by_the_close(service):
    from closedwon_tui.domain.timeline import describe_event

    (deal,) = _deals(service, "Helios", stage="Negotiation")
    service.schedule_followup(deal.id, "2026-12-01", "Call")
    change = service.mark_won(deal.id)
    assert describe_event(change.companions[0], {}) == "follow-up done (due 2026-12-01) as the deal closed: Call"


# snoozing ----------------------------------------------------------------------------------------
def test_snoozing_a_follow_up_moves_its_due_date_and_says_so(service):
    from closedwon_tui.domain.timeline import describe_event

    (deal,) = _deals(service, "Helios")
    followup = service.schedule_followup(deal.id, "2026-11-26", "Call").item
    change = service.snooze_followup(followup.id, "2026-12-02")
    assert change.item.due.date().isoformat() == "2026-12-02"
    assert describe_event(change.event, {}) == "follow-up snoozed 2026-11-26 → 2026-12-02: Call"
    with pytest.raises(ValidationError, match="already due then"):
        service.snooze_followup(followup.id, "2026-12-02")
    service.complete_followup(followup.id)
    with pytest.raises(ValidationError, match="already done"):
        service.snooze_followup(followup.id, "2026-12-09")


def test_a_bulk_undo_puts_a_deal_whose_place_was_taken_right_after_the_card_there(service, clock):
    a, b, c = _deals(service, "A", "B", "C")  # keys 0, -GAP, -2 GAP: C B A
    change = service.move_deals([c.id, b.id, a.id], "Proposal")
    newcomer = service.create_deal("D", stage="Analysis").deal  # the empty column's first key: A's old one
    clock.advance(minutes=1)
    undo = service.undo_events(change.leads)
    assert [e.kind for e in undo.events] == [EventKind.UNDONE] * 3
    assert columns(service)[service.stage("Analysis").id] == [c.id, b.id, newcomer.id, a.id]
    assert_ordered(service)
    assert_stays_replay_the_history(service)
    redo = service.redo_events(undo.leads)
    assert columns(service)[service.stage("Proposal").id] == [c.id, b.id, a.id]
    assert [e.kind for e in redo.events] == [EventKind.REDONE] * 3


def test_a_bulk_undo_refused_for_one_deal_changes_none_and_names_it(service):
    a, b, c = _deals(service, "Alpha", "Beta", "Gamma")
    change = service.move_deals([a.id, b.id, c.id], "Proposal")
    service.move_deal(b.id, "Negotiation")  # a colleague moved it on
    before = state(service)
    with pytest.raises(ConflictError, match=rf"deal {b.id} \(Beta\) has changed since"):
        service.undo_events(change.leads)
    assert state(service) == before
