"""The closed panel is drawn ahead for the card the cursor rests on, so `enter` only shows it, and
never shows it once it may be out of date: after a change, or after a while."""

from __future__ import annotations

from typing import Any

import pytest

from tests.board_helpers import board, make_app, seed, settled
from tests.screen_text import drawn_lines


def _count_reads(service: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    read = service.deal_detail

    def counted(deal_id: int):  # type: ignore[no-untyped-def]
        reads.append(deal_id)
        return read(deal_id)

    monkeypatch.setattr(service, "deal_detail", counted)
    return reads


async def _opened_once_then_on(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    """The panel opened once on Helios rollout (that mounts it) and closed, then the cursor moved
    with `key`."""
    await pilot.press("l", "l", "enter")
    await settled(pilot)
    await pilot.press("escape", key)
    await settled(pilot)


async def test_the_card_the_cursor_rests_on_is_drawn_into_the_closed_panel_and_enter_reads_nothing(
    sqlite_service, monkeypatch
):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await _opened_once_then_on(pilot, "j")
        selected = screen.selected_deal
        assert selected is not None and selected.title == "Orbital fleet"
        await pilot.pause(0.2)  # the board is quiet: the panel is drawn ahead meanwhile
        title = screen.panel._title
        drawn_ahead = title._drawn
        assert drawn_ahead is not None and "Orbital fleet" in drawn_ahead[1][0].text
        reads = _count_reads(sqlite_service, monkeypatch)
        await pilot.press("enter")
        await settled(pilot)
        assert reads == []
        assert title._drawn is drawn_ahead  # shown as drawn ahead: not drawn again
        assert screen.panel_open and screen.panel.deal_id == ids["Orbital fleet"]
        assert any("Orbital fleet" in line for line in drawn_lines(app))
        assert screen.panel._overview.value("amount") == "$12,000.00"


async def test_a_change_after_the_panel_was_drawn_ahead_is_read_and_shown_when_it_opens(sqlite_service, monkeypatch):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await _opened_once_then_on(pilot, "j")
        screen.panel_ahead.run_all()
        screen.panel_ahead.enabled = False  # drawn ahead once, and not again after the change
        card = screen.selected_deal
        assert card is not None
        screen.session.edit_deal(card.id, card.version, {"amount": "21000"})
        await settled(pilot)
        reads = _count_reads(sqlite_service, monkeypatch)
        await pilot.press("enter")
        await settled(pilot)
        assert reads == [ids["Orbital fleet"]]
        assert screen.panel._overview.value("amount") == "$21,000.00"


@pytest.mark.parametrize(("seconds_later", "read_again"), [(29.0, False), (31.0, True)])
async def test_a_panel_drawn_ahead_a_while_ago_is_read_again(sqlite_service, monkeypatch, seconds_later, read_again):
    """Its times ("just now", "3 minutes ago") were drawn when it was read."""
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await _opened_once_then_on(pilot, "j")
        moment = [1000.0]
        screen.panel_ahead.clock = lambda: moment[0]
        screen.panel_ahead.run_all()
        screen.panel_ahead.enabled = False
        moment[0] += seconds_later
        reads = _count_reads(sqlite_service, monkeypatch)
        await pilot.press("enter")
        await settled(pilot)
        assert reads == ([ids["Orbital fleet"]] if read_again else [])
        assert screen.panel.deal_id == ids["Orbital fleet"]


async def test_the_panel_is_not_drawn_ahead_before_it_was_ever_opened(sqlite_service, monkeypatch):
    """Its first opening mounts it: a board never asked for a panel reads nothing for one."""
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        reads = _count_reads(sqlite_service, monkeypatch)
        await pilot.press("j", "j")
        await pilot.pause(0.2)
        assert reads == []
        assert board(app).dock._panel is None
