"""The board draws a write while its commit lands: the commit is held back until the outcome is
handed over. Nothing may see the write before it is saved, nothing may run before it lands, and a
commit the database refuses saves nothing and is taken back on the board."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from closedwon_tui.app.board.writes import Outcome
from closedwon_tui.app.workers import WorkerRunner
from closedwon_tui.domain.errors import NotFoundError
from closedwon_tui.services import PipelineService
from tests.board_helpers import board, cards_text, make_app, seed, settled, titles_in

DISK_FULL = sqlite3.OperationalError("database or disk is full")


def _titles_seen_elsewhere(service: PipelineService) -> list[str]:
    """Deal titles as a connection of another program sees them (committed rows only)."""
    engine = create_engine(service.db.engine.url)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text("SELECT title FROM deals ORDER BY id"))]
    finally:
        engine.dispose()


def refuse_next_commit(monkeypatch: pytest.MonkeyPatch, *, in_writer_thread: bool = False) -> list[int]:
    """The next commit fails as a full disk would (only one made in the board's writer thread, with
    `in_writer_thread`); the list says whether it was tried."""
    commit = Connection.commit
    refused: list[int] = []

    def failing(self: Connection) -> None:
        if not refused and (not in_writer_thread or threading.current_thread().name.startswith("closedwon-write")):
            refused.append(threading.get_ident())
            raise OperationalError("COMMIT", {}, DISK_FULL)
        commit(self)

    monkeypatch.setattr(Connection, "commit", failing)
    return refused


def test_a_held_write_is_seen_by_nobody_until_it_lands_and_a_read_elsewhere_waits_for_it(service):
    read: list[str] = []
    with service.holding_commit() as held:
        deal = service.create_deal("Helios rollout", stage="Analysis", amount="48,250").deal
    assert "Helios rollout" not in _titles_seen_elsewhere(service)  # not committed yet

    reader = threading.Thread(target=lambda: read.append(service.deal(deal.id).title))
    reader.start()
    time.sleep(0.2)
    assert reader.is_alive() and read == []  # the other thread's read waits for the commit
    assert held.land() is None
    reader.join(5)
    assert read == ["Helios rollout"]
    assert "Helios rollout" in _titles_seen_elsewhere(service)


def test_the_holding_thread_lands_its_held_write_before_its_next_read_or_write(service):
    with service.holding_commit() as held:
        first = service.create_deal("Helios rollout", stage="Analysis", amount="48,250").deal
        assert "Helios rollout" not in _titles_seen_elsewhere(service)
        assert service.deal(first.id).title == "Helios rollout"  # its read lands it first
        assert "Helios rollout" in _titles_seen_elsewhere(service)
        service.create_deal("Orbital fleet", stage="Analysis", amount="12k")
        assert "Orbital fleet" not in _titles_seen_elsewhere(service)  # only the last write is held
    assert held.land() is None
    assert held.land() is None  # nothing held any more
    assert _titles_seen_elsewhere(service) == ["Helios rollout", "Orbital fleet"]


def test_a_commit_the_database_refuses_saves_nothing_says_why_and_lets_others_go_on(service, monkeypatch):
    refused = refuse_next_commit(monkeypatch)
    with service.holding_commit() as held:
        deal = service.create_deal("Helios rollout", stage="Analysis", amount="48,250").deal
    error = held.land()
    assert refused, "the commit was tried"
    assert error is not None and str(error) == "the disk is full; nothing was saved"
    with pytest.raises(NotFoundError):
        service.deal(deal.id)  # does not wait: nothing is held any more
    assert _titles_seen_elsewhere(service) == []


def test_a_bug_in_the_holding_block_lands_what_was_written_before_it(service):
    with pytest.raises(ZeroDivisionError), service.holding_commit():
        service.create_deal("Helios rollout", stage="Analysis", amount="48,250")
        1 / 0  # noqa: B018
    assert _titles_seen_elsewhere(service) == ["Helios rollout"]


async def test_the_runner_hands_the_outcome_over_before_the_commit_lands_and_says_when_it_did():
    from textual.app import App

    release = threading.Event()
    events: list[str] = []

    def land() -> None:
        release.wait(5)
        events.append("landed in the writer")

    app = App[None]()
    async with app.run_test() as pilot:
        runner = WorkerRunner(app.screen)
        runner(lambda: Outcome(land=land), lambda _o: events.append("done"), lambda e: events.append(f"said {e}"))
        for _ in range(200):
            if events:
                break
            await pilot.pause(0.01)
        assert events == ["done"]  # handed over while the commit is still on its way
        release.set()
        for _ in range(200):
            if len(events) == 3:
                break
            await pilot.pause(0.01)
    assert events == ["done", "landed in the writer", "said None"]


async def test_a_move_whose_commit_is_refused_is_taken_back_on_the_board(sqlite_service, monkeypatch):
    ids = seed(sqlite_service)
    events_before = len(sqlite_service.history(ids["Helios rollout"]))
    refused = refuse_next_commit(monkeypatch, in_writer_thread=True)
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("l", "l", "L")  # Analysis's top card, Helios rollout, into Proposal
        await settled(pilot)
        await app.workers.wait_for_complete()  # the board read again
        await pilot.pause()
        assert refused, "the move's commit was tried"
        assert titles_in(sqlite_service, "Analysis") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        assert titles_in(sqlite_service, "Proposal") == []
        assert len(sqlite_service.history(ids["Helios rollout"])) == events_before
        shown = [n.message for n in app._notifications]
        assert "the disk is full; nothing was saved" in shown
        assert any("Helios rollout" in line for line in cards_text(app, "Analysis"))
        assert not any("Helios rollout" in line for line in cards_text(app, "Proposal"))
        assert board(app).session.undo_stack == []
        await pilot.press("u")
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        assert board(app).session.refusals == 1
