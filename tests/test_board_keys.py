"""Every key of the board, checked against the database afterwards."""

from __future__ import annotations

from decimal import Decimal

from closedwon_tui.domain.models import EventKind
from closedwon_tui.services import PipelineService
from tests.board_helpers import board, column, enter_text, make_app, seed, settled, titles_in
from tests.screen_text import drawn


async def _to_analysis(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("l", "l")  # Outreach -> Qualification -> Analysis
    await settled(pilot)


async def test_arrows_and_vim_keys_walk_columns_and_cards(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        assert screen.column.stage.name == "Outreach"
        await pilot.press("right", "l")
        await settled(pilot)
        assert screen.column.stage.name == "Analysis"
        assert screen.selected_deal.title == "Helios rollout"
        await pilot.press("down", "j")
        await settled(pilot)
        assert screen.selected_deal.title == "Granite warehouse"
        await pilot.press("k")
        await settled(pilot)
        assert screen.selected_deal.title == "Orbital fleet"
        await pilot.press("g")
        await settled(pilot)
        assert screen.selected_deal.title == "Helios rollout"
        await pilot.press("G")
        await settled(pilot)
        assert screen.selected_deal.title == "Granite warehouse"
        await pilot.press("home")
        await settled(pilot)
        assert screen.selected_deal.title == "Helios rollout"
        await pilot.press("end")
        await settled(pilot)
        assert screen.selected_deal.title == "Granite warehouse"
        await pilot.press("left", "h")
        await settled(pilot)
        assert screen.column.stage.name == "Outreach"
        await pilot.press("h")  # already at the first column: stays
        await settled(pilot)
        assert screen.column.stage.name == "Outreach"


async def test_shift_right_moves_the_deal_to_the_next_stage_and_selection_follows(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("shift+right")
        await settled(pilot)
        screen = board(app)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == "Proposal"
        assert screen.column.stage.name == "Proposal"
        assert screen.selected_deal.id == ids["Helios rollout"]
        await pilot.press("L")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == "Negotiation"
        await pilot.press("H")
        await settled(pilot)
        await pilot.press("shift+left")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Helios rollout"]).stage_id).name == "Analysis"
        assert screen.selected_deal.id == ids["Helios rollout"]


async def test_column_headers_follow_a_move(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        analysis = board(app).model.totals(board(app).column.stage.id)
        assert analysis.count == 3 and analysis.total == {"USD": Decimal("69750.00")}
        assert analysis.weighted == {"USD": Decimal("27900.00")}  # 40%
        await pilot.press("L")
        await settled(pilot)
        model = board(app).model
        proposal = next(s for s in model.stages if s.name == "Proposal")
        analysis_stage = next(s for s in model.stages if s.name == "Analysis")
        assert model.totals(analysis_stage.id).count == 2
        assert model.totals(proposal.id).total == {"USD": Decimal("48250.00")}
        header = "\n".join(board(app).columns[3].header_lines)
        assert "Proposal 1" in header and "$48.3k" in header


async def test_shift_up_and_down_reorder_within_the_column(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("shift+down")
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Orbital fleet", "Helios rollout", "Granite warehouse"]
        await pilot.press("J")
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Orbital fleet", "Granite warehouse", "Helios rollout"]
        assert board(app).selected_deal.id == ids["Helios rollout"]
        await pilot.press("K", "shift+up")
        await settled(pilot)
        assert titles_in(sqlite_service, "Analysis") == ["Helios rollout", "Orbital fleet", "Granite warehouse"]
        await pilot.press("K")  # already at the top: nothing happens, nothing recorded
        await settled(pilot)
        kinds = [e.kind for e in sqlite_service.history(ids["Helios rollout"])]
        assert kinds.count(EventKind.REORDERED) == 4


async def test_a_reorder_that_spreads_the_column_shows_the_column_as_stored(sqlite_service):
    """Cards dropped one after another into the same gap leave no room: the column is spread
    out (new keys for all its cards), and the board reads it again rather than keep old keys."""
    ids = seed(sqlite_service)
    analysis = sqlite_service.stage("Analysis").id
    for n in range(10):  # each put second from the top of Analysis: the gap under Helios halves every time
        deal = sqlite_service.create_deal(f"Dropped {n}", stage="Outreach").deal
        assert not sqlite_service.move_deal(deal.id, "Analysis", position=1).renumbered
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("down", "down", "K")  # "Dropped 8" up between Helios and "Dropped 9": no room left
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        stored = titles_in(sqlite_service, "Analysis")
        assert stored[:3] == ["Helios rollout", "Dropped 8", "Dropped 9"]
        screen = board(app)
        assert [d.title for d in screen.model.columns[analysis]] == stored  # type: ignore[union-attr]
        assert screen.selected_deal is not None and screen.selected_deal.title == "Dropped 8"
        assert ids["Helios rollout"] == screen.model.columns[analysis][0].id  # type: ignore[union-attr]


async def test_m_then_a_number_or_a_name_moves_to_any_stage(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m", "5")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Negotiation"
        await pilot.press("m", *"prop", "enter")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Proposal"
        await pilot.press("m", "escape")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Proposal"
        await pilot.press("m", *"nowhere", "enter")  # an unknown stage: the picker says so, nothing moves
        await settled(pilot)
        await pilot.press("escape")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Proposal"


async def test_n_adds_a_deal_in_the_focused_column_once_the_form_is_valid(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        before = len(sqlite_service.deals())
        await pilot.press("n")
        await settled(pilot)
        await pilot.press("enter")  # empty title: refused, nothing saved
        await settled(pilot)
        assert len(sqlite_service.deals()) == before
        await enter_text(pilot, "Nimbus crew")
        await settled(pilot)
        app.screen.query_one("#f-amount").value = "-5"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert len(sqlite_service.deals()) == before  # a negative amount is refused inline
        assert "negative" in str(app.screen.query_one("#e-amount").render())
        app.screen.query_one("#f-amount").value = "1.5m"
        app.screen.query_one("#f-probability").value = "101"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert len(sqlite_service.deals()) == before
        app.screen.query_one("#f-probability").value = "70"
        app.screen.query_one("#f-close_date").value = "2026-12-31"
        await pilot.press("ctrl+s")
        await settled(pilot)
        deal = next(d for d in sqlite_service.deals() if d.title == "Nimbus crew")
        assert deal.amount == Decimal("1500000.00") and deal.probability == 70
        assert sqlite_service.stage(deal.stage_id).name == "Analysis"
        assert board(app).selected_deal.id == deal.id


async def test_e_edits_the_selected_deal_and_escape_cancels(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await settled(pilot)
        app.screen.query_one("#f-amount").value = "5,200"
        await pilot.press("escape")
        await settled(pilot)
        assert sqlite_service.deal(ids["Atlas renewal"]).amount == Decimal("4800.00")
        await pilot.press("e")
        await settled(pilot)
        app.screen.query_one("#f-amount").value = "5,200"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert sqlite_service.deal(ids["Atlas renewal"]).amount == Decimal("5200.00")
        edit = sqlite_service.history(ids["Atlas renewal"])[-1]
        assert edit.kind is EventKind.EDITED and edit.details["changes"]["amount"] == ["4800.00", "5200.00"]


async def test_a_stale_edit_is_refused_and_loses_nothing(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("e")
        await settled(pilot)
        sqlite_service.edit_deal(ids["Atlas renewal"], {"amount": "7000"})  # a colleague saves first
        app.screen.query_one("#f-amount").value = "5,200"
        await pilot.press("ctrl+s")
        await settled(pilot)
        await pilot.pause()
        assert sqlite_service.deal(ids["Atlas renewal"]).amount == Decimal("7000.00")
        screen = drawn(app)
        assert "Changed elsewhere" in screen and "Atlas renewal" in screen  # the toast, naming the deal
        assert "Not saved:" in screen  # the form, open again with what was typed
        assert app.screen.query_one("#f-amount").value == "5200"


async def test_a_move_of_a_deal_a_colleague_changed_is_refused_said_and_the_board_reloaded(sqlite_service, clock):
    ids = seed(sqlite_service)
    colleague = PipelineService(sqlite_service.db, clock=clock, actor="marcus")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settled(pilot)
        colleague.edit_deal(ids["Atlas renewal"], {"amount": "7000"})  # the board has not looked yet
        await pilot.press("L")
        await settled(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = drawn(app)
        assert "Changed elsewhere" in screen and "Atlas renewal" in screen
        assert board(app).model.deal(ids["Atlas renewal"]).amount == Decimal("7000.00")  # read again
    assert titles_in(sqlite_service, "Outreach") == ["Atlas renewal"]  # nothing moved


async def test_undo_of_a_move_a_colleague_built_on_is_refused_and_said(sqlite_service, clock):
    ids = seed(sqlite_service)
    colleague = PipelineService(sqlite_service.db, clock=clock, actor="marcus")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("L")
        await settled(pilot)
        colleague.move_deal(ids["Atlas renewal"], "Proposal")  # on from where our move left it
        await pilot.press("u")
        await settled(pilot)
        await pilot.pause()
        screen = drawn(app)
        assert "Changed elsewhere" in screen and "has changed since" in screen
    assert titles_in(sqlite_service, "Proposal") == ["Atlas renewal"]  # the colleague's move stays


async def test_w_wins_and_x_asks_for_a_reason_before_losing(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Closed Won"
        await pilot.press("escape")  # skip the look back
        await settled(pilot)
        await pilot.press("u")
        await settled(pilot)
        await pilot.press("x")
        await settled(pilot)
        await pilot.press("escape")  # no reason: no move
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Outreach"


async def test_filter_narrows_cards_and_totals_and_escape_clears_it(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"orbital")
        await settled(pilot)
        screen = board(app)
        analysis = next(s for s in screen.model.stages if s.name == "Analysis")
        assert [d.title for d in screen.model.visible(analysis.id)] == ["Orbital fleet"]
        assert screen.model.totals(analysis.id).total == {"USD": Decimal("12000.00")}
        await pilot.press("enter", "escape")
        await settled(pilot)
        assert len(screen.model.visible(analysis.id)) == 3
        await pilot.press("slash", *"granite labs", "enter")  # company names match too
        await settled(pilot)
        assert [d.title for d in screen.model.visible(analysis.id)] == ["Granite warehouse"]


async def test_undo_and_redo_walk_back_and_forth_and_are_recorded(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_analysis(pilot)
        await pilot.press("L", "L")
        await settled(pilot)
        helios = ids["Helios rollout"]
        assert sqlite_service.stage(sqlite_service.deal(helios).stage_id).name == "Negotiation"
        await pilot.press("u")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(helios).stage_id).name == "Proposal"
        await pilot.press("ctrl+z")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(helios).stage_id).name == "Analysis"
        assert titles_in(sqlite_service, "Analysis")[0] == "Helios rollout"  # back in its old place
        await pilot.press("ctrl+y")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(helios).stage_id).name == "Proposal"
        kinds = [e.kind for e in sqlite_service.history(helios)]
        assert kinds[-3:] == [EventKind.UNDONE, EventKind.UNDONE, EventKind.REDONE]
        assert board(app).selected_deal.id == helios


async def test_closed_columns_show_this_quarter_until_toggled_and_their_header_says_which(sqlite_service, clock):
    old = sqlite_service.create_deal("Old win", amount="1k").deal
    clock.advance(days=-120)
    sqlite_service.mark_won(old.id)  # won last quarter
    clock.advance(days=120)
    recent = sqlite_service.create_deal("Recent win", amount="2k").deal
    sqlite_service.mark_won(recent.id)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        won = next(s for s in screen.model.stages if s.name == "Closed Won")
        won_column, lost_column = column(app, "Closed Won"), column(app, "Closed Lost")
        assert [d.title for d in screen.model.visible(won.id)] == ["Recent win"]
        assert (won_column.header_lines[2], lost_column.header_lines[2]) == ("+1 older", "this quarter")
        await pilot.press("C")
        await settled(pilot)
        assert {d.title for d in screen.model.visible(won.id)} == {"Recent win", "Old win"}
        assert (won_column.header_lines[2], lost_column.header_lines[2]) == ("all closed", "all closed")
        await pilot.press("C")
        await settled(pilot)
        assert won_column.header_lines[2] == "+1 older"


async def test_the_board_opens_without_older_outcomes_and_a_reorder_among_them_lands_where_shown(sqlite_service, clock):
    """The first frame needs this quarter's outcomes only: older ones are counted, not read, until
    `C` or a place in a closed column needs them (a place counts every deal of the column)."""
    first = sqlite_service.create_deal("First recent win", amount="1k").deal
    sqlite_service.mark_won(first.id)
    old = sqlite_service.create_deal("Old win", amount="2k").deal
    clock.advance(days=-120)
    sqlite_service.mark_won(old.id)  # last quarter, and above the first in the column
    clock.advance(days=120)
    second = sqlite_service.create_deal("Second recent win", amount="3k").deal
    sqlite_service.mark_won(second.id)
    assert titles_in(sqlite_service, "Closed Won") == ["Second recent win", "Old win", "First recent win"]
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = board(app)
        won = column(app, "Closed Won")
        assert old.id not in screen.model.stage_of  # not read
        assert won.header_lines[2] == "+1 older"
        assert [d.title for d in won.deals] == ["Second recent win", "First recent win"]
        assert screen.select_deal(second.id)
        await pilot.press("J")  # below the next card the rep sees
        await settled(pilot)
        assert titles_in(sqlite_service, "Closed Won") == ["Old win", "First recent win", "Second recent win"]
        assert [d.title for d in won.deals] == ["First recent win", "Second recent win"]
        assert won.header_lines[2] == "+1 older"
        await pilot.press("C")
        await settled(pilot)
        assert [d.title for d in won.deals] == ["Old win", "First recent win", "Second recent win"]


async def test_q_quits(sqlite_service):
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await settled(pilot)
    assert app.return_code == 0


async def test_help_lists_every_key_and_the_palette_has_every_action(sqlite_service):
    from closedwon_tui.app.board.keys import BOARD_BINDINGS, SCREEN_BINDINGS

    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await settled(pilot)
        text = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        for key in ["shift+right", "shift+up", "ctrl+z", "ctrl+y", "/", "?", "m", "n", "e", "w", "x", "drag"]:
            assert key in text
        await pilot.press("escape")
        await settled(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for binding in [*BOARD_BINDINGS, *SCREEN_BINDINGS]:
            if binding.id not in {"app.quit", "board.escape", "board.switch_focus"}:
                assert binding.description in titles


async def test_the_command_palette_runs_board_actions(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await enter_text(pilot, "Next stage")
        await settled(pilot)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settled(pilot)
        await pilot.pause(0.2)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Qualification"


async def test_a_keymap_in_the_settings_remaps_a_board_key(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service, keymap={"board.move_next": "ctrl+right"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+right")
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Qualification"


async def test_the_key_bar_shows_the_main_keys_and_a_click_runs_one(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 40)) as pilot:
        bar = app.screen.query_one("KeyBar")
        text = bar.render_line(0).text
        for label in ["Next stage", "Won", "Lost", "Filter", "Undo", "Help"]:
            assert label in text
        start = text.index("Next stage")
        await pilot.click(bar, offset=(start, 0))
        await settled(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Qualification"


async def test_a_look_back_saved_later_does_not_pull_the_cursor_back(sqlite_service):
    from textual.widgets import Input

    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "l", "l", "l")  # Negotiation: Polar routes
        await pilot.press("w")  # won: the look back opens once the win has landed
        await settled(pilot)
        app.screen.query_one("#lookback-went-well", Input).value = "quick legal review"
        await pilot.press("ctrl+s", "h")  # saved while the rep moves on to Negotiation
        assert board(app).column.stage.name == "Negotiation"
        await settled(pilot)
        assert board(app).column.stage.name == "Negotiation"
        deal = sqlite_service.deal(ids["Polar routes"])
        assert deal.went_well == "quick legal review"
        assert board(app).model.deal(ids["Polar routes"]).version == deal.version  # the board took it in


async def test_text_typed_right_after_the_slash_goes_into_the_filter(sqlite_service):
    """A fast typist (or a paste) sends `/orbital` in one burst: no letter reaches the board,
    where `o` would open a form and `r` the reports."""
    from textual import events

    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        for char in "/orbital":
            app.post_message(events.Key("slash" if char == "/" else char, char))  # queued together, no pause
        await pilot.pause()
        screen = board(app)
        assert app.screen is screen  # no form or report opened
        analysis = next(s for s in screen.model.stages if s.name == "Analysis")
        assert [d.title for d in screen.model.visible(analysis.id)] == ["Orbital fleet"]


async def test_a_slash_typed_in_the_filter_box_is_text(sqlite_service):
    sqlite_service.create_deal("Helios a/b test", stage="Analysis")
    sqlite_service.create_deal("Helios rollout", stage="Analysis")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"a/b")
        await settled(pilot)
        screen = board(app)
        assert screen.query_one("#filter").value == "a/b"
        analysis = next(s for s in screen.model.stages if s.name == "Analysis")
        assert [d.title for d in screen.model.visible(analysis.id)] == ["Helios a/b test"]


async def test_m_and_a_digit_typed_in_one_burst_move_the_deal(sqlite_service):
    from textual import events

    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        for char in "m4":
            app.post_message(events.Key(char, char))  # queued together, no pause
        await pilot.pause()
        assert sqlite_service.stage(sqlite_service.deal(ids["Atlas renewal"]).stage_id).name == "Proposal"
        assert app.screen is board(app)
        await pilot.press("slash", *"m4")  # in the filter box, m is text
        await settled(pilot)
        assert board(app).query_one("#filter").value == "m4"
