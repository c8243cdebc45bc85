"""The timeline words and the stays per stage behind the History tab and the overview's bar."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from closedwon_tui.domain.timeline import (
    describe_event,
    duration_text,
    relative_time,
    stage_stays,
    time_per_stage,
)
from tests.conftest import FROZEN_NOW


def test_durations_read_as_a_rep_says_them():
    assert duration_text(20) == "under a minute"
    assert duration_text(60) == "1 minute"
    assert duration_text(45 * 60) == "45 minutes"
    assert duration_text(3600) == "1 hour"
    assert duration_text(5 * 3600 + 59) == "5 hours"
    assert duration_text(86400) == "1 day"
    assert duration_text(12 * 86400 + 3600) == "12 days"


def test_relative_time_uses_days_then_weeks_then_months():
    now = FROZEN_NOW
    assert relative_time(now - timedelta(seconds=30), now) == "just now"
    assert relative_time(now - timedelta(minutes=5), now) == "5 minutes ago"
    assert relative_time(now - timedelta(hours=3), now) == "3 hours ago"
    assert relative_time(now - timedelta(days=3), now) == "3 days ago"
    assert relative_time(now - timedelta(days=13), now) == "13 days ago"
    assert relative_time(now - timedelta(days=32), now) == "4 weeks ago"
    assert relative_time(now - timedelta(days=75), now) == "2 months ago"
    assert relative_time(now - timedelta(days=800), now) == "2 years ago"
    assert relative_time(now + timedelta(days=2), now) == "in 2 days"


def test_an_undone_move_never_happened_in_the_stays(service, clock):
    """The one replay rule: a move taken back was a mistake, so the deal never left Outreach."""
    deal = service.create_deal("Helios platform rollout").deal
    clock.advance(days=2)
    service.move_deal(deal.id, "Analysis")
    clock.advance(hours=3)
    service.undo_last(deal.id)  # back to Outreach
    clock.advance(days=1)
    names = {s.id: s.name for s in service.stages()}
    stays = stage_stays(service.history(deal.id), names, clock())
    assert [(s.stage_name, s.seconds / 3600, s.current) for s in stays] == [("Outreach", 75.0, True)]
    service.move_deal(deal.id, "Proposal")
    clock.advance(hours=5)
    stays = stage_stays(service.history(deal.id), names, clock())
    assert [(s.stage_name, s.seconds / 3600, s.current) for s in stays] == [
        ("Outreach", 75.0, False), ("Proposal", 5.0, True),
    ]  # fmt: skip
    assert [(name, seconds / 3600) for _id, name, seconds in time_per_stage(stays)] == [
        ("Outreach", 75.0), ("Proposal", 5.0),
    ]  # fmt: skip
    # The reports read the same stays: one stay in Outreach of 75 hours, none in Analysis.
    times = {t.stage.name: (t.stays, t.average_days) for t in service.report("all").stage_times}
    assert times["Outreach"] == (1, Decimal("3.1")) and times["Analysis"] == (0, None)


def test_a_redo_enters_the_stage_again_when_it_is_redone(service, clock):
    deal = service.create_deal("Orbital fleet analytics").deal
    clock.advance(days=1)
    moved = service.move_deal(deal.id, "Qualification")
    clock.advance(hours=2)
    undo = service.undo_event(moved.event.id)
    clock.advance(days=2)
    service.redo_event(undo.event.id)  # it really was in Qualification, from now on
    clock.advance(days=1)
    names = {s.id: s.name for s in service.stages()}
    stays = stage_stays(service.history(deal.id), names, clock())
    assert [(s.stage_name, s.seconds / 3600) for s in stays] == [("Outreach", 74.0), ("Qualification", 24.0)]
    assert [s.reached for s in service.report("all").funnel][:2] == [1, 1]


def test_an_undo_says_what_it_took_back(service, clock):
    deal = service.create_deal("Helios platform rollout", stage="Analysis").deal
    clock.advance(days=12)
    service.move_deal(deal.id, "Proposal")
    undo = service.undo_last(deal.id).event
    redo = service.redo_event(undo.id).event
    names = {s.id: s.name for s in service.stages()}
    history = {e.id: e for e in service.history(deal.id)}
    assert describe_event(undo, names, history) == "undid: moved Analysis → Proposal after 12 days in Analysis"
    assert describe_event(redo, names, history) == "redid: moved Analysis → Proposal after 12 days in Analysis"
    assert describe_event(undo, names) == "undid move (Proposal → Analysis)"


def test_a_win_and_a_reopening_say_how_long_the_deal_stayed(service, clock):
    deal = service.create_deal("Helios platform rollout", stage="Negotiation").deal
    clock.advance(days=5)
    won = service.mark_won(deal.id).event
    clock.advance(hours=2)
    reopened = service.reopen(deal.id).event
    names = {s.id: s.name for s in service.stages()}
    assert describe_event(won, names) == "closed won, from Negotiation after 5 days in Negotiation"
    assert describe_event(reopened, names) == "reopened into Negotiation, was won after 2 hours in Closed Won"
