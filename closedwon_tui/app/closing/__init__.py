"""Closing deals in the app: the closed-won celebration, the lost reason, and the look back."""

from closedwon_tui.app.closing.celebration import CelebrationScreen
from closedwon_tui.app.closing.flow import ask_lookback, celebrate, celebrate_many, offer_lookback
from closedwon_tui.app.closing.lookback import LookbackAnswer, LookbackScreen
from closedwon_tui.app.closing.lost_reason import LostAnswer, LostReasonScreen

__all__ = [
    "CelebrationScreen",
    "LookbackAnswer",
    "LookbackScreen",
    "LostAnswer",
    "LostReasonScreen",
    "ask_lookback",
    "celebrate",
    "celebrate_many",
    "offer_lookback",
]
