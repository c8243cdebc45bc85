"""The command line: its parser, and one run of it (the board, or one scriptable command).
`cli/main.py` is the `closedwon` program's entry point."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from closedwon_tui import __version__
from closedwon_tui.cli import (
    activity_commands,
    admin_commands,
    agenda_commands,
    deal_commands,
    report_commands,
    stage_commands,
    transfer_commands,
)
from closedwon_tui.cli.arguments import check_text
from closedwon_tui.cli.context import open_context
from closedwon_tui.cli.filtering import attach_filter_values
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.text import printable

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """Bad arguments get one clear line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"closedwon: {printable(message)} (see '{self.prog} --help')\n")


def _global_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument("--db", metavar="URL", default=default,
                        help="database URL or SQLite file (default: CLOSEDWON_DB or your data folder)")  # fmt: skip
    flag = {} if default is None else {"default": default}
    parser.add_argument("--demo", action="store_true", **flag,
                        help="use a demo pipeline in a throwaway database, removed on exit")  # fmt: skip
    parser.add_argument("--no-celebration", action="store_true", **flag,
                        help="no celebration screen when a deal is won")  # fmt: skip


class _CommandParser(_Parser):
    """Every subcommand takes the global options too (`closedwon demo --db demo.db`); given after
    the subcommand they win, left out they keep what was given before it."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _global_options(self, default=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="closedwon", description="The sales pipeline in your terminal.")
    parser.add_argument("--version", action="version", version=f"closedwon {__version__}")
    parser.add_argument("--pipeline", metavar="NAME", dest="board_pipeline",
                        help="open the board on this pipeline (default: the one shown last)")  # fmt: skip
    _global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    deal_commands.register(commands)
    activity_commands.register(commands)
    stage_commands.register(commands)
    admin_commands.register(commands)
    report_commands.register(commands)
    agenda_commands.register(commands)
    transfer_commands.register(commands)
    return parser


def run(argv: Sequence[str], *, program: bool = False) -> int:
    """One run of the command line. `program`: this process is the command (the `closedwon`
    program), started with the garbage collector paused (cli/main.py), and ends with it."""
    argv = list(argv)
    try:
        check_text(argv)
    except ClosedwonError as exc:
        return _refuse(exc)
    parser = build_parser()
    args, extra = parser.parse_known_args(attach_filter_values(argv))
    if extra:
        # Words after an option (`followup add 7 --due friday Call back`) still belong to the text.
        if isinstance(getattr(args, "text", None), list) and not any(word.startswith("-") for word in extra):
            args.text += extra
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command is None:
            if program:
                gc.enable()  # the board runs for as long as the rep works: its collector as usual
            return _open_board(args)
        ctx = open_context(args)
        _keep_till_exit(program)
        try:
            return args.handler(args, ctx)
        finally:
            ctx.close()
            _keep_till_exit(program)
    except ClosedwonError as exc:
        return _refuse(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _keep_till_exit(program: bool) -> None:
    """A command run as its own process keeps what it has made (its modules, the database's engine)
    until it exits: frozen, those objects are no longer walked by the cyclic garbage collector,
    neither in the passes a long listing's allocations set off nor in the ones at exit (Python's
    teardown after importing SQLAlchemy alone spends 60 to 80 ms collecting); the collector, paused
    while they were made, then runs again for what the command makes. Only for the program: a test
    calling `main` goes on running after it."""
    if program:
        gc.freeze()
        gc.enable()


def _refuse(exc: ClosedwonError) -> int:
    """One line on stderr: whatever input the message echoes is shown, never acted on."""
    print(f"closedwon: {printable(str(exc))}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _open_board(args: argparse.Namespace) -> int:
    """The board, on the database and settings the command line opened (the launcher never imports the CLI)."""
    from closedwon_tui.app.launch import run_board  # Textual is imported only when the board opens

    ctx = open_context(args)  # with --demo, a seeded throwaway database removed on close
    try:
        return run_board(
            ctx.service, ctx.settings, celebrate=ctx.settings.celebration and not args.no_celebration,
            pipeline=args.board_pipeline, remember=not args.demo,
        )  # fmt: skip
    finally:
        ctx.close()
