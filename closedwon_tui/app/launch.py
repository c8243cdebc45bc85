"""Open the board for the `closedwon` command."""

from __future__ import annotations

import argparse

from closedwon_tui.cli.context import open_context
from closedwon_tui.services.demo import seed_demo


def run_board(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    try:
        if args.demo:
            seed_demo(ctx.service.db)
        from closedwon_tui.app.app import ClosedwonApp

        celebrate = ctx.settings.celebration and not args.no_celebration
        app = ClosedwonApp(ctx.service, settings=ctx.settings, celebrate=celebrate)
        app.run()
        return app.return_code or 0
    finally:
        ctx.close()
