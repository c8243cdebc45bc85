"""The overview draws each of its lines on its own and keeps them by what they show, and a deal
shown again repaints only the lines that changed: what the rep sees must be what Textual draws
from the whole text, and what a fresh paint of the tab shows."""

from __future__ import annotations

from textual.content import Content
from textual.visual import Visual

from closedwon_tui.app.panel.overview import Overview
from tests.test_panel_harness import PanelApp

#: A demo deal in Proposal with an objection, a follow-up, a note and a few moves.
DEMO_DEAL = 22


def _cells(strips) -> list[list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """Each line as (character, style) per cell, the styles without their meta (selection offsets)."""
    return [[(char, str(s.style)) for s in strip for char in s.text] for strip in strips]


def _painted(overview: Overview) -> list[list[tuple[str, str]]]:
    """The tab as the screen gets it: through Textual's per-widget pass (padding, kept lines)."""
    return _cells(overview.render_lines(overview.size.region))


def _painted_afresh(overview: Overview) -> list[list[tuple[str, str]]]:
    overview.notify_style_update()  # every line drawn again
    overview.refresh()  # and painted again
    return _painted(overview)


def _text(cells: list[list[tuple[str, str]]]) -> str:
    return "\n".join("".join(char for char, _ in line) for line in cells)


async def test_each_line_is_drawn_as_textual_draws_the_whole_text(demo):
    app = PanelApp(demo, DEMO_DEAL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        overview = app.query_one(Overview)
        width = overview._width()
        lines = overview._wrapped(width)
        whole = Visual.to_strips(
            overview, Content("\n").join(lines), width, len(lines), overview.visual_style, pad=True
        )
        assert len(lines) > 20
        assert _cells(overview._drawn()) == _cells(whole)


async def test_a_deal_shown_again_after_a_change_repaints_what_changed(demo):
    app = PanelApp(demo, DEMO_DEAL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        overview = app.query_one(Overview)
        before = _painted(overview)
        for changes in ({"amount": "61,250"}, {"next_step": "[b]call[/b] \x1b[2J the CFO"}, {"probability": 55}):
            demo.edit_deal(DEMO_DEAL, changes)
            app.panel.show_deal(DEMO_DEAL)  # as the board's enter does: read again, drawn
            await pilot.pause()
            shown = _painted(overview)
            fresh = _painted_afresh(overview)
            assert shown == fresh, f"after {changes}:\n{_text(shown)}\n--- painted afresh ---\n{_text(fresh)}"
            assert shown != before
            before = shown
        text = _text(before)
        assert "61,250" in text and "55%" in text
        assert "[b]call[/b] \\x1b[2J the CFO" in text  # hostile text shown literally


async def test_another_deal_shows_its_own_lines(demo):
    app = PanelApp(demo, DEMO_DEAL)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        overview = app.query_one(Overview)
        for deal_id in (1, 2, DEMO_DEAL, 5):
            app.panel.show_deal(deal_id)
            await pilot.pause()
            shown = _painted(overview)
            assert shown == _painted_afresh(overview), f"deal {deal_id}"
            assert demo.deal(deal_id).title in _text(
                _cells(app.panel._title.render_lines(app.panel._title.size.region))
            )
