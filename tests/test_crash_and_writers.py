"""Processes, not threads: a writer killed with SIGKILL in the middle of its writes, many times,
leaves a sound database whose history explains every deal; several processes writing the same
deals at once lose no update and print no traceback."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time
import traceback

from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import EventKind
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.report_reference import assert_stays_replay_the_history

FORK = multiprocessing.get_context("fork")  # children start at once, with everything imported


def _random_writes(url: str, seed: int, progress) -> None:  # type: ignore[no-untyped-def]
    """Write as fast as possible, every kind of change, counting the writes, until killed."""
    rng = random.Random(seed)
    db = Database.open(url)
    service = PipelineService(db, actor=f"writer-{seed}")
    stages = service.stages()
    while True:
        with progress.get_lock():
            progress.value += 1
        deals = service.deals()
        try:
            if len(deals) < 8 or rng.random() < 0.1:
                service.create_deal(f"Deal {seed}-{rng.randrange(10**6)}", stage=rng.choice(stages[:5]),
                                    amount=f"{rng.randrange(1, 10**6)}.{rng.randrange(100):02d}")  # fmt: skip
                continue
            deal = rng.choice(deals)
            action = rng.randrange(9)
            if action == 0:
                service.move_deal(deal.id, rng.choice(stages), position=rng.randrange(4), lost_reason="price")
            elif action == 1:
                service.reorder_deal(deal.id, rng.randrange(6))
            elif action == 2:
                service.edit_deal(deal.id, {"amount": str(rng.randrange(10**6)), "next_step": f"step {rng.random()}"})
            elif action == 3:
                service.add_note(deal.id, "x" * rng.randrange(1, 3000))  # big rows: more pages per commit
            elif action == 4:
                service.undo_last(deal.id)
            elif action == 5:
                service.add_objection(deal.id, "price", "Too dear")
            elif action == 6:
                service.schedule_followup(deal.id, "+3d", "call")
            elif not service.stage(deal.stage_id).is_open:
                service.reopen(deal.id)
            elif action == 7:
                service.mark_won(deal.id)
            else:
                service.mark_lost(deal.id, "timing")
        except (ValidationError, ConflictError):
            pass


def check_history_explains_every_deal(service: PipelineService) -> None:
    """Each deal's history replays to where it is (and its stays kept for the reports are that
    replay), its version counts the changes to its row, and every column's ordering keys are unique."""
    stages = service.stages()
    deals = service.deals()
    for deal in deals:
        history = service.history(deal.id)
        assert history and history[0].kind is EventKind.CREATED, deal.id
        placed = [e.to_stage_id for e in history if e.to_stage_id is not None]
        assert placed and placed[-1] == deal.stage_id, (deal.id, [(e.kind.value, e.to_stage_id) for e in history])
        row_changes = [e for e in history if e.details.get("entity") == "deal"]
        assert deal.version == 1 + len(row_changes), (deal.id, deal.version, [e.kind.value for e in history])
        stage = service.stage(deal.stage_id)
        assert (deal.closed_at is not None) == stage.is_closed, deal.id
        assert (deal.lost_reason != "") == (stage.kind.value == "lost"), deal.id
    for stage in stages:
        positions = [d.position for d in deals if d.stage_id == stage.id]
        assert len(set(positions)) == len(positions), (stage.name, sorted(positions))
    assert_stays_replay_the_history(service)


def test_a_writer_killed_mid_write_many_times_leaves_a_sound_database(tmp_path):
    path = tmp_path / "crash.db"
    url = f"sqlite:///{path}"
    rng = random.Random(2026)
    kills = 0
    deadline = time.monotonic() + 4  # a few seconds of kill -9, however fast the machine
    while time.monotonic() < deadline or kills < 20:
        progress = FORK.Value("i", 0)
        writers = [FORK.Process(target=_random_writes, args=(url, rng.randrange(10**6), progress))
                   for _ in range(rng.choice((1, 2)))]  # fmt: skip
        for writer in writers:
            writer.start()
        if kills:  # the first round may die while it sets up the schema; later ones die mid-writes
            target, waited = rng.randrange(1, 6), time.monotonic()
            while progress.value < target:
                assert time.monotonic() - waited < 60, "the writers made no progress"
                time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.02))
        for writer in writers:
            os.kill(writer.pid, signal.SIGKILL)
            writer.join(timeout=30)
            assert writer.exitcode == -signal.SIGKILL
        kills += 1
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()
    db = Database.open(url)
    try:
        service = PipelineService(db)
        assert len(service.deals()) >= 8 and len(service.all_events()) > kills  # it really wrote between kills
        check_history_explains_every_deal(service)
        service.create_deal("After the crashes")  # and it still takes writes
    finally:
        db.close()


# Several processes, the same deals ---------------------------------------------------------------
WRITERS = 4
ROUNDS = 12


def _contended_writer(url: str, number: int, deal_ids: list[int], barrier, results) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    """Each round: add one to a deal's probability the careful way (read, then write with the
    version read, again on a conflict), add a note, and move the deal; report what was done."""
    try:
        rng = random.Random(number)
        db = Database.open(url)
        service = PipelineService(db, actor=f"rep-{number}")
        stages = [s for s in service.stages() if s.is_open]
        barrier.wait(timeout=60)
        increments = conflicts = 0
        for round_ in range(ROUNDS):
            deal_id = rng.choice(deal_ids)
            while True:
                deal = service.deal(deal_id)
                try:
                    service.edit_deal(deal_id, {"probability": (deal.probability or 0) + 1},
                                      expected_version=deal.version)  # fmt: skip
                    increments += 1
                    break
                except ConflictError:
                    conflicts += 1
            service.add_note(deal_id, f"note {number}-{round_}")
            for _attempt in range(20):
                try:
                    service.move_deal(deal_id, rng.choice(stages), position=rng.randrange(3))
                    break
                except ValidationError:
                    break  # already in that stage with no position change: nothing to do
                except ConflictError:  # on PostgreSQL an edit may land between the move's read and write
                    conflicts += 1
        db.close()
        results.put(("ok", number, increments, conflicts))
    except BaseException:  # noqa: BLE001 - the parent shows any traceback
        results.put(("error", number, traceback.format_exc(), 0))


def test_processes_writing_the_same_deals_lose_no_update(db_url):
    setup = Database.open(db_url)
    service = PipelineService(setup, actor="setup")
    deal_ids = [service.create_deal(f"Shared {i}", probability=0).deal.id for i in range(3)]
    setup.close()
    barrier, results = FORK.Barrier(WRITERS), FORK.Queue()
    workers = [FORK.Process(target=_contended_writer, args=(db_url, n, deal_ids, barrier, results))
               for n in range(WRITERS)]  # fmt: skip
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    errors = [o[2] for o in outcomes if o[0] != "ok"]
    assert not errors, "\n".join(errors)
    assert all(w.exitcode == 0 for w in workers)
    db = Database.open(db_url)
    try:
        service = PipelineService(db)
        deals = [service.deal(d) for d in deal_ids]
        assert sum(d.probability or 0 for d in deals) == WRITERS * ROUNDS  # every increment kept
        notes = sum(len(service.deal_detail(d).notes) for d in deal_ids)
        assert notes == WRITERS * ROUNDS
        check_history_explains_every_deal(service)
    finally:
        db.close()
