"""A move keeps its deal's stays without replaying the history: it ends the last stay and starts the
next, from the last stay read with the deal. Whenever that would not be what a replay gives (the
clock went back, the stays are missing), the history is replayed as before. Either way the stays
are those a full replay of the history gives."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, event

from closedwon_tui.storage import tables
from tests.report_reference import assert_stays_replay_the_history


def _statements(service, action):  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    event.listen(service.db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(service.db.engine, "before_cursor_execute", record)
    return seen


def _stays(service, deal_id: int) -> list[tuple[int, int | None]]:  # type: ignore[no-untyped-def]
    """The deal's stays as stored: (stage, seconds), in order."""
    stays = tables.deal_stays
    with service.db.read() as repo:
        rows = repo.connection.execute(stays.select().where(stays.c.deal_id == deal_id).order_by(stays.c.seq)).all()
    return [(r.stage_id, r.seconds) for r in rows]


def _reads_history(statements: list[str]) -> bool:
    """Whether the deal's stage events were read to replay its stays (not the one event an undo reads)."""
    return any(s.startswith("SELECT deal_events.deal_id, deal_events.id, deal_events.at") for s in statements)


def test_a_move_ends_the_last_stay_and_starts_one_without_reading_the_history(service, clock):
    deal = service.create_deal("Acme renewal", stage="Outreach").deal
    proposal, won = service.stage("Proposal"), service.stage("Closed Won")
    clock.advance(hours=5)
    statements = _statements(service, lambda: service.move_deal(deal.id, proposal))
    assert not _reads_history(statements)
    assert sum(s.startswith("DELETE FROM deal_stays") for s in statements) == 0
    clock.advance(days=2, seconds=7)
    service.move_deal(deal.id, won)
    assert _stays(service, deal.id) == [
        (service.stage("Outreach").id, 5 * 3600),
        (proposal.id, 2 * 86400 + 7),
        (won.id, None),
    ]
    assert_stays_replay_the_history(service)


def test_moves_after_undone_and_redone_moves_keep_the_stays_a_replay_gives(service, clock):
    deal = service.create_deal("Helios rollout", stage="Analysis").deal
    stages = [service.stage(name) for name in ("Proposal", "Negotiation", "Analysis", "Closed Lost")]
    for n, stage in enumerate(stages):
        clock.advance(hours=3 + n)
        moved = service.move_deal(deal.id, stage, lost_reason="price")
        clock.advance(minutes=10)
        undo = service.undo_event(moved.event.id).event
        clock.advance(minutes=10)
        if n % 2:
            service.redo_event(undo.id)
        else:
            service.move_deal(deal.id, stage, lost_reason="price")
        assert_stays_replay_the_history(service)


def test_a_move_made_with_the_clock_set_back_replays_the_history(service, clock):
    deal = service.create_deal("Orbital fleet", stage="Outreach").deal
    clock.advance(days=3)
    service.move_deal(deal.id, service.stage("Analysis"))
    clock.now -= timedelta(days=2)  # earlier than the deal's last move: it must sort by the rule
    statements = _statements(service, lambda: service.move_deal(deal.id, service.stage("Proposal")))
    assert _reads_history(statements)
    # the move sorts before the one it follows, so the history no longer replays to the deal's stage:
    # what counts here is that the stays are still exactly the replay's
    assert_stays_replay_the_history(service, to_where_deals_are=False)


def test_a_deal_whose_stays_are_missing_gets_them_back_from_its_history(service, clock):
    deal = service.create_deal("Granite warehouse", stage="Outreach").deal
    clock.advance(days=1)
    service.move_deal(deal.id, service.stage("Analysis"))
    with service.db.write() as repo:  # a table a bulk load left empty, say
        repo.connection.execute(delete(tables.deal_stays).where(tables.deal_stays.c.deal_id == deal.id))
    clock.advance(days=1)
    statements = _statements(service, lambda: service.move_deal(deal.id, service.stage("Proposal")))
    assert _reads_history(statements)
    assert_stays_replay_the_history(service)


def _moved_hourly(service, clock, title: str, *stages: str):  # type: ignore[no-untyped-def]
    """A deal created in Outreach and moved through `stages`, an hour apart; its last move."""
    deal = service.create_deal(title, stage="Outreach").deal
    moved = None
    for name in stages:
        clock.advance(hours=1)
        moved = service.move_deal(deal.id, service.stage(name))
    return deal, moved


def test_undoing_the_latest_move_drops_its_stay_without_reading_the_history(service, clock):
    deal, moved = _moved_hourly(service, clock, "Polar routes", "Analysis", "Proposal")
    clock.advance(minutes=5)
    statements = _statements(service, lambda: service.undo_event(moved.event.id))
    assert not _reads_history(statements)
    assert_stays_replay_the_history(service)
    assert _stays(service, deal.id) == [(service.stage("Outreach").id, 3600), (service.stage("Analysis").id, None)]


def test_undoing_a_move_made_at_the_same_moment_as_another_replays_the_history(service, clock):
    deal = service.create_deal("Atlas renewal", stage="Outreach").deal
    clock.advance(hours=1)
    service.move_deal(deal.id, service.stage("Analysis"))
    moved = service.move_deal(deal.id, service.stage("Proposal"))  # the same clock reading
    statements = _statements(service, lambda: service.undo_event(moved.event.id))
    assert _reads_history(statements)
    assert_stays_replay_the_history(service)


def test_undoing_a_redo_replays_the_history(service, clock):
    deal = service.create_deal("Helios rollout", stage="Outreach").deal
    clock.advance(hours=1)
    moved = service.move_deal(deal.id, service.stage("Analysis"))
    clock.advance(hours=1)
    undo = service.undo_event(moved.event.id).event
    clock.advance(hours=1)
    redo = service.redo_event(undo.id).event
    clock.advance(hours=1)
    statements = _statements(service, lambda: service.undo_event(redo.id))
    assert _reads_history(statements)
    assert_stays_replay_the_history(service)


def test_an_undo_replays_stays_that_disagree_with_the_history(service, clock):
    deal, moved = _moved_hourly(service, clock, "Granite warehouse", "Analysis", "Proposal")
    stays = tables.deal_stays
    with service.db.write() as repo:  # the stay before the last says another stage (edited by hand, say)
        repo.connection.execute(
            stays.update()
            .where(stays.c.deal_id == deal.id, stays.c.seq == 1)
            .values(stage_id=service.stage("Negotiation").id)
        )
    clock.advance(hours=1)
    service.undo_event(moved.event.id)
    assert_stays_replay_the_history(service)
