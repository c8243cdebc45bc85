"""Open the board for the `closedwon` command."""

from __future__ import annotations

import argparse

from closedwon_tui.cli.context import open_context


def run_board(args: argparse.Namespace) -> int:
    ctx = open_context(args)  # with --demo, a seeded throwaway database removed on close
    try:
        from textual.theme import BUILTIN_THEMES

        ctx.settings.check_theme(BUILTIN_THEMES)  # a wrong theme is one line, not a traceback
        from closedwon_tui.app.app import ClosedwonApp

        celebrate = ctx.settings.celebration and not args.no_celebration
        app = ClosedwonApp(ctx.service, settings=ctx.settings, celebrate=celebrate)
        app.run()
        return app.return_code or 0
    finally:
        ctx.close()
