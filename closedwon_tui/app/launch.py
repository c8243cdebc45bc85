"""Open the board for the `closedwon` command.

The command line opens the database and reads the settings (`cli.context`), then hands them
here: the app never imports the CLI, and the CLI imports the app only through this function.
"""

from __future__ import annotations

from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings


def run_board(service: PipelineService, settings: Settings, *, celebrate: bool) -> int:
    from textual.theme import BUILTIN_THEMES  # Textual is imported only when the board opens

    settings.check_theme(BUILTIN_THEMES)  # a wrong theme is one line, not a traceback
    if settings.keymap:
        from closedwon_tui.app.keymap import check_keymap

        check_keymap(settings.keymap, settings.source)  # so is a wrong keymap entry
    from closedwon_tui.app.app import ClosedwonApp

    app = ClosedwonApp(service, settings=settings, celebrate=celebrate)
    app.run()
    return app.return_code or 0
