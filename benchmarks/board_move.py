"""Keys on the board, timed from the key to the app idle with its repaint done, against a cursor key.

Opens the board in-process (headless, 160x50) on a copy of a seeded database, then repeats
rounds of three keys: a key that does nothing (f12), a cursor key (j or k), and the action
(a move to the next stage `L`, its undo `u`, opening the panel `enter`, one key of a free-text
filter, one key of a structured filter: amount, flag, close period, negated word). Each filter key
is timed from a quiet app, as the others are; "filter, 11 keys" types the whole filter back to back,
where Textual's frame cap (60 a second) makes each key wait for the next frame. The panel is
opened a second time right after it closes (`panel enter, again`: nothing changed in between).
No fixed sleeps: each key is posted as the terminal driver posts it, and the clock stops
when every message is handled, the screen repainted (and turned into escape sequences) and
no worker runs. Notifications are on, as in a terminal (Textual's test harness turns them off), so
a toast's cost is timed with the key that shows it. Prints medians with min and max, and each action
against the cursor key.

    python benchmarks/board_move.py [--deals 10000] [--rounds 7] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import SIZE, Figure, ratio
from _keys import board_read, press, render_repaints, settle
from _seed import writable

FILTER_TEXT = "renewal acm"
#: The structured filter typed key by key: an amount, a flag, a close period and a negated word.
STRUCTURED_TEXT = "amount>10k no-next-step close:this-quarter -acm"


async def board_keys(url: str, rounds: int) -> dict[str, Figure]:
    """Every timed key of the board on `url`: no-op, cursor, move, undo, panel, filter keystroke."""
    from closedwon_tui.app.app import ClosedwonApp
    from closedwon_tui.services import PipelineService
    from closedwon_tui.storage.database import Database

    db = Database.open(url)
    figures = {name: Figure(name) for name in ("no-op key", "cursor key", "move L", "undo u", "panel enter",
                                                "panel enter, again", "panel enter, first", "filter keystroke",
                                                "filter, 11 keys", "structured filter keystroke",
                                                "durable commit")}  # fmt: skip
    commit = _durable_commit(url)
    try:
        app = ClosedwonApp(PipelineService(db), celebrate=False)
        async with app.run_test(headless=True, size=SIZE, notifications=True):  # toasts are drawn too
            render_repaints(app)
            await settle(app, 0.3)
            await board_read(app)

            async def round_of(action: str) -> None:
                if action == "move":
                    await first_column(app)
                figures["no-op key"].add(await press(app, "f12"))
                await settle(app)
                figures["cursor key"].add(await press(app, "j" if len(figures["cursor key"].values) % 2 else "k"))
                await settle(app)
                if action == "structured":
                    await press(app, "/")
                    for char in STRUCTURED_TEXT:
                        await settle(app)
                        figures["structured filter keystroke"].add(await press(app, char))
                    await press(app, "escape")
                elif action == "filter":
                    await press(app, "/")
                    for char in FILTER_TEXT:  # each key from a quiet app, as every other key here
                        await settle(app)
                        figures["filter keystroke"].add(await press(app, char))
                    await press(app, "escape")
                    await settle(app)
                    await press(app, "/")
                    typed = 0.0
                    for char in FILTER_TEXT:  # back to back: faster than anyone types
                        typed += await press(app, char)
                    figures["filter, 11 keys"].add(typed)
                    await press(app, "escape")
                else:
                    name = {"move": "move L", "undo": "undo u", "panel": "panel enter"}[action]
                    seconds = await press(app, {"move": "L", "undo": "u", "panel": "enter"}[action])
                    if action == "panel" and not figures["panel enter, first"].values:
                        figures["panel enter, first"].add(seconds)
                    else:
                        figures[name].add(seconds)
                    if action == "panel":
                        await press(app, "escape")
                        await settle(app)
                        figures["panel enter, again"].add(await press(app, "enter"))
                        await press(app, "escape")
                await settle(app)

            for _ in range(rounds):
                for action in ("move", "undo", "panel", "filter", "structured"):
                    await round_of(action)
                    if commit is not None:
                        figures["durable commit"].add(commit())
    finally:
        db.close()
    return figures


async def first_column(app) -> None:  # type: ignore[no-untyped-def]
    """Back to the first column, untimed, before a move: every move timed is then one from the first
    stage to the second. (The undo that follows, after a cursor key, takes the card back but leaves
    the cursor where it is; without this each round moved a card one stage further, until the moves
    closed deals, with their dialogs.)"""
    screen = app.screen_stack[0]
    while screen.active > 0:
        await press(app, "h")
    await settle(app)


def _durable_commit(url: str):  # type: ignore[no-untyped-def]
    """On SQLite, what one durable commit costs on the disk that holds the database (WAL, the
    synchronous=FULL the app keeps): the floor under a move or an undo, which each commit once."""
    if not url.startswith("sqlite:///"):
        return None
    folder = Path(url.removeprefix("sqlite:///")).parent
    scratch = Path(tempfile.mkdtemp(dir=folder)) / "commit.db"
    connection = sqlite3.connect(scratch, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (n INTEGER)")
    connection.execute("INSERT INTO t VALUES (0)")

    def commit() -> float:
        begun = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE t SET n = n + 1")
        connection.execute("COMMIT")
        return time.perf_counter() - begun

    return commit


def print_keys(figures: dict[str, Figure], prefix: str = "") -> None:
    cursor = figures["cursor key"]
    for name, figure in figures.items():
        if figure.values:
            against = (
                ""
                if name in ("cursor key", "filter, 11 keys", "panel enter, first")
                else f"{ratio(figure, cursor)} a cursor key"
            )
            print(f"{prefix}{name:<28} {figure.span()}   {against}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--db", help="a PostgreSQL URL to seed and use instead of SQLite ({n}: the size)")
    args = parser.parse_args()
    with writable(args.deals, args.db) as url:
        figures = asyncio.run(board_keys(url, args.rounds))
    print(f"{args.deals:,} deals, {args.rounds} rounds: key to idle with the repaint done (median, min, max)")
    print_keys(figures)


if __name__ == "__main__":
    main()
