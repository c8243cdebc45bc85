"""`deal undo ID` after a change made to several deals at once (`deal move 3 4 5 proposal`, a bulk
action on the board) takes the whole change back, as one step, as the board's `u` does; `--only`
takes back that deal's part alone. On every backend, checked in the database."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.errors import ConflictError
from closedwon_tui.domain.models import EventKind


def _stage(service, deal_id: int) -> str:  # type: ignore[no-untyped-def]
    return service.stage(service.deal(deal_id).stage_id).name


def _three(service) -> list[int]:  # type: ignore[no-untyped-def]
    return [service.create_deal(t, stage="Analysis").deal.id for t in ("A", "B", "C")]


def test_undo_last_takes_back_a_bulk_move_whole_from_any_of_its_deals(service, clock):
    a, b, c = _three(service)
    other = service.create_deal("Elsewhere", stage="Outreach").deal.id
    clock.advance(minutes=1)
    service.move_deals([a, b, c], "Proposal")
    clock.advance(minutes=1)
    service.move_deal(other, "Qualification")  # someone's later change to another deal: not part of it
    clock.advance(minutes=1)
    undo = service.undo_last(b)
    assert undo.is_bulk and sorted(d.id for d in undo.deals) == sorted([a, b, c])
    assert [_stage(service, d) for d in (a, b, c)] == ["Analysis"] * 3
    assert _stage(service, other) == "Qualification"
    assert [e.kind for e in undo.events] == [EventKind.UNDONE] * 3


def test_only_takes_back_one_deals_part_and_the_rest_later_whole(service, clock):
    a, b, c = _three(service)
    service.move_deals([a, b, c], "Proposal")
    clock.advance(minutes=1)
    undo = service.undo_last(b, only=True)
    assert not undo.is_bulk and undo.deal.id == b
    assert [_stage(service, d) for d in (a, b, c)] == ["Proposal", "Analysis", "Proposal"]
    clock.advance(minutes=1)
    rest = service.undo_last(c)  # what is left of the change: a and c
    assert sorted(d.id for d in rest.deals) == sorted([a, c])
    assert [_stage(service, d) for d in (a, b, c)] == ["Analysis"] * 3


def test_a_deal_changed_since_stops_the_whole_undo_and_nothing_is_undone(service, clock):
    a, b, c = _three(service)
    service.move_deals([a, b, c], "Proposal")
    clock.advance(minutes=1)
    service.move_deal(a, "Negotiation")
    clock.advance(minutes=1)
    with pytest.raises(ConflictError, match=rf"deal {a} \(A\) has changed since"):
        service.undo_last(b)
    assert [_stage(service, d) for d in (a, b, c)] == ["Negotiation", "Proposal", "Proposal"]


def test_bulk_edits_follow_ups_and_closes_are_taken_back_whole_with_what_was_written_with_them(service, clock):
    a, b, c = _three(service)
    service.edit_deals([a, b], {"owner": "Sam"})
    clock.advance(minutes=1)
    assert service.undo_last(a).is_bulk
    assert [service.deal(d).owner for d in (a, b)] == ["", ""]

    clock.advance(minutes=1)
    service.schedule_followups([a, b, c], "friday", "Call")
    clock.advance(minutes=1)
    service.win_deals([b, c])  # marks their follow-ups done, with the wins
    clock.advance(minutes=1)
    undo = service.undo_last(c)
    assert sorted(d.id for d in undo.deals) == sorted([b, c])
    assert [_stage(service, d) for d in (b, c)] == ["Analysis", "Analysis"]
    assert [[f.is_done for f in service.deal_detail(d).followups] for d in (a, b, c)] == [[False]] * 3
    clock.advance(minutes=1)
    assert service.undo_last(a).is_bulk  # now the follow-ups, on all three
    assert all(not service.deal_detail(d).followups for d in (a, b, c))


def test_a_redone_bulk_change_is_undone_whole_and_one_deals_change_stays_one(service, clock):
    a, b, c = _three(service)
    change = service.move_deals([a, b], "Proposal")
    clock.advance(minutes=1)
    undo = service.undo_events(change.leads)  # the board's u
    clock.advance(minutes=1)
    service.redo_events(undo.leads)  # and ctrl+y
    clock.advance(minutes=1)
    assert service.undo_last(a).is_bulk
    assert [_stage(service, d) for d in (a, b)] == ["Analysis", "Analysis"]
    clock.advance(minutes=1)
    service.move_deal(c, "Proposal")
    clock.advance(minutes=1)
    single = service.undo_last(c)
    assert not single.is_bulk and "together" not in service.history(c)[-2].details
