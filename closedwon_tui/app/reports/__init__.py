"""The reports screen: the figures managers trust closed-won for."""

from closedwon_tui.app.reports.screen import ReportsScreen

__all__ = ["ReportsScreen"]
