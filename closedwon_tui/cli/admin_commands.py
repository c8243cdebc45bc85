"""`closedwon demo|db upgrade`: demo data and the database itself."""

from __future__ import annotations

import argparse

from closedwon_tui.cli.context import Context
from closedwon_tui.cli.output import echo
from closedwon_tui.services.demo import seed_demo


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = commands.add_parser("demo", help="fill a database with a demo pipeline")
    demo.set_defaults(handler=_demo)
    db = commands.add_parser("db", help="database maintenance")
    sub = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    upgrade = sub.add_parser("upgrade", help="bring the database schema up to date")
    upgrade.set_defaults(handler=_upgrade)


def _demo(args: argparse.Namespace, ctx: Context) -> int:
    count = seed_demo(ctx.service.db)
    echo(f"added {count} demo deals to {ctx.service.db.url}")
    return 0


def _upgrade(args: argparse.Namespace, ctx: Context) -> int:
    # Opening the context already upgraded the schema; say where it stands.
    echo(f"database {ctx.service.db.url} is up to date")
    return 0
