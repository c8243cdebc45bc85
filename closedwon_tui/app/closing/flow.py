"""What follows a close: the celebration for a win, then the optional look back.

Both functions return at once; each step is pushed with a callback that starts the next.
The look back only asks: what the rep answers goes to `answered` (the board's session
saves it), with the deal's id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from closedwon_tui.app.closing.celebration import CelebrationScreen
from closedwon_tui.app.closing.lookback import LookbackAnswer, LookbackScreen
from closedwon_tui.domain.models import Change, Deal, EventKind

if TYPE_CHECKING:
    from closedwon_tui.app.app import ClosedwonApp

#: Gets the deal and the rep's answer, and saves it.
Answered = Callable[[Deal, LookbackAnswer], None]


def celebrate(app: ClosedwonApp, change: Change[Any], answered: Answered) -> None:
    """Right after a change whose kind is `won`: the celebration (unless turned off), then the look back."""
    if change.kind is not EventKind.WON:
        return
    if not app.celebrate:
        ask_lookback(app, change.deal, answered, won=True)
        return
    app.push_screen(
        CelebrationScreen(change.deal), callback=lambda _: ask_lookback(app, change.deal, answered, won=True)
    )


def celebrate_many(app: ClosedwonApp, deals: list[Deal]) -> None:
    """Several deals won at once: one celebration, with the total won (unless turned off)."""
    if app.celebrate and deals:
        app.push_screen(CelebrationScreen(deals[0], more=deals[1:]))


def offer_lookback(app: ClosedwonApp, change: Change[Any], answered: Answered) -> None:
    """Right after a change whose kind is `lost` (or `won`): the optional look back form."""
    if change.kind not in (EventKind.WON, EventKind.LOST):
        return
    ask_lookback(app, change.deal, answered, won=change.kind is EventKind.WON)


def ask_lookback(
    app: ClosedwonApp, deal: Deal, answered: Answered, *, won: bool, answer: LookbackAnswer | None = None,
    error: str = "",
) -> None:  # fmt: skip
    """The look back form (again, with what was typed and why, after a refused save)."""

    def done(result: LookbackAnswer | None) -> None:
        if result is not None:
            answered(deal, result)

    app.push_screen(LookbackScreen(deal, won=won, answer=answer, error=error), callback=done)
