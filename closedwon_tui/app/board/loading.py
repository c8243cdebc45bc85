"""A big board opens in two steps: the first frame shows each column's first cards with its exact
count and sums (`Queries.opening_board`), and the rest is read in a worker and swapped in.

Meanwhile nothing a rep does acts on part of a column. The cursor, the panel, the forms, help,
the agenda and the reports work at once (they need no whole column); a key that needs every card
of a column (sort, move, mark a column, every closed deal, the last card, a pipeline...) waits
for the whole board and then runs, and so does every key pressed after it, in the order pressed;
a filter typed meanwhile is checked at once and applied once the board is read; the session
holds its writes until then (they are resolved against the whole board). The title says the
board is still being read, and a key that waits says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from closedwon_tui.app.literal import notify_literal

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen


class BoardLoading:
    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen
        #: Every card is read (the board was small enough to read at once, or the rest has landed).
        self.done = screen.model.loaded
        self._waiting: list[Callable[[], None]] = []
        #: A filter typed while the board is read: applied once it is.
        self.filter_text: str | None = None

    @property
    def title(self) -> str:
        """What the title adds while the rest of the board is read."""
        model = self.screen.model
        if model.loaded:
            return ""
        count = sum(model.totals(s.id).count for s in model.stages)
        return f" · reading all {count:,} deals…"

    def start(self) -> None:
        """Once the first frame is drawn: read the whole board in a worker (team sync starts after)."""
        if self.done:
            self.screen.sync.start()
            return
        self.screen.call_after_refresh(self.screen.sync.reload)

    def run(self, action: Callable[[], None], waits_for: str | None = None) -> None:
        """A key's action: at once, or once the board is read when it needs every card (`waits_for`
        says what waits) or when a key pressed before it waits (the keys keep their order)."""
        if self.done or (waits_for is None and not self._waiting):
            action()
            return
        self._waiting.append(action)
        if waits_for is not None:
            notify_literal(self.screen, f"{waits_for} once the board is read (a moment)", timeout=2)

    def refuse(self, what: str) -> bool:
        """While the board is read: say `what` did nothing (True); False once it is read."""
        if self.done:
            return False
        notify_literal(self.screen, f"The board is still being read: {what}", timeout=3)
        return True

    def installed(self) -> None:
        """The board was read again (the screen shows the new model): if that was the whole board
        for the first time, the keys that waited run, in order, then the writes the session held."""
        if self.done or not self.screen.model.loaded:
            return
        self.done = True
        if self.filter_text is not None:
            text, self.filter_text = self.filter_text, None
            self.screen.filter_box.apply(text)
            self.screen.to_a_shown_card()
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()
        self.screen.session.release()
        self.screen.sync.start()
