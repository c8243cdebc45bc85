"""A board line makes its escape sequences from its columns' lines, each kept with its own: they must
be exactly what Textual makes of the whole line, and a move must not make them again for the
columns it left alone."""

from __future__ import annotations

import pytest
from textual._compositor import CompositorUpdate
from textual.filter import Monochrome
from textual.strip import Strip

from tests.board_helpers import board, make_app, seed, settled

HOSTILE = "\x1b]0;pwn\x07[b]bold[/b] Acme"


@pytest.mark.parametrize("monochrome", [False, True])
async def test_a_board_lines_escape_sequences_are_the_ones_textual_makes_of_its_segments(sqlite_service, monochrome):
    seed(sqlite_service)
    sqlite_service.create_deal(HOSTILE, company="[link=x]evil[/link]", stage="Qualification", amount="12k")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 30)) as pilot:
        if monochrome:
            app._filters.append(Monochrome())
        await pilot.press("j", "space", "L", "l", "j")  # a marked card, a moved one, the cursor elsewhere
        await settled(pilot)
        await pilot.pause()
        view = board(app).board_view
        lines = view.render_lines(view.size.region)
        for y, line in enumerate(lines):
            whole = Strip(list(line), line.cell_length)
            assert line.render(app.console) == whole.render(app.console), f"line {y}"
        assert any("pwn" in line.text for line in lines)


async def test_a_move_makes_escape_sequences_only_for_the_columns_it_changed(sqlite_service, monkeypatch):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    made: list[str] = []
    render_style = Strip.render_style.__func__  # type: ignore[attr-defined]

    def counted(cls, style, text, color_system):  # type: ignore[no-untyped-def]
        made.append(text)
        return render_style(cls, style, text, color_system)

    async with app.run_test(size=(160, 40)) as pilot:
        display = app._display

        def display_and_render(screen, renderable):  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # as a real terminal's driver does

        app._display = display_and_render  # type: ignore[method-assign]
        await pilot.press("l", "l")
        await settled(pilot)
        await pilot.pause()
        monkeypatch.setattr(Strip, "render_style", classmethod(counted))
        await pilot.press("L")  # Analysis's top card into Proposal: columns on both sides stay as they were
        await settled(pilot)
        await pilot.pause()
        view = board(app).board_view
        assert len(view.arrangement(*view.size).shown) == 7
        changed = [c for c in board(app).columns if c.stage.name in ("Analysis", "Proposal")]
        styles = view.column_styles()
        segments = sum(len(list(c.line(y, styles))) for c in changed for y in range(c.height))
        assert made, "the move was painted"
        assert len(made) <= segments
