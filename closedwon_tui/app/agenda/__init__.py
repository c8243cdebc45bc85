"""The agenda of follow-ups across all deals."""

from closedwon_tui.app.agenda.screen import AgendaScreen

__all__ = ["AgendaScreen"]
