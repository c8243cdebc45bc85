"""How the board writes: one transaction per change and nothing read twice, undo of this session's
own change on a shared database, and a board that keeps working while a write waits for a lock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from textual.widgets import TextArea

from closedwon_tui.app.keybar import KeyBar
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.board_helpers import board, make_app, seed, settled
from tests.dbstate import write_lock


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """The board looks for colleagues' changes every few seconds; these tests count and time writes."""
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


def _count_transactions(db: Database, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counts: Counter[str] = Counter()
    for kind in ("read", "write"):
        original = getattr(db, kind)

        def counted(original=original, kind=kind):  # type: ignore[no-untyped-def]
            counts[kind] += 1
            return original()

        monkeypatch.setattr(db, kind, counted)
    return counts


async def test_saving_a_note_with_the_panel_open_is_one_write_and_one_read(sqlite_service, monkeypatch):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # the panel opens on Atlas renewal
        await pilot.pause()
        counts = _count_transactions(sqlite_service.db, monkeypatch)
        await pilot.press("N")
        app.screen.query_one(TextArea).text = "met the CFO"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert counts == Counter(write=1, read=1)  # the note and its event; the panel's deal read once
        screen = board(app)
        assert screen.panel.deal_id == ids["Atlas renewal"]
        assert [n.text for n in screen.panel.detail.notes] == ["met the CFO"]  # the panel shows it
    assert [n.text for n in sqlite_service.deal_detail(ids["Atlas renewal"]).notes] == ["met the CFO"]


async def test_u_undoes_this_sessions_note_not_a_colleagues_objection_that_landed_right_after(
    service, db_url, clock, monkeypatch
):
    """On a shared database a colleague's event can land between our write and anything the board
    does next: undo goes by the id of the event our write returned, never by "the latest event"."""
    ids = seed(service)
    atlas = ids["Atlas renewal"]
    colleague_db = Database.open(db_url)
    colleague = PipelineService(colleague_db, clock=clock, actor="marcus")
    add_note = service.add_note

    def note_then_colleague(deal_id: int, text: str):  # type: ignore[no-untyped-def]
        change = add_note(deal_id, text)
        colleague.add_objection(atlas, "price", "their objection")  # the newest event is now theirs
        return change

    monkeypatch.setattr(service, "add_note", note_then_colleague)
    app = make_app(service)
    try:
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.press("N")
            app.screen.query_one(TextArea).text = "our note"
            await pilot.press("ctrl+s")
            await settled(pilot)
            assert service.history(atlas)[-1].actor == "marcus"
            await pilot.press("u")
            await settled(pilot)
        detail = service.deal_detail(atlas)
        assert detail.notes == ()  # ours, taken back
        assert [o.text for o in detail.objections] == ["their objection"]  # theirs, untouched
        undo = service.history(atlas)[-1]
        assert undo.kind.value == "undone" and undo.details["undone_kind"] == "note_added"
    finally:
        colleague_db.close()


async def _until(pilot, condition, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Wait (the app running meanwhile) until `condition()` holds, or fail after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("waited in vain")


@contextmanager
def _locked(service: PipelineService) -> Iterator[None]:
    path = service.db.engine.url.database
    assert path
    with write_lock(path):  # type: ignore[arg-type]
        yield


async def test_a_move_on_a_locked_database_waits_without_freezing_the_board(sqlite_service):
    """Another program holds the write lock: the board says the move waits, the cursor keys still
    work, and the move lands once the lock is released."""
    ids = seed(sqlite_service)
    helios, orbital = ids["Helios rollout"], ids["Orbital fleet"]
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("l", "l")  # Analysis: Helios rollout
        with _locked(sqlite_service):
            await pilot.press("L")
            await _until(pilot, lambda: screen.query_one(KeyBar).status != "")
            assert screen.session.busy
            assert "Moving Helios rollout to Proposal" in screen.query_one(KeyBar).status
            assert "waiting for the database" in screen.query_one(KeyBar).render_line(0).text
            await pilot.press("j")  # the keys still work while the write waits
            assert screen.selected_deal.id == orbital
            await pilot.press("k")
            assert screen.selected_deal.id == helios
            assert sqlite_service.stage(sqlite_service.deal(helios).stage_id).name == "Analysis"
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(helios).stage_id).name == "Proposal"
        assert screen.column.stage.name == "Proposal" and screen.selected_deal.id == helios
        assert screen.query_one(KeyBar).status == ""


async def test_a_move_that_lands_after_the_cursor_moved_on_leaves_the_cursor_there(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("l", "l")
        with _locked(sqlite_service):
            await pilot.press("L", "j")  # move Helios on, then go on to the next card while it waits
            await pilot.pause(0.3)
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == "Proposal"
        assert screen.column.stage.name == "Analysis"
        assert screen.selected_deal.id == ids["Orbital fleet"]  # still on the card the rep went to


async def test_quitting_while_a_move_waits_closes_once_it_is_saved(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        with _locked(sqlite_service):
            await pilot.press("L")
            await _until(pilot, lambda: board(app).session.busy)
            await pilot.press("q")
            await pilot.pause(0.2)
            assert app.is_running  # still open: the move has not landed
        await _until(pilot, lambda: not app.is_running)
    assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Qualification"
