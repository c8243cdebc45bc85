"""Where the cursor is after a bulk move: with the card that was under it (as after a single move),
never left in a column the move emptied."""

from __future__ import annotations

import pytest

from tests.board_helpers import board, make_app, seed, settled, titles_in


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


async def _mark(pilot, *deal_ids: int) -> None:  # type: ignore[no-untyped-def]
    for deal_id in deal_ids:
        board(pilot.app).select_deal(deal_id)
        await pilot.press("space")
    await settled(pilot)


def _cursor(app) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    screen = board(app)
    deal = screen.selected_deal
    return screen.column.stage.name, None if deal is None else deal.title


async def test_a_bulk_move_that_empties_the_column_takes_the_cursor_with_its_card(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _mark(pilot, ids["Helios rollout"], ids["Orbital fleet"], ids["Granite warehouse"])  # all of Analysis
        assert _cursor(app) == ("Analysis", "Granite warehouse")
        await pilot.press("L")
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == []
        assert _cursor(app) == ("Proposal", "Granite warehouse")
        assert board(app).dock.deal_id in (None, ids["Granite warehouse"])
        await pilot.press("up")  # the keys go on from there
        assert _cursor(app) == ("Proposal", "Orbital fleet")

        await pilot.press("u")  # the undo moves them back: the cursor goes back with its card too
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        assert _cursor(app) == ("Analysis", "Orbital fleet")


async def test_a_bulk_move_of_the_card_under_the_cursor_follows_it_and_leaves_an_unmarked_one_alone(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _mark(pilot, ids["Atlas renewal"], ids["Helios rollout"])
        await pilot.press("m", "6")  # both won, the cursor on Helios
        await settled(pilot)
        assert titles_in(sqlite_service, "Closed Won") == ["Atlas renewal", "Helios rollout"]
        assert _cursor(app) == ("Closed Won", "Helios rollout")

        await _mark(pilot, ids["Atlas renewal"], ids["Helios rollout"])
        board(app).select_deal(ids["Orbital fleet"])  # the cursor elsewhere, on a card that stays
        await pilot.press("m", "4")
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Atlas renewal", "Helios rollout"]
        assert _cursor(app) == ("Analysis", "Orbital fleet")


async def test_when_the_filter_hides_the_moved_cards_the_filter_is_kept_and_the_cursor_stays(sqlite_service):
    from tests.board_helpers import enter_text

    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await enter_text(pilot, "stage:analysis")
        await pilot.press("enter")
        await settled(pilot)
        await _mark(pilot, ids["Helios rollout"], ids["Orbital fleet"], ids["Granite warehouse"])
        assert [c.stage.name for c in board(app).columns if c.deals] == ["Analysis"]
        await pilot.press("L")
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        assert board(app).model.filter_text == "stage:analysis"  # the filter is the rep's: kept
        assert _cursor(app) == ("Analysis", None)  # no card shown anywhere: the cursor stays


async def test_a_bulk_change_that_empties_the_filtered_column_lands_the_cursor_on_the_nearest_card(sqlite_service):
    from tests.board_helpers import enter_text

    ids = seed(sqlite_service)
    for title in ("Atlas renewal", "Helios rollout", "Orbital fleet", "Granite warehouse"):
        sqlite_service.edit_deal(ids[title], {"owner": "sam"})
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await enter_text(pilot, "owner:sam")
        await pilot.press("enter")
        await settled(pilot)
        await _mark(pilot, ids["Helios rollout"], ids["Orbital fleet"], ids["Granite warehouse"])
        await pilot.press("O")
        await pilot.pause()
        await enter_text(pilot, "dana")
        await pilot.press("enter")
        await settled(pilot)
        assert {sqlite_service.deal(ids[t]).owner for t in ("Helios rollout", "Granite warehouse")} == {"dana"}
        assert board(app).model.filter_text == "owner:sam"
        assert _cursor(app) == ("Outreach", "Atlas renewal")  # the one card the filter still shows


async def test_right_after_the_board_opens_the_cursor_follows_its_card_too(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert _cursor(app) == ("Outreach", "Atlas renewal")  # where the board opens, no key pressed yet
        await pilot.press("asterisk", "L")
        await settled(pilot)
        assert sqlite_service.deal(ids["Atlas renewal"]).stage_id == sqlite_service.stage("Qualification").id
        assert _cursor(app) == ("Qualification", "Atlas renewal")
