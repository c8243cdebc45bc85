"""The overview draws its own lines (padded, filtered, kept by content line) instead of Textual's
styling pass: they must be exactly the lines that pass draws, scrolled or not, with the app's line
filters, and a change of its styles must fall back to that pass."""

from __future__ import annotations

import pytest
from textual.filter import Monochrome
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.widgets import Static

from closedwon_tui.app.panel.padded_lines import plainly_styled
from tests.board_helpers import board, make_app, seed, settled


def _both(overview, crop: Region):  # type: ignore[no-untyped-def]
    overview._frame = overview._lines_in_view()
    try:
        ours = overview._padded.lines(overview, crop)
        overview._styles_cache.clear()
        textuals = ScrollView.render_lines(overview, crop)
    finally:
        overview._frame = None
    return ours, textuals


@pytest.mark.parametrize("monochrome", [False, True])
async def test_the_overview_lines_are_the_ones_textuals_styling_pass_draws(sqlite_service, monochrome):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(100, 20)) as pilot:  # short: the overview scrolls
        if monochrome:
            app._filters.append(Monochrome())
        await pilot.press("l", "l", "enter")
        await settled(pilot)
        overview = board(app).panel._overview
        assert plainly_styled(overview)
        whole = Region(0, 0, *overview.region.size)
        for crop in (whole, Region(3, 2, 10, 4)):
            ours, textuals = _both(overview, crop)
            assert [list(s) for s in ours] == [list(s) for s in textuals]
        overview.scroll_to(y=5, animate=False)
        await pilot.pause()
        ours, textuals = _both(overview, whole)
        assert [list(s) for s in ours] == [list(s) for s in textuals]
        assert "".join(s.text for s in ours) != ""


async def test_an_overview_with_a_border_is_drawn_by_textuals_pass(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "l", "enter")
        await settled(pilot)
        overview = board(app).panel._overview
        overview.styles.border = ("round", "red")
        await pilot.pause()
        assert not plainly_styled(overview)
        lines = overview.render_lines(Region(0, 0, *overview.region.size))
        assert lines[0].text.startswith("╭")  # the border, which only Textual's pass draws


async def test_the_panel_title_draws_the_lines_textual_draws_for_its_text(sqlite_service):
    """Its own lines (kept, drawn ahead while the panel is closed) are a `Static`'s, offsets for the
    mouse's text selection included: a long title wrapped, and one with markup and escapes shown
    literally."""
    seed(sqlite_service)
    sqlite_service.create_deal("A renewal with a title long enough to wrap in the panel " * 2, stage="Analysis")
    sqlite_service.create_deal("\x1b]0;pwn\x07[b]bold[/b] Acme", company="[link=x]evil[/link]", stage="Analysis")
    app = make_app(sqlite_service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "l", "enter")
        await settled(pilot)
        title = board(app).panel._title
        for key in ("", "j"):  # the hostile deal (added last: at the top), then the long one
            if key:
                await pilot.press(key)
                await settled(pilot)
            lines = [title.render_line(y) for y in range(title.size.height)]
            assert [list(s) for s in lines] == [list(Static.render_line(title, y)) for y in range(title.size.height)]
        assert title.size.height > 2 and "title long enough" in lines[0].text + lines[1].text  # wrapped
