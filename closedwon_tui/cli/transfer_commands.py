"""Moving in and out on the command line: import, export, backup, restore, calendar."""

from __future__ import annotations

import argparse

from closedwon_tui.cli import import_commands


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    import_commands.register(commands)
