"""SVG snapshots of the board on the demo pipeline, reviewed by eye before each update."""

from __future__ import annotations

from tests.conftest import still_app


def test_board_on_the_demo_pipeline(snap_compare, demo):
    assert snap_compare(still_app(demo), terminal_size=(120, 40), press=["l", "l", "j"])


def test_board_in_a_small_terminal(snap_compare, demo):
    assert snap_compare(still_app(demo), terminal_size=(80, 24), press=["l", "l"])


def test_board_while_dragging_shows_the_target_and_insertion_point(snap_compare, demo):
    async def drag(pilot):  # type: ignore[no-untyped-def]
        screen = pilot.app.screen
        source, target = (screen.board_view.column_origin(c) for c in screen.columns[2:4])
        await pilot.mouse_down(offset=(source.x + 4, source.y + 6))
        await pilot.hover(offset=(source.x + 4, source.y + 8))
        await pilot.hover(offset=(target.x + 4, target.y + 10))

    assert snap_compare(still_app(demo), terminal_size=(120, 40), run_before=drag)


def test_help_screen(snap_compare, demo):
    assert snap_compare(still_app(demo), terminal_size=(120, 40), press=["question_mark"])
