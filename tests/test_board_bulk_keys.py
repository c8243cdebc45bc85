"""Marks and bulk actions on the board, key by key, checked against the database afterwards."""

from __future__ import annotations

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.closing import CelebrationScreen, LostReasonScreen
from closedwon_tui.app.keybar import KeyBar
from closedwon_tui.app.panel.confirm import ConfirmScreen
from closedwon_tui.domain.models import EventKind
from closedwon_tui.settings import Settings
from tests.board_helpers import board, cards_text, enter_text, make_app, seed, settled, titles_in
from tests.screen_text import drawn


def _stage(service, deal_id: int) -> str:  # type: ignore[no-untyped-def]
    return service.stage(service.deal(deal_id).stage_id).name


async def _to_analysis(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("l", "l")
    await settled(pilot)


async def test_space_marks_cards_the_key_bar_counts_them_and_L_moves_them_all_with_one_undo(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("space", "down", "down", "space")  # Helios and Granite, not Orbital
        await settled(pilot)
        assert board(app).marks.ids == {ids["Helios rollout"], ids["Granite warehouse"]}
        assert app.screen.query_one(KeyBar).marks == "✓ 2 marked"
        assert "✓ 2 marked" in drawn(app)
        assert any("✓ Helios" in line for line in cards_text(app, "Analysis"))
        assert not any("✓ Orbital" in line for line in cards_text(app, "Analysis"))
        events = len(sqlite_service.all_events())

        await pilot.press("L")
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Helios rollout", "Granite warehouse"]
        assert titles_in(sqlite_service, "Analysis") == ["Orbital fleet"]
        assert len(sqlite_service.all_events()) == events + 2
        assert not board(app).marks and app.screen.query_one(KeyBar).marks == ""

        await pilot.press("u")  # one undo takes back both moves
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        assert titles_in(sqlite_service, "Proposal") == []
        await pilot.press("ctrl+y")  # one redo moves both again
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Helios rollout", "Granite warehouse"]


async def test_star_marks_what_the_filter_shows_and_escape_clears_the_marks(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("slash")
        await enter_text(pilot, "helios")
        await pilot.press("enter")
        await settled(pilot)
        await pilot.press("asterisk")
        await settled(pilot)
        assert board(app).marks.ids == {ids["Helios rollout"]}  # what the filter shows, not the column
        await pilot.press("escape")  # the marks first...
        await settled(pilot)
        assert not board(app).marks
        assert board(app).model.filter_text == "helios"  # ... the filter stays until the next escape
        await pilot.press("space", "space")
        await settled(pilot)
        assert not board(app).marks  # space twice: marked, then unmarked


async def test_w_with_marks_wins_them_all_and_celebrates_once_with_the_total(sqlite_service):
    ids = seed(sqlite_service)
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("space", "down", "space", "w")
        await settled(pilot)
        await pilot.pause()
        assert {_stage(sqlite_service, ids[t]) for t in ("Helios rollout", "Orbital fleet")} == {"Closed Won"}
        assert isinstance(app.screen, CelebrationScreen)
        text = drawn(app)
        assert "2 deals won" in text and "$60,250.00" in text and "Helios rollout, Orbital fleet" in text
        await pilot.press("space")  # any key goes on: no second celebration, no look back for a bulk win
        await pilot.pause()
        assert not isinstance(app.screen, CelebrationScreen)
        assert app.screen is board(app)


async def test_x_with_marks_asks_one_reason_for_all(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("space", "down", "space", "x")
        await pilot.pause()
        assert isinstance(app.screen, LostReasonScreen)
        assert "Why were these 2 deals lost?" in drawn(app)
        await pilot.press("down", "enter", "enter")  # the first reason, no note
        await settled(pilot)
        lost = [sqlite_service.deal(ids[t]) for t in ("Helios rollout", "Orbital fleet")]
        assert [(_stage(sqlite_service, d.id), d.lost_reason) for d in lost] == [("Closed Lost", "price")] * 2


async def test_O_gives_the_marked_deals_a_new_owner_and_f_one_follow_up_each(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    marked = [ids["Helios rollout"], ids["Orbital fleet"]]
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("space", "down", "space", "O")
        await pilot.pause()
        await enter_text(pilot, "Dana")
        await pilot.press("enter")
        await settled(pilot)
        assert [sqlite_service.deal(d).owner for d in marked] == ["Dana", "Dana"]
        assert sqlite_service.deal(ids["Granite warehouse"]).owner == ""

        await pilot.press("space", "up", "space", "f")  # the marks were cleared by the owner change
        await pilot.pause()
        await pilot.press("1", "enter")
        await enter_text(pilot, "Send the quote")
        await pilot.press("enter")
        await settled(pilot)
        notes = [[f.note for f in sqlite_service.deal_detail(d).followups] for d in marked]
        assert notes == [["Send the quote"], ["Send the quote"]]
        await pilot.press("u")
        await settled(pilot)
        assert all(not sqlite_service.deal_detail(d).followups for d in marked)


async def test_dragging_a_marked_card_takes_every_marked_card_along(sqlite_service):
    from tests.board_helpers import at

    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("space", "down", "down", "space")
        await settled(pilot)
        await pilot.mouse_down(offset=at(app, "Analysis", 2))
        await pilot.hover(offset=at(app, "Analysis", 3))
        await pilot.hover(offset=at(app, "Proposal", 2))
        await pilot.mouse_up(offset=at(app, "Proposal", 2))
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Helios rollout", "Granite warehouse"]
        assert _stage(sqlite_service, ids["Orbital fleet"]) == "Analysis"


async def test_closing_a_deal_with_follow_ups_asks_and_marks_them_done_by_default(sqlite_service):
    ids = seed(sqlite_service)
    polar = ids["Polar routes"]
    sqlite_service.schedule_followup(polar, "friday", "Call")
    sqlite_service.add_objection(polar, "price", "Too dear")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "l", "l", "l")  # Negotiation
        await settled(pilot)
        assert any("overdue" in line or "»" in line for line in cards_text(app, "Negotiation"))
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Polar routes has pending follow-ups" in drawn(app)
        await pilot.press("enter")  # yes, the default
        await settled(pilot)
        await pilot.press("escape")  # no look back
        await pilot.pause()
        detail = sqlite_service.deal_detail(polar)
        assert _stage(sqlite_service, polar) == "Closed Won" and all(f.is_done for f in detail.followups)
        settled_events = [e for e in detail.history if e.kind is EventKind.FOLLOWUP_DONE]
        assert settled_events and settled_events[0].details["settled"] is True
        # A closed card shows no follow-up and no open-objection marks.
        won = "\n".join(cards_text(app, "Closed Won"))
        assert "Polar routes" in won and "⚑" not in won and "»" not in won and "overdue" not in won
