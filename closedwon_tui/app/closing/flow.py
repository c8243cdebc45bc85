"""What follows a close: the celebration for a win, then the optional look back.

Both functions return at once; each step is pushed with a callback that starts the next.
When a look back is saved, the screen that was showing when the deal closed (the board)
gets a `LookbackSaved` message with the change, since the deal's version has moved on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

from closedwon_tui.app.closing.celebration import CelebrationScreen
from closedwon_tui.app.closing.lookback import LookbackScreen
from closedwon_tui.app.literal import literal
from closedwon_tui.domain.models import Change, Deal, EventKind

if TYPE_CHECKING:
    from closedwon_tui.app.app import ClosedwonApp


class LookbackSaved(Message):
    """A look back was stored on a deal: `change.deal` is the deal as it now is."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change


def celebrate(app: ClosedwonApp, change: Change) -> None:
    """Right after a change whose kind is `won`: the celebration (unless turned off), then the look back."""
    if change.kind is not EventKind.WON:
        return
    origin = app.screen
    if not app.celebrate:
        _push_lookback(app, origin, change.deal, won=True)
        return
    app.push_screen(
        CelebrationScreen(change.deal),
        callback=lambda _: _push_lookback(app, origin, change.deal, won=True),
    )


def offer_lookback(app: ClosedwonApp, change: Change) -> None:
    """Right after a change whose kind is `lost` (or `won`): the optional look back form."""
    if change.kind not in (EventKind.WON, EventKind.LOST):
        return
    _push_lookback(app, app.screen, change.deal, won=change.kind is EventKind.WON)


def _push_lookback(app: ClosedwonApp, origin: Screen, deal: Deal, *, won: bool) -> None:
    def saved(result: Change | None) -> None:
        if result is None:
            return
        app.notify(f"Saved on {literal(deal.title)}.", title="Look back", markup=False)
        if origin.is_attached:
            origin.post_message(LookbackSaved(result))

    app.push_screen(LookbackScreen(deal, won=won), callback=saved)
