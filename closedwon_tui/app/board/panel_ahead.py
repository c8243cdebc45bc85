"""The deal panel made ready, while the app is idle, for the card the cursor rests on.

Opening the panel read the deal (about 1.2 ms at 50,000 deals) and drew it (its title, tab
counts and overview, 1 to 3 ms) before the board could narrow beside it: `enter` took 3 to 5x a
cursor key. So once the board has been still for a moment with the panel closed, the selected
deal is read and drawn into the hidden panel, a step at a time on the event loop (a key pressed
meanwhile waits one step at most), and `enter` only shows it.

What was drawn ahead is shown only while it is still true: the board's model has taken in no
change since (any change of this session or a colleague's, which reads the board again), and it
was drawn less than `FRESH_FOR` seconds ago (the panel says "5 minutes ago" and "days in stage").
Otherwise `enter` reads and draws the deal as it always did. The panel is made ready only once it
has been opened (its first opening mounts it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from closedwon_tui.app.board.when_quiet import WhenQuiet
from closedwon_tui.domain.errors import ClosedwonError

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen

#: How long a panel drawn ahead stays good to show: its times ("just now", "3 minutes ago") are
#: drawn at the moment it was read.
FRESH_FOR = 30.0


class PanelAhead(WhenQuiet):
    def __init__(self, screen: BoardScreen) -> None:
        super().__init__()
        self._screen = screen
        #: What `now` reads (None: the event loop's clock; tests set their own).
        self.clock: Callable[[], float] | None = None

    def now(self) -> float:
        return self.clock() if self.clock is not None else asyncio.get_running_loop().time()

    def steps(self) -> Iterator[None]:
        """Read the selected deal, then draw it into the hidden panel: a step each."""
        screen = self._screen
        if not screen.is_attached:
            return
        dock = screen.dock
        card = screen.selected_deal
        if card is None or not dock.can_draw_ahead or screen.session.busy or not screen.board_load.done:
            return
        token = self.token()
        if dock.ready_for(card.id, token, self.now()):
            return
        try:
            detail = screen.session.service.deal_detail(card.id)
        except ClosedwonError:  # `enter` reads it again and says why
            return
        yield
        if screen.selected_deal is not card or self.token() != token or not dock.can_draw_ahead:
            return
        dock.draw_ahead(detail, token, self.now())

    def token(self) -> tuple[int, int]:
        """What the board's model has taken in: a panel drawn at another token may be out of date."""
        model = self._screen.model
        return model.serial, model.applied
