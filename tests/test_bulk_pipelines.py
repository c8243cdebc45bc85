"""Bulk moves and pipelines: deals of several pipelines move across into one with `pipeline`, all
or nothing, each history naming both pipelines, one undo taking them all back; without
`pipeline`, a deal of another pipeline stops the whole move and is named."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import EventKind
from tests.dbstate import assert_ordered
from tests.report_reference import assert_stays_replay_the_history
from tests.test_services_undo import state


def _renewals(service):
    service.add_pipeline("Renewals", stages="Due,Talking")
    return service.pipeline("Renewals")


def _column(service, stage) -> list[int]:
    """A column's deal ids, top first, on its own pipeline's board."""
    cards = service.board(pipeline=stage.pipeline_id).cards
    return [c.id for c in sorted(cards, key=lambda c: c.position) if c.stage_id == stage.id]


def _pipeline_name(service, deal_id: int) -> str:
    return service.pipeline_of(service.deal(deal_id).stage_id).name


def test_deals_of_two_pipelines_move_across_into_one_and_one_undo_takes_them_back(service, clock):
    _renewals(service)
    a = service.create_deal("Sales A", stage="Analysis").deal
    b = service.create_deal("Sales B", stage="Proposal").deal
    r = service.create_deal("Renewal R", pipeline="Renewals").deal
    before = state(service)
    clock.advance(minutes=1)
    change = service.move_deals([a.id, b.id, r.id], "talk", pipeline="renewals")
    assert [e.kind for e in change.events] == [EventKind.MOVED] * 3 and len(change.leads) == 3
    talking = service.stage("Talking", "Renewals")
    assert _column(service, talking) == [a.id, b.id, r.id]
    assert {_pipeline_name(service, d) for d in (a.id, b.id, r.id)} == {"Renewals"}
    for deal, came_from in ((a, "Sales"), (b, "Sales")):
        details = service.history(deal.id)[-1].details
        assert (details["from_pipeline"], details["to_pipeline"]) == (came_from, "Renewals")
    assert "from_pipeline" not in service.history(r.id)[-1].details  # moved inside Renewals
    assert_ordered(service)
    assert_stays_replay_the_history(service)
    clock.advance(minutes=1)
    service.undo_events(change.leads)
    assert state(service) == before
    assert [_pipeline_name(service, d) for d in (a.id, b.id, r.id)] == ["Sales", "Sales", "Renewals"]


def test_many_deals_move_across_together_in_one_statement_with_both_pipelines_named(service, clock):
    """Several deals into one column take the bulk path (one UPDATE, one INSERT of events): its
    history events name the pipelines as a single move's do."""
    _renewals(service)
    deals = [service.create_deal(f"Deal {n}", stage="Analysis").deal for n in range(5)]
    service.create_deal("Already due", pipeline="Renewals")
    clock.advance(minutes=1)
    service.move_deals([d.id for d in deals], "Due", pipeline="Renewals")
    for deal in deals:
        event = service.history(deal.id)[-1]
        assert event.details["from_pipeline"] == "Sales" and event.details["to_pipeline"] == "Renewals"
        assert _pipeline_name(service, deal.id) == "Renewals"
    assert_ordered(service)
    assert_stays_replay_the_history(service)


def test_without_the_pipeline_a_deal_of_another_pipeline_stops_the_whole_move(service):
    _renewals(service)
    a = service.create_deal("Sales A", stage="Analysis").deal
    r = service.create_deal("Renewal R", pipeline="Renewals").deal
    before = state(service)
    with pytest.raises(ValidationError) as caught:
        service.move_deals([a.id, r.id], "Proposal")
    assert f"deal {r.id}" in str(caught.value) and "--pipeline Sales" in str(caught.value)
    assert state(service) == before  # deal A did not move either


@pytest.mark.parametrize(
    ("stage", "pipeline", "words"),
    [("Proposal", "Renewals", "unknown stage"), ("Due", "Nowhere", "unknown pipeline")],
)
def test_a_stage_not_in_the_pipeline_named_or_an_unknown_pipeline_moves_nothing(service, stage, pipeline, words):
    _renewals(service)
    a = service.create_deal("Sales A", stage="Analysis").deal
    b = service.create_deal("Sales B", stage="Analysis").deal
    before = state(service)
    with pytest.raises(ValidationError, match=words):
        service.move_deals([a.id, b.id], stage, pipeline=pipeline)
    assert state(service) == before
