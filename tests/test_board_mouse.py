"""Click and drag on the board, checked against the database afterwards."""

from __future__ import annotations

from tests.board_helpers import at, board, cards_text, column, make_app, seed, settled, titles_in

# Card n of a column spans lines 5n+1 .. 5n+4 of its cards (line 5n is the gap above it).
FIRST, SECOND, THIRD = 2, 7, 12


async def test_click_selects_a_card_and_focuses_its_column(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click(offset=at(app, "Analysis", SECOND))
        await settled(pilot)
        assert board(app).column.stage.name == "Analysis"
        assert board(app).selected_deal.id == ids["Orbital fleet"]


async def test_drag_to_another_column_moves_the_deal_where_it_is_dropped(sqlite_service):
    ids = seed(sqlite_service)
    sqlite_service.create_deal("Keystone claims", stage="Proposal")
    sqlite_service.create_deal("Nimbus crew", stage="Proposal")  # Proposal: Nimbus, Keystone
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        source, target = "Analysis", "Proposal"
        await pilot.mouse_down(offset=at(app, source, FIRST))
        await pilot.hover(offset=at(app, source, FIRST + 1, x=6))
        await pilot.hover(offset=at(app, target, SECOND - 1))  # upper half of the second card
        assert column(app, "Proposal").drop_target
        assert column(app, target).drop_index == 1  # the insertion point is drawn before the second card
        await pilot.mouse_up(offset=at(app, target, SECOND - 1))
        await settled(pilot)
        assert titles_in(sqlite_service, "Proposal") == ["Nimbus crew", "Helios rollout", "Keystone claims"]
        assert titles_in(sqlite_service, "Analysis") == ["Orbital fleet", "Granite warehouse"]
        assert board(app).selected_deal.id == ids["Helios rollout"]
        assert not column(app, "Proposal").drop_target and column(app, target).drop_index is None
        assert app.mouse_captured is None


async def test_drag_within_a_column_reorders_it(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        analysis = "Analysis"
        await pilot.mouse_down(offset=at(app, analysis, FIRST))
        await pilot.hover(offset=at(app, analysis, THIRD - 2))
        await pilot.hover(offset=at(app, analysis, THIRD + 2))  # lower half of the last card: after it
        await pilot.mouse_up(offset=at(app, analysis, THIRD + 2))
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Orbital fleet", "Granite warehouse", "Helios rollout"]
        assert app.mouse_captured is None


async def test_a_drop_outside_any_column_changes_nothing(sqlite_service):
    seed(sqlite_service)
    before = {d.id: (d.stage_id, d.position, d.version) for d in sqlite_service.deals()}
    events = len(sqlite_service.all_events())
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        analysis = "Analysis"
        await pilot.mouse_down(offset=at(app, analysis, FIRST))
        await pilot.hover(offset=at(app, analysis, FIRST + 3))
        await pilot.hover("KeyBar", offset=(10, 0))
        await pilot.mouse_up("KeyBar", offset=(10, 0))
        await settled(pilot)
        assert app.mouse_captured is None
        assert all(not c.drop_target for c in board(app).columns)
    assert {d.id: (d.stage_id, d.position, d.version) for d in sqlite_service.deals()} == before
    assert len(sqlite_service.all_events()) == events


async def test_a_drag_into_closed_lost_asks_for_the_reason_first(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 40)) as pilot:
        source, lost = "Analysis", "Closed Lost"
        await pilot.mouse_down(offset=at(app, source, FIRST))
        await pilot.hover(offset=at(app, source, FIRST + 3))
        await pilot.hover(offset=at(app, lost, FIRST))
        await pilot.mouse_up(offset=at(app, lost, FIRST))
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == "Analysis"
        from closedwon_tui.app.closing import LostReasonScreen

        assert isinstance(app.screen, LostReasonScreen)
        await pilot.press("escape")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == "Analysis"


async def _wheel(pilot, offset, *, down: bool) -> None:  # type: ignore[no-untyped-def]
    """A wheel step at a screen point, sent the way the terminal driver sends it."""
    from textual import events

    kind = events.MouseScrollDown if down else events.MouseScrollUp
    pilot.app.post_message(kind(None, offset.x, offset.y, 0, 1 if down else -1, 0, False, False, False,
                                screen_x=offset.x, screen_y=offset.y))  # fmt: skip
    await pilot.pause()


async def test_the_wheel_scrolls_the_column_under_the_pointer(sqlite_service):
    for i in range(12):
        sqlite_service.create_deal(f"Deal {i}", stage="Analysis")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        analysis, outreach = column(app, "Analysis"), column(app, "Outreach")
        await _wheel(pilot, at(app, "Analysis", 3), down=True)
        await _wheel(pilot, at(app, "Analysis", 3), down=True)
        assert analysis.scroll_y > 0 and outreach.scroll_y == 0
        first_shown = next(line for line in cards_text(app, "Analysis") if "Deal" in line)
        assert "Deal 11" not in first_shown  # the newest card, first in the column, scrolled away
        await _wheel(pilot, at(app, "Analysis", 3), down=False)
        await _wheel(pilot, at(app, "Analysis", 3), down=False)
        assert analysis.scroll_y == 0
