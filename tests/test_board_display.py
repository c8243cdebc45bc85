"""What the board shows: literal text, card marks, and any terminal size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input

from closedwon_tui.app.help import HelpScreen
from closedwon_tui.app.literal import literal
from tests.board_helpers import board, cards_text, column_text, make_app, seed, settled


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    lines = []
    for column in board(app).columns:
        lines.extend(column_text(board(app).board_view, column))
        lines.extend(column.header_lines)
    return "\n".join(lines)


async def test_titles_are_shown_literally_never_as_markup_or_terminal_control(sqlite_service):
    sqlite_service.create_deal("[bold red]x", company="\x1b[31mEvil\x1b[0m Corp")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)):
        text = _screen_text(app)
        assert "[bold red]x" in text
        assert "\x1b" not in text
        assert "\\x1b[31mEvil" in text


def test_literal_makes_control_characters_visible():
    assert literal("plain [b]text[/b]") == "plain [b]text[/b]"
    assert literal("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert literal("tab\there") == "tab here"
    assert literal("bidi\u202eoverride") == "bidi\\u202eoverride"


async def test_cards_mark_follow_ups_objections_and_staleness(sqlite_service, clock):
    stale = sqlite_service.create_deal("Quiet deal", stage="Negotiation").deal  # rots after 10 days
    busy = sqlite_service.create_deal("Busy deal", stage="Negotiation").deal
    clock.advance(days=12)
    sqlite_service.add_objection(busy.id, "price", "too dear")
    sqlite_service.schedule_followup(busy.id, clock.now.date() - timedelta(days=2), "call")
    today = sqlite_service.create_deal("Today deal", stage="Negotiation").deal
    sqlite_service.schedule_followup(today.id, "today", "call")
    app = make_app(sqlite_service)
    async with app.run_test(size=(200, 40)):
        text = "\n".join(cards_text(app, "Negotiation"))
        lines = text.splitlines()
        quiet = next(i for i, line in enumerate(lines) if "Quiet deal" in line)
        assert "stale" in lines[quiet + 3]
        busy_line = next(i for i, line in enumerate(lines) if "Busy deal" in line)
        assert "overdue 2d" in lines[busy_line + 3] and "⚑1" in lines[busy_line + 3]
        assert "stale" not in lines[busy_line + 3]  # the objection was a touch
        today_line = next(i for i, line in enumerate(lines) if "Today deal" in line)
        assert "today" in lines[today_line + 3]
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)):  # narrow cards: the same marks, shorter
        lines = cards_text(app, "Negotiation")
        busy_line = next(i for i, line in enumerate(lines) if "Busy deal" in line)
        assert "! -2d" in lines[busy_line + 3] and "⚑1" in lines[busy_line + 3]
    assert stale.id != busy.id


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (40, 12), (20, 6)])
async def test_the_board_works_at_any_size(sqlite_service, size):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    helios = ids["Helios rollout"]

    def stage_of_helios() -> str:
        return sqlite_service.stage(sqlite_service.deal(helios).stage_id).name

    async with app.run_test(size=size) as pilot:
        screen = board(app)
        await pilot.press("l", "l", "L")
        await settled(pilot)
        assert stage_of_helios() == "Proposal"  # the move worked, whatever the size
        assert screen.column.stage.name == "Proposal" and screen.selected_deal.id == helios
        await pilot.press("j", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "slash", "o")
        assert app.screen is screen and screen.query_one("#filter", Input).value == "o"  # text, not the objection form
        await pilot.press("escape")
        assert screen.query_one("#filter", Input).value == ""
        await pilot.resize_terminal(*reversed(size))
        await pilot.press("H")
        await settled(pilot)
        assert board(app).selected_deal is not None and board(app).selected_deal.id == helios
    assert stage_of_helios() == "Analysis"


async def test_an_empty_board_says_how_to_start(sqlite_service):
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)):
        text = "\n".join(cards_text(app, "Outreach")[:4])
        assert "no deals" in text and "n: add a deal" in text
        assert "n: add a deal" not in "\n".join(cards_text(app, "Analysis")[:4])


async def test_a_narrow_board_shows_the_focused_column_and_marks_hidden_ones(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(60, 24)) as pilot:
        view = board(app).board_view
        top = view.render_line(0).text
        assert len(view.shown) < len(board(app).columns)
        assert top.endswith("›") and not top.startswith("‹")  # more columns to the right only
        for _ in range(len(board(app).columns)):
            await pilot.press("l")
            await settled(pilot)
        assert board(app).column in view.shown  # the focused column is always in view
        top = view.render_line(0).text
        assert top.startswith("‹") and not top.endswith("›")


def _board_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    view = board(app).board_view
    return ["".join(s.text for s in view.render_line(y)) for y in range(view.size.height)]


def _drawn_afresh(app) -> list[str]:  # type: ignore[no-untyped-def]
    for column in board(app).columns:
        column.forget_styles()  # every column draws every line again
    return _board_lines(app)


async def test_lines_kept_between_repaints_match_the_board_drawn_afresh(sqlite_service):
    """Each column keeps the lines it drew and draws again only those that changed: after moves,
    undo, reorders, scrolling and the filter, what it keeps is what it would draw from scratch."""
    for i in range(12):
        sqlite_service.create_deal(f"Deal {i}", company=f"Co {i}", stage="Analysis", amount=f"{i + 1}k")
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 30)) as pilot:
        for keys in (["l", "l", "j", "j"], ["L"], ["h", "j", "L", "L"], ["u"], ["K"], ["G"], ["g", "J"],
                     ["G", "H"], ["l", "G", "k", "k", "L"], ["u"], ["ctrl+y"], ["u"],
                     ["slash", "o"], ["escape", "escape"], ["H", "C"], ["C", "enter"], ["escape"]):  # fmt: skip
            await pilot.press(*keys)
            await settled(pilot)
            await pilot.pause()
            kept = _board_lines(app)
            assert kept == _drawn_afresh(app), f"after {keys}"
