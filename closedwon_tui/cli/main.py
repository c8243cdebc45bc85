"""The `closedwon` program: opens the board, or runs one scriptable command (cli/command_line.py)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The command line's arguments, or `argv`.

    Without `argv` this process is the command, and ends with it: the garbage collector is paused
    while the command line's modules load and the database opens (SQLAlchemy, the driver and
    closedwon make some 100,000 objects that live as long as the process, and the collector would
    walk them in about 140 passes meanwhile: 60 to 80 ms), then what they made is frozen
    (`command_line._keep_till_exit`). With `argv` (a test, a script) nothing of the collector
    changes.
    """
    if argv is not None:
        from closedwon_tui.cli.command_line import run

        return run(argv)
    collecting = gc.isenabled()
    gc.disable()
    try:
        from closedwon_tui.cli.command_line import run

        return run(sys.argv[1:], program=True)
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    raise SystemExit(main())
