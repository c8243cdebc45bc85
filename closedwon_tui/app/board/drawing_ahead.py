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

import asyncio
import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from closedwon_tui.app.board.view import BoardView

#: How long the board stays unchanged before drawing ahead starts (keys faster than this, a held
#: arrow or a filter typed in a burst, draw nothing ahead until they stop).
QUIET = 0.02
#: How long one slice of drawing ahead runs before the loop does whatever else waits (a key).
SLICE = 0.0008
#: Lines of one column drawn in one step (a step is never cut: a slice ends after the step that
#: crosses its time, and about ten lines take 0.1 to 0.3 ms).
STEP_LINES = 10


class DrawingAhead:
    def __init__(self, view: BoardView) -> None:
        self._view = view
        self._changed_at = 0.0
        self._timer: asyncio.TimerHandle | None = None  # waiting for the board to be quiet
        self._next_slice: asyncio.Handle | None = None
        self._steps: Iterator[None] | None = None
        #: False: nothing is drawn ahead unless asked (`run_all`: a test compares with drawing on demand).
        self.enabled = True

    @property
    def busy(self) -> bool:
        """Whether drawing ahead waits to start or is under way."""
        return self._timer is not None or self._next_slice is not None

    @property
    def under_way(self) -> bool:
        """Whether drawing ahead has begun and not ended."""
        return self._steps is not None

    def changed(self) -> None:
        """The board changed, or its layout did: what was under way stops (what it drew is right: a
        change forgets what it touched in every layout), and starts again once the board is quiet."""
        self._steps = None
        if self._next_slice is not None:
            self._next_slice.cancel()
            self._next_slice = None
        if not self.enabled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a column drawn outside the app): nothing to schedule
            return
        self._changed_at = loop.time()
        if self._timer is None:  # one timer for a burst of changes: it looks again when it fires
            self._timer = loop.call_at(self._changed_at + QUIET, self._when_quiet)

    def stop(self) -> None:
        self._steps = None
        for handle in (self._timer, self._next_slice):
            if handle is not None:
                handle.cancel()
        self._timer = self._next_slice = None

    def _when_quiet(self) -> None:
        loop = asyncio.get_running_loop()
        quiet_from = self._changed_at + QUIET
        if loop.time() < quiet_from:  # changed since the timer was set
            self._timer = loop.call_at(quiet_from, self._when_quiet)
            return
        self._timer = None
        if self.enabled:
            self._steps = self._view_steps()
            self._slice()

    def _slice(self) -> None:
        self._next_slice = None
        steps = self._steps
        if steps is None:
            return
        deadline = time.perf_counter() + SLICE
        for _ in steps:
            if self._steps is not steps:  # a change meanwhile (new styles found): it starts again later
                return
            if time.perf_counter() >= deadline:
                self._next_slice = asyncio.get_running_loop().call_soon(self._slice)
                return
        if self._steps is steps:
            self._steps = None

    def run_all(self) -> None:
        """Draw ahead now, whole (tests)."""
        self.stop()
        for _ in self._view_steps():
            pass

    def _view_steps(self) -> Iterator[None]:
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
