"""Open the board for the `closedwon` command.

The command line opens the database and reads the settings (`cli.context`), then hands them
here: the app never imports the CLI, and the CLI imports the app only through this function.
"""

from __future__ import annotations

from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings


def run_board(
    service: PipelineService, settings: Settings, *, celebrate: bool, pipeline: str | None = None, remember: bool = True
) -> int:
    """The board on `pipeline` (a name, any case or a unique prefix), else the one shown last on
    this database, else the first. A pipeline that does not exist is one line, before anything opens."""
    from textual.theme import BUILTIN_THEMES  # Textual is imported only when the board opens

    settings.check_theme(BUILTIN_THEMES)  # a wrong theme is one line, not a traceback
    if settings.keymap:
        from closedwon_tui.app.keymap import check_keymap

        check_keymap(settings.keymap, settings.source)  # so is a wrong keymap entry
    from closedwon_tui.app.app import ClosedwonApp

    chosen = board_pipeline(service, pipeline, remember=remember)
    app = ClosedwonApp(service, settings=settings, celebrate=celebrate, pipeline=chosen, remember=remember)
    app.run()
    return app.return_code or 0


def board_pipeline(service: PipelineService, pipeline: str | None, *, remember: bool) -> int | None:
    """The pipeline the board opens on: the one named, else the one shown last on this database
    (while it is still there), else None (the first)."""
    from closedwon_tui.last_used import last_pipeline

    if pipeline is not None:
        return service.pipeline(pipeline).id
    remembered = last_pipeline(service.db.url) if remember else None
    return remembered if remembered in {p.id for p in service.pipelines()} else None
