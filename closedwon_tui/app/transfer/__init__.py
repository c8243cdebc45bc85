"""Moving deals in from the board: the import dialog."""

from closedwon_tui.app.transfer.import_screen import ImportScreen, open_import

__all__ = ["ImportScreen", "open_import"]
