"""The deal side panel and the forms it opens."""

from closedwon_tui.app.panel.widget import DealPanel

__all__ = ["DealPanel"]
