"""After a bulk action the toast says what changed, as the single action says it ("Moved 2 deals to
Proposal"), never a bare "Changed 2 deals"; checked against the database too."""

from __future__ import annotations

import pytest

from tests.board_helpers import at, board, enter_text, make_app, seed, settled, titles_in
from tests.screen_text import drawn


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


def _said(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def _mark(pilot, *deal_ids: int) -> None:  # type: ignore[no-untyped-def]
    """Each deal selected, then marked with space, as a rep does."""
    for deal_id in deal_ids:
        board(pilot.app).select_deal(deal_id)
        await pilot.press("space")
    await settled(pilot)
    assert board(pilot.app).marks.ids == set(deal_ids)


async def test_L_and_H_on_marks_say_where_the_deals_went(sqlite_service):
    ids = seed(sqlite_service)
    helios, orbital = ids["Helios rollout"], ids["Orbital fleet"]
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _mark(pilot, helios, orbital)
        await pilot.press("L")
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Helios rollout", "Orbital fleet"]
        assert _said(app)[-1] == "Moved 2 deals to Proposal (u undoes them all)"
        assert "Moved 2 deals to Proposal" in drawn(app)
        # Marked in two columns and each moved on: each count said with its stage.
        await _mark(pilot, helios, ids["Atlas renewal"])
        await pilot.press("L")
        await settled(pilot)
        assert titles_in(sqlite_service, "Qualification") == ["Atlas renewal"]
        assert titles_in(sqlite_service, "Negotiation") == ["Helios rollout", "Polar routes"]
        assert _said(app)[-1] == "Moved 2 deals: 1 to Qualification, 1 to Negotiation (u undoes them all)"
        # One marked deal moved back: said by its title, as a single move is.
        await _mark(pilot, orbital)
        await pilot.press("H")
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Orbital fleet", "Granite warehouse"]
        assert _said(app)[-1] == "Moved Orbital fleet to Analysis (u undoes it)"


async def test_m_w_x_and_a_drop_on_marks_say_the_stage_and_the_reason(sqlite_service):
    ids = seed(sqlite_service)
    helios, orbital = ids["Helios rollout"], ids["Orbital fleet"]
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _mark(pilot, helios, orbital)
        await pilot.press("m", "5")
        await settled(pilot)
        assert titles_in(sqlite_service, "Negotiation") == ["Helios rollout", "Orbital fleet", "Polar routes"]
        assert _said(app)[-1] == "Moved 2 deals to Negotiation (u undoes them all)"

        await pilot.press("u")
        await settled(pilot)
        await _mark(pilot, helios, orbital)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("down", "enter", "enter")  # the first reason, no note
        await settled(pilot)
        assert titles_in(sqlite_service, "Closed Lost") == ["Helios rollout", "Orbital fleet"]
        assert _said(app)[-1] == "Moved 2 deals to Closed Lost (price) (u undoes them all)"

        await pilot.press("u")
        await settled(pilot)
        await _mark(pilot, helios, orbital)
        await pilot.press("w")
        await settled(pilot)
        assert titles_in(sqlite_service, "Closed Won") == ["Helios rollout", "Orbital fleet"]
        assert _said(app)[-1] == "Moved 2 deals to Closed Won (u undoes them all)"

        await pilot.press("u")
        await settled(pilot)
        await _mark(pilot, helios, orbital)
        await pilot.mouse_down(offset=at(app, "Analysis", 1))
        await pilot.hover(offset=at(app, "Analysis", 3))
        await pilot.hover(offset=at(app, "Proposal", 1))
        await pilot.mouse_up(offset=at(app, "Proposal", 1))
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Helios rollout", "Orbital fleet"]
        assert _said(app)[-1] == "Moved 2 deals to Proposal (u undoes them all)"


async def test_O_and_f_on_marks_say_the_new_owner_and_the_follow_up(sqlite_service):
    ids = seed(sqlite_service)
    sqlite_service.edit_deal(ids["Orbital fleet"], {"owner": "Co [b]y[/b]"})
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _mark(pilot, ids["Helios rollout"], ids["Orbital fleet"], ids["Granite warehouse"])
        await pilot.press("O")
        await pilot.pause()
        await enter_text(pilot, "Co [b]y[/b]")  # stored text, shown literally
        await pilot.press("enter")
        await settled(pilot)
        owners = [sqlite_service.deal(ids[t]).owner for t in ("Helios rollout", "Orbital fleet", "Granite warehouse")]
        assert owners == ["Co [b]y[/b]"] * 3
        assert _said(app)[-1] == "Set the owner of 2 deals to Co [b]y[/b] (1 already had it) (u undoes them all)"
        assert "Set the owner of 2 deals to Co [b]y[/b]" in drawn(app)

        await _mark(pilot, ids["Granite warehouse"])  # alone: said by its title
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("1", "enter")
        await enter_text(pilot, "Send the quote")
        await pilot.press("enter")
        await settled(pilot)
        (followup,) = sqlite_service.deal_detail(ids["Granite warehouse"]).followups
        said = _said(app)[-1]
        assert said.startswith("Scheduled a follow-up on Granite warehouse for ")
        assert f"{followup.due.day} {followup.due:%b %Y}: Send the quote (u undoes it)" in said
