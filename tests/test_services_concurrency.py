"""Two writers, stale versions and half-finished writes: nothing is ever silently lost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from closedwon_tui.domain.errors import ConflictError, StorageError
from closedwon_tui.domain.models import EventKind
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.repository import Repository
from tests.dbstate import assert_ordered, dump_tables


@pytest.fixture
def second(db_url, clock) -> Iterator[PipelineService]:
    """Another rep's closedwon, on the same database."""
    database = Database.open(db_url)
    yield PipelineService(database, clock=clock, actor="sam")
    database.close()


STALE_CALLS = {
    "edit": lambda s, d, v: s.edit_deal(d, {"amount": "99k"}, expected_version=v),
    "move": lambda s, d, v: s.move_deal(d, "Negotiation", expected_version=v),
    "reorder": lambda s, d, v: s.reorder_deal(d, 1, expected_version=v),
    "won": lambda s, d, v: s.mark_won(d, expected_version=v),
    "lost": lambda s, d, v: s.mark_lost(d, "price", expected_version=v),
    "lookback": lambda s, d, v: s.record_lookback(d, "went well", expected_version=v),
}


@pytest.mark.parametrize("call", list(STALE_CALLS))
def test_a_write_from_a_stale_version_is_refused_and_changes_nothing(service, call):
    deal = service.create_deal("Helios", stage="Proposal", amount="10k").deal
    service.create_deal("Other", stage="Proposal")
    opened = service.deal(deal.id)  # what the rep saw
    service.edit_deal(deal.id, {"next_step": "Send proposal"})  # someone changed it since
    before = dump_tables(service.db.engine)
    with pytest.raises(ConflictError, match="changed by someone else"):
        STALE_CALLS[call](service, deal.id, opened.version)
    assert dump_tables(service.db.engine) == before


def test_reopen_from_a_stale_version_is_refused(service):
    deal = service.create_deal("Helios", stage="Proposal").deal
    version = service.mark_won(deal.id).deal.version
    service.record_lookback(deal.id, "ok")
    before = dump_tables(service.db.engine)
    with pytest.raises(ConflictError):
        service.reopen(deal.id, expected_version=version)
    assert dump_tables(service.db.engine) == before


def test_the_current_version_is_accepted(service):
    deal = service.create_deal("Helios", stage="Proposal", amount="10k").deal
    change = service.edit_deal(deal.id, {"amount": "12k"}, expected_version=deal.version)
    assert change.deal.version == deal.version + 1
    assert service.move_deal(deal.id, "Negotiation", expected_version=change.deal.version).event is not None


def test_the_second_writer_with_an_old_version_is_refused_and_nothing_is_lost(service, second):
    deal = service.create_deal("Helios", stage="Proposal", amount="10k").deal
    seen_by_dana = service.deal(deal.id)
    seen_by_sam = second.deal(deal.id)
    service.edit_deal(deal.id, {"amount": "15k"}, expected_version=seen_by_dana.version)
    with pytest.raises(ConflictError):
        second.edit_deal(deal.id, {"amount": "20k"}, expected_version=seen_by_sam.version)
    with pytest.raises(ConflictError):
        second.move_deal(deal.id, "Closed Won", expected_version=seen_by_sam.version)
    for reader in (service, second):
        current = reader.deal(deal.id)
        assert str(current.amount) == "15000.00" and reader.stage(current.stage_id).name == "Proposal"
    assert [e.actor for e in second.history(deal.id)] == ["dana", "dana"]
    # Sam reloads and tries again: now it works, and both changes are in the history.
    fresh = second.deal(deal.id)
    second.edit_deal(deal.id, {"amount": "20k"}, expected_version=fresh.version)
    history = service.history(deal.id)
    assert [(e.actor, e.details.get("changes")) for e in history[1:]] == [
        ("dana", {"amount": ["10000.00", "15000.00"]}),
        ("sam", {"amount": ["15000.00", "20000.00"]}),
    ]


def test_two_writers_moving_cards_keep_columns_dense(service, second):
    deals = [service.create_deal(f"D{i}", stage="Analysis").deal for i in range(4)]
    service.move_deal(deals[0].id, "Proposal")
    second.move_deal(deals[1].id, "Proposal", position=1)
    service.reorder_deal(deals[2].id, 0)
    second.move_deal(deals[3].id, "Proposal", position=0)
    assert_ordered(service)
    assert len(second.deals(stage="Proposal")) == 3


def test_an_undo_never_overwrites_another_writers_change(service, second):
    deal = service.create_deal("Helios", amount="10k").deal
    mine = service.edit_deal(deal.id, {"amount": "15k"})
    second.edit_deal(deal.id, {"amount": "20k"})
    with pytest.raises(ConflictError):
        service.undo_event(mine.event.id)
    assert str(second.deal(deal.id).amount) == "20000.00"


# one transaction: the row and its history event together, or neither ----------------
class Boom(StorageError):
    pass


@pytest.fixture
def failing_history(monkeypatch):
    """The history event cannot be written (as if the disk filled up at that moment)."""

    def add_event(self, **values):
        # the change itself has already reached the database (Core runs each statement at once)
        raise Boom("the disk is full; nothing was saved")

    monkeypatch.setattr(Repository, "add_event", add_event)


def test_a_create_whose_event_fails_leaves_neither_row_nor_event(service, request):
    service.create_deal("Existing", stage="Proposal")
    before = dump_tables(service.db.engine)
    request.getfixturevalue("failing_history")
    with pytest.raises(Boom):
        service.create_deal("New", stage="Proposal")
    assert dump_tables(service.db.engine) == before


@pytest.mark.parametrize(
    "call",
    [
        lambda s, d: s.edit_deal(d, {"amount": "1k"}),
        lambda s, d: s.move_deal(d, "Negotiation"),
        lambda s, d: s.reorder_deal(d, 0),
        lambda s, d: s.mark_won(d),
        lambda s, d: s.mark_lost(d, "price"),
        lambda s, d: s.add_objection(d, "price", "x").item,
        lambda s, d: s.schedule_followup(d, "tomorrow", "x").item,
        lambda s, d: s.add_note(d, "x").item,
        lambda s, d: s.undo_last(d),
    ],
    ids=["edit", "move", "reorder", "won", "lost", "objection", "followup", "note", "undo"],
)
def test_a_write_whose_event_fails_changes_nothing(service, request, call):
    deal = service.create_deal("Helios", stage="Proposal", amount="10k").deal
    service.create_deal("Other", stage="Proposal")
    service.edit_deal(deal.id, {"owner": "Dana"})
    before = dump_tables(service.db.engine)
    request.getfixturevalue("failing_history")
    with pytest.raises(Boom):
        call(service, deal.id)
    assert dump_tables(service.db.engine) == before


def test_each_write_commits_exactly_one_event(service):
    deal = service.create_deal("Helios", stage="Proposal").deal
    counts = []
    for call in (
        lambda: service.edit_deal(deal.id, {"amount": "1k"}),
        lambda: service.move_deal(deal.id, "Negotiation"),
        lambda: service.mark_won(deal.id),
        lambda: service.reopen(deal.id),
        lambda: service.undo_last(deal.id),
    ):
        call()
        counts.append(len(service.all_events()))
    assert counts == [2, 3, 4, 5, 6]
    assert service.history(deal.id)[-1].kind is EventKind.UNDONE


def test_writers_racing_in_threads_keep_the_board_consistent(service, second):
    """Two closedwons dragging cards at the same moment: writes queue, none is lost or half-done."""
    import threading

    deals = [service.create_deal(f"D{i}", stage="Analysis").deal for i in range(6)]
    stage_names = ["Analysis", "Proposal", "Negotiation"]
    errors: list[BaseException] = []
    done: list[int] = [0, 0]

    def drag(svc: PipelineService, me: int) -> None:
        try:
            for step in range(15):
                deal = deals[(step * 2 + me) % len(deals)]
                current = svc.stage(svc.deal(deal.id).stage_id).name
                target = stage_names[(stage_names.index(current) + 1) % len(stage_names)]
                svc.move_deal(deal.id, target, position=step % 3)
                done[me] += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=drag, args=(svc, i)) for i, svc in enumerate((service, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert done == [15, 15]
    assert_ordered(service)
    moves = [e for e in service.all_events() if e.kind is EventKind.MOVED]
    assert len(moves) == 30
    for deal in service.deals():
        history = service.history(deal.id)
        assert [e.to_stage_id for e in history if e.to_stage_id][-1] == deal.stage_id


def test_undo_last_takes_back_the_latest_write_even_when_clocks_disagree(service, db_url):
    """Sam's laptop runs an hour behind: his edit is still the latest change, and undo takes it back."""
    from tests.conftest import FROZEN_NOW, FrozenClock

    database = Database.open(db_url)
    try:
        behind = PipelineService(database, clock=FrozenClock(FROZEN_NOW.replace(hour=14)), actor="sam")
        deal = service.create_deal("Helios", amount="10k").deal
        behind.edit_deal(deal.id, {"amount": "20k"})
        change = service.undo_last(deal.id)
        assert change.event.details["undone_kind"] == "edited"
        assert str(service.deal(deal.id).amount) == "10000.00"
    finally:
        database.close()


def test_reopen_uses_the_latest_close_even_when_clocks_disagree(service, db_url):
    from tests.conftest import FROZEN_NOW, FrozenClock

    database = Database.open(db_url)
    try:
        behind = PipelineService(database, clock=FrozenClock(FROZEN_NOW.replace(hour=14)), actor="sam")
        deal = service.create_deal("Helios", stage="Proposal").deal
        service.mark_won(deal.id)  # Dana, from Proposal
        service.reopen(deal.id, "Negotiation")
        behind.mark_lost(deal.id, "price")  # Sam, from Negotiation, stamped an hour earlier
        assert service.stage(service.reopen(deal.id).deal.stage_id).name == "Negotiation"
    finally:
        database.close()


@pytest.mark.parametrize(
    "act",
    [
        lambda s, ids: s.move_deal(ids[0], "Proposal"),
        lambda s, ids: s.reorder_deal(ids[1], 0),
        lambda s, ids: s.move_deals(ids, "Negotiation"),
        lambda s, ids: s.undo_last(ids[0]),
        lambda s, ids: s.rename_stage("Proposal", "Offer"),
    ],
    ids=["move", "reorder", "bulk move", "undo", "stage change"],
)
def test_a_change_takes_its_time_once_it_holds_the_columns_lock(service, clock, monkeypatch, act):
    """Two reps moving one deal at once: the one who waited for the lock writes last, so its time must
    be taken after the wait, or the deal's history (in time order) would end in the other's stage
    while the deal sits in this one's."""
    ids = [service.create_deal(t, stage="Analysis").deal.id for t in "AB"]
    service.move_deal(ids[0], "Qualification")
    seen: list[str] = []
    lock = Repository.lock_columns

    def locked(repo: Repository) -> None:
        seen.append("lock")
        lock(repo)

    def now() -> Any:
        seen.append("clock")
        return clock()

    monkeypatch.setattr(Repository, "lock_columns", locked)
    monkeypatch.setattr(service, "clock", now)
    act(service, ids)
    assert "clock" in seen and seen.index("lock") < seen.index("clock"), seen
