"""A big board opens with each column's first cards and reads the rest in a worker: nothing a rep
does meanwhile acts on part of a column. Keys that need every card wait for it (and say so), then
run in the order pressed; a filter typed meanwhile applies once every card is read; writes wait
too. Checked against the database afterwards."""

from __future__ import annotations

import threading

import pytest

from closedwon_tui.domain.card_order import ColumnOrder
from closedwon_tui.services import PipelineService, queries
from tests.board_helpers import board, make_app
from tests.screen_text import drawn

#: Outreach's deals, top to bottom (created bottom-up, each at the top).
OUTREACH = ["Deal 1", "Deal 2", "Deal 3", "Deal 4", "Deal 5"]


@pytest.fixture
def gate(sqlite_service: PipelineService, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The board opens in part (two cards a column), and the rest is read only once the test opens the gate."""
    for n, title in reversed(list(enumerate(OUTREACH, start=1))):
        sqlite_service.create_deal(title, stage="Outreach", amount=str(1000 * n))
    sqlite_service.create_deal("Zephyr Helios", stage="Proposal", amount="7,000")
    monkeypatch.setattr(queries, "IN_PART_OVER", 0)
    monkeypatch.setattr(queries, "FIRST_CARDS", 2)
    opened = threading.Event()
    whole_board = sqlite_service.board

    def held_board(**kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is not threading.main_thread():
            assert opened.wait(20)
        return whole_board(**kwargs)

    monkeypatch.setattr(sqlite_service, "board", held_board)
    return opened


async def _read_whole(pilot, opened: threading.Event) -> None:  # type: ignore[no-untyped-def]
    opened.set()
    screen = board(pilot.app)
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if screen.board_load.done and not screen.session.busy:
            return
    raise AssertionError("the rest of the board was never read")


def _titles(screen, stage: str) -> list[str]:  # type: ignore[no-untyped-def]
    column = next(c for c in screen.columns if c.stage.name == stage)
    return [d.title for d in column.deals]


async def test_the_first_frame_shows_each_columns_first_cards_with_its_whole_count(sqlite_service, gate):
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = board(app)
        assert not screen.model.loaded
        assert _titles(screen, "Outreach") == OUTREACH[:2]
        text = drawn(app)
        assert "Outreach 5" in text  # the whole column's count, and its whole total
        assert "$15k" in text
        assert "reading all 6 deals" in screen.title
        await _read_whole(pilot, gate)
        assert _titles(screen, "Outreach") == OUTREACH
        assert "reading" not in screen.title


async def test_keys_that_need_every_card_wait_for_them_then_run_in_the_order_pressed(sqlite_service, gate):
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = board(app)
        outreach = screen.columns[0].stage.id
        await pilot.press("G")  # the last card: not read yet
        await pilot.press("L")  # moves the card the cursor is on by then
        await pilot.press("s")  # sorts the column
        await pilot.pause()
        assert screen.selected_deal.title == OUTREACH[0]
        assert screen.model.order(outreach) is ColumnOrder.MANUAL
        assert {d.title for d in sqlite_service.deals(stage="Qualification")} == set()
        assert any("once the board is read" in str(n.message) for n in app._notifications)
        await _read_whole(pilot, gate)
        moved = sqlite_service.deals(stage="Qualification")
        assert [d.title for d in moved] == [OUTREACH[-1]]  # the last card of the whole column
        assert screen.model.order(outreach) is not ColumnOrder.MANUAL  # then sorted, as pressed
        assert [d.title for d in sqlite_service.deals(stage="Outreach")] == OUTREACH[:-1]


async def test_a_filter_typed_while_the_board_is_read_applies_to_every_card_once_read(sqlite_service, gate):
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = board(app)
        await pilot.press("/", *"deal 5")
        await pilot.pause()
        assert _titles(screen, "Outreach") == OUTREACH[:2]  # not filtered: only part of the column is here
        assert "once the board is read" in drawn(app)
        await pilot.press("/", "a", "m", "o", "u", "n", "t", ">", "x")  # malformed: named at once
        await pilot.pause()
        assert "amount" in drawn(app).lower()
        for _ in range(len("/amount>x")):
            await pilot.press("backspace")
        await _read_whole(pilot, gate)
        assert _titles(screen, "Outreach") == ["Deal 5"]  # a card that was not among the first read
        assert screen.model.filter_text == "deal 5"


async def test_a_write_asked_for_while_the_board_is_read_waits_for_it(sqlite_service, gate):
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = board(app)
        screen.session.create_deal(screen.columns[0].stage.id, {"title": "Late deal", "amount": "5"})
        await pilot.pause()
        assert "Late deal" not in {d.title for d in sqlite_service.deals()}
        await _read_whole(pilot, gate)
        assert "Late deal" in {d.title for d in sqlite_service.deals()}
        assert _titles(screen, "Outreach")[0] == "Late deal"
        assert screen.model.totals(screen.columns[0].stage.id).count == 6


async def test_when_the_rest_cannot_be_read_the_board_says_so_and_tries_again(sqlite_service, gate, monkeypatch):
    from closedwon_tui.app.board import sync

    monkeypatch.setattr(sync, "POLL_SECONDS", 0.05)
    held = sqlite_service.board
    failures = []

    def failing_once(**kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is not threading.main_thread() and not failures:
            failures.append(True)
            raise OSError("disk I/O error")
        return held(**kwargs)

    monkeypatch.setattr(sqlite_service, "board", failing_once)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = board(app)
        await pilot.press("s")
        await _read_whole(pilot, gate)
        assert failures
        assert any("Could not read the rest of the board" in str(n.message) for n in app._notifications)
        assert screen.model.loaded and len(screen.columns[0].deals) == len(OUTREACH)
        assert screen.model.order(screen.columns[0].stage.id) is not ColumnOrder.MANUAL  # the key that waited ran
