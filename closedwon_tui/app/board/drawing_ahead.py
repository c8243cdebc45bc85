"""The board's lines drawn ahead of time, at the size it had before its present one, while the app
is idle.

Opening the deal panel narrows the board: every line of every column is drawn again at the new
width, unless it is kept from the last time (see `drawn_lines`). After a change (a move, a filter)
the lines kept at the other width are forgotten, and the panel's `enter` paid for drawing the whole
board again (6 to 9 ms, more than the rest of the key). So once the board has been still for a
moment, its lines at the other width are drawn, a few lines of one column at a time, in slices of
about a millisecond on the event loop: a key pressed meanwhile waits one slice at most, and any
change (which forgets what it touched, drawn ahead or not) starts it again later. The panel then
opens onto lines already drawn; closing it, the same the other way.

The slices run as plain callbacks on the event loop, after the frame that showed the change, not
as messages: nothing the rep sees waits for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING

from closedwon_tui.app.board.when_quiet import WhenQuiet

if TYPE_CHECKING:
    from closedwon_tui.app.board.view import BoardView

#: Lines of one column drawn in one step (about ten lines take 0.1 to 0.3 ms).
STEP_LINES = 10


class DrawingAhead(WhenQuiet):
    def __init__(self, view: BoardView) -> None:
        super().__init__()
        self._view = view

    def steps(self) -> Iterator[None]:
        """Draw the board's lines at its other size, yielding between steps (never inside a column's
        `drawn_at`: between two steps the columns are as the rep sees them)."""
        view = self._view
        size = view.other_size  # at the height it has: a new height may scroll columns
        if size is None or not view.is_attached:
            return
        arrangement = view.arrangement(*size)
        if not all(column.can_draw_ahead(arrangement.height) for column in arrangement.shown):
            return
        filters, background = view.line_filters()  # new styles or filters: everything is drawn again
        lines = view.lines_ahead(arrangement)
        missing = [y for y in range(arrangement.height) if y not in lines]
        if not missing:
            return
        styles = view.column_styles()
        console = view.app.console
        steps = [missing[start : start + STEP_LINES] for start in range(0, len(missing), STEP_LINES)]
        for column, width in zip(arrangement.shown, arrangement.widths):
            for step in steps:
                with column.drawn_at(width):
                    for y in step:
                        column.line(y, styles, filters, background)
                yield
        for step in steps:  # the screen lines, from the columns' lines just drawn
            with ExitStack() as columns:
                for column, width in zip(arrangement.shown, arrangement.widths):
                    columns.enter_context(column.drawn_at(width))
                for y in step:
                    lines[y] = line = view.compose_line(y, filters, background, arrangement)
                    line.render(console)  # its escape sequences too: the strip keeps them for the paint
            yield
