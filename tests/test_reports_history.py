"""The funnel and the days in stage read the history: undo, redo and undoing an undo are honoured."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from closedwon_tui.domain.replay import stage_path
from tests.conftest import FROZEN_NOW

T0 = FROZEN_NOW - timedelta(days=10)


def reached(service) -> list[int]:  # type: ignore[no-untyped-def]
    return [s.reached for s in service.report("all").funnel]


def days(service, stage: str):  # type: ignore[no-untyped-def]
    return next((t.stays, t.average_days) for t in service.report("all").stage_times if t.stage.name == stage)


def test_an_undone_move_never_happened_and_a_redo_enters_the_stage_again(service, clock):
    clock.now = T0
    deal = service.create_deal("Helios", amount="100").deal
    clock.advance(days=1)
    moved = service.move_deal(deal.id, "Qualification")
    clock.advance(hours=1)
    undo = service.undo_event(moved.event.id)
    assert reached(service) == [1, 0, 0, 0, 0, 0]
    assert days(service, "Outreach") == (0, None)  # the mistaken hour-long stay is gone with it
    clock.now = T0 + timedelta(days=3)
    redo = service.redo_event(undo.event.id)
    assert reached(service) == [1, 1, 0, 0, 0, 0]
    assert days(service, "Outreach") == (1, Decimal("3.0"))  # it left Outreach when the redo happened
    clock.now = T0 + timedelta(days=4)
    service.undo_event(redo.event.id)
    assert reached(service) == [1, 0, 0, 0, 0, 0]
    assert days(service, "Outreach") == (0, None)


def test_undoing_an_undo_puts_the_deal_back_in_the_stage(service, clock):
    clock.now = T0
    deal = service.create_deal("Orbital", amount="100").deal
    clock.advance(days=2)
    won = service.mark_won(deal.id)
    clock.advance(days=1)
    undo = service.undo_event(won.event.id)
    assert reached(service)[-1] == 0 and service.report("all").outcomes.won_count == 0
    clock.advance(days=1)
    service.undo_event(undo.event.id)
    report = service.report("all")
    assert [s.reached for s in report.funnel][-1] == 1 and report.outcomes.won_count == 1
    path = stage_path(service.history(deal.id))
    assert [service.stage(stage_id).name for _, stage_id in path] == ["Outreach", "Closed Won"]
    assert path[1][0] == T0 + timedelta(days=4)


def test_moving_back_does_not_unreach_a_stage_and_each_stay_counts(service, clock):
    clock.now = T0
    deal = service.create_deal("Granite", amount="100").deal
    clock.advance(days=1)
    service.move_deal(deal.id, "Analysis")
    clock.advance(days=2)
    service.move_deal(deal.id, "Outreach")
    clock.advance(days=4)
    service.move_deal(deal.id, "Analysis")
    assert reached(service) == [1, 1, 1, 0, 0, 0]
    assert days(service, "Outreach") == (2, Decimal("2.5"))  # 1 day, then 4 days
    assert days(service, "Analysis") == (1, Decimal("2.0"))  # the second stay is not over yet
